//! Publishing the snapshots with the site: `build` adds every snapshot under
//! `archief/LABEL/`, an overview at `archief/index.html` and the differences between
//! consecutive versions at `archief/diff-A-B/index.html`.
//!
//! Each version is published in the rendition of the build's profile: an openbaar build
//! shows the openbaar rendition of every version, and leaves out versions that have none.
//! Files are published exactly as frozen. The one exception is the banner on archived pages
//! ("Dit is de versie van 7 mei 2026 - bekijk de actuele versie"): it is inserted at publish
//! time as a single block between [`BANNER_START`] and [`BANNER_END`], right after the opening
//! `<main>` tag. The manifest covers the frozen bytes without the banner, which are the bytes
//! in the store; [`unbanner`] turns a published page back into them. Freezing the banner into
//! the pages instead would put the snapshot's date into every page and defeat the
//! deduplication of unchanged files between versions.

use std::collections::HashSet;

use rayon::prelude::*;

use super::diff::{self, Changed, Document, Line, SnapshotDiff};
use super::html::{self, escape};
use super::manifest::is_page;
use super::store::sha256_hex;
use super::{ARCHIVE_DIR, FileEntry, Manifest, Store};
use crate::artifact::{CopiedFile, Emitted, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::root_prefix;
use crate::output::Sink;
use crate::profile::Profile;
use crate::site::{ArchivedVersion, Site};
use rustc_hash::{FxHashMap, FxHashSet};

/// Opens the banner block in a published page.
pub const BANNER_START: &str = "<!-- raadsite:archiefbanner -->";
/// Closes the banner block.
pub const BANNER_END: &str = "<!-- /raadsite:archiefbanner -->";

const BANNER_STYLE: &str = "background:#fff4ce;color:#1a1a1a;border:2px solid #1a1a1a;\
                            padding:0.5rem 1rem;margin:0 0 1rem";

/// Adds the published archive of `store` to `emitted`, each version in its rendition for
/// `profile`; nothing when the store holds no snapshots. Returns a warning for each version
/// left out because it has no rendition for `profile` (an openbaar build never publishes an
/// intranet rendition).
pub fn add(
    store: &Store,
    profile: Profile,
    emitted: &mut Emitted,
    sink: &Sink,
) -> Result<Diagnostics, Diagnostics> {
    let (manifests, warnings) = renditions(store, profile)?;
    if manifests.is_empty() {
        return Ok(warnings);
    }
    check_archive_free(emitted)?;
    let mut diags = publish_versions(store, &manifests, emitted, sink);
    let diffs = diff_consecutive(store, &manifests, &mut diags);
    let signed = store.public_key_file().is_file();
    diags.into_result(())?;
    let pages = diffs
        .iter()
        .map(|d| OutputFile {
            path: format!("{ARCHIVE_DIR}/{}/index.html", diff_dir(&d.from, &d.to)),
            bytes: diff_page(d, &manifests).into_bytes(),
        })
        .chain(std::iter::once(OutputFile {
            path: format!("{ARCHIVE_DIR}/index.html"),
            bytes: index_page(&manifests, signed).into_bytes(),
        }));
    for f in pages {
        sink(&f)?;
        emitted.paths.push(f.path);
    }
    if signed {
        emitted.copies.push(CopiedFile {
            path: format!("{ARCHIVE_DIR}/{}", super::sign::PUBLIC_KEY),
            from: store.public_key_file(),
        });
    }
    if profile == Profile::Intranet {
        publish_manifests(store, &manifests, emitted);
    }
    Ok(warnings)
}

/// The folder of the published manifests: a name no label can have (labels start with a
/// letter or digit).
pub const MANIFESTS_DIR: &str = "_manifesten";

/// Copies each version's manifest, and its signature when it has one, to
/// `archief/_manifesten/`, so that a reader of the intranet can check a version with the
/// published public key. Only the intranet build does this: a manifest lists the files and
/// titles of both renditions, internal pages included.
fn publish_manifests(store: &Store, manifests: &[Manifest], emitted: &mut Emitted) {
    for m in manifests {
        let to = format!("{ARCHIVE_DIR}/{MANIFESTS_DIR}/{}.json", m.label);
        let signature = store.signature_file(&m.label);
        if signature.is_file() {
            emitted.copies.push(CopiedFile {
                path: format!("{to}{}", super::sign::SIGNATURE_SUFFIX),
                from: signature,
            });
        }
        emitted.copies.push(CopiedFile {
            path: to,
            from: store.manifest_file(&m.label),
        });
    }
}

/// Per letter and opgave of `site`: the versions of `store` (in their rendition for
/// `profile`) that hold its page, newest first, each with its frozen copy and, when the page
/// changed since the version before, the place on the changes page that shows how.
pub fn page_versions(
    store: &Store,
    profile: Profile,
    site: &Site,
) -> Result<FxHashMap<String, Vec<ArchivedVersion>>, Diagnostics> {
    let wanted: FxHashSet<&str> = site
        .letters
        .iter()
        .chain(&site.opgaven)
        .map(|&i| site.pages[i].url.as_str())
        .collect();
    let mut out: FxHashMap<String, Vec<ArchivedVersion>> = FxHashMap::default();
    if wanted.is_empty() || !store.has_snapshots() {
        return Ok(out);
    }
    let (manifests, _) = renditions(store, profile)?;
    let mut before: Option<(&str, FxHashMap<&str, &str>)> = None;
    for m in &manifests {
        let pages: FxHashMap<&str, &str> = m
            .files
            .iter()
            .filter(|f| wanted.contains(f.path.as_str()))
            .map(|f| (f.path.as_str(), f.sha256.as_str()))
            .collect();
        for (&path, &sha) in &pages {
            let old = before.as_ref().map(|(l, p)| (*l, p.get(path).copied()));
            let changed = match old {
                Some((label, Some(old))) if old != sha => Some(label),
                _ => None,
            };
            out.entry(path.to_owned())
                .or_default()
                .push(ArchivedVersion {
                    label: m.label.clone(),
                    datum: m.dutch_date(),
                    datum_iso: m.created.clone(),
                    toelichting: m.note.clone(),
                    url: format!("{ARCHIVE_DIR}/{}/{path}", m.label),
                    wijzigingen: changed.map(|prev| {
                        format!(
                            "{ARCHIVE_DIR}/{}/index.html#{}",
                            diff_dir(prev, &m.label),
                            anchor(path)
                        )
                    }),
                    vorige: changed.map(str::to_owned),
                    nieuw: matches!(old, Some((_, None))),
                });
        }
        before = Some((&m.label, pages));
    }
    for versions in out.values_mut() {
        versions.reverse();
    }
    Ok(out)
}

/// The id of a document's section on a changes page.
pub fn anchor(path: &str) -> String {
    let slug: String = path
        .strip_suffix("/index.html")
        .unwrap_or(path)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("wijziging-{slug}")
}

/// Fails when the site itself has a file under [`ARCHIVE_DIR`], where the snapshots go.
fn check_archive_free(emitted: &Emitted) -> Result<(), Diagnostic> {
    let prefix = format!("{ARCHIVE_DIR}/");
    if let Some(f) = emitted
        .paths
        .iter()
        .chain(emitted.copies.iter().map(|c| &c.path))
        .find(|p| p.starts_with(&prefix))
    {
        return Err(Diagnostic::general(format!(
            "the site has its own {f}, but {prefix} is where the snapshots are published"
        ))
        .with_help("rename the content folder or file"));
    }
    Ok(())
}

/// Publishes every file of every version (in parallel): pages, with the banner, go to
/// `sink`, other files are copied from the store; returns the problems met.
fn publish_versions(
    store: &Store,
    manifests: &[Manifest],
    emitted: &mut Emitted,
    sink: &Sink,
) -> Diagnostics {
    let current: HashSet<&str> = emitted.paths.iter().map(String::as_str).collect();
    let published: Vec<Result<Published, Diagnostic>> = manifests
        .par_iter()
        .flat_map_iter(|m| m.files.iter().map(move |f| (m, f)))
        .map(|(m, f)| publish_file(store, m, f, &current))
        .collect();
    let mut diags = Diagnostics::new();
    for p in published {
        match p {
            Ok(Published::Page(f)) => {
                if let Err(d) = sink(&f) {
                    diags.push(d);
                }
                emitted.paths.push(f.path);
            }
            Ok(Published::Copy(c)) => emitted.copies.push(c),
            Err(d) => diags.push(d),
        }
    }
    diags
}

/// The differences between each version and the next (in parallel); a problem goes to
/// `diags` instead.
fn diff_consecutive(
    store: &Store,
    manifests: &[Manifest],
    diags: &mut Diagnostics,
) -> Vec<SnapshotDiff> {
    let diffs: Vec<Result<SnapshotDiff, Diagnostic>> = manifests
        .par_windows(2)
        .map(|pair| diff::diff_manifests(store, &pair[0], &pair[1]))
        .collect();
    diffs
        .into_iter()
        .filter_map(|d| d.map_err(|e| diags.push(e)).ok())
        .collect()
}

/// The store's versions as `profile` publishes them, oldest first, and a warning for each
/// version without a rendition for `profile`.
fn renditions(
    store: &Store,
    profile: Profile,
) -> Result<(Vec<Manifest>, Diagnostics), Diagnostics> {
    let mut warnings = Diagnostics::new();
    let mut kept = Vec::new();
    for m in store.manifests()? {
        match m.for_profile(profile) {
            Some(r) => kept.push(r.into_owned()),
            None => warnings.push(left_out(store, &m, profile)),
        }
    }
    Ok((kept, warnings))
}

fn left_out(store: &Store, m: &Manifest, profile: Profile) -> Diagnostic {
    Diagnostic::in_file(
        store.shown(&m.label),
        format!(
            "snapshot \"{}\" is left out of this {profile} build: it was frozen by raadsite {} \
             from the intranet site only, and publishing it would show what {profile} leaves out",
            m.label, m.raadsite_version
        ),
    )
    .with_help(
        "to publish this version openly, create a new snapshot from the same sources; the old \
         one stays in the intranet archive",
    )
    .warning()
}

/// One archived file as published.
enum Published {
    Page(OutputFile),
    Copy(CopiedFile),
}

fn publish_file(
    store: &Store,
    m: &Manifest,
    f: &FileEntry,
    current: &HashSet<&str>,
) -> Result<Published, Diagnostic> {
    let path = format!("{ARCHIVE_DIR}/{}/{}", m.label, f.path);
    let object = store.objects().path(&f.sha256);
    let blame = |what: &str| {
        Diagnostic::in_file(
            &object,
            format!("{what} {} of snapshot \"{}\"", f.path, m.label),
        )
        .with_help("run `raadsite snapshot verify` to check the store")
    };
    if !is_page(&f.path) {
        return match std::fs::metadata(&object) {
            Ok(meta) if meta.len() == f.size => Ok(Published::Copy(CopiedFile {
                path,
                from: object.clone(),
            })),
            Ok(_) => Err(blame("the stored bytes do not match the manifest for")),
            Err(_) => Err(blame("missing object for")),
        };
    }
    let bytes = std::fs::read(&object).map_err(|_| blame("missing object for"))?;
    if sha256_hex(&bytes) != f.sha256 {
        return Err(blame("the stored bytes do not match the manifest for"));
    }
    let current_page = if current.contains(f.path.as_str()) {
        f.path.as_str()
    } else {
        "index.html"
    };
    let root = root_prefix(&path);
    let banner = banner(
        &m.dutch_date(),
        &format!("{root}{current_page}"),
        &format!("{root}{ARCHIVE_DIR}/index.html"),
    );
    Ok(Published::Page(OutputFile {
        path,
        bytes: insert_banner(&bytes, &banner),
    }))
}

/// The banner block for a page frozen on `date`.
pub fn banner(date: &str, current: &str, archive: &str) -> String {
    format!(
        "{BANNER_START}<div class=\"archiefbanner\" role=\"note\" style=\"{BANNER_STYLE}\"><p style=\"margin:0\">\
         Dit is de versie van {} - <a href=\"{}\" style=\"color:#0b4f8a\">bekijk de actuele versie</a> \
         (<a href=\"{}\" style=\"color:#0b4f8a\">alle versies</a>)</p></div>{BANNER_END}",
        escape(date),
        escape(current),
        escape(archive)
    )
}

/// `page` with `banner` inserted after the opening `<main>` (or `<body>`) tag; unchanged when
/// it has neither.
pub fn insert_banner(page: &[u8], banner: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match html::banner_offset(&text) {
        Some(at) if std::str::from_utf8(page).is_ok() => {
            let mut out = Vec::with_capacity(page.len() + banner.len());
            out.extend_from_slice(&page[..at]);
            out.extend_from_slice(banner.as_bytes());
            out.extend_from_slice(&page[at..]);
            out
        }
        _ => page.to_vec(),
    }
}

/// The frozen bytes of a published archived page: the page without its banner block.
pub fn unbanner(published: &[u8]) -> Vec<u8> {
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    match find(published, BANNER_START.as_bytes()) {
        Some(start) => match find(&published[start..], BANNER_END.as_bytes()) {
            Some(len) => {
                let end = start + len + BANNER_END.len();
                [&published[..start], &published[end..]].concat()
            }
            None => published.to_vec(),
        },
        None => published.to_vec(),
    }
}

/// The folder of the diff page between two labels, inside `archief/`.
pub fn diff_dir(from: &str, to: &str) -> String {
    format!("diff-{from}-{to}")
}

const PAGE_STYLE: &str = "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;\
line-height:1.6;color:#1a1a1a;background:#fff;margin:0}\
main,header,footer{max-width:60rem;margin:0 auto;padding:0 1rem}\
header{padding-top:1rem}a{color:#0b4f8a}h1,h2{color:#154273;line-height:1.25}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;\
padding:0.4rem 0.6rem 0.4rem 0;border-bottom:1px solid #767676}\
.diff{list-style:none;padding:0.5rem;margin:0.5rem 0 1rem;background:#f2f5f8;font-size:0.95rem}\
.diff li{padding:0 0.25rem;white-space:pre-wrap}\
del{background:#ffe0e0;color:#1a1a1a;text-decoration:line-through}\
ins{background:#dcf5dc;color:#1a1a1a;text-decoration:underline}\
.vh{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;background:#ffbf47}";

fn page(title: &str, root: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n\
         <header><p><a href=\"{root}index.html\">Naar de actuele site</a> · \
         <a href=\"{root}{ARCHIVE_DIR}/index.html\">Archief</a></p></header>\n\
         <main id=\"inhoud\">\n{main}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

fn index_page(manifests: &[Manifest], signed: bool) -> String {
    let mut main = String::from(
        "<h1>Archief</h1>\n<p>Eerdere versies van deze site, precies zoals ze toen zijn vastgelegd. \
         Elke versie is onveranderlijk; de wijzigingen ten opzichte van de vorige versie staan erbij.</p>\n",
    );
    if signed {
        main.push_str(&format!(
            "<p>De versies zijn ondertekend met minisign. Een manifest en zijn handtekening \
             zijn te controleren met de publieke sleutel <a href=\"{}\">{}</a>, bijvoorbeeld \
             met <code>minisign -V -p sleutel.pub -m versie.json</code>.</p>\n",
            super::sign::PUBLIC_KEY,
            super::sign::PUBLIC_KEY
        ));
    }
    main.push_str(
        "\
         <table>\n<caption>Versies, nieuwste eerst</caption>\n<thead><tr><th scope=\"col\">Versie</th>\
         <th scope=\"col\">Vastgelegd op</th><th scope=\"col\">Toelichting</th><th scope=\"col\">Pagina's</th>\
         <th scope=\"col\">Wijzigingen</th></tr></thead>\n<tbody>\n",
    );
    for (i, m) in manifests.iter().enumerate().rev() {
        let changes = match i.checked_sub(1).map(|p| &manifests[p]) {
            Some(prev) => format!(
                "<a href=\"{}/index.html\">wijzigingen sinds {}</a>",
                escape(&diff_dir(&prev.label, &m.label)),
                escape(&prev.label)
            ),
            None => "eerste versie".to_owned(),
        };
        main.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{label}/index.html\">{label}</a></th>\
             <td><time datetime=\"{created}\">{date}</time></td><td>{note}</td><td>{pages}</td><td>{changes}</td></tr>\n",
            label = escape(&m.label),
            created = escape(&m.created),
            date = escape(&m.dutch_date()),
            note = escape(&m.note),
            pages = m.pages(),
        ));
    }
    main.push_str("</tbody>\n</table>\n");
    page("Archief", "../", &main)
}

