//! Drawing the drills screen: the year's plan as a calendar with due and overdue drills, and
//! the drill-run mode with its running clock. Reads the state, changes nothing.

use super::app::App;
use super::drills::{DrillsState, RunMode};
use crate::drill::run::StepStatus;
use crate::drill::schedule::Status;
use crate::drill::timeline::{Timeline, TimelineCode, TimelineFinding};
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use crate::report::drill::{months, Cell};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn fg(app: &App, c: Color) -> Style {
    if app.color {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

fn status_style(app: &App, s: Status) -> Style {
    match s {
        Status::Overdue => fg(app, Color::Red).add_modifier(Modifier::BOLD),
        Status::Due => fg(app, Color::Yellow).add_modifier(Modifier::BOLD),
        Status::Done | Status::DoneLate => fg(app, Color::Green),
        Status::Upcoming => Style::new().add_modifier(Modifier::DIM),
    }
}

/// `s` padded with spaces to `width` display columns (Chinese characters count two).
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// Cuts `s` to `max` display columns without splitting a character.
fn fit(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for ch in s.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) + 1 > max {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    match &app.drills {
        None => frame.render_widget(
            Paragraph::new(pick(
                app.lang,
                "正在读取演练计划……",
                "Reading the drill plan…",
            )),
            area,
        ),
        Some(Err(message)) => frame.render_widget(
            Paragraph::new(vec![
                Line::styled(
                    pick(
                        app.lang,
                        "无法读取演练数据：",
                        "Could not read the drill data:",
                    ),
                    fg(app, Color::Red).add_modifier(Modifier::BOLD),
                ),
                Line::raw(message.as_str()),
            ])
            .wrap(Wrap { trim: false }),
            area,
        ),
        Some(Ok(state)) => match &state.run {
            Some(mode) => draw_run(frame, app, state, mode, area),
            None => draw_calendar(frame, app, state, area),
        },
    }
    // The last problem, or what the last finish, signature or abandonment did, at the
    // bottom, over as many lines as it needs (up to four).
    let Some(Ok(state)) = &app.drills else { return };
    let shown = match (&state.message, &state.notice) {
        (Some(m), _) => Some((m.text(app.lang), Color::Red)),
        (None, Some(n)) => Some((n.get(app.lang).to_string(), Color::Green)),
        (None, None) => None,
    };
    if let Some((text, color)) = shown {
        let width = usize::from(area.width.max(1));
        let height = (text.width().div_ceil(width)).clamp(1, 4) as u16;
        let last = Rect {
            y: area.bottom().saturating_sub(height),
            height,
            ..area
        };
        frame.render_widget(ratatui::widgets::Clear, last);
        frame.render_widget(
            Paragraph::new(text)
                .style(fg(app, color))
                .wrap(Wrap { trim: false }),
            last,
        );
    }
}

fn draw_calendar(frame: &mut Frame, app: &App, s: &DrillsState, area: Rect) {
    let l = app.lang;
    let Some(plan) = s.plan() else {
        frame.render_widget(
            Paragraph::new(format!("{}: {}", s.year, d::t(l, K::NoPlan)))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    };
    let rows = plan.items.len() as u16;
    let [head, grid, legend, due] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(rows + 1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Line::from(vec![
            Span::styled(
                format!("{} {}", plan.year, d::t(l, K::AnnualPlan)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("  {} {}", d::t(l, K::AsOf), s.as_of)),
        ]),
        head,
    );
    // Names take what the twelve month columns leave.
    let name_width = (area.width as usize)
        .saturating_sub(12 * 4 + 2)
        .clamp(10, 40);
    let mut header = vec![ratatui::widgets::Cell::from(d::t(l, K::Item))];
    header.extend((1..=12).map(|m| ratatui::widgets::Cell::from(format!("{m:>2}"))));
    let body: Vec<Row> = plan
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let title = s
                .drills
                .playbook(&item.playbook)
                .map_or(item.playbook.clone(), |p| p.title.get(l).to_string());
            let mut cells = vec![ratatui::widgets::Cell::from(fit(&title, name_width))];
            for c in months(item, &s.occurrences) {
                let style = match c {
                    Cell::Overdue => status_style(app, Status::Overdue),
                    Cell::Due => status_style(app, Status::Due),
                    Cell::Done => status_style(app, Status::Done),
                    _ => Style::new(),
                };
                cells.push(ratatui::widgets::Cell::from(format!("{:>2}", c.sign())).style(style));
            }
            let row = Row::new(cells);
            if i == s.selected {
                row.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![Constraint::Length(name_width as u16)];
    widths.extend(std::iter::repeat_n(Constraint::Length(3), 12));
    frame.render_widget(
        Table::new(body, widths)
            .header(Row::new(header).style(Style::new().add_modifier(Modifier::BOLD)))
            .column_spacing(1),
        grid,
    );
    frame.render_widget(
        Line::styled(d::t(l, K::Legend), Style::new().add_modifier(Modifier::DIM)),
        legend,
    );
    let mut lines = Vec::new();
    for o in s.due.drills.iter().filter(|o| o.status.needs_attention()) {
        lines.push(Line::from(vec![
            Span::styled(pad(d::status(l, o.status), 8), status_style(app, o.status)),
            Span::raw(format!(
                " {} {} · {} {}",
                o.item,
                o.period.label,
                d::t(l, K::DueBy),
                d::deadline(l, &o.deadline)
            )),
        ]));
    }
    for n in s
        .due
        .next_plans
        .iter()
        .filter(|n| n.status.needs_attention())
    {
        lines.push(Line::from(vec![
            Span::styled(pad(d::status(l, n.status), 8), status_style(app, n.status)),
            Span::raw(format!(
                " {} {} · {} {}",
                n.year,
                d::t(l, K::NextPlan),
                d::t(l, K::DueBy),
                d::deadline(l, &n.deadline)
            )),
        ]));
    }
    for a in s
        .due
        .actions
        .iter()
        .filter(|a| a.due_status.needs_attention())
    {
        lines.push(Line::from(vec![
            Span::styled(
                pad(d::status(l, a.due_status), 8),
                status_style(app, a.due_status),
            ),
            Span::raw(format!(
                " {} · {} · {}",
                a.action.id, a.action.action, a.action.due
            )),
        ]));
    }
    for r in &s.open_runs {
        lines.push(Line::from(vec![
            Span::styled(pad(pick(l, "进行中", "open"), 8), fg(app, Color::Cyan)),
            Span::raw(format!(" {}", r.id)),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::raw(d::t(l, K::Nothing)));
    }
    let title = pick(
        l,
        " 到期与逾期 · Enter 开始/继续演练 ",
        " Due and overdue · Enter starts or resumes a drill ",
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP).title(title)),
        due,
    );
}

/// `T+HH:MM:SS` from the start of the drill.
fn clock(minutes_seconds: i64) -> String {
    let s = minutes_seconds.max(0);
    format!("T+{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

fn draw_run(frame: &mut Frame, app: &App, s: &DrillsState, mode: &RunMode, area: Rect) {
    let l = app.lang;
    let run = &mode.run;
    let pb = &mode.playbook;
    let elapsed_s = (s.now - run.started).num_seconds();
    let elapsed_min = elapsed_s / 60;
    let [head, table, notes, input] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .areas(area);
    let report = format!(
        " · {} {}",
        d::t(l, K::ReportClock),
        d::clock(l, &pb.reporting_clock())
    );
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(
                    clock(elapsed_s),
                    fg(app, Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::raw("  "),
                Span::styled(
                    fit(pb.title.get(l), area.width.saturating_sub(14) as usize),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
            ]),
            Line::styled(
                fit(
                    &format!(
                        "{} · {} {}{report}",
                        run.id,
                        d::t(l, K::Started),
                        s.zone.show(run.started, "%Y-%m-%d %H:%M")
                    ),
                    area.width as usize,
                ),
                Style::new().add_modifier(Modifier::DIM),
            ),
        ]),
        head,
    );
    let expected_width = (area.width as usize)
        .saturating_sub(1 + 14 + 4 + 7 + 8 + 5)
        .max(8);
    let timeline = Timeline::of(run, pb);
    let missed_clock: Vec<&TimelineFinding> = timeline
        .findings
        .iter()
        .filter(|f| f.code == TimelineCode::ReportingClockMissed)
        .collect();
    let rows: Vec<Row> = timeline
        .steps
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let step = pb.step(&t.id);
            let overrun = !t.status.is_final() && i64::from(t.target_minutes) < elapsed_min;
            let clock_missed = missed_clock.iter().any(|f| f.step == t.id);
            let sign = match t.status {
                StepStatus::Pending if overrun => "!",
                StepStatus::Pending => "·",
                StepStatus::Started => "▶",
                StepStatus::Done => "✓",
                StepStatus::Skipped => "↷",
                StepStatus::Failed => "✗",
            };
            let style = match t.status {
                _ if clock_missed => fg(app, Color::Red),
                StepStatus::Done if t.is_late() => fg(app, Color::Yellow),
                StepStatus::Done => fg(app, Color::Green),
                StepStatus::Failed => fg(app, Color::Red),
                StepStatus::Skipped => Style::new().add_modifier(Modifier::DIM),
                _ if overrun => fg(app, Color::Red),
                _ => Style::new(),
            };
            let actual = t
                .actual_minutes
                .map_or(String::new(), |a| match t.late_by_minutes {
                    Some(late) if late > 0 => format!("{a} +{late}"),
                    _ => a.to_string(),
                });
            let row = Row::new(vec![
                ratatui::widgets::Cell::from(sign).style(style),
                ratatui::widgets::Cell::from(fit(&t.id, 14)),
                ratatui::widgets::Cell::from(format!("{:>4}", t.target_minutes)),
                ratatui::widgets::Cell::from(actual).style(style),
                ratatui::widgets::Cell::from(d::step_status(l, t.status)).style(style),
                ratatui::widgets::Cell::from(fit(
                    step.map_or("", |s| s.expected.get(l)),
                    expected_width,
                )),
            ]);
            if i == mode.selected {
                row.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(vec![
        "",
        d::t(l, K::Step),
        pick(l, "目标", "tgt"),
        pick(l, "实际", "actual"),
        d::t(l, K::Status),
        d::t(l, K::Expected),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD));
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(1),
                Constraint::Length(14),
                Constraint::Length(4),
                Constraint::Length(7),
                Constraint::Length(8),
                Constraint::Fill(1),
            ],
        )
        .header(header)
        .column_spacing(1),
        table,
    );
    // A missed reporting clock comes before the observations: it is the finding that matters.
    let mut lines: Vec<Line> = missed_clock
        .iter()
        .map(|f| {
            Line::styled(
                fit(&format!("! {}", f.message.get(l)), area.width as usize),
                fg(app, Color::Red).add_modifier(Modifier::BOLD),
            )
        })
        .collect();
    lines.push(Line::styled(
        d::t(l, K::Observations),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    for o in run
        .observations
        .iter()
        .rev()
        .take(3usize.saturating_sub(missed_clock.len()))
    {
        lines.push(Line::raw(fit(
            &format!(
                "{} {}{}",
                s.zone.show(o.time, "%H:%M"),
                o.step
                    .as_deref()
                    .map(|s| format!("[{s}] "))
                    .unwrap_or_default(),
                o.text
            ),
            area.width as usize,
        )));
    }
    frame.render_widget(Paragraph::new(lines), notes);
    if let Some(text) = &mode.typing {
        let label = match mode.reason_for {
            Some(crate::drill::run::StepEvent::Skip) => pick(l, "跳过原因：", "Why skipped: "),
            Some(crate::drill::run::StepEvent::Fail) => pick(l, "未完成原因：", "Why it failed: "),
            _ => pick(l, "观察：", "Note: "),
        };
        frame.render_widget(
            Line::from(vec![
                Span::styled(label, Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(text.as_str()),
                Span::styled("▏", Style::new().add_modifier(Modifier::SLOW_BLINK)),
            ]),
            input,
        );
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::app::{update, Action, App, Screen};
    use super::super::drills::DrillsState;
    use super::super::keys::KeyMap;
    use super::super::view::snapshots::render;
    use crate::drill::run::{StepStatus, Time};
    use crate::drill::{Drills, Runs};
    use crate::i18n::Lang;
    use std::path::Path;

    pub(in crate::tui) fn at(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// A copy of the demo workspace's tracked files, since runs are written.
    pub(in crate::tui) fn workspace() -> tempfile::TempDir {
        crate::demo::demo_copy()
    }

    pub(in crate::tui) fn app(dir: &Path, lang: Lang, size: (u16, u16)) -> App {
        let ws = crate::workspace::Workspace::open(dir).unwrap();
        let drills = Drills::load(&ws).unwrap();
        let state = DrillsState::new(
            ws.root.clone(),
            drills,
            Vec::new(),
            Vec::new(),
            Vec::new(),
            "2026-11-28".parse().unwrap(),
            at("2026-11-28T09:00:00+08:00"),
        );
        let mut app = App::new(lang, KeyMap::default(), false, size);
        let drills = Screen::ALL
            .iter()
            .position(|s| *s == Screen::Drills)
            .unwrap();
        update(&mut app, Action::GoToScreen(drills));
        update(&mut app, Action::DrillsLoaded(Box::new(Ok(state))));
        app
    }

    fn langs() -> [(Lang, &'static str); 2] {
        [(Lang::Zh, "zh"), (Lang::En, "en")]
    }

    /// Fills the start form that `Enter` on a plan item opens: a place and one participant.
    pub(in crate::tui) fn start_drill(app: &mut App) {
        update(app, Action::Open);
        let typed = |app: &mut App, text: &str| {
            for c in text.chars() {
                update(app, Action::FilterChar(c));
            }
        };
        typed(app, "市政务云机房值班室");
        update(app, Action::FilterDone);
        typed(app, "张三");
        // Name, unit, role, then past the "add" row to the submit row.
        for _ in 0..3 {
            update(app, Action::Down);
        }
        update(app, Action::Down);
        update(app, Action::FilterDone);
        assert!(app.drills_state().unwrap().run.is_some(), "{}", render(app));
    }

    #[test]
    fn the_year_calendar_marks_due_and_overdue_drills() {
        let dir = workspace();
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let app = app(dir.path(), lang, size);
                insta::assert_snapshot!(
                    format!("drills_calendar_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
            }
        }
    }

    #[test]
    fn running_a_drill_marks_steps_with_one_key_and_saves_each_one() {
        for (lang, code) in langs() {
            for size in [(80, 24), (120, 40)] {
                let dir = workspace();
                let mut app = app(dir.path(), lang, size);
                // The second item: the ransomware drill.
                update(&mut app, Action::Down);
                start_drill(&mut app);
                let steps = [
                    (Action::StepStart, "09:02"),
                    (Action::StepDone, "09:07"),
                    (Action::StepDone, "09:45"),
                    (Action::StepSkip, "09:50"),
                    (Action::StartObservation, "09:51"),
                ];
                for (a, t) in steps {
                    update(
                        &mut app,
                        Action::Tick(at(&format!("2026-11-28T{t}:00+08:00"))),
                    );
                    let skip = matches!(a, Action::StepSkip);
                    update(&mut app, a);
                    // A skip asks why first.
                    if skip {
                        for c in "已口头报告".chars() {
                            update(&mut app, Action::FilterChar(c));
                        }
                        update(&mut app, Action::FilterDone);
                    }
                }
                for c in "报送模板缺失".chars() {
                    update(&mut app, Action::FilterChar(c));
                }
                update(&mut app, Action::FilterDone);
                update(&mut app, Action::Tick(at("2026-11-28T10:52:30+08:00")));
                insta::assert_snapshot!(
                    format!("drills_run_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );

                // Everything is on disk: a restart would find the same run.
                let runs = Runs::new(dir.path()).open().unwrap();
                assert_eq!(runs.len(), 1);
                let run = &runs[0];
                assert_eq!(run.id, "ransomware-gov-server-20261128");
                assert_eq!(run.plan_item.as_deref(), Some("ransomware"));
                let status: Vec<StepStatus> = run.steps.iter().map(|s| s.status).collect();
                assert_eq!(
                    &status[..4],
                    [
                        StepStatus::Done,
                        StepStatus::Done,
                        StepStatus::Skipped,
                        StepStatus::Pending
                    ]
                );
                assert_eq!(run.observations[0].text, "报送模板缺失");
                assert_eq!(run.observations[0].step.as_deref(), Some("report-cac"));
            }
        }
    }

    #[test]
    fn a_missed_reporting_clock_is_shown_above_the_observations() {
        for (lang, code) in langs() {
            let dir = workspace();
            let mut app = app(dir.path(), lang, (80, 24));
            update(&mut app, Action::Down);
            start_drill(&mut app);
            // detect, isolate and grade done; the report to the authority skipped, with why.
            for (a, t) in [
                (Action::StepDone, "09:07"),
                (Action::StepDone, "09:45"),
                (Action::StepDone, "09:55"),
                (Action::StepSkip, "10:05"),
            ] {
                update(
                    &mut app,
                    Action::Tick(at(&format!("2026-11-28T{t}:00+08:00"))),
                );
                update(&mut app, a);
            }
            for c in "模板缺失".chars() {
                update(&mut app, Action::FilterChar(c));
            }
            update(&mut app, Action::FilterDone);
            let screen = render(&app);
            let expected = match lang {
                Lang::Zh => "! 未在报告时限内报告",
                Lang::En => "! reporting clock missed",
            };
            assert!(screen.contains(expected), "{screen}");
            insta::assert_snapshot!(format!("drills_run_clock_missed_{code}"), screen);
        }
    }

    #[test]
    fn a_refused_event_is_shown_and_changes_nothing() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::En, (80, 24));
        start_drill(&mut app);
        update(&mut app, Action::StepDone);
        update(&mut app, Action::Up);
        // The first step is done; marking it again is refused.
        update(&mut app, Action::StepFail);
        let state = app.drills_state().unwrap();
        let refused = state.message.as_ref().unwrap();
        assert!(
            refused.text(Lang::En).contains("already done"),
            "{refused:?}"
        );
        assert_eq!(refused.text(Lang::Zh), "步骤“alarm”已是完成状态");
        assert_eq!(
            state.run.as_ref().unwrap().run.steps[0].status,
            StepStatus::Done
        );
        // Esc goes back to the calendar, and Enter resumes the same run.
        update(&mut app, Action::Back);
        assert!(app.drills_state().unwrap().run.is_none());
        update(&mut app, Action::Open);
        let run = &app.drills_state().unwrap().run.as_ref().unwrap().run;
        assert_eq!(run.steps[0].status, StepStatus::Done);
        assert_eq!(Runs::new(dir.path()).all().unwrap().len(), 1);
    }

    #[test]
    fn marking_a_step_moves_on_to_the_next_step_not_back_to_the_first_open_one() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::En, (80, 24));
        update(&mut app, Action::Down);
        start_drill(&mut app);
        update(&mut app, Action::Down);
        update(&mut app, Action::Down);
        // The first two steps are still open; the third (grade) is done now.
        update(&mut app, Action::StepDone);
        let mode = app.drills_state().unwrap().run.as_ref().unwrap();
        assert_eq!(mode.run.steps[mode.selected].id, "report-cac");
        // So the observation lands on the step after it, where the drill is.
        update(&mut app, Action::StartObservation);
        for c in "ok".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        update(&mut app, Action::FilterDone);
        let run = &Runs::new(dir.path()).open().unwrap()[0];
        assert_eq!(run.observations[0].step.as_deref(), Some("report-cac"));
    }

    #[test]
    fn a_run_changed_on_disk_is_shown_and_kept_when_the_screen_writes() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::En, (80, 24));
        update(&mut app, Action::Down);
        start_drill(&mut app);
        // `anbao drill log observe` in another terminal.
        let runs = Runs::new(dir.path());
        let id = runs.open().unwrap().remove(0).id;
        runs.update(&id, |run| {
            run.observe("来自命令行", None, at("2026-11-28T09:01:00+08:00"))
        })
        .unwrap()
        .unwrap();
        update(&mut app, Action::Tick(at("2026-11-28T09:02:00+08:00")));
        let shown = &app.drills_state().unwrap().run.as_ref().unwrap().run;
        assert_eq!(shown.observations.len(), 1, "the screen reloads the run");
        // A step marked on the screen keeps the observation logged elsewhere.
        runs.update(&id, |run| {
            run.observe("second", None, at("2026-11-28T09:02:30+08:00"))
        })
        .unwrap()
        .unwrap();
        update(&mut app, Action::StepDone);
        let saved = &runs.open().unwrap()[0];
        assert_eq!(saved.observations.len(), 2, "{saved:?}");
        assert_eq!(saved.steps[0].status, StepStatus::Done);
    }

    #[test]
    fn a_skipped_or_failed_step_asks_why_and_keeps_the_reason() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::En, (80, 24));
        start_drill(&mut app);
        update(&mut app, Action::StepSkip);
        insta::assert_snapshot!("drills_skip_reason_en_80x24", render(&app));
        // Esc: nothing happens to the step.
        update(&mut app, Action::Back);
        let run = &Runs::new(dir.path()).open().unwrap()[0];
        assert_eq!(run.steps[0].status, StepStatus::Pending);
        update(&mut app, Action::StepFail);
        for c in "alarm line down".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        update(&mut app, Action::FilterDone);
        let run = &Runs::new(dir.path()).open().unwrap()[0];
        assert_eq!(run.steps[0].status, StepStatus::Failed);
        assert_eq!(run.steps[0].note.as_deref(), Some("alarm line down"));
        assert_eq!(
            app.drills_state().unwrap().run.as_ref().unwrap().selected,
            1,
            "on to the next step"
        );
    }

    #[test]
    fn help_lists_the_keys_of_the_drills_screen() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::Zh, (80, 24));
        update(&mut app, Action::ToggleHelp);
        let screen = render(&app);
        assert!(screen.contains("演练：步骤完成"), "{screen}");
        assert!(!screen.contains("按结论筛选"), "{screen}");
    }
}
