//! The project's vulnerability state as a CycloneDX 1.5 VEX document: every known
//! vulnerability of every component, with the analysis of the statement in force (and the
//! ledger record it came from), so another tool can read what anbao's ledger says.

use super::assess::{Assessment, Match};
use super::vex::{cyclonedx_justification, Recorded};
use crate::inventory::Inventory;
use serde_json::{json, Value};

/// The VEX document. `project` names the product the document is about; `statements` adds the
/// statements about products the inventory does not hold (they are part of the state too).
pub fn cyclonedx_vex(
    inv: &Inventory,
    assessment: &Assessment,
    statements: &[Recorded],
    project: (&str, &str),
    now: &str,
) -> Value {
    let mut components: Vec<Value> = Vec::new();
    let mut refs: Vec<Option<String>> = vec![None; inv.components.len()];
    for m in &assessment.matches {
        if refs[m.component].is_none() {
            let c = &inv.components[m.component];
            let bom_ref = c.purl.clone().unwrap_or_else(|| c.display_id());
            let mut comp = json!({
                "type": "library",
                "bom-ref": bom_ref,
                "name": c.name,
            });
            if let Some(g) = &c.group {
                comp["group"] = json!(g);
            }
            if let Some(v) = &c.version {
                comp["version"] = json!(v);
            }
            if let Some(p) = &c.purl {
                comp["purl"] = json!(p);
            }
            components.push(comp);
            refs[m.component] = Some(bom_ref);
        }
    }
    let mut vulnerabilities: Vec<Value> = assessment
        .matches
        .iter()
        .map(|m| vulnerability(m, refs[m.component].as_deref().unwrap_or_default()))
        .collect();
    // Statements the matches did not use: about products outside the inventory or
    // vulnerabilities the database does not hold.
    let used: Vec<u64> = assessment
        .matches
        .iter()
        .filter_map(|m| m.statement.as_ref().map(|s| s.seq))
        .collect();
    for r in statements.iter().filter(|r| !used.contains(&r.seq)) {
        // Only the latest statement per vulnerability and product set is the state.
        let superseded = statements.iter().any(|later| {
            later.seq > r.seq
                && later.statement.vulnerability == r.statement.vulnerability
                && later.statement.products == r.statement.products
        });
        if superseded {
            continue;
        }
        let s = &r.statement;
        let mut v = json!({
            "id": s.vulnerability,
            "affects": s.products.iter().map(|p| json!({"ref": p})).collect::<Vec<_>>(),
            "analysis": analysis(s.status.cyclonedx_state(), s.justification.as_deref(), &s.response, s.detail.as_deref().or(s.impact.as_deref()), &r.time),
            "properties": [{"name": "anbao:ledger-seq", "value": r.seq.to_string()}, {"name": "anbao:unit", "value": r.unit}],
        });
        if !s.aliases.is_empty() {
            v["references"] = json!(s
                .aliases
                .iter()
                .map(|a| json!({"id": a, "source": {"name": source_of(a)}}))
                .collect::<Vec<_>>());
        }
        vulnerabilities.push(v);
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": format!("urn:uuid:{}", uuid_v4()),
        "version": 1,
        "metadata": {
            "timestamp": now,
            "tools": { "components": [{ "type": "application", "name": "anbao", "version": env!("CARGO_PKG_VERSION") }] },
            "component": { "type": "application", "bom-ref": project.0, "name": project.1 },
        },
        "components": components,
        "vulnerabilities": vulnerabilities,
    })
}

fn vulnerability(m: &Match, bom_ref: &str) -> Value {
    let mut v = json!({
        "bom-ref": format!("{}/{}", m.id, bom_ref),
        "id": m.id,
        "source": { "name": source_of(&m.id) },
        "affects": [{ "ref": bom_ref }],
    });
    if !m.aliases.is_empty() {
        v["references"] = json!(m
            .aliases
            .iter()
            .map(|a| json!({"id": a, "source": {"name": source_of(a)}}))
            .collect::<Vec<_>>());
    }
    let mut rating = json!({ "severity": m.rating.severity.as_str() });
    if let Some(score) = m.rating.score {
        rating["score"] = json!(score);
    }
    if let Some(vector) = &m.rating.vector {
        rating["vector"] = json!(vector);
        rating["method"] = json!(match m.rating.method.as_str() {
            "CVSS_V4" => "CVSSv4",
            "CVSS_V2" => "CVSSv2",
            _ if vector.starts_with("CVSS:3.0") => "CVSSv3",
            _ => "CVSSv31",
        });
    }
    v["ratings"] = json!([rating]);
    if let Some(summary) = &m.summary {
        v["description"] = json!(summary);
    }
    if !m.fixed.is_empty() {
        v["recommendation"] = json!(format!("fixed in {}", m.fixed.join(", ")));
    }
    if let Some(s) = &m.statement {
        v["analysis"] = analysis(
            s.status.cyclonedx_state(),
            s.justification.as_deref(),
            &s.response,
            s.detail.as_deref(),
            &s.time,
        );
        v["properties"] = json!([{"name": "anbao:ledger-seq", "value": s.seq.to_string()}, {"name": "anbao:unit", "value": s.unit}]);
    }
    v
}

fn analysis(
    state: &str,
    justification: Option<&str>,
    response: &[String],
    detail: Option<&str>,
    time: &str,
) -> Value {
    let mut a = json!({ "state": state, "lastUpdated": time });
    if let Some(j) = justification {
        if let Some(c) = cyclonedx_justification(j) {
            a["justification"] = json!(c);
        }
    }
    if !response.is_empty() {
        a["response"] = json!(response);
    }
    let mut words: Vec<String> = Vec::new();
    if let Some(j) = justification.filter(|j| cyclonedx_justification(j) != Some(j)) {
        // An OpenVEX justification has no exact CycloneDX twin: its own word goes in the detail.
        words.push(format!("justification: {j}"));
    }
    if let Some(d) = detail {
        words.push(d.to_string());
    }
    if !words.is_empty() {
        a["detail"] = json!(words.join("; "));
    }
    a
}

fn source_of(id: &str) -> &'static str {
    match id.split('-').next().unwrap_or("") {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "GO" => "Go",
        "PYSEC" => "PyPA",
        "RUSTSEC" => "RustSec",
        _ => "OSV",
    }
}

/// A random version 4 UUID for the document's serial number.
fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    let _ = getrandom::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
