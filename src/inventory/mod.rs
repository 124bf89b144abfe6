//! One model for every inventory format: parse files into [`Document`]s, merge them into an
//! [`Inventory`] with one dependency graph, and query it.

mod cargo_lock;
mod cyclonedx;
pub mod detect;
pub mod device;
pub mod discover;
mod finding;
pub mod graph;
mod hardware;
pub mod json;
mod merge;
mod model;
pub mod schema;
mod spdx3;
mod spdx_json;
mod spdx_tag;
pub mod stats;
#[cfg(test)]
mod test_util;
mod util;
pub mod validate;

pub use finding::{Code, Finding, Level};
pub use merge::{ComponentId, Inventory, Origin, Source};
pub use model::*;

use crate::error::InputError;
use std::borrow::Cow;
use std::path::Path;

/// Files larger than this are refused before reading: no real inventory comes near it, and
/// reading a multi-gigabyte file of garbage would only exhaust memory.
pub const MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// Reads and parses one inventory file, whatever its format.
pub fn parse_file(path: &Path) -> Result<Document, InputError> {
    parse(path, Cow::Owned(read_file(path)?))
}

/// Reads a whole inventory file, refusing directories and files over [`MAX_FILE_SIZE`]. Every
/// inventory command reads its files here.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(InputError::whole_file(
            path,
            "is a directory, expected an inventory file",
        ));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::whole_file(
            path,
            format!(
                "file of {} bytes is larger than the {} byte limit for an inventory",
                meta.len(),
                MAX_FILE_SIZE
            ),
        ));
    }
    std::fs::read(path).map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))
}

/// Parses the bytes of one inventory file; `path` is only used to name it.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    parse(path, Cow::Borrowed(bytes))
}

/// Parses one file's bytes. A parser handed them owned may free them before it has finished:
/// CycloneDX does so before it builds the edges, the largest part of a large document, which
/// keeps the peak of a load lower.
fn parse(path: &Path, bytes: Cow<'_, [u8]>) -> Result<Document, InputError> {
    let mut doc = parse_format(path, bytes)?;
    device::resolve(&mut doc);
    Ok(doc)
}

fn parse_format(path: &Path, bytes: Cow<'_, [u8]>) -> Result<Document, InputError> {
    match detect::detect(path, &bytes)? {
        Format::CycloneDxJson => cyclonedx::json::parse(path, bytes),
        Format::CycloneDxXml => cyclonedx::xml::parse(path, bytes),
        Format::SpdxJson => spdx_json::parse(path, &bytes),
        Format::SpdxTagValue => spdx_tag::parse(path, &bytes),
        Format::Spdx3JsonLd => spdx3::parse(path, &bytes),
        Format::CargoLock => cargo_lock::parse(path, &bytes),
        Format::HardwareCsv => hardware::parse_csv(path, &bytes),
        Format::HardwareToml => hardware::parse_toml(path, &bytes),
    }
}

/// Reads several files and merges them into one inventory.
pub fn load(paths: &[impl AsRef<Path>]) -> Result<Inventory, InputError> {
    load_with(paths, &|_, _| {})
}

/// Like [`load`], calling `on_file(index, path)` as each file is started (for progress).
pub fn load_with(
    paths: &[impl AsRef<Path>],
    on_file: &dyn Fn(usize, &Path),
) -> Result<Inventory, InputError> {
    let mut docs = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        on_file(i, p.as_ref());
        docs.push(parse_file(p.as_ref())?);
    }
    Ok(Inventory::from_documents(docs))
}
