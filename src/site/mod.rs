//! Resolving the content into a site: where every page goes, and how letters, opgaven,
//! gemeenten and tags refer to each other. Everything here is checked; the result is
//! immutable and shared by the parallel render stage.

pub mod aliases;
pub use paged::OPGAVEN_PREFIX;
mod claims;
mod files;
mod paged;
mod pages;
mod refs;
mod sections;
mod tags;
mod visibility;

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Config;
use crate::content::{Asset, Content, Document, Kind, SectionIndex, Source};
use crate::diagnostics::Diagnostics;

use claims::Claims;
use pages::Ranked;
use visibility::Visibility;

/// A published page and where it goes.
#[derive(Debug)]
pub struct Page {
    /// What the author wrote.
    pub doc: Arc<Document>,
    /// Output path relative to the site root: `brieven/plan-voor-de-regio/index.html`.
    pub url: String,
    /// Attachments of a letter, resolved to files.
    pub bijlagen: Vec<Attachment>,
}

impl Page {
    /// The date the page was last changed: its `updated` date, else its own date.
    pub fn last_changed(&self) -> Option<crate::dates::Date> {
        let date = match &self.doc.kind {
            Kind::Letter(l) => Some(l.date),
            _ => self.doc.common.date,
        };
        match (date, self.doc.common.updated) {
            (Some(d), Some(u)) => Some(d.max(u)),
            (d, u) => d.or(u),
        }
    }

    /// Output path of the page's PDF, beside it, named so that a downloaded file is
    /// recognisable: `2026-05-07-plan-voor-de-regio.pdf`, `opgave-3-mobiliteit.pdf`.
    /// `None` for a page that has none (only letters and opgaven have one).
    pub fn pdf_path(&self) -> Option<String> {
        let dir = self.url.rsplit_once('/').map_or("", |(d, _)| d);
        let slug = dir.rsplit('/').next().filter(|s| !s.is_empty());
        let slug = slug.unwrap_or_else(|| self.doc.source.stem());
        let stem = match &self.doc.kind {
            Kind::Letter(l) => format!("{}-{slug}", l.date.iso()),
            // `opgaven/03-mobiliteit/` gives `opgave-3-mobiliteit`, not `opgave-3-03-mobiliteit`.
            Kind::Opgave(o) => {
                let bare = slug.trim_start_matches(|c: char| c.is_ascii_digit());
                let slug = match bare.strip_prefix('-') {
                    Some(rest) if !rest.is_empty() && bare.len() < slug.len() => rest,
                    _ => slug,
                };
                format!("opgave-{}-{slug}", o.nummer)
            }
            Kind::Page => return None,
        };
        Some(crate::paths::pdf_of(&self.url, &stem))
    }

    /// The month of a letter, `YYYY-MM`: its part of the metadata index
    /// (`paths::metadata_part`); `None` for other pages.
    pub fn month(&self) -> Option<String> {
        match &self.doc.kind {
            Kind::Letter(l) => Some(format!("{:04}-{:02}", l.date.year, l.date.month)),
            _ => None,
        }
    }

    /// Whether the page is a letter or an opgave, which have a `metadata.json`.
    pub fn has_metadata(&self) -> bool {
        matches!(self.doc.kind, Kind::Letter(_) | Kind::Opgave(_))
    }
}

/// A letter's attachment, found on disk.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Title as the author wrote it.
    pub titel: String,
    /// Output path relative to the site root.
    pub url: String,
    /// File type for readers: "PDF", "DOCX".
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
}

/// A top-level folder of `content/` with a list page.
#[derive(Debug)]
pub struct Section {
    /// Folder name: `brieven`.
    pub name: String,
    /// Title from `_index.md`, else the capitalised folder name.
    pub title: String,
    /// Summary from `_index.md`.
    pub description: Option<String>,
    /// The `_index.md`, whose body is the intro.
    pub index: Option<Source>,
    /// Template from `_index.md`.
    pub template: Option<String>,
    /// `brieven/index.html`.
    pub url: String,
    /// Its pages, in list order.
    pub pages: Vec<usize>,
}

/// A tag and its pages.
#[derive(Debug)]
pub struct Tag {
    /// As the author wrote it (first spelling seen).
    pub name: String,
    /// `tags/<slug>/index.html`.
    pub url: String,
    /// Pages with this tag, in list order.
    pub pages: Vec<usize>,
}

/// Pages that concern one gemeente.
#[derive(Debug, Default)]
pub struct GemeentePages {
    /// Letters addressed to it (directly or to `alle`), newest first.
    pub letters: Vec<usize>,
    /// Opgaven it takes part in, by number.
    pub opgaven: Vec<usize>,
}

/// What a `.md` or other file under `content/` becomes.
#[derive(Debug, Clone)]
pub enum Target {
    /// A page (index into `Site::pages`).
    Page(usize),
    /// A section list (index into `Site::sections`).
    Section(usize),
    /// The home page.
    Home,
    /// A file copied as is, to this output path.
    Asset(String),
    /// A draft, not published.
    Draft,
    /// A page with `zichtbaarheid = "intern"`, or a file only such pages use, left out of
    /// the public profile.
    Intern,
    /// A file listed only as holding personal details (`persoonsgegevens = true`), left
    /// out of the public profile with the letters' personal fields.
    Personal,
    /// A file that failed to load (already reported).
    Broken,
}

