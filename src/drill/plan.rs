//! The annual drill plan (`drills/plan-YEAR.toml`), in the columns of GB/T 38645-2020 Annex A.1:
//! item, purpose, form, time, participating units, process, whether it is budgeted; plus the
//! drill's scope, how often each drill recurs and whether deadlines count working days.

use super::playbook::{Content, Form, Playbook};
use super::text::LocalText;
use crate::error::{InputError, Location};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The folder of a workspace holding the plans and the runs.
pub const DIR: &str = "drills";

/// The file of the plan for `year`, relative to the workspace root.
pub fn file_name(year: i32) -> String {
    format!("{DIR}/plan-{year}.toml")
}

/// How often a plan item is held within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recurrence {
    /// Once in the year.
    Yearly,
    /// Once in each half (January–June, July–December).
    HalfYearly,
    /// Once in each quarter.
    Quarterly,
}

impl Recurrence {
    pub const WORDS: &'static [&'static str] = &["yearly", "half-yearly", "quarterly"];

    pub fn parse(s: &str) -> Option<Recurrence> {
        match s {
            "yearly" => Some(Recurrence::Yearly),
            "half-yearly" => Some(Recurrence::HalfYearly),
            "quarterly" => Some(Recurrence::Quarterly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Yearly => "yearly",
            Recurrence::HalfYearly => "half-yearly",
            Recurrence::Quarterly => "quarterly",
        }
    }

    /// The periods of `year`: (label, first day, last day).
    pub fn periods(self, year: i32) -> Vec<Period> {
        let months: &[(u32, u32)] = match self {
            Recurrence::Yearly => &[(1, 12)],
            Recurrence::HalfYearly => &[(1, 6), (7, 12)],
            Recurrence::Quarterly => &[(1, 3), (4, 6), (7, 9), (10, 12)],
        };
        months
            .iter()
            .enumerate()
            .map(|(i, &(from, to))| Period {
                label: match self {
                    Recurrence::Yearly => format!("{year}"),
                    Recurrence::HalfYearly => format!("{year}-H{}", i + 1),
                    Recurrence::Quarterly => format!("{year}-Q{}", i + 1),
                },
                first: NaiveDate::from_ymd_opt(year, from, 1).expect("a valid month"),
                last: last_of_month(year, to),
            })
            .collect()
    }
}

/// A span of days within which one drill of an item is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub label: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

pub fn last_of_month(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .expect("a valid month")
}

/// One row of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub playbook: String,
    pub purpose: LocalText,
    pub form: Form,
    pub content: Content,
    pub recurrence: Recurrence,
    /// Planned dates, one per period at most, in period order.
    pub planned: Vec<NaiveDate>,
    /// Participating units: keys of the manifest's units or names of other bodies.
    pub units: Vec<String>,
    /// How far the drill reaches; `None` when the plan does not say.
    pub scope: Option<super::annex::Scope>,
    /// The stages each drill of the item goes through (Annex A.1), all six unless the plan
    /// names fewer.
    pub process: Vec<super::annex::Stage>,
    pub budgeted: bool,
}

impl Item {
    /// The planned date inside `period`, if one is set.
    pub fn planned_in(&self, period: &Period) -> Option<NaiveDate> {
        self.planned.iter().copied().find(|d| period.contains(*d))
    }
}

/// A checked plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub year: i32,
    /// The unit that owns the plan (a key of the manifest's units).
    pub unit: String,
    /// When the plan was drawn up.
    pub prepared: NaiveDate,
    /// Deadlines fall on working days and reminders count working days of the official
    /// calendar; otherwise calendar days.
    pub working_days: bool,
    /// How many days before its deadline a drill is listed as due.
    pub remind_days: u32,
    pub items: Vec<Item>,
    #[serde(skip)]
    pub path: PathBuf,
}

impl Plan {
    /// Whether the plan holds at least one comprehensive drill, which the note to GB/T
    /// 38645-2020 Annex A.1 recommends (建议) to every organisation each year: a
    /// recommendation, reported as such, never as overdue.
    pub fn has_comprehensive(&self) -> bool {
        self.items
            .iter()
            .any(|i| i.content == Content::Comprehensive)
    }

