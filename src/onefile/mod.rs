//! A letter or opgave as one self-contained HTML file, beside its page: for an e-mail
//! attachment or an intranet (SharePoint) that serves a page but not the files it uses.
//!
//! Made from the page as rendered, so that letterhead and body are as on the page, with a
//! site's own templates too: its style sheets are put inline, its images become `data:`
//! URIs, scripts, forms and elements marked `data-enkel-bestand="weg"` are left out, and
//! links into the site become absolute under `base_url` (or plain text without it, and the
//! menus, `<nav>`, are left out then). The file opens alone, from any folder, and asks for
//! nothing. Anything it would have to fetch from elsewhere (an image on another server) is
//! left out: an outside image becomes its alt text.
//!
//! A page of plain HTML, as the theme renders it, is read by a fast scanner
//! (`scan.rs`) that copies its text as it stands; any other page by html5ever's tokenizer
//! (already used by the sanitiser), so that raw text such as style sheets and character
//! references are read as a browser reads them. Both hand the tags to one sink.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::links;

mod scan;

/// The attribute that leaves an element and everything in it out of the single file.
pub const LEAVE_OUT: &str = "data-enkel-bestand";

/// What the single file of one page needs to know besides the page.
pub struct Inline<'a> {
    /// The page's output path (`brieven/x/index.html`): relative links start from its folder.
    pub page_url: &'a str,
    /// The site's `base_url`, if set.
    pub base_url: Option<&'a str>,
    /// The bytes of the published file at an output path, if the site publishes one.
    pub fetch: &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    /// What the single files of one build share: the files it publishes do not change
    /// during it, so each is read and encoded once, not once a page.
    pub memo: &'a Memo,
}

/// The inlined forms of the published files, by output path, made once a build (and
/// shared by the threads that make the single files).
#[derive(Default)]
pub struct Memo {
    /// `data:` URIs; `None` where the site publishes no such file.
    data: RwLock<FxHashMap<String, Option<Arc<str>>>>,
    /// Style sheets with their `url()`s inline, ready to go into a `<style>` element.
    sheets: RwLock<FxHashMap<String, Option<Arc<str>>>>,
}

impl Memo {
    /// The value at `path` in `map`, made by `make` the first time. Two threads may both
    /// make it; they make the same value, so either may stay.
    fn get(
        map: &RwLock<FxHashMap<String, Option<Arc<str>>>>,
        path: &str,
        make: impl FnOnce() -> Option<String>,
    ) -> Option<Arc<str>> {
        if let Some(v) = map.read().unwrap_or_else(|e| e.into_inner()).get(path) {
            return v.clone();
        }
        let v: Option<Arc<str>> = make().map(Arc::from);
        let mut w = map.write().unwrap_or_else(|e| e.into_inner());
        w.entry(path.to_owned()).or_insert(v).clone()
    }
}

/// The single file of the page `html`.
pub fn make(html: &[u8], inline: &Inline) -> Vec<u8> {
    if let Ok(text) = std::str::from_utf8(html) {
        let fast = Sink::new(inline, html.len());
        if scan::run(text, &fast).is_some() {
            return fast.state.into_inner().out.into_bytes();
        }
    }
    tokenized(html, inline)
}

/// [`make`] through html5ever's tokenizer, for any page.
fn tokenized(html: &[u8], inline: &Inline) -> Vec<u8> {
    let tokenizer = Tokenizer::new(Sink::new(inline, html.len()), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(String::from_utf8_lossy(html).as_ref()));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.state.into_inner().out.into_bytes()
}

/// Where the writer is.
#[derive(Default)]
struct State {
    out: String,
    /// Inside an element left out: its name and how deep in elements of that name.
    skipping: Option<(String, usize)>,
    /// Inside raw text (`style`, `script`): characters are written unescaped.
    raw: bool,
    /// Inside a `<style>` element: its `url()`s are put inline.
    style: bool,
    /// An `<a>` written as plain text: its end tag is left out too.
    unlinked: bool,
}

/// A tag as both readers hand it to the sink: its name in lower case, its attributes (in
/// lower case) with their character references read. The fast path borrows them from the
/// page wherever it can.
struct TagRef<'t> {
    kind: TagKind,
    name: &'t str,
    self_closing: bool,
    attrs: &'t [Attr<'t>],
}

/// An attribute's name and value.
type Attr<'t> = (Cow<'t, str>, Cow<'t, str>);

struct Sink<'a> {
    inline: &'a Inline<'a>,
    state: RefCell<State>,
}

