//! Resolving the content into a site: where every page goes, and how letters, opgaven,
//! gemeenten and tags refer to each other. Everything here is checked; the result is
//! immutable and shared by the parallel render stage.

pub mod aliases;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::{ALL_GEMEENTEN, Config};
use crate::content::frontmatter::Bijlage;
use crate::content::{Asset, Content, Document, Kind, LETTERS, OPGAVEN, SectionIndex, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::profile::{Profile, Zichtbaarheid};
use crate::{links, paths, slug};

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
/// dangling reference.
pub fn resolve(config: Config, content: Content) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut targets: FxHashMap<String, Target> = content
        .all_markdown
        .iter()
        .map(|rel| (rel.clone(), Target::Broken))
        .collect();
    let mut claims = Claims::default();
    for url in [
        HOME_URL,
        NOT_FOUND_URL,
        GEMEENTEN_URL,
        TAGS_URL,
        TOEGANKELIJKHEID_URL,
    ] {
        claims.claim(url, "a page raadsite generates", &mut diags);
    }
    for g in &config.gemeenten {
        claims.claim(
            Site::gemeente_url(&g.slug),
            format!("the page of gemeente {}", g.naam),
            &mut diags,
        );
    }

    // Pages: drafts out (and internal pages in the public profile), output paths in.
    let public = config.profile == Profile::Openbaar;
    let intern_files = if public {
        intern_only_files(&content.documents)
    } else {
        FxHashSet::default()
    };
    let intern_opgaven: FxHashSet<u32> = content
        .documents
        .iter()
        .filter(|d| public && d.common.zichtbaarheid == Zichtbaarheid::Intern)
        .filter_map(|d| match &d.kind {
            Kind::Opgave(o) => Some(o.nummer),
            _ => None,
        })
        .collect();
    // The few section folders are slugged once rather than once per page.
    let mut folders: FxHashMap<&str, String> = FxHashMap::default();
    for doc in &content.documents {
        let s = doc.source.section();
        if !folders.contains_key(s) {
            folders.insert(s, slug::slugify(s));
        }
    }
    // Output paths are worked out in parallel (slugging is most of the work); what they
    // lead to is decided in file order below, so diagnostics keep their order.
    let urls: Vec<Result<String, Diagnostic>> = content
        .documents
        .par_iter()
        .map(|doc| {
            let folder = &folders[doc.source.section()];
            page_url(&doc.source, folder, doc.common.slug.as_deref())
        })
        .collect();
    let mut pages = Vec::with_capacity(content.documents.len());
    for (mut doc, url) in content.documents.into_iter().zip(urls) {
        if doc.common.draft {
            set_target(&mut targets, &doc.source.rel, Target::Draft);
            continue;
        }
        if public && doc.common.zichtbaarheid == Zichtbaarheid::Intern {
            set_target(&mut targets, &doc.source.rel, Target::Intern);
            continue;
        }
        // Removed here rather than in the views, so no output (page, list, feed or index)
        // can show them.
        if public
            && !config.openbaar.persoonsgegevens
            && let Kind::Letter(l) = &mut std::sync::Arc::make_mut(&mut doc).kind
        {
            l.behandeld_door = None;
            l.doorkiesnummer = None;
        }
        let url = match url {
            Ok(url) => url,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        pages.push(Page {
            bijlagen: Vec::new(),
            url,
            doc,
        });
    }
    pages.par_sort_by(|a, b| a.url.cmp(&b.url));
    claims.reserve(pages.len());
    for (i, p) in pages.iter().enumerate() {
        claims.claim(&p.url, By::Document(Arc::clone(&p.doc)), &mut diags);
        set_target(&mut targets, &p.doc.source.rel, Target::Page(i));
    }
    // Every list shows its pages in one order, so the pages are sorted once and each list
    // is filled (or sorted) by rank in that order.
    let ranked = list_ranks(&pages);

    // Sections: every top-level folder with pages or an _index.md, and always the two
    // the navigation links to.
    let mut home = None;
    let mut by_name: BTreeMap<String, Section> = [LETTERS, OPGAVEN]
        .into_iter()
        .map(|n| (n.to_owned(), new_section(n)))
        .collect();
    for idx in content.sections {
        if idx.source.section().is_empty() {
            set_target(&mut targets, &idx.source.rel, Target::Home);
            home = Some(idx);
            continue;
        }
        // An internal section's own page is left out of the public profile; the two the
        // menu links to stay, without the intro's texts, and list no pages.
        if public && idx.zichtbaarheid == Zichtbaarheid::Intern {
            set_target(&mut targets, &idx.source.rel, Target::Intern);
            continue;
        }
        let s = by_name
            .entry(idx.source.section().to_owned())
            .or_insert_with(|| new_section(idx.source.section()));
        s.title = idx.title.clone();
        s.description = idx.description.clone();
        s.template = idx.template.clone();
        s.index = Some(idx.source);
    }
    for &i in &ranked.order {
        let name = pages[i].doc.source.section();
        if !name.is_empty() {
            by_name
                .entry(name.to_owned())
                .or_insert_with(|| new_section(name))
                .pages
                .push(i);
        }
    }
    let mut sections: Vec<Section> = by_name.into_values().collect();
    for (i, s) in sections.iter_mut().enumerate() {
        if slug::slugify(&s.name).is_empty() {
            diags.push(
                Diagnostic::in_file(
                    format!("content/{}/", s.name),
                    "cannot make a URL from this folder name",
                )
                .with_help("rename the folder with letters or digits"),
            );
        }
        claims.claim(&s.url, format!("content/{}/", s.name), &mut diags);
        if let Some(idx) = &s.index {
            set_target(&mut targets, &idx.rel, Target::Section(i));
        }
    }

    let (assets, intern_assets): (Vec<Asset>, Vec<Asset>) = content
        .assets
        .into_iter()
        .partition(|a| !intern_files.contains(&a.rel));
    for a in &intern_assets {
        set_target(&mut targets, &a.rel, Target::Intern);
    }
    for a in &assets {
        claims.claim(&a.rel, format!("content/{}", a.rel), &mut diags);
        set_target(&mut targets, &a.rel, Target::Asset(a.rel.clone()));
    }
    for a in &content.static_files {
        claims.claim(&a.rel, format!("static/{}", a.rel), &mut diags);
    }
    let static_files: FxHashSet<String> =
        content.static_files.iter().map(|a| a.rel.clone()).collect();

    // Letters and opgaven and their cross-references.
    let letters = ranked.of_kind(&pages, |k| matches!(k, Kind::Letter(_)));
    let opgaven = ranked.of_kind(&pages, |k| matches!(k, Kind::Opgave(_)));
    let mut by_nummer: BTreeMap<u32, usize> = BTreeMap::new();
    // In file order, so the file that comes later is the one reported.
    let mut in_file_order = opgaven.clone();
    in_file_order.sort_by(|a, b| pages[*a].doc.source.rel.cmp(&pages[*b].doc.source.rel));
    for &i in &in_file_order {
        let Kind::Opgave(o) = &pages[i].doc.kind else {
            continue;
        };
        if let Some(&first) = by_nummer.get(&o.nummer) {
            diags.push(
                pages[i]
                    .doc
                    .source
                    .error_at_key(
                        "nummer",
                        format!("opgave number {} is used twice", o.nummer),
                    )
                    .with_help(format!(
                        "{} has the same number",
                        pages[first].doc.source.shown.display()
                    )),
            );
        } else {
            by_nummer.insert(o.nummer, i);
        }
    }
    let slugs: Vec<&str> = config.gemeenten.iter().map(|g| g.slug.as_str()).collect();
    let mut gemeenten: Vec<GemeentePages> = config
        .gemeenten
        .iter()
        .map(|_| GemeentePages::default())
        .collect();
    let mut opgave_letters: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in letters.iter().chain(&opgaven) {
        let src = &pages[i].doc.source;
        let (addressed, is_letter) = match &pages[i].doc.kind {
            Kind::Letter(l) => (&l.gemeenten, true),
            Kind::Opgave(o) => (&o.gemeenten, false),
            Kind::Page => continue,
        };
        for (j, g) in addressed.iter().enumerate() {
            let hits: Vec<usize> = if g == ALL_GEMEENTEN {
                (0..slugs.len()).collect()
            } else if let Some(k) = slugs.iter().position(|s| s == g) {
                vec![k]
            } else {
                let mut known = slugs.clone();
                known.push(ALL_GEMEENTEN);
                diags.push(
                    src.error_at_key(
                        &format!("gemeenten[{j}]"),
                        format!("unknown gemeente \"{g}\""),
                    )
                    .with_help(match suggest(g, &known) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!("known gemeenten: {}", known.join(", ")),
                    }),
                );
                continue;
            };
            for k in hits {
                let list = if is_letter {
                    &mut gemeenten[k].letters
                } else {
                    &mut gemeenten[k].opgaven
                };
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        if let Kind::Letter(l) = &pages[i].doc.kind {
            for (j, n) in l.opgaven.iter().enumerate() {
                let at = || format!("opgaven[{j}]");
                match by_nummer.get(n) {
                    Some(&o) => opgave_letters.entry(o).or_default().push(i),
                    None if intern_opgaven.contains(n) => diags.push(
                        src.error_at_key(
                            &at(),
                            format!(
                                "letter refers to opgave {n}, which is internal and left out of the openbaar profile"
                            ),
                        )
                        .with_help("remove the number, or make the opgave openbaar"),
                    ),
                    None => diags.push(src.error_at_key(
                        &at(),
                        format!("letter refers to opgave {n}, which does not exist"),
                    )),
                }
            }
        }
    }
    for list in opgave_letters.values_mut() {
        list.dedup();
    }

    // Attachments.
    let files = AttachmentFiles {
        targets: &targets,
        assets: assets.iter().map(|a| (a.rel.as_str(), a)).collect(),
        static_files: content
            .static_files
            .iter()
            .map(|a| (a.rel.as_str(), a))
            .collect(),
    };
    for p in &mut pages {
        if let Kind::Letter(l) = &p.doc.kind {
            p.bijlagen = l
                .bijlagen
                .iter()
                .enumerate()
                .filter_map(|(i, b)| {
                    attachment(&p.doc.source, i, b, &files)
                        .map_err(|d| diags.push(d))
                        .ok()
                })
                .collect();
        }
    }
    drop(files);

    let (tags, tag_names) = collect_tags(&pages, &ranked, &mut claims, &mut diags);
    // Files raadsite writes besides the pages; aliases come last so a collision names them.
    let glossary = !content.glossary.is_empty();
    for url in generated(&config, &letters, &gemeenten, &pages, glossary) {
        claims.claim(url, "a file raadsite generates", &mut diags);
    }
    let aliases = aliases::resolve(&pages, &mut claims, &mut diags);
    diags.into_result(Site {
        config,
        pages,
        sections,
        home,
        letters,
        opgaven,
        gemeenten,
        tags,
        tag_names,
        opgave_letters,
        assets,
        static_assets: content.static_files,
        static_files,
        targets,
        aliases,
        glossary: content.glossary,
    })
}

/// Every file raadsite generates besides the pages (see [`crate::paths`]): the feeds, the
/// sitemap and robots file when `base_url` is set, each letter's and opgave's metadata and
/// the glossary page.
fn generated(
    config: &Config,
    letters: &[usize],
    gemeenten: &[GemeentePages],
    pages: &[Page],
    glossary: bool,
) -> Vec<String> {
    let mut v = Vec::new();
    if config.base_url.is_some() {
        v.extend([paths::SITEMAP.to_owned(), paths::ROBOTS.to_owned()]);
        if !letters.is_empty() {
            v.push(paths::LETTERS_FEED.to_owned());
        }
        for (g, p) in config.gemeenten.iter().zip(gemeenten) {
            if !p.letters.is_empty() {
                v.push(paths::gemeente_feed(&g.slug));
            }
        }
    }
    let documents = pages.iter().filter(|p| p.has_metadata());
    v.extend(documents.map(|p| paths::metadata_of(&p.url)));
    v.push(paths::METADATA_INDEX.to_owned());
    if glossary {
        v.push(paths::GLOSSARY.to_owned());
    }
    v
}

fn new_section(name: &str) -> Section {
    let mut title: Vec<char> = name.chars().collect();
    if let Some(c) = title.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    Section {
        name: name.to_owned(),
        title: title.into_iter().collect(),
        description: None,
        index: None,
        template: None,
        url: format!("{}/index.html", slug::slugify(name)),
        pages: Vec::new(),
    }
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

/// The pages in list order.
struct Ranked {
    /// Page indices in list order.
    order: Vec<usize>,
}

impl Ranked {
    /// The pages of one kind, in list order.
    fn of_kind(&self, pages: &[Page], pred: impl Fn(&Kind) -> bool) -> Vec<usize> {
        self.order
            .iter()
            .copied()
            .filter(|&i| pred(&pages[i].doc.kind))
            .collect()
    }
}

fn list_ranks(pages: &[Page]) -> Ranked {
    let keys: Vec<ListKey> = pages.iter().map(list_key).collect();
    let mut order: Vec<usize> = (0..pages.len()).collect();
    // Stable, so pages with equal keys (only possible for clashing paths, which are
    // reported) keep their order.
    order.par_sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    Ranked { order }
}

type ListKey<'a> = (
    u8,
    std::cmp::Reverse<Option<crate::dates::Date>>,
    i64,
    &'a str,
    &'a str,
);

/// Letters newest first, opgaven by number, other pages by weight, then title, then path.
fn list_key(p: &Page) -> ListKey<'_> {
    let (kind, date, n) = match &p.doc.kind {
        Kind::Letter(l) => (0, std::cmp::Reverse(Some(l.date)), 0i64),
        Kind::Opgave(o) => (1, std::cmp::Reverse(None), i64::from(o.nummer)),
        Kind::Page => (
            2,
            std::cmp::Reverse(p.doc.common.date),
            p.doc.common.weight.unwrap_or(0),
        ),
    };
    (kind, date, n, &p.doc.common.title, &p.url)
}

/// The output path of a page from `source`, whose section folder slugs to `folder`.
fn page_url(source: &Source, folder: &str, slug: Option<&str>) -> Result<String, Diagnostic> {
    let slug = match slug {
        Some(s) => s.to_owned(),
        None => source
            .name_slug
            .get_or_init(|| slug::slugify(strip_date_prefix(source.stem())))
            .clone(),
    };
    if slug.is_empty() {
        return Err(
            Diagnostic::in_file(&source.shown, "cannot make a URL from this file name")
                .at(1, 1)
                .with_help("give the page a slug = \"...\" in its front matter"),
        );
    }
    // The folder is slugged like the file name, so `content/Mijn Map/` is `mijn-map/`.
    Ok(match source.section() {
        "" => format!("{slug}/index.html"),
        _ => format!("{folder}/{slug}/index.html"),
    })
}

/// `2026-05-07-plan-voor-de-regio` -> `plan-voor-de-regio`.
fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if is_date { &stem[11..] } else { stem }
}

