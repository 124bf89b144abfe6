//! Merging parsed documents into one [`Inventory`] with one dependency graph.
//!
//! The same component seen in two files becomes one node: matched by purl, then by bom-ref (as
//! long as name, purl and version agree), then by name, version and supplier. Every field on
//! which two descriptions disagree is a `component-conflict` finding naming both values and
//! both files; fields only one of them has are kept, and licences are merged by value.

mod fields;
mod key_index;

use super::{Code, Component, ComponentType, Document, DocumentMeta, EdgeKind, Finding, Format};
use crate::i18n::Bilingual;
use fields::{both_differ, conflicts, fill_missing, Field};
use foldhash::fast::RandomState;
use key_index::KeyIndex;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Index of a component in [`Inventory::components`]; also its node index in the graph.
pub type ComponentId = usize;

/// One file an inventory was read from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    #[serde(flatten)]
    pub meta: DocumentMeta,
}

/// Where a merged component was described: the file (index into [`Inventory::sources`]) and
/// the place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub source: usize,
    pub location: String,
}

/// All components of a project's inventory files, with their dependency graph.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub sources: Vec<Source>,
    pub components: Vec<Component>,
    /// For each component, every place it was described.
    pub origins: Vec<Vec<Origin>>,
    /// Node `i` is component `i`; edge weights say how the parent includes the child.
    pub graph: DiGraph<ComponentId, EdgeKind>,
    /// Entry points of the graph: the products the documents describe and, for documents that
    /// name no product (a hardware list), their top-level items.
    pub roots: Vec<ComponentId>,
    pub findings: Vec<Finding>,
}

impl Inventory {
    pub fn from_documents(docs: Vec<Document>) -> Inventory {
        let mut merger = Merger::default();
        for doc in docs {
            merger.add(doc);
        }
        merger.finish()
    }

    pub fn node(id: ComponentId) -> NodeIndex {
        NodeIndex::new(id)
    }

    pub fn len(&self) -> usize {
        self.components.len()
    }

    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The components whose purl, bom-ref, `name@version` or name equals `query`, best match first.
    pub fn find(&self, query: &str) -> Vec<ComponentId> {
        let tiers: [&dyn Fn(&Component) -> bool; 4] = [
            &|c| c.purl.as_deref() == Some(query) || c.bom_ref.as_deref() == Some(query),
            &|c| c.display_id_is(query) || c.key == query,
            &|c| c.full_name_is(query) || c.name == query,
            &|c| c.name.eq_ignore_ascii_case(query),
        ];
        for tier in tiers {
            let hits: Vec<_> = (0..self.components.len())
                .filter(|&i| tier(&self.components[i]))
                .collect();
            if !hits.is_empty() {
                return hits;
            }
        }
        Vec::new()
    }
}

#[derive(Default)]
struct Merger {
    sources: Vec<Source>,
    components: Vec<Component>,
    origins: Vec<Vec<Origin>>,
    by_purl: KeyIndex,
    by_ref: KeyIndex,
    /// By [`name_key`] (name and version) to the components of that name and version; a match
    /// also needs the same supplier, unless one of the two descriptions names none. Unlike purl
    /// and bom-ref, a component's name key can change when a later description fills in its
    /// version, and the key it was indexed under must keep finding it; so keys are stored.
    by_name: HashMap<String, Vec<ComponentId>, RandomState>,
    /// The same, for components without a purl only. Two components whose purls differ are
    /// different components, so a component with a purl is matched by name only to these.
    by_name_bare: HashMap<String, Vec<ComponentId>, RandomState>,
    edges: Vec<(ComponentId, ComponentId, EdgeKind)>,
    /// Which of a component's origins gave it a field, where that was not the first: so a
    /// conflict names the file the value came from.
    given_by: HashMap<(ComponentId, Field), usize, RandomState>,
    /// Products the documents name, in the order met.
    roots: Vec<ComponentId>,
    /// Top-level items of documents that name no product.
    tops: Vec<ComponentId>,
    findings: Vec<Finding>,
}

