//! CycloneDX 1.2 to 1.7, JSON and XML: both syntaxes fill the same raw structs, and one
//! conversion turns those into the inventory model, so no field is read one way in JSON and
//! another in XML.

pub mod json;
pub mod xml;

use super::{
    Component, ComponentType, Document, DocumentMeta, Edge, EdgeKind, ExternalRef, Format, Hash,
    License, LicenseRole, LicenseValue, Party,
};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

/// Spec versions anbao reads, oldest first.
pub const SUPPORTED_VERSIONS: [&str; 6] = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

pub fn is_supported(version: &str) -> bool {
    SUPPORTED_VERSIONS.contains(&version)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawBom {
    #[serde(default)]
    pub bom_format: Option<String>,
    #[serde(default)]
    pub spec_version: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub metadata: Option<RawMetadata>,
    #[serde(default)]
    pub components: Components,
    #[serde(default)]
    pub services: Vec<RawService>,
    #[serde(default)]
    pub dependencies: Dependencies,
}

/// The top-level `components`, each converted as soon as it is read: a large BOM never holds
/// all its raw components and all their converted forms at once.
#[derive(Debug, Default)]
pub struct Components {
    list: Vec<Component>,
    count: usize,
    /// Scratch for the JSON pointers of nested components.
    path: Vec<usize>,
}

impl Components {
    /// Converts the next top-level component and its nested ones.
    pub fn push(&mut self, raw: RawComponent) {
        self.path.clear();
        self.path.push(self.count);
        self.count += 1;
        flatten(raw, None, &mut self.path, false, &mut self.list);
    }

    /// Called at the end of the list: the spare capacity of a doubling vector would otherwise
    /// stay allocated through the rest of the parse, which is when a load peaks.
    fn finish(&mut self) {
        self.list.shrink_to_fit();
    }
}

/// The `dependencies`, kept compact until they become edges: every `dependsOn` target in one
/// list, and per dependency its `ref`, its place (from XML) and where its targets end.
///
/// Edges repeat their source and place, so they take about twice the memory; they are built
/// by [`convert`], which runs after the file's bytes are freed when the parser owns them.
#[derive(Debug, Default)]
pub struct Dependencies {
    sources: Vec<(String, Option<String>, usize)>,
    targets: Vec<String>,
}

impl Dependencies {
    pub fn push(&mut self, dep: RawDependency) {
        // `provides` (1.6) states that `ref` implements a standard or protocol; it is not an
        // inclusion, so only `dependsOn` becomes an edge.
        let _ = dep.provides;
        self.targets.extend(dep.depends_on);
        self.sources
            .push((dep.reference, dep.location, self.targets.len()));
    }

    /// Frees the spare capacity before the edges are built beside these lists.
    fn finish(&mut self) {
        self.sources.shrink_to_fit();
        self.targets.shrink_to_fit();
    }

    fn into_edges(self) -> Vec<Edge> {
        let mut edges = Vec::with_capacity(self.targets.len());
        let mut targets = self.targets.into_iter();
        let mut done = 0;
        for (i, (from, location, end)) in self.sources.into_iter().enumerate() {
            let count = end - done;
            done = end;
            if count == 0 {
                continue;
            }
            let location = location.unwrap_or_else(|| format!("/dependencies/{i}"));
            let edge = |from: String, to: String, location: String| Edge {
                from,
                to,
                kind: EdgeKind::DependsOn,
                location,
            };
            for to in targets.by_ref().take(count - 1) {
                edges.push(edge(from.clone(), to, location.clone()));
            }
            // The last edge takes the strings the others copied.
            let last = targets.next().expect("each source ends within the targets");
            edges.push(edge(from, last, location));
        }
        edges
    }
}

/// Deserialises a JSON array, or collects an iterator, by handing each item to `push` as it comes.
macro_rules! deserialize_by_push {
    ($list:ty, $item:ty) => {
        impl<'de> Deserialize<'de> for $list {
            fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $list;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        // What serde says for a `Vec`, so errors read as before.
                        f.write_str("a sequence")
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<$list, A::Error> {
                        let mut list = <$list>::default();
                        while let Some(item) = seq.next_element::<$item>()? {
                            list.push(item);
                        }
                        list.finish();
                        Ok(list)
                    }
                }
                de.deserialize_seq(Visitor)
            }
        }

        impl FromIterator<$item> for $list {
            fn from_iter<I: IntoIterator<Item = $item>>(items: I) -> $list {
                let mut list = <$list>::default();
                items.into_iter().for_each(|item| list.push(item));
                list.finish();
                list
            }
        }
    };
}
deserialize_by_push!(Components, RawComponent);
deserialize_by_push!(Dependencies, RawDependency);

