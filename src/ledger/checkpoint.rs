//! Checkpoints: signed tree heads in the C2SP signed-note format (c2sp.org/tlog-checkpoint),
//! kept one per file in `records/checkpoints/` and filed with the authority.
//!
//! ```text
//! anbao/XZZW-2026-001/sha256          origin: project code and the tree's hash algorithm
//! 42                                  tree size
//! 3q2+7w...=                          base64 root hash
//! time 2026-11-10T10:00:00+08:00      extension line: when it was signed
//!
//! — implementing/ed25519:0a1b... base64(4-byte key hash || signature)
//! ```

use super::error::{LedgerError, Result};
use super::hash::HashAlg;
use super::keys::{b64_decode, b64_encode, SigningKey, TrustStore, TrustedKey};
use super::sig::{PublicKey, SigAlg};
use super::Ledger;
use std::path::{Path, PathBuf};

/// The signature type bytes of the key hash: C2SP assigns 0x01 to Ed25519; SM2 has no
/// assigned byte, so it uses 0xff followed by a longer identifier, as the spec recommends.
const SM2_NOTE_TYPE: &[u8] = b"\xffanbao-sm2-sm3";
const EM_DASH: &str = "\u{2014}";

/// The origin line of a ledger's tree under `alg`.
pub fn origin(project_code: &str, alg: HashAlg) -> String {
    let mut code = String::new();
    for b in project_code.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            code.push(b as char);
        } else {
            code.push_str(&format!("%{b:02X}"));
        }
    }
    if code.is_empty() {
        code.push('-');
    }
    format!("anbao/{code}/{}", alg.name())
}

/// The hash algorithm an origin names in its last path segment.
pub fn origin_alg(origin: &str) -> Option<HashAlg> {
    let (prefix, alg) = origin.rsplit_once('/')?;
    prefix.starts_with("anbao/").then_some(())?;
    HashAlg::parse(alg)
}

/// The signed-note key name of a unit's key: `UNIT/KEY-ID`.
pub fn key_name(unit: &str, key_id: &str) -> String {
    format!("{unit}/{key_id}")
}

/// The 4-byte key hash that starts every note signature.
pub fn key_hash(name: &str, public: &PublicKey) -> [u8; 4] {
    let raw = public.to_bytes();
    let digest = match public.alg() {
        SigAlg::Ed25519 => HashAlg::Sha256.hash(&[name.as_bytes(), b"\n", &[0x01], &raw]),
        SigAlg::Sm2 => HashAlg::Sm3.hash(&[name.as_bytes(), b"\n", SM2_NOTE_TYPE, &raw]),
    };
    [digest[0], digest[1], digest[2], digest[3]]
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_hash: [u8; 4],
    pub sig: Vec<u8>,
}

/// A parsed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub alg: HashAlg,
    pub size: u64,
    pub root: [u8; 32],
    /// The time extension line, if present.
    pub time: Option<String>,
    /// The note text the signatures cover (ends with a newline).
    pub body: String,
    pub signatures: Vec<NoteSignature>,
}

/// Splits a signed note into its text and signature lines (C2SP signed-note).
pub fn parse_note(text: &str) -> std::result::Result<(String, Vec<NoteSignature>), String> {
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err("a signed note holds no control characters but newline".into());
    }
    let sep = text
        .rfind("\n\n")
        .ok_or("no blank line before the signatures")?;
    let body = &text[..sep + 1];
    let sigs = &text[sep + 2..];
    if !sigs.ends_with('\n') {
        return Err("the note does not end with a newline".into());
    }
    let mut out = Vec::new();
    for line in sigs.lines() {
        let rest = line
            .strip_prefix(EM_DASH)
            .and_then(|r| r.strip_prefix(' '))
            .ok_or_else(|| format!("'{line}' is not a signature line"))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or_else(|| format!("'{line}' has no signature"))?;
        if name.is_empty() || name.contains('+') {
            return Err(format!("'{name}' is not a key name"));
        }
        let raw =
            b64_decode(b64).ok_or_else(|| format!("the signature of '{name}' is not base64"))?;
        if raw.len() < 5 {
            return Err(format!("the signature of '{name}' is too short"));
        }
        out.push(NoteSignature {
            name: name.into(),
            key_hash: [raw[0], raw[1], raw[2], raw[3]],
            sig: raw[4..].to_vec(),
        });
    }
    if out.is_empty() {
        return Err("no signature lines".into());
    }
    if out.len() > 100 {
        return Err("more than 100 signatures".into());
    }
    Ok((body.to_string(), out))
}

