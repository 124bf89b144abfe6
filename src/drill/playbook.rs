//! Drill playbooks (`playbooks/*.toml`): the scenario of one incident, the teams and roles, the
//! objectives with their evaluation criteria, and the timed steps (injects). Every file is
//! checked on load and every problem is reported with its file, line and column.

use super::classes::{Classes, Grade};
use super::reporting::{reporting_clock, Operator, ReportingClock};
use super::text::LocalText;
use crate::error::{InputError, Location};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The folder of a workspace that holds its playbooks.
pub const DIR: &str = "playbooks";

/// How a drill is held (GB/T 38645-2020: 桌面推演, 实操演练, 示范演练).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    Tabletop,
    HandsOn,
    Demonstration,
}

/// What a drill covers (GB/T 38645-2020: 综合演练, 专项演练).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Content {
    Comprehensive,
    Special,
}

/// The teams of a drill organisation (GB/T 38645-2020 Annex A.2), plus the command post that
/// runs the drill on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Team {
    Leading,
    Command,
    Management,
    Technical,
    Evaluation,
    Implementation,
    Support,
}

keyword_enum!(Form { "tabletop" => Form::Tabletop, "hands-on" => Form::HandsOn, "demonstration" => Form::Demonstration });
keyword_enum!(Content { "comprehensive" => Content::Comprehensive, "special" => Content::Special });
keyword_enum!(Team {
    "leading" => Team::Leading, "command" => Team::Command, "management" => Team::Management,
    "technical" => Team::Technical, "evaluation" => Team::Evaluation,
    "implementation" => Team::Implementation, "support" => Team::Support,
});

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub team: Team,
    pub name: LocalText,
    pub duty: LocalText,
}

#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub id: String,
    pub text: LocalText,
    /// What the evaluation team looks for to rate this objective.
    pub criteria: LocalText,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: String,
    /// The responsible role.
    pub role: String,
    /// Minutes from the start of the drill by which the step should be done.
    pub target_minutes: u32,
    /// The inject: what the drill control tells or shows the players.
    pub inject: LocalText,
    /// What the players are expected to do.
    pub expected: LocalText,
    /// Objectives this step exercises.
    pub objectives: Vec<String>,
    /// This step is the incident report to the authority, held to the operator's clock.
    pub report: bool,
}

/// A checked playbook.
#[derive(Debug, Clone, Serialize)]
pub struct Playbook {
    pub id: String,
    pub title: LocalText,
    pub summary: LocalText,
    pub form: Form,
    pub content: Content,
    pub category: String,
    pub subcategory: String,
    pub grade: Grade,
    pub operator: Operator,
    /// Clauses of the standards the playbook follows.
    pub cites: Vec<String>,
    pub scenario: LocalText,
    pub roles: Vec<Role>,
    pub objectives: Vec<Objective>,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub path: PathBuf,
    /// SHA-256 of the file, so a run records exactly which version it followed.
    pub sha256: String,
}

impl Playbook {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The reporting clock of this playbook's operator kind and incident grade: hours,
    /// recipient and whether reporting is mandatory (the one source of it).
    pub fn reporting_clock(&self) -> ReportingClock {
        reporting_clock(self.operator, self.grade)
    }

    /// Minutes within which the operator must report an incident of this grade, if it must.
    pub fn report_clock(&self) -> Option<u32> {
        self.reporting_clock().mandatory_minutes()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaybook {
    id: Spanned<String>,
    title: Spanned<LocalText>,
    summary: Spanned<LocalText>,
    form: Spanned<String>,
    content: Spanned<String>,
    category: Spanned<String>,
    subcategory: Spanned<String>,
    grade: Spanned<String>,
    operator: Spanned<String>,
    cites: Spanned<Vec<String>>,
    scenario: Spanned<LocalText>,
    #[serde(default)]
    role: Vec<Spanned<RawRole>>,
    #[serde(default)]
    objective: Vec<Spanned<RawObjective>>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: Spanned<String>,
    team: Spanned<String>,
    name: Spanned<LocalText>,
    duty: Spanned<LocalText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    id: Spanned<String>,
    text: Spanned<LocalText>,
    criteria: Spanned<LocalText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    role: Spanned<String>,
    target_minutes: Spanned<u32>,
    inject: Spanned<LocalText>,
    expected: Spanned<LocalText>,
    #[serde(default)]
    objectives: Vec<Spanned<String>>,
    #[serde(default)]
    report: bool,
}

/// Collects the place of errors in one file.
struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Checker<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::new(
            self.path,
            Location::from_offset(self.text.as_bytes(), span.start),
            message,
        )
    }

    fn text(&self, field: &str, t: Spanned<LocalText>) -> Result<LocalText, InputError> {
        let span = t.span();
        let t = t.into_inner();
        match t.blank_language() {
            Some(lang) => Err(self.err(span, format!("'{field}' has no '{lang}' text"))),
            None => Ok(t),
        }
    }

    fn id(&self, what: &str, id: Spanned<String>) -> Result<String, InputError> {
        let span = id.span();
        let id = id.into_inner();
        if valid_id(&id) {
            Ok(id)
        } else {
            Err(self.err(
                span,
                format!("{what} id '{id}' must be lower-case letters, digits and '-'"),
            ))
        }
    }

