//! The drill reports in Markdown and as self-contained HTML, in Chinese or English: the annual
//! plan as a table (GB/T 38645-2020 Annex A.1 columns) and a year calendar, and one drill's
//! summary report with its timeline of target against actual.

use super::html::E;
use super::markdown::text as md;
use crate::drill::plan::Item;
use crate::drill::report::{PlanReport, RunReport};
use crate::drill::schedule::{Occurrence, Status};
use crate::drill::summary::{rating_label, SCALE};
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use crate::workspace::Workspace;
use chrono::Datelike;
use std::fmt::Write;

const STYLE: &str = include_str!("report.css");
const DRILL_STYLE: &str = include_str!("drill.css");

/// What one month of one plan item shows in the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Empty,
    InPeriod,
    Planned,
    Due,
    Overdue,
    Done,
}

impl Cell {
    pub fn sign(self) -> &'static str {
        match self {
            Cell::Empty => "",
            Cell::InPeriod => "○",
            Cell::Planned => "◆",
            Cell::Due => "●",
            Cell::Overdue => "!",
            Cell::Done => "✓",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Cell::Empty => "",
            Cell::InPeriod => "in",
            Cell::Planned => "planned",
            Cell::Due => "due",
            Cell::Overdue => "overdue",
            Cell::Done => "done",
        }
    }
}

/// The twelve cells of `item`'s calendar row.
pub fn months(item: &Item, occurrences: &[Occurrence]) -> [Cell; 12] {
    let mut row = [Cell::Empty; 12];
    for o in occurrences.iter().filter(|o| o.item == item.id) {
        let mut mark = |month: u32, cell: Cell| {
            let slot = &mut row[month as usize - 1];
            if rank(cell) > rank(*slot) {
                *slot = cell;
            }
        };
        for m in o.period.first.month()..=o.period.last.month() {
            mark(m, Cell::InPeriod);
        }
        if let Some(p) = o.planned {
            mark(p.month(), Cell::Planned);
        }
        match (o.status, o.held) {
            (Status::Done | Status::DoneLate, Some(h)) => mark(h.month(), Cell::Done),
            (Status::Overdue, _) => mark(o.deadline.deadline.month(), Cell::Overdue),
            (Status::Due, _) => mark(o.planned.unwrap_or(o.deadline.deadline).month(), Cell::Due),
            _ => {}
        }
    }
    row
}

fn rank(c: Cell) -> u8 {
    match c {
        Cell::Empty => 0,
        Cell::InPeriod => 1,
        Cell::Planned => 2,
        Cell::Due => 3,
        Cell::Overdue => 4,
        Cell::Done => 5,
    }
}

fn project(lang: Lang, name: &str, name_en: Option<&str>) -> String {
    match lang {
        Lang::En => name_en.unwrap_or(name).to_string(),
        Lang::Zh => name.to_string(),
    }
}

/// When one drill of an item is held: its planned day, or its period, and its deadline.
fn when(o: &Occurrence, lang: Lang) -> String {
    let base = match o.planned {
        Some(p) => p.format("%m-%d").to_string(),
        None => o.period.label.clone(),
    };
    let sep = if lang == Lang::Zh { "，" } else { ", " };
    format!(
        "{base}{sep}{} {}",
        d::t(lang, K::DueBy),
        o.deadline.deadline.format("%m-%d")
    )
}

fn units(ws: &Workspace, item: &Item, lang: Lang) -> String {
    item.units
        .iter()
        .map(|u| crate::drill::unit_name(ws, u, lang))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "、" } else { ", " })
}

fn item_title(r: &PlanReport, item: &Item, lang: Lang) -> String {
    r.playbook(&item.playbook)
        .map_or(item.playbook.clone(), |p| p.title.get(lang).to_string())
}

/// The annual plan in Markdown.
pub fn plan_markdown(r: &PlanReport, ws: &Workspace, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_plan_md(&mut o, r, ws, lang);
    o
}

