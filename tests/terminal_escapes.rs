//! Text from inputs never reaches a terminal, a Markdown or an HTML report as a live control
//! sequence. The fixture's names and suppliers carry an OSC 0 window title, CSI 2J (clear the
//! screen), an OSC 8 hyperlink, SGR 8 (hidden text), C1 controls (U+009B, U+009D) and a
//! right-to-left override; the project name, an assessment note, a drill observation and a
//! ledger record body carry more. With colour forced on, the only escape sequences on standard
//! output are anbao's own colours, and a supplier holding the very bytes of one of them (SGR 32,
//! green) has it escaped.

mod common;

use common::Anbao;
use std::path::Path;

const AS_OF: &str = "2026-11-28";

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/escape-sequences.cdx.json")
}

/// What a terminal would act on: control characters other than newline and tab, except one of
/// anbao's own SGR sequences (reset, bold, dim, red, green, yellow) when `colours` allows them;
/// also the bidi overrides that reorder what is shown.
fn live_controls(text: &str, colours: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\x1b' && colours && chars.get(i + 1) == Some(&'[') {
            let mut j = i + 2;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ';') {
                j += 1;
            }
            let params: String = chars[i + 2..j].iter().collect();
            let own = params
                .split(';')
                .all(|p| ["0", "1", "2", "31", "32", "33"].contains(&p));
            if chars.get(j) == Some(&'m') && own {
                i = j + 1;
                continue;
            }
        }
        let hazard = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if hazard {
            let context: String = chars[i.saturating_sub(20)..(i + 20).min(chars.len())]
                .iter()
                .collect();
            found.push(format!("U+{:04X} in {context:?}", c as u32));
        }
        i += 1;
    }
    found
}

