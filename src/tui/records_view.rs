//! Drawing the records screen: the whole ledger's verification state, the record and
//! checkpoint lists (only the rows on screen are formatted), and a record or checkpoint in
//! detail. Reads the state, changes nothing.

use super::app::App;
use super::keys::Bindable;
use super::records::{state_label, Pane, RecordsScreen, RecordsState, Verification};
use super::view::{count_formatted, pick, Theme};
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::Lang;
use crate::ledger::{LineState, Phase, Record};
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, LineGauge, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

const TABS_HEIGHT: u16 = 1;
const SUMMARY_HEIGHT: u16 = 2;
const PANE_HEIGHT: u16 = 1;
const FOOTER_HEIGHT: u16 = 1;

/// Terminal row of the first list row (below the list's header).
pub fn list_top(_size: (u16, u16)) -> u16 {
    TABS_HEIGHT + SUMMARY_HEIGHT + PANE_HEIGHT + 1
}

/// How many list rows fit.
pub fn list_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(list_top(size) + FOOTER_HEIGHT)).max(1)
}

/// Wide terminals get the time of day too; 80 columns get the date.
fn time_width(width: u16) -> u16 {
    if width >= 100 {
        16
    } else {
        10
    }
}

/// A record's time as listed: its own local date (and time), as recorded.
fn short_time(time: &str, width: u16) -> String {
    let format = if time_width(width) == 16 {
        "%Y-%m-%d %H:%M"
    } else {
        "%Y-%m-%d"
    };
    match chrono::DateTime::parse_from_rfc3339(time) {
        Ok(t) => t.format(format).to_string(),
        Err(_) => time.to_string(),
    }
}

pub(super) fn state_style(theme: &Theme, state: Option<LineState>) -> Style {
    match state {
        None => theme.dim(),
        Some(LineState::Verified) => theme.fg(Color::Green),
        Some(LineState::Awaiting) => theme.fg(Color::Yellow),
        Some(LineState::Failed) => theme.fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

fn state_cell(lang: Lang, theme: &Theme, state: Option<LineState>) -> Cell<'static> {
    Cell::from(Span::styled(
        state_label(lang, state),
        state_style(theme, state),
    ))
}

/// A list row, reversed when selected.
fn list_row<'a>(theme: &Theme, cells: Vec<Cell<'a>>, selected: bool) -> Row<'a> {
    let style = if selected {
        theme.selected()
    } else {
        Style::new()
    };
    Row::new(cells).style(style)
}

fn phase_label(lang: Lang, phase: Phase) -> String {
    match phase {
        Phase::Read => pick(lang, "读取账本", "reading the ledger").to_string(),
        Phase::Parse => pick(lang, "解析记录", "parsing records").to_string(),
        Phase::Hash => pick(lang, "计算哈希与默克尔树", "hashing, Merkle tree").to_string(),
        Phase::Signatures { done, total } => format!(
            "{} {done}/{total}",
            pick(lang, "核验签名", "checking signatures")
        ),
        Phase::Checks => pick(
            lang,
            "核对引用、证据与检查点",
            "references, evidence, checkpoints",
        )
        .to_string(),
    }
}

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let l = app.lang;
    match &app.records {
        RecordsScreen::Reading => frame.render_widget(
            Paragraph::new(pick(l, "正在读取账本……", "Reading the ledger…"))
                .alignment(Alignment::Center),
            area,
        ),
        RecordsScreen::Failed(message) => {
            let text = vec![
                Line::styled(
                    pick(l, "无法读取账本：", "Could not read the ledger:"),
                    theme.fg(Color::Red).add_modifier(Modifier::BOLD),
                ),
                Line::raw(message.as_str()),
            ];
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
        }
        RecordsScreen::Ready(s) => draw_ready(frame, app, theme, s, area),
    }
}

