//! The MDTO export: one version of the site as a package for an e-Depot, described after
//! MDTO 1.0.1 (Metagegevens Duurzaam Toegankelijke Overheidsinformatie, the Nationaal
//! Archief's metadata standard; XML schema `MDTO-XML1.0.1.xsd`) in the sidecar structure of
//! the Nationaal Archief's SIP specification: every informatieobject is a folder holding its
//! own metadata file, every file has its metadata file beside it.
//!
//! ```text
//! LABEL.mdto.xml                                  the version: aggregate of the documents
//! brieven-plan-voor-de-regio/                     a letter (or opgave): an informatieobject
//!   brieven-plan-voor-de-regio.mdto.xml
//!   brieven/plan-voor-de-regio/index.html         each representation at its site path,
//!   brieven/plan-voor-de-regio/index.html.bestand.mdto.xml    so its links still work
//!   bijlagen/overzicht.pdf                        an attachment
//!   bijlagen/overzicht.pdf.bestand.mdto.xml
//! ```
//!
//! The documents are read from the frozen rendition itself: each `metadata.json` of the
//! version is a letter or opgave; its representations are every other file of its folder
//! (the HTML page, a PDF rendition when the version has one, anything else published there)
//! and its attachments (`bijlagen`). The file bytes are exactly the frozen ones, and each
//! `bestand` carries the SHA-256 the manifest holds, dated with the version's creation time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::pronom;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::escape::xml as esc;
use crate::profile::Profile;
use crate::snapshot::{FileEntry, Manifest, Store};

/// The namespace of MDTO.
pub const NAMESPACE: &str = "https://www.nationaalarchief.nl/mdto";
/// Where the Nationaal Archief publishes the schema this export follows.
pub const SCHEMA_LOCATION: &str = "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd";
/// The suffix of an informatieobject's metadata file.
pub const OBJECT_SUFFIX: &str = ".mdto.xml";
/// The suffix of a file's metadata file, after the file's own name.
pub const FILE_SUFFIX: &str = ".bestand.mdto.xml";

/// The begrippenlijst of waarderingen, aggregatieniveaus and checksum algorithms that MDTO
/// itself defines, and the PRONOM register.
const WAARDERINGEN: &str = "Begrippenlijst Waarderingen MDTO";
const AGGREGATIENIVEAUS: &str = "Begrippenlijst Aggregatieniveaus MDTO";
const CHECKSUMALGORITMEN: &str = "Begrippenlijst ChecksumAlgoritme MDTO";
const PRONOM: &str = "PRONOM-register";
const IANA: &str = "IANA Media Types";
const TOOI_GEMEENTEN: &str = "TOOI register gemeenten compleet";
/// raadsite's own lists, where MDTO leaves the list to the organisation.
const OWN_ACCESS: &str = "raadsite: zichtbaarheid";
const OWN_DATES: &str = "raadsite: datering";
const OWN_RELATIONS: &str = "raadsite: relaties tussen brieven en opgaven";
const WOO: &str = "TOOI thesaurus: Woo-informatiecategorieën";

/// What `site.toml` says about the archive: who formed it, how it is valued, how long kept.
#[derive(Debug, Clone)]
pub struct Settings {
    /// TOOI id of the archiefvormer, e.g. `gm0153`.
    pub archiefvormer: String,
    /// Its name, e.g. "gemeente Enschede".
    pub archiefvormer_naam: String,
    /// The waardering code: `B`, `V` or `N`.
    pub waardering: &'static str,
    /// The bewaartermijn, an ISO 8601 duration, if any.
    pub bewaartermijn: Option<String>,
    /// The source of raadsite's own identifiers: "raadsite: " and the site's title.
    pub bron: String,
    /// The language of the content.
    pub taal: String,
}

impl Settings {
    /// The settings of `[snapshots]` in `config`, with their defaults; an error (naming
    /// `site.toml`) for a value MDTO cannot take or an archiefvormer that cannot be known.
    pub fn of(config: &Config) -> Result<Settings, Diagnostic> {
        let s = &config.snapshots;
        let bad = |key: &str, msg: String| {
            Diagnostic::in_file("site.toml", format!("[snapshots] {key}: {msg}"))
        };
        let waardering = match s.waardering.as_deref().unwrap_or("B") {
            "B" => "B",
            "V" => "V",
            "N" => "N",
            other => {
                return Err(bad("waardering", format!("\"{other}\" is not an MDTO waardering"))
                    .with_help("use \"B\" (blijvend te bewaren), \"V\" (tijdelijk te bewaren) or \"N\" (nader te bepalen)"));
            }
        };
        if let Some(t) = s.bewaartermijn.as_deref().filter(|t| !is_duration(t)) {
            return Err(bad(
                "bewaartermijn",
                format!("\"{t}\" is not an ISO 8601 duration"),
            )
            .with_help("write it like \"P10Y\" (ten years) or \"P6M\" (six months)"));
        }
        let (archiefvormer, archiefvormer_naam) = archiefvormer(config)?;
        Ok(Settings {
            archiefvormer,
            archiefvormer_naam,
            waardering,
            bewaartermijn: s.bewaartermijn.clone(),
            bron: format!("raadsite: {}", config.title),
            taal: config.language.clone(),
        })
    }
}

