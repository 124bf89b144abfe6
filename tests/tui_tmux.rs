//! End to end: the real binary in a real terminal (tmux), driven by keys as a person would.
//! Skipped, with a message, where tmux is not installed; CI installs it.

mod common;

use anbao::ledger::{NewRecord, SigAlg};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits until the pane shows `needle`, or fails after a while with what it shows.
fn wait_for(session: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let pane = tmux(&["capture-pane", "-t", session, "-p"]);
        if pane.contains(needle) {
            return pane;
        }
        if start.elapsed() > Duration::from_secs(30) {
            panic!("'{needle}' did not appear; the pane shows:\n{pane}");
        }
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn filter_open_and_quit_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    let root = env!("CARGO_MANIFEST_DIR");
    let (session, marker) = start(
        "accept",
        (100, 30),
        &format!("cd '{root}' && NO_COLOR=1 '{bin}' --lang en tui --as-of 2026-11-28"),
    );
    wait_for(&session, "Requirement not met");
    // Filter the table down to the foreign middleware, open it, read why it fails.
    tmux(&[
        "send-keys",
        "-t",
        &session,
        "/",
        "w",
        "e",
        "b",
        "l",
        "o",
        "g",
        "i",
        "c",
        "Enter",
    ]);
    wait_for(&session, "1/367");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    let pane = wait_for(&session, "manufacturer-foreign");
    assert!(pane.contains("Oracle WebLogic Server@14.1.1.0.0"), "{pane}");
    // Switch language, back out, open help, quit.
    tmux(&["send-keys", "-t", &session, "Escape", "L"]);
    wait_for(&session, "不满足安全可控要求");
    tmux(&["send-keys", "-t", &session, "?"]);
    wait_for(&session, "帮助");
    // To the records screen by its number: the demo workspace has no ledger yet, and the
    // screen says how to file records.
    let number = (records_screen() + 1).to_string();
    tmux(&["send-keys", "-t", &session, "?", &number]);
    wait_for(&session, "anbao ledger append");
    tmux(&["send-keys", "-t", &session, "q"]);
    assert_eq!(
        exit_code(&session, &marker),
        "0",
        "the TUI exits cleanly on q"
    );
}

/// The position of the Records screen among the tabs.
fn records_screen() -> usize {
    use anbao::tui::app::Screen;
    Screen::ALL
        .iter()
        .position(|s| *s == Screen::Records)
        .unwrap()
}

/// Runs `command` in a new detached tmux session of `size` columns and rows; returns the
/// session's name and the file its exit code will be written to.
fn start(tag: &str, size: (u16, u16), command: &str) -> (String, PathBuf) {
    let session = format!("anbao-e2e-{tag}-{}", std::process::id());
    let marker = std::env::temp_dir().join(format!("{session}.exit"));
    let _ = std::fs::remove_file(&marker);
    let (w, h) = (size.0.to_string(), size.1.to_string());
    let command = format!("{command}; echo $? > '{}'", marker.display());
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        &w,
        "-y",
        &h,
        &command,
    ]);
    (session, marker)
}

/// Waits for the command's exit code in `marker`, then closes the session.
fn exit_code(session: &str, marker: &Path) -> String {
    let start = Instant::now();
    while !marker.exists() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(marker).unwrap_or_default();
    let _ = std::fs::remove_file(marker);
    tmux(&["kill-session", "-t", session]);
    code.trim().to_string()
}

