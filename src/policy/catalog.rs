//! The approved-product catalog: products that passed an evaluation (for example the national
//! security-and-reliability evaluation announcements), with validity periods.

use super::config::{fold_name, Policy, RuleRef};
use crate::error::{InputError, Location};
use crate::inventory::Component;
use chrono::NaiveDate;
use globset::GlobMatcher;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    catalog: CatalogHeader,
    #[serde(default)]
    product: Vec<Spanned<EntryFile>>,
}

/// What the catalog is and where its facts come from.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogHeader {
    pub title: String,
    #[serde(default)]
    pub illustrative: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// What kind of published result the entries copy, when the catalog is one source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// A published source a catalog copies its entries from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The national security-and-reliability evaluation (安全可靠测评) result announcements of
    /// the China Information Technology Security Evaluation Center: product, vendor, grade,
    /// announcement date. A result is taken as valid for [`SECURE_RELIABLE_YEARS`] years from
    /// the announcement unless the entry gives `valid_until`.
    SecureReliableEvaluation,
}

/// Years a security-and-reliability evaluation result stays valid from its announcement
/// [to be checked against CNITSEC's evaluation guide: taken from the project brief].
pub const SECURE_RELIABLE_YEARS: u32 = 3;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    vendor: String,
    product: Spanned<String>,
    #[serde(default)]
    models: Vec<Spanned<String>>,
    #[serde(default)]
    category: Option<String>,
    certificate: String,
    #[serde(default, deserialize_with = "crate::workspace::toml_date::option")]
    valid_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::workspace::toml_date::option")]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    source: Option<String>,
    /// The evaluation grade (安全可靠等级) an announcement gives.
    #[serde(default)]
    grade: Option<String>,
    /// The day the result was announced.
    #[serde(default, deserialize_with = "crate::workspace::toml_date::option")]
    announced: Option<NaiveDate>,
}

/// One approved product.
#[derive(Debug, Clone)]
pub struct Entry {
    pub vendor: String,
    pub product: String,
    pub models: Vec<String>,
    model_globs: Vec<GlobMatcher>,
    /// The policy category the approval is for, when it is restricted to one.
    pub category: Option<String>,
    /// Announcement or certificate number.
    pub certificate: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub source: Option<String>,
    /// The kind of source the entry's catalog copies, if any.
    pub kind: Option<SourceKind>,
    pub grade: Option<String>,
    pub announced: Option<NaiveDate>,
    pub at: RuleRef,
}

impl Entry {
    /// The last valid day as text, `—` when open-ended.
    pub fn until_text(&self) -> String {
        self.valid_until
            .map_or_else(|| "—".to_string(), |d| d.to_string())
    }

    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|until| day <= until)
    }
}

/// All catalog entries, indexed by vendor.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub headers: Vec<(PathBuf, CatalogHeader)>,
    pub entries: Vec<Entry>,
    by_vendor: HashMap<String, Vec<ProductLine>>,
}

/// A vendor's entries that share one product pattern (the models of a product line, or its
/// successive certificates), so that a component's name is matched once per pattern rather
/// than once per entry.
#[derive(Debug, Clone)]
struct ProductLine {
    pattern: String,
    matcher: GlobMatcher,
    /// Indices into [`Catalog::entries`], ascending.
    entries: Vec<usize>,
}

