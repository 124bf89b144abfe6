//! Assessment sessions: the answers, confirmations and risk register of one run of a checklist,
//! kept in `assessments/ID.json` and rewritten whole (atomically, under a lock) after every
//! change, so a crash or a killed terminal loses nothing that was reported saved.

use super::definition::{Checklist, Meaning};
use super::method::Score;
use super::Error;
use crate::i18n::ledger::Message;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use super::store::{valid_id, Store, SESSION_DIR};

pub const SESSION_SCHEMA: &str = "anbao.assessment.session/1";

/// Which checklist a session runs, pinned by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRef {
    pub id: String,
    pub version: u32,
    /// Relative to the workspace root.
    pub file: String,
    pub hash: String,
}

/// An evidence file attached to an answer, by hash; the file itself goes into the ledger's
/// evidence store when the assessment is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    /// As given, relative to the workspace root when inside it.
    pub path: String,
    pub hash: String,
    pub size: u64,
}

/// An answer anbao offered from data, kept with the answer the person gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub source: String,
    pub offered: Meaning,
    pub detail: super::report::Both,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub role: String,
    pub person: String,
    pub time: String,
    #[serde(default)]
    pub note: String,
}

/// An earlier answer to the same item, kept so the file shows how an answer changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastAnswer {
    pub answer: String,
    pub role: String,
    pub person: String,
    pub time: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The id of an answer of the checklist's scale.
    pub answer: String,
    pub meaning: Meaning,
    pub role: String,
    pub person: String,
    pub time: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derived>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Confirmation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<PastAnswer>,
}

/// How a risk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    Mitigate,
    Accept,
    Avoid,
    Transfer,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [
        Treatment::Mitigate,
        Treatment::Accept,
        Treatment::Avoid,
        Treatment::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Mitigate => "mitigate",
            Treatment::Accept => "accept",
            Treatment::Avoid => "avoid",
            Treatment::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Treatment> {
        Treatment::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn name(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (Treatment::Mitigate, Zh) => "降低",
            (Treatment::Accept, Zh) => "接受",
            (Treatment::Avoid, Zh) => "规避",
            (Treatment::Transfer, Zh) => "转移",
            (t, En) => t.as_str(),
        }
    }
}

/// A risk register entry: created when an item fails, with the levels the checklist suggests;
/// the team adjusts the levels and records the treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskEntry {
    pub asset_value: u8,
    pub threat_frequency: u8,
    pub severity: u8,
    #[serde(default)]
    pub existing_controls: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<Treatment>,
    #[serde(default)]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The risk level expected after treatment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual: Option<u8>,
    /// Who approved accepting the risk (needed from the method's approval level up).
    #[serde(default)]
    pub approver: String,
    #[serde(default)]
    pub note: String,
}

/// The signed record of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Ledger position of the `assessment.signoff` record (a string, as in the ledger).
    pub seq: String,
    pub leaf_hash: String,
    pub time: String,
}

impl Signoff {
    pub fn seq(&self) -> u64 {
        self.seq.parse().unwrap_or(u64::MAX)
    }
}

/// The signed session a new one replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supersedes {
    pub session: String,
    pub seq: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub schema: String,
    pub id: String,
    pub created: String,
    pub checklist: ChecklistRef,
    pub protection_level: u8,
    #[serde(default)]
    pub scope: String,
    /// Conditions the session sets against the checklist's defaults (e.g. `gov-cloud`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: super::condition::Values,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Supersedes>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub risks: BTreeMap<String, RiskEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signoff: Option<Signoff>,
}

/// What one person gives for one item.
#[derive(Debug, Clone)]
pub struct Given {
    pub item: String,
    pub answer: String,
    pub role: String,
    pub person: String,
    pub note: String,
    pub evidence: Vec<EvidenceFile>,
    pub derived: Option<Derived>,
}

/// A risk with its computed levels, for registers, heat maps and reports.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    pub item: String,
    pub section: String,
    pub asset: String,
    pub threat: String,
    pub entry: RiskEntry,
    pub score: Score,
    /// The accepted risk is at or above the approval level and names no approver.
    pub needs_approver: bool,
}

