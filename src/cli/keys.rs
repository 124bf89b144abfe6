//! `anbao keys`: make signing keys and enrol, rotate and revoke them in the ledger; `keys/` is
//! the readable copy of what the ledger enrols.

use super::output::{write_json, Table, BOLD, DIM, RED, YELLOW};
use super::{workspace, Context, Outcome};
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::Lang;
use crate::ledger::enrol::{proof_of_possession, Authority, KeyDescriptor};
use crate::ledger::keyring::{keys_at_hand, EnrolOutcome};
use crate::ledger::keys::{
    self, default_key_dir, ensure_not_in_workspace, public_key_file, SigningKey,
};
use crate::ledger::verify::KeyRow;
use crate::ledger::{Ledger, LedgerError, SigAlg};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a key pair for a unit and enrol it: the private key (mode 0600) outside the
    /// workspace, a key record in the ledger, the public key into keys/ / 为单位生成并登记密钥
    New {
        /// The unit the key signs for: implementing, construction, supervision, ...
        #[arg(long)]
        unit: String,
        /// Where to save the private key (default: the user's anbao key folder)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Signature algorithm (default: the workspace's crypto profile)
        #[arg(long, value_enum)]
        alg: Option<AlgArg>,
        /// The private key that authorises the enrolment (default: found among your keys)
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Enrol keys made elsewhere (public key files from `keys new` or `keys public`, or
    /// private key files); with no FILE, every key of keys/ the ledger does not enrol yet,
    /// which is how a workspace from an earlier anbao migrates / 登记密钥
    #[command(alias = "trust")]
    Enrol {
        files: Vec<PathBuf>,
        /// Private keys that may authorise (default: found among your keys)
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Replace a unit's key with a new one, signed by the old key / 轮换密钥
    Rotate {
        #[arg(long)]
        unit: String,
        /// The current private key of the unit (default: found among your keys)
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        /// Where to save the new private key
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Revoke a key: it signs nothing after this record / 吊销密钥
    Revoke {
        key_id: String,
        /// Why, for the record (e.g. "lost", "compromised")
        #[arg(long)]
        reason: String,
        /// A current private key of the same unit or of the founding unit
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Write the public key file of a private key, with its proof of possession, to send to
    /// the unit that enrols it / 导出公钥文件
    Public {
        /// The private key file
        key: PathBuf,
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the keys: what the ledger enrols, and the files of keys/ / 列出密钥
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AlgArg {
    Ed25519,
    Sm2,
}

fn unit_name(ws: &crate::workspace::Workspace, unit: &str) -> Option<String> {
    let units = &ws.manifest.units;
    match unit {
        "implementing" => Some(&units.implementing),
        "construction" => Some(&units.construction),
        "supervision" => units.supervision.as_ref(),
        _ => None,
    }
    .map(|u| u.name.clone())
}

/// One line of what a command did, in the user's language.
fn say(out: &mut impl Write, lang: Lang, zh: String, en: String) -> anyhow::Result<()> {
    writeln!(out, "{}", if lang == Lang::Zh { zh } else { en })?;
    Ok(())
}

/// Tells what enrolling one key came to; returns whether it is enrolled.
fn say_outcome(out: &mut impl Write, lang: Lang, o: &EnrolOutcome) -> anyhow::Result<bool> {
    match o {
        EnrolOutcome::Enrolled {
            key_id,
            unit,
            seq,
            by,
            founding: true,
            ..
        } => say(
            out,
            lang,
            format!("{BOLD}已登记{BOLD:#} {key_id}（{unit}）为账本的创始密钥，第 {seq} 号记录（自签 {by}）。请将此密钥指纹与首个检查点一并报主管部门备案：`anbao ledger verify --trust` 即以此为据"),
            format!("{BOLD}enrolled{BOLD:#} {key_id} ({unit}) as the ledger's founding key, record {seq} (signed by itself). File this fingerprint with the authority together with the first checkpoint: it is what `anbao ledger verify --trust` checks"),
        )
        .map(|_| true),
        EnrolOutcome::Enrolled {
            key_id, unit, seq, by, ..
        } => say(
            out,
            lang,
            format!("{BOLD}已登记{BOLD:#} {key_id}（{unit}），第 {seq} 号记录，由 {by} 批准"),
            format!("{BOLD}enrolled{BOLD:#} {key_id} ({unit}) by record {seq}, authorised by {by}"),
        )
        .map(|_| true),
        EnrolOutcome::Already { key_id, unit, seq } => say(
            out,
            lang,
            format!("{DIM}{key_id}（{unit}）已于第 {seq} 号记录登记{DIM:#}"),
            format!("{DIM}{key_id} ({unit}) was enrolled by record {seq} already{DIM:#}"),
        )
        .map(|_| true),
        EnrolOutcome::Skipped {
            key_id,
            unit,
            error,
        } => say(
            out,
            lang,
            format!("{RED}未登记{RED:#} {key_id}（{unit}）：{error}"),
            format!("{RED}not enrolled{RED:#} {key_id} ({unit}): {error}"),
        )
        .map(|_| false),
    }
}

#[derive(Serialize)]
struct NewKey {
    key_id: String,
    alg: &'static str,
    unit: String,
    private_key: String,
    public_key: String,
    enrolled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<String>,
    founding: bool,
}

pub fn run(ctx: &Context, cmd: KeysCommand) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let err = |e: LedgerError| anyhow::anyhow!(t::error(lang, &e));
    let mut out = anstream::stdout().lock();
    if let KeysCommand::Public { key, output } = &cmd {
        let k = SigningKey::load(key).map_err(err)?;
        let descriptor = KeyDescriptor::new(&k.public(), &k.unit, None);
        let proof = proof_of_possession(&k, &descriptor).map_err(err)?;
        let file = public_key_file(&k.public(), &k.unit, None, &crate::ledger::now_rfc3339())
            .with_proof(&proof);
        let mut text = serde_json::to_string_pretty(&file)?;
        text.push('\n');
        match output {
            Some(p) => crate::fsutil::write_atomic(p, text.as_bytes())
                .map_err(|e| err(LedgerError::io("write", p, e)))?,
            None => out.write_all(text.as_bytes())?,
        }
        return Ok(Outcome::Clean);
    }
    let ws = workspace(ctx)?;
    let ledger = Ledger::open(&ws).map_err(err)?;
    match cmd {
        KeysCommand::New {
            unit,
            out: path,
            alg,
            keys: authorisers,
            format,
        } => {
            let alg = match alg {
                Some(AlgArg::Ed25519) => SigAlg::Ed25519,
                Some(AlgArg::Sm2) => SigAlg::Sm2,
                None => ledger.sig_alg(),
            };
            let mut key = SigningKey::generate(alg, &unit).map_err(err)?;
            let path = path.unwrap_or_else(|| default_key_dir().join(key.file_name()));
            ensure_not_in_workspace(&path, &ws.root).map_err(err)?;
            key.save(&path, &crate::ledger::now_rfc3339())
                .map_err(err)?;
            let descriptor =
                KeyDescriptor::new(&key.public(), &unit, unit_name(&ws, &unit).as_deref());
            let proof = proof_of_possession(&key, &descriptor).map_err(err)?;
            let folder = path.parent().unwrap_or(Path::new("."));
            let mut at_hand = keys_at_hand(&authorisers, &[folder]).map_err(err)?;
            at_hand.retain(|k| k.key_id != key.key_id);
            let history = ledger.key_history().map_err(err)?;
            let authority = history.authority(&unit);
            at_hand.insert(0, SigningKey::load(&path).map_err(err)?);
            let mut info = NewKey {
                key_id: key.key_id.clone(),
                alg: alg.name(),
                unit: unit.clone(),
                private_key: path.display().to_string(),
                public_key: String::new(),
                enrolled: false,
                seq: None,
                founding: authority == Authority::Founding,
            };
            match ledger.enrol_one(&history, &descriptor, Some(&proof), &at_hand) {
                Ok((record, file)) => {
                    info.enrolled = true;
                    info.seq = Some(record.seq().to_string());
                    info.public_key = file.display().to_string();
                    if format == Format::Json {
                        write_json(&mut out, "anbao.keys.new/1", &info)?;
                        return Ok(Outcome::Clean);
                    }
                    say_outcome(
                        &mut out,
                        lang,
                        &EnrolOutcome::Enrolled {
                            key_id: key.key_id.clone(),
                            unit: unit.clone(),
                            seq: record.seq(),
                            by: record.entry.signer.clone(),
                            founding: info.founding,
                            file,
                        },
                    )?;
                }
                Err(e @ LedgerError::NoAuthoriser { .. }) => {
                    // The key is made; its unit's authority enrols it from the public file.
                    let pending = path.with_extension("json");
                    let file = public_key_file(
                        &key.public(),
                        &unit,
                        descriptor.unit_name.as_deref(),
                        &crate::ledger::now_rfc3339(),
                    )
                    .with_proof(&proof);
                    let mut text = serde_json::to_string_pretty(&file)?;
                    text.push('\n');
                    crate::fsutil::write_atomic(&pending, text.as_bytes())
                        .map_err(|e| err(LedgerError::io("write", &pending, e)))?;
                    info.public_key = pending.display().to_string();
                    if format == Format::Json {
                        write_json(&mut out, "anbao.keys.new/1", &info)?;
                        return Ok(Outcome::Clean);
                    }
                    say(
                        &mut out,
                        lang,
                        format!("{YELLOW}密钥已生成但尚未登记{YELLOW:#}：{}。请将 {} 交给该单位，由其运行 `anbao keys enrol '{}'`", t::error(lang, &e), pending.display(), pending.display()),
                        format!("{YELLOW}made the key, not enrolled yet{YELLOW:#}: {e}. Send {} to that unit to run `anbao keys enrol '{}'`", pending.display(), pending.display()),
                    )?;
                }
                Err(e) => return Err(err(e)),
            }
            if format == Format::Table {
                say(
                    &mut out,
                    lang,
                    format!("  私钥（仅本人可读，切勿放入工作区）：{}", info.private_key),
                    format!(
                        "  private key (owner-only, never put it in a workspace): {}",
                        info.private_key
                    ),
                )?;
                say(
                    &mut out,
                    lang,
                    format!(
                        "{DIM}签名时 anbao 依次查找 --key 文件、ANBAO_KEY、以及 {}{DIM:#}",
                        default_key_dir().display()
                    ),
                    format!(
                        "{DIM}to sign, anbao looks at --key FILE, then ANBAO_KEY, then {}{DIM:#}",
                        default_key_dir().display()
                    ),
                )?;
            }
        }
        KeysCommand::Enrol {
            files,
            keys: authorisers,
            format,
        } => {
            let mut at_hand = keys_at_hand(&authorisers, &[]).map_err(err)?;
            let outcomes = if files.is_empty() {
                ledger.enrol_key_files(&at_hand).map_err(err)?
            } else {
                let mut outcomes = Vec::new();
                for file in &files {
                    let (descriptor, proof) =
                        read_key_to_enrol(&ws, file, &mut at_hand).map_err(err)?;
                    let history = ledger.key_history().map_err(err)?;
                    let outcome = match history.get(&descriptor.key_id) {
                        Some(k) => EnrolOutcome::Already {
                            key_id: descriptor.key_id.clone(),
                            unit: descriptor.unit.clone(),
                            seq: k.enrolled,
                        },
                        None => match ledger.enrol_one(
                            &history,
                            &descriptor,
                            proof.as_deref(),
                            &at_hand,
                        ) {
                            Ok((record, file)) => EnrolOutcome::Enrolled {
                                key_id: descriptor.key_id.clone(),
                                unit: descriptor.unit.clone(),
                                seq: record.seq(),
                                by: record.entry.signer.clone(),
                                founding: history.founding_unit().is_none(),
                                file,
                            },
                            Err(e) => EnrolOutcome::Skipped {
                                key_id: descriptor.key_id.clone(),
                                unit: descriptor.unit.clone(),
                                error: t::error(lang, &e),
                            },
                        },
                    };
                    outcomes.push(outcome);
                }
                outcomes
            };
            let all = outcomes
                .iter()
                .all(|o| !matches!(o, EnrolOutcome::Skipped { .. }));
            if format == Format::Json {
                write_json(&mut out, "anbao.keys.enrol/1", &outcome_rows(&outcomes))?;
            } else {
                if outcomes.is_empty() {
                    say(
                        &mut out,
                        lang,
                        "keys/ 中没有需要登记的密钥".into(),
                        "no key in keys/ to enrol".into(),
                    )?;
                }
                for o in &outcomes {
                    say_outcome(&mut out, lang, o)?;
                }
            }
            if !all {
                anyhow::bail!(match lang {
                    Lang::Zh => "部分密钥未能登记（原因见上）",
                    Lang::En => "some keys could not be enrolled (see above)",
                });
            }
        }
        KeysCommand::Rotate {
            unit,
            keys: current,
            out: path,
            format,
        } => {
            let history = ledger.key_history().map_err(err)?;
            // The old key may be of the other profile's algorithm; the new one is this one's.
            let old = keys_at_hand(&current, &[])
                .map_err(err)?
                .into_iter()
                .find(|k| {
                    k.unit == unit && history.get(&k.key_id).is_some_and(|e| e.ended.is_none())
                })
                .ok_or_else(|| {
                    err(LedgerError::NoAuthoriser {
                        unit: unit.clone(),
                        by: unit.clone(),
                    })
                })?;
            let mut new = SigningKey::generate(ledger.sig_alg(), &unit).map_err(err)?;
            let path = path.unwrap_or_else(|| default_key_dir().join(new.file_name()));
            ensure_not_in_workspace(&path, &ws.root).map_err(err)?;
            new.save(&path, &crate::ledger::now_rfc3339())
                .map_err(err)?;
            let (record, file) = ledger
                .rotate(&old, &new, unit_name(&ws, &unit).as_deref())
                .map_err(err)?;
            if format == Format::Json {
                write_json(
                    &mut out,
                    "anbao.keys.rotate/1",
                    &serde_json::json!({
                        "unit": unit, "old": old.key_id, "new": new.key_id,
                        "seq": record.seq().to_string(), "private_key": path.display().to_string(),
                        "public_key": file.display().to_string(),
                    }),
                )?;
            } else {
                say(
                    &mut out,
                    lang,
                    format!("{BOLD}已轮换 {unit} 的密钥{BOLD:#}：{} → {}（第 {} 号记录）；旧密钥此后不再能签名。新私钥：{}", old.key_id, new.key_id, record.seq(), path.display()),
                    format!("{BOLD}rotated the key of {unit}{BOLD:#}: {} → {} (record {}); the old key signs nothing after it. New private key: {}", old.key_id, new.key_id, record.seq(), path.display()),
                )?;
            }
        }
        KeysCommand::Revoke {
            key_id,
            reason,
            keys: explicit,
            format,
        } => {
            let history = ledger.key_history().map_err(err)?;
            let target = history.get(&key_id).ok_or_else(|| {
                err(LedgerError::KeyRecord(format!(
                    "the ledger enrols no key '{key_id}'"
                )))
            })?;
            // Another key of the unit first, the key itself next, the founding unit last.
            let rank = |k: &SigningKey| {
                if k.unit == target.unit && k.key_id != key_id {
                    0
                } else if k.key_id == key_id {
                    1
                } else {
                    2
                }
            };
            let mut at_hand: Vec<SigningKey> = keys_at_hand(&explicit, &[])
                .map_err(err)?
                .into_iter()
                .filter(|k| {
                    let current = history.get(&k.key_id).is_some_and(|e| e.ended.is_none());
                    current
                        && (k.unit == target.unit
                            || history.founding_unit() == Some(k.unit.as_str()))
                })
                .collect();
            at_hand.sort_by_key(rank);
            let by = at_hand.first().ok_or_else(|| {
                err(LedgerError::NoAuthoriser {
                    unit: target.unit.clone(),
                    by: target.unit.clone(),
                })
            })?;
            let record = ledger.revoke(&key_id, &reason, by).map_err(err)?;
            if format == Format::Json {
                write_json(
                    &mut out,
                    "anbao.keys.revoke/1",
                    &serde_json::json!({"key_id": key_id, "seq": record.seq().to_string(), "by": by.key_id}),
                )?;
            } else {
                say(
                    &mut out,
                    lang,
                    format!("{BOLD}已吊销{BOLD:#} {key_id}（第 {} 号记录，由 {} 签署）；此后该密钥的签名均无效", record.seq(), by.key_id),
                    format!("{BOLD}revoked{BOLD:#} {key_id} (record {}, signed by {}); its signatures count for nothing after it", record.seq(), by.key_id),
                )?;
            }
        }
        KeysCommand::List { format } => list(&mut out, lang, &ledger, format)?,
        KeysCommand::Public { .. } => unreachable!("handled above"),
    }
    Ok(Outcome::Clean)
}

/// A public key file (which must carry its proof) or a private key file (which makes one);
/// a private key given this way also joins the keys at hand.
fn read_key_to_enrol(
    ws: &crate::workspace::Workspace,
    file: &Path,
    at_hand: &mut Vec<SigningKey>,
) -> Result<(KeyDescriptor, Option<Vec<u8>>), LedgerError> {
    let bytes = std::fs::read(file).map_err(|e| LedgerError::io("read", file, e))?;
    if let Ok(k) = keys::parse_public_key_file(&bytes) {
        let descriptor = KeyDescriptor::new(&k.public, &k.unit, k.unit_name.as_deref());
        // The proof covers the unit name as the holder wrote it.
        let descriptor = KeyDescriptor {
            unit_name: k.unit_name.clone(),
            ..descriptor
        };
        return Ok((descriptor, k.proof));
    }
    let k = SigningKey::load(file)?;
    let descriptor = KeyDescriptor::new(&k.public(), &k.unit, unit_name(ws, &k.unit).as_deref());
    let proof = proof_of_possession(&k, &descriptor)?;
    at_hand.push(k);
    Ok((descriptor, Some(proof)))
}

fn outcome_rows(outcomes: &[EnrolOutcome]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| match o {
            EnrolOutcome::Enrolled {
                key_id,
                unit,
                seq,
                by,
                founding,
                file,
            } => serde_json::json!({"key_id": key_id, "unit": unit, "status": "enrolled",
                "seq": seq.to_string(), "by": by, "founding": founding, "file": file.display().to_string()}),
            EnrolOutcome::Already { key_id, unit, seq } => serde_json::json!({"key_id": key_id,
                "unit": unit, "status": "already", "seq": seq.to_string()}),
            EnrolOutcome::Skipped {
                key_id,
                unit,
                error,
            } => serde_json::json!({"key_id": key_id, "unit": unit, "status": "skipped", "error": error}),
        })
        .collect();
    serde_json::json!({ "keys": rows })
}

fn list(out: &mut impl Write, lang: Lang, ledger: &Ledger, format: Format) -> anyhow::Result<()> {
    let err = |e: LedgerError| anyhow::anyhow!(t::error(lang, &e));
    let history = ledger.key_history().map_err(err)?;
    let files = ledger.key_files().map_err(err)?;
    let enrolled = KeyRow::all(&history);
    let file_of = |id: &str| {
        files
            .get(id)
            .and_then(|k| k.file.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let stray: Vec<&keys::TrustedKey> = files
        .keys
        .values()
        .filter(|k| history.get(&k.key_id).is_none())
        .collect();
    if format == Format::Json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            key: &'a KeyRow,
            file: Option<String>,
        }
        #[derive(Serialize)]
        struct Stray {
            key_id: String,
            unit: String,
            status: &'static str,
            file: String,
        }
        #[derive(Serialize)]
        struct Problem {
            file: String,
            message: String,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            founding_unit: Option<&'a str>,
            keys: Vec<Row<'a>>,
            not_enrolled: Vec<Stray>,
            problems: Vec<Problem>,
        }
        let body = Body {
            founding_unit: history.founding_unit(),
            keys: enrolled
                .iter()
                .map(|k| Row {
                    key: k,
                    file: file_of(&k.key_id),
                })
                .collect(),
            not_enrolled: stray
                .iter()
                .map(|k| Stray {
                    key_id: k.key_id.clone(),
                    unit: k.unit.clone(),
                    status: "not-enrolled",
                    file: k.file.display().to_string(),
                })
                .collect(),
            problems: files
                .problems
                .iter()
                .map(|p| Problem {
                    file: p.file.display().to_string(),
                    message: p.message.clone(),
                })
                .collect(),
        };
        return write_json(out, "anbao.keys.list/1", &body);
    }
    let status = |s: &str| match (lang, s) {
        (Lang::Zh, "current") => "现行",
        (Lang::Zh, "rotated") => "已轮换",
        (Lang::Zh, "revoked") => "已吊销",
        (Lang::Zh, _) => "未登记",
        (Lang::En, "not-enrolled") => "not enrolled",
        (Lang::En, s) => match s {
            "current" => "current",
            "rotated" => "rotated",
            _ => "revoked",
        },
    };
    let mut table = Table::new(&[
        t::label(lang, Label::Key),
        t::label(lang, Label::Unit),
        t::label(lang, Label::Status),
        t::label(lang, Label::Seq),
        t::label(lang, Label::File),
    ]);
    for k in &enrolled {
        table.row(vec![
            k.key_id.clone(),
            match &k.unit_name {
                Some(n) => format!("{} {n}", k.unit),
                None => k.unit.clone(),
            },
            format!("{}{}", status(k.status), if k.founding { " ★" } else { "" }),
            match k.ended {
                Some(end) => format!("#{}–#{end}", k.enrolled),
                None => format!("#{}", k.enrolled),
            },
            file_of(&k.key_id).unwrap_or_default(),
        ]);
    }
    for k in &stray {
        table.row(vec![
            k.key_id.clone(),
            k.unit.clone(),
            status("not-enrolled").to_string(),
            String::new(),
            k.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ]);
    }
    table.write(out)?;
    if history.founding_unit().is_some() {
        say(
            out,
            lang,
            format!("{DIM}★ 创始密钥：其指纹应向主管部门备案（anbao ledger verify --trust）{DIM:#}"),
            format!("{DIM}★ founding key: file its fingerprint with the authority (anbao ledger verify --trust){DIM:#}"),
        )?;
    }
    if !stray.is_empty() {
        say(
            out,
            lang,
            format!("{YELLOW}keys/ 中有账本未登记的密钥；用 `anbao keys enrol` 登记（早期版本的工作区由此迁移）或删除{YELLOW:#}"),
            format!("{YELLOW}keys/ holds keys the ledger does not enrol: enrol them with `anbao keys enrol` (how a workspace from an earlier anbao migrates) or remove them{YELLOW:#}"),
        )?;
    }
    for p in &files.problems {
        writeln!(
            out,
            "{RED}{}{RED:#} {}: {}",
            t::label(lang, Label::Problems),
            p.file.display(),
            p.message
        )?;
    }
    Ok(())
}
