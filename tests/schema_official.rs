//! The official CycloneDX example (`valid-*`) and negative (`invalid-*`) files of every schema
//! version, JSON and XML (tests/fixtures/schema/cyclonedx/, Apache-2.0, from the specification
//! repository's test resources): the schema verdict must be the specification's own.

use anbao::inventory::validate::validate_file;
use std::path::{Path, PathBuf};

fn official_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/cyclonedx");
    let mut files = Vec::new();
    for version in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
        let dir = root.join(version);
        for entry in std::fs::read_dir(&dir).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    files.sort();
    files
}

#[test]
fn every_official_example_is_valid_and_every_negative_file_invalid() {
    let files = official_files();
    assert!(files.len() > 700, "{} files", files.len());
    let mut wrong = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let expect_valid = name.starts_with("valid-");
        match validate_file(file) {
            Ok(v) if expect_valid => {
                valid += 1;
                if !v.violations.is_empty() || v.unreadable.is_some() {
                    wrong.push(format!(
                        "{name}: expected valid, got {:?} {:?}",
                        v.violations
                            .iter()
                            .map(|x| (&x.location, &x.rule))
                            .collect::<Vec<_>>(),
                        v.unreadable
                    ));
                }
            }
            Ok(v) => {
                invalid += 1;
                if v.violations.is_empty() {
                    wrong.push(format!("{name}: expected schema violations, got none"));
                }
            }
            Err(e) => wrong.push(format!("{name}: could not be validated: {e}")),
        }
    }
    assert!(
        valid > 400 && invalid > 250,
        "{valid} valid, {invalid} invalid"
    );
    assert!(
        wrong.is_empty(),
        "{} of {} files:\n{}",
        wrong.len(),
        files.len(),
        wrong.join("\n")
    );
}
