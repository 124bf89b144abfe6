//! Text in fixed-width columns (a terminal, the TUI): cut to a number of display columns, where
//! Chinese characters count two, with an ellipsis where something was cut.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `s` to `max` display columns, never inside a double-width character, and ends what
/// was cut with `…` so a reader knows there is more.
pub fn fit(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        // Leave one column for the ellipsis.
        if used + w + 1 > max {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn cuts_by_display_columns_with_an_ellipsis() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("核验日期", 5), "核验…");
        assert_eq!(fit("abc", 0), "");
    }
}
