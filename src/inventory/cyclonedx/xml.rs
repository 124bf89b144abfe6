//! CycloneDX XML: a guarded event reader, from which the same raw structs as JSON are read
//! straight away (no element tree: a tree of a large BOM took six times the file's size).
//!
//! Every event is checked as it is read, whether or not its content is wanted, so what is
//! refused does not depend on what anbao reads. Security: a DOCTYPE is refused outright, so no
//! entity can be declared, expanded (billion laughs) or fetched (external entities); only the
//! five predefined entities and character references are understood.
//!
//! Where a format lets an element repeat but the model keeps one value (`<name>`, `<supplier>`
//! ...), the first one counts, even if it is empty; wrappers such as `<components>` may repeat
//! and all their entries count.

use super::{
    convert, is_supported, RawAddress, RawBom, RawComponent, RawContact, RawDependency,
    RawExternalRef, RawHash, RawLicense, RawLicenseChoice, RawMetadata, RawOrg, RawProperty,
    RawService, RawSwid, RawTool, RawTools, SUPPORTED_VERSIONS,
};
use crate::error::{InputError, LineCursor, Location};
use crate::inventory::{Document, Format};
use quick_xml::events::{BytesCData, BytesStart, BytesText, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::path::Path;

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// Deeper nesting than this is not a real BOM; refusing it keeps recursion bounded.
const MAX_DEPTH: usize = 200;

type Result<T> = std::result::Result<T, InputError>;

/// Parses a CycloneDX XML document. Given the bytes owned, it frees them before building the
/// edges, so a large file and its edges are never in memory together.
pub fn parse<'a>(path: &Path, bytes: impl Into<Cow<'a, [u8]>>) -> Result<Document> {
    let bytes = bytes.into();
    let (version, raw) = read(path, &bytes)?;
    drop(bytes);
    Ok(convert(path, Format::CycloneDxXml, version, raw))
}

/// Reads the whole document: the raw BOM and its spec version, or the first problem in it.
///
/// Well-formedness is checked to the end before the root is judged, so a malformed document is
/// reported as malformed even when its root is not a CycloneDX `<bom>` either.
fn read(path: &Path, bytes: &[u8]) -> Result<(String, RawBom)> {
    let bytes = crate::inventory::detect::strip_bom(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            path,
            Location::from_offset(bytes, e.valid_up_to()),
            "invalid UTF-8: CycloneDX XML must be UTF-8 encoded",
        )
    })?;
    let mut events = Events::new(path, text);
    let mut bom = None;
    loop {
        match events.next()? {
            Ev::Start(tag) if bom.is_none() => bom = Some(read_root(&mut events, tag)?),
            Ev::Start(tag) => {
                // A second root is refused where it ends, once its content is known to be
                // well-formed.
                let offset = if tag.empty {
                    tag.offset
                } else {
                    events.skip(&tag)?;
                    events.last_offset
                };
                return Err(events.error_at(
                    offset,
                    "a second root element: expected exactly one <bom>".into(),
                ));
            }
            Ev::Eof => break,
            Ev::End | Ev::Text(..) | Ev::CData(..) | Ev::Char(_) => {}
        }
    }
    bom.unwrap_or_else(|| {
        Err(InputError::whole_file(
            path,
            "no root element: expected a CycloneDX <bom>",
        ))
    })
}

