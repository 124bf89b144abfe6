//! `anbao vuln import`: OSV advisories from `all.zip` exports, folders and single files into a
//! new index generation, merged with the one in force (an advisory's newest `modified` wins).
//!
//! Everything is read and checked before anything is written, so a bad record leaves the
//! database as it was. Zip archives are read with limits on entries, sizes and compression
//! ratio (a zip bomb stops the import); folders are walked without following symbolic links.

use super::candidate;
use super::index::{self, Manifest, Source};
use super::osv::{credible_time, Advisory};
use crate::error::{InputError, Location};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Bounds on what an import reads.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Entries in one zip archive.
    pub max_entries: usize,
    /// Uncompressed bytes of one record (a zip entry or a file).
    pub max_record_bytes: u64,
    /// Uncompressed bytes of one zip archive.
    pub max_archive_bytes: u64,
    /// Uncompressed size over compressed size of one entry.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // osv.dev's all.zip of every ecosystem has some 500,000 records of a few KiB each.
            max_entries: 4_000_000,
            max_record_bytes: 16 << 20,
            max_archive_bytes: 32 << 30,
            max_ratio: 400,
        }
    }
}

/// What one input contributed.
#[derive(Debug, Clone, Serialize)]
pub struct SourceOutcome {
    pub path: String,
    pub kind: &'static str,
    pub sha256: String,
    pub advisories: usize,
    pub newest_modified: Option<String>,
    /// The same bytes were imported before; nothing was read again.
    pub already_imported: bool,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub database: PathBuf,
    pub sources: Vec<SourceOutcome>,
    pub new: usize,
    pub updated: usize,
    /// Records already in the index with the same or a newer `modified`.
    pub unchanged: usize,
    /// Whether a new generation was written.
    pub written: bool,
    /// Whether the generation in force was in an earlier index format and was rebuilt.
    pub rebuilt: bool,
    pub manifest: Option<Manifest>,
    /// Things skipped on the way: symbolic links, files that are not JSON.
    pub notes: Vec<String>,
}

/// Imports `inputs` into the database folder `db`.
pub fn import(db: &Path, inputs: &[PathBuf], limits: &Limits) -> Result<ImportReport, InputError> {
    std::fs::create_dir_all(db).map_err(|e| {
        InputError::whole_file(db, format!("cannot create the database folder: {e}"))
    })?;
    let lock_path = db.join(".lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| InputError::whole_file(&lock_path, format!("cannot open: {e}")))?;
    fs4::FileExt::lock(&lock)
        .map_err(|e| InputError::whole_file(&lock_path, format!("cannot lock: {e}")))?;

    let current = index::current_generation(db)?;
    let known: HashSet<String> = current
        .iter()
        .flat_map(|(_, m)| m.sources.iter().map(|s| s.sha256.clone()))
        .collect();
    let mut notes = Vec::new();
    let mut outcomes = Vec::new();
    let mut incoming: Vec<Advisory> = Vec::new();
    for input in inputs {
        let (kind, sha256, records) = read_input(input, limits, &known, &mut notes)?;
        let already = records.is_none();
        let records = records.unwrap_or_default();
        outcomes.push(SourceOutcome {
            path: input.display().to_string(),
            kind,
            sha256,
            advisories: records.len(),
            newest_modified: newest(records.iter()),
            already_imported: already,
        });
        incoming.extend(records);
    }
    let future = incoming.iter().filter(|a| a.dated_in_the_future()).count();
    if future > 0 {
        notes.push(format!(
            "{future} record(s) say they were modified after today; their dates do not count \
             toward how current the database is"
        ));
    }
    let mut report = ImportReport {
        database: db.to_path_buf(),
        sources: outcomes,
        new: 0,
        updated: 0,
        unchanged: 0,
        written: false,
        rebuilt: false,
        manifest: current.as_ref().map(|(_, m)| m.clone()),
        notes,
    };
    // Nothing new: the generation in force stands, unless it is in an earlier format, which
    // this import rebuilds.
    let up_to_date = current
        .as_ref()
        .is_some_and(|(_, m)| m.schema == index::MANIFEST_SCHEMA);
    if report.sources.iter().all(|s| s.already_imported) && up_to_date {
        return Ok(report);
    }

    // The index in force, as lines kept verbatim with what merging needs.
    let mut merged: HashMap<String, Stored> = HashMap::new();
    if let Some((folder, _)) = &current {
        let path = folder.join(index::ADVISORIES);
        let text = std::fs::read(&path)
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
        let stored: Vec<Stored> = text
            .par_split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(Stored::from_line)
            .collect::<Result<_, _>>()
            .map_err(|e| InputError::whole_file(&path, format!("damaged index record: {e}")))?;
        merged.reserve(stored.len() + incoming.len());
        for s in stored {
            merged.insert(s.head.id.clone(), s);
        }
    }
    let fresh: Vec<Stored> = incoming
        .into_par_iter()
        .map(|a| Stored::from_advisory(a.trimmed()))
        .collect();
    for s in fresh {
        match merged.get(&s.head.id) {
            Some(old) if !s.newer_than(old) => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                merged.insert(s.head.id.clone(), s);
            }
            None => {
                report.new += 1;
                merged.insert(s.head.id.clone(), s);
            }
        }
    }

    let mut sources = current
        .as_ref()
        .map(|(_, m)| m.sources.clone())
        .unwrap_or_default();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for s in report.sources.iter().filter(|s| !s.already_imported) {
        sources.push(Source {
            path: s.path.clone(),
            kind: s.kind.to_string(),
            sha256: s.sha256.clone(),
            advisories: s.advisories,
            newest_modified: s.newest_modified.clone(),
            imported: now.clone(),
        });
    }
    let manifest = write_generation(db, merged, sources, &now)?;
    report.manifest = Some(manifest);
    report.written = true;
    report.rebuilt = !up_to_date && current.is_some();
    drop(current);
    remove_old_generations(db);
    Ok(report)
}

