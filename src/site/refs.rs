//! References between pages: the numbers of opgaven, the gemeenten letters and opgaven
//! name, and the opgaven letters refer to.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::visibility::Visibility;
use super::{GemeentePages, Page};
use crate::config::{ALL_GEMEENTEN, Config};
use crate::content::{Kind, Source};
use crate::diagnostics::{Diagnostics, suggest};

/// What the letters and opgaven refer to.
pub(super) struct References {
    /// Per gemeente of `config.gemeenten` (same order), the pages concerning it.
    pub gemeenten: Vec<GemeentePages>,
    /// For each opgave page, the letters that refer to it, newest first.
    pub opgave_letters: FxHashMap<usize, Vec<usize>>,
}

/// Resolves the references of the `letters` and `opgaven` (page indices in list order):
/// reports an opgave number used twice, then, page by page, every unknown gemeente and
/// every letter's reference to an opgave that is not published.
pub(super) fn resolve(
    config: &Config,
    pages: &[Page],
    letters: &[usize],
    opgaven: &[usize],
    visible: &Visibility,
    diags: &mut Diagnostics,
) -> References {
    let known = Known {
        slugs: config.gemeenten.iter().map(|g| g.slug.as_str()).collect(),
        by_nummer: numbers(pages, opgaven, diags),
        visible,
    };
    let mut refs = References {
        gemeenten: (0..known.slugs.len())
            .map(|_| GemeentePages::default())
            .collect(),
        opgave_letters: FxHashMap::default(),
    };
    for &i in letters.iter().chain(opgaven) {
        let doc = &pages[i].doc;
        let (named, is_letter) = match &doc.kind {
            Kind::Letter(l) => (&l.gemeenten, true),
            Kind::Opgave(o) => (&o.gemeenten, false),
            Kind::Page => continue,
        };
        for (j, g) in named.iter().enumerate() {
            for k in known.gemeente(g, j, &doc.source, diags) {
                add(&mut refs.gemeenten[k], is_letter, i);
            }
        }
        if let Kind::Letter(l) = &doc.kind {
            for (j, n) in l.opgaven.iter().enumerate() {
                if let Some(o) = known.opgave(*n, j, &doc.source, diags) {
                    refs.opgave_letters.entry(o).or_default().push(i);
                }
            }
        }
    }
    for list in refs.opgave_letters.values_mut() {
        list.dedup();
    }
    refs
}

/// Adds page `i`, a letter or an opgave, to the pages of a gemeente, unless it was just
/// added (a page naming a gemeente twice, or also `alle`).
fn add(pages: &mut GemeentePages, is_letter: bool, i: usize) {
    let list = if is_letter {
        &mut pages.letters
    } else {
        &mut pages.opgaven
    };
    if list.last() != Some(&i) {
        list.push(i);
    }
}

/// The opgave pages by number; the first in file order when a number is used twice, and
/// the later file is reported.
fn numbers(pages: &[Page], opgaven: &[usize], diags: &mut Diagnostics) -> BTreeMap<u32, usize> {
    let mut by_nummer: BTreeMap<u32, usize> = BTreeMap::new();
    let mut in_file_order = opgaven.to_vec();
    in_file_order.sort_by(|a, b| pages[*a].doc.source.rel.cmp(&pages[*b].doc.source.rel));
    for &i in &in_file_order {
        let Kind::Opgave(o) = &pages[i].doc.kind else {
            continue;
        };
        if let Some(&first) = by_nummer.get(&o.nummer) {
            diags.push(
                pages[i]
                    .doc
                    .source
                    .error_at_key(
                        "nummer",
                        format!("opgave number {} is used twice", o.nummer),
                    )
                    .with_help(format!(
                        "{} has the same number",
                        pages[first].doc.source.shown.display()
                    )),
            );
        } else {
            by_nummer.insert(o.nummer, i);
        }
    }
    by_nummer
}

/// What pages may refer to: the configured gemeenten and the published opgaven.
struct Known<'a> {
    /// The gemeenten's slugs, in `config.gemeenten` order.
    slugs: Vec<&'a str>,
    /// The published opgaven by number.
    by_nummer: BTreeMap<u32, usize>,
    /// What the profile left out.
    visible: &'a Visibility,
}

impl Known<'_> {
    /// The gemeenten (indices into `config.gemeenten`) that `g`, item `j` of the
    /// `gemeenten` of the page from `source`, stands for: all of them for `alle`. An
    /// unknown one is reported and stands for none.
    fn gemeente(
        &self,
        g: &str,
        j: usize,
        source: &Source,
        diags: &mut Diagnostics,
    ) -> Range<usize> {
        if g == ALL_GEMEENTEN {
            return 0..self.slugs.len();
        }
        if let Some(k) = self.slugs.iter().position(|s| *s == g) {
            return k..k + 1;
        }
        let mut known = self.slugs.clone();
        known.push(ALL_GEMEENTEN);
        diags.push(
            source
                .error_at_key(
                    &format!("gemeenten[{j}]"),
                    format!("unknown gemeente \"{g}\""),
                )
                .with_help(match suggest(g, &known) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!("known gemeenten: {}", known.join(", ")),
                }),
        );
        0..0
    }

    /// The opgave page of number `n`, item `j` of the `opgaven` of the letter from
    /// `source`; reports one that does not exist or that the profile leaves out.
    fn opgave(&self, n: u32, j: usize, source: &Source, diags: &mut Diagnostics) -> Option<usize> {
        if let Some(&o) = self.by_nummer.get(&n) {
            return Some(o);
        }
        let at = format!("opgaven[{j}]");
        diags.push(if self.visible.intern_opgaven.contains(&n) {
            source
                .error_at_key(
                    &at,
                    format!(
                        "letter refers to opgave {n}, which is internal and left out of the openbaar profile"
                    ),
                )
                .with_help("remove the number, or make the opgave openbaar")
        } else {
            source.error_at_key(
                &at,
                format!("letter refers to opgave {n}, which does not exist"),
            )
        });
        None
    }
}
