//! Reads SPDX 3.0 JSON-LD: the packages of `@graph` become components, its relationships edges
//! and licences, its document, SBOM and creation-info elements the document metadata.
//!
//! JSON-LD lets writers compact the same graph in several ways, so this reader accepts `@id` for
//! `spdxId`, `@type` for `type`, a single value where a list is expected, and an element written
//! inline where a reference to it is expected.

use super::spdx_json::{
    add_identifier, add_location_refs, dedup_in_order, is_no_value, license_value, present,
};
use super::util::normalise_hash_alg;
use super::{
    json, Code, Component, ComponentType, Document, Edge, EdgeKind, ExternalRef, Finding, Format,
    Hash, License, LicenseRole, Party,
};
use crate::error::{InputError, Location};
use crate::i18n::Bilingual;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

type Obj = Map<String, Value>;

/// How deeply licence sets and SBOMs naming SBOMs may nest, and how many licence elements one
/// licence may take in all: a set that names itself, or a chain of sets each naming the next
/// twice, must end quickly.
const MAX_DEPTH: usize = 32;
const MAX_LICENSE_PARTS: usize = 1024;

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let root: Value = json::from_slice(path, bytes)?;
    Graph::new(path, &root)?.into_document()
}

/// What an element is, as far as the inventory cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Package,
    /// Files and snippets: known ids, but not components.
    Artifact,
    Agent,
    Tool,
    /// SpdxDocument, Sbom, Bom, Bundle: elements with root elements.
    Collection,
    Relationship,
    CreationInfo,
    Other,
}

struct Node<'a> {
    ptr: String,
    obj: &'a Obj,
    kind: Kind,
    local: &'a str,
    id: Option<&'a str>,
}

/// A reference to an element: its id, or the element itself written inline (with its pointer).
enum Ref<'a> {
    Id(&'a str),
    Inline(&'a Obj, String),
}

/// What a relationship endpoint is, as far as the component graph cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// A package, or an id the document does not define (the merge reports it as dangling).
    Component,
    /// An element another document defines, named in this one's `import`.
    Elsewhere,
    /// A file, a licence, a collection, NoAssertionElement or NoneElement: nothing to draw.
    None,
}

struct Graph<'a> {
    path: &'a Path,
    context: Vec<&'a str>,
    nodes: Vec<Node<'a>>,
    by_id: HashMap<&'a str, usize>,
    imported: HashSet<&'a str>,
}

