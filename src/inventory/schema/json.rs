//! JSON documents against their official JSON Schemas (CycloneDX 1.2–1.7, SPDX 2.2/2.3 and
//! 3.0.0/3.0.1), through the `jsonschema` crate.

use super::{message, Outcome, SchemaRef, Verdict, Violation};
use crate::inventory::{detect, Format};
use jsonschema::{Registry, ValidationError, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// One shipped schema, compiled on first use and kept for the life of the process.
struct Entry {
    schema: SchemaRef,
    source: &'static str,
    compiled: OnceLock<Result<Validator, String>>,
}

macro_rules! entry {
    ($name:expr, $file:expr) => {
        Entry {
            schema: SchemaRef {
                name: $name,
                file: concat!("schemas/", $file),
            },
            source: include_str!(concat!("../../../schemas/", $file)),
            compiled: OnceLock::new(),
        }
    };
}

static CYCLONEDX: [Entry; 6] = [
    entry!("CycloneDX 1.2 JSON schema", "cyclonedx/bom-1.2.schema.json"),
    entry!("CycloneDX 1.3 JSON schema", "cyclonedx/bom-1.3.schema.json"),
    entry!("CycloneDX 1.4 JSON schema", "cyclonedx/bom-1.4.schema.json"),
    entry!("CycloneDX 1.5 JSON schema", "cyclonedx/bom-1.5.schema.json"),
    entry!("CycloneDX 1.6 JSON schema", "cyclonedx/bom-1.6.schema.json"),
    entry!("CycloneDX 1.7 JSON schema", "cyclonedx/bom-1.7.schema.json"),
];

static SPDX: [Entry; 4] = [
    entry!("SPDX 2.2 JSON schema", "spdx/spdx-2.2.schema.json"),
    entry!("SPDX 2.3 JSON schema", "spdx/spdx-2.3.schema.json"),
    entry!("SPDX 3.0.0 JSON schema", "spdx/spdx-3.0.0.schema.json"),
    entry!("SPDX 3.0.1 JSON schema", "spdx/spdx-3.0.1.schema.json"),
];

/// The schemas the CycloneDX schemas refer to, under the URIs their references resolve to.
const CYCLONEDX_SHARED: [(&str, &str); 3] = [
    (
        "http://cyclonedx.org/schema/spdx.schema.json",
        include_str!("../../../schemas/cyclonedx/spdx.schema.json"),
    ),
    (
        "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        include_str!("../../../schemas/cyclonedx/jsf-0.82.schema.json"),
    ),
    (
        "http://cyclonedx.org/schema/cryptography-defs.schema.json",
        include_str!("../../../schemas/cyclonedx/cryptography-defs.schema.json"),
    ),
];

/// The schema of a JSON format's version, if anbao ships one.
fn schema_for(format: Format, version: &str) -> Option<&'static Entry> {
    match (format, version) {
        (Format::CycloneDxJson, v) => {
            let at = crate::inventory::cyclonedx::SUPPORTED_VERSIONS
                .iter()
                .position(|s| *s == v)?;
            Some(&CYCLONEDX[at])
        }
        (Format::SpdxJson, "SPDX-2.2") => Some(&SPDX[0]),
        (Format::SpdxJson, "SPDX-2.3") => Some(&SPDX[1]),
        (Format::Spdx3JsonLd, "3.0.0") => Some(&SPDX[2]),
        (Format::Spdx3JsonLd, "3.0.1") => Some(&SPDX[3]),
        _ => None,
    }
}

/// The version a JSON document states, where its format says it: `specVersion`,
/// `spdxVersion`, or the SPDX 3 context it is written against.
fn stated_version(format: Format, document: &Value) -> String {
    let text = |key: &str| document.get(key).and_then(Value::as_str);
    let version = match format {
        Format::CycloneDxJson => text("specVersion"),
        Format::SpdxJson => text("spdxVersion"),
        _ => text("@context").and_then(|context| {
            context
                .strip_prefix("https://spdx.org/rdf/")?
                .strip_suffix("/spdx-context.jsonld")
        }),
    };
    version.unwrap_or_default().to_string()
}

/// Validates `bytes` (a JSON document, with or without a UTF-8 byte-order mark) against the
/// schema of the version it states.
pub(super) fn validate(format: Format, bytes: &[u8]) -> Result<Outcome, String> {
    let instance: Value =
        serde_json::from_slice(detect::strip_bom(bytes)).map_err(|e| format!("not JSON: {e}"))?;
    let version = stated_version(format, &instance);
    let Some(entry) = schema_for(format, &version) else {
        let verdict = super::unknown_version(format, &version, "/specVersion".into());
        return Ok(Outcome { version, verdict });
    };
    let validator = entry
        .compiled
        .get_or_init(|| compile(entry))
        .as_ref()
        // The shipped schemas compile (a unit test builds each); this is a broken build.
        .map_err(|e| format!("{} does not compile: {e}", entry.schema.file))?;
    let violations = violations(validator, &instance, entry.schema.file);
    Ok(Outcome {
        version,
        verdict: Verdict::Checked {
            schema: entry.schema,
            violations,
        },
    })
}

/// Every violation of `instance`, in document order.
fn violations(validator: &Validator, instance: &Value, file: &str) -> Vec<Violation> {
    let mut out: Vec<Violation> = validator
        .iter_errors(instance)
        .map(|e| violation(&e, file))
        .collect();
    // The validator reports in schema order; a reader fixes a file top to bottom.
    out.sort_by(|a, b| super::document_order(&a.location, &b.location));
    out
}

fn violation(error: &ValidationError<'_>, file: &str) -> Violation {
    Violation {
        location: error.instance_path().as_str().to_string(),
        rule: rule(error, file),
        message: message::json(error),
    }
}

/// The keyword and where it sits in the schema: `required @ bom-1.6.schema.json#/definitions/…`.
fn rule(error: &ValidationError<'_>, file: &str) -> String {
    let keyword = error.kind().keyword();
    let last_segment = |uri: &str| uri.rsplit('/').next().unwrap_or(uri).to_string();
    let (document, pointer) = match error.absolute_keyword_location() {
        Some(uri) => {
            let (document, fragment) = uri.as_str().split_once('#').unwrap_or((uri.as_str(), ""));
            (last_segment(document), fragment.to_string())
        }
        None => (last_segment(file), error.schema_path().as_str().to_string()),
    };
    // The pointer ends in the keyword, which is named first.
    let pointer = pointer
        .strip_suffix(keyword)
        .and_then(|p| p.strip_suffix('/'))
        .unwrap_or(&pointer);
    format!("{keyword} @ {document}#{pointer}")
}

fn compile(entry: &Entry) -> Result<Validator, String> {
    let schema: Value = serde_json::from_str(entry.source).map_err(|e| e.to_string())?;
    let mut registry = Registry::new();
    if entry.schema.file.starts_with("schemas/cyclonedx/") {
        for (uri, text) in CYCLONEDX_SHARED {
            let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            registry = registry.add(uri, value).map_err(|e| e.to_string())?;
        }
    }
    let registry = registry.prepare().map_err(|e| e.to_string())?;
    jsonschema::options()
        .offline()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_schema_compiles() {
        for entry in CYCLONEDX.iter().chain(&SPDX) {
            if let Err(e) = compile(entry) {
                panic!("{}: {e}", entry.schema.file);
            }
        }
    }
}
