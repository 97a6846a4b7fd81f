//! What the profile leaves out. Found once, before any page is placed: the `openbaar`
//! profile drops internal pages, the files only they use and (unless `site.toml` allows
//! them) the personal fields of letters, so that no later stage can show them.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::config::Config;
use crate::content::{Document, Kind};
use crate::links;
use crate::profile::{Profile, Zichtbaarheid};

/// What the build's profile removes.
pub(super) struct Visibility {
    /// The `openbaar` profile: internal pages and sections are left out.
    pub public: bool,
    /// Letters lose `behandeld_door` and `doorkiesnummer`.
    pub strip_personal: bool,
    /// Files under `content/` that only internal pages use, or (when personal details are
    /// left out) that are listed only as holding them.
    pub intern_files: FxHashSet<String>,
    /// Those of `intern_files` that a public letter lists as holding personal details.
    pub personal_files: FxHashSet<String>,
    /// Numbers of the internal opgaven, to explain a letter's reference to one.
    pub intern_opgaven: FxHashSet<u32>,
}

impl Visibility {
    /// What `config`'s profile removes from `documents`.
    pub fn of(config: &Config, documents: &[Arc<Document>]) -> Visibility {
        let public = config.profile == Profile::Openbaar;
        let strip_personal = public && !config.openbaar.persoonsgegevens;
        let (intern_files, personal_files) = if public {
            intern_only_files(documents, strip_personal)
        } else {
            Default::default()
        };
        let intern_opgaven = documents
            .iter()
            .filter(|d| public && d.common.zichtbaarheid == Zichtbaarheid::Intern)
            .filter_map(|d| match &d.kind {
                Kind::Opgave(o) => Some(o.nummer),
                _ => None,
            })
            .collect();
        Visibility {
            public,
            strip_personal,
            intern_files,
            personal_files,
            intern_opgaven,
        }
    }

    /// Whether a page or section of this `zichtbaarheid` is left out.
    pub fn hides(&self, zichtbaarheid: Zichtbaarheid) -> bool {
        self.public && zichtbaarheid == Zichtbaarheid::Intern
    }
}

/// Files under `content/` that only internal pages list as bijlage, or, with
/// `strip_personal`, only as a bijlage that holds personal details: in the public profile
/// they are left out with the pages and fields. Returns them all, and those a public
/// letter lists as holding personal details.
fn intern_only_files(
    documents: &[Arc<Document>],
    strip_personal: bool,
) -> (FxHashSet<String>, FxHashSet<String>) {
    let mut intern = FxHashSet::default();
    let mut personal = FxHashSet::default();
    let mut public = FxHashSet::default();
    for d in documents.iter().filter(|d| !d.common.draft) {
        let Kind::Letter(l) = &d.kind else { continue };
        let hidden = d.common.zichtbaarheid == Zichtbaarheid::Intern;
        for b in &l.bijlagen {
            let set = match (hidden, strip_personal && b.persoonsgegevens) {
                (true, _) => &mut intern,
                (false, true) => &mut personal,
                (false, false) => &mut public,
            };
            set.extend(links::resolve(d.source.dir(), &b.bestand));
        }
    }
    personal.retain(|f| !public.contains(f));
    intern.retain(|f| !public.contains(f));
    intern.extend(personal.iter().cloned());
    (intern, personal)
}
