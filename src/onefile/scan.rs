//! The fast path of the single file: a page as the theme renders it is read by a scanner
//! that understands only plain, well-formed HTML, and copies the text between tags as it is
//! instead of decoding and escaping it again. It hands the tags to the same [`Sink`] as
//! html5ever's tokenizer does, so every change the single file makes is made by one piece
//! of code.
//!
//! Written by hand for speed: html5ever's tokenizer reads a page one character at a time
//! (about 40 MB/s here, a quarter of a full build's CPU time went into it), and lol_html
//! was measured no more than a fifth faster on these pages. The scanner gives up (`None`)
//! at anything it does not read exactly as a browser does: a `<` that opens no tag, a
//! comment, doctype or tag it cannot parse with certainty, a character reference in an
//! attribute other than the plain ones, duplicate attributes, NUL or carriage returns,
//! escaped script text. The page then goes through html5ever as before; the tests
//! compare both on tricky input.

use std::borrow::Cow;

use html5ever::tokenizer::TagKind;
use html5ever::tokenizer::states::RawKind;

use super::{Attr, Sink, TagRef, raw_kind};

/// Feeds `html` to `sink`; `None` when the page needs the full tokenizer (what the sink
/// wrote is then to be thrown away).
pub(super) fn run(html: &str, sink: &Sink) -> Option<()> {
    // Two passes of memchr: a pattern of two chars would decode every character.
    if html.as_bytes().contains(&0) || html.as_bytes().contains(&b'\r') {
        return None;
    }
    // The attributes of the tag at hand, borrowed from the page where they can be; one
    // vector for the whole page.
    let mut attrs: Vec<Attr> = Vec::new();
    let mut at = 0;
    while let Some(off) = html[at..].find('<') {
        sink.text(&html[at..at + off]);
        at += off;
        let rest = &html[at..];
        let second = *rest.as_bytes().get(1)?;
        if second.is_ascii_alphabetic() {
            let (name, self_closing, len) = start_tag(rest, &mut attrs)?;
            at += len;
            let raw = raw_kind(&name);
            sink.tag_token(&TagRef {
                kind: TagKind::StartTag,
                name: &name,
                self_closing,
                attrs: &attrs,
            });
            if let Some(kind) = raw {
                let text = &html[at..];
                let end = end_of_raw(text, &name)?;
                if kind == RawKind::ScriptData && text[..end].contains("<!--") {
                    return None;
                }
                sink.text(&text[..end]);
                at += end;
            }
        } else if second == b'/' {
            let (name, len) = end_tag(rest)?;
            sink.tag_token(&TagRef {
                kind: TagKind::EndTag,
                name: &name,
                self_closing: false,
                attrs: &[],
            });
            at += len;
        } else if rest.starts_with("<!--") {
            at += comment(rest)?;
        } else if rest.len() >= 9 && rest.as_bytes()[..9].eq_ignore_ascii_case(b"<!doctype") {
            let len = rest.find('>')? + 1;
            if rest[..len].contains(['"', '\'']) {
                return None;
            }
            sink.doctype();
            at += len;
        } else {
            return None;
        }
    }
    sink.text(&html[at..]);
    Some(())
}

/// Whether `s` holds any of the ASCII bytes `set` (a byte loop: a pattern of chars would
/// decode every character).
fn has_any(s: &str, set: &[u8]) -> bool {
    s.bytes().any(|b| set.contains(&b))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c')
}

/// The length of the element name at the start of `s` (up to a space, `/` or `>`).
fn name_len(s: &str) -> Option<usize> {
    let len = s
        .bytes()
        .position(|b| is_space(b) || b == b'/' || b == b'>')?;
    (!has_any(&s[..len], b"<\"'=&")).then_some(len)
}

/// `s` in lower case, borrowed when it is already.
fn lower(s: &str) -> Cow<'_, str> {
    match s.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(s.to_ascii_lowercase()),
        false => Cow::Borrowed(s),
    }
}

/// The start tag at the start of `s` (`<` and a letter): its name, whether it closes
/// itself and its length in bytes; its attributes go into `attrs`.
fn start_tag<'a>(s: &'a str, attrs: &mut Vec<Attr<'a>>) -> Option<(Cow<'a, str>, bool, usize)> {
    let len = name_len(&s[1..])?;
    let name = lower(&s[1..1 + len]);
    let mut at = 1 + len;
    attrs.clear();
    let b = s.as_bytes();
    loop {
        while is_space(*b.get(at)?) {
            at += 1;
        }
        match b[at] {
            b'>' => return Some((name, false, at + 1)),
            b'/' if *b.get(at + 1)? == b'>' => return Some((name, true, at + 2)),
            _ => {}
        }
        let (attr, len) = attribute(&s[at..])?;
        if attrs.iter().any(|(key, _)| *key == attr.0) {
            return None;
        }
        attrs.push(attr);
        at += len;
    }
}

