//! Hardware inventories as TOML: one `[[device]]` (or `[[设备]]`) table per device, keyed like
//! the CSV headers (English snake_case or Chinese), and an optional `[inventory]` table.
//!
//! ```toml
//! [inventory]
//! name = "XX市政务云平台 硬件设备清单"
//! owner = "XX市大数据中心"
//! date = 2026-03-01
//!
//! [[device]]
//! name = "核心交换机"
//! manufacturer = "华为技术有限公司"
//! model = "CloudEngine S12708"
//! serials = ["2102351", "2102352"]
//! quantity = 2
//! country_of_origin = "中国"
//! certificate_valid_until = 2027-06-30
//! ```
//!
//! Values of the wrong type (a number for a name, a float for a quantity) are input errors with
//! line and column; quantities and dates written as text are read like CSV cells. The inventory's
//! `name` and `date` become the document's name and timestamp, its `owner` the author; its
//! `notes` are accepted and not kept, as a document has no place for them.

use super::{decode, roles, Draft, Field, Role};
use crate::error::{InputError, Location};
use crate::i18n::Bilingual;
use crate::inventory::{Code, Component, Document, DocumentMeta, Finding, Format, Party};
use crate::workspace::toml_error;
use ::toml::de::{DeTable, DeValue};
use ::toml::Spanned;
use chrono::NaiveDate;
use std::ops::Range;
use std::path::Path;

/// Parses a TOML hardware inventory.
pub fn parse_toml(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let text = decode(path, bytes)?;
    let root = parse_document(path, &text)?;
    let file = Source { path, text: &text };
    let mut doc = Document::new(path, Format::HardwareToml);
    doc.meta.spec_version = "hardware-toml".to_string();
    let mut devices: Vec<(Range<usize>, &DeTable<'_>)> = Vec::new();
    for (key, value) in in_file_order(root.get_ref()) {
        match key.get_ref().as_ref() {
            "device" | "设备" => {
                let Some(items) = value.get_ref().as_array() else {
                    return Err(file.error(value.span(), "devices are written as [[device]] tables"));
                };
                for item in items {
                    let Some(table) = item.get_ref().as_table() else {
                        return Err(file.error(item.span(), "a device must be a table, as [[device]]"));
                    };
                    devices.push((item.span(), table));
                }
            }
            "inventory" => {
                let Some(table) = value.get_ref().as_table() else {
                    return Err(file.error(value.span(), "inventory must be a table, as [inventory]"));
                };
                read_inventory(&file, table, &mut doc.meta, &mut doc.findings)?;
            }
            other => doc.findings.push(Finding::new(
                Code::UnknownColumn,
                path,
                file.at(key.span()),
                Bilingual::format(
                    format_args!("顶层键 '{other}' 不属于硬件清单（[[device]]、[inventory]），已忽略"),
                    format_args!("top-level key '{other}' is not part of a hardware inventory ([[device]], [inventory]); it is ignored"),
                ),
            )),
        }
    }
    devices.sort_by_key(|(span, _)| span.start);
    for (i, (span, table)) in devices.into_iter().enumerate() {
        let device = read_device(&file, i + 1, span, table, &mut doc.findings)?;
        doc.components.push(device);
    }
    Ok(doc)
}

/// Parses the TOML, accepting one departure from the standard: keys in Chinese written without
/// quotes (`设备名称 = "..."`, `[[设备]]`). TOML wants those quoted, but that is how people write
/// them, and the meaning is not in doubt.
fn parse_document<'i>(path: &Path, text: &'i str) -> Result<Spanned<DeTable<'i>>, InputError> {
    let (root, errors) = DeTable::parse_recoverable(text);
    match errors.iter().find(|e| !is_bare_unicode_key(text, e)) {
        Some(e) => Err(toml_error(path, text, e)),
        None => Ok(root),
    }
}

/// Whether `e` only complains that a key of letters (some not ASCII), digits, `-` and `_` is not
/// quoted. The message is checked too, so that another error on the same key (a duplicate) is
/// still an error; should the wording change, such keys become errors again, never silently read.
fn is_bare_unicode_key(text: &str, e: &::toml::de::Error) -> bool {
    let Some(key) = e.span().and_then(|span| text.get(span)) else {
        return false;
    };
    e.message().contains("unquoted key")
        && !key.is_ascii()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The file being read, for turning byte spans into line:column.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn location(&self, span: Range<usize>) -> Location {
        Location::from_offset(self.text.as_bytes(), span.start)
    }

    fn at(&self, span: Range<usize>) -> String {
        self.location(span).to_string()
    }

    fn error(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::new(self.path, self.location(span), message)
    }
}

