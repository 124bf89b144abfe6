//! Drawing the Assessment and Risks screens: reads the state, changes nothing. The item list's
//! height is a pure function of the terminal size, like the acceptance table's.

use super::app::{App, Screen};
use super::assess::{AssessState, FieldKind, Line as ListLine, Pick};
use super::keys::Bindable;
use crate::assessment::definition::Meaning;
use crate::assessment::signoff::SignState;
use crate::i18n::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

const HEADER: u16 = 2;
const MESSAGE: u16 = 1;

fn detail_height(size: (u16, u16)) -> u16 {
    if size.1 >= 30 {
        10
    } else if size.1 >= 20 {
        7
    } else {
        3
    }
}

/// How many lines of the item list fit (tabs and footer take one row each).
pub fn item_rows(size: (u16, u16)) -> usize {
    let used = 2 + HEADER + MESSAGE + detail_height(size);
    usize::from(size.1.saturating_sub(used)).max(1)
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn reversed() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Cuts `s` to `max` display columns, never inside a double-width character.
fn fit(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > max {
            if used < max {
                out.push('…');
            } else {
                out.pop();
                out.push('…');
            }
            return out;
        }
        out.push(ch);
        used += w;
    }
    out
}

fn level_color(color: bool, level: u8) -> Style {
    let c = match level {
        1 => Color::Green,
        2 => Color::Cyan,
        3 => Color::Yellow,
        4 => Color::LightRed,
        _ => Color::Red,
    };
    fg(color, c)
}

/// The keys the footer shows on these screens.
pub fn hints(app: &App) -> Vec<Bindable> {
    let open = app.assess.as_ref().is_some_and(|a| a.open.is_some());
    match (app.screen, open) {
        (Screen::Risks, true) => vec![
            Bindable::Open,
            Bindable::Treatment,
            Bindable::Owner,
            Bindable::Due,
            Bindable::Approver,
            Bindable::Help,
            Bindable::Quit,
        ],
        (_, true) => vec![
            Bindable::Confirm,
            Bindable::Note,
            Bindable::Evidence,
            Bindable::Derived,
            Bindable::Role,
            Bindable::Back,
            Bindable::Help,
        ],
        (_, false) => vec![
            Bindable::Open,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ],
    }
}

fn sign_text(lang: Lang, s: &SignState) -> String {
    s.describe(lang)
}

fn no_state(frame: &mut Frame, app: &App, area: Rect) {
    let text = pick(app.lang, "正在读取评估……", "Reading the assessments…");
    frame.render_widget(Paragraph::new(text), area);
}

