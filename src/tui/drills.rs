//! The drills screen's state: the year's plan as a calendar with what is due and overdue, and
//! the drill-run mode, where one key marks the current step and every event is saved at once
//! through the same core calls as `anbao drill log`.

use super::app::Action;
use super::stamp::Stamp;
use crate::drill::plan::Plan;
use crate::drill::record::{self, FinishedDrill, TrackedAction};
use crate::drill::run::{Run, RunError, StepEvent, Time};
use crate::drill::schedule::{self, DueReport, Occurrence};
use crate::drill::{Drills, Playbook, Runs};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

/// Why the last key did nothing: a refused event (shown in the current language) or a
/// failure to save.
#[derive(Debug)]
pub enum Problem {
    Refused(RunError),
    /// Why the run could not be read or saved (the file's own words, in both languages).
    Failed(crate::i18n::ledger::Message),
}

impl Problem {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Problem::Refused(e) => crate::i18n::drill::run_error(lang, e),
            Problem::Failed(m) => m.get(lang).to_string(),
        }
    }

    /// The text in both languages.
    pub fn message(&self) -> crate::i18n::ledger::Message {
        use crate::i18n::Lang;
        crate::i18n::ledger::Message::new(self.text(Lang::Zh), self.text(Lang::En))
    }

    /// A failure to read or save, kept in both languages.
    pub fn failed(e: impl std::fmt::Display) -> Problem {
        Problem::Failed(crate::i18n::ledger::Message::new(
            format!("无法保存演练记录：{e}"),
            format!("the drill run could not be saved: {e}"),
        ))
    }
}

/// A drill being run on the screen.
#[derive(Debug)]
pub struct RunMode {
    pub run: Run,
    pub playbook: Playbook,
    /// Position in the run's steps.
    pub selected: usize,
    /// The observation (or a skip or failure's reason) being typed, when one is.
    pub typing: Option<String>,
    /// The step event the text typed is the reason for: a skipped or failed step says why.
    pub reason_for: Option<StepEvent>,
    /// The run file as last read or written, to notice changes made elsewhere.
    pub stamp: Stamp,
}

#[derive(Debug)]
pub struct DrillsState {
    pub root: PathBuf,
    pub drills: Drills,
    pub finished: Vec<FinishedDrill>,
    pub actions: Vec<TrackedAction>,
    pub as_of: NaiveDate,
    /// The year's plan, if there is one.
    pub year: i32,
    pub occurrences: Vec<Occurrence>,
    pub due: DueReport,
    /// Runs not yet signed, which can be resumed.
    pub open_runs: Vec<Run>,
    /// Position in the plan's items.
    pub selected: usize,
    pub run: Option<RunMode>,
    /// The last problem, shown until the next key.
    pub message: Option<Problem>,
    /// The time the running clock shows; advanced by ticks, in the project's zone.
    pub now: Time,
    /// Who acts (set by the app once known; empty until then).
    pub person: String,
    /// A form open over the screen (starting a drill, a participant, an evidence file,
    /// abandoning or finishing the run).
    pub form: Option<(super::drill_forms::DrillForm, super::form::Form)>,
    /// The signing confirmation, over the form that led to it.
    pub sign: Option<(
        super::drill_finish::DrillSigning,
        super::signing::SignDialog,
    )>,
    /// What the last finish, signature or abandonment did, shown until the next key.
    pub notice: Option<super::text::Status>,
    /// Where signing keys are looked for (the environment's places; tests choose their own).
    pub keys: crate::ledger::keys::KeyPlaces,
    /// The project's time zone: events are logged and times shown in it.
    pub zone: crate::timezone::Zone,
}

impl DrillsState {
    /// Loads the drill data of the workspace: the same core calls as `anbao drill due`.
    pub fn load(
        workspace: Option<PathBuf>,
        as_of: NaiveDate,
        now: Time,
    ) -> anyhow::Result<DrillsState> {
        let ws = crate::workspace::Workspace::locate(workspace.as_deref())?;
        let drills = Drills::load(&ws)?;
        let ledger = crate::ledger::Ledger::open(&ws)?;
        let finished = record::finished_drills(&ledger)?;
        let actions = record::actions(&ledger)?;
        let open_runs = Runs::new(&ws.root).open()?;
        let zone = ws.manifest.project.timezone;
        let mut state = DrillsState::new(
            ws.root,
            drills,
            finished,
            actions,
            open_runs,
            as_of,
            zone.fixed(now),
        );
        state.zone = zone;
        Ok(state)
    }

