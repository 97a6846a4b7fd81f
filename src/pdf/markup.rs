//! A letter's Markdown body as Typst markup: one pass over pulldown-cmark's events, every
//! character of the author's text escaped so that it prints as written.
//!
//! Written by hand because no crate turns Markdown into Typst with the escaping and the
//! errors raadsite needs (an image without alt text is an error at its line). Inline and
//! block elements are written as function calls (`#emph[...]`, `#list([...], [...])`)
//! rather than as Typst's own markup, whose meaning depends on the characters around it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use crate::content::Source;
use crate::diagnostics::{Diagnostics, position_of};

/// The Markdown extensions raadsite turns on, as for the HTML.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// An image the body shows: its destination as written, and its alt text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The destination as the author wrote it.
    pub dest: String,
    /// Where it is written, for errors.
    pub line: usize,
}

/// A body as Typst markup, with the images it shows (`/beeld/<n>` in the markup is
/// `images[n]`).
#[derive(Debug, Default)]
pub struct Markup {
    /// The Typst markup.
    pub text: String,
    /// The images, in order.
    pub images: Vec<Image>,
}

/// Escapes `text` for Typst markup into `out`: every ASCII punctuation character gets a
/// backslash (Typst lets any character be escaped so), line breaks become spaces; letters,
/// digits, spaces and all other characters are written as they are. Quotes are escaped
/// too, so that an apostrophe prints as the author typed it, not as a typographic quote.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            // Every character Typst takes for a line break.
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// `text` as a Typst string literal, quotes included.
pub fn string_literal(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The body of `source` as Typst markup; an image without alt text is an error at its line.
pub fn of(source: &Source) -> Result<Markup, Diagnostics> {
    let body = source.body();
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(body, OPTIONS).into_offset_iter().collect();
    let mut w = Writer {
        source: Some(source),
        shift: heading_shift(&events),
        ..Writer::default()
    };
    w.footnotes = footnotes(source, &events, &mut w.diags, &mut w.images);
    let mut depth = 0usize;
    for (event, range) in &events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
            _ if depth > 0 => {}
            e => w.event(e, range.start),
        }
    }
    let Writer {
        out, images, diags, ..
    } = w;
    diags.into_result(Markup { text: out, images })
}

/// The markup of each footnote definition, by name.
fn footnotes(
    source: &Source,
    events: &[(Event, Range<usize>)],
    diags: &mut Diagnostics,
    images: &mut Vec<Image>,
) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut current: Option<(String, Writer)> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let w = Writer {
                    source: Some(source),
                    shift: heading_shift(events),
                    images: std::mem::take(images),
                    ..Writer::default()
                };
                current = Some((name.to_string(), w));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, w)) = current.take() {
                    diags.extend(w.diags);
                    *images = w.images;
                    found.insert(name, w.out.trim_end().to_owned());
                }
            }
            e => {
                if let Some((_, w)) = &mut current {
                    w.event(e, range.start);
                }
            }
        }
    }
    found
}

/// How many levels headings go up so that the highest is level 1: a body's headings start
/// at `##` under the page title, a PDF's at its first level.
fn heading_shift(events: &[(Event, Range<usize>)]) -> usize {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .map_or(0, |l| l - 1)
}

/// What is open at a point of the body.
#[derive(Debug)]
enum Open {
    /// A link: whether it is written as a live link.
    Link(bool),
    /// An image: its alt text so far.
    Image(String, String, usize),
    /// A code block: its text so far.
    Code(String),
    /// Other.
    Other,
}

/// Writes the markup of a body (or of one footnote).
#[derive(Default)]
struct Writer<'s> {
    source: Option<&'s Source>,
    out: String,
    images: Vec<Image>,
    diags: Diagnostics,
    footnotes: HashMap<String, String>,
    shift: usize,
    /// The level of the last heading written, so that none skips a level.
    last_heading: usize,
    open: Vec<Open>,
}

