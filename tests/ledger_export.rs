//! Exports and archive checks, tried as an attacker would: private keys planted where an export
//! reads (in every form anbao reads a private key), symbolic links (one to `/usr`), archives
//! whose manifest does not describe them, and a zip bomb.

mod common;

use common::{s, Cli};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A project of two records, one with evidence, and a checkpoint.
fn project() -> (Cli, PathBuf) {
    let env = Cli::new("intl");
    let imp = env.key("implementing");
    let photo = env.home.path().join("现场照片.txt");
    std::fs::write(&photo, "演练现场").unwrap();
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "drill.run",
        "--body",
        "{}",
        "--evidence",
        s(&photo),
        "--key",
        s(&imp),
    ]);
    env.note(&imp, r#"{"n": "2"}"#);
    env.ok(&["ledger", "checkpoint", "--key", s(&imp)]);
    (env, imp)
}

/// The entries of an archive: name and content, in order.
type Entries = Vec<(String, Vec<u8>)>;

/// The entries of a tar archive, in order.
fn tar_entries(path: &Path) -> Entries {
    let mut archive = tar::Archive::new(std::fs::File::open(path).unwrap());
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

fn write_tar(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, &bytes[..]).unwrap();
    }
    builder.finish().unwrap();
}

/// `anbao ledger verify --archive ARCHIVE` outside any workspace: exit code and output.
fn verify_archive(env: &Cli, archive: &Path) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = env
        .command(dir.path(), "en")
        .args(["ledger", "verify", "--archive", s(archive)])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn export(env: &Cli, name: &str) -> (i32, String, PathBuf) {
    let out = env.home.path().join(name);
    let (code, stdout, stderr) = env.run(&["ledger", "export", "-o", s(&out)]);
    (code, stdout + &stderr, out)
}

/// A private key as anbao writes it, and in the other shapes anbao would read one in.
fn private_key_forms(key: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let text = std::fs::read_to_string(key).unwrap();
    let bare: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\r\n"))
        .collect();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let json = serde_json::to_vec(&table).unwrap();
    vec![
        ("as written", text.clone().into_bytes()),
        ("without comments, CRLF", bare.into_bytes()),
        ("with a byte order mark", [&b"\xef\xbb\xbf"[..], text.as_bytes()].concat()),
        ("as JSON", json),
        (
            "PEM PKCS#8",
            b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n".to_vec(),
        ),
        (
            "OpenSSH",
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n".to_vec(),
        ),
    ]
}

/// Finding 3: a private key copied or linked where export reads was exported.
#[test]
fn an_export_refuses_a_planted_private_key_in_every_form() {
    let (env, imp) = project();
    let cps = env.ws.path().join("records/checkpoints");
    for (form, bytes) in private_key_forms(&imp) {
        let planted = cps.join("filed.txt");
        std::fs::write(&planted, &bytes).unwrap();
        let (code, out, archive) = export(&env, "pkg.tar");
        assert_eq!(code, 2, "{form}: {out}");
        assert!(out.contains("private key"), "{form}: {out}");
        assert!(!archive.exists(), "{form}: nothing is written");
        std::fs::remove_file(&planted).unwrap();
    }
    // A private key in keys/ under any name is refused too.
    let stray = env.ws.path().join("keys/implementing.json.bak");
    std::fs::copy(&imp, &stray).unwrap();
    let (code, out, _) = export(&env, "pkg.zip");
    assert_eq!(code, 2, "{out}");
    std::fs::remove_file(&stray).unwrap();
    // Filing a private key as evidence is refused at once.
    let (code, _, err) = env.run(&[
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        "{}",
        "--evidence",
        s(&imp),
        "--key",
        s(&imp),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("private key"), "{err}");
    // Files in evidence/ that no record references stay home, whatever they are.
    std::fs::copy(&imp, env.ws.path().join("evidence/stray.key")).unwrap();
    let (code, out, archive) = export(&env, "pkg.tar");
    assert_eq!(code, 0, "{out}");
    assert!(tar_entries(&archive)
        .iter()
        .all(|(n, _)| !n.contains("stray") && !n.ends_with(".key")));
}

/// Finding 3: export followed symbolic links; one to /usr made it read all of /usr.
#[cfg(unix)]
#[test]
fn an_export_follows_no_symbolic_link() {
    use std::os::unix::fs::symlink;
    let (env, _) = project();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for export").unwrap();
    symlink(outside.path(), env.ws.path().join("evidence/linked")).unwrap();
    symlink("/usr", env.ws.path().join("evidence/usr")).unwrap();
    let started = std::time::Instant::now();
    let (code, out, archive) = export(&env, "pkg.tar");
    assert_eq!(code, 0, "{out}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let names: Vec<String> = tar_entries(&archive).into_iter().map(|(n, _)| n).collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("linked") && !n.contains("/usr")),
        "{names:?}"
    );
    assert!(names.len() < 12, "{names:?}");

    // A link where export does read is refused, naming it: a checkpoint, a key, evidence.
    let cp = std::fs::read_dir(env.ws.path().join("records/checkpoints"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let copy = outside.path().join("cp.txt");
    std::fs::rename(&cp, &copy).unwrap();
    symlink(&copy, &cp).unwrap();
    let (code, out, _) = export(&env, "pkg2.tar");
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("symbolic link"), "{out}");
    std::fs::remove_file(&cp).unwrap();
    std::fs::rename(&copy, &cp).unwrap();

    let ev = std::fs::read_dir(env.ws.path().join("evidence/sha256"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let copy = outside.path().join("ev");
    std::fs::rename(&ev, &copy).unwrap();
    symlink(&copy, &ev).unwrap();
    let (code, out, _) = export(&env, "pkg3.tar");
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("symbolic link"), "{out}");
}

/// Finding 3, the other end: an archive holding a private key must not verify.
#[test]
fn an_archive_holding_a_private_key_fails() {
    let (env, imp) = project();
    let (code, out, archive) = export(&env, "pkg.tar");
    assert_eq!(code, 0, "{out}");
    let mut entries = tar_entries(&archive);
    let top = entries[0].0.split('/').next().unwrap().to_string();
    let key = std::fs::read(&imp).unwrap();
    // Listed in the manifest with its right hash, so only its content gives it away.
    let manifest_at = entries
        .iter()
        .position(|(n, _)| n.ends_with("MANIFEST.json"))
        .unwrap();
    let mut manifest: Value = serde_json::from_slice(&entries[manifest_at].1).unwrap();
    let digest = anbao::ledger::HashAlg::Sha256.hash(&[&key]);
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": "records/checkpoints/key.txt",
            "size": key.len().to_string(),
            "hash": format!("sha256:{}", hex::encode(digest)),
        }));
    entries[manifest_at].1 = serde_json::to_vec_pretty(&manifest).unwrap();
    entries.push((format!("{top}/records/checkpoints/key.txt"), key));
    let bad = env.home.path().join("bad.tar");
    write_tar(&bad, &entries);
    let (code, out) = verify_archive(&env, &bad);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("private-key"), "{out}");
}

