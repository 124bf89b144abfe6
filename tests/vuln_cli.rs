//! `anbao vuln` and the check's known-vulnerability findings, driven through the binary on a
//! copy of the demo's tracked files and the real OSV records in tests/fixtures/vuln/osv.

mod common;

use assert_cmd::Command;
use common::copy_dir;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vuln")
}

/// A copy of the demo workspace's tracked files, and a folder for private keys outside it.
struct Demo {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Demo {
    fn new() -> Demo {
        let ws = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(root.join("anbao.toml"), ws.path().join("anbao.toml")).unwrap();
        for sub in ["inventories", "checklists"] {
            copy_dir(&root.join(sub), &ws.path().join(sub));
        }
        Demo {
            ws,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("anbao").unwrap();
        c.arg("-C")
            .arg(self.ws.path())
            .args(["--lang", "en"])
            .env("HOME", self.home.path())
            .env("ANBAO_CONFIG_DIR", self.home.path())
            .env_remove("ANBAO_VULN_DB")
            .env_remove("ANBAO_KEY");
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
    }

    fn import_fixtures(&self) {
        self.cmd()
            .args(["vuln", "import"])
            .arg(fixtures().join("osv"))
            .assert()
            .success();
    }

    /// `anbao vuln vex import FILE --key KEY` on a fixture under tests/fixtures/vuln/vex.
    fn vex_import(&self, name: &str, key: &Path) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["vuln", "vex", "import"])
            .arg(fixtures().join("vex").join(name))
            .arg("--key")
            .arg(key)
            .assert()
    }

    /// `anbao vuln state CVE-2024-4367 --product pdfjs-dist ARGS --key KEY`.
    fn state(&self, key: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["vuln", "state", "CVE-2024-4367"])
            .args(["--product", "pkg:npm/pdfjs-dist@3.11.174"])
            .args(args)
            .arg("--key")
            .arg(key)
            .assert()
    }

    fn key(&self) -> PathBuf {
        let key = self.home.path().join("construction.key");
        self.cmd()
            .args(["keys", "new", "--unit", "construction", "--out"])
            .arg(&key)
            .assert()
            .success();
        key
    }
}

/// The ledger's records of `kind` (`ledger list --kind`); none where there is no ledger. Key
/// enrolment records come first in a fresh workspace, so tests find records by kind.
fn records_of(d: &Demo, kind: &str) -> Vec<Value> {
    let list = d.json(&["ledger", "list", "--format", "json", "--kind", kind]);
    list["records"].as_array().cloned().unwrap_or_default()
}

