//! Ending a drill on the Drills screen: abandoning a run (with its reason), and finishing one
//! with the summary form (evaluators, each objective rated with a comment, problems and causes,
//! lessons, improvement actions with owner and due date, when it ended, who must co-sign),
//! checked by the core exactly as `anbao drill finish` checks it, then signed after the same
//! confirmation as every signature, with the co-signing unit's signature offered when its key
//! is at hand.

use super::drill_forms::DrillForm;
use super::drills::{DrillsState, Problem};
use super::form::{Field, Form, Input, Outcome, Row};
use super::signing::{key_for, Choice, SignDialog, Signer};
use super::text::Status;
use crate::drill::finish::{self, FinishProblem, Subject};
use crate::drill::record;
use crate::drill::summary::{Action as Improvement, Evaluation, Problem as Issue, Summary};
use crate::drill::{Playbook, Runs};
use crate::i18n::ledger::{unit_short, Message};
use crate::i18n::Lang;
use crate::ledger::Ledger;
use chrono::NaiveDate;

/// What the sign dialog of the drill screen signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrillSigning {
    /// The finished run (not yet in the ledger), its summary and who must co-sign.
    Finish {
        summary: Summary,
        end: crate::drill::run::Time,
        requires: Option<String>,
    },
    /// A co-signature of the drill.finished record `seq`.
    Cosign { seq: u64 },
}

fn rating_choices() -> Vec<(String, Message)> {
    let mut out = vec![(String::new(), Message::new("（未评分）", "(not rated)"))];
    out.extend(crate::drill::summary::SCALE.iter().map(|(r, zh, en)| {
        (r.to_string(), Message::new(format!("{r} {zh}"), format!("{r} {en}")))
    }));
    out
}

fn problem_rows(n: usize) -> Vec<Row> {
    vec![
        Row::Field(Field::text(
            format!("problem.{n}.problem"),
            Message::new(format!("问题 {}", n + 1), format!("Problem {}", n + 1)),
            "",
        )),
        Row::Field(Field::text(
            format!("problem.{n}.cause"),
            Message::new("原因", "Cause"),
            "",
        )),
    ]
}

fn lesson_rows(n: usize) -> Vec<Row> {
    vec![Row::Field(Field::text(
        format!("lesson.{n}"),
        Message::new(format!("教训 {}", n + 1), format!("Lesson {}", n + 1)),
        "",
    ))]
}

fn action_rows(n: usize) -> Vec<Row> {
    vec![
        Row::Field(Field::text(
            format!("action.{n}.action"),
            Message::new(format!("整改措施 {}", n + 1), format!("Action {}", n + 1)),
            "",
        )),
        Row::Field(Field::text(
            format!("action.{n}.owner"),
            Message::new("责任人", "Owner"),
            "",
        )),
        Row::Field(
            Field::text(
                format!("action.{n}.due"),
                Message::new("期限（YYYY-MM-DD）", "Due (YYYY-MM-DD)"),
                "",
            )
            .with(Input::Date),
        ),
    ]
}

/// How many groups named `group` a form holds.
fn count(form: &Form, prefix: &str) -> usize {
    form.fields()
        .filter(|f| f.key.starts_with(prefix))
        .filter_map(|f| f.key[prefix.len()..].split('.').next()?.parse::<usize>().ok())
        .max()
        .map_or(0, |n| n + 1)
}

impl DrillsState {
    /// `A` in a run: why it is given up.
    pub(super) fn abandon_form(&mut self) {
        if self.run.is_none() {
            return;
        }
        let form = Form::new(
            Message::new("放弃本次演练", "Abandon this drill run"),
            vec![Row::Field(Field::text(
                "reason",
                Message::new("原因", "Reason"),
                "",
            ))],
            Message::new("放弃演练", "Abandon the run"),
        )
        .intro(Message::new(
            "放弃的演练保留在 drills/runs/ 中并记录原因，不再接受事件，永不计为已举行。",
            "An abandoned run is kept in drills/runs/ with its reason, takes no more events and never counts as held.",
        ));
        self.form = Some((DrillForm::Abandon, form));
    }

