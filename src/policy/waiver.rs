//! Waivers: a named person accepts a finding for a component, with a reason, until a date.

use super::code::Code;
use super::config::RuleRef;
use crate::error::{InputError, Location};
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    #[serde(default)]
    waiver: Vec<Spanned<Entry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    component: String,
    code: Spanned<String>,
    reason: String,
    approver: String,
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    expires: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Waiver {
    /// purl, bom-ref, `name@version` or name, as for `anbao inventory show`.
    pub component: String,
    pub code: Code,
    pub reason: String,
    pub approver: String,
    pub expires: NaiveDate,
    pub at: RuleRef,
}

impl Waiver {
    pub fn is_expired_on(&self, day: NaiveDate) -> bool {
        day > self.expires
    }
}

/// Reads a waiver file; unknown keys, unknown codes and bad dates name their line.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Waiver>, InputError> {
    let file: WaiverFile = crate::workspace::parse_toml(path, text)?;
    let mut out = Vec::new();
    for spanned in file.waiver {
        let span = spanned.span();
        let w = spanned.into_inner();
        let location = Location::from_offset(text.as_bytes(), span.start);
        let line = match location {
            Location::LineCol { line, .. } => line,
            _ => 0,
        };
        // Errors about the code point at the code, not at the start of the waiver.
        let code_at = Location::from_offset(text.as_bytes(), w.code.span().start);
        let code_text = w.code.into_inner();
        let code = Code::parse(&code_text).ok_or_else(|| {
            InputError::new(
                path,
                code_at.clone(),
                format!("unknown finding code '{code_text}' (see anbao explain)"),
            )
        })?;
        if matches!(code, Code::WaiverExpired | Code::WaiverUnused) {
            return Err(InputError::new(
                path,
                code_at,
                format!("'{code_text}' cannot itself be waived"),
            ));
        }
        // A gap in the inventories is about no one product: no waiver can fill it.
        if code.is_coverage_gap() {
            return Err(InputError::new(
                path,
                code_at,
                format!("'{code_text}' is about the inventories as a whole and cannot be waived"),
            ));
        }
        out.push(Waiver {
            component: w.component,
            code,
            reason: w.reason,
            approver: w.approver,
            expires: w.expires,
            at: RuleRef::new(path.to_path_buf(), line),
        });
    }
    Ok(out)
}

pub fn load(path: &Path) -> Result<Vec<Waiver>, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    parse(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "[[waiver]]\ncomponent = \"Nexus 9300\"\ncode = \"manufacturer-foreign\"\nreason = \"在用设备，2027 年替换\"\napprover = \"张三\"\nexpires = 2027-03-31\n";

    #[test]
    fn reads_waivers_with_their_line() {
        let w = parse(Path::new("w.toml"), ONE).unwrap();
        assert_eq!(w[0].code, Code::ManufacturerForeign);
        assert_eq!(w[0].at.line, 1);
        assert!(!w[0].is_expired_on("2027-03-31".parse().unwrap()));
        assert!(w[0].is_expired_on("2027-04-01".parse().unwrap()));
    }

    #[test]
    fn bad_codes_and_dates_are_errors_with_positions() {
        let e = parse(
            Path::new("w.toml"),
            &ONE.replace("manufacturer-foreign", "foreign"),
        )
        .unwrap_err();
        assert!(e.message.contains("unknown finding code 'foreign'"), "{e}");
        assert!(e.to_string().starts_with("w.toml:3:8:"), "{e}");
        let e = parse(
            Path::new("w.toml"),
            &ONE.replace("manufacturer-foreign", "waiver-unused"),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("w.toml:3:8:"), "{e}");
        assert!(e.message.contains("cannot itself be waived"), "{e}");
        let e = parse(
            Path::new("w.toml"),
            &ONE.replace("2027-03-31", "\"31/03/2027\""),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("w.toml:6:"), "{e}");
        let e = parse(Path::new("w.toml"), &ONE.replace("approver", "approved_by")).unwrap_err();
        assert!(e.to_string().starts_with("w.toml:5:"), "{e}");
    }
}
