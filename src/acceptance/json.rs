//! The report as compact JSON, byte for byte what `serde_json` writes for [`Report`], with its two
//! long arrays (components and findings) written in parallel.
//!
//! At 50,000 components those two arrays are almost all of the 60 MiB a report takes, and
//! writing them one element after another was a quarter of the check's time. Chunks of elements
//! are written on every core into buffers that are reused batch after batch, and each batch goes
//! to the output while the next one is being written: holding the whole text instead cost as much
//! time in fresh memory pages as it saved. The fields around the arrays go through `serde_json`
//! as usual, so escaping and number formats cannot differ.

use super::deadlines::Deadline;
use super::report::InputFile;
use super::report::{CatalogInfo, CategoryRow, PolicyInfo, ProjectInfo, ProjectVerdict};
use super::report::{Report, UnitsInfo, WaiverRow};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

/// Elements per piece, the unit of parallel work: big enough that per-piece costs vanish, small
/// enough to spread well.
const CHUNK: usize = 512;
/// Pieces per batch: what is held in memory twice over (one batch being written out, the next
/// being serialised), about 8 MiB at the benchmark's sizes.
const BATCH: usize = 8;

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
    not_read: &'a [crate::inventory::discover::NotRead],
    inventory_findings: &'a [crate::inventory::Finding],
}

/// Writes the compact JSON of `report` to `out`.
pub fn write_compact(report: &Report, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
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
        not_read: &report.not_read,
        inventory_findings: &report.inventory_findings,
    })?;
    // `head` is `{...}` and `tail` is `{...}`: the arrays go between the two, inside one object.
    let mut buffers = Buffers::default();
    out.write_all(&head[..head.len() - 1])?;
    out.write_all(b",\"components\":")?;
    write_array(out, &report.components, &mut buffers)?;
    out.write_all(b",\"findings\":")?;
    write_array(out, &report.findings, &mut buffers)?;
    out.write_all(b",")?;
    out.write_all(&tail[1..])
}

/// Two batches of piece buffers, kept from one array to the next so that their memory is
/// faulted in once.
#[derive(Default)]
struct Buffers {
    writing: Batch,
    filling: Batch,
}

/// Pieces of JSON text, of which the first `used` hold the current batch.
#[derive(Default)]
struct Batch {
    pieces: Vec<Vec<u8>>,
    used: usize,
}

impl Batch {
    /// Serialises `items` into the pieces, a chunk of elements per piece, comma-separated
    /// within it, reusing the pieces' buffers.
    fn fill<T: Serialize + Sync>(&mut self, items: &[T]) -> serde_json::Result<()> {
        self.used = items.len().div_ceil(CHUNK);
        if self.pieces.len() < self.used {
            self.pieces.resize_with(self.used, Vec::new);
        }
        self.pieces[..self.used]
            .par_iter_mut()
            .zip(items.par_chunks(CHUNK))
            .try_for_each(|(piece, chunk)| {
                piece.clear();
                for (i, item) in chunk.iter().enumerate() {
                    if i > 0 {
                        piece.push(b',');
                    }
                    serde_json::to_writer(&mut *piece, item)?;
                }
                Ok(())
            })
    }

    fn used(&self) -> &[Vec<u8>] {
        &self.pieces[..self.used]
    }
}

/// Writes `items` as a JSON array: while one batch of pieces goes to `out` on this thread, the
/// next is serialised on the thread pool.
fn write_array<T: Serialize + Sync>(
    out: &mut (impl Write + ?Sized),
    items: &[T],
    buffers: &mut Buffers,
) -> io::Result<()> {
    out.write_all(b"[")?;
    let mut batches = items.chunks(CHUNK * BATCH);
    if let Some(first) = batches.next() {
        buffers.filling.fill(first)?;
        let mut first_piece = true;
        loop {
            std::mem::swap(&mut buffers.writing, &mut buffers.filling);
            let next = batches.next();
            let (writing, filling) = (&buffers.writing, &mut buffers.filling);
            let mut filled = Ok(());
            // `out` need not be `Send`: an in-place scope runs this closure on the calling
            // thread and only the spawned serialisation on the pool.
            let written = rayon::in_place_scope(|scope| {
                if let Some(batch) = next {
                    scope.spawn(|_| filled = filling.fill(batch));
                }
                writing.used().iter().try_for_each(|piece| {
                    if !std::mem::take(&mut first_piece) {
                        out.write_all(b",")?;
                    }
                    out.write_all(piece)
                })
            });
            written?;
            filled?;
            if next.is_none() {
                break;
            }
        }
    }
    out.write_all(b"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_report() -> Report {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let ws = crate::workspace::Workspace::open(root).unwrap();
        let found = ws.inventories().unwrap();
        let inventory = crate::inventory::load(&found.files).unwrap();
        let inputs = super::super::load_policy_inputs(ws, inventory, &found).unwrap();
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
            report.components.len() > CHUNK / 2,
            "the demo has many components"
        );
        assert!(!report.findings.is_empty());
        assert_eq!(
            String::from_utf8(compact(&report)).unwrap(),
            serde_json::to_string(&report).unwrap()
        );
    }

    #[test]
    fn several_batches_batch_boundaries_and_empty_arrays_come_out_the_same() {
        let mut report = demo_report();
        let demo = report.components.clone();
        // Over two batches, exactly one, and one element: the findings after them reuse
        // buffers that held more pieces than they need.
        for count in [CHUNK * BATCH * 2 + 7, CHUNK * BATCH, 1] {
            report.components = demo.iter().cycle().take(count).cloned().collect();
            assert_eq!(
                compact(&report),
                serde_json::to_vec(&report).unwrap(),
                "{count} components"
            );
        }
        report.components.clear();
        report.findings.clear();
        assert_eq!(compact(&report), serde_json::to_vec(&report).unwrap());
    }
}
