//! The two-party sign-off: the final assessment becomes one `assessment.signoff` record in the
//! ledger, requiring both roles, carrying the hashes of the checklist definition and every
//! evidence file; the second unit adds its signature as a `cosign` record. A record signed by
//! one unit shows as awaiting the other.

use super::definition::{file_hash, Checklist};
use super::session::{Session, Signoff, Store, Supersedes};
use super::Error;
use crate::i18n::ledger::{self as t, Message};
use crate::i18n::Lang;
use crate::ledger::keys::SigningKey;
use crate::ledger::{Ledger, LedgerError, NewRecord};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

pub const SIGNOFF_KIND: &str = "assessment.signoff";
pub const SIGNOFF_FORMAT: &str = "anbao.assessment.signoff/1";

/// One unit's signature of the sign-off record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitSignature {
    pub unit: String,
    pub key_id: String,
    /// The ledger record holding the signature: the sign-off record itself, or a cosign record.
    pub seq: String,
    pub time: String,
}

/// Where a session stands with its sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SignState {
    /// Not signed by anyone; answers may still change.
    Open,
    /// Signed by some units; read-only, waiting for the others.
    Awaiting {
        seq: String,
        signatures: Vec<UnitSignature>,
        missing: Vec<String>,
    },
    /// Signed by every required unit.
    Signed {
        seq: String,
        signatures: Vec<UnitSignature>,
    },
}

impl SignState {
    pub fn signatures(&self) -> &[UnitSignature] {
        match self {
            SignState::Open => &[],
            SignState::Awaiting { signatures, .. } | SignState::Signed { signatures, .. } => {
                signatures
            }
        }
    }

