//! Whole jobs done in the TUI, end to end, in real terminals (tmux): two people, one of each
//! unit, each with their own config folder and key, run a joint assessment to both signatures,
//! and a whole drill to a co-signed `drill.finished` record, on copies of the demo workspace;
//! then `anbao ledger verify` checks what they filed.
//! Skipped, with a message, where tmux is not installed; CI installs it.

use anbao::assessment::definition::Checklist;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_anbao");
const AS_OF: &str = "2026-11-28";

fn tmux_here() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A TUI running in a detached tmux session, killed when dropped (also when a test fails).
struct Terminal {
    name: String,
}

impl Terminal {
    /// Runs the TUI on `ws` with its own config folder `home` (keys, name, unit).
    fn start(tag: &str, ws: &Path, home: &Path) -> Terminal {
        let name = format!("anbao-e2e19-{tag}-{}", std::process::id());
        let config = home.join("anbao");
        let command = format!(
            "env -u ANBAO_PERSON -u ANBAO_KEY -u ANBAO_ROLE NO_COLOR=1 ANBAO_CONFIG_DIR='{}' \
             XDG_CONFIG_HOME='{}' '{BIN}' -C '{}' --lang en tui --as-of {AS_OF}",
            config.display(),
            home.display(),
            ws.display()
        );
        let t = Terminal { name };
        t.tmux(&[
            "new-session",
            "-d",
            "-s",
            &t.name,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn pane(&self) -> String {
        self.tmux(&["capture-pane", "-t", &self.name, "-p"])
    }

    /// Sends keys by tmux name (`Enter`, `Escape`, `j`...), one after another.
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.name, k]);
        }
    }

    /// Types `text` literally.
    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    /// Waits until the screen shows `needle`, or fails with what it shows.
    fn wait(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let pane = self.pane();
            if pane.contains(needle) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(120) {
                panic!(
                    "'{needle}' did not appear in {}; it shows:\n{pane}",
                    self.name
                );
            }
            sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

/// A copy of the demo workspace's tracked files (never what a user's session left in the
/// repository root: runs, records, sessions).
fn demo_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let listed = Command::new("git")
        .args(["ls-files", "-z", "anbao.toml", "checklists", "inventories"])
        .args(["playbooks", "drills"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success() && !o.stdout.is_empty());
    let files: Vec<PathBuf> = match listed {
        Some(out) => out
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
            .collect(),
        // Not a git checkout (a source package): the folders as shipped.
        None => [
            "anbao.toml",
            "checklists",
            "inventories",
            "playbooks",
            "drills",
        ]
        .iter()
        .flat_map(|p| walk(root, Path::new(p)))
        .collect(),
    };
    for rel in files {
        let to = dir.path().join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(&rel), to).unwrap();
    }
    dir
}

