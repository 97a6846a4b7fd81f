//! How far a long build has come, for the command line to show while it runs: counters the
//! build raises from its worker threads and a caller reads from another thread. The
//! library never prints; `main.rs` decides whether and how to show them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A handle on the counters of one build; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    pdfs: AtomicUsize,
    typeset: AtomicUsize,
    reused: AtomicUsize,
}

/// The PDFs of a build so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfCount {
    /// PDFs the build will publish (0 until it knows, or when it makes none).
    pub expected: usize,
    /// Typeset by this build.
    pub typeset: usize,
    /// Taken unchanged from an earlier build.
    pub reused: usize,
}

impl Progress {
    /// Counters at zero.
    pub fn new() -> Self {
        Progress::default()
    }

    /// The PDFs so far.
    pub fn pdfs(&self) -> PdfCount {
        PdfCount {
            expected: self.0.pdfs.load(Ordering::Relaxed),
            typeset: self.0.typeset.load(Ordering::Relaxed),
            reused: self.0.reused.load(Ordering::Relaxed),
        }
    }

    /// The build will publish `n` PDFs; the other counters start again.
    pub(crate) fn expect_pdfs(&self, n: usize) {
        self.0.typeset.store(0, Ordering::Relaxed);
        self.0.reused.store(0, Ordering::Relaxed);
        self.0.pdfs.store(n, Ordering::Relaxed);
    }

    /// One PDF typeset (only a raadsite with the feature `pdf` typesets).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn typeset_pdf(&self) {
        self.0.typeset.fetch_add(1, Ordering::Relaxed);
    }

    /// One PDF taken from an earlier build.
    pub(crate) fn reused_pdf(&self) {
        self.0.reused.fetch_add(1, Ordering::Relaxed);
    }
}
