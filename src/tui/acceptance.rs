//! The acceptance screen's state: the check's report, the filtered component table, and the
//! component opened in detail.

use super::app::Action;
use crate::acceptance::Report;
use crate::inventory::Inventory;
use crate::policy::Verdict;

/// The component whose findings, evidence and inclusion paths are shown.
#[derive(Debug)]
pub struct Detail {
    /// Index into `report.components`.
    pub row: usize,
    /// Inclusion paths from a product root, root first, as `name@version`.
    pub paths: Vec<Vec<String>>,
    pub truncated: bool,
    /// The inventory's own findings about this component (indices into
    /// `report.inventory_findings`): a missing version, an unreadable value ...
    pub inventory_findings: Vec<usize>,
    pub scroll: u16,
}

#[derive(Debug)]
pub struct AcceptanceState {
    pub report: Report,
    pub inventory: Inventory,
    /// Lower-cased text searched by the filter, one per component row.
    haystacks: Vec<String>,
    pub filter: String,
    pub filter_editing: bool,
    pub verdict_filter: Option<Verdict>,
    /// Index into `report.categories`.
    pub category_filter: Option<usize>,
    pub vuln_filter: Option<VulnFilter>,
    /// Per component row: 0 no known vulnerability, 1 only settled ones, 2 an unresolved one.
    vuln_rows: Vec<u8>,
    /// Rows of `report.components` that pass the filters, worst verdict first.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First position of `visible` on screen.
    pub offset: usize,
    pub detail: Option<Detail>,
}

/// Most paths the detail view computes; the tree says when there are more.
const MAX_PATHS: usize = 50;

impl AcceptanceState {
    pub fn new(report: Report, inventory: Inventory) -> AcceptanceState {
        // Vulnerability ids are searchable too: `/cve-2024-4367` finds the components.
        let mut ids: Vec<String> = vec![String::new(); report.components.len()];
        for m in &report.vulnerabilities.matches {
            if let Some(s) = ids.get_mut(m.component) {
                s.push(' ');
                s.push_str(&m.id);
                for a in &m.aliases {
                    s.push(' ');
                    s.push_str(a);
                }
            }
        }
        let haystacks = report
            .components
            .iter()
            .zip(&ids)
            .map(|(c, ids)| {
                format!(
                    "{} {} {} {}{ids}",
                    c.component,
                    c.category.as_deref().unwrap_or(""),
                    c.supplier.as_deref().unwrap_or(""),
                    c.manufacturer.as_deref().unwrap_or("")
                )
                .to_lowercase()
            })
            .collect();
        let vuln_rows = vulnerability_rows(&report);
        let mut s = AcceptanceState {
            report,
            inventory,
            haystacks,
            filter: String::new(),
            filter_editing: false,
            verdict_filter: None,
            category_filter: None,
            vuln_filter: None,
            vuln_rows,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            detail: None,
        };
        s.refilter();
        s
    }

    /// Recomputes the visible rows after a filter changed, keeping the selection in range.
    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        let category = self
            .category_filter
            .map(|i| self.report.categories[i].id.as_str());
        let mut visible: Vec<usize> = (0..self.report.components.len())
            .filter(|&i| {
                let c = &self.report.components[i];
                (needle.is_empty() || self.haystacks[i].contains(&needle))
                    && self.verdict_filter.is_none_or(|v| c.verdict == v)
                    && category.is_none_or(|cat| c.category.as_deref() == Some(cat))
                    && self.vuln_filter.is_none_or(|v| match v {
                        VulnFilter::Unresolved => self.vuln_rows[i] == 2,
                        VulnFilter::Any => self.vuln_rows[i] > 0,
                    })
            })
            .collect();
        let rows = &self.report.components;
        visible.sort_by(|&a, &b| {
            rows[b]
                .verdict
                .cmp(&rows[a].verdict)
                .then_with(|| rows[a].component.cmp(&rows[b].component))
        });
        self.visible = visible;
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    /// The selected row of `report.components`, if any is visible.
    pub fn selected_row(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Scrolls so the selection is on screen, given how many table rows fit.
    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // A taller window shows more rows above rather than blank lines below.
        self.offset = self.offset.min(self.visible.len().saturating_sub(rows));
    }

    fn move_by(&mut self, delta: isize, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.keep_visible(rows);
    }

