//! Long lists cut into pages: how many pages a list takes, where each page lives and the
//! navigation between them. Used by the site stage (which claims the paths) and by the
//! list pages (which render them), so that both agree.
//!
//! Page 1 of a list is its own page (`brieven/index.html`); page `k` lives beside it as
//! `<prefix>-<k>.html` (`brieven/pagina-2.html`): the same folder depth, so every relative
//! link on it works as on page 1, from `file://` and from a zip. A file name with a dot
//! cannot be a page's folder, so it never collides with a letter's `<slug>/index.html`.
//! Pages run from the newest entry to the oldest, as the lists do.

use serde::Serialize;

/// Entries per page of a list of letters or pages: a page of 200 table rows is about 70 kB
/// of HTML.
pub const PER_PAGE: usize = 200;

/// The file name prefix of the pages of a list after the first.
pub const PAGE_PREFIX: &str = "pagina";

/// How many page numbers the navigation shows on each side of the current one.
const AROUND: usize = 2;

/// How many pages a list of `entries` takes: at least one, also when it is empty.
pub fn pages(entries: usize) -> usize {
    entries.div_ceil(PER_PAGE).max(1)
}

/// The entries (a range of indexes into the list) on page `k` (1-based) of a list of
/// `entries`.
pub fn range(entries: usize, k: usize) -> std::ops::Range<usize> {
    let start = ((k.max(1) - 1) * PER_PAGE).min(entries);
    start..(start + PER_PAGE).min(entries)
}

/// The path of page `k` of the list whose first page is `first` (a path ending in
/// `index.html`), its later pages named `<prefix>-<k>.html`.
pub fn url(first: &str, prefix: &str, k: usize) -> String {
    if k <= 1 {
        return first.to_owned();
    }
    let folder = first.strip_suffix("index.html").unwrap_or(first);
    format!("{folder}{prefix}-{k}.html")
}

/// The paths of the pages after the first of a list of `entries` whose first page is
/// `first`.
pub fn later_urls(first: &str, prefix: &str, entries: usize) -> impl Iterator<Item = String> {
    (2..=pages(entries)).map(move |k| url(first, prefix, k))
}

/// What a list page's template gets to show where it is in its list and to link to the
/// other pages: `total` pages; `links` the first, the last and those around the current
/// one, with a gap (`gap: true`) where numbers are left out.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// The number of pages.
    pub total: usize,
    /// The number of entries in the whole list.
    pub entries: usize,
    /// The number (from 1) of the first entry on this page; 0 when the list is empty.
    pub first: usize,
    /// The number of the last entry on this page; 0 when the list is empty.
    pub last: usize,
    /// The previous page's path, relative to the site root.
    pub prev: Option<String>,
    /// The next page's path.
    pub next: Option<String>,
    /// The page numbers to link to.
    pub links: Vec<PageLink>,
}

/// One page number in a [`Pager`]'s navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's number, from 1.
    pub number: usize,
    /// Its path relative to the site root.
    pub url: String,
    /// It is the page that shows the navigation.
    pub current: bool,
    /// Numbers were left out before this one.
    pub gap: bool,
}

impl Pager {
    /// The navigation of page `k` of the list of `entries` whose first page is `first`.
    pub fn new(first: &str, prefix: &str, entries: usize, k: usize) -> Pager {
        let total = pages(entries);
        let k = k.clamp(1, total);
        let r = range(entries, k);
        let shown = |n: usize| n == 1 || n == total || n.abs_diff(k) <= AROUND;
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in (1..=total).filter(|&n| shown(n)) {
            links.push(PageLink {
                number: n,
                url: url(first, prefix, n),
                current: n == k,
                gap: n > last_shown + 1,
            });
            last_shown = n;
        }
        Pager {
            current: k,
            total,
            entries,
            first: if r.is_empty() { 0 } else { r.start + 1 },
            last: r.end,
            prev: (k > 1).then(|| url(first, prefix, k - 1)),
            next: (k < total).then(|| url(first, prefix, k + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_into_pages_of_per_page_entries() {
        assert_eq!(pages(0), 1);
        assert_eq!(pages(PER_PAGE), 1);
        assert_eq!(pages(PER_PAGE + 1), 2);
        assert_eq!(range(PER_PAGE + 1, 2), PER_PAGE..PER_PAGE + 1);
        assert_eq!(range(0, 1), 0..0);
        assert_eq!(url("brieven/index.html", "pagina", 1), "brieven/index.html");
        assert_eq!(
            url("brieven/index.html", "pagina", 3),
            "brieven/pagina-3.html"
        );
        let later: Vec<String> = later_urls("tags/a/index.html", "pagina", 450).collect();
        assert_eq!(later, ["tags/a/pagina-2.html", "tags/a/pagina-3.html"]);
    }

    #[test]
    fn the_navigation_shows_the_ends_and_the_pages_around_the_current_one() {
        let p = Pager::new("brieven/index.html", "pagina", 20 * PER_PAGE, 10);
        let numbers: Vec<usize> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 8, 9, 10, 11, 12, 20]);
        let gaps: Vec<bool> = p.links.iter().map(|l| l.gap).collect();
        assert_eq!(gaps, [false, true, false, false, false, false, true]);
        assert!(p.links[3].current);
        assert_eq!(p.prev.as_deref(), Some("brieven/pagina-9.html"));
        assert_eq!(p.next.as_deref(), Some("brieven/pagina-11.html"));
        assert_eq!((p.first, p.last), (9 * PER_PAGE + 1, 10 * PER_PAGE));
        let first = Pager::new("brieven/index.html", "pagina", 3, 1);
        assert_eq!((first.total, first.prev, first.next), (1, None, None));
    }
}