/// Reads the root element. The outer error is a malformed document; the inner one a
/// well-formed root that is not a supported CycloneDX `<bom>`, which [`read`] reports only
/// once the rest of the document is known to be well-formed.
fn read_root<'a>(events: &mut Events<'a>, root: Tag<'a>) -> Result<Result<(String, RawBom)>> {
    let refuse = |events: &mut Events<'a>, message: String| -> Result<Result<(String, RawBom)>> {
        events.skip(&root)?;
        Ok(Err(events.error_at(root.offset, message)))
    };
    if root.name() != b"bom" {
        let message = format!(
            "root element is <{}>, expected a CycloneDX <bom>",
            String::from_utf8_lossy(root.name())
        );
        return refuse(events, message);
    }
    let namespace = root.attrs().find_map(|(key, value)| {
        (key == b"xmlns" || key.starts_with(b"xmlns:"))
            .then_some(value)
            .filter(|v| v.starts_with(NAMESPACE_PREFIX))
    });
    let Some(namespace) = namespace else {
        let message =
            format!("<bom> has no CycloneDX namespace: expected xmlns=\"{NAMESPACE_PREFIX}1.x\"");
        return refuse(events, message);
    };
    let version = namespace[NAMESPACE_PREFIX.len()..]
        .trim_end_matches('/')
        .to_string();
    if !is_supported(&version) {
        let message = format!(
            "unsupported CycloneDX spec version '{version}' (namespace {namespace}): expected one of {}",
            SUPPORTED_VERSIONS.join(", ")
        );
        return refuse(events, message);
    }
    let mut raw = RawBom {
        bom_format: Some("CycloneDX".into()),
        spec_version: Some(version.clone()),
        serial_number: root.attr("serialNumber"),
        ..RawBom::default()
    };
    events.children(&root, |events, child| match child.name() {
        b"metadata" if raw.metadata.is_none() => {
            raw.metadata = Some(metadata(events, &child)?);
            Ok(())
        }
        b"components" => events.children(&child, |events, c| {
            if c.name() == b"component" {
                raw.components.push(component(events, &c)?);
            }
            Ok(())
        }),
        b"services" => events.children(&child, |events, s| {
            if s.name() == b"service" {
                raw.services.push(service(events, &s)?);
            }
            Ok(())
        }),
        b"dependencies" => events.children(&child, |events, d| {
            if d.name() == b"dependency" {
                raw.dependencies.push(dependency(events, &d)?);
            }
            Ok(())
        }),
        _ => Ok(()),
    })?;
    raw.components.finish();
    raw.dependencies.finish();
    Ok(Ok((version, raw)))
}

/// A start tag (or an empty element) and where it begins.
struct Tag<'a> {
    start: BytesStart<'a>,
    offset: usize,
    /// `<x/>`: no content and no end tag follow.
    empty: bool,
}

impl<'a> Tag<'a> {
    /// The local name, without a namespace prefix.
    fn name(&self) -> &[u8] {
        self.start.local_name().into_inner()
    }

