//! The pages: which documents are published, where each one goes, and the one order in
//! which every list shows them.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::claims::{By, Claims};
use super::visibility::Visibility;
use super::{Page, Target, set_target};
use crate::content::{Document, Kind, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// The published pages of `documents`, sorted by output path: drafts are left out, and so
/// are what the profile hides; a page without an output path is reported, in file order.
pub(super) fn publish(
    documents: Vec<Arc<Document>>,
    visible: &Visibility,
    targets: &mut FxHashMap<String, Target>,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let urls = urls(&documents);
    let mut pages = Vec::with_capacity(documents.len());
    for (mut doc, url) in documents.into_iter().zip(urls) {
        if doc.common.draft {
            set_target(targets, &doc.source.rel, Target::Draft);
            continue;
        }
        if visible.hides(doc.common.zichtbaarheid) {
            set_target(targets, &doc.source.rel, Target::Intern);
            continue;
        }
        // Removed here rather than in the views, so no output (page, list, feed or index)
        // can show them.
        if visible.strip_personal
            && let Kind::Letter(l) = &mut Arc::make_mut(&mut doc).kind
        {
            l.behandeld_door = None;
            l.doorkiesnummer = None;
            l.bijlagen.retain(|b| !b.persoonsgegevens);
        }
        match url {
            Ok(url) => pages.push(Page {
                bijlagen: Vec::new(),
                url,
                doc,
            }),
            Err(d) => diags.push(d),
        }
    }
    pages.par_sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// The output path of every document, in its order. Worked out in parallel (slugging is
/// most of the work); what they lead to is decided in file order, so diagnostics keep
/// their order.
fn urls(documents: &[Arc<Document>]) -> Vec<Result<String, Diagnostic>> {
    // The few section folders are slugged once rather than once per page.
    let mut folders: FxHashMap<&str, String> = FxHashMap::default();
    for doc in documents {
        let s = doc.source.section();
        if !folders.contains_key(s) {
            folders.insert(s, slug::slugify(s));
        }
    }
    documents
        .par_iter()
        .map(|doc| {
            let folder = &folders[doc.source.section()];
            page_url(&doc.source, folder, doc.common.slug.as_deref())
        })
        .collect()
}

/// Claims every page's output path, in path order, and records what its file became.
pub(super) fn claim(
    pages: &[Page],
    claims: &mut Claims,
    targets: &mut FxHashMap<String, Target>,
    diags: &mut Diagnostics,
) {
    claims.reserve(pages.len());
    for (i, p) in pages.iter().enumerate() {
        claims.claim(&p.url, By::Document(Arc::clone(&p.doc)), diags);
        set_target(targets, &p.doc.source.rel, Target::Page(i));
    }
}

/// The output path of a page from `source`, whose section folder slugs to `folder`.
fn page_url(source: &Source, folder: &str, slug: Option<&str>) -> Result<String, Diagnostic> {
    let slug = match slug {
        Some(s) => s.to_owned(),
        None => source
            .name_slug
            .get_or_init(|| slug::slugify(strip_date_prefix(source.stem())))
            .clone(),
    };
    if slug.is_empty() {
        return Err(
            Diagnostic::in_file(&source.shown, "cannot make a URL from this file name")
                .at(1, 1)
                .with_help("give the page a slug = \"...\" in its front matter"),
        );
    }
    // The folder is slugged like the file name, so `content/Mijn Map/` is `mijn-map/`.
    Ok(match source.section() {
        "" => format!("{slug}/index.html"),
        _ => format!("{folder}/{slug}/index.html"),
    })
}

/// `2026-05-07-plan-voor-de-regio` -> `plan-voor-de-regio`.
fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if is_date { &stem[11..] } else { stem }
}

/// The pages in list order. Every list shows its pages in one order, so the pages are
/// sorted once and each list is filled (or sorted) by rank in that order.
pub(super) struct Ranked {
    /// Page indices in list order.
    pub order: Vec<usize>,
}

impl Ranked {
    /// The list order of `pages`.
    pub fn of(pages: &[Page]) -> Ranked {
        let keys: Vec<ListKey> = pages.iter().map(list_key).collect();
        let mut order: Vec<usize> = (0..pages.len()).collect();
        // Stable, so pages with equal keys (only possible for clashing paths, which are
        // reported) keep their order.
        order.par_sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        Ranked { order }
    }

    /// The pages of one kind, in list order.
    pub fn of_kind(&self, pages: &[Page], pred: impl Fn(&Kind) -> bool) -> Vec<usize> {
        self.order
            .iter()
            .copied()
            .filter(|&i| pred(&pages[i].doc.kind))
            .collect()
    }
}

type ListKey<'a> = (
    u8,
    std::cmp::Reverse<Option<crate::dates::Date>>,
    i64,
    &'a str,
    &'a str,
);

/// Letters newest first, opgaven by number, other pages by weight, then title, then path.
fn list_key(p: &Page) -> ListKey<'_> {
    let (kind, date, n) = match &p.doc.kind {
        Kind::Letter(l) => (0, std::cmp::Reverse(Some(l.date)), 0i64),
        Kind::Opgave(o) => (1, std::cmp::Reverse(None), i64::from(o.nummer)),
        Kind::Page => (
            2,
            std::cmp::Reverse(p.doc.common.date),
            p.doc.common.weight.unwrap_or(0),
        ),
    };
    (kind, date, n, &p.doc.common.title, &p.url)
}

#[cfg(test)]
mod tests {
    use super::strip_date_prefix;

    #[test]
    fn date_prefix() {
        assert_eq!(strip_date_prefix("2026-05-07-plan"), "plan");
        assert_eq!(strip_date_prefix("2026-05-07"), "2026-05-07");
        assert_eq!(strip_date_prefix("01-opgave"), "01-opgave");
    }
}
