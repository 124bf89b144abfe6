//! The reporting section of a drill's summary report (articles 4, 7 and 8 of the national
//! incident reporting measures): the clock the drill was held to, whether the reporting step
//! met it, what a report holds, and when the closing report would be due.

use super::html::E;
use super::markdown::text as md;
use crate::drill::reporting::DrillReporting;
use crate::i18n::drill::{self as d, K};
use crate::i18n::Lang;
use std::fmt::Write;

fn outcome(lang: Lang, r: &DrillReporting) -> Option<String> {
    let s = r.step.as_ref()?;
    let state = match s.within_clock {
        Some(true) => d::t(lang, K::ReportMet),
        Some(false) => d::t(lang, K::ReportMissed),
        None if s.actual_minutes.is_none() => d::t(lang, K::ReportNotDone),
        None => "—",
    };
    Some(format!(
        "{} · {} {} · {} {} · {state}",
        s.id,
        d::t(lang, K::Target),
        s.target_minutes,
        d::t(lang, K::Actual),
        s.actual_minutes.map_or("—".into(), |a| a.to_string()),
    ))
}

fn facts(lang: Lang, r: &DrillReporting) -> Vec<(&'static str, String)> {
    let c = &r.clock;
    let mut out = vec![
        (
            d::t(lang, K::OperatorKind),
            c.operator.name().get(lang).to_string(),
        ),
        (d::t(lang, K::ReportClock), d::clock(lang, c)),
        (d::t(lang, K::Recipient), c.recipient.get(lang).to_string()),
    ];
    if let Some(o) = outcome(lang, r) {
        out.push((d::t(lang, K::ReportStep), o));
    }
    out
}

fn closing_line(lang: Lang, r: &DrillReporting) -> String {
    let contents: Vec<&str> = r.closing_contents.iter().map(|x| x.get(lang)).collect();
    let mut line = format!(
        "{}{}",
        d::t(lang, K::ClosingDue),
        match lang {
            Lang::Zh => format!("{}。", contents.join("、")),
            Lang::En => format!(" {}.", contents.join(", ")),
        }
    );
    if let Some(due) = r.closing_due {
        let _ = write!(line, " {} {due}.", d::t(lang, K::ClosingDueBy));
    }
    line
}

pub fn markdown(o: &mut String, r: &DrillReporting, lang: Lang) -> std::fmt::Result {
    writeln!(o, "\n### {}\n", d::t(lang, K::Reporting))?;
    for (k, v) in facts(lang, r) {
        writeln!(o, "- {k}: {}", md(&v))?;
    }
    if !r.clock.mandatory {
        return writeln!(o, "\n{}", d::t(lang, K::ReportingBasis));
    }
    writeln!(o, "\n{}\n", d::t(lang, K::ReportContents))?;
    for (i, x) in r.contents.iter().enumerate() {
        writeln!(o, "{}. {}", i + 1, md(x.get(lang)))?;
    }
    writeln!(o, "\n{}\n", d::t(lang, K::FollowUp))?;
    writeln!(
        o,
        "{}: {}\n\n{}",
        d::t(lang, K::ClosingReport),
        md(&closing_line(lang, r)),
        d::t(lang, K::ReportingBasis)
    )
}

pub fn html(o: &mut String, r: &DrillReporting, lang: Lang) -> std::fmt::Result {
    writeln!(
        o,
        "<section><h2>{}</h2><dl class=\"facts\">",
        d::t(lang, K::Reporting)
    )?;
    for (k, v) in facts(lang, r) {
        let class = match r.step.as_ref().and_then(|s| s.within_clock) {
            Some(false) if k == d::t(lang, K::ReportStep) => " class=\"late\"",
            _ => "",
        };
        writeln!(o, "<dt>{k}</dt><dd{class}>{}</dd>", E(&v))?;
    }
    writeln!(o, "</dl>")?;
    if r.clock.mandatory {
        writeln!(o, "<h3>{}</h3><ol>", d::t(lang, K::ReportContents))?;
        for x in &r.contents {
            writeln!(o, "<li>{}</li>", E(x.get(lang)))?;
        }
        writeln!(o, "</ol><p>{}</p>", d::t(lang, K::FollowUp))?;
        writeln!(
            o,
            "<h3>{}</h3><p>{}</p>",
            d::t(lang, K::ClosingReport),
            E(&closing_line(lang, r))
        )?;
    }
    writeln!(
        o,
        "<p class=\"muted\">{}</p></section>",
        d::t(lang, K::ReportingBasis)
    )
}
