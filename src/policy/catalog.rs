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
}

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
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    valid_from: NaiveDate,
    #[serde(default, deserialize_with = "crate::workspace::toml_date::option")]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    source: Option<String>,
}

/// One approved product.
#[derive(Debug, Clone)]
pub struct Entry {
    pub vendor: String,
    pub product: String,
    product_glob: GlobMatcher,
    pub models: Vec<String>,
    model_globs: Vec<GlobMatcher>,
    /// The policy category the approval is for, when it is restricted to one.
    pub category: Option<String>,
    /// Announcement or certificate number.
    pub certificate: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub source: Option<String>,
    pub at: RuleRef,
}

impl Entry {
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|until| day <= until)
    }
}

/// All catalog entries, indexed by vendor.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub headers: Vec<(PathBuf, CatalogHeader)>,
    pub entries: Vec<Entry>,
    by_vendor: HashMap<String, Vec<usize>>,
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
            if e.valid_until.is_some_and(|u| u < e.valid_from) {
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
            self.by_vendor
                .entry(vendor_key(policy, &e.vendor))
                .or_default()
                .push(index);
            self.entries.push(Entry {
                vendor: e.vendor,
                product,
                product_glob,
                models,
                model_globs,
                category: e.category,
                certificate: e.certificate,
                valid_from: e.valid_from,
                valid_until: e.valid_until,
                source: e.source,
                at: RuleRef {
                    file: path.to_path_buf(),
                    line: line(span.start),
                },
            });
        }
        self.headers.push((path.to_path_buf(), file.catalog));
        Ok(())
    }

    /// Entries that describe `component` (whatever their validity), given its category.
    pub fn matches(
        &self,
        policy: &Policy,
        component: &Component,
        category: Option<&str>,
    ) -> Vec<&Entry> {
        let mut out = Vec::new();
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
        let full_name = component.full_name();
        for vendor in vendors {
            let key = vendor_key(policy, vendor);
            if seen.contains(&key) {
                continue;
            }
            let Some(indices) = self.by_vendor.get(&key) else {
                seen.push(key);
                continue;
            };
            seen.push(key);
            for &i in indices {
                let e = &self.entries[i];
                if e.category.as_deref().is_some_and(|c| Some(c) != category) {
                    continue;
                }
                let named =
                    e.product_glob.is_match(&component.name) || e.product_glob.is_match(&full_name);
                if !named {
                    continue;
                }
                let model_ok = e.model_globs.is_empty()
                    || [
                        component.hardware.model.as_deref(),
                        component.version.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|m| e.model_globs.iter().any(|g| g.is_match(m)));
                if model_ok && !out.iter().any(|x: &&Entry| std::ptr::eq(*x, e)) {
                    out.push(e);
                }
            }
        }
        out
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
