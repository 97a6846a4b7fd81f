//! Machine-readable metadata: a `metadata.json` next to every letter and opgave, and one
//! `index.json` at the site root that lists them all, for raadsinformatiesystemen, archives
//! and Woo portals that should not have to scrape HTML. The schema is in the README; field
//! names are Dutch like the front matter, and every field is always present (null or empty
//! when unknown) so consumers need no special cases. Output is deterministic.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::artifact::OutputFile;
use crate::config::{ALL_GEMEENTEN, Gemeente};
use crate::content::Kind;
use crate::json::Pretty;
use crate::site::{Page, Site};

/// Output path of the list of all documents.
pub use crate::paths::METADATA_INDEX as INDEX;
/// Path of the `metadata.json` of a page published at `url`, in the page's folder.
pub use crate::paths::metadata_of as path_of;
/// Version of the schema of `metadata.json` described in the README; raised on
/// incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;
/// Version of the schema of `index.json` and its parts: 2 since the documents are listed
/// in parts by month rather than in `index.json` itself.
pub const INDEX_SCHEMA_VERSION: u32 = 2;
/// The TOOI base of gemeente identifiers; the CBS code follows in lowercase.
pub const TOOI_GEMEENTE: &str = "https://identifier.overheid.nl/tooi/id/gemeente/";
/// The Woo information category of letters received by representative bodies.
pub const WOO_INGEKOMEN_STUKKEN: &str =
    "https://identifier.overheid.nl/tooi/def/thes/kern/c_8c840238";
/// Its label in the TOOI thesaurus.
pub const WOO_INGEKOMEN_STUKKEN_LABEL: &str = "bij vertegenwoordigende organen ingekomen stukken";

/// The TOOI identifier of a gemeente: `https://identifier.overheid.nl/tooi/id/gemeente/gm0153`.
pub fn tooi_id(g: &Gemeente) -> String {
    format!("{TOOI_GEMEENTE}{}", g.code.to_ascii_lowercase())
}

/// The metadata of one letter or opgave.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentMetadata {
    /// Schema version.
    pub schema: u32,
    /// "brief" or "opgave".
    pub soort: &'static str,
    /// Title (a letter's onderwerp).
    pub titel: String,
    /// ISO 8601 date.
    pub datum: Option<String>,
    /// ISO 8601 date of the last change.
    pub gewijzigd: Option<String>,
    /// One-line summary.
    pub omschrijving: Option<String>,
    /// Letter: ons kenmerk.
    pub kenmerk: Option<String>,
    /// Letter: sender.
    pub afzender: Option<String>,
    /// Opgave: number.
    pub nummer: Option<u32>,
    /// Opgave: theme.
    pub thema: Option<String>,
    /// Addressed (letter) or participating (opgave) gemeenten.
    pub gemeenten: Vec<GemeenteRef>,
    /// Letter: the opgaven it concerns.
    pub opgaven: Vec<OpgaveRef>,
    /// Tags.
    pub tags: Vec<String>,
    /// Letter: attachments, relative to the site root.
    pub bijlagen: Vec<BijlageRef>,
    /// The source file.
    pub bron: Bron,
    /// Absolute URL when `base_url` is set, else the page's path relative to the site root.
    pub permalink: String,
    /// The HTML page, relative to the site root.
    pub pagina: String,
    /// The PDF/A rendition, relative to the site root, when the site makes PDFs; not in
    /// the JSON of a raadsite built without the feature `pdf`.
    #[cfg_attr(not(feature = "pdf"), serde(skip_serializing))]
    pub pdf: Option<String>,
    /// The Woo information category, when `site.toml` enables it (letters only).
    pub informatiecategorie: Option<Categorie>,
}

/// A gemeente with its identifiers.
#[derive(Debug, Clone, Serialize)]
pub struct GemeenteRef {
    /// Name.
    pub naam: String,
    /// CBS code: "GM0153".
    pub cbs_code: String,
    /// TOOI identifier.
    pub tooi: String,
}

