//! Writing the output folder atomically without rewriting the whole site.
//!
//! Two trees live side by side: the published output folder and a back buffer (the site of
//! the build before). A build brings the back buffer up to date: files whose bytes are
//! already right stay as they are, files that equal the published copy become hard links to
//! it, only changed files are written, and stale files are deleted. Then one
//! `renameat2(RENAME_EXCHANGE)` swaps the two folders. The published folder is never written
//! to, so killing a build at any moment leaves either the old or the new complete site;
//! a later build simply continues bringing the back buffer up to date. A rebuild without
//! changes writes nothing and recreates nothing.
//!
//! Files in the back buffer are never written in place, only replaced (unlinked, then
//! created): they may be hard links shared with the published site.
//!
//! # The private work folder
//!
//! The back buffer holds the site as the build before made it, which may be another
//! profile's: after an intranet build and then an `openbaar` one into the same folder, it
//! is the intranet site, internal pages and officials' details included. So it lives in a
//! work folder of its own beside the output, `.<name>.raadsite/` (mode 0700, set whatever
//! the umask and tightened again when found looser), together with the build stamp
//! ([`crate::stamp`], mode 0600) and the old site that the rename fallback moves aside:
//!
//! ```text
//! <parent>/<name>/                 the published site (its mode as the umask gives)
//! <parent>/.<name>.raadsite/       0700: no other user, and so no web server, gets in
//!     prev/                        the back buffer, swapped with <name>/
//!     stamp                        0600
//!     old-<pid>/                   only while the rename fallback runs
//! ```
//!
//! Only the wrapper is private: `prev/` itself has the mode a new folder gets, because it
//! is the folder that becomes the published output at the next swap. The exchange stays one
//! `renameat2` between two folders, which works across folders of one file system. A folder
//! beside the output is the one place sure to be on the output's file system (the site's
//! own folder, or a cache folder, may be on another disk, and neither the exchange nor the
//! hard links work across file systems). A web server whose root is the output's parent
//! (output `/var/www/html/raad`) answers `/.raad.raadsite/` with "forbidden" even when it
//! serves dot folders, as nginx does unless told not to. What the wrapper cannot stop is a
//! web server running as the user who builds: such a server can read all that user can.
//!
//! Older versions kept the back buffer as `.<name>.prev` and the stamp as `.<name>.stamp`
//! beside the output, readable by all. A build that finds them moves the back buffer into
//! the work folder at once (one rename, so it is hidden before anything else happens) and
//! removes the old stamp.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

use crate::artifact::{CopiedFile, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Generated files.
    pub generated: usize,
    /// Files copied as they are.
    pub copied: usize,
    /// Files whose bytes were written to disk (the others were already right, or linked).
    pub written: usize,
    /// Stale files and folders deleted.
    pub removed: usize,
}

/// Checks that `output` may be replaced by a build of the site in `root`.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalise(&p)
    };
    let (root_abs, out_abs) = (
        fs::canonicalize(root).unwrap_or_else(|_| abs(root)),
        canonical_parent(&abs(output)),
    );
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::general(format!(
            "the output folder {} contains the site itself",
            output.display()
        ))
        .with_help("choose a folder of its own, such as public/"));
    }
    for dir in ["content", "static", "templates", "themes", "snapshots"] {
        if out_abs.starts_with(root_abs.join(dir)) {
            return Err(Diagnostic::general(format!(
                "the output folder {} is inside the site's {dir}/ folder",
                output.display()
            ))
            .with_help("choose a folder of its own, such as public/"));
        }
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(Diagnostic::general(format!(
                "the output path {} exists and is not a folder",
                output.display()
            )));
        }
        let empty = fs::read_dir(output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !output.join("index.html").is_file() {
            return Err(Diagnostic::general(format!(
                "the output folder {} is not empty and holds no site; it will not be replaced",
                output.display()
            ))
            .with_help("choose a new or empty folder, or remove this one"));
        }
    }
    Ok(())
}

/// Length and 128-bit hash of a file's bytes.
type Fingerprint = (u64, u128);

/// What a writer that does not remember records for a file instead of its fingerprint:
/// no file has this length, so it never matches one.
const NOT_TAKEN: Fingerprint = (u64::MAX, 0);

/// Identity of a folder that survives renames: device, inode and, where the file system
/// records it, the creation time (a deleted folder's inode number can come back).
type TreeId = (u64, u64, u128);

