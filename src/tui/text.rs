//! Text that must fit the terminal: cutting to a width with an ellipsis, padding, the widths
//! a table's columns get, and status messages that follow the language switch.

use crate::i18n::ledger::Message;
use crate::i18n::Lang;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use unicode_width::UnicodeWidthStr;

pub use crate::width::fit;

/// `s` padded with spaces to `width` display columns (Chinese characters count two).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// Display columns of `s`.
pub fn width(s: &str) -> usize {
    s.width()
}

/// The width each column of a table gets in `total` columns, laid out as ratatui's `Table`
/// lays them out (start-aligned, `spacing` between columns), so cells can be cut to fit with
/// an ellipsis instead of being clipped.
pub fn column_widths(total: u16, widths: &[Constraint], spacing: u16) -> Vec<usize> {
    Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(spacing)
        .split(Rect::new(0, 0, total, 1))
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

/// A status line under a screen: what was saved, or why not. It keeps both languages so the
/// language switch (`L`) changes it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub error: bool,
    pub text: Message,
}

impl Status {
    pub fn ok(text: Message) -> Status {
        Status { error: false, text }
    }

    pub fn error(text: Message) -> Status {
        Status { error: true, text }
    }

    pub fn get(&self, lang: Lang) -> &str {
        self.text.get(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_cuts_with_an_ellipsis_and_never_splits_a_wide_character() {
        assert_eq!(fit("5 Very high", 10), "5 Very hi…");
        assert_eq!(fit("5 Very high", 11), "5 Very high");
        assert_eq!(fit("机房与物理环境", 7), "机房与…");
        assert_eq!(fit("机房与物理环境", 8), "机房与…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
        assert!(fit("机房与物理环境", 8).width() <= 8);
    }

    #[test]
    fn column_widths_follow_the_table_layout() {
        let w = column_widths(
            20,
            &[
                Constraint::Length(4),
                Constraint::Fill(1),
                Constraint::Length(5),
            ],
            1,
        );
        assert_eq!(w, vec![4, 9, 5]);
    }
}
