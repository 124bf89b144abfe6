//! The drill screens', commands' and reports' texts, in Simplified Chinese and English.

use super::Lang;
use crate::drill::playbook::{Content, Form, Team};
use crate::drill::record::ActionStatus;
use crate::drill::run::StepStatus;
use crate::drill::schedule::Status;

macro_rules! labels {
    ($($key:ident => $zh:literal, $en:literal;)+) => {
        /// A drill label.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum K { $($key),+ }

        pub fn t(lang: Lang, k: K) -> &'static str {
            match (k, lang) {
                $((K::$key, Lang::Zh) => $zh, (K::$key, Lang::En) => $en,)+
            }
        }
    };
}

labels! {
    AnnualPlan => "年度网络安全应急演练计划", "Annual emergency-drill plan";
    DrillSummary => "网络安全应急演练总结报告", "Emergency drill summary report";
    No => "序号", "No.";
    Item => "演练项目", "Drill";
    Purpose => "目的和要求", "Purpose and requirements";
    Form => "演练形式", "Form";
    Time => "时间", "Time";
    Units => "参演单位", "Participating units";
    Process => "流程", "Process";
    Budgeted => "是否列入预算", "Budgeted";
    Yes => "是", "yes";
    NoWord => "否", "no";
    Calendar => "演练日历", "Drill calendar";
    Recurrence => "频次", "Recurrence";
    Yearly => "每年一次", "once a year";
    HalfYearly => "每半年一次", "each half-year";
    Quarterly => "每季度一次", "each quarter";
    Planned => "计划日期", "Planned";
    Deadline => "截止日期", "Deadline";
    DueBy => "截止", "due by";
    Status => "状态", "Status";
    Period => "周期", "Period";
    Playbook => "演练脚本", "Playbook";
    Run => "演练记录", "Run";
    Held => "实施日期", "Held";
    Prepared => "编制日期", "Prepared";
    Owner => "责任单位", "Owner";
    Due => "到期", "due";
    Overdue => "已逾期", "overdue";
    Upcoming => "未到期", "upcoming";
    Done => "已完成", "done";
    DoneLate => "逾期完成", "done late";
    NextPlan => "下一年度演练计划", "Next year's drill plan";
    Actions => "整改措施", "Improvement actions";
    Action => "措施", "Action";
    Responsible => "责任人", "Owner";
    DueDate => "完成期限", "Due";
    Nothing => "无", "none";
    CalendarUnknown => "临时推算：该年节假日安排未知，按周一至周五计工作日；安排公布后请补入 checklists/calendar-cn.toml（或 anbao calendar set）", "provisional: the official holidays of that year are not known, so Monday to Friday are counted; add the year to checklists/calendar-cn.toml (or anbao calendar set) once announced";
    Provisional => "（临时推算）", " (provisional)";
    Scope => "范围", "Scope";
    NotStated => "未注明", "not stated";
    NoComprehensive => "该年度计划没有综合演练（GB/T 38645-2020 附录 A.1 建议各单位每年至少一次）", "the plan holds no comprehensive drill (GB/T 38645-2020 Annex A.1 recommends one a year for every organisation)";
    NoPlan => "本年度没有演练计划", "there is no drill plan for this year";
    AsOf => "截至", "As of";
    PurposeSection => "演练目的", "Purpose";
    TimePlace => "时间和地点", "Time and place";
    Place => "地点", "Place";
    Started => "开始", "Started";
    Finished => "结束", "Finished";
    People => "参演单位和人员", "Participating units and people";
    Name => "姓名", "Name";
    Unit => "单位", "Unit";
    Role => "角色", "Role";
    Scenario => "情景概要", "Scenario outline";
    Incident => "事件类别与级别", "Incident category and grade";
    Timeline => "演练时间线（目标与实际）", "Timeline (target versus actual)";
    Step => "步骤", "Step";
    Expected => "预期处置", "Expected action";
    Target => "目标（分钟）", "Target (min)";
    Actual => "实际（分钟）", "Actual (min)";
    Delta => "偏差", "Difference";
    Observations => "观察记录", "Observations";
    Evaluation => "目标评估", "Evaluation of objectives";
    Objective => "目标", "Objective";
    Rating => "评分", "Rating";
    Comment => "评语", "Comment";
    Scale => "评分标准", "Rating scale";
    Problems => "发现的问题和原因", "Problems found and their causes";
    Problem => "问题", "Problem";
    Cause => "原因", "Cause";
    Lessons => "经验教训", "Lessons";
    Evidence => "证据文件", "Evidence files";
    Record => "签名记录", "Signed record";
    RecordSeq => "账本记录序号", "ledger record seq";
    NotFinished => "演练尚未结束", "the drill is not finished";
    ReportClock => "报告时限", "Reporting deadline";
    Minutes => "分钟", "minutes";
    Hours => "小时", "hours";
    NotMandatory => "一般事件，无强制报告", "grade IV: no mandatory report";
    Reporting => "事件报告义务", "Reporting duties";
    OperatorKind => "运营者类型", "Operator kind";
    Recipient => "报告对象", "Recipient";
    ReportStep => "报告步骤", "Reporting step";
    ReportMet => "在时限内", "within the clock";
    ReportMissed => "超出时限", "past the clock";
    ReportNotDone => "未完成", "not done";
    ReportContents => "报告内容（第七条）", "What the report holds (article 7)";
    FollowUp => "原因、影响或趋势一时无法判定的，可先报前两项，其余及时补报（第七条）。", "Where cause, impact or trend cannot be judged in time, the first two items may go first and the rest follows (article 7).";
    ClosingReport => "事件处置总结报告（第八条）", "Closing report (article 8)";
    ClosingDue => "处置结束后 30 日内按原渠道报送，分析", "within 30 days after handling ends, by the same channel, analysing";
    ClosingDueBy => "真实事件中，以演练结束日为处置结束日，总结报告最迟", "in a real incident, taking the drill's end as the end of handling, the closing report is due by";
    ReportingBasis => "依据《国家网络安全事件报告管理办法》第四、七、八条", "Basis: articles 4, 7 and 8 of the national incident reporting measures";
    Illustrative => "示例数据", "Illustrative data";
    Generated => "生成于", "Generated";
    Cites => "依据", "Follows";
    Legend => "图例：◆ 计划日期　✓ 已完成　! 已逾期　● 到期　○ 周期内", "Legend: ◆ planned  ✓ done  ! overdue  ● due  ○ in period";
    Month => "月", "Month";
    TimelineFindings => "时间线问题", "Timeline findings";
    ReportingClock => "事件报告时限", "Incident reporting clock";
    Evaluators => "评估人员", "Evaluators";
    Abandoned => "已放弃", "abandoned";
    Reason => "原因", "Reason";
    NotRated => "未评分", "not rated";
    TimeZone => "时区", "Time zone";
    CannotFinish => "演练尚不能结束并签名", "The drill cannot be finished and signed yet";
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    t(
        lang,
        match s {
            Status::Overdue => K::Overdue,
            Status::Due => K::Due,
            Status::Upcoming => K::Upcoming,
            Status::Done => K::Done,
            Status::DoneLate => K::DoneLate,
        },
    )
}

