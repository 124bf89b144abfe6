//! The Acceptance screen: the verdict summary, the filter line, the table of components, the
//! filing deadlines and a component's detail with its reasons, evidence and dependency paths.

use super::acceptance::AcceptanceState;
use super::app::App;
use super::view::*;
use crate::i18n::Lang;
use crate::policy::Verdict;
use crate::report::labels;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

pub(super) fn draw_acceptance(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    a: &AcceptanceState,
    area: Rect,
) {
    let dl = deadlines_height(app.size);
    let [summary, filter, table, deadlines] = Layout::vertical([
        Constraint::Length(SUMMARY_HEIGHT),
        Constraint::Length(FILTER_HEIGHT),
        Constraint::Fill(1),
        Constraint::Length(dl),
    ])
    .areas(area);
    let r = &a.report;
    let l = app.lang;
    let verdict_style = match r.verdict.state {
        Verdict::Pass => theme.fg(Color::Green),
        _ => theme.fg(Color::Red),
    }
    .add_modifier(Modifier::BOLD);
    let project = match (l, &r.project.name_en) {
        (Lang::En, Some(en)) => en.as_str(),
        _ => r.project.name.as_str(),
    };
    // The headline must fit 80 columns in both languages, so it is built from the counts.
    // The gaps by code (`anbao explain CODE`), so an empty table says why it is empty.
    let gaps: Vec<&str> = r.verdict.gaps.iter().map(|c| c.as_str()).collect();
    let gaps = gaps.join(", ");
    let vulnerable = r
        .findings
        .iter()
        .filter(|f| f.code.is_vulnerability() && f.waived_by.is_none())
        .filter(|f| f.level == crate::inventory::Level::Deny)
        .count();
    let headline = match (r.verdict.state, l) {
        (Verdict::Pass, Lang::Zh) => "✓ 满足关键产品安全可控要求".to_string(),
        (Verdict::Pass, Lang::En) => "✓ Meets the controllable-procurement requirement".to_string(),
        (Verdict::Fail, Lang::Zh) => format!(
            "✗ 不满足安全可控要求 · 不通过 {} · 证据不足 {}{}",
            r.verdict.failing,
            r.verdict.insufficient,
            match vulnerable {
                0 => String::new(),
                n => format!(" · 已知漏洞 {n}"),
            }
        ),
        (Verdict::Fail, Lang::En) => format!(
            "✗ Requirement not met · {} fail · {} lack evidence{}",
            r.verdict.failing,
            r.verdict.insufficient,
            match vulnerable {
                0 => String::new(),
                n => format!(" · {n} known vuln."),
            }
        ),
        (_, Lang::Zh) => format!(
            "? 证据不足，不能认定满足要求 · 证据不足 {} · {gaps}",
            r.verdict.insufficient
        ),
        (_, Lang::En) => format!(
            "? Insufficient evidence · {} lack evidence · {gaps}",
            r.verdict.insufficient
        ),
    };
    let lines = vec![
        Line::styled(headline, verdict_style),
        Line::from(vec![
            Span::styled(project.to_string(), theme.bold()),
            Span::styled(
                format!(
                    "  {}  {} {}",
                    r.project.code,
                    pick(l, "核验日期", "as of"),
                    r.as_of
                ),
                theme.dim(),
            ),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), summary);

    let any = |s: Option<String>| s.unwrap_or_else(|| pick(l, "全部", "all").to_string());
    let filter_text = if a.filter.is_empty() && !a.filter_editing {
        pick(l, "（按 / 输入）", "(press /)").to_string()
    } else {
        a.filter.clone()
    };
    let cursor = if a.filter_editing { "▏" } else { "" };
    let line = Line::from(vec![
        Span::styled(pick(l, "筛选 ", "Filter "), theme.bold()),
        Span::raw(format!("{filter_text}{cursor}  ")),
        Span::styled(pick(l, "结论 ", "verdict "), theme.bold()),
        Span::raw(format!(
            "{}  ",
            any(a.verdict_filter.map(|v| labels::verdict(l, v).to_string()))
        )),
        Span::styled(pick(l, "类别 ", "category "), theme.bold()),
        Span::raw(format!(
            "{}  ",
            any(a
                .category_filter
                .map(|i| r.categories[i].name.get(l).to_string()))
        )),
        Span::styled(pick(l, "漏洞 ", "vulns "), theme.bold()),
        Span::raw(format!(
            "{}  ",
            any(a.vuln_filter.map(|v| v.label(l).to_string()))
        )),
        Span::styled(
            format!("{}/{}", a.visible.len(), r.components.len()),
            theme.dim(),
        ),
    ]);
    frame.render_widget(line, filter);

    match &a.detail {
        Some(_) => draw_detail(
            frame,
            app,
            theme,
            a,
            Rect {
                height: table.height + deadlines.height,
                ..table
            },
        ),
        None => {
            draw_table(frame, app, theme, a, table);
            draw_deadlines(frame, app, theme, a, deadlines);
        }
    }
}

fn category_name<'a>(r: &'a crate::acceptance::Report, id: Option<&str>, l: Lang) -> &'a str {
    match id.and_then(|id| r.categories.iter().find(|c| c.id == id)) {
        Some(c) => c.name.get(l),
        None => pick(l, "未分类", "unclassified"),
    }
}

