//! The ledger file itself: locked, fsynced appends of whole lines; torn-line detection on open;
//! repair into a quarantine file; co-signatures as new records.

use super::canonical;
use super::enrol::{KeyHistory, KeyOp};
use super::error::{LedgerError, Result};
use super::evidence;
use super::keyring::check_signer;
use super::keys::{valid_unit, SigningKey};
use super::record::{
    self, Cosign, Entry, Record, RecordRef, Signature, COSIGN_KIND, FORMAT_VERSION,
};
use super::{now_rfc3339, Ledger};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// How the ledger file ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tail {
    /// No ledger yet, or an empty file.
    Empty,
    /// The last byte ends a line.
    Complete,
    /// `bytes` bytes after the last complete line, from byte `offset` on: an interrupted write.
    Torn { offset: u64, bytes: u64 },
}

/// A record to append.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub kind: String,
    pub body: Value,
    pub evidence: Vec<PathBuf>,
    /// Units that must also sign (the signing keys' units are always required).
    pub requires: Vec<String>,
    pub supersedes: Option<u64>,
    /// The record's time; now when `None`.
    pub time: Option<String>,
}

impl NewRecord {
    pub fn new(kind: &str, body: Value) -> NewRecord {
        NewRecord {
            kind: kind.to_string(),
            body,
            evidence: Vec::new(),
            requires: Vec::new(),
            supersedes: None,
            time: None,
        }
    }

    pub fn evidence(mut self, files: &[PathBuf]) -> NewRecord {
        self.evidence.extend_from_slice(files);
        self
    }

    pub fn requires(mut self, units: &[&str]) -> NewRecord {
        self.requires.extend(units.iter().map(|u| u.to_string()));
        self
    }

    pub fn supersedes(mut self, seq: u64) -> NewRecord {
        self.supersedes = Some(seq);
        self
    }
}

/// A signature of an earlier record made away from the ledger, to be filed as a `cosign`
/// record by whoever holds the ledger (`anbao ledger sign SEQ --output FILE`, then
/// `anbao ledger cosign FILE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetachedSignature {
    pub format: String,
    pub unit: String,
    pub target: RecordRef,
    pub signature: Signature,
}

pub const DETACHED_FORMAT: &str = "anbao-detached-signature/1";

/// What `repair` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOutcome {
    /// The quarantine file and how many torn bytes went there; `None` when nothing was torn.
    pub quarantined: Option<(PathBuf, u64)>,
}

/// Holds the ledger's exclusive lock while records are appended. Records written through it
/// are durable, and may be reported as written, only once [`Appender::commit`] returns.
pub struct Appender<'a> {
    ledger: &'a Ledger,
    file: File,
    len: u64,
    next_seq: u64,
    /// Which key speaks for which unit, up to the last record written.
    history: KeyHistory,
}

fn lock_error(path: &Path, e: std::io::Error) -> LedgerError {
    LedgerError::io("lock", path, e)
}

