//! The ledger's keys as front ends use them: replaying the key records into a [`KeyHistory`],
//! deciding whether a private key may sign now (and why not), enrolling, rotating and revoking
//! keys, enrolling the keys a workspace from an earlier anbao kept in `keys/`, and finding the
//! private key that may authorise an enrolment.

use super::enrol::{self, Authority, KeyDescriptor, KeyEnd, KeyHistory, KeyOp};
use super::error::{LedgerError, Result};
use super::keys::{self, private_key_form, public_key_file, SigningKey, TrustStore};
use super::record::{self, Record};
use super::store::split_lines;
use super::{Ledger, NewRecord};
use std::path::{Path, PathBuf};

/// Replays the key records of a ledger's bytes. Records that do not parse, do not verify or
/// may not do what they say are skipped (verification reports them); they grant nothing.
pub fn replay(bytes: &[u8]) -> KeyHistory {
    let mut history = KeyHistory::default();
    for line in split_lines(bytes).0 {
        replay_line(&mut history, line);
    }
    history
}

/// [`replay`] over a reader, one complete line at a time, so that an append to a large ledger
/// holds one line in memory, not the ledger.
pub fn replay_from(mut reader: impl std::io::BufRead) -> std::io::Result<KeyHistory> {
    let mut history = KeyHistory::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(history);
        }
        // A torn last line is no record.
        if let Some(complete) = line.strip_suffix(b"\n") {
            replay_line(&mut history, complete);
        }
    }
}

/// Applies one ledger line when it is a key record whose signatures verify.
fn replay_line(history: &mut KeyHistory, line: &[u8]) {
    static KEY_KIND: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"kind\":\"key."));
    if KEY_KIND.find(line).is_none() {
        return;
    }
    let Ok(r) = record::parse(line) else { return };
    let Some(Ok(op)) = KeyOp::parse(&r.entry.kind, &r.entry.body) else {
        return;
    };
    let input = record::signing_input(r.entry_bytes());
    let new_key = op.new_key();
    let valid: Vec<&str> = r
        .signatures
        .iter()
        .filter(|s| {
            let public = match (history.get(&s.key), new_key) {
                (Some(k), _) => Some(&k.public),
                (None, Some((d, p))) if d.key_id == s.key => Some(p),
                _ => None,
            };
            public.is_some_and(|p| p.alg() == s.alg && p.verify(&input, &s.sig))
        })
        .map(|s| s.key.as_str())
        .collect();
    let _ = history.apply(r.entry.seq, &op, &r.entry.signer, &valid);
}

/// Why `key` may not sign for its unit after the last record of `history`, if it may not.
/// `enrolling` is the key a record being written enrols: it signs its own enrolment.
pub fn check_signer(history: &KeyHistory, key: &SigningKey, enrolling: Option<&str>) -> Result<()> {
    if enrolling == Some(key.key_id.as_str()) {
        return Ok(());
    }
    match history.get(&key.key_id) {
        None => Err(LedgerError::NotEnrolled {
            key_id: key.key_id.clone(),
            unit: key.unit.clone(),
            path: key.path.clone(),
        }),
        Some(k) if k.unit != key.unit => Err(LedgerError::KeyUnitMismatch {
            key_id: key.key_id.clone(),
            unit: key.unit.clone(),
            enrolled: k.unit.clone(),
            path: key.path.clone(),
        }),
        Some(k) => match &k.ended {
            None => Ok(()),
            Some((seq, end)) => Err(LedgerError::KeyEnded {
                key_id: key.key_id.clone(),
                path: key.path.clone(),
                seq: *seq,
                how: match end {
                    KeyEnd::Rotated { key_id } => format!("rotated to {key_id}"),
                    KeyEnd::Revoked { reason } => format!("revoked ({reason})"),
                },
            }),
        },
    }
}

/// What enrolling one key came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolOutcome {
    /// Enrolled by record `seq`, authorised by key `by` (the key itself when it founded the
    /// ledger), its public key written to `file` in `keys/`.
    Enrolled {
        key_id: String,
        unit: String,
        seq: u64,
        by: String,
        founding: bool,
        file: PathBuf,
    },
    /// Already enrolled (by record `seq`).
    Already {
        key_id: String,
        unit: String,
        seq: u64,
    },
    /// Not enrolled, and why.
    Skipped {
        key_id: String,
        unit: String,
        error: String,
    },
}

