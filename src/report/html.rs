//! The acceptance report as one self-contained HTML file (inline CSS, nothing fetched) that
//! reads on screen and prints cleanly to A4, in colour or greyscale.

use super::labels::{self, Word};
use super::view::{sentence_case, View};
use crate::acceptance::report::{ComponentRow, FindingRow, WaiverStatus};
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::inventory::Level;
use crate::policy::Verdict;
use std::fmt::{self, Display, Write};

/// Renders `r` in `lang`.
pub fn render(r: &Report, lang: Lang) -> String {
    let v = View::new(r, lang);
    let mut out = String::new();
    // Writing into a String cannot fail; the `fmt::Result`s are only for `?`.
    let _ = write_report(&mut out, &v);
    crate::inert::inert_document(out)
}

/// Text escaped for HTML element content and attribute values.
pub struct E<'a>(pub &'a str);

impl Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// `s` as a CSS string literal. Everything but plain ASCII letters, digits and spaces is written
/// as a hex escape, so no text can end the string or the style element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() || ch == ' ' {
            out.push(ch);
        } else {
            let _ = write!(out, "\\{:x} ", ch as u32);
        }
    }
    out.push('"');
    out
}

/// The CSS class and the sign of a verdict; the sign and the word carry the meaning, so the
/// badge still reads in greyscale.
fn verdict_style(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Pass => ("pass", "✓"),
        Verdict::Warn => ("warn", "!"),
        Verdict::InsufficientEvidence => ("insufficient", "?"),
        Verdict::Fail => ("fail", "✗"),
        Verdict::NotApplicable => ("na", "–"),
    }
}

fn badge(class: &str, sign: &str, label: &str) -> String {
    format!(
        "<span class=\"badge {class}\"><span class=\"sign\" aria-hidden=\"true\">{sign}</span>{}</span>",
        E(label)
    )
}

fn verdict_badge(l: Lang, v: Verdict) -> String {
    let (class, sign) = verdict_style(v);
    badge(class, sign, labels::verdict(l, v))
}

const STYLE: &str = include_str!("report.css");

