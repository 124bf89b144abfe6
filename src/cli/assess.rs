//! `anbao assess`: run a joint risk assessment from the command line: start a session, answer
//! and confirm items (or import answers), keep the risk register, sign through the ledger and
//! write the report.

use super::output::{fit, write_json, Table, BOLD, DIM, GREEN, RED, YELLOW};
use super::{workspace, Context, Outcome};
use crate::assessment::definition::{workspace_checklists, Checklist};
use crate::assessment::session::{Blocker, Given, Session, Store, Treatment};
use crate::assessment::signoff::{self, SignState};
use crate::assessment::{derived, import, report, Error};
use crate::i18n::Lang;
use crate::ledger::Ledger;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

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

/// Who acts: the role (unit) and the person.
#[derive(Debug, Args)]
pub struct Actor {
    /// Your role: the unit you answer for, e.g. implementing or construction
    #[arg(long, env = "ANBAO_ROLE")]
    role: String,
    /// Your name, recorded with the answer
    #[arg(long, env = "ANBAO_PERSON")]
    person: String,
}

#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// List the checklist definitions of the workspace, validating each / 列出检查表
    Checklists {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Validate checklist definition files; exit 2 with file:line on the first problem
    /// / 校验检查表定义
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Start an assessment session from a checklist (id or file) / 新建评估
    New {
        checklist: String,
        /// Session id (default: CHECKLIST-ID-YYYYMMDD)
        #[arg(long)]
        id: Option<String>,
        /// Protection level of the system (default: the checklist's)
        #[arg(long)]
        level: Option<u8>,
        /// What is assessed: system, boundaries, period
        #[arg(long, default_value = "")]
        scope: String,
        /// A signed session this one replaces; its answers are carried over
        #[arg(long, value_name = "SESSION")]
        supersedes: Option<String>,
        /// Set a checklist condition, e.g. gov-cloud=no when the system is not on the
        /// government cloud (default: the checklist's); repeatable
        #[arg(long = "condition", value_name = "CONDITION=yes|no")]
        conditions: Vec<String>,
    },
    /// List the sessions with their progress and sign-off state / 列出评估
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Answer an item; saved at once / 答复检查项
    Answer {
        session: String,
        item: String,
        /// An answer id of the checklist's scale (e.g. yes, partly, no, na)
        #[arg(required_unless_present = "derived")]
        answer: Option<String>,
        /// Take the answer anbao offers from data (acceptance check, drill records, filings)
        #[arg(long, conflicts_with = "answer")]
        derived: bool,
        #[command(flatten)]
        actor: Actor,
        #[arg(long, default_value = "")]
        note: String,
        /// An evidence file (repeatable); recorded by hash, stored in the ledger at sign-off
        #[arg(long, value_name = "FILE")]
        evidence: Vec<PathBuf>,
        /// Date the data-derived answers are judged on (default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Confirm answers as the other role; ITEM 'all' confirms every answer waiting for you
    /// / 确认答复
    Confirm {
        session: String,
        #[arg(required = true)]
        items: Vec<String>,
        #[command(flatten)]
        actor: Actor,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Progress per section, open confirmations, risks, offered answers, sign-off state
    /// / 评估进度
    Status {
        session: String,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Import answers from CSV (item,answer,note,person,evidence) or TOML ([[answer]]); all or
    /// nothing / 导入答复
    Import {
        session: String,
        file: PathBuf,
        #[command(flatten)]
        actor: Actor,
    },
    /// Show the risk register, or change one risk's levels and treatment / 风险登记表
    Risks(RisksArgs),
    /// Sign the assessment for your unit; the second unit's signature completes it / 签署评估
    Sign {
        session: String,
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Write the report: Markdown, HTML (prints to A4) or JSON / 评估报告
    Report {
        session: String,
        #[arg(long, value_enum, default_value = "markdown")]
        format: ReportFormat,
        /// Write to this file instead of standard output (replaced whole, or not at all; a device
        /// or a FIFO is written into; `-` is standard output)
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct RisksArgs {
    session: String,
    /// The item whose risk to change; without it the register is listed
    item: Option<String>,
    #[arg(long, value_parser = parse_treatment)]
    treatment: Option<Treatment>,
    #[arg(long)]
    owner: Option<String>,
    #[arg(long, value_name = "DATE")]
    due: Option<NaiveDate>,
    /// Risk level expected after treatment (1 to 5)
    #[arg(long)]
    residual: Option<u8>,
    /// Who approved accepting the risk (needed for high risks)
    #[arg(long)]
    approver: Option<String>,
    /// Controls already in place
    #[arg(long)]
    controls: Option<String>,
    #[arg(long)]
    asset_value: Option<u8>,
    #[arg(long)]
    threat_frequency: Option<u8>,
    #[arg(long)]
    severity: Option<u8>,
    #[arg(long)]
    note: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

fn parse_treatment(s: &str) -> Result<Treatment, String> {
    Treatment::parse(s).ok_or_else(|| "expected mitigate, accept, avoid or transfer".into())
}

fn l(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn local(lang: Lang) -> impl Fn(Error) -> anyhow::Error {
    move |e| anyhow::anyhow!(e.get(lang).to_string())
}

fn session_checklist(ws: &Workspace, session: &Session) -> anyhow::Result<Checklist> {
    crate::assessment::store::checklist_of(&ws.root, session).map_err(|e| anyhow::anyhow!(e))
}

/// A session and its checklist.
fn open(
    ws: &Workspace,
    store: &Store,
    id: &str,
    lang: Lang,
) -> anyhow::Result<(Session, Checklist)> {
    let s = store.load(id).map_err(local(lang))?;
    let cl = session_checklist(ws, &s)?;
    Ok((s, cl))
}

fn ledger(ws: &Workspace, lang: Lang) -> anyhow::Result<Ledger> {
    Ledger::open(ws).map_err(|e| anyhow::anyhow!(crate::i18n::ledger::error(lang, &e)))
}

fn resolve_checklist(ws: &Workspace, name: &str) -> anyhow::Result<(Checklist, String)> {
    let as_path = PathBuf::from(name);
    let path = if as_path.is_file() {
        as_path
    } else if ws.root.join(name).is_file() {
        ws.root.join(name)
    } else {
        let mut found = None;
        let mut ids = Vec::new();
        for p in workspace_checklists(&ws.root) {
            let c = Checklist::load(&p)?;
            if c.id == name {
                found = Some(p.clone());
            }
            ids.push(c.id);
        }
        found.ok_or_else(|| {
            anyhow::anyhow!(
                "no checklist '{name}': not a file, and checklists/ holds {}",
                if ids.is_empty() {
                    "none".into()
                } else {
                    ids.join(", ")
                }
            )
        })?
    };
    let checklist = Checklist::load(&path)?;
    let abs = path.canonicalize().unwrap_or(path.clone());
    let root = ws.root.canonicalize().unwrap_or(ws.root.clone());
    let rel = abs
        .strip_prefix(&root)
        .map_err(|_| {
            anyhow::anyhow!(
                "checklist '{}' is outside the workspace; copy it into checklists/ so the session can name it",
                path.display()
            )
        })?
        .to_string_lossy()
        .replace('\\', "/");
    Ok((checklist, rel))
}

fn now() -> String {
    crate::ledger::now_rfc3339()
}

pub fn run(ctx: &Context, cmd: AssessCommand) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let err = local(lang);
    if let AssessCommand::Validate { files } = &cmd {
        let mut out = super::terminal::stdout();
        for f in files {
            let c = Checklist::load(f)?;
            writeln!(
                out,
                "{GREEN}✓{GREEN:#} {}: {} v{}, {} {}",
                f.display(),
                c.id,
                c.version,
                c.items.len(),
                l(lang, "项", "items")
            )?;
        }
        return Ok(Outcome::Clean);
    }
    let ws = workspace(ctx)?;
    let store = Store::new(&ws.root);
    let mut out = super::terminal::stdout();
    let today = chrono::Local::now().date_naive();
    match cmd {
        AssessCommand::Validate { .. } => unreachable!("handled above"),
        AssessCommand::Checklists { format } => {
            let mut rows = Vec::new();
            for p in workspace_checklists(&ws.root) {
                rows.push(Checklist::load(&p)?);
            }
            if format == Format::Json {
                let list: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "id": c.id, "version": c.version, "title": c.title, "title_en": c.title_en,
                            "file": c.file.strip_prefix(&ws.root).unwrap_or(&c.file).display().to_string(),
                            "hash": c.hash, "items": c.items.len(), "method": c.method.calculation.as_str(),
                        })
                    })
                    .collect();
                write_json(
                    &mut out,
                    "anbao.assessment.checklists/1",
                    &serde_json::json!({ "checklists": list }),
                )?;
            } else {
                let mut t = Table::new(&[
                    l(lang, "编号", "Id"),
                    l(lang, "版本", "Version"),
                    l(lang, "项数", "Items"),
                    l(lang, "方法", "Method"),
                    l(lang, "名称", "Title"),
                ]);
                for c in &rows {
                    t.row(vec![
                        c.id.clone(),
                        c.version.to_string(),
                        c.items.len().to_string(),
                        c.method.calculation.as_str().into(),
                        if lang == Lang::Zh {
                            c.title.clone()
                        } else {
                            c.title_en.clone()
                        },
                    ]);
                }
                t.write(&mut out)?;
            }
        }
        AssessCommand::New {
            checklist,
            id,
            level,
            scope,
            supersedes,
            conditions,
        } => {
            let (cl, rel) = resolve_checklist(&ws, &checklist)?;
            let mut set = crate::assessment::condition::Values::new();
            for c in &conditions {
                let (id, v) = crate::assessment::condition::parse_setting(c, &cl.conditions)
                    .map_err(anyhow::Error::msg)?;
                set.insert(id, v);
            }
            let new = crate::assessment::store::NewSession {
                id,
                level,
                scope,
                supersedes,
                conditions: (!conditions.is_empty()).then_some(set),
            };
            let session = store.start(&cl, rel, new, today, now()).map_err(&err)?;
            let level = session.protection_level;
            writeln!(
                out,
                "{BOLD}{}{BOLD:#} {}",
                session.id,
                match lang {
                    Lang::Zh => format!(
                        "已新建：{} v{}，第 {} 级，{} 个适用项",
                        cl.title,
                        cl.version,
                        level,
                        session.applicable(&cl).count()
                    ),
                    Lang::En => format!(
                        "started: {} v{}, protection level {}, {} applicable items",
                        cl.title_en,
                        cl.version,
                        level,
                        session.applicable(&cl).count()
                    ),
                }
            )?;
            writeln!(out, "{DIM}{}{DIM:#}", store.path(&session.id).display())?;
        }
        AssessCommand::List { format } => {
            let ledger = ledger(&ws, lang)?;
            let mut rows = Vec::new();
            for id in store.list() {
                let s = store.load(&id).map_err(&err)?;
                let cl = session_checklist(&ws, &s)?;
                let state = signoff::state(&ledger, &cl, &s).map_err(&err)?;
                rows.push((s.progress(&cl, None), state, s, cl));
            }
            if format == Format::Json {
                let list: Vec<serde_json::Value> = rows.iter().map(|(p, st, s, _)| serde_json::json!({"id": s.id, "checklist": s.checklist.id, "created": s.created, "progress": p, "signoff": st})).collect();
                write_json(
                    &mut out,
                    "anbao.assessment.list/1",
                    &serde_json::json!({"sessions": list}),
                )?;
            } else {
                if rows.is_empty() {
                    writeln!(
                        out,
                        "{}",
                        l(
                            lang,
                            "尚无评估；用 `anbao assess new CHECKLIST` 开始",
                            "no assessments yet; start one with `anbao assess new CHECKLIST`"
                        )
                    )?;
                }
                let mut t = Table::new(&[
                    l(lang, "评估", "Session"),
                    l(lang, "检查表", "Checklist"),
                    l(lang, "已答复", "Answered"),
                    l(lang, "待确认", "Unconfirmed"),
                    l(lang, "签署", "Sign-off"),
                ]);
                for (p, st, s, cl) in &rows {
                    t.row(vec![
                        s.id.clone(),
                        s.checklist.id.clone(),
                        format!("{}/{}", p.answered, p.applicable),
                        p.unconfirmed.to_string(),
                        st.describe(lang, &|u| cl.role_name(u, lang)),
                    ]);
                }
                t.write(&mut out)?;
            }
        }
        AssessCommand::Answer {
            session,
            item,
            answer,
            derived: use_derived,
            actor,
            note,
            evidence,
            as_of,
        } => {
            let (s, cl) = open(&ws, &store, &session, lang)?;
            s.ensure_open().map_err(&err)?;
            let outcome = cl.item(&item).filter(|i| i.derive.is_some()).and_then(|_| {
                derived::outcomes(&ws, &cl, as_of.unwrap_or(today), None).remove(&item)
            });
            let offer = match &outcome {
                Some(derived::Outcome::Offered(d)) => Some(d.clone()),
                _ => None,
            };
            let answer = match (answer, use_derived, &offer, &outcome) {
                (Some(a), _, _, _) => a,
                (None, true, Some(o), _) => cl.answer_for(o.offered).id.clone(),
                // The data does not decide the item: say why, and take no answer.
                (None, _, _, Some(derived::Outcome::Undecided(why))) => anyhow::bail!(
                    "{}",
                    match lang {
                        Lang::Zh =>
                            format!("第 {item} 项无法由数据得出答复：{}；请给出答复", why.zh),
                        Lang::En => format!(
                            "anbao offers no answer from data for item {item}: {}; give one",
                            why.en
                        ),
                    }
                ),
                (None, _, _, _) => anyhow::bail!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("第 {item} 项没有可从数据得出的答复；请给出答复"),
                        Lang::En =>
                            format!("anbao has no answer from data for item {item}; give one"),
                    }
                ),
            };
            let mut files = Vec::new();
            for f in &evidence {
                files.push(import::evidence_file(&ws.root, f)?);
            }
            let given = Given {
                item: item.clone(),
                answer,
                role: actor.role,
                person: actor.person,
                note,
                evidence: files,
                derived: offer.clone(),
            };
            let (s, ()) = store
                .update(&session, |s| s.answer(&cl, given, now()))
                .map_err(&err)?;
            let a = &s.answers[&item];
            let option = cl.answer(&a.answer).expect("validated");
            writeln!(
                out,
                "{GREEN}✓{GREEN:#} {item}: {} {DIM}({}){DIM:#}",
                if lang == Lang::Zh {
                    &option.name
                } else {
                    &option.name_en
                },
                l(lang, "已保存", "saved")
            )?;
            if let Some(o) = &offer {
                writeln!(
                    out,
                    "  {DIM}{}: {}{DIM:#}",
                    l(lang, "数据来源", "from data"),
                    o.detail.get(lang)
                )?;
            }
            if let Some(c) = cl.item(&item).and_then(|i| i.confirmed_by.as_deref()) {
                writeln!(
                    out,
                    "  {YELLOW}{}{YELLOW:#}",
                    match lang {
                        Lang::Zh => format!("待 {c} 确认"),
                        Lang::En => format!("awaiting confirmation by {c}"),
                    }
                )?;
            }
            if s.risks.contains_key(&item) && option.creates_risk {
                let r = s
                    .risk_views(&cl)
                    .into_iter()
                    .find(|r| r.item == item)
                    .expect("listed");
                writeln!(
                    out,
                    "  {RED}{}{RED:#}",
                    match lang {
                        Lang::Zh => format!(
                            "产生风险：可能性 {}、影响 {}、风险等级 {}（{}）",
                            r.score.likelihood,
                            r.score.impact,
                            r.score.risk,
                            cl.method.level_name(r.score.risk, lang)
                        ),
                        Lang::En => format!(
                            "creates a risk: likelihood {}, impact {}, level {} ({})",
                            r.score.likelihood,
                            r.score.impact,
                            r.score.risk,
                            cl.method.level_name(r.score.risk, lang)
                        ),
                    }
                )?;
            }
        }
        AssessCommand::Confirm {
            session,
            items,
            actor,
            note,
        } => {
            let (_, cl) = open(&ws, &store, &session, lang)?;
            let (_, done) = store
                .update(&session, |s| {
                    let targets: Vec<String> = if items.iter().any(|i| i == "all") {
                        s.applicable(&cl)
                            .filter(|i| {
                                i.confirmed_by.as_deref() == Some(actor.role.as_str())
                                    && s.needs_confirmation(i)
                            })
                            .map(|i| i.id.clone())
                            .collect()
                    } else {
                        items.clone()
                    };
                    for t in &targets {
                        s.confirm(&cl, t, &actor.role, &actor.person, &note, now())?;
                    }
                    Ok(targets)
                })
                .map_err(&err)?;
            writeln!(
                out,
                "{GREEN}✓{GREEN:#} {}",
                match lang {
                    Lang::Zh => format!("已确认 {} 项：{}", done.len(), done.join("、")),
                    Lang::En => format!("confirmed {} items: {}", done.len(), done.join(", ")),
                }
            )?;
        }
        AssessCommand::Status {
            session,
            as_of,
            format,
        } => {
            let (s, cl) = open(&ws, &store, &session, lang)?;
            let state = signoff::state(&ledger(&ws, lang)?, &cl, &s).map_err(&err)?;
            let outcomes = derived::outcomes(&ws, &cl, as_of.unwrap_or(today), None);
            status(&mut out, lang, &cl, &s, &state, &outcomes, format)?;
        }
        AssessCommand::Import {
            session,
            file,
            actor,
        } => {
            let (_, cl) = open(&ws, &store, &session, lang)?;
            let rows = import::read(&ws.root, &file, &actor.role, &actor.person)?;
            let n = rows.len();
            store
                .update(&session, |s| {
                    for row in rows {
                        let line = row.line;
                        s.answer(&cl, row.given, now()).map_err(|e| {
                            Error(crate::i18n::ledger::Message::new(
                                format!("{}:{line}: {}", file.display(), e.0.zh),
                                format!("{}:{line}: {}", file.display(), e.0.en),
                            ))
                        })?;
                    }
                    Ok(())
                })
                .map_err(&err)?;
            writeln!(
                out,
                "{GREEN}✓{GREEN:#} {}",
                match lang {
                    Lang::Zh => format!("已导入 {n} 条答复（{}）", file.display()),
                    Lang::En => format!("imported {n} answers from {}", file.display()),
                }
            )?;
        }
        AssessCommand::Risks(a) => return risks(&mut out, lang, &ws, &store, a),
        AssessCommand::Sign {
            session,
            keys,
            format,
        } => {
            let (_, cl) = open(&ws, &store, &session, lang)?;
            let ledger = ledger(&ws, lang)?;
            let keys = super::ledger::signing_keys(lang, &ledger, &keys)?;
            let state = signoff::sign(&ws, &cl, &store, &session, &keys).map_err(&err)?;
            if format == Format::Json {
                write_json(
                    &mut out,
                    "anbao.assessment.sign/1",
                    &serde_json::json!({"session": session, "signoff": state}),
                )?;
            } else {
                let style = if matches!(state, SignState::Signed { .. }) {
                    GREEN
                } else {
                    YELLOW
                };
                let name = |u: &str| cl.role_name(u, lang);
                writeln!(out, "{style}{}{style:#}", state.describe(lang, &name))?;
                for sig in state.signatures() {
                    writeln!(
                        out,
                        "  {} {} {DIM}{} {}{DIM:#}",
                        name(&sig.unit),
                        sig.key_id,
                        l(lang, "账本记录", "ledger record"),
                        sig.seq
                    )?;
                }
            }
        }
        AssessCommand::Report {
            session,
            format,
            output,
        } => {
            let (s, cl) = open(&ws, &store, &session, lang)?;
            let state = signoff::state(&ledger(&ws, lang)?, &cl, &s).map_err(&err)?;
            let r = report::build(&ws, &cl, &s, state);
            let mut buf = Vec::new();
            match format {
                ReportFormat::Json => write_json(&mut buf, r.schema, &r)?,
                ReportFormat::Markdown => {
                    buf = crate::report::assessment::markdown(&r, lang).into_bytes()
                }
                ReportFormat::Html => buf = crate::report::assessment::html(&r, lang).into_bytes(),
            }
            super::output::emit(output.as_deref(), |w| w.write_all(&buf))?;
        }
    }
    Ok(Outcome::Clean)
}

fn status(
    out: &mut impl Write,
    lang: Lang,
    cl: &Checklist,
    s: &Session,
    state: &SignState,
    outcomes: &std::collections::BTreeMap<String, derived::Outcome>,
    format: Format,
) -> anyhow::Result<()> {
    let total = s.progress(cl, None);
    let risks = s.risk_views(cl);
    let blockers = s.blockers(cl);
    // Offers matter only for items still open to an answer.
    let open =
        |id: &String| !s.answers.contains_key(id) && cl.item(id).is_some_and(|i| s.applies(cl, i));
    let open_offers: Vec<(&String, &crate::assessment::session::Derived)> = outcomes
        .iter()
        .filter(|(id, _)| open(id))
        .filter_map(|(id, o)| match o {
            derived::Outcome::Offered(d) => Some((id, d)),
            derived::Outcome::Undecided(_) => None,
        })
        .collect();
    let undecided: Vec<(&String, &crate::assessment::report::Both)> = outcomes
        .iter()
        .filter(|(id, _)| open(id))
        .filter_map(|(id, o)| match o {
            derived::Outcome::Undecided(why) => Some((id, why)),
            derived::Outcome::Offered(_) => None,
        })
        .collect();
    if format == Format::Json {
        let sections: Vec<serde_json::Value> = cl.sections.iter().map(|sec| serde_json::json!({"id": sec.id, "name": sec.name, "name_en": sec.name_en, "progress": s.progress(cl, Some(&sec.id))})).collect();
        let offered: Vec<serde_json::Value> = open_offers.iter().map(|(id, o)| serde_json::json!({"item": id, "offered": o.offered, "answer": cl.answer_for(o.offered).id, "source": o.source, "detail": o.detail})).collect();
        let not_offered: Vec<serde_json::Value> = undecided.iter().map(|(id, why)| serde_json::json!({"item": id, "source": cl.item(id).and_then(|i| i.derive.clone()), "reason": why})).collect();
        let body = serde_json::json!({
            "session": s.id, "checklist": s.checklist, "protection_level": s.protection_level, "scope": s.scope,
            "conditions": cl.conditions.iter().map(|c| (c.id.clone(), s.condition(cl, &c.id))).collect::<std::collections::BTreeMap<_, _>>(),
            "progress": total, "sections": sections, "risks": risks, "heat_map": s.heat_map(cl),
            "offered": offered, "not_offered": not_offered, "blockers": blockers, "signoff": state,
        });
        write_json(out, "anbao.assessment.status/1", &body)?;
        return Ok(());
    }
    writeln!(
        out,
        "{BOLD}{}{BOLD:#} v{} · {} · {}",
        if lang == Lang::Zh {
            &cl.title
        } else {
            &cl.title_en
        },
        cl.version,
        s.id,
        match lang {
            Lang::Zh => format!("第 {} 级", s.protection_level),
            Lang::En => format!("protection level {}", s.protection_level),
        }
    )?;
    let style = match state {
        SignState::Signed { .. } => GREEN,
        SignState::Awaiting { .. } => YELLOW,
        SignState::Open => DIM,
    };
    writeln!(
        out,
        "{}: {style}{}{style:#}\n",
        l(lang, "签署", "sign-off"),
        state.describe(lang, &|u| cl.role_name(u, lang))
    )?;
    let mut t = Table::new(&[
        l(lang, "部分", "Section"),
        l(lang, "已答复", "Answered"),
        l(lang, "不符合/部分", "Failed/partly"),
        l(lang, "待确认", "Unconfirmed"),
    ]);
    for sec in &cl.sections {
        let p = s.progress(cl, Some(&sec.id));
        t.row(vec![
            if lang == Lang::Zh {
                sec.name.clone()
            } else {
                sec.name_en.clone()
            },
            format!("{}/{}", p.answered, p.applicable),
            format!("{}/{}", p.not_conforming, p.partly),
            p.unconfirmed.to_string(),
        ]);
    }
    t.row(vec![
        l(lang, "合计", "Total").into(),
        format!("{}/{}", total.answered, total.applicable),
        format!("{}/{}", total.not_conforming, total.partly),
        total.unconfirmed.to_string(),
    ]);
    t.write(out)?;
    let mut by_level = [0usize; 5];
    for r in &risks {
        by_level[usize::from(r.score.risk) - 1] += 1;
    }
    let levels: Vec<String> = (1..=5u8)
        .rev()
        .filter(|lv| by_level[usize::from(*lv) - 1] > 0)
        .map(|lv| {
            format!(
                "{} {}",
                cl.method.level_name(lv, lang),
                by_level[usize::from(lv) - 1]
            )
        })
        .collect();
    writeln!(
        out,
        "\n{}: {}{}",
        l(lang, "风险", "Risks"),
        risks.len(),
        if levels.is_empty() {
            String::new()
        } else {
            format!(" ({})", levels.join(", "))
        }
    )?;
    if !open_offers.is_empty() {
        writeln!(
            out,
            "\n{BOLD}{}{BOLD:#}",
            l(
                lang,
                "可由数据得出的答复（用 answer --derived 采纳）",
                "Answers offered from data (take one with answer --derived)"
            )
        )?;
        for (id, o) in &open_offers {
            let a = cl.answer_for(o.offered);
            writeln!(
                out,
                "  {id}  {}  {DIM}{}{DIM:#}",
                if lang == Lang::Zh {
                    &a.name
                } else {
                    &a.name_en
                },
                o.detail.get(lang)
            )?;
        }
    }
    if !undecided.is_empty() {
        writeln!(
            out,
            "\n{BOLD}{}{BOLD:#}",
            l(
                lang,
                "数据尚不能得出答复的项目",
                "Items the data does not decide (yet)"
            )
        )?;
        for (id, why) in &undecided {
            writeln!(out, "  {id}  {DIM}{}{DIM:#}", why.get(lang))?;
        }
    }
    if matches!(state, SignState::Open) {
        if blockers.is_empty() {
            writeln!(
                out,
                "\n{GREEN}{}{GREEN:#}",
                l(
                    lang,
                    "全部完成，可以签署：anbao assess sign SESSION",
                    "complete: ready to sign with `anbao assess sign SESSION`"
                )
            )?;
        } else {
            writeln!(
                out,
                "\n{BOLD}{}{BOLD:#} ({})",
                l(lang, "签署前待办", "Before sign-off"),
                blockers.len()
            )?;
            for b in blockers.iter().take(15) {
                let line = match (b, lang) {
                    (Blocker::Unanswered { item }, Lang::Zh) => format!(
                        "{item} 未答复（{}）",
                        cl.item(item).map_or("", |i| i.answered_by.as_str())
                    ),
                    (Blocker::Unanswered { item }, Lang::En) => format!(
                        "{item} unanswered ({})",
                        cl.item(item).map_or("", |i| i.answered_by.as_str())
                    ),
                    (Blocker::Unconfirmed { item, role }, Lang::Zh) => {
                        format!("{item} 待 {role} 确认")
                    }
                    (Blocker::Unconfirmed { item, role }, Lang::En) => {
                        format!("{item} awaits confirmation by {role}")
                    }
                    (Blocker::NoTreatment { item }, Lang::Zh) => {
                        format!("{item} 的风险未定处置方式")
                    }
                    (Blocker::NoTreatment { item }, Lang::En) => {
                        format!("{item}: the risk has no treatment")
                    }
                    (Blocker::AcceptWithoutApprover { item }, Lang::Zh) => {
                        format!("{item} 接受高风险须有批准人")
                    }
                    (Blocker::AcceptWithoutApprover { item }, Lang::En) => {
                        format!("{item}: accepting a high risk needs an approver")
                    }
                };
                let text = cl
                    .item(match b {
                        Blocker::Unanswered { item }
                        | Blocker::Unconfirmed { item, .. }
                        | Blocker::NoTreatment { item }
                        | Blocker::AcceptWithoutApprover { item } => item,
                    })
                    .map_or(String::new(), |i| {
                        fit(
                            if lang == Lang::Zh {
                                &i.question
                            } else {
                                &i.question_en
                            },
                            50,
                        )
                    });
                writeln!(out, "  • {line}  {DIM}{text}{DIM:#}")?;
            }
            if blockers.len() > 15 {
                writeln!(out, "  … {}", blockers.len() - 15)?;
            }
        }
    }
    Ok(())
}

fn risks(
    out: &mut impl Write,
    lang: Lang,
    ws: &Workspace,
    store: &Store,
    a: RisksArgs,
) -> anyhow::Result<Outcome> {
    let err = local(lang);
    let (s, cl) = open(ws, store, &a.session, lang)?;
    let s = match &a.item {
        None => s,
        Some(item) => {
            store
                .update(&a.session, |s| {
                    s.update_risk(&cl, item, |e| {
                        if let Some(t) = a.treatment {
                            e.treatment = Some(t);
                        }
                        if let Some(v) = &a.owner {
                            e.owner = v.clone();
                        }
                        if let Some(v) = a.due {
                            e.due = Some(v);
                        }
                        if let Some(v) = a.residual {
                            e.residual = Some(v);
                        }
                        if let Some(v) = &a.approver {
                            e.approver = v.clone();
                        }
                        if let Some(v) = &a.controls {
                            e.existing_controls = v.clone();
                        }
                        if let Some(v) = a.asset_value {
                            e.asset_value = v;
                        }
                        if let Some(v) = a.threat_frequency {
                            e.threat_frequency = v;
                        }
                        if let Some(v) = a.severity {
                            e.severity = v;
                        }
                        if let Some(v) = &a.note {
                            e.note = v.clone();
                        }
                    })
                })
                .map_err(&err)?
                .0
        }
    };
    let views = s.risk_views(&cl);
    if a.format == Format::Json {
        write_json(
            out,
            "anbao.assessment.risks/1",
            &serde_json::json!({"session": s.id, "risks": views, "heat_map": s.heat_map(&cl)}),
        )?;
        return Ok(Outcome::Clean);
    }
    if views.is_empty() {
        writeln!(out, "{}", l(lang, "没有风险", "no risks"))?;
        return Ok(Outcome::Clean);
    }
    let mut t = Table::new(&[
        l(lang, "项", "Item"),
        l(lang, "资产", "Asset"),
        l(lang, "威胁", "Threat"),
        "A/T/V",
        "L/I",
        l(lang, "风险", "Risk"),
        l(lang, "处置", "Treatment"),
        l(lang, "责任人", "Owner"),
        l(lang, "期限", "Due"),
        l(lang, "残余", "Residual"),
    ]);
    for r in &views {
        let asset = cl.asset(&r.asset).map_or(r.asset.clone(), |x| {
            if lang == Lang::Zh {
                x.name.clone()
            } else {
                x.name_en.clone()
            }
        });
        let threat = cl.threat(&r.threat).map_or(r.threat.clone(), |x| {
            if lang == Lang::Zh {
                x.name.clone()
            } else {
                x.name_en.clone()
            }
        });
        let mut treatment = r
            .entry
            .treatment
            .map_or("—".to_string(), |t| t.name(lang).to_string());
        if r.needs_approver {
            treatment.push_str(l(lang, "（缺批准人）", " (no approver)"));
        }
        t.row(vec![
            r.item.clone(),
            asset,
            threat,
            format!(
                "{}/{}/{}",
                r.entry.asset_value, r.entry.threat_frequency, r.entry.severity
            ),
            format!("{}/{}", r.score.likelihood, r.score.impact),
            format!(
                "{} {}",
                r.score.risk,
                cl.method.level_name(r.score.risk, lang)
            ),
            treatment,
            r.entry.owner.clone(),
            r.entry.due.map(|d| d.to_string()).unwrap_or_default(),
            r.entry.residual.map(|x| x.to_string()).unwrap_or_default(),
        ]);
    }
    t.write(out)?;
    Ok(Outcome::Clean)
}