/// Writes sites into an output folder; when remembering (as under `serve`), it keeps the
/// fingerprints of what it wrote into both trees, so the next build compares hashes instead of
/// reading files back and knows stale files without walking the folders.
#[derive(Debug, Default)]
pub struct Writer {
    remember: bool,
    trees: HashMap<TreeId, FxHashMap<String, Fingerprint>>,
    after_swap: Option<AfterSwap>,
}

/// Called with the output folder right after each swap, while the output is still locked,
/// and the metadata of every file the build placed.
struct AfterSwap(Box<SwapHook>);

type SwapHook = dyn FnMut(&Path, &[Placed]) + Send + Sync;

/// A file a build placed in the output: its path relative to the output folder and its
/// metadata as it was placed.
pub type Placed = (String, fs::Metadata);

impl std::fmt::Debug for AfterSwap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AfterSwap")
    }
}

/// Receives generated files one by one, from any thread, while a build renders them.
pub type Sink<'a> = dyn Fn(&OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Receives the paths of generated files that a build knows to be exactly as in the
/// published site without rendering them again (see [`Pending::keep`]).
pub type Keep<'a> = dyn Fn(&str) -> Result<(), Diagnostic> + Sync + 'a;

enum Outcome {
    Unchanged,
    Linked,
    /// With the file's metadata when it was asked for.
    Written(Option<fs::Metadata>),
}

/// One build's work on the back buffer.
struct Session {
    back: PathBuf,
    live: Option<PathBuf>,
    known_back: Option<FxHashMap<String, Fingerprint>>,
    /// The published site's tree, lent by the writer while the session lasts.
    known_live: Option<(TreeId, FxHashMap<String, Fingerprint>)>,
    remember: bool,
    /// The back buffer was created empty by this build: nothing in it needs comparing or
    /// pruning, and its folders are the ones in `made`.
    fresh: bool,
    made: Mutex<FxHashSet<String>>,
    /// Every file in place, with its fingerprint ([`NOT_TAKEN`] unless remembering).
    placed: Mutex<FxHashMap<String, Fingerprint>>,
    /// How many of the files in place `known_back` lists: when all, nothing is stale.
    placed_known: AtomicUsize,
    written: AtomicUsize,
    /// The metadata of every file in place, when an [`AfterSwap`] wants it.
    stats: Option<Mutex<Vec<Placed>>>,
}

impl Writer {
    /// A writer that compares against the files on disk.
    pub fn new() -> Self {
        Writer::default()
    }

    /// A writer that remembers what it wrote, for repeated builds in one process. It trusts
    /// that nothing else changes the output folders meanwhile.
    pub fn remembering() -> Self {
        Writer {
            remember: true,
            ..Writer::default()
        }
    }

    /// Calls `f` with the output folder right after each swap, before the lock on it is
    /// released, so that `f` sees exactly the site this writer put there (the build stamp
    /// fingerprints it, see [`crate::stamp`]). `f` also gets the metadata of every file in
    /// the new site, taken as each was placed: a written file's from its open handle, which
    /// spares looking its path up again.
    pub fn after_swap(mut self, f: impl FnMut(&Path, &[Placed]) + Send + Sync + 'static) -> Self {
        self.after_swap = Some(AfterSwap(Box::new(f)));
        self
    }

