//! The stable codes of acceptance findings, what each means, and the GB/T 36630 indicator
//! family of each check.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The three indicator families of GB/T 36630 (信息技术产品安全可控评价指标).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 研发生产: who develops and makes the product, and whether it was evaluated.
    ResearchAndProduction,
    /// 供应链: who supplies it, from where, on what terms.
    SupplyChain,
    /// 运维服务: whether it can be kept in service: current approvals, available source.
    OperationAndMaintenance,
}

impl Family {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Family::ResearchAndProduction, Lang::Zh) => "研发生产",
            (Family::ResearchAndProduction, Lang::En) => "R&D and production",
            (Family::SupplyChain, Lang::Zh) => "供应链",
            (Family::SupplyChain, Lang::En) => "supply chain",
            (Family::OperationAndMaintenance, Lang::Zh) => "运维服务",
            (Family::OperationAndMaintenance, Lang::En) => "operation and maintenance",
        }
    }
}

/// A piece of evidence a category can require. Each belongs to one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A valid entry in the approved-product catalog.
    Catalog,
    /// The maker (manufacturer, originator or publisher) is known and domestic.
    ManufacturerDomestic,
    /// A supplier or manufacturer is named.
    SupplierKnown,
    /// No supplier, manufacturer or originator is on the deny list.
    SupplierNotDenied,
    /// The supplier is domestic.
    SupplierDomestic,
    /// A certificate (e.g. a security-product sales licence) valid as of the date.
    CertificateValid,
    /// The licence expression is satisfied by the allowed licences.
    LicenseAllowed,
    /// A source or distribution location is given.
    SourceAvailable,
    /// Name, version, a supplier or manufacturer, and a unique identifier are all present.
    IdentityComplete,
    /// A valid result of the national security-and-reliability evaluation (安全可靠测评), from
    /// a catalog of that kind; the policy's `[procurement_2023]` switch requires it of CPUs and
    /// operating systems.
    SecureReliableEvaluated,
}

impl Check {
    pub const ALL: [Check; 10] = [
        Check::Catalog,
        Check::ManufacturerDomestic,
        Check::SupplierKnown,
        Check::SupplierNotDenied,
        Check::SupplierDomestic,
        Check::CertificateValid,
        Check::LicenseAllowed,
        Check::SourceAvailable,
        Check::IdentityComplete,
        Check::SecureReliableEvaluated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Check::Catalog => "catalog",
            Check::ManufacturerDomestic => "manufacturer-domestic",
            Check::SupplierKnown => "supplier-known",
            Check::SupplierNotDenied => "supplier-not-denied",
            Check::SupplierDomestic => "supplier-domestic",
            Check::CertificateValid => "certificate-valid",
            Check::LicenseAllowed => "license-allowed",
            Check::SourceAvailable => "source-available",
            Check::IdentityComplete => "identity-complete",
            Check::SecureReliableEvaluated => "secure-reliable-evaluated",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Check::Catalog | Check::ManufacturerDomestic | Check::SecureReliableEvaluated => {
                Family::ResearchAndProduction
            }
            Check::SupplierKnown
            | Check::SupplierNotDenied
            | Check::SupplierDomestic
            | Check::LicenseAllowed
            | Check::IdentityComplete => Family::SupplyChain,
            Check::CertificateValid | Check::SourceAvailable => Family::OperationAndMaintenance,
        }
    }
}

/// Every acceptance finding has one of these codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    UnclassifiedKeyComponent,
    NotInCatalog,
    CatalogEntryNotValid,
    ManufacturerUnknown,
    ManufacturerForeign,
    OriginUnknown,
    SupplierUnknown,
    SupplierDenied,
    SupplierForeign,
    CertificateMissing,
    CertificateExpired,
    LicenseMissing,
    LicenseNotAllowed,
    LicenseInvalid,
    SourceUnavailable,
    IdentityIncomplete,
    WaiverExpired,
    WaiverUnused,
    SecureReliableMissing,
    SecureReliableExpired,
    NoComponents,
    NoKeyProducts,
    ExpectedCategoryEmpty,
    InventoryFileNotRead,
}