/// A table's entries in the order they are written; the map itself may sort them by key.
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn read_inventory(
    file: &Source<'_>,
    table: &DeTable<'_>,
    meta: &mut DocumentMeta,
    findings: &mut Vec<Finding>,
) -> Result<(), InputError> {
    for (key, value) in in_file_order(table) {
        let label = key.get_ref().as_ref();
        let text = || -> Result<String, InputError> {
            match value.get_ref() {
                DeValue::String(s) => Ok(s.trim().to_string()),
                DeValue::Datetime(d) if label == "date" || label == "日期" => Ok(d.to_string()),
                other => Err(wrong_type(file, label, value.span(), other, "a string")),
            }
        };
        match label {
            "name" | "名称" => meta.name = Some(text()?).filter(|s| !s.is_empty()),
            "date" | "日期" => meta.timestamp = Some(text()?).filter(|s| !s.is_empty()),
            "owner" | "单位" => {
                let owner = text()?;
                if !owner.is_empty() {
                    meta.authors.push(Party::named(owner));
                }
            }
            "notes" | "备注" => {
                text()?;
            }
            _ => findings.push(Finding::new(
                Code::UnknownColumn,
                file.path,
                file.at(key.span()),
                Bilingual::format(
                    format_args!("[inventory] 中的键 '{label}' 无法识别（可用 name、owner、date、notes），已忽略"),
                    format_args!("key '{label}' of [inventory] is not known (name, owner, date, notes); it is ignored"),
                ),
            )),
        }
    }
    Ok(())
}

/// Reads the `ordinal`-th device table, written at `span`.
fn read_device(
    file: &Source<'_>,
    ordinal: usize,
    span: Range<usize>,
    table: &DeTable<'_>,
    findings: &mut Vec<Finding>,
) -> Result<Component, InputError> {
    let entries = in_file_order(table);
    let roles = roles(entries.iter().map(|(key, _)| key.get_ref().as_ref()));
    let mut draft = Draft::new(file.at(span.clone()));
    for ((key, value), role) in entries.iter().zip(&roles) {
        let label = key.get_ref().as_ref();
        let at = file.at(key.span());
        let field = match *role {
            Role::Field(field) => field,
            Role::Unknown | Role::Repeat(_) => {
                let message = match role {
                    Role::Repeat(first) => {
                        let first = entries[*first].0.get_ref();
                        Bilingual::format(
                            format_args!("键 '{label}' 与 '{first}' 含义相同，读取的是后者；本键的值保留为属性 '{label}'"),
                            format_args!("key '{label}' means the same as '{first}', which is the one read; its value is kept as property '{label}'"),
                        )
                    }
                    _ => Bilingual::format(
                        format_args!("键 '{label}' 不是 anbao 认识的硬件清单键；其值保留为属性 '{label}'"),
                        format_args!("key '{label}' is not a hardware-inventory key anbao knows; its value is kept as property '{label}'"),
                    ),
                };
                findings.push(Finding::new(Code::UnknownColumn, file.path, at, message));
                draft.property(label, &render(value.get_ref()));
                continue;
            }
        };
        match (field, value.get_ref()) {
            (_, DeValue::String(s)) => draft.set(field, label, s, &at),
            (Field::Serial, DeValue::Array(items)) => {
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => draft.set(Field::Serial, label, s, &at),
                        other => {
                            return Err(wrong_type(file, label, item.span(), other, "a string"))
                        }
                    }
                }
            }
            (Field::Quantity, DeValue::Integer(n)) => {
                let count = u64::from_str_radix(n.as_str(), n.radix()).map_err(|_| {
                    file.error(
                        value.span(),
                        format!("'{label}' must be a whole number of zero or more"),
                    )
                })?;
                draft.quantity = Some(count);
            }
            (Field::CertificateValidUntil, DeValue::Datetime(d)) => {
                let date = d
                    .date
                    .and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(d.year),
                            u32::from(d.month),
                            u32::from(d.day),
                        )
                    })
                    .ok_or_else(|| {
                        file.error(
                            value.span(),
                            format!("'{label}' must be a date such as 2027-06-30"),
                        )
                    })?;
                draft.set(field, label, &date.to_string(), &at);
            }
            (Field::Serial, other) => {
                return Err(wrong_type(
                    file,
                    label,
                    value.span(),
                    other,
                    "a string or an array of strings",
                ))
            }
            (Field::Quantity, other) => {
                return Err(wrong_type(
                    file,
                    label,
                    value.span(),
                    other,
                    "a whole number",
                ))
            }
            (Field::CertificateValidUntil, other) => {
                return Err(wrong_type(file, label, value.span(), other, "a date"))
            }
            (_, other) => return Err(wrong_type(file, label, value.span(), other, "a string")),
        }
    }
    draft
        .finish(format!("device-{ordinal}"), file.path, findings)
        .ok_or_else(|| {
            file.error(
                span,
                "this device has no name: give it `name = \"...\"` (or 设备名称)",
            )
        })
}

