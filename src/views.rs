//! Typed, serialisable views of the site: exactly what templates see. Field names are the
//! template contract, documented in the README.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::config::{ALL_GEMEENTEN, Briefhoofd, Gemeente};
use crate::content::{Kind, Letter, Opgave};
use crate::forward::{self, Forward};
use crate::site::{Attachment, Page, Site};

/// One page in a list: enough for a row in a "lijst ingekomen stukken" or an opgave list.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// "brief", "opgave" or "pagina".
    pub kind: &'static str,
    /// Title (a letter's Onderwerp).
    pub title: String,
    /// Output path relative to the site root; templates prefix `root`.
    pub url: String,
    /// Date in Dutch: "7 mei 2026".
    pub datum: Option<String>,
    /// Date as ISO 8601, for `<time datetime>`.
    pub datum_iso: Option<String>,
    /// Summary from the front matter.
    pub description: Option<String>,
    /// Letter: Ons kenmerk.
    pub kenmerk: Option<String>,
    /// Letter: sender line.
    pub afzender: Option<String>,
    /// Opgave: number.
    pub nummer: Option<u32>,
    /// Opgave: theme.
    pub thema: Option<String>,
    /// Opgave: status.
    pub status: Option<String>,
    /// Date of the last change in Dutch, from `updated`: "9 mei 2026".
    pub gewijzigd: Option<String>,
    /// The same as ISO 8601.
    pub gewijzigd_iso: Option<String>,
}

impl Summary {
    /// How many fields [`Summary::fields`] writes.
    const FIELDS: usize = 13;

    /// Writes the fields into a struct being serialised: for the Summary itself and for
    /// the views that include its fields at their own level. Without serde's `flatten`,
    /// which turns a struct into a map with a string allocated per key.
    fn fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        s.serialize_field("kind", self.kind)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("datum", &self.datum)?;
        s.serialize_field("datum_iso", &self.datum_iso)?;
        s.serialize_field("description", &self.description)?;
        s.serialize_field("kenmerk", &self.kenmerk)?;
        s.serialize_field("afzender", &self.afzender)?;
        s.serialize_field("nummer", &self.nummer)?;
        s.serialize_field("thema", &self.thema)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("gewijzigd", &self.gewijzigd)?;
        s.serialize_field("gewijzigd_iso", &self.gewijzigd_iso)
    }

    /// The list view of a page.
    pub fn of(page: &Page) -> Summary {
        let c = &page.doc.common;
        let date = match &page.doc.kind {
            Kind::Letter(l) => Some(l.date),
            _ => c.date,
        };
        let mut s = Summary {
            kind: "pagina",
            title: c.title.clone(),
            url: page.url.clone(),
            datum: date.map(|d| d.dutch()),
            datum_iso: date.map(|d| d.iso()),
            description: c.description.clone(),
            kenmerk: None,
            afzender: None,
            nummer: None,
            thema: None,
            status: None,
            gewijzigd: c.updated.map(|d| d.dutch()),
            gewijzigd_iso: c.updated.map(|d| d.iso()),
        };
        match &page.doc.kind {
            Kind::Letter(l) => {
                s.kind = "brief";
                s.kenmerk = l.kenmerk.clone();
                s.afzender = l.afzender.clone();
            }
            Kind::Opgave(o) => {
                s.kind = "opgave";
                s.nummer = Some(o.nummer);
                s.thema = o.thema.clone();
                s.status = o.status.clone();
            }
            Kind::Page => {}
        }
        s
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Summary", Summary::FIELDS)?;
        self.fields(&mut s)?;
        s.end()
    }
}

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text to show.
    pub name: String,
    /// Output path relative to the site root.
    pub url: String,
}

/// A gemeente as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct GemeenteView {
    /// Name.
    pub naam: String,
    /// CBS code.
    pub code: String,
    /// Slug.
    pub slug: String,
    /// Its page, relative to the site root.
    pub url: String,
}

