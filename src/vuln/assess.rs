//! An inventory against the advisory index and the VEX statements in force: which components
//! carry which known vulnerabilities, in what state, and how old the data behind it is.

use super::index::Index;
use super::matching::{judge, Outcome};
use super::purl::{index_key, osv_package, OsvPackage};
use super::severity::{Rating, Severity};
use super::vex::{self, Recorded, Status};
use crate::error::InputError;
use crate::inventory::{Component, ComponentId, Inventory};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What was known, from where, as of when.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseInfo {
    pub location: PathBuf,
    pub advisories: usize,
    pub sources: usize,
    pub ecosystems: BTreeMap<String, usize>,
    /// The newest `modified` of any advisory.
    pub newest_modified: Option<String>,
    /// Days from `newest_modified` to the assessment date.
    pub age_days: Option<i64>,
    pub built: String,
    /// The ecosystems of the inventory's components and what the database holds for each.
    pub ecosystems_used: BTreeMap<String, EcosystemData>,
}

/// What the database holds for one ecosystem the inventory uses.
#[derive(Debug, Clone, Serialize)]
pub struct EcosystemData {
    /// Components of this ecosystem in the inventory.
    pub components: usize,
    /// Advisories in the database; none means its components were not checked at all.
    pub advisories: usize,
    pub newest_modified: Option<String>,
    pub age_days: Option<i64>,
}

impl DatabaseInfo {
    /// Ages the database, and each ecosystem the inventory uses, as of `today`.
    pub fn age_as_of(&mut self, today: NaiveDate) {
        let age = |newest: &Option<String>| {
            newest
                .as_deref()
                .and_then(|n| super::index::days_since(n, today))
        };
        self.age_days = age(&self.newest_modified);
        for e in self.ecosystems_used.values_mut() {
            e.age_days = age(&e.newest_modified);
        }
    }

    /// Ecosystems the inventory uses and the database holds nothing for.
    pub fn uncovered(&self) -> impl Iterator<Item = (&str, &EcosystemData)> {
        self.ecosystems_used
            .iter()
            .filter(|(_, e)| e.advisories == 0)
            .map(|(name, e)| (name.as_str(), e))
    }

    /// The used ecosystem whose data is oldest, with its age; the whole database's where no
    /// ecosystem is dated (a database built before per-ecosystem dates were kept).
    pub fn stalest(&self) -> Option<(Option<&str>, &str, i64)> {
        let oldest = self
            .ecosystems_used
            .iter()
            .filter_map(|(name, e)| {
                Some((name.as_str(), e.newest_modified.as_deref()?, e.age_days?))
            })
            .max_by_key(|(_, _, age)| *age);
        match oldest {
            Some((name, newest, age)) => Some((Some(name), newest, age)),
            None => Some((None, self.newest_modified.as_deref()?, self.age_days?)),
        }
    }
}

/// One known vulnerability of one component.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub component: ComponentId,
    pub id: String,
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub rating: Rating,
    /// Versions the advisory names as fixed.
    pub fixed: Vec<String>,
    /// `affected`, or `undetermined` where the version could not be compared.
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

impl Match {
    pub fn severity(&self) -> Severity {
        self.rating.severity
    }

    /// Whether a statement settles it (fixed, or not affected).
    pub fn resolved(&self) -> bool {
        self.statement.as_ref().is_some_and(|s| s.status.resolves())
    }

    /// Its id, then its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The CVE ids among its id and aliases.
    pub fn cves(&self) -> Vec<&str> {
        self.ids().filter(|i| i.starts_with("CVE-")).collect()
    }

    /// Whether `self` and `other` name a common id: the same vulnerability.
    fn shares_an_id(&self, other: &Match) -> bool {
        self.ids()
            .any(|a| other.ids().any(|b| a.eq_ignore_ascii_case(b)))
    }
}

/// The VEX statement in force for a match.
#[derive(Debug, Clone, Serialize)]
pub struct StatementRef {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The ledger record.
    pub seq: u64,
    pub unit: String,
    pub time: String,
}

