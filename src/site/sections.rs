//! The sections (top-level folders of `content/` with a list page) and the home page.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::claims::Claims;
use super::pages::Ranked;
use super::visibility::Visibility;
use super::{Page, Section, Target, set_target};
use crate::content::{LETTERS, OPGAVEN, SectionIndex};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// The home page's intro and the sections, sorted by name: every top-level folder with
/// pages or an `_index.md`, and always the two the navigation links to. Each lists its
/// pages in list order.
pub(super) fn collect(
    indexes: Vec<SectionIndex>,
    pages: &[Page],
    ranked: &Ranked,
    visible: &Visibility,
    targets: &mut FxHashMap<String, Target>,
) -> (Option<SectionIndex>, Vec<Section>) {
    let mut home = None;
    let mut by_name: BTreeMap<String, Section> = [LETTERS, OPGAVEN]
        .into_iter()
        .map(|n| (n.to_owned(), new_section(n)))
        .collect();
    for idx in indexes {
        if idx.source.section().is_empty() {
            set_target(targets, &idx.source.rel, Target::Home);
            home = Some(idx);
            continue;
        }
        // An internal section's own page is left out of the public profile; the two the
        // menu links to stay, without the intro's texts, and list no pages.
        if visible.hides(idx.zichtbaarheid) {
            set_target(targets, &idx.source.rel, Target::Intern);
            continue;
        }
        let s = by_name
            .entry(idx.source.section().to_owned())
            .or_insert_with(|| new_section(idx.source.section()));
        s.title = idx.title;
        s.description = idx.description;
        s.template = idx.template;
        s.index = Some(idx.source);
    }
    for &i in &ranked.order {
        let name = pages[i].doc.source.section();
        if !name.is_empty() {
            by_name
                .entry(name.to_owned())
                .or_insert_with(|| new_section(name))
                .pages
                .push(i);
        }
    }
    (home, by_name.into_values().collect())
}

/// Checks that every section's folder makes a URL, claims its list page and records what
/// its `_index.md` became.
pub(super) fn claim(
    sections: &[Section],
    claims: &mut Claims,
    targets: &mut FxHashMap<String, Target>,
    diags: &mut Diagnostics,
) {
    for (i, s) in sections.iter().enumerate() {
        if slug::slugify(&s.name).is_empty() {
            diags.push(
                Diagnostic::in_file(
                    format!("content/{}/", s.name),
                    "cannot make a URL from this folder name",
                )
                .with_help("rename the folder with letters or digits"),
            );
        }
        claims.claim(&s.url, format!("content/{}/", s.name), diags);
        if let Some(idx) = &s.index {
            set_target(targets, &idx.rel, Target::Section(i));
        }
    }
}

/// A section of folder `name` before its `_index.md` is read: titled by its capitalised
/// name, with no pages.
fn new_section(name: &str) -> Section {
    let mut title: Vec<char> = name.chars().collect();
    if let Some(c) = title.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    Section {
        name: name.to_owned(),
        title: title.into_iter().collect(),
        description: None,
        index: None,
        template: None,
        url: format!("{}/index.html", slug::slugify(name)),
        pages: Vec::new(),
    }
}