    /// `F` in a run: the summary form, one group per objective of the playbook.
    pub(super) fn finish_form(&mut self) {
        let Some(mode) = &self.run else { return };
        let pb = &mode.playbook;
        let mut rows = vec![
            Row::Heading(Message::new("评估", "Evaluation")),
            Row::Field(
                Field::text(
                    "evaluators",
                    Message::new("评估人员", "Evaluators"),
                    self.person.clone(),
                )
                .help(Message::new(
                    "为各目标评分的评估组人员，以逗号分隔",
                    "who rated the objectives (the evaluation team), separated by commas",
                )),
            ),
        ];
        for o in &pb.objectives {
            rows.push(Row::Heading(Message::new(
                format!("目标 {}：{}", o.id, o.text.get(Lang::Zh)),
                format!("Objective {}: {}", o.id, o.text.get(Lang::En)),
            )));
            rows.push(Row::Field(
                Field::text(
                    format!("rating.{}", o.id),
                    Message::new("评分", "Rating"),
                    "",
                )
                .with(Input::Choice(rating_choices()))
                .help(Message::new(
                    o.criteria.get(Lang::Zh).to_string(),
                    o.criteria.get(Lang::En).to_string(),
                )),
            ));
            rows.push(Row::Field(Field::text(
                format!("comment.{}", o.id),
                Message::new("评语", "Comment"),
                "",
            )));
        }
        for (heading, group, label) in [
            (
                Message::new("问题与原因", "Problems and causes"),
                "problem",
                Message::new("＋ 添加问题", "+ add a problem"),
            ),
            (
                Message::new("经验教训", "Lessons"),
                "lesson",
                Message::new("＋ 添加经验教训", "+ add a lesson"),
            ),
            (
                Message::new("整改措施", "Improvement actions"),
                "action",
                Message::new("＋ 添加整改措施", "+ add an action"),
            ),
        ] {
            rows.push(Row::Heading(heading));
            rows.push(Row::Add {
                group: group.into(),
                label,
            });
        }
        let end = finish::end_time(&mode.run, None);
        let mut cosign = vec![(String::new(), Message::new("（无）", "(none)"))];
        cosign.extend(["construction", "implementing", "supervision"].map(|u| {
            (
                u.to_string(),
                Message::new(unit_short(Lang::Zh, u), unit_short(Lang::En, u)),
            )
        }));
        rows.extend([
            Row::Heading(Message::new("结束与签署", "End and signatures")),
            Row::Field(
                Field::text(
                    "end",
                    Message::new("结束时间", "Ended at"),
                    end.format("%Y-%m-%d %H:%M").to_string(),
                )
                .help(Message::new(
                    "默认为最后记录的事件时间",
                    "the last event logged, unless it ended later",
                )),
            ),
            Row::Field(
                Field::text("requires", Message::new("须会签单位", "Co-signed by"), "")
                    .with(Input::Choice(cosign)),
            ),
        ]);
        let form = Form::new(
            Message::new(
                format!("结束演练 {}：评估与总结", mode.run.id),
                format!("Finish drill {}: evaluation and summary", mode.run.id),
            ),
            rows,
            Message::new("检查并签署", "Check and sign"),
        )
        .intro(Message::new(
            "评分：4 优、3 良、2 中、1 差。提交后按 anbao drill finish 的规则检查，再确认签署。",
            "Ratings: 4 excellent, 3 good, 2 fair, 1 poor. Checked as `anbao drill finish` checks a summary, then signed after a confirmation.",
        ));
        self.form = Some((DrillForm::Finish, form));
    }

    /// Adds a problem, lesson or action group to the finish form.
    pub(super) fn add_group(form: &mut Form, group: &str, at: usize) {
        let rows = match group {
            "problem" => problem_rows(count(form, "problem.")),
            "lesson" => lesson_rows(count(form, "lesson.")),
            "action" => action_rows(count(form, "action.")),
            _ => return,
        };
        form.insert(at, rows);
    }

    /// The summary the finish form holds; a due date that is not a date is refused here, the
    /// rest is for the core to judge.
    fn summary_of(form: &Form, pb: &Playbook) -> Result<Summary, (String, Message)> {
        let evaluators = form
            .value("evaluators")
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let evaluations = pb
            .objectives
            .iter()
            .map(|o| Evaluation {
                objective: o.id.clone(),
                rating: form.value(&format!("rating.{}", o.id)).parse().ok(),
                comment: form.value(&format!("comment.{}", o.id)).to_string(),
            })
            .collect();
        let problems = (0..count(form, "problem."))
            .map(|n| Issue {
                problem: form.value(&format!("problem.{n}.problem")).to_string(),
                cause: form.value(&format!("problem.{n}.cause")).to_string(),
            })
            .filter(|p| !p.problem.is_empty() || !p.cause.is_empty())
            .collect();
        let lessons = (0..count(form, "lesson."))
            .map(|n| form.value(&format!("lesson.{n}")).to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let mut actions = Vec::new();
        for n in 0..count(form, "action.") {
            let key = |part: &str| format!("action.{n}.{part}");
            let (action, owner, due) = (
                form.value(&key("action")),
                form.value(&key("owner")),
                form.value(&key("due")),
            );
            if action.is_empty() && owner.is_empty() && due.is_empty() {
                continue;
            }
            let Ok(due) = due.parse::<NaiveDate>() else {
                return Err((
                    key("due"),
                    Message::new(
                        format!("整改措施 {} 的期限“{due}”不是日期（YYYY-MM-DD）", n + 1),
                        format!("the due date '{due}' of action {} is not a date (YYYY-MM-DD)", n + 1),
                    ),
                ));
            };
            actions.push(Improvement {
                id: format!("A{}", actions.len() + 1),
                action: action.to_string(),
                owner: owner.to_string(),
                due,
            });
        }
        Ok(Summary {
            evaluators,
            evaluations,
            problems,
            lessons,
            actions,
        })
    }
}

/// The form field a core problem points at, for putting the cursor there.
fn field_of(p: &FinishProblem) -> Option<String> {
    match &p.subject {
        Subject::Objective(id) => Some(format!("rating.{id}")),
        Subject::Evaluators => Some("evaluators".into()),
        Subject::FinishTime => Some("end".into()),
        _ => None,
    }
}

/// Every problem the core found, one a line.
fn problems_text(problems: &[FinishProblem]) -> Message {
    let join = |lang: Lang| {
        problems
            .iter()
            .map(|p| format!("· {}", p.message.get(lang)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Message::new(join(Lang::Zh), join(Lang::En))
}
