//! `anbao calendar`: the years of the official working-day calendar anbao knows (built in or
//! added by the workspace), and `calendar set` to add or correct a year from the State
//! Council's notice.

use super::output::{write_json, Table, DIM};
use super::{workspace, Context, Outcome};
use crate::calendar::{Calendar, Origin, YearFileInput};
use crate::i18n::Lang;
use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: Option<CalendarCommand>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// Add or replace one year in the workspace's checklists/calendar-cn.toml / 补充或更正年度安排
    Set {
        /// The year, e.g. 2027
        year: i32,
        /// The notice the dates come from (title, number, date, where it was read)
        #[arg(long)]
        source: String,
        /// A holiday as NAME=FIRST..LAST (dates YYYY-MM-DD; one day: NAME=DAY); repeatable
        #[arg(long = "holiday", value_name = "NAME=FIRST..LAST")]
        holidays: Vec<String>,
        /// A weekend day that is a working day (调休上班日); repeatable
        #[arg(long = "workday", value_name = "DATE")]
        workdays: Vec<NaiveDate>,
    },
}

/// `NAME=2027-02-05..2027-02-11` or `NAME=2027-01-01`.
fn parse_holiday(s: &str) -> anyhow::Result<(String, NaiveDate, NaiveDate)> {
    let (name, span) = s
        .rsplit_once('=')
        .with_context(|| format!("holiday '{s}': expected NAME=FIRST..LAST"))?;
    let day = |d: &str| {
        d.trim()
            .parse::<NaiveDate>()
            .with_context(|| format!("holiday '{s}': '{d}' is not a date YYYY-MM-DD"))
    };
    let (from, to) = match span.split_once("..") {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(span)?, day(span)?),
    };
    if name.trim().is_empty() {
        bail!("holiday '{s}': the name is empty");
    }
    Ok((name.trim().to_string(), from, to))
}

pub fn run(ctx: &Context, args: CalendarArgs) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let ws = workspace(ctx)?;
    let mut out = anstream::stdout().lock();
    if let Some(CalendarCommand::Set {
        year,
        source,
        holidays,
        workdays,
    }) = args.command
    {
        let input = YearFileInput {
            year,
            source,
            holidays: holidays
                .iter()
                .map(|h| parse_holiday(h))
                .collect::<anyhow::Result<_>>()?,
            makeup_workdays: workdays,
        };
        let path = crate::calendar::write_workspace_year(&ws.root, &input)?;
        // Read it back the way every command will, so a file that does not load is caught now.
        Calendar::for_workspace(&ws.root)?;
        let rel = path.strip_prefix(&ws.root).unwrap_or(&path);
        match lang {
            Lang::Zh => writeln!(out, "已写入 {year} 年安排：{}", rel.display())?,
            Lang::En => writeln!(out, "wrote {year} to {}", rel.display())?,
        }
        return Ok(Outcome::Clean);
    }
    let cal = Calendar::for_workspace(&ws.root)?;
    if args.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            years: Vec<&'a crate::calendar::KnownYear>,
            unknown_years_rule: &'static str,
        }
        write_json(
            &mut out,
            "anbao.calendar/1",
            &Body {
                years: cal.years().collect(),
                unknown_years_rule: "monday-to-friday-provisional",
            },
        )?;
        return Ok(Outcome::Clean);
    }
    let (h_year, h_source, h_origin) = match lang {
        Lang::Zh => ("年度", "依据", "来源"),
        Lang::En => ("Year", "Source", "From"),
    };
    let mut table = Table::new(&[h_year, h_origin, h_source]);
    for y in cal.years() {
        let origin = match (&y.origin, lang) {
            (Origin::BuiltIn, Lang::Zh) => "内置".to_string(),
            (Origin::BuiltIn, Lang::En) => "built in".to_string(),
            (Origin::Workspace { file }, _) => file
                .strip_prefix(&ws.root)
                .unwrap_or(file)
                .display()
                .to_string(),
        };
        table.row(vec![y.year.to_string(), origin, y.source.clone()]);
    }
    table.write(&mut out)?;
    let note = match lang {
        Lang::Zh => "其他年度按周一至周五计工作日，所算日期一律标注“临时推算”；安排公布后用 anbao calendar set 补入。",
        Lang::En => "Other years count Monday to Friday as working days and every date computed so is marked provisional; add a year with anbao calendar set once it is announced.",
    };
    writeln!(out, "{DIM}{note}{DIM:#}")?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holidays_are_given_as_name_and_span() {
        let (n, a, b) = parse_holiday("春节 Spring Festival=2027-02-05..2027-02-11").unwrap();
        assert_eq!(
            (n.as_str(), a.to_string(), b.to_string()),
            (
                "春节 Spring Festival",
                "2027-02-05".into(),
                "2027-02-11".into()
            )
        );
        let (_, a, b) = parse_holiday("元旦=2027-01-01").unwrap();
        assert_eq!(a, b);
        assert!(parse_holiday("no-dates").is_err());
        assert!(parse_holiday("x=2027-13-01").is_err());
        assert!(parse_holiday("=2027-01-01").is_err());
    }
}
