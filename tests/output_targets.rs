//! Where `-o/--output FILE` may write, for every command that writes a file: a regular file is
//! replaced whole (temp file and rename); a character device or a FIFO is written into and stays
//! what it is; `-` is standard output; a symbolic link is followed to a regular file, a device or
//! a FIFO and refused when it leads nowhere or to anything else; a directory is an error.
//!
//! Replacing `/dev/null` by a regular file needs root. Run as root, each device test first
//! writes into a private device node made with mknod (the same device): only when that node is
//! still a device afterwards does it touch the real one, so a regression fails the test without
//! breaking the machine. Run as any other user, the real devices cannot be replaced, and the
//! tests use them directly.

mod common;

use common::Anbao;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

const AS_OF: &str = "2026-11-28";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn is_char_device(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

/// Runs `test` on the system device `system` (major 1, `minor`) safely: as root, first on a
/// private node of the same device in `dir`, then on the system one only if the private node
/// survived; as another user, on the system device (which that user cannot replace).
fn on_device(dir: &Path, system: &str, minor: u32, test: impl Fn(&Path)) {
    if is_root() {
        let private = dir.join(format!("private-{minor}"));
        let made = Command::new("mknod")
            .arg(&private)
            .args(["c", "1", &minor.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("skipped: running as root without mknod, so '{system}' is not risked");
            return;
        }
        test(&private);
        assert!(
            is_char_device(&private),
            "the private copy of {system} was replaced"
        );
    }
    test(Path::new(system));
    assert!(is_char_device(Path::new(system)), "{system} was replaced");
}

/// A FIFO with a reader thread; the receiver gets everything written into it.
fn fifo_with_reader(dir: &Path) -> (PathBuf, mpsc::Receiver<Vec<u8>>) {
    let fifo = dir.join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read(&path).unwrap_or_default());
    });
    (fifo, rx)
}

fn check_json(env: &Anbao, target: &str) -> (i32, String, String) {
    env.run(&["check", "--as-of", AS_OF, "--format", "json", "-o", target])
}

#[test]
fn check_writes_into_dev_null_which_stays_a_character_device() {
    let env = Anbao::demo();
    on_device(env.ws.path(), "/dev/null", 3, |dev| {
        let (code, out, err) = check_json(&env, s(dev));
        assert_eq!(
            code, 1,
            "the demo fails the check\nstdout: {out}\nstderr: {err}"
        );
        assert!(out.is_empty(), "{out}");
    });
}

#[test]
fn a_full_device_is_an_error_and_stays_a_device() {
    let env = Anbao::demo();
    on_device(env.ws.path(), "/dev/full", 7, |dev| {
        let (code, _, err) = check_json(&env, s(dev));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(s(dev)), "the error names the output: {err}");
    });
}

#[test]
fn check_writes_into_a_fifo_with_a_reader() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let (fifo, got) = fifo_with_reader(dir.path());
    let (code, _, err) = check_json(&env, s(&fifo));
    assert_eq!(code, 1, "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
    let bytes = got
        .recv_timeout(Duration::from_secs(30))
        .expect("the reader got the report");
    let report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(report["schema"], "anbao.check/2");
}

#[test]
fn a_link_to_a_regular_file_is_followed_and_stays_a_link() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("reports/report.json");
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("reports/report.json", &link).unwrap();
    let (code, _, err) = check_json(&env, s(&link));
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(report["schema"], "anbao.check/2");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["report.json"],
        "no temp file is left beside the target"
    );
}

#[test]
fn links_to_nothing_to_a_folder_or_in_a_loop_are_refused() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink(d.join("nowhere/new.json"), d.join("dangling")).unwrap();
    std::os::unix::fs::symlink(d.join("missing.json"), d.join("to-missing")).unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    std::os::unix::fs::symlink(d.join("folder"), d.join("to-folder")).unwrap();
    std::os::unix::fs::symlink(d.join("ring-b"), d.join("ring-a")).unwrap();
    std::os::unix::fs::symlink(d.join("ring-a"), d.join("ring-b")).unwrap();
    let socket = std::os::unix::net::UnixListener::bind(d.join("sock0")).unwrap();
    std::os::unix::fs::symlink(d.join("sock0"), d.join("to-sock")).unwrap();
    for (name, says) in [
        ("dangling", "does not exist"),
        ("to-missing", "does not exist"),
        ("to-folder", "is a directory"),
        ("ring-a", "symbolic link loop"),
        ("to-sock", "is a socket"),
    ] {
        let link = d.join(name);
        let (code, _, err) = check_json(&env, s(&link));
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains(s(&link)),
            "{name}: the error names the link: {err}"
        );
        assert!(err.contains(says), "{name}: '{says}' expected in: {err}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name}: the link was replaced"
        );
    }
    assert!(
        !d.join("missing.json").exists(),
        "nothing is created through a link"
    );
    assert!(!d.join("nowhere").exists());
    assert_eq!(std::fs::read_dir(d.join("folder")).unwrap().count(), 0);
    drop(socket);
}

