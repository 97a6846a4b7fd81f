//! Paths between output files: every internal link is relative, so the site works from
//! `file://`, from a zip and under any sub-path of a web server.

/// The prefix that leads from the folder of output file `url` back to the site root:
/// `""` for `index.html`, `"../../"` for `brieven/x/index.html`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Resolves `target` (a link as written in a file in folder `base_dir`, both relative to one
/// root; a leading `/` means that root) to a normalised root-relative path. `None` when it
/// climbs above the root or is not a plain path.
pub fn resolve(base_dir: &str, target: &str) -> Option<String> {
    if target.contains('\\') || target.contains('\0') {
        return None;
    }
    let (base, target) = match target.strip_prefix('/') {
        Some(t) => ("", t),
        None => (base_dir, target),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Decodes `%XX` escapes (a link to `mijn%20bijlage.pdf` means the file `mijn bijlage.pdf`).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes `%XX` escapes strictly, as a request path must be: `None` for a malformed escape
/// or text that is not UTF-8 (see [`percent_decode`] for links, which are forgiving).
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// True for links that leave the site or are not paths: `https:`, `mailto:`, `//host`.
pub fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    match link.find(':') {
        Some(colon) => !link[..colon].contains(['/', '?', '#']),
        None => false,
    }
}

/// Escapes a path for use in an `href`: spaces and other characters that are not allowed
/// in a URL are percent-encoded; `/` stays.
pub fn encode_path(path: &str) -> String {
    percent_encode(path, b"-._~/!$&'()*+,;=:@")
}

/// Percent-encodes every byte of `s` except ASCII letters, digits and the bytes in `keep`.
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            // Not `format!`: a subject and a summary are encoded for every page.
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("brieven/x/index.html"), "../../");
    }

    #[test]
    fn resolves() {
        assert_eq!(
            resolve("brieven", "../opgaven/01.md").as_deref(),
            Some("opgaven/01.md")
        );
        assert_eq!(
            resolve("brieven", "/opgaven/01.md").as_deref(),
            Some("opgaven/01.md")
        );
        assert_eq!(
            resolve("brieven", "./a/./b.md").as_deref(),
            Some("brieven/a/b.md")
        );
        assert_eq!(resolve("brieven", "../../etc/passwd"), None);
    }

    #[test]
    fn decodes_and_encodes() {
        assert_eq!(percent_decode("mijn%20bijlage.pdf"), "mijn bijlage.pdf");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(
            encode_path("brieven/mijn bijlage.pdf"),
            "brieven/mijn%20bijlage.pdf"
        );
    }

    #[test]
    fn external() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external("../a.md"));
    }
}