fn write_report(o: &mut String, v: &View) -> fmt::Result {
    let r = v.r;
    let l = v.lang;
    let html_lang = match l {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let title = v.word(Word::Title);
    writeln!(o, "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>")?;
    writeln!(o, "<meta charset=\"utf-8\">")?;
    writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        o,
        "<meta name=\"generator\" content=\"{}\">",
        E(&r.generator)
    )?;
    writeln!(o, "<title>{} — {}</title>", E(title), E(v.project_name()))?;
    // The page footer repeats the report and project on every printed page.
    writeln!(
        o,
        "<style>\n{STYLE}@page {{ @bottom-left {{ content: {}; }} }}\n</style>\n</head>\n<body>\n<main>",
        css_string(&format!("{title} · {}", r.project.code))
    )?;

    writeln!(o, "<header class=\"cover\">")?;
    if v.illustrative() {
        writeln!(
            o,
            "<p class=\"illustrative\" role=\"note\"><strong>{}</strong> {}</p>",
            E(v.word(Word::Illustrative)),
            E(v.word(Word::IllustrativeNote))
        )?;
    }
    writeln!(o, "<h1>{}</h1>", E(title))?;
    writeln!(o, "<p class=\"project\">{}</p>", E(v.project_name()))?;
    writeln!(o, "<dl class=\"facts\">")?;
    fact(o, v.word(Word::ProjectCode), &code(&r.project.code))?;
    fact(
        o,
        v.word(Word::Implementing),
        &E(&r.units.implementing).to_string(),
    )?;
    fact(
        o,
        v.word(Word::Construction),
        &E(&r.units.construction).to_string(),
    )?;
    if let Some(s) = &r.units.supervision {
        fact(o, v.word(Word::Supervision), &E(s).to_string())?;
    }
    fact(o, v.word(Word::AsOf), &r.as_of.to_string())?;
    fact(
        o,
        v.word(Word::KnownVulnerabilities),
        &E(&labels::vulnerability_database(v.lang, &r.vulnerabilities)).to_string(),
    )?;
    fact(
        o,
        v.word(Word::Policy),
        &format!(
            "{} v{}<br>{}",
            code(&r.policy.id),
            r.policy.version,
            E(v.policy_title())
        ),
    )?;
    if !r.policy.basis.is_empty() {
        let items: String = r
            .policy
            .basis
            .iter()
            .map(|b| format!("<li>{}</li>", E(b)))
            .collect();
        fact(o, v.word(Word::Basis), &format!("<ul>{items}</ul>"))?;
    }
    let catalogs: String = r
        .catalogs
        .iter()
        .map(|c| {
            let mut about = vec![
                code(&v.path(&c.file)),
                format!("{} {}", c.entries, E(v.word(Word::Entries))),
            ];
            if c.illustrative {
                about.push(format!(
                    "<span class=\"tag\">{}</span>",
                    E(v.word(Word::IllustrativeTag))
                ));
            }
            format!(
                "<li>{}{}</li>",
                E(&c.title),
                v.paren(&about.join(v.comma()))
            )
        })
        .collect();
    fact(o, v.word(Word::Catalogs), &format!("<ul>{catalogs}</ul>"))?;
    writeln!(o, "</dl>\n</header>")?;

    let overall = r.verdict.state;
    writeln!(
        o,
        "<section class=\"verdict {}\">\n<h2>{}</h2>",
        verdict_style(overall).0,
        E(v.word(Word::Conclusion))
    )?;
    let (class, sign) = verdict_style(overall);
    writeln!(
        o,
        "<p class=\"sentence\">{} {}{}</p>",
        badge(class, sign, &sentence_case(labels::verdict(l, overall))),
        E(r.verdict.summary.get(l)),
        v.full_stop()
    )?;
    if !r.verdict.reasons.is_empty() {
        writeln!(o, "<ul class=\"reasons\">")?;
        for reason in &r.verdict.reasons {
            writeln!(o, "<li>{}</li>", E(reason.get(l)))?;
        }
        writeln!(o, "</ul>")?;
    }
    writeln!(o, "</section>")?;

    categories(o, v)?;

    writeln!(
        o,
        "<section class=\"products\">\n<h2>{}</h2>",
        E(v.word(Word::FailingProducts))
    )?;
    let failing = v.failing();
    if failing.is_empty() {
        writeln!(o, "<p>{}</p>", E(v.word(Word::NoFailingProducts)))?;
    }
    for c in failing {
        product(o, v, c)?;
    }
    writeln!(o, "</section>")?;

    warned(o, v)?;
    waivers(o, v)?;
    deadlines(o, v)?;
    inventory_findings(o, v)?;
    inputs(o, v)?;

    writeln!(
        o,
        "<footer>{}{}</footer>\n</main>\n</body>\n</html>",
        E(&v.generated()),
        v.full_stop()
    )
}

fn fact(o: &mut String, term: &str, html: &str) -> fmt::Result {
    writeln!(o, "<dt>{}</dt><dd>{html}</dd>", E(term))
}

/// A code span; long file paths may wrap after each `/` instead of anywhere.
fn code(s: &str) -> String {
    format!("<code>{}</code>", E(s).to_string().replace('/', "/<wbr>"))
}

/// A digest in two even lines: the break is a `<wbr>`, so a copied digest stays whole.
fn hash(hex: &str) -> String {
    let half = hex.len() / 2;
    match (hex.get(..half), hex.get(half..)) {
        (Some(a), Some(b)) => format!("<code>{}<wbr>{}</code>", E(a), E(b)),
        _ => format!("<code>{}</code>", E(hex)),
    }
}

