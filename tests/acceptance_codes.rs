//! `anbao check` through the real binary: every acceptance finding code has a workspace that
//! triggers it and a minimal twin that does not; then the project verdict, waivers,
//! classification, the rule positions findings cite, filing deadlines and policy-file errors.
//!
//! The workspaces are under `tests/fixtures/acceptance/` (see its README); most share one
//! policy and one catalog through relative paths in their `anbao.toml`.

use anbao::policy::Code;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-28";

fn dir(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/acceptance")
        .join(rel)
}

fn anbao(rel: &str, format: &str) -> std::process::Output {
    Command::cargo_bin("anbao")
        .unwrap()
        .env_remove("ANBAO_WORKSPACE")
        .env("NO_COLOR", "1")
        .arg("-C")
        .arg(dir(rel))
        .args([
            "--lang", "en", "check", "--format", format, "--as-of", AS_OF,
        ])
        .output()
        .unwrap()
}

/// Runs the check on a fixture workspace: its exit code and JSON report.
fn check(rel: &str) -> (i32, Value) {
    let out = anbao(rel, "json");
    let code = out.status.code().expect("exited");
    assert!(
        code == 0 || code == 1,
        "{rel}: exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{rel}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(report["schema"], "anbao.check/2", "{rel}");
    assert_eq!(
        report["verdict"]["meets"],
        code == 0,
        "{rel}: the exit code follows the verdict"
    );
    (code, report)
}

/// The findings, less `vulnerability-database-missing`: the fixtures run without a
/// vulnerability database, and that finding has its own tests below.
fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] != "vulnerability-database-missing")
        .collect()
}

/// Findings no waiver accepts.
fn active(report: &Value) -> Vec<&Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["waived_by"].is_null())
        .collect()
}

fn component<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn category<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no category {id}"))
}

fn deadline<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no deadline {id}"))
}

/// What the trigger workspace of a code must produce.
struct Expect {
    /// `name@version` of the component the finding is about; `None` for findings about a
    /// waiver rather than a component.
    component: Option<&'static str>,
    level: &'static str,
    /// The verdict of the component.
    verdict: &'static str,
    /// The exit code: 1 when the project fails, 0 when it meets the requirement.
    exit: i32,
    /// The other codes the trigger produces (besides the one under test).
    with: &'static [&'static str],
}