impl GemeenteView {
    /// The view of a configured gemeente.
    pub fn of(g: &Gemeente) -> GemeenteView {
        GemeenteView {
            naam: g.naam.clone(),
            code: g.code.clone(),
            slug: g.slug.clone(),
            url: Site::gemeente_url(&g.slug),
        }
    }
}

/// Site-wide data, in every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Content language.
    pub language: String,
    /// Absolute URL of the published site, if configured.
    pub base_url: Option<String>,
    /// All gemeenten, in `site.toml` order.
    pub gemeenten: Vec<GemeenteView>,
    /// Top-level sections for the navigation, by name.
    pub sections: Vec<Link>,
    /// The Atom feed of all letters, relative to the site root; only with `base_url`.
    pub feed: Option<String>,
    /// The glossary page, relative to the site root, when there is a glossary.
    pub begrippen: Option<String>,
}

/// The `n` pages changed most recently (their `updated` date, else their date), newest
/// first; pages without any date are left out.
pub fn recent(site: &Site, n: usize) -> Vec<usize> {
    let mut dated: Vec<(crate::dates::Date, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.last_changed().map(|d| (d, i)))
        .collect();
    // Page order last, as a stable sort would leave equal pages.
    let order = |a: &(crate::dates::Date, usize), b: &(crate::dates::Date, usize)| {
        b.0.cmp(&a.0)
            .then_with(|| {
                let title = |i: usize| &site.pages[i].doc.common.title;
                title(a.1).cmp(title(b.1))
            })
            .then(a.1.cmp(&b.1))
    };
    // Only the first `n` are sorted: this runs for every rebuild under `serve`.
    if n < dated.len() {
        dated.select_nth_unstable_by(n, order);
        dated.truncate(n);
    }
    dated.sort_unstable_by(order);
    dated.into_iter().map(|(_, i)| i).collect()
}

/// The letterhead and letter-specific parts of a letter page.
#[derive(Debug, Clone, Serialize)]
pub struct LetterView {
    /// "7 mei 2026".
    pub datum: String,
    /// "2026-05-07".
    pub datum_iso: String,
    /// Ons kenmerk.
    pub kenmerk: Option<String>,
    /// Behandeld door.
    pub behandeld_door: Option<String>,
    /// Doorkiesnummer.
    pub doorkiesnummer: Option<String>,
    /// Uw brief van, in Dutch.
    pub uw_brief_van: Option<String>,
    /// Uw kenmerk.
    pub uw_kenmerk: Option<String>,
    /// Sender line.
    pub afzender: Option<String>,
    /// Signatory, one entry per line.
    pub ondertekening: Vec<String>,
    /// Addressee, one entry per line.
    pub aan: Vec<String>,
    /// True when addressed to all gemeenten.
    pub alle_gemeenten: bool,
    /// Addressed gemeenten.
    pub gemeenten: Vec<GemeenteView>,
    /// Opgaven the letter concerns: their summaries as templates get them.
    #[serde(serialize_with = "sorted_values")]
    pub opgaven: Vec<tera::Value>,
    /// Attachments.
    pub bijlagen: Vec<BijlageView>,
    /// Sender's address block.
    pub briefhoofd: BriefhoofdView,
}

/// The sender's address block, split into lines for the template.
#[derive(Debug, Clone, Serialize)]
pub struct BriefhoofdView {
    /// Postadres lines.
    pub postadres: Vec<String>,
    /// Bezoekadres lines.
    pub bezoekadres: Vec<String>,
    /// Telefoonnummer.
    pub telefoonnummer: Option<String>,
}

impl BriefhoofdView {
    fn of(b: &Briefhoofd) -> Self {
        BriefhoofdView {
            postadres: lines(b.postadres.as_deref()),
            bezoekadres: lines(b.bezoekadres.as_deref()),
            telefoonnummer: b.telefoonnummer.clone(),
        }
    }
}

/// An attachment as listed under a letter.
#[derive(Debug, Clone, Serialize)]
pub struct BijlageView {
    /// Title.
    pub titel: String,
    /// File, relative to the site root.
    pub url: String,
    /// "PDF".
    pub soort: String,
    /// "245 kB".
    pub grootte: String,
}

