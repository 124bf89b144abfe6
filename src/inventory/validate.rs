//! `inventory validate`: strict CycloneDX 1.3 to 1.5 validation through `cyclonedx-bom`, and
//! anbao's own structural checks for every format.

use super::{Document, Finding, Format, Inventory};
use crate::error::InputError;
use cyclonedx_bom::models::bom::{Bom, SpecVersion};
use cyclonedx_bom::validation::{Validate, ValidationErrorsKind, ValidationResult};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One rule of the CycloneDX specification that the document breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecViolation {
    /// Dotted path into the document, e.g. `components[3].purl`.
    pub path: String,
    pub message: String,
}

/// The outcome of validating one file.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub file: PathBuf,
    pub format: Format,
    pub spec_version: String,
    /// Whether the spec's own rules were checked (CycloneDX 1.3 to 1.5), beyond anbao's.
    pub strict: bool,
    pub violations: Vec<SpecViolation>,
    pub findings: Vec<Finding>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Validates one file: it must parse (else `Err`); then spec rules and findings are collected.
pub fn validate_file(path: &Path) -> Result<Validation, InputError> {
    let bytes = crate::fsutil::read(path, crate::fsutil::DOCUMENT_LIMIT)?;
    let doc = super::parse_bytes(path, &bytes)?;
    let violations = match (doc.format, spec_version(&doc)) {
        (Format::CycloneDxJson, Some(v)) => {
            strict(Bom::parse_from_json_with_version(&bytes[..], v), v)
        }
        (Format::CycloneDxXml, Some(v)) => {
            strict(Bom::parse_from_xml_with_version(&bytes[..], v), v)
        }
        _ => None,
    };
    let strict_checked = violations.is_some();
    let (file, format, version) = (doc.path.clone(), doc.format, doc.meta.spec_version.clone());
    let findings = Inventory::from_documents(vec![doc]).findings;
    Ok(Validation {
        file,
        format,
        spec_version: version,
        strict: strict_checked,
        violations: violations.unwrap_or_default(),
        findings,
    })
}

fn spec_version(doc: &Document) -> Option<SpecVersion> {
    match doc.meta.spec_version.as_str() {
        "1.3" => Some(SpecVersion::V1_3),
        "1.4" => Some(SpecVersion::V1_4),
        "1.5" => Some(SpecVersion::V1_5),
        _ => None,
    }
}

fn strict<E: std::fmt::Display>(
    parsed: Result<Bom, E>,
    version: SpecVersion,
) -> Option<Vec<SpecViolation>> {
    Some(match parsed {
        // cyclonedx-bom reads JSON with serde_json's nesting limit of 128 levels, which anbao
        // reads past: such a document is not checked strictly, rather than called invalid.
        Err(e) if e.to_string().contains("recursion limit exceeded") => return None,
        // anbao read the file, so this is a schema-level disagreement: report it as such.
        Err(e) => vec![SpecViolation {
            path: String::new(),
            message: format!("does not follow the CycloneDX {version} schema: {e}"),
        }],
        Ok(bom) => {
            let mut out = Vec::new();
            flatten(bom.validate_version(version), "", &mut out);
            out
        }
    })
}

/// Turns the nested validation result into one violation per message, with dotted paths.
fn flatten(result: ValidationResult, prefix: &str, out: &mut Vec<SpecViolation>) {
    // cyclonedx-bom wraps its lists in a struct with one field `inner`; that level means
    // nothing to a reader of the document, so it is folded away.
    let join = |name: &str| match (prefix.is_empty(), json_name(name)) {
        (_, n) if n == "inner" => prefix.to_string(),
        (true, n) => n,
        (false, n) => format!("{prefix}.{n}"),
    };
    for (name, kind) in result.errors() {
        let here = join(&name);
        match kind {
            ValidationErrorsKind::Struct(inner) => flatten(inner, &here, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    flatten(inner, &format!("{here}[{index}]"), out);
                }
            }
            ValidationErrorsKind::Field(errors) | ValidationErrorsKind::Custom(errors) => {
                out.extend(errors.into_iter().map(|e| SpecViolation {
                    path: here.clone(),
                    message: e.message,
                }));
            }
            ValidationErrorsKind::Enum(e) => out.push(SpecViolation {
                path: here,
                message: e.message,
            }),
        }
    }
}

/// The JSON spelling of a cyclonedx-bom field name: `external_references` is
/// `externalReferences` in the document, `bom_ref` is `bom-ref`.
fn json_name(field: &str) -> String {
    if field == "bom_ref" {
        return "bom-ref".into();
    }
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for ch in field.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(content: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content.as_bytes()).unwrap();
        f
    }

    #[test]
    fn strict_validation_uses_the_documents_own_version() {
        // A purl that does not parse breaks a spec rule in every version.
        let f = temp(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
            "components":[{"type":"library","name":"x","version":"1","purl":"not a purl"}]}"#,
        );
        let v = validate_file(f.path()).unwrap();
        assert!(v.strict);
        assert!(!v.is_valid());
        assert_eq!(
            v.violations[0].path, "components[0].purl",
            "{:?}",
            v.violations
        );
    }

    #[test]
    fn versions_cyclonedx_bom_cannot_read_get_structural_checks_only() {
        let f = temp(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x"}]}"#,
        );
        let v = validate_file(f.path()).unwrap();
        assert!(!v.strict);
        assert!(v.is_valid());
        assert_eq!(v.findings.len(), 1, "missing version is a finding");
    }
}
