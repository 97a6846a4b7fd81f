//! Skipping a build whose inputs and output did not change.
//!
//! A build is a pure function of the files it reads (`site.toml`, `content/`, `static/`,
//! `templates/`, the configured theme, the snapshot store), the profile and the version of
//! raadsite. After a successful build, a small stamp file in the output's private work
//! folder, `.<name>.raadsite/stamp` (never inside the output: that is published; mode 0600,
//! in a folder only its owner may enter, see [`crate::output`]), records a fingerprint of all
//! of those and one of the output folder as the build left it. The next `build` fingerprints
//! both again; when they match, and the work folder is still private, nothing has changed
//! and it returns at once, rendering and writing nothing.
//!
//! The fingerprints use metadata only, not contents: per file its path, length, modification
//! and change times (nanoseconds), inode and device; for the output also the output folder
//! itself the same way and every folder in it by its path. A write that keeps the length
//! still changes the times; a replaced file changes the inode; the change time cannot be set
//! back by tools that restore modification times. The output's fingerprint after a build is
//! made from what the writer saw as it placed each file (see [`output::Writer::after_swap`]),
//! and equals the one a later check computes from the disk.
//!
//! Two limits keep this safe:
//! - Racy timestamps, as in git's index: an input modified within [`RACY`] of the moment the
//!   fingerprint is taken could be modified again within the same timestamp tick, keeping
//!   its length and times. A build that saw such an input saves no stamp; the next build
//!   does the full work (and saves one, once the input has aged).
//! - Every build that may write (including the ones `serve` makes) removes the stamp first,
//!   and the output fingerprint is taken under the output lock right after the new site is
//!   swapped in, so a failed, killed or concurrent build never leaves a stamp that describes
//!   an output it did not make.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{Archive, BuildOptions, Report};
use crate::profile::Profile;
use crate::{config, output, snapshot};

/// How long an input must have been left alone before a stamp may rely on its timestamps.
pub const RACY: Duration = Duration::from_secs(2);

/// First line of a stamp file; a change of format makes old stamps unreadable, not wrong.
const FORMAT: &str = "raadsite-stamp 2";

/// What a stamp file records about the last successful build into an output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Fingerprint of everything the build read, see [`inputs`].
    pub inputs: u128,
    /// Fingerprint of the output folder right after the build, see [`output_fingerprint`].
    pub output: u128,
    /// Pages the build generated.
    pub pages: usize,
    /// Files it copied as they are.
    pub copied: usize,
}

/// The fingerprint of a build's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// Hash of every input's metadata, the profile, the archive mode and the version.
    pub hash: u128,
    /// Some input was modified too recently (or in the future) to trust its timestamps.
    pub racy: bool,
}

