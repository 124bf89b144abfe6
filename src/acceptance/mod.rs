//! The acceptance check: a workspace's inventories against its policy, catalog and waivers,
//! plus the filing deadlines, into one [`Report`].

pub mod deadlines;
pub mod report;

pub use report::Report;

use crate::calendar::Calendar;
use crate::error::InputError;
use crate::inventory::Inventory;
use crate::policy::{self, Catalog, Policy, Waiver};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use report::{InputFile, Parts};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Everything the check reads, loaded and validated.
pub struct Inputs {
    pub workspace: Workspace,
    pub inventory: Inventory,
    pub policy: Policy,
    pub catalog: Catalog,
    pub waivers: Vec<Waiver>,
    pub calendar: Calendar,
    pub files: Vec<InputFile>,
}

/// Loads the workspace's policy, catalogs and waivers, and the given inventory.
pub fn load_policy_inputs(
    workspace: Workspace,
    inventory: Inventory,
    inventory_files: &[impl AsRef<Path>],
) -> Result<Inputs, InputError> {
    let root = workspace.root.clone();
    let cfg = &workspace.manifest.policy;
    let mut files = Vec::new();
    for f in inventory_files {
        files.push(input_file(f.as_ref(), "inventory")?);
    }
    let policy_path = root.join(&cfg.file);
    let policy = Policy::load(&policy_path)?;
    files.push(input_file(&policy_path, "policy")?);
    let mut catalog = Catalog::default();
    for c in &cfg.catalogs {
        let path = root.join(c);
        catalog.add_file(&path, &policy)?;
        files.push(input_file(&path, "catalog")?);
    }
    let waivers_path = root.join(&cfg.waivers);
    let waivers = if waivers_path.exists() {
        files.push(input_file(&waivers_path, "waivers")?);
        policy::waiver::load(&waivers_path)?
    } else {
        Vec::new()
    };
    let calendar = Calendar::for_workspace(&root)?;
    let calendar_path = root.join(crate::calendar::WORKSPACE_FILE);
    if calendar_path.exists() {
        files.push(input_file(&calendar_path, "calendar")?);
    }
    Ok(Inputs {
        workspace,
        inventory,
        policy,
        catalog,
        waivers,
        calendar,
        files,
    })
}

/// Runs the check as of `as_of`.
pub fn run(inputs: &Inputs, as_of: NaiveDate) -> Report {
    let evaluation = policy::evaluate(
        &inputs.inventory,
        &inputs.policy,
        &inputs.catalog,
        &inputs.waivers,
        as_of,
    );
    let deadlines = deadlines::compute(
        &inputs.workspace.manifest.milestones,
        &inputs.calendar,
        as_of,
    );
    report::build(Parts {
        manifest: &inputs.workspace.manifest,
        inventory: &inputs.inventory,
        policy: &inputs.policy,
        catalog: &inputs.catalog,
        waivers: &inputs.waivers,
        evaluation: &evaluation,
        deadlines,
        inputs: inputs.files.clone(),
    })
}

fn input_file(path: &Path, role: &'static str) -> Result<InputFile, InputError> {
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    Ok(InputFile {
        path: path.to_path_buf(),
        role,
        sha256: hex::encode(Sha256::digest(&bytes)),
    })
}
