//! Loading `content/`: find the files, split and type their front matter per kind.

pub mod frontmatter;
pub mod model;
mod parse;

use std::collections::HashSet;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;
use xxhash_rust::xxh3::xxh3_64;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::profile::Zichtbaarheid;
use crate::{fsutil, glossary};

pub use model::*;
pub(crate) use parse::parse_text;

/// The section whose pages are letters.
pub const LETTERS: &str = "brieven";
/// The section whose pages are opgaven.
pub const OPGAVEN: &str = "opgaven";

#[derive(Clone)]
pub(crate) enum Parsed {
    Document(std::sync::Arc<Document>),
    Section(Box<SectionIndex>),
}

/// Reads every file under `root/content`. Files that fail are reported and left out; the
/// rest is returned so later stages can report their own problems in the same run.
pub fn load(root: &Path, config: &Config) -> (Content, Diagnostics) {
    load_with(root, config, None)
}

/// Markdown files parsed by earlier loads (as `serve` does them), reused while a file's
/// size, modification time and inode stay the same and the configuration is the same.
///
/// When the caller knows which files changed (a file watcher: see [`ParseCache::edited`]),
/// the folders are not walked again and only those files are looked at.
#[derive(Default)]
pub struct ParseCache {
    /// The key of the configuration the files were parsed with ([`Config::key`]).
    config: u128,
    /// By path relative to `content/`.
    files: FxHashMap<String, (FileStamp, Parsed)>,
    /// The files found by the last walk, if it found no problems.
    listing: Option<Listing>,
    /// What changed since the last load.
    pending: Edits,
}

impl ParseCache {
    /// Tells the next load which files changed since the last one: `Some` with the paths
    /// of files whose contents changed (and nothing else: no file created, removed or
    /// renamed), `None` when that is not known. Calls add up until a load uses them.
    pub fn edited(&mut self, paths: Option<Vec<PathBuf>>) {
        self.pending = match (std::mem::take(&mut self.pending), paths) {
            (Edits::Known(mut known), Some(paths)) => {
                known.extend(paths);
                Edits::Known(known)
            }
            (Edits::Untold, Some(paths)) => Edits::Known(paths.into_iter().collect()),
            _ => Edits::Unknown,
        };
    }
}

/// The files under `content/` and `static/`.
#[derive(Clone)]
struct Listing {
    /// Markdown files: path relative to `content/`, and where to read it.
    markdown: Vec<(String, PathBuf)>,
    assets: Vec<Asset>,
    static_files: Vec<Asset>,
}

/// What changed since a load, as far as the caller knows.
#[derive(Default)]
enum Edits {
    /// The caller said nothing: as [`Edits::Unknown`].
    #[default]
    Untold,
    /// Anything may have changed: walk the folders and compare every file's stamp.
    Unknown,
    /// Only these files' contents changed.
    Known(HashSet<PathBuf>),
}

/// What tells a file's versions apart without reading it.
type FileStamp = (u64, SystemTime, u64);

fn file_stamp(path: &Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    let modified = m.modified().ok()?;
    // A file changed again within the same clock tick and to the same size would look
    // unchanged; files changed in the last seconds are therefore read again (as git does).
    let settled = SystemTime::now()
        .duration_since(modified)
        .is_ok_and(|age| age > RACY);
    settled.then(|| (m.len(), modified, m.ino()))
}

/// How old a file must be before its stamp is trusted.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// [`load`], reusing and refreshing `cache` when given.
pub fn load_with(
    root: &Path,
    config: &Config,
    cache: Option<&mut ParseCache>,
) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Some(cache) = cache else {
        let listing = list(root, &mut diags);
        let parsed: Vec<Result<Parsed, Diagnostics>> = listing
            .markdown
            .par_iter()
            .map(|(rel, path)| parse_file(root, rel, path, config))
            .collect();
        return finish(listing, diags, parsed);
    };
    cache.keep_only(config);
    let (listing, edited) = cache.listing(root, &mut diags);
    let parsed = cache.parse(root, config, &listing, edited.as_ref());
    finish(listing, diags, parsed)
}

impl ParseCache {
    /// Forgets everything when `config` is not the one the cache was filled with: a page's
    /// parse depends on it.
    fn keep_only(&mut self, config: &Config) {
        let key = config.key();
        if self.config != key {
            *self = ParseCache {
                config: key,
                ..ParseCache::default()
            };
        }
    }