impl<'a> Graph<'a> {
    fn new(path: &'a Path, root: &'a Value) -> Result<Graph<'a>, InputError> {
        let err = |ptr: &str, msg: &str| InputError::new(path, Location::Pointer(ptr.into()), msg);
        let Some(top) = root.as_object() else {
            return Err(err(
                "",
                "expected a JSON object with an '@graph' of SPDX 3 elements",
            ));
        };
        let mut graph = Graph {
            path,
            context: Vec::new(),
            nodes: Vec::new(),
            by_id: HashMap::new(),
            imported: HashSet::new(),
        };
        // Only the context's version is of use, so an inline context object is passed over.
        graph.context = match top.get("@context") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let items: Vec<(String, &Obj)> = match top.get("@graph") {
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let ptr = format!("/@graph/{i}");
                    let obj = item
                        .as_object()
                        .ok_or_else(|| err(&ptr, "expected an object (an SPDX element)"))?;
                    out.push((ptr, obj));
                }
                out
            }
            Some(_) => return Err(err("/@graph", "expected an array of SPDX elements")),
            // A graph of one element may be compacted into the top-level object itself.
            None if top.contains_key("type") || top.contains_key("@type") => {
                vec![(String::new(), top)]
            }
            None => {
                return Err(err(
                    "/@graph",
                    "missing '@graph': expected an array of SPDX 3 elements",
                ))
            }
        };
        for (ptr, obj) in items {
            let local = graph.type_of(obj, &ptr)?.map_or("", local_type);
            let id = graph.string(obj, &ptr, &["spdxId", "@id"])?;
            let kind = match local {
                "Package" | "AIPackage" | "DatasetPackage" => Kind::Package,
                "File" | "Snippet" => Kind::Artifact,
                "Person" | "Organization" | "Agent" => Kind::Agent,
                "Tool" | "SoftwareAgent" => Kind::Tool,
                "SpdxDocument" | "Sbom" | "Bom" | "Bundle" => Kind::Collection,
                "Relationship" | "LifecycleScopedRelationship" => Kind::Relationship,
                "CreationInfo" => Kind::CreationInfo,
                _ => Kind::Other,
            };
            if kind == Kind::Collection {
                for import in graph.refs(obj, &ptr, &["import"])? {
                    if let Ref::Inline(map, at) = import {
                        let external = graph.string(map, &at, &["externalSpdxId"])?;
                        graph.imported.extend(external);
                    }
                }
            }
            if let Some(id) = id {
                graph.by_id.entry(id).or_insert(graph.nodes.len());
            }
            graph.nodes.push(Node {
                ptr,
                obj,
                kind,
                local,
                id,
            });
        }
        Ok(graph)
    }

    fn into_document(self) -> Result<Document, InputError> {
        let mut doc = Document::new(self.path, Format::Spdx3JsonLd);
        let doc_node = (self.nodes.iter().find(|n| n.local == "SpdxDocument"))
            .or_else(|| self.nodes.iter().find(|n| n.kind == Kind::Collection));
        self.read_meta(doc_node, &mut doc)?;

        let mut index = HashMap::new();
        for node in self.nodes.iter().filter(|n| n.kind == Kind::Package) {
            let c = self.component(node)?;
            index.entry(c.key.clone()).or_insert(doc.components.len());
            doc.components.push(c);
        }
        for node in self.nodes.iter().filter(|n| n.kind == Kind::Relationship) {
            self.relationship(node, &index, &mut doc)?;
        }
        dedup_in_order(&mut doc.meta.roots);
        dedup_in_order(&mut doc.meta.tools);
        Ok(doc)
    }

    fn read_meta(&self, doc_node: Option<&Node<'a>>, doc: &mut Document) -> Result<(), InputError> {
        let mut info = None;
        if let Some(d) = doc_node {
            doc.meta.name = present(self.string(d.obj, &d.ptr, &["name"])?);
            doc.meta.serial_number = d.id.map(str::to_string);
            if let Some(r) = self.refs(d.obj, &d.ptr, &["creationInfo"])?.first() {
                info = self.resolve(r).map(|(obj, ptr, _)| (obj, ptr));
            }
            let mut seen = HashSet::from_iter(d.id);
            let (roots, findings) = (&mut doc.meta.roots, &mut doc.findings);
            self.collect_roots(d.obj, &d.ptr, 0, &mut seen, roots, findings)?;
        }
        let first_info = || {
            let n = self.nodes.iter().find(|n| n.kind == Kind::CreationInfo)?;
            Some((n.obj, n.ptr.clone()))
        };
        let Some((info, ptr)) = info.or_else(first_info) else {
            doc.meta.spec_version = self.context_version();
            return Ok(());
        };
        doc.meta.spec_version = match self.string(info, &ptr, &["specVersion"])? {
            Some(v) if v.trim() == "3" || v.trim().starts_with("3.") => v.trim().to_string(),
            Some(v) => {
                return Err(self.error(
                    format!("{ptr}/specVersion"),
                    format!("unsupported SPDX version '{v}': expected 3.0 or 3.0.1"),
                ))
            }
            None => self.context_version(),
        };
        doc.meta.timestamp = present(self.string(info, &ptr, &["created"])?);
        for r in self.refs(info, &ptr, &["createdBy"])? {
            if let Some((party, is_tool)) = self.agent(&r)? {
                if is_tool {
                    doc.meta.tools.push(party.name);
                } else {
                    doc.meta.authors.push(party);
                }
            }
        }
        for r in self.refs(info, &ptr, &["createdUsing"])? {
            if let Some((party, _)) = self.agent(&r)? {
                doc.meta.tools.push(party.name);
            }
        }
        Ok(())
    }

    /// The version in an `https://spdx.org/rdf/3.0.1/...` context, for documents without a
    /// creation info that says.
    fn context_version(&self) -> String {
        let version = self.context.iter().find_map(|c| {
            let (_, rest) = c.split_once("spdx.org/rdf/")?;
            rest.split('/').next().filter(|v| v.starts_with('3'))
        });
        version.unwrap_or("3.0").to_string()
    }

    /// The packages a collection's `rootElement` names; an SBOM named there stands for its own
    /// root elements (each collection once, so collections naming each other end).
    fn collect_roots(
        &self,
        obj: &'a Obj,
        ptr: &str,
        depth: usize,
        seen: &mut HashSet<&'a str>,
        roots: &mut Vec<String>,
        findings: &mut Vec<Finding>,
    ) -> Result<(), InputError> {
        for r in self.refs(obj, ptr, &["rootElement"])? {
            let Some(id) = self.ref_id(&r)? else { continue };
            match self.by_id.get(id).map(|&i| &self.nodes[i]) {
                Some(n) if n.kind == Kind::Collection => {
                    if depth < MAX_DEPTH && seen.insert(id) {
                        self.collect_roots(n.obj, &n.ptr, depth + 1, seen, roots, findings)?
                    }
                }
                _ => match self.endpoint(id) {
                    Endpoint::Component => roots.push(id.to_string()),
                    Endpoint::Elsewhere => findings.push(Finding::new(
                        Code::IgnoredRelationship,
                        self.path,
                        format!("{ptr}/rootElement"),
                        Bilingual::format(
                            format_args!("根元素 '{id}' 位于另一个 SPDX 文档中，anbao 不跟随外部文档"),
                            format_args!("root element '{id}' is in another SPDX document; anbao does not follow it"),
                        ),
                    )),
                    Endpoint::None => {}
                },
            }
        }
        Ok(())
    }

    fn component(&self, node: &Node<'a>) -> Result<Component, InputError> {
        let (o, p) = (node.obj, node.ptr.as_str());
        let Some(key) = node.id else {
            return Err(self.error(
                p.to_string(),
                "a package needs an 'spdxId' (or '@id') for relationships to name it",
            ));
        };
        let kind =
            match present(self.string(o, p, &["software_primaryPurpose", "primaryPurpose"])?) {
                Some(purpose) => ComponentType::parse(vocab(&purpose)),
                None if node.local == "AIPackage" => ComponentType::MachineLearningModel,
                None if node.local == "DatasetPackage" => ComponentType::Data,
                None => ComponentType::Unspecified,
            };
        // A name is optional in SPDX 3; the id keeps a nameless package apart from others.
        let name = present(self.string(o, p, &["name"])?).unwrap_or_else(|| key.to_string());
        let mut c = Component::new(key, kind, name);
        c.version = present(self.string(o, p, &["software_packageVersion", "packageVersion"])?);
        let summary = present(self.string(o, p, &["summary"])?);
        c.description = present(self.string(o, p, &["description"])?).or(summary);
        c.purl = present(self.string(o, p, &["software_packageUrl", "packageUrl"])?);
        add_location_refs(
            &mut c,
            self.string(o, p, &["software_downloadLocation", "downloadLocation"])?,
            self.string(o, p, &["software_homePage", "homePage"])?,
        );
        if let Some(r) = self.refs(o, p, &["suppliedBy"])?.first() {
            c.supplier = self.agent(r)?.map(|(party, _)| Box::new(party));
        }
        if let Some(r) = self.refs(o, p, &["originatedBy"])?.first() {
            c.originator = self.agent(r)?.map(|(party, _)| Box::new(party));
        }
        for r in self.refs(o, p, &["verifiedUsing"])? {
            let Some((h, at, _)) = self.resolve(&r) else {
                continue;
            };
            let alg = self.string(h, &at, &["algorithm"])?;
            let value = self.string(h, &at, &["hashValue"])?;
            // Package verification codes carry a hash too, but of a file list, not the package.
            let is_code = self.type_of(h, &at)?.map(local_type) == Some("PackageVerificationCode");
            if let (Some(alg), Some(value), false) = (alg, value, is_code) {
                let hash = Hash {
                    alg: normalise_hash_alg(vocab(alg)),
                    value: value.trim().to_string(),
                };
                if !hash.value.is_empty() && !c.hashes.contains(&hash) {
                    c.hashes.push(hash);
                }
            }
        }
        for r in self.refs(o, p, &["externalIdentifier"])? {
            let Some((e, at, _)) = self.resolve(&r) else {
                continue;
            };
            let kind = self.string(e, &at, &["externalIdentifierType"])?;
            if let (Some(kind), Some(value)) = (kind, self.string(e, &at, &["identifier"])?) {
                add_identifier(&mut c, vocab(kind), value);
            }
        }
        for r in self.refs(o, p, &["externalRef"])? {
            let Some((e, at, _)) = self.resolve(&r) else {
                continue;
            };
            let kind = self
                .string(e, &at, &["externalRefType"])?
                .map_or("other", vocab);
            for url in self.strings(e, &at, &["locator"])? {
                let r = ExternalRef {
                    kind: kind.to_string(),
                    url: url.trim().to_string(),
                };
                if !r.url.is_empty() && !c.external_refs.contains(&r) {
                    c.external_refs.push(r);
                }
            }
        }
        c.location = node.ptr.clone();
        Ok(c)
    }

    fn relationship(
        &self,
        node: &Node<'a>,
        index: &HashMap<String, usize>,
        doc: &mut Document,
    ) -> Result<(), InputError> {
        let (o, p) = (node.obj, node.ptr.as_str());
        let from = match self.refs(o, p, &["from"])?.first() {
            Some(r) => self.ref_id(r)?,
            None => None,
        };
        let Some(from) = from else {
            return Err(self.error(
                format!("{p}/from"),
                "a relationship needs a 'from' element id",
            ));
        };
        let Some(kind) = self.string(o, p, &["relationshipType"])? else {
            return Err(self.error(
                format!("{p}/relationshipType"),
                "a relationship needs a 'relationshipType'",
            ));
        };
        let kind = vocab(kind);
        let to = self.refs(o, p, &["to"])?;
        let role = match kind.to_ascii_lowercase().as_str() {
            "hasdeclaredlicense" => Some(LicenseRole::Declared),
            "hasconcludedlicense" => Some(LicenseRole::Concluded),
            _ => None,
        };
        if let Some(role) = role {
            let Some(&i) = index.get(from) else {
                return Ok(());
            };
            for r in &to {
                let mut budget = MAX_LICENSE_PARTS;
                let text = self.license(r, 0, &mut budget)?;
                let Some(value) = text.as_deref().and_then(license_value) else {
                    continue;
                };
                let license = License { role, value };
                if let Some(c) = doc.components.get_mut(i) {
                    if !c.licenses.contains(&license) {
                        c.licenses.push(license);
                    }
                }
            }
            return Ok(());
        }
        let describes = kind.eq_ignore_ascii_case("describes")
            && self
                .by_id
                .get(from)
                .is_some_and(|&i| self.nodes[i].kind == Kind::Collection);
        let edge_kind = edge_kind(kind);
        if !describes && edge_kind.is_none() {
            return Ok(());
        }
        let mut elsewhere = Vec::new();
        let from_end = self.endpoint(from);
        if from_end == Endpoint::Elsewhere {
            elsewhere.push(from);
        }
        for r in &to {
            let Some(id) = self.ref_id(r)? else { continue };
            match (self.endpoint(id), describes, edge_kind) {
                (Endpoint::Elsewhere, ..) => elsewhere.push(id),
                (Endpoint::Component, true, _) => doc.meta.roots.push(id.to_string()),
                (Endpoint::Component, false, Some(kind)) if from_end == Endpoint::Component => {
                    doc.edges.push(Edge {
                        from: from.to_string(),
                        to: id.to_string(),
                        kind,
                        location: node.ptr.clone(),
                    })
                }
                _ => {}
            }
        }
        if !elsewhere.is_empty() {
            let elsewhere = elsewhere.join("', '");
            doc.findings.push(Finding::new(
                Code::IgnoredRelationship,
                self.path,
                node.ptr.clone(),
                Bilingual::format(
                    format_args!(
                        "从 '{from}' 出发的 '{kind}' 关系指向另一个 SPDX 文档中的 '{elsewhere}'，anbao 不跟随外部文档，已忽略"
                    ),
                    format_args!(
                        "'{kind}' relationship from '{from}' names '{elsewhere}' of another SPDX document; anbao does not follow it"
                    ),
                ),
            ));
        }
        Ok(())
    }

    fn endpoint(&self, id: &str) -> Endpoint {
        let id = id.trim();
        if self.imported.contains(id) {
            return Endpoint::Elsewhere;
        }
        if id.is_empty()
            || is_no_value(id)
            || matches!(vocab(id), "NoAssertionElement" | "NoneElement")
        {
            return Endpoint::None;
        }
        match self.by_id.get(id).map(|&i| self.nodes[i].kind) {
            Some(Kind::Package) | None => Endpoint::Component,
            Some(_) => Endpoint::None,
        }
    }

    /// A licence element (or a licence IRI) written as SPDX expression text.
    fn license(
        &self,
        r: &Ref<'a>,
        depth: usize,
        budget: &mut usize,
    ) -> Result<Option<String>, InputError> {
        if depth > MAX_DEPTH || *budget == 0 {
            return Ok(None);
        }
        *budget -= 1;
        let Some((obj, ptr, id)) = self.resolve(r) else {
            return Ok(match r {
                Ref::Id(id) => license_from_iri(id),
                Ref::Inline(..) => None,
            });
        };
        let local = self.type_of(obj, &ptr)?.map_or("", local_type);
        Ok(match local {
            "LicenseExpression" => present(self.string(
                obj,
                &ptr,
                &["simplelicensing_licenseExpression", "licenseExpression"],
            )?),
            "ConjunctiveLicenseSet" | "DisjunctiveLicenseSet" => {
                let op = if local.starts_with('C') {
                    " AND "
                } else {
                    " OR "
                };
                let mut parts = Vec::new();
                for m in self.refs(obj, &ptr, &["expandedlicensing_member", "member"])? {
                    parts.extend(self.license(&m, depth + 1, budget)?);
                }
                if parts.len() < 2 {
                    parts.pop()
                } else {
                    // A member that is itself an expression keeps its meaning only in parentheses.
                    let wrapped = parts.iter().map(|p| {
                        if p.contains(' ') {
                            format!("({p})")
                        } else {
                            p.clone()
                        }
                    });
                    Some(wrapped.collect::<Vec<_>>().join(op))
                }
            }
            "WithAdditionOperator" => {
                let license = self.subject(obj, &ptr, &SUBJECT_LICENSE, depth, budget)?;
                let addition = self.subject(obj, &ptr, &SUBJECT_ADDITION, depth, budget)?;
                match (license, addition) {
                    (Some(l), Some(a)) => Some(format!("{l} WITH {a}")),
                    (l, _) => l,
                }
            }
            "OrLaterOperator" => {
                let license = self.subject(obj, &ptr, &OR_LATER_SUBJECT, depth, budget)?;
                license.map(|l| format!("{l}+"))
            }
            "NoAssertionLicense" | "NoneLicense" => None,
            _ => match id.and_then(license_from_iri) {
                Some(id) => Some(id),
                None => present(self.string(obj, &ptr, &["name"])?),
            },
        })
    }

    /// The licence a `subject...` property of a licence operator names.
    fn subject(
        &self,
        obj: &'a Obj,
        ptr: &str,
        keys: &[&str],
        depth: usize,
        budget: &mut usize,
    ) -> Result<Option<String>, InputError> {
        match self.refs(obj, ptr, keys)?.first() {
            Some(r) => self.license(r, depth + 1, budget),
            None => Ok(None),
        }
    }

    /// An agent's name and email, and whether it is a tool; an id the graph does not define is
    /// kept as the name rather than lost.
    fn agent(&self, r: &Ref<'a>) -> Result<Option<(Party, bool)>, InputError> {
        let Some((obj, ptr, id)) = self.resolve(r) else {
            return Ok(self
                .ref_id(r)?
                .and_then(|id| present(Some(id)))
                .map(|id| (Party::named(id), false)));
        };
        let is_tool = matches!(
            self.type_of(obj, &ptr)?.map(local_type),
            Some("Tool" | "SoftwareAgent")
        );
        let Some(name) =
            present(self.string(obj, &ptr, &["name"])?).or(id.and_then(|i| present(Some(i))))
        else {
            return Ok(None);
        };
        let mut party = Party::named(name);
        for e in self.refs(obj, &ptr, &["externalIdentifier"])? {
            let Some((e, at, _)) = self.resolve(&e) else {
                continue;
            };
            if self.string(e, &at, &["externalIdentifierType"])?.map(vocab) == Some("email") {
                party.email = present(self.string(e, &at, &["identifier"])?);
                break;
            }
        }
        Ok(Some((party, is_tool)))
    }

    /// The element a reference stands for, with its pointer and id, if the graph has it.
    fn resolve(&self, r: &Ref<'a>) -> Option<(&'a Obj, String, Option<&'a str>)> {
        match r {
            Ref::Id(id) => {
                let n = &self.nodes[*self.by_id.get(id.trim())?];
                Some((n.obj, n.ptr.clone(), n.id))
            }
            Ref::Inline(obj, ptr) => {
                let id = obj
                    .get("spdxId")
                    .or_else(|| obj.get("@id"))
                    .and_then(Value::as_str);
                Some((*obj, ptr.clone(), id))
            }
        }
    }

    fn ref_id(&self, r: &Ref<'a>) -> Result<Option<&'a str>, InputError> {
        match r {
            Ref::Id(id) => Ok(Some(id.trim())),
            Ref::Inline(obj, ptr) => self.string(obj, ptr, &["spdxId", "@id"]),
        }
    }

    fn error(&self, ptr: String, message: impl Into<String>) -> InputError {
        InputError::new(self.path, Location::Pointer(ptr), message)
    }

    /// The first of `keys` present, which must be a string (`null` counts as absent).
    fn string<'v>(
        &self,
        obj: &'v Obj,
        ptr: &str,
        keys: &[&str],
    ) -> Result<Option<&'v str>, InputError> {
        for key in keys {
            match obj.get(*key) {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) => return Ok(Some(s)),
                Some(_) => {
                    return Err(self.error(format!("{ptr}/{}", escape(key)), "expected a string"))
                }
            }
        }
        Ok(None)
    }

    /// The first of `keys` present as a string or a list of strings.
    fn strings<'v>(
        &self,
        obj: &'v Obj,
        ptr: &str,
        keys: &[&str],
    ) -> Result<Vec<&'v str>, InputError> {
        let Some((key, value)) = keys.iter().find_map(|k| obj.get(*k).map(|v| (*k, v))) else {
            return Ok(Vec::new());
        };
        let at = format!("{ptr}/{}", escape(key));
        let bad = |at: String| self.error(at, "expected a string or a list of strings");
        match value {
            Value::Null => Ok(Vec::new()),
            Value::String(s) => Ok(vec![s.as_str()]),
            Value::Array(items) => (items.iter().enumerate())
                .map(|(i, v)| v.as_str().ok_or_else(|| bad(format!("{at}/{i}"))))
                .collect(),
            _ => Err(bad(at)),
        }
    }

    /// The first of `keys` present as references: ids, inline elements, or a list of either.
    fn refs<'v>(&self, obj: &'v Obj, ptr: &str, keys: &[&str]) -> Result<Vec<Ref<'v>>, InputError> {
        let Some((key, value)) = keys.iter().find_map(|k| obj.get(*k).map(|v| (*k, v))) else {
            return Ok(Vec::new());
        };
        let at = format!("{ptr}/{}", escape(key));
        let one = |v: &'v Value, at: String| match v {
            Value::String(s) => Ok(Some(Ref::Id(s))),
            Value::Object(o) => Ok(Some(Ref::Inline(o, at))),
            Value::Null => Ok(None),
            _ => Err(self.error(
                at,
                "expected an element id (a string) or an element (an object)",
            )),
        };
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.extend(one(item, format!("{at}/{i}"))?);
                }
                Ok(out)
            }
            v => Ok(one(v, at)?.into_iter().collect()),
        }
    }

    /// `type` or `@type`; JSON-LD allows a list, whose first entry is taken.
    fn type_of<'v>(&self, obj: &'v Obj, ptr: &str) -> Result<Option<&'v str>, InputError> {
        Ok(self.strings(obj, ptr, &["type", "@type"])?.first().copied())
    }
}

