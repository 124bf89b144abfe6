//! Key bindings in one place: the defaults, overrides from the user's config file, and the
//! mapping from terminal events to actions.

use super::app::Action;
use crate::error::{InputError, Location};
use crate::i18n::Lang;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A bindable intent: its name in the config file and its description in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bindable {
    Quit,
    Help,
    Language,
    NextScreen,
    PrevScreen,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Open,
    Back,
    Filter,
    VerdictFilter,
    CategoryFilter,
    VulnFilter,
    ClearFilters,
    Confirm,
    Note,
    Evidence,
    Role,
    Derived,
    Treatment,
    Owner,
    Approver,
    Due,
    StepStart,
    StepDone,
    StepSkip,
    StepFail,
    Observe,
    Checkpoints,
    Sign,
    Supersede,
    EditRisk,
    Join,
    Abandon,
    Finish,
    Todo,
}

impl Bindable {
    pub const ALL: [Bindable; 40] = [
        Bindable::Quit,
        Bindable::Help,
        Bindable::Language,
        Bindable::NextScreen,
        Bindable::PrevScreen,
        Bindable::Up,
        Bindable::Down,
        Bindable::PageUp,
        Bindable::PageDown,
        Bindable::Home,
        Bindable::End,
        Bindable::Open,
        Bindable::Back,
        Bindable::Filter,
        Bindable::VerdictFilter,
        Bindable::CategoryFilter,
        Bindable::VulnFilter,
        Bindable::ClearFilters,
        Bindable::Confirm,
        Bindable::Note,
        Bindable::Evidence,
        Bindable::Role,
        Bindable::Derived,
        Bindable::Treatment,
        Bindable::Owner,
        Bindable::Approver,
        Bindable::Due,
        Bindable::StepStart,
        Bindable::StepDone,
        Bindable::StepSkip,
        Bindable::StepFail,
        Bindable::Observe,
        Bindable::Checkpoints,
        Bindable::Sign,
        Bindable::Supersede,
        Bindable::EditRisk,
        Bindable::Join,
        Bindable::Abandon,
        Bindable::Finish,
        Bindable::Todo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bindable::Quit => "quit",
            Bindable::Help => "help",
            Bindable::Language => "language",
            Bindable::NextScreen => "next-screen",
            Bindable::PrevScreen => "prev-screen",
            Bindable::Up => "up",
            Bindable::Down => "down",
            Bindable::PageUp => "page-up",
            Bindable::PageDown => "page-down",
            Bindable::Home => "home",
            Bindable::End => "end",
            Bindable::Open => "open",
            Bindable::Back => "back",
            Bindable::Filter => "filter",
            Bindable::VerdictFilter => "verdict-filter",
            Bindable::CategoryFilter => "category-filter",
            Bindable::VulnFilter => "vulnerability-filter",
            Bindable::ClearFilters => "clear-filters",
            Bindable::Confirm => "confirm",
            Bindable::Note => "note",
            Bindable::Evidence => "evidence",
            Bindable::Role => "role",
            Bindable::Derived => "derived",
            Bindable::Treatment => "treatment",
            Bindable::Owner => "owner",
            Bindable::Approver => "approver",
            Bindable::Due => "due",
            Bindable::StepStart => "step-start",
            Bindable::StepDone => "step-done",
            Bindable::StepSkip => "step-skip",
            Bindable::StepFail => "step-fail",
            Bindable::Observe => "observe",
            Bindable::Checkpoints => "checkpoints",
            Bindable::Sign => "sign",
            Bindable::Supersede => "supersede",
            Bindable::EditRisk => "edit-risk",
            Bindable::Join => "join",
            Bindable::Abandon => "abandon",
            Bindable::Finish => "finish",
            Bindable::Todo => "todo",
        }
    }

    pub fn describe(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Bindable::Quit => ("退出", "quit"),
            Bindable::Help => ("帮助", "help"),
            Bindable::Language => ("切换中/英文", "switch language"),
            Bindable::NextScreen => ("下一页签", "next screen"),
            Bindable::PrevScreen => ("上一页签", "previous screen"),
            Bindable::Up => ("上移", "up"),
            Bindable::Down => ("下移", "down"),
            Bindable::PageUp => ("上翻页", "page up"),
            Bindable::PageDown => ("下翻页", "page down"),
            Bindable::Home => ("到开头", "first"),
            Bindable::End => ("到末尾", "last"),
            Bindable::Open => ("打开详情", "open"),
            Bindable::Back => ("返回/清除", "back"),
            Bindable::Filter => ("筛选", "filter"),
            Bindable::VerdictFilter => ("按结论筛选", "filter by verdict"),
            Bindable::CategoryFilter => ("按类别筛选", "filter by category"),
            Bindable::VulnFilter => ("按已知漏洞筛选", "filter by known vulnerabilities"),
            Bindable::ClearFilters => ("清除筛选", "clear filters"),
            Bindable::Confirm => ("以本方身份确认答复", "confirm the answer as your role"),
            Bindable::Note => ("填写说明", "write a note"),
            Bindable::Evidence => ("附上证据文件", "attach an evidence file"),
            Bindable::Role => ("切换本方角色", "switch your role"),
            Bindable::Derived => ("采纳由数据得出的答复", "take the answer from data"),
            Bindable::Treatment => ("切换处置方式", "cycle the treatment"),
            Bindable::Owner => ("填写责任人", "set the owner"),
            Bindable::Approver => ("填写批准人", "set the approver"),
            Bindable::Due => ("填写期限", "set the due date"),
            Bindable::StepStart => ("演练：开始当前步骤", "drill: start the step"),
            Bindable::StepDone => ("演练：步骤完成", "drill: step done"),
            Bindable::StepSkip => ("演练：跳过步骤", "drill: skip the step"),
            Bindable::StepFail => ("演练：步骤失败", "drill: step failed"),
            Bindable::Observe => ("演练：记录观察", "drill: note an observation"),
            Bindable::Checkpoints => ("切换记录/检查点列表", "records / checkpoints list"),
            Bindable::Sign => ("签署或会签（先确认）", "sign or co-sign (asks first)"),
            Bindable::Supersede => (
                "新建替代已签署评估的评估",
                "new session superseding the signed one",
            ),
            Bindable::EditRisk => ("编辑风险的全部字段", "edit every field of the risk"),
            Bindable::Join => ("演练：登记参演人员", "drill: add a participant"),
            Bindable::Abandon => ("演练：中止并记录原因", "drill: abandon with a reason"),
            Bindable::Finish => (
                "演练：结束并填写总结",
                "drill: finish and write the summary",
            ),
            Bindable::Todo => ("待签署的记录", "records awaiting a signature"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A one-word label for the footer, where space is short.
    pub fn short(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Bindable::Open => ("详情", "open"),
            Bindable::Filter => ("筛选", "filter"),
            Bindable::VerdictFilter => ("结论", "verdict"),
            Bindable::CategoryFilter => ("类别", "category"),
            Bindable::VulnFilter => ("漏洞", "vulns"),
            Bindable::Language => ("EN", "中文"),
            Bindable::Back => ("返回", "back"),
            Bindable::Up => ("上", "up"),
            Bindable::Down => ("下", "down"),
            Bindable::Help => ("帮助", "help"),
            Bindable::Quit => ("退出", "quit"),
            Bindable::Confirm => ("确认", "confirm"),
            Bindable::Note => ("说明", "note"),
            Bindable::Evidence => ("证据", "evidence"),
            Bindable::Role => ("角色", "role"),
            Bindable::Derived => ("数据", "from data"),
            Bindable::Treatment => ("处置", "treatment"),
            Bindable::Owner => ("责任人", "owner"),
            Bindable::Approver => ("批准人", "approver"),
            Bindable::Due => ("期限", "due"),
            Bindable::StepStart => ("开始", "start"),
            Bindable::StepDone => ("完成", "done"),
            Bindable::StepSkip => ("跳过", "skip"),
            Bindable::StepFail => ("失败", "fail"),
            Bindable::Observe => ("观察", "note"),
            Bindable::Checkpoints => ("检查点", "checkpoints"),
            Bindable::Sign => ("签署", "sign"),
            Bindable::Supersede => ("替代", "supersede"),
            Bindable::EditRisk => ("编辑", "edit"),
            Bindable::Join => ("人员", "people"),
            Bindable::Abandon => ("中止", "abandon"),
            Bindable::Finish => ("结束", "finish"),
            Bindable::Todo => ("待签", "to-do"),
            other => return other.describe(lang),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Whether the key does something on `screen`; the help overlay lists only those.
    pub fn on_screen(self, screen: super::app::Screen) -> bool {
        use super::app::Screen::*;
        use Bindable as B;
        let screens: &[super::app::Screen] = match self {
            B::Filter | B::ClearFilters => &[Acceptance, Records],
            B::VerdictFilter | B::CategoryFilter | B::VulnFilter => &[Acceptance],
            B::Checkpoints | B::Todo => &[Records],
            B::Confirm | B::Note | B::Role | B::Derived | B::Supersede => &[Assessment],
            B::Evidence => &[Assessment, Drills],
            B::Treatment | B::Owner | B::Approver | B::Due | B::EditRisk => &[Risks],
            B::StepStart
            | B::StepDone
            | B::StepSkip
            | B::StepFail
            | B::Observe
            | B::Join
            | B::Abandon
            | B::Finish => &[Drills],
            B::Sign => &[Assessment, Drills, Records],
            _ => return true,
        };
        screens.contains(&screen)
    }

    fn action(self) -> Action {
        match self {
            Bindable::Quit => Action::Quit,
            Bindable::Help => Action::ToggleHelp,
            Bindable::Language => Action::ToggleLang,
            Bindable::NextScreen => Action::NextScreen,
            Bindable::PrevScreen => Action::PrevScreen,
            Bindable::Up => Action::Up,
            Bindable::Down => Action::Down,
            Bindable::PageUp => Action::PageUp,
            Bindable::PageDown => Action::PageDown,
            Bindable::Home => Action::Home,
            Bindable::End => Action::End,
            Bindable::Open => Action::Open,
            Bindable::Back => Action::Back,
            Bindable::Filter => Action::StartFilter,
            Bindable::VerdictFilter => Action::CycleVerdictFilter,
            Bindable::CategoryFilter => Action::CycleCategoryFilter,
            Bindable::VulnFilter => Action::CycleVulnFilter,
            Bindable::ClearFilters => Action::ClearFilters,
            Bindable::Confirm => Action::Confirm,
            Bindable::Note => Action::EditNote,
            Bindable::Evidence => Action::EditEvidence,
            Bindable::Role => Action::SwitchRole,
            Bindable::Derived => Action::TakeDerived,
            Bindable::Treatment => Action::CycleTreatment,
            Bindable::Owner => Action::EditOwner,
            Bindable::Approver => Action::EditApprover,
            Bindable::Due => Action::EditDue,
            Bindable::StepStart => Action::StepStart,
            Bindable::StepDone => Action::StepDone,
            Bindable::StepSkip => Action::StepSkip,
            Bindable::StepFail => Action::StepFail,
            Bindable::Observe => Action::StartObservation,
            Bindable::Checkpoints => Action::SwitchPane,
            Bindable::Sign => Action::Sign,
            Bindable::Supersede => Action::Supersede,
            Bindable::EditRisk => Action::EditRisk,
            Bindable::Join => Action::Join,
            Bindable::Abandon => Action::Abandon,
            Bindable::Finish => Action::Finish,
            Bindable::Todo => Action::Todo,
        }
    }
}

/// A key with its modifiers, as written in the config file: `q`, `ctrl-c`, `shift-tab`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn parse(text: &str) -> Option<Key> {
        let lower = text.trim();
        let (ctrl, rest) = match lower.strip_prefix("ctrl-") {
            Some(rest) => (true, rest),
            None => (false, lower),
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "page-up" => KeyCode::PageUp,
            "pagedown" | "page-down" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Key { code, ctrl })
    }

    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".to_string(),
        };
        if self.ctrl {
            format!("C-{base}")
        } else {
            base
        }
    }

    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        // Terminals report upper-case letters with SHIFT; the character alone says which key.
        ev.code == self.code && ctrl == self.ctrl
    }
}