fn check_json(d: &Demo) -> Value {
    let out = d
        .cmd()
        .args(["check", "--as-of", "2026-11-28", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn without_a_database_the_check_says_nothing_was_checked() {
    let d = Demo::new();
    let report = check_json(&d);
    let missing = findings(&report, "vulnerability-database-missing");
    assert_eq!(missing.len(), 1);
    assert!(missing[0]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("not checked"));
    assert!(findings(&report, "known-vulnerability").is_empty());
    assert!(report["vulnerabilities"]["database"].is_null());
    let list = d.cmd().args(["vuln", "list"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("no vulnerability database was imported")
    );
}

#[test]
fn imported_records_of_five_ecosystems_find_the_demo_pdfjs_and_fail_the_check() {
    let d = Demo::new();
    d.import_fixtures();
    let db = d.json(&["vuln", "db", "--format", "json"]);
    let eco = &db["manifest"]["ecosystems"];
    for e in ["Go", "Maven", "PyPI", "crates.io", "npm"] {
        assert!(eco[e].as_u64().unwrap() >= 1, "{e} in {eco}");
    }
    assert_eq!(db["manifest"]["withdrawn"], 1);
    assert_eq!(db["manifest"]["newest_modified"], "2024-06-10T20:18:18Z");

    let list = d.json(&["vuln", "list", "--format", "json"]);
    let ids: Vec<&str> = list["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    // log4j-api is not the package Log4Shell names; pdfjs-dist 3.11.174 is below the fix.
    assert_eq!(ids, ["GHSA-wgrm-67xf-hhpq"]);

    let out = d
        .cmd()
        .args(["check", "--as-of", "2026-11-28", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let known = findings(&report, "known-vulnerability");
    assert_eq!(known.len(), 1);
    assert_eq!(known[0]["level"], "deny", "high, inside the key platform");
    assert_eq!(known[0]["component"], "pdfjs-dist@3.11.174");
    assert_eq!(known[0]["vulnerability"], "GHSA-wgrm-67xf-hhpq");
    assert!(report["verdict"]["summary"]["en"]
        .as_str()
        .unwrap()
        .contains("1 known vulnerabilit"));
    // The data is from 2024: stale under the policy's 30 days, and the report says how old.
    assert_eq!(report["vulnerabilities"]["database"]["age_days"], 901);
    assert_eq!(findings(&report, "vulnerability-database-stale").len(), 1);

    let sarif = d
        .cmd()
        .args(["check", "--as-of", "2026-11-28", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "known-vulnerability")
        .unwrap();
    assert_eq!(result["properties"]["cve"][0], "CVE-2024-4367");
}

#[test]
fn a_signed_not_affected_statement_settles_the_finding_and_is_in_the_ledger() {
    let d = Demo::new();
    d.import_fixtures();
    let key = d.key();
    // Refused without a justification, and nothing is written.
    d.state(&key, &["--status", "not_affected"]).code(2);
    assert!(records_of(&d, "vex.statement").is_empty());
    d.state(
        &key,
        &[
            "--status",
            "not_affected",
            "--justification",
            "vulnerable_code_not_in_execute_path",
        ],
    )
    .success();
    let statements = records_of(&d, "vex.statement");
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["unit"], "construction");
    assert_eq!(statements[0]["signed_by"][0], "construction");
    let seq = statements[0]["seq"].as_str().unwrap();
    let report = check_json(&d);
    let known = findings(&report, "known-vulnerability");
    let waived_by = known[0]["waived_by"].as_str().unwrap();
    assert!(
        waived_by.starts_with(&format!("vex.statement #{seq} ")),
        "{waived_by}"
    );
    d.cmd().args(["ledger", "verify"]).assert().success();
    // The verdict record carries the vulnerability summary and the database's age.
    d.cmd()
        .args(["check", "--as-of", "2026-11-28", "--record", "--key"])
        .arg(&key)
        .assert()
        .code(1);
    let verdict = records_of(&d, "acceptance.verdict");
    let verdict = verdict[0]["seq"].as_str().unwrap();
    let ledger = d.json(&["ledger", "show", verdict, "--format", "json"]);
    let body = &ledger["record"]["entry"]["body"]["vulnerabilities"];
    assert_eq!(body["checked"], true, "{ledger}");
    assert_eq!(body["database"]["age_days"], "901");
    assert_eq!(body["database"]["ecosystems"]["npm"]["age_days"], "901");
    assert_eq!(body["database"]["ecosystems"]["Maven"]["advisories"], "3");
    assert_eq!(body["by_status"]["not_affected"], "1");
}

#[test]
fn each_vex_state_from_openvex_and_cyclonedx_documents() {
    let d = Demo::new();
    d.import_fixtures();
    let key = d.key();
    // A document with one bad statement writes none.
    d.vex_import("openvex-missing-justification.json", &key)
        .code(2)
        .stderr(predicates::str::contains("/statements/1"));
    assert!(records_of(&d, "vex.statement").is_empty());

    let states = |d: &Demo| -> Vec<String> {
        let list = d.json(&["vuln", "list", "--all", "--format", "json"]);
        list["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                m["statement"]["status"]
                    .as_str()
                    .unwrap_or("none")
                    .to_string()
            })
            .collect()
    };
    d.vex_import("openvex-pdfjs-not-affected.json", &key)
        .success();
    assert_eq!(states(&d), ["not_affected"]);
    assert!(findings(&check_json(&d), "known-vulnerability")[0]["waived_by"].is_string());

    // The later CycloneDX document says exploitable (affected, response update): in force.
    d.vex_import("cyclonedx-vex-states.json", &key).success();
    assert_eq!(states(&d), ["affected"]);
    let report = check_json(&d);
    assert!(findings(&report, "known-vulnerability")[0]["waived_by"].is_null());

    assert_eq!(records_of(&d, "vex.statement").len(), 5);

    // fixed settles like not_affected; under_investigation does not.
    for (status, settled) in [("fixed", true), ("under_investigation", false)] {
        d.cmd()
            .args([
                "vuln",
                "state",
                "GHSA-wgrm-67xf-hhpq",
                "--product",
                "pdfjs-dist@3.11.174",
            ])
            .args(["--status", status, "--key"])
            .arg(&key)
            .assert()
            .success();
        assert_eq!(states(&d), [status]);
        let report = check_json(&d);
        assert_eq!(
            findings(&report, "known-vulnerability")[0]["waived_by"].is_string(),
            settled,
            "{status}"
        );
    }

    // The export carries the analysis in force and the statements on products the inventory
    // does not hold a vulnerability for.
    let vex = d.json(&["vuln", "vex", "export"]);
    assert_eq!(vex["bomFormat"], "CycloneDX");
    let vulns = vex["vulnerabilities"].as_array().unwrap();
    let pdfjs = vulns
        .iter()
        .find(|v| v["id"] == "GHSA-wgrm-67xf-hhpq")
        .unwrap();
    assert_eq!(pdfjs["analysis"]["state"], "in_triage");
    assert!(vulns
        .iter()
        .any(|v| v["id"] == "CVE-2021-45105" && v["analysis"]["state"] == "resolved"));
}

fn zip_of(files: &[(&str, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in files {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn zip_imports_are_incremental_and_bounded() {
    let d = Demo::new();
    let dir = tempfile::tempdir().unwrap();
    let read = |p: &str| std::fs::read(fixtures().join("osv").join(p)).unwrap();
    let first = dir.path().join("npm-all.zip");
    std::fs::write(
        &first,
        zip_of(
            &[(
                "GHSA-wgrm-67xf-hhpq.json",
                read("npm/GHSA-wgrm-67xf-hhpq.json"),
            )],
            zip::CompressionMethod::Deflated,
        ),
    )
    .unwrap();
    let out = d.json(&[
        "vuln",
        "import",
        first.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        (out["new"].as_u64(), out["written"].as_bool()),
        (Some(1), Some(true))
    );
    let again = d.json(&[
        "vuln",
        "import",
        first.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(again["sources"][0]["already_imported"], true);
    assert_eq!(again["written"], false);
    // The database records what came from where: the file, its digest, count and date.
    let db = d.json(&["vuln", "db", "--format", "json"]);
    let source = &db["manifest"]["sources"][0];
    assert_eq!(source["path"], first.to_str().unwrap());
    assert_eq!(source["kind"], "zip");
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(std::fs::read(&first).unwrap()));
    assert_eq!(source["sha256"], digest.as_str());
    assert_eq!(source["advisories"], 1);
    assert_eq!(source["newest_modified"], "2024-06-10T20:18:18Z");

    // A newer edition of the record replaces it; an older one does not.
    let mut newer: Value = serde_json::from_slice(&read("npm/GHSA-wgrm-67xf-hhpq.json")).unwrap();
    newer["modified"] = "2025-01-01T00:00:00Z".into();
    newer["summary"] = "edited".into();
    let mut older = newer.clone();
    older["modified"] = "2020-01-01T00:00:00Z".into();
    let second = dir.path().join("newer.json");
    std::fs::write(&second, serde_json::to_vec(&newer).unwrap()).unwrap();
    let third = dir.path().join("older.json");
    std::fs::write(&third, serde_json::to_vec(&older).unwrap()).unwrap();
    let out = d.json(&[
        "vuln",
        "import",
        second.to_str().unwrap(),
        third.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        (out["updated"].as_u64(), out["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(out["manifest"]["newest_modified"], "2025-01-01T00:00:00Z");
    assert_eq!(out["manifest"]["sources"].as_array().unwrap().len(), 3);

    // A record dated in the future is imported, but cannot make the database look current.
    let mut future = newer.clone();
    future["id"] = "GHSA-future".into();
    future["modified"] = "2099-01-01T00:00:00Z".into();
    let fourth = dir.path().join("future.json");
    std::fs::write(&fourth, serde_json::to_vec(&future).unwrap()).unwrap();
    let out = d.json(&[
        "vuln",
        "import",
        fourth.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out["new"], 1);
    assert_eq!(out["manifest"]["newest_modified"], "2025-01-01T00:00:00Z");
    assert!(
        out["notes"][0].as_str().unwrap().contains("after today"),
        "{out}"
    );

    // A zip bomb: 64 MiB of spaces compress to almost nothing. Refused, index untouched.
    let before = std::fs::read(d.ws.path().join("vulndb/CURRENT")).unwrap();
    let bomb = dir.path().join("bomb.zip");
    std::fs::write(
        &bomb,
        zip_of(
            &[("GHSA-bomb.json", vec![b' '; 64 << 20])],
            zip::CompressionMethod::Deflated,
        ),
    )
    .unwrap();
    d.cmd()
        .args(["vuln", "import"])
        .arg(&bomb)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("GHSA-bomb.json"));
    // A malformed record names its place; the index stays as it was.
    let bad = dir.path().join("bad.zip");
    std::fs::write(
        &bad,
        zip_of(
            &[
                ("ok.json", read("pypi/GHSA-h5c8-rqwp-cp95.json")),
                ("bad.json", b"{\"id\": 3}".to_vec()),
            ],
            zip::CompressionMethod::Stored,
        ),
    )
    .unwrap();
    d.cmd()
        .args(["vuln", "import"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.json:1:"));
    assert_eq!(
        std::fs::read(d.ws.path().join("vulndb/CURRENT")).unwrap(),
        before
    );
}

#[cfg(unix)]
#[test]
fn folders_are_walked_without_following_symbolic_links() {
    let d = Demo::new();
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("osv/npm/GHSA-wgrm-67xf-hhpq.json"),
        outside.path().join("GHSA-wgrm-67xf-hhpq.json"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("osv/pypi/GHSA-h5c8-rqwp-cp95.json"),
        dir.path().join("GHSA-h5c8-rqwp-cp95.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
    let out = d.json(&[
        "vuln",
        "import",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out["new"], 1, "{out}");
    assert!(out["notes"][0].as_str().unwrap().contains("symbolic link"));
}

#[test]
fn an_ecosystem_without_data_is_not_checked_and_the_stalest_ecosystem_ages_the_database() {
    let d = Demo::new();
    let import = |sub: &str| {
        d.cmd()
            .args(["vuln", "import"])
            .arg(fixtures().join("osv").join(sub))
            .assert()
            .success();
    };
    // Only npm's records: the demo's Maven components were not checked, and the check says so.
    import("npm");
    let report = check_json(&d);
    let missing = findings(&report, "vulnerability-database-missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    let message = missing[0]["message"]["en"].as_str().unwrap();
    assert!(message.contains("no Maven advisories"), "{message}");
    let used = &report["vulnerabilities"]["database"]["ecosystems_used"];
    assert_eq!(used["Maven"]["advisories"], 0);
    assert!(used["Maven"]["components"].as_u64().unwrap() > 0);
    assert_eq!(used["npm"]["age_days"], 901);
    // The assessment's offered answer names what was not checked.
    d.cmd()
        .args(["assess", "new", "pre-acceptance", "--id", "pa"])
        .assert()
        .success();
    // An unresolved high vulnerability decides the item; the fact still names what was not
    // checked.
    let status = d.json(&["assess", "status", "pa", "--format", "json"]);
    let offer = status["offered"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["source"] == "vulnerabilities.known-addressed")
        .unwrap();
    assert_eq!(offer["offered"], "not-conforming");
    let basis = offer["detail"]["en"].as_str().unwrap();
    assert!(
        basis.contains("not checked, no data in the database (components): Maven ("),
        "{basis}"
    );

    // Maven's records are older than npm's: Maven's age is the one the stale finding names.
    import("maven");
    let report = check_json(&d);
    assert!(findings(&report, "vulnerability-database-missing").is_empty());
    let stale = findings(&report, "vulnerability-database-stale");
    let message = stale[0]["message"]["en"].as_str().unwrap();
    assert!(
        message.contains("for Maven is from 2022-08-11T21:38:34Z"),
        "{message}"
    );
    let used = &report["vulnerabilities"]["database"]["ecosystems_used"];
    assert_eq!(used["Maven"]["newest_modified"], "2022-08-11T21:38:34Z");
}

/// The `vuln list` matches of tests/fixtures/vuln/sbom/ecosystems.cdx.json, component by
/// component: (component, id, aliases).
fn ecosystem_matches(d: &Demo) -> Vec<(String, String, Vec<String>)> {
    let list = d.json(&[
        "vuln",
        "list",
        fixtures()
            .join("sbom/ecosystems.cdx.json")
            .to_str()
            .unwrap(),
        "--format",
        "json",
    ]);
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let mut out: Vec<_> = list["matches"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|m| {
            let aliases = m["aliases"].as_array().unwrap().iter().map(text).collect();
            (text(&m["component"]), text(&m["id"]), aliases)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn real_records_of_four_ecosystems_match_one_finding_per_vulnerability_and_none_withdrawn() {
    let d = Demo::new();
    d.import_fixtures();
    let found = ecosystem_matches(&d);
    let ids: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, id, _)| (c.as_str(), id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("Jinja2@2.11.2", "GHSA-g3rq-g295-4j3m"),
            ("Jinja2@2.11.2", "GHSA-h5c8-rqwp-cp95"),
            (
                "github.com/docker/distribution@v2.6.2+incompatible",
                "GO-2021-0072"
            ),
            ("h2@0.4.1", "GHSA-8r5v-vm4m-4g25"),
            (
                "org.apache.logging.log4j/log4j-core@2.14.1",
                "GHSA-7rjr-3q55-vv33"
            ),
            (
                "org.apache.logging.log4j/log4j-core@2.14.1",
                "GHSA-jfh8-c2jp-5v3q"
            ),
            (
                "org.apache.logging.log4j/log4j-core@2.14.1",
                "GHSA-p6xc-xr62-6r2g"
            ),
            ("stdlib@v1.26.0-rc.1", "GO-2026-6090"),
        ],
        "k8s.io/kubernetes's only advisory is withdrawn; pdfjs-dist 4.2.67 is the fix"
    );
    // GitHub's and PyPA's records of CVE-2020-28493 are one finding naming both.
    assert_eq!(
        found[0].2,
        [
            "CVE-2020-28493",
            "PYSEC-2021-66",
            "SNYK-PYTHON-JINJA2-1012994"
        ]
    );
    // Either record shows the folded finding as its own.
    let ecosystems = fixtures().join("sbom/ecosystems.cdx.json");
    let shown = d.json(&[
        "vuln",
        "show",
        "PYSEC-2021-66",
        ecosystems.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        shown["components"][0]["component"], "Jinja2@2.11.2",
        "{shown}"
    );
    // A statement on the PyPA id settles the folded finding.
    let key = d.key();
    d.cmd()
        .args([
            "vuln",
            "state",
            "PYSEC-2021-66",
            "--product",
            "pkg:pypi/Jinja2@2.11.2",
        ])
        .args([
            "--status",
            "not_affected",
            "--justification",
            "vulnerable_code_not_in_execute_path",
        ])
        .arg("--key")
        .arg(&key)
        .assert()
        .success();
    assert_eq!(
        ecosystem_matches(&d).len(),
        7,
        "resolved matches are left out"
    );
}

/// The generation folder `vulndb/CURRENT` names.
fn generation(d: &Demo) -> PathBuf {
    let db = d.ws.path().join("vulndb");
    let name = std::fs::read_to_string(db.join("CURRENT")).unwrap();
    db.join(name.trim())
}

#[test]
fn an_index_of_an_earlier_format_is_refused_and_an_import_rebuilds_it() {
    let d = Demo::new();
    d.import_fixtures();
    let before = ecosystem_matches(&d);
    // What anbao wrote before match records existed: the same advisories, no candidates file,
    // and the earlier schema in the manifest.
    let gen = generation(&d);
    std::fs::remove_file(gen.join("candidates.jsonl")).unwrap();
    let manifest = std::fs::read_to_string(gen.join("manifest.json")).unwrap();
    let manifest = manifest.replace("anbao.vuln.index/2", "anbao.vuln.index/1");
    std::fs::write(gen.join("manifest.json"), manifest).unwrap();

    let out = d
        .cmd()
        .args(["check", "--as-of", "2026-11-28"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("manifest.json") && err.contains("anbao vuln import"),
        "{err}"
    );
    // Importing what was imported before reads nothing new but rebuilds the index.
    let report = d.json(&[
        "vuln",
        "import",
        fixtures().join("osv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(report["written"], true, "{report}");
    assert_eq!(report["rebuilt"], true, "{report}");
    assert_ne!(generation(&d), gen);
    assert_eq!(ecosystem_matches(&d), before);
    // Once rebuilt, the same import again changes nothing.
    let again = d.json(&[
        "vuln",
        "import",
        fixtures().join("osv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        (&again["written"], &again["rebuilt"]),
        (&false.into(), &false.into()),
        "{again}"
    );
}

#[test]
fn a_damaged_index_is_an_error_naming_the_file_not_a_crash() {
    let d = Demo::new();
    d.import_fixtures();
    let candidates = generation(&d).join("candidates.jsonl");
    let text = std::fs::read(&candidates).unwrap();
    // Cut short, the package lines point past its end; garbled, a record does not parse.
    for damaged in [
        text[..text.len() / 2].to_vec(),
        text.iter()
            .map(|&b| if b == b'"' { b'\'' } else { b })
            .collect(),
    ] {
        std::fs::write(&candidates, damaged).unwrap();
        let out = d
            .cmd()
            .args(["check", "--as-of", "2026-11-28"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("candidates.jsonl") && err.contains("damaged index"),
            "{err}"
        );
    }
}

#[test]
fn show_an_advisory_and_a_component() {
    let d = Demo::new();
    d.import_fixtures();
    let adv = d.json(&["vuln", "show", "CVE-2024-4367", "--format", "json"]);
    assert_eq!(adv["advisory"]["id"], "GHSA-wgrm-67xf-hhpq");
    assert_eq!(adv["components"][0]["component"], "pdfjs-dist@3.11.174");
    let comp = d.json(&["vuln", "show", "log4j-api", "--format", "json"]);
    assert_eq!(
        comp["components"][0]["vulnerabilities"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    d.cmd()
        .args(["vuln", "show", "CVE-1999-0001"])
        .assert()
        .code(2);
}

#[test]
fn the_assessment_is_offered_an_answer_with_its_basis() {
    let d = Demo::new();
    d.cmd()
        .args(["assess", "new", "pre-acceptance", "--id", "pa"])
        .assert()
        .success();
    let find = |d: &Demo, list: &str| -> Option<Value> {
        let status = d.json(&["assess", "status", "pa", "--format", "json"]);
        status[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["source"] == "vulnerabilities.known-addressed")
            .cloned()
    };
    let offer = |d: &Demo| find(d, "offered").unwrap();
    // No database is no scan, not a clean one: nothing is offered, and the reason says so.
    assert!(find(&d, "offered").is_none());
    let none = find(&d, "not_offered").unwrap();
    assert!(none["reason"]["en"]
        .as_str()
        .unwrap()
        .contains("not checked"));
    d.import_fixtures();
    let some = offer(&d);
    assert_eq!(some["item"], "PA-10");
    let basis = some["detail"]["en"].as_str().unwrap();
    assert!(
        basis.contains("12 advisories, newest record 2024-06-10"),
        "{basis}"
    );
    assert!(basis.contains("unresolved: 1 critical/high"), "{basis}");
}

#[test]
fn a_statement_whose_signature_does_not_verify_settles_nothing() {
    let d = Demo::new();
    d.import_fixtures();
    let key = d.key();
    d.state(&key, &["--status", "fixed"]).success();
    assert!(findings(&check_json(&d), "known-vulnerability")[0]["waived_by"].is_string());
    // Someone edits the statement in the ledger file: the signature no longer holds.
    let ledger = d.ws.path().join("records/ledger.jsonl");
    let text = std::fs::read_to_string(&ledger).unwrap();
    std::fs::write(&ledger, text.replace("\"fixed\"", "\"not_affected\"")).unwrap();
    let report = check_json(&d);
    assert!(findings(&report, "known-vulnerability")[0]["waived_by"].is_null());
    assert_eq!(report["vulnerabilities"]["statements"], 0);
}