const SUBJECT_LICENSE: [&str; 2] = [
    "expandedlicensing_subjectExtendableLicense",
    "subjectExtendableLicense",
];
const SUBJECT_ADDITION: [&str; 2] = ["expandedlicensing_subjectAddition", "subjectAddition"];
const OR_LATER_SUBJECT: [&str; 2] = ["expandedlicensing_subjectLicense", "subjectLicense"];

/// `software_Package`, `spdx:software_Package` or a full IRI ending `/Software/Package`, all as
/// `Package`: the profile prefix adds nothing a reader needs.
fn local_type(t: &str) -> &str {
    let t = t.rsplit(['/', '#', ':']).next().unwrap_or(t);
    match t.split_once('_') {
        Some((profile, rest))
            if !profile.is_empty() && profile.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            rest
        }
        _ => t,
    }
}

/// A vocabulary value without the IRI some writers spell it with (`.../RelationshipType/contains`).
fn vocab(value: &str) -> &str {
    let v = value.trim();
    v.rsplit(['/', '#']).next().unwrap_or(v)
}

/// Which edge an SPDX 3 relationship type stands for; 3.0 states them all from the parent.
fn edge_kind(kind: &str) -> Option<EdgeKind> {
    match kind.to_ascii_lowercase().as_str() {
        "dependson"
        | "hasoptionaldependency"
        | "hasprovideddependency"
        | "hasprerequisite"
        | "hasdynamiclink"
        | "hasstaticlink" => Some(EdgeKind::DependsOn),
        "contains" => Some(EdgeKind::Contains),
        _ => None,
    }
}

