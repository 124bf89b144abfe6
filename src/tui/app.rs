//! The TUI's state, the user intents it understands, and the one function that changes it.

use super::acceptance::AcceptanceState;
use super::assess::AssessState;
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::inventory::Inventory;

/// The screens, in tab order. Each appears once the core feature behind it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Acceptance,
    Assessment,
    Risks,
}

impl Screen {
    pub const ALL: [Screen; 3] = [Screen::Acceptance, Screen::Assessment, Screen::Risks];

    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Screen::Acceptance, Lang::Zh) => "验收核验",
            (Screen::Acceptance, Lang::En) => "Acceptance",
            (Screen::Assessment, Lang::Zh) => "风险评估",
            (Screen::Assessment, Lang::En) => "Assessment",
            (Screen::Risks, Lang::Zh) => "风险",
            (Screen::Risks, Lang::En) => "Risks",
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
            help_open: false,
            size,
            keymap,
            color,
            should_quit: false,
        }
    }

    /// Whether typed characters go to a text field rather than to key bindings.
    pub fn is_typing(&self) -> bool {
        self.acceptance.as_ref().is_some_and(|a| a.filter_editing)
            || (matches!(self.screen, Screen::Assessment | Screen::Risks)
                && self.assess.as_ref().is_some_and(|a| a.field.is_some()))
    }
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
        Action::Back if app.help_open => app.help_open = false,
        other => {
            let rows = super::view::table_rows(app.size);
            let top = super::view::table_top(app.size);
            match (app.screen, app.acceptance.as_mut(), app.assess.as_mut()) {
                (Screen::Acceptance, Some(a), _) => a.handle(other, rows, top),
                (Screen::Assessment, _, Some(s)) => {
                    s.handle(other, app.lang, super::assess_view::item_rows(app.size))
                }
                (Screen::Risks, _, Some(s)) => s.handle_risks(other, app.lang),
                _ => {}
            }
        }
    }
}