/// An advisory as merging sees it: its id, dates and ecosystems, its index line, and its match
/// records with their package keys (made from the line when the generation is written, where
/// the advisory came from the index in force).
struct Stored {
    head: Head,
    line: Vec<u8>,
    candidates: Option<Vec<(String, Vec<u8>)>>,
}

#[derive(Deserialize)]
struct Head {
    id: String,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    affected: Vec<HeadAffected>,
}

#[derive(Deserialize)]
struct HeadAffected {
    #[serde(default)]
    package: Option<HeadPackage>,
}

#[derive(Deserialize)]
struct HeadPackage {
    ecosystem: String,
}

impl Stored {
    fn from_line(line: &[u8]) -> Result<Stored, serde_json::Error> {
        Ok(Stored {
            head: serde_json::from_slice(line)?,
            line: line.to_vec(),
            candidates: None,
        })
    }

    fn from_advisory(a: Advisory) -> Stored {
        let line = serde_json::to_vec(&a).unwrap_or_default();
        let candidates = Some(candidate_lines(&a));
        Stored {
            candidates,
            head: Head {
                id: a.id,
                modified: a.modified,
                withdrawn: a.withdrawn,
                affected: a
                    .affected
                    .into_iter()
                    .map(|x| HeadAffected {
                        package: x.package.map(|p| HeadPackage {
                            ecosystem: p.ecosystem,
                        }),
                    })
                    .collect(),
            },
            line,
        }
    }

    /// Its match records, made from its index line where they were not made yet.
    fn take_candidates(&mut self) -> Result<Vec<(String, Vec<u8>)>, serde_json::Error> {
        match self.candidates.take() {
            Some(c) => Ok(c),
            None => Ok(candidate_lines(&serde_json::from_slice(&self.line)?)),
        }
    }

