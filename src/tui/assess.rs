//! The Assessment and Risks screens' state: the sessions of the workspace, the open session
//! walked item by item, answers given with single keys and saved at once through the core's
//! session store, and the risk register with its heat map.

use super::app::Action;
use crate::assessment::definition::{workspace_checklists, Checklist};
use crate::assessment::session::{Derived, Given, Session, Store, Treatment};
use crate::assessment::{derived, signoff, Error};
use crate::i18n::Lang;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a text field being typed into is for.
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
}

/// What the picker lists: sessions to open and checklists to start one from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Session(String),
    Checklist(PathBuf, String),
}

#[derive(Debug)]
pub struct AssessState {
    pub ws: Workspace,
    store: Store,
    as_of: NaiveDate,
    acceptance: Option<crate::acceptance::Report>,
    pub picks: Vec<Pick>,
    pub pick: usize,
    pub open: Option<Open>,
    /// Position in `open.lines` (always an item line).
    pub cursor: usize,
    pub offset: usize,
    pub role: String,
    pub person: String,
    pub field: Option<Field>,
    /// The last outcome shown under the list: an error or what was saved.
    pub message: Option<(bool, String)>,
    /// Risks screen: the selected register row, and whether only its heat-map cell is listed.
    pub risk_selected: usize,
    pub cell_only: bool,
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
            picks: Vec::new(),
            pick: 0,
            open: None,
            cursor: 0,
            offset: 0,
            role: "construction".into(),
            person,
            field: None,
            message: None,
            risk_selected: 0,
            cell_only: false,
        };
        s.refresh_picks();
        s
    }

    fn refresh_picks(&mut self) {
        let mut picks: Vec<Pick> = self.store.list().into_iter().map(Pick::Session).collect();
        for p in workspace_checklists(&self.ws.root) {
            if let Ok(c) = Checklist::load(&p) {
                picks.push(Pick::Checklist(p, c.id));
            }
        }
        self.picks = picks;
        self.pick = self.pick.min(self.picks.len().saturating_sub(1));
    }

    fn say(&mut self, error: bool, text: String) {
        self.message = Some((error, text));
    }

    fn fail(&mut self, lang: Lang, e: &Error) {
        self.say(true, e.get(lang).to_string());
    }

    /// Opens session `id`.
    pub fn open_session(&mut self, id: &str, lang: Lang) {
        let session = match self.store.load(id) {
            Ok(s) => s,
            Err(e) => return self.fail(lang, &e),
        };
        let path = self.ws.root.join(&session.checklist.file);
        let checklist = match Checklist::load(&path) {
            Ok(c) if c.hash == session.checklist.hash => c,
            Ok(_) => {
                return self.say(
                    true,
                    format!("{}: changed since the session began", path.display()),
                )
            }
            Err(e) => return self.say(true, e.to_string()),
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
        self.open = Some(Open {
            session,
            checklist,
            offers,
            undecided,
            sign_state,
            lines,
        });
        self.cursor = 1.min(self.lines_len().saturating_sub(1));
        self.offset = 0;
        self.risk_selected = 0;
        self.message = None;
    }

    fn sign_state(&self, cl: &Checklist, s: &Session) -> signoff::SignState {
        crate::ledger::Ledger::open(&self.ws)
            .ok()
            .and_then(|l| signoff::state(&l, cl, s).ok())
            .unwrap_or(signoff::SignState::Open)
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

    /// Applies a change to the open session through the store (saved before this returns).
    fn change(
        &mut self,
        lang: Lang,
        saved: String,
        f: impl FnOnce(&mut Session, &Checklist) -> Result<(), Error>,
    ) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        let cl = &open.checklist;
        match self.store.update(&open.session.id, |s| f(s, cl)) {
            Ok((session, ())) => {
                open.session = session;
                self.message = Some((false, saved));
            }
            Err(e) => self.message = Some((true, e.get(lang).to_string())),
        }
    }

    fn move_cursor(&mut self, delta: isize, rows: usize) {
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

    /// The Assessment screen's reaction to an action.
    pub fn handle(&mut self, action: Action, lang: Lang, rows: usize) {
        if let Some(field) = self.field.as_mut() {
            match action {
                Action::FilterChar(c) => field.text.push(c),
                Action::FilterBackspace => {
                    field.text.pop();
                }
                Action::Back => self.field = None,
                Action::FilterDone => {
                    let field = self.field.take().expect("editing");
                    self.finish_field(field, lang);
                }
                _ => {}
            }
            return;
        }
        if self.open.is_none() {
            match action {
                Action::Up => self.pick = self.pick.saturating_sub(1),
                Action::Down => self.pick = (self.pick + 1).min(self.picks.len().saturating_sub(1)),
                Action::Open => self.open_pick(lang),
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
                self.message = None;
                self.refresh_picks();
            }
            Action::SwitchRole => {
                if let Some(open) = &self.open {
                    self.role = open.checklist.other_role(&self.role).id.clone();
                }
            }
            Action::Char(c) => self.answer_by_key(c, lang),
            Action::TakeDerived => self.take_derived(lang),
            Action::Confirm => self.confirm(lang),
            Action::EditNote => self.start(FieldKind::Note),
            Action::EditEvidence => self.start(FieldKind::Evidence),
            _ => {}
        }
    }

    fn open_pick(&mut self, lang: Lang) {
        match self.picks.get(self.pick).cloned() {
            Some(Pick::Session(id)) => self.open_session(&id, lang),
            Some(Pick::Checklist(path, id)) => {
                let Ok(cl) = Checklist::load(&path) else {
                    return;
                };
                let rel = path
                    .strip_prefix(&self.ws.root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let base = format!("{id}-{}", self.as_of.format("%Y%m%d"));
                let mut sid = base.clone();
                let mut n = 2;
                while self.store.path(&sid).exists() {
                    sid = format!("{base}-{n}");
                    n += 1;
                }
                let session = Session::new(
                    &cl,
                    rel,
                    sid.clone(),
                    cl.protection_level,
                    String::new(),
                    crate::ledger::now_rfc3339(),
                );
                match self.store.create(&session) {
                    Ok(()) => {
                        self.refresh_picks();
                        self.open_session(&sid, lang);
                    }
                    Err(e) => self.fail(lang, &e),
                }
            }
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

    fn given(&self, item: &str, answer: String, derived: Option<Derived>) -> Option<Given> {
        let open = self.open.as_ref()?;
        let previous = open.session.answers.get(item);
        Some(Given {
            item: item.to_string(),
            answer,
            role: self.role.clone(),
            person: self.person.clone(),
            note: previous.map(|a| a.note.clone()).unwrap_or_default(),
            evidence: previous.map(|a| a.evidence.clone()).unwrap_or_default(),
            derived: derived.or_else(|| open.offers.get(item).cloned()),
        })
    }

    fn answer_by_key(&mut self, key: char, lang: Lang) {
        let Some(item) = self.current_item().map(str::to_string) else {
            return;
        };
        let Some(open) = &self.open else { return };
        let Some(option) = open.checklist.answers.iter().find(|a| a.key == key) else {
            return;
        };
        let name = match lang {
            Lang::Zh => option.name.clone(),
            Lang::En => option.name_en.clone(),
        };
        let Some(given) = self.given(&item, option.id.clone(), None) else {
            return;
        };
        self.change(lang, saved(lang, &item, &name), |s, cl| {
            s.answer(cl, given, crate::ledger::now_rfc3339())
        });
    }

    fn take_derived(&mut self, lang: Lang) {
        let Some(item) = self.current_item().map(str::to_string) else {
            return;
        };
        let Some(open) = &self.open else { return };
        let Some(offer) = open.offers.get(&item).cloned() else {
            let why = open.undecided.get(&item).map(|w| w.get(lang).to_string());
            return self.say(
                true,
                match (lang, why) {
                    (Lang::Zh, Some(why)) => format!("第 {item} 项无法由数据得出答复：{why}"),
                    (Lang::En, Some(why)) => {
                        format!("anbao offers no answer from data for item {item}: {why}")
                    }
                    (Lang::Zh, None) => format!("第 {item} 项没有可从数据得出的答复"),
                    (Lang::En, None) => format!("anbao has no answer from data for item {item}"),
                },
            );
        };
        let option = open.checklist.answer_for(offer.offered);
        let name = match lang {
            Lang::Zh => option.name.clone(),
            Lang::En => option.name_en.clone(),
        };
        let Some(given) = self.given(&item, option.id.clone(), Some(offer)) else {
            return;
        };
        self.change(lang, saved(lang, &item, &name), |s, cl| {
            s.answer(cl, given, crate::ledger::now_rfc3339())
        });
    }

    fn confirm(&mut self, lang: Lang) {
        let Some(item) = self.current_item().map(str::to_string) else {
            return;
        };
        let (role, person) = (self.role.clone(), self.person.clone());
        let text = match lang {
            Lang::Zh => format!("已确认 {item}"),
            Lang::En => format!("confirmed {item}"),
        };
        self.change(lang, text, |s, cl| {
            s.confirm(cl, &item, &role, &person, "", crate::ledger::now_rfc3339())
        });
    }

    fn finish_field(&mut self, field: Field, lang: Lang) {
        match field.kind {
            FieldKind::Note | FieldKind::Evidence => {
                let Some(item) = self.current_item().map(str::to_string) else {
                    return;
                };
                let Some(open) = &self.open else { return };
                let Some(previous) = open.session.answers.get(&item).cloned() else {
                    return self.say(
                        true,
                        match lang {
                            Lang::Zh => "请先答复，再添加说明或证据".into(),
                            Lang::En => "answer the item first, then add a note or evidence".into(),
                        },
                    );
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
                if field.kind == FieldKind::Note {
                    given.note = field.text;
                } else {
                    let path = PathBuf::from(field.text.trim());
                    let path = if path.is_relative() {
                        self.ws.root.join(path)
                    } else {
                        path
                    };
                    match crate::assessment::import::evidence_file(&self.ws.root, &path) {
                        Ok(e) => given.evidence.push(e),
                        Err(e) => return self.say(true, e.to_string()),
                    }
                }
                let text = match lang {
                    Lang::Zh => format!("{item} 已保存"),
                    Lang::En => format!("{item} saved"),
                };
                self.change(lang, text, |s, cl| {
                    s.answer(cl, given, crate::ledger::now_rfc3339())
                });
            }
            FieldKind::Owner | FieldKind::Approver | FieldKind::Due => {
                let due = if field.kind == FieldKind::Due {
                    match field.text.trim().parse::<NaiveDate>() {
                        Ok(d) => Some(d),
                        Err(_) => {
                            return self.say(
                                true,
                                match lang {
                                    Lang::Zh => format!("'{}' 不是日期（YYYY-MM-DD）", field.text),
                                    Lang::En => {
                                        format!("'{}' is not a date (YYYY-MM-DD)", field.text)
                                    }
                                },
                            )
                        }
                    }
                } else {
                    None
                };
                self.change_risk(lang, move |e| match field.kind {
                    FieldKind::Owner => e.owner = field.text,
                    FieldKind::Approver => e.approver = field.text,
                    _ => e.due = due,
                });
            }
        }
    }

    /// The open risks of the session in register order, and those of the selected cell.
    pub fn risk_items(&self) -> Vec<crate::assessment::session::RiskView> {
        let Some(open) = &self.open else {
            return Vec::new();
        };
        let all = open.session.risk_views(&open.checklist);
        if !self.cell_only {
            return all;
        }
        let Some(sel) = all.get(self.risk_selected.min(all.len().saturating_sub(1))) else {
            return all;
        };
        let cell = (sel.score.likelihood, sel.score.impact);
        all.into_iter()
            .filter(|r| (r.score.likelihood, r.score.impact) == cell)
            .collect()
    }

    fn change_risk(
        &mut self,
        lang: Lang,
        f: impl FnOnce(&mut crate::assessment::session::RiskEntry),
    ) {
        let items = self.risk_items();
        let Some(r) = items.get(self.risk_selected) else {
            return;
        };
        let item = r.item.clone();
        let text = match lang {
            Lang::Zh => format!("{item} 风险已保存"),
            Lang::En => format!("risk of {item} saved"),
        };
        self.change(lang, text, |s, cl| s.update_risk(cl, &item, f));
    }

    /// The Risks screen's reaction to an action.
    pub fn handle_risks(&mut self, action: Action, lang: Lang) {
        if self.field.is_some() {
            return self.handle(action, lang, 1);
        }
        let n = self.risk_items().len();
        match action {
            Action::Up => self.risk_selected = self.risk_selected.saturating_sub(1),
            Action::Down => self.risk_selected = (self.risk_selected + 1).min(n.saturating_sub(1)),
            Action::Home => self.risk_selected = 0,
            Action::End => self.risk_selected = n.saturating_sub(1),
            Action::Open => {
                // Listing one cell keeps the selected risk first among its neighbours.
                let selected = self
                    .risk_items()
                    .get(self.risk_selected)
                    .map(|r| r.item.clone());
                self.cell_only = !self.cell_only;
                self.risk_selected = selected
                    .and_then(|id| self.risk_items().iter().position(|r| r.item == id))
                    .unwrap_or(0);
            }
            Action::Back => self.cell_only = false,
            Action::CycleTreatment => {
                let current = self
                    .risk_items()
                    .get(self.risk_selected)
                    .and_then(|r| r.entry.treatment);
                let next = match current {
                    None => Treatment::Mitigate,
                    Some(t) => {
                        let i = Treatment::ALL.iter().position(|x| *x == t).unwrap_or(0);
                        Treatment::ALL[(i + 1) % Treatment::ALL.len()]
                    }
                };
                self.change_risk(lang, |e| e.treatment = Some(next));
            }
            Action::EditOwner => self.start(FieldKind::Owner),
            Action::EditApprover => self.start(FieldKind::Approver),
            Action::EditDue => self.start(FieldKind::Due),
            _ => {}
        }
    }
}

fn saved(lang: Lang, item: &str, answer: &str) -> String {
    match lang {
        Lang::Zh => format!("{item}：{answer}（已保存）"),
        Lang::En => format!("{item}: {answer} (saved)"),
    }
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
