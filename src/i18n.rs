//! Every user-facing label, in Simplified Chinese and English, and how the language is chosen.

use std::fmt;

mod bilingual;
pub mod drill;
pub mod ledger;
pub mod trust;

pub use bilingual::Bilingual;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// Parses `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en_US` ...; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let lower = s.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en")
            || lower == "c"
            || lower == "posix"
            || lower.starts_with("c.")
        {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language from the environment: `ANBAO_LANG`, then the POSIX locale variables in
    /// their order of precedence; English when none says.
    pub fn from_env() -> Lang {
        ["ANBAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .filter(|v| !v.is_empty())
            .find_map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// A label or sentence shown to users. `tr` gives its text in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Error,
    Warning,
    Name,
    Version,
    Type,
    Supplier,
    Manufacturer,
    License,
    File,
    Files,
    Components,
    Edges,
    Purl,
    Cpe,
    Swid,
    Hashes,
    Authors,
    Publisher,
    Description,
    Properties,
    Model,
    Firmware,
    SerialNumbers,
    Quantity,
    CountryOfOrigin,
    Certificates,
    ValidUntil,
    SourceKind,
    ExternalRefs,
    IncludedBy,
    Includes,
    DescribedIn,
    ByType,
    BySupplier,
    ByManufacturer,
    ByLicense,
    Graph,
    Roots,
    Orphans,
    Cycles,
    DanglingRefs,
    NtiaCompleteness,
    Element,
    Present,
    MissingIn,
    Findings,
    NoFindings,
    NoComponents,
    InclusionPaths,
    IsRoot,
    NotReachable,
    MorePathsExist,
    NoSuchComponent,
    Ambiguous,
    Valid,
    Invalid,
    Checked,
    Unreadable,
    HardwareClass,
    BusIds,
    Reading,
    AndMore,
    None,
    Format,
    SpecVersion,
    Timestamp,
    Tools,
    Level,
    Code,
    Location,
    Message,
}

/// The text of `t` in `lang`.
pub fn tr(lang: Lang, t: Text) -> &'static str {
    let (en, zh) = match t {
        Text::Error => ("error", "错误"),
        Text::Warning => ("warning", "警告"),
        Text::Name => ("Name", "名称"),
        Text::Version => ("Version", "版本"),
        Text::Type => ("Type", "类型"),
        Text::Supplier => ("Supplier", "供应商"),
        Text::Manufacturer => ("Manufacturer", "制造商"),
        Text::License => ("License", "许可证"),
        Text::File => ("File", "文件"),
        Text::Files => ("Files", "文件数"),
        Text::Components => ("Components", "组件数"),
        Text::Edges => ("Dependency edges", "依赖边数"),
        Text::Purl => ("purl", "purl"),
        Text::Cpe => ("CPE", "CPE"),
        Text::Swid => ("SWID", "SWID"),
        Text::Hashes => ("Hashes", "哈希"),
        Text::Authors => ("Authors", "作者"),
        Text::Publisher => ("Publisher", "发布者"),
        Text::Description => ("Description", "描述"),
        Text::Properties => ("Properties", "属性"),
        Text::Model => ("Model", "型号"),
        Text::Firmware => ("Firmware", "固件版本"),
        Text::SerialNumbers => ("Serial numbers", "序列号"),
        Text::Quantity => ("Quantity", "数量"),
        Text::CountryOfOrigin => ("Country of origin", "产地"),
        Text::Certificates => ("Certificates", "证书"),
        Text::ValidUntil => ("valid until", "有效期至"),
        Text::SourceKind => ("Source", "来源"),
        Text::ExternalRefs => ("External references", "外部引用"),
        Text::IncludedBy => ("Included by", "被以下组件包含"),
        Text::Includes => ("Includes", "包含"),
        Text::DescribedIn => ("Described in", "出现于"),
        Text::ByType => ("By type", "按类型"),
        Text::BySupplier => ("By supplier", "按供应商"),
        Text::ByManufacturer => ("By manufacturer", "按制造商"),
        Text::ByLicense => ("By license", "按许可证"),
        Text::Graph => ("Dependency graph", "依赖关系图"),
        Text::Roots => (
            "Roots (products and top-level items)",
            "根（产品及顶层条目）",
        ),
        Text::Orphans => ("Not reachable from a root", "无法从根到达"),
        Text::Cycles => ("Cycles", "循环依赖"),
        Text::DanglingRefs => ("Dangling references", "悬空引用"),
        Text::NtiaCompleteness => ("NTIA minimum elements", "NTIA 最低要素完整度"),
        Text::Element => ("Element", "要素"),
        Text::Present => ("Present", "具备"),
        Text::MissingIn => ("Missing in", "缺失于"),
        Text::Findings => ("Findings", "发现的问题"),
        Text::NoFindings => ("no findings", "未发现问题"),
        Text::NoComponents => ("no components", "没有组件"),
        Text::InclusionPaths => (
            "inclusion paths from the product root",
            "自产品根的引入路径",
        ),
        Text::IsRoot => ("is a product root", "是产品根"),
        Text::NotReachable => (
            "is not reachable from any product root",
            "无法从任何产品根到达",
        ),
        Text::MorePathsExist => (
            "more paths exist; raise --max-paths to see them",
            "还有更多路径；可增大 --max-paths 查看",
        ),
        Text::NoSuchComponent => ("no component matches", "没有匹配的组件"),
        Text::Ambiguous => (
            "several components match; name one by purl or name@version",
            "匹配到多个组件；请用 purl 或 名称@版本 指定",
        ),
        Text::Valid => ("valid", "有效"),
        Text::Invalid => ("invalid", "无效"),
        Text::Checked => ("checked", "检查了"),
        Text::Unreadable => ("anbao cannot read it", "anbao 无法读取"),
        Text::HardwareClass => ("Hardware class", "硬件类别"),
        Text::BusIds => ("Bus ids", "总线标识"),
        Text::Reading => ("reading", "正在读取"),
        Text::AndMore => ("and more", "等"),
        Text::None => ("(none)", "（无）"),
        Text::Format => ("Format", "格式"),
        Text::SpecVersion => ("Spec version", "规范版本"),
        Text::Timestamp => ("Timestamp", "时间戳"),
        Text::Tools => ("Tools", "工具"),
        Text::Level => ("Level", "级别"),
        Text::Code => ("Code", "代码"),
        Text::Location => ("Location", "位置"),
        Text::Message => ("Message", "说明"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// A localised label with `Display`, for use in `format!`.
pub struct L(pub Lang, pub Text);

impl fmt::Display for L {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(tr(self.0, self.1))
    }
}

/// The name of an NTIA minimum element.
pub fn ntia_label(lang: Lang, element: crate::inventory::stats::NtiaElement) -> &'static str {
    use crate::inventory::stats::NtiaElement::*;
    let (en, zh) = match element {
        Supplier => ("supplier", "供应商"),
        Name => ("name", "组件名称"),
        Version => ("version", "版本"),
        UniqueId => ("unique identifier", "唯一标识"),
        DependencyRelationship => ("dependency relationship", "依赖关系"),
        Author => ("author of SBOM data", "SBOM 数据作者"),
        Timestamp => ("timestamp", "时间戳"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The closing line of a listing: how many components, files and findings.
pub fn count_line(lang: Lang, components: usize, files: usize, findings: usize) -> String {
    match lang {
        Lang::En => format!("{components} components from {files} files, {findings} findings"),
        Lang::Zh => format!("共 {components} 个组件，来自 {files} 个文件，发现 {findings} 个问题"),
    }
}

/// What each inventory finding code means, for `anbao explain` and reports.
pub fn explain_inventory_code(lang: Lang, code: crate::inventory::Code) -> &'static str {
    use crate::inventory::Code::*;
    let (en, zh) = match code {
        DanglingDependencyRef => (
            "A dependency or relationship names a component that the same file does not contain, so part of the dependency graph is unknown.",
            "依赖或关系引用了同一文件中不存在的组件，依赖关系图因此不完整。",
        ),
        DuplicateBomRef => (
            "Two components in one file share a bom-ref (or SPDX identifier); references to it are ambiguous. The second is ignored.",
            "同一文件中两个组件使用了相同的 bom-ref（或 SPDX 标识），对它的引用有歧义；后出现的组件被忽略。",
        ),
        UnknownComponentType => (
            "A component type outside its format's vocabulary; anbao keeps the text but cannot classify the component by type.",
            "组件类型不在该格式的取值范围内；anbao 保留原文，但无法据此对组件分类。",
        ),
        MissingVersion => (
            "A component without a version cannot be matched against an approved-product catalog or a vulnerability database.",
            "缺少版本号的组件无法与合格产品目录或漏洞库比对。",
        ),
        UnknownColumn => (
            "A hardware inventory has a column (or key) anbao does not recognise; its values are kept as properties, but check the header.",
            "硬件清单中有 anbao 无法识别的列（或键）；其值已作为属性保留，请检查表头。",
        ),
        ComponentConflict => (
            "The same component is described differently in two inventory files (version, supplier, manufacturer, type or hash).",
            "同一组件在两个清单文件中的描述不一致（版本、供应商、制造商、类型或哈希）。",
        ),
        UnreadableValue => (
            "A value (a date, a quantity) could not be interpreted and was kept verbatim.",
            "某个值（日期、数量等）无法解析，已按原文保留。",
        ),
        IgnoredRelationship => (
            "A relationship that does not become a graph edge, such as one to an element of another document.",
            "未转换为依赖图边的关系，例如指向其他文档中元素的关系。",
        ),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_languages() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
