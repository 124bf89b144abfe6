//! The records awaiting a signature, as a to-do on the Records screen (`t`): each record with
//! the units it still lacks, and for a unit whose key is at hand, the co-signature through the
//! same confirmation screen as every signature (`anbao ledger sign` underneath).

use super::app::Action;
use super::records::{ListCursor, RecordsState};
use super::signing::{key_for, ledger_message, Choice, SignDialog, Signer};
use super::text::Status;
use crate::i18n::ledger::{self as t, Label, Message};
use crate::i18n::Lang;
use crate::ledger::verify::Awaiting;
use crate::ledger::{Ledger, Record};

/// The to-do list while it is open.
#[derive(Debug, Default)]
pub struct Todo {
    pub cursor: ListCursor,
    /// The co-signature being confirmed, with the record it signs.
    pub sign: Option<(u64, SignDialog)>,
}

/// Both languages of a label.
fn label(l: Label) -> Message {
    Message::new(t::label(Lang::Zh, l), t::label(Lang::En, l))
}

/// Names of units, joined, in both languages.
fn units(list: &[String]) -> (String, String) {
    let join = |lang: Lang, sep: &str| {
        list.iter()
            .map(|u| t::unit_short(lang, u))
            .collect::<Vec<_>>()
            .join(sep)
    };
    (join(Lang::Zh, "、"), join(Lang::En, ", "))
}

/// The body's plain values as `key=value`, those that say which run, session or verdict it is
/// first, for telling records apart.
fn body_summary(r: &Record) -> String {
    const NAMING: [&str; 6] = ["run", "session", "playbook", "checklist", "scope", "place"];
    let Some(fields) = r.entry.body.as_object() else {
        return String::new();
    };
    let plain = |(k, v): (&String, &serde_json::Value)| match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(format!("{k}={s}")),
        serde_json::Value::Bool(b) => Some(format!("{k}={b}")),
        serde_json::Value::Number(n) => Some(format!("{k}={n}")),
        _ => None,
    };
    let naming = NAMING
        .iter()
        .filter_map(|k| fields.get_key_value(*k))
        .filter_map(plain);
    let rest = fields
        .iter()
        .filter(|(k, _)| !NAMING.contains(&k.as_str()))
        .filter_map(plain);
    naming.chain(rest).take(4).collect::<Vec<_>>().join(" · ")
}

/// What a co-signature of `r` will sign, as the confirmation shows it.
pub fn record_facts(r: &Record, signed: &[String], missing: &[String]) -> Vec<(Message, Message)> {
    let same = |s: String| Message::new(s.clone(), s);
    let kind = |lang: Lang| format!("{} ({})", t::kind_name(lang, &r.entry.kind), r.entry.kind);
    let (signed_zh, signed_en) = units(signed);
    let (missing_zh, missing_en) = units(missing);
    vec![
        (label(Label::Seq), same(r.seq().to_string())),
        (
            label(Label::Kind),
            Message::new(kind(Lang::Zh), kind(Lang::En)),
        ),
        (label(Label::Time), same(r.entry.time.clone())),
        (label(Label::Body), same(body_summary(r))),
        (
            label(Label::Evidence),
            same(r.entry.evidence.len().to_string()),
        ),
        (
            Message::new("已签署", "Signed by"),
            Message::new(signed_zh, signed_en),
        ),
        (
            Message::new("尚缺", "Still missing"),
            Message::new(missing_zh, missing_en),
        ),
    ]
}

impl RecordsState {
    /// The records still awaiting a signature, as verification found them (none until then).
    pub fn awaiting(&self) -> &[Awaiting] {
        self.report().map_or(&[], |r| r.awaiting.as_slice())
    }

    /// The record with seq `seq`, as read.
    pub fn record(&self, seq: u64) -> Option<&Record> {
        self.data
            .lines
            .iter()
            .filter_map(|l| l.as_ref().ok())
            .find(|r| r.seq() == seq)
    }

    /// `t`: opens or closes the to-do list.
    pub(super) fn toggle_todo(&mut self) {
        self.todo = match self.todo.take() {
            Some(_) => None,
            None => Some(Todo::default()),
        };
        self.status = None;
    }

