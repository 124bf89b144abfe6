//! Known-vulnerability matching at the scale issue 20 names: the 50,000-component benchmark SBOM
//! against an index of 200,000 generated advisories shaped like GitHub's OSV records (aliases,
//! CVSS vector, one or two packages with one to three ranges, references), against loading the
//! same SBOM, measured in the same run: `cargo bench --bench vuln`. Target: opening the index
//! and matching ≤ loading the SBOM. Also reports import throughput (advisories per second, from
//! an all.zip) and the index's size on disk.
//!
//! `ANBAO_BENCH_COMPONENTS`, `ANBAO_BENCH_ADVISORIES` and `ANBAO_BENCH_ITERS` change the sizes
//! and the measured iterations (default 7, after one warm-up), interleaved so noise hits both.

use anbao::inventory;
use anbao::vuln::{self, import, Index};
use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/workspace.rs"]
mod support;

use support::{env_usize, gen_sbom};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A small deterministic generator (xorshift), so every run indexes the same advisories.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn id(&mut self) -> String {
        const A: &[u8] = b"23456789cfghjmpqrvwx";
        let mut part =
            |n| -> String { (0..n).map(|_| A[self.below(20) as usize] as char).collect() };
        format!("{}-{}-{}", part(4), part(4), part(4))
    }
}

const VECTORS: [&str; 4] = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
];

