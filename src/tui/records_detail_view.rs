//! Drawing one record or checkpoint of the records screen in detail: its body, evidence,
//! signatures and findings, each with the reason verification gave.

use super::app::App;
use super::records::{state_label, RecordsState, Target};
use super::records_view::{notes, padded, state_style};
use super::view::{pick, Theme};
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::Lang;
use crate::ledger::verify::signature_state;
use crate::ledger::SignatureState;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn draw_detail(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    s: &RecordsState,
    area: Rect,
) {
    let Some(d) = &s.detail else { return };
    let (lines, title) = match d.target {
        Target::Line(i) => (
            record_lines(app.lang, theme, s, i),
            pick(app.lang, " 记录详情 · Esc 返回 ", " Record · Esc back "),
        ),
        Target::Checkpoint(i) => (
            checkpoint_lines(app.lang, theme, s, i),
            pick(
                app.lang,
                " 检查点详情 · Esc 返回 ",
                " Checkpoint · Esc back ",
            ),
        ),
    };
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .block(Block::default().borders(Borders::TOP).title(title))
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        area,
    );
}

/// Findings about line `i` (or, for checkpoints, about a file), worst first.
fn finding_lines<'a>(
    lang: Lang,
    theme: &Theme,
    findings: impl Iterator<Item = &'a crate::ledger::Finding>,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for f in findings {
        let style = if f.code.is_error() {
            theme.fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            theme.fg(Color::Yellow)
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {} ", f.code), style),
            Span::raw(f.message.get(lang).to_string()),
        ]));
    }
    out
}

fn record_lines(lang: Lang, theme: &Theme, s: &RecordsState, i: usize) -> Vec<Line<'static>> {
    let l = |x| t::label(lang, x);
    let state = s.line_state(i);
    let mut lines = Vec::new();
    let r = match &s.data.lines[i] {
        Ok(r) => r,
        Err(e) => {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", state_label(lang, state)),
                    state_style(theme, state),
                ),
                Span::styled(format!("{} {}", l(Label::Line), i + 1), theme.bold()),
            ]));
            lines.push(Line::raw(match lang {
                Lang::Zh => format!("此行不是有效的记录：{e}"),
                Lang::En => format!("This line is not a valid record: {e}"),
            }));
            if let Some(report) = s.report() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(l(Label::Problems), theme.bold()));
                lines.extend(finding_lines(lang, theme, report.findings_at(i)));
            }
            return lines;
        }
    };
    let e = &r.entry;
    const W: usize = 12;
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} ", state_label(lang, state)),
            state_style(theme, state),
        ),
        Span::styled(
            match t::kind_name(lang, &e.kind) {
                name if name == e.kind => format!("#{} {}", e.seq, e.kind),
                name => format!("#{} {name} ({})", e.seq, e.kind),
            },
            theme.bold(),
        ),
        Span::styled(format!("  {}", e.time), theme.dim()),
    ]));
    let unit_name = |u: &str| match (s.data.unit_names.get(u), lang) {
        (Some((_, Some(en))), Lang::En) => format!("{u} ({en})"),
        (Some((zh, _)), _) => format!("{u}（{zh}）"),
        (None, _) => u.to_string(),
    };
    let field = |label: Label, value: String| {
        Line::from(vec![
            Span::styled(padded(l(label), W), theme.bold()),
            Span::raw(value),
        ])
    };
    lines.push(field(Label::Unit, unit_name(&e.unit)));
    lines.push(field(Label::Signer, e.signer.clone()));
    if !e.requires.is_empty() {
        lines.push(field(Label::Requires, e.requires.join(", ")));
    }
    let status = notes(lang, s, r);
    if !status.is_empty() {
        lines.push(field(Label::Status, status));
    }
    lines.push(field(Label::LeafHash, r.leaf_hash.to_string()));

    lines.push(Line::raw(""));
    lines.push(Line::styled(l(Label::Signatures), theme.bold()));
    for sig in &r.signatures {
        let (style, word) = match signature_state(&s.data.trust, r, sig) {
            SignatureState::Valid => (theme.fg(Color::Green), l(Label::Valid)),
            SignatureState::Invalid => (
                theme.fg(Color::Red).add_modifier(Modifier::BOLD),
                l(Label::Invalid),
            ),
            SignatureState::UnknownKey => (theme.fg(Color::Yellow), l(Label::Unknown)),
        };
        let unit = s
            .data
            .trust
            .get(&sig.key)
            .map_or("?".to_string(), |k| unit_name(&k.unit));
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", padded(word, 6)), style),
            Span::raw(format!("{unit}  ")),
            Span::styled(sig.key.clone(), theme.dim()),
        ]));
    }
    if let Some(report) = s.report() {
        let cosigned: Vec<String> = report
            .signed_by(e.seq)
            .into_iter()
            .filter(|u| {
                !r.signatures
                    .iter()
                    .any(|sig| s.data.trust.get(&sig.key).is_some_and(|k| &k.unit == u))
            })
            .collect();
        if !cosigned.is_empty() {
            lines.push(Line::styled(
                format!(
                    "  {} {}",
                    pick(lang, "另经会签：", "also co-signed by"),
                    cosigned.join(", ")
                ),
                theme.fg(Color::Green),
            ));
        }
    }

    if !e.evidence.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(l(Label::Evidence), theme.bold()));
        for ev in &e.evidence {
            lines.push(Line::raw(format!("  {}  {} B", ev.name, ev.size)));
            lines.push(Line::styled(format!("    {}", ev.hash), theme.dim()));
        }
    }

    lines.push(Line::raw(""));
    lines.push(Line::styled(l(Label::Body), theme.bold()));
    let body = serde_json::to_string_pretty(&e.body).unwrap_or_default();
    lines.extend(body.lines().map(|b| Line::raw(format!("  {b}"))));

    if let Some(report) = s.report() {
        let problems = finding_lines(lang, theme, report.findings_at(i));
        if !problems.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(l(Label::Problems), theme.bold()));
            lines.extend(problems);
        }
    }
    lines
}