fn write_plan_md(o: &mut String, r: &PlanReport, ws: &Workspace, lang: Lang) -> std::fmt::Result {
    writeln!(o, "# {} {}\n", r.plan.year, d::t(lang, K::AnnualPlan))?;
    writeln!(
        o,
        "**{}**\n",
        md(&project(lang, &r.project, r.project_en.as_deref()))
    )?;
    if r.illustrative {
        writeln!(o, "> {}\n", d::t(lang, K::Illustrative))?;
    }
    writeln!(
        o,
        "{}: {} · {}: {} · {}: {}\n",
        d::t(lang, K::Owner),
        md(&crate::drill::unit_name(ws, &r.plan.unit, lang)),
        d::t(lang, K::Prepared),
        r.plan.prepared,
        d::t(lang, K::AsOf),
        r.as_of
    )?;
    let heads = [
        K::No,
        K::Item,
        K::Purpose,
        K::Form,
        K::Time,
        K::Units,
        K::Scope,
        K::Process,
        K::Budgeted,
    ];
    writeln!(o, "| {} |", heads.map(|k| d::t(lang, k)).join(" | "))?;
    writeln!(o, "|{}", "---|".repeat(heads.len()))?;
    for (i, item) in r.plan.items.iter().enumerate() {
        let times: Vec<String> = r
            .occurrences
            .iter()
            .filter(|x| x.item == item.id)
            .map(|x| when(x, lang))
            .collect();
        writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            md(&item_title(r, item, lang)),
            md(item.purpose.get(lang)),
            format_args!(
                "{} · {}",
                d::form(lang, item.form),
                d::content(lang, item.content)
            ),
            format_args!(
                "{}: {}",
                d::recurrence(lang, item.recurrence),
                md(&times.join("; "))
            ),
            md(&units(ws, item, lang)),
            d::scope(lang, item.scope),
            d::process(lang, &item.process),
            d::t(lang, if item.budgeted { K::Yes } else { K::NoWord }),
        )?;
    }
    writeln!(o, "\n## {}\n", d::t(lang, K::Calendar))?;
    write!(o, "| {} |", d::t(lang, K::Item))?;
    for m in 1..=12 {
        write!(o, " {m} |")?;
    }
    writeln!(o, "\n|---|{}", "---|".repeat(12))?;
    for item in &r.plan.items {
        write!(o, "| {} |", md(&item_title(r, item, lang)))?;
        for c in months(item, &r.occurrences) {
            write!(o, " {} |", c.sign())?;
        }
        writeln!(o)?;
    }
    writeln!(o, "\n{}\n", d::t(lang, K::Legend))?;
    writeln!(o, "## {}\n", d::t(lang, K::Status))?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        d::t(lang, K::Item),
        d::t(lang, K::Period),
        d::t(lang, K::Deadline),
        d::t(lang, K::Status),
        d::t(lang, K::Run)
    )?;
    for x in &r.occurrences {
        writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(&x.item),
            x.period.label,
            md(&d::deadline(lang, &x.deadline)),
            d::status(lang, x.status),
            x.run.as_deref().map(md).unwrap_or_default()
        )?;
    }
    if r.occurrences.iter().any(|x| x.deadline.provisional) || r.next_plan.deadline.provisional {
        writeln!(o, "\n{}", d::t(lang, K::CalendarUnknown))?;
    }
    writeln!(
        o,
        "\n{} {}: {} {} — {}",
        r.next_plan.year,
        d::t(lang, K::NextPlan),
        d::t(lang, K::DueBy),
        d::deadline(lang, &r.next_plan.deadline),
        d::status(lang, r.next_plan.status)
    )?;
    if !r.plan.has_comprehensive() {
        writeln!(o, "\n**{}**", d::t(lang, K::NoComprehensive))?;
    }
    Ok(())
}

