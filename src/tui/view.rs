//! Drawing: reads the state, changes nothing. The layout is a pure function of the terminal
//! size, so mouse clicks can be mapped to rows without asking the last frame.

use super::app::{App, LoadState, Screen};
use super::keys::Bindable;
use super::records::RecordsScreen;
use super::text;
use crate::i18n::Lang;
use crate::policy::Verdict;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};
use ratatui::Frame;

const TABS_HEIGHT: u16 = 1;
pub(super) const SUMMARY_HEIGHT: u16 = 2;
pub(super) const FILTER_HEIGHT: u16 = 1;
const FOOTER_HEIGHT: u16 = 1;

pub(super) fn deadlines_height(size: (u16, u16)) -> u16 {
    if size.1 >= 20 {
        4
    } else {
        0
    }
}

/// Terminal row of the first table row (below its header).
pub fn table_top(_size: (u16, u16)) -> u16 {
    TABS_HEIGHT + SUMMARY_HEIGHT + FILTER_HEIGHT + 1
}

/// How many table rows fit.
pub fn table_rows(size: (u16, u16)) -> usize {
    let used = table_top(size) + deadlines_height(size) + FOOTER_HEIGHT;
    usize::from(size.1.saturating_sub(used)).max(1)
}

#[cfg(test)]
thread_local! {
    /// Table rows formatted on this thread, so tests can prove that drawing a long list
    /// formats only the rows on screen.
    pub(super) static FORMATTED_ROWS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one formatted table row (in tests only; nothing in a release build).
pub(super) fn count_formatted() {
    #[cfg(test)]
    FORMATTED_ROWS.with(|c| c.set(c.get() + 1));
}

pub(crate) fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Styles that fall back to plain text without colour (NO_COLOR), and that read on dark and
/// light backgrounds alike: only the standard accent colours, emphasis by modifiers.
pub(crate) struct Theme {
    pub(super) color: bool,
}

impl Theme {
    pub(super) fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub(super) fn verdict(&self, v: Verdict) -> Style {
        match v {
            Verdict::Pass => self.fg(Color::Green),
            Verdict::Warn => self.fg(Color::Yellow),
            Verdict::InsufficientEvidence => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Verdict::Fail => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Verdict::NotApplicable => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub(super) fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub(super) fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub(super) fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let theme = Theme { color: app.color };
    let area = frame.area();
    let [tabs, body, footer] = Layout::vertical([
        Constraint::Length(TABS_HEIGHT),
        Constraint::Fill(1),
        Constraint::Length(FOOTER_HEIGHT),
    ])
    .areas(area);
    draw_tabs(frame, app, &theme, tabs);
    // The drills screen has its own data and does not wait for the acceptance check.
    match &app.load {
        _ if app.screen == Screen::Drills => super::drills_view::draw(frame, app, body),
        // The ledger loads on its own, whatever happens to the inventory.
        _ if app.screen == Screen::Records => super::records_view::draw(frame, app, &theme, body),
        LoadState::Loading { done, total, file } => {
            draw_loading(frame, app, body, *done, *total, file)
        }
        LoadState::Failed(message) => {
            let text = vec![
                Line::styled(
                    pick(
                        app.lang,
                        "无法加载工作区：",
                        "Could not load the workspace:",
                    ),
                    theme.fg(Color::Red).add_modifier(Modifier::BOLD),
                ),
                Line::raw(message.as_str()),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), body);
        }
        LoadState::Ready => match (app.screen, &app.acceptance) {
            (Screen::Acceptance, Some(a)) => {
                super::acceptance_view::draw_acceptance(frame, app, &theme, a, body)
            }
            (Screen::Acceptance, None) => {}
            (Screen::Assessment, _) => super::assess_view::draw_assessment(frame, app, body),
            (Screen::Risks, _) => super::risks_view::draw_risks(frame, app, body),
            // Drawn above, whatever the acceptance check's state.
            (Screen::Drills, _) => {}
            (Screen::Records, _) => {}
        },
    }
    draw_dialogs(frame, app, &theme, body);
    draw_footer(frame, app, &theme, footer);
    if app.help_open {
        // Drawn over the whole body rather than as a floating box: a box edge would cut
        // double-width characters beneath it in half.
        frame.render_widget(Clear, body);
        draw_help(frame, app, &theme, body);
    }
    drop_hazards(frame.buffer_mut());
}

/// Leaves nothing in the frame that a terminal would act on rather than show. ratatui already
/// drops control characters from what it draws; the bidirectional overrides it keeps (they are
/// not controls, and one in a name reverses the rest of the line) go the same way, here, once
/// for every screen.
fn drop_hazards(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.symbol().chars().any(crate::inert::is_hazard) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|&c| !crate::inert::is_hazard(c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// A dialog open on the screen, over its body: the "who are you?" question first.
fn draw_dialogs(frame: &mut Frame, app: &App, theme: &Theme, body: Rect) {
    use super::dialog_view::{draw_form, draw_sign};
    if let Some((form, _)) = &app.name_prompt {
        return draw_form(frame, app, theme, form, body);
    }
    let assessing = matches!(app.screen, Screen::Assessment | Screen::Risks);
    if let (true, Some(a)) = (assessing, &app.assess) {
        if let Some(d) = &a.sign {
            draw_sign(frame, app, theme, d, body);
        } else if let Some((_, form)) = &a.form {
            draw_form(frame, app, theme, form, body);
        }
    }
    if let (Screen::Drills, Some(d)) = (app.screen, app.drills_state()) {
        if let Some((_, dialog)) = &d.sign {
            draw_sign(frame, app, theme, dialog, body);
        } else if let Some((_, form)) = &d.form {
            draw_form(frame, app, theme, form, body);
        }
    }
    if let Some(d) = records_sign(app) {
        draw_sign(frame, app, theme, d, body);
    }
}

/// The co-signature being confirmed on the Records screen.
fn records_sign(app: &App) -> Option<&super::signing::SignDialog> {
    match (&app.screen, &app.records) {
        (Screen::Records, RecordsScreen::Ready(r)) => {
            r.todo.as_ref()?.sign.as_ref().map(|(_, d)| d)
        }
        _ => None,
    }
}

/// Whether a dialog takes the keys (its own keys are on its border).
fn dialog_open(app: &App) -> bool {
    app.name_prompt.is_some()
        || records_sign(app).is_some()
        || (app.screen == Screen::Drills
            && app
                .drills_state()
                .is_some_and(|d| d.form.is_some() || d.sign.is_some()))
        || (matches!(app.screen, Screen::Assessment | Screen::Risks)
            && app
                .assess
                .as_ref()
                .is_some_and(|a| a.form.is_some() || a.sign.is_some()))
}

const BRAND: &str = " 安保 anbao ";

fn tab_label(i: usize, screen: Screen, lang: Lang) -> String {
    format!(" {} {} ", i + 1, screen.title(lang))
}

/// The screen whose tab is drawn at `column` of the top row, for mouse clicks.
pub fn tab_at(column: u16, lang: Lang) -> Option<usize> {
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut x = width(BRAND);
    for (i, screen) in Screen::ALL.iter().enumerate() {
        let w = width(&tab_label(i, *screen, lang));
        if (x..x + w).contains(&usize::from(column)) {
            return Some(i);
        }
        x += w;
    }
    None
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = vec![Span::styled(BRAND, theme.bold())];
    for (i, s) in Screen::ALL.iter().enumerate() {
        let label = tab_label(i, *s, app.lang);
        let style = if *s == app.screen {
            theme.selected()
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Line::from(spans), area);
    let lang = Line::from(pick(app.lang, "中文 ", "EN ")).alignment(Alignment::Right);
    frame.render_widget(lang, area);
}

fn draw_loading(frame: &mut Frame, app: &App, area: Rect, done: usize, total: usize, file: &str) {
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    let ratio = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    let label = format!(
        "{} {file} ({done}/{total})",
        pick(app.lang, "正在读取", "Reading")
    );
    let gauge = Gauge::default()
        .block(Block::default().borders(Borders::ALL))
        .ratio(ratio.clamp(0.0, 1.0))
        .label(label);
    frame.render_widget(gauge, middle);
}

/// The footer of a detail view, on every screen that has one.
pub(super) const DETAIL_HINTS: [Bindable; 5] = [
    Bindable::Back,
    Bindable::Up,
    Bindable::Down,
    Bindable::Help,
    Bindable::Quit,
];

fn draw_footer(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let detail = app.acceptance.as_ref().is_some_and(|a| a.detail.is_some());
    let typing = app.is_typing();
    let assessing = matches!(app.screen, Screen::Assessment | Screen::Risks);
    let running = app.drills_state().is_some_and(|d| d.run.is_some());
    let hints: Vec<Bindable> = if typing || dialog_open(app) {
        Vec::new()
    } else if assessing {
        super::assess_view::hints(app)
    } else if app.screen == Screen::Drills && running {
        vec![
            Bindable::StepStart,
            Bindable::StepDone,
            Bindable::StepSkip,
            Bindable::StepFail,
            Bindable::Observe,
            Bindable::Finish,
            Bindable::Abandon,
            Bindable::Join,
            Bindable::Evidence,
            Bindable::Help,
        ]
    } else if app.screen == Screen::Drills {
        vec![
            Bindable::Open,
            Bindable::Up,
            Bindable::Down,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ]
    } else if app.screen == Screen::Records {
        super::records_view::footer_hints(app)
    } else if detail {
        DETAIL_HINTS.to_vec()
    } else {
        vec![
            Bindable::Open,
            Bindable::Filter,
            Bindable::VerdictFilter,
            Bindable::CategoryFilter,
            Bindable::VulnFilter,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ]
    };
    let mut spans = Vec::new();
    if typing && !dialog_open(app) {
        let (zh, en) = if assessing || app.screen == Screen::Drills {
            (
                " 输入文字 · Enter 保存 · Esc 取消",
                " type · Enter saves · Esc cancels",
            )
        } else {
            (
                " 输入筛选文字 · Enter 确定 · Esc 取消",
                " type to filter · Enter done · Esc cancel",
            )
        };
        spans.push(Span::styled(pick(app.lang, zh, en), theme.dim()));
    }
    // Hints that do not fit are left out whole rather than cut, and help, the way to all the
    // keys, always stays.
    let hint = |b: Bindable| {
        let k = app.keymap.keys(b).first()?.label();
        Some((format!(" {k} "), format!(" {} ", b.short(app.lang))))
    };
    let cols = |(k, t): &(String, String)| text::width(k) + text::width(t);
    let mut reserved = if hints.contains(&Bindable::Help) {
        hint(Bindable::Help).map_or(0, |h| cols(&h))
    } else {
        0
    };
    let mut used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    for b in hints {
        let Some(h) = hint(b) else { continue };
        if b == Bindable::Help {
            reserved = 0;
        }
        let room = usize::from(area.width).saturating_sub(reserved);
        if used + cols(&h) > room {
            continue;
        }
        used += cols(&h);
        spans.push(Span::styled(h.0, theme.selected()));
        spans.push(Span::raw(h.1));
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_help(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let l = app.lang;
    let mut entries: Vec<(String, &str)> = Bindable::ALL
        .into_iter()
        .filter(|b| b.on_screen(app.screen))
        .map(|b| {
            let keys: Vec<String> = app.keymap.keys(b).iter().map(|k| k.label()).collect();
            (keys.join(" "), b.describe(l))
        })
        .collect();
    entries.push(("1-9".into(), pick(l, "切换页签", "go to screen")));
    let title = match l {
        Lang::Zh => format!(" 帮助：{} · ? 关闭 ", app.screen.title(l)),
        Lang::En => format!(" Help: {} · ? to close ", app.screen.title(l)),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(
        Line::styled(
            pick(
                l,
                "按键（可在 keys.toml 中修改）",
                "Keys (change them in keys.toml)",
            ),
            theme.bold(),
        ),
        head,
    );
    // Two columns when one does not hold every key.
    let columns = if entries.len() > usize::from(body.height) {
        2
    } else {
        1
    };
    let per_column = entries.len().div_ceil(columns);
    let areas = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(body);
    for (chunk, column) in entries.chunks(per_column.max(1)).zip(areas.iter()) {
        let key_width = if columns == 1 { 14 } else { 9 };
        let room = usize::from(column.width).saturating_sub(key_width + 2);
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(keys, what)| {
                Line::from(vec![
                    Span::styled(
                        format!("{:>key_width$}  ", super::text::fit(keys, key_width)),
                        theme.bold(),
                    ),
                    Span::raw(super::text::fit(what, room)),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), *column);
    }
}

#[cfg(test)]
pub(crate) mod snapshots {
    use super::super::app::{update, Action, App};
    use super::super::keys::KeyMap;
    use crate::i18n::Lang;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    /// The demo workspace, loaded once and cloned into each test's app.
    fn demo() -> &'static (crate::acceptance::Report, crate::inventory::Inventory) {
        static DEMO: OnceLock<(crate::acceptance::Report, crate::inventory::Inventory)> =
            OnceLock::new();
        DEMO.get_or_init(|| {
            // The demo's tracked files only (a user's records or database in the repository
            // root must not change a snapshot), with the real OSV fixtures imported.
            let demo = crate::demo::demo_copy();
            crate::vuln::import::import(
                &demo.path().join("vulndb"),
                &[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vuln/osv")],
                &Default::default(),
            )
            .unwrap();
            let loaded = super::super::load_workspace(
                Some(demo.path().to_path_buf()),
                "2026-11-28".parse().unwrap(),
                &|_, _, _| {},
            )
            .unwrap();
            (loaded.report, loaded.inventory)
        })
    }

    fn app(lang: Lang, size: (u16, u16)) -> App {
        let mut app = App::new(lang, KeyMap::default(), false, size);
        let (report, inventory) = demo().clone();
        update(
            &mut app,
            Action::Loaded(Box::new(super::super::app::Loaded { report, inventory })),
        );
        app
    }

    pub(crate) fn render(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
        terminal.draw(|f| super::draw(f, app)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    pub(in crate::tui) fn langs() -> [(Lang, &'static str); 2] {
        [(Lang::Zh, "zh"), (Lang::En, "en")]
    }

    #[test]
    fn acceptance_table_at_both_sizes_in_both_languages() {
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let app = app(lang, size);
                insta::assert_snapshot!(
                    format!("acceptance_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
            }
        }
    }

    #[test]
    fn typing_a_filter_narrows_the_table() {
        for (lang, code) in langs() {
            let mut app = app(lang, (120, 40));
            for a in [
                Action::StartFilter,
                Action::FilterChar('t'),
                Action::FilterChar('o'),
                Action::FilterChar('n'),
                Action::FilterChar('g'),
                Action::FilterDone,
            ] {
                update(&mut app, a);
            }
            let a = app.acceptance.as_ref().unwrap();
            assert!(a.visible.len() < a.report.components.len());
            insta::assert_snapshot!(format!("acceptance_filter_tong_{code}"), render(&app));
        }
    }

    #[test]
    fn a_filter_matching_nothing_says_so_and_cut_cells_end_with_an_ellipsis() {
        for (lang, _) in langs() {
            let mut app = app(lang, (80, 24));
            let screen = render(&app);
            let row = screen.lines().find(|l| l.contains("kingba")).unwrap();
            assert!(row.contains("kingb…"), "{screen}");
            update(&mut app, Action::StartFilter);
            for c in "zzzz".chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            let screen = render(&app);
            let said = match lang {
                Lang::Zh => "没有符合筛选条件的组件",
                Lang::En => "No component matches the filters",
            };
            assert!(screen.contains(said), "{screen}");
        }
    }

    #[test]
    fn verdict_and_category_filters_cycle() {
        let mut app = app(Lang::En, (80, 24));
        update(&mut app, Action::CycleVerdictFilter);
        let a = app.acceptance.as_ref().unwrap();
        assert!(a
            .visible
            .iter()
            .all(|&i| a.report.components[i].verdict == crate::policy::Verdict::Fail));
        // Three products, and pdfjs-dist with a known high vulnerability inside the platform.
        assert_eq!(a.visible.len(), 4);
        update(&mut app, Action::ClearFilters);
        update(&mut app, Action::CycleCategoryFilter);
        let a = app.acceptance.as_ref().unwrap();
        let first = a.report.categories[0].id.clone();
        assert!(a
            .visible
            .iter()
            .all(|&i| a.report.components[i].category.as_deref() == Some(first.as_str())));
    }

    #[test]
    fn opening_a_failing_component_shows_findings_evidence_and_paths() {
        for (lang, code) in langs() {
            let mut app = app(lang, (120, 40));
            update(&mut app, Action::Open);
            let detail = app.acceptance.as_ref().unwrap().detail.as_ref().unwrap();
            assert!(!detail.paths.is_empty());
            insta::assert_snapshot!(format!("acceptance_detail_{code}"), render(&app));
            update(&mut app, Action::Back);
            assert!(app.acceptance.as_ref().unwrap().detail.is_none());
        }
    }

    #[test]
    fn the_component_detail_lists_the_inventory_findings_about_it() {
        for (lang, code) in langs() {
            let mut app = app(lang, (120, 40));
            update(&mut app, Action::StartFilter);
            for c in "ueditor".chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            update(&mut app, Action::Open);
            let screen = render(&app);
            let (ours, other) = match lang {
                Lang::Zh => ("missing-version 组件没有版本号", "has no version"),
                Lang::En => (
                    "missing-version the component has no version",
                    "组件没有版本号",
                ),
            };
            assert!(screen.contains(ours), "{screen}");
            assert!(!screen.contains(other), "{screen}");
            assert!(screen.contains("inventories/platform-sbom.cdx.json /components/273"));
            insta::assert_snapshot!(format!("acceptance_inventory_finding_{code}"), screen);
        }
    }

    #[test]
    fn names_with_escape_sequences_are_drawn_inert() {
        let ws = crate::demo::demo_copy();
        std::fs::copy(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/hostile/escape-sequences.cdx.json"),
            ws.path().join("inventories/escape-sequences.cdx.json"),
        )
        .unwrap();
        let loaded = super::super::load_workspace(
            Some(ws.path().to_path_buf()),
            "2026-11-28".parse().unwrap(),
            &|_, _, _| {},
        )
        .unwrap();
        let mut app = App::new(Lang::En, KeyMap::default(), false, (160, 40));
        update(
            &mut app,
            Action::Loaded(Box::new(super::super::app::Loaded {
                report: loaded.report,
                inventory: loaded.inventory,
            })),
        );
        for name in ["portal", "screen-clear", "hyperlink", "c1-csi", "invoice"] {
            update(&mut app, Action::ClearFilters);
            update(&mut app, Action::StartFilter);
            for c in name.chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            let table = render(&app);
            assert!(table.contains(name), "{name}: {table}");
            update(&mut app, Action::Open);
            let detail = render(&app);
            update(&mut app, Action::Back);
            for screen in [&table, &detail] {
                let live: Vec<char> = screen
                    .chars()
                    .filter(|&c| crate::inert::is_hazard(c) && c != '\n')
                    .collect();
                assert!(live.is_empty(), "{name}: {live:?} drawn in\n{screen}");
            }
        }
    }

    #[test]
    fn the_vulnerability_filter_and_the_component_detail_list_known_vulnerabilities() {
        for (lang, code) in langs() {
            let mut app = app(lang, (120, 40));
            update(&mut app, Action::CycleVulnFilter);
            let a = app.acceptance.as_ref().unwrap();
            let shown: Vec<&str> = a
                .visible
                .iter()
                .map(|&i| &*a.report.components[i].component)
                .collect();
            assert_eq!(shown, ["pdfjs-dist@3.11.174"]);
            insta::assert_snapshot!(format!("acceptance_vuln_filter_{code}"), render(&app));
            update(&mut app, Action::Open);
            insta::assert_snapshot!(format!("acceptance_vuln_detail_{code}"), render(&app));
            update(&mut app, Action::Back);
            update(&mut app, Action::CycleVulnFilter);
            update(&mut app, Action::CycleVulnFilter);
            assert!(app.acceptance.as_ref().unwrap().vuln_filter.is_none());
        }
    }

    #[test]
    fn help_overlay_and_language_switch() {
        let mut app = app(Lang::Zh, (80, 24));
        update(&mut app, Action::ToggleHelp);
        insta::assert_snapshot!("help_zh_80x24", render(&app));
        update(&mut app, Action::ToggleLang);
        insta::assert_snapshot!("help_en_80x24", render(&app));
        update(&mut app, Action::Back);
        assert!(!app.help_open);
    }

    #[test]
    fn moving_past_the_screen_scrolls_and_resizing_keeps_the_selection_visible() {
        let mut app = app(Lang::En, (80, 24));
        for _ in 0..30 {
            update(&mut app, Action::Down);
        }
        let a = app.acceptance.as_ref().unwrap();
        assert_eq!(a.selected, 30);
        assert!(a.offset > 0 && a.selected < a.offset + super::table_rows(app.size));
        update(&mut app, Action::Resize(80, 12));
        let a = app.acceptance.as_ref().unwrap();
        assert!(a.selected < a.offset + super::table_rows(app.size));
        update(&mut app, Action::End);
        assert_eq!(
            app.acceptance.as_ref().unwrap().selected,
            app.acceptance.as_ref().unwrap().visible.len() - 1
        );
    }

    #[test]
    fn a_click_selects_a_row_and_a_second_click_opens_it() {
        let mut app = app(Lang::En, (80, 24));
        let top = super::table_top(app.size);
        update(&mut app, Action::Click(top + 2));
        assert_eq!(app.acceptance.as_ref().unwrap().selected, 2);
        update(&mut app, Action::Click(top + 2));
        assert!(app.acceptance.as_ref().unwrap().detail.is_some());
    }

    /// Rows formatted while drawing `app` once.
    pub(in crate::tui) fn rows_formatted_by_a_draw(app: &App) -> usize {
        super::FORMATTED_ROWS.with(|c| c.set(0));
        render(app);
        super::FORMATTED_ROWS.with(|c| c.get())
    }

    #[test]
    fn a_table_of_50000_components_formats_only_the_rows_on_screen() {
        let (mut report, inventory) = demo().clone();
        let base = report.components.clone();
        while report.components.len() < 50_000 {
            let mut row = base[report.components.len() % base.len()].clone();
            row.name = format!("{}-{}", row.name, report.components.len());
            report.components.push(row);
        }
        let mut app = App::new(Lang::En, KeyMap::default(), false, (80, 24));
        update(
            &mut app,
            Action::Loaded(Box::new(super::super::app::Loaded { report, inventory })),
        );
        let rows = super::table_rows(app.size);
        assert_eq!(rows_formatted_by_a_draw(&app), rows);
        // Deep in the table, after paging and jumping, still only the window.
        for _ in 0..100 {
            update(&mut app, Action::PageDown);
        }
        update(&mut app, Action::End);
        let a = app.acceptance.as_ref().unwrap();
        assert_eq!(a.selected, 49_999);
        assert_eq!(rows_formatted_by_a_draw(&app), rows);
        update(&mut app, Action::Resize(120, 40));
        assert_eq!(rows_formatted_by_a_draw(&app), super::table_rows(app.size));
    }

    #[test]
    fn a_click_on_a_tab_names_its_screen_in_both_languages() {
        for (lang, _) in langs() {
            let app = app(lang, (80, 24));
            let top = render(&app).lines().next().unwrap().to_string();
            for (i, screen) in super::Screen::ALL.iter().enumerate() {
                // The column where the tab's title starts, counted in display columns.
                let title = screen.title(lang);
                let at = top.find(title).unwrap();
                let column = unicode_width::UnicodeWidthStr::width(&top[..at]) as u16;
                assert_eq!(super::tab_at(column, lang), Some(i), "{title}");
            }
            assert_eq!(super::tab_at(0, lang), None, "the brand is no tab");
            assert_eq!(super::tab_at(79, lang), None);
        }
    }

    #[test]
    fn an_empty_inventory_is_insufficient_evidence_not_a_pass() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(root.join("anbao.toml"), dir.path().join("anbao.toml")).unwrap();
        std::fs::create_dir(dir.path().join("inventories")).unwrap();
        let checklists = dir.path().join("checklists");
        std::fs::create_dir(&checklists).unwrap();
        // Every checklist the manifest names, so the test follows the manifest as it grows.
        for entry in std::fs::read_dir(root.join("checklists")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                std::fs::copy(&path, checklists.join(path.file_name().unwrap())).unwrap();
            }
        }
        let loaded = super::super::load_workspace(
            Some(dir.path().to_path_buf()),
            "2026-11-28".parse().unwrap(),
            &|_, _, _| {},
        )
        .unwrap();
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let mut app = App::new(lang, KeyMap::default(), false, (80, 24));
            update(
                &mut app,
                Action::Loaded(Box::new(super::super::app::Loaded {
                    report: loaded.report.clone(),
                    inventory: loaded.inventory.clone(),
                })),
            );
            insta::assert_snapshot!(format!("acceptance_insufficient_{code}"), render(&app));
        }
    }

    #[test]
    fn loading_and_failure_screens() {
        let mut app = App::new(Lang::Zh, KeyMap::default(), false, (80, 24));
        update(
            &mut app,
            Action::Progress {
                done: 1,
                total: 3,
                file: "hardware.csv".into(),
            },
        );
        insta::assert_snapshot!("loading_zh_80x24", render(&app));
        update(
            &mut app,
            Action::LoadFailed("anbao.toml:3:1: unknown field `colour`".into()),
        );
        insta::assert_snapshot!("failed_zh_80x24", render(&app));
    }
}