    /// Starts a build into `output`: takes the lock on its parent folder, makes the private
    /// work folder and readies the back buffer. The build hands its files to
    /// [`Pending::sink`] (and, with a remembering writer that wrote the published site, names
    /// files that stay as published to [`Pending::keep`]) as they come, so it never holds
    /// the whole site in memory; [`Pending::commit`] swaps the new site in. Dropped without
    /// a commit, it leaves the published site as it was.
    pub fn begin(&mut self, output: &Path) -> Result<Pending<'_>, Diagnostics> {
        let output = resolve_link(output);
        let (parent, name) = split(&output)?;
        fsutil::create_dir_all(&parent)?;
        let lock = lock(&parent)?;
        let work = work_in(&parent, &name);
        make_private(&work)?;
        recover_leftovers(&parent, &name, &output, &work)?;
        let back = work.join(BACK);
        if fs::symlink_metadata(&back).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&back)
                .map_err(|e| fsutil::io_error(&back, "could not remove stale file", &e))?;
        }
        let back_existed = back.is_dir();
        fsutil::create_dir_all(&back)?;
        let back_id = tree_id(&back);
        // Forget the back buffer while it changes: if this build fails half-way, the next
        // one must look at the disk again. A back buffer made just now is empty, whatever
        // was remembered of a folder with the same identity.
        let known_back = back_id
            .and_then(|id| self.trees.remove(&id))
            .filter(|_| back_existed);
        let live = output.is_dir().then(|| output.clone());
        // Lent to the session and given back when it ends (see `Pending`'s `Drop`).
        let live_id = live.as_deref().and_then(tree_id);
        let known_live = live_id.and_then(|id| self.trees.remove(&id).map(|t| (id, t)));
        let session = Session {
            back,
            live,
            known_back,
            known_live,
            remember: self.remember,
            fresh: !back_existed,
            made: Mutex::new(FxHashSet::default()),
            placed: Mutex::new(FxHashMap::default()),
            placed_known: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            stats: self.after_swap.is_some().then(Mutex::default),
        };
        Ok(Pending {
            writer: self,
            output,
            work,
            back_id,
            _lock: lock,
            session,
        })
    }
}

/// A build under way into an output folder, from [`Writer::begin`] to [`Pending::commit`].
pub struct Pending<'w> {
    writer: &'w mut Writer,
    output: PathBuf,
    work: PathBuf,
    back_id: Option<TreeId>,
    /// Held until the new site is in place and the swap hook has run.
    _lock: fs::File,
    session: Session,
}

impl Pending<'_> {
    /// Puts one generated file into the new site; from any thread.
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        self.session.put(&f.path, &f.bytes)
    }

    /// Puts the published copy of `rel` into the new site, unchanged; from any thread. Only
    /// a remembering writer that wrote the published site knows what is there; for any
    /// other, keeping a file is an error.
    pub fn keep(&self, rel: &str) -> Result<(), Diagnostic> {
        self.session.keep(rel)
    }

    /// Whether the published site is the one this writer wrote, so that [`Pending::keep`]
    /// may name its files.
    pub fn knows_published(&self) -> bool {
        self.session.known_live.is_some()
    }

    /// Copies `copies` into the new site, removes what this build did not place, and swaps
    /// the new site in atomically.
    pub fn commit(mut self, copies: &[CopiedFile]) -> Result<Written, Diagnostics> {
        self.copy(copies)?;
        let session = &mut self.session;
        let placed = std::mem::take(get_mut(&mut session.placed));
        let stats = session
            .stats
            .as_mut()
            .map(|m| std::mem::take(get_mut(m)))
            .unwrap_or_default();
        let removed = session.prune(&placed)?;
        let written = Written {
            generated: placed.len() - copies.len(),
            copied: copies.len(),
            written: session.written.load(Ordering::Relaxed),
            removed,
        };
        self.swap()?;
        if let Some(AfterSwap(f)) = &mut self.writer.after_swap {
            f(&self.output, &stats);
        }
        if self.writer.remember
            && let Some(id) = self.back_id
        {
            self.writer.trees.insert(id, placed);
        }
        Ok(written)
    }

    /// Reads each file published as it is and puts it into the new site.
    fn copy(&self, copies: &[CopiedFile]) -> Result<(), Diagnostics> {
        let errors: Diagnostics = copies
            .par_iter()
            .filter_map(|c| {
                fs::read(&c.from)
                    .map_err(|e| fsutil::io_error(&c.from, "could not read", &e))
                    .and_then(|bytes| self.session.put(&c.path, &bytes))
                    .err()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        errors.into_result(())
    }

    /// Makes the back buffer the output folder; the old site becomes the back buffer, and
    /// what the writer remembers of it (given back on drop) now describes the back buffer.
    fn swap(&mut self) -> Result<(), Diagnostics> {
        let back = &self.session.back;
        if self.session.live.is_some() {
            exchange(back, &self.output, &self.work)?;
        } else {
            fs::rename(back, &self.output).map_err(|e| {
                fsutil::io_error(&self.output, "could not put the new site in place", &e)
            })?;
        }
        Ok(())
    }
}

impl Drop for Pending<'_> {
    /// Gives the published site's tree back to the writer.
    fn drop(&mut self) {
        if let Some((id, tree)) = self.session.known_live.take() {
            self.writer.trees.insert(id, tree);
        }
    }
}

