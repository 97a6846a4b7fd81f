//! The pages that list others, and the fixed pages: the home page, section lists, the
//! gemeenten and their pages, tags, redirects, the glossary, the search page and the
//! accessibility statement. Each is one [`Job`], rendered in parallel with the content pages.

use serde::Serialize;

use super::cache::Listed;
use super::{Out, Renderer, toegankelijkheid};
use crate::content::{LETTERS, OPGAVEN};
use crate::diagnostics::Diagnostic;
use crate::links;
use crate::paging::{self, PAGE_PREFIX, Pager};
use crate::site::{
    GEMEENTEN_URL, HOME_URL, NOT_FOUND_URL, OPGAVEN_PREFIX, Site, TAGS_URL, TOEGANKELIJKHEID_URL,
};
use crate::views::{self, GemeenteView};

/// How many letters the home page lists.
const HOME_LETTERS: usize = 10;
/// How many pages the home page lists under "Nieuw en gewijzigd".
const HOME_RECENT: usize = 5;
/// How many opgaven the home page lists (by number), so that it stays the same size
/// however many there are; the opgaven list has them all.
const HOME_OPGAVEN: usize = 25;

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    Home,
    NotFound,
    /// Page `.1` (from 1) of section `.0`'s list.
    Section(usize, usize),
    Gemeente(usize, GemeentePart),
    Gemeenten,
    /// Page `.1` of tag `.0`'s list.
    Tag(usize, usize),
    Tags,
    Toegankelijkheid,
    Alias(usize),
    Begrippen,
    Search,
}

/// Which page of a gemeente's: the first, with the first page of both its lists, or a
/// later page of one of them.
#[derive(Debug, Clone, Copy)]
pub(super) enum GemeentePart {
    Both,
    Letters(usize),
    Opgaven(usize),
}

/// Every list and fixed page of `site`.
pub(super) fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Gemeenten, Job::Tags];
    jobs.push(Job::Toegankelijkheid);
    jobs.push(Job::Search);
    for (i, s) in site.sections.iter().enumerate() {
        jobs.extend((1..=paging::pages(s.pages.len())).map(|k| Job::Section(i, k)));
    }
    for (k, g) in site.gemeenten.iter().enumerate() {
        jobs.push(Job::Gemeente(k, GemeentePart::Both));
        let letters = 2..=paging::pages(g.letters.len());
        jobs.extend(letters.map(|n| Job::Gemeente(k, GemeentePart::Letters(n))));
        let opgaven = 2..=paging::pages(g.opgaven.len());
        jobs.extend(opgaven.map(|n| Job::Gemeente(k, GemeentePart::Opgaven(n))));
    }
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=paging::pages(t.pages.len())).map(|k| Job::Tag(i, k)));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    if !site.glossary.is_empty() {
        jobs.push(Job::Begrippen);
    }
    jobs
}

