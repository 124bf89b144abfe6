//! The joint risk-assessment report in Markdown and as one self-contained HTML page (the shared
//! report.css plus a coloured 5 × 5 heat map); both only read an
//! [`assessment::report::Report`](crate::assessment::report::Report).

use super::html::E;
use crate::assessment::definition::Meaning;
use crate::assessment::method::Stage;
use crate::assessment::report::Report;
use crate::assessment::signoff::SignState;
use crate::i18n::Lang;
use std::fmt::Write;

fn l(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Markdown table cell text: no line breaks, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn meaning(lang: Lang, m: Meaning) -> &'static str {
    match m {
        Meaning::Conforming => l(lang, "符合", "conforming"),
        Meaning::Partly => l(lang, "部分符合", "partly conforming"),
        Meaning::NotConforming => l(lang, "不符合", "not conforming"),
        Meaning::NotApplicable => l(lang, "不适用", "not applicable"),
    }
}

fn calculation(lang: Lang, r: &Report) -> String {
    use crate::assessment::method::Calculation::*;
    match r.method.calculation {
        Matrix => l(lang, "矩阵法", "matrix method").into(),
        Product => l(
            lang,
            "相乘法（两级相乘）",
            "multiplication method (product of levels)",
        )
        .into(),
        SqrtProduct => l(
            lang,
            "相乘法（两级乘积开方后四舍五入）",
            "multiplication method (square root of the product, rounded)",
        )
        .into(),
    }
}