/// An opgave a letter refers to.
#[derive(Debug, Clone, Serialize)]
pub struct OpgaveRef {
    /// Number.
    pub nummer: u32,
    /// Title.
    pub titel: String,
    /// Its `metadata.json`, relative to the site root.
    pub metadata: String,
}

/// An attachment.
#[derive(Debug, Clone, Serialize)]
pub struct BijlageRef {
    /// Title.
    pub titel: String,
    /// File, relative to the site root.
    pub pad: String,
}

/// The source file of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Bron {
    /// Path in the site folder: "content/brieven/2026-05-07-plan-voor-de-regio.md".
    pub pad: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

/// A TOOI concept.
#[derive(Debug, Clone, Serialize)]
pub struct Categorie {
    /// Its URI.
    pub uri: &'static str,
    /// Its label.
    pub label: &'static str,
}

/// `index.json`: the site and the parts that list its documents.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// Schema version of the index and its parts.
    pub schema: u32,
    /// Site title.
    pub site: String,
    /// `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The parts: letters by month, newest first, then the opgaven.
    pub delen: Vec<IndexPart>,
}

/// A part of the index, as `index.json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexPart {
    /// Its file, relative to the site root: `index/2026-05.json`, `index/opgaven.json`.
    pub pad: String,
    /// "brief" or "opgave".
    pub soort: &'static str,
    /// The month of its letters, `YYYY-MM`; null for the opgaven.
    pub maand: Option<String>,
    /// How many documents it lists.
    pub documenten: usize,
}

/// One document in a part of the index (see [`Index`]).
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    /// "brief" or "opgave".
    pub soort: &'static str,
    /// Title.
    pub titel: String,
    /// ISO 8601 date.
    pub datum: Option<String>,
    /// ISO 8601 date of the last change.
    pub gewijzigd: Option<String>,
    /// Letter: ons kenmerk.
    pub kenmerk: Option<String>,
    /// Opgave: number.
    pub nummer: Option<u32>,
    /// The HTML page, relative to the site root.
    pub pagina: String,
    /// Its `metadata.json`, relative to the site root.
    pub metadata: String,
    /// Absolute URL when `base_url` is set, else `pagina`.
    pub permalink: String,
}

/// The permanent link of a page: absolute from `base_url`, else its relative path.
pub fn permalink(site: &Site, url: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}{}", url.strip_suffix("index.html").unwrap_or(url)),
        None => url.to_owned(),
    }
}

/// The metadata of page `i`, or `None` for pages that are neither letter nor opgave.
pub fn of(site: &Site, i: usize) -> Option<DocumentMetadata> {
    of_with(site, &Lookup::new(site), i)
}

/// What every document's metadata looks up, made once per site rather than per document.
struct Lookup {
    /// Per gemeente of `config.gemeenten`, its reference.
    gemeenten: Vec<GemeenteRef>,
    /// References to opgaven by number; the first in list order when a number is used
    /// twice.
    opgaven: HashMap<u32, OpgaveRef>,
}

impl Lookup {
    fn new(site: &Site) -> Self {
        let gemeenten = site
            .config
            .gemeenten
            .iter()
            .map(|g| GemeenteRef {
                naam: g.naam.clone(),
                cbs_code: g.code.clone(),
                tooi: tooi_id(g),
            })
            .collect();
        let mut opgaven = HashMap::new();
        for &o in &site.opgaven {
            let page = &site.pages[o];
            if let Kind::Opgave(op) = &page.doc.kind {
                opgaven.entry(op.nummer).or_insert_with(|| OpgaveRef {
                    nummer: op.nummer,
                    titel: page.doc.common.title.clone(),
                    metadata: path_of(&page.url),
                });
            }
        }
        Lookup { gemeenten, opgaven }
    }

