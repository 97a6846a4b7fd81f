//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and task lists; stable
//! heading ids for deep links; links to `.md` files and other content rewritten to relative
//! output paths. Text is reproduced exactly: no smart punctuation.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashSet;

use crate::content::Source;
use crate::diagnostics::{Diagnostic, Diagnostics, Position, position_of};
use crate::links;
use crate::site::{HOME_URL, Site, Target};

/// Something a link points at whose anchors are checked once every page is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchored {
    /// The page itself.
    Same,
    /// Another page (index into `Site::pages`).
    Page(usize),
}

/// A `#fragment` one page links to, checked after all pages are rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The page the fragment must exist in.
    pub target: Anchored,
    /// The fragment without `#`.
    pub anchor: String,
    /// Where the link is written.
    pub position: Position,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// The HTML.
    pub html: String,
    /// Ids of its headings and footnotes, in document order.
    pub anchors: Vec<String>,
    /// Fragments it links to.
    pub anchor_refs: Vec<AnchorRef>,
    /// The readable text, for the search index: text, code and link texts, one space
    /// between blocks, whitespace collapsed; footnote labels and HTML left out.
    pub text: String,
}

/// Renders the body of `source`, which is published at `out_url`. Broken links are
/// returned as diagnostics next to the (still complete) HTML.
pub fn render(source: &Source, out_url: &str, site: &Site) -> (Html, Diagnostics) {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let root = links::root_prefix(out_url);
    let body = source.body();
    let mut out = Html::default();
    let mut diags = Diagnostics::new();
    let mut ids = FxHashSet::default();
    // About one event per 24 bytes of Markdown: reserved so that the list is seldom moved.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 24);
    let mut heading: Option<usize> = None;
    let mut raw_html = false;
    // Gathered as the events go by, before the glossary adds its explanations: the index
    // holds what the author wrote.
    let mut text = Readable::with_capacity(body.len());

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        text.event(&event);
        let at = || {
            let mut p = position_of(body, range.start);
            p.line += source.body_line - 1;
            p
        };
        match event {
            Event::Start(Tag::Heading { id: None, .. }) => {
                heading = Some(events.len());
                events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                id: Some(id),
                classes,
                attrs,
            }) => {
                let id = unique_id(id.to_string(), &mut ids);
                out.anchors.push(id.clone());
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading.take() {
                    let text = plain_text(&events[start + 1..]);
                    let mut id = crate::slug::slugify(&text);
                    if id.is_empty() {
                        id = "kop".into();
                    }
                    let id = unique_id(id, &mut ids);
                    out.anchors.push(id.clone());
                    events[start] = heading_start(level, id, &events[start]);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                out.anchors.push(name.to_string());
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(&dest_url, source, &root, site, at, &mut out, &mut diags)
                    .unwrap_or(dest_url);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(&dest_url, source, &root, site, at, &mut out, &mut diags)
                    .unwrap_or(dest_url);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                events.push(event);
            }
            other => events.push(other),
        }
    }
    out.text = text.out;
    let events = crate::glossary::mark(events, &site.glossary, &root);
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // After link rewriting, and only for the pages that need it: most have no raw HTML.
    if raw_html && !site.config.markdown.allow_raw_html {
        out.html = crate::sanitize::clean(&out.html);
    }
    (out, diags)
}

fn heading_start<'a>(level: HeadingLevel, id: String, old: &Event<'a>) -> Event<'a> {
    let (classes, attrs) = match old {
        Event::Start(Tag::Heading { classes, attrs, .. }) => (classes.clone(), attrs.clone()),
        _ => (Vec::new(), Vec::new()),
    };
    Event::Start(Tag::Heading {
        level,
        id: Some(id.into()),
        classes,
        attrs,
    })
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// The readable text of a stream of events, see [`Html::text`]: whitespace is collapsed
/// while the text is copied, in runs, without a second pass over it.
struct Readable {
    out: String,
    /// Whether whitespace or a block boundary came after the last word.
    gap: bool,
}

