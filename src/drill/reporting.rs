//! The reporting duties of the national measures for reporting network security incidents
//! (国家网络安全事件报告管理办法, CAC, in force 2025-11-01): who reports to whom within how
//! long (article 4), what a report holds and how it is completed (article 7), and the closing
//! report (article 8). This is the one place that knows the clock; playbooks, runs, summaries and
//! the drill screens all ask [`reporting_clock`].
//!
//! Source: the measures' text as published by the CAC on 2025-09-15 (cac.gov.cn
//! c_1759583017717009), read in a republication of the official text (qdubb.cn, from the
//! 网信中国 account: articles 1–4) and in a public transcription quoting articles 4, 7(2), 8 and
//! the grading guide's personal-information thresholds. The item list of article 7(1) was read
//! only in fragments and is kept as our summary, marked to be checked.

use super::classes::Grade;
use super::run::StepStatus;
use super::text::LocalText;
use serde::{Deserialize, Serialize};

/// Who runs the system, as article 4 sorts operators. A city or county bureau is `Other`
/// unless it operates critical information infrastructure: the 2-hour clock belongs only to
/// departments of the central Party and state organs and their directly affiliated units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    /// The incident involves critical information infrastructure (article 4, first case).
    Cii,
    /// A department of the central Party and state organs, or a unit directly affiliated to
    /// one (中央和国家机关各部门及其直属单位; article 4, second case).
    CentralOrgan,
    /// Every other network operator (article 4, third case).
    Other,
}

impl Operator {
    pub const WORDS: &'static [&'static str] = &["cii", "central-organ", "other"];

    pub fn parse(s: &str) -> Option<Operator> {
        match s {
            "cii" => Some(Operator::Cii),
            "central-organ" => Some(Operator::CentralOrgan),
            "other" => Some(Operator::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Cii => "cii",
            Operator::CentralOrgan => "central-organ",
            Operator::Other => "other",
        }
    }

    pub fn name(self) -> LocalText {
        match self {
            Operator::Cii => LocalText::new(
                "关键信息基础设施运营者",
                "critical-information-infrastructure operator",
            ),
            Operator::CentralOrgan => LocalText::new(
                "中央和国家机关部门及其直属单位",
                "central Party or state organ department, or a unit directly under one",
            ),
            Operator::Other => LocalText::new("其他网络运营者", "other network operator"),
        }
    }

    /// Why a word once accepted is refused now, so a workspace's old playbook gets told what
    /// to write instead of a bare "unknown value".
    pub fn retired_word(s: &str) -> Option<&'static str> {
        (s == "state-organ").then_some(
            "'state-organ' is no longer accepted: the 2-hour clock of article 4 belongs to departments of the central Party and state organs and their directly affiliated units ('central-organ'); a city or county body is 'other' (4 hours, provincial cyberspace office) unless it runs critical information infrastructure ('cii')",
        )
    }
}

/// The reporting clock of one operator kind for one incident grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingClock {
    pub operator: Operator,
    pub grade: Grade,
    /// Article 4 makes the report mandatory for grade III (较大) and above only.
    pub mandatory: bool,
    /// The latest time after discovery, in hours.
    pub hours: u32,
    /// Who receives the report.
    pub recipient: LocalText,
    /// The provision this clock comes from.
    pub basis: &'static str,
}

impl ReportingClock {
    pub fn minutes(&self) -> u32 {
        self.hours * 60
    }

    /// The minutes a playbook's report step must meet, when reporting is mandatory.
    pub fn mandatory_minutes(&self) -> Option<u32> {
        self.mandatory.then(|| self.minutes())
    }
}

