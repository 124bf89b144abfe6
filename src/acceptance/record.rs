//! The acceptance verdict as a signed ledger record: what `anbao check --record` files.
//!
//! The record's body holds the verdict and its reasons, the counts per category, every blocking
//! product that fails or lacks evidence, and the digests (in the ledger's hash algorithm) of the
//! inventory and policy files the verdict was computed from. The full JSON report travels as an
//! evidence file, so an auditor can read every finding behind the verdict from the ledger alone.

use super::report::Report;
use crate::error::InputError;
use crate::ledger::hash::{Digest, HashAlg};
use crate::ledger::keys::SigningKey;
use crate::ledger::{Ledger, LedgerError, NewRecord, Record};
use crate::policy::Verdict;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use std::path::Path;

/// The record kind of an acceptance verdict.
pub const KIND: &str = "acceptance.verdict";
/// The schema of the record's body.
pub const BODY_SCHEMA: &str = "anbao.acceptance.verdict/1";

/// Files `report` in `ledger`, signed with `keys`. `root` is the workspace the check ran in.
pub fn file(
    ledger: &Ledger,
    report: &Report,
    root: &Path,
    keys: &[&SigningKey],
) -> Result<Record, LedgerError> {
    let body = body(report, root, ledger.hash_alg())?;
    // The report goes in as evidence under a name that says what and when; the temporary folder
    // disappears once the evidence store has its content-addressed copy.
    let dir = tempfile::tempdir().map_err(|e| LedgerError::io("create", Path::new("."), e))?;
    let name = format!(
        "acceptance-report-{}-{}.json",
        sanitize(&report.project.code),
        report.as_of
    );
    let path = dir.path().join(name);
    let json = serde_json::to_vec_pretty(report)
        .map_err(|e| LedgerError::Other(format!("cannot write the report as JSON: {e}")))?;
    std::fs::write(&path, json).map_err(|e| LedgerError::io("write", &path, e))?;
    ledger.append(NewRecord::new(KIND, body).evidence(&[path]), keys)
}

/// The body of the record. Each input file is read again and must still have the SHA-256 the
/// check saw; a file changed while the check ran is an error, never a record of the wrong bytes.
pub fn body(report: &Report, root: &Path, alg: HashAlg) -> Result<Value, InputError> {
    let mut inputs = Vec::with_capacity(report.inputs.len());
    for input in &report.inputs {
        let bytes = std::fs::read(&input.path)
            .map_err(|e| InputError::whole_file(&input.path, format!("cannot read: {e}")))?;
        if hex::encode(Sha256::digest(&bytes)) != input.sha256 {
            return Err(InputError::whole_file(
                &input.path,
                "changed while the check ran; run the check again before recording it",
            ));
        }
        let digest = Digest::new(alg, alg.hash(&[&bytes]));
        let shown = input.path.strip_prefix(root).unwrap_or(&input.path);
        inputs.push(json!({
            "path": shown.to_string_lossy(),
            "role": input.role,
            "digest": digest.to_string(),
            "size": bytes.len().to_string(),
        }));
    }
    let blocking: Vec<Value> = report
        .components
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Fail | Verdict::InsufficientEvidence))
        .filter(|c| {
            c.category.as_ref().is_none_or(|id| {
                report
                    .categories
                    .iter()
                    .any(|cat| *cat.id == **id && cat.blocking)
            })
        })
        .map(|c| {
            let mut codes: Vec<String> = c
                .findings
                .iter()
                .map(|&i| &report.findings[i])
                .filter(|f| f.waived_by.is_none() && f.level == crate::inventory::Level::Deny)
                .map(|f| f.code.to_string())
                .collect();
            codes.sort();
            codes.dedup();
            json!({
                "component": c.component,
                "category": c.category,
                "verdict": c.verdict,
                "codes": codes,
            })
        })
        .collect();
    let categories: Vec<Value> = report
        .categories
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "key": c.key,
                "verdict": c.verdict,
                "pass": c.counts.pass,
                "warn": c.counts.warn,
                "insufficient_evidence": c.counts.insufficient_evidence,
                "fail": c.counts.fail,
            })
        })
        .collect();
    Ok(json!({
        "schema": BODY_SCHEMA,
        "generator": report.generator,
        "as_of": report.as_of.to_string(),
        "project": { "code": report.project.code, "name": report.project.name },
        "policy": { "id": report.policy.id, "version": report.policy.version },
        "verdict": {
            "state": report.verdict.state,
            "meets": report.verdict.meets,
            "gaps": report.verdict.gaps,
            "failing": report.verdict.failing,
            "insufficient": report.verdict.insufficient,
            "summary": report.verdict.summary,
            "reasons": report.verdict.reasons,
        },
        "components": report.components.len(),
        "categories": categories,
        "blocking": blocking,
        "inputs": inputs,
    }))
}

/// A project code made safe for a file name.
fn sanitize(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_codes_become_safe_file_names() {
        assert_eq!(sanitize("XZZW-2026-001"), "XZZW-2026-001");
        assert_eq!(sanitize("a/b c"), "a_b_c");
    }
}