fn get_mut<T>(m: &mut Mutex<T>) -> &mut T {
    m.get_mut().unwrap_or_else(|e| e.into_inner())
}

impl Session {
    /// What the writer remembers of the published site, if it wrote it.
    fn known_live(&self) -> Option<&FxHashMap<String, Fingerprint>> {
        self.known_live.as_ref().map(|(_, tree)| tree)
    }

    /// Removes from the back buffer every file and folder that this build did not place.
    fn prune(&self, placed: &FxHashMap<String, Fingerprint>) -> Result<usize, Diagnostic> {
        Ok(match &self.known_back {
            _ if self.fresh => 0,
            // Every file it held is in place again: nothing to prune.
            Some(known) if self.placed_known.load(Ordering::Relaxed) == known.len() => 0,
            Some(known) => prune_known(&self.back, known, placed),
            None => prune(&self.back, placed)?,
        })
    }
    /// Puts the published copy of one file into the back buffer.
    fn keep(&self, rel: &str) -> Result<(), Diagnostic> {
        let (Some(live), Some(fp)) = (
            self.live.as_deref(),
            self.known_live().and_then(|k| k.get(rel)),
        ) else {
            return Err(Diagnostic::general(format!(
                "{rel} was to stay as published, but the published site does not hold it"
            )));
        };
        let before = self.known_back.as_ref().and_then(|k| k.get(rel));
        if before != Some(fp) {
            let dest = self.back.join(rel);
            remove_any(&dest)?;
            let published = live.join(rel);
            if !self.link(&published, &dest) {
                let bytes = fs::read(&published)
                    .map_err(|e| fsutil::io_error(&published, "could not read", &e))?;
                return self.put(rel, &bytes);
            }
        }
        if before.is_some() {
            self.placed_known.fetch_add(1, Ordering::Relaxed);
        }
        self.stat(rel, None)?;
        self.record(rel, Some(*fp))
    }

    /// Notes the metadata of `rel` as placed, when wanted: `written` if this build wrote
    /// it, else looked up.
    fn stat(&self, rel: &str, written: Option<fs::Metadata>) -> Result<(), Diagnostic> {
        let Some(stats) = &self.stats else {
            return Ok(());
        };
        let meta = match written {
            Some(m) => m,
            None => {
                let path = self.back.join(rel);
                fs::symlink_metadata(&path)
                    .map_err(|e| fsutil::io_error(&path, "could not read back", &e))?
            }
        };
        stats
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_owned(), meta));
        Ok(())
    }

    /// Notes that `rel` is in place, once.
    fn record(&self, rel: &str, fp: Option<Fingerprint>) -> Result<(), Diagnostic> {
        let duplicate = self
            .placed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_owned(), fp.unwrap_or(NOT_TAKEN))
            .is_some();
        if duplicate {
            return Err(Diagnostic::general(format!(
                "two outputs claim the path {rel}"
            )));
        }
        Ok(())
    }

    /// Hard-links the published file `published` as `dest` in the back buffer, creating
    /// its folders when needed; `false` when the file system cannot.
    fn link(&self, published: &Path, dest: &Path) -> bool {
        fs::hard_link(published, dest).is_ok()
            || (make_parent(&self.back, dest).is_ok() && fs::hard_link(published, dest).is_ok())
    }

    /// Puts one file into the back buffer.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let fp = (self.remember || self.known_back.is_some() || self.known_live.is_some())
            .then(|| fingerprint(bytes));
        let written = match self.place(rel, bytes, fp)? {
            Outcome::Written(meta) => {
                self.written.fetch_add(1, Ordering::Relaxed);
                meta
            }
            Outcome::Unchanged | Outcome::Linked => None,
        };
        self.stat(rel, written)?;
        self.record(rel, fp)
    }

    fn place(
        &self,
        rel: &str,
        bytes: &[u8],
        fp: Option<Fingerprint>,
    ) -> Result<Outcome, Diagnostic> {
        let dest = self.back.join(rel);
        let before = self.known_back.as_ref().and_then(|k| k.get(rel));
        if before.is_some() {
            self.placed_known.fetch_add(1, Ordering::Relaxed);
        }
        let found = match &self.known_back {
            _ if self.fresh => Found::Missing,
            Some(_) if before == fp.as_ref() => Found::Same,
            // Not what the writer put there, or unknown to it (a stray folder, say).
            Some(_) => Found::Different,
            None => on_disk(&dest, bytes),
        };
        match found {
            Found::Same => return Ok(Outcome::Unchanged),
            Found::Different => remove_any(&dest)?,
            Found::Missing => {}
        }
        if let Some(live) = &self.live {
            let published = live.join(rel);
            let same = match self.known_live() {
                Some(known) => known.get(rel) == fp.as_ref(),
                None => on_disk(&published, bytes) == Found::Same,
            };
            if same && self.link(&published, &dest) {
                return Ok(Outcome::Linked);
            }
        }
        let stat = self.stats.is_some();
        let meta = if self.fresh {
            self.make_folder(rel, &dest)?;
            write_file(&dest, bytes, stat)
        } else {
            write_file(&dest, bytes, stat).or_else(|_| {
                make_parent(&self.back, &dest)?;
                write_file(&dest, bytes, stat)
            })
        }?;
        Ok(Outcome::Written(meta))
    }

    /// Creates the folder of `rel` in a fresh back buffer once, sparing the failed open
    /// that would otherwise find it missing for each new folder.
    fn make_folder(&self, rel: &str, dest: &Path) -> Result<(), Diagnostic> {
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        if self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
        {
            return Ok(());
        }
        make_parent(&self.back, dest)?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(folder.to_owned());
        Ok(())
    }
}

