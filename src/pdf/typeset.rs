//! Typesetting a PDF with Typst (only with the cargo feature `pdf`): the job of one page
//! prepared and keyed, compiled from its template and exported as PDF/A-2a with PDF/UA-1.

use std::path::PathBuf;

use serde::Serialize;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::syntax::DiagSpanKind;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::content::{Kind, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::site::{Page, Site};
use crate::views::{LetterView, OpgaveView, Summary};

use super::{cache, markup, world};
use cache::Cache;
use world::Templates;

/// A change here (or in the template, the data, the body, the fonts or Typst) makes every
/// PDF again.
const VERSION: &str = concat!(
    "raadsite ",
    env!("CARGO_PKG_VERSION"),
    "; typst 0.15.1; pdf 2"
);

/// What the template gets as `/gegevens.json`.
#[derive(Serialize)]
pub struct Data<'a> {
    /// `brief` or `opgave`.
    pub soort: &'static str,
    /// The title: a letter's subject.
    pub titel: &'a str,
    /// The summary.
    pub beschrijving: Option<&'a str>,
    /// The tags, as keywords.
    pub tags: &'a [String],
    /// The site's title.
    pub site: &'a str,
    /// The letter's parts, as its page gets them.
    pub brief: Option<&'a LetterView>,
    /// The opgave's parts, as its page gets them.
    pub opgave: Option<&'a OpgaveView>,
}

/// Output path of the PDF of `page` (see [`Page::pdf_path`]).
pub fn path_of(page: &Page) -> Option<String> {
    page.pdf_path()
}

/// The template a page's PDF is made with, by its kind.
pub fn template_name(page: &Page) -> Option<&'static str> {
    match page.doc.kind {
        Kind::Letter(_) => Some("brief.typ"),
        Kind::Opgave(_) => Some("opgave.typ"),
        Kind::Page => None,
    }
}

/// A PDF made or found in the cache.
pub struct Pdf {
    /// Its length in bytes.
    pub len: u64,
    /// Its bytes, or its file in the cache.
    pub made: Made,
}

/// Where a PDF's bytes are.
pub enum Made {
    /// Typeset now and not kept (no cache).
    Bytes(Vec<u8>),
    /// In the cache: `file`, whose bytes `identity` stands for (length and key: the same
    /// key always gives the same bytes).
    Kept {
        /// The file.
        file: PathBuf,
        /// Stands for its bytes, as a fingerprint of them would.
        identity: (u64, u128),
        /// Its device and inode.
        inode: (u64, u64),
    },
}

/// The inputs of one PDF, prepared: what Typst compiles, and their key.
pub struct Job<'a> {
    source: &'a Source,
    templates: &'a Templates,
    main: typst::syntax::FileId,
    /// The body as markup, when it was needed for the key (a body that shows images).
    markup: Option<markup::Markup>,
    /// The data as JSON, as the template gets it.
    data: Vec<u8>,
    images: Vec<Vec<u8>>,
    date: Option<crate::dates::Date>,
    ident: String,
    /// Hash of everything above, in hex.
    pub key: String,
}

/// Prepares the PDF of page `i` with `data` from the template `name` of `templates`: the
/// data as JSON, the images the body shows read, the key made. Only what the key needs is
/// done here; the markup and the check of every character wait until the PDF is typeset
/// ([`Job::pdf`]), as a PDF found in the cache by its key passed them when it was made.
pub fn prepare<'a>(
    site: &'a Site,
    i: usize,
    data: &Data,
    templates: &'a Templates,
    name: &str,
) -> Result<Job<'a>, Diagnostics> {
    let page = &site.pages[i];
    let source = &page.doc.source;
    let Some((_, _, main)) = templates.get(name) else {
        return Err(Diagnostic::general(format!("PDF template \"{name}\" not found"))
            .with_help("add it to templates/ or to the theme's templates/, or switch PDFs off with [pdf] enabled = false")
            .into());
    };
    // Markdown writes every image as `![`: a body without one shows none, and its markup
    // is not needed to know which.
    let markup = match source.body().contains("![") {
        true => Some(markup::of(source)?),
        false => None,
    };
    let images = match &markup {
        Some(m) => read_images(site, source, &m.images)?,
        None => Vec::new(),
    };
    let date = match &page.doc.kind {
        Kind::Letter(l) => Some(l.date),
        _ => page.last_changed(),
    };
    let mut h = cache::KeyHasher::new();
    h.part(VERSION.as_bytes());
    h.part(&world::fonts_fingerprint().to_le_bytes());
    h.part(&templates.fingerprint.to_le_bytes());
    h.part(main.id().get().vpath().get_with_slash().as_bytes());
    // The views list their fields in order, and Tera's maps with their keys sorted here
    // (`with_sorted_maps`): the same data gives the same bytes, and key, in every build.
    // Written out whole and hashed at once: serialised straight into the hash, its many
    // small pieces cost a call of the hasher each (callgrind: 23,000 instructions a page).
    let data = crate::views::with_sorted_maps(|| serde_json::to_vec(data))
        .map_err(|e| Diagnostic::general(e.to_string()))?;
    h.part(&data);
    // The whole document rather than its markup: the markup is made from its body, and
    // the characters checked are those of the whole file and the data.
    h.part(source.text.as_bytes());
    for image in &images {
        h.part(image);
    }
    h.part(page.url.as_bytes());
    h.part(date.map(|d| d.iso()).unwrap_or_default().as_bytes());
    Ok(Job {
        source,
        templates,
        main: main.id(),
        markup,
        data,
        images,
        date,
        ident: page.url.clone(),
        key: h.finish(),
    })
}

