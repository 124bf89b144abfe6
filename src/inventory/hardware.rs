//! (being written)
use super::Document;
use crate::error::InputError;
use std::path::Path;

pub fn parse_csv(path: &Path, _bytes: &[u8]) -> Result<Document, InputError> {
    Err(InputError::whole_file(
        path,
        "hardware csv: not written yet",
    ))
}
pub fn parse_toml(path: &Path, _bytes: &[u8]) -> Result<Document, InputError> {
    Err(InputError::whole_file(
        path,
        "hardware toml: not written yet",
    ))
}
