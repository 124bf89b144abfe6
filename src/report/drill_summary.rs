//! One drill's summary report in Markdown and as a self-contained HTML page, in Chinese or
//! English: what the national drill guide asks of a summary (purpose, time and place, people,
//! scenario, problems and causes, lessons, actions), the timeline of target against actual with
//! its findings (a missed reporting clock above all), every time in the project's time zone.

use super::drill::{html_cover, html_head, project};
use super::html::E;
use super::markdown::text as md;
use crate::drill::report::RunReport;
use crate::drill::summary::{rating_label, SCALE};
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use std::fmt::Write;

/// A step's difference from its target: none for a step not done; a late one marked, so it
/// reads as late without colour (print, greyscale, a screen reader).
fn minutes(lang: Lang, late: Option<i64>) -> String {
    match late {
        None => "—".into(),
        Some(0) => "0".into(),
        Some(m) if m > 0 => format!("⚠ {m:+} {}", d::t(lang, K::Minutes)),
        Some(m) => format!("{m:+} {}", d::t(lang, K::Minutes)),
    }
}

/// A time as the project's zone shows it.
fn when(r: &RunReport, t: crate::drill::run::Time) -> String {
    r.timezone.show(t, "%Y-%m-%d %H:%M %:z")
}

/// A rating with its label, or "not rated".
fn rating(lang: Lang, rating: Option<u8>) -> String {
    match rating {
        Some(n) => format!("{n} {}", rating_label(lang, n)),
        None => d::t(lang, K::NotRated).to_string(),
    }
}

/// One drill's summary report in Markdown.
pub fn summary_markdown(r: &RunReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_summary_md(&mut o, r, lang);
    o
}