impl Renderer<'_> {
    /// The summaries of pages `idx`, as list templates get them.
    fn list(&self, idx: &[usize]) -> Vec<Listed<'_>> {
        idx.iter()
            .map(|&i| Listed {
                value: &self.summary_values[i],
                key: self.summary_keys.get(i).copied().unwrap_or(0),
            })
            .collect()
    }

    /// Renders one list or fixed page.
    pub(super) fn render(&self, job: Job) -> Result<Out, Diagnostic> {
        match job {
            Job::Home => self.home(),
            Job::NotFound => self.page(NOT_FOUND_URL, "404.html", None, ()),
            Job::Section(i, n) => self.section(i, n),
            Job::Gemeente(k, part) => self.gemeente(k, part),
            Job::Gemeenten => self.gemeenten(),
            Job::Tag(k, n) => self.tag(k, n),
            Job::Tags => self.tags(),
            Job::Toegankelijkheid => self.toegankelijkheid(),
            Job::Alias(k) => self.alias(k),
            Job::Begrippen => self.begrippen(),
            Job::Search => self.search(),
        }
    }

    /// The home page: its intro, the newest letters, the opgaven and what changed recently.
    fn home(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        let data = HomeData {
            title: site.home.as_ref().map_or(&site.config.title, |h| &h.title),
            content: self.home_body.map_or("", |(h, _)| &h.html),
            letters: self.list(&site.letters[..site.letters.len().min(HOME_LETTERS)]),
            letters_total: site.letters.len(),
            opgaven: self.list(&site.opgaven[..site.opgaven.len().min(HOME_OPGAVEN)]),
            opgaven_total: site.opgaven.len(),
            opgaven_url: site.section(OPGAVEN).map(|s| s.url.as_str()),
            recent: self.list(&views::recent(site, HOME_RECENT)),
        };
        self.page(HOME_URL, "index.html", None, data)
    }

    /// Page `n` of the list of section `i`, with its intro.
    fn section(&self, i: usize, n: usize) -> Result<Out, Diagnostic> {
        let site = self.site;
        let s = &site.sections[i];
        let pager = Pager::new(&s.url, PAGE_PREFIX, s.pages.len(), n);
        let default = match s.name.as_str() {
            LETTERS => "brieven.html",
            OPGAVEN => "opgaven.html",
            _ => "section.html",
        };
        let data = SectionData {
            section: SectionInfo {
                name: &s.name,
                title: &s.title,
                description: s.description.as_deref(),
                content: self.section_bodies[i].as_ref().map_or("", |(h, _)| &h.html),
            },
            pages: self.list(&s.pages[paging::range(s.pages.len(), n)]),
            pager: pager.clone(),
        };
        self.page_with(
            &paging::url(&s.url, PAGE_PREFIX, n),
            s.template.as_deref(),
            default,
            s.index.as_ref(),
            data,
        )
    }

    /// The page of gemeente `k`: the letters to it and its opgaven, the first page of
    /// each or a later page of one of them.
    fn gemeente(&self, k: usize, part: GemeentePart) -> Result<Out, Diagnostic> {
        let site = self.site;
        let g = &site.config.gemeenten[k];
        let first = Site::gemeente_url(&g.slug);
        let (letters, opgaven) = (&site.gemeenten[k].letters, &site.gemeenten[k].opgaven);
        let (l, o, url) = match part {
            GemeentePart::Both => (1, 1, first.clone()),
            GemeentePart::Letters(n) => (n, 0, paging::url(&first, PAGE_PREFIX, n)),
            GemeentePart::Opgaven(n) => (0, n, paging::url(&first, OPGAVEN_PREFIX, n)),
        };
        let shown = |list: &[usize], n: usize| match n {
            0 => Vec::new(),
            n => self.list(&list[paging::range(list.len(), n)]),
        };
        let data = GemeenteData {
            gemeente: GemeenteView::of(g),
            letters: shown(letters, l),
            letters_pager: (l > 0).then(|| Pager::new(&first, PAGE_PREFIX, letters.len(), l)),
            opgaven: shown(opgaven, o),
            opgaven_pager: (o > 0).then(|| Pager::new(&first, OPGAVEN_PREFIX, opgaven.len(), o)),
            feed: crate::feeds::gemeente_feed_of(site, k),
        };
        self.page(&url, "gemeente.html", None, data)
    }

    /// The list of gemeenten, with their numbers of letters and opgaven.
    fn gemeenten(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        let rows: Vec<GemeenteRow> = site
            .config
            .gemeenten
            .iter()
            .zip(&site.gemeenten)
            .map(|(g, p)| GemeenteRow {
                gemeente: GemeenteView::of(g),
                brieven: p.letters.len(),
                opgaven: p.opgaven.len(),
            })
            .collect();
        self.page(
            GEMEENTEN_URL,
            "gemeenten.html",
            None,
            GemeentenData { gemeenten: rows },
        )
    }

    /// Page `n` of the pages with tag `k`.
    fn tag(&self, k: usize, n: usize) -> Result<Out, Diagnostic> {
        let site = self.site;
        let t = &site.tags[k];
        let data = TagData {
            tag: &t.name,
            pages: self.list(&t.pages[paging::range(t.pages.len(), n)]),
            pager: Pager::new(&t.url, PAGE_PREFIX, t.pages.len(), n),
        };
        self.page(&paging::url(&t.url, PAGE_PREFIX, n), "tag.html", None, data)
    }

    /// The list of tags.
    fn tags(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        let rows: Vec<TagRow> = site
            .tags
            .iter()
            .map(|t| TagRow {
                name: &t.name,
                url: &t.url,
                count: t.pages.len(),
            })
            .collect();
        self.page(TAGS_URL, "tags.html", None, TagsData { tags: rows })
    }

    /// The accessibility statement.
    fn toegankelijkheid(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        self.page(
            TOEGANKELIJKHEID_URL,
            "toegankelijkheid.html",
            None,
            ToegankelijkheidData {
                toegankelijkheid: toegankelijkheid::ToegankelijkheidView::of(
                    &site.config.toegankelijkheid,
                ),
            },
        )
    }

    /// Redirect `k`: an old path that leads to its page.
    fn alias(&self, k: usize) -> Result<Out, Diagnostic> {
        let site = self.site;
        let alias = &site.aliases[k];
        let page = &site.pages[alias.page];
        let data = AliasData {
            title: &page.doc.common.title,
            target: format!("{}{}", links::root_prefix(&alias.url), page.url),
            canonical: site
                .config
                .base_url
                .as_deref()
                .map(|b| crate::feeds::absolute(b, &page.url)),
        };
        self.page(&alias.url, "alias.html", None, data)
    }

    /// The glossary page.
    fn begrippen(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        let data = BegrippenData {
            title: "Begrippen",
            begrippen: &site.glossary.begrippen,
        };
        self.page(crate::glossary::URL, "begrippen.html", None, data)
    }

    /// The search page, with the section and thema filters.
    fn search(&self) -> Result<Out, Diagnostic> {
        let site = self.site;
        self.page(
            crate::search::PAGE_URL,
            "zoeken.html",
            None,
            SearchData {
                secties: site
                    .sections
                    .iter()
                    .filter(|s| !s.pages.is_empty())
                    .map(|s| SearchSection {
                        naam: &s.name,
                        titel: &s.title,
                        url: &s.url,
                    })
                    .collect(),
                themas: crate::search::themes(site),
            },
        )
    }
}

