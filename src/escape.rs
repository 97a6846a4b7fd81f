//! One escaper per output language that raadsite writes by hand, a leaf: HTML and XML text
//! and attribute values here, JSON in `json.rs`, URLs (percent-encoding) in `links.rs`.
//! Tera escapes what templates print; these are for the few fragments made in Rust (the
//! glossary's marks in a body, archive pages, feeds).
//!
//! Written by hand: the rules differ per language in exactly the ways below, and a crate
//! (`html-escape`, `quick-xml`) would add a dependency for a dozen lines.

/// Escapes text for HTML content and for attribute values in double quotes, which is how
/// raadsite writes every attribute: `&`, `<`, `>` and `"`. An apostrophe stays as it is,
/// so that Dutch text ("regio's") reads the same in the source of a page.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    html_into(&mut out, s);
    out
}

/// [`html`], appending to `out`.
pub fn html_into(out: &mut String, s: &str) {
    // Runs between the escaped characters are copied whole: a `data:` URI in a single file
    // is hundreds of kilobytes without one.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Escapes text for XML 1.0 content and attribute values: the five predefined entities,
/// and control characters other than tab and newline dropped (XML 1.0 allows none of them,
/// not even as character references).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_into(&mut out, s);
    out
}

/// [`xml`], appending to `out`.
pub fn xml_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_breaks_text_or_a_double_quoted_attribute() {
        assert_eq!(
            html(r#"<a href="x">Regio's & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Regio's &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn xml_escapes_the_five_entities_and_drops_control_characters() {
        assert_eq!(
            xml("<t a='1'>\u{0}\u{1b}x\ty\n</t>&"),
            "&lt;t a=&apos;1&apos;&gt;x\ty\n&lt;/t&gt;&amp;"
        );
    }
}
