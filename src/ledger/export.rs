//! The evidence package: one tar or zip archive that verifies on another machine. What goes in
//! is chosen by name, never by copying folders: the workspace manifest, the ledger, its
//! checkpoints, the public key files and the evidence files the records name by hash, with a
//! manifest of their sizes and hashes. No link is followed, and a private key in any form
//! anbao knows stops the export. Reading an archive back is `archive`.

use super::error::{LedgerError, Result};
use super::hash::{Digest, HashAlg};
use super::keys::{parse_public_key_file, private_key_form, read_head};
use super::record;
use super::store::split_lines;
use super::Ledger;
use crate::workspace::MANIFEST;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub use super::archive::verify_archive;

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

/// Whether `path` (relative to an export's top folder) is a file an export holds: the
/// workspace manifest, the ledger, a checkpoint, a public key file, an evidence file.
pub fn exportable_path(path: &str) -> bool {
    let plain =
        |name: &str| !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']);
    path == MANIFEST
        || path == super::LEDGER_FILE
        || path.strip_prefix("records/checkpoints/").is_some_and(plain)
        || path
            .strip_prefix("keys/")
            .is_some_and(|n| plain(n) && n.ends_with(".json"))
        || path
            .strip_prefix("evidence/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(alg, hex)| {
                HashAlg::parse(alg).is_some()
                    && hex.len() == 64
                    && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            })
}

/// A file chosen for export: where it is, and what it was when chosen.
struct Chosen {
    rel: String,
    path: PathBuf,
    size: u64,
    hash: Digest,
    #[cfg(unix)]
    identity: (u64, u64),
}

/// `root/rel`, refusing a link at any step below `root`.
fn no_link(root: &Path, rel: &str) -> Result<PathBuf> {
    let mut path = root.to_path_buf();
    for part in rel.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(LedgerError::SymbolicLink { path });
            }
            Ok(_) => {}
            Err(e) => return Err(LedgerError::io("read", &path, e)),
        }
    }
    Ok(path)
}

