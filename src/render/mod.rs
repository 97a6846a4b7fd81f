//! Rendering: Markdown bodies first (so every page's anchors are known), then every output
//! page through its Tera template, in parallel over the immutable site.

pub mod cache;
pub mod tables;
pub mod theme;
pub mod toegankelijkheid;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::artifact::{CopiedFile, Emitted, OutputFile, Rendered};
use crate::content::{Kind, LETTERS, OPGAVEN, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::markdown::{self, Anchored, Html};
use crate::search;
use crate::site::{GEMEENTEN_URL, HOME_URL, NOT_FOUND_URL, Site, TAGS_URL, TOEGANKELIJKHEID_URL};

use crate::views::{self, GemeenteView, Link, PageView, SiteView, Summary};
use cache::Listed;
pub use cache::RenderCache;
pub use theme::Theme;

/// How many letters the home page lists.
const HOME_LETTERS: usize = 10;
/// How many pages the home page lists under "Nieuw en gewijzigd".
const HOME_RECENT: usize = 5;

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    NotFound,
    Section(usize),
    Gemeente(usize),
    Gemeenten,
    Tag(usize),
    Tags,
    Toegankelijkheid,
    Alias(usize),
    Begrippen,
    Search,
}

/// Renders every page of `site` with `theme`.
pub fn render(site: &Site, theme: &Theme) -> Result<Rendered, Diagnostics> {
    let files = std::sync::Mutex::new(Vec::new());
    let copies = render_each(site, theme, &|f: &OutputFile| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.clone());
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files,
        copies: copies?.copies,
    })
}

/// Renders every page of `site` with `theme` and hands each file to `sink` as soon as it is
/// rendered (from any thread), so the whole site never has to be held in memory. Returns
/// the files to publish as they are, or every problem found.
///
/// Content pages go in one pass, in runs of [`search::DOCS_PER_SHARD`]: each page's
/// Markdown is rendered once, and its HTML, its page and its share of the search index are
/// made from that and dropped. Links to anchors are checked at the end; a page handed on
/// before an error was found is never published, because the output stage swaps the new
/// site in only when this returns success.
pub fn render_each(
    site: &Site,
    theme: &Theme,
    sink: &crate::output::Sink,
) -> Result<Emitted, Diagnostics> {
    render_with(site, theme, sink, None).map(|(emitted, _)| emitted)
}

/// What a render for an output folder that holds what an earlier render produced (as under
/// `serve`) reuses: files whose inputs did not change since the render that filled `cache`
/// are passed to `keep` instead of being rendered again.
pub struct Reuse<'a> {
    /// What the render before made, and of which inputs.
    pub cache: &'a RenderCache,
    /// Names a file that stays as published.
    pub keep: &'a crate::output::Keep<'a>,
}

