//! External trust anchors: what the authority holds of a project, given to `verify` from
//! outside the workspace. `--trust` pins keys (public key files, or key ids one a line); a
//! filed `--checkpoint` must be a prefix of the ledger. Without one, a ledger that verifies is
//! self-consistent, but anyone able to rewrite the workspace could have produced it.

use super::checkpoint::{self, Checkpoint};
use super::enrol::KeyHistory;
use super::error::{LedgerError, Result};
use super::hash::HashAlg;
use super::keys::{parse_public_key_file, TrustedKey};
use super::verify::{Code, Finding};
use crate::error::{InputError, Location};
use crate::i18n::ledger::Message;
use crate::i18n::trust as tm;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A key pinned by the authority: its id, and its public key and unit when a public key file
/// pinned it (a fingerprint alone names neither).
#[derive(Debug, Clone)]
pub struct PinnedKey {
    pub key_id: String,
    pub key: Option<TrustedKey>,
    /// The file that pinned it.
    pub file: PathBuf,
}

/// The anchors a verification is given.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// Pinned keys by key id; `None` when no `--trust` was given.
    pub trust: Option<BTreeMap<String, PinnedKey>>,
    /// Checkpoints filed earlier, with the file each came from.
    pub checkpoints: Vec<(PathBuf, Checkpoint)>,
}

impl Anchors {
    pub fn is_empty(&self) -> bool {
        self.trust.is_none() && self.checkpoints.is_empty()
    }

    /// Reads `--trust` paths (folders of public key files, public key files, or text files of
    /// key ids) and `--checkpoint` files. Anything unreadable is an error naming the file.
    pub fn load(trust: &[PathBuf], checkpoints: &[PathBuf]) -> Result<Anchors> {
        let mut anchors = Anchors::default();
        if !trust.is_empty() {
            let mut pins = BTreeMap::new();
            for path in trust {
                load_trust(path, &mut pins)?;
            }
            anchors.trust = Some(pins);
        }
        for path in checkpoints {
            anchors
                .checkpoints
                .push((path.clone(), checkpoint::read_file(path)?));
        }
        Ok(anchors)
    }

    /// The public keys pinned by public key files, as a trust store (fingerprints carry none).
    pub fn pinned_public_keys(&self) -> super::keys::TrustStore {
        let mut store = super::keys::TrustStore::default();
        for pin in self.trust.iter().flat_map(|t| t.values()) {
            if let Some(k) = &pin.key {
                store.keys.insert(k.key_id.clone(), k.clone());
            }
        }
        store
    }
}

fn bad(path: &Path, location: Location, message: String) -> LedgerError {
    LedgerError::Input(InputError::new(path, location, message))
}

/// Whether `text` is a key id: `ed25519:` or `sm2:` and 32 lower-case hex digits.
pub fn is_key_id(text: &str) -> bool {
    let Some((alg, hex)) = text.split_once(':') else {
        return false;
    };
    super::SigAlg::parse(alg).is_some()
        && hex.len() == 32
        && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn load_trust(path: &Path, pins: &mut BTreeMap<String, PinnedKey>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| LedgerError::io("read", path, e))?;
    if meta.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| LedgerError::io("list", path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(bad(
                path,
                Location::File,
                "the folder holds no public key files (*.json)".into(),
            ));
        }
        for f in files {
            load_trust(&f, pins)?;
        }
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|e| LedgerError::io("read", path, e))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad(path, Location::File, "not UTF-8 text".into()))?;
    if text.trim_start().starts_with('{') {
        let key = parse_public_key_file(&bytes).map_err(|m| {
            bad(
                path,
                Location::File,
                format!("not a usable public key file: {m}"),
            )
        })?;
        pins.insert(
            key.key_id.clone(),
            PinnedKey {
                key_id: key.key_id.clone(),
                key: Some(TrustedKey {
                    file: path.to_path_buf(),
                    ..key
                }),
                file: path.to_path_buf(),
            },
        );
        return Ok(());
    }
    let mut found = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_key_id(line) {
            return Err(bad(
                path,
                Location::LineCol {
                    line: i + 1,
                    column: 1,
                },
                format!("'{line}' is not a key id (ed25519: or sm2: and 32 hex digits); a trust file lists one key id a line, or is a public key file"),
            ));
        }
        found = true;
        pins.entry(line.to_string()).or_insert(PinnedKey {
            key_id: line.to_string(),
            key: None,
            file: path.to_path_buf(),
        });
    }
    if !found {
        return Err(bad(path, Location::File, "no key id in the file".into()));
    }
    Ok(())
}

