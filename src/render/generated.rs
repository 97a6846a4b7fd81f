//! The files made besides the pages, once the pages are rendered: the feeds and the sitemap
//! (which list the HTML pages), the built-in theme's static files, every document's
//! `metadata.json` with the `index.json` that lists them, and the search index. About one
//! file per page, handed on in parallel and each group as soon as it is made rather than all
//! held at once. Nothing is handed on after an error.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::pages::{Batch, merged_search};
use super::{HandOn, Out, Reuse, Shared, Theme, cache, frame, lock, theme};
use crate::artifact::OutputFile;
use crate::diagnostics::Diagnostic;
use crate::search;
use crate::site::{NOT_FOUND_URL, Site};

/// What [`hand_on`] did: the paths of the generated files, in the order they were made, and
/// the problems handing them on found.
pub(super) struct Generated {
    pub(super) paths: Vec<String>,
    pub(super) failures: Vec<Diagnostic>,
}

/// Hands on the generated files of a render whose pages are at `paths` (extended with the
/// generated ones, in the order they were made); once an error is known (see [`HandOn`]),
/// only their paths are recorded.
pub(super) fn hand_on(
    site: &Site,
    theme: &Theme,
    shared: &mut Shared,
    reuse: Option<&Reuse>,
    pages: Batch,
    hand_on: &HandOn,
    paths: &[String],
) -> Generated {
    let mut made = Vec::new();
    let group = Group {
        hand_on,
        failures: Mutex::new(Vec::new()),
    };
    let feeds = crate::feeds::views(site, &html_pages(site, paths));
    group.hand_on(feed_files(shared, theme, feeds, &group), &mut made);
    group.hand_on(builtin_static(site, theme), &mut made);
    // The search index and the metadata are independent of each other, and each has
    // stretches that run on one thread: under `serve` they run side by side. A full build
    // makes the metadata after the search index, whose collected postings are gone by
    // then: side by side, the metadata's entries were held while the postings were
    // packed, the build's peak of memory (at 100,000 pages).
    let search = || {
        search_index(
            site,
            shared,
            reuse,
            (pages.shards, pages.texts),
            pages.search,
            &group,
        )
    };
    let metadata = || metadata(site, reuse, shared.fresh.as_ref(), &|d| group.document(d));
    let ((search, search_paths, term_keys), documents) = match reuse {
        Some(_) => rayon::join(search, metadata),
        None => (search(), metadata()),
    };
    if let Some(fresh) = &mut shared.fresh {
        fresh.search = search.map(|s| (site.pages.len(), s));
        fresh.term_shards = term_keys;
    }
    made.extend(search_paths);
    made.extend(documents.iter().map(|d| d.path.clone()));
    // After the search index, whose collected postings are gone by now: the parts of the
    // index, one at a time.
    for file in crate::metadata::index_files(site, &documents) {
        group.hand_on(vec![Out::File(file)], &mut made);
    }
    drop(documents);
    made.extend(pages.single_files);
    Generated {
        paths: made,
        failures: group
            .failures
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    }
}

/// The feeds, the sitemap and `robots.txt`, each through its template; a template that
/// fails is one of the group's failures.
fn feed_files(
    shared: &Shared,
    theme: &Theme,
    views: Option<crate::feeds::Views>,
    group: &Group,
) -> Vec<Out> {
    let Some(views) = views else {
        return Vec::new();
    };
    let made = |r: Result<OutputFile, Diagnostic>| match r {
        Ok(f) => Some(Out::File(f)),
        Err(d) => {
            lock(&group.failures).push(d);
            None
        }
    };
    let render = |view| frame::render_file(&shared.tera, &theme.paths, view);
    let mut files: Vec<Out> = views
        .feeds
        .par_iter()
        .filter_map(|f| made(render(f)))
        .collect();
    files.extend(made(frame::render_file(
        &shared.tera,
        &theme.paths,
        &views.sitemap,
    )));
    files.extend(made(frame::render_file(
        &shared.tera,
        &theme.paths,
        &views.robots,
    )));
    files
}

/// The HTML pages that feeds and the sitemap list: redirects and the not-found page are not
/// content.
fn html_pages<'p>(site: &Site, paths: &'p [String]) -> Vec<&'p str> {
    let redirects: HashSet<&str> = site.aliases.iter().map(|a| a.url.as_str()).collect();
    paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != NOT_FOUND_URL && !redirects.contains(p))
        .collect()
}

/// Hands on groups of generated files, collecting what fails.
struct Group<'a> {
    hand_on: &'a HandOn<'a>,
    failures: Mutex<Vec<Diagnostic>>,
}

