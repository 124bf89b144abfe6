//! Where sessions live: `assessments/ID.json`, read and written whole under a lock (temp file,
//! fsync, rename), and how a new session starts (its id, level, scope, and what it carries over
//! from the signed session it supersedes).

use super::definition::Checklist;
use super::session::{Session, Supersedes, SESSION_SCHEMA};
use super::Error;
use crate::i18n::ledger::Message;
use std::path::{Path, PathBuf};

pub const SESSION_DIR: &str = "assessments";

/// The folder of a workspace's sessions, and reading and writing them.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(root: &Path) -> Store {
        Store {
            dir: root.join(SESSION_DIR),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Session ids, sorted.
    pub fn list(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_suffix(".json")
                            .filter(|s| !s.starts_with('.'))
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }

    pub fn load(&self, id: &str) -> Result<Session, Error> {
        if !valid_id(id) {
            return Err(bad_id(id));
        }
        let path = self.path(id);
        let bytes = crate::fsutil::read(&path, crate::fsutil::CONFIG_LIMIT).map_err(|e| {
            if e.is_missing() {
                let known = self.list();
                Error(Message::new(
                    format!(
                        "没有评估 '{id}'；现有：{}",
                        if known.is_empty() {
                            "无".into()
                        } else {
                            known.join("、")
                        }
                    ),
                    format!(
                        "no assessment '{id}'; there are: {}",
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ),
                ))
            } else if let crate::fsutil::Problem::Io(io) = &e.problem {
                io_error("read", &path, io)
            } else {
                Error(Message::new(e.to_string(), e.to_string()))
            }
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        let session: Session = serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer = format!("/{}", e.path()).replace('.', "/");
            let detail = e.into_inner().to_string();
            Error(Message::new(
                format!("{}:{pointer}: 不是有效的评估文件：{detail}", path.display()),
                format!(
                    "{}:{pointer}: not a valid assessment file: {detail}",
                    path.display()
                ),
            ))
        })?;
        if session.schema != SESSION_SCHEMA {
            return Err(Error(Message::new(
                format!(
                    "{}: 未知的评估文件格式 '{}'",
                    path.display(),
                    session.schema
                ),
                format!(
                    "{}: unknown assessment file format '{}'",
                    path.display(),
                    session.schema
                ),
            )));
        }
        Ok(session)
    }

    /// Writes a new session; refuses to overwrite one.
    pub fn create(&self, session: &Session) -> Result<(), Error> {
        let _lock = self.lock(&session.id)?;
        if self.path(&session.id).exists() {
            return Err(Error(Message::new(
                format!("评估 '{}' 已存在", session.id),
                format!("assessment '{}' exists already", session.id),
            )));
        }
        self.save(session)
    }

    /// Loads, changes and saves a session under an exclusive lock, so two people answering at
    /// once never overwrite each other's answers. Nothing is written when `change` fails.
    pub fn update<T>(
        &self,
        id: &str,
        change: impl FnOnce(&mut Session) -> Result<T, Error>,
    ) -> Result<(Session, T), Error> {
        let _lock = self.lock(id)?;
        let mut session = self.load(id)?;
        let out = change(&mut session)?;
        self.save(&session)?;
        Ok((session, out))
    }

    fn save(&self, session: &Session) -> Result<(), Error> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error("create", &self.dir, &e))?;
        let mut bytes = serde_json::to_vec_pretty(session)
            .map_err(|e| Error(Message::new(e.to_string(), e.to_string())))?;
        bytes.push(b'\n');
        let path = self.path(&session.id);
        crate::fsutil::write_atomic(&path, &bytes).map_err(|e| io_error("write", &path, &e))
    }

    fn lock(&self, id: &str) -> Result<std::fs::File, Error> {
        if !valid_id(id) {
            return Err(bad_id(id));
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error("create", &self.dir, &e))?;
        let path = self.dir.join(format!(".{id}.lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error("open", &path, &e))?;
        fs4::FileExt::lock(&file).map_err(|e| io_error("lock", &path, &e))?;
        Ok(file)
    }
}

/// What a new session is started with; the rest has defaults.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    /// Session id (default: CHECKLIST-YYYYMMDD, with -2, -3 ... when taken).
    pub id: Option<String>,
    /// Protection level of the system (default: the checklist's).
    pub level: Option<u8>,
    /// What is assessed: system, boundaries, period.
    pub scope: String,
    /// A signed session this one replaces.
    pub supersedes: Option<String>,
    /// The values of the checklist's conditions (default: those of the session superseded,
    /// else the checklist's own defaults).
    pub conditions: Option<super::condition::Values>,
}