impl Ledger {
    /// The key history as the ledger records it now.
    pub fn key_history(&self) -> Result<KeyHistory> {
        let path = self.path();
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(KeyHistory::default()),
            Err(e) => return Err(LedgerError::io("open", &path, e)),
        };
        // Shared, as for every read: no half-written append is seen.
        fs4::FileExt::lock_shared(&file).map_err(|e| LedgerError::io("lock", &path, e))?;
        replay_from(std::io::BufReader::new(&file)).map_err(|e| LedgerError::io("read", &path, e))
    }

    /// Every key the ledger enrols (current or not), as a trust store for checking signatures.
    pub fn trust_store(&self) -> Result<TrustStore> {
        Ok(self.key_history()?.trust_store())
    }

    /// The readable copy of the keys, `keys/*.json`.
    pub fn key_files(&self) -> Result<TrustStore> {
        TrustStore::load(&self.keys_dir())
    }

    /// Files in `keys/` and `records/checkpoints/` (the public folders an export takes whole)
    /// that hold a private key, with the form found. Links are not followed.
    pub fn private_key_files(&self) -> Result<Vec<(PathBuf, &'static str)>> {
        let mut found = Vec::new();
        for dir in [self.keys_dir(), self.checkpoint_dir()] {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(LedgerError::io("list", &dir, e)),
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .collect();
            paths.sort();
            for path in paths {
                if let Some(form) = private_key_form(&keys::read_head(&path)?) {
                    found.push((path, form));
                }
            }
        }
        Ok(found)
    }

    /// Whether `key` may sign in this ledger now: the profile's algorithm, a file outside any
    /// workspace, and a current enrolment for its unit. The error says which and what to do.
    pub fn check_signing_key(&self, key: &SigningKey) -> Result<()> {
        self.check_key_file(key, true)?;
        check_signer(&self.key_history()?, key, None)
    }

    /// The checks of [`Ledger::check_signing_key`] that need no key history. `profile`: the
    /// key must be of the profile's algorithm (key records, which carry a unit from one
    /// profile to the next, may be signed by a key of the other).
    pub(super) fn check_key_file(&self, key: &SigningKey, profile: bool) -> Result<()> {
        if profile && key.alg() != self.sig_alg() {
            return Err(LedgerError::WrongAlgorithm {
                key_id: key.key_id.clone(),
                alg: key.alg().name().into(),
                profile: format!("{:?}", self.profile()).to_lowercase(),
                wanted: self.sig_alg().name().into(),
            });
        }
        keys::ensure_not_in_workspace(&key.path, self.root())
    }

    /// Enrols the key `key` describes (with its holder's `proof` of possession), authorised
    /// by `by`: the new key itself when it founds the ledger, else a current key of its unit,
    /// or of the founding unit for a unit's first key. Writes the readable copy into `keys/`.
    pub fn enrol(
        &self,
        key: &KeyDescriptor,
        proof: &[u8],
        by: &SigningKey,
    ) -> Result<(Record, PathBuf)> {
        let public = key.public().map_err(LedgerError::KeyRecord)?;
        key.check_proof(&public, proof)
            .map_err(LedgerError::KeyRecord)?;
        let op = KeyOp::Enrol {
            key: key.clone(),
            public,
            proof: proof.to_vec(),
        };
        let record = self.append(NewRecord::new(op.kind(), op.body()), &[by])?;
        let file = self.write_key_file(key, proof, &record.entry.time)?;
        Ok((record, file))
    }

    /// Replaces `old` by `new` for their unit, signed by `old`.
    pub fn rotate(
        &self,
        old: &SigningKey,
        new: &SigningKey,
        unit_name: Option<&str>,
    ) -> Result<(Record, PathBuf)> {
        if old.unit != new.unit {
            return Err(LedgerError::KeyRecord(format!(
                "the new key speaks for '{}', the old one for '{}'",
                new.unit, old.unit
            )));
        }
        let key = KeyDescriptor::new(&new.public(), &new.unit, unit_name);
        let proof = enrol::proof_of_possession(new, &key)?;
        let op = KeyOp::Rotate {
            key: key.clone(),
            public: new.public(),
            proof: proof.clone(),
            replaces: old.key_id.clone(),
        };
        let record = self.append(NewRecord::new(op.kind(), op.body()), &[old])?;
        let file = self.write_key_file(&key, &proof, &record.entry.time)?;
        Ok((record, file))
    }

    /// Revokes `key_id` for `reason`, signed by `by` (a current key of its unit, itself
    /// included, or of the founding unit).
    pub fn revoke(&self, key_id: &str, reason: &str, by: &SigningKey) -> Result<Record> {
        let op = KeyOp::Revoke {
            key_id: key_id.into(),
            reason: reason.into(),
        };
        self.append(NewRecord::new(op.kind(), op.body()), &[by])
    }

    fn write_key_file(&self, key: &KeyDescriptor, proof: &[u8], created: &str) -> Result<PathBuf> {
        let public = key.public().map_err(LedgerError::KeyRecord)?;
        let file = public_key_file(&public, &key.unit, key.unit_name.as_deref(), created)
            .with_proof(proof);
        keys::trust(&self.keys_dir(), &file)
    }

    /// Enrols every key of `keys/` that the ledger does not enrol yet: how a workspace from an
    /// earlier anbao (whose `keys/` was trusted as it stood) migrates. `private` are the
    /// private keys at hand: a key founds the ledger, or proves possession, only with its own.
    /// The founding key is the implementing unit's, when its private key is at hand.
    pub fn enrol_key_files(&self, private: &[SigningKey]) -> Result<Vec<EnrolOutcome>> {
        let files = self.key_files()?;
        let mut history = self.key_history()?;
        let mut pending: Vec<&keys::TrustedKey> = files.keys.values().collect();
        let own = |id: &str| private.iter().find(|k| k.key_id == id);
        pending.sort_by_key(|k| {
            (
                own(&k.key_id).is_none(),
                k.unit != "implementing",
                k.unit.clone(),
                k.key_id.clone(),
            )
        });
        let mut out = Vec::new();
        for k in pending {
            if let Some(e) = history.get(&k.key_id) {
                out.push(EnrolOutcome::Already {
                    key_id: k.key_id.clone(),
                    unit: k.unit.clone(),
                    seq: e.enrolled,
                });
                continue;
            }
            let descriptor = KeyDescriptor::new(&k.public, &k.unit, k.unit_name.as_deref());
            let outcome = self.enrol_one(&history, &descriptor, k.proof.as_deref(), private);
            out.push(match outcome {
                Ok((record, file)) => {
                    history = self.key_history()?;
                    EnrolOutcome::Enrolled {
                        key_id: k.key_id.clone(),
                        unit: k.unit.clone(),
                        seq: record.seq(),
                        by: record.entry.signer.clone(),
                        founding: history.founding_key().is_some_and(|f| f.key_id == k.key_id),
                        file,
                    }
                }
                Err(e) => EnrolOutcome::Skipped {
                    key_id: k.key_id.clone(),
                    unit: k.unit.clone(),
                    error: e.to_string(),
                },
            });
        }
        Ok(out)
    }

    /// Enrols one key, its proof from `proof` or made with its private key among `private`,
    /// authorised by whichever key of `private` may.
    pub fn enrol_one(
        &self,
        history: &KeyHistory,
        key: &KeyDescriptor,
        proof: Option<&[u8]>,
        private: &[SigningKey],
    ) -> Result<(Record, PathBuf)> {
        let own = private.iter().find(|p| p.key_id == key.key_id);
        let proof = match (proof, own) {
            (Some(p), _) => p.to_vec(),
            (None, Some(k)) => enrol::proof_of_possession(k, key)?,
            (None, None) => {
                return Err(LedgerError::KeyRecord(format!(
                    "key '{}' has no proof of possession and its private key is not at hand; its holder makes one with `anbao keys public --key FILE`",
                    key.key_id
                )))
            }
        };
        let by = match history.authority(&key.unit) {
            Authority::Founding => own.ok_or_else(|| {
                LedgerError::KeyRecord(format!(
                    "key '{}' would found the ledger, which needs its own private key",
                    key.key_id
                ))
            })?,
            authority => {
                find_authoriser(&authority, private).ok_or_else(|| LedgerError::NoAuthoriser {
                    unit: key.unit.clone(),
                    by: match &authority {
                        Authority::Unit { unit, .. } | Authority::FoundingUnit { unit, .. } => {
                            unit.clone()
                        }
                        Authority::Founding => key.unit.clone(),
                    },
                })?
            }
        };
        self.enrol(key, &proof, by)
    }
}

