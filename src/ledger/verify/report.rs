//! What `verify` reports: finding codes, findings, tree heads, checkpoint and anchor states,
//! the keys the ledger enrols, and the state of each line.

use super::super::anchor::AnchorStatus;
use super::super::enrol::{KeyEnd, KeyHistory};
use super::super::hash::HashAlg;
use crate::i18n::ledger::Message;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// What a finding is about. Error-level codes fail verification; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    TornLine,
    MalformedRecord,
    NotCanonical,
    OutOfOrder,
    DuplicateRecord,
    MissingRecord,
    LeafHashMismatch,
    BadSignature,
    UnknownKey,
    WrongUnit,
    MissingSignerSignature,
    BadReference,
    BadCosign,
    MissingEvidence,
    EvidenceMismatch,
    Truncated,
    CheckpointMismatch,
    CheckpointInvalid,
    CheckpointUnsigned,
    TrustStoreInvalid,
    ManifestMismatch,
    KeyNotEnrolled,
    KeyRevoked,
    BadKeyRecord,
    AnchorMismatch,
    PrivateKey,
    AwaitingSignature,
    CheckpointOrigin,
}

impl Code {
    pub const ALL: [Code; 28] = [
        Code::TornLine,
        Code::MalformedRecord,
        Code::NotCanonical,
        Code::OutOfOrder,
        Code::DuplicateRecord,
        Code::MissingRecord,
        Code::LeafHashMismatch,
        Code::BadSignature,
        Code::UnknownKey,
        Code::WrongUnit,
        Code::MissingSignerSignature,
        Code::BadReference,
        Code::BadCosign,
        Code::MissingEvidence,
        Code::EvidenceMismatch,
        Code::Truncated,
        Code::CheckpointMismatch,
        Code::CheckpointInvalid,
        Code::CheckpointUnsigned,
        Code::TrustStoreInvalid,
        Code::ManifestMismatch,
        Code::KeyNotEnrolled,
        Code::KeyRevoked,
        Code::BadKeyRecord,
        Code::AnchorMismatch,
        Code::PrivateKey,
        Code::AwaitingSignature,
        Code::CheckpointOrigin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::TornLine => "torn-line",
            Code::MalformedRecord => "malformed-record",
            Code::NotCanonical => "not-canonical",
            Code::OutOfOrder => "out-of-order",
            Code::DuplicateRecord => "duplicate-record",
            Code::MissingRecord => "missing-record",
            Code::LeafHashMismatch => "leaf-hash-mismatch",
            Code::BadSignature => "bad-signature",
            Code::UnknownKey => "unknown-key",
            Code::WrongUnit => "wrong-unit",
            Code::MissingSignerSignature => "missing-signer-signature",
            Code::BadReference => "bad-reference",
            Code::BadCosign => "bad-cosign",
            Code::MissingEvidence => "missing-evidence",
            Code::EvidenceMismatch => "evidence-mismatch",
            Code::Truncated => "truncated",
            Code::CheckpointMismatch => "checkpoint-mismatch",
            Code::CheckpointInvalid => "checkpoint-invalid",
            Code::CheckpointUnsigned => "checkpoint-unsigned",
            Code::TrustStoreInvalid => "trust-store-invalid",
            Code::ManifestMismatch => "manifest-mismatch",
            Code::KeyNotEnrolled => "key-not-enrolled",
            Code::KeyRevoked => "key-revoked",
            Code::BadKeyRecord => "bad-key-record",
            Code::AnchorMismatch => "anchor-mismatch",
            Code::PrivateKey => "private-key",
            Code::AwaitingSignature => "awaiting-signature",
            Code::CheckpointOrigin => "checkpoint-origin",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether this finding fails verification.
    pub fn is_error(self) -> bool {
        !matches!(self, Code::AwaitingSignature | Code::CheckpointOrigin)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub level: &'static str,
    /// The record's seq, when the finding is about one record.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimal"
    )]
    pub seq: Option<u64>,
    /// 1-based line of the ledger file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A file other than the ledger (checkpoint, key, evidence), relative to the workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub message: Message,
}

