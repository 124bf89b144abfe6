//! Every kind of malformed input gives one line naming the file, the place and what was
//! expected, and exit code 2 — never a panic. One fixture per case in `tests/fixtures/bad/`.

use assert_cmd::Command;
use std::path::Path;

/// Runs `anbao inventory list FILE` and returns (exit code, stderr).
fn run_on(file: &Path) -> (i32, String) {
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .args(["--lang", "en", "inventory", "list"])
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

/// Asserts the one-line error: `error: FILE:PLACE: MESSAGE`.
fn assert_error(name: &str, place: &str, message: &str) {
    let path = fixture(name);
    let (code, stderr) = run_on(&path);
    assert_eq!(code, 2, "{name}: exit code, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{name} panicked: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{name}: one line expected: {stderr}"
    );
    let expected_prefix = format!("error: {}:{place}", path.display());
    assert!(
        stderr.starts_with(&expected_prefix),
        "{name}: expected prefix '{expected_prefix}', got: {stderr}"
    );
    assert!(
        stderr.contains(message),
        "{name}: expected '{message}' in: {stderr}"
    );
}

#[test]
fn truncated_json() {
    assert_error("truncated.cdx.json", "", "truncated JSON");
}

#[test]
fn wrong_type_is_named_by_json_pointer() {
    assert_error(
        "wrong-type.cdx.json",
        "/components/1/name",
        "expected a string",
    );
}

#[test]
fn trailing_garbage_after_json() {
    assert_error("trailing-garbage.cdx.json", "1:", "trailing characters");
}

#[test]
fn unknown_cyclonedx_version_in_json() {
    assert_error(
        "unknown-spec-version.cdx.json",
        "/specVersion",
        "unsupported CycloneDX spec version '2.0'",
    );
}

#[test]
fn unknown_cyclonedx_version_in_xml() {
    assert_error(
        "unknown-spec-version.cdx.xml",
        "2:1",
        "unsupported CycloneDX spec version '1.1'",
    );
}

#[test]
fn invalid_xml() {
    assert_error("invalid.cdx.xml", "4:", "invalid XML");
}

#[test]
fn billion_laughs_is_refused() {
    assert_error("billion-laughs.cdx.xml", "2:1", "DOCTYPE refused");
}

#[test]
fn external_entities_are_refused() {
    assert_error("external-entity.cdx.xml", "2:1", "DOCTYPE refused");
}

#[test]
fn undeclared_entities_are_refused() {
    assert_error(
        "undeclared-entity.cdx.xml",
        "3:",
        "undefined entity '&xxe;'",
    );
}

#[test]
fn empty_file() {
    assert_error("empty.json", " ", "empty file");
}

#[test]
fn blank_file() {
    assert_error("blank.cdx.json", " ", "empty file");
}

#[test]
fn binary_file() {
    assert_error("binary.bin", " ", "binary file");
}

#[test]
fn json_of_no_known_format() {
    assert_error("unknown-json.json", " ", "neither CycloneDX");
}

#[test]
fn cargo_lock_syntax_error() {
    assert_error("syntax-error.Cargo.lock", "3:", "");
}

#[test]
fn cargo_lock_bad_version() {
    assert_error("bad-version.Cargo.lock", "5:11", "not a valid Cargo.lock");
}

#[test]
fn a_gigabyte_of_garbage_is_refused_without_reading_it() {
    // A sparse file: a gigabyte long, no disk used, and never read by anbao.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.json");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(1 << 30).unwrap();
    let (code, stderr) = run_on(&path);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("larger than the"), "{stderr}");
}

#[test]
fn a_missing_file_is_named() {
    let (code, stderr) = run_on(Path::new("/nonexistent/inventory.json"));
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: /nonexistent/inventory.json: does not exist"),
        "{stderr}"
    );
}
