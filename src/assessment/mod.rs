//! The joint network and information security risk assessment (chapter 5 of the measures):
//! checklist definitions with their risk method as data, sessions with answers, confirmations
//! and a risk register, answers anbao can offer from data, the two-party sign-off through the
//! ledger, and the assessment report.

pub mod condition;
pub mod definition;
pub mod derived;
pub mod derived_vulnerabilities;
pub mod import;
pub mod method;
pub mod report;
pub mod session;
pub mod signoff;
pub mod store;

pub use definition::{Checklist, Meaning};
pub use session::{Session, Store};

use crate::i18n::ledger::Message;
use crate::i18n::Lang;

/// Why an assessment command could not do what was asked, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub Message);

impl Error {
    pub fn get(&self, lang: Lang) -> &str {
        self.0.get(lang)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for Error {}