/// [`render_each`], reusing what `reuse` holds when it is given; then it also returns the
/// cache for the next render.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    sink: &crate::output::Sink,
    reuse: Option<&Reuse>,
) -> Result<(Emitted, Option<RenderCache>), Diagnostics> {
    let section_bodies: Vec<Option<(Html, Diagnostics)>> = site
        .sections
        .iter()
        .map(|s| {
            s.index
                .as_ref()
                .map(|src| markdown::render(src, &s.url, site))
                .map(|(h, d)| (tables::caption(h), d))
        })
        .collect();
    let home_body = site
        .home
        .as_ref()
        .map(|h| markdown::render(&h.source, HOME_URL, site))
        .map(|(h, d)| (tables::caption(h), d));

    let mut diags = Diagnostics::new();
    if let Some(d) = search::check_reserved(site) {
        diags.push(d);
    }
    for (_, d) in section_bodies.iter().flatten().chain(home_body.iter()) {
        diags.extend(d.clone());
    }

    let (summaries, summary_keys) = match reuse {
        Some(r) => cache::summaries(site, r.cache),
        None => (site.pages.par_iter().map(Summary::of).collect(), Vec::new()),
    };
    let mut tera = theme.tera.clone();
    let view = site_view(site);
    tera.global_context().insert("site", &view);
    let mut fresh = reuse.map(|_| cache::Fresh::default());
    let environment = reuse.map_or(0, |_| cache::environment(site, theme.fingerprint, &view));
    let summary_values = cache::summary_values(
        &summaries,
        &summary_keys,
        reuse.map(|r| r.cache),
        fresh.as_mut(),
    );
    let renderer = Renderer {
        site,
        summary_values: &summary_values,
        tera: &tera,
        paths: &theme.paths,
        summaries: &summaries,
        page_environment: reuse.map_or(0, |_| {
            cache::page_environment(site, &summary_keys, environment)
        }),
        summary_keys: &summary_keys,
        section_bodies: &section_bodies,
        home_body: home_body.as_ref(),
        reuse,
        fresh: fresh.as_ref(),
        environment,
        links: reuse.map_or(0, |_| cache::link_table(site, environment)),
    };
    // Files are handed on only while no error is known: after one, the build fails anyway
    // and only the other errors are still worth finding.
    let failed = AtomicBool::new(!diags.is_empty());
    let hand_on = |out: Out| -> Result<String, Diagnostic> {
        match out {
            Out::File(f) => {
                if !failed.load(Ordering::Relaxed) {
                    sink(&f)?;
                }
                Ok(f.path)
            }
            Out::Kept(path) => {
                if let Some(r) = reuse
                    && !failed.load(Ordering::Relaxed)
                {
                    (r.keep)(&path)?;
                }
                Ok(path)
            }
        }
    };
    let jobs = jobs(site);
    let (pages, others): (Batch, Vec<Result<String, Diagnostic>>) = rayon::join(
        || {
            site.pages
                .par_chunks(search::DOCS_PER_SHARD)
                .enumerate()
                .fold(Batch::default, |batch, (n, chunk)| {
                    renderer.pages(batch, n, chunk, &hand_on, &failed)
                })
                .reduce(Batch::default, Batch::merge)
        },
        || {
            jobs.par_iter()
                .map(|j| hand_on(renderer.render(*j)?))
                .collect()
        },
    );

    check_anchors(site, &pages.anchors, &mut diags);
    let mut paths = Vec::with_capacity(pages.done.len() + others.len());
    let mut seen_template_errors = HashSet::new();
    for (body_diags, _) in &pages.done {
        diags.extend(body_diags.clone());
    }
    let results = pages.done.into_iter().map(|(_, r)| r).chain(others);
    for r in results {
        match r {
            Ok(p) => paths.push(p),
            // One broken template fails every page that uses it; say it once.
            Err(d) if seen_template_errors.insert(d.message.clone()) => diags.push(d),
            Err(_) => {}
        }
    }
    // Feeds list the HTML pages; redirects and the not-found page are not content.
    let redirects: HashSet<&str> = site.aliases.iter().map(|a| a.url.as_str()).collect();
    let html: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != NOT_FOUND_URL && !redirects.contains(p))
        .collect();
    // About one file per page (metadata, index shards), written in parallel too, and each
    // group as soon as it is made rather than all held at once. Nothing is written after
    // an error.
    let write = diags.is_empty();
    let failures = std::sync::Mutex::new(Vec::new());
    let hand_on_all = |files: Vec<Out>, paths: &mut Vec<String>| {
        paths.extend(files.iter().map(|out| out.path().to_owned()));
        if write {
            let failed: Vec<Diagnostic> = files
                .into_par_iter()
                .filter_map(|out| hand_on(out).err())
                .collect();
            lock(&failures).extend(failed);
        }
    };
    let feeds = crate::feeds::render(site, &html);
    hand_on_all(feeds.into_iter().map(Out::File).collect(), &mut paths);
    hand_on_all(builtin_static(site, theme), &mut paths);
    let each = |d: &mut crate::metadata::DocumentFiles| {
        let out = match d.file.take() {
            Some(bytes) => Out::File(OutputFile {
                path: d.path.clone(),
                bytes,
            }),
            None => Out::Kept(d.path.clone()),
        };
        if write && let Err(e) = hand_on(out) {
            lock(&failures).push(e);
        }
    };
    // The search index and the metadata are independent of each other, and each has
    // stretches that run on one thread.
    let shards = pages.shards;
    let collected = pages.search;
    let ((search, search_paths, term_keys), (documents, index)) = rayon::join(
        || {
            let search = match reuse {
                Some(r) => merged_search(r.cache, shards, site.pages.len()),
                None => collected,
            };
            let earlier = reuse.map(|r| r.cache.term_shards.as_slice());
            let index = search::index_files(site, &summaries, &search, earlier);
            let mut paths = Vec::with_capacity(index.files.len() + index.kept.len());
            let outs = index.files.into_iter().map(Out::File);
            let kept = index.kept.into_iter().map(Out::Kept);
            hand_on_all(outs.chain(kept).collect(), &mut paths);
            (search, paths, index.keys)
        },
        || metadata(site, reuse, fresh.as_ref(), &each),
    );
    if let Some(fresh) = &mut fresh {
        fresh.search = Some((site.pages.len(), search));
        fresh.term_shards = term_keys;
    }
    paths.extend(search_paths);
    paths.extend(documents);
    hand_on_all(vec![Out::File(index)], &mut paths);
    diags.extend(
        failures
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect(),
    );
    paths.extend(pages.text_shards);
    if let Some(fresh) = &mut fresh {
        fresh.summaries = Some(cache::Summaries::of(site, summaries, summary_keys));
    }
    diags.into_result((
        Emitted {
            paths,
            copies: copies(site, theme),
        },
        fresh.map(|f| f.into_cache(site)),
    ))
}

