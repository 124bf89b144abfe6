//! Words for verdicts, levels, deadline states and report headings in both languages, shared by
//! every renderer.

use crate::acceptance::deadlines::{Deadline, Status};
use crate::acceptance::report::WaiverStatus;
use crate::i18n::Lang;
use crate::inventory::Level;
use crate::policy::evaluate::Classification;
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
    let text = match (&d.status, lang) {
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
    };
    match provisional_note(lang, &d.provisional_years) {
        Some(note) => format!("{text} {note}"),
        None => text,
    }
}

/// The words that mark a date counted across years whose official holidays are not known.
pub fn provisional_note(lang: Lang, years: &std::collections::BTreeSet<i32>) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    Some(match lang {
        Lang::Zh => format!(
            "【临时推算：{} 年节假日安排未知，按周一至周五计工作日】",
            list.join("、")
        ),
        Lang::En => format!(
            "[PROVISIONAL: the official holidays of {} are not known; Monday to Friday counted]",
            list.join(", ")
        ),
    })
}

/// Whether a filing is fine (met, filed, or not yet due), for colouring.
pub fn deadline_ok(d: &Deadline) -> Option<bool> {
    match d.status {
        // Met against a provisional due date is not settled yet.
        Status::Met { .. } if d.provisional => None,
        Status::Met { .. } | Status::Filed { .. } => Some(true),
        Status::Late { .. } | Status::Overdue { .. } => Some(false),
        Status::Due { .. } | Status::Required | Status::NotStarted => None,
    }
}

/// The fixed words of the document reports (Markdown and HTML): title, headings, column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Title,
    Illustrative,
    IllustrativeTag,
    IllustrativeNote,
    Project,
    ProjectCode,
    Implementing,
    Construction,
    Supervision,
    AsOf,
    Policy,
    Basis,
    Catalogs,
    Entries,
    Conclusion,
    Categories,
    Category,
    Verdict,
    Unclassified,
    FailingProducts,
    NoFailingProducts,
    WarnedProducts,
    Supplier,
    Manufacturer,
    HardwareClass,
    ClassifiedBy,
    Findings,
    Level,
    Code,
    Message,
    Rule,
    Waived,
    NotWaived,
    WaivedBy,
    EvidencePassed,
    NoEvidence,
    InclusionPaths,
    Waivers,
    NoWaivers,
    Status,
    Component,
    Reason,
    Approver,
    Expires,
    OtherFindings,
    Deadlines,
    Filing,
    Requirement,
    IsRoot,
    StartsOn,
    Due,
    InventoryFindings,
    Location,
    Inputs,
    File,
    Role,
    Generated,
    NotRead,
    UnclassifiedProducts,
}

