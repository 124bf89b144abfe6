//! Typed JSON reading with errors that name the place: JSON pointer plus line and column.

use crate::error::{InputError, Location};
use serde::de::DeserializeOwned;
use std::path::Path;

/// JSON nested deeper than this is refused, with a message saying so. CycloneDX lets
/// components nest without end, two levels of JSON each: serde_json alone stops at 128 levels
/// (63 of components); anbao reads 1024 (511 of components), far beyond any real document.
pub const MAX_DEPTH: usize = 1024;

/// Deserialises `bytes` into `T`, turning any failure into an [`InputError`] that names the
/// JSON pointer of the offending value (and its line:column) and what was expected there.
pub fn from_slice<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, InputError> {
    let bytes = super::detect::strip_bom(bytes);
    // Tracking the path costs an allocation per object key, which doubles the time of a large
    // load; so the path is only tracked when a plain parse has failed, to name the place.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match T::deserialize(&mut de).and_then(|value| de.end().map(|()| value)) {
        Ok(value) => return Ok(value),
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            return from_deep_slice(path, bytes)
        }
        Err(_) => {}
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let pointer = to_pointer(err.path());
        to_input_error(path, pointer, err.into_inner())
    })?;
    de.end()
        .map_err(|e| to_input_error(path, String::new(), e))?;
    Ok(value)
}

/// A document nested deeper than serde_json's own limit: read with that limit off and the
/// stack grown on the heap as needed, once a scan has shown it is at most [`MAX_DEPTH`] deep.
fn from_deep_slice<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, InputError> {
    if let Some(offset) = deeper_than(bytes, MAX_DEPTH) {
        return Err(InputError::new(
            path,
            Location::from_offset(bytes, offset),
            format!(
                "nested deeper than {MAX_DEPTH} levels (components inside components, say); \
                 anbao reads JSON nested up to {MAX_DEPTH} levels"
            ),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.disable_recursion_limit();
    let value: T = serde_path_to_error::deserialize(serde_stacker::Deserializer::new(&mut de))
        .map_err(|err| {
            let pointer = to_pointer(err.path());
            to_input_error(path, pointer, err.into_inner())
        })?;
    de.end()
        .map_err(|e| to_input_error(path, String::new(), e))?;
    Ok(value)
}

/// The offset of the first `[` or `{` that opens level `max + 1`, if any; strings are skipped.
pub fn deeper_than(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn to_input_error(path: &Path, pointer: String, inner: serde_json::Error) -> InputError {
    {
        let (line, column) = (inner.line(), inner.column());
        let what = describe(&inner);
        let location = if pointer.is_empty() || inner.is_syntax() || inner.is_eof() {
            Location::LineCol { line, column }
        } else {
            Location::Pointer(pointer)
        };
        let suffix = match location {
            Location::Pointer(_) => format!(" (line {line}, column {column})"),
            _ => String::new(),
        };
        InputError::new(path, location, format!("{what}{suffix}"))
    }
}

/// serde_json's message without its trailing " at line L column C", which we report ourselves.
fn describe(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    if err.is_eof() {
        format!("truncated JSON: {text}")
    } else if err.is_syntax() {
        format!("invalid JSON: {text}")
    } else {
        text
    }
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
    }

    #[test]
    fn wrong_types_are_reported_by_pointer() {
        let err = from_slice::<Doc>(
            Path::new("f.json"),
            br#"{"items":[{"name":"a"},{"name":7}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.location, Location::Pointer("/items/1/name".into()));
        assert!(err.message.contains("expected a string"), "{}", err.message);
    }

    #[test]
    fn truncation_is_reported_by_line_and_column() {
        let err =
            from_slice::<Doc>(Path::new("f.json"), b"{\"items\":[\n{\"name\":\"a\"").unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 2, .. }),
            "{err}"
        );
        assert!(err.message.starts_with("truncated JSON"), "{}", err.message);
    }

    #[test]
    fn nesting_deeper_than_serde_json_allows_is_read_up_to_the_limit() {
        let nested = |depth: usize| {
            let mut s = "[".repeat(depth);
            s.push_str("\"x\"");
            s.push_str(&"]".repeat(depth));
            s
        };
        let value: serde_json::Value =
            from_slice(Path::new("f.json"), nested(MAX_DEPTH).as_bytes()).unwrap();
        assert!(value.is_array());
        let err =
            from_slice::<serde_json::Value>(Path::new("f.json"), nested(MAX_DEPTH + 1).as_bytes())
                .unwrap_err();
        assert_eq!(
            err.location,
            Location::LineCol {
                line: 1,
                column: MAX_DEPTH + 1
            }
        );
        assert!(
            err.message.starts_with("nested deeper than 1024 levels"),
            "{err}"
        );
        // Brackets inside strings do not count.
        assert_eq!(deeper_than(br#"["[[[[", {"a": "{{{"}]"#, 2), None);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(from_slice::<Doc>(Path::new("f.json"), br#"{"items":[]} x"#).is_err());
    }
}
