//! Writing the output folder atomically: the new site is written into a staging folder next
//! to the output folder and swapped in only when complete, so a failed or interrupted build
//! leaves the previous site untouched.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;
use crate::render::Rendered;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Generated files.
    pub generated: usize,
    /// Files copied as they are.
    pub copied: usize,
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

/// Writes `rendered` as the new content of `output`.
pub fn write(output: &Path, rendered: &Rendered) -> Result<Written, Diagnostics> {
    let (parent, name) = split(output)?;
    fsutil::create_dir_all(&parent)?;
    remove_leftovers(&parent, &name);
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result =
        fill(&staging, rendered).and_then(|w| swap(&staging, output, &parent, &name).map(|_| w));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
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

/// Staging and old folders of builds that were killed before they could clean up.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

fn fill(staging: &Path, rendered: &Rendered) -> Result<Written, Diagnostics> {
    fsutil::create_dir_all(staging)?;
    let dirs: BTreeSet<&str> = rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(rendered.copies.iter().map(|c| c.path.as_str()))
        .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for d in dirs {
        fsutil::create_dir_all(&staging.join(d))?;
    }
    let errors: Diagnostics = rendered
        .files
        .par_iter()
        .filter_map(|f| fsutil::write(&staging.join(&f.path), &f.bytes).err())
        .chain(
            rendered
                .copies
                .par_iter()
                .filter_map(|c| fsutil::copy(&c.from, &staging.join(&c.path)).err()),
        )
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    errors.into_result(Written {
        generated: rendered.files.len(),
        copied: rendered.copies.len(),
    })
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Diagnostics> {
    if output.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        fs::rename(output, &old)
            .map_err(|e| fsutil::io_error(output, "could not move the old site aside", &e))?;
        if let Err(e) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(fsutil::io_error(output, "could not put the new site in place", &e).into());
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(staging, output)
            .map_err(|e| fsutil::io_error(output, "could not put the new site in place", &e))?;
    }
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
