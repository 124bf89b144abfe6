//! Working days under the official calendar (weekends, public holidays, make-up working days),
//! kept as data per year. A year the State Council has not announced (or the file does not
//! hold yet) is counted as plain weekdays, and everything computed across it is *provisional*:
//! every result carries the years it had to assume, so no front end can show it as final.

use crate::error::InputError;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The calendar shipped with anbao.
pub const BUILTIN: &str = include_str!("../checklists/calendar-cn.toml");
/// Where a workspace keeps the years it adds or corrects; each year there replaces the
/// built-in one of the same number.
pub const WORKSPACE_FILE: &str = "checklists/calendar-cn.toml";

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarFile {
    pub year: Vec<YearFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearFile {
    pub year: i32,
    pub source: String,
    #[serde(default)]
    pub holidays: Vec<HolidayFile>,
    #[serde(
        default,
        deserialize_with = "crate::workspace::toml_date::vec",
        serialize_with = "toml_dates"
    )]
    pub makeup_workdays: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HolidayFile {
    pub name: String,
    #[serde(
        deserialize_with = "crate::workspace::toml_date::deserialize",
        serialize_with = "toml_date"
    )]
    pub from: NaiveDate,
    #[serde(
        deserialize_with = "crate::workspace::toml_date::deserialize",
        serialize_with = "toml_date"
    )]
    pub to: NaiveDate,
}

fn as_toml_date(d: NaiveDate) -> toml::value::Datetime {
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

fn toml_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    as_toml_date(*d).serialize(s)
}

fn toml_dates<S: serde::Serializer>(v: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
    let dates: Vec<toml::value::Datetime> = v.iter().map(|d| as_toml_date(*d)).collect();
    dates.serialize(s)
}

/// Where a known year comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    BuiltIn,
    Workspace { file: PathBuf },
}

/// One year of the official calendar.
#[derive(Debug, Clone, Serialize)]
pub struct KnownYear {
    pub year: i32,
    /// The notice the dates come from.
    pub source: String,
    pub origin: Origin,
    pub holidays: usize,
    pub makeup_workdays: usize,
}

/// Known years of the official calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, KnownYear>,
    holidays: BTreeMap<NaiveDate, String>,
    makeup_workdays: BTreeSet<NaiveDate>,
}

/// Asked strictly about a day of a year the calendar does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnknownYear(pub i32);

impl std::fmt::Display for UnknownYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the official calendar for {} is not known; add it to {WORKSPACE_FILE}",
            self.0
        )
    }
}

/// A date or a count worked out under the calendar, with the years whose holidays were not
/// known and were counted as plain weekdays. Empty `provisional_years` means final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reckoned<T> {
    pub value: T,
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub provisional_years: BTreeSet<i32>,
}

impl<T> Reckoned<T> {
    pub fn is_provisional(&self) -> bool {
        !self.provisional_years.is_empty()
    }

    /// The value, and the assumed years folded into `into`.
    pub fn take(self, into: &mut BTreeSet<i32>) -> T {
        into.extend(self.provisional_years);
        self.value
    }
}

/// Checks one parsed file and adds its years (replacing years already known).
fn add_years(
    cal: &mut Calendar,
    path: &Path,
    file: CalendarFile,
    origin: Origin,
) -> Result<(), InputError> {
    let mut seen = BTreeSet::new();
    for y in file.year {
        if !seen.insert(y.year) {
            return Err(InputError::whole_file(
                path,
                format!("year {} is given twice", y.year),
            ));
        }
        check_year(path, &y)?;
        cal.holidays.retain(|d, _| d.year() != y.year);
        cal.makeup_workdays.retain(|d| d.year() != y.year);
        for h in &y.holidays {
            for day in h.from.iter_days().take_while(|d| *d <= h.to) {
                cal.holidays.insert(day, h.name.clone());
            }
        }
        cal.makeup_workdays
            .extend(y.makeup_workdays.iter().copied());
        cal.years.insert(
            y.year,
            KnownYear {
                year: y.year,
                source: y.source,
                origin: origin.clone(),
                holidays: y.holidays.len(),
                makeup_workdays: y.makeup_workdays.len(),
            },
        );
    }
    Ok(())
}

