//! The Assessment screen's state: the sessions of the workspace with their progress, the open
//! session walked item by item, answers given with single keys and saved at once through the
//! core's session store (applied to the file as it is on disk, and read again when another
//! terminal changes it). Risks and signing live in `assess_risks` and `assess_sign`.

use super::app::Action;
use super::form::Form;
use super::signing::SignDialog;
use super::stamp::Stamp;
use super::text::Status;
use crate::assessment::definition::{workspace_checklists, Checklist};
use crate::assessment::session::{Derived, Given, Progress, Session, Store};
use crate::assessment::{derived, signoff, store, Error};
use crate::i18n::ledger::Message;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a one-line text field being typed into is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Note,
    Evidence,
    Owner,
    Approver,
    Due,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub kind: FieldKind,
    pub text: String,
}

/// One line of the item list: a section heading or an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Section(String),
    Item(String),
}

/// The open session with its checklist and what anbao offers from data.
#[derive(Debug)]
pub struct Open {
    pub session: Session,
    pub checklist: Checklist,
    pub offers: BTreeMap<String, Derived>,
    /// Items with a `derive` source whose data does not decide them (yet), with why.
    pub undecided: BTreeMap<String, crate::assessment::report::Both>,
    pub sign_state: signoff::SignState,
    pub lines: Vec<Line>,
    /// The session file as last read or written.
    pub stamp: Stamp,
    /// The ledger as last read for the sign-off state: a co-signature filed elsewhere changes
    /// the ledger, not the session.
    pub ledger_stamp: Stamp,
}

/// What the picker lists: sessions to open and checklists to start one from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Session(String),
    Checklist(PathBuf, String),
}

/// A session as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: String,
    pub checklist: String,
    pub progress: Progress,
    pub risks: usize,
    /// Seq of the sign-off record, once signed.
    pub signed: Option<String>,
    /// Why the session cannot be read, if it cannot.
    pub problem: Option<Message>,
}

/// A dialog form and what submitting it does.
#[derive(Debug)]
pub enum Dialog {
    /// A new session of the checklist at this path (relative file name kept for the session).
    NewSession { path: PathBuf },
    /// All fields of the risk of this item.
    Risk { item: String },
}

#[derive(Debug)]
pub struct AssessState {
    pub ws: Workspace,
    pub(super) store: Store,
    pub(super) as_of: NaiveDate,
    acceptance: Option<crate::acceptance::Report>,
    pub sessions: Vec<SessionRow>,
    pub picks: Vec<Pick>,
    pub pick: usize,
    /// The assessments folder as last listed.
    picks_stamp: Stamp,
    pub open: Option<Open>,
    /// Position in `open.lines` (always an item line).
    pub cursor: usize,
    pub offset: usize,
    pub role: String,
    /// Who acts (set by the app once known; empty until then).
    pub person: String,
    pub field: Option<Field>,
    pub form: Option<(Dialog, Form)>,
    pub sign: Option<SignDialog>,
    /// The last outcome shown under the list, until the next move.
    pub status: Option<Status>,
    /// Risks screen: the selected register row, and the heat-map cell listed alone.
    pub risk_selected: usize,
    pub cell: Option<(u8, u8)>,
    /// Where signing keys are looked for (the environment's places; tests choose their own).
    pub keys: crate::ledger::keys::KeyPlaces,
}

impl AssessState {
    /// The sessions and checklists of `ws`; `acceptance` answers "key products are
    /// controllable" without checking the inventory again.
    pub fn load(
        ws: Workspace,
        as_of: NaiveDate,
        acceptance: Option<crate::acceptance::Report>,
        person: String,
    ) -> AssessState {
        let store = Store::new(&ws.root);
        let mut s = AssessState {
            ws,
            store,
            as_of,
            acceptance,
            sessions: Vec::new(),
            picks: Vec::new(),
            pick: 0,
            picks_stamp: Stamp::default(),
            open: None,
            cursor: 0,
            offset: 0,
            role: "construction".into(),
            person,
            field: None,
            form: None,
            sign: None,
            status: None,
            risk_selected: 0,
            cell: None,
            keys: crate::ledger::keys::KeyPlaces::from_env(),
        };
        s.refresh_picks();
        s
    }

