//! The Assessment and Risks screens drawn into a `TestBackend` on a copy of the demo workspace,
//! driven by actions as keys drive them; every answer is checked on disk.

use super::super::app::{update, Action, App, Loaded};
use super::super::assess::{AssessState, Pick};
use super::super::keys::KeyMap;
use super::super::view::snapshots::render;
use crate::assessment::definition::Checklist;
use crate::assessment::session::{Given, Store};
use crate::i18n::Lang;
use crate::ledger::keys::{KeyPlaces, SigningKey};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-28";
const SESSION: &str = "level3-joint-20261128";

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

/// The workspace copy, and a folder outside it for the user's keys and profile.
struct Dirs {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Dirs {
    fn path(&self) -> &Path {
        self.ws.path()
    }
}

/// A copy of the demo workspace and an app on it, loaded as the TUI loads it, with 测试员
/// acting and no signing key at hand.
fn app(lang: Lang, size: (u16, u16)) -> (Dirs, App) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dirs = Dirs {
        ws: tempfile::tempdir().unwrap(),
        home: tempfile::tempdir().unwrap(),
    };
    let dir = dirs.path();
    std::fs::copy(root.join("anbao.toml"), dir.join("anbao.toml")).unwrap();
    for sub in ["checklists", "inventories"] {
        copy_dir(&root.join(sub), &dir.join(sub));
    }
    let as_of = AS_OF.parse().unwrap();
    let loaded =
        super::super::load_workspace(Some(dir.to_path_buf()), as_of, &|_, _, _| {}).unwrap();
    let ws = crate::workspace::Workspace::open(dir).unwrap();
    let mut state = AssessState::load(ws, as_of, Some(loaded.report.clone()), String::new());
    state.keys = KeyPlaces {
        listed: None,
        dir: dirs.home.path().join("keys"),
    };
    let mut app = App::new(lang, KeyMap::default(), false, size);
    app.person = Some("测试员".into());
    app.user_file = Some(dirs.home.path().join("user.toml"));
    update(&mut app, Action::Loaded(Box::new(Loaded { ..loaded })));
    update(&mut app, Action::AssessLoaded(Box::new(state)));
    update(&mut app, Action::GoToScreen(1));
    (dirs, app)
}

