//! Whether an advisory's `affected` entries cover a component's version: explicit version
//! lists, then `ECOSYSTEM` and `SEMVER` ranges evaluated in the ecosystem's own order, with
//! `introduced`, `fixed` and `last_affected` as the OSV schema defines them.

use super::candidate::{Bound, Entry};
use super::osv::RangeKind;
use super::purl::OsvPackage;
use super::version::{Order, Version};
use serde::Serialize;
use std::cmp::Ordering;

/// What an advisory says about one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    NotAffected,
    /// The versions could not be compared (no version, or one the ecosystem's order does not
    /// read, or a range anbao has no order for): neither affected nor cleared.
    Undetermined,
    Affected,
}

/// The outcome of `entries` (all for the component's package) for `pkg`, and the versions the
/// entries name as fixed.
pub fn judge(entries: &[Entry<'_>], pkg: &OsvPackage) -> (Outcome, Vec<String>) {
    let mut outcome = Outcome::NotAffected;
    let mut fixed: Vec<String> = Vec::new();
    for entry in entries {
        let ecosystem = entry.ecosystem.as_str();
        if !same_release(ecosystem, pkg.release.as_deref()) {
            continue;
        }
        for range in &entry.ranges {
            for e in &range.events {
                if let Bound::Fixed(v) = e {
                    if !fixed.iter().any(|f| f == v.as_str()) {
                        fixed.push(v.as_str().to_string());
                    }
                }
            }
        }
        outcome = outcome.max(judge_entry(entry, ecosystem, pkg.version.as_deref()));
    }
    (outcome, fixed)
}

/// A `Debian:12` entry applies to a component of release 12 or of no known release.
fn same_release(ecosystem: &str, release: Option<&str>) -> bool {
    match (ecosystem.split_once(':'), release) {
        (Some((_, theirs)), Some(ours)) => theirs.split('.').next() == Some(ours),
        _ => true,
    }
}

fn judge_entry(entry: &Entry<'_>, ecosystem: &str, version: Option<&str>) -> Outcome {
    let Some(version) = version.map(str::trim).filter(|v| !v.is_empty()) else {
        return Outcome::Undetermined;
    };
    // Go lists versions without the `v` its purls carry.
    let bare = version.strip_prefix('v').filter(|_| ecosystem == "Go");
    if entry
        .versions
        .iter()
        .any(|v| v.as_str() == version || Some(v.as_str()) == bare)
    {
        return Outcome::Affected;
    }
    let mut outcome = Outcome::NotAffected;
    for range in &entry.ranges {
        let order = match (range.kind, Order::of_ecosystem(ecosystem)) {
            // Commits cannot be ordered against releases; the `versions` list covers them.
            (RangeKind::Git, _) => continue,
            (RangeKind::Semver, Some(Order::Go)) => Order::Go,
            (RangeKind::Semver, _) => Order::Semver,
            (RangeKind::Ecosystem, Some(order)) => order,
            (RangeKind::Ecosystem, None) => {
                outcome = outcome.max(Outcome::Undetermined);
                continue;
            }
        };
        outcome = outcome.max(in_range(order, version, &range.events));
        if outcome == Outcome::Affected {
            break;
        }
    }
    outcome
}

/// The OSV evaluation of one range: walk the events in version order; an `introduced` at or
/// below the version opens, a `fixed` at or below it closes, a `last_affected` below it closes.
fn in_range(order: Order, version: &str, events: &[Bound<'_>]) -> Outcome {
    let Some(v) = order.parse(version) else {
        return Outcome::Undetermined;
    };
    // `introduced: "0"` is "from the first version"; it sorts before everything.
    let mut parsed: Vec<(Option<Version>, &Bound<'_>)> = Vec::with_capacity(events.len());
    for e in events {
        if matches!(e, Bound::Limit(_)) {
            continue;
        }
        if matches!(e, Bound::Introduced(s) if s.as_str() == "0") {
            parsed.push((None, e));
            continue;
        }
        match order.parse(e.version()) {
            Some(ev) => parsed.push((Some(ev), e)),
            None => return Outcome::Undetermined,
        }
    }
    parsed.sort_by(|(a, _), (b, _)| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(a), Some(b)) => a.compare(b).unwrap_or(Ordering::Equal),
    });
    let mut affected = false;
    for (ev, e) in &parsed {
        let cmp = ev.as_ref().map_or(Ordering::Greater, |ev| {
            v.compare(ev).unwrap_or(Ordering::Less)
        });
        match e {
            Bound::Introduced(_) if cmp != Ordering::Less => affected = true,
            Bound::Fixed(_) if cmp != Ordering::Less => affected = false,
            Bound::LastAffected(_) if cmp == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    if affected {
        Outcome::Affected
    } else {
        Outcome::NotAffected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::osv::Advisory;
    use crate::vuln::purl::osv_package;

    fn record(path: &str) -> Advisory {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/vuln/osv/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn outcome(a: &Advisory, purl: &str) -> Outcome {
        let entries: Vec<Entry> = a.affected.iter().filter_map(Entry::of).collect();
        judge(&entries, &osv_package(purl).unwrap()).0
    }

    #[test]
    fn maven_log4shell_ranges_with_backports() {
        let a = record("maven/GHSA-jfh8-c2jp-5v3q.json");
        let core = |v: &str| {
            outcome(
                &a,
                &format!("pkg:maven/org.apache.logging.log4j/log4j-core@{v}"),
            )
        };
        assert_eq!(core("2.14.1"), Outcome::Affected);
        assert_eq!(
            core("2.0-beta9"),
            Outcome::Affected,
            "a qualifier before 2.3.1"
        );
        assert_eq!(core("2.3.1"), Outcome::NotAffected, "the backport fix");
        assert_eq!(core("2.3.2"), Outcome::NotAffected, "between ranges");
        assert_eq!(core("2.4"), Outcome::Affected);
        assert_eq!(core("2.12.2"), Outcome::NotAffected);
        assert_eq!(
            core("2.13.0-rc1"),
            Outcome::NotAffected,
            "before introduced 2.13.0"
        );
        assert_eq!(core("2.15.0"), Outcome::NotAffected, "at fixed");
        assert_eq!(core("2.23.1"), Outcome::NotAffected);
    }

    #[test]
    fn npm_semver_ranges() {
        let a = record("npm/GHSA-wgrm-67xf-hhpq.json");
        assert_eq!(
            outcome(&a, "pkg:npm/pdfjs-dist@3.11.174"),
            Outcome::Affected
        );
        assert_eq!(
            outcome(&a, "pkg:npm/pdfjs-dist@4.2.67-rc.1"),
            Outcome::Affected,
            "a prerelease of the fix"
        );
        assert_eq!(
            outcome(&a, "pkg:npm/pdfjs-dist@4.2.67"),
            Outcome::NotAffected
        );
        assert_eq!(
            outcome(&a, "pkg:npm/pdfjs-dist@latest"),
            Outcome::Undetermined
        );
    }

    #[test]
    fn pypi_pep440_ranges() {
        let a = record("pypi/GHSA-h5c8-rqwp-cp95.json");
        assert_eq!(outcome(&a, "pkg:pypi/jinja2@3.1.2"), Outcome::Affected);
        assert_eq!(
            outcome(&a, "pkg:pypi/Jinja2@3.1.3rc1"),
            Outcome::Affected,
            "a release candidate of the fix"
        );
        assert_eq!(outcome(&a, "pkg:pypi/jinja2@3.1.3"), Outcome::NotAffected);
        assert_eq!(
            outcome(&a, "pkg:pypi/jinja2@3.1.3.post1"),
            Outcome::NotAffected
        );
        assert_eq!(
            outcome(&a, "pkg:pypi/jinja2@3.1.2+ubuntu1"),
            Outcome::Affected,
            "local versions"
        );
    }

    #[test]
    fn crates_semver_ranges_in_two_lines() {
        let a = record("crates/GHSA-8r5v-vm4m-4g25.json");
        assert_eq!(outcome(&a, "pkg:cargo/h2@0.3.23"), Outcome::Affected);
        assert_eq!(outcome(&a, "pkg:cargo/h2@0.3.24"), Outcome::NotAffected);
        assert_eq!(outcome(&a, "pkg:cargo/h2@0.4.1"), Outcome::Affected);
        assert_eq!(outcome(&a, "pkg:cargo/h2@0.4.2"), Outcome::NotAffected);
    }

    #[test]
    fn go_semver_with_prefix_prereleases_pseudo_versions_and_incompatible() {
        let std = record("go/GO-2026-6090.json");
        let go = |v: &str| outcome(&std, &format!("pkg:golang/stdlib@{v}"));
        assert_eq!(go("v1.25.12"), Outcome::Affected);
        assert_eq!(go("v1.25.13"), Outcome::NotAffected);
        assert_eq!(
            go("v1.26.0-rc.1"),
            Outcome::Affected,
            "introduced 1.26.0-0 opens before every 1.26 prerelease"
        );
        assert_eq!(go("v1.26.6"), Outcome::NotAffected);
        assert_eq!(go("v1.27.0-rc.2"), Outcome::Affected);
        assert_eq!(go("v1.27.0-rc.3"), Outcome::NotAffected);
        let crypto = record("go/GO-2020-0012.json");
        assert_eq!(
            outcome(
                &crypto,
                "pkg:golang/golang.org/x/crypto@v0.0.0-20200128174031-69ecbb4d6d5d"
            ),
            Outcome::Affected
        );
        assert_eq!(
            outcome(
                &crypto,
                "pkg:golang/golang.org/x/crypto@v0.0.0-20200220183623-bac4c82f6975"
            ),
            Outcome::NotAffected
        );
        let docker = record("go/GO-2021-0072.json");
        assert_eq!(
            outcome(
                &docker,
                "pkg:golang/github.com/docker/distribution@v2.6.2+incompatible"
            ),
            Outcome::Affected
        );
        assert_eq!(
            outcome(
                &docker,
                "pkg:golang/github.com/docker/distribution@v2.7.0+incompatible"
            ),
            Outcome::NotAffected
        );
    }

    #[test]
    fn a_withdrawn_record_still_names_the_versions_it_once_did() {
        // Only its withdrawal keeps it from matching (see `assess`), not its ranges.
        let a = record("go/GO-2022-0617.json");
        assert!(a.withdrawn.is_some());
        assert_eq!(
            outcome(&a, "pkg:golang/k8s.io/kubernetes@v1.20.0"),
            Outcome::Affected
        );
    }

    #[test]
    fn pypa_version_lists_and_ranges_agree() {
        let a = record("pypi/PYSEC-2021-66.json");
        assert_eq!(outcome(&a, "pkg:pypi/jinja2@2.0rc1"), Outcome::Affected);
        assert_eq!(outcome(&a, "pkg:pypi/Jinja2@2.11.2"), Outcome::Affected);
        assert_eq!(outcome(&a, "pkg:pypi/jinja2@2.11.3"), Outcome::NotAffected);
    }

    #[test]
    fn last_affected_and_explicit_versions() {
        let a: Advisory = serde_json::from_str(
            r#"{"id":"T-1","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.0.0-1"},{"last_affected":"3.0.11-1~deb12u2"}]}],
            "versions":["1.1.1n-0+deb11u5"]}]}"#,
        )
        .unwrap();
        let deb = |v: &str| outcome(&a, &format!("pkg:deb/debian/openssl@{v}?distro=debian-12"));
        assert_eq!(
            deb("3.0.11-1~deb12u2"),
            Outcome::Affected,
            "last_affected is included"
        );
        assert_eq!(deb("3.0.11-1~deb12u1"), Outcome::Affected);
        assert_eq!(
            deb("3.0.11-1"),
            Outcome::NotAffected,
            "a tilde sorts before"
        );
        assert_eq!(
            deb("1.1.1n-0+deb11u5"),
            Outcome::Affected,
            "listed explicitly"
        );
        assert_eq!(
            outcome(
                &a,
                "pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=bullseye"
            ),
            Outcome::NotAffected,
            "another release's entry"
        );
    }

    #[test]
    fn git_ranges_alone_do_not_match_and_unknown_orders_are_undetermined() {
        let a: Advisory = serde_json::from_str(
            r#"{"id":"T-2","affected":[{"package":{"ecosystem":"RubyGems","name":"rack"},
            "ranges":[{"type":"GIT","repo":"x","events":[{"introduced":"abc"},{"fixed":"def"}]},
                      {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.2.8"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(outcome(&a, "pkg:gem/rack@2.2.7"), Outcome::Undetermined);
    }
}
