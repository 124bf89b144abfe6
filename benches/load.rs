//! Load speed and peak memory at the scale the project names (50,000 components, ~150,000
//! edges), each compared with a floor measured in the same run: `cargo bench --bench load`.
//!
//! A custom harness rather than criterion: memory needs a counting global allocator, and the
//! comparison needs both sides interleaved in one process so that machine noise hits both.
//! `ANBAO_BENCH_COMPONENTS` (or `--components N`) picks the size, `ANBAO_BENCH_ITERS` the number
//! of measured iterations (default 7, after one warm-up).

use anbao::inventory::{self, parse_bytes, Inventory};
use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

#[path = "../examples/gen_sbom.rs"]
#[allow(dead_code)] // The generator's `main` and helpers the benchmark does not call.
mod gen_sbom;

/// The binary's allocator (mimalloc, see `src/main.rs`), counting the bytes currently
/// allocated and the highest value since reset.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn grow(by: usize) {
        let now = CURRENT.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded to `MiMalloc` unchanged; only counters are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            Counting::grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            Counting::grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
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

/// One timed comparison, one sample of each side per iteration: anbao's load, anbao's parse
/// alone (to show what the graph costs) and the floor.
#[derive(Default)]
struct Samples {
    load: Vec<f64>,
    parse: Vec<f64>,
    floor: Vec<f64>,
}

