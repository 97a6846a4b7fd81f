//! The manifest of one snapshot: what was frozen, when, from which sources, and the size and
//! SHA-256 of every file. Written once, as the last step of `snapshot create`.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::fsutil;
use crate::profile::Profile;

/// The manifest format this version writes. Format 2 added the openbaar rendition.
pub const FORMAT: u32 = 2;

/// The oldest format this version reads: a format 1 manifest holds the intranet build only.
pub const OLDEST_FORMAT: u32 = 1;

/// The folder of the manifests inside the store; a snapshot exists when its manifest does.
pub const VERSIONS: &str = "versions";

/// One frozen version of the site.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Manifest format version.
    pub format: u32,
    /// The label, e.g. `2026-05-07`.
    pub label: String,
    /// Free text the author gave with `--note`.
    #[serde(default)]
    pub note: String,
    /// Creation time, UTC, RFC 3339 (`2026-05-07T09:30:00Z`).
    pub created: String,
    /// The raadsite version that built the site.
    pub raadsite_version: String,
    /// The site's `base_url` at the time, if set.
    #[serde(default)]
    pub base_url: Option<String>,
    /// SHA-256 over every source file (see [`crate::snapshot::sources_hash`]).
    pub sources_sha256: String,
    /// Number of source files that went into `sources_sha256`.
    pub sources: usize,
    /// Every output file of the intranet build, sorted by path.
    pub files: Vec<FileEntry>,
    /// Every output file of the openbaar build of the same sources, sorted by path: what an
    /// openbaar build publishes of this version. `None` for a version frozen before raadsite
    /// froze both (format 1); openbaar builds leave such a version out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openbaar: Option<Vec<FileEntry>>,
}

/// One file of a snapshot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Path inside the site, with `/`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex; also the object's name.
    pub sha256: String,
    /// For HTML pages: the page's `<h1>` (or `<title>`), for diffs and listings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Manifest {
    /// The files of the rendition for `profile`; `None` when this version has none.
    pub fn rendition(&self, profile: Profile) -> Option<&[FileEntry]> {
        match profile {
            Profile::Intranet => Some(&self.files),
            Profile::Openbaar => self.openbaar.as_deref(),
        }
    }

    /// This version as `profile` sees it: a manifest whose `files` are that rendition's.
    /// `None` when this version has no such rendition.
    pub fn for_profile(&self, profile: Profile) -> Option<Cow<'_, Manifest>> {
        match profile {
            Profile::Intranet => Some(Cow::Borrowed(self)),
            Profile::Openbaar => Some(Cow::Owned(Manifest {
                files: self.rendition(profile)?.to_vec(),
                openbaar: None,
                ..self.clone_header()
            })),
        }
    }

    /// Every rendition this version holds, the intranet one first.
    pub fn renditions(&self) -> impl Iterator<Item = (Profile, &[FileEntry])> {
        [Profile::Intranet, Profile::Openbaar]
            .into_iter()
            .filter_map(|p| Some((p, self.rendition(p)?)))
    }

    /// Every file entry of every rendition (a file in both is listed twice).
    pub fn all_files(&self) -> impl Iterator<Item = &FileEntry> {
        self.renditions().flat_map(|(_, files)| files.iter())
    }

    /// The manifest without its file lists.
    fn clone_header(&self) -> Manifest {
        Manifest {
            format: self.format,
            label: self.label.clone(),
            note: self.note.clone(),
            created: self.created.clone(),
            raadsite_version: self.raadsite_version.clone(),
            base_url: self.base_url.clone(),
            sources_sha256: self.sources_sha256.clone(),
            sources: self.sources,
            files: Vec::new(),
            openbaar: None,
        }
    }

    /// HTML pages in this snapshot.
    pub fn pages(&self) -> usize {
        self.files.iter().filter(|f| is_page(&f.path)).count()
    }

    /// Total size of the files in bytes.
    pub fn size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The creation date, e.g. for "Dit is de versie van 7 mei 2026".
    pub fn date(&self) -> Option<Date> {
        let b = self.created.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Some(Date {
            year: self.created[0..4].parse().ok()?,
            month: self.created[5..7].parse().ok()?,
            day: self.created[8..10].parse().ok()?,
        })
    }

    /// The creation date in Dutch, or the raw timestamp when it cannot be read.
    pub fn dutch_date(&self) -> String {
        self.date()
            .map_or_else(|| self.created.clone(), |d| d.dutch())
    }

    /// The manifest as stored: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a manifest file.
    pub fn load(path: &Path, shown: &Path) -> Result<Manifest, Diagnostic> {
        let text = fsutil::read_text(path, shown)?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            Diagnostic::in_file(shown, format!("unreadable manifest: {e}"))
                .at(e.line().max(1), e.column().max(1))
        })?;
        if !(OLDEST_FORMAT..=FORMAT).contains(&m.format) {
            return Err(Diagnostic::in_file(
                shown,
                format!(
                    "manifest format {} is not supported (expected {OLDEST_FORMAT} to {FORMAT})",
                    m.format
                ),
            )
            .with_help("a newer raadsite wrote it: upgrade raadsite to read it"));
        }
        Ok(m)
    }

    /// Writes the manifest to `dir/LABEL.json` as the commit point of a create: the JSON goes
    /// to a synced temporary file that is then hard-linked into place, which fails when the
    /// label exists, so a snapshot is never half written nor overwritten.
    pub fn commit(&self, dir: &Path) -> Result<PathBuf, Diagnostic> {
        fsutil::create_dir_all(dir)?;
        let target = dir.join(format!("{}.json", self.label));
        let tmp = dir.join(format!(".{}.json.tmp-{}", self.label, std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(self.to_json().as_bytes())?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(fsutil::io_error(&tmp, "could not write manifest", &e));
        }
        let linked = match fs::hard_link(&tmp, &target) {
            // File systems without hard links (FAT on a USB stick, some shares): a rename is
            // as atomic, only the check for an existing label is no longer the same step.
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                if target.exists() {
                    Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
                } else {
                    fs::rename(&tmp, &target).map_err(|_| e)
                }
            }
            r => r,
        };
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => {
                if let Ok(d) = fs::File::open(dir) {
                    let _ = d.sync_all();
                }
                Ok(target)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Diagnostic::general(
                format!("a snapshot labelled \"{}\" already exists", self.label),
            )),
            Err(e) => Err(fsutil::io_error(&target, "could not write manifest", &e)),
        }
    }
}

/// True for the paths that count as pages.
pub fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// The current time, UTC, RFC 3339. `SOURCE_DATE_EPOCH` (seconds) overrides the clock, as in
/// reproducible builds, so that tests and archives can fix the date.
pub fn now_rfc3339() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    rfc3339(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::dates::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_778_146_200), "2026-05-07T09:30:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