/// An output page: rendered, or known to be as published.
enum Out {
    File(OutputFile),
    Kept(String),
}

impl Out {
    fn path(&self) -> &str {
        match self {
            Out::File(f) => &f.path,
            Out::Kept(path) => path,
        }
    }
}

/// The metadata files, handed to `each` as they are made; returns their paths and the
/// `index.json`. In an incremental render, a document whose page kept its key keeps its
/// `metadata.json` as published, and its entry in the index is reused.
fn metadata(
    site: &Site,
    reuse: Option<&Reuse>,
    fresh: Option<&cache::Fresh>,
    each: &(dyn Fn(&mut crate::metadata::DocumentFiles) + Sync),
) -> (Vec<String>, OutputFile) {
    let outputs = fresh.map(|f| lock(&f.outputs));
    let key = |i: usize| outputs.as_ref()?.get(&site.pages[i].url).copied();
    let earlier = |i: usize| match (reuse?.cache.metadata.get(&site.pages[i].url), key(i)) {
        (Some((old, entry)), Some(new)) if *old == new => Some(Arc::clone(entry)),
        _ => None,
    };
    let (documents, index) = crate::metadata::render_reusing(site, &earlier, each);
    if let Some(fresh) = fresh {
        let mut cached = lock(&fresh.metadata);
        for d in &documents {
            if let Some(k) = key(d.page) {
                let url = site.pages[d.page].url.clone();
                cached.insert(url, (k, Arc::clone(&d.entry)));
            }
        }
    }
    (documents.into_iter().map(|d| d.path).collect(), index)
}

/// What rendering a run of content pages left behind, in page order.
#[derive(Default)]
struct Batch {
    /// Per page: the problems in its body, and its path or the template error.
    done: Vec<(Diagnostics, Result<String, Diagnostic>)>,
    /// Per page: its body, for its anchors and the anchors it links to.
    anchors: Vec<Arc<cache::Body>>,
    /// Paths of the text shards handed on.
    text_shards: Vec<String>,
    search: search::Collector,
    /// In an incremental render, instead of `search`: each text shard's share of the search
    /// index, and whether it changed since the render before.
    shards: Vec<(usize, Arc<search::Collector>, bool)>,
}

impl Batch {
    fn merge(mut self, later: Batch) -> Batch {
        self.done.extend(later.done);
        self.anchors.extend(later.anchors);
        self.text_shards.extend(later.text_shards);
        self.search = std::mem::take(&mut self.search).merge(later.search);
        self.shards.extend(later.shards);
        self
    }
}

