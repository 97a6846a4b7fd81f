//! Accessibility: the statement page (toegankelijkheidsverklaring) built from `site.toml`, and
//! the structure every page of the theme must have (skip link, one h1, heading order,
//! language, landmarks, a footer link to the statement). The same rules are checked in a
//! real browser by `.ci/a11y.sh`; these run without one, on every `cargo test`.

use std::fs;

use crate::common::{Built, TestSite, attr_values, output_files};

const STATEMENT: &str = "toegankelijkheid/index.html";

/// The basic fixture with a `[toegankelijkheid]` table added to its `site.toml`.
fn with_statement(table: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let config = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.with_file(
        "site.toml",
        &format!("{config}\n[toegankelijkheid]\n{table}"),
    )
}

#[test]
fn statement_shows_the_configured_facts() {
    let built = with_statement(
        r#"organisatie = "Regio Voorbeeld"
status = "voldoet gedeeltelijk"
datum = 2026-06-01
email = "toegankelijkheid@voorbeeld.invalid"
url = "https://voorbeeld.invalid/contact"
toelichting = """
Onderzocht met een eigen controle.

Bijlagen uit 2025 zijn nog niet toegankelijk."""
"#,
    )
    .build();
    built
        .assert_contains(STATEMENT, "<h1>Toegankelijkheidsverklaring</h1>")
        .assert_contains(STATEMENT, "<dd>Regio Voorbeeld</dd>")
        .assert_contains(STATEMENT, "<dd>voldoet gedeeltelijk</dd>")
        .assert_contains(
            STATEMENT,
            "<time datetime=\"2026-06-01\">1 juni 2026</time>",
        )
        .assert_contains(
            STATEMENT,
            "<a href=\"mailto:toegankelijkheid@voorbeeld.invalid\">",
        )
        .assert_contains(STATEMENT, "<a href=\"https://voorbeeld.invalid/contact\">")
        // Paragraphs of the explanation stay paragraphs.
        .assert_contains(STATEMENT, "<p>Onderzocht met een eigen controle.</p>")
        .assert_contains(
            STATEMENT,
            "<p>Bijlagen uit 2025 zijn nog niet toegankelijk.</p>",
        )
        .assert_lacks(STATEMENT, "Niet opgegeven.")
        .assert_contains(STATEMENT, "Testraad");
}

#[test]
fn statement_without_facts_says_so_and_invents_nothing() {
    let built = TestSite::fixture("basic").build();
    built
        .assert_contains(STATEMENT, "<dt>Organisatie</dt><dd>Niet opgegeven.</dd>")
        .assert_contains(STATEMENT, "<dt>Status</dt><dd>Niet vastgesteld.</dd>")
        .assert_contains(
            STATEMENT,
            "<dt>Datum van deze verklaring</dt><dd>Niet opgegeven.</dd>",
        )
        .assert_contains(STATEMENT, "Er is nog geen contactadres opgegeven.")
        .assert_lacks(STATEMENT, "mailto:")
        .assert_lacks(STATEMENT, "Toelichting")
        // On the statement itself, the footer link says it is the current page.
        .assert_contains(STATEMENT, "aria-current=\"page\">Toegankelijkheid</a>");
}

#[test]
fn unknown_status_is_an_error_with_a_suggestion() {
    let site = with_statement("status = \"voldoet gedeeltelijke\"\n");
    let lines = fs::read_to_string(site.root().join("site.toml"))
        .unwrap()
        .lines()
        .count();
    let err = site.build_err();
    assert!(
        err.contains(&format!("site.toml:{lines}:1")),
        "no line in:\n{err}"
    );
    assert!(
        err.contains("toegankelijkheid: unknown status \"voldoet gedeeltelijke\""),
        "{err}"
    );
    assert!(
        err.contains("did you mean \"voldoet gedeeltelijk\"?"),
        "{err}"
    );
}

#[test]
fn unknown_key_in_the_statement_table_is_an_error() {
    let err = with_statement("organization = \"Regio Voorbeeld\"\n").build_err();
    assert!(err.contains("unknown key \"organization\""), "{err}");
    assert!(err.contains("did you mean \"organisatie\"?"), "{err}");
}

#[test]
fn a_content_folder_cannot_take_the_statement_path() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/toegankelijkheid/_index.md",
            "+++\ntitle = \"Eigen verklaring\"\n+++\n",
        )
        .build_err();
    assert!(
        err.contains("two sources claim the output path toegankelijkheid/index.html"),
        "{err}"
    );
}

/// Every HTML page of a built site with its text.
fn pages(built: &Built) -> Vec<(String, String)> {
    output_files(&built.out())
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let text = built.read(&f);
            (f, text)
        })
        .collect()
}

/// The `<footer>` element of a page.
fn footer(html: &str) -> &str {
    let start = html.find("<footer").expect("page has a footer");
    let end = html[start..].find("</footer>").expect("footer is closed") + start;
    &html[start..end]
}

/// Levels of the headings `<h1>`..`<h6>` in document order.
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let b = html.as_bytes();
            let level = *b.get(i + 2)?;
            let next = *b.get(i + 3)?;
            ((b'1'..=b'6').contains(&level) && (next == b'>' || next == b' '))
                .then_some(level - b'0')
        })
        .collect()
}

