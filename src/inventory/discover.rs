//! Which files of a workspace's inventory folders and patterns are read as inventories, and
//! which are not and why. Folders are walked to any depth; each file found is identified by its
//! content; a file that is not read (excluded by a rule, hidden, not an inventory, a FIFO, a
//! socket or a device, a symbolic-link loop, unreadable) is listed with its reason, never
//! skipped in silence, so a check can tell a complete inventory from one with gaps.

use super::detect;
use crate::error::InputError;
use crate::i18n::Lang;
use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The files to read and the files found but not read.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Inventory files, in a stable order: each configured entry in turn, files within a folder
    /// by path.
    pub files: Vec<PathBuf>,
    /// Everything found and not read, by path.
    pub not_read: Vec<NotRead>,
}

impl Discovery {
    /// The files not read that may hold inventory data: a check cannot call the inventory
    /// complete while any is left.
    pub fn gaps(&self) -> impl Iterator<Item = &NotRead> {
        self.not_read.iter().filter(|n| n.reason.leaves_gap())
    }
}

/// A file (or folder, or pattern) found in the inventory configuration and not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotRead {
    pub path: PathBuf,
    #[serde(flatten)]
    pub reason: Skip,
}

/// Why something was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Skip {
    /// Matches a pattern of `[inventories] exclude`.
    Excluded { pattern: String },
    /// Its name starts with a dot (editor, version-control and system files).
    Hidden,
    /// The content is no inventory format anbao reads.
    NotAnInventory { detail: String },
    /// A FIFO, socket or device: never opened, since reading one may block or never end.
    Special { kind: &'static str },
    /// A symbolic link that leads back to a folder above it.
    SymlinkLoop,
    /// A symbolic link to nothing.
    BrokenSymlink,
    /// It could not be listed or opened.
    Unreadable { error: String },
    /// A pattern of `[inventories] paths` that matches no file.
    NoMatch,
}

impl Skip {
    /// Whether the file may hold inventory data the check did not see. Files excluded by a rule
    /// and hidden files were left out on purpose; everything else is a gap in the evidence.
    pub fn leaves_gap(&self) -> bool {
        !matches!(self, Skip::Excluded { .. } | Skip::Hidden)
    }

    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Skip::Excluded { pattern } if zh => {
                format!("按 [inventories] exclude 规则 '{pattern}' 排除")
            }
            Skip::Excluded { pattern } => {
                format!("excluded by the rule '{pattern}' of [inventories] exclude")
            }
            Skip::Hidden if zh => "隐藏文件（名称以 . 开头）".into(),
            Skip::Hidden => "hidden (the name starts with '.')".into(),
            Skip::NotAnInventory { detail } if zh => format!("不是可读取的清单格式：{detail}"),
            Skip::NotAnInventory { detail } => {
                format!("not an inventory format anbao reads: {detail}")
            }
            Skip::Special { kind } if zh => format!("特殊文件（{}），未打开", special_zh(kind)),
            Skip::Special { kind } => format!("a {kind}, not a regular file: never opened"),
            Skip::SymlinkLoop if zh => "符号链接形成循环".into(),
            Skip::SymlinkLoop => "a symbolic link that loops back to a folder above it".into(),
            Skip::BrokenSymlink if zh => "符号链接指向不存在的目标".into(),
            Skip::BrokenSymlink => "a symbolic link to nothing".into(),
            Skip::Unreadable { error } if zh => format!("无法读取：{error}"),
            Skip::Unreadable { error } => format!("cannot be read: {error}"),
            Skip::NoMatch if zh => "该匹配模式没有匹配到任何文件".into(),
            Skip::NoMatch => "the pattern matches no file".into(),
        }
    }
}

fn special_zh(kind: &str) -> &'static str {
    match kind {
        "FIFO" => "命名管道",
        "socket" => "套接字",
        "character device" => "字符设备",
        "block device" => "块设备",
        _ => "非普通文件",
    }
}

/// Whether an inventory path is a pattern rather than a file or folder name.
pub fn is_pattern(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

/// A glob as `[inventories]` writes them: case-insensitive, `*` within one path segment, `**`
/// across segments.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
}

