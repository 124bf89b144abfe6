//! Each inventory finding code has a fixture that triggers it and a clean one that does not;
//! merging files unifies components and reports disagreements.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

fn list(files: &[&str]) -> Value {
    let mut cmd = Command::cargo_bin("anbao").unwrap();
    cmd.args(["inventory", "list", "--format", "json"]);
    for f in files {
        cmd.arg(fixture(f));
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dangling_dependency_ref() {
    let v = list(&["findings/dangling-dependency-ref.cdx.json"]);
    assert_eq!(codes(&v), ["dangling-dependency-ref"]);
    let f = &v["findings"][0];
    assert_eq!(f["location"], "/dependencies/0");
    assert!(f["message"]["en"]
        .as_str()
        .unwrap()
        .contains("no component 'lib-missing' in this file"));
    assert!(f["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("本文件中没有组件 'lib-missing'"));
}

#[test]
fn duplicate_bom_ref() {
    let v = list(&["findings/duplicate-bom-ref.cdx.json"]);
    assert_eq!(codes(&v), ["duplicate-bom-ref"]);
    assert_eq!(v["findings"][0]["location"], "/components/1");
    assert_eq!(v["findings"][0]["component"], "second@2.0");
}

#[test]
fn unknown_component_type() {
    let v = list(&["findings/unknown-component-type.cdx.xml"]);
    assert_eq!(codes(&v), ["unknown-component-type"]);
    assert_eq!(v["components"][0]["type"], "gadget");
    assert_eq!(v["findings"][0]["location"], "4:5");
}

#[test]
fn missing_version() {
    let v = list(&["findings/missing-version.cdx.json"]);
    assert_eq!(codes(&v), ["missing-version"]);
    assert_eq!(v["findings"][0]["component"], "no-version-here");
}

#[test]
fn a_clean_file_has_no_findings() {
    assert!(codes(&list(&["findings/clean.cdx.json"])).is_empty());
}

#[test]
fn the_same_component_in_two_files_is_one_node_and_conflicts_are_reported() {
    let v = list(&["merge/sbom-a.cdx.json", "merge/sbom-b.cdx.xml"]);
    let components = v["components"].as_array().unwrap();
    // portal, gateway, jackson-databind and druid: the libraries are shared.
    assert_eq!(components.len(), 4, "{components:#?}");
    let jackson = components
        .iter()
        .find(|c| c["name"] == "jackson-databind")
        .unwrap();
    assert_eq!(jackson["described_in"].as_array().unwrap().len(), 2);
    // The licence only one file states is kept.
    assert_eq!(jackson["licenses"][0]["value"], "Apache-2.0");
    assert_eq!(codes(&v), ["component-conflict"]);
    let message = v["findings"][0]["message"]["en"].as_str().unwrap();
    // Both values, and the file and place the other value came from.
    assert!(
        message.starts_with("supplier differs: '阿里巴巴' here, 'Alibaba' in '")
            && message.ends_with("sbom-a.cdx.json' at /components/1"),
        "{message}"
    );
    let message = v["findings"][0]["message"]["zh"].as_str().unwrap();
    assert!(
        message.starts_with("供应商不一致：此处为 '阿里巴巴'，'")
            && message.ends_with("sbom-a.cdx.json' 中 /components/1 处为 'Alibaba'"),
        "{message}"
    );
    // Both products include jackson-databind.
    let why = Command::cargo_bin("anbao")
        .unwrap()
        .args(["inventory", "why", "jackson-databind", "--format", "json"])
        .arg(fixture("merge/sbom-a.cdx.json"))
        .arg(fixture("merge/sbom-b.cdx.xml"))
        .output()
        .unwrap();
    let why: Value = serde_json::from_slice(&why.stdout).unwrap();
    let roots: Vec<&str> = why["components"][0]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(roots, ["portal@1.0", "gateway@3.0"]);
}

/// `--lang zh` shows an inventory finding in Chinese, in validation and in a component's view.
#[test]
fn inventory_findings_are_shown_in_chinese() {
    let file = fixture("findings/dangling-dependency-ref.cdx.json");
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .args(["--lang", "zh", "inventory", "validate"])
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("[dangling-dependency-ref]"), "{text}");
    assert!(text.contains("本文件中没有组件 'lib-missing'"), "{text}");
    assert!(!text.contains("no component"), "{text}");

    let out = Command::cargo_bin("anbao")
        .unwrap()
        .args(["--lang", "zh", "inventory", "show", "no-version-here"])
        .arg(fixture("findings/missing-version.cdx.json"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("[missing-version] 组件没有版本号"), "{text}");
    assert!(!text.contains("has no version"), "{text}");
}