/// Every binding, defaults first overridden by the user's file.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: BTreeMap<Bindable, Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let keys = |list: &[&str]| {
            list.iter()
                .filter_map(|k| Key::parse(k))
                .collect::<Vec<_>>()
        };
        let mut bindings = BTreeMap::new();
        bindings.insert(Bindable::Quit, keys(&["q", "ctrl-c"]));
        bindings.insert(Bindable::Help, keys(&["?", "f1"]));
        bindings.insert(Bindable::Language, keys(&["L"]));
        bindings.insert(Bindable::NextScreen, keys(&["tab"]));
        bindings.insert(Bindable::PrevScreen, keys(&["shift-tab"]));
        bindings.insert(Bindable::Up, keys(&["up", "k"]));
        bindings.insert(Bindable::Down, keys(&["down", "j"]));
        bindings.insert(Bindable::PageUp, keys(&["pageup", "ctrl-b"]));
        bindings.insert(Bindable::PageDown, keys(&["pagedown", "ctrl-f", "space"]));
        bindings.insert(Bindable::Home, keys(&["home", "g"]));
        bindings.insert(Bindable::End, keys(&["end", "G"]));
        bindings.insert(Bindable::Open, keys(&["enter"]));
        bindings.insert(Bindable::Back, keys(&["esc", "backspace"]));
        bindings.insert(Bindable::Filter, keys(&["/"]));
        bindings.insert(Bindable::VerdictFilter, keys(&["v"]));
        bindings.insert(Bindable::CategoryFilter, keys(&["c"]));
        bindings.insert(Bindable::VulnFilter, keys(&["V"]));
        bindings.insert(Bindable::ClearFilters, keys(&["x"]));
        bindings.insert(Bindable::StepStart, keys(&["b"]));
        bindings.insert(Bindable::StepDone, keys(&["d"]));
        bindings.insert(Bindable::StepSkip, keys(&["s"]));
        bindings.insert(Bindable::StepFail, keys(&["f"]));
        bindings.insert(Bindable::Observe, keys(&["o"]));
        bindings.insert(Bindable::Checkpoints, keys(&["C"]));
        // Assessment keys stay off y, p, n and -, the answer keys of the shipped checklists;
        // those shared with drill keys act on their own screens only (`on_screen`).
        bindings.insert(Bindable::Confirm, keys(&["o"]));
        bindings.insert(Bindable::Note, keys(&["a"]));
        bindings.insert(Bindable::Evidence, keys(&["e"]));
        bindings.insert(Bindable::Role, keys(&["r"]));
        bindings.insert(Bindable::Derived, keys(&["d"]));
        bindings.insert(Bindable::Treatment, keys(&["t"]));
        bindings.insert(Bindable::Owner, keys(&["w"]));
        bindings.insert(Bindable::Approver, keys(&["b"]));
        bindings.insert(Bindable::Due, keys(&["u"]));
        bindings.insert(Bindable::EditRisk, keys(&["e"]));
        bindings.insert(Bindable::Sign, keys(&["S"]));
        bindings.insert(Bindable::Supersede, keys(&["N"]));
        bindings.insert(Bindable::Join, keys(&["P"]));
        bindings.insert(Bindable::Abandon, keys(&["A"]));
        bindings.insert(Bindable::Finish, keys(&["F"]));
        bindings.insert(Bindable::Todo, keys(&["t"]));
        KeyMap { bindings }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    #[serde(default)]
    keys: BTreeMap<String, Vec<String>>,
}

