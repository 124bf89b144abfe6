//! The acceptance check: a workspace's inventories against its policy, catalog and waivers,
//! plus the filing deadlines, into one [`Report`].

pub mod coverage;
pub mod deadlines;
pub mod json;
pub mod record;
pub mod report;

pub use report::Report;

use crate::calendar::Calendar;
use crate::error::InputError;
use crate::inventory::discover::{Discovery, NotRead};
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
    /// Files of the inventory folders that were found and not read.
    pub not_read: Vec<NotRead>,
    /// The categories `anbao.toml` declares, when it does.
    pub expected: Option<Vec<coverage::Expected>>,
}

/// Loads the workspace's policy, catalogs and waivers, and the given inventory read from the
/// files `found`.
pub fn load_policy_inputs(
    workspace: Workspace,
    inventory: Inventory,
    found: &Discovery,
) -> Result<Inputs, InputError> {
    load_inputs(workspace, found, || Ok(inventory))
}

/// Loads the inventory with `load_inventory` on this thread while another reads the policy,
/// catalogs and waivers and hashes every input file: parsing a large inventory is one thread's
/// work, and the rest would otherwise wait for it. An inventory error is reported before a
/// policy error, as when the two ran one after the other.
pub fn load_inputs(
    workspace: Workspace,
    found: &Discovery,
    load_inventory: impl FnOnce() -> Result<Inventory, InputError>,
) -> Result<Inputs, InputError> {
    let inventory_files = &found.files;
    let (inventory, policy_files) = std::thread::scope(|scope| {
        let policy = scope.spawn(|| {
            // Hashing large inventories takes as long as reading the whole policy, so the two
            // overlap as well.
            rayon::join(
                || {
                    inventory_files
                        .iter()
                        .map(|f| input_file(f, "inventory"))
                        .collect::<Result<Vec<_>, _>>()
                },
                || load_policy_files(&workspace),
            )
        });
        let inventory = load_inventory();
        let policy = policy
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (inventory, policy)
    });
    let inventory = inventory?;
    let (hashed, policy_files) = policy_files;
    let mut files = hashed?;
    let (policy, catalog, waivers, calendar, policy_inputs) = policy_files?;
    files.extend(policy_inputs);
    let expected = coverage::expected(&workspace, &policy)?;
    Ok(Inputs {
        workspace,
        inventory,
        policy,
        catalog,
        waivers,
        calendar,
        files,
        not_read: found.not_read.clone(),
        expected,
    })
}

type PolicyFiles = (Policy, Catalog, Vec<Waiver>, Calendar, Vec<InputFile>);

/// The workspace's policy, catalogs, waivers and calendar, with the digests of their files.
fn load_policy_files(workspace: &Workspace) -> Result<PolicyFiles, InputError> {
    let root = &workspace.root;
    let cfg = &workspace.manifest.policy;
    let mut files = Vec::new();
    // Policy files are named relative to the workspace, in messages and in the report's rule
    // references, so a report reads the same wherever the workspace sits.
    let policy = Policy::parse(&cfg.file, &read_text(root, &cfg.file)?)?;
    files.push(input_file(&root.join(&cfg.file), "policy")?);
    let mut catalog = Catalog::default();
    for c in &cfg.catalogs {
        catalog.add_text(c, &read_text(root, c)?, &policy)?;
        files.push(input_file(&root.join(c), "catalog")?);
    }
    let waivers = if root.join(&cfg.waivers).exists() {
        files.push(input_file(&root.join(&cfg.waivers), "waivers")?);
        policy::waiver::parse(&cfg.waivers, &read_text(root, &cfg.waivers)?)?
    } else {
        Vec::new()
    };
    let calendar = Calendar::for_workspace(root)?;
    let calendar_path = root.join(crate::calendar::WORKSPACE_FILE);
    if calendar_path.exists() {
        files.push(input_file(&calendar_path, "calendar")?);
    }
    Ok((policy, catalog, waivers, calendar, files))
}

/// Runs the check as of `as_of`.
pub fn run(inputs: &Inputs, as_of: NaiveDate) -> Report {
    let mut evaluation = policy::evaluate(
        &inputs.inventory,
        &inputs.policy,
        &inputs.catalog,
        &inputs.waivers,
        as_of,
    );
    let gaps = coverage::gaps(
        &inputs.inventory,
        &inputs.policy,
        &evaluation,
        inputs.expected.as_deref(),
        &inputs.not_read,
        &inputs.workspace.root,
    );
    evaluation.findings.extend(gaps);
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
        evaluation,
        deadlines,
        inputs: inputs.files.clone(),
        not_read: inputs.not_read.clone(),
    })
}

/// Reads a workspace file given relative to the workspace root; errors name it as given.
fn read_text(root: &Path, rel: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(root.join(rel))
        .map_err(|e| InputError::whole_file(rel, format!("cannot read: {e}")))
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
