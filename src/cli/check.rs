//! `anbao check`: the controllable-procurement verdict of the workspace, with its reasons,
//! evidence and filing deadlines.

use super::ledger::{local, signing_keys, Format};
use super::ledger_view::print_written;
use super::output::{fit, is_stdout, Table, BOLD, DIM, GREEN, RED, YELLOW};
use super::{progress, Context, Outcome};
use crate::acceptance::{self, Report};
use crate::i18n::{tr, Lang, Text};
use crate::inventory::{self, Level};
use crate::ledger::keys::SigningKey;
use crate::ledger::Ledger;
use crate::policy::Verdict;
use crate::report::labels::{self, Word};
use crate::report::{html, markdown, sarif};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Judge validity and deadlines as of this date (YYYY-MM-DD; default today)
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    /// Output format: the terminal table, JSON, or a report to file (Markdown, a self-contained
    /// HTML page that prints to A4, SARIF 2.1.0)
    #[arg(long, value_enum, default_value = "table")]
    format: CheckFormat,
    /// Write the report to this file instead of standard output (replaced whole, or not at all;
    /// a device or a FIFO is written into; `-` is standard output)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also list every warning, not only the products that fail
    #[arg(long)]
    all: bool,
    /// File the verdict in the signed ledger (records/ledger.jsonl) with the digests of the
    /// inventory and policy files, and the JSON report as evidence
    #[arg(long)]
    record: bool,
    /// Private key file(s) to sign the record with (default: ANBAO_KEY, then your key folder)
    #[arg(long = "key", value_name = "FILE", requires = "record")]
    keys: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Table,
    Json,
    Markdown,
    Html,
    Sarif,
}

pub fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<Outcome> {
    let output = args.output.as_deref().filter(|p| !is_stdout(p));
    let ws = Workspace::locate(ctx.workspace.as_deref())?;
    // Keys are found before the work, so a missing key costs no time and prints no report.
    let signing = match args.record {
        true => Some(ledger_and_keys(ctx.lang, &ws, &args.keys)?),
        false => None,
    };
    let root = ws.root.clone();
    let found = ws.inventories()?;
    let inputs =
        progress::with_progress(tr(ctx.lang, Text::Reading), found.files.len(), |report| {
            acceptance::load_inputs(ws, &found, || inventory::load_with(&found.files, report))
        })?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = acceptance::run(&inputs, as_of);
    // Compact JSON and the table are written straight to the output (see `acceptance::json`;
    // the table's colours must reach the terminal filter as they are written); every other
    // output is one buffer.
    let mut buf: Vec<u8> = Vec::new();
    let mut compact = false;
    match args.format {
        // The report names its own schema first, so it is serialised directly. Indented for a
        // person at a terminal; compact into files and pipes, where a 50,000-component report
        // is a third smaller and three times faster to write.
        CheckFormat::Json => {
            use std::io::IsTerminal;
            if output.is_none() && std::io::stdout().is_terminal() {
                serde_json::to_writer_pretty(&mut buf, &report)?;
                buf.push(b'\n');
            } else {
                compact = true;
            }
        }
        CheckFormat::Table => {}
        CheckFormat::Markdown => buf = markdown::render(&report, ctx.lang).into_bytes(),
        CheckFormat::Html => buf = html::render(&report, ctx.lang).into_bytes(),
        CheckFormat::Sarif => buf = sarif::render(&report, ctx.lang).into_bytes(),
    }
    if let Some((ledger, keys)) = &signing {
        let key_refs: Vec<&SigningKey> = keys.iter().collect();
        let record =
            acceptance::record::file(ledger, &report, &root, &key_refs).map_err(local(ctx.lang))?;
        // Standard output carries the report; the note on the record goes to standard error.
        print_written(
            &mut super::terminal::stderr(),
            ctx.lang,
            &record,
            Format::Table,
        )?;
    }
    let emit = |mut out: &mut dyn Write| -> std::io::Result<()> {
        if args.format == CheckFormat::Table {
            write_text(&mut out, ctx.lang, &report, args.all).map_err(std::io::Error::other)
        } else if compact {
            acceptance::json::write_compact(&report, out)?;
            out.write_all(b"\n")
        } else {
            out.write_all(&buf)
        }
    };
    match output {
        // A file gets the table without colours.
        Some(path) if args.format == CheckFormat::Table => {
            let mut table = Vec::new();
            write_text(
                &mut super::terminal::Inert::new(&mut table),
                ctx.lang,
                &report,
                args.all,
            )?;
            let plain = anstream::adapter::strip_bytes(&table).into_vec();
            super::output::emit(Some(path), |w| w.write_all(&plain))?
        }
        Some(path) => super::output::emit(Some(path), emit)?,
        // Only the table has colours to drop when standard output is not a terminal; the
        // other formats have no escape sequences of anbao's, and scanning 60 MiB of JSON for
        // them is not free. Both are made inert on the way out.
        None if args.format == CheckFormat::Table => emit(&mut super::terminal::stdout())?,
        None => {
            let mut out = super::terminal::Inert::new(std::io::stdout().lock());
            emit(&mut out)?;
            out.flush()?
        }
    }
    // Only a verdict that the project meets the requirement is clean: a failing product and
    // insufficient evidence both exit 1 (the check ran; its answer is not "meets").
    let outcome = match report.verdict.state {
        Verdict::Pass => Outcome::Clean,
        _ => Outcome::Failed,
    };
    // The process ends right after this. At 50,000 components the inventory and the report are
    // millions of small allocations that take a tenth of a second to free one by one, while the
    // operating system reclaims them at exit in one step.
    std::mem::forget((inputs, report, buf));
    Ok(outcome)
}

