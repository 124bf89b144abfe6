//! Inventory statistics: counts, graph facts and NTIA minimum-elements completeness.

use super::{Code, ComponentId, Inventory, LicenseValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// The seven NTIA minimum data fields, as anbao measures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NtiaElement {
    /// A supplier, or for hardware the manufacturer.
    Supplier,
    Name,
    Version,
    /// purl, CPE or SWID tag id; for devices also a serial number.
    UniqueId,
    /// The component is a product root or is included by another component.
    DependencyRelationship,
    /// The document it came from names an author or a tool.
    Author,
    /// The document it came from has a timestamp.
    Timestamp,
}

impl NtiaElement {
    pub const ALL: [NtiaElement; 7] = [
        NtiaElement::Supplier,
        NtiaElement::Name,
        NtiaElement::Version,
        NtiaElement::UniqueId,
        NtiaElement::DependencyRelationship,
        NtiaElement::Author,
        NtiaElement::Timestamp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NtiaElement::Supplier => "supplier",
            NtiaElement::Name => "name",
            NtiaElement::Version => "version",
            NtiaElement::UniqueId => "unique-id",
            NtiaElement::DependencyRelationship => "dependency-relationship",
            NtiaElement::Author => "author",
            NtiaElement::Timestamp => "timestamp",
        }
    }
}

/// Completeness of one NTIA element over all components.
#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub element: NtiaElement,
    pub present: usize,
    pub total: usize,
    /// Share of components that have the element, 0 to 100, rounded down to a tenth (kept as
    /// an integer count of tenths so JSON output holds no floats).
    pub permille: u32,
    /// Components lacking the element, as `name@version`.
    pub missing: Vec<String>,
}

impl Completeness {
    pub fn percent(&self) -> String {
        format!("{}.{}%", self.permille / 10, self.permille % 10)
    }
}

/// Everything `anbao inventory stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub files: usize,
    pub components: usize,
    pub edges: usize,
    pub by_type: BTreeMap<String, usize>,
    pub by_supplier: BTreeMap<String, usize>,
    pub by_manufacturer: BTreeMap<String, usize>,
    pub by_license: BTreeMap<String, usize>,
    pub roots: Vec<String>,
    pub orphans: Vec<String>,
    pub cycles: Vec<Vec<String>>,
    pub dangling_references: usize,
    pub ntia: Vec<Completeness>,
}

/// Counted under this key when a component has no supplier, manufacturer or licence.
pub const NONE_KEY: &str = "(none)";