/// The private key among `candidates` that `authority` accepts.
pub fn find_authoriser<'a>(
    authority: &Authority,
    candidates: &'a [SigningKey],
) -> Option<&'a SigningKey> {
    candidates
        .iter()
        .find(|k| authority.keys().contains(&k.key_id))
}

/// Every private key that can be loaded from `files` and from the `*.key` files of `dirs`
/// (each path once), for finding an authoriser or a key's own proof. Keys that cannot be
/// used are left out, except one readable by others, which is an error worth seeing.
pub fn load_candidates(files: &[PathBuf], dirs: &[&Path]) -> Result<Vec<SigningKey>> {
    let mut paths: Vec<PathBuf> = files.to_vec();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "key"))
            .collect();
        found.sort();
        paths.extend(found);
    }
    let mut keys: Vec<SigningKey> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        if paths[..i].contains(path) {
            continue;
        }
        match SigningKey::load(path) {
            Ok(k) if !keys.iter().any(|o| o.key_id == k.key_id) => keys.push(k),
            Ok(_) => {}
            Err(e) if i < files.len() => return Err(e),
            Err(e @ LedgerError::KeyTooOpen { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(keys)
}

/// The private keys at hand for authorising a key record: the `explicit` files if any, else
/// those `ANBAO_KEY` names, the user's key folder and `extra_dirs` (where a new key is saved).
pub fn keys_at_hand(explicit: &[PathBuf], extra_dirs: &[&Path]) -> Result<Vec<SigningKey>> {
    if !explicit.is_empty() {
        return load_candidates(explicit, &[]);
    }
    let from_env: Vec<PathBuf> = std::env::var_os(keys::KEY_ENV)
        .filter(|v| !v.is_empty())
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    let default = keys::default_key_dir();
    let mut dirs: Vec<&Path> = vec![&default];
    dirs.extend(extra_dirs.iter().copied().filter(|d| *d != default));
    load_candidates(&from_env, &dirs)
}