impl Samples {
    /// Runs each side once, rotating which goes first so none always gets a warm cache.
    fn sample(&mut self, iteration: usize, mut sides: [(&mut dyn FnMut() -> Duration, Side); 3]) {
        sides.rotate_left(iteration % 3);
        for (run, side) in sides {
            let ms = run().as_secs_f64() * 1e3;
            match side {
                Side::Load => self.load.push(ms),
                Side::Parse => self.parse.push(ms),
                Side::Floor => self.floor.push(ms),
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Load,
    Parse,
    Floor,
}

/// Medians of `side` and `floor`, the ratio of the medians and the median of per-iteration
/// ratios.
fn compare(side: &[f64], floor: &[f64]) -> (f64, f64, f64, f64) {
    let mut paired: Vec<f64> = side.iter().zip(floor).map(|(a, f)| a / f).collect();
    let (a, f) = (median(&mut side.to_vec()), median(&mut floor.to_vec()));
    (a, f, a / f, median(&mut paired))
}

/// One syntax of the generated BOM and what it is compared with.
struct Case {
    name: &'static str,
    path: PathBuf,
    bytes: Vec<u8>,
    /// The floor, timed (its result dropped outside the timing like anbao's).
    floor: fn(&[u8]) -> Duration,
    time_target: f64,
    times: Samples,
}

fn main() {
    let mut components = std::env::var("ANBAO_BENCH_COMPONENTS")
        .ok()
        .map(|v| v.parse().expect("ANBAO_BENCH_COMPONENTS must be a number"))
        .unwrap_or(gen_sbom::DEFAULT_COMPONENTS);
    let iterations: usize = std::env::var("ANBAO_BENCH_ITERS")
        .ok()
        .map(|v| v.parse().expect("ANBAO_BENCH_ITERS must be a number"))
        .unwrap_or(7)
        .max(1);
    // `cargo bench` passes `--bench`; `--components N` sets the size and a bare `json` or `xml`
    // (`cargo bench --bench load -- xml`) measures only that syntax.
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--components" {
            components = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--components needs a number");
        } else if !arg.starts_with('-') {
            only = Some(arg.to_ascii_lowercase());
        }
    }

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    let started = Instant::now();
    let bom = gen_sbom::Bom::generate(components);
    let (json_path, xml_path) = bom.write_files(&dir).expect("write the generated SBOMs");
    println!(
        "{} components, {} edges; generated in {:.1} s",
        bom.component_count(),
        bom.edge_count(),
        started.elapsed().as_secs_f64(),
    );
    let mut cases: Vec<Case> = [
        (
            "JSON",
            json_path,
            (|b| timed(|| json_floor(b))) as fn(&[u8]) -> Duration,
            1.5,
        ),
        ("XML", xml_path, |b| timed(|| xml_floor(b)), 2.5),
    ]
    .into_iter()
    .filter(|(name, ..)| only.as_deref().is_none_or(|o| name.eq_ignore_ascii_case(o)))
    .map(|(name, path, floor, time_target)| {
        let bytes = std::fs::read(&path).expect("read the generated SBOM");
        Case {
            name,
            path,
            bytes,
            floor,
            time_target,
            times: Samples::default(),
        }
    })
    .collect();
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    for case in &cases {
        println!(
            "  {} ({:.1} MiB)",
            case.path.display(),
            mib(case.bytes.len())
        );
        // The measured work must be the whole work: every component and edge is read.
        let inv = anbao_load(&case.path, &case.bytes);
        assert_eq!(inv.len(), bom.component_count(), "{}", case.path.display());
        assert_eq!(
            inv.graph.edge_count(),
            bom.edge_count(),
            "{}",
            case.path.display()
        );
    }

    for iteration in 0..=iterations {
        for case in &mut cases {
            let (path, bytes, floor) = (&case.path, &case.bytes, case.floor);
            case.times.sample(
                iteration,
                [
                    (&mut || timed(|| anbao_load(path, bytes)), Side::Load),
                    (
                        &mut || timed(|| parse_bytes(path, bytes).expect("parses")),
                        Side::Parse,
                    ),
                    (&mut || floor(bytes), Side::Floor),
                ],
            );
            if iteration == 0 {
                // The warm-up (page faults, allocator growth, branch predictors) is not measured.
                case.times = Samples::default();
            }
        }
        eprint!("\r  iteration {iteration}/{iterations}");
    }
    eprintln!();

    println!(
        "\n{:<24} {:>12} {:>16} {:>7} {:>8}  {:<6} note",
        "metric", "median", "baseline", "ratio", "target", "result"
    );
    let row = |metric: String,
               value: String,
               baseline: String,
               ratio: f64,
               target: Option<f64>,
               note: String| {
        let (target, verdict) = match target {
            Some(t) if ratio <= t => (format!("<= {t:.1}"), "PASS"),
            Some(t) => (format!("<= {t:.1}"), "MISS"),
            None => ("-".to_string(), "info"),
        };
        println!(
            "{metric:<24} {value:>12} {baseline:>16} {ratio:>7.2} {target:>8}  {verdict:<6} {note}"
        );
    };
    for case in &cases {
        let t = &case.times;
        let (a, f, ratio, paired) = compare(&t.load, &t.floor);
        row(
            format!("{} load (parse+graph)", case.name),
            format!("{a:.1} ms"),
            format!("{f:.1} ms"),
            ratio,
            Some(case.time_target),
            format!("median of per-iteration ratios {paired:.2}"),
        );
        let (a, f, ratio, paired) = compare(&t.parse, &t.floor);
        row(
            format!("{} parse only", case.name),
            format!("{a:.1} ms"),
            format!("{f:.1} ms"),
            ratio,
            None,
            format!("median of per-iteration ratios {paired:.2}"),
        );
    }
    for case in &cases {
        // The real entry point, reading included: `inventory::load` holds the file's bytes while
        // it parses them, so they are part of what a load costs.
        let peak = peak_bytes(|| inventory::load(&[&case.path]).expect("load the generated SBOM"));
        let size = case.bytes.len();
        row(
            format!("{} peak memory", case.name),
            format!("{:.1} MiB", mib(peak)),
            format!("{:.1} MiB file", mib(size)),
            peak as f64 / size as f64,
            Some(3.0),
            String::new(),
        );
    }
    if let Some(case) = cases.iter().find(|c| c.name == "JSON") {
        let peak = peak_bytes(|| {
            let bytes = std::fs::read(&case.path).expect("read the generated SBOM");
            json_floor(&bytes)
        });
        println!(
            "\nFor reference, serde_json::Value holds {:.1} MiB at its peak, file bytes included ({:.2}x the file).",
            mib(peak),
            peak as f64 / case.bytes.len() as f64
        );
    }
    println!(
        "Baselines: JSON = serde_json::from_slice::<Value>, XML = a bare quick-xml event scan, memory = file size.\n\
         {iterations} measured iterations after one warm-up, anbao and baseline interleaved; ratio = median / median."
    );
}