/// Where attachments are looked up.
struct AttachmentFiles<'a> {
    targets: &'a FxHashMap<String, Target>,
    /// Published files under `content/`, by path.
    assets: FxHashMap<&'a str, &'a Asset>,
    /// Files under `static/`, by path.
    static_files: FxHashMap<&'a str, &'a Asset>,
}

/// The attachment `bijlage`, item `index` of the letter's `bijlagen`.
fn attachment(
    source: &Source,
    index: usize,
    bijlage: &Bijlage,
    files: &AttachmentFiles,
) -> Result<Attachment, Diagnostic> {
    let bestand = &bijlage.bestand;
    let bad = |why: &str| {
        source
            .error_at_key(
                &format!("bijlagen[{index}].bestand"),
                format!("bijlage \"{bestand}\" {why}"),
            )
            .with_help("put the file next to the letter or in static/ and give its name")
    };
    if bestand.starts_with('/') || links::is_external(bestand) {
        return Err(bad("must be a file name relative to the letter"));
    }
    let beside =
        links::resolve(source.dir(), bestand).ok_or_else(|| bad("points outside the site"))?;
    let in_static = links::resolve("", bestand);
    let file = match files.targets.get(&beside) {
        Some(Target::Asset(_)) => files.assets.get(beside.as_str()).copied(),
        _ => in_static.and_then(|rel| files.static_files.get(rel.as_str()).copied()),
    }
    .ok_or_else(|| bad("is not found next to the letter nor in static/"))?;
    let kind = Path::new(&file.rel)
        .extension()
        .map(|e| e.to_string_lossy().to_uppercase())
        .unwrap_or_else(|| "bestand".to_owned());
    Ok(Attachment {
        titel: bijlage.titel.clone(),
        url: file.rel.clone(),
        kind,
        size: file.size,
    })
}

