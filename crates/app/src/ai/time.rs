//! `HUB_TIMEZONE` and the `time` of a message (`6:30 pm`).
//!
//! The zone is a fixed UTC offset (`UTC`, `+08:00`, `-0530`, `UTC+8`), not a named zone: a
//! named zone needs the tz database in the binary for one field that is shown next to a full
//! UTC `createdAt`; an offset covers the hub's users, and a wrong name fails at start-up.

use chrono::{DateTime, FixedOffset, Offset, Utc};

/// The zone messages' `time` is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(FixedOffset);

impl Timezone {
    /// UTC, the default.
    pub fn utc() -> Self {
        Self(Utc.fix())
    }

    /// `UTC` or `Z`, or an offset `±HH`, `±HHMM`, `±HH:MM`, optionally after `UTC`/`GMT`.
    /// Errors say what is accepted.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let wrong = || {
            format!(
                "HUB_TIMEZONE={raw:?}: expected UTC or an offset such as +08:00 or -05:30 \
                 (named zones are not supported)"
            )
        };
        let text = raw.trim();
        let upper = text.to_ascii_uppercase();
        let offset = upper
            .strip_prefix("UTC")
            .or_else(|| upper.strip_prefix("GMT"))
            .unwrap_or(&upper);
        if offset.is_empty() || offset == "Z" {
            return Ok(Self::utc());
        }
        let (sign, digits) = match offset.split_at(1) {
            ("+", rest) => (1, rest),
            ("-", rest) => (-1, rest),
            _ => return Err(wrong()),
        };
        let digits = digits.replace(':', "");
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(wrong());
        }
        let (hours, minutes) = match digits.len() {
            1 | 2 => (digits.as_str(), "0"),
            3 => digits.split_at(1),
            _ => digits.split_at(2),
        };
        let hours: i32 = hours.parse().map_err(|_| wrong())?;
        let minutes: i32 = minutes.parse().map_err(|_| wrong())?;
        if hours > 14 || minutes > 59 {
            return Err(wrong());
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
            .map(Self)
            .ok_or_else(wrong)
    }

    /// `6:30 pm`: the hour without padding, minutes, lower-case am/pm, in this zone.
    pub fn clock_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.0).format("%-I:%M %P").to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn offsets_parse_and_names_do_not() {
        let at = Utc.with_ymd_and_hms(2025, 1, 10, 18, 30, 0).unwrap();
        assert_eq!(Timezone::utc().clock_time(at), "6:30 pm");
        let taipei = Timezone::parse("+08:00").unwrap();
        assert_eq!(taipei.clock_time(at), "2:30 am");
        for same in ["UTC+8", "+0800", "+8", "gmt+08"] {
            assert_eq!(Timezone::parse(same), Ok(taipei), "{same}");
        }
        assert_eq!(Timezone::parse("-05:30").unwrap().clock_time(at), "1:00 pm");
        for utc in ["UTC", "utc", "Z", ""] {
            assert_eq!(Timezone::parse(utc), Ok(Timezone::utc()), "{utc}");
        }
        for bad in ["Asia/Taipei", "+25:00", "+08:75", "8", "+08:00:00"] {
            assert!(Timezone::parse(bad).is_err(), "{bad}");
        }
        let noon = Utc.with_ymd_and_hms(2025, 1, 10, 12, 5, 0).unwrap();
        assert_eq!(Timezone::utc().clock_time(noon), "12:05 pm");
    }
}
