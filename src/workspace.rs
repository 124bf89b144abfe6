//! Finding and loading a project workspace: `anbao.toml` and the folders beside it.

use crate::error::{InputError, Location};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "anbao.toml";

/// One government informatization project, as described by its `anbao.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub project: Project,
    pub units: Units,
    #[serde(default)]
    pub milestones: Milestones,
    #[serde(default)]
    pub inventories: InventoryConfig,
    #[serde(default)]
    pub crypto: CryptoConfig,
    #[serde(default)]
    pub policy: PolicyConfig,
}

/// Which controllable-procurement policy, catalogs and waivers apply, relative to the workspace.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    #[serde(default = "default_policy_file")]
    pub file: PathBuf,
    #[serde(default = "default_catalogs")]
    pub catalogs: Vec<PathBuf>,
    /// Optional: a workspace without waivers has none.
    #[serde(default = "default_waivers")]
    pub waivers: PathBuf,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            file: default_policy_file(),
            catalogs: default_catalogs(),
            waivers: default_waivers(),
        }
    }
}

fn default_policy_file() -> PathBuf {
    PathBuf::from("checklists/controllable-policy.toml")
}

fn default_catalogs() -> Vec<PathBuf> {
    vec![
        PathBuf::from("checklists/approved-products.toml"),
        PathBuf::from("checklists/secure-reliable-evaluations.toml"),
    ]
}

fn default_waivers() -> PathBuf {
    PathBuf::from("checklists/waivers.toml")
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub code: String,
    #[serde(default)]
    pub description: Option<String>,
    /// True for demo data that does not describe a real project.
    #[serde(default)]
    pub illustrative: bool,
    /// The IANA time zone drill times are logged and shown in (default Asia/Shanghai).
    #[serde(default)]
    pub timezone: crate::timezone::Zone,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

/// The parties the city's measures name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Units {
    /// 项目实施单位: the department that owns the project.
    pub implementing: Unit,
    /// 项目建设单位: the contractor that builds it.
    pub construction: Unit,
    /// 项目监理单位: the independent supervisor.
    #[serde(default)]
    pub supervision: Option<Unit>,
}

/// Milestone dates; a missing date means the step has not happened yet.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Milestones {
    #[serde(default, deserialize_with = "toml_date::option")]
    pub contract_signed: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub contract_filed: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub supervision_contracted: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub supervision_filed: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub construction_started: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub acceptance_completed: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date::option")]
    pub acceptance_report_filed: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryConfig {
    /// Files, folders (walked to any depth) or glob patterns, relative to the workspace,
    /// holding the inventories.
    #[serde(default = "default_inventory_paths", deserialize_with = "globs::paths")]
    pub paths: Vec<PathBuf>,
    /// Globs of files in those folders that are not inventories (matched against the name, or
    /// with a `/` against the path relative to the workspace); each is listed as excluded.
    #[serde(default = "default_exclude", deserialize_with = "globs::patterns")]
    pub exclude: Vec<String>,
    /// Product categories (policy ids) the project is known to contain; a category without a
    /// component in the inventories makes the evidence insufficient. Absent: the project must
    /// contain at least one key product; `[]` declares a project with none.
    #[serde(default)]
    pub expected_categories: Option<Vec<toml::Spanned<String>>>,
}

impl Default for InventoryConfig {
    fn default() -> Self {
        InventoryConfig {
            paths: default_inventory_paths(),
            exclude: default_exclude(),
            expected_categories: None,
        }
    }
}

fn default_inventory_paths() -> Vec<PathBuf> {
    vec![PathBuf::from("inventories")]
}

/// Documentation kept beside the inventories.
fn default_exclude() -> Vec<String> {
    vec!["*.md".into(), "README*".into()]
}

/// Inventory paths and exclude rules checked as globs when the manifest is read, so a bad
/// pattern is reported at its line and column.
mod globs {
    use crate::inventory::discover::{glob, is_pattern};
    use serde::{de::Error, Deserialize, Deserializer};
    use std::path::PathBuf;

    pub fn paths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
        let paths = Vec::<String>::deserialize(d)?;
        for p in paths.iter().filter(|p| is_pattern(p)) {
            glob(p).map_err(|e| D::Error::custom(format!("bad pattern '{p}': {e}")))?;
        }
        Ok(paths.into_iter().map(PathBuf::from).collect())
    }

    pub fn patterns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let patterns = Vec::<String>::deserialize(d)?;
        for p in &patterns {
            glob(p).map_err(|e| D::Error::custom(format!("bad pattern '{p}': {e}")))?;
        }
        Ok(patterns)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CryptoProfile {
    /// SHA-256 and Ed25519.
    #[default]
    Intl,
    /// SM3 and SM2, the national algorithms.
    Gm,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CryptoConfig {
    #[serde(default)]
    pub profile: CryptoProfile,
}

/// A loaded workspace: its root folder and manifest.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub manifest: Manifest,
}