fn html_head(o: &mut String, lang: Lang, title: &str) -> std::fmt::Result {
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(o, "<title>{}</title>", E(title))?;
    writeln!(
        o,
        "<style>\n{STYLE}{DRILL_STYLE}</style>\n</head>\n<body>\n<main>"
    )
}

fn html_cover(
    o: &mut String,
    lang: Lang,
    title: &str,
    project_name: &str,
    illustrative: bool,
) -> std::fmt::Result {
    writeln!(o, "<header class=\"cover\">")?;
    if illustrative {
        writeln!(
            o,
            "<p class=\"illustrative\" role=\"note\"><strong>{}</strong></p>",
            d::t(lang, K::Illustrative)
        )?;
    }
    writeln!(
        o,
        "<h1>{}</h1>\n<p class=\"project\">{}</p>",
        E(title),
        E(project_name)
    )
}

/// The annual plan as one self-contained HTML page.
pub fn plan_html(r: &PlanReport, ws: &Workspace, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_plan_html(&mut o, r, ws, lang);
    o
}

fn write_plan_html(o: &mut String, r: &PlanReport, ws: &Workspace, lang: Lang) -> std::fmt::Result {
    let title = format!("{} {}", r.plan.year, d::t(lang, K::AnnualPlan));
    let name = project(lang, &r.project, r.project_en.as_deref());
    html_head(o, lang, &title)?;
    html_cover(o, lang, &title, &name, r.illustrative)?;
    writeln!(
        o,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>\n</header>",
        d::t(lang, K::Owner),
        E(&crate::drill::unit_name(ws, &r.plan.unit, lang)),
        d::t(lang, K::Prepared),
        r.plan.prepared,
        d::t(lang, K::AsOf),
        r.as_of
    )?;
    writeln!(
        o,
        "<section><h2>{}</h2>\n<table>\n<thead><tr>",
        d::t(lang, K::AnnualPlan)
    )?;
    for k in [
        K::No,
        K::Item,
        K::Purpose,
        K::Form,
        K::Time,
        K::Units,
        K::Scope,
        K::Process,
        K::Budgeted,
    ] {
        write!(o, "<th>{}</th>", d::t(lang, k))?;
    }
    writeln!(o, "</tr></thead>\n<tbody>")?;
    for (i, item) in r.plan.items.iter().enumerate() {
        let times: Vec<String> = r
            .occurrences
            .iter()
            .filter(|x| x.item == item.id)
            .map(|x| format!("{}", E(&when(x, lang))))
            .collect();
        writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{} · {}</td><td>{}<br>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td><td>{}</td></tr>",
            i + 1,
            E(&item_title(r, item, lang)),
            E(item.purpose.get(lang)),
            d::form(lang, item.form),
            d::content(lang, item.content),
            d::recurrence(lang, item.recurrence),
            times.join("<br>"),
            E(&units(ws, item, lang)),
            d::scope(lang, item.scope),
            d::process(lang, &item.process),
            d::t(lang, if item.budgeted { K::Yes } else { K::NoWord }),
        )?;
    }
    writeln!(o, "</tbody></table></section>")?;
    writeln!(o, "<section class=\"keep\"><h2>{}</h2>\n<table class=\"calendar\">\n<thead><tr><th class=\"name\">{}</th>", d::t(lang, K::Calendar), d::t(lang, K::Item))?;
    for m in 1..=12 {
        write!(o, "<th>{m}</th>")?;
    }
    writeln!(o, "</tr></thead>\n<tbody>")?;
    for item in &r.plan.items {
        write!(
            o,
            "<tr><td class=\"name\">{}</td>",
            E(&item_title(r, item, lang))
        )?;
        for c in months(item, &r.occurrences) {
            write!(o, "<td class=\"{}\">{}</td>", c.class(), c.sign())?;
        }
        writeln!(o, "</tr>")?;
    }
    writeln!(
        o,
        "</tbody></table>\n<p class=\"legend\">{}</p></section>",
        d::t(lang, K::Legend)
    )?;
    writeln!(o, "<section><h2>{}</h2>\n<table><thead><tr><th>{}</th><th>{}</th><th class=\"date\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        d::t(lang, K::Status), d::t(lang, K::Item), d::t(lang, K::Period), d::t(lang, K::Deadline), d::t(lang, K::Status), d::t(lang, K::Run))?;
    for x in &r.occurrences {
        let class = match x.status {
            Status::Overdue => "fail",
            Status::Due => "pending",
            Status::Done | Status::DoneLate => "pass",
            Status::Upcoming => "",
        };
        writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"state {class}\">{}</td><td>{}</td></tr>",
            E(&x.item),
            E(&x.period.label),
            E(&d::deadline(lang, &x.deadline)),
            d::status(lang, x.status),
            E(x.run.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(o, "</tbody></table>")?;
    if r.occurrences.iter().any(|x| x.deadline.provisional) || r.next_plan.deadline.provisional {
        writeln!(
            o,
            "<p class=\"note\">{}</p>",
            d::t(lang, K::CalendarUnknown)
        )?;
    }
    writeln!(
        o,
        "<p>{} {}: {} {} — <strong>{}</strong></p>",
        r.next_plan.year,
        d::t(lang, K::NextPlan),
        d::t(lang, K::DueBy),
        d::deadline(lang, &r.next_plan.deadline),
        d::status(lang, r.next_plan.status)
    )?;
    if !r.plan.has_comprehensive() {
        writeln!(
            o,
            "<p><strong>{}</strong></p>",
            d::t(lang, K::NoComprehensive)
        )?;
    }
    writeln!(o, "</section>\n</main>\n</body>\n</html>")
}

fn minutes(lang: Lang, late: Option<i64>) -> String {
    match late {
        None => "—".into(),
        Some(0) => "0".into(),
        Some(m) => format!("{m:+} {}", d::t(lang, K::Minutes)),
    }
}

/// One drill's summary report in Markdown.
pub fn summary_markdown(r: &RunReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_summary_md(&mut o, r, lang);
    o
}

fn write_summary_md(o: &mut String, r: &RunReport, lang: Lang) -> std::fmt::Result {
    let p = &r.playbook;
    let run = &r.run;
    writeln!(
        o,
        "# {}\n\n## {}\n",
        d::t(lang, K::DrillSummary),
        md(p.title.get(lang))
    )?;
    writeln!(
        o,
        "**{}** · {}\n",
        md(&project(lang, &r.project, r.project_en.as_deref())),
        md(&run.id)
    )?;
    if r.illustrative {
        writeln!(o, "> {}\n", d::t(lang, K::Illustrative))?;
    }
    if run.finished.is_none() {
        writeln!(o, "> **{}**\n", d::t(lang, K::NotFinished))?;
    }
    writeln!(
        o,
        "### {}\n\n{}\n",
        d::t(lang, K::PurposeSection),
        md(r.purpose.as_ref().unwrap_or(&p.summary).get(lang))
    )?;
    writeln!(
        o,
        "### {}\n\n- {}: {}\n- {}: {}\n- {}: {}\n- {}: {} · {}\n- {}: {}/{} · {} {}\n",
        d::t(lang, K::TimePlace),
        d::t(lang, K::Started),
        run.started.format("%Y-%m-%d %H:%M %:z"),
        d::t(lang, K::Finished),
        run.finished
            .map_or("—".into(), |t| t.format("%Y-%m-%d %H:%M %:z").to_string()),
        d::t(lang, K::Place),
        md(&run.place),
        d::t(lang, K::Form),
        d::form(lang, p.form),
        d::content(lang, p.content),
        d::t(lang, K::Incident),
        p.category,
        p.subcategory,
        p.grade.as_str(),
        md(p.grade.name().get(lang)),
    )?;
    writeln!(o, "### {}\n", d::t(lang, K::People))?;
    writeln!(
        o,
        "| {} | {} | {} |\n|---|---|---|",
        d::t(lang, K::Name),
        d::t(lang, K::Unit),
        d::t(lang, K::Role)
    )?;
    for x in &run.participants {
        let role = p
            .role(&x.role)
            .map_or(x.role.clone(), |r| r.name.get(lang).to_string());
        writeln!(
            o,
            "| {} | {} | {} |",
            md(&x.name),
            md(&r.unit(&x.unit, lang)),
            md(&role)
        )?;
    }
    writeln!(
        o,
        "\n### {}\n\n{}\n",
        d::t(lang, K::Scenario),
        md(p.scenario.get(lang))
    )?;
    writeln!(o, "### {}\n", d::t(lang, K::Timeline))?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---|---|",
        d::t(lang, K::Step),
        d::t(lang, K::Expected),
        d::t(lang, K::Target),
        d::t(lang, K::Actual),
        d::t(lang, K::Delta),
        d::t(lang, K::Status)
    )?;
    for t in &r.timings {
        let expected = p.step(&t.id).map_or("", |s| s.expected.get(lang));
        writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&t.id),
            md(expected),
            t.target_minutes,
            t.actual_minutes.map_or("—".into(), |a| a.to_string()),
            minutes(lang, t.late_by_minutes),
            d::step_status(lang, t.status)
        )?;
    }
    if !run.observations.is_empty() {
        writeln!(o, "\n### {}\n", d::t(lang, K::Observations))?;
        for x in &run.observations {
            writeln!(
                o,
                "- {} {}{}",
                x.time.format("%H:%M"),
                x.step
                    .as_deref()
                    .map(|s| format!("[{}] ", md(s)))
                    .unwrap_or_default(),
                md(&x.text)
            )?;
        }
    }
    super::drill_reporting::markdown(o, &r.reporting, lang)?;
    if let Some(s) = &run.summary {
        writeln!(o, "\n### {}\n", d::t(lang, K::Evaluation))?;
        writeln!(
            o,
            "| {} | {} | {} |\n|---|---|---|",
            d::t(lang, K::Objective),
            d::t(lang, K::Rating),
            d::t(lang, K::Comment)
        )?;
        for e in &s.evaluations {
            let text = p
                .objectives
                .iter()
                .find(|x| x.id == e.objective)
                .map_or(e.objective.clone(), |x| x.text.get(lang).to_string());
            writeln!(
                o,
                "| {} | {} {} | {} |",
                md(&text),
                e.rating,
                rating_label(lang, e.rating),
                md(&e.comment)
            )?;
        }
        write!(o, "\n{}: ", d::t(lang, K::Scale))?;
        writeln!(
            o,
            "{}\n",
            SCALE
                .iter()
                .map(|(r, _, _)| format!("{r} {}", rating_label(lang, *r)))
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        writeln!(o, "### {}\n", d::t(lang, K::Problems))?;
        if s.problems.is_empty() {
            writeln!(o, "{}", d::t(lang, K::Nothing))?;
        }
        for x in &s.problems {
            writeln!(
                o,
                "- {}（{}：{}）",
                md(&x.problem),
                d::t(lang, K::Cause),
                md(&x.cause)
            )?;
        }
        writeln!(o, "\n### {}\n", d::t(lang, K::Lessons))?;
        for x in &s.lessons {
            writeln!(o, "- {}", md(x))?;
        }
        writeln!(o, "\n### {}\n", d::t(lang, K::Actions))?;
        writeln!(
            o,
            "| ID | {} | {} | {} |\n|---|---|---|---|",
            d::t(lang, K::Action),
            d::t(lang, K::Responsible),
            d::t(lang, K::DueDate)
        )?;
        for a in &s.actions {
            writeln!(
                o,
                "| {}#{} | {} | {} | {} |",
                md(&run.id),
                a.id,
                md(&a.action),
                md(&a.owner),
                a.due
            )?;
        }
    }
    if !run.evidence.is_empty() {
        writeln!(o, "\n### {}\n", d::t(lang, K::Evidence))?;
        for e in &run.evidence {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(o, "- {} `sha256:{}`", md(&name), e.sha256)?;
        }
    }
    if let Some(seq) = &run.record_seq {
        writeln!(
            o,
            "\n{}: {} {seq} ({})",
            d::t(lang, K::Record),
            d::t(lang, K::RecordSeq),
            crate::drill::record::FINISHED_KIND
        )?;
    }
    writeln!(
        o,
        "\n{}: {}",
        d::t(lang, K::Cites),
        p.cites.iter().map(|c| md(c)).collect::<Vec<_>>().join("; ")
    )
}