/// The reporting clock for an incident of `grade` at an operator of kind `operator`.
pub fn reporting_clock(operator: Operator, grade: Grade) -> ReportingClock {
    let (hours, recipient) = match operator {
        Operator::Cii => (
            1,
            LocalText::new(
                "保护工作部门和公安机关",
                "the protection department and the public security organ",
            ),
        ),
        Operator::CentralOrgan => (
            2,
            LocalText::new(
                "本部门网信工作机构",
                "the cyberspace-affairs office of its own department",
            ),
        ),
        Operator::Other => (
            4,
            LocalText::new(
                "属地省级网信部门",
                "the provincial-level cyberspace office of its locality",
            ),
        ),
    };
    ReportingClock {
        operator,
        grade,
        mandatory: grade <= Grade::III,
        hours,
        recipient,
        basis: "国家网络安全事件报告管理办法 第四条 / national incident reporting measures, art. 4",
    }
}

/// Days after the incident has been handled within which the closing report goes, by the same
/// channel, to the same recipient (article 8).
pub const CLOSING_REPORT_DAYS: i64 = 30;

/// What a closing report analyses (article 8), in our words.
pub fn closing_report_contents() -> Vec<LocalText> {
    vec![
        LocalText::new("事件原因", "the cause"),
        LocalText::new("应急处置措施", "the response measures taken"),
        LocalText::new("造成的危害", "the harm done"),
        LocalText::new("责任追究", "accountability"),
        LocalText::new("整改完善情况", "remediation"),
        LocalText::new("经验教训", "lessons"),
    ]
}

/// What the first report holds (article 7, first paragraph), in our words. Where cause, impact
/// or trend cannot be judged in time, the first two items may go first and the rest follows as
/// a follow-up report (article 7, second paragraph). The item list was read only in a partial
/// transcription: [to be checked against the CAC text].
pub fn report_contents() -> Vec<LocalText> {
    vec![
        LocalText::new(
            "涉事单位名称及发生事件的设施、系统、平台基本情况",
            "the unit and the facility, system or platform concerned",
        ),
        LocalText::new(
            "发现或发生时间、地点、事件类型、级别、已造成的影响和危害、已采取的措施及效果（勒索软件事件还包括赎金要求）",
            "when and where it was found or happened, its type and grade, the harm so far, the measures taken and their effect (for ransomware, the ransom demanded)",
        ),
        LocalText::new(
            "事态发展趋势及可能的进一步影响",
            "how it is likely to develop and what further harm it may do",
        ),
        LocalText::new(
            "原因的初步分析",
            "a first analysis of the cause",
        ),
        LocalText::new(
            "拟采取的措施及需要的支援",
            "the next measures and any help requested",
        ),
    ]
}

/// How a drill exercised the reporting duties, for its summary report.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReporting {
    pub clock: ReportingClock,
    /// The playbook's reporting step and, when it was done, whether it met the clock.
    pub step: Option<ReportStepOutcome>,
    /// Article 7: what the first report holds.
    pub contents: Vec<LocalText>,
    /// Article 8: what the closing report analyses.
    pub closing_contents: Vec<LocalText>,
    /// Article 8: were this a real incident handled by the drill's end, the last day for the
    /// closing report.
    pub closing_due: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportStepOutcome {
    pub id: String,
    pub target_minutes: u32,
    pub actual_minutes: Option<i64>,
    /// Whether the report went within the clock (a step skipped or failed did not); `None`
    /// while the step is open or when reporting is not mandatory.
    pub within_clock: Option<bool>,
}

/// Whether a reporting step in `status`, done `actual_minutes` after the start, met a clock of
/// `limit` minutes: done within it, yes; done after it, or skipped or failed, no (no report
/// went out); still open, not known yet. The timeline's finding and the summary's reporting
/// section both ask this, so they never disagree.
pub fn clock_met(limit: u32, status: StepStatus, actual_minutes: Option<i64>) -> Option<bool> {
    match status {
        StepStatus::Done => actual_minutes.map(|a| a <= i64::from(limit)),
        StepStatus::Skipped | StepStatus::Failed => Some(false),
        StepStatus::Pending | StepStatus::Started => None,
    }
}

