//! Checklist definitions (`checklists/*.toml` with a `[checklist]` table): header, roles,
//! answer scale, the risk method, assets, threats, sections and items, read with positions and
//! validated into a [`Checklist`]; every problem is reported as `file:line:column: message`.

use super::method::{Calculation, Method, ScaleLevel, Stage, LEVELS};
use crate::error::{InputError, Location};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    checklist: Header,
    #[serde(default)]
    role: Vec<Spanned<RoleFile>>,
    signoff: SignoffFile,
    #[serde(default)]
    answer: Vec<Spanned<AnswerFile>>,
    method: Spanned<MethodFile>,
    #[serde(default)]
    asset: Vec<Spanned<AssetFile>>,
    #[serde(default)]
    threat: Vec<Spanned<ThreatFile>>,
    #[serde(default)]
    condition: Vec<Spanned<super::condition::Condition>>,
    #[serde(default)]
    section: Vec<Spanned<SectionFile>>,
    #[serde(default)]
    item: Vec<Spanned<ItemFile>>,
}

/// What the checklist is and what it rests on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: String,
    pub version: Spanned<i64>,
    pub title: String,
    pub title_en: String,
    /// Standards and clauses the checklist is built on.
    pub basis: Vec<String>,
    /// The protection level (等级) a session assumes unless told otherwise.
    #[serde(default = "default_level")]
    pub protection_level: Spanned<u8>,
    #[serde(default)]
    pub illustrative: bool,
}

fn default_level() -> Spanned<u8> {
    Spanned::new(0..0, 3)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    id: String,
    name: String,
    name_en: String,
}

/// Who must sign the final assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignoffRule {
    /// Both roles sign (the measures' joint assessment).
    Both,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignoffFile {
    rule: SignoffRule,
}

/// What an answer means for the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Meaning {
    Conforming,
    Partly,
    NotConforming,
    NotApplicable,
}

