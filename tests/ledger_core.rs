//! The ledger through its library API: appends, multi-signature records, corrections, a
//! profile change, proofs, export, torn lines, and every kind of tampering the issue names.

mod common;

use anbao::ledger::export::{verify_archive, ArchiveFormat};
use anbao::ledger::proof::{verify_proof, Proof};
use anbao::ledger::{Anchors, Code, LedgerError, NewRecord, SigAlg, Tail};
use common::*;
use serde_json::json;
use std::path::Path;

fn codes(report: &anbao::ledger::Report) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

/// The two key records that enrol the implementing and construction units' keys come first.
const E: u64 = 2;

/// A small ledger: two key records, then `n` records with one evidence file (seq 3), a
/// joint record (4), a correction of it (6) and a checkpoint at 5.
fn sample(profile: &str, n: u64) -> (tempfile::TempDir, tempfile::TempDir) {
    let ws = workspace(profile);
    let home = tempfile::tempdir().unwrap();
    let alg = if profile == "gm" {
        SigAlg::Sm2
    } else {
        SigAlg::Ed25519
    };
    let imp = key(ws.path(), home.path(), "implementing", alg);
    let con = key(ws.path(), home.path(), "construction", alg);
    let l = ledger(ws.path());
    let photo = home.path().join("现场照片.jpg");
    std::fs::write(&photo, b"\xff\xd8 not really a jpeg").unwrap();
    for i in 0..n {
        let mut new = NewRecord::new("drill.run", json!({"i": i.to_string(), "说明": "应急演练"}));
        if i == 1 {
            new = new.evidence(std::slice::from_ref(&photo));
        }
        if i == 4 {
            new = new.supersedes(E + 2);
        }
        let keys: Vec<&anbao::ledger::keys::SigningKey> =
            if i == 2 { vec![&imp, &con] } else { vec![&imp] };
        l.append(new, &keys).unwrap();
        if i == 2 {
            l.checkpoint(&[&imp]).unwrap();
        }
    }
    (ws, home)
}

#[test]
fn appends_verify_in_both_profiles() {
    for profile in ["intl", "gm"] {
        let (ws, _home) = sample(profile, 6);
        let l = ledger(ws.path());
        let report = l.verify().unwrap();
        assert!(report.is_clean(), "{profile}: {:?}", report.findings);
        assert_eq!(report.records, E + 6);
        assert_eq!(report.checkpoints.len(), 1);
        assert!(report.checkpoints[0].ok);
        assert_eq!(report.superseded_by.get(&(E + 2)), Some(&vec![E + 4]));
        assert_eq!(report.keys.len(), 2);
        assert!(report.keys[0].founding && report.keys[0].unit == "implementing");
        let (records, tail) = l.records().unwrap();
        assert_eq!(tail, Tail::Complete);
        let r1 = records[E as usize + 1].as_ref().unwrap();
        assert_eq!(r1.entry.evidence[0].name, "现场照片.jpg");
        let want = if profile == "gm" { "sm3:" } else { "sha256:" };
        assert!(r1.leaf_hash.to_string().starts_with(want));
        assert_eq!(
            records[E as usize + 2].as_ref().unwrap().signatures.len(),
            2
        );
    }
}