    /// The files to load, and which Markdown files changed when the caller said so and the
    /// listing it knows still holds (`None`: compare every file's stamp). The folders are
    /// walked unless the caller named the edited files; a walk without problems is kept for
    /// the next load.
    fn listing(
        &mut self,
        root: &Path,
        diags: &mut Diagnostics,
    ) -> (Listing, Option<HashSet<String>>) {
        // This load sees every change made before it.
        let pending = std::mem::take(&mut self.pending);
        let edited = match (pending, &self.listing) {
            (Edits::Known(paths), Some(listing)) => edited_files(root, listing, &paths),
            _ => None,
        };
        let listing = match (&edited, &self.listing) {
            (Some(_), Some(listing)) => listing.clone(),
            _ => {
                let listing = list(root, diags);
                self.listing = diags.is_empty().then(|| listing.clone());
                listing
            }
        };
        (listing, edited)
    }

    /// Parses the Markdown files of `listing` that changed (those in `edited` when given,
    /// otherwise those whose stamp differs) and reuses the others, refreshing the cache.
    fn parse(
        &mut self,
        root: &Path,
        config: &Config,
        listing: &Listing,
        edited: Option<&HashSet<String>>,
    ) -> Vec<Result<Parsed, Diagnostics>> {
        // A copy of each file's result goes into the content (which the later stages
        // consume); the cache keeps its own. When the watcher named the edited files, the
        // listing is the one the cache holds: only their entries change, in place. Otherwise
        // the entries of unchanged files are moved over to a new map, so that those of files
        // that are gone drop out.
        let mut old = match edited {
            Some(_) => None,
            None => Some(std::mem::take(&mut self.files)),
        };
        let known = old.as_ref().unwrap_or(&self.files);
        let results: Vec<(Result<Parsed, Diagnostics>, Option<FileStamp>, bool)> = listing
            .markdown
            .par_iter()
            .map(|(rel, path)| {
                let unchanged = |s: &FileStamp| match edited {
                    Some(edited) => !edited.contains(rel.as_str()),
                    None => file_stamp(path) == Some(*s),
                };
                match known.get(rel) {
                    Some((s, p)) if unchanged(s) => (Ok(p.clone()), Some(*s), true),
                    _ => (parse_file(root, rel, path, config), file_stamp(path), false),
                }
            })
            .collect();
        for ((rel, _), (result, stamp, hit)) in listing.markdown.iter().zip(&results) {
            match (hit, stamp, result) {
                (true, _, _) => {
                    if let Some(entry) = old.as_mut().and_then(|old| old.remove(rel)) {
                        self.files.insert(rel.clone(), entry);
                    }
                }
                (false, Some(stamp), Ok(p)) => {
                    self.files.insert(rel.clone(), (*stamp, p.clone()));
                }
                _ => {
                    self.files.remove(rel);
                }
            }
        }
        results.into_iter().map(|(r, _, _)| r).collect()
    }
}

/// The Markdown files of `listing` (by path relative to `content/`) that `paths` name,
/// or `None` when a path is not one of them: a file the listing does not know, or one
/// under `static/`, means the folders must be walked again. Paths outside both folders
/// (templates, `site.toml`) do not change what is found there.
fn edited_files(
    root: &Path,
    listing: &Listing,
    paths: &HashSet<PathBuf>,
) -> Option<HashSet<String>> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let content_dir = canonical(&root.join("content"))?;
    let static_dir = canonical(&root.join("static"));
    let known: FxHashSet<&str> = listing
        .markdown
        .iter()
        .map(|(rel, _)| rel.as_str())
        .collect();
    let mut edited = HashSet::new();
    for path in paths {
        // Removed since the event: the folders changed.
        let path = canonical(path)?;
        if let Ok(rel) = path.strip_prefix(&content_dir) {
            let rel = rel_path(Path::new(""), rel)?;
            if !known.contains(rel.as_str()) {
                return None;
            }
            edited.insert(rel);
        } else if static_dir.as_ref().is_some_and(|d| path.starts_with(d)) {
            return None;
        }
    }
    Some(edited)
}

/// Every file under `content/` and `static/`.
fn list(root: &Path, diags: &mut Diagnostics) -> Listing {
    let mut listing = Listing {
        markdown: Vec::new(),
        assets: Vec::new(),
        static_files: Vec::new(),
    };
    for file in walk(root, &root.join("content"), false, diags) {
        if file.rel.ends_with(".md") {
            listing.markdown.push((file.rel, file.path));
        } else {
            listing.assets.push(file);
        }
    }
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        listing.static_files = walk(root, &static_dir, true, diags);
    }
    listing
}

