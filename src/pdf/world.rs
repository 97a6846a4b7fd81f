//! Typst's view of one PDF: an in-memory world of the template (the main file), the data
//! (`/gegevens.json`), the body (`/tekst.typ`) and the images (`/beeld/<n>`), with only
//! the fonts bundled in the binary. Nothing is read from the file system or the network,
//! and "today" is the document's own date, so the same inputs make the same PDF.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The bundled fonts: Noto Sans (SIL Open Font License, `fonts/noto-sans/OFL.txt`).
pub(super) static FONT_FILES: &[(&str, &[u8])] = &[
    (
        "NotoSans-Regular.ttf",
        include_bytes!("../../fonts/noto-sans/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold.ttf",
        include_bytes!("../../fonts/noto-sans/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSans-Italic.ttf",
        include_bytes!("../../fonts/noto-sans/NotoSans-Italic.ttf"),
    ),
    (
        "NotoSans-BoldItalic.ttf",
        include_bytes!("../../fonts/noto-sans/NotoSans-BoldItalic.ttf"),
    ),
];

/// The fonts and their book, loaded once.
pub(super) struct Fonts {
    pub(super) fonts: Vec<Font>,
    pub(super) book: LazyHash<FontBook>,
}

pub(super) static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|(_, bytes)| Font::iter(Bytes::new(*bytes)))
        .collect();
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Fonts { fonts, book }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The data's path in the world.
pub(super) const DATA: &str = "/gegevens.json";
/// The body's path in the world.
pub(super) const BODY: &str = "/tekst.typ";

/// The id of the file at `path` in the world.
pub(super) fn id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("the world's paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The theme's Typst files, parsed once per build: each at `/<name>` in every world, by
/// name with the file it was read from.
pub struct Templates {
    pub(super) files: Vec<(String, PathBuf, Source)>,
    /// A hash of every file's name and text, made once: part of every PDF's key.
    pub(super) fingerprint: u128,
}

impl Templates {
    /// The Typst files of a theme: name, file it was read from, text.
    pub fn of(files: &BTreeMap<String, (PathBuf, String)>) -> Templates {
        let mut h = super::cache::KeyHasher::new();
        for (name, (_, text)) in files {
            h.part(name.as_bytes());
            h.part(text.as_bytes());
        }
        Templates {
            files: files
                .iter()
                .map(|(name, (shown, text))| {
                    let source = Source::new(id(&format!("/{name}")), text.clone());
                    (name.clone(), shown.clone(), source)
                })
                .collect(),
            fingerprint: h.digest(),
        }
    }

    /// The template called `name`.
    pub(super) fn get(&self, name: &str) -> Option<&(String, PathBuf, Source)> {
        self.files.iter().find(|(n, _, _)| n == name)
    }

    /// The file the source of `id` was read from, if it is one of these.
    pub(super) fn shown(&self, id: FileId) -> Option<(&Path, &Source)> {
        self.files
            .iter()
            .find(|(_, _, s)| s.id() == id)
            .map(|(_, p, s)| (p.as_path(), s))
    }
}

/// One PDF's world.
pub(super) struct Sheet<'t> {
    pub(super) templates: &'t Templates,
    pub(super) main: FileId,
    pub(super) body: Source,
    pub(super) data: Bytes,
    pub(super) images: Vec<Bytes>,
    pub(super) today: Datetime,
}

impl World for Sheet<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.body.id() {
            return Ok(self.body.clone());
        }
        match self.templates.shown(id) {
            Some((_, source)) => Ok(source.clone()),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self::id(DATA) {
            return Ok(self.data.clone());
        }
        let path = id.get().vpath().get_without_slash().to_owned();
        path.strip_prefix("beeld/")
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| self.images.get(n).cloned())
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}

/// Whether a bundled font has a glyph for `c`; white space and control characters need
/// none.
pub(super) fn covers(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || FONTS
            .fonts
            .iter()
            .any(|f| f.info().coverage.contains(c as u32))
}

/// A hash of the bundled fonts, made once.
pub(super) fn fonts_fingerprint() -> u128 {
    static HASH: LazyLock<u128> = LazyLock::new(|| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, bytes) in FONT_FILES {
            h.update(name.as_bytes());
            h.update(bytes);
        }
        h.digest128()
    });
    *HASH
}