fn langs() -> [(Lang, &'static str); 2] {
    [(Lang::Zh, "zh"), (Lang::En, "en")]
}

fn sizes() -> [(u16, u16); 2] {
    [(80, 24), (120, 40)]
}

fn session(dir: &Path) -> serde_json::Value {
    let path = dir.join(format!("assessments/{SESSION}.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn state(app: &App) -> &AssessState {
    app.assess.as_ref().unwrap()
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::FilterChar(c));
    }
}

/// Selects the level3-joint checklist in the picker and opens the new-session form.
fn new_session_form(app: &mut App) {
    let at = state(app)
        .picks
        .iter()
        .position(|p| matches!(p, Pick::Checklist(_, id) if id == "level3-joint"))
        .unwrap();
    app.assess.as_mut().unwrap().pick = at;
    update(app, Action::Open);
}

/// Starts a level3-joint session with a scope, as a person does.
fn start(app: &mut App) {
    new_session_form(app);
    typed(app, "平台与政务云资源");
    to_submit(app);
    update(app, Action::FilterDone);
    assert!(state(app).open.is_some(), "{}", render(app));
}

/// Moves a form's selection to its submit row.
fn to_submit(app: &mut App) {
    for _ in 0..20 {
        update(app, Action::Down);
    }
}

/// Moves the cursor to `item`.
fn goto(app: &mut App, item: &str) {
    update(app, Action::Home);
    while state(app).current_item() != Some(item) {
        update(app, Action::Down);
    }
}

fn checklist(dir: &Path) -> Checklist {
    Checklist::load(&dir.join("checklists/level3-joint-assessment.toml")).unwrap()
}

/// Another terminal answers `item` through the same store, as `anbao assess answer` does.
fn answer_elsewhere(dir: &Path, item: &str, answer: &str, person: &str) {
    let cl = checklist(dir);
    let role = cl.item(item).unwrap().answered_by.clone();
    let given = Given {
        item: item.into(),
        answer: answer.into(),
        role,
        person: person.into(),
        note: String::new(),
        evidence: Vec::new(),
        derived: None,
    };
    Store::new(dir)
        .update(SESSION, |s| {
            s.answer(&cl, given, "2026-11-28T10:00:00+08:00".into())
        })
        .unwrap();
}

#[test]
fn picker_new_session_form_and_items_at_both_sizes_in_both_languages() {
    for (lang, code) in langs() {
        for size in sizes() {
            let (_dir, mut app) = app(lang, size);
            let at = format!("{code}_{}x{}", size.0, size.1);
            insta::assert_snapshot!(format!("assess_picker_{at}"), render(&app));
            new_session_form(&mut app);
            insta::assert_snapshot!(format!("assess_new_session_{at}"), render(&app));
            update(&mut app, Action::Back);
            start(&mut app);
            insta::assert_snapshot!(format!("assess_items_{at}"), render(&app));
        }
    }
}

#[test]
fn new_from_checklist_asks_for_the_scope_before_it_creates_anything() {
    let (dir, mut app) = app(Lang::En, (80, 24));
    new_session_form(&mut app);
    assert!(!dir.path().join("assessments").exists(), "nothing yet");
    // Submitting without a scope is refused and says why.
    to_submit(&mut app);
    update(&mut app, Action::FilterDone);
    assert!(state(&app).open.is_none());
    assert!(
        render(&app).contains("say what is assessed"),
        "{}",
        render(&app)
    );
    typed(&mut app, "portal, 2026");
    update(&mut app, Action::Down);
    update(&mut app, Action::FilterChar('2'));
    to_submit(&mut app);
    update(&mut app, Action::FilterDone);
    let s = session(dir.path());
    assert_eq!(s["scope"], "portal, 2026");
    assert_eq!(s["protection_level"], 2);
}

#[test]
fn the_session_list_shows_each_sessions_progress() {
    let (dir, mut app) = app(Lang::En, (100, 30));
    start(&mut app);
    update(&mut app, Action::Char('y'));
    update(&mut app, Action::Char('n'));
    update(&mut app, Action::Back);
    let screen = render(&app);
    let total = state(&app).sessions[0].progress.applicable;
    assert!(
        screen.contains(&format!(
            "2/{total} answered · 2 to confirm · risks 1 · not signed"
        )),
        "{screen}"
    );
    // A session answered in another terminal shows its progress on the next look.
    answer_elsewhere(dir.path(), "PE-03", "yes", "李工");
    update(&mut app, Action::Tick(chrono::Local::now().fixed_offset()));
    assert!(
        render(&app).contains(&format!("3/{total} answered")),
        "{}",
        render(&app)
    );
}

#[test]
fn answering_moves_on_to_the_next_item() {
    let (dir, mut app) = app(Lang::En, (100, 30));
    start(&mut app);
    goto(&mut app, "PE-01");
    for key in ['y', 'y', 'p'] {
        update(&mut app, Action::Char(key));
    }
    assert_eq!(state(&app).current_item(), Some("PE-04"));
    let s = session(dir.path());
    assert_eq!(s["answers"]["PE-03"]["answer"], "partly");
    // A key that answers nothing stays put.
    update(&mut app, Action::Char('z'));
    assert_eq!(state(&app).current_item(), Some("PE-04"));
}

#[test]
fn answering_confirming_and_notes_are_saved_at_once() {
    for (lang, code) in langs() {
        let (dir, mut app) = app(lang, (100, 30));
        start(&mut app);
        // PE-01 is answered by the construction unit, the default role.
        update(&mut app, Action::Char('n'));
        assert_eq!(session(dir.path())["answers"]["PE-01"]["answer"], "no");
        update(&mut app, Action::Up);
        update(&mut app, Action::EditNote);
        assert!(app.is_typing());
        typed(&mut app, "无消防验收");
        update(&mut app, Action::FilterDone);
        assert_eq!(
            session(dir.path())["answers"]["PE-01"]["note"],
            "无消防验收"
        );
        // Confirming as the answering role is refused; so is the same person as the other
        // role; another person of the other role confirms.
        update(&mut app, Action::Confirm);
        assert!(session(dir.path())["answers"]["PE-01"]["confirmation"].is_null());
        update(&mut app, Action::SwitchRole);
        update(&mut app, Action::Confirm);
        assert!(session(dir.path())["answers"]["PE-01"]["confirmation"].is_null());
        assert!(
            state(&app).status.as_ref().unwrap().error,
            "{:?}",
            state(&app).status
        );
        app.assess.as_mut().unwrap().person = "王科长".into();
        update(&mut app, Action::Confirm);
        assert_eq!(
            session(dir.path())["answers"]["PE-01"]["confirmation"]["person"],
            "王科长"
        );
        update(&mut app, Action::SwitchRole);
        update(&mut app, Action::Down);
        update(&mut app, Action::Char('y'));
        update(&mut app, Action::Up);
        update(&mut app, Action::Up);
        insta::assert_snapshot!(format!("assess_answered_{code}"), render(&app));
    }
}

#[test]
fn status_messages_follow_the_language_and_end_with_their_context() {
    let (_dir, mut app) = app(Lang::Zh, (100, 30));
    start(&mut app);
    update(&mut app, Action::Char('n'));
    assert!(
        render(&app).contains("PE-01：不符合（已保存）"),
        "{}",
        render(&app)
    );
    update(&mut app, Action::ToggleLang);
    assert!(render(&app).contains("PE-01: Not conforming (saved)"));
    update(&mut app, Action::Down);
    assert!(!render(&app).contains("(saved)"), "{}", render(&app));
    // Nor does a status follow to another screen.
    update(&mut app, Action::Char('y'));
    update(&mut app, Action::GoToScreen(2));
    update(&mut app, Action::GoToScreen(1));
    assert!(!render(&app).contains("(saved)"));
}

#[test]
fn the_open_session_is_read_again_when_another_terminal_changes_it() {
    let (dir, mut app) = app(Lang::En, (100, 30));
    start(&mut app);
    update(&mut app, Action::Char('n'));
    answer_elsewhere(dir.path(), "PE-02", "yes", "李工");
    update(&mut app, Action::Tick(chrono::Local::now().fixed_offset()));
    let open = state(&app).open.as_ref().unwrap();
    assert_eq!(open.session.answers["PE-02"].answer, "yes", "shown at once");
    // Another terminal changes PE-01; a note added here keeps that answer.
    answer_elsewhere(dir.path(), "PE-01", "yes", "李工");
    goto(&mut app, "PE-01");
    update(&mut app, Action::EditNote);
    typed(&mut app, "见消防验收意见书");
    update(&mut app, Action::FilterDone);
    let s = session(dir.path());
    assert_eq!(s["answers"]["PE-01"]["answer"], "yes");
    assert_eq!(s["answers"]["PE-01"]["note"], "见消防验收意见书");
    assert_eq!(s["answers"]["PE-02"]["answer"], "yes");
}

#[test]
fn zh_screens_name_the_units_not_their_ids() {
    let (_dir, mut app) = app(Lang::Zh, (120, 40));
    start(&mut app);
    update(&mut app, Action::Char('n'));
    update(&mut app, Action::Up);
    let screen = render(&app);
    assert!(screen.contains("答复方 项目建设单位"), "{screen}");
    assert!(screen.contains("确认方 项目实施单位"), "{screen}");
    assert!(!screen.contains("construction"), "{screen}");
    assert!(!screen.contains("implementing"), "{screen}");
}

#[test]
fn the_answer_from_data_is_offered_and_taken() {
    let (dir, mut app) = app(Lang::En, (120, 40));
    start(&mut app);
    // Walk to MS-05 (key products controllable), offered from the acceptance check.
    goto(&mut app, "MS-05");
    insta::assert_snapshot!("assess_offer_en", render(&app));
    update(&mut app, Action::TakeDerived);
    let s = session(dir.path());
    assert_eq!(s["answers"]["MS-05"]["answer"], "no");
    assert_eq!(
        s["answers"]["MS-05"]["derived"]["source"],
        "acceptance.key-products-controllable"
    );
    // Where the data does not decide an item, the item says why and nothing is taken.
    while app.assess.as_ref().unwrap().current_item() != Some("MS-08") {
        update(&mut app, Action::Down);
    }
    let text = render(&app);
    assert!(text.contains("no answer from data: not yet due"), "{text}");
    update(&mut app, Action::TakeDerived);
    assert!(session(dir.path())["answers"]["MS-08"].is_null());
}

/// Answers PE-01 no, PE-02 partly, PE-03 no: three risks in three cells.
fn three_risks(app: &mut App) {
    goto(app, "PE-01");
    for key in ['n', 'p', 'n'] {
        update(app, Action::Char(key));
    }
    update(app, Action::GoToScreen(2));
}

#[test]
fn risks_heat_map_register_and_treatment_editing() {
    for (lang, code) in langs() {
        for size in sizes() {
            let (dir, mut app) = app(lang, size);
            start(&mut app);
            three_risks(&mut app);
            update(&mut app, Action::CycleTreatment);
            update(&mut app, Action::EditOwner);
            typed(&mut app, "李工");
            update(&mut app, Action::FilterDone);
            let s = session(dir.path());
            assert_eq!(s["risks"]["PE-01"]["treatment"], "mitigate");
            assert_eq!(s["risks"]["PE-01"]["owner"], "李工");
            insta::assert_snapshot!(format!("risks_{code}_{}x{}", size.0, size.1), render(&app));
        }
    }
}

#[test]
fn enter_on_a_risk_lists_that_risks_cell() {
    let (_dir, mut app) = app(Lang::En, (120, 40));
    start(&mut app);
    three_risks(&mut app);
    assert_eq!(state(&app).risk_items().len(), 3);
    // The third risk (PE-03), then Enter: its cell, with it still selected.
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    let chosen = state(&app).risk_items()[2].clone();
    update(&mut app, Action::Open);
    let listed = state(&app).risk_items();
    assert!(listed.iter().any(|r| r.item == "PE-03"), "{listed:?}");
    assert!(listed
        .iter()
        .all(|r| (r.score.likelihood, r.score.impact)
            == (chosen.score.likelihood, chosen.score.impact)));
    assert_eq!(listed[state(&app).risk_selected].item, "PE-03");
    update(&mut app, Action::Back);
    assert_eq!(state(&app).risk_items().len(), 3);
    assert_eq!(
        state(&app).risk_items()[state(&app).risk_selected].item,
        "PE-03"
    );
}

#[test]
fn the_risk_form_sets_every_field_the_cli_sets() {
    for (lang, code) in langs() {
        for size in sizes() {
            let (dir, mut app) = app(lang, size);
            start(&mut app);
            three_risks(&mut app);
            update(&mut app, Action::EditRisk);
            insta::assert_snapshot!(
                format!("risk_form_{code}_{}x{}", size.0, size.1),
                render(&app)
            );
            // Asset 5, threat 5, severity 5: a level-5 risk, accepted, which needs an
            // approver; the core refuses without one.
            for _ in 0..3 {
                update(&mut app, Action::FilterChar('5'));
                update(&mut app, Action::Down);
            }
            typed(&mut app, "双机热备");
            update(&mut app, Action::Down);
            update(&mut app, Action::Right);
            update(&mut app, Action::Right);
            update(&mut app, Action::Down);
            typed(&mut app, "李工");
            update(&mut app, Action::Down);
            typed(&mut app, "2026-12-31");
            update(&mut app, Action::Down);
            update(&mut app, Action::FilterChar('2'));
            update(&mut app, Action::Down);
            update(&mut app, Action::Down);
            typed(&mut app, "见整改方案");
            update(&mut app, Action::Down);
            update(&mut app, Action::FilterDone);
            let form = state(&app).form.as_ref().expect("refused, still open");
            assert!(form.1.status.as_ref().unwrap().error);
            assert!(session(dir.path())["risks"]["PE-01"]["approver"] == "");
            update(&mut app, Action::Up);
            update(&mut app, Action::Up);
            typed(&mut app, "局长");
            update(&mut app, Action::Down);
            update(&mut app, Action::Down);
            update(&mut app, Action::FilterDone);
            assert!(state(&app).form.is_none(), "{}", render(&app));
            let r = &session(dir.path())["risks"]["PE-01"];
            assert_eq!(
                (
                    &r["asset_value"],
                    &r["threat_frequency"],
                    &r["severity"],
                    &r["existing_controls"],
                    &r["treatment"],
                    &r["owner"],
                    &r["due"],
                    &r["residual"],
                    &r["approver"],
                    &r["note"],
                ),
                (
                    &5.into(),
                    &5.into(),
                    &5.into(),
                    &"双机热备".into(),
                    &"accept".into(),
                    &"李工".into(),
                    &"2026-12-31".into(),
                    &2.into(),
                    &"局长".into(),
                    &"见整改方案".into(),
                )
            );
            // The level column holds the longest level name; narrower columns end in "…".
            insta::assert_snapshot!(
                format!("risks_level5_{code}_{}x{}", size.0, size.1),
                render(&app)
            );
        }
    }
}

#[test]
fn cut_cells_end_with_an_ellipsis() {
    let (_dir, mut app) = app(Lang::En, (80, 24));
    start(&mut app);
    three_risks(&mut app);
    let screen = render(&app);
    let row = screen.lines().find(|l| l.starts_with("PE-01")).unwrap();
    assert!(row.ends_with('…'), "{screen}");
    assert!(screen.contains("2 Low"), "{screen}");
}

#[test]
fn the_name_is_asked_once_kept_and_the_waiting_answer_saved() {
    let (dir, mut app) = app(Lang::En, (80, 24));
    app.person = None;
    app.assess.as_mut().unwrap().person.clear();
    start(&mut app);
    update(&mut app, Action::Char('y'));
    assert!(app.name_prompt.is_some());
    insta::assert_snapshot!("assess_who_en_80x24", steady(render(&app), &dir));
    update(&mut app, Action::FilterDone);
    update(&mut app, Action::FilterDone);
    assert!(
        render(&app).contains("say who you are"),
        "an empty name is refused"
    );
    typed(&mut app, "王科长");
    update(&mut app, Action::FilterDone);
    update(&mut app, Action::FilterDone);
    assert!(app.name_prompt.is_none());
    assert_eq!(app.person.as_deref(), Some("王科长"));
    let s = session(dir.path());
    assert_eq!(
        s["answers"]["PE-01"]["person"], "王科长",
        "the answer waited"
    );
    let saved = crate::user::User::load(app.user_file.as_ref().unwrap()).unwrap();
    assert_eq!(saved.name, "王科长");
    // Asked once: the next answer goes straight in.
    update(&mut app, Action::Char('y'));
    assert!(app.name_prompt.is_none());
    // The role switched to is kept too.
    update(&mut app, Action::SwitchRole);
    let saved = crate::user::User::load(app.user_file.as_ref().unwrap()).unwrap();
    assert_eq!(saved.unit.as_deref(), Some("implementing"));
}

#[test]
fn the_name_question_in_chinese() {
    let (dir, mut app) = app(Lang::Zh, (120, 40));
    app.person = None;
    start(&mut app);
    update(&mut app, Action::Char('y'));
    insta::assert_snapshot!("assess_who_zh_120x40", steady(render(&app), &dir));
}

/// A key of `unit` from a fixed seed, saved in the user's key folder and trusted by the
/// workspace.
fn key(dirs: &Dirs, unit: &str, seed: u8) -> SigningKey {
    let keys = dirs.home.path().join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    super::super::signing::test_keys::enrolled_key(dirs.path(), &keys, unit, seed)
}

/// Answers and confirms every item through the store, each by a person of its unit.
fn complete(dir: &Path) {
    let cl = checklist(dir);
    Store::new(dir)
        .update(SESSION, |s| {
            let items: Vec<_> = s.applicable(&cl).cloned().collect();
            for item in items {
                let person = |role: &str| {
                    if role == "construction" {
                        "李工"
                    } else {
                        "王科长"
                    }
                };
                let given = Given {
                    item: item.id.clone(),
                    answer: "yes".into(),
                    role: item.answered_by.clone(),
                    person: person(&item.answered_by).into(),
                    note: String::new(),
                    evidence: Vec::new(),
                    derived: None,
                };
                s.answer(&cl, given, "2026-11-28T10:00:00+08:00".into())?;
                if let Some(by) = &item.confirmed_by {
                    s.confirm(&cl, &item.id, by, person(by), "", "t".into())?;
                }
            }
            Ok(())
        })
        .unwrap();
}

/// An app on a session whose every item is answered and confirmed, read in by the screen.
fn ready(app: &mut App, dirs: &Dirs) {
    complete(dirs.path());
    update(app, Action::Tick(chrono::Local::now().fixed_offset()));
}

/// The temp folders in a rendered screen, and the leaf hash of a record signed just now (its
/// time is in it), each kept at its length, so snapshots do not move.
fn steady(screen: String, dirs: &Dirs) -> String {
    let mut out = screen;
    for d in [dirs.ws.path(), dirs.home.path()] {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        out = out.replace(&name, &"x".repeat(name.len()));
    }
    let marker = "assessment.signoff · sha256:";
    if let Some(at) = out.find(marker) {
        let from = at + marker.len();
        out.replace_range(from..from + 16, &"0".repeat(16));
    }
    out
}

#[test]
fn signing_shows_what_is_signed_then_both_units_sign() {
    for (lang, code) in langs() {
        for size in sizes() {
            let (dirs, mut app) = app(lang, size);
            start(&mut app);
            // Not ready: the screen says what is missing.
            update(&mut app, Action::Sign);
            assert!(state(&app).sign.is_none());
            assert!(state(&app).status.as_ref().unwrap().error);
            ready(&mut app, &dirs);
            let ready = render(&app);
            assert!(
                ready.contains("press S to sign") || ready.contains("按 S 签署"),
                "{ready}"
            );
            key(&dirs, "construction", 7);
            update(&mut app, Action::Sign);
            insta::assert_snapshot!(
                format!("assess_sign_{code}_{}x{}", size.0, size.1),
                steady(render(&app), &dirs)
            );
            update(&mut app, Action::Char('y'));
            // The construction unit signed; the implementing unit's key is not at hand.
            assert!(state(&app).sign.is_none(), "{}", render(&app));
            assert!(state(&app).read_only());
            let seq = session(dirs.path())["signoff"]["seq"].clone();
            // Record 0 enrols the construction unit's key.
            assert_eq!(seq, "1");
            // The implementing unit's key arrives: S offers its co-signature.
            key(&dirs, "implementing", 9);
            update(&mut app, Action::Sign);
            insta::assert_snapshot!(
                format!("assess_cosign_{code}_{}x{}", size.0, size.1),
                steady(render(&app), &dirs)
            );
            update(&mut app, Action::Char('y'));
            let ws = crate::workspace::Workspace::open(dirs.path()).unwrap();
            let ledger = crate::ledger::Ledger::open(&ws).unwrap();
            let report = ledger.verify().unwrap();
            assert!(report.is_clean(), "{:?}", report.findings);
            assert!(matches!(
                state(&app).open.as_ref().unwrap().sign_state,
                crate::assessment::signoff::SignState::Signed { .. }
            ));
            insta::assert_snapshot!(
                format!("assess_signed_{code}_{}x{}", size.0, size.1),
                render(&app)
            );
        }
    }
}

#[test]
fn both_keys_at_hand_sign_one_after_the_other_in_one_go() {
    let (dirs, mut app) = app(Lang::En, (100, 30));
    start(&mut app);
    ready(&mut app, &dirs);
    key(&dirs, "construction", 7);
    key(&dirs, "implementing", 9);
    update(&mut app, Action::Sign);
    update(&mut app, Action::Char('y'));
    // The other unit's signature is offered at once.
    let offered = state(&app).sign.as_ref().expect("offered");
    assert_eq!(offered.signers.len(), 1);
    assert_eq!(offered.signers[0].unit, "implementing");
    update(&mut app, Action::Char('y'));
    assert!(state(&app).sign.is_none());
    assert!(matches!(
        state(&app).open.as_ref().unwrap().sign_state,
        crate::assessment::signoff::SignState::Signed { .. }
    ));
}

#[test]
fn a_signed_session_says_it_is_read_only_in_full_and_offers_a_superseding_one() {
    for (lang, code) in langs() {
        let (dirs, mut app) = app(lang, (80, 24));
        start(&mut app);
        ready(&mut app, &dirs);
        key(&dirs, "construction", 7);
        update(&mut app, Action::Sign);
        update(&mut app, Action::Char('y'));
        update(&mut app, Action::Home);
        update(&mut app, Action::Char('n'));
        let screen = render(&app);
        let tail = match lang {
            Lang::Zh => "新建替代评估。",
            Lang::En => "superseding one.",
        };
        assert!(screen.contains(tail), "the whole notice shows:\n{screen}");
        insta::assert_snapshot!(format!("assess_read_only_{code}_80x24"), screen);
        update(&mut app, Action::Supersede);
        let form = &state(&app).form.as_ref().expect("the new-session form").1;
        assert_eq!(form.value("supersedes"), SESSION);
        assert_eq!(form.value("scope"), "平台与政务云资源");
        to_submit(&mut app);
        update(&mut app, Action::FilterDone);
        let open = state(&app).open.as_ref().unwrap();
        assert_eq!(open.session.supersedes.as_ref().unwrap().session, SESSION);
        let signed = Store::new(dirs.path()).load(SESSION).unwrap();
        assert_eq!(open.session.answers, signed.answers, "answers carried over");
        assert_eq!(open.session.conditions, signed.conditions);
    }
}