impl Made {
    /// The PDF `kept` in the cache under `key`.
    fn kept(key: &str, kept: cache::Kept) -> Made {
        Made::Kept {
            identity: identity(key, kept.len),
            file: kept.file,
            inode: kept.inode,
        }
    }
}

impl Job<'_> {
    /// The PDF: from `cache` when it holds one of the same key, else typeset now and kept
    /// there; `None` when the cache leaves it for the next build ([`Cache::deferring`]). A
    /// character no bundled font has and an image without alt text are errors.
    pub fn pdf(mut self, cache: &Cache) -> Result<Option<Pdf>, Diagnostics> {
        if let Some(kept) = cache.get(&self.key) {
            let len = kept.len;
            let made = Made::kept(&self.key, kept);
            return Ok(Some(Pdf { len, made }));
        }
        check_glyphs(self.source, &self.data)?;
        if self.markup.is_none() {
            self.markup = Some(markup::of(self.source)?);
        }
        if cache.defers() {
            cache.progress().deferred_pdf();
            return Ok(None);
        }
        let key = self.key.clone();
        let timing = cache.progress().timing_on();
        let (bytes, cpu) = off_the_render_pool(|| {
            let start = timing.then(crate::progress::thread_cpu);
            let bytes = self.typeset();
            (
                bytes,
                start.map(|s| crate::progress::thread_cpu().saturating_sub(s)),
            )
        });
        let bytes = bytes?;
        if let Some(cpu) = cpu {
            cache.progress().typeset_took(cpu);
        }
        let len = bytes.len() as u64;
        let made = match cache.put(&key, &bytes) {
            Some(kept) => Made::kept(&key, kept),
            None => Made::Bytes(bytes),
        };
        Ok(Some(Pdf { len, made }))
    }

    /// Compiles the template and exports the PDF.
    fn typeset(self) -> Result<Vec<u8>, Diagnostics> {
        let today = self
            .date
            .and_then(|d| Datetime::from_ymd(i32::from(d.year), d.month, d.day))
            .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("a valid date"));
        let sheet = world::Sheet {
            templates: self.templates,
            main: self.main,
            body: typst::syntax::Source::new(
                world::id(world::BODY),
                self.markup.map(|m| m.text).unwrap_or_default(),
            ),
            data: typst::foundations::Bytes::new(self.data),
            images: self
                .images
                .into_iter()
                .map(typst::foundations::Bytes::new)
                .collect(),
            today,
        };
        let Warned { output, .. } = typst::compile::<PagedDocument>(&sheet);
        let blame = |errors: &[SourceDiagnostic]| {
            errors
                .iter()
                .map(|e| diagnostic(&sheet, e, self.source))
                .collect::<Diagnostics>()
        };
        let document = output.map_err(|e| blame(&e))?;
        let options = PdfOptions {
            ident: Smart::Custom(self.ident.clone()),
            creator: Smart::Custom(Some("raadsite".to_owned())),
            timestamp: Some(Timestamp::new_utc(today)),
            standards: standards(),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|e| blame(&e));
        forget_old_results();
        pdf
    }
}

/// What stands for the bytes of the PDF of `key`, `len` bytes long, in the output stage
/// (as a fingerprint of them would): its length and the key, a 128-bit hash in hex.
fn identity(key: &str, len: u64) -> (u64, u128) {
    (len, u128::from_str_radix(key, 16).unwrap_or_default())
}

/// Runs `typeset` in Typst's own thread pool, from a thread of its own, and waits for it.
///
/// Typst and its PDF writer (krilla) run parts of a document in parallel with rayon. Called
/// on a worker of the render pool, that worker, while it waits for those parts, takes other
/// pages from the render queue and typesets them on top of its own stack, and so on without
/// bound: at 10,000 letters the stack overflowed. Here the render worker only blocks (a
/// plain join on a scoped thread); the scoped thread is no rayon worker either, so it blocks
/// in `install` too; and in Typst's pool at most one document per render worker is under way,
/// so nesting there is bounded by the number of render workers.
fn off_the_render_pool<T: Send>(typeset: impl FnOnce() -> T + Send) -> T {
    let Some(pool) = typst_pool() else {
        return typeset(); // no threads to be had: on this one, as before
    };
    std::thread::scope(|s| match s.spawn(|| pool.install(typeset)).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// The pool Typst's parallel parts run in, as many threads as the render pool, with room
/// for deep documents (Typst's evaluator grows its stack itself; layout does not).
fn typst_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|i| format!("typst-{i}"))
            .stack_size(16 << 20)
            .build()
            .ok()
    })
    .as_ref()
}

