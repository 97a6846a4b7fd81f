//! The folders as trees of files: removing what a build did not place, and naming a
//! folder by an identity that survives renames.

use super::*;
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::fsutil;

/// Deletes everything under `back` that this build did not place; returns how many entries.
pub(super) fn prune<T>(back: &Path, placed: &FxHashMap<String, T>) -> Result<usize, Diagnostic> {
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
pub(super) fn prune_known<T>(
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

pub(super) fn rel_path(base: &Path, path: &Path) -> String {
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

pub(super) fn tree_id(dir: &Path) -> Option<TreeId> {
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
pub(super) fn resolve_link(output: &Path) -> PathBuf {
    if output.is_symlink() {
        fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf())
    } else {
        output.to_path_buf()
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
