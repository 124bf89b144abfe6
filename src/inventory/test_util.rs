//! Helpers shared by the parsers' unit tests.

use std::path::Path;

/// Every JSON pointer in `v`, root excluded.
fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &serde_json::Value)> = match v {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let p = format!("{at}/{key}");
        out.push(p.clone());
        pointers(child, p, out);
    }
}

/// Replaces each value of a JSON document in turn with a value of every other JSON type, and
/// cuts the bytes short at many places: `parse` must answer each with a document or an error,
/// never a panic.
pub fn survives_every_type_confusion(name: &str, bytes: &[u8], parse: impl Fn(&Path, &[u8])) {
    let original: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut all = Vec::new();
    pointers(&original, String::new(), &mut all);
    let others = [
        serde_json::json!(null),
        serde_json::json!(7),
        serde_json::json!("NOASSERTION"),
        serde_json::json!([{}]),
        serde_json::json!({"a": []}),
    ];
    for p in all {
        for other in &others {
            let mut doc = original.clone();
            if let Some(slot) = doc.pointer_mut(&p) {
                *slot = other.clone();
            }
            parse(Path::new(name), &serde_json::to_vec(&doc).unwrap());
        }
    }
    for cut in (0..bytes.len()).step_by(29) {
        parse(Path::new(name), &bytes[..cut]);
    }
}