/// The search index's collector of an incremental render: the one of the render before,
/// with the documents of the text shards that changed replaced, when there are few;
/// otherwise every shard's merged again.
fn merged_search(
    cache: &RenderCache,
    mut shards: Vec<(usize, Arc<search::Collector>, bool)>,
    docs: usize,
) -> search::Collector {
    /// More changed shards than this merge every shard again: each replacement costs a
    /// pass over all terms.
    const MAX_REPLACED: usize = 8;
    shards.sort_unstable_by_key(|(n, _, _)| *n);
    let earlier = lock(&cache.search).take();
    let changed = shards.iter().filter(|(_, _, changed)| *changed).count();
    let range = |n: usize| {
        let first = (n * search::DOCS_PER_SHARD) as u32;
        first..first + search::DOCS_PER_SHARD as u32
    };
    match earlier {
        Some((before, mut merged)) if changed <= MAX_REPLACED => {
            for (n, collector, _) in shards.iter().filter(|(_, _, changed)| *changed) {
                merged.replace(range(*n), collector);
            }
            // Documents past the end of the site, once the site has fewer.
            if before > docs {
                merged.replace(docs as u32..before as u32, &search::Collector::default());
            }
            merged
        }
        _ => {
            let mut merged = search::Collector::default();
            for (_, collector, _) in &shards {
                merged.merge_from(collector);
            }
            merged
        }
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Gemeenten, Job::Tags];
    jobs.push(Job::Toegankelijkheid);
    jobs.push(Job::Search);
    jobs.extend((0..site.sections.len()).map(Job::Section));
    jobs.extend((0..site.config.gemeenten.len()).map(Job::Gemeente));
    jobs.extend((0..site.tags.len()).map(Job::Tag));
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    if !site.glossary.is_empty() {
        jobs.push(Job::Begrippen);
    }
    jobs
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

/// Every `#fragment` a page links to must be an id in the target page.
fn check_anchors(site: &Site, bodies: &[Arc<cache::Body>], diags: &mut Diagnostics) {
    // A page has few anchors, and most pages are linked to by none: looked up in place.
    let ids = |page: usize| &bodies[page].html.anchors;
    for (i, body) in bodies.iter().enumerate() {
        let refs = &body.html.anchor_refs;
        let source = &site.pages[i].doc.source;
        for r in refs {
            let target = match r.target {
                Anchored::Same => i,
                Anchored::Page(t) => t,
            };
            if !ids(target).contains(&r.anchor) {
                let mut known: Vec<&str> = ids(target).iter().map(String::as_str).collect();
                known.sort_unstable();
                known.dedup();
                let help = match crate::diagnostics::suggest(&r.anchor, &known) {
                    Some(s) => format!("did you mean \"#{s}\"?"),
                    None if known.is_empty() => "the page has no headings to link to".to_owned(),
                    None => format!("anchors in that page: {}", known.join(", ")),
                };
                diags.push(
                    source
                        .error_at(
                            r.position,
                            format!(
                                "link to a missing anchor \"#{}\" in {}",
                                r.anchor,
                                site.pages[target].doc.source.shown.display()
                            ),
                        )
                        .with_help(help),
                );
            }
        }
    }
}

fn site_view(site: &Site) -> SiteView {
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: site.config.base_url.clone(),
        gemeenten: site.config.gemeenten.iter().map(GemeenteView::of).collect(),
        sections: site
            .sections
            .iter()
            .map(|s| Link {
                name: s.title.clone(),
                url: s.url.clone(),
            })
            .collect(),
        feed: crate::feeds::letters_feed(site).map(str::to_owned),
        begrippen: (!site.glossary.is_empty()).then(|| crate::glossary::URL.to_owned()),
    }
}

/// The context every template gets besides `site`.
#[derive(Serialize)]
struct Frame<'a, T: Serialize> {
    /// Prefix from this page back to the site root ("../../").
    root: String,
    /// This page's output path.
    url: &'a str,
    /// The first folder of `url` ("brieven" for "brieven/x/index.html"), empty for a page at
    /// the top: a menu marks its section by comparing it, which is cheaper for Tera than a
    /// test on `url` for each menu item on every page.
    sectie: &'a str,
    /// Absolute URL of this page when `base_url` is set.
    permalink: Option<String>,
    #[serde(flatten)]
    data: T,
}