impl Readable {
    fn with_capacity(capacity: usize) -> Readable {
        Readable {
            out: String::with_capacity(capacity),
            gap: false,
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.push(t),
            Event::SoftBreak | Event::HardBreak => self.gap = true,
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            )
            | Event::Start(Tag::Item) => self.gap = true,
            _ => {}
        }
    }

    /// Appends the words of `t` (as `str::split_whitespace` splits them), one space between
    /// words.
    fn push(&mut self, t: &str) {
        if single_spaced(t.as_bytes()) {
            // Most text: copied in one piece rather than word by word.
            let inner = t.strip_prefix(' ').unwrap_or(t);
            self.gap |= inner.len() < t.len();
            let (inner, trailing) = inner
                .strip_suffix(' ')
                .map_or((inner, false), |s| (s, true));
            if !inner.is_empty() {
                if self.gap && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.gap = false;
                self.out.push_str(inner);
            }
            self.gap |= trailing;
            return;
        }
        let b = t.as_bytes();
        let len = b.len();
        let mut i = 0;
        while i < len {
            let start = i;
            loop {
                while i < len && TEXT_CLASS[b[i] as usize] == PLAIN {
                    i += 1;
                }
                if i < len && TEXT_CLASS[b[i] as usize] == NON_ASCII {
                    let (space, n) = whitespace_at(t, i);
                    if !space {
                        i += n;
                        continue;
                    }
                }
                break;
            }
            if i > start {
                if self.gap && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.gap = false;
                self.out.push_str(&t[start..i]);
            }
            if i < len {
                // Whitespace.
                self.gap = true;
                i += whitespace_at(t, i).1;
            }
        }
    }
}

/// Whether the only whitespace in `b` is single ASCII spaces. May say no to text that is,
/// when it has bytes that start some non-ASCII whitespace (as in a dash or a quote).
fn single_spaced(b: &[u8]) -> bool {
    // Folds without early exits, which the compiler turns into vector code: a page's text
    // is checked at many bytes per step instead of looked up one byte at a time.
    let odd = b.iter().fold(false, |odd, &c| {
        // ASCII control characters (tab, line ends) and the first bytes of U+0085,
        // U+00A0, U+1680, U+2000-U+205F and U+3000.
        odd | (c < 0x20) | (c == 0xc2) | (c.wrapping_sub(0xe1) < 3)
    });
    let double = b
        .iter()
        .zip(b.iter().skip(1))
        .fold(false, |d, (x, y)| d | ((*x == b' ') & (*y == b' ')));
    !odd && !double
}

/// [`TEXT_CLASS`] of an ASCII character that is not whitespace.
const PLAIN: u8 = 0;
/// [`TEXT_CLASS`] of ASCII whitespace: the characters `char::is_whitespace` accepts,
/// vertical tab included.
const SPACE: u8 = 1;
/// [`TEXT_CLASS`] of the bytes of non-ASCII characters, some of which are whitespace.
const NON_ASCII: u8 = 2;

/// The class of every byte, for collapsing whitespace: one lookup per byte.
static TEXT_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => SPACE,
            _ => PLAIN,
        };
        b += 1;
    }
    t
};

/// Whether the character at byte `i` of `t` is whitespace, and its length in bytes.
fn whitespace_at(t: &str, i: usize) -> (bool, usize) {
    match TEXT_CLASS[t.as_bytes()[i] as usize] {
        PLAIN => (false, 1),
        SPACE => (true, 1),
        _ => match t[i..].chars().next() {
            Some(c) => (c.is_whitespace(), c.len_utf8()),
            None => (false, 1),
        },
    }
}

/// The readable text of `events`, see [`Html::text`].
#[cfg(test)]
fn readable_text(events: &[Event<'_>], capacity: usize) -> String {
    let mut text = Readable::with_capacity(capacity);
    for e in events {
        text.event(e);
    }
    text.out
}

fn unique_id(base: String, seen: &mut FxHashSet<String>) -> String {
    if seen.insert(base.clone()) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| seen.insert(c.clone()))
        .unwrap_or(base)
}

