//! The controllable-procurement (自主可控) check: policy as data, the approved-product catalog,
//! waivers, and the evaluation of an inventory into findings and verdicts.

pub mod catalog;
pub mod code;
pub mod config;
pub mod evaluate;
pub mod vulnerability;
pub mod waiver;

pub use catalog::Catalog;
pub use code::{Check, Code, Family};
pub use config::{Policy, RuleRef};
pub use evaluate::{evaluate, Evaluation, Verdict};
pub use waiver::Waiver;
