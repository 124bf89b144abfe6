//! The inventory commands driven through the real binary on real producers' files.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
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

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = anbao(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// `name@version` of every component of a `list --format json`, sorted.
fn component_ids(file: &str) -> Vec<String> {
    let path = fixture(file);
    let v = json(&[
        "inventory",
        "list",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(v["schema"], "anbao.inventory.list/2");
    let mut ids: Vec<String> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}@{}",
                c["name"].as_str().unwrap(),
                c["version"].as_str().unwrap_or("")
            )
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_same_bom_reads_alike_in_every_cyclonedx_version_and_syntax() {
    let reference = component_ids("cyclonedx/SBOM_laravel-7.12.0-bom.1.4.json");
    assert_eq!(reference.len(), 63);
    for other in [
        "cyclonedx/SBOM_laravel-7.12.0-bom.1.2.json",
        "cyclonedx/SBOM_laravel-7.12.0-bom.1.3.xml",
        "cyclonedx/SBOM_laravel-7.12.0-bom.1.4.xml",
    ] {
        assert_eq!(component_ids(other), reference, "{other}");
    }
}

#[test]
fn hardware_bom_keeps_suppliers_and_device_properties() {
    let path = fixture("cyclonedx/HBOM_PCIe-SATA-adapter-board-bom.json");
    let v = json(&[
        "inventory",
        "show",
        "PCIE-098-02-F-D-EMS2",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    let c = &v["components"][0];
    assert_eq!(c["type"], "device");
    assert_eq!(c["supplier"]["name"], "Samtec");
    assert_eq!(c["hardware"]["quantity"], 1);
    // The file states no dependencies, so its parts hang from nothing: stats says so.
    assert_eq!(c["included_by"], serde_json::json!([]));
    let stats = json(&[
        "inventory",
        "stats",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(stats["orphans"].as_array().unwrap().len(), 6);
}

#[test]
fn services_are_graph_nodes_so_their_references_resolve() {
    let path = fixture("cyclonedx/SaaSBOM_apigateway-microservices-datastores-bom.json");
    let v = json(&[
        "inventory",
        "stats",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(v["dangling_references"], 0);
    assert_eq!(v["by_type"]["service"], 6);
}

#[test]
fn why_lists_paths_from_the_root_shortest_first() {
    let path = fixture("cyclonedx/SBOM_laravel-7.12.0-bom.1.4.json");
    let v = json(&[
        "inventory",
        "why",
        "symfony/polyfill-mbstring",
        "--format",
        "json",
        "--max-paths",
        "50",
        path.to_str().unwrap(),
    ]);
    let paths = v["components"][0]["paths"].as_array().unwrap();
    assert!(paths.len() > 1);
    let lens: Vec<usize> = paths.iter().map(|p| p.as_array().unwrap().len()).collect();
    assert!(
        lens.windows(2).all(|w| w[0] <= w[1]),
        "shortest first: {lens:?}"
    );
    for p in paths {
        assert_eq!(p[0], "cyclonedx/cyclonedx-php-composer-demo@dev-master");
        assert_eq!(
            p.as_array().unwrap().last().unwrap(),
            "symfony/polyfill-mbstring@v1.27.0"
        );
    }
}

#[test]
fn why_on_an_unknown_component_cannot_run() {
    let path = fixture("cyclonedx/SBOM_laravel-7.12.0-bom.1.4.json");
    let (code, _, stderr) = anbao(&[
        "--lang",
        "en",
        "inventory",
        "why",
        "no-such-thing",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no component matches 'no-such-thing'"),
        "{stderr}"
    );
}

#[test]
fn validate_fails_on_spec_violations_and_passes_clean_files() {
    let good = fixture("cyclonedx/SBOM_laravel-7.12.0-bom.1.4.xml");
    let (code, stdout, _) = anbao(&[
        "--lang",
        "en",
        "inventory",
        "validate",
        good.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("valid"), "{stdout}");
    let bad = fixture("cyclonedx/OBOM_Example-1-Standalone-bom.json");
    let (code, stdout, _) = anbao(&[
        "--lang",
        "en",
        "inventory",
        "validate",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    // A Maven property left unexpanded in a URL is not an IRI reference (schema format rule).
    assert!(
        stdout.contains("/components/5/externalReferences/3/url: \"https://github.com/FasterXML/${project.artifactId}/issues\" is not a valid iri-reference [format @ bom-1.4.schema.json#/definitions/externalReference/properties/url]"),
        "{stdout}"
    );
}

#[test]
fn stats_prints_ntia_completeness_in_both_languages() {
    let path = fixture("cyclonedx/SBOM_laravel-7.12.0-bom.1.4.json");
    let path = path.to_str().unwrap();
    for lang in ["en", "zh"] {
        let (code, stdout, stderr) = anbao(&["--lang", lang, "inventory", "stats", path]);
        assert_eq!(code, 0, "{stderr}");
        insta::assert_snapshot!(format!("stats_laravel_{lang}"), stdout);
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    let (code, stdout, _) = anbao(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("_anbao()"));
    let (code, stdout, _) = anbao(&["man"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(".ie"),
        "roff expected: {}",
        &stdout[..40.min(stdout.len())]
    );
}

#[test]
fn version_and_help() {
    let (code, stdout, _) = anbao(&["--version"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("anbao "));
    for args in [
        &["--help"][..],
        &["inventory", "--help"],
        &["inventory", "why", "--help"],
    ] {
        let (code, stdout, _) = anbao(args);
        assert_eq!(code, 0, "{args:?}");
        assert!(stdout.contains("Usage"), "{args:?}");
    }
}

#[test]
fn explain_describes_each_code_in_both_languages() {
    let (code, stdout, _) = anbao(&["--lang", "zh", "explain", "dangling-dependency-ref"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("依赖"), "{stdout}");
    let (code, _, stderr) = anbao(&["explain", "no-such-code"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("known codes"), "{stderr}");
}
