//! The readable text of a page for the search index, see [`Html::text`](super::Html::text): text, code and
//! link texts, whitespace collapsed while the text is copied.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The readable text of a stream of events, see [`Html::text`](super::Html::text): whitespace is collapsed
/// while the text is copied, in runs, without a second pass over it.
pub(super) struct Readable {
    /// The text so far.
    pub(super) out: String,
    /// Whether whitespace or a block boundary came after the last word.
    gap: bool,
}

impl Readable {
    /// An empty text with room for `capacity` bytes.
    pub(super) fn with_capacity(capacity: usize) -> Readable {
        Readable {
            out: String::with_capacity(capacity),
            gap: false,
        }
    }

    /// Adds what `event` contributes: its text, or a gap between words.
    pub(super) fn event(&mut self, event: &Event<'_>) {
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

/// The readable text of `events`, see [`Html::text`](super::Html::text).
#[cfg(test)]
fn readable_text(events: &[Event<'_>], capacity: usize) -> String {
    let mut text = Readable::with_capacity(capacity);
    for e in events {
        text.event(e);
    }
    text.out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

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