#[test]
fn a_folder_is_an_error_and_dash_is_standard_output() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let err = env.fails(&["check", "--format", "json", "-o", s(dir.path())]);
    assert!(err.contains("is a directory"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let out = env
        .command(&["check", "--as-of", AS_OF, "--format", "json", "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schema"], "anbao.check/2");
    assert!(!dir.path().join("-").exists(), "no file named '-' is made");
}

#[test]
fn a_leftover_temp_file_of_a_killed_writer_is_cleaned_on_the_next_write() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".tmp-anbao-Ab12Cd");
    let fresh = dir.path().join(".tmp-anbao-Ef34Gh");
    let foreign = dir.path().join(".tmpXy56Zw");
    for p in [&stale, &fresh, &foreign] {
        std::fs::write(p, "{\"schema\":\"anbao.acce").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for p in [&stale, &foreign] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let (code, _, err) = check_json(&env, s(&dir.path().join("report.json")));
    assert_eq!(code, 1, "{err}");
    assert!(!stale.exists(), "the killed writer's temp file is gone");
    assert!(fresh.exists(), "a temp file that may be in use is kept");
    assert!(
        foreign.exists(),
        "another program's temp file is not anbao's to remove"
    );
}

/// A workspace where every command that writes a file has something to write: a session, a
/// ledger with a record and a checkpoint, a drill plan.
fn busy_workspace() -> (Anbao, PathBuf) {
    let env = Anbao::demo();
    let key = env.key("implementing");
    env.ok(&["assess", "new", "level3-joint", "--id", "s1"]);
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        "{\"text\":\"one\"}",
        "--key",
        s(&key),
    ]);
    env.ok(&["ledger", "checkpoint", "--key", s(&key)]);
    (env, key)
}

/// Every command with an output file, given that file.
fn writers(key: &Path, output: &str) -> Vec<Vec<String>> {
    let cmds: [&[&str]; 6] = [
        &["check", "--as-of", AS_OF, "--format", "json", "-o"],
        &["assess", "report", "s1", "--format", "markdown", "-o"],
        &[
            "drill", "report", "--as-of", AS_OF, "--format", "json", "-o",
        ],
        &["ledger", "prove", "--inclusion", "0", "-o"],
        &["ledger", "export", "-o"],
        &["ledger", "sign", "0", "--key", s(key), "--output"],
    ];
    cmds.iter()
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|a| a.to_string()).collect();
            v.push(output.to_string());
            v
        })
        .collect()
}

fn run_writer(env: &Anbao, args: &[String]) -> (i32, Vec<u8>, String) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.command(&args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_that_writes_a_file_follows_the_same_rules() {
    let (env, key) = busy_workspace();
    let dir = tempfile::tempdir().unwrap();
    // A device is written into.
    on_device(dir.path(), "/dev/null", 3, |dev| {
        for args in writers(&key, s(dev)) {
            let (code, _, err) = run_writer(&env, &args);
            assert!(code == 0 || code == 1, "{args:?}: {err}");
        }
    });
    for args in writers(&key, "-") {
        let (code, out, err) = run_writer(&env, &args);
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        assert!(
            out.len() > 100,
            "{args:?}: the document is on standard output"
        );
    }
    for (i, args) in writers(&key, "").into_iter().enumerate() {
        // A folder is an error, a link to a regular file is followed, a dangling one refused.
        let mut to_folder = args.clone();
        *to_folder.last_mut().unwrap() = s(dir.path()).to_string();
        let (code, _, err) = run_writer(&env, &to_folder);
        assert_eq!(code, 2, "{to_folder:?}: {err}");
        assert!(err.contains("is a directory"), "{to_folder:?}: {err}");

        let target = dir.path().join(format!("target-{i}"));
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join(format!("link-{i}"));
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut via_link = args.clone();
        *via_link.last_mut().unwrap() = s(&link).to_string();
        let (code, _, err) = run_writer(&env, &via_link);
        assert!(code == 0 || code == 1, "{via_link:?}: {err}");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(
            std::fs::metadata(&target).unwrap().len() > 100,
            "{via_link:?}"
        );

        let dangling = dir.path().join(format!("dangling-{i}"));
        std::os::unix::fs::symlink(dir.path().join(format!("absent-{i}")), &dangling).unwrap();
        let mut via_dangling = args.clone();
        *via_dangling.last_mut().unwrap() = s(&dangling).to_string();
        let (code, _, err) = run_writer(&env, &via_dangling);
        assert_eq!(code, 2, "{via_dangling:?}: {err}");
        assert!(!dir.path().join(format!("absent-{i}")).exists());
    }
}