/// The text of `w` in `lang`.
pub fn word(lang: Lang, w: Word) -> &'static str {
    let (zh, en) = match w {
        Word::Title => ("项目安全可控核验报告", "Controllable-procurement acceptance report"),
        Word::Illustrative => ("示例数据", "Illustrative data"),
        Word::IllustrativeTag => ("示例数据", "illustrative"),
        Word::IllustrativeNote => (
            "本报告的项目、策略或产品目录含示例数据，不描述真实项目，不能作为备案依据。",
            "The project, policy or catalog of this report holds illustrative data: it describes no real project and cannot support a filing.",
        ),
        Word::Project => ("项目名称", "Project"),
        Word::ProjectCode => ("项目编号", "Project code"),
        Word::Implementing => ("项目实施单位", "Implementing unit"),
        Word::Construction => ("项目建设单位", "Construction unit"),
        Word::Supervision => ("项目监理单位", "Supervision unit"),
        Word::AsOf => ("核验日期", "Assessed as of"),
        Word::Policy => ("核验策略", "Policy"),
        Word::Basis => ("依据", "Basis"),
        Word::Catalogs => ("合格产品目录", "Approved-product catalogs"),
        Word::Entries => ("条", "entries"),
        Word::Conclusion => ("核验结论", "Verdict"),
        Word::Categories => ("分类核验结果", "Results by category"),
        Word::Category => ("类别", "Category"),
        Word::Verdict => ("结论", "Verdict"),
        Word::Unclassified => ("未分类", "unclassified"),
        Word::NotRead => ("未读取的清单文件", "Inventory files not read"),
        Word::UnclassifiedProducts => (
            "未分类组件（没有适用的类别）",
            "Unclassified components (no category applies)",
        ),
        Word::FailingProducts => (
            "不通过及证据不足的产品",
            "Products that fail or lack evidence",
        ),
        Word::NoFailingProducts => (
            "没有不通过或证据不足的产品。",
            "No product fails or lacks evidence.",
        ),
        Word::WarnedProducts => ("有警告的产品", "Products with warnings"),
        Word::Supplier => ("供应商", "Supplier"),
        Word::Manufacturer => ("制造商", "Manufacturer"),
        Word::HardwareClass => ("硬件类别", "Hardware class"),
        Word::ClassifiedBy => ("分类依据", "Classified by"),
        Word::Findings => ("问题", "Findings"),
        Word::Level => ("级别", "Level"),
        Word::Code => ("代码", "Code"),
        Word::Message => ("说明", "Message"),
        Word::Rule => ("规则位置", "Rule"),
        Word::Waived => ("豁免", "Waived"),
        Word::NotWaived => ("否", "no"),
        Word::WaivedBy => ("已豁免", "waived by"),
        Word::EvidencePassed => (
            "已通过的证据（按 GB/T 36630 指标类）",
            "Evidence passed (by GB/T 36630 family)",
        ),
        Word::NoEvidence => ("无已通过的证据", "no evidence passed"),
        Word::InclusionPaths => ("引入路径", "Included via"),
        Word::Waivers => ("豁免", "Waivers"),
        Word::NoWaivers => ("没有豁免。", "No waivers."),
        Word::Status => ("状态", "Status"),
        Word::Component => ("组件", "Component"),
        Word::Reason => ("理由", "Reason"),
        Word::Approver => ("批准人", "Approver"),
        Word::Expires => ("有效期至", "Expires"),
        Word::OtherFindings => ("其他问题", "Other findings"),
        Word::Deadlines => (
            "备案期限（《管理办法》第三章）",
            "Filing deadlines (chapter 3 of the measures)",
        ),
        Word::Filing => ("备案事项", "Filing"),
        Word::Requirement => ("规定", "Requirement"),
        Word::IsRoot => ("清单顶层条目，无上级组件", "top-level item: nothing includes it"),
        Word::StartsOn => ("起算日", "Starts"),
        Word::Due => ("期限", "Due"),
        Word::InventoryFindings => ("清单问题", "Inventory findings"),
        Word::Location => ("位置", "Location"),
        Word::Inputs => ("输入文件", "Input files"),
        Word::File => ("文件", "File"),
        Word::Role => ("用途", "Role"),
        Word::Generated => ("生成", "Generated by"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// How a component got its category, in one phrase. The caller passes the parts already
/// formatted for its output (escaped, marked up): `rule` where the decision was made, `reason`
/// of an override, `from` the component an inherited category comes from.
pub fn classification(
    lang: Lang,
    how: &Classification,
    rule: &str,
    reason: &str,
    from: &str,
) -> String {
    match (how, lang) {
        (Classification::Rule { .. }, Lang::Zh) => format!("分类规则 {rule}"),
        (Classification::Rule { .. }, Lang::En) => format!("classification rule {rule}"),
        (Classification::Override { .. }, Lang::Zh) => format!("指定分类 {rule}：{reason}"),
        (Classification::Override { .. }, Lang::En) => format!("override {rule}: {reason}"),
        (Classification::Inherited { .. }, Lang::Zh) => format!("继承自 {from}，{rule}"),
        (Classification::Inherited { .. }, Lang::En) => format!("inherited from {from}, {rule}"),
    }
}

pub fn waiver_status(lang: Lang, s: WaiverStatus) -> &'static str {
    match (s, lang) {
        (WaiverStatus::Used, Lang::Zh) => "已使用",
        (WaiverStatus::Used, Lang::En) => "used",
        (WaiverStatus::Expired, Lang::Zh) => "已过期",
        (WaiverStatus::Expired, Lang::En) => "expired",
        (WaiverStatus::Unused, Lang::Zh) => "未使用",
        (WaiverStatus::Unused, Lang::En) => "unused",
    }
}

/// What an input file was read as (`InputFile::role`).
pub fn input_role(lang: Lang, role: &str) -> String {
    let zh = match role {
        "inventory" => "软硬件清单",
        "policy" => "核验策略",
        "catalog" => "合格产品目录",
        "waivers" => "豁免",
        "calendar" => "工作日历",
        other => return other.to_string(),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => role.to_string(),
    }
}

/// The line under a category table: the ★ legend and how many components were judged.
/// The components no category applies to, by name: the first `limit`, then how many more.
pub fn unclassified_line(lang: Lang, names: &[&str], limit: usize) -> String {
    let shown = names.len().min(limit);
    let mut list = names[..shown].join(match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    });
    let more = names.len() - shown;
    if more > 0 {
        list.push_str(&match lang {
            Lang::Zh => format!(" 等，另有 {more} 个（--all 列出全部）"),
            Lang::En => format!(" and {more} more (--all lists them all)"),
        });
    }
    match lang {
        Lang::Zh => format!("未分类（没有适用的类别）：{list}"),
        Lang::En => format!("unclassified (no category applies): {list}"),
    }
}

pub fn components_line(lang: Lang, total: usize, unclassified: usize) -> String {
    match lang {
        Lang::Zh => format!("★ 关键产品类别；共 {total} 个组件，{unclassified} 个未分类"),
        Lang::En => {
            format!("★ key product category; {total} components, {unclassified} unclassified")
        }
    }
}
