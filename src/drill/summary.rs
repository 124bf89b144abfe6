//! The evaluation and summary of a finished drill: a rating per objective on a stated scale,
//! problems with their causes, lessons, and improvement actions with owner and due date. It is
//! written as a TOML file (`anbao drill finish RUN --template` prints one to fill in).

use super::playbook::Playbook;
use super::run::Run;
use super::text::LocalText;
use crate::error::{InputError, Location};
use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;
use toml::Spanned;

/// The rating scale of objectives, 1 to 4. anbao's own scale, stated in every summary report;
/// GB/T 46792-2025 gives fuller indicators where a unit uses them.
pub const SCALE: [(u8, &str, &str); 4] = [
    (
        4,
        "优：目标完全达成，处置及时规范",
        "excellent: fully achieved, on time and by the book",
    ),
    (
        3,
        "良：目标基本达成，有小的偏差",
        "good: achieved with minor deviations",
    ),
    (
        2,
        "中：目标部分达成，存在明显不足",
        "fair: partly achieved, clear shortcomings",
    ),
    (1, "差：目标未达成", "poor: not achieved"),
];

pub fn rating_label(lang: Lang, rating: u8) -> &'static str {
    SCALE
        .iter()
        .find(|(r, _, _)| *r == rating)
        .map_or("?", |(_, zh, en)| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    pub objective: String,
    /// 1 to 4 on [`SCALE`]; `None` until a person rates it (the template leaves it empty).
    pub rating: Option<u8>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub problem: String,
    pub cause: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// `A1`, `A2` ... within the run; `RUN#A1` across the workspace.
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due: NaiveDate,
}

