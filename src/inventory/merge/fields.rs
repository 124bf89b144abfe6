//! What two descriptions of one component disagree on, and how the second fills in the first.

use super::super::{Component, ComponentType, HardwareInfo, License, Party};

/// A field two descriptions of one component can disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Name,
    Group,
    Version,
    Type,
    Description,
    Supplier,
    Manufacturer,
    Licences,
    Hash,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Group => "group",
            Field::Version => "version",
            Field::Type => "type",
            Field::Description => "description",
            Field::Supplier => "supplier",
            Field::Manufacturer => "manufacturer",
            Field::Licences => "licences",
            Field::Hash => "hash",
        }
    }

    /// The field's name in Chinese, for messages.
    pub fn name_zh(self) -> &'static str {
        match self {
            Field::Name => "名称",
            Field::Group => "组",
            Field::Version => "版本",
            Field::Type => "类型",
            Field::Description => "描述",
            Field::Supplier => "供应商",
            Field::Manufacturer => "制造商",
            Field::Licences => "许可证",
            Field::Hash => "哈希值",
        }
    }
}

/// One field on which two descriptions disagree: ours (the merged one) and theirs (the new).
pub(super) struct Disagreement {
    pub field: Field,
    pub ours: String,
    pub theirs: String,
}

/// Whether both have a value and the values differ.
pub(super) fn both_differ(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

/// Every field on which `a` and `b` disagree. A field only one of them states is no
/// disagreement, nor is a type anbao inferred.
pub(super) fn conflicts(a: &Component, b: &Component) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut differ =
        |field: Field, x: Option<&str>, y: Option<&str>, same: fn(&str, &str) -> bool| {
            if let (Some(x), Some(y)) = (x, y) {
                if !same(x, y) {
                    out.push(Disagreement {
                        field,
                        ours: x.to_string(),
                        theirs: y.to_string(),
                    });
                }
            }
        };
    let exact: fn(&str, &str) -> bool = |x, y| x == y;
    differ(Field::Name, Some(&a.name), Some(&b.name), exact);
    differ(Field::Group, a.group.as_deref(), b.group.as_deref(), exact);
    differ(
        Field::Version,
        a.version.as_deref(),
        b.version.as_deref(),
        exact,
    );
    fn stated(c: &Component) -> Option<&str> {
        (c.kind != ComponentType::Unspecified && !c.kind_inferred).then(|| c.kind.as_str())
    }
    differ(Field::Type, stated(a), stated(b), exact);
    // XML reads line breaks in a description as spaces (xs:normalizedString), JSON keeps
    // them: the same text laid out differently is no disagreement.
    differ(
        Field::Description,
        a.description.as_deref(),
        b.description.as_deref(),
        |x, y| x.split_whitespace().eq(y.split_whitespace()),
    );
    let party = |p: &Option<Box<Party>>| p.as_ref().map(|p| p.name.clone());
    differ(
        Field::Supplier,
        party(&a.supplier).as_deref(),
        party(&b.supplier).as_deref(),
        exact,
    );
    differ(
        Field::Manufacturer,
        party(&a.manufacturer).as_deref(),
        party(&b.manufacturer).as_deref(),
        exact,
    );
    let licences = |c: &Component| {
        let mut texts: Vec<&str> = c.licenses.iter().map(|l| l.value.text()).collect();
        texts.sort_unstable();
        texts.dedup();
        (!texts.is_empty()).then(|| texts.join(", "))
    };
    differ(
        Field::Licences,
        licences(a).as_deref(),
        licences(b).as_deref(),
        exact,
    );
    for ha in &a.hashes {
        if let Some(hb) = b.hashes.iter().find(|h| h.alg == ha.alg) {
            if !ha.value.eq_ignore_ascii_case(&hb.value) {
                out.push(Disagreement {
                    field: Field::Hash,
                    ours: format!("{} {}", ha.alg, ha.value),
                    theirs: format!("{} {}", hb.alg, hb.value),
                });
            }
        }
    }
    out
}

