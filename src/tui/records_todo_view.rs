//! Drawing the Records screen's to-do: the records awaiting a signature, with the units each
//! still lacks, and what the last co-signature did. Reads the state, changes nothing.

use super::app::App;
use super::records::{RecordsState, Verification};
use super::text::fit;
use super::view::{pick, Theme};
use crate::i18n::ledger::{self as t, Label};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// Draws the to-do list over the list area of the Records screen.
pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    let Some(todo) = &s.todo else { return };
    let [title, list, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let awaiting = s.awaiting();
    frame.render_widget(
        Line::styled(
            fit(
                &match l {
                    crate::i18n::Lang::Zh => format!(
                        "待会签的记录 {} 条 · Enter 会签所选记录 · t/Esc 返回全部记录",
                        awaiting.len()
                    ),
                    crate::i18n::Lang::En => format!(
                        "Awaiting a signature: {} · Enter co-signs the selected record · t/Esc back to all records",
                        awaiting.len()
                    ),
                },
                usize::from(area.width),
            ),
            theme.bold(),
        ),
        title,
    );
    let empty = match &s.verification {
        Verification::Running(_) => Some(pick(
            l,
            "正在校验账本，校验完成后列出待会签的记录……",
            "Verifying the ledger; the records awaiting a signature follow…",
        )),
        Verification::Failed(_) => Some(pick(
            l,
            "账本无法校验，无法判断哪些记录待会签。",
            "The ledger could not be verified, so what awaits a signature is unknown.",
        )),
        Verification::Done { .. } if awaiting.is_empty() => Some(pick(
            l,
            "没有待会签的记录：每条记录都已有其要求的全部签名。",
            "Nothing awaits a signature: every record has all the signatures it requires.",
        )),
        Verification::Done { .. } => None,
    };
    if let Some(text) = empty {
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::TOP)),
            list,
        );
    } else {
        let widths = [
            Constraint::Length(5),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(12),
            Constraint::Fill(1),
        ];
        let w = super::text::column_widths(area.width, &widths, 1);
        let rows = awaiting
            .iter()
            .enumerate()
            .skip(todo.cursor.offset)
            .map(|(i, a)| {
                let record = s.record(a.seq);
                let missing: Vec<String> = a.missing.iter().map(|u| t::unit_short(l, u)).collect();
                let row = Row::new(vec![
                    Cell::from(a.seq.to_string()),
                    Cell::from(record.map_or(String::new(), |r| {
                        r.entry
                            .time
                            .chars()
                            .take(16)
                            .collect::<String>()
                            .replace('T', " ")
                    })),
                    Cell::from(fit(&t::kind_name(l, &a.kind), w[2])),
                    Cell::from(record.map_or(String::new(), |r| {
                        fit(&t::unit_short(l, &r.entry.unit), w[3])
                    })),
                    Cell::from(fit(&missing.join(pick(l, "、", ", ")), w[4]))
                        .style(theme.fg(Color::Yellow)),
                ]);
                if i == todo.cursor.selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            });
        let header = Row::new(vec![
            t::label(l, Label::Seq),
            t::label(l, Label::Time),
            t::label(l, Label::Kind),
            pick(l, "登记单位", "Filed by"),
            pick(l, "尚缺签名", "Still to sign"),
        ])
        .style(theme.bold());
        frame.render_widget(
            Table::new(rows, widths)
                .header(header)
                .column_spacing(1)
                .block(Block::default().borders(Borders::TOP)),
            list,
        );
    }
    if let Some(st) = &s.status {
        frame.render_widget(super::assess_view::status_line(app, st), status);
    }
}
