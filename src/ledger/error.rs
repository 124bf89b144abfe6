//! Errors meaning the ledger operation could not run. Problems found *in* a readable ledger
//! (a changed byte, a bad signature) are findings of `verify`, not errors.

use crate::error::InputError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot {action} '{}': {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("the ledger '{}' ends with a torn line ({bytes} bytes after the last complete record, probably from an interrupted write); nothing can be appended until `anbao ledger repair` moves those bytes to a quarantine file", path.display())]
    Torn { path: PathBuf, bytes: u64 },
    #[error("the last record of '{}' (line {line}) cannot be read: {reason}; run `anbao ledger verify`", path.display())]
    Damaged {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("no signing key found: pass --key FILE, or set ANBAO_KEY=FILE, or make a key with `anbao keys new --unit UNIT` (it is saved in '{}', where anbao looks by default)", dir.display())]
    NoKey { dir: PathBuf },
    #[error("several signing keys in '{}' fit ({}); choose one with --key FILE", dir.display(), names.join(", "))]
    SeveralKeys { dir: PathBuf, names: Vec<String> },
    #[error("refusing to use the private key '{}': it is readable by group or others (mode {mode:o}); run `chmod 600 '{}'`", path.display(), path.display())]
    KeyTooOpen { path: PathBuf, mode: u32 },
    #[error("'{}' is not an anbao private key: {reason}", path.display())]
    BadKeyFile { path: PathBuf, reason: String },
    #[error("the key '{key_id}' of unit '{unit}' ({}) is not enrolled in this ledger, so it cannot sign here; its unit enrols it with `anbao keys enrol` (see `anbao keys list`)", path.display())]
    NotEnrolled {
        key_id: String,
        unit: String,
        path: PathBuf,
    },
    #[error("the key '{key_id}' ({}) no longer signs for its unit: {how} at record {seq}", path.display())]
    KeyEnded {
        key_id: String,
        path: PathBuf,
        seq: u64,
        /// "rotated to KEY" or "revoked (reason)".
        how: String,
    },
    #[error("the key '{key_id}' is enrolled for unit '{enrolled}', but its file '{}' says '{unit}'", path.display())]
    KeyUnitMismatch {
        key_id: String,
        unit: String,
        enrolled: String,
        path: PathBuf,
    },
    #[error("refused key record: {0}")]
    KeyRecord(String),
    #[error("enrolling a key of unit '{unit}' needs the signature of a current key of unit '{by}', and none of its private keys was found; pass it with --key FILE")]
    NoAuthoriser { unit: String, by: String },
    #[error("'{}' is a private key ({form}); private keys never go into a workspace, a record or an export", path.display())]
    PrivateKeyFile { path: PathBuf, form: String },
    #[error("'{}' is a symbolic link; anbao never follows links when it exports", path.display())]
    SymbolicLink { path: PathBuf },
    #[error("the key '{key_id}' is an {alg} key but this workspace's crypto profile '{profile}' signs with {wanted}; make a key with `anbao keys new --unit UNIT`")]
    WrongAlgorithm {
        key_id: String,
        alg: String,
        profile: String,
        wanted: String,
    },
    #[error("private keys must live outside the workspace, but '{}' is inside '{}'", path.display(), workspace.display())]
    KeyInsideWorkspace { path: PathBuf, workspace: PathBuf },
    #[error("'{}' already exists; anbao never overwrites a key", path.display())]
    KeyExists { path: PathBuf },
    #[error("'{unit}' is not a unit id: use lower-case letters, digits and '-', starting with a letter (e.g. implementing, construction, supervision)")]
    BadUnit { unit: String },
    #[error("'{kind}' is not a record kind: use lower-case words joined by '.' or '-' (e.g. acceptance.verdict)")]
    BadKind { kind: String },
    #[error("the record body {0}")]
    BadBody(String),
    #[error("two signatures by the same key '{0}'")]
    DuplicateSigner(String),
    #[error("there is no record with seq {seq} (the ledger holds {size})")]
    NoSuchRecord { seq: u64, size: u64 },
    #[error(
        "record {seq} is unreadable or fails verification, so it cannot be referred to: {reason}"
    )]
    BadTarget { seq: u64, reason: String },
    #[error("the ledger does not verify ({0}); fix or report that first, a checkpoint must not vouch for it")]
    NotVerified(String),
    #[error("no checkpoint in '{}' yet; sign one with `anbao ledger checkpoint`", dir.display())]
    NoCheckpoint { dir: PathBuf },
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("{0}")]
    Other(String),
}

impl LedgerError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        LedgerError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
