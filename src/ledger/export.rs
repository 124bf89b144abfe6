//! The evidence package: ledger, checkpoints, public keys, evidence and the workspace manifest,
//! with a manifest of hashes, as one tar or zip archive that verifies on another machine.
//! Private keys never enter it: only files that parse as public keys are taken from `keys/`.

use super::error::{LedgerError, Result};
use super::hash::Digest;
use super::keys::parse_public_key_file;
use super::verify::{Code, Finding, Report};
use super::Ledger;
use crate::i18n::ledger as m;
use crate::workspace::{Workspace, MANIFEST};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};

pub const EXPORT_SCHEMA: &str = "anbao.ledger.export/1";
pub const MANIFEST_FILE: &str = "MANIFEST.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    Tar,
    Zip,
}

impl ArchiveFormat {
    /// From the output file's extension: `.zip` is zip, anything else tar.
    pub fn from_path(p: &Path) -> ArchiveFormat {
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("zip") => ArchiveFormat::Zip,
            _ => ArchiveFormat::Tar,
        }
    }
}

/// The manifest inside an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportManifest {
    pub schema: String,
    pub project_code: String,
    pub created: String,
    pub records: String,
    /// Tree heads at export time, `ALG:HEX` roots.
    pub trees: Vec<String>,
    pub verified: bool,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    pub path: String,
    pub size: String,
    pub hash: Digest,
}

fn files_under(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<()> {
    let dir = root.join(rel);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(LedgerError::io("list", &dir, e)),
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            (!name.starts_with('.')).then(|| (name, e.path().is_dir()))
        })
        .collect();
    names.sort();
    for (name, is_dir) in names {
        let child = format!("{rel}/{name}");
        if is_dir {
            files_under(root, &child, out)?;
        } else {
            out.push(child);
        }
    }
    Ok(())
}

impl Ledger {
    /// Writes the evidence package to the output file `out` (by the rule every output file
    /// follows: a regular file is replaced atomically, a device or a FIFO written into) and
    /// returns its manifest.
    pub fn export(&self, out: &Path, format: ArchiveFormat) -> Result<ExportManifest> {
        let mut exported = None;
        let written = crate::fsutil::write_output(out, |sink| {
            let result = self.export_to(sink, format, out);
            let failed = result.is_err();
            exported = Some(result);
            match failed {
                true => Err(std::io::Error::other("the export failed")),
                false => Ok(()),
            }
        });
        match (exported, written) {
            (Some(Err(e)), _) => Err(e),
            (_, Err(e)) => Err(LedgerError::io("write", out, e)),
            (Some(Ok(manifest)), Ok(())) => Ok(manifest),
            (None, Ok(())) => unreachable!("write_output calls the writer when it succeeds"),
        }
    }

