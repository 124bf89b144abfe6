//! The acceptance report as Markdown (GitHub-flavoured tables), for filings kept as text.

use super::labels::{self, Word};
use super::view::{sentence_case, View};
use crate::acceptance::report::{ComponentRow, FindingRow};
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::policy::Verdict;
use std::fmt::Write;

/// Renders `r` in `lang`.
pub fn render(r: &Report, lang: Lang) -> String {
    let v = View::new(r, lang);
    let mut out = String::new();
    // Writing into a String cannot fail; the `fmt::Result`s are only for `?`.
    let _ = write_report(&mut out, &v);
    crate::inert::inert_document(out)
}

/// Starts a new block: exactly one blank line after whatever came before.
fn block(o: &mut String) {
    if o.is_empty() {
        return;
    }
    while !o.ends_with("\n\n") {
        o.push('\n');
    }
}

fn heading(o: &mut String, level: usize, title: &str) -> std::fmt::Result {
    block(o);
    writeln!(o, "{} {}", "#".repeat(level), text(title))
}

fn write_report(o: &mut String, v: &View) -> std::fmt::Result {
    let r = v.r;
    let l = v.lang;
    heading(o, 1, v.word(Word::Title))?;
    if v.illustrative() {
        block(o);
        writeln!(
            o,
            "> **{}**{}{}",
            text(v.word(Word::Illustrative)),
            v.colon(),
            text(v.word(Word::IllustrativeNote))
        )?;
    }
    block(o);
    item(o, v, v.word(Word::Project), &text(v.project_name()))?;
    item(o, v, v.word(Word::ProjectCode), &code(&r.project.code))?;
    item(
        o,
        v,
        v.word(Word::Implementing),
        &text(&r.units.implementing),
    )?;
    item(
        o,
        v,
        v.word(Word::Construction),
        &text(&r.units.construction),
    )?;
    if let Some(s) = &r.units.supervision {
        item(o, v, v.word(Word::Supervision), &text(s))?;
    }
    item(o, v, v.word(Word::AsOf), &r.as_of.to_string())?;
    item(
        o,
        v,
        v.word(Word::KnownVulnerabilities),
        &text(&labels::vulnerability_database(v.lang, &r.vulnerabilities)),
    )?;
    let policy = format!(
        "{} v{} — {}",
        code(&r.policy.id),
        r.policy.version,
        text(v.policy_title())
    );
    item(o, v, v.word(Word::Policy), &policy)?;
    if !r.policy.basis.is_empty() {
        item(o, v, v.word(Word::Basis), "")?;
        for b in &r.policy.basis {
            writeln!(o, "  - {}", text(b))?;
        }
    }
    item(o, v, v.word(Word::Catalogs), "")?;
    for c in &r.catalogs {
        let mut about = vec![
            code(&v.path(&c.file)),
            format!("{} {}", c.entries, v.word(Word::Entries)),
        ];
        if c.illustrative {
            about.push(text(v.word(Word::IllustrativeTag)));
        }
        writeln!(
            o,
            "  - {}{}",
            text(&c.title),
            v.paren(&about.join(v.comma()))
        )?;
    }

    heading(o, 2, v.word(Word::Conclusion))?;
    block(o);
    let overall = r.verdict.state;
    writeln!(
        o,
        "**{}{}** {}{}",
        text(&sentence_case(labels::verdict(l, overall))),
        v.full_stop(),
        text(r.verdict.summary.get(l)),
        v.full_stop()
    )?;
    if !r.verdict.reasons.is_empty() {
        block(o);
        for reason in &r.verdict.reasons {
            writeln!(o, "- {}", text(reason.get(l)))?;
        }
    }

    heading(o, 2, v.word(Word::Categories))?;
    block(o);
    header(
        o,
        &[
            v.word(Word::Category),
            "★",
            labels::verdict(l, Verdict::Pass),
            labels::verdict(l, Verdict::Warn),
            labels::verdict(l, Verdict::InsufficientEvidence),
            labels::verdict(l, Verdict::Fail),
            v.word(Word::Verdict),
        ],
    )?;
    for c in &r.categories {
        row(
            o,
            &[
                text(c.name.get(l)),
                if c.key { "★".into() } else { String::new() },
                c.counts.pass.to_string(),
                c.counts.warn.to_string(),
                c.counts.insufficient_evidence.to_string(),
                c.counts.fail.to_string(),
                text(labels::verdict(l, c.verdict)),
            ],
        )?;
    }
    block(o);
    writeln!(o, "{}{}", text(&v.components_line()), v.full_stop())?;
    if let Some(line) = v.unclassified_line() {
        block(o);
        writeln!(o, "{}{}", text(&line), v.full_stop())?;
    }

    heading(o, 2, v.word(Word::FailingProducts))?;
    let failing = v.failing();
    if failing.is_empty() {
        block(o);
        writeln!(o, "{}", text(v.word(Word::NoFailingProducts)))?;
    }
    for c in failing {
        product(o, v, c)?;
    }

    let warned = v.warned();
    if !warned.is_empty() {
        heading(o, 2, v.word(Word::WarnedProducts))?;
        block(o);
        for c in warned {
            writeln!(
                o,
                "- **{}**{}",
                text(&c.component),
                v.paren(&text(v.category(c.category.as_deref())))
            )?;
            // Shorter than a failing product: no rule location, which SARIF and JSON keep.
            for f in v.findings_of(c) {
                writeln!(o, "  - {}", finding_line(v, f, false))?;
            }
        }
    }

    heading(o, 2, v.word(Word::Waivers))?;
    block(o);
    let waivers = v.waivers();
    if waivers.is_empty() {
        writeln!(o, "{}", text(v.word(Word::NoWaivers)))?;
    } else {
        header(
            o,
            &[
                v.word(Word::Status),
                v.word(Word::Component),
                v.word(Word::Code),
                v.word(Word::Reason),
                v.word(Word::Approver),
                v.word(Word::Expires),
                v.word(Word::Location),
            ],
        )?;
        for w in waivers {
            row(
                o,
                &[
                    text(labels::waiver_status(l, w.status)),
                    text(&w.component),
                    code(w.code.as_str()),
                    text(&w.reason),
                    text(&w.approver),
                    w.expires.to_string(),
                    code(&v.rule(&w.rule)),
                ],
            )?;
        }
    }
    let general = v.general_findings();
    if !general.is_empty() {
        heading(o, 3, v.word(Word::OtherFindings))?;
        block(o);
        for f in general {
            writeln!(o, "- {}", finding_line(v, f, true))?;
        }
    }

    heading(o, 2, v.word(Word::Deadlines))?;
    block(o);
    header(
        o,
        &[
            v.word(Word::Filing),
            v.word(Word::Requirement),
            v.word(Word::StartsOn),
            v.word(Word::Due),
            v.word(Word::Status),
        ],
    )?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for d in &r.deadlines {
        row(
            o,
            &[
                text(d.title.get(l)),
                text(d.rule.get(l)),
                date(d.starts),
                date(d.due),
                text(&labels::deadline_status(l, d)),
            ],
        )?;
    }

    if !r.inventory_findings.is_empty() {
        heading(o, 2, v.word(Word::InventoryFindings))?;
        block(o);
        header(
            o,
            &[
                v.word(Word::Level),
                v.word(Word::Code),
                v.word(Word::Location),
                v.word(Word::Component),
                v.word(Word::Message),
            ],
        )?;
        for f in &r.inventory_findings {
            let at = if f.location.is_empty() {
                v.path(&f.file)
            } else {
                format!("{} {}", v.path(&f.file), f.location)
            };
            row(
                o,
                &[
                    text(labels::level(l, f.level)),
                    code(f.code.as_str()),
                    code(&at),
                    text(f.component.as_deref().unwrap_or("")),
                    text(f.message.get(l)),
                ],
            )?;
        }
    }

    heading(o, 2, v.word(Word::Inputs))?;
    block(o);
    header(o, &[v.word(Word::File), v.word(Word::Role), "SHA-256"])?;
    for f in &r.inputs {
        row(
            o,
            &[
                code(&v.path(&f.path)),
                text(&labels::input_role(l, f.role)),
                code(&f.sha256),
            ],
        )?;
    }
    if !r.not_read.is_empty() {
        heading(o, 2, v.word(Word::NotRead))?;
        block(o);
        header(o, &[v.word(Word::File), v.word(Word::Reason)])?;
        for n in &r.not_read {
            row(o, &[code(&v.path(&n.path)), text(&n.reason.describe(l))])?;
        }
    }
    block(o);
    writeln!(o, "---")?;
    block(o);
    writeln!(o, "{}{}", text(&v.generated()), v.full_stop())
}

