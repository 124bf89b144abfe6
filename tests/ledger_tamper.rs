//! Tampering is detected every time: any single changed byte anywhere in the ledger, and
//! truncation at any record boundary below a checkpoint.

mod common;

use anbao::ledger::{NewRecord, SigAlg};
use common::*;
use proptest::prelude::*;
use serde_json::json;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A ledger of 8 records (one with evidence, one joint, one co-signature, one correction)
/// and a checkpoint at 5, built once per profile and kept for the whole run.
fn fixture(profile: &'static str) -> &'static (PathBuf, Vec<u8>) {
    static INTL: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    static GM: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    let cell = if profile == "gm" { &GM } else { &INTL };
    cell.get_or_init(|| {
        let ws = workspace(profile).keep();
        let home = tempfile::tempdir().unwrap().keep();
        let alg = if profile == "gm" {
            SigAlg::Sm2
        } else {
            SigAlg::Ed25519
        };
        let imp = key(&ws, &home, "implementing", alg);
        let con = key(&ws, &home, "construction", alg);
        let l = ledger(&ws);
        let photo = home.join("log.txt");
        std::fs::write(&photo, "演练日志").unwrap();
        l.append(
            NewRecord::new("drill.run", json!({"步骤": "启动预案"})).evidence(&[photo]),
            &[&imp],
        )
        .unwrap();
        l.append(
            NewRecord::new("assessment.signoff", json!({"n": 3})),
            &[&imp, &con],
        )
        .unwrap();
        l.append(
            NewRecord::new("assessment.signoff", json!({"n": 4})).requires(&["construction"]),
            &[&imp],
        )
        .unwrap();
        // Records 0 and 1 enrol the two keys.
        l.cosign(4, &con).unwrap();
        l.append(NewRecord::new("note", json!({"x": "y"})), &[&con])
            .unwrap();
        l.checkpoint(&[&imp]).unwrap();
        l.append(
            NewRecord::new("assessment.signoff", json!({"n": 5})).supersedes(3),
            &[&imp, &con],
        )
        .unwrap();
        l.append(
            NewRecord::new("note", json!({"unicode": "é ü 中文"})),
            &[&imp],
        )
        .unwrap();
        l.append(NewRecord::new("note", json!({"last": true})), &[&imp])
            .unwrap();
        let report = l.verify().unwrap();
        assert!(
            report.is_clean() && report.awaiting.is_empty(),
            "{:?}",
            report.findings
        );
        let bytes = std::fs::read(ledger_path(&ws)).unwrap();
        (ws, bytes)
    })
}

fn verify_modified(profile: &'static str, bytes: &[u8]) -> anbao::ledger::Report {
    let (ws, _) = fixture(profile);
    let copy = tempfile::tempdir().unwrap();
    copy_dir(ws, copy.path());
    std::fs::write(ledger_path(copy.path()), bytes).unwrap();
    ledger(copy.path()).verify().unwrap()
}

fn flip(bytes: &[u8], pos: usize, x: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let i = pos % out.len();
    out[i] ^= x.max(1);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_changed_byte_is_detected_intl(pos in any::<usize>(), x in any::<u8>()) {
        let (_, original) = fixture("intl");
        let report = verify_modified("intl", &flip(original, pos, x));
        prop_assert!(!report.is_clean(), "byte {} changed undetected", pos % original.len());
        prop_assert!(report.first_bad.is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(80))]

    #[test]
    fn any_changed_byte_is_detected_gm(pos in any::<usize>(), x in any::<u8>()) {
        let (_, original) = fixture("gm");
        let report = verify_modified("gm", &flip(original, pos, x));
        prop_assert!(!report.is_clean(), "byte {} changed undetected", pos % original.len());
    }
}

/// Every byte of the first and last record, exhaustively (one bit flipped each).
#[test]
fn every_byte_of_the_first_and_last_record_is_covered() {
    let (_, original) = fixture("intl");
    let first_end = original.iter().position(|&b| b == b'\n').unwrap() + 1;
    let last_start = original[..original.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    for pos in (0..first_end).chain(last_start..original.len()).step_by(4) {
        let report = verify_modified("intl", &flip(original, pos, 0x20));
        assert!(!report.is_clean(), "byte {pos} changed undetected");
    }
}

#[test]
fn truncation_at_any_record_below_the_checkpoint_is_detected() {
    let (_, original) = fixture("intl");
    let ends: Vec<usize> = original
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    for (records, &end) in ends.iter().enumerate().take(4) {
        let report = verify_modified("intl", &original[..end]);
        assert!(
            !report.is_clean(),
            "cut to {} records undetected",
            records + 1
        );
        assert!(report
            .findings
            .iter()
            .any(|f| f.code == anbao::ledger::Code::Truncated));
    }
}
