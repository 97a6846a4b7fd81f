//! raadsite: a static site generator for council information.
//!
//! Markdown letters (brieven) and opgave descriptions with TOML front matter become a static
//! website that works from disk, from a zip and under any sub-path of a web server.
//!
//! The pipeline is visible in [`build`]: load the configuration, load the content, resolve
//! it into a site, render every page (in parallel), write the output atomically. Each stage
//! returns a new value or every problem it found; the library never prints.
#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod fsutil;
pub mod links;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
mod tomlerr;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Diagnostics};

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
}

/// Builds the site: config -> content -> resolved site -> rendered pages -> written output.
/// On any error nothing is written and the previous output stays as it was.
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    build_with(opts, &mut output::Writer::new())
}

/// [`build`] with a given output writer, which `serve` keeps between builds.
pub fn build_with(opts: &BuildOptions, writer: &mut output::Writer) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let output = opts.output_dir();
    output::check_target(&opts.root, &output)?;
    let config = config::load(&opts.root)?;
    let theme = render::theme::load(&opts.root, &config)?;
    let (content, mut diags) = content::load(&opts.root, &config);
    let site = site::resolve(config, content);
    let site = match site {
        Ok(site) if diags.is_empty() => site,
        Ok(site) => {
            // Still render, to report template errors in the same run.
            if let Err(e) = render::render(&site, &theme) {
                diags.extend(e);
            }
            return diags.into_result(Report::empty());
        }
        Err(e) => {
            diags.extend(e);
            return diags.into_result(Report::empty());
        }
    };
    // Pages go to the output stage as they are rendered; it swaps them in only if all succeed.
    let written = writer.write_with(&output, |sink| render::render_each(&site, &theme, sink))?;
    Ok(Report {
        pages: written.generated,
        copied: written.copied,
        written: written.written,
        output,
        elapsed: start.elapsed(),
    })
}

impl Report {
    fn empty() -> Self {
        Report {
            pages: 0,
            copied: 0,
            written: 0,
            output: PathBuf::new(),
            elapsed: Duration::ZERO,
        }
    }
}