impl Meaning {
    pub const ALL: [Meaning; 4] = [
        Meaning::Conforming,
        Meaning::Partly,
        Meaning::NotConforming,
        Meaning::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Meaning::Conforming => "conforming",
            Meaning::Partly => "partly",
            Meaning::NotConforming => "not-conforming",
            Meaning::NotApplicable => "not-applicable",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFile {
    id: String,
    meaning: Meaning,
    name: String,
    name_en: String,
    /// The single key that gives this answer in the TUI.
    key: String,
    #[serde(default)]
    creates_risk: bool,
    /// Added to the item's vulnerability severity for risks this answer creates (a partial
    /// answer leaves a smaller weakness).
    #[serde(default)]
    severity_offset: i8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodFile {
    name: String,
    name_en: String,
    calculation: Calculation,
    approval_from: Spanned<u8>,
    level_names: Spanned<Vec<String>>,
    level_names_en: Spanned<Vec<String>>,
    scales: ScalesFile,
    likelihood: Spanned<StageFile>,
    impact: Spanned<StageFile>,
    risk: Spanned<StageFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScalesFile {
    asset: Spanned<Vec<ScaleLevelFile>>,
    threat: Spanned<Vec<ScaleLevelFile>>,
    vulnerability: Spanned<Vec<ScaleLevelFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleLevelFile {
    level: u8,
    name: String,
    name_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageFile {
    #[serde(default)]
    matrix: Option<Spanned<Vec<Vec<u32>>>>,
    bands: Spanned<Vec<(u32, u32)>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetFile {
    id: String,
    name: String,
    name_en: String,
    value: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreatFile {
    id: String,
    name: String,
    name_en: String,
    frequency: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    id: String,
    name: String,
    name_en: String,
    #[serde(default)]
    clauses: Vec<String>,
    #[serde(default)]
    applies_when: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: Spanned<String>,
    section: Spanned<String>,
    clauses: Spanned<Vec<String>>,
    question: String,
    question_en: String,
    #[serde(default)]
    guidance: String,
    #[serde(default)]
    guidance_en: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    evidence_en: String,
    answered_by: Spanned<String>,
    #[serde(default)]
    confirmed_by: Option<Spanned<String>>,
    #[serde(default)]
    importance: Importance,
    #[serde(default = "default_weight")]
    weight: Spanned<u8>,
    #[serde(default)]
    min_level: Option<Spanned<u8>>,
    #[serde(default)]
    derive: Option<Spanned<String>>,
    #[serde(default)]
    derive_covers: Option<Spanned<Coverage>>,
    #[serde(default)]
    applies_when: Option<Spanned<String>>,
    risk: RiskFile,
}

fn default_weight() -> Spanned<u8> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskFile {
    asset: Spanned<String>,
    threat: Spanned<String>,
    severity: Spanned<u8>,
}

/// How much an item matters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    /// A key item: a failure weighs on the verdict of the whole assessment.
    Key,
    #[default]
    Normal,
}

/// How much of an item the fact of its `derive` source shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// The fact answers the whole question: when it decides, its answer is offered.
    #[default]
    Whole,
    /// The question asks more than the fact shows (OM-09 asks for training and a review of the
    /// plans besides a drill): the fact is stated, and no answer is ever offered.
    Part,
}

/// A role of the joint assessment; its id is the unit name keys sign for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerOption {
    pub id: String,
    pub meaning: Meaning,
    pub name: String,
    pub name_en: String,
    pub key: char,
    pub creates_risk: bool,
    pub severity_offset: i8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub value: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threat {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub frequency: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub clauses: Vec<String>,
    /// The condition under which the section applies (all its items inherit it).
    pub applies_when: Option<String>,
}

/// What a failed answer to an item creates: a risk to an asset from a threat, exploiting the
/// weakness the item checks for, of a suggested severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskTemplate {
    pub asset: String,
    pub threat: String,
    pub severity: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: String,
    pub section: String,
    pub clauses: Vec<String>,
    pub question: String,
    pub question_en: String,
    pub guidance: String,
    pub guidance_en: String,
    pub evidence: String,
    pub evidence_en: String,
    pub answered_by: String,
    pub confirmed_by: Option<String>,
    pub importance: Importance,
    pub weight: u8,
    pub min_level: Option<u8>,
    pub derive: Option<String>,
    /// How much of the question the derived fact answers.
    pub derive_covers: Coverage,
    /// The condition under which the item applies (its own, else its section's).
    pub applies_when: Option<String>,
    pub risk: RiskTemplate,
    /// 1-based line of the item in its file.
    pub line: usize,
}

impl Item {
    /// Whether the item applies at a protection level (whatever its condition).
    pub fn applies(&self, level: u8) -> bool {
        self.min_level.is_none_or(|m| level >= m)
    }
}

/// A validated checklist definition.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub file: PathBuf,
    /// SHA-256 of the file's bytes, `sha256:HEX`, recorded in sessions and the signed record.
    pub hash: String,
    pub id: String,
    pub version: u32,
    pub title: String,
    pub title_en: String,
    pub basis: Vec<String>,
    pub protection_level: u8,
    pub illustrative: bool,
    pub roles: [Role; 2],
    pub signoff: SignoffRule,
    pub answers: Vec<AnswerOption>,
    pub method: Method,
    pub assets: Vec<Asset>,
    pub threats: Vec<Threat>,
    pub conditions: Vec<super::condition::Condition>,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
}

impl Checklist {
    /// Reads and validates the definition in `path`.
    pub fn load(path: &Path) -> Result<Checklist, InputError> {
        let text = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT)?;
        let mut c = Checklist::parse(path, &text)?;
        c.hash = file_hash(text.as_bytes());
        Ok(c)
    }

    /// Validates the definition `text`, read from `path` (named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Checklist, InputError> {
        let raw: File = crate::workspace::parse_toml(path, text)?;
        Validator { path, text }.checklist(raw, file_hash(text.as_bytes()))
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn answer(&self, id: &str) -> Option<&AnswerOption> {
        self.answers.iter().find(|a| a.id == id)
    }

    pub fn answer_for(&self, meaning: Meaning) -> &AnswerOption {
        // Validation makes sure every meaning has exactly one answer.
        self.answers
            .iter()
            .find(|a| a.meaning == meaning)
            .unwrap_or(&self.answers[0])
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn condition(&self, id: &str) -> Option<&super::condition::Condition> {
        self.conditions.iter().find(|c| c.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }

    pub fn threat(&self, id: &str) -> Option<&Threat> {
        self.threats.iter().find(|t| t.id == id)
    }

    /// The other role of the pair.
    /// The name of role `id` in `lang` (the id itself for a role the checklist lacks).
    pub fn role_name(&self, id: &str, lang: crate::i18n::Lang) -> String {
        match (self.role(id), lang) {
            (Some(r), crate::i18n::Lang::Zh) => r.name.clone(),
            (Some(r), crate::i18n::Lang::En) => r.name_en.clone(),
            (None, _) => id.to_string(),
        }
    }

    pub fn other_role(&self, id: &str) -> &Role {
        if self.roles[0].id == id {
            &self.roles[1]
        } else {
            &self.roles[0]
        }
    }
}

pub fn file_hash(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Whether the TOML file at `path` is a checklist definition (has a `[checklist]` table), as
/// opposed to the policy, catalog or calendar that share the folder.
pub fn is_checklist_file(path: &Path) -> bool {
    crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT).is_ok_and(|t| {
        t.parse::<toml::Table>()
            .is_ok_and(|table| table.contains_key("checklist"))
    })
}

/// The checklist definitions in a workspace's `checklists/` folder, sorted by file name.
pub fn workspace_checklists(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("checklists"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && is_checklist_file(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
}

type Res<T> = Result<T, InputError>;

impl Validator<'_> {
    fn at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> InputError {
        InputError::new(
            self.path,
            Location::from_offset(self.text.as_bytes(), span.start),
            message,
        )
    }

    fn line(&self, span: std::ops::Range<usize>) -> usize {
        match Location::from_offset(self.text.as_bytes(), span.start) {
            Location::LineCol { line, .. } => line,
            _ => 0,
        }
    }

    fn level(&self, span: std::ops::Range<usize>, what: &str, value: u8) -> Res<u8> {
        if (1..=LEVELS).contains(&value) {
            Ok(value)
        } else {
            Err(self.at(
                span,
                format!("{what} must be a level from 1 to 5, found {value}"),
            ))
        }
    }

    fn checklist(&self, raw: File, hash: String) -> Res<Checklist> {
        let h = raw.checklist;
        if h.id.trim().is_empty() {
            return Err(InputError::whole_file(
                self.path,
                "[checklist] id must not be empty",
            ));
        }
        let version = *h.version.get_ref();
        if version < 1 || version > i64::from(u32::MAX) {
            return Err(self.at(
                h.version.span(),
                format!("version must be a whole number from 1 up, found {version}"),
            ));
        }
        let protection_level = self.level(
            h.protection_level.span(),
            "[checklist] protection_level",
            *h.protection_level.get_ref(),
        )?;
        let roles = self.roles(raw.role)?;
        let answers = self.answers(raw.answer)?;
        let method = self.method(raw.method)?;
        let assets = self.assets(raw.asset)?;
        let threats = self.threats(raw.threat)?;
        let conditions = self.conditions(raw.condition)?;
        let (sections, section_spans) = self.sections(raw.section, &conditions)?;
        let items = self.items(raw.item, &roles, &sections, &assets, &threats, &conditions)?;
        // Sections without items would show as empty progress bars forever.
        if let Some((s, span)) = sections
            .iter()
            .zip(section_spans)
            .find(|(s, _)| !items.iter().any(|i| i.section == s.id))
        {
            return Err(self.at(span, format!("section '{}' has no items", s.id)));
        }
        Ok(Checklist {
            file: self.path.to_path_buf(),
            hash,
            id: h.id,
            version: version as u32,
            title: h.title,
            title_en: h.title_en,
            basis: h.basis,
            protection_level,
            illustrative: h.illustrative,
            roles,
            signoff: raw.signoff.rule,
            answers,
            method,
            assets,
            threats,
            conditions,
            sections,
            items,
        })
    }

    fn roles(&self, raw: Vec<Spanned<RoleFile>>) -> Res<[Role; 2]> {
        if raw.len() != 2 {
            let span = raw.get(2).or(raw.first()).map_or(0..0, |r| r.span());
            return Err(self.at(
                span,
                format!(
                    "a joint assessment has exactly two [[role]]s (the implementing and the construction unit), found {}",
                    raw.len()
                ),
            ));
        }
        let mut roles = Vec::new();
        for r in raw {
            let span = r.span();
            let r = r.into_inner();
            if !crate::ledger::keys::valid_unit(&r.id) {
                return Err(self.at(
                    span,
                    format!("role id '{}' is not a unit name keys can sign for (lowercase letters, digits, '-')", r.id),
                ));
            }
            if roles.iter().any(|o: &Role| o.id == r.id) {
                return Err(self.at(span, format!("role '{}' is defined twice", r.id)));
            }
            roles.push(Role {
                id: r.id,
                name: r.name,
                name_en: r.name_en,
            });
        }
        let second = roles.pop().expect("two roles");
        let first = roles.pop().expect("two roles");
        Ok([first, second])
    }

    fn answers(&self, raw: Vec<Spanned<AnswerFile>>) -> Res<Vec<AnswerOption>> {
        let mut out: Vec<AnswerOption> = Vec::new();
        let last = raw.last().map(|a| a.span());
        for a in raw {
            let span = a.span();
            let a = a.into_inner();
            if out.iter().any(|o| o.id == a.id) {
                return Err(self.at(span, format!("answer '{}' is defined twice", a.id)));
            }
            if out.iter().any(|o| o.meaning == a.meaning) {
                return Err(self.at(
                    span,
                    format!(
                        "meaning '{}' already has an answer; each meaning has exactly one",
                        a.meaning.as_str()
                    ),
                ));
            }
            let mut chars = a.key.chars();
            let key = match (chars.next(), chars.next()) {
                (Some(k), None) if !k.is_whitespace() => k,
                _ => {
                    return Err(self.at(
                        span,
                        format!("answer key must be one character, found '{}'", a.key),
                    ))
                }
            };
            if out.iter().any(|o| o.key == key) {
                return Err(self.at(span, format!("answer key '{key}' is used twice")));
            }
            let fine = matches!(a.meaning, Meaning::Partly | Meaning::NotConforming);
            if a.creates_risk && !fine {
                return Err(self.at(
                    span,
                    format!(
                        "a '{}' answer cannot create a risk; only partly and not-conforming answers do",
                        a.meaning.as_str()
                    ),
                ));
            }
            out.push(AnswerOption {
                id: a.id,
                meaning: a.meaning,
                name: a.name,
                name_en: a.name_en,
                key,
                creates_risk: a.creates_risk,
                severity_offset: a.severity_offset,
            });
        }
        if let Some(missing) = Meaning::ALL
            .iter()
            .find(|m| !out.iter().any(|a| a.meaning == **m))
        {
            let message = format!(
                    "the answer scale lacks an [[answer]] with meaning '{}'; it needs conforming, partly, not-conforming and not-applicable",
                    missing.as_str()
                );
            return Err(match last {
                Some(span) => self.at(span, message),
                None => InputError::whole_file(self.path, message),
            });
        }
        Ok(out)
    }

    fn method(&self, raw: Spanned<MethodFile>) -> Res<Method> {
        let m = raw.into_inner();
        let names = |s: Spanned<Vec<String>>, what: &str| -> Res<[String; 5]> {
            let span = s.span();
            <[String; 5]>::try_from(s.into_inner()).map_err(|v| {
                self.at(
                    span,
                    format!("{what} must name the five risk levels, found {}", v.len()),
                )
            })
        };
        let level_names = names(m.level_names, "level_names")?;
        let level_names_en = names(m.level_names_en, "level_names_en")?;
        let approval_from = self.level(
            m.approval_from.span(),
            "approval_from",
            *m.approval_from.get_ref(),
        )?;
        let asset = self.scale(m.scales.asset, "asset")?;
        let threat = self.scale(m.scales.threat, "threat")?;
        let vulnerability = self.scale(m.scales.vulnerability, "vulnerability")?;
        let likelihood = self.stage(m.likelihood, m.calculation, "likelihood")?;
        let impact = self.stage(m.impact, m.calculation, "impact")?;
        let risk = self.stage(m.risk, m.calculation, "risk")?;
        Ok(Method {
            name: m.name,
            name_en: m.name_en,
            calculation: m.calculation,
            asset,
            threat,
            vulnerability,
            likelihood,
            impact,
            risk,
            level_names,
            level_names_en,
            approval_from,
        })
    }

    fn scale(&self, raw: Spanned<Vec<ScaleLevelFile>>, what: &str) -> Res<Vec<ScaleLevel>> {
        let span = raw.span();
        let levels = raw.into_inner();
        let found: Vec<u8> = levels.iter().map(|l| l.level).collect();
        if found != [1, 2, 3, 4, 5] {
            return Err(self.at(
                span,
                format!(
                    "the {what} scale must list levels 1, 2, 3, 4, 5 in order, found {found:?}"
                ),
            ));
        }
        Ok(levels
            .into_iter()
            .map(|l| ScaleLevel {
                level: l.level,
                name: l.name,
                name_en: l.name_en,
                description: l.description,
                description_en: l.description_en,
            })
            .collect())
    }

    fn stage(&self, raw: Spanned<StageFile>, calc: Calculation, what: &str) -> Res<Stage> {
        let stage_span = raw.span();
        let s = raw.into_inner();
        let matrix = match (calc, s.matrix) {
            (Calculation::Matrix, None) => {
                return Err(self.at(
                    stage_span,
                    format!("[method.{what}] needs a 5 × 5 matrix under the matrix method"),
                ))
            }
            (Calculation::Matrix, Some(m)) => {
                let span = m.span();
                let rows = m.into_inner();
                let mut out = [[0u32; 5]; 5];
                if rows.len() != 5 || rows.iter().any(|r| r.len() != 5) {
                    let shape: Vec<usize> = rows.iter().map(Vec::len).collect();
                    return Err(self.at(
                        span,
                        format!("[method.{what}] matrix must be 5 rows of 5 values, found rows of {shape:?}"),
                    ));
                }
                for (i, row) in rows.iter().enumerate() {
                    out[i].copy_from_slice(row);
                }
                Some(out)
            }
            (_, Some(m)) => {
                return Err(self.at(
                    m.span(),
                    format!(
                        "[method.{what}] has a matrix, but the calculation is '{}'; remove it or use calculation = \"matrix\"",
                        calc.as_str()
                    ),
                ))
            }
            (_, None) => None,
        };
        let bands_span = s.bands.span();
        let list = s.bands.into_inner();
        let bands = <[(u32, u32); 5]>::try_from(list).map_err(|v| {
            self.at(
                bands_span.clone(),
                format!(
                    "[method.{what}] bands must give five [low, high] ranges, one per level, found {}",
                    v.len()
                ),
            )
        })?;
        for (i, &(lo, hi)) in bands.iter().enumerate() {
            if lo > hi {
                return Err(self.at(
                    bands_span,
                    format!(
                        "[method.{what}] band of level {} runs backwards: [{lo}, {hi}]",
                        i + 1
                    ),
                ));
            }
            if i > 0 && lo <= bands[i - 1].1 {
                return Err(self.at(
                    bands_span,
                    format!(
                        "[method.{what}] bands of levels {} and {} overlap or are out of order: [{}, {}] then [{lo}, {hi}]",
                        i,
                        i + 1,
                        bands[i - 1].0,
                        bands[i - 1].1
                    ),
                ));
            }
        }
        let stage = Stage { matrix, bands };
        for row in 1..=LEVELS {
            for column in 1..=LEVELS {
                let value = calc.value(&stage, row, column);
                if stage.level_of(value).is_none() {
                    return Err(self.at(
                        bands_span,
                        format!(
                            "[method.{what}] value {value} (row {row}, column {column}) falls in no band"
                        ),
                    ));
                }
            }
        }
        Ok(stage)
    }

    fn assets(&self, raw: Vec<Spanned<AssetFile>>) -> Res<Vec<Asset>> {
        let mut out: Vec<Asset> = Vec::new();
        for a in raw {
            let span = a.span();
            let a = a.into_inner();
            if out.iter().any(|o| o.id == a.id) {
                return Err(self.at(span, format!("asset '{}' is defined twice", a.id)));
            }
            let value = self.level(span, &format!("asset '{}' value", a.id), a.value)?;
            out.push(Asset {
                id: a.id,
                name: a.name,
                name_en: a.name_en,
                value,
            });
        }
        Ok(out)
    }

    fn threats(&self, raw: Vec<Spanned<ThreatFile>>) -> Res<Vec<Threat>> {
        let mut out: Vec<Threat> = Vec::new();
        for t in raw {
            let span = t.span();
            let t = t.into_inner();
            if out.iter().any(|o| o.id == t.id) {
                return Err(self.at(span, format!("threat '{}' is defined twice", t.id)));
            }
            let frequency =
                self.level(span, &format!("threat '{}' frequency", t.id), t.frequency)?;
            out.push(Threat {
                id: t.id,
                name: t.name,
                name_en: t.name_en,
                frequency,
            });
        }
        Ok(out)
    }

    fn conditions(
        &self,
        raw: Vec<Spanned<super::condition::Condition>>,
    ) -> Res<Vec<super::condition::Condition>> {
        let mut out: Vec<super::condition::Condition> = Vec::new();
        for c in raw {
            let span = c.span();
            let c = c.into_inner();
            if c.id.is_empty() || !c.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                return Err(self.at(
                    span,
                    format!("condition id '{}' must be lower-case letters and '-'", c.id),
                ));
            }
            if out.iter().any(|o| o.id == c.id) {
                return Err(self.at(span, format!("condition '{}' is defined twice", c.id)));
            }
            out.push(c);
        }
        Ok(out)
    }

    /// The condition named by `applies_when`, which must be declared.
    fn applies_when(
        &self,
        what: &str,
        name: Option<&Spanned<String>>,
        conditions: &[super::condition::Condition],
    ) -> Res<Option<String>> {
        let Some(name) = name else {
            return Ok(None);
        };
        if conditions.iter().any(|c| &c.id == name.get_ref()) {
            return Ok(Some(name.get_ref().clone()));
        }
        let known: Vec<&str> = conditions.iter().map(|c| c.id.as_str()).collect();
        Err(self.at(
            name.span(),
            format!(
                "{what} applies when '{}', which no [[condition]] declares{}",
                name.get_ref(),
                if known.is_empty() {
                    String::new()
                } else {
                    format!("; declared: {}", known.join(", "))
                }
            ),
        ))
    }

    fn sections(
        &self,
        raw: Vec<Spanned<SectionFile>>,
        conditions: &[super::condition::Condition],
    ) -> Res<(Vec<Section>, Vec<std::ops::Range<usize>>)> {
        let mut out: Vec<Section> = Vec::new();
        let mut spans = Vec::new();
        for s in raw {
            let span = s.span();
            spans.push(span.clone());
            let s = s.into_inner();
            if out.iter().any(|o| o.id == s.id) {
                return Err(self.at(span, format!("section '{}' is defined twice", s.id)));
            }
            let applies_when = self.applies_when(
                &format!("section '{}'", s.id),
                s.applies_when.as_ref(),
                conditions,
            )?;
            out.push(Section {
                id: s.id,
                name: s.name,
                name_en: s.name_en,
                clauses: s.clauses,
                applies_when,
            });
        }
        Ok((out, spans))
    }

    fn items(
        &self,
        raw: Vec<Spanned<ItemFile>>,
        roles: &[Role; 2],
        sections: &[Section],
        assets: &[Asset],
        threats: &[Threat],
        conditions: &[super::condition::Condition],
    ) -> Res<Vec<Item>> {
        if raw.is_empty() {
            return Err(InputError::whole_file(
                self.path,
                "the checklist has no [[item]]s",
            ));
        }
        let role_ids: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for it in raw {
            let line = self.line(it.span());
            let it = it.into_inner();
            let id = it.id.get_ref().trim().to_string();
            if id.is_empty() || id.chars().any(char::is_whitespace) || id == "all" {
                return Err(self.at(
                    it.id.span(),
                    format!(
                        "item id '{}' must be non-empty, without spaces, and not 'all'",
                        it.id.get_ref()
                    ),
                ));
            }
            if let Some(first) = seen.insert(id.clone(), line) {
                return Err(self.at(
                    it.id.span(),
                    format!("item id '{id}' is used twice (first on line {first})"),
                ));
            }
            if !sections.iter().any(|s| &s.id == it.section.get_ref()) {
                return Err(self.at(
                    it.section.span(),
                    format!(
                        "item '{id}' names section '{}', which no [[section]] defines",
                        it.section.get_ref()
                    ),
                ));
            }
            if it.clauses.get_ref().iter().all(|c| c.trim().is_empty()) {
                return Err(self.at(
                    it.clauses.span(),
                    format!("item '{id}' cites no clause; every item names the clause it rests on"),
                ));
            }
            let role = |r: &Spanned<String>, what: &str| -> Res<String> {
                if role_ids.contains(&r.get_ref().as_str()) {
                    Ok(r.get_ref().clone())
                } else {
                    Err(self.at(
                        r.span(),
                        format!(
                            "item '{id}' {what} '{}', which is not a role; roles are {}",
                            r.get_ref(),
                            role_ids.join(", ")
                        ),
                    ))
                }
            };
            let answered_by = role(&it.answered_by, "is answered by")?;
            let confirmed_by = match &it.confirmed_by {
                Some(c) => {
                    let c_id = role(c, "is confirmed by")?;
                    if c_id == answered_by {
                        return Err(self.at(
                            c.span(),
                            format!("item '{id}' is answered and confirmed by the same role '{c_id}'; the other role confirms"),
                        ));
                    }
                    Some(c_id)
                }
                None => None,
            };
            let weight = *it.weight.get_ref();
            if !(1..=10).contains(&weight) {
                return Err(self.at(
                    it.weight.span(),
                    format!("item '{id}' weight must be 1 to 10, found {weight}"),
                ));
            }
            let min_level = match &it.min_level {
                Some(l) => {
                    Some(self.level(l.span(), &format!("item '{id}' min_level"), *l.get_ref())?)
                }
                None => None,
            };
            let derive = match &it.derive {
                Some(d) if super::derived::derivation(d.get_ref()).is_none() => {
                    return Err(self.at(
                        d.span(),
                        format!(
                            "item '{id}' derives from unknown source '{}'; known sources: {}",
                            d.get_ref(),
                            super::derived::sources().collect::<Vec<_>>().join(", ")
                        ),
                    ))
                }
                Some(d) => Some(d.get_ref().clone()),
                None => None,
            };
            let derive_covers = match (&it.derive_covers, &derive) {
                (Some(c), None) => {
                    return Err(self.at(
                        c.span(),
                        format!("item '{id}' sets derive_covers without a derive source"),
                    ))
                }
                (c, _) => c.as_ref().map_or(Coverage::Whole, |c| *c.get_ref()),
            };
            let section_condition = sections
                .iter()
                .find(|s| &s.id == it.section.get_ref())
                .and_then(|s| s.applies_when.clone());
            let applies_when = self
                .applies_when(
                    &format!("item '{id}'"),
                    it.applies_when.as_ref(),
                    conditions,
                )?
                .or(section_condition);
            let r = &it.risk;
            if !assets.iter().any(|a| &a.id == r.asset.get_ref()) {
                return Err(self.at(
                    r.asset.span(),
                    format!(
                        "item '{id}' risk names asset '{}', which no [[asset]] defines",
                        r.asset.get_ref()
                    ),
                ));
            }
            if !threats.iter().any(|t| &t.id == r.threat.get_ref()) {
                return Err(self.at(
                    r.threat.span(),
                    format!(
                        "item '{id}' risk names threat '{}', which no [[threat]] defines",
                        r.threat.get_ref()
                    ),
                ));
            }
            let severity = self.level(
                r.severity.span(),
                &format!("item '{id}' risk severity"),
                *r.severity.get_ref(),
            )?;
            out.push(Item {
                id,
                section: it.section.into_inner(),
                clauses: it.clauses.into_inner(),
                question: it.question,
                question_en: it.question_en,
                guidance: it.guidance,
                guidance_en: it.guidance_en,
                evidence: it.evidence,
                evidence_en: it.evidence_en,
                answered_by,
                confirmed_by,
                importance: it.importance,
                weight,
                min_level,
                derive,
                derive_covers,
                applies_when,
                risk: RiskTemplate {
                    asset: it.risk.asset.into_inner(),
                    threat: it.risk.threat.into_inner(),
                    severity,
                },
                line,
            });
        }
        Ok(out)
    }
}
