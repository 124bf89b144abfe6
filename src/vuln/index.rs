//! The local advisory index: what `anbao vuln import` builds and every check reads, offline.
//!
//! A database folder holds generations; `CURRENT` names the one in force and is replaced
//! atomically, so a reader sees a whole generation or the previous one, never a mixture. A
//! generation has `advisories.jsonl` (one trimmed OSV record a line, sorted by id, for showing
//! and for the next import to merge with), `candidates.jsonl` (the match records of
//! [`super::candidate`], grouped by package), `packages.idx` (sorted
//! `ecosystem TAB name TAB offset TAB length` lines, each the block of one package's match
//! records) and `manifest.json` (what was imported from where, and how new the data is).
//! Opening reads only the package lines; a component costs one read of its package's block.

use super::candidate::Candidate;
use super::osv::Advisory;
use crate::error::InputError;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};

pub const MANIFEST_SCHEMA: &str = "anbao.vuln.index/2";
/// Formats whose `advisories.jsonl` an import still reads, to rebuild the index in the current
/// format; a check refuses them.
const EARLIER_SCHEMAS: [&str; 1] = ["anbao.vuln.index/1"];
pub(crate) const CURRENT: &str = "CURRENT";
pub(crate) const ADVISORIES: &str = "advisories.jsonl";
pub(crate) const CANDIDATES: &str = "candidates.jsonl";
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
    /// The package lines by key, made on the first lookup (`vuln db` and `vuln show ID` open an
    /// index and look nothing up).
    keys: std::sync::OnceLock<KeyTable>,
    candidates: File,
    /// The size of `candidates.jsonl` when opened: no block may reach past it.
    candidates_len: u64,
}

/// The generation in force: its folder and manifest, in the current format or one an import
/// can rebuild from. `None` where nothing was imported yet.
pub(crate) fn current_generation(db: &Path) -> Result<Option<(PathBuf, Manifest)>, InputError> {
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
    if manifest.schema != MANIFEST_SCHEMA && !EARLIER_SCHEMAS.contains(&manifest.schema.as_str()) {
        return Err(InputError::whole_file(
            &manifest_path,
            format!("schema '{}', expected '{MANIFEST_SCHEMA}'", manifest.schema),
        ));
    }
    Ok(Some((folder, manifest)))
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
        let Some((folder, manifest)) = current_generation(db)? else {
            return Ok(None);
        };
        if manifest.schema != MANIFEST_SCHEMA {
            return Err(InputError::whole_file(
                &folder.join(MANIFEST),
                format!(
                    "the index was built by an earlier anbao (schema '{}'); import any export \
                     again (`anbao vuln import FILE`) to rebuild it in the current format",
                    manifest.schema
                ),
            ));
        }
        let path = folder.join(PACKAGES);
        let packages = read(&path)?;
        if u32::try_from(packages.len()).is_err() {
            return Err(InputError::whole_file(&path, "over 4 GiB: not an index"));
        }
        let path = folder.join(CANDIDATES);
        let candidates = File::open(&path)
            .map_err(|e| InputError::whole_file(&path, format!("cannot open: {e}")))?;
        let candidates_len = candidates
            .metadata()
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?
            .len();
        Ok(Some(Index {
            folder,
            manifest,
            packages,
            keys: std::sync::OnceLock::new(),
            candidates,
            candidates_len,
        }))
    }

    /// Where the match records of the package with this index key lie (see
    /// [`super::purl::index_key`]): (offset, length) in `candidates.jsonl`, or `None` where no
    /// advisory in force names the package. A line that does not say where is damage, not
    /// "no advisories".
    pub fn lookup(&self, key: &str) -> Result<Option<(u64, u64)>, InputError> {
        let key = key.as_bytes();
        let keys = self.keys.get_or_init(|| KeyTable::new(&self.packages));
        let Some(key_end) = keys.find(&self.packages, key) else {
            return Ok(None);
        };
        let rest = &self.packages[key_end..];
        let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let place = || -> Option<(u64, u64)> {
            let mut fields = std::str::from_utf8(rest).ok()?.split('\t').skip(1);
            let place = (fields.next()?.parse().ok()?, fields.next()?.parse().ok()?);
            fields.next().is_none().then_some(place)
        };
        match place() {
            Some(place) => Ok(Some(place)),
            None => Err(InputError::whole_file(
                &self.folder.join(PACKAGES),
                format!(
                    "damaged index: the line of '{}' does not end in an offset and a length",
                    String::from_utf8_lossy(key).replace('\t', " ")
                ),
            )),
        }
    }

    /// The match records of the package with this index key, in the text they borrow from.
    pub fn candidates(&self, key: &str) -> Result<Block, InputError> {
        let Some((offset, len)) = self.lookup(key)? else {
            return Ok(Block {
                text: Vec::new(),
                offset: 0,
            });
        };
        let path = self.folder.join(CANDIDATES);
        if offset
            .checked_add(len)
            .is_none_or(|end| end > self.candidates_len)
        {
            return Err(InputError::whole_file(
                &path,
                format!(
                    "damaged index: {} names bytes {offset}+{len}, past the end of the file",
                    PACKAGES
                ),
            ));
        }
        let mut text = vec![0u8; len as usize];
        read_exact_at(&self.candidates, &mut text, offset)
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
        Ok(Block { text, offset })
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
        [ADVISORIES, CANDIDATES, PACKAGES, MANIFEST]
            .iter()
            .filter_map(|f| std::fs::metadata(self.folder.join(f)).ok())
            .map(|m| m.len())
            .sum()
    }
}

