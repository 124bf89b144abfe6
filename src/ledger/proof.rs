//! Inclusion and consistency proofs as self-contained JSON documents: each carries the signed
//! checkpoint it proves against, so it verifies with the trust store alone, without the ledger.

use super::anchor::Anchors;
use super::checkpoint::{self, Checkpoint};
use super::error::{LedgerError, Result};
use super::hash::{decode_hex32, HashAlg};
use super::keys::TrustStore;
use super::merkle::{self, Hash};
use super::record;
use super::store::split_lines;
use super::Ledger;
use crate::i18n::ledger::Message;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const INCLUSION_SCHEMA: &str = "anbao.ledger.inclusion-proof/1";
pub const CONSISTENCY_SCHEMA: &str = "anbao.ledger.consistency-proof/1";

/// That one record is in the tree a checkpoint signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    pub schema: String,
    pub alg: String,
    pub leaf_index: String,
    pub tree_size: String,
    /// The record's line, from which the leaf hash is recomputed.
    pub record: String,
    /// Audit path, hex, leaf to root (RFC 6962 PATH).
    pub path: Vec<String>,
    /// The signed checkpoint note the proof leads to.
    pub checkpoint: String,
}

/// That the tree of `old_size` records is a prefix of the tree a checkpoint signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    pub schema: String,
    pub alg: String,
    pub old_size: String,
    pub old_root: String,
    pub new_size: String,
    /// RFC 6962 PROOF(old_size, D[new_size]), hex.
    pub path: Vec<String>,
    pub checkpoint: String,
    /// The local checkpoint at the old size, when there is one; an auditor should rather use
    /// the copy filed with the authority (`verify-proof --old-checkpoint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_checkpoint: Option<String>,
}

/// Either kind of proof, told apart by its `schema`.
#[derive(Debug, Clone, PartialEq)]
pub enum Proof {
    Inclusion(InclusionProof),
    Consistency(ConsistencyProof),
}

impl Proof {
    pub fn parse(bytes: &[u8]) -> std::result::Result<Proof, String> {
        let value = super::canonical::parse_strict(bytes)?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(INCLUSION_SCHEMA) => serde_json::from_value(value).map(Proof::Inclusion),
            Some(CONSISTENCY_SCHEMA) => serde_json::from_value(value).map(Proof::Consistency),
            other => return Err(format!("unknown proof schema {other:?}")),
        }
        .map_err(|e| e.to_string())
    }
}

impl Ledger {
    /// The leaf hashes of every line under `alg`.
    fn leaves(&self, alg: HashAlg) -> Result<(Vec<Vec<u8>>, Vec<Hash>)> {
        let bytes = self.read_bytes()?.unwrap_or_default();
        let (lines, _) = split_lines(&bytes);
        let hashes = lines
            .iter()
            .map(|l| match record::split_line(l) {
                Some(p) => record::leaf_hash_of(alg, l, &p),
                None => merkle::leaf_hash(alg, l),
            })
            .collect();
        Ok((lines.iter().map(|l| l.to_vec()).collect(), hashes))
    }

    fn target_checkpoint(&self, file: Option<&Path>) -> Result<(String, Checkpoint)> {
        let path = match file {
            Some(p) => p.to_path_buf(),
            None => self.latest_checkpoint()?.0,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| LedgerError::io("read", &path, e))?;
        let cp = checkpoint::parse(&text)
            .map_err(|m| LedgerError::Input(crate::error::InputError::whole_file(&path, m)))?;
        Ok((text, cp))
    }