/// One failing product: how it was classified, what is wrong, what passed, how it got in.
fn product(o: &mut String, v: &View, c: &ComponentRow) -> std::fmt::Result {
    let l = v.lang;
    heading(
        o,
        3,
        &format!("{} — {}", c.component, labels::verdict(l, c.verdict)),
    )?;
    block(o);
    item(
        o,
        v,
        v.word(Word::Category),
        &text(v.category(c.category.as_deref())),
    )?;
    if let Some(how) = v.classified_by(c, text, code) {
        item(o, v, v.word(Word::ClassifiedBy), &how)?;
    }
    if let Some(s) = &c.supplier {
        item(o, v, v.word(Word::Supplier), &text(s))?;
    }
    if let Some(m) = c.manufacturer_text(l) {
        item(o, v, v.word(Word::Manufacturer), &text(&m))?;
    }
    if let Some(class) = c.class_text(l) {
        item(o, v, v.word(Word::HardwareClass), &text(&class))?;
    }

    let findings = v.findings_of(c);
    if !findings.is_empty() {
        block(o);
        writeln!(o, "**{}**", text(v.word(Word::Findings)))?;
        block(o);
        header(
            o,
            &[
                v.word(Word::Level),
                v.word(Word::Code),
                v.word(Word::Message),
                v.word(Word::Rule),
                v.word(Word::Waived),
            ],
        )?;
        for f in findings {
            let waived = match &f.waived_by {
                Some(w) => code(&v.rule(w)),
                None => text(v.word(Word::NotWaived)),
            };
            row(
                o,
                &[
                    text(labels::level(l, f.level)),
                    code(f.code.as_str()),
                    text(f.message.get(l)),
                    code(&v.rule(&f.rule)),
                    waived,
                ],
            )?;
        }
    }

    block(o);
    writeln!(o, "**{}**", text(v.word(Word::EvidencePassed)))?;
    block(o);
    let groups = View::evidence_by_family(c);
    if groups.is_empty() {
        writeln!(o, "- {}", text(v.word(Word::NoEvidence)))?;
    }
    for (family, list) in groups {
        let items: Vec<String> = list.iter().map(|e| text(e.text.get(l))).collect();
        item(
            o,
            v,
            &sentence_case(family.label(l)),
            &items.join(v.semicolon()),
        )?;
    }

    let paths = v.paths_of(c);
    if !paths.is_empty() {
        block(o);
        writeln!(o, "**{}**", text(v.word(Word::InclusionPaths)))?;
        block(o);
        for p in paths {
            let names: Vec<String> = p.iter().map(|n| text(n)).collect();
            if names.len() == 1 {
                // A top-level item: no path, just the fact that nothing includes it.
                writeln!(o, "- {}{}", names[0], v.paren(&text(v.word(Word::IsRoot))))?;
            } else {
                writeln!(o, "- {}", names.join(" → "))?;
            }
        }
    }
    Ok(())
}

