//! Rendering one page through its template: the frame every template gets (`root`, `url`,
//! `sectie`, `permalink` and the page's data), the site view in the global context, and the
//! keys by which an incremental render knows a page is unchanged.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::{Context, Tera};

use super::{Out, Renderer, cache, lock, theme};
use crate::artifact::OutputFile;
use crate::content::Source;
use crate::diagnostics::Diagnostic;
use crate::feeds::View;
use crate::links;
use crate::site::Site;
use crate::views::{GemeenteView, Link, SiteView};

impl Renderer<'_> {
    pub(super) fn page<T: Serialize>(
        &self,
        url: &str,
        template: &str,
        source: Option<&Source>,
        data: T,
    ) -> Result<Out, Diagnostic> {
        self.page_with(url, None, template, source, data)
    }

    /// Renders `data` at `url` with the author's `chosen` template or else `default`.
    pub(super) fn page_with<T: Serialize>(
        &self,
        url: &str,
        chosen: Option<&str>,
        default: &str,
        source: Option<&Source>,
        data: T,
    ) -> Result<Out, Diagnostic> {
        let frame = self.frame(url, data);
        if self.unchanged(url, chosen.unwrap_or(default), &frame, 0) {
            return Ok(Out::Kept(url.to_owned()));
        }
        self.render_frame(chosen, default, source, &frame)
            .map(Out::File)
    }

    pub(super) fn frame<'u, T: Serialize>(&self, url: &'u str, data: T) -> Frame<'u, T> {
        Frame {
            root: links::root_prefix(url),
            url,
            sectie: url.split_once('/').map_or("", |(first, _)| first),
            permalink: self
                .site
                .config
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", url.strip_suffix("index.html").unwrap_or(url))),
            data,
        }
    }

    /// In an incremental render: records the key of the page at `url` (its template, its
    /// data and `extra`) and tells whether it is the key the published page was made from.
    pub(super) fn unchanged<T: Serialize>(
        &self,
        url: &str,
        template: &str,
        frame: &Frame<'_, T>,
        extra: cache::Key,
    ) -> bool {
        if self.reuse.is_none() {
            return false;
        }
        let key = cache::Hasher::new()
            .key(self.environment)
            .bytes(template.as_bytes())
            .value(frame)
            .key(extra)
            .finish();
        self.unchanged_key(url, key)
    }

    /// In an incremental render: records `key` as the key of the page at `url` and tells
    /// whether the published page was made from the same.
    pub(super) fn unchanged_key(&self, url: &str, key: cache::Key) -> bool {
        let (Some(reuse), Some(fresh)) = (self.reuse, self.fresh) else {
            return false;
        };
        lock(&fresh.outputs).insert(url.to_owned(), key);
        reuse.cache.outputs.get(url) == Some(&key)
    }

    pub(super) fn render_frame<T: Serialize>(
        &self,
        chosen: Option<&str>,
        default: &str,
        source: Option<&Source>,
        frame: &Frame<'_, T>,
    ) -> Result<OutputFile, Diagnostic> {
        let template = chosen.unwrap_or(default);
        let blame = |message: String| match source {
            Some(src) if chosen.is_some() => src.error_at_key("template", message),
            _ => Diagnostic::general(message),
        };
        if !self.tera.contains_template(template) {
            return Err(not_found(template, blame));
        }
        // The frame's own keys, then the data's, as `Frame` serialises them; built by hand
        // because serialising the flattened frame makes a map with a string per key.
        let mut context = Context::new();
        context.insert("root", &frame.root);
        context.insert("url", frame.url);
        context.insert("sectie", frame.sectie);
        context.insert("permalink", &frame.permalink);
        let data = tera::Value::try_from_serializable(&frame.data).map_err(|e| {
            blame(format!(
                "could not pass data to template \"{template}\": {e}"
            ))
        })?;
        for (key, value) in data.into_map().into_iter().flatten() {
            let key: Cow<'static, str> = match key {
                tera::value::Key::Str(k) => k.into(),
                k => k.to_string().into(),
            };
            context.insert_value(key, value);
        }
        // Rendered into bytes, which is what is written: `render` would check the whole page
        // is UTF-8 again to make a String. Sized after the last page this thread rendered,
        // so that the buffer seldom grows.
        thread_local! {
            static LAST_SIZE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let mut html = Vec::with_capacity(LAST_SIZE.get() * 5 / 4 + 4096);
        self.tera
            .render_to(template, &context, &mut html)
            .map_err(|e| {
                // Point at the template line; name the page when its author chose the template.
                match failed(&e, template, self.paths) {
                    Ok(d) => match source {
                        Some(src) if chosen.is_some() => d.with_help(format!(
                            "chosen by template = \"{template}\" in {}",
                            src.shown.display()
                        )),
                        _ => d,
                    },
                    Err(message) => blame(message),
                }
            })?;
        LAST_SIZE.set(html.len());
        Ok(OutputFile {
            path: frame.url.to_owned(),
            bytes: html,
        })
    }
}

