//! Loading the theme's templates and static files; a site's own `templates/` and `static/`
//! win over the theme's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;

/// Compiled templates and the theme's static files.
pub struct Theme {
    /// The compiled templates, by name (`brief.html`).
    pub tera: Tera,
    /// Theme static files: (path relative to the output root, file to copy).
    pub static_files: Vec<(String, PathBuf)>,
    /// The file each template was read from (relative to the site root), by name.
    pub paths: BTreeMap<String, PathBuf>,
    /// Hash of every template's name and text: pages rendered with an equal fingerprint
    /// and equal data are equal.
    pub fingerprint: u128,
}

/// Loads `themes/<theme>/templates` with `templates/` of the site laid over it.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
    let theme_dir = root.join("themes").join(&config.theme);
    if !theme_dir.is_dir() {
        return Err(Diagnostic::in_file(
            "site.toml",
            format!(
                "theme \"{}\" not found: no folder themes/{}",
                config.theme, config.theme
            ),
        )
        .with_help("copy a theme into themes/ or set theme = \"raad\"")
        .into());
    }
    let mut diags = Diagnostics::new();
    let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (name, path) in files(&dir) {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            match fsutil::read_text(&path, &shown) {
                Ok(text) => {
                    sources.insert(name, (shown, text));
                }
                Err(d) => diags.push(d),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let paths: BTreeMap<String, PathBuf> = sources
        .iter()
        .map(|(n, (shown, _))| (n.clone(), shown.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n, t))) {
        let message = format!("templates could not be loaded: {}", error_chain(&e));
        diags.push(match template_location(&e, &paths) {
            Some((file, line, column)) => Diagnostic::in_file(file, message).at(line, column),
            None => Diagnostic::general(message),
        });
    }
    let static_files = files(&theme_dir.join("static"));
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (name, (_, text)) in &sources {
        for part in [name.as_bytes(), b"\0", text.as_bytes(), b"\0"] {
            hasher.update(part);
        }
    }
    diags.into_result(Theme {
        tera,
        static_files,
        paths,
        fingerprint: hasher.digest128(),
    })
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
