//! Just enough HTML reading for snapshots: a page's title, its readable text for diffs, and the
//! place to put the archive banner. The input is raadsite's own well-formed output.

pub use crate::escape::html as escape;

/// The text of the first `<h1>`, else of `<title>`.
pub fn title(html: &str) -> Option<String> {
    ["h1", "title"].iter().find_map(|tag| {
        let inner = element(html, tag)?;
        let t = collapse(&decode(&strip_tags(inner)));
        (!t.is_empty()).then_some(t)
    })
}

/// The readable text of a page, one block (paragraph, heading, list item, row) per line: the
/// content of `<main>` when there is one, else of `<body>`, without scripts and styles.
pub fn text(html: &str) -> String {
    let inner = element(html, "main")
        .or_else(|| element(html, "body"))
        .unwrap_or(html);
    let mut out = String::new();
    let mut rest = inner;
    // Source line breaks are spaces; only block elements start a new line, and table cells are
    // marked so that a row reads "a | b" without empty cells.
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt].replace(['\n', '\r'], " "));
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[gt + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        match name.as_str() {
            "p" | "div" | "br" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt"
            | "dd" | "section" | "article" | "header" | "footer" | "table" | "ul" | "ol" | "dl"
            | "blockquote" | "pre" | "figure" | "figcaption" | "address" | "nav" => {
                out.push('\n');
            }
            "td" | "th" => out.push(CELL),
            _ => {}
        }
    }
    out.push_str(&rest.replace(['\n', '\r'], " "));
    decode(&out)
        .lines()
        .map(|l| {
            l.split(CELL)
                .map(collapse)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Marks the start of a table cell in extracted text.
const CELL: char = '\u{1f}';

/// The content of the first `<tag ...>...</tag>`.
fn element<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let open = find_open(html, tag)?;
    let start = open + html[open..].find('>')? + 1;
    let end = html[start..].find(&format!("</{tag}>"))? + start;
    Some(&html[start..end])
}

/// Byte offset of the first opening `<tag` (followed by `>` or whitespace).
fn find_open(html: &str, tag: &str) -> Option<usize> {
    let needle = format!("<{tag}");
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let at = from + i;
        match html[at + needle.len()..].chars().next() {
            Some('>' | ' ' | '\n' | '\t' | '\r') => return Some(at),
            _ => from = at + needle.len(),
        }
    }
    None
}

/// Where to insert the archive banner: just inside `<main ...>` so it sits in a landmark at the
/// top of the content, else just inside `<body ...>`.
pub fn banner_offset(html: &str) -> Option<usize> {
    ["main", "body"].iter().find_map(|tag| {
        let open = find_open(html, tag)?;
        Some(open + html[open..].find('>')? + 1)
    })
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the character references raadsite and pulldown-cmark write.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_text() {
        let html = "<html><head><title>T &amp; co</title></head><body><header>Kop</header>\
                    <main id=\"inhoud\"><h1>Brief <em>één</em></h1><p>Eerste\n  regel</p>\
                    <table><tr>\n<th>a</th>\n<td></td><td>b</td></tr></table><script>x()</script></main></body></html>";
        assert_eq!(title(html).as_deref(), Some("Brief één"));
        assert_eq!(
            title("<title>Alleen &lt;titel&gt;</title>").as_deref(),
            Some("Alleen <titel>")
        );
        assert_eq!(text(html), "Brief één\nEerste regel\na | b");
        let at = banner_offset(html).unwrap();
        assert!(html[..at].ends_with("<main id=\"inhoud\">"));
    }
}
