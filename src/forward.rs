//! The forwarding kit of a letter or opgave: its permanent link and a ready-made e-mail
//! (`mailto:` with subject and body), computed here so that templates need no URL encoding.

use serde::Serialize;

/// What the "doorsturen" part of a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forward {
    /// The permanent link: absolute when `base_url` is set, otherwise the page's path
    /// relative to the site root (the page's script then makes it absolute from its own
    /// address, which works from disk too).
    pub link: String,
    /// Whether `link` is absolute.
    pub absoluut: bool,
    /// Subject of the e-mail: the title with the kenmerk, or "Opgave 3: title".
    pub onderwerp: String,
    /// One-line summary for the body of the e-mail.
    pub samenvatting: Option<String>,
    /// `mailto:?subject=...&body=...`, percent-encoded.
    pub mailto: String,
    /// The page's single-file rendition, relative to the page: `x.html` beside
    /// `brieven/x/index.html` (see [`crate::paths::single_file_of`]).
    pub bestand: String,
}

impl Forward {
    /// The kit for the page at `url` (relative to the site root, ending in `index.html`).
    pub fn new(
        base_url: Option<&str>,
        url: &str,
        onderwerp: String,
        samenvatting: Option<&str>,
    ) -> Forward {
        let (link, absoluut) = match base_url {
            Some(b) => (permalink(b, url), true),
            None => (url.to_owned(), false),
        };
        let samenvatting = samenvatting
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty());
        let mailto = mailto(&onderwerp, &mail_body(&link, samenvatting.as_deref()));
        let single = crate::paths::single_file_of(url);
        Forward {
            link,
            absoluut,
            onderwerp,
            samenvatting,
            mailto,
            bestand: single.rsplit('/').next().unwrap_or(&single).to_owned(),
        }
    }
}

/// The subject line: a letter's title with its kenmerk, an opgave's number and title.
pub fn subject(title: &str, kenmerk: Option<&str>, opgave: Option<u32>) -> String {
    match (kenmerk, opgave) {
        (Some(k), _) if !k.trim().is_empty() => format!("{title} (kenmerk {})", k.trim()),
        (_, Some(n)) => format!("Opgave {n}: {title}"),
        _ => title.to_owned(),
    }
}

/// The absolute URL of the page at `url` under `base_url` (which ends in `/`); a folder's
/// `index.html` is left out, as in the canonical link.
pub fn permalink(base_url: &str, url: &str) -> String {
    format!(
        "{base_url}{}",
        crate::links::encode_path(url.strip_suffix("index.html").unwrap_or(url))
    )
}

/// The body of the e-mail: the link, then the summary. The page's script builds the same
/// body when it replaces a relative link by the page's address.
pub fn mail_body(link: &str, samenvatting: Option<&str>) -> String {
    match samenvatting {
        Some(s) => format!("{link}\r\n\r\n{s}"),
        None => link.to_owned(),
    }
}

/// A `mailto:` URL without recipient (RFC 6068): the reader picks the addressee.
pub fn mailto(subject: &str, body: &str) -> String {
    format!(
        "mailto:?subject={}&body={}",
        encode_component(subject),
        encode_component(body)
    )
}

/// Percent-encodes everything but the unreserved characters of RFC 3986, so spaces become
/// `%20` (not `+`, which mail programs show as is) and `&`, `=`, `?`, `#` cannot break the URL.
pub fn encode_component(s: &str) -> String {
    crate::links::percent_encode(s, b"-._~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::percent_decode;

    #[test]
    fn encodes_every_reserved_character() {
        assert_eq!(
            encode_component("a b&c=d?e#f+g"),
            "a%20b%26c%3Dd%3Fe%23f%2Bg"
        );
        assert_eq!(encode_component("Regio's ï"), "Regio%27s%20%C3%AF");
        assert_eq!(encode_component("x\r\ny"), "x%0D%0Ay");
    }

    #[test]
    fn subject_has_kenmerk_or_number() {
        assert_eq!(subject("Plan", Some("26"), None), "Plan (kenmerk 26)");
        assert_eq!(subject("Wonen", None, Some(3)), "Opgave 3: Wonen");
        assert_eq!(subject("Over", Some(" "), None), "Over");
    }

    #[test]
    fn mailto_decodes_to_subject_and_body() {
        let f = Forward::new(
            Some("https://raad.example.nl/twente/"),
            "brieven/plan/index.html",
            "Plan & vervolg (kenmerk 1)".into(),
            Some("Een  regel\nmet  spaties."),
        );
        assert_eq!(f.link, "https://raad.example.nl/twente/brieven/plan/");
        assert!(f.absoluut);
        let (subject, body) = f
            .mailto
            .strip_prefix("mailto:?subject=")
            .and_then(|r| r.split_once("&body="))
            .expect("subject and body");
        assert_eq!(percent_decode(subject), "Plan & vervolg (kenmerk 1)");
        assert_eq!(
            percent_decode(body),
            "https://raad.example.nl/twente/brieven/plan/\r\n\r\nEen regel met spaties."
        );
    }

    #[test]
    fn without_base_url_the_link_is_relative() {
        let f = Forward::new(None, "opgaven/x/index.html", "X".into(), None);
        assert_eq!(f.link, "opgaven/x/index.html");
        assert!(!f.absoluut);
        assert_eq!(f.mailto, "mailto:?subject=X&body=opgaven%2Fx%2Findex.html");
    }
}
