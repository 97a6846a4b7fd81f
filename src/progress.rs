//! How far a long build has come, for the command line to show while it runs: counters the
//! build raises from its worker threads and a caller reads from another thread. The
//! library never prints; `main.rs` decides whether and how to show them.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A handle on the counters of one build; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    pdfs: AtomicUsize,
    typeset: AtomicUsize,
    reused: AtomicUsize,
    deferred: AtomicUsize,
    /// Whether to time each PDF typeset, and the times.
    timing: AtomicBool,
    cpu: Mutex<Vec<Duration>>,
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
    /// Left for the next build (see [`crate::pipeline::Incremental::pdfs_later`]).
    pub deferred: usize,
}

impl Progress {
    /// Counters at zero.
    pub fn new() -> Self {
        Progress::default()
    }

    /// Counters at zero that also keep the CPU time of each PDF typeset (see
    /// [`Progress::pdf_cpu`]).
    pub fn timing() -> Self {
        let progress = Progress::default();
        progress.0.timing.store(true, Ordering::Relaxed);
        progress
    }

    /// The CPU time each PDF typeset so far took, in the order they finished, when the
    /// counters were made with [`Progress::timing`]: the time of the thread that compiled
    /// and exported it (all of it when the build runs on one thread; with more, Typst may
    /// run small parts of a document on another thread of its pool, which count for none).
    pub fn pdf_cpu(&self) -> Vec<Duration> {
        self.0.cpu.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether PDFs are timed.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn timing_on(&self) -> bool {
        self.0.timing.load(Ordering::Relaxed)
    }

    /// One PDF typeset in `cpu`.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn typeset_took(&self, cpu: Duration) {
        self.0
            .cpu
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(cpu);
    }

    /// The PDFs so far.
    pub fn pdfs(&self) -> PdfCount {
        PdfCount {
            expected: self.0.pdfs.load(Ordering::Relaxed),
            typeset: self.0.typeset.load(Ordering::Relaxed),
            reused: self.0.reused.load(Ordering::Relaxed),
            deferred: self.0.deferred.load(Ordering::Relaxed),
        }
    }

    /// The build will publish `n` PDFs; the other counters start again.
    pub(crate) fn expect_pdfs(&self, n: usize) {
        self.0.typeset.store(0, Ordering::Relaxed);
        self.0.reused.store(0, Ordering::Relaxed);
        self.0.deferred.store(0, Ordering::Relaxed);
        self.0.cpu.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.0.pdfs.store(n, Ordering::Relaxed);
    }

    /// One PDF typeset (only a raadsite with the feature `pdf` typesets).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn typeset_pdf(&self) {
        self.0.typeset.fetch_add(1, Ordering::Relaxed);
    }

    /// One PDF left for the next build.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn deferred_pdf(&self) {
        self.0.deferred.fetch_add(1, Ordering::Relaxed);
    }

    /// One PDF taken from an earlier build.
    pub(crate) fn reused_pdf(&self) {
        self.0.reused.fetch_add(1, Ordering::Relaxed);
    }
}

/// The CPU time of the calling thread so far, from the kernel's account of it
/// (`/proc/thread-self/schedstat`: nanoseconds on a CPU), so that what other processes run
/// on a loaded machine does not count; zero where the kernel does not say.
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
pub(crate) fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = stat.split_whitespace().next().and_then(|n| n.parse().ok());
    Duration::from_nanos(ns.unwrap_or(0))
}