/// The content of `listing`, with the results of its Markdown files (in the same order):
/// the problems of files that failed go to the diagnostics, and internal sections make
/// their pages internal.
fn finish(
    listing: Listing,
    mut diags: Diagnostics,
    parsed: Vec<Result<Parsed, Diagnostics>>,
) -> (Content, Diagnostics) {
    let mut content = Content {
        assets: listing.assets,
        static_files: listing.static_files,
        ..Content::default()
    };
    for p in parsed {
        match p {
            Ok(Parsed::Document(d)) => content.documents.push(d),
            Ok(Parsed::Section(s)) => content.sections.push(*s),
            Err(e) => diags.extend(e),
        }
    }
    content.all_markdown = listing.markdown.into_iter().map(|(rel, _)| rel).collect();
    inherit_visibility(&mut content);
    (content, diags)
}

/// Pages in a section whose `_index.md` says `zichtbaarheid = "intern"` are internal too,
/// whatever they say themselves: a folder marked internal stays internal as a whole, also
/// when a page in it is added later without the key.
fn inherit_visibility(content: &mut Content) {
    let intern: Vec<String> = content
        .sections
        .iter()
        .filter(|s| s.zichtbaarheid == Zichtbaarheid::Intern)
        .map(|s| s.source.section().to_owned())
        .collect();
    if intern.is_empty() {
        return;
    }
    for d in &mut content.documents {
        if d.common.zichtbaarheid != Zichtbaarheid::Intern
            && intern.iter().any(|s| s == d.source.section())
        {
            std::sync::Arc::make_mut(d).common.zichtbaarheid = Zichtbaarheid::Intern;
        }
    }
}

/// Every file under `dir` (symbolic links followed, hidden files skipped), sorted by path.
/// A symbolic link that leads out of the site folder is refused: it would publish whatever
/// it points at (`/etc`, a home folder). Markdown files get no size unless `markdown_sized`:
/// under `content/` they are parsed, never published as they are, and asking for the size
/// would cost a lookup per page.
fn walk(root: &Path, dir: &Path, markdown_sized: bool, diags: &mut Diagnostics) -> Vec<Asset> {
    let mut files = Vec::new();
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Sorted once at the end rather than by walkdir folder by folder: its comparisons
    // take each entry's file name apart from its whole path again, which for a folder of
    // 10,000 letters was about 30% of the instructions of a rebuild that walks again.
    let mut it = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !file_name(e.path()).starts_with(b"."));
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_problem(root, dir, &e));
                continue;
            }
        };
        if let Some(problem) = link_out_of(&site, root, &entry) {
            diags.push(problem);
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = rel_path(dir, entry.path()) else {
            diags.push(
                Diagnostic::in_file(shown(root, entry.path()), "file name is not valid UTF-8")
                    .with_help("rename the file"),
            );
            continue;
        };
        let size = if !markdown_sized && rel.ends_with(".md") {
            0
        } else {
            entry.metadata().map(|m| m.len()).unwrap_or(0)
        };
        files.push(Asset {
            rel,
            path: entry.into_path(),
            size,
        });
    }
    files.sort_unstable_by(|a, b| path_order(&a.rel, &b.rel));
    files
}

/// Relative paths name by name, the order of a walk that lists every folder in name order:
/// byte order with `/` below every other byte, as names hold no `/`.
fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let rank = |c: Option<&u8>| c.map(|&c| if c == b'/' { 0 } else { u16::from(c) + 1 });
    rank(a.get(same)).cmp(&rank(b.get(same)))
}

/// The last component of a path as walkdir makes them (joined, never ending in `/`).
fn file_name(path: &Path) -> &[u8] {
    let b = path.as_os_str().as_bytes();
    b.rsplit(|&c| c == b'/').next().unwrap_or(b)
}

/// The problem of a walk that could not read an entry (`dir` when it names none).
fn walk_problem(root: &Path, dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let d = Diagnostic::in_file(shown(root, &path), walk_error(e));
    if e.loop_ancestor().is_none() && e.io_error().is_some() {
        d.io()
    } else {
        d
    }
}

fn walk_error(e: &walkdir::Error) -> String {
    if e.loop_ancestor().is_some() {
        "symbolic link loop; the link is skipped".to_owned()
    } else if let Some(io) = e.io_error() {
        format!("could not read: {io}")
    } else {
        e.to_string()
    }
}

