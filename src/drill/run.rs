//! A drill run: who took part, the timeline of every step (started, done, skipped, failed, with
//! times), observations and evidence. The run is one JSON file under `drills/runs/`, replaced
//! atomically after every event, so a crash or a kill loses nothing that was logged.

use super::playbook::Playbook;
use super::summary::Summary;
use crate::fsutil::write_atomic;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The schema id written into every run file.
pub const SCHEMA: &str = "anbao.drill.run/1";
/// Where runs are kept, relative to the workspace root.
pub const DIR: &str = "drills/runs";

pub type Time = DateTime<FixedOffset>;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Pending,
    Started,
    Done,
    Skipped,
    Failed,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Started => "started",
            StepStatus::Done => "done",
            StepStatus::Skipped => "skipped",
            StepStatus::Failed => "failed",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            StepStatus::Done | StepStatus::Skipped | StepStatus::Failed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    pub unit: String,
    /// A role id of the playbook.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepLog {
    pub id: String,
    pub status: StepStatus,
    pub started: Option<Time>,
    pub ended: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub time: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    pub text: String,
}

/// A file kept as evidence of the drill; its hash is taken when it is logged and checked again
/// when the drill is finished and the file goes into the ledger's evidence store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    pub time: Time,
    pub path: PathBuf,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl EvidenceFile {
    /// Reads `path` (through the bounded reader, so a device or an endless pipe is refused) and
    /// takes its hash, as evidence logged at `at`.
    pub fn read(path: &Path, note: Option<String>, at: Time) -> Result<EvidenceFile, RunError> {
        let sha256 = sha256_of(path)
            .map_err(|e| RunError::Unreadable(path.display().to_string(), e.problem.to_string()))?;
        Ok(EvidenceFile {
            time: at,
            path: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
            sha256,
            note,
        })
    }
}

/// The SHA-256 of a file, in hex, read in chunks through the bounded reader.
pub fn sha256_of(path: &Path) -> Result<String, crate::fsutil::ReadError> {
    let mut hasher = Sha256::new();
    crate::fsutil::Input::open(path, crate::fsutil::DOCUMENT_LIMIT)?.for_each_chunk(|chunk| {
        hasher.update(chunk);
        Ok::<_, crate::fsutil::ReadError>(())
    })?;
    Ok(hex::encode(hasher.finalize()))
}

/// One drill, as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub schema: String,
    pub id: String,
    pub playbook: String,
    /// SHA-256 of the playbook file the run follows.
    pub playbook_sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_item: Option<String>,
    pub place: String,
    pub started: Time,
    pub participants: Vec<Participant>,
    pub steps: Vec<StepLog>,
    pub observations: Vec<Observation>,
    pub evidence: Vec<EvidenceFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    /// Seq of the `drill.finished` record in the ledger, once appended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_seq: Option<String>,
    /// Set when the run was abandoned: it takes no more events and never counts as held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abandoned: Option<Abandonment>,
}

/// Why and when a run was given up (started by mistake, called off, replaced by another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abandonment {
    pub time: Time,
    pub reason: String,
}

/// What went wrong with an event; the run is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("drill run '{0}' is already finished")]
    Finished(String),
    #[error("drill run '{0}' was abandoned")]
    Abandoned(String),
    #[error("step '{0}' is not a step of the playbook")]
    NoSuchStep(String),
    #[error("role '{role}' is not a role of playbook '{playbook}' (roles: {known})")]
    NoSuchRole {
        role: String,
        playbook: String,
        known: String,
    },
    #[error("step '{step}' is already {status}")]
    StepClosed { step: String, status: &'static str },
    #[error("the time {0} is before the drill started")]
    BeforeStart(String),
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("cannot read evidence '{0}': {1}")]
    Unreadable(String, String),
}

/// What to do with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepEvent {
    Start,
    Done,
    Skip,
    Fail,
}

impl Run {
    /// A new run of `playbook`, started at `at`.
    pub fn new(id: &str, playbook: &Playbook, place: &str, at: Time) -> Run {
        Run {
            schema: SCHEMA.into(),
            id: id.into(),
            playbook: playbook.id.clone(),
            playbook_sha256: playbook.sha256.clone(),
            plan_year: None,
            plan_item: None,
            place: place.into(),
            started: at,
            participants: Vec::new(),
            steps: playbook
                .steps
                .iter()
                .map(|s| StepLog {
                    id: s.id.clone(),
                    status: StepStatus::Pending,
                    started: None,
                    ended: None,
                    note: None,
                })
                .collect(),
            observations: Vec::new(),
            evidence: Vec::new(),
            finished: None,
            summary: None,
            record_seq: None,
            abandoned: None,
        }
    }