pub fn step_status(lang: Lang, s: StepStatus) -> &'static str {
    match (s, lang) {
        (StepStatus::Pending, Lang::Zh) => "未开始",
        (StepStatus::Pending, Lang::En) => "pending",
        (StepStatus::Started, Lang::Zh) => "进行中",
        (StepStatus::Started, Lang::En) => "started",
        (StepStatus::Done, Lang::Zh) => "完成",
        (StepStatus::Done, Lang::En) => "done",
        (StepStatus::Skipped, Lang::Zh) => "跳过",
        (StepStatus::Skipped, Lang::En) => "skipped",
        (StepStatus::Failed, Lang::Zh) => "失败",
        (StepStatus::Failed, Lang::En) => "failed",
    }
}

pub fn action_status(lang: Lang, s: ActionStatus) -> &'static str {
    match (s, lang) {
        (ActionStatus::Open, Lang::Zh) => "未开始",
        (ActionStatus::Open, Lang::En) => "open",
        (ActionStatus::InProgress, Lang::Zh) => "整改中",
        (ActionStatus::InProgress, Lang::En) => "in progress",
        (ActionStatus::Closed, Lang::Zh) => "已关闭",
        (ActionStatus::Closed, Lang::En) => "closed",
    }
}

pub fn form(lang: Lang, f: Form) -> &'static str {
    match (f, lang) {
        (Form::Tabletop, Lang::Zh) => "桌面推演",
        (Form::Tabletop, Lang::En) => "tabletop",
        (Form::HandsOn, Lang::Zh) => "实操演练",
        (Form::HandsOn, Lang::En) => "hands-on",
        (Form::Demonstration, Lang::Zh) => "示范演练",
        (Form::Demonstration, Lang::En) => "demonstration",
    }
}

