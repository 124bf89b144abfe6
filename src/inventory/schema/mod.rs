//! Validation against the official schemas of each format, shipped in `schemas/` under their
//! licences: CycloneDX JSON 1.2–1.7 and SPDX 2.2/2.3 and 3.0 JSON through a JSON Schema
//! validator, CycloneDX XML 1.2–1.7 against the XSDs through libxml2.
//!
//! The schemas are compiled into the binary, and every reference between them resolves to the
//! embedded copies: validation never reaches the network or the file system.

mod json;
mod message;
mod xsd;

use super::Format;
use crate::error::InputError;
use crate::i18n::Bilingual;
use serde::Serialize;
use std::path::Path;

/// A schema a document is validated against: its name and the file in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SchemaRef {
    /// What the schema is, e.g. `CycloneDX 1.6 JSON schema`.
    pub name: &'static str,
    /// The shipped copy, relative to the repository root.
    pub file: &'static str,
}

/// One place where a document breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// A JSON pointer (`/components/3/name`) or `line:column` (XML).
    pub location: String,
    /// The rule broken: a JSON Schema keyword with the place of the rule in its schema
    /// (`required @ bom-1.6.schema.json#/definitions/component`), or the XSD validation
    /// constraint (`cvc-complex-type.2.4.a`).
    pub rule: String,
    pub message: Bilingual,
}

/// What schema validation said about one document.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The document was checked against `schema`; no violations means it is valid.
    Checked {
        schema: SchemaRef,
        violations: Vec<Violation>,
    },
    /// The format or version has no official schema anbao ships; says why.
    NoSchema(Bilingual),
    /// The document states a version its format never had (`specVersion` "12"): no schema
    /// applies, and that alone makes it invalid.
    NoSuchVersion(Violation),
}

/// What schema validation said about one document, and the spec version it read there.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The version the document states (`specVersion`, the XML namespace, `spdxVersion`, the
    /// SPDX 3 context), as anbao names it; empty where the format states none.
    pub version: String,
    pub verdict: Verdict,
}

/// Validates a document of `format` against the official schema of the version it states.
/// `bytes` is the whole file `path`, a UTF-8 byte-order mark allowed.
///
/// Returns `Err` only when the document cannot be read as JSON or XML at all, or when the
/// validator itself fails; everything the schema rejects is a [`Violation`].
pub fn validate(path: &Path, format: Format, bytes: &[u8]) -> Result<Outcome, InputError> {
    let no_schema = |why: Bilingual| {
        Ok(Outcome {
            version: String::new(),
            verdict: Verdict::NoSchema(why),
        })
    };
    match format {
        Format::CycloneDxJson | Format::SpdxJson | Format::Spdx3JsonLd => {
            json::validate(path, format, bytes)
        }
        Format::CycloneDxXml => xsd::validate(bytes).map_err(|e| InputError::whole_file(path, e)),
        Format::SpdxTagValue => no_schema(Bilingual::new(
            "SPDX 标签值格式没有官方模式；已按 SPDX 规范检查各标签能否读取",
            "SPDX tag-value has no official schema; each tag was read as the SPDX specification defines it",
        )),
        Format::CargoLock => no_schema(Bilingual::new(
            "Cargo.lock 没有官方模式；已检查 TOML 语法、每个包的名称和版本、依赖能否对应到包",
            "Cargo.lock has no official schema; checked the TOML syntax, each package's name and version, and that every dependency names a package",
        )),
        Format::HardwareCsv => no_schema(Bilingual::new(
            "设备清单 CSV 没有官方模式；已检查编码、表头、每行列数、能识别的列、数量和日期能否读取",
            "a hardware CSV has no official schema; checked its encoding, header, the number of cells in each row, which columns are known, and that quantities and dates can be read",
        )),
        Format::HardwareToml => no_schema(Bilingual::new(
            "设备清单 TOML 没有官方模式；已检查 TOML 语法、能识别的键、数量和日期能否读取",
            "a hardware TOML list has no official schema; checked the TOML syntax, which keys are known, and that quantities and dates can be read",
        )),
    }
}

