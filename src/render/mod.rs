//! Rendering: every output file of the site, from the immutable resolved site, in parallel,
//! handed to the output stage as it is made.
//!
//! [`render_with`] reads as its stages: the intros, what every page shares
//! (`Shared`: templates with the site view, summaries, keys), the content pages
//! (`pages`) beside the list and fixed pages (`lists`), the anchor check, then the
//! generated files (`generated`: feeds, metadata, search index). One page through its
//! template is `frame`.

pub mod cache;
mod frame;
mod generated;
mod lists;
mod pages;
mod single;
pub mod tables;
pub mod theme;
pub mod toegankelijkheid;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use tera::Tera;

use crate::artifact::{CopiedFile, Emitted, LinkedFile, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Html};
use crate::output::{Keep, Link, Sink};
use crate::search;
use crate::site::{HOME_URL, Site};
use crate::views::Summary;
pub use cache::RenderCache;

pub use theme::Theme;

/// Renders every page of `site` with `theme` and hands each file to `sink` as soon as it is
/// rendered (from any thread), so the whole site never has to be held in memory. Returns
/// the files to publish as they are, or every problem found.
///
/// Content pages go in one pass, in runs of [`search::DOCS_PER_SHARD`]: each page's
/// Markdown is rendered once, and its HTML, its page and its share of the search index are
/// made from that and dropped. Links to anchors are checked at the end; a page handed on
/// before an error was found is never published, because the output stage swaps the new
/// site in only when this returns success.
///
/// PDFs are all typeset: no cache of earlier builds is read.
pub fn render_each(site: &Site, theme: &Theme, sink: &Sink) -> Result<Emitted, Diagnostics> {
    let pdfs = crate::pdf::Cache::none();
    render_with(site, theme, sink, None, &pdfs, None).map(|(emitted, _)| emitted)
}

/// What a render for an output folder that holds what an earlier render produced (as under
/// `serve`) reuses: files whose inputs did not change since the render that filled `cache`
/// are passed to `keep` instead of being rendered again.
pub struct Reuse<'a> {
    /// What the render before made, and of which inputs.
    pub cache: &'a RenderCache,
    /// Names a file that stays as published.
    pub keep: &'a Keep<'a>,
}

/// [`render_each`], reusing what `reuse` holds when it is given and the PDFs `pdfs` holds;
/// then it also returns the cache for the next render. Kept PDFs go to `link` when given
/// (else they are read and go to `sink`).
pub fn render_with(
    site: &Site,
    theme: &Theme,
    sink: &Sink,
    reuse: Option<&Reuse>,
    pdfs: &crate::pdf::Cache,
    link: Option<&Link>,
) -> Result<(Emitted, Option<RenderCache>), Diagnostics> {
    let intros = Intros::of(site);
    let mut diags = intros.problems(site);
    let mut shared = Shared::of(site, theme, reuse);
    let hand_on = HandOn {
        sink,
        link,
        keep: reuse.map(|r| r.keep),
        failed: AtomicBool::new(!diags.is_empty()),
    };
    #[cfg(feature = "pdf")]
    let templates = site
        .config
        .pdf
        .enabled
        .then(|| crate::pdf::Templates::of(&theme.typst));
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut renderer = shared.renderer(site, theme, &intros, reuse);
    #[cfg(feature = "pdf")]
    {
        renderer.pdfs = templates.as_ref().map(|templates| Pdfs {
            templates,
            cache: pdfs,
        });
    }
    #[cfg(not(feature = "pdf"))]
    let _ = pdfs;
    let jobs = lists::jobs(site);
    let (mut pages, others): (pages::Batch, Vec<Result<String, Diagnostic>>) = rayon::join(
        || renderer.content_pages(&hand_on),
        || {
            jobs.par_iter()
                .map(|j| hand_on.give(renderer.render(*j)?))
                .collect()
        },
    );
    pages::check_anchors(site, &pages.anchors, &mut diags);
    let done = std::mem::take(&mut pages.done);
    let mut paths = collect(done, others, &mut diags);
    paths.extend(std::mem::take(&mut pages.pdfs));
    if !diags.is_empty() {
        hand_on.fail();
    }
    let generated = generated::hand_on(site, theme, &mut shared, reuse, pages, &hand_on, &paths);
    diags.extend(generated.failures.into_iter().collect());
    paths.extend(generated.paths);
    let fresh = shared.fresh.take().map(|mut fresh| {
        let (summaries, keys) = (shared.summaries, shared.summary_keys);
        fresh.summaries = Some(cache::Summaries::of(shared.documents, summaries, keys));
        fresh.into_cache()
    });
    let copies = copies(site, theme);
    diags.into_result((Emitted { paths, copies }, fresh))
}