    /// Proves that record `seq` is in the tree of a checkpoint (default: the latest).
    pub fn prove_inclusion(&self, seq: u64, checkpoint: Option<&Path>) -> Result<InclusionProof> {
        let (text, cp) = self.target_checkpoint(checkpoint)?;
        let (lines, leaves) = self.leaves(cp.alg)?;
        if seq >= cp.size {
            return Err(LedgerError::Other(format!(
                "record {seq} is not covered by the checkpoint of size {}; sign a newer one with `anbao ledger checkpoint`",
                cp.size
            )));
        }
        let size = usize::try_from(cp.size).unwrap_or(usize::MAX);
        if size > leaves.len() || merkle::root(cp.alg, &leaves[..size]) != cp.root {
            return Err(LedgerError::NotVerified(
                "the ledger does not match the checkpoint".into(),
            ));
        }
        let i = seq as usize;
        Ok(InclusionProof {
            schema: INCLUSION_SCHEMA.into(),
            alg: cp.alg.name().into(),
            leaf_index: seq.to_string(),
            tree_size: cp.size.to_string(),
            record: String::from_utf8_lossy(&lines[i]).into_owned(),
            path: merkle::inclusion_proof(cp.alg, &leaves[..size], i)
                .iter()
                .map(hex::encode)
                .collect(),
            checkpoint: text,
        })
    }

    /// Proves that the tree of `old_size` records is a prefix of a checkpoint's tree.
    pub fn prove_consistency(
        &self,
        old_size: u64,
        checkpoint: Option<&Path>,
    ) -> Result<ConsistencyProof> {
        let (text, cp) = self.target_checkpoint(checkpoint)?;
        if old_size > cp.size {
            return Err(LedgerError::Other(format!(
                "the old size {old_size} is larger than the checkpoint's size {}",
                cp.size
            )));
        }
        let (_, leaves) = self.leaves(cp.alg)?;
        let size = usize::try_from(cp.size).unwrap_or(usize::MAX);
        if size > leaves.len() || merkle::root(cp.alg, &leaves[..size]) != cp.root {
            return Err(LedgerError::NotVerified(
                "the ledger does not match the checkpoint".into(),
            ));
        }
        let old = old_size as usize;
        let old_checkpoint = self
            .checkpoints()?
            .into_iter()
            .filter_map(|(p, c)| c.ok().map(|c| (p, c)))
            .filter(|(_, c)| c.alg == cp.alg && c.size == old_size)
            .filter_map(|(p, _)| std::fs::read_to_string(p).ok())
            .next();
        Ok(ConsistencyProof {
            schema: CONSISTENCY_SCHEMA.into(),
            alg: cp.alg.name().into(),
            old_size: old_size.to_string(),
            old_root: hex::encode(merkle::root(cp.alg, &leaves[..old])),
            new_size: cp.size.to_string(),
            path: merkle::consistency_proof(cp.alg, &leaves[..size], old)
                .iter()
                .map(hex::encode)
                .collect(),
            checkpoint: text,
            old_checkpoint,
        })
    }
}

/// The keys a proof is checked with, and whether they come from outside the workspace: the
/// public keys pinned with `--trust` (a pin by fingerprint takes its key from `local`), else
/// `local`, the keys the workspace's ledger enrols, which authenticate nothing.
pub fn proof_keys(anchors: &Anchors, local: Option<TrustStore>) -> Result<(TrustStore, bool)> {
    let Some(pins) = &anchors.trust else {
        return local.map(|k| (k, false)).ok_or_else(|| {
            LedgerError::Other(
                "no keys to check the proof with: pass the keys filed with the authority with --trust, or run inside the workspace".into(),
            )
        });
    };
    let mut keys = anchors.pinned_public_keys();
    if let Some(local) = local {
        for (id, k) in local.keys {
            if pins.get(&id).is_some_and(|p| p.key.is_none()) {
                keys.keys.insert(id, k);
            }
        }
    }
    if keys.keys.is_empty() {
        return Err(LedgerError::Other(
            "the --trust files name keys by fingerprint only and no workspace here enrols them; pass their public key files".into(),
        ));
    }
    Ok((keys, true))
}

/// One check made while verifying a proof.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub ok: bool,
    pub message: Message,
}

/// The outcome of verifying a proof.
#[derive(Debug, Clone, Serialize)]
pub struct ProofReport {
    pub schema: &'static str,
    pub kind: &'static str,
    pub ok: bool,
    /// Whether the keys or checkpoints it was checked against came from outside the
    /// workspace (`--trust`, `--checkpoint`, `--old-checkpoint`); set by the caller.
    pub anchored: bool,
    pub steps: Vec<Step>,
}

