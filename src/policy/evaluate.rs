//! Evaluation: classify every component, check the evidence its category requires, apply
//! waivers, and reach a verdict per component, per category and for the project.

use super::catalog::Catalog;
use super::code::{Check, Code};
use super::config::{Field, Inherit, Policy, RuleRef};
use super::waiver::Waiver;
use crate::i18n::Bilingual;
use crate::inventory::{
    Component, ComponentId, ComponentType, EdgeKind, Inventory, Level, LicenseValue, Party,
};
use chrono::NaiveDate;
use globset::{GlobSet, GlobSetBuilder};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// The outcome for one component, a category, or the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No category applies and it does not look like a key product.
    NotApplicable,
    Pass,
    Warn,
    InsufficientEvidence,
    Fail,
}

/// How a component got its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum Classification {
    Override {
        rule: Arc<str>,
        reason: String,
    },
    Rule {
        rule: Arc<str>,
    },
    /// Contained in (or a dependency of) a component of a category that passes its
    /// requirements down.
    Inherited {
        from: ComponentId,
        rule: Arc<str>,
    },
}

/// One piece of evidence that a check passed.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub check: Check,
    pub family: super::Family,
    pub text: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Arc<str>>,
}

/// One problem found by the policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFinding {
    pub code: Code,
    pub level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
    pub message: Bilingual,
    /// `file:line` of the rule, category, catalog entry or waiver that decided.
    pub rule: Arc<str>,
    /// Inclusion paths from a product root (component ids, root first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<Vec<ComponentId>>,
    /// The waiver (`file:line`) that accepts this finding, if any applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<Arc<str>>,
    /// The advisory id of a known-vulnerability finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<Arc<str>>,
}

/// The evaluation of one component.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentResult {
    pub id: ComponentId,
    /// Index into [`Policy::categories`].
    pub category: Option<usize>,
    pub classification: Option<Classification>,
    pub verdict: Verdict,
    pub evidence: Vec<Evidence>,
    /// Indices into [`Evaluation::findings`].
    pub findings: Vec<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub warn: usize,
    pub insufficient_evidence: usize,
    pub fail: usize,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Pass => self.pass += 1,
            Verdict::Warn => self.warn += 1,
            Verdict::InsufficientEvidence => self.insufficient_evidence += 1,
            Verdict::Fail => self.fail += 1,
            Verdict::NotApplicable => {}
        }
    }

    pub fn total(&self) -> usize {
        self.pass + self.warn + self.insufficient_evidence + self.fail
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryResult {
    pub category: usize,
    pub counts: Counts,
    pub verdict: Verdict,
}

/// Everything the evaluation decided.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub components: Vec<ComponentResult>,
    pub findings: Vec<PolicyFinding>,
    pub categories: Vec<CategoryResult>,
    pub unclassified: usize,
    /// Waivers that accepted at least one finding, by index into the waiver list.
    pub waivers_used: Vec<usize>,
    /// True when no blocking component fails or lacks evidence. The components alone: whether
    /// the inventories are complete enough to carry a verdict is the acceptance check's to judge
    /// (`acceptance::coverage`), and the project verdict combines the two.
    pub components_meet: bool,
}

/// The evidence and findings of one component in its category (`None`: unclassified).
fn judge(
    inv: &Inventory,
    policy: &Policy,
    catalog: &Catalog,
    licences: &LicenceVerdicts<'_>,
    as_of: NaiveDate,
    id: ComponentId,
    category: Option<usize>,
) -> (Vec<Evidence>, Vec<PolicyFinding>) {
    let c = &inv.components[id];
    // At most one piece of evidence per check: allocated once, to size.
    let mut evidence =
        Vec::with_capacity(category.map_or(0, |cat| policy.categories[cat].checks.len()));
    let mut found: Vec<PolicyFinding> = Vec::new();
    match category {
        None => {
            if policy.unclassified_key_types.contains(&c.kind) {
                found.push(finding(
                    Code::UnclassifiedKeyComponent,
                    policy.unclassified_level,
                    id,
                    None,
                    Bilingual::format(
                        format_args!("类型为 {} 的组件未被任何分类规则归类", c.kind.as_str()),
                        format_args!(
                            "a component of type {} matched no classification rule",
                            c.kind.as_str()
                        ),
                    ),
                    policy
                        .unclassified_at
                        .as_ref()
                        .map_or_else(|| policy.file.display().to_string().into(), RuleRef::text),
                ));
            }
        }
        Some(cat) => {
            let category = &policy.categories[cat];
            for &(check, level) in &category.checks {
                let ctx = CheckContext {
                    policy,
                    catalog,
                    licences,
                    as_of,
                    component: c,
                    category: &category.id,
                    at: &category.at,
                };
                match run_check(check, &ctx) {
                    Ok(ok) => evidence.push(ok),
                    Err(problems) => {
                        for (code, message, rule) in problems {
                            let f = finding(code, level, id, Some(check), message, rule);
                            // Two checks can see the same gap (supplier-known and
                            // supplier-domestic both find no supplier named): say it once, at
                            // the more severe of their levels.
                            match found
                                .iter_mut()
                                .find(|g| g.code == code && g.check != Some(check))
                            {
                                Some(g) if g.level < level => *g = f,
                                Some(_) => {}
                                None => found.push(f),
                            }
                        }
                    }
                }
            }
        }
    }
    (evidence, found)
}