/// The licence an IRI alone names: `https://spdx.org/licenses/MIT` is MIT, `...#LicenseRef-x`
/// is LicenseRef-x, and a bare `MIT` is itself. Other IRIs name nothing readable.
fn license_from_iri(id: &str) -> Option<String> {
    let id = id.trim();
    let last = vocab(id);
    let named = id.contains("spdx.org/licenses/")
        || last.starts_with("LicenseRef-")
        || last.starts_with("AdditionRef-")
        || !id.contains(['/', ':']);
    let nothing = last.is_empty() || matches!(last, "NoAssertionLicense" | "NoneLicense");
    (named && !nothing && !is_no_value(last)).then(|| last.to_string())
}

/// A key as one JSON-pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::LicenseValue;

    const SBOM: &str = "tests/fixtures/spdx/spdx3-package_sbom.jsonld.json";

    /// Every value swapped for every other JSON type, and truncations: never a panic.
    fn survives_every_type_confusion(name: &str, bytes: &[u8]) {
        crate::inventory::test_util::survives_every_type_confusion(name, bytes, |p, b| {
            let _ = parse(p, b);
        });
    }

    fn inline(text: &str) -> Result<Document, InputError> {
        parse(Path::new("inline.jsonld"), text.as_bytes())
    }

    #[test]
    fn reads_the_package_sbom_example() {
        let doc = parse(Path::new(SBOM), &std::fs::read(SBOM).unwrap()).unwrap();
        assert_eq!(doc.format, Format::Spdx3JsonLd);
        assert_eq!(doc.meta.spec_version, "3.0.1");
        assert_eq!(doc.meta.timestamp.as_deref(), Some("2024-03-06T00:00:00Z"));
        assert_eq!(
            doc.meta.serial_number.as_deref(),
            Some("http://spdx.example.com/Document1")
        );
        let watt = Party {
            name: "Joshua Watt".into(),
            email: Some("JPEWhacker@gmail.com".into()),
            ..Party::default()
        };
        assert_eq!(doc.meta.authors, std::slice::from_ref(&watt));
        assert!(doc.meta.tools.is_empty());
        // The document's root is the SBOM, whose root is the package.
        assert_eq!(doc.meta.roots, ["http://spdx.example.com/Package1"]);
        assert_eq!(doc.components.len(), 1, "the file is not a component");
        let c = &doc.components[0];
        assert_eq!(c.key, "http://spdx.example.com/Package1");
        assert_eq!(c.bom_ref, None);
        assert_eq!(c.name, "my-package");
        assert_eq!(c.version.as_deref(), Some("1.0"));
        assert_eq!(c.kind, ComponentType::Unspecified);
        assert_eq!(c.originator.as_deref(), Some(&watt));
        assert_eq!(c.supplier, None);
        assert_eq!(
            c.external_refs,
            [ExternalRef {
                kind: "distribution".into(),
                url: "http://dl.example.com/my-package_1.0.0.tar".into()
            }]
        );
        assert_eq!(c.location, "/@graph/4");
        // `contains` points at a file: no edge, and nothing for the merge to call dangling.
        assert!(doc.edges.is_empty());
        assert!(doc.findings.is_empty());
        let inv = crate::inventory::Inventory::from_documents(vec![doc]);
        assert!(!inv
            .findings
            .iter()
            .any(|f| f.code == Code::DanglingDependencyRef));
    }

    const RICH: &str = r#"{
      "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
      "@graph": [
        {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2025-01-02T03:04:05Z",
         "createdBy": ["urn:org:acme"], "createdUsing": [{"type": "Tool", "name": "gen-sbom 2.1"}]},
        {"type": "Organization", "spdxId": "urn:org:acme", "name": "Acme 科技",
         "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": "sbom@acme.example"}]},
        {"type": "SpdxDocument", "spdxId": "urn:doc", "name": "acme-suite", "creationInfo": "_:ci",
         "rootElement": "urn:pkg:app",
         "import": [{"type": "ExternalMap", "externalSpdxId": "urn:other:libc"}]},
        {"@type": "software_Package", "@id": "urn:pkg:app", "name": "app", "software_packageVersion": "2.0",
         "software_primaryPurpose": "application", "suppliedBy": "urn:org:acme",
         "software_homePage": "https://acme.example/app", "software_downloadLocation": "NOASSERTION",
         "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "ab12"},
                           {"type": "Hash", "algorithm": "sha1", "hashValue": "cd34"}],
         "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:a:acme:app:2.0:*:*:*:*:*:*:*"},
                                {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:generic/acme/app@2.0"},
                                {"type": "ExternalIdentifier", "externalIdentifierType": "swid", "identifier": "swid:acme-app"}],
         "externalRef": [{"type": "ExternalRef", "externalRefType": "vcs", "locator": ["https://git.acme.example/app"]}]},
        {"type": "software_Package", "spdxId": "urn:pkg:zlib", "name": "zlib", "software_packageVersion": "1.3",
         "software_primaryPurpose": "library", "software_packageUrl": "pkg:generic/zlib@1.3",
         "summary": "compression", "originatedBy": ["urn:person:nobody"]},
        {"type": "software_Package", "spdxId": "urn:pkg:ssl", "name": "openssl", "software_packageVersion": "3.0.13"},
        {"type": "software_File", "spdxId": "urn:file:main", "name": "main.c"},
        {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:lic:app",
         "simplelicensing_licenseExpression": "Apache-2.0 OR MIT"},
        {"type": "expandedlicensing_DisjunctiveLicenseSet", "spdxId": "urn:lic:ssl",
         "expandedlicensing_member": [
           "https://spdx.org/licenses/Apache-2.0",
           {"type": "expandedlicensing_WithAdditionOperator",
            "expandedlicensing_subjectExtendableLicense": {"type": "expandedlicensing_OrLaterOperator",
               "expandedlicensing_subjectLicense": "https://spdx.org/licenses/GPL-2.0-only"},
            "expandedlicensing_subjectAddition": {"type": "expandedlicensing_ListedLicenseException",
               "spdxId": "https://spdx.org/licenses/Classpath-exception-2.0"}},
           {"type": "expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_member": [
              "https://spdx.org/licenses/MIT", "https://spdx.org/licenses/BSD-3-Clause"]}]},
        {"type": "Relationship", "spdxId": "urn:r1", "from": "urn:pkg:app", "relationshipType": "dependsOn",
         "to": ["urn:pkg:zlib", "urn:pkg:ssl", "urn:other:libc", "https://spdx.org/rdf/3.0.1/terms/Core/NoneElement"]},
        {"type": "LifecycleScopedRelationship", "spdxId": "urn:r2", "from": "urn:pkg:ssl",
         "relationshipType": "hasOptionalDependency", "to": "urn:pkg:zlib", "scope": "runtime"},
        {"type": "Relationship", "spdxId": "urn:r3", "from": "urn:pkg:app", "relationshipType": "contains", "to": ["urn:file:main"]},
        {"type": "Relationship", "spdxId": "urn:r4", "from": "urn:pkg:app", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic:app"]},
        {"type": "Relationship", "spdxId": "urn:r5", "from": "urn:pkg:zlib", "relationshipType": "hasConcludedLicense", "to": ["https://spdx.org/licenses/Zlib"]},
        {"type": "Relationship", "spdxId": "urn:r6", "from": "urn:pkg:ssl", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic:ssl"]},
        {"type": "Relationship", "spdxId": "urn:r7", "from": "urn:pkg:zlib", "relationshipType": "hasDeclaredLicense",
         "to": ["https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"]},
        {"type": "Relationship", "spdxId": "urn:r8", "from": "urn:doc", "relationshipType": "describes", "to": ["urn:pkg:ssl"]},
        {"type": "Relationship", "spdxId": "urn:r9", "from": "urn:pkg:app", "relationshipType": "hasVariant", "to": ["urn:pkg:ssl"]}
      ]
    }"#;

    #[test]
    fn reads_packages_agents_licences_and_relationships() {
        let doc = inline(RICH).unwrap();
        let meta = &doc.meta;
        assert_eq!(meta.spec_version, "3.0.1");
        assert_eq!(meta.name.as_deref(), Some("acme-suite"));
        assert_eq!(meta.timestamp.as_deref(), Some("2025-01-02T03:04:05Z"));
        assert_eq!(meta.tools, ["gen-sbom 2.1"]);
        assert_eq!(meta.authors[0].name, "Acme 科技");
        assert_eq!(meta.roots, ["urn:pkg:app", "urn:pkg:ssl"]);

        let app = &doc.components[0];
        assert_eq!(
            (app.key.as_str(), app.name.as_str()),
            ("urn:pkg:app", "app")
        );
        assert_eq!(app.kind, ComponentType::Application);
        assert_eq!(app.location, "/@graph/3");
        let supplier = app.supplier.as_ref().unwrap();
        assert_eq!(supplier.name, "Acme 科技");
        assert_eq!(supplier.email.as_deref(), Some("sbom@acme.example"));
        assert_eq!(
            app.hashes,
            [
                Hash {
                    alg: "SHA-256".into(),
                    value: "ab12".into()
                },
                Hash {
                    alg: "SHA-1".into(),
                    value: "cd34".into()
                }
            ]
        );
        assert_eq!(
            app.cpe.as_deref(),
            Some("cpe:2.3:a:acme:app:2.0:*:*:*:*:*:*:*")
        );
        assert_eq!(app.purl.as_deref(), Some("pkg:generic/acme/app@2.0"));
        assert_eq!(app.swid.as_deref(), Some("swid:acme-app"));
        assert_eq!(
            app.external_refs,
            [
                ExternalRef {
                    kind: "website".into(),
                    url: "https://acme.example/app".into()
                },
                ExternalRef {
                    kind: "vcs".into(),
                    url: "https://git.acme.example/app".into()
                },
            ]
        );
        assert_eq!(
            app.licenses,
            [License {
                role: LicenseRole::Declared,
                value: LicenseValue::Expression("Apache-2.0 OR MIT".into())
            }]
        );

        let zlib = &doc.components[1];
        assert_eq!(zlib.kind, ComponentType::Library);
        assert_eq!(zlib.purl.as_deref(), Some("pkg:generic/zlib@1.3"));
        assert_eq!(zlib.description.as_deref(), Some("compression"));
        assert_eq!(zlib.originator.as_ref().unwrap().name, "urn:person:nobody");
        assert_eq!(
            zlib.licenses,
            [License {
                role: LicenseRole::Concluded,
                value: LicenseValue::Id("Zlib".into())
            }]
        );

        let ssl = &doc.components[2];
        assert_eq!(ssl.kind, ComponentType::Unspecified);
        assert_eq!(
            ssl.licenses[0].value,
            LicenseValue::Expression(
                "Apache-2.0 OR (GPL-2.0-only+ WITH Classpath-exception-2.0) OR (MIT AND BSD-3-Clause)"
                    .into()
            )
        );

        let edges: Vec<_> = doc
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.kind, e.location.as_str()))
            .collect();
        assert_eq!(
            edges,
            [
                (
                    "urn:pkg:app",
                    "urn:pkg:zlib",
                    EdgeKind::DependsOn,
                    "/@graph/9"
                ),
                (
                    "urn:pkg:app",
                    "urn:pkg:ssl",
                    EdgeKind::DependsOn,
                    "/@graph/9"
                ),
                (
                    "urn:pkg:ssl",
                    "urn:pkg:zlib",
                    EdgeKind::DependsOn,
                    "/@graph/10"
                ),
            ]
        );
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].code, Code::IgnoredRelationship);
        assert_eq!(doc.findings[0].location, "/@graph/9");
        assert!(
            doc.findings[0].message.en().contains("urn:other:libc")
                && doc.findings[0].message.zh().contains("urn:other:libc"),
            "{:?}",
            doc.findings[0].message
        );
    }

    #[test]
    fn a_single_element_document_without_graph_is_read() {
        let doc = inline(
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
                "type": "software_Package", "spdxId": "urn:p", "software_packageVersion": "1"}"#,
        )
        .unwrap();
        assert_eq!(doc.meta.spec_version, "3.0.1");
        assert_eq!(
            doc.components[0].name, "urn:p",
            "a nameless package is named by its id"
        );
        assert_eq!(doc.components[0].location, "");
    }

    fn error_at(text: &str) -> (Location, String) {
        let err = inline(text).unwrap_err();
        (err.location, err.message)
    }

    #[test]
    fn malformed_documents_are_errors_at_their_pointer() {
        let ptr = |p: &str| Location::Pointer(p.into());
        let (loc, msg) = error_at(
            r#"{"@context": "x", "@graph": [{"type": "CreationInfo", "@id": "_:c", "specVersion": "2.3"}]}"#,
        );
        assert_eq!(loc, ptr("/@graph/0/specVersion"));
        assert!(
            msg.contains("'2.3'") && msg.contains("expected 3.0"),
            "{msg}"
        );

        assert_eq!(
            error_at(r#"{"@context": "x", "@graph": {}}"#).0,
            ptr("/@graph")
        );
        assert_eq!(error_at(r#"{"@context": "x"}"#).0, ptr("/@graph"));
        assert_eq!(
            error_at(r#"{"@graph": [{"type": "Person"}, 3]}"#).0,
            ptr("/@graph/1")
        );
        assert_eq!(
            error_at(r#"{"@graph": [{"type": "software_Package", "spdxId": "p", "name": 3}]}"#).0,
            ptr("/@graph/0/name")
        );
        assert_eq!(
            error_at(r#"{"@graph": [{"type": "software_Package", "name": "p"}]}"#).0,
            ptr("/@graph/0")
        );
        assert_eq!(
            error_at(r#"{"@graph": [{"type": "Relationship", "relationshipType": "contains", "to": []}]}"#).0,
            ptr("/@graph/0/from")
        );
        assert_eq!(
            error_at(r#"{"@graph": [{"type": "Relationship", "from": "a", "relationshipType": "dependsOn", "to": [1]}]}"#).0,
            ptr("/@graph/0/to/0")
        );
        assert_eq!(error_at(r#"[1]"#).0, ptr(""));
        let (loc, msg) = error_at("{\"@graph\": [\n{\"type\": ");
        assert!(matches!(loc, Location::LineCol { line: 2, .. }), "{loc:?}");
        assert!(msg.starts_with("truncated JSON"), "{msg}");
    }

    #[test]
    fn licence_sets_and_collections_that_nest_themselves_end() {
        let doc = inline(
            r#"{"@graph": [
              {"type": "software_Package", "spdxId": "p", "name": "p"},
              {"type": "expandedlicensing_ConjunctiveLicenseSet", "spdxId": "l",
               "expandedlicensing_member": ["l", "l", "l", "https://spdx.org/licenses/MIT"]},
              {"type": "software_Sbom", "spdxId": "b1", "rootElement": ["b2", "b1", "p"]},
              {"type": "software_Sbom", "spdxId": "b2", "rootElement": ["b1", "b2"]},
              {"type": "Relationship", "from": "p", "relationshipType": "hasDeclaredLicense", "to": "l"}]}"#,
        )
        .unwrap();
        assert_eq!(doc.components[0].licenses.len(), 1);
        assert_eq!(doc.meta.roots, ["p"]);
    }

    #[test]
    fn no_corruption_of_the_examples_panics() {
        survives_every_type_confusion(SBOM, &std::fs::read(SBOM).unwrap());
        survives_every_type_confusion("rich.jsonld", RICH.as_bytes());
    }
}