fn step(steps: &mut Vec<Step>, ok: bool, zh: String, en: String) -> bool {
    steps.push(Step {
        ok,
        message: Message::new(zh, en),
    });
    ok
}

fn hashes(list: &[String]) -> Option<Vec<Hash>> {
    list.iter().map(|h| decode_hex32(h)).collect()
}

fn number(s: &str) -> Option<u64> {
    (s == "0" || (!s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())))
        .then(|| s.parse().ok())?
}

/// Checks a checkpoint text against the trust store; `which` names it in messages.
fn check_checkpoint(
    steps: &mut Vec<Step>,
    text: &str,
    trust: &TrustStore,
    which: (&str, &str),
) -> Option<Checkpoint> {
    let cp = match checkpoint::parse(text) {
        Ok(c) => c,
        Err(e) => {
            step(
                steps,
                false,
                format!("{}无法解析：{e}", which.0),
                format!("{} cannot be read: {e}", which.1),
            );
            return None;
        }
    };
    let v = checkpoint::check_signatures(&cp.body, &cp.signatures, trust);
    let ok = v.ok();
    let signers = v.valid.join(", ");
    step(
        steps,
        ok,
        if ok {
            format!("{}（{} 条记录）由 {signers} 有效签署", which.0, cp.size)
        } else {
            format!("{}没有信任库中密钥的有效签名", which.0)
        },
        if ok {
            format!(
                "{} (size {}) is validly signed by {signers}",
                which.1, cp.size
            )
        } else {
            format!("{} carries no valid signature by a trusted key", which.1)
        },
    );
    ok.then_some(cp)
}

/// Verifies a proof against the trust store; `checkpoint`/`old_checkpoint` replace the ones the
/// proof carries (an auditor passes the copies filed with the authority).
pub fn verify_proof(
    proof: &Proof,
    trust: &TrustStore,
    checkpoint: Option<&str>,
    old_checkpoint: Option<&str>,
) -> ProofReport {
    let mut steps = Vec::new();
    let (kind, ok) = match proof {
        Proof::Inclusion(p) => (
            "inclusion",
            verify_inclusion(p, trust, checkpoint, &mut steps),
        ),
        Proof::Consistency(p) => (
            "consistency",
            verify_consistency(p, trust, checkpoint, old_checkpoint, &mut steps),
        ),
    };
    ProofReport {
        schema: "anbao.ledger.verify-proof/1",
        kind,
        ok: ok && steps.iter().all(|s| s.ok),
        anchored: false,
        steps,
    }
}

fn verify_inclusion(
    p: &InclusionProof,
    trust: &TrustStore,
    cp_text: Option<&str>,
    steps: &mut Vec<Step>,
) -> bool {
    let Some(cp) = check_checkpoint(
        steps,
        cp_text.unwrap_or(&p.checkpoint),
        trust,
        ("检查点", "the checkpoint"),
    ) else {
        return false;
    };
    let (Some(alg), Some(index), Some(size), Some(path)) = (
        HashAlg::parse(&p.alg),
        number(&p.leaf_index),
        number(&p.tree_size),
        hashes(&p.path),
    ) else {
        return step(
            steps,
            false,
            "证明格式有误".into(),
            "the proof is malformed".into(),
        );
    };
    if !step(
        steps,
        alg == cp.alg && size == cp.size,
        format!("证明针对 {size} 条记录的 {alg} 树，检查点为 {} 条的 {} 树", cp.size, cp.alg),
        format!("the proof is for the {alg} tree of size {size}; the checkpoint is the {} tree of size {}", cp.alg, cp.size),
    ) {
        return false;
    }
    let line = p.record.as_bytes();
    let record = match record::parse(line) {
        Ok(r) => r,
        Err(e) => {
            return step(
                steps,
                false,
                format!("记录无法解析：{e}"),
                format!("the record cannot be read: {e}"),
            )
        }
    };
    step(
        steps,
        record.entry.seq == index,
        format!("记录序号为 {}，证明位置为 {index}", record.entry.seq),
        format!(
            "the record's seq is {}, the proof's leaf index {index}",
            record.entry.seq
        ),
    );
    let signer = record
        .signatures
        .iter()
        .find(|s| s.key == record.entry.signer);
    let signed = signer.is_some_and(|s| {
        trust.get(&s.key).is_some_and(|k| {
            k.unit == record.entry.unit
                && k.public
                    .verify(&record::signing_input(record.entry_bytes()), &s.sig)
        })
    });
    step(
        steps,
        signed,
        format!(
            "记录由 {}（{}）签名{}",
            record.entry.unit,
            record.entry.signer,
            if signed {
                "有效"
            } else {
                "无效或密钥不受信任"
            }
        ),
        format!(
            "the record's signature by {} ({}) {}",
            record.entry.unit,
            record.entry.signer,
            if signed {
                "verifies"
            } else {
                "does not verify or the key is not trusted"
            }
        ),
    );
    let parts = record::split_line(line).expect("parsed records split");
    let leaf = record::leaf_hash_of(alg, line, &parts);
    match merkle::verify_inclusion(alg, index, size, &leaf, &path, &cp.root) {
        Ok(()) => step(
            steps,
            true,
            format!("第 {index} 号记录包含在检查点的树中"),
            format!("record {index} is included in the checkpoint's tree"),
        ),
        Err(e) => step(
            steps,
            false,
            format!("包含证明不成立：{e}"),
            format!("the inclusion proof fails: {e}"),
        ),
    }
}