fn walk(root: &Path, rel: &Path) -> Vec<PathBuf> {
    let path = root.join(rel);
    if path.is_file() {
        return vec![rel.to_path_buf()];
    }
    // Runs and records a user left behind are not the demo's.
    if rel.ends_with("runs") {
        return Vec::new();
    }
    std::fs::read_dir(&path)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .flat_map(|e| walk(root, &rel.join(e.file_name())))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs the binary on `ws` as the user whose config folder is `home`.
fn anbao(ws: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("-C")
        .arg(ws)
        .args(["--lang", "en"])
        .args(args)
        .env_remove("ANBAO_KEY")
        .env_remove("ANBAO_PERSON")
        .env("ANBAO_CONFIG_DIR", home.join("anbao"))
        .env("XDG_CONFIG_HOME", home)
        .output()
        .expect("anbao runs")
}

/// One person: their config folder, with a key of their unit the workspace trusts.
struct Person {
    home: tempfile::TempDir,
    unit: &'static str,
    name: &'static str,
}

impl Person {
    /// A person of `unit` with a new key: the first founds the ledger; a later one's key is
    /// enrolled by `authority`, a person whose key the ledger enrols already.
    fn new(
        ws: &Path,
        unit: &'static str,
        name: &'static str,
        authority: Option<&Person>,
    ) -> Person {
        let home = tempfile::tempdir().unwrap();
        let out = anbao(
            ws,
            home.path(),
            &["keys", "new", "--unit", unit, "--format", "json"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if let Some(by) = authority {
            let public = made["public_key"].as_str().unwrap();
            let out = anbao(ws, by.home.path(), &["keys", "enrol", public]);
            assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Person { home, unit, name }
    }
}

/// The applicable items of `checklist` as the screen lists them: section by section.
fn items_in_screen_order(cl: &Checklist, level: u8) -> Vec<&anbao::assessment::definition::Item> {
    cl.sections
        .iter()
        .flat_map(|s| {
            cl.items
                .iter()
                .filter(move |i| i.section == s.id && i.applies(level))
        })
        .collect()
}

/// The keys that walk the list from the first item: `on(item)` for the item's key, `j` past it.
fn walk_keys<'a>(
    items: &[&'a anbao::assessment::definition::Item],
    on: impl Fn(&'a anbao::assessment::definition::Item) -> Option<&'static str>,
) -> Vec<&'static str> {
    items.iter().map(|i| on(i).unwrap_or("j")).collect()
}

#[test]
fn a_whole_joint_assessment_to_both_signatures_in_the_tui() {
    if !tmux_here() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let ws = demo_copy();
    let ws = ws.path();
    let cl = Checklist::load(&ws.join("checklists/pre-acceptance.toml")).unwrap();
    let level = cl.protection_level;
    let items = items_in_screen_order(&cl, level);
    let total = items.len();
    let implementing = Person::new(ws, "implementing", "王科长", None);
    let construction = Person::new(ws, "construction", "李工", Some(&implementing));

    // The construction unit's 李工 starts the session from the checklist, with its scope.
    let b = Terminal::start("con", ws, construction.home.path());
    b.wait("Requirement not met");
    b.keys(&["2"]);
    b.wait("new from checklist pre-acceptance");
    b.keys(&["j", "Enter"]);
    b.wait("Scope");
    b.text("平台上线前验收");
    b.keys(&["Enter", "Enter", "Enter", "Enter", "Enter"]);
    b.wait("started assessment pre-acceptance-20261128");
    // His first answer asks who he is, once; the answer waits for it.
    let first = items
        .iter()
        .position(|i| i.answered_by == construction.unit)
        .unwrap();
    b.keys(&vec!["j"; first]);
    b.keys(&["n"]);
    b.wait("Who are you?");
    b.text(construction.name);
    b.keys(&["Enter", "Enter"]);
    b.wait("(saved)");
    let rest = walk_keys(&items[first + 1..], |i| {
        (i.answered_by == construction.unit).then_some("y")
    });
    b.keys(&rest);

    // The implementing unit's 王科长, in another terminal, acts for his unit.
    let a = Terminal::start("imp", ws, implementing.home.path());
    a.wait("Requirement not met");
    a.keys(&["2"]);
    a.wait("session pre-acceptance-20261128");
    a.keys(&["Enter"]);
    a.wait("PA-01");
    a.keys(&["r"]);
    a.wait("Implementing unit");
    let first = items
        .iter()
        .position(|i| i.answered_by == implementing.unit)
        .unwrap();
    a.keys(&vec!["j"; first]);
    a.keys(&["y"]);
    a.wait("Who are you?");
    a.text(implementing.name);
    a.keys(&["Enter", "Enter"]);
    a.wait("(saved)");
    let rest = walk_keys(&items[first + 1..], |i| {
        (i.answered_by == implementing.unit).then_some("y")
    });
    a.keys(&rest);
    // Each sees the other's answers as they are saved, and confirms them.
    let answered = format!("answered {total}/{total}");
    a.wait(&answered);
    let mut confirm = vec!["g"];
    for i in &items {
        if i.confirmed_by.as_deref() == Some(implementing.unit) {
            confirm.push("o");
        }
        confirm.push("j");
    }
    a.keys(&confirm);
    b.wait(&answered);
    let mut confirm = vec!["g"];
    for i in &items {
        if i.confirmed_by.as_deref() == Some(construction.unit) {
            confirm.push("o");
        }
        confirm.push("j");
    }
    b.keys(&confirm);
    // The one risk (the first construction item, answered "no") gets its treatment.
    b.keys(&["3"]);
    b.wait("Risk heat map");
    b.keys(&["t"]);
    b.wait("saved");
    b.keys(&["2"]);

    // Ready: the implementing unit signs first, seeing what it signs and with which key.
    a.wait("press S to sign");
    a.keys(&["S"]);
    let dialog = a.wait("What will be signed");
    assert!(dialog.contains("pre-acceptance v"), "{dialog}");
    assert!(dialog.contains("Implementing unit"), "{dialog}");
    a.wait("key ");
    a.keys(&["y"]);
    a.wait("awaiting Construction unit");

    // The construction unit sees the signature arrive and co-signs from its own terminal.
    b.wait("signed by Implementing unit");
    b.keys(&["S"]);
    b.wait("Co-sign assessment");
    b.keys(&["y"]);
    b.wait("signed by both units");
    a.wait("signed by both units");
    a.keys(&["q"]);
    b.keys(&["q"]);

    // What was filed verifies, and says who did what.
    let verify = anbao(ws, implementing.home.path(), &["ledger", "verify"]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let status = anbao(
        ws,
        implementing.home.path(),
        &[
            "assess",
            "status",
            "pre-acceptance-20261128",
            "--format",
            "json",
        ],
    );
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["signoff"]["state"], "signed", "{status}");
    let session: serde_json::Value = serde_json::from_slice(
        &std::fs::read(ws.join("assessments/pre-acceptance-20261128.json")).unwrap(),
    )
    .unwrap();
    for i in &items {
        let a = &session["answers"][&i.id];
        let (by, other) = if i.answered_by == construction.unit {
            (construction.name, implementing.name)
        } else {
            (implementing.name, construction.name)
        };
        assert_eq!(a["person"], by, "{}", i.id);
        assert_eq!(a["confirmation"]["person"], other, "{}", i.id);
    }
    assert_eq!(session["scope"], "平台上线前验收");
}

#[test]
fn a_whole_drill_to_a_co_signed_record_in_the_tui() {
    if !tmux_here() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let ws = demo_copy();
    let ws = ws.path();
    let implementing = Person::new(ws, "implementing", "王科长", None);
    let construction = Person::new(ws, "construction", "李工", Some(&implementing));

    // The department's 王科长 starts the ransomware drill of the plan: where, and who.
    let a = Terminal::start("drill-imp", ws, implementing.home.path());
    a.wait("Requirement not met");
    a.keys(&["4"]);
    a.wait("Due and overdue");
    a.keys(&["j", "Enter"]);
    a.wait("Start the drill");
    a.text("市政务云机房值班室");
    a.keys(&["Enter"]);
    a.text(implementing.name);
    // Unit and role as offered (implementing, commander), then past the add row to start.
    a.keys(&["Enter", "Enter", "Enter", "Down", "Enter"]);
    a.wait("T+00:00");
    // The construction unit's 李工 joins the same run from his own terminal.
    let b = Terminal::start("drill-con", ws, construction.home.path());
    b.wait("Requirement not met");
    b.keys(&["4"]);
    b.wait("Due and overdue");
    b.keys(&["j", "Enter"]);
    b.wait("T+00:");
    b.keys(&["P"]);
    b.wait("Add a participant");
    b.text(construction.name);
    b.keys(&["Enter", "Right", "Enter", "Right", "Enter", "Enter"]);
    b.wait("b  start");
    b.keys(&["Escape"]);

    // Every step closed: all done but the grading, skipped with why.
    a.keys(&["d", "d", "s"]);
    a.wait("Why skipped");
    a.text("研判由指挥部完成");
    a.keys(&["Enter", "d", "d", "d", "d", "d"]);
    a.wait("✓ debrief");

    // The summary: evaluators, a rating and comment per objective, a problem, a lesson, an
    // action with owner and due date, and the construction unit to co-sign.
    a.keys(&["F"]);
    a.wait("evaluation and summary");
    a.text("评估组 赵六");
    a.keys(&["Enter"]);
    for comment in ["隔离及时", "按时报告", "恢复完整"] {
        a.keys(&["Right", "Right", "Enter"]);
        a.text(comment);
        a.keys(&["Enter"]);
    }
    a.keys(&["Enter"]);
    a.text("报送模板缺失");
    a.keys(&["Enter"]);
    a.text("未纳入预案附件");
    a.keys(&["Enter", "Down", "Enter"]);
    a.text("模板放在值班室");
    a.keys(&["Enter", "Down", "Enter"]);
    a.text("补充报送模板");
    a.keys(&["Enter"]);
    a.text("李四");
    a.keys(&["Enter"]);
    a.text("2026-12-31");
    a.keys(&["Enter", "Down", "Down", "Right", "Down", "Enter"]);
    let dialog = a.wait("What will be signed");
    assert!(dialog.contains("Steps"), "{dialog}");
    assert!(dialog.contains("co-signed by: construction"), "{dialog}");
    a.wait("key ");
    a.keys(&["y"]);
    a.wait("finished and signed by the implementing unit");

    // 李工 finds the record in his to-do and co-signs it after the same confirmation.
    b.keys(&["5"]);
    b.wait("ledger verified");
    b.keys(&["t"]);
    b.wait("Still to sign");
    b.keys(&["Enter"]);
    b.wait("Co-sign record");
    b.wait("key ");
    b.keys(&["y"]);
    b.wait("co-signed record");
    b.wait("Nothing awaits a signature");
    a.keys(&["q"]);
    b.keys(&["q"]);

    let verify = anbao(ws, implementing.home.path(), &["ledger", "verify"]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let ledger =
        anbao::ledger::Ledger::open(&anbao::workspace::Workspace::open(ws).unwrap()).unwrap();
    let report = ledger.verify().unwrap();
    assert!(report.is_clean() && report.awaiting.is_empty());
    let (records, _) = ledger.records().unwrap();
    let drill = records
        .iter()
        .flatten()
        .find(|r| r.entry.kind == "drill.finished")
        .expect("a drill.finished record");
    assert_eq!(
        report.signed_by(drill.seq()),
        ["construction", "implementing"]
    );
    let body = &drill.entry.body;
    assert_eq!(body["evaluators"][0], "评估组 赵六");
    assert_eq!(body["participants"][1]["name"], construction.name);
    assert_eq!(body["actions"][0]["due"], "2026-12-31");
    assert_eq!(body["steps"][2]["status"], "skipped");
}