    /// The references of the configured gemeenten that `slugs` name, in `site.toml`
    /// order: all for `alle`.
    fn gemeenten(&self, site: &Site, slugs: &[String]) -> Vec<GemeenteRef> {
        let alle = slugs.iter().any(|s| s == ALL_GEMEENTEN);
        site.config
            .gemeenten
            .iter()
            .zip(&self.gemeenten)
            .filter(|(g, _)| alle || slugs.contains(&g.slug))
            .map(|(_, r)| r.clone())
            .collect()
    }
}

/// The metadata of page `i` with what every document looks up made already: the fields
/// every document has, then those of its kind.
fn of_with(site: &Site, lookup: &Lookup, i: usize) -> Option<DocumentMetadata> {
    let page = &site.pages[i];
    let mut m = common(site, page);
    match &page.doc.kind {
        Kind::Letter(l) => {
            m.datum = Some(l.date.iso());
            m.kenmerk = l.kenmerk.clone();
            m.afzender = l.afzender.clone();
            m.gemeenten = lookup.gemeenten(site, &l.gemeenten);
            m.opgaven = l
                .opgaven
                .iter()
                .filter_map(|n| lookup.opgaven.get(n).cloned())
                .collect();
            m.bijlagen = page
                .bijlagen
                .iter()
                .map(|b| BijlageRef {
                    titel: b.titel.clone(),
                    pad: b.url.clone(),
                })
                .collect();
            if site.config.metadata.woo_categorie {
                m.informatiecategorie = Some(Categorie {
                    uri: WOO_INGEKOMEN_STUKKEN,
                    label: WOO_INGEKOMEN_STUKKEN_LABEL,
                });
            }
        }
        Kind::Opgave(o) => {
            m.soort = "opgave";
            m.nummer = Some(o.nummer);
            m.thema = o.thema.clone();
            m.gemeenten = lookup.gemeenten(site, &o.gemeenten);
        }
        Kind::Page => return None,
    }
    Some(m)
}

/// The metadata of `page` from what every page has (its front matter's common keys, its
/// source and its paths), as for a letter; the fields of its kind are still empty.
fn common(site: &Site, page: &Page) -> DocumentMetadata {
    let c = &page.doc.common;
    DocumentMetadata {
        schema: SCHEMA_VERSION,
        soort: "brief",
        titel: c.title.clone(),
        datum: c.date.map(|d| d.iso()),
        gewijzigd: c.updated.map(|d| d.iso()),
        omschrijving: c.description.clone(),
        kenmerk: None,
        afzender: None,
        nummer: None,
        thema: None,
        gemeenten: Vec::new(),
        opgaven: Vec::new(),
        tags: c.tags.clone(),
        bijlagen: Vec::new(),
        bron: Bron {
            pad: page.doc.source.shown.to_string_lossy().replace('\\', "/"),
            sha256: page.doc.source.sha256.clone(),
        },
        permalink: permalink(site, &page.url),
        pagina: page.url.clone(),
        pdf: site.config.pdf.enabled.then(|| page.pdf_path()).flatten(),
        informatiecategorie: None,
    }
}

/// Every `metadata.json`, the `index.json` and its parts.
pub fn render(site: &Site) -> Vec<OutputFile> {
    let mut documents = render_reusing(site, &|_| None, &|_| {});
    let mut files: Vec<OutputFile> = documents
        .iter_mut()
        .filter_map(|d| {
            d.file.take().map(|bytes| OutputFile {
                path: d.path.clone(),
                bytes,
            })
        })
        .collect();
    files.extend(index_files(site, &documents));
    files
}

/// One document's share of the metadata.
pub struct DocumentFiles {
    /// Its page, by index in `site.pages`.
    pub page: usize,
    /// Output path of its `metadata.json`.
    pub path: String,
    /// The bytes of that file; `None` when they were not made again (see
    /// [`render_reusing`]).
    pub file: Option<Vec<u8>>,
    /// Its entry in the `index.json`.
    pub entry: Arc<[u8]>,
}

