//! Text written in both languages in a drill file (`{ zh = "...", en = "..." }`).

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// A text in Simplified Chinese and English; files must give both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub zh: String,
    pub en: String,
}

impl LocalText {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> LocalText {
        LocalText {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The language missing (blank) in this text, if any.
    pub fn blank_language(&self) -> Option<&'static str> {
        if self.zh.trim().is_empty() {
            Some("zh")
        } else if self.en.trim().is_empty() {
            Some("en")
        } else {
            None
        }
    }
}
