//! The checks of `verify` on the files beside the ledger: evidence, the key files of `keys/`,
//! private keys where none belong, and the checkpoints.

use super::{rel, CheckpointStatus, Code, Finding, RootsAt, View};
use crate::i18n::ledger as m;
use crate::i18n::trust as tm;
use crate::ledger::checkpoint::{self, Checkpoint};
use crate::ledger::enrol::KeyHistory;
use crate::ledger::evidence;
use crate::ledger::hash::Digest;
use crate::ledger::keys::TrustStore;
use crate::ledger::record::EvidenceRef;
use crate::ledger::Ledger;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Every distinct evidence file, hashed in parallel; returns how many were checked.
pub(super) fn evidence(root: &Path, ok: &[(usize, &View)], findings: &mut Vec<Finding>) -> u64 {
    let mut refs: Vec<(usize, u64, &EvidenceRef)> = Vec::new();
    let mut seen: HashSet<&Digest> = HashSet::new();
    for &(i, v) in ok {
        for ev in &v.evidence {
            if seen.insert(&ev.hash) {
                refs.push((i, v.seq, ev));
            }
        }
    }
    let results: Vec<_> = refs
        .par_iter()
        .map(|(_, _, ev)| evidence::check(root, ev))
        .collect();
    for ((i, seq, ev), res) in refs.iter().zip(results) {
        let file = rel(root, &evidence::path_of(root, &ev.hash));
        let f = match res {
            Ok(()) => continue,
            Err(evidence::Problem::Missing) => Finding::new(
                Code::MissingEvidence,
                m::missing_evidence(&ev.name, &ev.hash.to_string()),
            ),
            Err(evidence::Problem::Mismatch { actual }) => Finding::new(
                Code::EvidenceMismatch,
                m::evidence_mismatch(&ev.name, &ev.hash.to_string(), &actual),
            ),
            Err(evidence::Problem::PrivateKey(form)) => {
                Finding::new(Code::PrivateKey, tm::private_key(&file, form))
            }
        };
        findings.push(f.at_line(*i, Some(*seq)).in_file(file));
    }
    refs.len() as u64
}

/// `keys/` is the readable copy of the enrolments: a file the ledger does not enrol, or
/// enrols for another unit, is named; so is a file that is no valid key file.
pub(super) fn key_files(
    root: &Path,
    files: &TrustStore,
    history: &KeyHistory,
    findings: &mut Vec<Finding>,
) {
    for p in &files.problems {
        let file = rel(root, &p.file);
        findings.push(
            Finding::new(
                Code::TrustStoreInvalid,
                m::trust_store_invalid(&file, &p.message),
            )
            .in_file(file),
        );
    }
    for k in files.keys.values() {
        let file = rel(root, &k.file);
        let message = match history.get(&k.key_id) {
            None => tm::key_file_not_enrolled(&file, &k.key_id, &k.unit),
            Some(e) if e.unit != k.unit => {
                tm::key_file_other_unit(&file, &k.key_id, &k.unit, &e.unit)
            }
            Some(_) => continue,
        };
        findings.push(Finding::new(Code::KeyNotEnrolled, message).in_file(file));
    }
}

/// Private keys found in the workspace's public folders.
pub(super) fn private_keys(
    root: &Path,
    found: &[(PathBuf, &'static str)],
    findings: &mut Vec<Finding>,
) {
    for (path, form) in found {
        let file = rel(root, path);
        findings.push(Finding::new(Code::PrivateKey, tm::private_key(&file, form)).in_file(file));
    }
}

/// Each checkpoint: readable, signed by a key the ledger had enrolled when it covered that
/// many records, within the ledger, and with the root of that many records.
pub(super) fn checkpoints(
    ledger: &Ledger,
    checkpoints: &[(PathBuf, Result<Checkpoint, String>)],
    history: &KeyHistory,
    records: u64,
    roots_at: &RootsAt,
    findings: &mut Vec<Finding>,
) -> Vec<CheckpointStatus> {
    let root = ledger.root();
    let mut statuses = Vec::new();
    for (path, cp) in checkpoints {
        let file = rel(root, path);
        let cp = match cp {
            Ok(c) => c,
            Err(why) => {
                findings.push(
                    Finding::new(Code::CheckpointInvalid, m::checkpoint_invalid(&file, why))
                        .in_file(file.clone()),
                );
                statuses.push(CheckpointStatus {
                    file,
                    origin: None,
                    size: None,
                    time: None,
                    signed_by: vec![],
                    ok: false,
                });
                continue;
            }
        };
        let signers = history.signers_at(cp.size);
        let verdict = checkpoint::check_signatures(&cp.body, &cp.signatures, &signers);
        let mut ok = true;
        if !verdict.invalid.is_empty() {
            ok = false;
            let why = format!("bad signature by {}", verdict.invalid.join(", "));
            findings.push(
                Finding::new(Code::CheckpointInvalid, m::checkpoint_invalid(&file, &why))
                    .in_file(file.clone()),
            );
        } else if verdict.valid.is_empty() {
            ok = false;
            findings.push(
                Finding::new(Code::CheckpointUnsigned, m::checkpoint_unsigned(&file))
                    .in_file(file.clone()),
            );
        }
        let expected_origin = ledger.origin(cp.alg);
        if cp.origin != expected_origin {
            findings.push(
                Finding::new(
                    Code::CheckpointOrigin,
                    m::checkpoint_origin(&file, &cp.origin, &expected_origin),
                )
                .in_file(file.clone()),
            );
        }
        if cp.size > records {
            ok = false;
            findings.push(
                Finding::new(Code::Truncated, m::truncated(&file, cp.size, records))
                    .in_file(file.clone()),
            );
        } else if roots_at.get(&(cp.alg, cp.size)) != Some(&cp.root) {
            ok = false;
            findings.push(
                Finding::new(
                    Code::CheckpointMismatch,
                    m::checkpoint_mismatch(&file, cp.size),
                )
                .in_file(file.clone()),
            );
        }
        statuses.push(CheckpointStatus {
            file,
            origin: Some(cp.origin.clone()),
            size: Some(cp.size),
            time: cp.time.clone(),
            signed_by: verdict.valid,
            ok,
        });
    }
    statuses
}
