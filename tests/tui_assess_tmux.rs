//! End to end in a real terminal (tmux): open the Assessment screen on a copy of the demo
//! workspace, start a session, answer an item with one key, then kill the terminal: the answer
//! is on disk. Skipped, with a message, where tmux is not installed.

mod common;

use common::tmux::Session;

#[test]
fn answer_an_item_then_kill_the_terminal_and_the_answer_is_saved() {
    if !common::tmux::available() {
        return;
    }
    let ws = common::demo::demo_copy();
    let bin = env!("CARGO_BIN_EXE_anbao");
    let session = Session::start(
        "assess",
        (100, 30),
        &format!(
            "NO_COLOR=1 ANBAO_PERSON=tester '{bin}' -C '{}' --lang en tui --as-of 2026-11-28",
            ws.path().display()
        ),
    );
    session.wait_for("Requirement not met");
    session.keys(&["2"]);
    session.wait_for("new from checklist level3-joint");
    session.keys(&["Enter"]);
    // The new session asks what is assessed first.
    session.wait_for("Scope");
    session.literal("platform, 2026");
    // Past the level, id, superseded session and the checklist's condition to "Start".
    for _ in 0..6 {
        session.keys(&["Enter"]);
    }
    session.wait_for("PE-01");
    session.keys(&["n"]);
    let pane = session.wait_for("(saved)");
    assert!(pane.contains("PE-01: Not conforming (saved)"), "{pane}");
    // A killed terminal: no quit, no chance to save anything more.
    drop(session);
    let file = ws.path().join("assessments/level3-joint-20261128.json");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["answers"]["PE-01"]["answer"], "no");
    assert_eq!(saved["answers"]["PE-01"]["person"], "tester");
}