/// Parses a checkpoint note: origin, size, root, and the optional `time` extension line.
pub fn parse(text: &str) -> std::result::Result<Checkpoint, String> {
    let (body, signatures) = parse_note(text)?;
    let lines: Vec<&str> = body.trim_end_matches('\n').split('\n').collect();
    if lines.len() < 3 || lines.iter().any(|l| l.is_empty()) {
        return Err("a checkpoint has at least three non-empty lines: origin, size, root".into());
    }
    let origin = lines[0].to_string();
    let alg =
        origin_alg(&origin).ok_or_else(|| format!("origin '{origin}' is not anbao/PROJECT/ALG"))?;
    let size_ok = lines[1].bytes().all(|b| b.is_ascii_digit())
        && (lines[1] == "0" || !lines[1].starts_with('0'));
    let size: u64 = size_ok
        .then(|| lines[1].parse().ok())
        .flatten()
        .ok_or_else(|| format!("'{}' is not a tree size", lines[1]))?;
    let root: [u8; 32] = b64_decode(lines[2])
        .and_then(|r| r.try_into().ok())
        .ok_or_else(|| format!("'{}' is not a base64 root hash", lines[2]))?;
    let time = lines[3..]
        .iter()
        .find_map(|l| l.strip_prefix("time "))
        .map(str::to_string);
    if let Some(time) = time.as_deref().filter(|t| !super::valid_time(t)) {
        return Err(format!(
            "the time line '{time}' is not RFC 3339 with an offset"
        ));
    }
    Ok(Checkpoint {
        origin,
        alg,
        size,
        root,
        time,
        body,
        signatures,
    })
}

/// The note text of a tree head.
pub fn body(origin: &str, size: u64, root: &[u8; 32], time: &str) -> String {
    format!("{origin}\n{size}\n{}\ntime {time}\n", b64_encode(root))
}

/// Signs a note text with every key and returns the whole signed note.
pub fn sign(body: &str, keys: &[&SigningKey]) -> Result<String> {
    let mut out = format!("{body}\n");
    for key in keys {
        let name = key_name(&key.unit, &key.key_id);
        let mut raw = key_hash(&name, &key.public()).to_vec();
        raw.extend(key.sign(body.as_bytes())?);
        out.push_str(&format!("{EM_DASH} {name} {}\n", b64_encode(&raw)));
    }
    Ok(out)
}

/// Which signatures of a note verify against the trust store. Unknown keys are ignored, as
/// the signed-note spec requires; a known key whose signature fails spoils the note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteVerdict {
    pub valid: Vec<String>,
    pub invalid: Vec<String>,
    pub unknown: Vec<String>,
}

impl NoteVerdict {
    pub fn ok(&self) -> bool {
        !self.valid.is_empty() && self.invalid.is_empty()
    }
}

pub fn check_signatures(body: &str, sigs: &[NoteSignature], trust: &TrustStore) -> NoteVerdict {
    let mut v = NoteVerdict::default();
    for s in sigs {
        let known: Option<&TrustedKey> = trust
            .by_note_name(&s.name)
            .filter(|k| key_hash(&s.name, &k.public) == s.key_hash);
        match known {
            None => v.unknown.push(s.name.clone()),
            Some(k) if k.public.verify(body.as_bytes(), &s.sig) => v.valid.push(k.key_id.clone()),
            Some(k) => v.invalid.push(k.key_id.clone()),
        }
    }
    v
}

impl Ledger {
    /// Every checkpoint file, sorted by name (which sorts by size), with its parse result.
    pub fn checkpoints(&self) -> Result<Vec<(PathBuf, std::result::Result<Checkpoint, String>)>> {
        let dir = self.checkpoint_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(LedgerError::io("list", &dir, e)),
        };
        // Links are not followed: a checkpoint is a file of its own, never one elsewhere.
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| {
                let t = e.file_type().ok()?;
                (t.is_file() || t.is_symlink()).then(|| (e.path(), t.is_symlink()))
            })
            .collect();
        paths.sort();
        let mut out = Vec::new();
        for (path, link) in paths {
            if link {
                out.push((
                    path,
                    Err("a symbolic link, which anbao does not follow".to_string()),
                ));
                continue;
            }
            let parsed = match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => parse(&text),
                    Err(_) => Err("not UTF-8".to_string()),
                },
                Err(e) => return Err(LedgerError::io("read", &path, e)),
            };
            out.push((path, parsed));
        }
        Ok(out)
    }

    /// Signs the current tree head with `keys` and saves it as a new checkpoint file. The
    /// ledger must verify first: a checkpoint must never vouch for a damaged ledger.
    pub fn checkpoint(&self, keys: &[&SigningKey]) -> Result<(PathBuf, Checkpoint)> {
        let report = self.verify()?;
        if let Some(bad) = report.first_bad.as_ref() {
            return Err(LedgerError::NotVerified(bad.message.en.clone()));
        }
        let history = self.key_history()?;
        for key in keys {
            self.check_key_file(key, true)?;
            super::keyring::check_signer(&history, key, None)?;
        }
        let alg = self.hash_alg();
        let head = report
            .trees
            .iter()
            .find(|t| t.alg == alg)
            .expect("verify computes the profile's tree");
        let time = super::now_rfc3339();
        let body = body(&self.origin(alg), head.size, &head.root, &time);
        let text = sign(&body, keys)?;
        let dir = self.checkpoint_dir();
        std::fs::create_dir_all(&dir).map_err(|e| LedgerError::io("create", &dir, e))?;
        let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S");
        let mut n = 0;
        let path = loop {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let p = dir.join(format!(
                "{:010}-{}-{stamp}{suffix}.txt",
                head.size,
                alg.name()
            ));
            if !p.exists() {
                break p;
            }
            n += 1;
        };
        crate::fsutil::write_atomic(&path, text.as_bytes())
            .map_err(|e| LedgerError::io("write", &path, e))?;
        let cp = parse(&text).map_err(LedgerError::Other)?;
        Ok((path, cp))
    }

    /// The newest checkpoint of the profile's tree (largest size, then latest file).
    pub fn latest_checkpoint(&self) -> Result<(PathBuf, Checkpoint)> {
        let alg = self.hash_alg();
        self.checkpoints()?
            .into_iter()
            .filter_map(|(p, c)| c.ok().map(|c| (p, c)))
            .filter(|(_, c)| c.alg == alg)
            .max_by(|a, b| a.1.size.cmp(&b.1.size).then(a.0.cmp(&b.0)))
            .ok_or(LedgerError::NoCheckpoint {
                dir: self.checkpoint_dir(),
            })
    }
}