/// The page of the differences between two consecutive versions: what was added, removed
/// and changed, each document linked to the version that has it.
fn diff_page(d: &SnapshotDiff, manifests: &[Manifest]) -> String {
    let date = |label: &str| {
        manifests
            .iter()
            .find(|m| m.label == label)
            .map_or_else(String::new, |m| format!(" ({})", m.dutch_date()))
    };
    let mut main = format!(
        "<h1>Wijzigingen van {from} naar {to}</h1>\n<p>Van versie <a href=\"../{from}/index.html\">{from}</a>{fd} \
         naar versie <a href=\"../{to}/index.html\">{to}</a>{td}.</p>\n",
        from = escape(&d.from),
        to = escape(&d.to),
        fd = escape(&date(&d.from)),
        td = escape(&date(&d.to)),
    );
    if d.is_empty() {
        main.push_str("<p>Geen verschillen: beide versies zijn gelijk.</p>\n");
    } else if !d.changed.is_empty() {
        main.push_str(
            "<p>In gewijzigde teksten is <del>verwijderde tekst doorgestreept</del> en \
             <ins>toegevoegde tekst onderstreept</ins>.</p>\n",
        );
    }
    documents_html(&mut main, "Toegevoegd", &d.to, &d.added);
    documents_html(&mut main, "Verwijderd", &d.from, &d.removed);
    if !d.changed.is_empty() {
        main.push_str("<h2>Gewijzigd</h2>\n");
        for c in &d.changed {
            changed_html(&mut main, &d.to, c);
        }
    }
    page(
        &format!("Wijzigingen van {} naar {}", d.from, d.to),
        "../../",
        &main,
    )
}

