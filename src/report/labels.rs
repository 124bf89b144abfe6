//! Words for verdicts, levels and deadline states in both languages, shared by every renderer.

use crate::acceptance::deadlines::{Deadline, Status};
use crate::i18n::Lang;
use crate::inventory::Level;
use crate::policy::Verdict;

pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    match (v, lang) {
        (Verdict::Pass, Lang::Zh) => "通过",
        (Verdict::Pass, Lang::En) => "pass",
        (Verdict::Warn, Lang::Zh) => "警告",
        (Verdict::Warn, Lang::En) => "warn",
        (Verdict::InsufficientEvidence, Lang::Zh) => "证据不足",
        (Verdict::InsufficientEvidence, Lang::En) => "insufficient evidence",
        (Verdict::Fail, Lang::Zh) => "不通过",
        (Verdict::Fail, Lang::En) => "fail",
        (Verdict::NotApplicable, Lang::Zh) => "不适用",
        (Verdict::NotApplicable, Lang::En) => "not applicable",
    }
}

/// At most 12 columns, for tables.
pub fn verdict_short(lang: Lang, v: Verdict) -> &'static str {
    match (v, lang) {
        (Verdict::InsufficientEvidence, Lang::En) => "insufficient",
        (Verdict::NotApplicable, Lang::En) => "n/a",
        (v, lang) => verdict(lang, v),
    }
}

pub fn level(lang: Lang, l: Level) -> &'static str {
    match (l, lang) {
        (Level::Deny, Lang::Zh) => "否决",
        (Level::Deny, Lang::En) => "deny",
        (Level::Warn, Lang::Zh) => "警告",
        (Level::Warn, Lang::En) => "warn",
        (Level::Info, Lang::Zh) => "提示",
        (Level::Info, Lang::En) => "info",
    }
}

/// Where a filing stands, in one phrase.
pub fn deadline_status(lang: Lang, d: &Deadline) -> String {
    let due = d.due.map(|x| x.to_string()).unwrap_or_default();
    match (&d.status, lang) {
        (Status::Met { filed }, Lang::Zh) => format!("已按期备案（{filed}，期限 {due}）"),
        (Status::Met { filed }, Lang::En) => format!("met: filed {filed} (due {due})"),
        (
            Status::Late {
                filed,
                working_days_late,
            },
            Lang::Zh,
        ) => match working_days_late {
            Some(n) => format!("逾期备案：{filed}，超期 {n} 个工作日（期限 {due}）"),
            None => format!("逾期备案：{filed}（期限 {due}）"),
        },
        (
            Status::Late {
                filed,
                working_days_late,
            },
            Lang::En,
        ) => match working_days_late {
            Some(n) => format!("late: filed {filed}, {n} working days after the deadline {due}"),
            None => format!("late: filed {filed}, after the deadline {due}"),
        },
        (Status::Due { working_days_left }, Lang::Zh) => {
            format!("待备案：剩余 {working_days_left} 个工作日（期限 {due}）")
        }
        (Status::Due { working_days_left }, Lang::En) => {
            format!("due: {working_days_left} working days left (deadline {due})")
        }
        (Status::Overdue { working_days_over }, Lang::Zh) => {
            format!("已逾期 {working_days_over} 个工作日（期限 {due}）")
        }
        (Status::Overdue { working_days_over }, Lang::En) => {
            format!("overdue by {working_days_over} working days (deadline {due})")
        }
        (Status::Required, Lang::Zh) => "须备案，尚未备案（办法未规定期限）".to_string(),
        (Status::Required, Lang::En) => {
            "required, not yet filed (the measures set no time limit)".to_string()
        }
        (Status::Filed { filed }, Lang::Zh) => format!("已备案（{filed}）"),
        (Status::Filed { filed }, Lang::En) => format!("filed {filed}"),
        (Status::NotStarted, Lang::Zh) => "尚未开始（起算事件未发生或未记录）".to_string(),
        (Status::NotStarted, Lang::En) => {
            "not started (the event that starts the clock is not recorded)".to_string()
        }
        (Status::Unknown { reason }, Lang::Zh) => format!("无法计算：{reason}"),
        (Status::Unknown { reason }, Lang::En) => format!("cannot be computed: {reason}"),
    }
}

/// Whether a filing is fine (met, filed, or not yet due), for colouring.
pub fn deadline_ok(d: &Deadline) -> Option<bool> {
    match d.status {
        Status::Met { .. } | Status::Filed { .. } => Some(true),
        Status::Late { .. } | Status::Overdue { .. } | Status::Unknown { .. } => Some(false),
        Status::Due { .. } | Status::Required | Status::NotStarted => None,
    }
}
