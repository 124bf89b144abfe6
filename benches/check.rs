//! `anbao check` end to end at the scale issue 3 names — 50,000 components, a policy of more than
//! 50 rules and a 1,000-entry catalog — against loading the same inventory alone, measured in
//! the same run: `cargo bench --bench check`. Target: check ≤ 2 × load.
//!
//! `ANBAO_BENCH_COMPONENTS` picks the size, `ANBAO_BENCH_ITERS` the measured iterations
//! (default 7, after one warm-up); the two are interleaved so machine noise hits both. Neither
//! clock includes freeing what was built: the command leaves that to the operating system.

use anbao::acceptance;
use anbao::inventory;
use anbao::workspace::Workspace;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The binary's allocator (see `src/main.rs`), so the figures are those of `anbao check`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/workspace.rs"]
mod support;

use support::{env_usize, gen_sbom, workspace, CATALOG_ENTRIES};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let components = env_usize("ANBAO_BENCH_COMPONENTS", gen_sbom::DEFAULT_COMPONENTS);
    let iterations = env_usize("ANBAO_BENCH_ITERS", 7).max(1);
    let dir = tempfile::tempdir().unwrap();
    let rules = workspace(dir.path(), components);
    let sbom = dir.path().join("inventories/sbom.cdx.json");
    let size = std::fs::metadata(&sbom).unwrap().len();
    println!(
        "check benchmark: {components} components ({:.1} MiB JSON), {rules} classification rules, {CATALOG_ENTRIES} catalog entries, {iterations} iterations",
        size as f64 / (1024.0 * 1024.0)
    );

    // Both return what they built, to be freed outside the clock: `anbao check` leaves that to
    // the operating system at exit (see `src/cli/check.rs`), and the baseline is held to the same.
    let out = dir.path().join("report.json");
    let load = || black_box(inventory::load(&[&sbom]).unwrap());
    let check = || {
        let ws = Workspace::open(dir.path()).unwrap();
        let found = ws.inventories().unwrap();
        let inputs = acceptance::load_inputs(ws, &found, || inventory::load(&found.files)).unwrap();
        let report = acceptance::run(&inputs, "2026-11-28".parse().unwrap());
        // As `anbao check --format json > report.json` does it.
        let mut file = std::fs::File::create(&out).unwrap();
        acceptance::json::write_compact(&report, &mut file).unwrap();
        black_box((inputs, report, file))
    };
    // One warm-up of each, then interleaved measurements.
    drop(load());
    drop(check());
    let (mut loads, mut checks) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        let built = load();
        loads.push(t.elapsed());
        drop(built);
        let t = Instant::now();
        let built = check();
        checks.push(t.elapsed());
        drop(built);
    }
    // Where the check's time goes, from one more run, so the next optimisation aims right.
    let t = Instant::now();
    let ws = Workspace::open(dir.path()).unwrap();
    let found = ws.inventories().unwrap();
    let inv = inventory::load(&found.files).unwrap();
    let t_load = t.elapsed();
    let t = Instant::now();
    let inputs = acceptance::load_policy_inputs(ws, inv, &found).unwrap();
    let t_inputs = t.elapsed();
    let t = Instant::now();
    let evaluation = anbao::policy::evaluate(
        &inputs.inventory,
        &inputs.policy,
        &inputs.catalog,
        &inputs.waivers,
        "2026-11-28".parse().unwrap(),
    );
    let t_eval = t.elapsed();
    let t = Instant::now();
    let report = acceptance::run(&inputs, "2026-11-28".parse().unwrap());
    let t_run = t.elapsed();
    let t = Instant::now();
    let mut file = std::fs::File::create(&out).unwrap();
    acceptance::json::write_compact(&report, &mut file).unwrap();
    drop(file);
    let t_json = t.elapsed();
    let json_len = std::fs::metadata(&out).unwrap().len() as usize;
    let findings = evaluation.findings.len();
    let t = Instant::now();
    drop((evaluation, report, inputs));
    let t_drop = t.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "phases (one run): load {:.0} ms, policy/catalog/hashes {:.0} ms, evaluate {:.0} ms, evaluate+report {:.0} ms, JSON {:.0} ms ({:.1} MiB, {findings} findings), freeing {:.0} ms",
        ms(t_load), ms(t_inputs), ms(t_eval), ms(t_run), ms(t_json), json_len as f64 / 1048576.0, ms(t_drop)
    );
    let (l, c) = (median(loads), median(checks));
    let ratio = c.as_secs_f64() / l.as_secs_f64();
    println!("{:<34} {:>10}", "measure", "median ms");
    println!(
        "{:<34} {:>10.1}",
        "load inventory (baseline)",
        l.as_secs_f64() * 1e3
    );
    println!(
        "{:<34} {:>10.1}",
        "check end to end (JSON to a file)",
        c.as_secs_f64() * 1e3
    );
    println!(
        "ratio check / load: {ratio:.2} (target ≤ 2.00) {}",
        if ratio <= 2.0 { "PASS" } else { "MISS" }
    );
}
