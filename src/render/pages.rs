//! The content pages (letters, opgaven and other pages), in runs of
//! [`search::DOCS_PER_SHARD`]: each page's Markdown is rendered once, and its HTML, its page
//! and its share of the search index are made from that and dropped. Links to anchors are
//! checked once every body is known.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{HandOn, Out, RenderCache, Renderer, cache, lock, tables};
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Anchored};
use crate::search;
use crate::site::{Page, Site};
use crate::views::PageView;

impl Renderer<'_> {
    /// Every content page of the site, handed on as rendered.
    pub(super) fn content_pages(&self, hand_on: &HandOn) -> Batch {
        self.site
            .pages
            .par_chunks(search::DOCS_PER_SHARD)
            .enumerate()
            .fold(Batch::default, |batch, (n, chunk)| {
                self.pages(batch, n, chunk, hand_on)
            })
            .reduce(Batch::default, Batch::merge)
    }

    /// Renders the content pages of text shard `n` (`chunk`) into `batch`: their Markdown
    /// once, then their pages and their share of the search index.
    fn pages(&self, mut batch: Batch, n: usize, chunk: &[Page], hand_on: &HandOn) -> Batch {
        let first = n * search::DOCS_PER_SHARD;
        let mut texts = Vec::with_capacity(chunk.len());
        let mut shard = cache::Hasher::new();
        let mut bodies = Vec::with_capacity(chunk.len());
        for (i, page) in (first..).zip(chunk) {
            let mut body = self.body(i, page);
            shard.key(body.key);
            if !body.diags.is_empty() {
                hand_on.fail();
            }
            // Without a cache this is the only reference: take the parts instead of copying.
            let html = match Arc::get_mut(&mut body) {
                Some(b) => {
                    if self.reuse.is_none() {
                        batch.search.add(i, &b.html.text, &self.summaries[i]);
                        texts.push(search::snippet_text(&b.html.text).into());
                        b.html.text = String::new();
                    }
                    Some(std::mem::take(&mut b.html.html))
                }
                None => None,
            };
            let mut diags = body.diags.clone();
            let mut pdf = None;
            let result = self
                .content_page(i, body.key, &mut pdf, || {
                    html.unwrap_or_else(|| body.html.html.clone())
                })
                .and_then(|out| {
                    let single = self.single_file(i, &out);
                    let path = hand_on.give(out)?;
                    if let Some(single) = single {
                        batch.single_files.push(hand_on.give(single)?);
                    }
                    Ok(path)
                });
            if let Some(pdf) = pdf {
                batch.hand_on_pdf(pdf, hand_on, &mut diags);
            }
            if result.is_err() {
                hand_on.fail();
            }
            batch.done.push((diags, result));
            batch.anchors.push(Arc::clone(&body));
            bodies.push(body);
        }
        let texts: cache::Texts = match self.reuse {
            None => texts.into(),
            Some(reuse) => {
                let key = shard.finish();
                let (collector, texts, changed) = match reuse.cache.shards.get(&n) {
                    Some((k, c, t)) if *k == key => (Arc::clone(c), Arc::clone(t), false),
                    _ => {
                        let mut c = search::Collector::default();
                        for (i, b) in (first..).zip(&bodies) {
                            c.add(i, &b.html.text, &self.summaries[i]);
                        }
                        let texts: cache::Texts = bodies
                            .iter()
                            .map(|b| search::snippet_text(&b.html.text).into())
                            .collect();
                        (Arc::new(c), texts, true)
                    }
                };
                if let Some(fresh) = self.fresh {
                    let entry = (key, Arc::clone(&collector), Arc::clone(&texts));
                    lock(&fresh.shards).insert(n, entry);
                }
                batch.shards.push((n, collector, changed));
                texts
            }
        };
        batch.texts.push((n, texts));
        batch
    }

    /// The rendered body of `page`, content page `i`: from the cache when its inputs did
    /// not change, else rendered now.
    fn body(&self, i: usize, page: &Page) -> Arc<cache::Body> {
        let render = |key| {
            // A body let go after parsing is read again here, and dropped with the page.
            let (html, diags) = match page.doc.source.loaded() {
                Ok(source) => markdown::render(&source, &page.url, self.site),
                Err(d) => (markdown::Html::default(), d.into()),
            };
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
        // index) all come from the document, which stands in by its key as in
        // `cache::page_key`.
        let key = cache::Hasher::new()
            .key(self.links)
            .bytes(page.url.as_bytes())
            .key(self.documents[i])
            .finish();
        let body = match reuse.cache.bodies.get(&src.rel) {
            Some(b) if b.key == key => Arc::clone(b),
            _ => render(key),
        };
        lock(&fresh.bodies).insert(src.rel.clone(), Arc::clone(&body));
        body
    }

    /// Renders content page `i`, whose body has the key `body_key` and the HTML `body`; its
    /// PDF, when it has one, goes to `pdf`.
    fn content_page(
        &self,
        i: usize,
        body_key: cache::Key,
        pdf: &mut Option<Result<Out, Diagnostics>>,
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
                self.documents[i],
                body_key,
            );
            // The single file beside a letter or opgave is made from its page, with the
            // published files put inline: when one of those changes, so does the page's key.
            let key = match page.has_metadata() {
                true => cache::Hasher::new()
                    .key(key)
                    .key(self.published.key)
                    .finish(),
                false => key,
            };
            if self.unchanged_key(&page.url, key) {
                // The PDF is made from the page's view and body: unchanged with them.
                if let Some(path) = self.pdf_kept(page) {
                    *pdf = Some(Ok(Out::Kept(path)));
                }
                return Ok(Out::Kept(page.url.clone()));
            }
        }
        let mut view = PageView::of(self.site, self.summaries, self.summary_values, i, body());
        if let Some(made) = self.pdf(i, &mut view) {
            *pdf = Some(made);
        }
        let frame = self.frame(&page.url, PageData { page: view });
        self.render_frame(chosen, default, Some(&page.doc.source), &frame)
            .map(Out::File)
    }
}