    fn open(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let id = self.report.components[row].id;
        let found = self.inventory.inclusion_paths(id, MAX_PATHS);
        let name = |i: usize| self.inventory.components[i].display_id();
        let shown = self.inventory.components[id].display_id();
        let inventory_findings = (self.report.inventory_findings.iter().enumerate())
            .filter(|(_, f)| f.component.as_deref() == Some(shown.as_str()))
            .map(|(i, _)| i)
            .collect();
        self.detail = Some(Detail {
            row,
            paths: found
                .paths
                .iter()
                .map(|p| p.iter().map(|&i| name(i)).collect())
                .collect(),
            truncated: found.truncated,
            inventory_findings,
            scroll: 0,
        });
    }

    /// Applies a screen action; `rows` table rows fit on screen, the first at terminal row `top`.
    pub fn handle(&mut self, action: Action, rows: usize, top: u16) {
        if let Some(d) = &mut self.detail {
            if super::app::scroll_detail(&mut d.scroll, &action, rows) {
                self.detail = None;
            }
            return;
        }
        let page = rows.max(1) as isize;
        match action {
            Action::Up => self.move_by(-1, rows),
            Action::Down => self.move_by(1, rows),
            Action::PageUp => self.move_by(-page, rows),
            Action::PageDown => self.move_by(page, rows),
            Action::Home => self.move_by(isize::MIN / 2, rows),
            Action::End => self.move_by(isize::MAX / 2, rows),
            Action::Open => self.open(),
            Action::StartFilter => self.filter_editing = true,
            Action::FilterChar(c) => {
                self.filter.push(c);
                self.refilter();
            }
            Action::FilterBackspace => {
                self.filter.pop();
                self.refilter();
            }
            Action::FilterDone => self.filter_editing = false,
            Action::Back if self.filter_editing => self.filter_editing = false,
            Action::Back | Action::ClearFilters => {
                self.filter.clear();
                self.filter_editing = false;
                self.verdict_filter = None;
                self.category_filter = None;
                self.vuln_filter = None;
                self.refilter();
            }
            Action::CycleVerdictFilter => {
                self.verdict_filter = match self.verdict_filter {
                    None => Some(Verdict::Fail),
                    Some(Verdict::Fail) => Some(Verdict::InsufficientEvidence),
                    Some(Verdict::InsufficientEvidence) => Some(Verdict::Warn),
                    Some(Verdict::Warn) => Some(Verdict::Pass),
                    Some(Verdict::Pass) => Some(Verdict::NotApplicable),
                    Some(Verdict::NotApplicable) => None,
                };
                self.refilter();
            }
            Action::CycleCategoryFilter => {
                let n = self.report.categories.len();
                self.category_filter = match self.category_filter {
                    None if n > 0 => Some(0),
                    Some(i) if i + 1 < n => Some(i + 1),
                    _ => None,
                };
                self.refilter();
            }
            Action::CycleVulnFilter => {
                self.vuln_filter = match self.vuln_filter {
                    None => Some(VulnFilter::Unresolved),
                    Some(VulnFilter::Unresolved) => Some(VulnFilter::Any),
                    Some(VulnFilter::Any) => None,
                };
                self.refilter();
            }
            Action::Click(row) if row >= top => {
                let at = self.offset + usize::from(row - top);
                if at < self.visible.len() {
                    if at == self.selected {
                        self.open();
                    } else {
                        self.selected = at;
                    }
                }
            }
            _ => {}
        }
    }
}

/// The Acceptance screen's filter on known vulnerabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VulnFilter {
    /// Components with a known vulnerability no statement settles.
    Unresolved,
    /// Components with any known vulnerability.
    Any,
}

impl VulnFilter {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match (self, lang) {
            (VulnFilter::Unresolved, crate::i18n::Lang::Zh) => "未处理",
            (VulnFilter::Unresolved, crate::i18n::Lang::En) => "unresolved",
            (VulnFilter::Any, crate::i18n::Lang::Zh) => "有漏洞",
            (VulnFilter::Any, crate::i18n::Lang::En) => "any",
        }
    }
}

/// Each component row's standing as to known vulnerabilities.
fn vulnerability_rows(report: &Report) -> Vec<u8> {
    let mut rows = vec![0u8; report.components.len()];
    for m in &report.vulnerabilities.matches {
        if let Some(r) = rows.get_mut(m.component) {
            *r = (*r).max(if m.resolved() { 1 } else { 2 });
        }
    }
    rows
}