fn write_summary_md(o: &mut String, r: &RunReport, lang: Lang) -> std::fmt::Result {
    let p = &r.playbook;
    let run = &r.run;
    writeln!(
        o,
        "# {}\n\n## {}\n",
        d::t(lang, K::DrillSummary),
        md(p.title.get(lang))
    )?;
    writeln!(
        o,
        "**{}** · {}\n",
        md(&project(lang, &r.project, r.project_en.as_deref())),
        md(&run.id)
    )?;
    if r.illustrative {
        writeln!(o, "> {}\n", d::t(lang, K::Illustrative))?;
    }
    if let Some(a) = &run.abandoned {
        writeln!(
            o,
            "> **{}** {} · {}: {}\n",
            d::t(lang, K::Abandoned),
            when(r, a.time),
            d::t(lang, K::Reason),
            md(&a.reason)
        )?;
    } else if run.finished.is_none() {
        writeln!(o, "> **{}**\n", d::t(lang, K::NotFinished))?;
    }
    writeln!(
        o,
        "### {}\n\n{}\n",
        d::t(lang, K::PurposeSection),
        md(r.purpose.as_ref().unwrap_or(&p.summary).get(lang))
    )?;
    writeln!(
        o,
        "### {}\n\n- {}: {}\n- {}: {}\n- {}: {}\n- {}: {}\n- {}: {} · {}\n- {}: {}/{} · {} {}\n",
        d::t(lang, K::TimePlace),
        d::t(lang, K::Started),
        when(r, run.started),
        d::t(lang, K::Finished),
        run.finished.map_or("—".into(), |t| when(r, t)),
        d::t(lang, K::TimeZone),
        r.timezone.name(),
        d::t(lang, K::Place),
        md(&run.place),
        d::t(lang, K::Form),
        d::form(lang, p.form),
        d::content(lang, p.content),
        d::t(lang, K::Incident),
        p.category,
        p.subcategory,
        p.grade.as_str(),
        md(p.grade.name().get(lang)),
    )?;
    writeln!(o, "### {}\n", d::t(lang, K::People))?;
    writeln!(
        o,
        "| {} | {} | {} |\n|---|---|---|",
        d::t(lang, K::Name),
        d::t(lang, K::Unit),
        d::t(lang, K::Role)
    )?;
    for x in &run.participants {
        let role = p
            .role(&x.role)
            .map_or(x.role.clone(), |r| r.name.get(lang).to_string());
        writeln!(
            o,
            "| {} | {} | {} |",
            md(&x.name),
            md(&r.unit(&x.unit, lang)),
            md(&role)
        )?;
    }
    writeln!(
        o,
        "\n### {}\n\n{}\n",
        d::t(lang, K::Scenario),
        md(p.scenario.get(lang))
    )?;
    writeln!(o, "### {}\n", d::t(lang, K::Timeline))?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---|---|",
        d::t(lang, K::Step),
        d::t(lang, K::Expected),
        d::t(lang, K::Target),
        d::t(lang, K::Actual),
        d::t(lang, K::Delta),
        d::t(lang, K::Status)
    )?;
    for t in &r.timings {
        let expected = p.step(&t.id).map_or("", |s| s.expected.get(lang));
        writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&t.id),
            md(expected),
            t.target_minutes,
            t.actual_minutes.map_or("—".into(), |a| a.to_string()),
            minutes(lang, t.late_by_minutes),
            d::step_status(lang, t.status)
        )?;
    }
    if !r.findings.is_empty() {
        writeln!(o, "\n### {}\n", d::t(lang, K::TimelineFindings))?;
        for f in &r.findings {
            writeln!(o, "- **{}** {}", f.code.as_str(), md(f.message.get(lang)))?;
        }
    }
    if !run.observations.is_empty() {
        writeln!(o, "\n### {}\n", d::t(lang, K::Observations))?;
        for x in &run.observations {
            writeln!(
                o,
                "- {} {}{}",
                r.timezone.show(x.time, "%H:%M"),
                x.step
                    .as_deref()
                    .map(|s| format!("[{}] ", md(s)))
                    .unwrap_or_default(),
                md(&x.text)
            )?;
        }
    }
    super::drill_reporting::markdown(o, &r.reporting, lang)?;
    if let Some(s) = &run.summary {
        writeln!(o, "\n### {}\n", d::t(lang, K::Evaluation))?;
        if !s.evaluators.is_empty() {
            writeln!(
                o,
                "{}: {}\n",
                d::t(lang, K::Evaluators),
                md(&s.evaluators.join(", "))
            )?;
        }
        writeln!(
            o,
            "| {} | {} | {} |\n|---|---|---|",
            d::t(lang, K::Objective),
            d::t(lang, K::Rating),
            d::t(lang, K::Comment)
        )?;
        for e in &s.evaluations {
            let text = p
                .objectives
                .iter()
                .find(|x| x.id == e.objective)
                .map_or(e.objective.clone(), |x| x.text.get(lang).to_string());
            writeln!(
                o,
                "| {} | {} | {} |",
                md(&text),
                rating(lang, e.rating),
                md(&e.comment)
            )?;
        }
        write!(o, "\n{}: ", d::t(lang, K::Scale))?;
        writeln!(
            o,
            "{}\n",
            SCALE
                .iter()
                .map(|(r, _, _)| format!("{r} {}", rating_label(lang, *r)))
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        writeln!(o, "### {}\n", d::t(lang, K::Problems))?;
        if s.problems.is_empty() {
            writeln!(o, "{}", d::t(lang, K::Nothing))?;
        }
        for x in &s.problems {
            writeln!(
                o,
                "- {}（{}：{}）",
                md(&x.problem),
                d::t(lang, K::Cause),
                md(&x.cause)
            )?;
        }
        writeln!(o, "\n### {}\n", d::t(lang, K::Lessons))?;
        for x in &s.lessons {
            writeln!(o, "- {}", md(x))?;
        }
        writeln!(o, "\n### {}\n", d::t(lang, K::Actions))?;
        writeln!(
            o,
            "| ID | {} | {} | {} |\n|---|---|---|---|",
            d::t(lang, K::Action),
            d::t(lang, K::Responsible),
            d::t(lang, K::DueDate)
        )?;
        for a in &s.actions {
            writeln!(
                o,
                "| {}#{} | {} | {} | {} |",
                md(&run.id),
                a.id,
                md(&a.action),
                md(&a.owner),
                a.due
            )?;
        }
    }
    if !run.evidence.is_empty() {
        writeln!(o, "\n### {}\n", d::t(lang, K::Evidence))?;
        for e in &run.evidence {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(o, "- {} `sha256:{}`", md(&name), e.sha256)?;
        }
    }
    if let Some(seq) = &run.record_seq {
        writeln!(
            o,
            "\n{}: {} {seq} ({})",
            d::t(lang, K::Record),
            d::t(lang, K::RecordSeq),
            crate::drill::record::FINISHED_KIND
        )?;
    }
    writeln!(
        o,
        "\n{}: {}",
        d::t(lang, K::Cites),
        p.cites.iter().map(|c| md(c)).collect::<Vec<_>>().join("; ")
    )
}

