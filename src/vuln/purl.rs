//! From a component's package URL to the OSV package it names: ecosystem, name in that
//! ecosystem's spelling, version, and for Debian the release.

use packageurl::PackageUrl;
use std::str::FromStr;

/// The OSV identity of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsvPackage {
    /// The OSV ecosystem without a release (`Debian`, not `Debian:12`).
    pub ecosystem: &'static str,
    pub name: String,
    pub version: Option<String>,
    /// The Debian release number a `deb` purl names in its `distro` qualifier.
    pub release: Option<String>,
}

/// The OSV package of a purl, where its type is one OSV knows.
pub fn osv_package(purl: &str) -> Option<OsvPackage> {
    let p = PackageUrl::from_str(purl).ok()?;
    let ns = p.namespace();
    let joined = |sep: &str| match ns {
        Some(ns) => format!("{ns}{sep}{}", p.name()),
        None => p.name().to_string(),
    };
    let (ecosystem, name) = match p.ty() {
        "maven" => ("Maven", format!("{}:{}", ns?, p.name())),
        "npm" => ("npm", joined("/")),
        "pypi" => ("PyPI", p.name().to_string()),
        "cargo" => ("crates.io", p.name().to_string()),
        "golang" => ("Go", joined("/")),
        "deb" if ns.is_none_or(|n| n.eq_ignore_ascii_case("debian")) => {
            // Debian's advisories name source packages; a binary package's purl names its
            // source in `upstream` (`libc6` → `glibc`, `glibc@2.36-9` where a binNMU differs).
            if let Some(upstream) = p.qualifiers().get("upstream").map(|u| u.trim()) {
                let (source, source_version) = match upstream.split_once('@') {
                    Some((name, version)) => (name, Some(version)),
                    None => (upstream, None),
                };
                if !source.is_empty() {
                    return Some(OsvPackage {
                        ecosystem: "Debian",
                        name: source.to_string(),
                        version: source_version
                            .filter(|v| !v.is_empty())
                            .or(p.version())
                            .map(str::to_string),
                        release: debian_release_of(&p),
                    });
                }
            }
            ("Debian", p.name().to_string())
        }
        "gem" => ("RubyGems", p.name().to_string()),
        "nuget" => ("NuGet", p.name().to_string()),
        "composer" => ("Packagist", joined("/")),
        "hex" => ("Hex", p.name().to_string()),
        "pub" => ("Pub", p.name().to_string()),
        "swift" => ("SwiftURL", joined("/")),
        _ => return None,
    };
    let release = (ecosystem == "Debian")
        .then(|| debian_release_of(&p))
        .flatten();
    Some(OsvPackage {
        ecosystem,
        name,
        version: p.version().map(str::to_string),
        release,
    })
}

/// The key the index files a package under: ecosystem without release, and the name as the
/// ecosystem compares names (PyPI: PEP 503 normalised; Go: as written; others: lower case).
pub fn index_key(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let name = match base {
        "PyPI" => pep503(name),
        "Go" => name.to_string(),
        _ => name.to_lowercase(),
    };
    format!("{base}\t{name}")
}

/// PEP 503: lower case, runs of `-`, `_` and `.` become one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The Debian release a `deb` purl's `distro` qualifier names.
fn debian_release_of(p: &PackageUrl) -> Option<String> {
    p.qualifiers().get("distro").and_then(|d| debian_release(d))
}

/// `debian-12`, `12`, `bookworm` → `12`.
fn debian_release(distro: &str) -> Option<String> {
    let d = distro.trim().to_ascii_lowercase();
    let d = d.strip_prefix("debian-").unwrap_or(&d);
    let number = match d {
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        n if n
            .split('.')
            .next()
            .is_some_and(|m| m.parse::<u32>().is_ok()) =>
        {
            n.split('.').next()?
        }
        _ => return None,
    };
    Some(number.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_become_osv_packages() {
        let m = osv_package("pkg:maven/org.apache.logging.log4j/log4j-api@2.23.1").unwrap();
        assert_eq!(
            (m.ecosystem, m.name.as_str()),
            ("Maven", "org.apache.logging.log4j:log4j-api")
        );
        assert_eq!(m.version.as_deref(), Some("2.23.1"));
        let n = osv_package("pkg:npm/%40vue/shared@3.4.38").unwrap();
        assert_eq!(n.name, "@vue/shared");
        let g =
            osv_package("pkg:golang/github.com/docker/distribution@v2.6.0+incompatible").unwrap();
        assert_eq!(
            (g.ecosystem, g.name.as_str()),
            ("Go", "github.com/docker/distribution")
        );
        let d = osv_package("pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=bookworm").unwrap();
        assert_eq!(d.release.as_deref(), Some("12"));
        assert!(osv_package("pkg:generic/dameng/dm8@8.1.3.162").is_none());
        // Syft's binary packages name their source package, and its version where it differs.
        let bin = osv_package(
            "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&upstream=glibc&distro=debian-12",
        )
        .unwrap();
        assert_eq!(
            (
                bin.name.as_str(),
                bin.version.as_deref(),
                bin.release.as_deref()
            ),
            ("glibc", Some("2.36-9+deb12u4"), Some("12"))
        );
        let nmu =
            osv_package("pkg:deb/debian/libc6@2.36-9+b1?upstream=glibc%402.36-9&distro=bookworm")
                .unwrap();
        assert_eq!(
            (nmu.name.as_str(), nmu.version.as_deref()),
            ("glibc", Some("2.36-9"))
        );
        assert!(osv_package("not a purl").is_none());
    }

    #[test]
    fn index_keys_compare_names_as_the_ecosystem_does() {
        assert_eq!(index_key("PyPI", "Jinja2"), index_key("PyPI", "jinja2"));
        assert_eq!(index_key("PyPI", "zope.interface"), "PyPI\tzope-interface");
        assert_eq!(index_key("Debian:12", "openssl"), "Debian\topenssl");
        assert_ne!(
            index_key("Go", "github.com/A/b"),
            index_key("Go", "github.com/a/b")
        );
    }
}
