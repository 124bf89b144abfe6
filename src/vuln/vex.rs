//! VEX: who stated what about a vulnerability in a product. Statements come from `anbao vuln
//! state`, OpenVEX documents and CycloneDX VEX documents; each becomes a signed `vex.statement`
//! ledger record, so "not affected" always has a unit and a signature behind it. The latest
//! statement for a vulnerability and product is the one in force.

use crate::error::{InputError, Location};
use crate::ledger::keys::SigningKey;
use crate::ledger::{Ledger, LedgerError, NewRecord, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// The ledger record kind of a statement.
pub const KIND: &str = "vex.statement";
/// The schema of its body.
pub const BODY_SCHEMA: &str = "anbao.vex.statement/1";

/// The four statuses of OpenVEX and CISA's minimum requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotAffected,
        Status::Affected,
        Status::Fixed,
        Status::UnderInvestigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotAffected => "not_affected",
            Status::Affected => "affected",
            Status::Fixed => "fixed",
            Status::UnderInvestigation => "under_investigation",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the statement settles the vulnerability for the product (no finding remains).
    pub fn resolves(self) -> bool {
        matches!(self, Status::NotAffected | Status::Fixed)
    }

    /// The CycloneDX `analysis.state` of this status.
    pub fn cyclonedx_state(self) -> &'static str {
        match self {
            Status::NotAffected => "not_affected",
            Status::Affected => "exploitable",
            Status::Fixed => "resolved",
            Status::UnderInvestigation => "in_triage",
        }
    }
}

/// OpenVEX justifications for `not_affected`.
pub const OPENVEX_JUSTIFICATIONS: [&str; 5] = [
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];
/// CycloneDX `analysis.justification` values.
pub const CYCLONEDX_JUSTIFICATIONS: [&str; 9] = [
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
];
/// CycloneDX `analysis.response` values, for `affected`.
pub const RESPONSES: [&str; 5] = [
    "can_not_fix",
    "will_not_fix",
    "update",
    "rollback",
    "workaround_available",
];

