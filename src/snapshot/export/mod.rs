//! Exporting one snapshot as a single file: a zip to browse offline, or a WARC for web
//! archives. Both hold exactly the frozen bytes; the file appears only when complete.

pub mod mdto;
pub mod pronom;
pub mod warc;
pub mod zip;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{Manifest, Store};
use crate::diagnostics::Diagnostic;
use crate::fsutil;
use crate::profile::Profile;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A zip archive with the site at its root.
    Zip,
    /// A WARC 1.1 file (ISO 28500).
    Warc,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// Files of the snapshot in it.
    pub files: usize,
    /// Size of the export in bytes.
    pub bytes: u64,
}

/// Writes the rendition for `profile` of snapshot `label` of `store` to `output` in
/// `format`.
pub fn export(
    store: &Store,
    label: &str,
    profile: Profile,
    format: Format,
    output: &Path,
) -> Result<Exported, Diagnostic> {
    let manifest = rendition(store, label, profile)?;
    write_file(output, |w| match format {
        Format::Zip => zip::write(store, &manifest, w),
        Format::Warc => warc::write(store, &manifest, profile, &output.to_string_lossy(), w),
    })?;
    Ok(Exported {
        path: output.to_path_buf(),
        files: manifest.files.len(),
        bytes: fs::metadata(output).map_or(0, |m| m.len()),
    })
}

/// Writes the rendition for `profile` of snapshot `label` as an MDTO package: into the new
/// folder `output`, or into a zip file when `output` ends in `.zip`.
pub fn export_mdto(
    store: &Store,
    label: &str,
    profile: Profile,
    settings: &mdto::Settings,
    output: &Path,
) -> Result<Exported, Diagnostic> {
    let manifest = rendition(store, label, profile)?;
    let entries = mdto::package(store, &manifest, profile, settings)?;
    let is_zip = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        write_file(output, |w| zip::write_entries(&manifest, &entries, w))?;
    } else {
        mdto::write_dir(&entries, output)?;
    }
    Ok(Exported {
        path: output.to_path_buf(),
        files: entries.len(),
        bytes: entries.iter().map(|e| e.bytes.len() as u64).sum(),
    })
}

/// The rendition for `profile` of snapshot `label`, or why there is none.
fn rendition(store: &Store, label: &str, profile: Profile) -> Result<Manifest, Diagnostic> {
    let frozen = store.manifest(label)?;
    let manifest = frozen.for_profile(profile).ok_or_else(|| {
        Diagnostic::general(format!(
            "snapshot \"{label}\" has no {profile} rendition: raadsite {} froze the intranet \
             site only",
            frozen.raadsite_version
        ))
        .with_help("export it for the intranet, or create a new snapshot from the same sources")
    })?;
    Ok(manifest.into_owned())
}

/// Writes the file `output` with `body`: into a temporary file beside it, synced and renamed
/// into place, so `output` appears only when complete.
fn write_file(
    output: &Path,
    body: impl FnOnce(&mut BufWriter<fs::File>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let name = output
        .file_name()
        .ok_or_else(|| Diagnostic::general(format!("unusable output file {}", output.display())))?;
    let tmp = output.with_file_name(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        fsutil::create_dir_all(parent)?;
    }
    let result = (|| {
        let file =
            fs::File::create(&tmp).map_err(|e| fsutil::io_error(&tmp, "could not create", &e))?;
        let mut w = BufWriter::new(file);
        body(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| fsutil::io_error(output, "could not write", e.error()))?;
        file.sync_all()
            .map_err(|e| fsutil::io_error(output, "could not write", &e))?;
        fs::rename(&tmp, output).map_err(|e| fsutil::io_error(output, "could not write", &e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn io(output: &str, e: &std::io::Error) -> Diagnostic {
    fsutil::io_error(Path::new(output), "could not write", e)
}

/// Writes all of `bytes`, naming `output` on failure.
fn put(w: &mut impl Write, bytes: &[u8], output: &str) -> Result<(), Diagnostic> {
    w.write_all(bytes).map_err(|e| io(output, &e))
}
