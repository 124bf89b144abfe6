//! What the document reports show, picked and grouped from a [`Report`]: the products behind the
//! verdict, their findings and evidence, and file names relative to the workspace.

use crate::acceptance::report::{ComponentRow, FindingRow, WaiverRow, WaiverStatus};
use crate::acceptance::Report;
use crate::i18n::Lang;
use crate::policy::evaluate::{Classification, Evidence};
use crate::policy::{Family, Verdict};
use crate::report::labels::{self, Word};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A report seen in one language, with its workspace folder for shortening file names.
pub struct View<'a> {
    pub r: &'a Report,
    pub lang: Lang,
    root: Option<PathBuf>,
}

impl<'a> View<'a> {
    pub fn new(r: &'a Report, lang: Lang) -> View<'a> {
        View {
            r,
            lang,
            root: workspace_root(r),
        }
    }

    pub fn word(&self, w: Word) -> &'static str {
        labels::word(self.lang, w)
    }

    /// The workspace folder, when known, with `/` separators.
    pub fn root(&self) -> Option<String> {
        let root = self.root.as_deref()?.to_string_lossy().replace('\\', "/");
        Some(root.trim_end_matches('/').to_string())
    }

    /// `path` relative to the workspace, with `/` separators, when it lies inside it.
    pub fn path(&self, path: &Path) -> String {
        match self
            .root
            .as_deref()
            .and_then(|root| path.strip_prefix(root).ok())
        {
            Some(rel) => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            None => path.display().to_string(),
        }
    }

    /// A `file:line` (or bare file) reference split into the shortened file and the line.
    pub fn location(&self, rule: &str) -> (String, Option<u32>) {
        match rule.rsplit_once(':') {
            Some((file, line)) if !file.is_empty() => match line.parse() {
                Ok(n) => (self.path(Path::new(file)), Some(n)),
                Err(_) => (self.path(Path::new(rule)), None),
            },
            _ => (self.path(Path::new(rule)), None),
        }
    }

    /// A `file:line` reference with the file shortened.
    pub fn rule(&self, rule: &str) -> String {
        match self.location(rule) {
            (file, Some(line)) => format!("{file}:{line}"),
            (file, None) => file,
        }
    }

    /// Whether any of project, policy or catalog is marked as illustrative.
    pub fn illustrative(&self) -> bool {
        self.r.project.illustrative
            || self.r.policy.illustrative
            || self.r.catalogs.iter().any(|c| c.illustrative)
    }

