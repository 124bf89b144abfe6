//! anbao: security assurance for government informatization projects.
//!
//! The library is the whole domain core: inventories, (later) policy, assessments, drills and the
//! record ledger. The `cli` and `tui` modules are the only front ends and hold no domain logic.

pub mod acceptance;
pub mod assessment;
pub mod calendar;
pub mod drill;
pub mod error;
pub mod fsutil;
pub mod i18n;
pub mod inert;
pub mod inventory;
pub mod ledger;
pub mod policy;
pub mod report;
pub mod timezone;
pub mod tui;
pub mod user;
pub mod vuln;
pub mod width;
pub mod workspace;

/// The demo workspace's tracked files in a temporary folder, for tests (shared with `tests/`).
#[cfg(test)]
#[path = "../tests/common/demo.rs"]
pub(crate) mod demo;

#[doc(hidden)]
pub mod cli;
