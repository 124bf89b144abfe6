//! Reads SPDX 2 JSON (2.2 and 2.3, also 2.0 and 2.1) and holds the SPDX 2 mapping to the model,
//! which the tag-value reader shares so that both serialisations of a document agree.

use super::util::normalise_hash_alg;
use super::{
    json, Code, Component, ComponentType, Document, Edge, EdgeKind, ExternalRef, Finding, Format,
    Hash, License, LicenseRole, LicenseValue, Party,
};
use crate::error::InputError;
use crate::i18n::Bilingual;
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;
use std::path::Path;

/// The SPDXID a document has when it does not say.
const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Document, InputError> {
    let mut raw: Spdx2 = json::from_slice(path, bytes)?;
    for (i, p) in raw.packages.iter_mut().flatten().enumerate() {
        p.location = format!("/packages/{i}");
    }
    for (i, r) in raw.relationships.iter_mut().flatten().enumerate() {
        r.location = format!("/relationships/{i}");
    }
    Ok(raw.into_document(path, Format::SpdxJson))
}

/// An SPDX 2 document as either serialisation states it: the JSON field names, filled in by serde
/// for JSON and by hand for tag-value. Lists are optional because generators write `null` too.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Spdx2 {
    #[serde(deserialize_with = "spdx2_version")]
    pub spdx_version: String,
    #[serde(rename = "SPDXID")]
    pub spdx_id: Option<String>,
    pub name: Option<String>,
    pub document_namespace: Option<String>,
    pub creation_info: Option<CreationInfo>,
    pub document_describes: Option<Vec<String>>,
    pub packages: Option<Vec<Package>>,
    pub files: Option<Vec<Element>>,
    pub snippets: Option<Vec<Element>>,
    pub relationships: Option<Vec<Relationship>>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct CreationInfo {
    pub created: Option<String>,
    pub creators: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Package {
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    pub name: String,
    pub version_info: Option<String>,
    pub supplier: Option<String>,
    pub originator: Option<String>,
    pub download_location: Option<String>,
    pub homepage: Option<String>,
    pub primary_package_purpose: Option<String>,
    pub checksums: Option<Vec<Checksum>>,
    pub license_declared: Option<String>,
    pub license_concluded: Option<String>,
    pub external_refs: Option<Vec<PackageRef>>,
    pub description: Option<String>,
    pub summary: Option<String>,
    /// Where the package is stated: a JSON pointer or a line number.
    #[serde(skip)]
    pub location: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Checksum {
    pub algorithm: String,
    pub checksum_value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PackageRef {
    pub reference_type: String,
    pub reference_locator: String,
}

/// A file or snippet: only its id matters, so that relationships to it are recognised.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Element {
    #[serde(rename = "SPDXID")]
    pub spdx_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Relationship {
    pub spdx_element_id: String,
    pub relationship_type: String,
    pub related_spdx_element: String,
    #[serde(skip)]
    pub location: String,
}

/// Checking the version while deserialising puts the error at `/spdxVersion` itself.
fn spdx2_version<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let version = String::deserialize(d)?;
    check_version(&version).map_err(serde::de::Error::custom)?;
    Ok(version.trim().to_string())
}

/// Accepts the SPDX 2 versions whose fields this mapping reads.
pub(super) fn check_version(version: &str) -> Result<(), String> {
    match version.trim() {
        "SPDX-2.0" | "SPDX-2.1" | "SPDX-2.2" | "SPDX-2.3" => Ok(()),
        other => Err(format!(
            "unsupported SPDX version '{other}': expected SPDX-2.2 or SPDX-2.3 (2.0 and 2.1 are read too)"
        )),
    }
}

impl Spdx2 {
    pub(super) fn into_document(self, path: &Path, format: Format) -> Document {
        let mut doc = Document::new(path, format);
        let doc_id = self
            .spdx_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(DOCUMENT_ID)
            .to_string();
        let packages = self.packages.unwrap_or_default();
        let mut others: HashSet<String> = self
            .files
            .into_iter()
            .chain(self.snippets)
            .flatten()
            .filter_map(|e| e.spdx_id.map(|id| id.trim().to_string()))
            .collect();
        // A package wins over a file of the same id: the package is what the graph needs.
        for p in &packages {
            others.remove(p.spdx_id.trim());
        }
        others.insert(doc_id.clone());
        let ids = Ids { others };

        doc.meta.spec_version = self.spdx_version;
        doc.meta.name = present(self.name.as_deref());
        doc.meta.serial_number = present(self.document_namespace.as_deref());
        if let Some(info) = self.creation_info {
            doc.meta.timestamp = present(info.created.as_deref());
            for creator in info.creators.unwrap_or_default() {
                match strip_prefix_ci(creator.trim(), "Tool:") {
                    Some(tool) if !tool.trim().is_empty() => {
                        doc.meta.tools.push(tool.trim().to_string())
                    }
                    Some(_) => {}
                    None => doc.meta.authors.extend(party(&creator)),
                }
            }
        }

        let mut roots = Vec::new();
        for (i, id) in self
            .document_describes
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            match ids.endpoint(id.trim()) {
                Endpoint::Component => roots.push(id.trim().to_string()),
                Endpoint::Elsewhere => doc.findings.push(Finding::new(
                    Code::IgnoredRelationship,
                    path,
                    format!("/documentDescribes/{i}"),
                    Bilingual::format(
                        format_args!("文档描述的 '{}' 位于另一个 SPDX 文档中，anbao 不跟随外部文档", id.trim()),
                        format_args!("the document describes '{}', which is in another SPDX document; anbao does not follow it", id.trim()),
                    ),
                )),
                Endpoint::None => {}
            }
        }

        for rel in self.relationships.unwrap_or_default() {
            let a = rel.spdx_element_id.trim();
            let b = rel.related_spdx_element.trim();
            let kind = rel.relationship_type.trim().to_ascii_uppercase();
            let (ea, eb) = (ids.endpoint(a), ids.endpoint(b));
            if ea == Endpoint::Elsewhere || eb == Endpoint::Elsewhere {
                doc.findings.push(Finding::new(
                    Code::IgnoredRelationship,
                    path,
                    rel.location,
                    Bilingual::format(
                        format_args!("关系 '{a} {kind} {b}' 引用了另一个 SPDX 文档，anbao 不跟随外部文档，已忽略"),
                        format_args!("relationship '{a} {kind} {b}' refers to another SPDX document; anbao does not follow it"),
                    ),
                ));
                continue;
            }
            match kind.as_str() {
                "DESCRIBES" if a == doc_id => {
                    if eb == Endpoint::Component {
                        roots.push(b.to_string());
                    }
                }
                "DESCRIBED_BY" if b == doc_id => {
                    if ea == Endpoint::Component {
                        roots.push(a.to_string());
                    }
                }
                _ => {
                    if ea != Endpoint::Component || eb != Endpoint::Component {
                        continue;
                    }
                    if let Some((from, to, kind)) = spdx2_edge(a, &kind, b) {
                        doc.edges.push(Edge {
                            from: from.to_string(),
                            to: to.to_string(),
                            kind,
                            location: rel.location,
                        });
                    }
                }
            }
        }
        dedup_in_order(&mut roots);
        doc.meta.roots = roots;
        doc.components = packages.into_iter().map(Package::into_component).collect();
        doc
    }
}

/// The ids a document defines that are not packages (files, snippets, the document itself).
struct Ids {
    others: HashSet<String>,
}

/// What a relationship endpoint is, as far as the component graph cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// A package, or an id the document does not define (the merge reports it as dangling).
    Component,
    /// An element of another SPDX document (`DocumentRef-x:SPDXRef-y`).
    Elsewhere,
    /// A file, snippet, the document itself, NOASSERTION or NONE: nothing to draw.
    None,
}

