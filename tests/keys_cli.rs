//! `anbao keys` through the real binary: enrol, rotate, revoke, a key made where its unit's
//! authority is not at hand, the migration of a workspace from an earlier anbao, the config
//! folder moved by ANBAO_CONFIG_DIR, and signing keys that lie inside a workspace.

mod common;

use anbao::ledger::keys::SigningKey;
use anbao::ledger::record::{self, Entry};
use anbao::ledger::{checkpoint, HashAlg, SigAlg};
use common::{s, Cli};
use serde_json::{json, Value};
use std::path::Path;

fn list(env: &Cli) -> Value {
    env.json(&["keys", "list", "--format", "json"])
}

#[test]
fn rotate_and_revoke_end_what_a_key_may_sign() {
    let env = Cli::new("intl");
    let imp = env.key("implementing");
    let con = env.key("construction");
    env.note(&con, r#"{"by": "con"}"#);
    let con_id = SigningKey::load(&con).unwrap().key_id;

    // Rotation: the old implementing key signs nothing after it; the new one does.
    let new_imp = env.home.path().join("implementing-2.key");
    let out = env.ok(&[
        "keys",
        "rotate",
        "--unit",
        "implementing",
        "--key",
        s(&imp),
        "--out",
        s(&new_imp),
    ]);
    assert!(out.contains("rotated the key of implementing"), "{out}");
    let (code, _, err) = env.try_note(&imp, "{}");
    assert_eq!(code, 2);
    assert!(
        err.contains("no longer signs") && err.contains("rotated"),
        "{err}"
    );
    env.note(&new_imp, r#"{"by": "new"}"#);

    // Revocation by the founding unit (its current key): the construction key is done.
    let out = env.ok(&[
        "keys",
        "revoke",
        &con_id,
        "--reason",
        "laptop lost",
        "--key",
        s(&new_imp),
    ]);
    assert!(out.contains("revoked"), "{out}");
    let (code, _, err) = env.try_note(&con, "{}");
    assert_eq!(code, 2);
    assert!(err.contains("revoked (laptop lost)"), "{err}");
    let keys = list(&env);
    let status: Vec<(&str, &str)> = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["unit"].as_str().unwrap(), k["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            ("implementing", "rotated"),
            ("construction", "revoked"),
            ("implementing", "current")
        ]
    );
    assert_eq!(keys["keys"][0]["founding"], true);
    let v = env.json(&["ledger", "verify", "--format", "json"]);
    assert_eq!(v["clean"], true, "{v}");

    // A record signed by the revoked key after its revocation, written behind anbao's back.
    let key = SigningKey::load(&con).unwrap();
    let text = std::fs::read_to_string(env.ledger()).unwrap();
    let last = record::parse(text.lines().last().unwrap().as_bytes()).unwrap();
    let entry = Entry {
        seq: last.entry.seq + 1,
        kind: "note".into(),
        unit: "construction".into(),
        signer: key.key_id.clone(),
        requires: vec!["construction".into()],
        body: json!({}),
        ..last.entry
    };
    let forged = record::build(&entry, HashAlg::Sha256, &[&key]).unwrap();
    std::fs::write(env.ledger(), format!("{text}{}\n", forged.line)).unwrap();
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("key-revoked"), "{out}");
    let (_, out, _) = env.run_in("zh", &["ledger", "verify"]);
    assert!(out.contains("密钥已吊销"), "{out}");
}