/// Evaluates `inv` against the policy, catalog and waivers as of `as_of`.
pub fn evaluate(
    inv: &Inventory,
    policy: &Policy,
    catalog: &Catalog,
    waivers: &[Waiver],
    as_of: NaiveDate,
) -> Evaluation {
    evaluate_with(inv, policy, catalog, waivers, as_of, None)
}

/// As [`evaluate`], with the known vulnerabilities of `vulnerabilities` judged as well (see
/// [`super::vulnerability`]).
pub fn evaluate_with(
    inv: &Inventory,
    policy: &Policy,
    catalog: &Catalog,
    waivers: &[Waiver],
    as_of: NaiveDate,
    vulnerabilities: Option<&crate::vuln::Assessment>,
) -> Evaluation {
    let classified = classify(inv, policy);
    let licences = LicenceVerdicts::new(inv, policy);
    let shortest = inv.shortest_path_parents();
    let distances = inv.root_distances();
    // Components are judged independently, so in parallel; findings are numbered afterwards in
    // component order, so the result does not depend on the number of threads.
    let judged: Vec<(Vec<Evidence>, Vec<PolicyFinding>)> = classified
        .par_iter()
        .enumerate()
        .map(|(id, (category, _))| judge(inv, policy, catalog, &licences, as_of, id, *category))
        .collect();
    let found_total: usize = judged.iter().map(|(_, found)| found.len()).sum();
    let mut findings: Vec<PolicyFinding> = Vec::with_capacity(found_total + waivers.len());
    let mut components = Vec::with_capacity(inv.len());
    for (id, ((category, classification), (evidence, found))) in
        classified.into_iter().zip(judged).enumerate()
    {
        let mine = (findings.len()..findings.len() + found.len()).collect();
        findings.extend(found);
        components.push(ComponentResult {
            id,
            category,
            classification,
            verdict: Verdict::NotApplicable,
            evidence,
            findings: mine,
        });
    }

    if let Some(assessment) = vulnerabilities {
        let in_key = super::vulnerability::in_key_products(inv, |id| {
            components[id]
                .category
                .is_some_and(|cat| policy.categories[cat].key)
        });
        for f in super::vulnerability::findings(&policy.vulnerabilities, &in_key, assessment) {
            if let Some(id) = f.component {
                components[id].findings.push(findings.len());
            }
            findings.push(f);
        }
    }

    let before = findings.len();
    let waivers_used = apply_waivers(inv, waivers, as_of, &mut findings);
    // An expired waiver's finding belongs to the component it was meant for.
    for (i, f) in findings.iter().enumerate().skip(before) {
        if let Some(id) = f.component {
            components[id].findings.push(i);
        }
    }

    // Paths: the shortest for every finding; a few more for blocking failures, where the team
    // needs to see every way the product got in.
    findings.par_iter_mut().for_each(|f| {
        let Some(id) = f.component else { return };
        let blocking = components[id]
            .category
            .is_some_and(|cat| policy.categories[cat].blocking);
        if blocking && f.level == Level::Deny {
            f.paths = inv.inclusion_paths_with(id, 3, &distances).paths;
        } else if let Some(path) = path_from_parents(&shortest, &inv.roots, id) {
            f.paths = vec![path];
        }
    });

    let mut categories: Vec<CategoryResult> = (0..policy.categories.len())
        .map(|category| CategoryResult {
            category,
            counts: Counts::default(),
            verdict: Verdict::Pass,
        })
        .collect();
    let mut unclassified = 0;
    let mut meets = true;
    for result in &mut components {
        let active = result
            .findings
            .iter()
            .map(|&i| &findings[i])
            .filter(|f| f.waived_by.is_none());
        result.verdict = verdict_of(active, result.category.is_some());
        match result.category {
            Some(cat) => {
                categories[cat].counts.add(result.verdict);
                categories[cat].verdict = categories[cat].verdict.max(result.verdict);
                let blocking = policy.categories[cat].blocking;
                if blocking
                    && matches!(
                        result.verdict,
                        Verdict::Fail | Verdict::InsufficientEvidence
                    )
                {
                    meets = false;
                }
            }
            None => {
                unclassified += 1;
                // An unclassified key-looking product cannot be accepted on faith.
                if result.verdict >= Verdict::InsufficientEvidence {
                    meets = false;
                }
            }
        }
    }
    for c in &mut categories {
        if c.counts.total() == 0 {
            c.verdict = Verdict::NotApplicable;
        }
    }
    // A known vulnerability the policy denies fails the project whatever the category of the
    // component that carries it (an open-source library inside the delivered platform).
    if findings
        .iter()
        .any(|f| f.code.is_vulnerability() && f.level == Level::Deny && f.waived_by.is_none())
    {
        meets = false;
    }
    Evaluation {
        as_of,
        components,
        findings,
        categories,
        unclassified,
        waivers_used,
        components_meet: meets,
    }
}

fn finding(
    code: Code,
    level: Level,
    component: ComponentId,
    check: Option<Check>,
    message: Bilingual,
    rule: Arc<str>,
) -> PolicyFinding {
    PolicyFinding {
        code,
        level,
        component: Some(component),
        check,
        message,
        rule,
        paths: Vec::new(),
        waived_by: None,
        vulnerability: None,
    }
}