#[derive(Serialize)]
struct HomeData<'a> {
    title: &'a str,
    content: &'a str,
    letters: Vec<Listed<'a>>,
    letters_total: usize,
    opgaven: Vec<Listed<'a>>,
    /// "Nieuw en gewijzigd": the most recently dated or updated pages.
    recent: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct SectionData<'a> {
    section: SectionInfo<'a>,
    pages: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct SectionInfo<'a> {
    name: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
}

#[derive(Serialize)]
struct GemeenteData<'a> {
    gemeente: GemeenteView,
    letters: Vec<Listed<'a>>,
    opgaven: Vec<Listed<'a>>,
    /// This gemeente's letter feed, relative to the site root.
    feed: Option<String>,
}

#[derive(Serialize)]
struct AliasData<'a> {
    /// Title of the page the alias leads to.
    title: &'a str,
    /// Its location relative to the alias.
    target: String,
    /// Its absolute URL when `base_url` is set.
    canonical: Option<String>,
}

#[derive(Serialize)]
struct BegrippenData<'a> {
    title: &'static str,
    begrippen: &'a [crate::glossary::Begrip],
}

#[derive(Serialize)]
struct GemeenteRow {
    #[serde(flatten)]
    gemeente: GemeenteView,
    brieven: usize,
    opgaven: usize,
}

#[derive(Serialize)]
struct TagData<'a> {
    tag: &'a str,
    pages: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct TagRow<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    paths: &'a std::collections::BTreeMap<String, PathBuf>,
    summaries: &'a [Summary],
    /// In an incremental render: the key of each summary, and of what content pages read
    /// from the rest of the site (see [`cache::page_key`]).
    summary_keys: &'a [cache::Key],
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
}

