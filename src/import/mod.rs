//! `raadsite import`: a letter that arrives as plain text, PDF or DOCX becomes a letter of
//! the site. One reader per kind of input (`text`, `pdf`, `docx`) gives the same
//! intermediate form (`blocks`); one recogniser (`letterhead`, with the one table of labels
//! in `labels`) takes the letterhead, the signatory and the running headers out; `body`
//! turns the rest into Markdown; `front` writes the front matter. The original PDF or DOCX
//! is copied beside the letter. Nothing is printed: the caller gets a [`Summary`].

pub mod blocks;
pub mod body;
mod docx;
pub mod dutch_date;
mod front;
pub mod labels;
pub mod letterhead;
mod pdf;
mod pdf_layout;
mod summary;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config;
use crate::content::LETTERS;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

pub use front::Front;
pub use summary::Summary;

/// What kind of file a letter arrived as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text, as pdftotext or a copy from a PDF viewer gives it.
    Text,
    /// A PDF with text.
    Pdf,
    /// A Word document.
    Docx,
}

impl Kind {
    /// The kind of `path`: by its first bytes, then by its extension; a `.pdf` or `.docx`
    /// file is read as such whatever it holds, so that a broken one gets its reader's error.
    pub fn of(path: &Path, bytes: &[u8]) -> Kind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pdf") => Kind::Pdf,
            Some("docx") => Kind::Docx,
            _ if bytes.starts_with(b"%PDF") => Kind::Pdf,
            _ if bytes.starts_with(b"PK\x03\x04") => Kind::Docx,
            _ => Kind::Text,
        }
    }

    fn extension(self) -> Option<&'static str> {
        match self {
            Kind::Text => None,
            Kind::Pdf => Some("pdf"),
            Kind::Docx => Some("docx"),
        }
    }

    /// As the summary and the attachment's title name it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "tekst",
            Kind::Pdf => "PDF",
            Kind::Docx => "Word",
        }
    }
}

/// One imported letter.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The letter's file (written, or for a dry run where it would be written).
    pub path: PathBuf,
    /// The copy of the original beside it, for a PDF or DOCX.
    pub original: Option<PathBuf>,
    /// The letter's text: front matter and Markdown body.
    pub text: String,
    /// What was found, field by field, and what could not be placed.
    pub summary: Summary,
}

/// Reads `file` as a letter of the site in `root`; writes it (and the original beside it)
/// under `content/brieven/` unless `dry_run`. Never writes over a file, and writes nothing
/// when anything fails.
pub fn import(root: &Path, file: &Path, dry_run: bool) -> Result<Imported, Diagnostics> {
    let config = config::load(root)?;
    let bytes = fsutil::read(file, file)?;
    let kind = Kind::of(file, &bytes);
    let paras = read(file, kind, bytes)?;
    let letter = letterhead::recognise(paras);
    let dir = root.join("content").join(LETTERS);
    let front = Front::of(&letter, &config, kind, file)?;
    let stem = front.stem();
    let original = kind
        .extension()
        // Named apart from the PDF/A rendition (`<date>-<slug>.pdf`), which a reader
        // downloads from the same page.
        .map(|ext| dir.join(format!("{stem}-origineel.{ext}")));
    let front = front.with_original(original.as_deref(), kind);
    let (body, counts) = body::markdown(&letter.body);
    let text = format!("{}\n{body}", front.toml());
    let path = dir.join(format!("{stem}.md"));
    let summary = Summary::new(file, kind, &front, &letter, counts);
    if !dry_run {
        write(&path, &text, original.as_deref().map(|o| (file, o)))?;
    }
    Ok(Imported {
        path,
        original,
        text,
        summary,
    })
}

/// The intermediate form of the file, by its kind.
pub fn read(file: &Path, kind: Kind, bytes: Vec<u8>) -> Result<Vec<blocks::Para>, Diagnostic> {
    match kind {
        Kind::Text => Ok(blocks::paragraphs_of(&fsutil::decode_text(bytes, file)?)),
        Kind::Pdf => pdf::read(&bytes).map_err(|e| e.naming(file)),
        Kind::Docx => docx::read(&bytes).map_err(|e| e.naming(file)),
    }
}

/// Why a PDF or DOCX could not be read, to be told with its file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ReadError {
    fn new(message: impl Into<String>) -> ReadError {
        ReadError {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> ReadError {
        self.help = Some(help.into());
        self
    }

    fn naming(self, file: &Path) -> Diagnostic {
        Diagnostic::in_file(file, self.message).with_help_opt(self.help)
    }
}

/// Writes the original's copy and then the letter, each only where no file is; when the
/// letter cannot be written, the copy goes again, so that nothing is left half done.
fn write(path: &Path, text: &str, original: Option<(&Path, &Path)>) -> Result<(), Diagnostics> {
    for p in std::iter::once(path).chain(original.map(|(_, to)| to)) {
        if p.exists() {
            return Err(
                Diagnostic::in_file(p, "the file already exists; it is left as it is")
                    .with_help("remove or rename it, or import with --dry-run to see the letter")
                    .into(),
            );
        }
    }
    if let Some(dir) = path.parent() {
        fsutil::create_dir_all(dir)?;
    }
    if let Some((from, to)) = original {
        let bytes = fsutil::read(from, from)?;
        create_new(to, &bytes)?;
    }
    create_new(path, text.as_bytes()).inspect_err(|_| {
        if let Some((_, to)) = original {
            let _ = fs::remove_file(to);
        }
    })?;
    Ok(())
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| fsutil::io_error(path, "could not create", &e))?;
    f.write_all(bytes)
        .map_err(|e| fsutil::io_error(path, "could not write", &e))
        .inspect_err(|_| {
            let _ = fs::remove_file(path);
        })
}
