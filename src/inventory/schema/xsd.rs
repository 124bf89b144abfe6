//! CycloneDX XML against the official XSDs (1.2–1.7), through libxml2 by way of the `libxml`
//! crate: the one maintained, complete XSD 1.0 validator a Rust program can use.
//!
//! libxml2 resolves the XSDs' `xs:import` of the SPDX licence-id schema through its external
//! entity loader; anbao replaces that loader with one that serves the embedded `spdx.xsd` and
//! refuses every other address, so neither a schema nor a document can make it fetch anything.
//! Documents reach libxml2 only after anbao's own reader has accepted them (no DOCTYPE, so no
//! entities), and are parsed with network access off.

use super::{message, Outcome, SchemaRef, Verdict, Violation};
use crate::error::Location;
use crate::inventory::{detect, Format};
use libxml::bindings;
use libxml::error::StructuredError;
use libxml::parser::{Parser, ParserOptions};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CStr};
use std::sync::Once;

struct Entry {
    version: &'static str,
    schema: SchemaRef,
    source: &'static str,
}

macro_rules! entry {
    ($version:expr) => {
        Entry {
            version: $version,
            schema: SchemaRef {
                name: concat!("CycloneDX ", $version, " XML schema (XSD)"),
                file: concat!("schemas/cyclonedx/bom-", $version, ".xsd"),
            },
            source: include_str!(concat!("../../../schemas/cyclonedx/bom-", $version, ".xsd")),
        }
    };
}

static XSDS: [Entry; 6] = [
    entry!("1.2"),
    entry!("1.3"),
    entry!("1.4"),
    entry!("1.5"),
    entry!("1.6"),
    entry!("1.7"),
];

/// The namespace of CycloneDX XML before its version.
const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// Where every CycloneDX XSD imports the SPDX licence ids from.
const SPDX_LOCATION: &str = "http://cyclonedx.org/schema/spdx";
/// The SPDX licence-id XSD, NUL-terminated for libxml2.
const SPDX_XSD: &str = concat!(include_str!("../../../schemas/cyclonedx/spdx.xsd"), "\0");

/// The CycloneDX version an XML document's root element states by its namespace.
fn stated_version(document: &libxml::tree::Document) -> String {
    let namespace = document
        .get_root_element()
        .and_then(|root| root.get_namespace())
        .map(|ns| ns.get_href())
        .unwrap_or_default();
    namespace
        .strip_prefix(NAMESPACE_PREFIX)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string()
}

thread_local! {
    /// Compiled schemas by version. libxml2's compiled schemas cannot cross threads, and
    /// compiling one takes longer than validating a typical document.
    static COMPILED: RefCell<HashMap<&'static str, SchemaValidationContext>> =
        RefCell::new(HashMap::new());
}

/// Validates `bytes`, a CycloneDX XML document, against the XSD of the version its namespace
/// states.
pub(super) fn validate(bytes: &[u8]) -> Result<Outcome, String> {
    install_loader();
    let bytes = detect::strip_bom(bytes);
    let options = ParserOptions {
        no_net: true,
        no_error: true,
        no_warning: true,
        ..ParserOptions::default()
    };
    let (document, _) = Parser::default()
        .parse_string_with_diagnostics(bytes, options)
        .map_err(|e| format!("not XML: {e:?}"))?;
    let version = stated_version(&document);
    let Some(entry) = XSDS.iter().find(|e| e.version == version) else {
        let root = root_offset(bytes);
        let location = Location::from_offset(bytes, root).to_string();
        let verdict = super::unknown_version(Format::CycloneDxXml, &version, location);
        return Ok(Outcome { version, verdict });
    };
    let text = String::from_utf8_lossy(bytes);
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if !compiled.contains_key(entry.version) {
            compiled.insert(entry.version, compile(entry)?);
        }
        let context = compiled
            .get_mut(entry.version)
            .expect("compiled just above");
        let mut violations: Vec<Violation> = match context.validate_document(&document) {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| violation(e, &text))
                .collect::<Result<_, _>>()?,
        };
        violations.sort_by(|a, b| super::document_order(&a.location, &b.location));
        Ok(Outcome {
            version,
            verdict: Verdict::Checked {
                schema: entry.schema,
                violations,
            },
        })
    })
}

