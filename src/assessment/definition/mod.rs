//! Checklist definitions (`checklists/*.toml` with a `[checklist]` table): header, roles,
//! answer scale, the risk method, assets, threats, sections and items, read with positions and
//! validated into a [`Checklist`]; every problem is reported as `file:line:column: message`.

use super::method::{Calculation, Method, ScaleLevel, Stage, LEVELS};
use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod validate;

use validate::Validator;

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