    /// The day before which next year's plan must be ready: 30 November of this plan's year.
    pub fn next_plan_deadline(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 11, 30).expect("a valid date")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    year: Spanned<i32>,
    unit: Spanned<String>,
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    prepared: NaiveDate,
    #[serde(default)]
    working_days: bool,
    #[serde(default = "default_remind")]
    remind_days: u32,
    #[serde(default)]
    item: Vec<RawItem>,
}

fn default_remind() -> u32 {
    10
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    playbook: Spanned<String>,
    purpose: Spanned<LocalText>,
    form: Option<Spanned<String>>,
    recurrence: Spanned<String>,
    planned: Option<Spanned<Vec<toml::value::Datetime>>>,
    units: Spanned<Vec<String>>,
    #[serde(default)]
    scope: Option<Spanned<String>>,
    #[serde(default)]
    process: Option<Spanned<Vec<String>>>,
    budgeted: bool,
}

/// Parses and checks a plan against the workspace's playbooks and units.
pub fn parse(
    path: &Path,
    text: &str,
    playbooks: &[Playbook],
    units: &[&str],
) -> Result<Plan, InputError> {
    let raw: RawPlan = crate::workspace::parse_toml(path, text)?;
    let err = |span: std::ops::Range<usize>, msg: String| {
        InputError::new(
            path,
            Location::from_offset(text.as_bytes(), span.start),
            msg,
        )
    };
    let year = *raw.year.get_ref();
    if !(2000..=2100).contains(&year) {
        return Err(err(raw.year.span(), format!("year {year} is out of range")));
    }
    if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
        if stem.starts_with("plan-") && stem != format!("plan-{year}") {
            return Err(err(
                raw.year.span(),
                format!("the plan is for {year} but the file is named '{stem}.toml'"),
            ));
        }
    }
    if !units.contains(&raw.unit.get_ref().as_str()) {
        return Err(err(
            raw.unit.span(),
            format!(
                "unit '{}' is not a unit of anbao.toml ({})",
                raw.unit.get_ref(),
                units.join(", ")
            ),
        ));
    }
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for r in raw.item {
        let id = r.id.get_ref().clone();
        if !super::playbook::valid_id(&id) {
            return Err(err(
                r.id.span(),
                format!("item id '{id}' must be lower-case letters, digits and '-'"),
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(err(r.id.span(), format!("item '{id}' is listed twice")));
        }
        let Some(pb) = playbooks.iter().find(|p| &p.id == r.playbook.get_ref()) else {
            return Err(err(
                r.playbook.span(),
                format!(
                    "item '{id}' names playbook '{}', which is not in {}/",
                    r.playbook.get_ref(),
                    super::playbook::DIR
                ),
            ));
        };
        let purpose = r.purpose.get_ref().clone();
        if let Some(lang) = purpose.blank_language() {
            return Err(err(
                r.purpose.span(),
                format!("'purpose' has no '{lang}' text"),
            ));
        }
        let form = match &r.form {
            None => pb.form,
            Some(f) => Form::parse(f.get_ref()).ok_or_else(|| {
                err(
                    f.span(),
                    format!(
                        "'form' must be one of {}, found '{}'",
                        Form::WORDS.join(", "),
                        f.get_ref()
                    ),
                )
            })?,
        };
        let recurrence = Recurrence::parse(r.recurrence.get_ref()).ok_or_else(|| {
            err(
                r.recurrence.span(),
                format!(
                    "'recurrence' must be one of {}, found '{}'",
                    Recurrence::WORDS.join(", "),
                    r.recurrence.get_ref()
                ),
            )
        })?;
        let periods = recurrence.periods(year);
        let mut planned = Vec::new();
        let (planned_span, planned_raw) = match &r.planned {
            Some(p) => (p.span(), p.get_ref().as_slice()),
            None => (0..0, &[][..]),
        };
        for dt in planned_raw {
            let day = match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                }
                _ => None,
            };
            let Some(day) = day else {
                return Err(err(
                    planned_span.clone(),
                    format!("'planned' holds '{dt}', which is not a date like {year}-06-15"),
                ));
            };
            if day.year() != year {
                return Err(err(
                    planned_span.clone(),
                    format!("planned date {day} is not in {year}"),
                ));
            }
            let index = periods.iter().position(|p| p.contains(day));
            if planned
                .iter()
                .any(|d: &NaiveDate| periods.iter().position(|p| p.contains(*d)) == index)
            {
                return Err(err(
                    planned_span.clone(),
                    format!(
                        "two planned dates fall in the same {} period",
                        recurrence.as_str()
                    ),
                ));
            }
            planned.push(day);
        }
        planned.sort();
        if r.units.get_ref().is_empty() {
            return Err(err(
                r.units.span(),
                "'units' must name at least one participating unit".into(),
            ));
        }
        let scope = match &r.scope {
            None => None,
            Some(s) => Some(super::annex::Scope::parse(s.get_ref()).ok_or_else(|| {
                err(
                    s.span(),
                    format!(
                        "'scope' must be one of {}, found '{}'",
                        super::annex::Scope::WORDS.join(", "),
                        s.get_ref()
                    ),
                )
            })?),
        };
        let process = match &r.process {
            None => super::annex::Stage::ALL.to_vec(),
            Some(p) => super::annex::process(p.get_ref()).map_err(|m| err(p.span(), m))?,
        };
        items.push(Item {
            id,
            playbook: pb.id.clone(),
            purpose,
            form,
            content: pb.content,
            recurrence,
            planned,
            units: r.units.into_inner(),
            scope,
            process,
            budgeted: r.budgeted,
        });
    }
    Ok(Plan {
        year,
        unit: raw.unit.into_inner(),
        prepared: raw.prepared,
        working_days: raw.working_days,
        remind_days: raw.remind_days,
        items,
        path: path.to_path_buf(),
    })
}