fn stages(lang: Lang) -> [(&'static str, &'static str, &'static str); 3] {
    [
        (
            l(lang, "可能性", "Likelihood"),
            l(lang, "威胁频率", "threat frequency"),
            l(lang, "脆弱性严重程度", "vulnerability severity"),
        ),
        (
            l(lang, "影响", "Impact"),
            l(lang, "资产价值", "asset value"),
            l(lang, "脆弱性严重程度", "vulnerability severity"),
        ),
        (
            l(lang, "风险", "Risk"),
            l(lang, "可能性等级", "likelihood level"),
            l(lang, "影响等级", "impact level"),
        ),
    ]
}

fn stage_list(r: &Report) -> [&Stage; 3] {
    [&r.method.likelihood, &r.method.impact, &r.method.risk]
}

fn summary_heads(lang: Lang) -> [&'static str; 7] {
    [
        l(lang, "适用项", "Applicable"),
        l(lang, "已答复", "Answered"),
        l(lang, "符合", "Conforming"),
        l(lang, "部分符合", "Partly"),
        l(lang, "不符合", "Not conforming"),
        l(lang, "不适用", "N/A"),
        l(lang, "待确认", "Unconfirmed"),
    ]
}

fn section_heads(lang: Lang) -> [&'static str; 4] {
    [
        l(lang, "部分", "Section"),
        l(lang, "已答复/适用", "Answered/applicable"),
        l(lang, "不符合/部分", "Failed/partly"),
        l(lang, "待确认", "Unconfirmed"),
    ]
}

fn register_heads(lang: Lang) -> [&'static str; 10] {
    [
        l(lang, "项", "Item"),
        l(lang, "资产", "Asset"),
        l(lang, "威胁", "Threat"),
        l(lang, "资产/威胁/脆弱性", "A/T/V"),
        l(lang, "可能性/影响", "L/I"),
        l(lang, "风险", "Risk"),
        l(lang, "处置", "Treatment"),
        l(lang, "责任人/期限", "Owner/due"),
        l(lang, "残余", "Residual"),
        l(lang, "批准人", "Approver"),
    ]
}

/// A Markdown table's header row and rule.
fn md_head(o: &mut String, heads: &[&str]) -> std::fmt::Result {
    writeln!(o, "| {} |", heads.join(" | "))?;
    writeln!(o, "|{}", "---|".repeat(heads.len()))
}

/// An HTML table head; the columns in `numeric` are right-aligned numbers.
fn html_head(o: &mut String, heads: &[&str], numeric: &[usize]) -> std::fmt::Result {
    write!(o, "<thead><tr>")?;
    for (i, h) in heads.iter().enumerate() {
        let class = if numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        write!(o, "<th{class}>{}</th>", E(h))?;
    }
    writeln!(o, "</tr></thead>")
}

fn sign_line(lang: Lang, r: &Report) -> String {
    let name = |unit: &str| {
        r.parties
            .iter()
            .find(|p| p.role == unit)
            .map_or(unit.to_string(), |p| p.role_name.get(lang).to_string())
    };
    r.signoff.describe(lang, &name)
}

/// Renders the report as Markdown.
pub fn markdown(r: &Report, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_markdown(&mut o, r, lang);
    crate::inert::inert_document(o)
}

fn write_markdown(o: &mut String, r: &Report, lang: Lang) -> std::fmt::Result {
    writeln!(
        o,
        "# {}\n",
        l(
            lang,
            "网络与信息安全联合风险评估报告",
            "Joint network and information security risk assessment"
        )
    )?;
    if r.project.illustrative {
        writeln!(
            o,
            "> **{}**\n",
            l(
                lang,
                "示例数据：本报告所述项目与单位均为虚构。",
                "Illustrative data: the project and units in this report are fictional."
            )
        )?;
    }
    writeln!(
        o,
        "- {}: {} ({})",
        l(lang, "项目", "Project"),
        r.project.name.get(lang),
        r.project.code
    )?;
    for p in &r.parties {
        writeln!(
            o,
            "- {}: {} (`{}`)",
            p.role_name.get(lang),
            p.unit.get(lang),
            p.role
        )?;
    }
    writeln!(
        o,
        "- {}: `{}` ({} {})",
        l(lang, "评估", "Assessment"),
        r.session.id,
        l(lang, "创建于", "created"),
        r.session.created
    )?;
    if let Some(s) = &r.session.supersedes {
        writeln!(o, "- {}: `{s}`", l(lang, "替代", "Supersedes"))?;
    }
    writeln!(
        o,
        "- {}: {} {}",
        l(lang, "范围", "Scope"),
        cell(&r.session.scope),
        match lang {
            Lang::Zh => format!("（第 {} 级）", r.session.protection_level),
            Lang::En => format!("(protection level {})", r.session.protection_level),
        }
    )?;
    writeln!(
        o,
        "- {}: {} v{} (`{}`, {})",
        l(lang, "检查表", "Checklist"),
        r.checklist.title.get(lang),
        r.checklist.version,
        r.checklist.file,
        r.checklist.hash
    )?;
    writeln!(
        o,
        "- {}: {}",
        l(lang, "依据", "Basis"),
        r.checklist.basis.join("; ")
    )?;
    writeln!(
        o,
        "- {}: {}\n",
        l(lang, "签署", "Sign-off"),
        sign_line(lang, r)
    )?;

    writeln!(o, "## {}\n", l(lang, "评估方法", "Method"))?;
    writeln!(
        o,
        "{}: {} — {}\n",
        l(lang, "计算方法", "Calculation"),
        match lang {
            Lang::Zh => r.method.name.as_str(),
            Lang::En => r.method.name_en.as_str(),
        },
        calculation(lang, r)
    )?;
    for ((name, rows, cols), stage) in stages(lang).into_iter().zip(stage_list(r)) {
        writeln!(o, "**{name}** ({} × {})\n", rows, cols)?;
        if let Some(m) = &stage.matrix {
            writeln!(
                o,
                "| {rows} \\ {cols} | 1 | 2 | 3 | 4 | 5 |\n|---|---|---|---|---|---|"
            )?;
            for (i, row) in m.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(u32::to_string).collect();
                writeln!(o, "| {} | {} |", i + 1, cells.join(" | "))?;
            }
            writeln!(o)?;
        }
        let bands: Vec<String> = stage
            .bands
            .iter()
            .enumerate()
            .map(|(i, (lo, hi))| format!("{} = {lo}–{hi}", i + 1))
            .collect();
        writeln!(o, "{}: {}\n", l(lang, "分级", "Bands"), bands.join(", "))?;
    }
    let names: Vec<String> = (1..=5)
        .map(|i| {
            format!(
                "{i} {}",
                r.method
                    .level_names_en
                    .get(i - 1)
                    .map(|en| if lang == Lang::Zh {
                        r.method.level_names[i - 1].clone()
                    } else {
                        en.clone()
                    })
                    .unwrap_or_default()
            )
        })
        .collect();
    writeln!(
        o,
        "{}: {}. {}\n",
        l(lang, "风险等级", "Risk levels"),
        names.join(", "),
        match lang {
            Lang::Zh => format!("接受第 {} 级及以上风险须有批准人。", r.method.approval_from),
            Lang::En => format!(
                "Accepting a risk of level {} or above needs a named approver.",
                r.method.approval_from
            ),
        }
    )?;

    writeln!(o, "## {}\n", l(lang, "结果汇总", "Summary"))?;
    let s = &r.summary;
    md_head(o, &summary_heads(lang))?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} | {} |\n",
        s.applicable,
        s.answered,
        s.conforming,
        s.partly,
        s.not_conforming,
        s.not_applicable,
        s.unconfirmed
    )?;
    md_head(o, &section_heads(lang))?;
    for sec in &r.sections {
        let p = &sec.progress;
        writeln!(
            o,
            "| {} | {}/{} | {}/{} | {} |",
            sec.name.get(lang),
            p.answered,
            p.applicable,
            p.not_conforming,
            p.partly,
            p.unconfirmed
        )?;
    }
    writeln!(o)?;

    writeln!(o, "## {}\n", l(lang, "风险热力图", "Risk heat map"))?;
    writeln!(
        o,
        "{}\n",
        l(
            lang,
            "行：可能性（5 在上）；列：影响（1 至 5）；格内为风险数。",
            "Rows: likelihood (5 at the top); columns: impact (1 to 5); cells count risks."
        )
    )?;
    writeln!(
        o,
        "| {} | 1 | 2 | 3 | 4 | 5 |\n|---|---|---|---|---|---|",
        l(lang, "可能性 \\ 影响", "Likelihood \\ impact")
    )?;
    for li in (0..5).rev() {
        let cells: Vec<String> = r.heat_map[li]
            .iter()
            .map(|n| if *n == 0 { "·".into() } else { n.to_string() })
            .collect();
        writeln!(o, "| {} | {} |", li + 1, cells.join(" | "))?;
    }
    writeln!(o)?;

    writeln!(o, "## {}\n", l(lang, "风险登记表", "Risk register"))?;
    if r.register.is_empty() {
        writeln!(o, "{}\n", l(lang, "无风险。", "No risks."))?;
    } else {
        md_head(o, &register_heads(lang))?;
        for g in &r.register {
            writeln!(
                o,
                "| {} | {} | {} | {}/{}/{} | {}/{} | {} {} | {} | {} {} | {} | {} |",
                g.item,
                cell(g.asset.get(lang)),
                cell(g.threat.get(lang)),
                g.asset_value,
                g.threat_frequency,
                g.severity,
                g.likelihood,
                g.impact,
                g.level,
                g.level_name.get(lang),
                g.treatment.map_or("—", |t| t.name(lang)),
                cell(&g.owner),
                g.due.map(|d| d.to_string()).unwrap_or_default(),
                g.residual
                    .map(|x| x.to_string())
                    .unwrap_or_else(|| "—".into()),
                cell(&g.approver)
            )?;
        }
        writeln!(o)?;
    }

    writeln!(o, "## {}\n", l(lang, "不符合项", "Non-conforming items"))?;
    if r.nonconforming.is_empty() {
        writeln!(o, "{}\n", l(lang, "无。", "None."))?;
    }
    for it in &r.nonconforming {
        writeln!(o, "### {} {}\n", it.item, cell(it.question.get(lang)))?;
        writeln!(
            o,
            "- {}: {} · {}",
            l(lang, "部分", "Section"),
            it.section.get(lang),
            it.clauses.join("; ")
        )?;
        writeln!(
            o,
            "- {}: **{}** ({}) — {} ({}), {}",
            l(lang, "答复", "Answer"),
            it.answer.get(lang),
            meaning(lang, it.meaning),
            it.person,
            it.role_name.get(lang),
            it.time
        )?;
        if !it.note.is_empty() {
            writeln!(o, "- {}: {}", l(lang, "说明", "Note"), cell(&it.note))?;
        }
        if let Some(d) = &it.derived {
            writeln!(o, "- {}: {}", l(lang, "数据来源", "From data"), d.get(lang))?;
        }
        if let Some(c) = &it.confirmed_by_name {
            writeln!(o, "- {}: {}", l(lang, "确认", "Confirmed by"), c.get(lang))?;
        }
        for e in &it.evidence {
            writeln!(
                o,
                "- {}: `{}` ({})",
                l(lang, "证据", "Evidence"),
                e.path,
                e.hash
            )?;
        }
        writeln!(o)?;
    }

    writeln!(o, "## {}\n", l(lang, "签署", "Signatures"))?;
    write_signatures_md(o, r, lang)?;
    Ok(())
}

