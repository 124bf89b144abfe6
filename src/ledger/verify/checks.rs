//! The checks of `verify` that read records in order: the sequence, the key history, who
//! signed what (and whether that key could sign there), co-signatures, corrections, and what
//! still awaits a signature.

use super::{Awaiting, Code, Finding, LineError, SigCheck, View};
use crate::i18n::ledger as m;
use crate::i18n::trust as tm;
use crate::ledger::enrol::{At, KeyHistory, Standing};
use crate::ledger::keys::TrustStore;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What the checks share: the parsed lines and the outcome of every signature check.
pub(super) struct Ctx<'a> {
    pub views: &'a [Result<View, LineError>],
    /// The lines that parsed, with their index.
    pub ok: &'a [(usize, &'a View)],
    /// The line of each seq (the first, when a seq appears twice).
    pub by_seq: &'a HashMap<u64, usize>,
    /// One result per signature: each record's own in order, then a cosign's embedded one.
    pub results: &'a [SigCheck],
    /// `base[k]` is the index in `results` of the first signature of `ok[k]`.
    pub base: &'a [usize],
    /// Every public key a key record carries.
    pub known: &'a TrustStore,
}

impl Ctx<'_> {
    fn view(&self, line: usize) -> &View {
        self.views[line]
            .as_ref()
            .expect("only parsed lines are named")
    }
}

/// Line *i* holds seq *i*: records removed, moved or repeated are named.
pub(super) fn sequence(cx: &Ctx, findings: &mut Vec<Finding>) {
    let all_seqs: HashSet<u64> = cx.ok.iter().map(|(_, v)| v.seq).collect();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut expected = 0u64;
    for &(i, v) in cx.ok {
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
}

/// Replays the key records in order: which key speaks for which unit from which record on.
/// A key record that may not do what it says is a finding and changes nothing.
pub(super) fn key_history(cx: &Ctx, findings: &mut Vec<Finding>) -> KeyHistory {
    let mut history = KeyHistory::default();
    for (k, &(i, v)) in cx.ok.iter().enumerate() {
        let Some(op) = &v.key_op else { continue };
        let refused = match op {
            Err(why) => Some(why.clone()),
            Ok(op) => {
                let valid: Vec<&str> = v
                    .signatures
                    .iter()
                    .enumerate()
                    .filter(|(s, _)| cx.results[cx.base[k] + s] == SigCheck::Valid)
                    .map(|(_, sig)| sig.key.as_str())
                    .collect();
                history.apply(v.seq, op, &v.signer, &valid).err()
            }
        };
        if let Some(why) = refused {
            findings.push(
                Finding::new(Code::BadKeyRecord, tm::bad_key_record(&why)).at_line(i, Some(v.seq)),
            );
        }
    }
    history
}

/// Why a valid signature by `key` does not count at `at`, as a finding; `None` when it counts.
fn standing_finding(history: &KeyHistory, key: &str, at: At) -> Option<Finding> {
    match history.standing(key, at) {
        Standing::Active | Standing::Legacy => None,
        Standing::NotYet { enrolled } => Some(Finding::new(
            Code::KeyNotEnrolled,
            tm::not_yet_enrolled(key, enrolled),
        )),
        Standing::Ended { seq, end } => {
            Some(Finding::new(Code::KeyRevoked, tm::ended(key, seq, &end)))
        }
        Standing::Unknown => Some(Finding::new(
            Code::UnknownKey,
            tm::unknown_key(key, history.is_empty()),
        )),
    }
}

/// Every record's signatures, its signer, its co-signature and its correction. Returns the
/// units that signed each record and which records correct which.
pub(super) fn records(
    cx: &Ctx,
    history: &KeyHistory,
    findings: &mut Vec<Finding>,
) -> (BTreeMap<u64, BTreeSet<String>>, BTreeMap<u64, Vec<u64>>) {
    let mut signed_units: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut superseded_by: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for (k, &(i, v)) in cx.ok.iter().enumerate() {
        let at = At::Record(v.seq);
        let own_key = v.enrolled_key();
        let mut units = BTreeSet::new();
        let mut signer_ok = false;
        for (s_index, s) in v.signatures.iter().enumerate() {
            let f = match cx.results[cx.base[k] + s_index] {
                SigCheck::Valid => {
                    // A key record's own new key signs where it is being enrolled.
                    let refused = if own_key == Some(s.key.as_str()) {
                        None
                    } else {
                        standing_finding(history, &s.key, at)
                    };
                    if refused.is_none() {
                        units.insert(
                            cx.known
                                .get(&s.key)
                                .expect("valid means known")
                                .unit
                                .clone(),
                        );
                        signer_ok |= s.key == v.signer;
                    }
                    refused
                }
                SigCheck::Unknown => Some(Finding::new(
                    Code::UnknownKey,
                    tm::unknown_key(&s.key, history.is_empty()),
                )),
                SigCheck::Bad | SigCheck::NoTarget => {
                    Some(Finding::new(Code::BadSignature, m::bad_signature(&s.key)))
                }
            };
            if let Some(f) = f {
                findings.push(f.at_line(i, Some(v.seq)));
            }
        }
        let signed = v.signatures.iter().any(|s| s.key == v.signer);
        let f = match cx.known.get(&v.signer) {
            Some(key) if key.unit != v.unit => Some(Finding::new(
                Code::WrongUnit,
                m::wrong_unit(&v.signer, &key.unit, &v.unit),
            )),
            Some(_) if !signer_ok && !signed => Some(Finding::new(
                Code::MissingSignerSignature,
                m::missing_signer(&v.signer),
            )),
            None if !signed => Some(Finding::new(
                Code::UnknownKey,
                tm::unknown_key(&v.signer, history.is_empty()),
            )),
            _ => None,
        };
        if let Some(f) = f {
            findings.push(f.at_line(i, Some(v.seq)));
        }
        signed_units.entry(v.seq).or_default().extend(units);

        if let Some(c) = &v.cosign {
            let outcome = cx.results[cx.base[k] + v.signatures.len()];
            let target = cx.by_seq.get(&c.target.seq).copied().filter(|&t| t < i);
            let why = match target.map(|t| cx.view(t)) {
                None => Some("there is no such earlier record".to_string()),
                Some(t) if t.leaf != c.target.leaf_hash => {
                    Some("it names another version of the record (leaf hash differs)".to_string())
                }
                Some(_) => match outcome {
                    SigCheck::Valid => {
                        standing_finding(history, &c.signature.key, at).map(|f| f.message.en)
                    }
                    SigCheck::Unknown => {
                        Some(format!("no key record enrols key {}", c.signature.key))
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
                    let unit = cx.known.get(&c.signature.key).expect("valid").unit.clone();
                    signed_units.entry(c.target.seq).or_default().insert(unit);
                }
            }
        }

        if let Some(s) = &v.supersedes {
            let target = cx.by_seq.get(&s.seq).copied().filter(|&t| t < i);
            let why = match target.map(|t| cx.view(t)) {
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
    (signed_units, superseded_by)
}

/// The records whose required units have not all signed (shown, not failed).
pub(super) fn awaiting(
    cx: &Ctx,
    signed_units: &BTreeMap<u64, BTreeSet<String>>,
    findings: &mut Vec<Finding>,
) -> Vec<Awaiting> {
    let mut awaiting = Vec::new();
    for &(i, v) in cx.ok {
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
    awaiting
}