/// Dates inside their year, holidays that end after they start, a source named, no make-up
/// working day that is also a holiday.
pub(crate) fn check_year(path: &Path, y: &YearFile) -> Result<(), InputError> {
    let err = |m: String| Err(InputError::whole_file(path, m));
    if y.source.trim().is_empty() {
        return err(format!(
            "year {} needs a 'source': the notice its dates come from",
            y.year
        ));
    }
    for h in &y.holidays {
        if h.to < h.from {
            return err(format!(
                "holiday '{}' ends ({}) before it starts ({})",
                h.name, h.to, h.from
            ));
        }
        if h.from.year() != y.year || h.to.year() != y.year {
            return err(format!(
                "holiday '{}' has days outside year {}",
                h.name, y.year
            ));
        }
    }
    for d in &y.makeup_workdays {
        if d.year() != y.year {
            return err(format!(
                "make-up working day {d} is outside year {}",
                y.year
            ));
        }
        if let Some(h) = y.holidays.iter().find(|h| h.from <= *d && *d <= h.to) {
            return err(format!(
                "make-up working day {d} falls inside holiday '{}'",
                h.name
            ));
        }
    }
    Ok(())
}

impl Calendar {
    /// Parses one calendar file on its own; every problem names the file, line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Calendar, InputError> {
        let file: CalendarFile = crate::workspace::parse_toml(path, text)?;
        let mut cal = Calendar::default();
        add_years(&mut cal, path, file, Origin::BuiltIn)?;
        Ok(cal)
    }

    /// The built-in calendar.
    pub fn builtin() -> Calendar {
        Calendar::parse(Path::new("<built-in calendar>"), BUILTIN)
            .expect("the shipped calendar is valid")
    }

    /// The built-in calendar with the workspace's own years laid over it.
    pub fn for_workspace(root: &Path) -> Result<Calendar, InputError> {
        let mut cal = Calendar::builtin();
        let path = root.join(WORKSPACE_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file: CalendarFile = crate::workspace::parse_toml(&path, &text)?;
                add_years(
                    &mut cal,
                    &path,
                    file,
                    Origin::Workspace { file: path.clone() },
                )?;
                Ok(cal)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(cal),
            Err(e) => Err(InputError::whole_file(&path, format!("cannot read: {e}"))),
        }
    }

    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Every known year with its source and origin.
    pub fn years(&self) -> impl Iterator<Item = &KnownYear> {
        self.years.values()
    }

    pub fn knows(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `day` is a working day; an error for a year the calendar does not know.
    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, UnknownYear> {
        if !self.knows(day.year()) {
            return Err(UnknownYear(day.year()));
        }
        Ok(self.working_or_weekday(day))
    }

    /// Whether `day` is a working day, counting a day of an unknown year as a working day when
    /// it is a weekday; the result says when that assumption was made.
    pub fn working_day(&self, day: NaiveDate) -> Reckoned<bool> {
        Reckoned {
            value: self.working_or_weekday(day),
            provisional_years: (!self.knows(day.year()))
                .then_some(day.year())
                .into_iter()
                .collect(),
        }
    }

    fn working_or_weekday(&self, day: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains_key(&day) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`th working day after `start` (not counting `start` itself).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Reckoned<NaiveDate> {
        let mut provisional = BTreeSet::new();
        let mut day = start;
        let mut left = n;
        while left > 0 {
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
            if self.working_day(day).take(&mut provisional) {
                left -= 1;
            }
        }
        Reckoned {
            value: day,
            provisional_years: provisional,
        }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Reckoned<u32> {
        let mut provisional = BTreeSet::new();
        let mut count = 0;
        let mut day = from;
        while day < to {
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
            if self.working_day(day).take(&mut provisional) {
                count += 1;
            }
        }
        Reckoned {
            value: count,
            provisional_years: provisional,
        }
    }

    /// The last working day on or before `day`.
    pub fn last_working_day_on_or_before(&self, day: NaiveDate) -> Reckoned<NaiveDate> {
        let mut provisional = BTreeSet::new();
        let mut d = day;
        while !self.working_day(d).take(&mut provisional) {
            match d.pred_opt() {
                Some(p) => d = p,
                None => break,
            }
        }
        Reckoned {
            value: d,
            provisional_years: provisional,
        }
    }
}

/// Adds or replaces one year in the workspace's calendar file, written atomically; the other
/// years of that file are kept. Returns the file written.
pub fn write_workspace_year(root: &Path, year: &YearFileInput) -> Result<PathBuf, InputError> {
    let path = root.join(WORKSPACE_FILE);
    let mut file = match std::fs::read_to_string(&path) {
        Ok(text) => crate::workspace::parse_toml::<CalendarFile>(&path, &text)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => CalendarFile { year: Vec::new() },
        Err(e) => return Err(InputError::whole_file(&path, format!("cannot read: {e}"))),
    };
    let new = YearFile {
        year: year.year,
        source: year.source.clone(),
        holidays: year
            .holidays
            .iter()
            .map(|(name, from, to)| HolidayFile {
                name: name.clone(),
                from: *from,
                to: *to,
            })
            .collect(),
        makeup_workdays: year.makeup_workdays.clone(),
    };
    check_year(&path, &new)?;
    file.year.retain(|y| y.year != new.year);
    file.year.push(new);
    file.year.sort_by_key(|y| y.year);
    let body = toml::to_string(&file)
        .map_err(|e| InputError::whole_file(&path, format!("cannot write: {e}")))?;
    let text = format!(
        "# Years this workspace adds to or corrects in anbao's official calendar; each [[year]]\n# replaces the built-in one of the same number. Written by `anbao calendar set`.\n# 本工作区补充或更正的法定节假日年度安排，每个 [[year]] 取代内置的同一年度。\n\n{body}"
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| InputError::whole_file(dir, format!("cannot create: {e}")))?;
    }
    crate::fsutil::write_atomic(&path, text.as_bytes())
        .map_err(|e| InputError::whole_file(&path, format!("cannot write: {e}")))?;
    Ok(path)
}

/// One year as a command gives it: (name, first day, last day) per holiday.
#[derive(Debug, Clone)]
pub struct YearFileInput {
    pub year: i32,
    pub source: String,
    pub holidays: Vec<(String, NaiveDate, NaiveDate)>,
    pub makeup_workdays: Vec<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_holidays_and_make_up_days() {
        let cal = Calendar::builtin();
        assert!(cal.is_working_day(d("2026-01-05")).unwrap()); // Monday
        assert!(!cal.is_working_day(d("2026-01-10")).unwrap()); // Saturday
        assert!(!cal.is_working_day(d("2026-01-02")).unwrap()); // New Year, a Friday
        assert!(cal.is_working_day(d("2026-01-04")).unwrap()); // make-up Sunday
        assert!(cal.is_working_day(d("2026-10-10")).unwrap()); // make-up Saturday
        assert!(cal.is_working_day(d("2026-10-08")).unwrap()); // Thursday after the holiday
        assert!(!cal.is_working_day(d("2026-10-07")).unwrap());
    }

    #[test]
    fn the_2025_notice_is_known() {
        // State Council General Office notice of 2024-11-12 (国办发明电〔2024〕12号).
        let cal = Calendar::builtin();
        assert!(!cal.is_working_day(d("2025-01-28")).unwrap()); // Spring Festival eve
        assert!(!cal.is_working_day(d("2025-02-04")).unwrap()); // its last day, a Tuesday
        assert!(cal.is_working_day(d("2025-01-26")).unwrap()); // make-up Sunday
        assert!(cal.is_working_day(d("2025-02-08")).unwrap()); // make-up Saturday
        assert!(cal.is_working_day(d("2025-04-27")).unwrap()); // make-up Sunday (Labour Day)
        assert!(!cal.is_working_day(d("2025-06-02")).unwrap()); // Dragon Boat, a Monday
        assert!(!cal.is_working_day(d("2025-10-08")).unwrap()); // National Day + Mid-Autumn
        assert!(cal.is_working_day(d("2025-10-11")).unwrap()); // make-up Saturday
        assert!(!cal.is_working_day(d("2025-01-01")).unwrap());
        assert!(cal.is_working_day(d("2025-01-02")).unwrap()); // New Year is one day in 2025
        let y = cal.years().find(|y| y.year == 2025).unwrap();
        assert!(y.source.contains("国办发明电〔2024〕12号"), "{}", y.source);
    }

    #[test]
    fn working_days_skip_the_national_day_week() {
        let cal = Calendar::builtin();
        // Signed Tuesday 2026-09-29: 30th is a working day, then 1-7 October are off, 8th and
        // 9th are working days, 10th is a make-up Saturday, 12th is a Monday.
        let add = |n| cal.add_working_days(d("2026-09-29"), n);
        assert_eq!(add(1).value, d("2026-09-30"));
        assert_eq!(add(2).value, d("2026-10-08"));
        assert_eq!(add(4).value, d("2026-10-10"));
        assert_eq!(add(5).value, d("2026-10-12"));
        assert!(!add(5).is_provisional());
        let between = cal.working_days_between(d("2026-09-29"), d("2026-10-12"));
        assert_eq!((between.value, between.is_provisional()), (5, false));
    }

    #[test]
    fn unknown_years_count_weekdays_and_are_marked_provisional() {
        let cal = Calendar::builtin();
        assert_eq!(cal.is_working_day(d("2027-01-04")), Err(UnknownYear(2027)));
        let day = cal.working_day(d("2027-01-01")); // a Friday: a weekday, assumed working
        assert!(day.value && day.provisional_years == BTreeSet::from([2027]));
        // 30 working days after 10 December 2026: 15 left in 2026 (the 11th to the 31st), then
        // 15 weekdays of 2027 counted as working days, 1 January included: 21 January 2027.
        let due = cal.add_working_days(d("2026-12-10"), 30);
        assert_eq!(due.value, d("2027-01-21"));
        assert_eq!(due.provisional_years, BTreeSet::from([2027]));
        // Inside a known year nothing is provisional.
        assert!(!cal.add_working_days(d("2026-03-02"), 30).is_provisional());
        assert!(UnknownYear(2027).to_string().contains("2027"));
    }

    #[test]
    fn a_workspace_adds_and_corrects_years_over_the_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        let input = YearFileInput {
            year: 2027,
            source: "test notice".into(),
            holidays: vec![("元旦 New Year".into(), d("2027-01-01"), d("2027-01-03"))],
            makeup_workdays: vec![],
        };
        let path = write_workspace_year(dir.path(), &input).unwrap();
        assert!(path.ends_with(WORKSPACE_FILE));
        let cal = Calendar::for_workspace(dir.path()).unwrap();
        assert_eq!(cal.known_years().collect::<Vec<_>>(), [2025, 2026, 2027]);
        assert!(!cal.working_day(d("2027-01-01")).is_provisional());
        assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
        // Correcting 2026 replaces the built-in 2026 only.
        let fix = YearFileInput {
            year: 2026,
            source: "corrected".into(),
            holidays: vec![],
            makeup_workdays: vec![],
        };
        write_workspace_year(dir.path(), &fix).unwrap();
        let cal = Calendar::for_workspace(dir.path()).unwrap();
        assert!(cal.is_working_day(d("2026-10-08")).unwrap());
        assert!(cal.is_working_day(d("2026-10-02")).unwrap()); // no holidays in the fix
        assert!(!cal.is_working_day(d("2027-01-01")).unwrap()); // 2027 kept
        let y2026 = cal.years().find(|y| y.year == 2026).unwrap();
        assert!(matches!(y2026.origin, Origin::Workspace { .. }));
        // A bad year is refused and nothing is written.
        let before = std::fs::read_to_string(&path).unwrap();
        let bad = YearFileInput {
            year: 2028,
            source: "x".into(),
            holidays: vec![("x".into(), d("2028-02-03"), d("2028-02-01"))],
            makeup_workdays: vec![],
        };
        assert!(write_workspace_year(dir.path(), &bad).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    }

    #[test]
    fn bad_calendar_files_are_located_errors() {
        let bad = "[[year]]\nyear = 2026\nsource = \"x\"\nmakeup_workdays = [2026-13-01]\n";
        let err = Calendar::parse(Path::new("cal.toml"), bad).unwrap_err();
        assert!(err.to_string().starts_with("cal.toml:4:"), "{err}");
        let outside = "[[year]]\nyear = 2026\nsource = \"x\"\nmakeup_workdays = [2027-01-02]\n";
        assert!(Calendar::parse(Path::new("cal.toml"), outside).is_err());
        let no_source = "[[year]]\nyear = 2026\nsource = \" \"\n";
        assert!(Calendar::parse(Path::new("cal.toml"), no_source).is_err());
    }
}
