//! The Risks screen's state: the register of the open session, a heat-map cell listed alone,
//! quick keys for treatment, owner, due date and approver, and a form with every field the CLI
//! sets (levels, existing controls, residual level, note), all saved through the core.

use super::app::Action;
use super::assess::{AssessState, Dialog, Field, FieldKind};
use super::form::{Field as FormField, Form, Input, Row};
use crate::assessment::session::{RiskEntry, RiskView, Treatment};
use crate::i18n::ledger::Message;
use crate::i18n::Lang;
use chrono::NaiveDate;

fn level(key: &str, zh: &str, en: &str, value: Option<u8>, optional: bool) -> Row {
    Row::Field(
        FormField::text(
            key,
            Message::new(zh, en),
            value.map(|v| v.to_string()).unwrap_or_default(),
        )
        .with(Input::Number {
            min: 1,
            max: 5,
            optional,
        }),
    )
}

impl AssessState {
    /// The open risks of the session in register order, or only those of the chosen cell.
    pub fn risk_items(&self) -> Vec<RiskView> {
        let Some(open) = &self.open else {
            return Vec::new();
        };
        let all = open.session.risk_views(&open.checklist);
        match self.cell {
            None => all,
            Some(cell) => all
                .into_iter()
                .filter(|r| (r.score.likelihood, r.score.impact) == cell)
                .collect(),
        }
    }

    fn selected_risk(&self) -> Option<RiskView> {
        self.risk_items().into_iter().nth(self.risk_selected)
    }

    pub(super) fn change_risk(&mut self, f: impl FnOnce(&mut RiskEntry)) {
        let Some(r) = self.selected_risk() else {
            return;
        };
        let item = r.item;
        let text = Message::new(
            format!("{item} 风险已保存"),
            format!("risk of {item} saved"),
        );
        self.change(text, |s, cl| s.update_risk(cl, &item, f));
    }

