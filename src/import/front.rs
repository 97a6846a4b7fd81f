//! The front matter of an imported letter, made from the recognised letterhead with the
//! keys of the content model, in the order `raadsite new` writes them.

use std::path::Path;

use crate::config::Config;
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

use super::Kind;
use super::dutch_date;
use super::labels::{Field, collapse};
use super::letterhead::Letter;

/// A front matter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string on one line.
    Text(String),
    /// A string of several lines.
    Lines(String),
    /// A TOML date.
    Date(Date),
    /// The `gemeenten` list.
    List(Vec<String>),
    /// The original, as the one entry of `bijlagen`: its title and file name.
    Original(String, String),
}

/// The keys and values, in order; fields the letter left empty are not in it.
#[derive(Debug, Clone)]
pub struct Front {
    /// `(key, value)` pairs.
    pub keys: Vec<(&'static str, Value)>,
    /// Remarks for the summary: what was compared, proposed or left out, and why.
    pub notes: Vec<String>,
    date: Date,
    slug: String,
}

impl Front {
    /// The front matter of `letter`; without a date or a subject there is no letter, and the
    /// error names every missing field.
    pub fn of(
        letter: &Letter,
        config: &Config,
        kind: Kind,
        file: &Path,
    ) -> Result<Front, Diagnostic> {
        let title = letter.one_line(Field::Onderwerp);
        let date_text = letter.one_line(Field::Datum);
        let date = date_text.as_deref().and_then(dutch_date::parse);
        let mut missing = Vec::new();
        if date_text.is_none() {
            missing.push("DATUM (the date)".to_owned());
        } else if date.is_none() {
            missing.push(format!(
                "DATUM: \"{}\" is not a date",
                date_text.as_deref().unwrap_or_default()
            ));
        }
        if title.is_none() {
            missing.push("ONDERWERP (the subject, the letter's title)".to_owned());
        }
        let (Some(title), Some(date)) = (title, date) else {
            return Err(Diagnostic::in_file(
                file,
                format!("no letter: missing {}", missing.join(" and ")),
            )
            .with_help(format!(
                "the {} must have labelled fields such as \"DATUM\" and \"ONDERWERP\" (or \
                 \"Datum:\", \"Onderwerp:\") before the salutation; nothing was written",
                kind.name()
            )));
        };
        let slug = match slugify(&title) {
            s if s.is_empty() => "brief".to_owned(),
            s => s,
        };
        let mut front = Front {
            keys: vec![("title", Value::Text(title)), ("date", Value::Date(date))],
            notes: Vec::new(),
            date,
            slug,
        };
        front.text_fields(letter);
        let gemeenten = front.addressee(letter, config);
        if !letter.ondertekening.is_empty() {
            let lines = letter.ondertekening.join("\n");
            front.keys.push(("ondertekening", Value::Lines(lines)));
        }
        if !gemeenten.is_empty() {
            front.keys.push(("gemeenten", Value::List(gemeenten)));
        }
        front.briefhoofd(letter, config);
        Ok(front)
    }

    /// The file name without extension: `<date>-<slug>`.
    pub fn stem(&self) -> String {
        format!("{}-{}", self.date, self.slug)
    }

    /// Adds the original as the letter's attachment.
    pub fn with_original(mut self, original: Option<&Path>, kind: Kind) -> Front {
        if let Some(name) = original.and_then(Path::file_name) {
            let titel = format!("Originele brief ({})", kind.name());
            let value = Value::Original(titel, name.to_string_lossy().into_owned());
            // Before the address keys, as `raadsite new` orders them.
            let at = self
                .keys
                .iter()
                .position(|(k, _)| ["postadres", "bezoekadres", "telefoonnummer"].contains(k))
                .unwrap_or(self.keys.len());
            self.keys.insert(at, ("bijlagen", value));
        }
        self
    }