impl DrillReporting {
    /// The reporting section of a drill of `clock`, whose reporting step `step` (id, target,
    /// status) was done at `actual_minutes` after the start, and which ended on `ended`.
    pub fn new(
        clock: ReportingClock,
        step: Option<(&str, u32, StepStatus, Option<i64>)>,
        ended: Option<chrono::NaiveDate>,
    ) -> DrillReporting {
        let limit = clock.mandatory_minutes();
        DrillReporting {
            step: step.map(|(id, target, status, actual)| ReportStepOutcome {
                id: id.to_string(),
                target_minutes: target,
                actual_minutes: actual,
                within_clock: limit.and_then(|l| clock_met(l, status, actual)),
            }),
            contents: report_contents(),
            closing_contents: closing_report_contents(),
            closing_due: ended
                .filter(|_| clock.mandatory)
                .and_then(|d| d.checked_add_days(chrono::Days::new(CLOSING_REPORT_DAYS as u64))),
            clock,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_4_clocks_per_operator_kind() {
        let cii = reporting_clock(Operator::Cii, Grade::III);
        assert_eq!((cii.hours, cii.minutes(), cii.mandatory), (1, 60, true));
        assert!(cii.recipient.zh.contains("公安机关"));
        let central = reporting_clock(Operator::CentralOrgan, Grade::II);
        assert_eq!(central.hours, 2);
        assert!(central.recipient.zh.contains("本部门网信"));
        let other = reporting_clock(Operator::Other, Grade::I);
        assert_eq!(other.hours, 4);
        assert!(other.recipient.zh.contains("属地省级网信"));
    }

    #[test]
    fn only_grade_three_and_above_must_be_reported() {
        for op in [Operator::Cii, Operator::CentralOrgan, Operator::Other] {
            for (g, must) in [
                (Grade::I, true),
                (Grade::II, true),
                (Grade::III, true),
                (Grade::IV, false),
            ] {
                let c = reporting_clock(op, g);
                assert_eq!(c.mandatory, must, "{op:?} {g:?}");
                assert_eq!(c.mandatory_minutes().is_some(), must);
            }
        }
    }

    #[test]
    fn a_drill_meets_or_misses_the_clock_and_dates_the_closing_report() {
        let clock = reporting_clock(Operator::Other, Grade::III);
        let ended = "2026-12-09".parse().ok();
        let done = StepStatus::Done;
        let on_time =
            DrillReporting::new(clock.clone(), Some(("report", 115, done, Some(230))), ended);
        assert_eq!(on_time.step.as_ref().unwrap().within_clock, Some(true));
        assert_eq!(on_time.closing_due, "2027-01-08".parse().ok());
        let late =
            DrillReporting::new(clock.clone(), Some(("report", 115, done, Some(241))), ended);
        assert_eq!(late.step.unwrap().within_clock, Some(false));
        // A report skipped or failed never went out: the clock was missed.
        for status in [StepStatus::Skipped, StepStatus::Failed] {
            let r = DrillReporting::new(clock.clone(), Some(("report", 115, status, None)), ended);
            assert_eq!(r.step.unwrap().within_clock, Some(false), "{status:?}");
        }
        let not_done = DrillReporting::new(
            clock,
            Some(("report", 115, StepStatus::Started, None)),
            None,
        );
        assert_eq!(not_done.step.unwrap().within_clock, None);
        assert_eq!(not_done.closing_due, None);
        let ordinary = DrillReporting::new(reporting_clock(Operator::Cii, Grade::IV), None, ended);
        assert_eq!(ordinary.closing_due, None);
    }

    #[test]
    fn the_retired_state_organ_word_explains_itself() {
        assert_eq!(Operator::parse("state-organ"), None);
        let why = Operator::retired_word("state-organ").unwrap();
        assert!(why.contains("central-organ") && why.contains("'other'"));
        assert_eq!(Operator::retired_word("other"), None);
    }
}