#[test]
fn records_awaiting_a_signature_show_so_until_cosigned() {
    let ws = workspace("intl");
    let home = tempfile::tempdir().unwrap();
    let imp = key(ws.path(), home.path(), "implementing", SigAlg::Ed25519);
    let con = key(ws.path(), home.path(), "construction", SigAlg::Ed25519);
    let l = ledger(ws.path());
    l.append(
        NewRecord::new("assessment.signoff", json!({"risks": "3"})).requires(&["construction"]),
        &[&imp],
    )
    .unwrap();
    let report = l.verify().unwrap();
    assert!(report.is_clean(), "awaiting is not a failure");
    assert_eq!(report.awaiting.len(), 1);
    assert_eq!(report.awaiting[0].missing, vec!["construction".to_string()]);
    assert!(codes(&report).contains(&Code::AwaitingSignature));

    // The construction unit signs later: a new record, nothing edited in place.
    let before = std::fs::read(ledger_path(ws.path())).unwrap();
    let cosign = l.cosign(E, &con).unwrap();
    assert_eq!(cosign.entry.kind, "cosign");
    let after = std::fs::read(ledger_path(ws.path())).unwrap();
    assert!(after.starts_with(&before));
    let report = l.verify().unwrap();
    assert!(
        report.is_clean() && report.awaiting.is_empty(),
        "{:?}",
        report.findings
    );

    // Offline: a detached signature made elsewhere, filed by the implementing unit.
    l.append(
        NewRecord::new("assessment.signoff", json!({"risks": "1"})).requires(&["construction"]),
        &[&imp],
    )
    .unwrap();
    let detached = l.sign_detached(E + 2, &con).unwrap();
    let text = serde_json::to_string(&detached).unwrap();
    let back = serde_json::from_str(&text).unwrap();
    l.append_detached(&back, &[&imp]).unwrap();
    let report = l.verify().unwrap();
    assert!(
        report.is_clean() && report.awaiting.is_empty(),
        "{:?}",
        report.findings
    );

    // A detached signature of another version of the record is refused.
    let mut wrong = detached.clone();
    wrong.target.leaf_hash = cosign.leaf_hash;
    assert!(l.append_detached(&wrong, &[&imp]).is_err());
}

#[test]
fn a_ledger_stays_verifiable_after_a_profile_change() {
    let (ws, home) = sample("intl", 4);
    set_profile(ws.path(), "gm");
    let gm = key(ws.path(), home.path(), "implementing", SigAlg::Sm2);
    let l = ledger(ws.path());
    // The old Ed25519 key no longer signs here.
    let old = anbao::ledger::keys::SigningKey::load(
        &std::fs::read_dir(home.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("implementing-ed25519"))
            .unwrap(),
    )
    .unwrap();
    assert!(matches!(
        l.append(NewRecord::new("note", json!({})), &[&old]),
        Err(LedgerError::WrongAlgorithm { .. })
    ));
    l.append(NewRecord::new("note", json!({"after": "switch"})), &[&gm])
        .unwrap();
    let (_, cp) = l.checkpoint(&[&gm]).unwrap();
    assert_eq!(cp.alg.name(), "sm3");
    let report = l.verify().unwrap();
    assert!(report.is_clean(), "{:?}", report.findings);
    assert_eq!(report.trees.len(), 2, "a SHA-256 and an SM3 tree");
    // The old record is provably in both the old SHA-256 and the new SM3 checkpoint.
    let trust = l.trust_store().unwrap();
    for cp_file in l.checkpoints().unwrap().into_iter().map(|(p, _)| p) {
        let proof = l.prove_inclusion(1, Some(&cp_file)).unwrap();
        let text = serde_json::to_vec(&proof).unwrap();
        let r = verify_proof(&Proof::parse(&text).unwrap(), &trust, None, None);
        assert!(r.ok, "{:?}", r.steps);
    }
}

#[test]
fn proofs_verify_without_the_ledger_and_fail_when_forged() {
    let (ws, home) = sample("gm", 7);
    let l = ledger(ws.path());
    let imp = anbao::ledger::keys::SigningKey::load(
        &std::fs::read_dir(home.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("implementing"))
            .unwrap(),
    )
    .unwrap();
    l.checkpoint(&[&imp]).unwrap();
    let trust = l.trust_store().unwrap();
    for seq in E..E + 7 {
        let p = l.prove_inclusion(seq, None).unwrap();
        assert!(verify_proof(&Proof::Inclusion(p.clone()), &trust, None, None).ok);
        let mut forged = p.clone();
        forged.record = forged.record.replacen("应急演练", "应急演习", 1);
        assert!(!verify_proof(&Proof::Inclusion(forged), &trust, None, None).ok);
    }
    let c = l.prove_consistency(E + 3, None).unwrap();
    assert!(c.old_checkpoint.is_some(), "the checkpoint at 5 is found");
    assert!(verify_proof(&Proof::Consistency(c.clone()), &trust, None, None).ok);
    let mut forged = c.clone();
    forged.old_root = "00".repeat(32);
    assert!(!verify_proof(&Proof::Consistency(forged), &trust, None, None).ok);
    // Without the trust store nothing verifies.
    let empty = anbao::ledger::keys::TrustStore::default();
    assert!(!verify_proof(&Proof::Consistency(c), &empty, None, None).ok);
}

