//! Captions for Markdown tables. CommonMark tables have no caption; an author gives one by
//! writing a paragraph that starts with `Tabel:` directly above the table. It becomes the
//! table's `<caption>`, so screen readers announce the table by its name.

use crate::markdown::Html;

/// The paragraph prefix that marks a caption.
const PREFIX: &str = "<p>Tabel: ";

/// Moves every `Tabel: ...` paragraph that directly precedes a table into that table as its
/// `<caption>`; other paragraphs are left alone.
pub fn caption(mut html: Html) -> Html {
    if !html.html.contains(PREFIX) {
        return html;
    }
    let text = &html.html;
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(PREFIX) {
        let after = &rest[start + PREFIX.len()..];
        let Some(end) = after.find("</p>") else { break };
        let tail = &after[end + "</p>".len()..];
        let table = tail.trim_start_matches(['\n', ' ']);
        let caption = after[..end].trim();
        if table.starts_with("<table>") && !after[..end].contains("<p>") && !caption.is_empty() {
            out.push_str(&rest[..start]);
            out.push_str("<table>\n<caption>");
            out.push_str(caption);
            out.push_str("</caption>");
            rest = &table["<table>".len()..];
        } else {
            out.push_str(&rest[..start + PREFIX.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    html.html = out;
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        caption(Html {
            html: s.to_owned(),
            ..Html::default()
        })
        .html
    }

    #[test]
    fn paragraph_before_a_table_becomes_its_caption() {
        assert_eq!(
            run("<p>Tabel: Aandeel <em>per</em> gemeente</p>\n<table><thead></thead></table>"),
            "<table>\n<caption>Aandeel <em>per</em> gemeente</caption><thead></thead></table>"
        );
    }

    #[test]
    fn other_paragraphs_stay() {
        let s = "<p>Tabel: niet gevolgd door een tabel</p>\n<ul><li>x</li></ul>\n<p>Tabel: </p>\n<table></table>";
        assert_eq!(run(s), s);
    }
}
