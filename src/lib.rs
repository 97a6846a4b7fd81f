//! raadsite: a static site generator for council information.
//!
//! Markdown letters (brieven) and opgave descriptions with TOML front matter become a static
//! website that works from disk, from a zip and under any sub-path of a web server.
//!
//! The pipeline is visible in [`prepare`] and [`build_with`]: load the configuration, load
//! the content, resolve it into a site, render every page in parallel and stream it to the
//! output stage, which swaps the new site in atomically. [`check`] runs the same stages
//! without writing. Each stage returns a new value or every problem it found; the library
//! never prints.
#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod aliases;
pub mod artifact;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod feeds;
pub mod forward;
pub mod fsutil;
pub mod glossary;
pub mod init;
mod json;
pub mod links;
pub mod markdown;
pub mod metadata;
pub mod mime;
pub mod new;
pub mod output;
pub mod profile;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod snapshot;
pub mod stamp;
mod tomlerr;
mod tomlspan;

#[doc(hidden)]
pub mod fuzzing;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics};
pub use profile::Profile;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder: `site.toml`, `content/`, `themes/`.
    pub root: PathBuf,
    /// The output folder; `root/public` when `None`.
    pub output: Option<PathBuf>,
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
    /// build left them (see [`stamp`]).
    pub up_to_date: bool,
    /// Problems that did not stop the build, such as an archived version left out of an
    /// openbaar build.
    pub warnings: Diagnostics,
}

/// Builds the site for the intranet; see [`build_as`].
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    build_as(opts, Profile::default())
}

/// Builds the site for `profile`, published snapshots included. Does nothing when neither
/// the inputs nor the output folder changed since the last build; see [`stamp`].
pub fn build_as(opts: &BuildOptions, profile: Profile) -> Result<Report, Diagnostics> {
    stamp::build(opts, profile, false)
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

/// [`build_as`] with a given output writer, which `serve` keeps between builds. Pages go to
/// the output stage as they are rendered; it swaps them in only when all succeed, so on
/// any error the previous output stays as it was.
pub fn build_with(
    opts: &BuildOptions,
    profile: Profile,
    archive: Archive,
    writer: &mut output::Writer,
) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_target(&opts.root, &output).map_err(Diagnostic::io)?;
    stamp::invalidate(&output);
    let (site, theme) = prepare(&opts.root, profile)?;
    let store = match archive {
        Archive::Publish => Some(snapshot::Store::of_site(&opts.root, &site.config)),
        Archive::Leave => None,
    };
    let mut pages = 0;
    let mut warnings = Diagnostics::new();
    let written = writer.write_with(&output, |sink| {
        let mut emitted = render::render_each(&site, &theme, sink)?;
        if let Some(store) = &store {
            warnings = snapshot::publish::add(store, profile, &mut emitted, sink)?;
        }
        pages = emitted.html_pages();
        Ok(emitted.copies)
    })?;
    let elapsed = start.elapsed();
    drop_in_background((site, theme));
    Ok(Report {
        pages,
        copied: written.copied,
        written: written.written,
        output,
        elapsed,
        up_to_date: false,
        warnings,
    })
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

/// What `serve` keeps between builds, so that a rebuild after an edit renders and writes
/// only what the edit changed (see [`render::cache`]).
pub struct Incremental {
    writer: output::Writer,
    cache: render::RenderCache,
    parsed: content::ParseCache,
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
            writer: output::Writer::remembering(),
            cache: render::RenderCache::default(),
            parsed: content::ParseCache::default(),
        }
    }

    /// Tells the next build which files changed, as a file watcher saw them: `Some` with
    /// the paths whose contents changed when nothing was created, removed or renamed, so
    /// that the content folders need not be walked again; `None` when that is not known.
    /// See [`content::ParseCache::edited`].
    pub fn edited(&mut self, paths: Option<Vec<PathBuf>>) {
        self.parsed.edited(paths);
    }
}

/// [`build_with`] for repeated builds of one site into one output folder: reuses what the
/// previous build in `state` rendered, and renders every page only the first time or when
/// the output folder is not the one that build wrote.
pub fn build_incremental(
    opts: &BuildOptions,
    profile: Profile,
    state: &mut Incremental,
) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_target(&opts.root, &output).map_err(Diagnostic::io)?;
    stamp::invalidate(&output);
    let (site, theme) = prepare_with(&opts.root, profile, Some(&mut state.parsed))?;
    let store = snapshot::Store::of_site(&opts.root, &site.config);
    let empty = render::RenderCache::default();
    let cache = if state.writer.knows_published(&output) {
        &state.cache
    } else {
        &empty
    };
    let mut pages = 0;
    let mut next = None;
    let mut warnings = Diagnostics::new();
    let written = state.writer.write_keeping(&output, |sink, keep| {
        let (mut emitted, fresh) = render::render_incremental(&site, &theme, sink, keep, cache)?;
        warnings = snapshot::publish::add(&store, profile, &mut emitted, sink)?;
        pages = emitted.html_pages();
        next = Some(fresh);
        Ok(emitted.copies)
    })?;
    if let Some(fresh) = next {
        state.cache = fresh;
    }
    let elapsed = start.elapsed();
    drop_in_background((site, theme));
    Ok(Report {
        pages,
        copied: written.copied,
        written: written.written,
        output,
        up_to_date: false,
        elapsed,
        warnings,
    })
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

/// Runs everything [`build_as`] does short of writing: every problem `build` would report,
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
        pages: emitted
            .paths
            .iter()
            .filter(|p| p.ends_with(".html"))
            .count(),
        copied: emitted.copies.len(),
        elapsed: start.elapsed(),
    })
}

/// The pipeline up to rendering: config -> theme -> content -> resolved site. Content
/// problems of every stage are reported together; when there are any, the site is still
/// rendered (and nothing written) so that template errors show in the same run.
pub fn prepare(root: &Path, profile: Profile) -> Result<(site::Site, render::Theme), Diagnostics> {
    prepare_with(root, profile, None)
}

/// [`prepare`], reusing the Markdown files parsed into `parsed` by earlier runs.
pub fn prepare_with(
    root: &Path,
    profile: Profile,
    parsed: Option<&mut content::ParseCache>,
) -> Result<(site::Site, render::Theme), Diagnostics> {
    fsutil::site_folder(root)?;
    let mut config = config::load(root)?;
    config.profile = profile;
    let theme = render::theme::load(root, &config)?;
    let (mut content, mut diags) = content::load_with(root, &config, parsed);
    glossary::attach(root, &mut content, &mut diags);
    match site::resolve(config, content) {
        Ok(site) if diags.is_empty() => Ok((site, theme)),
        Ok(site) => {
            if let Err(e) = render::render_each(&site, &theme, &|_| Ok(())) {
                diags.extend(e);
            }
            Err(diags.sorted())
        }
        Err(e) => {
            diags.extend(e);
            Err(diags.sorted())
        }
    }
}
