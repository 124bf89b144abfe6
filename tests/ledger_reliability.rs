//! Reliability of appends across processes: two writers at once, and writers killed at random
//! points. The writers are this test binary itself, re-run in "child" mode.

mod common;

use anbao::ledger::keys::SigningKey;
use anbao::ledger::{NewRecord, SigAlg, Tail};
use common::*;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const WS: &str = "ANBAO_TEST_CHILD_WS";
const KEY: &str = "ANBAO_TEST_CHILD_KEY";
const COUNT: &str = "ANBAO_TEST_CHILD_COUNT";
const TAG: &str = "ANBAO_TEST_CHILD_TAG";

/// Not a test on its own: when run with the variables above it appends records, printing
/// `ACK SEQ` once each append has returned (and so was reported as written).
#[test]
fn child_appender() {
    let Ok(ws) = std::env::var(WS) else { return };
    let key = SigningKey::load(Path::new(&std::env::var(KEY).unwrap())).unwrap();
    let count: u64 = std::env::var(COUNT).unwrap().parse().unwrap();
    let tag = std::env::var(TAG).unwrap();
    let l = ledger(Path::new(&ws));
    let mut out = std::io::stdout();
    let mut i = 0u64;
    while count == 0 || i < count {
        let body = json!({"writer": tag, "i": i.to_string(), "pad": "记录".repeat(150)});
        let r = l
            .append(NewRecord::new("drill.run", body), &[&key])
            .unwrap();
        writeln!(out, "ACK {}", r.seq()).unwrap();
        out.flush().unwrap();
        i += 1;
    }
}

fn child(ws: &Path, key: &SigningKey, count: u64, tag: &str) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "child_appender",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(WS, ws)
    .env(KEY, &key.path)
    .env(COUNT, count.to_string())
    .env(TAG, tag);
    c
}

#[test]
fn two_processes_appending_500_each_end_with_1000_and_a_valid_ledger() {
    let ws = workspace("intl");
    let home = tempfile::tempdir().unwrap();
    let key = key(ws.path(), home.path(), "implementing", SigAlg::Ed25519);
    let mut a = child(ws.path(), &key, 500, "a")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut b = child(ws.path(), &key, 500, "b")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let l = ledger(ws.path());
    let report = l.verify().unwrap();
    assert!(report.is_clean(), "{:?}", report.first_bad);
    assert_eq!(
        report.records, 1001,
        "the key's enrolment and the 1000 appended"
    );
    let (records, tail) = l.records().unwrap();
    assert_eq!(tail, Tail::Complete);
    for w in ["a", "b"] {
        let n = records
            .iter()
            .flatten()
            .filter(|r| r.entry.body["writer"] == w)
            .count();
        assert_eq!(n, 500, "writer {w}");
    }
}

/// A tiny deterministic generator, so the kill points vary but a failure can be replayed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn a_writer_killed_at_random_points_never_loses_an_acknowledged_record() {
    let ws = workspace("gm");
    let home = tempfile::tempdir().unwrap();
    let key = key(ws.path(), home.path(), "construction", SigAlg::Sm2);
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill-point seed {seed}");
    let mut acked: Vec<(u64, String)> = Vec::new();
    for round in 0..5 {
        let tag = format!("round{round}");
        let mut c = child(ws.path(), &key, 0, &tag)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = c.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ACK ").and_then(|s| s.parse::<u64>().ok()))
                .collect::<Vec<u64>>()
        });
        std::thread::sleep(std::time::Duration::from_millis(
            150 + next(&mut seed) % 600,
        ));
        c.kill().unwrap();
        c.wait().unwrap();
        let seqs = reader.join().unwrap();
        acked.extend(seqs.into_iter().map(|s| (s, tag.clone())));

        let l = ledger(ws.path());
        if let Tail::Torn { .. } = l.tail().unwrap() {
            // A kill cannot split one write(2), but should it happen, repair must cope.
            l.repair().unwrap();
        }
        let report = l.verify().unwrap();
        assert!(report.is_clean(), "round {round}: {:?}", report.first_bad);
        for (seq, tag) in &acked {
            let r = l.record(*seq).unwrap();
            assert_eq!(
                r.entry.body["writer"],
                tag.as_str(),
                "acknowledged record {seq} intact"
            );
        }
    }
    assert!(!acked.is_empty(), "the writers got to append something");
}
