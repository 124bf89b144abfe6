//! `verify`: recompute every leaf hash, signature, Merkle root and evidence hash, and report
//! what does not hold as findings, naming the first bad record.
//!
//! The work runs in phases, each timed: parsing (in parallel), hashing plus the Merkle tree
//! (leaf hashes in parallel over the raw line bytes, then one pass of the tree), signatures
//! (in parallel over all cores), and the checks that need the whole picture.

use super::checkpoint::{self, Checkpoint};
use super::error::Result;
use super::evidence;
use super::hash::{Digest, HashAlg};
use super::keys::TrustStore;
use super::merkle::{self, Frontier};
use super::record::{self, Cosign, EvidenceRef, LineError, LineParts, RecordRef, Signature};
use super::store::{split_lines, Tail};
use super::Ledger;
use crate::i18n::ledger::{self as m, Message};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    AwaitingSignature,
    CheckpointOrigin,
}

impl Code {
    pub const ALL: [Code; 23] = [
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

fn opt_decimal<S: serde::Serializer>(
    v: &Option<u64>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.collect_str(n),
        None => s.serialize_none(),
    }
}

impl Finding {
    fn new(code: Code, message: Message) -> Finding {
        Finding {
            code,
            level: if code.is_error() { "error" } else { "warning" },
            seq: None,
            line: None,
            file: None,
            message,
        }
    }

    fn at_line(mut self, index: usize, seq: Option<u64>) -> Finding {
        self.line = Some(index + 1);
        self.seq = seq;
        self
    }

    fn in_file(mut self, file: String) -> Finding {
        self.file = Some(file);
        self
    }

    /// A finding made outside `verify` (the export manifest check).
    pub fn new_pub(code: Code, message: Message) -> Finding {
        Finding::new(code, message)
    }