    /// Refuses any change to a run that is finished or abandoned.
    fn still_open(&self) -> Result<(), RunError> {
        if self.abandoned.is_some() {
            return Err(RunError::Abandoned(self.id.clone()));
        }
        if self.finished.is_some() {
            return Err(RunError::Finished(self.id.clone()));
        }
        Ok(())
    }

    fn open(&self, at: Time) -> Result<(), RunError> {
        self.still_open()?;
        if at < self.started {
            return Err(RunError::BeforeStart(at.to_rfc3339()));
        }
        Ok(())
    }

    pub fn add_participant(&mut self, p: Participant, playbook: &Playbook) -> Result<(), RunError> {
        self.still_open()?;
        if p.name.trim().is_empty() {
            return Err(RunError::Empty("the participant's name"));
        }
        if playbook.role(&p.role).is_none() {
            return Err(RunError::NoSuchRole {
                role: p.role,
                playbook: playbook.id.clone(),
                known: playbook
                    .roles
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        self.participants.push(p);
        Ok(())
    }

    /// Records a step event at `at`. A step may be closed without having been started.
    pub fn step(
        &mut self,
        step: &str,
        event: StepEvent,
        at: Time,
        note: Option<String>,
    ) -> Result<(), RunError> {
        self.open(at)?;
        let log = self
            .steps
            .iter_mut()
            .find(|s| s.id == step)
            .ok_or_else(|| RunError::NoSuchStep(step.into()))?;
        if log.status.is_final() || (event == StepEvent::Start && log.status == StepStatus::Started)
        {
            return Err(RunError::StepClosed {
                step: step.into(),
                status: log.status.as_str(),
            });
        }
        match event {
            StepEvent::Start => {
                log.status = StepStatus::Started;
                log.started = Some(at);
            }
            StepEvent::Done | StepEvent::Skip | StepEvent::Fail => {
                log.status = match event {
                    StepEvent::Done => StepStatus::Done,
                    StepEvent::Skip => StepStatus::Skipped,
                    _ => StepStatus::Failed,
                };
                log.ended = Some(at);
            }
        }
        if note.as_deref().is_some_and(|n| !n.trim().is_empty()) {
            log.note = note;
        }
        Ok(())
    }

    pub fn observe(&mut self, text: &str, step: Option<&str>, at: Time) -> Result<(), RunError> {
        self.open(at)?;
        if text.trim().is_empty() {
            return Err(RunError::Empty("an observation"));
        }
        if let Some(s) = step {
            if !self.steps.iter().any(|x| x.id == s) {
                return Err(RunError::NoSuchStep(s.into()));
            }
        }
        self.observations.push(Observation {
            time: at,
            step: step.map(str::to_string),
            text: text.into(),
        });
        Ok(())
    }

    /// Adds an evidence file, read and hashed beforehand by [`EvidenceFile::read`].
    pub fn attach(&mut self, evidence: EvidenceFile) -> Result<(), RunError> {
        self.open(evidence.time)?;
        self.evidence.push(evidence);
        Ok(())
    }

    /// Adds `note` to a step, at any time before the run is finished: a step skipped or failed
    /// with one key press gets its reason afterwards. An earlier note is kept before it.
    pub fn annotate(&mut self, step: &str, note: &str) -> Result<(), RunError> {
        self.still_open()?;
        if note.trim().is_empty() {
            return Err(RunError::Empty("the note"));
        }
        let log = self
            .steps
            .iter_mut()
            .find(|s| s.id == step)
            .ok_or_else(|| RunError::NoSuchStep(step.into()))?;
        log.note = Some(match log.note.take() {
            Some(before) if !before.trim().is_empty() => format!("{before}; {}", note.trim()),
            _ => note.trim().to_string(),
        });
        Ok(())
    }

    /// The time of the last event logged: the drill's start, a step started or closed, an
    /// observation or an evidence file. A drill ends with its last event unless told otherwise.
    pub fn last_event(&self) -> Time {
        let steps = self
            .steps
            .iter()
            .flat_map(|s| [s.started, s.ended])
            .flatten();
        let notes = self.observations.iter().map(|o| o.time);
        let files = self.evidence.iter().map(|e| e.time);
        steps
            .chain(notes)
            .chain(files)
            .fold(self.started, |last, t| last.max(t))
    }

    /// Minutes from the start of the drill to `at`, rounded down.
    pub fn minutes_at(&self, at: Time) -> i64 {
        (at - self.started).num_minutes()
    }

    /// The step the drill is on: the first one not closed yet.
    pub fn current_step(&self) -> Option<&StepLog> {
        self.steps.iter().find(|s| !s.status.is_final())
    }

    /// The same run after a finish that was never completed in the ledger can be finished
    /// again; the summary is replaced.
    pub fn is_finished(&self) -> bool {
        self.finished.is_some()
    }
}

/// Run ids name files in `drills/runs/`: letters, digits, '-', '_' and '.' (not first).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The runs of one workspace.
pub struct Runs {
    dir: PathBuf,
}

impl Runs {
    pub fn new(root: &Path) -> Runs {
        Runs {
            dir: root.join(DIR),
        }
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// A new run id for `playbook` started on `at`'s date: `PLAYBOOK-YYYYMMDD`, with `-2`,
    /// `-3` ... when that is taken.
    pub fn new_id(&self, playbook: &str, at: Time) -> String {
        let base = format!("{playbook}-{}", at.format("%Y%m%d"));
        crate::fsutil::first_free(&base, |id| self.path_of(id).exists())
    }

    /// Writes a new run; refuses to replace one with the same id.
    pub fn create(&self, run: &Run) -> anyhow::Result<()> {
        let _lock = self.lock(&run.id)?;
        if self.path_of(&run.id).exists() {
            anyhow::bail!("drill run '{}' exists already", run.id);
        }
        self.save(run)
    }

    /// Applies `change` to the run as it is on disk, under the run's lock, and saves it: writers
    /// at once (people logging, the CLI and the TUI) never overwrite each other's events. The
    /// outer error means the run could not be read or written; the inner one that `change`
    /// refused the event, and nothing was written.
    pub fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut Run) -> Result<(), RunError>,
    ) -> anyhow::Result<Result<Run, RunError>> {
        let _lock = self.lock(id)?;
        let mut run = self.load(id)?;
        if let Err(refused) = change(&mut run) {
            return Ok(Err(refused));
        }
        self.save(&run)?;
        Ok(Ok(run))
    }

    /// Holds the run's lock file (`drills/runs/.ID.lock`) exclusively until dropped.
    fn lock(&self, id: &str) -> anyhow::Result<File> {
        if !valid_id(id) {
            anyhow::bail!("'{id}' is not a drill run id");
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| anyhow::anyhow!("cannot create '{}': {e}", self.dir.display()))?;
        let path = self.dir.join(format!(".{id}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("cannot open '{}': {e}", path.display()))?;
        fs4::FileExt::lock(&file)
            .map_err(|e| anyhow::anyhow!("cannot lock '{}': {e}", path.display()))?;
        Ok(file)
    }

    /// Writes the run whole, atomically; only under its lock.
    fn save(&self, run: &Run) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| anyhow::anyhow!("cannot create '{}': {e}", self.dir.display()))?;
        let mut bytes = serde_json::to_vec_pretty(run)?;
        bytes.push(b'\n');
        let path = self.path_of(&run.id);
        write_atomic(&path, &bytes)
            .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", path.display()))
    }

    pub fn load(&self, id: &str) -> Result<Run, crate::error::InputError> {
        let path = self.path_of(id);
        if !valid_id(id) {
            return Err(crate::error::InputError::whole_file(
                &path,
                format!("'{id}' is not a drill run id"),
            ));
        }
        let text = crate::fsutil::read_text(&path, crate::fsutil::CONFIG_LIMIT).map_err(|e| {
            if e.is_missing() {
                crate::error::InputError::whole_file(&path, format!("no drill run '{id}'"))
            } else {
                e.into()
            }
        })?;
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            use serde_path_to_error::Segment;
            let pointer: String = e
                .path()
                .iter()
                .map(|seg| match seg {
                    Segment::Seq { index } => format!("/{index}"),
                    Segment::Map { key } => format!("/{key}"),
                    Segment::Enum { variant } => format!("/{variant}"),
                    Segment::Unknown => "/?".to_string(),
                })
                .collect();
            crate::error::InputError::new(
                &path,
                crate::error::Location::Pointer(pointer),
                e.inner().to_string(),
            )
        })
    }

