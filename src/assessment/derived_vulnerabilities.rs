//! The answer offered for "are known vulnerabilities found and dealt with": from the
//! acceptance check's known-vulnerability assessment, stating its basis (the database's date,
//! what was looked up, what remains unresolved by severity).

use super::definition::Meaning;
use super::report::Both;
use super::session::Derived;
use crate::acceptance::Report;
use crate::vuln::Severity;

/// The source name items use (`derive = "vulnerabilities.known-addressed"`).
pub const SOURCE: &str = "vulnerabilities.known-addressed";

/// The offer from `report`: not conforming while a critical or high vulnerability is
/// unresolved or no database was imported; partly while lesser ones are unresolved, the data
/// is older than the policy allows or an ecosystem of the inventory has no data; conforming
/// otherwise.
pub fn offer(report: &Report, max_age_days: Option<u32>) -> Derived {
    let a = &report.vulnerabilities;
    let Some(db) = &a.database else {
        return Derived {
            source: SOURCE.into(),
            offered: Meaning::NotConforming,
            detail: Both::owned(
                format!("安全可控核验（{}）：未导入漏洞库，未检查已知漏洞", report.as_of),
                format!(
                    "acceptance check as of {}: no vulnerability database was imported, known vulnerabilities were not checked",
                    report.as_of
                ),
            ),
        };
    };
    let unresolved = |s: Severity| a.counts.unresolved.get(&s).copied().unwrap_or(0);
    let severe = unresolved(Severity::Critical) + unresolved(Severity::High);
    let lesser: usize = a.counts.unresolved.values().sum::<usize>() - severe;
    // The age that counts is that of the stalest ecosystem the inventory uses.
    let stale = matches!((max_age_days, db.stalest()), (Some(max), Some((_, _, age))) if age > i64::from(max));
    let uncovered: Vec<String> = db
        .uncovered()
        .map(|(name, e)| format!("{name} ({})", e.components))
        .collect();
    let offered = if severe > 0 {
        Meaning::NotConforming
    } else if lesser > 0 || stale || !uncovered.is_empty() {
        Meaning::Partly
    } else {
        Meaning::Conforming
    };
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
    Derived {
        source: SOURCE.into(),
        offered,
        detail: Both::owned(
            format!(
                "漏洞库 {} 条公告，最新记录 {newest}（{age} 天前）；检查 {} 个组件，{} 个有已知漏洞；未处理：严重/高危 {severe}，其他 {lesser}；已由签名声明处理 {resolved}{unchecked_zh}",
                db.advisories, a.counts.looked_up, a.counts.vulnerable_components
            ),
            format!(
                "database of {} advisories, newest record {newest} ({age} days old); {} components looked up, {} with known vulnerabilities; unresolved: {severe} critical/high, {lesser} other; {resolved} settled by signed statements{unchecked_en}",
                db.advisories, a.counts.looked_up, a.counts.vulnerable_components
            ),
        ),
    }
}
