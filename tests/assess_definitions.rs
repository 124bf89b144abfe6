//! Checklist definitions through the real binary: every validation error has its own fixture in
//! tests/fixtures/assess/bad/ (the minimal definition with one thing wrong) and is reported as
//! `file:line:column: message` with exit code 2; the shipped checklists validate.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/assess")
        .join(name)
}

fn validate(file: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .args(["assess", "validate"])
        .arg(file)
        .env("NO_COLOR", "1")
        .env("ANBAO_LANG", "en")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (fixture, place, start of the message): the place is line:column, or empty for the file.
const CASES: &[(&str, &str, &str)] = &[
    (
        "answer-key-long",
        "46:1",
        "answer key must be one character, found 'xx'",
    ),
    ("answer-key-twice", "46:1", "answer key 'y' is used twice"),
    (
        "approval-level",
        "57:17",
        "approval_from must be a level from 1 to 5, found 6",
    ),
    ("asset-duplicate", "120:1", "asset 'app' is defined twice"),
    (
        "asset-value",
        "114:1",
        "asset 'app' value must be a level from 1 to 5, found 0",
    ),
    (
        "bad-role-id",
        "14:1",
        "role id 'Construction Unit' is not a unit name keys can sign",
    ),
    (
        "bands-backwards",
        "92:9",
        "[method.likelihood] band of level 2 runs backwards: [10, 6]",
    ),
    (
        "bands-four",
        "112:9",
        "[method.risk] bands must give five [low, high] ranges, one p",
    ),
    (
        "bands-overlap",
        "92:9",
        "[method.likelihood] bands of levels 2 and 3 overlap or are o",
    ),
    (
        "conforming-creates-risk",
        "22:1",
        "a 'conforming' answer cannot create a risk; only partly and ",
    ),
    (
        "duplicate-answer-id",
        "46:1",
        "answer 'no' is defined twice",
    ),
    (
        "duplicate-meaning",
        "46:1",
        "meaning 'partly' already has an answer; each meaning has exa",
    ),
    (
        "duplicate-role",
        "14:1",
        "role 'implementing' is defined twice",
    ),
    (
        "item-covers-without-derive",
        "150:17",
        "item 'T-02' sets derive_covers without a derive source",
    ),
    (
        "item-id-duplicate",
        "142:6",
        "item id 'T-01' is used twice (first on line 131)",
    ),
    (
        "item-id-space",
        "142:6",
        "item id 'T 02' must be non-empty, without spaces, and not 'a",
    ),
    (
        "item-importance",
        "150:14",
        "unknown variant `vital`, expected `key` or `normal`",
    ),
    (
        "item-min-level",
        "149:13",
        "item 'T-02' min_level must be a level from 1 to 5, found 0",
    ),
    (
        "item-no-clause",
        "144:11",
        "item 'T-02' cites no clause; every item names the clause it ",
    ),
    (
        "item-same-role",
        "148:16",
        "item 'T-02' is answered and confirmed by the same role 'cons",
    ),
    (
        "item-severity",
        "151:55",
        "item 'T-02' risk severity must be a level from 1 to 5, found",
    ),
    (
        "item-unknown-asset",
        "151:18",
        "item 'T-02' risk names asset 'database', which no [[asset]] ",
    ),
    (
        "item-unknown-derive",
        "150:10",
        "item 'T-02' derives from unknown source 'weather.sunny'; kno",
    ),
    (
        "item-unknown-role",
        "147:15",
        "item 'T-02' is answered by 'contractor', which is not a role",
    ),
    (
        "item-unknown-section",
        "143:11",
        "item 'T-02' names section 'mgmt', which no [[section]] defin",
    ),
    (
        "item-unknown-threat",
        "151:34",
        "item 'T-02' risk names threat 'flood', which no [[threat]] d",
    ),
    (
        "item-weight",
        "150:10",
        "item 'T-02' weight must be 1 to 10, found 11",
    ),
    (
        "level-names-four",
        "58:15",
        "level_names must name the five risk levels, found 4",
    ),
    (
        "matrix-missing",
        "94:1",
        "[method.impact] needs a 5 × 5 matrix under the matrix metho",
    ),
    (
        "matrix-shape",
        "95:10",
        "[method.impact] matrix must be 5 rows of 5 values, found row",
    ),
    (
        "matrix-with-product",
        "85:10",
        "[method.likelihood] has a matrix, but the calculation is 'pr",
    ),
    (
        "missing-meaning",
        "38:1",
        "the answer scale lacks an [[answer]] with meaning 'not-appli",
    ),
    ("missing-question", "131:1", "missing field `question`"),
    ("no-items", "", "the checklist has no [[item]]s"),
    (
        "one-role",
        "9:1",
        "a joint assessment has exactly two [[role]]s (the implementi",
    ),
    (
        "protection-level",
        "8:20",
        "[checklist] protection_level must be a level from 1 to 5, fo",
    ),
    (
        "scale-gap",
        "62:9",
        "the asset scale must list levels 1, 2, 3, 4, 5 in order, fou",
    ),
    (
        "section-duplicate",
        "131:1",
        "section 'tech' is defined twice",
    ),
    ("section-empty", "131:1", "section 'mgmt' has no items"),
    (
        "section-unknown-condition",
        "130:16",
        "section 'tech' applies when 'cloud', which no [[condition]] declares",
    ),
    (
        "condition-duplicate",
        "132:1",
        "condition 'cloud' is defined twice",
    ),
    (
        "item-unknown-condition",
        "150:16",
        "item 'T-02' applies when 'offline', which no [[condition]] declares; declared: cloud",
    ),
    (
        "signoff-rule",
        "20:8",
        "unknown variant `one`, expected `both`",
    ),
    (
        "syntax-error",
        "5:15",
        "invalid basic string, expected `\"`",
    ),
    (
        "threat-duplicate",
        "126:1",
        "threat 'attack' is defined twice",
    ),
    (
        "threat-frequency",
        "120:1",
        "threat 'attack' frequency must be a level from 1 to 5, found",
    ),
    (
        "three-roles",
        "19:1",
        "a joint assessment has exactly two [[role]]s (the implementi",
    ),
    (
        "unknown-calculation",
        "56:15",
        "unknown variant `average`, expected one of `matrix`, `produc",
    ),
    (
        "unknown-key",
        "8:1",
        "unknown field `colour`, expected one of `id`, `version`, `ti",
    ),
    (
        "value-outside-bands",
        "92:9",
        "[method.likelihood] value 25 (row 5, column 5) falls in no b",
    ),
    (
        "version-zero",
        "4:11",
        "version must be a whole number from 1 up, found 0",
    ),
];

#[test]
fn every_validation_error_names_file_place_and_problem() {
    let dir = fixture("bad");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<String> = CASES.iter().map(|c| format!("{}.toml", c.0)).collect();
    assert_eq!(files.len(), listed.len(), "one case per fixture: {files:?}");
    for (name, place, message) in CASES {
        let file = dir.join(format!("{name}.toml"));
        let (code, stdout, stderr) = validate(&file);
        assert_eq!(code, 2, "{name}: {stdout}{stderr}");
        let expected = if place.is_empty() {
            format!("{}: {message}", file.display())
        } else {
            format!("{}:{place}: {message}", file.display())
        };
        assert!(
            stderr.contains(&expected),
            "{name}:\n  expected {expected}\n  got {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
    }
}

#[test]
fn the_minimal_definition_is_valid() {
    let (code, stdout, stderr) = validate(&fixture("minimal.toml"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("minimal v1, 2 items"), "{stdout}");
}

#[test]
fn the_shipped_checklists_validate_and_cover_what_the_issue_asks() {
    use anbao::assessment::Checklist;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let joint = Checklist::load(&root.join("checklists/level3-joint-assessment.toml")).unwrap();
    assert_eq!(joint.items.len(), 101);
    // The ten GB/T 22239 families, the cloud computing extension and the measures' section.
    assert_eq!(joint.sections.len(), 12);
    for s in &joint.sections {
        assert!(joint.items.iter().any(|i| i.section == s.id), "{}", s.id);
    }
    for source in anbao::assessment::derived::sources() {
        assert!(
            joint
                .items
                .iter()
                .any(|i| i.derive.as_deref() == Some(source)),
            "no item derives from {source}"
        );
    }
    let pre = Checklist::load(&root.join("checklists/pre-acceptance.toml")).unwrap();
    assert_eq!(pre.items.len(), 22);
    for c in [&joint, &pre] {
        for i in &c.items {
            assert!(
                i.clauses.iter().any(|cl| cl.contains("GB/T")
                    || cl.contains("管理办法")
                    || cl.contains("网络安全法")
                    || cl.contains("条例")),
                "{} cites no clause",
                i.id
            );
            assert!(
                !i.question_en.is_empty() && !i.question.is_empty(),
                "{}",
                i.id
            );
            assert!(
                i.confirmed_by.is_some(),
                "{}: the other unit confirms",
                i.id
            );
        }
    }
}

#[test]
fn the_level3_checklist_has_the_cloud_extension_the_missing_controls_and_the_crypto_assessment() {
    use anbao::assessment::{Checklist, Session};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cl = Checklist::load(&root.join("checklists/level3-joint-assessment.toml")).unwrap();
    let ids = |section: &str| -> Vec<String> {
        cl.items
            .iter()
            .filter(|i| i.section == section)
            .map(|i| i.id.clone())
            .collect()
    };
    // The cloud computing extension of GB/T 22239-2019 (8.2), 14 items, all conditional on the
    // system running on the government cloud.
    let cloud: Vec<String> = (1..=14).map(|n| format!("CC-{n:02}")).collect();
    assert_eq!(ids("cloud"), cloud);
    assert_eq!(
        cl.section("cloud").unwrap().applies_when.as_deref(),
        Some("gov-cloud")
    );
    assert!(cl.items.iter().filter(|i| i.section == "cloud").all(|i| {
        i.applies_when.as_deref() == Some("gov-cloud") && i.clauses[0].contains(" 8.2.")
    }));
    // The level-3 controls that were missing, each with the control point it rests on.
    for (id, clause) in [
        ("PE-07", "8.1.1.3"),  // theft and damage
        ("PE-08", "8.1.1.4"),  // lightning
        ("AB-07", "8.1.3.2"),  // session state, application-level access control
        ("AB-08", "8.1.3.3"),  // analysis of new kinds of attack
        ("AB-09", "8.1.3.5"),  // separate audit of remote access
        ("CE-17", "8.1.4.3"),  // protection of the audit process
        ("MC-04", "8.1.5.3"),  // the security administrator
        ("BM-10", "8.1.9.4"),  // in-house development
        ("OM-11", "8.1.10.1"), // environment
        ("OM-12", "8.1.10.3"), // media
        ("OM-13", "8.1.10.4"), // equipment maintenance
        ("OM-14", "8.1.10.7"), // malware-prevention management
    ] {
        let item = cl.item(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(
            item.clauses.iter().any(|c| c.ends_with(clause)),
            "{id}: {:?}",
            item.clauses
        );
    }
    // The commercial cryptography assessment itself, not a plan.
    let bm11 = cl.item("BM-11").unwrap();
    assert!(bm11.clauses.iter().any(|c| c.contains("商用密码管理条例")));
    assert!(bm11.clauses.iter().any(|c| c.contains("39786")));
    // Corrections: six months is the Cybersecurity Law, two factors are for users, trusted
    // verification is optional at level 3, cloud first is chapter 5.
    let ab06 = cl.item("AB-06").unwrap();
    assert!(ab06.clauses.iter().any(|c| c.contains("网络安全法")));
    assert!(cl
        .item("CE-02")
        .unwrap()
        .question_en
        .contains("not only administrators"));
    assert!(cl.item("CN-04").unwrap().guidance_en.contains("optional"));
    assert!(cl.item("MS-01").unwrap().clauses[0].contains("第五章"));
    assert!(cl.basis[0].contains("忻州市政务信息化项目建设应用管理办法"));
    let threat = &cl.method.threat[2];
    assert!(
        threat.description.contains("每半年发生一次以上"),
        "{}",
        threat.description
    );

    // Applicability: on the government cloud by default; a session that says otherwise leaves
    // the 14 cloud items out, and answering one is refused.
    let on = Session::new(&cl, "f".into(), "s".into(), 3, String::new(), "t".into());
    assert_eq!(on.applicable(&cl).count(), 101);
    let mut off = on.clone();
    off.conditions.insert("gov-cloud".into(), false);
    assert_eq!(off.applicable(&cl).count(), 87);
    assert!(!off.applicable(&cl).any(|i| i.section == "cloud"));
}
