//! Entry points for the fuzz targets in `fuzz/` and for property tests. Not part of the
//! supported API: they run one stage of the pipeline on text instead of on a site folder.

use std::path::PathBuf;
use std::sync::LazyLock;

use crate::config::{self, Config};
use crate::content::{self, Asset, Content, Parsed};
use crate::diagnostics::Diagnostics;
use crate::markdown;
use crate::site::{self, Site};

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
        content::parse_text(
            rel,
            PathBuf::from("content").join(rel),
            text.to_owned(),
            String::new(),
            &config,
        )
        .err()
    })
    .collect()
}

/// Reads `bytes` as a PDF, DOCX or text letter and, where they read, takes the letterhead
/// apart and writes the body as Markdown, as `raadsite import` does (without writing
/// files); returns the Markdown. Must never panic, whatever `bytes` are.
pub fn import(kind: crate::import::Kind, bytes: &[u8]) -> Option<String> {
    let paras = crate::import::read(std::path::Path::new("brief"), kind, bytes.to_vec()).ok()?;
    let letter = crate::import::letterhead::recognise(paras);
    Some(crate::import::body::markdown(&letter.body).0)
}

/// Parses and checks `text` as a `site.toml`; returns the problems found. Must never panic,
/// whatever `text` is.
pub fn site_toml(text: &str) -> Option<Diagnostics> {
    config::parse(text).err()
}

/// Renders `body` as the Markdown of a letter in a small site with an opgave, a page and an
/// attachment to link to, with raw HTML sanitised or trusted; returns the HTML and the
/// problems found. Must never panic, whatever `body` is.
pub fn markdown(body: &str, allow_raw_html: bool) -> (String, Diagnostics) {
    // Built once per process: fuzzing runs this many thousands of times.
    static SITES: LazyLock<[Site; 2]> = LazyLock::new(|| [small_site(false), small_site(true)]);
    let site = &SITES[usize::from(allow_raw_html)];
    let Some(page) = site
        .pages
        .iter()
        .find(|p| p.doc.source.rel.starts_with("brieven/2026"))
    else {
        unreachable!("the fuzzed letter is a page")
    };
    let mut source = page.doc.source.clone();
    source.text = format!("{}{body}", &source.text[..source.body.start]);
    source.body = source.body.start..source.text.len();
    let (html, diags) = markdown::render(&source, &page.url, site);
    (html.html, diags)
}

fn small_site(allow_raw_html: bool) -> Site {
    let mut config = config();
    config.markdown.allow_raw_html = allow_raw_html;
    let mut content = Content::default();
    let files = [
        (
            "brieven/2026-05-07-fuzz.md",
            "+++\ntitle = \"Fuzz\"\ndate = 2026-05-07\n+++\n## Kop\n",
        ),
        (
            "opgaven/01-een.md",
            "+++\ntitle = \"Een\"\nnummer = 1\n+++\n## Doel\n",
        ),
        ("info/Over Ons.md", "+++\ntitle = \"Over\"\n+++\n# Over\n"),
        ("brieven/_index.md", "+++\ntitle = \"Brieven\"\n+++\n"),
    ];
    for (rel, text) in files {
        match content::parse_text(
            rel,
            PathBuf::from("content").join(rel),
            text.to_owned(),
            String::new(),
            &config,
        ) {
            Ok(Parsed::Document(d)) => content.documents.push(d),
            Ok(Parsed::Section(s)) => content.sections.push(*s),
            Err(_) => unreachable!("the fuzz site's own files are valid"),
        }
        content.all_markdown.push(rel.to_owned());
    }
    content.assets.push(Asset {
        rel: "brieven/plan voor de regio.pdf".to_owned(),
        path: PathBuf::from("content/brieven/plan voor de regio.pdf"),
        size: 1,
    });
    match site::resolve(config, content) {
        Ok(s) => s,
        Err(_) => unreachable!("the fuzz site resolves"),
    }
}

/// The first script-capable tag, event-handler attribute or script URL in `html`; text and
/// attribute values (where a `<` is only text) are skipped. The oracle of the fuzz targets.
pub fn active_content(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        if ["script", "iframe", "object", "embed", "style", "form"].contains(&name.as_str()) {
            return Some(format!("<{name}>"));
        }
        // Attributes up to the end of the tag.
        let mut attr = String::new();
        while i < b.len() && b[i] != b'>' {
            match b[i] {
                b'"' | b'\'' => {
                    let q = b[i];
                    i += 1;
                    let vstart = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    let value = &html[vstart..i.min(b.len())];
                    if ["href", "src", "action", "formaction"].contains(&attr.as_str())
                        && let Some(scheme) = crate::sanitize::scheme(value)
                        && !crate::sanitize::is_allowed_scheme(&scheme)
                    {
                        return Some(format!("URL {value}"));
                    }
                    i += 1;
                }
                c if c.is_ascii_whitespace() => {
                    i += 1;
                    let astart = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                        i += 1;
                    }
                    attr = html[astart..i].to_ascii_lowercase();
                    if attr.starts_with("on") && attr.len() > 2 {
                        return Some(format!("attribute {attr}"));
                    }
                }
                _ => i += 1,
            }
        }
    }
    None
}
