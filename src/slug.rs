//! URL slugs: lowercase ASCII words joined by hyphens.

/// Turns a title or name into a slug: accents folded ("geïnformeerd" -> "geinformeerd"),
/// lowercase, runs of other characters replaced by one hyphen.
pub fn slugify(text: &str) -> String {
    // Borrowed when `text` is ASCII already, as file names and tags mostly are.
    let ascii = deunicode::deunicode_with_tofu_cow(text, "[?]");
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Regio's" -> "regios", as readers type it
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// True when `s` can be used as one path segment of a URL as it stands: ASCII letters,
/// digits, `-` and `_`, so no slug can point outside its folder.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hof van Twente"), "hof-van-twente");
        assert_eq!(slugify("Rijssen-Holten"), "rijssen-holten");
        assert_eq!(slugify("Vitale Regio's (NPVR)"), "vitale-regios-npvr");
        assert_eq!(slugify("geïnformeerd  ...  "), "geinformeerd");
        assert!(is_slug("plan-voor-de-regio"));
        assert!(!is_slug("../etc"));
        assert!(!is_slug(""));
    }
}
