//! Links and images as written to links in the output: a scheme that is not allowed is
//! refused, external links are kept, a `#fragment` of the page itself is checked later, and
//! a path into `content/` or `static/` becomes the relative link to what it is published as.

use std::borrow::Cow;

use pulldown_cmark::CowStr;

use crate::content::Source;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::links;

use super::{AnchorRef, Anchored, Published, SiteView};

/// The page whose links are rewritten, and what they may point at.
pub(super) struct Rewriter<'r, S: ?Sized> {
    /// The page's file.
    pub(super) source: &'r Source,
    /// The prefix from the page's output folder back to the site root.
    pub(super) root: &'r str,
    /// The resolved site.
    pub(super) site: &'r S,
}

impl<S: SiteView + ?Sized> Rewriter<'_, S> {
    /// The output link for `dest`, or `None` to keep it as it is. `at` is where the link is
    /// written; fragments to check later go to `refs`, broken links to `diags`.
    pub(super) fn rewrite<'a>(
        &self,
        dest: &str,
        at: &impl Fn() -> Position,
        refs: &mut Vec<AnchorRef>,
        diags: &mut Diagnostics,
    ) -> Option<CowStr<'a>> {
        // A scheme ends at a colon: most links, relative ones, have none and need no parsing.
        if dest.contains(':') && self.refuse_scheme(dest, at, diags) {
            // Never published as written, also not in a page that is rendered anyway.
            return Some(CowStr::Borrowed(""));
        }
        if links::is_external(dest) || dest.is_empty() {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.is_empty() {
            if let Some(f) = fragment {
                refs.push(AnchorRef {
                    target: Anchored::Same,
                    anchor: f.to_owned(),
                    position: at(),
                });
            }
            return None;
        }
        let url = self.published(dest, path, fragment, at, refs, diags)?;
        let mut link = String::with_capacity(
            self.root.len() + url.len() + fragment.map_or(0, |f| f.len() + 1),
        );
        link.push_str(self.root);
        link.push_str(&url);
        if let Some(f) = fragment {
            link.push('#');
            link.push_str(f);
        }
        Some(link.into())
    }

    /// Whether `dest` uses a scheme that is not allowed (unless raw HTML is), reported.
    fn refuse_scheme(
        &self,
        dest: &str,
        at: &impl Fn() -> Position,
        diags: &mut Diagnostics,
    ) -> bool {
        let Some(scheme) = crate::sanitize::scheme(dest) else {
            return false;
        };
        if crate::sanitize::is_allowed_scheme(&scheme) || self.site.allow_raw_html() {
            return false;
        }
        diags.push(
            Diagnostic::in_file(
                &self.source.shown,
                format!("link \"{dest}\" uses the scheme {scheme}:, which is not allowed"),
            )
            .at_opt(Some(at()))
            .with_help("link to a page, a file, or an https: or mailto: address"),
        );
        true
    }

    /// The URL (from the site root) of what `path` (of the link `dest`) points at, or `None`
    /// when it is not published: outside `content/`, missing, a draft or internal page
    /// (reported), or a file that failed to load (reported already). A `fragment` of a
    /// page goes to `refs`.
    fn published<'s>(
        &'s self,
        dest: &str,
        path: &str,
        fragment: Option<&str>,
        at: &impl Fn() -> Position,
        refs: &mut Vec<AnchorRef>,
        diags: &mut Diagnostics,
    ) -> Option<Cow<'s, str>> {
        let error = |msg: String| Diagnostic::in_file(&self.source.shown, msg).at_opt(Some(at()));
        let Some(rel) = links::resolve(self.source.dir(), &links::percent_decode(path)) else {
            diags.push(error(format!("link \"{dest}\" points outside content/")));
            return None;
        };
        let Some(target) = self.site.target(&rel) else {
            diags.push(
                error(format!("link to a missing file \"{dest}\"")).with_help(
                    "link to a .md file under content/, relative to this file or starting with /",
                ),
            );
            return None;
        };
        match target {
            Published::Page(i, url) => {
                if let Some(f) = fragment {
                    refs.push(AnchorRef {
                        target: Anchored::Page(i),
                        anchor: f.to_owned(),
                        position: at(),
                    });
                }
                Some(Cow::Borrowed(url))
            }
            Published::List(url) => Some(Cow::Borrowed(url)),
            Published::File(out) => Some(Cow::Owned(links::encode_path(out))),
            Published::Static => Some(Cow::Owned(links::encode_path(&rel))),
            Published::Draft => {
                diags.push(
                    error(format!(
                        "link \"{dest}\" points to a draft, which is not published"
                    ))
                    .with_help("publish the page (draft = false) or remove the link"),
                );
                None
            }
            Published::Intern => {
                diags.push(
                    error(format!(
                        "link \"{dest}\" points to an internal page or file, which the openbaar profile leaves out"
                    ))
                    .with_help(
                        "remove the link, or set zichtbaarheid = \"openbaar\" on the page it points to",
                    ),
                );
                None
            }
            Published::Personal => {
                diags.push(
                    error(format!(
                        "link \"{dest}\" points to a file with personal details (a bijlage with persoonsgegevens = true), which the openbaar profile leaves out"
                    ))
                    .with_help(
                        "remove the link, or remove persoonsgegevens = true from the bijlage if the file holds none",
                    ),
                );
                None
            }
            Published::Broken => None,
        }
    }
}
