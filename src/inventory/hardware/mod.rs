//! Hardware inventories: the equipment lists (设备清单) projects keep in Excel, read from CSV or TOML.
//!
//! Both formats describe one device per row (CSV) or per `[[device]]` table (TOML) with the same
//! fields, Chinese or English. This module holds what the two share: which headers and keys mean
//! what, how text is decoded, and how one device's values become a [`Component`].
//!
//! Mapping decisions, the same for both formats:
//! - `version` is the model (型号) when there is one, else the firmware version: in procurement a
//!   device is identified by its model, and the firmware is kept in `hardware.firmware`.
//! - `kind` comes from the category text: firmware words give `firmware`, operating-system words
//!   `operating-system`, software words (软件, 数据库, 中间件) `application`, anything else `device`.
//!   The raw category text is always kept as property `category`, which later checks classify.
//! - The key is the asset number (编号 / id / bom-ref) when given, which is then also the
//!   bom-ref; otherwise `row-LINE` for CSV and `device-N` for the N-th TOML table.
//! - The country of origin (产地) is the device's and also the manufacturer's country.
//! - Columns and keys anbao does not know are reported (`unknown-column`) and their values kept as
//!   properties under the header text, never dropped. Quantities and dates that cannot be read
//!   are reported (`unreadable-value`) and kept verbatim as properties `quantity` and
//!   `certificate_valid_until`.

mod csv;
mod toml;

pub use self::csv::{parse_csv, sniff_list};
pub use self::toml::parse_toml;

use super::{Certificate, Code, Component, ComponentType, Finding, HardwareInfo, Party};
use crate::error::{InputError, Location};
use crate::i18n::Bilingual;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::path::Path;

/// A column (CSV) or key (TOML) of a hardware inventory that anbao understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Category,
    Manufacturer,
    Model,
    Firmware,
    Serial,
    Quantity,
    Origin,
    Supplier,
    Certificate,
    CertificateValidUntil,
    Notes,
    Purl,
    Cpe,
    Id,
    Purpose,
    Location,
    /// Where the device sits on its bus (`pci@0000:00:03.0`), which says what its vendor id
    /// means.
    Bus,
    /// The running number (序号) almost every Chinese list starts with; kept, never reported.
    Sequence,
}