/// Writes `bytes` to a new file at `path`; with its metadata, taken from the open file,
/// when `stat`.
fn write_file(path: &Path, bytes: &[u8], stat: bool) -> Result<Option<fs::Metadata>, Diagnostic> {
    let result = fs::File::create(path).and_then(|mut f| {
        f.write_all(bytes)?;
        stat.then(|| f.metadata()).transpose()
    });
    result.map_err(|e| fsutil::io_error(path, "could not write", &e))
}

/// Removes whatever is at `path` (a file, a link or a folder), if anything.
fn remove_any(path: &Path) -> Result<(), Diagnostic> {
    let result = match fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    result.map_err(|e| fsutil::io_error(path, "could not replace", &e))
}

/// Creates the folders above `dest` inside `back`, removing files that stand in their way.
fn make_parent(back: &Path, dest: &Path) -> Result<(), Diagnostic> {
    let parent = dest.parent().unwrap_or(back);
    if fs::create_dir_all(parent).is_ok() {
        return Ok(());
    }
    let mut dir = back.to_path_buf();
    for c in parent.strip_prefix(back).unwrap_or(parent).components() {
        dir.push(c);
        if fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
            remove_any(&dir)?;
        }
    }
    fsutil::create_dir_all(parent)
}

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    (bytes.len() as u64, xxhash_rust::xxh3::xxh3_128(bytes))
}

/// What is at a path, compared with the bytes wanted there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Same,
    Different,
    Missing,
}

/// Whether the regular file at `path` (not followed if a link) holds exactly `bytes`.
fn on_disk(path: &Path, bytes: &[u8]) -> Found {
    let mut f = match fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Missing,
        Err(_) => return Found::Different,
    };
    match f.metadata() {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return Found::Different,
    }
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    if f.read_to_end(&mut buf).is_ok() && buf == bytes {
        Found::Same
    } else {
        Found::Different
    }
}

/// The folders that hold `files` (relative paths with `/`), at any depth.
pub(crate) fn folders<'a>(files: impl Iterator<Item = &'a str>) -> FxHashSet<&'a str> {
    let mut dirs = FxHashSet::default();
    for mut rel in files {
        while let Some((d, _)) = rel.rsplit_once('/') {
            if !dirs.insert(d) {
                break;
            }
            rel = d;
        }
    }
    dirs
}

