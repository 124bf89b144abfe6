//! An independent verifier written from docs/ledger-format.md alone (tools/verify_ledger.py)
//! agrees with anbao: on ledgers of both profiles with keys enrolled, rotated and revoked, on a
//! changed byte, a planted key file, a ledger forged with the trivial signature a lenient
//! Ed25519 library accepts, and with and without the authority's anchors. Skipped, with a
//! note, where Python or its `cryptography` package is missing.

mod common;

use anbao::ledger::canonical::to_canonical;
use anbao::ledger::keys::{b64_encode, SigningKey};
use anbao::ledger::{merkle, Anchors, Code, HashAlg, NewRecord, SigAlg};
use common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn python_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import cryptography, hashlib; hashlib.new('sm3')"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(ws: &Path, anchors: &[&str]) -> (i32, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/verify_ledger.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(ws)
        .args(anchors)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_python_verifier_from_the_spec_agrees() {
    if !python_ready() {
        eprintln!("skipped: python3 with `cryptography` and SM3 is not available");
        return;
    }
    for (profile, alg) in [("intl", SigAlg::Ed25519), ("gm", SigAlg::Sm2)] {
        let ws = workspace(profile);
        let home = tempfile::tempdir().unwrap();
        let imp = key(ws.path(), home.path(), "implementing", alg);
        let con = key(ws.path(), home.path(), "construction", alg);
        let l = ledger(ws.path());
        let ev = home.path().join("记录.txt");
        std::fs::write(&ev, "演练记录\n").unwrap();
        l.append(
            NewRecord::new("drill.run", json!({"说明": "Cafe\u{301}", "n": 3})).evidence(&[ev]),
            &[&imp],
        )
        .unwrap();
        l.append(
            NewRecord::new("assessment.signoff", json!({"tab": "a\tb\u{1}"}))
                .requires(&["construction"]),
            &[&imp],
        )
        .unwrap();
        l.cosign(3, &con).unwrap();
        l.checkpoint(&[&imp, &con]).unwrap();
        l.append(
            NewRecord::new("acceptance.verdict", json!({"emoji": "😀", "meets": false}))
                .supersedes(2),
            &[&imp, &con],
        )
        .unwrap();
        // The construction unit's key is rotated, then a second implementing key is enrolled
        // and revoked; each signs only where it may.
        let mut con2 = SigningKey::generate(alg, "construction").unwrap();
        con2.save(&home.path().join("con2.key"), "2026-01-01T00:00:00+08:00")
            .unwrap();
        l.rotate(&con, &con2, None).unwrap();
        l.append(
            NewRecord::new("note", json!({})).requires(&["construction"]),
            &[&imp],
        )
        .unwrap();
        let imp2 = key(ws.path(), home.path(), "implementing", alg);
        l.append(NewRecord::new("note", json!({"by": "2"})), &[&imp2])
            .unwrap();
        l.revoke(&imp2.key_id, "lost", &imp).unwrap();
        l.checkpoint(&[&con2]).unwrap();
        let report = l.verify().unwrap();
        assert!(report.is_clean(), "{:?}", report.findings);

        let (code, out) = run(ws.path(), &[]);
        assert_eq!(code, 0, "{profile}: {out}");
        assert!(
            out.contains("OK: 11 records, 1 awaiting a signature, 0 failures"),
            "{out}"
        );
        assert!(out.contains("not anchored"), "{out}");

        // The founding key as filed: anchored for both.
        let founding = report.keys.iter().find(|k| k.founding).unwrap();
        let trust = home.path().join("filed.txt");
        std::fs::write(&trust, format!("{}\n", founding.key_id)).unwrap();
        let (code, out) = run(ws.path(), &["--trust", trust.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("anchored: authenticated"), "{out}");
        let anchors = Anchors::load(std::slice::from_ref(&trust), &[]).unwrap();
        assert!(l.verify_anchored(&anchors, &|_| {}).unwrap().anchored);

        // A revoked key signing after its revocation fails both.
        let path = ledger_path(ws.path());
        let good = std::fs::read(&path).unwrap();
        let imp2_file = home.path().join(imp2.file_name());
        let mut late = imp2;
        late.path = imp2_file;
        let appended = l.append(NewRecord::new("note", json!({})), &[&late]);
        assert!(
            appended.is_err(),
            "anbao refuses to sign with a revoked key"
        );

        for pos in [15, good.len() / 2, good.len() - 20] {
            let mut bad = good.clone();
            bad[pos] ^= 0x04;
            std::fs::write(&path, &bad).unwrap();
            let (code, out) = run(ws.path(), &[]);
            assert_eq!(code, 1, "{profile} byte {pos}: {out}");
            assert!(!l.verify().unwrap().is_clean());
        }
        std::fs::write(&path, &good).unwrap();

        // A key file planted in keys/ fails both.
        let planted = SigningKey::generate(alg, "implementing").unwrap();
        plant_key_file(ws.path(), &planted);
        let (code, out) = run(ws.path(), &[]);
        assert_eq!(code, 1, "{out}");
        assert!(!l.verify().unwrap().is_clean());
    }
}

/// A canonical record line: the entry, its signatures and the leaf hash computed over them.
fn line(entry: &Value, signatures: &Value) -> String {
    let leaf_input = to_canonical(&json!({"entry": entry, "signatures": signatures})).unwrap();
    let leaf = merkle::leaf_hash(HashAlg::Sha256, &leaf_input);
    let whole = json!({
        "entry": entry,
        "leaf_hash": format!("sha256:{}", hex::encode(leaf)),
        "signatures": signatures,
    });
    String::from_utf8(to_canonical(&whole).unwrap()).unwrap()
}

/// A ledger "founded" by the identity point and signed throughout with R = identity, S = 0:
/// valid under a lenient Ed25519 library for every message, refused by strict verification.
#[test]
fn a_ledger_forged_with_the_trivial_signature_fails_both_verifiers() {
    let ws = workspace("intl");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let key_id = format!(
        "ed25519:{}",
        hex::encode(&HashAlg::Sha256.hash(&[&identity])[..16])
    );
    let mut trivial = identity.to_vec();
    trivial.extend([0u8; 32]);
    let sig = b64_encode(&trivial);
    let signatures = json!([{"alg": "ed25519", "key": key_id, "sig": sig}]);
    let entry = |seq: &str, kind: &str, body: Value| {
        json!({"body": body, "evidence": [], "kind": kind, "requires": ["implementing"],
               "seq": seq, "signer": key_id, "time": "2026-11-10T10:00:00+08:00",
               "unit": "implementing", "v": "1"})
    };
    let key = json!({"alg": "ed25519", "key_id": key_id, "public_key": b64_encode(&identity),
                     "unit": "implementing"});
    let text = format!(
        "{}\n{}\n",
        line(
            &entry("0", "key.enrol", json!({"key": key, "proof": sig})),
            &signatures
        ),
        line(
            &entry("1", "acceptance.verdict", json!({"meets": true})),
            &signatures
        ),
    );
    std::fs::create_dir_all(ws.path().join("records")).unwrap();
    std::fs::write(ledger_path(ws.path()), text).unwrap();
    let report = ledger(ws.path()).verify().unwrap();
    let codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&Code::BadKeyRecord) && codes.contains(&Code::UnknownKey),
        "the identity key is no key, so nothing it signs counts: {codes:?}"
    );
    if !python_ready() {
        eprintln!("skipped the Python half: python3 with `cryptography` is not available");
        return;
    }
    let (code, out) = run(ws.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bad key record: not a valid public key"),
        "{out}"
    );
}
