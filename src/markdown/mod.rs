//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and task lists; stable
//! heading ids for deep links; links to `.md` files and other content rewritten to relative
//! output paths. Text is reproduced exactly: no smart punctuation.
//!
//! A body goes through one pass over the parser's events, which rewrites links
//! (`rewrite.rs`), gives headings their ids (`headings.rs`) and gathers the readable text
//! (`text.rs`); then the glossary marks its terms, the events are written as HTML, and raw
//! HTML is cleaned when the site does not allow it. What rendering reads from the resolved
//! site is the [`SiteView`].

mod headings;
mod rewrite;
mod site;
mod text;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::content::Source;
use crate::diagnostics::{Diagnostics, Position, position_of};
use crate::glossary::Glossary;
use crate::links;
use crate::site::Site;

use headings::Headings;
use rewrite::Rewriter;
use text::Readable;

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

/// What rendering a body reads from the resolved site: where the files under `content/`
/// and `static/` are published, the glossary, and whether raw HTML is allowed.
pub trait SiteView {
    /// What the file `rel` (relative to `content/`, as a link resolves) is published as;
    /// `None` when there is no such file.
    fn target(&self, rel: &str) -> Option<Published<'_>>;
    /// The terms to mark in the text.
    fn glossary(&self) -> &Glossary;
    /// `[markdown] allow_raw_html`: raw HTML is kept as written and links may use any
    /// scheme.
    fn allow_raw_html(&self) -> bool;
}

/// What a link to a file of the site points at, see [`SiteView::target`].
#[derive(Debug, Clone, Copy)]
pub enum Published<'s> {
    /// A page: its index (for the check of fragments) and its URL from the site root.
    Page(usize, &'s str),
    /// A section list or the home page, at this URL from the site root.
    List(&'s str),
    /// A file copied as is, to this output path (not yet percent-encoded).
    File(&'s str),
    /// A file under `static/`, published at the path the link names.
    Static,
    /// A draft, not published.
    Draft,
    /// Left out of the public profile.
    Intern,
    /// A file with personal details, left out of the public profile.
    Personal,
    /// A file that failed to load (already reported).
    Broken,
}

/// The Markdown extensions raadsite turns on.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders the body of `source`, which is published at `out_url`. Broken links are
/// returned as diagnostics next to the (still complete) HTML.
pub fn render(source: &Source, out_url: &str, site: &Site) -> (Html, Diagnostics) {
    render_with(source, out_url, site)
}

/// [`render`] with what it reads from the site given as a [`SiteView`].
pub fn render_with<S: SiteView + ?Sized>(
    source: &Source,
    out_url: &str,
    site: &S,
) -> (Html, Diagnostics) {
    let root = links::root_prefix(out_url);
    let body = source.body();
    let mut pass = Pass::new(Rewriter {
        source,
        root: &root,
        site,
    });
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        pass.event(event, range.start);
    }
    let Pass {
        events,
        mut out,
        diags,
        raw_html,
        text,
        ..
    } = pass;
    // Gathered as the events went by, before the glossary adds its explanations: the index
    // holds what the author wrote.
    out.text = text.out;
    let events = crate::glossary::mark(events, site.glossary(), &root);
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // After link rewriting, and only for the pages that need it: most have no raw HTML.
    if raw_html && !site.allow_raw_html() {
        out.html = crate::sanitize::clean(&out.html);
    }
    (out, diags)
}

/// The pass over a body's events: they are kept, with links rewritten and headings given
/// their ids, for the glossary and the HTML writer.
struct Pass<'a, 'r, S: ?Sized> {
    /// Rewrites the links of this page.
    links: Rewriter<'r, S>,
    /// The events so far.
    events: Vec<Event<'a>>,
    /// The heading ids given out.
    headings: Headings,
    /// Whether the body holds raw HTML.
    raw_html: bool,
    /// The readable text so far.
    text: Readable,
    /// Anchors and fragments linked to (the HTML and text are added afterwards).
    out: Html,
    /// Broken links.
    diags: Diagnostics,
}

impl<'a, S: SiteView + ?Sized> Pass<'a, '_, S> {
    /// The start of the pass over the body of `links.source`.
    fn new(links: Rewriter<'_, S>) -> Pass<'a, '_, S> {
        let len = links.source.body().len();
        Pass {
            links,
            // About one event per 24 bytes of Markdown: reserved so that the list is
            // seldom moved.
            events: Vec::with_capacity(len / 24),
            headings: Headings::default(),
            raw_html: false,
            text: Readable::with_capacity(len),
            out: Html::default(),
            diags: Diagnostics::new(),
        }
    }

    /// Takes the event the parser found at byte `offset` of the body.
    fn event(&mut self, event: Event<'a>, offset: usize) {
        self.text.event(&event);
        match event {
            Event::Start(Tag::Heading { id: None, .. }) => {
                self.headings.open(self.events.len());
                self.events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                id: Some(id),
                classes,
                attrs,
            }) => {
                let id = self.headings.written(&id, &mut self.out.anchors);
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.headings
                    .close(level, &mut self.events, &mut self.out.anchors);
                self.events.push(event);
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                self.out.anchors.push(name.to_string());
                self.events.push(event);
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let tag = self.linked(tag, offset);
                self.events.push(Event::Start(tag));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// A link or image written at byte `offset` of the body, its destination rewritten.
    fn linked(&mut self, tag: Tag<'a>, offset: usize) -> Tag<'a> {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: self.link(dest_url, offset),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: self.link(dest_url, offset),
                title,
                id,
            },
            other => other,
        }
    }

    /// The destination of a link or image written at byte `offset` of the body, rewritten.
    fn link(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let source = self.links.source;
        let at = || {
            let mut p = position_of(source.body(), offset);
            p.line += source.body_line - 1;
            p
        };
        self.links
            .rewrite(&dest, &at, &mut self.out.anchor_refs, &mut self.diags)
            .unwrap_or(dest)
    }
}
