//! Answers anbao can offer from the workspace's own data. Each is a row of [`DERIVATIONS`]: the
//! source a checklist item names (`derive = "..."`), the fact the answer rests on, and the
//! function that reads that fact and decides the item, or says why it cannot decide it (yet).
//! An answer is offered only when the fact decides the item, with the fact stated; the person
//! still decides and confirms. A new derivation is one more row.

use super::definition::{Checklist, Coverage, Item, Meaning};
use super::report::Both;
use super::session::Derived;
use crate::acceptance::deadlines::{self, Status};
use crate::policy::Verdict;
use crate::workspace::Workspace;
use chrono::{Months, NaiveDate};
use std::cell::OnceCell;
use std::collections::BTreeMap;

/// The ledger record kind a finished drill leaves.
pub const DRILL_KIND: &str = crate::drill::record::FINISHED_KIND;

/// One way of answering an item from data.
pub struct Derivation {
    /// What a checklist item writes as `derive`.
    pub source: &'static str,
    /// The fact the answer rests on (Chinese, English).
    pub basis: (&'static str, &'static str),
    /// Reads the fact and decides the item, or says why it cannot.
    pub derive: fn(&Facts<'_>) -> Outcome,
}

/// What a derivation concludes.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The fact decides the item: the answer, with the fact it rests on.
    Offered(Derived),
    /// The fact does not decide the item (yet); why, and so nothing is offered.
    Undecided(Both),
}

/// Every derivation anbao knows.
pub const DERIVATIONS: &[Derivation] = &[
    Derivation {
        source: "acceptance.key-products-controllable",
        basis: (
            "安全可控核验（anbao check）的项目结论",
            "the project verdict of the acceptance check (anbao check)",
        ),
        derive: key_products_controllable,
    },
    Derivation {
        source: "drills.within-12-months",
        basis: (
            "账本中经有效签名、显示演练已开展的 drill.finished 记录",
            "validly signed drill.finished records in the ledger that show a drill held",
        ),
        derive: drilled_within_12_months,
    },
    Derivation {
        source: "milestones.contract-filed",
        basis: (
            "anbao.toml 的合同签订与备案日期，按工作日计算的 5 个工作日期限",
            "the contract signing and filing dates of anbao.toml against the 5-working-day deadline",
        ),
        derive: contract_filed,
    },
    Derivation {
        source: "milestones.supervision-filed",
        basis: (
            "anbao.toml 的监理委托与备案日期",
            "the supervision contract and filing dates of anbao.toml",
        ),
        derive: supervision_filed,
    },
    Derivation {
        source: "milestones.acceptance-report-filed",
        basis: (
            "anbao.toml 的竣工验收与验收报告备案日期，按工作日计算的 30 个工作日期限",
            "the acceptance and report filing dates of anbao.toml against the 30-working-day deadline",
        ),
        derive: acceptance_report_filed,
    },
];

/// The sources a checklist item may name.
pub fn sources() -> impl Iterator<Item = &'static str> {
    DERIVATIONS.iter().map(|d| d.source)
}

/// The derivation of `source`.
pub fn derivation(source: &str) -> Option<&'static Derivation> {
    DERIVATIONS.iter().find(|d| d.source == source)
}

/// The data derivations read, each loaded at most once and only when a derivation needs it.
pub struct Facts<'a> {
    pub ws: &'a Workspace,
    pub as_of: NaiveDate,
    acceptance: OnceCell<Result<crate::acceptance::Report, String>>,
    given_report: Option<&'a crate::acceptance::Report>,
    deadlines: OnceCell<Result<Vec<deadlines::Deadline>, String>>,
}

