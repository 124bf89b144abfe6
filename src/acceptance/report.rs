//! The acceptance report: everything a team files, as one serialisable value. Renderers (text,
//! JSON, Markdown, HTML, SARIF) only present it; names are resolved here so they need nothing
//! else.

use super::deadlines::Deadline;
use crate::i18n::Bilingual;
use crate::inventory::discover::NotRead;
use crate::inventory::{self, Inventory};
use crate::policy::evaluate::{Classification, Counts, Evaluation, Evidence, Verdict};
use crate::policy::{Catalog, Check, Code, Policy, Waiver};
use crate::workspace::Manifest;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

pub const SCHEMA: &str = "anbao.check/2";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// The anbao version that computed it.
    pub generator: String,
    pub as_of: NaiveDate,
    pub project: ProjectInfo,
    pub units: UnitsInfo,
    pub policy: PolicyInfo,
    pub catalogs: Vec<CatalogInfo>,
    pub verdict: ProjectVerdict,
    pub categories: Vec<CategoryRow>,
    pub components: Vec<ComponentRow>,
    pub findings: Vec<FindingRow>,
    pub waivers: Vec<WaiverRow>,
    pub deadlines: Vec<Deadline>,
    pub inputs: Vec<InputFile>,
    /// Files found in the inventory folders and not read, each with the reason.
    pub not_read: Vec<NotRead>,
    pub inventory_findings: Vec<inventory::Finding>,
    /// The known-vulnerability assessment behind the `known-vulnerability` findings: the
    /// database and its age, counts, and every match with its VEX state.
    pub vulnerabilities: crate::vuln::Assessment,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectInfo {
    pub name: String,
    pub name_en: Option<String>,
    pub code: String,
    pub illustrative: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitsInfo {
    pub implementing: String,
    pub construction: String,
    pub supervision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub title_en: Option<String>,
    pub basis: Vec<String>,
    pub file: PathBuf,
    pub illustrative: bool,
    pub rules: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogInfo {
    pub file: PathBuf,
    pub title: String,
    pub illustrative: bool,
    pub entries: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectVerdict {
    /// `pass` (the project meets the requirement), `fail` (a blocking product fails), or
    /// `insufficient-evidence` (nothing fails, but a blocking product lacks evidence or the
    /// inventories have a gap: no component, no key product, a declared category empty, a file
    /// not read).
    pub state: Verdict,
    /// Whether the project meets the controllable-procurement requirement: `state` is `pass`.
    pub meets: bool,
    /// Blocking products that fail.
    pub failing: usize,
    /// Blocking (or unclassified key-looking) products that lack evidence.
    pub insufficient: usize,
    /// Gaps in the inventories (finding codes such as `no-components`), each once.
    pub gaps: Vec<Code>,
    pub summary: Bilingual,
    /// One line per blocking product that fails or lacks evidence, and per other blocker.
    pub reasons: Vec<Bilingual>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    pub id: String,
    pub name: Bilingual,
    pub key: bool,
    pub blocking: bool,
    pub verdict: Verdict,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentRow {
    pub id: usize,
    /// `name@version`.
    pub component: Arc<str>,
    pub name: String,
    pub version: Option<String>,
    #[serde(rename = "type")]
    pub kind: inventory::ComponentType,
    pub category: Option<Arc<str>>,
    pub classification: Option<Classification>,
    pub supplier: Option<String>,
    pub manufacturer: Option<String>,
    /// What the inventory wrote where the manufacturer's name was resolved from an id
    /// (`GenuineIntel`, PCI vendor `0x1af4`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_written: Option<inventory::NameSource>,
    /// The device's class, where the inventory states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware_class: Option<inventory::device::HardwareClass>,
    pub verdict: Verdict,
    pub evidence: Vec<Evidence>,
    /// Indices into `findings`.
    pub findings: Vec<usize>,
}

impl ComponentRow {
    /// The manufacturer as the reports show it: the resolved name, and what was written where
    /// that was an id.
    pub fn manufacturer_text(&self, lang: crate::i18n::Lang) -> Option<String> {
        let name = self.manufacturer.as_deref()?;
        Some(match &self.manufacturer_written {
            Some(w) => match lang {
                crate::i18n::Lang::Zh => {
                    format!("{name}（原文 {} {}）", w.scheme.as_str(), w.written)
                }
                crate::i18n::Lang::En => {
                    format!("{name} (written {} {})", w.scheme.as_str(), w.written)
                }
            },
            None => name.to_string(),
        })
    }

    /// The hardware class, with what the inventory stated where that reads differently.
    pub fn class_text(&self, lang: crate::i18n::Lang) -> Option<String> {
        let class = self.hardware_class.as_ref()?;
        Some(if class.stated.eq_ignore_ascii_case(&class.class) {
            class.class.clone()
        } else {
            match lang {
                crate::i18n::Lang::Zh => format!("{}（原文 {}）", class.class, class.stated),
                crate::i18n::Lang::En => format!("{} (stated {})", class.class, class.stated),
            }
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub code: Code,
    pub level: inventory::Level,
    /// `name@version` of the component, where the finding is about one.
    pub component: Option<Arc<str>>,
    pub component_id: Option<usize>,
    pub category: Option<Arc<str>>,
    pub check: Option<Check>,
    pub message: Bilingual,
    pub rule: Arc<str>,
    pub paths: Vec<Vec<Arc<str>>>,
    pub waived_by: Option<Arc<str>>,
    /// The advisory id of a known-vulnerability finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<Arc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverStatus {
    Used,
    Unused,
    Expired,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub component: String,
    pub code: Code,
    pub reason: String,
    pub approver: String,
    pub expires: NaiveDate,
    pub rule: String,
    pub status: WaiverStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub path: PathBuf,
    /// inventory, policy, catalog, waivers or calendar.
    pub role: &'static str,
    pub sha256: String,
}

/// Everything [`build`] needs.
pub struct Parts<'a> {
    pub manifest: &'a Manifest,
    pub inventory: &'a Inventory,
    pub policy: &'a Policy,
    pub catalog: &'a Catalog,
    pub waivers: &'a [Waiver],
    /// Taken, not borrowed: its texts move into the report instead of being copied.
    pub evaluation: Evaluation,
    pub deadlines: Vec<Deadline>,
    pub inputs: Vec<InputFile>,
    pub not_read: Vec<NotRead>,
    pub vulnerabilities: crate::vuln::Assessment,
}

impl Report {
    /// A copy without the per-component rows and findings: the verdict, headers and deadlines,
    /// for a reader that needs only those (copying a 50,000-component report takes long).
    pub fn summary(&self) -> Report {
        Report {
            schema: self.schema,
            generator: self.generator.clone(),
            as_of: self.as_of,
            project: self.project.clone(),
            units: self.units.clone(),
            policy: self.policy.clone(),
            catalogs: self.catalogs.clone(),
            verdict: self.verdict.clone(),
            categories: self.categories.clone(),
            components: Vec::new(),
            findings: Vec::new(),
            waivers: self.waivers.clone(),
            deadlines: self.deadlines.clone(),
            inputs: self.inputs.clone(),
            not_read: self.not_read.clone(),
            inventory_findings: Vec::new(),
            vulnerabilities: crate::vuln::Assessment {
                matches: Vec::new(),
                ..self.vulnerabilities.clone()
            },
        }
    }
}

pub fn build(p: Parts<'_>) -> Report {
    let inv = p.inventory;
    let mut evaluation = p.evaluation;
    // Every name once, shared: paths repeat the same few hundred products thousands of times.
    let names: Vec<Arc<str>> = inv
        .components
        .par_iter()
        .map(|c| Arc::from(c.display_id()))
        .collect();
    let category_ids: Vec<Arc<str>> = p
        .policy
        .categories
        .iter()
        .map(|c| Arc::from(c.id.as_str()))
        .collect();
    let category_id = |cat: Option<usize>| cat.map(|c| category_ids[c].clone());
    let eval_components = &evaluation.components;
    let findings: Vec<FindingRow> = std::mem::take(&mut evaluation.findings)
        .into_par_iter()
        .map(|f| FindingRow {
            code: f.code,
            level: f.level,
            component: f.component.map(|id| names[id].clone()),
            component_id: f.component,
            category: f
                .component
                .and_then(|id| category_id(eval_components[id].category)),
            check: f.check,
            message: f.message,
            rule: f.rule,
            paths: f
                .paths
                .iter()
                .map(|path| path.iter().map(|&i| names[i].clone()).collect())
                .collect(),
            waived_by: f.waived_by,
            vulnerability: f.vulnerability,
        })
        .collect();
    let components: Vec<ComponentRow> = evaluation
        .components
        .par_iter_mut()
        .map(|r| {
            let c = &inv.components[r.id];
            ComponentRow {
                id: r.id,
                component: names[r.id].clone(),
                name: c.full_name(),
                version: c.version.clone(),
                kind: c.kind.clone(),
                category: category_id(r.category),
                classification: r.classification.take(),
                supplier: c.supplier.as_ref().map(|s| s.name.clone()),
                manufacturer: c.manufacturer.as_ref().map(|s| s.name.clone()),
                manufacturer_written: c
                    .manufacturer
                    .as_ref()
                    .and_then(|m| m.resolved_from.as_deref().cloned()),
                hardware_class: c.hardware.class.clone(),
                verdict: r.verdict,
                evidence: std::mem::take(&mut r.evidence),
                findings: std::mem::take(&mut r.findings),
            }
        })
        .collect();
    let evaluation = &evaluation;
    let categories = evaluation
        .categories
        .iter()
        .map(|c| {
            let cat = &p.policy.categories[c.category];
            CategoryRow {
                id: cat.id.clone(),
                name: Bilingual::new(cat.name.clone(), cat.name_en.clone()),
                key: cat.key,
                blocking: cat.blocking,
                verdict: c.verdict,
                counts: c.counts.clone(),
            }
        })
        .collect();
    let waivers = p
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| WaiverRow {
            component: w.component.clone(),
            code: w.code,
            reason: w.reason.clone(),
            approver: w.approver.clone(),
            expires: w.expires,
            rule: w.at.to_string(),
            status: if evaluation.waivers_used.contains(&i) {
                WaiverStatus::Used
            } else if w.is_expired_on(evaluation.as_of) {
                WaiverStatus::Expired
            } else {
                WaiverStatus::Unused
            },
        })
        .collect();
    let verdict = project_verdict(p.policy, evaluation, &components, &findings);
    let m = p.manifest;
    Report {
        schema: SCHEMA,
        generator: format!("anbao {}", env!("CARGO_PKG_VERSION")),
        as_of: evaluation.as_of,
        project: ProjectInfo {
            name: m.project.name.clone(),
            name_en: m.project.name_en.clone(),
            code: m.project.code.clone(),
            illustrative: m.project.illustrative,
        },
        units: UnitsInfo {
            implementing: m.units.implementing.name.clone(),
            construction: m.units.construction.name.clone(),
            supervision: m.units.supervision.as_ref().map(|u| u.name.clone()),
        },
        policy: PolicyInfo {
            id: p.policy.header.id.clone(),
            version: p.policy.header.version,
            title: p.policy.header.title.clone(),
            title_en: p.policy.header.title_en.clone(),
            basis: p.policy.header.basis.clone(),
            file: p.policy.file.clone(),
            illustrative: p.policy.header.illustrative,
            rules: p.policy.rule_count(),
        },
        catalogs: p
            .catalog
            .headers
            .iter()
            .map(|(file, h)| CatalogInfo {
                file: file.clone(),
                title: h.title.clone(),
                illustrative: h.illustrative,
                entries: p
                    .catalog
                    .entries
                    .iter()
                    .filter(|e| &e.at.file == file)
                    .count(),
            })
            .collect(),
        verdict,
        categories,
        components,
        findings,
        waivers,
        deadlines: p.deadlines,
        inputs: p.inputs,
        not_read: p.not_read,
        inventory_findings: inv.findings.clone(),
        vulnerabilities: p.vulnerabilities,
    }
}

fn project_verdict(
    policy: &Policy,
    eval: &Evaluation,
    components: &[ComponentRow],
    findings: &[FindingRow],
) -> ProjectVerdict {
    let mut reasons = Vec::new();
    let mut failing = 0;
    let mut insufficient = 0;
    for (row, result) in components.iter().zip(&eval.components) {
        let blocking = result
            .category
            .is_some_and(|c| policy.categories[c].blocking);
        let unclassified_key =
            result.category.is_none() && result.verdict >= Verdict::InsufficientEvidence;
        if !(blocking || unclassified_key) || result.verdict < Verdict::InsufficientEvidence {
            continue;
        }
        if result.verdict == Verdict::Fail {
            failing += 1;
        } else {
            insufficient += 1;
        }
        let mut codes: Vec<&str> = Vec::new();
        for f in row.findings.iter().map(|&i| &findings[i]) {
            let code = f.code.as_str();
            if f.waived_by.is_none() && f.level == inventory::Level::Deny && !codes.contains(&code)
            {
                codes.push(code);
            }
        }
        let (cat_zh, cat_en) = match result.category {
            Some(c) => (
                policy.categories[c].name.clone(),
                policy.categories[c].name_en.clone(),
            ),
            None => ("未分类".to_string(), "unclassified".to_string()),
        };
        let (v_zh, v_en) = if result.verdict == Verdict::Fail {
            ("不通过", "fails")
        } else {
            ("证据不足", "lacks evidence")
        };
        reasons.push(Bilingual::format(
            format_args!("{}（{cat_zh}）{v_zh}：{}", row.component, codes.join("、")),
            format_args!("{} ({cat_en}) {v_en}: {}", row.component, codes.join(", ")),
        ));
    }
    // Gaps in the inventories: said once each, after the products.
    let mut gaps: Vec<Code> = Vec::new();
    for f in findings.iter().filter(|f| f.code.is_coverage_gap()) {
        reasons.push(f.message.clone());
        if !gaps.contains(&f.code) {
            gaps.push(f.code);
        }
    }
    // Known vulnerabilities the policy denies, on whatever component carries them.
    let mut vulnerable = 0;
    for f in findings
        .iter()
        .filter(|f| f.code.is_vulnerability() && f.level == inventory::Level::Deny)
        .filter(|f| f.waived_by.is_none())
    {
        vulnerable += 1;
        let what = f.component.as_deref().unwrap_or("");
        reasons.push(Bilingual::format(
            format_args!("{what}：{}", f.message.zh()),
            format_args!("{what}: {}", f.message.en()),
        ));
    }
    // A denied known vulnerability fails the project as a failing product does: the evidence
    // shows the problem, it does not lack.
    let state = if failing > 0 || vulnerable > 0 {
        Verdict::Fail
    } else if insufficient > 0 || !gaps.is_empty() || !eval.components_meet {
        Verdict::InsufficientEvidence
    } else {
        Verdict::Pass
    };
    let summary = match state {
        Verdict::Pass => Bilingual::new(
            "满足关键产品安全可控要求：所有关键产品均通过核验",
            "Meets the controllable-procurement requirement: every key product passes",
        ),
        Verdict::Fail => Bilingual::new(
            // Not every product counted is a key product: a blocking non-key category
            // (traceable third-party components) and unclassified key-looking components count
            // too, and the reasons below say which category each is in.
            format!(
                "不满足关键产品安全可控要求：{failing} 个产品不通过，{insufficient} 个产品证据不足{}",
                if vulnerable > 0 { format!("，{vulnerable} 项已知漏洞未处理") } else { String::new() }
            ),
            format!(
                "Does not meet the controllable-procurement requirement: {failing} product(s) fail, {insufficient} lack evidence{}",
                if vulnerable > 0 { format!(", {vulnerable} known vulnerabilit(ies) unresolved") } else { String::new() }
            ),
        ),
        _ => insufficient_summary(insufficient, &gaps, findings),
    };
    ProjectVerdict {
        state,
        meets: state == Verdict::Pass,
        failing,
        insufficient,
        gaps,
        summary,
        reasons,
    }
}

/// The summary of a verdict of insufficient evidence: what is missing, counted.
fn insufficient_summary(insufficient: usize, gaps: &[Code], findings: &[FindingRow]) -> Bilingual {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    if insufficient > 0 {
        zh.push(format!("{insufficient} 个产品证据不足"));
        en.push(format!("{insufficient} product(s) lack evidence"));
    }
    for &code in gaps {
        let n = findings.iter().filter(|f| f.code == code).count();
        let (z, e) = match code {
            Code::NoComponents => (
                "清单中没有任何组件".to_string(),
                "the inventories hold no component".to_string(),
            ),
            Code::NoKeyProducts => (
                "清单中没有关键产品".to_string(),
                "no key product in the inventories".to_string(),
            ),
            Code::ExpectedCategoryEmpty => (
                format!("{n} 个应有的产品类别没有组件"),
                format!(
                    "{n} expected categor{} without products",
                    if n == 1 { "y" } else { "ies" }
                ),
            ),
            _ => (
                format!("{n} 个清单文件未读取"),
                format!("{n} inventory file(s) not read"),
            ),
        };
        zh.push(z);
        en.push(e);
    }
    Bilingual::new(
        format!(
            "证据不足，不能认定满足关键产品安全可控要求：{}",
            zh.join("，")
        ),
        format!(
            "Insufficient evidence to show the controllable-procurement requirement is met: {}",
            en.join(", ")
        ),
    )
}
