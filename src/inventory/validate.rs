//! `inventory validate`: the official schema's verdict on each file (see [`super::schema`]),
//! with anbao's own checks beside it as findings (dangling references, duplicate bom-refs,
//! missing versions ...).

use super::schema::{self, SchemaRef, Verdict, Violation};
use super::{detect, Finding, Format, Inventory};
use crate::error::InputError;
use crate::i18n::Bilingual;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The outcome of validating one file.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub file: PathBuf,
    pub format: Format,
    pub spec_version: String,
    /// The official schema the file was checked against; absent for formats without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaRef>,
    /// What was checked, in words.
    pub checked: Bilingual,
    pub violations: Vec<Violation>,
    /// Why anbao could not read the file into its model, when it could not: the schema's
    /// violations then say what is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    pub findings: Vec<Finding>,
}

impl Validation {
    /// Whether the file follows its schema and anbao's structural rules.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
            && self.unreadable.is_none()
            && !self.findings.iter().any(Finding::breaks_spec)
    }
}

/// Validates one file. `Err` means it could not be judged: unreadable, of no known format, or
/// a document anbao cannot read although its schema (if any) accepts it.
pub fn validate_file(path: &Path) -> Result<Validation, InputError> {
    let bytes = super::read_file(path)?;
    let format = detect::detect(path, &bytes)?;
    let outcome = schema::validate(path, format, &bytes)?;
    let (schema, violations, schema_words) = match outcome.verdict {
        Verdict::Checked { schema, violations } => {
            let words = Bilingual::format(
                format_args!("官方模式 {}（{}）", schema.name, schema.file),
                format_args!("the official {} ({})", schema.name, schema.file),
            );
            (Some(schema), violations, words)
        }
        Verdict::NoSchema(why) => (None, Vec::new(), why),
        Verdict::NoSuchVersion(violation) => {
            let words = Bilingual::new("文档指明的版本", "the version the document states");
            (None, vec![violation], words)
        }
    };
    let checked = Bilingual::format(
        format_args!(
            "{}；另有 anbao 的检查：引用能否对应、标识是否重复、版本是否缺失",
            schema_words.zh()
        ),
        format_args!(
            "{}; and anbao's checks: references resolve, identifiers are unique, versions are present",
            schema_words.en()
        ),
    );
    let (spec_version, unreadable, findings) = match super::parse_bytes(path, &bytes) {
        Ok(doc) => {
            let version = doc.meta.spec_version.clone();
            (version, None, Inventory::from_documents(vec![doc]).findings)
        }
        // The schema explains what it rejects; anbao's reader failing on such a file is
        // part of the same verdict, not a failure to run.
        Err(e) if !violations.is_empty() => (outcome.version, Some(e.to_string()), Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(Validation {
        file: path.to_path_buf(),
        format,
        spec_version,
        schema,
        checked,
        violations,
        unreadable,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(content: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn schema_violations_name_the_pointer_and_the_rule() {
        let f = temp(
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
            "components":[{"type":"library","version":"1"}]}"#,
        );
        let v = validate_file(f.path()).unwrap();
        assert!(!v.is_valid());
        assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
        let x = &v.violations[0];
        assert_eq!(x.location, "/components/0");
        assert!(
            x.rule.starts_with("required @ bom-1.6.schema.json#"),
            "{}",
            x.rule
        );
        assert!(x.message.en().contains("\"name\""), "{}", x.message.en());
        assert!(
            x.message.zh().contains("缺少必需的属性"),
            "{}",
            x.message.zh()
        );
    }

    #[test]
    fn a_file_anbao_cannot_read_is_invalid_when_its_schema_says_why() {
        let f = temp(
            br#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":"none"}"#,
        );
        let v = validate_file(f.path()).unwrap();
        assert!(v.unreadable.is_some());
        assert_eq!(v.violations[0].location, "/components");
    }

    #[test]
    fn semantic_checks_stay_findings_beside_the_schema_verdict() {
        let f = temp(
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
            "components":[{"type":"library","name":"x","bom-ref":"a"}],
            "dependencies":[{"ref":"a","dependsOn":["b"]}]}"#,
        );
        let v = validate_file(f.path()).unwrap();
        assert!(v.violations.is_empty(), "{:?}", v.violations);
        assert!(!v.is_valid(), "a dangling reference breaks the spec's rule");
        assert!(v.findings.iter().any(|f| f.breaks_spec()));
    }
}
