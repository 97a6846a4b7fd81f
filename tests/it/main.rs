//! The integration tests, as one test binary (one link instead of one per file): each module
//! builds fixture sites end to end through the library or the installed command line, and
//! asserts on the files, the HTML and the messages users see. `common` holds the fixture
//! sites and the command-line runner they share.
//!
//! Run one module with `cargo test --test it MODULE::`, e.g. `cargo test --test it feeds::`.

mod common;

mod accessibility;
mod aliases;
mod archive_grade;
mod archive_profiles;
mod atomic;
mod build;
mod cli;
mod determinism;
mod errors;
mod example_site;
mod feeds;
mod glossary;
// The golden files are of the default build, with the feature `pdf`: a letter and an opgave
// link their PDF and metadata.json names it (without it, pdf_off.rs asserts neither does).
#[cfg(feature = "pdf")]
mod golden;
mod import;
mod incremental;
mod init;
mod mail;
mod metadata;
mod new;
mod paging;
#[cfg(feature = "pdf")]
mod pdf;
#[cfg(not(feature = "pdf"))]
mod pdf_off;
mod privacy;
mod profiles;
mod properties;
mod robustness;
mod search;
mod serve;
mod snapshot;
mod stamp;
mod theme;
mod toml_messages;
