//! Key enrolment: which key speaks for which unit, from which record on. A key is trusted only
//! through a key record in the ledger (`key.enrol`, `key.rotate`, `key.revoke`); `keys/` is a
//! readable copy. The first key record founds the ledger: it enrols its own key, signed by it,
//! and that key's unit becomes the founding unit, which enrols every other unit's first key.
//!
//! ```text
//! key.enrol   {"key": KEY, "proof": SIG}                 KEY = {alg, key_id, public_key, unit[, unit_name]}
//! key.rotate  {"key": KEY, "proof": SIG, "replaces": ID}  signed by the key it replaces
//! key.revoke  {"key_id": ID, "reason": TEXT}              signed by a key of that unit or the founding unit
//! proof       = the new key's signature of "anbao.key.v1\n" || JCS(KEY)
//! ```

use super::canonical;
use super::keys::{
    b64_decode, b64_encode, valid_unit, PublicKeyFile, SigningKey, TrustStore, TrustedKey,
};
use super::sig::{PublicKey, SigAlg};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const ENROL_KIND: &str = "key.enrol";
pub const ROTATE_KIND: &str = "key.rotate";
pub const REVOKE_KIND: &str = "key.revoke";
/// Prefix of the bytes a proof of possession covers, so that it is never valid as a record or
/// checkpoint signature.
pub const PROOF_PREFIX: &[u8] = b"anbao.key.v1\n";
/// The longest revocation reason, in characters.
pub const MAX_REASON: usize = 1000;

/// Whether `kind` is one of the key record kinds.
pub fn is_key_kind(kind: &str) -> bool {
    matches!(kind, ENROL_KIND | ROTATE_KIND | REVOKE_KIND)
}

/// The public key a key record carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDescriptor {
    pub alg: String,
    pub key_id: String,
    pub public_key: String,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
}

impl KeyDescriptor {
    /// The descriptor of `public` speaking for `unit`.
    pub fn new(public: &PublicKey, unit: &str, unit_name: Option<&str>) -> KeyDescriptor {
        KeyDescriptor {
            alg: public.alg().name().into(),
            key_id: public.key_id(),
            public_key: b64_encode(&public.to_bytes()),
            unit: unit.into(),
            unit_name: unit_name.map(str::to_string),
        }
    }

    /// The descriptor of a trust store file (which carries the same members and more).
    pub fn of_file(file: &PublicKeyFile) -> KeyDescriptor {
        KeyDescriptor {
            alg: file.alg.clone(),
            key_id: file.key_id.clone(),
            public_key: file.public_key.clone(),
            unit: file.unit.clone(),
            unit_name: file.unit_name.clone(),
        }
    }

    /// The public key, after checking every member: a known algorithm, a valid (not small
    /// order) key, the key id computed from it, a unit id.
    pub fn public(&self) -> Result<PublicKey, String> {
        let alg =
            SigAlg::parse(&self.alg).ok_or_else(|| format!("unknown algorithm '{}'", self.alg))?;
        let raw = b64_decode(&self.public_key).ok_or("the public key is not base64")?;
        let public = PublicKey::from_bytes(alg, &raw)?;
        if public.key_id() != self.key_id {
            return Err(format!(
                "key id '{}' does not belong to the public key (its id is '{}')",
                self.key_id,
                public.key_id()
            ));
        }
        if !valid_unit(&self.unit) {
            return Err(format!("'{}' is not a unit id", self.unit));
        }
        if self.unit_name.as_deref().is_some_and(str::is_empty) {
            return Err("'unit_name' is empty".into());
        }
        Ok(public)
    }

    /// The bytes a proof of possession signs.
    pub fn proof_input(&self) -> Vec<u8> {
        let value = serde_json::to_value(self).expect("a descriptor serialises");
        let mut out = PROOF_PREFIX.to_vec();
        canonical::write_canonical(&value, &mut out);
        out
    }

    /// Whether `proof` is the described key's own signature of the descriptor.
    pub fn check_proof(&self, public: &PublicKey, proof: &[u8]) -> Result<(), String> {
        if public.verify(&self.proof_input(), proof) {
            Ok(())
        } else {
            Err(format!(
                "the proof of possession does not verify with key '{}'",
                self.key_id
            ))
        }
    }
}