fn compile(entry: &Entry) -> Result<SchemaValidationContext, String> {
    let mut parser = SchemaParserContext::from_buffer(entry.source);
    SchemaValidationContext::from_parser(&mut parser).map_err(|errors| {
        let first = errors.first().and_then(|e| e.message.clone());
        format!(
            "{} does not compile: {}",
            entry.schema.file,
            first.unwrap_or_default().trim()
        )
    })
}

/// One libxml2 error as a violation. An error outside schema validation (libxml2 failed to
/// run) is an `Err`, never a verdict about the document.
fn violation(error: &StructuredError, text: &str) -> Result<Violation, String> {
    let detail = error.message.as_deref().unwrap_or_default();
    if error.domain != bindings::xmlErrorDomain_XML_FROM_SCHEMASV as i32
        || error.code == bindings::xmlParserErrors_XML_SCHEMAV_INTERNAL as i32
    {
        return Err(format!("XML schema validation failed: {}", detail.trim()));
    }
    let rule = message::xsd_rule(error.code);
    let line = error.line.filter(|&l| l > 0).map(|l| l as usize);
    let column = error
        .col
        .filter(|&c| c > 0)
        .map(|c| c as usize)
        .or_else(|| line.and_then(|l| element_column(text, l, detail)));
    let location = match (line, column) {
        (Some(l), Some(c)) => format!("{l}:{c}"),
        (Some(l), None) => l.to_string(),
        _ => String::new(),
    };
    Ok(Violation {
        location,
        rule: rule.map_or_else(|| format!("libxml2 error {}", error.code), str::to_string),
        message: message::xsd(rule, detail),
    })
}

/// The column where the element a libxml2 message names (`Element '{ns}name': …`) starts on
/// line `line`: libxml2 reports only the line of a validity error.
fn element_column(text: &str, line: usize, detail: &str) -> Option<usize> {
    let named = detail.strip_prefix("Element '")?;
    let qualified = &named[..named.find('\'')?];
    let local = qualified.rsplit('}').next()?;
    let row = text.lines().nth(line - 1)?;
    let mut search = 0;
    while let Some(found) = row[search..].find('<') {
        let at = search + found;
        let tag = &row[at + 1..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.rsplit(':').next() == Some(local) {
            return Some(row[..at].chars().count() + 1);
        }
        search = at + 1;
    }
    None
}

/// Where the root element starts: the first tag that is not a declaration, processing
/// instruction or comment.
fn root_offset(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        match bytes.get(start + 1) {
            Some(b'?' | b'!') => at = start + 1,
            _ => return start,
        }
    }
    0
}

/// Makes libxml2 load external resources only from the embedded SPDX schema.
fn install_loader() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: libxml2 keeps the function pointer for the life of the process; setting it
        // once, before any schema is parsed, races with nothing.
        unsafe { bindings::xmlSetExternalEntityLoader(Some(embedded_only)) }
    });
}

/// libxml2's external entity loader: the SPDX licence-id schema from the binary, nothing else.
unsafe extern "C" fn embedded_only(
    url: *const c_char,
    _id: *const c_char,
    context: bindings::xmlParserCtxtPtr,
) -> bindings::xmlParserInputPtr {
    if url.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: libxml2 passes a NUL-terminated URL that lives through this call.
    let url = unsafe { CStr::from_ptr(url) };
    if url.to_bytes() != SPDX_LOCATION.as_bytes() {
        return std::ptr::null_mut();
    }
    // SAFETY: SPDX_XSD is a static, NUL-terminated string; libxml2 copies it into the input.
    unsafe { bindings::xmlNewStringInputStream(context, SPDX_XSD.as_ptr()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_of_the_named_element_is_found_on_its_line() {
        let text = "<bom>\n  <cdx:components><cdx:component type=\"library\"/>\n</bom>";
        assert_eq!(
            element_column(text, 2, "Element '{urn:x}component': Missing child"),
            Some(19)
        );
        assert_eq!(element_column(text, 2, "no element named"), None);
    }

    #[test]
    fn every_shipped_xsd_compiles_offline() {
        install_loader();
        for entry in &XSDS {
            compile(entry).unwrap();
        }
    }
}
