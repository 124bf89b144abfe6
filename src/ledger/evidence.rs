//! The content-addressed evidence store: `evidence/ALG/HEX` holds the file whose ALG hash is HEX.

use super::error::{LedgerError, Result};
use super::hash::{Digest, HashAlg};
use super::keys::{private_key_form, read_head, PRIVATE_KEY_SCAN_LIMIT};
use super::record::{valid_evidence_name, EvidenceRef};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Where the evidence with this digest lives under the workspace `root`.
pub fn path_of(root: &Path, digest: &Digest) -> PathBuf {
    root.join("evidence")
        .join(digest.alg.name())
        .join(digest.hex())
}

/// Copies `src` into the store (once per content) and returns its reference. The copy is
/// complete and synced before this returns, so a record never names evidence that is not there.
pub fn store(root: &Path, alg: HashAlg, src: &Path) -> Result<EvidenceRef> {
    let name = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = unicode_normalization::UnicodeNormalization::nfc(name.as_str()).collect();
    if !valid_evidence_name(&name) {
        return Err(LedgerError::Other(format!(
            "'{}' has no usable file name for evidence",
            src.display()
        )));
    }
    refuse_private_key(src)?;
    let dir = root.join("evidence").join(alg.name());
    std::fs::create_dir_all(&dir).map_err(|e| LedgerError::io("create", &dir, e))?;
    let mut input = std::fs::File::open(src).map_err(|e| LedgerError::io("read", src, e))?;
    let mut tmp =
        tempfile::NamedTempFile::new_in(&dir).map_err(|e| LedgerError::io("write", &dir, e))?;
    let mut hasher = alg.hasher();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = input
            .read(&mut buf)
            .map_err(|e| LedgerError::io("read", src, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        tmp.write_all(&buf[..n])
            .map_err(|e| LedgerError::io("write", tmp.path(), e))?;
        size += n as u64;
    }
    let digest = Digest::new(alg, hasher.finish());
    let target = path_of(root, &digest);
    if target.exists() {
        // Same hash, same content: the store already has it.
        drop(tmp);
    } else {
        tmp.as_file()
            .sync_all()
            .map_err(|e| LedgerError::io("write", &target, e))?;
        tmp.persist(&target)
            .map_err(|e| LedgerError::io("write", &target, e.error))?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
    }
    Ok(EvidenceRef {
        hash: digest,
        name,
        size,
    })
}

/// A private key is never filed as evidence: it would travel with every export.
fn refuse_private_key(src: &Path) -> Result<()> {
    match private_key_form(&read_head(src)?) {
        Some(form) => Err(LedgerError::PrivateKeyFile {
            path: src.into(),
            form: form.into(),
        }),
        None => Ok(()),
    }
}

/// What is wrong with a stored evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    Mismatch {
        actual: String,
    },
    /// It hashes right, but it is a private key (in the form named).
    PrivateKey(&'static str),
}

/// Re-hashes a stored evidence file.
pub fn check(root: &Path, ev: &EvidenceRef) -> std::result::Result<(), Problem> {
    let path = path_of(root, &ev.hash);
    let Ok(mut f) = std::fs::File::open(&path) else {
        return Err(Problem::Missing);
    };
    let mut hasher = ev.hash.alg.hasher();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    // The start of the file, kept while it could still be a private key file.
    let mut head = Vec::new();
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                size += n as u64;
                if head.len() <= PRIVATE_KEY_SCAN_LIMIT {
                    head.extend_from_slice(&buf[..n]);
                }
            }
            Err(_) => return Err(Problem::Missing),
        }
    }
    let actual = Digest::new(ev.hash.alg, hasher.finish());
    if actual != ev.hash || size != ev.size {
        return Err(Problem::Mismatch {
            actual: actual.to_string(),
        });
    }
    match private_key_form(&head) {
        Some(form) => Err(Problem::PrivateKey(form)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_by_content_and_detects_changes() {
        let ws = tempfile::tempdir().unwrap();
        let src = ws.path().join("照片.txt");
        std::fs::write(&src, b"abc").unwrap();
        let a = store(ws.path(), HashAlg::Sm3, &src).unwrap();
        let b = store(ws.path(), HashAlg::Sm3, &src).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.name, "照片.txt");
        assert_eq!(
            a.hash.hex(),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(check(ws.path(), &a), Ok(()));
        std::fs::write(path_of(ws.path(), &a.hash), b"abd").unwrap();
        assert!(matches!(
            check(ws.path(), &a),
            Err(Problem::Mismatch { .. })
        ));
        std::fs::remove_file(path_of(ws.path(), &a.hash)).unwrap();
        assert_eq!(check(ws.path(), &a), Err(Problem::Missing));
    }
}