impl Merger {
    fn add(&mut self, doc: Document) {
        let source = self.sources.len();
        let Document {
            path,
            format,
            meta,
            components,
            edges,
            findings,
        } = doc;
        self.findings.extend(findings);

        // The document's components are moved into `self.components` and compacted there in
        // place (duplicates and components merged into earlier ones leave gaps that the next new
        // one fills), so no second buffer of a large document's components is ever allocated.
        let first_new = self.components.len();
        if self.components.is_empty() {
            self.components = components;
        } else {
            self.components.extend(components);
        }
        // Keys are taken out while the document is merged, so the index of local keys can borrow
        // them; each new component gets its key back at the end.
        let mut keys: Vec<String> = self.components[first_new..]
            .iter_mut()
            .map(|c| std::mem::take(&mut c.key))
            .collect();
        // What each key of the document became.
        let mut local: HashMap<&str, ComponentId, RandomState> =
            HashMap::with_capacity_and_hasher(keys.len(), RandomState::default());
        let mut placed_from = Vec::with_capacity(keys.len());
        let mut parents = Vec::new();
        let mut next = first_new;
        for (pos, key) in keys.iter().enumerate() {
            let component = std::mem::replace(
                &mut self.components[first_new + pos],
                Component::new(String::new(), ComponentType::Unspecified, String::new()),
            );
            if let Some(&first) = local.get(key.as_str()) {
                let (what_zh, what) =
                    if format == Format::CycloneDxJson || format == Format::CycloneDxXml {
                        ("bom-ref", "bom-ref")
                    } else {
                        ("标识", "identifier")
                    };
                let first = self.components[first].display_id();
                self.findings.push(
                    Finding::new(
                        Code::DuplicateBomRef,
                        &path,
                        component.location.clone(),
                        Bilingual::format(
                            format_args!(
                                "{what_zh} '{key}' 在此处重复使用，它最初已分配给 '{first}'"
                            ),
                            format_args!(
                                "{what} '{key}' is used again here; it was first given to '{first}'"
                            ),
                        ),
                    )
                    .about(component.display_id()),
                );
                continue;
            }
            if let Some(parent) = &component.parent {
                parents.push((parent.clone(), key.clone(), component.location.clone()));
            }
            let id = match self.intern(component, source, &path, next) {
                Interned::New(id) => {
                    placed_from.push(pos);
                    next += 1;
                    id
                }
                Interned::Merged(id) => id,
            };
            local.insert(key, id);
        }
        self.components.truncate(next);
        let lookup = |key: &str| local.get(key).copied();

        let mut has_incoming = vec![false; self.components.len()];
        let resolved_parents = parents
            .into_iter()
            .map(|(from, to, loc)| (from, to, EdgeKind::Contains, loc));
        let stated = edges
            .into_iter()
            .map(|e| (e.from, e.to, e.kind, e.location));
        // Edges from one component come together, so its lookup is kept for the next edge.
        let mut previous: Option<(String, Option<ComponentId>)> = None;
        for (from, to, kind, location) in resolved_parents.chain(stated) {
            let from_id = match &previous {
                Some((last, id)) if *last == from => *id,
                _ => lookup(&from),
            };
            match (from_id, lookup(&to)) {
                (Some(a), Some(b)) => {
                    self.edges.push((a, b, kind));
                    has_incoming[b] = true;
                }
                (a, _) => {
                    let missing = if a.is_none() { &from } else { &to };
                    self.findings.push(Finding::new(
                        Code::DanglingDependencyRef,
                        &path,
                        location,
                        Bilingual::format(
                            format_args!("'{from}' -> '{to}'：本文件中没有组件 '{missing}'"),
                            format_args!(
                                "'{from}' -> '{to}': no component '{missing}' in this file"
                            ),
                        ),
                    ));
                }
            }
            previous = Some((from, from_id));
        }
        let mut doc_roots: Vec<ComponentId> = Vec::new();
        for key in &meta.roots {
            match lookup(key) {
                Some(id) => doc_roots.push(id),
                None => self.findings.push(Finding::new(
                    Code::DanglingDependencyRef,
                    &path,
                    "",
                    Bilingual::format(
                        format_args!("文档声明描述 '{key}'，但本文件中没有这个组件"),
                        format_args!(
                            "the document describes '{key}', which is not a component in this file"
                        ),
                    ),
                )),
            }
        }
        if doc_roots.is_empty() {
            // A document that names no product (a hardware list): its top-level items are entry
            // points, unless another file shows what includes them (decided in `finish`).
            let mut tops: Vec<ComponentId> = local
                .values()
                .copied()
                .filter(|&id| !has_incoming[id])
                .collect();
            tops.sort_unstable();
            self.tops.extend(tops);
        }
        self.roots.extend(doc_roots);
        for (offset, pos) in placed_from.into_iter().enumerate() {
            self.components[first_new + offset].key = std::mem::take(&mut keys[pos]);
        }
        self.sources.push(Source { path, format, meta });
    }

