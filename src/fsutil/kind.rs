//! What kind of file a path names, found without opening it: reading and writing decide by it,
//! and messages call a file what it is (a FIFO, a device, a link loop) rather than "missing".

use std::fmt;
use std::path::{Path, PathBuf};

/// The kind of what a path names once symbolic links are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Regular {
        len: u64,
    },
    Directory,
    CharDevice,
    BlockDevice,
    /// A named pipe, or a pipe such as `/dev/stdin` or `<(command)` under `/dev/fd/`.
    Fifo,
    Socket,
    /// A symbolic link whose chain ends at nothing.
    DanglingLink {
        target: PathBuf,
    },
    /// A chain of symbolic links that never reaches a file.
    LinkLoop,
    /// Nothing at all at that path.
    Missing,
    /// Something that could not be looked at (no permission to search a folder ...).
    Unreadable(String),
}

impl FileKind {
    /// Looks at `path` (following symbolic links) without opening it.
    pub fn of(path: &Path) -> FileKind {
        match std::fs::metadata(path) {
            Ok(meta) => FileKind::from_metadata(&meta),
            Err(e) if is_link_loop(&e) => FileKind::LinkLoop,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::symlink_metadata(path) {
                    Ok(m) if m.file_type().is_symlink() => FileKind::DanglingLink {
                        target: std::fs::read_link(path).unwrap_or_default(),
                    },
                    _ => FileKind::Missing,
                }
            }
            Err(e) => FileKind::Unreadable(e.to_string()),
        }
    }

    /// The kind of an open file or of looked-up metadata.
    pub fn from_metadata(meta: &std::fs::Metadata) -> FileKind {
        let t = meta.file_type();
        if t.is_file() {
            return FileKind::Regular { len: meta.len() };
        }
        if t.is_dir() {
            return FileKind::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_char_device() {
                return FileKind::CharDevice;
            }
            if t.is_block_device() {
                return FileKind::BlockDevice;
            }
            if t.is_fifo() {
                return FileKind::Fifo;
            }
            if t.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Unreadable("of a kind anbao does not know".into())
    }

    /// Whether a whole file can be read from it: a regular file, or a stream from a pipe.
    pub fn is_readable_file(&self) -> bool {
        matches!(self, FileKind::Regular { .. } | FileKind::Fifo)
    }
}

/// Says what the path is, as the end of a sentence starting with the path: "is a directory".
impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileKind::Regular { .. } => f.write_str("is a regular file"),
            FileKind::Directory => f.write_str("is a directory"),
            FileKind::CharDevice => f.write_str("is a character device"),
            FileKind::BlockDevice => f.write_str("is a block device"),
            FileKind::Fifo => f.write_str("is a FIFO (named pipe)"),
            FileKind::Socket => f.write_str("is a socket"),
            FileKind::DanglingLink { target } => write!(
                f,
                "is a symbolic link to '{}', which does not exist",
                target.display()
            ),
            FileKind::LinkLoop => f.write_str("is a symbolic link loop that never reaches a file"),
            FileKind::Missing => f.write_str("does not exist"),
            FileKind::Unreadable(why) => write!(f, "cannot be looked at: {why}"),
        }
    }
}

fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_files_folders_devices_and_links_apart() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("file"), "abc").unwrap();
        assert_eq!(FileKind::of(&d.join("file")), FileKind::Regular { len: 3 });
        assert_eq!(FileKind::of(d), FileKind::Directory);
        assert_eq!(FileKind::of(&d.join("none")), FileKind::Missing);
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            assert_eq!(FileKind::of(Path::new("/dev/null")), FileKind::CharDevice);
            symlink(d.join("none"), d.join("dangling")).unwrap();
            assert_eq!(
                FileKind::of(&d.join("dangling")),
                FileKind::DanglingLink {
                    target: d.join("none")
                }
            );
            symlink(d.join("b"), d.join("a")).unwrap();
            symlink(d.join("a"), d.join("b")).unwrap();
            assert_eq!(FileKind::of(&d.join("a")), FileKind::LinkLoop);
            symlink(d.join("file"), d.join("link")).unwrap();
            assert_eq!(FileKind::of(&d.join("link")), FileKind::Regular { len: 3 });
            let _listener = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
            assert_eq!(FileKind::of(&d.join("sock")), FileKind::Socket);
            assert_eq!(
                FileKind::LinkLoop.to_string(),
                "is a symbolic link loop that never reaches a file"
            );
        }
    }
}