/// [`render`] for a site rendered before: `earlier(i)` gives page `i`'s index entry from
/// that render when nothing its metadata is made of changed since, and then its
/// `metadata.json` is left as it was published. `each` gets every document as soon as it
/// is made, and may take its file (to write it at once rather than hold all of them).
/// Returns every document, in index order: [`index_files`] makes the `index.json` and its
/// parts from them.
pub fn render_reusing(
    site: &Site,
    earlier: &(dyn Fn(usize) -> Option<Arc<[u8]>> + Sync),
    each: &(dyn Fn(&mut DocumentFiles) + Sync),
) -> Vec<DocumentFiles> {
    let lookup = Lookup::new(site);
    let docs: Vec<usize> = site.letters.iter().chain(&site.opgaven).copied().collect();
    // Documents are independent, so each one's file and its entry in the index are
    // serialised in parallel; the collected order is that of `docs`.
    let documents: Vec<DocumentFiles> = docs
        .par_iter()
        .filter(|&&i| site.pages[i].has_metadata())
        .filter_map(|&i| {
            let path = path_of(&site.pages[i].url);
            let mut d = match earlier(i) {
                Some(entry) => DocumentFiles {
                    page: i,
                    path,
                    file: None,
                    entry,
                },
                None => made(site, &lookup, i, path)?,
            };
            each(&mut d);
            Some(d)
        })
        .collect();
    documents
}

/// The `index.json` and its parts: a part per month of letters (newest first) and one of
/// the opgaven, each listing its documents, and the index listing the parts. At 100,000
/// letters one list was 45 MB; a month is some hundreds of kB even then, and an edit or a
/// new letter changes only its month's part (and the counts in the index).
///
/// The files are made one at a time as the iterator is read, `index.json` first: a build
/// hands each on before the next is made.
pub fn index_files<'a>(
    site: &Site,
    documents: &'a [DocumentFiles],
) -> impl Iterator<Item = OutputFile> + 'a {
    let mut parts: Vec<(Option<String>, Vec<&[u8]>)> = Vec::new();
    for d in documents {
        let month = site.pages[d.page].month();
        match parts.last_mut() {
            Some((last, entries)) if *last == month => entries.push(&d.entry),
            _ => parts.push((month, vec![&d.entry])),
        }
    }
    let index = Index {
        schema: INDEX_SCHEMA_VERSION,
        site: site.config.title.clone(),
        base_url: site.config.base_url.clone(),
        delen: parts
            .iter()
            .map(|(month, entries)| IndexPart {
                pad: crate::paths::metadata_part(month.as_deref()),
                soort: if month.is_some() { "brief" } else { "opgave" },
                maand: month.clone(),
                documenten: entries.len(),
            })
            .collect(),
    };
    let head = OutputFile {
        path: INDEX.to_owned(),
        bytes: index_json(&index),
    };
    let files = (0..parts.len()).map(move |n| OutputFile {
        path: index.delen[n].pad.clone(),
        bytes: part_json(&index, &index.delen[n], &parts[n].1),
    });
    std::iter::once(head).chain(files)
}

/// Document `i`'s `metadata.json` and index entry, made now.
fn made(site: &Site, lookup: &Lookup, i: usize, path: String) -> Option<DocumentFiles> {
    let m = of_with(site, lookup, i)?;
    let bytes = document_json(&m);
    let entry = IndexEntry {
        soort: m.soort,
        titel: m.titel,
        datum: m.datum,
        gewijzigd: m.gewijzigd,
        kenmerk: m.kenmerk,
        nummer: m.nummer,
        pagina: m.pagina,
        metadata: path.clone(),
        permalink: m.permalink,
    };
    Some(DocumentFiles {
        page: i,
        path,
        file: Some(bytes),
        entry: index_entry(&entry),
    })
}

