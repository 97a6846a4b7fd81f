//! The PDF/A rendition of every letter and opgave: tagged PDF/A-2a with PDF/UA-1, typeset
//! by Typst (embedded as a library) from the theme's Typst template (`brief.typ`,
//! `opgave.typ`), the page's data as JSON and its body as Typst markup.
//!
//! A PDF is made from the same view as its page (so the public profile's PDF leaves out
//! what its page leaves out), keyed by a hash of everything it is made from, and kept in a
//! private cache beside the output ([`Cache`]) so that a later build reuses it.

//!
//! Typst is compiled in only with the cargo feature `pdf`; without it only the cache
//! stays (the build keeps no PDFs then) and `[pdf] enabled = true` is a configuration error.

mod cache;
#[cfg(feature = "pdf")]
pub mod markup;
#[cfg(feature = "pdf")]
mod typeset;
#[cfg(feature = "pdf")]
mod world;

pub use cache::{Cache, Kept};
#[cfg(feature = "pdf")]
pub use typeset::{Data, Job, Made, Pdf, data, path_of, prepare, template_name};
#[cfg(feature = "pdf")]
pub use world::Templates;