fn verdict_of<'a>(active: impl Iterator<Item = &'a PolicyFinding>, classified: bool) -> Verdict {
    let mut v = if classified {
        Verdict::Pass
    } else {
        Verdict::NotApplicable
    };
    for f in active {
        let this = match f.level {
            Level::Deny if f.code.is_missing_evidence() => Verdict::InsufficientEvidence,
            Level::Deny => Verdict::Fail,
            Level::Warn => Verdict::Warn,
            Level::Info => continue,
        };
        v = v.max(this);
    }
    v
}

fn path_from_parents(
    parents: &[Option<ComponentId>],
    roots: &[ComponentId],
    id: ComponentId,
) -> Option<Vec<ComponentId>> {
    let mut path = vec![id];
    let mut at = id;
    while let Some(p) = parents[at] {
        path.push(p);
        at = p;
        if path.len() > parents.len() {
            return None;
        }
    }
    if !roots.contains(&at) {
        return None;
    }
    path.reverse();
    Some(path)
}

/// Per-field glob sets over all rules, so each component is matched once per field rather
/// than once per pattern.
struct Classifier {
    sets: Vec<(Field, GlobSet, Vec<usize>)>,
}

impl Classifier {
    fn new(policy: &Policy) -> Classifier {
        let fields = [
            Field::Name,
            Field::Purl,
            Field::CpeVendor,
            Field::CpeProduct,
            Field::Supplier,
            Field::CategoryText,
            Field::HardwareClass,
        ];
        let sets = fields
            .into_iter()
            .filter_map(|field| {
                let mut builder = GlobSetBuilder::new();
                let mut owners = Vec::new();
                for (r, rule) in policy.rules.iter().enumerate() {
                    for (f, globs) in &rule.patterns {
                        if *f == field {
                            for g in globs {
                                builder.add(g.clone());
                                owners.push(r);
                            }
                        }
                    }
                }
                if owners.is_empty() {
                    return None;
                }
                // Patterns were each compiled when the policy was read, so the set builds.
                let set = builder.build().ok()?;
                Some((field, set, owners))
            })
            .collect();
        Classifier { sets }
    }

    /// The first rule (in file order) that matches `c`.
    fn first_match(&self, policy: &Policy, c: &Component, scratch: &mut Scratch) -> Option<usize> {
        // matched[r] has bit f set when field f of rule r matched; reused across components.
        scratch.matched.clear();
        scratch.matched.resize(policy.rules.len(), 0);
        for (field, set, owners) in &self.sets {
            let bit = field.bit();
            for_each_value(*field, c, |value| {
                set.matches_into(value, &mut scratch.hits);
                for &h in &scratch.hits {
                    scratch.matched[owners[h]] |= bit;
                }
            });
        }
        policy.rules.iter().enumerate().position(|(r, rule)| {
            (rule.types.is_empty() || rule.types.contains(&c.kind))
                && rule
                    .patterns
                    .iter()
                    .all(|(f, _)| scratch.matched[r] & f.bit() != 0)
        })
    }
}

/// Buffers [`Classifier::first_match`] reuses, so classifying allocates nothing per component.
#[derive(Default)]
struct Scratch {
    matched: Vec<u8>,
    hits: Vec<usize>,
}

impl Field {
    fn bit(self) -> u8 {
        match self {
            Field::Name => 1,
            Field::Purl => 2,
            Field::CpeVendor => 4,
            Field::CpeProduct => 8,
            Field::Supplier => 16,
            Field::CategoryText => 32,
            Field::HardwareClass => 64,
        }
    }
}

/// Calls `f` with each value of a component a rule field is matched against.
fn for_each_value(field: Field, c: &Component, mut f: impl FnMut(&str)) {
    match field {
        Field::Name => {
            f(&c.name);
            if c.group.as_deref().is_some_and(|g| !g.is_empty()) {
                f(&c.full_name());
            }
        }
        Field::Purl => c.purl.iter().for_each(|p| f(p)),
        Field::CpeVendor => cpe_part(c, 3).iter().for_each(|p| f(p)),
        Field::CpeProduct => cpe_part(c, 4).iter().for_each(|p| f(p)),
        Field::Supplier => {
            parties(c).for_each(|p| f(&p.name));
            c.publisher.iter().for_each(|p| f(p));
        }
        Field::CategoryText => c
            .properties
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "category" | "anbao:category" | "类别"))
            .for_each(|(_, v)| f(v)),
        Field::HardwareClass => c.hardware.class.iter().for_each(|k| f(&k.class)),
    }
}

/// The `n`th field of a CPE 2.3 (`cpe:2.3:a:vendor:product:...`) or the matching one of a
/// CPE 2.2 URI (`cpe:/a:vendor:product:...`).
fn cpe_part(c: &Component, n: usize) -> Option<String> {
    let cpe = c.cpe.as_deref()?;
    let parts: Vec<&str> = if let Some(rest) = cpe.strip_prefix("cpe:/") {
        std::iter::once("cpe")
            .chain(std::iter::once("2.2"))
            .chain(rest.split(':'))
            .collect()
    } else {
        cpe.split(':').collect()
    };
    parts
        .get(n)
        .map(|s| s.replace('\\', ""))
        .filter(|s| !s.is_empty() && s != "*")
}

