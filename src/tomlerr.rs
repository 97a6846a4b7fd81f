//! Turns TOML errors into diagnostics that point into the author's file and say, in words a
//! griffie understands, which key is wrong and what it should be: "nummer must be a whole
//! number, not the text \"zeven\"", never the Rust type the value was read into.

mod help;

use std::ops::Range;
use std::path::Path;

use toml::de::DeValue;

use crate::diagnostics::{Diagnostic, suggest};
use crate::tomlspan::{Bare, Doc, Entry, KeyPath, Shape, Want};

/// Converts a `toml` error in `text` (which starts at line `first_line` of `file`) into a
/// diagnostic; an unknown key at the top gets the nearest of `known_keys` as a suggestion,
/// one in a table the nearest of that table's keys.
pub fn diagnostic(
    file: &Path,
    text: &str,
    first_line: usize,
    err: &toml::de::Error,
    what: &str,
    known_keys: &[&str],
) -> Diagnostic {
    let raw = err.message().trim();
    let Some(span) = err
        .span()
        .filter(|s| s.start <= s.end && s.end <= text.len())
    else {
        let (message, help) = words(raw, None, what, known_keys);
        return Diagnostic::in_file(file, message).with_help_opt(help);
    };
    // An empty span is the whole document (a key missing at the top) or the end of a line
    // with a syntax error: no entry is about it.
    let doc = (!span.is_empty()).then(|| Doc::parse(text)).flatten();
    let entry = doc.as_ref().and_then(|d| d.at(span.clone(), want(raw)));
    let heading = doc
        .as_ref()
        .zip(entry.as_ref())
        .and_then(|(d, e)| d.get(&e.path.parent()))
        .and_then(|table| text.get(table.value))
        .filter(|t| t.starts_with('['));
    let context = Context {
        entry,
        heading,
        text,
        span: span.clone(),
    };
    let (message, help) = words(raw, Some(&context), what, known_keys);
    let d = Diagnostic::in_file(file, message).with_help_opt(help);
    if span.is_empty() && raw.starts_with("missing field") {
        // The whole document (a key missing at the top): its first line, nothing underlined.
        let p = crate::diagnostics::position_of(text, span.start);
        d.at(p.line + first_line.saturating_sub(1), p.column)
    } else {
        d.at_span(text, first_line, span)
    }
}

/// What the error's span is, for finding its entry.
struct Context<'d> {
    entry: Option<Entry<'d>>,
    /// The `[table]` or `[[list]]` header the entry is under, if it is under one.
    heading: Option<&'d str>,
    text: &'d str,
    span: Range<usize>,
}

impl Context<'_> {
    /// The text of the span, as the author wrote it.
    fn source(&self) -> &str {
        self.text.get(self.span.clone()).unwrap_or("")
    }
}

/// Which entry an error message is about: the key of an unknown key, the table of a missing
/// one, the list or table a type error names.
fn want(raw: &str) -> Want {
    if raw.starts_with("unknown field") {
        Want::Key
    } else if raw.starts_with("missing field") {
        Want::Value(Some(Shape::Table))
    } else if let Some((found, _)) = type_error(raw) {
        Want::Value(match found {
            f if f.starts_with("sequence") => Some(Shape::List),
            f if f.starts_with("map") => Some(Shape::Table),
            _ => None,
        })
    } else {
        Want::Value(None)
    }
}

/// `(found, expected)` of serde's "invalid type: found, expected x" (or "invalid value", or
/// "invalid length", which serde gives of a list where a table is needed).
fn type_error(raw: &str) -> Option<(&str, &str)> {
    let rest = raw
        .strip_prefix("invalid type: ")
        .or_else(|| raw.strip_prefix("invalid value: "))
        .or_else(|| raw.strip_prefix("invalid length "))?;
    rest.rsplit_once(", expected ")
}

