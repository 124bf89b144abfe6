//! Working days under the official calendar (weekends, public holidays, make-up working days),
//! kept as data per year, and the filing deadlines of the city's measures computed from them.

use crate::error::InputError;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The calendar shipped with anbao, used when a workspace has none of its own.
pub const BUILTIN: &str = include_str!("../checklists/calendar-cn.toml");
/// Where a workspace keeps its calendar (it may add years).
pub const WORKSPACE_FILE: &str = "checklists/calendar-cn.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    year: Vec<YearFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    #[serde(default)]
    holidays: Vec<HolidayFile>,
    #[serde(default, deserialize_with = "crate::workspace::toml_date::vec")]
    makeup_workdays: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    from: NaiveDate,
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    to: NaiveDate,
}

/// Known years of the official calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, String>,
    holidays: BTreeMap<NaiveDate, String>,
    makeup_workdays: BTreeSet<NaiveDate>,
}

/// Asked about a day of a year the calendar does not know.
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

impl Calendar {
    /// Parses a calendar file; every problem names the file, line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Calendar, InputError> {
        let file: CalendarFile = crate::workspace::parse_toml(path, text)?;
        let mut cal = Calendar::default();
        for y in file.year {
            if cal.years.insert(y.year, y.source).is_some() {
                return Err(InputError::whole_file(
                    path,
                    format!("year {} is given twice", y.year),
                ));
            }
            for h in y.holidays {
                if h.to < h.from {
                    return Err(InputError::whole_file(
                        path,
                        format!(
                            "holiday '{}' ends ({}) before it starts ({})",
                            h.name, h.to, h.from
                        ),
                    ));
                }
                for day in h.from.iter_days().take_while(|d| *d <= h.to) {
                    if day.year() != y.year {
                        return Err(InputError::whole_file(
                            path,
                            format!("holiday '{}' has day {day} outside year {}", h.name, y.year),
                        ));
                    }
                    cal.holidays.insert(day, h.name.clone());
                }
            }
            for d in y.makeup_workdays {
                if d.year() != y.year {
                    return Err(InputError::whole_file(
                        path,
                        format!("make-up working day {d} is outside year {}", y.year),
                    ));
                }
                cal.makeup_workdays.insert(d);
            }
        }
        Ok(cal)
    }

    /// The built-in calendar.
    pub fn builtin() -> Calendar {
        Calendar::parse(Path::new("<built-in calendar>"), BUILTIN)
            .expect("the shipped calendar is valid")
    }

    /// The workspace's own calendar if it has one, else the built-in one.
    pub fn for_workspace(root: &Path) -> Result<Calendar, InputError> {
        let path = root.join(WORKSPACE_FILE);
        match crate::fsutil::read_text_if_present(&path, crate::fsutil::CONFIG_LIMIT)? {
            Some(text) => Calendar::parse(&path, &text),
            None => Ok(Calendar::builtin()),
        }
    }

    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, UnknownYear> {
        if !self.years.contains_key(&day.year()) {
            return Err(UnknownYear(day.year()));
        }
        if self.makeup_workdays.contains(&day) {
            return Ok(true);
        }
        if self.holidays.contains_key(&day) {
            return Ok(false);
        }
        Ok(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The `n`th working day after `start` (not counting `start` itself).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, UnknownYear> {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day
                .checked_add_days(Days::new(1))
                .ok_or(UnknownYear(i32::MAX))?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, UnknownYear> {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day
                .checked_add_days(Days::new(1))
                .ok_or(UnknownYear(i32::MAX))?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
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
    fn working_days_skip_the_national_day_week() {
        let cal = Calendar::builtin();
        // Signed Tuesday 2026-09-29: 30th is a working day, then 1-7 October are off, 8th and
        // 9th are working days, 10th is a make-up Saturday, 12th is a Monday.
        assert_eq!(
            cal.add_working_days(d("2026-09-29"), 1).unwrap(),
            d("2026-09-30")
        );
        assert_eq!(
            cal.add_working_days(d("2026-09-29"), 2).unwrap(),
            d("2026-10-08")
        );
        assert_eq!(
            cal.add_working_days(d("2026-09-29"), 4).unwrap(),
            d("2026-10-10")
        );
        assert_eq!(
            cal.add_working_days(d("2026-09-29"), 5).unwrap(),
            d("2026-10-12")
        );
        assert_eq!(
            cal.working_days_between(d("2026-09-29"), d("2026-10-12"))
                .unwrap(),
            5
        );
    }

    #[test]
    fn unknown_years_are_said_not_guessed() {
        let cal = Calendar::builtin();
        assert_eq!(cal.is_working_day(d("2027-01-04")), Err(UnknownYear(2027)));
        // 30 working days after 10 December run into 2027.
        assert_eq!(
            cal.add_working_days(d("2026-12-10"), 30),
            Err(UnknownYear(2027))
        );
        assert!(UnknownYear(2027).to_string().contains("2027"));
    }

    #[test]
    fn bad_calendar_files_are_located_errors() {
        let bad = "[[year]]\nyear = 2026\nsource = \"x\"\nmakeup_workdays = [2026-13-01]\n";
        let err = Calendar::parse(Path::new("cal.toml"), bad).unwrap_err();
        assert!(err.to_string().starts_with("cal.toml:4:"), "{err}");
        let outside = "[[year]]\nyear = 2026\nsource = \"x\"\nmakeup_workdays = [2027-01-02]\n";
        assert!(Calendar::parse(Path::new("cal.toml"), outside).is_err());
    }
}