    fn keyword<T>(
        &self,
        field: &str,
        value: Spanned<String>,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Result<T, InputError> {
        parse(value.get_ref()).ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "'{field}' must be one of {}, found '{}'",
                    words.join(", "),
                    value.get_ref()
                ),
            )
        })
    }
}

/// Whether `id` is a usable id: lower-case ASCII letters, digits and inner hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parses and checks one playbook file.
pub fn parse(path: &Path, text: &str, classes: &Classes) -> Result<Playbook, InputError> {
    let raw: RawPlaybook = crate::workspace::parse_toml(path, text)?;
    let c = Checker { path, text };
    let id_span = raw.id.span();
    let id = c.id("playbook", raw.id)?;
    if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
        if !stem.starts_with('<') && stem != id {
            return Err(c.err(
                id_span,
                format!("playbook id '{id}' must match the file name '{stem}.toml'"),
            ));
        }
    }
    let title = c.text("title", raw.title)?;
    let summary = c.text("summary", raw.summary)?;
    let scenario = c.text("scenario", raw.scenario)?;
    let form = c.keyword("form", raw.form, Form::parse, Form::WORDS)?;
    let content = c.keyword("content", raw.content, Content::parse, Content::WORDS)?;
    let grade = c.keyword("grade", raw.grade, Grade::parse, &["I", "II", "III", "IV"])?;
    if let Some(why) = Operator::retired_word(raw.operator.get_ref()) {
        return Err(c.err(raw.operator.span(), why));
    }
    let operator = c.keyword("operator", raw.operator, Operator::parse, Operator::WORDS)?;
    let Some(category) = classes.category(raw.category.get_ref()) else {
        let known: Vec<&str> = classes.categories.iter().map(|k| k.code.as_str()).collect();
        return Err(c.err(
            raw.category.span(),
            format!(
                "unknown incident category '{}'; known: {} (see {})",
                raw.category.get_ref(),
                known.join(", "),
                super::classes::WORKSPACE_FILE
            ),
        ));
    };
    if !category
        .subcategories
        .iter()
        .any(|s| &s.code == raw.subcategory.get_ref())
    {
        let known: Vec<&str> = category
            .subcategories
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        return Err(c.err(
            raw.subcategory.span(),
            format!(
                "sub-category '{}' is not in category '{}'; its sub-categories: {}",
                raw.subcategory.get_ref(),
                category.code,
                if known.is_empty() {
                    "none listed".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    let cites_span = raw.cites.span();
    let cites = raw.cites.into_inner();
    if cites.iter().all(|s| s.trim().is_empty()) {
        return Err(c.err(
            cites_span,
            "'cites' must name at least one clause the playbook follows",
        ));
    }

    let mut roles = Vec::new();
    let mut seen = BTreeSet::new();
    for r in raw.role {
        let r = r.into_inner();
        let span = r.id.span();
        let id = c.id("role", r.id)?;
        if !seen.insert(id.clone()) {
            return Err(c.err(span, format!("role '{id}' is defined twice")));
        }
        roles.push(Role {
            id,
            team: c.keyword("team", r.team, Team::parse, Team::WORDS)?,
            name: c.text("name", r.name)?,
            duty: c.text("duty", r.duty)?,
        });
    }
    if roles.is_empty() {
        return Err(InputError::whole_file(
            path,
            "a playbook needs at least one [[role]]",
        ));
    }

    let mut objectives = Vec::new();
    let mut objective_spans = Vec::new();
    let mut seen = BTreeSet::new();
    for o in raw.objective {
        let o = o.into_inner();
        let span = o.id.span();
        let id = c.id("objective", o.id)?;
        if !seen.insert(id.clone()) {
            return Err(c.err(span.clone(), format!("objective '{id}' is defined twice")));
        }
        objective_spans.push(span);
        objectives.push(Objective {
            id,
            text: c.text("text", o.text)?,
            criteria: c.text("criteria", o.criteria)?,
        });
    }
    if objectives.is_empty() {
        return Err(InputError::whole_file(
            path,
            "a playbook needs at least one [[objective]]",
        ));
    }

    let mut steps: Vec<Step> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut report_step = None;
    for s in raw.step {
        let s = s.into_inner();
        let span = s.id.span();
        let id = c.id("step", s.id)?;
        if !seen.insert(id.clone()) {
            return Err(c.err(span, format!("step '{id}' is defined twice")));
        }
        if !roles.iter().any(|r| &r.id == s.role.get_ref()) {
            return Err(c.err(
                s.role.span(),
                format!(
                    "step '{id}' names role '{}', which no [[role]] defines",
                    s.role.get_ref()
                ),
            ));
        }
        let target = *s.target_minutes.get_ref();
        if let Some(prev) = steps.last() {
            if target < prev.target_minutes {
                return Err(c.err(
                    s.target_minutes.span(),
                    format!(
                        "step '{id}' is due at minute {target}, before the step before it ('{}', minute {}); list steps in time order",
                        prev.id, prev.target_minutes
                    ),
                ));
            }
        }
        let mut objs = Vec::new();
        for o in s.objectives {
            if !objectives.iter().any(|x| &x.id == o.get_ref()) {
                return Err(c.err(
                    o.span(),
                    format!(
                        "step '{id}' names objective '{}', which no [[objective]] defines",
                        o.get_ref()
                    ),
                ));
            }
            objs.push(o.into_inner());
        }
        if s.report {
            let clock = reporting_clock(operator, grade);
            if let Some(limit) = clock.mandatory_minutes() {
                if target > limit {
                    return Err(c.err(
                        s.target_minutes.span(),
                        format!(
                            "report step '{id}' is due at minute {target}, after the {limit} minutes within which an operator of kind '{}' must report a grade {} incident to {}",
                            operator.as_str(),
                            grade.as_str(),
                            clock.recipient.en
                        ),
                    ));
                }
            }
            report_step = Some(id.clone());
        }
        steps.push(Step {
            id,
            role: s.role.into_inner(),
            target_minutes: target,
            inject: c.text("inject", s.inject)?,
            expected: c.text("expected", s.expected)?,
            objectives: objs,
            report: s.report,
        });
    }
    if steps.is_empty() {
        return Err(InputError::whole_file(
            path,
            "a playbook needs at least one [[step]]",
        ));
    }
    if grade.must_be_reported() && report_step.is_none() {
        return Err(InputError::whole_file(
            path,
            format!(
                "a grade {} incident must be reported: mark the reporting step with report = true",
                grade.as_str()
            ),
        ));
    }
    for (o, span) in objectives.iter().zip(objective_spans) {
        if !steps.iter().any(|s| s.objectives.contains(&o.id)) {
            return Err(c.err(
                span,
                format!("objective '{}' is exercised by no step", o.id),
            ));
        }
    }

    Ok(Playbook {
        id,
        title,
        summary,
        form,
        content,
        category: category.code.clone(),
        subcategory: raw.subcategory.into_inner(),
        grade,
        operator,
        cites,
        scenario,
        roles,
        objectives,
        steps,
        path: path.to_path_buf(),
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// Reads one playbook file.
pub fn load(path: &Path, classes: &Classes) -> Result<Playbook, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read: {e}")))?;
    parse(path, &text, classes)
}

/// Every playbook of the workspace at `root`, sorted by id; none when it has no `playbooks/`.
pub fn load_all(root: &Path, classes: &Classes) -> Result<Vec<Playbook>, InputError> {
    let dir = root.join(DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(InputError::whole_file(&dir, format!("cannot read: {e}"))),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out: Vec<Playbook> = Vec::new();
    for p in paths {
        out.push(load(&p, classes)?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_case() {
        assert!(valid_id("ransomware-gov-server"));
        assert!(!valid_id("Ransomware"));
        assert!(!valid_id("-a"));
        assert!(!valid_id(""));
    }

    #[test]
    fn the_shipped_playbooks_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = load_all(root, &Classes::builtin()).unwrap();
        assert!(all.len() >= 6, "{} playbooks", all.len());
        for p in &all {
            assert!(p.cites.iter().any(|c| c.contains("38645")), "{}", p.id);
            assert!(p.cites.iter().any(|c| c.contains("20986")), "{}", p.id);
            assert!(
                p.cites.iter().any(|c| c.contains("报告管理办法")),
                "{}",
                p.id
            );
        }
    }

    #[test]
    fn the_shipped_playbooks_follow_the_reporting_measures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = load_all(root, &Classes::builtin()).unwrap();
        let get = |id: &str| all.iter().find(|p| p.id == id).unwrap();
        // About 1.2 million people's data: 较大 under the grading guide, a city bureau is an
        // "other" operator, so 4 hours to the provincial-level cyberspace office.
        let leak = get("personal-data-leak").reporting_clock();
        assert_eq!(
            (leak.grade, leak.operator, leak.hours),
            (Grade::III, Operator::Other, 4)
        );
        assert!(leak.recipient.zh.contains("属地省级网信部门"));
        // A grade IV DDoS carries no mandatory report.
        assert!(!get("ddos-online-service").reporting_clock().mandatory);
        assert_eq!(get("ddos-online-service").report_clock(), None);
        // Only the cloud drill assumes critical information infrastructure.
        for p in &all {
            let clock = p.reporting_clock();
            assert_eq!(
                clock.operator == Operator::Cii,
                p.id == "gov-cloud-outage",
                "{}",
                p.id
            );
            assert_ne!(clock.operator, Operator::CentralOrgan, "{}", p.id);
            if clock.mandatory {
                // Article 8: every reportable drill assigns the closing report.
                assert!(
                    p.steps.iter().any(|s| s.expected.zh.contains("30 日内")),
                    "{}",
                    p.id
                );
                let step = p.steps.iter().find(|s| s.report).unwrap();
                assert!(
                    step.expected.zh.contains(&clock.recipient.zh[..6]),
                    "{}: the report step names {}",
                    p.id,
                    clock.recipient.zh
                );
            }
        }
    }
}