impl Catalog {
    /// Reads one catalog file and adds its entries. Vendor names are resolved through the
    /// policy's party list, so an alias finds the same entries as the full name.
    pub fn add_file(&mut self, path: &Path, policy: &Policy) -> Result<(), InputError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
        self.add_text(path, &text, policy)
    }

    pub fn add_text(&mut self, path: &Path, text: &str, policy: &Policy) -> Result<(), InputError> {
        let file: CatalogFile = crate::workspace::parse_toml(path, text)?;
        let loc = |offset: usize| Location::from_offset(text.as_bytes(), offset);
        let line = |offset: usize| match loc(offset) {
            Location::LineCol { line, .. } => line,
            _ => 0,
        };
        // Catalogs repeat a few patterns across many entries (every model of a product line);
        // each distinct pattern is compiled once and its matcher shared.
        let mut compiled: std::collections::HashMap<String, GlobMatcher> = Default::default();
        let mut glob = |s: Spanned<String>| -> Result<(String, GlobMatcher), InputError> {
            let span = s.span();
            let pattern = s.into_inner();
            if let Some(m) = compiled.get(&pattern) {
                return Ok((pattern, m.clone()));
            }
            let m = globset::GlobBuilder::new(&pattern)
                .case_insensitive(true)
                .build()
                .map_err(|e| {
                    InputError::new(
                        path,
                        loc(span.start),
                        format!("bad pattern '{pattern}': {}", e.kind()),
                    )
                })?
                .compile_matcher();
            compiled.insert(pattern.clone(), m.clone());
            Ok((pattern, m))
        };
        for spanned in file.product {
            let span = spanned.span();
            let e = spanned.into_inner();
            if let Some(category) = &e.category {
                if !policy.categories.iter().any(|c| &c.id == category) {
                    return Err(InputError::new(
                        path,
                        loc(span.start),
                        format!("unknown category '{category}'"),
                    ));
                }
            }
            let kind = file.catalog.kind;
            let (valid_from, valid_until) = match (kind, e.announced) {
                (Some(SourceKind::SecureReliableEvaluation), None) => {
                    return Err(InputError::new(
                        path,
                        loc(span.start),
                        "an entry of a secure-reliable-evaluation catalog needs 'announced', the date of the announcement it copies",
                    ))
                }
                (Some(SourceKind::SecureReliableEvaluation), Some(day)) => {
                    if e.grade.as_deref().is_none_or(|g| g.trim().is_empty()) {
                        return Err(InputError::new(
                            path,
                            loc(span.start),
                            "an entry of a secure-reliable-evaluation catalog needs 'grade', as the announcement gives it",
                        ));
                    }
                    let until = e.valid_until.or_else(|| {
                        day.checked_add_months(chrono::Months::new(12 * SECURE_RELIABLE_YEARS))
                            .and_then(|d| d.pred_opt())
                    });
                    (e.valid_from.unwrap_or(day), until)
                }
                (None, _) => match e.valid_from {
                    Some(from) => (from, e.valid_until),
                    None => {
                        return Err(InputError::new(
                            path,
                            loc(span.start),
                            "missing field `valid_from`",
                        ))
                    }
                },
            };
            if valid_until.is_some_and(|u| u < valid_from) {
                return Err(InputError::new(
                    path,
                    loc(span.start),
                    "valid_until is before valid_from",
                ));
            }
            let (product, product_glob) = glob(e.product)?;
            let mut models = Vec::new();
            let mut model_globs = Vec::new();
            for m in e.models {
                let (text, g) = glob(m)?;
                models.push(text);
                model_globs.push(g);
            }
            let index = self.entries.len();
            let lines = self
                .by_vendor
                .entry(vendor_key(policy, &e.vendor))
                .or_default();
            match lines.iter_mut().find(|l| l.pattern == product) {
                Some(line) => line.entries.push(index),
                None => lines.push(ProductLine {
                    pattern: product.clone(),
                    matcher: product_glob,
                    entries: vec![index],
                }),
            }
            self.entries.push(Entry {
                vendor: e.vendor,
                product,
                models,
                model_globs,
                category: e.category,
                certificate: e.certificate,
                valid_from,
                valid_until,
                source: e.source,
                kind,
                grade: e.grade,
                announced: e.announced,
                at: RuleRef::new(path.to_path_buf(), line(span.start)),
            });
        }
        self.headers.push((path.to_path_buf(), file.catalog));
        Ok(())
    }

    /// Entries that describe `component` (whatever their validity), given its category, in
    /// catalog order.
    pub fn matches(
        &self,
        policy: &Policy,
        component: &Component,
        category: Option<&str>,
    ) -> Vec<&Entry> {
        let vendors = [
            &component.manufacturer,
            &component.supplier,
            &component.originator,
        ]
        .into_iter()
        .flatten()
        .map(|p| p.name.as_str())
        .chain(component.publisher.as_deref());
        let mut seen = Vec::new();
        let mut found: Vec<usize> = Vec::new();
        let mut full_name = None;
        for vendor in vendors {
            let key = vendor_key(policy, vendor);
            if seen.contains(&key) {
                continue;
            }
            let lines = self.by_vendor.get(&key);
            seen.push(key);
            for line in lines.into_iter().flatten() {
                let full_name = full_name.get_or_insert_with(|| component.full_name());
                if !(line.matcher.is_match(&component.name) || line.matcher.is_match(&*full_name)) {
                    continue;
                }
                found.extend(line.entries.iter().copied().filter(|&i| {
                    let e = &self.entries[i];
                    e.category.as_deref().is_none_or(|c| Some(c) == category)
                        && (e.model_globs.is_empty()
                            || [
                                component.hardware.model.as_deref(),
                                component.version.as_deref(),
                            ]
                            .into_iter()
                            .flatten()
                            .any(|m| e.model_globs.iter().any(|g| g.is_match(m))))
                }));
            }
        }
        // Each entry is in one line of one vendor, so only the order needs restoring.
        found.sort_unstable();
        found.into_iter().map(|i| &self.entries[i]).collect()
    }
}