/// A maker's name for a message: with what the inventory wrote where the name was resolved
/// from an id, so a reader sees both.
fn maker_shown(p: &Party) -> std::borrow::Cow<'_, str> {
    match &p.resolved_from {
        Some(w) => format!("{} ({} {})", p.name, w.scheme.as_str(), w.written).into(),
        None => p.name.as_str().into(),
    }
}

fn parties(c: &Component) -> impl Iterator<Item = &Party> {
    [&c.supplier, &c.manufacturer, &c.originator]
        .into_iter()
        .flatten()
        .map(|p| &**p)
}

/// Category and how it was decided, for every component.
fn classify(inv: &Inventory, policy: &Policy) -> Vec<(Option<usize>, Option<Classification>)> {
    let classifier = Classifier::new(policy);
    let mut out: Vec<(Option<usize>, Option<Classification>)> = inv
        .components
        .par_iter()
        .map_init(Scratch::default, |scratch, c| {
            match classifier.first_match(policy, c, scratch) {
                Some(r) => (
                    Some(policy.rules[r].category),
                    Some(Classification::Rule {
                        rule: policy.rules[r].at.text(),
                    }),
                ),
                None => (None, None),
            }
        })
        .collect();
    for o in &policy.overrides {
        for id in inv.find(&o.component) {
            out[id] = (
                Some(o.category),
                Some(Classification::Override {
                    rule: o.at.text(),
                    reason: o.reason.clone(),
                }),
            );
        }
    }
    // Key categories pass their requirements down to what their products contain.
    let mut queue: VecDeque<ComponentId> = (0..inv.len())
        .filter(|&id| {
            out[id]
                .0
                .is_some_and(|cat| policy.categories[cat].inherit != Inherit::None)
        })
        .collect();
    while let Some(parent) = queue.pop_front() {
        let Some(cat) = out[parent].0 else { continue };
        let inherit = policy.categories[cat].inherit;
        for edge in inv
            .graph
            .edges_directed(Inventory::node(parent), Direction::Outgoing)
        {
            if inherit == Inherit::Contains && *edge.weight() != EdgeKind::Contains {
                continue;
            }
            let child = edge.target().index();
            let keeps_own = out[child].0.is_some_and(|own| policy.categories[own].key);
            if keeps_own || matches!(out[child].1, Some(Classification::Override { .. })) {
                continue;
            }
            if matches!(out[child].1, Some(Classification::Inherited { .. })) {
                continue;
            }
            let rule = policy.categories[cat].at.text();
            out[child] = (
                Some(cat),
                Some(Classification::Inherited { from: parent, rule }),
            );
            queue.push_back(child);
        }
    }
    out
}

/// What a check needs to know.
struct CheckContext<'a> {
    policy: &'a Policy,
    catalog: &'a Catalog,
    licences: &'a LicenceVerdicts<'a>,
    as_of: NaiveDate,
    component: &'a Component,
    category: &'a str,
    at: &'a RuleRef,
}

type Problems = Vec<(Code, Bilingual, Arc<str>)>;

