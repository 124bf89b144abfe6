//! Ledger benchmark at the scale the issue names: 100,000 records of about 1 KB in each crypto
//! profile. Reports append rates (fsync per record, and a batch under one lock) and `verify`
//! split into parsing, hashing plus Merkle (against plain SHA-256 of the same bytes, measured
//! in the same run) and signatures (spread over all cores).
//!
//! `cargo bench --bench ledger` (ANBAO_BENCH_RECORDS / ANBAO_BENCH_FSYNC change the sizes,
//! ANBAO_BENCH_PROFILE=intl|gm runs one profile).

use anbao::ledger::enrol::{proof_of_possession, KeyDescriptor};
use anbao::ledger::keys::SigningKey;
use anbao::ledger::merkle::Frontier;
use anbao::ledger::verify::{verify_bytes, Inputs};
use anbao::ledger::{record, HashAlg, Ledger, NewRecord, SigAlg};
use anbao::workspace::CryptoProfile;
use serde_json::json;
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(t.elapsed());
    }
    (median(times), last.unwrap())
}

fn body(i: usize) -> serde_json::Value {
    json!({
        "drill": format!("XZZW-2026-001/应急演练/{i}"),
        "step": (i % 12).to_string(),
        "participants": ["implementing", "construction", "supervision"],
        "observation": "演练按预案启动，值班人员在规定时间内完成研判、上报与处置；发现问题已记录并明确整改责任人与期限。".repeat(3),
        "result": "pass",
    })
}

