//! Entry points for the fuzz targets in `fuzz/` and for property tests. Not part of the
//! supported API: they run one stage of the pipeline on text instead of on a site folder.

use std::path::PathBuf;

use crate::config::{self, Config};
use crate::content::{self, Asset, Content, Parsed};
use crate::diagnostics::Diagnostics;
use crate::{markdown, site};

const SITE_TOML: &str = "title = \"Fuzz\"\n\n[[gemeenten]]\nnaam = \"Almelo\"\ncode = \"GM0141\"\n";

fn config() -> Config {
    config::parse(SITE_TOML).unwrap_or_else(|_| unreachable!("the fuzz site.toml is valid"))
}

/// Splits and types `text` as a letter, an opgave, a plain page and a section intro; returns
/// the problems found. Must never panic, whatever `text` is.
pub fn front_matter(text: &str) -> Vec<Diagnostics> {
    let config = config();
    [
        "brieven/2026-05-07-x.md",
        "opgaven/01-x.md",
        "info/x.md",
        "brieven/_index.md",
    ]
    .into_iter()
    .filter_map(|rel| {
        content::parse_text(rel, PathBuf::from("content").join(rel), text, &config).err()
    })
    .collect()
}

/// Renders `body` as the Markdown of a letter in a small site with an opgave, a page and an
/// attachment to link to, with raw HTML sanitised or trusted; returns the HTML and the
/// problems found. Must never panic, whatever `body` is.
pub fn markdown(body: &str, allow_raw_html: bool) -> (String, Diagnostics) {
    let mut config = config();
    config.markdown.allow_raw_html = allow_raw_html;
    let mut content = Content::default();
    let files = [
        (
            "brieven/2026-05-07-fuzz.md",
            "+++\ntitle = \"Fuzz\"\ndate = 2026-05-07\n+++\n",
        ),
        (
            "opgaven/01-een.md",
            "+++\ntitle = \"Een\"\nnummer = 1\n+++\n## Doel\n",
        ),
        ("info/Over Ons.md", "+++\ntitle = \"Over\"\n+++\n# Over\n"),
        ("brieven/_index.md", "+++\ntitle = \"Brieven\"\n+++\n"),
    ];
    for (rel, text) in files {
        let text = if rel.starts_with("brieven/2026") {
            format!("{text}{body}")
        } else {
            text.to_owned()
        };
        match content::parse_text(rel, PathBuf::from("content").join(rel), &text, &config) {
            Ok(Parsed::Document(d)) => content.documents.push(d),
            Ok(Parsed::Section(s)) => content.sections.push(s),
            Err(_) => unreachable!("the fuzz site's own files are valid"),
        }
        content.all_markdown.push(rel.to_owned());
    }
    content.assets.push(Asset {
        rel: "brieven/plan voor de regio.pdf".to_owned(),
        path: PathBuf::from("content/brieven/plan voor de regio.pdf"),
        size: 1,
    });
    let site = match site::resolve(config, content) {
        Ok(s) => s,
        Err(_) => unreachable!("the fuzz site resolves"),
    };
    let Some(page) = site
        .pages
        .iter()
        .find(|p| p.doc.source.rel.starts_with("brieven/2026"))
    else {
        unreachable!("the fuzzed letter is a page")
    };
    let (html, diags) = markdown::render(&page.doc.source, &page.url, &site);
    (html.html, diags)
}