/// The output link for `dest` as written in `source`, or `None` to keep it as it is.
fn rewrite<'a>(
    dest: &str,
    source: &Source,
    root: &str,
    site: &Site,
    at: impl Fn() -> Position,
    out: &mut Html,
    diags: &mut Diagnostics,
) -> Option<CowStr<'a>> {
    // A scheme ends at a colon: most links, relative ones, have none and need no parsing.
    if dest.contains(':')
        && let Some(scheme) = crate::sanitize::scheme(dest)
        && !crate::sanitize::is_allowed_scheme(&scheme)
        && !site.config.markdown.allow_raw_html
    {
        diags.push(
            Diagnostic::in_file(
                &source.shown,
                format!("link \"{dest}\" uses the scheme {scheme}:, which is not allowed"),
            )
            .at_opt(Some(at()))
            .with_help("link to a page, a file, or an https: or mailto: address"),
        );
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
            out.anchor_refs.push(AnchorRef {
                target: Anchored::Same,
                anchor: f.to_owned(),
                position: at(),
            });
        }
        return None;
    }
    let error = |msg: String| Diagnostic::in_file(&source.shown, msg).at_opt(Some(at()));
    let Some(rel) = links::resolve(source.dir(), &links::percent_decode(path)) else {
        diags.push(error(format!("link \"{dest}\" points outside content/")));
        return None;
    };
    let url = match site.targets.get(&rel) {
        Some(Target::Page(i)) => {
            if let Some(f) = fragment {
                out.anchor_refs.push(AnchorRef {
                    target: Anchored::Page(*i),
                    anchor: f.to_owned(),
                    position: at(),
                });
            }
            Cow::Borrowed(site.pages[*i].url.as_str())
        }
        Some(Target::Section(i)) => Cow::Borrowed(site.sections[*i].url.as_str()),
        Some(Target::Home) => Cow::Borrowed(HOME_URL),
        Some(Target::Asset(out)) => Cow::Owned(links::encode_path(out)),
        Some(Target::Draft) => {
            diags.push(
                error(format!(
                    "link \"{dest}\" points to a draft, which is not published"
                ))
                .with_help("publish the page (draft = false) or remove the link"),
            );
            return None;
        }
        Some(Target::Intern) => {
            diags.push(
                error(format!(
                    "link \"{dest}\" points to an internal page or file, which the openbaar profile leaves out"
                ))
                .with_help(
                    "remove the link, or set zichtbaarheid = \"openbaar\" on the page it points to",
                ),
            );
            return None;
        }
        Some(Target::Broken) => return None,
        None if site.static_files.contains(&rel) => Cow::Owned(links::encode_path(&rel)),
        None => {
            diags.push(
                error(format!("link to a missing file \"{dest}\"")).with_help(
                    "link to a .md file under content/, relative to this file or starting with /",
                ),
            );
            return None;
        }
    };
    let mut link =
        String::with_capacity(root.len() + url.len() + fragment.map_or(0, |f| f.len() + 1));
    link.push_str(root);
    link.push_str(&url);
    if let Some(f) = fragment {
        link.push('#');
        link.push_str(f);
    }
    Some(link.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_text_of_markdown() {
        let md = "## Kop {#id}\n\nEen *zin* met [link](a.md) en `code`.\n\n- een\n- twee\n\n| a | b |\n|---|---|\n| c | d |\n\n<b>html</b> tekst\n";
        let mut opts = Options::empty();
        opts.insert(Options::ENABLE_TABLES);
        opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
        let events: Vec<Event<'_>> = Parser::new_ext(md, opts).collect();
        assert_eq!(
            readable_text(&events, md.len()),
            "Kop Een zin met link en code. een twee a b c d html tekst"
        );
    }

    proptest::proptest! {
        #[test]
        fn collapses_spaced_words_as_split_whitespace(
            parts in proptest::collection::vec("[a ï’\u{2013}\u{a0}\t]{0,12}", 0..5)
        ) {
            let mut text = Readable::with_capacity(0);
            for p in &parts {
                text.push(p);
            }
            let expected = parts.concat().split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(text.out, expected);
        }

        #[test]
        fn collapses_any_text_as_split_whitespace(a in "\\PC{0,30}", b in "[a z\t\u{a0}\u{2003}é]{0,30}") {
            let mut text = Readable::with_capacity(0);
            text.push(&a);
            text.push(&b);
            let expected = format!("{a}{b}").split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(text.out, expected);
        }
    }

    #[test]
    fn readable_text_collapses_whitespace_as_split_whitespace() {
        for t in [
            "",
            "  a  b\t\tc\n",
            "x\u{a0}y\u{2003}\u{85}z\u{b}w\u{c}v é\u{3000}東京 ",
            "\u{a0}",
            "één",
        ] {
            let mut text = Readable::with_capacity(0);
            text.push(t);
            text.push(t);
            let expected = format!("{t}{t}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(text.out, expected, "{t:?}");
        }
    }
}
