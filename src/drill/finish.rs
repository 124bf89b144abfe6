//! What a drill run must show before it is signed as held, and how a run is given up instead.
//!
//! A drill counts as held only when its record says what happened: every step done, skipped or
//! failed with its time (a skipped or failed step also says why), every objective rated by the
//! evaluators the summary names, and the people who took part. [`check`] returns every problem
//! at once as data (which step, objective or field, what is wrong, in Chinese and English), so
//! the command line lists them all and a form can mark each field; [`finish`] closes the run only
//! when there is none. A run started by mistake or called off is [`abandon`]ed: it is kept,
//! with the reason, and never counts as a drill held.

use super::playbook::Playbook;
use super::run::{Abandonment, Run, RunError, StepStatus, Time};
use super::summary::Summary;
use super::text::LocalText;
use serde::Serialize;

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Subject {
    /// A step of the run, by id.
    Step(String),
    /// An objective of the playbook, by id.
    Objective(String),
    /// The people who took part.
    Participants,
    /// The summary's evaluators.
    Evaluators,
    /// The time the drill ended.
    FinishTime,
    /// The run as a whole.
    Run,
}

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Neither done, skipped nor failed.
    StepNotClosed,
    /// Closed without a time.
    StepWithoutTime,
    /// Skipped or failed without a note saying why.
    StepWithoutNote,
    /// No rating, or no evaluation at all.
    ObjectiveNotRated,
    NoParticipants,
    NoEvaluators,
    /// The end given is before an event that was logged.
    EndsBeforeLastEvent,
    /// The run was abandoned, or already finished.
    RunClosed,
}

/// One reason a run cannot be finished yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinishProblem {
    pub subject: Subject,
    pub kind: ProblemKind,
    pub message: LocalText,
}

fn problem(subject: Subject, kind: ProblemKind, zh: String, en: String) -> FinishProblem {
    FinishProblem {
        subject,
        kind,
        message: LocalText::new(zh, en),
    }
}

/// When the drill ended: `at` when given, else the last event logged (never the moment the
/// command happens to run, which may be days later).
pub fn end_time(run: &Run, at: Option<Time>) -> Time {
    at.unwrap_or_else(|| run.last_event())
}

/// Everything that keeps `run` from being finished with `summary`, ending at `end`; empty when
/// it can be.
pub fn check(run: &Run, playbook: &Playbook, summary: &Summary, end: Time) -> Vec<FinishProblem> {
    let mut out = Vec::new();
    if run.abandoned.is_some() || run.record_seq.is_some() {
        let (zh, en) = if run.abandoned.is_some() {
            ("已放弃", "was abandoned")
        } else {
            ("已签名结束", "is already finished and signed")
        };
        out.push(problem(
            Subject::Run,
            ProblemKind::RunClosed,
            format!("演练 {} {zh}", run.id),
            format!("drill run {} {en}", run.id),
        ));
        return out;
    }
    for log in &run.steps {
        let id = || Subject::Step(log.id.clone());
        match log.status {
            StepStatus::Pending | StepStatus::Started => {
                let (zh, en) = if log.status == StepStatus::Pending {
                    ("未开始也未结束", "was never started nor closed")
                } else {
                    ("已开始但未结束", "was started but never closed")
                };
                out.push(problem(
                    id(),
                    ProblemKind::StepNotClosed,
                    format!("步骤 {} {zh}：记为完成、跳过或未完成（anbao drill log done|skip|fail {}）", log.id, log.id),
                    format!("step {} {en}: log it done, skipped or failed (anbao drill log done|skip|fail {})", log.id, log.id),
                ));
            }
            StepStatus::Done | StepStatus::Skipped | StepStatus::Failed => {
                if log.ended.is_none() {
                    out.push(problem(
                        id(),
                        ProblemKind::StepWithoutTime,
                        format!("步骤 {} 没有结束时间", log.id),
                        format!("step {} has no time it was closed", log.id),
                    ));
                }
                let noted = log.note.as_deref().is_some_and(|n| !n.trim().is_empty());
                if log.status != StepStatus::Done && !noted {
                    let (zh, en) = if log.status == StepStatus::Skipped {
                        ("跳过", "skipped")
                    } else {
                        ("未完成", "failed")
                    };
                    out.push(problem(
                        id(),
                        ProblemKind::StepWithoutNote,
                        format!("步骤 {} {zh}但未说明原因（anbao drill log note {} --note 原因）", log.id, log.id),
                        format!("step {} was {en} without a note saying why (anbao drill log note {} --note WHY)", log.id, log.id),
                    ));
                }
            }
        }
    }
    for o in &playbook.objectives {
        let rated = summary
            .evaluations
            .iter()
            .any(|e| e.objective == o.id && e.rating.is_some());
        if !rated {
            out.push(problem(
                Subject::Objective(o.id.clone()),
                ProblemKind::ObjectiveNotRated,
                format!("目标 {} 未由评估人员评分（1 至 4）", o.id),
                format!(
                    "objective {} has no rating (1 to 4) from the evaluators",
                    o.id
                ),
            ));
        }
    }
    if run.participants.is_empty() {
        out.push(problem(
            Subject::Participants,
            ProblemKind::NoParticipants,
            "没有记录参演人员（anbao drill log join 姓名,单位,角色）".into(),
            "no participant is logged (anbao drill log join NAME,UNIT,ROLE)".into(),
        ));
    }
    if summary.evaluators.iter().all(|e| e.trim().is_empty()) {
        out.push(problem(
            Subject::Evaluators,
            ProblemKind::NoEvaluators,
            "总结未写明评估人员（evaluators）".into(),
            "the summary names no evaluator (evaluators)".into(),
        ));
    }
    let last = run.last_event();
    if end < last {
        out.push(problem(
            Subject::FinishTime,
            ProblemKind::EndsBeforeLastEvent,
            format!(
                "结束时间 {} 早于最后记录的事件 {}",
                end.to_rfc3339(),
                last.to_rfc3339()
            ),
            format!(
                "the end {} is before the last event logged, {}",
                end.to_rfc3339(),
                last.to_rfc3339()
            ),
        ));
    }
    out
}