fn write_signatures_md(o: &mut String, r: &Report, lang: Lang) -> std::fmt::Result {
    writeln!(o, "{}\n", sign_line(lang, r))?;
    writeln!(
        o,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        l(lang, "单位", "Unit"),
        l(lang, "密钥", "Key id"),
        l(lang, "账本位置", "Ledger seq"),
        l(lang, "时间", "Time")
    )?;
    for p in &r.parties {
        match r.signoff.signatures().iter().find(|s| s.unit == p.role) {
            Some(s) => writeln!(
                o,
                "| {} | `{}` | {} | {} |",
                p.unit.get(lang),
                s.key_id,
                s.seq,
                s.time
            )?,
            None => writeln!(
                o,
                "| {} | {} | | |",
                p.unit.get(lang),
                l(lang, "待签署", "awaiting")
            )?,
        }
    }
    Ok(())
}

const STYLE: &str = include_str!("report.css");
const EXTRA: &str = "
.heat { border-collapse: collapse; width: auto; }
.heat td, .heat th { width: 11mm; height: 9mm; text-align: center; vertical-align: middle; font-weight: 600; }
.heat td.r1 { background: #d8f0dc; } .heat td.r2 { background: #eef5c8; } .heat td.r3 { background: #fde9b0; }
.heat td.r4 { background: #f9c49a; } .heat td.r5 { background: #f19a93; }
.heat td.empty { color: #8a8f98; font-weight: 400; }
.lv { font-weight: 600; white-space: nowrap; }
.lv.l4, .lv.l5 { color: #b42318; }
.matrix td { text-align: center; }
";

/// Renders the report as a self-contained HTML page.
pub fn html(r: &Report, lang: Lang) -> String {
    let mut o = String::new();
    let _ = write_html(&mut o, r, lang);
    crate::inert::inert_document(o)
}

fn write_html(o: &mut String, r: &Report, lang: Lang) -> std::fmt::Result {
    let title = l(
        lang,
        "网络与信息安全联合风险评估报告",
        "Joint network and information security risk assessment",
    );
    writeln!(o, "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>\n{STYLE}{EXTRA}</style>\n</head>\n<body>\n<main>", if lang == Lang::Zh { "zh-CN" } else { "en" }, E(title), E(r.project.name.get(lang)))?;
    writeln!(
        o,
        "<header class=\"cover\"><h1>{}</h1><p class=\"project\">{} <code>{}</code></p>",
        E(title),
        E(r.project.name.get(lang)),
        E(&r.project.code)
    )?;
    if r.project.illustrative {
        writeln!(
            o,
            "<p class=\"illustrative\"><strong>{}</strong>{}</p>",
            E(l(lang, "示例", "Illustrative")),
            E(l(
                lang,
                "本报告所述项目与单位均为虚构。",
                "The project and units in this report are fictional."
            ))
        )?;
    }
    writeln!(o, "<dl class=\"facts\">")?;
    for p in &r.parties {
        writeln!(
            o,
            "<dt>{}</dt><dd>{} <code>{}</code></dd>",
            E(p.role_name.get(lang)),
            E(p.unit.get(lang)),
            E(&p.role)
        )?;
    }
    writeln!(
        o,
        "<dt>{}</dt><dd><code>{}</code> · {}</dd>",
        E(l(lang, "评估", "Assessment")),
        E(&r.session.id),
        E(&r.session.created)
    )?;
    if let Some(s) = &r.session.supersedes {
        writeln!(
            o,
            "<dt>{}</dt><dd><code>{}</code></dd>",
            E(l(lang, "替代", "Supersedes")),
            E(s)
        )?;
    }
    writeln!(
        o,
        "<dt>{}</dt><dd>{} · {}</dd>",
        E(l(lang, "范围", "Scope")),
        E(&r.session.scope),
        E(&match lang {
            Lang::Zh => format!("第 {} 级", r.session.protection_level),
            Lang::En => format!("protection level {}", r.session.protection_level),
        })
    )?;
    writeln!(
        o,
        "<dt>{}</dt><dd>{} v{} <code>{}</code><br><span class=\"note\">{}</span></dd>",
        E(l(lang, "检查表", "Checklist")),
        E(r.checklist.title.get(lang)),
        r.checklist.version,
        E(&r.checklist.file),
        E(&r.checklist.hash)
    )?;
    writeln!(o, "<dt>{}</dt><dd><ul>", E(l(lang, "依据", "Basis")))?;
    for b in &r.checklist.basis {
        writeln!(o, "<li>{}</li>", E(b))?;
    }
    writeln!(
        o,
        "</ul></dd><dt>{}</dt><dd>{}</dd></dl></header>",
        E(l(lang, "签署", "Sign-off")),
        E(&sign_line(lang, r))
    )?;

    writeln!(
        o,
        "<section><h2>{}</h2><p>{} — {}</p>",
        E(l(lang, "评估方法", "Method")),
        E(if lang == Lang::Zh {
            &r.method.name
        } else {
            &r.method.name_en
        }),
        E(&calculation(lang, r))
    )?;
    for ((name, rows, cols), stage) in stages(lang).into_iter().zip(stage_list(r)) {
        writeln!(
            o,
            "<div class=\"keep\"><h3>{} <span class=\"muted\">({} × {})</span></h3>",
            E(name),
            E(rows),
            E(cols)
        )?;
        if let Some(m) = &stage.matrix {
            writeln!(o, "<table class=\"matrix\"><thead><tr><th></th><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th></tr></thead><tbody>")?;
            for (i, row) in m.iter().enumerate() {
                write!(o, "<tr><th>{}</th>", i + 1)?;
                for v in row {
                    write!(o, "<td>{v}</td>")?;
                }
                writeln!(o, "</tr>")?;
            }
            writeln!(o, "</tbody></table>")?;
        }
        let bands: Vec<String> = stage
            .bands
            .iter()
            .enumerate()
            .map(|(i, (lo, hi))| format!("{} = {lo}–{hi}", i + 1))
            .collect();
        writeln!(
            o,
            "<p class=\"note\">{}: {}</p></div>",
            E(l(lang, "分级", "Bands")),
            E(&bands.join(", "))
        )?;
    }
    writeln!(o, "</section>")?;

    let s = &r.summary;
    writeln!(
        o,
        "<section class=\"keep\"><h2>{}</h2><table>",
        E(l(lang, "结果汇总", "Summary"))
    )?;
    html_head(o, &summary_heads(lang), &[0, 1, 2, 3, 4, 5, 6])?;
    writeln!(o, "<tbody><tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tbody></table>", s.applicable, s.answered, s.conforming, s.partly, s.not_conforming, s.not_applicable, s.unconfirmed)?;
    writeln!(o, "<table>")?;
    html_head(o, &section_heads(lang), &[1, 2, 3])?;
    writeln!(o, "<tbody>")?;
    for sec in &r.sections {
        let p = &sec.progress;
        writeln!(o, "<tr><td>{}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}</td></tr>", E(sec.name.get(lang)), p.answered, p.applicable, p.not_conforming, p.partly, p.unconfirmed)?;
    }
    writeln!(o, "</tbody></table></section>")?;

    writeln!(
        o,
        "<section class=\"keep\"><h2>{}</h2><table class=\"heat\"><thead><tr><th>{}</th>",
        E(l(lang, "风险热力图", "Risk heat map")),
        E(l(lang, "可能性＼影响", "L \\ I"))
    )?;
    for i in 1..=5 {
        write!(o, "<th>{i}</th>")?;
    }
    writeln!(o, "</tr></thead><tbody>")?;
    for li in (0..5usize).rev() {
        write!(o, "<tr><th>{}</th>", li + 1)?;
        for (ii, n) in r.heat_map[li].iter().enumerate() {
            // The cell's colour is the risk level the method gives that pair of levels.
            let v = r
                .method
                .calculation
                .value(&r.method.risk, li as u8 + 1, ii as u8 + 1);
            let level = r.method.risk.level_of(v).unwrap_or(1);
            if *n == 0 {
                write!(o, "<td class=\"r{level} empty\">·</td>")?;
            } else {
                write!(o, "<td class=\"r{level}\">{n}</td>")?;
            }
        }
        writeln!(o, "</tr>")?;
    }
    writeln!(o, "</tbody></table><p class=\"note\">{}</p></section>", E(l(lang, "行：可能性；列：影响；颜色为该格的风险等级，数字为风险数。", "Rows: likelihood; columns: impact; the colour is the cell's risk level, the number counts risks.")))?;

    writeln!(
        o,
        "<section><h2>{}</h2>",
        E(l(lang, "风险登记表", "Risk register"))
    )?;
    if r.register.is_empty() {
        writeln!(o, "<p>{}</p>", E(l(lang, "无风险。", "No risks.")))?;
    } else {
        writeln!(o, "<table>")?;
        html_head(o, &register_heads(lang), &[3, 4, 8])?;
        writeln!(o, "<tbody>")?;
        for g in &r.register {
            writeln!(o, "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}/{}/{}</td><td class=\"num\">{}/{}</td><td class=\"lv l{}\">{} {}</td><td>{}</td><td>{} {}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                E(&g.item), E(g.asset.get(lang)), E(g.threat.get(lang)), g.asset_value, g.threat_frequency, g.severity, g.likelihood, g.impact, g.level, g.level, E(g.level_name.get(lang)),
                E(g.treatment.map_or("—", |t| t.name(lang))), E(&g.owner), g.due.map(|d| d.to_string()).unwrap_or_default(),
                g.residual.map(|x| x.to_string()).unwrap_or_else(|| "—".into()), E(&g.approver))?;
        }
        writeln!(o, "</tbody></table>")?;
    }
    writeln!(o, "</section>")?;

    writeln!(
        o,
        "<section><h2>{}</h2>",
        E(l(lang, "不符合项", "Non-conforming items"))
    )?;
    if r.nonconforming.is_empty() {
        writeln!(o, "<p>{}</p>", E(l(lang, "无。", "None.")))?;
    }
    for it in &r.nonconforming {
        writeln!(
            o,
            "<div class=\"keep\"><h3><code>{}</code> {}</h3><dl class=\"facts\">",
            E(&it.item),
            E(it.question.get(lang))
        )?;
        writeln!(
            o,
            "<dt>{}</dt><dd>{} · {}</dd>",
            E(l(lang, "部分", "Section")),
            E(it.section.get(lang)),
            E(&it.clauses.join("; "))
        )?;
        writeln!(
            o,
            "<dt>{}</dt><dd><strong>{}</strong> ({}) — {} ({}), {}</dd>",
            E(l(lang, "答复", "Answer")),
            E(it.answer.get(lang)),
            E(meaning(lang, it.meaning)),
            E(&it.person),
            E(it.role_name.get(lang)),
            E(&it.time)
        )?;
        if !it.note.is_empty() {
            writeln!(
                o,
                "<dt>{}</dt><dd>{}</dd>",
                E(l(lang, "说明", "Note")),
                E(&it.note)
            )?;
        }
        if let Some(d) = &it.derived {
            writeln!(
                o,
                "<dt>{}</dt><dd>{}</dd>",
                E(l(lang, "数据来源", "From data")),
                E(d.get(lang))
            )?;
        }
        if let Some(c) = &it.confirmed_by_name {
            writeln!(
                o,
                "<dt>{}</dt><dd>{}</dd>",
                E(l(lang, "确认", "Confirmed by")),
                E(c.get(lang))
            )?;
        }
        for e in &it.evidence {
            writeln!(
                o,
                "<dt>{}</dt><dd><code>{}</code> <span class=\"note\">{}</span></dd>",
                E(l(lang, "证据", "Evidence")),
                E(&e.path),
                E(&e.hash)
            )?;
        }
        writeln!(o, "</dl></div>")?;
    }
    writeln!(o, "</section>")?;

    writeln!(o, "<section class=\"keep\"><h2>{}</h2><p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>", E(l(lang, "签署", "Signatures")), E(&sign_line(lang, r)), E(l(lang, "单位", "Unit")), E(l(lang, "密钥", "Key id")), E(l(lang, "账本位置", "Ledger seq")), E(l(lang, "时间", "Time")))?;
    for p in &r.parties {
        match r.signoff.signatures().iter().find(|s| s.unit == p.role) {
            Some(s) => writeln!(
                o,
                "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>",
                E(p.unit.get(lang)),
                E(&s.key_id),
                E(&s.seq),
                E(&s.time)
            )?,
            None => writeln!(
                o,
                "<tr><td>{}</td><td class=\"muted\">{}</td><td></td><td></td></tr>",
                E(p.unit.get(lang)),
                E(l(lang, "待签署", "awaiting"))
            )?,
        }
    }
    writeln!(o, "</tbody></table></section>\n</main>\n</body>\n</html>")?;
    let _ = matches!(r.signoff, SignState::Open);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::session::{Given, Session};
    use crate::assessment::Checklist;
    use std::path::Path;

    /// A report on a workspace and an answer whose texts try to break out of Markdown and HTML.
    fn hostile() -> Report {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("anbao.toml"),
            "[project]\nname = \"<script>alert(1)</script> | 项目\"\ncode = \"X&Y\"\n\n\
             [units.implementing]\nname = \"实施\"\n\n[units.construction]\nname = \"建设\"\n",
        )
        .unwrap();
        let ws = crate::workspace::Workspace::open(dir.path()).unwrap();
        let cl = Checklist::parse(
            Path::new("minimal.toml"),
            include_str!("../../tests/fixtures/assess/minimal.toml"),
        )
        .unwrap();
        let mut s = Session::new(
            &cl,
            "m.toml".into(),
            "s".into(),
            3,
            "a|b".into(),
            "t".into(),
        );
        s.answer(
            &cl,
            Given {
                item: "T-01".into(),
                answer: "no".into(),
                role: "construction".into(),
                person: "<b>李</b>".into(),
                note: "line one\nline | two <img src=x>".into(),
                evidence: Vec::new(),
                derived: None,
            },
            "t".into(),
        )
        .unwrap();
        crate::assessment::report::build(&ws, &cl, &s, SignState::Open)
    }

    #[test]
    fn html_escapes_every_text_from_the_workspace() {
        for lang in [Lang::Zh, Lang::En] {
            let html = html(&hostile(), lang);
            assert!(
                !html.contains("<script>") && !html.contains("<img") && !html.contains("<b>李")
            );
            assert!(html.contains("&lt;script&gt;") && html.contains("X&amp;Y"));
            // The heat map has the risk of T-01 in its cell: L4, I4 → one count.
            assert!(html.contains("<td class=\"r4\">1</td>"), "{html}");
        }
    }

    #[test]
    fn markdown_cells_stay_on_one_line_with_pipes_escaped() {
        let md = markdown(&hostile(), Lang::En);
        assert!(md.contains("line one line \\| two"), "{md}");
        assert!(md.contains("| 4 | · | · | · | 1 | · |"), "{md}");
        assert!(md.contains("| 实施 | awaiting | | |"), "{md}");
        assert!(md.contains("- Sign-off: not signed"), "{md}");
    }
}
