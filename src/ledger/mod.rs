//! The signed, tamper-evident record ledger every verdict, assessment and drill record goes
//! through: `records/ledger.jsonl`, its RFC 6962 Merkle tree, signed checkpoints, the key
//! records that enrol each unit's keys (`keys/` is their readable copy), the evidence store
//! `evidence/`, and the external anchors a verifier holds it against. The format is specified
//! for auditors in `docs/ledger-format.md`.
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

pub mod anchor;
pub mod archive;
pub mod canonical;
pub mod checkpoint;
pub mod enrol;
pub mod error;
pub mod evidence;
pub mod export;
pub mod hash;
pub mod keyring;
pub mod keys;
pub mod merkle;
pub mod proof;
pub mod record;
pub mod sig;
pub mod sm3_many;
mod store;
pub mod verify;

pub use anchor::Anchors;
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

    /// The checkpoint origin of the tree under `alg`: `anbao/PROJECT-CODE/ALG`, the code
    /// percent-encoded outside `A-Z a-z 0-9 - . _ ~`.
    pub fn origin(&self, alg: HashAlg) -> String {
        checkpoint::origin(&self.project_code, alg)
    }
}

/// Whether `text` is a time as the ledger writes and reads them: RFC 3339 `date-time` with an
/// upper-case `T`, seconds 00 to 59 with an optional fraction, and `Z` or a `±hh:mm` offset,
/// naming a real calendar date. (RFC 3339 also allows `t`, `z` and leap seconds; one spelling
/// per time keeps every verifier in agreement.)
pub fn valid_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && &b[17..19] != b"60";
    if !shape {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    let offset = rest == b"Z"
        || (rest.len() == 6
            && matches!(rest[0], b'+' | b'-')
            && rest[1..3].iter().all(u8::is_ascii_digit)
            && rest[3] == b':'
            && rest[4..6].iter().all(u8::is_ascii_digit));
    offset && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// The current time as RFC 3339 with the local offset, to the second.
pub fn now_rfc3339() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_have_one_spelling() {
        for ok in [
            "2026-11-10T10:00:00+08:00",
            "2026-11-10T02:00:00Z",
            "2026-11-10T10:00:00.125-05:30",
            "2024-02-29T00:00:00+00:00",
        ] {
            assert!(super::valid_time(ok), "{ok}");
        }
        for bad in [
            "2026-11-10t10:00:00+08:00",
            "2026-11-10 10:00:00+08:00",
            "2026-11-10T10:00:00z",
            "2026-11-10T10:00:60+08:00",
            "2026-11-10T10:00+08:00",
            "2026-11-10T10:00:00",
            "2026-02-30T10:00:00+08:00",
            "2026-11-10T10:00:00.+08:00",
            "2026-11-10T10:00:00+0800",
            "t",
        ] {
            assert!(!super::valid_time(bad), "{bad}");
        }
        assert!(super::valid_time(&super::now_rfc3339()));
    }
}