/// Deletes everything under `back` that this build did not place; returns how many entries.
fn prune<T>(back: &Path, placed: &FxHashMap<String, T>) -> Result<usize, Diagnostic> {
    let dirs = folders(placed.keys().map(String::as_str));
    let mut removed = 0;
    let mut walk = WalkDir::new(back).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| {
            Diagnostic::in_file(
                e.path().unwrap_or(back),
                format!("could not read the previous output: {e}"),
            )
        })?;
        let rel = rel_path(back, entry.path());
        let kind = entry.file_type();
        if kind.is_dir() {
            if !dirs.contains(rel.as_str()) {
                walk.skip_current_dir();
                fs::remove_dir_all(entry.path()).map_err(|e| {
                    fsutil::io_error(entry.path(), "could not remove stale folder", &e)
                })?;
                removed += 1;
            }
        } else if !(kind.is_file() && placed.contains_key(&rel)) {
            fs::remove_file(entry.path())
                .map_err(|e| fsutil::io_error(entry.path(), "could not remove stale file", &e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// [`prune`] for a back buffer whose content is known from the previous build.
fn prune_known<T>(
    back: &Path,
    known: &FxHashMap<String, Fingerprint>,
    placed: &FxHashMap<String, T>,
) -> usize {
    let mut removed = 0;
    // Only folders that held a removed file can have become empty; a folder that still
    // holds anything refuses to go.
    let mut emptied = BTreeSet::new();
    for rel in known.keys() {
        if !placed.contains_key(rel) && fs::remove_file(back.join(rel)).is_ok() {
            removed += 1;
            let mut r = rel.as_str();
            while let Some((d, _)) = r.rsplit_once('/') {
                emptied.insert(d);
                r = d;
            }
        }
    }
    // Deepest first, so emptied parents can go too.
    for d in emptied.iter().rev() {
        if fs::remove_dir(back.join(d)).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn rel_path(base: &Path, path: &Path) -> String {
    if let Some(rest) = fsutil::joined_below(base, path) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let rel = path.strip_prefix(base).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

fn tree_id(dir: &Path) -> Option<TreeId> {
    fs::symlink_metadata(dir)
        .ok()
        .filter(fs::Metadata::is_dir)
        .map(|m| {
            let born = m
                .created()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (m.dev(), m.ino(), born)
        })
}

/// An output folder given as a symbolic link is written where the link points.
fn resolve_link(output: &Path) -> PathBuf {
    if output.is_symlink() {
        fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf())
    } else {
        output.to_path_buf()
    }
}

/// The back buffer's name in the work folder.
const BACK: &str = "prev";

/// The build stamp's name in the work folder.
pub const STAMP: &str = "stamp";

/// How the names of things being removed from the work folder begin.
const TRASH: &str = "trash-";

/// The private work folder of `output`, `.<name>.raadsite` beside it (beside the folder a
/// symbolic link points to, as the writer writes there); see the module docs. `None` for
/// a path that cannot be an output folder.
pub fn work_dir(output: &Path) -> Option<PathBuf> {
    let (parent, name) = split(&resolve_link(output)).ok()?;
    Some(work_in(&parent, &name))
}

/// Removes the build stamp of `output` (see [`crate::stamp`]), before a build that may
/// change the folder.
///
/// Best effort: a stamp that survives still names the output as it was, so once the output
/// changes it no longer matches anything.
pub fn forget_stamp(output: &Path) {
    if let Some(work) = work_dir(output) {
        let _ = fs::remove_file(work.join(STAMP));
    }
}

fn work_in(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.raadsite"))
}

/// Whether the work folder of `output` is private (a folder only its owner may enter) and
/// nothing an older version kept beside the output is there: what a build that skips
/// writing, as one whose stamp matches, must find. Any build that writes puts it right.
pub fn is_private(output: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let output = resolve_link(output);
    let Ok((parent, name)) = split(&output) else {
        return false;
    };
    let private = fs::symlink_metadata(work_in(&parent, &name))
        .is_ok_and(|m| m.is_dir() && is_ours(&m) && m.permissions().mode() & 0o777 == 0o700);
    let legacy = [format!(".{name}.prev"), format!(".{name}.stamp")]
        .iter()
        .any(|n| fs::symlink_metadata(parent.join(n)).is_ok());
    private && !legacy
}

/// Whether this process's user owns the file or folder.
fn is_ours(meta: &fs::Metadata) -> bool {
    meta.uid() == rustix::process::geteuid().as_raw()
}

/// Makes `dir` a folder that only this process's user may enter, mode 0700 whatever the
/// umask: created so, or tightened when found with other bits; a file or link in its place
/// is removed first. A folder of another user is an error: that user could read it.
fn make_private(dir: &Path) -> Result<(), Diagnostic> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let found = fs::symlink_metadata(dir).ok();
    let mode = match found {
        Some(m) if m.is_dir() && !is_ours(&m) => {
            return Err(Diagnostic::in_file(
                dir,
                format!("the work folder belongs to another user (uid {})", m.uid()),
            )
            .with_help("it would hold the previous build, readable by its owner; remove it")
            .io());
        }
        Some(m) if m.is_dir() => m.permissions().mode() & 0o777,
        other => {
            if other.is_some() {
                remove_any(dir)?;
            }
            fs::DirBuilder::new()
                .mode(0o700)
                .create(dir)
                .map_err(|e| fsutil::io_error(dir, "could not create the work folder", &e))?;
            // The umask may have taken bits the owner needs.
            0
        }
    };
    if mode != 0o700 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| {
            fsutil::io_error(dir, "could not make the work folder private", &e)
                .with_help("it holds the previous build, which only its owner may read")
        })?;
    }
    Ok(())
}

fn split(output: &Path) -> Result<(PathBuf, String), Diagnostic> {
    let name = output
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Diagnostic::general(format!("unusable output folder {}", output.display())))?
        .to_owned();
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((parent, name))
}

/// Holds an exclusive lock on the output's parent folder, so two builds into one output
/// folder (say `build` while `serve` runs) wait for each other instead of mixing files.
fn lock(parent: &Path) -> Result<fs::File, Diagnostic> {
    let dir = fs::File::open(parent)
        .map_err(|e| fsutil::io_error(parent, "could not open the output's parent folder", &e))?;
    rustix::fs::flock(&dir, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| fsutil::io_error(parent, "could not lock the output folder", &e.into()))?;
    Ok(dir)
}

/// Cleans up before a build: what killed builds left, and what older versions kept beside
/// the output where anyone could read it. Staging folders of older versions and the old
/// site that the two-rename fallback moved aside go away, or the old site goes back in
/// place if the new one never arrived; an old back buffer, `.<name>.prev`, becomes the back
/// buffer in the work folder (or is discarded when there is one); an old stamp is removed.
/// Whatever beside the output cannot be removed is an error: it may hold pages the next
/// build's profile leaves out.
fn recover_leftovers(
    parent: &Path,
    name: &str,
    output: &Path,
    work: &Path,
) -> Result<(), Diagnostic> {
    if let Ok(entries) = fs::read_dir(parent) {
        let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
        let (prev, stamp) = (format!(".{name}.prev"), format!(".{name}.stamp"));
        for e in entries.flatten() {
            let n = e.file_name();
            let n = n.to_string_lossy();
            if n.starts_with(old.as_str())
                && !output.exists()
                && fs::rename(e.path(), output).is_ok()
            {
                continue;
            }
            if n == prev.as_str() {
                adopt_back(&e.path(), work)?;
            } else if n.starts_with(tmp.as_str())
                || n.starts_with(old.as_str())
                || n == stamp.as_str()
                || n.strip_prefix(stamp.as_str())
                    .is_some_and(|t| t.starts_with(".tmp-"))
            {
                discard(&e.path(), work)?;
            }
        }
    }
    recover_work(work, output);
    Ok(())
}

/// The same inside the private work folder, where nothing left over is readable by others:
/// the fallback's old site goes back in place if the output is missing, the rest is removed
/// as far as it can be.
fn recover_work(work: &Path, output: &Path) {
    let Ok(entries) = fs::read_dir(work) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if n.starts_with("old-") && !output.exists() && fs::rename(e.path(), output).is_ok() {
            continue;
        }
        if n.starts_with("old-") || n.starts_with(TRASH) || n.starts_with("stamp.tmp-") {
            let _ = remove_any(&e.path());
        }
    }
}