/// A CycloneDX service. Dependencies may point at services, so they are part of the graph.
#[derive(Debug, Default, Deserialize)]
pub struct RawService {
    #[serde(skip)]
    pub location: Option<String>,
    #[serde(default, rename = "bom-ref")]
    pub bom_ref: Option<String>,
    #[serde(default)]
    pub provider: Option<RawOrg>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub licenses: Vec<RawLicenseChoice>,
    #[serde(default, rename = "externalReferences")]
    pub external_references: Vec<RawExternalRef>,
    #[serde(default)]
    pub properties: Vec<RawProperty>,
    #[serde(default)]
    pub services: Vec<RawService>,
}

impl RawService {
    /// A service is kept as a component of type `service`, its provider as the supplier.
    fn into_component(self) -> (RawComponent, Vec<RawService>) {
        let component = RawComponent {
            location: self.location,
            kind: Some("service".into()),
            bom_ref: self.bom_ref,
            supplier: self.provider,
            group: self.group,
            name: self.name,
            version: self.version,
            description: self.description,
            licenses: self.licenses,
            external_references: self.external_references,
            properties: self.properties,
            ..RawComponent::default()
        };
        (component, self.services)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RawMetadata {
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub tools: Option<RawTools>,
    #[serde(default)]
    pub authors: Vec<RawContact>,
    #[serde(default)]
    pub component: Option<RawComponent>,
    /// 1.2 to 1.5 name for the manufacturer of the described product.
    #[serde(default)]
    pub manufacture: Option<RawOrg>,
    #[serde(default)]
    pub manufacturer: Option<RawOrg>,
    #[serde(default)]
    pub supplier: Option<RawOrg>,
}

/// `metadata.tools`: a list of tools up to 1.4, an object of components and services since 1.5.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawTools {
    Legacy(Vec<RawTool>),
    Modern {
        #[serde(default)]
        components: Vec<RawTool>,
        #[serde(default)]
        services: Vec<RawTool>,
    },
}

#[derive(Debug, Default, Deserialize)]
pub struct RawTool {
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawOrg {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Vec<String>,
    #[serde(default)]
    pub contact: Vec<RawContact>,
    #[serde(default)]
    pub address: Option<RawAddress>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawAddress {
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawContact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawComponent {
    /// Set by readers whose places are not JSON pointers (XML gives line:column).
    #[serde(skip)]
    pub location: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, rename = "bom-ref")]
    pub bom_ref: Option<String>,
    #[serde(default)]
    pub supplier: Option<RawOrg>,
    #[serde(default)]
    pub manufacturer: Option<RawOrg>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub authors: Vec<RawContact>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub hashes: Vec<RawHash>,
    #[serde(default)]
    pub licenses: Vec<RawLicenseChoice>,
    #[serde(default)]
    pub cpe: Option<String>,
    #[serde(default)]
    pub purl: Option<String>,
    #[serde(default)]
    pub swid: Option<RawSwid>,
    #[serde(default, rename = "externalReferences")]
    pub external_references: Vec<RawExternalRef>,
    #[serde(default)]
    pub properties: Vec<RawProperty>,
    #[serde(default)]
    pub components: Vec<RawComponent>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawHash {
    pub alg: String,
    pub content: String,
}

/// One entry of `licenses`: a licence (by id or name) or an SPDX expression.
#[derive(Debug, Default, Deserialize)]
pub struct RawLicenseChoice {
    #[serde(default)]
    pub license: Option<RawLicense>,
    #[serde(default)]
    pub expression: Option<String>,
    /// 1.6: `declared` or `concluded`, on the expression form.
    #[serde(default)]
    pub acknowledgement: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawLicense {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub acknowledgement: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawSwid {
    #[serde(default, rename = "tagId")]
    pub tag_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawExternalRef {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawProperty {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDependency {
    #[serde(skip)]
    pub location: Option<String>,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default, rename = "dependsOn")]
    pub depends_on: Vec<String>,
    #[serde(default)]
    pub provides: Vec<String>,
}

/// Turns a raw BOM (already checked to be CycloneDX of a supported version) into a document.
pub fn convert(path: &Path, format: Format, spec_version: String, raw: RawBom) -> Document {
    let mut doc = Document::new(path, format);
    let mut meta = DocumentMeta {
        spec_version,
        serial_number: raw.serial_number,
        ..DocumentMeta::default()
    };
    // The product (and its parts) come first, then components, services and dependencies.
    let mut product = Vec::new();
    if let Some(m) = raw.metadata {
        meta.timestamp = m.timestamp;
        meta.tools = tool_names(m.tools);
        meta.authors = m.authors.into_iter().filter_map(contact).collect();
        if let Some(mut root) = m.component {
            // Older specs put the product's manufacturer beside it rather than inside it.
            if root.manufacturer.is_none() {
                root.manufacturer = m.manufacturer.or(m.manufacture);
            }
            if root.supplier.is_none() {
                root.supplier = m.supplier;
            }
            let mut path = Vec::new();
            let index = flatten(root, None, &mut path, true, &mut product);
            meta.name = product.first().map(|c| c.display_id());
            meta.roots.push(product[index].key.clone());
        }
    }
    // The components are already converted; the product goes in front of them in place, which
    // moves them once instead of copying them into a second buffer.
    doc.components = raw.components.list;
    doc.components.reserve_exact(product.len());
    doc.components.splice(0..0, product);
    for (i, service) in raw.services.into_iter().enumerate() {
        flatten_service(
            service,
            None,
            &format!("/services/{i}"),
            &mut doc.components,
        );
    }
    doc.edges = raw.dependencies.into_edges();
    doc.meta = meta;
    doc
}

fn tool_names(tools: Option<RawTools>) -> Vec<String> {
    let list = match tools {
        None => return Vec::new(),
        Some(RawTools::Legacy(list)) => list,
        Some(RawTools::Modern {
            mut components,
            services,
        }) => {
            components.extend(services);
            components
        }
    };
    list.into_iter()
        .filter_map(|t| {
            let name = t.name?;
            let owner = t
                .vendor
                .or(t.group)
                .map(|v| format!("{v} "))
                .unwrap_or_default();
            Some(match t.version {
                Some(v) => format!("{owner}{name} {v}"),
                None => format!("{owner}{name}"),
            })
        })
        .collect()
}

fn contact(c: RawContact) -> Option<Party> {
    let name = c.name.or_else(|| c.email.clone())?;
    Some(Party {
        name,
        email: c.email,
        ..Party::default()
    })
}

fn org(o: RawOrg) -> Option<Party> {
    let email = o.contact.iter().find_map(|c| c.email.clone());
    let name = o
        .name
        .or_else(|| o.contact.into_iter().find_map(|c| c.name))?;
    Some(Party {
        name,
        urls: exact(o.url),
        email,
        country: o.address.and_then(|a| a.country),
        resolved_from: None,
    })
}

/// Adds `raw` and its nested components to `out` (parents before children); returns the index
/// of `raw`'s own entry in `out`.
fn flatten(
    mut raw: RawComponent,
    parent: Option<&str>,
    path: &mut Vec<usize>,
    in_metadata: bool,
    out: &mut Vec<Component>,
) -> usize {
    let location = raw
        .location
        .take()
        .unwrap_or_else(|| json_pointer(path, in_metadata));
    let key = raw
        .bom_ref
        .clone()
        .or_else(|| raw.purl.clone())
        .unwrap_or_else(|| location.clone());
    let mut c = Component::new(
        key,
        raw.kind
            .as_deref()
            .map_or(ComponentType::Unspecified, ComponentType::parse),
        raw.name.unwrap_or_default(),
    );
    c.bom_ref = raw.bom_ref;
    c.group = raw.group.filter(|g| !g.is_empty());
    c.version = raw.version.filter(|v| !v.is_empty());
    c.description = raw.description;
    c.scope = raw.scope;
    c.purl = raw.purl;
    c.cpe = raw.cpe;
    c.swid = raw.swid.and_then(|s| s.tag_id);
    c.hashes = exact(
        raw.hashes
            .into_iter()
            .map(|h| {
                let mut alg = h.alg;
                alg.make_ascii_uppercase();
                Hash {
                    alg,
                    value: h.content,
                }
            })
            .collect(),
    );
    c.licenses = exact(raw.licenses.into_iter().filter_map(license).collect());
    c.supplier = raw.supplier.and_then(org).map(Box::new);
    c.manufacturer = raw.manufacturer.and_then(org).map(Box::new);
    c.authors = raw.authors.into_iter().filter_map(contact).collect();
    if let Some(author) = raw.author.filter(|a| !a.is_empty()) {
        c.authors.push(Party::named(author));
    }
    c.authors = exact(c.authors);
    c.publisher = raw.publisher;
    c.external_refs = exact(
        raw.external_references
            .into_iter()
            .filter_map(|r| {
                Some(ExternalRef {
                    kind: r.kind.unwrap_or_default(),
                    url: r.url?,
                })
            })
            .collect(),
    );
    c.properties = exact(
        raw.properties
            .into_iter()
            .filter_map(|p| Some((p.name?, p.value.unwrap_or_default())))
            .collect(),
    );
    if let Some(q) = c
        .property("cdx:device:quantity")
        .and_then(|q| q.trim().parse().ok())
    {
        c.hardware.quantity = Some(q);
    }
    c.parent = parent.map(str::to_string);
    c.location = location;
    let index = out.len();
    out.push(c);
    if !raw.components.is_empty() {
        let key = out[index].key.clone();
        for (i, child) in raw.components.into_iter().enumerate() {
            path.push(i);
            flatten(child, Some(&key), path, in_metadata, out);
            path.pop();
        }
    }
    index
}

/// `list` without spare capacity. serde grows a vector from nothing to four places and
/// collecting into a smaller type may keep the larger allocation, while most lists in a BOM
/// hold one or two entries: the spare places were a fifth of a large BOM's memory.
fn exact<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// Adds a service and its nested services, like [`flatten`] does for components.
fn flatten_service(
    service: RawService,
    parent: Option<&str>,
    pointer: &str,
    out: &mut Vec<Component>,
) {
    let (mut component, nested) = service.into_component();
    component
        .location
        .get_or_insert_with(|| pointer.to_string());
    let index = flatten(component, parent, &mut Vec::new(), false, out);
    if !nested.is_empty() {
        let key = out[index].key.clone();
        for (i, child) in nested.into_iter().enumerate() {
            flatten_service(child, Some(&key), &format!("{pointer}/services/{i}"), out);
        }
    }
}

/// The JSON pointer of a component: `path` holds its index at each nesting level, starting
/// below the metadata component for the product itself and its parts.
fn json_pointer(path: &[usize], in_metadata: bool) -> String {
    let mut out = String::from(if in_metadata {
        "/metadata/component"
    } else {
        ""
    });
    for i in path {
        let _ = write!(out, "/components/{i}");
    }
    out
}

fn license(choice: RawLicenseChoice) -> Option<License> {
    let role_of = |ack: Option<&str>| match ack {
        Some("declared") => LicenseRole::Declared,
        Some("concluded") => LicenseRole::Concluded,
        _ => LicenseRole::Unstated,
    };
    if let Some(expr) = choice.expression {
        return Some(License {
            role: role_of(choice.acknowledgement.as_deref()),
            value: LicenseValue::Expression(expr),
        });
    }
    let l = choice.license?;
    let role = role_of(
        l.acknowledgement
            .as_deref()
            .or(choice.acknowledgement.as_deref()),
    );
    let value = match (l.id, l.name) {
        (Some(id), _) => LicenseValue::Id(id),
        (None, Some(name)) => LicenseValue::Name(name),
        (None, None) => return None,
    };
    Some(License { role, value })
}
