//! The PDFs of earlier builds, by key: a folder per profile in the output's private work
//! folder (`.<name>.raadsite/pdf-intranet/`, mode 0700, never under the web root), so that
//! a build reuses every PDF whose inputs did not change, and an intranet PDF never lies
//! where a web server could serve it. A build that succeeds removes the PDFs it did not use.
//!
//! A kept PDF is handed to the output stage as its file, which links it into the new site
//! (a hard link: see [`crate::output::Pending::link`]), so that a build that keeps all its
//! PDFs reads none of them. The folder's manifest ([`MANIFEST`]) records each PDF as this
//! program wrote it (length, modification time, inode): a PDF changed or replaced since, in
//! the cache or through a link to it in the site, no longer matches and is typeset again.

use std::collections::{HashMap, HashSet};
use std::fs;
#[cfg(feature = "pdf")]
use std::io::Write as _;
#[cfg(feature = "pdf")]
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::progress::Progress;

/// The manifest's file name in the cache folder: a line per kept PDF, `key length mtime
/// mtime-nanoseconds inode`.
const MANIFEST: &str = "pdfs.tsv";

/// A kept PDF as it was written: length, modification time (seconds, nanoseconds), inode.
type Stamp = (u64, i64, i64, u64);

#[cfg(feature = "pdf")]
fn stamp(m: &fs::Metadata) -> Stamp {
    (m.len(), m.mtime(), m.mtime_nsec(), m.ino())
}

/// The PDF cache of one output folder and profile, or none (`raadsite check`).
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    used: Mutex<HashSet<String>>,
    /// Every kept PDF as written, by key, and whether this build changed the list.
    manifest: Mutex<(HashMap<String, Stamp>, bool)>,
    progress: Progress,
    /// PDFs it does not hold are left for the next build (see [`Cache::deferring`]).
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    defer: bool,
}

/// A PDF in the cache: its file, length and inode.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The file.
    pub file: PathBuf,
    /// Its length in bytes.
    pub len: u64,
    /// Its device and inode.
    pub inode: (u64, u64),
}

impl Cache {
    /// No cache: every PDF is made.
    pub fn none() -> Cache {
        Cache::default()
    }