    pub fn in_file_pub(self, file: String) -> Finding {
        self.in_file(file)
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

fn decimal<S: serde::Serializer>(v: &u64, s: S) -> std::result::Result<S::Ok, S::Error> {
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

/// Checks one of `record`'s signatures, the same way `verify` does.
pub fn signature_state(
    trust: &TrustStore,
    record: &record::Record,
    s: &Signature,
) -> SignatureState {
    match check_sig(trust, s, record.entry_bytes()) {
        SigCheck::Valid => SignatureState::Valid,
        SigCheck::Unknown => SignatureState::UnknownKey,
        SigCheck::Bad | SigCheck::NoTarget => SignatureState::Invalid,
    }
}

/// The parts of a record verification needs; the body is dropped early to keep memory flat.
struct View {
    seq: u64,
    kind: String,
    unit: String,
    signer: String,
    requires: Vec<String>,
    supersedes: Option<RecordRef>,
    evidence: Vec<EvidenceRef>,
    signatures: Vec<Signature>,
    cosign: Option<Cosign>,
    leaf: Digest,
    parts: LineParts,
}

fn view(line: &[u8]) -> std::result::Result<View, LineError> {
    let r = record::parse(line)?;
    let cosign = match r.cosign() {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => return Err(LineError::Malformed(e)),
        None => None,
    };
    let parts = record::split_line(line).ok_or_else(|| LineError::Malformed("layout".into()))?;
    let e = r.entry;
    Ok(View {
        seq: e.seq,
        kind: e.kind,
        unit: e.unit,
        signer: e.signer,
        requires: e.requires,
        supersedes: e.supersedes,
        evidence: e.evidence,
        signatures: r.signatures,
        cosign,
        leaf: r.leaf_hash,
        parts,
    })
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

impl Ledger {
    /// Verifies the ledger, its checkpoints, its evidence and its trust store.
    pub fn verify(&self) -> Result<Report> {
        self.verify_with(&|_| {})
    }

    /// [`Ledger::verify`], telling `progress` as each phase starts (and, while signatures are
    /// checked, how many are done). `progress` may be called from several threads.
    pub fn verify_with(&self, progress: &(dyn Fn(Phase) + Sync)) -> Result<Report> {
        progress(Phase::Read);
        let t = Instant::now();
        let bytes = self.read_bytes()?.unwrap_or_default();
        let trust = self.trust_store()?;
        let checkpoints = self.checkpoints()?;
        let read = t.elapsed();
        let mut report = verify_bytes_with(self, &bytes, &trust, &checkpoints, progress);
        report.timings.read = read;
        Ok(report)
    }
}

/// Verification over the ledger's bytes, trust store and checkpoints (separated from I/O so
/// the benchmark can time the phases on bytes already in memory).
pub fn verify_bytes(
    ledger: &Ledger,
    bytes: &[u8],
    trust: &TrustStore,
    checkpoints: &[(PathBuf, std::result::Result<Checkpoint, String>)],
) -> Report {
    verify_bytes_with(ledger, bytes, trust, checkpoints, &|_| {})
}

/// Lines hashed per parallel task: a few hundred kilobytes, many batches of eight.
const LEAF_CHUNK: usize = 256;

/// The leaf hash of every line, on all cores, in batches ([`HashAlg::hash_each`]: SM3 eight at
/// a time). A line without the record layout is still a leaf (over the whole line); it is
/// reported while parsing.
fn leaf_hashes(alg: HashAlg, lines: &[&[u8]]) -> Vec<merkle::Hash> {
    let mut leaves = vec![[0u8; 32]; lines.len()];
    leaves
        .par_chunks_mut(LEAF_CHUNK)
        .zip(lines.par_chunks(LEAF_CHUNK))
        .for_each(|(out, lines)| {
            let inputs: Vec<[&[u8]; 3]> = lines
                .iter()
                .map(|l| record::leaf_input(l, record::split_line(l).as_ref()))
                .collect();
            alg.hash_each(&inputs, out);
        });
    leaves
}

/// How many signatures are checked between two progress reports.
const SIGNATURE_PROGRESS_STEP: usize = 4096;

/// [`verify_bytes`] reporting its phases to `progress`.
pub fn verify_bytes_with(
    ledger: &Ledger,
    bytes: &[u8],
    trust: &TrustStore,
    checkpoints: &[(PathBuf, std::result::Result<Checkpoint, String>)],
    progress: &(dyn Fn(Phase) + Sync),
) -> Report {
    let root = ledger.root();
    let mut findings: Vec<Finding> = Vec::new();
    let mut timings = Timings::default();

    for p in &trust.problems {
        findings.push(
            Finding::new(
                Code::TrustStoreInvalid,
                m::trust_store_invalid(&rel(root, &p.file), &p.message),
            )
            .in_file(rel(root, &p.file)),
        );
    }

    // Phase 1: parse every line (in parallel).
    progress(Phase::Parse);
    let t = Instant::now();
    let (lines, tail) = split_lines(bytes);
    let n = lines.len();
    if let Tail::Torn { bytes, .. } = tail {
        findings.push(Finding::new(Code::TornLine, m::torn_line(bytes)).at_line(n, None));
    }
    let views: Vec<std::result::Result<View, LineError>> =
        lines.par_iter().map(|l| view(l)).collect();
    for (i, v) in views.iter().enumerate() {
        if let Err(e) = v {
            let (code, msg) = match e {
                LineError::Malformed(d) => (Code::MalformedRecord, m::malformed(d)),
                LineError::NotCanonical(d) => (Code::NotCanonical, m::not_canonical(d)),
            };
            findings.push(Finding::new(code, msg).at_line(i, None));
        }
    }
    timings.parse = t.elapsed();

    // Phase 2: leaf hashes over the raw bytes and the Merkle tree of every algorithm needed.
    progress(Phase::Hash);
    let t = Instant::now();
    let mut algs: BTreeSet<HashAlg> = BTreeSet::new();
    algs.insert(ledger.hash_alg());
    for (_, c) in checkpoints {
        if let Ok(c) = c {
            algs.insert(c.alg);
        }
    }
    for v in views.iter().flatten() {
        algs.insert(v.leaf.alg);
    }
    let wanted_sizes: BTreeSet<u64> = checkpoints
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok().map(|c| c.size))
        .collect();
    let mut trees = Vec::new();
    let mut roots_at: HashMap<(HashAlg, u64), [u8; 32]> = HashMap::new();
    for &alg in &algs {
        let leaves = leaf_hashes(alg, &lines);
        for (i, v) in views.iter().enumerate() {
            if let Ok(v) = v {
                if v.leaf.alg == alg && v.leaf.bytes != leaves[i] {
                    findings.push(
                        Finding::new(
                            Code::LeafHashMismatch,
                            m::leaf_mismatch(
                                &v.leaf.to_string(),
                                &Digest::new(alg, leaves[i]).to_string(),
                            ),
                        )
                        .at_line(i, Some(v.seq)),
                    );
                }
            }
        }
        let root = if alg == HashAlg::Sm3 {
            // Level by level, each level's nodes hashed eight at a time on all cores (the
            // node hashes, one after the other, would cost SM3 about as much as the leaves).
            let tree = merkle::Levels::build(alg, leaves);
            for &size in &wanted_sizes {
                if let Some(root) = tree.root_at(size) {
                    roots_at.insert((alg, size), root);
                }
            }
            tree.root()
        } else {
            let mut frontier = Frontier::new(alg);
            if wanted_sizes.contains(&0) {
                roots_at.insert((alg, 0), frontier.root());
            }
            for leaf in &leaves {
                frontier.push(*leaf);
                if wanted_sizes.contains(&frontier.size()) {
                    roots_at.insert((alg, frontier.size()), frontier.root());
                }
            }
            frontier.root()
        };
        trees.push(TreeHead {
            alg,
            size: n as u64,
            root,
        });
    }
    timings.hash_merkle = t.elapsed();

    // Phase 3: every signature, in parallel: the records' own and those inside co-signatures.
    let t = Instant::now();
    let ok_views: Vec<(usize, &View)> = views
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().ok().map(|v| (i, v)))
        .collect();
    let by_seq: HashMap<u64, usize> = {
        let mut map = HashMap::with_capacity(ok_views.len());
        for &(i, v) in &ok_views {
            map.entry(v.seq).or_insert(i);
        }
        map
    };
    // (line, Some(signature index) for own signatures or None for the cosign's embedded one)
    let jobs: Vec<(usize, Option<usize>)> = ok_views
        .iter()
        .flat_map(|&(i, v)| {
            (0..v.signatures.len())
                .map(move |s| (i, Some(s)))
                .chain(v.cosign.is_some().then_some((i, None)))
        })
        .collect();
    let entry_of = |i: usize| -> &[u8] {
        let v = views[i].as_ref().expect("jobs only for parsed lines");
        &lines[i][v.parts.entry.clone()]
    };
    let total = jobs.len();
    progress(Phase::Signatures { done: 0, total });
    let checked = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<SigCheck> = jobs
        .par_iter()
        .map(|&(i, s)| {
            let done = checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if done % SIGNATURE_PROGRESS_STEP == 0 {
                progress(Phase::Signatures { done, total });
            }
            let v = views[i].as_ref().expect("parsed");
            match s {
                Some(s) => check_sig(trust, &v.signatures[s], entry_of(i)),
                None => {
                    let c = v.cosign.as_ref().expect("cosign job");
                    match by_seq.get(&c.target.seq) {
                        Some(&t) if t < i => check_sig(trust, &c.signature, entry_of(t)),
                        _ => SigCheck::NoTarget,
                    }
                }
            }
        })
        .collect();
    let signatures_checked = results.len() as u64;
    timings.signatures = t.elapsed();

    // Phase 4: sequence, signers and units, references, co-signatures, evidence, checkpoints.
    progress(Phase::Checks);
    let t = Instant::now();
    let all_seqs: HashSet<u64> = ok_views.iter().map(|(_, v)| v.seq).collect();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut expected = 0u64;
    for &(i, v) in &ok_views {
        // Lines that did not parse still take their place in the sequence.
        let position = i as u64;
        if expected < position {
            expected = position;
        }
        if v.seq != expected {
            let f = if seen.contains(&v.seq) {
                Finding::new(Code::DuplicateRecord, m::duplicate(v.seq))
            } else if v.seq < expected || all_seqs.contains(&expected) {
                Finding::new(Code::OutOfOrder, m::out_of_order(expected, v.seq))
            } else {
                Finding::new(Code::MissingRecord, m::missing_record(expected, v.seq))
            };
            findings.push(f.at_line(i, Some(v.seq)));
            expected = v.seq;
        }
        seen.insert(v.seq);
        expected = expected.saturating_add(1);
    }

    let mut signed_units: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut superseded_by: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut job = 0;
    for &(i, v) in &ok_views {
        let mut units = BTreeSet::new();
        let mut signer_ok = false;
        for s in &v.signatures {
            match results[job] {
                SigCheck::Valid => {
                    let k = trust.get(&s.key).expect("valid means trusted");
                    units.insert(k.unit.clone());
                    if s.key == v.signer {
                        signer_ok = true;
                    }
                }
                SigCheck::Unknown => findings.push(
                    Finding::new(Code::UnknownKey, m::unknown_key(&s.key)).at_line(i, Some(v.seq)),
                ),
                SigCheck::Bad | SigCheck::NoTarget => findings.push(
                    Finding::new(Code::BadSignature, m::bad_signature(&s.key))
                        .at_line(i, Some(v.seq)),
                ),
            }
            job += 1;
        }
        match trust.get(&v.signer) {
            Some(k) if k.unit != v.unit => findings.push(
                Finding::new(Code::WrongUnit, m::wrong_unit(&v.signer, &k.unit, &v.unit))
                    .at_line(i, Some(v.seq)),
            ),
            Some(_) if !signer_ok && !v.signatures.iter().any(|s| s.key == v.signer) => findings
                .push(
                    Finding::new(Code::MissingSignerSignature, m::missing_signer(&v.signer))
                        .at_line(i, Some(v.seq)),
                ),
            None if !v.signatures.iter().any(|s| s.key == v.signer) => findings.push(
                Finding::new(Code::UnknownKey, m::unknown_key(&v.signer)).at_line(i, Some(v.seq)),
            ),
            _ => {}
        }
        signed_units.entry(v.seq).or_default().extend(units);

        if let Some(c) = &v.cosign {
            let outcome = results[job];
            job += 1;
            let target = by_seq.get(&c.target.seq).copied().filter(|&t| t < i);
            let why = match target.map(|t| views[t].as_ref().expect("parsed")) {
                None => Some("there is no such earlier record".to_string()),
                Some(t) if t.leaf != c.target.leaf_hash => {
                    Some("it names another version of the record (leaf hash differs)".to_string())
                }
                Some(_) => match outcome {
                    SigCheck::Valid => None,
                    SigCheck::Unknown => {
                        Some(format!("key {} is not in the trust store", c.signature.key))
                    }
                    _ => Some(format!(
                        "the signature by {} does not verify",
                        c.signature.key
                    )),
                },
            };
            match why {
                Some(why) => findings.push(
                    Finding::new(Code::BadCosign, m::bad_cosign(c.target.seq, &why))
                        .at_line(i, Some(v.seq)),
                ),
                None => {
                    let unit = trust.get(&c.signature.key).expect("valid").unit.clone();
                    signed_units.entry(c.target.seq).or_default().insert(unit);
                }
            }
        }

        if let Some(s) = &v.supersedes {
            let target = by_seq.get(&s.seq).copied().filter(|&t| t < i);
            let why = match target.map(|t| views[t].as_ref().expect("parsed")) {
                None => Some(("不存在", "does not exist")),
                Some(t) if t.leaf != s.leaf_hash => Some((
                    "的叶哈希与引用不符",
                    "has another leaf hash than the reference names",
                )),
                Some(_) => None,
            };
            match why {
                Some((zh, en)) => {
                    let mut msg = m::bad_reference(s.seq, en);
                    msg.zh = m::bad_reference(s.seq, zh).zh;
                    findings.push(Finding::new(Code::BadReference, msg).at_line(i, Some(v.seq)));
                }
                None => superseded_by.entry(s.seq).or_default().push(v.seq),
            }
        }
    }

    let mut awaiting = Vec::new();
    for &(i, v) in &ok_views {
        let have = signed_units.get(&v.seq);
        let missing: Vec<String> = v
            .requires
            .iter()
            .filter(|u| have.is_none_or(|h| !h.contains(*u)))
            .cloned()
            .collect();
        if !missing.is_empty() {
            findings.push(
                Finding::new(Code::AwaitingSignature, m::awaiting(&missing))
                    .at_line(i, Some(v.seq)),
            );
            awaiting.push(Awaiting {
                seq: v.seq,
                kind: v.kind.clone(),
                missing,
            });
        }
    }

    // Evidence files, each distinct file once, hashed in parallel.
    let mut evidence_refs: Vec<(usize, u64, &EvidenceRef)> = Vec::new();
    let mut seen_ev: HashSet<&Digest> = HashSet::new();
    for &(i, v) in &ok_views {
        for ev in &v.evidence {
            if seen_ev.insert(&ev.hash) {
                evidence_refs.push((i, v.seq, ev));
            }
        }
    }
    let ev_results: Vec<_> = evidence_refs
        .par_iter()
        .map(|(_, _, ev)| evidence::check(root, ev))
        .collect();
    for ((i, seq, ev), res) in evidence_refs.iter().zip(ev_results) {
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
            Err(evidence::Problem::NotAFile { what }) => Finding::new(
                Code::EvidenceMismatch,
                m::evidence_not_a_file(&ev.name, &ev.hash.to_string(), &what),
            ),
        };
        findings.push(
            f.at_line(*i, Some(*seq))
                .in_file(rel(root, &evidence::path_of(root, &ev.hash))),
        );
    }

    let mut cp_status = Vec::new();
    for (path, cp) in checkpoints {
        let file = rel(root, path);
        let cp = match cp {
            Ok(c) => c,
            Err(why) => {
                findings.push(
                    Finding::new(Code::CheckpointInvalid, m::checkpoint_invalid(&file, why))
                        .in_file(file.clone()),
                );
                cp_status.push(CheckpointStatus {
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
        let verdict = checkpoint::check_signatures(&cp.body, &cp.signatures, trust);
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
        if cp.size > n as u64 {
            ok = false;
            findings.push(
                Finding::new(Code::Truncated, m::truncated(&file, cp.size, n as u64))
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
        cp_status.push(CheckpointStatus {
            file,
            origin: Some(cp.origin.clone()),
            size: Some(cp.size),
            time: cp.time.clone(),
            signed_by: verdict.valid,
            ok,
        });
    }
    timings.checks = t.elapsed();

    findings.sort_by_key(|f| (f.line.unwrap_or(usize::MAX), !f.code.is_error(), f.code));
    let first_bad = findings.iter().find(|f| f.code.is_error()).cloned();
    Report {
        schema: Report::SCHEMA,
        clean: first_bad.is_none(),
        records: n as u64,
        trees,
        checkpoints: cp_status,
        signatures_checked,
        evidence_checked: evidence_refs.len() as u64,
        first_bad,
        findings,
        awaiting,
        superseded_by,
        signed_units,
        timings,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SigCheck {
    Valid,
    Bad,
    Unknown,
    NoTarget,
}

fn check_sig(trust: &TrustStore, s: &Signature, entry: &[u8]) -> SigCheck {
    let Some(k) = trust.get(&s.key) else {
        return SigCheck::Unknown;
    };
    if k.public.alg() != s.alg || !k.public.verify(&record::signing_input(entry), &s.sig) {
        return SigCheck::Bad;
    }
    SigCheck::Valid
}
