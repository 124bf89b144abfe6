//! The TUI's state, the user intents it understands, and the one function that changes it.

use super::acceptance::AcceptanceState;
use super::assess::AssessState;
use super::drills::DrillsState;
use super::records::{LedgerData, RecordsScreen};
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::inventory::Inventory;

/// The screens, in tab order. Each appears once the core feature behind it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Acceptance,
    Assessment,
    Risks,
    Drills,
    Records,
}

impl Screen {
    /// Tab order as issue 7 numbers the screens.
    pub const ALL: [Screen; 5] = [
        Screen::Acceptance,
        Screen::Assessment,
        Screen::Risks,
        Screen::Drills,
        Screen::Records,
    ];

    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Screen::Acceptance, Lang::Zh) => "验收核验",
            (Screen::Acceptance, Lang::En) => "Acceptance",
            (Screen::Assessment, Lang::Zh) => "联合评估",
            (Screen::Assessment, Lang::En) => "Assessment",
            (Screen::Risks, Lang::Zh) => "风险",
            (Screen::Risks, Lang::En) => "Risks",
            (Screen::Drills, Lang::Zh) => "应急演练",
            (Screen::Drills, Lang::En) => "Drills",
            (Screen::Records, Lang::Zh) => "签名记录",
            (Screen::Records, Lang::En) => "Records",
        }
    }
}

/// One user intent. Keys and mouse events map to these in one place (`keys.rs`); background
/// work reports through them too, so every change of state goes through [`update`].
#[derive(Debug)]
pub enum Action {
    Quit,
    NextScreen,
    PrevScreen,
    GoToScreen(usize),
    ToggleHelp,
    ToggleLang,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Open,
    Back,
    StartFilter,
    FilterChar(char),
    FilterBackspace,
    FilterDone,
    CycleVerdictFilter,
    CycleCategoryFilter,
    ClearFilters,
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// A click on a row of the screen (terminal row number).
    Click(u16),
    /// Background loading: which file it is reading.
    Progress {
        done: usize,
        total: usize,
        file: String,
    },
    Loaded(Box<Loaded>),
    LoadFailed(String),
    /// A plain character no binding claims (the checklist's answer keys).
    Char(char),
    Confirm,
    EditNote,
    EditEvidence,
    SwitchRole,
    TakeDerived,
    CycleTreatment,
    EditOwner,
    EditApprover,
    EditDue,
    /// The assessment sessions and checklists, loaded after the check.
    AssessLoaded(Box<AssessState>),
    /// Drill run: start, finish, skip or fail the selected step; type an observation.
    StepStart,
    StepDone,
    StepSkip,
    StepFail,
    StartObservation,
    /// The clock moved on (drives the running drill clock).
    Tick(crate::drill::run::Time),
    /// The drill data arrived from the worker, or could not be read.
    DrillsLoaded(Box<Result<DrillsState, String>>),
    /// Records screen: switch between the record list and the checkpoint list.
    SwitchPane,
    /// The ledger was read; verification starts.
    LedgerRead(Box<LedgerData>),
    /// Verification has reached this phase.
    VerifyProgress(crate::ledger::Phase),
    Verified(Box<crate::ledger::Report>),
    /// The ledger could not be read or verified.
    LedgerFailed(String),
}

/// What the background load delivers.
#[derive(Debug)]
pub struct Loaded {
    pub report: Report,
    pub inventory: Inventory,
}

/// Whether the data is there yet.
#[derive(Debug)]
pub enum LoadState {
    Loading {
        done: usize,
        total: usize,
        file: String,
    },
    Ready,
    Failed(String),
}

/// Key hints, as drawn in the footer and the help overlay, come from the key map.
pub use super::keys::KeyMap;

#[derive(Debug)]
pub struct App {
    pub lang: Lang,
    pub screen: Screen,
    pub load: LoadState,
    pub acceptance: Option<AcceptanceState>,
    pub assess: Option<AssessState>,
    /// The drills screen: its data once loaded, or why it could not be.
    pub drills: Option<Result<DrillsState, String>>,
    pub records: RecordsScreen,
    pub help_open: bool,
    pub size: (u16, u16),
    pub keymap: KeyMap,
    pub color: bool,
    pub should_quit: bool,
}