    /// Finds the component this one is the same as and merges it in, or else places it at
    /// `slot` (the next free place in `self.components`).
    fn intern(
        &mut self,
        component: Component,
        source: usize,
        path: &Path,
        slot: ComponentId,
    ) -> Interned {
        let origin = Origin {
            source,
            location: component.location.clone(),
        };
        let name_key = name_key(&component);
        let existing = component
            .purl
            .as_deref()
            .and_then(|p| {
                self.by_purl.find(self.by_purl.hash(p), |id| {
                    self.components[id].purl.as_deref() == Some(p)
                })
            })
            .or_else(|| {
                let r = component.bom_ref.as_deref()?;
                // The first component indexed under this bom-ref, as long as it is the same
                // thing: a bom-ref is local to its file, and two files may give one to
                // different components. Whose purls or versions differ are different.
                self.by_ref
                    .find(self.by_ref.hash(r), |id| {
                        self.components[id].bom_ref.as_deref() == Some(r)
                    })
                    .filter(|&id| {
                        let known = &self.components[id];
                        known.name == component.name
                            && !both_differ(&known.purl, &component.purl)
                            && !both_differ(&known.version, &component.version)
                    })
            })
            .or_else(|| {
                let supplier = component.supplier.as_ref().map(|s| s.name.as_str());
                let candidates = if component.purl.is_some() {
                    &self.by_name_bare
                } else {
                    &self.by_name
                };
                candidates.get(&name_key)?.iter().copied().find(|&id| {
                    let theirs = self.components[id]
                        .supplier
                        .as_ref()
                        .map(|s| s.name.as_str());
                    supplier.is_none() || theirs.is_none() || supplier == theirs
                })
            });
        let Some(id) = existing else {
            self.components[slot] = component;
            self.origins.push(vec![origin]);
            self.index(slot, Some(name_key));
            return Interned::New(slot);
        };
        if self.origins[id].iter().any(|o| o.source != source) || self.origins[id].is_empty() {
            for diff in conflicts(&self.components[id], &component) {
                let earlier = self.origin_of(id, diff.field);
                let other = beside(path, &self.sources[earlier.source].path);
                self.findings.push(
                    Finding::new(
                        Code::ComponentConflict,
                        path,
                        component.location.clone(),
                        Bilingual::format(
                            format_args!(
                                "{}不一致：此处为 '{}'，'{}' 中 {} 处为 '{}'",
                                diff.field.name_zh(),
                                diff.theirs,
                                other.display(),
                                earlier.location,
                                diff.ours,
                            ),
                            format_args!(
                                "{} differs: '{}' here, '{}' in '{}' at {}",
                                diff.field.name(),
                                diff.theirs,
                                diff.ours,
                                other.display(),
                                earlier.location
                            ),
                        ),
                    )
                    .about(self.components[id].display_id()),
                );
            }
        }
        let filled = fill_missing(&mut self.components[id], component);
        self.index(id, None);
        let at = match self.origins[id].iter().position(|o| *o == origin) {
            Some(at) => at,
            None => {
                self.origins[id].push(origin);
                self.origins[id].len() - 1
            }
        };
        for field in filled {
            self.given_by.insert((id, field), at);
        }
        Interned::Merged(id)
    }