/// The archiefvormer's TOOI id and name: `[snapshots] archiefvormer`, else the only gemeente.
fn archiefvormer(config: &Config) -> Result<(String, String), Diagnostic> {
    let s = &config.snapshots;
    let id = match (&s.archiefvormer, config.gemeenten.as_slice()) {
        (Some(id), _) => id
            .trim()
            .trim_start_matches(crate::metadata::TOOI_GEMEENTE)
            .to_ascii_lowercase(),
        (None, [one]) => one.code.to_ascii_lowercase(),
        (None, all) => {
            return Err(Diagnostic::in_file(
                "site.toml",
                format!(
                    "an MDTO export needs the archiefvormer, and the site names {} gemeenten",
                    all.len()
                ),
            )
            .with_help("add it under [snapshots], e.g. archiefvormer = \"gm0153\" (the TOOI id of the gemeente)"));
        }
    };
    let valid = id.len() > 2
        && id.bytes().take_while(u8::is_ascii_lowercase).count() >= 2
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !valid {
        return Err(Diagnostic::in_file(
            "site.toml",
            format!("[snapshots] archiefvormer: \"{id}\" is not a TOOI identifier"),
        )
        .with_help("use the TOOI id of the organisation, e.g. \"gm0153\" for Enschede"));
    }
    let naam = match config
        .gemeenten
        .iter()
        .find(|g| g.code.eq_ignore_ascii_case(&id))
    {
        _ if s.archiefvormer_naam.is_some() => s.archiefvormer_naam.clone().unwrap_or_default(),
        Some(g) => format!("gemeente {}", g.naam),
        None => {
            return Err(Diagnostic::in_file(
                "site.toml",
                format!("[snapshots] archiefvormer \"{id}\" is none of the site's gemeenten"),
            )
            .with_help("give its name as [snapshots] archiefvormer_naam = \"...\""));
        }
    };
    Ok((id, naam))
}

/// True for an ISO 8601 duration as `xsd:duration` takes it: `P`, then numbers with units.
fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    !rest.is_empty()
        && rest.bytes().any(|b| b.is_ascii_digit())
        && !rest.ends_with('T')
        && rest.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'Y' | b'M' | b'W' | b'D' | b'T' | b'H' | b'S')
        })
}

