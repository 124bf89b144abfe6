//! `anbao drill`: playbooks, the annual plan, what is due, running a drill, finishing it into
//! the signed ledger, improvement actions and the reports.

use super::drill_view as view;
use super::ledger::{local, signing_keys};
use super::output::write_json;
use super::{workspace, Context, Outcome};
use crate::drill::record::{self, ActionStatus};
use crate::drill::report::{PlanReport, RunReport};
use crate::drill::run::{EvidenceFile, Participant, Run, RunError, StepEvent, Time};
use crate::drill::{schedule, summary, Drills, Runs};
use crate::i18n::drill::{self as d, Msg};
use crate::i18n::Lang;
use crate::ledger::keys::SigningKey;
use crate::ledger::Ledger;
use crate::timezone::Zone;
use anyhow::{bail, Context as _};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum DrillCommand {
    /// Check the playbooks and list them / 检查并列出演练脚本
    Playbooks {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Check and show the annual drill plan (GB/T 38645 Annex A.1) / 年度演练计划
    Plan {
        /// The plan's year (default: the year of --as-of)
        #[arg(long)]
        year: Option<i32>,
        /// Judge the drills' standing as of this date (default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Write a draft of next year's plan (drills/plan-NEXT.toml) from this one
        #[arg(long)]
        draft_next: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Drills, plans and improvement actions due or overdue; exit 1 if anything is overdue
    /// / 到期与逾期事项
    Due {
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Also list what is done and upcoming
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Start a drill run from a playbook / 开始演练
    Start(StartArgs),
    /// Log an event of a running drill; saved at once / 记录演练事件
    Log(LogArgs),
    /// Show a drill run's timeline / 查看演练进程
    Show {
        #[command(flatten)]
        run: RunArg,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Finish a run with its evaluation and summary and sign it into the ledger / 结束演练并签名
    Finish(FinishArgs),
    /// Give up a run started by mistake or called off; it never counts as held / 放弃演练
    Abandon(AbandonArgs),
    /// Write the annual plan report or a drill's summary report / 生成报告
    Report(ReportArgs),
    /// List improvement actions, or record a new status of one / 整改措施
    Actions(ActionsArgs),
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The playbook id (a file in playbooks/)
    playbook: String,
    /// The plan item the drill holds, e.g. ransomware (default: the item of this playbook in
    /// the year's plan, when there is exactly one)
    #[arg(long)]
    item: Option<String>,
    /// Where the drill is held
    #[arg(long, default_value = "")]
    place: String,
    /// A participant as NAME,UNIT,ROLE (repeatable); ROLE is a role id of the playbook
    #[arg(long = "participant", value_name = "NAME,UNIT,ROLE")]
    participants: Vec<String>,
    /// When the drill started (RFC 3339 or YYYY-MM-DDTHH:MM local; default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Which drill run a command is about: `--run RUN` (documented), or RUN alone where the
/// command has room for it. Without either, the one open run.
#[derive(Debug, Args)]
pub struct RunArg {
    /// The drill run, e.g. portal-defacement-20261120 (default: the one open run)
    #[arg(long = "run", value_name = "RUN")]
    named: Option<String>,
    /// The drill run, given without --run
    #[arg(value_name = "RUN", hide = true)]
    positional: Option<String>,
}

impl RunArg {
    /// The run named, if any; naming two different runs is refused.
    fn get(&self, lang: Lang) -> anyhow::Result<Option<&str>> {
        match (self.named.as_deref(), self.positional.as_deref()) {
            (Some(a), Some(b)) if a != b => bail!(d::msg(lang, Msg::RunTwice)),
            (a, b) => Ok(a.or(b)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventKind {
    /// Start step TARGET
    Start,
    /// Mark step TARGET done
    Done,
    /// Mark step TARGET skipped
    Skip,
    /// Mark step TARGET failed
    Fail,
    /// Record the observation TARGET (text)
    Observe,
    /// Attach the evidence file TARGET
    Evidence,
    /// Add the participant TARGET as NAME,UNIT,ROLE
    Join,
    /// Add --note to step TARGET (why it was skipped or failed)
    Note,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// What happened
    #[arg(value_enum)]
    event: EventKind,
    /// The step id, the observation, the file or the participant
    target: String,
    #[command(flatten)]
    run: RunArg,
    /// A note on the step or evidence
    #[arg(long)]
    note: Option<String>,
    /// The step an observation is about
    #[arg(long)]
    step: Option<String>,
    /// When it happened (default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct FinishArgs {
    #[command(flatten)]
    run: RunArg,
    /// Print a summary file to fill in, listing every objective
    #[arg(long, conflicts_with = "summary")]
    template: bool,
    /// The filled-in summary file (TOML)
    #[arg(long, value_name = "FILE", required_unless_present = "template")]
    summary: Option<PathBuf>,
    /// When the drill ended (default: the last event logged)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Private key file(s) to sign with (default: ANBAO_KEY, then the key folder)
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
    /// A unit that must also sign the record (repeatable), e.g. construction
    #[arg(long, value_name = "UNIT")]
    requires: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct AbandonArgs {
    #[command(flatten)]
    run: RunArg,
    /// Why the run is given up (recorded in the run)
    #[arg(long)]
    reason: String,
    /// When (default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The summary report of this run (default: the annual plan report)
    #[arg(long = "run", value_name = "RUN", conflicts_with = "year")]
    run: Option<String>,
    /// The run, given without --run
    #[arg(value_name = "RUN", hide = true, conflicts_with_all = ["year", "run"])]
    run_positional: Option<String>,
    /// The plan's year (default: the year of --as-of)
    #[arg(long)]
    year: Option<i32>,
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "markdown")]
    format: ReportFormat,
    /// Write to this file instead of standard output (replaced whole, or not at all; a device
    /// or a FIFO is written into; `-` is standard output)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Record a new status of this action (RUN#A1)
    #[arg(long, value_name = "ID", requires = "status")]
    set: Option<String>,
    /// open, in-progress or closed
    #[arg(long, value_parser = ["open", "in-progress", "closed"])]
    status: Option<String>,
    #[arg(long)]
    note: Option<String>,
    /// An evidence file for the status record (repeatable)
    #[arg(long, value_name = "FILE")]
    evidence: Vec<PathBuf>,
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Parses `--at`: RFC 3339, or a wall-clock `YYYY-MM-DDTHH:MM[:SS]` / `YYYY-MM-DD HH:MM` of the
/// project's time zone; `None` is now. Either way the time is kept with the zone's offset.
pub fn parse_time(lang: Lang, zone: Zone, text: Option<&str>) -> anyhow::Result<Time> {
    let Some(text) = text else {
        return Ok(zone.now());
    };
    match zone.parse(text) {
        Some(t) => Ok(zone.fixed(t)),
        None => bail!(d::msg(lang, Msg::BadTime(text))),
    }
}

fn parse_participant(lang: Lang, text: &str) -> anyhow::Result<Participant> {
    let parts: Vec<&str> = text.splitn(3, ',').map(str::trim).collect();
    match parts.as_slice() {
        [name, unit, role] => Ok(Participant {
            name: name.to_string(),
            unit: unit.to_string(),
            role: role.to_string(),
        }),
        _ => bail!(d::msg(lang, Msg::BadParticipant(text))),
    }
}

/// Applies `change` to the run on disk under its lock; a refused event becomes the message.
fn update_run(
    lang: Lang,
    runs: &Runs,
    id: &str,
    change: impl FnOnce(&mut Run) -> Result<(), RunError>,
) -> anyhow::Result<Run> {
    runs.update(id, change)?
        .map_err(|e| anyhow::anyhow!(d::run_error(lang, &e)))
}

/// The run named, or the one open run.
fn pick_run(lang: Lang, runs: &Runs, id: Option<&str>) -> anyhow::Result<Run> {
    if let Some(id) = id {
        return Ok(runs.load(id)?);
    }
    let open = runs.open()?;
    match open.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(d::msg(lang, Msg::NoOpenRun)),
        many => {
            let ids: Vec<String> = many.iter().map(|r| r.id.clone()).collect();
            bail!(d::msg(lang, Msg::SeveralOpenRuns(&ids)))
        }
    }
}

/// The playbook `run` follows.
fn playbook_of<'a>(drills: &'a Drills, run: &Run) -> anyhow::Result<&'a crate::drill::Playbook> {
    drills.playbook(&run.playbook).with_context(|| {
        format!(
            "the run's playbook '{}' is no longer in playbooks/",
            run.playbook
        )
    })
}

fn keys_for(
    ctx: &Context,
    ledger: &Ledger,
    explicit: &[PathBuf],
) -> anyhow::Result<Vec<SigningKey>> {
    signing_keys(ctx.lang, ledger, explicit)
}

pub fn run(ctx: &Context, cmd: DrillCommand) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let ws = workspace(ctx)?;
    let drills = Drills::load(&ws)?;
    let runs = Runs::new(&ws.root);
    let ledger = Ledger::open(&ws).map_err(local(lang))?;
    let zone = ws.manifest.project.timezone;
    let mut out = super::terminal::stdout();
    match cmd {
        DrillCommand::Playbooks { format } => {
            if format == Format::Json {
                #[derive(serde::Serialize)]
                struct Body<'a> {
                    playbooks: &'a [crate::drill::Playbook],
                }
                write_json(
                    &mut out,
                    "anbao.drill.playbooks/1",
                    &Body {
                        playbooks: &drills.playbooks,
                    },
                )?;
            } else {
                view::playbooks(&mut out, lang, &drills)?;
            }
        }
        DrillCommand::Plan {
            year,
            as_of,
            draft_next,
            format,
        } => {
            let as_of = as_of.unwrap_or_else(today);
            if draft_next {
                let year = year.unwrap_or(as_of.year());
                let Some(plan) = drills.plan(year) else {
                    bail!(
                        "there is no drill plan for {year} to draft {} from",
                        year + 1
                    );
                };
                let path = ws.root.join(crate::drill::plan::file_name(year + 1));
                let draft = crate::drill::plan::draft_next(plan, as_of);
                match crate::fsutil::write_new(&path, draft.as_bytes()) {
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        bail!(d::msg(lang, Msg::DraftExists(&path.display().to_string())))
                    }
                    written => {
                        written.with_context(|| format!("cannot write '{}'", path.display()))?
                    }
                }
                writeln!(out, "{}", path.display())?;
                return Ok(Outcome::Clean);
            }
            let report = plan_report(ctx, &ws, &drills, &ledger, year, as_of)?;
            if format == Format::Json {
                write_json(&mut out, report.schema, &report)?;
            } else {
                view::plan(&mut out, lang, &ws, &report)?;
            }
        }
        DrillCommand::Due { as_of, all, format } => {
            let as_of = as_of.unwrap_or_else(today);
            let finished = record::finished_drills(&ledger).map_err(local(lang))?;
            let actions = record::actions(&ledger).map_err(local(lang))?;
            let report = schedule::due(&drills.plans, &drills.calendar, &finished, &actions, as_of);
            if format == Format::Json {
                write_json(&mut out, "anbao.drill.due/1", &report)?;
            } else {
                view::due(&mut out, lang, &report, all)?;
            }
            if report.has_overdue() {
                return Ok(Outcome::Failed);
            }
        }
        DrillCommand::Start(args) => {
            let Some(playbook) = drills.playbook(&args.playbook) else {
                let known: Vec<String> = drills.playbooks.iter().map(|p| p.id.clone()).collect();
                bail!(d::msg(
                    lang,
                    Msg::NoPlaybook {
                        id: &args.playbook,
                        known: &known
                    }
                ));
            };
            let at = parse_time(lang, zone, args.at.as_deref())?;
            if let Some(open) = runs
                .open()?
                .iter()
                .find(|r| r.playbook == playbook.id && r.finished.is_none())
            {
                bail!(d::msg(lang, Msg::StillOpen(&open.id)));
            }
            let mut run = Run::new(&runs.new_id(&playbook.id, at), playbook, &args.place, at);
            if let Some(plan) = drills.plan(at.year()) {
                let items: Vec<&crate::drill::plan::Item> = plan
                    .items
                    .iter()
                    .filter(|i| i.playbook == playbook.id)
                    .collect();
                let item = match (&args.item, items.as_slice()) {
                    (Some(id), _) => Some(
                        items
                            .iter()
                            .find(|i| &i.id == id)
                            .with_context(|| {
                                d::msg(
                                    lang,
                                    Msg::NoPlanItem {
                                        year: plan.year,
                                        item: id,
                                    },
                                )
                            })?
                            .id
                            .clone(),
                    ),
                    (None, [one]) => Some(one.id.clone()),
                    _ => None,
                };
                if item.is_some() {
                    run.plan_year = Some(plan.year);
                    run.plan_item = item;
                }
            } else if let Some(id) = &args.item {
                bail!(d::msg(
                    lang,
                    Msg::NoPlanItem {
                        year: at.year(),
                        item: id
                    }
                ));
            }
            for p in &args.participants {
                run.add_participant(parse_participant(lang, p)?, playbook)
                    .map_err(|e| anyhow::anyhow!(d::run_error(lang, &e)))?;
            }
            runs.create(&run)?;
            view::run_written(&mut out, lang, &run, playbook, at, zone, args.format)?;
        }
        DrillCommand::Log(args) => {
            let run = pick_run(lang, &runs, args.run.get(lang)?)?;
            let playbook = playbook_of(&drills, &run)?;
            let at = parse_time(lang, zone, args.at.as_deref())?;
            let step_event = match args.event {
                EventKind::Start => Some(StepEvent::Start),
                EventKind::Done => Some(StepEvent::Done),
                EventKind::Skip => Some(StepEvent::Skip),
                EventKind::Fail => Some(StepEvent::Fail),
                _ => None,
            };
            // Whatever must be read (a participant, an evidence file) is read before the run
            // is locked; the event is then applied to the run as it is on disk.
            let participant = match args.event {
                EventKind::Join => Some(parse_participant(lang, &args.target)?),
                _ => None,
            };
            let evidence = match args.event {
                EventKind::Evidence => Some(
                    EvidenceFile::read(Path::new(&args.target), args.note.clone(), at)
                        .map_err(|e| anyhow::anyhow!(d::run_error(lang, &e)))?,
                ),
                _ => None,
            };
            let run = update_run(lang, &runs, &run.id, |run| {
                match (args.event, step_event, participant, evidence) {
                    (_, Some(event), ..) => run.step(&args.target, event, at, args.note.clone()),
                    (_, _, Some(p), _) => run.add_participant(p, playbook),
                    (_, _, _, Some(ev)) => run.attach(ev),
                    (EventKind::Note, ..) => {
                        run.annotate(&args.target, args.note.as_deref().unwrap_or(""))
                    }
                    _ => run.observe(&args.target, args.step.as_deref(), at),
                }
            })?;
            view::run_written(&mut out, lang, &run, playbook, at, zone, args.format)?;
        }
        DrillCommand::Show { run, format } => {
            let run = pick_run(lang, &runs, run.get(lang)?)?;
            let playbook = playbook_of(&drills, &run)?;
            let now = zone.now();
            let end = run.finished.or(run.abandoned.as_ref().map(|a| a.time));
            view::run_written(
                &mut out,
                lang,
                &run,
                playbook,
                end.unwrap_or(now),
                zone,
                format,
            )?;
        }
        DrillCommand::Abandon(args) => {
            let run = pick_run(lang, &runs, args.run.get(lang)?)?;
            let playbook = playbook_of(&drills, &run)?;
            // A run whose finish reached the ledger is held, whatever its file says.
            if record::record_of_run(&ledger, &run.id)
                .map_err(local(lang))?
                .is_some()
            {
                bail!(d::msg(lang, Msg::AlreadySigned(&run.id)));
            }
            let at = parse_time(lang, zone, args.at.as_deref())?;
            let run = update_run(lang, &runs, &run.id, |run| {
                crate::drill::finish::abandon(run, &args.reason, at)
            })?;
            view::run_written(&mut out, lang, &run, playbook, at, zone, args.format)?;
        }
        DrillCommand::Finish(args) => {
            let run = pick_run(lang, &runs, args.run.get(lang)?)?;
            let playbook = playbook_of(&drills, &run)?;
            if args.template {
                write!(out, "{}", summary::template(&run, playbook, lang))?;
                return Ok(Outcome::Clean);
            }
            if run.record_seq.is_some() {
                bail!(d::msg(lang, Msg::AlreadySigned(&run.id)));
            }
            if let Some(a) = &run.abandoned {
                let time = zone.show(a.time, "%Y-%m-%d %H:%M");
                bail!(d::msg(
                    lang,
                    Msg::Abandoned {
                        id: &run.id,
                        time: &time
                    }
                ));
            }
            // A finish interrupted after the ledger append: pick up its record instead of
            // signing the drill twice.
            if let Some(seq) = record::record_of_run(&ledger, &run.id).map_err(local(lang))? {
                let run = update_run(lang, &runs, &run.id, |run| {
                    run.record_seq = Some(seq.to_string());
                    Ok(())
                })?;
                view::finished(&mut out, lang, &run, seq, args.format)?;
                return Ok(Outcome::Clean);
            }
            let path = args
                .summary
                .expect("clap requires --summary without --template");
            let text = crate::fsutil::read_text(&path, crate::fsutil::CONFIG_LIMIT)?;
            let s = summary::parse(&path, &text, playbook)?;
            let at = match args.at.as_deref() {
                Some(text) => Some(parse_time(lang, zone, Some(text))?),
                None => None,
            };
            let end = crate::drill::finish::end_time(&run, at);
            if end < run.started {
                bail!(d::msg(lang, Msg::EndsBeforeStart));
            }
            // Everything the record would claim is checked before a key is asked for; a run
            // that cannot be finished is left as it was.
            let mut finished = run.clone();
            if let Err(problems) = crate::drill::finish::finish(&mut finished, playbook, s, end) {
                view::problems(&mut out, lang, &problems, args.format)?;
                return Ok(Outcome::Failed);
            }
            let keys = keys_for(ctx, &ledger, &args.keys)?;
            let key_refs: Vec<&SigningKey> = keys.iter().collect();
            let mut run = finished;
            let requires: Vec<&str> = args.requires.iter().map(String::as_str).collect();
            let rec = record::file_finished(
                &ledger, &runs, &mut run, playbook, zone, &key_refs, &requires,
            )?;
            view::finished(&mut out, lang, &run, rec.seq(), args.format)?;
        }
        DrillCommand::Report(args) => {
            let as_of = args.as_of.unwrap_or_else(today);
            let named = args.run.as_deref().or(args.run_positional.as_deref());
            let text = if let Some(id) = named {
                let run = runs.load(id)?;
                let playbook = playbook_of(&drills, &run)?;
                let report = RunReport::new(&ws, &run, playbook, &drills.plans);
                match args.format {
                    ReportFormat::Json => json_string(report.schema, &report)?,
                    ReportFormat::Markdown => crate::report::drill::summary_markdown(&report, lang),
                    ReportFormat::Html => crate::report::drill::summary_html(&report, lang),
                }
            } else {
                let report = plan_report(ctx, &ws, &drills, &ledger, args.year, as_of)?;
                match args.format {
                    ReportFormat::Json => json_string(report.schema, &report)?,
                    ReportFormat::Markdown => {
                        crate::report::drill::plan_markdown(&report, &ws, lang)
                    }
                    ReportFormat::Html => crate::report::drill::plan_html(&report, &ws, lang),
                }
            };
            super::output::emit(args.output.as_deref(), |w| w.write_all(text.as_bytes()))?;
        }
        DrillCommand::Actions(args) => {
            if let Some(id) = &args.set {
                let status = args
                    .status
                    .as_deref()
                    .and_then(ActionStatus::parse)
                    .expect("clap checks the status");
                let keys = keys_for(ctx, &ledger, &args.keys)?;
                let key_refs: Vec<&SigningKey> = keys.iter().collect();
                let rec = record::set_action_status(
                    &ledger,
                    id,
                    status,
                    args.note.as_deref(),
                    &args.evidence,
                    &key_refs,
                )?;
                view::action_written(&mut out, lang, id, status, rec.seq(), args.format)?;
            } else {
                let as_of = args.as_of.unwrap_or_else(today);
                let actions = record::actions(&ledger).map_err(local(lang))?;
                if args.format == Format::Json {
                    #[derive(serde::Serialize)]
                    struct Body<'a> {
                        as_of: NaiveDate,
                        actions: &'a [record::TrackedAction],
                    }
                    write_json(
                        &mut out,
                        "anbao.drill.actions/1",
                        &Body {
                            as_of,
                            actions: &actions,
                        },
                    )?;
                } else {
                    view::actions(&mut out, lang, &actions, as_of)?;
                }
            }
        }
    }
    Ok(Outcome::Clean)
}

/// The plan report of `year` (default: the year of `as_of`) with the drills the ledger holds.
fn plan_report(
    ctx: &Context,
    ws: &crate::workspace::Workspace,
    drills: &Drills,
    ledger: &Ledger,
    year: Option<i32>,
    as_of: NaiveDate,
) -> anyhow::Result<PlanReport> {
    let year = year.unwrap_or(as_of.year());
    let Some(plan) = drills.plan(year) else {
        bail!(d::msg(
            ctx.lang,
            Msg::NoPlan(year, &crate::drill::plan::file_name(year))
        ));
    };
    let finished = record::finished_drills(ledger).map_err(local(ctx.lang))?;
    Ok(PlanReport::new(
        ws,
        plan,
        drills.plan(year + 1),
        &drills.playbooks,
        &drills.calendar,
        &finished,
        as_of,
    ))
}

fn json_string<T: serde::Serialize>(schema: &str, body: &T) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    write_json(&mut buf, schema, body)?;
    Ok(String::from_utf8(buf)?)
}