/// One statement, as the ledger record's body holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub schema: String,
    /// The vulnerability id as stated (CVE, GHSA, OSV id ...).
    pub vulnerability: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Products: purls, bom-refs or `name@version`.
    pub products: Vec<String>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Why the product is not affected, in words (OpenVEX `impact_statement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// CycloneDX responses for `affected`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<String>,
    /// What to do about it (OpenVEX `action_statement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where the statement came from: `anbao`, `openvex` or `cyclonedx`, with the document's
    /// id, author and time.
    pub source: StatementSource,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementSource {
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

impl Statement {
    /// A statement typed on the command line, checked.
    pub fn new(vulnerability: &str, products: Vec<String>, status: Status) -> Statement {
        Statement {
            schema: BODY_SCHEMA.to_string(),
            vulnerability: vulnerability.trim().to_string(),
            aliases: Vec::new(),
            products,
            status,
            justification: None,
            impact: None,
            response: Vec::new(),
            action: None,
            detail: None,
            source: StatementSource {
                format: "anbao".into(),
                document: None,
                author: None,
                timestamp: None,
            },
        }
    }

    /// What a statement must carry to be one an auditor can accept: `not_affected` says why
    /// (a justification or an impact statement), `affected` says what is done (a response or an
    /// action). Justifications and responses come from the OpenVEX and CycloneDX vocabularies.
    pub fn check(&self) -> Result<(), String> {
        if self.vulnerability.is_empty() {
            return Err("a statement names a vulnerability".into());
        }
        if self.products.iter().all(|p| p.trim().is_empty()) {
            return Err(format!(
                "the statement on '{}' names no product",
                self.vulnerability
            ));
        }
        if let Some(j) = &self.justification {
            if !OPENVEX_JUSTIFICATIONS.contains(&j.as_str())
                && !CYCLONEDX_JUSTIFICATIONS.contains(&j.as_str())
            {
                return Err(format!(
                    "unknown justification '{j}'; one of {}, {}",
                    OPENVEX_JUSTIFICATIONS.join(", "),
                    CYCLONEDX_JUSTIFICATIONS.join(", ")
                ));
            }
        }
        if let Some(r) = self
            .response
            .iter()
            .find(|r| !RESPONSES.contains(&r.as_str()))
        {
            return Err(format!(
                "unknown response '{r}'; one of {}",
                RESPONSES.join(", ")
            ));
        }
        match self.status {
            Status::NotAffected if self.justification.is_none() && self.impact.is_none() => {
                Err(format!(
                    "'not_affected' for '{}' needs a justification or an impact statement",
                    self.vulnerability
                ))
            }
            Status::Affected if self.response.is_empty() && self.action.is_none() => Err(format!(
                "'affected' for '{}' needs a response or an action statement",
                self.vulnerability
            )),
            _ => Ok(()),
        }
    }

    /// Whether the statement is about a vulnerability known by any of `ids`.
    pub fn names_any<'a>(&self, mut ids: impl Iterator<Item = &'a str>) -> bool {
        let mine: Vec<&str> = std::iter::once(self.vulnerability.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .collect();
        ids.any(|id| mine.iter().any(|m| m.eq_ignore_ascii_case(id)))
    }
}

/// A statement as found in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recorded {
    pub seq: u64,
    pub unit: String,
    pub time: String,
    pub statement: Statement,
}

/// Files `statement` in the ledger, signed with `keys`; `evidence` is the document it came
/// from, if any. The one place VEX statements are written.
pub fn record(
    ledger: &Ledger,
    statement: &Statement,
    evidence: Option<&Path>,
    keys: &[&SigningKey],
) -> Result<Record, LedgerError> {
    statement.check().map_err(LedgerError::Other)?;
    let body = serde_json::to_value(statement)
        .map_err(|e| LedgerError::Other(format!("cannot write the statement: {e}")))?;
    let mut new = NewRecord::new(KIND, body);
    if let Some(path) = evidence {
        new = new.evidence(&[path.to_path_buf()]);
    }
    ledger.append(new, keys)
}

/// Every statement in the ledger whose record verifies, oldest first. A statement counts only
/// where its unit's signature checks against the trust store: a line written into the ledger by
/// hand, or one whose signature fails, settles nothing (`anbao ledger verify` reports it).
pub fn recorded(ledger: &Ledger) -> Result<Vec<Recorded>, LedgerError> {
    let (records, _) = ledger.records()?;
    if !records.iter().flatten().any(|r| r.entry.kind == KIND) {
        return Ok(Vec::new());
    }
    let verified = ledger.verify()?;
    Ok(records
        .into_iter()
        .flatten()
        .filter(|r| r.entry.kind == KIND)
        .filter(|r| verified.signed_by(r.seq()).contains(&r.entry.unit))
        .filter_map(|r| {
            let statement: Statement = serde_json::from_value(r.entry.body.clone()).ok()?;
            Some(Recorded {
                seq: r.seq(),
                unit: r.entry.unit.clone(),
                time: r.entry.time.clone(),
                statement,
            })
        })
        .collect())
}

/// The statement in force for a vulnerability (known by `ids`) and a product (known by
/// `product_ids`): the latest in the ledger.
pub fn in_force<'a>(
    statements: &'a [Recorded],
    ids: &[&str],
    product_ids: &[&str],
) -> Option<&'a Recorded> {
    statements.iter().rev().find(|r| {
        r.statement.names_any(ids.iter().copied())
            && r.statement
                .products
                .iter()
                .any(|p| product_ids.iter().any(|q| same_product(p, q)))
    })
}

/// Purls compare without qualifiers and subpath; everything else as written.
fn same_product(a: &str, b: &str) -> bool {
    let strip = |s: &str| -> String {
        let s = s.trim();
        if s.starts_with("pkg:") {
            s.split(['?', '#']).next().unwrap_or(s).to_string()
        } else {
            s.to_string()
        }
    };
    !a.trim().is_empty() && strip(a) == strip(b)
}