/// `<thead>` with the given column names; Chromium repeats it on every printed page.
fn thead(o: &mut String, cols: &[(&str, &str)]) -> fmt::Result {
    o.push_str("<thead><tr>");
    for (class, name) in cols {
        if class.is_empty() {
            write!(o, "<th>{}</th>", E(name))?;
        } else {
            write!(o, "<th class=\"{class}\">{}</th>", E(name))?;
        }
    }
    writeln!(o, "</tr></thead>")
}

fn categories(o: &mut String, v: &View) -> fmt::Result {
    let l = v.lang;
    writeln!(
        o,
        "<section class=\"keep\">\n<h2>{}</h2>\n<table class=\"categories\">",
        E(v.word(Word::Categories))
    )?;
    thead(
        o,
        &[
            ("", v.word(Word::Category)),
            ("key", "★"),
            ("num", labels::verdict(l, Verdict::Pass)),
            ("num", labels::verdict(l, Verdict::Warn)),
            ("num", labels::verdict(l, Verdict::InsufficientEvidence)),
            ("num", labels::verdict(l, Verdict::Fail)),
            ("", v.word(Word::Verdict)),
        ],
    )?;
    writeln!(o, "<tbody>")?;
    let num = |n: usize| {
        if n == 0 {
            "<td class=\"num zero\">0</td>".to_string()
        } else {
            format!("<td class=\"num\">{n}</td>")
        }
    };
    for c in &v.r.categories {
        writeln!(
            o,
            "<tr><td>{}</td><td class=\"key\">{}</td>{}{}{}{}<td>{}</td></tr>",
            E(c.name.get(l)),
            if c.key { "★" } else { "" },
            num(c.counts.pass),
            num(c.counts.warn),
            num(c.counts.insufficient_evidence),
            num(c.counts.fail),
            verdict_badge(l, c.verdict)
        )?;
    }
    writeln!(
        o,
        "</tbody>\n</table>\n<p class=\"note\">{}{}</p>",
        E(&v.components_line()),
        v.full_stop()
    )?;
    if let Some(line) = v.unclassified_line() {
        writeln!(o, "<p class=\"note\">{}{}</p>", E(&line), v.full_stop())?;
    }
    writeln!(o, "</section>")
}

/// One failing product: how it was classified, what is wrong, what passed, how it got in.
fn product(o: &mut String, v: &View, c: &ComponentRow) -> fmt::Result {
    let l = v.lang;
    writeln!(
        o,
        "<article class=\"product {}\">\n<h3>{} <span class=\"name\">{}</span></h3>",
        verdict_style(c.verdict).0,
        verdict_badge(l, c.verdict),
        E(&c.component)
    )?;
    writeln!(o, "<dl class=\"facts\">")?;
    let category = E(v.category(c.category.as_deref())).to_string();
    fact(o, v.word(Word::Category), &category)?;
    if let Some(how) = v.classified_by(c, |s| E(s).to_string(), code) {
        fact(o, v.word(Word::ClassifiedBy), &how)?;
    }
    if let Some(s) = &c.supplier {
        fact(o, v.word(Word::Supplier), &E(s).to_string())?;
    }
    if let Some(m) = c.manufacturer_text(v.lang) {
        fact(o, v.word(Word::Manufacturer), &E(&m).to_string())?;
    }
    if let Some(class) = c.class_text(v.lang) {
        fact(o, v.word(Word::HardwareClass), &E(&class).to_string())?;
    }
    writeln!(o, "</dl>")?;

    let findings = v.findings_of(c);
    if !findings.is_empty() {
        writeln!(
            o,
            "<h4>{}</h4>\n<table class=\"findings\">",
            E(v.word(Word::Findings))
        )?;
        findings_head(o, v)?;
        writeln!(o, "<tbody>")?;
        for f in findings {
            finding_row(o, v, f)?;
        }
        writeln!(o, "</tbody>\n</table>")?;
    }

    writeln!(o, "<h4>{}</h4>", E(v.word(Word::EvidencePassed)))?;
    let groups = View::evidence_by_family(c);
    if groups.is_empty() {
        writeln!(o, "<p class=\"none\">{}</p>", E(v.word(Word::NoEvidence)))?;
    } else {
        writeln!(o, "<dl class=\"evidence\">")?;
        for (family, list) in groups {
            let items: String = list
                .iter()
                .map(|e| format!("<li>{}</li>", E(e.text.get(l))))
                .collect();
            fact(
                o,
                &sentence_case(family.label(l)),
                &format!("<ul>{items}</ul>"),
            )?;
        }
        writeln!(o, "</dl>")?;
    }

    let paths = v.paths_of(c);
    if !paths.is_empty() {
        writeln!(
            o,
            "<h4>{}</h4>\n<ol class=\"paths\">",
            E(v.word(Word::InclusionPaths))
        )?;
        for p in paths {
            let steps: Vec<String> = p
                .iter()
                .map(|n| format!("<span class=\"step\">{}</span>", E(n)))
                .collect();
            if steps.len() == 1 {
                // A top-level item: no path, just the fact that nothing includes it.
                let root = format!(" <span class=\"muted\">{}</span>", E(v.word(Word::IsRoot)));
                writeln!(o, "<li>{}{root}</li>", steps[0])?;
            } else {
                let arrow = " <span class=\"arrow\">→</span> ";
                writeln!(o, "<li>{}</li>", steps.join(arrow))?;
            }
        }
        writeln!(o, "</ol>")?;
    }
    writeln!(o, "</article>")
}