impl BijlageView {
    fn of(a: &Attachment) -> Self {
        BijlageView {
            titel: a.titel.clone(),
            url: crate::links::encode_path(&a.url),
            soort: a.kind.clone(),
            grootte: human_size(a.size),
        }
    }
}

/// The opgave-specific parts of an opgave page.
#[derive(Debug, Clone, Serialize)]
pub struct OpgaveView {
    /// Number.
    pub nummer: u32,
    /// Theme.
    pub thema: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Participating gemeenten.
    pub gemeenten: Vec<GemeenteView>,
    /// Letters that refer to this opgave, newest first: their summaries as templates get
    /// them.
    #[serde(serialize_with = "sorted_values")]
    pub brieven: Vec<tera::Value>,
}

/// A full page (letter, opgave or plain page), as `page` in its template.
#[derive(Debug, Clone)]
pub struct PageView<'a> {
    /// The list fields, at the page's own level (`page.title`).
    pub summary: &'a Summary,
    /// Rendered Markdown body.
    pub content: String,
    /// Tags with their pages.
    pub tags: Vec<Link>,
    /// Set on letters.
    pub brief: Option<LetterView>,
    /// Set on opgaven.
    pub opgave: Option<OpgaveView>,
    /// Set on letters and opgaven: permanent link and ready-made e-mail.
    pub doorsturen: Option<Forward>,
    /// The archived versions that hold this page, newest first (empty without an archive).
    pub versies: &'a [crate::site::ArchivedVersion],
    /// Set on letters and opgaven when the site makes PDFs: the PDF beside the page.
    pub pdf: Option<PdfLink>,
    /// Under `serve`, just after an edit: the page's PDF is still being typeset, and the
    /// page is served again, with its link, when it is done (`pdf` is then empty).
    pub pdf_wordt_gemaakt: bool,
}

/// The PDF of a page, as its page links it.
#[derive(Debug, Clone, Serialize)]
pub struct PdfLink {
    /// File, relative to the site root (percent-encoded).
    pub url: String,
    /// Its name, for downloads: `2026-05-07-plan-voor-de-regio.pdf`.
    pub naam: String,
    /// "42 kB".
    pub grootte: String,
}

impl Serialize for PageView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PageView", Summary::FIELDS + 8)?;
        self.summary.fields(&mut s)?;
        s.serialize_field("content", &self.content)?;
        s.serialize_field("tags", &self.tags)?;
        s.serialize_field("brief", &self.brief)?;
        s.serialize_field("opgave", &self.opgave)?;
        s.serialize_field("doorsturen", &self.doorsturen)?;
        s.serialize_field("versies", self.versies)?;
        s.serialize_field("pdf", &self.pdf)?;
        s.serialize_field("pdf_wordt_gemaakt", &self.pdf_wordt_gemaakt)?;
        s.end()
    }
}

impl<'a> PageView<'a> {
    /// The view of page `i` with its rendered body. `values` are the `summaries` as
    /// templates get them: lists of other pages share those instead of converting the
    /// summaries again for every page they appear on.
    pub fn of(
        site: &'a Site,
        summaries: &'a [Summary],
        values: &[tera::Value],
        i: usize,
        content: String,
    ) -> PageView<'a> {
        let page = &site.pages[i];
        let lists = Lists {
            site,
            summaries,
            values,
        };
        let (brief, opgave) = match &page.doc.kind {
            Kind::Letter(l) => (Some(lists.letter(page, l)), None),
            Kind::Opgave(o) => (None, Some(lists.opgave(i, o))),
            Kind::Page => (None, None),
        };
        let doorsturen = match &page.doc.kind {
            Kind::Letter(_) | Kind::Opgave(_) => Some(forward_of(site, page, &summaries[i])),
            Kind::Page => None,
        };
        PageView {
            summary: &summaries[i],
            content,
            tags: tag_links(site, page),
            brief,
            opgave,
            doorsturen,
            versies: site.versions.get(&page.url).map_or(&[], Vec::as_slice),
            pdf: None,
            pdf_wordt_gemaakt: false,
        }
    }
}

