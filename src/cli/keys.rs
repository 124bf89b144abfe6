//! `anbao keys`: make signing keys, list and extend the workspace trust store `keys/`.

use super::output::{write_json, Table, BOLD, DIM, RED};
use super::{workspace, Context, Outcome};
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::Lang;
use crate::ledger::keys::{self, default_key_dir, ensure_outside, public_key_file, SigningKey};
use crate::ledger::{Ledger, LedgerError, SigAlg};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a key pair for a unit: the private key (mode 0600) outside the workspace, the
    /// public key into keys/ / 为单位生成密钥对
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
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// List the trusted public keys in keys/ / 列出信任库中的公钥
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Trust a public key: a public key file, or the public half of a private key file
    /// / 将公钥加入信任库
    Trust {
        /// A public key file (*.json) or a private key file (*.key)
        file: PathBuf,
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

fn unit_name(ws: &crate::workspace::Workspace, unit: &str, lang: Lang) -> Option<String> {
    let units = &ws.manifest.units;
    let u = match unit {
        "implementing" => Some(&units.implementing),
        "construction" => Some(&units.construction),
        "supervision" => units.supervision.as_ref(),
        _ => None,
    }?;
    Some(match (lang, &u.name_en) {
        (Lang::En, Some(en)) => format!("{} ({en})", u.name),
        _ => u.name.clone(),
    })
}

#[derive(Serialize)]
struct NewKey {
    key_id: String,
    alg: &'static str,
    unit: String,
    private_key: String,
    public_key: String,
}

pub fn run(ctx: &Context, cmd: KeysCommand) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let err = |e: LedgerError| anyhow::anyhow!(t::error(lang, &e));
    let ws = workspace(ctx)?;
    let ledger = Ledger::open(&ws).map_err(err)?;
    let mut out = super::terminal::stdout();
    match cmd {
        KeysCommand::New {
            unit,
            out: path,
            alg,
            format,
        } => {
            let alg = match alg {
                Some(AlgArg::Ed25519) => SigAlg::Ed25519,
                Some(AlgArg::Sm2) => SigAlg::Sm2,
                None => ledger.sig_alg(),
            };
            let mut key = SigningKey::generate(alg, &unit).map_err(err)?;
            let path = path.unwrap_or_else(|| default_key_dir().join(key.file_name()));
            ensure_outside(&path, &ws.root).map_err(err)?;
            let created = crate::ledger::now_rfc3339();
            key.save(&path, &created).map_err(err)?;
            let file = public_key_file(
                &key.public(),
                &unit,
                unit_name(&ws, &unit, Lang::Zh).as_deref(),
                &created,
            );
            let public = keys::trust(&ledger.keys_dir(), &file).map_err(err)?;
            let info = NewKey {
                key_id: key.key_id.clone(),
                alg: alg.name(),
                unit: unit.clone(),
                private_key: path.display().to_string(),
                public_key: public.display().to_string(),
            };
            if format == Format::Json {
                write_json(&mut out, "anbao.keys.new/1", &info)?;
            } else if lang == Lang::Zh {
                writeln!(
                    out,
                    "{BOLD}已为 {unit} 生成 {alg} 密钥{BOLD:#} {}",
                    info.key_id
                )?;
                writeln!(
                    out,
                    "  私钥（仅本人可读，切勿放入工作区）：{}",
                    info.private_key
                )?;
                writeln!(
                    out,
                    "  公钥（已加入信任库，随工作区提交）：{}",
                    info.public_key
                )?;
                writeln!(
                    out,
                    "{DIM}签名时 anbao 依次查找 --key 文件、ANBAO_KEY、以及 {}{DIM:#}",
                    default_key_dir().display()
                )?;
            } else {
                writeln!(
                    out,
                    "{BOLD}made an {alg} key for {unit}{BOLD:#} {}",
                    info.key_id
                )?;
                writeln!(
                    out,
                    "  private key (owner-only, never put it in a workspace): {}",
                    info.private_key
                )?;
                writeln!(
                    out,
                    "  public key (trusted, commit it with the workspace): {}",
                    info.public_key
                )?;
                writeln!(
                    out,
                    "{DIM}to sign, anbao looks at --key FILE, then ANBAO_KEY, then {}{DIM:#}",
                    default_key_dir().display()
                )?;
            }
        }
        KeysCommand::List { format } => {
            let trust = ledger.trust_store().map_err(err)?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Row<'a> {
                    key_id: &'a str,
                    unit: &'a str,
                    unit_name: Option<&'a str>,
                    alg: &'static str,
                    created: &'a str,
                    file: String,
                }
                #[derive(Serialize)]
                struct Problem {
                    file: String,
                    message: String,
                }
                #[derive(Serialize)]
                struct Body<'a> {
                    keys: Vec<Row<'a>>,
                    problems: Vec<Problem>,
                }
                let body = Body {
                    keys: trust
                        .keys
                        .values()
                        .map(|k| Row {
                            key_id: &k.key_id,
                            unit: &k.unit,
                            unit_name: k.unit_name.as_deref(),
                            alg: k.public.alg().name(),
                            created: &k.created,
                            file: k.file.display().to_string(),
                        })
                        .collect(),
                    problems: trust
                        .problems
                        .iter()
                        .map(|p| Problem {
                            file: p.file.display().to_string(),
                            message: p.message.clone(),
                        })
                        .collect(),
                };
                write_json(&mut out, "anbao.keys.list/1", &body)?;
            } else {
                let mut table = Table::new(&[
                    t::label(lang, Label::Key),
                    t::label(lang, Label::Unit),
                    t::label(lang, Label::Created),
                    t::label(lang, Label::File),
                ]);
                for k in trust.keys.values() {
                    table.row(vec![
                        k.key_id.clone(),
                        match &k.unit_name {
                            Some(n) => format!("{} {n}", k.unit),
                            None => k.unit.clone(),
                        },
                        k.created.clone(),
                        k.file
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ]);
                }
                table.write(&mut out)?;
                for p in &trust.problems {
                    writeln!(
                        out,
                        "{RED}{}{RED:#} {}: {}",
                        t::label(lang, Label::Problems),
                        p.file.display(),
                        p.message
                    )?;
                }
            }
        }
        KeysCommand::Trust { file } => {
            let bytes = crate::fsutil::read(&file, crate::fsutil::CONFIG_LIMIT)?;
            let public = match keys::parse_public_key_file(&bytes) {
                Ok(k) => public_key_file(&k.public, &k.unit, k.unit_name.as_deref(), &k.created),
                Err(_) => {
                    let k = SigningKey::load(&file).map_err(err)?;
                    let name = unit_name(&ws, &k.unit, Lang::Zh);
                    public_key_file(
                        &k.public(),
                        &k.unit,
                        name.as_deref(),
                        &crate::ledger::now_rfc3339(),
                    )
                }
            };
            let path = keys::trust(&ledger.keys_dir(), &public).map_err(err)?;
            match lang {
                Lang::Zh => writeln!(
                    out,
                    "已信任 {}（{}）：{}",
                    public.key_id,
                    public.unit,
                    path.display()
                )?,
                Lang::En => writeln!(
                    out,
                    "trusted {} ({}): {}",
                    public.key_id,
                    public.unit,
                    path.display()
                )?,
            }
        }
    }
    Ok(Outcome::Clean)
}
