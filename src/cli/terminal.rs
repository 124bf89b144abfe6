//! Everything the command line prints passes through [`Inert`] on its way out: control
//! characters, C1 controls and bidirectional overrides become visible escapes (`\u001b`, as
//! [`crate::inert`] writes them), whatever view or message they came through, so no input can
//! retitle the window, clear the screen, plant a link, colour or hide text. The one escape
//! sequence let through is a [`Style`] of anbao's own, and only while that style is writing
//! itself: data that holds the very same bytes is escaped. The escape is valid inside a JSON
//! string, so JSON passes through unchanged in meaning.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Write};

thread_local! {
    /// Set only while one of anbao's own styles writes its escape sequence.
    static OWN_STYLE: Cell<bool> = const { Cell::new(false) };
}

/// A text style of anbao's own (bold, a colour ...), written with `{STYLE}` and ended with
/// `{STYLE:#}` as an [`anstyle::Style`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style(anstyle::Style);

impl Style {
    pub const fn new(style: anstyle::Style) -> Style {
        Style(style)
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        OWN_STYLE.with(|own| own.set(true));
        let written = match f.alternate() {
            true => write!(f, "{:#}", self.0),
            false => write!(f, "{}", self.0),
        };
        OWN_STYLE.with(|own| own.set(false));
        written
    }
}

/// Standard output for what a command prints: made inert, colours dropped where the
/// terminal (or `--color`, or `NO_COLOR`) says so.
pub fn stdout() -> Inert<anstream::AutoStream<io::StdoutLock<'static>>> {
    Inert::new(anstream::stdout().lock())
}

/// Standard error, the same way.
pub fn stderr() -> Inert<anstream::AutoStream<io::StderrLock<'static>>> {
    Inert::new(anstream::stderr().lock())
}

/// A writer that escapes every control character but newline and tab, every C1 control and
/// every bidirectional override, except in what anbao's own [`Style`]s write.
pub struct Inert<W: Write> {
    inner: W,
    /// The start of a multi-byte character cut off by the end of the last write.
    pending: Vec<u8>,
}

/// What the bytes at the start of a slice are.
enum Next {
    /// A character to escape, encoded in this many bytes.
    Hazard(char, usize),
    /// Too few bytes to tell yet.
    Incomplete,
    /// Anything else: one byte to copy.
    Plain,
}

fn classify(bytes: &[u8]) -> Next {
    match bytes[0] {
        b'\n' | b'\t' => Next::Plain,
        b @ (0..=0x1f | 0x7f) => Next::Hazard(char::from(b), 1),
        // C1 controls are U+0080..U+009F (C2 80..9F); the bidi characters and the line and
        // paragraph separators start with E2.
        lead @ (0xc2 | 0xe2) => {
            let len = if lead == 0xc2 { 2 } else { 3 };
            if bytes.len() < len {
                return Next::Incomplete;
            }
            match std::str::from_utf8(&bytes[..len])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) if crate::inert::is_hazard(c) => Next::Hazard(c, len),
                _ => Next::Plain,
            }
        }
        _ => Next::Plain,
    }
}

impl<W: Write> Inert<W> {
    pub fn new(inner: W) -> Inert<W> {
        Inert {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes `bytes` made inert; keeps back a character cut off at the end.
    fn pass(&mut self, bytes: &[u8]) -> io::Result<()> {
        // Filled only once something is escaped; until then the bytes go out as they came.
        let mut out: Vec<u8> = Vec::new();
        let mut escaped = false;
        let mut copied = 0;
        let mut end = bytes.len();
        let mut i = 0;
        while i < end {
            let b = bytes[i];
            // Most bytes are plain text: only C0 controls, DEL and the lead bytes of C1
            // controls and of the bidi characters need a closer look.
            if !(b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2) || b == b'\n' || b == b'\t' {
                i += 1;
                continue;
            }
            match classify(&bytes[i..]) {
                Next::Plain => i += 1,
                Next::Incomplete => {
                    self.pending.extend_from_slice(&bytes[i..]);
                    end = i;
                }
                Next::Hazard(c, n) => {
                    out.extend_from_slice(&bytes[copied..i]);
                    let mut text = String::new();
                    crate::inert::push_escape(&mut text, c);
                    out.extend_from_slice(text.as_bytes());
                    escaped = true;
                    i += n;
                    copied = i;
                }
            }
        }
        if !escaped {
            return self.inner.write_all(&bytes[..end]);
        }
        out.extend_from_slice(&bytes[copied..end]);
        self.inner.write_all(&out)
    }

    /// A character still cut off is not one: its bytes go out escaped.
    fn flush_pending(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        if rest.is_empty() {
            return Ok(());
        }
        let text = crate::inert::inert_lines(&String::from_utf8_lossy(&rest)).into_owned();
        self.inner.write_all(text.as_bytes())
    }
}

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if OWN_STYLE.with(Cell::get) {
            self.flush_pending()?;
            self.inner.write_all(buf)?;
        } else if self.pending.is_empty() {
            self.pass(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(buf);
            self.pass(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Inert<W> {
    fn drop(&mut self) {
        let _ = self.flush_pending();
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::{BOLD, RED};

    fn through(pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = Inert::new(&mut out);
            for p in pieces {
                w.write_all(p).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn own_styles_pass_and_the_same_bytes_from_data_do_not() {
        let mut out = Vec::new();
        let name = format!("{}", anstyle::Style::new().bold());
        {
            let mut w = Inert::new(&mut out);
            writeln!(w, "{BOLD}名称{BOLD:#} {RED}{name}fail{RED:#}").unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!("{BOLD}名称{BOLD:#} {RED}\\u001b[1mfail{RED:#}\n")
        );
        assert_eq!(
            through(&["portal\u{1b}]0;title\u{7}\tx\n".as_bytes()]),
            "portal\\u001b]0;title\\u0007\tx\n"
        );
        assert_eq!(
            through(&["c1\u{9b}31m \u{202e}txt.exe 华为".as_bytes()]),
            "c1\\u009b31m \\u202etxt.exe 华为"
        );
    }

    #[test]
    fn characters_cut_between_writes_are_recognised() {
        let bytes = "a\u{9b}é\u{202e}b".as_bytes();
        for cut in 0..bytes.len() {
            assert_eq!(
                through(&[&bytes[..cut], &bytes[cut..]]),
                "a\\u009bé\\u202eb",
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn json_stays_json() {
        let value = serde_json::json!({"name": "c1\u{9b}31m\u{1b}[2J\u{202e}", "n": [1, 2]});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let back: serde_json::Value = serde_json::from_str(&through(&[text.as_bytes()])).unwrap();
        assert_eq!(back, value);
    }
}
