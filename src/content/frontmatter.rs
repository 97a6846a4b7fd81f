//! Splitting a Markdown file into its `+++` TOML front matter and body, and the typed keys.

use serde::Deserialize;

use crate::config::Briefhoofd;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Position, position_of};
use crate::profile::Zichtbaarheid;
use crate::tomlspan;

/// A file split at its `+++` fences.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front: &'a str,
    /// Line number of the first front matter line.
    pub front_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// Line number of the first body line.
    pub body_line: usize,
}

/// Splits `text` (BOM and CR already removed) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, (String, String)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        let what = if text.trim().is_empty() {
            "file is empty"
        } else {
            "file does not start with front matter"
        };
        return Err((
            what.to_owned(),
            "start the file with a line +++, then title = \"...\", then a line +++".to_owned(),
        ));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "+++" {
            return Ok(Split {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err((
        "front matter is not closed".to_owned(),
        "add a line +++ after the last front matter key".to_owned(),
    ))
}

/// An attachment of a letter.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bijlage {
    /// Title shown to readers.
    pub titel: String,
    /// File name, next to the letter or under `static/`.
    pub bestand: String,
    /// The file holds personal details (the original of an imported letter, with the
    /// names and direct numbers of its letterhead): the `openbaar` profile leaves it out,
    /// as it leaves out the letter's personal fields, unless `site.toml` allows them.
    #[serde(default)]
    pub persoonsgegevens: bool,
}

/// Every key a page may have; which keys a kind of page accepts is checked afterwards, so
/// a key of the wrong kind gets a message of its own instead of "unknown key".
/// Each field is the front matter key of the same name, described in the README.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub description: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub template: Option<String>,
    pub updated: Option<Date>,
    pub aliases: Option<Vec<String>>,
    pub zichtbaarheid: Option<Zichtbaarheid>,
    // letters
    pub kenmerk: Option<String>,
    pub behandeld_door: Option<String>,
    pub doorkiesnummer: Option<String>,
    pub uw_brief_van: Option<Date>,
    pub uw_kenmerk: Option<String>,
    pub afzender: Option<String>,
    pub ondertekening: Option<String>,
    pub aan: Option<String>,
    pub opgaven: Option<Vec<u32>>,
    pub bijlagen: Option<Vec<Bijlage>>,
    pub postadres: Option<String>,
    pub bezoekadres: Option<String>,
    pub telefoonnummer: Option<String>,
    // letters and opgaven
    pub gemeenten: Option<Vec<String>>,
    // opgaven
    pub nummer: Option<u32>,
    pub thema: Option<String>,
    pub status: Option<String>,
}

impl FrontMatter {
    /// The letter's own address block laid over the site-wide defaults of `site.toml`.
    pub fn briefhoofd_over(&self, defaults: &Briefhoofd) -> Briefhoofd {
        let pick = |own: &Option<String>, default: &Option<String>| {
            own.clone().or_else(|| default.clone())
        };
        Briefhoofd {
            postadres: pick(&self.postadres, &defaults.postadres),
            bezoekadres: pick(&self.bezoekadres, &defaults.bezoekadres),
            telefoonnummer: pick(&self.telefoonnummer, &defaults.telefoonnummer),
        }
    }
}

/// Keys every page accepts.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "date",
    "description",
    "slug",
    "draft",
    "weight",
    "tags",
    "template",
    "updated",
    "aliases",
    "zichtbaarheid",
];
/// Keys only letters accept.
pub const LETTER_KEYS: &[&str] = &[
    "kenmerk",
    "behandeld_door",
    "doorkiesnummer",
    "uw_brief_van",
    "uw_kenmerk",
    "afzender",
    "ondertekening",
    "aan",
    "gemeenten",
    "opgaven",
    "bijlagen",
    "postadres",
    "bezoekadres",
    "telefoonnummer",
];
/// Keys only opgaven accept.
pub const OPGAVE_KEYS: &[&str] = &["nummer", "thema", "gemeenten", "status"];
/// Keys a section's `_index.md` accepts.
pub const SECTION_KEYS: &[&str] = &["title", "description", "template", "zichtbaarheid"];

impl FrontMatter {
    /// The names of the keys that are set, for checking them against a kind's key list.
    pub fn keys_set(&self) -> Vec<&'static str> {
        [
            ("title", self.title.is_some()),
            ("date", self.date.is_some()),
            ("description", self.description.is_some()),
            ("slug", self.slug.is_some()),
            ("draft", self.draft),
            ("weight", self.weight.is_some()),
            ("tags", !self.tags.is_empty()),
            ("template", self.template.is_some()),
            ("updated", self.updated.is_some()),
            ("aliases", self.aliases.is_some()),
            ("zichtbaarheid", self.zichtbaarheid.is_some()),
            ("kenmerk", self.kenmerk.is_some()),
            ("behandeld_door", self.behandeld_door.is_some()),
            ("doorkiesnummer", self.doorkiesnummer.is_some()),
            ("uw_brief_van", self.uw_brief_van.is_some()),
            ("uw_kenmerk", self.uw_kenmerk.is_some()),
            ("afzender", self.afzender.is_some()),
            ("ondertekening", self.ondertekening.is_some()),
            ("aan", self.aan.is_some()),
            ("opgaven", self.opgaven.is_some()),
            ("bijlagen", self.bijlagen.is_some()),
            ("postadres", self.postadres.is_some()),
            ("bezoekadres", self.bezoekadres.is_some()),
            ("telefoonnummer", self.telefoonnummer.is_some()),
            ("gemeenten", self.gemeenten.is_some()),
            ("nummer", self.nummer.is_some()),
            ("thema", self.thema.is_some()),
            ("status", self.status.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect()
    }
}

/// Where `key = ...` is written in the front matter text that starts at `first_line`: the
/// start of the key. `key` may be a path such as `bijlagen[1].bestand`; the parser's spans
/// find it also when dotted, quoted, in an inline table or under a `[[bijlagen]]` header.
pub fn key_position(front: &str, first_line: usize, key: &str) -> Option<Position> {
    let span = tomlspan::entry_span(front, key)?;
    let mut p = position_of(front, span.start);
    p.line += first_line.saturating_sub(1);
    Some(p)
}

/// A diagnostic at `key` in a file's front matter, with its line underlined from the key to
/// the end of its value; at the line before the front matter when the key is not there.
/// `key` may be a path such as `bijlagen[1].bestand`.
pub fn at_key(
    shown: &std::path::Path,
    front: &str,
    first_line: usize,
    key: &str,
    message: String,
) -> Diagnostic {
    let d = Diagnostic::in_file(shown, message);
    match tomlspan::entry_span(front, key) {
        Some(span) => d.at_span(front, first_line, span),
        None => d.at(first_line.saturating_sub(1).max(1), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let s = split("+++\ntitle = \"x\"\n+++\n\nBody\n").unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert_eq!(split("").unwrap_err().0, "file is empty");
        assert_eq!(
            split("title = 1\n").unwrap_err().0,
            "file does not start with front matter"
        );
        assert_eq!(
            split("+++\ntitle = \"x\"\n").unwrap_err().0,
            "front matter is not closed"
        );
    }

    #[test]
    fn finds_keys() {
        let p = key_position("title = \"x\"\n  kenmerk = \"1\"\n", 2, "kenmerk").unwrap();
        assert_eq!((p.line, p.column), (3, 3));
    }
}