impl App {
    pub fn new(lang: Lang, keymap: KeyMap, color: bool, size: (u16, u16)) -> App {
        App {
            lang,
            screen: Screen::Acceptance,
            load: LoadState::Loading {
                done: 0,
                total: 0,
                file: String::new(),
            },
            acceptance: None,
            assess: None,
            drills: None,
            records: RecordsScreen::Reading,
            help_open: false,
            size,
            keymap,
            color,
            should_quit: false,
        }
    }

    /// Whether typed characters go to a text field rather than to key bindings.
    pub fn is_typing(&self) -> bool {
        match self.screen {
            Screen::Drills => self.drills_state().is_some_and(DrillsState::is_typing),
            Screen::Records => {
                matches!(&self.records, RecordsScreen::Ready(r) if r.filter_editing)
            }
            Screen::Assessment | Screen::Risks => {
                self.assess.as_ref().is_some_and(|a| a.field.is_some())
            }
            _ => self.acceptance.as_ref().is_some_and(|a| a.filter_editing),
        }
    }

    pub fn drills_state(&self) -> Option<&DrillsState> {
        self.drills.as_ref().and_then(|d| d.as_ref().ok())
    }
}

/// Scrolls a detail view's text by `action` (a page is `page` rows); true when the action
/// closes the view instead.
pub fn scroll_detail(scroll: &mut u16, action: &Action, page: usize) -> bool {
    let page = u16::try_from(page).unwrap_or(u16::MAX);
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = scroll.saturating_add(page),
        Action::Home => *scroll = 0,
        Action::Back | Action::Open => return true,
        _ => {}
    }
    false
}

/// Applies one action to the state.
pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Quit => app.should_quit = true,
        Action::ToggleHelp => app.help_open = !app.help_open,
        Action::ToggleLang => {
            app.lang = match app.lang {
                Lang::Zh => Lang::En,
                Lang::En => Lang::Zh,
            }
        }
        Action::NextScreen | Action::PrevScreen => {
            let n = Screen::ALL.len();
            let at = Screen::ALL
                .iter()
                .position(|s| *s == app.screen)
                .unwrap_or(0);
            let next = if matches!(action, Action::NextScreen) {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            };
            app.screen = Screen::ALL[next];
        }
        Action::GoToScreen(i) => {
            if let Some(s) = Screen::ALL.get(i) {
                app.screen = *s;
            }
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            let rows = super::view::table_rows(app.size);
            if let Some(a) = &mut app.acceptance {
                a.keep_visible(rows);
            }
            if let RecordsScreen::Ready(r) = &mut app.records {
                r.keep_visible(super::records_view::list_rows(app.size));
            }
        }
        Action::Progress { done, total, file } => {
            app.load = LoadState::Loading { done, total, file }
        }
        Action::Loaded(loaded) => {
            app.acceptance = Some(AcceptanceState::new(loaded.report, loaded.inventory));
            app.load = LoadState::Ready;
        }
        Action::LoadFailed(message) => app.load = LoadState::Failed(message),
        Action::AssessLoaded(state) => app.assess = Some(*state),
        Action::DrillsLoaded(loaded) => app.drills = Some(*loaded),
        Action::Tick(now) => {
            if let Some(Ok(d)) = &mut app.drills {
                d.now = now;
                d.poll();
            }
        }
        event @ (Action::LedgerRead(_)
        | Action::VerifyProgress(_)
        | Action::Verified(_)
        | Action::LedgerFailed(_)) => super::records::on_ledger_event(&mut app.records, event),
        Action::Back if app.help_open => app.help_open = false,
        other if app.screen == Screen::Drills => {
            if let Some(Ok(d)) = &mut app.drills {
                d.handle(other);
            }
        }
        other => {
            let rows = super::view::table_rows(app.size);
            let top = super::view::table_top(app.size);
            match (app.screen, &mut app.records) {
                (Screen::Acceptance, _) => {
                    if let Some(a) = app.acceptance.as_mut() {
                        a.handle(other, rows, top);
                    }
                }
                (Screen::Records, RecordsScreen::Ready(r)) => {
                    let view = super::records_view::list_rows(app.size);
                    r.handle(other, view, super::records_view::list_top(app.size));
                }
                (Screen::Assessment, _) => {
                    if let Some(s) = app.assess.as_mut() {
                        s.handle(other, app.lang, super::assess_view::item_rows(app.size));
                    }
                }
                (Screen::Risks, _) => {
                    if let Some(s) = app.assess.as_mut() {
                        s.handle_risks(other, app.lang);
                    }
                }
                // Drills took its actions above.
                (Screen::Records | Screen::Drills, _) => {}
            }
        }
    }
}