    /// Lists the sessions (with their progress) and the checklists to start one from.
    pub(super) fn refresh_picks(&mut self) {
        self.picks_stamp = Stamp::of(self.store.dir());
        self.sessions = self
            .store
            .list()
            .into_iter()
            .map(|id| self.session_row(id))
            .collect();
        let mut picks: Vec<Pick> = self
            .sessions
            .iter()
            .map(|r| Pick::Session(r.id.clone()))
            .collect();
        for p in workspace_checklists(&self.ws.root) {
            if let Ok(c) = Checklist::load(&p) {
                picks.push(Pick::Checklist(p, c.id));
            }
        }
        self.picks = picks;
        self.pick = self.pick.min(self.picks.len().saturating_sub(1));
    }

    fn session_row(&self, id: String) -> SessionRow {
        let read = self.store.load(&id).and_then(|s| {
            let cl = store::checklist_of(&self.ws.root, &s)?;
            Ok((s, cl))
        });
        match read {
            Ok((s, cl)) => SessionRow {
                checklist: s.checklist.id.clone(),
                progress: s.progress(&cl, None),
                risks: s.risk_views(&cl).len(),
                signed: s.signoff.as_ref().map(|x| x.seq.clone()),
                problem: None,
                id,
            },
            Err(e) => SessionRow {
                checklist: String::new(),
                progress: Progress::default(),
                risks: 0,
                signed: None,
                problem: Some(e.0),
                id,
            },
        }
    }

    pub(super) fn say(&mut self, error: bool, text: Message) {
        self.status = Some(if error {
            Status::error(text)
        } else {
            Status::ok(text)
        });
    }

    pub(super) fn fail(&mut self, e: &Error) {
        self.say(true, e.0.clone());
    }

    /// Opens session `id`.
    pub fn open_session(&mut self, id: &str) {
        let session = match self.store.load(id) {
            Ok(s) => s,
            Err(e) => return self.fail(&e),
        };
        let checklist = match store::checklist_of(&self.ws.root, &session) {
            Ok(c) => c,
            Err(e) => return self.fail(&e),
        };
        if checklist.role(&self.role).is_none() {
            self.role = checklist.roles[0].id.clone();
        }
        let mut offers = BTreeMap::new();
        let mut undecided = BTreeMap::new();
        for (id, outcome) in
            derived::outcomes(&self.ws, &checklist, self.as_of, self.acceptance.as_ref())
        {
            match outcome {
                derived::Outcome::Offered(d) => {
                    offers.insert(id, d);
                }
                derived::Outcome::Undecided(why) => {
                    undecided.insert(id, why);
                }
            }
        }
        let lines = lines_of(&checklist, &session);
        let sign_state = self.sign_state(&checklist, &session);
        let stamp = Stamp::of(&self.store.path(id));
        self.open = Some(Open {
            session,
            checklist,
            offers,
            undecided,
            sign_state,
            lines,
            stamp,
            ledger_stamp: Stamp::of(&self.ledger_path()),
        });
        self.cursor = 1.min(self.lines_len().saturating_sub(1));
        self.offset = 0;
        self.risk_selected = 0;
        self.cell = None;
        self.status = None;
    }

    pub(super) fn sign_state(&self, cl: &Checklist, s: &Session) -> signoff::SignState {
        crate::ledger::Ledger::open(&self.ws)
            .ok()
            .and_then(|l| signoff::state(&l, cl, s).ok())
            .unwrap_or(signoff::SignState::Open)
    }

    /// Reads the open session again when its file changed on disk (an answer given in the
    /// CLI), and the session list when the folder changed.
    pub fn poll(&mut self) {
        let Some(open) = &self.open else {
            if Stamp::of(self.store.dir()) != self.picks_stamp {
                self.refresh_picks();
            }
            return;
        };
        let path = self.store.path(&open.session.id);
        let stamp = Stamp::of(&path);
        if stamp == open.stamp {
            self.poll_ledger();
            return;
        }
        let id = open.session.id.clone();
        match self.store.load(&id) {
            Ok(session) => {
                let cl = &self.open.as_ref().expect("open").checklist;
                let signed_changed =
                    self.open.as_ref().expect("open").session.signoff != session.signoff;
                let state = signed_changed.then(|| self.sign_state(cl, &session));
                let open = self.open.as_mut().expect("open");
                open.session = session;
                open.stamp = stamp;
                if let Some(state) = state {
                    open.sign_state = state;
                }
                // What the screen said was about the session before this change.
                self.status = None;
            }
            // Half a file is never seen (writes are atomic); a bad one is shown, not taken.
            Err(e) => self.fail(&e),
        }
    }

