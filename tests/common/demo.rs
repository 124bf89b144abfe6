//! A copy of the demo workspace (the repository root) made of its git-tracked files only, so a
//! test never sees the drill runs, records, assessment sessions or keys that using the demo as
//! the README suggests leaves in the repository. Shared by the integration tests and, through
//! `#[path]`, by the library's unit tests.

use std::path::{Path, PathBuf};

/// Folders of the repository that are the crate, not the demo workspace.
const NOT_THE_DEMO: [&str; 5] = ["src/", "tests/", "benches/", "examples/", "target/"];

/// A temporary folder holding the demo workspace as git tracks it.
pub fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_demo_into(dir.path());
    dir
}

/// Copies the demo workspace's tracked files (as they are in the working tree) into `to`.
pub fn copy_demo_into(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rel in tracked_files(root) {
        let from = root.join(&rel);
        // A tracked file deleted in the working tree is simply not part of the demo now.
        if !from.is_file() {
            continue;
        }
        let target = to.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create a folder of the copy");
        }
        std::fs::copy(&from, &target)
            .unwrap_or_else(|e| panic!("cannot copy '{}': {e}", from.display()));
    }
}

/// The demo's files relative to the repository root: what `git ls-files` lists outside the
/// crate's own folders.
fn tracked_files(root: &Path) -> Vec<PathBuf> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output()
        .expect("git runs (the tests copy the demo workspace's tracked files with git ls-files)");
    assert!(
        out.status.success(),
        "git ls-files failed in '{}': {}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .filter(|name| !NOT_THE_DEMO.iter().any(|dir| name.starts_with(dir)))
        .map(PathBuf::from)
        .collect()
}