impl KeyMap {
    /// The user's key file: `keys.toml` in the user's anbao config folder
    /// (`$ANBAO_CONFIG_DIR`, else the platform's), the folder that also holds `keys/`.
    pub fn user_file() -> Option<PathBuf> {
        crate::ledger::keys::config_dir().map(|d| d.join("keys.toml"))
    }

    /// The defaults with the file's bindings replacing those of the actions it names.
    pub fn load(path: Option<&Path>) -> Result<KeyMap, InputError> {
        let mut map = KeyMap::default();
        let Some(path) = path else { return Ok(map) };
        let Some(text) = crate::fsutil::read_text_if_present(path, crate::fsutil::CONFIG_LIMIT)?
        else {
            return Ok(map);
        };
        let file: KeyFile = crate::workspace::parse_toml(path, &text)?;
        for (name, keys) in file.keys {
            let Some(b) = Bindable::ALL.into_iter().find(|b| b.name() == name) else {
                let known: Vec<_> = Bindable::ALL.iter().map(|b| b.name()).collect();
                return Err(InputError::new(
                    path,
                    Location::File,
                    format!("unknown action '{name}'; known: {}", known.join(", ")),
                ));
            };
            let parsed = keys
                .iter()
                .map(|k| {
                    Key::parse(k).ok_or_else(|| {
                        InputError::whole_file(path, format!("'{k}' is not a key (for '{name}')"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            map.bindings.insert(b, parsed);
        }
        Ok(map)
    }

    /// The keys of an intent, for hints.
    pub fn keys(&self, b: Bindable) -> &[Key] {
        self.bindings.get(&b).map_or(&[], Vec::as_slice)
    }

    /// The action a key press means, given whether a text field has the focus.
    pub fn action_for_key(&self, ev: &KeyEvent, typing: bool) -> Option<Action> {
        self.action_where(ev, typing, |_| true)
    }

    /// The action a key press means on `screen`: a key bound to several intents means the one
    /// that acts there (`d` is "step done" on Drills and "take the answer from data" on
    /// Assessment).
    pub fn action_on(
        &self,
        ev: &KeyEvent,
        typing: bool,
        screen: super::app::Screen,
    ) -> Option<Action> {
        self.action_where(ev, typing, |b| b.on_screen(screen))
    }

    fn action_where(
        &self,
        ev: &KeyEvent,
        typing: bool,
        acts: impl Fn(Bindable) -> bool,
    ) -> Option<Action> {
        if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Action::Quit);
        }
        if typing {
            return match ev.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Enter => Some(Action::FilterDone),
                KeyCode::Backspace => Some(Action::FilterBackspace),
                // Moving between a form's fields and changing its levels and choices.
                KeyCode::Up | KeyCode::BackTab => Some(Action::Up),
                KeyCode::Down | KeyCode::Tab => Some(Action::Down),
                KeyCode::Left => Some(Action::Left),
                KeyCode::Right => Some(Action::Right),
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(Action::FilterChar(c))
                }
                _ => None,
            };
        }
        if let KeyCode::Char(d @ '1'..='9') = ev.code {
            return Some(Action::GoToScreen(d as usize - '1' as usize));
        }
        Bindable::ALL
            .into_iter()
            .filter(|b| acts(*b))
            .find(|b| self.keys(*b).iter().any(|k| k.matches(ev)))
            .map(Bindable::action)
            .or(match ev.code {
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(Action::Char(c))
                }
                _ => None,
            })
    }
}

/// The action a mouse event means: the wheel scrolls, a left click selects.
pub fn action_for_mouse(ev: &MouseEvent) -> Option<Action> {
    match ev.kind {
        MouseEventKind::ScrollUp => Some(Action::Up),
        MouseEventKind::ScrollDown => Some(Action::Down),
        MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left) => {
            Some(Action::Click(ev.row))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_map_keys_to_actions() {
        let m = KeyMap::default();
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('q')), false),
            Some(Action::Quit)
        ));
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('/')), false),
            Some(Action::StartFilter)
        ));
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('2')), false),
            Some(Action::GoToScreen(1))
        ));
        // While typing a filter, letters are text.
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('q')), true),
            Some(Action::FilterChar('q'))
        ));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(
            m.action_for_key(&ctrl_c, true),
            Some(Action::Quit)
        ));
    }

    #[test]
    fn a_user_file_overrides_bindings_and_bad_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, "[keys]\nquit = [\"ctrl-q\"]\nhelp = [\"h\"]\n").unwrap();
        let m = KeyMap::load(Some(&path)).unwrap();
        // 'q' no longer quits; as an unbound character it goes to the screen.
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('q')), false),
            Some(Action::Char('q'))
        ));
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert!(matches!(
            m.action_for_key(&ctrl_q, false),
            Some(Action::Quit)
        ));
        assert!(matches!(
            m.action_for_key(&press(KeyCode::Char('h')), false),
            Some(Action::ToggleHelp)
        ));
        std::fs::write(&path, "[keys]\nfly = [\"f\"]\n").unwrap();
        assert!(KeyMap::load(Some(&path))
            .unwrap_err()
            .message
            .contains("unknown action 'fly'"));
        std::fs::write(&path, "[keys]\nquit = [\"notakey\"]\n").unwrap();
        assert!(KeyMap::load(Some(&path)).is_err());
        assert!(KeyMap::load(Some(&dir.path().join("absent.toml"))).is_ok());
    }
}