/// Runs one check: the evidence found, or the findings that say why not.
fn run_check(check: Check, ctx: &CheckContext<'_>) -> Result<Evidence, Problems> {
    let c = ctx.component;
    let ok = |text: Bilingual, source: Option<Arc<str>>| {
        Ok(Evidence {
            check,
            family: check.family(),
            text,
            source,
        })
    };
    // The rule's position is formatted only for a problem: most checks pass.
    let problem = |code: Code, text: Bilingual| Err(vec![(code, text, ctx.at.text())]);
    match check {
        Check::Catalog => {
            let entries = ctx.catalog.matches(ctx.policy, c, Some(ctx.category));
            if let Some(e) = entries.iter().find(|e| e.is_valid_on(ctx.as_of)) {
                let until = e.until_text();
                return ok(
                    Bilingual::format(
                        format_args!(
                            "合格产品目录：{} {}（{}，有效期至 {until}）",
                            e.vendor, e.product, e.certificate
                        ),
                        format_args!(
                            "approved-product catalog: {} {} ({}, valid until {until})",
                            e.vendor, e.product, e.certificate
                        ),
                    ),
                    Some(e.at.text()),
                );
            }
            if let Some(e) = entries.first() {
                let until = e.until_text();
                return Err(vec![(
                    Code::CatalogEntryNotValid,
                    Bilingual::format(
                        format_args!(
                            "目录条目 {}（{}）有效期为 {} 至 {until}，核验日期 {} 不在其内",
                            e.product, e.certificate, e.valid_from, ctx.as_of
                        ),
                        format_args!(
                            "catalog entry {} ({}) is valid {} to {until}, not on {}",
                            e.product, e.certificate, e.valid_from, ctx.as_of
                        ),
                    ),
                    e.at.text(),
                )]);
            }
            problem(
                Code::NotInCatalog,
                Bilingual::format(
                    format_args!("{} 未列入合格产品目录", c.display_id()),
                    format_args!("{} is not in the approved-product catalog", c.display_id()),
                ),
            )
        }
        Check::SecureReliableEvaluated => {
            use crate::policy::catalog::SourceKind;
            let entries: Vec<_> = ctx
                .catalog
                .matches(ctx.policy, c, Some(ctx.category))
                .into_iter()
                .filter(|e| e.kind == Some(SourceKind::SecureReliableEvaluation))
                .collect();
            let describe = |e: &crate::policy::catalog::Entry| {
                let until = e.until_text();
                let grade = e.grade.as_deref().unwrap_or("—");
                let announced = e
                    .announced
                    .map_or_else(|| "—".to_string(), |d| d.to_string());
                Bilingual::format(
                    format_args!(
                        "安全可靠测评：{} {}（{grade}，{}，公告日期 {announced}，有效期至 {until}）",
                        e.vendor, e.product, e.certificate
                    ),
                    format_args!(
                        "security-and-reliability evaluation: {} {} ({grade}, {}, announced {announced}, valid until {until})",
                        e.vendor, e.product, e.certificate
                    ),
                )
            };
            if let Some(e) = entries.iter().find(|e| e.is_valid_on(ctx.as_of)) {
                return ok(describe(e), Some(e.at.text()));
            }
            if let Some(e) = entries.first() {
                return Err(vec![(
                    Code::SecureReliableExpired,
                    describe(e),
                    e.at.text(),
                )]);
            }
            problem(
                Code::SecureReliableMissing,
                Bilingual::format(
                    format_args!("{} 没有安全可靠测评结果", c.display_id()),
                    format_args!(
                        "{} has no security-and-reliability evaluation result",
                        c.display_id()
                    ),
                ),
            )
        }
        Check::ManufacturerDomestic => {
            // A device is made by its manufacturer, whoever sold it; software is often described
            // only by who supplies it, which is then taken as its developer.
            let hardware = matches!(
                c.kind,
                ComponentType::Device | ComponentType::Firmware | ComponentType::DeviceDriver
            );
            let maker = c
                .manufacturer
                .as_ref()
                .or(c.originator.as_ref())
                .or(if hardware { None } else { c.supplier.as_ref() });
            // A foreign country of origin settles the question even when the maker's name is
            // missing: the product is made abroad, which is a failure, not a lack of evidence.
            if let Some(origin) = c
                .hardware
                .country_of_origin
                .as_deref()
                .filter(|o| !o.trim().is_empty() && !ctx.policy.is_domestic(o))
            {
                return problem(
                    Code::ManufacturerForeign,
                    Bilingual::format(
                        format_args!("设备产地为 {origin}"),
                        format_args!("the device's country of origin is {origin}"),
                    ),
                );
            }
            let Some(maker) = maker else {
                return problem(
                    Code::ManufacturerUnknown,
                    Bilingual::new(
                        "未写明制造商或原始作者",
                        "no manufacturer or originator is named",
                    ),
                );
            };
            let shown = maker_shown(maker);
            match country_of(ctx.policy, maker) {
                None => problem(
                    Code::OriginUnknown,
                    Bilingual::format(
                        format_args!("制造商 {} 的所在国家或地区不明", shown),
                        format_args!("the country of manufacturer {} is not known", shown),
                    ),
                ),
                Some((country, _)) if !ctx.policy.is_domestic(country) => problem(
                    Code::ManufacturerForeign,
                    Bilingual::format(
                        format_args!("制造商 {} 位于 {country}", shown),
                        format_args!("manufacturer {} is in {country}", shown),
                    ),
                ),
                Some((country, source)) => ok(
                    Bilingual::format(
                        format_args!("制造商 {}（{country}）", shown),
                        format_args!("manufacturer {} ({country})", shown),
                    ),
                    source,
                ),
            }
        }
        Check::SupplierKnown => match c.supplier.as_ref().or(c.manufacturer.as_ref()) {
            Some(p) => ok(
                Bilingual::format(
                    format_args!("供应商：{}", p.name),
                    format_args!("supplier: {}", p.name),
                ),
                None,
            ),
            None => problem(
                Code::SupplierUnknown,
                Bilingual::new(
                    "未写明供应商或制造商",
                    "neither a supplier nor a manufacturer is named",
                ),
            ),
        },
        Check::SupplierNotDenied => {
            let denied: Vec<_> = parties(c)
                .filter_map(|p| ctx.policy.party(&p.name))
                .filter(|p| p.list == Some(super::config::PartyList::Deny))
                .collect();
            match denied.first() {
                None => ok(
                    Bilingual::new(
                        "供应链各方均不在禁用名单中",
                        "no party of the supply chain is on the deny list",
                    ),
                    None,
                ),
                Some(p) => Err(vec![(
                    Code::SupplierDenied,
                    Bilingual::format(
                        format_args!(
                            "{} 在禁用名单中{}",
                            p.name,
                            p.note
                                .as_deref()
                                .map(|n| format!("：{n}"))
                                .unwrap_or_default()
                        ),
                        format_args!(
                            "{} is on the deny list{}",
                            p.name,
                            p.note
                                .as_deref()
                                .map(|n| format!(": {n}"))
                                .unwrap_or_default()
                        ),
                    ),
                    p.at.text(),
                )]),
            }
        }
        Check::SupplierDomestic => {
            let Some(supplier) = c.supplier.as_ref().or(c.manufacturer.as_ref()) else {
                return problem(
                    Code::SupplierUnknown,
                    Bilingual::new("未写明供应商", "no supplier is named"),
                );
            };
            match country_of(ctx.policy, supplier) {
                None => problem(
                    Code::OriginUnknown,
                    Bilingual::format(
                        format_args!("供应商 {} 的所在国家或地区不明", supplier.name),
                        format_args!("the country of supplier {} is not known", supplier.name),
                    ),
                ),
                Some((country, _)) if !ctx.policy.is_domestic(country) => problem(
                    Code::SupplierForeign,
                    Bilingual::format(
                        format_args!("供应商 {} 位于 {country}", supplier.name),
                        format_args!("supplier {} is in {country}", supplier.name),
                    ),
                ),
                Some((country, source)) => ok(
                    Bilingual::format(
                        format_args!("供应商 {}（{country}）", supplier.name),
                        format_args!("supplier {} ({country})", supplier.name),
                    ),
                    source,
                ),
            }
        }
        Check::CertificateValid => {
            let certs = &c.hardware.certificates;
            if certs.is_empty() {
                return problem(
                    Code::CertificateMissing,
                    Bilingual::new("未记录证书", "no certificate is recorded"),
                );
            }
            match certs
                .iter()
                .find(|cert| cert.valid_until.is_none_or(|u| ctx.as_of <= u))
            {
                Some(cert) => {
                    let until = cert
                        .valid_until
                        .map_or_else(|| "—".to_string(), |d| d.to_string());
                    ok(
                        Bilingual::format(
                            format_args!("证书 {}，有效期至 {until}", cert.number),
                            format_args!("certificate {}, valid until {until}", cert.number),
                        ),
                        None,
                    )
                }
                None => {
                    let last = certs
                        .iter()
                        .filter_map(|x| x.valid_until)
                        .max()
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    let numbers: Vec<_> = certs.iter().map(|x| x.number.as_str()).collect();
                    problem(
                        Code::CertificateExpired,
                        Bilingual::format(
                            format_args!("证书 {} 已于 {last} 过期", numbers.join("、")),
                            format_args!("certificate {} expired on {last}", numbers.join(", ")),
                        ),
                    )
                }
            }
        }
        Check::LicenseAllowed => license_check(ctx, &ok_license(check)),
        Check::SourceAvailable => {
            let refs = c.external_refs.iter().find(|r| {
                matches!(
                    r.kind.as_str(),
                    "vcs" | "distribution" | "source-distribution" | "download" | "website"
                ) && !r.url.is_empty()
            });
            let registry = c
                .purl
                .as_deref()
                .is_some_and(|p| !p.starts_with("pkg:generic/"));
            match (refs, registry) {
                (Some(r), _) => ok(
                    Bilingual::format(
                        format_args!("源代码或发布地址：{}", r.url),
                        format_args!("source or distribution: {}", r.url),
                    ),
                    None,
                ),
                (None, true) => ok(
                    Bilingual::format(
                        format_args!(
                            "可从公共软件仓库获取：{}",
                            c.purl.as_deref().unwrap_or_default()
                        ),
                        format_args!(
                            "available from a public package registry: {}",
                            c.purl.as_deref().unwrap_or_default()
                        ),
                    ),
                    None,
                ),
                (None, false) => problem(
                    Code::SourceUnavailable,
                    Bilingual::new(
                        "没有源代码或发布地址",
                        "no source or distribution location is given",
                    ),
                ),
            }
        }
        Check::IdentityComplete => {
            let mut missing = Vec::new();
            if c.name.trim().is_empty() {
                missing.push(("名称", "name"));
            }
            if c.version.as_deref().is_none_or(|v| v.trim().is_empty()) {
                missing.push(("版本", "version"));
            }
            if c.supplier.is_none() && c.manufacturer.is_none() {
                missing.push(("供应商或制造商", "supplier or manufacturer"));
            }
            let unique = c.purl.is_some()
                || c.cpe.is_some()
                || c.swid.is_some()
                || c.hardware.model.is_some()
                || !c.hardware.serial_numbers.is_empty();
            if !unique {
                missing.push(("唯一标识", "unique identifier"));
            }
            if missing.is_empty() {
                ok(
                    Bilingual::new("标识信息完整", "identifying data is complete"),
                    None,
                )
            } else {
                let zh: Vec<_> = missing.iter().map(|m| m.0).collect();
                let en: Vec<_> = missing.iter().map(|m| m.1).collect();
                problem(
                    Code::IdentityIncomplete,
                    Bilingual::format(
                        format_args!("缺少：{}", zh.join("、")),
                        format_args!("missing: {}", en.join(", ")),
                    ),
                )
            }
        }
    }
}