pub(super) fn opt_decimal<S: serde::Serializer>(
    v: &Option<u64>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.collect_str(n),
        None => s.serialize_none(),
    }
}

impl Finding {
    pub fn new(code: Code, message: Message) -> Finding {
        Finding {
            code,
            level: if code.is_error() { "error" } else { "warning" },
            seq: None,
            line: None,
            file: None,
            message,
        }
    }

    /// The finding about ledger line `index` (0-based) holding record `seq`.
    pub fn at_line(mut self, index: usize, seq: Option<u64>) -> Finding {
        self.line = Some(index + 1);
        self.seq = seq;
        self
    }

    /// The finding about a file other than the ledger, relative to the workspace.
    pub fn in_file(mut self, file: String) -> Finding {
        self.file = Some(file);
        self
    }
}

/// A tree head the ledger currently has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeHead {
    #[serde(serialize_with = "alg_name")]
    pub alg: HashAlg,
    #[serde(serialize_with = "decimal")]
    pub size: u64,
    #[serde(serialize_with = "hex32")]
    pub root: [u8; 32],
}

fn alg_name<S: serde::Serializer>(v: &HashAlg, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(v.name())
}

pub(super) fn decimal<S: serde::Serializer>(v: &u64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn hex32<S: serde::Serializer>(v: &[u8; 32], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(v))
}

/// What verification made of one checkpoint file.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointStatus {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimal"
    )]
    pub size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    pub signed_by: Vec<String>,
    pub ok: bool,
}

/// A record that still needs signatures.
#[derive(Debug, Clone, Serialize)]
pub struct Awaiting {
    #[serde(serialize_with = "decimal")]
    pub seq: u64,
    pub kind: String,
    pub missing: Vec<String>,
}

/// How long each phase took.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    pub read: Duration,
    pub parse: Duration,
    pub hash_merkle: Duration,
    pub signatures: Duration,
    pub checks: Duration,
}

/// The outcome of `verify`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub clean: bool,
    #[serde(serialize_with = "decimal")]
    pub records: u64,
    pub trees: Vec<TreeHead>,
    pub checkpoints: Vec<CheckpointStatus>,
    #[serde(serialize_with = "decimal")]
    pub signatures_checked: u64,
    #[serde(serialize_with = "decimal")]
    pub evidence_checked: u64,
    /// The first error by position in the ledger (or the first error at all).
    pub first_bad: Option<Finding>,
    pub findings: Vec<Finding>,
    pub awaiting: Vec<Awaiting>,
    /// Whether an external anchor (`--trust`, `--checkpoint`) authenticated the ledger;
    /// without one a clean ledger is self-consistent, not authenticated.
    pub anchored: bool,
    pub anchors: Vec<AnchorStatus>,
    /// Every key the ledger enrols, with its standing after the last record.
    pub keys: Vec<KeyRow>,
    /// The key history itself, for front ends that ask which key may sign.
    #[serde(skip)]
    pub history: KeyHistory,
    /// Which records supersede which (superseded seq → seqs of corrections).
    #[serde(skip)]
    pub superseded_by: BTreeMap<u64, Vec<u64>>,
    /// Units that signed each record, directly or by a later co-signature.
    #[serde(skip)]
    pub signed_units: BTreeMap<u64, BTreeSet<String>>,
    #[serde(skip)]
    pub timings: Timings,
}

impl Report {
    pub const SCHEMA: &'static str = "anbao.ledger.verify/1";

    pub fn is_clean(&self) -> bool {
        self.clean
    }

    /// Units whose signatures record `seq` still lacks (empty when it is complete).
    pub fn awaiting_units(&self, seq: u64) -> &[String] {
        self.awaiting
            .iter()
            .find(|a| a.seq == seq)
            .map_or(&[], |a| a.missing.as_slice())
    }