/// Runs `build` (a build with the archive published) with a fresh writer, but returns at
/// once (a report with `up_to_date` set and nothing written) when the stamp of the output
/// folder says that neither the inputs nor the output changed since the last build. `force`
/// always builds. A successful build leaves a new stamp.
pub fn unless_unchanged(
    opts: &BuildOptions,
    profile: Profile,
    force: bool,
    build: impl FnOnce(&mut output::Writer) -> Result<Report, Diagnostics>,
) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let out = opts.output_dir();
    output::check_target(&opts.root, &out).map_err(Diagnostic::io)?;
    let file = path(&out);
    let found = inputs(&opts.root, profile, Archive::Publish);
    if !force
        && let (Some(file), Some(found)) = (&file, &found)
        && let Some(saved) = read(file)
        && saved.inputs == found.hash
        && output_fingerprint(&resolve(&out)) == Some(saved.output)
        && output::is_private(&out)
    {
        return Ok(Report {
            pages: saved.pages,
            copied: saved.copied,
            written: 0,
            output: out,
            elapsed: start.elapsed(),
            up_to_date: true,
            warnings: Diagnostics::new(),
        });
    }
    let seen = Arc::new(Mutex::new(None));
    let mut writer = output::Writer::new().after_swap({
        let seen = Arc::clone(&seen);
        move |dir, files| {
            *seen.lock().unwrap_or_else(|e| e.into_inner()) = placed_fingerprint(dir, files);
        }
    });
    let mut report = build(&mut writer)?;
    let output = seen.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let (Some(file), Some(found), Some(output)) = (file, found, output)
        && !found.racy
    {
        // A stamp that cannot be saved only costs the next build its shortcut.
        let _ = save(
            &file,
            &Stamp {
                inputs: found.hash,
                output,
                pages: report.pages,
                copied: report.copied,
            },
        );
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// The stamp file of an output folder: `stamp` in its private work folder
/// ([`output::work_dir`]).
pub fn path(output: &Path) -> Option<PathBuf> {
    output::work_dir(output).map(|work| work.join(output::STAMP))
}

/// Reads a stamp file; `None` when it is missing or not exactly in the expected format.
pub fn read(file: &Path) -> Option<Stamp> {
    let text = fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    if lines.next()? != FORMAT {
        return None;
    }
    let mut field =
        |key: &str| -> Option<&str> { lines.next()?.strip_prefix(key)?.strip_prefix(' ') };
    let stamp = Stamp {
        inputs: u128::from_str_radix(field("inputs")?, 16).ok()?,
        output: u128::from_str_radix(field("output")?, 16).ok()?,
        pages: field("pages")?.parse().ok()?,
        copied: field("copied")?.parse().ok()?,
    };
    lines.next().is_none().then_some(stamp)
}

/// Writes a stamp file atomically: a temporary file beside it, then a rename. The file is
/// readable by its owner only; its folder must exist (the output stage makes it, private).
pub fn save(file: &Path, stamp: &Stamp) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let text = format!(
        "{FORMAT}\ninputs {:032x}\noutput {:032x}\npages {}\ncopied {}\n",
        stamp.inputs, stamp.output, stamp.pages, stamp.copied
    );
    // A file left by a killed build of the same process id could have another mode.
    let _ = fs::remove_file(&tmp);
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .and_then(|()| fs::rename(&tmp, file));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Fingerprints everything a build of the site in `root` for `profile` reads. `None` when
/// something cannot be read (the build itself will say what); such a build is never skipped.
pub fn inputs(root: &Path, profile: Profile, archive: Archive) -> Option<Inputs> {
    let site = fs::canonicalize(root).ok()?;
    let config = config::load(root).ok()?;
    let mut roots = vec![
        root.join("site.toml"),
        root.join("content"),
        root.join("static"),
        root.join("templates"),
        root.join("themes").join(&config.theme),
    ];
    if archive == Archive::Publish {
        roots.push(snapshot::Store::of_site(root, &config).dir().to_path_buf());
    }
    let scanned: Vec<io::Result<Vec<Entry>>> = roots.par_iter().map(|r| scan(r, true)).collect();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    let recent = now.saturating_sub(RACY).as_nanos() as i128;

    let mut h = Xxh3::new();
    h.update(FORMAT.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // A rebuilt program of the same version (while developing) may render differently.
    if let Some(exe) = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok())
    {
        h.update(&Meta::of(&exe).bytes());
    }
    // The built-in theme is an input as much as the theme folder: its own hash, rather
    // than only the program file's metadata above.
    h.update(&crate::render::theme::builtin_fingerprint().to_le_bytes());
    h.update(profile.to_string().as_bytes());
    h.update(match archive {
        Archive::Publish => b"Publish",
        Archive::Leave => b"Leave",
    });
    h.update(site.as_os_str().as_bytes());
    let mut racy = false;
    for (r, entries) in roots.iter().zip(scanned) {
        h.update(b"\0root\0");
        h.update(r.strip_prefix(root).unwrap_or(r).as_os_str().as_bytes());
        // Folders themselves are left out: what counts is the files in them, and an editor's
        // short-lived swap file should not cost a build once it is gone.
        for e in entries.ok()?.iter().filter(|e| e.meta.kind != Kind::Dir) {
            racy |= e.meta.kind == Kind::File && e.meta.mtime >= recent;
            e.hash_into(&mut h);
        }
    }
    Some(Inputs {
        hash: h.digest128(),
        racy,
    })
}

/// Fingerprints a folder as it is on disk: the folder itself and every folder, file and
/// link in it (not followed). Folders count by their paths: a file added, removed or
/// changed inside one shows in the entries already. `None` when it is missing or cannot be
/// read.
pub fn output_fingerprint(dir: &Path) -> Option<u128> {
    let top = fs::symlink_metadata(dir)
        .ok()
        .filter(fs::Metadata::is_dir)?;
    Some(fingerprint(&top, &scan(dir, false).ok()?))
}

/// [`output_fingerprint`] of the output folder `dir` that a build has just filled with
/// exactly `files` (with their metadata as placed), without reading the folders again.
fn placed_fingerprint(dir: &Path, files: &[output::Placed]) -> Option<u128> {
    let top = fs::symlink_metadata(dir)
        .ok()
        .filter(fs::Metadata::is_dir)?;
    let folders = output::folders(files.iter().map(|(rel, _)| rel.as_str()));
    let mut entries: Vec<Entry> = Vec::with_capacity(files.len() + folders.len());
    entries.extend(files.iter().map(|(rel, meta)| Entry {
        rel: Cow::Borrowed(rel.as_bytes()),
        meta: Meta::of(meta),
    }));
    entries.extend(folders.into_iter().map(|f| Entry {
        rel: Cow::Borrowed(f.as_bytes()),
        meta: Meta::FOLDER,
    }));
    entries.par_sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Some(fingerprint(&top, &entries))
}

/// The fingerprint of folder `top` holding `entries`, sorted by path.
fn fingerprint(top: &fs::Metadata, entries: &[Entry]) -> u128 {
    let mut h = Xxh3::new();
    h.update(&Meta::of(top).bytes());
    for e in entries {
        e.hash_into(&mut h);
    }
    h.digest128()
}

/// An output folder given as a symbolic link is written where the link points.
fn resolve(output: &Path) -> PathBuf {
    if output.is_symlink() {
        fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf())
    } else {
        output.to_path_buf()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Absent,
    File,
    Dir,
    Link,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Meta {
    kind: Kind,
    len: u64,
    mtime: i128,
    ctime: i128,
    ino: u64,
    dev: u64,
}

impl Meta {
    /// What counts of a folder below the top of the output: that it is one.
    const FOLDER: Meta = Meta {
        kind: Kind::Dir,
        len: 0,
        mtime: 0,
        ctime: 0,
        ino: 0,
        dev: 0,
    };

    fn of(m: &fs::Metadata) -> Meta {
        let t = m.file_type();
        let kind = if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Dir
        } else if t.is_symlink() {
            Kind::Link
        } else {
            Kind::Other
        };
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        Meta {
            kind,
            len: m.len(),
            mtime: nanos(m.mtime(), m.mtime_nsec()),
            ctime: nanos(m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
            dev: m.dev(),
        }
    }

    /// The same from a raw `stat`, for entries looked up relative to their folder.
    // The widths of `stat` fields differ between platforms; on some the casts are no-ops.
    #[allow(clippy::unnecessary_cast)]
    fn of_stat(st: &rustix::fs::Stat) -> Meta {
        use rustix::fs::FileType;
        let kind = match FileType::from_raw_mode(st.st_mode) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Link,
            _ => Kind::Other,
        };
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        Meta {
            kind,
            len: st.st_size as u64,
            mtime: nanos(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: nanos(st.st_ctime as i64, st.st_ctime_nsec as i64),
            ino: st.st_ino as u64,
            dev: st.st_dev as u64,
        }
    }

    fn bytes(&self) -> [u8; 57] {
        let mut b = [0u8; 57];
        b[0] = self.kind as u8;
        b[1..9].copy_from_slice(&self.len.to_le_bytes());
        b[9..25].copy_from_slice(&self.mtime.to_le_bytes());
        b[25..41].copy_from_slice(&self.ctime.to_le_bytes());
        b[41..49].copy_from_slice(&self.ino.to_le_bytes());
        b[49..57].copy_from_slice(&self.dev.to_le_bytes());
        b
    }
}

/// One entry under a scanned folder: its path relative to the folder, with `/`, and its
/// metadata. The path is borrowed when the writer's own list of files is fingerprinted.
struct Entry<'a> {
    rel: Cow<'a, [u8]>,
    meta: Meta,
}

impl Entry<'_> {
    fn hash_into(&self, h: &mut Xxh3) {
        h.update(&(self.rel.len() as u64).to_le_bytes());
        h.update(&self.rel);
        h.update(&self.meta.bytes());
    }
}