    /// The cache in folder `dir` (made private when missing), which must be inside a
    /// private folder; without a usable folder every PDF is made.
    pub fn in_dir(dir: PathBuf) -> Cache {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let made = fs::DirBuilder::new().mode(0o700).create(&dir);
        let private = fs::symlink_metadata(&dir)
            .is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o777 == 0o700);
        let dir = ((made.is_ok() || dir.is_dir()) && private).then_some(dir);
        let manifest = dir.as_deref().map(read_manifest).unwrap_or_default();
        Cache {
            dir,
            manifest: Mutex::new((manifest, false)),
            ..Cache::default()
        }
    }

    /// The same cache, counting into `progress` each PDF it hands out or is given.
    pub fn reporting(self, progress: Progress) -> Cache {
        Cache { progress, ..self }
    }

    /// The same cache, for a build that typesets no PDF: one it does not hold is left for
    /// the next build, and its page says that it is being made (`serve`, right after an
    /// edit, so that the page is served without waiting for Typst).
    pub fn deferring(self) -> Cache {
        Cache {
            defer: true,
            ..self
        }
    }

    /// Whether PDFs this cache does not hold are left for the next build.
    #[cfg(feature = "pdf")]
    pub(super) fn defers(&self) -> bool {
        self.defer
    }

    /// Where the build's counters go.
    #[cfg(feature = "pdf")]
    pub(super) fn progress(&self) -> &Progress {
        &self.progress
    }

    #[cfg(feature = "pdf")]
    fn file(&self, key: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{key}.pdf")))
    }

    #[cfg(feature = "pdf")]
    /// The PDF of `key`, if kept and still as written; notes it as used.
    pub(super) fn get(&self, key: &str) -> Option<Kept> {
        let file = self.file(key)?;
        let meta = fs::symlink_metadata(&file).ok()?;
        if !meta.is_file() || self.manifest().0.get(key) != Some(&stamp(&meta)) {
            return None;
        }
        self.used().insert(key.to_owned());
        self.progress.reused_pdf();
        Some(Kept {
            file,
            len: meta.len(),
            inode: (meta.dev(), meta.ino()),
        })
    }

    #[cfg(feature = "pdf")]
    /// Keeps the PDF of `key`, just typeset, and gives its file (best effort: a PDF not kept
    /// is made again next time, and `None` is given).
    pub(super) fn put(&self, key: &str, bytes: &[u8]) -> Option<Kept> {
        self.progress.typeset_pdf();
        let path = self.file(key)?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.metadata()
        });
        let meta = match written.and_then(|m| fs::rename(&tmp, &path).map(|()| m)) {
            Ok(meta) => meta,
            Err(_) => {
                let _ = fs::remove_file(&tmp);
                return None;
            }
        };
        self.used().insert(key.to_owned());
        let mut manifest = self.manifest();
        manifest.0.insert(key.to_owned(), stamp(&meta));
        manifest.1 = true;
        Some(Kept {
            file: path,
            len: meta.len(),
            inode: (meta.dev(), meta.ino()),
        })
    }

    /// Notes `key` as used by this build, whose PDF the output already holds.
    pub fn keep(&self, key: &str) {
        self.used().insert(key.to_owned());
        self.progress.reused_pdf();
    }

    /// After a build that succeeded: removes every kept PDF the build did not use when it
    /// was a full build (`full`; an incremental one kept some unseen), and writes the
    /// manifest when it changed (best effort: a PDF it does not list is made again).
    pub fn finish(&self, full: bool) {
        let Some(dir) = &self.dir else {
            return;
        };
        if full {
            self.prune(dir);
        }
        let mut manifest = self.manifest();
        if std::mem::take(&mut manifest.1) {
            write_manifest(dir, &manifest.0);
        }
    }

    /// Removes every kept PDF (and manifest line) this build did not use.
    fn prune(&self, dir: &Path) {
        let used = self.used();
        let mut manifest = self.manifest();
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let key = name.strip_suffix(".pdf").unwrap_or(&name);
            if name != MANIFEST && !used.contains(key) {
                let _ = fs::remove_file(entry.path());
            }
        }
        let before = manifest.0.len();
        manifest.0.retain(|key, _| used.contains(key));
        manifest.1 |= manifest.0.len() != before;
    }

    /// The folder, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn used(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[allow(clippy::type_complexity)]
    fn manifest(&self) -> std::sync::MutexGuard<'_, (HashMap<String, Stamp>, bool)> {
        self.manifest.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The manifest of the cache in `dir`; a line that does not read is left out (its PDF is
/// then made again).
fn read_manifest(dir: &Path) -> HashMap<String, Stamp> {
    let text = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let line = |l: &str| {
        let mut f = l.split('\t');
        let key = f.next()?.to_owned();
        let mut n = || f.next().and_then(|v| v.parse::<i64>().ok());
        let stamp = (
            u64::try_from(n()?).ok()?,
            n()?,
            n()?,
            u64::try_from(n()?).ok()?,
        );
        Some((key, stamp))
    };
    text.lines().filter_map(line).collect()
}

/// Writes the manifest of the cache in `dir` whole, in place of the old one.
fn write_manifest(dir: &Path, manifest: &HashMap<String, Stamp>) {
    let mut keys: Vec<_> = manifest.iter().collect();
    keys.sort_unstable();
    let mut text = String::with_capacity(keys.len() * 110);
    for (key, (len, s, ns, ino)) in keys {
        use std::fmt::Write as _;
        let _ = writeln!(text, "{key}\t{len}\t{s}\t{ns}\t{ino}");
    }
    let path = dir.join(MANIFEST);
    let tmp = dir.join(format!("{MANIFEST}.tmp{}", std::process::id()));
    if fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, &path))
        .is_err()
    {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(&path);
    }
}

#[cfg(feature = "pdf")]
/// The key of a PDF: a 128-bit xxh3 hash of its inputs, each with its length. A cache key,
/// not a seal: the inputs are the site's own files, and xxh3's 128 bits make an accidental
/// collision as unlikely as the render cache's keys (which are xxh3 too); SHA-256 cost
/// about 6 µs a page, a tenth of what keeping a PDF may cost.
pub(super) struct KeyHasher(xxhash_rust::xxh3::Xxh3);

#[cfg(feature = "pdf")]
impl KeyHasher {
    pub(super) fn new() -> Self {
        KeyHasher(xxhash_rust::xxh3::Xxh3::new())
    }

    pub(super) fn part(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(super) fn digest(self) -> u128 {
        self.0.digest128()
    }

    pub(super) fn finish(self) -> String {
        format!("{:032x}", self.digest())
    }
}