pub fn draw_assessment(frame: &mut Frame, app: &App, area: Rect) {
    let Some(s) = &app.assess else {
        return no_state(frame, app, area);
    };
    let l = app.lang;
    let [header, list, detail, message] = Layout::vertical([
        Constraint::Length(HEADER),
        Constraint::Fill(1),
        Constraint::Length(detail_height(app.size)),
        Constraint::Length(MESSAGE),
    ])
    .areas(area);
    let Some(open) = &s.open else {
        draw_picker(frame, app, s, area);
        return;
    };
    let cl = &open.checklist;
    let p = open.session.progress(cl, None);
    let role_name = cl.role(&s.role).map_or(s.role.as_str(), |r| match l {
        Lang::Zh => r.name.as_str(),
        Lang::En => r.name_en.as_str(),
    });
    let title = match l {
        Lang::Zh => &cl.title,
        Lang::En => &cl.title_en,
    };
    let head = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", open.session.id), bold()),
            Span::raw(fit(
                title,
                usize::from(area.width).saturating_sub(open.session.id.len() + 3),
            )),
        ]),
        Line::from(vec![
            Span::raw(format!(
                " {} {}/{} · {} {} · {} {} · ",
                pick(l, "已答复", "answered"),
                p.answered,
                p.applicable,
                pick(l, "待确认", "unconfirmed"),
                p.unconfirmed,
                pick(l, "风险", "risks"),
                open.session.risk_views(cl).len(),
            )),
            Span::styled(format!("{role_name} {}", s.person), bold()),
            Span::styled(format!(" · {}", sign_text(l, &open.sign_state)), dim()),
        ]),
    ];
    frame.render_widget(Paragraph::new(head), header);

    let rows = usize::from(list.height);
    let width = usize::from(list.width);
    let mut lines = Vec::new();
    for (i, line) in open.lines.iter().enumerate().skip(s.offset).take(rows) {
        match line {
            ListLine::Section(id) => {
                let sec = cl.section(id).expect("validated");
                let sp = open.session.progress(cl, Some(id));
                let name = match l {
                    Lang::Zh => &sec.name,
                    Lang::En => &sec.name_en,
                };
                lines.push(Line::styled(
                    fit(
                        &format!("▸ {name}  {}/{}", sp.answered, sp.applicable),
                        width,
                    ),
                    bold(),
                ));
            }
            ListLine::Item(id) => {
                let item = cl.item(id).expect("listed");
                let answer = open.session.answers.get(id);
                let (mark, style) = match answer.map(|a| a.meaning) {
                    None => ("·", Style::new()),
                    Some(Meaning::Conforming) => ("✓", fg(app.color, Color::Green)),
                    Some(Meaning::Partly) => ("◐", fg(app.color, Color::Yellow)),
                    Some(Meaning::NotConforming) => ("✗", fg(app.color, Color::Red)),
                    Some(Meaning::NotApplicable) => ("–", dim()),
                };
                let confirm = match answer {
                    Some(a) if item.confirmed_by.is_some() && a.confirmation.is_none() => "?",
                    Some(_) => " ",
                    None if open.offers.contains_key(id) => "◆",
                    None => " ",
                };
                let question = match l {
                    Lang::Zh => &item.question,
                    Lang::En => &item.question_en,
                };
                let text = format!(" {mark}{confirm} {:<6} {question}", item.id);
                let mut row_style = style;
                if i == s.cursor {
                    row_style = row_style.add_modifier(Modifier::REVERSED);
                }
                lines.push(Line::styled(fit(&text, width), row_style));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), list);
    draw_item_detail(frame, app, s, detail);

    let msg = match (&s.field, &s.message) {
        (Some(f), _) => Line::from(vec![
            Span::styled(
                match (f.kind, l) {
                    (FieldKind::Note, Lang::Zh) => " 说明：",
                    (FieldKind::Note, Lang::En) => " note: ",
                    (FieldKind::Evidence, Lang::Zh) => " 证据文件路径：",
                    (FieldKind::Evidence, Lang::En) => " evidence file: ",
                    (FieldKind::Owner, Lang::Zh) => " 责任人：",
                    (FieldKind::Owner, Lang::En) => " owner: ",
                    (FieldKind::Approver, Lang::Zh) => " 批准人：",
                    (FieldKind::Approver, Lang::En) => " approver: ",
                    (FieldKind::Due, Lang::Zh) => " 期限（YYYY-MM-DD）：",
                    (FieldKind::Due, Lang::En) => " due (YYYY-MM-DD): ",
                },
                bold(),
            ),
            Span::raw(format!("{}▏", f.text)),
        ]),
        (None, Some((true, m))) => Line::styled(format!(" {m}"), fg(app.color, Color::Red)),
        (None, Some((false, m))) => Line::styled(format!(" {m}"), fg(app.color, Color::Green)),
        (None, None) => {
            let keys: Vec<String> = cl
                .answers
                .iter()
                .map(|a| {
                    format!(
                        "{} {}",
                        a.key,
                        match l {
                            Lang::Zh => &a.name,
                            Lang::En => &a.name_en,
                        }
                    )
                })
                .collect();
            Line::styled(
                format!(" {}: {}", pick(l, "答复", "answer"), keys.join(" · ")),
                dim(),
            )
        }
    };
    frame.render_widget(Paragraph::new(msg), message);
}

