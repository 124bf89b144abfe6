//! Shared set-up for the ledger tests: temporary workspaces and trusted keys.
#![allow(dead_code)]

use anbao::ledger::enrol::KeyDescriptor;
use anbao::ledger::keyring::load_candidates;
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

/// A new key for `unit`, saved (mode 0600) under `home`, and enrolled in the workspace's
/// ledger: it founds the ledger if it is the first, else a key saved in `home` authorises it.
pub fn key(ws: &Path, home: &Path, unit: &str, alg: SigAlg) -> SigningKey {
    let mut k = SigningKey::generate(alg, unit).unwrap();
    let path = home.join(k.file_name());
    k.save(&path, "2026-01-01T00:00:00+08:00").unwrap();
    let l = ledger(ws);
    let at_hand = load_candidates(&[], &[home]).unwrap();
    let descriptor = KeyDescriptor::new(&k.public(), unit, None);
    l.enrol_one(&l.key_history().unwrap(), &descriptor, None, &at_hand)
        .unwrap();
    k
}

/// A public key file of `key` in `ws/keys/`, as if copied there by hand: not enrolled.
pub fn plant_key_file(ws: &Path, key: &SigningKey) {
    trust(
        &ws.join("keys"),
        &public_key_file(&key.public(), &key.unit, None, "2026-01-01T00:00:00+08:00"),
    )
    .unwrap();
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
        .env_remove("ANBAO_CONFIG_DIR")
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

/// The real binary on a temporary workspace, with the user's config folder (and with it the
/// default key folder) pointed at a temporary home.
pub struct Cli {
    pub ws: tempfile::TempDir,
    pub home: tempfile::TempDir,
}

impl Cli {
    pub fn new(profile: &str) -> Cli {
        Cli {
            ws: workspace(profile),
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// The command with the test's environment, run from `dir` (the workspace is named
    /// with `-C` only by [`Cli::run_in`]).
    pub fn command(&self, dir: &Path, lang: &str) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("anbao").unwrap();
        cmd.current_dir(dir)
            .env("NO_COLOR", "1")
            .env("ANBAO_LANG", lang)
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env_remove("ANBAO_CONFIG_DIR")
            .env_remove("ANBAO_WORKSPACE")
            .env_remove("ANBAO_KEY");
        cmd
    }

    pub fn run_in(&self, lang: &str, args: &[&str]) -> (i32, String, String) {
        let out = self
            .command(self.home.path(), lang)
            .arg("-C")
            .arg(self.ws.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_in("en", args)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Makes a key for `unit` at `HOME/UNIT.key` with `anbao keys new` and returns its path.
    pub fn key(&self, unit: &str) -> PathBuf {
        let path = self.home.path().join(format!("{unit}.key"));
        self.ok(&["keys", "new", "--unit", unit, "--out", s(&path)]);
        path
    }

    /// Appends a `note` record with `body`, signed with `key`.
    pub fn note(&self, key: &Path, body: &str) -> String {
        let (code, out, err) = self.try_note(key, body);
        assert_eq!(code, 0, "note {body}\nstdout: {out}\nstderr: {err}");
        out
    }

    /// Tries to append a `note` record: exit code, stdout, stderr.
    pub fn try_note(&self, key: &Path, body: &str) -> (i32, String, String) {
        self.try_note_in("en", key, body)
    }

    /// [`Cli::try_note`] with messages in `lang`.
    pub fn try_note_in(&self, lang: &str, key: &Path, body: &str) -> (i32, String, String) {
        let args = ["ledger", "append", "--kind", "note", "--body", body];
        self.run_in(lang, &[&args[..], &["--key", s(key)]].concat())
    }

    pub fn ledger(&self) -> PathBuf {
        ledger_path(self.ws.path())
    }
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
