//! Atom feeds of letters (all letters, and one per gemeente), `sitemap.xml` and
//! `robots.txt`.
//!
//! All of these are made only when `base_url` is set: Atom requires every `id` to be an
//! absolute IRI and feed readers resolve links against the feed's own address, which a site
//! opened from disk or a zip does not have; a sitemap must list absolute URLs by definition.
//! A site without `base_url` therefore has no feeds and no sitemap, and its pages do not
//! link to any.
//!
//! This module makes their views; the theme's templates `atom.xml`, `sitemap.xml` and
//! `robots.txt` write them (see `render/generated.rs`), so a site can replace each of them
//! in its `templates/` like any page template.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::dates::Date;
use crate::site::Site;

pub use crate::paths::{LETTERS_FEED, ROBOTS, SITEMAP, gemeente_feed};

/// Letters per feed: the newest; older ones stay in the lists and the sitemap.
pub const FEED_ENTRIES: usize = 50;

/// The letters feed, relative to the site root, if the site has one.
pub fn letters_feed(site: &Site) -> Option<&'static str> {
    (site.config.base_url.is_some() && !site.letters.is_empty()).then_some(LETTERS_FEED)
}

/// The feed of gemeente `k` (index into `config.gemeenten`), if it has one.
pub fn gemeente_feed_of(site: &Site, k: usize) -> Option<String> {
    (site.config.base_url.is_some() && !site.gemeenten[k].letters.is_empty())
        .then(|| gemeente_feed(&site.config.gemeenten[k].slug))
}

/// One feed: its letters and where it goes.
struct Feed<'a> {
    /// Output path of the feed.
    path: String,
    /// Output path of the page it belongs to.
    page: String,
    /// Feed title.
    title: String,
    /// Its letters (indices into `site.pages`), in list order.
    letters: &'a [usize],
}

/// A generated file as its template gets it: where it goes, the template, and the value
/// the template gets under `name`.
pub struct View<T> {
    /// Output path.
    pub path: String,
    /// The theme template that writes it.
    pub template: &'static str,
    /// The name the template knows the value by.
    pub name: &'static str,
    /// The value.
    pub data: T,
}

/// The views of every file of this module; `None` when `base_url` is not set.
pub struct Views {
    /// One per feed: `feed` in `atom.xml`.
    pub feeds: Vec<View<FeedView>>,
    /// `urls` in `sitemap.xml`.
    pub sitemap: View<Vec<UrlView>>,
    /// `sitemap` (its absolute URL) in `robots.txt`.
    pub robots: View<String>,
}

/// An Atom feed as `atom.xml` gets it.
#[derive(Serialize)]
pub struct FeedView {
    /// The content language (`xml:lang`).
    pub lang: String,
    /// The feed's own absolute URL: its id and its `self` link.
    pub id: String,
    /// Title.
    pub title: String,
    /// The site's description, if it has one.
    pub subtitle: Option<String>,
    /// The newest change among the entries (RFC 3339), if any entry has a date.
    pub updated: Option<String>,
    /// The absolute URL of the page the feed belongs to.
    pub alternate: String,
    /// The site's title, as the feed's author.
    pub author: String,
    /// The newest letters, newest change first.
    pub entries: Vec<EntryView>,
}

/// A letter in a feed.
#[derive(Serialize)]
pub struct EntryView {
    /// Its absolute URL: its id and its link.
    pub id: String,
    /// Title.
    pub title: String,
    /// Last change (RFC 3339).
    pub updated: String,
    /// Its date (RFC 3339).
    pub published: String,
    /// The afzender, if given.
    pub author: Option<String>,
    /// Description and kenmerk, if it has either.
    pub summary: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
}

/// A page in the sitemap.
#[derive(Serialize)]
pub struct UrlView {
    /// Its absolute URL.
    pub loc: String,
    /// Its last change (ISO date), if it has a date.
    pub lastmod: Option<String>,
}

/// The views of the feeds, the sitemap listing `html_pages` (output paths) and
/// `robots.txt`; `None` when `base_url` is not set.
pub fn views(site: &Site, html_pages: &[&str]) -> Option<Views> {
    let base = site.config.base_url.as_deref()?;
    let feeds = feeds(site);
    let (feeds, urls) = rayon::join(
        || feeds.par_iter().map(|f| feed(site, base, f)).collect(),
        || sitemap(site, base, html_pages),
    );
    Some(Views {
        feeds,
        sitemap: View {
            path: SITEMAP.to_owned(),
            template: "sitemap.xml",
            name: "urls",
            data: urls,
        },
        robots: View {
            path: ROBOTS.to_owned(),
            template: "robots.txt",
            name: "sitemap",
            data: format!("{base}{SITEMAP}"),
        },
    })
}