/// Moves an older version's back buffer into the work folder: as the back buffer when there
/// is none yet (its files are reused), else to be removed.
fn adopt_back(legacy: &Path, work: &Path) -> Result<(), Diagnostic> {
    let back = work.join(BACK);
    let is_dir = fs::symlink_metadata(legacy).is_ok_and(|m| m.is_dir());
    if is_dir && fs::symlink_metadata(&back).is_err() && fs::rename(legacy, &back).is_ok() {
        return Ok(());
    }
    discard(legacy, work)
}

/// Removes `path`, which may hold pages another profile leaves out: moved into the private
/// work folder first, so that one rename hides it at once however long the removal takes
/// (and if the build is killed meanwhile), then deleted.
fn discard(path: &Path, work: &Path) -> Result<(), Diagnostic> {
    let trash = work.join(format!("{TRASH}{}", std::process::id()));
    let _ = remove_any(&trash);
    let target = if fs::rename(path, &trash).is_ok() {
        trash.as_path()
    } else {
        path
    };
    remove_any(target).map_err(|d| {
        d.with_help(
            "it was left by an earlier build and may hold pages of another profile; \
             remove it by hand",
        )
    })
}

/// Swaps the back buffer and the published site in one step where the file system can, and
/// with three renames where it cannot; the old site is moved aside into the work folder.
fn exchange(back: &Path, output: &Path, work: &Path) -> Result<(), Diagnostics> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, back, CWD, output, RenameFlags::EXCHANGE) {
        Ok(()) => return Ok(()),
        Err(e) if ![Errno::INVAL, Errno::NOSYS, Errno::NOTSUP].contains(&e) => {
            return Err(
                fsutil::io_error(output, "could not put the new site in place", &e.into()).into(),
            );
        }
        Err(_) => {}
    }
    exchange_by_renames(back, output, work)
}

