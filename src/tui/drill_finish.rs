//! Ending a drill on the Drills screen: abandoning a run (with its reason), and finishing one
//! with the summary form (evaluators, each objective rated with a comment, problems and causes,
//! lessons, improvement actions with owner and due date, when it ended, who must co-sign),
//! checked by the core exactly as `anbao drill finish` checks it, then signed after the same
//! confirmation as every signature, with the co-signing unit's signature offered when its key
//! is at hand.

use super::drill_forms::DrillForm;
use super::drills::{DrillsState, Problem};
use super::form::{Field, Form, Input, Row};
use super::signing::{key_for, Choice, SignDialog, Signer};
use super::text::Status;
use crate::drill::finish::{self, FinishProblem, ProblemKind, Subject};
use crate::drill::record;
use crate::drill::summary::{Action as Improvement, Evaluation, Problem as Issue, Summary};
use crate::drill::{Playbook, Runs};
use crate::i18n::ledger::{unit_short, Message};
use crate::i18n::Lang;
use crate::ledger::Ledger;
use chrono::NaiveDate;

/// How the finish form shows when the drill ended; left as shown, it means the last event
/// logged exactly (which has sub-second precision the field does not show).
const END_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

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
        (
            r.to_string(),
            Message::new(format!("{r} {zh}"), format!("{r} {en}")),
        )
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

