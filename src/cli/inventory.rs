//! `anbao inventory list|show|stats|why|validate`.

use super::output::{fit, write_json, Table, BOLD, DIM, GREEN, RED, YELLOW};
use super::{progress, Context, Outcome};
use crate::i18n::{tr, Lang, Text, L};
use crate::inventory::{self, stats, validate, ComponentId, Finding, Inventory, LicenseValue};
use crate::workspace::Workspace;
use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// List every component / 列出全部组件
    List {
        #[command(flatten)]
        input: Input,
        /// Only components of this type (library, device, firmware ...)
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
    },
    /// Show everything known about a component / 显示组件详情
    Show {
        /// purl, bom-ref, name@version or name
        component: String,
        #[command(flatten)]
        input: Input,
    },
    /// Counts, graph facts and NTIA minimum-elements completeness / 统计与完整度
    Stats {
        #[command(flatten)]
        input: Input,
    },
    /// Every inclusion path from the product root to a component, shortest first / 引入路径
    Why {
        /// purl, bom-ref, name@version or name
        component: String,
        #[command(flatten)]
        input: Input,
        /// Show at most this many paths
        #[arg(long, default_value_t = 20, value_name = "N")]
        max_paths: usize,
    },
    /// Check files against their specification (strict for CycloneDX 1.3 to 1.5) / 校验清单文件
    Validate {
        #[command(flatten)]
        input: Input,
    },
}

/// Which inventories a command reads, and how it prints.
#[derive(Debug, Args)]
pub struct Input {
    /// Inventory files (any supported format, detected by content); default: the workspace's
    files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

pub fn run(ctx: &Context, cmd: InventoryCommand) -> anyhow::Result<Outcome> {
    match cmd {
        InventoryCommand::List { input, kind } => list(ctx, &input, kind.as_deref()),
        InventoryCommand::Show { component, input } => show(ctx, &input, &component),
        InventoryCommand::Stats { input } => stats_cmd(ctx, &input),
        InventoryCommand::Why {
            component,
            input,
            max_paths,
        } => why(ctx, &input, &component, max_paths),
        InventoryCommand::Validate { input } => validate_cmd(ctx, &input),
    }
}

/// The files to read: those named, or else the workspace's inventories.
fn files(ctx: &Context, input: &Input) -> anyhow::Result<Vec<PathBuf>> {
    if !input.files.is_empty() {
        return Ok(input.files.clone());
    }
    let ws = Workspace::locate(ctx.workspace.as_deref())?;
    let found = ws.inventories()?;
    // Files found and not read are said on standard error, which keeps standard output the
    // command's own (JSON stays one document).
    let mut err = anstream::stderr().lock();
    for n in &found.not_read {
        let shown = n.path.strip_prefix(&ws.root).unwrap_or(&n.path);
        writeln!(
            err,
            "{DIM}{}: {}: {}{DIM:#}",
            match ctx.lang {
                Lang::Zh => "未读取",
                Lang::En => "not read",
            },
            shown.display(),
            n.reason.describe(ctx.lang)
        )?;
    }
    if found.files.is_empty() {
        bail!(
            "the workspace at '{}' has no inventory files",
            ws.root.display()
        );
    }
    Ok(found.files)
}

fn load(ctx: &Context, input: &Input) -> anyhow::Result<Inventory> {
    let files = files(ctx, input)?;
    let label = tr(ctx.lang, Text::Reading);
    Ok(progress::with_progress(label, files.len(), |report| {
        inventory::load_with(&files, report)
    })?)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn license_summary(c: &inventory::Component) -> String {
    let mut parts: Vec<&str> = c
        .licenses
        .iter()
        .map(|l| match &l.value {
            LicenseValue::Id(s) | LicenseValue::Name(s) | LicenseValue::Expression(s) => s.as_str(),
        })
        .collect();
    parts.dedup();
    parts.join(", ")
}

/// A component as JSON output shows it: the model plus where it was described.
#[derive(Serialize)]
struct ComponentOut<'a> {
    id: ComponentId,
    #[serde(flatten)]
    component: &'a inventory::Component,
    described_in: Vec<OriginOut>,
}

#[derive(Serialize)]
struct OriginOut {
    file: PathBuf,
    location: String,
}

fn component_out(inv: &Inventory, id: ComponentId) -> ComponentOut<'_> {
    ComponentOut {
        id,
        component: &inv.components[id],
        described_in: inv.origins[id]
            .iter()
            .map(|o| OriginOut {
                file: inv.sources[o.source].path.clone(),
                location: o.location.clone(),
            })
            .collect(),
    }
}

