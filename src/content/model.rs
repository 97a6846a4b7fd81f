//! The content model: what authors wrote, typed per kind of page. It knows nothing of
//! templates or of where pages end up in the output.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use crate::config::Briefhoofd;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Position};
use crate::profile::Zichtbaarheid;

use super::frontmatter::{self, Bijlage};

/// Where a document came from, for links and error messages.
///
/// A page's body may be let go once the file is parsed ([`Source::release_body`]): a site
/// of 100,000 letters holds 700 MB of Markdown, which the render reads one page at a time.
/// [`Source::loaded`] reads it again then.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `content/`, with `/` separators: `brieven/2026-05-07-x.md`.
    pub rel: String,
    /// Path as shown to the author: `content/brieven/2026-05-07-x.md`.
    pub shown: PathBuf,
    /// The file's text (BOM and CR removed); front matter and body are ranges of it, so a
    /// file is read into one allocation and never copied. Only up to the body when the
    /// body was let go (see `on_disk`).
    pub text: String,
    /// Where the front matter is in `text`, kept to point errors at a key.
    pub front: Range<usize>,
    /// Line of the first front matter line.
    pub front_line: usize,
    /// Where the Markdown body is in `text`.
    pub body: Range<usize>,
    /// Line of the first body line.
    pub body_line: usize,
    /// SHA-256 of the file as it is on disk, in lowercase hex.
    pub sha256: String,
    /// Room for the slug of the file name, made when the site is resolved. A parsed file
    /// is reused by every rebuild under `serve` until it changes, and so is its slug.
    pub(crate) name_slug: std::sync::OnceLock<String>,
    /// Set when the body was let go: where to read it again.
    pub(crate) on_disk: Option<Box<OnDisk>>,
}

/// Where the body of a [`Source`] that let it go is read again.
#[derive(Debug, Clone)]
pub struct OnDisk {
    /// The file.
    path: PathBuf,
    /// xxh3 of the file's bytes as they were parsed.
    hash: u64,
}

impl Source {
    /// A diagnostic at `key = ...` in this file's front matter, found by the TOML parser's
    /// spans; `key` may be a path such as `bijlagen[1].bestand` or `gemeenten[2]`.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        frontmatter::at_key(
            &self.shown,
            self.front(),
            self.front_line,
            key,
            message.into(),
        )
    }

    /// The front matter text.
    pub fn front(&self) -> &str {
        &self.text[self.front.clone()]
    }

    /// The Markdown body, when it is held: the render reads a page's body through
    /// [`Source::loaded`], which also reads one that was let go.
    pub fn body(&self) -> &str {
        debug_assert!(self.on_disk.is_none(), "body of {} let go", self.rel);
        self.text.get(self.body.clone()).unwrap_or_default()
    }

    /// Lets the body go, keeping the front matter (for errors at its keys): the render
    /// reads it again from `path`, whose bytes as parsed had the xxh3 `hash`.
    pub(crate) fn release_body(&mut self, path: &Path, hash: u64) {
        self.on_disk = Some(Box::new(OnDisk {
            path: path.to_path_buf(),
            hash,
        }));
        self.text.truncate(self.body.start);
        self.text.shrink_to_fit();
    }

    /// This source with its body: itself when the body is held, otherwise a copy with the
    /// body read again from the file. A file that changed since it was parsed is an error
    /// (its front matter, already used by every page that lists it, may have changed too).
    pub fn loaded(&self) -> Result<Cow<'_, Source>, Diagnostic> {
        let Some(disk) = &self.on_disk else {
            return Ok(Cow::Borrowed(self));
        };
        let bytes = crate::fsutil::read(&disk.path, &self.shown)?;
        if xxh3_64(&bytes) != disk.hash {
            return Err(Diagnostic::in_file(
                &self.shown,
                "the file changed while the site was built",
            )
            .with_help("build again"));
        }
        let text = crate::fsutil::decode_text(bytes, &self.shown)?;
        Ok(Cow::Owned(Source {
            rel: self.rel.clone(),
            shown: self.shown.clone(),
            body: self.body.start..text.len(),
            text,
            front: self.front.clone(),
            front_line: self.front_line,
            body_line: self.body_line,
            sha256: self.sha256.clone(),
            name_slug: self.name_slug.clone(),
            on_disk: None,
        }))
    }

    /// A diagnostic at a line of this file.
    pub fn error_at(&self, position: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic::in_file(&self.shown, message).at(position.line, position.column)
    }

    /// The top-level folder under `content/` (`""` for files directly in it).
    pub fn section(&self) -> &str {
        self.rel.split_once('/').map_or("", |(s, _)| s)
    }

    /// The folder of this file relative to `content/` (`""` at the top).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// File name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// Keys every page has.
