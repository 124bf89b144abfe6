//! How `anbao ledger` presents records, verification reports and proof checks: tables and
//! text in the user's language, or JSON with a versioned schema.

use super::ledger::Format;
use super::output::{write_json, BOLD, DIM, GREEN, RED, YELLOW};
use super::Outcome;
use crate::i18n::ledger::{self as t, Label};
use crate::i18n::trust as trust_texts;
use crate::i18n::Lang;
use crate::ledger::keys::TrustStore;
use crate::ledger::proof::{verify_proof, Proof};
use crate::ledger::verify::signature_state;
use crate::ledger::{Ledger, Record, Report, SignatureState};
use anyhow::Context as _;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

pub(super) fn status(lang: Lang, report: &Report, r: &Record) -> String {
    let mut parts = Vec::new();
    if report.awaiting_units(r.seq()).is_empty() {
        parts.push(format!(
            "{} {}",
            t::label(lang, Label::Complete),
            report.signed_by(r.seq()).join("+")
        ));
    }
    parts.extend(t::relations(lang, Some(report), r));
    parts.join("; ")
}

pub(super) fn footer(out: &mut impl Write, lang: Lang, report: &Report) -> anyhow::Result<()> {
    if report.is_clean() {
        writeln!(
            out,
            "{DIM}{} · {} {}{DIM:#}",
            t::label(lang, Label::Clean),
            report.records,
            t::label(lang, Label::Records)
        )?;
    } else if let Some(f) = &report.first_bad {
        writeln!(
            out,
            "{RED}{}{RED:#}: {} {}",
            t::label(lang, Label::Failed),
            f.code,
            f.message.get(lang)
        )?;
    }
    Ok(())
}

pub(super) fn print_written(
    out: &mut impl Write,
    lang: Lang,
    record: &Record,
    format: Format,
) -> anyhow::Result<()> {
    if format == Format::Json {
        #[derive(Serialize)]
        struct Body {
            seq: String,
            leaf_hash: String,
            record: serde_json::Value,
        }
        write_json(
            out,
            "anbao.ledger.append/1",
            &Body {
                seq: record.seq().to_string(),
                leaf_hash: record.leaf_hash.to_string(),
                record: serde_json::from_str(&record.line)?,
            },
        )?;
    } else {
        match lang {
            Lang::Zh => writeln!(
                out,
                "已写入第 {} 号记录（{}，{}）{}",
                record.seq(),
                record.entry.kind,
                record.entry.unit,
                record.leaf_hash
            )?,
            Lang::En => writeln!(
                out,
                "wrote record {} ({}, {}) {}",
                record.seq(),
                record.entry.kind,
                record.entry.unit,
                record.leaf_hash
            )?,
        }
    }
    Ok(())
}

pub(super) fn show(
    out: &mut impl Write,
    lang: Lang,
    ledger: &Ledger,
    r: &Record,
    report: &Report,
    trust: &TrustStore,
    format: Format,
) -> anyhow::Result<()> {
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.seq == Some(r.seq()))
        .collect();
    if format == Format::Json {
        #[derive(Serialize)]
        struct Body<'a> {
            record: serde_json::Value,
            signed_by: Vec<String>,
            awaiting: Vec<String>,
            superseded_by: Vec<String>,
            findings: Vec<&'a crate::ledger::Finding>,
        }
        return write_json(
            out,
            "anbao.ledger.show/1",
            &Body {
                record: serde_json::from_str(&r.line)?,
                signed_by: report.signed_by(r.seq()),
                awaiting: report.awaiting_units(r.seq()).to_vec(),
                superseded_by: report
                    .corrected_by(r.seq())
                    .iter()
                    .map(u64::to_string)
                    .collect(),
                findings: problems,
            },
        );
    }
    let l = |x| t::label(lang, x);
    let e = &r.entry;
    writeln!(out, "{BOLD}#{} {}{BOLD:#}  {}", e.seq, e.kind, e.time)?;
    writeln!(out, "{:<12} {}", l(Label::Unit), e.unit)?;
    writeln!(out, "{:<12} {}", l(Label::Signer), e.signer)?;
    writeln!(out, "{:<12} {}", l(Label::Requires), e.requires.join(", "))?;
    writeln!(out, "{:<12} {}", l(Label::Status), status(lang, report, r))?;
    writeln!(out, "{:<12} {}", l(Label::LeafHash), r.leaf_hash)?;
    writeln!(out, "{BOLD}{}{BOLD:#}", l(Label::Signatures))?;
    for s in &r.signatures {
        let unit = trust.get(&s.key).map(|k| k.unit.as_str()).unwrap_or("?");
        let (style, word) = match signature_state(trust, r, s) {
            SignatureState::Valid => (GREEN, l(Label::Valid)),
            SignatureState::Invalid => (RED, l(Label::Invalid)),
            SignatureState::UnknownKey => (YELLOW, l(Label::Unknown)),
        };
        writeln!(out, "  {style}{word}{style:#} {} {unit} {}", s.alg, s.key)?;
    }
    if !e.evidence.is_empty() {
        writeln!(out, "{BOLD}{}{BOLD:#}", l(Label::Evidence))?;
        for ev in &e.evidence {
            let path = crate::ledger::evidence::path_of(ledger.root(), &ev.hash);
            let rel = path.strip_prefix(ledger.root()).unwrap_or(&path);
            writeln!(out, "  {}  {} B  {}", ev.name, ev.size, rel.display())?;
        }
    }
    writeln!(out, "{BOLD}{}{BOLD:#}", l(Label::Body))?;
    writeln!(out, "{}", serde_json::to_string_pretty(&e.body)?)?;
    for f in problems {
        let style = if f.code.is_error() { RED } else { YELLOW };
        writeln!(out, "{style}{}{style:#} {}", f.code, f.message.get(lang))?;
    }
    Ok(())
}

