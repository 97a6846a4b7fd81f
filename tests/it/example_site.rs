//! The example site at the repository root: what a new user sees first.

use crate::common::{TestSite, crawl, output_files};

#[test]
fn seed_letter_page_shows_its_letterhead() {
    let built = TestSite::example().build();
    let letter = "brieven/plan-voor-de-regio/index.html";
    built
        .assert_contains(letter, "<dt>Ons kenmerk</dt><dd>2600013167</dd>")
        .assert_contains(letter, "<time datetime=\"2026-05-07\">7 mei 2026</time>")
        .assert_contains(letter, "<dt>Uw brief van</dt><dd></dd>")
        .assert_contains(letter, "Postbus 20<br>7500 AA ENSCHEDE")
        .assert_contains(letter, "<h2 id=\"elke-regio-telt\">Elke Regio Telt</h2>")
        // Official text is reproduced exactly, typos included.
        .assert_contains(letter, "In deze brief lees u hier meer over")
        .assert_contains(letter, "De schaa sprong")
        // The stray repeated page header of the original is left out.
        .assert_lacks(letter, "PAGINA")
        .assert_contains(letter, "(R.W. Bleker)<br>Voorzitter BOSS");
}

#[test]
fn all_fourteen_gemeenten_have_a_page() {
    let built = TestSite::example().build();
    let pages: Vec<String> = output_files(&built.out())
        .into_iter()
        .filter(|f| f.starts_with("gemeenten/") && f != "gemeenten/index.html")
        .collect();
    assert_eq!(pages.len(), 14, "{pages:?}");
    built
        .assert_contains("gemeenten/hof-van-twente/index.html", "GM1735")
        .assert_contains("gemeenten/hof-van-twente/index.html", "Plan voor de Regio");
}

#[test]
fn every_page_is_reachable_by_clicking_from_the_home_page() {
    let built = TestSite::example().build();
    let (reached, broken) = crawl(&built.out());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let all_html: Vec<String> = output_files(&built.out())
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .collect();
    let missed: Vec<&String> = all_html.iter().filter(|f| !reached.contains(f)).collect();
    assert!(
        missed.is_empty(),
        "not reachable from index.html: {missed:?}"
    );
}

#[test]
fn example_opgaven_are_labelled_as_examples() {
    let built = TestSite::example().build();
    for n in 1..=3 {
        let page = format!("opgaven/0{n}-voorbeeldopgave-{n}/index.html");
        built.assert_contains(&page, &format!("Voorbeeldopgave {n}"));
        built.assert_contains(&page, "Dit is een voorbeeld.");
    }
}