fn draw_table(frame: &mut Frame, app: &App, theme: &Theme, a: &AcceptanceState, area: Rect) {
    let l = app.lang;
    let r = &a.report;
    if a.visible.is_empty() && !r.components.is_empty() {
        let text = pick(
            l,
            "没有符合筛选条件的组件（按 x 清除筛选）",
            "No component matches the filters (x clears them)",
        );
        frame.render_widget(Paragraph::new(text).style(theme.dim()), area);
        return;
    }
    let rows_fit = usize::from(area.height.saturating_sub(1));
    let widths = [
        Constraint::Length(12),
        Constraint::Fill(3),
        Constraint::Length(12),
        Constraint::Fill(2),
        Constraint::Fill(2),
    ];
    // Every cell cut to its column with an ellipsis, so a cut name says it was cut.
    let columns = super::text::column_widths(area.width, &widths, 1);
    let cut = |i: usize, text: &str| super::text::fit(text, columns[i]);
    let rows = a
        .visible
        .iter()
        .enumerate()
        .skip(a.offset)
        .take(rows_fit)
        .map(|(pos, &i)| {
            count_formatted();
            let c = &r.components[i];
            let style = if pos == a.selected {
                theme.selected()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(Span::styled(
                    cut(0, labels::verdict_short(l, c.verdict)),
                    theme.verdict(c.verdict),
                )),
                Cell::from(cut(1, &c.name)),
                Cell::from(cut(2, c.version.as_deref().unwrap_or(""))),
                Cell::from(cut(3, category_name(r, c.category.as_deref(), l))),
                Cell::from(cut(
                    4,
                    c.manufacturer
                        .as_deref()
                        .or(c.supplier.as_deref())
                        .unwrap_or(""),
                )),
            ])
            .style(style)
        });
    let header = Row::new(
        [
            pick(l, "结论", "Verdict"),
            pick(l, "名称", "Name"),
            pick(l, "版本", "Version"),
            pick(l, "类别", "Category"),
            pick(l, "厂商/供应商", "Maker/supplier"),
        ]
        .iter()
        .enumerate()
        .map(|(i, h)| cut(i, h))
        .collect::<Vec<_>>(),
    )
    .style(theme.bold());
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn draw_deadlines(frame: &mut Frame, app: &App, theme: &Theme, a: &AcceptanceState, area: Rect) {
    if area.height == 0 {
        return;
    }
    let l = app.lang;
    let mut lines = vec![Line::styled(
        pick(l, "备案期限", "Filing deadlines"),
        theme.bold(),
    )];
    let width = a
        .report
        .deadlines
        .iter()
        .map(|d| unicode_width::UnicodeWidthStr::width(d.title.get(l)))
        .max()
        .unwrap_or(0);
    for d in &a.report.deadlines {
        let style = match labels::deadline_ok(d) {
            Some(true) => theme.fg(Color::Green),
            Some(false) => theme.fg(Color::Red),
            None => theme.fg(Color::Yellow),
        };
        let title = d.title.get(l);
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(title));
        lines.push(Line::from(vec![
            Span::raw(format!(" {title}{} ", " ".repeat(pad))),
            Span::styled(labels::deadline_status(l, d), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_detail(frame: &mut Frame, app: &App, theme: &Theme, a: &AcceptanceState, area: Rect) {
    let Some(d) = &a.detail else { return };
    let l = app.lang;
    let r = &a.report;
    let c = &r.components[d.row];
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} ", labels::verdict(l, c.verdict)),
            theme.verdict(c.verdict),
        ),
        Span::styled(c.component.to_string(), theme.bold()),
    ]));
    let how = match &c.classification {
        Some(crate::policy::evaluate::Classification::Rule { rule }) => {
            format!("{} {rule}", pick(l, "规则", "rule"))
        }
        Some(crate::policy::evaluate::Classification::Override { rule, reason }) => {
            format!("{} {rule}: {reason}", pick(l, "指定", "override"))
        }
        Some(crate::policy::evaluate::Classification::Inherited { from, .. }) => {
            format!(
                "{} {}",
                pick(l, "继承自", "inherited from"),
                r.components[*from].component
            )
        }
        None => String::new(),
    };
    lines.push(Line::styled(
        format!(
            "{}: {}  {how}",
            pick(l, "类别", "Category"),
            category_name(r, c.category.as_deref(), l)
        ),
        theme.dim(),
    ));
    let maker = [
        (pick(l, "制造商", "Manufacturer"), c.manufacturer_text(l)),
        (pick(l, "供应商", "Supplier"), c.supplier.clone()),
        (pick(l, "硬件类别", "Hardware class"), c.class_text(l)),
    ];
    for (label, value) in maker {
        if let Some(v) = value {
            lines.push(Line::raw(format!("{label}: {v}")));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(pick(l, "问题", "Findings"), theme.bold()));
    if c.findings.is_empty() && d.inventory_findings.is_empty() {
        lines.push(Line::raw(pick(l, "  无", "  none")));
    }
    let level_style = |level| match level {
        crate::inventory::Level::Deny => theme.fg(Color::Red),
        crate::inventory::Level::Warn => theme.fg(Color::Yellow),
        crate::inventory::Level::Info => theme.dim(),
    };
    for &i in &c.findings {
        let f = &r.findings[i];
        let level_style = level_style(f.level);
        let mut spans = vec![
            Span::styled(format!("  {} ", labels::level(l, f.level)), level_style),
            Span::styled(format!("{} ", f.code), theme.bold()),
            Span::raw(f.message.get(l).to_string()),
        ];
        if let Some(w) = &f.waived_by {
            spans.push(Span::styled(
                format!(" [{} {w}]", pick(l, "已豁免", "waived")),
                theme.dim(),
            ));
        }
        lines.push(Line::from(spans));
        lines.push(Line::styled(format!("      {}", f.rule), theme.dim()));
    }
    let view = crate::report::view::View::new(r, l);
    for f in d
        .inventory_findings
        .iter()
        .map(|&i| &r.inventory_findings[i])
    {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} ", labels::level(l, f.level)),
                level_style(f.level),
            ),
            Span::styled(format!("{} ", f.code), theme.bold()),
            Span::raw(f.message.get(l).to_string()),
        ]));
        let at = format!("      {} {}", view.path(&f.file), f.location);
        lines.push(Line::styled(at.trim_end().to_string(), theme.dim()));
    }
    lines.extend(super::vuln_view::detail_lines(r, c.id, l, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(pick(l, "证据", "Evidence"), theme.bold()));
    if c.evidence.is_empty() {
        lines.push(Line::raw(pick(l, "  无", "  none")));
    }
    for e in &c.evidence {
        lines.push(Line::from(vec![
            Span::styled(format!("  [{}] ", e.family.label(l)), theme.dim()),
            Span::raw(e.text.get(l).to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        pick(
            l,
            "引入路径（自产品根）",
            "Inclusion paths (from the product root)",
        ),
        theme.bold(),
    ));
    if d.paths.is_empty() {
        lines.push(Line::raw(pick(
            l,
            "  无法从任何根到达",
            "  not reachable from any root",
        )));
    }
    lines.extend(
        path_tree(&d.paths)
            .into_iter()
            .map(|s| Line::raw(format!("  {s}"))),
    );
    if d.truncated {
        lines.push(Line::styled(
            pick(l, "  ……还有更多路径", "  … more paths exist"),
            theme.dim(),
        ));
    }
    let block = Block::default().borders(Borders::TOP).title(pick(
        l,
        " 组件详情 · Esc 返回 ",
        " Component · Esc back ",
    ));
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        area,
    );
}

/// Draws root-first paths as one tree: shared beginnings once, branches with box lines.
fn path_tree(paths: &[Vec<String>]) -> Vec<String> {
    #[derive(Default)]
    struct Node {
        children: Vec<(String, Node)>,
    }
    let mut root = Node::default();
    for path in paths {
        let mut node = &mut root;
        for step in path {
            let at = match node.children.iter().position(|(n, _)| n == step) {
                Some(i) => i,
                None => {
                    node.children.push((step.clone(), Node::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[at].1;
        }
    }
    fn walk(node: &Node, prefix: &str, top: bool, out: &mut Vec<String>) {
        for (i, (name, child)) in node.children.iter().enumerate() {
            let last = i + 1 == node.children.len();
            if top {
                out.push(name.clone());
                walk(child, "", false, out);
            } else {
                out.push(format!(
                    "{prefix}{}{name}",
                    if last { "└─ " } else { "├─ " }
                ));
                walk(
                    child,
                    &format!("{prefix}{}", if last { "   " } else { "│  " }),
                    false,
                    out,
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(&root, "", true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_share_their_beginnings_in_the_tree() {
        let paths = vec![
            vec!["app".to_string(), "a".to_string(), "x".to_string()],
            vec!["app".to_string(), "b".to_string(), "x".to_string()],
        ];
        assert_eq!(
            path_tree(&paths),
            ["app", "├─ a", "│  └─ x", "└─ b", "   └─ x"]
        );
    }
}
