//! The provisional calendar through the real binary on a copy of the demo workspace: a filing
//! deadline that runs into 2027 (whose official holidays are not known) is computed over Monday
//! to Friday and marked provisional in the table, Markdown, JSON and both languages; adding
//! 2027 with `anbao calendar set` makes it final; a drill deadline in 2027 likewise.

mod common;

use assert_cmd::Command;
use common::copy_dir;
use std::path::Path;

/// The demo workspace (tracked files only), with acceptance completed on 15 December 2026.
fn workspace() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(root.join("anbao.toml"))
        .unwrap()
        .replace(
            "acceptance_completed = 2026-11-10",
            "acceptance_completed = 2026-12-15",
        );
    std::fs::write(ws.path().join("anbao.toml"), manifest).unwrap();
    for dir in ["checklists", "inventories", "playbooks"] {
        copy_dir(&root.join(dir), &ws.path().join(dir));
    }
    std::fs::create_dir_all(ws.path().join("drills")).unwrap();
    ws
}

fn run(ws: &Path, lang: &str, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("anbao")
        .unwrap()
        .arg("-C")
        .arg(ws)
        .args(args)
        .env("NO_COLOR", "1")
        .env("ANBAO_LANG", lang)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn report_deadline(ws: &Path) -> serde_json::Value {
    let (_, out) = run(
        ws,
        "en",
        &["check", "--as-of", "2026-12-16", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "acceptance-report-filing")
        .unwrap()
        .clone()
}

#[test]
fn a_deadline_in_an_unknown_year_is_provisional_until_the_year_is_added() {
    let ws = workspace();
    let d = report_deadline(ws.path());
    // 12 working days left in 2026 after the 15th, then 18 weekdays of 2027.
    assert_eq!(d["due"], "2027-01-26", "{d}");
    assert_eq!(d["provisional"], true);
    assert_eq!(d["provisional_years"], serde_json::json!([2027]));
    let (_, en) = run(ws.path(), "en", &["check", "--as-of", "2026-12-16"]);
    assert!(
        en.contains("[PROVISIONAL: the official holidays of 2027 are not known"),
        "{en}"
    );
    let (_, zh) = run(ws.path(), "zh", &["check", "--as-of", "2026-12-16"]);
    assert!(zh.contains("【临时推算：2027 年节假日安排未知"), "{zh}");
    let (_, md) = run(
        ws.path(),
        "en",
        &["check", "--as-of", "2026-12-16", "--format", "markdown"],
    );
    assert!(md.contains("PROVISIONAL"), "{md}");

    // The workspace adds 2027 (a test schedule, not the official one): the date is final and
    // moves past the added holiday.
    let (code, out) = run(
        ws.path(),
        "en",
        &[
            "calendar",
            "set",
            "2027",
            "--source",
            "test schedule, not an official notice",
            "--holiday",
            "test=2027-01-25..2027-01-26",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let d = report_deadline(ws.path());
    assert_eq!(d["provisional"], false, "{d}");
    assert_eq!(d["due"], "2027-01-28");
    let (_, list) = run(ws.path(), "en", &["calendar"]);
    assert!(
        list.contains("2025") && list.contains("2026") && list.contains("2027"),
        "{list}"
    );
    assert!(list.contains("checklists/calendar-cn.toml"), "{list}");
    // A bad year is refused and the file is left as it was.
    let before = std::fs::read_to_string(ws.path().join("checklists/calendar-cn.toml")).unwrap();
    let (code, out) = run(
        ws.path(),
        "en",
        &[
            "calendar",
            "set",
            "2028",
            "--source",
            "x",
            "--holiday",
            "x=2028-02-03..2028-02-01",
        ],
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("checklists/calendar-cn.toml")).unwrap(),
        before
    );
}

#[test]
fn a_drill_deadline_in_an_unknown_year_is_provisional() {
    let ws = workspace();
    let plan = "year = 2027\nunit = \"implementing\"\nprepared = 2026-11-20\nworking_days = true\nremind_days = 10\n\n[[item]]\nid = \"ransomware\"\nplaybook = \"ransomware-gov-server\"\npurpose = { zh = \"目的\", en = \"purpose\" }\nrecurrence = \"half-yearly\"\nunits = [\"implementing\"]\nscope = \"organisation\"\nbudgeted = true\n";
    std::fs::write(ws.path().join("drills/plan-2027.toml"), plan).unwrap();
    let (_, en) = run(
        ws.path(),
        "en",
        &["drill", "plan", "--year", "2027", "--as-of", "2026-12-07"],
    );
    assert!(en.contains("2027-06-30 (provisional)"), "{en}");
    let (_, zh) = run(
        ws.path(),
        "zh",
        &["drill", "plan", "--year", "2027", "--as-of", "2026-12-07"],
    );
    assert!(zh.contains("2027-06-30（临时推算）"), "{zh}");
    let (_, json) = run(
        ws.path(),
        "en",
        &[
            "drill",
            "plan",
            "--year",
            "2027",
            "--as-of",
            "2026-12-07",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["occurrences"][0]["provisional"], true, "{v}");
    assert_eq!(
        v["occurrences"][0]["provisional_years"],
        serde_json::json!([2027])
    );
}