    /// The description that gave component `id` its value of `field`: the one recorded when a
    /// later description filled it in, else the first.
    fn origin_of(&self, id: ComponentId, field: Field) -> &Origin {
        let at = self.given_by.get(&(id, field)).copied().unwrap_or(0);
        &self.origins[id][at]
    }

    /// Indexes component `id` under its purl, bom-ref and name key where nothing holds those yet.
    /// `name_key` is its name key when the caller already has it.
    fn index(&mut self, id: ComponentId, name_key: Option<String>) {
        let c = &self.components[id];
        if let Some(p) = c.purl.as_deref() {
            let hash = self.by_purl.hash(p);
            if self
                .by_purl
                .find(hash, |j| self.components[j].purl.as_deref() == Some(p))
                .is_none()
            {
                self.by_purl.insert(hash, id);
            }
        }
        if let Some(r) = c.bom_ref.as_deref() {
            let hash = self.by_ref.hash(r);
            if self
                .by_ref
                .find(hash, |j| self.components[j].bom_ref.as_deref() == Some(r))
                .is_none()
            {
                self.by_ref.insert(hash, id);
            }
        }
        let key = name_key.unwrap_or_else(|| self::name_key(c));
        // A component is re-indexed each time another description merges into it; skipping
        // only an immediate repeat keeps this constant-time, and a rare repeat is harmless.
        let add = |map: &mut HashMap<String, Vec<ComponentId>, RandomState>, key: String| {
            let ids = map.entry(key).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        };
        if c.purl.is_none() {
            add(&mut self.by_name_bare, key.clone());
        }
        add(&mut self.by_name, key);
    }

    fn finish(mut self) -> Inventory {
        let mut graph = DiGraph::with_capacity(self.components.len(), self.edges.len());
        for id in 0..self.components.len() {
            graph.add_node(id);
        }
        self.edges.sort_unstable();
        self.edges.dedup();
        for (a, b, kind) in self.edges {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), kind);
        }
        let mut is_root = vec![false; self.components.len()];
        let mut roots = Vec::new();
        let top_level = |id: &ComponentId| {
            graph
                .neighbors_directed(NodeIndex::new(*id), petgraph::Direction::Incoming)
                .next()
                .is_none()
        };
        for id in self
            .roots
            .iter()
            .copied()
            .chain(self.tops.iter().copied().filter(top_level))
        {
            if !is_root[id] {
                is_root[id] = true;
                roots.push(id);
            }
        }
        for (id, c) in self.components.iter().enumerate() {
            let first = &self.origins[id][0];
            let path = &self.sources[first.source].path;
            if c.version.as_deref().is_none_or(|v| v.trim().is_empty()) {
                self.findings.push(
                    Finding::new(
                        Code::MissingVersion,
                        path,
                        first.location.clone(),
                        Bilingual::new("组件没有版本号", "the component has no version"),
                    )
                    .about(c.display_id()),
                );
            }
            if let ComponentType::Other(t) = &c.kind {
                self.findings.push(
                    Finding::new(
                        Code::UnknownComponentType,
                        path,
                        first.location.clone(),
                        Bilingual::format(
                            format_args!("无法识别的组件类型 '{t}'"),
                            format_args!("unknown component type '{t}'"),
                        ),
                    )
                    .about(c.display_id()),
                );
            }
        }
        Inventory {
            sources: self.sources,
            components: self.components,
            origins: self.origins,
            graph,
            roots,
            findings: self.findings,
        }
    }
}

/// `other` as a reader of a finding about `here` needs it: relative to the folder the two files
/// share, so a message never carries the machine's absolute paths (the finding's own file is
/// made relative by whoever renders it).
fn beside<'a>(here: &Path, other: &'a Path) -> &'a Path {
    here.ancestors()
        .skip(1)
        // Neither the empty path nor the root: sharing only those is sharing nothing.
        .filter(|dir| dir.parent().is_some())
        .find_map(|dir| other.strip_prefix(dir).ok())
        .unwrap_or(other)
}

enum Interned {
    New(ComponentId),
    Merged(ComponentId),
}

