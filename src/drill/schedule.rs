//! What is due: each plan item's drills per period (done, due, overdue, upcoming) as of a date,
//! next year's plan (due before December), and open improvement actions. Deadlines move to the
//! last working day of a period where the plan counts working days; in a year the official
//! calendar does not know, Monday to Friday count as working days and the deadline is marked
//! provisional.

use super::plan::{Item, Period, Plan};
use super::record::{ActionStatus, FinishedDrill, TrackedAction};
use crate::calendar::Calendar;
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a scheduled thing stands on the day asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Overdue,
    Due,
    Upcoming,
    Done,
    DoneLate,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::Due => "due",
            Status::Upcoming => "upcoming",
            Status::Done => "done",
            Status::DoneLate => "done-late",
        }
    }

    pub fn needs_attention(self) -> bool {
        matches!(self, Status::Overdue | Status::Due)
    }
}

/// The deadline and reminder day of something due by `limit`.
#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    /// The last day it can be done on time.
    pub deadline: NaiveDate,
    /// From this day on it is listed as due.
    pub due_from: NaiveDate,
    /// Whether working days were counted across a year whose official holidays are not known
    /// (Monday to Friday counted): then these dates are not final.
    pub provisional: bool,
    /// Those years.
    pub provisional_years: BTreeSet<i32>,
}

/// The deadline of something to be done by `limit` (inclusive), reminded `remind` days before
/// (working days when `working_days`, else calendar days).
pub fn deadline(cal: &Calendar, limit: NaiveDate, remind: u32, working_days: bool) -> Deadline {
    if !working_days {
        return Deadline {
            deadline: limit,
            due_from: limit
                .checked_sub_days(Days::new(remind.into()))
                .unwrap_or(limit),
            provisional: false,
            provisional_years: BTreeSet::new(),
        };
    }
    let mut years = BTreeSet::new();
    let deadline = cal.last_working_day_on_or_before(limit).take(&mut years);
    let mut due_from = deadline;
    let mut left = remind;
    while left > 0 {
        let Some(prev) = due_from.pred_opt() else {
            break;
        };
        due_from = prev;
        if cal.working_day(due_from).take(&mut years) {
            left -= 1;
        }
    }
    Deadline {
        deadline,
        due_from,
        provisional: !years.is_empty(),
        provisional_years: years,
    }
}

/// The last working day on or before `day`.
pub fn last_working_day_on_or_before(cal: &Calendar, day: NaiveDate) -> NaiveDate {
    cal.last_working_day_on_or_before(day).value
}

/// One drill of a plan item in one period.
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    pub year: i32,
    pub item: String,
    pub playbook: String,
    pub period: Period,
    pub planned: Option<NaiveDate>,
    #[serde(flatten)]
    pub deadline: Deadline,
    pub status: Status,
    /// The run that satisfied it.
    pub run: Option<String>,
    pub held: Option<NaiveDate>,
}

/// The drills of `plan`, each matched with the finished drill that satisfied it: first drills
/// recorded for that very plan item, then any other drill of the same playbook; each finished
/// drill counts once. A drill inside the period but after the deadline (the period's last days
/// off) counts as done late.
pub fn occurrences(
    plan: &Plan,
    cal: &Calendar,
    finished: &[FinishedDrill],
    as_of: NaiveDate,
) -> Vec<Occurrence> {
    let slots: Vec<(&Item, Period)> = plan
        .items
        .iter()
        .flat_map(|item| {
            item.recurrence
                .periods(plan.year)
                .into_iter()
                .map(move |p| (item, p))
        })
        .collect();
    let mut used = vec![false; finished.len()];
    let mut held: Vec<Option<usize>> = vec![None; slots.len()];
    for named in [true, false] {
        for (slot, (item, period)) in slots.iter().enumerate() {
            if held[slot].is_some() {
                continue;
            }
            held[slot] = finished.iter().enumerate().position(|(i, f)| {
                !used[i]
                    && period.contains(f.date)
                    && f.playbook == item.playbook
                    && (!named || f.plan_item.as_deref() == Some(item.id.as_str()))
            });
            if let Some(i) = held[slot] {
                used[i] = true;
            }
        }
    }
    slots
        .into_iter()
        .zip(held)
        .map(|((item, period), held)| {
            let d = deadline(cal, period.last, plan.remind_days, plan.working_days);
            let planned = item.planned_in(&period);
            let status = match held {
                Some(i) if finished[i].date <= d.deadline => Status::Done,
                Some(_) => Status::DoneLate,
                None if as_of > d.deadline => Status::Overdue,
                None if as_of >= d.due_from || planned.is_some_and(|p| as_of >= p) => Status::Due,
                None => Status::Upcoming,
            };
            Occurrence {
                year: plan.year,
                item: item.id.clone(),
                playbook: item.playbook.clone(),
                period,
                planned,
                deadline: d,
                status,
                run: held.map(|i| finished[i].run.clone()),
                held: held.map(|i| finished[i].date),
            }
        })
        .collect()
}

