//! `raadsite new`: starts a letter or an opgave as a Markdown file with every front matter key
//! of its kind, the optional ones commented out with a short Dutch explanation, so authors
//! need not look the keys up. The file builds as created.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config;
use crate::content::{self, Kind, LETTERS, OPGAVEN};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;
use crate::slug::slugify;

/// What to create.
#[derive(Debug, Clone)]
pub enum NewPage {
    /// A letter with this subject as its title.
    Brief {
        /// The subject (title) of the letter.
        onderwerp: String,
    },
    /// An opgave with this number and title.
    Opgave {
        /// The opgave's number.
        nummer: u32,
        /// Its title.
        titel: String,
    },
}

/// Creates the file for `page` under `root/content` and returns its path. Never overwrites a
/// file; an opgave whose number is taken is refused.
pub fn create(root: &Path, page: &NewPage, today: Date) -> Result<PathBuf, Diagnostics> {
    let (title, section, file, text) = match page {
        NewPage::Brief { onderwerp } => (
            onderwerp,
            LETTERS,
            format!("{today}-{}.md", slug_of(onderwerp)?),
            letter(onderwerp, today),
        ),
        NewPage::Opgave { nummer, titel } => {
            check_nummer(root, *nummer)?;
            (
                titel,
                OPGAVEN,
                format!("{nummer:02}-{}.md", slug_of(titel)?),
                opgave(*nummer, titel),
            )
        }
    };
    if title.trim().is_empty() {
        return Err(Diagnostic::general("the title is empty").into());
    }
    let dir = root.join("content").join(section);
    fsutil::create_dir_all(&dir)?;
    let path = dir.join(file);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::in_file(&path, "the file already exists; it is left as it is")
                    .with_help("choose another title, or edit the existing file")
            } else {
                fsutil::io_error(&path, "could not create", &e)
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| fsutil::io_error(&path, "could not write", &e))?;
    Ok(path)
}

/// Today's date (UTC).
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = crate::dates::civil_from_days((secs / 86_400) as i64);
    Date {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    }
}

fn slug_of(title: &str) -> Result<String, Diagnostic> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::general(format!(
            "the title \"{title}\" has no letters or digits to make a file name from"
        )));
    }
    Ok(slug)
}

/// Refuses a number that an existing opgave already has.
fn check_nummer(root: &Path, nummer: u32) -> Result<(), Diagnostics> {
    let config = config::load(root)?;
    let (content, _) = content::load(root, &config);
    for doc in &content.documents {
        if let Kind::Opgave(o) = &doc.kind
            && o.nummer == nummer
        {
            return Err(Diagnostic::in_file(
                &doc.source.shown,
                format!("opgave {nummer} already exists"),
            )
            .with_help("choose a number that is not taken yet")
            .into());
        }
    }
    Ok(())
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn letter(onderwerp: &str, today: Date) -> String {
    format!(
        r#"+++
title = {title}
date = {today}
# Haal het hekje (#) weg voor elk veld dat u invult; lege velden blijven weg.
# description = "Korte samenvatting voor overzichten en zoekmachines"
# kenmerk = ""
# behandeld_door = ""
# doorkiesnummer = ""
# uw_brief_van = {today}
# uw_kenmerk = ""
# afzender = ""
# aan = ""
# ondertekening = """
# (naam)
# functie"""
# gemeenten = ["alle"]
# opgaven = [1]
# tags = []
# bijlagen = [{{ titel = "", bestand = "", persoonsgegevens = false }}]
# postadres = ""
# bezoekadres = ""
# telefoonnummer = ""
{generic}+++

Geachte colleges,

Schrijf hier de tekst van de brief.
"#,
        title = quoted(onderwerp),
        generic = generic_keys(today),
    )
}

fn opgave(nummer: u32, titel: &str) -> String {
    format!(
        r#"+++
title = {title}
nummer = {nummer}
# Haal het hekje (#) weg voor elk veld dat u invult; lege velden blijven weg.
# description = "Korte samenvatting voor overzichten en zoekmachines"
# thema = ""
# status = ""
# gemeenten = ["alle"]
# tags = []
# date = {today}
{generic}+++

## Waar gaat de opgave over?

Schrijf hier de beschrijving van de opgave.
"#,
        title = quoted(titel),
        today = today(),
        generic = generic_keys(today()),
    )
}

/// The keys every kind of page has that the templates above do not set, commented out; one
/// list, so a key added to the front matter is offered for letters and opgaven alike.
fn generic_keys(today: Date) -> String {
    format!(
        r#"# slug = ""
# weight = 0
# template = ""
# draft = true
# updated = {today}
# aliases = []
# zichtbaarheid = "openbaar"
"#
    )
}
