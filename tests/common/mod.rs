//! Shared set-up for the ledger tests: temporary workspaces and trusted keys.
#![allow(dead_code)]

use anbao::ledger::keys::{public_key_file, trust, SigningKey};
use anbao::ledger::{Ledger, SigAlg};
use anbao::workspace::Workspace;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = r#"[project]
name = "测试项目"
code = "TEST-001"

[units.implementing]
name = "示例实施单位"

[units.construction]
name = "示例建设单位"

[crypto]
profile = "PROFILE"
"#;

/// A fresh workspace with the given crypto profile ("intl" or "gm").
pub fn workspace(profile: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("anbao.toml"),
        MANIFEST.replace("PROFILE", profile),
    )
    .unwrap();
    dir
}

pub fn set_profile(ws: &Path, profile: &str) {
    std::fs::write(ws.join("anbao.toml"), MANIFEST.replace("PROFILE", profile)).unwrap();
}

pub fn ledger(ws: &Path) -> Ledger {
    Ledger::open(&Workspace::open(ws).unwrap()).unwrap()
}

/// A new key for `unit`, saved (mode 0600) under `home`, and trusted by the workspace.
pub fn key(ws: &Path, home: &Path, unit: &str, alg: SigAlg) -> SigningKey {
    let mut k = SigningKey::generate(alg, unit).unwrap();
    let path = home.join(k.file_name());
    k.save(&path, "2026-01-01T00:00:00+08:00").unwrap();
    trust(
        &ws.join("keys"),
        &public_key_file(&k.public(), unit, None, "2026-01-01T00:00:00+08:00"),
    )
    .unwrap();
    k
}

/// Copies a workspace (small test workspaces only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

pub fn ledger_path(ws: &Path) -> PathBuf {
    ws.join("records/ledger.jsonl")
}

/// A copy of the demo workspace (the repository root): its manifest and the named folders. Of
/// `drills/` only the plans are taken: the runs there are a user's session, not the demo.
pub fn demo_copy(dirs: &[&str]) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("anbao.toml"), ws.path().join("anbao.toml")).unwrap();
    for dir in dirs {
        if *dir == "drills" {
            std::fs::create_dir_all(ws.path().join(dir)).unwrap();
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let name = e.unwrap().file_name();
                if name.to_string_lossy().starts_with("plan-") {
                    std::fs::copy(root.join(dir).join(&name), ws.path().join(dir).join(&name))
                        .unwrap();
                }
            }
        } else {
            copy_dir(&root.join(dir), &ws.path().join(dir));
        }
    }
    ws
}

/// The binary run in workspace `ws` in English without colour, with `home` as the user's home
/// (keys, configuration) and no key or workspace taken from the environment.
pub fn anbao(ws: &Path, home: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("anbao").unwrap();
    cmd.env_remove("ANBAO_WORKSPACE")
        .env_remove("ANBAO_KEY")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("NO_COLOR", "1")
        .env("ANBAO_LANG", "en")
        .arg("-C")
        .arg(ws);
    cmd
}

/// A finished command as its exit code, standard output and standard error.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