/// Every entry under `top`, sorted by path, with its metadata; symbolic links followed when
/// `follow` (as the content walk does). Folders are listed in parallel: a site of 10,000
/// pages has about as many folders. A missing `top` is one `Absent` entry, so that creating
/// it changes the fingerprint.
fn scan(top: &Path, follow: bool) -> io::Result<Vec<Entry<'static>>> {
    let stat = |p: &Path| {
        if follow {
            fs::metadata(p)
        } else {
            fs::symlink_metadata(p)
        }
    };
    let meta = match stat(top) {
        Ok(m) => Meta::of(&m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(vec![Entry {
                rel: Cow::Owned(Vec::new()),
                meta: Meta {
                    kind: Kind::Absent,
                    len: 0,
                    mtime: 0,
                    ctime: 0,
                    ino: 0,
                    dev: 0,
                },
            }]);
        }
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    if meta.kind == Kind::Dir {
        scan_dir(top, &[], &[(meta.dev, meta.ino)], follow, &mut out)?;
    } else {
        out.push(Entry {
            rel: Cow::Owned(Vec::new()),
            meta,
        });
    }
    out.par_sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn scan_dir(
    dir: &Path,
    rel: &[u8],
    ancestors: &[(u64, u64)],
    follow: bool,
    out: &mut Vec<Entry<'static>>,
) -> io::Result<()> {
    let listed: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    // Entries are looked up relative to their open folder, which saves resolving the whole
    // path again for each of tens of thousands of files.
    let handle = if follow {
        Some(fs::File::open(dir)?)
    } else {
        None
    };
    let found: Vec<io::Result<Vec<Entry>>> = listed
        .par_iter()
        .map(|e| {
            let meta = match &handle {
                Some(d) => Meta::of_stat(&rustix::fs::statat(
                    d,
                    e.file_name().as_os_str(),
                    rustix::fs::AtFlags::empty(),
                )?),
                // The kind comes with the listing.
                None if e.file_type()?.is_dir() => Meta::FOLDER,
                None => Meta::of(&e.metadata()?),
            };
            let mut child = rel.to_vec();
            if !child.is_empty() {
                child.push(b'/');
            }
            child.extend_from_slice(e.file_name().as_bytes());
            let mut entries = Vec::new();
            if meta.kind == Kind::Dir {
                let mut below = ancestors.to_vec();
                // A link back to a folder above would never end (the build reports it).
                // Links are only followed into the inputs.
                if follow {
                    let id = (meta.dev, meta.ino);
                    if ancestors.contains(&id) {
                        return Err(io::Error::other("symbolic link loop"));
                    }
                    below.push(id);
                }
                scan_dir(&e.path(), &child, &below, follow, &mut entries)?;
            }
            entries.push(Entry {
                rel: Cow::Owned(child),
                meta,
            });
            Ok(entries)
        })
        .collect();
    for f in found {
        out.append(&mut f?);
    }
    Ok(())
}
