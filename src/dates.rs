//! Calendar dates as authors write them (TOML dates) and as Dutch readers read them.

use std::fmt;

use serde::{Deserialize, Deserializer};

pub(crate) const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A calendar date, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month, 1-31.
    pub day: u8,
}

impl Date {
    /// The date in Dutch, as in a letterhead: "7 mei 2026".
    pub fn dutch(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MAANDEN[usize::from(self.month - 1)],
            self.year
        )
    }

    /// ISO 8601 form, "2026-05-07", for `<time datetime>` and metadata.
    pub fn iso(&self) -> String {
        self.to_string()
    }

    /// The day after this one.
    pub fn next_day(&self) -> Date {
        let leap = self.year.is_multiple_of(4)
            && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400));
        let length = match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        match (self.day >= length, self.month) {
            (false, _) => Date {
                day: self.day + 1,
                ..*self
            },
            (true, 12) => Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            },
            (true, m) => Date {
                month: m + 1,
                day: 1,
                ..*self
            },
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// Accepts a TOML date (`2026-05-07`) or a date-time (its date part is used); anything else,
    /// including a quoted string, is a type error.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        let date = dt.date.ok_or_else(|| {
            serde::de::Error::invalid_type(
                serde::de::Unexpected::Other("a time only"),
                &"a date such as 2026-05-07",
            )
        })?;
        Ok(Date {
            year: date.year,
            month: date.month,
            day: date.day,
        })
    }
}

/// Year, month and day of the day `days` after 1970-01-01, in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm); no date crate needed for "today" and timestamps.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates() {
        let d = Date {
            year: 2026,
            month: 5,
            day: 7,
        };
        assert_eq!(d.dutch(), "7 mei 2026");
        assert_eq!(d.iso(), "2026-05-07");
    }

    #[test]
    fn next_days() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(d(2026, 5, 7).next_day(), d(2026, 5, 8));
        assert_eq!(d(2026, 4, 30).next_day(), d(2026, 5, 1));
        assert_eq!(d(2026, 12, 31).next_day(), d(2027, 1, 1));
        assert_eq!(d(2028, 2, 28).next_day(), d(2028, 2, 29));
        assert_eq!(d(2100, 2, 28).next_day(), d(2100, 3, 1));
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_580), (2026, 5, 7));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
