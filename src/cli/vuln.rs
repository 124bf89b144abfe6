//! `anbao vuln`: import OSV advisories offline, list and show the workspace's known
//! vulnerabilities, state VEX analyses (signed ledger records), import and export VEX.

use super::ledger::{local, signing_keys};
use super::output::{fit, write_json, Table, BOLD, DIM, RED, YELLOW};
use super::{Context, Outcome};
use crate::i18n::Lang;
use crate::inventory::Inventory;
use crate::ledger::Ledger;
use crate::vuln::{self, import, index, vex, Assessment, Index, Severity};
use crate::workspace::Workspace;
use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct VulnArgs {
    /// The advisory database folder (default: ANBAO_VULN_DB, then [vulnerabilities] database
    /// in anbao.toml, then vulndb/) / 漏洞库目录
    #[arg(long, value_name = "DIR", global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: VulnCommand,
}

#[derive(Debug, Subcommand)]
enum VulnCommand {
    /// Import OSV advisories: all.zip exports, folders of OSV JSON, single records / 导入漏洞库
    Import {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// What the database holds, from where, and how old it is / 漏洞库状态
    Db {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// The workspace's components with known vulnerabilities / 列出已知漏洞
    List {
        /// Inventory files (default: the workspace's)
        files: Vec<PathBuf>,
        /// Also those a statement resolved (fixed, not affected)
        #[arg(long)]
        all: bool,
        /// Age the database as of this date (default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// One advisory (by id or alias) or one component's vulnerabilities / 查看漏洞或组件
    Show {
        /// A vulnerability id (CVE-…, GHSA-…) or a component (purl, name@version, name)
        what: String,
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// State an analysis of a vulnerability in products, as a signed vex.statement / 漏洞分析声明
    State(StateArgs),
    /// VEX documents: import OpenVEX or CycloneDX VEX, export CycloneDX VEX / VEX 导入导出
    #[command(subcommand)]
    Vex(VexCommand),
}

#[derive(Debug, Args)]
struct StateArgs {
    /// The vulnerability id (CVE-…, GHSA-…, an OSV id)
    vulnerability: String,
    /// The product(s): a purl, a bom-ref or name@version
    #[arg(long = "product", required = true, value_name = "COMPONENT")]
    products: Vec<String>,
    #[arg(long, value_enum)]
    status: StatusArg,
    /// Why not affected (OpenVEX or CycloneDX justification)
    #[arg(long)]
    justification: Option<String>,
    /// Why not affected, in words (OpenVEX impact statement)
    #[arg(long)]
    impact: Option<String>,
    /// What is done (CycloneDX response: can_not_fix, will_not_fix, update, rollback,
    /// workaround_available)
    #[arg(long)]
    response: Vec<String>,
    /// What to do, in words (OpenVEX action statement)
    #[arg(long)]
    action: Option<String>,
    #[arg(long)]
    detail: Option<String>,
    /// Private key file(s) to sign with
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum StatusArg {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

#[derive(Debug, Subcommand)]
enum VexCommand {
    /// Import an OpenVEX or CycloneDX VEX JSON document: each statement a signed record
    Import {
        file: PathBuf,
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Export the project's vulnerability state as a CycloneDX 1.5 VEX document
    Export {
        files: Vec<PathBuf>,
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn t(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

pub fn run(ctx: &Context, args: VulnArgs) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let ws = || Workspace::locate(ctx.workspace.as_deref());
    let db = |ws: Option<&Workspace>| -> anyhow::Result<PathBuf> {
        Ok(match (&args.db, ws) {
            (Some(d), _) => d.clone(),
            (None, Some(ws)) => index::location(ws),
            (None, None) => index::location(&Workspace::locate(ctx.workspace.as_deref())?),
        })
    };
    let mut out = anstream::stdout().lock();
    match args.command {
        VulnCommand::Import { ref paths, format } => {
            let dir = db(None)?;
            let started = std::time::Instant::now();
            let report = import::import(&dir, paths, &import::Limits::default())?;
            let secs = started.elapsed().as_secs_f64();
            if format == Format::Json {
                write_json(&mut out, "anbao.vuln.import/1", &report)?;
                return Ok(Outcome::Clean);
            }
            for s in &report.sources {
                if s.already_imported {
                    writeln!(
                        out,
                        "{DIM}{}: {}{DIM:#}",
                        s.path,
                        t(lang, "此前已导入，未变化", "imported before, unchanged")
                    )?;
                } else {
                    writeln!(
                        out,
                        "{}: {} {} ({})",
                        s.path,
                        s.advisories,
                        t(lang, "条公告", "advisories"),
                        s.newest_modified.as_deref().unwrap_or("-")
                    )?;
                }
            }
            for n in &report.notes {
                writeln!(out, "{YELLOW}{n}{YELLOW:#}")?;
            }
            if report.written {
                writeln!(
                    out,
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "新增 {}，更新 {}，未变 {}（{secs:.1} 秒）",
                            report.new, report.updated, report.unchanged
                        ),
                        Lang::En => format!(
                            "{} new, {} updated, {} unchanged ({secs:.1} s)",
                            report.new, report.updated, report.unchanged
                        ),
                    }
                )?;
            }
            if report.rebuilt {
                writeln!(
                    out,
                    "{}",
                    t(
                        lang,
                        "索引原为旧格式，已按当前格式重建",
                        "the index was in an earlier format and is rebuilt in the current one"
                    )
                )?;
            }
            if let Some(m) = &report.manifest {
                print_manifest(&mut out, lang, &dir, m)?;
            }
            Ok(Outcome::Clean)
        }
        VulnCommand::Db { format } => {
            let dir = db(None)?;
            let index = Index::open(&dir)?;
            if format == Format::Json {
                let body = serde_json::json!({
                    "database": dir,
                    "imported": index.is_some(),
                    "manifest": index.as_ref().map(|i| &i.manifest),
                    "size_on_disk": index.as_ref().map(Index::size_on_disk),
                });
                write_json(&mut out, "anbao.vuln.db/1", &body)?;
                return Ok(Outcome::Clean);
            }
            match &index {
                Some(i) => print_manifest(&mut out, lang, &dir, &i.manifest)?,
                None => writeln!(out, "{}", no_database(lang, &dir))?,
            }
            Ok(Outcome::Clean)
        }
        VulnCommand::List {
            ref files,
            all,
            as_of,
            format,
        } => {
            let ws = ws()?;
            let dir = db(Some(&ws))?;
            let (inv, a) = assessed(&ws, &dir, files, as_of)?;
            if format == Format::Json {
                write_json(&mut out, "anbao.vuln.list/1", &listing(&inv, &a, all))?;
                return Ok(Outcome::Clean);
            }
            print_database_line(&mut out, lang, &a, &dir)?;
            let mut table = Table::new(&match lang {
                Lang::Zh => ["组件", "漏洞", "别名", "等级", "修复版本", "状态"],
                Lang::En => [
                    "component",
                    "vulnerability",
                    "aliases",
                    "severity",
                    "fixed in",
                    "state",
                ],
            });
            let mut shown = 0;
            for m in a.matches.iter().filter(|m| all || !m.resolved()) {
                shown += 1;
                table.row(vec![
                    fit(&inv.components[m.component].display_id(), 40),
                    m.id.clone(),
                    fit(&m.cves().join(" "), 30),
                    m.severity().label(lang).to_string(),
                    fit(&m.fixed.join(" "), 24),
                    state_text(lang, m),
                ]);
            }
            if shown > 0 {
                table.write(&mut out)?;
            }
            print_counts(&mut out, lang, &a)?;
            Ok(Outcome::Clean)
        }
        VulnCommand::Show {
            ref what,
            ref files,
            format,
        } => {
            let ws = ws()?;
            let dir = db(Some(&ws))?;
            show(&mut out, lang, &ws, &dir, what, files, format)
        }
        VulnCommand::State(s) => {
            let ws = ws()?;
            let status = match s.status {
                StatusArg::NotAffected => vex::Status::NotAffected,
                StatusArg::Affected => vex::Status::Affected,
                StatusArg::Fixed => vex::Status::Fixed,
                StatusArg::UnderInvestigation => vex::Status::UnderInvestigation,
            };
            let mut st = vex::Statement::new(&s.vulnerability, s.products.clone(), status);
            st.justification = s.justification.clone();
            st.impact = s.impact.clone();
            st.response = s.response.clone();
            st.action = s.action.clone();
            st.detail = s.detail.clone();
            // Checked before a key is looked for, so a statement that would be refused costs
            // nothing.
            st.check().map_err(anyhow::Error::msg)?;
            let ledger = Ledger::open(&ws).map_err(local(lang))?;
            let keys = signing_keys(lang, &ledger, &s.keys)?;
            let key_refs: Vec<_> = keys.iter().collect();
            let record = vex::record(&ledger, &st, None, &key_refs).map_err(local(lang))?;
            print_recorded(&mut out, lang, s.format, &[(record.seq(), st)])?;
            Ok(Outcome::Clean)
        }
        VulnCommand::Vex(VexCommand::Import { file, keys, format }) => {
            let ws = ws()?;
            let bytes = std::fs::read(&file)
                .with_context(|| format!("cannot read '{}'", file.display()))?;
            // Every statement is checked before the first is written.
            let statements = vex::parse_document(&file, &bytes)?;
            let ledger = Ledger::open(&ws).map_err(local(lang))?;
            let keys = signing_keys(lang, &ledger, &keys)?;
            let key_refs: Vec<_> = keys.iter().collect();
            let mut written = Vec::new();
            for st in statements {
                let record =
                    vex::record(&ledger, &st, Some(&file), &key_refs).map_err(local(lang))?;
                written.push((record.seq(), st));
            }
            print_recorded(&mut out, lang, format, &written)?;
            Ok(Outcome::Clean)
        }
        VulnCommand::Vex(VexCommand::Export {
            ref files,
            ref output,
        }) => {
            let ws = ws()?;
            let dir = db(Some(&ws))?;
            let (inv, a) = assessed(&ws, &dir, files, None)?;
            if a.database.is_none() {
                anyhow::bail!("{}", no_database(Lang::En, &dir));
            }
            let statements = vuln::load(&ws)?.statements;
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let m = &ws.manifest.project;
            let doc = vuln::export::cyclonedx_vex(&inv, &a, &statements, (&m.code, &m.name), &now);
            let mut text = serde_json::to_vec_pretty(&doc)?;
            text.push(b'\n');
            match output {
                Some(path) => crate::fsutil::write_atomic(path, &text)
                    .with_context(|| format!("cannot write '{}'", path.display()))?,
                None => out.write_all(&text)?,
            }
            Ok(Outcome::Clean)
        }
    }
}

/// The inventory (the files given, or the workspace's) and its assessment.
fn assessed(
    ws: &Workspace,
    db: &Path,
    files: &[PathBuf],
    as_of: Option<chrono::NaiveDate>,
) -> anyhow::Result<(Inventory, Assessment)> {
    let files = if files.is_empty() {
        ws.inventories()?.files
    } else {
        files.to_vec()
    };
    let inv = crate::inventory::load(&files)?;
    let index = Index::open(db)?;
    let statements = vuln::load(ws)?.statements;
    let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let a = vuln::assess(&inv, index.as_ref(), &statements, as_of)?;
    Ok((inv, a))
}

fn listing(inv: &Inventory, a: &Assessment, all: bool) -> serde_json::Value {
    let matches: Vec<serde_json::Value> = a
        .matches
        .iter()
        .filter(|m| all || !m.resolved())
        .map(|m| {
            let c = &inv.components[m.component];
            let mut v = serde_json::to_value(m).unwrap_or_default();
            v["component"] = serde_json::json!(c.display_id());
            v["purl"] = serde_json::json!(c.purl);
            v
        })
        .collect();
    serde_json::json!({ "database": a.database, "counts": a.counts, "matches": matches })
}

fn no_database(lang: Lang, dir: &Path) -> String {
    match lang {
        Lang::Zh => format!("尚未导入漏洞库（{}）：未检查已知漏洞。用 anbao vuln import 导入 OSV 数据。", dir.display()),
        Lang::En => format!(
            "no vulnerability database was imported ('{}'): known vulnerabilities were not checked. Import OSV data with 'anbao vuln import'.",
            dir.display()
        ),
    }
}

/// "N advisories, newest from DATE (N days old)", or that none were imported.
fn print_database_line(
    out: &mut impl Write,
    lang: Lang,
    a: &Assessment,
    dir: &Path,
) -> anyhow::Result<()> {
    match &a.database {
        None => writeln!(out, "{YELLOW}{}{YELLOW:#}", no_database(lang, dir))?,
        Some(_) => writeln!(
            out,
            "{DIM}{}{DIM:#}",
            crate::report::labels::vulnerability_database(lang, a)
        )?,
    }
    Ok(())
}

fn print_manifest(
    out: &mut impl Write,
    lang: Lang,
    dir: &Path,
    m: &index::Manifest,
) -> anyhow::Result<()> {
    let today = chrono::Local::now().date_naive();
    let newest = m.newest_modified.as_deref().unwrap_or("-");
    let age = m.age_days(today).map_or("-".into(), |d| d.to_string());
    writeln!(out, "{BOLD}{}{BOLD:#}", dir.display())?;
    match lang {
        Lang::Zh => writeln!(
            out,
            "公告 {}（撤回 {}），软件包 {}，最新记录 {newest}，数据已 {age} 天",
            m.advisories, m.withdrawn, m.packages
        )?,
        Lang::En => writeln!(
            out,
            "{} advisories ({} withdrawn), {} packages, newest record {newest}, {age} days old",
            m.advisories, m.withdrawn, m.packages
        )?,
    }
    // Each ecosystem with its count and how old its newest record is.
    let eco: Vec<String> = m
        .ecosystems
        .iter()
        .map(|(k, v)| match m.ecosystem_age_days(k, today) {
            Some(days) => format!("{k} {v} ({days} {})", t(lang, "天", "days")),
            None => format!("{k} {v}"),
        })
        .collect();
    writeln!(out, "{}", eco.join(", "))?;
    let mut table = Table::new(&match lang {
        Lang::Zh => ["来源", "类型", "公告", "最新记录", "导入时间", "SHA-256"],
        Lang::En => [
            "source",
            "kind",
            "advisories",
            "newest",
            "imported",
            "SHA-256",
        ],
    });
    for s in &m.sources {
        table.row(vec![
            fit(&s.path, 40),
            s.kind.clone(),
            s.advisories.to_string(),
            s.newest_modified.clone().unwrap_or_default(),
            s.imported.clone(),
            s.sha256.get(..16).unwrap_or(&s.sha256).to_string(),
        ]);
    }
    table.write(out)?;
    Ok(())
}

fn state_text(lang: Lang, m: &vuln::Match) -> String {
    let undetermined = m.outcome == vuln::matching::Outcome::Undetermined;
    match (&m.statement, undetermined) {
        (Some(s), _) => format!("{} #{}", s.status.as_str(), s.seq),
        (None, true) => t(lang, "版本无法比较", "version not comparable"),
        (None, false) => t(lang, "未分析", "no statement"),
    }
}

fn print_counts(out: &mut impl Write, lang: Lang, a: &Assessment) -> anyhow::Result<()> {
    let Some(db) = &a.database else {
        return Ok(());
    };
    for (ecosystem, e) in db.uncovered() {
        let n = e.components;
        let line = match lang {
            Lang::Zh => format!("漏洞库中没有 {ecosystem} 的数据：{n} 个组件未检查"),
            Lang::En => format!(
                "the database holds no {ecosystem} advisories: {n} component(s) not checked"
            ),
        };
        writeln!(out, "{YELLOW}{line}{YELLOW:#}")?;
    }
    let c = &a.counts;
    let sev: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            c.unresolved
                .get(s)
                .map(|n| format!("{} {n}", s.label(lang)))
        })
        .collect();
    let style = if c
        .unresolved
        .get(&Severity::Critical)
        .or(c.unresolved.get(&Severity::High))
        .is_some()
    {
        RED
    } else {
        BOLD
    };
    match lang {
        Lang::Zh => writeln!(
            out,
            "{style}{} 个组件有已知漏洞（共 {} 项）；未解决：{}{style:#}；已检查 {} 个组件，{} 个无 purl 未检查",
            c.vulnerable_components, c.matches, if sev.is_empty() { "无".into() } else { sev.join("、") }, c.looked_up, c.not_looked_up
        )?,
        Lang::En => writeln!(
            out,
            "{style}{} component(s) with known vulnerabilities ({} in all); unresolved: {}{style:#}; {} components looked up, {} without a usable purl not checked",
            c.vulnerable_components, c.matches, if sev.is_empty() { "none".into() } else { sev.join(", ") }, c.looked_up, c.not_looked_up
        )?,
    }
    Ok(())
}

fn show(
    out: &mut impl Write,
    lang: Lang,
    ws: &Workspace,
    dir: &Path,
    what: &str,
    files: &[PathBuf],
    format: Format,
) -> anyhow::Result<Outcome> {
    let (inv, a) = assessed(ws, dir, files, None)?;
    let index =
        Index::open(dir)?.ok_or_else(|| anyhow::anyhow!("{}", no_database(Lang::En, dir)))?;
    let statements = vuln::load(ws)?.statements;
    if let Some(adv) = index.find(what)? {
        // A finding folds the advisories of one vulnerability: it is this advisory's if it
        // names the advisory's id among its own.
        let matches: Vec<&vuln::Match> = a
            .matches
            .iter()
            .filter(|m| m.ids().any(|i| i.eq_ignore_ascii_case(&adv.id)))
            .collect();
        let history: Vec<&vex::Recorded> = statements
            .iter()
            .filter(|r| r.statement.names_any(adv.ids()))
            .collect();
        if format == Format::Json {
            let rating = vuln::severity::rate(&adv);
            let comps: Vec<serde_json::Value> = matches
                .iter()
                .map(|m| serde_json::json!({"component": inv.components[m.component].display_id(), "outcome": m.outcome, "statement": m.statement}))
                .collect();
            write_json(
                out,
                "anbao.vuln.show/1",
                &serde_json::json!({"advisory": adv, "rating": rating, "components": comps, "statements": history}),
            )?;
            return Ok(Outcome::Clean);
        }
        let rating = vuln::severity::rate(&adv);
        writeln!(out, "{BOLD}{}{BOLD:#} {}", adv.id, adv.aliases.join(" "))?;
        if let Some(s) = &adv.summary {
            writeln!(out, "{s}")?;
        }
        let score = rating.score.map(|s| format!(" {s}")).unwrap_or_default();
        writeln!(
            out,
            "{}: {}{score} {}",
            t(lang, "等级", "severity"),
            rating.severity.label(lang),
            rating.vector.unwrap_or_default()
        )?;
        if let Some(w) = &adv.withdrawn {
            writeln!(
                out,
                "{YELLOW}{} {w}{YELLOW:#}",
                t(lang, "已撤回：", "withdrawn:")
            )?;
        }
        for x in &adv.affected {
            let Some(p) = &x.package else { continue };
            let ranges: Vec<String> = x
                .ranges
                .iter()
                .map(|r| {
                    r.events
                        .iter()
                        .map(|e| match e {
                            crate::vuln::osv::Event::Introduced(v) => format!(">={v}"),
                            crate::vuln::osv::Event::Fixed(v) => format!("<{v}"),
                            crate::vuln::osv::Event::LastAffected(v) => format!("<={v}"),
                            crate::vuln::osv::Event::Limit(v) => format!("limit {v}"),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            writeln!(out, "  {} {}: {}", p.ecosystem, p.name, ranges.join(" | "))?;
        }
        for r in adv.references.iter().take(3) {
            writeln!(out, "  {DIM}{}{DIM:#}", r.url)?;
        }
        writeln!(
            out,
            "{}",
            t(lang, "本项目中的组件：", "components in this project:")
        )?;
        if matches.is_empty() {
            writeln!(out, "  {}", t(lang, "无", "none"))?;
        }
        for m in matches {
            writeln!(
                out,
                "  {} — {}",
                inv.components[m.component].display_id(),
                state_text(lang, m)
            )?;
        }
        for r in history {
            writeln!(
                out,
                "  #{} {} {} {} {}",
                r.seq,
                r.time,
                r.unit,
                r.statement.status.as_str(),
                r.statement.justification.as_deref().unwrap_or("")
            )?;
        }
        return Ok(Outcome::Clean);
    }
    // A component.
    let found: Vec<usize> = (0..inv.components.len())
        .filter(|&i| {
            let c = &inv.components[i];
            c.purl.as_deref() == Some(what)
                || c.display_id_is(what)
                || c.full_name_is(what)
                || c.name == what
        })
        .collect();
    if found.is_empty() {
        anyhow::bail!(
            "'{what}' is neither an advisory in the database nor a component of the inventory"
        );
    }
    if format == Format::Json {
        let comps: Vec<serde_json::Value> = found
            .iter()
            .map(|&i| serde_json::json!({"component": inv.components[i].display_id(), "purl": inv.components[i].purl, "vulnerabilities": a.of(i).collect::<Vec<_>>()}))
            .collect();
        write_json(
            out,
            "anbao.vuln.show/1",
            &serde_json::json!({"components": comps}),
        )?;
        return Ok(Outcome::Clean);
    }
    for i in found {
        writeln!(out, "{BOLD}{}{BOLD:#}", inv.components[i].display_id())?;
        let mut any = false;
        for m in a.of(i) {
            any = true;
            writeln!(
                out,
                "  {} {} {} — {} {}",
                m.id,
                m.cves().join(" "),
                m.severity().label(lang),
                state_text(lang, m),
                m.summary.as_deref().unwrap_or("")
            )?;
        }
        if !any {
            writeln!(
                out,
                "  {}",
                t(lang, "无已知漏洞", "no known vulnerabilities")
            )?;
        }
    }
    Ok(Outcome::Clean)
}

fn print_recorded(
    out: &mut impl Write,
    lang: Lang,
    format: Format,
    written: &[(u64, vex::Statement)],
) -> anyhow::Result<()> {
    if format == Format::Json {
        let list: Vec<serde_json::Value> = written
            .iter()
            .map(|(seq, s)| serde_json::json!({"seq": seq, "statement": s}))
            .collect();
        return write_json(
            out,
            "anbao.vuln.state/1",
            &serde_json::json!({"records": list}),
        );
    }
    for (seq, s) in written {
        match lang {
            Lang::Zh => writeln!(
                out,
                "已签名记录 #{seq}（{}）：{} {} {}",
                vex::KIND,
                s.vulnerability,
                s.status.as_str(),
                s.products.join(" ")
            )?,
            Lang::En => writeln!(
                out,
                "signed record #{seq} ({}): {} {} {}",
                vex::KIND,
                s.vulnerability,
                s.status.as_str(),
                s.products.join(" ")
            )?,
        }
    }
    Ok(())
}
