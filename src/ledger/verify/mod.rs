//! `verify`: recompute every leaf hash, signature, Merkle root and evidence hash, replay the key
//! records, check every signature against the key the ledger enrolled at that position, hold
//! the ledger against the external anchors given, and report what does not hold as findings,
//! naming the first bad record.
//!
//! The work runs in phases, each timed: parsing (in parallel), hashing plus the Merkle tree
//! (leaf hashes in parallel over the raw line bytes, then one pass of the tree), signatures
//! (in parallel over all cores), and the checks that need the whole picture.

mod checks;
mod files;
pub mod report;

pub use report::*;

use super::anchor::{self, Anchors};
use super::checkpoint::Checkpoint;
use super::enrol::KeyOp;
use super::error::Result;
use super::hash::{Digest, HashAlg};
use super::keys::{TrustStore, TrustedKey};
use super::merkle::{self, Frontier};
use super::record::{self, Cosign, EvidenceRef, LineError, LineParts, RecordRef, Signature};
use super::store::{split_lines, Tail};
use super::Ledger;
use crate::i18n::ledger as m;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Checks one of `record`'s signatures against `trust`, the same way `verify` does (whether
/// the key could sign at that position is in the report's findings).
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

/// The parts of a record verification needs; the body is dropped early to keep memory flat
/// (a key record keeps what it does).
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
    key_op: Option<std::result::Result<KeyOp, String>>,
    leaf: Digest,
    parts: LineParts,
}

impl View {
    /// The key this record enrols, if it is a valid enrolment or rotation.
    fn enrolled_key(&self) -> Option<&str> {
        match &self.key_op {
            Some(Ok(op)) => op.new_key().map(|(k, _)| k.key_id.as_str()),
            _ => None,
        }
    }
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
        key_op: KeyOp::parse(&e.kind, &e.body),
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

/// What verification reads besides the ledger's own bytes.
pub struct Inputs<'a> {
    pub bytes: &'a [u8],
    /// The readable copy of the keys, `keys/*.json`.
    pub key_files: &'a TrustStore,
    /// Checkpoint files with their parse result.
    pub checkpoints: &'a [(PathBuf, std::result::Result<Checkpoint, String>)],
    /// What the authority holds: pinned keys, filed checkpoints.
    pub anchors: &'a Anchors,
    /// Files of the workspace that hold a private key, and the form each was found in.
    pub private_keys: &'a [(PathBuf, &'static str)],
}

impl Ledger {
    /// Verifies the ledger, its key records, checkpoints, evidence and `keys/`, with no
    /// external anchor: a clean result is self-consistent, not authenticated.
    pub fn verify(&self) -> Result<Report> {
        self.verify_anchored(&Anchors::default(), &|_| {})
    }

    /// [`Ledger::verify`], telling `progress` as each phase starts (and, while signatures are
    /// checked, how many are done). `progress` may be called from several threads.
    pub fn verify_with(&self, progress: &(dyn Fn(Phase) + Sync)) -> Result<Report> {
        self.verify_anchored(&Anchors::default(), progress)
    }

    /// Verifies the ledger and holds it against `anchors`: keys pinned by the authority and
    /// checkpoints filed with it.
    pub fn verify_anchored(
        &self,
        anchors: &Anchors,
        progress: &(dyn Fn(Phase) + Sync),
    ) -> Result<Report> {
        progress(Phase::Read);
        let t = Instant::now();
        let bytes = self.read_bytes()?.unwrap_or_default();
        let key_files = self.key_files()?;
        let checkpoints = self.checkpoints()?;
        let private_keys = self.private_key_files()?;
        let read = t.elapsed();
        let inputs = Inputs {
            bytes: &bytes,
            key_files: &key_files,
            checkpoints: &checkpoints,
            anchors,
            private_keys: &private_keys,
        };
        let mut report = verify_bytes_with(self, &inputs, progress);
        report.timings.read = read;
        Ok(report)
    }
}