impl Group<'_> {
    /// Records the paths of `files` in `paths` and hands them on in parallel.
    fn hand_on(&self, files: Vec<Out>, paths: &mut Vec<String>) {
        paths.extend(files.iter().map(|out| out.path().to_owned()));
        if !self.hand_on.failed() {
            let failed: Vec<Diagnostic> = files
                .into_par_iter()
                .filter_map(|out| self.hand_on.give(out).err())
                .collect();
            lock(&self.failures).extend(failed);
        }
    }

    /// Hands on one document's `metadata.json`, or keeps it as published.
    fn document(&self, d: &mut crate::metadata::DocumentFiles) {
        let out = match d.file.take() {
            Some(bytes) => Out::File(OutputFile {
                path: d.path.clone(),
                bytes,
            }),
            None => Out::Kept(d.path.clone()),
        };
        if let Err(e) = self.hand_on.give(out) {
            lock(&self.failures).push(e);
        }
    }
}

/// A run of content pages' share of the search index, and whether it changed.
type Changed = (usize, Arc<search::Collector>, bool);

/// The search index made from the pages' collectors (in an incremental render, the render
/// before's with the changed shards replaced), handed on; with its collector (in an
/// incremental render: the next one starts from it), its paths and the keys of its files
/// for the next render. The document shards are made first and the pages' texts dropped;
/// then the term shards, after which a full render drops the collector.
fn search_index(
    site: &Site,
    shared: &Shared,
    reuse: Option<&Reuse>,
    (shards, mut runs): (Vec<Changed>, Vec<(usize, cache::Texts)>),
    collected: search::Collector,
    group: &Group,
) -> (
    Option<search::Collector>,
    Vec<String>,
    FxHashMap<String, cache::Key>,
) {
    let search = match reuse {
        Some(r) => merged_search(r.cache, shards, site.pages.len()),
        None => collected,
    };
    runs.sort_unstable_by_key(|(n, _)| *n);
    let earlier = reuse.map(|r| &r.cache.term_shards);
    let mut paths = Vec::new();
    let mut keys = FxHashMap::default();
    let mut hand_on = |index: search::IndexFiles| {
        let outs = index.files.into_iter().map(Out::File);
        let kept = index.kept.into_iter().map(Out::Kept);
        group.hand_on(outs.chain(kept).collect(), &mut paths);
        keys.extend(index.keys);
    };
    // The document shards first: the text of every page they hold (some 100 MB at 100,000
    // pages) is let go before the postings are packed, the peak of a full build's memory.
    {
        let texts: Vec<&str> = runs
            .iter()
            .flat_map(|(_, t)| t.iter().map(|t| &**t))
            .collect();
        search::doc_shards(&shared.summaries, &texts, earlier, &mut hand_on);
    }
    drop(runs);
    hand_on(search::index_files(
        site,
        &shared.summaries,
        &search,
        earlier,
    ));
    let search = reuse.map(|_| search);
    (search, paths, keys)
}

/// The metadata files, handed to `each` as they are made; returns every document (for
/// its path and its entry in the index, see [`crate::metadata::index_files`]). In an
/// incremental render, a document whose page kept its key keeps its `metadata.json` as
/// published, and its entry in the index is reused.
fn metadata(
    site: &Site,
    reuse: Option<&Reuse>,
    fresh: Option<&cache::Fresh>,
    each: &(dyn Fn(&mut crate::metadata::DocumentFiles) + Sync),
) -> Vec<crate::metadata::DocumentFiles> {
    let outputs = fresh.map(|f| lock(&f.outputs));
    let key = |i: usize| outputs.as_ref()?.get(&site.pages[i].url).copied();
    let earlier = |i: usize| match (reuse?.cache.metadata.get(&site.pages[i].url), key(i)) {
        (Some((old, entry)), Some(new)) if *old == new => Some(Arc::clone(entry)),
        _ => None,
    };
    let documents = crate::metadata::render_reusing(site, &earlier, each);
    if let Some(fresh) = fresh {
        let mut cached = lock(&fresh.metadata);
        for d in &documents {
            if let Some(k) = key(d.page) {
                let url = site.pages[d.page].url.clone();
                cached.insert(url, (k, Arc::clone(&d.entry)));
            }
        }
    }
    documents
}

/// The built-in theme's static files that neither the site's `static/` nor its theme folder
/// replaces, as generated files: there is no file on disk to copy them from.
fn builtin_static(site: &Site, theme: &Theme) -> Vec<Out> {
    theme
        .static_files
        .iter()
        .filter_map(|(rel, file)| match file {
            theme::StaticFile::Builtin(bytes) if !site.static_files.contains(rel) => {
                Some(Out::File(OutputFile {
                    path: rel.clone(),
                    bytes: bytes.to_vec(),
                }))
            }
            _ => None,
        })
        .collect()
}
