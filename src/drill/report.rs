//! The two drill reports as data, ready for any renderer (JSON, Markdown, HTML): the annual
//! plan with every drill's standing, and one drill's summary report with its timeline.

use super::plan::Plan;
use super::playbook::Playbook;
use super::record::FinishedDrill;
use super::run::Run;
use super::schedule::{self, NextPlan, Occurrence};
use super::timeline::{StepTiming, Timeline, TimelineFinding};
use crate::calendar::Calendar;
use chrono::NaiveDate;
use serde::Serialize;

/// The annual plan and how each of its drills stands on `as_of`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema: &'static str,
    pub project: String,
    pub project_en: Option<String>,
    pub illustrative: bool,
    pub as_of: NaiveDate,
    pub plan: Plan,
    pub occurrences: Vec<Occurrence>,
    pub next_plan: NextPlan,
    /// Titles of the playbooks the plan names, by id.
    pub playbooks: Vec<Playbook>,
}

impl PlanReport {
    pub fn new(
        ws: &crate::workspace::Workspace,
        plan: &Plan,
        next: Option<&Plan>,
        playbooks: &[Playbook],
        cal: &Calendar,
        finished: &[FinishedDrill],
        as_of: NaiveDate,
    ) -> PlanReport {
        PlanReport {
            schema: "anbao.drill.plan/1",
            project: ws.manifest.project.name.clone(),
            project_en: ws.manifest.project.name_en.clone(),
            illustrative: ws.manifest.project.illustrative,
            as_of,
            plan: plan.clone(),
            occurrences: schedule::occurrences(plan, cal, finished, as_of),
            next_plan: schedule::next_plan(plan, next, cal, as_of),
            playbooks: playbooks
                .iter()
                .filter(|p| plan.items.iter().any(|i| i.playbook == p.id))
                .cloned()
                .collect(),
        }
    }

    pub fn playbook(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id)
    }
}

/// One drill's summary report: what the national drill guide asks of a summary, and the
/// timeline of target against actual.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub schema: &'static str,
    pub project: String,
    pub project_en: Option<String>,
    pub illustrative: bool,
    pub run: Run,
    pub playbook: Playbook,
    /// The plan item's purpose, when the run belongs to a plan item.
    pub purpose: Option<super::text::LocalText>,
    /// The zone every time of the report is shown in (`[project] timezone`).
    pub timezone: crate::timezone::Zone,
    pub timings: Vec<StepTiming>,
    /// Minutes from the start within which the incident must be reported, when it must be.
    pub reporting_clock_minutes: Option<u32>,
    /// A missed reporting clock first, then the steps done after their target.
    pub findings: Vec<TimelineFinding>,
    /// The reporting clock and how the drill met it (articles 4, 7 and 8 of the national
    /// incident reporting measures).
    pub reporting: super::reporting::DrillReporting,
    /// Names of the manifest's units, for participants named by unit key.
    pub unit_names: std::collections::BTreeMap<String, super::text::LocalText>,
}

impl RunReport {
    /// The display name of a participant's unit.
    pub fn unit(&self, key: &str, lang: crate::i18n::Lang) -> String {
        self.unit_names
            .get(key)
            .map_or(key.to_string(), |t| t.get(lang).to_string())
    }
}

impl RunReport {
    pub fn new(
        ws: &crate::workspace::Workspace,
        run: &Run,
        playbook: &Playbook,
        plans: &[Plan],
    ) -> RunReport {
        let timeline = Timeline::of(run, playbook);
        let purpose = run.plan_item.as_ref().and_then(|item| {
            plans
                .iter()
                .filter(|p| run.plan_year.is_none_or(|y| y == p.year))
                .flat_map(|p| &p.items)
                .find(|i| &i.id == item)
                .map(|i| i.purpose.clone())
        });
        let report_step = playbook.steps.iter().find(|s| s.report).map(|s| {
            let timing = timeline.steps.iter().find(|t| t.id == s.id);
            (
                s.id.as_str(),
                s.target_minutes,
                timing.map_or(super::run::StepStatus::Pending, |t| t.status),
                timing.and_then(|t| t.actual_minutes),
            )
        });
        let reporting = super::reporting::DrillReporting::new(
            playbook.reporting_clock(),
            report_step,
            run.finished
                .map(|t| ws.manifest.project.timezone.fixed(t).date_naive()),
        );
        RunReport {
            schema: "anbao.drill.summary/1",
            project: ws.manifest.project.name.clone(),
            project_en: ws.manifest.project.name_en.clone(),
            illustrative: ws.manifest.project.illustrative,
            run: run.clone(),
            playbook: playbook.clone(),
            purpose,
            timezone: ws.manifest.project.timezone,
            timings: timeline.steps,
            reporting_clock_minutes: timeline.reporting_clock_minutes,
            findings: timeline.findings,
            reporting,
            unit_names: super::unit_keys(ws)
                .into_iter()
                .map(|k| {
                    (
                        k.to_string(),
                        super::text::LocalText::new(
                            super::unit_name(ws, k, crate::i18n::Lang::Zh),
                            super::unit_name(ws, k, crate::i18n::Lang::En),
                        ),
                    )
                })
                .collect(),
        }
    }
}
