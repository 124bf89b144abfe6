//! Starting and finishing sessions on the Assessment screen: the form that starts a session
//! (scope, level, id, the signed session it supersedes) and the sign-off, which shows what will
//! be signed and by which unit and key, signs through the core, and offers the other unit's
//! signature when its key is at hand.

use super::app::Action;
use super::assess::{AssessState, Dialog};
use super::form::{Field, Form, Input, Outcome, Row};
use super::signing::{key_for, Choice, SignDialog, Signer};
use crate::assessment::definition::Checklist;
use crate::assessment::session::{Blocker, Session};
use crate::assessment::signoff::{self, SignState};
use crate::assessment::store::NewSession;
use crate::i18n::ledger::Message;
use crate::i18n::Lang;
use std::path::{Path, PathBuf};

impl AssessState {
    /// The form that starts a session of the checklist at `path`, superseding `old` if given.
    pub(super) fn new_session_form(&mut self, path: PathBuf, old: Option<String>) {
        let cl = match Checklist::load(&path) {
            Ok(c) => c,
            Err(e) => return self.say(true, Message::new(e.to_string(), e.to_string())),
        };
        let mut signed = vec![(String::new(), Message::new("（无）", "(none)"))];
        signed.extend(
            self.sessions
                .iter()
                .filter(|r| r.signed.is_some() && r.checklist == cl.id)
                .map(|r| (r.id.clone(), Message::new(r.id.clone(), r.id.clone()))),
        );
        let old_session = old.as_deref().and_then(|id| self.store.load(id).ok());
        let old_scope = old_session
            .as_ref()
            .map(|s| s.scope.clone())
            .unwrap_or_default();
        let mut rows = vec![
            Row::Field(
                Field::text("scope", Message::new("评估范围", "Scope"), old_scope).help(
                    Message::new(
                        "评估对象：系统、边界与时段，如“平台与政务云资源，2026 年度”",
                        "what is assessed: system, boundaries, period, e.g. “platform and government cloud, 2026”",
                    ),
                ),
            ),
            Row::Field(
                Field::text(
                    "level",
                    Message::new("保护等级", "Protection level"),
                    cl.protection_level.to_string(),
                )
                .with(Input::Number {
                    min: 1,
                    max: 5,
                    optional: false,
                }),
            ),
            Row::Field(Field::text(
                "id",
                Message::new("评估编号", "Session id"),
                self.store.free_id(&cl.id, self.as_of),
            )),
            Row::Field(
                Field::text(
                    "supersedes",
                    Message::new("替代的评估", "Supersedes"),
                    old.unwrap_or_default(),
                )
                .with(Input::Choice(signed)),
            ),
        ];
        // The checklist's conditions (e.g. on the government cloud), which decide what applies.
        let yes_no = vec![
            ("yes".to_string(), Message::new("是", "yes")),
            ("no".to_string(), Message::new("否", "no")),
        ];
        for c in &cl.conditions {
            let values = old_session
                .as_ref()
                .map(|s| s.conditions.clone())
                .unwrap_or_default();
            let on = crate::assessment::condition::value(&cl.conditions, &values, &c.id);
            rows.push(Row::Field(
                Field::text(
                    format!("condition.{}", c.id),
                    Message::new(c.name.clone(), c.name_en.clone()),
                    if on { "yes" } else { "no" },
                )
                .with(Input::Choice(yes_no.clone()))
                .help(Message::new(c.basis.clone(), c.basis_en.clone())),
            ));
        }
        let form = Form::new(
            Message::new(
                format!("新建评估：{}", cl.title),
                format!("New assessment: {}", cl.title_en),
            ),
            rows,
            Message::new("开始评估", "Start"),
        )
        .intro(Message::new(
            format!(
                "{} v{}，{} 项；替代已签署的评估时沿用其答复，任何改动都需对方重新确认",
                cl.id,
                cl.version,
                cl.items.len()
            ),
            format!(
                "{} v{}, {} items; a session superseding a signed one starts from its answers, and every change needs the other unit's confirmation again",
                cl.id,
                cl.version,
                cl.items.len()
            ),
        ));
        self.form = Some((Dialog::NewSession { path }, form));
    }