/// Counts for the report's summary and the verdict record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Components with a package URL anbao can look up.
    pub looked_up: usize,
    /// Components without one (hardware, generic purls): not checked.
    pub not_looked_up: usize,
    pub vulnerable_components: usize,
    pub matches: usize,
    /// Unresolved matches per severity.
    pub unresolved: BTreeMap<Severity, usize>,
    /// Matches per VEX status; `none` for no statement.
    pub by_status: BTreeMap<String, usize>,
    pub undetermined: usize,
}

/// The whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// `None`: no database was imported, so nothing was checked.
    pub database: Option<DatabaseInfo>,
    pub counts: Counts,
    pub matches: Vec<Match>,
    /// Statements in the ledger (all, including those about components not in the inventory).
    pub statements: usize,
}

impl Assessment {
    /// No database: an assessment that says so.
    pub fn without_database(statements: usize) -> Assessment {
        Assessment {
            database: None,
            counts: Counts::default(),
            matches: Vec::new(),
            statements,
        }
    }

    /// The matches of one component.
    pub fn of(&self, id: ComponentId) -> impl Iterator<Item = &Match> {
        let start = self.matches.partition_point(|m| m.component < id);
        self.matches[start..]
            .iter()
            .take_while(move |m| m.component == id)
    }
}

/// Assesses `inv` against `index` and `statements` as of `as_of`.
pub fn assess(
    inv: &Inventory,
    index: Option<&Index>,
    statements: &[Recorded],
    as_of: NaiveDate,
) -> Result<Assessment, InputError> {
    let Some(index) = index else {
        return Ok(Assessment::without_database(statements.len()));
    };
    // Each component: its OSV package (none where its purl names no ecosystem OSV knows) and
    // its matches, from one read of its package's match records.
    let per_component: Vec<(Option<OsvPackage>, Vec<Match>)> = inv
        .components
        .par_iter()
        .enumerate()
        .map(|(id, c)| {
            let Some(pkg) = c.purl.as_deref().and_then(osv_package) else {
                return Ok((None, Vec::new()));
            };
            let matches = component_matches(index, statements, id, c, &pkg)?;
            Ok((Some(pkg), matches))
        })
        .collect::<Result<_, InputError>>()?;

    let mut counts = Counts::default();
    for (found, ms) in &per_component {
        if found.is_some() {
            counts.looked_up += 1;
        } else {
            counts.not_looked_up += 1;
        }
        if !ms.is_empty() {
            counts.vulnerable_components += 1;
        }
        for m in ms {
            counts.matches += 1;
            if m.outcome == Outcome::Undetermined {
                counts.undetermined += 1;
            }
            let status = m.statement.as_ref().map_or("none", |s| s.status.as_str());
            *counts.by_status.entry(status.to_string()).or_default() += 1;
            if !m.resolved() {
                *counts.unresolved.entry(m.severity()).or_default() += 1;
            }
        }
    }
    let m = &index.manifest;
    let mut ecosystems_used: BTreeMap<String, EcosystemData> = BTreeMap::new();
    for pkg in per_component.iter().filter_map(|(p, _)| p.as_ref()) {
        let e = ecosystems_used
            .entry(pkg.ecosystem.to_string())
            .or_insert_with(|| EcosystemData {
                components: 0,
                advisories: m.ecosystems.get(pkg.ecosystem).copied().unwrap_or(0),
                newest_modified: m.newest_by_ecosystem.get(pkg.ecosystem).cloned(),
                age_days: m.ecosystem_age_days(pkg.ecosystem, as_of),
            });
        e.components += 1;
    }
    Ok(Assessment {
        database: Some(DatabaseInfo {
            location: index.folder.parent().unwrap_or(&index.folder).to_path_buf(),
            advisories: m.advisories,
            sources: m.sources.len(),
            ecosystems: m.ecosystems.clone(),
            newest_modified: m.newest_modified.clone(),
            age_days: m.age_days(as_of),
            built: m.built.clone(),
            ecosystems_used,
        }),
        counts,
        matches: per_component.into_iter().flat_map(|(_, m)| m).collect(),
        statements: statements.len(),
    })
}