/// Header spellings, after [`normalize_label`], and what they mean. Chinese lists vary the
/// wording from unit to unit, so the common variants are all here.
const LABELS: &[(&str, Field)] = &[
    ("设备名称", Field::Name),
    ("名称", Field::Name),
    ("产品名称", Field::Name),
    ("设备", Field::Name),
    ("name", Field::Name),
    ("device", Field::Name),
    ("devicename", Field::Name),
    ("productname", Field::Name),
    ("类别", Field::Category),
    ("设备类别", Field::Category),
    ("类型", Field::Category),
    ("设备类型", Field::Category),
    ("分类", Field::Category),
    ("category", Field::Category),
    ("type", Field::Category),
    ("厂商", Field::Manufacturer),
    ("制造商", Field::Manufacturer),
    ("生产厂商", Field::Manufacturer),
    ("生产厂家", Field::Manufacturer),
    ("厂家", Field::Manufacturer),
    ("品牌", Field::Manufacturer),
    ("manufacturer", Field::Manufacturer),
    ("vendor", Field::Manufacturer),
    ("brand", Field::Manufacturer),
    ("型号", Field::Model),
    ("规格型号", Field::Model),
    ("设备型号", Field::Model),
    ("model", Field::Model),
    ("固件版本", Field::Firmware),
    ("软件版本", Field::Firmware),
    ("版本", Field::Firmware),
    ("版本号", Field::Firmware),
    ("固件", Field::Firmware),
    ("firmware", Field::Firmware),
    ("firmwareversion", Field::Firmware),
    ("version", Field::Firmware),
    ("softwareversion", Field::Firmware),
    ("序列号", Field::Serial),
    ("设备序列号", Field::Serial),
    ("sn", Field::Serial),
    ("serial", Field::Serial),
    ("serials", Field::Serial),
    ("serialnumber", Field::Serial),
    ("serialnumbers", Field::Serial),
    ("serialno", Field::Serial),
    ("数量", Field::Quantity),
    ("quantity", Field::Quantity),
    ("qty", Field::Quantity),
    ("产地", Field::Origin),
    ("原产地", Field::Origin),
    ("原产国", Field::Origin),
    ("countryoforigin", Field::Origin),
    ("origin", Field::Origin),
    ("country", Field::Origin),
    ("供应商", Field::Supplier),
    ("供货商", Field::Supplier),
    ("supplier", Field::Supplier),
    ("证书编号", Field::Certificate),
    ("证书号", Field::Certificate),
    ("certificate", Field::Certificate),
    ("certificatenumber", Field::Certificate),
    ("certificateno", Field::Certificate),
    ("证书有效期", Field::CertificateValidUntil),
    ("证书有效期至", Field::CertificateValidUntil),
    ("有效期至", Field::CertificateValidUntil),
    ("有效期", Field::CertificateValidUntil),
    ("certificatevaliduntil", Field::CertificateValidUntil),
    ("validuntil", Field::CertificateValidUntil),
    ("备注", Field::Notes),
    ("说明", Field::Notes),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("remark", Field::Notes),
    ("remarks", Field::Notes),
    ("description", Field::Notes),
    ("purl", Field::Purl),
    ("cpe", Field::Cpe),
    ("bomref", Field::Id),
    ("id", Field::Id),
    ("编号", Field::Id),
    ("资产编号", Field::Id),
    ("设备编号", Field::Id),
    ("assetnumber", Field::Id),
    ("assetno", Field::Id),
    ("assetid", Field::Id),
    ("assettag", Field::Id),
    ("用途", Field::Purpose),
    ("purpose", Field::Purpose),
    ("function", Field::Purpose),
    ("位置", Field::Location),
    ("部署位置", Field::Location),
    ("安装位置", Field::Location),
    ("location", Field::Location),
    ("总线", Field::Bus),
    ("总线地址", Field::Bus),
    ("bus", Field::Bus),
    ("businfo", Field::Bus),
    ("序号", Field::Sequence),
    ("no", Field::Sequence),
    ("#", Field::Sequence),
];

impl Field {
    /// What a header or key means, if anbao knows it.
    fn from_label(label: &str) -> Option<Field> {
        let wanted = normalize_label(label);
        LABELS.iter().find(|(l, _)| *l == wanted).map(|&(_, f)| f)
    }
}

/// Reduces a header to the form [`LABELS`] lists: case, spaces, `_`, `-` and `.` do not matter
/// (`Serial Number`, `serial_number`, `Serial-No.`), nor a leading `*` marking a required column
/// or a trailing unit in brackets (`数量（台）`, `Quantity (pcs)`).
fn normalize_label(label: &str) -> String {
    let mut text = label.trim().trim_start_matches(['*', '＊']).trim();
    if let Some(without) = text.strip_suffix([')', '）']) {
        if let Some(open) = without.rfind(['(', '（']) {
            if open > 0 {
                text = &text[..open];
            }
        }
    }
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How each column or key of one header is read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Field(Field),
    /// Not known: kept as a property under its label.
    Unknown,
    /// Means the same as the earlier column or key at this index, which is the one read; this
    /// one is kept as a property under its label.
    Repeat(usize),
}

/// Decides the role of each label, in order: the first label for a field reads it, later ones
/// for the same field repeat it.
fn roles<'a>(labels: impl IntoIterator<Item = &'a str>) -> Vec<Role> {
    let mut fields: Vec<Option<Field>> = Vec::new();
    let mut roles = Vec::new();
    for label in labels {
        let field = Field::from_label(label);
        let role = match field {
            None => Role::Unknown,
            Some(f) => match fields.iter().position(|&seen| seen == Some(f)) {
                Some(first) => Role::Repeat(first),
                None => Role::Field(f),
            },
        };
        fields.push(field);
        roles.push(role);
    }
    roles
}