fn list(ctx: &Context, input: &Input, kind: Option<&str>) -> anyhow::Result<Outcome> {
    let inv = load(ctx, input)?;
    let ids: Vec<ComponentId> = (0..inv.len())
        .filter(|&i| kind.is_none_or(|k| inv.components[i].kind.as_str().eq_ignore_ascii_case(k)))
        .collect();
    let mut out = super::terminal::stdout();
    if input.format == OutputFormat::Json {
        #[derive(Serialize)]
        struct ListOut<'a> {
            sources: &'a [inventory::Source],
            components: Vec<ComponentOut<'a>>,
            findings: &'a [Finding],
        }
        let body = ListOut {
            sources: &inv.sources,
            components: ids.iter().map(|&i| component_out(&inv, i)).collect(),
            findings: &inv.findings,
        };
        write_json(&mut out, "anbao.inventory.list/2", &body)?;
        return Ok(Outcome::Clean);
    }
    let l = ctx.lang;
    let mut table = Table::new(&[
        tr(l, Text::Name),
        tr(l, Text::Version),
        tr(l, Text::Type),
        &format!("{}/{}", tr(l, Text::Supplier), tr(l, Text::Manufacturer)),
        tr(l, Text::License),
        tr(l, Text::File),
    ]);
    for &i in &ids {
        let c = &inv.components[i];
        table.row(vec![
            c.full_name(),
            c.version.clone().unwrap_or_default(),
            c.kind.as_str().to_string(),
            c.supplier_or_manufacturer().unwrap_or("").to_string(),
            license_summary(c),
            file_name(&inv.sources[inv.origins[i][0].source].path),
        ]);
    }
    table.write(&mut out)?;
    let summary = crate::i18n::count_line(l, ids.len(), inv.sources.len(), inv.findings.len());
    writeln!(out, "{DIM}{summary}{DIM:#}")?;
    Ok(Outcome::Clean)
}

/// The components a query names, or an error saying none does.
fn resolve(inv: &Inventory, lang: Lang, query: &str) -> anyhow::Result<Vec<ComponentId>> {
    let hits = inv.find(query);
    if hits.is_empty() {
        bail!("{} '{query}'", tr(lang, Text::NoSuchComponent));
    }
    Ok(hits)
}

fn show(ctx: &Context, input: &Input, query: &str) -> anyhow::Result<Outcome> {
    let inv = load(ctx, input)?;
    let ids = resolve(&inv, ctx.lang, query)?;
    let mut out = super::terminal::stdout();
    if input.format == OutputFormat::Json {
        #[derive(Serialize)]
        struct ShowOut<'a> {
            components: Vec<ShowOne<'a>>,
        }
        #[derive(Serialize)]
        struct ShowOne<'a> {
            #[serde(flatten)]
            component: ComponentOut<'a>,
            included_by: Vec<String>,
            includes: Vec<String>,
            findings: Vec<&'a Finding>,
        }
        let names = |v: Vec<ComponentId>| {
            v.into_iter()
                .map(|i| inv.components[i].display_id())
                .collect()
        };
        let body = ShowOut {
            components: ids
                .iter()
                .map(|&i| ShowOne {
                    component: component_out(&inv, i),
                    included_by: names(inv.parents_of(i)),
                    includes: names(inv.children_of(i)),
                    findings: findings_about(&inv, i),
                })
                .collect(),
        };
        write_json(&mut out, "anbao.inventory.show/2", &body)?;
        return Ok(Outcome::Clean);
    }
    for (n, &id) in ids.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        show_one(&mut out, ctx.lang, &inv, id)?;
    }
    Ok(Outcome::Clean)
}

fn findings_about(inv: &Inventory, id: ComponentId) -> Vec<&Finding> {
    let name = inv.components[id].display_id();
    inv.findings
        .iter()
        .filter(|f| f.component.as_deref() == Some(name.as_str()))
        .collect()
}