    /// `N` on a signed session: a new session that supersedes it.
    pub(super) fn start_superseding(&mut self) {
        let Some(open) = &self.open else { return };
        if open.session.signoff.is_none() {
            return self.say(
                true,
                Message::new(
                    "本评估尚未签署，可直接修改；只有已签署的评估才需替代",
                    "this assessment is not signed and can simply be changed; only a signed one is superseded",
                ),
            );
        }
        let path = self.ws.root.join(&open.session.checklist.file);
        let id = open.session.id.clone();
        self.refresh_picks();
        self.new_session_form(path, Some(id));
    }

    fn submit_new_session(&mut self, path: &Path, form: &mut Form) -> bool {
        if form.value("scope").is_empty() {
            form.select("scope");
            form.status = Some(super::text::Status::error(Message::new(
                "请填写评估范围：评估的系统、边界与时段",
                "say what is assessed: the system, its boundaries, the period",
            )));
            return false;
        }
        let cl = match Checklist::load(path) {
            Ok(c) => c,
            Err(e) => {
                form.status = Some(super::text::Status::error(Message::new(
                    e.to_string(),
                    e.to_string(),
                )));
                return false;
            }
        };
        let rel = path
            .strip_prefix(&self.ws.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let new = NewSession {
            id: Some(form.value("id").to_string()).filter(|s| !s.is_empty()),
            level: form.value("level").parse().ok(),
            scope: form.value("scope").to_string(),
            supersedes: Some(form.value("supersedes").to_string()).filter(|s| !s.is_empty()),
            conditions: Some(
                cl.conditions
                    .iter()
                    .map(|c| {
                        let on = form.value(&format!("condition.{}", c.id)) == "yes";
                        (c.id.clone(), on)
                    })
                    .collect(),
            ),
        };
        match self
            .store
            .start(&cl, rel, new, self.as_of, crate::ledger::now_rfc3339())
        {
            Ok(session) => {
                self.refresh_picks();
                self.open_session(&session.id);
                self.say(
                    false,
                    Message::new(
                        format!("已新建评估 {}", session.id),
                        format!("started assessment {}", session.id),
                    ),
                );
                true
            }
            Err(e) => {
                form.status = Some(super::text::Status::error(e.0));
                false
            }
        }
    }

    /// Keys while a form is open.
    pub(super) fn handle_form(&mut self, action: Action) {
        let Some((dialog, mut form)) = self.form.take() else {
            return;
        };
        let done = match form.handle(action) {
            Outcome::Cancel => true,
            Outcome::Submit => match &dialog {
                Dialog::NewSession { path } => self.submit_new_session(path, &mut form),
                Dialog::Risk { item } => {
                    let saved = self.submit_risk(item.clone(), &form);
                    if !saved {
                        form.status = self.status.take();
                    }
                    saved
                }
            },
            Outcome::Editing | Outcome::Add { .. } => {
                if matches!(dialog, Dialog::Risk { .. }) {
                    self.preview(&mut form);
                }
                false
            }
        };
        if !done {
            self.form = Some((dialog, form));
        }
    }

    /// `S`: the sign-off dialog when the session is ready, else what still stands in the way.
    pub(super) fn start_signing(&mut self) {
        let Some(open) = &self.open else { return };
        let (cl, session) = (&open.checklist, &open.session);
        if session.signoff.is_none() {
            let blockers = session.blockers(cl);
            if !blockers.is_empty() {
                let text = blockers_text(&blockers);
                return self.say(true, text);
            }
        }
        let missing: Vec<String> = match &open.sign_state {
            SignState::Open => cl.roles.iter().map(|r| r.id.clone()).collect(),
            SignState::Awaiting { missing, .. } => missing.clone(),
            SignState::Signed { .. } => {
                let text = Message::new(
                    open.sign_state
                        .describe(Lang::Zh, &|u| cl.role_name(u, Lang::Zh)),
                    open.sign_state
                        .describe(Lang::En, &|u| cl.role_name(u, Lang::En)),
                );
                return self.say(false, text);
            }
        };
        let facts = match sign_facts(&self.ws, cl, session, &open.sign_state) {
            Ok(f) => f
                .into_iter()
                .map(|(label, value)| (label, Message::new(value.clone(), value)))
                .collect(),
            Err(e) => return self.fail(&e),
        };
        let ledger = match crate::ledger::Ledger::open(&self.ws) {
            Ok(l) => l,
            Err(e) => return self.say(true, super::signing::ledger_message(&e)),
        };
        let mut signers: Vec<Signer> = missing
            .iter()
            .map(|unit| Signer {
                unit: unit.clone(),
                name: Message::new(
                    unit_label(&self.ws, cl, unit, Lang::Zh),
                    unit_label(&self.ws, cl, unit, Lang::En),
                ),
                key: key_for(&ledger, &self.keys, unit),
            })
            .collect();
        // The acting person's own unit first.
        signers.sort_by_key(|s| s.unit != self.role);
        let title = match &open.sign_state {
            SignState::Open => Message::new(
                format!("签署评估 {}", session.id),
                format!("Sign assessment {}", session.id),
            ),
            _ => Message::new(
                format!("会签评估 {}", session.id),
                format!("Co-sign assessment {}", session.id),
            ),
        };
        self.sign = Some(SignDialog::new(title, facts, signers));
    }

    /// Keys while the sign-off dialog is open.
    pub(super) fn handle_sign(&mut self, action: Action) {
        let Some(mut dialog) = self.sign.take() else {
            return;
        };
        match dialog.handle(action) {
            Choice::Cancel => {}
            Choice::Waiting => self.sign = Some(dialog),
            Choice::Sign(i) => {
                let key = match dialog.key(i) {
                    Ok(k) => k,
                    Err(why) => {
                        dialog.status = Some(super::text::Status::error(why));
                        self.sign = Some(dialog);
                        return;
                    }
                };
                let Some(open) = &self.open else { return };
                let id = open.session.id.clone();
                match signoff::sign(&self.ws, &open.checklist, &self.store, &id, &[key]) {
                    Ok(state) => {
                        let fresh = self.store.load(&id);
                        let open = self.open.as_mut().expect("open");
                        if let Ok(s) = fresh {
                            open.stamp = super::stamp::Stamp::of(&self.store.path(&id));
                            open.session = s;
                        }
                        let cl = &open.checklist;
                        let text = Message::new(
                            state.describe(Lang::Zh, &|u| cl.role_name(u, Lang::Zh)),
                            state.describe(Lang::En, &|u| cl.role_name(u, Lang::En)),
                        );
                        open.sign_state = state;
                        self.say(false, text);
                        // The other unit's signature, when its key is at hand here too.
                        let offer = matches!(
                            self.open.as_ref().map(|o| &o.sign_state),
                            Some(SignState::Awaiting { .. })
                        );
                        if offer {
                            let status = self.status.clone();
                            self.start_signing();
                            if !self.sign.as_ref().is_some_and(SignDialog::can_sign) {
                                self.sign = None;
                            }
                            self.status = status;
                        }
                    }
                    Err(e) => {
                        dialog.status = Some(super::text::Status::error(e.0));
                        self.sign = Some(dialog);
                    }
                }
            }
        }
    }

    /// What still stands between the open session and its sign-off, or that it is ready.
    pub fn readiness(&self) -> Option<Message> {
        let open = self.open.as_ref()?;
        match &open.sign_state {
            SignState::Open => {
                let blockers = open.session.blockers(&open.checklist);
                Some(if blockers.is_empty() {
                    Message::new(
                        "所有适用项均已答复并确认，风险均已处置：按 S 签署",
                        "all items answered and confirmed, all risks treated: press S to sign",
                    )
                } else {
                    blockers_text(&blockers)
                })
            }
            SignState::Awaiting { .. } => Some(Message::new(
                "已签署，只读；另一方的私钥在手边时按 S 会签；按 N 新建替代评估",
                "signed and read-only; press S to co-sign when the other unit's key is at hand, N to start a superseding session",
            )),
            SignState::Signed { .. } => Some(Message::new(
                "双方已签署，只读；如需变更，按 N 新建替代评估",
                "signed by both units and read-only; for a change press N to start a superseding session",
            )),
        }
    }
}

/// "3 to answer, 2 to confirm, 1 risk to treat" before a sign-off.
fn blockers_text(blockers: &[Blocker]) -> Message {
    let count = |f: fn(&Blocker) -> bool| blockers.iter().filter(|b| f(b)).count();
    let unanswered = count(|b| matches!(b, Blocker::Unanswered { .. }));
    let unconfirmed = count(|b| matches!(b, Blocker::Unconfirmed { .. }));
    let untreated = count(|b| matches!(b, Blocker::NoTreatment { .. }));
    let approver = count(|b| matches!(b, Blocker::AcceptWithoutApprover { .. }));
    let first = blockers.first().map_or(String::new(), |b| match b {
        Blocker::Unanswered { item }
        | Blocker::Unconfirmed { item, .. }
        | Blocker::NoTreatment { item }
        | Blocker::AcceptWithoutApprover { item } => item.clone(),
    });
    Message::new(
        format!(
            "尚不能签署：待答复 {unanswered} 项、待确认 {unconfirmed} 项、待处置风险 {untreated} 项、待批准 {approver} 项（首项 {first}）"
        ),
        format!(
            "not ready to sign: {unanswered} to answer, {unconfirmed} to confirm, {untreated} risks to treat, {approver} to approve (first: {first})"
        ),
    )
}

/// "项目建设单位 · 山西示例数智科技有限公司" for a role of the checklist.
fn unit_label(ws: &crate::workspace::Workspace, cl: &Checklist, unit: &str, lang: Lang) -> String {
    let org = crate::drill::unit_name(ws, unit, lang);
    let role = cl.role_name(unit, lang);
    if org == unit || org == role {
        role
    } else {
        format!("{role} · {org}")
    }
}

/// What the sign-off record will hold, read from the body the core signs (or, for a
/// co-signature, the record already filed).
fn sign_facts(
    ws: &crate::workspace::Workspace,
    cl: &Checklist,
    session: &Session,
    state: &SignState,
) -> Result<Vec<(Message, String)>, crate::assessment::Error> {
    let label = |zh: &str, en: &str| Message::new(zh, en);
    let body = signoff::body(ws, cl, session);
    let sum = &body["summary"];
    let n = |k: &str| sum[k].as_u64().unwrap_or(0);
    let mut facts = vec![
        (
            label("评估", "Session"),
            format!("{} · {}", session.id, session.scope),
        ),
        (
            label("检查表", "Checklist"),
            format!(
                "{} v{} · {} · {}",
                cl.id,
                cl.version,
                session.checklist.file,
                short_hash(&cl.hash)
            ),
        ),
        (
            label("答复", "Answers"),
            format!(
                "{} · ✓{} ◐{} ✗{} –{}",
                n("applicable"),
                n("conforming"),
                n("partly"),
                n("not_conforming"),
                n("not_applicable")
            ),
        ),
    ];
    let risks = session.risk_views(cl);
    let mut by_level = [0usize; 5];
    for r in &risks {
        by_level[usize::from(r.score.risk.clamp(1, 5)) - 1] += 1;
    }
    let levels: Vec<String> = (1..=5u8)
        .rev()
        .filter(|l| by_level[usize::from(*l) - 1] > 0)
        .map(|l| format!("L{l}×{}", by_level[usize::from(l) - 1]))
        .collect();
    facts.push((
        label("风险", "Risks"),
        format!("{} {}", risks.len(), levels.join(" ")),
    ));
    let evidence = signoff::evidence_paths(&ws.root, session, cl)?;
    let names: Vec<String> = evidence
        .iter()
        .map(|p| p.strip_prefix(&ws.root).unwrap_or(p).display().to_string())
        .collect();
    facts.push((
        label("证据", "Evidence"),
        format!(
            "{} + {} {}",
            session.checklist.file,
            names.len(),
            names.join(", ")
        ),
    ));
    if let Some(s) = &session.supersedes {
        facts.push((
            label("替代", "Supersedes"),
            format!("{} (#{})", s.session, s.seq),
        ));
    }
    let record = match state {
        SignState::Open => format!(
            "{} · {}",
            signoff::SIGNOFF_KIND,
            cl.roles
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        SignState::Awaiting { seq, .. } | SignState::Signed { seq, .. } => {
            let leaf = session
                .signoff
                .as_ref()
                .map(|s| short_hash(&s.leaf_hash))
                .unwrap_or_default();
            format!("#{seq} {} · {leaf}", signoff::SIGNOFF_KIND)
        }
    };
    facts.push((label("账本记录", "Ledger record"), record));
    Ok(facts)
}

/// `sha256:0a1b2c3d…` — enough of a hash to compare by eye.
pub(super) fn short_hash(hash: &str) -> String {
    let cut = hash.find(':').map_or(0, |i| i + 1) + 16;
    if hash.len() > cut {
        format!("{}…", &hash[..cut])
    } else {
        hash.to_string()
    }
}
