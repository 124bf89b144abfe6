//! Answers collected elsewhere (a spreadsheet saved as CSV, or a TOML file) read into
//! [`Given`]s with the line of each, and evidence files hashed for attaching.

use super::definition::file_hash;
use super::session::{EvidenceFile, Given};
use crate::error::{InputError, Location};
use serde::Deserialize;
use std::path::Path;

/// Hashes an evidence file and names it relative to the workspace root when it lies inside.
pub fn evidence_file(root: &Path, path: &Path) -> Result<EvidenceFile, InputError> {
    let bytes = crate::fsutil::read(path, crate::fsutil::DOCUMENT_LIMIT)?;
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let shown = abs
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(abs.clone());
    Ok(EvidenceFile {
        path: shown.to_string_lossy().replace('\\', "/"),
        hash: file_hash(&bytes),
        size: bytes.len() as u64,
    })
}

/// One imported answer and the line it came from.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub given: Given,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    answer: Vec<toml::Spanned<TomlAnswer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlAnswer {
    item: String,
    answer: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvAnswer {
    item: String,
    answer: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    person: String,
    /// Several files separated by ';'.
    #[serde(default)]
    evidence: String,
}

/// Reads answers from `path` (CSV unless it ends in `.toml`), for `role`, by `person` unless a
/// row names its own. Evidence paths are relative to the answers file.
pub fn read(root: &Path, path: &Path, role: &str, person: &str) -> Result<Vec<Row>, InputError> {
    let bytes = crate::fsutil::read(path, crate::fsutil::CONFIG_LIMIT)?;
    // Spreadsheets on Chinese Windows often save with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        InputError::whole_file(path, "is not UTF-8 text; save the sheet as CSV UTF-8")
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut rows = Vec::new();
    let mut push = |line: usize,
                    item: String,
                    answer: String,
                    note: String,
                    who: Option<String>,
                    files: Vec<String>|
     -> Result<(), InputError> {
        let mut evidence = Vec::new();
        for f in files.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
            let p = base.join(f);
            evidence.push(
                evidence_file(root, &p)
                    .map_err(|e| InputError::new(path, Location::Line(line), e.to_string()))?,
            );
        }
        rows.push(Row {
            line,
            given: Given {
                item: item.trim().to_string(),
                answer: answer.trim().to_string(),
                role: role.to_string(),
                person: who
                    .filter(|p| !p.trim().is_empty())
                    .unwrap_or_else(|| person.to_string()),
                note,
                evidence,
                derived: None,
            },
        });
        Ok(())
    };
    let is_toml = path.extension().is_some_and(|x| x == "toml");
    if is_toml {
        let file: TomlFile = crate::workspace::parse_toml(path, text)?;
        for a in file.answer {
            let line = match Location::from_offset(text.as_bytes(), a.span().start) {
                Location::LineCol { line, .. } => line,
                _ => 0,
            };
            let a = a.into_inner();
            push(line, a.item, a.answer, a.note, a.person, a.evidence)?;
        }
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::Headers)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| InputError::new(path, Location::Line(1), e.to_string()))?
            .clone();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                InputError::new(path, Location::Line(line), e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let a: CsvAnswer = record
                .deserialize(Some(&headers))
                .map_err(|e| InputError::new(path, Location::Line(line), e.to_string()))?;
            let files = a.evidence.split(';').map(str::to_string).collect();
            push(line, a.item, a.answer, a.note, Some(a.person), files)?;
        }
    }
    if rows.is_empty() {
        return Err(InputError::whole_file(path, "holds no answers"));
    }
    Ok(rows)
}