/// Renders a generated file that is a template of its own (a feed, the sitemap,
/// `robots.txt`): its view under its name, besides `site`.
pub(super) fn render_file<T: Serialize>(
    tera: &Tera,
    paths: &BTreeMap<String, PathBuf>,
    view: &View<T>,
) -> Result<OutputFile, Diagnostic> {
    let template = view.template;
    if !tera.contains_template(template) {
        return Err(not_found(template, Diagnostic::general));
    }
    let mut context = Context::new();
    context.insert(view.name, &view.data);
    let mut bytes = Vec::new();
    tera.render_to(template, &context, &mut bytes)
        .map_err(|e| failed(&e, template, paths).unwrap_or_else(Diagnostic::general))?;
    Ok(OutputFile {
        path: view.path.clone(),
        bytes,
    })
}

/// The error for a template that neither the theme nor the site has, made by `blame` (which
/// may name the page that chose it).
fn not_found(template: &str, blame: impl FnOnce(String) -> Diagnostic) -> Diagnostic {
    blame(format!("template \"{template}\" not found"))
        .with_help("add it to templates/ or to the theme's templates/")
}

/// The error of `template` failing to render: at the template's line when Tera names one
/// (`Ok`), else only its message (`Err`), for the caller to place.
fn failed(
    e: &tera::Error,
    template: &str,
    paths: &BTreeMap<String, PathBuf>,
) -> Result<Diagnostic, String> {
    let message = format!("template \"{template}\" failed: {}", theme::error_chain(e));
    match theme::template_location(e, paths) {
        Some((file, line, column)) => Ok(Diagnostic::in_file(file, message).at(line, column)),
        None => Err(message),
    }
}

/// The context every template gets besides `site`.
#[derive(Serialize)]
pub(super) struct Frame<'a, T: Serialize> {
    /// Prefix from this page back to the site root ("../../").
    root: String,
    /// This page's output path.
    url: &'a str,
    /// The first folder of `url` ("brieven" for "brieven/x/index.html"), empty for a page at
    /// the top: a menu marks its section by comparing it, which is cheaper for Tera than a
    /// test on `url` for each menu item on every page.
    sectie: &'a str,
    /// Absolute URL of this page when `base_url` is set.
    permalink: Option<String>,
    #[serde(flatten)]
    data: T,
}

/// What templates get as `site`.
pub(super) fn site_view(site: &Site) -> SiteView {
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: site.config.base_url.clone(),
        gemeenten: site.config.gemeenten.iter().map(GemeenteView::of).collect(),
        sections: site
            .sections
            .iter()
            .map(|s| Link {
                name: s.title.clone(),
                url: s.url.clone(),
            })
            .collect(),
        feed: crate::feeds::letters_feed(site).map(str::to_owned),
        begrippen: (!site.glossary.is_empty()).then(|| crate::glossary::URL.to_owned()),
    }
}
