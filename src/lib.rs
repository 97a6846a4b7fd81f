//! raadsite: a static site generator for council information.
//!
//! Markdown letters (brieven) and opgave descriptions with TOML front matter become a static
//! website that works from disk, from a zip and under any sub-path of a web server.
//!
//! The pipeline is visible in [`pipeline::run`]: load the configuration, load the content,
//! resolve it into a site, render every page in parallel and stream it to the output stage,
//! which swaps the new site in atomically. [`check`] runs the same stages without writing.
//! Each stage returns a new value or every problem it found; the library never prints.
//! ARCHITECTURE.md shows the layers.
#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod artifact;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod digest;
pub mod escape;
pub mod feeds;
pub mod forward;
pub mod freeze;
pub mod fsutil;
pub mod glossary;
pub mod import;
pub mod init;
mod json;
pub mod links;
pub mod mail;
pub mod markdown;
pub mod metadata;
pub mod mime;
pub mod new;
pub mod onefile;
pub mod output;
pub mod paging;
pub mod paths;
pub mod pdf;
pub mod pipeline;
pub mod profile;
pub mod progress;
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
pub mod views;

#[doc(hidden)]
pub mod fuzzing;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use pipeline::{
    Archive, BuildOptions, CheckReport, Incremental, Report, build_incremental, build_with, check,
    prepare, prepare_with,
};
pub use profile::Profile;
pub use progress::Progress;

/// Builds the site for the intranet; see [`build_as`].
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    build_as(opts, Profile::default())
}

/// Builds the site for `profile`, published snapshots included, unless neither the inputs
/// nor the output folder changed since the last build; see [`build_unless_unchanged`].
pub fn build_as(opts: &BuildOptions, profile: Profile) -> Result<Report, Diagnostics> {
    build_unless_unchanged(opts, profile, false)
}

/// [`build_with`] a fresh writer, the archive published, wrapped in the stamp: returns at
/// once when the stamp says nothing changed since the last build (`force` builds anyway),
/// and leaves a new stamp after a successful build. See [`stamp`].
pub fn build_unless_unchanged(
    opts: &BuildOptions,
    profile: Profile,
    force: bool,
) -> Result<Report, Diagnostics> {
    stamp::unless_unchanged(opts, profile, force, |writer| {
        build_with(opts, profile, Archive::Publish, writer)
    })
}
