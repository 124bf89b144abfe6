//! Problems found in well-formed inventories: data, with stable codes, never crashes.

use crate::i18n::Bilingual;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Info,
    Warn,
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// Every inventory finding has one of these stable kebab-case codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A dependency or relationship names a component the document does not contain.
    DanglingDependencyRef,
    /// Two components of one document share a bom-ref (or SPDXID).
    DuplicateBomRef,
    /// A component type outside the vocabulary of its format.
    UnknownComponentType,
    /// A component without a version.
    MissingVersion,
    /// A column or key of a hardware inventory that anbao does not know; its values are kept as
    /// properties but the header should be checked.
    UnknownColumn,
    /// The same component, seen in two files, is described differently.
    ComponentConflict,
    /// A value anbao could not interpret and kept verbatim (a date, a quantity).
    UnreadableValue,
    /// A relationship anbao does not turn into a graph edge (reference to another document ...).
    IgnoredRelationship,
}

impl Code {
    pub const ALL: [Code; 8] = [
        Code::DanglingDependencyRef,
        Code::DuplicateBomRef,
        Code::UnknownComponentType,
        Code::MissingVersion,
        Code::UnknownColumn,
        Code::ComponentConflict,
        Code::UnreadableValue,
        Code::IgnoredRelationship,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::DanglingDependencyRef => "dangling-dependency-ref",
            Code::DuplicateBomRef => "duplicate-bom-ref",
            Code::UnknownComponentType => "unknown-component-type",
            Code::MissingVersion => "missing-version",
            Code::UnknownColumn => "unknown-column",
            Code::ComponentConflict => "component-conflict",
            Code::UnreadableValue => "unreadable-value",
            Code::IgnoredRelationship => "ignored-relationship",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The level a finding of this code has unless a policy says otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Code::DanglingDependencyRef | Code::DuplicateBomRef | Code::ComponentConflict => {
                Level::Warn
            }
            Code::UnknownComponentType | Code::MissingVersion | Code::UnknownColumn => Level::Warn,
            Code::UnreadableValue => Level::Warn,
            Code::IgnoredRelationship => Level::Info,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub level: Level,
    pub file: PathBuf,
    /// JSON pointer, line:column or line; empty for the file as a whole.
    pub location: String,
    /// The component concerned, as `name@version`, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// What is wrong, in both languages; serialised as `{"zh": ..., "en": ...}`.
    pub message: Bilingual,
}

impl Finding {
    pub fn new(
        code: Code,
        file: impl Into<PathBuf>,
        location: impl Into<String>,
        message: Bilingual,
    ) -> Finding {
        Finding {
            code,
            level: code.default_level(),
            file: file.into(),
            location: location.into(),
            component: None,
            message,
        }
    }

    /// Whether the finding means the file breaks its own format's rules (every reference must
    /// resolve and every identifier be unique), so that validation fails.
    pub fn breaks_spec(&self) -> bool {
        matches!(
            self.code,
            Code::DanglingDependencyRef | Code::DuplicateBomRef
        )
    }

    pub fn about(mut self, component: impl Into<String>) -> Finding {
        self.component = Some(component.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_names() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
