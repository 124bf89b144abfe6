//! The security-and-reliability evaluation (安全可靠测评) as a catalog source and the 2023
//! procurement-standard rule that requires it of CPUs and operating systems, on the shipped policy
//! and the demo inventory: off by default, and when turned on, a valid result passes, an expired
//! one (three years after the announcement) and a missing one fail.

use anbao::inventory::Inventory;
use anbao::policy::catalog::Catalog;
use anbao::policy::code::Code;
use anbao::policy::config::Policy;
use anbao::policy::evaluate::evaluate;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn policy(enabled: bool) -> Policy {
    let path = root().join("checklists/controllable-policy.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "[procurement_2023]\nenabled = false",
        &format!("[procurement_2023]\nenabled = {enabled}"),
    );
    Policy::parse(&path, &text).unwrap()
}

/// One result for the Kylin server OS, announced 2024-05-01 (test data, not an announcement).
const RESULTS: &str = r#"
[catalog]
title = "test results"
kind = "secure-reliable-evaluation"

[[product]]
vendor = "麒麟软件有限公司"
product = "银河麒麟高级服务器操作系统*"
category = "operating-system"
certificate = "test announcement 1"
grade = "test grade I"
announced = 2024-05-01
source = "test fixture, not real data"
"#;

fn findings_for(p: &Policy, catalog: &Catalog, as_of: &str, name: &str) -> Vec<Code> {
    let doc = anbao::inventory::parse_bytes(
        &root().join("inventories/platform-sbom.cdx.json"),
        &std::fs::read(root().join("inventories/platform-sbom.cdx.json")).unwrap(),
    )
    .unwrap();
    let inv = Inventory::from_documents(vec![doc]);
    let e = evaluate(&inv, p, catalog, &[], as_of.parse().unwrap());
    let (i, _) = inv
        .components
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
        .unwrap_or_else(|| panic!("{name} not in the demo"));
    e.components[i]
        .findings
        .iter()
        .map(|&f| e.findings[f].code)
        .collect()
}

fn catalogs(p: &Policy) -> Catalog {
    let mut c = Catalog::default();
    c.add_file(&root().join("checklists/approved-products.toml"), p)
        .unwrap();
    c.add_text(Path::new("results.toml"), RESULTS, p).unwrap();
    c
}

#[test]
fn the_rule_is_off_in_the_demo_and_names_the_cpu_and_os_categories() {
    let p = policy(false);
    let rule = p.procurement_2023.as_ref().unwrap();
    assert!(!rule.enabled);
    assert_eq!(rule.categories, ["processor", "operating-system"]);
    let os = p
        .categories
        .iter()
        .find(|c| c.id == "operating-system")
        .unwrap();
    assert!(!os
        .checks
        .iter()
        .any(|(k, _)| k.as_str() == "secure-reliable-evaluated"));
    let found = findings_for(&p, &catalogs(&p), "2026-11-28", "统信服务器操作系统");
    assert!(!found.contains(&Code::SecureReliableMissing), "{found:?}");
}

#[test]
fn turned_on_a_valid_result_passes_and_a_missing_or_expired_one_fails() {
    let p = policy(true);
    let cat = catalogs(&p);
    // Kylin: announced 2024-05-01, valid three years, to 2027-04-30.
    let kylin = "银河麒麟高级服务器操作系统";
    assert!(findings_for(&p, &cat, "2026-11-28", kylin).is_empty());
    // A day after, the result has lapsed (the demo catalog's own entry lapses the same day).
    assert!(findings_for(&p, &cat, "2027-05-01", kylin).contains(&Code::SecureReliableExpired));
    // UnionTech has no result in the test catalog.
    assert!(findings_for(&p, &cat, "2026-11-28", "统信服务器操作系统")
        .contains(&Code::SecureReliableMissing));
}

#[test]
fn a_results_catalog_entry_needs_its_announcement_date_and_grade() {
    let p = policy(true);
    let mut c = Catalog::default();
    let no_date = RESULTS.replace("announced = 2024-05-01\n", "");
    let err = c
        .add_text(Path::new("r.toml"), &no_date, &p)
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs 'announced'"), "{err}");
    let no_grade = RESULTS.replace("grade = \"test grade I\"\n", "");
    let err = c
        .add_text(Path::new("r.toml"), &no_grade, &p)
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs 'grade'"), "{err}");
    // The shipped results catalog is valid and holds no invented entries.
    let mut shipped = Catalog::default();
    shipped
        .add_file(
            &root().join("checklists/secure-reliable-evaluations.toml"),
            &p,
        )
        .unwrap();
    assert!(shipped.entries.is_empty());
}