impl Code {
    pub const ALL: [Code; 24] = [
        Code::UnclassifiedKeyComponent,
        Code::NotInCatalog,
        Code::CatalogEntryNotValid,
        Code::ManufacturerUnknown,
        Code::ManufacturerForeign,
        Code::OriginUnknown,
        Code::SupplierUnknown,
        Code::SupplierDenied,
        Code::SupplierForeign,
        Code::CertificateMissing,
        Code::CertificateExpired,
        Code::LicenseMissing,
        Code::LicenseNotAllowed,
        Code::LicenseInvalid,
        Code::SourceUnavailable,
        Code::IdentityIncomplete,
        Code::WaiverExpired,
        Code::WaiverUnused,
        Code::SecureReliableMissing,
        Code::SecureReliableExpired,
        Code::NoComponents,
        Code::NoKeyProducts,
        Code::ExpectedCategoryEmpty,
        Code::InventoryFileNotRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnclassifiedKeyComponent => "unclassified-key-component",
            Code::NotInCatalog => "not-in-catalog",
            Code::CatalogEntryNotValid => "catalog-entry-not-valid",
            Code::ManufacturerUnknown => "manufacturer-unknown",
            Code::ManufacturerForeign => "manufacturer-foreign",
            Code::OriginUnknown => "origin-unknown",
            Code::SupplierUnknown => "supplier-unknown",
            Code::SupplierDenied => "supplier-denied",
            Code::SupplierForeign => "supplier-foreign",
            Code::CertificateMissing => "certificate-missing",
            Code::CertificateExpired => "certificate-expired",
            Code::LicenseMissing => "license-missing",
            Code::LicenseNotAllowed => "license-not-allowed",
            Code::LicenseInvalid => "license-invalid",
            Code::SourceUnavailable => "source-unavailable",
            Code::IdentityIncomplete => "identity-incomplete",
            Code::WaiverExpired => "waiver-expired",
            Code::WaiverUnused => "waiver-unused",
            Code::SecureReliableMissing => "secure-reliable-missing",
            Code::SecureReliableExpired => "secure-reliable-expired",
            Code::NoComponents => "no-components",
            Code::NoKeyProducts => "no-key-products",
            Code::ExpectedCategoryEmpty => "expected-category-empty",
            Code::InventoryFileNotRead => "inventory-file-not-read",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the code means the evidence is missing rather than contrary: such findings make
    /// a verdict "insufficient evidence" instead of "fail".
    pub fn is_missing_evidence(self) -> bool {
        matches!(
            self,
            Code::UnclassifiedKeyComponent
                | Code::ManufacturerUnknown
                | Code::OriginUnknown
                | Code::SupplierUnknown
                | Code::CertificateMissing
                | Code::LicenseMissing
                | Code::IdentityIncomplete
                | Code::NoComponents
                | Code::NoKeyProducts
                | Code::ExpectedCategoryEmpty
                | Code::InventoryFileNotRead
        )
    }

    /// Whether the code is about the inventories as a whole rather than one product: the
    /// evidence is incomplete, so no verdict can say the project meets the requirement.
    pub fn is_coverage_gap(self) -> bool {
        matches!(
            self,
            Code::NoComponents
                | Code::NoKeyProducts
                | Code::ExpectedCategoryEmpty
                | Code::InventoryFileNotRead
        )
    }

    /// What the code means, in words an acceptance team can act on.
    pub fn explain(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Code::UnclassifiedKeyComponent => (
                "A component that looks like a key product (a device, an operating system, firmware ...) matched no classification rule, so nobody has said which controllability requirements apply to it. Add a rule or an override.",
                "组件看起来属于关键产品（设备、操作系统、固件等），但没有任何分类规则匹配，因而无法确定适用的安全可控要求。请补充分类规则或指定分类。",
            ),
            Code::NotInCatalog => (
                "The product matches no entry of the approved-product catalog (e.g. the security-and-reliability evaluation announcements). Provide the announcement or certificate, or add the catalog entry it is listed under.",
                "产品未出现在合格产品目录（如安全可靠测评结果公告）中。请提供公告或证书，或补充其所在的目录条目。",
            ),
            Code::CatalogEntryNotValid => (
                "The product is in the catalog, but no matching entry is valid on the assessment date (expired or not yet in force).",
                "产品在目录中，但在核验日期没有有效的匹配条目（已过期或尚未生效）。",
            ),
            Code::ManufacturerUnknown => (
                "The inventory names no manufacturer, originator or publisher, so where the product was developed and made cannot be judged.",
                "清单未写明制造商、原始作者或发布者，无法判断产品的研发生产来源。",
            ),
            Code::ManufacturerForeign => (
                "The product is developed or made abroad (its manufacturer's country, or the device's country of origin, is not domestic). Requiring a domestic maker is this workspace's policy choice, resting on the measures' controllability requirement and GB/T 36630; the measures themselves name no country.",
                "产品的研发或生产在境外（制造商所在国或设备产地不在境内）。要求境内研发生产是本工作区的策略选择，依据是《管理办法》的自主可控要求和 GB/T 36630；《管理办法》本身未规定国别。",
            ),
            Code::OriginUnknown => (
                "A supplier or manufacturer is named, but its country is given neither in the inventory nor in the policy's party list.",
                "已写明供应商或制造商，但清单和策略中的单位名录都没有其所在国家或地区。",
            ),
            Code::SupplierUnknown => (
                "Neither a supplier nor a manufacturer is named: the supply chain of the product cannot be traced.",
                "既未写明供应商也未写明制造商，产品的供应链无法追溯。",
            ),
            Code::SupplierDenied => (
                "A supplier, manufacturer or originator of the product is on the policy's deny list.",
                "产品的供应商、制造商或原始作者在策略的禁用名单中。",
            ),
            Code::SupplierForeign => (
                "The supplier is registered abroad, where the category requires a domestic supplier (this workspace's policy choice; the measures themselves name no country).",
                "该类别要求境内供应商，而该产品的供应商在境外（本工作区的策略选择；《管理办法》本身未规定国别）。",
            ),
            Code::CertificateMissing => (
                "The category requires a certificate (such as the sales licence for special security products), and none is recorded.",
                "该类别要求具备证书（如计算机信息系统安全专用产品销售许可证），但清单中没有记录。",
            ),
            Code::CertificateExpired => (
                "Every certificate recorded for the product has expired by the assessment date.",
                "产品记录的所有证书在核验日期均已过期。",
            ),
            Code::LicenseMissing => (
                "An open-source component states no licence, so the terms of its use are unknown.",
                "开源组件未声明许可证，使用条件不明。",
            ),
            Code::LicenseNotAllowed => (
                "The component's licence expression cannot be satisfied with the licences the policy allows.",
                "组件的许可证表达式无法由策略允许的许可证满足。",
            ),
            Code::LicenseInvalid => (
                "The component's licence is not a valid SPDX licence expression, so it cannot be evaluated.",
                "组件的许可证不是有效的 SPDX 许可证表达式，无法评估。",
            ),
            Code::SourceUnavailable => (
                "An open-source component gives no source repository or distribution location, so it could not be rebuilt or maintained independently.",
                "开源组件没有给出源代码仓库或发布地址，无法独立重建或维护。",
            ),
            Code::IdentityIncomplete => (
                "Identifying data is incomplete (name, version, supplier or manufacturer, and a unique identifier such as purl, CPE, model or serial number).",
                "标识信息不完整（名称、版本、供应商或制造商，以及 purl、CPE、型号或序列号等唯一标识）。",
            ),
            Code::WaiverExpired => (
                "A waiver matched a finding but had expired by the assessment date, so it no longer applies.",
                "某项豁免与问题匹配，但在核验日期已过期，不再适用。",
            ),
            Code::WaiverUnused => (
                "A waiver matched no finding: it is stale or names the component wrongly. Remove or correct it.",
                "某项豁免没有匹配任何问题：可能已过时或组件名称有误。请删除或更正。",
            ),
            Code::SecureReliableMissing => (
                "No result of the national security-and-reliability evaluation (安全可靠测评, published by the China Information Technology Security Evaluation Center) matches the product in any catalog of that kind. The workspace's policy requires one for this category (e.g. the 2023 government procurement demand standards for CPUs and operating systems).",
                "任何安全可靠测评结果目录中都没有与该产品对应的测评结果（由中国信息安全测评中心发布）。本工作区策略要求该类别具备此结果（如 2023 年政府采购需求标准对 CPU、操作系统的要求）。",
            ),
            Code::SecureReliableExpired => (
                "The product has a security-and-reliability evaluation result, but it is not valid on the assessment date (results are taken as valid for three years from the announcement unless the catalog says otherwise).",
                "产品有安全可靠测评结果，但在核验日期已不在有效期内（目录未另行注明的，按公告之日起三年计）。",
            ),
            Code::NoComponents => (
                "The inventories hold no component at all (an empty folder, files in a place anbao.toml does not name, or only files that are not inventories), so nothing was checked: the evidence is insufficient and the project cannot meet the requirement on it. Put the SBOMs and equipment lists where [inventories] paths points.",
                "清单中没有任何组件（目录为空、文件不在 anbao.toml 指定的位置，或其中的文件都不是清单），因而什么都没有核验：证据不足，不能据此认定项目满足要求。请把 SBOM 和设备清单放到 [inventories] paths 指定的位置。",
            ),
            Code::NoKeyProducts => (
                "No component of the inventories falls in a key product category (information-security equipment, core network equipment, basic software, system software, business application software). Every government informatization project has at least its business application, so the inventories are incomplete and the evidence insufficient. A project that truly has no key product says so with `expected_categories = []` under [inventories] in anbao.toml.",
                "清单中没有任何组件属于关键产品类别（信息安全设备、核心网络设备、基础软件、系统软件、业务应用软件）。政务信息化项目至少包含其业务应用软件，因此清单不完整、证据不足。确实不含关键产品的项目，请在 anbao.toml 的 [inventories] 中写明 expected_categories = []。",
            ),
            Code::ExpectedCategoryEmpty => (
                "anbao.toml ([inventories] expected_categories) says the project contains products of this category, but no component of the inventories is in it: the inventory of those products is missing, so the evidence is insufficient.",
                "anbao.toml（[inventories] expected_categories）写明项目包含该类别的产品，但清单中没有任何组件属于该类别：缺少这些产品的清单，证据不足。",
            ),
            Code::InventoryFileNotRead => (
                "A file in the inventory folders was not read: its content is no inventory format anbao reads (an Excel workbook, a PDF, notes), it is a FIFO, socket or device, a broken or looping symbolic link, or it cannot be opened; or a pattern of [inventories] paths matches no file. Whatever it holds was not checked, so the evidence is insufficient. Convert it (Excel: save as CSV), remove it, or exclude it on purpose with [inventories] exclude.",
                "清单目录中有文件未被读取：其内容不是 anbao 可读取的清单格式（Excel 工作簿、PDF、备注等），或是命名管道、套接字、设备文件、失效或循环的符号链接，或无法打开；或 [inventories] paths 中的匹配模式没有匹配到任何文件。其中的内容未经核验，证据不足。请转换格式（Excel 另存为 CSV）、删除该文件，或用 [inventories] exclude 明确排除。",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_checks_round_trip() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert!(!code.explain(Lang::Zh).is_empty() && !code.explain(Lang::En).is_empty());
        }
        for check in Check::ALL {
            assert_eq!(serde_json::to_value(check).unwrap(), check.as_str());
        }
    }
}