/// The paths of the pages rendered, in order; their problems go to `diags`, a broken
/// template's once although it fails every page that uses it.
fn collect(
    done: Vec<(Diagnostics, Result<String, Diagnostic>)>,
    others: Vec<Result<String, Diagnostic>>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut paths = Vec::with_capacity(done.len() + others.len());
    let mut seen_template_errors = HashSet::new();
    for (body_diags, _) in &done {
        diags.extend(body_diags.clone());
    }
    for r in done.into_iter().map(|(_, r)| r).chain(others) {
        match r {
            Ok(p) => paths.push(p),
            Err(d) if seen_template_errors.insert(d.message.clone()) => diags.push(d),
            Err(_) => {}
        }
    }
    paths
}

/// The Markdown of the section intros (`_index.md`) and the home page, rendered.
struct Intros {
    sections: Vec<Option<(Html, Diagnostics)>>,
    home: Option<(Html, Diagnostics)>,
}

impl Intros {
    fn of(site: &Site) -> Intros {
        let sections = site
            .sections
            .iter()
            .map(|s| {
                s.index
                    .as_ref()
                    .map(|src| markdown::render(src, &s.url, site))
                    .map(|(h, d)| (tables::caption(h), d))
            })
            .collect();
        let home = site
            .home
            .as_ref()
            .map(|h| markdown::render(&h.source, HOME_URL, site))
            .map(|(h, d)| (tables::caption(h), d));
        Intros { sections, home }
    }

    /// The problems known before any page is rendered: a folder named like the search page,
    /// and those in the intros.
    fn problems(&self, site: &Site) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(d) = search::check_reserved(site) {
            diags.push(d);
        }
        for (_, d) in self.sections.iter().flatten().chain(self.home.iter()) {
            diags.extend(d.clone());
        }
        diags
    }
}

/// What every page's render reads besides the site: the templates with the site view in
/// their global context and every page's summary as templates get it; in an incremental
/// render also the cache being filled and the keys of all of that.
struct Shared {
    tera: Tera,
    summaries: Vec<Summary>,
    summary_keys: Vec<cache::Key>,
    /// In an incremental render: the key of each page's document.
    documents: Vec<cache::Key>,
    summary_values: Vec<tera::Value>,
    fresh: Option<cache::Fresh>,
    environment: cache::Key,
    page_environment: cache::Key,
    links: cache::Key,
    /// The files the single-file renditions put inline.
    published: single::Published,
}

impl Shared {
    fn of(site: &Site, theme: &Theme, reuse: Option<&Reuse>) -> Shared {
        // The configuration's key, made once: documents and the environment both name it.
        let config = reuse.map_or(0, |_| site.config.key());
        let documents = reuse.map_or_else(Vec::new, |_| cache::document_keys(site, config));
        let (summaries, summary_keys) = match reuse {
            Some(r) => cache::summaries(site, &documents, r.cache),
            None => (site.pages.par_iter().map(Summary::of).collect(), Vec::new()),
        };
        let mut tera = theme.tera.clone();
        let view = frame::site_view(site);
        tera.global_context().insert("site", &view);
        let mut fresh = reuse.map(|_| cache::Fresh::default());
        let environment = reuse.map_or(0, |_| cache::environment(config, theme.fingerprint, &view));
        let cache = reuse.map(|r| r.cache);
        let summary_values =
            cache::summary_values(&summaries, &summary_keys, cache, fresh.as_mut());
        let keyed = |f: &dyn Fn() -> cache::Key| reuse.map_or(0, |_| f());
        Shared {
            page_environment: keyed(&|| cache::page_environment(site, &summary_keys, environment)),
            links: keyed(&|| cache::link_table(site, environment)),
            tera,
            summaries,
            summary_keys,
            documents,
            summary_values,
            fresh,
            environment,
            published: single::Published::of(site, theme, reuse.is_some()),
        }
    }

    fn renderer<'a>(
        &'a self,
        site: &'a Site,
        theme: &'a Theme,
        intros: &'a Intros,
        reuse: Option<&'a Reuse<'a>>,
    ) -> Renderer<'a> {
        Renderer {
            site,
            tera: &self.tera,
            paths: &theme.paths,
            summaries: &self.summaries,
            summary_keys: &self.summary_keys,
            documents: &self.documents,
            summary_values: &self.summary_values,
            page_environment: self.page_environment,
            section_bodies: &intros.sections,
            home_body: intros.home.as_ref(),
            reuse,
            fresh: self.fresh.as_ref(),
            environment: self.environment,
            links: self.links,
            published: &self.published,
            #[cfg(feature = "pdf")]
            pdfs: None,
        }
    }
}

