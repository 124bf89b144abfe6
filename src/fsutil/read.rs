//! The one reader of every input file (inventories, evidence, checklists, playbooks, manifests
//! ...): it reads regular files and pipes and refuses everything else for what it is, it never
//! reads more than a limit, whatever the file claims its size is (a device or a pipe claims
//! 0), and it names the file, and the line and column of text that is not UTF-8.

use super::FileKind;
use crate::error::{InputError, Location};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

const MIB: u64 = 1 << 20;

/// The most anbao reads of one document (an inventory, an evidence file, an archive): no real
/// one comes near it, and more would only exhaust memory.
pub const DOCUMENT_LIMIT: u64 = 512 * MIB;

/// The most anbao reads of one configuration or state file (the manifest, policies, catalogs,
/// checklists, playbooks, plans, answer sheets, keys, drill runs, sessions, proofs).
pub const CONFIG_LIMIT: u64 = 16 * MIB;

/// Why an input could not be read.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub problem: Problem,
}

#[derive(Debug)]
pub enum Problem {
    /// A directory, a device, a socket, a link to nothing or a loop, or nothing at all.
    NotAFile(FileKind),
    /// Larger than `limit`; `size` when the file said so before it was read.
    TooLarge {
        limit: u64,
        size: Option<u64>,
    },
    /// Text that is not UTF-8 at this place.
    NotUtf8 {
        line: usize,
        column: usize,
    },
    Io(std::io::Error),
}

impl ReadError {
    fn new(path: &Path, problem: Problem) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            problem,
        }
    }

    /// Whether nothing is at the path (callers with a default for a missing file ask this).
    pub fn is_missing(&self) -> bool {
        matches!(self.problem, Problem::NotAFile(FileKind::Missing))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotAFile(
                kind @ (FileKind::Missing
                | FileKind::DanglingLink { .. }
                | FileKind::LinkLoop
                | FileKind::Unreadable(_)),
            ) => kind.fmt(f),
            Problem::NotAFile(kind) => write!(f, "{kind}, not a file anbao can read"),
            Problem::TooLarge {
                limit,
                size: Some(size),
            } => write!(
                f,
                "is {}, larger than the {} limit for one input file",
                size_text(*size),
                size_text(*limit)
            ),
            Problem::TooLarge { limit, size: None } => write!(
                f,
                "gave more than the {} limit for one input file; reading stopped there",
                size_text(*limit)
            ),
            Problem::NotUtf8 { .. } => f.write_str("is not valid UTF-8 text"),
            Problem::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        InputError::from(self).fmt(f)
    }
}

impl std::error::Error for ReadError {}

impl From<&ReadError> for InputError {
    fn from(e: &ReadError) -> InputError {
        let location = match e.problem {
            Problem::NotUtf8 { line, column } => Location::LineCol { line, column },
            _ => Location::File,
        };
        InputError::new(&e.path, location, e.problem.to_string())
    }
}

impl From<ReadError> for InputError {
    fn from(e: ReadError) -> InputError {
        InputError::from(&e)
    }
}

/// `bytes` as "600 MiB", "1.5 MiB" or "812 bytes".
pub fn size_text(bytes: u64) -> String {
    if bytes < MIB {
        return format!("{bytes} bytes");
    }
    let tenths = bytes * 10 / MIB;
    match tenths % 10 {
        0 => format!("{} MiB", tenths / 10),
        t => format!("{}.{t} MiB", tenths / 10),
    }
}

/// An input opened for reading: a regular file, a pipe or standard input, at most `limit`
/// bytes of it.
pub struct Input {
    path: PathBuf,
    file: Box<dyn Read>,
    /// The size the file reported, for a regular file.
    len: Option<u64>,
    limit: u64,
}

impl Input {
    /// Opens `path` if it is a regular file or a pipe no larger than `limit`. Devices are
    /// never opened: opening some has effects, and none holds a document.
    pub fn open(path: &Path, limit: u64) -> Result<Input, ReadError> {
        let kind = FileKind::of(path);
        if !kind.is_readable_file() {
            return Err(ReadError::new(path, Problem::NotAFile(kind)));
        }
        let file = std::fs::File::open(path).map_err(|e| ReadError::new(path, Problem::Io(e)))?;
        // What was opened decides, should the path have changed since it was looked at.
        let opened = file
            .metadata()
            .map(|m| FileKind::from_metadata(&m))
            .map_err(|e| ReadError::new(path, Problem::Io(e)))?;
        let len = match opened {
            FileKind::Regular { len } if len > limit => {
                return Err(ReadError::new(
                    path,
                    Problem::TooLarge {
                        limit,
                        size: Some(len),
                    },
                ))
            }
            FileKind::Regular { len } => Some(len),
            FileKind::Fifo => None,
            other => return Err(ReadError::new(path, Problem::NotAFile(other))),
        };
        Ok(Input {
            path: path.to_path_buf(),
            file: Box::new(file),
            len,
            limit,
        })
    }

