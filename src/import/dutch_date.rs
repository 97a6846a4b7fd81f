//! Dates as Dutch letters write them: "7 mei 2026", "donderdag 7 mei 2026",
//! "Enschede, 7 mei 2026", "7 jan. 2026", "07-05-2026", "7/5/2026", "2026-05-07".

use crate::dates::{Date, MAANDEN};

/// The date in `text`, or `None` when it holds none (or one that does not exist).
pub fn parse(text: &str) -> Option<Date> {
    // "Enschede, 7 mei 2026": the date is after the last comma.
    let text = text.rsplit(',').next().unwrap_or(text).trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let date = match words.as_slice() {
        [.., d, m, y] => words_date(d, m, y),
        [one] => numeric(one),
        _ => None,
    }?;
    valid(date).then_some(date)
}

fn words_date(d: &str, m: &str, y: &str) -> Option<Date> {
    let day: u8 = d.trim_end_matches('.').parse().ok()?;
    let m = m.trim_end_matches('.').to_lowercase();
    if m.len() < 3 {
        return None;
    }
    let month = MAANDEN
        .iter()
        .position(|name| *name == m || (m.len() <= 4 && name.starts_with(&m)))?;
    let year: u16 = y.trim_end_matches('.').parse().ok()?;
    Some(Date {
        year,
        month: month as u8 + 1,
        day,
    })
}

fn numeric(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    if y.len() != 4 {
        return None;
    }
    Some(Date {
        year: y.parse().ok()?,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    })
}

fn valid(d: Date) -> bool {
    let leap =
        (d.year.is_multiple_of(4) && !d.year.is_multiple_of(100)) || d.year.is_multiple_of(400);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1000..=9999).contains(&d.year)
        && (1..=12).contains(&d.month)
        && d.day >= 1
        && d.day <= days[usize::from(d.month - 1)]
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn dutch_dates() {
        for s in [
            "7 mei 2026",
            "donderdag 7 mei 2026",
            "Enschede, 7 mei 2026",
            "07-05-2026",
            "7/5/2026",
            "2026-05-07",
            "7 Mei 2026",
        ] {
            assert_eq!(
                parse(s).map(|d| d.to_string()).as_deref(),
                Some("2026-05-07"),
                "{s}"
            );
        }
        assert_eq!(
            parse("7 jan. 2026").map(|d| d.to_string()).as_deref(),
            Some("2026-01-07")
        );
        assert_eq!(parse("31 februari 2026"), None);
        assert_eq!(parse("Plan voor de Regio"), None);
    }
}
