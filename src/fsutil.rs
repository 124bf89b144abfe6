//! The file system at anbao's edges: what kind of file a path names, one bounded reader for
//! every input, one rule for every output file, and state files replaced atomically (temp file
//! in the same folder, fsync, rename over the target, fsync the folder).

mod kind;
mod output;
mod read;

pub use kind::FileKind;
pub use output::write_output;
pub use read::{
    read, read_text, read_text_if_present, size_text, Input, Problem, ReadError, CONFIG_LIMIT,
    DOCUMENT_LIMIT,
};

use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// How every temporary file anbao writes beside the file it will replace begins.
pub const TEMP_PREFIX: &str = ".tmp-anbao-";

/// A temporary file untouched for this long, that no writer holds locked, was left behind by a
/// writer that was killed.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Replaces `path` with `bytes` atomically: readers see the old file or the new one, never a
/// mixture, and a crash leaves the old file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Like [`write_atomic`], with the content written by `write` into the temporary file.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // The result keeps the permissions of the file it replaces, or gets the usual 0644 of a
    // new document.
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644)
    };
    #[cfg(not(unix))]
    let mode = 0o644;
    let (dir, tmp) = prepared(path, mode, write)?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Writes `bytes` to `path` where nothing is there yet, not even a dangling symbolic link:
/// written whole to a temporary file first and then put in place only if the name is still
/// free, so two writers cannot both think they created it. `AlreadyExists` otherwise.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (dir, tmp) = prepared(path, 0o644, |file| file.write_all(bytes))?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// A temporary file beside `path` holding what `write` wrote, with permissions `mode` (the
/// temp file itself is private, 0600), synced to disk: ready to be put in place. Also its folder.
fn prepared(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<(&Path, tempfile::NamedTempFile)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = temp_file_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    Ok((dir, tmp))
}

/// A new temporary file in `dir`, locked for as long as it is open so that no other writer
/// takes it for a leftover; the leftovers of killed writers there are removed first.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    remove_stale_temp_files(dir);
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    // A fresh file nobody else has opened: the lock cannot be refused, and where locks are
    // not supported the age rule alone keeps a live temp file safe.
    let _ = fs4::FileExt::try_lock(tmp.as_file());
    Ok(tmp)
}

/// Removes anbao's temporary files in `dir` that were left behind by killed writers: old
/// enough and not locked by a live writer. Other programs' temporary files are not touched.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !stale {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        if fs4::FileExt::try_lock(&file).is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The first of `base`, `base-2`, `base-3` ... that `taken` says is free: ids of sessions and
/// drill runs, which name files, never replace one another.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file is left"
        );
    }

    #[test]
    fn leftovers_of_killed_writers_go_and_live_temp_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let old = std::time::SystemTime::now() - 2 * STALE_AFTER;
        let age = |p: &Path| {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        };
        let left = d.join(format!("{TEMP_PREFIX}left"));
        let fresh = d.join(format!("{TEMP_PREFIX}fresh"));
        let foreign = d.join(".tmpAb12Cd");
        for p in [&left, &fresh, &foreign] {
            std::fs::write(p, "half").unwrap();
        }
        age(&left);
        age(&foreign);
        // A writer that is slow but alive holds its lock, however old its file looks.
        let live = temp_file_in(d).unwrap();
        age(live.path());
        write_atomic(&d.join("state.json"), b"{}").unwrap();
        assert!(!left.exists());
        assert!(fresh.exists() && foreign.exists() && live.path().exists());
    }

    #[test]
    fn a_new_file_is_written_only_where_the_name_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan-2027.toml");
        write_new(&path, b"draft").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"draft");
        let again = write_new(&path, b"other").unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"draft",
            "the first one stands"
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("dangling.toml");
            let target = dir.path().join("missing.toml");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let e = write_new(&link, b"x").unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
            assert!(!target.exists(), "nothing written through the link");
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(TEMP_PREFIX)),
            "{names:?}"
        );
    }
}