/// The statements of an OpenVEX or CycloneDX VEX JSON document (detected from its content).
pub fn parse_document(path: &Path, bytes: &[u8]) -> Result<Vec<Statement>, InputError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        InputError::new(
            path,
            Location::LineCol {
                line: e.line(),
                column: e.column(),
            },
            format!("not a JSON VEX document: {e}"),
        )
    })?;
    let is_openvex = doc
        .get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"));
    let statements = if is_openvex {
        openvex(path, &doc)?
    } else if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        cyclonedx(path, &doc)?
    } else {
        return Err(InputError::whole_file(
            path,
            "neither OpenVEX (an '@context' of openvex.dev) nor CycloneDX ('bomFormat': 'CycloneDX')",
        ));
    };
    for (i, s) in statements.iter().enumerate() {
        s.check().map_err(|m| {
            let list = if is_openvex {
                "statements"
            } else {
                "vulnerabilities"
            };
            InputError::new(path, Location::Pointer(format!("/{list}/{i}")), m)
        })?;
    }
    Ok(statements)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn openvex(path: &Path, doc: &Value) -> Result<Vec<Statement>, InputError> {
    let source = StatementSource {
        format: "openvex".into(),
        document: text(doc, "@id"),
        author: text(doc, "author"),
        timestamp: text(doc, "timestamp"),
    };
    let list = doc
        .get("statements")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            InputError::new(
                path,
                Location::Pointer("/statements".into()),
                "an OpenVEX document has a 'statements' array",
            )
        })?;
    let mut out = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        let at = |field: &str, m: &str| {
            InputError::new(
                path,
                Location::Pointer(format!("/statements/{i}{field}")),
                m.to_string(),
            )
        };
        // v0.2 has a vulnerability object with `name` and `aliases`; v0.0.1 a plain string.
        let vuln = s.get("vulnerability");
        let (name, aliases) = match vuln {
            Some(Value::String(n)) => (n.clone(), Vec::new()),
            Some(v) => (
                text(v, "name")
                    .or_else(|| text(v, "@id"))
                    .ok_or_else(|| at("/vulnerability", "a vulnerability needs a name"))?,
                v.get("aliases")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            None => return Err(at("", "a statement needs a 'vulnerability'")),
        };
        let products: Vec<String> = s
            .get("products")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| match p {
                        Value::String(s) => Some(s.clone()),
                        p => text(p, "@id")
                            .or_else(|| p.get("identifiers").and_then(|i| text(i, "purl"))),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let status = text(s, "status")
            .and_then(|st| Status::parse(&st))
            .ok_or_else(|| {
                at(
                    "/status",
                    "status is one of not_affected, affected, fixed, under_investigation",
                )
            })?;
        out.push(Statement {
            schema: BODY_SCHEMA.into(),
            vulnerability: name,
            aliases,
            products,
            status,
            justification: text(s, "justification"),
            impact: text(s, "impact_statement"),
            response: Vec::new(),
            action: text(s, "action_statement"),
            detail: text(s, "status_notes"),
            source: StatementSource {
                timestamp: text(s, "timestamp").or(source.timestamp.clone()),
                ..source.clone()
            },
        });
    }
    Ok(out)
}

