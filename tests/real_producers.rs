//! Real producers' output (tests/fixtures/real, see its README) reads completely, and the same
//! project described by different producers, versions and syntaxes reads the same.

use anbao::inventory::{self, Format, Inventory, SourceKind};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

fn load(name: &str) -> Inventory {
    inventory::load(&[real(name)]).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version` of every component, lower-cased (producers differ in case for PyPI names).
fn ids(inv: &Inventory) -> BTreeSet<String> {
    inv.components
        .iter()
        .map(|c| {
            format!(
                "{}@{}",
                c.name.to_lowercase(),
                c.version.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn every_real_file_reads_with_its_format_detected_from_content() {
    let expected = [
        ("cyclonedx-py_env_1.6.json", Format::CycloneDxJson),
        ("cyclonedx-py_env_1.7.xml", Format::CycloneDxXml),
        ("cdxgen-hbom_linux-vm_1.7.json", Format::CycloneDxJson),
        ("npm-sbom_demo_spdx-2.3.json", Format::SpdxJson),
        ("sbom4python_flask_spdx-2.3.spdx", Format::SpdxTagValue),
        (
            "cdx-convert_npm_spdx-3.0.1.jsonld.json",
            Format::Spdx3JsonLd,
        ),
        ("cargo_hexyl-0.8.0_v1.Cargo.lock", Format::CargoLock),
    ];
    for (name, format) in expected {
        assert_eq!(load(name).sources[0].format, format, "{name}");
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let inv = inventory::load(&[&path]).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            inv.len() >= 7,
            "{}: only {} components",
            path.display(),
            inv.len()
        );
        let dangling = inv
            .findings
            .iter()
            .filter(|f| f.code == inventory::Code::DanglingDependencyRef)
            .count();
        assert_eq!(dangling, 0, "{}: {:?}", path.display(), inv.findings);
    }
}

#[test]
fn cyclonedx_py_output_reads_the_same_in_every_version_and_syntax() {
    let reference = ids(&load("cyclonedx-py_env_1.6.json"));
    assert_eq!(reference.len(), 14);
    assert!(reference.contains("flask@3.1.3"));
    for v in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
        for ext in ["json", "xml"] {
            let name = format!("cyclonedx-py_env_{v}.{ext}");
            assert_eq!(ids(&load(&name)), reference, "{name}");
        }
    }
}

#[test]
fn cargo_cyclonedx_and_the_lockfile_agree() {
    let lock = load("cargo_demo_v4.Cargo.lock");
    for name in [
        "cargo-cyclonedx_demo_1.5.json",
        "cargo-cyclonedx_demo_1.3.xml",
    ] {
        let sbom = load(name);
        assert_eq!(ids(&sbom), ids(&lock), "{name}");
        assert_eq!(sbom.graph.edge_count(), lock.graph.edge_count(), "{name}");
    }
}

#[test]
fn lockfiles_of_every_version_give_sources_checksums_and_roots() {
    for (name, version, packages) in [
        ("cargo_hexyl-0.8.0_v1.Cargo.lock", "v1", 16),
        ("cargo_hexyl-0.9.0_v2.Cargo.lock", "v2", 43),
        ("cargo_hexyl-0.10.0_v3.Cargo.lock", "v3", 50),
        ("cargo_ripgrep-15.1.0_v4.Cargo.lock", "v4", 56),
    ] {
        let inv = load(name);
        assert_eq!(inv.sources[0].meta.spec_version, version, "{name}");
        assert_eq!(inv.len(), packages, "{name}");
        let registry = inv
            .components
            .iter()
            .filter(|c| c.source_kind == Some(SourceKind::Registry))
            .count();
        assert!(
            registry > 0
                && inv
                    .components
                    .iter()
                    .filter(|c| !c.hashes.is_empty())
                    .count()
                    == registry,
            "{name}"
        );
        assert!(!inv.roots.is_empty() && inv.orphans().is_empty(), "{name}");
    }
    let git = load("cargo_gitpath-demo_v4.Cargo.lock");
    let kinds: Vec<_> = git
        .components
        .iter()
        .filter_map(|c| c.source_kind)
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == SourceKind::Git).count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == SourceKind::Path).count(), 2);
    // Two versions of itoa, each depended on by the right package.
    let itoa_old = git.find("itoa@0.4.8")[0];
    let pathdep = git.find("pathdep")[0];
    assert_eq!(git.parents_of(itoa_old), vec![pathdep]);
}

#[test]
fn spdx_from_real_producers_matches_their_cyclonedx() {
    // cdx-convert turned cdxgen's CycloneDX into SPDX 3; npm wrote both formats itself.
    assert_eq!(
        ids(&load("cdx-convert_npm_spdx-3.0.1.jsonld.json")),
        ids(&load("cdxgen_npm_1.7.json"))
    );
    // npm names the root package by its folder in CycloneDX and by package.json in SPDX, so
    // only the dependencies are compared.
    let without_root = |inv: &Inventory| {
        let root = inv.components[inv.roots[0]].name.to_lowercase();
        ids(inv)
            .into_iter()
            .filter(|id| !id.starts_with(&format!("{root}@")))
            .collect::<BTreeSet<_>>()
    };
    let spdx = load("npm-sbom_demo_spdx-2.3.json");
    let cdx = load("npm-sbom_demo_1.5.json");
    assert_eq!(without_root(&spdx), without_root(&cdx));
    assert_eq!(without_root(&spdx).len(), 12);
    // sbom4python wrote the same project as SPDX JSON and tag-value.
    let json = load("sbom4python_flask_spdx-2.3.json");
    let tag = load("sbom4python_flask_spdx-2.3.spdx");
    assert_eq!(ids(&json), ids(&tag));
    assert_eq!(json.graph.edge_count(), tag.graph.edge_count());
}

#[test]
fn the_cdxgen_hardware_bom_keeps_manufacturers_and_properties() {
    let inv = load("cdxgen-hbom_linux-vm_1.7.json");
    assert_eq!(inv.sources[0].meta.spec_version, "1.7");
    let devices = inv
        .components
        .iter()
        .filter(|c| c.kind == inventory::ComponentType::Device)
        .count();
    assert!(devices >= 10, "{devices}");
    assert!(inv.components.iter().any(|c| c
        .manufacturer
        .as_ref()
        .is_some_and(|m| m.name == "Red Hat, Inc.")));
    assert!(inv
        .components
        .iter()
        .any(|c| c.properties.iter().any(|(k, _)| k.starts_with("cdx:hbom:"))));
}