#[cfg(not(feature = "pdf"))]
impl Renderer<'_> {
    /// Without the feature `pdf` no page has a PDF.
    fn pdf(&self, _: usize, _: &mut PageView) -> Option<Result<Out, Diagnostics>> {
        None
    }

    fn pdf_kept(&self, _: &crate::site::Page) -> Option<String> {
        None
    }
}

#[cfg(feature = "pdf")]
impl Renderer<'_> {
    /// The path of the PDF of `page` that stays as the render before made it, when the site
    /// makes PDFs.
    fn pdf_kept(&self, page: &crate::site::Page) -> Option<String> {
        self.pdfs.and_then(|_| crate::pdf::path_of(page))
    }

    /// The PDF of page `i` when the site makes PDFs and the page has one, made from its
    /// `view`, which then links it.
    fn pdf(&self, i: usize, view: &mut PageView) -> Option<Result<Out, Diagnostics>> {
        let pdfs = self.pdfs?;
        let page = &self.site.pages[i];
        let path = crate::pdf::path_of(page)?;
        let template = crate::pdf::template_name(page)?;
        let data = crate::pdf::data(
            self.site,
            view.summary,
            view.brief.as_ref(),
            view.opgave.as_ref(),
            &page.doc.common.tags,
        );
        let made = crate::pdf::prepare(self.site, i, &data, pdfs.templates, template)
            .and_then(|job| job.pdf(pdfs.cache));
        let made = match made {
            Ok(Some(pdf)) => Ok(pdf),
            Ok(None) => {
                // Left for the next build, which must render the page again to link it.
                view.pdf_wordt_gemaakt = true;
                if let Some(fresh) = self.fresh {
                    super::lock(&fresh.outputs).remove(&page.url);
                }
                return None;
            }
            Err(e) => Err(e),
        };
        Some(made.map(|pdf| {
            view.pdf = Some(crate::views::PdfLink {
                url: crate::links::encode_path(&path),
                naam: path.rsplit('/').next().unwrap_or(&path).to_owned(),
                grootte: crate::views::human_size(pdf.len),
            });
            match pdf.made {
                crate::pdf::Made::Bytes(bytes) => {
                    Out::File(crate::artifact::OutputFile { path, bytes })
                }
                crate::pdf::Made::Kept {
                    file,
                    identity,
                    inode,
                } => Out::Linked(crate::artifact::LinkedFile {
                    path,
                    from: file,
                    identity,
                    inode,
                }),
            }
        }))
    }
}

/// What rendering a run of content pages left behind, in page order.
#[derive(Default)]
pub(super) struct Batch {
    /// Per page: the problems in its body, and its path or the template error.
    pub(super) done: Vec<(Diagnostics, Result<String, Diagnostic>)>,
    /// Per page: its body, for its anchors and the anchors it links to.
    pub(super) anchors: Vec<Arc<cache::Body>>,
    /// Per run of pages (by number): the start of each page's text, for the snippets.
    pub(super) texts: Vec<(usize, cache::Texts)>,
    /// Paths of the single-file renditions of letters and opgaven handed on.
    pub(super) single_files: Vec<String>,
    /// Paths of the PDFs handed on.
    pub(super) pdfs: Vec<String>,
    pub(super) search: search::Collector,
    /// In an incremental render, instead of `search`: each text shard's share of the search
    /// index, and whether it changed since the render before.
    pub(super) shards: Vec<(usize, Arc<search::Collector>, bool)>,
}

impl Batch {
    /// Hands on the PDF of a page, or fails the render with its problems.
    fn hand_on_pdf(
        &mut self,
        pdf: Result<Out, Diagnostics>,
        hand_on: &HandOn,
        diags: &mut Diagnostics,
    ) {
        match pdf.and_then(|out| hand_on.give(out).map_err(Into::into)) {
            Ok(path) => self.pdfs.push(path),
            Err(problems) => {
                hand_on.fail();
                diags.extend(problems);
            }
        }
    }

    fn merge(mut self, later: Batch) -> Batch {
        self.done.extend(later.done);
        self.anchors.extend(later.anchors);
        self.texts.extend(later.texts);
        self.single_files.extend(later.single_files);
        self.pdfs.extend(later.pdfs);
        self.search = std::mem::take(&mut self.search).merge(later.search);
        self.shards.extend(later.shards);
        self
    }
}

/// The search index's collector of an incremental render: the one of the render before,
/// with the documents of the text shards that changed replaced, when there are few;
/// otherwise every shard's merged again.
pub(super) fn merged_search(
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

/// Every `#fragment` a page links to must be an id in the target page.
pub(super) fn check_anchors(site: &Site, bodies: &[Arc<cache::Body>], diags: &mut Diagnostics) {
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

#[derive(Serialize)]
struct PageData<'a> {
    page: PageView<'a>,
}
