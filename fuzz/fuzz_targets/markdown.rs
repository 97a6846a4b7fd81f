//! Markdown to HTML with link rewriting and the raw HTML sanitiser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (html, _) = raadsite::fuzzing::markdown(body, false);
    if let Some(bad) = active_content(&html) {
        panic!("{bad} survived sanitising: {html}");
    }
    let _ = raadsite::fuzzing::markdown(body, true);
});

/// The first script-capable tag or event-handler attribute in `html`, outside attribute
/// values and text (where `<` is escaped).
fn active_content(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        if ["script", "iframe", "object", "embed", "style", "form"].contains(&name.as_str()) {
            return Some(format!("<{name}>"));
        }
        // Attributes up to the end of the tag.
        while i < b.len() && b[i] != b'>' {
            match b[i] {
                b'"' | b'\'' => {
                    let q = b[i];
                    i += 1;
                    let vstart = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    let value = html[vstart..i.min(b.len())].trim().to_ascii_lowercase();
                    if value.starts_with("javascript:") || value.starts_with("vbscript:") {
                        return Some(format!("URL {value}"));
                    }
                    i += 1;
                }
                c if c.is_ascii_whitespace() => {
                    i += 1;
                    let astart = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                        i += 1;
                    }
                    let attr = html[astart..i].to_ascii_lowercase();
                    if attr.starts_with("on") && attr.len() > 2 {
                        return Some(format!("attribute {attr}"));
                    }
                }
                _ => i += 1,
            }
        }
    }
    None
}
