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
        match crate::fsutil::read_text_if_present(&path, crate::fsutil::CONFIG_LIMIT)? {
            Some(text) => Classes::parse(&path, &text),
            None => Ok(Classes::builtin()),
        }
    }

    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }
}

/// Incident grades of GB/T 20986-2023 clause 6: I 特别重大, II 重大, III 较大, IV 一般.
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

    /// Incidents of grade III (较大) and above must be reported under the national reporting
    /// measures (in force 2025-11-01).
    pub fn must_be_reported(self) -> bool {
        self <= Grade::III
    }
}

/// Who runs the system, which sets the reporting clock of the national incident reporting
/// measures (in force 2025-11-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    /// A critical-information-infrastructure operator: report within 1 hour.
    Cii,
    /// A state organ (Party and government bodies): within 2 hours.
    StateOrgan,
    /// Any other operator: within 4 hours, to the provincial cyberspace office.
    Other,
}

impl Operator {
    pub fn parse(s: &str) -> Option<Operator> {
        match s {
            "cii" => Some(Operator::Cii),
            "state-organ" => Some(Operator::StateOrgan),
            "other" => Some(Operator::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Cii => "cii",
            Operator::StateOrgan => "state-organ",
            Operator::Other => "other",
        }
    }

    /// Minutes from discovery within which the report is due.
    pub fn report_within_minutes(self) -> u32 {
        match self {
            Operator::Cii => 60,
            Operator::StateOrgan => 120,
            Operator::Other => 240,
        }
    }

    pub fn name(self) -> LocalText {
        match self {
            Operator::Cii => {
                LocalText::new("关键信息基础设施运营者", "critical-infrastructure operator")
            }
            Operator::StateOrgan => LocalText::new("国家机关", "state organ"),
            Operator::Other => LocalText::new("其他网络运营者", "other network operator"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_classes_have_ten_categories() {
        let c = Classes::builtin();
        assert_eq!(c.categories.len(), 10);
        assert!(c.category("MI").is_some());
        assert!(Grade::III.must_be_reported() && !Grade::IV.must_be_reported());
        assert_eq!(Operator::StateOrgan.report_within_minutes(), 120);
    }

    #[test]
    fn a_code_given_twice_is_an_error() {
        let text = "[[category]]\ncode = \"A\"\nname = { zh = \"甲\", en = \"a\" }\nconfirmed = true\nsubcategories = [{ code = \"A\", name = { zh = \"乙\", en = \"b\" } }]\n";
        let err = Classes::parse(Path::new("c.toml"), text).unwrap_err();
        assert!(err.to_string().contains("'A' is given twice"), "{err}");
    }
}