fn level_cell(l: Lang, level: Level) -> String {
    let class = match level {
        Level::Deny => "deny",
        Level::Warn => "warn",
        Level::Info => "info",
    };
    format!(
        "<td class=\"level {class}\">{}</td>",
        E(labels::level(l, level))
    )
}

/// The head of a findings table. Code and rule share a column so that neither is squeezed
/// into breaking mid-word on A4.
fn findings_head(o: &mut String, v: &View) -> fmt::Result {
    let code_rule = format!("{} · {}", v.word(Word::Code), v.word(Word::Rule));
    thead(
        o,
        &[
            ("level", v.word(Word::Level)),
            ("", &code_rule),
            ("", v.word(Word::Message)),
            ("", v.word(Word::Waived)),
        ],
    )
}

fn finding_row(o: &mut String, v: &View, f: &FindingRow) -> fmt::Result {
    let waived = match &f.waived_by {
        Some(w) => code(&v.rule(w)),
        None => E(v.word(Word::NotWaived)).to_string(),
    };
    writeln!(
        o,
        "<tr{}>{}<td>{}<br><span class=\"where\">{}</span></td><td>{}</td><td>{waived}</td></tr>",
        if f.waived_by.is_some() {
            " class=\"waived\""
        } else {
            ""
        },
        level_cell(v.lang, f.level),
        code(f.code.as_str()),
        code(&v.rule(&f.rule)),
        E(f.message.get(v.lang)),
    )
}

/// Warned products, shorter: one row each with its findings as lines.
fn warned(o: &mut String, v: &View) -> fmt::Result {
    let warned = v.warned();
    if warned.is_empty() {
        return Ok(());
    }
    let l = v.lang;
    writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<table class=\"warned\">",
        E(v.word(Word::WarnedProducts))
    )?;
    thead(
        o,
        &[
            ("", v.word(Word::Component)),
            ("", v.word(Word::Category)),
            ("", v.word(Word::Findings)),
        ],
    )?;
    writeln!(o, "<tbody>")?;
    for c in warned {
        let lines: String = v
            .findings_of(c)
            .iter()
            .map(|f| {
                let waived = match &f.waived_by {
                    Some(w) => format!(
                        " <span class=\"muted\">{} {}</span>",
                        E(v.word(Word::WaivedBy)),
                        code(&v.rule(w))
                    ),
                    None => String::new(),
                };
                // Shorter than a failing product: no rule location, which the SARIF and JSON
                // reports keep.
                format!(
                    "<li><span class=\"level {}\">{}</span> {} {}{waived}</li>",
                    f.level.as_str(),
                    E(labels::level(l, f.level)),
                    code(f.code.as_str()),
                    E(f.message.get(l)),
                )
            })
            .collect();
        writeln!(
            o,
            "<tr><td class=\"name\">{}</td><td>{}</td><td><ul class=\"lines\">{lines}</ul></td></tr>",
            E(&c.component),
            E(v.category(c.category.as_deref()))
        )?;
    }
    writeln!(o, "</tbody>\n</table>\n</section>")
}

