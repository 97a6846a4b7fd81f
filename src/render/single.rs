//! The single-file rendition of each letter and opgave (see [`crate::onefile`]), made from
//! the page as it is rendered, with the files the site publishes to put inline.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::{Out, Renderer, Theme, cache, theme};
use crate::artifact::OutputFile;
use crate::onefile::{self, Inline, Memo};
use crate::paths;
use crate::site::Site;

/// The files a build publishes as they are, by output path, to put inline.
pub(super) struct Published {
    files: FxHashMap<String, Bytes>,
    /// In an incremental render: the key of all of them (see [`cache::published_files`]);
    /// pages with a single file are rendered again when it changes.
    pub key: cache::Key,
    /// Their inlined forms, made once for all the single files of the render.
    memo: Memo,
}

/// Where a published file's bytes are.
pub(super) enum Bytes {
    Disk(PathBuf),
    Builtin(&'static [u8]),
}

impl Published {
    /// The files of `site` and `theme`, keyed when `keyed` (an incremental render).
    pub fn of(site: &Site, theme: &Theme, keyed: bool) -> Published {
        let mut files: FxHashMap<String, Bytes> = FxHashMap::default();
        for (rel, file) in &theme.static_files {
            let bytes = match file {
                theme::StaticFile::Disk(p) => Bytes::Disk(p.clone()),
                theme::StaticFile::Builtin(b) => Bytes::Builtin(b),
            };
            files.insert(rel.clone(), bytes);
        }
        // The site's own files win over the theme's, as in the output.
        for a in site.assets.iter().chain(&site.static_assets) {
            files.insert(a.rel.clone(), Bytes::Disk(a.path.clone()));
        }
        let key = if keyed {
            cache::published_files(&files)
        } else {
            0
        };
        Published {
            files,
            key,
            memo: Memo::default(),
        }
    }

    /// The bytes of the file published at `path`, if any and readable.
    fn fetch(&self, path: &str) -> Option<Vec<u8>> {
        match self.files.get(path)? {
            Bytes::Disk(p) => std::fs::read(p).ok(),
            Bytes::Builtin(b) => Some(b.to_vec()),
        }
    }
}

impl Renderer<'_> {
    /// The single file of content page `i`, whose page is `page`: made from it when it was
    /// rendered, kept when the page was kept. `None` for pages that have none.
    pub(super) fn single_file(&self, i: usize, page: &Out) -> Option<Out> {
        let p = &self.site.pages[i];
        if !p.has_metadata() {
            return None;
        }
        let path = paths::single_file_of(&p.url);
        Some(match page {
            Out::Kept(_) => Out::Kept(path),
            // Only a PDF is linked, never a page.
            Out::Linked(_) => return None,
            Out::File(f) => {
                let fetch = |rel: &str| self.published.fetch(rel);
                let inline = Inline {
                    page_url: &p.url,
                    base_url: self.site.config.base_url.as_deref(),
                    fetch: &fetch,
                    memo: &self.published.memo,
                };
                Out::File(OutputFile {
                    path,
                    bytes: onefile::make(&f.bytes, &inline),
                })
            }
        })
    }
}