impl Ids {
    fn endpoint(&self, id: &str) -> Endpoint {
        if id.is_empty() || is_no_value(id) || self.others.contains(id) {
            Endpoint::None
        } else if id.starts_with("DocumentRef-") && id.contains(':') {
            Endpoint::Elsewhere
        } else {
            Endpoint::Component
        }
    }
}

/// The edge an SPDX 2 relationship `a TYPE b` stands for, parent first; `*_OF` and `*_BY`
/// types state it from the child's side, so they are turned round.
fn spdx2_edge<'a>(a: &'a str, kind: &str, b: &'a str) -> Option<(&'a str, &'a str, EdgeKind)> {
    match kind {
        // Linking a library into a program makes the library part of what is delivered.
        "DEPENDS_ON" | "HAS_PREREQUISITE" | "DYNAMIC_LINK" | "STATIC_LINK" => {
            Some((a, b, EdgeKind::DependsOn))
        }
        "DEPENDENCY_OF"
        | "DEV_DEPENDENCY_OF"
        | "BUILD_DEPENDENCY_OF"
        | "RUNTIME_DEPENDENCY_OF"
        | "OPTIONAL_DEPENDENCY_OF"
        | "PROVIDED_DEPENDENCY_OF"
        | "TEST_DEPENDENCY_OF"
        | "PREREQUISITE_FOR" => Some((b, a, EdgeKind::DependsOn)),
        "CONTAINS" => Some((a, b, EdgeKind::Contains)),
        "CONTAINED_BY" => Some((b, a, EdgeKind::Contains)),
        _ => None,
    }
}

