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
    /// Files or folders, relative to the workspace, holding the inventories.
    #[serde(default = "default_inventory_paths")]
    pub paths: Vec<PathBuf>,
}

impl Default for InventoryConfig {
    fn default() -> Self {
        InventoryConfig {
            paths: default_inventory_paths(),
        }
    }
}

fn default_inventory_paths() -> Vec<PathBuf> {
    vec![PathBuf::from("inventories")]
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

    /// Every inventory file of the workspace, in a stable order: the configured files, and the
    /// files inside the configured folders (not hidden, not README/notes), sorted by path.
    pub fn inventory_files(&self) -> Result<Vec<PathBuf>, InputError> {
        let mut files = Vec::new();
        for rel in &self.manifest.inventories.paths {
            let path = self.root.join(rel);
            if path.is_dir() {
                let entries = std::fs::read_dir(&path)
                    .map_err(|e| InputError::whole_file(&path, format!("cannot list: {e}")))?;
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_inventory_candidate(p))
                    .collect();
                found.sort();
                files.extend(found);
            } else if path.is_file() {
                files.push(path);
            } else {
                return Err(InputError::whole_file(
                    &self.root.join(MANIFEST),
                    format!("inventory path '{}' does not exist", rel.display()),
                ));
            }
        }
        Ok(files)
    }
}

/// Files in an inventory folder that are documentation rather than inventories.
fn is_inventory_candidate(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    !(name.starts_with('.') || lower.ends_with(".md") || lower.ends_with(".txt"))
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
