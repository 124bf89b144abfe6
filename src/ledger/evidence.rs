//! The content-addressed evidence store: `evidence/ALG/HEX` holds the file whose ALG hash is HEX.

use super::error::{LedgerError, Result};
use super::hash::{Digest, HashAlg};
use super::keys::{private_key_form, PRIVATE_KEY_SCAN_LIMIT};
use super::record::{valid_evidence_name, EvidenceRef};
use std::io::Write;
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
    let dir = root.join("evidence").join(alg.name());
    std::fs::create_dir_all(&dir).map_err(|e| LedgerError::io("create", &dir, e))?;
    // Through the bounded reader: a device is refused unopened, and a pipe that never ends
    // stops at the limit instead of filling the disk.
    let input = crate::fsutil::Input::open(src, crate::fsutil::DOCUMENT_LIMIT)?;
    let mut tmp =
        crate::fsutil::temp_file_in(&dir).map_err(|e| LedgerError::io("write", &dir, e))?;
    let mut hasher = alg.hasher();
    // The start of the file, kept while it could still be a private key file: it is looked at
    // in the one pass that copies it, since a pipe cannot be read twice.
    let mut head = Vec::new();
    let size = input.for_each_chunk(|chunk| {
        hasher.update(chunk);
        keep_head(&mut head, chunk);
        tmp.write_all(chunk)
            .map_err(|e| LedgerError::io("write", tmp.path(), e))
    })?;
    if let Some(form) = private_key_form(&head) {
        // A private key is never filed as evidence: it would travel with every export.
        return Err(LedgerError::PrivateKeyFile {
            path: src.into(),
            form: form.into(),
        });
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
        crate::fsutil::sync_dir(&dir);
    }
    Ok(EvidenceRef {
        hash: digest,
        name,
        size,
    })
}

/// Adds `chunk` to `head` while `head` is short enough to be a private key file.
fn keep_head(head: &mut Vec<u8>, chunk: &[u8]) {
    if head.len() <= PRIVATE_KEY_SCAN_LIMIT {
        head.extend_from_slice(chunk);
    }
}

/// What is wrong with a stored evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    Mismatch {
        actual: String,
    },
    /// Something other than a regular file stands in the store (a device, a FIFO, a folder, a
    /// link loop): it is not read, so it can neither hang nor exhaust the verifier.
    NotAFile {
        what: String,
    },
    /// It hashes right, but it is a private key (in the form named).
    PrivateKey(&'static str),
}

/// Re-hashes a stored evidence file, reading no more of it than the record says it holds
/// (and one byte to see that it ends there).
pub fn check(root: &Path, ev: &EvidenceRef) -> std::result::Result<(), Problem> {
    use crate::fsutil::{Input, Problem as Read};
    let path = path_of(root, &ev.hash);
    let input = match Input::open(&path, ev.size) {
        Ok(input) => input,
        Err(e) => {
            return Err(match e.problem {
                Read::NotAFile(
                    crate::fsutil::FileKind::Missing | crate::fsutil::FileKind::DanglingLink { .. },
                ) => Problem::Missing,
                Read::TooLarge { size, .. } => Problem::Mismatch {
                    actual: larger(ev.size, size),
                },
                other => Problem::NotAFile {
                    what: other.to_string(),
                },
            })
        }
    };
    let mut hasher = ev.hash.alg.hasher();
    // The start of the file, kept while it could still be a private key file.
    let mut head = Vec::new();
    let read = input.for_each_chunk(|chunk| {
        hasher.update(chunk);
        keep_head(&mut head, chunk);
        Ok::<_, crate::fsutil::ReadError>(())
    });
    let size = match read {
        Ok(size) => size,
        Err(e) => {
            return Err(match e.problem {
                Read::TooLarge { size, .. } => Problem::Mismatch {
                    actual: larger(ev.size, size),
                },
                other => Problem::NotAFile {
                    what: other.to_string(),
                },
            })
        }
    };
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

/// What a stored file larger than its record says is, in place of its hash.
fn larger(recorded: u64, size: Option<u64>) -> String {
    match size {
        Some(size) => format!("{size} bytes, not {recorded}"),
        None => format!("more than {recorded} bytes"),
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
