//! Atom feeds of letters (all letters, and one per gemeente), `sitemap.xml` and
//! `robots.txt`.
//!
//! All of these are made only when `base_url` is set: Atom requires every `id` to be an
//! absolute IRI and feed readers resolve links against the feed's own address, which a site
//! opened from disk or a zip does not have; a sitemap must list absolute URLs by definition.
//! A site without `base_url` therefore has no feeds and no sitemap, and its pages do not
//! link to any.

use std::fmt::Write;

use rayon::prelude::*;

use crate::artifact::OutputFile;
use crate::content::Kind;
use crate::dates::Date;
use crate::escape::{xml as esc, xml_into as esc_into};
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

/// The feeds, the sitemap listing `html_pages` (output paths) and `robots.txt`; nothing
/// when `base_url` is not set.
pub fn render(site: &Site, html_pages: &[&str]) -> Vec<OutputFile> {
    let Some(base) = site.config.base_url.as_deref() else {
        return Vec::new();
    };
    let feeds = feeds(site);
    let (mut files, map) = rayon::join(
        || {
            feeds
                .par_iter()
                .map(|f| feed(site, base, f))
                .collect::<Vec<_>>()
        },
        || sitemap(site, base, html_pages),
    );
    files.push(map);
    files.push(OutputFile {
        path: ROBOTS.to_owned(),
        bytes: format!(
            "# Every page may be indexed; the sitemap lists them.\nUser-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n"
        )
        .into_bytes(),
    });
    files
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
fn feed(site: &Site, base: &str, f: &Feed) -> OutputFile {
    let entries = newest(site, f.letters);
    let updated = entries
        .iter()
        .filter_map(|&i| site.pages[i].last_changed())
        .max();
    let mut x = String::with_capacity(1024 + entries.len() * 600);
    head(&mut x, site, base, f, updated);
    for &i in &entries {
        entry(&mut x, site, base, i);
    }
    x.push_str("</feed>\n");
    OutputFile {
        path: f.path.clone(),
        bytes: x.into_bytes(),
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

/// The feed's own elements, from the XML declaration to the generator; `updated` is the
/// newest change among its entries.
fn head(x: &mut String, site: &Site, base: &str, f: &Feed, updated: Option<Date>) {
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&site.config.language)
    ));
    let self_url = absolute(base, &f.path);
    x.push_str(&format!("  <id>{}</id>\n", esc(&self_url)));
    x.push_str(&format!("  <title>{}</title>\n", esc(&f.title)));
    if !site.config.description.is_empty() {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            esc(&site.config.description)
        ));
    }
    if let Some(u) = updated {
        x.push_str(&format!("  <updated>{}</updated>\n", rfc3339(u)));
    }
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&absolute(base, &f.page))
    ));
    x.push_str(&format!(
        "  <author>\n    <name>{}</name>\n  </author>\n",
        esc(&site.config.title)
    ));
    x.push_str("  <generator>raadsite</generator>\n");
}

/// The entry of page `i`, if it is a letter.
fn entry(x: &mut String, site: &Site, base: &str, i: usize) {
    let p = &site.pages[i];
    let Kind::Letter(l) = &p.doc.kind else {
        return;
    };
    let url = absolute(base, &p.url);
    let changed = p.last_changed().unwrap_or(l.date);
    x.push_str("  <entry>\n");
    x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
    x.push_str(&format!(
        "    <title>{}</title>\n",
        esc(&p.doc.common.title)
    ));
    x.push_str(&format!("    <updated>{}</updated>\n", rfc3339(changed)));
    x.push_str(&format!("    <published>{}</published>\n", rfc3339(l.date)));
    x.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&url)
    ));
    if let Some(a) = &l.afzender {
        x.push_str(&format!(
            "    <author>\n      <name>{}</name>\n    </author>\n",
            esc(a)
        ));
    }
    let summary = summary(p.doc.common.description.as_deref(), l.kenmerk.as_deref());
    if !summary.is_empty() {
        x.push_str(&format!("    <summary>{}</summary>\n", esc(&summary)));
    }
    for t in &p.doc.common.tags {
        x.push_str(&format!("    <category term=\"{}\"/>\n", esc(t)));
    }
    x.push_str("  </entry>\n");
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

fn sitemap(site: &Site, base: &str, html_pages: &[&str]) -> OutputFile {
    let mut urls: Vec<&str> = html_pages.to_vec();
    urls.sort_unstable();
    urls.dedup();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    x.reserve(urls.len() * 120);
    for url in urls {
        x.push_str("  <url>\n    <loc>");
        esc_into(&mut x, base);
        esc_into(&mut x, url.strip_suffix("index.html").unwrap_or(url));
        x.push_str("</loc>\n");
        let changed = site
            .pages
            .binary_search_by(|p| p.url.as_str().cmp(url))
            .ok()
            .and_then(|i| site.pages[i].last_changed());
        if let Some(d) = changed {
            // Writing to a String cannot fail.
            let _ = writeln!(x, "    <lastmod>{}</lastmod>", d.iso());
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    OutputFile {
        path: SITEMAP.to_owned(),
        bytes: x.into_bytes(),
    }
}
