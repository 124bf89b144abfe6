//! CycloneDX XML: a guarded event reader builds a small element tree, which is then mapped into
//! the same raw structs as JSON.
//!
//! Security: a DOCTYPE is refused outright, so no entity can be declared, expanded (billion
//! laughs) or fetched (external entities); only the five predefined entities and character
//! references are understood.

use super::{
    convert, is_supported, RawBom, RawComponent, RawContact, RawDependency, RawExternalRef,
    RawHash, RawLicense, RawLicenseChoice, RawMetadata, RawOrg, RawProperty, RawService, RawSwid,
    RawTool, RawTools, SUPPORTED_VERSIONS,
};
use crate::error::{InputError, Location};
use crate::inventory::{Document, Format};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::path::Path;

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// Deeper nesting than this is not a real BOM; refusing it keeps recursion bounded.
const MAX_DEPTH: usize = 200;

/// One XML element: local name, attributes, direct text and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
    /// Byte offset of the start tag, for locations.
    offset: usize,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed text of the named child, if present and not empty.
    fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// Children of the wrapper `outer`, named `inner` (`<hashes><hash/></hashes>`).
    fn list<'a>(
        &'a self,
        outer: &'a str,
        inner: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children_named(outer)
            .flat_map(move |o| o.children_named(inner))
    }
}

pub fn parse<'a>(path: &Path, bytes: impl Into<Cow<'a, [u8]>>) -> Result<Document, InputError> {
    let bytes = bytes.into();
    let bytes = crate::inventory::detect::strip_bom(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            path,
            Location::from_offset(bytes, e.valid_up_to()),
            "invalid UTF-8: CycloneDX XML must be UTF-8 encoded",
        )
    })?;
    let root = read_tree(path, text)?;
    let lines = crate::error::LineIndex::new(bytes);
    let at = |offset: usize| lines.location(offset).to_string();
    if root.name != "bom" {
        return Err(InputError::new(
            path,
            Location::from_offset(bytes, root.offset),
            format!(
                "root element is <{}>, expected a CycloneDX <bom>",
                root.name
            ),
        ));
    }
    let namespace = root
        .attrs
        .iter()
        .find(|(n, v)| (n == "xmlns" || n.starts_with("xmlns:")) && v.starts_with(NAMESPACE_PREFIX))
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| {
            InputError::new(
                path,
                Location::from_offset(bytes, root.offset),
                format!(
                    "<bom> has no CycloneDX namespace: expected xmlns=\"{NAMESPACE_PREFIX}1.x\""
                ),
            )
        })?;
    let version = namespace[NAMESPACE_PREFIX.len()..]
        .trim_end_matches('/')
        .to_string();
    if !is_supported(&version) {
        return Err(InputError::new(
            path,
            Location::from_offset(bytes, root.offset),
            format!(
                "unsupported CycloneDX spec version '{version}' (namespace {namespace}): expected one of {}",
                SUPPORTED_VERSIONS.join(", ")
            ),
        ));
    }
    let raw = RawBom {
        bom_format: Some("CycloneDX".into()),
        spec_version: Some(version.clone()),
        serial_number: root.attr("serialNumber").map(str::to_string),
        metadata: root.child("metadata").map(|m| metadata(m, &at)),
        components: root
            .list("components", "component")
            .map(|c| component(c, &at))
            .collect(),
        services: root
            .list("services", "service")
            .map(|s| service(s, &at))
            .collect(),
        dependencies: root
            .list("dependencies", "dependency")
            .map(|d| dependency(d, &at))
            .collect(),
    };
    Ok(convert(path, Format::CycloneDxXml, version, raw))
}

/// Reads the document into a tree, refusing DTDs and undefined entities.
fn read_tree(path: &Path, text: &str) -> Result<Element, InputError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let error_at = |offset: u64, message: String| {
        InputError::new(
            path,
            Location::from_offset(text.as_bytes(), offset as usize),
            message,
        )
    };
    loop {
        let start = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| error_at(reader.error_position(), format!("invalid XML: {e}")))?;
        match event {
            Event::DocType(_) => {
                return Err(error_at(
                    start,
                    "DOCTYPE refused: CycloneDX needs no DTD, and entity declarations could expand without bound or read external files".into(),
                ))
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(start, format!("elements nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push(element(path, text, &e, start)?);
            }
            Event::Empty(e) => {
                let el = element(path, text, &e, start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => set_root(&mut root, el, |m| error_at(start, m))?,
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(error_at(start, "closing tag without an opening tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => set_root(&mut root, el, |m| error_at(start, m))?,
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.decode().map_err(|e| error_at(start, format!("invalid text: {e}")))?;
                    top.text.push_str(&s);
                } else if !t.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(error_at(start, "text outside the root element".into()));
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.decode().map_err(|e| error_at(start, format!("invalid CDATA: {e}")))?;
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&r).ok_or_else(|| {
                        error_at(
                            start,
                            format!(
                                "undefined entity '&{};': only the predefined XML entities are allowed",
                                String::from_utf8_lossy(&r)
                            ),
                        )
                    })?,
                    Err(e) => return Err(error_at(start, format!("bad character reference: {e}"))),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error_at(
            text.len() as u64,
            format!("truncated XML: <{}> is never closed", open.name),
        ));
    }
    root.ok_or_else(|| InputError::whole_file(path, "no root element: expected a CycloneDX <bom>"))
}

fn set_root(
    root: &mut Option<Element>,
    el: Element,
    error: impl Fn(String) -> InputError,
) -> Result<(), InputError> {
    if root.is_some() {
        return Err(error(
            "a second root element: expected exactly one <bom>".into(),
        ));
    }
    *root = Some(el);
    Ok(())
}

fn predefined_entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => return None,
    })
}