    pub(super) fn finish_risk_field(&mut self, field: Field) {
        let due = if field.kind == FieldKind::Due {
            match field.text.trim().parse::<NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => return self.say(true, not_a_date(&field.text)),
            }
        } else {
            None
        };
        self.change_risk(move |e| match field.kind {
            FieldKind::Owner => e.owner = field.text,
            FieldKind::Approver => e.approver = field.text,
            _ => e.due = due,
        });
    }

    /// The form with every field of the selected risk.
    fn risk_form(&mut self) {
        let Some(r) = self.selected_risk() else {
            return;
        };
        let e = &r.entry;
        let mut treatments = vec![(String::new(), Message::new("（未定）", "(not decided)"))];
        treatments.extend(Treatment::ALL.map(|t| {
            (
                t.as_str().to_string(),
                Message::new(t.name(Lang::Zh), t.name(Lang::En)),
            )
        }));
        let text = |key: &str, zh: &str, en: &str, value: &str| {
            Row::Field(FormField::text(key, Message::new(zh, en), value))
        };
        let rows = vec![
            Row::Heading(Message::new(
                "风险要素（1–5 级）",
                "Risk factors (levels 1–5)",
            )),
            level(
                "asset",
                "资产价值",
                "Asset value",
                Some(e.asset_value),
                false,
            ),
            level(
                "threat",
                "威胁频率",
                "Threat frequency",
                Some(e.threat_frequency),
                false,
            ),
            level(
                "severity",
                "脆弱性严重程度",
                "Vulnerability severity",
                Some(e.severity),
                false,
            ),
            text(
                "controls",
                "已有控制措施",
                "Existing controls",
                &e.existing_controls,
            ),
            Row::Heading(Message::new("处置", "Treatment")),
            Row::Field(
                FormField::text(
                    "treatment",
                    Message::new("处置方式", "Treatment"),
                    e.treatment.map_or("", |t| t.as_str()),
                )
                .with(Input::Choice(treatments)),
            ),
            text("owner", "责任人", "Owner", &e.owner),
            Row::Field(
                FormField::text(
                    "due",
                    Message::new("期限（YYYY-MM-DD）", "Due (YYYY-MM-DD)"),
                    e.due.map(|d| d.to_string()).unwrap_or_default(),
                )
                .with(Input::Date),
            ),
            level(
                "residual",
                "残余风险等级",
                "Residual level",
                e.residual,
                true,
            ),
            text("approver", "批准人", "Approver", &e.approver),
            text("note", "备注", "Note", &e.note),
        ];
        let mut form = Form::new(
            Message::new(
                format!("风险 {} 的登记内容", r.item),
                format!("Risk register entry of {}", r.item),
            ),
            rows,
            Message::new("保存", "Save"),
        );
        self.preview(&mut form);
        self.form = Some((Dialog::Risk { item: r.item }, form));
    }

    /// What the levels in the form come to under the checklist's method, shown as it changes.
    pub(super) fn preview(&self, form: &mut Form) {
        let Some(open) = &self.open else { return };
        let m = &open.checklist.method;
        let get = |k: &str| form.value(k).parse::<u8>().unwrap_or(1);
        let score = m.score(get("asset"), get("threat"), get("severity"));
        form.intro = Some(Message::new(
            format!(
                "可能性 {}、影响 {} → 风险等级 {}（{}）；接受 {} 级及以上的风险须有批准人",
                score.likelihood,
                score.impact,
                score.risk,
                m.level_name(score.risk, Lang::Zh),
                m.approval_from
            ),
            format!(
                "likelihood {}, impact {} → risk level {} ({}); accepting level {} or above needs an approver",
                score.likelihood,
                score.impact,
                score.risk,
                m.level_name(score.risk, Lang::En),
                m.approval_from
            ),
        ));
    }

    /// Saves the risk form through the core, which checks levels and approver.
    pub(super) fn submit_risk(&mut self, item: String, form: &Form) -> bool {
        let num = |k: &str| form.value(k).parse::<u8>().ok();
        let due = match form.value("due") {
            "" => None,
            text => match text.parse::<NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => {
                    self.say(true, not_a_date(text));
                    return false;
                }
            },
        };
        let treatment = Treatment::parse(form.value("treatment"));
        let (asset, threat, severity) = (num("asset"), num("threat"), num("severity"));
        let residual = num("residual");
        let controls = form.value("controls").to_string();
        let owner = form.value("owner").to_string();
        let approver = form.value("approver").to_string();
        let note = form.value("note").to_string();
        let text = Message::new(
            format!("{item} 风险已保存"),
            format!("risk of {item} saved"),
        );
        self.change(text, |s, cl| {
            s.update_risk(cl, &item, |e| {
                e.asset_value = asset.unwrap_or(0);
                e.threat_frequency = threat.unwrap_or(0);
                e.severity = severity.unwrap_or(0);
                e.existing_controls = controls;
                e.treatment = treatment;
                e.owner = owner;
                e.due = due;
                e.residual = residual;
                e.approver = approver;
                e.note = note;
            })
        })
    }

    /// The Risks screen's reaction to an action.
    pub fn handle_risks(&mut self, action: Action) {
        if self.field.is_some() || self.form.is_some() || self.sign.is_some() {
            return self.handle(action, 1);
        }
        if matches!(
            action,
            Action::Up | Action::Down | Action::Home | Action::End | Action::Open | Action::Back
        ) {
            self.status = None;
        }
        let n = self.risk_items().len();
        match action {
            Action::Up => self.risk_selected = self.risk_selected.saturating_sub(1),
            Action::Down => self.risk_selected = (self.risk_selected + 1).min(n.saturating_sub(1)),
            Action::Home => self.risk_selected = 0,
            Action::End => self.risk_selected = n.saturating_sub(1),
            Action::Open => {
                // The selected risk's cell alone, the selected risk still selected; again
                // for the whole register.
                let selected = self.selected_risk();
                self.cell = match (self.cell, &selected) {
                    (None, Some(r)) => Some((r.score.likelihood, r.score.impact)),
                    _ => None,
                };
                self.risk_selected = selected
                    .and_then(|sel| self.risk_items().iter().position(|r| r.item == sel.item))
                    .unwrap_or(0);
            }
            Action::Back => {
                let selected = self.selected_risk().map(|r| r.item);
                self.cell = None;
                self.risk_selected = selected
                    .and_then(|id| self.risk_items().iter().position(|r| r.item == id))
                    .unwrap_or(0);
            }
            _ if self.read_only() && is_risk_edit(&action) => self.say_read_only(),
            Action::CycleTreatment => {
                let next = match self.selected_risk().and_then(|r| r.entry.treatment) {
                    None => Treatment::Mitigate,
                    Some(t) => {
                        let i = Treatment::ALL.iter().position(|x| *x == t).unwrap_or(0);
                        Treatment::ALL[(i + 1) % Treatment::ALL.len()]
                    }
                };
                self.change_risk(|e| e.treatment = Some(next));
            }
            Action::EditOwner => self.start_risk_field(FieldKind::Owner),
            Action::EditApprover => self.start_risk_field(FieldKind::Approver),
            Action::EditDue => self.start_risk_field(FieldKind::Due),
            Action::EditRisk => self.risk_form(),
            _ => {}
        }
    }

    fn start_risk_field(&mut self, kind: FieldKind) {
        if self.selected_risk().is_some() {
            self.field = Some(Field {
                kind,
                text: String::new(),
            });
        }
    }
}

fn is_risk_edit(action: &Action) -> bool {
    matches!(
        action,
        Action::CycleTreatment
            | Action::EditOwner
            | Action::EditApprover
            | Action::EditDue
            | Action::EditRisk
    )
}

fn not_a_date(text: &str) -> Message {
    Message::new(
        format!("“{text}”不是日期（YYYY-MM-DD）"),
        format!("'{text}' is not a date (YYYY-MM-DD)"),
    )
}