pub(super) fn print_verify(
    lang: Lang,
    report: &Report,
    timings: bool,
    format: Format,
) -> anyhow::Result<Outcome> {
    let mut out = anstream::stdout().lock();
    if format == Format::Json {
        write_json(&mut out, Report::SCHEMA, report)?;
    } else {
        let l = |x| t::label(lang, x);
        if report.is_clean() {
            writeln!(
                out,
                "{GREEN}✓ {}{GREEN:#}: {} {}",
                l(Label::Clean),
                report.records,
                l(Label::Records)
            )?;
        } else {
            writeln!(out, "{RED}✗ {}{RED:#}", l(Label::Failed))?;
            if let Some(f) = &report.first_bad {
                let place = match (f.seq, f.line) {
                    (Some(s), Some(n)) => format!("#{s} ({} {n})", l(Label::Line)),
                    (None, Some(n)) => format!("{} {n}", l(Label::Line)),
                    _ => f.file.clone().unwrap_or_default(),
                };
                writeln!(
                    out,
                    "{BOLD}{}{BOLD:#}: {place}: {} — {}",
                    l(Label::FirstBad),
                    f.code,
                    f.message.get(lang)
                )?;
            }
        }
        for a in &report.anchors {
            let (style, mark) = if a.ok { (GREEN, "✓") } else { (RED, "✗") };
            writeln!(out, "{style}{mark}{style:#} {}", a.message.get(lang))?;
        }
        if report.is_clean() {
            let (style, message) = if report.anchored {
                (GREEN, trust_texts::anchored())
            } else {
                (YELLOW, trust_texts::not_anchored())
            };
            writeln!(out, "{style}{}{style:#}", message.get(lang))?;
        }
        for tree in &report.trees {
            writeln!(
                out,
                "{DIM}{} {} {} {}{DIM:#}",
                l(Label::TreeHead),
                tree.alg,
                tree.size,
                hex::encode(tree.root)
            )?;
        }
        for c in &report.checkpoints {
            let (style, mark) = if c.ok { (GREEN, "✓") } else { (RED, "✗") };
            writeln!(
                out,
                "{style}{mark}{style:#} {} {} {}",
                c.file,
                c.size.map(|s| s.to_string()).unwrap_or_default(),
                c.signed_by.join(", ")
            )?;
        }
        for f in &report.findings {
            let style = if f.code.is_error() { RED } else { YELLOW };
            let place = match (f.seq, f.line, &f.file) {
                (Some(s), _, _) => format!("#{s}"),
                (None, Some(n), _) => format!("{} {n}", l(Label::Line)),
                (None, None, Some(file)) => file.clone(),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {style}{}{style:#} {place} {}",
                f.code,
                f.message.get(lang)
            )?;
        }
        if timings {
            let t = report.timings;
            writeln!(
                out,
                "{DIM}read {:?} · parse {:?} · hashing+Merkle {:?} · signatures {:?} ({}) · checks {:?}{DIM:#}",
                t.read, t.parse, t.hash_merkle, t.signatures, report.signatures_checked, t.checks
            )?;
        }
    }
    Ok(if report.is_clean() {
        Outcome::Clean
    } else {
        Outcome::Failed
    })
}

pub(super) fn run_verify_proof(
    lang: Lang,
    proof: &Path,
    checkpoint: Option<&Path>,
    old: Option<&Path>,
    (trust, anchored): (&TrustStore, bool),
    format: Format,
) -> anyhow::Result<Outcome> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("cannot read '{}'", p.display()))
    };
    let bytes =
        std::fs::read(proof).with_context(|| format!("cannot read '{}'", proof.display()))?;
    let parsed = Proof::parse(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", proof.display()))?;
    let cp = checkpoint.map(read).transpose()?;
    let old = old.map(read).transpose()?;
    let mut report = verify_proof(&parsed, trust, cp.as_deref(), old.as_deref());
    report.anchored = anchored;
    let mut out = anstream::stdout().lock();
    if format == Format::Json {
        write_json(&mut out, report.schema, &report)?;
    } else {
        for s in &report.steps {
            let (style, mark) = if s.ok { (GREEN, "✓") } else { (RED, "✗") };
            writeln!(out, "{style}{mark}{style:#} {}", s.message.get(lang))?;
        }
        if report.ok && !anchored {
            writeln!(
                out,
                "{YELLOW}{}{YELLOW:#}",
                trust_texts::not_anchored().get(lang)
            )?;
        }
    }
    Ok(if report.ok {
        Outcome::Clean
    } else {
        Outcome::Failed
    })
}