    /// Writes the evidence package to `sink`, called `out` in messages (a zip is put together
    /// in an unnamed temporary file first, as zip needs to seek), and returns its manifest.
    pub fn export_to(
        &self,
        sink: &mut dyn Write,
        format: ArchiveFormat,
        out: &Path,
    ) -> Result<ExportManifest> {
        let report = self.verify()?;
        let root = self.root();
        let mut paths = vec![MANIFEST.to_string(), super::LEDGER_FILE.to_string()];
        files_under(root, super::CHECKPOINT_DIR, &mut paths)?;
        let mut keys = Vec::new();
        files_under(root, super::KEYS_DIR, &mut keys)?;
        for k in keys {
            // Only public key files; anything else in keys/ (a stray private key) stays home.
            let bytes = crate::fsutil::read(&root.join(&k), crate::fsutil::CONFIG_LIMIT)?;
            if k.ends_with(".json") && parse_public_key_file(&bytes).is_ok() {
                paths.push(k);
            }
        }
        files_under(root, super::EVIDENCE_DIR, &mut paths)?;
        let alg = self.hash_alg();
        let mut files = Vec::new();
        for p in &paths {
            let bytes = crate::fsutil::read(&root.join(p), crate::fsutil::DOCUMENT_LIMIT)?;
            files.push(ManifestFile {
                path: p.clone(),
                size: bytes.len().to_string(),
                hash: Digest::new(alg, alg.hash(&[&bytes])),
            });
        }
        let manifest = ExportManifest {
            schema: EXPORT_SCHEMA.into(),
            project_code: self.project_code().into(),
            created: super::now_rfc3339(),
            records: report.records.to_string(),
            trees: report
                .trees
                .iter()
                .map(|t| Digest::new(t.alg, t.root).to_string())
                .collect(),
            verified: report.is_clean(),
            files,
        };
        let mut manifest_bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| LedgerError::Other(e.to_string()))?;
        manifest_bytes.push(b'\n');
        let top = format!(
            "anbao-ledger-{}-{}",
            super::checkpoint::origin(self.project_code(), alg)
                .split('/')
                .nth(1)
                .unwrap_or("export"),
            chrono::Local::now().format("%Y%m%d")
        );
        let write = |w: &mut dyn FnMut(&str, &[u8]) -> std::io::Result<()>| -> Result<()> {
            w(&format!("{top}/{MANIFEST_FILE}"), &manifest_bytes)
                .map_err(|e| LedgerError::io("write", out, e))?;
            for p in &paths {
                let bytes = crate::fsutil::read(&root.join(p), crate::fsutil::DOCUMENT_LIMIT)?;
                w(&format!("{top}/{p}"), &bytes).map_err(|e| LedgerError::io("write", out, e))?;
            }
            Ok(())
        };
        match format {
            ArchiveFormat::Tar => {
                let mut builder = tar::Builder::new(sink);
                write(&mut |name, bytes| {
                    let mut header = tar::Header::new_gnu();
                    header.set_size(bytes.len() as u64);
                    header.set_mode(0o644);
                    header.set_mtime(0);
                    header.set_cksum();
                    builder.append_data(&mut header, name, bytes)
                })?;
                builder
                    .finish()
                    .map_err(|e| LedgerError::io("write", out, e))?;
            }
            ArchiveFormat::Zip => {
                let mut tmp = tempfile::tempfile().map_err(|e| LedgerError::io("write", out, e))?;
                let mut zip = zip::ZipWriter::new(&mut tmp);
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .unix_permissions(0o644);
                write(&mut |name, bytes| {
                    zip.start_file(name, options)
                        .map_err(std::io::Error::other)?;
                    zip.write_all(bytes)
                })?;
                zip.finish()
                    .map_err(|e| LedgerError::io("write", out, std::io::Error::other(e)))?;
                tmp.seek(std::io::SeekFrom::Start(0))
                    .and_then(|_| std::io::copy(&mut tmp, sink))
                    .map_err(|e| LedgerError::io("write", out, e))?;
            }
        }
        Ok(manifest)
    }
}

/// One file of an archive, at most [`crate::fsutil::DOCUMENT_LIMIT`] of it unpacked: a small
/// archive that would unpack to gigabytes is refused.
fn read_entry(entry: &mut impl Read, archive: &Path, name: &str) -> Result<Vec<u8>> {
    let limit = crate::fsutil::DOCUMENT_LIMIT;
    let mut bytes = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LedgerError::io("read", archive, e))?;
    if bytes.len() as u64 > limit {
        return Err(LedgerError::Input(crate::error::InputError::whole_file(
            archive,
            format!(
                "'{name}' unpacks to more than the {} limit for one file",
                crate::fsutil::size_text(limit)
            ),
        )));
    }
    Ok(bytes)
}

/// A relative archive path without `..`, root or prefix parts: nothing escapes the folder.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| p.to_path_buf())
}

