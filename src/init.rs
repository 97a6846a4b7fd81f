//! `raadsite init`: starts a site of one's own in a folder: a `site.toml` with the fourteen
//! Twente gemeenten and every optional section commented out with a short Dutch
//! explanation, and the home, letters and opgaven pages. No theme is written: the site
//! builds with the built-in one, and at once, with empty lists that say so.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

/// The Twente gemeenten and their CBS codes, in the order of the example site's `site.toml`.
pub const GEMEENTEN: &[(&str, &str)] = &[
    ("Almelo", "GM0141"),
    ("Borne", "GM0147"),
    ("Dinkelland", "GM1774"),
    ("Enschede", "GM0153"),
    ("Haaksbergen", "GM0158"),
    ("Hellendoorn", "GM0163"),
    ("Hengelo", "GM0164"),
    ("Hof van Twente", "GM1735"),
    ("Losser", "GM0168"),
    ("Oldenzaal", "GM0173"),
    ("Rijssen-Holten", "GM1742"),
    ("Tubbergen", "GM0183"),
    ("Twenterand", "GM1700"),
    ("Wierden", "GM0189"),
];

/// What a new site starts with before its gemeenten: the required keys, then every optional
/// setting commented out. Lines of explanation start with a capital letter; the settings
/// themselves are `# key = ...` or `# [table]` and each parses as it is once the `# ` is
/// taken away.
const SITE_TOML: &str = r#"# De instellingen van deze site. Haal het hekje (#) weg voor elke instelling die u gebruikt.
# Wat achter een hekje staat, geldt niet.
title = "Raadsinformatie Twente"
description = "Brieven en regionale opgaven voor de gemeenteraden van de veertien Twentse gemeenten."
language = "nl"

# Het adres waar de site gepubliceerd wordt; alleen nodig voor volledige links (canonical, feeds).
# base_url = "https://intranet.example.nl/raad/"

# Het thema: "raad" is ingebouwd. Eigen sjablonen in templates/ en bestanden in static/ gaan voor.
# theme = "raad"

# Het briefhoofd dat elke brief toont, tenzij de brief een eigen adres geeft.
# [briefhoofd]
# postadres = "Postbus 1\n1234 AB PLAATS"
# bezoekadres = "Straat 1"
# telefoonnummer = "14 0000"

# De toegankelijkheidsverklaring (toegankelijkheid/index.html); vul alleen in wat waar is.
# [toegankelijkheid]
# organisatie = "Naam van de organisatie"
# status = "voldoet gedeeltelijk"
# datum = 2026-01-01
# email = "griffie@example.nl"
# url = "https://www.example.nl/toegankelijkheid"
# toelichting = "Hoe de site is onderzocht, welke problemen bekend zijn en wat eraan gebeurt."

# De metadata van brieven: alleen aanzetten als de brieven als Woo-categorie "ingekomen stukken" gepubliceerd worden.
# [metadata]
# woo_categorie = true

# Waar vastgelegde versies van de site (raadsite snapshot) bewaard worden; standaard snapshots/.
# [snapshots]
# map = "snapshots"

# Een PDF/A-versie van elke brief en opgave (voor iBabs of Notubiz, print en archief) staat standaard aan.
# [pdf]
# enabled = false

# De openbare versie (raadsite build --profile openbaar): ook namen en doorkiesnummers van behandelaars tonen.
# [openbaar]
# persoonsgegevens = true

# De gemeenten die de brieven ontvangen, met hun CBS-code.
"#;

/// The files of a new site, relative to its folder, and their text.
fn files() -> Vec<(&'static str, String)> {
    let mut site = SITE_TOML.to_owned();
    for (naam, code) in GEMEENTEN {
        site.push_str(&format!(
            "\n[[gemeenten]]\nnaam = \"{naam}\"\ncode = \"{code}\"\n"
        ));
    }
    vec![
        ("site.toml", site),
        ("content/_index.md", HOME.to_owned()),
        ("content/brieven/_index.md", BRIEVEN.to_owned()),
        ("content/opgaven/_index.md", OPGAVEN.to_owned()),
    ]
}

const HOME: &str = r#"+++
title = "Raadsinformatie Twente"
+++

Op deze site staan brieven aan de gemeenteraden van de veertien Twentse gemeenten en de
regionale opgaven waar die brieven over gaan.
"#;

const BRIEVEN: &str = r#"+++
title = "Brieven"
description = "Alle brieven, de nieuwste bovenaan."
+++

De brieven staan hier de nieuwste bovenaan. Elke brief heeft een vaste link die u kunt
doorsturen.
"#;

const OPGAVEN: &str = r#"+++
title = "Opgaven"
description = "De regionale opgaven, op nummer."
+++

De regionale opgaven staan hier op nummer.
"#;

/// Makes a new site in `dir` (created when missing) and returns the files written, as
/// `dir` joined with their paths. Refuses, writing nothing, where a `site.toml` or a
/// `content/` already exists.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::in_file(dir, "this is a file, not a folder for a new site")
                .io()
                .into(),
        );
    }
    let taken: Diagnostics = ["site.toml", "content"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.symlink_metadata().is_ok())
        .map(|path| {
            Diagnostic::in_file(&path, "a site is already here; nothing was written")
                .with_help("choose a new or empty folder: raadsite init DIR")
                .io()
        })
        .collect();
    if !taken.is_empty() {
        return Err(taken);
    }
    let mut written = Vec::new();
    for (rel, text) in files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fsutil::create_dir_all(parent)?;
        }
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| fsutil::io_error(path, "could not create", &e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| fsutil::io_error(path, "could not write", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every commented-out setting, with the `# ` taken away.
    fn uncommented(text: &str) -> String {
        text.lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.starts_with(char::is_lowercase) => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn site_toml_parses_with_and_without_its_commented_settings() {
        let (_, text) = &files()[0];
        let plain = crate::config::parse(text).unwrap();
        assert_eq!(plain.gemeenten.len(), 14);
        assert!(plain.base_url.is_none());
        let all = uncommented(text);
        assert!(
            all.contains("\n[openbaar]\npersoonsgegevens = true"),
            "{all}"
        );
        let full = crate::config::parse(&all).unwrap();
        assert!(full.base_url.is_some() && full.metadata.woo_categorie);
        assert!(full.openbaar.persoonsgegevens);
        assert_eq!(full.snapshots.map.as_deref(), Some("snapshots"));
        assert_eq!(
            full.toegankelijkheid.status.as_deref(),
            Some("voldoet gedeeltelijk")
        );
        assert!(full.briefhoofd.postadres.is_some());
    }
}
