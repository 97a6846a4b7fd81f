//! The file formats of an MDTO `bestandsformaat`, as PRONOM identifiers (the format registry
//! of The National Archives, UK, that MDTO prescribes). Each id below was looked up in PRONOM
//! (<https://www.nationalarchives.gov.uk/PRONOM/>, the registry that DROID and siegfried read);
//! the registry, not this table, is the authority. Formats without a fitting PRONOM entry are
//! described by their IANA media type instead.
//!
//! Identified by hand, without DROID: from the extension, and for PDF from the file itself
//! (the PDF/A part and conformance in its XMP metadata, else the version in its header),
//! since a PDF/A rendition and a plain PDF share the extension.

/// One format: its PRONOM id (`None`: no fitting entry) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The PRONOM unique identifier, e.g. `fmt/471`.
    pub puid: Option<&'static str>,
    /// The format's name in PRONOM, or the media type when there is no id.
    pub label: &'static str,
}

const fn fmt(puid: &'static str, label: &'static str) -> Format {
    Format {
        puid: Some(puid),
        label,
    }
}

/// The format of the file at `path` with these `bytes`.
pub fn identify(path: &str, bytes: &[u8]) -> Format {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|f| f.rsplit_once('.'))
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    match ext.as_str() {
        // fmt/471: HTML 5 (raadsite writes `<!DOCTYPE html>`); fmt/96: HTML of unknown version.
        "html" | "htm" if is_html5(bytes) => fmt("fmt/471", "Hypertext Markup Language 5"),
        "html" | "htm" => fmt("fmt/96", "Hypertext Markup Language"),
        "pdf" => pdf(bytes),
        "png" => fmt("fmt/13", "Portable Network Graphics 1.2"),
        "jpg" | "jpeg" => fmt("fmt/43", "JPEG File Interchange Format 1.01"),
        "gif" => fmt("fmt/4", "Graphics Interchange Format 89a"),
        "svg" => fmt("fmt/92", "Scalable Vector Graphics 1.1"),
        "css" => fmt("x-fmt/224", "Cascading Style Sheet"),
        "json" => fmt("fmt/817", "JSON Data Interchange Format"),
        "xml" => fmt("fmt/101", "Extensible Markup Language"),
        "txt" | "md" => fmt("x-fmt/111", "Plain Text File"),
        "csv" => fmt("x-fmt/18", "Comma Separated Values"),
        "docx" => fmt("fmt/412", "Microsoft Word for Windows 2007 onwards"),
        "xlsx" => fmt("fmt/214", "Microsoft Excel for Windows 2007 onwards"),
        "pptx" => fmt("fmt/215", "Microsoft Powerpoint for Windows 2007 onwards"),
        _ => Format {
            puid: None,
            label: crate::mime::content_type(path)
                .split(';')
                .next()
                .unwrap_or("application/octet-stream"),
        },
    }
}

fn is_html5(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("<!doctype html>")
}

/// A PDF: PDF/A by the `pdfaid` part and conformance of its XMP metadata, else plain PDF by
/// the version of its header.
fn pdf(bytes: &[u8]) -> Format {
    let pdfa = match (
        xmp_value(bytes, "pdfaid:part"),
        xmp_value(bytes, "pdfaid:conformance"),
    ) {
        (Some(part), Some(level)) => match (part.as_str(), level.to_ascii_lowercase().as_str()) {
            ("1", "a") => Some(fmt("fmt/95", "Acrobat PDF/A - Portable Document Format 1a")),
            ("1", "b") => Some(fmt(
                "fmt/354",
                "Acrobat PDF/A - Portable Document Format 1b",
            )),
            ("2", "a") => Some(fmt(
                "fmt/476",
                "Acrobat PDF/A - Portable Document Format 2a",
            )),
            ("2", "b") => Some(fmt(
                "fmt/477",
                "Acrobat PDF/A - Portable Document Format 2b",
            )),
            ("2", "u") => Some(fmt(
                "fmt/478",
                "Acrobat PDF/A - Portable Document Format 2u",
            )),
            ("3", "a") => Some(fmt(
                "fmt/479",
                "Acrobat PDF/A - Portable Document Format 3a",
            )),
            ("3", "b") => Some(fmt(
                "fmt/480",
                "Acrobat PDF/A - Portable Document Format 3b",
            )),
            ("3", "u") => Some(fmt(
                "fmt/481",
                "Acrobat PDF/A - Portable Document Format 3u",
            )),
            _ => None,
        },
        _ => None,
    };
    if let Some(f) = pdfa {
        return f;
    }
    let version = bytes
        .strip_prefix(b"%PDF-")
        .map(|rest| String::from_utf8_lossy(&rest[..rest.len().min(3)]).into_owned());
    match version.as_deref() {
        Some("1.0") => fmt("fmt/14", "Portable Document Format 1.0"),
        Some("1.1") => fmt("fmt/15", "Portable Document Format 1.1"),
        Some("1.2") => fmt("fmt/16", "Portable Document Format 1.2"),
        Some("1.3") => fmt("fmt/17", "Portable Document Format 1.3"),
        Some("1.4") => fmt("fmt/18", "Portable Document Format 1.4"),
        Some("1.5") => fmt("fmt/19", "Portable Document Format 1.5"),
        Some("1.6") => fmt("fmt/20", "Portable Document Format 1.6"),
        Some("1.7") => fmt("fmt/276", "Portable Document Format 1.7"),
        Some("2.0") => fmt("fmt/1129", "Portable Document Format 2.0"),
        _ => Format {
            puid: None,
            label: "application/pdf",
        },
    }
}

/// The value of an XMP property written as an attribute (`name="2"`) or an element
/// (`<name>2</name>`), in the uncompressed metadata stream PDF/A requires.
fn xmp_value(bytes: &[u8], name: &str) -> Option<String> {
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let at = find(format!("{name}=").as_bytes())
        .map(|i| i + name.len() + 1)
        .or_else(|| find(format!("<{name}>").as_bytes()).map(|i| i + name.len() + 2))?;
    let rest = &bytes[at..bytes.len().min(at + 8)];
    let value: String = String::from_utf8_lossy(rest)
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            identify("a/index.html", b"<!DOCTYPE html>\n<html>").puid,
            Some("fmt/471")
        );
        let pdfa =
            b"%PDF-1.7\n... <pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>";
        assert_eq!(identify("brief.pdf", pdfa).puid, Some("fmt/478"));
        let attr = b"%PDF-1.7\n pdfaid:part=\"2\" pdfaid:conformance=\"B\"";
        assert_eq!(identify("brief.pdf", attr).puid, Some("fmt/477"));
        assert_eq!(identify("plan.pdf", b"%PDF-1.4\n%").puid, Some("fmt/18"));
        assert_eq!(identify("x.PNG", b"").puid, Some("fmt/13"));
        assert_eq!(
            identify("x.woff2", b""),
            Format {
                puid: None,
                label: "font/woff2"
            }
        );
    }
}
