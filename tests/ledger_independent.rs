//! An independent verifier written from docs/ledger-format.md alone (tools/verify_ledger.py)
//! agrees with anbao on ledgers of both profiles, and catches a changed byte. Skipped, with a
//! note, where Python or its `cryptography` package is missing.

mod common;

use anbao::ledger::{NewRecord, SigAlg};
use common::*;
use serde_json::json;
use std::path::Path;
use std::process::Command;

fn python_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import cryptography, hashlib; hashlib.new('sm3')"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(ws: &Path) -> (i32, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/verify_ledger.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(ws)
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
        l.cosign(1, &con).unwrap();
        l.checkpoint(&[&imp, &con]).unwrap();
        l.append(
            NewRecord::new("acceptance.verdict", json!({"emoji": "😀", "meets": false}))
                .supersedes(0),
            &[&imp, &con],
        )
        .unwrap();
        l.append(
            NewRecord::new("note", json!({})).requires(&["construction"]),
            &[&imp],
        )
        .unwrap();
        l.checkpoint(&[&con]).unwrap();
        assert!(l.verify().unwrap().is_clean());

        let (code, out) = run(ws.path());
        assert_eq!(code, 0, "{profile}: {out}");
        assert!(
            out.contains("OK: 5 records, 1 awaiting a signature, 0 failures"),
            "{out}"
        );

        let path = ledger_path(ws.path());
        let good = std::fs::read(&path).unwrap();
        for pos in [15, good.len() / 2, good.len() - 20] {
            let mut bad = good.clone();
            bad[pos] ^= 0x04;
            std::fs::write(&path, &bad).unwrap();
            let (code, out) = run(ws.path());
            assert_eq!(code, 1, "{profile} byte {pos}: {out}");
            assert!(!l.verify().unwrap().is_clean());
        }
        std::fs::write(&path, &good).unwrap();
    }
}