impl Writer<'_> {
    fn event(&mut self, event: &Event, offset: usize) {
        if let Some(Open::Image(_, alt, _)) = self.open.last_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => return alt.push_str(t),
                Event::End(TagEnd::Image) => {}
                Event::Start(_) | Event::End(_) => {}
                _ => return,
            }
        }
        if let Some(Open::Code(code)) = self.open.last_mut()
            && let Event::Text(t) = event
        {
            return code.push_str(t);
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => escape_into(t, &mut self.out),
            Event::Code(t) => {
                let _ = write!(self.out, "#raw({})", string_literal(t));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak() "),
            Event::Rule => self.out.push_str("\n#line(length: 100%)\n\n"),
            Event::FootnoteReference(name) => {
                let note = self
                    .footnotes
                    .get(name.as_ref())
                    .cloned()
                    .unwrap_or_default();
                let _ = write!(self.out, "#footnote[{note}]");
            }
            Event::TaskListMarker(done) => {
                self.out
                    .push_str(if *done { "\\[x\\] " } else { "\\[ \\] " })
            }
            Event::InlineHtml(h) if is_line_break(h) => self.out.push_str("#linebreak() "),
            // Raw HTML has no place in a PDF; its text, if any, is in the events around it.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => escape_into(t, &mut self.out),
        }
    }

    fn start(&mut self, tag: &Tag, offset: usize) {
        let mut open = Open::Other;
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let wanted = (*level as usize).saturating_sub(self.shift).max(1);
                let level = wanted.min(self.last_heading + 1);
                self.last_heading = level;
                self.out.push('\n');
                self.out.push_str(&"=".repeat(level));
                self.out.push(' ');
            }
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(_) => open = Open::Code(String::new()),
            Tag::List(None) => self.out.push_str("#list("),
            Tag::List(Some(n)) => {
                let _ = write!(self.out, "#enum(start: {n}, ");
            }
            Tag::Item => self.out.push('['),
            Tag::Table(aligns) => self.table(aligns),
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Link { dest_url, .. } => {
                let live = is_absolute(dest_url);
                if live {
                    let _ = write!(self.out, "#link({})[", string_literal(dest_url));
                }
                open = Open::Link(live);
            }
            Tag::Image { dest_url, .. } => {
                open = Open::Image(dest_url.to_string(), String::new(), offset);
            }
            _ => {}
        }
        self.open.push(open);
    }

    fn table(&mut self, aligns: &[Alignment]) {
        let columns: Vec<&str> = aligns
            .iter()
            .map(|a| match a {
                Alignment::Center => "center",
                Alignment::Right => "right",
                Alignment::None | Alignment::Left => "left",
            })
            .collect();
        let _ = write!(
            self.out,
            "\n#table(columns: {}, align: ({},), ",
            columns.len(),
            columns.join(", ")
        );
    }

    fn end(&mut self, tag: TagEnd) {
        let open = self.open.pop().unwrap_or(Open::Other);
        match tag {
            TagEnd::Paragraph => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => self.out.push_str("\n\n"),
            TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
            TagEnd::CodeBlock => {
                if let Open::Code(code) = open {
                    let code = code.strip_suffix('\n').unwrap_or(&code);
                    let _ = write!(
                        self.out,
                        "\n#raw(block: true, {})\n\n",
                        string_literal(code)
                    );
                }
            }
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item => {
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push_str("], ");
            }
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.out.push(']'),
            TagEnd::Link => {
                if let Open::Link(true) = open {
                    self.out.push(']');
                }
            }
            TagEnd::Image => {
                if let Open::Image(dest, alt, offset) = open {
                    self.image(dest, &alt, offset);
                }
            }
            _ => {}
        }
    }

    fn image(&mut self, dest: String, alt: &str, offset: usize) {
        let Some(source) = self.source else {
            return;
        };
        let mut at = position_of(source.body(), offset);
        at.line += source.body_line - 1;
        if alt.trim().is_empty() {
            self.diags.push(
                source
                    .error_at(at, format!("image \"{dest}\" has no alt text"))
                    .with_help(
                        "write what the image shows between the brackets: ![what it shows](file)",
                    ),
            );
            return;
        }
        let n = self.images.len();
        self.images.push(Image {
            dest,
            line: at.line,
        });
        let _ = write!(
            self.out,
            "#image(\"/beeld/{n}\", alt: {})",
            string_literal(alt.trim())
        );
    }
}

/// Whether a link goes outside the site (a scheme of its own): such links stay live in the
/// PDF; a link into the site has no address outside it.
fn is_absolute(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

fn is_line_break(html: &str) -> bool {
    let h = html.trim().to_ascii_lowercase();
    h == "<br>" || h == "<br/>" || h == "<br />"
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// The text Typst reads from markup: escapes as the character they stand for, text and
    /// spaces as written; `None` for anything else (markup that means something).
    fn read_back(node: &SyntaxNode, out: &mut String) -> Option<()> {
        match node.kind() {
            SyntaxKind::Markup => {
                for child in node.children() {
                    read_back(child, out)?;
                }
                Some(())
            }
            SyntaxKind::Text | SyntaxKind::Space => {
                out.push_str(node.leaf_text());
                Some(())
            }
            SyntaxKind::Escape => {
                out.push_str(&node.leaf_text()[1..]);
                Some(())
            }
            _ => None,
        }
    }

    fn as_read(text: &str) -> Option<String> {
        let mut markup = String::new();
        escape_into(text, &mut markup);
        let tree = typst::syntax::parse(&markup);
        let mut out = String::new();
        tree.errors_and_warnings().0.is_empty().then_some(())?;
        read_back(&tree, &mut out)?;
        Some(out)
    }

    fn expected(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
                c => c,
            })
            .collect()
    }

    #[test]
    fn letter_text_prints_as_written() {
        for text in [
            "regio's 'Elke regio Telt' \"aanhalingstekens\"",
            "#let x = 1 $a$ *vet* _schuin_ @ref <label> \\ backslash",
            "1. geen lijst - ook niet -- of --- ... ~ // geen commentaar /* ook niet */",
            "= geen kop",
            "https://example.org/pad?x=1#y",
            "\\u{41} [haak] {accolade} `code` ; : , !",
        ] {
            assert_eq!(
                as_read(text).as_deref(),
                Some(expected(text).as_str()),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_back_as_written(text in "\\PC*") {
            proptest::prop_assert_eq!(as_read(&text), Some(expected(&text)));
        }

        #[test]
        fn any_ascii_reads_back_as_written(text in "[ -~\n\t]*") {
            proptest::prop_assert_eq!(as_read(&text), Some(expected(&text)));
        }
    }

    #[test]
    fn string_literals_read_back() {
        for text in ["a\"b", "c\\d", "e\nf", "#$*_"] {
            let lit = string_literal(text);
            let tree = typst::syntax::parse_code(&lit);
            assert!(tree.errors_and_warnings().0.is_empty(), "{lit}");
        }
    }
}
