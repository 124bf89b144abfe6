//! Every input goes through one bounded reader: devices are refused for what they are, a
//! stream (a FIFO) is read up to the size limit and no further, a file too large is named,
//! evidence is hashed before the ledger is locked, and malformed text is located.
//!
//! Each run here is confined (2 GiB of address space, 2 GiB per written file, killed after a
//! while), so a regression that reads `/dev/zero` for ever fails the test instead of
//! exhausting the machine.

mod common;

use common::Anbao;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit code (`None` when it had to be killed), stderr and how long it took.
fn confined(env: &Anbao, args: &[&str], limit: Duration) -> (Option<i32>, String, Duration) {
    confined_reading(env, args, Stdio::inherit(), limit)
}

/// [`confined`], with standard input from `stdin`.
fn confined_reading(
    env: &Anbao,
    args: &[&str],
    stdin: Stdio,
    limit: Duration,
) -> (Option<i32>, String, Duration) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 2097152; ulimit -f 4194304; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_anbao"));
    let inner = env.command(args);
    cmd.args(inner.get_args());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let child = cmd
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child, limit)
}

/// Waits for `child` at most `limit`, then kills it: its exit code (`None` when killed),
/// stderr and how long it took.
fn finish(mut child: std::process::Child, limit: Duration) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    (code, err, start.elapsed())
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// A FIFO whose writer sends `chunk` over and over until the reader goes away (or `max`
/// bytes are written).
fn endless_fifo(dir: &Path, chunk: &'static [u8], max: u64) -> PathBuf {
    let fifo = dir.join("stream.cdx.json");
    mkfifo(&fifo);
    let path = fifo.clone();
    std::thread::spawn(move || {
        let Ok(mut f) = std::fs::File::options().write(true).open(&path) else {
            return;
        };
        let mut sent = 0u64;
        while sent < max && f.write_all(chunk).is_ok() {
            sent += chunk.len() as u64;
        }
    });
    fifo
}

#[test]
fn dev_zero_as_an_inventory_to_validate_or_as_evidence_ends_at_once() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    for args in [
        vec!["inventory", "list", "/dev/zero"],
        vec!["inventory", "validate", "/dev/zero"],
        vec![
            "ledger",
            "append",
            "--kind",
            "note",
            "--body",
            "{}",
            "--evidence",
            "/dev/zero",
            "--key",
            s(&key),
        ],
        vec!["ledger", "verify", "--archive", "/dev/zero"],
        vec!["ledger", "verify", "--trust", "/dev/zero"],
    ] {
        let (code, err, took) = confined(&env, &args, Duration::from_secs(30));
        assert_eq!(code, Some(2), "{args:?} after {took:?}: {err}");
        assert!(took < Duration::from_secs(10), "{args:?} took {took:?}");
        assert!(err.contains("/dev/zero"), "{args:?}: {err}");
        assert!(err.contains("character device"), "{args:?}: {err}");
    }
    let evidence = env.path("evidence");
    let stored = walk(&evidence);
    assert!(stored.is_empty(), "nothing went into evidence/: {stored:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn a_stream_is_read_up_to_the_limit_and_named_when_it_is_larger() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["list", "validate"] {
        let fifo = endless_fifo(dir.path(), &[b' '; 1 << 16], 1 << 31);
        let small = env.path("inventories/hardware.csv");
        let args = ["inventory", cmd, s(&small), s(&fifo)];
        let (code, err, took) = confined(&env, &args, Duration::from_secs(60));
        assert_eq!(code, Some(2), "{cmd} after {took:?}: {err}");
        assert!(err.contains(s(&fifo)), "{cmd}: the stream is named: {err}");
        assert!(
            !err.contains("hardware.csv"),
            "{cmd}: only the stream: {err}"
        );
        assert!(err.contains("512 MiB"), "{cmd}: the limit is named: {err}");
        std::fs::remove_file(&fifo).unwrap();
    }
}

#[test]
fn a_file_larger_than_the_limit_is_named_before_anything_is_read() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("recording.bin");
    // Sparse: no disk space is used, and a reader that honours the limit never reads it.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(600 << 20)
        .unwrap();
    for args in [
        vec!["inventory", "list", s(&big)],
        vec![
            "ledger",
            "append",
            "--kind",
            "note",
            "--body",
            "{}",
            "--evidence",
            s(&big),
            "--key",
            s(&key),
        ],
    ] {
        let (code, err, took) = confined(&env, &args, Duration::from_secs(60));
        assert_eq!(code, Some(2), "{args:?} after {took:?}: {err}");
        assert!(err.contains(s(&big)), "{args:?}: {err}");
        assert!(err.contains("512 MiB"), "{args:?}: {err}");
    }
    assert!(walk(&env.path("evidence")).is_empty());
}