fn ok_license(check: Check) -> impl Fn(Bilingual) -> Evidence {
    move |text| Evidence {
        check,
        family: check.family(),
        text,
        source: None,
    }
}

/// Evaluates each licence statement as an SPDX expression against the allow list. Concluded
/// licences win over declared ones, as the SBOM's author concluded them after analysis.
fn license_check(
    ctx: &CheckContext<'_>,
    ok: &dyn Fn(Bilingual) -> Evidence,
) -> Result<Evidence, Problems> {
    let rule = || ctx.at.text();
    use crate::inventory::LicenseRole;
    let c = ctx.component;
    let concluded: Vec<_> = c
        .licenses
        .iter()
        .filter(|l| l.role == LicenseRole::Concluded)
        .collect();
    let chosen: Vec<_> = if concluded.is_empty() {
        c.licenses.iter().collect()
    } else {
        concluded
    };
    if chosen.is_empty() {
        return Err(vec![(
            Code::LicenseMissing,
            Bilingual::new("未声明许可证", "no licence is stated"),
            rule(),
        )]);
    }
    let mut problems = Vec::new();
    let mut texts = Vec::new();
    for l in chosen {
        let text = match &l.value {
            LicenseValue::Id(s) | LicenseValue::Expression(s) => s.as_str(),
            LicenseValue::Name(name) => {
                problems.push((
                    Code::LicenseInvalid,
                    Bilingual::format(
                        format_args!("许可证“{name}”不是 SPDX 标识"),
                        format_args!("licence '{name}' is not an SPDX identifier"),
                    ),
                    rule(),
                ));
                continue;
            }
        };
        let judged;
        let verdict = match ctx.licences.0.get(text) {
            Some(v) => v,
            None => {
                judged = LicenceVerdict::of(ctx.policy, text);
                &judged
            }
        };
        match verdict {
            LicenceVerdict::Invalid(reason) => problems.push((
                Code::LicenseInvalid,
                Bilingual::format(
                    format_args!("许可证表达式“{text}”无效：{reason}"),
                    format_args!("licence expression '{text}' is invalid: {reason}"),
                ),
                rule(),
            )),
            LicenceVerdict::Allowed => texts.push(text),
            LicenceVerdict::NotAllowed => problems.push((
                Code::LicenseNotAllowed,
                Bilingual::format(
                    format_args!("许可证“{text}”不在允许范围内"),
                    format_args!("licence '{text}' is not allowed by the policy"),
                ),
                rule(),
            )),
        }
    }
    if problems.is_empty() {
        Ok(ok(Bilingual::format(
            format_args!("许可证 {} 符合策略", texts.join("; ")),
            format_args!("licence {} is allowed", texts.join("; ")),
        )))
    } else {
        Err(problems)
    }
}

