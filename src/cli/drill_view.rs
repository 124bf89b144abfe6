//! How `anbao drill` prints: tables for people, JSON envelopes for machines.

use super::drill::Format;
use super::output::{write_json, Table, BOLD, DIM, GREEN, RED, YELLOW};
use crate::drill::finish::FinishProblem;
use crate::drill::record::TrackedAction;
use crate::drill::report::PlanReport;
use crate::drill::run::{Run, Time};
use crate::drill::schedule::{DueReport, Status};
use crate::drill::timeline::{Timeline, TimelineCode};
use crate::drill::{Drills, Playbook};
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use crate::timezone::Zone;
use crate::workspace::Workspace;
use anstyle::Style;
use chrono::NaiveDate;
use std::io::Write;

fn status_style(s: Status) -> Style {
    match s {
        Status::Overdue => RED,
        Status::Due => YELLOW,
        Status::Done | Status::DoneLate => GREEN,
        Status::Upcoming => DIM,
    }
}

pub fn playbooks(out: &mut impl Write, lang: Lang, drills: &Drills) -> anyhow::Result<()> {
    let mut table = Table::new(&[
        d::t(lang, K::Playbook),
        d::t(lang, K::Item),
        d::t(lang, K::Form),
        d::t(lang, K::Incident),
        d::t(lang, K::ReportClock),
    ]);
    for p in &drills.playbooks {
        table.row(vec![
            p.id.clone(),
            p.title.get(lang).to_string(),
            format!(
                "{} · {}",
                d::form(lang, p.form),
                d::content(lang, p.content)
            ),
            format!("{}/{} {}", p.category, p.subcategory, p.grade.as_str()),
            d::clock(lang, &p.reporting_clock()),
        ]);
    }
    table.write(out)?;
    Ok(())
}

pub fn plan(
    out: &mut impl Write,
    lang: Lang,
    ws: &Workspace,
    r: &PlanReport,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{BOLD}{} {}{BOLD:#}  ({} {}, {} {})",
        r.plan.year,
        d::t(lang, K::AnnualPlan),
        d::t(lang, K::Prepared),
        r.plan.prepared,
        d::t(lang, K::AsOf),
        r.as_of
    )?;
    let mut table = Table::new(&[
        d::t(lang, K::Item),
        d::t(lang, K::Playbook),
        d::t(lang, K::Form),
        d::t(lang, K::Recurrence),
        d::t(lang, K::Units),
        d::t(lang, K::Scope),
        d::t(lang, K::Budgeted),
    ]);
    for item in &r.plan.items {
        table.row(vec![
            item.id.clone(),
            r.playbook(&item.playbook)
                .map_or(item.playbook.clone(), |p| p.title.get(lang).to_string()),
            format!(
                "{} · {}",
                d::form(lang, item.form),
                d::content(lang, item.content)
            ),
            d::recurrence(lang, item.recurrence).into(),
            item.units
                .iter()
                .map(|u| crate::drill::unit_name(ws, u, lang))
                .collect::<Vec<_>>()
                .join(", "),
            d::scope(lang, item.scope),
            d::t(lang, if item.budgeted { K::Yes } else { K::NoWord }).into(),
        ]);
    }
    table.write(out)?;
    writeln!(out)?;
    occurrences(out, lang, &r.occurrences.iter().collect::<Vec<_>>())?;
    writeln!(out)?;
    next_plan(out, lang, &r.next_plan)?;
    if !r.plan.has_comprehensive() {
        writeln!(out, "{YELLOW}{}{YELLOW:#}", d::t(lang, K::NoComprehensive))?;
    }
    Ok(())
}

fn occurrences(
    out: &mut impl Write,
    lang: Lang,
    list: &[&crate::drill::schedule::Occurrence],
) -> anyhow::Result<()> {
    let mut table = Table::new(&[
        d::t(lang, K::Item),
        d::t(lang, K::Period),
        d::t(lang, K::Planned),
        d::t(lang, K::Deadline),
        d::t(lang, K::Status),
        d::t(lang, K::Run),
    ]);
    let mut unknown = std::collections::BTreeSet::new();
    for o in list {
        unknown.extend(o.deadline.provisional_years.iter().copied());
        table.row(vec![
            o.item.clone(),
            o.period.label.clone(),
            o.planned.map_or("—".into(), |p| p.to_string()),
            d::deadline(lang, &o.deadline),
            d::status(lang, o.status).to_string(),
            o.run.clone().unwrap_or_default(),
        ]);
    }
    table.write(out)?;
    for y in unknown {
        writeln!(out, "{DIM}{y}: {}{DIM:#}", d::t(lang, K::CalendarUnknown))?;
    }
    Ok(())
}