    /// Units that validly signed record `seq`, directly or by a later co-signature.
    pub fn signed_by(&self, seq: u64) -> Vec<String> {
        self.signed_units
            .get(&seq)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The records that correct record `seq`.
    pub fn corrected_by(&self, seq: u64) -> &[u64] {
        self.superseded_by.get(&seq).map_or(&[], Vec::as_slice)
    }

    /// The findings about the record on ledger line `index` (0-based), in report order.
    pub fn findings_at(&self, index: usize) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.line == Some(index + 1))
    }

    /// The state of every line of the ledger, in file order, in one pass over the findings.
    pub fn line_states(&self) -> Vec<LineState> {
        let mut states = vec![LineState::Verified; self.records as usize];
        for f in &self.findings {
            let Some(state) = f.line.and_then(|n| states.get_mut(n - 1)) else {
                continue;
            };
            let found = if f.code.is_error() {
                LineState::Failed
            } else if f.code == Code::AwaitingSignature {
                LineState::Awaiting
            } else {
                continue;
            };
            *state = (*state).max(found);
        }
        states
    }
}

/// One key the ledger enrols, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct KeyRow {
    pub key_id: String,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub alg: &'static str,
    /// Whether this key founded the ledger.
    pub founding: bool,
    /// The record that enrolled it.
    #[serde(serialize_with = "decimal")]
    pub enrolled: u64,
    /// `current`, `rotated` or `revoked`.
    pub status: &'static str,
    /// The record that rotated or revoked it.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimal"
    )]
    pub ended: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl KeyRow {
    /// The rows of every key in `history`, founding key first, then by enrolment.
    pub fn all(history: &KeyHistory) -> Vec<KeyRow> {
        let mut rows: Vec<KeyRow> = history
            .keys()
            .map(|k| {
                let (status, replaced_by, reason) = match &k.ended {
                    None => ("current", None, None),
                    Some((_, KeyEnd::Rotated { key_id })) => {
                        ("rotated", Some(key_id.clone()), None)
                    }
                    Some((_, KeyEnd::Revoked { reason })) => {
                        ("revoked", None, Some(reason.clone()))
                    }
                };
                KeyRow {
                    key_id: k.key_id.clone(),
                    unit: k.unit.clone(),
                    unit_name: k.unit_name.clone(),
                    alg: k.public.alg().name(),
                    founding: k.founding,
                    enrolled: k.enrolled,
                    status,
                    ended: k.ended.as_ref().map(|(s, _)| *s),
                    replaced_by,
                    reason,
                }
            })
            .collect();
        rows.sort_by_key(|r| r.enrolled);
        rows
    }
}

/// What verification concluded about one line of the ledger, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LineState {
    /// Hash, signatures, references and evidence all hold.
    Verified,
    /// Sound, but units it requires have not signed yet.
    Awaiting,
    /// At least one error-level finding names this line.
    Failed,
}

/// A step of verification, reported as it starts so a caller can show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Read,
    Parse,
    Hash,
    /// Signatures checked so far, of all to check.
    Signatures {
        done: usize,
        total: usize,
    },
    Checks,
}

impl Phase {
    /// How many phases there are, for a progress bar.
    pub const COUNT: usize = 5;

    /// The position of this phase, from 0.
    pub fn index(self) -> usize {
        match self {
            Phase::Read => 0,
            Phase::Parse => 1,
            Phase::Hash => 2,
            Phase::Signatures { .. } => 3,
            Phase::Checks => 4,
        }
    }

    /// Overall progress through verification, from 0 to 1.
    pub fn fraction(self) -> f64 {
        let within = match self {
            Phase::Signatures { done, total } if total > 0 => done as f64 / total as f64,
            _ => 0.0,
        };
        (self.index() as f64 + within.min(1.0)) / Self::COUNT as f64
    }
}

/// Whether one signature on a record holds against the trust store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureState {
    Valid,
    /// By a trusted key, but it does not verify (wrong algorithm or changed content).
    Invalid,
    /// By a key the trust store does not hold.
    UnknownKey,
}
