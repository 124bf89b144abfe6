//! Emergency-plan drills (chapter 5 of the city's measures; GB/T 38645-2020): playbooks, the
//! annual drill plan and what is due, drill runs with their timeline, the evaluation and
//! summary, the signed `drill.finished` record and the tracking of improvement actions.
//!
//! ```text
//! playbooks/ID.toml  ─► plan (drills/plan-YEAR.toml) ─► due ─► run (drills/runs/RUN.json)
//!                                                              └► finish ─► ledger: drill.finished
//!                                                                 actions ─► ledger: drill.action
//! ```

/// `WORDS`, `parse` and `as_str` for an enum of file keywords.
macro_rules! keyword_enum {
    ($ty:ty { $($word:literal => $value:expr),+ $(,)? }) => {
        impl $ty {
            pub const WORDS: &'static [&'static str] = &[$($word),+];
            pub fn parse(s: &str) -> Option<$ty> {
                match s { $($word => Some($value),)+ _ => None }
            }
            pub fn as_str(self) -> &'static str {
                $(if self == $value { return $word; })+
                unreachable!()
            }
        }
    };
}

pub mod annex;
pub mod classes;
pub mod finish;
pub mod plan;
pub mod playbook;
pub mod record;
pub mod report;
pub mod reporting;
pub mod run;
pub mod schedule;
pub mod summary;
pub mod text;
pub mod timeline;

pub use plan::Plan;
pub use playbook::Playbook;
pub use record::{last_drilled, FinishedDrill};
pub use run::{Run, Runs};

use crate::calendar::Calendar;
use crate::error::InputError;
use crate::workspace::Workspace;

/// The drill data of one workspace: incident classes, playbooks, plans and the calendar, all
/// checked on load.
#[derive(Debug, Clone)]
pub struct Drills {
    pub classes: classes::Classes,
    pub playbooks: Vec<Playbook>,
    pub plans: Vec<Plan>,
    pub calendar: Calendar,
}

impl Drills {
    pub fn load(ws: &Workspace) -> Result<Drills, InputError> {
        let classes = classes::Classes::for_workspace(&ws.root)?;
        let playbooks = playbook::load_all(&ws.root, &classes)?;
        let units = unit_keys(ws);
        let mut plans = Vec::new();
        for year in plan::years(&ws.root) {
            if let Some(p) = plan::load(&ws.root, year, &playbooks, &units)? {
                plans.push(p);
            }
        }
        Ok(Drills {
            classes,
            playbooks,
            plans,
            calendar: Calendar::for_workspace(&ws.root)?,
        })
    }

    pub fn playbook(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id)
    }

    pub fn plan(&self, year: i32) -> Option<&Plan> {
        self.plans.iter().find(|p| p.year == year)
    }
}

/// The unit keys a plan may name as its owner.
pub fn unit_keys(ws: &Workspace) -> Vec<&'static str> {
    let mut keys = vec!["implementing", "construction"];
    if ws.manifest.units.supervision.is_some() {
        keys.push("supervision");
    }
    keys
}

/// The display name of a participating unit: the manifest's unit when `key` names one.
pub fn unit_name(ws: &Workspace, key: &str, lang: crate::i18n::Lang) -> String {
    let u = &ws.manifest.units;
    let unit = match key {
        "implementing" => Some(&u.implementing),
        "construction" => Some(&u.construction),
        "supervision" => u.supervision.as_ref(),
        _ => None,
    };
    match (unit, lang) {
        (Some(u), crate::i18n::Lang::En) => u.name_en.clone().unwrap_or_else(|| u.name.clone()),
        (Some(u), _) => u.name.clone(),
        (None, _) => key.to_string(),
    }
}