fn waivers(o: &mut String, v: &View) -> fmt::Result {
    let l = v.lang;
    writeln!(o, "<section>\n<h2>{}</h2>", E(v.word(Word::Waivers)))?;
    let list = v.waivers();
    if list.is_empty() {
        writeln!(o, "<p>{}</p>", E(v.word(Word::NoWaivers)))?;
    } else {
        writeln!(o, "<table class=\"waivers\">")?;
        thead(
            o,
            &[
                ("", v.word(Word::Status)),
                ("", v.word(Word::Component)),
                ("", v.word(Word::Reason)),
                ("", v.word(Word::Approver)),
                ("date", v.word(Word::Expires)),
                ("", v.word(Word::Location)),
            ],
        )?;
        writeln!(o, "<tbody>")?;
        for w in list {
            let (class, sign) = match w.status {
                WaiverStatus::Used => ("pass", "✓"),
                WaiverStatus::Expired => ("fail", "✗"),
                WaiverStatus::Unused => ("warn", "!"),
            };
            // The code goes under the component: together they say what is waived.
            writeln!(
                o,
                "<tr><td class=\"status\">{}</td><td>{}<br>{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td><td>{}</td></tr>",
                badge(class, sign, labels::waiver_status(l, w.status)),
                E(&w.component),
                code(w.code.as_str()),
                E(&w.reason),
                E(&w.approver),
                w.expires,
                code(&v.rule(&w.rule))
            )?;
        }
        writeln!(o, "</tbody>\n</table>")?;
    }
    let general = v.general_findings();
    if !general.is_empty() {
        writeln!(
            o,
            "<h3>{}</h3>\n<table class=\"findings\">",
            E(v.word(Word::OtherFindings))
        )?;
        findings_head(o, v)?;
        writeln!(o, "<tbody>")?;
        for f in general {
            finding_row(o, v, f)?;
        }
        writeln!(o, "</tbody>\n</table>")?;
    }
    writeln!(o, "</section>")
}

fn deadlines(o: &mut String, v: &View) -> fmt::Result {
    let l = v.lang;
    writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<table class=\"deadlines\">",
        E(v.word(Word::Deadlines))
    )?;
    thead(
        o,
        &[
            ("", v.word(Word::Filing)),
            ("", v.word(Word::Requirement)),
            ("date", v.word(Word::StartsOn)),
            ("date", v.word(Word::Due)),
            ("", v.word(Word::Status)),
        ],
    )?;
    writeln!(o, "<tbody>")?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for d in &v.r.deadlines {
        // A status is a phrase, too long for a badge: a sign and a coloured word instead.
        let (class, sign) = match labels::deadline_ok(d) {
            Some(true) => ("pass", "✓"),
            Some(false) => ("fail", "✗"),
            None => ("pending", "…"),
        };
        writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td class=\"state {class}\"><span class=\"sign\" aria-hidden=\"true\">{sign}</span>{}</td></tr>",
            E(d.title.get(l)),
            E(d.rule.get(l)),
            date(d.starts),
            date(d.due),
            E(&labels::deadline_status(l, d))
        )?;
    }
    writeln!(o, "</tbody>\n</table>\n</section>")
}

