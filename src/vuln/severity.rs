//! How severe an advisory is: from its CVSS vector (v4.0 first, then v3.x, then v2, scored by
//! the `cvss` crate), else from the source's own word (GitHub's LOW/MODERATE/HIGH/CRITICAL).

use super::osv::Advisory;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::None,
        Severity::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang;
        match (self, lang) {
            (Severity::Critical, Lang::Zh) => "严重",
            (Severity::High, Lang::Zh) => "高危",
            (Severity::Medium, Lang::Zh) => "中危",
            (Severity::Low, Lang::Zh) => "低危",
            (Severity::None, Lang::Zh) => "无",
            (Severity::Unknown, Lang::Zh) => "未知",
            (s, Lang::En) => s.as_str(),
        }
    }
}

/// A severity with the score and vector it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub severity: Severity,
    /// `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, or the source's name for its own word.
    pub method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
}

/// The rating of `a`: the newest CVSS version given wins.
pub fn rate(a: &Advisory) -> Rating {
    let scores = a
        .severity
        .iter()
        .chain(a.affected.iter().flat_map(|x| x.severity.iter()));
    let mut best: Option<(u8, Rating)> = None;
    for s in scores {
        let rank = match s.kind.as_str() {
            "CVSS_V4" => 3,
            "CVSS_V3" => 2,
            "CVSS_V2" => 1,
            _ => continue,
        };
        if best.as_ref().is_some_and(|(r, _)| *r >= rank) {
            continue;
        }
        // CVSS v2 vectors carry no prefix; the crate reads them with one.
        let text = if rank == 1 && !s.score.starts_with("CVSS:") {
            format!("CVSS:2.0/{}", s.score)
        } else {
            s.score.clone()
        };
        if let Ok(c) = cvss::Cvss::from_str(&text) {
            let severity = match c.severity() {
                cvss::Severity::None => Severity::None,
                cvss::Severity::Low => Severity::Low,
                cvss::Severity::Medium => Severity::Medium,
                cvss::Severity::High => Severity::High,
                cvss::Severity::Critical => Severity::Critical,
            };
            best = Some((
                rank,
                Rating {
                    severity,
                    method: s.kind.clone(),
                    score: Some((c.score() * 10.0).round() / 10.0),
                    vector: Some(s.score.clone()),
                },
            ));
        }
    }
    if let Some((_, r)) = best {
        return r;
    }
    let word = a
        .database_specific
        .as_ref()
        .and_then(|d| d.severity.as_ref())
        .and_then(|v| v.as_str())
        .map(str::to_ascii_lowercase);
    let severity = match word.as_deref() {
        Some("critical") => Severity::Critical,
        Some("high") => Severity::High,
        Some("moderate" | "medium") => Severity::Medium,
        Some("low") => Severity::Low,
        _ => Severity::Unknown,
    };
    Rating {
        severity,
        method: if severity == Severity::Unknown {
            "none".into()
        } else {
            "source".into()
        },
        score: None,
        vector: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::osv::SeverityScore;

    fn advisory(scores: &[(&str, &str)]) -> Advisory {
        let mut a: Advisory = serde_json::from_str(r#"{"id":"T"}"#).unwrap();
        a.severity = scores
            .iter()
            .map(|(k, s)| SeverityScore {
                kind: k.to_string(),
                score: s.to_string(),
            })
            .collect();
        a
    }

    #[test]
    fn cvss_v31_scores_log4shell_critical() {
        let r = rate(&advisory(&[(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        )]));
        assert_eq!((r.severity, r.score), (Severity::Critical, Some(10.0)));
    }

    #[test]
    fn cvss_v40_wins_over_v31() {
        let r = rate(&advisory(&[
            ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"),
            (
                "CVSS_V4",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            ),
        ]));
        assert_eq!(r.method, "CVSS_V4");
        assert_eq!((r.severity, r.score), (Severity::Critical, Some(9.3)));
    }

    #[test]
    fn cvss_v40_base_threat_and_supplemental_metrics_are_scored() {
        let v4 = |vector: &str| rate(&advisory(&[("CVSS_V4", vector)]));
        // Availability alone over the network: 8.7, high.
        let dos = v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N");
        assert_eq!((dos.severity, dos.score), (Severity::High, Some(8.7)));
        // An exploit reported as unlikely (E:U) lowers the score; supplemental metrics, which
        // GitHub's records carry, are read and do not change it.
        let base = v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        let threat = v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
        let supplemental = v4(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/R:U/V:C/RE:M/U:Red",
        );
        assert_eq!(threat.method, "CVSS_V4");
        assert!(threat.score < base.score, "{threat:?}");
        assert_eq!(supplemental.score, base.score);
        assert_eq!(supplemental.severity, Severity::Critical);
    }

    #[test]
    fn the_source_word_stands_in_for_a_missing_vector() {
        let text = include_str!("../../tests/fixtures/vuln/osv/npm/GHSA-wgrm-67xf-hhpq.json");
        let r = rate(&serde_json::from_str(text).unwrap());
        assert_eq!((r.severity, r.method.as_str()), (Severity::High, "source"));
        let text = include_str!("../../tests/fixtures/vuln/osv/crates/GHSA-8r5v-vm4m-4g25.json");
        assert_eq!(
            rate(&serde_json::from_str(text).unwrap()).severity,
            Severity::Medium
        );
        assert_eq!(
            rate(&advisory(&[("CVSS_V3", "garbage")])).severity,
            Severity::Unknown
        );
    }
}