/// The attribute at the start of `s` (not a space, `/` or `>`) and its length.
fn attribute(s: &str) -> Option<(Attr<'_>, usize)> {
    let b = s.as_bytes();
    let len = b
        .iter()
        .position(|&c| is_space(c) || matches!(c, b'/' | b'>' | b'='))?;
    if len == 0 || has_any(&s[..len], b"<\"'") {
        return None;
    }
    let name = lower(&s[..len]);
    let mut at = len;
    while is_space(*b.get(at)?) {
        at += 1;
    }
    if b[at] != b'=' {
        // A name without a value; what follows is read by the caller.
        return Some(((name, Cow::Borrowed("")), at));
    }
    at += 1;
    while is_space(*b.get(at)?) {
        at += 1;
    }
    let (raw, end) = match b[at] {
        q @ (b'"' | b'\'') => {
            let close = s[at + 1..].find(q as char)?;
            (&s[at + 1..at + 1 + close], at + close + 2)
        }
        _ => {
            let close = b[at..]
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b'>')?;
            let raw = &s[at..at + close];
            if raw.is_empty() || has_any(raw, b"\"'<=`") {
                return None;
            }
            (raw, at + close)
        }
    };
    Some(((name, decode(raw)?), end))
}

/// The end tag at the start of `s` (`</`): a name and `>`, nothing else.
fn end_tag(s: &str) -> Option<(Cow<'_, str>, usize)> {
    if !s.as_bytes().get(2)?.is_ascii_alphabetic() {
        return None;
    }
    let len = name_len(&s[2..])?;
    let name = lower(&s[2..2 + len]);
    let after = s[2 + len..].trim_start_matches([' ', '\t', '\n', '\x0c']);
    if !after.starts_with('>') {
        return None;
    }
    let used = s.len() - after.len() + 1;
    Some((name, used))
}

/// The length of the comment at the start of `s` (`<!--`), when it ends plainly.
fn comment(s: &str) -> Option<usize> {
    let body = &s[4..];
    if body.starts_with('>') || body.starts_with("->") {
        return None;
    }
    let end = body.find("-->")?;
    if body[..end].contains("--!") {
        return None;
    }
    Some(4 + end + 3)
}

/// Where the raw text of element `name` ends in `s`: at `</name` followed by a space, `/`
/// or `>`, as the tokenizer ends it.
fn end_of_raw(s: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + s[from..].find("</")?;
        let after = &s[at + 2..];
        if after.len() > name.len()
            && after.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                after.as_bytes()[name.len()],
                b' ' | b'\t' | b'\n' | b'\x0c' | b'/' | b'>'
            )
        {
            return Some(at);
        }
        from = at + 2;
    }
}

