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
    ProcessSteps => "方案评审→通知→环境准备→实施→总结报告→修订预案", "plan review → notice → environment → execution → summary report → plan update";
    Calendar => "演练日历", "Drill calendar";
    Recurrence => "频次", "Recurrence";
    Yearly => "每年一次", "once a year";
    HalfYearly => "每半年一次", "each half-year";
    Quarterly => "每季度一次", "each quarter";
    Planned => "计划日期", "Planned";
    Deadline => "截止日期", "Deadline";
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
    CalendarUnknown => "该年官方日历未知，按自然日计算", "official calendar of that year unknown; counted in calendar days";
    NoComprehensive => "该年度计划没有综合演练（党政机关每年至少一次）", "the plan holds no comprehensive drill (Party and government bodies need one a year)";
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
    Illustrative => "示例数据", "Illustrative data";
    Generated => "生成于", "Generated";
    Cites => "依据", "Follows";
    Legend => "图例：◆ 计划日期　✓ 已完成　! 已逾期　● 到期　○ 周期内", "Legend: ◆ planned  ✓ done  ! overdue  ● due  ○ in period";
    Month => "月", "Month";
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
