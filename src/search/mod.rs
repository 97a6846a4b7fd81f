//! Offline search: at build time every page's text is folded (lowercase, diacritics removed),
//! split into words and written as an inverted index in JavaScript files. Script files,
//! not JSON, because `fetch()` of a local file fails on `file://` while `<script src>` works
//! from disk, from a zip and on any web server.
//!
//! Output, all loaded with `<script>` elements, so that a query loads what it needs and
//! little more however large the site (the start of the index does not grow with the
//! number of documents):
//! - `zoeken/index.js`: `window.RAAD_ZOEK = {...}` with the number of documents, the filter
//!   values, the stop words and `delen`, the first term of every term shard;
//! - `zoeken/termen/<n>.js`: a shard of the inverted index: folded terms (sorted) with their
//!   postings packed into strings (about a character per posting, see `encode`), about
//!   [`TERM_SHARD_BYTES`] each; a query loads only the shards its words fall in;
//! - `zoeken/docs/<n>.js`: [`DOCS_PER_PART`] documents each as a result shows them (title,
//!   address, date, kenmerk, summary) with the first [`TEXT_CHARS`] characters of their
//!   text for the snippet, loaded only for the results shown;
//! - `zoeken/filters/<name>.js`: the documents of one filter value as a bitmap, loaded when
//!   the filter is chosen.
//!
//! Documents are numbered newest first, so that equal scores and a filter without words
//! list the newest first.
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
//! - `index`: the numbering, the weights, the shards and the filters from the collected
//!   postings;
//! - `encode`: the bytes of the index files.

mod bytes;
mod encode;
mod fold;
mod index;
mod postings;
mod scan;

pub use fold::{STOP_WORDS, fold, tokens};
pub use index::{IndexFiles, doc_shards, index_files, themes};
pub use postings::Collector;

use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// The search page.
pub const PAGE_URL: &str = "zoeken/index.html";
/// The index script.
pub const INDEX_URL: &str = "zoeken/index.js";
/// Content pages per run of the render: each run's share of the index is collected (and,
/// under `serve`, kept) together.
pub const DOCS_PER_SHARD: usize = 20;
/// Documents per document shard: a result loads its shard, so few.
pub const DOCS_PER_PART: usize = 2;
/// Approximate size of a term shard (terms and packed postings).
pub const TERM_SHARD_BYTES: usize = 32 * 1024;
/// Characters of plain text kept per document for snippets: a match further on shows the
/// summary instead.
pub const TEXT_CHARS: usize = 1000;

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

/// The path of document shard `n`.
pub fn doc_shard_url(n: usize) -> String {
    format!("zoeken/docs/{n}.js")
}

/// The path of the documents of filter value `name`.
pub fn filter_url(name: &str) -> String {
    format!("zoeken/filters/{name}.js")
}

/// The start of a page's readable text that the index keeps for its snippet.
pub fn snippet_text(text: &str) -> &str {
    encode::truncate_chars(text, TEXT_CHARS)
}