impl<'a> Facts<'a> {
    pub fn new(
        ws: &'a Workspace,
        as_of: NaiveDate,
        acceptance: Option<&'a crate::acceptance::Report>,
    ) -> Facts<'a> {
        Facts {
            ws,
            as_of,
            acceptance: OnceCell::new(),
            given_report: acceptance,
            deadlines: OnceCell::new(),
        }
    }

    /// The acceptance check as of the date, or why it could not run.
    fn acceptance(&self) -> Result<&crate::acceptance::Report, &str> {
        if let Some(r) = self.given_report {
            return Ok(r);
        }
        self.acceptance
            .get_or_init(|| {
                let found = self.ws.inventories().map_err(|e| e.to_string())?;
                let inventory = crate::inventory::load(&found.files).map_err(|e| e.to_string())?;
                let inputs =
                    crate::acceptance::load_policy_inputs(self.ws.clone(), inventory, &found)
                        .map_err(|e| e.to_string())?;
                Ok(crate::acceptance::run(&inputs, self.as_of))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The filing deadlines of the measures as of the date.
    fn deadline(&self, id: &str) -> Result<&deadlines::Deadline, &str> {
        let all = self
            .deadlines
            .get_or_init(|| {
                let cal = crate::calendar::Calendar::for_workspace(&self.ws.root)
                    .map_err(|e| e.to_string())?;
                Ok(deadlines::compute(
                    &self.ws.manifest.milestones,
                    &cal,
                    self.as_of,
                ))
            })
            .as_ref()
            .map_err(String::as_str)?;
        all.iter()
            .find(|d| d.id == id)
            .ok_or("no such filing deadline")
    }
}

/// What every item with a `derive` source concludes, by item id.
pub fn outcomes(
    ws: &Workspace,
    cl: &Checklist,
    as_of: NaiveDate,
    acceptance: Option<&crate::acceptance::Report>,
) -> BTreeMap<String, Outcome> {
    let facts = Facts::new(ws, as_of, acceptance);
    cl.items
        .iter()
        .filter_map(|item| {
            let d = derivation(item.derive.as_deref()?)?;
            Some((item.id.clone(), within(item, (d.derive)(&facts))))
        })
        .collect()
}

/// What an outcome means for `item`: an item that asks more than the fact shows is not
/// decided by it, so the answer the fact would give becomes the fact, stated, and no offer.
fn within(item: &Item, outcome: Outcome) -> Outcome {
    match (item.derive_covers, outcome) {
        (Coverage::Part, Outcome::Offered(d)) => undecided(
            format!(
                "{}；本项所问多于这一事实，请据其余证据作答",
                d.detail.zh
            ),
            format!(
                "{}; the item asks more than this fact shows, so answer it from the rest of the evidence",
                d.detail.en
            ),
        ),
        (_, o) => o,
    }
}

/// The answers offered, by item id: the outcomes that decide their item.
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
    outcomes(ws, cl, as_of, acceptance_report)
        .into_iter()
        .filter_map(|(id, o)| match o {
            Outcome::Offered(d) => Some((id, d)),
            Outcome::Undecided(_) => None,
        })
        .collect()
}

fn offered(source: &str, offered: Meaning, zh: String, en: String) -> Outcome {
    Outcome::Offered(Derived {
        source: source.into(),
        offered,
        detail: Both::owned(zh, en),
    })
}

fn undecided(zh: String, en: String) -> Outcome {
    Outcome::Undecided(Both::owned(zh, en))
}

/// "Key products are controllable", from the check's project verdict: a pass or a failure
/// decides; insufficient evidence does not (the check could not say).
fn key_products_controllable(f: &Facts<'_>) -> Outcome {
    const SOURCE: &str = "acceptance.key-products-controllable";
    let report = match f.acceptance() {
        Ok(r) => r,
        Err(why) => {
            return undecided(
                format!("安全可控核验无法运行：{why}"),
                format!("the acceptance check could not run: {why}"),
            )
        }
    };
    let v = &report.verdict;
    let as_of = report.as_of;
    let (zh, en) = (v.summary.zh(), v.summary.en());
    match v.state {
        Verdict::Pass => offered(
            SOURCE,
            Meaning::Conforming,
            format!("安全可控核验（{as_of}）：{zh}"),
            format!("acceptance check as of {as_of}: {en}"),
        ),
        Verdict::Fail => offered(
            SOURCE,
            Meaning::NotConforming,
            format!("安全可控核验（{as_of}）：{zh}"),
            format!("acceptance check as of {as_of}: {en}"),
        ),
        _ => undecided(
            format!("安全可控核验（{as_of}）证据不足，无法据此答复：{zh}"),
            format!("the acceptance check as of {as_of} found the evidence insufficient to decide: {en}"),
        ),
    }
}

/// "Plans were drilled in the last 12 months", from validly signed `drill.finished` records
/// of drills held. No such record decides "no" only when the ledger reaches back 12 months;
/// a younger ledger cannot show what happened before it began.
fn drilled_within_12_months(f: &Facts<'_>) -> Outcome {
    const SOURCE: &str = "drills.within-12-months";
    let Some(since) = f.as_of.checked_sub_months(Months::new(12)) else {
        return undecided("日期超出范围".into(), "the date is out of range".into());
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        undecided(
            format!("无法读取账本：{e}"),
            format!("the ledger cannot be read: {e}"),
        )
    };
    let ledger = match crate::ledger::Ledger::open(f.ws) {
        Ok(l) => l,
        Err(e) => return unreadable(&e),
    };
    let (held, records, keys) = match (
        crate::drill::record::finished_drills(&ledger),
        ledger.records(),
        ledger.key_history(),
    ) {
        (Ok(h), Ok((r, _)), Ok(k)) => (h, r, k),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return unreadable(&e),
    };
    let trust = keys.trust_store();
    let records: Vec<_> = records.into_iter().flatten().collect();
    // A signature counts when it verifies and its key could sign at that place in the ledger
    // (enrolled before it, not revoked or replaced by then), as `ledger verify` judges it.
    let signed = |seq: u64| {
        records.iter().find(|r| r.seq() == seq).is_some_and(|r| {
            r.signatures.iter().any(|s| {
                crate::ledger::verify::signature_state(&trust, r, s)
                    == crate::ledger::verify::SignatureState::Valid
                    && keys
                        .standing(&s.key, crate::ledger::enrol::At::Record(seq))
                        .counts()
            })
        })
    };
    let latest = held
        .iter()
        .filter(|d| since <= d.date && d.date <= f.as_of && signed(d.seq))
        .max_by_key(|d| (d.date, d.seq));
    if let Some(d) = latest {
        return offered(
            SOURCE,
            Meaning::Conforming,
            format!(
                "账本第 {} 号记录（{DRILL_KIND}，有效签名）：{} 开展应急演练 {}",
                d.seq, d.date, d.run
            ),
            format!(
                "ledger record {} ({DRILL_KIND}, validly signed): drill {} held on {}",
                d.seq, d.run, d.date
            ),
        );
    }
    let first = records
        .first()
        .and_then(|r| chrono::DateTime::parse_from_rfc3339(&r.entry.time).ok())
        .map(|t| t.date_naive());
    match first {
        Some(first) if first <= since => offered(
            SOURCE,
            Meaning::NotConforming,
            format!("账本自 {first} 起记录，{since} 至 {} 没有经有效签名的演练完成记录", f.as_of),
            format!(
                "the ledger, kept since {first}, holds no validly signed record of a drill held between {since} and {}",
                f.as_of
            ),
        ),
        Some(first) => undecided(
            format!("账本自 {first} 起才有记录，不足 12 个月，且其中没有演练完成记录；此前的演练不在账本中"),
            format!("the ledger begins on {first}, less than 12 months ago, and holds no drill held since; drills before it are not in it"),
        ),
        None => undecided(
            "账本中还没有任何记录，无法得出近 12 个月的演练情况".into(),
            "the ledger holds no record yet, so it cannot show the last 12 months".into(),
        ),
    }
}

/// A filing judged against its deadline: filed in time, or late, or overdue, decides; a
/// deadline still running, a clock not started, or a calendar that does not reach decides
/// nothing yet.
fn filing(f: &Facts<'_>, source: &str, id: &str, (start_key, filed_key): (&str, &str)) -> Outcome {
    let d = match f.deadline(id) {
        Ok(d) => d,
        Err(why) => {
            return undecided(
                format!("无法计算备案期限：{why}"),
                format!("the filing deadline cannot be computed: {why}"),
            )
        }
    };
    let (title_zh, title_en) = (d.title.zh(), d.title.en());
    let due = d.due.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    // A deadline counted across a year whose official holidays are not known may move either
    // way once they are: in time or late is then no fact yet.
    let counted = matches!(
        d.status,
        Status::Met { .. } | Status::Late { .. } | Status::Overdue { .. }
    );
    if d.provisional && counted {
        let years: Vec<String> = d.provisional_years.iter().map(i32::to_string).collect();
        let years = years.join(", ");
        return undecided(
            format!("备案期限 {due} 是暂定的：{years} 年的法定节假日尚不知道"),
            format!("the filing deadline {due} is provisional: the official holidays of {years} are not known yet"),
        );
    }
    match &d.status {
        Status::Met { filed } => offered(
            source,
            Meaning::Conforming,
            format!("anbao.toml：{filed_key} = {filed}，在期限 {due} 之前：{title_zh}"),
            format!("anbao.toml: {filed_key} = {filed}, by the deadline {due}: {title_en}"),
        ),
        Status::Filed { filed } => offered(
            source,
            Meaning::Conforming,
            format!("anbao.toml：{filed_key} = {filed}：{title_zh}"),
            format!("anbao.toml: {filed_key} = {filed}: {title_en}"),
        ),
        Status::Late { filed, .. } => offered(
            source,
            Meaning::NotConforming,
            format!("anbao.toml：{filed_key} = {filed}，晚于期限 {due}"),
            format!("anbao.toml: {filed_key} = {filed}, after the deadline {due}"),
        ),
        Status::Overdue { working_days_over } => offered(
            source,
            Meaning::NotConforming,
            format!("anbao.toml 未记录 {filed_key}，期限 {due} 已过 {working_days_over} 个工作日"),
            format!("anbao.toml records no {filed_key}, and the deadline {due} passed {working_days_over} working day(s) ago"),
        ),
        Status::Required => offered(
            source,
            Meaning::NotConforming,
            format!("anbao.toml 记录了 {start_key}，但未记录 {filed_key}"),
            format!("anbao.toml records {start_key} but no {filed_key}"),
        ),
        Status::Due { working_days_left } => undecided(
            format!("尚未到期：anbao.toml 未记录 {filed_key}，期限 {due} 还有 {working_days_left} 个工作日；到期前按该项说明答“不适用”"),
            format!("not yet due: anbao.toml records no {filed_key}, and {working_days_left} working day(s) are left until the deadline {due}; until then the item is answered not applicable"),
        ),
        Status::NotStarted => undecided(
            format!("anbao.toml 未记录 {start_key}，期限尚未开始计算"),
            format!("anbao.toml records no {start_key}, so the deadline has not started"),
        ),
    }
}

fn contract_filed(f: &Facts<'_>) -> Outcome {
    filing(
        f,
        "milestones.contract-filed",
        "contract-filing",
        ("contract_signed", "contract_filed"),
    )
}

fn supervision_filed(f: &Facts<'_>) -> Outcome {
    filing(
        f,
        "milestones.supervision-filed",
        "supervision-filing",
        ("supervision_contracted", "supervision_filed"),
    )
}

fn acceptance_report_filed(f: &Facts<'_>) -> Outcome {
    filing(
        f,
        "milestones.acceptance-report-filed",
        "acceptance-report-filing",
        ("acceptance_completed", "acceptance_report_filed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::enrol::{proof_of_possession, KeyDescriptor};
    use crate::ledger::keys::SigningKey;
    use crate::ledger::{Ledger, NewRecord, SigAlg};
    use serde_json::json;

    const MANIFEST: &str = "[project]\nname = \"测试\"\ncode = \"T-1\"\n\n[units.implementing]\nname = \"甲\"\n\n[units.construction]\nname = \"乙\"\n\n[milestones]\n";

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A workspace whose `[milestones]` are `milestones`.
    fn workspace(milestones: &str) -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("anbao.toml"),
            format!("{MANIFEST}{milestones}\n"),
        )
        .unwrap();
        let ws = Workspace::open(dir.path()).unwrap();
        (dir, ws)
    }

    fn derive(ws: &Workspace, source: &str, as_of: &str) -> Outcome {
        let facts = Facts::new(ws, day(as_of), None);
        (derivation(source).unwrap().derive)(&facts)
    }

    /// The answer offered, or `None` when the data does not decide.
    fn offered(o: &Outcome) -> Option<Meaning> {
        match o {
            Outcome::Offered(d) => Some(d.offered),
            Outcome::Undecided(_) => None,
        }
    }

    fn text(o: &Outcome) -> &str {
        match o {
            Outcome::Offered(d) => &d.detail.en,
            Outcome::Undecided(why) => &why.en,
        }
    }

    #[test]
    fn every_derivation_states_its_basis_and_has_a_unique_source() {
        let mut seen = std::collections::BTreeSet::new();
        for d in DERIVATIONS {
            assert!(seen.insert(d.source), "{} twice", d.source);
            assert!(
                !d.basis.0.is_empty() && !d.basis.1.is_empty(),
                "{}",
                d.source
            );
        }
    }

    #[test]
    fn the_acceptance_report_filing_is_decided_only_once_it_is_due() {
        const S: &str = "milestones.acceptance-report-filed";
        let (_d, ws) = workspace("acceptance_completed = 2026-11-10");
        // Deadline 2026-12-22: while it runs, nothing is offered (the item says "not
        // applicable" until then), and the reason says so.
        let o = derive(&ws, S, "2026-11-20");
        assert_eq!(offered(&o), None);
        assert!(text(&o).contains("not yet due"), "{}", text(&o));
        assert!(text(&o).contains("2026-12-22"), "{}", text(&o));
        let o = derive(&ws, S, "2026-12-28");
        assert_eq!(offered(&o), Some(Meaning::NotConforming), "{}", text(&o));
        let (_d, ws) =
            workspace("acceptance_completed = 2026-11-10\nacceptance_report_filed = 2026-11-20");
        let o = derive(&ws, S, "2026-11-28");
        assert_eq!(offered(&o), Some(Meaning::Conforming));
        assert!(
            text(&o).contains("acceptance_report_filed = 2026-11-20"),
            "{}",
            text(&o)
        );
        let (_d, ws) =
            workspace("acceptance_completed = 2026-11-10\nacceptance_report_filed = 2026-12-24");
        assert_eq!(
            offered(&derive(&ws, S, "2026-12-28")),
            Some(Meaning::NotConforming)
        );
        // No acceptance yet: no clock, no answer.
        let (_d, ws) = workspace("");
        assert_eq!(offered(&derive(&ws, S, "2026-11-28")), None);
        // A deadline counted into 2027, whose holidays are not known: late is no fact yet.
        let (_d, ws) =
            workspace("acceptance_completed = 2026-12-20\nacceptance_report_filed = 2027-03-01");
        let o = derive(&ws, S, "2027-03-02");
        assert_eq!(offered(&o), None);
        assert!(text(&o).contains("provisional"), "{}", text(&o));
    }

    #[test]
    fn the_contract_filing_is_judged_against_its_five_working_days() {
        const S: &str = "milestones.contract-filed";
        let (_d, ws) = workspace("contract_signed = 2026-03-09\ncontract_filed = 2026-03-13");
        assert_eq!(
            offered(&derive(&ws, S, "2026-11-28")),
            Some(Meaning::Conforming)
        );
        // Filed, but after 2026-03-16: filed is not enough.
        let (_d, ws) = workspace("contract_signed = 2026-03-09\ncontract_filed = 2026-03-20");
        assert_eq!(
            offered(&derive(&ws, S, "2026-11-28")),
            Some(Meaning::NotConforming)
        );
        let (_d, ws) = workspace("contract_signed = 2026-03-09");
        assert_eq!(offered(&derive(&ws, S, "2026-03-10")), None);
        assert_eq!(
            offered(&derive(&ws, S, "2026-03-20")),
            Some(Meaning::NotConforming)
        );
        let (_d, ws) = workspace("");
        assert_eq!(offered(&derive(&ws, S, "2026-11-28")), None);
    }

    #[test]
    fn the_supervision_filing_needs_a_recorded_contract_to_be_missing() {
        const S: &str = "milestones.supervision-filed";
        let (_d, ws) =
            workspace("supervision_contracted = 2026-03-16\nsupervision_filed = 2026-03-20");
        assert_eq!(
            offered(&derive(&ws, S, "2026-11-28")),
            Some(Meaning::Conforming)
        );
        let (_d, ws) = workspace("supervision_contracted = 2026-03-16");
        assert_eq!(
            offered(&derive(&ws, S, "2026-11-28")),
            Some(Meaning::NotConforming)
        );
        let (_d, ws) = workspace("");
        assert_eq!(offered(&derive(&ws, S, "2026-11-28")), None);
    }

    #[test]
    fn the_acceptance_verdict_decides_only_when_it_passes_or_fails() {
        const S: &str = "acceptance.key-products-controllable";
        let (_d, ws) = workspace("");
        let mut report = crate::report::tests::sample();
        for (state, expected) in [
            (Verdict::Pass, Some(Meaning::Conforming)),
            (Verdict::Fail, Some(Meaning::NotConforming)),
            (Verdict::InsufficientEvidence, None),
        ] {
            report.verdict.state = state;
            let facts = Facts::new(&ws, day("2026-11-28"), Some(&report));
            let o = (derivation(S).unwrap().derive)(&facts);
            assert_eq!(offered(&o), expected, "{state:?}: {}", text(&o));
        }
        // A check that cannot run (this workspace has no policy) decides nothing.
        std::fs::create_dir(ws.root.join("inventories")).unwrap();
        let o = derive(&ws, S, "2026-11-28");
        assert_eq!(offered(&o), None, "{}", text(&o));
    }

    /// A ledger founded by the implementing unit's key (record 0), and that key.
    fn signed_ledger(ws: &Workspace, home: &std::path::Path) -> (Ledger, SigningKey) {
        let mut key = SigningKey::generate(SigAlg::Ed25519, "implementing").unwrap();
        key.save(&home.join("k.key"), "2026-01-01T00:00:00+08:00")
            .unwrap();
        let ledger = Ledger::open(ws).unwrap();
        let descriptor = KeyDescriptor::new(&key.public(), "implementing", None);
        let proof = proof_of_possession(&key, &descriptor).unwrap();
        ledger.enrol(&descriptor, &proof, &key).unwrap();
        (ledger, key)
    }

    fn drill(started: &str, status: &str) -> NewRecord {
        NewRecord::new(
            DRILL_KIND,
            json!({"run": "r", "playbook": "p", "started": started,
                   "steps": [{"id": "a", "status": "done"}, {"id": "b", "status": status}]}),
        )
    }

    #[test]
    fn a_drill_counts_when_held_signed_and_recent_and_absence_only_in_an_old_ledger() {
        const S: &str = "drills.within-12-months";
        let (_d, ws) = workspace("");
        let home = tempfile::tempdir().unwrap();
        // No ledger: it cannot show the last 12 months.
        let today = chrono::Local::now().date_naive();
        assert_eq!(offered(&derive(&ws, S, &today.to_string())), None);
        let (ledger, key) = signed_ledger(&ws, home.path());
        let now = crate::ledger::now_rfc3339();
        // A run whose steps never all closed proves no drill.
        ledger.append(drill(&now, "pending"), &[&key]).unwrap();
        let o = derive(&ws, S, &today.to_string());
        assert_eq!(offered(&o), None, "a young ledger: {}", text(&o));
        // Thirteen months on, the ledger reaches back a year and holds no drill held: no.
        let later = today.checked_add_months(Months::new(13)).unwrap();
        assert_eq!(
            offered(&derive(&ws, S, &later.to_string())),
            Some(Meaning::NotConforming)
        );
        // A drill held and signed: yes, naming the record.
        ledger.append(drill(&now, "skipped"), &[&key]).unwrap();
        let o = derive(&ws, S, &today.to_string());
        assert_eq!(offered(&o), Some(Meaning::Conforming));
        assert!(text(&o).contains("ledger record 2"), "{}", text(&o));
    }

    #[test]
    fn an_item_asking_more_than_the_fact_shows_is_told_the_fact_and_offered_nothing() {
        let (_d, ws) =
            workspace("supervision_contracted = 2026-03-01\nsupervision_filed = 2026-03-20");
        let home = tempfile::tempdir().unwrap();
        let (ledger, key) = signed_ledger(&ws, home.path());
        let now = crate::ledger::now_rfc3339();
        ledger.append(drill(&now, "done"), &[&key]).unwrap();
        let today = chrono::Local::now().date_naive();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
        let load = |name: &str| Checklist::load(&root.join(name)).unwrap();
        let (level3, pre) = (
            load("level3-joint-assessment.toml"),
            load("pre-acceptance.toml"),
        );
        // PA-21 asks only whether a drill was held: the record decides it.
        let pa = outcomes(&ws, &pre, today, None);
        assert_eq!(offered(&pa["PA-21"]), Some(Meaning::Conforming));
        // OM-09 also asks for training and a review of the plans, PA-03 for a complete
        // supervision report: the fact is stated, nothing is offered.
        let om = outcomes(&ws, &level3, today, None);
        for (o, fact) in [
            (&om["OM-09"], "ledger record 1"),
            (&pa["PA-03"], "2026-03-20"),
        ] {
            assert_eq!(offered(o), None, "{}", text(o));
            assert!(text(o).contains(fact), "{}", text(o));
            assert!(
                text(o).contains("asks more than this fact shows"),
                "{}",
                text(o)
            );
        }
        assert!(!offers(&ws, &level3, today).contains_key("OM-09"));
        // Not even when the fact is missing: a part may fail while the answer is "partly".
        assert_eq!(
            offered(
                &outcomes(
                    &ws,
                    &level3,
                    today.checked_add_months(Months::new(13)).unwrap(),
                    None
                )["OM-09"]
            ),
            None
        );
    }

    #[test]
    fn a_drill_record_with_no_valid_signature_is_not_a_fact() {
        const S: &str = "drills.within-12-months";
        let (_d, ws) = workspace("");
        let home = tempfile::tempdir().unwrap();
        let (ledger, key) = signed_ledger(&ws, home.path());
        ledger
            .append(drill(&crate::ledger::now_rfc3339(), "done"), &[&key])
            .unwrap();
        let today = chrono::Local::now().date_naive();
        assert_eq!(
            offered(&derive(&ws, S, &today.to_string())),
            Some(Meaning::Conforming)
        );
        // The record's body changed after it was signed: its signature no longer verifies.
        let path = ws.root.join("records/ledger.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(r#""run":"r""#).count(), 1, "{text}");
        std::fs::write(&path, text.replace(r#""run":"r""#, r#""run":"x""#)).unwrap();
        assert_eq!(offered(&derive(&ws, S, &today.to_string())), None);
    }
}
