//! A drill's timeline against its playbook: each step's target and, for a step done, the minutes
//! it took from the start; every step done later than its target and, above all, an incident
//! report made after the playbook's reporting clock (or never made) as findings. The summary
//! report, `drill show` and the `drill.finished` record all read the timeline from here.

use super::playbook::Playbook;
use super::run::{Run, StepStatus, Time};
use super::text::LocalText;
use serde::Serialize;

/// How one step went against its target.
#[derive(Debug, Clone, Serialize)]
pub struct StepTiming {
    pub id: String,
    pub status: StepStatus,
    pub target_minutes: u32,
    /// Minutes from the start of the drill to when the step was done. Only a step done has an
    /// actual time: a skipped or failed step was not carried out, so it has none.
    pub actual_minutes: Option<i64>,
    /// Actual minus target, for a step done; positive means late.
    pub late_by_minutes: Option<i64>,
    /// When the step was done, skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Time>,
    /// The incident report to the authority, held to the reporting clock.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub report: bool,
}

impl StepTiming {
    /// Done after its target.
    pub fn is_late(&self) -> bool {
        self.late_by_minutes.is_some_and(|m| m > 0)
    }
}

/// What a timeline finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineCode {
    /// The incident was reported after the reporting clock, or not at all.
    ReportingClockMissed,
    /// A step was done after its target.
    StepLate,
}

impl TimelineCode {
    pub const ALL: [TimelineCode; 2] = [TimelineCode::ReportingClockMissed, TimelineCode::StepLate];

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineCode::ReportingClockMissed => "reporting-clock-missed",
            TimelineCode::StepLate => "step-late",
        }
    }

    pub fn parse(s: &str) -> Option<TimelineCode> {
        TimelineCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What the finding means, for `anbao explain`.
    pub fn explain(self, lang: crate::i18n::Lang) -> &'static str {
        let (zh, en) = match self {
            TimelineCode::ReportingClockMissed => (
                "演练中的事件报告晚于演练脚本的报告时限（按运营者类型和事件级别确定，从演练开始计），或报告步骤被跳过、未完成。真实事件中这意味着未按《网络安全事件报告管理办法》的时限报告：请在整改措施中说明如何保证按时报告。",
                "The incident report of the drill was made after the playbook's reporting clock (set by the operator kind and the incident grade, counted from the start), or the reporting step was skipped or failed. In a real incident the report would be late under the national incident reporting measures: say in the improvement actions how it will be on time.",
            ),
            TimelineCode::StepLate => (
                "演练步骤的完成时间晚于演练脚本给出的目标时间（从演练开始计的分钟数）。",
                "A step of the drill was done later than the target the playbook gives it (minutes from the start).",
            ),
        };
        match lang {
            crate::i18n::Lang::Zh => zh,
            crate::i18n::Lang::En => en,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineFinding {
    pub code: TimelineCode,
    pub step: String,
    pub message: LocalText,
}

/// The timeline of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub steps: Vec<StepTiming>,
    /// Minutes from the start within which the incident must be reported (the playbook's
    /// reporting clock), when it must be.
    pub reporting_clock_minutes: Option<u32>,
    /// A missed reporting clock first, then the late steps in playbook order.
    pub findings: Vec<TimelineFinding>,
}

impl Timeline {
    pub fn of(run: &Run, playbook: &Playbook) -> Timeline {
        let clock = playbook.report_clock();
        let steps: Vec<StepTiming> = run
            .steps
            .iter()
            .map(|log| {
                let step = playbook.step(&log.id);
                let target = step.map_or(0, |s| s.target_minutes);
                let actual = match log.status {
                    StepStatus::Done => log.ended.map(|t| run.minutes_at(t)),
                    _ => None,
                };
                StepTiming {
                    id: log.id.clone(),
                    status: log.status,
                    target_minutes: target,
                    actual_minutes: actual,
                    late_by_minutes: actual.map(|a| a - i64::from(target)),
                    closed_at: log.ended.filter(|_| log.status.is_final()),
                    report: step.is_some_and(|s| s.report),
                }
            })
            .collect();
        let mut findings = Vec::new();
        if let Some(clock) = clock {
            for t in steps.iter().filter(|t| t.report) {
                if let Some(message) = clock_missed(t, clock) {
                    findings.push(TimelineFinding {
                        code: TimelineCode::ReportingClockMissed,
                        step: t.id.clone(),
                        message,
                    });
                }
            }
        }
        for t in steps.iter().filter(|t| t.is_late()) {
            let (actual, late) = (
                t.actual_minutes.unwrap_or(0),
                t.late_by_minutes.unwrap_or(0),
            );
            findings.push(TimelineFinding {
                code: TimelineCode::StepLate,
                step: t.id.clone(),
                message: LocalText::new(
                    format!(
                        "步骤 {} 于开始后 {actual} 分钟完成，比目标 {} 分钟晚 {late} 分钟",
                        t.id, t.target_minutes
                    ),
                    format!(
                        "step {} was done {actual} min after the start, {late} min after its target of {} min",
                        t.id, t.target_minutes
                    ),
                ),
            });
        }
        Timeline {
            steps,
            reporting_clock_minutes: clock,
            findings,
        }
    }

    /// Whether the incident was not reported within the clock.
    pub fn clock_missed(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.code == TimelineCode::ReportingClockMissed)
    }
}

