//! `anbao keys` and `anbao ledger` through the real binary, in temporary workspaces, with the
//! user's key folder pointed at a temporary home.

mod common;

use assert_cmd::Command;
use common::{s, Cli as Env};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[test]
fn keys_new_then_append_list_show_verify() {
    let env = Env::new("intl");
    let v = env.json(&["keys", "new", "--unit", "implementing", "--format", "json"]);
    assert_eq!(v["schema"], "anbao.keys.new/1");
    assert_eq!(v["alg"], "ed25519");
    let private = PathBuf::from(v["private_key"].as_str().unwrap());
    assert!(private.starts_with(env.home.path().join("anbao/keys")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(Path::new(v["public_key"].as_str().unwrap()).starts_with(env.ws.path().join("keys")));
    let listed = env.json(&["keys", "list", "--format", "json"]);
    assert_eq!(listed["keys"][0]["unit"], "implementing");
    assert_eq!(listed["keys"][0]["unit_name"], "示例实施单位");

    // The key is found in the user's key folder without --key.
    let evidence = env.home.path().join("验收报告.pdf");
    std::fs::write(&evidence, b"%PDF-1.4 illustrative").unwrap();
    let v = env.json(&[
        "ledger",
        "append",
        "--kind",
        "acceptance.verdict",
        "--body",
        r#"{"meets": false, "failing": "3"}"#,
        "--evidence",
        s(&evidence),
        "--format",
        "json",
    ]);
    assert_eq!(v["schema"], "anbao.ledger.append/1");
    // Record 0 is the key's enrolment, which founded the ledger.
    assert_eq!(v["seq"], "1");
    assert_eq!(v["record"]["entry"]["evidence"][0]["name"], "验收报告.pdf");
    let list = env.json(&["ledger", "list", "--format", "json"]);
    assert_eq!(list["records"].as_array().unwrap().len(), 2);
    assert_eq!(list["records"][0]["kind"], "key.enrol");
    assert_eq!(list["verified"], true);
    let shown = env.ok(&["ledger", "show", "1"]);
    assert!(
        shown.contains("acceptance.verdict") && shown.contains("valid"),
        "{shown}"
    );
    let out = env.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger verified"), "{out}");
    let v = env.json(&["ledger", "verify", "--format", "json"]);
    assert_eq!(v["schema"], "anbao.ledger.verify/1");
    assert_eq!(v["clean"], true);
    assert_eq!(v["records"], "2");
    assert_eq!(v["anchored"], false);
    assert_eq!(v["keys"][0]["founding"], true);

    // Floats are refused with the place named; the ledger is unchanged.
    let (code, _, err) = env.run(&[
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        r#"{"score": 9.5}"#,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not an integer"), "{err}");
    let (code, _, err) = env.run(&[
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        r#"{"a":1,"a":2}"#,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("duplicate key"), "{err}");
}

#[test]
fn without_a_key_the_message_says_exactly_how_to_make_one() {
    let env = Env::new("intl");
    let (code, _, err) = env.run(&["ledger", "append", "--kind", "note", "--body", "{}"]);
    assert_eq!(code, 2);
    for part in ["--key FILE", "ANBAO_KEY", "anbao keys new --unit UNIT"] {
        assert!(err.contains(part), "{part} missing in: {err}");
    }
    let (code, _, err) = env.run_in(
        "zh",
        &["ledger", "append", "--kind", "note", "--body", "{}"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("未找到签名私钥") && err.contains("anbao keys new"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_key_readable_by_others_is_refused_and_keys_stay_out_of_the_workspace() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new("intl");
    let key = env.key("implementing");
    let before = std::fs::read(env.ledger()).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = env.try_note(&key, "{}");
    assert_eq!(code, 2);
    assert!(
        err.contains("readable by group or others") && err.contains("chmod 600"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(env.ledger()).unwrap(),
        before,
        "nothing was written"
    );
    let inside = env.ws.path().join("my.key");
    let (code, _, err) = env.run(&["keys", "new", "--unit", "construction", "--out", s(&inside)]);
    assert_eq!(code, 2);
    assert!(err.contains("outside the workspace"), "{err}");
    assert!(!inside.exists());
}

#[test]
fn joint_records_await_the_second_unit_until_it_signs() {
    let env = Env::new("gm");
    let imp = env.key("implementing");
    let con = env.key("construction");
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "assessment.signoff",
        "--body",
        r#"{"risks": "2"}"#,
        "--requires",
        "construction",
        "--key",
        s(&imp),
    ]);
    let list = env.ok(&["ledger", "list"]);
    assert!(list.contains("awaiting construction"), "{list}");
    // Awaiting is shown, not failed.
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 0);
    assert!(out.contains("awaiting-signature"), "{out}");

    // Records 0 and 1 enrol the keys.
    env.ok(&["ledger", "sign", "2", "--key", s(&con)]);
    let list = env.json(&["ledger", "list", "--format", "json"]);
    assert_eq!(list["records"][2]["awaiting"], serde_json::json!([]));
    assert_eq!(
        list["records"][2]["signed_by"],
        serde_json::json!(["construction", "implementing"])
    );
    assert_eq!(list["records"][3]["kind"], "cosign");

    // The offline path: a detached signature, filed by the implementing unit.
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "assessment.signoff",
        "--body",
        "{}",
        "--requires",
        "construction",
        "--key",
        s(&imp),
    ]);
    let sig = env.home.path().join("sig.json");
    env.ok(&["ledger", "sign", "4", "--key", s(&con), "--output", s(&sig)]);
    env.ok(&["ledger", "cosign", s(&sig), "--key", s(&imp)]);
    let v = env.json(&["ledger", "verify", "--format", "json"]);
    assert_eq!(v["clean"], true);
    assert_eq!(v["awaiting"], serde_json::json!([]));
    // Signed at once by both: complete from the start.
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "drill.run",
        "--body",
        "{}",
        "--key",
        s(&imp),
        "--key",
        s(&con),
    ]);
    let shown = env.json(&["ledger", "show", "6", "--format", "json"]);
    assert_eq!(
        shown["signed_by"],
        serde_json::json!(["construction", "implementing"])
    );
}

#[test]
fn a_changed_byte_fails_verify_naming_the_first_bad_record() {
    let env = Env::new("intl");
    let key = env.key("implementing");
    for i in 0..3 {
        env.note(&key, &format!(r#"{{"i": "{i}"}}"#));
    }
    let mut bytes = std::fs::read(env.ledger()).unwrap();
    let second = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let at = second
        + bytes[second..]
            .windows(5)
            .position(|w| w == b"\"i\":\"")
            .unwrap()
        + 5;
    bytes[at] = b'7';
    std::fs::write(env.ledger(), &bytes).unwrap();
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("first bad record: #1 (line 2): leaf-hash-mismatch"),
        "{out}"
    );
    let v: Value =
        serde_json::from_str(&env.run(&["ledger", "verify", "--format", "json"]).1).unwrap();
    assert_eq!(v["first_bad"]["code"], "leaf-hash-mismatch");
    assert_eq!(v["first_bad"]["seq"], "1");
    let (code, out, _) = env.run_in("zh", &["ledger", "verify"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("首个问题记录") && out.contains("哈希不符"),
        "{out}"
    );
}

#[test]
fn checkpoints_proofs_and_exports_verify_without_the_workspace() {
    let env = Env::new("intl");
    let key = env.key("implementing");
    for i in 0..5 {
        env.note(&key, &format!(r#"{{"i": "{i}"}}"#));
    }
    let out = env.ok(&["ledger", "checkpoint", "--key", s(&key)]);
    assert!(out.contains("anbao/TEST-001/sha256\n6\n"), "{out}");
    assert!(out.contains("\u{2014} implementing/ed25519:"), "{out}");
    env.note(&key, "{}");
    env.ok(&["ledger", "checkpoint", "--key", s(&key)]);
    let old_cp = std::fs::read_dir(env.ws.path().join("records/checkpoints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();

    let proof = env.home.path().join("inclusion.json");
    env.ok(&["ledger", "prove", "--inclusion", "4", "-o", s(&proof)]);
    let consistency = env.home.path().join("consistency.json");
    env.ok(&[
        "ledger",
        "prove",
        "--consistency",
        "6",
        "-o",
        s(&consistency),
    ]);
    // Elsewhere: only the proof and the trust store.
    let keys = env.ws.path().join("keys");
    let elsewhere = tempfile::tempdir().unwrap();
    let verify_proof = |args: &[&str]| {
        let out = Command::cargo_bin("anbao")
            .unwrap()
            .current_dir(elsewhere.path())
            .args(["ledger", "verify-proof"])
            .args(args)
            .args(["--keys", s(&keys)])
            .env("NO_COLOR", "1")
            .env("ANBAO_LANG", "en")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = verify_proof(&[s(&proof)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("record 4 is included"), "{out}");
    let (code, out) = verify_proof(&[s(&consistency), "--old-checkpoint", s(&old_cp)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("only grew to 7"), "{out}");
    let forged = std::fs::read_to_string(&proof)
        .unwrap()
        .replace(r#"\"i\":\"3\""#, r#"\"i\":\"9\""#);
    std::fs::write(&proof, forged).unwrap();
    let (code, out) = verify_proof(&[s(&proof)]);
    assert_eq!(code, 1, "{out}");

    for name in ["pkg.tar", "pkg.zip"] {
        let archive = env.home.path().join(name);
        let v = env.json(&["ledger", "export", "-o", s(&archive), "--format", "json"]);
        assert_eq!(v["manifest"]["verified"], true);
        let out = Command::cargo_bin("anbao")
            .unwrap()
            .current_dir(elsewhere.path())
            .args([
                "ledger",
                "verify",
                "--archive",
                s(&archive),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["records"], "7");
        assert_eq!(v["checkpoints"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn a_torn_line_blocks_appends_until_repair_quarantines_it() {
    let env = Env::new("intl");
    let key = env.key("implementing");
    env.note(&key, "{}");
    let good = std::fs::read(env.ledger()).unwrap();
    let mut torn = good.clone();
    torn.extend_from_slice(br#"{"entry":{"body":{},"evid"#);
    std::fs::write(env.ledger(), &torn).unwrap();
    let (code, _, err) = env.try_note(&key, "{}");
    assert_eq!(code, 2);
    assert!(
        err.contains("torn line") && err.contains("anbao ledger repair"),
        "{err}"
    );
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("torn-line"), "{out}");
    let out = env.ok(&["ledger", "repair"]);
    assert!(out.contains("quarantine"), "{out}");
    assert_eq!(std::fs::read(env.ledger()).unwrap(), good);
    let q = std::fs::read_dir(env.ws.path().join("records/quarantine"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(std::fs::read(q).unwrap(), br#"{"entry":{"body":{},"evid"#);
    env.note(&key, "{}");
    env.ok(&["ledger", "verify"]);
    assert!(env.ok(&["ledger", "repair"]).contains("nothing to repair"));
    let v = env.json(&["ledger", "repair", "--format", "json"]);
    assert_eq!(
        (v["schema"].as_str(), v["repaired"].as_bool()),
        (Some("anbao.ledger.repair/1"), Some(false))
    );
}

#[test]
fn binaries_appending_at_once_keep_every_record() {
    let env = Env::new("intl");
    let key = env.key("implementing");
    std::thread::scope(|scope| {
        for w in 0..2 {
            let env = &env;
            let key = &key;
            scope.spawn(move || {
                for i in 0..25 {
                    env.ok(&[
                        "ledger",
                        "append",
                        "--kind",
                        "note",
                        "--body",
                        &format!(r#"{{"w": "{w}", "i": "{i}"}}"#),
                        "--key",
                        s(key),
                    ]);
                }
            });
        }
    });
    let v = env.json(&["ledger", "verify", "--format", "json"]);
    assert_eq!(v["clean"], true);
    assert_eq!(v["records"], "51");
}