    /// Whether this record replaces `old`: a later `modified`, or one where the old had none.
    fn newer_than(&self, old: &Stored) -> bool {
        let time = |s: &Stored| {
            s.head
                .modified
                .as_deref()
                .and_then(|m| chrono::DateTime::parse_from_rfc3339(m).ok())
        };
        match (time(self), time(old)) {
            (Some(new), Some(old)) => new > old,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The match records of `a` as index lines, with their package keys.
fn candidate_lines(a: &Advisory) -> Vec<(String, Vec<u8>)> {
    candidate::of_advisory(a)
        .into_iter()
        .map(|(key, c)| (key, serde_json::to_vec(&c).unwrap_or_default()))
        .collect()
}

fn newest<'a>(records: impl Iterator<Item = &'a Advisory>) -> Option<String> {
    records.filter_map(|a| a.modified_time()).max().map(rfc3339)
}

fn rfc3339(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads one input: its kind, digest and records (`None` where the digest was imported before).
fn read_input(
    input: &Path,
    limits: &Limits,
    known: &HashSet<String>,
    notes: &mut Vec<String>,
) -> Result<(&'static str, String, Option<Vec<Advisory>>), InputError> {
    let meta = std::fs::metadata(input)
        .map_err(|e| InputError::whole_file(input, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(input, input, &mut files, notes)?;
        files.sort();
        let mut contents = Vec::with_capacity(files.len());
        let mut digest = Sha256::new();
        for rel in &files {
            let path = input.join(rel);
            let bytes = read_bounded(&path, limits.max_record_bytes)?;
            digest.update(rel.to_string_lossy().as_bytes());
            digest.update([0]);
            digest.update(hex::encode(Sha256::digest(&bytes)).as_bytes());
            digest.update(b"\n");
            contents.push((path, bytes));
        }
        let sha = hex::encode(digest.finalize());
        if known.contains(&sha) {
            return Ok(("dir", sha, None));
        }
        let records = parse_all(contents)?;
        return Ok(("dir", sha, Some(records)));
    }
    let bytes = std::fs::read(input)
        .map_err(|e| InputError::whole_file(input, format!("cannot read: {e}")))?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let kind = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        "zip"
    } else {
        "json"
    };
    if known.contains(&sha) {
        return Ok((kind, sha, None));
    }
    let records = if kind == "zip" {
        parse_all(read_zip(input, &bytes, limits, notes)?)?
    } else {
        if bytes.len() as u64 > limits.max_record_bytes {
            return Err(InputError::whole_file(
                input,
                format!(
                    "larger than {} bytes; an OSV record is far smaller",
                    limits.max_record_bytes
                ),
            ));
        }
        parse_all(vec![(input.to_path_buf(), bytes)])?
    };
    Ok((kind, sha, Some(records)))
}

/// The `.json` files under `dir`, relative to `root`; symbolic links are skipped and noted.
fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<PathBuf>,
    notes: &mut Vec<String>,
) -> Result<(), InputError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| InputError::whole_file(dir, format!("cannot list: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| InputError::whole_file(dir, format!("cannot list: {e}")))?;
        let path = entry.path();
        // `file_type` does not follow links, so a link to elsewhere is never read.
        let kind = entry
            .file_type()
            .map_err(|e| InputError::whole_file(&path, format!("cannot read: {e}")))?;
        if kind.is_symlink() {
            notes.push(format!("skipped the symbolic link '{}'", path.display()));
        } else if kind.is_dir() {
            walk(root, &path, out, notes)?;
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(InputError::whole_file(
            path,
            format!("larger than {max} bytes; an OSV record is far smaller"),
        ));
    }
    Ok(bytes)
}

/// The `.json` entries of a zip archive, read within `limits`. Entry names are only used in
/// messages; nothing is extracted to disk.
fn read_zip(
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
    notes: &mut Vec<String>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, InputError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| InputError::whole_file(path, format!("not a readable zip archive: {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(InputError::whole_file(
            path,
            format!(
                "has {} entries, more than the limit of {}",
                archive.len(),
                limits.max_entries
            ),
        ));
    }
    let mut out = Vec::with_capacity(archive.len());
    let mut total: u64 = 0;
    let mut symlinks = 0usize;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| InputError::whole_file(path, format!("entry {i}: {e}")))?;
        let name = entry.name().to_string();
        let place = PathBuf::from(format!("{}:{name}", path.display()));
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            symlinks += 1;
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let declared = entry.size();
        if declared > limits.max_record_bytes {
            return Err(InputError::whole_file(
                &place,
                format!(
                    "declares {declared} bytes, more than the limit of {}",
                    limits.max_record_bytes
                ),
            ));
        }
        if declared > 4096 && declared / entry.compressed_size().max(1) > limits.max_ratio {
            return Err(InputError::whole_file(
                &place,
                format!(
                    "compressed more than {}:1, which no OSV record is; refusing a possible zip bomb",
                    limits.max_ratio
                ),
            ));
        }
        // The declared size can lie: the reading itself is bounded too.
        let mut data = Vec::with_capacity(declared.min(1 << 20) as usize);
        entry
            .take(limits.max_record_bytes + 1)
            .read_to_end(&mut data)
            .map_err(|e| InputError::whole_file(&place, format!("cannot decompress: {e}")))?;
        if data.len() as u64 > limits.max_record_bytes {
            return Err(InputError::whole_file(
                &place,
                format!(
                    "decompresses to more than {} bytes",
                    limits.max_record_bytes
                ),
            ));
        }
        total += data.len() as u64;
        if total > limits.max_archive_bytes {
            return Err(InputError::whole_file(
                path,
                format!(
                    "decompresses to more than {} bytes",
                    limits.max_archive_bytes
                ),
            ));
        }
        out.push((place, data));
    }
    if symlinks > 0 {
        notes.push(format!(
            "skipped {symlinks} symbolic link(s) in '{}'",
            path.display()
        ));
    }
    Ok(out)
}