#[derive(Serialize)]
struct HomeData<'a> {
    title: &'a str,
    content: &'a str,
    letters: Vec<Listed<'a>>,
    letters_total: usize,
    /// The first opgaven by number, and how many there are.
    opgaven: Vec<Listed<'a>>,
    opgaven_total: usize,
    /// The opgaven list, when the site has that section.
    opgaven_url: Option<&'a str>,
    /// "Nieuw en gewijzigd": the most recently dated or updated pages.
    recent: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct SectionData<'a> {
    section: SectionInfo<'a>,
    /// The pages on this page of the list.
    pages: Vec<Listed<'a>>,
    pager: Pager,
}

#[derive(Serialize)]
struct SectionInfo<'a> {
    name: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
}

#[derive(Serialize)]
struct GemeenteData<'a> {
    gemeente: GemeenteView,
    /// The letters on this page, with where they are in the whole list; no pager on a
    /// later page of the opgaven, which shows no letters.
    letters: Vec<Listed<'a>>,
    letters_pager: Option<Pager>,
    /// The opgaven on this page, likewise.
    opgaven: Vec<Listed<'a>>,
    opgaven_pager: Option<Pager>,
    /// This gemeente's letter feed, relative to the site root.
    feed: Option<String>,
}

#[derive(Serialize)]
struct AliasData<'a> {
    /// Title of the page the alias leads to.
    title: &'a str,
    /// Its location relative to the alias.
    target: String,
    /// Its absolute URL when `base_url` is set.
    canonical: Option<String>,
}

#[derive(Serialize)]
struct BegrippenData<'a> {
    title: &'static str,
    begrippen: &'a [crate::glossary::Begrip],
}

#[derive(Serialize)]
struct GemeenteRow {
    #[serde(flatten)]
    gemeente: GemeenteView,
    brieven: usize,
    opgaven: usize,
}

#[derive(Serialize)]
struct TagData<'a> {
    tag: &'a str,
    pages: Vec<Listed<'a>>,
    pager: Pager,
}

#[derive(Serialize)]
struct TagRow<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct GemeentenData {
    gemeenten: Vec<GemeenteRow>,
}

#[derive(Serialize)]
struct SearchData<'a> {
    /// Sections with pages, for the section filter.
    secties: Vec<SearchSection<'a>>,
    /// The opgaven's themes, for the thema filter.
    themas: Vec<String>,
}

#[derive(Serialize)]
struct SearchSection<'a> {
    naam: &'a str,
    titel: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct TagsData<'a> {
    tags: Vec<TagRow<'a>>,
}

#[derive(Serialize)]
struct ToegankelijkheidData {
    toegankelijkheid: toegankelijkheid::ToegankelijkheidView,
}