/// Vendors are compared by the policy party they name, or by their folded name.
fn vendor_key(policy: &Policy, name: &str) -> String {
    match policy.party(name) {
        Some(p) => fold_name(&p.name),
        None => fold_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ComponentType, Party};

    fn policy() -> Policy {
        Policy::parse(
            Path::new("p.toml"),
            "[policy]\nid='t'\nversion=1\ntitle='t'\n[[category]]\nid='basic-software'\nname='基础软件'\nname_en='Basic software'\n[[party]]\nname='麒麟软件有限公司'\naliases=['Kylin Software']\n",
        )
        .unwrap()
    }

    const CATALOG: &str = r#"[catalog]
title = "示例目录"
illustrative = true

[[product]]
vendor = "麒麟软件有限公司"
product = "银河麒麟高级服务器操作系统*"
models = ["V10*"]
category = "basic-software"
certificate = "示例公告 2024-1 号"
valid_from = 2024-01-01
valid_until = 2026-12-31
"#;

    #[test]
    fn matches_by_vendor_alias_product_and_model_and_judges_validity() {
        let p = policy();
        let mut cat = Catalog::default();
        cat.add_text(Path::new("c.toml"), CATALOG, &p).unwrap();
        let mut c = Component::new(
            "k",
            ComponentType::OperatingSystem,
            "银河麒麟高级服务器操作系统",
        );
        c.version = Some("V10 SP3".into());
        c.supplier = Some(Box::new(Party::named("Kylin Software")));
        let hits = cat.matches(&p, &c, Some("basic-software"));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].at.line, 5);
        assert!(hits[0].is_valid_on("2026-11-28".parse().unwrap()));
        assert!(!hits[0].is_valid_on("2027-01-01".parse().unwrap()));
        assert!(
            cat.matches(&p, &c, Some("other")).is_empty(),
            "restricted to its category"
        );
        c.version = Some("V7".into());
        assert!(cat.matches(&p, &c, Some("basic-software")).is_empty());
    }

    #[test]
    fn entries_of_several_product_lines_come_back_in_catalog_order() {
        let p = policy();
        let mut cat = Catalog::default();
        // Two product lines of one vendor, interleaved; an entry of each matches the component,
        // and so does an entry of a second catalog file.
        let entry = |product: &str, cert: &str| {
            format!("[[product]]\nvendor = \"麒麟软件有限公司\"\nproduct = \"{product}\"\ncertificate = \"{cert}\"\nvalid_from = 2024-01-01\n")
        };
        let first = [
            entry("银河麒麟*", "A"),
            entry("*服务器*", "B"),
            entry("银河麒麟*", "C"),
            entry("其他产品", "D"),
        ]
        .concat();
        let head = "[catalog]\ntitle = \"t\"\nillustrative = true\n";
        cat.add_text(Path::new("a.toml"), &format!("{head}{first}"), &p)
            .unwrap();
        cat.add_text(
            Path::new("b.toml"),
            &format!("{head}{}", entry("*服务器*", "E")),
            &p,
        )
        .unwrap();
        let mut c = Component::new("k", ComponentType::OperatingSystem, "银河麒麟服务器");
        c.supplier = Some(Box::new(Party::named("麒麟软件有限公司")));
        let certificates: Vec<&str> = cat
            .matches(&p, &c, None)
            .iter()
            .map(|e| e.certificate.as_str())
            .collect();
        assert_eq!(certificates, ["A", "B", "C", "E"]);
    }

    #[test]
    fn bad_entries_name_their_line() {
        let p = policy();
        let mut cat = Catalog::default();
        let err = cat
            .add_text(
                Path::new("c.toml"),
                &CATALOG.replace("2026-12-31", "\"someday\""),
                &p,
            )
            .unwrap_err();
        assert!(err.to_string().starts_with("c.toml:12:"), "{err}");
        let err = cat
            .add_text(
                Path::new("c.toml"),
                &CATALOG.replace("\"V10*\"", "\"V10[\""),
                &p,
            )
            .unwrap_err();
        assert!(err.to_string().starts_with("c.toml:8:"), "{err}");
    }
}
