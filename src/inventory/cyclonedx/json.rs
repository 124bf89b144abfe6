//! CycloneDX JSON: typed deserialisation straight into the raw structs (no intermediate
//! `serde_json::Value`, which would cost a second pass and a tree of allocations).

use super::{convert, is_supported, RawBom, SUPPORTED_VERSIONS};
use crate::error::{InputError, Location};
use crate::inventory::{json, Document, Format};
use std::borrow::Cow;
use std::path::Path;

/// Parses a CycloneDX JSON document. Given the bytes owned, it frees them before building the
/// edges, so a large file and its edges are never in memory together.
pub fn parse<'a>(path: &Path, bytes: impl Into<Cow<'a, [u8]>>) -> Result<Document, InputError> {
    let bytes = bytes.into();
    let (version, raw) = read(path, &bytes)?;
    drop(bytes);
    Ok(convert(path, Format::CycloneDxJson, version, raw))
}

/// The raw BOM and its spec version, checked to be CycloneDX of a supported version.
fn read(path: &Path, bytes: &[u8]) -> Result<(String, RawBom), InputError> {
    let raw: RawBom = match json::from_slice(path, bytes) {
        Ok(raw) => raw,
        Err(err) => {
            // A document of another spec version may fail on a field whose shape changed;
            // the version is then the better explanation.
            if let Some(version) = sniff_spec_version(bytes) {
                if !is_supported(&version) {
                    return Err(unsupported(path, &version));
                }
            }
            return Err(err);
        }
    };
    match raw.bom_format.as_deref() {
        Some("CycloneDX") => {}
        Some(other) => {
            return Err(InputError::new(
                path,
                Location::Pointer("/bomFormat".into()),
                format!("bomFormat is '{other}', expected 'CycloneDX'"),
            ))
        }
        None => {
            return Err(InputError::new(
                path,
                Location::Pointer("/bomFormat".into()),
                "missing 'bomFormat': expected \"CycloneDX\"",
            ))
        }
    }
    let version = raw.spec_version.clone().ok_or_else(|| {
        InputError::new(
            path,
            Location::Pointer("/specVersion".into()),
            "missing 'specVersion': expected a CycloneDX version from 1.2 to 1.7",
        )
    })?;
    if !is_supported(&version) {
        return Err(unsupported(path, &version));
    }
    Ok((version, raw))
}

fn unsupported(path: &Path, version: &str) -> InputError {
    InputError::new(
        path,
        Location::Pointer("/specVersion".into()),
        format!(
            "unsupported CycloneDX spec version '{version}': expected one of {}",
            SUPPORTED_VERSIONS.join(", ")
        ),
    )
}

/// The string value of the first `"specVersion"` key, found without a full parse.
fn sniff_spec_version(bytes: &[u8]) -> Option<String> {
    let key = b"\"specVersion\"";
    let at = memchr::memmem::find(bytes, key)? + key.len();
    let rest = &bytes[at..bytes.len().min(at + 64)];
    let rest = std::str::from_utf8(rest).ok().or_else(|| {
        // The window may end inside a multi-byte character; the value itself is ASCII.
        std::str::from_utf8(&rest[..rest.len().saturating_sub(3)]).ok()
    })?;
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ComponentType, EdgeKind, LicenseValue};

    fn parse_str(s: &str) -> Result<Document, InputError> {
        parse(Path::new("t.json"), s.as_bytes())
    }

    #[test]
    fn reads_a_1_6_hardware_component_with_manufacturer() {
        let doc = parse_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"timestamp":"2026-01-01T00:00:00Z",
            "tools":{"components":[{"group":"@cyclonedx","name":"cdxgen","version":"11"}]},
            "component":{"type":"device","bom-ref":"srv","name":"TaiShan 200",
              "manufacturer":{"name":"华为","address":{"country":"CN"}},
              "components":[{"type":"firmware","bom-ref":"bmc","name":"iBMC","version":"3.1"}]}},
            "components":[{"type":"library","bom-ref":"a","name":"a","version":"1",
              "licenses":[{"expression":"MIT OR Apache-2.0"}],"properties":[{"name":"cdx:device:quantity","value":"2"}]}],
            "dependencies":[{"ref":"srv","dependsOn":["a"]}]}"#,
        )
        .unwrap();
        assert_eq!(doc.meta.spec_version, "1.6");
        assert_eq!(doc.meta.tools, ["@cyclonedx cdxgen 11"]);
        assert_eq!(doc.meta.roots, ["srv"]);
        let srv = &doc.components[0];
        assert_eq!(srv.kind, ComponentType::Device);
        let m = srv.manufacturer.as_ref().unwrap();
        assert_eq!(
            (m.name.as_str(), m.country.as_deref()),
            ("华为", Some("CN"))
        );
        assert_eq!(srv.location, "/metadata/component");
        let bmc = &doc.components[1];
        assert_eq!(bmc.parent.as_deref(), Some("srv"));
        assert_eq!(bmc.location, "/metadata/component/components/0");
        let a = &doc.components[2];
        assert_eq!(a.location, "/components/0");
        assert_eq!(a.hardware.quantity, Some(2));
        assert_eq!(
            a.licenses[0].value,
            LicenseValue::Expression("MIT OR Apache-2.0".into())
        );
        assert_eq!(doc.edges[0].kind, EdgeKind::DependsOn);
        assert_eq!(doc.edges[0].location, "/dependencies/0");
    }

    #[test]
    fn legacy_tools_and_manufacture_are_read() {
        let doc = parse_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"tools":[{"vendor":"CycloneDX","name":"cli","version":"0.1"}],
            "manufacture":{"name":"ACME"},"component":{"type":"application","name":"p"}}}"#,
        )
        .unwrap();
        assert_eq!(doc.meta.tools, ["CycloneDX cli 0.1"]);
        assert_eq!(
            doc.components[0].manufacturer.as_ref().unwrap().name,
            "ACME"
        );
    }

    #[test]
    fn versions_outside_1_2_to_1_7_are_refused_by_pointer() {
        for v in ["1.1", "2.0", "1.8"] {
            let err = parse_str(&format!(
                r#"{{"bomFormat":"CycloneDX","specVersion":"{v}"}}"#
            ))
            .unwrap_err();
            assert_eq!(err.location, Location::Pointer("/specVersion".into()));
            assert!(err.message.contains(&format!("'{v}'")), "{}", err.message);
        }
        let err = parse_str(r#"{"bomFormat":"CycloneDX"}"#).unwrap_err();
        assert!(err.message.contains("missing 'specVersion'"));
        let err = parse_str(r#"{"bomFormat":"SPDX","specVersion":"1.5"}"#).unwrap_err();
        assert_eq!(err.location, Location::Pointer("/bomFormat".into()));
    }

    #[test]
    fn wrong_types_name_the_pointer() {
        let err = parse_str(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a"},{"name":["x"]}]}"#)
            .unwrap_err();
        assert_eq!(err.location, Location::Pointer("/components/1/name".into()));
    }

    #[test]
    fn sniffs_the_version_without_parsing() {
        assert_eq!(
            sniff_spec_version(br#"{"specVersion" : "1.1", "x": ["#).as_deref(),
            Some("1.1")
        );
        assert_eq!(sniff_spec_version(br#"{"a":1}"#), None);
    }
}
