//! The drill screen's forms: starting a drill (place and participants with the playbook's
//! roles, confirmed before the run exists), and, during the run, adding a participant or an
//! evidence file. Every change goes through the same core calls as `anbao drill start` and
//! `anbao drill log`.

use super::drills::{DrillsState, Problem, RunMode};
use super::form::{Field, Form, Input, Outcome, Row};
use super::text::Status;
use crate::drill::run::{Participant, Run};
use crate::drill::{Playbook, Runs};
use crate::i18n::ledger::{unit_short, Message};
use crate::i18n::Lang;

/// What a drill form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrillForm {
    /// A new run of this plan item's playbook.
    Start { item: String, playbook: String },
    /// A participant joins the open run.
    Join,
    /// An evidence file of the open run.
    Evidence,
    /// Why the open run is given up.
    Abandon,
    /// The open run's evaluation and summary.
    Finish,
}

/// The units a participant can belong to: the workspace's and the other bodies the plan item
/// names.
fn unit_choices(extra: &[String]) -> Vec<(String, Message)> {
    let mut out: Vec<(String, Message)> = ["implementing", "construction", "supervision"]
        .iter()
        .map(|u| {
            (
                u.to_string(),
                Message::new(unit_short(Lang::Zh, u), unit_short(Lang::En, u)),
            )
        })
        .collect();
    for body in extra {
        if !out.iter().any(|(id, _)| id == body) {
            out.push((body.clone(), Message::new(body.clone(), body.clone())));
        }
    }
    out
}

/// The playbook's roles as choices: "指挥长 (commander)".
fn role_choices(pb: &Playbook) -> Vec<(String, Message)> {
    pb.roles
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                Message::new(
                    format!("{}（{}）", r.name.get(Lang::Zh), r.id),
                    format!("{} ({})", r.name.get(Lang::En), r.id),
                ),
            )
        })
        .collect()
}

/// The three fields of participant `n`.
fn participant_rows(n: usize, pb: &Playbook, units: &[(String, Message)], name: &str) -> Vec<Row> {
    vec![
        Row::Heading(Message::new(
            format!("参演人员 {}", n + 1),
            format!("Participant {}", n + 1),
        )),
        Row::Field(Field::text(
            format!("participant.{n}.name"),
            Message::new("姓名", "Name"),
            name,
        )),
        Row::Field(
            Field::text(
                format!("participant.{n}.unit"),
                Message::new("单位", "Unit"),
                units.first().map_or(String::new(), |u| u.0.clone()),
            )
            .with(Input::Choice(units.to_vec())),
        ),
        Row::Field(
            Field::text(
                format!("participant.{n}.role"),
                Message::new("角色", "Role"),
                pb.roles.first().map_or(String::new(), |r| r.id.clone()),
            )
            .with(Input::Choice(role_choices(pb))),
        ),
    ]
}

/// The participants a form holds (groups with a name; empty groups are left out).
fn participants(form: &Form) -> Vec<Participant> {
    form.fields()
        .filter_map(|f| {
            let n = f.key.strip_prefix("participant.")?.strip_suffix(".name")?;
            let value = |part: &str| form.value(&format!("participant.{n}.{part}")).to_string();
            Some(Participant {
                name: f.value.trim().to_string(),
                unit: value("unit"),
                role: value("role"),
            })
        })
        .filter(|p| !p.name.is_empty())
        .collect()
}

fn groups(form: &Form) -> usize {
    form.fields()
        .filter(|f| f.key.starts_with("participant.") && f.key.ends_with(".name"))
        .count()
}

