//! The acceptance findings as SARIF 2.1.0, so code-scanning viewers and audit tools can list
//! them: one rule per policy code, one result per finding, located at the deciding rule.

use super::labels::{self, Word};
use super::view::View;
use crate::acceptance::report::FindingRow;
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::inventory::Level;
use crate::policy::Code;
use serde_json::{json, Map, Value};

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";

/// The id the locations' relative URIs are resolved against: the workspace folder.
const BASE: &str = "WORKSPACE";

/// Renders `r` as pretty-printed SARIF with messages in `lang`.
pub fn render(r: &Report, lang: Lang) -> String {
    let mut s = serde_json::to_string_pretty(&sarif(r, lang)).unwrap_or_default();
    s.push('\n');
    s
}

/// The SARIF log of `r`.
pub fn sarif(r: &Report, lang: Lang) -> Value {
    let v = View::new(r, lang);
    let rules: Vec<Value> = Code::ALL.iter().map(|&c| rule(c, lang)).collect();
    let results: Vec<Value> = r.findings.iter().map(|f| result(&v, f)).collect();
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({
            "driver": {
                "name": "anbao",
                "version": version(r),
                "rules": rules,
            }
        }),
    );
    run.insert(
        "language".into(),
        json!(match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en-US",
        }),
    );
    if let Some(root) = v.root() {
        run.insert(
            "originalUriBaseIds".into(),
            json!({ BASE: { "uri": format!("file://{}/", uri_path(&root)) } }),
        );
    }
    run.insert("results".into(), Value::Array(results));
    run.insert(
        "properties".into(),
        json!({
            "project": r.project.name,
            "projectCode": r.project.code,
            "asOf": r.as_of.to_string(),
            "policy": format!("{} v{}", r.policy.id, r.policy.version),
            "meets": r.verdict.meets,
            "verdict": r.verdict.state,
            "summary": r.verdict.summary.get(lang),
            "illustrative": v.illustrative(),
        }),
    );
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    })
}

/// The anbao version that computed the report (its generator is `anbao X.Y.Z`).
fn version(r: &Report) -> &str {
    r.generator.strip_prefix("anbao ").unwrap_or(&r.generator)
}

fn rule(code: Code, lang: Lang) -> Value {
    let full = code.explain(lang);
    json!({
        "id": code.as_str(),
        "shortDescription": { "text": first_sentence(full) },
        "fullDescription": { "text": full },
    })
}

/// The first sentence of an explanation, which SARIF viewers show as the rule's title.
fn first_sentence(s: &str) -> &str {
    let zh = s.find('。').map(|i| i + '。'.len_utf8());
    let en = s.find(". ").map(|i| i + 1);
    match zh.or(en) {
        Some(end) => &s[..end],
        None => s,
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Info => "note",
    }
}

fn result(v: &View, f: &FindingRow) -> Value {
    let lang = v.lang;
    let message = f.message.get(lang);
    // Viewers list results by message and location, and the location is the policy rule, so
    // the message must name the product itself.
    let text = match &f.component {
        Some(c) if !message.contains(&**c) => format!("{c}: {message}"),
        _ => message.to_string(),
    };
    let (file, line) = v.location(&f.rule);
    let mut physical = json!({
        "artifactLocation": { "uri": uri_path(&file), "uriBaseId": BASE },
    });
    if let Some(line) = line.filter(|&n| n > 0) {
        physical["region"] = json!({ "startLine": line });
    }
    let mut location = json!({ "physicalLocation": physical });
    if let Some(c) = &f.component {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": c, "kind": "resource" }]);
    }
    let mut out = json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|&c| c == f.code),
        "level": level(f.level),
        "message": { "text": text },
        "locations": [location],
        "properties": {
            "component": f.component,
            "category": f.category.as_deref().map(|id| v.category(Some(id))),
            "categoryId": f.category,
            "waived": f.waived_by.is_some(),
        },
    });
    if let Some(at) = &f.waived_by {
        out["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": justification(v, f, at),
        }]);
    }
    out
}

/// Why a waived finding is accepted: the waiver's reason, approver, expiry and place.
fn justification(v: &View, f: &FindingRow, at: &str) -> String {
    let at = v.rule(at);
    match v.waiver_of(f) {
        Some(w) => {
            let about = [
                format!("{}{}{}", v.word(Word::Approver), v.colon(), w.approver),
                format!("{}{}{}", v.word(Word::Expires), v.colon(), w.expires),
                at,
            ];
            format!("{}{}", w.reason, v.paren(&about.join(v.comma())))
        }
        None => format!("{} {at}", labels::word(v.lang, Word::WaivedBy)),
    }
}

/// A path as a URI path: `/` kept, everything outside the unreserved set percent-encoded.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_levels_and_suppressions() {
        let r = crate::report::tests::sample();
        let log = sarif(&r, Lang::En);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "anbao");
        assert_eq!(run["tool"]["driver"]["version"], "0.0.0-test");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), r.findings.len());
        assert_eq!(results[0]["level"], "error");
        assert_eq!(results[2]["level"], "warning");
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "checklists/policy.toml");
        assert_eq!(loc["region"]["startLine"], 7);
        assert!(results[0].get("suppressions").is_none());
        let s = &results[1]["suppressions"][0];
        assert_eq!(s["kind"], "external");
        assert!(s["justification"]
            .as_str()
            .unwrap()
            .contains("checklists/waivers.toml:2"));
        assert_eq!(results[1]["properties"]["waived"], true);
        assert_eq!(results[1]["properties"]["category"], "Security equipment");
        let index = results[1]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], results[1]["ruleId"]);
    }

    #[test]
    fn messages_and_rules_follow_the_language() {
        let r = crate::report::tests::sample();
        let log = sarif(&r, Lang::Zh);
        let run = &log["runs"][0];
        assert_eq!(run["language"], "zh-CN");
        assert!(run["results"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("有问题"));
        let short = run["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
            .as_str()
            .unwrap();
        assert!(short.ends_with('。'), "{short}");
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("inventories/a b.json"), "inventories/a%20b.json");
        assert_eq!(uri_path("清单.csv"), "%E6%B8%85%E5%8D%95.csv");
        assert_eq!(first_sentence("One. Two."), "One.");
    }
}