/// What a page's view shows of other pages: their summaries, and those as templates get
/// them.
struct Lists<'a> {
    site: &'a Site,
    summaries: &'a [Summary],
    values: &'a [tera::Value],
}

impl Lists<'_> {
    /// The letter parts of `page`, the letter `l`.
    fn letter(&self, page: &Page, l: &Letter) -> LetterView {
        LetterView {
            datum: l.date.dutch(),
            datum_iso: l.date.iso(),
            kenmerk: l.kenmerk.clone(),
            behandeld_door: l.behandeld_door.clone(),
            doorkiesnummer: l.doorkiesnummer.clone(),
            uw_brief_van: l.uw_brief_van.map(|d| d.dutch()),
            uw_kenmerk: l.uw_kenmerk.clone(),
            afzender: l.afzender.clone(),
            ondertekening: lines(l.ondertekening.as_deref()),
            aan: lines(l.aan.as_deref()),
            alle_gemeenten: l.gemeenten.iter().any(|g| g == ALL_GEMEENTEN),
            gemeenten: gemeenten(self.site, &l.gemeenten),
            opgaven: l
                .opgaven
                .iter()
                .filter_map(|&n| self.opgave_of(n))
                .collect(),
            bijlagen: page.bijlagen.iter().map(BijlageView::of).collect(),
            briefhoofd: BriefhoofdView::of(&l.briefhoofd),
        }
    }

    /// The opgave of number `n` as templates get it: the first in order of number.
    fn opgave_of(&self, n: u32) -> Option<tera::Value> {
        let site = self.site;
        let at = site
            .opgaven
            .partition_point(|&o| self.summaries[o].nummer < Some(n));
        site.opgaven
            .get(at)
            .filter(|&&o| self.summaries[o].nummer == Some(n))
            .map(|&o| self.values[o].clone())
    }

    /// The opgave parts of page `i`, the opgave `o`.
    fn opgave(&self, i: usize, o: &Opgave) -> OpgaveView {
        OpgaveView {
            nummer: o.nummer,
            thema: o.thema.clone(),
            status: o.status.clone(),
            gemeenten: gemeenten(self.site, &o.gemeenten),
            brieven: self
                .site
                .opgave_letters
                .get(&i)
                .map(|ls| ls.iter().map(|&l| self.values[l].clone()).collect())
                .unwrap_or_default(),
        }
    }
}

/// The configured gemeenten that `slugs` name, in `site.toml` order: all for `alle`.
fn gemeenten(site: &Site, slugs: &[String]) -> Vec<GemeenteView> {
    let alle = slugs.iter().any(|s| s == ALL_GEMEENTEN);
    site.config
        .gemeenten
        .iter()
        .filter(|g| alle || slugs.iter().any(|s| s == &g.slug))
        .map(GemeenteView::of)
        .collect()
}

/// The links to the tag pages of `page`'s tags, named as the page writes them.
fn tag_links(site: &Site, page: &Page) -> Vec<Link> {
    page.doc
        .common
        .tags
        .iter()
        .filter_map(|t| {
            site.tag_names.get(t).map(|&k| Link {
                name: t.clone(),
                url: site.tags[k].url.clone(),
            })
        })
        .collect()
}

/// The permanent link and ready-made e-mail of a letter or opgave, of summary `s`.
fn forward_of(site: &Site, page: &Page, s: &Summary) -> Forward {
    Forward::new(
        site.config.base_url.as_deref(),
        &page.url,
        forward::subject(&s.title, s.kenmerk.as_deref(), s.nummer),
        s.description.as_deref(),
    )
}

fn lines(s: Option<&str>) -> Vec<String> {
    s.map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A file size as Dutch readers write it: "980 bytes", "245 kB", "1,2 MB".
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{} kB", (b / KB).round())
    } else {
        format!("{:.1} MB", b / (KB * KB)).replace('.', ",")
    }
}