/// Parses every record (a file holding one OSV object or an array of them), in parallel; the
/// first error in input order is the one reported.
fn parse_all(contents: Vec<(PathBuf, Vec<u8>)>) -> Result<Vec<Advisory>, InputError> {
    let parsed: Vec<Result<Vec<Advisory>, InputError>> = contents
        .into_par_iter()
        .map(|(path, bytes)| parse(&path, &bytes))
        .collect();
    let mut out = Vec::with_capacity(parsed.len());
    for p in parsed {
        out.extend(p?);
    }
    Ok(out)
}

fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Advisory>, InputError> {
    let locate = |e: &serde_json::Error| Location::LineCol {
        line: e.line(),
        column: e.column(),
    };
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let records = if start.is_some_and(|i| bytes[i] == b'[') {
        serde_json::from_slice::<Vec<Advisory>>(bytes)
    } else {
        serde_json::from_slice::<Advisory>(bytes).map(|a| vec![a])
    }
    .map_err(|e| InputError::new(path, locate(&e), format!("not an OSV record: {e}")))?;
    for a in &records {
        if a.id.trim().is_empty() {
            return Err(InputError::new(
                path,
                Location::Pointer("/id".into()),
                "an OSV record needs an id",
            ));
        }
    }
    Ok(records)
}