impl DrillsState {
    /// The form that starts a drill of plan item `item`: where, and who takes part in which
    /// role (the acting person first).
    pub(super) fn start_form(&mut self, item: &crate::drill::plan::Item, pb: &Playbook) {
        let units = unit_choices(&item.units);
        let mut rows = vec![Row::Field(
            Field::text("place", Message::new("地点", "Place"), "").help(Message::new(
                "演练地点，如“市政务云机房值班室”",
                "where the drill is held, e.g. “city cloud duty room”",
            )),
        )];
        rows.extend(participant_rows(0, pb, &units, &self.person));
        rows.push(Row::Add {
            group: "participant".into(),
            label: Message::new("＋ 添加参演人员", "+ add a participant"),
        });
        let form = Form::new(
            Message::new(
                format!("开始演练：{}", pb.title.get(Lang::Zh)),
                format!("Start the drill: {}", pb.title.get(Lang::En)),
            ),
            rows,
            Message::new("现在开始演练", "Start the drill now"),
        )
        .intro(Message::new(
            format!(
                "计划项 {}，脚本 {}；开始后计时，每一事件都立即保存。",
                item.id, pb.id
            ),
            format!(
                "plan item {}, playbook {}; the clock starts now and every event is saved at once.",
                item.id, pb.id
            ),
        ));
        self.form = Some((
            DrillForm::Start {
                item: item.id.clone(),
                playbook: pb.id.clone(),
            },
            form,
        ));
    }

    /// `P` in a run: one more participant.
    pub(super) fn join_form(&mut self) {
        let Some(mode) = &self.run else { return };
        let item_units = self
            .plan()
            .and_then(|p| {
                p.items
                    .iter()
                    .find(|i| Some(&i.id) == mode.run.plan_item.as_ref())
            })
            .map(|i| i.units.clone())
            .unwrap_or_default();
        let rows = participant_rows(
            mode.run.participants.len(),
            &mode.playbook,
            &unit_choices(&item_units),
            "",
        );
        let form = Form::new(
            Message::new("登记参演人员", "Add a participant"),
            rows,
            Message::new("登记", "Add"),
        );
        self.form = Some((DrillForm::Join, form));
    }

    /// `e` in a run: an evidence file, hashed as it is logged.
    pub(super) fn evidence_form(&mut self) {
        if self.run.is_none() {
            return;
        }
        let form = Form::new(
            Message::new("附上证据文件", "Attach an evidence file"),
            vec![
                Row::Field(Field::text(
                    "path",
                    Message::new("文件路径", "File"),
                    "",
                )),
                Row::Field(Field::text("note", Message::new("说明", "Note"), "")),
            ],
            Message::new("附上", "Attach"),
        )
        .intro(Message::new(
            "记录文件的 SHA-256；结束演练时该文件随记录存入账本证据库，之后不得修改。",
            "its SHA-256 is taken now; the file goes into the ledger's evidence store when the drill is finished and must not change until then.",
        ));
        self.form = Some((DrillForm::Evidence, form));
    }

    /// Keys while a drill form is open.
    pub(super) fn handle_form(&mut self, action: super::app::Action) {
        let Some((purpose, mut form)) = self.form.take() else {
            return;
        };
        let done = match form.handle(action) {
            Outcome::Cancel => true,
            Outcome::Editing => false,
            Outcome::Add { at, group } if purpose == DrillForm::Finish => {
                Self::add_group(&mut form, &group, at);
                false
            }
            Outcome::Submit if purpose == DrillForm::Finish => {
                self.submit_finish(&mut form);
                false
            }
            Outcome::Add { at, .. } => {
                if let Some(pb) = self.form_playbook(&purpose) {
                    let units = form
                        .fields()
                        .find(|f| f.key == "participant.0.unit")
                        .map(|f| match &f.input {
                            Input::Choice(c) => c.clone(),
                            _ => Vec::new(),
                        })
                        .unwrap_or_default();
                    form.insert(at, participant_rows(groups(&form), &pb, &units, ""));
                }
                false
            }
            Outcome::Submit => match self.submit(&purpose, &form) {
                Ok(()) => true,
                Err(why) => {
                    form.status = Some(Status::error(why));
                    false
                }
            },
        };
        if !done {
            self.form = Some((purpose, form));
        }
    }

