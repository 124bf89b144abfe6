//! Validation against the official schemas at the load benchmark's scale (the generated
//! 50,000-component CycloneDX 1.6 SBOM, JSON and XML), compared in the same run with loading
//! the same file: `cargo bench --bench validate`.
//!
//! Per syntax, each iteration times, interleaved so machine noise hits all alike: anbao's load
//! (parse and merge), `inventory validate`'s whole work on the file (schema, load, findings),
//! the schema step alone (for JSON: parse into a `serde_json::Value` and run the JSON Schema
//! validator; for XML: libxml2 parse and XSD validation), and for JSON the `Value` parse alone,
//! so that the validator's own time is the difference. Medians are reported.
//! `ANBAO_BENCH_COMPONENTS` and `ANBAO_BENCH_ITERS` (default 5) change size and iterations.

use anbao::inventory::{self, schema, validate, Format};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "../examples/gen_sbom.rs"]
#[allow(dead_code)] // The generator's `main` and helpers the benchmark does not call.
mod gen_sbom;

fn seconds(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(default)
}

fn bench(name: &str, format: Format, path: &Path, iterations: usize) {
    let bytes = std::fs::read(path).expect("read the generated SBOM");
    let outcome = schema::validate(format, &bytes).expect("validate");
    let violations = match &outcome.verdict {
        schema::Verdict::Checked { violations, .. } => violations.len(),
        _ => panic!("{name}: no schema applied"),
    };
    let mut load = Vec::new();
    let mut whole = Vec::new();
    let mut schema_step = Vec::new();
    let mut value_parse = Vec::new();
    // One warm-up, which also compiles the schema once, as a long-running process would.
    for i in 0..=iterations {
        let l = seconds(|| drop(black_box(inventory::load(&[path]).unwrap())));
        let w = seconds(|| drop(black_box(validate::validate_file(path).unwrap())));
        let s = seconds(|| drop(black_box(schema::validate(format, &bytes).unwrap())));
        let v = if format == Format::CycloneDxJson {
            seconds(|| {
                drop(black_box(
                    serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
                ))
            })
        } else {
            0.0
        };
        if i > 0 {
            load.push(l);
            whole.push(w);
            schema_step.push(s);
            value_parse.push(v);
        }
    }
    let (l, w, s, v) = (
        median(&mut load),
        median(&mut whole),
        median(&mut schema_step),
        median(&mut value_parse),
    );
    println!(
        "{name} ({:.1} MiB, {violations} violations): load {:.0} ms; validate {:.0} ms = {:.2}x load; schema step {:.0} ms = {:.2}x load",
        bytes.len() as f64 / (1 << 20) as f64,
        l * 1e3,
        w * 1e3,
        w / l,
        s * 1e3,
        s / l
    );
    if format == Format::CycloneDxJson {
        println!(
            "  of the schema step: JSON parse into a Value {:.0} ms, the JSON Schema validator {:.0} ms ({:.2}x load)",
            v * 1e3,
            (s - v) * 1e3,
            (s - v) / l
        );
    }
}

fn main() {
    let components = env("ANBAO_BENCH_COMPONENTS", gen_sbom::DEFAULT_COMPONENTS);
    let iterations = env("ANBAO_BENCH_ITERS", 5).max(1);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    let bom = gen_sbom::Bom::generate(components);
    let (json, xml) = bom.write_files(&dir).expect("write the generated SBOMs");
    println!(
        "{} components, {} edges; medians of {iterations} iterations",
        bom.component_count(),
        bom.edge_count()
    );
    bench("JSON", Format::CycloneDxJson, &json, iterations);
    bench("XML", Format::CycloneDxXml, &xml, iterations);
}