/// The exclude rules: a pattern with a `/` is matched against the path relative to the
/// workspace, one without against the file or folder name (as in `.gitignore`).
struct Exclude {
    patterns: Vec<String>,
    by_name: (GlobSet, Vec<usize>),
    by_path: (GlobSet, Vec<usize>),
}

impl Exclude {
    fn new(patterns: &[String]) -> Result<Exclude, globset::Error> {
        let mut name = (GlobSetBuilder::new(), Vec::new());
        let mut path = (GlobSetBuilder::new(), Vec::new());
        for (i, p) in patterns.iter().enumerate() {
            let p_trimmed = p.trim_start_matches("./");
            let side = if p_trimmed.contains('/') {
                &mut path
            } else {
                &mut name
            };
            side.0.add(glob(p_trimmed)?);
            side.1.push(i);
        }
        Ok(Exclude {
            patterns: patterns.to_vec(),
            by_name: (name.0.build()?, name.1),
            by_path: (path.0.build()?, path.1),
        })
    }

    /// The first rule that excludes `rel` (relative to the workspace, `/`-separated).
    fn rule_for(&self, rel: &str) -> Option<&str> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let first = |(set, index): &(GlobSet, Vec<usize>), text: &str| {
            set.matches(text).first().map(|&i| index[i])
        };
        let hit = match (first(&self.by_name, name), first(&self.by_path, rel)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        hit.map(|i| self.patterns[i].as_str())
    }
}

/// Finds the inventory files of a workspace at `root` from its `[inventories]` entries: files
/// are read as named; folders are walked to any depth; patterns select files under the folder
/// they start with. Only a configured file or folder that does not exist, or a bad pattern, is
/// an error; `manifest` names the file that configured them.
pub fn discover(
    root: &Path,
    manifest: &Path,
    paths: &[PathBuf],
    exclude: &[String],
) -> Result<Discovery, InputError> {
    let exclude = Exclude::new(exclude)
        .map_err(|e| InputError::whole_file(manifest, format!("[inventories] exclude: {e}")))?;
    let mut walk = Walk {
        root,
        exclude: &exclude,
        seen: HashSet::new(),
        found: Discovery::default(),
    };
    for entry in paths {
        let text = entry.to_string_lossy().replace('\\', "/");
        if is_pattern(&text) {
            let matcher = glob(text.trim_start_matches("./"))
                .map_err(|e| InputError::whole_file(manifest, format!("[inventories] paths: {e}")))?
                .compile_matcher();
            let base: PathBuf = text
                .split('/')
                .take_while(|segment| !is_pattern(segment))
                .collect();
            let before = walk.found.files.len() + walk.found.not_read.len();
            if root.join(&base).is_dir() {
                walk.folder(&root.join(&base), Some(&matcher));
            }
            if walk.found.files.len() + walk.found.not_read.len() == before {
                walk.found.not_read.push(NotRead {
                    path: root.join(entry),
                    reason: Skip::NoMatch,
                });
            }
            continue;
        }
        let path = root.join(entry);
        if path.is_dir() {
            walk.folder(&path, None);
        } else if path.exists() {
            // A file named on purpose is read whatever it looks like: its parser says what is
            // wrong with it.
            if walk.first_time(&path) {
                walk.found.files.push(path);
            }
        } else {
            return Err(InputError::whole_file(
                manifest,
                format!("inventory path '{}' does not exist", entry.display()),
            ));
        }
    }
    walk.found.not_read.sort_by(|a, b| a.path.cmp(&b.path));
    walk.found.not_read.dedup();
    Ok(walk.found)
}

struct Walk<'a> {
    root: &'a Path,
    exclude: &'a Exclude,
    /// Canonical paths already taken, so a file reached twice (two entries, a link) is read once.
    seen: HashSet<PathBuf>,
    found: Discovery,
}