fn per_sec(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn run(profile: CryptoProfile, records: usize, fsync_records: usize) {
    let name = match profile {
        CryptoProfile::Intl => "intl (SHA-256 + Ed25519)",
        CryptoProfile::Gm => "gm (SM3 + SM2)",
    };
    println!(
        "\n== profile {name}, {} cores ==",
        rayon::current_num_threads()
    );
    let ws = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let alg = SigAlg::for_profile(profile);
    let mut key = SigningKey::generate(alg, "implementing").unwrap();
    key.save(&home.path().join("k.key"), "2026-01-01T00:00:00+08:00")
        .unwrap();
    // Each ledger is founded by the key, which then signs everything.
    let found = |ledger: &Ledger| {
        let descriptor = KeyDescriptor::new(&key.public(), "implementing", None);
        let proof = proof_of_possession(&key, &descriptor).unwrap();
        ledger.enrol(&descriptor, &proof, &key).unwrap();
    };
    // Appends, each one locked, written and fsynced before it returns (a ledger of its own).
    let fsync_ws = tempfile::tempdir().unwrap();
    let fsync_ledger = Ledger::at(fsync_ws.path(), profile, "XZZW-2026-001");
    found(&fsync_ledger);
    let mut latencies = Vec::with_capacity(fsync_records);
    let t = Instant::now();
    for i in 0..fsync_records {
        let s = Instant::now();
        fsync_ledger
            .append(NewRecord::new("drill.run", body(i)), &[&key])
            .unwrap();
        latencies.push(s.elapsed());
    }
    let total = t.elapsed();
    let med = median(latencies);
    println!(
        "append, fsync per record:   {fsync_records} records in {} = {:.0} records/s (median {:.2} ms each)",
        ms(total),
        per_sec(fsync_records, total),
        med.as_secs_f64() * 1e3,
    );
    drop(fsync_ws);

    // The whole ledger in one batch under one lock, synced once at the end.
    let ledger = Ledger::at(ws.path(), profile, "XZZW-2026-001");
    found(&ledger);
    let t = Instant::now();
    let mut appender = ledger.appender().unwrap();
    for i in 0..records {
        appender
            .append(NewRecord::new("drill.run", body(i)), &[&key])
            .unwrap();
    }
    appender.commit().unwrap();
    let total = t.elapsed();
    println!(
        "append, batched, one lock:  {records} records in {} = {:.0} records/s",
        ms(total),
        per_sec(records, total)
    );
    ledger.checkpoint(&[&key]).unwrap();

    let bytes = std::fs::read(ledger.path()).unwrap();
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    println!(
        "ledger: {lines} records, {:.1} MB, {:.0} bytes per record",
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / lines as f64
    );

    // Baselines: one thread hashing the same bytes.
    let (sha, _) = time(5, || HashAlg::Sha256.hash(&[&bytes]));
    let (sm3, _) = time(5, || HashAlg::Sm3.hash(&[&bytes]));
    let tree_alg = ledger.hash_alg();

    // Hashing + Merkle on one thread, as an auditor's simple verifier would do it.
    let (single, root) = time(5, || {
        let mut f = Frontier::new(tree_alg);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &bytes) {
            let line = &bytes[start..end];
            start = end + 1;
            let parts = record::split_line(line).unwrap();
            f.push(record::leaf_hash_of(tree_alg, line, &parts));
        }
        f.root()
    });

    // The whole verify, phases timed inside; median of three runs.
    let key_files = ledger.key_files().unwrap();
    let checkpoints = ledger.checkpoints().unwrap();
    let anchors = anbao::ledger::Anchors::default();
    let inputs = Inputs {
        bytes: &bytes,
        key_files: &key_files,
        checkpoints: &checkpoints,
        anchors: &anchors,
        private_keys: &[],
    };
    let mut reports = Vec::new();
    let (whole, _) = time(3, || {
        let r = verify_bytes(&ledger, &inputs);
        assert!(r.is_clean(), "{:?}", r.first_bad);
        reports.push(r.timings);
    });
    let pick = |f: fn(&anbao::ledger::verify::Timings) -> Duration| {
        median(reports.iter().map(f).collect())
    };
    let (parse, hm, sigs, checks) = (
        pick(|t| t.parse),
        pick(|t| t.hash_merkle),
        pick(|t| t.signatures),
        pick(|t| t.checks),
    );
    let report = verify_bytes(&ledger, &inputs);
    assert_eq!(report.trees[0].root, root);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one_sig = one.install(|| verify_bytes(&ledger, &inputs).timings.signatures);

    println!("baseline SHA-256 of the file (1 thread):  {}", ms(sha));
    println!("baseline SM3 of the file (1 thread):      {}", ms(sm3));
    println!(
        "hashing + Merkle ({tree_alg}), 1 thread:     {}  = {:.2}x SHA-256{}",
        ms(single),
        single.as_secs_f64() / sha.as_secs_f64(),
        if tree_alg == HashAlg::Sm3 {
            format!(", {:.2}x SM3", single.as_secs_f64() / sm3.as_secs_f64())
        } else {
            String::new()
        }
    );
    println!(
        "hashing + Merkle ({tree_alg}), in verify:    {}  = {:.2}x SHA-256{}  (target <= 2x SHA-256)",
        ms(hm),
        hm.as_secs_f64() / sha.as_secs_f64(),
        if tree_alg == HashAlg::Sm3 {
            format!(", {:.2}x SM3", hm.as_secs_f64() / sm3.as_secs_f64())
        } else {
            String::new()
        }
    );
    println!(
        "signatures ({} checked), all cores:      {}  = {:.0} /s; 1 core {} (speed-up {:.2}x)",
        report.signatures_checked,
        ms(sigs),
        per_sec(report.signatures_checked as usize, sigs),
        ms(one_sig),
        one_sig.as_secs_f64() / sigs.as_secs_f64()
    );
    println!("parsing + canonical check, all cores:    {}", ms(parse));
    println!("sequence, references, checkpoints:       {}", ms(checks));
    println!("verify in all (median of 3):             {}", ms(whole));
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; keep that run tiny.
    let quick = !std::env::args().any(|a| a == "--bench");
    let records = env_usize("ANBAO_BENCH_RECORDS", if quick { 300 } else { 100_000 });
    let fsync = env_usize("ANBAO_BENCH_FSYNC", if quick { 50 } else { 100_000 });
    let only = std::env::var("ANBAO_BENCH_PROFILE").unwrap_or_default();
    for (name, profile) in [("intl", CryptoProfile::Intl), ("gm", CryptoProfile::Gm)] {
        if only.is_empty() || only == name {
            run(profile, records, fsync);
        }
    }
}