fn next_plan(
    out: &mut impl Write,
    lang: Lang,
    n: &crate::drill::schedule::NextPlan,
) -> anyhow::Result<()> {
    let st = status_style(n.status);
    writeln!(
        out,
        "{} {}: {} {}, {st}{}{st:#}",
        n.year,
        d::t(lang, K::NextPlan),
        d::t(lang, K::DueBy),
        d::deadline(lang, &n.deadline),
        d::status(lang, n.status)
    )?;
    Ok(())
}

pub fn due(out: &mut impl Write, lang: Lang, r: &DueReport, all: bool) -> anyhow::Result<()> {
    writeln!(out, "{BOLD}{} {}{BOLD:#}", d::t(lang, K::AsOf), r.as_of)?;
    if let Some(y) = r.missing_plan {
        writeln!(out, "{RED}{y}: {}{RED:#}", d::t(lang, K::NoPlan))?;
    }
    for y in &r.missing_comprehensive {
        writeln!(
            out,
            "{YELLOW}{y}: {}{YELLOW:#}",
            d::t(lang, K::NoComprehensive)
        )?;
    }
    let shown: Vec<_> = r
        .drills
        .iter()
        .filter(|o| all || o.status.needs_attention())
        .collect();
    if shown.is_empty() {
        writeln!(out, "{}", d::t(lang, K::Nothing))?;
    } else {
        occurrences(out, lang, &shown)?;
    }
    for n in r
        .next_plans
        .iter()
        .filter(|n| all || n.status.needs_attention())
    {
        next_plan(out, lang, n)?;
    }
    let acts: Vec<_> = r
        .actions
        .iter()
        .filter(|a| all || a.due_status.needs_attention())
        .collect();
    if !acts.is_empty() {
        writeln!(out, "\n{BOLD}{}{BOLD:#}", d::t(lang, K::Actions))?;
        let mut table = Table::new(&[
            "ID",
            d::t(lang, K::Action),
            d::t(lang, K::Responsible),
            d::t(lang, K::DueDate),
            d::t(lang, K::Status),
        ]);
        for a in acts {
            table.row(vec![
                a.action.id.clone(),
                a.action.action.clone(),
                a.action.owner.clone(),
                a.action.due.to_string(),
                format!(
                    "{} ({})",
                    d::status(lang, a.due_status),
                    d::action_status(lang, a.action.status)
                ),
            ]);
        }
        table.write(out)?;
    }
    Ok(())
}

/// The run's state after an event: its id, the clock and the timeline, every time in the
/// project's zone.
pub fn run_written(
    out: &mut impl Write,
    lang: Lang,
    run: &Run,
    playbook: &Playbook,
    now: Time,
    zone: Zone,
    format: Format,
) -> anyhow::Result<()> {
    let timeline = Timeline::of(run, playbook);
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            run: &'a Run,
            path: String,
            timezone: Zone,
            timings: &'a [crate::drill::timeline::StepTiming],
            reporting_clock_minutes: Option<u32>,
            findings: &'a [crate::drill::timeline::TimelineFinding],
        }
        return write_json(
            out,
            crate::drill::run::SCHEMA,
            &Body {
                run,
                path: format!("{}/{}.json", crate::drill::run::DIR, run.id),
                timezone: zone,
                timings: &timeline.steps,
                reporting_clock_minutes: timeline.reporting_clock_minutes,
                findings: &timeline.findings,
            },
        );
    }
    let elapsed = run.minutes_at(now);
    writeln!(
        out,
        "{BOLD}{}{BOLD:#}  {}  {} {}  (+{elapsed} {})",
        run.id,
        playbook.title.get(lang),
        d::t(lang, K::Started),
        zone.show(run.started, "%Y-%m-%d %H:%M %:z"),
        d::t(lang, K::Minutes)
    )?;
    if let Some(a) = &run.abandoned {
        writeln!(
            out,
            "{YELLOW}{} {}: {}{YELLOW:#}",
            d::t(lang, K::Abandoned),
            zone.show(a.time, "%Y-%m-%d %H:%M"),
            a.reason
        )?;
    } else if let Some(end) = run.finished {
        writeln!(
            out,
            "{} {}",
            d::t(lang, K::Finished),
            zone.show(end, "%Y-%m-%d %H:%M %:z")
        )?;
    }
    let mut table = Table::new(&[
        d::t(lang, K::Step),
        d::t(lang, K::Role),
        d::t(lang, K::Target),
        d::t(lang, K::Actual),
        d::t(lang, K::Status),
    ]);
    for t in &timeline.steps {
        // Table cells stay plain: escape codes would count towards the column widths.
        let overrun = !t.status.is_final()
            && i64::from(t.target_minutes) < elapsed
            && run.finished.is_none()
            && run.abandoned.is_none();
        let role = playbook
            .step(&t.id)
            .and_then(|s| playbook.role(&s.role))
            .map_or(String::new(), |r| r.name.get(lang).to_string());
        table.row(vec![
            t.id.clone(),
            role,
            t.target_minutes.to_string(),
            t.actual_minutes.map_or("—".into(), |a| {
                let late = t.late_by_minutes.unwrap_or(0);
                if late > 0 {
                    format!("{a} (+{late}) !")
                } else {
                    a.to_string()
                }
            }),
            format!(
                "{}{}",
                d::step_status(lang, t.status),
                if overrun { " !" } else { "" }
            ),
        ]);
    }
    table.write(out)?;
    if let Some(clock) = timeline.reporting_clock_minutes {
        writeln!(
            out,
            "{DIM}{}: {clock} {} ({}){DIM:#}",
            d::t(lang, K::ReportingClock),
            d::t(lang, K::Minutes),
            playbook.operator.name().get(lang)
        )?;
    }
    for f in &timeline.findings {
        let style = match f.code {
            TimelineCode::ReportingClockMissed => RED,
            TimelineCode::StepLate => YELLOW,
        };
        writeln!(
            out,
            "{style}! {} {}{style:#}",
            f.code.as_str(),
            f.message.get(lang)
        )?;
    }
    writeln!(
        out,
        "{DIM}{}: {}  {}: {}  {}: {}{DIM:#}",
        d::t(lang, K::People),
        run.participants.len(),
        d::t(lang, K::Observations),
        run.observations.len(),
        d::t(lang, K::Evidence),
        run.evidence.len()
    )?;
    Ok(())
}