/// Counts of one section (or the whole session).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub items: usize,
    pub applicable: usize,
    pub answered: usize,
    pub confirmed: usize,
    pub unconfirmed: usize,
    pub conforming: usize,
    pub partly: usize,
    pub not_conforming: usize,
    pub not_applicable: usize,
}

impl Progress {
    pub fn complete(&self) -> bool {
        self.answered == self.applicable && self.unconfirmed == 0
    }
}

/// What still stands between a session and its sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Blocker {
    Unanswered { item: String },
    Unconfirmed { item: String, role: String },
    AcceptWithoutApprover { item: String },
    NoTreatment { item: String },
}

impl Session {
    pub fn new(
        checklist: &Checklist,
        file: String,
        id: String,
        protection_level: u8,
        scope: String,
        now: String,
    ) -> Session {
        Session {
            schema: SESSION_SCHEMA.into(),
            id,
            created: now,
            checklist: ChecklistRef {
                id: checklist.id.clone(),
                version: checklist.version,
                file,
                hash: checklist.hash.clone(),
            },
            protection_level,
            scope,
            conditions: BTreeMap::new(),
            supersedes: None,
            answers: BTreeMap::new(),
            risks: BTreeMap::new(),
            signoff: None,
        }
    }

    /// Refuses changes once the first unit has signed.
    pub fn ensure_open(&self) -> Result<(), Error> {
        match &self.signoff {
            None => Ok(()),
            Some(s) => Err(Error(Message::new(
                format!("评估 '{}' 已签署（账本第 {} 号记录），不可修改；如需变更，请用 `anbao assess new --supersedes {}` 新建替代评估", self.id, s.seq, self.id),
                format!("assessment '{}' is signed (ledger record {}) and read-only; for a change start a superseding one with `anbao assess new --supersedes {}`", self.id, s.seq, self.id),
            ))),
        }
    }

    /// Records an answer. A changed answer loses its confirmation; the answer it replaces is
    /// kept in the history. A failing answer opens a risk entry with the suggested levels.
    pub fn answer(&mut self, cl: &Checklist, g: Given, now: String) -> Result<(), Error> {
        self.ensure_open()?;
        let item = cl.item(&g.item).ok_or_else(|| unknown_item(&g.item))?;
        if let Some(c) = item
            .applies_when
            .as_deref()
            .filter(|c| !self.condition(cl, c))
        {
            let (zh, en) = cl
                .condition(c)
                .map_or((c, c), |x| (x.name.as_str(), x.name_en.as_str()));
            return Err(Error(Message::new(
                format!(
                    "第 {} 项仅在“{zh}”时适用，本评估已设定不满足该条件",
                    item.id
                ),
                format!(
                    "item {} applies only when the system {en}; this assessment says it does not",
                    item.id
                ),
            )));
        }
        if !item.applies(self.protection_level) {
            return Err(Error(Message::new(
                format!(
                    "第 {} 项仅适用于第 {} 级及以上，本评估为第 {} 级",
                    item.id,
                    item.min_level.unwrap_or(1),
                    self.protection_level
                ),
                format!(
                    "item {} applies from protection level {} up; this assessment is level {}",
                    item.id,
                    item.min_level.unwrap_or(1),
                    self.protection_level
                ),
            )));
        }
        let option = cl.answer(&g.answer).ok_or_else(|| {
            let ids: Vec<&str> = cl.answers.iter().map(|a| a.id.as_str()).collect();
            Error(Message::new(
                format!("未知的答复 '{}'；可选：{}", g.answer, ids.join("、")),
                format!(
                    "unknown answer '{}'; the scale has {}",
                    g.answer,
                    ids.join(", ")
                ),
            ))
        })?;
        if g.role != item.answered_by {
            return Err(wrong_role(&item.id, &item.answered_by, &g.role, "answer"));
        }
        if g.person.trim().is_empty() {
            return Err(Error(Message::new(
                "请注明答复人（--person）",
                "say who answers (--person)",
            )));
        }
        let mut history = Vec::new();
        if let Some(old) = self.answers.remove(&item.id) {
            history = old.history;
            history.push(PastAnswer {
                answer: old.answer,
                role: old.role,
                person: old.person,
                time: old.time,
                note: old.note,
            });
        }
        if option.creates_risk && !self.risks.contains_key(&item.id) {
            let severity = (i16::from(item.risk.severity) + i16::from(option.severity_offset))
                .clamp(1, 5) as u8;
            let asset = cl.asset(&item.risk.asset).map_or(3, |a| a.value);
            let threat = cl.threat(&item.risk.threat).map_or(3, |t| t.frequency);
            self.risks.insert(
                item.id.clone(),
                RiskEntry {
                    asset_value: asset,
                    threat_frequency: threat,
                    severity,
                    existing_controls: String::new(),
                    treatment: None,
                    owner: String::new(),
                    due: None,
                    residual: None,
                    approver: String::new(),
                    note: String::new(),
                },
            );
        }
        self.answers.insert(
            item.id.clone(),
            Answer {
                answer: option.id.clone(),
                meaning: option.meaning,
                role: g.role,
                person: g.person,
                time: now,
                note: g.note,
                evidence: g.evidence,
                derived: g.derived,
                confirmation: None,
                history,
            },
        );
        Ok(())
    }

