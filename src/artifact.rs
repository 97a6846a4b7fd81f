//! The files a build makes, as every stage after rendering sees them: generated files with
//! their bytes, files published as they are, and what a render handed on. A leaf: it
//! depends on nothing of the crate, so the generators (pages, feeds, metadata, search, the
//! archive) and the output stage share these types without depending on one another.

use std::path::PathBuf;

/// A generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, with `/`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A generated file already on disk (a PDF in the build's cache), which the output stage
/// links into the new site rather than reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedFile {
    /// Path relative to the output root, with `/`.
    pub path: String,
    /// The file; never changed in place while it is linked.
    pub from: PathBuf,
    /// Its length and a 128-bit value that stands for its bytes: files with the same
    /// identity hold the same bytes.
    pub identity: (u64, u128),
    /// The device and inode of `from`, as the caller found them.
    pub inode: (u64, u64),
}

/// A file published as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// Path relative to the output root, with `/`.
    pub path: String,
    /// Where to copy it from.
    pub from: PathBuf,
}

/// What the render stage handed on (see `render::render_each`): the paths of the generated
/// files, and the files to publish as they are.
#[derive(Debug, Default)]
pub struct Emitted {
    /// Paths of every generated file, relative to the output root.
    pub paths: Vec<String>,
    /// Files copied as they are.
    pub copies: Vec<CopiedFile>,
}

impl Emitted {
    /// How many HTML pages were generated; feeds, sitemap, JSON and the single-file
    /// renditions of pages are not pages to readers.
    pub fn html_pages(&self) -> usize {
        self.paths
            .iter()
            .filter(|p| p.ends_with(".html") && !crate::paths::is_single_file(p))
            .count()
    }
}