    fn text_fields(&mut self, letter: &Letter) {
        for (key, field) in [
            ("kenmerk", Field::Kenmerk),
            ("behandeld_door", Field::BehandeldDoor),
            ("doorkiesnummer", Field::Doorkiesnummer),
        ] {
            if let Some(v) = letter.one_line(field) {
                self.keys.push((key, Value::Text(v)));
            }
        }
        if let Some(v) = letter.one_line(Field::UwBriefVan) {
            match dutch_date::parse(&v) {
                Some(d) => self.keys.push(("uw_brief_van", Value::Date(d))),
                None => self
                    .notes
                    .push(format!("UW BRIEF VAN \"{v}\" is not a date: left out")),
            }
        }
        if let Some(v) = letter.one_line(Field::UwKenmerk) {
            self.keys.push(("uw_kenmerk", Value::Text(v)));
        }
        if let Some(v) = letter
            .one_line(Field::Bijlagen)
            .filter(|v| !["geen", "-", "0", "nvt", "n.v.t."].contains(&v.to_lowercase().as_str()))
        {
            self.notes.push(format!(
                "BIJLAGE(N) \"{v}\": add those files to bijlagen by hand"
            ));
        }
    }

    /// `aan`, and the `gemeenten` proposed from it.
    fn addressee(&mut self, letter: &Letter, config: &Config) -> Vec<String> {
        if letter.aan.is_empty() {
            self.notes
                .push("no addressee found: aan left out".to_owned());
            return Vec::new();
        }
        let aan = letter.aan.join("\n");
        let lower = collapse(&aan).to_lowercase();
        let gemeenten: Vec<String> = if lower.contains("gemeenten")
            && ["veertien", "alle ", "14 "]
                .iter()
                .any(|w| lower.contains(w))
        {
            vec!["alle".to_owned()]
        } else {
            config
                .gemeenten
                .iter()
                .filter(|g| contains_word(&lower, &g.naam.to_lowercase()))
                .map(|g| g.slug.clone())
                .collect()
        };
        self.keys.push(("aan", Value::Lines(aan)));
        if gemeenten.is_empty() {
            self.notes
                .push("gemeenten: the addressee names none; left out".to_owned());
        } else {
            self.notes.push(format!(
                "gemeenten proposed from the addressee: {}",
                gemeenten.join(", ")
            ));
        }
        gemeenten
    }

    /// The sender's address block against site.toml's `briefhoofd`: a different one is kept
    /// on the letter.
    fn briefhoofd(&mut self, letter: &Letter, config: &Config) {
        let site = &config.briefhoofd;
        for (key, field, configured) in [
            ("postadres", Field::Postadres, &site.postadres),
            ("bezoekadres", Field::Bezoekadres, &site.bezoekadres),
            (
                "telefoonnummer",
                Field::Telefoonnummer,
                &site.telefoonnummer,
            ),
        ] {
            let Some(found) = letter.lines(field) else {
                continue;
            };
            let same = configured.as_deref().map(lines_of) == Some(lines_of(&found));
            if same {
                self.notes
                    .push(format!("{key}: the same as site.toml's briefhoofd"));
            } else {
                self.notes.push(format!(
                    "{key}: differs from site.toml's briefhoofd, kept on the letter"
                ));
                let value = if found.contains('\n') {
                    Value::Lines(found)
                } else {
                    Value::Text(found)
                };
                self.keys.push((key, value));
            }
        }
    }

    /// The front matter block, `+++` lines included.
    pub fn toml(&self) -> String {
        let mut out = String::from("+++\n");
        for (key, value) in &self.keys {
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&value.toml());
            out.push('\n');
        }
        out.push_str("+++\n");
        out
    }
}

impl Value {
    /// The value in TOML.
    pub fn toml(&self) -> String {
        match self {
            Value::Text(s) => quoted(s),
            Value::Lines(s) => multi_line(s),
            Value::Date(d) => d.to_string(),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
                format!("[{}]", items.join(", "))
            }
            // The original shows the letterhead's names and numbers: left out of the
            // public copy, as the letter's own personal fields are.
            Value::Original(titel, bestand) => format!(
                "[{{ titel = {}, bestand = {}, persoonsgegevens = true }}]",
                quoted(titel),
                quoted(bestand)
            ),
        }
    }

    /// The value as the summary shows it: lines joined by " / ".
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Lines(s) => s.replace('\n', " / "),
            Value::Date(d) => format!("{d} ({})", d.dutch()),
            Value::List(items) => items.join(", "),
            Value::Original(_, bestand) => {
                format!("{bestand} (the original; not in the openbaar site: persoonsgegevens)")
            }
        }
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A TOML multi-line basic string, starting on its own line as the example letters write it.
fn multi_line(s: &str) -> String {
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push('\n'),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// Lines with their white space collapsed, empty ones left out: addresses compare alike
/// however they were spaced.
fn lines_of(s: &str) -> Vec<String> {
    s.lines().map(collapse).filter(|l| !l.is_empty()).collect()
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().last();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
