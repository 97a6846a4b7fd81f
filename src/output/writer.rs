//! The writer: a build's files go into the back buffer as they come, compared with what is
//! there and with the published site (hard-linked when equal), and are swapped in at
//! commit.

use super::*;
use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::artifact::{CopiedFile, LinkedFile, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

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
pub(super) struct AfterSwap(Box<SwapHook>);

pub(super) type SwapHook = dyn FnMut(&Path, &[Placed]) + Send + Sync;

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

/// Receives generated files that are on disk already (the kept PDFs), from any thread, to
/// link into the new site (see [`Pending::link`]).
pub type Link<'a> = dyn Fn(&LinkedFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Receives the paths of generated files that a build knows to be exactly as in the
/// published site without rendering them again (see [`Pending::keep`]).
pub type Keep<'a> = dyn Fn(&str) -> Result<(), Diagnostic> + Sync + 'a;

pub(super) enum Outcome {
    Unchanged,
    Linked,
    /// With the file's metadata when it was asked for.
    Written(Option<fs::Metadata>),
}

/// One build's work on the back buffer.
pub(super) struct Session {
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
    /// [`Pending::put`] (and, with a remembering writer that wrote the published site, names
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

    /// Puts the file `f.from` into the new site as `f.path`, as a hard link, without reading
    /// it; from any thread. The back buffer's file stays when it is that very file (or,
    /// for a remembering writer, was placed with the same identity). `f.from` must never be
    /// changed in place: it is the published file. Where no hard link can be made (another
    /// file system), the file is read and written.
    pub fn link(&self, f: &LinkedFile) -> Result<(), Diagnostic> {
        self.session.link(f)
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

pub(super) fn get_mut<T>(m: &mut Mutex<T>) -> &mut T {
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
            if !self.hard_link(&published, &dest) {
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

    /// See [`Pending::link`].
    fn link(&self, f: &LinkedFile) -> Result<(), Diagnostic> {
        let dest = self.back.join(&f.path);
        let before = self.known_back.as_ref().and_then(|k| k.get(&f.path));
        if before.is_some() {
            self.placed_known.fetch_add(1, Ordering::Relaxed);
        }
        // Looked up once: what is there, and then what was placed, for the stamp.
        let found = match (&self.known_back, self.fresh) {
            (None, false) => fs::symlink_metadata(&dest).ok(),
            _ => None,
        };
        let same = match &self.known_back {
            _ if self.fresh => false,
            Some(_) => before == Some(&f.identity),
            None => found.as_ref().is_some_and(|m| is_inode(m, f.inode)),
        };
        if !same {
            remove_any(&dest)?;
            // Written, unless the published site holds this very file already.
            let published = match self.known_live() {
                Some(known) => known.get(&f.path) == Some(&f.identity),
                None => self.live.as_ref().is_some_and(|live| {
                    fs::symlink_metadata(live.join(&f.path)).is_ok_and(|m| is_inode(&m, f.inode))
                }),
            };
            let linked = self.hard_link(&f.from, &dest);
            if !linked {
                let bytes = fsutil::read(&f.from, &f.from)?;
                make_parent(&self.back, &dest)?;
                write_file(&dest, &bytes, false)?;
            }
            if !(linked && published) {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.stat(&f.path, found.filter(|_| same))?;
        self.record(&f.path, Some(f.identity))
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
    fn hard_link(&self, published: &Path, dest: &Path) -> bool {
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
            if same && self.hard_link(&published, &dest) {
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
pub(super) fn write_file(
    path: &Path,
    bytes: &[u8],
    stat: bool,
) -> Result<Option<fs::Metadata>, Diagnostic> {
    let result = fs::File::create(path).and_then(|mut f| {
        f.write_all(bytes)?;
        stat.then(|| f.metadata()).transpose()
    });
    result.map_err(|e| fsutil::io_error(path, "could not write", &e))
}

/// Removes whatever is at `path` (a file, a link or a folder), if anything.
pub(super) fn remove_any(path: &Path) -> Result<(), Diagnostic> {
    let result = match fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    result.map_err(|e| fsutil::io_error(path, "could not replace", &e))
}

/// Creates the folders above `dest` inside `back`, removing files that stand in their way.
pub(super) fn make_parent(back: &Path, dest: &Path) -> Result<(), Diagnostic> {
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

pub(super) fn fingerprint(bytes: &[u8]) -> Fingerprint {
    (bytes.len() as u64, xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Whether `m` is of the regular file with device and inode `inode`.
fn is_inode(m: &fs::Metadata, inode: (u64, u64)) -> bool {
    m.is_file() && (m.dev(), m.ino()) == inode
}

/// What is at a path, compared with the bytes wanted there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    Same,
    Different,
    Missing,
}

/// Whether the regular file at `path` (not followed if a link) holds exactly `bytes`.
pub(super) fn on_disk(path: &Path, bytes: &[u8]) -> Found {
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
