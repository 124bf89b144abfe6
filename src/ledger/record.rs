//! The record format: one canonical JSON object a line, what is hashed into the Merkle leaf and
//! what each signature covers.
//!
//! ```text
//! line          = {"entry":ENTRY,"leaf_hash":"ALG:HEX","signatures":[SIG,...]}   (RFC 8785)
//! leaf input    = the line without its "leaf_hash" member, i.e. {"entry":ENTRY,"signatures":[...]}
//! leaf_hash     = ALG(0x00 || leaf input)                     (RFC 6962 leaf hash)
//! signed bytes  = "anbao.ledger.v1\n" || ENTRY                  (ENTRY in its canonical bytes)
//! ```
//! Signatures cover the entry; the leaf hash covers the entry and the signatures, so a
//! checkpoint pins both and a stripped signature changes the tree.

use super::canonical;
use super::error::{LedgerError, Result};
use super::hash::{Digest, HashAlg};
use super::keys::{b64_decode, b64_encode, valid_unit, SigningKey};
use super::merkle;
use super::sig::SigAlg;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The version of the record format, written into every entry as `"v":"1"`.
pub const FORMAT_VERSION: &str = "1";
/// Prefix of the bytes every record signature covers; it keeps a record signature from ever
/// being valid as a signature of anything else (a checkpoint, another program's message).
pub const SIGNING_PREFIX: &[u8] = b"anbao.ledger.v1\n";
/// The kind of a record that adds a signature to an earlier record.
pub const COSIGN_KIND: &str = "cosign";

const LINE_START: &[u8] = b"{\"entry\":";
const LEAF_MEMBER: &[u8] = b",\"leaf_hash\":\"";
const SIGS_MEMBER: &[u8] = b"\",\"signatures\":";

/// The signed part of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Free-form content of the record (no floats; big numbers and ids as strings).
    pub body: Value,
    /// Files the record rests on, stored content-addressed under `evidence/`.
    pub evidence: Vec<EvidenceRef>,
    /// What the record is, e.g. `acceptance.verdict`, `assessment.signoff`, `cosign`.
    pub kind: String,
    /// Units whose signatures the record needs before it is complete (the acting unit first).
    pub requires: Vec<String>,
    /// Position in the ledger, from 0; equal to the Merkle leaf index.
    #[serde(with = "decimal")]
    pub seq: u64,
    /// Key id of the acting unit's key; its signature must be among the record's signatures.
    pub signer: String,
    /// The record this one corrects, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<RecordRef>,
    /// When it was recorded, RFC 3339 with the UTC offset.
    pub time: String,
    /// The acting unit.
    pub unit: String,
    pub v: String,
}

/// A pointer to an earlier record: its seq and its leaf hash, so the reference cannot silently
/// follow a changed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRef {
    pub leaf_hash: Digest,
    #[serde(with = "decimal")]
    pub seq: u64,
}

/// An evidence file: its hash (which is also where it is stored), original name and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRef {
    pub hash: Digest,
    pub name: String,
    #[serde(with = "decimal")]
    pub size: u64,
}

/// One signature of a record's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    #[serde(with = "sig_alg")]
    pub alg: SigAlg,
    pub key: String,
    #[serde(with = "base64_bytes")]
    pub sig: Vec<u8>,
}

/// The body of a `cosign` record: a signature, by another key, of an earlier record's entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cosign {
    pub signature: Signature,
    pub target: RecordRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    entry: Entry,
    leaf_hash: Digest,
    signatures: Vec<Signature>,
}

/// A record as read from or written to the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub entry: Entry,
    pub leaf_hash: Digest,
    pub signatures: Vec<Signature>,
    /// The exact line (without its newline).
    pub line: String,
}

impl Record {
    pub fn seq(&self) -> u64 {
        self.entry.seq
    }

    /// The body of a cosign record, if this is one.
    pub fn cosign(&self) -> Option<Result<Cosign, String>> {
        (self.entry.kind == COSIGN_KIND).then(|| {
            serde_json::from_value::<Cosign>(self.entry.body.clone())
                .map_err(|e| format!("a cosign body: {e}"))
        })
    }

    /// The canonical bytes of the entry, as they appear in the line.
    pub fn entry_bytes(&self) -> &[u8] {
        let parts = split_line(self.line.as_bytes()).expect("a parsed record splits");
        &self.line.as_bytes()[parts.entry.clone()]
    }

    pub fn reference(&self) -> RecordRef {
        RecordRef {
            seq: self.entry.seq,
            leaf_hash: self.leaf_hash,
        }
    }
}

