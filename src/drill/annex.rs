//! The columns of a drill plan that GB/T 38645-2020 names beyond purpose, form and time: the
//! drill's scope (within the organisation, an industry, across industries, a region, across
//! regions) and the process each drill goes through (Annex A.1: plan review, notice,
//! environment, execution, summary report, plan update).

use serde::Serialize;

/// How far a drill reaches (GB/T 38645-2020, drills classified by organisation scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Organisation,
    Industry,
    CrossIndustry,
    Regional,
    CrossRegional,
}

/// One stage of a drill's process (Annex A.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    PlanReview,
    Notice,
    Environment,
    Execution,
    Report,
    PlanUpdate,
}

keyword_enum!(Scope {
    "organisation" => Scope::Organisation,
    "industry" => Scope::Industry,
    "cross-industry" => Scope::CrossIndustry,
    "regional" => Scope::Regional,
    "cross-regional" => Scope::CrossRegional,
});
keyword_enum!(Stage {
    "plan-review" => Stage::PlanReview,
    "notice" => Stage::Notice,
    "environment" => Stage::Environment,
    "execution" => Stage::Execution,
    "report" => Stage::Report,
    "plan-update" => Stage::PlanUpdate,
});

impl Scope {
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Scope::Organisation => ("单位内部", "within the organisation"),
            Scope::Industry => ("行业内", "within the industry"),
            Scope::CrossIndustry => ("跨行业", "across industries"),
            Scope::Regional => ("区域内", "within the region"),
            Scope::CrossRegional => ("跨区域", "across regions"),
        }
    }
}

impl Stage {
    /// Every stage in order: the process a plan item follows unless it says otherwise.
    pub const ALL: [Stage; 6] = [
        Stage::PlanReview,
        Stage::Notice,
        Stage::Environment,
        Stage::Execution,
        Stage::Report,
        Stage::PlanUpdate,
    ];

    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Stage::PlanReview => ("方案评审", "plan review"),
            Stage::Notice => ("通知", "notice"),
            Stage::Environment => ("环境准备", "environment"),
            Stage::Execution => ("实施", "execution"),
            Stage::Report => ("总结报告", "summary report"),
            Stage::PlanUpdate => ("修订预案", "plan update"),
        }
    }
}

/// Checks a process given as words: known stages, in order, each once, execution and the
/// summary report included.
pub fn process(words: &[String]) -> Result<Vec<Stage>, String> {
    let mut out: Vec<Stage> = Vec::new();
    for w in words {
        let s = Stage::parse(w).ok_or_else(|| {
            format!(
                "'process' holds '{w}'; stages are {}",
                Stage::WORDS.join(", ")
            )
        })?;
        if out.last().is_some_and(|last| *last >= s) {
            return Err(format!(
                "'process' lists '{w}' out of order or twice; the order is {}",
                Stage::WORDS.join(", ")
            ));
        }
        out.push(s);
    }
    for needed in [Stage::Execution, Stage::Report] {
        if !out.contains(&needed) {
            return Err(format!("'process' must include '{}'", needed.as_str()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_process_is_known_stages_in_order_with_execution_and_report() {
        assert_eq!(process(&words(Stage::WORDS)).unwrap(), Stage::ALL.to_vec());
        assert_eq!(
            process(&words(&["notice", "execution", "report"])).unwrap(),
            [Stage::Notice, Stage::Execution, Stage::Report]
        );
        assert!(process(&words(&["execution", "notice", "report"])).is_err());
        assert!(process(&words(&["execution", "execution", "report"])).is_err());
        assert!(process(&words(&["notice", "execution"]))
            .unwrap_err()
            .contains("'report'"));
        assert!(process(&words(&["rehearsal"])).is_err());
        assert_eq!(Scope::parse("cross-industry"), Some(Scope::CrossIndustry));
        assert_eq!(Scope::CrossRegional.as_str(), "cross-regional");
        assert_eq!(Stage::Report.as_str(), "report");
    }
}