/// The problem of `entry` when it is a symbolic link that leads out of the folder `site`
/// (the site folder, canonical).
fn link_out_of(site: &Path, root: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    if !entry.path_is_symlink() {
        return None;
    }
    let target = std::fs::canonicalize(entry.path()).ok()?;
    (!target.starts_with(site)).then(|| {
        Diagnostic::in_file(
            shown(root, entry.path()),
            format!(
                "symbolic link to {}, outside the site folder; it is skipped",
                target.display()
            ),
        )
        .with_help("copy the file into the site instead of linking to it")
    })
}

fn rel_path(dir: &Path, path: &Path) -> Option<String> {
    if let Some(rest) = fsutil::joined_below(dir, path) {
        return std::str::from_utf8(rest).ok().map(str::to_owned);
    }
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn parse_file(root: &Path, rel: &str, path: &Path, config: &Config) -> Result<Parsed, Diagnostics> {
    let shown = shown(root, path);
    let bytes = fsutil::read(path, &shown)?;
    // The hash is of the file as stored, before any BOM or CRLF is removed.
    let sha256 = crate::digest::sha256_hex(&bytes);
    let release = !keeps_bodies(config);
    let hash = if release { xxh3_64(&bytes) } else { 0 };
    let text = fsutil::decode_text(bytes, &shown)?;
    let mut parsed = parse_text(rel, shown, text, sha256, config)?;
    if let Parsed::Document(doc) = &mut parsed
        && release
        && let Some(doc) = std::sync::Arc::get_mut(doc)
    {
        doc.source.release_body(path, hash);
    }
    Ok(parsed)
}

/// Whether parsed pages keep their Markdown body in memory until the site is rendered.
/// Only when the site makes PDFs: their typesetting reads the source of each page as a
/// whole. Otherwise a body is let go once its file is parsed and read again when its page
/// is rendered ([`Source::loaded`]), so that the memory a build needs does not grow with
/// the text of every page (700 MB of Markdown at 100,000 letters); the section intros
/// are few and kept.
fn keeps_bodies(config: &Config) -> bool {
    config.pdf.enabled
}

impl Content {
    /// Loads the glossary and takes `begrippen.toml` out of the files published as they
    /// are: it becomes the glossary page instead.
    pub fn attach_glossary(&mut self, root: &Path, diags: &mut Diagnostics) {
        self.assets.retain(|a| a.rel != glossary::FILE);
        match glossary::load(root) {
            Ok(g) => self.glossary = g,
            Err(e) => diags.extend(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn paths_sort_name_by_name(mut paths in proptest::collection::vec("[a-c./-]{1,3}(/[a-c.-]{1,3}){0,2}", 0..12)) {
            let mut by_names = paths.clone();
            by_names.sort_by(|a, b| a.split('/').cmp(b.split('/')));
            paths.sort_by(|a, b| path_order(a, b));
            proptest::prop_assert_eq!(paths, by_names);
        }
    }

    #[test]
    fn a_body_let_go_is_read_again_and_a_changed_file_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("content/brieven/2026-05-07-x.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text =
            "\u{feff}+++\r\ntitle = \"X\"\r\ndate = 2026-05-07\r\n+++\r\n## Kop\r\n\r\nTekst.\r\n";
        std::fs::write(&path, text).unwrap();
        // Bodies are kept when the site makes PDFs; this site makes none, with or without
        // the feature.
        let config = crate::config::parse("title = \"T\"\n[pdf]\nenabled = false\n").unwrap();
        let Ok(Parsed::Document(doc)) =
            parse_file(root.path(), "brieven/2026-05-07-x.md", &path, &config)
        else {
            panic!("the letter parses")
        };
        assert!(!doc.source.text.contains("Kop"), "the body is let go");
        let loaded = doc.source.loaded().unwrap();
        assert_eq!(loaded.body(), "## Kop\n\nTekst.\n");
        assert_eq!(loaded.front(), doc.source.front());
        std::fs::write(&path, text.replace("Tekst", "Anders")).unwrap();
        let e = doc.source.loaded().unwrap_err();
        assert_eq!(e.message, "the file changed while the site was built");
        assert!(
            e.to_string().contains("content/brieven/2026-05-07-x.md"),
            "{e}"
        );
    }

    #[test]
    fn a_folder_comes_before_names_that_extend_its_name() {
        let mut paths = vec!["a-b.md", "a/z.md", "a.md", "a/b/c.md"];
        paths.sort_by(|a, b| path_order(a, b));
        assert_eq!(paths, ["a/b/c.md", "a/z.md", "a-b.md", "a.md"]);
    }
}
