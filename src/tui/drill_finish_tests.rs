//! Tests of finishing and abandoning a drill on the Drills screen, through the keys a user
//! presses, down to the files and the ledger they leave.

use super::super::app::{update, Action, App};
use super::super::drills_view::tests::{at, start_drill, workspace};
use super::super::form::Row;
use super::super::view::snapshots::render;
use crate::drill::run::StepStatus;
use crate::drill::Runs;
use crate::i18n::Lang;
use crate::ledger::keys::KeyPlaces;
use std::path::Path;

/// A key of `unit` from a fixed seed, saved in `keys` and enrolled in the workspace's ledger.
fn key(ws: &Path, keys: &Path, unit: &str, seed: u8) {
    std::fs::create_dir_all(keys).unwrap();
    super::super::signing::test_keys::enrolled_key(ws, keys, unit, seed);
}

/// The demo's drills in a temporary workspace, the ransomware drill started, and signing
/// keys looked for in `home/keys`.
fn running(lang: Lang, size: (u16, u16)) -> (tempfile::TempDir, tempfile::TempDir, App) {
    let dir = workspace();
    let home = tempfile::tempdir().unwrap();
    let mut app = super::super::drills_view::tests::app(dir.path(), lang, size);
    if let Some(Ok(d)) = &mut app.drills {
        d.keys = KeyPlaces {
            listed: None,
            dir: home.path().join("keys"),
        };
    }
    update(&mut app, Action::Down);
    start_drill(&mut app);
    (dir, home, app)
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::FilterChar(c));
    }
}

/// Every step of the run closed, one a minute: all done but the third, skipped with why.
/// The clock has sub-second precision, as a real one does: the end the form offers must
/// still not be before the last event.
fn hold(app: &mut App) {
    let steps = app
        .drills_state()
        .unwrap()
        .run
        .as_ref()
        .unwrap()
        .run
        .steps
        .len();
    for i in 0..steps {
        update(
            app,
            Action::Tick(at(&format!("2026-11-28T09:{:02}:12.345+08:00", 10 + i))),
        );
        if i == 2 {
            update(app, Action::StepSkip);
            typed(app, "研判由指挥部完成");
            update(app, Action::FilterDone);
        } else {
            update(app, Action::StepDone);
        }
    }
}

fn form(app: &App) -> &super::super::form::Form {
    &app.drills_state().unwrap().form.as_ref().unwrap().1
}

/// Moves the selection to field `key`, or to the add row of `key`.
fn goto(app: &mut App, key: &str) {
    while form(app).selected > 0 {
        let before = form(app).selected;
        update(app, Action::Up);
        if form(app).selected == before {
            break;
        }
    }
    for _ in 0..200 {
        let f = form(app);
        match f.rows.get(f.selected) {
            Some(Row::Field(field)) if field.key == key => return,
            Some(Row::Add { group, .. }) if group == key => return,
            _ => update(app, Action::Down),
        }
    }
    panic!("no field {key}: {}", render(app));
}

fn submit(app: &mut App) {
    for _ in 0..200 {
        let f = form(app);
        if f.selected >= f.rows.len() {
            break;
        }
        update(app, Action::Down);
    }
    update(app, Action::FilterDone);
}

/// Fills the summary: the evaluator, each objective rated 3 with a comment, one problem,
/// one lesson and one action, and who must co-sign.
fn fill(app: &mut App, due: &str, requires: bool) {
    goto(app, "evaluators");
    typed(app, "评估组 王五");
    for o in ["contain", "report", "recover"] {
        goto(app, &format!("rating.{o}"));
        // (not rated) → 4 → 3.
        for _ in 0..2 {
            update(app, Action::Right);
        }
        update(app, Action::Down);
        typed(app, "按时完成");
    }
    for (group, texts) in [
        ("problem", vec!["报送模板缺失", "未纳入预案附件"]),
        ("lesson", vec!["模板应放在值班室"]),
        ("action", vec!["补充报送模板", "李四", due]),
    ] {
        goto(app, group);
        update(app, Action::FilterDone);
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                update(app, Action::Down);
            }
            typed(app, t);
        }
    }
    if requires {
        goto(app, "requires");
        update(app, Action::Right);
    }
}

#[test]
fn finishing_with_steps_left_open_is_refused_at_once_and_says_which() {
    let (dir, _home, mut app) = running(Lang::En, (80, 24));
    update(&mut app, Action::StepDone);
    update(&mut app, Action::Finish);
    assert!(app.drills_state().unwrap().form.is_none());
    insta::assert_snapshot!("drill_finish_refused_en_80x24", render(&app));
    let text = app
        .drills_state()
        .unwrap()
        .message
        .as_ref()
        .unwrap()
        .text(Lang::Zh);
    assert!(text.contains("isolate"), "{text}");
    assert!(!text.contains("detect"), "{text}");
    assert!(Runs::new(dir.path()).open().unwrap()[0].finished.is_none());
}

#[test]
fn the_summary_form_in_both_languages() {
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        for size in [(80, 24), (120, 40)] {
            let (_dir, _home, mut app) = running(lang, size);
            hold(&mut app);
            update(&mut app, Action::Finish);
            insta::assert_snapshot!(
                format!("drill_finish_form_{code}_{}x{}", size.0, size.1),
                render(&app)
            );
            update(&mut app, Action::Back);
            update(&mut app, Action::Abandon);
            insta::assert_snapshot!(
                format!("drill_abandon_form_{code}_{}x{}", size.0, size.1),
                render(&app)
            );
        }
    }
}