/// The bytes a record signature covers.
pub fn signing_input(entry_bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNING_PREFIX.len() + entry_bytes.len());
    out.extend_from_slice(SIGNING_PREFIX);
    out.extend_from_slice(entry_bytes);
    out
}

/// Where the three members sit in a line, found from the bytes alone so that `verify` can hash
/// without parsing. `leaf_hash` is the last member named so of the line: inside the entry such a
/// key would be followed by more of the entry, and the signatures hold no such key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineParts {
    pub entry: std::ops::Range<usize>,
    /// The leaf hash text `ALG:HEX`.
    pub leaf_hash: std::ops::Range<usize>,
    pub signatures: std::ops::Range<usize>,
    /// The line without the `,"leaf_hash":"…"` member is `line[..cut.start] ++ line[cut.end..]`.
    pub cut: std::ops::Range<usize>,
}

pub fn split_line(line: &[u8]) -> Option<LineParts> {
    if !line.starts_with(LINE_START) || line.last() != Some(&b'}') {
        return None;
    }
    // One searcher for all lines: building it per line cost as much as the search.
    static LEAF_FINDER: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(LEAF_MEMBER));
    let at = LEAF_FINDER.rfind(line)?;
    let hash_start = at + LEAF_MEMBER.len();
    let hash_len = memchr::memchr(b'"', &line[hash_start..])?;
    let hash_end = hash_start + hash_len;
    if !line[hash_end..].starts_with(SIGS_MEMBER) || at < LINE_START.len() {
        return None;
    }
    let sigs_start = hash_end + SIGS_MEMBER.len();
    Some(LineParts {
        entry: LINE_START.len()..at,
        leaf_hash: hash_start..hash_end,
        signatures: sigs_start..line.len() - 1,
        cut: at..hash_end + 1,
    })
}

/// RFC 6962 leaf hash of a line, over the line without its leaf hash member.
pub fn leaf_hash_of(alg: HashAlg, line: &[u8], parts: &LineParts) -> merkle::Hash {
    alg.hash(&leaf_input(line, Some(parts)))
}

/// What a line's leaf hash is taken over, in three parts: 0x00, then the line without its leaf
/// hash member, or, for a line without the record layout (`parts` None), the whole line.
pub fn leaf_input<'a>(line: &'a [u8], parts: Option<&LineParts>) -> [&'a [u8]; 3] {
    match parts {
        Some(p) => [&[0x00], &line[..p.cut.start], &line[p.cut.end..]],
        None => [&[0x00], line, &[]],
    }
}

/// Builds the line of a new record: canonical entry, signatures by every key, leaf hash.
pub fn build(entry: &Entry, alg: HashAlg, keys: &[&SigningKey]) -> Result<Record> {
    let entry_value = serde_json::to_value(entry).map_err(|e| LedgerError::Other(e.to_string()))?;
    let entry_bytes = canonical::to_canonical(&entry_value).map_err(LedgerError::BadBody)?;
    let message = signing_input(&entry_bytes);
    let mut signatures = Vec::with_capacity(keys.len());
    for key in keys {
        if signatures.iter().any(|s: &Signature| s.key == key.key_id) {
            return Err(LedgerError::DuplicateSigner(key.key_id.clone()));
        }
        signatures.push(Signature {
            alg: key.alg(),
            key: key.key_id.clone(),
            sig: key.sign(&message)?,
        });
    }
    let sigs_value =
        serde_json::to_value(&signatures).map_err(|e| LedgerError::Other(e.to_string()))?;
    let sigs_bytes = canonical::to_canonical(&sigs_value).map_err(LedgerError::Other)?;
    let mut leaf_input = Vec::with_capacity(entry_bytes.len() + sigs_bytes.len() + 32);
    leaf_input.extend_from_slice(LINE_START);
    leaf_input.extend_from_slice(&entry_bytes);
    leaf_input.extend_from_slice(b",\"signatures\":");
    leaf_input.extend_from_slice(&sigs_bytes);
    leaf_input.push(b'}');
    let leaf_hash = Digest::new(alg, merkle::leaf_hash(alg, &leaf_input));
    let line = Line {
        entry: entry.clone(),
        leaf_hash,
        signatures,
    };
    let value = serde_json::to_value(&line).map_err(|e| LedgerError::Other(e.to_string()))?;
    let bytes = canonical::to_canonical(&value).map_err(LedgerError::Other)?;
    let text = String::from_utf8(bytes).map_err(|e| LedgerError::Other(e.to_string()))?;
    debug_assert_eq!(
        split_line(text.as_bytes()).map(|p| leaf_hash_of(alg, text.as_bytes(), &p)),
        Some(leaf_hash.bytes)
    );
    Ok(Record {
        entry: line.entry,
        leaf_hash,
        signatures: line.signatures,
        line: text,
    })
}

