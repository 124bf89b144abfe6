//! Drills in the signed ledger: a finished drill becomes a `drill.finished` record with the
//! hashes of its evidence, and improvement actions move through `drill.action` status records
//! until closed. Other parts of anbao (risk assessment: "was this plan drilled in the last 12
//! months?") read the drill history from here.

use super::playbook::Playbook;
use super::run::{Run, Runs};
use super::summary::Action;
use super::timeline::Timeline;
use crate::ledger::keys::SigningKey;
use crate::ledger::{Ledger, LedgerError, NewRecord, Record};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Kind of the record of a finished drill.
pub const FINISHED_KIND: &str = "drill.finished";
/// Kind of a status change of an improvement action.
pub const ACTION_KIND: &str = "drill.action";

/// The body of a `drill.finished` record: the summary report's facts in machine form, with the
/// timeline's findings (a missed reporting clock first) beside the steps.
pub fn finished_body(run: &Run, playbook: &Playbook, zone: crate::timezone::Zone) -> Value {
    let summary = run.summary.clone();
    let timeline = Timeline::of(run, playbook);
    json!({
        "run": run.id,
        "playbook": run.playbook,
        "playbook_sha256": run.playbook_sha256,
        "title": playbook.title,
        "form": playbook.form,
        "content": playbook.content,
        "category": playbook.category,
        "subcategory": playbook.subcategory,
        "grade": playbook.grade.as_str(),
        "plan_year": run.plan_year.map(|y| y.to_string()),
        "plan_item": run.plan_item,
        "place": run.place,
        "timezone": zone.name(),
        "started": zone.fixed(run.started).to_rfc3339(),
        "finished": run.finished.map(|t| zone.fixed(t).to_rfc3339()),
        "participants": run.participants,
        "steps": timeline.steps,
        "reporting_clock_minutes": timeline.reporting_clock_minutes,
        // The clock the drill was held to and where it comes from (operator kind and grade).
        "reporting_clock": playbook.reporting_clock(),
        "findings": timeline.findings,
        "observations": run.observations,
        "evaluators": summary.as_ref().map(|s| &s.evaluators),
        "evaluations": summary.as_ref().map(|s| &s.evaluations),
        "problems": summary.as_ref().map(|s| &s.problems),
        "lessons": summary.as_ref().map(|s| &s.lessons),
        "actions": summary.as_ref().map(|s| &s.actions),
    })
}

/// Appends the record of a finished run, with its evidence files and the run file itself, and
/// returns it. Evidence changed since it was logged is refused. `requires` names units that
/// must co-sign (e.g. the construction unit of a joint drill).
pub fn append_finished(
    ledger: &Ledger,
    runs: &Runs,
    run: &Run,
    playbook: &Playbook,
    zone: crate::timezone::Zone,
    keys: &[&SigningKey],
    requires: &[&str],
) -> anyhow::Result<Record> {
    let mut files = Vec::new();
    for ev in &run.evidence {
        if super::run::sha256_of(&ev.path)? != ev.sha256 {
            anyhow::bail!(
                "evidence '{}' changed after it was logged (SHA-256 was {})",
                ev.path.display(),
                ev.sha256
            );
        }
        files.push(ev.path.clone());
    }
    files.push(runs.path_of(&run.id));
    let body = finished_body(run, playbook, zone);
    Ok(ledger.append(
        NewRecord::new(FINISHED_KIND, body)
            .evidence(&files)
            .requires(requires),
        keys,
    )?)
}

/// Files a run that [`finish`](super::finish::finish) closed, for the CLI and the TUI alike:
/// saves it finished first (so the ledger's copy of the run file is the finished one), appends
/// its record and keeps the record's seq in the run. A crash between the append and the last
/// save is picked up from the ledger by [`record_of_run`].
pub fn file_finished(
    ledger: &Ledger,
    runs: &Runs,
    run: &mut Run,
    playbook: &Playbook,
    zone: crate::timezone::Zone,
    keys: &[&SigningKey],
    requires: &[&str],
) -> anyhow::Result<Record> {
    let (Some(summary), Some(end)) = (run.summary.clone(), run.finished) else {
        anyhow::bail!("drill run '{}' is not finished", run.id);
    };
    // Under the run's lock the run is finished again as it is on disk: an event another
    // terminal logged since the caller's check is part of what gets signed, or stops it.
    let mut refused = Vec::new();
    let saved = runs.update(&run.id, |fresh| {
        super::finish::finish(fresh, playbook, summary, end).map_err(|problems| {
            refused = problems;
            super::run::RunError::Finished(fresh.id.clone())
        })
    })?;
    if !refused.is_empty() {
        let zh: Vec<&str> = refused.iter().map(|p| p.message.zh.as_str()).collect();
        let en: Vec<&str> = refused.iter().map(|p| p.message.en.as_str()).collect();
        anyhow::bail!(
            "演练记录在签名前被修改，不能结束：{} / the run changed before it was signed and cannot be finished: {}",
            zh.join("；"),
            en.join("; ")
        );
    }
    *run = saved?;
    let rec = append_finished(ledger, runs, run, playbook, zone, keys, requires)?;
    let seq = rec.seq().to_string();
    *run = runs.update(&run.id, |fresh| {
        fresh.record_seq = Some(seq);
        Ok(())
    })??;
    Ok(rec)
}

/// A drill the ledger records as finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinishedDrill {
    pub seq: u64,
    pub run: String,
    pub playbook: String,
    pub plan_item: Option<String>,
    /// The day the drill was held (its start).
    pub date: NaiveDate,
    pub actions: Vec<Action>,
}

