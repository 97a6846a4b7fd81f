//! Offline search: at build time every page's text is folded (lowercase, diacritics removed),
//! split into words and written as an inverted index in a JavaScript file. A script file,
//! not JSON, because `fetch()` of a local file fails on `file://` while `<script src>` works
//! from disk, from a zip and on any web server.
//!
//! Output, all loaded with `<script>` elements:
//! - `zoeken/index.js`: `window.RAAD_ZOEK = {...}` with the document table, the filter
//!   values and `delen`, the first term of every term shard;
//! - `zoeken/termen/<n>.js`: a shard of the inverted index: folded terms (sorted) with their
//!   postings as delta-encoded `(document, weight)` pairs (see [`BODY_FACTOR`]), about
//!   [`TERM_SHARD_BYTES`] each; a query loads only the shards its words fall in;
//! - `zoeken/tekst/<n>.js`: the plain text of [`DOCS_PER_SHARD`] documents each, loaded only
//!   for the results shown, to make snippets.
//!
//! So the first search on a large site loads the document table and a few small shards,
//! not the whole index.
//!
//! The search page's script (`zoeken.js` in the theme) folds and splits queries the same way
//! ([`fold()`], [`tokens`]); the stop words travel in the index so both sides agree.
//!
//! The parts, in the order a build uses them:
//! - `fold`: folding and splitting as the search page's script does it, the
//!   rules both sides share;
//! - `scan` and `bytes`: the one-pass scanner that indexes a page by those rules, and its
//!   byte-level fast paths;
//! - `postings`: the [`Collector`] of every page's postings, merged and replaced by runs
//!   of documents;
//! - `index`: the document table and the term shards from the collected postings;
//! - `encode`: the bytes of the index files.

mod bytes;
mod encode;
mod fold;
mod index;
mod postings;
mod scan;

pub use encode::text_shard;
pub use fold::{STOP_WORDS, fold, tokens};
pub use index::{IndexFiles, index_files, themes};
pub use postings::Collector;

use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// The search page.
pub const PAGE_URL: &str = "zoeken/index.html";
/// The index script.
pub const INDEX_URL: &str = "zoeken/index.js";
/// Documents per text shard.
pub const DOCS_PER_SHARD: usize = 20;
/// Approximate size of a term shard (terms and postings as JSON).
pub const TERM_SHARD_BYTES: usize = 64 * 1024;
/// Characters of plain text kept per document for snippets.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Posting weight flag: the word is in the title or the kenmerk.
pub const IN_TITLE: u32 = 1;
/// Posting weight flag: the word is in the one-line summary.
pub const IN_DESCRIPTION: u32 = 2;
/// A posting's weight is the word's count in the body times this, plus the flags; the
/// search script scores the body with BM25 and adds a fixed bonus per flag, so a title match
/// is not diluted by a long body.
pub const BODY_FACTOR: u32 = 4;

/// The search page's folder is the build's own: a content section of that name would put
/// its list page on the search page.
pub fn check_reserved(site: &Site) -> Option<Diagnostic> {
    let folder = PAGE_URL.split('/').next().unwrap_or_default();
    site.sections.iter().any(|s| s.name == folder).then(|| {
        Diagnostic::in_file(
            format!("content/{folder}"),
            format!("the folder name \"{folder}\" is reserved for the search page"),
        )
        .with_help("give the folder another name")
    })
}

/// The path of term shard `n`.
pub fn term_shard_url(n: usize) -> String {
    format!("zoeken/termen/{n}.js")
}

/// The path of text shard `n`.
pub fn text_shard_url(n: usize) -> String {
    format!("zoeken/tekst/{n}.js")
}