/// The message and help for error `raw`.
fn words(
    raw: &str,
    at: Option<&Context>,
    what: &str,
    known_keys: &[&str],
) -> (String, Option<String>) {
    let path = at.and_then(|c| c.entry.as_ref()).map(|e| &e.path);
    if let Some(key) = quoted_after(raw, "unknown field `") {
        let heading = at.and_then(|c| c.heading);
        return unknown_key(key, path, heading, raw, what, known_keys);
    }
    if let Some(key) = quoted_after(raw, "missing field `") {
        let message = match path.filter(|p| p.len() > 0) {
            Some(p) => format!("missing key \"{key}\" in {what}, in {p}"),
            None => format!("missing key \"{key}\" in {what}"),
        };
        return (message, None);
    }
    if let Some(at) = at {
        if let Some(variant) = quoted_after(raw, "unknown variant `") {
            return unknown_word(variant, &serde_list(raw), at);
        }
        if raw == "wanted string or table" {
            return wrong_type(Expected::Word, false, at);
        }
        if let Some((found, expected)) = type_error(raw) {
            // serde says "integer `N` as i128" of an integer too large for i64.
            let out_of_range = raw.starts_with("invalid value")
                || (found.starts_with("integer") && found.ends_with(" as i128"));
            return wrong_type(Expected::of(expected), out_of_range, at);
        }
        if raw == "duplicate key" {
            return (
                format!(
                    "key \"{}\" is set twice in {what}",
                    at.source().trim_matches(['"', '\''])
                ),
                Some("keep one of the two".to_owned()),
            );
        }
    }
    if type_error(raw).is_some() {
        return (format!("a value in {what} is of the wrong kind"), None);
    }
    (format!("invalid {what}: {raw}"), None)
}

/// The word between backticks after `prefix`.
fn quoted_after<'r>(raw: &'r str, prefix: &str) -> Option<&'r str> {
    raw.strip_prefix(prefix)?.split('`').next()
}

/// The names serde lists in "..., expected one of `a`, `b`" or "expected `a` or `b`".
fn serde_list(raw: &str) -> Vec<&str> {
    raw.split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default()
}

/// "unknown key ...", with the nearest known key; a key of the top level written below a
/// heading is told to move up.
fn unknown_key(
    key: &str,
    path: Option<&KeyPath>,
    heading: Option<&str>,
    raw: &str,
    what: &str,
    known_keys: &[&str],
) -> (String, Option<String>) {
    let nested = path.filter(|p| p.len() > 1);
    let table_keys = serde_list(raw);
    let known = if nested.is_some() || known_keys.is_empty() {
        &table_keys
    } else {
        known_keys
    };
    let help = match heading {
        Some(h) if nested.is_some() && known_keys.contains(&key) => format!(
            "{key} is not a key of {h}: move the line up, above the first line in square \
             brackets (the lines below {h} belong to it)"
        ),
        _ => suggest(key, known)
            .map(|k| format!("did you mean \"{k}\"?"))
            .unwrap_or_else(|| format!("known keys: {}", known.join(", "))),
    };
    let message = match nested {
        Some(p) => format!("unknown key \"{key}\" in {what}, in {}", p.parent()),
        None => format!("unknown key \"{key}\" in {what}"),
    };
    (message, Some(help))
}

/// The kinds of value a key can need, in the words of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// An integer type, with its smallest and largest value.
    Whole {
        min: i128,
        max: u128,
    },
    Number,
    Text,
    Date,
    Bool,
    List,
    Table,
    /// One of a fixed set of words.
    Word,
    /// A kind serde named that is not one of these.
    Unknown,
}

impl Expected {
    /// From the "expected ..." of a serde message.
    fn of(expected: &str) -> Expected {
        match expected {
            "a string" | "a borrowed string" | "a character" => Expected::Text,
            "a boolean" => Expected::Bool,
            "a sequence" => Expected::List,
            "f32" | "f64" => Expected::Number,
            // "fewer elements in array": a list too long to be read as a table.
            e if e.starts_with("struct ")
                || e.starts_with("a map")
                || e == "map"
                || e.starts_with("fewer elements") =>
            {
                Expected::Table
            }
            e if e.contains("datetime") || e.starts_with("a date") => Expected::Date,
            e => integer_bounds(e)
                .map_or(Expected::Unknown, |(min, max)| Expected::Whole { min, max }),
        }
    }

