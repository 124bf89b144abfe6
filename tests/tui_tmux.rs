//! End to end: the real binary in a real terminal (tmux), driven by keys as a person would.
//! Skipped, with a message, where tmux is not installed; CI installs it.

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
    let session = format!("anbao-e2e-{}", std::process::id());
    let marker = std::env::temp_dir().join(format!("{session}.exit"));
    let command = format!(
        "cd '{root}' && NO_COLOR=1 '{bin}' --lang en tui --as-of 2026-11-28; echo $? > '{}'",
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
    tmux(&["send-keys", "-t", &session, "?", "q"]);
    let start = Instant::now();
    while !marker.exists() && start.elapsed() < Duration::from_secs(10) {
        sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(&marker).unwrap_or_default();
    let _ = std::fs::remove_file(&marker);
    tmux(&["kill-session", "-t", &session]);
    assert_eq!(code.trim(), "0", "the TUI exits cleanly on q");
}