/// A document's `metadata.json` as far as MDTO needs it; unknown fields are ignored so that
/// older and newer versions of the schema read alike.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Meta {
    soort: String,
    titel: String,
    datum: Option<String>,
    omschrijving: Option<String>,
    kenmerk: Option<String>,
    afzender: Option<String>,
    tags: Vec<String>,
    opgaven: Vec<Ref>,
    bijlagen: Vec<Bijlage>,
    permalink: String,
    informatiecategorie: Option<Categorie>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Ref {
    metadata: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Bijlage {
    pad: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Categorie {
    uri: String,
    label: String,
}

/// One letter or opgave of the version.
struct Document {
    /// raadsite's stable id: the page's folder, e.g. `brieven/plan-voor-de-regio`.
    id: String,
    /// The folder of the package that holds it.
    folder: String,
    meta: Meta,
    /// Its representations: entries of the rendition.
    files: Vec<FileEntry>,
    /// Related documents (id, title), with the kind of relation.
    related: Vec<(String, String, &'static str)>,
}

/// One file of the package.
pub struct Entry {
    /// Path inside the package, with `/`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The package of `manifest` (already the rendition for `profile`): every file with its
/// path inside the package.
pub fn package(
    store: &Store,
    manifest: &Manifest,
    profile: Profile,
    settings: &Settings,
) -> Result<Vec<Entry>, Diagnostic> {
    let docs = documents(store, manifest)?;
    let ctx = Context {
        manifest,
        profile,
        settings,
    };
    let mut out = vec![Entry {
        path: format!("{}{OBJECT_SUFFIX}", manifest.label),
        bytes: ctx.version_xml(&docs).into_bytes(),
    }];
    for d in &docs {
        out.push(Entry {
            path: format!("{}/{}{OBJECT_SUFFIX}", d.folder, d.folder),
            bytes: ctx.document_xml(d).into_bytes(),
        });
        for f in &d.files {
            let at = format!("{}/{}", d.folder, f.path);
            let bytes = store.objects().read(&f.sha256)?;
            let format = pronom::identify(&f.path, &bytes);
            out.push(Entry {
                path: format!("{at}{FILE_SUFFIX}"),
                bytes: ctx.file_xml(d, f, format).into_bytes(),
            });
            out.push(Entry { path: at, bytes });
        }
    }
    Ok(out)
}

/// Every letter and opgave of the rendition, by its `metadata.json`, with its files.
fn documents(store: &Store, manifest: &Manifest) -> Result<Vec<Document>, Diagnostic> {
    let by_path: BTreeMap<&str, &FileEntry> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let folders: BTreeSet<&str> = manifest
        .files
        .iter()
        .filter_map(|f| f.path.strip_suffix("/metadata.json"))
        .collect();
    let mut docs = Vec::new();
    let mut used = BTreeSet::new();
    for &id in &folders {
        let entry = by_path[format!("{id}/metadata.json").as_str()];
        let meta: Meta =
            serde_json::from_slice(&store.objects().read(&entry.sha256)?).map_err(|e| {
                Diagnostic::general(format!(
                    "snapshot \"{}\": {id}/metadata.json cannot be read: {e}",
                    manifest.label
                ))
            })?;
        let mut files: Vec<FileEntry> = manifest
            .files
            .iter()
            .filter(|f| owner(&folders, &f.path) == Some(id) && f.path != entry.path)
            .cloned()
            .collect();
        for b in &meta.bijlagen {
            if let Some(f) = by_path.get(b.pad.as_str())
                && !files.iter().any(|g| g.path == f.path)
            {
                files.push((*f).clone());
            }
        }
        let mut folder = id.replace('/', "-");
        while !used.insert(folder.clone()) {
            folder.push('_');
        }
        docs.push(Document {
            id: id.to_owned(),
            folder,
            meta,
            files,
            related: Vec::new(),
        });
    }
    relate(&mut docs);
    Ok(docs)
}

/// The deepest document folder that holds `path`.
fn owner<'a>(folders: &BTreeSet<&'a str>, path: &str) -> Option<&'a str> {
    let mut dir = path.rsplit_once('/')?.0;
    loop {
        if let Some(f) = folders.get(dir) {
            return Some(f);
        }
        dir = dir.rsplit_once('/')?.0;
    }
}

/// The relations between letters and the opgaven they concern, both ways.
fn relate(docs: &mut [Document]) {
    let titles: BTreeMap<String, String> = docs
        .iter()
        .map(|d| (d.id.clone(), d.meta.titel.clone()))
        .collect();
    let mut back: Vec<(String, String, String)> = Vec::new();
    for d in docs.iter_mut() {
        for o in &d.meta.opgaven {
            let target = o
                .metadata
                .strip_suffix("/metadata.json")
                .unwrap_or_default();
            if let Some(title) = titles.get(target) {
                d.related
                    .push((target.to_owned(), title.clone(), "betreft opgave"));
                back.push((target.to_owned(), d.id.clone(), d.meta.titel.clone()));
            }
        }
    }
    for (opgave, letter, title) in back {
        if let Some(d) = docs.iter_mut().find(|d| d.id == opgave) {
            d.related.push((letter, title, "genoemd in brief"));
        }
    }
}

/// What every metadata file of one export shares.
struct Context<'a> {
    manifest: &'a Manifest,
    profile: Profile,
    settings: &'a Settings,
}

impl Context<'_> {
    /// The id of the version's aggregate.
    fn version_id(&self) -> String {
        format!("archief/{}", self.manifest.label)
    }

    fn version_name(&self) -> String {
        format!(
            "Versie {} ({})",
            self.manifest.label,
            self.manifest.dutch_date()
        )
    }

    /// The informatieobject of the version: a serie of the documents.
    fn version_xml(&self, docs: &[Document]) -> String {
        let mut x = Xml::start("informatieobject");
        x.id(&self.version_id(), &self.settings.bron);
        x.leaf("naam", &self.version_name());
        x.begrip("aggregatieniveau", "Serie", None, AGGREGATIENIVEAUS);
        if !self.manifest.note.is_empty() {
            x.leaf("omschrijving", &self.manifest.note);
        }
        if let Some(d) = self.manifest.created.get(..10) {
            self.dating(&mut x, d, "Vastgelegd");
        }
        x.leaf("taal", &self.settings.taal);
        self.valuation(&mut x);
        for d in docs {
            x.reference(
                "bevatOnderdeel",
                &d.meta.titel,
                Some((&d.id, &self.settings.bron)),
            );
        }
        self.access(&mut x);
        x.finish("informatieobject")
    }

    /// The informatieobject of one letter or opgave.
    fn document_xml(&self, d: &Document) -> String {
        let bron = &self.settings.bron;
        let mut x = Xml::start("informatieobject");
        x.id(&d.id, bron);
        if let Some(k) = d.meta.kenmerk.as_deref().filter(|k| !k.is_empty()) {
            let from = d.meta.afzender.as_deref().unwrap_or("de afzender");
            x.id(k, &format!("kenmerk van {from}"));
        }
        x.leaf("naam", &d.meta.titel);
        x.begrip("aggregatieniveau", "Archiefstuk", None, AGGREGATIENIVEAUS);
        for t in &d.meta.tags {
            x.leaf("trefwoord", t);
        }
        if let Some(o) = d.meta.omschrijving.as_deref().filter(|o| !o.is_empty()) {
            x.leaf("omschrijving", o);
        }
        if d.meta.permalink.starts_with("https://") || d.meta.permalink.starts_with("http://") {
            x.open("raadpleeglocatie");
            x.leaf("raadpleeglocatieOnline", &d.meta.permalink);
            x.close("raadpleeglocatie");
        }
        if let Some(datum) = d.meta.datum.as_deref() {
            let kind = if d.meta.soort == "brief" {
                "Datum van de brief"
            } else {
                "Datum"
            };
            self.dating(&mut x, datum, kind);
        }
        x.leaf("taal", &self.settings.taal);
        self.valuation(&mut x);
        if let Some(c) = &d.meta.informatiecategorie {
            x.begrip("informatiecategorie", &c.label, Some(&c.uri), WOO);
        }
        x.reference(
            "isOnderdeelVan",
            &self.version_name(),
            Some((&self.version_id(), bron)),
        );
        for f in &d.files {
            let id = self.file_id(d, f);
            x.reference("heeftRepresentatie", &f.path, Some((&id, bron)));
        }
        for (id, title, relation) in &d.related {
            x.open("gerelateerdInformatieobject");
            x.reference(
                "gerelateerdInformatieobjectVerwijzing",
                title,
                Some((id, bron)),
            );
            x.begrip(
                "gerelateerdInformatieobjectTypeRelatie",
                relation,
                None,
                OWN_RELATIONS,
            );
            x.close("gerelateerdInformatieobject");
        }
        self.access(&mut x);
        x.finish("informatieobject")
    }

    /// The `bestand` of one representation of `d`.
    fn file_xml(&self, d: &Document, f: &FileEntry, format: pronom::Format) -> String {
        let mut x = Xml::start("bestand");
        x.id(&self.file_id(d, f), &self.settings.bron);
        x.leaf("naam", f.path.rsplit('/').next().unwrap_or(&f.path));
        x.leaf("omvang", &f.size.to_string());
        match format.puid {
            Some(puid) => x.begrip("bestandsformaat", format.label, Some(puid), PRONOM),
            None => x.begrip("bestandsformaat", format.label, Some(format.label), IANA),
        }
        x.open("checksum");
        x.begrip("checksumAlgoritme", "SHA-256", None, CHECKSUMALGORITMEN);
        x.leaf("checksumWaarde", &f.sha256);
        x.leaf("checksumDatum", &self.manifest.created);
        x.close("checksum");
        x.reference(
            "isRepresentatieVan",
            &d.meta.titel,
            Some((&d.id, &self.settings.bron)),
        );
        x.finish("bestand")
    }

    /// A file's id: unique in the package and across versions.
    fn file_id(&self, d: &Document, f: &FileEntry) -> String {
        format!("{}/{}/{}", self.version_id(), d.folder, f.path)
    }

    fn dating(&self, x: &mut Xml, date: &str, kind: &str) {
        x.open("dekkingInTijd");
        x.begrip("dekkingInTijdType", kind, None, OWN_DATES);
        x.leaf("dekkingInTijdBegindatum", date);
        x.close("dekkingInTijd");
    }

    /// waardering and bewaartermijn, in the schema's order.
    fn valuation(&self, x: &mut Xml) {
        let label = match self.settings.waardering {
            "B" => "Blijvend te bewaren",
            "V" => "Tijdelijk te bewaren",
            _ => "Nader te bepalen",
        };
        x.begrip(
            "waardering",
            label,
            Some(self.settings.waardering),
            WAARDERINGEN,
        );
        if let Some(t) = &self.settings.bewaartermijn {
            x.open("bewaartermijn");
            x.leaf("termijnLooptijd", t);
            x.close("bewaartermijn");
        }
    }

    /// archiefvormer and beperkingGebruik, the last elements of an informatieobject.
    fn access(&self, x: &mut Xml) {
        let s = self.settings;
        x.reference(
            "archiefvormer",
            &s.archiefvormer_naam,
            Some((&s.archiefvormer, TOOI_GEMEENTEN)),
        );
        x.open("beperkingGebruik");
        match self.profile {
            Profile::Openbaar => x.begrip("beperkingGebruikType", "Openbaar", None, OWN_ACCESS),
            Profile::Intranet => {
                x.begrip("beperkingGebruikType", "Intern", None, OWN_ACCESS);
                x.leaf(
                    "beperkingGebruikNadereBeschrijving",
                    "De intranetweergave: kan interne pagina's en namen en doorkiesnummers van \
                     behandelaars bevatten. Openbaar is de openbare weergave van dezelfde versie.",
                );
            }
        }
        x.close("beperkingGebruik");
    }
}

