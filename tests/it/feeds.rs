//! Atom feeds, sitemap and robots.txt (only with base_url), and "Nieuw en gewijzigd":
//! `updated` dates on pages, on the home page and in the feeds.

use crate::common::{TestSite, crawl};

const BASE: &str = "https://intranet.example.nl/raad/twente/";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The basic fixture with a base_url and one letter that was updated after it was sent.
fn with_base() -> TestSite {
    TestSite::fixture("basic")
        .with_base_url(BASE)
        .with_file("content/brieven/2026-04-01-bijgewerkt.md", UPDATED_LETTER)
}

const UPDATED_LETTER: &str = "+++
title = \"Bijgewerkte brief & bijlage <concept>\"
date = 2026-04-01
updated = 2026-08-09
kenmerk = \"0099\"
afzender = \"Voorzitter BOSS\"
description = \"Een brief die later is aangevuld.\"
gemeenten = [\"rh\"]
+++

Tekst.
";

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
}

fn text<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    child(n, name)
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("<{}> lacks <{name}>", n.tag_name().name()))
}

/// RFC 3339 date-time as Atom requires: `2026-05-07T00:00:00Z` or with an offset.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s[19..].starts_with(['+', '-']))
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
            .into_iter()
            .all(|r| b[r].iter().all(u8::is_ascii_digit))
}

/// Checks the elements RFC 4287 requires and returns the entries' (id, updated, title).
fn check_feed(xml: &str, self_url: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(text(feed, "id"), self_url);
    assert!(!text(feed, "title").is_empty());
    assert!(
        is_rfc3339(text(feed, "updated")),
        "{}",
        text(feed, "updated")
    );
    let links: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "link")
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l.attribute("rel") == Some("self") && l.attribute("href") == Some(self_url))
    );
    // A feed without an author must have one in every entry; this one has it at feed level.
    assert!(!text(child(feed, "author").unwrap(), "name").is_empty());
    let mut entries = Vec::new();
    let mut newest = String::new();
    for e in feed.children().filter(|c| c.tag_name().name() == "entry") {
        let id = text(e, "id");
        let updated = text(e, "updated");
        assert!(id.starts_with(BASE), "entry id {id} is not absolute");
        assert!(is_rfc3339(updated), "{updated}");
        assert!(is_rfc3339(text(e, "published")));
        let link = child(e, "link").expect("entry link");
        assert_eq!(link.attribute("rel"), Some("alternate"));
        assert_eq!(link.attribute("href"), Some(id));
        newest = newest.max(updated.to_owned());
        entries.push((
            id.to_owned(),
            updated.to_owned(),
            text(e, "title").to_owned(),
        ));
    }
    assert_eq!(text(feed, "updated"), newest, "feed updated = newest entry");
    entries
}

#[test]
fn letters_feed_is_valid_atom_with_absolute_links() {
    let built = with_base().build();
    let entries = check_feed(
        &built.read("brieven/atom.xml"),
        &format!("{BASE}brieven/atom.xml"),
    );
    let ids: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("{BASE}brieven/bijgewerkt/"),
            format!("{BASE}brieven/tweede-brief/"),
            format!("{BASE}brieven/eerste-brief/"),
            format!("{BASE}brieven/oud/"),
        ],
        "newest change first, drafts left out"
    );
    assert_eq!(entries[0].1, "2026-08-09T00:00:00Z", "updated date is used");
    assert_eq!(
        entries[0].2, "Bijgewerkte brief & bijlage <concept>",
        "titles are escaped"
    );
}

#[test]
fn every_gemeente_with_letters_has_its_own_feed() {
    let built = with_base().build();
    let titles = |slug: &str| -> Vec<String> {
        check_feed(
            &built.read(&format!("gemeenten/{slug}/atom.xml")),
            &format!("{BASE}gemeenten/{slug}/atom.xml"),
        )
        .into_iter()
        .map(|e| e.2)
        .collect()
    };
    assert_eq!(titles("almelo"), ["Tweede brief", "Eerste brief"]);
    assert_eq!(titles("hof-van-twente"), ["Eerste brief", "Oude brief"]);
    assert_eq!(
        titles("rh"),
        ["Bijgewerkte brief & bijlage <concept>", "Eerste brief"]
    );
    built
        .assert_contains(
            "gemeenten/almelo/index.html",
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Brieven aan Almelo - Testraad\" href=\"../../gemeenten/almelo/atom.xml\">",
        )
        .assert_contains(
            "gemeenten/almelo/index.html",
            "<a href=\"../../gemeenten/almelo/atom.xml\">Atom-feed van de brieven aan Almelo</a>",
        );
}

