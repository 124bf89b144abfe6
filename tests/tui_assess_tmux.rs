//! End to end in a real terminal (tmux): open the Assessment screen on a copy of the demo
//! workspace, start a session, answer an item with one key, then kill the terminal: the answer
//! is on disk. Skipped, with a message, where tmux is not installed.

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(session: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let pane = tmux(&["capture-pane", "-t", session, "-p"]);
        if pane.contains(needle) {
            return pane;
        }
        if start.elapsed() > Duration::from_secs(30) {
            tmux(&["kill-session", "-t", session]);
            panic!("'{needle}' did not appear; the pane shows:\n{pane}");
        }
        sleep(Duration::from_millis(100));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn answer_an_item_then_kill_the_terminal_and_the_answer_is_saved() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("anbao.toml"), ws.path().join("anbao.toml")).unwrap();
    for dir in ["checklists", "inventories"] {
        copy_dir(&root.join(dir), &ws.path().join(dir));
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    let session = format!("anbao-assess-{}", std::process::id());
    let command = format!(
        "NO_COLOR=1 ANBAO_PERSON=tester '{bin}' -C '{}' --lang en tui --as-of 2026-11-28",
        ws.path().display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    wait_for(&session, "Requirement not met");
    tmux(&["send-keys", "-t", &session, "2"]);
    wait_for(&session, "new from checklist level3-joint");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    // The new session asks what is assessed first.
    wait_for(&session, "Scope");
    tmux(&["send-keys", "-t", &session, "-l", "platform, 2026"]);
    // Past the level, id, superseded session and the checklist's condition to "Start".
    for _ in 0..6 {
        tmux(&["send-keys", "-t", &session, "Enter"]);
    }
    wait_for(&session, "PE-01");
    tmux(&["send-keys", "-t", &session, "n"]);
    let pane = wait_for(&session, "(saved)");
    assert!(pane.contains("PE-01: Not conforming (saved)"), "{pane}");
    // A killed terminal: no quit, no chance to save anything more.
    tmux(&["kill-session", "-t", &session]);
    let file = ws.path().join("assessments/level3-joint-20261128.json");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["answers"]["PE-01"]["answer"], "no");
    assert_eq!(saved["answers"]["PE-01"]["person"], "tester");
}