/// The `metadata.json` of `m`: what serde_json's pretty printer gives for it, with a line
/// break at the end, written by hand (through serde it took about 2% of a full build).
fn document_json(m: &DocumentMetadata) -> Vec<u8> {
    let mut out = Vec::with_capacity(2048);
    let mut w = Pretty::new(&mut out, 0);
    w.open(b'{');
    w.key("schema").uint(m.schema.into());
    w.key("soort").str(m.soort);
    w.key("titel").str(&m.titel);
    w.key("datum").opt_str(m.datum.as_deref());
    w.key("gewijzigd").opt_str(m.gewijzigd.as_deref());
    w.key("omschrijving").opt_str(m.omschrijving.as_deref());
    w.key("kenmerk").opt_str(m.kenmerk.as_deref());
    w.key("afzender").opt_str(m.afzender.as_deref());
    w.key("nummer").opt_uint(m.nummer.map(u64::from));
    w.key("thema").opt_str(m.thema.as_deref());
    w.key("gemeenten").array(&m.gemeenten, |w, g| {
        w.open(b'{');
        w.key("naam").str(&g.naam);
        w.key("cbs_code").str(&g.cbs_code);
        w.key("tooi").str(&g.tooi);
        w.close(b'}');
    });
    w.key("opgaven").array(&m.opgaven, |w, o| {
        w.open(b'{');
        w.key("nummer").uint(o.nummer.into());
        w.key("titel").str(&o.titel);
        w.key("metadata").str(&o.metadata);
        w.close(b'}');
    });
    w.key("tags").array(&m.tags, |w, t| {
        w.str(t);
    });
    w.key("bijlagen").array(&m.bijlagen, |w, b| {
        w.open(b'{');
        w.key("titel").str(&b.titel);
        w.key("pad").str(&b.pad);
        w.close(b'}');
    });
    w.key("bron").open(b'{');
    w.key("pad").str(&m.bron.pad);
    w.key("sha256").str(&m.bron.sha256);
    w.close(b'}');
    w.key("permalink").str(&m.permalink);
    w.key("pagina").str(&m.pagina);
    // A raadsite built without the feature `pdf` makes no PDFs and names none.
    if cfg!(feature = "pdf") {
        w.key("pdf").opt_str(m.pdf.as_deref());
    }
    w.key("informatiecategorie");
    match &m.informatiecategorie {
        Some(c) => {
            w.open(b'{');
            w.key("uri").str(c.uri);
            w.key("label").str(c.label);
            w.close(b'}');
        }
        None => {
            w.null();
        }
    }
    w.close(b'}');
    out.push(b'\n');
    out
}

/// An entry of the `index.json` as it stands in that file, two levels deep. Made once per
/// document, so that putting the index together is only joining entries.
fn index_entry(entry: &IndexEntry) -> Arc<[u8]> {
    let mut out = Vec::with_capacity(512);
    let mut w = Pretty::new(&mut out, 2);
    w.open(b'{');
    w.key("soort").str(entry.soort);
    w.key("titel").str(&entry.titel);
    w.key("datum").opt_str(entry.datum.as_deref());
    w.key("gewijzigd").opt_str(entry.gewijzigd.as_deref());
    w.key("kenmerk").opt_str(entry.kenmerk.as_deref());
    w.key("nummer").opt_uint(entry.nummer.map(u64::from));
    w.key("pagina").str(&entry.pagina);
    w.key("metadata").str(&entry.metadata);
    w.key("permalink").str(&entry.permalink);
    w.close(b'}');
    out.into()
}