/// Reads backwards from the end until the last line (and whether it is complete) is known.
fn inspect_tail(file: &mut File, path: &Path) -> Result<(Tail, Option<Vec<u8>>)> {
    let len = file
        .metadata()
        .map_err(|e| LedgerError::io("read", path, e))?
        .len();
    if len == 0 {
        return Ok((Tail::Empty, None));
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut start = len;
    loop {
        let chunk_start = start.saturating_sub(64 * 1024);
        let mut chunk = vec![0u8; (start - chunk_start) as usize];
        file.seek(SeekFrom::Start(chunk_start))
            .and_then(|_| file.read_exact(&mut chunk))
            .map_err(|e| LedgerError::io("read", path, e))?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        start = chunk_start;
        let complete = buf.last() == Some(&b'\n');
        let body = if complete {
            &buf[..buf.len() - 1]
        } else {
            &buf[..]
        };
        if let Some(nl) = memchr::memrchr(b'\n', body) {
            let line_start = start + nl as u64 + 1;
            return Ok(if complete {
                (Tail::Complete, Some(body[nl + 1..].to_vec()))
            } else {
                (
                    Tail::Torn {
                        offset: line_start,
                        bytes: len - line_start,
                    },
                    None,
                )
            });
        }
        if start == 0 {
            return Ok(if complete {
                (Tail::Complete, Some(body.to_vec()))
            } else {
                (
                    Tail::Torn {
                        offset: 0,
                        bytes: len,
                    },
                    None,
                )
            });
        }
    }
}

impl Ledger {
    /// How the ledger file ends; a torn last line is reported here, on open, before anything
    /// is appended to it.
    pub fn tail(&self) -> Result<Tail> {
        let path = self.path();
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Tail::Empty),
            Err(e) => return Err(LedgerError::io("open", &path, e)),
        };
        fs4::FileExt::lock_shared(&file).map_err(|e| lock_error(&path, e))?;
        Ok(inspect_tail(&mut file, &path)?.0)
    }

    /// Takes the exclusive lock for appending. Refuses a ledger whose last line is torn or
    /// unreadable, since the next sequence number would not be known.
    pub fn appender(&self) -> Result<Appender<'_>> {
        let path = self.path();
        let dir = path.parent().expect("the ledger lives in records/");
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::io("create", dir, e))?;
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| LedgerError::io("open", &path, e))?;
        fs4::FileExt::lock(&file).map_err(|e| lock_error(&path, e))?;
        let (tail, last) = inspect_tail(&mut file, &path)?;
        let next_seq = match (tail, last) {
            (Tail::Torn { bytes, .. }, _) => return Err(LedgerError::Torn { path, bytes }),
            (Tail::Complete, Some(line)) => {
                let rec = match record::parse(&line) {
                    Ok(r) => r,
                    Err(e) => {
                        // Only on this error path is the whole file read, to name the line.
                        let mut all = Vec::new();
                        file.seek(SeekFrom::Start(0))
                            .and_then(|_| file.read_to_end(&mut all))
                            .map_err(|e| LedgerError::io("read", &path, e))?;
                        return Err(LedgerError::Damaged {
                            line: memchr::memchr_iter(b'\n', &all).count(),
                            path,
                            reason: e.to_string(),
                        });
                    }
                };
                rec.entry.seq + 1
            }
            _ => 0,
        };
        // Who may sign is decided by the key records written so far (read under the lock).
        let history = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| super::keyring::replay_from(std::io::BufReader::new(&file)))
            .map_err(|e| LedgerError::io("read", &path, e))?;
        let len = file
            .metadata()
            .map_err(|e| LedgerError::io("read", &path, e))?
            .len();
        Ok(Appender {
            ledger: self,
            file,
            len,
            next_seq,
            history,
        })
    }

    /// Appends one record signed by `keys` (the first is the acting unit's) and syncs it.
    pub fn append(&self, new: NewRecord, keys: &[&SigningKey]) -> Result<Record> {
        let mut appender = self.appender()?;
        let record = appender.append(new, keys)?;
        appender.commit()?;
        Ok(record)
    }

    /// The whole ledger file under a shared lock (so no half-written append is seen), or
    /// `None` when there is none yet.
    pub fn read_bytes(&self) -> Result<Option<Vec<u8>>> {
        self.read_bytes_locked(true)
    }

    /// `lock` is false only for readers inside an [`Appender`], which already holds the
    /// exclusive lock (taking a shared one on a second handle would wait for ourselves).
    fn read_bytes_locked(&self, lock: bool) -> Result<Option<Vec<u8>>> {
        let path = self.path();
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(LedgerError::io("open", &path, e)),
        };
        if lock {
            fs4::FileExt::lock_shared(&file).map_err(|e| lock_error(&path, e))?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| LedgerError::io("read", &path, e))?;
        Ok(Some(bytes))
    }

    /// Every line parsed, in file order, and how the file ends.
    pub fn records(&self) -> Result<(Vec<std::result::Result<Record, record::LineError>>, Tail)> {
        let Some(bytes) = self.read_bytes()? else {
            return Ok((Vec::new(), Tail::Empty));
        };
        let (lines, tail) = split_lines(&bytes);
        Ok((lines.iter().map(|l| record::parse(l)).collect(), tail))
    }

    /// The record with this seq: the line at that position, which must carry that seq.
    pub fn record(&self, seq: u64) -> Result<Record> {
        self.record_locked(seq, true)
    }

    fn record_locked(&self, seq: u64, lock: bool) -> Result<Record> {
        let bytes = self.read_bytes_locked(lock)?.unwrap_or_default();
        let (lines, _) = split_lines(&bytes);
        let line = usize::try_from(seq).ok().and_then(|i| lines.get(i)).ok_or(
            LedgerError::NoSuchRecord {
                seq,
                size: lines.len() as u64,
            },
        )?;
        let rec = record::parse(line).map_err(|e| LedgerError::BadTarget {
            seq,
            reason: e.to_string(),
        })?;
        if rec.entry.seq != seq {
            return Err(LedgerError::BadTarget {
                seq,
                reason: format!("line {} holds seq {}", seq + 1, rec.entry.seq),
            });
        }
        Ok(rec)
    }

    /// Moves torn bytes at the end of the ledger into `records/quarantine/` and truncates the
    /// ledger to its last complete line. The bytes are written and synced to the quarantine
    /// file before the ledger is cut, so nothing is ever lost.
    pub fn repair(&self) -> Result<RepairOutcome> {
        let path = self.path();
        let mut file = match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(RepairOutcome { quarantined: None })
            }
            Err(e) => return Err(LedgerError::io("open", &path, e)),
        };
        fs4::FileExt::lock(&file).map_err(|e| lock_error(&path, e))?;
        let (tail, _) = inspect_tail(&mut file, &path)?;
        let Tail::Torn { offset, bytes } = tail else {
            return Ok(RepairOutcome { quarantined: None });
        };
        let mut torn = vec![0u8; bytes as usize];
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut torn))
            .map_err(|e| LedgerError::io("read", &path, e))?;
        let qdir = self.quarantine_dir();
        std::fs::create_dir_all(&qdir).map_err(|e| LedgerError::io("create", &qdir, e))?;
        let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S");
        let mut n = 0;
        let (qpath, mut qfile) = loop {
            let name = if n == 0 {
                format!("ledger.jsonl.{stamp}.torn")
            } else {
                format!("ledger.jsonl.{stamp}-{n}.torn")
            };
            let candidate = qdir.join(name);
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&candidate)
            {
                Ok(f) => break (candidate, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(LedgerError::io("create", &candidate, e)),
            }
        };
        qfile
            .write_all(&torn)
            .and_then(|_| qfile.sync_all())
            .map_err(|e| LedgerError::io("write", &qpath, e))?;
        sync_dir(&qdir);
        file.set_len(offset)
            .and_then(|_| file.sync_all())
            .map_err(|e| LedgerError::io("truncate", &path, e))?;
        Ok(RepairOutcome {
            quarantined: Some((qpath, bytes)),
        })
    }

    /// Signs record `seq` with `key` without touching the ledger.
    pub fn sign_detached(&self, seq: u64, key: &SigningKey) -> Result<DetachedSignature> {
        let target = self.record(seq)?;
        self.check_signing_key(key)?;
        let sig = key.sign(&record::signing_input(target.entry_bytes()))?;
        Ok(DetachedSignature {
            format: DETACHED_FORMAT.into(),
            unit: key.unit.clone(),
            target: target.reference(),
            signature: Signature {
                alg: key.alg(),
                key: key.key_id.clone(),
                sig,
            },
        })
    }

    /// Adds `key`'s signature to record `seq` as a new `cosign` record signed by the same key.
    pub fn cosign(&self, seq: u64, key: &SigningKey) -> Result<Record> {
        let detached = self.sign_detached(seq, key)?;
        self.append_detached(&detached, &[key])
    }

    /// Files a detached signature as a `cosign` record signed by `keys`, after checking that
    /// it is a valid signature of that record by a trusted key.
    pub fn append_detached(&self, d: &DetachedSignature, keys: &[&SigningKey]) -> Result<Record> {
        if d.format != DETACHED_FORMAT {
            return Err(LedgerError::Other(format!(
                "not a detached signature (format '{}')",
                d.format
            )));
        }
        let mut appender = self.appender()?;
        let target = self.record_locked(d.target.seq, false)?;
        if target.leaf_hash != d.target.leaf_hash {
            return Err(LedgerError::BadTarget {
                seq: d.target.seq,
                reason: "the signature was made for another version of this record".into(),
            });
        }
        let trusted = appender
            .history
            .get(&d.signature.key)
            .filter(|k| k.ended.is_none())
            .ok_or_else(|| {
                LedgerError::Other(format!(
                    "the detached signature's key '{}' is not a current key of this ledger (see `anbao keys list`)",
                    d.signature.key
                ))
            })?;
        if trusted.unit != d.unit
            || trusted.public.alg() != d.signature.alg
            || !trusted.public.verify(
                &record::signing_input(target.entry_bytes()),
                &d.signature.sig,
            )
        {
            return Err(LedgerError::Other(format!(
                "the detached signature by '{}' does not verify for record {}",
                d.signature.key, d.target.seq
            )));
        }
        let body = serde_json::to_value(Cosign {
            signature: d.signature.clone(),
            target: d.target.clone(),
        })
        .map_err(|e| LedgerError::Other(e.to_string()))?;
        let record = appender.append(NewRecord::new(COSIGN_KIND, body), keys)?;
        appender.commit()?;
        Ok(record)
    }
}

