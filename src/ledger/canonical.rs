//! Canonical JSON for signed records: RFC 8785 (through `serde_jcs`) guarded against its pitfalls.
//!
//! RFC 8785 alone is not enough for records people sign: integers above 2^53 are silently
//! rounded (JSON numbers are IEEE doubles there), floats change their spelling, Unicode is not
//! normalised, and `serde_json` keeps the last of duplicate keys. So every value that goes into
//! a record is first normalised to NFC and checked to hold no floats and no integers outside
//! ±(2^53 − 1); every line read back is parsed with duplicate keys rejected.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// The largest integer a JSON number keeps exactly in every implementation (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Parses JSON strictly: duplicate keys, floats and unsafe integers are errors, not silently
/// resolved. Returns the message of the first problem.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

struct StrictSeed;

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(E::custom(unsafe_integer(&v.to_string())));
        }
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(E::custom(unsafe_integer(&v.to_string())));
        }
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Err(E::custom(format!(
            "the number {v} is not an integer: signed records hold no floating-point numbers; write it as a string"
        )))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(StrictSeed)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key '{key}'")));
            }
            let value = map.next_value_seed(StrictSeed)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

fn unsafe_integer(text: &str) -> String {
    format!("the integer {text} is beyond ±(2^53 − 1) and would be rounded by JSON readers; write it as a string")
}

/// Checks that a value may go into a signed record: no floats, no unsafe integers. Returns the
/// JSON pointer and reason of the first violation.
pub fn check_value(value: &Value) -> Result<(), String> {
    fn walk(v: &Value, path: &mut String) -> Result<(), String> {
        match v {
            Value::Number(n) => {
                let ok = match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => u <= MAX_SAFE_INTEGER,
                    (None, Some(i)) => i.unsigned_abs() <= MAX_SAFE_INTEGER,
                    (None, None) => false,
                };
                if !ok {
                    let why = if n.is_f64() {
                        format!(
                            "the number {n} is not an integer: signed records hold no floating-point numbers; write it as a string"
                        )
                    } else {
                        unsafe_integer(&n.to_string())
                    };
                    return Err(format!("{}: {why}", pointer(path)));
                }
                Ok(())
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(value, &mut String::new())
}

fn pointer(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

/// Normalises every string and key of `value` to Unicode NFC. Two keys of one object that only
/// differ in normalisation become duplicates, which is an error.
pub fn normalize_nfc(value: Value) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(nfc(s)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(normalize_nfc)
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let k = nfc(k);
                if out.contains_key(&k) {
                    return Err(format!(
                        "two keys are the same text '{k}' once normalised to NFC"
                    ));
                }
                out.insert(k, normalize_nfc(v)?);
            }
            Value::Object(out)
        }
        other => other,
    })
}

fn nfc(s: String) -> String {
    if is_nfc(&s) {
        s
    } else {
        s.nfc().collect()
    }
}

/// Whether every string and key of `value` is already in NFC.
pub fn is_all_nfc(value: &Value) -> bool {
    match value {
        Value::String(s) => is_nfc(s),
        Value::Array(items) => items.iter().all(is_all_nfc),
        Value::Object(map) => map.iter().all(|(k, v)| is_nfc(k) && is_all_nfc(v)),
        _ => true,
    }
}

/// The RFC 8785 canonical bytes of a value that passed [`check_value`].
pub fn to_canonical(value: &Value) -> Result<Vec<u8>, String> {
    check_value(value)?;
    serde_jcs::to_vec(value).map_err(|e| e.to_string())
}