/// The plan for `year` in the workspace at `root`, if its file exists.
pub fn load(
    root: &Path,
    year: i32,
    playbooks: &[Playbook],
    units: &[&str],
) -> Result<Option<Plan>, InputError> {
    let path = root.join(file_name(year));
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path, &text, playbooks, units).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(InputError::whole_file(&path, format!("cannot read: {e}"))),
    }
}

/// The years for which the workspace has a plan file.
pub fn years(root: &Path) -> Vec<i32> {
    let mut out: Vec<i32> = std::fs::read_dir(root.join(DIR))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("plan-")?
                .strip_suffix(".toml")?
                .parse()
                .ok()
        })
        .collect();
    out.sort();
    out
}

/// A TOML string literal for `s`.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Next year's plan drafted from `plan`: the same items, recurrences, units and budgets, no
/// planned dates yet (they belong to a year), prepared on `prepared`. The text is a plan file
/// that `parse` accepts, for the owner to adjust.
pub fn draft_next(plan: &Plan, prepared: NaiveDate) -> String {
    use std::fmt::Write as _;
    let year = plan.year + 1;
    let mut out = format!(
        "# {year} 年度网络安全应急演练计划（草案，由 {} 年计划生成） / {year} drill plan (draft from the {} plan)\n\
         # Set `planned` dates per item; see the README's section on drills.\n\
         year = {year}\nunit = {}\nprepared = {prepared}\nworking_days = {}\nremind_days = {}\n",
        plan.year,
        plan.year,
        toml_str(&plan.unit),
        plan.working_days,
        plan.remind_days
    );
    for item in &plan.items {
        let units: Vec<String> = item.units.iter().map(|u| toml_str(u)).collect();
        let process: Vec<String> = item.process.iter().map(|s| toml_str(s.as_str())).collect();
        let _ = write!(
            out,
            "\n[[item]]\nid = {}\nplaybook = {}\npurpose = {{ zh = {}, en = {} }}\nform = {}\nrecurrence = {}\nplanned = []\nunits = [{}]\n{}process = [{}]\nbudgeted = {}\n",
            toml_str(&item.id),
            toml_str(&item.playbook),
            toml_str(&item.purpose.zh),
            toml_str(&item.purpose.en),
            toml_str(item.form.as_str()),
            toml_str(item.recurrence.as_str()),
            units.join(", "),
            item.scope
                .map(|s| format!("scope = {}\n", toml_str(s.as_str())))
                .unwrap_or_default(),
            process.join(", "),
            item.budgeted
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::drill::classes::Classes;

    fn check(text: &str) -> Result<Plan, String> {
        let playbooks = crate::drill::playbook::load_all(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &Classes::builtin(),
        )
        .unwrap();
        parse(
            Path::new("plan-2026.toml"),
            text,
            &playbooks,
            &["implementing"],
        )
        .map_err(|e| e.to_string())
    }

    const HEAD: &str = "year = 2026\nunit = \"implementing\"\nprepared = 2025-11-20\n";
    const ITEM: &str = "[[item]]\nid = \"a\"\nplaybook = \"portal-defacement\"\npurpose = { zh = \"目的\", en = \"purpose\" }\nrecurrence = \"half-yearly\"\nplanned = [2026-03-02]\nunits = [\"implementing\"]\nbudgeted = false\n";

    #[test]
    fn the_demo_plan_is_valid() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("drills/plan-2026.toml"),
        )
        .unwrap();
        let plan = check(&text.replace(
            "units = [\"implementing\", \"construction\", \"supervision\"",
            "units = [\"implementing\"",
        ))
        .unwrap();
        assert!(plan.has_comprehensive());
        assert!(plan.working_days);
        // Annex A.1/A.2: every item states its scope, and the process defaults to all stages.
        for item in &plan.items {
            assert!(item.scope.is_some(), "{}", item.id);
            assert!(item.process.contains(&crate::drill::annex::Stage::Report));
        }
    }

    #[test]
    fn plan_errors_name_their_place() {
        let ok = format!("{HEAD}{ITEM}");
        assert!(check(&ok).is_ok());
        let cases = [
            (ok.replace("year = 2026", "year = 2027"), "plan-2026.toml:1:8: the plan is for 2027 but the file is named 'plan-2026.toml'"),
            (ok.replace("unit = \"implementing\"", "unit = \"city\""), "plan-2026.toml:2:8: unit 'city' is not a unit of anbao.toml (implementing)"),
            (ok.replace("portal-defacement", "flood"), "plan-2026.toml:6:12: item 'a' names playbook 'flood', which is not in playbooks/"),
            (ok.replace("half-yearly", "monthly"), "plan-2026.toml:8:14: 'recurrence' must be one of yearly, half-yearly, quarterly, found 'monthly'"),
            (ok.replace("[2026-03-02]", "[2026-03-02, 2026-04-01]"), "plan-2026.toml:9:11: two planned dates fall in the same half-yearly period"),
            (ok.replace("[2026-03-02]", "[2027-03-02]"), "plan-2026.toml:9:11: planned date 2027-03-02 is not in 2026"),
            (ok.replace("units = [\"implementing\"]", "units = []"), "plan-2026.toml:10:9: 'units' must name at least one participating unit"),
            (format!("{ok}{ITEM}"), "plan-2026.toml:13:6: item 'a' is listed twice"),
            (ok.replace("en = \"purpose\"", "en = \"\""), "plan-2026.toml:7:11: 'purpose' has no 'en' text"),
            (ok.replace("budgeted = false", "budget = false"), "plan-2026.toml:11:1: unknown field `budget`"),
            (ok.replace("budgeted = false", "scope = \"city\"\nbudgeted = false"), "plan-2026.toml:11:9: 'scope' must be one of organisation, industry, cross-industry, regional, cross-regional, found 'city'"),
            (ok.replace("budgeted = false", "process = [\"execution\"]\nbudgeted = false"), "plan-2026.toml:11:11: 'process' must include 'report'"),
        ];
        for (text, expected) in cases {
            let err = check(&text).unwrap_err();
            assert!(err.starts_with(expected), "{err}\nexpected: {expected}");
        }
    }

    #[test]
    fn next_years_draft_is_a_valid_plan_with_the_same_items() {
        let plan = check(&format!("{HEAD}working_days = true\n{ITEM}")).unwrap();
        let text = draft_next(&plan, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        let playbooks = crate::drill::playbook::load_all(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &Classes::builtin(),
        )
        .unwrap();
        let next = parse(
            Path::new("plan-2027.toml"),
            &text,
            &playbooks,
            &["implementing"],
        )
        .unwrap();
        assert_eq!(next.year, 2027);
        assert!(next.working_days);
        assert_eq!(next.items.len(), 1);
        assert_eq!(next.items[0].purpose, plan.items[0].purpose);
        assert!(next.items[0].planned.is_empty());
    }

    #[test]
    fn periods_cover_the_year() {
        let h = Recurrence::HalfYearly.periods(2026);
        assert_eq!(h[0].last, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        assert_eq!(h[1].label, "2026-H2");
        let q = Recurrence::Quarterly.periods(2028);
        assert_eq!(q[0].last, NaiveDate::from_ymd_opt(2028, 3, 31).unwrap());
        assert_eq!(q[3].last, NaiveDate::from_ymd_opt(2028, 12, 31).unwrap());
    }
}