impl Workspace {
    /// The workspace named on the command line, else the one around the current folder.
    pub fn locate(explicit: Option<&Path>) -> Result<Workspace, InputError> {
        match explicit {
            Some(dir) => Workspace::open(dir),
            None => {
                let here = std::env::current_dir().map_err(|e| {
                    InputError::whole_file(
                        Path::new("."),
                        format!("cannot read the current folder: {e}"),
                    )
                })?;
                Workspace::discover(&here)
            }
        }
    }

    /// Finds the workspace containing `start`: the nearest folder upwards with an `anbao.toml`.
    pub fn discover(start: &Path) -> Result<Workspace, InputError> {
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            let manifest = dir.join(MANIFEST);
            if manifest.is_file() {
                return Workspace::open(dir);
            }
        }
        Err(InputError::whole_file(
            &start,
            format!("no '{MANIFEST}' here or in any parent folder: run anbao inside a workspace, pass --workspace DIR, or name inventory files"),
        ))
    }

    /// Opens the workspace whose manifest is `root/anbao.toml`.
    pub fn open(root: &Path) -> Result<Workspace, InputError> {
        let path = root.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
        let manifest = parse_toml::<Manifest>(&path, &text)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            manifest,
        })
    }

    /// The workspace's inventory files, found as `[inventories]` says (folders walked to any
    /// depth, files identified by content), with every file found there and not read.
    pub fn inventories(&self) -> Result<crate::inventory::discover::Discovery, InputError> {
        let cfg = &self.manifest.inventories;
        crate::inventory::discover::discover(
            &self.root,
            &self.root.join(MANIFEST),
            &cfg.paths,
            &cfg.exclude,
        )
    }
}

/// Parses TOML into `T`, reporting errors as `file:line:column: message`.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, InputError> {
    toml::from_str::<T>(text).map_err(|e| toml_error(path, text, &e))
}

/// Turns a `toml` error into an [`InputError`] with line and column.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let location = match e.span() {
        Some(span) => Location::from_offset(text.as_bytes(), span.start),
        None => Location::File,
    };
    InputError::new(path, location, e.message().trim().replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestone_dates_read_as_toml_dates_or_strings() {
        let m: Milestones = parse_toml(
            Path::new("m.toml"),
            "contract_signed = 2026-03-09\ncontract_filed = \"2026-03-13\"\n",
        )
        .unwrap();
        assert_eq!(
            m.contract_signed,
            Some(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap())
        );
        assert_eq!(
            m.contract_filed,
            Some(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap())
        );
        let err = parse_toml::<Milestones>(Path::new("m.toml"), "\ncontract_signed = \"March\"\n")
            .unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 2, .. }),
            "{err}"
        );
        assert!(err.message.contains("expected a date"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors_with_line_and_column() {
        let text = "[project]\nname = \"x\"\ncode = \"c\"\ncolour = \"red\"\n";
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Only {
            project: Project,
        }
        let err = parse_toml::<Only>(Path::new("anbao.toml"), text).unwrap_err();
        assert_eq!(err.location, Location::LineCol { line: 4, column: 1 });
        assert!(err.message.contains("colour"), "{}", err.message);
    }
}

/// Serde helpers for dates in TOML files: a TOML local date (`2026-03-09`) or a string holding
/// one. chrono alone expects a string, and TOML dates arrive as their own type.
pub mod toml_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Toml(toml::value::Datetime),
        Text(String),
    }

    fn convert<E: serde::de::Error>(raw: Raw) -> Result<NaiveDate, E> {
        let text = match raw {
            Raw::Toml(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(E::custom(format!(
                        "expected a date without time, found '{dt}'"
                    )));
                }
                dt.to_string()
            }
            Raw::Text(s) => s,
        };
        text.parse::<NaiveDate>()
            .map_err(|_| E::custom(format!("expected a date like 2026-03-09, found '{text}'")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        convert(Raw::deserialize(d)?)
    }

    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Raw>::deserialize(d)?.map(convert).transpose()
    }

    pub fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Raw>::deserialize(d)?
            .into_iter()
            .map(convert)
            .collect()
    }
}
