//! Drawing the Assessment screen: the session picker with each session's progress, and the
//! open session's items with the selected one in detail. Reads the state, changes nothing.
//! The item list's height is a pure function of the terminal size, like the acceptance table's.

use super::app::{App, Screen};
use super::assess::{AssessState, FieldKind, Line as ListLine, Pick};
use super::keys::Bindable;
use super::text::{fit, Status};
use super::view::pick;
use crate::assessment::definition::Meaning;
use crate::i18n::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

const HEADER: u16 = 2;
/// The status line, or the answer keys and what stands before the sign-off.
const MESSAGE: u16 = 2;

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

pub(super) fn fg(color: bool, c: Color) -> Style {
    if color {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

pub(super) fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub(super) fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn reversed() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// A status in its colour: red for a refusal, green for what was saved.
pub(super) fn status_line(app: &App, status: &Status) -> Line<'static> {
    let color = if status.error {
        Color::Red
    } else {
        Color::Green
    };
    Line::styled(format!(" {}", status.get(app.lang)), fg(app.color, color))
}

/// The keys the footer shows on these screens.
pub fn hints(app: &App) -> Vec<Bindable> {
    let Some(s) = &app.assess else {
        return vec![Bindable::Help, Bindable::Quit];
    };
    if s.form.is_some() || s.sign.is_some() {
        return Vec::new();
    }
    match (app.screen, s.open.is_some()) {
        (Screen::Risks, true) => vec![
            Bindable::Open,
            Bindable::EditRisk,
            Bindable::Treatment,
            Bindable::Owner,
            Bindable::Due,
            Bindable::Approver,
            Bindable::Help,
        ],
        (_, true) if s.read_only() => vec![
            Bindable::Sign,
            Bindable::Supersede,
            Bindable::Back,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ],
        (_, true) => vec![
            Bindable::Confirm,
            Bindable::Note,
            Bindable::Evidence,
            Bindable::Derived,
            Bindable::Role,
            Bindable::Sign,
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

pub(super) fn no_state(frame: &mut Frame, app: &App, area: Rect) {
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
    let width = usize::from(area.width);
    let p = open.session.progress(cl, None);
    let title = match l {
        Lang::Zh => &cl.title,
        Lang::En => &cl.title_en,
    };
    let person = if s.person.is_empty() {
        pick(l, "（姓名待填）", "(name not set)").to_string()
    } else {
        s.person.clone()
    };
    let counts = format!(
        " {} {}/{} · {} {} · {} {} · ",
        pick(l, "已答复", "answered"),
        p.answered,
        p.applicable,
        pick(l, "待确认", "unconfirmed"),
        p.unconfirmed,
        pick(l, "风险", "risks"),
        open.session.risk_views(cl).len(),
    );
    let acting = format!("{} {person}", cl.role_name(&s.role, l));
    let signed = format!(
        " · {}",
        open.sign_state.describe(l, &|u| cl.role_name(u, l))
    );
    let used = super::text::width(&counts) + super::text::width(&acting);
    let head = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", open.session.id), bold()),
            Span::raw(fit(
                title,
                width.saturating_sub(super::text::width(&open.session.id) + 3),
            )),
        ]),
        Line::from(vec![
            Span::raw(counts),
            Span::styled(acting, bold()),
            Span::styled(fit(&signed, width.saturating_sub(used)), dim()),
        ]),
    ];
    frame.render_widget(Paragraph::new(head), header);

    let rows = usize::from(list.height);
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
    draw_message(frame, app, s, message);
}

/// The line being typed, the last status, or the answer keys and the way to the sign-off.
fn draw_message(frame: &mut Frame, app: &App, s: &AssessState, area: Rect) {
    let l = app.lang;
    let Some(open) = &s.open else { return };
    let lines = match (&s.field, &s.status) {
        (Some(f), _) => vec![Line::from(vec![
            Span::styled(field_label(f.kind, l), bold()),
            Span::raw(format!("{}▏", f.text)),
        ])],
        (None, Some(status)) => vec![status_line(app, status)],
        (None, None) => {
            let keys: Vec<String> = open
                .checklist
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
            let mut lines = Vec::new();
            if !s.read_only() {
                lines.push(Line::styled(
                    fit(
                        &format!(" {}: {}", pick(l, "答复", "answer"), keys.join(" · ")),
                        usize::from(area.width),
                    ),
                    dim(),
                ));
            }
            if let Some(ready) = s.readiness() {
                lines.push(Line::styled(
                    fit(&format!(" {}", ready.get(l)), usize::from(area.width)),
                    fg(app.color, Color::Cyan),
                ));
            }
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

pub(super) fn field_label(kind: FieldKind, l: Lang) -> &'static str {
    match kind {
        FieldKind::Note => pick(l, " 说明：", " note: "),
        FieldKind::Evidence => pick(l, " 证据文件路径：", " evidence file: "),
        FieldKind::Owner => pick(l, " 责任人：", " owner: "),
        FieldKind::Approver => pick(l, " 批准人：", " approver: "),
        FieldKind::Due => pick(l, " 期限（YYYY-MM-DD）：", " due (YYYY-MM-DD): "),
    }
}

fn draw_picker(frame: &mut Frame, app: &App, s: &AssessState, area: Rect) {
    let l = app.lang;
    let width = usize::from(area.width);
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
            Pick::Session(id) => {
                let row = s.sessions.iter().find(|r| &r.id == id);
                let progress = match row {
                    Some(r) if r.problem.is_some() => format!(
                        "{}: {}",
                        pick(l, "无法读取", "cannot be read"),
                        r.problem.as_ref().map_or("", |m| m.get(l))
                    ),
                    Some(r) => {
                        let signed = match &r.signed {
                            Some(seq) => match l {
                                Lang::Zh => format!("已签署（第 {seq} 号记录）"),
                                Lang::En => format!("signed (record {seq})"),
                            },
                            None => pick(l, "未签署", "not signed").to_string(),
                        };
                        match l {
                            Lang::Zh => format!(
                                "已答复 {}/{} · 待确认 {} · 风险 {} 项 · {signed}",
                                r.progress.answered,
                                r.progress.applicable,
                                r.progress.unconfirmed,
                                r.risks
                            ),
                            Lang::En => format!(
                                "{}/{} answered · {} to confirm · risks {} · {signed}",
                                r.progress.answered,
                                r.progress.applicable,
                                r.progress.unconfirmed,
                                r.risks
                            ),
                        }
                    }
                    None => String::new(),
                };
                format!("  {} {id}  {progress}", pick(l, "评估", "session"))
            }
            Pick::Checklist(_, id) => {
                format!("  {} {id}", pick(l, "新建自检查表", "new from checklist"))
            }
        };
        let style = if i == s.pick {
            reversed()
        } else {
            Style::new()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    if s.picks.is_empty() {
        lines.push(Line::raw(pick(
            l,
            "  checklists/ 中没有检查表",
            "  no checklist in checklists/",
        )));
    }
    if let Some(status) = &s.status {
        lines.push(Line::raw(""));
        lines.push(status_line(app, status));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
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
            cl.role_name(&item.answered_by, l),
            pick(l, "确认方", "confirms:"),
            item.confirmed_by
                .as_deref()
                .map_or("—".to_string(), |r| cl.role_name(r, l))
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
                    cl.role_name(&c.role, l)
                ),
                None if item.confirmed_by.is_some() => {
                    pick(l, "待确认", "awaiting confirmation").to_string()
                }
                None => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{name} "), bold()),
                Span::raw(format!(
                    "{} ({}) · {confirmed}",
                    a.person,
                    cl.role_name(&a.role, l)
                )),
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

#[cfg(test)]
#[path = "assess_tests.rs"]
mod snapshots;
