//! The filing formats of `anbao check` (Markdown, HTML, SARIF) on a copy of the demo workspace
//! (the repository root's tracked files), driven through the real binary with a fixed
//! assessment date.

mod common;

use assert_cmd::Command;
use serde_json::Value;

const AS_OF: &str = "2026-11-28";

/// Runs `anbao check` on the demo workspace; the demo fails on purpose, so exit code 1.
fn check(lang: &str, format: &str) -> String {
    let demo = common::demo::demo_copy();
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .arg("-C")
        .arg(demo.path())
        .args(["--lang", lang, "check", "--as-of", AS_OF])
        .args(["--format", format])
        .env("NO_COLOR", "1")
        // Without a vulnerability database, whatever a user imported into the demo.
        .env(
            "ANBAO_VULN_DB",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vuln/none"),
        )
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_report() -> Value {
    serde_json::from_str(&check("en", "json")).unwrap()
}

/// `name@version` of every product that fails or lacks evidence.
fn failing_products(report: &Value) -> Vec<String> {
    report["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "fail" || c["verdict"] == "insufficient-evidence")
        .map(|c| c["component"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn markdown_report_of_the_demo() {
    for lang in ["zh", "en"] {
        let md = check(lang, "markdown");
        insta::assert_snapshot!(format!("check_markdown_{lang}"), md);
    }
}

/// The terminal report lists the inventory's own findings (the demo's ueditor has no version)
/// in the reader's language only.
#[test]
fn terminal_report_shows_inventory_findings_in_the_readers_language() {
    let zh = check("zh", "table");
    assert!(zh.contains("清单问题"), "{zh}");
    assert!(
        zh.contains("[missing-version] inventories/platform-sbom.cdx.json"),
        "{zh}"
    );
    assert!(zh.contains("(ueditor): 组件没有版本号"), "{zh}");
    assert!(!zh.contains("has no version"), "{zh}");
    let en = check("en", "table");
    assert!(en.contains("Inventory findings"), "{en}");
    assert!(
        en.contains("(ueditor): the component has no version"),
        "{en}"
    );
    assert!(!en.contains("组件没有版本号"), "{en}");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Every place an HTML file could pull in something: attribute values and CSS references.
fn resource_references(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut refs = Vec::new();
    for marker in ["src=", "href=", "url(", "@import", "srcset=", "action="] {
        for (i, _) in lower.match_indices(marker) {
            let rest = &lower[i + marker.len()..];
            let end = rest.find(['>', ';', ')']).unwrap_or(rest.len()).min(200);
            refs.push(format!("{marker}{}", &rest[..end]));
        }
    }
    refs
}

#[test]
fn html_report_stands_alone_and_names_every_failing_product() {
    let report = json_report();
    let failing = failing_products(&report);
    assert!(!failing.is_empty(), "the demo fails on purpose");
    for lang in ["zh", "en"] {
        let html = check(lang, "html");
        let html_lang = if lang == "zh" { "zh-CN" } else { "en" };
        assert!(html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{html_lang}\">")));
        for r in resource_references(&html) {
            assert!(
                !r.contains("http:") && !r.contains("https:") && !r.contains("//"),
                "{lang}: external resource {r}"
            );
        }
        for tag in ["<script", "<link", "<img", "<iframe", "<object", "<embed"] {
            assert!(
                !html.contains(tag),
                "{lang}: {tag} in a self-contained report"
            );
        }
        for tag in [
            "html", "head", "body", "main", "header", "section", "article", "table", "thead",
            "tbody", "tr", "dl", "ul", "ol", "footer", "style",
        ] {
            let open = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let close = html.matches(&format!("</{tag}>")).count();
            assert_eq!(open, close, "{lang}: <{tag}> opened {open}, closed {close}");
        }
        assert_eq!(html.matches("<main>").count(), 1);
        assert!(html.contains("@page"), "{lang}: print CSS");
        assert!(html.contains("size: A4"), "{lang}: A4 pages");
        let summary = report["verdict"]["summary"][lang].as_str().unwrap();
        assert!(html.contains(&escape(summary)), "{lang}: verdict missing");
        for name in &failing {
            assert!(html.contains(&escape(name)), "{lang}: {name} missing");
        }
    }
}

#[test]
fn sarif_report_has_the_expected_shape() {
    let report = json_report();
    let findings = report["findings"].as_array().unwrap();
    for lang in ["zh", "en"] {
        let log: Value = serde_json::from_str(&check(lang, "sarif")).unwrap();
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"]
            .as_str()
            .unwrap()
            .contains("sarif-schema-2.1.0"));
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "anbao");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), anbao::policy::Code::ALL.len());
        let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for r in rules {
            assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        }
        let results = runs[0]["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len(), "one result per finding");
        for (res, f) in results.iter().zip(findings) {
            assert_eq!(res["ruleId"], f["code"]);
            assert!(rule_ids.contains(&res["ruleId"].as_str().unwrap()));
            let level = match f["level"].as_str().unwrap() {
                "deny" => "error",
                "warn" => "warning",
                _ => "note",
            };
            assert_eq!(res["level"], level);
            assert!(!res["message"]["text"].as_str().unwrap().is_empty());
            let uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                uri.starts_with("checklists/"),
                "a workspace-relative uri: {uri}"
            );
            assert_eq!(res["properties"]["component"], f["component"]);
            let waived = !f["waived_by"].is_null();
            assert_eq!(res["properties"]["waived"], waived);
            assert_eq!(res["suppressions"].is_array(), waived);
            if waived {
                assert_eq!(res["suppressions"][0]["kind"], "external");
                assert!(!res["suppressions"][0]["justification"]
                    .as_str()
                    .unwrap()
                    .is_empty());
            }
        }
        assert!(results.iter().any(|r| r["suppressions"].is_array()));
    }
}

#[test]
fn output_file_holds_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let demo = common::demo::demo_copy();
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .arg("-C")
        .arg(demo.path())
        .args(["--lang", "zh", "check", "--as-of", AS_OF])
        .args(["--format", "html", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the report goes to the file only");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), check("zh", "html"));
}