    /// Attributes as (name, unescaped value). They were checked when the tag was read, so
    /// none fails here and duplicates need not be looked for again.
    fn attrs(&self) -> impl Iterator<Item = (&[u8], Cow<'_, str>)> + '_ {
        let mut attributes = self.start.attributes();
        attributes.with_checks(false);
        attributes.filter_map(|attr| {
            let attr = attr.ok()?;
            let value = attr.unescape_value().ok()?;
            Some((attr.key.into_inner(), value))
        })
    }

    /// The value of the first attribute with this local name (a namespace declaration is
    /// matched by its whole name).
    fn attr(&self, name: &str) -> Option<String> {
        self.attrs().find_map(|(key, value)| {
            let local = match key.iter().position(|&b| b == b':') {
                Some(colon) if &key[..colon] != b"xmlns" => &key[colon + 1..],
                _ => key,
            };
            (local == name.as_bytes()).then(|| value.into_owned())
        })
    }
}

/// What [`Events::next`] yields: the parts of the document a reader of it needs.
enum Ev<'a> {
    Start(Tag<'a>),
    End,
    /// Text inside an element, and where it begins; decoded only if it is read.
    Text(BytesText<'a>, usize),
    CData(BytesCData<'a>, usize),
    /// A character or predefined entity reference inside an element.
    Char(char),
    Eof,
}

/// The document's events, each checked as it is read: no DOCTYPE, bounded nesting, valid
/// attributes, no undefined entity, no text outside the root, no unclosed element.
struct Events<'a> {
    reader: Reader<&'a [u8]>,
    path: &'a Path,
    text: &'a str,
    /// The open elements, innermost last.
    open: Vec<BytesStart<'a>>,
    /// Where the last event read began.
    last_offset: usize,
    lines: LineCursor<'a>,
}

impl<'a> Events<'a> {
    fn new(path: &'a Path, text: &'a str) -> Events<'a> {
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        Events {
            reader,
            path,
            text,
            open: Vec::new(),
            last_offset: 0,
            lines: LineCursor::new(text),
        }
    }

    fn error_at(&self, offset: usize, message: String) -> InputError {
        InputError::new(
            self.path,
            Location::from_offset(self.text.as_bytes(), offset),
            message,
        )
    }

    /// `line:column` of an element, for the model's locations; elements are located in
    /// document order, which the cursor makes linear.
    fn location(&mut self, tag: &Tag<'_>) -> String {
        self.lines.at(tag.offset).to_string()
    }

    fn next(&mut self) -> Result<Ev<'a>> {
        loop {
            let start = self.reader.buffer_position() as usize;
            self.last_offset = start;
            let event = self.reader.read_event().map_err(|e| {
                self.error_at(
                    self.reader.error_position() as usize,
                    format!("invalid XML: {e}"),
                )
            })?;
            match event {
                Event::DocType(_) => {
                    return Err(self.error_at(
                        start,
                        "DOCTYPE refused: CycloneDX needs no DTD, and entity declarations could expand without bound or read external files".into(),
                    ))
                }
                Event::Start(e) => {
                    if self.open.len() >= MAX_DEPTH {
                        return Err(self.error_at(
                            start,
                            format!("elements nested deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    self.check_attributes(&e, start)?;
                    self.open.push(e.clone());
                    return Ok(Ev::Start(Tag {
                        start: e,
                        offset: start,
                        empty: false,
                    }));
                }
                Event::Empty(e) => {
                    self.check_attributes(&e, start)?;
                    return Ok(Ev::Start(Tag {
                        start: e,
                        offset: start,
                        empty: true,
                    }));
                }
                Event::End(_) => {
                    if self.open.pop().is_none() {
                        return Err(
                            self.error_at(start, "closing tag without an opening tag".into())
                        );
                    }
                    return Ok(Ev::End);
                }
                Event::Text(t) => {
                    if !self.open.is_empty() {
                        return Ok(Ev::Text(t, start));
                    }
                    if !t.iter().all(|b| b.is_ascii_whitespace()) {
                        return Err(self.error_at(start, "text outside the root element".into()));
                    }
                }
                Event::CData(t) => {
                    if !self.open.is_empty() {
                        return Ok(Ev::CData(t, start));
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => predefined_entity(&r).ok_or_else(|| {
                            self.error_at(
                                start,
                                format!(
                                    "undefined entity '&{};': only the predefined XML entities are allowed",
                                    String::from_utf8_lossy(&r)
                                ),
                            )
                        })?,
                        Err(e) => {
                            return Err(
                                self.error_at(start, format!("bad character reference: {e}"))
                            )
                        }
                    };
                    if !self.open.is_empty() {
                        return Ok(Ev::Char(resolved));
                    }
                }
                Event::Eof => {
                    if let Some(open) = self.open.last() {
                        return Err(self.error_at(
                            self.text.len(),
                            format!(
                                "truncated XML: <{}> is never closed",
                                String::from_utf8_lossy(open.local_name().as_ref())
                            ),
                        ));
                    }
                    return Ok(Ev::Eof);
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// Checks that every attribute is well-formed, unique and has a valid value.
    fn check_attributes(&self, e: &BytesStart<'_>, offset: usize) -> Result<()> {
        // quick-xml's own duplicate check allocates for every tag; up to eight names are
        // compared here instead, and anything unusual goes to its checked iteration, whose
        // errors are the ones reported.
        let mut seen: [&[u8]; 8] = [&[]; 8];
        let mut attributes = e.attributes();
        attributes.with_checks(false);
        for (i, attr) in attributes.enumerate() {
            let Ok(attr) = attr else {
                return self.check_attributes_strictly(e, offset);
            };
            let key = attr.key.into_inner();
            if i == seen.len() || seen[..i].contains(&key) {
                return self.check_attributes_strictly(e, offset);
            }
            seen[i] = key;
            // A value without '&' has nothing to unescape, and the file is valid UTF-8.
            if attr.value.contains(&b'&') && attr.unescape_value().is_err() {
                return self.check_attributes_strictly(e, offset);
            }
        }
        Ok(())
    }

    fn check_attributes_strictly(&self, e: &BytesStart<'_>, offset: usize) -> Result<()> {
        let name = || String::from_utf8_lossy(e.local_name().into_inner()).into_owned();
        for attr in e.attributes() {
            let attr = attr.map_err(|err| {
                self.error_at(offset, format!("invalid attribute in <{}>: {err}", name()))
            })?;
            attr.unescape_value().map_err(|err| {
                let key = String::from_utf8_lossy(attr.key.as_ref());
                self.error_at(
                    offset,
                    format!("invalid value of attribute '{key}' in <{}>: {err}", name()),
                )
            })?;
        }
        Ok(())
    }

    /// Hands each child element of `tag` (just read) to `read`, then reads `tag`'s end. Text
    /// directly inside `tag` is passed over, and so is whatever of a child `read` leaves.
    fn children(
        &mut self,
        tag: &Tag<'a>,
        mut read: impl FnMut(&mut Self, Tag<'a>) -> Result<()>,
    ) -> Result<()> {
        if tag.empty {
            return Ok(());
        }
        let depth = self.open.len();
        loop {
            match self.next()? {
                Ev::Start(child) => {
                    read(self, child)?;
                    while self.open.len() > depth {
                        self.next()?;
                    }
                }
                Ev::End | Ev::Eof => return Ok(()),
                Ev::Text(..) | Ev::CData(..) | Ev::Char(_) => {}
            }
        }
    }

    /// Reads past the end of `tag` (just read), checking what is inside.
    fn skip(&mut self, tag: &Tag<'a>) -> Result<()> {
        self.children(tag, |_, _| Ok(()))
    }

    /// The text directly inside `tag` (just read), exactly as written: the caller applies the
    /// whitespace rule of the element's schema type ([`normalized`], [`collapsed`]). Text
    /// inside its child elements is not part of it.
    fn text(&mut self, tag: &Tag<'a>) -> Result<String> {
        if tag.empty {
            return Ok(String::new());
        }
        let depth = self.open.len();
        // Most elements hold one piece of text, borrowed from the document until trimmed.
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let event = self.next()?;
            let inside = self.open.len() == depth;
            let piece = match event {
                Ev::Text(t, offset) if inside => self.borrowed_text(&t, offset),
                Ev::CData(t, offset) if inside => t
                    .decode()
                    .map_err(|e| self.error_at(offset, format!("invalid CDATA: {e}")))?,
                Ev::Char(c) if inside => {
                    text.to_mut().push(c);
                    continue;
                }
                Ev::End if self.open.len() < depth => return Ok(text.into_owned()),
                Ev::Eof => return Ok(text.into_owned()),
                _ => continue,
            };
            if text.is_empty() {
                text = piece;
            } else {
                text.to_mut().push_str(&piece);
            }
        }
    }

    /// A text event's content as the slice of the document it was read from: the document
    /// was checked to be UTF-8 once, and slicing it again costs nothing, unlike decoding.
    fn borrowed_text(&self, t: &BytesText<'a>, offset: usize) -> Cow<'a, str> {
        let text: &'a str = self.text;
        match text.get(offset..offset + t.len()) {
            // The same bytes, not merely equal ones: the event borrows from the document.
            Some(slice) if std::ptr::eq(slice.as_ptr(), t.as_ptr()) => Cow::Borrowed(slice),
            // Not where it was expected (never with the reader's settings here): copy it.
            _ => Cow::Owned(String::from_utf8_lossy(t).into_owned()),
        }
    }

    /// Sets `slot` to `tag`'s text unless an earlier element of the same name has: the first
    /// counts, even when empty ([`nonempty`] then drops it).
    fn first_text(&mut self, tag: &Tag<'a>, slot: &mut Option<String>) -> Result<()> {
        if slot.is_none() {
            *slot = Some(self.text(tag)?);
        }
        Ok(())
    }
}

fn nonempty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}

/// A value of an `xs:normalizedString` element (names, versions, descriptions, property
/// values): each tab, line feed and carriage return reads as a space, and nothing is trimmed,
/// so leading, trailing and repeated spaces survive as they do in JSON.
fn normalized(text: Option<String>) -> Option<String> {
    let text = text?;
    let text = if text.contains(['\t', '\n', '\r']) {
        text.replace(['\t', '\n', '\r'], " ")
    } else {
        text
    };
    nonempty(Some(text))
}

/// A value of an `xs:token` or `xs:anyURI` element (purls, CPEs, URLs, hashes, dates): runs
/// of whitespace read as one space, and none at either end.
fn collapsed(text: Option<String>) -> Option<String> {
    let text = text?;
    let tidy = !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.contains(['\t', '\n', '\r'])
        && !text.contains("  ");
    if tidy {
        return nonempty(Some(text));
    }
    nonempty(Some(text.split_whitespace().collect::<Vec<_>>().join(" ")))
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

fn metadata<'a>(events: &mut Events<'a>, m: &Tag<'a>) -> Result<RawMetadata> {
    let mut raw = RawMetadata::default();
    events.children(m, |events, child| match child.name() {
        b"timestamp" => events.first_text(&child, &mut raw.timestamp),
        b"tools" if raw.tools.is_none() => {
            raw.tools = Some(tools(events, &child)?);
            Ok(())
        }
        b"authors" => events.children(&child, |events, a| {
            if a.name() == b"author" {
                raw.authors.push(contact(events, &a)?);
            }
            Ok(())
        }),
        b"component" if raw.component.is_none() => {
            raw.component = Some(component(events, &child)?);
            Ok(())
        }
        b"manufacture" if raw.manufacture.is_none() => {
            raw.manufacture = Some(org(events, &child)?);
            Ok(())
        }
        b"manufacturer" if raw.manufacturer.is_none() => {
            raw.manufacturer = Some(org(events, &child)?);
            Ok(())
        }
        b"supplier" if raw.supplier.is_none() => {
            raw.supplier = Some(org(events, &child)?);
            Ok(())
        }
        _ => Ok(()),
    })?;
    raw.timestamp = collapsed(raw.timestamp);
    Ok(raw)
}

/// `<tools>`: `<tool>` entries up to 1.4, `<components>` and `<services>` since 1.5.
fn tools<'a>(events: &mut Events<'a>, t: &Tag<'a>) -> Result<RawTools> {
    let (mut legacy, mut components, mut services) = (Vec::new(), Vec::new(), Vec::new());
    events.children(t, |events, child| match child.name() {
        b"tool" => {
            legacy.push(tool(events, &child)?);
            Ok(())
        }
        b"components" => events.children(&child, |events, c| {
            if c.name() == b"component" {
                components.push(tool(events, &c)?);
            }
            Ok(())
        }),
        b"services" => events.children(&child, |events, s| {
            if s.name() == b"service" {
                services.push(tool(events, &s)?);
            }
            Ok(())
        }),
        _ => Ok(()),
    })?;
    Ok(if legacy.is_empty() {
        RawTools::Modern {
            components,
            services,
        }
    } else {
        RawTools::Legacy(legacy)
    })
}

fn tool<'a>(events: &mut Events<'a>, t: &Tag<'a>) -> Result<RawTool> {
    let mut raw = RawTool::default();
    events.children(t, |events, child| match child.name() {
        b"vendor" => events.first_text(&child, &mut raw.vendor),
        b"group" => events.first_text(&child, &mut raw.group),
        b"name" => events.first_text(&child, &mut raw.name),
        b"version" => events.first_text(&child, &mut raw.version),
        _ => Ok(()),
    })?;
    Ok(RawTool {
        vendor: normalized(raw.vendor),
        group: normalized(raw.group),
        name: normalized(raw.name),
        version: normalized(raw.version),
    })
}

fn contact<'a>(events: &mut Events<'a>, c: &Tag<'a>) -> Result<RawContact> {
    let mut raw = RawContact::default();
    events.children(c, |events, child| match child.name() {
        b"name" => events.first_text(&child, &mut raw.name),
        b"email" => events.first_text(&child, &mut raw.email),
        _ => Ok(()),
    })?;
    Ok(RawContact {
        name: normalized(raw.name),
        email: collapsed(raw.email),
    })
}

fn org<'a>(events: &mut Events<'a>, o: &Tag<'a>) -> Result<RawOrg> {
    let mut raw = RawOrg::default();
    events.children(o, |events, child| match child.name() {
        b"name" => events.first_text(&child, &mut raw.name),
        b"url" => {
            raw.url.extend(collapsed(Some(events.text(&child)?)));
            Ok(())
        }
        b"contact" => {
            raw.contact.push(contact(events, &child)?);
            Ok(())
        }
        b"address" if raw.address.is_none() => {
            let mut country = None;
            events.children(&child, |events, a| match a.name() {
                b"country" => events.first_text(&a, &mut country),
                _ => Ok(()),
            })?;
            raw.address = Some(RawAddress {
                country: collapsed(country),
            });
            Ok(())
        }
        _ => Ok(()),
    })?;
    raw.name = normalized(raw.name);
    Ok(raw)
}

/// A `<component>`, or the component fields of a `<service>`, whose own children are handed
/// to `other`.
fn component_with<'a>(
    events: &mut Events<'a>,
    c: &Tag<'a>,
    mut other: impl FnMut(&mut Events<'a>, Tag<'a>) -> Result<()>,
) -> Result<RawComponent> {
    let mut raw = RawComponent {
        location: Some(events.location(c)),
        kind: c.attr("type"),
        bom_ref: c.attr("bom-ref"),
        ..RawComponent::default()
    };
    events.children(c, |events, child| match child.name() {
        b"supplier" if raw.supplier.is_none() => {
            raw.supplier = Some(org(events, &child)?);
            Ok(())
        }
        b"manufacturer" if raw.manufacturer.is_none() => {
            raw.manufacturer = Some(org(events, &child)?);
            Ok(())
        }
        b"author" => events.first_text(&child, &mut raw.author),
        b"authors" => events.children(&child, |events, a| {
            if a.name() == b"author" {
                raw.authors.push(contact(events, &a)?);
            }
            Ok(())
        }),
        b"publisher" => events.first_text(&child, &mut raw.publisher),
        b"group" => events.first_text(&child, &mut raw.group),
        b"name" => events.first_text(&child, &mut raw.name),
        b"version" => events.first_text(&child, &mut raw.version),
        b"description" => events.first_text(&child, &mut raw.description),
        b"scope" => events.first_text(&child, &mut raw.scope),
        b"hashes" => events.children(&child, |events, h| {
            if h.name() == b"hash" {
                raw.hashes.push(RawHash {
                    alg: h.attr("alg").unwrap_or_default(),
                    content: collapsed(Some(events.text(&h)?)).unwrap_or_default(),
                });
            }
            Ok(())
        }),
        b"licenses" => events.children(&child, |events, l| {
            match l.name() {
                b"license" => {
                    let mut license = RawLicense {
                        acknowledgement: l.attr("acknowledgement"),
                        ..RawLicense::default()
                    };
                    events.children(&l, |events, part| match part.name() {
                        b"id" => events.first_text(&part, &mut license.id),
                        b"name" => events.first_text(&part, &mut license.name),
                        _ => Ok(()),
                    })?;
                    license.id = collapsed(license.id);
                    license.name = normalized(license.name);
                    raw.licenses.push(RawLicenseChoice {
                        license: Some(license),
                        ..RawLicenseChoice::default()
                    });
                }
                b"expression" => raw.licenses.push(RawLicenseChoice {
                    acknowledgement: l.attr("acknowledgement"),
                    expression: collapsed(Some(events.text(&l)?)),
                    ..RawLicenseChoice::default()
                }),
                _ => {}
            }
            Ok(())
        }),
        b"cpe" => events.first_text(&child, &mut raw.cpe),
        b"purl" => events.first_text(&child, &mut raw.purl),
        b"swid" if raw.swid.is_none() => {
            raw.swid = Some(RawSwid {
                tag_id: child.attr("tagId"),
            });
            Ok(())
        }
        b"externalReferences" => events.children(&child, |events, r| {
            if r.name() == b"reference" {
                let mut url = None;
                events.children(&r, |events, part| match part.name() {
                    b"url" => events.first_text(&part, &mut url),
                    _ => Ok(()),
                })?;
                raw.external_references.push(RawExternalRef {
                    kind: r.attr("type"),
                    url: collapsed(url),
                });
            }
            Ok(())
        }),
        b"properties" => events.children(&child, |events, p| {
            if p.name() == b"property" {
                raw.properties.push(RawProperty {
                    name: p.attr("name"),
                    value: Some(normalized(Some(events.text(&p)?)).unwrap_or_default()),
                });
            }
            Ok(())
        }),
        b"components" => events.children(&child, |events, n| {
            if n.name() == b"component" {
                raw.components.push(component(events, &n)?);
            }
            Ok(())
        }),
        _ => other(events, child),
    })?;
    for text in [
        &mut raw.author,
        &mut raw.publisher,
        &mut raw.group,
        &mut raw.name,
        &mut raw.version,
        &mut raw.description,
    ] {
        *text = normalized(text.take());
    }
    for text in [&mut raw.scope, &mut raw.cpe, &mut raw.purl] {
        *text = collapsed(text.take());
    }
    Ok(raw)
}

fn component<'a>(events: &mut Events<'a>, c: &Tag<'a>) -> Result<RawComponent> {
    component_with(events, c, |_, _| Ok(()))
}

fn service<'a>(events: &mut Events<'a>, s: &Tag<'a>) -> Result<RawService> {
    let (mut provider, mut services) = (None, Vec::new());
    let as_component = component_with(events, s, |events, child| match child.name() {
        b"provider" if provider.is_none() => {
            provider = Some(org(events, &child)?);
            Ok(())
        }
        b"services" => events.children(&child, |events, n| {
            if n.name() == b"service" {
                services.push(service(events, &n)?);
            }
            Ok(())
        }),
        _ => Ok(()),
    })?;
    Ok(RawService {
        location: as_component.location,
        bom_ref: as_component.bom_ref,
        provider,
        group: as_component.group,
        name: as_component.name,
        version: as_component.version,
        description: as_component.description,
        licenses: as_component.licenses,
        external_references: as_component.external_references,
        properties: as_component.properties,
        services,
    })
}

fn dependency<'a>(events: &mut Events<'a>, d: &Tag<'a>) -> Result<RawDependency> {
    let mut raw = RawDependency {
        location: Some(events.location(d)),
        reference: d.attr("ref").unwrap_or_default(),
        ..RawDependency::default()
    };
    events.children(d, |_, child| {
        match child.name() {
            b"dependency" => raw.depends_on.extend(child.attr("ref")),
            b"provides" => raw.provides.extend(child.attr("ref")),
            _ => {}
        }
        Ok(())
    })?;
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ComponentType, EdgeKind, LicenseValue};

    fn parse_str(s: &str) -> Result<Document> {
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
    fn text_keeps_the_whitespace_its_schema_type_keeps() {
        let doc = parse_str(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>\
             <component type=\"library\"><name> spaced  name </name>\
             <description>  two\n  lines  </description>\
             <purl>\n  pkg:npm/x@1\n</purl>\
             <properties><property name=\"p\"> v </property></properties>\
             </component></components></bom>",
        )
        .unwrap();
        let c = &doc.components[0];
        // xs:normalizedString: line breaks read as spaces, nothing trimmed, as JSON keeps it.
        assert_eq!(c.name, " spaced  name ");
        assert_eq!(c.description.as_deref(), Some("  two   lines  "));
        assert_eq!(c.properties, [("p".to_string(), " v ".to_string())]);
        // xs:anyURI collapses.
        assert_eq!(c.purl.as_deref(), Some("pkg:npm/x@1"));
        let json = crate::inventory::cyclonedx::json::parse(
            Path::new("t.json"),
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":" spaced  name "}]}"#.as_slice(),
        )
        .unwrap();
        assert_eq!(json.components[0].name, c.name);
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