/// The resolved site.
#[derive(Debug)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Published pages, sorted by output path.
    pub pages: Vec<Page>,
    /// Section lists, sorted by name.
    pub sections: Vec<Section>,
    /// The top-level `_index.md`, intro of the home page.
    pub home: Option<SectionIndex>,
    /// Letters, newest first.
    pub letters: Vec<usize>,
    /// Opgaven by number.
    pub opgaven: Vec<usize>,
    /// Per gemeente of `config.gemeenten` (same order), the pages concerning it.
    pub gemeenten: Vec<GemeentePages>,
    /// Tags sorted by slug.
    pub tags: Vec<Tag>,
    /// Every tag name as pages write it, with its tag in `tags`.
    pub tag_names: FxHashMap<String, usize>,
    /// For each opgave page, the letters that refer to it, newest first.
    pub opgave_letters: FxHashMap<usize, Vec<usize>>,
    /// Non-Markdown files under `content/`, published at their own path.
    pub assets: Vec<Asset>,
    /// Files under `static/`, published at the site root.
    pub static_assets: Vec<Asset>,
    /// Paths of `static_assets`, for links and attachments.
    pub static_files: FxHashSet<String>,
    /// What each file under `content/` became, by path relative to `content/`.
    pub targets: FxHashMap<String, Target>,
    /// Redirect pages for old paths, sorted by output path.
    pub aliases: Vec<aliases::Alias>,
    /// The terms of `content/begrippen.toml`.
    pub glossary: crate::glossary::Glossary,
    /// Per letter and opgave (by page URL): the archived versions that hold it, newest
    /// first. Filled by a build that publishes the archive; empty otherwise, so a frozen
    /// version never lists other versions.
    pub versions: FxHashMap<String, Vec<ArchivedVersion>>,
}

/// One archived version of a page, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArchivedVersion {
    /// The version's label.
    pub label: String,
    /// When it was frozen, in Dutch: "7 mei 2026".
    pub datum: String,
    /// When it was frozen, RFC 3339.
    pub datum_iso: String,
    /// The note given with it.
    pub toelichting: String,
    /// The frozen copy of the page, relative to the site root.
    pub url: String,
    /// The changes to the page since the version before, relative to the site root; `None`
    /// when it did not change or is new.
    pub wijzigingen: Option<String>,
    /// The label of the version before, when `wijzigingen` is set.
    pub vorige: Option<String>,
    /// True when the page first appears in this version.
    pub nieuw: bool,
}

impl Site {
    /// The section with this folder name.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Output path of a gemeente page.
    pub fn gemeente_url(slug: &str) -> String {
        format!("gemeenten/{slug}/index.html")
    }
}

/// Output paths of pages that every site has.
pub const HOME_URL: &str = "index.html";
/// The not-found page.
pub const NOT_FOUND_URL: &str = "404.html";
/// The gemeente list.
pub const GEMEENTEN_URL: &str = "gemeenten/index.html";
/// The tag list.
pub const TAGS_URL: &str = "tags/index.html";
/// The accessibility statement.
pub const TOEGANKELIJKHEID_URL: &str = "toegankelijkheid/index.html";

/// Assigns output paths and resolves references between pages; reports every conflict and
/// dangling reference. Each step reports in turn, so the problems come in the order the
/// steps run.
pub fn resolve(config: Config, content: Content) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut targets = broken(&content.all_markdown);
    let mut claims = Claims::of_generated_pages(&config, &mut diags);
    let visible = Visibility::of(&config, &content.documents);
    let mut pages = pages::publish(content.documents, &visible, &mut targets, &mut diags);
    pages::claim(&pages, &mut claims, &mut targets, &mut diags);
    let ranked = Ranked::of(&pages);
    let (home, sections) =
        sections::collect(content.sections, &pages, &ranked, &visible, &mut targets);
    sections::claim(&sections, &mut claims, &mut targets, &mut diags);
    let assets = files::publish(
        content.assets,
        &visible,
        &mut claims,
        &mut targets,
        &mut diags,
    );
    let static_files = files::claim_static(&content.static_files, &mut claims, &mut diags);
    let letters = ranked.of_kind(&pages, |k| matches!(k, Kind::Letter(_)));
    let opgaven = ranked.of_kind(&pages, |k| matches!(k, Kind::Opgave(_)));
    let refs = refs::resolve(&config, &pages, &letters, &opgaven, &visible, &mut diags);
    files::attach(
        &mut pages,
        &targets,
        &assets,
        &content.static_files,
        &mut diags,
    );
    let (tags, tag_names) = tags::collect(&pages, &ranked, &mut claims, &mut diags);
    // Files raadsite writes besides the pages; aliases come last so a collision names them.
    let glossary = !content.glossary.is_empty();
    let generated = claims::generated(&config, &letters, &refs.gemeenten, &pages, glossary);
    claims.claim_all(generated, "a file raadsite generates", &mut diags);
    paged::claim(
        &config,
        &sections,
        &tags,
        &refs.gemeenten,
        &mut claims,
        &mut diags,
    );
    let aliases = aliases::resolve(&pages, &mut claims, &mut diags);
    diags.into_result(Site {
        config,
        pages,
        sections,
        home,
        letters,
        opgaven,
        gemeenten: refs.gemeenten,
        tags,
        tag_names,
        opgave_letters: refs.opgave_letters,
        assets,
        static_assets: content.static_files,
        static_files,
        targets,
        aliases,
        glossary: content.glossary,
        versions: FxHashMap::default(),
    })
}

/// What each Markdown file became, before any is placed: every one `Broken`, until the
/// steps that place them say otherwise.
fn broken(all_markdown: &[String]) -> FxHashMap<String, Target> {
    all_markdown
        .iter()
        .map(|rel| (rel.clone(), Target::Broken))
        .collect()
}

/// Records what the file `rel` became; its key is usually there already (every Markdown
/// file starts out as `Broken`), so it is only copied when new.
fn set_target(targets: &mut FxHashMap<String, Target>, rel: &str, target: Target) {
    match targets.get_mut(rel) {
        Some(t) => *t = target,
        None => {
            targets.insert(rel.to_owned(), target);
        }
    }
}