/// Unpacks an export into `into`, refusing entries that are not plain files at safe paths.
fn unpack(archive: &Path, into: &Path) -> Result<()> {
    let put = |name: &str, bytes: &[u8]| -> Result<()> {
        let rel = safe_relative(name).ok_or_else(|| {
            LedgerError::Input(crate::error::InputError::whole_file(
                archive,
                format!("the archive holds an unsafe path '{name}'"),
            ))
        })?;
        let path = into.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| LedgerError::io("create", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| LedgerError::io("write", &path, e))
    };
    // Through the bounded reader, as every input: a device or an endless pipe is refused.
    let file = std::io::Cursor::new(crate::fsutil::read(archive, crate::fsutil::DOCUMENT_LIMIT)?);
    if ArchiveFormat::from_path(archive) == ArchiveFormat::Zip {
        let mut zip = zip::ZipArchive::new(file).map_err(|e| {
            LedgerError::Input(crate::error::InputError::whole_file(archive, e.to_string()))
        })?;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| {
                LedgerError::Input(crate::error::InputError::whole_file(archive, e.to_string()))
            })?;
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().to_string();
            put(&name, &read_entry(&mut entry, archive, &name)?)?;
        }
    } else {
        let mut tar = tar::Archive::new(file);
        let entries = tar
            .entries()
            .map_err(|e| LedgerError::io("read", archive, e))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| LedgerError::io("read", archive, e))?;
            if entry.header().entry_type().is_dir() {
                continue;
            }
            if !entry.header().entry_type().is_file() {
                return Err(LedgerError::Input(crate::error::InputError::whole_file(
                    archive,
                    "the archive holds something other than plain files",
                )));
            }
            let name = entry
                .path()
                .map_err(|e| LedgerError::io("read", archive, e))?
                .to_string_lossy()
                .into_owned();
            put(&name, &read_entry(&mut entry, archive, &name)?)?;
        }
    }
    Ok(())
}

/// Verifies an exported archive on its own: the manifest's hashes, then the ledger inside.
pub fn verify_archive(archive: &Path) -> Result<Report> {
    let dir =
        tempfile::tempdir().map_err(|e| LedgerError::io("create", std::env::temp_dir(), e))?;
    unpack(archive, dir.path())?;
    let top = std::fs::read_dir(dir.path())
        .map_err(|e| LedgerError::io("list", dir.path(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.join(MANIFEST_FILE).is_file())
        .ok_or_else(|| {
            LedgerError::Input(crate::error::InputError::whole_file(
                archive,
                format!("no {MANIFEST_FILE}: not an anbao ledger export"),
            ))
        })?;
    let manifest_path = top.join(MANIFEST_FILE);
    let bytes =
        std::fs::read(&manifest_path).map_err(|e| LedgerError::io("read", &manifest_path, e))?;
    let manifest: ExportManifest = super::canonical::parse_strict(&bytes)
        .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
        .map_err(|e| {
            LedgerError::Input(crate::error::InputError::whole_file(
                archive,
                format!("{MANIFEST_FILE}: {e}"),
            ))
        })?;
    let mut problems = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for f in &manifest.files {
        listed.insert(f.path.clone());
        let why = match safe_relative(&f.path).map(|p| std::fs::read(top.join(p))) {
            None => Some("is not a safe path".to_string()),
            Some(Err(_)) => Some("is missing".to_string()),
            Some(Ok(b))
                if f.hash.alg.hash(&[&b]) != f.hash.bytes || b.len().to_string() != f.size =>
            {
                Some(format!("does not hash to {}", f.hash))
            }
            Some(Ok(_)) => None,
        };
        if let Some(why) = why {
            problems.push(
                Finding::new_pub(Code::ManifestMismatch, m::manifest_mismatch(&f.path, &why))
                    .in_file_pub(f.path.clone()),
            );
        }
    }
    let mut present = Vec::new();
    for d in [
        super::LEDGER_FILE,
        super::CHECKPOINT_DIR,
        super::KEYS_DIR,
        super::EVIDENCE_DIR,
    ] {
        let p = top.join(d);
        if p.is_file() {
            present.push(d.to_string());
        } else {
            files_under(&top, d, &mut present)?;
        }
    }
    for p in present.into_iter().filter(|p| !listed.contains(p)) {
        problems.push(
            Finding::new_pub(
                Code::ManifestMismatch,
                m::manifest_mismatch(&p, "is not in the manifest"),
            )
            .in_file_pub(p),
        );
    }
    let ws = Workspace::open(&top)?;
    let mut report = Ledger::open(&ws)?.verify()?;
    if !problems.is_empty() {
        problems.extend(report.findings);
        report.findings = problems;
        report.first_bad = report.findings.iter().find(|f| f.code.is_error()).cloned();
        report.clean = report.first_bad.is_none();
    }
    Ok(report)
}