/// The fallback of [`exchange`]: the old site moves aside into the work folder, the new one
/// into place, the old one becomes the back buffer. Killed in between, it leaves the old
/// site as `old-<pid>` in the work folder, which the next build puts back if needed.
fn exchange_by_renames(back: &Path, output: &Path, work: &Path) -> Result<(), Diagnostics> {
    let old = work.join(format!("old-{}", std::process::id()));
    fs::rename(output, &old)
        .map_err(|e| fsutil::io_error(output, "could not move the old site aside", &e))?;
    if let Err(e) = fs::rename(back, output) {
        let _ = fs::rename(&old, output);
        return Err(fsutil::io_error(output, "could not put the new site in place", &e).into());
    }
    fs::rename(&old, back)
        .map_err(|e| fsutil::io_error(back, "could not keep the old site as back buffer", &e))?;
    Ok(())
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// `p` with its longest existing ancestor resolved through symbolic links.
fn canonical_parent(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n.to_owned());
                existing = parent.to_path_buf();
            }
            _ => return p.to_path_buf(),
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for n in rest.into_iter().rev() {
        out.push(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_work_folder_is_made_private_and_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join(".site.raadsite");
        make_private(&work).unwrap();
        assert_eq!(mode(&work), 0o700);
        fs::set_permissions(&work, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!is_private(&dir.path().join("site")));
        make_private(&work).unwrap();
        assert_eq!(mode(&work), 0o700);
        assert!(is_private(&dir.path().join("site")));
        // A link in its place is not followed, but replaced.
        let elsewhere = dir.path().join("elders");
        fs::create_dir(&elsewhere).unwrap();
        fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir(&work).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &work).unwrap();
        make_private(&work).unwrap();
        assert!(fs::symlink_metadata(&work).unwrap().is_dir());
        assert_eq!((mode(&work), mode(&elsewhere)), (0o700, 0o755));
        // A stamp of an older version beside the output is not private.
        fs::write(dir.path().join(".site.stamp"), "").unwrap();
        assert!(!is_private(&dir.path().join("site")));
    }

    #[test]
    fn a_work_folder_of_another_user_is_an_error() {
        // Only root can give a folder away.
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join(".site.raadsite");
        make_private(&work).unwrap();
        std::os::unix::fs::chown(&work, Some(65534), None).unwrap();
        let err = make_private(&work).unwrap_err().to_string();
        assert!(err.contains("belongs to another user"), "{err}");
        assert!(!is_private(&dir.path().join("site")));
    }

    #[test]
    fn the_rename_fallback_moves_the_old_site_through_the_work_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (output, work) = (dir.path().join("site"), dir.path().join(".site.raadsite"));
        make_private(&work).unwrap();
        let back = work.join(BACK);
        for (d, text) in [(&output, "oud"), (&back, "nieuw")] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("index.html"), text).unwrap();
        }
        exchange_by_renames(&back, &output, &work).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "nieuw"
        );
        assert_eq!(fs::read_to_string(back.join("index.html")).unwrap(), "oud");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");

        // Killed after moving the old site aside: the next build puts it back.
        let aside = work.join("old-4242");
        fs::rename(&output, &aside).unwrap();
        recover_leftovers(dir.path(), "site", &output, &work).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "nieuw"
        );
        assert!(!aside.exists());
        // Killed after putting the new one in place: the old one is removed.
        fs::create_dir(&aside).unwrap();
        recover_leftovers(dir.path(), "site", &output, &work).unwrap();
        assert!(!aside.exists() && output.join("index.html").is_file());
    }
}