/// A private key's proof that its holder asks for it to be enrolled for its unit.
pub fn proof_of_possession(key: &SigningKey, descriptor: &KeyDescriptor) -> super::Result<Vec<u8>> {
    key.sign(&descriptor.proof_input())
}

/// What a key record does, read from its kind and body.
#[derive(Debug, Clone)]
pub enum KeyOp {
    Enrol {
        key: KeyDescriptor,
        public: PublicKey,
        proof: Vec<u8>,
    },
    Rotate {
        key: KeyDescriptor,
        public: PublicKey,
        proof: Vec<u8>,
        replaces: String,
    },
    Revoke {
        key_id: String,
        reason: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrolBody {
    key: KeyDescriptor,
    proof: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RotateBody {
    key: KeyDescriptor,
    proof: String,
    replaces: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeBody {
    key_id: String,
    reason: String,
}

impl KeyOp {
    /// The operation of a record of a key kind; `None` for other kinds. The proof is checked
    /// here, since it needs nothing but the body.
    pub fn parse(kind: &str, body: &Value) -> Option<Result<KeyOp, String>> {
        let decode =
            |text: &str| b64_decode(text).ok_or_else(|| "the proof is not base64".to_string());
        let checked = |key: KeyDescriptor,
                       proof: &str|
         -> Result<(KeyDescriptor, PublicKey, Vec<u8>), String> {
            let public = key.public()?;
            let proof = decode(proof)?;
            key.check_proof(&public, &proof)?;
            Ok((key, public, proof))
        };
        let op = match kind {
            ENROL_KIND => serde_json::from_value::<EnrolBody>(body.clone())
                .map_err(|e| format!("a {ENROL_KIND} body: {e}"))
                .and_then(|b| {
                    let (key, public, proof) = checked(b.key, &b.proof)?;
                    Ok(KeyOp::Enrol { key, public, proof })
                }),
            ROTATE_KIND => serde_json::from_value::<RotateBody>(body.clone())
                .map_err(|e| format!("a {ROTATE_KIND} body: {e}"))
                .and_then(|b| {
                    let (key, public, proof) = checked(b.key, &b.proof)?;
                    Ok(KeyOp::Rotate {
                        key,
                        public,
                        proof,
                        replaces: b.replaces,
                    })
                }),
            REVOKE_KIND => serde_json::from_value::<RevokeBody>(body.clone())
                .map_err(|e| format!("a {REVOKE_KIND} body: {e}"))
                .and_then(|b| {
                    let chars = b.reason.chars().count();
                    if b.reason.trim().is_empty() || chars > MAX_REASON {
                        return Err(format!("the reason must be 1 to {MAX_REASON} characters"));
                    }
                    Ok(KeyOp::Revoke {
                        key_id: b.key_id,
                        reason: b.reason,
                    })
                }),
            _ => return None,
        };
        Some(op)
    }

    /// The key this record brings in, if any.
    pub fn new_key(&self) -> Option<(&KeyDescriptor, &PublicKey)> {
        match self {
            KeyOp::Enrol { key, public, .. } | KeyOp::Rotate { key, public, .. } => {
                Some((key, public))
            }
            KeyOp::Revoke { .. } => None,
        }
    }

    /// The body of a record doing this.
    pub fn body(&self) -> Value {
        match self {
            KeyOp::Enrol { key, proof, .. } => {
                serde_json::json!({"key": key, "proof": b64_encode(proof)})
            }
            KeyOp::Rotate {
                key,
                proof,
                replaces,
                ..
            } => serde_json::json!({"key": key, "proof": b64_encode(proof), "replaces": replaces}),
            KeyOp::Revoke { key_id, reason } => {
                serde_json::json!({"key_id": key_id, "reason": reason})
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            KeyOp::Enrol { .. } => ENROL_KIND,
            KeyOp::Rotate { .. } => ROTATE_KIND,
            KeyOp::Revoke { .. } => REVOKE_KIND,
        }
    }
}

/// How a key stopped speaking for its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum KeyEnd {
    /// Replaced by a newer key of the unit (`key.rotate`).
    Rotated { key_id: String },
    /// Revoked (`key.revoke`), with the reason given.
    Revoked { reason: String },
}

/// A key the ledger enrols, and when.
#[derive(Debug, Clone)]
pub struct EnrolledKey {
    pub key_id: String,
    pub unit: String,
    pub unit_name: Option<String>,
    pub public: PublicKey,
    /// The record that enrolled it.
    pub enrolled: u64,
    /// Whether this key founded the ledger (the first key record).
    pub founding: bool,
    /// The record from which on it no longer signs, and why.
    pub ended: Option<(u64, KeyEnd)>,
}

/// Where a signature stands in the ledger: a record's own position (or the cosign record that
/// carries it), or the size of a checkpoint's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Record(u64),
    TreeSize(u64),
}

/// Whether a key may sign at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Enrolled before this position and not ended before it.
    Active,
    /// A record from before the ledger's first key record (written by an anbao without
    /// enrolment), signed by a key the ledger enrols later.
    Legacy,
    /// The ledger enrols it only at a later record.
    NotYet { enrolled: u64 },
    /// It was rotated away or revoked before this position.
    Ended { seq: u64, end: KeyEnd },
    /// The ledger enrols no such key.
    Unknown,
}

impl Standing {
    /// Whether a signature by the key counts here.
    pub fn counts(&self) -> bool {
        matches!(self, Standing::Active | Standing::Legacy)
    }
}

/// Which keys may enrol a unit's next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authority {
    /// No key is enrolled yet: the new key founds the ledger and signs its own enrolment.
    Founding,
    /// The unit already has keys: one of them signs.
    Unit { unit: String, keys: Vec<String> },
    /// The unit's first key: a key of the founding unit signs.
    FoundingUnit { unit: String, keys: Vec<String> },
}

impl Authority {
    /// The key ids that can authorise, empty when the new key authorises itself.
    pub fn keys(&self) -> &[String] {
        match self {
            Authority::Founding => &[],
            Authority::Unit { keys, .. } | Authority::FoundingUnit { keys, .. } => keys,
        }
    }
}

/// Every key the ledger enrols, with the history of each, built record by record.
#[derive(Debug, Clone, Default)]
pub struct KeyHistory {
    keys: BTreeMap<String, EnrolledKey>,
    /// The seq of the first key record: the ledger's founding enrolment.
    genesis: Option<u64>,
    founding_unit: Option<String>,
}

impl KeyHistory {
    pub fn get(&self, key_id: &str) -> Option<&EnrolledKey> {
        self.keys.get(key_id)
    }