fn draw_ready(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let [summary, pane, list] = Layout::vertical([
        Constraint::Length(SUMMARY_HEIGHT),
        Constraint::Length(PANE_HEIGHT),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_summary(frame, app, theme, s, summary);
    draw_pane_bar(frame, app, theme, s, pane);
    if s.todo.is_some() {
        super::records_todo_view::draw(frame, app, theme, s, list);
    } else if s.detail.is_some() {
        super::records_detail_view::draw_detail(frame, app, theme, s, list);
    } else if s.pane == Pane::Records && s.data.lines.is_empty() {
        draw_empty(frame, app, theme, s, list);
    } else if s.pane == Pane::Records && s.shown.is_empty() {
        frame.render_widget(
            Paragraph::new(pick(
                app.lang,
                "没有符合筛选条件的记录（Esc 清除筛选）",
                "No record matches the filter (Esc clears it)",
            ))
            .block(Block::default().borders(Borders::TOP)),
            list,
        );
    } else if s.pane == Pane::Records {
        draw_records(frame, app, theme, s, list);
    } else {
        draw_checkpoints(frame, app, theme, s, list);
    }
}

fn draw_summary(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    let [first, second] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let count = format!("{} {}", s.data.lines.len(), t::label(l, Label::Records));
    match &s.verification {
        Verification::Running(phase) => {
            frame.render_widget(
                Line::from(vec![
                    Span::styled(
                        pick(l, "正在校验账本", "Verifying the ledger"),
                        theme.bold(),
                    ),
                    Span::styled(format!(" · {count}"), theme.dim()),
                ]),
                first,
            );
            let gauge = LineGauge::default()
                .ratio(phase.fraction().clamp(0.0, 1.0))
                .label(phase_label(l, *phase))
                .filled_style(theme.fg(Color::Cyan));
            frame.render_widget(gauge, second);
        }
        Verification::Failed(message) => {
            frame.render_widget(
                Line::styled(
                    pick(l, "✗ 无法校验账本", "✗ Could not verify the ledger"),
                    theme.fg(Color::Red).add_modifier(Modifier::BOLD),
                ),
                first,
            );
            frame.render_widget(Line::raw(message.as_str()), second);
        }
        Verification::Done { report, .. }
            if report.is_clean() && s.data.lines.is_empty() && s.data.checkpoints.is_empty() =>
        {
            frame.render_widget(
                Line::styled(pick(l, "账本中尚无记录", "No records yet"), theme.bold()),
                first,
            );
            frame.render_widget(Line::styled(s.data.file.as_str(), theme.dim()), second);
        }
        Verification::Done { report, .. } => {
            let errors = report.findings.iter().filter(|f| f.code.is_error()).count();
            let mut spans = if report.is_clean() {
                vec![Span::styled(
                    format!("✓ {}", t::label(l, Label::Clean)),
                    theme.fg(Color::Green).add_modifier(Modifier::BOLD),
                )]
            } else {
                vec![Span::styled(
                    match l {
                        Lang::Zh => format!("✗ 账本校验失败 · {errors} 个问题"),
                        Lang::En => format!(
                            "✗ Ledger verification FAILED · {errors} problem{}",
                            if errors == 1 { "" } else { "s" }
                        ),
                    },
                    theme.fg(Color::Red).add_modifier(Modifier::BOLD),
                )]
            };
            let mut facts = vec![count];
            if !report.awaiting.is_empty() {
                facts.push(match l {
                    Lang::Zh => format!("{} 条待会签", report.awaiting.len()),
                    Lang::En => format!("{} awaiting", report.awaiting.len()),
                });
            }
            facts.push(match l {
                Lang::Zh => format!("{} 个检查点", report.checkpoints.len()),
                Lang::En => match report.checkpoints.len() {
                    1 => "1 checkpoint".to_string(),
                    n => format!("{n} checkpoints"),
                },
            });
            spans.push(Span::styled(
                format!(" · {}", facts.join(" · ")),
                theme.dim(),
            ));
            frame.render_widget(Line::from(spans), first);
            let line = match &report.first_bad {
                Some(f) => {
                    let place = match (f.seq, f.line, &f.file) {
                        (Some(seq), _, _) => format!("#{seq}"),
                        (None, Some(n), _) => format!("{} {n}", t::label(l, Label::Line)),
                        (None, None, Some(file)) => file.clone(),
                        _ => String::new(),
                    };
                    Line::from(vec![
                        Span::styled(
                            format!("{} {place}: ", t::label(l, Label::FirstBad)),
                            theme.bold(),
                        ),
                        Span::styled(format!("{} ", f.code), theme.fg(Color::Red)),
                        Span::raw(f.message.get(l).to_string()),
                    ])
                }
                None => {
                    let heads: Vec<String> = report
                        .trees
                        .iter()
                        .map(|h| format!("{} {} {}…", h.alg, h.size, &hex::encode(h.root)[..16]))
                        .collect();
                    Line::styled(
                        format!("{} {}", t::label(l, Label::TreeHead), heads.join(" · ")),
                        theme.dim(),
                    )
                }
            };
            frame.render_widget(line, second);
        }
    }
}

fn draw_pane_bar(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    let tab = |pane: Pane, label: String| {
        let style = if s.pane == pane {
            theme.selected()
        } else {
            Style::new()
        };
        Span::styled(format!(" {label} "), style)
    };
    let mut spans = vec![
        tab(
            Pane::Records,
            if s.filter.is_empty() {
                format!("{} {}", pick(l, "记录", "Records"), s.data.lines.len())
            } else {
                format!(
                    "{} {}/{}",
                    pick(l, "记录", "Records"),
                    s.shown.len(),
                    s.data.lines.len()
                )
            },
        ),
        Span::raw(" "),
        tab(
            Pane::Checkpoints,
            format!(
                "{} {}",
                t::label(l, Label::Checkpoints),
                s.data.checkpoints.len()
            ),
        ),
    ];
    if !s.filter.is_empty() || s.filter_editing {
        let cursor = if s.filter_editing { "▏" } else { "" };
        spans.push(Span::styled(
            format!("  {} ", pick(l, "筛选", "filter")),
            theme.bold(),
        ));
        spans.push(Span::raw(format!("{}{cursor}", s.filter)));
    } else {
        for (b, label) in [
            (Bindable::Checkpoints, pick(l, "切换", "switch")),
            (Bindable::Filter, pick(l, "筛选", "filter")),
        ] {
            if let Some(k) = app.keymap.keys(b).first() {
                spans.push(Span::styled(
                    format!("  {} {label}", k.label()),
                    theme.dim(),
                ));
            }
        }
    }
    frame.render_widget(Line::from(spans), area);
}

fn draw_empty(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    let first = if s.data.exists {
        match l {
            Lang::Zh => format!("账本 {} 中尚无记录。", s.data.file),
            Lang::En => format!("The ledger {} holds no records yet.", s.data.file),
        }
    } else {
        match l {
            Lang::Zh => format!("本工作区尚无账本（{} 不存在）。", s.data.file),
            Lang::En => format!(
                "This workspace has no ledger yet ({} does not exist).",
                s.data.file
            ),
        }
    };
    let command = |cmd: &'static str, zh: &'static str, en: &'static str| {
        vec![
            Line::styled(format!("  {cmd}"), theme.bold()),
            Line::styled(format!("      {}", pick(l, zh, en)), theme.dim()),
        ]
    };
    let mut lines = vec![
        Line::styled(first, theme.bold()),
        Line::raw(""),
        Line::raw(pick(
            l,
            "签名记录由各单位用自己的密钥登记，例如：",
            "Each unit files signed records with its own key, for example:",
        )),
    ];
    lines.extend(command(
        "anbao keys new --unit implementing",
        "生成本单位的签名密钥（每单位一次）",
        "make your unit's signing key (once per unit)",
    ));
    lines.extend(command(
        "anbao check --record",
        "核验并将验收结论登记为签名记录",
        "check and file the acceptance verdict as a signed record",
    ));
    lines.extend(command(
        "anbao drill finish --summary FILE",
        "结束演练并登记演练记录",
        "finish a drill and file its record",
    ));
    lines.extend(command(
        "anbao ledger append --kind KIND --body JSON",
        "追加任意一条签名记录",
        "append any signed record",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::raw(pick(
        l,
        "登记后，本页列出每条记录、其签名与校验状态，以及检查点。",
        "Once filed, this screen lists every record, its signatures and verification, and the checkpoints.",
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::TOP))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// What the notes column says about a record: awaiting, corrected, correcting, co-signing.
pub(super) fn notes(lang: Lang, s: &RecordsState, r: &Record) -> String {
    t::relations(lang, s.report(), r).join("; ")
}

fn text_width(text: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(text)).unwrap_or(u16::MAX)
}

/// The header of the signature count on narrow terminals.
fn narrow_signatures(l: Lang) -> &'static str {
    pick(l, "签名", "Sigs")
}

/// Terminals at least this wide list the signing units; narrower ones count them.
const WIDE: u16 = 100;

fn draw_records(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    let rows_fit = usize::from(area.height.saturating_sub(1));
    let width = app.size.0;
    let window = || {
        s.shown
            .iter()
            .enumerate()
            .skip(s.records.offset)
            .take(rows_fit)
            .map(|(pos, &i)| (pos, i, &s.data.lines[i]))
    };
    // Kind and unit columns as wide as their widest visible entry, so the notes get the rest.
    let kind = |r: &Record| t::kind_name(l, &r.entry.kind);
    let unit = |r: &Record| t::unit_short(l, &r.entry.unit);
    let widest = |label: Label, get: &dyn Fn(&Record) -> String| {
        window()
            .filter_map(|(_, _, line)| line.as_ref().ok().map(|r| text_width(&get(r))))
            .chain([text_width(t::label(l, label))])
            .max()
            .unwrap_or(0)
            .min(24)
    };
    let kind_width = widest(Label::Kind, &kind);
    let unit_width = widest(Label::Unit, &unit);
    let wide = width >= WIDE;
    let seq_width = s.data.lines.len().to_string().len().max(4) as u16;
    let rows = window().map(|(pos, i, line)| {
        count_formatted();
        let state = s.line_state(i);
        let mut cells = vec![state_cell(l, theme, state)];
        match line {
            Ok(r) => {
                // Until verification is done, the signatures on the line; then the units
                // whose signatures hold, co-signatures included.
                let signers = match (s.report(), wide) {
                    (Some(report), true) => report
                        .signed_by(r.seq())
                        .iter()
                        .map(|u| t::unit_short(l, u))
                        .collect::<Vec<_>>()
                        .join("+"),
                    (Some(report), false) => report.signed_by(r.seq()).len().to_string(),
                    (None, _) => r.signatures.len().to_string(),
                };
                cells.extend([
                    Cell::from(r.seq().to_string()),
                    Cell::from(short_time(&r.entry.time, width)),
                    Cell::from(super::text::fit(&kind(r), usize::from(kind_width))),
                    Cell::from(super::text::fit(&unit(r), usize::from(unit_width))),
                    Cell::from(signers),
                    Cell::from(notes(l, s, r)),
                ]);
            }
            Err(e) => cells.extend([
                Cell::from("?"),
                Cell::from(""),
                Cell::from(Span::styled(
                    format!("{} {}: {e}", t::label(l, Label::Line), i + 1),
                    theme.fg(Color::Red),
                )),
            ]),
        }
        list_row(theme, cells, pos == s.records.selected)
    });
    let header = Row::new(vec![
        pick(l, "校验", "Check"),
        t::label(l, Label::Seq),
        t::label(l, Label::Time),
        t::label(l, Label::Kind),
        t::label(l, Label::Unit),
        if wide {
            pick(l, "已签署单位", "Signed by")
        } else {
            narrow_signatures(l)
        },
        pick(l, "备注", "Notes"),
    ])
    .style(theme.bold());
    let widths = [
        Constraint::Length(8),
        Constraint::Length(seq_width),
        Constraint::Length(time_width(width)),
        Constraint::Length(kind_width),
        Constraint::Length(unit_width),
        if wide {
            Constraint::Fill(1)
        } else {
            Constraint::Length(text_width(narrow_signatures(l)))
        },
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn draw_checkpoints(frame: &mut Frame, app: &App, theme: &Theme, s: &RecordsState, area: Rect) {
    let l = app.lang;
    if s.data.checkpoints.is_empty() {
        let text = vec![
            Line::styled(
                pick(l, "尚无检查点。", "No checkpoints yet."),
                theme.bold(),
            ),
            Line::raw(pick(
                l,
                "anbao ledger checkpoint 签署当前树头，写入 records/checkpoints/，供报送主管部门。",
                "`anbao ledger checkpoint` signs the tree head into records/checkpoints/ for filing with the authority.",
            )),
        ];
        frame.render_widget(
            Paragraph::new(text)
                .block(Block::default().borders(Borders::TOP))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let width = app.size.0;
    let rows_fit = usize::from(area.height.saturating_sub(1));
    let rows = s
        .data
        .checkpoints
        .iter()
        .enumerate()
        .skip(s.checkpoints.offset)
        .take(rows_fit)
        .map(|(i, (file, parsed))| {
            count_formatted();
            let (status, state) = s.checkpoint_status(i);
            let signed = match status {
                Some(c) => c
                    .signed_by
                    .iter()
                    .map(|id| {
                        s.data
                            .trust
                            .get(id)
                            .map_or(id.as_str(), |k| k.unit.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join("+"),
                None => String::new(),
            };
            let mut cells = vec![state_cell(l, theme, state)];
            match parsed {
                Ok(cp) => cells.extend([
                    Cell::from(cp.size.to_string()),
                    Cell::from(cp.alg.to_string()),
                    Cell::from(
                        cp.time
                            .as_deref()
                            .map(|t| short_time(t, width))
                            .unwrap_or_default(),
                    ),
                    Cell::from(signed),
                ]),
                Err(why) => cells.extend([
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(Span::styled(why.clone(), theme.fg(Color::Red))),
                ]),
            }
            cells.push(Cell::from(
                file.rsplit('/').next().unwrap_or(file).to_string(),
            ));
            list_row(theme, cells, i == s.checkpoints.selected)
        });
    let header = Row::new(vec![
        pick(l, "校验", "Check"),
        t::label(l, Label::Size),
        pick(l, "算法", "Hash"),
        t::label(l, Label::Time),
        pick(l, "签署单位", "Signed by"),
        t::label(l, Label::File),
    ])
    .style(theme.bold());
    let widths = [
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(7),
        Constraint::Length(time_width(width)),
        Constraint::Fill(2),
        Constraint::Fill(3),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

/// `label` padded to `width` display columns (Chinese labels are two columns a character).
pub(super) fn padded(label: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(label);
    format!("{label}{} ", " ".repeat(width.saturating_sub(used)))
}

/// The footer's keys on this screen.
pub fn footer_hints(app: &App) -> Vec<Bindable> {
    let detail = matches!(&app.records, RecordsScreen::Ready(s) if s.detail.is_some());
    let todo = matches!(&app.records, RecordsScreen::Ready(s) if s.todo.is_some());
    if todo {
        vec![
            Bindable::Sign,
            Bindable::Todo,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ]
    } else if detail {
        super::view::DETAIL_HINTS.to_vec()
    } else {
        vec![
            Bindable::Open,
            Bindable::Checkpoints,
            Bindable::Todo,
            Bindable::Language,
            Bindable::Help,
            Bindable::Quit,
        ]
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::app::{update, Action, App, Screen};
    use super::super::keys::KeyMap;
    use super::super::records::{self, RecordsScreen};
    use super::super::view::snapshots::{langs, render, rows_formatted_by_a_draw};
    use crate::i18n::Lang;
    use crate::ledger::enrol::{proof_of_possession, KeyDescriptor, KeyOp};
    use crate::ledger::keys::SigningKey;
    use crate::ledger::sig::SecretKey;
    use crate::ledger::{checkpoint, NewRecord, SigAlg};
    use serde_json::json;
    use std::path::Path;
    use std::sync::Mutex;

    const MANIFEST: &str = "[project]\nname = \"测试项目\"\ncode = \"TEST-001\"\n\n\
        [units.implementing]\nname = \"示例实施单位\"\n\n\
        [units.construction]\nname = \"示例建设单位\"\n\n[crypto]\nprofile = \"intl\"\n";

    /// A key made from fixed bytes (so key ids and signatures, and with them the snapshots,
    /// are the same on every run).
    pub(in crate::tui) fn fixed_key(unit: &str, seed: u8) -> SigningKey {
        let secret = SecretKey::from_bytes(SigAlg::Ed25519, &[seed; 32]).unwrap();
        SigningKey {
            path: Default::default(),
            unit: unit.to_string(),
            key_id: secret.public().key_id(),
            secret,
        }
    }

    /// The record enrolling `key`, authorised by `by`, at a fixed time.
    fn enrolment(key: &SigningKey, time: String) -> NewRecord {
        let descriptor = KeyDescriptor::new(&key.public(), &key.unit, None);
        let op = KeyOp::Enrol {
            proof: proof_of_possession(key, &descriptor).unwrap(),
            key: descriptor,
            public: key.public(),
        };
        let mut new = NewRecord::new(op.kind(), op.body());
        new.time = Some(time);
        new
    }

    /// A workspace with no ledger.
    fn empty_workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("anbao.toml"), MANIFEST).unwrap();
        dir
    }

    /// The implementing unit's key founds the ledger (0) and enrols the construction unit's
    /// (1); then evidence on 3, a joint signature on 4, one awaiting the construction unit
    /// (5) and a correction of 4 (6); a checkpoint signed over the first five.
    pub(in crate::tui) fn sample_workspace() -> tempfile::TempDir {
        let ws = empty_workspace();
        let root = ws.path();
        let imp = fixed_key("implementing", 1);
        let con = fixed_key("construction", 2);
        let ledger =
            crate::ledger::Ledger::open(&crate::workspace::Workspace::open(root).unwrap()).unwrap();
        let evidence = root.join("演练记录.txt");
        std::fs::write(&evidence, "应急演练现场记录").unwrap();
        let at = |h: u32| format!("2026-11-{:02}T{:02}:30:00+08:00", 20 + h / 24, h % 24);
        ledger
            .append(enrolment(&imp, "2026-11-19T09:00:00+08:00".into()), &[&imp])
            .unwrap();
        ledger
            .append(enrolment(&con, "2026-11-19T09:10:00+08:00".into()), &[&imp])
            .unwrap();
        let records = [
            (
                NewRecord::new(
                    "acceptance.verdict",
                    json!({"meets": false, "failing": "3"}),
                ),
                vec![&imp],
            ),
            (
                NewRecord::new("drill.run", json!({"plan": "机房断电", "步骤": "5"}))
                    .evidence(std::slice::from_ref(&evidence)),
                vec![&imp],
            ),
            (
                NewRecord::new(
                    "assessment.signoff",
                    json!({"risks": "4", "结论": "可接受"}),
                ),
                vec![&imp, &con],
            ),
            (
                NewRecord::new("assessment.signoff", json!({"risks": "2"}))
                    .requires(&["implementing", "construction"]),
                vec![&imp],
            ),
            (
                NewRecord::new("assessment.signoff", json!({"risks": "5", "结论": "更正"}))
                    .supersedes(4),
                vec![&imp, &con],
            ),
        ];
        for (i, (mut new, keys)) in records.into_iter().enumerate() {
            new.time = Some(at(i as u32 * 5));
            ledger.append(new, &keys).unwrap();
            if i == 2 {
                let report = ledger.verify().unwrap();
                let head = &report.trees[0];
                let body = checkpoint::body(
                    &ledger.origin(head.alg),
                    head.size,
                    &head.root,
                    "2026-11-21T12:00:00+08:00",
                );
                let text = checkpoint::sign(&body, &[&imp]).unwrap();
                let dir = ledger.checkpoint_dir();
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("0000000005-sha256-20261121T120000.txt"), text).unwrap();
            }
        }
        ws
    }

    fn records_screen() -> usize {
        Screen::ALL
            .iter()
            .position(|s| *s == Screen::Records)
            .unwrap()
    }

    /// An app whose ledger was read and verified by the same code the TUI runs on its worker.
    pub(in crate::tui) fn app_on(ws: &Path, lang: Lang, size: (u16, u16)) -> App {
        let mut app = App::new(lang, KeyMap::default(), false, size);
        let actions = Mutex::new(Vec::new());
        records::read_and_verify(Some(ws.to_path_buf()), &|a| actions.lock().unwrap().push(a));
        for a in actions.into_inner().unwrap() {
            update(&mut app, a);
        }
        update(&mut app, Action::GoToScreen(records_screen()));
        assert_eq!(app.screen, Screen::Records);
        app
    }

    pub(in crate::tui) fn state(app: &App) -> &records::RecordsState {
        match &app.records {
            RecordsScreen::Ready(s) => s,
            other => panic!("the ledger is not ready: {other:?}"),
        }
    }

    #[test]
    fn the_ledger_list_in_both_languages_at_both_sizes() {
        let ws = sample_workspace();
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let app = app_on(ws.path(), lang, size);
                let s = state(&app);
                let report = s.report().expect("verified");
                assert!(report.is_clean(), "{:?}", report.findings);
                assert_eq!(s.line_state(5), Some(crate::ledger::LineState::Awaiting));
                insta::assert_snapshot!(
                    format!("records_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
            }
        }
    }

    #[test]
    fn a_tampered_record_is_named_and_marked_failed() {
        let ws = sample_workspace();
        let path = ws.path().join("records/ledger.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        // Change what record 3 says, leaving its hash and signature as they were.
        let changed = text.replacen("机房断电", "机房停电", 1);
        assert_ne!(changed, text);
        std::fs::write(&path, changed).unwrap();
        for (lang, code) in langs() {
            let mut app = app_on(ws.path(), lang, (120, 40));
            let s = state(&app);
            let report = s.report().unwrap();
            assert!(!report.is_clean());
            assert_eq!(report.first_bad.as_ref().unwrap().seq, Some(3));
            assert_eq!(s.line_state(3), Some(crate::ledger::LineState::Failed));
            assert_eq!(s.line_state(2), Some(crate::ledger::LineState::Verified));
            insta::assert_snapshot!(format!("records_tampered_{code}"), render(&app));
            // Open the failing record: its problems are listed with the record.
            for _ in 0..3 {
                update(&mut app, Action::Down);
            }
            update(&mut app, Action::Open);
            let screen = render(&app);
            assert!(screen.contains("leaf-hash-mismatch"), "{screen}");
            insta::assert_snapshot!(format!("records_tampered_detail_{code}"), screen);
        }
    }

    #[test]
    fn a_record_opens_with_body_evidence_and_signatures() {
        let ws = sample_workspace();
        for (lang, code) in langs() {
            let mut app = app_on(ws.path(), lang, (120, 40));
            for _ in 0..4 {
                update(&mut app, Action::Down);
            }
            update(&mut app, Action::Open);
            insta::assert_snapshot!(format!("records_detail_joint_{code}"), render(&app));
            update(&mut app, Action::Back);
            update(&mut app, Action::Up);
            update(&mut app, Action::Open);
            let screen = render(&app);
            assert!(screen.contains("演练记录.txt"), "{screen}");
            insta::assert_snapshot!(format!("records_detail_evidence_{code}"), screen);
            update(&mut app, Action::Back);
            assert!(state(&app).detail.is_none());
        }
    }

    #[test]
    fn the_checkpoint_list_and_a_checkpoint_in_detail() {
        let ws = sample_workspace();
        for (lang, code) in langs() {
            let mut app = app_on(ws.path(), lang, (80, 24));
            update(&mut app, Action::SwitchPane);
            insta::assert_snapshot!(format!("records_checkpoints_{code}"), render(&app));
            update(&mut app, Action::Open);
            insta::assert_snapshot!(format!("records_checkpoint_detail_{code}"), render(&app));
            update(&mut app, Action::Back);
            update(&mut app, Action::Back);
            assert_eq!(state(&app).pane, records::Pane::Records);
        }
    }

    #[test]
    fn an_absent_ledger_says_so_and_how_to_file_records() {
        let ws = empty_workspace();
        for (lang, code) in langs() {
            let app = app_on(ws.path(), lang, (80, 24));
            let screen = render(&app);
            assert!(screen.contains("anbao ledger append"), "{screen}");
            insta::assert_snapshot!(format!("records_absent_{code}"), screen);
        }
        // An empty file reads as a ledger with no records, not as a missing one.
        std::fs::create_dir_all(ws.path().join("records")).unwrap();
        std::fs::write(ws.path().join("records/ledger.jsonl"), "").unwrap();
        let app = app_on(ws.path(), Lang::En, (80, 24));
        assert!(render(&app).contains("holds no records yet"));
    }

    #[test]
    fn verification_shows_its_progress_before_the_report_arrives() {
        let ws = sample_workspace();
        let ledger =
            crate::ledger::Ledger::open(&crate::workspace::Workspace::open(ws.path()).unwrap())
                .unwrap();
        let ws_loaded = crate::workspace::Workspace::open(ws.path()).unwrap();
        for (lang, code) in langs() {
            let mut app = App::new(lang, KeyMap::default(), false, (80, 24));
            update(&mut app, Action::GoToScreen(records_screen()));
            let data = records::read_ledger(&ledger, &ws_loaded).unwrap();
            update(&mut app, Action::LedgerRead(Box::new(data)));
            update(
                &mut app,
                Action::VerifyProgress(crate::ledger::Phase::Signatures {
                    done: 4096,
                    total: 10_000,
                }),
            );
            let s = state(&app);
            assert!(s.report().is_none() && s.line_state(0).is_none());
            insta::assert_snapshot!(format!("records_verifying_{code}"), render(&app));
            // Keys work while verification runs.
            update(&mut app, Action::Down);
            assert_eq!(state(&app).records.selected, 1);
        }
    }

    #[test]
    fn help_lists_the_keys_of_the_records_screen() {
        let ws = sample_workspace();
        let mut app = app_on(ws.path(), Lang::Zh, (80, 24));
        update(&mut app, Action::ToggleHelp);
        let screen = render(&app);
        assert!(screen.contains("切换记录/检查点列表"), "{screen}");
        assert!(!screen.contains("按结论筛选"), "{screen}");
        insta::assert_snapshot!("records_help_zh_80x24", screen);
        update(&mut app, Action::ToggleLang);
        insta::assert_snapshot!("records_help_en_80x24", render(&app));
    }

    #[test]
    fn clicks_select_and_open_and_resizing_keeps_the_selection_visible() {
        let ws = sample_workspace();
        let mut app = app_on(ws.path(), Lang::En, (80, 24));
        let top = super::list_top(app.size);
        update(&mut app, Action::Click(top + 4));
        assert_eq!(state(&app).records.selected, 4);
        update(&mut app, Action::Click(top + 4));
        assert!(state(&app).detail.is_some());
        update(&mut app, Action::Back);
        update(&mut app, Action::Resize(80, 8));
        let s = state(&app);
        assert!(s.records.selected < s.records.offset + super::list_rows(app.size));
        // Clicks below the last record do nothing.
        update(&mut app, Action::Home);
        update(&mut app, Action::Click(top + 20));
        assert_eq!(state(&app).records.selected, 0);
        // A click on the bar naming the lists switches between them.
        update(&mut app, Action::Click(top - 2));
        assert_eq!(state(&app).pane, records::Pane::Checkpoints);
        update(&mut app, Action::Click(top - 2));
        assert_eq!(state(&app).pane, records::Pane::Records);
    }

    #[test]
    fn records_filed_elsewhere_appear_without_losing_the_place() {
        let ws = sample_workspace();
        let mut app = app_on(ws.path(), Lang::En, (80, 24));
        update(&mut app, Action::Down);
        update(&mut app, Action::Open);
        let (tx, rx) = std::sync::mpsc::channel();
        let root = ws.path().to_path_buf();
        // The watcher notices a closed channel at its next report; like the UI's, it is left
        // to end with the process.
        std::thread::spawn(move || {
            records::watch(Some(root), std::time::Duration::from_millis(20), &|a| {
                tx.send(a).is_ok()
            })
        });
        // The first reading, as at start-up.
        let wait_verified = |app: &mut App| loop {
            let action = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
            let done = matches!(action, Action::Verified(_));
            update(app, action);
            if done {
                break;
            }
        };
        wait_verified(&mut app);
        // Another terminal files a record.
        let con = fixed_key("construction", 2);
        let ledger =
            crate::ledger::Ledger::open(&crate::workspace::Workspace::open(ws.path()).unwrap())
                .unwrap();
        ledger.cosign(5, &con).unwrap();
        wait_verified(&mut app);
        let s = state(&app);
        assert_eq!(s.data.lines.len(), 8);
        assert_eq!(s.records.selected, 1);
        assert!(s.detail.is_some(), "the open record stays open");
        assert!(s.report().unwrap().awaiting.is_empty());
    }

    #[test]
    fn without_colour_no_cell_is_coloured() {
        let ws = sample_workspace();
        let path = ws.path().join("records/ledger.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("机房断电", "机房停电", 1)).unwrap();
        let coloured = |color: bool| {
            let mut app = app_on(ws.path(), Lang::Zh, (80, 24));
            app.color = color;
            let mut terminal =
                ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|f| super::super::view::draw(f, &app))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            buffer
                .content()
                .iter()
                .filter(|c| c.fg != ratatui::style::Color::Reset)
                .count()
        };
        assert!(coloured(true) > 0, "colours are used when allowed");
        assert_eq!(
            coloured(false),
            0,
            "NO_COLOR: no foreground colour anywhere"
        );
    }

    #[test]
    fn zh_lists_name_kinds_and_units_instead_of_their_ids() {
        let ws = sample_workspace();
        let app = app_on(ws.path(), Lang::Zh, (120, 40));
        let screen = render(&app);
        assert!(screen.contains("联合评估签署"), "{screen}");
        assert!(screen.contains("实施单位"), "{screen}");
        let list: String = screen.lines().skip(5).collect();
        assert!(!list.contains("assessment.signoff"), "{screen}");
        assert!(!list.contains(" implementing "), "{screen}");
    }

    #[test]
    fn typing_a_filter_finds_records_by_kind_unit_or_state() {
        let ws = sample_workspace();
        for (lang, code, word) in [(Lang::Zh, "zh", "待会签"), (Lang::En, "en", "awaiting")] {
            let mut app = app_on(ws.path(), lang, (80, 24));
            update(&mut app, Action::StartFilter);
            assert!(app.is_typing());
            for c in word.chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            assert!(!app.is_typing());
            assert_eq!(state(&app).shown, vec![5]);
            insta::assert_snapshot!(format!("records_filter_awaiting_{code}"), render(&app));
            // Enter opens the record under the filter, not the first of the ledger.
            update(&mut app, Action::Open);
            assert_eq!(
                state(&app).detail.as_ref().unwrap().target,
                records::Target::Line(5)
            );
            update(&mut app, Action::Back);
            update(&mut app, Action::Back);
            assert_eq!(state(&app).shown.len(), 7, "Esc clears the filter");
        }
        let mut app = app_on(ws.path(), Lang::En, (80, 24));
        update(&mut app, Action::StartFilter);
        for c in "zzz".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        assert!(render(&app).contains("No record matches the filter"));
        update(&mut app, Action::FilterBackspace);
        update(&mut app, Action::Back);
        update(&mut app, Action::ClearFilters);
        for c in "/drill".chars().skip(1) {
            update(&mut app, Action::FilterChar(c));
        }
        assert!(
            state(&app).filter.is_empty(),
            "not typing: letters are no filter text"
        );
        assert_eq!(state(&app).shown.len(), 7);
        update(&mut app, Action::StartFilter);
        for c in "drill".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        assert_eq!(state(&app).shown, vec![3]);
    }

    #[test]
    fn a_long_ledger_formats_only_the_rows_on_screen() {
        let ws = sample_workspace();
        let mut app = app_on(ws.path(), Lang::Zh, (80, 24));
        let RecordsScreen::Ready(s) = &mut app.records else {
            panic!("not read");
        };
        let one = s.data.lines[0].clone();
        s.data.lines = vec![one; 50_000];
        s.index();
        let rows = super::list_rows(app.size);
        assert_eq!(rows_formatted_by_a_draw(&app), rows);
        update(&mut app, Action::End);
        assert_eq!(state(&app).records.selected, 49_999);
        assert_eq!(rows_formatted_by_a_draw(&app), rows);
    }
}