    /// Standard input (`-` on a command line), whatever it is (a pipe, a file, a terminal
    /// someone types into), at most `limit` bytes of it; messages call it "standard input".
    pub fn stdin(limit: u64) -> Input {
        Input {
            path: PathBuf::from("standard input"),
            file: Box::new(std::io::stdin()),
            len: None,
            limit,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every byte, or an error once more than the limit has come.
    pub fn read_all(mut self) -> Result<Vec<u8>, ReadError> {
        let Some(len) = self.len else {
            return self.read_stream();
        };
        let mut bytes = Vec::with_capacity(len as usize + 1);
        (&mut self.file)
            .take(self.limit)
            .read_to_end(&mut bytes)
            .map_err(|e| self.error(Problem::Io(e)))?;
        self.check_ended(bytes.len() as u64)?;
        Ok(bytes)
    }

    /// A pipe of unknown length, read in pieces and put together once its end is known: a
    /// growing buffer would hold the old and the new copy at once, half as much again.
    fn read_stream(mut self) -> Result<Vec<u8>, ReadError> {
        const PIECE: u64 = 16 * MIB;
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        let mut total = 0u64;
        while total < self.limit {
            let want = PIECE.min(self.limit - total);
            let mut piece = Vec::with_capacity(want as usize);
            (&mut self.file)
                .take(want)
                .read_to_end(&mut piece)
                .map_err(|e| self.error(Problem::Io(e)))?;
            if piece.is_empty() {
                break;
            }
            total += piece.len() as u64;
            pieces.push(piece);
        }
        self.check_ended(total)?;
        let mut bytes = Vec::with_capacity(total as usize);
        for piece in pieces {
            bytes.extend_from_slice(&piece);
        }
        Ok(bytes)
    }

    /// The first `n` bytes, fewer when the file is shorter: a look at what a file is.
    pub fn head(mut self, n: u64) -> Result<Vec<u8>, ReadError> {
        let mut bytes = Vec::new();
        (&mut self.file)
            .take(n.min(self.limit))
            .read_to_end(&mut bytes)
            .map_err(|e| self.error(Problem::Io(e)))?;
        Ok(bytes)
    }

    /// The whole file as UTF-8 text.
    pub fn read_text(self) -> Result<String, ReadError> {
        let path = self.path.clone();
        let bytes = self.read_all()?;
        String::from_utf8(bytes).map_err(|e| {
            let bad = e.utf8_error().valid_up_to();
            let Location::LineCol { line, column } = Location::from_offset(e.as_bytes(), bad)
            else {
                unreachable!("from_offset gives a line and a column")
            };
            ReadError::new(&path, Problem::NotUtf8 { line, column })
        })
    }

    /// Hands the file to `each` in chunks, without holding it whole; returns its size. The
    /// errors of `each` (a full disk while copying, say) come back as they are.
    pub fn for_each_chunk<E: From<ReadError>>(
        mut self,
        mut each: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            let want = buf.len().min((self.limit - total) as usize);
            if want == 0 {
                self.check_ended(total)?;
                return Ok(total);
            }
            let n = match self.file.read(&mut buf[..want]) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.error(Problem::Io(e)).into()),
            };
            each(&buf[..n])?;
            total += n as u64;
        }
    }

    /// After `read` bytes, all the limit allows: the file must end here.
    fn check_ended(&mut self, read: u64) -> Result<(), ReadError> {
        if read < self.limit {
            return Ok(());
        }
        let mut probe = [0u8; 1];
        match self.file.read(&mut probe) {
            Ok(0) => Ok(()),
            Ok(_) => Err(self.error(Problem::TooLarge {
                limit: self.limit,
                size: self.len.filter(|&l| l > self.limit),
            })),
            Err(e) => Err(self.error(Problem::Io(e))),
        }
    }

    fn error(&self, problem: Problem) -> ReadError {
        ReadError::new(&self.path, problem)
    }
}

/// Reads the whole of `path`, at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    Input::open(path, limit)?.read_all()
}

/// Reads `path` as UTF-8 text, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    Input::open(path, limit)?.read_text()
}

/// Reads `path` as UTF-8 text, or `None` when nothing is there (a file with a default).
pub fn read_text_if_present(path: &Path, limit: u64) -> Result<Option<String>, ReadError> {
    match read_text(path, limit) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.is_missing() => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_files_up_to_the_limit_and_names_what_is_larger() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read(&path, 5).unwrap(), b"12345");
        let err = read(&path, 4).unwrap_err();
        assert!(
            matches!(
                err.problem,
                Problem::TooLarge {
                    limit: 4,
                    size: Some(5)
                }
            ),
            "{err}"
        );
        assert!(err.to_string().starts_with(&path.display().to_string()));
        let mut seen = Vec::new();
        let n = Input::open(&path, 5)
            .unwrap()
            .for_each_chunk(|c| {
                seen.extend_from_slice(c);
                Ok::<_, ReadError>(())
            })
            .unwrap();
        assert_eq!((n, seen.as_slice()), (5, &b"12345"[..]));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_unopened_and_a_pipe_is_cut_at_the_limit() {
        let err = read(Path::new("/dev/zero"), DOCUMENT_LIMIT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero: is a character device, not a file anbao can read"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut f = std::fs::File::options().write(true).open(fifo).unwrap();
                // The reader stops after the limit and goes away; the rest cannot be written.
                let _ = f.write_all(&[b'x'; 100_000]);
            })
        };
        let err = read(&fifo, 1000).unwrap_err();
        assert!(
            matches!(
                err.problem,
                Problem::TooLarge {
                    limit: 1000,
                    size: None
                }
            ),
            "{err}"
        );
        writer.join().unwrap();
    }

    #[test]
    fn text_that_is_not_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anbao.toml");
        std::fs::write(&path, b"[project]\nname = \"\xe5\xae\x89\xff\"\n").unwrap();
        let err = read_text(&path, CONFIG_LIMIT).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}:2:10: is not valid UTF-8 text", path.display())
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(812), "812 bytes");
        assert_eq!(size_text(512 * MIB), "512 MiB");
        assert_eq!(size_text(3 * MIB / 2), "1.5 MiB");
    }
}
