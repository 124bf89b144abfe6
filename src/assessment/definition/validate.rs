//! Validation of a checklist definition as read from TOML into the model of [`super`]: every
//! id, reference, scale and risk stage checked, each problem located as `file:line:column`.

use super::*;
use crate::error::Location;

pub(super) struct Validator<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
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

    pub(super) fn checklist(&self, raw: File, hash: String) -> Res<Checklist> {
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
        raw: Vec<Spanned<crate::assessment::condition::Condition>>,
    ) -> Res<Vec<crate::assessment::condition::Condition>> {
        let mut out: Vec<crate::assessment::condition::Condition> = Vec::new();
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
        conditions: &[crate::assessment::condition::Condition],
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
        conditions: &[crate::assessment::condition::Condition],
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
        conditions: &[crate::assessment::condition::Condition],
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
                Some(d) if crate::assessment::derived::derivation(d.get_ref()).is_none() => {
                    return Err(self.at(
                        d.span(),
                        format!(
                            "item '{id}' derives from unknown source '{}'; known sources: {}",
                            d.get_ref(),
                            crate::assessment::derived::sources()
                                .collect::<Vec<_>>()
                                .join(", ")
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
