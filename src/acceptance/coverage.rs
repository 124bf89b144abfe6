//! Whether the inventories can carry a verdict at all. A check of nothing passes every
//! requirement, so before the products are judged the evidence itself is: no component, no key
//! product, a category the project declares with nothing in it, and inventory files that were
//! found but not read each make the evidence insufficient, whatever the products that were read
//! look like.

use crate::error::{InputError, Location};
use crate::i18n::Bilingual;
use crate::inventory::discover::NotRead;
use crate::inventory::{Inventory, Level};
use crate::policy::evaluate::{Evaluation, PolicyFinding};
use crate::policy::{Code, Policy};
use crate::workspace::{Workspace, MANIFEST};
use std::path::Path;
use std::sync::Arc;

/// A category the project declares (`[inventories] expected_categories`), with where.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Index into the policy's categories.
    pub category: usize,
    /// `anbao.toml:LINE`.
    pub at: Arc<str>,
}

/// The declared categories of `ws`, checked against `policy`: `None` when the manifest declares
/// none (then at least one key product is expected), an error at its place for an id the policy
/// does not have.
pub fn expected(ws: &Workspace, policy: &Policy) -> Result<Option<Vec<Expected>>, InputError> {
    let Some(declared) = &ws.manifest.inventories.expected_categories else {
        return Ok(None);
    };
    let path = ws.root.join(MANIFEST);
    // The manifest keeps byte offsets; its text turns them into lines.
    let text = std::fs::read(&path).unwrap_or_default();
    let mut out = Vec::with_capacity(declared.len());
    for id in declared {
        let place = Location::from_offset(&text, id.span().start);
        let Some(category) = policy.categories.iter().position(|c| &c.id == id.get_ref()) else {
            let known: Vec<&str> = policy.categories.iter().map(|c| c.id.as_str()).collect();
            return Err(InputError::new(
                Path::new(MANIFEST),
                place,
                format!(
                    "[inventories] expected_categories: '{}' is not a category of the policy (known: {})",
                    id.get_ref(),
                    known.join(", ")
                ),
            ));
        };
        let line = match place {
            Location::LineCol { line, .. } => line,
            _ => 0,
        };
        out.push(Expected {
            category,
            at: format!("{MANIFEST}:{line}").into(),
        });
    }
    Ok(Some(out))
}

/// The gaps in the evidence, as findings about no component: the check's project verdict is
/// "insufficient evidence" (at best) while any is left. `root` shortens file names.
pub fn gaps(
    inv: &Inventory,
    policy: &Policy,
    eval: &Evaluation,
    expected: Option<&[Expected]>,
    not_read: &[NotRead],
    root: &Path,
) -> Vec<PolicyFinding> {
    let mut out = Vec::new();
    // The files not read come last: the verdict first says what is missing as a whole.
    let mut files = Vec::new();
    let relative = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    for n in not_read.iter().filter(|n| n.reason.leaves_gap()) {
        let path = relative(&n.path);
        files.push(gap(
            Code::InventoryFileNotRead,
            Bilingual::format(
                format_args!(
                    "清单文件 {path} 未读取：{}",
                    n.reason.describe(crate::i18n::Lang::Zh)
                ),
                format_args!(
                    "inventory file {path} was not read: {}",
                    n.reason.describe(crate::i18n::Lang::En)
                ),
            ),
            path.into(),
        ));
    }
    if inv.components.is_empty() {
        let read = inv.sources.len();
        let unread = not_read.len();
        out.push(gap(
            Code::NoComponents,
            Bilingual::format(
                format_args!(
                    "清单中没有任何组件（读取 {read} 个文件，{unread} 个文件未读取），没有可核验的产品"
                ),
                format_args!(
                    "the inventories hold no component ({read} file(s) read, {unread} found and not read): there is nothing to check"
                ),
            ),
            MANIFEST.into(),
        ));
        // With nothing at all, what is missing in particular adds nothing.
        out.extend(files);
        return out;
    }
    let count = |cat: usize| eval.categories[cat].counts.total();
    match expected {
        Some(expected) => {
            for e in expected.iter().filter(|e| count(e.category) == 0) {
                let c = &policy.categories[e.category];
                out.push(gap(
                    Code::ExpectedCategoryEmpty,
                    Bilingual::format(
                        format_args!(
                            "anbao.toml 写明项目包含“{}”类产品，但清单中没有此类组件",
                            c.name
                        ),
                        format_args!(
                            "anbao.toml says the project contains {} ({}), but the inventories hold none",
                            c.name_en, c.id
                        ),
                    ),
                    e.at.clone(),
                ));
            }
        }
        None => {
            let key: Vec<usize> = (0..policy.categories.len())
                .filter(|&c| policy.categories[c].key)
                .collect();
            if !key.is_empty() && key.iter().all(|&c| count(c) == 0) {
                let total = inv.components.len();
                out.push(gap(
                    Code::NoKeyProducts,
                    Bilingual::format(
                        format_args!(
                            "{total} 个组件中没有任何关键产品；不含关键产品的项目须在 anbao.toml 写明 expected_categories = []"
                        ),
                        format_args!(
                            "none of the {total} component(s) is a key product; a project without key products declares expected_categories = [] in anbao.toml"
                        ),
                    ),
                    policy.file.display().to_string().into(),
                ));
            }
        }
    }
    out.extend(files);
    out
}

fn gap(code: Code, message: Bilingual, rule: Arc<str>) -> PolicyFinding {
    PolicyFinding {
        code,
        level: Level::Deny,
        component: None,
        check: None,
        message,
        rule,
        paths: Vec::new(),
        waived_by: None,
        vulnerability: None,
    }
}
