//! The private work folder beside the output, `.<name>.raadsite/`: the back buffer, the
//! stamp, the lock, leftovers of a killed build, and the swap of the back buffer with the
//! output.

use super::*;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

/// The back buffer's name in the work folder.
pub(super) const BACK: &str = "prev";

/// The build stamp's name in the work folder.
pub const STAMP: &str = "stamp";

/// How the names of things being removed from the work folder begin.
pub(super) const TRASH: &str = "trash-";

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

pub(super) fn work_in(parent: &Path, name: &str) -> PathBuf {
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
pub(super) fn is_ours(meta: &fs::Metadata) -> bool {
    meta.uid() == rustix::process::geteuid().as_raw()
}

/// Makes `dir` a folder that only this process's user may enter, mode 0700 whatever the
/// umask: created so, or tightened when found with other bits; a file or link in its place
/// is removed first. A folder of another user is an error: that user could read it.
pub(super) fn make_private(dir: &Path) -> Result<(), Diagnostic> {
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

pub(super) fn split(output: &Path) -> Result<(PathBuf, String), Diagnostic> {
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
pub(super) fn lock(parent: &Path) -> Result<fs::File, Diagnostic> {
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
pub(super) fn recover_leftovers(
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
pub(super) fn recover_work(work: &Path, output: &Path) {
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
pub(super) fn adopt_back(legacy: &Path, work: &Path) -> Result<(), Diagnostic> {
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
pub(super) fn discard(path: &Path, work: &Path) -> Result<(), Diagnostic> {
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
pub(super) fn exchange(back: &Path, output: &Path, work: &Path) -> Result<(), Diagnostics> {
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
pub(super) fn exchange_by_renames(
    back: &Path,
    output: &Path,
    work: &Path,
) -> Result<(), Diagnostics> {
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