fn assert_theme_structure(built: &Built) {
    let all = pages(built);
    assert!(all.len() > 5, "too few pages: {}", all.len());
    for (page, html) in &all {
        // The language of the page, for screen readers and hyphenation.
        assert!(html.contains("<html lang=\"nl\">"), "{page}: no lang");
        // The skip link is the first link in the body and its target exists.
        let body = &html[html.find("<body").expect("page has a body")..];
        let first_link = &body[body.find("<a ").expect("page has links")..];
        assert!(
            first_link.starts_with("<a class=\"skiplink\" href=\"#inhoud\">"),
            "{page}: skip link not first"
        );
        assert!(
            html.contains("<main id=\"inhoud\""),
            "{page}: no skip target"
        );
        // Landmarks: banner, navigation and content info, and exactly one main (a page's
        // single file has no menu when its links cannot be absolute).
        for tag in ["<header", "<nav aria-label=", "<footer"] {
            let single = raadsite::paths::is_single_file(page);
            assert!(
                html.contains(tag) || single && tag == "<nav aria-label=",
                "{page}: no {tag}"
            );
        }
        assert_eq!(html.matches("<main").count(), 1, "{page}: main count");
        // One h1, and no level skipped on the way down.
        let levels = heading_levels(html);
        assert_eq!(levels.first(), Some(&1), "{page}: first heading {levels:?}");
        assert_eq!(
            levels.iter().filter(|&&l| l == 1).count(),
            1,
            "{page}: h1 count"
        );
        for w in levels.windows(2) {
            assert!(w[1] <= w[0] + 1, "{page}: heading jumps {levels:?}");
        }
        // Every table in the theme's lists has a caption and column headers.
        for table in html.split("<table").skip(1) {
            let table = &table[..table.find("</table>").unwrap()];
            if table.starts_with(" class=\"lijst") {
                assert!(table.contains("<caption>"), "{page}: table without caption");
                assert!(table.contains("<th scope=\"col\">"), "{page}: no headers");
            }
        }
        // No list or table over nothing: an empty list says so in words.
        for list in html.split("<ul").skip(1) {
            let list = &list[..list.find("</ul>").unwrap()];
            assert!(list.contains("<li"), "{page}: empty list");
        }
        for body in html.split("<tbody>").skip(1) {
            let body = &body[..body.find("</tbody>").unwrap()];
            assert!(body.contains("<tr"), "{page}: empty table");
        }
        // The footer links to the statement, relative to this page, and the link works; a
        // page's single file links into the site only absolutely, under base_url.
        if raadsite::paths::is_single_file(page) {
            continue;
        }
        let link = attr_values(footer(html), "href")
            .into_iter()
            .find(|h| h.ends_with("toegankelijkheid/index.html"))
            .unwrap_or_else(|| panic!("{page}: footer lacks the statement link"));
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let target = raadsite::links::resolve(dir, link)
            .unwrap_or_else(|| panic!("{page}: {link} leaves the site"));
        assert_eq!(target, STATEMENT, "{page}: {link}");
    }
}

#[test]
fn every_page_of_the_example_site_has_the_theme_structure() {
    assert_theme_structure(&TestSite::example().build());
}

#[test]
fn every_page_of_the_fixture_site_has_the_theme_structure() {
    assert_theme_structure(&TestSite::fixture("basic").build());
}

#[test]
fn a_tabel_paragraph_above_a_markdown_table_becomes_its_caption() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/tabel.md",
            "+++\ntitle = \"Tabel\"\n+++\n\nTabel: Aandeel per *gemeente*\n\n| Gemeente | Aandeel |\n|---|---:|\n| Almelo | 10 |\n\nTabel: geen tabel hierna\n",
        )
        .build();
    let page = "info/tabel/index.html";
    built
        .assert_contains(
            page,
            "<table>\n<caption>Aandeel per <em>gemeente</em></caption><thead><tr><th>Gemeente</th>",
        )
        .assert_lacks(page, "<p>Tabel: Aandeel")
        .assert_contains(page, "<p>Tabel: geen tabel hierna</p>");
}

#[test]
fn authors_mark_text_in_another_language_with_lang() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/engels.md",
            "+++\ntitle = \"Engels\"\n+++\n\nDe <span lang=\"en\">Green Deal</span> van de EU.\n",
        )
        .build();
    built.assert_contains(
        "info/engels/index.html",
        "De <span lang=\"en\">Green Deal</span> van de EU.",
    );
}

#[test]
fn every_page_of_a_new_site_has_the_theme_structure() {
    // `raadsite init`, nothing added: every list is empty and the theme is the built-in one.
    assert_theme_structure(&TestSite::init().build());
}

#[test]
fn a_site_without_gemeenten_has_no_empty_lists() {
    let site = TestSite::init();
    let config = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let without = &config[..config.find("[[gemeenten]]").unwrap()];
    let built = site.with_file("site.toml", without).build();
    built
        .assert_contains("index.html", "<p>Er zijn nog geen gemeenten.</p>")
        .assert_contains("gemeenten/index.html", "<p>Er zijn nog geen gemeenten.</p>");
    assert_theme_structure(&built);
}