    /// Confirms an answer as the item's confirming role.
    pub fn confirm(
        &mut self,
        cl: &Checklist,
        item_id: &str,
        role: &str,
        person: &str,
        note: &str,
        now: String,
    ) -> Result<(), Error> {
        self.ensure_open()?;
        let item = cl.item(item_id).ok_or_else(|| unknown_item(item_id))?;
        let Some(confirmer) = &item.confirmed_by else {
            return Err(Error(Message::new(
                format!("第 {item_id} 项无需确认"),
                format!("item {item_id} needs no confirmation"),
            )));
        };
        if confirmer != role {
            return Err(wrong_role(item_id, confirmer, role, "confirm"));
        }
        if person.trim().is_empty() {
            return Err(Error(Message::new(
                "请注明确认人（--person）",
                "say who confirms (--person)",
            )));
        }
        let answer = self.answers.get_mut(item_id).ok_or_else(|| {
            Error(Message::new(
                format!("第 {item_id} 项尚未答复，无法确认"),
                format!("item {item_id} has no answer to confirm yet"),
            ))
        })?;
        // A confirmation is the other unit's check of an answer: the person who gave the
        // answer cannot also give it, whichever role they claim.
        if same_person(&answer.person, person) {
            return Err(Error(Message::new(
                format!(
                    "第 {item_id} 项由 {} 答复，同一人不能再以另一方身份确认；请由 {confirmer} 方的其他人员确认",
                    answer.person.trim()
                ),
                format!(
                    "item {item_id} was answered by {}, who cannot also confirm it for the other unit; someone else of {confirmer} confirms it",
                    answer.person.trim()
                ),
            )));
        }
        answer.confirmation = Some(Confirmation {
            role: role.into(),
            person: person.into(),
            time: now,
            note: note.into(),
        });
        Ok(())
    }

    /// The value of a checklist condition for this session.
    pub fn condition(&self, cl: &Checklist, id: &str) -> bool {
        super::condition::value(&cl.conditions, &self.conditions, id)
    }

    /// Whether `item` applies to this session: its level and its condition.
    pub fn applies(&self, cl: &Checklist, item: &super::definition::Item) -> bool {
        item.applies(self.protection_level)
            && item
                .applies_when
                .as_deref()
                .is_none_or(|c| self.condition(cl, c))
    }