    fn ledger_path(&self) -> PathBuf {
        crate::ledger::Ledger::open(&self.ws).map_or_else(|_| PathBuf::new(), |l| l.path())
    }

    /// Reads the sign-off state again when the ledger changed under a session that awaits a
    /// signature (the other unit co-signed from its own terminal).
    fn poll_ledger(&mut self) {
        let path = self.ledger_path();
        let Some(open) = &self.open else { return };
        if !matches!(open.sign_state, signoff::SignState::Awaiting { .. }) {
            return;
        }
        let stamp = Stamp::of(&path);
        if stamp == open.ledger_stamp {
            return;
        }
        let state = self.sign_state(&open.checklist, &open.session);
        let open = self.open.as_mut().expect("open");
        open.ledger_stamp = stamp;
        open.sign_state = state;
    }

    fn lines_len(&self) -> usize {
        self.open.as_ref().map_or(0, |o| o.lines.len())
    }

    /// The item under the cursor.
    pub fn current_item(&self) -> Option<&str> {
        match self.open.as_ref()?.lines.get(self.cursor)? {
            Line::Item(id) => Some(id),
            Line::Section(_) => None,
        }
    }

    /// Applies a change to the session as it is on disk now, through the store (saved before
    /// this returns). Returns whether it was saved.
    pub(super) fn change(
        &mut self,
        saved: Message,
        f: impl FnOnce(&mut Session, &Checklist) -> Result<(), Error>,
    ) -> bool {
        let Some(open) = self.open.as_mut() else {
            return false;
        };
        let cl = &open.checklist;
        match self.store.update(&open.session.id, |s| f(s, cl)) {
            Ok((session, ())) => {
                open.stamp = Stamp::of(&self.store.path(&session.id));
                open.session = session;
                self.status = Some(Status::ok(saved));
                true
            }
            Err(e) => {
                self.status = Some(Status::error(e.0));
                false
            }
        }
    }