/// A finding on one line: level, code, message, the rule if wanted, and the waiver if one
/// applies.
fn finding_line(v: &View, f: &FindingRow, with_rule: bool) -> String {
    let mut s = format!(
        "{} {} {}",
        text(labels::level(v.lang, f.level)),
        code(f.code.as_str()),
        text(f.message.get(v.lang)),
    );
    if with_rule {
        s.push_str(&v.paren(&code(&v.rule(&f.rule))));
    }
    if let Some(w) = &f.waived_by {
        let _ = write!(
            s,
            " — {} {}",
            text(v.word(Word::WaivedBy)),
            code(&v.rule(w))
        );
    }
    s
}

/// `- **label**: value`, with the colon of the language.
fn item(o: &mut String, v: &View, label: &str, value: &str) -> std::fmt::Result {
    let colon = v.colon();
    if value.is_empty() {
        writeln!(o, "- **{}**{}", text(label), colon.trim_end())
    } else {
        writeln!(o, "- **{}**{colon}{value}", text(label))
    }
}

fn header(o: &mut String, cells: &[&str]) -> std::fmt::Result {
    let cells: Vec<String> = cells.iter().map(|c| text(c)).collect();
    row(o, &cells)?;
    row(o, &vec!["---".to_string(); cells.len()])
}

