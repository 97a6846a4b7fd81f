//! What the templates of the digest e-mail (`mail.txt`, `mail.html`) get, as `mail`.

use serde::Serialize;

use super::Cutoff;
use crate::feeds::absolute;
use crate::site::Site;
use crate::views::Summary;

/// The digest as its templates get it.
#[derive(Debug, Serialize)]
pub struct MailView {
    /// The content language (`lang`).
    pub lang: String,
    /// The site's title.
    pub site: String,
    /// The subject line, from `[mail] onderwerp` with its placeholders filled in.
    pub onderwerp: String,
    /// The greeting (`[mail] aanhef`).
    pub aanhef: String,
    /// The closing, as lines (`[mail] afsluiting`).
    pub afsluiting: Vec<String>,
    /// The first day counted, in Dutch: "14 september 2026".
    pub sinds: String,
    /// The same as an ISO date, for `<time datetime>`.
    pub sinds_iso: String,
    /// For `--since-snapshot`: the snapshot's label.
    pub snapshot: Option<String>,
    /// For `--gemeente`: the gemeente's name.
    pub gemeente: Option<String>,
    /// "1 stuk", "3 stukken".
    pub stukken: String,
    /// The absolute link to the list of all letters, when the site has one.
    pub overzicht: Option<String>,
    /// What is new, newest change first.
    pub entries: Vec<EntryView>,
}

/// One letter or opgave in the digest.
#[derive(Debug, Serialize)]
pub struct EntryView {
    /// "Brief" or "Opgave".
    pub soort: &'static str,
    /// The opgave's number; `None` for a letter.
    pub nummer: Option<u32>,
    /// Title (a letter's onderwerp).
    pub titel: String,
    /// Its date in Dutch, if it has one.
    pub datum: Option<String>,
    /// The same as an ISO date.
    pub datum_iso: Option<String>,
    /// The date of its last substantive change in Dutch, when later than its date.
    pub bijgewerkt: Option<String>,
    /// Ons kenmerk (letters).
    pub kenmerk: Option<String>,
    /// The afzender (letters).
    pub afzender: Option<String>,
    /// Its description.
    pub beschrijving: Option<String>,
    /// The absolute link to its page.
    pub link: String,
    /// The absolute link to its PDF/A, where the site makes PDFs (`[pdf]`). Templates show
    /// it when it is set.
    pub pdf: Option<String>,
}

impl MailView {
    /// The view of the pages `chosen` (indices into `site.pages`, in order), for gemeente
    /// number `gemeente` if given, with links under `base`.
    pub(super) fn of(
        site: &Site,
        base: &str,
        gemeente: Option<usize>,
        cutoff: &Cutoff,
        chosen: &[usize],
    ) -> MailView {
        let c = &site.config;
        let gemeente = gemeente.map(|k| c.gemeenten[k].naam.clone());
        let stukken = match chosen.len() {
            1 => "1 stuk".to_owned(),
            n => format!("{n} stukken"),
        };
        let sinds = cutoff.day.dutch();
        let onderwerp = c
            .mail
            .onderwerp
            .replace("{site}", &c.title)
            .replace("{sinds}", &sinds)
            .replace("{stukken}", &stukken)
            .replace(
                "{gemeente}",
                gemeente.as_deref().unwrap_or("alle gemeenten"),
            );
        MailView {
            lang: c.language.clone(),
            site: c.title.clone(),
            onderwerp: one_line(&onderwerp),
            aanhef: c.mail.aanhef.clone(),
            afsluiting: c.mail.afsluiting.lines().map(str::to_owned).collect(),
            sinds,
            sinds_iso: cutoff.day.iso(),
            snapshot: cutoff.snapshot.as_ref().map(|(label, _)| label.clone()),
            gemeente,
            stukken,
            overzicht: site.section("brieven").map(|s| absolute(base, &s.url)),
            entries: chosen.iter().map(|&i| entry(site, base, i)).collect(),
        }
    }
}

/// The entry of page `i`: its list view ([`Summary`], as the site's lists show it) with
/// absolute links.
fn entry(site: &Site, base: &str, i: usize) -> EntryView {
    let p = &site.pages[i];
    let s = Summary::of(p);
    // ISO dates compare as the days they name.
    let later = s
        .datum_iso
        .as_ref()
        .is_none_or(|d| s.gewijzigd_iso.as_ref() > Some(d));
    EntryView {
        soort: if s.kind == "brief" { "Brief" } else { "Opgave" },
        nummer: s.nummer,
        titel: s.title,
        datum: s.datum,
        datum_iso: s.datum_iso,
        bijgewerkt: s.gewijzigd.filter(|_| later),
        kenmerk: s.kenmerk,
        afzender: s.afzender,
        beschrijving: s.description.as_deref().map(one_line),
        link: absolute(base, &p.url),
        // `enabled` is true only in a raadsite that makes PDFs (config.rs refuses it else).
        pdf: site
            .config
            .pdf
            .enabled
            .then(|| p.pdf_path())
            .flatten()
            .map(|path| absolute(base, &path)),
    }
}

/// `s` on one line: a line break in a header or a list item would end it.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