    pub fn new(
        root: PathBuf,
        drills: Drills,
        finished: Vec<FinishedDrill>,
        actions: Vec<TrackedAction>,
        open_runs: Vec<Run>,
        as_of: NaiveDate,
        now: Time,
    ) -> DrillsState {
        let year = as_of.year();
        let occurrences = drills
            .plan(year)
            .map(|p| schedule::occurrences(p, &drills.calendar, &finished, as_of))
            .unwrap_or_default();
        let due = schedule::due(&drills.plans, &drills.calendar, &finished, &actions, as_of);
        DrillsState {
            root,
            drills,
            finished,
            actions,
            as_of,
            year,
            occurrences,
            due,
            open_runs,
            selected: 0,
            run: None,
            message: None,
            now,
            person: String::new(),
            form: None,
            sign: None,
            notice: None,
            keys: crate::ledger::keys::KeyPlaces::from_env(),
            zone: crate::timezone::Zone::default(),
        }
    }

    pub fn plan(&self) -> Option<&Plan> {
        self.drills.plan(self.year)
    }

    /// Whether `action` would record the acting person.
    pub fn records_person(&self, _action: &Action) -> bool {
        false
    }

    pub fn is_typing(&self) -> bool {
        // The signing confirmation answers to y and n, not to typing.
        self.sign.is_none()
            && (self.form.is_some() || self.run.as_ref().is_some_and(|r| r.typing.is_some()))
    }

    /// Reads the drills held and the actions again from the ledger (after a drill was
    /// signed), and with them what is due.
    pub(super) fn reload_history(&mut self, ledger: &crate::ledger::Ledger) {
        if let Ok(finished) = record::finished_drills(ledger) {
            self.finished = finished;
        }
        if let Ok(actions) = record::actions(ledger) {
            self.actions = actions;
        }
        let d = &self.drills;
        self.occurrences = d
            .plan(self.year)
            .map(|p| schedule::occurrences(p, &d.calendar, &self.finished, self.as_of))
            .unwrap_or_default();
        self.due = schedule::due(
            &d.plans,
            &d.calendar,
            &self.finished,
            &self.actions,
            self.as_of,
        );
    }