/// Decodes an inventory's bytes: UTF-8 (with or without byte-order mark), UTF-16 with a
/// byte-order mark (Excel's "Unicode text"), or else GB18030, which Chinese Excel writes by
/// default and which includes GBK and GB2312.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>, InputError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(Cow::Borrowed).map_err(|e| {
            InputError::new(
                path,
                Location::Line(line_of(bytes, 3 + e.valid_up_to())),
                "the file starts with a UTF-8 byte-order mark but is not valid UTF-8 from this line on",
            )
        });
    }
    let utf16 = [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ];
    for (bom, encoding) in utf16 {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|text| Cow::Owned(text.into_owned()))
                .ok_or_else(|| {
                    InputError::whole_file(
                        path,
                        format!(
                            "the file starts with a {} byte-order mark but is not valid {0} text",
                            encoding.name()
                        ),
                    )
                });
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| {
                InputError::new(
                    path,
                    Location::Line(line_of(bytes, e.valid_up_to())),
                    "the file is neither UTF-8 nor GB18030 (GBK) text; this is the first line that \
                     is not UTF-8. Save it from Excel as \"CSV UTF-8\" or as plain CSV",
                )
            }),
    }
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The component type a category text stands for; see the module documentation.
fn kind_from_category(category: &str) -> ComponentType {
    let text = category.to_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if says(&["firmware", "固件"]) {
        ComponentType::Firmware
    } else if says(&["operating system", "operating-system", "操作系统"]) {
        ComponentType::OperatingSystem
    } else if says(&[
        "software",
        "软件",
        "数据库",
        "中间件",
        "database",
        "middleware",
    ]) {
        ComponentType::Application
    } else {
        ComponentType::Device
    }
}

/// Units people write after a count in a quantity cell (`2台`, `4 pcs`).
const COUNT_UNITS: &[&str] = &[
    "台", "套", "个", "块", "件", "只", "部", "片", "根", "对", "组", "pcs", "pc", "unit", "units",
    "set", "sets",
];

/// Reads a quantity: a whole number, optionally followed by a unit.
fn parse_quantity(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let unit = text[digits..].trim().to_lowercase();
    if digits == 0 || !(unit.is_empty() || COUNT_UNITS.contains(&unit.as_str())) {
        return None;
    }
    text[..digits].parse().ok()
}