/// One advisory as OSV JSON; `package` is (ecosystem, name, a version near which to range).
fn advisory(rng: &mut Rng, n: usize, packages: &[(String, String, (u64, u64, u64))]) -> String {
    let ranges: Vec<String> = packages
        .iter()
        .map(|(eco, name, (ma, mi, pa))| {
            let pairs = 1 + rng.below(3);
            let mut events = Vec::new();
            for k in 0..pairs {
                let intro = if k == 0 && rng.below(2) == 0 {
                    "0".to_string()
                } else {
                    format!("{ma}.{}.0", mi.saturating_sub(k * 3))
                };
                events.push(format!(r#"{{"introduced":"{intro}"}}"#));
                events.push(format!(r#"{{"fixed":"{ma}.{}.{}"}}"#, mi + 1 + k, pa + rng.below(3)));
            }
            format!(
                r#"{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"ranges":[{{"type":"ECOSYSTEM","events":[{}]}}],"database_specific":{{"source":"bench"}}}}"#,
                events.join(",")
            )
        })
        .collect();
    let id = rng.id();
    format!(
        r#"{{"schema_version":"1.4.0","id":"GHSA-{id}","modified":"2026-0{}-1{}T10:00:00Z","published":"2025-03-0{}T08:00:00Z","aliases":["CVE-20{}-{}"],"summary":"Generated advisory {n} for the matching benchmark","details":"An attacker who controls the input of the affected function can cause the component to misbehave. This text stands in for the several paragraphs a real advisory carries, with its impact, patches and workarounds described in prose that the index trims to its first paragraph.\n\nSecond paragraph.","severity":[{{"type":"{}","score":"{}"}}],"affected":[{}],"references":[{{"type":"ADVISORY","url":"https://nvd.nist.gov/vuln/detail/CVE-2025-{n}"}},{{"type":"WEB","url":"https://example.com/a/{n}"}},{{"type":"PACKAGE","url":"https://example.com/p/{n}"}},{{"type":"WEB","url":"https://example.com/b/{n}"}}],"database_specific":{{"severity":"HIGH","github_reviewed":true}}}}"#,
        1 + rng.below(9),
        rng.below(10),
        1 + rng.below(9),
        20 + rng.below(6),
        10000 + n,
        if rng.below(4) == 3 {
            "CVSS_V4"
        } else {
            "CVSS_V3"
        },
        VECTORS[rng.below(4) as usize],
        ranges.join(",")
    )
}

fn main() {
    let components = env_usize("ANBAO_BENCH_COMPONENTS", gen_sbom::DEFAULT_COMPONENTS);
    let advisories = env_usize("ANBAO_BENCH_ADVISORIES", 200_000);
    let iterations = env_usize("ANBAO_BENCH_ITERS", 7).max(1);
    let dir = tempfile::tempdir().unwrap();
    support::workspace(dir.path(), components);
    let sbom = dir.path().join("inventories/sbom.cdx.json");
    let inv = inventory::load(&[&sbom]).unwrap();

    // A quarter of the advisories name a package of the SBOM (as a real database names many a
    // project's dependencies), the rest packages it does not hold.
    let mut known: Vec<(String, String, (u64, u64, u64))> = Vec::new();
    for c in &inv.components {
        let Some(p) = c.purl.as_deref().and_then(vuln::purl::osv_package) else {
            continue;
        };
        let v: Vec<u64> = p
            .version
            .as_deref()
            .unwrap_or("1.0.0")
            .split('.')
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        known.push((
            p.ecosystem.to_string(),
            p.name,
            (v[0], *v.get(1).unwrap_or(&0), *v.get(2).unwrap_or(&0)),
        ));
    }
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let zip_path = dir.path().join("all.zip");
    let t = Instant::now();
    {
        let file = std::fs::File::create(&zip_path).unwrap();
        let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for n in 0..advisories {
            let count = 1 + (rng.below(5) == 0) as usize;
            let packages: Vec<_> = (0..count)
                .map(|_| {
                    if rng.below(4) == 0 && !known.is_empty() {
                        known[rng.below(known.len() as u64) as usize].clone()
                    } else {
                        let eco =
                            ["Maven", "npm", "PyPI", "Go", "crates.io"][rng.below(5) as usize];
                        let name = match eco {
                            "Maven" => {
                                format!("org.example{}:lib-{}", rng.below(500), rng.below(100_000))
                            }
                            "Go" => format!("github.com/example/mod-{}", rng.below(100_000)),
                            _ => format!("pkg-{}", rng.below(200_000)),
                        };
                        (
                            eco.to_string(),
                            name,
                            (rng.below(6), rng.below(30), rng.below(20)),
                        )
                    }
                })
                .collect();
            let text = advisory(&mut rng, n, &packages);
            z.start_file(format!("GHSA-{n}.json"), opts).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    let zip_size = std::fs::metadata(&zip_path).unwrap().len();
    println!(
        "vuln benchmark: {components} components, {advisories} advisories (all.zip {:.1} MiB, written in {:.1} s), {iterations} iterations",
        zip_size as f64 / (1 << 20) as f64,
        t.elapsed().as_secs_f64()
    );

    let db = dir.path().join("vulndb");
    let t = Instant::now();
    let report = import::import(
        &db,
        std::slice::from_ref(&zip_path),
        &import::Limits::default(),
    )
    .unwrap();
    let import_time = t.elapsed();
    let index = Index::open(&db).unwrap().unwrap();
    println!(
        "import: {} advisories in {:.2} s = {:.0} advisories/s; index {:.1} MiB on disk ({} packages)",
        report.new,
        import_time.as_secs_f64(),
        report.new as f64 / import_time.as_secs_f64(),
        index.size_on_disk() as f64 / (1 << 20) as f64,
        index.manifest.packages
    );
    drop(index);

    let today = "2026-11-28".parse().unwrap();
    let load = || black_box(inventory::load(&[&sbom]).unwrap());
    let matching = || {
        let index = Index::open(&db).unwrap().unwrap();
        let a = vuln::assess(&inv, Some(&index), &[], today).unwrap();
        black_box((index, a))
    };
    drop(load());
    let (_, warm) = matching();
    println!(
        "matches: {} for {} vulnerable components of {} looked up",
        warm.counts.matches, warm.counts.vulnerable_components, warm.counts.looked_up
    );
    let (mut loads, mut matches) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        let built = load();
        loads.push(t.elapsed());
        drop(built);
        let t = Instant::now();
        let built = matching();
        matches.push(t.elapsed());
        drop(built);
    }
    let (l, m) = (median(loads), median(matches));
    println!(
        "median: load SBOM {:.1} ms, open index + match {:.1} ms, ratio {:.2} (target ≤ 1)",
        l.as_secs_f64() * 1e3,
        m.as_secs_f64() * 1e3,
        m.as_secs_f64() / l.as_secs_f64()
    );
}
