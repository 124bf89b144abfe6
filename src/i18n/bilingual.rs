//! A text in both languages, kept together so that every report, screen and message can show
//! either.

use serde::Serialize;
use std::fmt::{self, Write as _};

/// A text in both languages; renderers pick one.
///
/// Both languages share one exact-sized allocation: a large report holds hundreds of thousands
/// of these, and allocating (and faulting in) their memory was a large part of a check's time.
#[derive(Clone, PartialEq, Eq)]
pub struct Bilingual {
    /// The Chinese text, then the English.
    both: Box<str>,
    /// Where the English begins.
    split: usize,
}

impl Bilingual {
    pub fn new(zh: impl AsRef<str>, en: impl AsRef<str>) -> Bilingual {
        let (zh, en) = (zh.as_ref(), en.as_ref());
        let mut both = String::with_capacity(zh.len() + en.len());
        both.push_str(zh);
        both.push_str(en);
        Bilingual {
            both: both.into_boxed_str(),
            split: zh.len(),
        }
    }

    /// Formats both texts straight into the shared allocation, measured first so that it is
    /// made once and to size (no intermediate strings, no regrowth).
    pub fn format(zh: fmt::Arguments<'_>, en: fmt::Arguments<'_>) -> Bilingual {
        if let (Some(zh), Some(en)) = (zh.as_str(), en.as_str()) {
            return Bilingual::new(zh, en);
        }
        let mut measure = Measure(0);
        // Writing to `Measure` or to a `String` only fails if a `Display` impl does.
        let _ = measure.write_fmt(zh);
        let split = measure.0;
        let _ = measure.write_fmt(en);
        let mut both = String::with_capacity(measure.0);
        let _ = both.write_fmt(zh);
        let _ = both.write_fmt(en);
        Bilingual {
            both: both.into_boxed_str(),
            split,
        }
    }

    pub fn zh(&self) -> &str {
        &self.both[..self.split]
    }

    pub fn en(&self) -> &str {
        &self.both[self.split..]
    }

    pub fn get(&self, lang: super::Lang) -> &str {
        match lang {
            super::Lang::Zh => self.zh(),
            super::Lang::En => self.en(),
        }
    }
}

/// Counts the bytes a formatting would write.
struct Measure(usize);

impl fmt::Write for Measure {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

impl fmt::Debug for Bilingual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bilingual")
            .field("zh", &self.zh())
            .field("en", &self.en())
            .finish()
    }
}

/// Serialised as `{"zh": ..., "en": ...}`.
impl Serialize for Bilingual {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Bilingual", 2)?;
        s.serialize_field("zh", self.zh())?;
        s.serialize_field("en", self.en())?;
        s.end()
    }
}