/// Orders two places (JSON pointers or `line:column`) as they come in the document: array
/// indexes and line numbers compare as numbers, so `/components/9` comes before
/// `/components/10`.
fn document_order(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split(['/', ':'])
            .map(|p| match p.parse::<u64>() {
                Ok(n) => (n, String::new()),
                Err(_) => (u64::MAX, p.to_string()),
            })
            .collect()
    };
    parts(a).cmp(&parts(b))
}

/// CycloneDX versions that exist but that anbao ships no schema for (nor reads).
const OLD_CYCLONEDX: [&str; 2] = ["1.0", "1.1"];

/// The verdict on a document whose version has no shipped schema: for CycloneDX, a version
/// that never existed is a violation at `location`; any other is simply not checked.
fn unknown_version(format: Format, version: &str, location: String) -> Verdict {
    let cyclonedx = matches!(format, Format::CycloneDxJson | Format::CycloneDxXml);
    if cyclonedx && !OLD_CYCLONEDX.contains(&version) {
        let (rule, what) = match format {
            Format::CycloneDxXml => ("xmlns", "namespace"),
            _ => ("specVersion", "specVersion"),
        };
        let known = crate::inventory::cyclonedx::SUPPORTED_VERSIONS.join(", ");
        return Verdict::NoSuchVersion(Violation {
            location,
            rule: rule.to_string(),
            message: Bilingual::format(
                format_args!("{what} 指明的 CycloneDX 版本 '{version}' 不存在；官方模式有 {known}"),
                format_args!("the {what} names CycloneDX version '{version}', which does not exist; official schemas exist for {known}"),
            ),
        });
    }
    Verdict::NoSchema(Bilingual::format(
        format_args!("{format} {version} 没有随附的官方模式"),
        format_args!("no official schema is shipped for {format} {version}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violations(format: Format, version: &str, text: &str) -> Vec<Violation> {
        let outcome = validate(Path::new("example"), format, text.as_bytes()).unwrap();
        assert_eq!(outcome.version, version);
        match outcome.verdict {
            Verdict::Checked { violations, .. } => violations,
            Verdict::NoSchema(why) => panic!("no schema: {}", why.en()),
            Verdict::NoSuchVersion(v) => panic!("no such version: {}", v.message.en()),
        }
    }

    #[test]
    fn every_cyclonedx_version_has_both_schemas() {
        for v in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
            let json = format!(
                r#"{{"bomFormat":"CycloneDX","specVersion":"{v}","version":1,"components":[]}}"#
            );
            assert_eq!(violations(Format::CycloneDxJson, v, &json), [], "{v} JSON");
            let xml = format!(r#"<bom xmlns="http://cyclonedx.org/schema/bom/{v}" version="1"/>"#);
            assert_eq!(violations(Format::CycloneDxXml, v, &xml), [], "{v} XML");
        }
    }

    #[test]
    fn places_are_ordered_as_in_the_document() {
        let mut pointers = ["/components/10", "/components/9/name", "/components"];
        pointers.sort_by(|a, b| document_order(a, b));
        assert_eq!(
            pointers,
            ["/components", "/components/9/name", "/components/10"]
        );
        let mut places = ["12:3", "9:40", "9:5"];
        places.sort_by(|a, b| document_order(a, b));
        assert_eq!(places, ["9:5", "9:40", "12:3"]);
    }

    #[test]
    fn formats_without_a_schema_say_what_was_checked() {
        let Verdict::NoSchema(why) =
            validate(Path::new("example.csv"), Format::HardwareCsv, b"a,b")
                .unwrap()
                .verdict
        else {
            panic!("a hardware CSV has no schema");
        };
        assert!(why.en().contains("columns"), "{}", why.en());
        assert!(why.zh().contains("表头"), "{}", why.zh());
        let old = br#"{"bomFormat":"CycloneDX","specVersion":"1.1"}"#;
        let outcome = validate(Path::new("old.cdx.json"), Format::CycloneDxJson, old).unwrap();
        assert_eq!(outcome.version, "1.1");
        assert!(matches!(outcome.verdict, Verdict::NoSchema(_)));
    }
}
