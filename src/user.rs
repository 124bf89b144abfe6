//! The person using anbao on this computer: the name recorded with their answers,
//! confirmations and drill records (never a login name), and the unit they usually act for.
//! Kept in `user.toml` in the user's config folder: `$ANBAO_CONFIG_DIR`, else the platform's
//! (`~/.config/anbao/` on Linux). `ANBAO_PERSON` overrides the name for one run.

use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The environment variable that names the person for one run (scripts, tests).
pub const PERSON_ENV: &str = "ANBAO_PERSON";

/// The user's anbao config folder: `$ANBAO_CONFIG_DIR`, else the platform's `anbao` folder.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("ANBAO_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => crate::ledger::keys::config_dir(),
    }
}

/// Where the user's settings are kept.
pub fn file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("user.toml"))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The person's name as it goes into records, e.g. 王科长.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The unit (role) they act for by default, e.g. implementing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Why a name cannot be recorded, or `None` when it can.
pub fn name_problem(name: &str) -> Option<crate::i18n::ledger::Message> {
    let name = name.trim();
    let m = crate::i18n::ledger::Message::new;
    if name.is_empty() {
        Some(m("请填写您的姓名", "say who you are: your name"))
    } else if name.chars().count() > 64 {
        Some(m(
            "姓名不能超过 64 个字符",
            "a name has at most 64 characters",
        ))
    } else if name.chars().any(char::is_control) {
        Some(m(
            "姓名中不能有控制字符",
            "a name cannot hold control characters",
        ))
    } else {
        None
    }
}

impl User {
    /// Reads `path`; a missing file is an empty profile.
    pub fn load(path: &Path) -> Result<User, InputError> {
        match std::fs::read_to_string(path) {
            Ok(text) => crate::workspace::parse_toml(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(User::default()),
            Err(e) => Err(InputError::whole_file(path, format!("cannot read: {e}"))),
        }
    }

    /// The user's profile from the usual place (empty when there is none or it is unreadable).
    pub fn current() -> User {
        file().and_then(|p| User::load(&p).ok()).unwrap_or_default()
    }

    /// Who acts: `ANBAO_PERSON` if set, else the saved name; `None` until someone says.
    pub fn person(&self) -> Option<String> {
        std::env::var(PERSON_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| Some(self.name.trim().to_string()).filter(|s| !s.is_empty()))
    }

    /// Writes the profile to `path` (atomically, creating the folder).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let body = toml::to_string(self).map_err(std::io::Error::other)?;
        let text = format!(
            "# Who acts in anbao on this computer: recorded with answers, confirmations and drills.\n\
             # 本机使用 anbao 的人员：其姓名随答复、确认和演练记录一并记录。\n{body}"
        );
        crate::fsutil::write_atomic(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_round_trips_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/user.toml");
        assert_eq!(User::load(&path).unwrap(), User::default());
        let user = User {
            name: "王科长".into(),
            unit: Some("implementing".into()),
        };
        user.save(&path).unwrap();
        assert_eq!(User::load(&path).unwrap(), user);
        std::fs::write(&path, "name = \"a\"\ncolour = 1\n").unwrap();
        assert!(User::load(&path)
            .unwrap_err()
            .to_string()
            .contains("colour"));
    }

    #[test]
    fn names_must_say_who() {
        assert!(name_problem("  ").is_some());
        assert!(name_problem("a\u{1b}[2J").is_some());
        assert!(name_problem(&"x".repeat(65)).is_some());
        assert!(name_problem("李工").is_none());
    }
}
