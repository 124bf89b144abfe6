//! Presentation helpers: aligned tables that respect double-width Chinese characters, headings,
//! JSON envelopes with a schema id, and where a command's document goes (`-o/--output`).

use super::terminal::Style;
use anstyle::{AnsiColor, Color};
use anyhow::Context as _;
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;
use unicode_width::UnicodeWidthStr;

const fn fg(color: AnsiColor) -> anstyle::Style {
    anstyle::Style::new().fg_color(Some(Color::Ansi(color)))
}

pub const PLAIN: Style = Style::new(anstyle::Style::new());
pub const BOLD: Style = Style::new(anstyle::Style::new().bold());
pub const DIM: Style = Style::new(anstyle::Style::new().dimmed());
pub const RED: Style = Style::new(fg(AnsiColor::Red));
pub const YELLOW: Style = Style::new(fg(AnsiColor::Yellow));
pub const GREEN: Style = Style::new(fg(AnsiColor::Green));
/// The "error:" before a message that says why a command could not run.
pub const ERROR: Style = Style::new(fg(AnsiColor::Red).bold());

pub use crate::width::fit;

/// A table of text cells printed with columns aligned by display width.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    max_width: usize,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            max_width: 48,
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| fit(&crate::inert::inert(c), self.max_width))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &cells {
            for (i, c) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.width());
                }
            }
        }
        let line = |out: &mut dyn Write, row: &[String], style: Style| -> io::Result<()> {
            let last = row.len().saturating_sub(1);
            for (i, c) in row.iter().enumerate() {
                let pad = if i == last {
                    0
                } else {
                    widths[i].saturating_sub(c.width()) + 2
                };
                write!(out, "{style}{c}{style:#}{}", " ".repeat(pad))?;
            }
            writeln!(out)
        };
        line(out, &self.headers, BOLD)?;
        for row in &cells {
            line(out, row, PLAIN)?;
        }
        Ok(())
    }
}

/// Whether an output path means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes a command's document to `output`: standard output for none or `-` (made inert, as
/// everything printed), else the file, by the one rule for output files
/// ([`crate::fsutil::write_output`]: a regular file replaced atomically, a device or a FIFO
/// written into, links followed only to those, anything else refused).
pub fn emit(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    match output.filter(|p| !is_stdout(p)) {
        Some(path) => crate::fsutil::write_output(path, write)
            .with_context(|| format!("cannot write '{}'", path.display())),
        None => {
            let mut out = super::terminal::stdout();
            write(&mut out)?;
            Ok(out.flush()?)
        }
    }
}

/// Writes `body` as pretty JSON inside `{"schema": ID, ...body}`.
pub fn write_json<T: Serialize>(
    out: &mut impl Write,
    schema: &str,
    body: &T,
) -> anyhow::Result<()> {
    let mut value = serde_json::to_value(body)?;
    let object = match value.as_object_mut() {
        Some(o) => std::mem::take(o),
        None => anyhow::bail!("internal: JSON body for {schema} is not an object"),
    };
    let mut envelope = serde_json::Map::new();
    envelope.insert("schema".into(), schema.into());
    envelope.extend(object);
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_double_width_characters_and_never_splits_them() {
        assert_eq!(fit("华为技术有限公司", 8), "华为技…");
        assert_eq!(fit("华为技术有限公司", 16), "华为技术有限公司");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn tables_align_by_display_width() {
        let mut t = Table::new(&["名称", "v"]);
        t.row(vec!["华为".into(), "1".into()]);
        t.row(vec!["ab".into(), "2".into()]);
        let mut buf = Vec::new();
        t.write(&mut buf).unwrap();
        // Styles are written as ANSI codes; anstream strips them where colour is off.
        let text = String::from_utf8(buf).unwrap();
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain, "名称  v\n华为  1\nab    2\n");
    }
}
