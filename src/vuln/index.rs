//! The local advisory index: what `anbao vuln import` builds and every check reads, offline.
//!
//! A database folder holds generations; `CURRENT` names the one in force and is replaced
//! atomically, so a reader sees a whole generation or the previous one, never a mixture. A
//! generation has `advisories.jsonl` (one trimmed OSV record a line, sorted by id),
//! `packages.idx` (sorted `ecosystem TAB name TAB offset TAB length` lines pointing into it)
//! and `manifest.json` (what was imported from where, and how new the data is). Opening reads
//! only the package lines; advisories are read where a component's package has some.

use super::osv::Advisory;
use crate::error::InputError;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};

pub const MANIFEST_SCHEMA: &str = "anbao.vuln.index/1";
pub(crate) const CURRENT: &str = "CURRENT";
pub(crate) const ADVISORIES: &str = "advisories.jsonl";
pub(crate) const PACKAGES: &str = "packages.idx";
pub(crate) const MANIFEST: &str = "manifest.json";
/// The environment variable naming a shared database folder (a user cache used by several
/// workspaces), overriding the workspace's `[vulnerabilities] database`.
pub const DB_ENV: &str = "ANBAO_VULN_DB";

/// What a generation holds and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    /// Every import that contributed, oldest first.
    pub sources: Vec<Source>,
    pub advisories: usize,
    pub withdrawn: usize,
    /// Distinct (ecosystem, package) pairs.
    pub packages: usize,
    /// Advisories per ecosystem (without release).
    pub ecosystems: std::collections::BTreeMap<String, usize>,
    /// The newest `modified` time of any advisory: how current the data is.
    pub newest_modified: Option<String>,
    /// The same per ecosystem: an export of one ecosystem imported today says nothing about how
    /// current another's, imported a year ago, is.
    #[serde(default)]
    pub newest_by_ecosystem: std::collections::BTreeMap<String, String>,
    /// When this generation was written.
    pub built: String,
}

/// One imported file or folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    /// `zip`, `dir` or `json`.
    pub kind: String,
    /// SHA-256 of the file, or of the sorted list of a folder's files and their digests.
    pub sha256: String,
    pub advisories: usize,
    pub newest_modified: Option<String>,
    pub imported: String,
}

impl Manifest {
    pub fn newest(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(self.newest_modified.as_deref()?).ok()
    }

    /// Whole days from the newest advisory to `today`.
    pub fn age_days(&self, today: NaiveDate) -> Option<i64> {
        days_since(self.newest_modified.as_deref()?, today)
    }

    /// Whole days from the newest advisory of `ecosystem` to `today`.
    pub fn ecosystem_age_days(&self, ecosystem: &str, today: NaiveDate) -> Option<i64> {
        days_since(self.newest_by_ecosystem.get(ecosystem)?, today)
    }
}

/// Whole days from an RFC 3339 time to `today`.
pub(crate) fn days_since(time: &str, today: NaiveDate) -> Option<i64> {
    let t = DateTime::parse_from_rfc3339(time).ok()?;
    Some((today - t.date_naive()).num_days())
}

/// An opened generation.
pub struct Index {
    pub folder: PathBuf,
    pub manifest: Manifest,
    packages: Vec<u8>,
    /// Start offsets of the lines of `packages`.
    lines: Vec<u32>,
    advisories: File,
}

/// Where the advisory database lives: `ANBAO_VULN_DB`, else the workspace's configured folder.
pub fn location(ws: &crate::workspace::Workspace) -> PathBuf {
    match std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => ws.root.join(&ws.manifest.vulnerabilities.database),
    }
}