fn verify_consistency(
    p: &ConsistencyProof,
    trust: &TrustStore,
    cp_text: Option<&str>,
    old_text: Option<&str>,
    steps: &mut Vec<Step>,
) -> bool {
    let Some(cp) = check_checkpoint(
        steps,
        cp_text.unwrap_or(&p.checkpoint),
        trust,
        ("新检查点", "the new checkpoint"),
    ) else {
        return false;
    };
    let (Some(alg), Some(old_size), Some(new_size), Some(old_root), Some(path)) = (
        HashAlg::parse(&p.alg),
        number(&p.old_size),
        number(&p.new_size),
        decode_hex32(&p.old_root),
        hashes(&p.path),
    ) else {
        return step(
            steps,
            false,
            "证明格式有误".into(),
            "the proof is malformed".into(),
        );
    };
    if !step(
        steps,
        alg == cp.alg && new_size == cp.size,
        format!("证明针对 {new_size} 条记录的 {alg} 树，检查点为 {} 条的 {} 树", cp.size, cp.alg),
        format!("the proof is for the {alg} tree of size {new_size}; the checkpoint is the {} tree of size {}", cp.alg, cp.size),
    ) {
        return false;
    }
    match old_text.or(p.old_checkpoint.as_deref()) {
        Some(text) => {
            let Some(old) =
                check_checkpoint(steps, text, trust, ("旧检查点", "the old checkpoint"))
            else {
                return false;
            };
            if !step(
                steps,
                old.alg == alg && old.size == old_size && old.root == old_root,
                format!(
                    "旧检查点的根与证明中 {old_size} 条记录的根{}",
                    if old.root == old_root {
                        "一致"
                    } else {
                        "不同"
                    }
                ),
                format!(
                    "the old checkpoint's root {} the proof's root of {old_size} records",
                    if old.root == old_root {
                        "matches"
                    } else {
                        "differs from"
                    }
                ),
            ) {
                return false;
            }
        }
        None => {
            step(
                steps,
                true,
                "未提供旧检查点：旧根仅来自证明本身；请用 --old-checkpoint 指定向主管部门备案的副本".into(),
                "no old checkpoint given: the old root comes from the proof alone; pass the copy filed with the authority with --old-checkpoint".into(),
            );
        }
    }
    match merkle::verify_consistency(alg, old_size, new_size, &old_root, &cp.root, &path) {
        Ok(()) => step(
            steps,
            true,
            format!("前 {old_size} 条记录未被改动，账本只增长到 {new_size} 条"),
            format!(
                "the first {old_size} records are unchanged; the ledger only grew to {new_size}"
            ),
        ),
        Err(e) => step(
            steps,
            false,
            format!("一致性证明不成立：{e}"),
            format!("the consistency proof fails: {e}"),
        ),
    }
}
