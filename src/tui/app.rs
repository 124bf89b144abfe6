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
    /// ← and →: a form's choice or level.
    Left,
    Right,
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
    CycleVulnFilter,
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
    /// Risks screen: the form with every field of the selected risk.
    EditRisk,
    /// Sign (or co-sign) what the screen shows, after a confirmation.
    Sign,
    /// Assessment: a new session superseding the signed one.
    Supersede,
    /// Drill run: add a participant; abandon the run; finish it with its summary.
    Join,
    Abandon,
    Finish,
    /// Records: the list of records awaiting a signature.
    Todo,
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
    /// Who acts: recorded with answers, confirmations and drills; asked once.
    pub person: Option<String>,
    /// Where the person's name and unit are kept (the user's `user.toml`).
    pub user_file: Option<std::path::PathBuf>,
    /// The question "who are you?", with the action that waits for the answer.
    pub name_prompt: Option<(super::form::Form, Box<Action>)>,
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
            person: None,
            user_file: None,
            name_prompt: None,
        }
    }

    /// Whether typed characters go to a text field rather than to key bindings.
    pub fn is_typing(&self) -> bool {
        if self.name_prompt.is_some() {
            return true;
        }
        match self.screen {
            Screen::Drills => self.drills_state().is_some_and(DrillsState::is_typing),
            Screen::Records => {
                matches!(&self.records, RecordsScreen::Ready(r) if r.filter_editing)
            }
            Screen::Assessment | Screen::Risks => self
                .assess
                .as_ref()
                .is_some_and(|a| a.field.is_some() || a.form.is_some()),
            _ => self.acceptance.as_ref().is_some_and(|a| a.filter_editing),
        }
    }

    pub fn drills_state(&self) -> Option<&DrillsState> {
        self.drills.as_ref().and_then(|d| d.as_ref().ok())
    }

    /// Switches screens; what a screen said belongs to it and is not carried along.
    fn go_to(&mut self, screen: Screen) {
        if screen != self.screen {
            if let Some(a) = &mut self.assess {
                a.status = None;
            }
            if let Some(Ok(d)) = &mut self.drills {
                d.message = None;
                d.notice = None;
            }
            if let RecordsScreen::Ready(r) = &mut self.records {
                r.status = None;
            }
        }
        self.screen = screen;
    }

    /// The unit the user last acted for, from their profile.
    fn user_unit(&self) -> Option<String> {
        let path = self.user_file.as_ref()?;
        crate::user::User::load(path).ok()?.unit
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
    // What background work delivers goes through whatever dialog is open.
    let action = match action {
        Action::Progress { done, total, file } => {
            app.load = LoadState::Loading { done, total, file };
            return;
        }
        Action::Loaded(loaded) => {
            app.acceptance = Some(AcceptanceState::new(loaded.report, loaded.inventory));
            app.load = LoadState::Ready;
            return;
        }
        Action::LoadFailed(message) => {
            app.load = LoadState::Failed(message);
            return;
        }
        Action::AssessLoaded(mut state) => {
            state.person = app.person.clone().unwrap_or_default();
            if let Some(unit) = app.user_unit() {
                state.role = unit;
            }
            app.assess = Some(*state);
            return;
        }
        Action::DrillsLoaded(loaded) => {
            app.drills = Some(*loaded);
            return;
        }
        Action::Tick(now) => {
            if let Some(Ok(d)) = &mut app.drills {
                d.now = d.zone.fixed(now);
                d.poll();
            }
            if let Some(a) = &mut app.assess {
                a.poll();
            }
            return;
        }
        event @ (Action::LedgerRead(_)
        | Action::VerifyProgress(_)
        | Action::Verified(_)
        | Action::LedgerFailed(_)) => {
            return super::records::on_ledger_event(&mut app.records, event)
        }
        Action::Quit => {
            app.should_quit = true;
            return;
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
            return;
        }
        other => other,
    };
    if app.name_prompt.is_some() {
        return super::person::handle(app, action);
    }
    if super::person::needs_person(app, &action) {
        return super::person::ask(app, action);
    }
    match action {
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
            app.go_to(Screen::ALL[next]);
        }
        Action::GoToScreen(i) => {
            if let Some(s) = Screen::ALL.get(i) {
                app.go_to(*s);
            }
        }
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
                    let switch = matches!(other, Action::SwitchRole);
                    if let Some(s) = app.assess.as_mut() {
                        s.handle(other, super::assess_view::item_rows(app.size));
                    }
                    if switch {
                        super::person::remember_unit(app);
                    }
                }
                (Screen::Risks, _) => {
                    if let Some(s) = app.assess.as_mut() {
                        s.handle_risks(other);
                    }
                }
                // Drills took its actions above.
                (Screen::Records | Screen::Drills, _) => {}
            }
        }
    }
}