#[test]
fn a_fifo_with_an_inventory_in_it_is_read() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("piped.cdx.json");
    mkfifo(&fifo);
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cyclonedx/SBOM_laravel-7.12.0-bom.1.4.json");
    let path = fifo.clone();
    std::thread::spawn(move || {
        let bytes = std::fs::read(source).unwrap();
        let mut f = std::fs::File::options().write(true).open(&path).unwrap();
        f.write_all(&bytes).unwrap();
    });
    let out = env.ok(&["inventory", "stats", "--format", "json", s(&fifo)]);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(stats["components"].as_u64().unwrap() > 50, "{stats}");
}

#[test]
fn links_in_a_loop_and_special_files_are_called_what_they_are() {
    let env = Anbao::demo();
    let inv = env.path("inventories");
    std::os::unix::fs::symlink(inv.join("ring-b"), inv.join("ring-a")).unwrap();
    std::os::unix::fs::symlink(inv.join("ring-a"), inv.join("ring-b")).unwrap();
    let socket = std::os::unix::net::UnixListener::bind(inv.join("sock0")).unwrap();
    for (file, says) in [
        ("ring-a", "symbolic link loop"),
        ("sock0", "is a socket"),
        ("/dev/null", "is a character device"),
        ("missing.json", "does not exist"),
    ] {
        let path = inv.join(file);
        let err = env.fails(&["inventory", "list", s(&path)]);
        assert!(err.contains(s(&path)), "{file}: {err}");
        assert!(err.contains(says), "{file}: '{says}' expected in: {err}");
        // Named in anbao.toml, the same.
        let manifest = std::fs::read_to_string(env.path("anbao.toml")).unwrap();
        let named = manifest.replace(
            "paths = [\"inventories\"]",
            &format!("paths = [\"inventories/hardware.csv\", {:?}]", s(&path)),
        );
        std::fs::write(env.path("anbao.toml"), named).unwrap();
        let err = env.fails(&["inventory", "list"]);
        assert!(
            err.contains(says),
            "{file} in anbao.toml: '{says}' expected in: {err}"
        );
        std::fs::write(env.path("anbao.toml"), manifest).unwrap();
    }
    drop(socket);
}