#[derive(Deserialize)]
struct FinishedFields {
    run: String,
    playbook: String,
    #[serde(default)]
    plan_item: Option<String>,
    started: String,
    #[serde(default)]
    actions: Option<Vec<Action>>,
    #[serde(default)]
    steps: Vec<StepFields>,
}

#[derive(Deserialize)]
struct StepFields {
    status: super::run::StepStatus,
}

impl FinishedFields {
    /// Whether the record shows a drill that was held: it has steps and every one was done,
    /// skipped or failed. Earlier versions of anbao signed runs whose steps never started; such
    /// a record stays in the ledger but proves no drill.
    fn held(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(|s| s.status.is_final())
    }
}

/// The seq of the `drill.finished` record of run `id`, held or not: a finish interrupted after
/// its append is picked up from it rather than signed twice.
pub fn record_of_run(ledger: &Ledger, id: &str) -> Result<Option<u64>, LedgerError> {
    let (records, _) = ledger.records()?;
    Ok(records
        .into_iter()
        .flatten()
        .filter(|r| r.entry.kind == FINISHED_KIND)
        .find(|r| r.entry.body.get("run").and_then(Value::as_str) == Some(id))
        .map(|r| r.seq()))
}

/// Every `drill.finished` record of the ledger that shows a drill held, in ledger order.
/// Records that are not readable as a drill are left out (`anbao ledger verify` reports broken
/// lines), and so are records of runs whose steps were never all accounted for.
pub fn finished_drills(ledger: &Ledger) -> Result<Vec<FinishedDrill>, LedgerError> {
    let (records, _) = ledger.records()?;
    Ok(records
        .into_iter()
        .flatten()
        .filter(|r| r.entry.kind == FINISHED_KIND)
        .filter_map(|r| {
            let f: FinishedFields = serde_json::from_value(r.entry.body.clone()).ok()?;
            if !f.held() {
                return None;
            }
            let date = chrono::DateTime::parse_from_rfc3339(&f.started)
                .ok()?
                .date_naive();
            Some(FinishedDrill {
                seq: r.seq(),
                run: f.run,
                playbook: f.playbook,
                plan_item: f.plan_item,
                date,
                actions: f.actions.unwrap_or_default(),
            })
        })
        .collect())
}

/// The date of the last finished drill of each playbook, from the signed ledger. This answers
/// "was this emergency plan drilled in the last 12 months?".
pub fn last_drilled(ledger: &Ledger) -> Result<BTreeMap<String, NaiveDate>, LedgerError> {
    let mut last = BTreeMap::new();
    for d in finished_drills(ledger)? {
        let e = last.entry(d.playbook).or_insert(d.date);
        if d.date > *e {
            *e = d.date;
        }
    }
    Ok(last)
}

/// The status of an improvement action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Closed,
}

impl ActionStatus {
    pub fn parse(s: &str) -> Option<ActionStatus> {
        match s {
            "open" => Some(ActionStatus::Open),
            "in-progress" => Some(ActionStatus::InProgress),
            "closed" => Some(ActionStatus::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Closed => "closed",
        }
    }
}

/// An improvement action and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct TrackedAction {
    /// `RUN#A1`.
    pub id: String,
    pub run: String,
    pub playbook: String,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// Seq of the last status record, if any.
    pub status_seq: Option<u64>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
struct ActionFields {
    action: String,
    status: ActionStatus,
    #[serde(default)]
    note: Option<String>,
}

/// Every improvement action of every finished drill with its latest status.
pub fn actions(ledger: &Ledger) -> Result<Vec<TrackedAction>, LedgerError> {
    let mut out: Vec<TrackedAction> = finished_drills(ledger)?
        .into_iter()
        .flat_map(|d| {
            d.actions.into_iter().map(move |a| TrackedAction {
                id: format!("{}#{}", d.run, a.id),
                run: d.run.clone(),
                playbook: d.playbook.clone(),
                action: a.action,
                owner: a.owner,
                due: a.due,
                status: ActionStatus::Open,
                status_seq: None,
                note: None,
            })
        })
        .collect();
    let (records, _) = ledger.records()?;
    for r in records.into_iter().flatten() {
        if r.entry.kind != ACTION_KIND {
            continue;
        }
        let Ok(f) = serde_json::from_value::<ActionFields>(r.entry.body.clone()) else {
            continue;
        };
        if let Some(a) = out.iter_mut().find(|a| a.id == f.action) {
            a.status = f.status;
            a.status_seq = Some(r.seq());
            a.note = f.note;
        }
    }
    Ok(out)
}

/// Records a new status of action `id` (`RUN#A1`).
pub fn set_action_status(
    ledger: &Ledger,
    id: &str,
    status: ActionStatus,
    note: Option<&str>,
    evidence: &[std::path::PathBuf],
    keys: &[&SigningKey],
) -> anyhow::Result<Record> {
    let all = actions(ledger)?;
    let Some(action) = all.iter().find(|a| a.id == id) else {
        let known: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
        anyhow::bail!(
            "no improvement action '{id}' in the ledger (known: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    };
    if action.status == ActionStatus::Closed {
        anyhow::bail!("improvement action '{id}' is already closed");
    }
    let body = json!({
        "action": id,
        "status": status,
        "note": note,
        "run": action.run,
    });
    Ok(ledger.append(NewRecord::new(ACTION_KIND, body).evidence(evidence), keys)?)
}