impl Renderer<'_> {
    /// Renders the content pages of text shard `n` (`chunk`) into `batch`: their Markdown
    /// once, then their pages and their share of the search index.
    fn pages(
        &self,
        mut batch: Batch,
        n: usize,
        chunk: &[crate::site::Page],
        hand_on: &(dyn Fn(Out) -> Result<String, Diagnostic> + Sync),
        failed: &AtomicBool,
    ) -> Batch {
        let first = n * search::DOCS_PER_SHARD;
        let mut texts = Vec::with_capacity(chunk.len());
        let mut shard = cache::Hasher::new();
        let mut bodies = Vec::with_capacity(chunk.len());
        for (i, page) in (first..).zip(chunk) {
            let mut body = self.body(page);
            shard.key(body.key);
            if !body.diags.is_empty() {
                failed.store(true, Ordering::Relaxed);
            }
            // Without a cache this is the only reference: take the parts instead of copying.
            let html = match Arc::get_mut(&mut body) {
                Some(b) => {
                    if self.reuse.is_none() {
                        batch.search.add(i, &b.html.text, &self.summaries[i]);
                        texts.push(std::mem::take(&mut b.html.text));
                    }
                    Some(std::mem::take(&mut b.html.html))
                }
                None => None,
            };
            let result = self
                .content_page(i, body.key, || {
                    html.unwrap_or_else(|| body.html.html.clone())
                })
                .and_then(hand_on);
            if result.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            batch.done.push((body.diags.clone(), result));
            batch.anchors.push(Arc::clone(&body));
            bodies.push(body);
        }
        let text_shard = match self.reuse {
            None => Out::File(search::text_shard(n, &texts)),
            Some(reuse) => {
                let key = shard.finish();
                let (out, collector, changed) = match reuse.cache.shards.get(&n) {
                    Some((k, c)) if *k == key => {
                        (Out::Kept(search::text_shard_url(n)), Arc::clone(c), false)
                    }
                    _ => {
                        let mut c = search::Collector::default();
                        for (i, b) in (first..).zip(&bodies) {
                            c.add(i, &b.html.text, &self.summaries[i]);
                        }
                        let texts: Vec<&str> =
                            bodies.iter().map(|b| b.html.text.as_str()).collect();
                        (Out::File(search::text_shard(n, &texts)), Arc::new(c), true)
                    }
                };
                if let Some(fresh) = self.fresh {
                    lock(&fresh.shards).insert(n, (key, Arc::clone(&collector)));
                }
                batch.shards.push((n, collector, changed));
                out
            }
        };
        match hand_on(text_shard) {
            Ok(path) => batch.text_shards.push(path),
            Err(_) => failed.store(true, Ordering::Relaxed),
        }
        batch
    }

    /// The rendered body of `page`: from the cache when its inputs did not
    /// change, else rendered now.
    fn body(&self, page: &crate::site::Page) -> Arc<cache::Body> {
        let render = |key| {
            let (html, diags) = markdown::render(&page.doc.source, &page.url, self.site);
            Arc::new(cache::Body {
                key,
                html: tables::caption(html),
                diags,
            })
        };
        let (Some(reuse), Some(fresh)) = (self.reuse, self.fresh) else {
            return render(0);
        };
        let src = &page.doc.source;
        // The body, where it is shown and the list view's words (which weigh in the search
        // index) all come from the document, which stands in by its address as in
        // `cache::page_key`.
        let key = cache::Hasher::new()
            .key(self.links)
            .bytes(page.url.as_bytes())
            .bytes(&cache::address(&page.doc).to_le_bytes())
            .finish();
        let body = match reuse.cache.bodies.get(&src.rel) {
            Some(b) if b.key == key => Arc::clone(b),
            _ => render(key),
        };
        lock(&fresh.bodies).insert(src.rel.clone(), Arc::clone(&body));
        body
    }

    /// Renders content page `i`, whose body has the key `body_key` and the HTML `body`.
    fn content_page(
        &self,
        i: usize,
        body_key: cache::Key,
        body: impl FnOnce() -> String,
    ) -> Result<Out, Diagnostic> {
        let page = &self.site.pages[i];
        let default = match page.doc.kind {
            Kind::Letter(_) => "brief.html",
            Kind::Opgave(_) => "opgave.html",
            Kind::Page => "page.html",
        };
        let chosen = page.doc.common.template.as_deref();
        if self.reuse.is_some() {
            let template = chosen.unwrap_or(default);
            let key = cache::page_key(
                self.site,
                i,
                self.summary_keys,
                self.page_environment,
                template,
                body_key,
            );
            if self.unchanged_key(&page.url, key) {
                return Ok(Out::Kept(page.url.clone()));
            }
        }
        let view = PageView::of(self.site, self.summaries, self.summary_values, i, body());
        let frame = self.frame(&page.url, PageData { page: view });
        self.render_frame(chosen, default, Some(&page.doc.source), &frame)
            .map(Out::File)
    }

    fn render(&self, job: Job) -> Result<Out, Diagnostic> {
        let site = self.site;
        let list = |idx: &[usize]| -> Vec<Listed> {
            idx.iter()
                .map(|&i| Listed {
                    value: &self.summary_values[i],
                    key: self.summary_keys.get(i).copied().unwrap_or(0),
                })
                .collect()
        };
        match job {
            Job::Home => {
                let data = HomeData {
                    title: site.home.as_ref().map_or(&site.config.title, |h| &h.title),
                    content: self.home_body.map_or("", |(h, _)| &h.html),
                    letters: list(&site.letters[..site.letters.len().min(HOME_LETTERS)]),
                    letters_total: site.letters.len(),
                    opgaven: list(&site.opgaven),
                    recent: list(&views::recent(site, HOME_RECENT)),
                };
                self.page(HOME_URL, "index.html", None, data)
            }
            Job::NotFound => self.page(NOT_FOUND_URL, "404.html", None, ()),
            Job::Section(i) => {
                let s = &site.sections[i];
                let default = match s.name.as_str() {
                    LETTERS => "brieven.html",
                    OPGAVEN => "opgaven.html",
                    _ => "section.html",
                };
                let data = SectionData {
                    section: SectionInfo {
                        name: &s.name,
                        title: &s.title,
                        description: s.description.as_deref(),
                        content: self.section_bodies[i].as_ref().map_or("", |(h, _)| &h.html),
                    },
                    pages: list(&s.pages),
                };
                self.page_with(
                    &s.url,
                    s.template.as_deref(),
                    default,
                    s.index.as_ref(),
                    data,
                )
            }
            Job::Gemeente(k) => {
                let g = &site.config.gemeenten[k];
                let data = GemeenteData {
                    gemeente: GemeenteView::of(g),
                    letters: list(&site.gemeenten[k].letters),
                    opgaven: list(&site.gemeenten[k].opgaven),
                    feed: crate::feeds::gemeente_feed_of(site, k),
                };
                self.page(&Site::gemeente_url(&g.slug), "gemeente.html", None, data)
            }
            Job::Gemeenten => {
                let rows: Vec<GemeenteRow> = site
                    .config
                    .gemeenten
                    .iter()
                    .zip(&site.gemeenten)
                    .map(|(g, p)| GemeenteRow {
                        gemeente: GemeenteView::of(g),
                        brieven: p.letters.len(),
                        opgaven: p.opgaven.len(),
                    })
                    .collect();
                self.page(
                    GEMEENTEN_URL,
                    "gemeenten.html",
                    None,
                    GemeentenData { gemeenten: rows },
                )
            }
            Job::Tag(k) => {
                let t = &site.tags[k];
                let data = TagData {
                    tag: &t.name,
                    pages: list(&t.pages),
                };
                self.page(&t.url, "tag.html", None, data)
            }
            Job::Tags => {
                let rows: Vec<TagRow> = site
                    .tags
                    .iter()
                    .map(|t| TagRow {
                        name: &t.name,
                        url: &t.url,
                        count: t.pages.len(),
                    })
                    .collect();
                self.page(TAGS_URL, "tags.html", None, TagsData { tags: rows })
            }
            Job::Toegankelijkheid => self.page(
                TOEGANKELIJKHEID_URL,
                "toegankelijkheid.html",
                None,
                ToegankelijkheidData {
                    toegankelijkheid: toegankelijkheid::ToegankelijkheidView::of(
                        &site.config.toegankelijkheid,
                    ),
                },
            ),
            Job::Alias(k) => {
                let alias = &site.aliases[k];
                let page = &site.pages[alias.page];
                let data = AliasData {
                    title: &page.doc.common.title,
                    target: format!("{}{}", links::root_prefix(&alias.url), page.url),
                    canonical: site
                        .config
                        .base_url
                        .as_deref()
                        .map(|b| crate::feeds::absolute(b, &page.url)),
                };
                self.page(&alias.url, "alias.html", None, data)
            }
            Job::Begrippen => {
                let data = BegrippenData {
                    title: "Begrippen",
                    begrippen: &site.glossary.begrippen,
                };
                self.page(crate::glossary::URL, "begrippen.html", None, data)
            }
            Job::Search => self.page(
                crate::search::PAGE_URL,
                "zoeken.html",
                None,
                SearchData {
                    secties: site
                        .sections
                        .iter()
                        .filter(|s| !s.pages.is_empty())
                        .map(|s| SearchSection {
                            naam: &s.name,
                            titel: &s.title,
                            url: &s.url,
                        })
                        .collect(),
                    themas: crate::search::themes(site),
                },
            ),
        }
    }

    fn page<T: Serialize>(
        &self,
        url: &str,
        template: &str,
        source: Option<&Source>,
        data: T,
    ) -> Result<Out, Diagnostic> {
        self.page_with(url, None, template, source, data)
    }

    /// Renders `data` at `url` with the author's `chosen` template or else `default`.
    fn page_with<T: Serialize>(
        &self,
        url: &str,
        chosen: Option<&str>,
        default: &str,
        source: Option<&Source>,
        data: T,
    ) -> Result<Out, Diagnostic> {
        let frame = self.frame(url, data);
        if self.unchanged(url, chosen.unwrap_or(default), &frame, 0) {
            return Ok(Out::Kept(url.to_owned()));
        }
        self.render_frame(chosen, default, source, &frame)
            .map(Out::File)
    }

    fn frame<'u, T: Serialize>(&self, url: &'u str, data: T) -> Frame<'u, T> {
        Frame {
            root: links::root_prefix(url),
            url,
            sectie: url.split_once('/').map_or("", |(first, _)| first),
            permalink: self
                .site
                .config
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", url.strip_suffix("index.html").unwrap_or(url))),
            data,
        }
    }

    /// In an incremental render: records the key of the page at `url` (its template, its
    /// data and `extra`) and tells whether it is the key the published page was made from.
    fn unchanged<T: Serialize>(
        &self,
        url: &str,
        template: &str,
        frame: &Frame<'_, T>,
        extra: cache::Key,
    ) -> bool {
        if self.reuse.is_none() {
            return false;
        }
        let key = cache::Hasher::new()
            .key(self.environment)
            .bytes(template.as_bytes())
            .value(frame)
            .key(extra)
            .finish();
        self.unchanged_key(url, key)
    }

    /// In an incremental render: records `key` as the key of the page at `url` and tells
    /// whether the published page was made from the same.
    fn unchanged_key(&self, url: &str, key: cache::Key) -> bool {
        let (Some(reuse), Some(fresh)) = (self.reuse, self.fresh) else {
            return false;
        };
        lock(&fresh.outputs).insert(url.to_owned(), key);
        reuse.cache.outputs.get(url) == Some(&key)
    }

    fn render_frame<T: Serialize>(
        &self,
        chosen: Option<&str>,
        default: &str,
        source: Option<&Source>,
        frame: &Frame<'_, T>,
    ) -> Result<OutputFile, Diagnostic> {
        let template = chosen.unwrap_or(default);
        let blame = |message: String| match source {
            Some(src) if chosen.is_some() => src.error_at_key("template", message),
            _ => Diagnostic::general(message),
        };
        if !self.tera.contains_template(template) {
            return Err(blame(format!("template \"{template}\" not found"))
                .with_help("add it to templates/ or to the theme's templates/"));
        }
        // The frame's own keys, then the data's, as `Frame` serialises them; built by hand
        // because serialising the flattened frame makes a map with a string per key.
        let mut context = Context::new();
        context.insert("root", &frame.root);
        context.insert("url", frame.url);
        context.insert("sectie", frame.sectie);
        context.insert("permalink", &frame.permalink);
        let data = tera::Value::try_from_serializable(&frame.data).map_err(|e| {
            blame(format!(
                "could not pass data to template \"{template}\": {e}"
            ))
        })?;
        for (key, value) in data.into_map().into_iter().flatten() {
            let key: std::borrow::Cow<'static, str> = match key {
                tera::value::Key::Str(k) => k.into(),
                k => k.to_string().into(),
            };
            context.insert_value(key, value);
        }
        // Rendered into bytes, which is what is written: `render` would check the whole page
        // is UTF-8 again to make a String. Sized after the last page this thread rendered,
        // so that the buffer seldom grows.
        thread_local! {
            static LAST_SIZE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let mut html = Vec::with_capacity(LAST_SIZE.get() * 5 / 4 + 4096);
        self.tera
            .render_to(template, &context, &mut html)
            .map_err(|e| {
                let message = format!("template \"{template}\" failed: {}", theme::error_chain(&e));
                // Point at the template line; name the page when its author chose the template.
                match theme::template_location(&e, self.paths) {
                    Some((file, line, column)) => {
                        let d = Diagnostic::in_file(file, message).at(line, column);
                        match source {
                            Some(src) if chosen.is_some() => d.with_help(format!(
                                "chosen by template = \"{template}\" in {}",
                                src.shown.display()
                            )),
                            _ => d,
                        }
                    }
                    None => blame(message),
                }
            })?;
        LAST_SIZE.set(html.len());
        Ok(OutputFile {
            path: frame.url.to_owned(),
            bytes: html,
        })
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Serialize)]
struct PageData<'a> {
    page: PageView<'a>,
}

#[derive(Serialize)]
struct GemeentenData {
    gemeenten: Vec<GemeenteRow>,
}

#[derive(Serialize)]
struct SearchData<'a> {
    /// Sections with pages, for the section filter.
    secties: Vec<SearchSection<'a>>,
    /// The opgaven's themes, for the thema filter.
    themas: Vec<String>,
}

#[derive(Serialize)]
struct SearchSection<'a> {
    naam: &'a str,
    titel: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct TagsData<'a> {
    tags: Vec<TagRow<'a>>,
}

#[derive(Serialize)]
struct ToegankelijkheidData {
    toegankelijkheid: toegankelijkheid::ToegankelijkheidView,
}
