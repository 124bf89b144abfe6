//! Answers anbao can offer from the workspace's own data, each with its source: the acceptance
//! check for controllable key products, `drill.finished` ledger records for drilled plans, the
//! milestone dates of `anbao.toml` for filings. The person still decides and confirms.

use super::definition::{Checklist, Meaning};
use super::report::Both;
use super::session::Derived;
use crate::workspace::Workspace;
use chrono::{Months, NaiveDate};
use std::collections::BTreeMap;

/// The ledger record kind a finished drill leaves.
pub const DRILL_KIND: &str = crate::drill::record::FINISHED_KIND;

/// The offers for every applicable item with a `derive` source, by item id. Sources that
/// cannot be read (no inventory yet, a broken ledger) offer nothing rather than a guess.
pub fn offers(ws: &Workspace, cl: &Checklist, as_of: NaiveDate) -> BTreeMap<String, Derived> {
    offers_with(ws, cl, as_of, None)
}

/// As [`offers`], with the acceptance check already run (the TUI has its report at hand, and
/// a large inventory should not be checked twice).
pub fn offers_with(
    ws: &Workspace,
    cl: &Checklist,
    as_of: NaiveDate,
    acceptance_report: Option<&crate::acceptance::Report>,
) -> BTreeMap<String, Derived> {
    let mut out = BTreeMap::new();
    let mut acceptance: Option<Option<Derived>> = acceptance_report.map(|r| Some(from_report(r)));
    let mut drills: Option<Option<Derived>> = None;
    let mut vulnerabilities: Option<Option<Derived>> = acceptance_report
        .map(|r| Some(super::derived_vulnerabilities::offer(r, policy_max_age(ws))));
    for item in &cl.items {
        let Some(source) = item.derive.as_deref() else {
            continue;
        };
        let offer = match source {
            "acceptance.key-products-controllable" => acceptance
                .get_or_insert_with(|| from_acceptance(ws, as_of))
                .clone(),
            super::derived_vulnerabilities::SOURCE => vulnerabilities
                .get_or_insert_with(|| {
                    acceptance_report_of(ws, as_of)
                        .map(|r| super::derived_vulnerabilities::offer(&r, policy_max_age(ws)))
                })
                .clone(),
            "drills.within-12-months" => {
                drills.get_or_insert_with(|| from_drills(ws, as_of)).clone()
            }
            "milestones.contract-filed" => Some(from_milestone(
                source,
                "contract_filed",
                ws.manifest.milestones.contract_filed,
                ws.manifest.milestones.contract_signed,
                ("建设合同备案", "the construction contract was filed"),
            )),
            "milestones.supervision-filed" => Some(from_milestone(
                source,
                "supervision_filed",
                ws.manifest.milestones.supervision_filed,
                ws.manifest.milestones.supervision_contracted,
                ("监理单位备案", "the supervision unit was filed"),
            )),
            "milestones.acceptance-report-filed" => Some(from_milestone(
                source,
                "acceptance_report_filed",
                ws.manifest.milestones.acceptance_report_filed,
                ws.manifest.milestones.acceptance_completed,
                ("竣工验收报告备案", "the acceptance report was filed"),
            )),
            _ => None,
        };
        if let Some(o) = offer {
            out.insert(item.id.clone(), o);
        }
    }
    out
}

/// "Key products are controllable" from the acceptance check's project verdict.
fn from_acceptance(ws: &Workspace, as_of: NaiveDate) -> Option<Derived> {
    Some(from_report(&acceptance_report_of(ws, as_of)?))
}

/// The acceptance check's report, where the workspace has inventories it can read.
fn acceptance_report_of(ws: &Workspace, as_of: NaiveDate) -> Option<crate::acceptance::Report> {
    let files = ws.inventory_files().ok()?;
    if files.is_empty() {
        return None;
    }
    let inventory = crate::inventory::load(&files).ok()?;
    let inputs = crate::acceptance::load_policy_inputs(ws.clone(), inventory, &files).ok()?;
    Some(crate::acceptance::run(&inputs, as_of))
}

/// The policy's `max_age_days` for the vulnerability database, where the policy reads.
fn policy_max_age(ws: &Workspace) -> Option<u32> {
    let file = &ws.manifest.policy.file;
    let text = std::fs::read_to_string(ws.root.join(file)).ok()?;
    crate::policy::Policy::parse(file, &text)
        .ok()?
        .vulnerabilities
        .max_age_days
}

fn from_report(report: &crate::acceptance::Report) -> Derived {
    let v = &report.verdict;
    let as_of = report.as_of;
    Derived {
        source: "acceptance.key-products-controllable".into(),
        offered: if v.meets {
            Meaning::Conforming
        } else {
            Meaning::NotConforming
        },
        detail: Both::owned(
            format!(
                "安全可控核验（{as_of}）：{}",
                v.summary.get(crate::i18n::Lang::Zh)
            ),
            format!(
                "acceptance check as of {as_of}: {}",
                v.summary.get(crate::i18n::Lang::En)
            ),
        ),
    }
}

/// "Plans were drilled in the last 12 months" from `drill.finished` records in the ledger.
fn from_drills(ws: &Workspace, as_of: NaiveDate) -> Option<Derived> {
    let ledger = crate::ledger::Ledger::open(ws).ok()?;
    let (records, _) = ledger.records().ok()?;
    let since = as_of.checked_sub_months(Months::new(12))?;
    let latest = records
        .iter()
        .flatten()
        .filter(|r| r.entry.kind == DRILL_KIND)
        .filter_map(|r| {
            let date = chrono::DateTime::parse_from_rfc3339(&r.entry.time)
                .ok()?
                .date_naive();
            (since <= date && date <= as_of).then_some((date, r.seq()))
        })
        .max();
    let source = "drills.within-12-months".to_string();
    Some(match latest {
        Some((date, seq)) => Derived {
            source,
            offered: Meaning::Conforming,
            detail: Both::owned(
                format!("账本第 {seq} 号记录：{date} 完成应急演练（{DRILL_KIND}）"),
                format!("ledger record {seq}: a drill finished on {date} ({DRILL_KIND})"),
            ),
        },
        None => Derived {
            source,
            offered: Meaning::NotConforming,
            detail: Both::owned(
                format!("账本中 {since} 至 {as_of} 没有 {DRILL_KIND} 演练记录"),
                format!("the ledger holds no {DRILL_KIND} record between {since} and {as_of}"),
            ),
        },
    })
}

fn from_milestone(
    source: &str,
    key: &str,
    done: Option<NaiveDate>,
    started: Option<NaiveDate>,
    (zh, en): (&str, &str),
) -> Derived {
    let (offered, detail) = match (done, started) {
        (Some(d), _) => (
            Meaning::Conforming,
            Both::owned(
                format!("anbao.toml [milestones] {key} = {d}：{zh}"),
                format!("anbao.toml [milestones] {key} = {d}: {en}"),
            ),
        ),
        (None, Some(s)) => (
            Meaning::NotConforming,
            Both::owned(
                format!("anbao.toml 未记录 {key}（前一步骤日期 {s}）"),
                format!("anbao.toml records no {key} (the step before it is dated {s})"),
            ),
        ),
        (None, None) => (
            Meaning::NotConforming,
            Both::owned(
                format!("anbao.toml 未记录 {key}"),
                format!("anbao.toml records no {key}"),
            ),
        ),
    };
    Derived {
        source: source.into(),
        offered,
        detail,
    }
}
