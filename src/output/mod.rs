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

mod tree;
mod work;
mod writer;

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

pub(crate) use tree::folders;
use tree::*;
use work::*;
pub use work::{STAMP, forget_stamp, is_private, work_dir};
use writer::*;
pub use writer::{Keep, Link, Pending, Placed, Sink, Writer};

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
pub(super) type Fingerprint = (u64, u128);

/// What a writer that does not remember records for a file instead of its fingerprint:
/// no file has this length, so it never matches one.
pub(super) const NOT_TAKEN: Fingerprint = (u64::MAX, 0);

/// Identity of a folder that survives renames: device, inode and, where the file system
/// records it, the creation time (a deleted folder's inode number can come back).
pub(super) type TreeId = (u64, u64, u128);

pub(super) fn normalise(p: &Path) -> PathBuf {
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
pub(super) fn canonical_parent(p: &Path) -> PathBuf {
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