    /// Every key ever enrolled, by key id.
    pub fn keys(&self) -> impl Iterator<Item = &EnrolledKey> {
        self.keys.values()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The seq of the founding key record.
    pub fn genesis(&self) -> Option<u64> {
        self.genesis
    }

    pub fn founding_unit(&self) -> Option<&str> {
        self.founding_unit.as_deref()
    }

    /// The key that founded the ledger.
    pub fn founding_key(&self) -> Option<&EnrolledKey> {
        self.keys.values().find(|k| k.founding)
    }

    /// The keys that speak for `unit` after the last record.
    pub fn current(&self, unit: &str) -> Vec<&EnrolledKey> {
        self.keys
            .values()
            .filter(|k| k.unit == unit && k.ended.is_none())
            .collect()
    }

    /// Who may enrol a new key for `unit` now.
    pub fn authority(&self, unit: &str) -> Authority {
        let ids =
            |u: &str| -> Vec<String> { self.current(u).iter().map(|k| k.key_id.clone()).collect() };
        let Some(founding) = &self.founding_unit else {
            return Authority::Founding;
        };
        let own = ids(unit);
        if own.is_empty() {
            Authority::FoundingUnit {
                unit: founding.clone(),
                keys: ids(founding),
            }
        } else {
            Authority::Unit {
                unit: unit.into(),
                keys: own,
            }
        }
    }

    /// Whether `key_id` may sign at `at`. `own` is set for the signatures of the record that
    /// enrols the key (its founding record, or a record signed by the new key as well).
    pub fn standing(&self, key_id: &str, at: At) -> Standing {
        let Some(k) = self.keys.get(key_id) else {
            return Standing::Unknown;
        };
        let genesis = self.genesis.expect("a key was enrolled");
        let (pos, legacy) = match at {
            At::Record(p) => (p, p < genesis),
            At::TreeSize(n) => (n, n <= genesis),
        };
        if legacy {
            return Standing::Legacy;
        }
        let enrolled_in_time = match at {
            At::Record(p) => k.enrolled <= p,
            At::TreeSize(n) => k.enrolled < n,
        };
        if !enrolled_in_time {
            return Standing::NotYet {
                enrolled: k.enrolled,
            };
        }
        match &k.ended {
            Some((seq, end)) if *seq < pos => Standing::Ended {
                seq: *seq,
                end: end.clone(),
            },
            _ => Standing::Active,
        }
    }

    /// Applies the key record at `seq`, whose cryptographically valid signatures are by
    /// `signed_by`. Refuses (with the reason) a record that may not do what it says; then the
    /// history is unchanged.
    pub fn apply(
        &mut self,
        seq: u64,
        op: &KeyOp,
        signer: &str,
        signed_by: &[&str],
    ) -> Result<(), String> {
        let current = |h: &KeyHistory, id: &str| h.keys.get(id).is_some_and(|k| k.ended.is_none());
        let signed_by_any = |ids: &[String]| ids.iter().any(|id| signed_by.contains(&id.as_str()));
        if let Some((key, _)) = op.new_key() {
            if let Some(k) = self.keys.get(&key.key_id) {
                return Err(format!(
                    "key '{}' is already enrolled (record {})",
                    key.key_id, k.enrolled
                ));
            }
        }
        match op {
            KeyOp::Enrol { key, public, .. } => {
                let founding = self.founding_unit.is_none();
                if founding {
                    if signer != key.key_id || !signed_by.contains(&key.key_id.as_str()) {
                        return Err(format!(
                            "the ledger's founding record must be signed by the key it enrols, '{}'",
                            key.key_id
                        ));
                    }
                    self.genesis = Some(seq);
                    self.founding_unit = Some(key.unit.clone());
                } else {
                    let authority = self.authority(&key.unit);
                    if !signed_by_any(authority.keys()) {
                        return Err(match authority {
                            Authority::FoundingUnit { unit, .. } => format!(
                                "the first key of unit '{}' must be enrolled with the signature of a current key of the founding unit '{unit}'",
                                key.unit
                            ),
                            _ => format!(
                                "a new key of unit '{}' must be enrolled with the signature of one of its current keys",
                                key.unit
                            ),
                        });
                    }
                }
                self.insert(seq, key, public, founding);
            }
            KeyOp::Rotate {
                key,
                public,
                replaces,
                ..
            } => {
                let Some(old) = self.keys.get(replaces).filter(|_| current(self, replaces)) else {
                    return Err(format!(
                        "the replaced key '{replaces}' is not a current key"
                    ));
                };
                if old.unit != key.unit {
                    return Err(format!(
                        "the replaced key '{replaces}' speaks for '{}', the new one for '{}'",
                        old.unit, key.unit
                    ));
                }
                if !signed_by.contains(&replaces.as_str()) {
                    return Err(format!(
                        "a rotation must be signed by the replaced key '{replaces}'"
                    ));
                }
                self.insert(seq, key, public, false);
                self.keys.get_mut(replaces).expect("checked").ended = Some((
                    seq,
                    KeyEnd::Rotated {
                        key_id: key.key_id.clone(),
                    },
                ));
            }
            KeyOp::Revoke { key_id, reason } => {
                let Some(k) = self.keys.get(key_id).filter(|_| current(self, key_id)) else {
                    return Err(format!("'{key_id}' is not a current key"));
                };
                let mut allowed: Vec<String> = self
                    .current(&k.unit)
                    .iter()
                    .map(|k| k.key_id.clone())
                    .collect();
                if let Some(f) = &self.founding_unit {
                    allowed.extend(self.current(f).iter().map(|k| k.key_id.clone()));
                }
                if !signed_by_any(&allowed) {
                    return Err(format!(
                        "revoking '{key_id}' needs the signature of a current key of its unit '{}' or of the founding unit",
                        k.unit
                    ));
                }
                self.keys.get_mut(key_id).expect("checked").ended = Some((
                    seq,
                    KeyEnd::Revoked {
                        reason: reason.clone(),
                    },
                ));
            }
        }
        Ok(())
    }

    fn insert(&mut self, seq: u64, key: &KeyDescriptor, public: &PublicKey, founding: bool) {
        self.keys.insert(
            key.key_id.clone(),
            EnrolledKey {
                key_id: key.key_id.clone(),
                unit: key.unit.clone(),
                unit_name: key.unit_name.clone(),
                public: public.clone(),
                enrolled: seq,
                founding,
                ended: None,
            },
        );
    }

    /// Every key ever enrolled, as a trust store (for checking signatures; whether a key may
    /// sign at a position is [`KeyHistory::standing`]).
    pub fn trust_store(&self) -> TrustStore {
        let mut store = TrustStore::default();
        for k in self.keys.values() {
            store.keys.insert(
                k.key_id.clone(),
                TrustedKey {
                    key_id: k.key_id.clone(),
                    unit: k.unit.clone(),
                    unit_name: k.unit_name.clone(),
                    created: String::new(),
                    public: k.public.clone(),
                    file: PathBuf::new(),
                    proof: None,
                },
            );
        }
        store
    }

    /// The keys that may sign a checkpoint of `size` records, as a trust store.
    pub fn signers_at(&self, size: u64) -> TrustStore {
        let mut store = self.trust_store();
        store
            .keys
            .retain(|id, _| self.standing(id, At::TreeSize(size)).counts());
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(unit: &str, seed: u8) -> SigningKey {
        let secret =
            super::super::sig::SecretKey::from_bytes(SigAlg::Ed25519, &[seed; 32]).unwrap();
        SigningKey {
            path: PathBuf::new(),
            unit: unit.into(),
            key_id: secret.public().key_id(),
            secret,
        }
    }

    fn enrol(k: &SigningKey) -> KeyOp {
        let d = KeyDescriptor::new(&k.public(), &k.unit, None);
        KeyOp::Enrol {
            proof: proof_of_possession(k, &d).unwrap(),
            key: d,
            public: k.public(),
        }
    }

    fn rotate(old: &SigningKey, new: &SigningKey) -> KeyOp {
        let d = KeyDescriptor::new(&new.public(), &new.unit, None);
        KeyOp::Rotate {
            proof: proof_of_possession(new, &d).unwrap(),
            key: d,
            public: new.public(),
            replaces: old.key_id.clone(),
        }
    }

    fn revoke(k: &SigningKey) -> KeyOp {
        KeyOp::Revoke {
            key_id: k.key_id.clone(),
            reason: "lost".into(),
        }
    }

    #[test]
    fn the_founding_key_signs_its_own_record_and_then_enrols_the_other_units() {
        let (imp, con, sup) = (
            key("implementing", 1),
            key("construction", 2),
            key("supervision", 3),
        );
        let mut h = KeyHistory::default();
        assert_eq!(h.authority("implementing"), Authority::Founding);
        // Founding needs the new key's own signature as signer.
        assert!(h
            .apply(0, &enrol(&imp), &con.key_id, &[&con.key_id])
            .is_err());
        h.apply(0, &enrol(&imp), &imp.key_id, &[&imp.key_id])
            .unwrap();
        assert_eq!(h.founding_unit(), Some("implementing"));
        assert!(h.founding_key().is_some_and(|k| k.key_id == imp.key_id));
        // A unit's first key: the founding unit authorises, not the new key alone.
        let err = h
            .apply(1, &enrol(&con), &con.key_id, &[&con.key_id])
            .unwrap_err();
        assert!(err.contains("founding unit"), "{err}");
        h.apply(1, &enrol(&con), &imp.key_id, &[&imp.key_id])
            .unwrap();
        // A second construction key needs a construction key; the founding unit will not do.
        let con2 = key("construction", 4);
        assert!(h
            .apply(2, &enrol(&con2), &imp.key_id, &[&imp.key_id])
            .is_err());
        h.apply(2, &enrol(&con2), &con.key_id, &[&con.key_id])
            .unwrap();
        // Nothing is enrolled twice; a non-founding unit cannot enrol a third unit.
        assert!(h
            .apply(3, &enrol(&con), &imp.key_id, &[&imp.key_id])
            .is_err());
        assert!(h
            .apply(3, &enrol(&sup), &con.key_id, &[&con.key_id])
            .is_err());
    }

    #[test]
    fn rotation_and_revocation_end_a_key_from_their_record_on() {
        let (imp, con) = (key("implementing", 1), key("construction", 2));
        let mut h = KeyHistory::default();
        h.apply(0, &enrol(&imp), &imp.key_id, &[&imp.key_id])
            .unwrap();
        h.apply(1, &enrol(&con), &imp.key_id, &[&imp.key_id])
            .unwrap();
        let con2 = key("construction", 5);
        // Only the replaced key authorises its rotation.
        assert!(h
            .apply(2, &rotate(&con, &con2), &imp.key_id, &[&imp.key_id])
            .is_err());
        h.apply(2, &rotate(&con, &con2), &con.key_id, &[&con.key_id])
            .unwrap();
        assert_eq!(h.standing(&con.key_id, At::Record(2)), Standing::Active);
        assert!(matches!(
            h.standing(&con.key_id, At::Record(3)),
            Standing::Ended { seq: 2, .. }
        ));
        assert_eq!(h.standing(&con2.key_id, At::Record(3)), Standing::Active);
        assert_eq!(
            h.standing(&con2.key_id, At::Record(1)),
            Standing::NotYet { enrolled: 2 }
        );
        // The founding unit may revoke another unit's key; a revoked key stays revoked.
        h.apply(3, &revoke(&con2), &imp.key_id, &[&imp.key_id])
            .unwrap();
        assert!(h
            .apply(4, &revoke(&con2), &imp.key_id, &[&imp.key_id])
            .is_err());
        assert!(h.current("construction").is_empty());
        // With no current key left, the unit's next key is a first key again.
        assert!(matches!(
            h.authority("construction"),
            Authority::FoundingUnit { .. }
        ));
        // Checkpoints: a tree of n records counts keys enrolled among them and not ended.
        assert!(h.signers_at(2).get(&con.key_id).is_some());
        assert!(h.signers_at(3).get(&con.key_id).is_none());
        assert!(h.signers_at(1).get(&con.key_id).is_none());
    }

    #[test]
    fn records_before_the_founding_record_are_legacy() {
        let imp = key("implementing", 1);
        let mut h = KeyHistory::default();
        h.apply(5, &enrol(&imp), &imp.key_id, &[&imp.key_id])
            .unwrap();
        assert_eq!(h.standing(&imp.key_id, At::Record(2)), Standing::Legacy);
        assert_eq!(h.standing(&imp.key_id, At::TreeSize(5)), Standing::Legacy);
        assert_eq!(h.standing(&imp.key_id, At::TreeSize(6)), Standing::Active);
        assert_eq!(h.standing("ed25519:00", At::Record(2)), Standing::Unknown);
    }

    #[test]
    fn key_bodies_are_checked_in_full() {
        let imp = key("implementing", 1);
        let op = enrol(&imp);
        assert!(KeyOp::parse(ENROL_KIND, &op.body()).unwrap().is_ok());
        assert!(KeyOp::parse("note", &op.body()).is_none());
        // A proof made for another unit does not carry over.
        let mut body = op.body();
        body["key"]["unit"] = "construction".into();
        let err = KeyOp::parse(ENROL_KIND, &body).unwrap().unwrap_err();
        assert!(err.contains("proof"), "{err}");
        let mut body = op.body();
        body["extra"] = "x".into();
        assert!(KeyOp::parse(ENROL_KIND, &body).unwrap().is_err());
        let blank = serde_json::json!({"key_id": imp.key_id, "reason": " "});
        assert!(KeyOp::parse(REVOKE_KIND, &blank).unwrap().is_err());
    }
}
