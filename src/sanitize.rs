//! Raw HTML in Markdown is cleaned with an allow-list (ammonia) unless `site.toml` trusts it
//! (`[markdown] allow_raw_html = true`): content is written by many hands, and no script,
//! event handler, `javascript:` URL or frame may reach a council member's browser.
//!
//! What stays is what authors legitimately write and what the Markdown renderer emits:
//! text markup, tables (with their alignment), `abbr`, `lang` and `dir` for the language of
//! parts, ids (heading anchors, footnotes), classes, and disabled task-list checkboxes.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::Builder;

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.add_generic_attributes(["id", "class", "dir"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(|element, attribute, value| {
            if element == "input" && attribute == "type" && value != "checkbox" {
                None
            } else {
                Some(value.into())
            }
        })
        // Links keep what the author wrote; the site sends nothing to third parties anyway.
        .link_rel(None);
    b
});

/// URL schemes a link may use, the same as for links in raw HTML: `https:`, `mailto:`,
/// `tel:` and the like; not `javascript:`, `vbscript:` or `data:`.
static SCHEMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| CLEANER.clone_url_schemes());

/// The scheme of `link` as a browser reads it (lowercase, leading spaces and control
/// characters and any tab or newline ignored), or `None` for a path.
pub fn scheme(link: &str) -> Option<String> {
    let cleaned: String = link
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// True when a link with this scheme may be published without trusting the author.
pub fn is_allowed_scheme(scheme: &str) -> bool {
    SCHEMES.contains(scheme)
}

/// `html` with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn removes_script_and_keeps_markup() {
        let out = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:alert(1)\">b</a>\
             <iframe src=\"https://example.org\"></iframe>\
             <span lang=\"en\">c</span><abbr title=\"d\">D</abbr></p>",
        );
        assert_eq!(
            out,
            "<p>a<a>b</a><span lang=\"en\">c</span><abbr title=\"d\">D</abbr></p>"
        );
    }

    #[test]
    fn schemes_as_browsers_read_them() {
        use super::{is_allowed_scheme, scheme};
        assert_eq!(
            scheme(" \u{1}Java\tScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("https://example.org").as_deref(), Some("https"));
        assert_eq!(scheme("../a.md#x:y"), None);
        assert_eq!(scheme("a b:c"), None);
        assert!(is_allowed_scheme("mailto") && is_allowed_scheme("tel"));
        assert!(!is_allowed_scheme("javascript") && !is_allowed_scheme("data"));
    }

    #[test]
    fn keeps_what_markdown_emits() {
        let html = "<h2 id=\"kop\">Kop</h2><table><thead><tr><th style=\"text-align: center\">x</th></tr></thead></table>\
                    <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> klaar</li></ul>\
                    <sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>";
        let out = clean(html);
        assert!(out.contains("<h2 id=\"kop\">"), "{out}");
        assert!(out.contains("text-align:center"), "{out}");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("checked"), "{out}");
        assert!(out.contains("class=\"footnote-reference\""), "{out}");
        assert!(out.contains("href=\"#1\""), "{out}");
        assert!(!clean("<input type=\"text\">").contains("text"));
    }
}