#[test]
fn a_key_made_without_its_authority_at_hand_is_enrolled_from_its_public_file() {
    let env = Cli::new("gm");
    let imp = env.key("implementing");
    // The contractor, elsewhere: its config folder moved by ANBAO_CONFIG_DIR.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = env
        .command(env.home.path(), "en")
        .env("ANBAO_CONFIG_DIR", elsewhere.path())
        .args([
            "-C",
            s(env.ws.path()),
            "keys",
            "new",
            "--unit",
            "construction",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["enrolled"], false);
    let private = v["private_key"].as_str().unwrap();
    assert!(
        Path::new(private).starts_with(elsewhere.path().join("keys")),
        "ANBAO_CONFIG_DIR moves the key folder: {private}"
    );
    let public = v["public_key"].as_str().unwrap().to_string();
    assert!(!Path::new(&public).starts_with(env.ws.path()));
    assert!(list(&env)["keys"].as_array().unwrap().len() == 1);

    // The implementing unit enrols it from the file it was sent.
    let out = env.ok(&["keys", "enrol", &public, "--key", s(&imp)]);
    assert!(
        out.contains("enrolled") && out.contains("construction"),
        "{out}"
    );
    let con = Path::new(private);
    env.note(con, r#"{"by": "con"}"#);
    assert_eq!(env.run(&["ledger", "verify"]).0, 0);
    // A public file without its proof of possession is not enough.
    let mut bare: Value = serde_json::from_slice(&std::fs::read(&public).unwrap()).unwrap();
    bare.as_object_mut().unwrap().remove("proof");
    let other = SigningKey::generate(SigAlg::Sm2, "supervision").unwrap();
    bare["public_key"] = anbao::ledger::keys::b64_encode(&other.public().to_bytes()).into();
    bare["key_id"] = other.key_id.clone().into();
    bare["unit"] = "supervision".into();
    let bare_file = env.home.path().join("bare.json");
    std::fs::write(&bare_file, serde_json::to_vec(&bare).unwrap()).unwrap();
    let (code, out, err) = env.run(&["keys", "enrol", s(&bare_file), "--key", s(&imp)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("proof of possession"), "{out}");
    // `keys public` makes the file a holder sends.
    let pub_file = env.home.path().join("imp.pub.json");
    env.ok(&["keys", "public", s(&imp), "-o", s(&pub_file)]);
    let v: Value = serde_json::from_slice(&std::fs::read(&pub_file).unwrap()).unwrap();
    assert!(v["proof"].is_string() && v.get("secret").is_none());
}

#[test]
fn a_workspace_from_an_earlier_anbao_migrates_with_one_command() {
    let env = Cli::new("intl");
    // The keys as an earlier anbao made them: private keys in the key folder, public files
    // in keys/ trusted as they stood, records signed with no enrolment, a checkpoint filed.
    let folder = env.home.path().join("anbao/keys");
    let mut keys = Vec::new();
    for unit in ["construction", "implementing"] {
        let mut k = SigningKey::generate(SigAlg::Ed25519, unit).unwrap();
        k.save(&folder.join(k.file_name()), "2026-01-01T00:00:00+08:00")
            .unwrap();
        common::plant_key_file(env.ws.path(), &k);
        keys.push(k);
    }
    let (con, imp) = (&keys[0], &keys[1]);
    let mut text = String::new();
    for (seq, k) in [(0u64, imp), (1, con)] {
        let entry = Entry {
            body: json!({"legacy": seq.to_string()}),
            evidence: vec![],
            kind: "note".into(),
            requires: vec![k.unit.clone()],
            seq,
            signer: k.key_id.clone(),
            supersedes: None,
            time: "2026-06-01T10:00:00+08:00".into(),
            unit: k.unit.clone(),
            v: "1".into(),
        };
        text.push_str(&record::build(&entry, HashAlg::Sha256, &[k]).unwrap().line);
        text.push('\n');
    }
    std::fs::create_dir_all(env.ws.path().join("records/checkpoints")).unwrap();
    std::fs::write(env.ledger(), &text).unwrap();
    let l = common::ledger(env.ws.path());
    let head = l.verify().unwrap().trees[0].clone();
    let note = checkpoint::sign(
        &checkpoint::body(
            &l.origin(head.alg),
            head.size,
            &head.root,
            "2026-06-01T12:00:00+08:00",
        ),
        &[imp],
    )
    .unwrap();
    let filed = env.home.path().join("filed-2026-06.txt");
    std::fs::write(&filed, &note).unwrap();
    std::fs::write(
        env.ws
            .path()
            .join("records/checkpoints/0000000002-sha256.txt"),
        &note,
    )
    .unwrap();

    // Today's anbao trusts none of it until the keys are enrolled, and says how.
    let (code, out, _) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("anbao keys enrol"), "{out}");

    let out = env.ok(&["keys", "enrol"]);
    assert!(
        out.contains(&format!(
            "enrolled {} (implementing) as the ledger's founding key, record 2",
            imp.key_id
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "enrolled {} (construction) by record 3, authorised by {}",
            con.key_id, imp.key_id
        )),
        "{out}"
    );
    let v = env.json(&["ledger", "verify", "--format", "json"]);
    assert_eq!(v["clean"], true, "{v}");
    assert_eq!(env.ok(&["keys", "enrol"]).matches("already").count(), 2);

    // The checkpoint filed before the migration anchors the old records, not the keys.
    let v = env.json(&[
        "ledger",
        "verify",
        "--checkpoint",
        s(&filed),
        "--format",
        "json",
    ]);
    assert_eq!(
        (v["clean"].as_bool(), v["anchored"].as_bool()),
        (Some(true), Some(false)),
        "{v}"
    );
    assert!(v["anchors"][0]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("predates"));
    // One signed now, and filed, anchors them.
    let imp_file = folder.join(imp.file_name());
    let cp: Value = env.json(&[
        "ledger",
        "checkpoint",
        "--key",
        s(&imp_file),
        "--format",
        "json",
    ]);
    let new_filed = env.home.path().join("filed-now.txt");
    std::fs::write(&new_filed, cp["note"].as_str().unwrap()).unwrap();
    let v = env.json(&[
        "ledger",
        "verify",
        "--checkpoint",
        s(&new_filed),
        "--format",
        "json",
    ]);
    assert_eq!(v["anchored"], true, "{v}");
}

#[cfg(unix)]
#[test]
fn signing_refuses_a_private_key_inside_a_workspace() {
    use std::os::unix::fs::PermissionsExt;
    let env = Cli::new("intl");
    let imp = env.key("implementing");
    for inside in [
        env.ws.path().join("imp.key"),
        env.ws.path().join("keys/imp.key"),
    ] {
        std::fs::copy(&imp, &inside).unwrap();
        std::fs::set_permissions(&inside, std::fs::Permissions::from_mode(0o600)).unwrap();
        let (code, _, err) = env.try_note(&inside, "{}");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("outside the workspace"), "{err}");
        let (code, _, err) = env.run(&["ledger", "checkpoint", "--key", s(&inside)]);
        assert_eq!(code, 2, "{err}");
        std::fs::remove_file(&inside).unwrap();
    }
    // Inside another project's workspace, too.
    let other = common::workspace("intl");
    let there = other.path().join("imp.key");
    std::fs::copy(&imp, &there).unwrap();
    std::fs::set_permissions(&there, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = env.try_note(&there, "{}");
    assert_eq!(code, 2, "{err}");
    let (_, _, err) = env.try_note_in("zh", &there, "{}");
    assert!(err.contains("私钥必须保存在工作区之外"), "{err}");
}