    pub(super) fn move_cursor(&mut self, delta: isize, rows: usize) {
        let Some(open) = &self.open else { return };
        let n = open.lines.len() as isize;
        let mut at = self.cursor as isize;
        loop {
            let next = at + delta.signum();
            if next < 0 || next >= n {
                break;
            }
            at = next;
            if matches!(open.lines[at as usize], Line::Item(_))
                && (at - self.cursor as isize).abs() >= delta.abs()
            {
                break;
            }
        }
        if matches!(open.lines.get(at as usize), Some(Line::Item(_))) {
            self.cursor = at as usize;
        }
        self.keep_visible(rows);
    }

    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        // Keep the section heading above the first item in view.
        if self.cursor < self.offset + 1 {
            self.offset = self.cursor.saturating_sub(1);
        }
        if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
    }

    /// Whether the open session is signed and so read-only.
    pub fn read_only(&self) -> bool {
        self.open
            .as_ref()
            .is_some_and(|o| o.session.signoff.is_some())
    }

    /// The Assessment screen's reaction to an action.
    pub fn handle(&mut self, action: Action, rows: usize) {
        if self.sign.is_some() {
            return self.handle_sign(action);
        }
        if self.form.is_some() {
            return self.handle_form(action);
        }
        if let Some(field) = self.field.as_mut() {
            match action {
                Action::FilterChar(c) => field.text.push(c),
                Action::FilterBackspace => {
                    field.text.pop();
                }
                Action::Back => self.field = None,
                Action::FilterDone => {
                    let field = self.field.take().expect("editing");
                    self.finish_field(field);
                }
                _ => {}
            }
            return;
        }
        // A status belongs to where it was given: moving on clears it.
        if matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End
                | Action::Back
                | Action::Open
        ) {
            self.status = None;
        }
        if self.open.is_none() {
            match action {
                Action::Up => self.pick = self.pick.saturating_sub(1),
                Action::Down => self.pick = (self.pick + 1).min(self.picks.len().saturating_sub(1)),
                Action::Open => self.open_pick(),
                _ => {}
            }
            return;
        }
        match action {
            Action::Up => self.move_cursor(-1, rows),
            Action::Down => self.move_cursor(1, rows),
            Action::PageUp => self.move_cursor(-(rows as isize), rows),
            Action::PageDown => self.move_cursor(rows as isize, rows),
            Action::Home => {
                self.cursor = 0;
                self.move_cursor(1, rows);
                self.offset = 0;
            }
            Action::End => self.move_cursor(isize::MAX / 2, rows),
            Action::Back => {
                self.open = None;
                self.refresh_picks();
            }
            Action::SwitchRole => {
                if let Some(open) = &self.open {
                    self.role = open.checklist.other_role(&self.role).id.clone();
                }
            }
            Action::Sign => self.start_signing(),
            Action::Supersede => self.start_superseding(),
            _ if self.read_only() && writes(&action) => self.say_read_only(),
            // An answer saved moves on to the next item.
            Action::Char(c) if self.answer_by_key(c) => self.move_cursor(1, rows),
            Action::TakeDerived if self.take_derived() => self.move_cursor(1, rows),
            Action::Confirm => self.confirm(),
            Action::EditNote => self.start(FieldKind::Note),
            Action::EditEvidence => self.start(FieldKind::Evidence),
            _ => {}
        }
    }

    /// Why nothing changes in a signed session, and what to do instead.
    pub(super) fn say_read_only(&mut self) {
        let seq = self
            .open
            .as_ref()
            .and_then(|o| o.session.signoff.as_ref())
            .map(|s| s.seq.clone())
            .unwrap_or_default();
        self.say(
            true,
            Message::new(
                format!("本评估已签署（账本第 {seq} 号记录），只读。如需变更，按 N 新建替代评估。"),
                format!("This assessment is signed (ledger record {seq}) and read-only. For a change, press N to start a superseding one."),
            ),
        );
    }

    fn open_pick(&mut self) {
        match self.picks.get(self.pick).cloned() {
            Some(Pick::Session(id)) => self.open_session(&id),
            Some(Pick::Checklist(path, _)) => self.new_session_form(path, None),
            None => {}
        }
    }

    fn start(&mut self, kind: FieldKind) {
        if self.current_item().is_some()
            || matches!(
                kind,
                FieldKind::Owner | FieldKind::Approver | FieldKind::Due
            )
        {
            self.field = Some(Field {
                kind,
                text: String::new(),
            });
        }
    }

    /// An answer by the acting person for the current role, keeping the note and evidence the
    /// item has on disk now.
    fn given(&self, item: &str, answer: String, derived: Option<Derived>) -> Given {
        Given {
            item: item.to_string(),
            answer,
            role: self.role.clone(),
            person: self.person.clone(),
            note: String::new(),
            evidence: Vec::new(),
            derived: derived
                .or_else(|| self.open.as_ref().and_then(|o| o.offers.get(item).cloned())),
        }
    }

    /// Answers the current item with the checklist's answer for `key`; true when saved.
    fn answer_by_key(&mut self, key: char) -> bool {
        let Some(item) = self.current_item().map(str::to_string) else {
            return false;
        };
        let Some(open) = &self.open else { return false };
        let Some(option) = open.checklist.answers.iter().find(|a| a.key == key) else {
            return false;
        };
        let saved = saved(&item, &option.name, &option.name_en);
        let given = self.given(&item, option.id.clone(), None);
        self.change(saved, |s, cl| answer_keeping(s, cl, given))
    }

    fn take_derived(&mut self) -> bool {
        let Some(item) = self.current_item().map(str::to_string) else {
            return false;
        };
        let Some(open) = &self.open else { return false };
        let Some(offer) = open.offers.get(&item).cloned() else {
            let why = open.undecided.get(&item);
            let text = match why {
                Some(why) => Message::new(
                    format!(
                        "第 {item} 项无法由数据得出答复：{}",
                        why.get(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "anbao offers no answer from data for item {item}: {}",
                        why.get(crate::i18n::Lang::En)
                    ),
                ),
                None => Message::new(
                    format!("第 {item} 项没有可从数据得出的答复"),
                    format!("anbao has no answer from data for item {item}"),
                ),
            };
            self.say(true, text);
            return false;
        };
        let option = open.checklist.answer_for(offer.offered);
        let saved = saved(&item, &option.name, &option.name_en);
        let given = self.given(&item, option.id.clone(), Some(offer));
        self.change(saved, |s, cl| answer_keeping(s, cl, given))
    }

    fn confirm(&mut self) {
        let Some(item) = self.current_item().map(str::to_string) else {
            return;
        };
        let (role, person) = (self.role.clone(), self.person.clone());
        let text = Message::new(format!("已确认 {item}"), format!("confirmed {item}"));
        self.change(text, |s, cl| {
            s.confirm(cl, &item, &role, &person, "", crate::ledger::now_rfc3339())
        });
    }

    fn finish_field(&mut self, field: Field) {
        match field.kind {
            FieldKind::Note | FieldKind::Evidence => {
                let Some(item) = self.current_item().map(str::to_string) else {
                    return;
                };
                let evidence = if field.kind == FieldKind::Evidence {
                    let path = PathBuf::from(field.text.trim());
                    let path = if path.is_relative() {
                        self.ws.root.join(path)
                    } else {
                        path
                    };
                    match crate::assessment::import::evidence_file(&self.ws.root, &path) {
                        Ok(e) => Some(e),
                        Err(e) => {
                            return self.say(true, Message::new(e.to_string(), e.to_string()))
                        }
                    }
                } else {
                    None
                };
                let note = field.text;
                let text = Message::new(format!("{item} 已保存"), format!("{item} saved"));
                // The answer as it is on disk now, with the note or the file added.
                self.change(text, |s, cl| {
                    let Some(previous) = s.answers.get(&item).cloned() else {
                        return Err(Error(Message::new(
                            "请先答复，再添加说明或证据",
                            "answer the item first, then add a note or evidence",
                        )));
                    };
                    let mut given = Given {
                        item: item.clone(),
                        answer: previous.answer.clone(),
                        role: previous.role.clone(),
                        person: previous.person.clone(),
                        note: previous.note.clone(),
                        evidence: previous.evidence.clone(),
                        derived: previous.derived.clone(),
                    };
                    match evidence {
                        Some(e) => given.evidence.push(e),
                        None => given.note = note,
                    }
                    s.answer(cl, given, crate::ledger::now_rfc3339())
                });
            }
            FieldKind::Owner | FieldKind::Approver | FieldKind::Due => {
                self.finish_risk_field(field)
            }
        }
    }
}