impl Package {
    fn into_component(self) -> Component {
        let kind = match present(self.primary_package_purpose.as_deref()) {
            Some(purpose) => ComponentType::parse(&purpose),
            None => ComponentType::Unspecified,
        };
        let mut c = Component::new(self.spdx_id.trim(), kind, self.name.trim());
        c.version = present(self.version_info.as_deref());
        c.description = present(self.description.as_deref()).or(present(self.summary.as_deref()));
        c.supplier = self.supplier.as_deref().and_then(party).map(Box::new);
        c.originator = self.originator.as_deref().and_then(party).map(Box::new);
        for sum in self.checksums.unwrap_or_default() {
            let value = sum.checksum_value.trim();
            if !value.is_empty() {
                c.hashes.push(Hash {
                    alg: normalise_hash_alg(&sum.algorithm),
                    value: value.to_string(),
                });
            }
        }
        let licenses = [
            (LicenseRole::Declared, &self.license_declared),
            (LicenseRole::Concluded, &self.license_concluded),
        ];
        for (role, text) in licenses {
            if let Some(value) = text.as_deref().and_then(license_value) {
                c.licenses.push(License { role, value });
            }
        }
        add_location_refs(
            &mut c,
            self.download_location.as_deref(),
            self.homepage.as_deref(),
        );
        for r in self.external_refs.unwrap_or_default() {
            add_identifier(&mut c, &r.reference_type, &r.reference_locator);
        }
        c.location = self.location;
        c
    }
}

/// Records where a package can be downloaded and its home page, when the document says.
pub(super) fn add_location_refs(c: &mut Component, download: Option<&str>, home: Option<&str>) {
    for (kind, url) in [("distribution", download), ("website", home)] {
        if let Some(url) = present(url) {
            c.external_refs.push(ExternalRef {
                kind: kind.to_string(),
                url,
            });
        }
    }
}

/// Files an external reference or identifier of either SPDX version under the component field
/// it fills (purl, CPE, SWID), or as a plain external reference. The first purl wins; a CPE 2.3
/// name replaces a CPE 2.2 one because it says more.
pub(super) fn add_identifier(c: &mut Component, kind: &str, locator: &str) {
    let locator = locator.trim();
    if locator.is_empty() || is_no_value(locator) {
        return;
    }
    // SPDX 2 JSON may write a non-standard type as a URI ending in `#LocationRef-x`, where
    // tag-value writes just `LocationRef-x`; keeping the fragment makes the two agree.
    let kind = kind.trim();
    let kind = kind.rsplit_once('#').map_or(kind, |(_, fragment)| fragment);
    let slot = match kind.to_ascii_lowercase().as_str() {
        "purl" | "packageurl" => c.purl.is_none().then_some(&mut c.purl),
        "cpe23type" | "cpe23" => {
            let replace = c
                .cpe
                .as_deref()
                .is_none_or(|old| !old.starts_with("cpe:2.3:"));
            replace.then_some(&mut c.cpe)
        }
        "cpe22type" | "cpe22" => c.cpe.is_none().then_some(&mut c.cpe),
        "swid" => c.swid.is_none().then_some(&mut c.swid),
        _ => None,
    };
    match slot {
        Some(slot) => *slot = Some(locator.to_string()),
        None => {
            let r = ExternalRef {
                kind: kind.to_string(),
                url: locator.to_string(),
            };
            if !c.external_refs.contains(&r) {
                c.external_refs.push(r);
            }
        }
    }
}

/// `NOASSERTION` and `NONE` say that nothing is known; both mean "no value" here.
pub(super) fn is_no_value(s: &str) -> bool {
    s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE")
}