/// How many groups whose keys start with `prefix` a form holds.
fn count(form: &Form, prefix: &str) -> usize {
    form.fields()
        .filter(|f| f.key.starts_with(prefix))
        .filter_map(|f| {
            f.key[prefix.len()..]
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
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
                    self.zone.show(end, END_FORMAT),
                )
                .help(Message::new(
                    "默认为最后记录的事件时间（YYYY-MM-DD HH:MM:SS）",
                    "the last event logged, unless it ended later (YYYY-MM-DD HH:MM:SS)",
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
                        format!(
                            "the due date '{due}' of action {} is not a date (YYYY-MM-DD)",
                            n + 1
                        ),
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

/// Every problem the core found, in one status.
fn problems_text(problems: &[FinishProblem]) -> Message {
    let join = |lang: Lang| {
        problems
            .iter()
            .map(|p| p.message.get(lang).to_string())
            .collect::<Vec<_>>()
            .join(match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            })
    };
    Message::new(
        format!("尚不能结束：{}", join(Lang::Zh)),
        format!("cannot finish yet: {}", join(Lang::En)),
    )
}

/// What keeps a run from being finished whatever its summary says, short enough for the
/// screen, which shows the steps: which steps are still open or lack their reason.
fn blocking_text(problems: &[FinishProblem]) -> Message {
    let steps = |kind: ProblemKind| {
        problems
            .iter()
            .filter(|p| p.kind == kind)
            .filter_map(|p| match &p.subject {
                Subject::Step(id) => Some(id.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let (open, unexplained) = (
        steps(ProblemKind::StepNotClosed),
        steps(ProblemKind::StepWithoutNote),
    );
    let mut zh = Vec::new();
    let mut en = Vec::new();
    let steps_en = |ids: &[&str], one: &str, many: &str| match ids {
        [id] => format!("step {id} {one}"),
        _ => format!("steps {} {many}", ids.join(", ")),
    };
    if !open.is_empty() {
        zh.push(format!(
            "步骤 {} 尚未记为完成、跳过或未完成",
            open.join("、")
        ));
        en.push(steps_en(
            &open,
            "is not yet done, skipped or failed",
            "are not yet done, skipped or failed",
        ));
    }
    if !unexplained.is_empty() {
        zh.push(format!(
            "步骤 {} 跳过或未完成但未说明原因",
            unexplained.join("、")
        ));
        en.push(steps_en(
            &unexplained,
            "was skipped or failed without saying why",
            "were skipped or failed without saying why",
        ));
    }
    for p in problems
        .iter()
        .filter(|p| !matches!(p.subject, Subject::Step(_)))
    {
        zh.push(p.message.get(Lang::Zh).to_string());
        en.push(p.message.get(Lang::En).to_string());
    }
    Message::new(
        format!("尚不能结束：{}", zh.join("；")),
        format!("cannot finish yet: {}", en.join("; ")),
    )
}

/// An error of the core or the file system, in both languages.
fn failure(e: impl std::fmt::Display) -> Message {
    Message::new(format!("{e:#}"), format!("{e:#}"))
}

impl DrillsState {
    /// `F` in a run: what the summary cannot change (steps left open, nobody logged) is
    /// refused at once, by the same core check as `anbao drill finish`; else the summary form.
    pub(super) fn start_finish(&mut self) {
        let Some(mode) = &self.run else { return };
        let blank = Summary {
            evaluators: Vec::new(),
            evaluations: Vec::new(),
            problems: Vec::new(),
            lessons: Vec::new(),
            actions: Vec::new(),
        };
        let end = finish::end_time(&mode.run, None);
        let blocking: Vec<FinishProblem> = finish::check(&mode.run, &mode.playbook, &blank, end)
            .into_iter()
            .filter(|p| {
                matches!(
                    p.subject,
                    Subject::Step(_) | Subject::Participants | Subject::Run
                )
            })
            .collect();
        if blocking.is_empty() {
            self.finish_form();
        } else {
            self.message = Some(Problem::Failed(blocking_text(&blocking)));
        }
    }

    /// The finish form was submitted: the summary is checked by the core against the run as
    /// it is on disk, and when nothing is wrong the signing confirmation opens over the form
    /// (which stays, so a cancelled signature loses nothing typed).
    pub(super) fn submit_finish(&mut self, form: &mut Form) {
        let Some(mode) = &self.run else { return };
        let pb = mode.playbook.clone();
        let summary = match Self::summary_of(form, &pb) {
            Ok(s) => s,
            Err((field, why)) => {
                form.select(&field);
                form.status = Some(Status::error(why));
                return;
            }
        };
        let run = match Runs::new(&self.root).load(&mode.run.id) {
            Ok(r) => r,
            Err(e) => return form.status = Some(Status::error(failure(e))),
        };
        let last = finish::end_time(&run, None);
        let typed = form.value("end").to_string();
        let end = if typed == self.zone.show(last, END_FORMAT) {
            Some(last)
        } else {
            self.zone.parse(&typed).map(|t| self.zone.fixed(t))
        };
        let Some(end) = end else {
            form.select("end");
            form.status = Some(Status::error(Message::new(
                format!("结束时间“{typed}”不是时间（YYYY-MM-DD HH:MM:SS）"),
                format!("the end '{typed}' is not a time (YYYY-MM-DD HH:MM:SS)"),
            )));
            return;
        };
        if let Err(problems) = finish::finish(&mut run.clone(), &pb, summary.clone(), end) {
            form.status = Some(Status::error(problems_text(&problems)));
            return;
        }
        form.status = None;
        let requires = Some(form.value("requires").to_string()).filter(|u| !u.is_empty());
        match self.finish_dialog(&run, &pb, &summary, end, requires.as_deref()) {
            Ok(dialog) => {
                self.sign = Some((
                    DrillSigning::Finish {
                        summary,
                        end,
                        requires,
                    },
                    dialog,
                ))
            }
            Err(why) => form.status = Some(Status::error(why)),
        }
    }

    /// The confirmation of a finish: what the record will hold and which unit signs it.
    fn finish_dialog(
        &self,
        run: &crate::drill::run::Run,
        pb: &Playbook,
        summary: &Summary,
        end: crate::drill::run::Time,
        requires: Option<&str>,
    ) -> Result<SignDialog, Message> {
        let (ws, ledger) = self.ledger()?;
        let same = |s: String| Message::new(s.clone(), s);
        let count = |status: crate::drill::run::StepStatus| {
            run.steps.iter().filter(|s| s.status == status).count()
        };
        use crate::drill::run::StepStatus as St;
        let ratings = summary
            .evaluations
            .iter()
            .map(|e| format!("{} {}", e.objective, e.rating.unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(" · ");
        let names = run
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>();
        let mut facts = vec![
            (
                Message::new("演练", "Drill"),
                Message::new(
                    format!("{} · {}", run.id, pb.title.get(Lang::Zh)),
                    format!("{} · {}", run.id, pb.title.get(Lang::En)),
                ),
            ),
            (
                Message::new("地点与时间", "Place and time"),
                same(format!(
                    "{} · {} – {}",
                    run.place,
                    self.zone.show(run.started, "%Y-%m-%d %H:%M"),
                    self.zone.show(end, "%H:%M")
                )),
            ),
            (
                Message::new("参演人员", "Participants"),
                same(format!("{} · {}", names.len(), names.join(", "))),
            ),
            (
                Message::new("步骤", "Steps"),
                same(format!(
                    "{} · ✓{} ↷{} ✗{}",
                    run.steps.len(),
                    count(St::Done),
                    count(St::Skipped),
                    count(St::Failed)
                )),
            ),
            (Message::new("评分", "Ratings"), same(ratings)),
            (
                Message::new("评估人员", "Evaluators"),
                same(summary.evaluators.join(", ")),
            ),
            (
                Message::new("总结", "Summary"),
                Message::new(
                    format!(
                        "问题 {} · 教训 {} · 整改措施 {}",
                        summary.problems.len(),
                        summary.lessons.len(),
                        summary.actions.len()
                    ),
                    format!(
                        "problems {} · lessons {} · actions {}",
                        summary.problems.len(),
                        summary.lessons.len(),
                        summary.actions.len()
                    ),
                ),
            ),
            (
                Message::new("证据", "Evidence"),
                same(format!("{} + {}.toml", run.evidence.len(), run.id)),
            ),
        ];
        facts.push((
            Message::new("账本记录", "Ledger record"),
            Message::new(
                format!(
                    "{} · 须会签：{}",
                    record::FINISHED_KIND,
                    requires.map_or("无".into(), |u| unit_short(Lang::Zh, u))
                ),
                format!(
                    "{} · to be co-signed by: {}",
                    record::FINISHED_KIND,
                    requires.map_or("nobody".into(), |u| unit_short(Lang::En, u))
                ),
            ),
        ));
        let mut units = vec!["implementing", "construction"];
        if ws.manifest.units.supervision.is_some() {
            units.push("supervision");
        }
        let signers = units
            .into_iter()
            .filter(|u| Some(*u) != requires)
            .map(|u| self.signer(&ws, &ledger, u))
            .collect();
        Ok(SignDialog::new(
            Message::new(
                format!("签署演练记录 {}", run.id),
                format!("Sign the record of drill {}", run.id),
            ),
            facts,
            signers,
        ))
    }

    /// A unit that could sign, with its key at hand or how to make one.
    fn signer(&self, ws: &crate::workspace::Workspace, ledger: &Ledger, unit: &str) -> Signer {
        let name = |lang: Lang| {
            format!(
                "{} · {}",
                unit_short(lang, unit),
                crate::drill::unit_name(ws, unit, lang)
            )
        };
        Signer {
            unit: unit.to_string(),
            name: Message::new(name(Lang::Zh), name(Lang::En)),
            key: key_for(ledger, &self.keys, unit),
        }
    }

    fn ledger(&self) -> Result<(crate::workspace::Workspace, Ledger), Message> {
        let ws = crate::workspace::Workspace::open(&self.root).map_err(failure)?;
        let ledger = Ledger::open(&ws).map_err(|e| super::signing::ledger_message(&e))?;
        Ok((ws, ledger))
    }

    /// The co-signature of drill.finished record `seq` by the units it still lacks, when one
    /// of their keys is at hand (else nothing is offered: the Records to-do lists it).
    fn offer_cosign(&mut self, seq: u64, requires: &str) {
        let Ok((ws, ledger)) = self.ledger() else {
            return;
        };
        let Ok(record) = ledger.record(seq) else {
            return;
        };
        let signed = [record.entry.unit.clone()];
        let missing = [requires.to_string()];
        let facts = super::records_todo::record_facts(&record, &signed, &missing);
        let dialog = SignDialog::new(
            Message::new(
                format!("会签演练记录（第 {seq} 号）"),
                format!("Co-sign the drill record (record {seq})"),
            ),
            facts,
            vec![self.signer(&ws, &ledger, requires)],
        );
        if dialog.can_sign() {
            self.sign = Some((DrillSigning::Cosign { seq }, dialog));
        }
    }

    /// Keys while the signing confirmation is open.
    pub(super) fn handle_sign(&mut self, action: super::app::Action) {
        let Some((what, mut dialog)) = self.sign.take() else {
            return;
        };
        match dialog.handle(action) {
            Choice::Cancel => {}
            Choice::Waiting => self.sign = Some((what, dialog)),
            Choice::Sign(i) => {
                if let Err(why) = self.sign_with(&what, &dialog, i) {
                    dialog.status = Some(Status::error(why));
                    self.sign = Some((what, dialog));
                }
            }
        }
    }

    fn sign_with(
        &mut self,
        what: &DrillSigning,
        dialog: &SignDialog,
        i: usize,
    ) -> Result<(), Message> {
        let key = dialog.key(i)?;
        let (_, ledger) = self.ledger()?;
        let unit = dialog.signers[i].unit.clone();
        match what {
            DrillSigning::Finish {
                summary,
                end,
                requires,
            } => {
                let Some(mode) = &self.run else {
                    return Ok(());
                };
                let pb = mode.playbook.clone();
                let runs = Runs::new(&self.root);
                let mut run = runs.load(&mode.run.id).map_err(failure)?;
                // A finish interrupted after its append is picked up, not signed twice.
                let seq = match record::record_of_run(&ledger, &run.id)
                    .map_err(|e| super::signing::ledger_message(&e))?
                {
                    Some(seq) => {
                        run = runs
                            .update(&run.id, |fresh| {
                                fresh.record_seq = Some(seq.to_string());
                                Ok(())
                            })
                            .map_err(failure)?
                            .map_err(failure)?;
                        seq
                    }
                    None => {
                        finish::finish(&mut run, &pb, summary.clone(), *end)
                            .map_err(|p| problems_text(&p))?;
                        let required: Vec<&str> = requires.iter().map(String::as_str).collect();
                        record::file_finished(
                            &ledger,
                            &runs,
                            &mut run,
                            &pb,
                            self.zone,
                            &[&key],
                            &required,
                        )
                        .map_err(failure)?
                        .seq()
                    }
                };
                self.form = None;
                self.run = None;
                self.open_runs.retain(|r| r.id != run.id);
                self.reload_history(&ledger);
                let awaiting = requires
                    .as_deref()
                    .map_or((String::new(), String::new()), |u| {
                        (
                            format!("，待{}会签", unit_short(Lang::Zh, u)),
                            format!(
                                ", awaiting the {} unit's co-signature",
                                unit_short(Lang::En, u)
                            ),
                        )
                    });
                self.notice = Some(Status::ok(Message::new(
                    format!(
                        "演练 {} 已结束，由{}签署为账本第 {seq} 号记录{}",
                        run.id,
                        unit_short(Lang::Zh, &unit),
                        awaiting.0
                    ),
                    format!(
                        "drill {} finished and signed by the {} unit as ledger record {seq}{}",
                        run.id,
                        unit_short(Lang::En, &unit),
                        awaiting.1
                    ),
                )));
                if let Some(u) = requires {
                    self.offer_cosign(seq, u);
                }
            }
            DrillSigning::Cosign { seq } => {
                let rec = ledger
                    .cosign(*seq, &key)
                    .map_err(|e| super::signing::ledger_message(&e))?;
                self.notice = Some(Status::ok(Message::new(
                    format!(
                        "已以{}名义会签演练记录第 {seq} 号（会签记录第 {} 号）",
                        unit_short(Lang::Zh, &unit),
                        rec.seq()
                    ),
                    format!(
                        "co-signed drill record {seq} for the {} unit (cosign record {})",
                        unit_short(Lang::En, &unit),
                        rec.seq()
                    ),
                )));
            }
        }
        Ok(())
    }

    /// The abandon form was submitted: the run is given up through the core, with its reason.
    pub(super) fn submit_abandon(&mut self, form: &Form) -> Result<(), Message> {
        let Some(mode) = &self.run else { return Ok(()) };
        let id = mode.run.id.clone();
        // A run whose finish reached the ledger was held, whatever its file says.
        let (_, ledger) = self.ledger()?;
        if let Some(seq) =
            record::record_of_run(&ledger, &id).map_err(|e| super::signing::ledger_message(&e))?
        {
            return Err(Message::new(
                format!("演练 {id} 已签署为账本第 {seq} 号记录，不能放弃"),
                format!("drill run {id} is signed as ledger record {seq} and cannot be abandoned"),
            ));
        }
        let reason = form.value("reason").to_string();
        let now = self.now;
        self.change_run(|run| finish::abandon(run, &reason, now))?;
        self.open_runs.retain(|r| r.id != id);
        self.run = None;
        self.notice = Some(Status::ok(Message::new(
            format!("已放弃演练 {id}（{}），不计为已开展的演练", reason.trim()),
            format!(
                "abandoned drill run {id} ({}); it never counts as a drill held",
                reason.trim()
            ),
        )));
        Ok(())
    }
}

#[cfg(test)]
#[path = "drill_finish_tests.rs"]
mod tests;