/// The trigger produces the code (once, at the level, about the component, and nothing else
/// but `with`); the clean twin produces no finding that is not waived, and meets.
fn assert_code(code: &str, e: Expect) {
    let rel = format!("{code}/trigger");
    let (exit, report) = check(&rel);
    assert_eq!(exit, e.exit, "{rel}: exit code");
    let hits: Vec<&Value> = findings(&report)
        .into_iter()
        .filter(|f| f["code"] == code)
        .collect();
    assert_eq!(hits.len(), 1, "{rel}: {:#}", report["findings"]);
    let f = hits[0];
    assert_eq!(f["level"], e.level, "{rel}: level");
    assert!(f["waived_by"].is_null(), "{rel}");
    assert!(!f["message"]["en"].as_str().unwrap().is_empty());
    assert!(!f["message"]["zh"].as_str().unwrap().is_empty());
    let mut codes: Vec<&str> = findings(&report)
        .into_iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    let mut expected: Vec<&str> = e.with.iter().copied().chain([code]).collect();
    expected.sort_unstable();
    assert_eq!(codes, expected, "{rel}: every finding");
    match e.component {
        Some(name) => {
            assert_eq!(f["component"], name, "{rel}: component");
            let row = component(&report, name);
            assert_eq!(row["verdict"], e.verdict, "{rel}: component verdict");
            assert_eq!(f["category"], row["category"], "{rel}");
            // An index into the report's own list, which has the database finding too.
            let index = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .position(|x| x == f)
                .unwrap();
            assert!(
                row["findings"].as_array().unwrap().contains(&index.into()),
                "{rel}: the component lists its finding"
            );
        }
        None => {
            assert!(
                f["component"].is_null() && f["component_id"].is_null(),
                "{rel}"
            );
            let verdicts: Vec<&Value> = report["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| &c["verdict"])
                .collect();
            assert!(
                verdicts.iter().all(|v| **v == e.verdict),
                "{rel}: {verdicts:?}"
            );
        }
    }

    let rel = format!("{code}/clean");
    let (exit, report) = check(&rel);
    assert_eq!(exit, 0, "{rel}: exit code");
    assert!(
        findings(&report).into_iter().all(|f| f["code"] != code),
        "{rel}: {:#}",
        report["findings"]
    );
    assert!(
        active(&report).is_empty(),
        "{rel}: {:#}",
        report["findings"]
    );
    for c in report["components"].as_array().unwrap() {
        assert_eq!(c["verdict"], "pass", "{rel}: {}", c["component"]);
    }
}

macro_rules! code_tests {
    ($($test:ident: $code:literal => $expect:expr;)*) => {
        /// The codes these tests cover.
        const COVERED: &[&str] = &[$($code),*];
        $(
            #[test]
            fn $test() {
                assert_code($code, $expect);
            }
        )*
    };
}

const NONE: &[&str] = &[];

fn deny(component: &'static str, verdict: &'static str) -> Expect {
    Expect {
        component: Some(component),
        level: "deny",
        verdict,
        exit: 1,
        with: NONE,
    }
}

fn warn(component: &'static str) -> Expect {
    Expect {
        component: Some(component),
        level: "warn",
        verdict: "warn",
        exit: 0,
        with: NONE,
    }
}

const FAIL: &str = "fail";
const LACKS: &str = "insufficient-evidence";

code_tests! {
    unclassified_key_component: "unclassified-key-component" => deny("示例固件@1.0.0", LACKS);
    not_in_catalog: "not-in-catalog" => deny("示例数据库管理系统@V7.0", FAIL);
    catalog_entry_not_valid: "catalog-entry-not-valid" => deny("示例中间件@5.2", FAIL);
    manufacturer_unknown: "manufacturer-unknown" => deny("示例防火墙@FW-100", LACKS);
    manufacturer_foreign: "manufacturer-foreign" => deny("示例办公套件@3.0", FAIL);
    origin_unknown: "origin-unknown" => deny("示例办公套件@3.0", LACKS);
    supplier_unknown: "supplier-unknown" => deny("示例人脸识别SDK@2.1.7", LACKS);
    supplier_denied: "supplier-denied" => deny("示例人脸识别SDK@2.1.7", FAIL);
    supplier_foreign: "supplier-foreign" => deny("示例审批系统@1.0", FAIL);
    certificate_missing: "certificate-missing" => deny("示例防火墙@FW-100", LACKS);
    certificate_expired: "certificate-expired" => deny("示例防火墙@FW-100", FAIL);
    license_missing: "license-missing" => warn("example-pad@1.0.0");
    license_not_allowed: "license-not-allowed" => warn("example-pad@1.0.0");
    license_invalid: "license-invalid" => warn("example-pad@1.0.0");
    source_unavailable: "source-unavailable" => warn("example-pad@1.0.0");
    identity_incomplete: "identity-incomplete" => warn("示例审批系统@1.0");
    // The expired waiver no longer accepts the supplier-foreign finding, which fails the project.
    waiver_expired: "waiver-expired" => Expect {
        with: &["supplier-foreign"],
        ..deny("示例审批系统@1.0", FAIL)
    }.warned();
    // The waiver names the component wrongly, so the finding it meant stands.
    waiver_unused: "waiver-unused" => Expect {
        component: None,
        with: &["supplier-foreign"],
        ..deny("", FAIL)
    }.warned();
    // The 2023 procurement-standard rule turned on for operating systems.
    secure_reliable_missing: "secure-reliable-missing" => deny("示例嵌入式操作系统@V3", FAIL);
    secure_reliable_expired: "secure-reliable-expired" => deny("示例桌面操作系统@V3", FAIL);
    // Gaps in the inventories: whatever the components read look like, the evidence is
    // insufficient and the project never meets the requirement on it.
    no_components: "no-components" => gap();
    no_key_products: "no-key-products" => gap();
    expected_category_empty: "expected-category-empty" => gap();
    inventory_file_not_read: "inventory-file-not-read" => gap();
}

/// A gap in the inventories: a finding about no component, at deny level; the components that
/// were read all pass, and the check still exits 1.
fn gap() -> Expect {
    Expect {
        component: None,
        ..deny("", "pass")
    }
}

impl Expect {
    /// The waiver findings themselves are warnings, whatever they leave standing.
    fn warned(self) -> Expect {
        Expect {
            level: "warn",
            ..self
        }
    }
}

#[test]
fn every_code_has_a_trigger_and_a_clean_fixture() {
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let covered: Vec<&str> = COVERED.iter().chain(VULNERABILITY_CODES).copied().collect();
    assert_eq!(covered, all, "one test per code, in Code::ALL order");
    for code in all {
        for side in ["trigger", "clean"] {
            let manifest = dir(&format!("{code}/{side}/anbao.toml"));
            assert!(manifest.is_file(), "{}", manifest.display());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The project verdict.

#[test]
fn a_failing_key_product_fails_the_project() {
    let (exit, r) = check("supplier-foreign/trigger");
    assert_eq!(exit, 1);
    let cat = category(&r, "business-application");
    assert_eq!(
        (&cat["key"], &cat["blocking"], &cat["verdict"]),
        (&true.into(), &true.into(), &"fail".into())
    );
    assert_eq!(cat["counts"]["fail"], 1);
    assert_eq!(
        r["verdict"]["summary"]["en"],
        "Does not meet the controllable-procurement requirement: 1 product(s) fail, 0 lack evidence"
    );
    assert_eq!(
        r["verdict"]["reasons"],
        serde_json::json!([{
            "zh": "示例审批系统@1.0（业务应用软件）不通过：supplier-foreign",
            "en": "示例审批系统@1.0 (Business application software) fails: supplier-foreign"
        }])
    );
    // Categories with no component are not applicable, not passed.
    assert_eq!(category(&r, "core-network")["verdict"], "not-applicable");
}

#[test]
fn a_blocking_category_that_is_not_key_fails_the_project_without_being_called_key() {
    let (exit, r) = check("supplier-unknown/trigger");
    assert_eq!(exit, 1);
    let cat = category(&r, "third-party");
    assert_eq!(
        (&cat["key"], &cat["blocking"]),
        (&false.into(), &true.into())
    );
    assert_eq!(cat["verdict"], "insufficient-evidence");
    let summary = &r["verdict"]["summary"];
    // Nothing fails; a product lacks evidence: the verdict is insufficient evidence, not a pass.
    assert_eq!(r["verdict"]["state"], "insufficient-evidence");
    assert_eq!(
        summary["en"],
        "Insufficient evidence to show the controllable-procurement requirement is met: 1 product(s) lack evidence"
    );
    assert!(!summary["zh"].as_str().unwrap().contains("关键产品不通过"));
    assert_eq!(
        r["verdict"]["reasons"][0]["en"],
        "示例人脸识别SDK@2.1.7 (Third-party commercial components) lacks evidence: supplier-unknown"
    );
}

#[test]
fn an_unclassified_key_looking_component_fails_the_project() {
    let (exit, r) = check("unclassified-key-component/trigger");
    assert_eq!(exit, 1);
    let c = component(&r, "示例固件@1.0.0");
    assert!(c["category"].is_null() && c["classification"].is_null());
    assert_eq!(
        r["verdict"]["reasons"][0]["en"],
        "示例固件@1.0.0 (unclassified) lacks evidence: unclassified-key-component"
    );
}

#[test]
fn warnings_alone_meet_the_requirement() {
    // In a category that does not block ...
    let (exit, r) = check("license-not-allowed/trigger");
    assert_eq!(exit, 0);
    assert_eq!(category(&r, "open-source")["blocking"], false);
    assert_eq!(category(&r, "open-source")["verdict"], "warn");
    assert!(r["verdict"]["summary"]["en"]
        .as_str()
        .unwrap()
        .starts_with("Meets the controllable-procurement requirement"));
    assert_eq!(r["verdict"]["reasons"], serde_json::json!([]));
    // ... and in a key category.
    let (exit, r) = check("identity-incomplete/trigger");
    assert_eq!(exit, 0);
    assert_eq!(category(&r, "business-application")["verdict"], "warn");
}

#[test]
fn a_failure_in_a_category_that_does_not_block_leaves_the_project_meeting() {
    let (exit, r) = check("verdict/non-blocking-fail");
    assert_eq!(exit, 0);
    assert_eq!(component(&r, "example-pad@1.0.0")["verdict"], "fail");
    let cat = category(&r, "open-source");
    assert_eq!(
        (&cat["verdict"], &cat["counts"]["fail"]),
        (&"fail".into(), &1.into())
    );
    let f = &active(&r)[0];
    assert_eq!(
        (&f["code"], &f["level"]),
        (&"supplier-denied".into(), &"deny".into())
    );
    assert_eq!(r["verdict"]["reasons"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------------
// Waivers.

#[test]
fn a_waived_finding_does_not_fail_the_project() {
    let (exit, r) = check("waiver-expired/clean");
    assert_eq!(exit, 0);
    let f = &findings(&r)[0];
    assert_eq!(f["code"], "supplier-foreign");
    let waivers = dir("waiver-expired/clean/waivers.toml");
    assert_eq!(f["waived_by"], at(&waivers, 1));
    assert_eq!(component(&r, "示例审批系统@1.0")["verdict"], "pass");
    assert_eq!(r["waivers"][0]["status"], "used");
}

#[test]
fn an_expired_waiver_is_reported_and_no_longer_applies() {
    let (_, r) = check("waiver-expired/trigger");
    let f = findings(&r)
        .into_iter()
        .find(|f| f["code"] == "waiver-expired")
        .unwrap();
    let waivers = dir("waiver-expired/trigger/waivers.toml");
    assert_eq!(f["rule"], at(&waivers, 1));
    assert_eq!(
        f["message"]["en"],
        "the waiver of supplier-foreign approved by 示例县数据局 分管领导 expired on 2026-10-31 and no longer applies"
    );
    assert_eq!(r["waivers"][0]["status"], "expired");
}

#[test]
fn a_waiver_that_matches_nothing_is_reported() {
    let (_, r) = check("waiver-unused/trigger");
    let f = findings(&r)
        .into_iter()
        .find(|f| f["code"] == "waiver-unused")
        .unwrap();
    assert_eq!(
        f["message"]["en"],
        "the waiver for '示例审批糸统' (supplier-foreign) matched no finding"
    );
    assert_eq!(r["waivers"][0]["status"], "unused");
    assert_eq!(r["waivers"][0]["component"], "示例审批糸统");
}

// ---------------------------------------------------------------------------------------------
// Classification, and the rule positions findings cite.

fn shared(rel: &str, file: &str) -> PathBuf {
    dir(rel).join("../..").join(file)
}

/// The 1-based line of the `[[...]]` header of the table holding the line `marker`.
fn table_line(file: &Path, marker: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == marker)
        .unwrap_or_else(|| panic!("no line '{marker}' in {}", file.display()));
    lines[..at]
        .iter()
        .rposition(|l| l.starts_with("[["))
        .unwrap()
        + 1
}

/// The 1-based line `marker` is on.
fn line_of(file: &Path, marker: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.trim() == marker).unwrap() + 1
}

/// `file:line` as the report cites it: relative to the workspace that names the file.
fn at(file: &Path, line: usize) -> String {
    format!("{}:{line}", in_workspace(file).display())
}

/// The path of `file` relative to the nearest folder above it (lexically, so `..` segments
/// stay) that holds an `anbao.toml`.
fn in_workspace(file: &Path) -> PathBuf {
    let workspace = file
        .ancestors()
        .skip(1)
        .find(|d| d.join("anbao.toml").is_file() && !d.ends_with(".."))
        .unwrap_or_else(|| panic!("no workspace above {}", file.display()));
    file.strip_prefix(workspace).unwrap().to_path_buf()
}

#[test]
fn firmware_in_a_core_switch_inherits_core_network() {
    let rel = "classification/nested";
    let (exit, r) = check(rel);
    assert_eq!(exit, 0, "only warnings");
    let policy = shared(rel, "shared-policy.toml");
    let switch = component(&r, "示例核心交换机@CE-8800");
    assert_eq!(switch["category"], "core-network");
    assert_eq!(switch["classification"]["by"], "rule");
    assert_eq!(
        switch["classification"]["rule"],
        at(&policy, table_line(&policy, r#"name = ["*核心交换*"]"#))
    );
    assert_eq!(switch["verdict"], "pass");
    // The catalog names the vendor by an alias of the policy's party.
    let catalog = shared(rel, "shared-catalog.toml");
    let listed = switch["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["check"] == "catalog")
        .unwrap();
    assert_eq!(
        listed["source"],
        at(
            &catalog,
            table_line(&catalog, r#"vendor = "Example Networks""#)
        )
    );

    let firmware = component(&r, "示例网络操作系统@V3.1");
    assert_eq!(firmware["category"], "core-network");
    let how = &firmware["classification"];
    assert_eq!(how["by"], "inherited");
    assert_eq!(how["from"], switch["id"]);
    assert_eq!(
        how["rule"],
        at(&policy, table_line(&policy, r#"id = "core-network""#))
    );
    let f = &findings(&r)[firmware["findings"][0].as_u64().unwrap() as usize];
    assert_eq!(
        (&f["code"], &f["level"]),
        (&"not-in-catalog".into(), &"warn".into())
    );
    assert_eq!(
        f["paths"],
        serde_json::json!([["示例核心交换机@CE-8800", "示例网络操作系统@V3.1"]])
    );
}

#[test]
fn an_override_classifies_a_component_by_name() {
    let rel = "classification/nested";
    let (_, r) = check(rel);
    let policy = shared(rel, "shared-policy.toml");
    let clock = component(&r, "示例授时服务器@T-10");
    assert_eq!(clock["category"], "core-network");
    let how = &clock["classification"];
    assert_eq!(how["by"], "override");
    assert_eq!(how["reason"], "授时服务支撑全网审计，按核心网络设备管理");
    assert_eq!(
        how["rule"],
        at(
            &policy,
            table_line(&policy, r#"component = "示例授时服务器""#)
        )
    );
}

#[test]
fn findings_point_at_the_rule_that_decided() {
    let rule_of = |code: &str| {
        let rel = format!("{code}/trigger");
        let (_, r) = check(&rel);
        let f = findings(&r)
            .into_iter()
            .find(|f| f["code"] == code)
            .unwrap();
        (rel, f["rule"].as_str().unwrap().to_string())
    };
    // A check's finding: the category that requires the check.
    let (rel, rule) = rule_of("supplier-foreign");
    let policy = shared(&rel, "shared-policy.toml");
    assert_eq!(
        rule,
        at(
            &policy,
            table_line(&policy, r#"id = "business-application""#)
        )
    );
    // A deny-listed party: the party.
    let (rel, rule) = rule_of("supplier-denied");
    let policy = shared(&rel, "shared-policy.toml");
    assert_eq!(
        rule,
        at(
            &policy,
            table_line(&policy, r#"name = "示例失信供应商有限公司""#)
        )
    );
    // A catalog entry out of its validity: the entry.
    let (rel, rule) = rule_of("catalog-entry-not-valid");
    let catalog = shared(&rel, "shared-catalog.toml");
    assert_eq!(
        rule,
        at(&catalog, table_line(&catalog, r#"models = ["5.*"]"#))
    );
    // An unclassified key-looking component: the key types.
    let (rel, rule) = rule_of("unclassified-key-component");
    let policy = shared(&rel, "shared-policy.toml");
    assert_eq!(
        rule,
        at(
            &policy,
            line_of(
                &policy,
                r#"key_types = ["device", "firmware", "operating-system"]"#
            )
        )
    );
    // The terminal report shows the same place beside the finding.
    let out = anbao("supplier-foreign/trigger", "table");
    let text = String::from_utf8(out.stdout).unwrap();
    let policy = shared("supplier-foreign/trigger", "shared-policy.toml");
    let expected = at(
        &policy,
        table_line(&policy, r#"id = "business-application""#),
    );
    assert!(
        text.contains(&format!(
            "deny supplier-foreign supplier Example Software Corp. is in US  ({expected})"
        )),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Filing deadlines, as of 2026-11-28.

#[test]
fn deadlines_met_and_due() {
    let (exit, r) = check("deadlines/met-and-due");
    assert_eq!(exit, 0);
    let contract = deadline(&r, "contract-filing");
    // Five working days after 29 September, across the National Day week.
    assert_eq!(contract["due"], "2026-10-12");
    assert_eq!(
        contract["status"],
        serde_json::json!({"state": "met", "filed": "2026-10-12"})
    );
    assert_eq!(
        deadline(&r, "supervision-filing")["status"]["state"],
        "required"
    );
    let report = deadline(&r, "acceptance-report-filing");
    assert_eq!(report["due"], "2026-12-22");
    assert_eq!(
        report["status"],
        serde_json::json!({"state": "due", "working_days_left": 17})
    );
}

#[test]
fn deadlines_late_and_overdue() {
    let (exit, r) = check("deadlines/late-and-overdue");
    // Filings are reported; they do not decide the controllable-procurement verdict.
    assert_eq!(exit, 0);
    assert_eq!(
        deadline(&r, "contract-filing")["status"],
        serde_json::json!({"state": "late", "filed": "2026-10-14", "working_days_late": 2})
    );
    assert_eq!(
        deadline(&r, "supervision-filing")["status"],
        serde_json::json!({"state": "filed", "filed": "2026-04-03"})
    );
    let report = deadline(&r, "acceptance-report-filing");
    // 30 working days after 1 September, across Mid-Autumn and National Day.
    assert_eq!(report["due"], "2026-10-19");
    assert_eq!(
        report["status"],
        serde_json::json!({"state": "overdue", "working_days_over": 29})
    );
    let text = String::from_utf8(anbao("deadlines/late-and-overdue", "table").stdout).unwrap();
    assert!(
        text.contains("late: filed 2026-10-14, 2 working days after the deadline 2026-10-12"),
        "{text}"
    );
    assert!(
        text.contains("overdue by 29 working days (deadline 2026-10-19)"),
        "{text}"
    );
}

#[test]
fn a_deadline_past_the_known_calendar_counts_weekdays_and_is_provisional() {
    let (exit, r) = check("deadlines/unknown-year");
    assert_eq!(exit, 0);
    let report = deadline(&r, "acceptance-report-filing");
    // 30 working days after 15 December 2026: 12 in 2026, then 18 weekdays of 2027.
    assert_eq!(report["due"], "2027-01-26", "{report}");
    assert_eq!(report["provisional"], true);
    assert_eq!(report["provisional_years"], serde_json::json!([2027]));
    assert_eq!(report["status"]["state"], "due");
    for id in ["contract-filing", "supervision-filing"] {
        assert_eq!(deadline(&r, id)["status"]["state"], "not-started");
        assert_eq!(deadline(&r, id)["provisional"], false);
    }
    let text = String::from_utf8(anbao("deadlines/unknown-year", "table").stdout).unwrap();
    assert!(
        text.contains("2027-01-26") && text.contains("PROVISIONAL"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Policy-file errors: exit 2, nothing on standard output, one line `error: FILE:LINE:COL: ...`.

fn assert_error(case: &str, file: &str, place: &str, message: &str) {
    let rel = format!("bad-policy/{case}");
    let out = anbao(&rel, "json");
    assert_eq!(out.status.code(), Some(2), "{rel}");
    assert!(out.stdout.is_empty(), "{rel}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{rel}: {stderr}");
    // Policy files are named as the workspace's anbao.toml names them.
    let expected = format!("error: {file}:{place}: ");
    assert!(stderr.starts_with(&expected), "{rel}: {stderr}");
    assert!(stderr.contains(message), "{rel}: {stderr}");
}

#[test]
fn an_unknown_key_in_the_policy_is_an_error_at_its_line() {
    assert_error(
        "unknown-key",
        "checklists/controllable-policy.toml",
        "11:1",
        "unknown field `colour`",
    );
}

#[test]
fn a_bad_glob_in_the_policy_is_an_error_at_the_pattern() {
    assert_error(
        "bad-glob",
        "checklists/controllable-policy.toml",
        "16:19",
        "bad pattern '[核心'",
    );
}

#[test]
fn a_bad_date_in_the_catalog_is_an_error_at_the_date() {
    assert_error(
        "bad-catalog-date",
        "checklists/approved-products.toml",
        "9:15",
        "expected a date like 2026-03-09, found '2027年底'",
    );
}

#[test]
fn an_unknown_code_in_the_waivers_is_an_error_at_the_code() {
    assert_error(
        "unknown-waiver-code",
        "checklists/waivers.toml",
        "3:8",
        "unknown finding code 'foreign-supplier'",
    );
}

// ---------------------------------------------------------------------------------------------
// Known vulnerabilities: the fixtures are checked against a database imported from the real
// OSV records of tests/fixtures/vuln/osv into a shared folder (ANBAO_VULN_DB), or none.

/// The codes the tests below cover, in `Code::ALL` order.
const VULNERABILITY_CODES: &[&str] = &[
    "known-vulnerability",
    "vulnerability-database-missing",
    "vulnerability-database-stale",
];

/// `anbao check` on a fixture with the database `db` (none: no database), as of `as_of`.
fn check_with_db(rel: &str, db: Option<&Path>, as_of: &str) -> (i32, Value) {
    let mut cmd = Command::cargo_bin("anbao").unwrap();
    cmd.env_remove("ANBAO_WORKSPACE").env("NO_COLOR", "1");
    match db {
        Some(db) => cmd.env("ANBAO_VULN_DB", db),
        None => cmd.env("ANBAO_VULN_DB", dir("no-such-database")),
    };
    let out = cmd
        .arg("-C")
        .arg(dir(rel))
        .args([
            "--lang", "en", "check", "--format", "json", "--as-of", as_of,
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), report)
}

fn imported_db() -> tempfile::TempDir {
    let db = tempfile::tempdir().unwrap();
    Command::cargo_bin("anbao")
        .unwrap()
        .args(["vuln", "import", "--db"])
        .arg(db.path())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vuln/osv"))
        .assert()
        .success();
    db
}

fn codes_of(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn known_vulnerability() {
    let db = imported_db();
    // Recent enough data, so only the vulnerability speaks.
    let (exit, r) = check_with_db("known-vulnerability/trigger", Some(db.path()), "2024-06-20");
    assert_eq!(exit, 1);
    assert_eq!(
        codes_of(&r),
        [("known-vulnerability".into(), "deny".into())]
    );
    let f = &r["findings"][0];
    assert_eq!(f["component"], "pdfjs-dist@3.11.174");
    assert_eq!(component(&r, "pdfjs-dist@3.11.174")["verdict"], "fail");
    let (exit, r) = check_with_db("known-vulnerability/clean", Some(db.path()), "2024-06-20");
    assert_eq!(
        (exit, codes_of(&r)),
        (0, vec![]),
        "4.2.67 is the fixed version"
    );
}

#[test]
fn vulnerability_database_missing() {
    let (exit, r) = check_with_db("vulnerability-database-missing/trigger", None, AS_OF);
    assert_eq!(
        exit, 0,
        "a warning under the shipped levels: it never passes for clean"
    );
    assert_eq!(
        codes_of(&r),
        [("vulnerability-database-missing".into(), "warn".into())]
    );
    assert!(r["findings"][0]["component"].is_null());
    let db = imported_db();
    let (_, r) = check_with_db(
        "vulnerability-database-missing/clean",
        Some(db.path()),
        "2024-06-20",
    );
    assert!(!codes_of(&r)
        .iter()
        .any(|(c, _)| c == "vulnerability-database-missing"));
}

#[test]
fn vulnerability_database_stale() {
    let db = imported_db();
    // The newest fixture record is from 2024-06-10: 31 days later it is stale, 30 is not.
    let (_, r) = check_with_db(
        "vulnerability-database-stale/trigger",
        Some(db.path()),
        "2024-07-11",
    );
    assert!(codes_of(&r).contains(&("vulnerability-database-stale".into(), "warn".into())));
    let (_, r) = check_with_db(
        "vulnerability-database-stale/clean",
        Some(db.path()),
        "2024-07-10",
    );
    assert!(!codes_of(&r)
        .iter()
        .any(|(c, _)| c == "vulnerability-database-stale"));
}