#[test]
fn evidence_is_hashed_before_the_ledger_is_locked() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("slow-recording.txt");
    mkfifo(&fifo);
    let (opened_tx, opened) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::File::options().write(true).open(&path).unwrap();
        f.write_all(b"first half of the recording\n").unwrap();
        opened_tx.send(()).unwrap();
        // The evidence keeps coming until the test says so.
        let _ = released.recv_timeout(Duration::from_secs(60));
        f.write_all(b"second half\n").unwrap();
    });
    let mut slow = env
        .command(&[
            "ledger",
            "append",
            "--kind",
            "note",
            "--body",
            "{\"n\":1}",
            "--evidence",
            s(&fifo),
            "--key",
            s(&key),
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    opened
        .recv_timeout(Duration::from_secs(30))
        .expect("the slow append opened its evidence");
    std::thread::sleep(Duration::from_millis(300));
    // Another writer is not kept waiting while the first one is still reading its evidence.
    let (code, err, took) = confined(
        &env,
        &[
            "ledger",
            "append",
            "--kind",
            "note",
            "--body",
            "{\"n\":2}",
            "--key",
            s(&key),
        ],
        Duration::from_secs(15),
    );
    release.send(()).unwrap();
    writer.join().unwrap();
    assert!(slow.wait().unwrap().success());
    assert_eq!(code, Some(0), "the second append waited {took:?}: {err}");
    let list = env.ok(&["ledger", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let notes = list["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "note")
        .count();
    assert_eq!(notes, 2, "{list}");
}

#[test]
fn a_utf8_error_in_anbao_toml_names_line_and_column() {
    let env = Anbao::demo();
    let mut bytes = std::fs::read(env.path("anbao.toml")).unwrap();
    let at = bytes.windows(7).position(|w| w == b"name = ").unwrap();
    // Insert a byte that is never UTF-8 right after `name = "`.
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    bytes.insert(at + 8, 0xFF);
    std::fs::write(env.path("anbao.toml"), &bytes).unwrap();
    let err = env.fails(&["check"]);
    let place = format!("anbao.toml:{line}:9:");
    assert!(err.contains(&place), "'{place}' expected in: {err}");
    assert!(err.contains("UTF-8"), "{err}");
}

#[test]
fn a_header_of_a_million_columns_is_quoted_as_a_short_excerpt() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    let mut header = String::new();
    for i in 0..1_000_000 {
        header.push_str(&format!("column{i},"));
    }
    header.push_str("last\nx,y\n");
    std::fs::write(&csv, header).unwrap();
    let err = env.fails(&["inventory", "list", s(&csv)]);
    assert!(err.contains(s(&csv)), "{err}");
    assert!(
        err.contains("column0"),
        "the excerpt starts the header: {err}"
    );
    assert!(err.len() < 2000, "{} bytes of error", err.len());
}

/// A CycloneDX JSON document whose components nest `depth` levels deep.
fn nested_bom(depth: usize) -> String {
    let mut s =
        String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":["#);
    for i in 0..depth {
        s.push_str(&format!(
            r#"{{"type":"library","bom-ref":"c{i}","name":"part-{i}","version":"1","components":["#
        ));
    }
    for _ in 0..depth {
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}

#[test]
fn components_nested_deeper_than_serde_json_allows_load() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.cdx.json");
    std::fs::write(&file, nested_bom(511)).unwrap();
    let out = env.ok(&["inventory", "stats", "--format", "json", s(&file)]);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["components"], 511, "{stats}");
    let (code, out, err) = env.run(&["inventory", "validate", "--format", "json", s(&file)]);
    assert_eq!(code, 0, "valid against its schema too: {out}{err}");
}

#[test]
fn components_nested_absurdly_deep_get_a_message_with_the_limit() {
    let env = Anbao::demo();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("abyss.cdx.json");
    std::fs::write(&file, nested_bom(100_000)).unwrap();
    for cmd in ["list", "validate"] {
        let (code, err, _) = confined(&env, &["inventory", cmd, s(&file)], Duration::from_secs(60));
        assert_eq!(code, Some(2), "{cmd}: {err}");
        assert!(err.contains(s(&file)), "{cmd}: {err}");
        assert!(err.contains("nested deeper than"), "{cmd}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{err}"
        );
    }
}

#[test]
fn a_ledger_that_is_not_a_regular_file_is_refused_for_what_it_is() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    let ledger = env.path("records/ledger.jsonl");
    // The key's enrolment started a ledger; it is put aside for what is planted in its place.
    std::fs::rename(&ledger, env.path("records/enrolled.jsonl")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("planted.jsonl");
    let append = [
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        "{}",
        "--key",
        s(&key),
    ];
    for (plant, says) in [
        ("fifo", "FIFO"),
        ("zero", "character device"),
        ("dangling", "does not exist"),
    ] {
        match plant {
            "fifo" => mkfifo(&ledger),
            "zero" => std::os::unix::fs::symlink("/dev/zero", &ledger).unwrap(),
            _ => std::os::unix::fs::symlink(&target, &ledger).unwrap(),
        }
        for args in [&["ledger", "verify"][..], &["ledger", "list"], &append] {
            let (code, err, took) = confined(&env, args, Duration::from_secs(20));
            assert_eq!(code, Some(2), "{plant} {args:?} after {took:?}: {err}");
            assert!(
                err.contains("ledger.jsonl") && err.contains(says),
                "{plant}: {err}"
            );
        }
        assert!(
            !target.exists(),
            "no ledger was created where the link points"
        );
        std::fs::remove_file(&ledger).unwrap();
    }
}

#[test]
fn evidence_replaced_by_a_device_or_a_larger_file_is_reported_without_reading_it_all() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.jpg");
    let other = dir.path().join("other.jpg");
    std::fs::write(&photo, b"a photo").unwrap();
    std::fs::write(&other, b"a second photo").unwrap();
    for file in [&photo, &other] {
        env.ok(&[
            "ledger",
            "append",
            "--kind",
            "note",
            "--body",
            "{}",
            "--evidence",
            s(file),
            "--key",
            s(&key),
        ]);
    }
    let stored = walk(&env.path("evidence"));
    assert_eq!(stored.len(), 2);
    let sizes: Vec<u64> = stored
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .collect();
    let (short, long) = if sizes[0] < sizes[1] { (0, 1) } else { (1, 0) };
    std::fs::remove_file(&stored[short]).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &stored[short]).unwrap();
    // Sparse: a verifier that trusted neither the record's size nor a limit would read it all.
    std::fs::File::options()
        .write(true)
        .open(&stored[long])
        .unwrap()
        .set_len(40 << 30)
        .unwrap();
    let (code, err, took) = confined(&env, &["ledger", "verify"], Duration::from_secs(30));
    assert_eq!(code, Some(1), "after {took:?}: {err}");
    let (_, out, _) = env.run(&["ledger", "verify"]);
    assert!(out.contains("character device"), "{out}");
    assert!(out.contains("42949672960 bytes, not 14"), "{out}");
}

#[test]
fn a_record_body_from_endless_standard_input_stops_at_the_limit() {
    let env = Anbao::demo();
    let key = env.key("implementing");
    let args = [
        "ledger",
        "append",
        "--kind",
        "note",
        "--body-file",
        "-",
        "--key",
        s(&key),
    ];
    let zero = Stdio::from(std::fs::File::open("/dev/zero").unwrap());
    let (code, err, took) = confined_reading(&env, &args, zero, Duration::from_secs(20));
    assert_eq!(code, Some(2), "after {took:?}: {err}");
    assert!(
        err.contains("standard input") && err.contains("16 MiB"),
        "{err}"
    );
}
