//! The orchestrator: one build, as its stages.
//!
//! ```text
//! config ──► theme ──► content ──► site ──► render (pages, feeds, metadata, search)
//!                                        └► archive (published snapshots) ──► output
//! ```
//!
//! [`build_with`] and [`build_incremental`] are one function, [`run`]: a full build is an
//! incremental build with nothing to remember ([`Memo`] absent). The stamp that skips an
//! unchanged build wraps this from outside (see [`crate::stamp`]); nothing here knows of it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::artifact::OutputFile;
use crate::content::{self, ParseCache};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{self, Writer};
use crate::profile::Profile;
use crate::progress::Progress;
use crate::render::{self, RenderCache, Reuse, Theme};
use crate::site::{self, Site};
use crate::snapshot::{self, Store};
use crate::{config, fsutil};

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder: `site.toml`, `content/`, `themes/`.
    pub root: PathBuf,
    /// The output folder; `root/public` when `None`.
    pub output: Option<PathBuf>,
    /// Counters the build raises as it goes (PDFs typeset), for a caller to show.
    pub progress: Progress,
}

impl BuildOptions {
    /// The output folder to write.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Pages generated (HTML files).
    pub pages: usize,
    /// Files copied as they are (attachments, styles).
    pub copied: usize,
    /// Files whose bytes were written; unchanged files are left alone.
    pub written: usize,
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Nothing was rendered or written: the inputs and the output folder were as the last
    /// build left them (see [`crate::stamp`]).
    pub up_to_date: bool,
    /// Problems that did not stop the build, such as an archived version left out of an
    /// openbaar build.
    pub warnings: Diagnostics,
}

/// Whether a build publishes the snapshot store under `archief/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// Publish every frozen version (a normal build).
    Publish,
    /// Leave the archive out: the build that `snapshot create` freezes holds the site
    /// itself, not copies of earlier snapshots.
    Leave,
}

impl Archive {
    fn store(self, root: &Path, site: &Site) -> Option<Store> {
        (self == Archive::Publish).then(|| Store::of_site(root, &site.config))
    }
}

/// What an incremental build remembers of the build before: the Markdown files it parsed
/// and what it rendered, keyed by content hashes (see [`render::cache`]). A full build has
/// none.
#[derive(Default)]
pub struct Memo {
    cache: RenderCache,
    parsed: ParseCache,
    /// PDFs not in the cache are left for the next build (see [`Incremental::pdfs_later`]).
    pdfs_later: bool,
}

/// What `serve` keeps between builds, so that a rebuild after an edit renders and writes
/// only what the edit changed: a remembering writer and the [`Memo`].
pub struct Incremental {
    writer: Writer,
    memo: Memo,
}

impl Default for Incremental {
    fn default() -> Self {
        Incremental::new()
    }
}

impl Incremental {
    /// Nothing built yet.
    pub fn new() -> Self {
        Incremental {
            writer: Writer::remembering(),
            memo: Memo::default(),
        }
    }

    /// Tells the next build which files changed, as a file watcher saw them: `Some` with
    /// the paths whose contents changed when nothing was created, removed or renamed, so
    /// that the content folders need not be walked again; `None` when that is not known.
    /// See [`content::ParseCache::edited`].
    pub fn edited(&mut self, paths: Option<Vec<PathBuf>>) {
        self.memo.parsed.edited(paths);
    }

    /// Whether the next builds leave the PDFs they would typeset for a later build: their
    /// pages say "PDF wordt gemaakt" and link no PDF (nor does any stale one stay at its
    /// path); the progress counts them as `deferred`, and a build without this makes them
    /// and renders those pages again. So `serve` shows an edit without waiting for Typst.
    pub fn pdfs_later(&mut self, later: bool) {
        self.memo.pdfs_later = later;
    }
}

/// Builds the site for `profile` through `writer`, every page rendered. Pages go to the
/// output stage as they are rendered; it swaps them in only when all succeed, so on any
/// error the previous output stays as it was.
pub fn build_with(
    opts: &BuildOptions,
    profile: Profile,
    archive: Archive,
    writer: &mut Writer,
) -> Result<Report, Diagnostics> {
    run(opts, profile, archive, writer, None)
}

/// [`build_with`] for repeated builds of one site into one output folder: reuses what the
/// previous build in `state` rendered, and renders every page only the first time or when
/// the output folder is not the one that build wrote.
pub fn build_incremental(
    opts: &BuildOptions,
    profile: Profile,
    state: &mut Incremental,
) -> Result<Report, Diagnostics> {
    let memo = Some(&mut state.memo);
    run(opts, profile, Archive::Publish, &mut state.writer, memo)
}

