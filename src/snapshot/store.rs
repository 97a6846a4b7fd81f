//! The content-addressed object store: every file of every snapshot is kept once, under
//! `objects/ab/cdef...` named by the SHA-256 of its bytes, so a file that did not change between
//! versions costs nothing the second time.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::fsutil;

/// The folder of the object files inside the store.
pub const OBJECTS: &str = "objects";

pub use crate::digest::{is_hash, sha256_hex};

/// Objects of one store.
#[derive(Debug, Clone)]
pub struct Objects {
    dir: PathBuf,
}

impl Objects {
    /// The objects under `store/objects`.
    pub fn new(store: &Path) -> Self {
        Objects {
            dir: store.join(OBJECTS),
        }
    }

    /// The folder holding every object.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the object with this hash lives.
    pub fn path(&self, hash: &str) -> PathBuf {
        let (head, tail) = split(hash);
        self.dir.join(head).join(tail)
    }

    /// The path of an object relative to the store, for messages.
    pub fn shown(&self, hash: &str) -> String {
        let (head, tail) = split(hash);
        format!("{OBJECTS}/{head}/{tail}")
    }

    /// Stores `bytes` under `hash` unless an object of that name exists; returns whether it
    /// wrote a new object. The bytes go to a temporary file that is synced and then renamed, so
    /// an object file is either complete or absent.
    pub fn put(&self, hash: &str, bytes: &[u8]) -> Result<bool, Diagnostic> {
        let path = self.path(hash);
        if path.is_file() {
            return Ok(false);
        }
        let parent = path.parent().unwrap_or(&self.dir);
        fsutil::create_dir_all(parent)?;
        let tmp = parent.join(format!(".tmp-{}-{}", std::process::id(), &hash[2..]));
        let written = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| fs::rename(&tmp, &path)) {
            let _ = fs::remove_file(&tmp);
            return Err(fsutil::io_error(&path, "could not store object", &e));
        }
        Ok(true)
    }

    /// The bytes of an object.
    pub fn read(&self, hash: &str) -> Result<Vec<u8>, Diagnostic> {
        let path = self.path(hash);
        fs::read(&path).map_err(|e| fsutil::io_error(&path, "could not read object", &e))
    }
}

/// A hash as the folder of its object (its first two characters) and the file name (the
/// rest). A manifest read from disk may hold anything: split at a character boundary.
fn split(hash: &str) -> (&str, &str) {
    let at = hash.char_indices().nth(2).map_or(hash.len(), |(i, _)| i);
    hash.split_at(at)
}
