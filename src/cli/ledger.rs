//! `anbao ledger`: append, read, verify, checkpoint, prove, co-sign, export and repair the
//! signed record ledger.

use super::ledger_view::{footer, print_verify, print_written, run_verify_proof, show, status};
use super::output::{write_json, Table, BOLD};
use super::{workspace, Context, Outcome};
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::Lang;
use crate::ledger::export::{verify_archive, ArchiveFormat};
use crate::ledger::keys::{find_signing_keys, SigningKey};
use crate::ledger::proof::proof_keys;
use crate::ledger::Anchors;
use crate::ledger::{DetachedSignature, Ledger, LedgerError, NewRecord, Record};
use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Append a signed record / 追加一条签名记录
    Append(AppendArgs),
    /// List the records with their signature status / 列出记录
    List {
        /// Only records of this kind
        #[arg(long)]
        kind: Option<String>,
        /// Only records of this acting unit
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Show one record in full / 显示一条记录
    Show {
        seq: u64,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Verify hashes, signatures, checkpoints and evidence; exit 1 if anything fails
    /// / 校验账本
    Verify {
        /// Verify an exported archive (.tar or .zip) instead of the workspace
        #[arg(long, value_name = "FILE")]
        archive: Option<PathBuf>,
        #[command(flatten)]
        anchors: AnchorArgs,
        /// Also print how long each phase took
        #[arg(long)]
        timings: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Sign the current tree head into records/checkpoints for filing / 签署检查点
    Checkpoint {
        /// Private key file(s) to sign with
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Print an inclusion or consistency proof against a checkpoint / 生成证明
    Prove {
        /// Prove that record SEQ is in the checkpoint's tree
        #[arg(
            long,
            value_name = "SEQ",
            required_unless_present = "consistency",
            conflicts_with = "consistency"
        )]
        inclusion: Option<u64>,
        /// Prove that the tree of OLD_SIZE records is a prefix of the checkpoint's tree
        #[arg(long, value_name = "OLD_SIZE")]
        consistency: Option<u64>,
        /// The checkpoint to prove against (default: the latest)
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// Write the proof to this file instead of standard output
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check a proof against the trust store, without the ledger / 验证证明
    VerifyProof {
        proof: PathBuf,
        /// Use this copy of the checkpoint (e.g. the one filed with the authority)
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// For a consistency proof: the old checkpoint as filed with the authority
        #[arg(long, value_name = "FILE")]
        old_checkpoint: Option<PathBuf>,
        /// The keys filed with the authority: a folder of public key files, a public key
        /// file, or a file of key ids one a line (default: the keys the workspace's ledger
        /// enrols, which authenticates nothing)
        #[arg(long, visible_alias = "keys", value_name = "DIR|FILE")]
        trust: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Add your unit's signature to record SEQ as a new cosign record, or write it to a file
    /// / 会签记录
    Sign {
        seq: u64,
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        /// Write a detached signature to FILE instead of appending (file it with `cosign`)
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// File a detached signature made with `sign --output` as a cosign record / 登记会签
    Cosign {
        file: PathBuf,
        #[arg(long = "key", value_name = "FILE")]
        keys: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Write the evidence package: ledger, checkpoints, public keys, evidence, manifest
    /// / 导出证据包
    Export {
        /// The archive to write (.tar or .zip; default anbao-ledger-CODE-DATE.tar)
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Move a torn last line into records/quarantine/ so appends can go on / 修复残缺行
    Repair {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

/// What the authority holds of the project, to authenticate a ledger against.
#[derive(Debug, Args)]
pub struct AnchorArgs {
    /// The keys filed with the authority: a folder of public key files, a public key file,
    /// or a file of key ids one a line; the ledger's founding key must be among them
    #[arg(long, value_name = "DIR|FILE")]
    trust: Vec<PathBuf>,
    /// A checkpoint filed earlier with the authority; the ledger must contain it as a prefix
    #[arg(long, value_name = "FILE")]
    checkpoint: Vec<PathBuf>,
}

impl AnchorArgs {
    fn load(&self) -> Result<Anchors, LedgerError> {
        Anchors::load(&self.trust, &self.checkpoint)
    }
}

#[derive(Debug, Args)]
pub struct AppendArgs {
    /// Record kind, e.g. acceptance.verdict, assessment.signoff, drill.run
    #[arg(long)]
    kind: String,
    /// The body as a JSON object
    #[arg(
        long,
        value_name = "JSON",
        conflicts_with = "body_file",
        required_unless_present = "body_file"
    )]
    body: Option<String>,
    /// Read the body from a JSON file ('-' for standard input)
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// An evidence file to store and reference (repeatable)
    #[arg(long, value_name = "FILE")]
    evidence: Vec<PathBuf>,
    /// A unit that must also sign (repeatable), e.g. construction
    #[arg(long, value_name = "UNIT")]
    requires: Vec<String>,
    /// The seq of the record this one corrects
    #[arg(long, value_name = "SEQ")]
    supersedes: Option<u64>,
    /// Private key file(s); several for a joint record signed at once
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) fn local(lang: Lang) -> impl Fn(LedgerError) -> anyhow::Error {
    move |e| anyhow::anyhow!(t::error(lang, &e))
}

pub(super) fn signing_keys(
    lang: Lang,
    ledger: &Ledger,
    explicit: &[PathBuf],
) -> anyhow::Result<Vec<SigningKey>> {
    let history = ledger.key_history().map_err(local(lang))?;
    find_signing_keys(explicit, ledger.sig_alg(), None, &history).map_err(local(lang))
}

pub fn run(ctx: &Context, cmd: LedgerCommand) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let err = local(lang);
    if let LedgerCommand::Verify {
        archive: Some(archive),
        anchors,
        timings,
        format,
    } = &cmd
    {
        let anchors = anchors.load().map_err(&err)?;
        let report = verify_archive(archive, &anchors).map_err(&err)?;
        return print_verify(lang, &report, *timings, *format);
    }
    if let LedgerCommand::VerifyProof {
        proof,
        checkpoint,
        old_checkpoint,
        trust,
        format,
    } = &cmd
    {
        // The workspace's own keys are the fallback only; a proof checked elsewhere needs none.
        let local = match workspace(ctx) {
            Ok(ws) => Some(
                Ledger::open(&ws)
                    .and_then(|l| l.trust_store())
                    .map_err(&err)?,
            ),
            Err(_) => None,
        };
        let anchors = Anchors::load(trust, &[]).map_err(&err)?;
        let (keys, anchored) = proof_keys(&anchors, local).map_err(&err)?;
        let anchored = anchored || checkpoint.is_some() || old_checkpoint.is_some();
        return run_verify_proof(
            lang,
            proof,
            checkpoint.as_deref(),
            old_checkpoint.as_deref(),
            (&keys, anchored),
            *format,
        );
    }
    let ws = workspace(ctx)?;
    let ledger = Ledger::open(&ws).map_err(&err)?;
    let mut out = anstream::stdout().lock();
    match cmd {
        LedgerCommand::Append(args) => {
            let text = match (&args.body, &args.body_file) {
                (Some(b), _) => b.clone(),
                (None, Some(p)) if p.as_os_str() == "-" => {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                        .context("cannot read standard input")?;
                    s
                }
                (None, Some(p)) => std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read '{}'", p.display()))?,
                (None, None) => unreachable!("clap requires a body"),
            };
            let body = crate::ledger::canonical::parse_strict(text.as_bytes()).map_err(|e| {
                err(LedgerError::BadBody(format!(
                    "is not valid JSON for a signed record: {e}"
                )))
            })?;
            let keys = signing_keys(lang, &ledger, &args.keys)?;
            let key_refs: Vec<&SigningKey> = keys.iter().collect();
            let mut new = NewRecord::new(&args.kind, body).evidence(&args.evidence);
            new.requires = args.requires;
            new.supersedes = args.supersedes;
            let record = ledger.append(new, &key_refs).map_err(&err)?;
            print_written(&mut out, lang, &record, args.format)?;
        }
        LedgerCommand::List { kind, unit, format } => {
            let (records, _) = ledger.records().map_err(&err)?;
            let report = ledger.verify().map_err(&err)?;
            let rows: Vec<&Record> = records
                .iter()
                .flatten()
                .filter(|r| kind.as_ref().is_none_or(|k| &r.entry.kind == k))
                .filter(|r| unit.as_ref().is_none_or(|u| &r.entry.unit == u))
                .collect();
            if format == Format::Json {
                #[derive(Serialize)]
                struct Row<'a> {
                    seq: String,
                    time: &'a str,
                    kind: &'a str,
                    unit: &'a str,
                    signed_by: Vec<String>,
                    awaiting: Vec<String>,
                    superseded_by: Vec<String>,
                    leaf_hash: String,
                }
                #[derive(Serialize)]
                struct Body<'a> {
                    records: Vec<Row<'a>>,
                    verified: bool,
                }
                let body = Body {
                    records: rows
                        .iter()
                        .map(|r| Row {
                            seq: r.seq().to_string(),
                            time: &r.entry.time,
                            kind: &r.entry.kind,
                            unit: &r.entry.unit,
                            signed_by: report.signed_by(r.seq()),
                            awaiting: report.awaiting_units(r.seq()).to_vec(),
                            superseded_by: report
                                .corrected_by(r.seq())
                                .iter()
                                .map(u64::to_string)
                                .collect(),
                            leaf_hash: r.leaf_hash.to_string(),
                        })
                        .collect(),
                    verified: report.is_clean(),
                };
                write_json(&mut out, "anbao.ledger.list/1", &body)?;
            } else {
                if rows.is_empty() {
                    writeln!(out, "{}", t::label(lang, Label::NoRecords))?;
                }
                let mut table = Table::new(&[
                    t::label(lang, Label::Seq),
                    t::label(lang, Label::Time),
                    t::label(lang, Label::Kind),
                    t::label(lang, Label::Unit),
                    t::label(lang, Label::Status),
                ]);
                for r in &rows {
                    table.row(vec![
                        r.seq().to_string(),
                        r.entry.time.clone(),
                        r.entry.kind.clone(),
                        r.entry.unit.clone(),
                        status(lang, &report, r),
                    ]);
                }
                table.write(&mut out)?;
                footer(&mut out, lang, &report)?;
            }
        }
        LedgerCommand::Show { seq, format } => {
            let record = ledger.record(seq).map_err(&err)?;
            let report = ledger.verify().map_err(&err)?;
            let trust = ledger.trust_store().map_err(&err)?;
            show(&mut out, lang, &ledger, &record, &report, &trust, format)?;
        }
        LedgerCommand::Verify {
            anchors,
            timings,
            format,
            ..
        } => {
            drop(out);
            let anchors = anchors.load().map_err(&err)?;
            let report = ledger.verify_anchored(&anchors, &|_| {}).map_err(&err)?;
            return print_verify(lang, &report, timings, format);
        }
        LedgerCommand::Checkpoint { keys, format } => {
            let keys = signing_keys(lang, &ledger, &keys)?;
            let refs: Vec<&SigningKey> = keys.iter().collect();
            let (path, cp) = ledger.checkpoint(&refs).map_err(&err)?;
            let note = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read '{}'", path.display()))?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Body {
                    file: String,
                    origin: String,
                    size: String,
                    root: String,
                    time: Option<String>,
                    note: String,
                }
                write_json(
                    &mut out,
                    "anbao.ledger.checkpoint/1",
                    &Body {
                        file: path.display().to_string(),
                        origin: cp.origin.clone(),
                        size: cp.size.to_string(),
                        root: hex::encode(cp.root),
                        time: cp.time.clone(),
                        note,
                    },
                )?;
            } else {
                let line = match lang {
                    Lang::Zh => format!(
                        "已签署检查点（{} 条记录），请报主管部门备案：{}",
                        cp.size,
                        path.display()
                    ),
                    Lang::En => format!(
                        "signed a checkpoint of {} records; file it with the authority: {}",
                        cp.size,
                        path.display()
                    ),
                };
                writeln!(out, "{BOLD}{line}{BOLD:#}\n")?;
                write!(out, "{note}")?;
            }
        }
        LedgerCommand::Prove {
            inclusion,
            consistency,
            checkpoint,
            output,
        } => {
            let mut bytes = match (inclusion, consistency) {
                (Some(seq), _) => serde_json::to_vec_pretty(
                    &ledger
                        .prove_inclusion(seq, checkpoint.as_deref())
                        .map_err(&err)?,
                )?,
                (None, Some(old)) => serde_json::to_vec_pretty(
                    &ledger
                        .prove_consistency(old, checkpoint.as_deref())
                        .map_err(&err)?,
                )?,
                (None, None) => unreachable!("clap requires one"),
            };
            bytes.push(b'\n');
            match output {
                Some(p) => crate::fsutil::write_atomic(&p, &bytes)
                    .with_context(|| format!("cannot write '{}'", p.display()))?,
                None => out.write_all(&bytes)?,
            }
        }
        LedgerCommand::VerifyProof { .. } => unreachable!("handled before the workspace"),
        LedgerCommand::Sign {
            seq,
            keys,
            output,
            format,
        } => {
            let keys = signing_keys(lang, &ledger, &keys)?;
            match output {
                Some(path) => {
                    let d = ledger.sign_detached(seq, &keys[0]).map_err(&err)?;
                    let mut bytes = serde_json::to_vec_pretty(&d)?;
                    bytes.push(b'\n');
                    crate::fsutil::write_atomic(&path, &bytes)
                        .with_context(|| format!("cannot write '{}'", path.display()))?;
                    match lang {
                        Lang::Zh => writeln!(out, "已签署第 {seq} 号记录，分离签名写入 {}；请交记录保管方用 `anbao ledger cosign` 登记", path.display())?,
                        Lang::En => writeln!(out, "signed record {seq}; the detached signature is in {}; have it filed with `anbao ledger cosign`", path.display())?,
                    }
                }
                None => {
                    let record = ledger.cosign(seq, &keys[0]).map_err(&err)?;
                    print_written(&mut out, lang, &record, format)?;
                }
            }
        }
        LedgerCommand::Cosign { file, keys, format } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("cannot read '{}'", file.display()))?;
            let d: DetachedSignature = crate::ledger::canonical::parse_strict(&bytes)
                .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let keys = signing_keys(lang, &ledger, &keys)?;
            let refs: Vec<&SigningKey> = keys.iter().collect();
            let record = ledger.append_detached(&d, &refs).map_err(&err)?;
            print_written(&mut out, lang, &record, format)?;
        }
        LedgerCommand::Export { output, format } => {
            let path = output.unwrap_or_else(|| {
                PathBuf::from(format!(
                    "anbao-ledger-{}-{}.tar",
                    ledger
                        .origin(ledger.hash_alg())
                        .split('/')
                        .nth(1)
                        .unwrap_or("export"),
                    chrono::Local::now().format("%Y%m%d")
                ))
            });
            let manifest = ledger
                .export(&path, ArchiveFormat::from_path(&path))
                .map_err(&err)?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Body<'a> {
                    archive: String,
                    manifest: &'a crate::ledger::export::ExportManifest,
                }
                write_json(
                    &mut out,
                    "anbao.ledger.export/1",
                    &Body {
                        archive: path.display().to_string(),
                        manifest: &manifest,
                    },
                )?;
                return Ok(Outcome::Clean);
            }
            match lang {
                Lang::Zh => writeln!(
                    out,
                    "已导出证据包 {}：{} 条记录、{} 个文件{}",
                    path.display(),
                    manifest.records,
                    manifest.files.len(),
                    if manifest.verified {
                        ""
                    } else {
                        "（注意：账本未通过校验）"
                    }
                )?,
                Lang::En => writeln!(
                    out,
                    "exported {}: {} records, {} files{}",
                    path.display(),
                    manifest.records,
                    manifest.files.len(),
                    if manifest.verified {
                        ""
                    } else {
                        " (note: the ledger does not verify)"
                    }
                )?,
            }
        }
        LedgerCommand::Repair { format } => {
            let outcome = ledger.repair().map_err(&err)?;
            if format == Format::Json {
                #[derive(Serialize)]
                struct Body {
                    repaired: bool,
                    quarantine_file: Option<String>,
                    bytes: String,
                }
                let (file, bytes) = match &outcome.quarantined {
                    Some((p, n)) => (Some(p.display().to_string()), *n),
                    None => (None, 0),
                };
                write_json(
                    &mut out,
                    "anbao.ledger.repair/1",
                    &Body {
                        repaired: file.is_some(),
                        quarantine_file: file,
                        bytes: bytes.to_string(),
                    },
                )?;
                return Ok(Outcome::Clean);
            }
            match (outcome.quarantined, lang) {
                (None, Lang::Zh) => writeln!(out, "账本末尾完整，无需修复")?,
                (None, Lang::En) => writeln!(
                    out,
                    "the ledger ends with a complete line; nothing to repair"
                )?,
                (Some((p, n)), Lang::Zh) => writeln!(
                    out,
                    "已将 {n} 字节残缺行移入 {}（未删除任何内容）",
                    p.display()
                )?,
                (Some((p, n)), Lang::En) => writeln!(
                    out,
                    "moved the torn line ({n} bytes) to {} (nothing was deleted)",
                    p.display()
                )?,
            }
        }
    }
    Ok(Outcome::Clean)
}