#[test]
fn the_core_judges_the_summary_and_nothing_is_written_until_it_passes() {
    let (dir, home, mut app) = running(Lang::En, (100, 30));
    key(dir.path(), &home.path().join("keys"), "implementing", 1);
    hold(&mut app);
    update(&mut app, Action::Finish);
    // Nothing rated, nobody named: the core's reasons, all of them.
    goto(&mut app, "evaluators");
    for _ in 0..20 {
        update(&mut app, Action::FilterBackspace);
    }
    submit(&mut app);
    let status = form(&app).status.clone().expect("refused");
    for word in ["contain", "report", "recover", "evaluator"] {
        assert!(status.get(Lang::En).contains(word), "{status:?}");
    }
    // A due date that is not a date is refused where it was typed.
    fill(&mut app, "next week", false);
    submit(&mut app);
    let f = form(&app);
    assert!(matches!(&f.rows[f.selected], Row::Field(x) if x.key == "action.0.due"));
    assert!(app.drills_state().unwrap().sign.is_none());
    let run = &Runs::new(dir.path()).open().unwrap()[0];
    assert!(run.finished.is_none() && run.summary.is_none());
    assert!(
        !dir.path().join("ledger").exists() || {
            let ws = crate::workspace::Workspace::open(dir.path()).unwrap();
            crate::ledger::Ledger::open(&ws)
                .unwrap()
                .records()
                .unwrap()
                .0
                .is_empty()
        }
    );
}

#[test]
fn a_drill_is_finished_signed_and_co_signed_by_the_construction_unit() {
    for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        for size in [(80, 24), (120, 40)] {
            let (dir, home, mut app) = running(lang, size);
            let keys = home.path().join("keys");
            key(dir.path(), &keys, "implementing", 1);
            key(dir.path(), &keys, "construction", 2);
            hold(&mut app);
            update(&mut app, Action::Finish);
            fill(&mut app, "2026-12-31", true);
            submit(&mut app);
            let ledger = || {
                let ws = crate::workspace::Workspace::open(dir.path()).unwrap();
                crate::ledger::Ledger::open(&ws).unwrap()
            };
            // Without the temporary folder's name and the signing time.
            let steady = |s: String| {
                let name = home
                    .path()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let s = s.replace(&name, &"x".repeat(name.len()));
                match ledger().record(2) {
                    Ok(r) => s.replace(&r.entry.time, "2026-11-28T09:30:00+08:00"),
                    Err(_) => s,
                }
            };
            insta::assert_snapshot!(
                format!("drill_finish_sign_{code}_{}x{}", size.0, size.1),
                steady(render(&app))
            );
            update(&mut app, Action::Char('y'));
            // Signed; the construction unit's key is at hand, so its signature is offered.
            let state = app.drills_state().unwrap();
            assert!(state.run.is_none() && state.form.is_none());
            assert!(state.sign.is_some(), "{}", render(&app));
            insta::assert_snapshot!(
                format!("drill_cosign_{code}_{}x{}", size.0, size.1),
                steady(render(&app))
            );
            update(&mut app, Action::Char('y'));
            let notice = app.drills_state().unwrap().notice.clone().unwrap();
            assert!(
                notice.get(Lang::En).contains("co-signed drill record 2"),
                "{notice:?}"
            );

            let ledger = ledger();
            let report = ledger.verify().unwrap();
            assert!(report.is_clean(), "{:?}", report.findings);
            assert!(report.awaiting.is_empty());
            assert_eq!(report.signed_by(2), ["construction", "implementing"]);
            // Records 0 and 1 enrol the two units' keys.
            let record = ledger.record(2).unwrap();
            assert_eq!(record.entry.kind, "drill.finished");
            assert_eq!(record.entry.unit, "implementing");
            let body = &record.entry.body;
            assert_eq!(body["evaluators"][0], "评估组 王五");
            assert_eq!(body["evaluations"][0]["rating"], 3);
            assert_eq!(body["actions"][0]["owner"], "李四");
            assert_eq!(body["actions"][0]["due"], "2026-12-31");
            assert_eq!(body["problems"][0]["cause"], "未纳入预案附件");
            let run = &Runs::new(dir.path()).all().unwrap()[0];
            assert_eq!(run.record_seq.as_deref(), Some("2"));
            assert_eq!(run.steps[2].status, StepStatus::Skipped);
            // The calendar counts the drill as held now.
            let state = app.drills_state().unwrap();
            assert_eq!(state.finished.len(), 1);
            assert!(state.open_runs.is_empty());
        }
    }
}

#[test]
fn a_run_is_abandoned_with_its_reason_and_leaves_the_open_runs() {
    let (dir, _home, mut app) = running(Lang::Zh, (80, 24));
    update(&mut app, Action::Abandon);
    submit(&mut app);
    // No reason: the core refuses, nothing changes.
    assert!(form(&app).status.is_some(), "{}", render(&app));
    assert_eq!(Runs::new(dir.path()).open().unwrap().len(), 1);
    goto(&mut app, "reason");
    typed(&mut app, "误开始，演练改期");
    submit(&mut app);
    insta::assert_snapshot!("drill_abandoned_zh_80x24", render(&app));
    let state = app.drills_state().unwrap();
    assert!(state.run.is_none() && state.open_runs.is_empty());
    let run = &Runs::new(dir.path()).all().unwrap()[0];
    assert_eq!(run.abandoned.as_ref().unwrap().reason, "误开始，演练改期");
    assert!(Runs::new(dir.path()).open().unwrap().is_empty());
    // L: the notice follows the language; the next key clears it.
    update(&mut app, Action::ToggleLang);
    assert!(
        render(&app).contains("abandoned drill run"),
        "{}",
        render(&app)
    );
    update(&mut app, Action::Down);
    assert!(app.drills_state().unwrap().notice.is_none());
}
