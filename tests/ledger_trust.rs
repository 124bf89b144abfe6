//! Trust anchors, tried as an attacker would: a key planted in `keys/`, a ledger re-signed by
//! a key of the attacker's own, a forged archive and a proof checked with and without the
//! authority's copy of the keys (`--trust`) and of a filed checkpoint (`--checkpoint`), and a
//! signed record whose body is not an object.

mod common;

use anbao::ledger::keys::SigningKey;
use anbao::ledger::record::{self, Record};
use anbao::ledger::HashAlg;
use common::{s, Cli};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn lines(path: &Path) -> Vec<Record> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| record::parse(l.as_bytes()).unwrap())
        .collect()
}

/// Writes `records` as the ledger, each entry re-signed by `key` alone (and named its signer).
fn resign(path: &Path, records: &[Record], key: &SigningKey) {
    let mut text = String::new();
    for r in records {
        let mut entry = r.entry.clone();
        entry.signer = key.key_id.clone();
        entry.unit = key.unit.clone();
        entry.requires = vec![key.unit.clone()];
        text.push_str(&record::build(&entry, HashAlg::Sha256, &[key]).unwrap().line);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

fn public_files(ws: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(ws.join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Finding 1: copying a second public key of a unit into `keys/` gave that key the unit's
/// voice, and re-signing the ledger with it (checkpoints deleted) verified clean again.
#[test]
fn a_key_planted_in_keys_gains_no_trust() {
    let env = Cli::new("intl");
    let imp = env.key("implementing");
    for i in 0..3 {
        env.note(&imp, &format!(r#"{{"i": "{i}"}}"#));
    }
    env.ok(&["ledger", "checkpoint", "--key", s(&imp)]);
    assert_eq!(env.run(&["ledger", "verify"]).0, 0);

    // A second implementing key, made in another workspace; its public file copied in.
    let elsewhere = Cli::new("intl");
    let planted = elsewhere.key("implementing");
    for f in public_files(elsewhere.ws.path()) {
        std::fs::copy(&f, env.ws.path().join("keys").join(f.file_name().unwrap())).unwrap();
    }
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 1, "a planted key file must not pass: {out}");
    assert!(out.contains("key-not-enrolled"), "{out}");

    // The whole ledger re-signed with the planted key, and the checkpoints deleted.
    let key = SigningKey::load(&planted).unwrap();
    resign(&env.ledger(), &lines(&env.ledger()), &key);
    std::fs::remove_dir_all(env.ws.path().join("records/checkpoints")).unwrap();
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(
        code, 1,
        "a ledger re-signed by a planted key must fail: {out}"
    );
}

/// What the authority keeps of a project: the public key file of its first key and the
/// checkpoint filed with it.
struct Filed {
    dir: tempfile::TempDir,
}

impl Filed {
    fn key(&self) -> PathBuf {
        self.dir.path().join("implementing.json")
    }

    fn fingerprints(&self) -> PathBuf {
        self.dir.path().join("fingerprints.txt")
    }

    fn checkpoint(&self) -> PathBuf {
        self.dir.path().join("filed-checkpoint.txt")
    }
}

/// A project of three notes, the first saying whether the project `meets` the requirement,
/// and a checkpoint; returns it and the key that signed it.
fn three_notes(meets: &str) -> (Cli, PathBuf) {
    let env = Cli::new("intl");
    let key = env.key("implementing");
    for body in [
        format!(r#"{{"meets": "{meets}"}}"#),
        r#"{"drill": "1"}"#.into(),
        r#"{"risks": "2"}"#.into(),
    ] {
        env.note(&key, &body);
    }
    (env, key)
}

/// The real project, and what it filed with the authority.
fn legit() -> (Cli, Filed) {
    let (env, imp) = three_notes("true");
    let cp: Value = env.json(&["ledger", "checkpoint", "--key", s(&imp), "--format", "json"]);
    let filed = Filed {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::write(filed.checkpoint(), cp["note"].as_str().unwrap()).unwrap();
    let public = public_files(env.ws.path()).remove(0);
    std::fs::copy(&public, filed.key()).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(&public).unwrap()).unwrap();
    std::fs::write(
        filed.fingerprints(),
        format!(
            "# keys filed with the authority\n{}\n",
            v["key_id"].as_str().unwrap()
        ),
    )
    .unwrap();
    (env, filed)
}

/// The same project made again by someone holding none of its keys: a key of their own, the
/// same records with one body changed, a checkpoint of their own.
fn forged() -> Cli {
    let (env, key) = three_notes("false");
    env.ok(&["ledger", "checkpoint", "--key", s(&key)]);
    env
}

/// Runs `anbao ledger ARGS` outside any workspace.
fn elsewhere(env: &Cli, lang: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = env
        .command(dir.path(), lang)
        .arg("ledger")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Finding 2: `verify --archive` trusted the keys inside the archive, with no way to give it
/// the keys or the checkpoint filed with the authority.
#[test]
fn a_forged_archive_fails_against_the_filed_keys_and_checkpoint() {
    let (real, filed) = legit();
    let fake = forged();
    let archive = fake.home.path().join("forged.tar");
    fake.ok(&["ledger", "export", "-o", s(&archive)]);

    // Without an anchor it is self-consistent, and says that this authenticates nothing.
    let (code, out) = elsewhere(&fake, "en", &["verify", "--archive", s(&archive)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("self-consistent but not authenticated"),
        "{out}"
    );
    let (_, out) = elsewhere(&fake, "zh", &["verify", "--archive", s(&archive)]);
    assert!(out.contains("自洽但未经认证"), "{out}");
    let (_, out) = elsewhere(
        &fake,
        "en",
        &["verify", "--archive", s(&archive), "--format", "json"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["anchored"], false, "{out}");

    // Against what was filed, it fails: the pinned key, its fingerprint, the checkpoint.
    for anchor in [
        vec!["--trust", s(&filed.key())],
        vec!["--trust", s(&filed.fingerprints())],
        vec!["--checkpoint", s(&filed.checkpoint())],
    ] {
        let mut args = vec!["verify", "--archive", s(&archive)];
        args.extend(&anchor);
        let (code, out) = elsewhere(&fake, "en", &args);
        assert_eq!(code, 1, "{anchor:?}: {out}");
    }

    // The real archive passes both anchors at once and says it is anchored.
    let good = real.home.path().join("real.zip");
    real.ok(&["ledger", "export", "-o", s(&good)]);
    let (code, out) = elsewhere(
        &real,
        "en",
        &[
            "verify",
            "--archive",
            s(&good),
            "--trust",
            s(&filed.key()),
            "--checkpoint",
            s(&filed.checkpoint()),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["anchored"], true, "{out}");

    // The workspace itself: the same anchors.
    let (code, out, _) = fake.run(&["ledger", "verify", "--checkpoint", s(&filed.checkpoint())]);
    assert_eq!(code, 1, "{out}");
    let (code, out, _) = real.run(&["ledger", "verify", "--trust", s(&filed.key())]);
    assert_eq!(code, 0, "{out}");
}

/// Finding 2, proofs: `verify-proof` without `--keys` trusted the workspace's own keys.
#[test]
fn a_forged_proof_fails_against_the_filed_keys() {
    let (_real, filed) = legit();
    let fake = forged();
    let proof = fake.home.path().join("proof.json");
    fake.ok(&["ledger", "prove", "--inclusion", "1", "-o", s(&proof)]);
    let (code, out, _) = fake.run(&["ledger", "verify-proof", s(&proof)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("self-consistent but not authenticated"),
        "{out}"
    );
    let (code, out, _) = fake.run(&[
        "ledger",
        "verify-proof",
        s(&proof),
        "--trust",
        s(&filed.key()),
    ]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = elsewhere(
        &fake,
        "en",
        &[
            "verify-proof",
            s(&proof),
            "--checkpoint",
            s(&filed.checkpoint()),
        ],
    );
    assert_ne!(code, 0, "{out}");
}

/// Finding 4, last part: a correctly signed record whose body is an array, a string or null.
#[test]
fn a_signed_record_whose_body_is_not_an_object_fails() {
    for body in ["[1,2]", "\"text\"", "null"] {
        let env = Cli::new("intl");
        let imp = env.key("implementing");
        env.note(&imp, r#"{"ok": "1"}"#);
        let key = SigningKey::load(&imp).unwrap();
        let mut records = lines(&env.ledger());
        let mut entry = records.last().unwrap().entry.clone();
        entry.seq += 1;
        entry.body = serde_json::from_str(body).unwrap();
        records.push(record::build(&entry, HashAlg::Sha256, &[&key]).unwrap());
        let text: String = records.iter().map(|r| format!("{}\n", r.line)).collect();
        std::fs::write(env.ledger(), text).unwrap();
        let (code, out, _) = env.run(&["ledger", "verify"]);
        assert_eq!(code, 1, "body {body}: {out}");
        assert!(out.contains("malformed-record"), "{body}: {out}");
    }
}