    /// The words for it; for a number out of range, with the range.
    fn words(self, out_of_range: bool, found: Option<&DeValue>) -> String {
        match self {
            Expected::Whole { min, max } if out_of_range => {
                let negative = found
                    .and_then(DeValue::as_integer)
                    .is_some_and(|i| i.as_str().starts_with('-'));
                match min {
                    0 if negative => "a whole number of 0 or more".to_owned(),
                    0 => format!("a whole number up to {max}"),
                    _ => format!("a whole number from {min} to {max}"),
                }
            }
            Expected::Whole { .. } => "a whole number".to_owned(),
            Expected::Number => "a number".to_owned(),
            Expected::Text => "text".to_owned(),
            Expected::Date => "a date such as 2026-05-07".to_owned(),
            Expected::Bool => "true or false".to_owned(),
            Expected::List => "a list".to_owned(),
            Expected::Table => "a table".to_owned(),
            Expected::Word => "a word between quotes".to_owned(),
            Expected::Unknown => "another kind of value".to_owned(),
        }
    }
}

/// Smallest and largest value of the integer type serde names.
fn integer_bounds(ty: &str) -> Option<(i128, u128)> {
    let bits: u32 = match ty.get(1..)? {
        "size" => usize::BITS,
        b => b
            .parse()
            .ok()
            .filter(|b| [8, 16, 32, 64, 128].contains(b))?,
    };
    match ty.as_bytes()[0] {
        b'u' => Some((0, u128::MAX >> (128 - bits))),
        b'i' => {
            let max = u128::MAX >> (129 - bits);
            Some((-i128::try_from(max).ok()? - 1, max))
        }
        _ => None,
    }
}

/// "nummer must be a whole number, not the text \"zeven\"", with how to write it instead.
fn wrong_type(expected: Expected, out_of_range: bool, at: &Context) -> (String, Option<String>) {
    let found = at.entry.as_ref().map(|e| e.found);
    let path = at.entry.as_ref().map(|e| &e.path);
    let subject = path.map_or_else(|| "this value".to_owned(), ToString::to_string);
    let message = format!(
        "{subject} must be {}, not {}",
        expected.words(out_of_range, found),
        describe(found, at.source())
    );
    let help = if out_of_range {
        None
    } else {
        let assign = |v: &str| match path.and_then(KeyPath::last_key) {
            Some(k) => format!("{} = {v}", Bare(k)),
            None => v.to_owned(),
        };
        help::help(expected, found, at.source(), path, &assign)
    };
    (message, help)
}

/// "zichtbaarheid must be \"openbaar\" or \"intern\", not the text \"geheim\"".
fn unknown_word(word: &str, words: &[&str], at: &Context) -> (String, Option<String>) {
    let found = at.entry.as_ref().map(|e| e.found);
    let subject = at
        .entry
        .as_ref()
        .map_or_else(|| "this value".to_owned(), |e| e.path.to_string());
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    let choice = match quoted.as_slice() {
        [] => "another word".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    let message = format!(
        "{subject} must be {choice}, not {}",
        describe(found, at.source())
    );
    let help = match suggest(word, words) {
        Some(w) => format!("did you mean \"{w}\"?"),
        None => format!("write one of: {}", quoted.join(", ")),
    };
    (message, Some(help))
}

/// The value found, in words: `the text "zeven"`, `the number 7`, `a list`.
fn describe(found: Option<&DeValue>, source: &str) -> String {
    match found {
        Some(DeValue::String(s)) => format!("the text {}", shorten(s)),
        Some(DeValue::Integer(_) | DeValue::Float(_)) => format!("the number {source}"),
        Some(DeValue::Boolean(b)) => format!("the value {b}"),
        Some(DeValue::Datetime(d)) => match (d.date, d.time) {
            (Some(_), None) => format!("the date {d}"),
            (None, Some(_)) => format!("the time {d}"),
            _ => format!("the date and time {d}"),
        },
        Some(DeValue::Array(_)) => "a list".to_owned(),
        Some(DeValue::Table(_)) => "a table".to_owned(),
        None => match DeValue::parse(source) {
            Ok(v) => describe(Some(v.get_ref()), source),
            Err(_) => shorten(source),
        },
    }
}

/// `s` between quotes, cut short after 40 characters.
fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(37).collect();
        format!("{:?}", format!("{cut}..."))
    } else {
        format!("{s:?}")
    }
}