/// Verification over bytes already read (separated from I/O so the benchmark can time the
/// phases on bytes in memory).
pub fn verify_bytes(ledger: &Ledger, inputs: &Inputs) -> Report {
    verify_bytes_with(ledger, inputs, &|_| {})
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

/// Roots of the first `size` leaves under each algorithm, for the sizes checkpoints name.
type RootsAt = HashMap<(HashAlg, u64), [u8; 32]>;

/// [`verify_bytes`] reporting its phases to `progress`.
pub fn verify_bytes_with(
    ledger: &Ledger,
    inputs: &Inputs,
    progress: &(dyn Fn(Phase) + Sync),
) -> Report {
    let root = ledger.root();
    let mut findings: Vec<Finding> = Vec::new();
    let mut timings = Timings::default();

    // Phase 1: parse every line (in parallel).
    progress(Phase::Parse);
    let t = Instant::now();
    let (lines, tail) = split_lines(inputs.bytes);
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
    let filed = inputs.anchors.checkpoints.iter().map(|(_, c)| c);
    let all_checkpoints: Vec<&Checkpoint> = inputs
        .checkpoints
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok())
        .chain(filed)
        .collect();
    let mut algs: BTreeSet<HashAlg> = BTreeSet::new();
    algs.insert(ledger.hash_alg());
    algs.extend(all_checkpoints.iter().map(|c| c.alg));
    algs.extend(views.iter().flatten().map(|v| v.leaf.alg));
    let wanted_sizes: BTreeSet<u64> = all_checkpoints.iter().map(|c| c.size).collect();
    let mut trees = Vec::new();
    let mut roots_at: RootsAt = HashMap::new();
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

    // Phase 3: every signature, in parallel: the records' own and those inside co-signatures,
    // each against the public key some key record carries.
    let t = Instant::now();
    let ok_views: Vec<(usize, &View)> = views
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().ok().map(|v| (i, v)))
        .collect();
    let known = known_keys(&ok_views);
    let by_seq: HashMap<u64, usize> = {
        let mut map = HashMap::with_capacity(ok_views.len());
        for &(i, v) in &ok_views {
            map.entry(v.seq).or_insert(i);
        }
        map
    };
    // (line, Some(signature index) for own signatures or None for the cosign's embedded one)
    let mut base = Vec::with_capacity(ok_views.len());
    let mut jobs: Vec<(usize, Option<usize>)> = Vec::new();
    for &(i, v) in &ok_views {
        base.push(jobs.len());
        jobs.extend((0..v.signatures.len()).map(|s| (i, Some(s))));
        if v.cosign.is_some() {
            jobs.push((i, None));
        }
    }
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
                Some(s) => check_sig(&known, &v.signatures[s], entry_of(i)),
                None => {
                    let c = v.cosign.as_ref().expect("cosign job");
                    match by_seq.get(&c.target.seq) {
                        Some(&t) if t < i => check_sig(&known, &c.signature, entry_of(t)),
                        _ => SigCheck::NoTarget,
                    }
                }
            }
        })
        .collect();
    let signatures_checked = results.len() as u64;
    timings.signatures = t.elapsed();

    // Phase 4: sequence, key history, signers and units, references, co-signatures,
    // evidence, the key files, checkpoints, anchors.
    progress(Phase::Checks);
    let t = Instant::now();
    let cx = checks::Ctx {
        views: &views,
        ok: &ok_views,
        by_seq: &by_seq,
        results: &results,
        base: &base,
        known: &known,
    };
    checks::sequence(&cx, &mut findings);
    let history = checks::key_history(&cx, &mut findings);
    let (signed_units, superseded_by) = checks::records(&cx, &history, &mut findings);
    let awaiting = checks::awaiting(&cx, &signed_units, &mut findings);
    let evidence_checked = files::evidence(root, &ok_views, &mut findings);
    files::key_files(root, inputs.key_files, &history, &mut findings);
    files::private_keys(root, inputs.private_keys, &mut findings);
    let cp_status = files::checkpoints(
        ledger,
        inputs.checkpoints,
        &history,
        n as u64,
        &roots_at,
        &mut findings,
    );
    let anchored = anchor::evaluate(
        inputs.anchors,
        &history,
        n as u64,
        &roots_at,
        &|alg| ledger.origin(alg),
        &mut findings,
    );
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
        evidence_checked,
        first_bad,
        findings,
        awaiting,
        anchored: anchored.anchored,
        anchors: anchored.statuses,
        keys: KeyRow::all(&history),
        history,
        superseded_by,
        signed_units,
        timings,
    }
}

/// The public key of every key record, by key id: what signatures are checked against.
/// Whether a key could sign where it did is decided afterwards, from the key history.
fn known_keys(ok_views: &[(usize, &View)]) -> TrustStore {
    let mut known = TrustStore::default();
    for (_, v) in ok_views {
        let Some(Ok(op)) = &v.key_op else { continue };
        if let Some((key, public)) = op.new_key() {
            known
                .keys
                .entry(key.key_id.clone())
                .or_insert_with(|| TrustedKey {
                    key_id: key.key_id.clone(),
                    unit: key.unit.clone(),
                    unit_name: key.unit_name.clone(),
                    created: String::new(),
                    public: public.clone(),
                    file: PathBuf::new(),
                    proof: None,
                });
        }
    }
    known
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