fn checkpoint_lines(lang: Lang, theme: &Theme, s: &RecordsState, i: usize) -> Vec<Line<'static>> {
    let l = |x| t::label(lang, x);
    let (file, parsed) = &s.data.checkpoints[i];
    let (status, state) = s.checkpoint_status(i);
    const W: usize = 12;
    let field = |label: Label, value: String| {
        Line::from(vec![
            Span::styled(padded(l(label), W), theme.bold()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} ", state_label(lang, state)),
            state_style(theme, state),
        ),
        Span::styled(file.clone(), theme.bold()),
    ])];
    match parsed {
        Ok(cp) => {
            lines.push(field(Label::Origin, cp.origin.clone()));
            lines.push(field(Label::Size, cp.size.to_string()));
            lines.push(field(
                Label::Root,
                format!("{}:{}", cp.alg, hex::encode(cp.root)),
            ));
            if let Some(time) = &cp.time {
                lines.push(field(Label::Time, time.clone()));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(l(Label::Signatures), theme.bold()));
            for sig in &cp.signatures {
                // A note signature names "unit/key-id"; it counts if verification accepted it.
                let key_id = sig.name.rsplit('/').next().unwrap_or(&sig.name);
                let valid = status.is_some_and(|c| c.signed_by.iter().any(|k| k == key_id));
                let (style, word) = match (status, valid) {
                    (None, _) => (theme.dim(), pick(lang, "校验中", "checking")),
                    (Some(_), true) => (theme.fg(Color::Green), l(Label::Valid)),
                    (Some(_), false) => (theme.fg(Color::Red), l(Label::Invalid)),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", padded(word, 6)), style),
                    Span::raw(sig.name.clone()),
                ]));
            }
        }
        Err(why) => lines.push(Line::styled(why.clone(), theme.fg(Color::Red))),
    }
    if let Some(report) = s.report() {
        let problems = finding_lines(
            lang,
            theme,
            report
                .findings
                .iter()
                .filter(|f| f.file.as_deref() == Some(file.as_str())),
        );
        if !problems.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled(l(Label::Problems), theme.bold()));
            lines.extend(problems);
        }
    }
    lines
}