/// The workspace's ledger and the keys to sign with, or why they cannot be had.
fn ledger_and_keys(
    lang: Lang,
    ws: &Workspace,
    explicit: &[PathBuf],
) -> anyhow::Result<(Ledger, Vec<SigningKey>)> {
    let ledger = Ledger::open(ws).map_err(local(lang))?;
    let keys = signing_keys(lang, &ledger, explicit)?;
    Ok((ledger, keys))
}

/// The files of the inventory folders that were not read, each with the reason: a gap first
/// (it leaves the evidence insufficient), then what a rule left out.
fn write_not_read(out: &mut impl Write, l: Lang, r: &Report) -> anyhow::Result<()> {
    if r.not_read.is_empty() {
        return Ok(());
    }
    let view = crate::report::view::View::new(r, l);
    writeln!(out, "\n{BOLD}{}{BOLD:#}", labels::word(l, Word::NotRead))?;
    let (gaps, left_out): (Vec<_>, Vec<_>) = r.not_read.iter().partition(|n| n.reason.leaves_gap());
    for n in gaps {
        writeln!(
            out,
            "  {RED}{}{RED:#} {}  {DIM}{}{DIM:#}",
            labels::level(l, Level::Deny),
            view.path(&n.path),
            n.reason.describe(l)
        )?;
    }
    for n in left_out {
        writeln!(
            out,
            "  {DIM}{}  {}{DIM:#}",
            view.path(&n.path),
            n.reason.describe(l)
        )?;
    }
    Ok(())
}