/// What the PDFs of a render are made with: the theme's Typst templates, and the PDFs of
/// earlier builds.
#[cfg(feature = "pdf")]
#[derive(Clone, Copy)]
struct Pdfs<'a> {
    templates: &'a crate::pdf::Templates,
    cache: &'a crate::pdf::Cache,
}

/// Hands rendered files to the output stage while no error is known: after one, the build
/// fails anyway and only the other errors are still worth finding.
struct HandOn<'a> {
    sink: &'a Sink<'a>,
    link: Option<&'a Link<'a>>,
    keep: Option<&'a Keep<'a>>,
    failed: AtomicBool,
}

impl HandOn<'_> {
    /// Hands `out` on (unless an error is known) and gives its path.
    fn give(&self, out: Out) -> Result<String, Diagnostic> {
        match out {
            Out::File(f) => {
                if !self.failed() {
                    (self.sink)(&f)?;
                }
                Ok(f.path)
            }
            Out::Linked(f) => {
                if !self.failed() {
                    match self.link {
                        Some(link) => link(&f)?,
                        None => (self.sink)(&OutputFile {
                            bytes: crate::fsutil::read(&f.from, &f.from)?,
                            path: f.path.clone(),
                        })?,
                    }
                }
                Ok(f.path)
            }
            Out::Kept(path) => {
                if let Some(keep) = self.keep
                    && !self.failed()
                {
                    keep(&path)?;
                }
                Ok(path)
            }
        }
    }

    /// Notes that an error is known: nothing more is handed on.
    fn fail(&self) {
        self.failed.store(true, Ordering::Relaxed);
    }

    /// Whether an error is known.
    fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

/// An output page: rendered, or known to be as published.
enum Out {
    File(OutputFile),
    /// A file on disk, linked in (a kept PDF).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    Linked(LinkedFile),
    Kept(String),
}

impl Out {
    fn path(&self) -> &str {
        match self {
            Out::File(f) => &f.path,
            Out::Linked(f) => &f.path,
            Out::Kept(path) => path,
        }
    }
}

/// Renders pages of one site; shared by the threads of a render.
struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    paths: &'a BTreeMap<String, PathBuf>,
    summaries: &'a [Summary],
    /// In an incremental render: the key of each summary, and of what content pages read
    /// from the rest of the site (see [`cache::page_key`]).
    summary_keys: &'a [cache::Key],
    /// In an incremental render: the key of each page's document.
    documents: &'a [cache::Key],
    /// Every summary as templates get it.
    summary_values: &'a [tera::Value],
    page_environment: cache::Key,
    section_bodies: &'a [Option<(Html, Diagnostics)>],
    home_body: Option<&'a (Html, Diagnostics)>,
    /// Set for an incremental render, with the cache it fills and the keys of what every
    /// page and every body depend on.
    reuse: Option<&'a Reuse<'a>>,
    fresh: Option<&'a cache::Fresh>,
    environment: cache::Key,
    links: cache::Key,
    /// The files the single-file renditions put inline.
    published: &'a single::Published,
    /// Set when the site makes PDFs.
    #[cfg(feature = "pdf")]
    pdfs: Option<Pdfs<'a>>,
}

/// Files published as they are; the site's `static/` wins over the theme's.
/// The built-in theme's files are generated instead, see [`builtin_static`].
fn copies(site: &Site, theme: &Theme) -> Vec<CopiedFile> {
    let mut out: Vec<CopiedFile> = site
        .assets
        .iter()
        .chain(&site.static_assets)
        .map(|a| CopiedFile {
            path: a.rel.clone(),
            from: a.path.clone(),
        })
        .collect();
    for (rel, file) in &theme.static_files {
        if let theme::StaticFile::Disk(from) = file
            && !site.static_files.contains(rel)
        {
            out.push(CopiedFile {
                path: rel.clone(),
                from: from.clone(),
            });
        }
    }
    out
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Renders `view` (a file made outside a build, such as a part of the digest e-mail of
/// `raadsite mail`) through its theme template, as the feeds are: a site replaces the
/// template by a file of the same name in `templates/`.
pub fn render_view<T: serde::Serialize>(
    theme: &Theme,
    view: &crate::feeds::View<T>,
) -> Result<OutputFile, Diagnostic> {
    frame::render_file(&theme.tera, &theme.paths, view)
}
