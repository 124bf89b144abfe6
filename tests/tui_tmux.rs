//! End to end: the real binary in a real terminal (tmux), driven by keys as a person would.
//! Skipped, with a message, where tmux is not installed; CI installs it.

mod common;

use anbao::ledger::{NewRecord, SigAlg};
use common::tmux::Session;
use serde_json::json;

#[test]
fn filter_open_and_quit_in_a_real_terminal() {
    if !common::tmux::available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    let demo = common::demo::demo_copy();
    let session = Session::start(
        "accept",
        (100, 30),
        &format!(
            "cd '{}' && NO_COLOR=1 '{bin}' --lang en tui --as-of 2026-11-28",
            demo.path().display()
        ),
    );
    session.wait_for("Requirement not met");
    // Filter the table down to the foreign middleware, open it, read why it fails.
    session.keys(&["/", "w", "e", "b", "l", "o", "g", "i", "c", "Enter"]);
    session.wait_for("1/367");
    session.keys(&["Enter"]);
    let pane = session.wait_for("manufacturer-foreign");
    assert!(pane.contains("Oracle WebLogic Server@14.1.1.0.0"), "{pane}");
    // Switch language, back out, open help, quit.
    session.keys(&["Escape", "L"]);
    session.wait_for("不满足安全可控要求");
    session.keys(&["?"]);
    session.wait_for("帮助");
    // To the records screen by its number: the demo workspace has no ledger yet, and the
    // screen says how to file records.
    let number = (records_screen() + 1).to_string();
    session.keys(&["?", &number]);
    session.wait_for("anbao ledger append");
    session.keys(&["q"]);
    assert_eq!(session.exit_code(), "0", "the TUI exits cleanly on q");
}

/// The position of the Records screen among the tabs.
fn records_screen() -> usize {
    use anbao::tui::app::Screen;
    Screen::ALL
        .iter()
        .position(|s| *s == Screen::Records)
        .unwrap()
}

#[test]
fn the_records_screen_names_a_tampered_record_in_a_real_terminal() {
    if !common::tmux::available() {
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
    let session = Session::start(
        "records",
        (80, 24),
        &format!(
            "NO_COLOR=1 '{bin}' --lang en -C '{}' tui",
            ws.path().display()
        ),
    );
    // Click the Records tab on the top row (SGR mouse codes count columns from 1).
    session.wait_for(" Records ");
    let column = (0..80u16)
        .find(|&c| anbao::tui::view::tab_at(c, anbao::i18n::Lang::En) == Some(records_screen()))
        .expect("the records tab fits 80 columns")
        + 1;
    session.keys(&["-l", &format!("\x1b[<0;{column};1M\x1b[<0;{column};1m")]);
    let pane = session.wait_for("verification FAILED");
    // Record 0 enrols the key; the drill records follow.
    assert!(pane.contains("first bad record #2"), "{pane}");
    // Open the failing record and read why, in Chinese.
    session.keys(&["Down", "Down", "Enter"]);
    session.wait_for("leaf-hash-mismatch");
    session.keys(&["L"]);
    session.wait_for("记录详情");
    // The checkpoint no longer matches the changed tree.
    // (Escape is sent on its own: followed at once by a key, terminals read it as Alt.)
    session.keys(&["Escape"]);
    session.wait_for("校验失败 2");
    session.keys(&["C"]);
    session.wait_for("记录数");
    session.keys(&["Enter"]);
    session.wait_for("checkpoint-mismatch");
    session.keys(&["q"]);
    assert_eq!(session.exit_code(), "0", "the TUI exits cleanly on q");
}

/// The drills screen in a real terminal: open the calendar, start a drill, mark a step done
/// with one key, note an observation, quit; the run is on disk.
#[test]
fn mark_a_drill_step_in_a_real_terminal() {
    if !common::tmux::available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    // A copy of the demo: the run is written into the workspace.
    let ws = common::demo::demo_copy();
    let session = Session::start(
        "drill",
        (100, 30),
        &format!(
            "NO_COLOR=1 '{bin}' -C '{}' --lang en tui --as-of 2026-11-28",
            ws.path().display()
        ),
    );
    // Drills is screen 4 (after Acceptance, Assessment and Risks).
    session.keys(&["4"]);
    session.wait_for("Annual emergency-drill plan");
    // The second item is the ransomware drill; Enter asks where and who, then starts it.
    session.keys(&["j", "Enter"]);
    session.wait_for("Start the drill");
    session.literal("duty room");
    session.keys(&["Enter"]);
    session.literal("tester");
    session.keys(&["Enter", "Enter", "Enter", "Down", "Enter"]);
    session.wait_for("T+00:");
    session.keys(&["d"]);
    session.wait_for("✓ detect");
    session.keys(&["o", "b", "a", "c", "k", "u", "p", " ", "o", "k", "Enter"]);
    session.wait_for("[isolate] backup ok");
    session.keys(&["Escape", "q"]);
    assert_eq!(session.exit_code(), "0", "the TUI exits cleanly on q");
    // The run files, not the lock files beside them.
    let runs: Vec<_> = std::fs::read_dir(ws.path().join("drills/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&runs[0]).unwrap()).unwrap();
    assert_eq!(run["steps"][0]["status"], "done");
    assert_eq!(run["observations"][0]["text"], "backup ok");
}

/// A test that fails half-way (here on purpose) leaves neither its tmux session nor its TUI
/// running: the session guard ends both as the panic unwinds.
#[test]
fn a_failing_test_leaves_no_session_or_tui_behind() {
    if !common::tmux::available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_anbao");
    let demo = common::demo::demo_copy();
    let started = std::sync::Mutex::new(None);
    let failed = std::panic::catch_unwind(|| {
        let session = Session::start(
            "unwind",
            (80, 24),
            &format!(
                "NO_COLOR=1 '{bin}' -C '{}' --lang en tui --as-of 2026-11-28",
                demo.path().display()
            ),
        );
        session.wait_for("Requirement not met");
        *started.lock().unwrap() = Some((session.name.clone(), session.pane_pid()));
        panic!("a test that fails while the TUI runs");
    });
    assert!(failed.is_err());
    let (name, pid) = started.into_inner().unwrap().expect("the TUI started");
    let has_session = std::process::Command::new("tmux")
        .args(["has-session", "-t", &name])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!has_session.success(), "session '{name}' is still there");
    let pid = pid.expect("the pane's process id");
    let group_alive = std::process::Command::new("kill")
        .args(["-0", "--", &format!("-{pid}")])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        !group_alive.success(),
        "a process of the session still runs"
    );
}