/// Actions that would change the session.
fn writes(action: &Action) -> bool {
    matches!(
        action,
        Action::Char(_)
            | Action::TakeDerived
            | Action::Confirm
            | Action::EditNote
            | Action::EditEvidence
            | Action::CycleTreatment
            | Action::EditOwner
            | Action::EditApprover
            | Action::EditDue
            | Action::EditRisk
    )
}

/// Answers with `given`, keeping the note and evidence the item already has on disk.
fn answer_keeping(s: &mut Session, cl: &Checklist, mut given: Given) -> Result<(), Error> {
    if let Some(previous) = s.answers.get(&given.item) {
        given.note = previous.note.clone();
        given.evidence = previous.evidence.clone();
    }
    s.answer(cl, given, crate::ledger::now_rfc3339())
}

fn saved(item: &str, zh: &str, en: &str) -> Message {
    Message::new(
        format!("{item}：{zh}（已保存）"),
        format!("{item}: {en} (saved)"),
    )
}

/// Section headings and the applicable items under them, in checklist order.
fn lines_of(cl: &Checklist, s: &Session) -> Vec<Line> {
    let mut out = Vec::new();
    for sec in &cl.sections {
        let items: Vec<&str> = s
            .applicable(cl)
            .filter(|i| i.section == sec.id)
            .map(|i| i.id.as_str())
            .collect();
        if items.is_empty() {
            continue;
        }
        out.push(Line::Section(sec.id.clone()));
        out.extend(items.into_iter().map(|i| Line::Item(i.to_string())));
    }
    out
}
