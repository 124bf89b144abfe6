//! Reading an export back (`anbao ledger verify --archive`): refuses an archive over the
//! documented limits before anything is decompressed, unpacks plain files only (never over one
//! another), checks the whole manifest against what the archive holds, then verifies the ledger
//! inside against the anchors given.

use super::anchor::Anchors;
use super::error::{LedgerError, Result};
use super::export::{exportable_path, ExportManifest, EXPORT_SCHEMA, MANIFEST_FILE};
use super::hash::Digest;
use super::keys::{private_key_form, read_head};
use super::verify::{Code, Finding, Report};
use super::Ledger;
use crate::error::InputError;
use crate::i18n::trust as tm;
use crate::workspace::Workspace;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The most entries an archive may hold.
pub const MAX_ENTRIES: u64 = 1_000_000;
/// The most bytes an archive may unpack to, all files together (4 GiB).
pub const MAX_UNPACKED: u64 = 4 << 30;
/// An entry larger than [`RATIO_FLOOR`] may unpack to at most this many times its compressed
/// size: ledgers and evidence compress far less; a zip bomb, a thousand times more.
pub const MAX_RATIO: u64 = 100;
/// Entries up to this size (1 MiB) are exempt from [`MAX_RATIO`].
pub const RATIO_FLOOR: u64 = 1 << 20;
/// The largest manifest read (64 MiB).
pub const MAX_MANIFEST: u64 = 64 << 20;

fn refuse(archive: &Path, message: String) -> LedgerError {
    LedgerError::Input(InputError::whole_file(archive, message))
}

/// A relative archive path without `..`, root or prefix parts: nothing escapes the folder.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    (p.components().count() > 0 && p.components().all(|c| matches!(c, Component::Normal(_))))
        .then(|| p.to_path_buf())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tar,
    Zip,
}

/// Tells tar from zip by content: the zip signatures at the start, the `ustar` magic at 257.
fn sniff(archive: &Path) -> Result<Kind> {
    let mut head = [0u8; 512];
    let mut file = std::fs::File::open(archive).map_err(|e| LedgerError::io("read", archive, e))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(LedgerError::io("read", archive, e)),
        }
    }
    if head[..n].starts_with(b"PK\x03\x04") || head[..n].starts_with(b"PK\x05\x06") {
        Ok(Kind::Zip)
    } else if n == 512 && &head[257..262] == b"ustar" {
        Ok(Kind::Tar)
    } else {
        Err(refuse(
            archive,
            "not a tar or zip archive (anbao exports are .tar or .zip, uncompressed tar)".into(),
        ))
    }
}

/// One entry as the archive declares it, before anything is unpacked.
struct Declared {
    name: String,
    dir: bool,
    size: u64,
}

/// Checks what the archive declares against the limits; nothing is decompressed.
fn survey(archive: &Path, kind: Kind) -> Result<Vec<Declared>> {
    let file = std::fs::File::open(archive).map_err(|e| LedgerError::io("read", archive, e))?;
    let mut entries = Vec::new();
    let mut total = 0u64;
    let mut add = |archive: &Path, d: Declared, packed: Option<u64>| -> Result<()> {
        if entries.len() as u64 >= MAX_ENTRIES {
            return Err(refuse(archive, format!("the archive holds more than {MAX_ENTRIES} entries, over the limit; refused before unpacking")));
        }
        if let Some(packed) = packed {
            if d.size > RATIO_FLOOR && d.size / packed.max(1) > MAX_RATIO {
                return Err(refuse(archive, format!(
                    "entry '{}' unpacks to {} bytes from {packed}, more than {MAX_RATIO} to 1 (the limit for entries over 1 MiB): a decompression bomb, refused before decompression",
                    d.name, d.size
                )));
            }
        }
        total = total.saturating_add(d.size);
        if total > MAX_UNPACKED {
            return Err(refuse(archive, format!(
                "the archive unpacks to more than {MAX_UNPACKED} bytes, over the limit; refused before decompression"
            )));
        }
        entries.push(d);
        Ok(())
    };
    match kind {
        Kind::Zip => {
            let mut zip = zip::ZipArchive::new(file).map_err(|e| refuse(archive, e.to_string()))?;
            for i in 0..zip.len() {
                let e = zip
                    .by_index_raw(i)
                    .map_err(|e| refuse(archive, e.to_string()))?;
                let name = e.name().to_string();
                if e.encrypted() || e.is_symlink() {
                    return Err(refuse(archive, format!("entry '{name}' is encrypted or a link; an export holds plain files only")));
                }
                let d = Declared {
                    dir: e.is_dir(),
                    size: e.size(),
                    name,
                };
                let packed = e.compressed_size();
                add(archive, d, Some(packed))?;
            }
        }
        Kind::Tar => {
            let mut tar = tar::Archive::new(file);
            for e in tar
                .entries()
                .map_err(|e| LedgerError::io("read", archive, e))?
            {
                let e = e.map_err(|e| LedgerError::io("read", archive, e))?;
                let kind = e.header().entry_type();
                if !kind.is_file() && !kind.is_dir() {
                    return Err(refuse(
                        archive,
                        "the archive holds something other than plain files and folders".into(),
                    ));
                }
                let name = e
                    .path()
                    .map_err(|e| LedgerError::io("read", archive, e))?
                    .to_string_lossy()
                    .into_owned();
                let size = e
                    .header()
                    .entry_size()
                    .map_err(|e| LedgerError::io("read", archive, e))?;
                add(
                    archive,
                    Declared {
                        name,
                        dir: kind.is_dir(),
                        size,
                    },
                    None,
                )?;
            }
        }
    }
    Ok(entries)
}