/// The RFC 8785 bytes of a value that passed [`check_value`], written directly. `verify`
/// re-encodes every line to prove it canonical; `serde_jcs` re-parses each key and boxes a
/// writer per token, which made that the slowest phase of verification. For values without
/// floats the two agree byte for byte (a property test below holds them to it); records are
/// still written through `serde_jcs`.
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // RFC 8785 §3.2.3: by UTF-16 code units. For ASCII keys that is byte order.
            if entries.iter().all(|(k, _)| k.is_ascii()) {
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            } else {
                entries.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            }
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string as ECMAScript's `JSON.stringify` writes it (RFC 8785 §3.2.2.2).
fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x00..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        match escape {
            Some(e) => out.extend_from_slice(e),
            None => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-(MAX_SAFE_INTEGER as i64)..=MAX_SAFE_INTEGER as i64).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\\x00-\\x20\"\\\\/\u{7f}\u{2028}\u{e9}\u{1f600}\u{fb33}a-z]{0,8}"
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn the_fast_writer_agrees_with_serde_jcs(v in arb_value()) {
            let mut fast = Vec::new();
            write_canonical(&v, &mut fast);
            prop_assert_eq!(String::from_utf8(fast).unwrap(), serde_jcs::to_string(&v).unwrap());
        }
    }

    /// RFC 8785 §3.2.2: the sample input and its canonical form, through the crate we use.
    #[test]
    fn rfc8785_sample_through_serde_jcs() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let out = serde_jcs::to_string(&value).unwrap();
        assert_eq!(
            out,
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        // The RFC also gives the UTF-8 bytes; the euro sign is e2 82 ac.
        assert!(out.as_bytes().windows(3).any(|w| w == [0xe2, 0x82, 0xac]));
    }

    /// RFC 8785 §3.2.3: keys sort by their UTF-16 code units, not by UTF-8 bytes or scalars.
    #[test]
    fn rfc8785_key_sorting() {
        let input = r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let out = serde_jcs::to_string(&value).unwrap();
        let order: Vec<String> = serde_json::from_str::<Map<String, Value>>(&out)
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            order,
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh"
            ]
        );
    }

    /// RFC 8785 appendix B: numbers as ES6 writes them (the crate gets these right; records
    /// still refuse floats, see below).
    #[test]
    fn rfc8785_number_examples() {
        for (bits, want) in [
            (0x0000000000000000u64, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ] {
            let v = f64::from_bits(bits);
            assert_eq!(serde_jcs::to_string(&v).unwrap(), want, "{bits:#x}");
        }
    }

    /// The pitfalls the standards notes list, each shown and guarded.
    #[test]
    fn pitfalls_are_guarded() {
        // serde_jcs rounds integers above 2^53 silently ...
        let big = json!(9007199254740993u64);
        assert_eq!(serde_jcs::to_string(&big).unwrap(), "9007199254740992");
        // ... so records refuse them, and floats, with the place named.
        let err = to_canonical(&json!({"a": [1, 9007199254740993u64]})).unwrap_err();
        assert!(err.starts_with("/a/1:"), "{err}");
        let err = to_canonical(&json!({"x": 1.5})).unwrap_err();
        assert!(err.contains("not an integer"), "{err}");
        assert_eq!(
            to_canonical(&json!({"n": -9007199254740991i64})).unwrap(),
            br#"{"n":-9007199254740991}"#
        );
        // serde_json keeps the last duplicate; the strict reader refuses.
        assert!(serde_json::from_str::<Value>(r#"{"a":1,"a":2}"#).is_ok());
        assert!(parse_strict(br#"{"a":1,"a":2}"#)
            .unwrap_err()
            .contains("duplicate key 'a'"));
        assert!(parse_strict(b"[1.0]")
            .unwrap_err()
            .contains("not an integer"));
        assert!(parse_strict(b"[18014398509481984]").is_err());
        assert!(parse_strict(b"{} x").is_err());
        // No normalisation in RFC 8785: "é" as e + combining acute is another string.
        let decomposed = json!({"name": "Cafe\u{301}"});
        let composed = normalize_nfc(decomposed.clone()).unwrap();
        assert_ne!(
            to_canonical(&decomposed).unwrap(),
            to_canonical(&composed).unwrap()
        );
        assert_eq!(composed["name"], "Caf\u{e9}");
        assert!(!is_all_nfc(&decomposed) && is_all_nfc(&composed));
        let clash = json!({"Cafe\u{301}": 1, "Caf\u{e9}": 2});
        assert!(normalize_nfc(clash).is_err());
    }
}
