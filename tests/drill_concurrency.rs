//! Several people logging one drill at once: every event is saved. Each `drill log` locks the
//! run file, reads it again under the lock and writes it back with its event.

mod common;

use common::Anbao;
use std::sync::Arc;

#[test]
fn four_writers_logging_fifty_observations_each_lose_none() {
    let env = Arc::new(Anbao::demo());
    let out = env.ok(&[
        "drill",
        "start",
        "portal-defacement",
        "--at",
        "2026-11-20T20:30:00+08:00",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = v["run"]["id"].as_str().unwrap().to_string();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let env = Arc::clone(&env);
            let id = id.clone();
            std::thread::spawn(move || {
                for n in 0..50 {
                    let text = format!("writer {w} observation {n}");
                    env.ok(&[
                        "drill",
                        "log",
                        "observe",
                        &text,
                        "--run",
                        &id,
                        "--at",
                        "2026-11-20T20:40:00+08:00",
                    ]);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let run: serde_json::Value = serde_json::from_slice(
        &std::fs::read(env.path(&format!("drills/runs/{id}.json"))).unwrap(),
    )
    .unwrap();
    let mut texts: Vec<&str> = run["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    texts.sort_unstable();
    let mut expected: Vec<String> = (0..4)
        .flat_map(|w| (0..50).map(move |n| format!("writer {w} observation {n}")))
        .collect();
    expected.sort_unstable();
    assert_eq!(
        texts.len(),
        200,
        "{} of 200 observations saved",
        texts.len()
    );
    assert_eq!(texts, expected);
}
