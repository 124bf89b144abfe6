//! The assessment report as one serialisable value (the JSON output), built from the session,
//! its checklist, the workspace and the sign-off state; the Markdown and HTML renderers in
//! `crate::report::assessment` only read it.

use super::definition::{Checklist, Meaning};
use super::method::Method;
use super::session::{Progress, Session, Treatment};
use super::signoff::SignState;
use crate::i18n::Lang;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde::Serialize;

pub const REPORT_SCHEMA: &str = "anbao.assessment.report/1";

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Both {
    pub zh: String,
    pub en: String,
}

impl Both {
    pub fn new(zh: &str, en: &str) -> Both {
        Both {
            zh: zh.into(),
            en: if en.is_empty() { zh.into() } else { en.into() },
        }
    }

    pub fn owned(zh: String, en: String) -> Both {
        Both { zh, en }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectInfo {
    pub name: Both,
    pub code: String,
    pub illustrative: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub role: String,
    pub role_name: Both,
    pub unit: Both,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    pub id: String,
    pub created: String,
    pub scope: String,
    pub protection_level: u8,
    pub supersedes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistInfo {
    pub id: String,
    pub version: u32,
    pub title: Both,
    pub file: String,
    pub hash: String,
    pub basis: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionRow {
    pub id: String,
    pub name: Both,
    pub progress: Progress,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub item: String,
    pub question: Both,
    pub asset: Both,
    pub threat: Both,
    pub asset_value: u8,
    pub threat_frequency: u8,
    pub severity: u8,
    pub likelihood: u8,
    pub impact: u8,
    pub level: u8,
    pub level_name: Both,
    pub existing_controls: String,
    pub treatment: Option<Treatment>,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub residual: Option<u8>,
    pub approver: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub path: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRow {
    pub item: String,
    pub section: Both,
    pub clauses: Vec<String>,
    pub question: Both,
    pub answer: Both,
    pub meaning: Meaning,
    pub role: String,
    /// The role's name, for readers (the id is for machines).
    pub role_name: Both,
    pub person: String,
    pub time: String,
    pub note: String,
    pub evidence: Vec<EvidenceRow>,
    pub confirmed_by: Option<String>,
    /// Who confirmed, with the role's name: "王科长 (项目实施单位)".
    pub confirmed_by_name: Option<Both>,
    pub derived: Option<Both>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub project: ProjectInfo,
    pub parties: Vec<Party>,
    pub session: SessionInfo,
    pub checklist: ChecklistInfo,
    pub method: Method,
    pub summary: Progress,
    /// Open risks by level, level 1 first.
    pub risks_by_level: [usize; 5],
    /// Risk counts by likelihood (rows, 1 first) and impact (columns, 1 first).
    pub heat_map: [[usize; 5]; 5],
    pub sections: Vec<SectionRow>,
    pub register: Vec<RegisterRow>,
    pub nonconforming: Vec<ItemRow>,
    pub signoff: SignState,
}

pub fn build(ws: &Workspace, cl: &Checklist, session: &Session, signoff: SignState) -> Report {
    let m = &ws.manifest;
    let unit = |role: &str| match role {
        "implementing" => Some(&m.units.implementing),
        "construction" => Some(&m.units.construction),
        "supervision" => m.units.supervision.as_ref(),
        _ => None,
    };
    let parties = cl
        .roles
        .iter()
        .map(|r| Party {
            role: r.id.clone(),
            role_name: Both::new(&r.name, &r.name_en),
            unit: unit(&r.id).map_or_else(
                || Both::new(&r.id, &r.id),
                |u| Both::new(&u.name, u.name_en.as_deref().unwrap_or(&u.name)),
            ),
        })
        .collect();
    let risks = session.risk_views(cl);
    let mut risks_by_level = [0usize; 5];
    for r in &risks {
        risks_by_level[usize::from(r.score.risk) - 1] += 1;
    }
    let register = risks
        .iter()
        .map(|r| {
            let item = cl.item(&r.item).expect("risks come from items");
            let asset = cl.asset(&r.asset).expect("validated");
            let threat = cl.threat(&r.threat).expect("validated");
            RegisterRow {
                item: r.item.clone(),
                question: Both::new(&item.question, &item.question_en),
                asset: Both::new(&asset.name, &asset.name_en),
                threat: Both::new(&threat.name, &threat.name_en),
                asset_value: r.entry.asset_value,
                threat_frequency: r.entry.threat_frequency,
                severity: r.entry.severity,
                likelihood: r.score.likelihood,
                impact: r.score.impact,
                level: r.score.risk,
                level_name: Both::new(
                    cl.method.level_name(r.score.risk, Lang::Zh),
                    cl.method.level_name(r.score.risk, Lang::En),
                ),
                existing_controls: r.entry.existing_controls.clone(),
                treatment: r.entry.treatment,
                owner: r.entry.owner.clone(),
                due: r.entry.due,
                residual: r.entry.residual,
                approver: r.entry.approver.clone(),
            }
        })
        .collect();
    let nonconforming = session
        .applicable(cl)
        .filter_map(|item| {
            let a = session.answers.get(&item.id)?;
            if !matches!(a.meaning, Meaning::NotConforming | Meaning::Partly) {
                return None;
            }
            let option = cl.answer(&a.answer)?;
            let section = cl.section(&item.section)?;
            Some(ItemRow {
                item: item.id.clone(),
                section: Both::new(&section.name, &section.name_en),
                clauses: item.clauses.clone(),
                question: Both::new(&item.question, &item.question_en),
                answer: Both::new(&option.name, &option.name_en),
                meaning: a.meaning,
                role: a.role.clone(),
                role_name: Both::owned(
                    cl.role_name(&a.role, Lang::Zh),
                    cl.role_name(&a.role, Lang::En),
                ),
                person: a.person.clone(),
                time: a.time.clone(),
                note: a.note.clone(),
                evidence: a
                    .evidence
                    .iter()
                    .map(|e| EvidenceRow {
                        path: e.path.clone(),
                        hash: e.hash.clone(),
                    })
                    .collect(),
                confirmed_by: a
                    .confirmation
                    .as_ref()
                    .map(|c| format!("{} ({})", c.person, c.role)),
                confirmed_by_name: a.confirmation.as_ref().map(|c| {
                    Both::owned(
                        format!("{}（{}）", c.person, cl.role_name(&c.role, Lang::Zh)),
                        format!("{} ({})", c.person, cl.role_name(&c.role, Lang::En)),
                    )
                }),
                derived: a
                    .derived
                    .as_ref()
                    .map(|d| Both::new(&d.detail.zh, &d.detail.en)),
            })
        })
        .collect();
    Report {
        schema: REPORT_SCHEMA,
        project: ProjectInfo {
            name: Both::new(
                &m.project.name,
                m.project.name_en.as_deref().unwrap_or(&m.project.name),
            ),
            code: m.project.code.clone(),
            illustrative: m.project.illustrative,
        },
        parties,
        session: SessionInfo {
            id: session.id.clone(),
            created: session.created.clone(),
            scope: session.scope.clone(),
            protection_level: session.protection_level,
            supersedes: session.supersedes.as_ref().map(|s| s.session.clone()),
        },
        checklist: ChecklistInfo {
            id: cl.id.clone(),
            version: cl.version,
            title: Both::new(&cl.title, &cl.title_en),
            file: session.checklist.file.clone(),
            hash: cl.hash.clone(),
            basis: cl.basis.clone(),
        },
        method: cl.method.clone(),
        summary: session.progress(cl, None),
        risks_by_level,
        heat_map: session.heat_map(cl),
        sections: cl
            .sections
            .iter()
            .map(|s| SectionRow {
                id: s.id.clone(),
                name: Both::new(&s.name, &s.name_en),
                progress: session.progress(cl, Some(&s.id)),
            })
            .collect(),
        register,
        nonconforming,
        signoff,
    }
}