pub fn content(lang: Lang, c: Content) -> &'static str {
    match (c, lang) {
        (Content::Comprehensive, Lang::Zh) => "综合",
        (Content::Comprehensive, Lang::En) => "comprehensive",
        (Content::Special, Lang::Zh) => "专项",
        (Content::Special, Lang::En) => "special",
    }
}

pub fn team(lang: Lang, team: Team) -> &'static str {
    match (team, lang) {
        (Team::Leading, Lang::Zh) => "领导小组",
        (Team::Leading, Lang::En) => "leading group",
        (Team::Command, Lang::Zh) => "指挥部",
        (Team::Command, Lang::En) => "command",
        (Team::Management, Lang::Zh) => "管理组",
        (Team::Management, Lang::En) => "management",
        (Team::Technical, Lang::Zh) => "技术组",
        (Team::Technical, Lang::En) => "technical",
        (Team::Evaluation, Lang::Zh) => "评估组",
        (Team::Evaluation, Lang::En) => "evaluation",
        (Team::Implementation, Lang::Zh) => "实施组",
        (Team::Implementation, Lang::En) => "implementation",
        (Team::Support, Lang::Zh) => "保障组",
        (Team::Support, Lang::En) => "support",
    }
}

pub fn recurrence(lang: Lang, r: crate::drill::plan::Recurrence) -> &'static str {
    use crate::drill::plan::Recurrence as R;
    t(
        lang,
        match r {
            R::Yearly => K::Yearly,
            R::HalfYearly => K::HalfYearly,
            R::Quarterly => K::Quarterly,
        },
    )
}

/// Why a drill event was refused, in `lang`.
pub fn run_error(lang: Lang, e: &crate::drill::run::RunError) -> String {
    use crate::drill::run::RunError as E;
    match (lang, e) {
        (Lang::En, e) => e.to_string(),
        (Lang::Zh, E::Finished(id)) => format!("演练“{id}”已结束"),
        (Lang::Zh, E::Abandoned(id)) => format!("演练“{id}”已放弃"),
        (Lang::Zh, E::NoSuchStep(s)) => format!("“{s}”不是该演练脚本的步骤"),
        (
            Lang::Zh,
            E::NoSuchRole {
                role,
                playbook,
                known,
            },
        ) => {
            format!("“{role}”不是演练脚本“{playbook}”中的角色（可用：{known}）")
        }
        (Lang::Zh, E::StepClosed { step, status }) => {
            format!("步骤“{step}”已是{}状态", step_status_word(status))
        }
        (Lang::Zh, E::BeforeStart(t)) => format!("时间 {t} 早于演练开始时间"),
        (Lang::Zh, E::Empty(what)) => format!("{}不能为空", empty_word(what)),
        (Lang::Zh, E::Unreadable(path, why)) => format!("无法读取证据文件“{path}”：{why}"),
    }
}

fn step_status_word(status: &str) -> &'static str {
    match status {
        "started" => "进行中",
        "done" => "完成",
        "skipped" => "跳过",
        "failed" => "失败",
        _ => "未开始",
    }
}

fn empty_word(what: &str) -> &'static str {
    if what.contains("name") {
        "参演人员姓名"
    } else if what.contains("reason") {
        "放弃原因"
    } else if what.contains("note") {
        "说明"
    } else {
        "观察记录"
    }
}