fn draw_picker(frame: &mut Frame, app: &App, s: &AssessState, area: Rect) {
    let l = app.lang;
    let mut lines = vec![
        Line::styled(
            pick(
                l,
                " 选择评估，或从检查表新建（Enter）",
                " Pick a session, or start one from a checklist (Enter)",
            ),
            bold(),
        ),
        Line::raw(""),
    ];
    for (i, p) in s.picks.iter().enumerate() {
        let text = match p {
            Pick::Session(id) => format!("  {} {id}", pick(l, "评估", "session")),
            Pick::Checklist(_, id) => {
                format!("  {} {id}", pick(l, "新建自检查表", "new from checklist"))
            }
        };
        let style = if i == s.pick {
            reversed()
        } else {
            Style::new()
        };
        lines.push(Line::styled(fit(&text, usize::from(area.width)), style));
    }
    if s.picks.is_empty() {
        lines.push(Line::raw(pick(
            l,
            "  checklists/ 中没有检查表",
            "  no checklist in checklists/",
        )));
    }
    if let Some((_, m)) = &s.message {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {m}"), fg(app.color, Color::Red)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_item_detail(frame: &mut Frame, app: &App, s: &AssessState, area: Rect) {
    let l = app.lang;
    let Some(open) = &s.open else { return };
    let Some(id) = s.current_item() else { return };
    let cl = &open.checklist;
    let item = cl.item(id).expect("listed");
    let (question, guidance, evidence) = match l {
        Lang::Zh => (&item.question, &item.guidance, &item.evidence),
        Lang::En => (&item.question_en, &item.guidance_en, &item.evidence_en),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", item.id), bold()),
        Span::raw(question.as_str()),
    ])];
    lines.push(Line::styled(
        format!(
            "{} · {} {} · {} {}",
            item.clauses.join("; "),
            pick(l, "答复方", "answers:"),
            item.answered_by,
            pick(l, "确认方", "confirms:"),
            item.confirmed_by.as_deref().unwrap_or("—")
        ),
        dim(),
    ));
    match open.session.answers.get(id) {
        Some(a) => {
            let option = cl.answer(&a.answer);
            let name = option.map_or(a.answer.as_str(), |o| match l {
                Lang::Zh => o.name.as_str(),
                Lang::En => o.name_en.as_str(),
            });
            let confirmed = match &a.confirmation {
                Some(c) => format!(
                    "{} {} ({})",
                    pick(l, "已确认", "confirmed by"),
                    c.person,
                    c.role
                ),
                None if item.confirmed_by.is_some() => {
                    pick(l, "待确认", "awaiting confirmation").to_string()
                }
                None => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{name} "), bold()),
                Span::raw(format!("{} ({}) · {confirmed}", a.person, a.role)),
            ]));
            if !a.note.is_empty() {
                lines.push(Line::raw(format!(
                    "{}: {}",
                    pick(l, "说明", "note"),
                    a.note
                )));
            }
            for e in &a.evidence {
                lines.push(Line::raw(format!(
                    "{}: {} {}",
                    pick(l, "证据", "evidence"),
                    e.path,
                    &e.hash[..e.hash.len().min(19)]
                )));
            }
        }
        None => lines.push(Line::styled(pick(l, "未答复", "not answered"), dim())),
    }
    if let Some(o) = open.offers.get(id) {
        let option = cl.answer_for(o.offered);
        lines.push(Line::styled(
            format!(
                "◆ {} {}: {}",
                pick(l, "数据给出", "from data:"),
                match l {
                    Lang::Zh => &option.name,
                    Lang::En => &option.name_en,
                },
                o.detail.get(l)
            ),
            fg(app.color, Color::Cyan),
        ));
    }
    if let Some(why) = open.undecided.get(id) {
        lines.push(Line::styled(
            format!(
                "◇ {} {}",
                pick(l, "数据尚不能得出答复：", "no answer from data:"),
                why.get(l)
            ),
            dim(),
        ));
    }
    if !guidance.is_empty() {
        lines.push(Line::styled(guidance.as_str(), dim()));
    }
    if !evidence.is_empty() {
        lines.push(Line::styled(
            format!("{}: {evidence}", pick(l, "所需证据", "evidence wanted")),
            dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::TOP)),
        area,
    );
}