thread_local! {
    /// Whether the views serialise Tera's maps with their keys in order, on this thread
    /// (see [`with_sorted_maps`]).
    static SORTED_MAPS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the Tera values in the views serialised with their maps' keys in order.
/// Tera's maps are hash maps that list their keys in another order in every process; the
/// PDF's data (and so its key in the PDF cache) must come out the same in every build.
/// Outside `f` they serialise as they are, which Tera takes without a copy when it renders
/// a page: sorting them there too cost every build 3% more instructions (callgrind, 10,000
/// pages), for an order no page shows.
pub fn with_sorted_maps<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SORTED_MAPS.set(self.0);
        }
    }
    let _restore = Restore(SORTED_MAPS.replace(true));
    f()
}

/// Serialises Tera values as they are, or with their maps' keys in order inside
/// [`with_sorted_maps`].
fn sorted_values<S: Serializer>(values: &[tera::Value], s: S) -> Result<S::Ok, S::Error> {
    match SORTED_MAPS.get() {
        true => s.collect_seq(values.iter().map(Sorted)),
        false => values.serialize(s),
    }
}

/// A Tera value that serialises with its maps' keys in order (see [`sorted_values`]).
struct Sorted<'a>(&'a tera::Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(map) = self.0.as_map() {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            return s.collect_map(entries.into_iter().map(|(k, v)| (k, Sorted(v))));
        }
        match self.0.as_array() {
            Some(items) => s.collect_seq(items.iter().map(Sorted)),
            None => self.0.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_view_has_the_summary_fields_at_its_own_level() {
        let summary = Summary {
            kind: "brief",
            title: "Onderwerp".into(),
            url: "brieven/a/index.html".into(),
            datum: Some("7 mei 2026".into()),
            datum_iso: Some("2026-05-07".into()),
            description: Some("Kort".into()),
            kenmerk: Some("K1".into()),
            afzender: Some("Afzender".into()),
            nummer: Some(3),
            thema: Some("Thema".into()),
            status: Some("Lopend".into()),
            gewijzigd: Some("9 mei 2026".into()),
            gewijzigd_iso: Some("2026-05-09".into()),
        };
        let page = PageView {
            summary: &summary,
            content: "<p>x</p>".into(),
            tags: Vec::new(),
            brief: None,
            opgave: None,
            doorsturen: None,
            versies: &[],
            pdf: None,
            pdf_wordt_gemaakt: false,
        };
        let serde_json::Value::Object(list) = serde_json::to_value(&summary).unwrap() else {
            panic!("a summary is an object");
        };
        let serde_json::Value::Object(full) = serde_json::to_value(&page).unwrap() else {
            panic!("a page view is an object");
        };
        assert_eq!(list.len(), Summary::FIELDS);
        assert_eq!(full.len(), Summary::FIELDS + 8);
        for (key, value) in &list {
            assert_eq!(full.get(key), Some(value), "{key}");
        }
        assert_eq!(full["content"], "<p>x</p>");
        // Every field of the struct is written: its Debug form names them all.
        let debug = format!("{summary:?}");
        assert_eq!(debug.matches(": ").count(), Summary::FIELDS);
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(980), "980 bytes");
        assert_eq!(human_size(245_300), "245 kB");
        assert_eq!(human_size(1_230_000), "1,2 MB");
    }

    #[test]
    fn tera_maps_serialise_with_their_keys_in_order() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i:02}")).collect();
        let map: std::collections::BTreeMap<_, _> =
            keys.iter().map(|k| (k.clone(), vec![k.clone()])).collect();
        let value = tera::Value::try_from_serializable(&map).unwrap();
        let values = vec![value.clone(), tera::Value::from(vec![value])];
        let mut json = Vec::new();
        with_sorted_maps(|| {
            sorted_values(&values, &mut serde_json::Serializer::new(&mut json)).unwrap()
        });
        assert!(!SORTED_MAPS.get(), "only inside with_sorted_maps");
        let json = String::from_utf8(json).unwrap();
        let object = format!(
            "{{{}}}",
            keys.iter()
                .map(|k| format!("\"{k}\":[\"{k}\"]"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(json, format!("[{object},[{object}]]"));
    }
}