impl Walk<'_> {
    fn first_time(&mut self, path: &Path) -> bool {
        self.seen
            .insert(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// Walks `dir`; with a `pattern`, only files whose workspace-relative path it matches are
    /// part of the inventory (others are not inventory files at all, so not listed).
    fn folder(&mut self, dir: &Path, pattern: Option<&GlobMatcher>) {
        let mut left_out: Vec<NotRead> = Vec::new();
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                let rel = e
                    .path()
                    .strip_prefix(self.root)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let reason = if name.starts_with('.') {
                    Some(Skip::Hidden)
                } else {
                    self.exclude.rule_for(&rel).map(|p| Skip::Excluded {
                        pattern: p.to_string(),
                    })
                };
                let Some(reason) = reason else { return true };
                // Under a pattern, only what it selects is worth naming.
                let named = pattern.is_none_or(|m| e.file_type().is_dir() || m.is_match(&rel));
                if named {
                    left_out.push(NotRead {
                        path: e.path().to_path_buf(),
                        reason,
                    });
                }
                false
            });
        let mut taken: Vec<PathBuf> = Vec::new();
        let mut skipped: Vec<NotRead> = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    let reason = if e.loop_ancestor().is_some() {
                        Skip::SymlinkLoop
                    } else if path.is_symlink() && !path.exists() {
                        Skip::BrokenSymlink
                    } else {
                        Skip::Unreadable {
                            error: e
                                .io_error()
                                .map_or_else(|| e.to_string(), ToString::to_string),
                        }
                    };
                    skipped.push(NotRead { path, reason });
                    continue;
                }
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            let path = entry.path();
            if let Some(m) = pattern {
                if !m.is_match(self.relative(path)) {
                    continue;
                }
            }
            if let Some(special) = special_kind(&kind) {
                skipped.push(NotRead {
                    path: path.to_path_buf(),
                    reason: Skip::Special { kind: special },
                });
                continue;
            }
            match identify(path) {
                Ok(()) => taken.push(path.to_path_buf()),
                Err(reason) => skipped.push(NotRead {
                    path: path.to_path_buf(),
                    reason,
                }),
            }
        }
        for path in taken {
            if self.first_time(&path) {
                self.found.files.push(path);
            }
        }
        self.found.not_read.extend(left_out);
        self.found.not_read.extend(skipped);
    }
}

/// What kind of special file a file type is, if it is one.
fn special_kind(kind: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("FIFO");
        }
        if kind.is_socket() {
            return Some("socket");
        }
        if kind.is_char_device() {
            return Some("character device");
        }
        if kind.is_block_device() {
            return Some("block device");
        }
    }
    (!kind.is_file()).then_some("special file")
}