/// Writes a new generation from `merged` and makes it current.
fn write_generation(
    db: &Path,
    merged: HashMap<String, Stored>,
    sources: Vec<Source>,
    now: &str,
) -> Result<Manifest, InputError> {
    let name = format!(
        "gen-{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.9f"),
        std::process::id()
    );
    let folder = db.join(&name);
    let io = |p: &Path, e: std::io::Error| InputError::whole_file(p, format!("cannot write: {e}"));
    std::fs::create_dir(&folder).map_err(|e| io(&folder, e))?;
    let mut records: Vec<Stored> = merged.into_values().collect();
    records.par_sort_unstable_by(|a, b| a.head.id.cmp(&b.head.id));

    let adv_path = folder.join(index::ADVISORIES);
    let mut adv = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&adv_path).map_err(|e| io(&adv_path, e))?,
    );
    let mut withdrawn = 0;
    let mut ecosystems: BTreeMap<String, usize> = BTreeMap::new();
    let mut newest_time = None;
    let mut newest_by_ecosystem = BTreeMap::new();
    for r in &records {
        adv.write_all(&r.line).map_err(|e| io(&adv_path, e))?;
        adv.write_all(b"\n").map_err(|e| io(&adv_path, e))?;
        if r.head.withdrawn.is_some() {
            withdrawn += 1;
        }
        let modified = r.head.modified.as_deref().and_then(credible_time);
        if let Some(t) = modified {
            newest_time = newest_time.max(Some(t));
        }
        // The ecosystems it names, without release (`Debian:12` counts for Debian).
        let mut ecos: Vec<&str> = r
            .head
            .affected
            .iter()
            .filter_map(|a| a.package.as_ref())
            .map(|p| p.ecosystem.split(':').next().unwrap_or(&p.ecosystem))
            .collect();
        ecos.sort_unstable();
        ecos.dedup();
        for e in ecos {
            *ecosystems.entry(e.to_string()).or_default() += 1;
            if let Some(t) = modified {
                let newest = newest_by_ecosystem.entry(e.to_string()).or_insert(t);
                *newest = (*newest).max(t);
            }
        }
    }
    let file = adv
        .into_inner()
        .map_err(|e| io(&adv_path, e.into_error()))?;
    file.sync_all().map_err(|e| io(&adv_path, e))?;

    // Every advisory's match records, grouped by package and within a package in id order.
    let made: Vec<Vec<(String, Vec<u8>)>> = records
        .par_iter_mut()
        .map(Stored::take_candidates)
        .collect::<Result<_, _>>()
        .map_err(|e| InputError::whole_file(&adv_path, format!("damaged index record: {e}")))?;
    let mut candidates: Vec<(String, usize, Vec<u8>)> = made
        .into_iter()
        .enumerate()
        .flat_map(|(n, lines)| lines.into_iter().map(move |(key, line)| (key, n, line)))
        .collect();
    candidates.par_sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));

    let cand_path = folder.join(index::CANDIDATES);
    let mut cand = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&cand_path).map_err(|e| io(&cand_path, e))?,
    );
    let pkg_path = folder.join(index::PACKAGES);
    let mut pkg = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&pkg_path).map_err(|e| io(&pkg_path, e))?,
    );
    let mut packages = 0;
    let mut offset = 0u64;
    for block in candidates.chunk_by(|a, b| a.0 == b.0) {
        let start = offset;
        for (_, _, line) in block {
            cand.write_all(line).map_err(|e| io(&cand_path, e))?;
            cand.write_all(b"\n").map_err(|e| io(&cand_path, e))?;
            offset += line.len() as u64 + 1;
        }
        writeln!(pkg, "{}\t{start}\t{}", block[0].0, offset - start)
            .map_err(|e| io(&pkg_path, e))?;
        packages += 1;
    }
    for (writer, path) in [(cand, &cand_path), (pkg, &pkg_path)] {
        let file = writer.into_inner().map_err(|e| io(path, e.into_error()))?;
        file.sync_all().map_err(|e| io(path, e))?;
    }

    let manifest = Manifest {
        schema: index::MANIFEST_SCHEMA.to_string(),
        sources,
        advisories: records.len(),
        withdrawn,
        packages,
        ecosystems,
        newest_modified: newest_time.map(rfc3339),
        newest_by_ecosystem: newest_by_ecosystem
            .into_iter()
            .map(|(e, t)| (e, rfc3339(t)))
            .collect(),
        built: now.to_string(),
    };
    let man_path = folder.join(index::MANIFEST);
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    crate::fsutil::write_atomic(&man_path, &json).map_err(|e| io(&man_path, e))?;
    if let Ok(d) = std::fs::File::open(&folder) {
        let _ = d.sync_all();
    }
    let current = db.join(index::CURRENT);
    crate::fsutil::write_atomic(&current, format!("{name}\n").as_bytes())
        .map_err(|e| io(&current, e))?;
    Ok(manifest)
}

/// Removes generations other than the current one. A reader that opened an old one keeps its
/// open file; a folder that cannot be removed now is removed by a later import.
fn remove_old_generations(db: &Path) {
    let Ok(current) = std::fs::read_to_string(db.join(index::CURRENT)) else {
        return;
    };
    let current = current.trim();
    let Ok(entries) = std::fs::read_dir(db) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("gen-") && name != current && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