impl Store {
    /// The first free id `BASE`, `BASE-2`, `BASE-3` ... for a session of `checklist` on `date`.
    pub fn free_id(&self, checklist: &str, date: chrono::NaiveDate) -> String {
        let base = format!("{checklist}-{}", date.format("%Y%m%d"));
        crate::fsutil::first_free(&base, |id| self.path(id).exists())
    }

    /// Starts a session of `cl` (whose file is `file`, relative to the workspace) and writes
    /// it. Superseding a signed session carries its answers and risks over when the checklist
    /// is the same, so both units see what changes; an unsigned one cannot be superseded.
    pub fn start(
        &self,
        cl: &Checklist,
        file: String,
        new: NewSession,
        today: chrono::NaiveDate,
        now: String,
    ) -> Result<Session, Error> {
        let level = new.level.unwrap_or(cl.protection_level);
        if !(1..=5).contains(&level) {
            return Err(Error(Message::new(
                format!("保护等级须为 1 至 5，实为 {level}"),
                format!("the protection level must be 1 to 5, found {level}"),
            )));
        }
        let id = new.id.unwrap_or_else(|| self.free_id(&cl.id, today));
        let mut session = Session::new(cl, file, id, level, new.scope, now);
        let inherit = new.conditions.is_none();
        session.conditions = new.conditions.unwrap_or_default();
        if let Some(old_id) = new.supersedes {
            let old = self.load(&old_id)?;
            if inherit {
                session.conditions = old.conditions.clone();
            }
            let Some(signed) = &old.signoff else {
                return Err(Error(Message::new(
                    "只有已签署的评估才能被替代；未签署的评估可直接修改",
                    "only a signed assessment can be superseded; an unsigned one can simply be changed",
                )));
            };
            session.supersedes = Some(Supersedes {
                session: old.id.clone(),
                seq: signed.seq.clone(),
            });
            if old.checklist.hash == cl.hash {
                // Same checklist: start from the signed answers; any change drops its
                // confirmation, so both units see what moved.
                session.answers = old.answers.clone();
                session.risks = old.risks.clone();
            }
        }
        self.create(&session)?;
        Ok(session)
    }
}

/// A session's checklist: the workspace file it names, or, when that file has changed since
/// (a newer version), the copy the ledger's evidence store kept at sign-off.
pub fn checklist_of(root: &Path, session: &Session) -> Result<Checklist, Error> {
    let path = root.join(&session.checklist.file);
    let current = Checklist::load(&path);
    if let Ok(c) = &current {
        if c.hash == session.checklist.hash {
            return current.map_err(input_error);
        }
    }
    if let Some(hex) = session.checklist.hash.strip_prefix("sha256:") {
        let stored = root.join("evidence/sha256").join(hex);
        if stored.is_file() {
            let mut c = Checklist::load(&stored).map_err(input_error)?;
            c.file = PathBuf::from(&session.checklist.file);
            return Ok(c);
        }
    }
    match current {
        Err(e) => Err(input_error(e)),
        Ok(_) => Err(Error(Message::new(
            format!(
                "检查表“{}”在评估“{}”开始后已被修改（评估固定的是 {}）；请恢复该版本或新建评估",
                session.checklist.file, session.id, session.checklist.hash
            ),
            format!(
                "checklist '{}' changed since session '{}' began (it pinned {}); restore that version or start a new session",
                session.checklist.file, session.id, session.checklist.hash
            ),
        ))),
    }
}

fn input_error(e: crate::error::InputError) -> Error {
    Error(Message::new(e.to_string(), e.to_string()))
}

/// Session ids become file names: letters, digits, '-', '_' and '.' (not first).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn bad_id(id: &str) -> Error {
    Error(Message::new(
        format!("评估编号 '{id}' 只能含字母、数字、'-'、'_'、'.'"),
        format!("assessment id '{id}' may hold only letters, digits, '-', '_' and '.'"),
    ))
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error(Message::new(
        format!(
            "无法{}“{}”：{e}",
            match what {
                "read" => "读取",
                "write" => "写入",
                "create" => "创建",
                "lock" => "锁定",
                _ => "打开",
            },
            path.display()
        ),
        format!("cannot {what} '{}': {e}", path.display()),
    ))
}