/// Next year's plan: due before December of the plan's year.
#[derive(Debug, Clone, Serialize)]
pub struct NextPlan {
    pub year: i32,
    #[serde(flatten)]
    pub deadline: Deadline,
    pub status: Status,
    /// When the next plan was prepared, if it exists.
    pub prepared: Option<NaiveDate>,
}

pub fn next_plan(plan: &Plan, next: Option<&Plan>, cal: &Calendar, as_of: NaiveDate) -> NextPlan {
    let d = deadline(
        cal,
        plan.next_plan_deadline(),
        plan.remind_days,
        plan.working_days,
    );
    let status = match next {
        Some(n) if n.prepared <= d.deadline => Status::Done,
        Some(_) => Status::DoneLate,
        None if as_of > d.deadline => Status::Overdue,
        None if as_of >= d.due_from => Status::Due,
        None => Status::Upcoming,
    };
    NextPlan {
        year: plan.year + 1,
        deadline: d,
        status,
        prepared: next.map(|n| n.prepared),
    }
}

/// An improvement action that is not closed, with its standing.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDue {
    #[serde(flatten)]
    pub action: TrackedAction,
    pub due_status: Status,
}

/// Open improvement actions, overdue after their due day and due within `remind` days of it.
pub fn open_actions(actions: &[TrackedAction], as_of: NaiveDate, remind: u32) -> Vec<ActionDue> {
    actions
        .iter()
        .filter(|a| a.status != ActionStatus::Closed)
        .map(|a| ActionDue {
            action: a.clone(),
            due_status: if as_of > a.due {
                Status::Overdue
            } else if as_of
                >= a.due
                    .checked_sub_days(Days::new(remind.into()))
                    .unwrap_or(a.due)
            {
                Status::Due
            } else {
                Status::Upcoming
            },
        })
        .collect()
}

/// Everything `anbao drill due` shows.
#[derive(Debug, Clone, Serialize)]
pub struct DueReport {
    pub as_of: NaiveDate,
    pub drills: Vec<Occurrence>,
    pub next_plans: Vec<NextPlan>,
    pub actions: Vec<ActionDue>,
    /// Plan years without a comprehensive drill.
    pub missing_comprehensive: Vec<i32>,
    /// The year of `as_of` has no plan.
    pub missing_plan: Option<i32>,
}

impl DueReport {
    /// Whether anything is overdue.
    pub fn has_overdue(&self) -> bool {
        self.drills.iter().any(|o| o.status == Status::Overdue)
            || self.next_plans.iter().any(|n| n.status == Status::Overdue)
            || self.actions.iter().any(|a| a.due_status == Status::Overdue)
    }
}

