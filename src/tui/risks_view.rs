//! Drawing the Risks screen: the 5 × 5 heat map coloured by the method's levels, with the
//! selected risk's cell marked, and the register below it, every cell cut to its column with an
//! ellipsis. Reads the state, changes nothing.

use super::app::App;
use super::assess_view::{bold, dim, fg, field_label, no_state, status_line};
use super::text::{column_widths, fit};
use super::view::pick;
use crate::i18n::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

const MESSAGE: u16 = 2;

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

/// The register's columns: item, risk level and name, L/I, treatment, owner, due, approver,
/// asset. The level column is as wide as the longest level name of the method.
fn register_widths(level_width: u16) -> [Constraint; 8] {
    [
        Constraint::Length(6),
        Constraint::Length(level_width),
        Constraint::Length(4),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Fill(1),
    ]
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
                " 请先在“联合评估”页签打开一个评估",
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
        if li == 3 {
            if let Some((cl_, ci)) = s.cell {
                spans.push(Span::styled(
                    match l {
                        Lang::Zh => format!("   仅列出 {cl_}/{ci} 格（Esc 全部）"),
                        Lang::En => format!("   cell {cl_}/{ci} only (Esc: all)"),
                    },
                    dim(),
                ));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw("     1      2      3      4      5"));
    frame.render_widget(Paragraph::new(lines), map);

    let level_width = (1..=5u8)
        .map(|v| super::text::width(m.level_name(v, l)) + 2)
        .max()
        .unwrap_or(8)
        .max(4) as u16;
    let constraints = register_widths(level_width);
    let widths = column_widths(register.width, &constraints, 1);
    let cut = |i: usize, text: &str| fit(text, widths.get(i).copied().unwrap_or(0));
    let header = Row::new(
        [
            pick(l, "项", "Item"),
            pick(l, "风险", "Risk"),
            "L/I",
            pick(l, "处置", "Treatment"),
            pick(l, "责任人", "Owner"),
            pick(l, "期限", "Due"),
            pick(l, "批准人", "Approver"),
            pick(l, "资产", "Asset"),
        ]
        .iter()
        .enumerate()
        .map(|(i, h)| Cell::from(cut(i, h)))
        .collect::<Vec<_>>(),
    )
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
                Cell::from(cut(0, &r.item)),
                Cell::from(cut(
                    1,
                    &format!("{} {}", r.score.risk, m.level_name(r.score.risk, l)),
                ))
                .style(level_color(app.color, r.score.risk)),
                Cell::from(cut(
                    2,
                    &format!("{}/{}", r.score.likelihood, r.score.impact),
                )),
                Cell::from(cut(3, &treatment)),
                Cell::from(cut(4, &r.entry.owner)),
                Cell::from(cut(
                    5,
                    &r.entry.due.map(|d| d.to_string()).unwrap_or_default(),
                )),
                Cell::from(cut(6, &r.entry.approver)),
                Cell::from(cut(7, asset)),
            ]);
            if i == s.risk_selected {
                row.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                row
            }
        })
        .collect();
    if listed.is_empty() {
        frame.render_widget(Paragraph::new(pick(l, " 没有风险", " No risks")), register);
    } else {
        frame.render_widget(
            Table::new(rows, constraints)
                .header(header)
                .column_spacing(1),
            register,
        );
    }
    let msg = match (&s.field, &s.status) {
        (Some(f), _) => Line::from(vec![
            Span::styled(field_label(f.kind, l), bold()),
            Span::raw(format!("{}▏", f.text)),
        ]),
        (None, Some(status)) => status_line(app, status),
        (None, None) => Line::raw(""),
    };
    frame.render_widget(
        Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: false }),
        message,
    );
}