/// Messages of `anbao drill` that stop a command.
pub enum Msg<'a> {
    BadTime(&'a str),
    BadParticipant(&'a str),
    NoOpenRun,
    SeveralOpenRuns(&'a [String]),
    NoPlaybook { id: &'a str, known: &'a [String] },
    StillOpen(&'a str),
    NoPlan(i32, &'a str),
    NoPlanItem { year: i32, item: &'a str },
    AlreadySigned(&'a str),
    EndsBeforeStart,
    DraftExists(&'a str),
    Abandoned { id: &'a str, time: &'a str },
    RunTwice,
}

pub fn msg(lang: Lang, m: Msg) -> String {
    match (lang, m) {
        (Lang::Zh, Msg::BadTime(t)) => format!("“{t}”不是时间，应形如 2026-11-18T09:00 或 2026-11-18T09:00:00+08:00"),
        (Lang::En, Msg::BadTime(t)) => format!("'{t}' is not a time like 2026-11-18T09:00 or 2026-11-18T09:00:00+08:00"),
        (Lang::Zh, Msg::BadParticipant(t)) => format!("参演人员“{t}”应写作 姓名,单位,角色"),
        (Lang::En, Msg::BadParticipant(t)) => format!("participant '{t}' must be NAME,UNIT,ROLE"),
        (Lang::Zh, Msg::NoOpenRun) => "没有进行中的演练；请用 anbao drill start 演练脚本 开始".into(),
        (Lang::En, Msg::NoOpenRun) => "no drill run is open; start one with 'anbao drill start PLAYBOOK'".into(),
        (Lang::Zh, Msg::SeveralOpenRuns(ids)) => format!("有 {} 个进行中的演练（{}），请用 --run 指定", ids.len(), ids.join("、")),
        (Lang::En, Msg::SeveralOpenRuns(ids)) => format!("{} drill runs are open ({}); name one with --run", ids.len(), ids.join(", ")),
        (Lang::Zh, Msg::NoPlaybook { id, known }) => format!("playbooks/ 中没有演练脚本“{id}”（现有：{}）", known.join("、")),
        (Lang::En, Msg::NoPlaybook { id, known }) => format!("no playbook '{id}' in playbooks/ (known: {})", known.join(", ")),
        (Lang::Zh, Msg::StillOpen(id)) => format!("该脚本的演练“{id}”尚未结束；请用 anbao drill log … --run {id} 继续，或先结束它"),
        (Lang::En, Msg::StillOpen(id)) => format!("drill run '{id}' of this playbook is still open; go on with 'anbao drill log ... --run {id}' or finish it"),
        (Lang::Zh, Msg::NoPlan(year, file)) => format!("没有 {year} 年度演练计划：请编写 {file}（见 README 的演练一节）"),
        (Lang::En, Msg::NoPlan(year, file)) => format!("there is no drill plan for {year}: write {file} (see the README's section on drills)"),
        (Lang::Zh, Msg::NoPlanItem { year, item }) => format!("{year} 年度计划中没有该脚本的项目“{item}”"),
        (Lang::En, Msg::NoPlanItem { year, item }) => format!("the {year} plan has no item '{item}' for this playbook"),
        (Lang::Zh, Msg::AlreadySigned(id)) => format!("演练“{id}”已结束并签名"),
        (Lang::En, Msg::AlreadySigned(id)) => format!("drill run '{id}' is already finished and signed"),
        (Lang::Zh, Msg::EndsBeforeStart) => "演练结束时间不能早于开始时间".into(),
        (Lang::En, Msg::EndsBeforeStart) => "the drill cannot end before it started".into(),
        (Lang::Zh, Msg::DraftExists(p)) => format!("“{p}”已存在，请直接修改"),
        (Lang::En, Msg::DraftExists(p)) => format!("'{p}' exists already; edit it instead"),
        (Lang::Zh, Msg::Abandoned { id, time }) => format!("演练“{id}”已于 {time} 放弃，不计为已开展的演练"),
        (Lang::En, Msg::Abandoned { id, time }) => format!("drill run '{id}' was abandoned at {time}; it never counts as a drill held"),
        (Lang::Zh, Msg::RunTwice) => "演练记录只能用 --run 指定一次".into(),
        (Lang::En, Msg::RunTwice) => "name the run once, with --run".into(),
    }
}

/// A playbook's reporting clock in a few words: "240 分钟 → 属地省级网信部门", or that the
/// grade carries no mandatory report.
pub fn clock(lang: Lang, c: &crate::drill::reporting::ReportingClock) -> String {
    if c.mandatory {
        format!(
            "{} {} → {}",
            c.minutes(),
            t(lang, K::Minutes),
            c.recipient.get(lang)
        )
    } else {
        t(lang, K::NotMandatory).to_string()
    }
}

/// A drill deadline's date, marked when it is provisional (counted across a year whose
/// official holidays are not known).
pub fn deadline(lang: Lang, dl: &crate::drill::schedule::Deadline) -> String {
    if dl.provisional {
        format!("{}{}", dl.deadline, t(lang, K::Provisional))
    } else {
        dl.deadline.to_string()
    }
}

/// A plan item's scope, or that the plan does not state it.
pub fn scope(lang: Lang, s: Option<crate::drill::annex::Scope>) -> String {
    match s {
        Some(s) => {
            let (zh, en) = s.name();
            match lang {
                Lang::Zh => zh.to_string(),
                Lang::En => en.to_string(),
            }
        }
        None => t(lang, K::NotStated).to_string(),
    }
}

/// A plan item's process, stage by stage.
pub fn process(lang: Lang, stages: &[crate::drill::annex::Stage]) -> String {
    stages
        .iter()
        .map(|s| match lang {
            Lang::Zh => s.name().0,
            Lang::En => s.name().1,
        })
        .collect::<Vec<_>>()
        .join(" → ")
}
