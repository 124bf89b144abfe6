//! The records screen's state: the ledger's lines as read, the verification report once the
//! background check delivers it, the selection in the record and checkpoint lists, and the
//! record or checkpoint opened in detail.

use super::app::Action;
use crate::i18n::Lang;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::keys::TrustStore;
use crate::ledger::record::LineError;
use crate::ledger::verify::CheckpointStatus;
use crate::ledger::{Ledger, LineState, Phase, Record, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The word for a line's verification state (`None` while verification runs).
pub fn state_label(lang: Lang, state: Option<LineState>) -> &'static str {
    let (zh, en) = match state {
        None => ("校验中", "checking"),
        Some(LineState::Verified) => ("已验证", "verified"),
        Some(LineState::Awaiting) => ("待会签", "awaiting"),
        Some(LineState::Failed) => ("校验失败", "FAILED"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// What reading the ledger delivers, before verification: cheap enough to show at once.
#[derive(Debug)]
pub struct LedgerData {
    /// The workspace's folder, for signing.
    pub root: PathBuf,
    /// The ledger file, relative to the workspace, for messages.
    pub file: String,
    /// Whether the ledger file exists at all.
    pub exists: bool,
    /// Every line in file order: a record, or why the line is not one.
    pub lines: Vec<Result<Record, LineError>>,
    pub trust: TrustStore,
    /// Checkpoint files (relative to the workspace) with their parse result, sorted by name.
    pub checkpoints: Vec<(String, Result<Checkpoint, String>)>,
    /// Unit id → its name from the workspace manifest (Chinese, and English if given), for
    /// the detail view.
    pub unit_names: BTreeMap<String, (String, Option<String>)>,
}

/// Reads the workspace's ledger, trust store and checkpoints: the same core calls as
/// `anbao ledger list`.
pub fn read_ledger(
    ledger: &Ledger,
    ws: &crate::workspace::Workspace,
) -> anyhow::Result<LedgerData> {
    let root = ledger.root();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    // A torn last line is not lost: verification reports it as the first bad line.
    let (lines, _tail) = ledger.records()?;
    let units = &ws.manifest.units;
    let mut unit_names = BTreeMap::new();
    for (id, unit) in [
        ("implementing", Some(&units.implementing)),
        ("construction", Some(&units.construction)),
        ("supervision", units.supervision.as_ref()),
    ] {
        if let Some(u) = unit {
            unit_names.insert(id.to_string(), (u.name.clone(), u.name_en.clone()));
        }
    }
    Ok(LedgerData {
        root: root.to_path_buf(),
        file: rel(&ledger.path()),
        exists: ledger.path().exists(),
        lines,
        trust: ledger.trust_store()?,
        checkpoints: ledger
            .checkpoints()?
            .into_iter()
            .map(|(p, c)| (rel(&p), c))
            .collect(),
        unit_names,
    })
}

/// Where verification stands.
#[derive(Debug)]
pub enum Verification {
    Running(Phase),
    Done {
        report: Box<Report>,
        /// One state per ledger line, from the report.
        states: Vec<LineState>,
    },
    /// Verification could not run (an unreadable file); the message says why.
    Failed(String),
}

/// Which list has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Records,
    Checkpoints,
}

/// What the detail view shows: a ledger line or a checkpoint, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Line(usize),
    Checkpoint(usize),
}

#[derive(Debug)]
pub struct Detail {
    pub target: Target,
    pub scroll: u16,
}

/// A selectable list that scrolls to keep its selection on screen.
#[derive(Debug, Default, Clone, Copy)]
pub struct ListCursor {
    pub selected: usize,
    /// First position on screen.
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` within `len` items, `rows` of which fit.
    fn move_by(&mut self, delta: isize, len: usize, rows: usize) {
        if len == 0 {
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
        self.keep_visible(rows, len);
    }

    /// Scrolls so the selection is on screen and, when the window grew, no rows are left
    /// blank below the last item.
    pub fn keep_visible(&mut self, rows: usize, len: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(len.saturating_sub(rows));
    }
}

#[derive(Debug)]
pub struct RecordsState {
    pub data: LedgerData,
    pub verification: Verification,
    pub pane: Pane,
    /// Position in `shown`.
    pub records: ListCursor,
    pub checkpoints: ListCursor,
    pub detail: Option<Detail>,
    /// Text typed after `/`: records whose seq, kind, units, time or state contain it.
    pub filter: String,
    pub filter_editing: bool,
    /// Ledger lines that pass the filter, in file order.
    pub shown: Vec<usize>,
    /// Lower-cased text the filter searches, one per ledger line.
    haystacks: Vec<String>,
    /// The records awaiting a signature, while that list is open (`t`).
    pub todo: Option<super::records_todo::Todo>,
    /// What the last co-signature did, or why it could not.
    pub status: Option<super::text::Status>,
    /// Where signing keys are looked for (the environment's places; tests choose their own).
    pub keys: crate::ledger::keys::KeyPlaces,
}

/// The screen before and after the ledger is read.
#[derive(Debug)]
pub enum RecordsScreen {
    Reading,
    /// The ledger could not be read; the message says why.
    Failed(String),
    Ready(Box<RecordsState>),
}

impl RecordsState {
    pub fn new(data: LedgerData) -> RecordsState {
        let mut s = RecordsState {
            data,
            verification: Verification::Running(Phase::Read),
            pane: Pane::Records,
            records: ListCursor::default(),
            checkpoints: ListCursor::default(),
            detail: None,
            filter: String::new(),
            filter_editing: false,
            shown: Vec::new(),
            haystacks: Vec::new(),
            todo: None,
            status: None,
            keys: crate::ledger::keys::KeyPlaces::from_env(),
        };
        s.index();
        s
    }

    /// Rebuilds what the filter searches (after reading, and again once states are known,
    /// so `/awaiting` or `/待会签` finds the records awaiting a signature).
    pub(super) fn index(&mut self) {
        self.haystacks = (0..self.data.lines.len())
            .map(|i| {
                let state = self.line_state(i);
                let mut text = format!(
                    "{} {}",
                    state_label(Lang::Zh, state),
                    state_label(Lang::En, state)
                );
                if let Ok(r) = &self.data.lines[i] {
                    text.push_str(&format!(
                        " #{} {} {} {} {}",
                        r.seq(),
                        r.entry.kind,
                        r.entry.unit,
                        r.entry.time,
                        // Found by the names the list shows too.
                        [Lang::Zh, Lang::En]
                            .map(|l| {
                                format!(
                                    "{} {}",
                                    crate::i18n::ledger::kind_name(l, &r.entry.kind),
                                    crate::i18n::ledger::unit_short(l, &r.entry.unit)
                                )
                            })
                            .join(" ")
                    ));
                    if let Some(report) = self.report() {
                        text.push(' ');
                        text.push_str(&report.signed_by(r.seq()).join(" "));
                    }
                }
                text.to_lowercase()
            })
            .collect();
        self.refilter();
    }

    /// Recomputes the shown lines after the filter changed, keeping the selection in range.
    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.shown = (0..self.data.lines.len())
            .filter(|&i| needle.is_empty() || self.haystacks[i].contains(&needle))
            .collect();
        self.clamp();
    }

    /// The ledger line selected in the record list, if any is shown.
    pub fn selected_line(&self) -> Option<usize> {
        self.shown.get(self.records.selected).copied()
    }

    /// The verification report, once it is there.
    pub fn report(&self) -> Option<&Report> {
        match &self.verification {
            Verification::Done { report, .. } => Some(report),
            _ => None,
        }
    }

    /// The verification state of ledger line `index`, once known.
    pub fn line_state(&self, index: usize) -> Option<LineState> {
        match &self.verification {
            Verification::Done { states, .. } => states.get(index).copied(),
            _ => None,
        }
    }

    /// What verification made of checkpoint `i`, and its state (`None` until verified; a
    /// checkpoint verification did not see counts as failed).
    pub fn checkpoint_status(&self, i: usize) -> (Option<&CheckpointStatus>, Option<LineState>) {
        let Some(report) = self.report() else {
            return (None, None);
        };
        let file = self.data.checkpoints.get(i).map(|(f, _)| f);
        let status = report.checkpoints.iter().find(|c| Some(&c.file) == file);
        let state = match status {
            Some(c) if c.ok => LineState::Verified,
            _ => LineState::Failed,
        };
        (status, Some(state))
    }

    /// Takes the finished report; the per-line states are computed here, once, so drawing a
    /// row never searches the findings.
    pub fn verified(&mut self, report: Report) {
        let states = report.line_states();
        self.verification = Verification::Done {
            report: Box::new(report),
            states,
        };
        self.index();
    }

    /// Keeps both selections within their lists.
    fn clamp(&mut self) {
        for (cursor, len) in [
            (&mut self.records, self.shown.len()),
            (&mut self.checkpoints, self.data.checkpoints.len()),
        ] {
            cursor.selected = cursor.selected.min(len.saturating_sub(1));
            cursor.offset = cursor.offset.min(cursor.selected);
        }
    }

    fn len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Records => self.shown.len(),
            Pane::Checkpoints => self.data.checkpoints.len(),
        }
    }

    fn cursor(&mut self) -> &mut ListCursor {
        match self.pane {
            Pane::Records => &mut self.records,
            Pane::Checkpoints => &mut self.checkpoints,
        }
    }

    /// Scrolls both lists so their selections stay on screen after a resize.
    pub fn keep_visible(&mut self, rows: usize) {
        self.records.keep_visible(rows, self.shown.len());
        self.checkpoints
            .keep_visible(rows, self.data.checkpoints.len());
    }

    fn switch_pane(&mut self) {
        self.pane = match self.pane {
            Pane::Records => Pane::Checkpoints,
            Pane::Checkpoints => Pane::Records,
        }
    }

    fn open(&mut self) {
        let (len, at) = (self.len(self.pane), self.cursor().selected);
        if at >= len {
            return;
        }
        let target = match self.pane {
            Pane::Records => Target::Line(self.shown[at]),
            Pane::Checkpoints => Target::Checkpoint(at),
        };
        self.detail = Some(Detail { target, scroll: 0 });
    }

    /// Applies a screen action; `rows` list rows fit on screen, the first at terminal row `top`.
    pub fn handle(&mut self, action: Action, rows: usize, top: u16) {
        if self.todo.is_some() {
            return self.handle_todo(action, rows);
        }
        self.status = None;
        if let Some(d) = &mut self.detail {
            if super::app::scroll_detail(&mut d.scroll, &action, rows) {
                self.detail = None;
            }
            return;
        }
        let len = self.len(self.pane);
        let page = rows.max(1) as isize;
        match action {
            Action::Up => self.cursor().move_by(-1, len, rows),
            Action::Down => self.cursor().move_by(1, len, rows),
            Action::PageUp => self.cursor().move_by(-page, len, rows),
            Action::PageDown => self.cursor().move_by(page, len, rows),
            Action::Home => self.cursor().move_by(isize::MIN / 2, len, rows),
            Action::End => self.cursor().move_by(isize::MAX / 2, len, rows),
            Action::Open => self.open(),
            Action::SwitchPane => self.switch_pane(),
            Action::Todo => self.toggle_todo(),
            Action::StartFilter => {
                self.pane = Pane::Records;
                self.filter_editing = true;
            }
            // Text reaches the filter only while it is open.
            Action::FilterChar(c) if self.filter_editing => {
                self.filter.push(c);
                self.refilter();
            }
            Action::FilterBackspace if self.filter_editing => {
                self.filter.pop();
                self.refilter();
            }
            Action::FilterDone => self.filter_editing = false,
            Action::Back if self.filter_editing => self.filter_editing = false,
            Action::Back if self.pane == Pane::Checkpoints => self.pane = Pane::Records,
            Action::Back | Action::ClearFilters => {
                self.filter.clear();
                self.filter_editing = false;
                self.refilter();
            }
            // The bar naming the two lists sits just above the list's header.
            Action::Click(row) if row + 2 == top => self.switch_pane(),
            Action::Click(row) if row >= top => {
                let cursor = self.cursor();
                let at = cursor.offset + usize::from(row - top);
                if at < len {
                    if at == cursor.selected {
                        self.open();
                    } else {
                        cursor.selected = at;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Applies what the background reader and verifier report.
pub fn on_ledger_event(screen: &mut RecordsScreen, action: Action) {
    match (action, screen) {
        (Action::LedgerRead(data), RecordsScreen::Ready(s)) => {
            // Read again after a change on disk: keep the place, in lists that only grow
            // (unless a ledger was replaced, when the place is clamped to what is there).
            let mut fresh = RecordsState::new(*data);
            fresh.pane = s.pane;
            fresh.records = s.records;
            fresh.checkpoints = s.checkpoints;
            fresh.filter = std::mem::take(&mut s.filter);
            fresh.filter_editing = s.filter_editing;
            fresh.todo = s.todo.take();
            fresh.status = s.status.take();
            fresh.keys = s.keys.clone();
            fresh.refilter();
            fresh.detail = s.detail.take().filter(|d| match d.target {
                Target::Line(i) => i < fresh.data.lines.len(),
                Target::Checkpoint(i) => i < fresh.data.checkpoints.len(),
            });
            **s = fresh;
        }
        (Action::LedgerRead(data), screen) => {
            *screen = RecordsScreen::Ready(Box::new(RecordsState::new(*data)));
        }
        (Action::LedgerFailed(message), screen @ RecordsScreen::Reading) => {
            *screen = RecordsScreen::Failed(message);
        }
        (Action::LedgerFailed(message), RecordsScreen::Ready(s)) => {
            s.verification = Verification::Failed(message);
        }
        (Action::VerifyProgress(phase), RecordsScreen::Ready(s)) => {
            if matches!(s.verification, Verification::Running(_)) {
                s.verification = Verification::Running(phase);
            }
        }
        (Action::Verified(report), RecordsScreen::Ready(s)) => s.verified(*report),
        _ => {}
    }
}

/// Reads the ledger of the workspace at `workspace` (or found from the current folder) and
/// verifies it, reporting each step through `send`. Runs on a worker thread.
pub fn read_and_verify(workspace: Option<PathBuf>, send: &(dyn Fn(Action) + Sync)) {
    match open(workspace) {
        Ok((ledger, ws)) => read_and_verify_ledger(&ledger, &ws, send),
        Err(e) => send(Action::LedgerFailed(format!("{e:#}"))),
    }
}

fn open(workspace: Option<PathBuf>) -> anyhow::Result<(Ledger, crate::workspace::Workspace)> {
    let ws = crate::workspace::Workspace::locate(workspace.as_deref())?;
    Ok((Ledger::open(&ws)?, ws))
}

fn read_and_verify_ledger(
    ledger: &Ledger,
    ws: &crate::workspace::Workspace,
    send: &(dyn Fn(Action) + Sync),
) {
    match read_ledger(ledger, ws) {
        Ok(data) => send(Action::LedgerRead(Box::new(data))),
        Err(e) => return send(Action::LedgerFailed(format!("{e:#}"))),
    }
    match ledger.verify_with(&|phase| send(Action::VerifyProgress(phase))) {
        Ok(report) => send(Action::Verified(Box::new(report))),
        Err(e) => send(Action::LedgerFailed(format!("{e:#}"))),
    }
}

/// Sizes and modification times of the ledger, its checkpoints and its trust store: when
/// these change, something was filed (by another terminal or another screen).
fn fingerprint(ledger: &Ledger) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let stat = |p: PathBuf| {
        let meta = std::fs::metadata(&p).ok();
        let len = meta.as_ref().map_or(0, |m| m.len());
        let modified = meta.and_then(|m| m.modified().ok());
        (p, len, modified)
    };
    let mut out = vec![stat(ledger.path())];
    for dir in [ledger.checkpoint_dir(), ledger.keys_dir()] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        out.push(stat(dir));
        out.extend(entries.into_iter().map(stat));
    }
    out
}

/// Reads and verifies the ledger, then again whenever it changes on disk, until `send`
/// reports that nobody listens any more.
pub fn watch(workspace: Option<PathBuf>, every: Duration, send: &(dyn Fn(Action) -> bool + Sync)) {
    let (ledger, ws) = match open(workspace) {
        Ok(x) => x,
        Err(e) => {
            send(Action::LedgerFailed(format!("{e:#}")));
            return;
        }
    };
    let alive = std::sync::atomic::AtomicBool::new(true);
    let relay = |a: Action| {
        if !send(a) {
            alive.store(false, std::sync::atomic::Ordering::Relaxed);
        }
    };
    loop {
        let seen = fingerprint(&ledger);
        read_and_verify_ledger(&ledger, &ws, &relay);
        loop {
            if !alive.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(every);
            if fingerprint(&ledger) != seen {
                break;
            }
        }
    }
}
