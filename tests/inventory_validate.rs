//! `anbao inventory validate` on the cases of issue 18 (tests/fixtures/validate/README.md):
//! the official schema's verdict, each violation with file, place and rule in both languages.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn anbao(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON report on one file and the exit code.
fn validate(rel: &str) -> (i32, Value) {
    let (code, stdout, stderr) =
        anbao(&["inventory", "validate", "--format", "json", &fixture(rel)]);
    assert!(code == 0 || code == 1, "{rel}: exit {code}: {stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema"], "anbao.inventory.validate/3");
    (code, report["files"][0].clone())
}

fn violations(file: &Value) -> Vec<&Value> {
    file["violations"].as_array().unwrap().iter().collect()
}

#[test]
fn byte_order_marks_and_namespace_prefixes_are_valid_as_the_schemas_say() {
    for rel in [
        "validate/bom-prefixed-1.4.json",
        "validate/bom-prefixed-1.5.json",
        "validate/cdx-prefixed-1.4.xml",
        "validate/cdx-prefixed-1.5.xml",
    ] {
        let (code, file) = validate(rel);
        assert_eq!(violations(&file), Vec::<&Value>::new(), "{rel}");
        assert_eq!(code, 0, "{rel}: {file}");
        assert!(file["schema"]["file"]
            .as_str()
            .unwrap()
            .starts_with("schemas/cyclonedx/bom-1."));
    }
}

#[test]
fn a_property_the_14_schema_forbids_is_a_violation_naming_the_rule() {
    let (code, file) = validate("validate/forbidden-property-1.4.json");
    assert_eq!(code, 1);
    let v = violations(&file);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["location"], "/components/0");
    assert_eq!(
        v[0]["rule"],
        "additionalProperties @ bom-1.4.schema.json#/definitions/component"
    );
    assert!(v[0]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("'licence'"));
    assert!(v[0]["message"]["zh"].as_str().unwrap().contains("不允许"));
}

#[test]
fn a_16_component_without_name_is_invalid() {
    let (code, file) = validate("validate/component-without-name-1.6.json");
    assert_eq!(code, 1);
    let v = violations(&file);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["location"], "/components/1");
    assert!(v[0]["rule"].as_str().unwrap().starts_with("required @"));
}

#[test]
fn a_17_file_with_six_errors_reports_six() {
    let (code, file) = validate("validate/six-errors-1.7.json");
    assert_eq!(code, 1);
    let places: Vec<&str> = violations(&file)
        .iter()
        .map(|v| v["location"].as_str().unwrap())
        .collect();
    assert_eq!(
        places,
        [
            "/components/0",
            "/components/1/type",
            "/components/2/hashes/0/content",
            "/components/3/scope",
            "/serialNumber",
            "/version"
        ]
    );
}

#[test]
fn spdx_examples_are_valid_and_broken_copies_are_not() {
    for rel in [
        "spdx/SPDXJSONExample-v2.2.spdx.json",
        "spdx/SPDXJSONExample-v2.3.spdx.json",
        "spdx/spdx3-package_sbom.jsonld.json",
    ] {
        let (code, file) = validate(rel);
        assert_eq!(violations(&file), Vec::<&Value>::new(), "{rel}");
        assert!(file["schema"]["file"]
            .as_str()
            .unwrap()
            .starts_with("schemas/spdx/"));
        assert_eq!(code, 0, "{rel}: {file}");
    }
    let (code, file) = validate("validate/spdx-2.3-missing-spdxid.spdx.json");
    assert_eq!(code, 1);
    let places: Vec<&str> = violations(&file)
        .iter()
        .map(|v| v["location"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["/packages/0", "/packages/1/filesAnalyzed"]);
    let (code, file) = validate("validate/spdx-3.0.1-version-not-a-string.jsonld.json");
    assert_eq!(code, 1, "{file}");
    assert_eq!(file["schema"]["name"], "SPDX 3.0.1 JSON schema");
}

#[test]
fn the_table_names_file_place_and_rule_in_both_languages() {
    let path = fixture("validate/component-without-name-1.6.json");
    let (code, en, _) = anbao(&["--lang", "en", "inventory", "validate", &path]);
    assert_eq!(code, 1);
    assert!(en.starts_with("invalid"), "{en}");
    assert!(
        en.contains(&format!("{path}:/components/1: required property \"name\" is missing [required @ bom-1.6.schema.json#/definitions/component]")),
        "{en}"
    );
    let (_, zh, _) = anbao(&["--lang", "zh", "inventory", "validate", &path]);
    assert!(zh.starts_with("无效"), "{zh}");
    assert!(zh.contains("缺少必需的属性 \"name\""), "{zh}");
    assert!(zh.contains("官方模式 CycloneDX 1.6 JSON schema"), "{zh}");
}

#[test]
fn xml_violations_are_located_by_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xml");
    std::fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">\n  <components>\n    <component type=\"gadget\"><name>x</name></component>\n  </components>\n</bom>\n",
    )
    .unwrap();
    let (code, stdout, stderr) = anbao(&[
        "inventory",
        "validate",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let v = &report["files"][0]["violations"][0];
    assert_eq!(v["location"], "4:5", "{v}");
    assert_eq!(v["rule"], "cvc-enumeration-valid", "{v}");
}

#[test]
fn a_hardware_list_says_what_was_checked() {
    let (code, stdout, _) = anbao(&[
        "--lang",
        "en",
        "inventory",
        "validate",
        &fixture("hardware/chinese-utf8.csv"),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("a hardware CSV has no official schema"),
        "{stdout}"
    );
    assert!(!stdout.contains("CycloneDX"), "{stdout}");
}

#[test]
fn findings_carry_their_message_in_both_languages() {
    let (code, file) = validate("findings/dangling-dependency-ref.cdx.json");
    assert_eq!(code, 1, "{file}");
    let f = &file["findings"][0];
    assert_eq!(f["code"], "dangling-dependency-ref");
    assert_eq!(
        f["message"]["en"],
        "'app' -> 'lib-missing': no component 'lib-missing' in this file"
    );
    assert_eq!(
        f["message"]["zh"],
        "'app' -> 'lib-missing'：本文件中没有组件 'lib-missing'"
    );
}
