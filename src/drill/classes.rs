//! The incident categories and sub-categories of GB/T 20986-2023 that playbooks name, kept as
//! data in `checklists/incident-classes.toml` (a workspace may correct or extend them), and the
//! four incident grades.

use super::text::LocalText;
use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The classes shipped with anbao, used when a workspace has none of its own.
pub const BUILTIN: &str = include_str!("../../checklists/incident-classes.toml");
/// Where a workspace keeps its own copy.
pub const WORKSPACE_FILE: &str = "checklists/incident-classes.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub code: String,
    pub name: LocalText,
    /// Whether the name was checked against the text of the standard.
    pub confirmed: bool,
    #[serde(default)]
    pub subcategories: Vec<Subcategory>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Subcategory {
    pub code: String,
    pub name: LocalText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    category: Vec<Category>,
}

/// The known incident categories.
#[derive(Debug, Clone)]
pub struct Classes {
    pub categories: Vec<Category>,
}

impl Classes {
    pub fn parse(path: &Path, text: &str) -> Result<Classes, InputError> {
        let file: File = crate::workspace::parse_toml(path, text)?;
        let mut seen = std::collections::BTreeSet::new();
        for c in &file.category {
            for code in std::iter::once(&c.code).chain(c.subcategories.iter().map(|s| &s.code)) {
                if !seen.insert(code.clone()) {
                    return Err(InputError::whole_file(
                        path,
                        format!("code '{code}' is given twice"),
                    ));
                }
            }
        }
        Ok(Classes {
            categories: file.category,
        })
    }

    pub fn builtin() -> Classes {
        Classes::parse(Path::new("<built-in incident classes>"), BUILTIN)
            .expect("the shipped incident classes are valid")
    }

    /// The workspace's own classes if it has a file, else the built-in ones.
    pub fn for_workspace(root: &Path) -> Result<Classes, InputError> {
        let path = root.join(WORKSPACE_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Classes::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Classes::builtin()),
            Err(e) => Err(InputError::whole_file(&path, format!("cannot read: {e}"))),
        }
    }

    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }
}

/// The four incident grades, I 特别重大, II 重大, III 较大, IV 一般 (GB/T 20986-2023 clause 6 names
/// them; for reporting, a grade is judged by the guide attached to the national reporting measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    I,
    II,
    III,
    IV,
}

impl Grade {
    pub fn parse(s: &str) -> Option<Grade> {
        match s {
            "I" => Some(Grade::I),
            "II" => Some(Grade::II),
            "III" => Some(Grade::III),
            "IV" => Some(Grade::IV),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::I => "I",
            Grade::II => "II",
            Grade::III => "III",
            Grade::IV => "IV",
        }
    }

    pub fn name(self) -> LocalText {
        match self {
            Grade::I => LocalText::new("特别重大", "extraordinarily serious"),
            Grade::II => LocalText::new("重大", "serious"),
            Grade::III => LocalText::new("较大", "relatively serious"),
            Grade::IV => LocalText::new("一般", "ordinary"),
        }
    }

    /// Incidents of grade III (较大) and above must be reported (article 4 of the national
    /// reporting measures, in force 2025-11-01); see [`super::reporting::reporting_clock`].
    pub fn must_be_reported(self) -> bool {
        self <= Grade::III
    }
}

pub use super::reporting::Operator;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_classes_have_ten_categories() {
        let c = Classes::builtin();
        assert_eq!(c.categories.len(), 10);
        assert!(c.category("MI").is_some());
        assert!(Grade::III.must_be_reported() && !Grade::IV.must_be_reported());
    }

    #[test]
    fn a_code_given_twice_is_an_error() {
        let text = "[[category]]\ncode = \"A\"\nname = { zh = \"甲\", en = \"a\" }\nconfirmed = true\nsubcategories = [{ code = \"A\", name = { zh = \"乙\", en = \"b\" } }]\n";
        let err = Classes::parse(Path::new("c.toml"), text).unwrap_err();
        assert!(err.to_string().contains("'A' is given twice"), "{err}");
    }
}
