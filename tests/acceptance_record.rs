//! `anbao check --record` through the real binary, on a copy of the demo workspace: the verdict
//! goes into the signed ledger with the digests of its inputs and the JSON report as evidence,
//! in both crypto profiles; without a key nothing is checked, printed or written.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use sha2::Digest as _;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-28";

/// A copy of the demo workspace's tracked files with the given profile.
fn demo_copy(profile: &str) -> tempfile::TempDir {
    let dir = common::demo::demo_copy();
    let manifest = std::fs::read_to_string(dir.path().join("anbao.toml")).unwrap();
    let manifest = manifest.replace("profile = \"intl\"", &format!("profile = \"{profile}\""));
    assert!(manifest.contains(&format!("profile = \"{profile}\"")));
    std::fs::write(dir.path().join("anbao.toml"), manifest).unwrap();
    dir
}

fn anbao(ws: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anbao").unwrap();
    cmd.env_remove("ANBAO_WORKSPACE")
        .env_remove("ANBAO_KEY")
        // No key folder of the user's own may leak into the test.
        .env("HOME", ws.join("no-home"))
        .env("XDG_CONFIG_HOME", ws.join("no-home"))
        .env("NO_COLOR", "1")
        .arg("-C")
        .arg(ws)
        .args(["--lang", "en"]);
    cmd
}

/// Makes a key for `unit` outside the workspace and trusts it; returns the private key path.
fn key(ws: &Path, keys: &Path, unit: &str) -> PathBuf {
    let path = keys.join(format!("{unit}.key"));
    anbao(ws)
        .args(["keys", "new", "--unit", unit, "--out"])
        .arg(&path)
        .assert()
        .success();
    path
}

/// The verdict record: record 1, after the record that enrolled the signing key.
fn recorded_body(ws: &Path) -> (Value, Value) {
    let out = anbao(ws)
        .args(["ledger", "show", "1", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = shown["record"]["entry"].clone();
    (entry["body"].clone(), entry)
}

fn check_and_record(ws: &Path, key: &Path) -> std::process::Output {
    anbao(ws)
        .args([
            "check", "--format", "json", "--as-of", AS_OF, "--record", "--key",
        ])
        .arg(key)
        .output()
        .unwrap()
}

#[test]
fn the_verdict_is_filed_with_its_inputs_and_the_report_as_evidence() {
    let ws = demo_copy("intl");
    let keys = tempfile::tempdir().unwrap();
    let key = key(ws.path(), keys.path(), "supervision");
    let out = check_and_record(ws.path(), &key);
    // The demo fails its check; recording does not change the exit code or the report.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is only the report");
    assert_eq!(report["schema"], "anbao.check/2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wrote record 1 (acceptance.verdict, supervision)"),
        "{stderr}"
    );

    let (body, entry) = recorded_body(ws.path());
    assert_eq!(entry["kind"], "acceptance.verdict");
    assert_eq!(entry["unit"], "supervision");
    assert_eq!(body["schema"], "anbao.acceptance.verdict/1");
    assert_eq!(body["as_of"], AS_OF);
    assert_eq!(body["verdict"]["meets"], false);
    assert_eq!(body["verdict"]["summary"], report["verdict"]["summary"]);
    let blocking: Vec<&str> = body["blocking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["component"].as_str().unwrap())
        .collect();
    assert!(
        blocking
            .iter()
            .any(|c| c.starts_with("Oracle WebLogic Server")),
        "{blocking:?}"
    );

    // Every input the report names is in the record, relative to the workspace, with the
    // SHA-256 of the file as it is on disk.
    let inputs = body["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), report["inputs"].as_array().unwrap().len());
    let roles: Vec<&str> = inputs.iter().map(|i| i["role"].as_str().unwrap()).collect();
    for role in ["inventory", "policy", "catalog", "waivers", "calendar"] {
        assert!(roles.contains(&role), "{role} missing from {roles:?}");
    }
    for input in inputs {
        let rel = input["path"].as_str().unwrap();
        assert!(!Path::new(rel).is_absolute(), "{rel}");
        let bytes = std::fs::read(ws.path().join(rel)).unwrap();
        let want = format!("sha256:{}", hex::encode(sha2::Sha256::digest(&bytes)));
        assert_eq!(input["digest"], want, "{rel}");
    }

    // The report is stored as evidence, content-addressed, and is the report that was printed.
    let evidence = entry["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(
        evidence[0]["name"],
        format!("acceptance-report-XZZW-2026-001-{AS_OF}.json")
    );
    let digest = evidence[0]["hash"].as_str().unwrap();
    let stored = ws
        .path()
        .join("evidence/sha256")
        .join(digest.strip_prefix("sha256:").unwrap());
    let stored: Value = serde_json::from_slice(&std::fs::read(stored).unwrap()).unwrap();
    assert_eq!(stored["verdict"], report["verdict"]);
    assert_eq!(stored["findings"], report["findings"]);

    anbao(ws.path())
        .args(["ledger", "verify"])
        .assert()
        .success();
}

#[test]
fn the_gm_profile_records_sm3_digests_signed_with_sm2() {
    let ws = demo_copy("gm");
    let keys = tempfile::tempdir().unwrap();
    let key = key(ws.path(), keys.path(), "implementing");
    let out = check_and_record(ws.path(), &key);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (body, entry) = recorded_body(ws.path());
    assert!(
        entry["signer"].as_str().unwrap().starts_with("sm2:"),
        "{entry}"
    );
    for input in body["inputs"].as_array().unwrap() {
        let digest = input["digest"].as_str().unwrap();
        let bytes = std::fs::read(ws.path().join(input["path"].as_str().unwrap())).unwrap();
        let want = format!("sm3:{}", hex::encode(sm3::Sm3::digest(&bytes)));
        assert_eq!(digest, want);
    }
    anbao(ws.path())
        .args(["ledger", "verify"])
        .assert()
        .success();
}

#[test]
fn without_a_key_nothing_is_checked_printed_or_written() {
    let ws = demo_copy("intl");
    let out = anbao(ws.path())
        .args(["check", "--format", "json", "--as-of", AS_OF, "--record"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "no report without the record asked for"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no signing key found"), "{stderr}");
    assert!(
        stderr.contains("anbao keys new --unit"),
        "says how to make one: {stderr}"
    );
    assert!(!ws.path().join("records/ledger.jsonl").exists());
    assert!(!ws.path().join("evidence").exists());
}

#[test]
fn a_key_without_record_is_a_usage_error() {
    let ws = demo_copy("intl");
    anbao(ws.path())
        .args(["check", "--key", "/nonexistent.key"])
        .assert()
        .code(2);
}