    pub fn handle(&mut self, action: Action) {
        self.message = None;
        if self.sign.is_some() {
            return self.handle_sign(action);
        }
        self.notice = None;
        if self.form.is_some() {
            return self.handle_form(action);
        }
        if self.run.is_some() {
            self.handle_run(action);
            return;
        }
        let items = self.plan().map_or(0, |p| p.items.len());
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down if self.selected + 1 < items => self.selected += 1,
            Action::Home => self.selected = 0,
            Action::End => self.selected = items.saturating_sub(1),
            Action::Open => self.open_selected(),
            _ => {}
        }
    }

    /// Resumes the open run of the selected item's playbook, or asks where and with whom to
    /// start a new one.
    fn open_selected(&mut self) {
        let Some(item) = self
            .plan()
            .and_then(|p| p.items.get(self.selected))
            .cloned()
        else {
            return;
        };
        let Some(playbook) = self.drills.playbook(&item.playbook).cloned() else {
            return;
        };
        let runs = Runs::new(&self.root);
        let Some(open) = self.open_runs.iter().find(|r| r.playbook == playbook.id) else {
            return self.start_form(&item, &playbook);
        };
        // As it is on disk now: the CLI may have logged events since.
        let run = runs.load(&open.id).unwrap_or_else(|_| open.clone());
        let selected = run
            .steps
            .iter()
            .position(|s| !s.status.is_final())
            .unwrap_or(0);
        let stamp = Stamp::of(&runs.path_of(&run.id));
        self.run = Some(RunMode {
            run,
            playbook,
            selected,
            typing: None,
            reason_for: None,
            stamp,
        });
    }

    fn handle_run(&mut self, action: Action) {
        let now = self.now;
        let Some(mode) = self.run.as_mut() else {
            return;
        };
        let steps = mode.run.steps.len();
        if let Some(text) = mode.typing.as_mut() {
            match action {
                Action::FilterChar(c) => text.push(c),
                Action::FilterBackspace => {
                    text.pop();
                }
                Action::Back => {
                    mode.typing = None;
                    mode.reason_for = None;
                }
                Action::FilterDone => {
                    let text = mode.typing.take().unwrap_or_default();
                    let step = mode.run.steps.get(mode.selected).map(|s| s.id.clone());
                    match (mode.reason_for.take(), step) {
                        (Some(event), Some(step)) => self.close_step(&step, event, Some(text)),
                        (None, step) if !text.trim().is_empty() => {
                            self.write(|run| run.observe(&text, step.as_deref(), now));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
            return;
        }
        let event = match action {
            Action::Up => {
                mode.selected = mode.selected.saturating_sub(1);
                None
            }
            Action::Down => {
                if mode.selected + 1 < steps {
                    mode.selected += 1;
                }
                None
            }
            Action::Back => {
                self.run = None;
                return;
            }
            Action::StepStart => Some(StepEvent::Start),
            Action::StepDone => Some(StepEvent::Done),
            // A skipped or failed step says why: the reason is asked for first.
            Action::StepSkip | Action::StepFail => {
                let event = if matches!(action, Action::StepSkip) {
                    StepEvent::Skip
                } else {
                    StepEvent::Fail
                };
                // A step the core would refuse to close is refused now, not after the reason.
                let step = mode.run.steps.get(mode.selected).map(|s| s.id.clone());
                let trial = step.map(|id| mode.run.clone().step(&id, event, now, None));
                if let Some(Err(refused)) = trial {
                    self.message = Some(Problem::Refused(refused));
                    return;
                }
                mode.reason_for = Some(event);
                mode.typing = Some(String::new());
                None
            }
            Action::StartObservation => {
                mode.typing = Some(String::new());
                None
            }
            Action::Join => return self.join_form(),
            Action::EditEvidence => return self.evidence_form(),
            Action::Abandon => return self.abandon_form(),
            Action::Finish => return self.start_finish(),
            _ => None,
        };
        let Some(event) = event else { return };
        let Some(step) = mode.run.steps.get(mode.selected).map(|s| s.id.clone()) else {
            return;
        };
        self.close_step(&step, event, None);
    }

    /// Logs `event` on `step` (with the reason given for a skip or failure) and, when it
    /// closes the step, moves on to the next open step after it.
    fn close_step(&mut self, step: &str, event: StepEvent, note: Option<String>) {
        let now = self.now;
        let Some(at) = self.run.as_ref().map(|m| m.selected) else {
            return;
        };
        let closed = event != StepEvent::Start;
        if self.write(|run| run.step(step, event, now, note)) && closed {
            // On to the next open step after this one, as the drill moves on; steps left
            // open above stay where they are.
            if let Some(mode) = self.run.as_mut() {
                if let Some(i) =
                    (at + 1..mode.run.steps.len()).find(|&i| !mode.run.steps[i].status.is_final())
                {
                    mode.selected = i;
                }
            }
        }
    }

    /// Reads the open run again when its file changed on disk (the CLI logged an event).
    pub fn poll(&mut self) {
        let Some(mode) = self.run.as_mut() else {
            return;
        };
        let runs = Runs::new(&self.root);
        let stamp = Stamp::of(&runs.path_of(&mode.run.id));
        if stamp == mode.stamp {
            return;
        }
        mode.stamp = stamp;
        if let Ok(run) = runs.load(&mode.run.id) {
            if let Some(r) = self.open_runs.iter_mut().find(|r| r.id == run.id) {
                *r = run.clone();
            }
            mode.selected = mode.selected.min(run.steps.len().saturating_sub(1));
            mode.run = run;
        }
    }

    /// Applies `event` to the open run as it is on disk, under its lock (as `anbao drill log`
    /// does, so events another terminal logged meanwhile are kept), and shows the result, or
    /// keeps the run and shows why not. Returns whether the change was saved.
    pub(super) fn write(&mut self, event: impl FnOnce(&mut Run) -> Result<(), RunError>) -> bool {
        let Some(id) = self.run.as_ref().map(|m| m.run.id.clone()) else {
            return false;
        };
        match Runs::new(&self.root).update(&id, event) {
            Ok(Ok(next)) => {
                if let Some(r) = self.open_runs.iter_mut().find(|r| r.id == next.id) {
                    *r = next.clone();
                }
                if let Some(mode) = self.run.as_mut() {
                    mode.stamp = Stamp::of(&Runs::new(&self.root).path_of(&next.id));
                    mode.run = next;
                }
                true
            }
            Ok(Err(refused)) => {
                self.message = Some(Problem::Refused(refused));
                false
            }
            Err(e) => {
                self.message = Some(Problem::failed(format!("{e:#}")));
                false
            }
        }
    }
}
