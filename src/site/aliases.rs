//! Aliases: old output paths of a page (`aliases = ["brieven/oude-naam/"]`) that keep
//! working after a file is renamed. Each becomes a small page that sends the reader on to
//! the page's current, relative location, so it also works from disk and under a sub-path.

use super::Page;
use super::claims::Claims;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;

/// A redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Output path of the redirect page: `brieven/oude-naam/index.html`.
    pub url: String,
    /// The page it leads to (index into `Site::pages`).
    pub page: usize,
}

/// The output file an alias as written by an author stands for: a folder (`oud/`, or a
/// path without extension) means its `index.html`; `None` when it is no plain path
/// inside the site.
pub fn output_path(alias: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() || links::is_external(alias) || alias.contains(['?', '#']) {
        return None;
    }
    let rel = links::resolve("", alias)?;
    let last = rel.rsplit('/').next().unwrap_or(&rel);
    let is_file = !alias.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm"));
    Some(if is_file {
        rel
    } else {
        format!("{rel}/index.html")
    })
}

/// Checks every page's aliases and claims their output paths; run after every other output
/// path is claimed, so a collision names the alias.
pub(crate) fn resolve(pages: &[Page], claims: &mut Claims, diags: &mut Diagnostics) -> Vec<Alias> {
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for (j, alias) in p.doc.common.aliases.iter().enumerate() {
            match claim(p, j, alias, claims) {
                Ok(url) => out.push(Alias { url, page: i }),
                Err(d) => diags.push(d),
            }
        }
    }
    out.sort_by(|a, b| a.url.cmp(&b.url));
    out
}

/// Claims the output path of `alias`, item `j` of page `p`'s `aliases`; the problem when
/// it is no path inside the site, is the page's own path, needs a folder where another
/// file is written, or is taken.
fn claim(p: &Page, j: usize, alias: &str, claims: &mut Claims) -> Result<String, Diagnostic> {
    let source = &p.doc.source;
    // Made only for a message: most aliases have none.
    let at = || format!("aliases[{j}]");
    let Some(url) = output_path(alias) else {
        return Err(source
            .error_at_key(
                &at(),
                format!("alias \"{alias}\" is not a path inside the site"),
            )
            .with_help(
                "write the old path relative to the site root, e.g. \"brieven/oude-naam/\"",
            ));
    };
    if url == p.url {
        return Err(source.error_at_key(&at(), format!("alias \"{alias}\" is the page's own path")));
    }
    // A folder of the alias may not be a file someone else writes.
    let file_in_the_way = url
        .match_indices('/')
        .map(|(at, _)| &url[..at])
        .find_map(|dir| claims.holder(dir).map(|h| (dir.to_owned(), h.into_owned())));
    if let Some((dir, holder)) = file_in_the_way {
        return Err(source
            .error_at_key(
                &at(),
                format!("alias \"{alias}\" needs a folder {dir}, but that is a file: {holder}"),
            )
            .with_help("end the alias in .html or choose another path"));
    }
    let by = format!("alias \"{alias}\" of {}", source.shown.display());
    if let Err(first) = claims.take(&url, by) {
        return Err(source
            .error_at_key(
                &at(),
                format!("alias \"{alias}\" would overwrite {url}, which is {first}"),
            )
            .with_help("remove the alias or choose another path"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::output_path;

    #[test]
    fn paths() {
        assert_eq!(
            output_path("brieven/oud/").as_deref(),
            Some("brieven/oud/index.html")
        );
        assert_eq!(
            output_path("/brieven/oud").as_deref(),
            Some("brieven/oud/index.html")
        );
        assert_eq!(output_path("oud/pad.html").as_deref(), Some("oud/pad.html"));
        assert_eq!(output_path("../buiten/"), None);
        assert_eq!(output_path("https://example.nl/x"), None);
        assert_eq!(output_path(""), None);
    }
}
