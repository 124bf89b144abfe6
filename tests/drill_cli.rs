//! `anbao drill` through the real binary on a copy of the demo workspace: plan, due, start,
//! log, crash and resume, finish into the ledger, verify, actions, reports.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

struct Env {
    ws: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Env {
    /// The demo workspace's tracked files in a temporary folder.
    fn demo() -> Env {
        Env {
            ws: common::demo::demo_copy(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run_in(&self, lang: &str, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("anbao")
            .unwrap()
            .arg("-C")
            .arg(self.ws.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("ANBAO_LANG", lang)
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env("TZ", "Asia/Shanghai")
            .env_remove("ANBAO_KEY")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run_in("en", args);
        assert_eq!(code, 0, "{args:?}\nstdout: {out}\nstderr: {err}");
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// JSON of a command that exits 1 when something is overdue.
    fn json_checked(&self, args: &[&str]) -> (i32, Value) {
        let (code, out, err) = self.run_in("en", args);
        assert!(
            code == 0 || code == 1,
            "{args:?}\nstdout: {out}\nstderr: {err}"
        );
        (code, serde_json::from_str(&out).unwrap())
    }
}

const SUMMARY: &str = r#"
evaluators = ["评估组 赵六"]
lessons = ["报告模板放在共享盘并打印一份放在值班室"]

[[evaluation]]
objective = "contain"
rating = 4
comment = "断网及时"

[[evaluation]]
objective = "report"
rating = 2
comment = "报告晚了 25 分钟"

[[evaluation]]
objective = "recover"
rating = 3
comment = "恢复用时略超目标"

[[problem]]
problem = "报告模板找不到"
cause = "模板只存在前任报送员的电脑上"

[[action]]
action = "把事件报告模板放到共享盘并打印备用"
owner = "信息科 王五"
due = 2026-12-15
"#;

#[test]
fn plan_run_finish_verify_and_track_actions() {
    let env = Env::demo();
    env.ok(&["keys", "new", "--unit", "implementing"]);

    // The plan as of the demo date: the first-half drills are overdue.
    let (code, out, _) = env.run_in("en", &["drill", "due", "--as-of", "2026-11-28"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ransomware  2026-H1"), "{out}");
    let plan = env.json(&["drill", "plan", "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(plan["schema"], "anbao.drill.plan/1");
    assert_eq!(plan["next_plan"]["status"], "due");

    // Start the second-half ransomware drill, with two people.
    let v = env.json(&[
        "drill",
        "start",
        "ransomware-gov-server",
        "--place",
        "市政务服务中心 3 楼机房",
        "--participant",
        "张三,implementing,commander",
        "--participant",
        "李四,construction,ops",
        "--at",
        "2026-11-18T09:00:00+08:00",
        "--format",
        "json",
    ]);
    let id = v["run"]["id"].as_str().unwrap().to_string();
    assert_eq!(id, "ransomware-gov-server-20261118");
    assert_eq!(v["run"]["plan_item"], "ransomware");
    let run_file = env.ws.path().join(format!("drills/runs/{id}.json"));
    assert!(run_file.exists());

    // Each event is its own process: every one is on disk before the next begins.
    env.ok(&[
        "drill",
        "log",
        "start",
        "detect",
        "--at",
        "2026-11-18T09:02:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "detect",
        "--at",
        "2026-11-18T09:08:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "isolate",
        "--note",
        "交换机端口关闭",
        "--at",
        "2026-11-18T09:41:00+08:00",
    ]);
    // A crash mid-write leaves a temp file beside the run; it is no run and harms nothing.
    std::fs::write(
        env.ws.path().join("drills/runs/.tmpXYZ"),
        b"{\"schema\":\"anbao.dri",
    )
    .unwrap();
    let shown = env.json(&["drill", "show", "--format", "json"]);
    assert_eq!(shown["run"]["steps"][1]["status"], "done");
    assert_eq!(shown["timings"][1]["late_by_minutes"], 11);
    env.ok(&[
        "drill",
        "log",
        "done",
        "grade",
        "--at",
        "2026-11-18T09:55:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "report-cac",
        "--at",
        "2026-11-18T11:15:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "observe",
        "报送员未找到报告模板",
        "--step",
        "report-cac",
        "--at",
        "2026-11-18T10:40:00+08:00",
    ]);
    let evidence = env.home.path().join("值班记录.txt");
    std::fs::write(&evidence, "09:00 发现勒索信\n").unwrap();
    env.ok(&[
        "drill",
        "log",
        "evidence",
        evidence.to_str().unwrap(),
        "--at",
        "2026-11-18T11:20:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "verify-backup",
        "--at",
        "2026-11-18T11:40:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "fail",
        "restore",
        "--note",
        "备份缺少一张表",
        "--at",
        "2026-11-18T13:30:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "done",
        "closing-report",
        "--at",
        "2026-11-18T13:32:00+08:00",
    ]);
    env.ok(&[
        "drill",
        "log",
        "skip",
        "debrief",
        "--note",
        "改为书面点评",
        "--at",
        "2026-11-18T13:35:00+08:00",
    ]);
    // A closed step stays closed.
    let (code, _, err) = env.run_in("en", &["drill", "log", "done", "restore"]);
    assert_eq!(code, 2);
    assert!(err.contains("step 'restore' is already failed"), "{err}");

    // Finish: the template lists every objective; a summary missing one is refused.
    let template = env.ok(&["drill", "finish", "--template"]);
    for o in ["contain", "report", "recover"] {
        assert!(
            template.contains(&format!("objective = \"{o}\"")),
            "{template}"
        );
    }
    let partial = env.home.path().join("partial.toml");
    std::fs::write(
        &partial,
        "[[evaluation]]\nobjective = \"contain\"\nrating = 4\ncomment = \"\"\n",
    )
    .unwrap();
    let (code, out, err) = env.run_in(
        "en",
        &["drill", "finish", "--summary", partial.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{err}");
    for o in ["report", "recover"] {
        assert!(
            out.contains(&format!("objective {o} has no rating")),
            "{out}"
        );
    }
    assert!(out.contains("the summary names no evaluator"), "{out}");
    let summary = env.home.path().join("summary.toml");
    std::fs::write(&summary, SUMMARY).unwrap();
    let v = env.json(&[
        "drill",
        "finish",
        "--summary",
        summary.to_str().unwrap(),
        "--at",
        "2026-11-18T13:40:00+08:00",
        "--format",
        "json",
    ]);
    assert_eq!(v["kind"], "drill.finished");
    // Record 0 enrols the key.
    assert_eq!(v["seq"], "1");

    // The ledger holds it, signed, with the evidence and the run file, and verifies.
    let rec = env.json(&["ledger", "show", "1", "--format", "json"]);
    let entry = &rec["record"]["entry"];
    assert_eq!(entry["kind"], "drill.finished");
    assert_eq!(entry["body"]["run"], id.as_str());
    let names: Vec<&str> = entry["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["值班记录.txt", &format!("{id}.json")[..]]);
    let out = env.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger verified"), "{out}");
    // A finish cut short after the ledger append (the run file not yet updated) is picked up
    // again without a second record.
    let text = std::fs::read_to_string(&run_file).unwrap();
    let mut saved: Value = serde_json::from_str(&text).unwrap();
    saved.as_object_mut().unwrap().remove("record_seq");
    std::fs::write(&run_file, serde_json::to_vec_pretty(&saved).unwrap()).unwrap();
    let v = env.json(&[
        "drill",
        "finish",
        &id,
        "--summary",
        summary.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["seq"], "1");
    let list = env.json(&["ledger", "list", "--format", "json"]);
    assert_eq!(list["records"].as_array().unwrap().len(), 2);
    // Finishing twice is refused.
    let (code, _, err) = env.run_in(
        "en",
        &[
            "drill",
            "finish",
            &id,
            "--summary",
            summary.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");

    // The H2 ransomware drill is done; its action is open and overdue after 15 December.
    let (code, due) =
        env.json_checked(&["drill", "due", "--as-of", "2026-12-16", "--format", "json"]);
    assert_eq!(code, 1);
    let h2 = due["drills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["item"] == "ransomware" && o["period"]["label"] == "2026-H2")
        .unwrap();
    assert_eq!(h2["status"], "done");
    assert_eq!(h2["run"], id.as_str());
    let action_id = format!("{id}#A1");
    assert_eq!(due["actions"][0]["id"], action_id.as_str());
    assert_eq!(due["actions"][0]["due_status"], "overdue");
    let (_, out, _) = env.run_in("zh", &["drill", "due", "--as-of", "2026-12-16"]);
    assert!(out.contains(&action_id) && out.contains("已逾期"), "{out}");

    // Close the action with a signed status record; it leaves `due`.
    env.ok(&[
        "drill",
        "actions",
        "--set",
        &action_id,
        "--status",
        "in-progress",
    ]);
    env.ok(&[
        "drill",
        "actions",
        "--set",
        &action_id,
        "--status",
        "closed",
        "--note",
        "模板已上传",
    ]);
    let acts = env.json(&["drill", "actions", "--format", "json"]);
    assert_eq!(acts["actions"][0]["status"], "closed");
    let (_, due) = env.json_checked(&["drill", "due", "--as-of", "2026-12-16", "--format", "json"]);
    assert!(due["actions"].as_array().unwrap().is_empty(), "{due}");
    let (code, _, err) = env.run_in(
        "en",
        &["drill", "actions", "--set", &action_id, "--status", "open"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("already closed"), "{err}");
    let out = env.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger verified"), "{out}");

    // Next year's plan, drafted from this one before December, settles that deadline.
    let out = env.ok(&["drill", "plan", "--draft-next", "--as-of", "2026-11-25"]);
    assert!(out.trim_end().ends_with("plan-2027.toml"), "{out}");
    let (_, due) = env.json_checked(&["drill", "due", "--as-of", "2026-12-16", "--format", "json"]);
    assert_eq!(due["next_plans"][0]["status"], "done");
    assert_eq!(due["next_plans"][0]["prepared"], "2026-11-25");
    let (code, _, err) = env.run_in(
        "en",
        &["drill", "plan", "--draft-next", "--as-of", "2026-11-25"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");

    // The last drill per playbook, as other parts of anbao read it.
    let ws = anbao::workspace::Workspace::open(env.ws.path()).unwrap();
    let ledger = anbao::ledger::Ledger::open(&ws).unwrap();
    let last = anbao::drill::last_drilled(&ledger).unwrap();
    assert_eq!(
        last.get("ransomware-gov-server").copied(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
    );

    // Reports in both languages.
    for lang in ["zh", "en"] {
        let (code, md, err) = env.run_in(lang, &["drill", "report", "--run", &id]);
        assert_eq!(code, 0, "{err}");
        assert!(md.contains("report-cac") && md.contains("+25"), "{md}");
        let (code, html, _) = env.run_in(
            lang,
            &[
                "drill",
                "report",
                "--as-of",
                "2026-12-16",
                "--format",
                "html",
            ],
        );
        assert_eq!(code, 0);
        assert!(
            html.starts_with("<!DOCTYPE html>") && html.contains("calendar"),
            "{html}"
        );
    }
    let (_, md, _) = env.run_in("zh", &["drill", "report", "--run", &id]);
    assert!(
        md.contains("发现的问题和原因") && md.contains("报告模板找不到"),
        "{md}"
    );
}

#[test]
fn a_bad_playbook_stops_every_drill_command_with_its_place() {
    let env = Env::demo();
    let path = env.ws.path().join("playbooks/portal-defacement.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("grade = \"III\"", "grade = \"V\"")).unwrap();
    let (code, _, err) = env.run_in("en", &["drill", "due"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "portal-defacement.toml:9:9: 'grade' must be one of I, II, III, IV, found 'V'"
        ),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn drafting_next_years_plan_replaces_nothing_not_even_a_dangling_link() {
    // The plan folder's reader names the link before the draft is written; the draft itself
    // is put in place only where the name is free (`fsutil::write_new`).
    let env = Env::demo();
    let target = env.ws.path().join("drills/plan-2027.toml");
    let elsewhere = env.home.path().join("not-yet-written.toml");
    std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
    let (code, _, err) = env.run_in(
        "en",
        &["drill", "plan", "--draft-next", "--as-of", "2026-11-25"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("plan-2027.toml") && err.contains("symbolic link"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_link(&target).unwrap(),
        elsewhere,
        "the link stands"
    );
    assert!(!elsewhere.exists(), "nothing was written through it");
}

#[test]
fn start_refuses_a_second_open_run_and_an_unknown_role() {
    let env = Env::demo();
    let (code, _, err) = env.run_in("zh", &["drill", "log", "done", "confirm"]);
    assert_eq!(code, 2);
    assert!(err.contains("没有进行中的演练"), "{err}");
    let (code, _, err) = env.run_in(
        "en",
        &[
            "drill",
            "start",
            "portal-defacement",
            "--participant",
            "王五,implementing,janitor",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("role 'janitor' is not a role"), "{err}");
    env.ok(&[
        "drill",
        "start",
        "portal-defacement",
        "--at",
        "2026-11-20T20:30",
    ]);
    let (code, _, err) = env.run_in("en", &["drill", "start", "portal-defacement"]);
    assert_eq!(code, 2);
    assert!(err.contains("is still open"), "{err}");
    env.ok(&[
        "drill",
        "log",
        "done",
        "confirm",
        "--at",
        "2026-11-20T20:40",
    ]);
    let (code, _, err) = env.run_in("zh", &["drill", "log", "skip", "confirm"]);
    assert_eq!(code, 2);
    assert!(err.contains("步骤“confirm”已是完成状态"), "{err}");
}

/// Renders the plan and a summary report, in both languages, with headless Chromium where it
/// is installed (as CI installs it): a screenshot and an A4 PDF of each. Elsewhere it says it
/// skipped and passes.
#[test]
fn html_reports_render_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        println!("skipped: chromium not installed (/usr/bin/chromium missing)");
        return;
    }
    let env = Env::demo();
    env.ok(&["keys", "new", "--unit", "implementing"]);
    env.ok(&[
        "drill",
        "start",
        "personal-data-leak",
        "--place",
        "会议室",
        "--participant",
        "赵六,implementing,commander",
        "--at",
        "2026-09-16T09:00:00+08:00",
    ]);
    for (step, at) in [
        ("receive", "09:05"),
        ("match", "09:50"),
        ("grade", "10:05"),
        ("report-cac", "10:58"),
        ("trace", "11:40"),
        ("notify", "11:50"),
        ("closing-report", "11:55"),
    ] {
        env.ok(&[
            "drill",
            "log",
            "done",
            step,
            "--at",
            &format!("2026-09-16T{at}:00+08:00"),
        ]);
    }
    let summary = env.home.path().join("s.toml");
    std::fs::write(
        &summary,
        "evaluators = [\"评估组 赵六\"]\nlessons = [\"比对脚本应预先准备\"]\n[[evaluation]]\nobjective = \"verify\"\nrating = 3\ncomment = \"略超时\"\n[[evaluation]]\nobjective = \"report\"\nrating = 4\ncomment = \"按时\"\n[[evaluation]]\nobjective = \"stop\"\nrating = 1\ncomment = \"未演练到\"\n[[problem]]\nproblem = \"接口账号无人负责\"\ncause = \"第三方接口未纳入台账\"\n[[action]]\naction = \"建立接口账号台账\"\nowner = \"数据科\"\ndue = 2026-10-31\n",
    )
    .unwrap();
    env.ok(&[
        "drill",
        "finish",
        "--summary",
        summary.to_str().unwrap(),
        "--at",
        "2026-09-16T12:00:00+08:00",
    ]);
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    for lang in ["zh", "en"] {
        for (name, args) in [
            (
                "plan",
                vec![
                    "drill",
                    "report",
                    "--as-of",
                    "2026-11-28",
                    "--format",
                    "html",
                ],
            ),
            (
                "summary",
                vec![
                    "drill",
                    "report",
                    "--run",
                    "personal-data-leak-20260916",
                    "--format",
                    "html",
                ],
            ),
        ] {
            let html = out.path().join(format!("{name}-{lang}.html"));
            let mut args = args.clone();
            args.extend(["--output", html.to_str().unwrap()]);
            let (code, _, err) = env.run_in(lang, &args);
            assert_eq!(code, 0, "{err}");
            for (flag, ext) in [("--screenshot", "png"), ("--print-to-pdf", "pdf")] {
                let file = out.path().join(format!("{name}-{lang}.{ext}"));
                let status = std::process::Command::new(chromium)
                    .args([
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--hide-scrollbars",
                        "--no-pdf-header-footer",
                        "--window-size=1240,1754",
                    ])
                    .arg(format!("--user-data-dir={}", profile.path().display()))
                    .arg(format!("{flag}={}", file.display()))
                    .arg(format!("file://{}", html.display()))
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success(), "chromium failed on {}", html.display());
                let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
                assert!(size > 10_240, "{} is {size} bytes", file.display());
                if ext == "pdf" {
                    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
                }
            }
        }
    }
    println!("rendered in {}", out.path().display());
    // Keep the files for a look when asked.
    if let Some(keep) = std::env::var_os("ANBAO_KEEP_RENDERS") {
        for e in std::fs::read_dir(out.path()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), Path::new(&keep).join(e.file_name())).unwrap();
        }
    }
}

/// Writers killed at arbitrary moments (SIGKILL, as a crash or a power cut would stop them)
/// never leave a broken run: every kill leaves the file as it was before or after that event,
/// and logging goes on from there.
#[test]
fn a_run_survives_writers_killed_at_any_moment() {
    let env = Env::demo();
    env.ok(&[
        "drill",
        "start",
        "ddos-online-service",
        "--at",
        "2026-11-20T10:00:00+08:00",
    ]);
    let bin = assert_cmd::cargo::cargo_bin("anbao");
    let mut logged = 0;
    for i in 0..30u64 {
        let mut child = std::process::Command::new(&bin)
            .arg("-C")
            .arg(env.ws.path())
            .args(["drill", "log", "observe", &format!("note {i}")])
            .env("NO_COLOR", "1")
            .env("HOME", env.home.path())
            .env("XDG_CONFIG_HOME", env.home.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the process's life: before it reads, while it writes, after.
        std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 60_000));
        let _ = child.kill();
        if child.wait().unwrap().success() {
            logged += 1;
        }
        let shown = env.json(&["drill", "show", "--format", "json"]);
        let notes: Vec<String> = shown["run"]["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["text"].as_str().unwrap().to_string())
            .collect();
        // Each note at most once, in order: nothing torn, nothing doubled.
        let mut numbers: Vec<u64> = notes
            .iter()
            .map(|n| n.strip_prefix("note ").unwrap().parse().unwrap())
            .collect();
        let sorted = {
            let mut s = numbers.clone();
            s.sort();
            s.dedup();
            s
        };
        assert_eq!(numbers, sorted);
        numbers.retain(|n| *n == i);
        assert!(numbers.len() <= 1);
    }
    // A last event after all the kills goes through.
    env.ok(&["drill", "log", "done", "alert"]);
    let shown = env.json(&["drill", "show", "--format", "json"]);
    assert_eq!(shown["run"]["steps"][0]["status"], "done");
    assert!(shown["run"]["observations"].as_array().unwrap().len() >= logged);
    println!("{logged} of 30 writers finished before their kill");
}