/// Closes `run` with `summary`, ending at `end`, when [`check`] finds nothing; else leaves it
/// as it was and returns the problems.
pub fn finish(
    run: &mut Run,
    playbook: &Playbook,
    summary: Summary,
    end: Time,
) -> Result<(), Vec<FinishProblem>> {
    let problems = check(run, playbook, &summary, end);
    if !problems.is_empty() {
        return Err(problems);
    }
    run.finished = Some(end);
    run.summary = Some(summary);
    Ok(())
}

/// Gives up `run` at `at` for `reason`: it takes no more events, leaves the list of open runs,
/// and never counts as a drill held. A finished run cannot be abandoned.
pub fn abandon(run: &mut Run, reason: &str, at: Time) -> Result<(), RunError> {
    if run.abandoned.is_some() {
        return Err(RunError::Abandoned(run.id.clone()));
    }
    if run.finished.is_some() || run.record_seq.is_some() {
        return Err(RunError::Finished(run.id.clone()));
    }
    if reason.trim().is_empty() {
        return Err(RunError::Empty("the reason"));
    }
    if at < run.started {
        return Err(RunError::BeforeStart(at.to_rfc3339()));
    }
    run.abandoned = Some(Abandonment {
        time: at,
        reason: reason.trim().to_string(),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::classes::Classes;
    use crate::drill::run::{Participant, StepEvent};
    use crate::drill::summary::Evaluation;
    use std::path::Path;

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn playbook() -> Playbook {
        crate::drill::playbook::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/ddos-online-service.toml"),
            &Classes::builtin(),
        )
        .unwrap()
    }

    fn start() -> Time {
        t("2026-11-18T09:00:00+08:00")
    }

    /// The template as printed: nothing rated, no evaluator.
    fn template_summary(pb: &Playbook) -> Summary {
        Summary {
            evaluators: vec![],
            evaluations: pb
                .objectives
                .iter()
                .map(|o| Evaluation {
                    objective: o.id.clone(),
                    rating: None,
                    comment: String::new(),
                })
                .collect(),
            problems: vec![],
            lessons: vec![],
            actions: vec![],
        }
    }

    fn filled(pb: &Playbook) -> Summary {
        let mut s = template_summary(pb);
        s.evaluators = vec!["评估组 王五".into()];
        for e in &mut s.evaluations {
            e.rating = Some(3);
        }
        s
    }

    /// A run with a participant and every step done, 5 minutes apart.
    fn held(pb: &Playbook) -> Run {
        let mut run = Run::new("r", pb, "", start());
        run.add_participant(
            Participant {
                name: "张三".into(),
                unit: "implementing".into(),
                role: pb.roles[0].id.clone(),
            },
            pb,
        )
        .unwrap();
        for (i, s) in pb.steps.iter().enumerate() {
            let at = start() + chrono::Duration::minutes(5 * (i as i64 + 1));
            run.step(&s.id, StepEvent::Done, at, None).unwrap();
        }
        run
    }

    fn kinds(problems: &[FinishProblem]) -> Vec<(Subject, ProblemKind)> {
        problems
            .iter()
            .map(|p| (p.subject.clone(), p.kind))
            .collect()
    }

    #[test]
    fn a_run_never_held_with_the_untouched_template_cannot_be_finished() {
        let pb = playbook();
        let mut run = Run::new("r", &pb, "", start());
        let before = run.clone();
        let summary = template_summary(&pb);
        let problems = finish(&mut run, &pb, summary, start()).unwrap_err();
        assert_eq!(run, before, "nothing changes");
        let mut expected: Vec<(Subject, ProblemKind)> = pb
            .steps
            .iter()
            .map(|s| (Subject::Step(s.id.clone()), ProblemKind::StepNotClosed))
            .collect();
        expected.extend(pb.objectives.iter().map(|o| {
            (
                Subject::Objective(o.id.clone()),
                ProblemKind::ObjectiveNotRated,
            )
        }));
        expected.push((Subject::Participants, ProblemKind::NoParticipants));
        expected.push((Subject::Evaluators, ProblemKind::NoEvaluators));
        assert_eq!(kinds(&problems), expected);
        for p in &problems {
            assert!(!p.message.zh.is_empty() && !p.message.en.is_empty());
        }
    }

    #[test]
    fn a_drill_held_and_rated_finishes_at_its_last_event() {
        let pb = playbook();
        let mut run = held(&pb);
        let end = end_time(&run, None);
        assert_eq!(
            end,
            start() + chrono::Duration::minutes(5 * pb.steps.len() as i64)
        );
        finish(&mut run, &pb, filled(&pb), end).unwrap();
        assert_eq!(run.finished, Some(end));
        assert!(run.summary.is_some());
    }

    #[test]
    fn skipped_and_failed_steps_need_a_note_and_the_end_follows_the_events() {
        let pb = playbook();
        let mut run = Run::new("r", &pb, "", start());
        run.participants = held(&pb).participants;
        let last = pb.steps.len() - 1;
        for (i, s) in pb.steps.iter().enumerate() {
            let at = start() + chrono::Duration::minutes(10 * (i as i64 + 1));
            let event = match i {
                0 => StepEvent::Skip,
                i if i == last => StepEvent::Fail,
                _ => StepEvent::Done,
            };
            run.step(&s.id, event, at, None).unwrap();
        }
        let end = start() + chrono::Duration::minutes(1);
        let problems = check(&run, &pb, &filled(&pb), end);
        assert_eq!(
            kinds(&problems),
            [
                (
                    Subject::Step(pb.steps[0].id.clone()),
                    ProblemKind::StepWithoutNote
                ),
                (
                    Subject::Step(pb.steps[last].id.clone()),
                    ProblemKind::StepWithoutNote
                ),
                (Subject::FinishTime, ProblemKind::EndsBeforeLastEvent),
            ]
        );
        run.annotate(&pb.steps[0].id, "流量清洗由运营商代为完成")
            .unwrap();
        run.annotate(&pb.steps[last].id, "备用线路未开通").unwrap();
        assert!(check(&run, &pb, &filled(&pb), run.last_event()).is_empty());
    }

    #[test]
    fn an_abandoned_run_takes_no_events_and_cannot_be_finished() {
        let pb = playbook();
        let mut run = held(&pb);
        let at = start() + chrono::Duration::hours(2);
        assert_eq!(
            abandon(&mut run, " ", at),
            Err(RunError::Empty("the reason"))
        );
        abandon(&mut run, "误开始，演练改期", at).unwrap();
        assert_eq!(run.abandoned.as_ref().unwrap().reason, "误开始，演练改期");
        assert_eq!(
            run.observe("x", None, at),
            Err(RunError::Abandoned("r".into()))
        );
        assert_eq!(
            kinds(&check(&run, &pb, &filled(&pb), at)),
            [(Subject::Run, ProblemKind::RunClosed)]
        );
        assert_eq!(
            abandon(&mut run, "again", at),
            Err(RunError::Abandoned("r".into()))
        );
        let mut done = held(&pb);
        let end = done.last_event();
        finish(&mut done, &pb, filled(&pb), end).unwrap();
        assert_eq!(
            abandon(&mut done, "too late", at),
            Err(RunError::Finished("r".into()))
        );
    }
}