#[test]
fn exports_verify_elsewhere_and_hold_no_private_key() {
    for (profile, name) in [("intl", "e.tar"), ("gm", "e.zip")] {
        let (ws, home) = sample(profile, 5);
        // A private key left in keys/ by mistake must not travel.
        let stray = std::fs::read_dir(home.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "key"))
            .unwrap();
        let planted = ws.path().join("keys/stray.key");
        std::fs::copy(&stray, &planted).unwrap();
        let out = home.path().join(name);
        let l = ledger(ws.path());
        assert!(matches!(
            l.export(&out, ArchiveFormat::from_path(&out)),
            Err(LedgerError::PrivateKeyFile { .. })
        ));
        assert!(!out.exists());
        std::fs::remove_file(&planted).unwrap();
        let manifest = l.export(&out, ArchiveFormat::from_path(&out)).unwrap();
        assert!(manifest.verified);
        assert!(manifest.files.iter().all(|f| !f.path.ends_with(".key")));
        let bytes = std::fs::read(&out).unwrap();
        assert!(!bytes.windows(17).any(|w| w == b"anbao-private-key"));
        let report = verify_archive(&out, &Anchors::default()).unwrap();
        assert!(report.is_clean(), "{:?}", report.findings);
        assert!(!report.anchored);
        assert_eq!(report.records, E + 5);
    }
}

#[test]
fn a_torn_last_line_is_detected_refused_and_repaired_into_quarantine() {
    let (ws, home) = sample("intl", 3);
    let l = ledger(ws.path());
    let path = ledger_path(ws.path());
    let good = std::fs::read(&path).unwrap();
    let imp = anbao::ledger::keys::SigningKey::load(
        &std::fs::read_dir(home.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("implementing"))
            .unwrap(),
    )
    .unwrap();
    // The bytes of a fourth record, cut anywhere: what a crash mid-write could leave.
    l.append(NewRecord::new("note", json!({"x": "y"})), &[&imp])
        .unwrap();
    let full = std::fs::read(&path).unwrap();
    let fourth = &full[good.len()..];
    for cut in [1, fourth.len() / 3, fourth.len() - 1] {
        let mut torn = good.clone();
        torn.extend_from_slice(&fourth[..cut]);
        std::fs::write(&path, &torn).unwrap();
        assert_eq!(
            l.tail().unwrap(),
            Tail::Torn {
                offset: good.len() as u64,
                bytes: cut as u64
            }
        );
        let report = l.verify().unwrap();
        assert_eq!(report.first_bad.as_ref().unwrap().code, Code::TornLine);
        assert!(matches!(
            l.append(NewRecord::new("note", json!({})), &[&imp]),
            Err(LedgerError::Torn { .. })
        ));
        let outcome = l.repair().unwrap();
        let (qfile, bytes) = outcome.quarantined.unwrap();
        assert_eq!(bytes, cut as u64);
        assert_eq!(
            std::fs::read(&qfile).unwrap(),
            &fourth[..cut],
            "nothing is lost"
        );
        assert_eq!(std::fs::read(&path).unwrap(), good);
        assert!(l.verify().unwrap().is_clean());
        assert_eq!(l.repair().unwrap().quarantined, None);
    }
    l.append(NewRecord::new("note", json!({})), &[&imp])
        .unwrap();
    assert!(l.verify().unwrap().is_clean());
    assert_eq!(
        std::fs::read_dir(ws.path().join("records/quarantine"))
            .unwrap()
            .count(),
        3
    );
}