#[test]
fn the_records_screen_names_a_tampered_record_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    // A ledger of three records with a checkpoint, then record 1 changed behind its back.
    let ws = common::workspace("intl");
    let home = tempfile::tempdir().unwrap();
    let imp = common::key(ws.path(), home.path(), "implementing", SigAlg::Ed25519);
    let ledger = common::ledger(ws.path());
    for step in ["启动预案", "切换备用机房", "恢复业务"] {
        ledger
            .append(
                NewRecord::new("drill.run", json!({ "步骤": step })),
                &[&imp],
            )
            .unwrap();
    }
    ledger.checkpoint(&[&imp]).unwrap();
    let path = common::ledger_path(ws.path());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("切换备用机房", "切换备用机柜", 1)).unwrap();

    let bin = env!("CARGO_BIN_EXE_anbao");
    let (session, marker) = start(
        "records",
        (80, 24),
        &format!(
            "NO_COLOR=1 '{bin}' --lang en -C '{}' tui",
            ws.path().display()
        ),
    );
    // Click the Records tab on the top row (SGR mouse codes count columns from 1).
    wait_for(&session, " Records ");
    let column = (0..80u16)
        .find(|&c| anbao::tui::view::tab_at(c, anbao::i18n::Lang::En) == Some(records_screen()))
        .expect("the records tab fits 80 columns")
        + 1;
    tmux(&[
        "send-keys",
        "-t",
        &session,
        "-l",
        &format!("\x1b[<0;{column};1M\x1b[<0;{column};1m"),
    ]);
    let pane = wait_for(&session, "verification FAILED");
    // Record 0 enrols the key; the drill records follow.
    assert!(pane.contains("first bad record #2"), "{pane}");
    // Open the failing record and read why, in Chinese.
    tmux(&["send-keys", "-t", &session, "Down", "Down", "Enter"]);
    wait_for(&session, "leaf-hash-mismatch");
    tmux(&["send-keys", "-t", &session, "L"]);
    wait_for(&session, "记录详情");
    // The checkpoint no longer matches the changed tree.
    // (Escape is sent on its own: followed at once by a key, terminals read it as Alt.)
    tmux(&["send-keys", "-t", &session, "Escape"]);
    wait_for(&session, "校验失败 2");
    tmux(&["send-keys", "-t", &session, "C"]);
    wait_for(&session, "记录数");
    tmux(&["send-keys", "-t", &session, "Enter"]);
    wait_for(&session, "checkpoint-mismatch");
    tmux(&["send-keys", "-t", &session, "q"]);
    assert_eq!(
        exit_code(&session, &marker),
        "0",
        "the TUI exits cleanly on q"
    );
}

/// The drills screen in a real terminal: open the calendar, start a drill, mark a step done
/// with one key, note an observation, quit; the run is on disk.
#[test]
fn mark_a_drill_step_in_a_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // A copy of the demo's drill files: the run is written into the workspace.
    let ws = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("anbao.toml"), ws.path().join("anbao.toml")).unwrap();
    for sub in ["checklists", "playbooks", "drills", "inventories"] {
        std::fs::create_dir_all(ws.path().join(sub)).unwrap();
        for e in std::fs::read_dir(root.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), ws.path().join(sub).join(e.file_name())).unwrap();
            }
        }
    }
    let session = format!("anbao-drill-e2e-{}", std::process::id());
    let marker = std::env::temp_dir().join(format!("{session}.exit"));
    let command = format!(
        "NO_COLOR=1 '{bin}' -C '{}' --lang en tui --as-of 2026-11-28; echo $? > '{}'",
        ws.path().display(),
        marker.display()
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
    // Drills is screen 4 (after Acceptance, Assessment and Risks).
    tmux(&["send-keys", "-t", &session, "4"]);
    wait_for(&session, "Annual emergency-drill plan");
    // The second item is the ransomware drill; Enter asks where and who, then starts it.
    tmux(&["send-keys", "-t", &session, "j", "Enter"]);
    wait_for(&session, "Start the drill");
    tmux(&["send-keys", "-t", &session, "-l", "duty room"]);
    tmux(&["send-keys", "-t", &session, "Enter"]);
    tmux(&["send-keys", "-t", &session, "-l", "tester"]);
    for key in ["Enter", "Enter", "Enter", "Down", "Enter"] {
        tmux(&["send-keys", "-t", &session, key]);
    }
    wait_for(&session, "T+00:");
    tmux(&["send-keys", "-t", &session, "d"]);
    wait_for(&session, "✓ detect");
    tmux(&[
        "send-keys",
        "-t",
        &session,
        "o",
        "b",
        "a",
        "c",
        "k",
        "u",
        "p",
        " ",
        "o",
        "k",
        "Enter",
    ]);
    wait_for(&session, "[isolate] backup ok");
    tmux(&["send-keys", "-t", &session, "Escape", "q"]);
    let start = Instant::now();
    while !marker.exists() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(&marker).unwrap_or_default();
    let _ = std::fs::remove_file(&marker);
    tmux(&["kill-session", "-t", &session]);
    assert_eq!(code.trim(), "0", "the TUI exits cleanly on q");
    let runs: Vec<_> = std::fs::read_dir(ws.path().join("drills/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&runs[0]).unwrap()).unwrap();
    assert_eq!(run["steps"][0]["status"], "done");
    assert_eq!(run["observations"][0]["text"], "backup ok");
}
