//! The index's match records: for one package, what matching a component against one advisory
//! needs, prepared at import so a check neither reads whole advisories nor scores CVSS vectors.
//!
//! A record holds the advisory's ids (its own first), summary, rating and references, and only
//! the `affected` entries that name this package. The index stores the records of a package
//! next to each other, so a component costs one read; they are parsed borrowing their text from
//! that read, and only a match is copied out.

use super::osv::{Advisory, Affected, Event, RangeKind};
use super::purl::index_key;
use super::severity::{rate, Rating};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Text borrowed from the index where it has no JSON escapes, copied where it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Cow::Borrowed(s))
    }
}

/// One advisory as it bears on one package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate<'a> {
    /// Its id first, then every other id it is known by ([`Advisory::ids`]).
    #[serde(borrow)]
    pub ids: Vec<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text<'a>>,
    pub rating: Rating,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Text<'a>>,
    /// The advisory's `affected` entries for this package.
    #[serde(borrow)]
    pub entries: Vec<Entry<'a>>,
}

/// One `affected` entry: the ecosystem it names (with its release, `Debian:12`), its ranges and
/// its explicit versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry<'a> {
    #[serde(borrow)]
    pub ecosystem: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Text<'a>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range<'a> {
    #[serde(rename = "type")]
    pub kind: RangeKind,
    #[serde(borrow, default)]
    pub events: Vec<Bound<'a>>,
}

/// One event of a range, as [`Event`] but borrowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound<'a> {
    Introduced(#[serde(borrow)] Text<'a>),
    Fixed(#[serde(borrow)] Text<'a>),
    LastAffected(#[serde(borrow)] Text<'a>),
    Limit(#[serde(borrow)] Text<'a>),
}

impl Bound<'_> {
    pub fn version(&self) -> &str {
        match self {
            Bound::Introduced(v) | Bound::Fixed(v) | Bound::LastAffected(v) | Bound::Limit(v) => {
                v.as_str()
            }
        }
    }
}

impl<'a> From<&'a Event> for Bound<'a> {
    fn from(e: &'a Event) -> Self {
        match e {
            Event::Introduced(v) => Bound::Introduced(v.as_str().into()),
            Event::Fixed(v) => Bound::Fixed(v.as_str().into()),
            Event::LastAffected(v) => Bound::LastAffected(v.as_str().into()),
            Event::Limit(v) => Bound::Limit(v.as_str().into()),
        }
    }
}

impl<'a> Entry<'a> {
    /// The entry for `affected`, borrowing from it; `None` where it names no package.
    pub fn of(affected: &'a Affected) -> Option<Entry<'a>> {
        let package = affected.package.as_ref()?;
        Some(Entry {
            ecosystem: package.ecosystem.as_str().into(),
            ranges: affected
                .ranges
                .iter()
                .map(|r| Range {
                    kind: r.kind,
                    events: r.events.iter().map(Bound::from).collect(),
                })
                .collect(),
            versions: affected
                .versions
                .iter()
                .map(|v| v.as_str().into())
                .collect(),
        })
    }
}

/// The match records of `advisory`: one per package it names, with that package's index key.
/// A withdrawn advisory has none: it no longer says anything is vulnerable.
pub fn of_advisory(advisory: &Advisory) -> Vec<(String, Candidate<'_>)> {
    if advisory.withdrawn.is_some() {
        return Vec::new();
    }
    let rating = rate(advisory);
    let mut out: Vec<(String, Candidate<'_>)> = Vec::new();
    for affected in &advisory.affected {
        let (Some(package), Some(entry)) = (&affected.package, Entry::of(affected)) else {
            continue;
        };
        let key = index_key(&package.ecosystem, &package.name);
        if let Some((_, c)) = out.iter_mut().find(|(k, _)| *k == key) {
            c.entries.push(entry);
            continue;
        }
        out.push((
            key,
            Candidate {
                ids: advisory.ids().map(Text::from).collect(),
                summary: advisory.summary.as_deref().map(Text::from),
                rating: rating.clone(),
                references: advisory
                    .references
                    .iter()
                    .map(|r| r.url.as_str().into())
                    .collect(),
                entries: vec![entry],
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(json: &str) -> Advisory {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn one_record_per_package_with_only_its_entries() {
        let a = advisory(
            r#"{"id":"GHSA-1","aliases":["CVE-2024-1"],"summary":"s","affected":[
            {"package":{"ecosystem":"PyPI","name":"Jinja2"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.1.3"}]}]},
            {"package":{"ecosystem":"npm","name":"left-pad"},"versions":["1.0.0"]},
            {"package":{"ecosystem":"PyPI","name":"jinja2"},"versions":["2.0"]}]}"#,
        );
        let records = of_advisory(&a);
        let keys: Vec<&str> = records.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["PyPI\tjinja2", "npm\tleft-pad"]);
        let jinja = &records[0].1;
        assert_eq!(
            jinja.entries.len(),
            2,
            "both spellings of the name are one package"
        );
        assert_eq!(
            jinja.ids.iter().map(Text::as_str).collect::<Vec<_>>(),
            ["GHSA-1", "CVE-2024-1"]
        );
        assert_eq!(records[1].1.entries[0].versions[0].as_str(), "1.0.0");
    }

    #[test]
    fn a_withdrawn_advisory_has_no_records() {
        let a = advisory(
            r#"{"id":"X","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"versions":["1"]}]}"#,
        );
        assert!(of_advisory(&a).is_empty());
    }

    #[test]
    fn a_record_reads_back_borrowing_its_text_and_copying_only_escaped_text() {
        let a = advisory(
            r#"{"id":"GHSA-2","summary":"a \"quoted\" word","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected":[{"package":{"ecosystem":"crates.io","name":"h2"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.3.24"}]}]}]}"#,
        );
        let (_, written) = of_advisory(&a).remove(0);
        let line = serde_json::to_vec(&written).unwrap();
        let read: Candidate = serde_json::from_slice(&line).unwrap();
        assert_eq!(read, written);
        assert!(matches!(read.ids[0].0, Cow::Borrowed(_)));
        assert!(matches!(read.summary.as_ref().unwrap().0, Cow::Owned(_)));
        assert!(matches!(
            &read.entries[0].ranges[0].events[1],
            Bound::Fixed(Text(Cow::Borrowed("0.3.24")))
        ));
        assert_eq!(read.rating.score, Some(9.8), "scored once, at import");
    }
}