/// Keeps what `into` has and takes from `from` whatever `into` lacks; returns the fields it
/// took. Licences are merged by value: one stated twice keeps its strongest role (declared
/// or concluded over unstated), and both roles where both are stated.
pub(super) fn fill_missing(into: &mut Component, from: Component) -> Vec<Field> {
    let mut filled = Vec::new();
    fn take<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
        let fills = slot.is_none() && value.is_some();
        if fills {
            *slot = value;
        }
        fills
    }
    take(&mut into.bom_ref, from.bom_ref);
    if take(&mut into.group, from.group) {
        filled.push(Field::Group);
    }
    if take(&mut into.version, from.version) {
        filled.push(Field::Version);
    }
    if take(&mut into.description, from.description) {
        filled.push(Field::Description);
    }
    take(&mut into.purl, from.purl);
    take(&mut into.cpe, from.cpe);
    take(&mut into.swid, from.swid);
    if take(&mut into.supplier, from.supplier) {
        filled.push(Field::Supplier);
    }
    if take(&mut into.manufacturer, from.manufacturer) {
        filled.push(Field::Manufacturer);
    }
    take(&mut into.originator, from.originator);
    take(&mut into.publisher, from.publisher);
    take(&mut into.scope, from.scope);
    take(&mut into.source_kind, from.source_kind);
    // How much a type says: none, anbao's default for the format, or the file's own word.
    let weight = |kind: &ComponentType, inferred: bool| match (kind, inferred) {
        (ComponentType::Unspecified, _) => 0,
        (_, true) => 1,
        (_, false) => 2,
    };
    if weight(&from.kind, from.kind_inferred) > weight(&into.kind, into.kind_inferred) {
        into.kind = from.kind;
        into.kind_inferred = from.kind_inferred;
        filled.push(Field::Type);
    }
    for h in from.hashes {
        if !into.hashes.iter().any(|x| x.alg == h.alg) {
            into.hashes.push(h);
        }
    }
    if into.licenses.is_empty() && !from.licenses.is_empty() {
        filled.push(Field::Licences);
    }
    for l in from.licenses {
        merge_licence(&mut into.licenses, l);
    }
    for a in from.authors {
        if !into.authors.contains(&a) {
            into.authors.push(a);
        }
    }
    for r in from.external_refs {
        if !into.external_refs.contains(&r) {
            into.external_refs.push(r);
        }
    }
    for p in from.properties {
        if !into.properties.contains(&p) {
            into.properties.push(p);
        }
    }
    if !from.hardware.is_empty() {
        fill_hardware(&mut into.hardware, &from.hardware);
    }
    filled
}

/// Adds `licence` to `list` unless it is there by value: an unstated role there gives way
/// to a stated one, an unstated one here adds nothing, and declared and concluded both stay.
fn merge_licence(list: &mut Vec<License>, licence: License) {
    let text = licence.value.text();
    let same: Vec<usize> = (0..list.len())
        .filter(|&i| list[i].value.text() == text)
        .collect();
    if same.iter().any(|&i| list[i].role == licence.role) {
        return;
    }
    if !licence.role.is_stated() && !same.is_empty() {
        return;
    }
    if let Some(&i) = same.iter().find(|&&i| !list[i].role.is_stated()) {
        list[i].role = licence.role;
        return;
    }
    list.push(licence);
}