/// One drill's summary report as one self-contained HTML page.
pub fn summary_html(r: &RunReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_summary_html(&mut o, r, lang);
    o
}

fn write_summary_html(o: &mut String, r: &RunReport, lang: Lang) -> std::fmt::Result {
    let p = &r.playbook;
    let run = &r.run;
    let title = format!("{}：{}", d::t(lang, K::DrillSummary), p.title.get(lang));
    html_head(o, lang, &title)?;
    html_cover(
        o,
        lang,
        p.title.get(lang),
        &project(lang, &r.project, r.project_en.as_deref()),
        r.illustrative,
    )?;
    writeln!(
        o,
        "<p class=\"muted\">{} · {}</p>",
        d::t(lang, K::DrillSummary),
        E(&run.id)
    )?;
    writeln!(
        o,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} · {}</dd><dt>{}</dt><dd>{}/{} · {} {}</dd></dl>\n</header>",
        d::t(lang, K::Started),
        run.started.format("%Y-%m-%d %H:%M %:z"),
        d::t(lang, K::Finished),
        run.finished.map_or(d::t(lang, K::NotFinished).to_string(), |t| t.format("%Y-%m-%d %H:%M %:z").to_string()),
        d::t(lang, K::Place),
        E(&run.place),
        d::t(lang, K::Form),
        d::form(lang, p.form),
        d::content(lang, p.content),
        d::t(lang, K::Incident),
        E(&p.category),
        E(&p.subcategory),
        p.grade.as_str(),
        E(p.grade.name().get(lang)),
    )?;
    writeln!(
        o,
        "<section><h2>{}</h2><p>{}</p>",
        d::t(lang, K::PurposeSection),
        E(r.purpose.as_ref().unwrap_or(&p.summary).get(lang))
    )?;
    writeln!(
        o,
        "<h2>{}</h2><p>{}</p></section>",
        d::t(lang, K::Scenario),
        E(p.scenario.get(lang))
    )?;
    writeln!(o, "<section><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", d::t(lang, K::People), d::t(lang, K::Name), d::t(lang, K::Unit), d::t(lang, K::Role))?;
    for x in &run.participants {
        let role = p
            .role(&x.role)
            .map_or(x.role.clone(), |r| r.name.get(lang).to_string());
        writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            E(&x.name),
            E(&r.unit(&x.unit, lang)),
            E(&role)
        )?;
    }
    writeln!(o, "</tbody></table></section>")?;
    writeln!(o, "<section><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        d::t(lang, K::Timeline), d::t(lang, K::Step), d::t(lang, K::Expected), d::t(lang, K::Target), d::t(lang, K::Actual), d::t(lang, K::Delta), d::t(lang, K::Status))?;
    for t in &r.timings {
        let expected = p.step(&t.id).map_or("", |s| s.expected.get(lang));
        let class = match t.late_by_minutes {
            Some(m) if m > 0 => "late",
            Some(_) => "ontime",
            None => "",
        };
        writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num {class}\">{}</td><td>{}</td></tr>",
            E(&t.id),
            E(expected),
            t.target_minutes,
            t.actual_minutes.map_or("—".into(), |a| a.to_string()),
            minutes(lang, t.late_by_minutes),
            d::step_status(lang, t.status)
        )?;
    }
    writeln!(o, "</tbody></table>")?;
    if !run.observations.is_empty() {
        writeln!(o, "<h3>{}</h3><ul>", d::t(lang, K::Observations))?;
        for x in &run.observations {
            writeln!(
                o,
                "<li>{} {}{}</li>",
                x.time.format("%H:%M"),
                x.step
                    .as_deref()
                    .map(|s| format!("<code>{}</code> ", E(s)))
                    .unwrap_or_default(),
                E(&x.text)
            )?;
        }
        writeln!(o, "</ul>")?;
    }
    writeln!(o, "</section>")?;
    super::drill_reporting::html(o, &r.reporting, lang)?;
    if let Some(s) = &run.summary {
        writeln!(o, "<section><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", d::t(lang, K::Evaluation), d::t(lang, K::Objective), d::t(lang, K::Rating), d::t(lang, K::Comment))?;
        for e in &s.evaluations {
            let text = p
                .objectives
                .iter()
                .find(|x| x.id == e.objective)
                .map_or(e.objective.clone(), |x| x.text.get(lang).to_string());
            writeln!(
                o,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                E(&text),
                e.rating,
                rating_label(lang, e.rating),
                E(&e.comment)
            )?;
        }
        writeln!(
            o,
            "</tbody></table><p class=\"note\">{}: {}</p>",
            d::t(lang, K::Scale),
            SCALE
                .iter()
                .map(|(r, _, _)| format!("{r} {}", E(rating_label(lang, *r))))
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        writeln!(o, "<h2>{}</h2>", d::t(lang, K::Problems))?;
        if s.problems.is_empty() {
            writeln!(o, "<p>{}</p>", d::t(lang, K::Nothing))?;
        } else {
            writeln!(
                o,
                "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
                d::t(lang, K::Problem),
                d::t(lang, K::Cause)
            )?;
            for x in &s.problems {
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    E(&x.problem),
                    E(&x.cause)
                )?;
            }
            writeln!(o, "</tbody></table>")?;
        }
        writeln!(o, "<h2>{}</h2><ul>", d::t(lang, K::Lessons))?;
        for x in &s.lessons {
            writeln!(o, "<li>{}</li>", E(x))?;
        }
        writeln!(o, "</ul><h2>{}</h2><table><thead><tr><th>ID</th><th>{}</th><th>{}</th><th class=\"date\">{}</th></tr></thead><tbody>", d::t(lang, K::Actions), d::t(lang, K::Action), d::t(lang, K::Responsible), d::t(lang, K::DueDate))?;
        for a in &s.actions {
            writeln!(o, "<tr><td><code>{}#{}</code></td><td>{}</td><td>{}</td><td class=\"date\">{}</td></tr>", E(&run.id), a.id, E(&a.action), E(&a.owner), a.due)?;
        }
        writeln!(o, "</tbody></table></section>")?;
    }
    if !run.evidence.is_empty() {
        writeln!(o, "<section><h2>{}</h2><ul>", d::t(lang, K::Evidence))?;
        for e in &run.evidence {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(o, "<li>{} <code>sha256:{}</code></li>", E(&name), e.sha256)?;
        }
        writeln!(o, "</ul></section>")?;
    }
    if let Some(seq) = &run.record_seq {
        writeln!(
            o,
            "<p>{}: {} {} (<code>{}</code>)</p>",
            d::t(lang, K::Record),
            d::t(lang, K::RecordSeq),
            E(seq),
            crate::drill::record::FINISHED_KIND
        )?;
    }
    writeln!(
        o,
        "<p class=\"note\">{}: {}</p>\n</main>\n</body>\n</html>",
        d::t(lang, K::Cites),
        E(&p.cites.join("; "))
    )
}