/// An attribute value with its character references read: only `&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&apos;` and numeric ones; `None` for any other.
fn decode(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('&') {
        return Some(raw.into());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let end = tail.find(';')?;
        let c = match &tail[..end] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            num => numeric(num)?,
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Some(out.into())
}

/// `#39` or `#x27` as the character it stands for, when it is a plain one.
fn numeric(s: &str) -> Option<char> {
    let digits = s.strip_prefix('#')?;
    let n = match digits.strip_prefix(['x', 'X']) {
        Some(hex) if !hex.is_empty() && hex.len() <= 6 => u32::from_str_radix(hex, 16).ok()?,
        None if !digits.is_empty() && digits.len() <= 7 => digits.parse().ok()?,
        _ => return None,
    };
    // Control characters and the C1 range are mapped or refused by the tokenizer.
    match n {
        0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfdcf | 0xfdf0..=0xfffd => char::from_u32(n),
        0x0a => Some('\n'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };

    use super::super::{Inline, Memo, Sink, raw_kind, tokenized};
    use super::*;

    /// What a browser's tokenizer reads in `html`: tags with their attributes, and the text
    /// between them (merged), one line each.
    fn tokens(html: &str) -> Vec<String> {
        struct Seen(RefCell<Vec<String>>);
        impl TokenSink for Seen {
            type Handle = ();
            fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
                let mut seen = self.0.borrow_mut();
                match token {
                    Token::TagToken(t) => {
                        let attrs: Vec<String> = t
                            .attrs
                            .iter()
                            .map(|a| format!("{}={:?}", &*a.name.local, &*a.value))
                            .collect();
                        seen.push(format!("{:?} {} {}", t.kind, &*t.name, attrs.join(" ")));
                        if t.kind == TagKind::StartTag
                            && let Some(kind) = raw_kind(&t.name)
                        {
                            return TokenSinkResult::RawData(kind);
                        }
                    }
                    Token::CharacterTokens(text) => match seen.last_mut() {
                        Some(last) if last.starts_with("text ") => last.push_str(&text),
                        _ => seen.push(format!("text {}", &*text)),
                    },
                    Token::DoctypeToken(_) => seen.push("doctype".into()),
                    _ => {}
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Seen(RefCell::default()), TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.into_inner()
    }

    /// The fast path's single file of `html`, if it takes the page, and html5ever's.
    fn both(html: &str, base: Option<&str>) -> (Option<String>, String) {
        let fetch = |p: &str| match p {
            "style.css" => Some(b"body{background:url(a.png)}".to_vec()),
            "a.png" | "brieven/x/a.png" => Some(vec![7]),
            _ => None,
        };
        let memo = Memo::default();
        let inline = Inline {
            page_url: "brieven/x/index.html",
            base_url: base,
            fetch: &fetch,
            memo: &memo,
        };
        let sink = Sink::new(&inline, html.len());
        let fast = run(html, &sink).map(|()| sink.state.into_inner().out);
        let slow = String::from_utf8(tokenized(html.as_bytes(), &inline)).unwrap();
        (fast, slow)
    }

    #[test]
    fn reads_pages_as_the_tokenizer_does_or_leaves_them_to_it() {
        let page = "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
            <title>A &amp; B &lt;x&gt;</title><link rel=\"stylesheet\" href=\"../../style.css\">\
            <style>p{background:url(a.png)} a>b{}</style></head><body>\
            <nav><a href=\"../../index.html\">Home</a></nav><form action=\"x\"><input disabled>\
            </form><main><h1 id=\"t\">Titel &eacute; &#39;x&#39;</h1>\
            <p class=a title='it&apos;s &quot;q&quot;'>Tekst &amp; meer <a href=\"../y/index.html?a=1&amp;b=2#k\">Y</a>\
            <a href=\"#t\">T</a> <img src=\"a.png\" alt=\"Een &amp; ander\"><img src=\"https://e.nl/p.png\" alt=\"Buiten\">\
            <br/><span style=\"background:url('a.png')\">s</span></p>\
            <section data-enkel-bestand=\"weg\"><p>weg</p></section>\
            <script>if (a < b && c > d) {}</script><!-- een opmerking --><p>a > b</p>\
            <textarea>x <b> y</textarea><svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg></main></body></html>\n";
        for base in [None, Some("https://raad.example.nl/s/")] {
            let (fast, slow) = both(page, base);
            let fast = fast.expect("a plain page takes the fast path");
            assert_eq!(tokens(&fast), tokens(&slow), "{fast}\n{slow}");
        }
        // Pages the scanner does not read with certainty go to the tokenizer.
        for odd in [
            "<p>a < b</p>",
            "<p>a\r\nb</p>",
            "<p title=\"&eacute;\">x</p>",
            "<p title=\"a&b\">x</p>",
            "<p a=1 a=2>x</p>",
            "<!-->x",
            "<!--x--!>y-->",
            "<![CDATA[x]]>",
            "<?xml x?>",
            "</>",
            "</p x>",
            "<p/x>",
            "<script><!--<script>x</script>y</script>",
            "<style>x",
            "<p title=x\"y>z</p>",
            "<p title=\"&#128;\">x</p>",
            "<p",
            "<!é",
            "<!doctypé>",
        ] {
            let (fast, slow) = both(odd, None);
            if let Some(fast) = fast {
                panic!("{odd:?} took the fast path: {fast:?} (tokenizer: {slow:?})");
            }
        }
        // And where it does read them, it reads them alike.
        for plain in [
            "<P CLASS=\"A\">x</P >",
            "<p title=a/b>x</p>",
            "<p\ttitle = 'x' hidden>x</p>",
            "<style>a{}</STYLE ><p>after</p>",
            "<p title=\"&#x27;&#10;\">x</p>",
            "text only & more",
            "<style>a{content:\"</sté\"}</style><p>é</p>",
            "<title>a</tïtle></title>",
        ] {
            let (fast, slow) = both(plain, None);
            let fast = fast.unwrap_or_else(|| panic!("{plain:?}"));
            assert_eq!(tokens(&fast), tokens(&slow), "{plain:?}");
        }
    }
}