/// The summary the national drill guide asks for, beside what the run already holds (time,
/// place, people, scenario, timeline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Who evaluated the drill and rated its objectives (the evaluation team).
    #[serde(default)]
    pub evaluators: Vec<String>,
    pub evaluations: Vec<Evaluation>,
    pub problems: Vec<Problem>,
    pub lessons: Vec<String>,
    pub actions: Vec<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSummary {
    #[serde(default)]
    evaluators: Vec<String>,
    #[serde(default)]
    evaluation: Vec<RawEvaluation>,
    #[serde(default)]
    problem: Vec<Problem>,
    #[serde(default)]
    lessons: Vec<String>,
    #[serde(default)]
    action: Vec<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvaluation {
    objective: Spanned<String>,
    /// A number 1 to 4, or `""` (not rated yet).
    #[serde(default)]
    rating: Option<Spanned<toml::Value>>,
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    action: Spanned<String>,
    owner: String,
    #[serde(deserialize_with = "crate::workspace::toml_date::deserialize")]
    due: NaiveDate,
}

/// Parses a summary file and checks what it says against the playbook: objectives of the
/// playbook, each rated at most once and on the scale, every action with an owner. What it
/// leaves out (an objective not rated, no evaluator) is for [`super::finish::check`] to report
/// with everything else a finish needs.
pub fn parse(path: &Path, text: &str, playbook: &Playbook) -> Result<Summary, InputError> {
    let raw: RawSummary = crate::workspace::parse_toml(path, text)?;
    let at = |span: std::ops::Range<usize>| Location::from_offset(text.as_bytes(), span.start);
    let mut evaluations = Vec::new();
    for e in raw.evaluation {
        let id = e.objective.get_ref();
        if playbook.objectives.iter().all(|o| &o.id != id) {
            return Err(InputError::new(
                path,
                at(e.objective.span()),
                format!(
                    "'{id}' is not an objective of playbook '{}' ({})",
                    playbook.id,
                    playbook
                        .objectives
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if evaluations.iter().any(|x: &Evaluation| &x.objective == id) {
            return Err(InputError::new(
                path,
                at(e.objective.span()),
                format!("objective '{id}' is rated twice"),
            ));
        }
        let rating = match &e.rating {
            None => None,
            Some(r) => match r.get_ref() {
                toml::Value::String(t) if t.trim().is_empty() => None,
                toml::Value::Integer(n) if (1..=4).contains(n) => u8::try_from(*n).ok(),
                toml::Value::Integer(n) => {
                    return Err(InputError::new(
                        path,
                        at(r.span()),
                        format!("rating {n} is off the scale 1 (poor) to 4 (excellent)"),
                    ))
                }
                other => {
                    return Err(InputError::new(
                        path,
                        at(r.span()),
                        format!(
                            "rating {other} is not a number 1 (poor) to 4 (excellent), nor \"\" for not rated yet"
                        ),
                    ))
                }
            },
        };
        evaluations.push(Evaluation {
            objective: id.clone(),
            rating,
            comment: e.comment,
        });
    }
    let mut actions = Vec::new();
    for (i, a) in raw.action.into_iter().enumerate() {
        if a.action.get_ref().trim().is_empty() || a.owner.trim().is_empty() {
            return Err(InputError::new(
                path,
                at(a.action.span()),
                "an [[action]] needs the action and its owner",
            ));
        }
        actions.push(Action {
            id: format!("A{}", i + 1),
            action: a.action.into_inner(),
            owner: a.owner,
            due: a.due,
        });
    }
    Ok(Summary {
        evaluators: raw
            .evaluators
            .into_iter()
            .map(|e| e.trim().to_string())
            .collect(),
        evaluations,
        problems: raw.problem,
        lessons: raw.lessons,
        actions,
    })
}

/// A summary file to fill in for `run`, listing every objective with its criteria.
pub fn template(run: &Run, playbook: &Playbook, lang: Lang) -> String {
    let mut out = String::new();
    let t = |l: &LocalText| l.get(lang).replace('\n', " ");
    let _ = writeln!(
        out,
        "# {} {}\n# {}",
        match lang {
            Lang::Zh => "演练评估与总结：",
            Lang::En => "Evaluation and summary of drill",
        },
        run.id,
        match lang {
            Lang::Zh => "由评估人员为每个目标评分：4 优、3 良、2 中、1 差。填写后运行 anbao drill finish --run RUN --summary 本文件",
            Lang::En => "The evaluators rate every objective: 4 excellent, 3 good, 2 fair, 1 poor. Then run: anbao drill finish --run RUN --summary THIS-FILE",
        }
    );
    // Plain keys before the first table, or TOML reads them as the last table's.
    let _ = writeln!(
        out,
        "\n# {}\nevaluators = []\nlessons = []",
        match lang {
            Lang::Zh => "评估人员姓名，如 [\"张三\", \"李四\"]",
            Lang::En => "names of the evaluators, e.g. [\"Zhang San\", \"Li Si\"]",
        }
    );
    for o in &playbook.objectives {
        let _ = writeln!(
            out,
            "\n# {}\n# {}\n[[evaluation]]\nobjective = \"{}\"\nrating = \"\"\ncomment = \"\"",
            t(&o.text),
            t(&o.criteria),
            o.id
        );
    }
    out.push_str("\n# [[problem]]\n# problem = \"\"\n# cause = \"\"\n\n# [[action]]\n# action = \"\"\n# owner = \"\"\n# due = 2026-12-31\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::classes::Classes;

    fn playbook() -> Playbook {
        crate::drill::playbook::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/ddos-online-service.toml"),
            &Classes::builtin(),
        )
        .unwrap()
    }

    const OK: &str = "[[evaluation]]\nobjective = \"mitigate\"\nrating = 3\ncomment = \"\"\n[[evaluation]]\nobjective = \"continuity\"\nrating = 4\ncomment = \"\"\n";

    #[test]
    fn the_template_reads_but_rates_nothing_and_names_no_evaluator() {
        let pb = playbook();
        let run = Run::new(
            "r",
            &pb,
            "",
            chrono::DateTime::parse_from_rfc3339("2026-11-18T09:00:00+08:00").unwrap(),
        );
        for lang in [Lang::Zh, Lang::En] {
            let s = parse(Path::new("s.toml"), &template(&run, &pb, lang), &pb).unwrap();
            assert_eq!(s.evaluations.len(), 2);
            assert!(s.evaluations.iter().all(|e| e.rating.is_none()), "{s:?}");
            assert!(s.evaluators.is_empty());
        }
    }

    #[test]
    fn summary_errors_name_their_place() {
        let pb = playbook();
        let check = |t: &str| parse(Path::new("s.toml"), t, &pb).map_err(|e| e.to_string());
        let s = check(&format!(
            "{OK}[[action]]\naction = \"a\"\nowner = \"o\"\ndue = 2026-12-01\n"
        ))
        .unwrap();
        assert_eq!(s.actions[0].id, "A1");
        assert_eq!(
            check(&OK.replace("rating = 3", "rating = 5")).unwrap_err(),
            "s.toml:3:10: rating 5 is off the scale 1 (poor) to 4 (excellent)"
        );
        assert_eq!(
            check(&OK.replace("\"continuity\"", "\"mitigate\"")).unwrap_err(),
            "s.toml:6:13: objective 'mitigate' is rated twice"
        );
        assert_eq!(check(&OK.replace("\"continuity\"", "\"speed\"")).unwrap_err(), "s.toml:6:13: 'speed' is not an objective of playbook 'ddos-online-service' (mitigate, continuity)");
        assert_eq!(
            check(&format!(
                "{OK}[[action]]\naction = \"a\"\nowner = \" \"\ndue = 2026-12-01\n"
            ))
            .unwrap_err(),
            "s.toml:10:10: an [[action]] needs the action and its owner"
        );
        assert_eq!(
            check(&OK.replace("rating = 3", "rating = \"good\"")).unwrap_err(),
            "s.toml:3:10: rating \"good\" is not a number 1 (poor) to 4 (excellent), nor \"\" for not rated yet"
        );
        // Leaving objectives out is no error here: finishing reports it with the rest.
        assert!(check("").unwrap().evaluations.is_empty());
    }
}