impl Index {
    /// Opens the database at `db`, or `None` where nothing was imported yet.
    pub fn open(db: &Path) -> Result<Option<Index>, InputError> {
        let current = db.join(CURRENT);
        let generation = match std::fs::read_to_string(&current) {
            Ok(g) => g.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(InputError::whole_file(
                    &current,
                    format!("cannot read: {e}"),
                ))
            }
        };
        if generation.is_empty() || generation.contains(['/', '\\']) || generation == ".." {
            return Err(InputError::whole_file(
                &current,
                "does not name a generation folder",
            ));
        }
        let folder = db.join(generation);
        let manifest_path = folder.join(MANIFEST);
        let manifest: Manifest = serde_json::from_slice(&read(&manifest_path)?).map_err(|e| {
            InputError::whole_file(&manifest_path, format!("not an index manifest: {e}"))
        })?;
        if manifest.schema != MANIFEST_SCHEMA {
            return Err(InputError::whole_file(
                &manifest_path,
                format!("schema '{}', expected '{MANIFEST_SCHEMA}'", manifest.schema),
            ));
        }
        let packages = read(&folder.join(PACKAGES))?;
        let mut lines = Vec::with_capacity(packages.len() / 48);
        let mut start = 0usize;
        for end in memchr::memchr_iter(b'\n', &packages) {
            if end > start {
                lines.push(start as u32);
            }
            start = end + 1;
        }
        let path = folder.join(ADVISORIES);
        let advisories = File::open(&path)
            .map_err(|e| InputError::whole_file(&path, format!("cannot open: {e}")))?;
        Ok(Some(Index {
            folder,
            manifest,
            packages,
            lines,
            advisories,
        }))
    }

    fn line(&self, i: usize) -> &[u8] {
        let start = self.lines[i] as usize;
        let rest = &self.packages[start..];
        &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())]
    }

    /// The (offset, length) of every advisory line naming the package with this index key
    /// (see [`super::purl::index_key`]).
    pub fn lookup(&self, key: &str) -> Vec<(u64, u32)> {
        let key = key.as_bytes();
        // The key is the line up to its second tab.
        let key_of = |line: &[u8]| -> usize {
            let first = memchr::memchr(b'\t', line).unwrap_or(line.len());
            first + 1 + memchr::memchr(b'\t', &line[(first + 1).min(line.len())..]).unwrap_or(0)
        };
        let mut lo = 0;
        let mut hi = self.lines.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let line = self.line(mid);
            if &line[..key_of(line).min(line.len())] < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        for i in lo..self.lines.len() {
            let line = self.line(i);
            let k = key_of(line).min(line.len());
            if &line[..k] != key {
                break;
            }
            let mut rest = std::str::from_utf8(&line[(k + 1).min(line.len())..])
                .unwrap_or("")
                .split('\t');
            if let (Some(Ok(offset)), Some(Ok(len))) = (
                rest.next().map(str::parse::<u64>),
                rest.next().map(str::parse::<u32>),
            ) {
                out.push((offset, len));
            }
        }
        out
    }

    /// The advisory stored at `offset`.
    pub fn read_at(&self, offset: u64, len: u32) -> Result<Advisory, InputError> {
        let path = self.folder.join(ADVISORIES);
        let mut buf = vec![0u8; len as usize];
        read_exact_at(&self.advisories, &mut buf, offset)
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
        serde_json::from_slice(&buf).map_err(|e| {
            InputError::whole_file(&path, format!("damaged index record at byte {offset}: {e}"))
        })
    }

    /// Every advisory, in id order (for `vuln show` and the VEX export's lookups).
    pub fn all(&self) -> Result<impl Iterator<Item = Result<Advisory, InputError>>, InputError> {
        use std::io::BufRead;
        let path = self.folder.join(ADVISORIES);
        let file = File::open(&path)
            .map_err(|e| InputError::whole_file(&path, format!("cannot open: {e}")))?;
        Ok(std::io::BufReader::new(file).lines().map(move |line| {
            let line =
                line.map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
            serde_json::from_str(&line)
                .map_err(|e| InputError::whole_file(&path, format!("damaged index record: {e}")))
        }))
    }

    /// The advisory with this id or alias.
    pub fn find(&self, id: &str) -> Result<Option<Advisory>, InputError> {
        for a in self.all()? {
            let a = a?;
            if a.ids().any(|i| i.eq_ignore_ascii_case(id)) {
                return Ok(Some(a));
            }
        }
        Ok(None)
    }

    /// Bytes the generation takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        [ADVISORIES, PACKAGES, MANIFEST]
            .iter()
            .filter_map(|f| std::fs::metadata(self.folder.join(f)).ok())
            .map(|m| m.len())
            .sum()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}
