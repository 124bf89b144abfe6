//! Errors meaning "could not run": unreadable or malformed input, named with file and place.
//!
//! Problems found *in* well-formed input (a dangling reference, a missing version) are not errors
//! but findings; see [`crate::inventory::Finding`].

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// 1-based line and column.
    LineCol { line: usize, column: usize },
    /// 1-based line only (line-oriented formats such as CSV and SPDX tag-value).
    Line(usize),
    /// An RFC 6901 JSON pointer, e.g. `/components/3/version`.
    Pointer(String),
    /// The file as a whole (empty, binary, unknown format).
    File,
}

impl Location {
    /// Line and column of a byte offset in `text`, both 1-based, columns counted in characters.
    pub fn from_offset(text: &[u8], offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Location::LineCol { line, column }
    }
}

/// Line and column of many offsets in one text, found in one pass over it when the offsets come
/// in increasing order (a reader's places do): [`Location::from_offset`] counts from the start
/// each time, which made locating every element of a large file quadratic.
pub(crate) struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(text: &'a str) -> LineCursor<'a> {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The same as `Location::from_offset(text, offset)`, for an `offset` on a character
    /// boundary.
    pub(crate) fn at(&mut self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineCursor::new(self.text);
        }
        let passed = &self.text.as_bytes()[self.offset..offset];
        match memchr::memrchr(b'\n', passed) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', passed).count();
                self.column = chars(&passed[last + 1..]) + 1;
            }
            None => self.column += chars(passed),
        }
        self.offset = offset;
        Location::LineCol {
            line: self.line,
            column: self.column,
        }
    }
}

/// Characters in UTF-8 bytes that start and end on character boundaries: every byte that does
/// not continue a character starts one.
fn chars(utf8: &[u8]) -> usize {
    utf8.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineCol { line, column } => write!(f, "{line}:{column}"),
            Location::Line(line) => write!(f, "{line}"),
            Location::Pointer(p) if p.is_empty() => f.write_str("/"),
            Location::Pointer(p) => f.write_str(p),
            Location::File => Ok(()),
        }
    }
}

/// The most characters of one error message.
const MAX_MESSAGE: usize = 1000;

/// Input that could not be read or understood. Displays as one line:
/// `FILE:PLACE: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl InputError {
    pub fn new(file: &Path, location: Location, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            location,
            // However much of the input a parser quoted, the message stays readable.
            message: excerpt(&one_line(&message.into()), MAX_MESSAGE).into_owned(),
        }
    }

    pub fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        InputError::new(file, Location::File, message)
    }
}

/// At most `max` characters of `text` to quote in a message, with how much was left out: an
/// error about a header of a million columns quotes its start, not ten megabytes.
pub fn excerpt(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((cut, _)) => {
            let left = text[cut..].chars().count();
            format!("{}… ({left} more characters)", &text[..cut]).into()
        }
    }
}

/// Folds a message from a library (some span several lines, with source excerpts) into one
/// line, so every error stays one line on the terminal and in logs.
fn one_line(message: &str) -> String {
    let parts: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    parts.join("; ")
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::File => write!(f, "{}: {}", self.file.display(), self.message),
            loc => write!(f, "{}:{}: {}", self.file.display(), loc, self.message),
        }
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_line_and_character_column() {
        let text = "ab\n设备,x\n".as_bytes();
        assert_eq!(
            Location::from_offset(text, 0),
            Location::LineCol { line: 1, column: 1 }
        );
        // "设备," is 7 bytes; offset 10 is the 'x' on line 2, the fourth character.
        assert_eq!(
            Location::from_offset(text, 10),
            Location::LineCol { line: 2, column: 4 }
        );
    }

    #[test]
    fn the_line_cursor_agrees_with_from_offset() {
        let text = "<a>\r\n  <b x=\"设备\"/>\n\n<c>é</c><d/>\n  <e/>";
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut cursor = LineCursor::new(text);
        // Forwards (the usual case), then backwards and skipping, which start over.
        for &i in boundaries.iter().chain(boundaries.iter().rev().step_by(3)) {
            assert_eq!(
                cursor.at(i),
                Location::from_offset(text.as_bytes(), i),
                "offset {i}"
            );
        }
    }

    #[test]
    fn excerpts_are_bounded_and_say_what_is_left_out() {
        assert_eq!(excerpt("设备名称,型号", 10), "设备名称,型号");
        assert_eq!(excerpt("设备名称,型号", 4), "设备名称… (3 more characters)");
    }

    #[test]
    fn displays_as_one_line() {
        let e = InputError::new(
            Path::new("a.json"),
            Location::Pointer("/x/0".into()),
            "expected a string",
        );
        assert_eq!(e.to_string(), "a.json:/x/0: expected a string");
        let e = InputError::whole_file(Path::new("b.bin"), "binary file");
        assert_eq!(e.to_string(), "b.bin: binary file");
    }
}
