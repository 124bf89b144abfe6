//! Text from inputs (names, suppliers, notes, observations) made inert for display: control
//! characters and the bidirectional overrides that reorder a line become visible escapes such
//! as `\u001b`, so a terminal, a Markdown viewer or a browser shows what the data holds and acts
//! on none of it. One helper for every renderer; the escape is also valid inside a JSON string.

use std::borrow::Cow;

/// Whether `c` must not reach a reader as itself: a C0 or C1 control character or DEL, a line
/// or paragraph separator, or an embedding, override or isolate of the bidirectional algorithm
/// (the "Trojan source" characters).
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Appends the visible escape of `c`: `\u` and four hex digits (every hazard is in the BMP).
pub fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = write!(out, "\\u{:04x}", c as u32);
}

/// `text` for one line: every hazard escaped, newlines and tabs included.
pub fn inert(text: &str) -> Cow<'_, str> {
    escape_where(text, is_hazard)
}

/// `text` that may run over lines: every hazard escaped but newline and tab.
pub fn inert_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_hazard(c) && c != '\n' && c != '\t')
}

/// A whole rendered document (Markdown, HTML, SARIF) with every hazard but newline and tab
/// escaped: whatever field the data came through, nothing in it stays live. A clean document is
/// returned as it is, without a copy.
pub fn inert_document(text: String) -> String {
    match inert_lines(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    }
}

fn escape_where(text: &str, hazard: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&hazard) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if hazard(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_sequences_and_keeps_the_text() {
        assert_eq!(
            inert("portal\u{1b}]0;title\u{7}"),
            "portal\\u001b]0;title\\u0007"
        );
        assert_eq!(inert("c1\u{9b}31m"), "c1\\u009b31m");
        assert_eq!(inert("invoice\u{202e}gpj.exe"), "invoice\\u202egpj.exe");
        assert_eq!(inert("a\nb\tc"), "a\\u000ab\\u0009c");
        assert_eq!(inert_lines("a\nb\tc\r"), "a\nb\tc\\u000d");
        assert!(matches!(inert("华为 Huawei"), Cow::Borrowed(_)));
        // The escape reads back as the same text in JSON.
        let json: String =
            serde_json::from_str(&format!("\"{}\"", inert("x\u{1b}[2J\u{9b}"))).unwrap();
        assert_eq!(json, "x\u{1b}[2J\u{9b}");
    }
}
