//! Who is acting: the person's name is asked the first time something would record it (an
//! answer, a confirmation, a drill), kept in the user's `user.toml` and never asked again; the
//! action that waited for it then goes ahead.

use super::app::{update, Action, App, Screen};
use super::form::{Field, Form, Outcome, Row};
use super::text::Status;
use crate::i18n::ledger::Message;

/// Whether `action` would record the acting person while nobody has said who that is.
pub fn needs_person(app: &App, action: &Action) -> bool {
    if app.person.is_some() || app.help_open {
        return false;
    }
    match app.screen {
        Screen::Assessment => {
            let Some(s) = &app.assess else { return false };
            let Some(open) = &s.open else { return false };
            if s.field.is_some() || s.form.is_some() || s.sign.is_some() || s.read_only() {
                return false;
            }
            match action {
                Action::Char(c) => open.checklist.answers.iter().any(|a| a.key == *c),
                Action::TakeDerived | Action::Confirm | Action::EditNote | Action::EditEvidence => {
                    true
                }
                _ => false,
            }
        }
        Screen::Drills => app.drills_state().is_some_and(|d| d.records_person(action)),
        _ => false,
    }
}

/// Opens the question, keeping `waiting` to run once it is answered.
pub fn ask(app: &mut App, waiting: Action) {
    let file = app
        .user_file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "user.toml".into());
    let form = Form::new(
        Message::new("您是谁？", "Who are you?"),
        vec![Row::Field(Field::text(
            "name",
            Message::new("姓名", "Your name"),
            "",
        ))],
        Message::new("保存", "Save"),
    )
    .intro(Message::new(
        format!("anbao 将您的姓名随每条答复、确认和演练记录一并记录。只问一次，保存在 {file}。"),
        format!("anbao records your name with every answer, confirmation and drill. It is asked once and kept in {file}."),
    ));
    app.name_prompt = Some((form, Box::new(waiting)));
}

/// Keys while the question is open.
pub fn handle(app: &mut App, action: Action) {
    let Some((mut form, waiting)) = app.name_prompt.take() else {
        return;
    };
    match form.handle(action) {
        Outcome::Cancel => {}
        Outcome::Submit => {
            let name = form.value("name").to_string();
            if let Some(why) = crate::user::name_problem(&name) {
                form.status = Some(Status::error(why));
                form.select("name");
                app.name_prompt = Some((form, waiting));
                return;
            }
            set_person(app, name);
            update(app, *waiting);
        }
        Outcome::Editing | Outcome::Add { .. } => app.name_prompt = Some((form, waiting)),
    }
}

/// Takes `name` as the acting person, here and in the user's profile.
fn set_person(app: &mut App, name: String) {
    if let Some(path) = &app.user_file {
        let mut user = crate::user::User::load(path).unwrap_or_default();
        user.name = name.clone();
        // Not being able to save the name is no reason to stop working: it is asked again
        // next time.
        let _ = user.save(path);
    }
    if let Some(a) = &mut app.assess {
        a.person = name.clone();
    }
    if let Some(Ok(d)) = &mut app.drills {
        d.person = name.clone();
    }
    app.person = Some(name);
}

/// Keeps the unit the user switched to, so the next start acts for it again.
pub fn remember_unit(app: &mut App) {
    let (Some(path), Some(a)) = (&app.user_file, &app.assess) else {
        return;
    };
    let mut user = crate::user::User::load(path).unwrap_or_default();
    user.unit = Some(a.role.clone());
    let _ = user.save(path);
}