/// One drill's summary report as one self-contained HTML page.
pub fn summary_html(r: &RunReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_summary_html(&mut o, r, lang);
    o
}

fn write_summary_html(o: &mut String, r: &RunReport, lang: Lang) -> std::fmt::Result {
    let p = &r.playbook;
    let run = &r.run;
    let title = format!("{}：{}", d::t(lang, K::DrillSummary), p.title.get(lang));
    html_head(o, lang, &title)?;
    html_cover(
        o,
        lang,
        p.title.get(lang),
        &project(lang, &r.project, r.project_en.as_deref()),
        r.illustrative,
    )?;
    writeln!(
        o,
        "<p class=\"muted\">{} · {}</p>",
        d::t(lang, K::DrillSummary),
        E(&run.id)
    )?;
    writeln!(
        o,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} · {}</dd><dt>{}</dt><dd>{}/{} · {} {}</dd></dl>\n</header>",
        d::t(lang, K::Started),
        when(r, run.started),
        d::t(lang, K::Finished),
        match &run.abandoned {
            Some(a) => format!(
                "{} {} · {}: {}",
                d::t(lang, K::Abandoned),
                when(r, a.time),
                d::t(lang, K::Reason),
                E(&a.reason)
            ),
            None => run
                .finished
                .map_or(d::t(lang, K::NotFinished).to_string(), |t| when(r, t)),
        },
        d::t(lang, K::Place),
        E(&run.place),
        d::t(lang, K::Form),
        d::form(lang, p.form),
        d::content(lang, p.content),
        d::t(lang, K::Incident),
        E(&p.category),
        E(&p.subcategory),
        p.grade.as_str(),
        E(p.grade.name().get(lang)),
    )?;
    writeln!(
        o,
        "<section><h2>{}</h2><p>{}</p>",
        d::t(lang, K::PurposeSection),
        E(r.purpose.as_ref().unwrap_or(&p.summary).get(lang))
    )?;
    writeln!(
        o,
        "<h2>{}</h2><p>{}</p></section>",
        d::t(lang, K::Scenario),
        E(p.scenario.get(lang))
    )?;
    writeln!(o, "<section><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>", d::t(lang, K::People), d::t(lang, K::Name), d::t(lang, K::Unit), d::t(lang, K::Role))?;
    for x in &run.participants {
        let role = p
            .role(&x.role)
            .map_or(x.role.clone(), |r| r.name.get(lang).to_string());
        writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            E(&x.name),
            E(&r.unit(&x.unit, lang)),
            E(&role)
        )?;
    }
    writeln!(o, "</tbody></table></section>")?;
    writeln!(o, "<section><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        d::t(lang, K::Timeline), d::t(lang, K::Step), d::t(lang, K::Expected), d::t(lang, K::Target), d::t(lang, K::Actual), d::t(lang, K::Delta), d::t(lang, K::Status))?;
    for t in &r.timings {
        let expected = p.step(&t.id).map_or("", |s| s.expected.get(lang));
        let class = match t.late_by_minutes {
            Some(m) if m > 0 => "late",
            Some(_) => "ontime",
            None => "",
        };
        writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num {class}\">{}</td><td>{}</td></tr>",
            E(&t.id),
            E(expected),
            t.target_minutes,
            t.actual_minutes.map_or("—".into(), |a| a.to_string()),
            minutes(lang, t.late_by_minutes),
            d::step_status(lang, t.status)
        )?;
    }
    writeln!(o, "</tbody></table>")?;
    if !r.findings.is_empty() {
        writeln!(o, "<h3>{}</h3><ul>", d::t(lang, K::TimelineFindings))?;
        for f in &r.findings {
            writeln!(
                o,
                "<li class=\"late\"><code>{}</code> {}</li>",
                f.code.as_str(),
                E(f.message.get(lang))
            )?;
        }
        writeln!(o, "</ul>")?;
    }
    if !run.observations.is_empty() {
        writeln!(o, "<h3>{}</h3><ul>", d::t(lang, K::Observations))?;
        for x in &run.observations {
            writeln!(
                o,
                "<li>{} {}{}</li>",
                r.timezone.show(x.time, "%H:%M"),
                x.step
                    .as_deref()
                    .map(|s| format!("<code>{}</code> ", E(s)))
                    .unwrap_or_default(),
                E(&x.text)
            )?;
        }
        writeln!(o, "</ul>")?;
    }
    writeln!(o, "</section>")?;
    super::drill_reporting::html(o, &r.reporting, lang)?;
    if let Some(s) = &run.summary {
        writeln!(o, "<section><h2>{}</h2>", d::t(lang, K::Evaluation))?;
        if !s.evaluators.is_empty() {
            writeln!(
                o,
                "<p>{}: {}</p>",
                d::t(lang, K::Evaluators),
                E(&s.evaluators.join(", "))
            )?;
        }
        writeln!(
            o,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            d::t(lang, K::Objective),
            d::t(lang, K::Rating),
            d::t(lang, K::Comment)
        )?;
        for e in &s.evaluations {
            let text = p
                .objectives
                .iter()
                .find(|x| x.id == e.objective)
                .map_or(e.objective.clone(), |x| x.text.get(lang).to_string());
            writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                E(&text),
                E(&rating(lang, e.rating)),
                E(&e.comment)
            )?;
        }
        writeln!(
            o,
            "</tbody></table><p class=\"note\">{}: {}</p>",
            d::t(lang, K::Scale),
            SCALE
                .iter()
                .map(|(r, _, _)| format!("{r} {}", E(rating_label(lang, *r))))
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        writeln!(o, "<h2>{}</h2>", d::t(lang, K::Problems))?;
        if s.problems.is_empty() {
            writeln!(o, "<p>{}</p>", d::t(lang, K::Nothing))?;
        } else {
            writeln!(
                o,
                "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
                d::t(lang, K::Problem),
                d::t(lang, K::Cause)
            )?;
            for x in &s.problems {
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    E(&x.problem),
                    E(&x.cause)
                )?;
            }
            writeln!(o, "</tbody></table>")?;
        }
        writeln!(o, "<h2>{}</h2><ul>", d::t(lang, K::Lessons))?;
        for x in &s.lessons {
            writeln!(o, "<li>{}</li>", E(x))?;
        }
        writeln!(o, "</ul><h2>{}</h2><table><thead><tr><th>ID</th><th>{}</th><th>{}</th><th class=\"date\">{}</th></tr></thead><tbody>", d::t(lang, K::Actions), d::t(lang, K::Action), d::t(lang, K::Responsible), d::t(lang, K::DueDate))?;
        for a in &s.actions {
            writeln!(o, "<tr><td><code>{}#{}</code></td><td>{}</td><td>{}</td><td class=\"date\">{}</td></tr>", E(&run.id), a.id, E(&a.action), E(&a.owner), a.due)?;
        }
        writeln!(o, "</tbody></table></section>")?;
    }
    if !run.evidence.is_empty() {
        writeln!(o, "<section><h2>{}</h2><ul>", d::t(lang, K::Evidence))?;
        for e in &run.evidence {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(o, "<li>{} <code>sha256:{}</code></li>", E(&name), e.sha256)?;
        }
        writeln!(o, "</ul></section>")?;
    }
    if let Some(seq) = &run.record_seq {
        writeln!(
            o,
            "<p>{}: {} {} (<code>{}</code>)</p>",
            d::t(lang, K::Record),
            d::t(lang, K::RecordSeq),
            E(seq),
            crate::drill::record::FINISHED_KIND
        )?;
    }
    writeln!(
        o,
        "<p class=\"note\">{}: {}</p>\n</main>\n</body>\n</html>",
        d::t(lang, K::Cites),
        E(&p.cites.join("; "))
    )
}