/// The trimmed value, unless it is empty, NOASSERTION or NONE.
pub(super) fn present(value: Option<&str>) -> Option<String> {
    let v = value?.trim();
    (!v.is_empty() && !is_no_value(v)).then(|| v.to_string())
}

/// Reads `Organization: Name (email)` or `Person: Name (email)`; the parentheses are taken for
/// an email only when they hold one (or nothing), so `Acme (China) Ltd` keeps its name whole.
pub(super) fn party(value: &str) -> Option<Party> {
    let v = value.trim();
    if v.is_empty() || is_no_value(v) {
        return None;
    }
    let rest = strip_prefix_ci(v, "Organization:")
        .or_else(|| strip_prefix_ci(v, "Person:"))
        .unwrap_or(v)
        .trim();
    let (mut name, mut email) = (rest, None);
    if let Some(body) = rest.strip_suffix(')') {
        if let Some(open) = body.rfind('(') {
            let inner = body[open + 1..].trim();
            if inner.is_empty() || inner.contains('@') {
                name = body[..open].trim();
                email = (!inner.is_empty()).then(|| inner.to_string());
            }
        }
    }
    let name = match (name.is_empty(), &email) {
        (true, Some(e)) => e.clone(),
        (true, None) => return None,
        (false, _) => name.to_string(),
    };
    Some(Party {
        name,
        email,
        ..Party::default()
    })
}

/// Classifies an SPDX licence field: one identifier (`MIT`, `LicenseRef-x`) is an id; anything
/// with an operator or parentheses is an expression; several words without either are taken
/// for a free-text name.
pub(super) fn license_value(text: &str) -> Option<LicenseValue> {
    let t = text.trim();
    if t.is_empty() || is_no_value(t) {
        return None;
    }
    let operator = |w: &str| matches!(w, "AND" | "OR" | "WITH");
    Some(
        if t.contains(['(', ')']) || t.split_whitespace().any(operator) {
            LicenseValue::Expression(t.to_string())
        } else if t.split_whitespace().nth(1).is_none() {
            LicenseValue::Id(t.to_string())
        } else {
            LicenseValue::Name(t.to_string())
        },
    )
}

