//! Prints the worked example of docs/ledger-format.md (a fixed key, so it is reproducible).
use anbao::ledger::keys::SigningKey;
use anbao::ledger::record::{build, signing_input, Entry, FORMAT_VERSION};
use anbao::ledger::sig::SecretKey;
use anbao::ledger::{merkle, HashAlg, SigAlg};

fn main() {
    let secret = SecretKey::from_bytes(SigAlg::Ed25519, &[7u8; 32]).unwrap();
    let key = SigningKey {
        path: Default::default(),
        unit: "implementing".into(),
        key_id: secret.public().key_id(),
        secret,
    };
    let entry = Entry {
        body: serde_json::json!({"meets": false, "project": "XZZW-2026-001", "说明": "3 个关键产品未通过"}),
        evidence: vec![],
        kind: "acceptance.verdict".into(),
        requires: vec!["implementing".into(), "construction".into()],
        seq: 0,
        signer: key.key_id.clone(),
        supersedes: None,
        time: "2026-11-10T10:00:00+08:00".into(),
        unit: "implementing".into(),
        v: FORMAT_VERSION.into(),
    };
    let r = build(&entry, HashAlg::Sha256, &[&key]).unwrap();
    println!(
        "public key (base64): {}",
        anbao::ledger::keys::b64_encode(&key.public().to_bytes())
    );
    println!("key id: {}", key.key_id);
    println!("line:\n{}", r.line);
    println!(
        "signing input:\n{}",
        String::from_utf8(signing_input(r.entry_bytes())).unwrap()
    );
    println!("leaf hash: {}", r.leaf_hash);
    println!(
        "root of a one-record tree = leaf hash: {}",
        hex::encode(merkle::root(HashAlg::Sha256, &[r.leaf_hash.bytes]))
    );
}