/// Elements left out with all they hold: they run code or send things elsewhere.
const DROPPED: &[&str] = &["script", "form", "iframe", "object", "embed", "noscript"];

/// Elements that hold raw text, and how the tokenizer must read it.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "script" => Some(RawKind::ScriptData),
        "title" | "textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let attrs: Vec<Attr> = tag
                    .attrs
                    .iter()
                    .map(|a| (Cow::Borrowed(&*a.name.local), Cow::Borrowed(&*a.value)))
                    .collect();
                let tag = TagRef {
                    kind: tag.kind,
                    name: &tag.name,
                    self_closing: tag.self_closing,
                    attrs: &attrs,
                };
                return self.tag(&mut st, &tag);
            }
            Token::CharacterTokens(text) if st.skipping.is_none() => {
                if st.style {
                    let css = self.css(&text, self.inline.page_url);
                    st.out.push_str(&css);
                } else if st.raw {
                    st.out.push_str(&text);
                } else {
                    crate::escape::html_into(&mut st.out, &text);
                }
            }
            Token::DoctypeToken(_) => st.out.push_str("<!DOCTYPE html>"),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl<'a> Sink<'a> {
    /// A writer for a page of `len` bytes.
    fn new(inline: &'a Inline<'a>, len: usize) -> Self {
        Sink {
            inline,
            state: RefCell::new(State {
                // Room for the page and a style sheet or two put inline.
                out: String::with_capacity(len + 16 * 1024),
                ..State::default()
            }),
        }
    }

    /// Text as it stands in the page between two tags (or in a raw-text element), still
    /// escaped as the page has it: kept as it is, a style sheet with its `url()`s inline.
    fn text(&self, text: &str) {
        let mut st = self.state.borrow_mut();
        if text.is_empty() || st.skipping.is_some() {
            return;
        }
        if st.style {
            let css = self.css(text, self.inline.page_url);
            st.out.push_str(&css);
        } else {
            st.out.push_str(text);
        }
    }

    fn tag_token(&self, tag: &TagRef) {
        let mut st = self.state.borrow_mut();
        let _ = self.tag(&mut st, tag);
    }

    fn doctype(&self) {
        self.state.borrow_mut().out.push_str("<!DOCTYPE html>");
    }

    fn tag(&self, st: &mut State, tag: &TagRef) -> TokenSinkResult<()> {
        let name = tag.name;
        let raw = raw_kind(name);
        if let Some((skipped, depth)) = &mut st.skipping {
            if *skipped == name {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing => *depth += 1,
                    TagKind::EndTag if *depth > 1 => *depth -= 1,
                    TagKind::EndTag => st.skipping = None,
                    TagKind::StartTag => {}
                }
            }
            return match (tag.kind, raw) {
                (TagKind::StartTag, Some(kind)) => TokenSinkResult::RawData(kind),
                _ => TokenSinkResult::Continue,
            };
        }
        if tag.kind == TagKind::EndTag {
            st.raw = false;
            st.style = false;
            if name == "a" && std::mem::take(&mut st.unlinked) {
                return TokenSinkResult::Continue;
            }
            st.out.push_str("</");
            st.out.push_str(name);
            st.out.push('>');
            return TokenSinkResult::Continue;
        }
        // A menu without links (no base_url to make them absolute) would only be noise.
        let left_out = tag.attrs.iter().any(|(key, _)| key == LEAVE_OUT)
            || (name == "nav" && self.inline.base_url.is_none());
        if DROPPED.contains(&name) || left_out {
            if !tag.self_closing && !is_void(name) {
                st.skipping = Some((name.to_owned(), 1));
            }
            return raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
        }
        self.start_tag(st, name, tag);
        st.raw = matches!(raw, Some(RawKind::Rawtext | RawKind::ScriptData));
        st.style = name == "style";
        raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData)
    }

    /// Writes a start tag that is kept, changed as the module documentation says.
    fn start_tag(&self, st: &mut State, name: &str, tag: &TagRef) {
        let attr = |n: &str| {
            tag.attrs
                .iter()
                .find(|(key, _)| key == n)
                .map(|(_, v)| &**v)
        };
        if name == "link" {
            self.link(st, attr("rel").unwrap_or_default(), attr("href"), tag);
            return;
        }
        if name == "a"
            && let Some(href) = attr("href")
            && self.absolute(href).is_none()
        {
            st.unlinked = true;
            return;
        }
        if name == "img" {
            let src = attr("src").unwrap_or_default();
            if self.data_uri(src).is_none() {
                crate::escape::html_into(&mut st.out, attr("alt").unwrap_or_default());
                return;
            }
        }
        st.out.push('<');
        st.out.push_str(name);
        for (key, value) in tag.attrs {
            let (key, value) = (&**key, &**value);
            let out = &mut st.out;
            match key {
                "href" => {
                    if let Some(v) = self.absolute(value) {
                        attribute(out, key, &v);
                    }
                }
                "src" => {
                    if let Some(v) = self.data_uri(value) {
                        attribute(out, key, &v);
                    }
                }
                "style" => attribute(out, key, &self.css(value, self.inline.page_url)),
                "srcset" | "action" | "formaction" | "poster" | "ping" => {}
                _ => attribute(out, key, value),
            }
        }
        st.out.push('>');
    }

    /// A `<link>`: a style sheet of the site goes inline; a link to another page stays
    /// when it can be absolute; anything else (icons, feeds without `base_url`) goes.
    fn link(&self, st: &mut State, rel: &str, href: Option<&str>, tag: &TagRef) {
        let Some(href) = href else { return };
        let rels: Vec<String> = rel
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        if rels.iter().any(|r| r == "stylesheet") {
            let sheet = self.local(self.inline.page_url, href).and_then(|path| {
                Memo::get(&self.inline.memo.sheets, &path, || {
                    let bytes = (self.inline.fetch)(&path)?;
                    let text = String::from_utf8_lossy(&bytes);
                    let css = self.css(&text, &path);
                    // A style sheet cannot end the element early: `</style` never occurs in it.
                    Some(css.replace("</style", "<\\/style"))
                })
            });
            if let Some(css) = sheet {
                st.out.push_str("<style>");
                st.out.push_str(&css);
                st.out.push_str("</style>");
            }
            return;
        }
        let page_link = rels.iter().any(|r| r == "canonical" || r == "alternate");
        if let (true, Some(abs)) = (page_link, self.absolute(href)) {
            st.out.push_str("<link");
            for (key, value) in tag.attrs.iter().filter(|(key, _)| key != "href") {
                attribute(&mut st.out, key, value);
            }
            attribute(&mut st.out, "href", &abs);
            st.out.push('>');
        }
    }

    /// `css` (of the file at output path `from`) with every `url()` a `data:` URI: the
    /// site's files inline, anything else an empty `data:,`, so that nothing is fetched.
    /// (`@import` of another style sheet is not followed.)
    fn css<'s>(&self, css: &'s str, from: &str) -> Cow<'s, str> {
        if !css.contains("url(") {
            return Cow::Borrowed(css);
        }
        let mut out = String::with_capacity(css.len());
        let mut rest = css;
        while let Some(at) = rest.find("url(") {
            out.push_str(&rest[..at + 4]);
            rest = &rest[at + 4..];
            let Some(end) = rest.find(')') else { break };
            let raw = rest[..end].trim();
            let target = raw.trim_matches(['"', '\'']);
            match target.starts_with("data:") {
                true => out.push_str(raw),
                false => {
                    let uri = self.data_uri_from(from, target);
                    out.push('"');
                    out.push_str(uri.as_deref().unwrap_or("data:,"));
                    out.push('"');
                }
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// The output path a relative link in the file at output path `from` points at,
    /// without query or fragment; `None` for an external link or one that leaves the site.
    fn local(&self, from: &str, href: &str) -> Option<String> {
        if links::is_external(href) || href.contains(':') || href.starts_with("//") {
            return None;
        }
        let path = href.split(['#', '?']).next().unwrap_or_default();
        if path.is_empty() {
            return None;
        }
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let resolved = links::resolve(dir, &links::percent_decode(path))?;
        Some(match path.ends_with('/') {
            true => format!("{resolved}/index.html"),
            false => resolved,
        })
    }

    /// `href` as the single file links it: a fragment of the page as it is, an external
    /// link as it is, a link into the site absolute under `base_url`; `None` when it cannot
    /// be absolute (no `base_url`) and must become plain text.
    fn absolute(&self, href: &str) -> Option<String> {
        if href.starts_with('#') || href.contains(':') || href.starts_with("//") {
            return Some(href.to_owned());
        }
        let base = self.inline.base_url?;
        let dir = self.inline.page_url.rsplit_once('/').map_or("", |(d, _)| d);
        let (path, rest) = href.split_at(href.find(['#', '?']).unwrap_or(href.len()));
        let resolved = match path {
            "" => self.inline.page_url.to_owned(),
            p => links::resolve(dir, p).unwrap_or_default(),
        };
        let resolved = resolved.strip_suffix("index.html").unwrap_or(&resolved);
        let folder = path.ends_with('/') && !resolved.is_empty() && !resolved.ends_with('/');
        Some(format!(
            "{base}{resolved}{}{rest}",
            if folder { "/" } else { "" }
        ))
    }

    /// `src` as a `data:` URI when the site publishes the file; `None` otherwise (an
    /// outside image is never fetched by the single file).
    fn data_uri(&self, src: &str) -> Option<Arc<str>> {
        if src.starts_with("data:") {
            return Some(Arc::from(src));
        }
        self.data_uri_from(self.inline.page_url, src)
    }

    /// The file `src` links to from the file at output path `from`, as a `data:` URI.
    fn data_uri_from(&self, from: &str, src: &str) -> Option<Arc<str>> {
        let path = self.local(from, src)?;
        Memo::get(&self.inline.memo.data, &path, || {
            let bytes = (self.inline.fetch)(&path)?;
            let media = crate::mime::content_type(&path);
            let media = media.split(';').next().unwrap_or(media);
            let mut uri = String::with_capacity(media.len() + 13 + bytes.len() * 4 / 3 + 4);
            uri.push_str("data:");
            uri.push_str(media);
            uri.push_str(";base64,");
            data_encoding::BASE64.encode_append(&bytes, &mut uri);
            Some(uri)
        })
    }
}

/// Writes ` key="value"`, the value escaped.
fn attribute(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    crate::escape::html_into(out, value);
    out.push('"');
}

/// Whether `name` is an element without content or end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(html: &str, base: Option<&str>) -> String {
        let fetch = |p: &str| match p {
            "style.css" => Some(b"body{color:#111;background:url(img/a.png)}".to_vec()),
            "img/a.png" => Some(vec![9]),
            "brieven/x/logo.png" => Some(vec![1, 2, 3]),
            _ => None,
        };
        let inline = Inline {
            page_url: "brieven/x/index.html",
            base_url: base,
            fetch: &fetch,
            memo: &Memo::default(),
        };
        String::from_utf8(make(html.as_bytes(), &inline)).unwrap()
    }

    #[test]
    fn styles_go_inline_and_images_become_data() {
        let out = one(
            "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"../../style.css\">\
             </head><body><img src=\"logo.png\" alt=\"Logo\"><img src=\"https://e.nl/a.png\" \
             alt=\"Buiten\"><script>alert(1)</script><p>a &amp; b</p></body></html>",
            None,
        );
        assert!(
            out.contains("<style>body{color:#111;background:url(\"data:image/png;base64,CQ==\")}"),
            "{out}"
        );
        assert!(out.contains("src=\"data:image/png;base64,AQID\""), "{out}");
        assert!(out.contains("Buiten") && !out.contains("e.nl"), "{out}");
        assert!(
            !out.contains("script") && out.contains("a &amp; b"),
            "{out}"
        );
        let out = one(
            "<p style=\"background:url('https://e.nl/x.png')\">x</p>\
             <style>p{background:url(logo.png)}</style>",
            None,
        );
        assert!(
            out.contains("style=\"background:url(&quot;data:,&quot;)\""),
            "{out}"
        );
        assert!(
            out.contains("<style>p{background:url(\"data:image/png;base64,AQID\")}"),
            "{out}"
        );
    }

    #[test]
    fn links_become_absolute_or_text() {
        let html = "<p><a href=\"../../opgaven/y/index.html#k\">Y</a> <a href=\"#z\">Z</a> \
                    <a href=\"https://e.nl/\">E</a></p><form action=\"x\"><input></form>\
                    <section data-enkel-bestand=\"weg\"><p>weg</p><section>in</section></section>";
        let with = one(html, Some("https://raad.nl/s/"));
        assert!(
            with.contains("href=\"https://raad.nl/s/opgaven/y/#k\""),
            "{with}"
        );
        assert!(with.contains("href=\"#z\"") && with.contains("href=\"https://e.nl/\""));
        assert!(!with.contains("form") && !with.contains("weg") && !with.contains(">in<"));
        let without = one(&format!("<nav><a href=\"../\">Home</a></nav>{html}"), None);
        assert!(
            !without.contains("nav") && !without.contains("Home"),
            "{without}"
        );
        assert!(without.contains("<p>Y <a href=\"#z\">Z</a>"), "{without}");
    }
}
