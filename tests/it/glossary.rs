//! The glossary: `content/begrippen.toml`, terms marked once per page outside links,
//! headings and code, and the "Begrippen" page.

use crate::common::{TestSite, crawl};

const SEED: &str = "brieven/plan-voor-de-regio/index.html";
const NPVR_ABBR: &str = "<abbr title=\"Nationaal Programma Vitale Regio's\">NPVR</abbr>";

/// The part of a page between `<main` and `</main>`.
fn main_part(html: &str) -> &str {
    &html[html.find("<main").unwrap()..html.find("</main>").unwrap()]
}

#[test]
fn seed_letter_marks_npvr_once_outside_headings_and_links() {
    let built = TestSite::example().build();
    let html = built.read(SEED);
    let main = main_part(&html);
    assert_eq!(main.matches(NPVR_ABBR).count(), 1, "{main}");
    assert_eq!(
        main.matches("<abbr").count(),
        4,
        "NPVR, ROS, BZK and BOSS once each"
    );
    let at = main.find(NPVR_ABBR).unwrap();
    let before = &main[..at];
    assert!(
        before.ends_with("<a class=\"begrip\" href=\"../../begrippen/index.html#npvr\">"),
        "the term links to its entry"
    );
    // Not inside a heading: the nearest heading before it is closed.
    let last_open = before.rfind("<h2").unwrap();
    assert!(before[last_open..].contains("</h2>"));
    // Its heading "Nationaal programma Vitale Regio's" is left alone.
    assert!(main.contains(
        "<h2 id=\"nationaal-programma-vitale-regios\">Nationaal programma Vitale Regio's</h2>"
    ));
    // BOSS has no confirmed full form: no title is invented for it.
    assert!(main.contains("<abbr>BOSS</abbr>"), "{main}");
    assert!(main.contains("<abbr title=\"ruimtelijke ontwikkelstrategie\">ROS</abbr>"));
}

#[test]
fn glossary_page_lists_every_term_with_an_id() {
    let built = TestSite::example().build();
    let page = built.read("begrippen/index.html");
    for id in ["npvr", "ros", "bzk", "boss"] {
        assert!(page.contains(&format!("<dt id=\"{id}\">")), "{id}:\n{page}");
    }
    assert!(page.contains("Binnenlandse Zaken en Koninkrijksrelaties"));
    assert!(page.contains("<html lang=\"nl\">"));
    // The file is turned into the page, not published as it is.
    assert!(!built.exists("begrippen.toml"));
    built.assert_contains(
        "index.html",
        "<a href=\"begrippen/index.html\">Begrippen</a>",
    );
    let (pages, broken) = crawl(&built.out());
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(pages.contains(&"begrippen/index.html".to_owned()));
}

const GLOSSARY: &str = r#"[[begrip]]
term = "ABC"
voluit = "Alpha & Beta <Charlie>"
uitleg = "Een test."

[[begrip]]
term = "XYZ"
uitleg = "Zonder voluit."
"#;

#[test]
fn never_inside_links_headings_code_or_images() {
    let body = "\
## Over ABC

Zie [de ABC-site](https://example.org/) en `ABC` en ![ABC](../brieven/plan.pdf).

```
ABC in code
```

<a href=\"https://example.org/\">ABC in HTML</a> ABCD en XABC tellen niet.

Hier wel: ABC. En nog eens ABC, en XYZ.
";
    let built = TestSite::fixture("basic")
        .with_file("content/begrippen.toml", GLOSSARY)
        .with_file(
            "content/info/test.md",
            &format!("+++\ntitle = \"Test\"\n+++\n{body}"),
        )
        .build();
    let html = built.read("info/test/index.html");
    let main = main_part(&html);
    assert_eq!(main.matches("<abbr").count(), 2, "{main}");
    assert!(main.contains(
        "Hier wel: <a class=\"begrip\" href=\"../../begrippen/index.html#abc\"><abbr title=\"Alpha &amp; Beta &lt;Charlie&gt;\">ABC</abbr></a>. En nog eens ABC, en <a class=\"begrip\" href=\"../../begrippen/index.html#xyz\"><abbr>XYZ</abbr></a>."
    ), "{main}");
    assert!(main.contains("<code>ABC</code>"));
    assert!(main.contains("<h2 id=\"over-abc\">Over ABC</h2>"));
    // Terms are marked in every page on its own.
    built.assert_lacks("brieven/eerste-brief/index.html", "<abbr");
}

#[test]
fn without_begrippen_toml_there_is_no_glossary_page() {
    let built = TestSite::fixture("basic").build();
    assert!(!built.exists("begrippen/index.html"));
    built.assert_lacks("index.html", "Begrippen");
}

#[test]
fn errors_in_begrippen_toml_name_file_and_line() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/begrippen.toml",
            "[[begrip]]\nterm = \"A\"\nuitlg = \"x\"\n",
        )
        .build_err();
    assert!(
        err.contains("unknown key \"uitlg\" in begrippen.toml"),
        "{err}"
    );
    assert!(err.contains("--> content/begrippen.toml:3:"), "{err}");
    assert!(err.contains("did you mean \"uitleg\"?"), "{err}");

    let err = TestSite::fixture("basic")
        .with_file(
            "content/begrippen.toml",
            &format!("{GLOSSARY}\n[[begrip]]\nterm = \"ABC\"\nuitleg = \"Nog een keer.\"\n"),
        )
        .build_err();
    assert!(err.contains("term \"ABC\" is listed twice"), "{err}");
    assert!(err.contains("--> content/begrippen.toml:11:1"), "{err}");

    let err = TestSite::fixture("basic")
        .with_file("content/begrippen.toml", "[[begrip]]\nterm = \"A\"\n")
        .build_err();
    assert!(
        err.contains("missing key \"uitleg\" in begrippen.toml"),
        "{err}"
    );
    assert!(err.contains("--> content/begrippen.toml"), "{err}");
}
