//! The drill reports in Markdown and as self-contained HTML, in Chinese or English: the annual
//! plan as a table (GB/T 38645-2020 Annex A.1 columns) and a year calendar here, and one drill's
//! summary report in [`super::drill_summary`].

use super::html::E;
use super::markdown::text as md;
use crate::drill::plan::Item;
use crate::drill::report::PlanReport;
use crate::drill::schedule::{Occurrence, Status};
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use crate::workspace::Workspace;
use chrono::Datelike;
use std::fmt::Write;

pub use super::drill_summary::{summary_html, summary_markdown};

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

pub(super) fn project(lang: Lang, name: &str, name_en: Option<&str>) -> String {
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

pub(super) fn html_head(o: &mut String, lang: Lang, title: &str) -> std::fmt::Result {
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

pub(super) fn html_cover(
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