/// The `index.json` of `index`: what serde_json's pretty printer gives for it.
fn index_json(index: &Index) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + 128 * index.delen.len());
    let mut w = Pretty::new(&mut out, 0);
    w.open(b'{');
    w.key("schema").uint(index.schema.into());
    w.key("site").str(&index.site);
    w.key("base_url").opt_str(index.base_url.as_deref());
    w.key("delen").array(&index.delen, |w, part| {
        w.open(b'{');
        w.key("pad").str(&part.pad);
        w.key("soort").str(part.soort);
        w.key("maand").opt_str(part.maand.as_deref());
        w.key("documenten").uint(part.documenten as u64);
        w.close(b'}');
    });
    w.close(b'}');
    out.push(b'\n');
    out
}

/// The file of index part `part` of `index`, with `entries` (each as [`index_entry`] gave
/// it) as its `documenten`: the entries are made in parallel and put in place here.
fn part_json(index: &Index, part: &IndexPart, entries: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.len() + 2).sum::<usize>() + 256);
    let mut w = Pretty::new(&mut out, 0);
    w.open(b'{');
    w.key("schema").uint(index.schema.into());
    w.key("site").str(&index.site);
    w.key("soort").str(part.soort);
    w.key("maand").opt_str(part.maand.as_deref());
    w.key("documenten").array(entries, |w, entry| {
        w.raw(entry);
    });
    w.close(b'}');
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json's pretty printer writes for `value`, with a line break at the end:
    /// what the hand-written files must equal.
    fn json<T: Serialize>(value: &T) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(value).unwrap();
        bytes.push(b'\n');
        bytes
    }

    fn entry(n: u32, titel: &str) -> IndexEntry {
        IndexEntry {
            soort: "opgave",
            titel: titel.to_owned(),
            datum: None,
            gewijzigd: Some("2026-01-02".to_owned()),
            kenmerk: None,
            nummer: Some(n),
            pagina: format!("opgaven/{n}/index.html"),
            metadata: format!("opgaven/{n}/metadata.json"),
            permalink: format!("opgaven/{n}/"),
        }
    }

    /// A part of the index as serde would write it whole.
    #[derive(Serialize)]
    struct WholePart {
        schema: u32,
        site: String,
        soort: &'static str,
        maand: Option<String>,
        documenten: Vec<IndexEntry>,
    }

    /// The part `documenten` of `index` as [`part_json`] writes it from separately
    /// serialised entries, and as serde writes it whole.
    fn part_both_ways(
        index: &Index,
        maand: Option<String>,
        documenten: Vec<IndexEntry>,
    ) -> (String, String) {
        let entries: Vec<Arc<[u8]>> = documenten.iter().map(index_entry).collect();
        let entries: Vec<&[u8]> = entries.iter().map(|e| &**e).collect();
        let part = IndexPart {
            pad: crate::paths::metadata_part(Some("2026-05")),
            soort: "brief",
            maand: maand.clone(),
            documenten: entries.len(),
        };
        let whole = WholePart {
            schema: index.schema,
            site: index.site.clone(),
            soort: "brief",
            maand,
            documenten,
        };
        (
            String::from_utf8(part_json(index, &part, &entries)).unwrap(),
            String::from_utf8(json(&whole)).unwrap(),
        )
    }

    /// The index and a part put together from separately serialised entries are what
    /// serialising them whole gives, with no, one and several entries (titles with escapes
    /// included).
    #[test]
    fn index_json_is_serde_json_pretty() {
        for count in [0, 1, 3] {
            let documenten: Vec<IndexEntry> = (1..=count)
                .map(|n| entry(n, &format!("Regel\nmet \"quotes\" {n}")))
                .collect();
            let index = Index {
                schema: INDEX_SCHEMA_VERSION,
                site: "Site".to_owned(),
                base_url: None,
                delen: (0..count)
                    .map(|n| IndexPart {
                        pad: crate::paths::metadata_part(Some(&format!("2026-0{n}"))),
                        soort: "brief",
                        maand: (n > 0).then(|| format!("2026-0{n}")),
                        documenten: n as usize,
                    })
                    .collect(),
            };
            assert_eq!(
                String::from_utf8(index_json(&index)).unwrap(),
                String::from_utf8(json(&index)).unwrap(),
                "{count} parts"
            );
            let (made, whole) = part_both_ways(&index, Some("2026-05".to_owned()), documenten);
            assert_eq!(made, whole, "{count} entries");
        }
    }

    /// Any text, control characters, quotes and backslashes included.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        "(\\PC|[\\x00-\\x1f\"\\\\])*"
    }

    fn maybe() -> impl proptest::strategy::Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn gemeente() -> impl proptest::strategy::Strategy<Value = GemeenteRef> {
        use proptest::prelude::*;
        (text(), text(), text()).prop_map(|(naam, cbs_code, tooi)| GemeenteRef {
            naam,
            cbs_code,
            tooi,
        })
    }

    fn opgave() -> impl proptest::strategy::Strategy<Value = OpgaveRef> {
        use proptest::prelude::*;
        (any::<u32>(), text(), text()).prop_map(|(nummer, titel, metadata)| OpgaveRef {
            nummer,
            titel,
            metadata,
        })
    }

    fn document() -> impl proptest::strategy::Strategy<Value = DocumentMetadata> {
        use proptest::collection::vec;
        use proptest::prelude::*;
        let bijlage = (text(), text()).prop_map(|(titel, pad)| BijlageRef { titel, pad });
        (
            (
                any::<bool>(),
                text(),
                maybe(),
                maybe(),
                maybe(),
                maybe(),
                maybe(),
            ),
            (proptest::option::of(any::<u32>()), maybe()),
            (
                vec(gemeente(), 0..3),
                vec(opgave(), 0..3),
                vec(text(), 0..3),
                vec(bijlage, 0..3),
            ),
            (text(), text(), text(), text(), any::<bool>()),
        )
            .prop_map(
                |(
                    (brief, titel, datum, gewijzigd, omschrijving, kenmerk, afzender),
                    (nummer, thema),
                    (gemeenten, opgaven, tags, bijlagen),
                    (pad, sha256, permalink, pagina, woo),
                )| DocumentMetadata {
                    schema: SCHEMA_VERSION,
                    soort: if brief { "brief" } else { "opgave" },
                    titel,
                    datum,
                    gewijzigd,
                    omschrijving,
                    kenmerk,
                    afzender,
                    nummer,
                    thema,
                    gemeenten,
                    opgaven,
                    tags,
                    bijlagen,
                    bron: Bron { pad, sha256 },
                    permalink,
                    pdf: woo.then(|| pagina.clone() + ".pdf"),
                    pagina,
                    informatiecategorie: woo.then_some(Categorie {
                        uri: WOO_INGEKOMEN_STUKKEN,
                        label: WOO_INGEKOMEN_STUKKEN_LABEL,
                    }),
                },
            )
    }

    proptest::proptest! {
        /// The hand-written `metadata.json` and index entry are what serde_json writes.
        #[test]
        fn documents_are_the_json_serde_writes(m in document()) {
            proptest::prop_assert_eq!(
                String::from_utf8(document_json(&m)).unwrap(),
                String::from_utf8(json(&m)).unwrap()
            );
            let entry = IndexEntry {
                soort: m.soort,
                titel: m.titel.clone(),
                datum: m.datum.clone(),
                gewijzigd: m.gewijzigd.clone(),
                kenmerk: m.kenmerk.clone(),
                nummer: m.nummer,
                pagina: m.pagina.clone(),
                metadata: m.bron.pad.clone(),
                permalink: m.permalink.clone(),
            };
            let index = Index {
                schema: INDEX_SCHEMA_VERSION,
                site: m.titel.clone(),
                base_url: m.thema.clone(),
                delen: Vec::new(),
            };
            let (made, whole) = part_both_ways(&index, m.datum.clone(), vec![entry.clone(), entry]);
            proptest::prop_assert_eq!(made, whole            );
        }
    }
}