/// Standard output of a command that must succeed, with `--color always` in effect when it
/// is given (`NO_COLOR`, which the test runner sets, would turn it off).
fn out(env: &Anbao, args: &[&str]) -> String {
    let out = env.command(args).env_remove("NO_COLOR").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_inert(what: &str, text: &str, colours: bool) {
    let live = live_controls(text, colours);
    assert!(
        live.is_empty(),
        "{what}: live control characters: {live:#?}"
    );
}

/// The demo with the hostile SBOM among its inventories and a hostile project name.
fn hostile_demo() -> Anbao {
    let env = Anbao::demo();
    std::fs::copy(fixture(), env.path("inventories/escape-sequences.cdx.json")).unwrap();
    let manifest = std::fs::read_to_string(env.path("anbao.toml")).unwrap();
    let manifest = manifest.replacen(
        "name = \"忻州市一体化政务服务平台（示例）\"",
        "name = \"平台\\u001b]0;retitled\\u0007\\u001b[2J（示例）\"",
        1,
    );
    std::fs::write(env.path("anbao.toml"), manifest).unwrap();
    env
}

#[test]
fn inventory_list_and_show_print_names_and_suppliers_inert() {
    let env = Anbao::demo();
    let file = fixture();
    let file = file.to_str().unwrap();
    let list = out(&env, &["--color", "always", "inventory", "list", file]);
    assert_inert("inventory list", &list, true);
    assert!(list.contains("screen-clear"), "{list}");
    // The sequences are shown, escaped, so a reader sees what the SBOM holds.
    assert!(list.contains(r"\u001b[2J"), "{list}");
    assert!(list.contains(r"Green Ltd\u001b[32m\u001b[1m"), "{list}");
    for reference in ["portal", "clear", "link", "c1", "bidi"] {
        let show = out(
            &env,
            &["--color", "always", "inventory", "show", reference, file],
        );
        assert_inert(&format!("inventory show {reference}"), &show, true);
    }
    let show = env.ok(&["inventory", "show", "link", file]);
    assert!(show.contains(r"\u001b]8;;https://evil.example/"), "{show}");
    let show = out(
        &env,
        &["--color", "always", "inventory", "show", "bidi", file],
    );
    assert!(show.contains(r"Green Ltd\u001b[32m\u001b[1m"), "{show}");
}

#[test]
fn check_in_every_human_format_is_inert() {
    let env = hostile_demo();
    for (format, colours) in [("table", true), ("markdown", false), ("html", false)] {
        let output = env
            .command(&[
                "--color", "always", "--lang", "zh", "check", "--as-of", AS_OF, "--all",
                "--format", format,
            ])
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let out = String::from_utf8(output.stdout).unwrap();
        assert_inert(&format!("check --format {format}"), &out, colours);
        assert!(out.contains("retitled"), "{format}: {out}");
    }
}

/// A report written to a file, as it will be opened in an editor or a browser.
fn report_file(env: &Anbao, args: &[&str]) -> String {
    let path = env.path("report.out");
    let mut args = args.to_vec();
    args.extend(["-o", path.to_str().unwrap()]);
    env.ok(&args);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn assessment_reports_and_status_are_inert() {
    let env = hostile_demo();
    env.ok(&[
        "assess",
        "new",
        "level3-joint",
        "--id",
        "s1",
        "--scope",
        "平台\u{1b}[2J\u{9b}31m",
    ]);
    env.ok(&[
        "assess",
        "answer",
        "s1",
        "MS-05",
        "no",
        "--role",
        "construction",
        "--person",
        "王\u{1b}]0;owned\u{7}科长",
        "--note",
        "checked\u{1b}[2J\u{9b}31m on site \u{1b}]8;;https://evil.example/\u{1b}\\here\u{1b}]8;;\u{1b}\\",
    ]);
    env.ok(&[
        "assess",
        "confirm",
        "s1",
        "MS-05",
        "--role",
        "implementing",
        "--person",
        "李\u{9b}2J",
        "--note",
        "ok\u{1b}]0;x\u{7}",
    ]);
    let status = out(&env, &["--color", "always", "assess", "status", "s1"]);
    assert_inert("assess status", &status, true);
    for format in ["markdown", "html"] {
        let report = report_file(&env, &["assess", "report", "s1", "--format", format]);
        assert_inert(&format!("assess report --format {format}"), &report, false);
        assert!(report.contains("checked"), "{report}");
    }
}

#[test]
fn drill_and_ledger_views_are_inert() {
    let env = hostile_demo();
    let key = env.key("implementing");
    env.ok(&[
        "drill",
        "start",
        "portal-defacement",
        "--place",
        "机房\u{1b}[2J",
        "--at",
        "2026-11-20T20:30:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "observe",
        "页面被篡改\u{1b}]0;retitled\u{7}\u{9b}2J",
        "--at",
        "2026-11-20T20:35:00+08:00",
    ]);
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "note",
        "--body",
        "{\"text\":\"\\u001b]0;retitled\\u0007\\u001b[2J\\u009b31m\"}",
        "--key",
        key.to_str().unwrap(),
    ]);
    for args in [
        vec!["--color", "always", "drill", "show"],
        vec!["--color", "always", "ledger", "list"],
        vec!["--color", "always", "ledger", "show", "0"],
    ] {
        let text = out(&env, &args);
        assert_inert(&format!("{args:?}"), &text, true);
    }
    for format in ["markdown", "html"] {
        let run = "portal-defacement-20261120";
        let report = report_file(&env, &["drill", "report", "--run", run, "--format", format]);
        assert_inert(&format!("drill report --format {format}"), &report, false);
        assert!(report.contains("retitled"), "{report}");
    }
}

#[test]
fn error_messages_quoting_input_are_inert() {
    let env = Anbao::demo();
    let file = fixture();
    let output = env
        .command(&[
            "--color",
            "always",
            "inventory",
            "show",
            "\u{1b}]0;retitled\u{7}nothing",
            file.to_str().unwrap(),
        ])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert_inert("error", &err, true);
}

#[test]
fn the_calendar_and_what_it_writes_are_inert() {
    let env = Anbao::demo();
    let hostile = "notice\u{1b}]0;retitled\u{7}\u{1b}[2J\u{1b}]8;;https://evil.example/\u{1b}\\";
    let set = out(
        &env,
        &[
            "--color",
            "always",
            "calendar",
            "set",
            "2031",
            "--source",
            hostile,
            "--holiday",
            "节\u{9b}2J=2031-01-01",
        ],
    );
    assert_inert("calendar set", &set, true);
    for format in ["table", "json"] {
        let list = out(&env, &["--color", "always", "calendar", "--format", format]);
        assert_inert(&format!("calendar --format {format}"), &list, true);
        assert!(list.contains("2031") && list.contains("retitled"), "{list}");
    }
}