    /// Items of the checklist that apply to this session, in checklist order.
    pub fn applicable<'c>(
        &'c self,
        cl: &'c Checklist,
    ) -> impl Iterator<Item = &'c super::definition::Item> + 'c {
        cl.items.iter().filter(move |i| self.applies(cl, i))
    }

    pub fn needs_confirmation(&self, item: &super::definition::Item) -> bool {
        item.confirmed_by.is_some()
            && self
                .answers
                .get(&item.id)
                .is_some_and(|a| a.confirmation.is_none())
    }

    /// Progress of the items of `section` (all sections when `None`).
    pub fn progress(&self, cl: &Checklist, section: Option<&str>) -> Progress {
        let mut p = Progress::default();
        for item in cl
            .items
            .iter()
            .filter(|i| section.is_none_or(|s| i.section == s))
        {
            p.items += 1;
            if !self.applies(cl, item) {
                continue;
            }
            p.applicable += 1;
            let Some(a) = self.answers.get(&item.id) else {
                continue;
            };
            p.answered += 1;
            match a.meaning {
                Meaning::Conforming => p.conforming += 1,
                Meaning::Partly => p.partly += 1,
                Meaning::NotConforming => p.not_conforming += 1,
                Meaning::NotApplicable => p.not_applicable += 1,
            }
            if item.confirmed_by.is_some() {
                if a.confirmation.is_some() {
                    p.confirmed += 1;
                } else {
                    p.unconfirmed += 1;
                }
            }
        }
        p
    }

    /// The open risks: those of applicable items whose current answer creates one.
    pub fn risk_views(&self, cl: &Checklist) -> Vec<RiskView> {
        let m = &cl.method;
        self.applicable(cl)
            .filter_map(|item| {
                let a = self.answers.get(&item.id)?;
                let option = cl.answer(&a.answer)?;
                if !option.creates_risk {
                    return None;
                }
                let entry = self.risks.get(&item.id)?.clone();
                let score = m.score(entry.asset_value, entry.threat_frequency, entry.severity);
                let needs_approver = entry.treatment == Some(Treatment::Accept)
                    && score.risk >= m.approval_from
                    && entry.approver.trim().is_empty();
                Some(RiskView {
                    item: item.id.clone(),
                    section: item.section.clone(),
                    asset: item.risk.asset.clone(),
                    threat: item.risk.threat.clone(),
                    entry,
                    score,
                    needs_approver,
                })
            })
            .collect()
    }

    /// Counts of risks by likelihood (rows, level 1 first) and impact (columns).
    pub fn heat_map(&self, cl: &Checklist) -> [[usize; 5]; 5] {
        let mut grid = [[0usize; 5]; 5];
        for r in self.risk_views(cl) {
            grid[usize::from(r.score.likelihood) - 1][usize::from(r.score.impact) - 1] += 1;
        }
        grid
    }

    /// What must still happen before the units can sign.
    pub fn blockers(&self, cl: &Checklist) -> Vec<Blocker> {
        let mut out = Vec::new();
        for item in self.applicable(cl) {
            match self.answers.get(&item.id) {
                None => out.push(Blocker::Unanswered {
                    item: item.id.clone(),
                }),
                Some(a) if a.confirmation.is_none() => {
                    if let Some(role) = &item.confirmed_by {
                        out.push(Blocker::Unconfirmed {
                            item: item.id.clone(),
                            role: role.clone(),
                        });
                    }
                }
                Some(_) => {}
            }
        }
        for r in self.risk_views(cl) {
            if r.entry.treatment.is_none() {
                out.push(Blocker::NoTreatment { item: r.item });
            } else if r.needs_approver {
                out.push(Blocker::AcceptWithoutApprover { item: r.item });
            }
        }
        out
    }

    /// Changes a risk register entry of a failed item.
    pub fn update_risk(
        &mut self,
        cl: &Checklist,
        item_id: &str,
        change: impl FnOnce(&mut RiskEntry),
    ) -> Result<(), Error> {
        self.ensure_open()?;
        let item = cl.item(item_id).ok_or_else(|| unknown_item(item_id))?;
        if !self.risk_views(cl).iter().any(|r| r.item == item.id) {
            return Err(Error(Message::new(
                format!("第 {item_id} 项没有风险（仅不符合或部分符合的答复产生风险）"),
                format!("item {item_id} has no risk (only failed or partly conforming answers create one)"),
            )));
        }
        let entry = self
            .risks
            .get_mut(item_id)
            .expect("a listed risk has an entry");
        change(entry);
        for (what, v) in [
            ("asset_value", entry.asset_value),
            ("threat_frequency", entry.threat_frequency),
            ("severity", entry.severity),
            ("residual", entry.residual.unwrap_or(1)),
        ] {
            if !(1..=5).contains(&v) {
                return Err(Error(Message::new(
                    format!("{what} 须为 1 至 5 级，实为 {v}"),
                    format!("{what} must be a level from 1 to 5, found {v}"),
                )));
            }
        }
        let score = cl
            .method
            .score(entry.asset_value, entry.threat_frequency, entry.severity);
        if entry.treatment == Some(Treatment::Accept)
            && score.risk >= cl.method.approval_from
            && entry.approver.trim().is_empty()
        {
            return Err(Error(Message::new(
                format!(
                    "第 {item_id} 项风险为“{}”级，接受该风险须注明批准人（--approver）",
                    cl.method.level_name(score.risk, crate::i18n::Lang::Zh)
                ),
                format!(
                    "the risk of item {item_id} is '{}'; accepting it needs a named approver (--approver)",
                    cl.method.level_name(score.risk, crate::i18n::Lang::En)
                ),
            )));
        }
        Ok(())
    }
}