/// The build, as its stages: prepare the site, render it into the output stage with the
/// archive, swap it in. With a `memo`, what did not change since the build it remembers
/// is kept instead of rendered, and the memo learns this build.
pub fn run(
    opts: &BuildOptions,
    profile: Profile,
    archive: Archive,
    writer: &mut Writer,
    mut memo: Option<&mut Memo>,
) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_target(&opts.root, &output).map_err(Diagnostic::io)?;
    output::forget_stamp(&output);
    let empty = RenderCache::default();
    let parsed = memo.as_deref_mut().map(|m| &mut m.parsed);
    let (mut site, theme) = prepare_with(&opts.root, profile, parsed)?;
    let store = archive.store(&opts.root, &site);
    if let Some(store) = &store {
        site.versions = snapshot::publish::page_versions(store, profile, &site)?;
    }
    let pending = writer.begin(&output)?;
    let (sink, keep, link) = (
        |f: &OutputFile| pending.put(f),
        |rel: &str| pending.keep(rel),
        |f: &crate::artifact::LinkedFile| pending.link(f),
    );
    let reuse = memo.as_deref().map(|m| Reuse {
        cache: if pending.knows_published() {
            &m.cache
        } else {
            &empty
        },
        keep: &keep,
    });
    let pdfs = pdf_cache(&output, profile, &site, &opts.progress);
    let pdfs = match memo.as_deref().is_some_and(|m| m.pdfs_later) {
        true => pdfs.deferring(),
        false => pdfs,
    };
    let (mut emitted, fresh) =
        render::render_with(&site, &theme, &sink, reuse.as_ref(), &pdfs, Some(&link))?;
    let warnings = match &store {
        Some(store) => snapshot::publish::add(store, profile, &mut emitted, &sink)?,
        None => Diagnostics::new(),
    };
    let written = pending.commit(&emitted.copies)?;
    // A full build used every PDF it publishes; an incremental one kept some unseen.
    pdfs.finish(memo.is_none());
    if let (Some(memo), Some(fresh)) = (memo, fresh) {
        memo.cache = fresh;
    }
    drop_in_background((site, theme));
    Ok(Report {
        pages: emitted.html_pages(),
        copied: written.copied,
        written: written.written,
        output,
        elapsed: start.elapsed(),
        up_to_date: false,
        warnings,
    })
}

/// The PDFs of earlier builds of `output` in `profile`, in its private work folder; none
/// in a raadsite built without PDFs. `progress` learns how many PDFs `site` publishes and
/// counts them as they are typeset or reused.
fn pdf_cache(
    output: &Path,
    profile: Profile,
    site: &Site,
    progress: &Progress,
) -> crate::pdf::Cache {
    let cache = match output::work_dir(output) {
        Some(work) if cfg!(feature = "pdf") => {
            crate::pdf::Cache::in_dir(work.join(format!("pdf-{profile}")))
        }
        _ => crate::pdf::Cache::none(),
    };
    let with_pdf = site.pages.iter().filter(|p| p.pdf_path().is_some());
    progress.expect_pdfs(if site.config.pdf.enabled {
        with_pdf.count()
    } else {
        0
    });
    cache.reporting(progress.clone())
}

/// Frees `value` on a thread of its own. A resolved site is hundreds of thousands of small
/// allocations, and freeing them took about 1% of a full build's CPU time at the end of
/// it: `raadsite build` exits without waiting for that, and `serve` answers meanwhile.
fn drop_in_background<T: Send + 'static>(value: T) {
    // When no thread can be started, the value is dropped here instead.
    let _ = std::thread::Builder::new()
        .name("drop".to_owned())
        .spawn(move || drop(value));
}

/// What a clean check found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Pages that would be generated.
    pub pages: usize,
    /// Files that would be copied as they are.
    pub copied: usize,
    /// Wall time of the check.
    pub elapsed: Duration,
}

/// Runs everything a build does short of writing: every problem a build would report,
/// including template errors, and every file to copy must be readable.
pub fn check(root: &Path, profile: Profile) -> Result<CheckReport, Diagnostics> {
    let start = Instant::now();
    let (site, theme) = prepare(root, profile)?;
    let emitted = render::render_each(&site, &theme, &|_| Ok(()))?;
    let unreadable: Diagnostics = emitted
        .copies
        .iter()
        .filter_map(|c| {
            std::fs::File::open(&c.from).err().map(|e| {
                let shown = c.from.strip_prefix(root).unwrap_or(&c.from);
                fsutil::io_error(shown, "could not read", &e)
            })
        })
        .collect();
    unreadable.into_result(CheckReport {
        pages: emitted.html_pages(),
        copied: emitted.copies.len(),
        elapsed: start.elapsed(),
    })
}

/// The pipeline up to rendering: config -> theme -> content -> resolved site.
pub fn prepare(root: &Path, profile: Profile) -> Result<(Site, Theme), Diagnostics> {
    prepare_with(root, profile, None)
}

/// [`prepare`], reusing the Markdown files parsed into `parsed` by earlier runs. Content
/// problems of every stage are reported together, and with the template errors that
/// rendering the site would find.
pub fn prepare_with(
    root: &Path,
    profile: Profile,
    parsed: Option<&mut ParseCache>,
) -> Result<(Site, Theme), Diagnostics> {
    fsutil::site_folder(root)?;
    let mut config = config::load(root)?;
    config.profile = profile;
    let theme = render::theme::load(root, &config)?;
    let (mut content, mut diags) = content::load_with(root, &config, parsed);
    content.attach_glossary(root, &mut diags);
    match site::resolve(config, content) {
        Ok(site) if diags.is_empty() => Ok((site, theme)),
        Ok(site) => Err(with_render_errors(&site, &theme, diags)),
        Err(e) => {
            diags.extend(e);
            Err(diags.sorted())
        }
    }
}

/// `diags` and every problem that rendering `site` finds (nothing is written), so that a
/// template error shows in the same run as the content errors.
fn with_render_errors(site: &Site, theme: &Theme, mut diags: Diagnostics) -> Diagnostics {
    if let Err(e) = render::render_each(site, theme, &|_| Ok(())) {
        diags.extend(e);
    }
    diags.sorted()
}
