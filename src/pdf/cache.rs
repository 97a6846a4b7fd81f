//! The PDFs of earlier builds, by key: a folder per profile in the output's private work
//! folder (`.<name>.raadsite/pdf-intranet/`, mode 0700, never under the web root), so that
//! a build reuses every PDF whose inputs did not change, and an intranet PDF never lies
//! where a web server could serve it. A build that succeeds removes the PDFs it did not use.

use std::collections::HashSet;
use std::fs;
#[cfg(feature = "pdf")]
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::progress::Progress;

#[cfg(feature = "pdf")]
use sha2::{Digest, Sha256};

/// The PDF cache of one output folder and profile, or none (`raadsite check`).
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    used: Mutex<HashSet<String>>,
    progress: Progress,
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
        Cache {
            dir: ((made.is_ok() || dir.is_dir()) && private).then_some(dir),
            ..Cache::default()
        }
    }

    /// The same cache, counting into `progress` each PDF it hands out or is given.
    pub fn reporting(self, progress: Progress) -> Cache {
        Cache { progress, ..self }
    }

    #[cfg(feature = "pdf")]
    fn file(&self, key: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{key}.pdf")))
    }

    #[cfg(feature = "pdf")]
    /// The PDF of `key`, if kept; notes it as used.
    pub(super) fn get(&self, key: &str) -> Option<Vec<u8>> {
        let bytes = fs::read(self.file(key)?).ok()?;
        self.used().insert(key.to_owned());
        self.progress.reused_pdf();
        Some(bytes)
    }

    #[cfg(feature = "pdf")]
    /// Keeps the PDF of `key`, just typeset (best effort: a PDF not kept is made again next
    /// time).
    pub(super) fn put(&self, key: &str, bytes: &[u8]) {
        self.progress.typeset_pdf();
        let Some(path) = self.file(key) else {
            return;
        };
        self.used().insert(key.to_owned());
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
        if written.is_err() || fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Notes `key` as used by this build, whose PDF the output already holds.
    pub fn keep(&self, key: &str) {
        self.used().insert(key.to_owned());
        self.progress.reused_pdf();
    }

    /// Removes every kept PDF this build did not use; after a build that succeeded.
    pub fn prune(&self) {
        let Some(dir) = &self.dir else {
            return;
        };
        let used = self.used();
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let key = name.strip_suffix(".pdf").unwrap_or(&name);
            if !used.contains(key) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// The folder, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn used(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(feature = "pdf")]
/// The key of a PDF: SHA-256 over its inputs, each with its length.
pub(super) struct KeyHasher(Sha256);

#[cfg(feature = "pdf")]
impl KeyHasher {
    pub(super) fn new() -> Self {
        KeyHasher(Sha256::new())
    }

    pub(super) fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(super) fn finish(self) -> String {
        data_encoding::HEXLOWER.encode(&self.0.finalize())
    }
}
