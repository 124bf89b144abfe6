//! Shared set-up for the integration tests: temporary workspaces, a copy of the demo, trusted
//! keys, and the binary run inside a workspace with a private home.
#![allow(dead_code)]

pub mod demo;
pub mod tmux;

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

/// The binary run in a workspace, with a private home (for keys and configuration), English
/// messages and no colour unless asked.
pub struct Anbao {
    pub ws: tempfile::TempDir,
    pub home: tempfile::TempDir,
}

impl Anbao {
    /// On a copy of the demo workspace's tracked files.
    pub fn demo() -> Anbao {
        Anbao {
            ws: demo::demo_copy(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.ws.path().join(rel)
    }

    /// The command, ready to run in the workspace.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_anbao"));
        cmd.arg("-C")
            .arg(self.ws.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("ANBAO_LANG", "en")
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env("ANBAO_CONFIG_DIR", self.home.path())
            .env("TZ", "Asia/Shanghai")
            .env_remove("ANBAO_KEY");
        cmd
    }

    /// Exit code, standard output and standard error.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    /// Runs a command that must not run (exit code 2) and returns its standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 2, "{args:?}\nstdout: {out}\nstderr: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        err
    }

    /// A new key for `unit` in the private home, trusted by the workspace.
    pub fn key(&self, unit: &str) -> PathBuf {
        let path = self.home.path().join(format!("{unit}.key"));
        self.ok(&[
            "keys",
            "new",
            "--unit",
            unit,
            "--out",
            path.to_str().unwrap(),
        ]);
        path
    }
}
