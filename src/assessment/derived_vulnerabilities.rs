//! The answer offered for "are known vulnerabilities found and dealt with": from the
//! acceptance check's known-vulnerability assessment, stating its basis (the database's date,
//! what was looked up, what remains unresolved by severity).

use super::definition::Meaning;
use super::derived::Outcome;
use super::report::Both;
use super::session::Derived;
use crate::acceptance::Report;
use crate::policy::Code;
use crate::vuln::Severity;

/// The source name items use (`derive = "vulnerabilities.known-addressed"`).
pub const SOURCE: &str = "vulnerabilities.known-addressed";

/// What the check's vulnerability assessment in `report` decides: an unresolved critical or
/// high vulnerability decides "not conforming"; otherwise the data must reach every ecosystem
/// the inventory uses and be as fresh as the policy asks before it can decide anything (no
/// data is no scan, not a clean one); then lesser unresolved ones make it "partly", none
/// "conforming".
pub fn outcome(report: &Report) -> Outcome {
    let a = &report.vulnerabilities;
    let as_of = report.as_of;
    let Some(db) = &a.database else {
        return Outcome::Undecided(Both::owned(
            format!("安全可控核验（{as_of}）：未导入漏洞库，未检查已知漏洞，无法据此答复"),
            format!(
                "acceptance check as of {as_of}: no vulnerability database was imported, so known vulnerabilities were not checked and the data cannot decide"
            ),
        ));
    };
    let unresolved = |s: Severity| a.counts.unresolved.get(&s).copied().unwrap_or(0);
    let severe = unresolved(Severity::Critical) + unresolved(Severity::High);
    let lesser: usize = a.counts.unresolved.values().sum::<usize>() - severe;
    let stale = report
        .findings
        .iter()
        .any(|f| f.code == Code::VulnerabilityDatabaseStale);
    let uncovered: Vec<String> = db
        .uncovered()
        .map(|(name, e)| format!("{name} ({})", e.components))
        .collect();
    let newest = db
        .newest_modified
        .as_deref()
        .map_or("-", |n| n.get(..10).unwrap_or(n));
    let age = db.age_days.map_or("-".into(), |d| d.to_string());
    let resolved = a.counts.matches - a.counts.unresolved.values().sum::<usize>();
    let (unchecked_zh, unchecked_en) = if uncovered.is_empty() {
        (String::new(), String::new())
    } else {
        let list = uncovered.join(", ");
        (
            format!("；漏洞库无数据、未检查的生态（组件数）：{list}"),
            format!("; not checked, no data in the database (components): {list}"),
        )
    };
    let (stale_zh, stale_en) = if stale {
        (
            "；漏洞库数据超过策略允许的时间",
            "; the data is older than the policy allows",
        )
    } else {
        ("", "")
    };
    let fact = Both::owned(
        format!(
            "漏洞库 {} 条公告，最新记录 {newest}（{age} 天前）；检查 {} 个组件，{} 个有已知漏洞；未处理：严重/高危 {severe}，其他 {lesser}；已由签名声明处理 {resolved}{unchecked_zh}{stale_zh}",
            db.advisories, a.counts.looked_up, a.counts.vulnerable_components
        ),
        format!(
            "database of {} advisories, newest record {newest} ({age} days old); {} components looked up, {} with known vulnerabilities; unresolved: {severe} critical/high, {lesser} other; {resolved} settled by signed statements{unchecked_en}{stale_en}",
            db.advisories, a.counts.looked_up, a.counts.vulnerable_components
        ),
    );
    let offered = if severe > 0 {
        Meaning::NotConforming
    } else if stale || !uncovered.is_empty() {
        return Outcome::Undecided(Both::owned(
            format!("{}；数据不全或过旧，无法据此答复", fact.zh),
            format!(
                "{}; the data is incomplete or out of date, so it cannot decide",
                fact.en
            ),
        ));
    } else if lesser > 0 {
        Meaning::Partly
    } else {
        Meaning::Conforming
    };
    Outcome::Offered(Derived {
        source: SOURCE.into(),
        offered,
        detail: fact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// The check on a copy of the demo with the real OSV fixtures imported (their newest record
    /// is far older than the policy's 30 days, so the data is stale).
    fn report() -> Report {
        let demo = crate::demo::demo_copy();
        crate::vuln::import::import(
            &demo.path().join("vulndb"),
            &[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vuln/osv")],
            &Default::default(),
        )
        .unwrap();
        let ws = crate::workspace::Workspace::open(demo.path()).unwrap();
        let found = ws.inventories().unwrap();
        let inventory = crate::inventory::load(&found.files).unwrap();
        let inputs = crate::acceptance::load_policy_inputs(ws, inventory, &found).unwrap();
        crate::acceptance::run(&inputs, "2026-11-28".parse().unwrap())
    }

    fn unresolved(r: &mut Report, counts: &[(Severity, usize)]) {
        r.vulnerabilities.counts.unresolved = counts.iter().copied().collect::<BTreeMap<_, _>>();
        r.vulnerabilities.counts.matches = counts.iter().map(|(_, n)| n).sum();
    }

    fn fresh(r: &mut Report) {
        r.findings
            .retain(|f| f.code != Code::VulnerabilityDatabaseStale);
    }

    fn offered(o: &Outcome) -> Option<Meaning> {
        match o {
            Outcome::Offered(d) => Some(d.offered),
            Outcome::Undecided(_) => None,
        }
    }

    #[test]
    fn each_fact_decides_what_it_shows_and_nothing_more() {
        let base = report();
        assert!(base
            .findings
            .iter()
            .any(|f| f.code == Code::VulnerabilityDatabaseStale));

        // An unresolved high vulnerability decides, stale data or not.
        let mut r = base.clone();
        unresolved(&mut r, &[(Severity::High, 1), (Severity::Low, 2)]);
        assert_eq!(offered(&outcome(&r)), Some(Meaning::NotConforming));

        // Without one, stale data decides nothing.
        unresolved(&mut r, &[(Severity::Low, 2)]);
        let o = outcome(&r);
        assert_eq!(offered(&o), None);
        let Outcome::Undecided(why) = o else {
            unreachable!()
        };
        assert!(
            why.en.contains("older than the policy allows"),
            "{}",
            why.en
        );

        // Fresh data with lesser ones unresolved: partly; none: conforming.
        fresh(&mut r);
        assert_eq!(offered(&outcome(&r)), Some(Meaning::Partly));
        unresolved(&mut r, &[]);
        assert_eq!(offered(&outcome(&r)), Some(Meaning::Conforming));

        // An ecosystem of the inventory without data decides nothing either.
        let db = r.vulnerabilities.database.as_mut().unwrap();
        db.ecosystems_used.values_mut().next().unwrap().advisories = 0;
        assert_eq!(offered(&outcome(&r)), None);

        // No database at all is no scan, not a clean one.
        r.vulnerabilities.database = None;
        let Outcome::Undecided(why) = outcome(&r) else {
            panic!("no database must not be offered an answer")
        };
        assert!(why.en.contains("no vulnerability database"), "{}", why.en);
    }
}