/// The name and version a component is matched by when it has no purl or bom-ref in common
/// with another, as one string: the name is prefixed with its length, so no two different
/// pairs give the same key. (The supplier is compared separately: one side may name none.)
fn name_key(c: &Component) -> String {
    let full_name = c.full_name();
    let version = c.version.as_deref().unwrap_or_default();
    format!("{}:{full_name}{version}", full_name.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Certificate, Edge};

    fn device(key: &str, name: &str) -> Component {
        let mut c = Component::new(key, ComponentType::Device, name);
        c.version = Some("CE16808".into());
        c
    }

    /// A hardware list (no product) and an HBOM that places the same switch under a product.
    fn two_documents() -> Vec<Document> {
        let mut list = Document::new("hardware.csv", Format::HardwareCsv);
        let mut row = device("row-2", "核心交换机");
        row.hardware.serial_numbers = vec!["SN1".into()];
        row.hardware.certificates = vec![Certificate {
            number: "C-1".into(),
            valid_until: None,
        }];
        row.supplier = Some(Box::new(crate::inventory::Party::named("集成商")));
        list.components = vec![row, device("row-3", "接入交换机")];
        let mut hbom = Document::new("hbom.json", Format::CycloneDxJson);
        let mut switch = device("sw", "核心交换机");
        switch.hardware.quantity = Some(2);
        hbom.components = vec![
            Component::new("root", ComponentType::Application, "平台"),
            switch,
        ];
        hbom.edges.push(Edge {
            from: "root".into(),
            to: "sw".into(),
            kind: EdgeKind::Contains,
            location: String::new(),
        });
        hbom.meta.roots = vec!["root".into()];
        vec![list, hbom]
    }

    #[test]
    fn a_conflict_names_the_other_file_relative_to_the_folder_both_share() {
        let here = Path::new("/srv/ws/inventories/hw/list.csv");
        assert_eq!(
            beside(here, Path::new("/srv/ws/inventories/a.cdx.json")),
            Path::new("a.cdx.json")
        );
        assert_eq!(
            beside(here, Path::new("/srv/ws/inventories/hw/b.json")),
            Path::new("b.json")
        );
        assert_eq!(
            beside(Path::new("list.csv"), Path::new("/abs/b.json")),
            Path::new("/abs/b.json")
        );
        assert_eq!(
            beside(Path::new("/one/list.csv"), Path::new("/abs/b.json")),
            Path::new("/abs/b.json")
        );
    }

    #[test]
    fn hardware_facts_from_both_files_are_kept_and_a_missing_supplier_does_not_split_a_device() {
        let inv = Inventory::from_documents(two_documents());
        assert_eq!(inv.len(), 3, "the core switch is one node");
        let switch = &inv.components[inv.find("核心交换机")[0]];
        assert_eq!(switch.hardware.serial_numbers, ["SN1"]);
        assert_eq!(switch.hardware.certificates.len(), 1);
        assert_eq!(switch.hardware.quantity, Some(2));
        assert_eq!(inv.origins[inv.find("核心交换机")[0]].len(), 2);
    }

    #[test]
    fn components_whose_purls_differ_are_not_merged_by_name() {
        let mut doc = Document::new("a.json", Format::CycloneDxJson);
        for (key, purl) in [("a", "pkg:npm/x@1.0.0"), ("b", "pkg:maven/org.x/x@1.0.0")] {
            let mut c = Component::new(key, ComponentType::Library, "x");
            c.version = Some("1.0.0".into());
            c.purl = Some(purl.into());
            doc.components.push(c);
        }
        let mut bare = Component::new("c", ComponentType::Library, "x");
        bare.version = Some("1.0.0".into());
        doc.components.push(bare);
        let inv = Inventory::from_documents(vec![doc]);
        // The two purls stay two components; the bare description joins the first of them.
        assert_eq!(inv.len(), 2);
    }

    #[test]
    fn a_listed_item_that_another_file_places_under_a_product_is_not_a_root() {
        let inv = Inventory::from_documents(two_documents());
        let names: Vec<_> = inv
            .roots
            .iter()
            .map(|&r| inv.components[r].name.as_str())
            .collect();
        assert_eq!(names, ["平台", "接入交换机"]);
    }
}