/// A link from a diff page to the document at `path` in version `label`.
fn document_link(label: &str, path: &str, name: &str) -> String {
    format!(
        "<a href=\"../{}/{}\">{}</a>",
        escape(label),
        escape(path),
        escape(name)
    )
}

/// A section of a diff page listing `docs` (added or removed) under `heading`, each linked to
/// version `label`; nothing when there are none.
fn documents_html(main: &mut String, heading: &str, label: &str, docs: &[Document]) {
    if docs.is_empty() {
        return;
    }
    main.push_str(&format!("<h2>{heading}</h2>\n<ul>\n"));
    for doc in docs {
        main.push_str(&format!(
            "<li>{}</li>\n",
            document_link(label, &doc.path, doc.name())
        ));
    }
    main.push_str("</ul>\n");
}

/// One changed document on a diff page, linked to version `to`: its old title if it had
/// another, then its hunks.
fn changed_html(main: &mut String, to: &str, c: &Changed) {
    main.push_str(&format!(
        "<h3 id=\"{}\">{}</h3>\n",
        anchor(&c.document.path),
        document_link(to, &c.document.path, c.document.name())
    ));
    if let Some(old) = &c.old_title {
        main.push_str(&format!("<p>Eerder: {}</p>\n", escape(old)));
    }
    if c.hunks.is_empty() {
        main.push_str("<p>Alleen opmaak of bestand gewijzigd, geen tekst.</p>\n");
    }
    for hunk in &c.hunks {
        main.push_str("<ul class=\"diff\">\n");
        main.push_str(&hunk_html(hunk));
        main.push_str("</ul>\n");
    }
}

