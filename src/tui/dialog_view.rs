//! Drawing dialogs over a screen's body: forms (labels, values, the field being typed into,
//! the core's refusal) and the signing confirmation (what will be signed, by which unit and
//! key, and why a unit cannot sign here). Drawn over the whole body, as the help is, so no box
//! edge cuts a double-width character beneath it.

use super::app::App;
use super::form::{Form, Input, Row};
use super::signing::SignDialog;
use super::text::{fit, pad, width};
use super::view::{pick, Theme};
use crate::i18n::Lang;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Wrap};
use ratatui::Frame;

/// The keys a form understands, for its bottom border.
fn form_keys(l: Lang) -> &'static str {
    pick(
        l,
        " ↑↓ 换行 · 输入文字 · ←→ 调整 · Enter 下一项/提交 · Esc 取消 ",
        " ↑↓ move · type · ←→ change · Enter next/submit · Esc cancel ",
    )
}

/// The dialog's frame: its title cut to the width, its keys on the bottom border.
fn frame_block<'a>(title: &str, keys: &'a str, theme: &Theme, area: Rect) -> Block<'a> {
    let title = fit(title, usize::from(area.width).saturating_sub(4));
    Block::default()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.bold()))
        .title_bottom(Line::styled(keys, theme.dim()))
}

/// Draws `form` over `area`, keeping the selected field in view.
pub fn draw_form(frame: &mut Frame, app: &App, theme: &Theme, form: &Form, area: Rect) {
    let l = app.lang;
    frame.render_widget(Clear, area);
    let block = frame_block(form.title.get(l), form_keys(l), theme, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let label_width = form
        .fields()
        .map(|f| width(f.label.get(l)))
        .max()
        .unwrap_or(0)
        .min(w * 2 / 5)
        + 2;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(intro) = &form.intro {
        lines.push(Line::styled(intro.get(l).to_string(), theme.dim()));
        lines.push(Line::raw(""));
    }
    let mut selected_line = 0;
    for (i, row) in form.rows.iter().enumerate() {
        let here = i == form.selected;
        if here {
            selected_line = lines.len();
        }
        match row {
            Row::Heading(h) => {
                lines.push(Line::styled(h.get(l).to_string(), theme.bold()));
            }
            Row::Add { label, .. } => {
                let style = if here {
                    theme.selected()
                } else {
                    theme.fg(Color::Cyan)
                };
                lines.push(Line::styled(format!("  {}", label.get(l)), style));
            }
            Row::Field(f) => {
                let label = pad(&fit(f.label.get(l), label_width - 2), label_width);
                let room = w.saturating_sub(label_width + 3);
                let shown = f.shown(l);
                let value = match (&f.input, here) {
                    (Input::Choice(_) | Input::Number { .. }, true) => {
                        format!("◂ {} ▸", fit(&shown, room.saturating_sub(4)))
                    }
                    // The end of what is typed stays in view, where the cursor is.
                    (_, true) => format!("{}▏", tail(&shown, room.saturating_sub(1))),
                    (_, false) => fit(&shown, room),
                };
                let label_style = if here { theme.selected() } else { theme.bold() };
                lines.push(Line::from(vec![
                    Span::raw(if here { "▸" } else { " " }),
                    Span::styled(label, label_style),
                    Span::raw(" "),
                    Span::raw(value),
                ]));
                if here {
                    if let Some(help) = &f.help {
                        lines.push(Line::styled(format!("  {}", help.get(l)), theme.dim()));
                    }
                }
            }
        }
    }
    lines.push(Line::raw(""));
    if form.selected >= form.rows.len() {
        selected_line = lines.len();
    }
    let submit = format!("[ {} ]", form.submit.get(l));
    lines.push(Line::styled(
        submit,
        if form.selected >= form.rows.len() {
            theme.selected()
        } else {
            theme.bold()
        },
    ));
    if let Some(status) = &form.status {
        lines.push(super::assess_view::status_line(app, status));
    }
    // Scroll so the selected row sits on screen, with the refusal below it when it fits.
    let height = usize::from(inner.height);
    let scroll = (selected_line + 3).saturating_sub(height);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        inner,
    );
}

/// The last `max` columns of `s`, with an ellipsis in front when cut.
fn tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for &c in chars.iter().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out.into_iter().rev().collect()
}

/// Draws the signing confirmation over `area`.
pub fn draw_sign(frame: &mut Frame, app: &App, theme: &Theme, d: &SignDialog, area: Rect) {
    let l = app.lang;
    frame.render_widget(Clear, area);
    let keys = pick(
        l,
        " y/Enter 签署 · ↑↓ 选择单位 · n/Esc 取消 ",
        " y/Enter sign · ↑↓ choose the unit · n/Esc cancel ",
    );
    let block = frame_block(d.title.get(l), keys, theme, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let label_width = d
        .facts
        .iter()
        .map(|(k, _)| width(k.get(l)))
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = vec![Line::styled(
        pick(l, "将签署的内容", "What will be signed"),
        theme.bold(),
    )];
    for (label, value) in &d.facts {
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad(label.get(l), label_width)), theme.dim()),
            Span::raw(fit(value.get(l), w.saturating_sub(label_width + 1))),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        pick(l, "签署单位与密钥", "Who signs, with which key"),
        theme.bold(),
    ));
    for (i, s) in d.signers.iter().enumerate() {
        let here = i == d.selected;
        let marker = if here { "▸ " } else { "  " };
        let name = format!("{marker}{} ({})", s.name.get(l), s.unit);
        lines.push(Line::styled(
            fit(&name, w),
            if here { theme.selected() } else { theme.bold() },
        ));
        match &s.key {
            Ok(k) => lines.push(Line::styled(
                format!(
                    "    {} {} · {}",
                    pick(l, "密钥", "key"),
                    k.key_id,
                    k.path.display()
                ),
                theme.fg(Color::Green),
            )),
            Err(why) => lines.push(Line::styled(
                format!("    {}", why.get(l)),
                theme.fg(Color::Yellow),
            )),
        }
    }
    if !d.can_sign() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            pick(
                l,
                "手边没有可用的私钥，无法在此签署。",
                "No key at hand can sign here.",
            ),
            theme.fg(Color::Yellow),
        ));
    }
    if let Some(status) = &d.status {
        lines.push(Line::raw(""));
        lines.push(super::assess_view::status_line(app, status));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