/// What one anchor established.
#[derive(Debug, Clone, Serialize)]
pub struct AnchorStatus {
    /// `trust` or `checkpoint`.
    pub kind: &'static str,
    pub file: String,
    pub ok: bool,
    /// For a checkpoint: the records it covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    pub message: Message,
}

/// What the anchors established, besides the findings.
pub struct Anchored {
    /// Whether the key history is authenticated: every anchor holds, and at least one of them
    /// reaches the founding enrolment (a pinned founding key, or a filed checkpoint that
    /// covers the founding record).
    pub anchored: bool,
    pub statuses: Vec<AnchorStatus>,
}

fn file_names(pins: &BTreeMap<String, PinnedKey>) -> String {
    let mut files: Vec<String> = pins
        .values()
        .map(|p| p.file.display().to_string())
        .collect();
    files.dedup();
    files.join(", ")
}

/// Holds the ledger (its key history, size and roots) against `anchors`, adding a finding for
/// each that fails.
pub(crate) fn evaluate(
    anchors: &Anchors,
    history: &KeyHistory,
    records: u64,
    roots_at: &HashMap<(HashAlg, u64), [u8; 32]>,
    origin: &dyn Fn(HashAlg) -> String,
    findings: &mut Vec<Finding>,
) -> Anchored {
    let mut statuses = Vec::new();
    let mut failed = false;
    let mut reaches_founding = false;
    let fail = |findings: &mut Vec<Finding>, message: Message, file: &str| {
        findings.push(Finding::new(Code::AnchorMismatch, message).in_file(file.to_string()));
    };
    if let Some(pins) = &anchors.trust {
        let file = file_names(pins);
        let message = match history.founding_key() {
            Some(f) if pins.contains_key(&f.key_id) => {
                reaches_founding = true;
                Ok(tm::trust_ok(&f.key_id, &f.unit, &file))
            }
            Some(f) => Err(tm::trust_founder_missing(&f.key_id, &f.unit, &file)),
            None => Err(tm::trust_no_founder(&file)),
        };
        // An empty ledger has nothing to authenticate, and nothing wrong either.
        let message = match message {
            Err(msg) if records == 0 => Ok(msg),
            other => other,
        };
        for pin in pins.values() {
            let (Some(filed), Some(enrolled)) = (&pin.key, history.get(&pin.key_id)) else {
                continue;
            };
            if filed.unit != enrolled.unit {
                failed = true;
                fail(
                    findings,
                    tm::trust_other_unit(&pin.key_id, &filed.unit, &enrolled.unit, &file),
                    &file,
                );
            }
        }
        let ok = message.is_ok();
        let message = message.unwrap_or_else(|msg| {
            failed = true;
            fail(findings, msg.clone(), &file);
            msg
        });
        statuses.push(AnchorStatus {
            kind: "trust",
            file,
            ok,
            size: None,
            message,
        });
    }
    let pinned = anchors.pinned_public_keys();
    for (path, cp) in &anchors.checkpoints {
        let file = path.display().to_string();
        let mut signers = history.signers_at(cp.size);
        signers.keys.extend(pinned.keys.clone());
        let signed = checkpoint::check_signatures(&cp.body, &cp.signatures, &signers).ok();
        let problem = if cp.size > records {
            Some(tm::checkpoint_anchor_truncated(&file, cp.size, records))
        } else if roots_at.get(&(cp.alg, cp.size)) != Some(&cp.root) {
            Some(tm::checkpoint_anchor_mismatch(&file, cp.size))
        } else if !signed {
            Some(tm::checkpoint_anchor_unsigned(&file))
        } else {
            None
        };
        if cp.origin != origin(cp.alg) {
            findings.push(
                Finding::new(
                    Code::CheckpointOrigin,
                    crate::i18n::ledger::checkpoint_origin(&file, &cp.origin, &origin(cp.alg)),
                )
                .in_file(file.clone()),
            );
        }
        let ok = problem.is_none();
        let message = match problem {
            Some(msg) => {
                failed = true;
                fail(findings, msg.clone(), &file);
                msg
            }
            None => match history.genesis() {
                Some(g) if cp.size > g => {
                    reaches_founding = true;
                    tm::checkpoint_anchor_ok(&file, cp.size)
                }
                Some(g) => tm::checkpoint_anchor_predates(&file, cp.size, g),
                None => tm::checkpoint_anchor_ok(&file, cp.size),
            },
        };
        statuses.push(AnchorStatus {
            kind: "checkpoint",
            file,
            ok,
            size: Some(cp.size.to_string()),
            message,
        });
    }
    Anchored {
        anchored: !failed && reaches_founding,
        statuses,
    }
}