    /// Where the sign-off stands, naming the units by `name` (a checklist's role names).
    pub fn describe(&self, lang: Lang, name: &dyn Fn(&str) -> String) -> String {
        let units = |s: &[UnitSignature], sep: &str| {
            s.iter()
                .map(|s| name(&s.unit))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let names =
            |m: &[String], sep: &str| m.iter().map(|u| name(u)).collect::<Vec<_>>().join(sep);
        match (self, lang) {
            (SignState::Open, Lang::Zh) => "未签署".into(),
            (SignState::Open, Lang::En) => "not signed".into(),
            (
                SignState::Awaiting {
                    seq,
                    signatures,
                    missing,
                },
                Lang::Zh,
            ) => format!(
                "已由{}签署（账本第 {seq} 号记录），待{}签署",
                units(signatures, "、"),
                names(missing, "、")
            ),
            (
                SignState::Awaiting {
                    seq,
                    signatures,
                    missing,
                },
                Lang::En,
            ) => format!(
                "signed by {} (ledger record {seq}), awaiting {}",
                units(signatures, ", "),
                names(missing, ", ")
            ),
            (SignState::Signed { seq, signatures }, Lang::Zh) => {
                format!(
                    "双方已签署：{}（账本第 {seq} 号记录）",
                    units(signatures, "、")
                )
            }
            (SignState::Signed { seq, signatures }, Lang::En) => format!(
                "signed by both units: {} (ledger record {seq})",
                units(signatures, ", ")
            ),
        }
    }
}

fn ledger_error(e: LedgerError) -> Error {
    Error(Message::new(t::error(Lang::Zh, &e), t::error(Lang::En, &e)))
}

/// The sign-off state of `session` as the ledger records it; only signatures that verify count.
pub fn state(ledger: &Ledger, cl: &Checklist, session: &Session) -> Result<SignState, Error> {
    let Some(signoff) = &session.signoff else {
        return Ok(SignState::Open);
    };
    let seq = signoff.seq();
    let report = ledger.verify().map_err(ledger_error)?;
    let valid = report.signed_units.get(&seq).cloned().unwrap_or_default();
    let (records, _) = ledger.records().map_err(ledger_error)?;
    let trust = ledger.trust_store().map_err(ledger_error)?;
    let mut signatures: Vec<UnitSignature> = Vec::new();
    for r in records.iter().flatten() {
        let found: Vec<(String, String)> = if r.seq() == seq {
            r.signatures
                .iter()
                .filter_map(|s| trust.get(&s.key).map(|k| (k.unit.clone(), s.key.clone())))
                .collect()
        } else if let Some(Ok(c)) = r.cosign() {
            if c.target.seq != seq {
                continue;
            }
            trust
                .get(&c.signature.key)
                .map(|k| vec![(k.unit.clone(), c.signature.key.clone())])
                .unwrap_or_default()
        } else {
            continue;
        };
        for (unit, key_id) in found {
            if valid.contains(&unit) && !signatures.iter().any(|s| s.unit == unit) {
                signatures.push(UnitSignature {
                    unit,
                    key_id,
                    seq: r.seq().to_string(),
                    time: r.entry.time.clone(),
                });
            }
        }
    }
    let missing: Vec<String> = cl
        .roles
        .iter()
        .filter(|role| !signatures.iter().any(|s| s.unit == role.id))
        .map(|role| role.id.clone())
        .collect();
    let seq = seq.to_string();
    Ok(if missing.is_empty() {
        SignState::Signed { seq, signatures }
    } else {
        SignState::Awaiting {
            seq,
            signatures,
            missing,
        }
    })
}

/// The body of the sign-off record: what both units put their names to.
pub fn body(ws: &Workspace, cl: &Checklist, session: &Session) -> Value {
    let progress = session.progress(cl, None);
    let answers: Vec<Value> = session
        .applicable(cl)
        .filter_map(|item| {
            let a = session.answers.get(&item.id)?;
            Some(json!({
                "item": item.id,
                "answer": a.answer,
                "meaning": a.meaning.as_str(),
                "role": a.role,
                "person": a.person,
                "time": a.time,
                "note": a.note,
                "evidence": a.evidence.iter().map(|e| e.hash.clone()).collect::<Vec<_>>(),
                "derived": a.derived.as_ref().map(|d| json!({"source": d.source, "offered": d.offered.as_str()})),
                "confirmed": a.confirmation.as_ref().map(|c| json!({"role": c.role, "person": c.person, "time": c.time})),
            }))
        })
        .collect();
    let risks: Vec<Value> = session
        .risk_views(cl)
        .into_iter()
        .map(|r| {
            json!({
                "item": r.item,
                "asset": r.asset,
                "threat": r.threat,
                "asset_value": r.entry.asset_value,
                "threat_frequency": r.entry.threat_frequency,
                "severity": r.entry.severity,
                "likelihood": r.score.likelihood,
                "impact": r.score.impact,
                "level": r.score.risk,
                "existing_controls": r.entry.existing_controls,
                "treatment": r.entry.treatment.map(|t| t.as_str()),
                "owner": r.entry.owner,
                "due": r.entry.due.map(|d| d.to_string()),
                "residual": r.entry.residual,
                "approver": r.entry.approver,
            })
        })
        .collect();
    json!({
        "format": SIGNOFF_FORMAT,
        "session": session.id,
        "project": ws.manifest.project.code,
        "checklist": {
            "id": cl.id,
            "version": cl.version,
            "file": session.checklist.file,
            "hash": cl.hash,
        },
        "method": cl.method.calculation.as_str(),
        "protection_level": session.protection_level,
        "scope": session.scope,
        "conditions": cl
            .conditions
            .iter()
            .map(|c| (c.id.clone(), session.condition(cl, &c.id)))
            .collect::<std::collections::BTreeMap<_, _>>(),
        "summary": {
            "applicable": progress.applicable,
            "conforming": progress.conforming,
            "partly": progress.partly,
            "not_conforming": progress.not_conforming,
            "not_applicable": progress.not_applicable,
            "risks": risks.len(),
        },
        "answers": answers,
        "risks": risks,
        "supersedes_session": session.supersedes.as_ref().map(|s| s.session.clone()),
    })
}

/// Evidence files of the answers, resolved against the workspace, each checked against the hash
/// recorded when it was attached: a file changed since then would sign something unseen.
pub fn evidence_paths(
    root: &Path,
    session: &Session,
    cl: &Checklist,
) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for item in session.applicable(cl) {
        let Some(a) = session.answers.get(&item.id) else {
            continue;
        };
        for e in &a.evidence {
            let path = root.join(&e.path);
            let bytes =
                crate::fsutil::read(&path, crate::fsutil::DOCUMENT_LIMIT).map_err(|err| {
                    Error(Message::new(
                        format!("第 {} 项的证据“{}”无法读取：{err}", item.id, e.path),
                        format!(
                            "evidence '{}' of item {} cannot be read: {err}",
                            e.path, item.id
                        ),
                    ))
                })?;
            if file_hash(&bytes) != e.hash {
                return Err(Error(Message::new(
                    format!("第 {} 项的证据“{}”在附上后已被修改；请重新附上后再签署", item.id, e.path),
                    format!("evidence '{}' of item {} changed after it was attached; attach it again before signing", e.path, item.id),
                )));
            }
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// Signs session `id` with `keys`: the first signature writes the sign-off record (all given
/// keys sign it), later ones add co-signatures. Returns the new state.
pub fn sign(
    ws: &Workspace,
    cl: &Checklist,
    store: &Store,
    id: &str,
    keys: &[SigningKey],
) -> Result<SignState, Error> {
    let ledger = Ledger::open(ws).map_err(ledger_error)?;
    for k in keys {
        if cl.role(&k.unit).is_none() {
            return Err(Error(Message::new(
                format!(
                    "密钥 {} 属于 {}，不是本评估的签署方（{}、{}）",
                    k.key_id, k.unit, cl.roles[0].id, cl.roles[1].id
                ),
                format!(
                    "key {} signs for {}, which is not a party of this assessment ({}, {})",
                    k.key_id, k.unit, cl.roles[0].id, cl.roles[1].id
                ),
            )));
        }
    }
    let (session, ()) = store.update(id, |session| match &session.signoff {
        None => {
            let blockers = session.blockers(cl);
            if !blockers.is_empty() {
                return Err(Error(Message::new(
                    format!(
                        "尚不能签署：还有 {} 项待办（运行 `anbao assess status {}` 查看）",
                        blockers.len(),
                        session.id
                    ),
                    format!(
                        "not ready to sign: {} things remain (see `anbao assess status {}`)",
                        blockers.len(),
                        session.id
                    ),
                )));
            }
            let mut evidence = vec![ws.root.join(&session.checklist.file)];
            evidence.extend(evidence_paths(&ws.root, session, cl)?);
            let roles: Vec<&str> = cl.roles.iter().map(|r| r.id.as_str()).collect();
            let mut new = NewRecord::new(SIGNOFF_KIND, body(ws, cl, session))
                .evidence(&evidence)
                .requires(&roles);
            if let Some(Supersedes { seq, .. }) = &session.supersedes {
                new = new.supersedes(seq.parse().unwrap_or(u64::MAX));
            }
            let refs: Vec<&SigningKey> = keys.iter().collect();
            let record = ledger.append(new, &refs).map_err(ledger_error)?;
            session.signoff = Some(Signoff {
                seq: record.seq().to_string(),
                leaf_hash: record.leaf_hash.to_string(),
                time: record.entry.time.clone(),
            });
            Ok(())
        }
        Some(s) => {
            let current = state(&ledger, cl, session)?;
            for k in keys {
                if current.signatures().iter().any(|s| s.unit == k.unit) {
                    return Err(Error(Message::new(
                        format!("{} 已签署评估 '{}'", k.unit, session.id),
                        format!("{} has already signed assessment '{}'", k.unit, session.id),
                    )));
                }
                ledger.cosign(s.seq(), k).map_err(ledger_error)?;
            }
            Ok(())
        }
    })?;
    state(&ledger, cl, &session)
}