#[test]
fn pages_link_the_feed_and_every_link_leads_to_a_file() {
    let built = with_base().build();
    built
        .assert_contains(
            "index.html",
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Brieven - Testraad\" href=\"brieven/atom.xml\">",
        )
        .assert_contains(
            "brieven/eerste-brief/index.html",
            "href=\"../../brieven/atom.xml\"",
        )
        .assert_contains(
            "brieven/index.html",
            "<a href=\"../brieven/atom.xml\">Atom-feed van de brieven</a>",
        );
    let (_, broken) = crawl(&built.out());
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let built = with_base().build();
    let xml = built.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let ns = Some("http://www.sitemaps.org/schemas/sitemap/0.9");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(doc.root_element().tag_name().namespace(), ns);
    let mut locs = Vec::new();
    for url in doc.root_element().children().filter(|c| c.is_element()) {
        assert_eq!(url.tag_name().name(), "url");
        let loc = url
            .children()
            .find(|c| c.tag_name().name() == "loc")
            .and_then(|c| c.text())
            .unwrap();
        assert!(loc.starts_with(BASE), "{loc}");
        if let Some(m) = url.children().find(|c| c.tag_name().name() == "lastmod") {
            let d = m.text().unwrap();
            assert!(d.len() == 10 && d.as_bytes()[4] == b'-', "{d}");
        }
        locs.push(loc.to_owned());
    }
    for page in [
        "",
        "brieven/",
        "brieven/eerste-brief/",
        "opgaven/01-eerste/",
        "gemeenten/rh/",
        "tags/npvr/",
        "info/over/",
    ] {
        assert!(
            locs.contains(&format!("{BASE}{page}")),
            "{page} not in sitemap"
        );
    }
    assert!(!locs.iter().any(|l| l.contains("404")), "no 404 page");
    assert!(xml.contains(&format!(
        "<loc>{BASE}brieven/bijgewerkt/</loc>\n    <lastmod>2026-08-09</lastmod>"
    )));
    let robots = built.read("robots.txt");
    assert!(
        robots.contains(&format!("\nSitemap: {BASE}sitemap.xml\n")),
        "{robots}"
    );
}

#[test]
fn without_base_url_there_are_no_feeds_and_no_sitemap() {
    let built = TestSite::fixture("basic").build();
    for f in [
        "brieven/atom.xml",
        "gemeenten/almelo/atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(!built.exists(f), "{f} made without base_url");
    }
    for page in [
        "index.html",
        "brieven/index.html",
        "gemeenten/almelo/index.html",
    ] {
        built
            .assert_lacks(page, "application/atom+xml")
            .assert_lacks(page, "atom.xml");
    }
}

#[test]
fn content_may_not_take_a_generated_path() {
    let err = with_base()
        .with_file("content/sitemap.xml", "<urlset/>")
        .build_err();
    assert!(
        err.contains(
            "two sources claim the output path sitemap.xml: content/sitemap.xml and a file raadsite generates"
        ) || err.contains(
            "two sources claim the output path sitemap.xml: a file raadsite generates and content/sitemap.xml"
        ),
        "{err}"
    );
}

#[test]
fn updated_dates_are_shown_and_listed_on_the_home_page() {
    let built = with_base().build();
    built
        .assert_contains(
            "brieven/bijgewerkt/index.html",
            "Gewijzigd op <time datetime=\"2026-08-09\">9 augustus 2026</time>",
        )
        .assert_lacks("brieven/eerste-brief/index.html", "Gewijzigd op")
        .assert_contains(
            "index.html",
            "<h2 id=\"recent-kop\">Nieuw en gewijzigd</h2>",
        )
        .assert_order(
            "index.html",
            "href=\"brieven/bijgewerkt/index.html\">Bijgewerkte brief",
            "href=\"brieven/tweede-brief/index.html\">Tweede brief",
        )
        .assert_contains(
            "index.html",
            "(brief, gewijzigd op <time datetime=\"2026-08-09\">9 augustus 2026</time>)",
        );
    let home = built.read("index.html");
    let recent = &home[home.find("recent-kop").unwrap()..home.find("nieuwste-kop").unwrap()];
    assert_eq!(
        recent.matches("<li>").count(),
        4,
        "four dated pages:\n{recent}"
    );
}

#[test]
fn updated_is_a_date_on_any_page() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/nieuw.md",
            "+++\ntitle = \"Nieuw\"\ndate = 2026-01-02\nupdated = 2026-09-01\n+++\nTekst.\n",
        )
        .build();
    built.assert_contains(
        "info/nieuw/index.html",
        "Gewijzigd op <time datetime=\"2026-09-01\">1 september 2026</time>",
    );
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/fout.md",
            "+++\ntitle = \"Fout\"\nupdated = \"gisteren\"\n+++\n",
        )
        .build_err();
    assert!(err.contains("--> content/info/fout.md:3:"), "{err}");
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/fout.md",
            "+++\ntitle = \"Fout\"\ndate = 2026-05-07\nupdated = 2026-05-06\n+++\n",
        )
        .build_err();
    assert!(
        err.contains("error: updated (2026-05-06) is before date (2026-05-07)"),
        "{err}"
    );
    assert!(err.contains("--> content/info/fout.md:4:1"), "{err}");
}

#[test]
fn a_site_replaces_the_feed_sitemap_and_robots_templates_in_its_templates_folder() {
    let built = with_base()
        .with_file(
            "templates/robots.txt",
            "User-agent: *\nDisallow: /concepten/\n\nSitemap: {{ sitemap }}\n",
        )
        .with_file(
            "templates/atom.xml",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>{{ feed.title | xml }} &amp; meer</title>{% for e in feed.entries %}\
             <entry><title>{{ e.title }}</title></entry>{% endfor %}</feed>\n",
        )
        .build();
    built.assert_contains("robots.txt", "Disallow: /concepten/");
    built.assert_contains("robots.txt", &format!("Sitemap: {BASE}sitemap.xml"));
    built.assert_contains(
        "brieven/atom.xml",
        "<title>Brieven - Testraad &amp; meer</title>",
    );
    built.assert_contains(
        "brieven/atom.xml",
        "<entry><title>Eerste brief</title></entry>",
    );
    // The sitemap still comes from the built-in theme.
    built.assert_contains("sitemap.xml", "<urlset");
}

#[test]
fn a_broken_feed_template_fails_the_build_naming_its_file_and_line() {
    let err = with_base()
        .with_file(
            "templates/sitemap.xml",
            "<urlset>\n{{ nergens.iets }}\n</urlset>\n",
        )
        .build_err();
    assert!(err.contains("templates/sitemap.xml:2"), "{err}");
    assert!(err.contains("template \"sitemap.xml\" failed"), "{err}");
}