    fn form_playbook(&self, purpose: &DrillForm) -> Option<Playbook> {
        match purpose {
            DrillForm::Start { playbook, .. } => self.drills.playbook(playbook).cloned(),
            _ => self.run.as_ref().map(|m| m.playbook.clone()),
        }
    }

    fn submit(&mut self, purpose: &DrillForm, form: &Form) -> Result<(), Message> {
        match purpose {
            DrillForm::Start { item, playbook } => self.start_run(item, playbook, form),
            DrillForm::Join => {
                let Some(p) = participants(form).pop() else {
                    return Err(Message::new("请填写姓名", "give the participant's name"));
                };
                let Some(pb) = self.run.as_ref().map(|m| m.playbook.clone()) else {
                    return Ok(());
                };
                self.change_run(|run| run.add_participant(p, &pb))
            }
            DrillForm::Evidence => {
                let path = std::path::PathBuf::from(form.value("path"));
                let path = if path.is_relative() {
                    self.root.join(path)
                } else {
                    path
                };
                let note = Some(form.value("note").to_string()).filter(|n| !n.is_empty());
                // The file is read and hashed before the run is locked (a large file never
                // keeps another writer waiting).
                let evidence = crate::drill::run::EvidenceFile::read(&path, note, self.now)
                    .map_err(|e| Problem::Refused(e).message())?;
                self.change_run(|run| run.attach(evidence))
            }
            DrillForm::Abandon => self.submit_abandon(form),
            // Submitted above: it opens the signing confirmation instead of closing.
            DrillForm::Finish => Ok(()),
        }
    }

    /// Applies an event to the open run; the refusal in both languages, else saved.
    pub(super) fn change_run(
        &mut self,
        event: impl FnOnce(&mut Run) -> Result<(), crate::drill::run::RunError>,
    ) -> Result<(), Message> {
        if self.write(event) {
            return Ok(());
        }
        let why = self.message.take().map_or_else(
            || Message::new("未能保存", "not saved"),
            |p| Message::new(p.text(Lang::Zh), p.text(Lang::En)),
        );
        Err(why)
    }