/// Why a line is not a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// Not JSON, not UTF-8, or not the record shape.
    Malformed(String),
    /// A record, but not in the one canonical spelling (RFC 8785, NFC).
    NotCanonical(String),
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::Malformed(m) | LineError::NotCanonical(m) => f.write_str(m),
        }
    }
}

/// Parses and checks one line: strict JSON, the canonical spelling, the record shape and the
/// syntax of every field. Signatures and hashes are checked by `verify`, not here.
pub fn parse(line: &[u8]) -> Result<Record, LineError> {
    let value = canonical::parse_strict(line).map_err(LineError::Malformed)?;
    let mut canonical_bytes = Vec::with_capacity(line.len());
    canonical::write_canonical(&value, &mut canonical_bytes);
    if canonical_bytes != line {
        return Err(LineError::NotCanonical(
            "the line is not in RFC 8785 canonical form".into(),
        ));
    }
    if !canonical::is_all_nfc(&value) {
        return Err(LineError::NotCanonical(
            "a string is not in Unicode NFC".into(),
        ));
    }
    let parsed: Line =
        serde_json::from_value(value).map_err(|e| LineError::Malformed(e.to_string()))?;
    let record = Record {
        entry: parsed.entry,
        leaf_hash: parsed.leaf_hash,
        signatures: parsed.signatures,
        // Canonical JSON is UTF-8 by construction.
        line: String::from_utf8_lossy(line).into_owned(),
    };
    check_fields(&record).map_err(LineError::Malformed)?;
    if split_line(line).is_none() {
        return Err(LineError::Malformed(
            "the line does not have the record layout".into(),
        ));
    }
    Ok(record)
}

fn check_fields(r: &Record) -> Result<(), String> {
    let e = &r.entry;
    if !e.body.is_object() {
        return Err("'body' must be a JSON object".into());
    }
    if e.v != FORMAT_VERSION {
        return Err(format!(
            "format version '{}' (this program reads '{FORMAT_VERSION}')",
            e.v
        ));
    }
    if !valid_kind(&e.kind) {
        return Err(format!("'{}' is not a record kind", e.kind));
    }
    if !valid_unit(&e.unit) {
        return Err(format!("'{}' is not a unit id", e.unit));
    }
    if !super::valid_time(&e.time) {
        return Err(format!("time '{}' is not RFC 3339 with an offset", e.time));
    }
    if e.requires.first() != Some(&e.unit) {
        return Err("'requires' must start with the acting unit".into());
    }
    for (i, u) in e.requires.iter().enumerate() {
        if !valid_unit(u) || e.requires[..i].contains(u) {
            return Err(format!(
                "'requires' names '{u}' twice or it is not a unit id"
            ));
        }
    }
    for ev in &e.evidence {
        if !valid_evidence_name(&ev.name) {
            return Err(format!(
                "evidence name '{}' is not a plain file name",
                ev.name
            ));
        }
    }
    if let Some(s) = &e.supersedes {
        if s.seq >= e.seq {
            return Err(format!(
                "record {} cannot supersede the later record {}",
                e.seq, s.seq
            ));
        }
    }
    if r.signatures.is_empty() {
        return Err("a record needs at least one signature".into());
    }
    for (i, s) in r.signatures.iter().enumerate() {
        if !s.key.starts_with(&format!("{}:", s.alg.name())) {
            return Err(format!(
                "signature {i} is {} but names the key '{}'",
                s.alg, s.key
            ));
        }
        if r.signatures[..i].iter().any(|o| o.key == s.key) {
            return Err(format!("two signatures by '{}'", s.key));
        }
    }
    if let Some(cosign) = r.cosign() {
        let c = cosign?;
        if c.target.seq >= e.seq {
            return Err("a cosign record must sign an earlier record".into());
        }
    }
    Ok(())
}

/// Record kinds: lower-case words of letters and digits joined by `.` or `-`.
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 64
        && kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind.split(['.', '-']).all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Evidence names are file names, never paths, so a record cannot point outside `evidence/`.
pub fn valid_evidence_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
}

mod decimal {
    use super::*;

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    /// Decimal digits without leading zeros: one spelling per number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = String::deserialize(d)?;
        let ok = !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit())
            && (text == "0" || !text.starts_with('0'));
        ok.then(|| text.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| {
                serde::de::Error::custom(format!("'{text}' is not a decimal number string"))
            })
    }
}

mod sig_alg {
    use super::*;

    pub fn serialize<S: Serializer>(v: &SigAlg, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SigAlg, D::Error> {
        let text = String::deserialize(d)?;
        SigAlg::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown signature algorithm '{text}' (known: ed25519, sm2)"
            ))
        })
    }
}