#[derive(Debug, Clone)]
pub struct Common {
    /// Title (for letters: the Onderwerp).
    pub title: String,
    /// Date of the document.
    pub date: Option<Date>,
    /// Summary for lists and metadata.
    pub description: Option<String>,
    /// Explicit slug, otherwise derived from the file name.
    pub slug: Option<String>,
    /// Draft pages are not published.
    pub draft: bool,
    /// Sort weight for plain pages.
    pub weight: Option<i64>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Template that overrides the kind's default.
    pub template: Option<String>,
    /// Date of the last substantive change, if any.
    pub updated: Option<Date>,
    /// Old output paths (relative to the site root) that redirect to this page.
    pub aliases: Vec<String>,
    /// Who may see the page; `intern` pages are left out of the public profile.
    pub zichtbaarheid: Zichtbaarheid,
}

/// A letter (brief) with its letterhead.
#[derive(Debug, Clone)]
pub struct Letter {
    /// Date of the letter (required).
    pub date: Date,
    /// Ons kenmerk.
    pub kenmerk: Option<String>,
    /// Behandeld door.
    pub behandeld_door: Option<String>,
    /// Doorkiesnummer.
    pub doorkiesnummer: Option<String>,
    /// Uw brief van.
    pub uw_brief_van: Option<Date>,
    /// Uw kenmerk.
    pub uw_kenmerk: Option<String>,
    /// Sender line.
    pub afzender: Option<String>,
    /// Signatory, lines separated by newlines.
    pub ondertekening: Option<String>,
    /// Addressee line.
    pub aan: Option<String>,
    /// Addressed gemeente slugs; `["alle"]` for all.
    pub gemeenten: Vec<String>,
    /// Numbers of the opgaven this letter concerns.
    pub opgaven: Vec<u32>,
    /// Attachments.
    pub bijlagen: Vec<Bijlage>,
    /// Sender's address block (site defaults with this letter's overrides).
    pub briefhoofd: Briefhoofd,
}

/// A regional task (opgave).
#[derive(Debug, Clone)]
pub struct Opgave {
    /// Its number in the Plan voor de Regio, unique.
    pub nummer: u32,
    /// Theme.
    pub thema: Option<String>,
    /// Participating gemeente slugs.
    pub gemeenten: Vec<String>,
    /// Status, free text.
    pub status: Option<String>,
}

/// What kind of page a document is, with the keys of that kind.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Under `content/brieven/`.
    Letter(Box<Letter>),
    /// Under `content/opgaven/`.
    Opgave(Opgave),
    /// Anywhere else.
    Page,
}

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its file.
    pub source: Source,
    /// Generic keys.
    pub common: Common,
    /// Kind-specific keys.
    pub kind: Kind,
}

/// A folder's `_index.md`: title and intro of a section (or, at the top, of the home page).
#[derive(Debug, Clone)]
pub struct SectionIndex {
    /// Its file.
    pub source: Source,
    /// Section title.
    pub title: String,
    /// Summary.
    pub description: Option<String>,
    /// Template that overrides the default.
    pub template: Option<String>,
    /// `intern`: the section's list and every page in its folder are left out of the
    /// public profile, whatever the pages say themselves.
    pub zichtbaarheid: Zichtbaarheid,
}

/// A file published as is: not Markdown under `content/`, or anything under `static/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/` (or `static/`), with `/` separators.
    pub rel: String,
    /// Where to read it.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// Everything under `content/`, parsed and typed.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Pages, sorted by source path.
    pub documents: Vec<std::sync::Arc<Document>>,
    /// Section intros, sorted by source path.
    pub sections: Vec<SectionIndex>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
    /// Files under the site's `static/`, published at the site root.
    pub static_files: Vec<Asset>,
    /// Every `.md` file found, also those that failed to parse, so that links to them are
    /// not reported a second time as broken.
    pub all_markdown: Vec<String>,
    /// The terms of `content/begrippen.toml`.
    pub glossary: crate::glossary::Glossary,
}