/// Reads a date as Chinese lists write it: `2027-06-30`, `2027/6/30`, `2027.06.30`,
/// `2027年6月30日` or `20270630`, possibly followed by a time of day as Excel exports date cells.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = match text.split_once(char::is_whitespace) {
        Some((date, time)) if time.trim().chars().all(|c| c.is_ascii_digit() || c == ':') => date,
        _ => text,
    };
    let text = text.strip_suffix('日').unwrap_or(text);
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
    let (year, month, day) = match parts[..] {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            (number(y)?, number(m)?, number(d)?)
        }
        [ymd] if ymd.len() == 8 && ymd.is_ascii() => {
            (number(&ymd[..4])?, number(&ymd[4..6])?, number(&ymd[6..])?)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Splits a serial-number cell that lists several: `;`, `、`, `，`, `,` and line breaks separate.
fn split_serials(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split([';', '；', '、', '，', ',', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One device as read so far from a CSV row or a TOML table, before it becomes a component.
#[derive(Debug, Default)]
struct Draft {
    /// Where the device is described: a CSV line or a TOML line:column.
    location: String,
    name: Option<String>,
    id: Option<String>,
    category: Option<String>,
    manufacturer: Option<String>,
    supplier: Option<String>,
    model: Option<String>,
    firmware: Option<String>,
    origin: Option<String>,
    notes: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    certificate: Option<String>,
    valid_until: Option<NaiveDate>,
    /// A validity date as written, kept as a property if there is no certificate number.
    valid_until_text: Option<String>,
    serials: Vec<String>,
    quantity: Option<u64>,
    properties: Vec<(String, String)>,
    /// Values that could not be read: where, and what to say.
    unreadable: Vec<(String, Bilingual)>,
}

impl Draft {
    fn new(location: String) -> Draft {
        Draft {
            location,
            ..Draft::default()
        }
    }

    /// Takes the text of `field`, found under `label` at `at`. Empty text means no value.
    fn set(&mut self, field: Field, label: &str, text: &str, at: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let value = Some(text.to_string());
        match field {
            Field::Name => self.name = value,
            Field::Id => self.id = value,
            Field::Category => {
                self.category = value;
                self.property("category", text);
            }
            Field::Manufacturer => self.manufacturer = value,
            Field::Supplier => self.supplier = value,
            Field::Model => self.model = value,
            Field::Firmware => self.firmware = value,
            Field::Origin => self.origin = value,
            Field::Notes => self.notes = value,
            Field::Purl => self.purl = value,
            Field::Cpe => self.cpe = value,
            Field::Certificate => self.certificate = value,
            Field::Serial => self.serials.extend(split_serials(text)),
            Field::Quantity => match parse_quantity(text) {
                Some(n) => self.quantity = Some(n),
                None => {
                    let why = ["不是整数", "is not a whole number"];
                    self.unreadable(at, label, text, "quantity", why)
                }
            },
            Field::CertificateValidUntil => {
                self.valid_until_text = value;
                match parse_date(text) {
                    Some(date) => self.valid_until = Some(date),
                    None => self.unreadable(
                        at,
                        label,
                        text,
                        "certificate_valid_until",
                        [
                            "不是日期（应形如 2027-06-30）",
                            "is not a date such as 2027-06-30",
                        ],
                    ),
                }
            }
            Field::Purpose => self.property("purpose", text),
            Field::Location => self.property("location", text),
            Field::Bus => self.property("bus", text),
            Field::Sequence => self.property("sequence", text),
        }
    }

    fn property(&mut self, name: &str, value: &str) {
        self.properties.push((name.to_string(), value.to_string()));
    }

    /// Keeps `text` as `property` and notes why it could not be read: `[zh, en]`.
    fn unreadable(&mut self, at: &str, label: &str, text: &str, property: &str, why: [&str; 2]) {
        self.property(property, text);
        let [why_zh, why_en] = why;
        self.unreadable.push((
            at.to_string(),
            Bilingual::format(
                format_args!("{label} '{text}' {why_zh}，已保留为属性 '{property}'"),
                format_args!("{label} '{text}' {why_en}; it is kept as property '{property}'"),
            ),
        ));
    }

    /// The component, or `None` if the device has no name. Findings about values that could
    /// not be read go to `findings`.
    fn finish(
        self,
        fallback_key: String,
        path: &Path,
        findings: &mut Vec<Finding>,
    ) -> Option<Component> {
        let name = self.name?;
        let kind = self
            .category
            .as_deref()
            .map_or(ComponentType::Device, kind_from_category);
        let mut c = Component::new(self.id.clone().unwrap_or(fallback_key), kind, name);
        // Without a category, `device` is anbao's assumption, not the list's.
        c.kind_inferred = self.category.is_none();
        c.bom_ref = self.id;
        c.version = self.model.clone().or_else(|| self.firmware.clone());
        c.description = self.notes;
        c.purl = self.purl;
        c.cpe = self.cpe;
        c.manufacturer = self.manufacturer.map(|name| {
            Box::new(Party {
                country: self.origin.clone(),
                ..Party::named(name)
            })
        });
        c.supplier = self.supplier.map(|name| Box::new(Party::named(name)));
        c.properties = self.properties;
        let certificates = match self.certificate {
            Some(number) => vec![Certificate {
                number,
                valid_until: self.valid_until,
            }],
            None => {
                // A date with no number to attach it to is still information worth keeping.
                if let (Some(text), Some(_)) = (self.valid_until_text, self.valid_until) {
                    c.properties
                        .push(("certificate_valid_until".to_string(), text));
                }
                Vec::new()
            }
        };
        c.hardware = HardwareInfo {
            model: self.model,
            firmware: self.firmware,
            serial_numbers: self.serials,
            quantity: self.quantity,
            country_of_origin: self.origin,
            certificates,
            ..HardwareInfo::default()
        }
        .into();
        c.location = self.location;
        for (at, message) in self.unreadable {
            findings
                .push(Finding::new(Code::UnreadableValue, path, at, message).about(c.display_id()));
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_english_headers_and_their_synonyms_are_known() {
        let cases: &[(&[&str], Field)] = &[
            (
                &["设备名称", "名称", "产品名称", "Name", "DEVICE"],
                Field::Name,
            ),
            (&["类别", "设备类别", "Category", "type"], Field::Category),
            (
                &["厂商", "制造商", "生产厂商", "Manufacturer", "vendor"],
                Field::Manufacturer,
            ),
            (&["型号", "规格型号", "Model"], Field::Model),
            (
                &["固件版本", "软件版本", "版本", "Firmware", "Version"],
                Field::Firmware,
            ),
            (
                &[
                    "序列号",
                    "Serial",
                    "Serial Number",
                    "serial_number",
                    "serials",
                ],
                Field::Serial,
            ),
            (
                &["数量", "Quantity", "QTY", "数量（台）", "Quantity (pcs)"],
                Field::Quantity,
            ),
            (
                &[
                    "产地",
                    "原产地",
                    "Country of Origin",
                    "country_of_origin",
                    "Origin",
                    "country",
                ],
                Field::Origin,
            ),
            (&["供应商", "Supplier"], Field::Supplier),
            (
                &["证书编号", "Certificate", "Certificate Number"],
                Field::Certificate,
            ),
            (
                &[
                    "证书有效期",
                    "有效期至",
                    "Certificate Valid Until",
                    "valid until",
                    "certificate_valid_until",
                ],
                Field::CertificateValidUntil,
            ),
            (&["备注", "Notes", "remark"], Field::Notes),
            (&["purl", "PURL"], Field::Purl),
            (&["cpe"], Field::Cpe),
            (
                &["bom-ref", "id", "编号", "资产编号", "Asset No.", "Asset ID"],
                Field::Id,
            ),
            (&["用途", "purpose", "Function"], Field::Purpose),
            (&["位置", "Location"], Field::Location),
            (&["序号", "No.", "*序号"], Field::Sequence),
        ];
        for (labels, field) in cases {
            for label in *labels {
                assert_eq!(Field::from_label(label), Some(*field), "{label}");
            }
        }
        assert_eq!(Field::from_label("单价（元）"), None);
        assert_eq!(Field::from_label("(名称)"), None);
        assert_eq!(Field::from_label(""), None);
    }

    #[test]
    fn a_second_label_for_the_same_field_repeats_the_first() {
        assert_eq!(
            roles(["序号", "名称", "设备名称", "单价", "Name"]),
            vec![
                Role::Field(Field::Sequence),
                Role::Field(Field::Name),
                Role::Repeat(1),
                Role::Unknown,
                Role::Repeat(1)
            ]
        );
    }

    #[test]
    fn text_is_utf8_utf16_or_gb18030() {
        let p = Path::new("x.csv");
        assert_eq!(decode(p, "名称\n".as_bytes()).unwrap(), "名称\n");
        assert_eq!(decode(p, b"\xEF\xBB\xBFname\n").unwrap(), "name\n");
        let (gbk, _, _) = encoding_rs::GB18030.encode("设备名称,型号\n华为,S6850\n");
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(decode(p, &gbk).unwrap(), "设备名称,型号\n华为,S6850\n");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("名称\t型号".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(p, &le).unwrap(), "名称\t型号");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("名称".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(p, &be).unwrap(), "名称");
    }

    #[test]
    fn undecodable_text_is_an_error_naming_the_line() {
        let p = Path::new("x.csv");
        let err = decode(p, b"name,model\nok,ok\nbad\xFF\xFF\n").unwrap_err();
        assert_eq!(err.location, Location::Line(3));
        assert!(
            err.message.contains("neither UTF-8 nor GB18030"),
            "{}",
            err.message
        );
        let err = decode(p, b"\xEF\xBB\xBFname\n\xC3(\n").unwrap_err();
        assert_eq!(err.location, Location::Line(2));
        assert!(decode(p, b"\xFF\xFE\x00")
            .unwrap_err()
            .message
            .contains("UTF-16LE"));
    }

    #[test]
    fn category_text_decides_the_kind() {
        assert_eq!(kind_from_category("网络设备"), ComponentType::Device);
        assert_eq!(kind_from_category("安全设备/防火墙"), ComponentType::Device);
        assert_eq!(kind_from_category("BMC 固件"), ComponentType::Firmware);
        assert_eq!(kind_from_category("Firmware"), ComponentType::Firmware);
        assert_eq!(
            kind_from_category("操作系统"),
            ComponentType::OperatingSystem
        );
        assert_eq!(
            kind_from_category("Operating System"),
            ComponentType::OperatingSystem
        );
        assert_eq!(kind_from_category("数据库"), ComponentType::Application);
        assert_eq!(kind_from_category("中间件"), ComponentType::Application);
        assert_eq!(kind_from_category("应用软件"), ComponentType::Application);
        assert_eq!(
            kind_from_category("Security software"),
            ComponentType::Application
        );
        assert_eq!(kind_from_category("软硬件一体机"), ComponentType::Device);
        assert_eq!(kind_from_category(""), ComponentType::Device);
    }

    #[test]
    fn quantities_are_whole_numbers_with_an_optional_unit() {
        assert_eq!(parse_quantity("2"), Some(2));
        assert_eq!(parse_quantity(" 12 "), Some(12));
        assert_eq!(parse_quantity("2台"), Some(2));
        assert_eq!(parse_quantity("4 PCS"), Some(4));
        assert_eq!(parse_quantity("0"), Some(0));
        assert_eq!(parse_quantity("两台"), None);
        assert_eq!(parse_quantity("2.5"), None);
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("台"), None);
        assert_eq!(parse_quantity("2 boxes"), None);
        assert_eq!(parse_quantity("99999999999999999999999"), None);
    }

    #[test]
    fn dates_are_read_in_the_ways_chinese_lists_write_them() {
        let d = NaiveDate::from_ymd_opt(2027, 6, 30);
        for text in [
            "2027-06-30",
            "2027/6/30",
            "2027年6月30日",
            "2027.06.30",
            "20270630",
            "2027/6/30 0:00",
            " 2027-6-30 ",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        for text in [
            "2027-02-30",
            "30/06/2027",
            "20２7063",
            "2027063日",
            "长期有效",
            "2027-06",
            "",
            "2027-06-30 noon",
            "27-6-30",
            "2027年6月",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn serial_cells_may_list_several() {
        let serials: Vec<String> =
            split_serials("2102A1;2102A2、2102A3，2102A4\n2102A5; ").collect();
        assert_eq!(serials, ["2102A1", "2102A2", "2102A3", "2102A4", "2102A5"]);
    }

    #[test]
    fn a_draft_becomes_a_component() {
        let mut d = Draft::new("3".into());
        d.set(Field::Name, "设备名称", "核心交换机", "3");
        d.set(Field::Category, "类别", "网络设备", "3");
        d.set(Field::Manufacturer, "厂商", "华为技术有限公司", "3");
        d.set(Field::Origin, "产地", "中国", "3");
        d.set(Field::Model, "型号", "CloudEngine S12708", "3");
        d.set(Field::Firmware, "固件版本", "V200R022C00", "3");
        d.set(Field::Serial, "序列号", "A1;A2", "3");
        d.set(Field::Quantity, "数量", "2台", "3");
        d.set(Field::Certificate, "证书编号", "CCC-2023-001", "3");
        d.set(Field::CertificateValidUntil, "证书有效期", "2027/6/30", "3");
        d.set(Field::Notes, "备注", "  ", "3");
        let mut findings = Vec::new();
        let c = d
            .finish("row-3".into(), Path::new("hw.csv"), &mut findings)
            .unwrap();
        assert!(findings.is_empty());
        assert_eq!(c.key, "row-3");
        assert_eq!(c.bom_ref, None);
        assert_eq!(c.kind, ComponentType::Device);
        assert_eq!(c.version.as_deref(), Some("CloudEngine S12708"));
        assert_eq!(c.description, None);
        let m = c.manufacturer.unwrap();
        assert_eq!(
            (m.name.as_str(), m.country.as_deref()),
            ("华为技术有限公司", Some("中国"))
        );
        assert_eq!(c.hardware.serial_numbers, ["A1", "A2"]);
        assert_eq!(c.hardware.quantity, Some(2));
        assert_eq!(c.hardware.country_of_origin.as_deref(), Some("中国"));
        assert_eq!(
            c.hardware.certificates[0].valid_until,
            NaiveDate::from_ymd_opt(2027, 6, 30)
        );
        assert_eq!(
            c.properties,
            [("category".to_string(), "网络设备".to_string())]
        );
        assert_eq!(c.location, "3");
    }

    #[test]
    fn without_a_model_the_firmware_is_the_version_and_an_id_is_the_key() {
        let mut d = Draft::new("5".into());
        d.set(Field::Name, "name", "BMC", "5");
        d.set(Field::Firmware, "firmware", "3.1.2", "5");
        d.set(Field::Id, "id", "ZC-2024-0107", "5");
        d.set(
            Field::CertificateValidUntil,
            "valid until",
            "2026-01-01",
            "5",
        );
        let c = d
            .finish("row-5".into(), Path::new("hw.csv"), &mut Vec::new())
            .unwrap();
        assert_eq!(c.version.as_deref(), Some("3.1.2"));
        assert_eq!(c.key, "ZC-2024-0107");
        assert_eq!(c.bom_ref.as_deref(), Some("ZC-2024-0107"));
        assert!(c.hardware.certificates.is_empty());
        assert_eq!(c.property("certificate_valid_until"), Some("2026-01-01"));
    }

    #[test]
    fn unreadable_values_are_findings_and_kept_as_properties() {
        let mut d = Draft::new("4".into());
        d.set(Field::Name, "名称", "防火墙", "4");
        d.set(Field::Quantity, "数量", "两台", "4");
        d.set(Field::Certificate, "证书编号", "XKZ-0001", "4");
        d.set(Field::CertificateValidUntil, "有效期至", "长期", "4");
        let mut findings = Vec::new();
        let c = d
            .finish("row-4".into(), Path::new("hw.csv"), &mut findings)
            .unwrap();
        assert_eq!(c.hardware.quantity, None);
        assert_eq!(c.property("quantity"), Some("两台"));
        assert_eq!(
            c.hardware.certificates,
            [Certificate {
                number: "XKZ-0001".into(),
                valid_until: None
            }]
        );
        assert_eq!(c.property("certificate_valid_until"), Some("长期"));
        assert_eq!(findings.len(), 2);
        assert!(findings
            .iter()
            .all(|f| f.code == Code::UnreadableValue && f.location == "4"));
        assert!(
            findings[0]
                .message
                .en()
                .contains("数量 '两台' is not a whole number")
                && findings[0].message.zh().contains("数量 '两台' 不是整数"),
            "{:?}",
            findings[0].message
        );
        assert_eq!(findings[0].component.as_deref(), Some("防火墙"));
    }

    proptest::proptest! {
        // Whatever the bytes, reading them gives a document or an error, never a panic.
        #[test]
        fn any_bytes_read_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse_csv(Path::new("x.csv"), &bytes);
            let _ = parse_toml(Path::new("x.toml"), &bytes);
        }

        #[test]
        fn any_table_like_text_reads_without_panicking(text in "[名称型号数量有效期至序列号,;\t\"\r\n 0-9a-z=\\[\\]年月日、-]{0,200}") {
            let _ = parse_csv(Path::new("x.csv"), text.as_bytes());
            let _ = parse_toml(Path::new("x.toml"), text.as_bytes());
            let header = format!("名称,数量,有效期至,序列号\n{text}");
            let _ = parse_csv(Path::new("x.csv"), header.as_bytes());
            let _ = parse_date(&text);
            let _ = parse_quantity(&text);
        }
    }

    #[test]
    fn a_draft_without_a_name_is_no_component() {
        let mut d = Draft::new("2".into());
        d.set(Field::Model, "型号", "S6850", "2");
        assert!(d
            .finish("row-2".into(), Path::new("x"), &mut Vec::new())
            .is_none());
    }
}