/// Lines of a ledger file (without newlines) and how it ends.
pub fn split_lines(bytes: &[u8]) -> (Vec<&[u8]>, Tail) {
    if bytes.is_empty() {
        return (Vec::new(), Tail::Empty);
    }
    let complete_len = match memchr::memrchr(b'\n', bytes) {
        Some(i) => i + 1,
        None => 0,
    };
    let mut lines = Vec::with_capacity(bytes.len() / 512 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', &bytes[..complete_len]) {
        lines.push(&bytes[start..nl]);
        start = nl + 1;
    }
    let tail = if complete_len == bytes.len() {
        Tail::Complete
    } else {
        Tail::Torn {
            offset: complete_len as u64,
            bytes: (bytes.len() - complete_len) as u64,
        }
    };
    (lines, tail)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl Appender<'_> {
    /// The seq the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Writes one record (not yet synced; see [`Appender::commit`]).
    pub fn append(&mut self, new: NewRecord, keys: &[&SigningKey]) -> Result<Record> {
        let ledger = self.ledger;
        let Some(first) = keys.first() else {
            return Err(LedgerError::NoKey {
                dir: super::keys::default_key_dir(),
            });
        };
        if !record::valid_kind(&new.kind) {
            return Err(LedgerError::BadKind { kind: new.kind });
        }
        let body = canonical::normalize_nfc(new.body).map_err(LedgerError::BadBody)?;
        if !body.is_object() {
            return Err(LedgerError::BadBody("must be a JSON object".into()));
        }
        canonical::check_value(&body).map_err(|e| LedgerError::BadBody(format!("at {e}")))?;
        // A key record must be one the key history accepts, signed as it needs.
        let key_op = match KeyOp::parse(&new.kind, &body) {
            None => None,
            Some(op) => Some(op.map_err(LedgerError::KeyRecord)?),
        };
        let enrolling = key_op
            .as_ref()
            .and_then(|op| op.new_key())
            .map(|(k, _)| k.key_id.clone());
        for key in keys {
            ledger.check_key_file(key, key_op.is_none())?;
            check_signer(&self.history, key, enrolling.as_deref())?;
        }
        let mut history = self.history.clone();
        if let Some(op) = &key_op {
            let signers: Vec<&str> = keys.iter().map(|k| k.key_id.as_str()).collect();
            history
                .apply(self.next_seq, op, &first.key_id, &signers)
                .map_err(LedgerError::KeyRecord)?;
        }
        let mut requires = vec![first.unit.clone()];
        for unit in keys.iter().map(|k| &k.unit).chain(new.requires.iter()) {
            if !valid_unit(unit) {
                return Err(LedgerError::BadUnit { unit: unit.clone() });
            }
            if !requires.contains(unit) {
                requires.push(unit.clone());
            }
        }
        let supersedes = match new.supersedes {
            None => None,
            Some(seq) if seq >= self.next_seq => {
                return Err(LedgerError::NoSuchRecord {
                    seq,
                    size: self.next_seq,
                })
            }
            Some(seq) => Some(ledger.record_locked(seq, false)?.reference()),
        };
        let alg = ledger.hash_alg();
        let evidence = new
            .evidence
            .iter()
            .map(|p| evidence::store(ledger.root(), alg, p))
            .collect::<Result<Vec<_>>>()?;
        let time = match new.time {
            Some(t) if super::valid_time(&t) => t,
            Some(t) => return Err(LedgerError::Other(format!("'{t}' is not an RFC 3339 time"))),
            None => now_rfc3339(),
        };
        let entry = Entry {
            body,
            evidence,
            kind: new.kind,
            requires,
            seq: self.next_seq,
            signer: first.key_id.clone(),
            supersedes,
            time,
            unit: first.unit.clone(),
            v: FORMAT_VERSION.into(),
        };
        let record = record::build(&entry, alg, keys)?;
        let mut bytes = Vec::with_capacity(record.line.len() + 1);
        bytes.extend_from_slice(record.line.as_bytes());
        bytes.push(b'\n');
        // One write of the whole line; should it fail half-way (a full disk), cut the partial
        // line off again so the ledger does not end torn.
        if let Err(e) = self.file.write_all(&bytes) {
            let _ = self.file.set_len(self.len);
            return Err(LedgerError::io("append to", ledger.path(), e));
        }
        self.len += bytes.len() as u64;
        self.next_seq += 1;
        self.history = history;
        Ok(record)
    }

    /// Syncs everything appended to disk and releases the lock.
    pub fn commit(self) -> Result<()> {
        self.file
            .sync_data()
            .map_err(|e| LedgerError::io("sync", self.ledger.path(), e))?;
        if self.len > 0 {
            // The first append created the file; make its directory entry durable too.
            sync_dir(&self.ledger.root().join("records"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_tails() {
        assert_eq!(split_lines(b"").1, Tail::Empty);
        let (lines, tail) = split_lines(b"a\nbc\n");
        assert_eq!(lines, vec![&b"a"[..], &b"bc"[..]]);
        assert_eq!(tail, Tail::Complete);
        let (lines, tail) = split_lines(b"a\nbc");
        assert_eq!(lines, vec![&b"a"[..]]);
        assert_eq!(
            tail,
            Tail::Torn {
                offset: 2,
                bytes: 2
            }
        );
    }

    #[test]
    fn tail_inspection_reads_backwards_past_long_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l");
        let long = "x".repeat(200_000);
        for (content, want) in [
            (format!("a\n{long}\n"), (Tail::Complete, Some(long.clone()))),
            (format!("{long}\n"), (Tail::Complete, Some(long.clone()))),
            (
                format!("a\n{long}"),
                (
                    Tail::Torn {
                        offset: 2,
                        bytes: long.len() as u64,
                    },
                    None,
                ),
            ),
            (
                long.clone(),
                (
                    Tail::Torn {
                        offset: 0,
                        bytes: long.len() as u64,
                    },
                    None,
                ),
            ),
        ] {
            std::fs::write(&path, &content).unwrap();
            let mut f = File::open(&path).unwrap();
            let (tail, last) = inspect_tail(&mut f, &path).unwrap();
            assert_eq!((tail, last.map(|l| String::from_utf8(l).unwrap())), want);
        }
    }
}