fn fill_hardware(hw: &mut HardwareInfo, new: &HardwareInfo) {
    let copy = |slot: &mut Option<String>, value: &Option<String>| {
        if slot.is_none() {
            slot.clone_from(value);
        }
    };
    copy(&mut hw.model, &new.model);
    copy(&mut hw.firmware, &new.firmware);
    copy(&mut hw.country_of_origin, &new.country_of_origin);
    if hw.quantity.is_none() {
        hw.quantity = new.quantity;
    }
    if hw.class.is_none() {
        hw.class.clone_from(&new.class);
    }
    if hw.bus_ids.is_none() {
        hw.bus_ids.clone_from(&new.bus_ids);
    }
    for serial in &new.serial_numbers {
        if !hw.serial_numbers.contains(serial) {
            hw.serial_numbers.push(serial.clone());
        }
    }
    for cert in &new.certificates {
        if !hw.certificates.contains(cert) {
            hw.certificates.push(cert.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Inventory;
    use super::*;
    use crate::inventory::{Code, Document, Format, LicenseRole, LicenseValue};
    use std::path::Path;

    fn library(key: &str, name: &str, version: &str) -> Component {
        let mut c = Component::new(key, ComponentType::Library, name);
        c.version = Some(version.into());
        c.purl = Some(format!("pkg:npm/{name}@{version}"));
        c
    }

    fn doc(path: &str, components: Vec<Component>) -> Document {
        let mut d = Document::new(path, Format::CycloneDxJson);
        d.components = components;
        d
    }

    fn conflicts_of(inv: &Inventory) -> Vec<&str> {
        inv.findings
            .iter()
            .filter(|f| f.code == Code::ComponentConflict)
            .map(|f| f.message.en())
            .collect()
    }

    fn licence(role: LicenseRole, id: &str) -> License {
        License {
            role,
            value: LicenseValue::Id(id.into()),
        }
    }

    #[test]
    fn a_licence_stated_by_14_and_16_files_is_one_licence_with_the_stronger_role() {
        let mut old = library("a", "x", "1.0.0");
        old.licenses = vec![licence(LicenseRole::Unstated, "MIT")];
        let mut new = library("a", "x", "1.0.0");
        new.licenses = vec![
            licence(LicenseRole::Declared, "MIT"),
            licence(LicenseRole::Concluded, "MIT"),
        ];
        for order in [[old.clone(), new.clone()], [new, old]] {
            let [first, second] = order;
            let inv = Inventory::from_documents(vec![
                doc("a.json", vec![first]),
                doc("b.json", vec![second]),
            ]);
            assert_eq!(
                inv.components[0].licenses,
                [
                    licence(LicenseRole::Declared, "MIT"),
                    licence(LicenseRole::Concluded, "MIT")
                ]
            );
            assert_eq!(conflicts_of(&inv), Vec::<&str>::new());
        }
    }

    #[test]
    fn every_differing_field_is_reported_with_both_values_and_both_files() {
        let mut a = library("a", "x", "1.0.0");
        a.licenses = vec![licence(LicenseRole::Declared, "MIT")];
        a.group = Some("org.one".into());
        a.description = Some("first  words".into());
        let mut b = library("b", "x-renamed", "1.0.0");
        b.purl = a.purl.clone();
        b.licenses = vec![licence(LicenseRole::Declared, "Apache-2.0")];
        b.group = Some("org.two".into());
        b.description = Some("other words".into());
        let inv = Inventory::from_documents(vec![doc("a.json", vec![a]), doc("b.xml", vec![b])]);
        assert_eq!(inv.len(), 1, "one purl, one component");
        assert_eq!(
            conflicts_of(&inv),
            [
                "name differs: 'x-renamed' here, 'x' in 'a.json' at ",
                "group differs: 'org.two' here, 'org.one' in 'a.json' at ",
                "description differs: 'other words' here, 'first  words' in 'a.json' at ",
                "licences differs: 'Apache-2.0' here, 'MIT' in 'a.json' at ",
            ]
        );
        assert!(inv.findings.iter().all(|f| f.file == Path::new("b.xml")));
    }

    #[test]
    fn a_conflict_names_the_file_the_value_came_from() {
        let mut bare = library("a", "x", "1.0.0");
        bare.description = None;
        let mut described = library("b", "x", "1.0.0");
        described.description = Some("a parser".into());
        described.location = "/components/7".into();
        let mut other = library("c", "x", "1.0.0");
        other.description = Some("a printer".into());
        let inv = Inventory::from_documents(vec![
            doc("a.json", vec![bare]),
            doc("b.json", vec![described]),
            doc("c.json", vec![other]),
        ]);
        assert_eq!(
            conflicts_of(&inv),
            ["description differs: 'a printer' here, 'a parser' in 'b.json' at /components/7"]
        );
    }

    #[test]
    fn the_same_bom_ref_with_other_purls_or_versions_is_another_component() {
        let a = library("ref-1", "x", "1.0.0");
        let mut b = library("ref-1", "x", "2.0.0");
        b.purl = None;
        let mut c = library("ref-1", "x", "1.0.0");
        c.purl = Some("pkg:maven/org.x/x@1.0.0".into());
        let mut docs = Vec::new();
        for (path, mut component) in [("a.json", a), ("b.json", b), ("c.json", c)] {
            component.bom_ref = Some("ref-1".into());
            docs.push(doc(path, vec![component]));
        }
        let inv = Inventory::from_documents(docs);
        let versions: Vec<_> = inv
            .components
            .iter()
            .map(|c| (c.version.as_deref().unwrap(), c.purl.as_deref()))
            .collect();
        assert_eq!(
            versions,
            [
                ("1.0.0", Some("pkg:npm/x@1.0.0")),
                ("2.0.0", None),
                ("1.0.0", Some("pkg:maven/org.x/x@1.0.0"))
            ]
        );
        assert_eq!(conflicts_of(&inv), Vec::<&str>::new());
    }

    #[test]
    fn a_format_that_does_not_state_the_type_does_not_disagree_about_it() {
        let mut locked = library("x 1.0.0", "x", "1.0.0");
        locked.kind_inferred = true;
        let mut lock = Document::new("Cargo.lock", Format::CargoLock);
        lock.components = vec![locked];
        let mut app = library("x", "x", "1.0.0");
        app.kind = ComponentType::Application;
        let inv = Inventory::from_documents(vec![lock, doc("sbom.json", vec![app])]);
        assert_eq!(conflicts_of(&inv), Vec::<&str>::new());
        assert_eq!(inv.components[0].kind, ComponentType::Application);
        assert!(!inv.components[0].kind_inferred);
        // Two stated types still disagree.
        let mut lib = library("x", "x", "1.0.0");
        lib.kind = ComponentType::Framework;
        let mut app = library("x", "x", "1.0.0");
        app.kind = ComponentType::Application;
        let inv =
            Inventory::from_documents(vec![doc("a.json", vec![lib]), doc("b.json", vec![app])]);
        assert_eq!(
            conflicts_of(&inv),
            ["type differs: 'application' here, 'framework' in 'a.json' at "]
        );
    }
}
