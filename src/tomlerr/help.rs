//! How to write a value of the right kind, worked out from what the author wrote instead:
//! `"7"` becomes `nummer = 7`, `"7 mei 2026"` becomes `date = 2026-05-07`.

use toml::de::DeValue;

use super::Expected;
use crate::dates::MAANDEN;
use crate::tomlspan::KeyPath;

/// The help for a value `found` (written as `source`) where `expected` was needed; `assign`
/// writes a value as the line `key = value` of the key concerned.
pub(super) fn help(
    expected: Expected,
    found: Option<&DeValue>,
    source: &str,
    path: Option<&KeyPath>,
    assign: &dyn Fn(&str) -> String,
) -> Option<String> {
    match expected {
        Expected::Whole { .. } => Some(whole(found, assign)),
        Expected::Number => None,
        Expected::Text => Some(text(found, source, assign)),
        Expected::Date => Some(date(found, assign)),
        Expected::Bool => Some(boolean(found, assign)),
        Expected::List => list(found, source, path, assign),
        Expected::Table => Some(table(path)),
        Expected::Word | Expected::Unknown => None,
    }
}

fn whole(found: Option<&DeValue>, assign: &dyn Fn(&str) -> String) -> String {
    match found {
        Some(DeValue::String(s)) => {
            if let Ok(n) = s.trim().parse::<i64>() {
                format!("write it without quotes: {}", assign(&n.to_string()))
            } else if let Some(n) = dutch_number(s) {
                format!(
                    "write it in digits, without quotes: {}",
                    assign(&n.to_string())
                )
            } else {
                format!(
                    "write the number in digits, without quotes, e.g. {}",
                    assign("1")
                )
            }
        }
        Some(DeValue::Float(f)) => match f.as_str().parse::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
                format!(
                    "write it without a decimal point: {}",
                    assign(&format!("{x:.0}"))
                )
            }
            _ => "write a whole number, without a decimal point".to_owned(),
        },
        _ => format!("write a whole number in digits, e.g. {}", assign("1")),
    }
}

/// The number a Dutch number word from nul to twintig stands for.
fn dutch_number(word: &str) -> Option<usize> {
    const WORDS: [&str; 21] = [
        "nul",
        "een",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
        "twintig",
    ];
    let word = word.trim().to_lowercase().replace(['é', 'è'], "e");
    WORDS.iter().position(|w| *w == word)
}

fn text(found: Option<&DeValue>, source: &str, assign: &dyn Fn(&str) -> String) -> String {
    match found {
        Some(DeValue::Array(items)) => match items.as_ref() {
            [one] if one.get_ref().is_str() => format!(
                "write one text, without [ and ]: {}",
                assign(&format!("{:?}", one.get_ref().as_str().unwrap_or("")))
            ),
            _ => "write one text between quotes, without [ and ]".to_owned(),
        },
        Some(DeValue::Table(_)) => format!("write the text between quotes: {}", assign("\"...\"")),
        _ => format!(
            "put it between quotes: {}",
            assign(&format!("\"{source}\""))
        ),
    }
}

fn date(found: Option<&DeValue>, assign: &dyn Fn(&str) -> String) -> String {
    let written = match found {
        Some(DeValue::String(s)) => as_date(s).map(|iso| (iso.as_str() == s.trim(), iso)),
        _ => None,
    };
    match written {
        Some((true, iso)) => format!("write it without quotes: {}", assign(&iso)),
        Some((false, iso)) => format!(
            "write it as year-month-day, without quotes: {}",
            assign(&iso)
        ),
        None => format!(
            "write the date as year-month-day, without quotes, e.g. {}",
            assign("2026-05-07")
        ),
    }
}

/// The date in `s` as year-month-day, when it is one: "2026-05-07", "7-5-2026", "7 mei 2026".
fn as_date(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    let words: Vec<&str> = s.split_whitespace().collect();
    let (y, m, d): (u32, u32, u32) = if let [d, maand, y] = words.as_slice() {
        let m = MAANDEN.iter().position(|n| n == maand)? + 1;
        (y.parse().ok()?, u32::try_from(m).ok()?, d.parse().ok()?)
    } else {
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let n = |p: &str| p.parse::<u32>().ok();
        match (a.len(), c.len()) {
            (4, 1..=2) => (n(a)?, n(b)?, n(c)?),
            (1..=2, 4) => (n(c)?, n(b)?, n(a)?),
            _ => return None,
        }
    };
    let valid = (1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn boolean(found: Option<&DeValue>, assign: &dyn Fn(&str) -> String) -> String {
    let word = found
        .and_then(DeValue::as_str)
        .map(|s| s.trim().to_lowercase());
    let meant = match word.as_deref() {
        Some("true" | "ja" | "waar" | "aan" | "yes") => Some("true"),
        Some("false" | "nee" | "onwaar" | "uit" | "no") => Some("false"),
        _ => None,
    };
    match meant {
        Some(b) => format!("write it without quotes: {}", assign(b)),
        None => format!("write {} or {}", assign("true"), assign("false")),
    }
}

fn list(
    found: Option<&DeValue>,
    source: &str,
    path: Option<&KeyPath>,
    assign: &dyn Fn(&str) -> String,
) -> Option<String> {
    let key = path.and_then(KeyPath::last_key).unwrap_or("...");
    match found? {
        DeValue::Table(_) if source.starts_with('[') => Some(format!(
            "write the heading as [[{key}]], with double brackets, once for each item"
        )),
        DeValue::Table(_) | DeValue::Array(_) => None,
        _ => Some(format!(
            "put it between square brackets: {}",
            assign(&format!("[{source}]"))
        )),
    }
}

fn table(path: Option<&KeyPath>) -> String {
    match (path.and_then(KeyPath::list_key), path) {
        (Some(key), _) => format!(
            "write each item as a table: a line [[{key}]] with the item's keys on the lines below it"
        ),
        (None, Some(p)) => {
            format!("write it as a table: a line [{p}] with its keys on the lines below it")
        }
        (None, None) => "write it as a table".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_authors_write_them() {
        assert_eq!(as_date("2026-05-07").as_deref(), Some("2026-05-07"));
        assert_eq!(as_date("7 mei 2026").as_deref(), Some("2026-05-07"));
        assert_eq!(as_date("07-05-2026").as_deref(), Some("2026-05-07"));
        assert_eq!(as_date("7/5/2026").as_deref(), Some("2026-05-07"));
        assert_eq!(as_date("7 meii 2026"), None);
        assert_eq!(as_date("2026-13-01"), None);
        assert_eq!(as_date("morgen"), None);
    }

    #[test]
    fn dutch_number_words() {
        assert_eq!(dutch_number("zeven"), Some(7));
        assert_eq!(dutch_number(" Eén "), Some(1));
        assert_eq!(dutch_number("zevenentwintig"), None);
    }
}