pub fn draw_risks(frame: &mut Frame, app: &App, area: Rect) {
    let Some(s) = &app.assess else {
        return no_state(frame, app, area);
    };
    let l = app.lang;
    let Some(open) = &s.open else {
        frame.render_widget(
            Paragraph::new(pick(
                l,
                " 请先在“风险评估”页签打开一个评估",
                " Open a session on the Assessment screen first",
            )),
            area,
        );
        return;
    };
    let cl = &open.checklist;
    let m = &cl.method;
    let all = open.session.risk_views(cl);
    let listed = s.risk_items();
    let selected = listed.get(s.risk_selected);
    let cell = selected.map(|r| (r.score.likelihood, r.score.impact));
    let [map, register, message] = Layout::vertical([
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Length(MESSAGE),
    ])
    .areas(area);

    // The heat map: likelihood 5 at the top, impact 1 to 5 left to right.
    let grid = open.session.heat_map(cl);
    let mut lines = vec![Line::styled(
        format!(
            " {} · {}",
            pick(l, "风险热力图", "Risk heat map"),
            pick(
                l,
                "行：可能性  列：影响",
                "rows: likelihood, columns: impact"
            )
        ),
        bold(),
    )];
    for li in (1..=5u8).rev() {
        let mut spans = vec![Span::raw(format!("  {li} "))];
        for ii in 1..=5u8 {
            let n = grid[usize::from(li) - 1][usize::from(ii) - 1];
            let level = m
                .risk
                .level_of(m.calculation.value(&m.risk, li, ii))
                .unwrap_or(1);
            let mut style = level_color(app.color, level);
            if n > 0 {
                style = style.add_modifier(Modifier::BOLD);
            }
            if cell == Some((li, ii)) {
                style = style.add_modifier(Modifier::REVERSED);
            }
            let text = if n == 0 {
                "  ·  ".to_string()
            } else {
                format!("{n:^5}")
            };
            spans.push(Span::styled(format!("[{text}]"), style));
        }
        if li == 5 {
            spans.push(Span::styled(
                format!("   {} {}", all.len(), pick(l, "项风险", "risks")),
                bold(),
            ));
        }
        if li == 3 && s.cell_only {
            spans.push(Span::styled(
                pick(
                    l,
                    "   仅列出所选格（Esc 全部）",
                    "   listing the selected cell (Esc: all)",
                ),
                dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw("     1      2      3      4      5"));
    frame.render_widget(Paragraph::new(lines), map);

    let header = Row::new(vec![
        Cell::from(pick(l, "项", "Item")),
        Cell::from(pick(l, "风险", "Risk")),
        Cell::from("L/I"),
        Cell::from(pick(l, "处置", "Treatment")),
        Cell::from(pick(l, "责任人", "Owner")),
        Cell::from(pick(l, "期限", "Due")),
        Cell::from(pick(l, "批准人", "Approver")),
        Cell::from(pick(l, "资产", "Asset")),
    ])
    .style(bold());
    let rows: Vec<Row> = listed
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let asset = cl.asset(&r.asset).map_or(r.asset.as_str(), |a| match l {
                Lang::Zh => a.name.as_str(),
                Lang::En => a.name_en.as_str(),
            });
            let mut treatment = r
                .entry
                .treatment
                .map_or("—".to_string(), |t| t.name(l).to_string());
            if r.needs_approver {
                treatment.push('!');
            }
            let row = Row::new(vec![
                Cell::from(r.item.clone()),
                Cell::from(format!(
                    "{} {}",
                    r.score.risk,
                    m.level_name(r.score.risk, l)
                ))
                .style(level_color(app.color, r.score.risk)),
                Cell::from(format!("{}/{}", r.score.likelihood, r.score.impact)),
                Cell::from(treatment),
                Cell::from(r.entry.owner.clone()),
                Cell::from(r.entry.due.map(|d| d.to_string()).unwrap_or_default()),
                Cell::from(r.entry.approver.clone()),
                Cell::from(asset.to_string()),
            ]);
            if i == s.risk_selected {
                row.style(reversed())
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(4),
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Fill(1),
        ],
    )
    .header(header);
    if listed.is_empty() {
        frame.render_widget(Paragraph::new(pick(l, " 没有风险", " No risks")), register);
    } else {
        frame.render_widget(table, register);
    }
    let msg = match (&s.field, &s.message) {
        (Some(f), _) => Line::styled(format!(" > {}▏", f.text), bold()),
        (None, Some((true, t))) => Line::styled(format!(" {t}"), fg(app.color, Color::Red)),
        (None, Some((false, t))) => Line::styled(format!(" {t}"), fg(app.color, Color::Green)),
        (None, None) => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(msg), message);
}

#[cfg(test)]
mod snapshots {
    use super::super::app::{update, Action, App, Loaded};
    use super::super::assess::AssessState;
    use super::super::keys::KeyMap;
    use super::super::view::snapshots::render;
    use crate::i18n::Lang;
    use std::path::Path;

    const AS_OF: &str = "2026-11-28";

    /// A copy of the demo workspace and an app on it, loaded as the TUI loads it.
    fn app(lang: Lang, size: (u16, u16)) -> (tempfile::TempDir, App) {
        let dir = crate::demo::demo_copy();
        let as_of = AS_OF.parse().unwrap();
        let loaded =
            super::super::load_workspace(Some(dir.path().to_path_buf()), as_of, &|_, _, _| {})
                .unwrap();
        let ws = crate::workspace::Workspace::open(dir.path()).unwrap();
        let state = AssessState::load(ws, as_of, Some(loaded.report.clone()), "测试员".into());
        let mut app = App::new(lang, KeyMap::default(), false, size);
        update(&mut app, Action::Loaded(Box::new(Loaded { ..loaded })));
        update(&mut app, Action::AssessLoaded(Box::new(state)));
        update(&mut app, Action::GoToScreen(1));
        (dir, app)
    }

    fn langs() -> [(Lang, &'static str); 2] {
        [(Lang::Zh, "zh"), (Lang::En, "en")]
    }

    fn session(dir: &Path) -> serde_json::Value {
        let path = dir.join("assessments/level3-joint-20261128.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    /// Opens a new session from the first checklist (level3-joint) in the picker.
    fn start(app: &mut App) {
        let s = app.assess.as_ref().unwrap();
        let at = s
            .picks
            .iter()
            .position(|p| matches!(p, super::Pick::Checklist(_, id) if id == "level3-joint"))
            .unwrap();
        for _ in 0..at {
            update(app, Action::Down);
        }
        update(app, Action::Open);
    }

    #[test]
    fn picker_and_items_at_both_sizes_in_both_languages() {
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let (_dir, mut app) = app(lang, size);
                insta::assert_snapshot!(
                    format!("assess_picker_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
                start(&mut app);
                insta::assert_snapshot!(
                    format!("assess_items_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
            }
        }
    }

    #[test]
    fn answering_confirming_and_notes_are_saved_at_once() {
        for (lang, code) in langs() {
            let (dir, mut app) = app(lang, (100, 30));
            start(&mut app);
            // PE-01 is answered by the construction unit, the default role.
            update(&mut app, Action::Char('n'));
            assert_eq!(session(dir.path())["answers"]["PE-01"]["answer"], "no");
            update(&mut app, Action::EditNote);
            assert!(app.is_typing());
            for c in "无消防验收".chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            assert_eq!(
                session(dir.path())["answers"]["PE-01"]["note"],
                "无消防验收"
            );
            // Confirming as the answering role is refused; as the other role it is saved.
            update(&mut app, Action::Confirm);
            assert!(session(dir.path())["answers"]["PE-01"]["confirmation"].is_null());
            update(&mut app, Action::SwitchRole);
            update(&mut app, Action::Confirm);
            assert_eq!(
                session(dir.path())["answers"]["PE-01"]["confirmation"]["person"],
                "测试员"
            );
            update(&mut app, Action::Down);
            update(&mut app, Action::Char('y'));
            let text = render(&app);
            insta::assert_snapshot!(format!("assess_answered_{code}"), text);
        }
    }

    #[test]
    fn the_answer_from_data_is_offered_and_taken() {
        let (dir, mut app) = app(Lang::En, (120, 40));
        start(&mut app);
        // Walk to MS-05 (key products controllable), offered from the acceptance check.
        while app.assess.as_ref().unwrap().current_item() != Some("MS-05") {
            update(&mut app, Action::Down);
        }
        insta::assert_snapshot!("assess_offer_en", render(&app));
        update(&mut app, Action::TakeDerived);
        let s = session(dir.path());
        assert_eq!(s["answers"]["MS-05"]["answer"], "no");
        assert_eq!(
            s["answers"]["MS-05"]["derived"]["source"],
            "acceptance.key-products-controllable"
        );
        // Where the data does not decide an item, the item says why and nothing is taken.
        while app.assess.as_ref().unwrap().current_item() != Some("MS-08") {
            update(&mut app, Action::Down);
        }
        let text = render(&app);
        assert!(text.contains("no answer from data: not yet due"), "{text}");
        update(&mut app, Action::TakeDerived);
        assert!(session(dir.path())["answers"]["MS-08"].is_null());
    }

    #[test]
    fn risks_heat_map_register_and_treatment_editing() {
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let (dir, mut app) = app(lang, size);
                start(&mut app);
                update(&mut app, Action::Char('n')); // PE-01 no
                update(&mut app, Action::Down);
                update(&mut app, Action::Char('p')); // PE-02 partly
                update(&mut app, Action::Down);
                update(&mut app, Action::Char('n')); // PE-03 no
                update(&mut app, Action::GoToScreen(2));
                update(&mut app, Action::CycleTreatment);
                update(&mut app, Action::EditOwner);
                for c in "李工".chars() {
                    update(&mut app, Action::FilterChar(c));
                }
                update(&mut app, Action::FilterDone);
                let s = session(dir.path());
                assert_eq!(s["risks"]["PE-01"]["treatment"], "mitigate");
                assert_eq!(s["risks"]["PE-01"]["owner"], "李工");
                insta::assert_snapshot!(
                    format!("risks_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
            }
        }
        // Selecting a cell lists only its risks.
        let (_dir, mut app) = app(Lang::En, (120, 40));
        start(&mut app);
        update(&mut app, Action::Char('n'));
        update(&mut app, Action::Down);
        update(&mut app, Action::Char('p'));
        update(&mut app, Action::GoToScreen(2));
        assert_eq!(app.assess.as_ref().unwrap().risk_items().len(), 2);
        update(&mut app, Action::Open);
        assert_eq!(app.assess.as_ref().unwrap().risk_items().len(), 1);
        update(&mut app, Action::Back);
        assert_eq!(app.assess.as_ref().unwrap().risk_items().len(), 2);
    }
}
