//! The controllable-procurement policy file: categories, classification rules, parties and
//! licences, read with positions and validated into a [`Policy`].

use super::code::Check;
use crate::error::{InputError, Location};
use crate::inventory::{ComponentType, Level};
use globset::Glob;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    policy: Header,
    #[serde(default)]
    origin: OriginFile,
    #[serde(default)]
    licenses: LicensesFile,
    #[serde(default)]
    unclassified: UnclassifiedFile,
    #[serde(default)]
    category: Vec<Spanned<CategoryFile>>,
    #[serde(default)]
    classify: Vec<Spanned<RuleFile>>,
    #[serde(default, rename = "override")]
    overrides: Vec<Spanned<OverrideFile>>,
    #[serde(default)]
    party: Vec<Spanned<PartyFile>>,
    #[serde(default)]
    procurement_2023: Option<Spanned<Procurement2023File>>,
}

/// The switch for the 2023 government procurement demand standards (MOF and MIIT): CPUs and
/// operating systems must have passed the security-and-reliability evaluation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Procurement2023File {
    enabled: bool,
    /// The policy categories that hold CPUs and operating systems.
    categories: Vec<String>,
    #[serde(default = "deny_level")]
    level: LevelFile,
    #[serde(default)]
    basis: Vec<String>,
}

fn deny_level() -> LevelFile {
    LevelFile::Deny
}

/// The 2023 procurement-standard rule as the policy sets it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Procurement2023 {
    pub enabled: bool,
    pub categories: Vec<String>,
    pub level: Level,
    pub basis: Vec<String>,
}