/// The regular files directly inside `root/rel` (not hidden), sorted; a link is an error, a
/// missing folder holds nothing.
fn plain_files(root: &Path, rel: &str) -> Result<Vec<String>> {
    let dir = match no_link(root, rel) {
        Ok(d) => d,
        Err(LedgerError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Vec::new())
        }
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| LedgerError::io("list", &dir, e))? {
        let entry = entry.map_err(|e| LedgerError::io("list", &dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry
            .file_type()
            .map_err(|e| LedgerError::io("read", entry.path(), e))?;
        if kind.is_symlink() {
            return Err(LedgerError::SymbolicLink { path: entry.path() });
        }
        if kind.is_file() && !name.starts_with('.') {
            names.push(format!("{rel}/{name}"));
        }
    }
    names.sort();
    Ok(names)
}

/// Opens a chosen file, making sure it is still the regular file that was chosen (not swapped
/// for a link or another file since).
fn open_chosen(c: &Chosen) -> Result<std::fs::File> {
    let file = std::fs::File::open(&c.path).map_err(|e| LedgerError::io("read", &c.path, e))?;
    let meta = file
        .metadata()
        .map_err(|e| LedgerError::io("read", &c.path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (meta.dev(), meta.ino()) != c.identity {
            return Err(LedgerError::Other(format!(
                "'{}' changed while it was being exported",
                c.path.display()
            )));
        }
    }
    if !meta.is_file() {
        return Err(LedgerError::Other(format!(
            "'{}' is not a regular file",
            c.path.display()
        )));
    }
    Ok(file)
}

impl Ledger {
    /// Chooses the files of an export and checks each: a regular file reached without a link,
    /// not a private key. Evidence a record names but the store lacks is left out (the
    /// manifest then says the ledger does not verify).
    fn choose_export(&self) -> Result<Vec<Chosen>> {
        let root = self.root();
        let alg = self.hash_alg();
        let mut names = vec![MANIFEST.to_string()];
        if self.path().exists() {
            names.push(super::LEDGER_FILE.to_string());
        }
        names.extend(plain_files(root, super::CHECKPOINT_DIR)?);
        for name in plain_files(root, super::KEYS_DIR)? {
            let path = root.join(&name);
            let head = read_head(&path)?;
            if let Some(form) = private_key_form(&head) {
                return Err(LedgerError::PrivateKeyFile {
                    path,
                    form: form.into(),
                });
            }
            // Only public key files travel; anything else in keys/ (verify names it) stays.
            let public = name.ends_with(".json")
                && std::fs::read(&path).is_ok_and(|b| parse_public_key_file(&b).is_ok());
            if public {
                names.push(name);
            }
        }
        let bytes = self.read_bytes()?.unwrap_or_default();
        let mut evidence = BTreeSet::new();
        for line in split_lines(&bytes).0 {
            if let Ok(r) = record::parse(line) {
                for ev in r.entry.evidence {
                    evidence.insert(format!("evidence/{}/{}", ev.hash.alg.name(), ev.hash.hex()));
                }
            }
        }
        for name in evidence {
            match no_link(root, &name) {
                Ok(_) => names.push(name),
                Err(LedgerError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let mut chosen = Vec::with_capacity(names.len());
        for rel in names {
            let path = no_link(root, &rel)?;
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| LedgerError::io("read", &path, e))?;
            if !meta.is_file() {
                return Err(LedgerError::Other(format!(
                    "'{}' is not a regular file",
                    path.display()
                )));
            }
            if let Some(form) = private_key_form(&read_head(&path)?) {
                return Err(LedgerError::PrivateKeyFile {
                    path,
                    form: form.into(),
                });
            }
            let mut c = Chosen {
                rel,
                path,
                size: 0,
                hash: Digest::new(alg, [0; 32]),
                #[cfg(unix)]
                identity: {
                    use std::os::unix::fs::MetadataExt;
                    (meta.dev(), meta.ino())
                },
            };
            let mut file = open_chosen(&c)?;
            let mut tee = HashingReader::new(&mut file, alg);
            std::io::copy(&mut tee, &mut std::io::sink())
                .map_err(|e| LedgerError::io("read", &c.path, e))?;
            (c.size, c.hash) = tee.finish();
            chosen.push(c);
        }
        Ok(chosen)
    }

    /// Writes the evidence package to `out` (atomically) and returns its manifest.
    pub fn export(&self, out: &Path, format: ArchiveFormat) -> Result<ExportManifest> {
        let report = self.verify()?;
        let chosen = self.choose_export()?;
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
            files: chosen
                .iter()
                .map(|c| ManifestFile {
                    path: c.rel.clone(),
                    size: c.size.to_string(),
                    hash: c.hash,
                })
                .collect(),
        };
        let mut manifest_bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| LedgerError::Other(e.to_string()))?;
        manifest_bytes.push(b'\n');
        let top = format!(
            "anbao-ledger-{}-{}",
            super::checkpoint::origin(self.project_code(), self.hash_alg())
                .split('/')
                .nth(1)
                .unwrap_or("export"),
            chrono::Local::now().format("%Y%m%d")
        );
        let mut failure = None;
        let written = crate::fsutil::write_atomic_with(out, |file| {
            write_archive(file, format, &top, &manifest_bytes, &chosen).map_err(|e| {
                let io = std::io::Error::other(e.to_string());
                failure = Some(e);
                io
            })
        });
        if let Some(e) = failure {
            return Err(e);
        }
        written.map_err(|e| LedgerError::io("write", out, e))?;
        Ok(manifest)
    }
}

/// Streams the manifest and every chosen file into `file`; a file that is no longer what was
/// chosen (size or hash) fails the export.
fn write_archive(
    file: &mut std::fs::File,
    format: ArchiveFormat,
    top: &str,
    manifest: &[u8],
    chosen: &[Chosen],
) -> Result<()> {
    let io = |e: std::io::Error| LedgerError::Other(format!("cannot write the archive: {e}"));
    let check = |c: &Chosen, got: (u64, Digest)| -> Result<()> {
        if got != (c.size, c.hash) {
            return Err(LedgerError::Other(format!(
                "'{}' changed while it was being exported",
                c.path.display()
            )));
        }
        Ok(())
    };
    match format {
        ArchiveFormat::Tar => {
            let mut builder = tar::Builder::new(file);
            let header = |size: u64| {
                let mut h = tar::Header::new_gnu();
                h.set_size(size);
                h.set_mode(0o644);
                h.set_mtime(0);
                h.set_cksum();
                h
            };
            builder
                .append_data(
                    &mut header(manifest.len() as u64),
                    format!("{top}/{MANIFEST_FILE}"),
                    manifest,
                )
                .map_err(io)?;
            for c in chosen {
                let mut source = open_chosen(c)?.take(c.size);
                let mut tee = HashingReader::new(&mut source, c.hash.alg);
                builder
                    .append_data(&mut header(c.size), format!("{top}/{}", c.rel), &mut tee)
                    .map_err(io)?;
                check(c, tee.finish())?;
            }
            builder.finish().map_err(io)?;
        }
        ArchiveFormat::Zip => {
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(0o644)
                .large_file(true);
            zip.start_file(format!("{top}/{MANIFEST_FILE}"), options)
                .map_err(|e| io(std::io::Error::other(e)))?;
            zip.write_all(manifest).map_err(io)?;
            for c in chosen {
                zip.start_file(format!("{top}/{}", c.rel), options)
                    .map_err(|e| io(std::io::Error::other(e)))?;
                let mut source = open_chosen(c)?.take(c.size);
                let mut tee = HashingReader::new(&mut source, c.hash.alg);
                std::io::copy(&mut tee, &mut zip).map_err(io)?;
                check(c, tee.finish())?;
            }
            zip.finish().map_err(|e| io(std::io::Error::other(e)))?;
        }
    }
    Ok(())
}

/// A reader that hashes what passes through it.
struct HashingReader<'a> {
    inner: &'a mut dyn Read,
    hasher: super::hash::Hasher,
    alg: HashAlg,
    size: u64,
}

impl<'a> HashingReader<'a> {
    fn new(inner: &'a mut dyn Read, alg: HashAlg) -> HashingReader<'a> {
        HashingReader {
            inner,
            hasher: alg.hasher(),
            alg,
            size: 0,
        }
    }

    fn finish(self) -> (u64, Digest) {
        (self.size, Digest::new(self.alg, self.hasher.finish()))
    }
}

impl Read for HashingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}
