//! The command-line front end: clap definitions and presentation, no domain logic.
//!
//! Exit codes: 0 clean, 1 a check or validation failed, 2 could not run.

mod assess;
mod calendar;
mod check;
mod drill;
mod drill_view;
mod inventory;
mod keys;
mod ledger;
mod ledger_view;
mod output;
mod progress;

use crate::i18n::{tr, Lang, Text};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// 安保 anbao: security assurance for government informatization projects
/// (政务信息化项目安全保障工具).
#[derive(Debug, Parser)]
#[command(name = "anbao", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Workspace folder holding anbao.toml (default: the nearest one upwards) / 工作区目录
    #[arg(
        short = 'C',
        long,
        global = true,
        value_name = "DIR",
        env = "ANBAO_WORKSPACE"
    )]
    workspace: Option<PathBuf>,

    /// Language of the output (default: ANBAO_LANG, then the locale) / 输出语言
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,

    /// When to colour the output; NO_COLOR is always honoured / 何时使用颜色
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: ColorArg,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The terminal UI on the workspace / 终端界面
    Tui {
        /// Judge validity and deadlines as of this date (YYYY-MM-DD; default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Check the controllable-procurement requirement and the filing deadlines / 安全可控核验
    Check(check::CheckArgs),
    /// Read, query and validate inventories (SBOMs, lockfiles, hardware lists) / 软硬件清单
    #[command(subcommand)]
    Inventory(inventory::InventoryCommand),
    /// The signed record ledger: append, verify, checkpoint, prove, export / 签名记录账本
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// Joint risk assessment: checklists, answers, risks, two-party sign-off / 联合风险评估
    #[command(subcommand)]
    Assess(assess::AssessCommand),
    /// Emergency-plan drills: playbooks, plan, due, run, finish, reports / 应急演练
    #[command(subcommand)]
    Drill(drill::DrillCommand),
    /// The official working-day calendar: known years, add or correct one / 法定工作日历
    Calendar(calendar::CalendarArgs),
    /// Signing keys and the trust store keys/ / 签名密钥与信任库
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Explain a finding code / 解释问题代码
    Explain {
        /// The code, e.g. dangling-dependency-ref
        code: String,
    },
    /// Print shell completions / 生成命令行补全脚本
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page, or write one page per command into a folder / 生成手册页
    Man {
        /// Write anbao.1 and one page per subcommand into this folder
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What a command reports back to `run`.
pub enum Outcome {
    /// Ran, nothing failed.
    Clean,
    /// Ran, and the check or validation failed.
    Failed,
}

/// Settings every command needs.
pub struct Context {
    pub lang: Lang,
    pub workspace: Option<PathBuf>,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version, as we do.
            return ExitCode::from(e.exit_code().clamp(0, 2) as u8);
        }
    };
    match cli.color {
        ColorArg::Auto => {}
        ColorArg::Always if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
            anstream::ColorChoice::Never.write_global()
        }
        ColorArg::Always => anstream::ColorChoice::Always.write_global(),
        ColorArg::Never => anstream::ColorChoice::Never.write_global(),
    }
    let lang = match cli.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let ctx = Context {
        lang,
        workspace: cli.workspace,
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&ctx, args),
        Command::Tui { as_of } => tui(&ctx, as_of, cli.color),
        Command::Inventory(cmd) => inventory::run(&ctx, cmd),
        Command::Ledger(cmd) => ledger::run(&ctx, cmd),
        Command::Keys(cmd) => keys::run(&ctx, cmd),
        Command::Assess(cmd) => assess::run(&ctx, cmd),
        Command::Drill(cmd) => drill::run(&ctx, cmd),
        Command::Calendar(args) => calendar::run(&ctx, args),
        Command::Explain { code } => explain(&ctx, &code),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "anbao", &mut std::io::stdout());
            Ok(Outcome::Clean)
        }
        Command::Man { out } => man(out),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = anstream::stderr();
            let style = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let _ = write!(err, "{style}{}{style:#}: {e}", tr(lang, Text::Error));
            for cause in e.chain().skip(1) {
                let _ = write!(err, ": {cause}");
            }
            let _ = writeln!(err);
            ExitCode::from(2)
        }
    }
}

fn tui(
    ctx: &Context,
    as_of: Option<chrono::NaiveDate>,
    color: ColorArg,
) -> anyhow::Result<Outcome> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the TUI needs a terminal; for a report on standard output use 'anbao check'"
        );
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match color {
        ColorArg::Never => false,
        ColorArg::Always => !no_color,
        ColorArg::Auto => !no_color,
    };
    let keymap = crate::tui::keys::KeyMap::load(crate::tui::keys::KeyMap::user_file().as_deref())?;
    crate::tui::run(crate::tui::Options {
        lang: ctx.lang,
        workspace: ctx.workspace.clone(),
        as_of: as_of.unwrap_or_else(|| chrono::Local::now().date_naive()),
        color,
        keymap,
    })?;
    Ok(Outcome::Clean)
}

/// The workspace a command works in: `--workspace DIR`, else the nearest one upwards.
pub(crate) fn workspace(ctx: &Context) -> anyhow::Result<crate::workspace::Workspace> {
    use anyhow::Context as _;
    Ok(match &ctx.workspace {
        Some(dir) => crate::workspace::Workspace::open(dir)?,
        None => crate::workspace::Workspace::discover(
            &std::env::current_dir().context("cannot read the current folder")?,
        )?,
    })
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn explain(ctx: &Context, code: &str) -> anyhow::Result<Outcome> {
    let (level, text) = if let Some(c) = crate::inventory::Code::parse(code) {
        (
            c.default_level().as_str(),
            crate::i18n::explain_inventory_code(ctx.lang, c),
        )
    } else if let Some(c) = crate::policy::Code::parse(code) {
        // Acceptance findings take their level from the policy's category; a gap in the
        // inventories is always one that leaves the evidence insufficient.
        let level = if c.is_coverage_gap() {
            "deny"
        } else {
            "policy"
        };
        (level, c.explain(ctx.lang))
    } else if let Some(c) = crate::drill::timeline::TimelineCode::parse(code) {
        ("drill", c.explain(ctx.lang))
    } else if let Some(c) = crate::ledger::Code::parse(code) {
        (
            if c.is_error() { "error" } else { "warning" },
            crate::i18n::ledger::explain(ctx.lang, c),
        )
    } else {
        let known: Vec<&str> = crate::inventory::Code::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(crate::policy::Code::ALL.iter().map(|c| c.as_str()))
            .chain(
                crate::drill::timeline::TimelineCode::ALL
                    .iter()
                    .map(|c| c.as_str()),
            )
            .chain(crate::ledger::Code::ALL.iter().map(|c| c.as_str()))
            .collect();
        anyhow::bail!("unknown code '{code}'; known codes: {}", known.join(", "));
    };
    let mut out = anstream::stdout().lock();
    writeln!(out, "{code} ({level})")?;
    writeln!(out, "{text}")?;
    Ok(Outcome::Clean)
}

fn man(out: Option<PathBuf>) -> anyhow::Result<Outcome> {
    use anyhow::Context as _;
    let cmd = Cli::command();
    match out {
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?,
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create '{}'", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("cannot write man pages to '{}'", dir.display()))?;
        }
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
