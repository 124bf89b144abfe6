//! What is due: each plan item's drills per period (done, due, overdue, upcoming) as of a date,
//! next year's plan (due before December), and open improvement actions. Deadlines move to the
//! last working day of a period where the plan counts working days; a year the official
//! calendar does not know is said, and those days are counted as calendar days, never guessed.

use super::plan::{Item, Period, Plan};
use super::record::{ActionStatus, FinishedDrill, TrackedAction};
use crate::calendar::{Calendar, UnknownYear};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

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
    /// Working days could not be counted because the calendar does not know this year; the
    /// dates above are then calendar days.
    pub calendar_unknown: Option<i32>,
}

/// The deadline of something to be done by `limit` (inclusive), reminded `remind` days before.
pub fn deadline(cal: &Calendar, limit: NaiveDate, remind: u32, working_days: bool) -> Deadline {
    let calendar_days = |unknown| Deadline {
        deadline: limit,
        due_from: limit
            .checked_sub_days(Days::new(remind.into()))
            .unwrap_or(limit),
        calendar_unknown: unknown,
    };
    if !working_days {
        return calendar_days(None);
    }
    match working_deadline(cal, limit, remind) {
        Ok(d) => d,
        Err(UnknownYear(y)) => calendar_days(Some(y)),
    }
}

fn working_deadline(
    cal: &Calendar,
    limit: NaiveDate,
    remind: u32,
) -> Result<Deadline, UnknownYear> {
    let deadline = last_working_day_on_or_before(cal, limit)?;
    let mut due_from = deadline;
    let mut left = remind;
    while left > 0 {
        due_from = due_from.pred_opt().ok_or(UnknownYear(i32::MIN))?;
        if cal.is_working_day(due_from)? {
            left -= 1;
        }
    }
    Ok(Deadline {
        deadline,
        due_from,
        calendar_unknown: None,
    })
}

/// The last working day on or before `day`.
pub fn last_working_day_on_or_before(
    cal: &Calendar,
    day: NaiveDate,
) -> Result<NaiveDate, UnknownYear> {
    let mut d = day;
    while !cal.is_working_day(d)? {
        d = d.pred_opt().ok_or(UnknownYear(i32::MIN))?;
    }
    Ok(d)
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

/// The drills of `plan`, each matched with the finished drill that satisfied it.
pub fn occurrences(
    plan: &Plan,
    cal: &Calendar,
    finished: &[FinishedDrill],
    as_of: NaiveDate,
) -> Vec<Occurrence> {
    let mut used = vec![false; finished.len()];
    let mut out = Vec::new();
    for item in &plan.items {
        for period in item.recurrence.periods(plan.year) {
            let d = deadline(cal, period.last, plan.remind_days, plan.working_days);
            let held = take_match(item, &period, finished, &mut used);
            let planned = item.planned_in(&period);
            let status = match held {
                Some(i) if finished[i].date <= d.deadline => Status::Done,
                Some(_) => Status::DoneLate,
                None if as_of > d.deadline => Status::Overdue,
                None if as_of >= d.due_from || planned.is_some_and(|p| as_of >= p) => Status::Due,
                None => Status::Upcoming,
            };
            out.push(Occurrence {
                year: plan.year,
                item: item.id.clone(),
                playbook: item.playbook.clone(),
                period,
                planned,
                deadline: d,
                status,
                run: held.map(|i| finished[i].run.clone()),
                held: held.map(|i| finished[i].date),
            });
        }
    }
    out
}

/// The finished drill that counts for `item` in `period`: one named for the item, else one of
/// its playbook; a drill counts once. One held inside the period but after the deadline (the
/// period's last days off) counts as done late.
fn take_match(
    item: &Item,
    period: &Period,
    finished: &[FinishedDrill],
    used: &mut [bool],
) -> Option<usize> {
    let candidates = |named: bool| {
        finished.iter().enumerate().position(|(i, f)| {
            !used[i]
                && period.contains(f.date)
                && f.playbook == item.playbook
                && (!named || f.plan_item.as_deref() == Some(&item.id))
        })
    };
    let found = candidates(true).or_else(|| candidates(false));
    if let Some(i) = found {
        used[i] = true;
    }
    found
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