/// Each distinct licence statement of an inventory judged once against the allow list: a large
/// inventory repeats a few dozen expressions across tens of thousands of components, and
/// parsing one is dearer than looking it up.
struct LicenceVerdicts<'a>(HashMap<&'a str, LicenceVerdict, foldhash::fast::RandomState>);

impl<'a> LicenceVerdicts<'a> {
    fn new(inv: &'a Inventory, policy: &Policy) -> LicenceVerdicts<'a> {
        let mut verdicts: HashMap<&str, LicenceVerdict, _> = HashMap::default();
        for licence in inv.components.iter().flat_map(|c| &c.licenses) {
            if let LicenseValue::Id(text) | LicenseValue::Expression(text) = &licence.value {
                if !verdicts.contains_key(text.as_str()) {
                    verdicts.insert(text, LicenceVerdict::of(policy, text));
                }
            }
        }
        LicenceVerdicts(verdicts)
    }
}

/// What the allow list says of one licence expression.
enum LicenceVerdict {
    Allowed,
    NotAllowed,
    /// Not a valid SPDX expression, and why.
    Invalid(String),
}

impl LicenceVerdict {
    fn of(policy: &Policy, text: &str) -> LicenceVerdict {
        let expr = match spdx::Expression::parse_mode(text, spdx::ParseMode::LAX) {
            Ok(expr) => expr,
            Err(e) => return LicenceVerdict::Invalid(e.reason.to_string()),
        };
        let allowed = expr.evaluate(|req| match &req.license {
            spdx::LicenseItem::Spdx { id, .. } => {
                policy.allowed_licenses.iter().any(|a| a == id.name)
            }
            spdx::LicenseItem::Other(other) => policy
                .allowed_licenses
                .iter()
                .any(|a| a.strip_prefix("LicenseRef-") == Some(other.lic_ref.as_str())),
        });
        match allowed {
            true => LicenceVerdict::Allowed,
            false => LicenceVerdict::NotAllowed,
        }
    }
}

/// The country of a party: as the inventory states it, else from the policy's party list.
fn country_of<'a>(policy: &'a Policy, p: &'a Party) -> Option<(&'a str, Option<Arc<str>>)> {
    if let Some(country) = p.country.as_deref().filter(|s| !s.trim().is_empty()) {
        return Some((country, None));
    }
    let known = policy.party(&p.name)?;
    Some((known.country.as_deref()?, Some(known.at.text())))
}

