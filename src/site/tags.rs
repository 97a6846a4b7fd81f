//! Tags: one per slug, named as the first page spells it, with its pages in list order.

use rustc_hash::FxHashMap;

use super::claims::Claims;
use super::pages::Ranked;
use super::{Page, Tag};
use crate::diagnostics::Diagnostics;
use crate::slug;

/// Tags found so far, in the order first seen.
struct Found<'a> {
    /// Every tag name as pages write it, with its tag in `tags`; `None` for a name that
    /// makes no slug.
    by_name: FxHashMap<&'a str, Option<usize>>,
    /// The tags with their slugs.
    tags: Vec<(String, Tag)>,
}

/// The tags sorted by slug, and every name as pages write it with its tag in that list;
/// reports a tag without letters or digits, then claims the tag pages.
pub(super) fn collect(
    pages: &[Page],
    ranked: &Ranked,
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> (Vec<Tag>, FxHashMap<String, usize>) {
    let mut found = name(pages, diags);
    fill(&mut found, pages, ranked);
    let (tags, names) = by_slug(found);
    for t in &tags {
        claims.claim(&t.url, format!("the page of tag \"{}\"", t.name), diags);
    }
    (tags, names)
}

/// Every tag the pages name. Pages share a few tags between them: each name is slugged
/// once, in file order so that a tag is named as the first page spells it.
fn name<'a>(pages: &'a [Page], diags: &mut Diagnostics) -> Found<'a> {
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut tags: Vec<(String, Tag)> = Vec::new();
    for p in pages {
        for (j, name) in p.doc.common.tags.iter().enumerate() {
            let tag = match by_name.get(name.as_str()) {
                Some(&tag) => tag,
                None => {
                    let s = slug::slugify(name);
                    let tag = (!s.is_empty()).then(|| {
                        *by_slug.entry(s).or_insert_with_key(|s| {
                            tags.push((s.clone(), new_tag(name, s)));
                            tags.len() - 1
                        })
                    });
                    by_name.insert(name, tag);
                    tag
                }
            };
            if tag.is_none() {
                diags.push(p.doc.source.error_at_key(
                    &format!("tags[{j}]"),
                    format!("tag \"{name}\" has no letters or digits"),
                ));
            }
        }
    }
    Found { by_name, tags }
}

/// A tag named `name`, of slug `slug`, with no pages yet.
fn new_tag(name: &str, slug: &str) -> Tag {
    Tag {
        name: name.to_owned(),
        url: format!("tags/{slug}/index.html"),
        pages: Vec::new(),
    }
}

/// Lists each tag's pages. Filled in list order, so no list needs sorting.
fn fill(found: &mut Found, pages: &[Page], ranked: &Ranked) {
    for &i in &ranked.order {
        for name in &pages[i].doc.common.tags {
            if let Some(t) = found.by_name[name.as_str()] {
                let list = &mut found.tags[t].1.pages;
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
}

/// The tags sorted by slug; each name keeps pointing at its tag.
fn by_slug(found: Found) -> (Vec<Tag>, FxHashMap<String, usize>) {
    let mut sorted: Vec<(usize, (String, Tag))> = found.tags.into_iter().enumerate().collect();
    sorted.sort_unstable_by(|a, b| (a.1).0.cmp(&(b.1).0));
    let mut sorted_at = vec![0; sorted.len()];
    for (at, (t, _)) in sorted.iter().enumerate() {
        sorted_at[*t] = at;
    }
    let names = found
        .by_name
        .into_iter()
        .filter_map(|(name, t)| Some((name.to_owned(), sorted_at[t?])))
        .collect();
    let tags: Vec<Tag> = sorted.into_iter().map(|(_, (_, tag))| tag).collect();
    (tags, names)
}