    /// Starts the run the form describes, through the core's checks, and opens it.
    fn start_run(&mut self, item: &str, playbook: &str, form: &Form) -> Result<(), Message> {
        let Some(pb) = self.drills.playbook(playbook).cloned() else {
            return Err(Message::new(
                format!("没有演练脚本 {playbook}"),
                format!("there is no playbook {playbook}"),
            ));
        };
        let place = form.value("place");
        if place.is_empty() {
            return Err(Message::new(
                "请填写演练地点",
                "say where the drill is held",
            ));
        }
        let people = participants(form);
        if people.is_empty() {
            return Err(Message::new(
                "请至少登记一名参演人员",
                "name at least one participant",
            ));
        }
        let runs = Runs::new(&self.root);
        let mut run = Run::new(&runs.new_id(&pb.id, self.now), &pb, place, self.now);
        run.plan_year = Some(self.year);
        run.plan_item = Some(item.to_string());
        for p in people {
            run.add_participant(p, &pb)
                .map_err(|e| Problem::Refused(e).message())?;
        }
        runs.create(&run)
            .map_err(|e| Problem::failed(format!("{e:#}")).message())?;
        self.open_runs.push(run.clone());
        let stamp = super::stamp::Stamp::of(&runs.path_of(&run.id));
        self.run = Some(RunMode {
            run,
            playbook: pb,
            selected: 0,
            typing: None,
            reason_for: None,
            stamp,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::app::{update, Action, App};
    use super::super::drills_view::tests::{app, start_drill, workspace};
    use super::super::view::snapshots::render;
    use crate::drill::Runs;
    use crate::i18n::Lang;

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            update(app, Action::FilterChar(c));
        }
    }

    #[test]
    fn starting_asks_where_and_who_first_in_both_languages() {
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            for size in [(80, 24), (120, 40)] {
                let dir = workspace();
                let mut app = app(dir.path(), lang, size);
                update(&mut app, Action::Down);
                update(&mut app, Action::Open);
                insta::assert_snapshot!(
                    format!("drill_start_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
                assert!(
                    Runs::new(dir.path()).all().unwrap().is_empty(),
                    "nothing yet"
                );
            }
        }
    }

    #[test]
    fn the_start_form_needs_a_place_and_people_in_the_playbooks_roles() {
        let dir = workspace();
        let mut app = app(dir.path(), Lang::En, (100, 30));
        update(&mut app, Action::Down);
        update(&mut app, Action::Open);
        // Straight to the submit row: refused, nothing written.
        for _ in 0..5 {
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::FilterDone);
        assert!(render(&app).contains("say where the drill is held"));
        assert!(Runs::new(dir.path()).all().unwrap().is_empty());
        // Place, then a second participant in another role and unit.
        for _ in 0..5 {
            update(&mut app, Action::Up);
        }
        typed(&mut app, "值班室");
        update(&mut app, Action::FilterDone);
        typed(&mut app, "张三");
        for _ in 0..3 {
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::FilterDone);
        typed(&mut app, "李四");
        update(&mut app, Action::Down);
        update(&mut app, Action::Right);
        update(&mut app, Action::Down);
        update(&mut app, Action::Right);
        insta::assert_snapshot!("drill_start_two_people_en", render(&app));
        for _ in 0..3 {
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::FilterDone);
        let run = &Runs::new(dir.path()).open().unwrap()[0];
        assert_eq!(run.place, "值班室");
        let people: Vec<(&str, &str, &str)> = run
            .participants
            .iter()
            .map(|p| (p.name.as_str(), p.unit.as_str(), p.role.as_str()))
            .collect();
        assert_eq!(
            people,
            [
                ("张三", "implementing", "commander"),
                ("李四", "construction", "ops")
            ]
        );
    }

    #[test]
    fn participants_and_evidence_join_a_running_drill() {
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            for size in [(80, 24), (120, 40)] {
                let dir = workspace();
                let mut app = app(dir.path(), lang, size);
                update(&mut app, Action::Down);
                start_drill(&mut app);
                update(&mut app, Action::Join);
                insta::assert_snapshot!(
                    format!("drill_join_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
                typed(&mut app, "王五");
                update(&mut app, Action::Down);
                update(&mut app, Action::Down);
                update(&mut app, Action::Right);
                update(&mut app, Action::Down);
                update(&mut app, Action::FilterDone);
                update(&mut app, Action::EditEvidence);
                insta::assert_snapshot!(
                    format!("drill_evidence_{code}_{}x{}", size.0, size.1),
                    render(&app)
                );
                // A file that is not there is refused and says so; one that is, is hashed.
                typed(&mut app, "nowhere.pdf");
                update(&mut app, Action::Down);
                update(&mut app, Action::Down);
                update(&mut app, Action::FilterDone);
                assert!(app.drills_state().unwrap().form.is_some());
                std::fs::write(dir.path().join("签到表.txt"), "张三 李四 王五").unwrap();
                update(&mut app, Action::Up);
                update(&mut app, Action::Up);
                for _ in 0.."nowhere.pdf".chars().count() {
                    update(&mut app, Action::FilterBackspace);
                }
                typed(&mut app, "签到表.txt");
                update(&mut app, Action::Down);
                typed(&mut app, "现场签到");
                update(&mut app, Action::Down);
                update(&mut app, Action::FilterDone);
                assert!(
                    app.drills_state().unwrap().form.is_none(),
                    "{}",
                    render(&app)
                );
                let run = &Runs::new(dir.path()).open().unwrap()[0];
                assert_eq!(run.participants[1].name, "王五");
                assert_eq!(run.participants[1].role, "ops");
                assert_eq!(run.evidence.len(), 1);
                assert_eq!(run.evidence[0].note.as_deref(), Some("现场签到"));
            }
        }
    }
}