/// Who wrote the policy, on what basis.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: String,
    pub version: u32,
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub illustrative: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OriginFile {
    #[serde(default)]
    domestic: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LicensesFile {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnclassifiedFile {
    #[serde(default)]
    key_types: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    level: Option<LevelFile>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LevelFile {
    Deny,
    Warn,
    Info,
}

impl From<LevelFile> for Level {
    fn from(l: LevelFile) -> Level {
        match l {
            LevelFile::Deny => Level::Deny,
            LevelFile::Warn => Level::Warn,
            LevelFile::Info => Level::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Inherit {
    /// Requirements apply to the category's own components only.
    #[default]
    None,
    /// Parts contained in a component of the category (firmware in a switch) inherit them.
    Contains,
    /// Everything the component contains or depends on inherits them.
    All,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    id: String,
    name: String,
    name_en: String,
    #[serde(default)]
    key: bool,
    #[serde(default)]
    blocking: Option<bool>,
    #[serde(default)]
    inherit: Inherit,
    #[serde(default)]
    checks: BTreeMap<String, LevelFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    category: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default, rename = "type")]
    types: Vec<String>,
    #[serde(default)]
    name: Vec<Spanned<String>>,
    #[serde(default)]
    purl: Vec<Spanned<String>>,
    #[serde(default)]
    cpe_vendor: Vec<Spanned<String>>,
    #[serde(default)]
    cpe_product: Vec<Spanned<String>>,
    #[serde(default)]
    supplier: Vec<Spanned<String>>,
    #[serde(default, rename = "category_text")]
    category_text: Vec<Spanned<String>>,
    #[serde(default)]
    hardware_class: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideFile {
    component: String,
    category: String,
    reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyList {
    Allow,
    Deny,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyFile {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    list: Option<PartyList>,
    #[serde(default)]
    note: Option<String>,
}

/// A place in a policy file, shown with findings so the team can see which rule spoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub file: PathBuf,
    pub line: usize,
    /// `file:line`, formatted once: a large check cites the same rule thousands of times.
    text: Arc<str>,
}

impl RuleRef {
    pub fn new(file: PathBuf, line: usize) -> RuleRef {
        let text = format!("{}:{line}", file.display()).into();
        RuleRef { file, line, text }
    }

    /// `file:line`, shared.
    pub fn text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }
}

impl std::fmt::Display for RuleRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A product category and what it requires.
#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// One of the key product categories the measures name.
    pub key: bool,
    /// Whether a failing component of this category fails the project.
    pub blocking: bool,
    pub inherit: Inherit,
    /// Required evidence and the level of a finding when it is missing or contrary.
    pub checks: Vec<(Check, Level)>,
    pub at: RuleRef,
}

/// The fields of a component a classification rule can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Purl,
    CpeVendor,
    CpeProduct,
    Supplier,
    CategoryText,
    /// The device class anbao resolved (`processor`, `storage`, `network-interface` ...).
    HardwareClass,
}

/// A classification rule: every field it names must match one of its patterns.
#[derive(Debug, Clone)]
pub struct Rule {
    pub category: usize,
    pub note: Option<String>,
    pub types: Vec<ComponentType>,
    pub patterns: Vec<(Field, Vec<Glob>)>,
    pub at: RuleRef,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub component: String,
    pub category: usize,
    pub reason: String,
    pub at: RuleRef,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub country: Option<String>,
    pub list: Option<PartyList>,
    pub note: Option<String>,
    pub at: RuleRef,
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub file: PathBuf,
    pub header: Header,
    pub domestic: Vec<String>,
    pub allowed_licenses: Vec<String>,
    pub unclassified_key_types: Vec<ComponentType>,
    pub unclassified_level: Level,
    /// Where `[unclassified] key_types` is written, for the findings it causes.
    pub unclassified_at: Option<RuleRef>,
    pub categories: Vec<Category>,
    pub rules: Vec<Rule>,
    pub overrides: Vec<Override>,
    pub parties: Vec<Party>,
    /// The 2023 procurement-standard rule (CPUs and operating systems evaluated), when the
    /// policy states it.
    pub procurement_2023: Option<Procurement2023>,
    party_index: HashMap<String, usize>,
}

/// Folds a company or country name for comparison: case, spaces and full-width brackets do not
/// distinguish names.
pub fn fold_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl Policy {
    pub fn load(path: &Path) -> Result<Policy, InputError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
        Policy::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Policy, InputError> {
        let file: PolicyFile = crate::workspace::parse_toml(path, text)?;
        let at = |span: std::ops::Range<usize>| {
            let line = match Location::from_offset(text.as_bytes(), span.start) {
                Location::LineCol { line, .. } => line,
                _ => 0,
            };
            RuleRef::new(path.to_path_buf(), line)
        };
        let error_at = |span: std::ops::Range<usize>, message: String| {
            InputError::new(
                path,
                Location::from_offset(text.as_bytes(), span.start),
                message,
            )
        };

        let mut categories = Vec::new();
        for spanned in file.category {
            let span = spanned.span();
            let c = spanned.into_inner();
            if categories.iter().any(|x: &Category| x.id == c.id) {
                return Err(error_at(
                    span,
                    format!("category '{}' is defined twice", c.id),
                ));
            }
            let mut checks = Vec::new();
            for (name, level) in c.checks {
                let check = Check::ALL
                    .into_iter()
                    .find(|k| k.as_str() == name)
                    .ok_or_else(|| {
                        let known: Vec<_> = Check::ALL.iter().map(|k| k.as_str()).collect();
                        error_at(
                            span.clone(),
                            format!(
                                "unknown check '{name}' in category '{}'; known checks: {}",
                                c.id,
                                known.join(", ")
                            ),
                        )
                    })?;
                checks.push((check, level.into()));
            }
            checks.sort();
            categories.push(Category {
                id: c.id,
                name: c.name,
                name_en: c.name_en,
                key: c.key,
                blocking: c.blocking.unwrap_or(c.key),
                inherit: c.inherit,
                checks,
                at: at(span),
            });
        }
        let procurement_2023 = match file.procurement_2023 {
            None => None,
            Some(spanned) => {
                let span = spanned.span();
                let r = spanned.into_inner();
                for id in &r.categories {
                    let Some(c) = categories.iter_mut().find(|c: &&mut Category| &c.id == id)
                    else {
                        let known: Vec<_> = categories.iter().map(|c| c.id.clone()).collect();
                        return Err(error_at(
                            span,
                            format!(
                                "[procurement_2023] names category '{id}', which is not defined; defined: {}",
                                known.join(", ")
                            ),
                        ));
                    };
                    if r.enabled
                        && !c
                            .checks
                            .iter()
                            .any(|(k, _)| *k == Check::SecureReliableEvaluated)
                    {
                        c.checks
                            .push((Check::SecureReliableEvaluated, r.level.into()));
                        c.checks.sort();
                    }
                }
                Some(Procurement2023 {
                    enabled: r.enabled,
                    categories: r.categories,
                    level: r.level.into(),
                    basis: r.basis,
                })
            }
        };
        let category_index = |id: &str, span: std::ops::Range<usize>| {
            categories.iter().position(|c| c.id == id).ok_or_else(|| {
                let known: Vec<_> = categories.iter().map(|c| c.id.as_str()).collect();
                error_at(
                    span,
                    format!("unknown category '{id}'; defined: {}", known.join(", ")),
                )
            })
        };

        let mut rules = Vec::new();
        for spanned in file.classify {
            let span = spanned.span();
            let r = spanned.into_inner();
            let category = category_index(&r.category, span.clone())?;
            let types = r
                .types
                .iter()
                .map(|t| ComponentType::parse(t))
                .collect::<Vec<_>>();
            if let Some(bad) = types.iter().find(|t| !t.is_known()) {
                return Err(error_at(
                    span,
                    format!(
                        "unknown component type '{}' in a classification rule",
                        bad.as_str()
                    ),
                ));
            }
            let mut patterns = Vec::new();
            for (field, globs) in [
                (Field::Name, r.name),
                (Field::Purl, r.purl),
                (Field::CpeVendor, r.cpe_vendor),
                (Field::CpeProduct, r.cpe_product),
                (Field::Supplier, r.supplier),
                (Field::CategoryText, r.category_text),
                (Field::HardwareClass, r.hardware_class),
            ] {
                if globs.is_empty() {
                    continue;
                }
                let compiled = globs
                    .into_iter()
                    .map(|g| compile_glob(g, &error_at))
                    .collect::<Result<Vec<_>, _>>()?;
                patterns.push((field, compiled));
            }
            if types.is_empty() && patterns.is_empty() {
                return Err(error_at(span, "a classification rule needs at least one condition (type, name, purl, cpe_vendor, cpe_product, supplier, category_text or hardware_class)".into()));
            }
            rules.push(Rule {
                category,
                note: r.note,
                types,
                patterns,
                at: at(span),
            });
        }

        let mut overrides = Vec::new();
        for spanned in file.overrides {
            let span = spanned.span();
            let o = spanned.into_inner();
            let category = category_index(&o.category, span.clone())?;
            overrides.push(Override {
                component: o.component,
                category,
                reason: o.reason,
                at: at(span),
            });
        }

        let mut parties = Vec::new();
        let mut party_index = HashMap::new();
        for spanned in file.party {
            let span = spanned.span();
            let p = spanned.into_inner();
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                if party_index.insert(fold_name(name), parties.len()).is_some() {
                    return Err(error_at(
                        span.clone(),
                        format!("the party name '{name}' is listed twice"),
                    ));
                }
            }
            parties.push(Party {
                name: p.name,
                country: p.country,
                list: p.list,
                note: p.note,
                at: at(span),
            });
        }

        let mut allowed_licenses = Vec::new();
        for l in file.licenses.allow {
            let span = l.span();
            let id = l.into_inner();
            if spdx::license_id(&id).is_none() && !id.starts_with("LicenseRef-") {
                return Err(error_at(
                    span,
                    format!("'{id}' is not an SPDX licence identifier"),
                ));
            }
            allowed_licenses.push(id);
        }

        let mut unclassified_key_types = Vec::new();
        let mut unclassified_at = None;
        if let Some(spanned) = file.unclassified.key_types {
            let span = spanned.span();
            for t in spanned.into_inner() {
                let kind = ComponentType::parse(&t);
                if !kind.is_known() {
                    return Err(error_at(
                        span,
                        format!("unknown component type '{t}' in [unclassified] key_types"),
                    ));
                }
                unclassified_key_types.push(kind);
            }
            unclassified_at = Some(at(span));
        }
        Ok(Policy {
            procurement_2023,
            file: path.to_path_buf(),
            header: file.policy,
            domestic: file.origin.domestic.iter().map(|d| fold_name(d)).collect(),
            allowed_licenses,
            unclassified_key_types,
            unclassified_level: file.unclassified.level.map_or(Level::Warn, Level::from),
            unclassified_at,
            categories,
            rules,
            overrides,
            parties,
            party_index,
        })
    }

    /// The party a company name refers to, by name or alias.
    pub fn party(&self, name: &str) -> Option<&Party> {
        self.party_index
            .get(&fold_name(name))
            .map(|&i| &self.parties[i])
    }

    /// Whether a country, as written anywhere (ISO code, English or Chinese name), is domestic.
    pub fn is_domestic(&self, country: &str) -> bool {
        self.domestic.contains(&fold_name(country))
    }

    /// The number of rules, for reports and benchmarks.
    pub fn rule_count(&self) -> usize {
        self.rules.len() + self.overrides.len() + self.parties.len()
    }
}

/// Compiles a case-insensitive glob, or says where the bad pattern is.
fn compile_glob(
    g: Spanned<String>,
    error_at: &dyn Fn(std::ops::Range<usize>, String) -> InputError,
) -> Result<Glob, InputError> {
    let span = g.span();
    let pattern = g.into_inner();
    globset::GlobBuilder::new(&pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map_err(|e| error_at(span, format!("bad pattern '{pattern}': {}", e.kind())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[policy]
id = "t"
version = 1
title = "测试"

[origin]
domestic = ["CN", "中国"]

[licenses]
allow = ["MIT", "Apache-2.0"]

[[category]]
id = "core-network"
name = "核心网络设备"
name_en = "Core network equipment"
key = true
inherit = "contains"
checks = { catalog = "deny", manufacturer-domestic = "deny" }

[[classify]]
category = "core-network"
type = ["device"]
category_text = ["*核心交换*"]

[[party]]
name = "华为技术有限公司"
aliases = ["华为", "Huawei Technologies Co., Ltd."]
country = "CN"
list = "allow"
"#;

    #[test]
    fn reads_a_minimal_policy() {
        let p = Policy::parse(Path::new("p.toml"), MINIMAL).unwrap();
        assert_eq!(p.categories.len(), 1);
        assert!(p.categories[0].blocking, "key categories block by default");
        assert_eq!(p.categories[0].checks.len(), 2);
        assert_eq!(p.rules[0].at.line, 21);
        assert_eq!(
            p.party("huawei technologies co., ltd.").unwrap().name,
            "华为技术有限公司"
        );
        assert!(p.is_domestic("cn") && p.is_domestic("中国") && !p.is_domestic("US"));
    }

    fn error_of(text: &str) -> InputError {
        Policy::parse(Path::new("p.toml"), text).unwrap_err()
    }

    #[test]
    fn unknown_keys_bad_patterns_and_bad_references_name_the_line() {
        let e = error_of(&MINIMAL.replace("key = true", "key = true\ncolour = \"red\""));
        assert!(e.to_string().starts_with("p.toml:18:"), "{e}");
        let e = error_of(&MINIMAL.replace("*核心交换*", "[核心"));
        assert!(e.to_string().starts_with("p.toml:24:"), "{e}");
        assert!(e.message.contains("bad pattern"), "{e}");
        let e = error_of(&MINIMAL.replace(
            "category = \"core-network\"\ntype",
            "category = \"nope\"\ntype",
        ));
        assert!(e.message.contains("unknown category 'nope'"), "{e}");
        let e = error_of(&MINIMAL.replace("catalog = \"deny\"", "catalogue = \"deny\""));
        assert!(e.message.contains("unknown check 'catalogue'"), "{e}");
        let e = error_of(&MINIMAL.replace("\"Apache-2.0\"", "\"Apache 2\""));
        assert!(e.to_string().starts_with("p.toml:11:"), "{e}");
        let e = error_of(&MINIMAL.replace("type = [\"device\"]", "type = [\"gizmo\"]"));
        assert!(e.message.contains("unknown component type 'gizmo'"), "{e}");
    }

    #[test]
    fn unclassified_key_types_are_validated_and_remember_their_line() {
        let with = |types: &str| {
            MINIMAL.replace(
                "[licenses]",
                &format!("[unclassified]\nkey_types = [{types}]\n\n[licenses]"),
            )
        };
        let p = Policy::parse(Path::new("p.toml"), &with("\"device\", \"firmware\"")).unwrap();
        assert_eq!(
            p.unclassified_key_types,
            [ComponentType::Device, ComponentType::Firmware]
        );
        assert_eq!(p.unclassified_at.unwrap().to_string(), "p.toml:11");
        // A misspelt type used to be accepted and then never matched anything.
        let e = error_of(&with("\"device\", \"devices\""));
        assert!(e.to_string().starts_with("p.toml:11:"), "{e}");
        assert!(
            e.message.contains("unknown component type 'devices'"),
            "{e}"
        );
        assert!(Policy::parse(Path::new("p.toml"), MINIMAL)
            .unwrap()
            .unclassified_at
            .is_none());
    }
}