/// Problems found in the inventory files themselves (a dangling reference, an unknown column),
/// each with its file and place, in the reader's language; the first ten unless `all`.
fn write_inventory_findings(
    out: &mut impl Write,
    l: Lang,
    r: &Report,
    all: bool,
) -> anyhow::Result<()> {
    if r.inventory_findings.is_empty() {
        return Ok(());
    }
    let view = crate::report::view::View::new(r, l);
    writeln!(
        out,
        "\n{BOLD}{}{BOLD:#}",
        labels::word(l, Word::InventoryFindings)
    )?;
    let shown = if all { usize::MAX } else { 10 };
    for f in r.inventory_findings.iter().take(shown) {
        let style = if f.level == Level::Info { DIM } else { YELLOW };
        let at = match (f.location.as_str(), &f.component) {
            ("", None) => String::new(),
            ("", Some(c)) => format!(" ({c})"),
            (place, None) => format!(" {place}"),
            (place, Some(c)) => format!(" {place} ({c})"),
        };
        writeln!(
            out,
            "  {style}{}{style:#} [{}] {}{at}: {}",
            labels::level(l, f.level),
            f.code,
            view.path(&f.file),
            f.message.get(l)
        )?;
    }
    let more = r.inventory_findings.len().saturating_sub(shown);
    if more > 0 {
        let line = match l {
            Lang::Zh => format!("  另有 {more} 项（--all 列出全部）"),
            Lang::En => format!("  and {more} more (--all lists them all)"),
        };
        writeln!(out, "{DIM}{line}{DIM:#}")?;
    }
    Ok(())
}

fn verdict_style(v: Verdict) -> super::terminal::Style {
    match v {
        Verdict::Pass => GREEN,
        Verdict::Warn => YELLOW,
        Verdict::InsufficientEvidence | Verdict::Fail => RED,
        Verdict::NotApplicable => DIM,
    }
}