/// Whether two recorded names are one person: the same letters, whatever the spacing and case.
fn same_person(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
    norm(a) == norm(b)
}

fn unknown_item(id: &str) -> Error {
    Error(Message::new(
        format!("检查表中没有第 '{id}' 项"),
        format!("the checklist has no item '{id}'"),
    ))
}

fn wrong_role(item: &str, expected: &str, given: &str, what: &str) -> Error {
    let (zh_what, en_what) = if what == "answer" {
        ("答复", "answered")
    } else {
        ("确认", "confirmed")
    };
    Error(Message::new(
        format!("第 {item} 项由 {expected} 方{zh_what}，而不是 {given}"),
        format!("item {item} is {en_what} by {expected}, not {given}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn checklist() -> Checklist {
        Checklist::parse(
            Path::new("minimal.toml"),
            include_str!("../../tests/fixtures/assess/minimal.toml"),
        )
        .unwrap()
    }

    fn given(item: &str, answer: &str) -> Given {
        Given {
            item: item.into(),
            answer: answer.into(),
            role: "construction".into(),
            person: "李工".into(),
            note: String::new(),
            evidence: Vec::new(),
            derived: None,
        }
    }

    fn session(cl: &Checklist, level: u8) -> Session {
        Session::new(
            cl,
            "m.toml".into(),
            "s".into(),
            level,
            String::new(),
            "t0".into(),
        )
    }

    #[test]
    fn a_failed_answer_opens_a_risk_scored_by_the_checklists_method() {
        let cl = checklist();
        let mut s = session(&cl, 3);
        s.answer(&cl, given("T-01", "no"), "t1".into()).unwrap();
        let risks = s.risk_views(&cl);
        assert_eq!(risks.len(), 1);
        // Asset 4, threat 3, severity 4 with the example matrix: L (3,4) = 16 → 4,
        // I (4,4) = 18 → 4, R (4,4) = 18 → 4.
        let r = &risks[0];
        assert_eq!(
            (
                r.entry.asset_value,
                r.entry.threat_frequency,
                r.entry.severity
            ),
            (4, 3, 4)
        );
        assert_eq!(
            (r.score.likelihood, r.score.impact, r.score.risk),
            (4, 4, 4)
        );
        assert_eq!(s.heat_map(&cl)[3][3], 1);
        // A partly answer lowers the suggested severity by the scale's offset.
        s.answer(&cl, given("T-02", "partly"), "t2".into()).unwrap();
        assert_eq!(s.risks["T-02"].severity, 2);
        // A conforming answer closes the risk in the register (the entry stays on file).
        s.answer(&cl, given("T-01", "yes"), "t3".into()).unwrap();
        assert_eq!(s.risk_views(&cl).len(), 1);
    }

    #[test]
    fn a_changed_answer_loses_its_confirmation_and_keeps_its_history() {
        let cl = checklist();
        let mut s = session(&cl, 3);
        s.answer(&cl, given("T-01", "yes"), "t1".into()).unwrap();
        s.confirm(&cl, "T-01", "implementing", "王", "", "t2".into())
            .unwrap();
        assert_eq!(s.progress(&cl, None).confirmed, 1);
        s.answer(&cl, given("T-01", "no"), "t3".into()).unwrap();
        let a = &s.answers["T-01"];
        assert!(a.confirmation.is_none());
        assert_eq!(a.history.len(), 1);
        assert_eq!(a.history[0].answer, "yes");
        assert_eq!(s.progress(&cl, None).unconfirmed, 1);
    }

    #[test]
    fn roles_answer_and_confirm_only_their_items() {
        let cl = checklist();
        let mut s = session(&cl, 3);
        let mut g = given("T-01", "yes");
        g.role = "implementing".into();
        assert!(s.answer(&cl, g, "t".into()).is_err());
        assert!(
            s.confirm(&cl, "T-01", "implementing", "王", "", "t".into())
                .is_err(),
            "nothing to confirm yet"
        );
        s.answer(&cl, given("T-01", "yes"), "t".into()).unwrap();
        assert!(s
            .confirm(&cl, "T-01", "construction", "李", "", "t".into())
            .is_err());
        assert!(s.answer(&cl, given("T-01", "maybe"), "t".into()).is_err());
        assert!(s.answer(&cl, given("T-99", "yes"), "t".into()).is_err());
    }

    #[test]
    fn the_person_who_answered_cannot_confirm_as_the_other_unit() {
        let cl = checklist();
        let mut s = session(&cl, 3);
        s.answer(&cl, given("T-01", "yes"), "t1".into()).unwrap();
        // 李工 answered for construction; confirming as implementing is still 李工.
        let err = s
            .confirm(&cl, "T-01", "implementing", " 李工 ", "", "t2".into())
            .unwrap_err();
        assert!(err.to_string().contains("cannot also confirm"), "{err}");
        assert!(s.answers["T-01"].confirmation.is_none());
        s.answer(
            &cl,
            Given {
                person: "Li Gong".into(),
                ..given("T-01", "no")
            },
            "t3".into(),
        )
        .unwrap();
        assert!(s
            .confirm(&cl, "T-01", "implementing", "li  gong", "", "t4".into())
            .is_err());
        s.confirm(&cl, "T-01", "implementing", "王", "", "t5".into())
            .unwrap();
    }

    #[test]
    fn conditions_leave_items_out_below_their_level() {
        let cl = checklist();
        let mut s = session(&cl, 2);
        assert_eq!(s.progress(&cl, None).applicable, 1);
        assert!(s.answer(&cl, given("T-02", "yes"), "t".into()).is_err());
        s.answer(&cl, given("T-01", "yes"), "t".into()).unwrap();
        s.confirm(&cl, "T-01", "implementing", "王", "", "t".into())
            .unwrap();
        assert!(s.blockers(&cl).is_empty());
    }

    #[test]
    fn accepting_a_high_risk_needs_an_approver_and_sign_off_waits_for_treatment() {
        let cl = checklist();
        let mut s = session(&cl, 2);
        s.answer(&cl, given("T-01", "no"), "t".into()).unwrap();
        s.confirm(&cl, "T-01", "implementing", "王", "", "t".into())
            .unwrap();
        assert_eq!(
            s.blockers(&cl),
            vec![Blocker::NoTreatment {
                item: "T-01".into()
            }]
        );
        let before = s.clone();
        let err = s
            .update_risk(&cl, "T-01", |e| e.treatment = Some(Treatment::Accept))
            .unwrap_err();
        assert!(err.to_string().contains("approver"), "{err}");
        // The store saves nothing after an error; the caller's copy is what it was.
        let mut s = before;
        s.update_risk(&cl, "T-01", |e| {
            e.treatment = Some(Treatment::Accept);
            e.approver = "局长".into();
        })
        .unwrap();
        assert!(s.blockers(&cl).is_empty());
        // Lowering the risk below the approval level makes the approver optional.
        s.update_risk(&cl, "T-01", |e| {
            e.approver.clear();
            e.severity = 1;
        })
        .unwrap();
        assert!(s
            .update_risk(&cl, "T-01", |e| e.residual = Some(9))
            .is_err());
    }

    #[test]
    fn a_signed_session_is_read_only_and_the_store_round_trips() {
        let cl = checklist();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.create(&session(&cl, 3)).unwrap();
        assert!(store.create(&session(&cl, 3)).is_err(), "no overwrite");
        store
            .update("s", |s| s.answer(&cl, given("T-01", "yes"), "t".into()))
            .unwrap();
        // A failing change writes nothing.
        assert!(store
            .update("s", |s| s.answer(&cl, given("T-99", "yes"), "t".into()))
            .is_err());
        let mut s = store.load("s").unwrap();
        assert_eq!(s.answers.len(), 1);
        s.signoff = Some(Signoff {
            seq: "0".into(),
            leaf_hash: "sha256:00".into(),
            time: "t".into(),
        });
        assert!(s.answer(&cl, given("T-01", "no"), "t".into()).is_err());
        assert!(store.load("../etc").is_err());
        assert_eq!(store.list(), vec!["s".to_string()]);
    }
}