fn lines_of(ws: &Path) -> Vec<String> {
    std::fs::read_to_string(ledger_path(ws))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(ws: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(ledger_path(ws), text).unwrap();
}

/// Each tampering the issue names is caught, with its reason and the first bad record.
#[test]
fn deleted_reordered_duplicated_truncated_and_swapped_keys_are_detected() {
    let (ws, _home) = sample("intl", 6);
    let original = lines_of(ws.path());
    let first_bad = |expect: Code| {
        let report = ledger(ws.path()).verify().unwrap();
        assert!(!report.is_clean());
        let codes = codes(&report);
        assert!(codes.contains(&expect), "{expect:?} not in {codes:?}");
        report.first_bad.unwrap()
    };

    let mut deleted = original.clone();
    deleted.remove(4);
    write_lines(ws.path(), &deleted);
    let f = first_bad(Code::MissingRecord);
    assert_eq!(
        (f.code, f.seq, f.line),
        (Code::MissingRecord, Some(5), Some(5))
    );

    let mut reordered = original.clone();
    reordered.swap(3, 4);
    write_lines(ws.path(), &reordered);
    let f = first_bad(Code::OutOfOrder);
    assert_eq!(f.line, Some(4));

    let mut duplicated = original.clone();
    duplicated.insert(4, original[3].clone());
    write_lines(ws.path(), &duplicated);
    assert_eq!(first_bad(Code::DuplicateRecord).line, Some(5));

    // Below the checkpoint (size 5): the checkpoint names the truncation.
    write_lines(ws.path(), &original[..2]);
    first_bad(Code::Truncated);

    // Rewriting an early record changes the root the checkpoint signed.
    let mut changed = original.clone();
    changed[2] = changed[2].replace("应急演练", "应急演习");
    write_lines(ws.path(), &changed);
    assert_eq!(first_bad(Code::LeafHashMismatch).line, Some(3));

    write_lines(ws.path(), &original);
    assert!(ledger(ws.path()).verify().unwrap().is_clean());

    // Evidence changed or gone.
    let ev_dir = ws.path().join("evidence/sha256");
    let ev = std::fs::read_dir(&ev_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&ev, b"edited").unwrap();
    first_bad(Code::EvidenceMismatch);
    std::fs::remove_file(&ev).unwrap();
    assert_eq!(first_bad(Code::MissingEvidence).seq, Some(E + 1));

    // A swapped public key: another key written into the implementing unit's file. The ledger
    // still checks signatures with the key it enrolled; the file is named as what it is.
    let other = anbao::ledger::keys::SigningKey::generate(SigAlg::Ed25519, "implementing").unwrap();
    let imp_file = std::fs::read_dir(ws.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("implementing"))
        .unwrap();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&imp_file).unwrap()).unwrap();
    let b64 = anbao::ledger::keys::b64_encode(&other.public().to_bytes());
    v["public_key"] = json!(b64);
    std::fs::write(&imp_file, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let signatures_hold =
        |c: &[Code]| !c.contains(&Code::UnknownKey) && !c.contains(&Code::BadSignature);
    let report = ledger(ws.path()).verify().unwrap();
    let c = codes(&report);
    assert!(
        c.contains(&Code::TrustStoreInvalid) && signatures_hold(&c),
        "{c:?}"
    );
    // ... and with the key id rewritten to match the new key, it is a key nobody enrolled.
    v["key_id"] = json!(other.public().key_id());
    v.as_object_mut().unwrap().remove("proof");
    std::fs::write(&imp_file, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let report = ledger(ws.path()).verify().unwrap();
    let c = codes(&report);
    assert!(
        c.contains(&Code::KeyNotEnrolled) && signatures_hold(&c),
        "{c:?}"
    );
}

#[test]
fn verify_reports_its_phases_in_order_and_a_state_per_line() {
    let (ws, _home) = sample("intl", 6);
    let l = ledger(ws.path());
    let seen = std::sync::Mutex::new(Vec::new());
    let report = l
        .verify_with(&|p| seen.lock().unwrap().push(p.index()))
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.first(), Some(&0));
    assert_eq!(seen.last(), Some(&(anbao::ledger::Phase::COUNT - 1)));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(
        report.line_states(),
        vec![anbao::ledger::LineState::Verified; 8]
    );
    assert_eq!(report.corrected_by(E + 2), &[E + 4]);
    assert_eq!(
        report.signed_by(E + 2),
        vec!["construction", "implementing"]
    );

    // A changed record fails; the others stay verified.
    let path = ledger_path(ws.path());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"i\":\"3\"", "\"i\":\"9\"", 1)).unwrap();
    let states = l.verify().unwrap().line_states();
    assert_eq!(states[E as usize + 3], anbao::ledger::LineState::Failed);
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == anbao::ledger::LineState::Failed)
            .count(),
        1
    );
}