/// Typst remembers the results of its steps across documents (the template's, the fonts'),
/// in a cache without bounds: every 32 PDFs the results no document used in the last 96
/// are dropped, so that a build of thousands of letters does not hold them all.
fn forget_old_results() {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 32 == 31 {
        typst::comemo::evict(3);
    }
}

/// PDF/A-2a and PDF/UA-1.
fn standards() -> PdfStandards {
    PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .expect("PDF/A-2a and PDF/UA-1 go together")
}

/// A Typst error as a diagnostic: at the template's line when it is in the template, else
/// at the document it typesets.
fn diagnostic(sheet: &world::Sheet, e: &SourceDiagnostic, source: &Source) -> Diagnostic {
    let mut message = format!("PDF: {}", e.message);
    for hint in &e.hints {
        message.push_str(&format!(" ({})", hint.v));
    }
    let place = match e.span.get() {
        DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } => Some(id),
        DiagSpanKind::Detached => None,
    };
    if let Some((shown, template)) = place.and_then(|id| sheet.templates.shown(id)) {
        let line = typst::WorldExt::range(sheet, e.span)
            .and_then(|r| template.lines().byte_to_line(r.start));
        let d = Diagnostic::in_file(shown, message)
            .with_help(format!("typesetting the PDF of {}", source.shown.display()));
        return match line {
            Some(l) => d.at(l + 1, 1),
            None => d,
        };
    }
    Diagnostic::in_file(&source.shown, message)
}

/// Every character of the document and of its data must be in a bundled font: an error
/// at the first line where one is not, rather than a missing-glyph box in the PDF.
fn check_glyphs(source: &Source, data: &[u8]) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut seen = std::collections::HashSet::new();
    for (n, line) in source.text.lines().enumerate() {
        for (column, c) in line.chars().enumerate() {
            if !world::covers(c) && seen.insert(c) {
                let at = Position {
                    line: n + 1,
                    column: column + 1,
                };
                diags.push(source.error_at(at, missing(c)).with_help(FONT_HELP));
            }
        }
    }
    let data = String::from_utf8_lossy(data);
    if let Some(c) = data
        .chars()
        .find(|&c| !world::covers(c) && !seen.contains(&c))
    {
        diags.push(
            Diagnostic::in_file(
                &source.shown,
                format!("{} (in site.toml or a page it names)", missing(c)),
            )
            .with_help(FONT_HELP),
        );
    }
    diags.into_result(())
}

const FONT_HELP: &str = "the PDF's font (Noto Sans) has no glyph for it: write the character \
                         differently, or switch PDFs off with [pdf] enabled = false";

fn missing(c: char) -> String {
    format!(
        "character '{c}' (U+{:04X}) cannot be printed in the PDF",
        c as u32
    )
}

/// The bytes of the images the body shows, found as the page's links are: relative to the
/// document's folder, or from the site root with a leading `/`.
fn read_images(
    site: &Site,
    source: &Source,
    images: &[markup::Image],
) -> Result<Vec<Vec<u8>>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut out = Vec::with_capacity(images.len());
    for image in images {
        match find_image(site, source, &image.dest).and_then(|p| std::fs::read(p).ok()) {
            Some(bytes) => out.push(bytes),
            None => diags.push(
                source
                    .error_at(
                        Position {
                            line: image.line,
                            column: 1,
                        },
                        format!("image \"{}\" not found for the PDF", image.dest),
                    )
                    .with_help("put the image beside the page in content/, or in static/"),
            ),
        }
    }
    diags.into_result(out)
}

fn find_image(site: &Site, source: &Source, dest: &str) -> Option<PathBuf> {
    let dest = dest.split(['#', '?']).next().unwrap_or(dest);
    let rel = crate::links::resolve(source.dir(), &crate::links::percent_decode(dest))?;
    site.assets
        .iter()
        .chain(&site.static_assets)
        .find(|a| a.rel == rel)
        .map(|a| a.path.clone())
}

/// The data of page `i` for its PDF, from the views its page is rendered with.
pub fn data<'a>(
    site: &'a Site,
    summary: &'a Summary,
    brief: Option<&'a LetterView>,
    opgave: Option<&'a OpgaveView>,
    tags: &'a [String],
) -> Data<'a> {
    Data {
        soort: if brief.is_some() { "brief" } else { "opgave" },
        titel: &summary.title,
        beschrijving: summary.description.as_deref(),
        tags,
        site: &site.config.title,
        brief,
        opgave,
    }
}