/// Why the reporting step misses the clock, if it does: done after it, or skipped or failed.
/// A step still open is not judged here (the run is not over).
fn clock_missed(t: &StepTiming, clock: u32) -> Option<LocalText> {
    let hours = |m: u32| {
        if m % 60 == 0 {
            format!("{}", m / 60)
        } else {
            format!("{:.1}", f64::from(m) / 60.0)
        }
    };
    let h = hours(clock);
    if super::reporting::clock_met(clock, t.status, t.actual_minutes)? {
        return None;
    }
    match t.status {
        StepStatus::Done => {
            let actual = t.actual_minutes?;
            Some(LocalText::new(
                format!(
                    "未在报告时限内报告：步骤 {} 于开始后 {actual} 分钟完成，超过 {h} 小时（{clock} 分钟）的报告时限 {} 分钟",
                    t.id,
                    actual - i64::from(clock)
                ),
                format!(
                    "reporting clock missed: step {} was done {actual} min after the start, {} min past the {h}-hour ({clock} min) clock",
                    t.id,
                    actual - i64::from(clock)
                ),
            ))
        }
        StepStatus::Skipped | StepStatus::Failed => {
            let (zh, en) = if t.status == StepStatus::Skipped {
                ("跳过", "skipped")
            } else {
                ("未完成", "failed")
            };
            Some(LocalText::new(
                format!(
                    "未在报告时限内报告：报告步骤 {} {zh}，{h} 小时（{clock} 分钟）的报告时限未能满足",
                    t.id
                ),
                format!(
                    "reporting clock missed: the reporting step {} was {en}, so the {h}-hour ({clock} min) clock was not met",
                    t.id
                ),
            ))
        }
        StepStatus::Pending | StepStatus::Started => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::classes::Classes;
    use crate::drill::run::StepEvent;
    use std::path::Path;

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn playbook(name: &str) -> Playbook {
        crate::drill::playbook::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("playbooks/{name}.toml")),
            &Classes::builtin(),
        )
        .unwrap()
    }

    /// A run of the portal-defacement playbook with the first steps logged.
    fn run_with(events: &[(&str, StepEvent, &str)]) -> (Run, Playbook) {
        let pb = playbook("portal-defacement");
        let mut run = Run::new("r", &pb, "", t("2026-11-20T20:30:00+08:00"));
        for (step, event, at) in events {
            run.step(step, *event, t(at), Some("note".into())).unwrap();
        }
        (run, pb)
    }

    #[test]
    fn only_a_step_done_has_an_actual_time() {
        let (run, pb) = run_with(&[
            ("confirm", StepEvent::Done, "2026-11-20T20:44:00+08:00"),
            (
                "maintenance-page",
                StepEvent::Fail,
                "2026-11-20T21:10:00+08:00",
            ),
        ]);
        let tl = Timeline::of(&run, &pb);
        assert_eq!(
            (tl.steps[0].actual_minutes, tl.steps[0].late_by_minutes),
            (Some(14), Some(-1))
        );
        let failed = &tl.steps[1];
        assert_eq!(failed.status, StepStatus::Failed);
        assert_eq!(
            (failed.actual_minutes, failed.late_by_minutes),
            (None, None)
        );
        assert_eq!(failed.closed_at, Some(t("2026-11-20T21:10:00+08:00")));
        assert!(!failed.is_late());
        assert!(tl.findings.is_empty(), "{:?}", tl.findings);
    }

    #[test]
    fn late_steps_and_a_report_after_the_clock_are_findings_the_clock_first() {
        let pb = playbook("portal-defacement");
        let report = pb
            .steps
            .iter()
            .find(|s| s.report)
            .expect("a reporting step");
        let clock = pb.report_clock().expect("a clock");
        let start = t("2026-11-20T20:30:00+08:00");
        let mut run = Run::new("r", &pb, "", start);
        // The first step 6 minutes late; the report 10 minutes past the clock.
        let first = &pb.steps[0];
        let at = |m: i64| start + chrono::Duration::minutes(m);
        run.step(
            &first.id,
            StepEvent::Done,
            at(i64::from(first.target_minutes) + 6),
            None,
        )
        .unwrap();
        run.step(&report.id, StepEvent::Done, at(i64::from(clock) + 10), None)
            .unwrap();
        let tl = Timeline::of(&run, &pb);
        assert_eq!(tl.reporting_clock_minutes, Some(clock));
        let codes: Vec<(TimelineCode, &str)> = tl
            .findings
            .iter()
            .map(|f| (f.code, f.step.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                (TimelineCode::ReportingClockMissed, report.id.as_str()),
                (TimelineCode::StepLate, first.id.as_str()),
                (TimelineCode::StepLate, report.id.as_str()),
            ]
        );
        assert!(
            tl.findings[0].message.en.contains("10 min past"),
            "{:?}",
            tl.findings[0]
        );
        assert!(tl.clock_missed());
    }

    #[test]
    fn a_report_skipped_or_failed_misses_the_clock_and_one_in_time_does_not() {
        let pb = playbook("portal-defacement");
        let report = pb.steps.iter().find(|s| s.report).unwrap();
        let start = t("2026-11-20T20:30:00+08:00");
        for (event, missed) in [
            (StepEvent::Skip, true),
            (StepEvent::Fail, true),
            (StepEvent::Done, false),
        ] {
            let mut run = Run::new("r", &pb, "", start);
            let at = start + chrono::Duration::minutes(i64::from(report.target_minutes));
            run.step(&report.id, event, at, None).unwrap();
            assert_eq!(Timeline::of(&run, &pb).clock_missed(), missed, "{event:?}");
        }
    }
}