/// The lines of `packages.idx` filed by their key (the line up to its second tab).
struct KeyTable {
    /// Each line: where it starts and where its key ends.
    lines: Vec<(u32, u32)>,
    /// Line numbers by the hash of their key.
    by_key: hashbrown::HashTable<u32>,
}

impl KeyTable {
    /// The table of `packages`, which is under 4 GiB (checked when the index opens).
    fn new(packages: &[u8]) -> KeyTable {
        let mut lines = Vec::with_capacity(packages.len() / 48);
        let mut start = 0usize;
        for end in memchr::memchr_iter(b'\n', packages) {
            let line = &packages[start..end];
            let key_end = memchr::memchr_iter(b'\t', line)
                .nth(1)
                .unwrap_or(line.len());
            if end > start {
                lines.push((start as u32, (start + key_end) as u32));
            }
            start = end + 1;
        }
        let key_of = |n: u32| key_text(packages, lines[n as usize]);
        let mut by_key = hashbrown::HashTable::with_capacity(lines.len());
        for n in 0..lines.len() as u32 {
            by_key.insert_unique(key_hash(key_of(n)), n, |&m| key_hash(key_of(m)));
        }
        KeyTable { lines, by_key }
    }

    /// Where the key of the line naming `key` ends in `packages`, if a line names it.
    fn find(&self, packages: &[u8], key: &[u8]) -> Option<usize> {
        let &n = self.by_key.find(key_hash(key), |&n| {
            key_text(packages, self.lines[n as usize]) == key
        })?;
        Some(self.lines[n as usize].1 as usize)
    }
}

/// The key of a line of `packages` given as (line start, key end).
fn key_text(packages: &[u8], (start, key_end): (u32, u32)) -> &[u8] {
    &packages[start as usize..key_end as usize]
}

/// The hash a lookup files a package key under (fixed, so every run agrees).
fn key_hash(key: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x616e62616f).hash_one(key)
}

/// One package's match records as read from the index.
pub struct Block {
    text: Vec<u8>,
    /// Where the block starts in `candidates.jsonl`, to locate a damaged record.
    offset: u64,
}

impl Block {
    /// Its records, parsed borrowing from the block.
    pub fn records(
        &self,
        folder: &Path,
    ) -> impl Iterator<Item = Result<Candidate<'_>, InputError>> + '_ {
        let path = folder.join(CANDIDATES);
        let damaged = move |at: usize, e: &dyn std::fmt::Display| {
            InputError::whole_file(
                &path,
                format!(
                    "damaged index record at byte {}: {e}",
                    self.offset + at as u64
                ),
            )
        };
        // Checked once here rather than string by string while parsing.
        let (text, bad) = match std::str::from_utf8(&self.text) {
            Ok(text) => (text, None),
            Err(e) => ("", Some(damaged(e.valid_up_to(), &e))),
        };
        let mut at = 0usize;
        let records = text
            .split('\n')
            .filter_map(move |line| {
                let start = at;
                at += line.len() + 1;
                (!line.is_empty()).then_some((start, line))
            })
            .map(move |(start, line)| serde_json::from_str(line).map_err(|e| damaged(start, &e)));
        bad.map(Err).into_iter().chain(records)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::import;

    /// A database built by importing one OSV record per package name, each naming one version.
    fn database(names: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let osv = dir.path().join("osv");
        std::fs::create_dir(&osv).unwrap();
        for (n, name) in names.iter().enumerate() {
            let record = format!(
                r#"{{"id":"T-{n}","affected":[{{"package":{{"ecosystem":"npm","name":"{name}"}},"versions":["1.0.{n}"]}}]}}"#
            );
            std::fs::write(osv.join(format!("T-{n}.json")), record).unwrap();
        }
        import::import(&dir.path().join("db"), &[osv], &import::Limits::default()).unwrap();
        dir
    }

    #[test]
    fn every_package_is_found_with_its_own_records_and_no_other_is() {
        let names: Vec<String> = (0..300).map(|n| format!("pkg-{n}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let dir = database(&names);
        let index = Index::open(&dir.path().join("db")).unwrap().unwrap();
        for (n, name) in names.iter().enumerate() {
            let block = index.candidates(&format!("npm\t{name}")).unwrap();
            let records: Vec<Candidate> = block
                .records(&index.folder)
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(records.len(), 1, "{name}");
            assert_eq!(records[0].ids[0].as_str(), format!("T-{n}"));
        }
        for absent in ["npm\tpkg-300", "npm\tpkg", "PyPI\tpkg-1", "npm\tpkg-1\t0"] {
            assert_eq!(index.lookup(absent).unwrap(), None, "{absent:?}");
        }
    }

    #[test]
    fn a_package_line_that_does_not_say_where_is_damage_not_an_absence() {
        let dir = database(&["a", "b"]);
        let db = dir.path().join("db");
        let folder = Index::open(&db).unwrap().unwrap().folder;
        let packages = folder.join(PACKAGES);
        let text = std::fs::read_to_string(&packages).unwrap();
        let cut: String = text
            .lines()
            .map(|l| match l.starts_with("npm\ta\t") {
                true => "npm\ta\t0\n".to_string(),
                false => format!("{l}\n"),
            })
            .collect();
        std::fs::write(&packages, cut).unwrap();
        let index = Index::open(&db).unwrap().unwrap();
        let err = index.candidates("npm\ta").err().expect("damage");
        assert!(err.to_string().contains("damaged index"), "{err}");
        assert!(index.candidates("npm\tb").is_ok());
    }
}