fn inventory_findings(o: &mut String, v: &View) -> fmt::Result {
    let list = &v.r.inventory_findings;
    if list.is_empty() {
        return Ok(());
    }
    writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<table class=\"findings\">",
        E(v.word(Word::InventoryFindings))
    )?;
    thead(
        o,
        &[
            ("level", v.word(Word::Level)),
            ("", v.word(Word::Code)),
            ("", v.word(Word::Location)),
            ("", v.word(Word::Component)),
            ("", v.word(Word::Message)),
        ],
    )?;
    writeln!(o, "<tbody>")?;
    for f in list {
        let at = if f.location.is_empty() {
            v.path(&f.file)
        } else {
            format!("{} {}", v.path(&f.file), f.location)
        };
        writeln!(
            o,
            "<tr>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            level_cell(v.lang, f.level),
            code(f.code.as_str()),
            code(&at),
            E(f.component.as_deref().unwrap_or("")),
            E(f.message.get(v.lang))
        )?;
    }
    writeln!(o, "</tbody>\n</table>\n</section>")
}

fn inputs(o: &mut String, v: &View) -> fmt::Result {
    let l = v.lang;
    writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<table class=\"inputs\">",
        E(v.word(Word::Inputs))
    )?;
    thead(
        o,
        &[
            ("", v.word(Word::File)),
            ("role", v.word(Word::Role)),
            ("hash", "SHA-256"),
        ],
    )?;
    writeln!(o, "<tbody>")?;
    for f in &v.r.inputs {
        writeln!(
            o,
            "<tr><td>{}</td><td class=\"role\">{}</td><td class=\"hash\">{}</td></tr>",
            code(&v.path(&f.path)),
            E(&labels::input_role(l, f.role)),
            hash(&f.sha256)
        )?;
    }
    writeln!(o, "</tbody>\n</table>\n</section>")?;
    if v.r.not_read.is_empty() {
        return Ok(());
    }
    writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<table class=\"inputs\">",
        E(v.word(Word::NotRead))
    )?;
    thead(o, &[("", v.word(Word::File)), ("", v.word(Word::Reason))])?;
    writeln!(o, "<tbody>")?;
    for n in &v.r.not_read {
        writeln!(
            o,
            "<tr><td>{}</td><td>{}</td></tr>",
            code(&v.path(&n.path)),
            E(&n.reason.describe(l))
        )?;
    }
    writeln!(o, "</tbody>\n</table>\n</section>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            E("<a href=\"x\">'R&D'</a>").to_string(),
            "&lt;a href=&quot;x&quot;&gt;&#39;R&amp;D&#39;&lt;/a&gt;"
        );
        assert_eq!(E("忻州 plain").to_string(), "忻州 plain");
    }

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("a\"</style>项");
        assert_eq!(s, "\"a\\22 \\3c \\2f style\\3e \\9879 \"");
    }

    #[test]
    fn structure_and_escaping_of_the_sample() {
        let r = crate::report::tests::sample();
        let html = render(&r, Lang::Zh);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(html.trim_end().ends_with("</html>"));
        assert!(!html.contains("<script>"), "the project name is escaped");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 项目"));
        assert!(html.contains("建设单位 &quot;A&amp;B&quot;"));
        for tag in [
            "main", "section", "article", "table", "thead", "tbody", "dl",
        ] {
            let open = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let close = html.matches(&format!("</{tag}>")).count();
            assert_eq!(open, close, "<{tag}> is balanced");
        }
        assert!(html.contains("badge fail"));
        assert!(html.contains("fw@1"));
        // An inventory finding is shown in the reader's language only.
        assert!(
            html.contains("第 5 列 &#39;&lt;处理器&gt;&#39; 无法识别"),
            "{html}"
        );
        assert!(!html.contains("is unknown"), "{html}");
        let en = render(&r, Lang::En);
        assert!(en.contains("<html lang=\"en\">"));
        assert!(
            en.contains("column 5 &#39;&lt;处理器&gt;&#39; is unknown"),
            "{en}"
        );
        assert!(!en.contains("无法识别"), "{en}");
    }
}