/// `s` without `prefix`, compared ignoring ASCII case.
pub(super) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Drops repeated entries, keeping the first of each; a set rather than a scan of the list, so a
/// document stating the same root a hundred thousand times is not slow.
pub(super) fn dedup_in_order(list: &mut Vec<String>) {
    let mut seen = HashSet::with_capacity(list.len());
    list.retain(|item| seen.insert(item.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    const V22: &str = "tests/fixtures/spdx/SPDXJSONExample-v2.2.spdx.json";
    const V23: &str = "tests/fixtures/spdx/SPDXJSONExample-v2.3.spdx.json";

    fn fixture(name: &str) -> Document {
        let bytes = std::fs::read(name).unwrap();
        parse(Path::new(name), &bytes).unwrap()
    }

    fn inline(text: &str) -> Result<Document, InputError> {
        parse(Path::new("inline.spdx.json"), text.as_bytes())
    }

    /// Every value swapped for every other JSON type, and truncations: never a panic.
    fn survives_every_type_confusion(name: &str, bytes: &[u8]) {
        crate::inventory::test_util::survives_every_type_confusion(name, bytes, |p, b| {
            let _ = parse(p, b);
        });
    }

    fn component<'d>(doc: &'d Document, key: &str) -> &'d Component {
        doc.components.iter().find(|c| c.key == key).unwrap()
    }

    #[test]
    fn reads_the_2_3_example_packages() {
        let doc = fixture(V23);
        assert_eq!(doc.format, Format::SpdxJson);
        let keys: Vec<_> = doc.components.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "SPDXRef-Package",
                "SPDXRef-fromDoap-1",
                "SPDXRef-fromDoap-0",
                "SPDXRef-Saxon"
            ]
        );
        let glibc = component(&doc, "SPDXRef-Package");
        assert_eq!(glibc.name, "glibc");
        assert_eq!(glibc.bom_ref, None);
        assert_eq!(glibc.version.as_deref(), Some("2.11.1"));
        assert_eq!(glibc.kind, ComponentType::Source);
        assert_eq!(glibc.location, "/packages/0");
        assert_eq!(
            glibc.supplier.as_deref(),
            Some(&Party {
                name: "Jane Doe".into(),
                email: Some("jane.doe@example.com".into()),
                ..Party::default()
            })
        );
        let originator = glibc.originator.as_ref().unwrap();
        assert_eq!(originator.name, "ExampleCodeInspect");
        assert_eq!(originator.email.as_deref(), Some("contact@example.com"));
        assert_eq!(
            glibc.licenses,
            [
                License {
                    role: LicenseRole::Declared,
                    value: LicenseValue::Expression("(LGPL-2.0-only AND LicenseRef-3)".into())
                },
                License {
                    role: LicenseRole::Concluded,
                    value: LicenseValue::Expression("(LGPL-2.0-only OR LicenseRef-3)".into())
                },
            ]
        );
        let algs: Vec<_> = glibc.hashes.iter().map(|h| h.alg.as_str()).collect();
        assert_eq!(algs, ["MD5", "SHA-1", "SHA-256", "BLAKE2B-384"]);
        assert_eq!(
            glibc.hashes[1].value,
            "85ed0817af83a24ad8da68c2b5094de69833983c"
        );
        assert_eq!(
            glibc.cpe.as_deref(),
            Some("cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*")
        );
        assert_eq!(
            glibc.external_refs,
            [
                ExternalRef {
                    kind: "distribution".into(),
                    url: "http://ftp.gnu.org/gnu/glibc/glibc-ports-2.15.tar.gz".into()
                },
                ExternalRef {
                    kind: "website".into(),
                    url: "http://ftp.gnu.org/gnu/glibc".into()
                },
                ExternalRef {
                    kind: "LocationRef-acmeforge".into(),
                    url: "acmecorp/acmenator/4.1.3-alpha".into()
                },
            ]
        );
        assert!(glibc
            .description
            .as_deref()
            .unwrap()
            .starts_with("The GNU C Library defines"));

        let lang = component(&doc, "SPDXRef-fromDoap-1");
        assert_eq!(lang.name, "Apache Commons Lang");
        assert_eq!(lang.version, None);
        assert_eq!(lang.kind, ComponentType::Unspecified);
        assert!(lang.licenses.is_empty(), "NOASSERTION is no licence");
        assert_eq!(
            lang.external_refs.len(),
            1,
            "NOASSERTION download is dropped"
        );

        let jena = component(&doc, "SPDXRef-fromDoap-0");
        assert_eq!(
            jena.purl.as_deref(),
            Some("pkg:maven/org.apache.jena/apache-jena@3.12.0")
        );

        let saxon = component(&doc, "SPDXRef-Saxon");
        assert_eq!(saxon.version.as_deref(), Some("8.8"));
        assert_eq!(
            saxon.licenses[0],
            License {
                role: LicenseRole::Declared,
                value: LicenseValue::Id("MPL-1.0".into())
            }
        );
        assert_eq!(
            saxon.description.as_deref(),
            Some("The Saxon package is a collection of tools for processing XML documents.")
        );
    }

    #[test]
    fn reads_the_2_3_example_metadata_roots_and_relationships() {
        let doc = fixture(V23);
        let meta = &doc.meta;
        assert_eq!(meta.spec_version, "SPDX-2.3");
        assert_eq!(meta.name.as_deref(), Some("SPDX-Tools-v2.0"));
        assert_eq!(
            meta.serial_number.as_deref(),
            Some("http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301")
        );
        assert_eq!(meta.timestamp.as_deref(), Some("2010-01-29T18:30:22Z"));
        assert_eq!(meta.tools, ["LicenseFind-1.0"]);
        let authors: Vec<_> = meta.authors.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(authors, ["ExampleCodeInspect", "Jane Doe"]);
        assert_eq!(meta.authors[0].email, None);
        // documentDescribes also names SPDXRef-File, a file and so not a component.
        assert_eq!(meta.roots, ["SPDXRef-Package"]);
        // Of the example's relationships only the DYNAMIC_LINK joins two packages; the rest
        // touch the document, a file, NOASSERTION, another document or draw no edge.
        let edges: Vec<_> = doc
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
            .collect();
        assert_eq!(
            edges,
            [("SPDXRef-Package", "SPDXRef-Saxon", EdgeKind::DependsOn)]
        );
        assert_eq!(doc.findings.len(), 1);
        let f = &doc.findings[0];
        assert_eq!(f.code, Code::IgnoredRelationship);
        assert_eq!(f.location, "/relationships/1");
        assert!(
            f.message
                .en()
                .contains("DocumentRef-spdx-tool-1.2:SPDXRef-ToolsElement")
                && f.message
                    .zh()
                    .contains("DocumentRef-spdx-tool-1.2:SPDXRef-ToolsElement"),
            "{:?}",
            f.message
        );
    }

    #[test]
    fn reads_the_2_2_example() {
        let doc = fixture(V22);
        assert_eq!(doc.meta.spec_version, "SPDX-2.2");
        assert_eq!(doc.components.len(), 4);
        let glibc = component(&doc, "SPDXRef-Package");
        assert_eq!(
            glibc.kind,
            ComponentType::Unspecified,
            "2.2 has no primaryPackagePurpose"
        );
        assert_eq!(glibc.hashes.len(), 3);
        // The 2.2 example states DESCRIBES both as documentDescribes and as relationships.
        assert_eq!(doc.meta.roots, ["SPDXRef-Package"]);
        assert_eq!(doc.edges.len(), 1, "the DYNAMIC_LINK to Saxon");
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(doc.findings[0].code, Code::IgnoredRelationship);
    }

    #[test]
    fn the_example_merges_without_dangling_references() {
        let inv = super::super::Inventory::from_documents(vec![fixture(V23)]);
        assert_eq!(inv.len(), 4);
        assert!(
            !inv.findings
                .iter()
                .any(|f| f.code == Code::DanglingDependencyRef),
            "{:?}",
            inv.findings
        );
    }

    #[test]
    fn dependency_relationships_point_from_dependant_to_dependency() {
        let doc = inline(
            r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d",
            "packages":[{"SPDXID":"SPDXRef-app","name":"app","versionInfo":"1"},
                        {"SPDXID":"SPDXRef-lib","name":"lib","versionInfo":"2"},
                        {"SPDXID":"SPDXRef-tool","name":"tool"}],
            "files":[{"SPDXID":"SPDXRef-f","fileName":"./a.c"}],
            "relationships":[
              {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-app"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"DEPENDS_ON","relatedSpdxElement":"SPDXRef-lib"},
              {"spdxElementId":"SPDXRef-tool","relationshipType":"BUILD_DEPENDENCY_OF","relatedSpdxElement":"SPDXRef-app"},
              {"spdxElementId":"SPDXRef-lib","relationshipType":"CONTAINED_BY","relatedSpdxElement":"SPDXRef-app"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"HAS_PREREQUISITE","relatedSpdxElement":"SPDXRef-tool"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-f"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"DEPENDS_ON","relatedSpdxElement":"NONE"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"VARIANT_OF","relatedSpdxElement":"SPDXRef-lib"},
              {"spdxElementId":"SPDXRef-app","relationshipType":"DEPENDS_ON","relatedSpdxElement":"SPDXRef-gone"}
            ]}"#,
        )
        .unwrap();
        let edges: Vec<_> = doc
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.kind, e.location.as_str()))
            .collect();
        assert_eq!(
            edges,
            [
                (
                    "SPDXRef-app",
                    "SPDXRef-lib",
                    EdgeKind::DependsOn,
                    "/relationships/1"
                ),
                (
                    "SPDXRef-app",
                    "SPDXRef-tool",
                    EdgeKind::DependsOn,
                    "/relationships/2"
                ),
                (
                    "SPDXRef-app",
                    "SPDXRef-lib",
                    EdgeKind::Contains,
                    "/relationships/3"
                ),
                (
                    "SPDXRef-app",
                    "SPDXRef-tool",
                    EdgeKind::DependsOn,
                    "/relationships/4"
                ),
                // An undefined id is kept so that the merge reports it as dangling.
                (
                    "SPDXRef-app",
                    "SPDXRef-gone",
                    EdgeKind::DependsOn,
                    "/relationships/8"
                ),
            ]
        );
        assert_eq!(doc.meta.roots, ["SPDXRef-app"]);
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn parties_licences_and_identifiers_are_read_leniently() {
        let p = party("Organization: Acme (China) Ltd").unwrap();
        assert_eq!((p.name.as_str(), p.email), ("Acme (China) Ltd", None));
        let p = party("Person: Li Lei (li@example.cn)").unwrap();
        assert_eq!(
            (p.name.as_str(), p.email.as_deref()),
            ("Li Lei", Some("li@example.cn"))
        );
        assert_eq!(party("NOASSERTION"), None);
        assert_eq!(party("Organization: ()"), None);
        assert_eq!(party("Acme").unwrap().name, "Acme");

        assert_eq!(license_value("MIT"), Some(LicenseValue::Id("MIT".into())));
        assert_eq!(
            license_value("LicenseRef-x"),
            Some(LicenseValue::Id("LicenseRef-x".into()))
        );
        assert_eq!(
            license_value("GPL-2.0-only WITH Classpath-exception-2.0"),
            Some(LicenseValue::Expression(
                "GPL-2.0-only WITH Classpath-exception-2.0".into()
            ))
        );
        assert_eq!(
            license_value("(MIT)"),
            Some(LicenseValue::Expression("(MIT)".into()))
        );
        assert_eq!(
            license_value("Some Licence"),
            Some(LicenseValue::Name("Some Licence".into()))
        );
        assert_eq!(license_value(" NONE "), None);

        let mut c = Component::new("k", ComponentType::Library, "n");
        add_identifier(&mut c, "cpe22Type", "cpe:/a:x:y:1");
        add_identifier(&mut c, "cpe23Type", "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*");
        add_identifier(&mut c, "purl", "pkg:npm/y@1");
        add_identifier(&mut c, "purl", "pkg:npm/z@1");
        add_identifier(&mut c, "advisory", "https://example.com/a");
        assert_eq!(c.cpe.as_deref(), Some("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"));
        assert_eq!(c.purl.as_deref(), Some("pkg:npm/y@1"));
        let kinds: Vec<_> = c.external_refs.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, ["purl", "advisory"]);
    }

    #[test]
    fn another_version_is_refused_at_its_pointer() {
        let err = inline(r#"{"spdxVersion":"SPDX-3.0","packages":[]}"#).unwrap_err();
        assert_eq!(err.location, Location::Pointer("/spdxVersion".into()));
        assert!(err.message.contains("'SPDX-3.0'"), "{}", err.message);
        assert!(
            err.message.contains("expected SPDX-2.2 or SPDX-2.3"),
            "{}",
            err.message
        );
        assert!(inline(r#"{"spdxVersion":"SPDX-2.1"}"#).is_ok());
    }

    #[test]
    fn malformed_input_is_an_error_with_its_place() {
        let err = inline(r#"{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"a","name":7}]}"#)
            .unwrap_err();
        assert_eq!(err.location, Location::Pointer("/packages/0/name".into()));
        let err = inline(r#"{"spdxVersion":"SPDX-2.3","packages":[{"name":"x"}]}"#).unwrap_err();
        assert_eq!(err.location, Location::Pointer("/packages/0".into()));
        assert!(err.message.contains("SPDXID"), "{}", err.message);
        let err = inline("{\"spdxVersion\":\"SPDX-2.3\",\n\"packages\":[").unwrap_err();
        assert!(
            matches!(err.location, Location::LineCol { line: 2, .. }),
            "{err}"
        );
        assert!(
            inline(r#"{"packages":[]}"#).is_err(),
            "spdxVersion is required"
        );
        // Lists written as null are empty lists.
        let doc =
            inline(r#"{"spdxVersion":"SPDX-2.3","packages":null,"relationships":null}"#).unwrap();
        assert!(doc.components.is_empty());
    }

    #[test]
    fn every_spdx_fixture_is_detected_and_read_by_its_reader() {
        let cases = [
            (V22, Format::SpdxJson, 4),
            (V23, Format::SpdxJson, 4),
            (
                "tests/fixtures/spdx/SPDXTagExample-v2.3.spdx",
                Format::SpdxTagValue,
                4,
            ),
            (
                "tests/fixtures/spdx/spdx3-package_sbom.jsonld.json",
                Format::Spdx3JsonLd,
                1,
            ),
        ];
        for (name, format, packages) in cases {
            let doc = crate::inventory::parse_file(Path::new(name)).unwrap();
            assert_eq!(
                (doc.format, doc.components.len()),
                (format, packages),
                "{name}"
            );
        }
    }

    #[test]
    fn no_corruption_of_the_examples_panics() {
        // 2.2 differs from 2.3 in a few fields only; one of them is enough and keeps this quick.
        survives_every_type_confusion(V23, &std::fs::read(V23).unwrap());
    }
}