fn element(
    path: &Path,
    text: &str,
    e: &BytesStart<'_>,
    offset: u64,
) -> Result<Element, InputError> {
    let error_at = |message: String| {
        InputError::new(
            path,
            Location::from_offset(text.as_bytes(), offset as usize),
            message,
        )
    };
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| error_at(format!("invalid attribute in <{name}>: {err}")))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|err| {
            error_at(format!(
                "invalid value of attribute '{key}' in <{name}>: {err}"
            ))
        })?;
        // Attributes are matched by local name, except namespace declarations.
        let key = match key.split_once(':') {
            Some(("xmlns", _)) => key,
            Some((_, local)) => local.to_string(),
            None => key,
        };
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        text: String::new(),
        children: Vec::new(),
        offset: offset as usize,
    })
}

fn metadata(m: &Element, at: &dyn Fn(usize) -> String) -> RawMetadata {
    let tools = m.child("tools").map(|t| {
        let legacy: Vec<RawTool> = t.children_named("tool").map(tool).collect();
        if legacy.is_empty() {
            RawTools::Modern {
                components: t.list("components", "component").map(tool).collect(),
                services: t.list("services", "service").map(tool).collect(),
            }
        } else {
            RawTools::Legacy(legacy)
        }
    });
    RawMetadata {
        timestamp: m.text_of("timestamp"),
        tools,
        authors: m.list("authors", "author").map(contact).collect(),
        component: m.child("component").map(|c| component(c, at)),
        manufacture: m.child("manufacture").map(org),
        manufacturer: m.child("manufacturer").map(org),
        supplier: m.child("supplier").map(org),
    }
}

fn tool(t: &Element) -> RawTool {
    RawTool {
        vendor: t.text_of("vendor"),
        group: t.text_of("group"),
        name: t.text_of("name"),
        version: t.text_of("version"),
    }
}

fn contact(c: &Element) -> RawContact {
    RawContact {
        name: c.text_of("name"),
        email: c.text_of("email"),
    }
}

fn org(o: &Element) -> RawOrg {
    RawOrg {
        name: o.text_of("name"),
        url: o
            .children_named("url")
            .map(|u| u.text.trim().to_string())
            .collect(),
        contact: o.children_named("contact").map(contact).collect(),
        address: o.child("address").map(|a| super::RawAddress {
            country: a.text_of("country"),
        }),
    }
}

fn component(c: &Element, at: &dyn Fn(usize) -> String) -> RawComponent {
    RawComponent {
        location: Some(at(c.offset)),
        kind: c.attr("type").map(str::to_string),
        bom_ref: c.attr("bom-ref").map(str::to_string),
        supplier: c.child("supplier").map(org),
        manufacturer: c.child("manufacturer").map(org),
        author: c.text_of("author"),
        authors: c.list("authors", "author").map(contact).collect(),
        publisher: c.text_of("publisher"),
        group: c.text_of("group"),
        name: c.text_of("name"),
        version: c.text_of("version"),
        description: c.text_of("description"),
        scope: c.text_of("scope"),
        hashes: c
            .list("hashes", "hash")
            .map(|h| RawHash {
                alg: h.attr("alg").unwrap_or_default().to_string(),
                content: h.text.trim().to_string(),
            })
            .collect(),
        licenses: c
            .children_named("licenses")
            .flat_map(|ls| ls.children.iter())
            .filter_map(|l| match l.name.as_str() {
                "license" => Some(RawLicenseChoice {
                    license: Some(RawLicense {
                        id: l.text_of("id"),
                        name: l.text_of("name"),
                        acknowledgement: l.attr("acknowledgement").map(str::to_string),
                    }),
                    ..RawLicenseChoice::default()
                }),
                "expression" => Some(RawLicenseChoice {
                    expression: Some(l.text.trim().to_string()),
                    acknowledgement: l.attr("acknowledgement").map(str::to_string),
                    ..RawLicenseChoice::default()
                }),
                _ => None,
            })
            .collect(),
        cpe: c.text_of("cpe"),
        purl: c.text_of("purl"),
        swid: c.child("swid").map(|s| RawSwid {
            tag_id: s.attr("tagId").map(str::to_string),
        }),
        external_references: c
            .list("externalReferences", "reference")
            .map(|r| RawExternalRef {
                kind: r.attr("type").map(str::to_string),
                url: r.text_of("url"),
            })
            .collect(),
        properties: c
            .list("properties", "property")
            .map(|p| RawProperty {
                name: p.attr("name").map(str::to_string),
                value: Some(p.text.trim().to_string()),
            })
            .collect(),
        components: c
            .list("components", "component")
            .map(|n| component(n, at))
            .collect(),
    }
}