mod base64_bytes {
    use super::*;

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&b64_encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        b64_decode(&text).ok_or_else(|| serde::de::Error::custom("not canonical base64"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(seq: u64) -> Entry {
        Entry {
            body: json!({"verdict": "pass", "说明": "验收通过", "count": 3, "nested": {"leaf_hash": "x"}}),
            evidence: vec![],
            kind: "acceptance.verdict".into(),
            requires: vec!["implementing".into()],
            seq,
            signer: String::new(),
            supersedes: None,
            time: "2026-11-10T10:00:00+08:00".into(),
            unit: "implementing".into(),
            v: FORMAT_VERSION.into(),
        }
    }

    #[test]
    fn built_lines_parse_back_and_split_at_the_right_member() {
        for alg in [SigAlg::Ed25519, SigAlg::Sm2] {
            let key = SigningKey::generate(alg, "implementing").unwrap();
            let mut e = entry(7);
            e.signer = key.key_id.clone();
            let rec = build(&e, alg.hash(), &[&key]).unwrap();
            let back = parse(rec.line.as_bytes()).unwrap();
            assert_eq!(back, rec);
            let parts = split_line(rec.line.as_bytes()).unwrap();
            assert_eq!(
                &rec.line[parts.leaf_hash.clone()],
                rec.leaf_hash.to_string()
            );
            assert_eq!(
                leaf_hash_of(alg.hash(), rec.line.as_bytes(), &parts),
                rec.leaf_hash.bytes
            );
            assert!(key
                .public()
                .verify(&signing_input(rec.entry_bytes()), &rec.signatures[0].sig));
            // The entry bytes are the canonical JSON of the entry.
            let value = serde_json::to_value(&rec.entry).unwrap();
            assert_eq!(canonical::to_canonical(&value).unwrap(), rec.entry_bytes());
        }
    }

    #[test]
    fn non_canonical_and_malformed_lines_are_told_apart() {
        let key = SigningKey::generate(SigAlg::Ed25519, "implementing").unwrap();
        let mut e = entry(0);
        e.signer = key.key_id.clone();
        let rec = build(&e, HashAlg::Sha256, &[&key]).unwrap();
        let spaced = rec.line.replacen(':', ": ", 1);
        assert!(matches!(
            parse(spaced.as_bytes()),
            Err(LineError::NotCanonical(_))
        ));
        let dup = rec
            .line
            .replacen("{\"entry\":", "{\"entry\":1,\"entry\":", 1);
        assert!(matches!(
            parse(dup.as_bytes()),
            Err(LineError::Malformed(_))
        ));
        assert!(matches!(parse(b"{}"), Err(LineError::Malformed(_))));
        assert!(matches!(parse(&[0xff, 0xfe]), Err(LineError::Malformed(_))));
        let upper = rec
            .line
            .replace(&rec.leaf_hash.hex(), &rec.leaf_hash.hex().to_uppercase());
        assert!(parse(upper.as_bytes()).is_err());
    }

    /// The worked example of docs/ledger-format.md §4.5 is what this code writes (Ed25519 is
    /// deterministic), so the document cannot drift from the implementation.
    #[test]
    fn the_documented_example_is_reproduced() {
        let secret =
            crate::ledger::sig::SecretKey::from_bytes(SigAlg::Ed25519, &[7u8; 32]).unwrap();
        let key = SigningKey {
            path: Default::default(),
            unit: "implementing".into(),
            key_id: secret.public().key_id(),
            secret,
        };
        let e = Entry {
            body: json!({"meets": false, "project": "XZZW-2026-001", "说明": "3 个关键产品未通过"}),
            requires: vec!["implementing".into(), "construction".into()],
            signer: key.key_id.clone(),
            kind: "acceptance.verdict".into(),
            seq: 0,
            ..entry(0)
        };
        let rec = build(&e, HashAlg::Sha256, &[&key]).unwrap();
        let doc = include_str!("../../docs/ledger-format.md");
        assert!(
            doc.contains(&rec.line),
            "update docs/ledger-format.md §4.5 with:\n{}",
            rec.line
        );
        assert!(doc.contains(&key.key_id));
        assert!(doc.contains(&b64_encode(&key.public().to_bytes())));
    }

    #[test]
    fn kinds_and_evidence_names() {
        assert!(valid_kind("acceptance.verdict"));
        assert!(valid_kind("drill-run.summary2"));
        assert!(!valid_kind("Acceptance"));
        assert!(!valid_kind("a..b"));
        assert!(!valid_kind(".a"));
        assert!(valid_evidence_name("现场照片 1.jpg"));
        assert!(!valid_evidence_name("../x"));
        assert!(!valid_evidence_name("a/b"));
    }
}
