//! Loading the theme's templates and static files, in three layers that override one
//! another file by file: the built-in theme (compiled into the binary, see `build.rs`), the
//! site's `themes/<theme>/`, and the site's own `templates/` and `static/`.
//!
//! The site's `static/` is not read here: the content stage collects it (so that letters
//! can name its files as attachments), and the render stage leaves out every theme static
//! file that `static/` has too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

/// A built-in theme's files: path inside the theme folder (`templates/base.html`), and
/// bytes; sorted by path.
pub type Files = &'static [(&'static str, &'static [u8])];

// `BUILTIN_THEMES`, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/builtin_themes.rs"));

/// The name of the theme a site gets when `site.toml` names none.
pub const DEFAULT: &str = "raad";

/// A theme compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Its name, as `theme = "..."` in `site.toml` gives it.
    pub name: &'static str,
    /// Its files.
    pub files: Files,
}

impl Builtin {
    /// How a file of this theme is named in messages: `raad (ingebouwd)/templates/x.html`.
    pub fn shown(&self, rel: &str) -> PathBuf {
        PathBuf::from(format!("{} (ingebouwd)/{rel}", self.name))
    }
}

/// The built-in theme called `name`, if there is one.
pub fn builtin(name: &str) -> Option<Builtin> {
    BUILTIN_THEMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(name, files)| Builtin { name, files })
}

/// The names of the built-in themes.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN_THEMES.iter().map(|(n, _)| *n).collect()
}

/// A hash of every built-in theme's file names and bytes, made once: a build's inputs
/// include the built-in theme as much as the files on disk.
pub fn builtin_fingerprint() -> u128 {
    static HASH: OnceLock<u128> = OnceLock::new();
    *HASH.get_or_init(|| {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, files) in BUILTIN_THEMES {
            hasher.update(name.as_bytes());
            for (rel, bytes) in *files {
                for part in [b"\0", rel.as_bytes(), b"\0", bytes] {
                    hasher.update(part);
                }
            }
        }
        hasher.digest128()
    })
}

/// Where a theme's static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticFile {
    /// A file of the site's `themes/<theme>/static/`, copied as it is.
    Disk(PathBuf),
    /// A file of the built-in theme, written from these bytes.
    Builtin(&'static [u8]),
}

/// Compiled templates and the theme's static files.
pub struct Theme {
    /// The compiled templates, by name (`brief.html`).
    pub tera: Tera,
    /// Theme static files: path relative to the output root, and where its bytes come from.
    /// The site's `static/` is not among them (see the module documentation).
    pub static_files: Vec<(String, StaticFile)>,
    /// The file each template was read from (relative to the site root, or as
    /// [`Builtin::shown`] names it), by name.
    pub paths: BTreeMap<String, PathBuf>,
    /// The PDF templates (Typst, `brief.typ`): by name, the file each was read from and its
    /// text; laid over each other as the HTML templates are.
    pub typst: BTreeMap<String, (PathBuf, String)>,
    /// Hash of every template's name and text, built-in ones included: pages rendered with
    /// an equal fingerprint and equal data are equal.
    pub fingerprint: u128,
}

/// A template's source: the file it is shown as, and its text.
type Sources = BTreeMap<String, (PathBuf, String)>;

/// Loads the templates of the built-in theme named in `config` (if any), with the site's
/// `themes/<theme>/templates` and then its `templates/` laid over them, and the static
/// files of the built-in theme with `themes/<theme>/static` laid over them.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
    let theme_dir = root.join("themes").join(&config.theme);
    let builtin = builtin(&config.theme);
    if builtin.is_none() && !theme_dir.is_dir() {
        return Err(unknown(root, &config.theme).into());
    }
    let mut diags = Diagnostics::new();
    let mut sources = Sources::new();
    if let Some(b) = builtin {
        builtin_templates(b, &mut sources, &mut diags);
    }
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        disk_templates(root, &dir, &mut sources, &mut diags);
    }
    let paths: BTreeMap<String, PathBuf> = sources
        .iter()
        .map(|(n, (shown, _))| (n.clone(), shown.clone()))
        .collect();
    let fingerprint = fingerprint(&sources);
    // The PDF templates (`brief.typ`, `opgave.typ`) are Typst, not Tera.
    let typst: Sources = sources.extract_if(.., |n, _| n.ends_with(".typ")).collect();
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("xml", XmlFilter);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n, t))) {
        let message = format!("templates could not be loaded: {}", error_chain(&e));
        diags.push(match template_location(&e, &paths) {
            Some((file, line, column)) => Diagnostic::in_file(file, message).at(line, column),
            None => Diagnostic::general(message),
        });
    }
    diags.into_result(Theme {
        tera,
        static_files: static_files(builtin, &theme_dir),
        paths,
        typst,
        fingerprint,
    })
}

/// Hash of every template's name and text.
fn fingerprint(sources: &Sources) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (name, (_, text)) in sources {
        for part in [name.as_bytes(), b"\0", text.as_bytes(), b"\0"] {
            hasher.update(part);
        }
    }
    hasher.digest128()
}