    /// Every run, oldest first; a file that cannot be read is an error naming it.
    pub fn all(&self) -> Result<Vec<Run>, crate::error::InputError> {
        let mut ids: Vec<String> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                // Temp files of an interrupted write start with '.'; they are not runs.
                (!name.starts_with('.'))
                    .then(|| name.strip_suffix(".json").map(str::to_string))
                    .flatten()
            })
            .collect();
        ids.sort();
        let mut runs = ids
            .iter()
            .map(|id| self.load(id))
            .collect::<Result<Vec<_>, _>>()?;
        runs.sort_by_key(|r| r.started);
        Ok(runs)
    }

    /// The runs not finished yet (an abandoned run is closed, not open).
    pub fn open(&self) -> Result<Vec<Run>, crate::error::InputError> {
        Ok(self
            .all()?
            .into_iter()
            .filter(|r| r.record_seq.is_none() && r.abandoned.is_none())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::classes::Classes;

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn playbook() -> Playbook {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::drill::playbook::load(
            &root.join("playbooks/portal-defacement.toml"),
            &Classes::builtin(),
        )
        .unwrap()
    }

    #[test]
    fn every_event_is_on_disk_and_a_reload_resumes_where_it_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let runs = Runs::new(dir.path());
        let pb = playbook();
        let start = t("2026-11-20T20:30:00+08:00");
        let id = runs.new_id(&pb.id, start);
        let mut run = Run::new(&id, &pb, "值班室", start);
        runs.save(&run).unwrap();
        let events: [(&str, StepEvent, &str); 3] = [
            ("confirm", StepEvent::Start, "2026-11-20T20:35:00+08:00"),
            ("confirm", StepEvent::Done, "2026-11-20T20:44:00+08:00"),
            (
                "maintenance-page",
                StepEvent::Fail,
                "2026-11-20T21:10:00+08:00",
            ),
        ];
        for (step, event, at) in events {
            // As after a crash: the process that logs the next event starts from the file.
            let mut resumed = runs.load(&id).unwrap();
            assert_eq!(resumed, run);
            resumed.step(step, event, t(at), None).unwrap();
            runs.save(&resumed).unwrap();
            run = resumed;
        }
        let back = runs.load(&id).unwrap();
        assert_eq!(back.steps[0].status, StepStatus::Done);
        assert_eq!(back.steps[1].status, StepStatus::Failed);
        assert_eq!(back.current_step().unwrap().id, "report-cac");
        assert_eq!(back.last_event(), t("2026-11-20T21:10:00+08:00"));
        // The id of a second run the same day does not overwrite the first.
        assert_eq!(runs.new_id(&pb.id, start), format!("{id}-2"));
    }

    #[test]
    fn a_torn_temp_file_is_ignored_and_a_broken_run_is_named_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let runs = Runs::new(dir.path());
        let pb = playbook();
        let run = Run::new("r1", &pb, "", t("2026-11-20T20:30:00+08:00"));
        runs.save(&run).unwrap();
        std::fs::write(dir.path().join(DIR).join(".tmpA1b2"), b"{\"schema\":").unwrap();
        assert_eq!(runs.all().unwrap(), vec![run.clone()]);
        let path = runs.path_of("r1");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"pending\"", "\"paused\"");
        std::fs::write(&path, text).unwrap();
        let err = runs.load("r1").unwrap_err();
        assert!(err.to_string().contains("/steps/0/status"), "{err}");
        assert!(err.to_string().contains("paused"), "{err}");
    }

    #[test]
    fn events_are_checked_and_leave_the_run_unchanged_when_refused() {
        let pb = playbook();
        let mut run = Run::new("r", &pb, "", t("2026-11-20T20:30:00+08:00"));
        let before = run.clone();
        let early = t("2026-11-20T20:00:00+08:00");
        let later = t("2026-11-20T20:40:00+08:00");
        assert!(matches!(
            run.step("confirm", StepEvent::Done, early, None),
            Err(RunError::BeforeStart(_))
        ));
        assert_eq!(
            run.step("nope", StepEvent::Done, later, None),
            Err(RunError::NoSuchStep("nope".into()))
        );
        assert_eq!(
            run.observe(" ", None, later),
            Err(RunError::Empty("an observation"))
        );
        assert_eq!(run, before);
        run.step(
            "confirm",
            StepEvent::Skip,
            later,
            Some("已由值班员确认".into()),
        )
        .unwrap();
        assert!(matches!(
            run.step("confirm", StepEvent::Start, later, None),
            Err(RunError::StepClosed { .. })
        ));
        run.finished = Some(later);
        assert_eq!(
            run.observe("x", None, later),
            Err(RunError::Finished("r".into()))
        );
    }
}