/// The terminal report: verdict and reasons first, so the first screen answers the question.
fn write_text(out: &mut impl Write, l: Lang, r: &Report, all: bool) -> anyhow::Result<()> {
    let zh = l == Lang::Zh;
    let project = match (zh, &r.project.name_en) {
        (false, Some(en)) => en.as_str(),
        _ => r.project.name.as_str(),
    };
    writeln!(
        out,
        "{BOLD}{project}{BOLD:#}  {}  {DIM}{}{DIM:#}",
        r.project.code,
        if zh {
            format!("核验日期 {}", r.as_of)
        } else {
            format!("as of {}", r.as_of)
        }
    )?;
    writeln!(
        out,
        "{DIM}{}{DIM:#}",
        crate::report::labels::vulnerability_database(l, &r.vulnerabilities)
    )?;
    writeln!(
        out,
        "{DIM}{}{DIM:#}",
        if zh {
            format!(
                "实施单位 {} · 建设单位 {} · 策略 {} v{}",
                r.units.implementing, r.units.construction, r.policy.id, r.policy.version
            )
        } else {
            format!(
                "implementing {} · construction {} · policy {} v{}",
                r.units.implementing, r.units.construction, r.policy.id, r.policy.version
            )
        }
    )?;
    let style = verdict_style(r.verdict.state);
    writeln!(out, "\n{style}{}{style:#}", r.verdict.summary.get(l))?;
    for reason in &r.verdict.reasons {
        writeln!(out, "  • {}", reason.get(l))?;
    }

    writeln!(out)?;
    let mut table = Table::new(&[
        labels::word(l, Word::Category),
        labels::verdict(l, Verdict::Pass),
        labels::verdict(l, Verdict::Warn),
        labels::verdict(l, Verdict::InsufficientEvidence),
        labels::verdict(l, Verdict::Fail),
        labels::word(l, Word::Verdict),
    ]);
    for c in &r.categories {
        let mark = if c.key { "★ " } else { "  " };
        table.row(vec![
            format!("{mark}{}", c.name.get(l)),
            c.counts.pass.to_string(),
            c.counts.warn.to_string(),
            c.counts.insufficient_evidence.to_string(),
            c.counts.fail.to_string(),
            labels::verdict(l, c.verdict).to_string(),
        ]);
    }
    table.write(out)?;
    let unclassified: Vec<&str> = r
        .components
        .iter()
        .filter(|c| c.category.is_none())
        .map(|c| &*c.component)
        .collect();
    writeln!(
        out,
        "{DIM}{}{DIM:#}",
        labels::components_line(l, r.components.len(), unclassified.len())
    )?;
    if !unclassified.is_empty() {
        writeln!(
            out,
            "{DIM}{}{DIM:#}",
            labels::unclassified_line(l, &unclassified, if all { usize::MAX } else { 10 })
        )?;
    }
    write_not_read(out, l, r)?;
    write_inventory_findings(out, l, r, all)?;

    writeln!(out, "\n{BOLD}{}{BOLD:#}", labels::word(l, Word::Deadlines))?;
    let width = r
        .deadlines
        .iter()
        .map(|d| unicode_width::UnicodeWidthStr::width(d.title.get(l)))
        .max()
        .unwrap_or(0);
    for d in &r.deadlines {
        let style = match labels::deadline_ok(d) {
            Some(true) => GREEN,
            Some(false) => RED,
            None => YELLOW,
        };
        let title = d.title.get(l);
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(title));
        writeln!(
            out,
            "  {title}{} {style}{}{style:#}",
            " ".repeat(pad),
            labels::deadline_status(l, d)
        )?;
    }

    // The products behind the verdict, each with why and how it got in.
    let shown: Vec<_> = r
        .components
        .iter()
        .filter(|c| {
            c.verdict >= Verdict::InsufficientEvidence || (all && c.verdict == Verdict::Warn)
        })
        .collect();
    if !shown.is_empty() {
        writeln!(
            out,
            "\n{BOLD}{}{BOLD:#}",
            if zh {
                "问题产品"
            } else {
                "Products with problems"
            }
        )?;
    }
    for c in shown {
        let style = verdict_style(c.verdict);
        let category = c
            .category
            .as_deref()
            .and_then(|id| r.categories.iter().find(|x| x.id == id))
            .map(|x| x.name.get(l))
            .unwrap_or(labels::word(l, Word::Unclassified));
        writeln!(
            out,
            "{style}{}{style:#} {BOLD}{}{BOLD:#}  {DIM}{category}{DIM:#}",
            labels::verdict(l, c.verdict),
            c.component
        )?;
        for &i in &c.findings {
            let f = &r.findings[i];
            if !all && f.level == Level::Info {
                continue;
            }
            let waived = f
                .waived_by
                .as_ref()
                .map(|w| {
                    if zh {
                        format!("  [已豁免 {w}]")
                    } else {
                        format!("  [waived {w}]")
                    }
                })
                .unwrap_or_default();
            writeln!(
                out,
                "    {} {} {}{DIM}{waived}  ({}){DIM:#}",
                labels::level(l, f.level),
                f.code,
                f.message.get(l),
                f.rule
            )?;
        }
        let path = r
            .findings
            .iter()
            .find(|f| f.component_id == Some(c.id))
            .and_then(|f| f.paths.first());
        if let Some(path) = path.filter(|p| p.len() > 1) {
            writeln!(
                out,
                "    {DIM}{} {}{DIM:#}",
                if zh {
                    "引入路径："
                } else {
                    "included via:"
                },
                fit(&path.join(" → "), 160)
            )?;
        }
    }
    let general: Vec<_> = r
        .findings
        .iter()
        // Gaps in the inventories are the verdict's reasons above.
        .filter(|f| f.component.is_none() && !f.code.is_coverage_gap())
        .collect();
    if !general.is_empty() {
        writeln!(out, "\n{BOLD}{}{BOLD:#}", labels::word(l, Word::Waivers))?;
        for f in general {
            writeln!(
                out,
                "  {} {} {}  {DIM}({}){DIM:#}",
                labels::level(l, f.level),
                f.code,
                f.message.get(l),
                f.rule
            )?;
        }
    }
    if r.policy.illustrative || r.catalogs.iter().any(|c| c.illustrative) || r.project.illustrative
    {
        writeln!(
            out,
            "\n{DIM}{}{DIM:#}",
            if zh {
                "注：本项目、策略或目录含示例数据。"
            } else {
                "Note: the project, policy or catalog holds illustrative data."
            }
        )?;
    }
    Ok(())
}
