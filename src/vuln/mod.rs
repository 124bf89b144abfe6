//! Known vulnerabilities, offline: OSV advisories imported into a local index, matched against
//! an inventory's components by purl and each ecosystem's own version order, with signed VEX
//! statements saying which apply. The acceptance check, the assessment and the TUI read it.

pub mod assess;
pub mod candidate;
pub mod export;
pub mod import;
pub mod index;
pub mod matching;
pub mod osv;
pub mod purl;
pub mod severity;
pub mod version;
pub mod vex;

pub use assess::{assess, Assessment, Match};
pub use index::Index;
pub use severity::Severity;

/// The workspace's database and statements, loaded: what the check needs besides the inventory.
pub struct Sources {
    pub index: Option<Index>,
    pub statements: Vec<vex::Recorded>,
}

/// Opens the workspace's database (if one was imported) and reads the VEX statements from its
/// ledger (none where the ledger has no records yet).
pub fn load(ws: &crate::workspace::Workspace) -> Result<Sources, crate::error::InputError> {
    let index = Index::open(&index::location(ws))?;
    let statements = match crate::ledger::Ledger::open(ws) {
        Ok(ledger) => vex::recorded(&ledger).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    Ok(Sources { index, statements })
}
