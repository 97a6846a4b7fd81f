//! Building the `basic` fixture: output layout, pages, lists and Markdown.

use crate::common::{TestSite, attr_values, crawl, output_files};

const FIRST: &str = "brieven/eerste-brief/index.html";

#[test]
fn pages_go_to_section_slug_index_html() {
    let built = TestSite::fixture("basic").build();
    for f in [
        "index.html",
        "404.html",
        "brieven/index.html",
        FIRST,
        "brieven/tweede-brief/index.html",
        "brieven/oud/index.html",
        "opgaven/index.html",
        "opgaven/01-eerste/index.html",
        "info/index.html",
        "info/over/index.html",
        "gemeenten/index.html",
        "gemeenten/almelo/index.html",
        "gemeenten/hof-van-twente/index.html",
        "gemeenten/rh/index.html",
        "tags/index.html",
        "tags/npvr/index.html",
        "tags/financien/index.html",
        "style.css",
        "brieven/plan.pdf",
        "bijlagen/overzicht.pdf",
    ] {
        assert!(
            built.exists(f),
            "missing {f}; have {:?}",
            output_files(&built.out())
        );
    }
    assert!(
        !built.exists("brieven/concept/index.html"),
        "drafts are not published"
    );
}

#[test]
fn links_are_relative_and_lead_to_files() {
    let built = TestSite::fixture("basic").build();
    let (_, broken) = crawl(&built.out());
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    built
        .assert_contains(FIRST, "href=\"../../brieven/tweede-brief/index.html#slot\"")
        .assert_contains(FIRST, "href=\"../../opgaven/01-eerste/index.html\"")
        .assert_contains(FIRST, "href=\"../../style.css\"")
        .assert_contains("index.html", "href=\"style.css\"")
        .assert_contains(
            "brieven/tweede-brief/index.html",
            "href=\"https://example.org/\"",
        );
    for f in output_files(&built.out())
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = built.read(f);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            assert!(!link.starts_with('/'), "{f}: root-relative link {link}");
        }
    }
}

#[test]
fn letter_page_has_letterhead_attachments_and_relations() {
    let built = TestSite::fixture("basic").build();
    built
        .assert_contains(FIRST, "<dt>Ons kenmerk</dt><dd>0012345</dd>")
        .assert_contains(FIRST, "<time datetime=\"2026-05-07\">7 mei 2026</time>")
        .assert_contains(FIRST, "<dt>Behandeld door</dt><dd>A. Ambtenaar</dd>")
        .assert_contains(FIRST, "<dt>Uw kenmerk</dt><dd></dd>")
        // The letter's own postadres overrides site.toml; the phone number does not.
        .assert_contains(FIRST, "Postbus 99<br>9999 ZZ ELDERS")
        .assert_contains(FIRST, "<dd>14000</dd>")
        .assert_contains(FIRST, "(A. Voorzitter)<br>Voorzitter BOSS")
        .assert_contains(FIRST, "href=\"../../brieven/plan.pdf\">Het plan</a> <span class=\"bestandsinfo\">(PDF, 14 bytes)</span>")
        .assert_contains(FIRST, "href=\"../../bijlagen/overzicht.pdf\">Gedeelde bijlage</a>")
        .assert_contains(FIRST, "Voorbeeldopgave 1")
        .assert_contains(FIRST, "Alle 3 gemeenten")
        .assert_contains(FIRST, "href=\"../../tags/financien/index.html\">Financiën</a>");
}

#[test]
fn markdown_features_and_exact_text() {
    let built = TestSite::fixture("basic").build();
    built
        .assert_contains(FIRST, "<table>")
        .assert_contains(FIRST, "<del>doorgehaald</del>")
        .assert_contains(FIRST, "type=\"checkbox\"")
        .assert_contains(FIRST, "class=\"footnote-definition\"")
        .assert_contains(FIRST, "<h2 id=\"eerste-kop\">")
        .assert_contains(FIRST, "<h2 id=\"eerste-kop-1\">")
        .assert_contains(FIRST, "href=\"#eerste-kop\"")
        // No smart punctuation: quotes, dashes and dots stay as typed.
        .assert_contains(
            FIRST,
            "\"Aanhalingstekens\" en 'enkele' blijven -- zoals ze zijn...",
        );
}