/// Files under `content/` that only internal pages list as bijlage: in the public profile
/// they are left out with the pages.
fn intern_only_files(documents: &[Arc<Document>]) -> FxHashSet<String> {
    let mut intern = FxHashSet::default();
    let mut public = FxHashSet::default();
    for d in documents.iter().filter(|d| !d.common.draft) {
        let Kind::Letter(l) = &d.kind else { continue };
        let set = if d.common.zichtbaarheid == Zichtbaarheid::Intern {
            &mut intern
        } else {
            &mut public
        };
        set.extend(
            l.bijlagen
                .iter()
                .filter_map(|b| links::resolve(d.source.dir(), &b.bestand)),
        );
    }
    intern.retain(|f| !public.contains(f));
    intern
}

fn collect_tags(
    pages: &[Page],
    ranked: &Ranked,
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> (Vec<Tag>, FxHashMap<String, usize>) {
    // Pages share a few tags between them: each name is slugged once, in file order so
    // that a tag is named as the first page spells it.
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut tags: Vec<(String, Tag)> = Vec::new();
    for p in pages {
        for (j, name) in p.doc.common.tags.iter().enumerate() {
            let tag = match by_name.get(name.as_str()) {
                Some(&tag) => tag,
                None => {
                    let s = slug::slugify(name);
                    let tag = (!s.is_empty()).then(|| {
                        *by_slug.entry(s).or_insert_with_key(|s| {
                            let tag = Tag {
                                name: name.clone(),
                                url: format!("tags/{s}/index.html"),
                                pages: Vec::new(),
                            };
                            tags.push((s.clone(), tag));
                            tags.len() - 1
                        })
                    });
                    by_name.insert(name, tag);
                    tag
                }
            };
            if tag.is_none() {
                diags.push(p.doc.source.error_at_key(
                    &format!("tags[{j}]"),
                    format!("tag \"{name}\" has no letters or digits"),
                ));
            }
        }
    }
    // Filled in list order, so no list needs sorting.
    for &i in &ranked.order {
        for name in &pages[i].doc.common.tags {
            if let Some(t) = by_name[name.as_str()] {
                let list = &mut tags[t].1.pages;
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    // Sorted by slug; each name keeps pointing at its tag.
    let mut sorted: Vec<(usize, (String, Tag))> = tags.into_iter().enumerate().collect();
    sorted.sort_unstable_by(|a, b| (a.1).0.cmp(&(b.1).0));
    let mut sorted_at = vec![0; sorted.len()];
    for (at, (t, _)) in sorted.iter().enumerate() {
        sorted_at[*t] = at;
    }
    let names = by_name
        .into_iter()
        .filter_map(|(name, t)| Some((name.to_owned(), sorted_at[t?])))
        .collect();
    let tags: Vec<Tag> = sorted.into_iter().map(|(_, (_, tag))| tag).collect();
    for t in &tags {
        claims.claim(&t.url, format!("the page of tag \"{}\"", t.name), diags);
    }
    (tags, names)
}

/// Output paths taken so far, with who took them, to report two claimants of one path.
#[derive(Default)]
pub(crate) struct Claims(FxHashMap<String, By>);

/// Who took an output path; described only when two take the same one.
pub(crate) enum By {
    /// Described in words.
    Text(Cow<'static, str>),
    /// The page of this document.
    Document(Arc<Document>),
}

impl By {
    fn describe(&self) -> Cow<'_, str> {
        match self {
            By::Text(t) => Cow::Borrowed(t),
            By::Document(d) => Cow::Owned(d.source.shown.display().to_string()),
        }
    }
}

impl From<&'static str> for By {
    fn from(text: &'static str) -> By {
        By::Text(Cow::Borrowed(text))
    }
}

impl From<String> for By {
    fn from(text: String) -> By {
        By::Text(Cow::Owned(text))
    }
}

impl Claims {
    fn reserve(&mut self, n: usize) {
        self.0.reserve(n);
    }

    /// Who has taken `url`, if anyone.
    pub(crate) fn holder(&self, url: &str) -> Option<Cow<'_, str>> {
        self.0.get(url).map(By::describe)
    }

    /// Takes `url` for `by`, or returns who has it already.
    pub(crate) fn take(&mut self, url: &str, by: String) -> Result<(), String> {
        match self.0.get(url) {
            Some(first) => Err(first.describe().into_owned()),
            None => {
                self.0.insert(url.to_owned(), By::from(by));
                Ok(())
            }
        }
    }

    /// Takes `url` for `by`, or reports who has it already. Takes the path by value, so
    /// that a path made for the check is not copied again, and looks it up only once.
    fn claim(&mut self, url: impl Into<String>, by: impl Into<By>, diags: &mut Diagnostics) {
        let entry = match self.0.entry(url.into()) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(by.into());
                return;
            }
            std::collections::hash_map::Entry::Occupied(e) => e,
        };
        let by = by.into();
        let (url, first, by) = (entry.key(), entry.get().describe(), by.describe());
        let file = if by.starts_with("content/") || by.starts_with("content\\") {
            Some(&*by)
        } else {
            None
        };
        let msg = format!("two sources claim the output path {url}: {first} and {by}");
        diags.push(
            match file {
                Some(f) => Diagnostic::in_file(f, msg),
                None => Diagnostic::general(msg),
            }
            .with_help(if by.ends_with('/') {
                "rename one of the folders"
            } else {
                "give one of them another slug = \"...\""
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::strip_date_prefix;

    #[test]
    fn date_prefix() {
        assert_eq!(strip_date_prefix("2026-05-07-plan"), "plan");
        assert_eq!(strip_date_prefix("2026-05-07"), "2026-05-07");
        assert_eq!(strip_date_prefix("01-opgave"), "01-opgave");
    }
}
