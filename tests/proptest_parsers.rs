//! Property tests: arbitrary bytes and random mutations of every real fixture go through format
//! detection and every parser. None may panic or hang; each either parses or reports an error.

use anbao::inventory::parse_bytes;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Longer than any fixture takes to parse in a debug build, short enough to call a hang a hang.
const HANG: Duration = Duration::from_secs(20);

/// Parses on a worker thread so that a hang fails the test instead of stalling it.
fn parse_bounded(name: &str, bytes: Vec<u8>) {
    let (tx, rx) = mpsc::channel();
    let label = name.to_string();
    std::thread::spawn(move || {
        let result =
            std::panic::catch_unwind(|| parse_bytes(Path::new(&label), &bytes).map(|_| ()));
        let _ = tx.send(result.is_ok());
    });
    match rx.recv_timeout(HANG) {
        Ok(true) => {}
        Ok(false) => panic!("parser panicked on a variant of {name}"),
        Err(_) => panic!("parser hung (over {HANG:?}) on a variant of {name}"),
    }
}

/// Every fixture file (good and bad) under tests/fixtures, smallest first.
fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_none_or(|x| x != "md") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut paths,
    );
    let mut files: Vec<_> = paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read(&p).ok()?)))
        .collect();
    files.sort_by_key(|(_, b)| b.len());
    files
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { at: usize },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Duplicate { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to the grammars more often than chance would pick them.
    let interesting = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"{}[]<>\"':,=\n\r\t\\&;#/!?-0 \xff\xe4".to_vec()),
    ];
    prop_oneof![
        (any::<usize>(), interesting).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match m {
        Mutation::Flip { at, byte } => bytes[at % n] = *byte,
        Mutation::Truncate { at } => bytes.truncate(at % n),
        Mutation::Delete { at, len } => {
            let start = at % n;
            bytes.drain(start..(start + len).min(n));
        }
        Mutation::Insert { at, bytes: new } => {
            let at = at % n;
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Duplicate { at, len } => {
            let start = at % n;
            let piece = bytes[start..(start + len).min(n)].to_vec();
            bytes.splice(start..start, piece);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_bounded("arbitrary", bytes);
    }

    #[test]
    fn arbitrary_text_after_each_format_header_never_panics(
        header in prop::sample::select(vec![
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",",
            "<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">",
            "{\"spdxVersion\":\"SPDX-2.3\",",
            "SPDXVersion: SPDX-2.3\n",
            "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[",
            "version = 3\n[[package]]\nname = \"a\"\n",
            "[[device]]\nname = \"x\"\n",
            "设备名称,厂商,型号\n",
        ]),
        tail in ".{0,400}",
    ) {
        parse_bounded("header", format!("{header}{tail}").into_bytes());
    }
}

/// Mutations of every real fixture: a deterministic number per file, so the run time stays
/// bounded however many fixtures are added.
#[test]
fn mutated_fixtures_never_panic() {
    use proptest::test_runner::{Config, TestRunner};
    for (path, original) in fixtures() {
        // Big files get fewer variants: each costs a full parse.
        let cases = if original.len() > 500_000 { 8 } else { 48 };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let name = path.display().to_string();
        runner
            .run(&prop::collection::vec(mutation(), 1..6), |ms| {
                let mut bytes = original.clone();
                for m in &ms {
                    apply(&mut bytes, m);
                }
                parse_bounded(&name, bytes);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
