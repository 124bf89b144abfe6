//! The known vulnerabilities of one component in the Acceptance screen's detail: id and CVE
//! ids, severity, fixed versions, and the VEX statement in force with its ledger record.

use super::view::{pick, Theme};
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::vuln::matching::Outcome;
use crate::vuln::Severity;
use ratatui::style::Color;
use ratatui::text::{Line, Span};

/// The detail's "Known vulnerabilities" lines for component `id`.
pub(super) fn detail_lines(r: &Report, id: usize, l: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let a = &r.vulnerabilities;
    let mut lines = vec![
        Line::raw(""),
        Line::styled(pick(l, "已知漏洞", "Known vulnerabilities"), theme.bold()),
    ];
    let Some(db) = &a.database else {
        lines.push(Line::styled(
            pick(
                l,
                "  未导入漏洞库，未检查",
                "  no vulnerability database imported: not checked",
            ),
            theme.fg(Color::Yellow),
        ));
        return lines;
    };
    let mut any = false;
    for m in a.of(id) {
        any = true;
        let style = match m.severity() {
            _ if m.resolved() => theme.dim(),
            Severity::Critical | Severity::High => theme.fg(Color::Red),
            Severity::Medium => theme.fg(Color::Yellow),
            _ => theme.dim(),
        };
        let cves = m.cves();
        let mut spans = vec![
            Span::styled(format!("  {} ", m.severity().label(l)), style),
            Span::styled(format!("{} ", m.id), theme.bold()),
        ];
        if !cves.is_empty() && cves != [m.id.as_str()] {
            spans.push(Span::raw(format!("{} ", cves.join(" "))));
        }
        if let Some(s) = m.rating.score {
            spans.push(Span::raw(format!("{s:.1} ")));
        }
        if !m.fixed.is_empty() {
            spans.push(Span::raw(format!(
                "{} {} ",
                pick(l, "修复于", "fixed in"),
                m.fixed.join(", ")
            )));
        }
        let state = match (&m.statement, m.outcome) {
            (Some(s), _) => format!("[{} #{} {}]", s.status.as_str(), s.seq, s.unit),
            (None, Outcome::Undetermined) => {
                pick(l, "[版本无法比较]", "[version not comparable]").to_string()
            }
            (None, _) => pick(l, "[未分析]", "[no statement]").to_string(),
        };
        spans.push(Span::styled(state, theme.dim()));
        lines.push(Line::from(spans));
        if let Some(summary) = &m.summary {
            lines.push(Line::styled(format!("      {summary}"), theme.dim()));
        }
    }
    if !any {
        let newest = db
            .newest_modified
            .as_deref()
            .map_or("-", |n| n.get(..10).unwrap_or(n));
        lines.push(Line::raw(match l {
            Lang::Zh => format!("  无（漏洞库最新记录 {newest}）"),
            Lang::En => format!("  none (database's newest record {newest})"),
        }));
    }
    lines
}
