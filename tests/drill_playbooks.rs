//! Every way a playbook file can be wrong, one fixture per case under
//! tests/fixtures/drill/playbooks/, each with the exact place and message users see.

use anbao::drill::classes::Classes;
use anbao::drill::playbook;
use std::path::Path;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drill")
}

/// (fixture, place, message): the place is `LINE:COLUMN`, or empty for the file as a whole.
const CASES: &[(&str, &str, &str)] = &[
    ("Bad_Id", "1:6", "playbook id 'Bad_Id' must be lower-case letters, digits and '-'"),
    ("bad-content", "5:11", "'content' must be one of comprehensive, special, found 'partial'"),
    ("bad-form", "4:8", "'form' must be one of tabletop, hands-on, demonstration, found 'table-top'"),
    ("bad-grade", "8:9", "'grade' must be one of I, II, III, IV, found '3'"),
    ("bad-operator", "9:12", "'operator' must be one of cii, central-organ, other, found 'government'"),
    ("bad-team", "21:8", "'team' must be one of leading, command, management, technical, evaluation, implementation, support, found 'techies'"),
    ("blank-text", "3:11", "'summary' has no 'en' text"),
    ("duplicate-objective", "31:6", "objective 'contain' is defined twice"),
    ("duplicate-role", "20:6", "role 'commander' is defined twice"),
    ("duplicate-step", "44:6", "step 'isolate' is defined twice"),
    ("id-not-file-name", "1:6", "playbook id 'another-name' must match the file name 'id-not-file-name.toml'"),
    ("missing-scenario", "1:1", "missing field `scenario`"),
    ("negative-target", "38:18", "invalid value: integer `-5`, expected u32"),
    ("no-cites", "10:9", "'cites' must name at least one clause the playbook follows"),
    ("no-objectives", "", "a playbook needs at least one [[objective]]"),
    ("no-report-step", "", "a grade III incident must be reported: mark the reporting step with report = true"),
    ("no-roles", "", "a playbook needs at least one [[role]]"),
    ("no-steps", "", "a playbook needs at least one [[step]]"),
    ("objective-not-exercised", "31:6", "objective 'report' is exercised by no step"),
    ("report-too-late", "46:18", "report step 'report-cac' is due at minute 150, after the 120 minutes within which an operator of kind 'central-organ' must report a grade III incident to the cyberspace-affairs office of its own department"),
    ("retired-operator", "9:12", "'state-organ' is no longer accepted: the 2-hour clock of article 4 belongs to departments of the central Party and state organs and their directly affiliated units ('central-organ'); a city or county body is 'other' (4 hours, provincial cyberspace office) unless it runs critical information infrastructure ('cii')"),
    ("steps-out-of-order", "46:18", "step 'report-cac' is due at minute 20, before the step before it ('isolate', minute 30); list steps in time order"),
    ("subcategory-not-in-category", "7:15", "sub-category 'NAI-DOS' is not in category 'MI'; its sub-categories: MI-RW, MI-TH"),
    ("syntax-error", "4:17", "invalid basic string, expected `\"`"),
    ("target-not-a-number", "38:18", "invalid type: string \"half an hour\", expected u32"),
    ("unknown-category", "6:12", "unknown incident category 'XX'; known: MI, NAI, DSI, ICSI, FF, VOI, SHI, ABI, FMI, OI (see checklists/incident-classes.toml)"),
    ("unknown-key", "6:1", "unknown field `colour`, expected one of `id`, `title`, `summary`, `form`, `content`, `category`, `subcategory`, `grade`, `operator`, `cites`, `scenario`, `role`, `objective`, `step`"),
    ("unknown-step-objective", "49:15", "step 'report-cac' names objective 'recover', which no [[objective]] defines"),
    ("unknown-step-role", "45:8", "step 'report-cac' names role 'press', which no [[role]] defines"),
];

#[test]
fn every_bad_playbook_is_reported_with_its_place() {
    let classes = Classes::builtin();
    for (name, place, message) in CASES {
        let path = dir().join(format!("playbooks/{name}.toml"));
        let err = playbook::load(&path, &classes).expect_err(name);
        let expected = if place.is_empty() {
            format!("{}: {message}", path.display())
        } else {
            format!("{}:{place}: {message}", path.display())
        };
        assert_eq!(err.to_string(), expected, "{name}");
    }
}

#[test]
fn every_fixture_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(dir().join("playbooks"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut cases: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    cases.sort();
    assert_eq!(files, cases);
}

#[test]
fn the_fixtures_differ_from_a_valid_playbook_only_in_their_fault() {
    let p = playbook::load(&dir().join("valid-playbook.toml"), &Classes::builtin()).unwrap();
    assert_eq!(p.report_clock(), Some(240));
    let clock = p.reporting_clock();
    assert_eq!((clock.hours, clock.mandatory), (4, true));
    assert!(clock.recipient.zh.contains("属地省级网信部门"));
    assert_eq!(p.steps.len(), 2);
}