/// Copies one entry to a new file, refusing one that yields more than it declared.
fn unpack_entry(archive: &Path, into: &Path, d: &Declared, data: &mut dyn Read) -> Result<()> {
    let rel = safe_relative(d.name.trim_end_matches('/')).ok_or_else(|| {
        refuse(
            archive,
            format!("the archive holds an unsafe path '{}'", d.name),
        )
    })?;
    let path = into.join(rel);
    if d.dir {
        return std::fs::create_dir_all(&path).map_err(|e| LedgerError::io("create", &path, e));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| LedgerError::io("create", parent, e))?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => refuse(
                archive,
                format!("'{}' appears twice in the archive", d.name),
            ),
            _ => LedgerError::io("create", &path, e),
        })?;
    let copied = std::io::copy(&mut data.take(d.size + 1), &mut out)
        .map_err(|e| refuse(archive, format!("entry '{}' cannot be read: {e}", d.name)))?;
    if copied > d.size {
        return Err(refuse(
            archive,
            format!(
                "entry '{}' unpacks to more than the {} bytes it declares; refused",
                d.name, d.size
            ),
        ));
    }
    Ok(())
}

/// Unpacks an archive the survey accepted.
fn unpack(archive: &Path, kind: Kind, declared: &[Declared], into: &Path) -> Result<()> {
    let file = std::fs::File::open(archive).map_err(|e| LedgerError::io("read", archive, e))?;
    match kind {
        Kind::Zip => {
            let mut zip = zip::ZipArchive::new(file).map_err(|e| refuse(archive, e.to_string()))?;
            for (i, d) in declared.iter().enumerate() {
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| refuse(archive, e.to_string()))?;
                unpack_entry(archive, into, d, &mut entry)?;
            }
        }
        Kind::Tar => {
            let mut tar = tar::Archive::new(file);
            let entries = tar
                .entries()
                .map_err(|e| LedgerError::io("read", archive, e))?;
            for (e, d) in entries.zip(declared) {
                let mut e = e.map_err(|e| LedgerError::io("read", archive, e))?;
                unpack_entry(archive, into, d, &mut e)?;
            }
        }
    }
    Ok(())
}

/// Every file under `dir`, as paths relative to it with `/`.
fn files_under(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    for e in std::fs::read_dir(dir).map_err(|e| LedgerError::io("list", dir, e))? {
        let e = e.map_err(|e| LedgerError::io("list", dir, e))?;
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.path().is_dir() {
            files_under(&e.path(), &format!("{name}/"), out)?;
        } else {
            out.push(name);
        }
    }
    Ok(())
}

fn mismatch(problems: &mut Vec<Finding>, path: &str, zh: &str, en: &str) {
    problems.push(
        Finding::new(Code::ManifestMismatch, tm::manifest(path, zh, en)).in_file(path.to_string()),
    );
}