#[test]
fn lists_are_ordered_and_complete() {
    let built = TestSite::fixture("basic").build();
    built
        .assert_order("brieven/index.html", "Tweede brief", "Eerste brief")
        .assert_order("brieven/index.html", "Eerste brief", "Oude brief")
        .assert_lacks("brieven/index.html", "Concept")
        .assert_contains(
            "brieven/index.html",
            "<td data-label=\"Kenmerk\">0012346</td>",
        )
        .assert_order(
            "opgaven/index.html",
            "Voorbeeldopgave 1",
            "Voorbeeldopgave 2",
        )
        // Opgave pages list the letters that refer to them.
        .assert_contains("opgaven/01-eerste/index.html", "Eerste brief")
        .assert_contains("opgaven/01-eerste/index.html", "Oude brief")
        .assert_lacks("opgaven/01-eerste/index.html", "Tweede brief")
        // Gemeente pages: direct letters and those to "alle"; opgaven they take part in.
        .assert_contains("gemeenten/almelo/index.html", "Tweede brief")
        .assert_contains("gemeenten/almelo/index.html", "Eerste brief")
        .assert_lacks("gemeenten/almelo/index.html", "Oude brief")
        .assert_contains("gemeenten/almelo/index.html", "GM0141")
        .assert_contains("gemeenten/rh/index.html", "Voorbeeldopgave 1")
        .assert_contains("gemeenten/hof-van-twente/index.html", "Oude brief")
        .assert_contains("tags/npvr/index.html", "Eerste brief")
        .assert_contains("index.html", "Intro van de <strong>startpagina</strong>")
        .assert_contains("info/index.html", "Over deze site");
}

#[test]
fn pages_are_dutch_and_escaped() {
    let built = TestSite::fixture("basic").build();
    built
        .assert_contains("index.html", "<html lang=\"nl\">")
        .assert_contains("index.html", "Naar de inhoud")
        .assert_contains("404.html", "Pagina niet gevonden");
}

#[test]
fn site_templates_override_the_theme() {
    let built = TestSite::fixture("basic")
        .with_file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<h1>Eigen 404</h1>{% endblock main %}",
        )
        .build();
    built.assert_contains("404.html", "Eigen 404");
}

#[test]
fn a_page_can_choose_its_template() {
    let built = TestSite::fixture("basic")
        .with_file("templates/kaal.html", "KAAL {{ page.title }}")
        .with_file(
            "content/info/kaal.md",
            "+++\ntitle = \"Kale pagina\"\ntemplate = \"kaal.html\"\n+++\n",
        )
        .build();
    assert_eq!(built.read("info/kaal/index.html"), "KAAL Kale pagina");
}

#[test]
fn base_url_gives_canonical_links_only() {
    let built = TestSite::fixture("basic")
        .with_base_url("https://intranet.example.nl/raad")
        .build();
    built
        .assert_contains(FIRST, "<link rel=\"canonical\" href=\"https://intranet.example.nl/raad/brieven/eerste-brief/\">")
        .assert_contains(FIRST, "href=\"../../style.css\"");
}

#[test]
fn builds_are_byte_identical() {
    let a = TestSite::fixture("basic").build();
    let b = TestSite::fixture("basic").build();
    let files = output_files(&a.out());
    assert_eq!(files, output_files(&b.out()));
    for f in files {
        assert_eq!(
            std::fs::read(a.out().join(&f)).unwrap(),
            std::fs::read(b.out().join(&f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn a_rebuild_replaces_the_old_output_and_removes_stale_files() {
    let built = TestSite::fixture("basic").build();
    let site = built.site.without_file("content/info/over.md");
    site.try_build().unwrap();
    assert!(!site.output().join("info/over/index.html").exists());
    assert!(site.output().join("index.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    // The back buffer of the previous build is kept on purpose, in the private work folder
    // with the stamp (see output.rs).
    assert_eq!(leftovers, [".public.raadsite"]);
}

#[test]
fn the_menu_marks_the_current_section() {
    let built = TestSite::fixture("basic").build();
    let actief = |href: &str| format!("<a href=\"{href}\" class=\"actief\">");
    built
        .assert_contains(FIRST, &actief("../../brieven/index.html"))
        .assert_contains(
            "opgaven/01-eerste/index.html",
            &actief("../../opgaven/index.html"),
        )
        .assert_contains("tags/npvr/index.html", &actief("../../tags/index.html"))
        .assert_contains(
            "gemeenten/almelo/index.html",
            &actief("../../gemeenten/index.html"),
        )
        .assert_contains(
            "brieven/index.html",
            "<a href=\"../brieven/index.html\" aria-current=\"page\">",
        );
    // A page at the top or in another folder marks no section.
    for page in ["index.html", "info/over/index.html"] {
        built.assert_lacks(page, "class=\"actief\"");
    }
}