fn row(o: &mut String, cells: &[String]) -> std::fmt::Result {
    writeln!(o, "| {} |", cells.join(" | "))
}

/// Inline text with every character Markdown could read as syntax escaped, so names such as
/// `宝兰德*` or `a_b_c` show as written.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Right after `- `, a leading `1.`, `- ` or `+ ` would open a nested list.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 && matches!(s.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&s[..digits]);
        out.push('\\');
        &s[digits..]
    } else {
        if s.starts_with("- ") || s.starts_with("+ ") {
            out.push('\\');
        }
        s
    };
    let mut chars = rest.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            // `&` starts an entity only when followed by a name (or number) and `;`.
            '&' if looks_like_entity(&rest[i + 1..]) => out.push_str("\\&"),
            '\r' | '\n' => {
                if ch == '\r' && chars.peek().is_some_and(|(_, c)| *c == '\n') {
                    chars.next();
                }
                out.push(' ');
            }
            _ => out.push(ch),
        }
    }
    out
}

fn looks_like_entity(rest: &str) -> bool {
    let rest = rest.strip_prefix('#').unwrap_or(rest);
    let name_len = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name_len > 0 && rest[name_len..].starts_with(';')
}

/// A code span that survives backticks inside `s` and, in tables, `|`.
pub fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // GFM splits table cells on `|` even inside code spans; the backslash is removed again.
    let body = s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markdown_syntax() {
        assert_eq!(text("宝兰德*"), "宝兰德\\*");
        assert_eq!(text("a_b|c"), "a\\_b\\|c");
        assert_eq!(text("<b>x</b>"), "\\<b\\>x\\</b\\>");
        assert_eq!(text("R&D"), "R&D");
        assert_eq!(text("&amp; &#38;"), "\\&amp; \\&\\#38;");
        assert_eq!(text("one\r\ntwo\nthree"), "one two three");
        assert_eq!(text("1. first"), "1\\. first");
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("v1.2 - x"), "v1.2 - x");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a.toml:3"), "`a.toml:3`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }

    #[test]
    fn the_sample_report_has_every_section() {
        let r = crate::report::tests::sample();
        let md = render(&r, Lang::En);
        for heading in [
            "# Controllable-procurement acceptance report",
            "> **Illustrative data**",
            "## Verdict",
            "## Results by category",
            "## Products that fail or lack evidence",
            "## Products with warnings",
            "## Waivers",
            "## Filing deadlines",
            "## Input files",
        ] {
            assert!(md.contains(heading), "{heading} missing:\n{md}");
        }
        // The hostile project name is escaped, not interpreted.
        assert!(md.contains("\\<script\\>"), "{md}");
        assert!(md.contains("`checklists/policy.toml:7`"), "{md}");
        let zh = render(&r, Lang::Zh);
        assert!(zh.starts_with("# 项目安全可控核验报告"));
        assert!(zh.contains("- **核验日期**：2026-11-28"), "{zh}");
        // An inventory finding is shown in the reader's language only.
        assert!(md.contains("column 5 '\\<处理器\\>' is unknown"), "{md}");
        assert!(!md.contains("无法识别"), "{md}");
        assert!(zh.contains("第 5 列 '\\<处理器\\>' 无法识别"), "{zh}");
        assert!(!zh.contains("is unknown"), "{zh}");
    }
}
