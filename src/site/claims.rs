//! The output paths taken: by the pages raadsite generates, the pages, sections, files,
//! tags, generated files and aliases, with who took each one, so that two claimants of one
//! path are reported rather than one overwriting the other.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{
    GEMEENTEN_URL, GemeentePages, HOME_URL, NOT_FOUND_URL, Page, Site, TAGS_URL,
    TOEGANKELIJKHEID_URL,
};
use crate::config::Config;
use crate::content::Document;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths;

/// Every file raadsite generates besides the pages (see [`crate::paths`]): the feeds, the
/// sitemap and robots file when `base_url` is set, each letter's and opgave's metadata and
/// single-file rendition, and the glossary page.
pub(super) fn generated(
    config: &Config,
    letters: &[usize],
    gemeenten: &[GemeentePages],
    pages: &[Page],
    glossary: bool,
) -> Vec<String> {
    let mut v = Vec::new();
    if config.base_url.is_some() {
        v.extend([paths::SITEMAP.to_owned(), paths::ROBOTS.to_owned()]);
        if !letters.is_empty() {
            v.push(paths::LETTERS_FEED.to_owned());
        }
        for (g, p) in config.gemeenten.iter().zip(gemeenten) {
            if !p.letters.is_empty() {
                v.push(paths::gemeente_feed(&g.slug));
            }
        }
    }
    let documents = pages.iter().filter(|p| p.has_metadata());
    v.extend(documents.flat_map(|p| [paths::metadata_of(&p.url), paths::single_file_of(&p.url)]));
    if config.pdf.enabled {
        v.extend(pages.iter().filter_map(Page::pdf_path));
    }
    v.push(paths::METADATA_INDEX.to_owned());
    // The parts of the index: a month of letters each (in order, so a month once), and
    // the opgaven.
    let mut months: Vec<String> = letters.iter().filter_map(|&l| pages[l].month()).collect();
    months.dedup();
    v.extend(months.iter().map(|m| paths::metadata_part(Some(m))));
    if pages
        .iter()
        .any(|p| matches!(p.doc.kind, crate::content::Kind::Opgave(_)))
    {
        v.push(paths::metadata_part(None));
    }
    if glossary {
        v.push(paths::GLOSSARY.to_owned());
    }
    v
}

/// Output paths taken so far, with who took them, to report two claimants of one path.
#[derive(Default)]
pub(crate) struct Claims(FxHashMap<String, By>);

/// Who took an output path; described only when two take the same one.
pub(crate) enum By {
    /// Described in words.
    Text(Cow<'static, str>),
    /// The page of this document.
    Document(Arc<Document>),
}

impl By {
    fn describe(&self) -> Cow<'_, str> {
        match self {
            By::Text(t) => Cow::Borrowed(t),
            By::Document(d) => Cow::Owned(d.source.shown.display().to_string()),
        }
    }
}

impl From<&'static str> for By {
    fn from(text: &'static str) -> By {
        By::Text(Cow::Borrowed(text))
    }
}

impl From<String> for By {
    fn from(text: String) -> By {
        By::Text(Cow::Owned(text))
    }
}

impl Claims {
    /// The paths of the pages raadsite generates on every site: the home page, the
    /// not-found page, the lists and the page of every gemeente.
    pub fn of_generated_pages(config: &Config, diags: &mut Diagnostics) -> Claims {
        let mut claims = Claims::default();
        for url in [
            HOME_URL,
            NOT_FOUND_URL,
            GEMEENTEN_URL,
            TAGS_URL,
            TOEGANKELIJKHEID_URL,
        ] {
            claims.claim(url, "a page raadsite generates", diags);
        }
        for g in &config.gemeenten {
            claims.claim(
                Site::gemeente_url(&g.slug),
                format!("the page of gemeente {}", g.naam),
                diags,
            );
        }
        claims
    }

    /// Room for `n` more paths.
    pub fn reserve(&mut self, n: usize) {
        self.0.reserve(n);
    }

    /// Who has taken `url`, if anyone.
    pub(crate) fn holder(&self, url: &str) -> Option<Cow<'_, str>> {
        self.0.get(url).map(By::describe)
    }

    /// Takes `url` for `by`, or returns who has it already.
    pub(crate) fn take(&mut self, url: &str, by: String) -> Result<(), String> {
        match self.0.get(url) {
            Some(first) => Err(first.describe().into_owned()),
            None => {
                self.0.insert(url.to_owned(), By::from(by));
                Ok(())
            }
        }
    }

    /// Takes each of `urls` for `by`, as [`Claims::claim`] does.
    pub fn claim_all(&mut self, urls: Vec<String>, by: &'static str, diags: &mut Diagnostics) {
        for url in urls {
            self.claim(url, by, diags);
        }
    }

    /// Takes `url` for `by`, or reports who has it already. Takes the path by value, so
    /// that a path made for the check is not copied again, and looks it up only once.
    pub fn claim(&mut self, url: impl Into<String>, by: impl Into<By>, diags: &mut Diagnostics) {
        let entry = match self.0.entry(url.into()) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(by.into());
                return;
            }
            std::collections::hash_map::Entry::Occupied(e) => e,
        };
        let by = by.into();
        let (url, first, by) = (entry.key(), entry.get().describe(), by.describe());
        let file = if by.starts_with("content/") || by.starts_with("content\\") {
            Some(&*by)
        } else {
            None
        };
        let msg = format!("two sources claim the output path {url}: {first} and {by}");
        diags.push(
            match file {
                Some(f) => Diagnostic::in_file(f, msg),
                None => Diagnostic::general(msg),
            }
            .with_help(if by.ends_with('/') {
                "rename one of the folders"
            } else {
                "give one of them another slug = \"...\""
            }),
        );
    }
}