    /// Keys while the to-do list is open; `rows` list rows fit.
    pub(super) fn handle_todo(&mut self, action: Action, rows: usize) {
        let len = self.awaiting().len();
        let Some(todo) = self.todo.as_mut() else {
            return;
        };
        if let Some((seq, mut dialog)) = todo.sign.take() {
            match dialog.handle(action) {
                Choice::Cancel => {}
                Choice::Waiting => todo.sign = Some((seq, dialog)),
                Choice::Sign(i) => self.cosign(seq, dialog, i),
            }
            return;
        }
        self.status = None;
        let todo = self.todo.as_mut().expect("open");
        let c = &mut todo.cursor;
        match action {
            Action::Up => c.selected = c.selected.saturating_sub(1),
            Action::Down if c.selected + 1 < len => c.selected += 1,
            Action::Home => c.selected = 0,
            Action::End => c.selected = len.saturating_sub(1),
            Action::Open | Action::Sign => self.offer_cosign(),
            Action::Back | Action::Todo => self.todo = None,
            _ => {}
        }
        if let Some(todo) = self.todo.as_mut() {
            todo.cursor.keep_visible(rows, len);
        }
    }

    /// The confirmation for the selected record: what it is, the units it lacks, and for each
    /// the key at hand or how to make one.
    fn offer_cosign(&mut self) {
        let Some(todo) = &self.todo else { return };
        let Some(a) = self.awaiting().get(todo.cursor.selected).cloned() else {
            return;
        };
        let Some(record) = self.record(a.seq) else {
            return;
        };
        let signed = self
            .report()
            .map(|r| r.signed_by(a.seq))
            .unwrap_or_default();
        let facts = record_facts(record, &signed, &a.missing);
        let ledger = match self.ledger() {
            Ok(l) => l,
            Err(why) => return self.status = Some(Status::error(why)),
        };
        let signers = a
            .missing
            .iter()
            .map(|unit| Signer {
                unit: unit.clone(),
                name: self.unit_name(unit),
                key: key_for(&ledger, &self.keys, unit),
            })
            .collect();
        let title = Message::new(
            format!("会签第 {} 号记录", a.seq),
            format!("Co-sign record {}", a.seq),
        );
        if let Some(todo) = self.todo.as_mut() {
            todo.sign = Some((a.seq, SignDialog::new(title, facts, signers)));
        }
    }

    /// Signs record `seq` with the key of `dialog.signers[i]`, as a cosign record.
    fn cosign(&mut self, seq: u64, mut dialog: SignDialog, i: usize) {
        let done = dialog.key(i).and_then(|key| {
            let ledger = self.ledger()?;
            ledger.cosign(seq, &key).map_err(|e| ledger_message(&e))
        });
        match done {
            Ok(record) => {
                // What awaits a signature is unknown until the watcher has verified the
                // changed ledger; meanwhile nothing can be signed twice from a stale list.
                self.verification =
                    super::records::Verification::Running(crate::ledger::Phase::Read);
                let unit = &dialog.signers[i].unit;
                self.status = Some(Status::ok(Message::new(
                    format!(
                        "已以{}名义会签第 {seq} 号记录（会签记录第 {} 号）",
                        t::unit_short(Lang::Zh, unit),
                        record.seq()
                    ),
                    format!(
                        "co-signed record {seq} for the {} unit (cosign record {})",
                        t::unit_short(Lang::En, unit),
                        record.seq()
                    ),
                )));
            }
            Err(why) => {
                dialog.status = Some(Status::error(why));
                if let Some(todo) = self.todo.as_mut() {
                    todo.sign = Some((seq, dialog));
                }
            }
        }
    }

    fn ledger(&self) -> Result<Ledger, Message> {
        let ws = crate::workspace::Workspace::open(&self.data.root)
            .map_err(|e| Message::new(format!("{e:#}"), format!("{e:#}")))?;
        Ledger::open(&ws).map_err(|e| ledger_message(&e))
    }

