//! The zip export: the snapshot's files at the root of the archive, deflated, dated with the
//! snapshot's creation time, in path order; unpacked anywhere, `index.html` opens the site.
//! An MDTO package to be zipped goes the same way ([`write_entries`]).

use std::borrow::Cow;
use std::io::{Seek, Write};

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diagnostics::Diagnostic;
use crate::snapshot::{Manifest, Store};

/// Writes the zip of `manifest` to `w`.
pub fn write<W: Write + Seek>(store: &Store, manifest: &Manifest, w: W) -> Result<(), Diagnostic> {
    let files = manifest.files.iter().map(|f| {
        Ok((
            f.path.as_str(),
            Cow::Owned(store.objects().read(&f.sha256)?),
        ))
    });
    zip_files(manifest, files, w)
}

/// Writes `entries` (an MDTO package) as a zip to `w`, dated with `manifest`'s creation time.
pub fn write_entries<W: Write + Seek>(
    manifest: &Manifest,
    entries: &[super::mdto::Entry],
    w: W,
) -> Result<(), Diagnostic> {
    let files = entries
        .iter()
        .map(|e| Ok((e.path.as_str(), Cow::Borrowed(e.bytes.as_slice()))));
    zip_files(manifest, files, w)
}

/// Writes each (path, bytes) of `files`, deflated and dated with `manifest`'s creation time.
fn zip_files<'a, W: Write + Seek>(
    manifest: &Manifest,
    files: impl Iterator<Item = Result<(&'a str, Cow<'a, [u8]>), Diagnostic>>,
    w: W,
) -> Result<(), Diagnostic> {
    let fail =
        |e: ::zip::result::ZipError| Diagnostic::general(format!("could not write the zip: {e}"));
    let time = stamp(&manifest.created);
    let mut zip = ZipWriter::new(w);
    for file in files {
        let (path, bytes) = file?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(0o644);
        zip.start_file(path, options).map_err(fail)?;
        zip.write_all(&bytes)
            .map_err(|e| Diagnostic::general(format!("could not write the zip: {e}")))?;
    }
    zip.finish().map_err(fail)?;
    Ok(())
}

/// The zip timestamp of an RFC 3339 time (zip stores local time without zone; UTC is used).
fn stamp(created: &str) -> DateTime {
    let n = |r: std::ops::Range<usize>| created.get(r).and_then(|s| s.parse::<u16>().ok());
    let parts = (n(0..4), n(5..7), n(8..10), n(11..13), n(14..16), n(17..19));
    if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts
        && let Ok(t) =
            DateTime::from_date_and_time(y, mo as u8, d as u8, h as u8, mi as u8, s as u8)
    {
        return t;
    }
    DateTime::default()
}
