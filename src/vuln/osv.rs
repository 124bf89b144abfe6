//! The OSV record (the open schema of osv.dev, GitHub, PyPA, RustSec and Go), reduced to what
//! matching, reports and VEX need. The same type is read from imported files and written to the
//! index, so the index holds OSV, just less of it.

use serde::{Deserialize, Serialize};

/// One advisory.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Set when the source took the advisory back: it no longer says anything is vulnerable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The upstream vulnerabilities a downstream record restates (OSV 1.6): Debian's
    /// `DEBIAN-CVE-…` records name their CVE only here, a `DSA-…` lists every CVE it fixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Only the first paragraph is kept in the index; the source has the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default)]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<DatabaseSpecific>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu` ...
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// The source's own severity word (GitHub: LOW, MODERATE, HIGH, CRITICAL), used where no CVSS
/// vector is given. Everything else the source adds is dropped.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct DatabaseSpecific {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Affected {
    #[serde(default)]
    pub package: Option<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RangeKind {
    /// Versions in the package ecosystem's own order.
    Ecosystem,
    /// Semantic Versioning 2.0 precedence, whatever the ecosystem.
    Semver,
    /// Commit hashes: cannot be compared with release versions; the advisory's `versions`
    /// list enumerates the releases they cover.
    Git,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeKind,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One boundary of a range. OSV writes each as an object with exactly one of these keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub url: String,
}

/// References kept per advisory in the index: enough to find the source, not a link farm.
const KEPT_REFERENCES: usize = 6;
/// Characters of `details` kept in the index.
const KEPT_DETAILS: usize = 600;

impl Advisory {
    /// The advisory as the index keeps it: the first paragraph of the details, the advisory
    /// and package references first and a few others.
    pub fn trimmed(mut self) -> Advisory {
        // Advisory text is untrusted: no control characters (terminal escapes) reach the index.
        self.id = printable(&self.id);
        self.aliases = self.aliases.iter().map(|a| printable(a)).collect();
        self.upstream = self.upstream.iter().map(|a| printable(a)).collect();
        self.summary = self.summary.as_deref().map(printable);
        self.details = self.details.as_deref().map(printable);
        if let Some(d) = &self.details {
            let first = d.split("\n\n").find(|p| !p.trim().is_empty()).unwrap_or("");
            let mut kept: String = first.chars().take(KEPT_DETAILS).collect();
            if kept.len() < first.len() {
                kept.push('…');
            }
            self.details = Some(kept);
        }
        let rank = |r: &Reference| match r.kind.as_deref() {
            Some("ADVISORY") => 0,
            Some("PACKAGE") | Some("FIX") => 1,
            _ => 2,
        };
        self.references.sort_by_key(rank);
        self.references.truncate(KEPT_REFERENCES);
        self
    }

    /// The `modified` time, where it is a credible date (see [`credible_time`]).
    pub fn modified_time(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        credible_time(self.modified.as_deref()?)
    }

    /// Whether the record says it was modified after now: a date that cannot be true.
    pub fn dated_in_the_future(&self) -> bool {
        self.modified
            .as_deref()
            .and_then(|m| chrono::DateTime::parse_from_rfc3339(m).ok())
            .is_some_and(|t| t > latest_credible())
    }

    /// Every id the advisory is known by: its own, its aliases, and the upstream id of a record
    /// that restates exactly one upstream vulnerability (`DEBIAN-CVE-2024-1` is CVE-2024-1). A
    /// record fixing several (a `DSA-…`) is none of them alone: a statement on one of its CVEs
    /// does not settle it, and it is not folded into one of their findings.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let restated = match self.upstream.as_slice() {
            [one] if !self.aliases.contains(one) => Some(one.as_str()),
            _ => None,
        };
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(restated)
    }

    /// The CVE ids among the advisory's ids.
    pub fn cves(&self) -> Vec<&str> {
        self.ids().filter(|id| id.starts_with("CVE-")).collect()
    }
}

/// An RFC 3339 time that can say how current a record is: not Go's zero time (year 1, written
/// before publication) and not later than now (give or take a day of clock skew), so one
/// misdated record cannot make an old database look fresh.
pub fn credible_time(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let t = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    (chrono::Datelike::year(&t) > 1970 && t <= latest_credible()).then_some(t)
}

fn latest_credible() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::days(1)
}

/// `text` without control characters other than line breaks and tabs (ESC and the C1 controls
/// would let a record drive the terminal that shows it).
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_do_not_survive_trimming() {
        let a: Advisory = serde_json::from_str(
            r#"{"id":"X-1\u001b[2J","summary":"bad\u001b]0;title\u0007 \u009b31m text","details":"a\nb"}"#,
        )
        .unwrap();
        let t = a.trimmed();
        assert_eq!(t.id, "X-1[2J");
        assert_eq!(t.summary.as_deref(), Some("bad]0;title 31m text"));
        assert_eq!(t.details.as_deref(), Some("a\nb"));
    }

    #[test]
    fn a_real_record_reads_with_every_event_kind() {
        let text = include_str!("../../tests/fixtures/vuln/osv/go/GO-2026-6090.json");
        let a: Advisory = serde_json::from_str(text).unwrap();
        assert_eq!(a.id, "GO-2026-6090");
        let events = &a.affected[0].ranges[0].events;
        assert_eq!(events[0], Event::Introduced("0".into()));
        assert_eq!(events[5], Event::Fixed("1.27.0-rc.3".into()));
        assert_eq!(a.affected[0].ranges[0].kind, RangeKind::Semver);
        // Go dates an unpublished record in year 1, which says nothing about how current it is.
        assert!(a.modified_time().is_none());
    }

    #[test]
    fn trimming_keeps_the_first_paragraph_and_advisory_references_first() {
        let text = include_str!("../../tests/fixtures/vuln/osv/npm/GHSA-wgrm-67xf-hhpq.json");
        let a: Advisory = serde_json::from_str::<Advisory>(text).unwrap().trimmed();
        assert!(a.details.unwrap().starts_with("### Impact"));
        assert_eq!(a.references.len(), KEPT_REFERENCES);
        assert_eq!(a.references[0].kind.as_deref(), Some("ADVISORY"));
    }
}