/// The known vulnerabilities of component `id`, whose OSV package is `pkg`: one match per
/// vulnerability, each with the statement in force, most severe first.
fn component_matches(
    index: &Index,
    statements: &[Recorded],
    id: ComponentId,
    c: &Component,
    pkg: &OsvPackage,
) -> Result<Vec<Match>, InputError> {
    let block = index.candidates(&index_key(pkg.ecosystem, &pkg.name))?;
    let mut out = Vec::new();
    for record in block.records(&index.folder) {
        let record = record?;
        let (outcome, fixed) = judge(&record.entries, pkg);
        if outcome == Outcome::NotAffected {
            continue;
        }
        let mut ids = record.ids.iter().map(|i| i.as_str().to_string());
        out.push(Match {
            component: id,
            id: ids.next().unwrap_or_default(),
            aliases: ids.collect(),
            summary: record.summary.as_ref().map(|s| s.as_str().to_string()),
            rating: record.rating,
            fixed,
            outcome,
            statement: None,
            references: record
                .references
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
        });
    }
    if out.is_empty() {
        return Ok(out);
    }
    let mut out = fold_aliases(out);
    if !statements.is_empty() {
        let display = c.display_id();
        let product_ids: Vec<&str> = [c.purl.as_deref(), c.bom_ref.as_deref()]
            .into_iter()
            .flatten()
            .chain([display.as_str()])
            .collect();
        for m in &mut out {
            let ids: Vec<&str> = m.ids().collect();
            m.statement = vex::in_force(statements, &ids, &product_ids).map(|r| StatementRef {
                status: r.statement.status,
                justification: r.statement.justification.clone(),
                response: r.statement.response.clone(),
                detail: r
                    .statement
                    .detail
                    .clone()
                    .or_else(|| r.statement.impact.clone()),
                seq: r.seq,
                unit: r.unit.clone(),
                time: r.time.clone(),
            });
        }
    }
    // Most severe first within a component, then by id.
    out.sort_by(|x, y| {
        y.severity()
            .cmp(&x.severity())
            .then_with(|| x.id.cmp(&y.id))
    });
    Ok(out)
}

/// One finding per vulnerability. Databases publish their own advisories of one vulnerability
/// (GHSA and GO, GHSA and PYSEC, Debian's record of a CVE), which share an id among them; each
/// set of a component's matches linked by shared ids becomes one match that names every id,
/// carries the worst rating, every fixed version and every reference, so a vulnerability is
/// counted, gated and stated once. The match that is affected (not undetermined) and has the
/// most precise rating gives the main id and summary; the smallest id breaks ties.
fn fold_aliases(matches: Vec<Match>) -> Vec<Match> {
    if matches.len() < 2 {
        return matches;
    }
    // Union-find over the matches; a component has few, so pairwise comparison is cheap.
    let mut root: Vec<usize> = (0..matches.len()).collect();
    let mut linked = false;
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for i in 0..matches.len() {
        for j in i + 1..matches.len() {
            if matches[i].shares_an_id(&matches[j]) {
                let (a, b) = (find(&mut root, i), find(&mut root, j));
                root[a.max(b)] = a.min(b);
                linked = true;
            }
        }
    }
    if !linked {
        return matches;
    }
    let mut groups: BTreeMap<usize, Vec<Match>> = BTreeMap::new();
    for (i, m) in matches.into_iter().enumerate() {
        let r = find(&mut root, i);
        groups.entry(r).or_default().push(m);
    }
    groups.into_values().map(fold).collect()
}

/// How much a rating says: a CVSS vector (newer versions first) over the source's word.
fn precision(r: &Rating) -> u8 {
    match r.method.as_str() {
        "CVSS_V4" => 4,
        "CVSS_V3" => 3,
        "CVSS_V2" => 2,
        "source" => 1,
        _ => 0,
    }
}