pub fn compute(inv: &Inventory) -> Stats {
    let names = |ids: &[ComponentId]| {
        ids.iter()
            .map(|&i| inv.components[i].display_id())
            .collect::<Vec<_>>()
    };
    let mut by_type = BTreeMap::new();
    let mut by_supplier = BTreeMap::new();
    let mut by_manufacturer = BTreeMap::new();
    let mut by_license = BTreeMap::new();
    for c in &inv.components {
        *by_type.entry(c.kind.as_str().to_string()).or_insert(0) += 1;
        let supplier = c.supplier.as_ref().map_or(NONE_KEY, |p| p.name.as_str());
        *by_supplier.entry(supplier.to_string()).or_insert(0) += 1;
        let manufacturer = c
            .manufacturer
            .as_ref()
            .map_or(NONE_KEY, |p| p.name.as_str());
        *by_manufacturer.entry(manufacturer.to_string()).or_insert(0) += 1;
        let mut licenses: Vec<&str> = c
            .licenses
            .iter()
            .map(|l| match &l.value {
                LicenseValue::Id(s) | LicenseValue::Name(s) | LicenseValue::Expression(s) => {
                    s.as_str()
                }
            })
            .collect();
        licenses.sort_unstable();
        licenses.dedup();
        if licenses.is_empty() {
            licenses.push(NONE_KEY);
        }
        for l in licenses {
            *by_license.entry(l.to_string()).or_insert(0) += 1;
        }
    }
    let has_parent: Vec<bool> = (0..inv.components.len())
        .map(|i| !inv.parents_of(i).is_empty() || inv.roots.contains(&i))
        .collect();
    let doc_has = |id: ComponentId, f: &dyn Fn(&super::Source) -> bool| {
        inv.origins[id].iter().any(|o| f(&inv.sources[o.source]))
    };
    let ntia = NtiaElement::ALL
        .into_iter()
        .map(|element| {
            let missing: Vec<ComponentId> = (0..inv.components.len())
                .filter(|&i| {
                    let c = &inv.components[i];
                    let present = match element {
                        NtiaElement::Supplier => c.supplier.is_some() || c.manufacturer.is_some(),
                        NtiaElement::Name => !c.name.trim().is_empty(),
                        NtiaElement::Version => {
                            c.version.as_deref().is_some_and(|v| !v.trim().is_empty())
                        }
                        NtiaElement::UniqueId => {
                            c.purl.is_some()
                                || c.cpe.is_some()
                                || c.swid.is_some()
                                || !c.hardware.serial_numbers.is_empty()
                        }
                        NtiaElement::DependencyRelationship => has_parent[i],
                        NtiaElement::Author => doc_has(i, &|s| {
                            !s.meta.authors.is_empty() || !s.meta.tools.is_empty()
                        }),
                        NtiaElement::Timestamp => doc_has(i, &|s| s.meta.timestamp.is_some()),
                    };
                    !present
                })
                .collect();
            let total = inv.components.len();
            let present = total - missing.len();
            let permille = if total == 0 {
                1000
            } else {
                (present as u64 * 1000 / total as u64) as u32
            };
            Completeness {
                element,
                present,
                total,
                permille,
                missing: names(&missing),
            }
        })
        .collect();
    Stats {
        files: inv.sources.len(),
        components: inv.components.len(),
        edges: inv.graph.edge_count(),
        by_type,
        by_supplier,
        by_manufacturer,
        by_license,
        roots: names(&inv.roots),
        orphans: names(&inv.orphans()),
        cycles: inv.cycles().iter().map(|c| names(c)).collect(),
        dangling_references: inv
            .findings
            .iter()
            .filter(|f| f.code == Code::DanglingDependencyRef)
            .count(),
        ntia,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Component, ComponentType, Document, Edge, EdgeKind, Format, Party};

    #[test]
    fn counts_and_completeness() {
        let mut doc = Document::new("t", Format::CycloneDxJson);
        doc.meta.timestamp = Some("2026-01-01T00:00:00Z".into());
        let mut root = Component::new("r", ComponentType::Application, "portal");
        root.version = Some("1".into());
        root.supplier = Some(Box::new(Party::named("甲公司")));
        root.purl = Some("pkg:generic/portal@1".into());
        let lib = Component::new("l", ComponentType::Library, "lib");
        doc.components = vec![root, lib];
        doc.edges.push(Edge {
            from: "r".into(),
            to: "l".into(),
            kind: EdgeKind::DependsOn,
            location: String::new(),
        });
        doc.edges.push(Edge {
            from: "r".into(),
            to: "ghost".into(),
            kind: EdgeKind::DependsOn,
            location: String::new(),
        });
        doc.meta.roots = vec!["r".into()];
        let s = compute(&Inventory::from_documents(vec![doc]));
        assert_eq!((s.components, s.edges, s.dangling_references), (2, 1, 1));
        assert_eq!(s.by_supplier["甲公司"], 1);
        assert_eq!(s.by_supplier[NONE_KEY], 1);
        let version = s
            .ntia
            .iter()
            .find(|c| c.element == NtiaElement::Version)
            .unwrap();
        assert_eq!(
            (version.present, version.permille, version.percent()),
            (1, 500, "50.0%".to_string())
        );
        assert_eq!(version.missing, ["lib"]);
        let rel = s
            .ntia
            .iter()
            .find(|c| c.element == NtiaElement::DependencyRelationship)
            .unwrap();
        assert_eq!(rel.present, 2);
        let author = s
            .ntia
            .iter()
            .find(|c| c.element == NtiaElement::Author)
            .unwrap();
        assert_eq!(author.present, 0);
        assert!(s.orphans.is_empty() && s.cycles.is_empty());
    }
}