    /// How readers know a unit: its role and, when the manifest names it, its organisation.
    fn unit_name(&self, unit: &str) -> Message {
        let name = |lang: Lang| {
            let role = t::unit_short(lang, unit);
            match (self.data.unit_names.get(unit), lang) {
                (Some((zh, _)), Lang::Zh) => format!("{role}：{zh}"),
                (Some((zh, en)), Lang::En) => format!("{role}: {}", en.as_deref().unwrap_or(zh)),
                (None, _) => role,
            }
        };
        Message::new(name(Lang::Zh), name(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::super::app::{update, Action, App};
    use super::super::records::RecordsScreen;
    use super::super::records_view::tests::{app_on, fixed_key, sample_workspace, state};
    use super::super::view::snapshots::render;
    use crate::i18n::Lang;
    use crate::ledger::keys::KeyPlaces;
    use std::path::Path;
    use std::sync::Mutex;

    /// The app on the sample ledger (record 5 awaits the construction unit), looking for keys
    /// in `keys`.
    fn app(ws: &Path, keys: &Path, lang: Lang, size: (u16, u16)) -> App {
        let mut app = app_on(ws, lang, size);
        if let RecordsScreen::Ready(r) = &mut app.records {
            r.keys = KeyPlaces {
                listed: None,
                dir: keys.to_path_buf(),
            };
        }
        app
    }

    /// Reads and verifies the ledger again, as the watcher does after a change on disk.
    fn reread(app: &mut App, ws: &Path) {
        let actions = Mutex::new(Vec::new());
        super::super::records::read_and_verify(Some(ws.to_path_buf()), &|a| {
            actions.lock().unwrap().push(a)
        });
        for a in actions.into_inner().unwrap() {
            update(app, a);
        }
    }

    /// The screen without the names of temporary folders, and without the tree head, which a
    /// co-signature made now changes on every run.
    fn steady(screen: String, dirs: &[&Path]) -> String {
        let mut out = dirs.iter().fold(screen, |out, d| {
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            out.replace(&name, &"x".repeat(name.len()))
        });
        // "sha256 8 0fe986c67f99bcf3…": the head's size, then its hash.
        if let Some(at) = out.find("sha256 ") {
            let size = at + "sha256 ".len();
            let digits = out[size..].chars().take_while(char::is_ascii_digit).count();
            let from = size + digits + 1;
            out.replace_range(from..from + 16, &"0".repeat(16));
        }
        out
    }

    #[test]
    fn the_to_do_lists_what_awaits_a_signature_and_says_how_to_make_a_missing_key() {
        let ws = sample_workspace();
        let home = tempfile::tempdir().unwrap();
        let keys = home.path().join("keys");
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            for size in [(80, 24), (120, 40)] {
                let mut app = app(ws.path(), &keys, lang, size);
                update(&mut app, Action::Todo);
                insta::assert_snapshot!(
                    format!("records_todo_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
                let todo = state(&app).awaiting();
                assert_eq!(todo.len(), 1);
                assert_eq!(
                    (todo[0].seq, todo[0].missing.as_slice()),
                    (5, &["construction".to_string()][..])
                );
                // No key of the construction unit here: the confirmation says how to make one
                // and signs nothing.
                update(&mut app, Action::Open);
                let screen = steady(render(&app), &[home.path()]);
                let (_, dialog) = state(&app).todo.as_ref().unwrap().sign.as_ref().unwrap();
                let why = dialog.signers[0].key.as_ref().unwrap_err();
                assert!(
                    why.get(lang).contains("keys new --unit construction"),
                    "{screen}"
                );
                insta::assert_snapshot!(
                    format!("records_todo_no_key_{code}_{}x{}", size.0, size.1),
                    screen
                );
                update(&mut app, Action::Char('y'));
                update(&mut app, Action::Back);
                update(&mut app, Action::Back);
                assert!(state(&app).todo.is_none());
            }
        }
        reread_is_unchanged(ws.path());
    }

    fn reread_is_unchanged(ws: &Path) {
        let ledger =
            crate::ledger::Ledger::open(&crate::workspace::Workspace::open(ws).unwrap()).unwrap();
        let report = ledger.verify().unwrap();
        assert_eq!(report.awaiting.len(), 1, "nothing was signed");
    }

    #[test]
    fn a_unit_whose_key_is_at_hand_co_signs_from_the_to_do() {
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            for size in [(80, 24), (120, 40)] {
                let ws = sample_workspace();
                let home = tempfile::tempdir().unwrap();
                let keys = home.path().join("keys");
                // The construction unit's key the sample ledger enrolled, saved where it looks.
                let mut con = fixed_key("construction", 2);
                con.save(&keys.join(con.file_name()), "2026-01-01T00:00:00+08:00")
                    .unwrap();
                let mut app = app(ws.path(), &keys, lang, size);
                update(&mut app, Action::Todo);
                update(&mut app, Action::Down);
                update(&mut app, Action::Sign);
                insta::assert_snapshot!(
                    format!("records_todo_cosign_{code}_{}x{}", size.0, size.1),
                    steady(render(&app), &[home.path()])
                );
                update(&mut app, Action::Char('y'));
                let shown = state(&app).status.clone().unwrap();
                assert!(!shown.error, "{shown:?}");
                assert!(
                    shown.get(Lang::En).contains("co-signed record 5"),
                    "{shown:?}"
                );
                // The watcher reads the ledger again: nothing awaits, and the status stays.
                reread(&mut app, ws.path());
                assert!(state(&app).awaiting().is_empty());
                insta::assert_snapshot!(
                    format!("records_todo_done_{code}_{}x{}", size.0, size.1),
                    steady(render(&app), &[])
                );
                let ledger = crate::ledger::Ledger::open(
                    &crate::workspace::Workspace::open(ws.path()).unwrap(),
                )
                .unwrap();
                let report = ledger.verify().unwrap();
                assert!(report.is_clean(), "{:?}", report.findings);
                assert_eq!(report.signed_by(5), ["construction", "implementing"]);
            }
        }
    }
}