fn wrong_type(
    file: &Source<'_>,
    label: &str,
    span: Range<usize>,
    found: &DeValue<'_>,
    wanted: &str,
) -> InputError {
    file.error(
        span,
        format!("'{label}' must be {wanted}, not {}", found.type_str()),
    )
}

/// A value as text, for keeping a key anbao does not know as a property.
fn render(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(n) => n.to_string(),
        DeValue::Float(x) => x.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => items
            .iter()
            .map(|i| render(i.get_ref()))
            .collect::<Vec<_>>()
            .join("; "),
        DeValue::Table(t) => {
            let entries: Vec<String> = in_file_order(t)
                .into_iter()
                .map(|(k, v)| format!("{} = {}", k.get_ref(), render(v.get_ref())))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Certificate, ComponentType};

    fn parse(text: &str) -> Result<Document, InputError> {
        parse_toml(Path::new("hw.toml"), text.as_bytes())
    }

    #[test]
    fn devices_and_inventory_are_read() {
        let doc = parse(
            r#"
[inventory]
name = "政务云硬件清单"
owner = "XX市大数据中心"
date = 2026-03-01
notes = "示例"

[[device]]
id = "ZC-001"
name = "核心交换机"
category = "网络设备"
manufacturer = "华为技术有限公司"
model = "CloudEngine S12708"
firmware = "V200R022C00"
serials = ["2102351", "2102352"]
quantity = 2
country_of_origin = "中国"
supplier = "某某集成公司"
certificate = "XKZ-2023-001"
certificate_valid_until = 2027-06-30
notes = "机房A"
purpose = "核心汇聚"
location = "机房A-03"

[[设备]]
设备名称 = "服务器"
类别 = "服务器"
数量 = "4台"
序列号 = "A;B"
证书有效期 = "2027年6月30日"
"#,
        )
        .unwrap();
        assert!(doc.findings.is_empty(), "{:?}", doc.findings);
        assert_eq!(doc.meta.spec_version, "hardware-toml");
        assert_eq!(doc.meta.name.as_deref(), Some("政务云硬件清单"));
        assert_eq!(doc.meta.timestamp.as_deref(), Some("2026-03-01"));
        assert_eq!(doc.meta.authors, [Party::named("XX市大数据中心")]);
        assert!(doc.meta.roots.is_empty());
        let c = &doc.components[0];
        assert_eq!(c.key, "ZC-001");
        assert_eq!(c.location, "8:1");
        assert_eq!(c.kind, ComponentType::Device);
        assert_eq!(c.version.as_deref(), Some("CloudEngine S12708"));
        assert_eq!(c.hardware.serial_numbers, ["2102351", "2102352"]);
        assert_eq!(c.hardware.quantity, Some(2));
        assert_eq!(
            c.hardware.certificates,
            [Certificate {
                number: "XKZ-2023-001".into(),
                valid_until: NaiveDate::from_ymd_opt(2027, 6, 30)
            }]
        );
        assert_eq!(
            c.manufacturer.as_ref().unwrap().country.as_deref(),
            Some("中国")
        );
        assert_eq!(c.description.as_deref(), Some("机房A"));
        assert_eq!(
            c.properties,
            [
                ("category", "网络设备"),
                ("purpose", "核心汇聚"),
                ("location", "机房A-03")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let s = &doc.components[1];
        assert_eq!(s.key, "device-2");
        assert_eq!(s.location, "25:1");
        assert_eq!(s.hardware.quantity, Some(4));
        assert_eq!(s.hardware.serial_numbers, ["A", "B"]);
        assert_eq!(s.property("certificate_valid_until"), Some("2027年6月30日"));
    }

    #[test]
    fn unknown_keys_are_findings_with_line_and_column_and_kept() {
        let doc = parse(
            "[[device]]\nname = \"防火墙\"\n  price = 120000\ncolour = [\"red\", \"blue\"]\n",
        )
        .unwrap();
        assert_eq!(doc.findings.len(), 2);
        assert_eq!(doc.findings[0].code, Code::UnknownColumn);
        assert_eq!(doc.findings[0].location, "3:3");
        assert!(doc.findings[0].message.en().contains("'price'"));
        assert!(doc.findings[0].message.zh().contains("键 'price'"));
        let c = &doc.components[0];
        assert_eq!(c.property("price"), Some("120000"));
        assert_eq!(c.property("colour"), Some("red; blue"));
    }

    #[test]
    fn repeated_keys_and_stray_top_level_keys_are_reported() {
        let doc = parse("title = \"x\"\n[[device]]\nname = \"A\"\n设备名称 = \"B\"\n").unwrap();
        assert_eq!(doc.findings.len(), 2);
        assert_eq!(doc.findings[0].location, "1:1");
        assert!(
            doc.findings[1].message.en().contains("same as 'name'")
                && doc.findings[1].message.zh().contains("与 'name' 含义相同"),
            "{:?}",
            doc.findings[1].message
        );
        assert_eq!(doc.components[0].name, "A");
        assert_eq!(doc.components[0].property("设备名称"), Some("B"));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse("[[device]]\nname = \"A\"\nmodel = S6850\n").unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 3, .. }),
            "{err}"
        );
        let err = parse("[[device]]\nname = \"A\"\nname = \"B\"\n").unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 3, .. }),
            "{err}"
        );
    }

    #[test]
    fn chinese_keys_may_be_bare_or_quoted_but_not_repeated() {
        let doc =
            parse("[[设备]]\n设备名称 = \"A\"\n[[\"设备\"]]\n\"设备名称\" = \"B\"\n").unwrap();
        let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        let err = parse("[[设备]]\n设备名称 = \"A\"\n设备名称 = \"B\"\n").unwrap_err();
        assert_eq!(err.location, Location::LineCol { line: 3, column: 1 });
        assert!(parse("[[device]]\nname = \"A\"\n型号 x = \"B\"\n").is_err());
    }

    #[test]
    fn wrong_value_types_are_errors_with_line_and_column() {
        for (text, wanted) in [
            ("[[device]]\nname = 5\n", "must be a string, not integer"),
            ("[[device]]\nname = \"A\"\nquantity = 2.5\n", "whole number"),
            ("[[device]]\nname = \"A\"\nquantity = -1\n", "zero or more"),
            (
                "[[device]]\nname = \"A\"\nserial = [1]\n",
                "must be a string",
            ),
            (
                "[[device]]\nname = \"A\"\ncertificate_valid_until = 10:00:00\n",
                "must be a date",
            ),
            (
                "[[device]]\nname = \"A\"\ncertificate_valid_until = true\n",
                "must be a date",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(wanted), "{text}: {err}");
            assert!(
                matches!(err.location, Location::LineCol { line: 2 | 3, .. }),
                "{text}: {err}"
            );
        }
        let err = parse("[device]\nname = \"A\"\n").unwrap_err();
        assert!(err.message.contains("[[device]]"), "{err}");
        let err = parse("inventory = 1\n").unwrap_err();
        assert!(err.message.contains("[inventory]"), "{err}");
    }

    #[test]
    fn a_device_without_a_name_is_an_error_at_its_table() {
        let err = parse("[[device]]\nname = \"A\"\n\n[[device]]\nmodel = \"S6850\"\n").unwrap_err();
        assert_eq!(err.location, Location::LineCol { line: 4, column: 1 });
        assert!(err.message.contains("no name"), "{err}");
    }

    #[test]
    fn text_quantities_and_dates_that_cannot_be_read_are_findings() {
        let doc = parse("[[device]]\nname = \"A\"\nquantity = \"若干\"\ncertificate = \"X\"\ncertificate_valid_until = \"长期\"\n").unwrap();
        assert_eq!(doc.findings.len(), 2);
        assert!(doc.findings.iter().all(|f| f.code == Code::UnreadableValue));
        assert_eq!(doc.findings[0].location, "3:1");
        assert_eq!(doc.components[0].property("quantity"), Some("若干"));
        assert_eq!(doc.components[0].hardware.certificates[0].valid_until, None);
    }

    #[test]
    fn an_inventory_table_alone_is_an_empty_document() {
        let doc = parse("[inventory]\nname = \"空清单\"\nextra = 1\n").unwrap();
        assert!(doc.components.is_empty());
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].location, "3:1");
    }

    #[test]
    fn gb18030_toml_is_read_too() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("[[设备]]\n设备名称 = \"飞腾服务器\"\n");
        let doc = parse_toml(Path::new("hw.toml"), &gbk).unwrap();
        assert_eq!(doc.components[0].name, "飞腾服务器");
    }
}
