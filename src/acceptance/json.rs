//! The report as compact JSON, byte for byte what `serde_json` writes for [`Report`], with its two
//! long arrays (components and findings) written in parallel.
//!
//! At 50,000 components those two arrays are almost all of the 60 MiB a report takes, and
//! writing them one element after another was a quarter of the check's time. Each chunk of
//! elements is written on its own core and the pieces are written out in order; the fields
//! around them go through `serde_json` as usual, so escaping and number formats cannot differ.

use super::deadlines::Deadline;
use super::report::InputFile;
use super::report::{CatalogInfo, CategoryRow, PolicyInfo, ProjectInfo, ProjectVerdict};
use super::report::{Report, UnitsInfo, WaiverRow};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

/// Elements per parallel piece: big enough that joining is cheap, small enough to spread well.
const CHUNK: usize = 1024;

/// The fields of [`Report`] before `components`, borrowed, in the same order.
#[derive(Serialize)]
struct Head<'a> {
    schema: &'a str,
    generator: &'a str,
    as_of: &'a chrono::NaiveDate,
    project: &'a ProjectInfo,
    units: &'a UnitsInfo,
    policy: &'a PolicyInfo,
    catalogs: &'a [CatalogInfo],
    verdict: &'a ProjectVerdict,
    categories: &'a [CategoryRow],
}

/// The fields of [`Report`] after `findings`, borrowed, in the same order.
#[derive(Serialize)]
struct Tail<'a> {
    waivers: &'a [WaiverRow],
    deadlines: &'a [Deadline],
    inputs: &'a [InputFile],
    inventory_findings: &'a [crate::inventory::Finding],
}

/// The compact JSON of a report, held as the pieces it was written in: joining them into one
/// buffer would copy (and fault in) the whole report once more, so they go to the output as they
/// are.
pub struct Compact {
    head: Vec<u8>,
    components: Vec<Vec<u8>>,
    findings: Vec<Vec<u8>>,
    tail: Vec<u8>,
}

impl Compact {
    pub fn new(report: &Report) -> serde_json::Result<Compact> {
        let head = serde_json::to_vec(&Head {
            schema: report.schema,
            generator: &report.generator,
            as_of: &report.as_of,
            project: &report.project,
            units: &report.units,
            policy: &report.policy,
            catalogs: &report.catalogs,
            verdict: &report.verdict,
            categories: &report.categories,
        })?;
        let tail = serde_json::to_vec(&Tail {
            waivers: &report.waivers,
            deadlines: &report.deadlines,
            inputs: &report.inputs,
            inventory_findings: &report.inventory_findings,
        })?;
        let (components, findings) =
            rayon::join(|| pieces(&report.components), || pieces(&report.findings));
        Ok(Compact {
            head,
            components: components?,
            findings: findings?,
            tail,
        })
    }

    /// Writes the JSON text to `out`, in order.
    pub fn write_to(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        // `head` is `{...}` and `tail` is `{...}`: the arrays go between the two, inside one object.
        out.write_all(&self.head[..self.head.len() - 1])?;
        out.write_all(b",\"components\":")?;
        write_array(out, &self.components)?;
        out.write_all(b",\"findings\":")?;
        write_array(out, &self.findings)?;
        out.write_all(b",")?;
        out.write_all(&self.tail[1..])
    }
}

/// Writes the compact JSON of `report` to `out`.
pub fn write_compact(report: &Report, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    Compact::new(report)?.write_to(out)
}

/// The elements of `items`, in chunks, each chunk's elements comma-separated.
fn pieces<T: Serialize + Sync>(items: &[T]) -> serde_json::Result<Vec<Vec<u8>>> {
    items
        .par_chunks(CHUNK)
        .map(|chunk| {
            // Reserved generously: untouched capacity costs no memory, regrowth costs copies.
            let mut piece = Vec::with_capacity(chunk.len() * 1024);
            for (i, item) in chunk.iter().enumerate() {
                if i > 0 {
                    piece.push(b',');
                }
                serde_json::to_writer(&mut piece, item)?;
            }
            Ok(piece)
        })
        .collect()
}

fn write_array(out: &mut (impl Write + ?Sized), pieces: &[Vec<u8>]) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(piece)?;
    }
    out.write_all(b"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_report() -> Report {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let ws = crate::workspace::Workspace::open(root).unwrap();
        let files = ws.inventory_files().unwrap();
        let inventory = crate::inventory::load(&files).unwrap();
        let inputs = super::super::load_policy_inputs(ws, inventory, &files).unwrap();
        super::super::run(&inputs, "2026-11-28".parse().unwrap())
    }

    fn compact(report: &Report) -> Vec<u8> {
        let mut out = Vec::new();
        write_compact(report, &mut out).unwrap();
        out
    }

    #[test]
    fn the_parallel_writer_writes_what_serde_writes() {
        let report = demo_report();
        assert!(
            report.components.len() > CHUNK / 4,
            "the demo has many components"
        );
        assert!(!report.findings.is_empty());
        assert_eq!(
            String::from_utf8(compact(&report)).unwrap(),
            serde_json::to_string(&report).unwrap()
        );
    }

    #[test]
    fn more_elements_than_a_chunk_and_empty_arrays_come_out_the_same() {
        let mut report = demo_report();
        let many = report
            .components
            .iter()
            .cycle()
            .take(CHUNK * 2 + 7)
            .cloned();
        report.components = many.collect();
        assert_eq!(compact(&report), serde_json::to_vec(&report).unwrap());
        report.components.clear();
        report.findings.clear();
        assert_eq!(compact(&report), serde_json::to_vec(&report).unwrap());
    }
}