fn show_one(out: &mut impl Write, l: Lang, inv: &Inventory, id: ComponentId) -> anyhow::Result<()> {
    let c = &inv.components[id];
    writeln!(out, "{BOLD}{}{BOLD:#}", c.display_id())?;
    let mut field = |label: Text, value: String| -> std::io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        writeln!(out, "  {DIM}{}:{DIM:#} {value}", L(l, label))
    };
    let party = |p: &Option<Box<inventory::Party>>| {
        p.as_ref().map_or(String::new(), |p| {
            let mut shown = p.name.clone();
            if let Some(country) = &p.country {
                shown.push_str(&format!(" ({country})"));
            }
            // What the file wrote, where the name was resolved from an id.
            if let Some(w) = &p.resolved_from {
                shown.push_str(&format!(" ← {} {}", w.scheme.as_str(), w.written));
            }
            shown
        })
    };
    field(Text::Type, c.kind.as_str().to_string())?;
    field(Text::Supplier, party(&c.supplier))?;
    field(Text::Manufacturer, party(&c.manufacturer))?;
    field(
        Text::Authors,
        c.authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )?;
    field(Text::Publisher, c.publisher.clone().unwrap_or_default())?;
    field(Text::Purl, c.purl.clone().unwrap_or_default())?;
    field(Text::Cpe, c.cpe.clone().unwrap_or_default())?;
    field(Text::Swid, c.swid.clone().unwrap_or_default())?;
    field(Text::License, license_summary(c))?;
    field(
        Text::Hashes,
        c.hashes
            .iter()
            .map(|h| format!("{}:{}", h.alg, h.value))
            .collect::<Vec<_>>()
            .join(" "),
    )?;
    field(
        Text::SourceKind,
        c.source_kind
            .map(|s| {
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .unwrap_or_default(),
    )?;
    let hw = &c.hardware;
    field(
        Text::HardwareClass,
        hw.class.as_ref().map_or(String::new(), |k| {
            if k.stated.eq_ignore_ascii_case(&k.class) {
                k.class.clone()
            } else {
                format!("{} ← {}", k.class, k.stated)
            }
        }),
    )?;
    field(
        Text::BusIds,
        hw.bus_ids.as_ref().map_or(String::new(), |ids| {
            let id = match &ids.device_id {
                Some(d) => format!("{}:{d}", ids.vendor_id),
                None => ids.vendor_id.clone(),
            };
            let names: Vec<&str> = [ids.vendor, ids.device].into_iter().flatten().collect();
            format!("{} {id} {}", ids.bus.to_uppercase(), names.join(" / "))
        }),
    )?;
    field(Text::Model, hw.model.clone().unwrap_or_default())?;
    field(Text::Firmware, hw.firmware.clone().unwrap_or_default())?;
    field(Text::SerialNumbers, hw.serial_numbers.join(", "))?;
    field(
        Text::Quantity,
        hw.quantity.map(|q| q.to_string()).unwrap_or_default(),
    )?;
    field(
        Text::CountryOfOrigin,
        hw.country_of_origin.clone().unwrap_or_default(),
    )?;
    field(
        Text::Certificates,
        hw.certificates
            .iter()
            .map(|cert| match cert.valid_until {
                Some(d) => format!("{} ({} {d})", cert.number, tr(l, Text::ValidUntil)),
                None => cert.number.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    )?;
    field(
        Text::Description,
        c.description
            .as_deref()
            .map(|d| fit(d, 100))
            .unwrap_or_default(),
    )?;
    field(
        Text::ExternalRefs,
        c.external_refs
            .iter()
            .map(|r| format!("{}: {}", r.kind, r.url))
            .collect::<Vec<_>>()
            .join("; "),
    )?;
    field(
        Text::Properties,
        c.properties
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; "),
    )?;
    let names = |v: Vec<ComponentId>| {
        v.into_iter()
            .map(|i| inv.components[i].display_id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    field(Text::IncludedBy, names(inv.parents_of(id)))?;
    field(Text::Includes, names(inv.children_of(id)))?;
    field(
        Text::DescribedIn,
        inv.origins[id]
            .iter()
            .map(|o| format!("{} {}", inv.sources[o.source].path.display(), o.location))
            .collect::<Vec<_>>()
            .join("; "),
    )?;
    for f in findings_about(inv, id) {
        writeln!(
            out,
            "  {YELLOW}{}{YELLOW:#} [{}] {}",
            f.level.as_str(),
            f.code,
            f.message.get(l)
        )?;
    }
    Ok(())
}

fn stats_cmd(ctx: &Context, input: &Input) -> anyhow::Result<Outcome> {
    let inv = load(ctx, input)?;
    let s = stats::compute(&inv);
    let mut out = super::terminal::stdout();
    if input.format == OutputFormat::Json {
        write_json(&mut out, "anbao.inventory.stats/1", &s)?;
        return Ok(Outcome::Clean);
    }
    let l = ctx.lang;
    writeln!(
        out,
        "{}: {}   {}: {}   {}: {}",
        L(l, Text::Files),
        s.files,
        L(l, Text::Components),
        s.components,
        L(l, Text::Edges),
        s.edges
    )?;
    for (title, map) in [
        (Text::ByType, &s.by_type),
        (Text::BySupplier, &s.by_supplier),
        (Text::ByManufacturer, &s.by_manufacturer),
        (Text::ByLicense, &s.by_license),
    ] {
        writeln!(out, "\n{BOLD}{}{BOLD:#}", L(l, title))?;
        let mut entries: Vec<(&String, &usize)> = map.iter().collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        const SHOWN: usize = 12;
        for (k, v) in entries.iter().take(SHOWN) {
            let k = if k.as_str() == stats::NONE_KEY {
                tr(l, Text::None)
            } else {
                k.as_str()
            };
            writeln!(out, "  {v:>6}  {}", fit(k, 60))?;
        }
        if entries.len() > SHOWN {
            let rest: usize = entries[SHOWN..].iter().map(|(_, v)| **v).sum();
            writeln!(
                out,
                "  {rest:>6}  {DIM}… {} {}{DIM:#}",
                entries.len() - SHOWN,
                L(l, Text::AndMore)
            )?;
        }
    }
    writeln!(out, "\n{BOLD}{}{BOLD:#}", L(l, Text::Graph))?;
    let list = |v: &[String]| -> String {
        if v.is_empty() {
            return tr(l, Text::None).to_string();
        }
        let shown: Vec<_> = v.iter().take(8).map(String::as_str).collect();
        let more = if v.len() > 8 {
            format!(" … (+{})", v.len() - 8)
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    writeln!(
        out,
        "  {}: {} — {}",
        L(l, Text::Roots),
        s.roots.len(),
        list(&s.roots)
    )?;
    writeln!(
        out,
        "  {}: {} — {}",
        L(l, Text::Orphans),
        s.orphans.len(),
        list(&s.orphans)
    )?;
    let cycles: Vec<String> = s.cycles.iter().map(|c| c.join(" ↔ ")).collect();
    writeln!(
        out,
        "  {}: {} — {}",
        L(l, Text::Cycles),
        s.cycles.len(),
        list(&cycles)
    )?;
    writeln!(
        out,
        "  {}: {}",
        L(l, Text::DanglingRefs),
        s.dangling_references
    )?;
    writeln!(out, "\n{BOLD}{}{BOLD:#}", L(l, Text::NtiaCompleteness))?;
    for c in &s.ntia {
        let style = match c.permille {
            1000 => GREEN,
            p if p >= 800 => YELLOW,
            _ => RED,
        };
        let label = crate::i18n::ntia_label(l, c.element);
        let pad = 26usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label));
        write!(
            out,
            "  {label}{}{style}{:>6}{style:#}  {}/{}",
            " ".repeat(pad),
            c.percent(),
            c.present,
            c.total
        )?;
        if !c.missing.is_empty() {
            write!(
                out,
                "  {DIM}{}: {}{DIM:#}",
                L(l, Text::MissingIn),
                list(&c.missing)
            )?;
        }
        writeln!(out)?;
    }
    Ok(Outcome::Clean)
}

fn why(ctx: &Context, input: &Input, query: &str, max_paths: usize) -> anyhow::Result<Outcome> {
    let inv = load(ctx, input)?;
    let ids = resolve(&inv, ctx.lang, query)?;
    let mut out = super::terminal::stdout();
    let found: Vec<_> = ids
        .iter()
        .map(|&id| (id, inv.inclusion_paths(id, max_paths)))
        .collect();
    if input.format == OutputFormat::Json {
        #[derive(Serialize)]
        struct WhyOut {
            components: Vec<WhyOne>,
        }
        #[derive(Serialize)]
        struct WhyOne {
            component: String,
            paths: Vec<Vec<String>>,
            truncated: bool,
        }
        let body = WhyOut {
            components: found
                .iter()
                .map(|(id, p)| WhyOne {
                    component: inv.components[*id].display_id(),
                    paths: p
                        .paths
                        .iter()
                        .map(|path| {
                            path.iter()
                                .map(|&i| inv.components[i].display_id())
                                .collect()
                        })
                        .collect(),
                    truncated: p.truncated,
                })
                .collect(),
        };
        write_json(&mut out, "anbao.inventory.why/1", &body)?;
        return Ok(Outcome::Clean);
    }
    let l = ctx.lang;
    for (n, (id, paths)) in found.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let name = inv.components[*id].display_id();
        if paths.paths.is_empty() {
            writeln!(out, "{BOLD}{name}{BOLD:#} {}", L(l, Text::NotReachable))?;
            continue;
        }
        if paths.paths.len() == 1 && paths.paths[0].len() == 1 {
            writeln!(out, "{BOLD}{name}{BOLD:#} {}", L(l, Text::IsRoot))?;
            continue;
        }
        writeln!(
            out,
            "{BOLD}{name}{BOLD:#}  {DIM}({} {}){DIM:#}",
            paths.paths.len(),
            L(l, Text::InclusionPaths)
        )?;
        write_inverted_tree(&mut out, &inv, &paths.paths)?;
        if paths.truncated {
            writeln!(out, "{DIM}… {}{DIM:#}", L(l, Text::MorePathsExist))?;
        }
    }
    Ok(Outcome::Clean)
}

/// Draws the paths as one tree hanging from the target upwards to the roots, the way
/// cargo-deny shows an inclusion graph: shared steps are drawn once, shorter paths first.
fn write_inverted_tree(
    out: &mut impl Write,
    inv: &Inventory,
    paths: &[Vec<ComponentId>],
) -> std::io::Result<()> {
    #[derive(Default)]
    struct Node {
        children: Vec<(ComponentId, Node)>,
    }
    let mut top = Node::default();
    for path in paths {
        // Skip the target itself (printed as the heading) and walk towards the root.
        let mut node = &mut top;
        for &id in path.iter().rev().skip(1) {
            let at = match node.children.iter().position(|(c, _)| *c == id) {
                Some(i) => i,
                None => {
                    node.children.push((id, Node::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[at].1;
        }
    }
    fn draw(
        out: &mut dyn Write,
        inv: &Inventory,
        node: &Node,
        prefix: &str,
    ) -> std::io::Result<()> {
        for (i, (id, child)) in node.children.iter().enumerate() {
            let last = i + 1 == node.children.len();
            let root_mark = if inv.roots.contains(id) { " ◆" } else { "" };
            writeln!(
                out,
                "{prefix}{}{}{root_mark}",
                if last { "└── " } else { "├── " },
                inv.components[*id].display_id()
            )?;
            let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
            draw(out, inv, child, &deeper)?;
        }
        Ok(())
    }
    draw(out, inv, &top, "")
}

fn validate_cmd(ctx: &Context, input: &Input) -> anyhow::Result<Outcome> {
    let files = files(ctx, input)?;
    let results = files
        .iter()
        .map(|f| validate::validate_file(f))
        .collect::<Result<Vec<_>, _>>()?;
    let failed = results.iter().any(|v| !v.is_valid());
    let outcome = if failed {
        Outcome::Failed
    } else {
        Outcome::Clean
    };
    let mut out = super::terminal::stdout();
    if input.format == OutputFormat::Json {
        #[derive(Serialize)]
        struct ValidateOut<'a> {
            valid: bool,
            files: &'a [validate::Validation],
        }
        write_json(
            &mut out,
            "anbao.inventory.validate/3",
            &ValidateOut {
                valid: !failed,
                files: &results,
            },
        )?;
        return Ok(outcome);
    }
    let l = ctx.lang;
    for v in &results {
        let (style, word) = if v.is_valid() {
            (GREEN, tr(l, Text::Valid))
        } else {
            (RED, tr(l, Text::Invalid))
        };
        let file = v.file.display();
        // Hardware lists name their format as their version; say it once.
        let what = if v.spec_version.replace('-', " ") == v.format.as_str().to_lowercase() {
            v.format.to_string()
        } else {
            format!("{} {}", v.format, v.spec_version)
        };
        writeln!(out, "{style}{word}{style:#}  {file} ({what})")?;
        writeln!(
            out,
            "  {DIM}{}: {}{DIM:#}",
            tr(l, Text::Checked),
            v.checked.get(l)
        )?;
        for x in &v.violations {
            writeln!(
                out,
                "  {RED}error{RED:#} {file}:{}: {} {DIM}[{}]{DIM:#}",
                if x.location.is_empty() {
                    "/"
                } else {
                    &x.location
                },
                x.message.get(l),
                x.rule
            )?;
        }
        if let Some(why) = &v.unreadable {
            writeln!(out, "  {RED}{}{RED:#}: {why}", tr(l, Text::Unreadable))?;
        }
        for f in &v.findings {
            let style = if f.breaks_spec() { RED } else { YELLOW };
            let place = if f.location.is_empty() {
                String::new()
            } else {
                format!("{}: ", f.location)
            };
            writeln!(
                out,
                "  {style}{}{style:#} [{}] {place}{}",
                f.level.as_str(),
                f.code,
                f.message.get(l)
            )?;
        }
    }
    Ok(outcome)
}
