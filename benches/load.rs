//! Load speed and peak memory at the scale the project names (50,000 components, ~150,000
//! edges), each compared with a floor measured in the same run: `cargo bench --bench load`.
//!
//! A custom harness rather than criterion: memory needs a counting global allocator, and the
//! comparison needs both sides interleaved in one process so that machine noise hits both.
//! `ANBAO_BENCH_COMPONENTS` (or `--components N`) picks the size, `ANBAO_BENCH_ITERS` the number
//! of measured iterations (default 7, after one warm-up).

use anbao::inventory::{self, parse_bytes, Inventory};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

#[path = "../examples/gen_sbom.rs"]
#[allow(dead_code)] // The generator's `main` and helpers the benchmark does not call.
mod gen_sbom;

/// System allocator that keeps the bytes currently allocated and the highest value since reset.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn grow(by: usize) {
        let now = CURRENT.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            Counting::grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            Counting::grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                Counting::grow(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated while `f` runs, above what was allocated before it; its result is
/// dropped only after the peak is read, so whatever it returns counts as held.
fn peak_bytes<R>(f: impl FnOnce() -> R) -> usize {
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let result = black_box(f());
    let peak = PEAK.load(Relaxed) - base;
    drop(result);
    peak
}

/// Wall time of `f`, not counting the drop of its result (for either side of a comparison).
fn timed<R>(f: impl FnOnce() -> R) -> Duration {
    let start = Instant::now();
    let result = black_box(f());
    let elapsed = start.elapsed();
    drop(result);
    elapsed
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// What anbao does with one file once it is read: parse it and build the inventory and graph.
fn anbao_load(path: &Path, bytes: &[u8]) -> Inventory {
    let doc = parse_bytes(path, bytes).expect("generated SBOM parses");
    Inventory::from_documents(vec![doc])
}

/// The JSON floor: serde_json's generic tree, with no typing and no model.
fn json_floor(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("generated JSON is valid")
}

/// The XML floor: a bare quick-xml scan that reads every event and keeps nothing (UTF-8
/// validation included, since `Reader::from_str` needs a `&str` just as anbao does).
fn xml_floor(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("generated XML is UTF-8");
    let mut reader = quick_xml::Reader::from_str(text);
    let mut events = 0usize;
    loop {
        match reader.read_event().expect("generated XML is well-formed") {
            quick_xml::events::Event::Eof => return events,
            event => {
                black_box(&event);
                events += 1;
            }
        }
    }
}

/// One timed comparison: anbao's side and the floor's, one sample of each per iteration.
#[derive(Default)]
struct Pair {
    anbao: Vec<f64>,
    floor: Vec<f64>,
}

impl Pair {
    /// Runs both sides once, alternating which goes first so neither always gets a warm cache.
    fn sample(&mut self, iteration: usize, anbao: impl FnOnce() -> Duration, floor: impl FnOnce() -> Duration) {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        if iteration % 2 == 0 {
            self.anbao.push(ms(anbao()));
            self.floor.push(ms(floor()));
        } else {
            self.floor.push(ms(floor()));
            self.anbao.push(ms(anbao()));
        }
    }

    /// Median of each side, the ratio of the medians and the median of per-iteration ratios.
    fn summary(&self) -> (f64, f64, f64, f64) {
        let mut paired: Vec<f64> = self.anbao.iter().zip(&self.floor).map(|(a, f)| a / f).collect();
        let (a, f) = (median(&mut self.anbao.clone()), median(&mut self.floor.clone()));
        (a, f, a / f, median(&mut paired))
    }
}

struct Row {
    metric: String,
    value: String,
    baseline: String,
    ratio: f64,
    extra: String,
    target: f64,
}

fn main() {
    let mut components = std::env::var("ANBAO_BENCH_COMPONENTS")
        .ok()
        .map(|v| v.parse().expect("ANBAO_BENCH_COMPONENTS must be a number"))
        .unwrap_or(gen_sbom::DEFAULT_COMPONENTS);
    let iterations: usize = std::env::var("ANBAO_BENCH_ITERS")
        .ok()
        .map(|v| v.parse().expect("ANBAO_BENCH_ITERS must be a number"))
        .unwrap_or(7);
    // `cargo bench` passes `--bench` (and any filter); only `--components N` means anything here.
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--components" {
            components = args.next().and_then(|n| n.parse().ok()).expect("--components needs a number");
        }
    }

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    let started = Instant::now();
    let bom = gen_sbom::Bom::generate(components);
    let (json_path, xml_path) = bom.write_files(&dir).expect("write the generated SBOMs");
    let json = std::fs::read(&json_path).expect("read the JSON SBOM");
    let xml = std::fs::read(&xml_path).expect("read the XML SBOM");
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    println!(
        "{} components, {} edges; generated in {:.1} s\n  {} ({:.1} MiB)\n  {} ({:.1} MiB)",
        bom.component_count(),
        bom.edge_count(),
        started.elapsed().as_secs_f64(),
        json_path.display(),
        mib(json.len()),
        xml_path.display(),
        mib(xml.len()),
    );

    // The measured work must be the whole work: both syntaxes give every component and edge.
    for (path, bytes) in [(&json_path, &json), (&xml_path, &xml)] {
        let inv = anbao_load(path, bytes);
        assert_eq!(inv.len(), bom.component_count(), "{}", path.display());
        assert_eq!(inv.graph.edge_count(), bom.edge_count(), "{}", path.display());
    }

    let (mut json_time, mut xml_time) = (Pair::default(), Pair::default());
    for iteration in 0..=iterations {
        json_time.sample(iteration, || timed(|| anbao_load(&json_path, &json)), || timed(|| json_floor(&json)));
        xml_time.sample(iteration, || timed(|| anbao_load(&xml_path, &xml)), || timed(|| xml_floor(&xml)));
        if iteration == 0 {
            // The warm-up (page faults, allocator growth, branch predictors) is not measured.
            (json_time, xml_time) = (Pair::default(), Pair::default());
        }
        eprint!("\r  iteration {iteration}/{iterations}");
    }
    eprintln!();

    // Peak memory of the real entry point, reading the file included: `inventory::load` holds the
    // file's bytes while it parses them, so they are part of what a load costs.
    let json_peak = peak_bytes(|| inventory::load(&[&json_path]).expect("load JSON"));
    let xml_peak = peak_bytes(|| inventory::load(&[&xml_path]).expect("load XML"));
    // For reference only: serde_json's tree, file bytes included.
    let json_floor_peak = peak_bytes(|| {
        let bytes = std::fs::read(&json_path).expect("read JSON");
        json_floor(&bytes)
    });

    let mut rows = Vec::new();
    for (metric, pair, target) in [("JSON load (parse+graph)", &json_time, 1.5), ("XML load (parse+graph)", &xml_time, 2.5)]
    {
        let (a, f, ratio, paired) = pair.summary();
        rows.push(Row {
            metric: metric.into(),
            value: format!("{a:.1} ms"),
            baseline: format!("{f:.1} ms"),
            ratio,
            extra: format!("paired {paired:.2}"),
            target,
        });
    }
    for (metric, peak, size) in [("JSON peak memory", json_peak, json.len()), ("XML peak memory", xml_peak, xml.len())] {
        rows.push(Row {
            metric: metric.into(),
            value: format!("{:.1} MiB", mib(peak)),
            baseline: format!("{:.1} MiB file", mib(size)),
            ratio: peak as f64 / size as f64,
            extra: String::new(),
            target: 3.0,
        });
    }

    println!(
        "\n{:<24} {:>12} {:>16} {:>7} {:>8} {:<7} {}",
        "metric", "median", "baseline", "ratio", "target", "result", ""
    );
    for r in &rows {
        let verdict = if r.ratio <= r.target { "PASS" } else { "MISS" };
        println!(
            "{:<24} {:>12} {:>16} {:>7.2} {:>8} {:<7} {}",
            r.metric,
            r.value,
            r.baseline,
            r.ratio,
            format!("<= {:.1}", r.target),
            verdict,
            r.extra
        );
    }
    println!(
        "\nbaselines: JSON = serde_json::from_slice::<Value>; XML = bare quick-xml event scan; memory = file size.\n\
         {iterations} measured iterations after one warm-up, interleaved; ratio = median / median.\n\
         For reference, serde_json::Value peak with the file bytes: {:.1} MiB ({:.2}x the file).",
        mib(json_floor_peak),
        json_floor_peak as f64 / json.len() as f64
    );
}