/// The due report over every plan up to `as_of`'s year.
pub fn due(
    plans: &[Plan],
    cal: &Calendar,
    finished: &[FinishedDrill],
    actions: &[TrackedAction],
    as_of: NaiveDate,
) -> DueReport {
    let mut drills = Vec::new();
    let mut next_plans = Vec::new();
    for plan in plans.iter().filter(|p| p.year <= as_of.year()) {
        drills.extend(occurrences(plan, cal, finished, as_of));
        let next = plans.iter().find(|p| p.year == plan.year + 1);
        next_plans.push(next_plan(plan, next, cal, as_of));
    }
    let remind = plans.last().map_or(10, |p| p.remind_days);
    DueReport {
        as_of,
        drills,
        next_plans,
        actions: open_actions(actions, as_of, remind),
        missing_comprehensive: plans
            .iter()
            .filter(|p| !p.has_comprehensive())
            .map(|p| p.year)
            .collect(),
        missing_plan: (!plans.iter().any(|p| p.year == as_of.year())).then_some(as_of.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::classes::Classes;
    use crate::drill::playbook;
    use std::path::Path;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn playbooks() -> Vec<crate::drill::Playbook> {
        playbook::load_all(Path::new(env!("CARGO_MANIFEST_DIR")), &Classes::builtin()).unwrap()
    }

    fn plan(year: i32, working_days: bool, items: &str) -> Plan {
        let text = format!(
            "year = {year}\nunit = \"implementing\"\nprepared = {}-11-20\nworking_days = {working_days}\nremind_days = 10\n{items}",
            year - 1
        );
        crate::drill::plan::parse(
            Path::new(&format!("plan-{year}.toml")),
            &text,
            &playbooks(),
            &["implementing", "construction"],
        )
        .unwrap()
    }

    const HALF_YEARLY: &str = "[[item]]\nid = \"ransomware\"\nplaybook = \"ransomware-gov-server\"\npurpose = { zh = \"目的\", en = \"purpose\" }\nrecurrence = \"half-yearly\"\nunits = [\"implementing\"]\nbudgeted = true\n";
    const QUARTERLY: &str = "[[item]]\nid = \"cloud\"\nplaybook = \"gov-cloud-outage\"\npurpose = { zh = \"目的\", en = \"purpose\" }\nrecurrence = \"quarterly\"\nunits = [\"implementing\"]\nbudgeted = true\n";

    fn drill(playbook: &str, item: Option<&str>, date: &str) -> FinishedDrill {
        FinishedDrill {
            seq: 0,
            run: format!("{playbook}-{date}"),
            playbook: playbook.into(),
            plan_item: item.map(str::to_string),
            date: d(date),
            actions: Vec::new(),
        }
    }

    #[test]
    fn reminders_count_working_days_around_the_mid_autumn_holiday() {
        let cal = Calendar::builtin();
        // Q3 ends Wednesday 30 September 2026. Ten working days back skip the Mid-Autumn days
        // off (25-27 September) and count the make-up Sunday 20 September: 16 September.
        let p = plan(2026, true, QUARTERLY);
        let q3 = &occurrences(&p, &cal, &[], d("2026-09-15"))[2];
        assert_eq!(q3.period.label, "2026-Q3");
        assert_eq!(q3.deadline.deadline, d("2026-09-30"));
        assert_eq!(q3.deadline.due_from, d("2026-09-16"));
        assert_eq!(q3.status, Status::Upcoming);
        assert_eq!(
            occurrences(&p, &cal, &[], d("2026-09-16"))[2].status,
            Status::Due
        );
        // In calendar days the same reminder starts on 20 September.
        let p = plan(2026, false, QUARTERLY);
        assert_eq!(
            occurrences(&p, &cal, &[], d("2026-09-15"))[2]
                .deadline
                .due_from,
            d("2026-09-20")
        );
    }

    #[test]
    fn a_deadline_on_a_day_off_moves_back_to_the_last_working_day() {
        let cal = Calendar::builtin();
        assert_eq!(
            last_working_day_on_or_before(&cal, d("2026-10-07")),
            d("2026-09-30")
        );
        assert_eq!(
            last_working_day_on_or_before(&cal, d("2026-02-22")),
            d("2026-02-14")
        );
        // 1-3 January 2026 are off; the day before is 31 December 2025, a working day of the
        // 2025 notice.
        let back = cal.last_working_day_on_or_before(d("2026-01-03"));
        assert_eq!(
            (back.value, back.is_provisional()),
            (d("2025-12-31"), false)
        );
    }

    #[test]
    fn across_the_year_boundary() {
        let cal = Calendar::builtin();
        let p2026 = plan(2026, true, HALF_YEARLY);
        // On the last day of 2026 the second-half drill is due, and overdue on 4 January 2027.
        let on = |as_of| due(std::slice::from_ref(&p2026), &cal, &[], &[], d(as_of));
        assert_eq!(on("2026-12-31").drills[1].status, Status::Due);
        let jan = on("2027-01-04");
        assert_eq!(jan.drills[1].status, Status::Overdue);
        assert_eq!(jan.missing_plan, Some(2027));
        // Next year's plan was due by Monday 30 November 2026.
        assert_eq!(jan.next_plans[0].deadline.deadline, d("2026-11-30"));
        assert_eq!(on("2026-11-30").next_plans[0].status, Status::Due);
        assert_eq!(on("2026-12-01").next_plans[0].status, Status::Overdue);
        assert!(jan.has_overdue());

        // A drill held on 28 December counts for 2026-H2; one held in January does not.
        let late = [drill(
            "ransomware-gov-server",
            Some("ransomware"),
            "2027-01-05",
        )];
        assert_eq!(
            occurrences(&p2026, &cal, &late, d("2027-01-06"))[1].status,
            Status::Overdue
        );
        let held = [drill("ransomware-gov-server", None, "2026-12-28")];
        let o = &occurrences(&p2026, &cal, &held, d("2027-01-06"))[1];
        assert_eq!((o.status, o.held), (Status::Done, Some(d("2026-12-28"))));

        // With the 2027 plan in place, the 2026 one's "next plan" is done, and the 2027 drills
        // count Monday to Friday, marked provisional, because the 2027 holidays are not known.
        let p2027 = plan(2027, true, HALF_YEARLY);
        let both = due(&[p2026.clone(), p2027], &cal, &held, &[], d("2027-01-06"));
        assert_eq!(both.next_plans[0].status, Status::Done);
        let h1 = both.drills.iter().find(|o| o.year == 2027).unwrap();
        assert!(h1.deadline.provisional);
        assert_eq!(h1.deadline.provisional_years, BTreeSet::from([2027]));
        assert_eq!(h1.deadline.deadline, d("2027-06-30")); // a Wednesday
                                                           // The reminder counts back 10 weekdays: 16 June 2027.
        assert_eq!(h1.deadline.due_from, d("2027-06-16"));
        assert_eq!(h1.status, Status::Upcoming);
    }

    #[test]
    fn with_a_known_next_year_deadlines_follow_its_holidays() {
        // A test calendar (not official data): 2026 as shipped plus a 2027 whose 30 June is
        // a day off, so the first-half deadline moves back to Tuesday 29 June.
        let text = format!(
            "{}\n[[year]]\nyear = 2027\nsource = \"test fixture, not an official schedule\"\nholidays = [{{ name = \"test\", from = 2027-06-30, to = 2027-06-30 }}]\n",
            crate::calendar::BUILTIN
        );
        let cal = Calendar::parse(Path::new("test-calendar.toml"), &text).unwrap();
        let p = plan(2027, true, HALF_YEARLY);
        let o = &occurrences(&p, &cal, &[], d("2027-06-30"))[0];
        assert_eq!(o.deadline.deadline, d("2027-06-29"));
        assert!(!o.deadline.provisional);
        assert_eq!(o.status, Status::Overdue);
        // A drill held on the day off itself is inside the half-year but after the deadline.
        let held = [drill(
            "ransomware-gov-server",
            Some("ransomware"),
            "2027-06-30",
        )];
        assert_eq!(
            occurrences(&p, &cal, &held, d("2027-07-01"))[0].status,
            Status::DoneLate
        );
    }

    #[test]
    fn a_drill_counts_once_and_prefers_its_own_item() {
        let cal = Calendar::builtin();
        let two_items = format!(
            "{HALF_YEARLY}{}",
            HALF_YEARLY.replace("id = \"ransomware\"", "id = \"ransomware-b\"")
        );
        let p = plan(2026, true, &two_items);
        let held = [drill(
            "ransomware-gov-server",
            Some("ransomware-b"),
            "2026-03-10",
        )];
        let o = occurrences(&p, &cal, &held, d("2026-04-01"));
        assert_eq!(o[0].status, Status::Upcoming, "item ransomware");
        assert_eq!(o[2].status, Status::Done, "item ransomware-b");
    }

    #[test]
    fn open_actions_are_due_then_overdue() {
        let a = TrackedAction {
            id: "r#A1".into(),
            run: "r".into(),
            playbook: "p".into(),
            action: "x".into(),
            owner: "o".into(),
            due: d("2026-12-15"),
            status: ActionStatus::InProgress,
            status_seq: None,
            note: None,
        };
        let st = |as_of| open_actions(std::slice::from_ref(&a), d(as_of), 10)[0].due_status;
        assert_eq!(st("2026-12-01"), Status::Upcoming);
        assert_eq!(st("2026-12-05"), Status::Due);
        assert_eq!(st("2026-12-16"), Status::Overdue);
        let closed = TrackedAction {
            status: ActionStatus::Closed,
            ..a.clone()
        };
        assert!(open_actions(&[closed], d("2026-12-16"), 10).is_empty());
    }
}
