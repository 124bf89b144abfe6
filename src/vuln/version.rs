//! Version orders per ecosystem, each from a maintained crate: SemVer precedence for npm,
//! crates.io and Go (`semver`, with Go's `v` prefix and `+incompatible` build metadata), PEP 440
//! for PyPI (`pep440_rs`), Maven's ComparableVersion (`mvn_version`), and dpkg's order for
//! Debian (`debversion`). Nothing here is hand-written beyond choosing among them.

use std::cmp::Ordering;
use std::str::FromStr;

/// A package ecosystem whose versions anbao can order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Order {
    /// npm, crates.io and the OSV `SEMVER` range type.
    Semver,
    /// Go modules: SemVer with a leading `v`.
    Go,
    Pep440,
    Maven,
    Debian,
}

impl Order {
    /// The order of an OSV ecosystem name (`Debian:12` is Debian), or `None` where anbao has no
    /// order for it and only explicit version lists can match.
    pub fn of_ecosystem(ecosystem: &str) -> Option<Order> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "npm" | "crates.io" => Order::Semver,
            "Go" => Order::Go,
            "PyPI" => Order::Pep440,
            "Maven" => Order::Maven,
            "Debian" => Order::Debian,
            _ => return None,
        })
    }

    /// `text` as a version of this order, or `None` where it is not one.
    pub fn parse(self, text: &str) -> Option<Version> {
        let text = text.trim();
        Some(match self {
            Order::Semver => Version::Semver(parse_semver(text.trim_start_matches(['v', '=']))?),
            Order::Go => Version::Semver(parse_semver(text.strip_prefix('v').unwrap_or(text))?),
            Order::Pep440 => Version::Pep440(pep440_rs::Version::from_str(text).ok()?),
            Order::Maven => {
                if text.is_empty() {
                    return None;
                }
                Version::Maven(mvn_version::ComparableVersion::new(text))
            }
            Order::Debian => Version::Debian(debversion::Version::from_str(text).ok()?),
        })
    }
}

fn parse_semver(text: &str) -> Option<semver::Version> {
    semver::Version::parse(text).ok()
}

/// A parsed version. Versions of different orders never compare.
#[derive(Debug, Clone)]
pub enum Version {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
    Maven(mvn_version::ComparableVersion),
    Debian(debversion::Version),
}

impl Version {
    /// The order of two versions of the same kind. SemVer compares by precedence, so build
    /// metadata (`+incompatible`) does not make two versions differ.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        Some(match (self, other) {
            (Version::Semver(a), Version::Semver(b)) => a.cmp_precedence(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.cmp(b),
            (Version::Debian(a), Version::Debian(b)) => a.cmp(b),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(order: Order, a: &str, b: &str) -> Ordering {
        let (a, b) = (order.parse(a).unwrap(), order.parse(b).unwrap());
        a.compare(&b).unwrap()
    }

    fn ascending(order: Order, versions: &[&str]) {
        for pair in versions.windows(2) {
            assert_eq!(
                cmp(order, pair[0], pair[1]),
                Ordering::Less,
                "{order:?}: {} < {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn semver_prereleases_come_before_their_release_and_build_metadata_is_ignored() {
        ascending(
            Order::Semver,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
            ],
        );
        assert_eq!(
            cmp(Order::Semver, "1.0.0+build.1", "1.0.0"),
            Ordering::Equal
        );
        assert!(
            Order::Semver.parse("1.0").is_none(),
            "npm versions have three parts"
        );
    }

    #[test]
    fn go_versions_take_the_v_prefix_pseudo_versions_and_incompatible() {
        ascending(
            Order::Go,
            &[
                "v0.0.0-20200220183623-bac4c82f6975",
                "v0.0.1",
                "v1.26.0-0",
                "v1.26.0-rc.1",
                "v1.26.0",
                "v2.6.0+incompatible",
                "v2.7.0-rc.0+incompatible",
                "v2.7.0+incompatible",
            ],
        );
        assert_eq!(cmp(Order::Go, "v1.2.3", "1.2.3"), Ordering::Equal);
    }

    #[test]
    fn pep440_orders_dev_pre_post_and_local_releases_and_normalises() {
        ascending(
            Order::Pep440,
            &[
                "1.0.dev1",
                "1.0a1",
                "1.0b2",
                "1.0rc1",
                "1.0",
                "1.0+local.1",
                "1.0.post1",
                "1.1",
            ],
        );
        assert_eq!(cmp(Order::Pep440, "1.0", "1.0.0"), Ordering::Equal);
        assert_eq!(cmp(Order::Pep440, "1.0RC1", "1.0rc1"), Ordering::Equal);
        assert_eq!(
            cmp(Order::Pep440, "1!0.1", "2.0"),
            Ordering::Greater,
            "epoch first"
        );
    }

    #[test]
    fn maven_orders_qualifiers_as_comparable_version_does() {
        ascending(
            Order::Maven,
            &[
                "2.0-alpha1",
                "2.0-beta9",
                "2.0-rc1",
                "2.0-SNAPSHOT",
                "2.0",
                "2.0-sp1",
                "2.0.1",
                "2.3.1",
                "2.4",
                "2.12.2",
                "2.15.0",
            ],
        );
        assert_eq!(cmp(Order::Maven, "2.4", "2.4.0"), Ordering::Equal);
        assert_eq!(
            cmp(Order::Maven, "4.1.114.Final", "4.1.114"),
            Ordering::Equal
        );
        assert_eq!(cmp(Order::Maven, "1.0-GA", "1.0"), Ordering::Equal);
    }

    #[test]
    fn debian_orders_epochs_tildes_and_revisions() {
        ascending(
            Order::Debian,
            &[
                "1.0~rc1-1",
                "1.0-1",
                "1.0-1+deb12u1",
                "1.0-2",
                "1.0.1-1",
                "1:0.9-1",
            ],
        );
        assert_eq!(cmp(Order::Debian, "0:1.0-1", "1.0-1"), Ordering::Equal);
    }

    #[test]
    fn ecosystems_map_to_orders() {
        assert_eq!(Order::of_ecosystem("Debian:12"), Some(Order::Debian));
        assert_eq!(Order::of_ecosystem("crates.io"), Some(Order::Semver));
        assert_eq!(Order::of_ecosystem("RubyGems"), None);
    }
}
