//! The signed, tamper-evident record ledger every verdict, assessment and drill record goes
//! through: `records/ledger.jsonl`, its RFC 6962 Merkle tree, signed checkpoints, the trust
//! store `keys/` and the evidence store `evidence/`. The format is specified for auditors in
//! `docs/ledger-format.md`.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use anbao::ledger::{keys, Ledger, NewRecord};
//! let ws = anbao::workspace::Workspace::discover(std::path::Path::new("."))?;
//! let ledger = Ledger::open(&ws)?;
//! let key = keys::SigningKey::load(std::path::Path::new("/home/me/.config/anbao/keys/implementing.key"))?;
//! let record = ledger.append(
//!     NewRecord::new("acceptance.verdict", serde_json::json!({"meets": true})),
//!     &[&key],
//! )?;
//! assert!(ledger.verify()?.is_clean());
//! # let _ = record; Ok(()) }
//! ```

pub mod canonical;
pub mod checkpoint;
pub mod error;
pub mod evidence;
pub mod export;
pub mod hash;
pub mod keys;
pub mod merkle;
pub mod proof;
pub mod record;
pub mod sig;
pub mod sm3_many;
mod store;
pub mod verify;

pub use error::{LedgerError, Result};
pub use hash::{Digest, HashAlg};
pub use record::{Record, RecordRef};
pub use sig::SigAlg;
pub use store::{Appender, DetachedSignature, NewRecord, RepairOutcome, Tail};
pub use verify::{Code, Finding, LineState, Phase, Report, SignatureState};

use crate::workspace::{CryptoProfile, Workspace};
use std::path::{Path, PathBuf};

pub const LEDGER_FILE: &str = "records/ledger.jsonl";
pub const CHECKPOINT_DIR: &str = "records/checkpoints";
pub const QUARANTINE_DIR: &str = "records/quarantine";
pub const KEYS_DIR: &str = "keys";
pub const EVIDENCE_DIR: &str = "evidence";

/// The ledger of one workspace.
#[derive(Debug, Clone)]
pub struct Ledger {
    root: PathBuf,
    profile: CryptoProfile,
    project_code: String,
}

impl Ledger {
    /// The ledger of a workspace. Nothing is created until the first append.
    pub fn open(ws: &Workspace) -> Result<Ledger> {
        Ok(Ledger::at(
            &ws.root,
            ws.manifest.crypto.profile,
            &ws.manifest.project.code,
        ))
    }

    /// The ledger under `root` with a given profile and project code (the checkpoint origin).
    pub fn at(root: &Path, profile: CryptoProfile, project_code: &str) -> Ledger {
        Ledger {
            root: root.to_path_buf(),
            profile,
            project_code: project_code.to_string(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn profile(&self) -> CryptoProfile {
        self.profile
    }

    pub fn project_code(&self) -> &str {
        &self.project_code
    }

    /// The hash algorithm new records and checkpoints use.
    pub fn hash_alg(&self) -> HashAlg {
        sig::hash_for_profile(self.profile)
    }

    /// The signature algorithm new records use.
    pub fn sig_alg(&self) -> SigAlg {
        SigAlg::for_profile(self.profile)
    }

    pub fn path(&self) -> PathBuf {
        self.root.join(LEDGER_FILE)
    }

    pub fn checkpoint_dir(&self) -> PathBuf {
        self.root.join(CHECKPOINT_DIR)
    }

    pub fn quarantine_dir(&self) -> PathBuf {
        self.root.join(QUARANTINE_DIR)
    }

    pub fn keys_dir(&self) -> PathBuf {
        self.root.join(KEYS_DIR)
    }

    pub fn trust_store(&self) -> Result<keys::TrustStore> {
        keys::TrustStore::load(&self.keys_dir())
    }

    /// The checkpoint origin of the tree under `alg`: `anbao/PROJECT-CODE/ALG`, the code
    /// percent-encoded outside `A-Z a-z 0-9 - . _ ~`.
    pub fn origin(&self, alg: HashAlg) -> String {
        checkpoint::origin(&self.project_code, alg)
    }
}

/// The current time as RFC 3339 with the local offset, to the second.
pub fn now_rfc3339() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