/// A small indenting XML writer for the MDTO elements; every text is escaped.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn start(object: &str) -> Xml {
        let mut x = Xml {
            out: format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MDTO xmlns=\"{NAMESPACE}\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
                 xsi:schemaLocation=\"{NAMESPACE} {SCHEMA_LOCATION}\">\n"
            ),
            depth: 1,
        };
        x.open(object);
        x
    }

    fn finish(mut self, object: &str) -> String {
        self.close(object);
        self.out.push_str("</MDTO>\n");
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push_str(&format!("<{tag}>\n"));
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str(&format!("</{tag}>\n"));
    }

    fn leaf(&mut self, tag: &str, text: &str) {
        self.indent();
        self.out
            .push_str(&format!("<{tag}>{}</{tag}>\n", esc(text)));
    }

    fn id(&mut self, kenmerk: &str, bron: &str) {
        self.identification("identificatie", kenmerk, bron);
    }

    fn identification(&mut self, tag: &str, kenmerk: &str, bron: &str) {
        self.open(tag);
        self.leaf("identificatieKenmerk", kenmerk);
        self.leaf("identificatieBron", bron);
        self.close(tag);
    }

    fn reference(&mut self, tag: &str, naam: &str, id: Option<(&str, &str)>) {
        self.open(tag);
        self.leaf("verwijzingNaam", naam);
        if let Some((kenmerk, bron)) = id {
            self.identification("verwijzingIdentificatie", kenmerk, bron);
        }
        self.close(tag);
    }

    fn begrip(&mut self, tag: &str, label: &str, code: Option<&str>, lijst: &str) {
        self.open(tag);
        self.leaf("begripLabel", label);
        if let Some(c) = code {
            self.leaf("begripCode", c);
        }
        self.reference("begripBegrippenlijst", lijst, None);
        self.close(tag);
    }
}

/// Writes `entries` into the new folder `dir`: into a temporary folder beside it, renamed
/// into place when complete. `dir` must not exist, or be empty.
pub fn write_dir(entries: &[Entry], dir: &Path) -> Result<(), Diagnostic> {
    use crate::fsutil;
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(Diagnostic::general(format!(
            "{} exists and is not empty: an MDTO package goes into a new folder",
            dir.display()
        ))
        .with_help("choose a new folder, or a file name ending in .zip"));
    }
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        for e in entries {
            let path = tmp.join(&e.path);
            if let Some(parent) = path.parent() {
                fsutil::create_dir_all(parent)?;
            }
            std::fs::write(&path, &e.bytes)
                .map_err(|err| fsutil::io_error(&path, "could not write", &err))?;
        }
        let _ = std::fs::remove_dir(dir);
        std::fs::rename(&tmp, dir).map_err(|err| fsutil::io_error(dir, "could not write", &err))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert!(is_duration("P10Y"));
        assert!(is_duration("P1Y6M"));
        assert!(is_duration("PT12H"));
        assert!(!is_duration("10Y"));
        assert!(!is_duration("P"));
        assert!(!is_duration("P1YT"));
        assert!(!is_duration("tien jaar"));
    }
}
