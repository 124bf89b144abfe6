//! The project's time zone (`[project] timezone` in `anbao.toml`, default Asia/Shanghai): the
//! zone drill times are logged and shown in, whatever zone the machine running anbao is set to.
//! A server in UTC must not turn a drill held from 09:00 in Xinzhou into one held from 01:00.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The zone of a project unless its manifest names another.
pub const DEFAULT: &str = "Asia/Shanghai";

/// An IANA time zone, as `anbao.toml` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl Default for Zone {
    fn default() -> Zone {
        Zone(chrono_tz::Asia::Shanghai)
    }
}

impl Zone {
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Now, with the zone's offset.
    pub fn now(self) -> DateTime<FixedOffset> {
        self.fixed(chrono::Utc::now().fixed_offset())
    }

    /// The same instant with the zone's offset at that instant.
    pub fn fixed(self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.0).fixed_offset()
    }

    /// `t` as the zone's wall clock shows it, e.g. `2026-11-20 09:30`.
    pub fn show(self, t: DateTime<FixedOffset>, format: &str) -> String {
        t.with_timezone(&self.0).format(format).to_string()
    }

    /// A time typed by a person: RFC 3339 (with its own offset), or a wall-clock time of the
    /// zone as `YYYY-MM-DDTHH:MM[:SS]` or `YYYY-MM-DD HH:MM[:SS]`. A wall-clock time that does
    /// not exist (skipped by a daylight-saving change) is `None`; one that exists twice is the
    /// earlier.
    pub fn parse(self, text: &str) -> Option<DateTime<FixedOffset>> {
        if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
            return Some(t);
        }
        const FORMATS: [&str; 4] = [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ];
        FORMATS.iter().find_map(|f| {
            let naive = NaiveDateTime::parse_from_str(text.trim(), f).ok()?;
            Some(
                self.0
                    .from_local_datetime(&naive)
                    .earliest()?
                    .fixed_offset(),
            )
        })
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Zone, D::Error> {
        let name = String::deserialize(d)?;
        name.parse::<Tz>().map(Zone).map_err(|_| {
            serde::de::Error::custom(format!(
                "'{name}' is not an IANA time zone (such as {DEFAULT} or UTC)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_times_are_read_in_the_zone_and_shown_in_it() {
        let z = Zone::default();
        let t = z.parse("2026-11-20T09:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T09:30:00+08:00");
        let utc = DateTime::parse_from_rfc3339("2026-11-20T01:30:00+00:00").unwrap();
        assert_eq!(z.show(utc, "%Y-%m-%d %H:%M %:z"), "2026-11-20 09:30 +08:00");
        assert_eq!(z.fixed(utc), t);
        assert_eq!(z.parse(" 2026-11-20 09:30 "), Some(t));
        assert!(z.parse("yesterday").is_none());
        let berlin = Zone(chrono_tz::Europe::Berlin);
        assert!(berlin.parse("2026-03-29T02:30").is_none(), "skipped by DST");
    }

    #[test]
    fn a_zone_name_is_checked_when_read() {
        #[derive(Deserialize)]
        struct P {
            timezone: Zone,
        }
        let p: P = toml::from_str("timezone = \"Asia/Urumqi\"").unwrap();
        assert_eq!(p.timezone.name(), "Asia/Urumqi");
        let err = toml::from_str::<P>("timezone = \"Beijing\"")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("'Beijing' is not an IANA time zone"), "{err}");
    }
}