/// Why a run cannot be finished yet: every problem, one a line, under a heading.
pub fn problems(
    out: &mut impl Write,
    lang: Lang,
    problems: &[FinishProblem],
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            finished: bool,
            problems: &'a [FinishProblem],
        }
        return write_json(
            out,
            "anbao.drill.finish-problems/1",
            &Body {
                finished: false,
                problems,
            },
        );
    }
    writeln!(out, "{RED}{}{RED:#}", d::t(lang, K::CannotFinish))?;
    for p in problems {
        writeln!(out, "  • {}", p.message.get(lang))?;
    }
    Ok(())
}

pub fn finished(
    out: &mut impl Write,
    lang: Lang,
    run: &Run,
    seq: u64,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            run: &'a str,
            kind: &'static str,
            seq: String,
        }
        return write_json(
            out,
            "anbao.drill.finished/1",
            &Body {
                run: &run.id,
                kind: crate::drill::record::FINISHED_KIND,
                seq: seq.to_string(),
            },
        );
    }
    writeln!(
        out,
        "{GREEN}{}{GREEN:#}: {} {seq} ({})",
        run.id,
        d::t(lang, K::RecordSeq),
        crate::drill::record::FINISHED_KIND
    )?;
    Ok(())
}

pub fn action_written(
    out: &mut impl Write,
    lang: Lang,
    id: &str,
    status: crate::drill::record::ActionStatus,
    seq: u64,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            action: &'a str,
            status: crate::drill::record::ActionStatus,
            seq: String,
        }
        return write_json(
            out,
            "anbao.drill.action/1",
            &Body {
                action: id,
                status,
                seq: seq.to_string(),
            },
        );
    }
    writeln!(
        out,
        "{id}: {} ({} {seq})",
        d::action_status(lang, status),
        d::t(lang, K::RecordSeq)
    )?;
    Ok(())
}

pub fn actions(
    out: &mut impl Write,
    lang: Lang,
    actions: &[TrackedAction],
    as_of: NaiveDate,
) -> anyhow::Result<()> {
    if actions.is_empty() {
        writeln!(out, "{}", d::t(lang, K::Nothing))?;
        return Ok(());
    }
    let mut table = Table::new(&[
        "ID",
        d::t(lang, K::Action),
        d::t(lang, K::Responsible),
        d::t(lang, K::DueDate),
        d::t(lang, K::Status),
    ]);
    for a in actions {
        let overdue = a.status != crate::drill::record::ActionStatus::Closed && as_of > a.due;
        table.row(vec![
            a.id.clone(),
            a.action.clone(),
            a.owner.clone(),
            a.due.to_string(),
            format!(
                "{}{}",
                d::action_status(lang, a.status),
                if overdue {
                    format!(", {}", d::t(lang, K::Overdue))
                } else {
                    String::new()
                }
            ),
        ]);
    }
    table.write(out)?;
    Ok(())
}