    pub fn project_name(&self) -> &'a str {
        match (self.lang, &self.r.project.name_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.r.project.name,
        }
    }

    pub fn policy_title(&self) -> &'a str {
        match (self.lang, &self.r.policy.title_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.r.policy.title,
        }
    }

    /// Products that fail, then those that lack evidence, each in report order.
    pub fn failing(&self) -> Vec<&'a ComponentRow> {
        let mut out: Vec<_> = self
            .r
            .components
            .iter()
            .filter(|c| c.verdict >= Verdict::InsufficientEvidence)
            .collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.verdict));
        out
    }

    pub fn warned(&self) -> Vec<&'a ComponentRow> {
        self.r
            .components
            .iter()
            .filter(|c| c.verdict == Verdict::Warn)
            .collect()
    }

    pub fn unclassified(&self) -> usize {
        self.r
            .components
            .iter()
            .filter(|c| c.category.is_none())
            .count()
    }

    /// The components no category applies to, named (the first 50 in a document; the JSON
    /// report has them all), or `None` when every component is classified.
    pub fn unclassified_line(&self) -> Option<String> {
        let names: Vec<&str> = self
            .r
            .components
            .iter()
            .filter(|c| c.category.is_none())
            .map(|c| &*c.component)
            .collect();
        (!names.is_empty()).then(|| labels::unclassified_line(self.lang, &names, 50))
    }

    /// The name of a category id, or "unclassified".
    pub fn category(&self, id: Option<&str>) -> &'a str {
        id.and_then(|id| self.r.categories.iter().find(|c| c.id == id))
            .map(|c| c.name.get(self.lang))
            .unwrap_or(labels::word(self.lang, Word::Unclassified))
    }

    /// How the product got its category, the deciding rule shortened; `text` and `code` mark
    /// up plain text and file references for the output format.
    pub fn classified_by(
        &self,
        c: &ComponentRow,
        text: impl Fn(&str) -> String,
        code: impl Fn(&str) -> String,
    ) -> Option<String> {
        let how = c.classification.as_ref()?;
        let (rule, reason, from) = match how {
            Classification::Rule { rule } => (rule, "", ""),
            Classification::Override { rule, reason } => (rule, reason.as_str(), ""),
            Classification::Inherited { rule, from } => (
                rule,
                "",
                self.r
                    .components
                    .iter()
                    .find(|x| x.id == *from)
                    .map_or("?", |x| &*x.component),
            ),
        };
        Some(labels::classification(
            self.lang,
            how,
            &code(&self.rule(rule)),
            &text(reason),
            &text(from),
        ))
    }

    pub fn findings_of(&self, c: &ComponentRow) -> Vec<&'a FindingRow> {
        c.findings.iter().map(|&i| &self.r.findings[i]).collect()
    }

    /// Findings about no product in particular (stale waivers and the like).
    pub fn general_findings(&self) -> Vec<&'a FindingRow> {
        self.r
            .findings
            .iter()
            .filter(|f| f.component.is_none())
            .collect()
    }

    /// The evidence that passed, grouped by GB/T 36630 family in the standard's order.
    pub fn evidence_by_family(c: &'a ComponentRow) -> Vec<(Family, Vec<&'a Evidence>)> {
        let mut groups: Vec<(Family, Vec<&Evidence>)> = Vec::new();
        for e in &c.evidence {
            match groups.iter_mut().find(|(f, _)| *f == e.family) {
                Some((_, list)) => list.push(e),
                None => groups.push((e.family, vec![e])),
            }
        }
        groups.sort_by_key(|(f, _)| *f);
        groups
    }

    /// The distinct inclusion paths of a product, as its findings give them.
    pub fn paths_of(&self, c: &ComponentRow) -> Vec<&'a [Arc<str>]> {
        let mut out: Vec<&[Arc<str>]> = Vec::new();
        for f in self.findings_of(c) {
            for p in &f.paths {
                if !out.contains(&p.as_slice()) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Waivers in the order a reader checks them: used, expired, unused.
    pub fn waivers(&self) -> Vec<&'a WaiverRow> {
        let rank = |s: WaiverStatus| match s {
            WaiverStatus::Used => 0,
            WaiverStatus::Expired => 1,
            WaiverStatus::Unused => 2,
        };
        let mut out: Vec<_> = self.r.waivers.iter().collect();
        out.sort_by_key(|w| rank(w.status));
        out
    }

    /// The waiver that accepts a finding.
    pub fn waiver_of(&self, f: &FindingRow) -> Option<&'a WaiverRow> {
        let at = f.waived_by.as_deref()?;
        self.r.waivers.iter().find(|w| w.rule == at)
    }

    /// The closing line: which anbao made the report, as of which date.
    pub fn generated(&self) -> String {
        match self.lang {
            Lang::Zh => format!("由 {} 生成，核验日期 {}", self.r.generator, self.r.as_of),
            Lang::En => format!(
                "Generated by {}, assessed as of {}",
                self.r.generator, self.r.as_of
            ),
        }
    }

    /// The line under the category table: the ★ legend and the component count.
    pub fn components_line(&self) -> String {
        labels::components_line(self.lang, self.r.components.len(), self.unclassified())
    }

    /// `s` in parentheses, full-width in Chinese.
    pub fn paren(&self, s: &str) -> String {
        match self.lang {
            Lang::Zh => format!("（{s}）"),
            Lang::En => format!(" ({s})"),
        }
    }

    pub fn colon(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "：",
            Lang::En => ": ",
        }
    }

    pub fn comma(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "，",
            Lang::En => ", ",
        }
    }

    pub fn semicolon(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "；",
            Lang::En => "; ",
        }
    }

    /// The sentence ending of the language, for joining a heading word and a sentence.
    pub fn full_stop(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "。",
            Lang::En => ".",
        }
    }
}

/// The workspace folder, for shortening the input files' paths. Rule references name policy
/// files as `anbao.toml` does, relative to the workspace, while the inputs carry the folder in
/// front; the policy's input entry shows which folder that is. A policy named by an absolute
/// path lives in `<workspace>/checklists/`, so its grandparent is taken.
fn workspace_root(r: &Report) -> Option<PathBuf> {
    let policy = &r.policy.file;
    let root = if policy.is_relative() {
        let input = r
            .inputs
            .iter()
            .find(|f| f.role == "policy" && f.path.ends_with(policy))?;
        input.path.ancestors().nth(policy.components().count())?
    } else {
        policy.parent()?.parent()?
    };
    Some(root.to_path_buf()).filter(|p| !p.as_os_str().is_empty())
}

/// `s` with its first letter capitalised, for English words that start a line; Chinese has no
/// case and is left as it is.
pub fn sentence_case(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acceptance::report::InputFile;

    #[test]
    fn the_workspace_is_found_from_a_relative_or_an_absolute_policy() {
        let mut r = crate::report::tests::sample();
        assert_eq!(workspace_root(&r), Some(PathBuf::from("/ws")));
        r.policy.file = "/ws/checklists/policy.toml".into();
        assert_eq!(workspace_root(&r), Some(PathBuf::from("/ws")));
        r.policy.file = "rules/policy.toml".into();
        assert_eq!(workspace_root(&r), None, "no input ends with it");
        r.inputs.push(InputFile {
            path: "/other/rules/policy.toml".into(),
            role: "policy",
            sha256: String::new(),
        });
        assert_eq!(workspace_root(&r), Some(PathBuf::from("/other")));
    }

    #[test]
    fn locations_are_split_and_shortened() {
        let r = crate::report::tests::sample();
        let v = View::new(&r, Lang::En);
        let at = |rule: &str| v.location(rule);
        assert_eq!(
            at("checklists/policy.toml:12"),
            ("checklists/policy.toml".to_string(), Some(12))
        );
        assert_eq!(
            at("/ws/checklists/policy.toml"),
            ("checklists/policy.toml".to_string(), None)
        );
        assert_eq!(
            at("/elsewhere/p.toml:3"),
            ("/elsewhere/p.toml".to_string(), Some(3))
        );
        assert_eq!(
            v.path(Path::new("/ws/inventories/a b.json")),
            "inventories/a b.json"
        );
    }
}