/// One match from a group of matches of the same vulnerability.
fn fold(mut group: Vec<Match>) -> Match {
    group.sort_by(|x, y| {
        y.outcome
            .cmp(&x.outcome)
            .then_with(|| precision(&y.rating).cmp(&precision(&x.rating)))
            .then_with(|| x.id.cmp(&y.id))
    });
    let mut rest = group.split_off(1);
    let mut main = group.pop().expect("a group has a match");
    let worst = rest
        .iter()
        .map(|m| &m.rating)
        .filter(|r| r.severity > main.rating.severity)
        .max_by_key(|r| r.severity)
        .cloned();
    if let Some(r) = worst {
        main.rating = r;
    }
    for m in rest.iter_mut() {
        for id in m.ids() {
            if !main.ids().any(|known| known.eq_ignore_ascii_case(id)) {
                main.aliases.push(id.to_string());
            }
        }
        for v in m.fixed.drain(..) {
            if !main.fixed.contains(&v) {
                main.fixed.push(v);
            }
        }
        for r in m.references.drain(..) {
            if !main.references.contains(&r) {
                main.references.push(r);
            }
        }
        main.outcome = main.outcome.max(m.outcome);
        if main.summary.is_none() {
            main.summary = m.summary.take();
        }
    }
    main
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::osv::Advisory;

    fn matched(id: &str, aliases: &[&str], method: &str, severity: Severity) -> Match {
        Match {
            component: 0,
            id: id.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            summary: None,
            rating: Rating {
                severity,
                method: method.into(),
                score: None,
                vector: None,
            },
            fixed: vec![format!("fix-of-{id}")],
            outcome: Outcome::Affected,
            statement: None,
            references: Vec::new(),
        }
    }

    #[test]
    fn advisories_of_one_vulnerability_from_several_databases_are_one_match() {
        let folded = fold_aliases(vec![
            matched("PYSEC-2024-1", &["CVE-2024-1"], "none", Severity::Unknown),
            matched(
                "GHSA-aaaa-bbbb-cccc",
                &["CVE-2024-1"],
                "CVSS_V3",
                Severity::Medium,
            ),
            matched(
                "GHSA-dddd-eeee-ffff",
                &["CVE-2024-2"],
                "source",
                Severity::Low,
            ),
            // Linked to the first two only through the GO record's aliases.
            matched(
                "GO-2024-9",
                &["GHSA-aaaa-bbbb-cccc", "CVE-2024-1"],
                "source",
                Severity::High,
            ),
        ]);
        assert_eq!(folded.len(), 2, "{folded:#?}");
        let one = &folded[0];
        assert_eq!(one.id, "GHSA-aaaa-bbbb-cccc", "the CVSS-rated record leads");
        assert_eq!(one.aliases, ["CVE-2024-1", "GO-2024-9", "PYSEC-2024-1"]);
        assert_eq!(one.severity(), Severity::High, "the worst rating counts");
        assert_eq!(one.fixed.len(), 3);
        assert_eq!(folded[1].id, "GHSA-dddd-eeee-ffff");
        assert_eq!(folded[1].aliases, ["CVE-2024-2"]);
    }

    #[test]
    fn a_debian_record_of_one_cve_folds_and_one_of_many_does_not() {
        let record = |json: &str| serde_json::from_str::<Advisory>(json).unwrap();
        let single = record(r#"{"id":"DEBIAN-CVE-2024-1","upstream":["CVE-2024-1"]}"#);
        let dsa = record(r#"{"id":"DSA-5600-1","upstream":["CVE-2024-1","CVE-2024-2"]}"#);
        assert_eq!(
            single.ids().collect::<Vec<_>>(),
            ["DEBIAN-CVE-2024-1", "CVE-2024-1"]
        );
        assert_eq!(dsa.ids().collect::<Vec<_>>(), ["DSA-5600-1"]);
        let as_match = |a: &Advisory| {
            let mut ids = a.ids();
            let id = ids.next().unwrap();
            matched(id, &ids.collect::<Vec<_>>(), "none", Severity::Unknown)
        };
        let folded = fold_aliases(vec![
            as_match(&single),
            as_match(&dsa),
            matched(
                "GHSA-aaaa-bbbb-cccc",
                &["CVE-2024-1"],
                "CVSS_V3",
                Severity::High,
            ),
        ]);
        let ids: Vec<&str> = folded.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["GHSA-aaaa-bbbb-cccc", "DSA-5600-1"]);
        assert!(folded[0].aliases.iter().any(|a| a == "DEBIAN-CVE-2024-1"));
    }
}