fn service(s: &Element, at: &dyn Fn(usize) -> String) -> RawService {
    let as_component = component(s, at);
    RawService {
        location: as_component.location,
        bom_ref: as_component.bom_ref,
        provider: s.child("provider").map(org),
        group: as_component.group,
        name: as_component.name,
        version: as_component.version,
        description: as_component.description,
        licenses: as_component.licenses,
        external_references: as_component.external_references,
        properties: as_component.properties,
        services: s
            .list("services", "service")
            .map(|n| service(n, at))
            .collect(),
    }
}

fn dependency(d: &Element, at: &dyn Fn(usize) -> String) -> RawDependency {
    RawDependency {
        location: Some(at(d.offset)),
        reference: d.attr("ref").unwrap_or_default().to_string(),
        depends_on: d
            .children_named("dependency")
            .filter_map(|c| c.attr("ref").map(str::to_string))
            .collect(),
        provides: d
            .children_named("provides")
            .filter_map(|c| c.attr("ref").map(str::to_string))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ComponentType, EdgeKind, LicenseValue};

    fn parse_str(s: &str) -> Result<Document, InputError> {
        parse(Path::new("t.xml"), s.as_bytes())
    }

    #[test]
    fn reads_components_dependencies_and_metadata() {
        let doc = parse_str(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:1" version="1">
  <metadata><timestamp>2026-01-01T00:00:00Z</timestamp>
    <tools><components><component type="application"><group>g</group><name>t</name><version>1</version></component></components></tools>
    <component type="device" bom-ref="sw"><name>CE6881</name>
      <manufacturer><name>华为</name><address><country>CN</country></address></manufacturer></component>
  </metadata>
  <components>
    <component type="library" bom-ref="a"><name>a &amp; b</name><version>1&#46;0</version>
      <hashes><hash alg="SHA-256">abc</hash></hashes>
      <licenses><license><id>MIT</id></license><expression>MIT OR Apache-2.0</expression></licenses>
      <properties><property name="p">v</property></properties>
      <components><component type="firmware" bom-ref="fw"><name>fw</name></component></components>
    </component>
  </components>
  <dependencies><dependency ref="sw"><dependency ref="a"/></dependency></dependencies>
</bom>"#,
        )
        .unwrap();
        assert_eq!(doc.meta.spec_version, "1.6");
        assert_eq!(doc.meta.serial_number.as_deref(), Some("urn:uuid:1"));
        assert_eq!(doc.meta.tools, ["g t 1"]);
        assert_eq!(doc.meta.roots, ["sw"]);
        assert_eq!(
            doc.components[0]
                .manufacturer
                .as_ref()
                .unwrap()
                .country
                .as_deref(),
            Some("CN")
        );
        let a = &doc.components[1];
        assert_eq!(
            (a.name.as_str(), a.version.as_deref()),
            ("a & b", Some("1.0"))
        );
        assert_eq!(a.location, "9:5");
        assert_eq!(a.licenses.len(), 2);
        assert_eq!(
            a.licenses[1].value,
            LicenseValue::Expression("MIT OR Apache-2.0".into())
        );
        assert_eq!(a.properties, [("p".to_string(), "v".to_string())]);
        assert_eq!(doc.components[2].kind, ComponentType::Firmware);
        assert_eq!(doc.components[2].parent.as_deref(), Some("a"));
        assert_eq!(
            (doc.edges[0].from.as_str(), doc.edges[0].to.as_str()),
            ("sw", "a")
        );
        assert_eq!(doc.edges[0].kind, EdgeKind::DependsOn);
    }

    #[test]
    fn doctype_and_entities_are_refused() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component><name>&lol2;</name></component></components></bom>"#;
        let err = parse_str(laughs).unwrap_err();
        assert!(err.message.starts_with("DOCTYPE refused"), "{err}");
        assert_eq!(err.location, Location::LineCol { line: 2, column: 1 });
        let undefined = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component><name>&xxe;</name></component></components></bom>"#;
        assert!(parse_str(undefined)
            .unwrap_err()
            .message
            .contains("undefined entity '&xxe;'"));
    }

    #[test]
    fn malformed_documents_are_located_errors() {
        let err = parse_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>")
            .unwrap_err();
        assert!(err.message.contains("truncated XML"), "{err}");
        let err =
            parse_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n</components></bom>")
                .unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 2, .. }),
            "{err}"
        );
        let err = parse_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"/>").unwrap_err();
        assert!(
            err.message
                .contains("unsupported CycloneDX spec version '1.1'"),
            "{err}"
        );
        let err = parse_str("<bom/>").unwrap_err();
        assert!(err.message.contains("no CycloneDX namespace"), "{err}");
        let err = parse_str("<sbom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>").unwrap_err();
        assert!(err.message.contains("expected a CycloneDX <bom>"), "{err}");
    }
}
