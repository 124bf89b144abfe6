//! A drill record says only what happened, through the real binary on a copy of the demo
//! workspace: a run never held cannot be finished (and so never counts as done), a run started
//! by mistake is abandoned, the timeline shows no time for steps not done and flags late steps
//! and a missed reporting clock, every time is in the project's zone even on a machine set to
//! UTC, the drill ends with its last event, and every drill command takes `--run`.

use serde_json::Value;
use std::path::Path;

const PLAYBOOK: &str = "portal-defacement";

mod common;

struct Env {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Env {
    /// The demo's manifest, checklists, playbooks and plan (not its runs or records), with a
    /// signing key for the implementing unit.
    fn demo() -> Env {
        let env = Env {
            ws: common::demo_copy(&["checklists", "playbooks", "drills"]),
            home: tempfile::tempdir().unwrap(),
        };
        env.ok(&["keys", "new", "--unit", "implementing"]);
        env
    }

    /// Runs anbao on a machine whose own clock is in UTC.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        common::outcome(
            common::anbao(self.ws.path(), self.home.path())
                .args(args)
                .env("TZ", "UTC")
                .output()
                .unwrap(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn start(&self, at: &str, participants: &[&str]) -> String {
        let mut args = vec!["drill", "start", PLAYBOOK, "--at", at, "--format", "json"];
        for p in participants {
            args.extend(["--participant", p]);
        }
        let v = self.json(&args);
        v["run"]["id"].as_str().unwrap().to_string()
    }

    /// The seqs of the ledger's `drill.finished` records (the ledger also holds the key
    /// enrolments).
    fn drill_records(&self) -> Vec<String> {
        let v = self.json(&["ledger", "list", "--format", "json"]);
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == "drill.finished")
            .map(|r| r["seq"].to_string().trim_matches('"').to_string())
            .collect()
    }