/// Marks findings a waiver accepts, reports expired and unused waivers; returns the indices
/// of the waivers used.
fn apply_waivers(
    inv: &Inventory,
    waivers: &[Waiver],
    as_of: NaiveDate,
    findings: &mut Vec<PolicyFinding>,
) -> Vec<usize> {
    let mut used = Vec::new();
    let mut extra = Vec::new();
    for (wi, w) in waivers.iter().enumerate() {
        let targets = inv.find(&w.component);
        let mut matched = false;
        for f in findings.iter_mut() {
            let hit = f.code == w.code
                && f.component.is_some_and(|c| targets.contains(&c))
                && f.waived_by.is_none();
            if !hit {
                continue;
            }
            matched = true;
            if w.is_expired_on(as_of) {
                extra.push(PolicyFinding {
                    code: Code::WaiverExpired,
                    level: Level::Warn,
                    component: f.component,
                    check: None,
                    message: Bilingual::format(
                        format_args!(
                            "豁免（{}，批准人 {}）已于 {} 过期，不再适用",
                            w.code, w.approver, w.expires
                        ),
                        format_args!(
                            "the waiver of {} approved by {} expired on {} and no longer applies",
                            w.code, w.approver, w.expires
                        ),
                    ),
                    rule: w.at.text(),
                    paths: Vec::new(),
                    waived_by: None,
                    vulnerability: None,
                });
            } else {
                f.waived_by = Some(w.at.text());
                if !used.contains(&wi) {
                    used.push(wi);
                }
            }
        }
        if !matched {
            extra.push(PolicyFinding {
                code: Code::WaiverUnused,
                level: Level::Warn,
                component: None,
                check: None,
                message: Bilingual::format(
                    format_args!("豁免（组件“{}”，{}）没有匹配任何问题", w.component, w.code),
                    format_args!(
                        "the waiver for '{}' ({}) matched no finding",
                        w.component, w.code
                    ),
                ),
                rule: w.at.text(),
                paths: Vec::new(),
                waived_by: None,
                vulnerability: None,
            });
        }
    }
    findings.extend(extra);
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn bilingual_texts_keep_their_halves_apart() {
        let name = "麒麟软件";
        let formatted = Bilingual::format(
            format_args!("供应商：{name}"),
            format_args!("supplier: {name}"),
        );
        assert_eq!(
            (formatted.zh(), formatted.en()),
            ("供应商：麒麟软件", "supplier: 麒麟软件")
        );
        assert_eq!(
            formatted,
            Bilingual::new("供应商：麒麟软件", "supplier: 麒麟软件")
        );
        let plain = Bilingual::format(format_args!("无"), format_args!(""));
        assert_eq!((plain.get(Lang::Zh), plain.get(Lang::En)), ("无", ""));
        assert_eq!(
            serde_json::to_string(&formatted).unwrap(),
            r#"{"zh":"供应商：麒麟软件","en":"supplier: 麒麟软件"}"#
        );
    }
    use std::path::Path;

    const POLICY: &str = r#"[policy]
id = "t"
version = 1
title = "t"

[origin]
domestic = ["CN", "中国"]

[unclassified]
key_types = ["device"]
level = "deny"

[[category]]
id = "app"
name = "业务应用软件"
name_en = "Business application software"
key = true
checks = { supplier-known = "warn", supplier-domestic = "deny", identity-complete = "warn" }

[[category]]
id = "security"
name = "信息安全设备"
name_en = "Information-security equipment"
key = true
checks = { manufacturer-domestic = "deny" }

[[classify]]
category = "app"
category_text = ["业务应用*"]

[[classify]]
category = "security"
category_text = ["*安全设备*"]
"#;

    /// Evaluates one inventory file, given by name (for its format) and text.
    fn run(file: &str, text: &str) -> Evaluation {
        let policy = Policy::parse(Path::new("p.toml"), POLICY).unwrap();
        let doc = crate::inventory::parse_bytes(Path::new(file), text.as_bytes()).unwrap();
        let inv = Inventory::from_documents(vec![doc]);
        evaluate(
            &inv,
            &policy,
            &Catalog::default(),
            &[],
            "2026-11-28".parse().unwrap(),
        )
    }

    fn app(fields: &str) -> String {
        format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{{"type":"application","bom-ref":"a","version":"1.0","purl":"pkg:generic/x/a@1.0",{fields}"properties":[{{"name":"anbao:category","value":"业务应用软件"}}]}}]}}"#
        )
    }

    fn codes(e: &Evaluation) -> Vec<(Code, Level)> {
        e.findings.iter().map(|f| (f.code, f.level)).collect()
    }

    #[test]
    fn a_gap_two_checks_see_is_reported_once_at_the_more_severe_level() {
        // supplier-known (warn) and supplier-domestic (deny) both find no supplier named.
        let e = run("a.cdx.json", &app(r#""name":"审批系统","#));
        assert_eq!(
            codes(&e),
            [
                (Code::SupplierUnknown, Level::Deny),
                (Code::IdentityIncomplete, Level::Warn)
            ]
        );
        assert_eq!(e.findings[0].check, Some(Check::SupplierDomestic));
        assert_eq!(e.components[0].verdict, Verdict::InsufficientEvidence);
    }

    #[test]
    fn a_component_without_a_name_is_not_fully_identified() {
        let e = run(
            "a.cdx.json",
            &app(r#""name":"","supplier":{"name":"示例","address":{"country":"CN"}},"#),
        );
        assert_eq!(codes(&e), [(Code::IdentityIncomplete, Level::Warn)]);
        assert_eq!(e.findings[0].message.en(), "missing: name");
    }

    #[test]
    fn a_device_made_abroad_fails_even_when_its_maker_is_not_named() {
        let csv =
            "设备名称,类别,厂商,型号,产地\n防火墙,安全设备,,FW-9,美国\n防火墙二,安全设备,,FW-8,\n";
        let e = run("d.csv", csv);
        assert_eq!(
            codes(&e),
            [
                (Code::ManufacturerForeign, Level::Deny),
                (Code::ManufacturerUnknown, Level::Deny)
            ]
        );
        assert_eq!(
            e.findings[0].message.en(),
            "the device's country of origin is 美国"
        );
        assert_eq!(e.components[0].verdict, Verdict::Fail);
        assert_eq!(e.components[1].verdict, Verdict::InsufficientEvidence);
    }

    #[test]
    fn an_unclassified_key_component_points_at_the_key_types_line() {
        let e = run("d.csv", "设备名称,型号\n不明设备,X-1\n");
        assert_eq!(codes(&e), [(Code::UnclassifiedKeyComponent, Level::Deny)]);
        assert_eq!(&*e.findings[0].rule, "p.toml:10");
        assert!(!e.components_meet);
    }
}
