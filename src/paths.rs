//! The registry of generated paths: where the files that raadsite makes besides the pages
//! go. A leaf: `site` claims these paths so that no page can collide with them, and the
//! generators (feeds, metadata, glossary) write to them, both from this one list.

/// The feed of all letters.
pub const LETTERS_FEED: &str = "brieven/atom.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The robots file.
pub const ROBOTS: &str = "robots.txt";
/// Output path of the list of all documents' metadata (it lists the parts that list them).
pub const METADATA_INDEX: &str = "index.json";
/// The folder of the parts of [`METADATA_INDEX`].
pub const METADATA_PARTS: &str = "index";
/// The glossary page.
pub const GLOSSARY: &str = "begrippen/index.html";

/// The feed of the letters addressed to gemeente `slug`.
pub fn gemeente_feed(slug: &str) -> String {
    format!("gemeenten/{slug}/atom.xml")
}

/// Path of the part of [`METADATA_INDEX`] that lists the letters of a month (`month` is
/// `YYYY-MM`), or the opgaven (`None`).
pub fn metadata_part(month: Option<&str>) -> String {
    format!("{METADATA_PARTS}/{}.json", month.unwrap_or("opgaven"))
}

/// Path of the `metadata.json` of a page published at `url`, in the page's folder.
pub fn metadata_of(url: &str) -> String {
    match url.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/metadata.json"),
        None => "metadata.json".to_owned(),
    }
}

/// Path of the single-file rendition (see `onefile`) of the page published at `url`, in the
/// page's folder and named after it: `brieven/x/index.html` has `brieven/x/x.html`.
pub fn single_file_of(url: &str) -> String {
    let dir = url.rsplit_once('/').map_or("", |(d, _)| d);
    let name = dir
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("pagina");
    match dir {
        "" => format!("{name}.html"),
        d => format!("{d}/{name}.html"),
    }
}

/// Whether output path `path` is a single-file rendition, not a page of the site.
pub fn is_single_file(path: &str) -> bool {
    match path.rsplit_once('/') {
        Some((dir, file)) => {
            let name = dir.rsplit('/').next().unwrap_or(dir);
            file.strip_suffix(".html") == Some(name)
        }
        None => false,
    }
}

/// Path of the PDF named `stem` of a page published at `url`, in the page's folder.
pub fn pdf_of(url: &str, stem: &str) -> String {
    match url.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{stem}.pdf"),
        None => format!("{stem}.pdf"),
    }
}