fn cyclonedx(path: &Path, doc: &Value) -> Result<Vec<Statement>, InputError> {
    let source = StatementSource {
        format: "cyclonedx".into(),
        document: text(doc, "serialNumber"),
        author: doc
            .pointer("/metadata/authors/0/name")
            .or_else(|| doc.pointer("/metadata/supplier/name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        timestamp: doc
            .pointer("/metadata/timestamp")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    // A ref names a component of this document (by bom-ref, possibly as a BOM-Link fragment);
    // its purl is what an inventory knows it by.
    let purl_of = |reference: &str| -> String {
        let frag = reference.rsplit_once('#').map_or(reference, |(_, f)| f);
        let frag = percent_decode(frag);
        doc.get("components")
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c.get("bom-ref").and_then(Value::as_str) == Some(frag.as_str()))
            })
            .and_then(|c| text(c, "purl"))
            .unwrap_or(frag)
    };
    let list = doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            InputError::new(
                path,
                Location::Pointer("/vulnerabilities".into()),
                "a CycloneDX VEX document has a 'vulnerabilities' array",
            )
        })?;
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let at = |field: &str, m: &str| {
            InputError::new(
                path,
                Location::Pointer(format!("/vulnerabilities/{i}{field}")),
                m.to_string(),
            )
        };
        let id = text(v, "id").ok_or_else(|| at("/id", "a vulnerability needs an id"))?;
        let Some(analysis) = v.get("analysis") else {
            // A vulnerability without analysis states nothing.
            continue;
        };
        let state = text(analysis, "state")
            .ok_or_else(|| at("/analysis/state", "an analysis needs a state"))?;
        let status = match state.as_str() {
            "not_affected" | "false_positive" => Status::NotAffected,
            "exploitable" => Status::Affected,
            "resolved" | "resolved_with_pedigree" => Status::Fixed,
            "in_triage" => Status::UnderInvestigation,
            other => return Err(at("/analysis/state", &format!("unknown state '{other}'"))),
        };
        let products: Vec<String> = v
            .get("affects")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("ref").and_then(Value::as_str))
                    .map(purl_of)
                    .collect()
            })
            .unwrap_or_default();
        let aliases = v
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|r| text(r, "id")).collect())
            .unwrap_or_default();
        let justification = text(analysis, "justification");
        let mut detail = text(analysis, "detail");
        if state == "false_positive" && justification.is_none() {
            detail =
                Some(detail.map_or("false positive".into(), |d| format!("false positive: {d}")));
        }
        out.push(Statement {
            schema: BODY_SCHEMA.into(),
            vulnerability: id,
            aliases,
            products,
            status,
            justification,
            // CycloneDX's detail is the impact statement of a not_affected analysis.
            impact: (status == Status::NotAffected)
                .then(|| detail.clone())
                .flatten(),
            response: analysis
                .get("response")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            action: None,
            detail,
            source: source.clone(),
        });
    }
    Ok(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The CycloneDX justification for a statement's justification (OpenVEX words mapped to the
/// nearest CycloneDX one; CycloneDX words as they are).
pub fn cyclonedx_justification(j: &str) -> Option<&'static str> {
    if let Some(c) = CYCLONEDX_JUSTIFICATIONS.iter().find(|c| **c == j) {
        return Some(c);
    }
    Some(match j {
        "component_not_present" | "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_has_its_own_requirement() {
        let base = |s| {
            Statement::new(
                "CVE-2024-4367",
                vec!["pkg:npm/pdfjs-dist@3.11.174".into()],
                s,
            )
        };
        assert!(
            base(Status::NotAffected).check().is_err(),
            "not_affected needs a reason"
        );
        let mut na = base(Status::NotAffected);
        na.justification = Some("vulnerable_code_not_in_execute_path".into());
        assert!(na.check().is_ok());
        na.justification = Some("because".into());
        assert!(na.check().unwrap_err().contains("unknown justification"));
        assert!(
            base(Status::Affected).check().is_err(),
            "affected needs a response"
        );
        let mut a = base(Status::Affected);
        a.response = vec!["update".into()];
        assert!(a.check().is_ok());
        assert!(base(Status::Fixed).check().is_ok());
        assert!(base(Status::UnderInvestigation).check().is_ok());
        assert!(Status::NotAffected.resolves() && Status::Fixed.resolves());
        assert!(!Status::Affected.resolves() && !Status::UnderInvestigation.resolves());
    }

    #[test]
    fn products_compare_without_purl_qualifiers() {
        assert!(same_product("pkg:maven/a/b@1?type=jar", "pkg:maven/a/b@1"));
        assert!(!same_product("pkg:maven/a/b@1", "pkg:maven/a/b@2"));
        assert!(same_product("b@1", "b@1"));
        assert!(!same_product("", ""));
    }

    #[test]
    fn percent_decoding_of_bom_link_fragments() {
        assert_eq!(
            percent_decode("pkg:npm/%40vue/shared@3"),
            "pkg:npm/@vue/shared@3"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