/// Reads the start of a regular file and decides whether it is an inventory.
fn identify(path: &Path) -> Result<(), Skip> {
    let unreadable = |e: std::io::Error| Skip::Unreadable {
        error: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // The walk saw a regular file; one swapped for something else since is not read.
    let meta = file.metadata().map_err(unreadable)?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(Skip::Special { kind });
    }
    let mut head = Vec::with_capacity(detect::SNIFF_LEN_BYTES.min(meta.len() as usize));
    file.take(detect::SNIFF_LEN_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    detect::sniff(&head)
        .map(|_| ())
        .map_err(|detail| Skip::NotAnInventory { detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SBOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}"#;

    fn found(root: &Path, paths: &[&str], exclude: &[&str]) -> Discovery {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
        discover(root, &root.join("anbao.toml"), &paths, &exclude).unwrap()
    }

    fn rel(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<String> {
        paths
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    fn reasons(root: &Path, d: &Discovery) -> Vec<(String, Skip)> {
        d.not_read
            .iter()
            .map(|n| {
                (
                    n.path.strip_prefix(root).unwrap().display().to_string(),
                    n.reason.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn folders_are_walked_to_any_depth_and_files_are_known_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let inv = root.join("inventories");
        std::fs::create_dir_all(inv.join("sub/deeper")).unwrap();
        std::fs::write(inv.join("sub/deeper/sbom.txt"), SBOM).unwrap();
        std::fs::write(inv.join("a.csv"), "设备名称,厂商\n防火墙,示例\n").unwrap();
        std::fs::write(inv.join("README.md"), "# notes\n").unwrap();
        std::fs::write(
            inv.join("notes.txt"),
            "ask the vendor, again\nmonday, maybe\n",
        )
        .unwrap();
        std::fs::write(inv.join("list.xlsx"), b"PK\x03\x04\0\0\x14\0binary").unwrap();
        std::fs::write(inv.join(".hidden.json"), SBOM).unwrap();
        std::fs::write(inv.join("empty.json"), "").unwrap();
        let d = found(root, &["inventories"], &["*.md"]);
        assert_eq!(
            rel(root, d.files.clone()),
            ["inventories/a.csv", "inventories/sub/deeper/sbom.txt"]
        );
        let got = reasons(root, &d);
        let names: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "inventories/.hidden.json",
                "inventories/README.md",
                "inventories/empty.json",
                "inventories/list.xlsx",
                "inventories/notes.txt"
            ]
        );
        assert_eq!(got[0].1, Skip::Hidden);
        assert_eq!(
            got[1].1,
            Skip::Excluded {
                pattern: "*.md".into()
            }
        );
        for (path, reason) in &got[2..] {
            assert!(
                matches!(reason, Skip::NotAnInventory { .. }),
                "{path}: {reason:?}"
            );
        }
        assert_eq!(d.gaps().count(), 3);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_and_link_loops_are_listed_and_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let inv = root.join("inv");
        std::fs::create_dir_all(inv.join("loop")).unwrap();
        std::fs::write(inv.join("sbom.json"), SBOM).unwrap();
        std::os::unix::fs::symlink(&inv, inv.join("loop/back")).unwrap();
        std::os::unix::fs::symlink(inv.join("gone"), inv.join("dangling.json")).unwrap();
        let fifo = inv.join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let socket = std::os::unix::net::UnixListener::bind(inv.join("sock")).unwrap();
        // Reading the FIFO would block this test forever; it must not be opened.
        let d = found(root, &["inv"], &[]);
        drop(socket);
        assert_eq!(rel(root, d.files.clone()), ["inv/sbom.json"]);
        assert_eq!(
            reasons(root, &d),
            [
                ("inv/dangling.json".to_string(), Skip::BrokenSymlink),
                ("inv/loop/back".to_string(), Skip::SymlinkLoop),
                ("inv/pipe.json".to_string(), Skip::Special { kind: "FIFO" }),
                ("inv/sock".to_string(), Skip::Special { kind: "socket" }),
            ]
        );
    }

    #[test]
    fn patterns_select_files_and_one_that_matches_nothing_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("boms/2026/q3")).unwrap();
        std::fs::write(root.join("boms/2026/q3/app.cdx.json"), SBOM).unwrap();
        std::fs::write(root.join("boms/2026/other.json"), "{\"x\": 1}").unwrap();
        std::fs::write(root.join("boms/old.cdx.json"), SBOM).unwrap();
        std::fs::write(root.join("boms/old-notes.cdx.json"), "notes").unwrap();
        let d = found(
            root,
            &["boms/**/*.cdx.json", "hardware/*.csv"],
            &["boms/old-*"],
        );
        assert_eq!(
            rel(root, d.files.clone()),
            ["boms/2026/q3/app.cdx.json", "boms/old.cdx.json"]
        );
        assert_eq!(
            reasons(root, &d),
            [
                (
                    "boms/old-notes.cdx.json".to_string(),
                    Skip::Excluded {
                        pattern: "boms/old-*".into()
                    }
                ),
                ("hardware/*.csv".to_string(), Skip::NoMatch),
            ]
        );
    }

    #[test]
    fn a_file_reached_twice_is_read_once_and_a_missing_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("inv")).unwrap();
        std::fs::write(root.join("inv/a.json"), SBOM).unwrap();
        let d = found(root, &["inv/a.json", "inv"], &[]);
        assert_eq!(rel(root, d.files), ["inv/a.json"]);
        let err = discover(
            root,
            &root.join("anbao.toml"),
            &[PathBuf::from("nowhere")],
            &[],
        )
        .unwrap_err();
        assert!(err.message.contains("'nowhere' does not exist"), "{err}");
    }
}
