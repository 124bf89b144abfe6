//! Typed JSON reading with errors that name the place: JSON pointer plus line and column.

use crate::error::{InputError, Location};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Deserialises `bytes` into `T`, turning any failure into an [`InputError`] that names the
/// JSON pointer of the offending value (and its line:column) and what was expected there.
pub fn from_slice<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, InputError> {
    let bytes = super::detect::strip_bom(bytes);
    // Tracking the path costs an allocation per object key, which doubles the time of a large
    // load; so the path is only tracked when a plain parse has failed, to name the place.
    // Deeply nested garbage must fail cleanly rather than blow the stack: serde_json's
    // recursion limit (128) stays on in both.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    if let Ok(value) = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value)) {
        return Ok(value);
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
    fn trailing_garbage_is_an_error() {
        assert!(from_slice::<Doc>(Path::new("f.json"), br#"{"items":[]} x"#).is_err());
    }
}
