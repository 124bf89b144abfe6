//! The one rule for a command's output file (`-o/--output FILE` of every command):
//!
//! - nothing there, or a regular file: written whole beside it and renamed over it (a reader
//!   never sees half a report; the file keeps its permissions);
//! - a character device (`/dev/null`, a terminal) or a FIFO: opened and written into, never
//!   replaced;
//! - a symbolic link: followed to what it leads to, which is then treated as above; a link that
//!   leads nowhere, in a loop, or to anything else is refused, so a link never makes anbao
//!   create or replace a file at a place of the link's choosing;
//! - a directory, a block device or a socket: an error.
//!
//! `-` for standard output is the command line's business, not a file's.

use super::FileKind;
use std::io::{Error, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Where writing to an output path goes.
enum Destination {
    /// A regular file, or a new one, replaced atomically at this (link-resolved) path.
    Replace(PathBuf),
    /// A device or a FIFO, written into.
    Into,
}

fn refused(message: String) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

const WHAT_IS_WRITTEN: &str =
    "anbao writes to a regular file, a character device such as /dev/null, or a FIFO";

fn destination(path: &Path) -> std::io::Result<Destination> {
    let link = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Destination::Replace(path.into())),
        Err(e) => return Err(e),
        Ok(meta) => meta.file_type().is_symlink(),
    };
    match FileKind::of(path) {
        FileKind::Regular { .. } => {
            // Replacing a file one could not write to would sidestep its permissions.
            std::fs::OpenOptions::new().write(true).open(path)?;
            let target = if link {
                std::fs::canonicalize(path)?
            } else {
                path.to_path_buf()
            };
            Ok(Destination::Replace(target))
        }
        FileKind::CharDevice | FileKind::Fifo => Ok(Destination::Into),
        FileKind::Directory => Err(Error::new(
            ErrorKind::IsADirectory,
            "is a directory; name a file in it",
        )),
        kind @ (FileKind::DanglingLink { .. } | FileKind::LinkLoop) => Err(refused(format!(
            "{kind}; anbao does not create a file where a link points"
        ))),
        kind => Err(refused(format!("{kind}; {WHAT_IS_WRITTEN}"))),
    }
}

/// Writes a command's output to `path` by the rule above; `write` produces the content.
pub fn write_output(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match destination(path)? {
        Destination::Replace(target) => super::write_atomic_with(&target, |file| {
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()
        }),
        Destination::Into => {
            // Opening a FIFO waits for its reader, as any writer into a pipe does.
            let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
            let opened = FileKind::from_metadata(&file.metadata()?);
            if !matches!(opened, FileKind::CharDevice | FileKind::Fifo) {
                // Swapped for something else since it was looked at: write nothing into it.
                return Err(refused(format!(
                    "changed while it was opened and now {opened}"
                )));
            }
            let mut out = std::io::BufWriter::new(&mut file);
            write(&mut out)?;
            out.flush()
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn write(path: &Path, text: &str) -> std::io::Result<()> {
        write_output(path, |w| w.write_all(text.as_bytes()))
    }

    #[test]
    fn files_are_replaced_and_links_to_them_followed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(&d.join("new.md"), "one").unwrap();
        write(&d.join("new.md"), "two").unwrap();
        assert_eq!(std::fs::read_to_string(d.join("new.md")).unwrap(), "two");
        symlink("new.md", d.join("link.md")).unwrap();
        write(&d.join("link.md"), "three").unwrap();
        assert!(std::fs::symlink_metadata(d.join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(d.join("new.md")).unwrap(), "three");
    }

    #[test]
    fn devices_are_written_into_and_the_rest_refused() {
        write(Path::new("/dev/null"), "into the void").unwrap();
        let full = write(Path::new("/dev/full"), "x").unwrap_err();
        assert_eq!(full.kind(), ErrorKind::StorageFull);
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let err = write(d, "x").unwrap_err();
        assert_eq!(err.to_string(), "is a directory; name a file in it");
        symlink(d.join("absent"), d.join("dangling")).unwrap();
        let err = write(&d.join("dangling"), "x").unwrap_err();
        assert!(err.to_string().contains("does not create a file"), "{err}");
        assert!(!d.join("absent").exists());
        let _socket = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
        let err = write(&d.join("sock"), "x").unwrap_err();
        assert!(err.to_string().starts_with("is a socket;"), "{err}");
    }
}
