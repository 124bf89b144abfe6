//! The filing deadlines of chapter 3 of the city's measures, computed in working days from the
//! milestone dates in `anbao.toml`. A deadline counted across a year whose official holidays
//! are not known is provisional, and says so.

use crate::calendar::Calendar;
use crate::i18n::Bilingual;
use crate::workspace::Milestones;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// Where a filing stands as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// Filed on or before its deadline.
    Met { filed: NaiveDate },
    /// Filed, but after its deadline.
    Late {
        filed: NaiveDate,
        working_days_late: Option<u32>,
    },
    /// Not filed; the deadline has not passed.
    Due { working_days_left: u32 },
    /// Not filed; the deadline has passed.
    Overdue { working_days_over: u32 },
    /// Required, with no deadline set by the measures, and not filed yet.
    Required,
    /// Filed where the measures set no deadline.
    Filed { filed: NaiveDate },
    /// The event that starts the clock has not happened (or is not recorded).
    NotStarted,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub id: &'static str,
    pub title: Bilingual,
    /// The measures' rule, in our words.
    pub rule: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    pub status: Status,
    /// Whether the due date or a count of working days crosses a year whose official holidays
    /// are not known (counted as Monday to Friday): then nothing here is final.
    pub provisional: bool,
    /// Those years.
    pub provisional_years: BTreeSet<i32>,
}

impl Deadline {
    /// Whether the filing needs attention: overdue or late (provisionally or not).
    pub fn is_problem(&self) -> bool {
        matches!(self.status, Status::Overdue { .. } | Status::Late { .. })
    }
}

/// Every filing deadline of the measures, as of `as_of`.
pub fn compute(m: &Milestones, cal: &Calendar, as_of: NaiveDate) -> Vec<Deadline> {
    vec![
        within(
            "contract-filing",
            Bilingual::new("建设合同备案", "Construction contract filed"),
            Bilingual::new(
                "合同签订后 5 个工作日内报主管部门备案",
                "filed with the authority within 5 working days of signing",
            ),
            m.contract_signed,
            5,
            m.contract_filed,
            cal,
            as_of,
        ),
        Deadline {
            id: "supervision-filing",
            title: Bilingual::new("监理单位备案", "Supervision unit filed"),
            rule: Bilingual::new(
                "经市场化方式确定监理单位后向主管部门备案（办法未规定期限）",
                "filed with the authority once chosen (the measures set no time limit)",
            ),
            starts: m.supervision_contracted,
            due: None,
            status: match (m.supervision_filed, m.supervision_contracted) {
                (Some(filed), _) => Status::Filed { filed },
                (None, Some(_)) => Status::Required,
                (None, None) => Status::NotStarted,
            },
            provisional: false,
            provisional_years: BTreeSet::new(),
        },
        within(
            "acceptance-report-filing",
            Bilingual::new("竣工验收报告备案", "Completion-acceptance report filed"),
            Bilingual::new(
                "竣工验收后 30 个工作日内报主管部门备案",
                "filed with the authority within 30 working days of acceptance",
            ),
            m.acceptance_completed,
            30,
            m.acceptance_report_filed,
            cal,
            as_of,
        ),
    ]
}

#[allow(clippy::too_many_arguments)]
fn within(
    id: &'static str,
    title: Bilingual,
    rule: Bilingual,
    starts: Option<NaiveDate>,
    working_days: u32,
    filed: Option<NaiveDate>,
    cal: &Calendar,
    as_of: NaiveDate,
) -> Deadline {
    let mut d = Deadline {
        id,
        title,
        rule,
        starts,
        due: None,
        status: Status::NotStarted,
        provisional: false,
        provisional_years: BTreeSet::new(),
    };
    let Some(start) = starts else {
        if let Some(filed) = filed {
            d.status = Status::Filed { filed };
        }
        return d;
    };
    let years = &mut d.provisional_years;
    let due = cal.add_working_days(start, working_days).take(years);
    d.due = Some(due);
    d.status = match filed {
        Some(filed) if filed <= due => Status::Met { filed },
        Some(filed) => Status::Late {
            filed,
            working_days_late: Some(cal.working_days_between(due, filed).take(years)),
        },
        None if as_of <= due => Status::Due {
            working_days_left: cal.working_days_between(as_of, due).take(years),
        },
        None => Status::Overdue {
            working_days_over: cal.working_days_between(due, as_of).take(years),
        },
    };
    d.provisional = !d.provisional_years.is_empty();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn milestones() -> Milestones {
        Milestones {
            contract_signed: Some(d("2026-09-29")),
            contract_filed: Some(d("2026-10-12")),
            supervision_contracted: Some(d("2026-04-01")),
            acceptance_completed: Some(d("2026-11-10")),
            ..Milestones::default()
        }
    }

    #[test]
    fn met_due_required_and_overdue() {
        let cal = Calendar::builtin();
        let all = compute(&milestones(), &cal, d("2026-11-28"));
        // Five working days after 29 September, across the National Day week, is 12 October.
        assert_eq!(all[0].due, Some(d("2026-10-12")));
        assert_eq!(
            all[0].status,
            Status::Met {
                filed: d("2026-10-12")
            }
        );
        assert_eq!(all[1].status, Status::Required);
        // 30 working days after 10 November 2026 is 22 December.
        assert_eq!(all[2].due, Some(d("2026-12-22")));
        assert_eq!(
            all[2].status,
            Status::Due {
                working_days_left: 17
            }
        );
        let later = compute(&milestones(), &cal, d("2026-12-24"));
        assert_eq!(
            later[2].status,
            Status::Overdue {
                working_days_over: 2
            }
        );
        assert!(later[2].is_problem());
    }

    #[test]
    fn a_late_filing_and_a_provisional_deadline_in_an_unknown_year() {
        let cal = Calendar::builtin();
        let mut m = milestones();
        m.contract_filed = Some(d("2026-10-14"));
        assert_eq!(
            compute(&m, &cal, d("2026-11-28"))[0].status,
            Status::Late {
                filed: d("2026-10-14"),
                working_days_late: Some(2)
            }
        );
        m.acceptance_completed = Some(d("2026-12-15"));
        // 30 working days after 15 December 2026 run into 2027, whose holidays are not known:
        // weekdays are counted and the deadline is provisional, never shown as final.
        let all = compute(&m, &cal, d("2026-12-16"));
        let report = &all[2];
        // 12 working days left in 2026 after the 15th, then 18 weekdays of 2027.
        assert_eq!(report.due, Some(d("2027-01-26")));
        assert!(report.provisional);
        assert_eq!(report.provisional_years, BTreeSet::from([2027]));
        assert_eq!(
            report.status,
            Status::Due {
                working_days_left: 29
            }
        );
        // Within a known year nothing is provisional.
        assert!(!all[0].provisional && all[0].provisional_years.is_empty());
    }
}