/// The feeds the site has: of all letters, and of each gemeente with letters.
fn feeds(site: &Site) -> Vec<Feed<'_>> {
    let mut feeds = Vec::new();
    if let Some(path) = letters_feed(site) {
        feeds.push(Feed {
            path: path.to_owned(),
            page: "brieven/index.html".to_owned(),
            title: format!("Brieven - {}", site.config.title),
            letters: &site.letters[..],
        });
    }
    for (k, g) in site.config.gemeenten.iter().enumerate() {
        if let Some(path) = gemeente_feed_of(site, k) {
            feeds.push(Feed {
                path,
                page: Site::gemeente_url(&g.slug),
                title: format!("Brieven aan {} - {}", g.naam, site.config.title),
                letters: &site.gemeenten[k].letters[..],
            });
        }
    }
    feeds
}

/// An absolute URL of output path `url`; folders are written without `index.html`.
pub fn absolute(base: &str, url: &str) -> String {
    format!("{base}{}", url.strip_suffix("index.html").unwrap_or(url))
}

/// RFC 3339 date-time at midnight UTC: Atom wants a time; letters only have a date.
fn rfc3339(d: Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

/// The Atom feed `f`: its head, then its newest letters.
fn feed(site: &Site, base: &str, f: &Feed) -> View<FeedView> {
    let entries = newest(site, f.letters);
    let updated = entries
        .iter()
        .filter_map(|&i| site.pages[i].last_changed())
        .max();
    let c = &site.config;
    View {
        path: f.path.clone(),
        template: "atom.xml",
        name: "feed",
        data: FeedView {
            lang: c.language.clone(),
            id: absolute(base, &f.path),
            title: f.title.clone(),
            subtitle: (!c.description.is_empty()).then(|| c.description.clone()),
            updated: updated.map(rfc3339),
            alternate: absolute(base, &f.page),
            author: c.title.clone(),
            entries: entries
                .iter()
                .filter_map(|&i| entry(site, base, i))
                .collect(),
        },
    }
}

/// The feed's entries among `letters`: newest change first, so an updated letter comes
/// back to the top, and at most [`FEED_ENTRIES`].
fn newest(site: &Site, letters: &[usize]) -> Vec<usize> {
    // Only the first FEED_ENTRIES are needed: select them, then sort just those (the
    // order is total, as output paths differ).
    // (last change, path, place in `letters`): the place keeps ties as they were.
    let mut entries: Vec<(Option<Date>, &str, usize)> = letters
        .iter()
        .enumerate()
        .map(|(at, &i)| (site.pages[i].last_changed(), site.pages[i].url.as_str(), at))
        .collect();
    let order = |a: &(Option<Date>, &str, usize), b: &(Option<Date>, &str, usize)| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2))
    };
    if entries.len() > FEED_ENTRIES {
        entries.select_nth_unstable_by(FEED_ENTRIES, order);
        entries.truncate(FEED_ENTRIES);
    }
    entries.sort_unstable_by(order);
    entries.into_iter().map(|(_, _, at)| letters[at]).collect()
}

/// The entry of page `i`, if it is a letter.
fn entry(site: &Site, base: &str, i: usize) -> Option<EntryView> {
    let p = &site.pages[i];
    let Kind::Letter(l) = &p.doc.kind else {
        return None;
    };
    let summary = summary(p.doc.common.description.as_deref(), l.kenmerk.as_deref());
    Some(EntryView {
        id: absolute(base, &p.url),
        title: p.doc.common.title.clone(),
        updated: rfc3339(p.last_changed().unwrap_or(l.date)),
        published: rfc3339(l.date),
        author: l.afzender.clone(),
        summary: (!summary.is_empty()).then_some(summary),
        tags: p.doc.common.tags.clone(),
    })
}

/// A letter's summary in its feed entry: its description, then its kenmerk; empty when it
/// has neither.
fn summary(description: Option<&str>, kenmerk: Option<&str>) -> String {
    let mut summary = description.unwrap_or_default().to_owned();
    if let Some(k) = kenmerk {
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(&format!("(Ons kenmerk: {k})"));
    }
    summary
}

/// Every HTML page of `html_pages`, once each and sorted, with its last change.
fn sitemap(site: &Site, base: &str, html_pages: &[&str]) -> Vec<UrlView> {
    let mut urls: Vec<&str> = html_pages.to_vec();
    urls.sort_unstable();
    urls.dedup();
    urls.into_iter()
        .map(|url| UrlView {
            loc: absolute(base, url),
            lastmod: site
                .pages
                .binary_search_by(|p| p.url.as_str().cmp(url))
                .ok()
                .and_then(|i| site.pages[i].last_changed())
                .map(|d| d.iso()),
        })
        .collect()
}
