//! `anbao check` never certifies what its evidence does not show, through the real binary on
//! copies of the demo workspace (its tracked files only): an empty or unread inventory is
//! insufficient evidence and never recorded as meeting the requirement; inventory folders are
//! read to any depth, files by content whatever their name; every file found and not read is
//! listed with the reason; `[inventories]` takes patterns; unclassified components are named.

use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

const AS_OF: &str = "2026-11-28";

mod common;

/// A copy of the demo workspace's tracked inputs and an empty home for keys.
struct Demo {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Demo {
    fn new() -> Demo {
        Demo {
            ws: common::demo_copy(&["inventories", "checklists"]),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.ws.path().join(rel)
    }

    /// The demo's inventory files (not its README).
    fn inventory_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.path("inventories"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.ends_with("README.md"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 3, "{files:?}");
        files
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        common::anbao(self.ws.path(), self.home.path())
            .args(args)
            // A FIFO opened for reading would block for ever: a hang is a failure.
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap()
    }

    /// The check's exit code and JSON report.
    fn check(&self) -> (i32, Value) {
        let out = self.cmd(&["check", "--format", "json", "--as-of", AS_OF]);
        let code = out.status.code().expect("exited");
        assert!(
            code == 0 || code == 1,
            "exit {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (code, serde_json::from_slice(&out.stdout).unwrap())
    }

    fn text(&self, args: &[&str]) -> String {
        let out = self.cmd(args);
        String::from_utf8(out.stdout).unwrap()
    }
}

fn components(r: &Value) -> usize {
    r["components"].as_array().unwrap().len()
}

fn codes(r: &Value) -> Vec<&str> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

/// The inventory files the check read.
fn inventories_read(r: &Value) -> Vec<&str> {
    r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["role"] == "inventory")
        .map(|i| i["path"].as_str().unwrap())
        .collect()
}

/// The demo as shipped, for comparison.
fn demo_components() -> usize {
    components(&Demo::new().check().1)
}

#[test]
fn an_empty_inventory_folder_is_insufficient_evidence_and_never_signed_as_meeting() {
    let d = Demo::new();
    for f in d.inventory_files() {
        std::fs::remove_file(f).unwrap();
    }
    let (code, r) = d.check();
    assert_eq!(code, 1, "insufficient evidence is not clean");
    assert_eq!(components(&r), 0);
    assert_eq!(r["verdict"]["meets"], false);
    assert_eq!(r["verdict"]["state"], "insufficient-evidence");
    assert!(codes(&r).contains(&"no-components"), "{:?}", codes(&r));
    assert!(
        r["verdict"]["summary"]["en"]
            .as_str()
            .unwrap()
            .starts_with("Insufficient evidence"),
        "{}",
        r["verdict"]["summary"]
    );

    // Filed in the ledger, the record says what the check said: not met.
    let key = d.home.path().join("implementing.key");
    let out = d.cmd(&[
        "keys",
        "new",
        "--unit",
        "implementing",
        "--out",
        key.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = d.cmd(&[
        "check",
        "--record",
        "--key",
        key.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    // The ledger also holds the key's enrolment: find the verdict's record by its kind.
    let out = d.cmd(&["ledger", "list", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<String> = list["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "acceptance.verdict")
        .map(|r| r["seq"].to_string().trim_matches('"').to_string())
        .collect();
    assert_eq!(verdicts.len(), 1, "{list}");
    let out = d.cmd(&["ledger", "show", &verdicts[0], "--format", "json"]);
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict = &shown["record"]["entry"]["body"]["verdict"];
    assert_eq!(verdict["meets"], false, "{verdict}");
    assert_eq!(verdict["state"], "insufficient-evidence", "{verdict}");
}

#[test]
fn inventories_moved_into_a_subfolder_are_read() {
    let d = Demo::new();
    let files = d.inventory_files();
    let sub = d.path("inventories/2026/delivered");
    std::fs::create_dir_all(&sub).unwrap();
    for f in files {
        std::fs::rename(&f, sub.join(f.file_name().unwrap())).unwrap();
    }
    let (code, r) = d.check();
    assert_eq!(code, 1, "the demo fails on purpose");
    assert_eq!(components(&r), demo_components());
    assert_eq!(r["verdict"]["state"], "fail");
}

#[test]
fn an_sbom_renamed_to_txt_is_read_by_its_content() {
    let d = Demo::new();
    std::fs::rename(
        d.path("inventories/platform-sbom.cdx.json"),
        d.path("inventories/platform-sbom.txt"),
    )
    .unwrap();
    let (_, r) = d.check();
    assert_eq!(components(&r), demo_components());
    let read = inventories_read(&r);
    assert!(
        read.iter().any(|p| p.ends_with("platform-sbom.txt")),
        "{read:?}"
    );
}

#[test]
fn every_file_not_read_is_listed_with_its_reason_and_leaves_the_evidence_short() {
    let d = Demo::new();
    // Keep only the hardware list, so nothing fails and the gaps decide the verdict.
    for f in d.inventory_files() {
        if !f.ends_with("hardware.csv") {
            std::fs::remove_file(f).unwrap();
        }
    }
    std::fs::write(
        d.path("inventories/设备清单.xlsx"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    )
    .unwrap();
    std::fs::write(d.path("inventories/.DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    #[cfg(unix)]
    {
        let made = std::process::Command::new("mkfifo")
            .arg(d.path("inventories/feed.cdx.json"))
            .status()
            .unwrap();
        assert!(made.success());
    }
    let (code, r) = d.check();
    assert_eq!(code, 1);
    let not_read: Vec<(String, String)> = r["not_read"]
        .as_array()
        .unwrap_or_else(|| panic!("no not_read list: {}", r["inputs"]))
        .iter()
        .map(|n| {
            let path = n["path"].as_str().unwrap();
            let name = path.rsplit(['/', '\\']).next().unwrap().to_string();
            (name, n["reason"].as_str().unwrap().to_string())
        })
        .collect();
    let expected_reason = |name: &str| {
        not_read
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{name} not listed: {not_read:?}"))
    };
    assert_eq!(expected_reason("设备清单.xlsx"), "not-an-inventory");
    assert_eq!(expected_reason(".DS_Store"), "hidden");
    assert_eq!(expected_reason("README.md"), "excluded");
    #[cfg(unix)]
    assert_eq!(expected_reason("feed.cdx.json"), "special");
    assert!(r["verdict"]["gaps"]
        .as_array()
        .unwrap()
        .contains(&"inventory-file-not-read".into()));
    // The files that may hold inventory data are findings; those left out by a rule are not.
    let gaps = codes(&r)
        .iter()
        .filter(|c| **c == "inventory-file-not-read")
        .count();
    assert_eq!(gaps, if cfg!(unix) { 2 } else { 1 });
    // The terminal report lists them too.
    let text = d.text(&["check", "--as-of", AS_OF]);
    assert!(text.contains("Inventory files not read"), "{text}");
    assert!(text.contains("inventories/设备清单.xlsx"), "{text}");
}

#[test]
fn inventory_paths_may_be_patterns() {
    let d = Demo::new();
    let manifest = std::fs::read_to_string(d.path("anbao.toml")).unwrap();
    let manifest = manifest.replace(
        "paths = [\"inventories\"]",
        "paths = [\"inventories/*.cdx.json\", \"equipment/**/*.csv\"]",
    );
    std::fs::write(d.path("anbao.toml"), manifest).unwrap();
    let (_, r) = d.check();
    let read = inventories_read(&r);
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(read.iter().all(|p| p.ends_with(".cdx.json")), "{read:?}");
    // A pattern that matches nothing is a gap, named.
    let unmatched: Vec<&Value> = r["not_read"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["reason"] == "no-match")
        .collect();
    assert_eq!(unmatched.len(), 1, "{}", r["not_read"]);
    assert!(unmatched[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("equipment/**/*.csv"));
}

#[test]
fn the_check_names_the_components_it_could_not_classify() {
    let d = Demo::new();
    let (_, r) = d.check();
    let unclassified: Vec<&str> = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["category"].is_null())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(!unclassified.is_empty());
    for args in [
        &["check", "--as-of", AS_OF][..],
        &["check", "--as-of", AS_OF, "--all"][..],
        &["check", "--as-of", AS_OF, "--format", "markdown"][..],
    ] {
        let text = d.text(args);
        let line = text
            .lines()
            .find(|l| l.contains("unclassified (no category applies)"))
            .unwrap_or_else(|| panic!("{args:?}: {text}"));
        for name in &unclassified {
            assert!(line.contains(name), "{args:?}: {line}");
        }
    }
}
