//! raadsite: a static site generator for council information.
//!
//! Markdown letters (brieven) and opgave descriptions with TOML front matter become a static
//! website that works from disk, from a zip and under any sub-path of a web server.
//!
//! The pipeline is visible in [`produce`]: load the configuration, load the content, resolve
//! it into a site, render every page (in parallel). [`build`] then writes the output
//! atomically; [`check`] only reports. Each stage returns a new value or every problem it
//! found; the library never prints.
#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod aliases;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod feeds;
pub mod forward;
pub mod fsutil;
pub mod glossary;
pub mod links;
pub mod markdown;
pub mod metadata;
pub mod output;
pub mod profile;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod site;
pub mod slug;
pub mod snapshot;
mod tomlerr;

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
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Builds the site for the intranet; see [`build_as`].
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    build_as(opts, Profile::default())
}

/// Builds the site for `profile`: the rendered site of [`produce`], written atomically.
/// On any error nothing is written and the previous output stays as it was.
pub fn build_as(opts: &BuildOptions, profile: Profile) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_target(&opts.root, &output).map_err(Diagnostic::io)?;
    let Produced {
        config,
        mut rendered,
    } = produce(&opts.root, profile)?;
    snapshot::publish::add(
        &snapshot::Store::of_site(&opts.root, &config),
        &mut rendered,
    )?;
    // Feeds, sitemap and JSON are generated too, but readers count pages.
    let pages = rendered
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .count();
    let written = output::write(&output, &rendered)?;
    Ok(Report {
        pages,
        copied: written.copied,
        output,
        elapsed: start.elapsed(),
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
    let rendered = produce(root, profile)?.rendered;
    let unreadable: Diagnostics = rendered
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
        pages: rendered.files.len(),
        copied: rendered.copies.len(),
        elapsed: start.elapsed(),
    })
}

/// The site in `root`, rendered for `profile` but not written: config -> theme -> content
/// -> resolved site -> rendered pages. Content problems of every stage are reported together.
pub fn produce(root: &Path, profile: Profile) -> Result<Produced, Diagnostics> {
    if !root.is_dir() {
        return Err(Diagnostic::general(format!(
            "the site folder {} does not exist or is not a folder",
            root.display()
        ))
        .with_help("pass the folder that holds site.toml with --root DIR")
        .io()
        .into());
    }
    let mut config = config::load(root)?;
    config.profile = profile;
    let theme = render::theme::load(root, &config)?;
    let (mut content, mut diags) = content::load(root, &config);
    glossary::attach(root, &mut content, &mut diags);
    let produced = site::resolve(config, content).and_then(|site| {
        let rendered = render::render(&site, &theme)?;
        Ok(Produced {
            config: site.config,
            rendered,
        })
    });
    match produced {
        Ok(p) => diags.into_result(p),
        Err(e) => {
            diags.extend(e);
            Err(diags.sorted())
        }
    }
}

/// What [`produce`] made: the site's configuration and every file of the site.
pub struct Produced {
    /// The configuration the site was built with.
    pub config: config::Config,
    /// The generated and copied files.
    pub rendered: render::Rendered,
}
