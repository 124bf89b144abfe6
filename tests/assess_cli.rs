//! `anbao assess` end to end through the real binary on a copy of the demo workspace: answers,
//! imports, confirmations, the risk register, the one-signature state, the two-party sign-off
//! verified by `anbao ledger verify`, superseding, reports in both languages (the HTML one
//! rendered by headless Chromium where installed), and resuming after killed processes.

mod common;

use anbao::assessment::Checklist;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

struct Env {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

const AS_OF: &str = "2026-11-28";

impl Env {
    /// A copy of the demo workspace (the repository root) and an empty home for keys.
    fn demo() -> Env {
        Env {
            ws: common::demo::demo_copy(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, lang: &str, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("anbao")
            .unwrap()
            .arg("-C")
            .arg(self.ws.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("ANBAO_LANG", lang)
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env_remove("ANBAO_KEY")
            .env_remove("ANBAO_ROLE")
            .env_remove("ANBAO_PERSON")
            .output()
            .unwrap()
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd("en", args);
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    fn fails(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(
            code, 2,
            "{args:?} should fail\nstdout: {out}\nstderr: {err}"
        );
        err
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Makes a key for `unit` in the temporary home (trusted by the workspace).
    fn key(&self, unit: &str) -> PathBuf {
        let path = self.home.path().join(format!("{unit}.key"));
        self.ok(&[
            "keys",
            "new",
            "--unit",
            unit,
            "--out",
            path.to_str().unwrap(),
        ]);
        path
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.ws.path().join(rel)
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes one CSV per role answering every item `yes`, except those in `skip` and `partly`
/// for the items in `partly`.
fn answer_sheets(env: &Env, skip: &[&str], partly: &[&str]) -> (PathBuf, PathBuf) {
    let cl = Checklist::load(&env.path("checklists/level3-joint-assessment.toml")).unwrap();
    let mut construction = String::from("item,answer,note,evidence\n");
    let mut implementing = String::from("item,answer,note,person\n");
    for item in &cl.items {
        if skip.contains(&item.id.as_str()) {
            continue;
        }
        let answer = if partly.contains(&item.id.as_str()) {
            "partly"
        } else {
            "yes"
        };
        if item.answered_by == "construction" {
            let evidence = if item.id == "CE-08" { "scan.txt" } else { "" };
            construction.push_str(&format!(
                "{},{answer},checked on site,{evidence}\n",
                item.id
            ));
        } else {
            implementing.push_str(&format!(
                "{},{answer},\"reviewed, filed\",王科长\n",
                item.id
            ));
        }
    }
    let c = env.path("answers-construction.csv");
    let i = env.path("answers-implementing.toml.csv");
    std::fs::write(&c, construction).unwrap();
    std::fs::write(&i, implementing).unwrap();
    std::fs::write(
        env.path("scan.txt"),
        "vulnerability scan 2026-11: 1 medium open\n",
    )
    .unwrap();
    (c, i)
}

/// Runs a session `id` up to the point where both units can sign; returns the keys.
fn ready_session(env: &Env, id: &str) -> (PathBuf, PathBuf) {
    let implementing = env.key("implementing");
    let construction = env.key("construction");
    env.ok(&[
        "assess",
        "new",
        "level3-joint",
        "--id",
        id,
        "--scope",
        "platform",
    ]);
    // The acceptance check of the demo fails on purpose, so anbao offers "not conforming".
    let out = env.ok(&[
        "assess",
        "answer",
        id,
        "MS-05",
        "--derived",
        "--role",
        "construction",
        "--person",
        "李工",
        "--as-of",
        AS_OF,
    ]);
    assert!(
        out.contains("Not conforming") && out.contains("acceptance check as of 2026-11-28"),
        "{out}"
    );
    env.ok(&[
        "assess",
        "answer",
        id,
        "CE-02",
        "no",
        "--role",
        "construction",
        "--person",
        "李工",
        "--note",
        "passwords only",
        "--evidence",
        s(&env.path("anbao.toml")),
    ]);
    let (c, i) = answer_sheets(env, &["MS-05", "CE-02"], &["CE-08"]);
    env.ok(&[
        "assess",
        "import",
        id,
        s(&c),
        "--role",
        "construction",
        "--person",
        "李工",
    ]);
    env.ok(&[
        "assess",
        "import",
        id,
        s(&i),
        "--role",
        "implementing",
        "--person",
        "王科长",
    ]);
    env.ok(&[
        "assess",
        "confirm",
        id,
        "all",
        "--role",
        "implementing",
        "--person",
        "王科长",
    ]);
    env.ok(&[
        "assess",
        "confirm",
        id,
        "all",
        "--role",
        "construction",
        "--person",
        "李工",
    ]);
    // Risks need a treatment; accepting a very high one needs an approver.
    let status = env.json(&["assess", "status", id, "--format", "json", "--as-of", AS_OF]);
    let blockers = status["blockers"].as_array().unwrap();
    assert_eq!(blockers.len(), 3, "{blockers:?}");
    assert!(blockers.iter().all(|b| b["kind"] == "no-treatment"));
    let err = env.fails(&[
        "assess",
        "risks",
        id,
        "MS-05",
        "--treatment",
        "accept",
        "--owner",
        "张",
    ]);
    assert!(err.contains("needs a named approver"), "{err}");
    env.ok(&[
        "assess",
        "risks",
        id,
        "MS-05",
        "--treatment",
        "accept",
        "--approver",
        "局长 赵",
        "--owner",
        "张",
        "--due",
        "2027-01-31",
        "--residual",
        "5",
    ]);
    env.ok(&[
        "assess",
        "risks",
        id,
        "CE-02",
        "--treatment",
        "mitigate",
        "--owner",
        "李工",
        "--due",
        "2026-12-31",
        "--residual",
        "2",
    ]);
    env.ok(&[
        "assess",
        "risks",
        id,
        "CE-08",
        "--treatment",
        "transfer",
        "--owner",
        "李工",
        "--residual",
        "2",
    ]);
    (implementing, construction)
}

#[test]
fn a_whole_assessment_is_signed_by_both_units_and_verifies() {
    let env = Env::demo();
    let (implementing, construction) = ready_session(&env, "demo");

    let risks = env.json(&["assess", "risks", "demo", "--format", "json"]);
    let levels: Vec<(String, u64)> = risks["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["item"].as_str().unwrap().to_string(),
                r["score"]["risk"].as_u64().unwrap(),
            )
        })
        .collect();
    // With the shipped matrices: CE-02 (asset 5, threat 4, severity 5): L (4,5) = 22 → 5,
    // I (5,5) = 25 → 5, R (5,5) = 25 → 5. CE-08 partly: severity 5 - 1 = 4 with asset 4,
    // threat 4: L (4,4) = 18 → 4, I (4,4) = 19 → 4, R (4,4) = 20 → 4. MS-05 (asset 4,
    // threat 2, severity 5): L (2,5) = 17 → 4, I (4,5) = 22 → 5, R (4,5) = 23 → 5.
    assert_eq!(
        levels,
        vec![
            ("CE-02".into(), 5),
            ("CE-08".into(), 4),
            ("MS-05".into(), 5)
        ]
    );

    // First signature: the record is in the ledger, awaiting the other unit.
    let first = env.json(&[
        "assess",
        "sign",
        "demo",
        "--key",
        s(&implementing),
        "--format",
        "json",
    ]);
    assert_eq!(first["signoff"]["state"], "awaiting", "{first}");
    assert_eq!(
        first["signoff"]["missing"],
        serde_json::json!(["construction"])
    );
    let status = env.ok(&["assess", "status", "demo", "--as-of", AS_OF]);
    // Units are named as the checklist names them, never by their ids.
    assert!(status.contains("awaiting Construction unit"), "{status}");
    let md = env.ok(&["assess", "report", "demo"]);
    assert!(
        md.contains("awaiting Construction unit") && md.contains("| awaiting |"),
        "{md}"
    );
    // Read-only from the first signature on.
    let err = env.fails(&[
        "assess",
        "answer",
        "demo",
        "PE-01",
        "no",
        "--role",
        "construction",
        "--person",
        "x",
    ]);
    assert!(
        err.contains("read-only") && err.contains("--supersedes demo"),
        "{err}"
    );
    let err = env.fails(&["assess", "sign", "demo", "--key", s(&implementing)]);
    assert!(err.contains("already signed"), "{err}");

    // The second signature completes it; the ledger verifies.
    let second = env.json(&[
        "assess",
        "sign",
        "demo",
        "--key",
        s(&construction),
        "--format",
        "json",
    ]);
    assert_eq!(second["signoff"]["state"], "signed", "{second}");
    let (code, out, err) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    let list = env.json(&["ledger", "list", "--format", "json"]);
    let records = list["records"].as_array().unwrap();
    // Records 0 and 1 enrol the two units' keys.
    assert_eq!(records[2]["kind"], "assessment.signoff");
    assert_eq!(
        records[2]["signed_by"],
        serde_json::json!(["construction", "implementing"])
    );
    assert_eq!(records[2]["awaiting"], serde_json::json!([]));
    assert_eq!(records[3]["kind"], "cosign");
    // The record pins the checklist definition and the evidence by hash.
    let show = env.json(&["ledger", "show", "2", "--format", "json"]);
    let text = show.to_string();
    let cl = Checklist::load(&env.path("checklists/level3-joint-assessment.toml")).unwrap();
    assert!(
        text.contains(cl.hash.trim_start_matches("sha256:")),
        "{text}"
    );
    assert!(
        text.contains("scan.txt") && text.contains("anbao.toml"),
        "{text}"
    );

    // Reports in both languages carry both key ids and the ledger position.
    let signatures = second["signoff"]["signatures"].as_array().unwrap();
    for lang in ["zh", "en"] {
        for format in ["markdown", "html", "json"] {
            let out = env.cmd(lang, &["assess", "report", "demo", "--format", format]);
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            for sig in signatures {
                assert!(
                    text.contains(sig["key_id"].as_str().unwrap()),
                    "{lang} {format}"
                );
            }
            if format != "json" {
                let heading = if lang == "zh" {
                    "风险热力图"
                } else {
                    "Risk heat map"
                };
                assert!(text.contains(heading), "{lang} {format}");
                assert!(
                    text.contains("CE-02") && text.contains("scan.txt"),
                    "{lang} {format}"
                );
            }
        }
    }
    let report = env.json(&["assess", "report", "demo", "--format", "json"]);
    assert_eq!(
        report["heat_map"][4][4], 1,
        "CE-02 at likelihood 5, impact 5"
    );
    assert_eq!(
        report["heat_map"][3][4], 1,
        "MS-05 at likelihood 4, impact 5"
    );
    assert_eq!(
        report["heat_map"][3][3], 1,
        "CE-08 at likelihood 4, impact 4"
    );
    assert_eq!(report["summary"]["not_conforming"], 2);

    // A change means a new, superseding assessment, signed by both keys at once here.
    env.ok(&[
        "assess",
        "new",
        "level3-joint",
        "--id",
        "demo-2",
        "--supersedes",
        "demo",
    ]);
    env.ok(&[
        "assess",
        "answer",
        "demo-2",
        "CE-02",
        "yes",
        "--role",
        "construction",
        "--person",
        "李工",
        "--note",
        "two-factor login now on",
    ]);
    env.ok(&[
        "assess",
        "confirm",
        "demo-2",
        "CE-02",
        "--role",
        "implementing",
        "--person",
        "王科长",
    ]);
    let both = env.json(&[
        "assess",
        "sign",
        "demo-2",
        "--key",
        s(&implementing),
        "--key",
        s(&construction),
        "--format",
        "json",
    ]);
    assert_eq!(both["signoff"]["state"], "signed", "{both}");
    let (code, out, err) = env.run(&["ledger", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    let show = env.json(&["ledger", "show", "4", "--format", "json"]);
    assert_eq!(show["record"]["entry"]["supersedes"]["seq"], "2");
    assert_eq!(
        show["record"]["entry"]["body"]["supersedes_session"],
        "demo"
    );
    let list = env.ok(&["assess", "list"]);
    assert!(
        list.contains("demo-2") && list.contains("signed by both units"),
        "{list}"
    );
}

#[test]
fn an_unfinished_session_cannot_be_signed_and_roles_are_enforced() {
    let env = Env::demo();
    let key = env.key("implementing");
    env.ok(&["assess", "new", "pre-acceptance", "--id", "p"]);
    let err = env.fails(&[
        "assess",
        "answer",
        "p",
        "PA-07",
        "yes",
        "--role",
        "implementing",
        "--person",
        "王",
    ]);
    assert!(err.contains("answered by construction"), "{err}");
    env.ok(&[
        "assess",
        "answer",
        "p",
        "PA-07",
        "yes",
        "--role",
        "construction",
        "--person",
        "李",
    ]);
    let err = env.fails(&[
        "assess",
        "confirm",
        "p",
        "PA-07",
        "--role",
        "construction",
        "--person",
        "李",
    ]);
    assert!(err.contains("confirmed by implementing"), "{err}");
    let err = env.fails(&["assess", "sign", "p", "--key", s(&key)]);
    assert!(err.contains("not ready to sign"), "{err}");
    let zh = env.cmd("zh", &["assess", "status", "p", "--as-of", AS_OF]);
    let zh = String::from_utf8(zh.stdout).unwrap();
    assert!(
        zh.contains("签署前待办") && zh.contains("待 implementing 确认"),
        "{zh}"
    );
    // A bad row in an import changes nothing.
    std::fs::write(env.path("bad.csv"), "item,answer\nPA-10,yes\nPA-99,yes\n").unwrap();
    let err = env.fails(&[
        "assess",
        "import",
        "p",
        s(&env.path("bad.csv")),
        "--role",
        "construction",
        "--person",
        "李",
    ]);
    assert!(err.contains("bad.csv:3") && err.contains("PA-99"), "{err}");
    let status = env.json(&[
        "assess", "status", "p", "--format", "json", "--as-of", AS_OF,
    ]);
    assert_eq!(status["progress"]["answered"], 1);
    // No drill on record, in a ledger begun today (with the key's enrolment): it cannot show
    // the last 12 months, so nothing is offered for the drilled-plans item, and the status
    // says why.
    let outcome = |env: &Env| derived(env, "p", "PA-21", None);
    let (offered, not_offered) = outcome(&env);
    assert!(offered.is_none(), "{offered:?}");
    let why = not_offered.unwrap();
    assert!(
        why["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("less than 12 months ago"),
        "{why}"
    );
    // A record of kind drill.finished that shows no drill held proves nothing ...
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "drill.finished",
        "--body",
        "{\"playbook\":\"ransomware\"}",
        "--key",
        s(&key),
    ]);
    assert!(outcome(&env).0.is_none());
    // ... one of a drill whose every step was carried out, signed by the unit, does.
    let body = serde_json::json!({
        "run": "ransomware-gov-server-20261118",
        "playbook": "ransomware-gov-server",
        "started": anbao::ledger::now_rfc3339(),
        "steps": [{"id": "detect", "status": "done"}, {"id": "debrief", "status": "skipped"}],
    });
    env.ok(&[
        "ledger",
        "append",
        "--kind",
        "drill.finished",
        "--body",
        &body.to_string(),
        "--key",
        s(&key),
    ]);
    let drilled = outcome(&env).0.expect("offered");
    assert_eq!(drilled["offered"], "conforming", "{drilled}");
    assert!(
        drilled["detail"]["en"]
            .as_str()
            .unwrap()
            .contains("ledger record 2"),
        "{drilled}"
    );
    // The same answers from TOML, with evidence named relative to the file.
    std::fs::write(env.path("scan.txt"), "scan").unwrap();
    std::fs::write(
        env.path("answers.toml"),
        "[[answer]]\nitem = \"PA-10\"\nanswer = \"partly\"\nnote = \"one medium open\"\nevidence = [\"scan.txt\"]\n\n[[answer]]\nitem = \"PA-12\"\nanswer = \"yes\"\nperson = \"赵\"\n",
    )
    .unwrap();
    env.ok(&[
        "assess",
        "import",
        "p",
        s(&env.path("answers.toml")),
        "--role",
        "construction",
        "--person",
        "李",
    ]);
    let status = env.json(&[
        "assess", "status", "p", "--format", "json", "--as-of", AS_OF,
    ]);
    assert_eq!(status["progress"]["answered"], 3);
    assert_eq!(status["progress"]["partly"], 1);
    let file: Value =
        serde_json::from_slice(&std::fs::read(env.path("assessments/p.json")).unwrap()).unwrap();
    assert_eq!(file["answers"]["PA-10"]["evidence"][0]["path"], "scan.txt");
    assert_eq!(file["answers"]["PA-12"]["person"], "赵");
    std::fs::write(
        env.path("bad.toml"),
        "[[answer]]\nitem = \"PA-10\"\nanswer = \"yes\"\ncolour = 1\n",
    )
    .unwrap();
    let err = env.fails(&[
        "assess",
        "import",
        "p",
        s(&env.path("bad.toml")),
        "--role",
        "construction",
        "--person",
        "李",
    ]);
    assert!(
        err.contains("bad.toml:4:1") && err.contains("colour"),
        "{err}"
    );
}

#[test]
fn killed_processes_lose_no_saved_answer() {
    use std::time::Duration;
    let env = Env::demo();
    env.ok(&["assess", "new", "level3-joint", "--id", "k"]);
    let cl = Checklist::load(&env.path("checklists/level3-joint-assessment.toml")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("anbao");
    let mut saved = Vec::new();
    for (n, item) in cl.items.iter().take(24).enumerate() {
        let mut child = std::process::Command::new(&bin)
            .arg("-C")
            .arg(env.ws.path())
            .args([
                "assess",
                "answer",
                "k",
                &item.id,
                "yes",
                "--role",
                &item.answered_by,
                "--person",
                "p",
            ])
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill some processes at varying moments; let the others finish.
        if n % 2 == 0 {
            std::thread::sleep(Duration::from_millis((n as u64 * 7) % 40));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        if status.success() {
            saved.push(item.id.clone());
        }
        // Whatever happened, the session file is whole and holds every answer reported saved.
        let json = env.json(&[
            "assess", "status", "k", "--format", "json", "--as-of", AS_OF,
        ]);
        assert!(json["progress"]["answered"].as_u64().unwrap() >= saved.len() as u64);
    }
    let session: Value =
        serde_json::from_slice(&std::fs::read(env.path("assessments/k.json")).unwrap()).unwrap();
    for id in &saved {
        assert!(
            session["answers"].get(id).is_some(),
            "{id} was reported saved"
        );
    }
    assert!(saved.len() >= 12, "the unkilled half finished: {saved:?}");
    // And the session goes on from where it stopped.
    env.ok(&[
        "assess",
        "answer",
        "k",
        "PE-01",
        "partly",
        "--role",
        "construction",
        "--person",
        "p",
    ]);
}

#[test]
fn the_html_report_renders_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        println!("skipped: chromium not installed (/usr/bin/chromium missing)");
        return;
    }
    let env = Env::demo();
    let (implementing, _) = ready_session(&env, "h");
    env.ok(&["assess", "sign", "h", "--key", s(&implementing)]);
    let profile = tempfile::tempdir().unwrap();
    for lang in ["zh", "en"] {
        let html = env.path(&format!("report-{lang}.html"));
        let pdf = env.path(&format!("report-{lang}.pdf"));
        let out = env.cmd(
            lang,
            &["assess", "report", "h", "--format", "html", "-o", s(&html)],
        );
        assert!(out.status.success());
        let run = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_240,
            "{lang}: {size} bytes; {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    }
}

/// What `assess status` says of an item's answer from data: the offer, or why there is none.
fn derived(
    env: &Env,
    session: &str,
    item: &str,
    as_of: Option<&str>,
) -> (Option<Value>, Option<Value>) {
    let mut args = vec!["assess", "status", session, "--format", "json"];
    if let Some(d) = as_of {
        args.extend(["--as-of", d]);
    }
    let status = env.json(&args);
    let find = |list: &str| {
        status[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["item"] == item)
            .cloned()
    };
    (find("offered"), find("not_offered"))
}

#[test]
fn the_acceptance_report_filing_is_not_offered_while_it_is_not_due() {
    let env = Env::demo();
    env.ok(&["assess", "new", "level3-joint", "--id", "f"]);
    let ms08 = |as_of: &str| derived(&env, "f", "MS-08", Some(as_of));
    // Acceptance on 2026-11-10, the report not filed: the 30 working days run to 2026-12-22.
    // Until then the item is answered "not applicable", so "not conforming" is not offered.
    let (offered, not_offered) = ms08("2026-11-20");
    assert!(offered.is_none(), "{offered:?}");
    let reason = not_offered.unwrap()["reason"]["en"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("not yet due") && reason.contains("2026-12-22"),
        "{reason}"
    );
    let err = env.fails(&[
        "assess",
        "answer",
        "f",
        "MS-08",
        "--derived",
        "--role",
        "implementing",
        "--person",
        "王科长",
        "--as-of",
        "2026-11-20",
    ]);
    assert!(err.contains("not yet due"), "{err}");
    // Past the deadline and still not filed, the fact decides: not conforming.
    let (offered, _) = ms08("2026-12-28");
    let offered = offered.expect("offered once overdue");
    assert_eq!(offered["offered"], "not-conforming");
    assert!(
        offered["detail"]["en"]
            .as_str()
            .unwrap()
            .contains("2026-12-22"),
        "{offered}"
    );
}

#[test]
fn a_session_off_the_government_cloud_leaves_the_cloud_extension_out() {
    let env = Env::demo();
    env.ok(&["assess", "new", "level3-joint", "--id", "on-cloud"]);
    env.ok(&[
        "assess",
        "new",
        "level3-joint",
        "--id",
        "off-cloud",
        "--condition",
        "gov-cloud=no",
    ]);
    let on = env.json(&["assess", "status", "on-cloud", "--format", "json"]);
    let off = env.json(&["assess", "status", "off-cloud", "--format", "json"]);
    assert_eq!(on["progress"]["applicable"], 101, "{on}");
    assert_eq!(off["progress"]["applicable"], 87, "{off}");
    assert_eq!(on["conditions"]["gov-cloud"], true);
    assert_eq!(off["conditions"]["gov-cloud"], false);
    // The cloud items cannot be answered in a session off the cloud.
    let answer_cc01 = |session: &str| {
        env.run(&[
            "assess",
            "answer",
            session,
            "CC-01",
            "yes",
            "--role",
            "implementing",
            "--person",
            "王科长",
        ])
    };
    let (code, _, err) = answer_cc01("off-cloud");
    assert_eq!(code, 2);
    assert!(err.contains("government cloud"), "{err}");
    assert_eq!(answer_cc01("on-cloud").0, 0);
    // A condition the checklist does not declare is refused before anything is written.
    let err = env.fails(&[
        "assess",
        "new",
        "level3-joint",
        "--id",
        "bad",
        "--condition",
        "cloud=no",
    ]);
    assert!(err.contains("unknown condition 'cloud'"), "{err}");
    assert!(!env.ws.path().join("assessments/bad.json").exists());
}