/// The error for a theme that is neither a folder of the site nor built in, at the line of
/// `theme = ...` in the site's `site.toml`.
fn unknown(root: &Path, theme: &str) -> Diagnostic {
    let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let names = builtin_names()
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    crate::config::at(
        &text,
        "theme",
        format!(
            "theme \"{theme}\" not found: the site has no folder themes/{theme}/, and no theme \
             of that name is built in (built in: {names})"
        ),
    )
    .with_help(format!(
        "set theme = \"{DEFAULT}\" for the built-in theme, or put the theme's templates/ and \
         static/ in themes/{theme}/"
    ))
}

/// Adds the templates of the built-in theme `b`.
fn builtin_templates(b: Builtin, sources: &mut Sources, diags: &mut Diagnostics) {
    for (rel, bytes) in b.files {
        let Some(name) = rel.strip_prefix("templates/") else {
            continue;
        };
        let shown = b.shown(rel);
        match fsutil::decode_text(bytes.to_vec(), &shown) {
            Ok(text) => {
                sources.insert(name.to_owned(), (shown, text));
            }
            Err(d) => diags.push(d),
        }
    }
}

/// Adds (or puts in place of one of the same name) every template under `dir`.
fn disk_templates(root: &Path, dir: &Path, sources: &mut Sources, diags: &mut Diagnostics) {
    for (name, path) in files(dir) {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match fsutil::read_text(&path, &shown) {
            Ok(text) => {
                sources.insert(name, (shown, text));
            }
            Err(d) => diags.push(d),
        }
    }
}

/// The static files of the built-in theme `builtin`, with those of `theme_dir/static` in
/// place of the ones of the same path; sorted by path.
fn static_files(builtin: Option<Builtin>, theme_dir: &Path) -> Vec<(String, StaticFile)> {
    let mut out: BTreeMap<String, StaticFile> = BTreeMap::new();
    if let Some(b) = builtin {
        for (rel, bytes) in b.files {
            if let Some(rel) = rel.strip_prefix("static/") {
                out.insert(rel.to_owned(), StaticFile::Builtin(bytes));
            }
        }
    }
    for (rel, path) in files(&theme_dir.join("static")) {
        out.insert(rel, StaticFile::Disk(path));
    }
    out.into_iter().collect()
}

/// Writes the built-in theme [`DEFAULT`] into `root/themes/<name>/`, for a site that wants
/// to change all of it, and returns the paths written (relative to `root`). Refuses, and
/// writes nothing, when any of those files exists already, unless `force`.
pub fn export(root: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostics> {
    fsutil::site_folder(root)?;
    let Some(b) = builtin(DEFAULT) else {
        return Err(Diagnostic::general("no theme is built into this raadsite").into());
    };
    let files: Vec<(PathBuf, &[u8])> = b
        .files
        .iter()
        .map(|(rel, bytes)| (Path::new("themes").join(b.name).join(rel), *bytes))
        .collect();
    let existing: Vec<&PathBuf> = files
        .iter()
        .map(|(rel, _)| rel)
        .filter(|rel| root.join(rel).symlink_metadata().is_ok())
        .collect();
    if !force && !existing.is_empty() {
        let mut diags: Diagnostics = existing
            .iter()
            .map(|rel| Diagnostic::in_file(root.join(rel), "the file already exists").io())
            .collect();
        diags.push(
            Diagnostic::general(format!(
                "{} file{} of the theme already exist{}; nothing was written",
                existing.len(),
                if existing.len() == 1 { "" } else { "s" },
                if existing.len() == 1 { "s" } else { "" },
            ))
            .with_help("pass --force to overwrite them (changes made in them are lost)")
            .io(),
        );
        return Err(diags);
    }
    for (rel, bytes) in &files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fsutil::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).map_err(|e| fsutil::io_error(&path, "could not write", &e))?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// The template file, line and column a Tera error points at, found anywhere in its chain.
pub fn template_location(
    e: &(dyn std::error::Error + 'static),
    paths: &BTreeMap<String, PathBuf>,
) -> Option<(PathBuf, usize, usize)> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = t.kind()
        {
            let file = paths
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(r.filename()));
            return Some((file, r.span().start_line, r.span().start_col + 1));
        }
        cur = err.source();
    }
    // Some errors (unknown filters, tests, functions) only come as a finished report with a
    // ` --> name:line:column` line.
    let text = error_chain(e);
    let loc = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = loc.rsplitn(3, ':');
    let column: usize = parts.next()?.trim().parse().ok()?;
    let line: usize = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?;
    let file = paths.get(name)?.clone();
    Some((file, line, column))
}

/// Files under `dir` as (path relative to `dir` with `/`, full path), sorted.
fn files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some((parts?.join("/"), e.path().to_path_buf()))
        })
        .collect()
}

/// A Tera error with every cause: Tera puts the real reason one or more levels down.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str("\n  caused by: ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

/// `{{ value | xml }}`: escapes text for XML with [`crate::escape::xml`] (`&apos;` for an
/// apostrophe, control characters dropped), for the XML templates (`atom.xml`,
/// `sitemap.xml`). Marked safe, so autoescaping does not escape it again; a value printed
/// without it is still escaped, as HTML, which is valid XML too.
struct XmlFilter;

impl<'a> tera::Filter<&'a str, String> for XmlFilter {
    fn call(&self, value: &'a str, _: tera::Kwargs, _: &tera::State) -> String {
        crate::escape::xml(value)
    }

    fn is_safe(&self) -> bool {
        true
    }
}