/// Finding 4: an unlisted file, a second top folder, wrong counts, roots and schema passed.
#[test]
fn the_archive_check_covers_the_whole_manifest() {
    let (env, _) = project();
    let (code, out, archive) = export(&env, "pkg.tar");
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify_archive(&env, &archive);
    assert_eq!(code, 0, "{out}");
    let entries = tar_entries(&archive);
    let top = entries[0].0.split('/').next().unwrap().to_string();
    let manifest_at = entries
        .iter()
        .position(|(n, _)| n.ends_with("MANIFEST.json"))
        .unwrap();
    let manifest: Value = serde_json::from_slice(&entries[manifest_at].1).unwrap();

    let with_manifest = |change: &dyn Fn(&mut Value)| {
        let mut e = entries.clone();
        let mut m = manifest.clone();
        change(&mut m);
        e[manifest_at].1 = serde_json::to_vec_pretty(&m).unwrap();
        e
    };
    let mut extra = entries.clone();
    extra.push((format!("{top}/notes.txt"), b"unlisted".to_vec()));
    let mut second = entries.clone();
    second.push(("other-folder/anbao.toml".into(), b"x".to_vec()));
    let cases: Vec<(&str, Entries)> = vec![
        ("an unlisted file", extra),
        ("a second top folder", second),
        (
            "a wrong record count",
            with_manifest(&|m| m["records"] = "7".into()),
        ),
        (
            "a wrong tree root",
            with_manifest(&|m| m["trees"][0] = format!("sha256:{}", "0".repeat(64)).into()),
        ),
        (
            "a wrong schema",
            with_manifest(&|m| m["schema"] = "anbao.ledger.export/9".into()),
        ),
    ];
    for (what, e) in cases {
        let bad = env.home.path().join("bad.tar");
        write_tar(&bad, &e);
        let (code, out) = verify_archive(&env, &bad);
        assert_eq!(code, 1, "{what}: {out}");
        assert!(out.contains("manifest-mismatch"), "{what}: {out}");
    }
}

/// Finding 4: a small zip that inflates to hundreds of megabytes is refused before it is
/// inflated, by the documented limits.
#[test]
fn a_zip_bomb_is_refused_before_decompression() {
    let (env, _) = project();
    let (code, out, archive) = export(&env, "pkg.zip");
    assert_eq!(code, 0, "{out}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
    let bomb = env.home.path().join("bomb.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut top = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        top = f.name().split('/').next().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        w.start_file(f.name(), options).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.start_file(format!("{top}/evidence/sha256/{}", "0".repeat(64)), options)
        .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 3 << 20);
    let (code, out) = verify_archive(&env, &bomb);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("limit"), "{out}");
}
