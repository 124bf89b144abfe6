//! Conditions of a checklist: facts about the assessed system that decide whether a section or
//! item applies (e.g. whether it runs on the government cloud, which brings in the cloud
//! computing extension of GB/T 22239-2019). A checklist declares each condition with the value
//! it assumes; a session may set another value when it starts.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A declared condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Why the checklist assumes `default`, and where that comes from.
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub basis_en: String,
    /// The value a session takes unless it says otherwise.
    pub default: bool,
}

/// The values of a session's conditions, by id; a condition the session does not name takes
/// the checklist's default.
pub type Values = BTreeMap<String, bool>;

/// The value of `id` for a session whose own values are `values`.
pub fn value(conditions: &[Condition], values: &Values, id: &str) -> bool {
    values
        .get(id)
        .copied()
        .or_else(|| conditions.iter().find(|c| c.id == id).map(|c| c.default))
        .unwrap_or(true)
}

/// Parses `ID=yes|no` as given on the command line.
pub fn parse_setting(s: &str, conditions: &[Condition]) -> Result<(String, bool), String> {
    let (id, v) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}': expected CONDITION=yes|no"))?;
    if !conditions.iter().any(|c| c.id == id) {
        let known: Vec<&str> = conditions.iter().map(|c| c.id.as_str()).collect();
        return Err(format!(
            "unknown condition '{id}'; this checklist declares: {}",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    let value = match v {
        "yes" | "true" | "是" => true,
        "no" | "false" | "否" => false,
        other => return Err(format!("'{s}': '{other}' is not yes or no")),
    };
    Ok((id.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud() -> Vec<Condition> {
        vec![Condition {
            id: "gov-cloud".into(),
            name: "运行于政务云".into(),
            name_en: "runs on the government cloud".into(),
            basis: String::new(),
            basis_en: String::new(),
            default: true,
        }]
    }

    #[test]
    fn a_session_value_overrides_the_default() {
        let c = cloud();
        assert!(value(&c, &Values::new(), "gov-cloud"));
        let off = Values::from([("gov-cloud".to_string(), false)]);
        assert!(!value(&c, &off, "gov-cloud"));
        assert_eq!(
            parse_setting("gov-cloud=no", &c),
            Ok(("gov-cloud".into(), false))
        );
        assert!(parse_setting("cloud=no", &c)
            .unwrap_err()
            .contains("gov-cloud"));
        assert!(parse_setting("gov-cloud=maybe", &c).is_err());
    }
}