    /// The standing of the plan's portal drill in 2026.
    fn portal_standing(&self) -> Value {
        let plan = self.json(&["drill", "plan", "--as-of", "2026-12-01", "--format", "json"]);
        plan["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["item"] == "portal")
            .cloned()
            .unwrap()
    }
}

/// The playbook's reporting clock, in minutes from the start.
fn clock() -> i64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pb = anbao::drill::playbook::load(
        &root.join(format!("playbooks/{PLAYBOOK}.toml")),
        &anbao::drill::classes::Classes::builtin(),
    )
    .unwrap();
    i64::from(
        pb.report_clock()
            .expect("the playbook has a reporting clock"),
    )
}

const SUMMARY: &str = r#"
evaluators = ["评估组 赵六"]
lessons = ["报告模板放在值班室"]

[[evaluation]]
objective = "takedown"
rating = 3
comment = ""

[[evaluation]]
objective = "report"
rating = 1
comment = "报告超时"

[[evaluation]]
objective = "root-cause"
rating = 3
comment = ""
"#;

#[test]
fn a_run_never_held_cannot_be_finished_with_the_untouched_template() {
    let env = Env::demo();
    let id = env.start("2026-11-20T09:00", &[]);
    // The run named as earlier versions took it, so this case runs the same on them.
    let template = env.ok(&["drill", "finish", &id, "--template"]);
    let path = env.file("template.toml", &template);
    let (code, out, err) = env.run(&["drill", "finish", &id, "--summary", &path]);
    assert_eq!(code, 1, "refused\nstdout: {out}\nstderr: {err}");
    for expected in [
        "step confirm was never started nor closed",
        "step restore was never started nor closed",
        "objective takedown has no rating",
        "objective root-cause has no rating",
        "no participant is logged",
        "the summary names no evaluator",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    // Nothing was signed, the run is still open, and the plan does not count it.
    assert!(env.drill_records().is_empty());
    let shown = env.json(&["drill", "show", "--format", "json"]);
    assert!(shown["run"]["finished"].is_null(), "{shown}");
    let portal = env.portal_standing();
    assert_ne!(portal["status"], "done", "{portal}");
    assert!(portal["run"].is_null(), "{portal}");
}

#[test]
fn a_run_started_by_mistake_is_abandoned_and_never_counts_as_held() {
    let env = Env::demo();
    let id = env.start("2026-11-20T09:00", &["张三,implementing,commander"]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "confirm",
        "--at",
        "2026-11-20T09:10",
    ]);
    let (code, _, err) = env.run(&["drill", "abandon", "--run", &id]);
    assert_eq!(code, 2, "a reason is required: {err}");
    env.ok(&[
        "drill",
        "abandon",
        "--run",
        &id,
        "--reason",
        "误开始：演练改期到下周",
        "--at",
        "2026-11-20T09:30",
    ]);
    let shown = env.json(&["drill", "show", "--run", &id, "--format", "json"]);
    assert_eq!(
        shown["run"]["abandoned"]["reason"],
        "误开始：演练改期到下周"
    );
    assert_eq!(
        shown["run"]["abandoned"]["time"],
        "2026-11-20T09:30:00+08:00"
    );
    let text = env.ok(&["drill", "show", "--run", &id]);
    assert!(text.contains("abandoned 2026-11-20 09:30"), "{text}");
    // It takes no more events, is no longer the open run, and cannot be finished.
    let (code, _, err) = env.run(&["drill", "log", "done", "maintenance-page", "--run", &id]);
    assert_eq!(code, 2);
    assert!(err.contains("was abandoned"), "{err}");
    let (code, _, err) = env.run(&["drill", "show"]);
    assert_eq!(code, 2);
    assert!(err.contains("no drill run is open"), "{err}");
    let summary = env.file("s.toml", SUMMARY);
    let (code, _, err) = env.run(&["drill", "finish", "--run", &id, "--summary", &summary]);
    assert_eq!(code, 2);
    assert!(err.contains("abandoned"), "{err}");
    assert!(env.drill_records().is_empty());
    assert_ne!(env.portal_standing()["status"], "done");
    // The playbook can be started again.
    let again = env.start("2026-11-27T09:00", &[]);
    assert_ne!(again, id);
}

#[test]
fn the_timeline_shows_what_happened_in_the_project_time_zone() {
    let env = Env::demo();
    // Started at 09:00 in Xinzhou, given in UTC on a machine that runs in UTC.
    let id = env.start("2026-11-20T01:00:00Z", &["张三,implementing,commander"]);
    let wall = |minutes: i64| {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            + chrono::Duration::minutes(minutes);
        t.format("%Y-%m-%dT%H:%M").to_string()
    };
    let log = |event: &str, step: &str, minutes: i64| {
        env.ok(&["drill", "log", event, step, "--at", &wall(minutes)]);
    };
    log("done", "confirm", 10);
    // Skipped, with no note yet.
    log("skip", "maintenance-page", 20);
    // The report made 15 minutes past the reporting clock.
    log("done", "report-cac", clock() + 15);
    log("done", "statement", clock() + 20);
    log("done", "find-entry", 200);
    log("done", "restore", 270);
    log("done", "closing-report", 280);

    let shown = env.json(&["drill", "show", &id, "--format", "json"]);
    let skipped = &shown["timings"][1];
    assert_eq!(skipped["status"], "skipped");
    assert!(
        skipped["actual_minutes"].is_null() && skipped["late_by_minutes"].is_null(),
        "a step not done has no actual time: {skipped}"
    );
    assert_eq!(shown["run"]["started"], "2026-11-20T09:00:00+08:00");
    assert_eq!(shown["timezone"], "Asia/Shanghai");
    let first = &shown["findings"][0];
    assert_eq!(first["code"], "reporting-clock-missed", "{shown}");
    assert_eq!(first["step"], "report-cac");
    let text = env.ok(&["drill", "show", &id]);
    assert!(text.contains("! reporting-clock-missed"), "{text}");
    assert!(text.contains("2026-11-20 09:00 +08:00"), "{text}");

    // The skipped step needs its reason before the drill can be signed.
    let summary = env.file("s.toml", SUMMARY);
    let (code, out, _) = env.run(&["drill", "finish", "--run", &id, "--summary", &summary]);
    assert_eq!(code, 1);
    assert!(
        out.contains("step maintenance-page was skipped without a note"),
        "{out}"
    );
    env.ok(&[
        "drill",
        "log",
        "note",
        "maintenance-page",
        "--run",
        &id,
        "--note",
        "门户由云服务商直接下线，无需维护页",
    ]);
    // Finished without --at: the drill ended with its last event, not when the command ran.
    env.ok(&["drill", "finish", "--run", &id, "--summary", &summary]);
    let seqs = env.drill_records();
    assert_eq!(seqs.len(), 1);
    let rec = env.json(&["ledger", "show", &seqs[0], "--format", "json"]);
    let body = &rec["record"]["entry"]["body"];
    assert_eq!(body["finished"], format!("{}:00+08:00", wall(280)));
    assert_eq!(body["timezone"], "Asia/Shanghai");
    assert_eq!(body["findings"][0]["code"], "reporting-clock-missed");
    assert_eq!(body["reporting_clock_minutes"], clock());
    assert_eq!(
        body["reporting_clock"]["hours"].as_i64().unwrap() * 60,
        clock()
    );
    assert!(body["reporting_clock"]["basis"]
        .as_str()
        .unwrap()
        .contains("第四条"));
    assert!(body["steps"][1]["actual_minutes"].is_null());

    // The summary report: times in the project's zone, nothing for the skipped step, the
    // missed clock said in words.
    let md = env.ok(&["drill", "report", "--run", &id]);
    assert!(md.contains("2026-11-20 09:00 +08:00"), "{md}");
    assert!(md.contains("2026-11-20 13:40 +08:00"), "{md}");
    assert!(md.contains("reporting-clock-missed"), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| maintenance-page |"))
        .unwrap();
    assert!(row.ends_with("| 30 | — | — | skipped |"), "{row}");
    assert!(!md.contains("UTC") && !md.contains("+00:00"), "{md}");
}

#[test]
fn every_drill_command_takes_the_run_with_run() {
    let env = Env::demo();
    let id = env.start("2026-11-20T09:00", &["张三,implementing,commander"]);
    let run = id.as_str();
    env.ok(&["drill", "show", "--run", run]);
    env.ok(&["drill", "show", run]);
    env.ok(&["drill", "log", "done", "confirm", "--run", run]);
    env.ok(&["drill", "log", "observe", "门户已恢复访问", "--run", run]);
    env.ok(&["drill", "finish", "--run", run, "--template"]);
    env.ok(&["drill", "finish", run, "--template"]);
    env.ok(&["drill", "report", "--run", run]);
    env.ok(&["drill", "report", run]);
    // Two different runs named at once is refused.
    let (code, _, err) = env.run(&["drill", "show", run, "--run", "other-20261120"]);
    assert_eq!(code, 2, "{err}");
    env.ok(&["drill", "abandon", "--run", run, "--reason", "test"]);
}