/// The lines of a hunk as list items. A run of removed lines followed by a run of added
/// lines is paired line by line, and each pair shows as one line with the words that went in
/// `<del>` and those that came in `<ins>`; a line without a partner is one `<del>` or `<ins>`.
/// Each carries a visually hidden "verwijderd:" or "toegevoegd:", and the style strikes
/// through and underlines them, so the change is never told by colour alone.
fn hunk_html(hunk: &[Line]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < hunk.len() {
        if let Line::Same(t) = &hunk[i] {
            out.push_str(&format!("<li>{}</li>\n", escape(t)));
            i += 1;
            continue;
        }
        let removed: Vec<&str> = hunk[i..]
            .iter()
            .map_while(|l| match l {
                Line::Removed(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        let added: Vec<&str> = hunk[i + removed.len()..]
            .iter()
            .map_while(|l| match l {
                Line::Added(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        let pairs = removed.len().min(added.len());
        for k in 0..pairs {
            let words = diff::word_changes(removed[k], added[k]);
            out.push_str(&format!("<li>{}</li>\n", words_html(&words)));
        }
        for t in &removed[pairs..] {
            out.push_str(&format!(
                "<li>{}</li>\n",
                words_html(&[Line::Removed((*t).to_owned())])
            ));
        }
        for t in &added[pairs..] {
            out.push_str(&format!(
                "<li>{}</li>\n",
                words_html(&[Line::Added((*t).to_owned())])
            ));
        }
        i += removed.len() + added.len();
    }
    out
}

/// Words kept as text, words removed in `<del>` and words added in `<ins>`, each change with
/// its hidden label for screen readers.
fn words_html(words: &[Line]) -> String {
    let mut out = String::new();
    for (k, w) in words.iter().enumerate() {
        // A replacement reads "old new", not "oldnew".
        if k > 0 && matches!((&words[k - 1], w), (Line::Removed(_), Line::Added(_))) {
            out.push(' ');
        }
        out.push_str(&word_html(w));
    }
    out
}

fn word_html(w: &Line) -> String {
    match w {
        Line::Same(t) => escape(t),
        Line::Removed(t) => format!(
            "<del><span class=\"vh\">verwijderd: </span>{}</del>",
            escape(t)
        ),
        Line::Added(t) => format!(
            "<ins><span class=\"vh\">toegevoegd: </span>{}</ins>",
            escape(t)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_round_trip() {
        let page = "<html><body><main id=\"inhoud\"><h1>T</h1></main></body></html>";
        let b = banner("7 mei 2026", "../../index.html", "../index.html");
        let published = insert_banner(page.as_bytes(), &b);
        let text = String::from_utf8(published.clone()).unwrap();
        assert!(text.contains("<main id=\"inhoud\"><!-- raadsite:archiefbanner -->"));
        assert!(text.contains("Dit is de versie van 7 mei 2026 - <a href=\"../../index.html\""));
        assert_eq!(unbanner(&published), page.as_bytes());
    }
}