/// Verifies an exported archive on its own: the limits, the whole manifest, then the ledger
/// inside (held against `anchors`).
pub fn verify_archive(archive: &Path, anchors: &Anchors) -> Result<Report> {
    let kind = sniff(archive)?;
    let declared = survey(archive, kind)?;
    let dir =
        tempfile::tempdir().map_err(|e| LedgerError::io("create", std::env::temp_dir(), e))?;
    unpack(archive, kind, &declared, dir.path())?;

    let mut problems = Vec::new();
    let tops: BTreeSet<String> = declared
        .iter()
        .filter_map(|d| d.name.split('/').next().map(str::to_string))
        .collect();
    let top_name = tops
        .iter()
        .find(|t| dir.path().join(t).join(MANIFEST_FILE).is_file())
        .cloned()
        .ok_or_else(|| {
            refuse(
                archive,
                format!("no top folder holds {MANIFEST_FILE}: not an anbao ledger export"),
            )
        })?;
    for other in tops.iter().filter(|t| **t != top_name) {
        mismatch(
            &mut problems,
            other,
            "是第二个顶层目录，导出包只有一个",
            "is a second top folder; an export has one",
        );
    }
    let top = dir.path().join(&top_name);
    let manifest_path = top.join(MANIFEST_FILE);
    let size = std::fs::metadata(&manifest_path)
        .map_err(|e| LedgerError::io("read", &manifest_path, e))?
        .len();
    if size > MAX_MANIFEST {
        return Err(refuse(
            archive,
            format!("{MANIFEST_FILE} is larger than {MAX_MANIFEST} bytes, over the limit"),
        ));
    }
    let bytes =
        std::fs::read(&manifest_path).map_err(|e| LedgerError::io("read", &manifest_path, e))?;
    let manifest: ExportManifest = super::canonical::parse_strict(&bytes)
        .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
        .map_err(|e| refuse(archive, format!("{MANIFEST_FILE}: {e}")))?;
    if manifest.schema != EXPORT_SCHEMA {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            &format!("的模式为 '{}'，应为 '{EXPORT_SCHEMA}'", manifest.schema),
            &format!(
                "has schema '{}', expected '{EXPORT_SCHEMA}'",
                manifest.schema
            ),
        );
    }
    if !super::valid_time(&manifest.created) {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            "的 created 不是 RFC 3339 时间",
            "has a 'created' that is not an RFC 3339 time",
        );
    }

    let mut listed: BTreeMap<&str, &super::export::ManifestFile> = BTreeMap::new();
    for f in &manifest.files {
        if listed.insert(&f.path, f).is_some() {
            mismatch(
                &mut problems,
                &f.path,
                "在清单中出现两次",
                "is listed twice",
            );
            continue;
        }
        if !exportable_path(&f.path) || safe_relative(&f.path).is_none() {
            mismatch(
                &mut problems,
                &f.path,
                "不是导出包应有的文件",
                "is not a file an export holds",
            );
            continue;
        }
        let Ok(data) = std::fs::read(top.join(&f.path)) else {
            mismatch(&mut problems, &f.path, "缺失", "is missing");
            continue;
        };
        if f.hash.alg.hash(&[&data]) != f.hash.bytes || data.len().to_string() != f.size {
            mismatch(
                &mut problems,
                &f.path,
                &format!("与清单的大小或哈希 {} 不符", f.hash),
                &format!(
                    "does not have the size or hash {} the manifest lists",
                    f.hash
                ),
            );
        }
    }
    let mut present = Vec::new();
    files_under(dir.path(), "", &mut present)?;
    let own = format!("{top_name}/");
    for p in &present {
        let Some(rel) = p.strip_prefix(&own) else {
            continue;
        };
        if rel != MANIFEST_FILE && !listed.contains_key(rel) {
            mismatch(&mut problems, rel, "不在清单中", "is not in the manifest");
        }
        if let Some(form) = private_key_form(&read_head(&dir.path().join(p))?) {
            problems.push(
                Finding::new(Code::PrivateKey, tm::private_key(rel, form)).in_file(rel.to_string()),
            );
        }
    }

    let ws = Workspace::open(&top)?;
    if manifest.project_code != ws.manifest.project.code {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            &format!("的项目编号 '{}' 与 anbao.toml 不同", manifest.project_code),
            &format!(
                "names project '{}', anbao.toml another",
                manifest.project_code
            ),
        );
    }
    let mut report = Ledger::open(&ws)?.verify_anchored(anchors, &|_| {})?;
    if manifest.records != report.records.to_string() {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            &format!(
                "记载 {} 条记录，账本有 {} 条",
                manifest.records, report.records
            ),
            &format!(
                "says {} records, the ledger holds {}",
                manifest.records, report.records
            ),
        );
    }
    let trees: BTreeSet<String> = report
        .trees
        .iter()
        .map(|t| Digest::new(t.alg, t.root).to_string())
        .collect();
    if manifest.trees.iter().cloned().collect::<BTreeSet<_>>() != trees {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            "的树根与账本不符",
            "lists tree roots other than the ledger's",
        );
    }
    let self_consistent = report
        .findings
        .iter()
        .all(|f| !f.code.is_error() || f.code == Code::AnchorMismatch);
    if manifest.verified != self_consistent {
        mismatch(
            &mut problems,
            MANIFEST_FILE,
            "的 verified 与账本校验结果不符",
            "says 'verified' otherwise than the ledger verifies",
        );
    }
    if !problems.is_empty() {
        problems.append(&mut report.findings);
        problems.sort_by_key(|f| (f.line.unwrap_or(usize::MAX), !f.code.is_error(), f.code));
        report.findings = problems;
        report.first_bad = report.findings.iter().find(|f| f.code.is_error()).cloned();
        report.clean = report.first_bad.is_none();
        report.anchored &= report.clean;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of one entry whose sizes were lowered after writing, in the local header and the
    /// central directory: it must not unpack to more than it declares.
    #[test]
    fn an_entry_yielding_more_than_it_declares_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        w.start_file("top/evidence.bin", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&[7u8; 100_000]).unwrap();
        w.finish().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let declared = 100_000u32.to_le_bytes();
        let mut patched = 0;
        for i in 0..bytes.len() - 4 {
            if bytes[i..i + 4] == declared {
                bytes[i..i + 4].copy_from_slice(&10u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "local header and central directory");
        std::fs::write(&path, &bytes).unwrap();
        let declared = survey(&path, Kind::Zip).unwrap();
        assert_eq!(declared[0].size, 10);
        let into = tempfile::tempdir().unwrap();
        assert!(unpack(&path, Kind::Zip, &declared, into.path()).is_err());
    }

    #[test]
    fn only_safe_relative_paths_unpack() {
        assert!(safe_relative("top/records/ledger.jsonl").is_some());
        for bad in ["/etc/passwd", "../x", "top/../../x", "", "./"] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }
}