/// Reads a checkpoint file given on the command line.
pub fn read_file(path: &Path) -> Result<Checkpoint> {
    let text = std::fs::read_to_string(path).map_err(|e| LedgerError::io("read", path, e))?;
    parse(&text).map_err(|m| LedgerError::Input(crate::error::InputError::whole_file(path, m)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::sig::SecretKey;

    /// The signed-note example of golang.org/x/mod/sumdb/note (the reference implementation):
    /// key "PeterNeumann", key id c74f20a3, and the exact signature line.
    #[test]
    fn c2sp_note_known_answer() {
        let skey = b64_decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz").unwrap();
        assert_eq!(skey[0], 0x01);
        let secret = SecretKey::from_bytes(SigAlg::Ed25519, &skey[1..]).unwrap();
        let vkey = b64_decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").unwrap();
        assert_eq!(secret.public().to_bytes(), vkey[1..]);
        assert_eq!(
            hex::encode(key_hash("PeterNeumann", &secret.public())),
            "c74f20a3"
        );
        let text = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
        let key = SigningKey {
            path: PathBuf::new(),
            unit: "x".into(),
            key_id: secret.public().key_id(),
            secret,
        };
        let mut raw = key_hash("PeterNeumann", &key.public()).to_vec();
        raw.extend(key.sign(text.as_bytes()).unwrap());
        assert_eq!(
            b64_encode(&raw),
            "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        );
        let note = format!(
            "{text}\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        );
        let (body, sigs) = parse_note(&note).unwrap();
        assert_eq!(body, text);
        assert_eq!(sigs[0].name, "PeterNeumann");
    }

    #[test]
    fn checkpoints_round_trip_and_verify_in_both_profiles() {
        for alg in [SigAlg::Ed25519, SigAlg::Sm2] {
            let key = SigningKey::generate(alg, "implementing").unwrap();
            let mut trust = TrustStore::default();
            trust.keys.insert(
                key.key_id.clone(),
                TrustedKey {
                    key_id: key.key_id.clone(),
                    unit: "implementing".into(),
                    unit_name: None,
                    created: String::new(),
                    public: key.public(),
                    file: PathBuf::new(),
                    proof: None,
                },
            );
            let o = origin("XZZW 2026/001", alg.hash());
            assert_eq!(o, format!("anbao/XZZW%202026%2F001/{}", alg.hash()));
            let text = sign(&body(&o, 5, &[9; 32], "2026-11-10T10:00:00+08:00"), &[&key]).unwrap();
            let cp = parse(&text).unwrap();
            assert_eq!((cp.size, cp.root, cp.alg), (5, [9; 32], alg.hash()));
            assert_eq!(cp.time.as_deref(), Some("2026-11-10T10:00:00+08:00"));
            assert!(check_signatures(&cp.body, &cp.signatures, &trust).ok());
            let forged = text.replacen("\n5\n", "\n6\n", 1);
            let cp = parse(&forged).unwrap();
            let v = check_signatures(&cp.body, &cp.signatures, &trust);
            assert!(!v.ok() && v.invalid.len() == 1);
            assert!(!check_signatures(&cp.body, &cp.signatures, &TrustStore::default()).ok());
        }
    }

    #[test]
    fn malformed_notes_are_refused() {
        assert!(parse("a\n1\nAA==\n").is_err());
        assert!(parse("anbao/x/sha256\n01\nAA==\n\n\u{2014} k AAAAAAA=\n").is_err());
        assert!(parse("anbao/x/md5\n1\nAA==\n\n\u{2014} k AAAAAAA=\n").is_err());
        assert!(parse_note("a\n\n- k AAAAAAA=\n").is_err());
        assert!(parse_note("a\r\n\n\u{2014} k AAAAAAA=\n").is_err());
    }
}
