//! Aliases: old paths of a page become small redirect pages; collisions and paths outside
//! the site are errors at the `aliases` key.

use crate::common::{TestSite, attr_values};

fn renamed(aliases: &str) -> TestSite {
    TestSite::fixture("basic").with_file(
        "content/brieven/2026-08-01-nieuwe-naam.md",
        &format!(
            "+++\ntitle = \"Nieuwe naam\"\ndate = 2026-08-01\naliases = {aliases}\n+++\nTekst.\n"
        ),
    )
}

/// The page a redirect page sends to, resolved from the redirect's own folder.
fn redirect_target(html: &str, alias: &str) -> String {
    let content = attr_values(html, "content")
        .into_iter()
        .find(|c| c.starts_with("0; url="))
        .unwrap_or_else(|| panic!("no meta refresh in {alias}:\n{html}"));
    let dir = alias.rsplit_once('/').map_or("", |(d, _)| d);
    raadsite::links::resolve(dir, &content["0; url=".len()..]).unwrap()
}

#[test]
fn each_alias_becomes_a_relative_redirect_page() {
    let built = renamed("[\"brieven/oude-naam/\", \"oude/pad.html\", \"/archief/brief\"]").build();
    for alias in [
        "brieven/oude-naam/index.html",
        "oude/pad.html",
        "archief/brief/index.html",
    ] {
        let html = built.read(alias);
        assert_eq!(
            redirect_target(&html, alias),
            "brieven/nieuwe-naam/index.html"
        );
        assert!(html.contains("<html lang=\"nl\">"));
        assert!(
            html.contains("Deze pagina is verhuisd naar <a href="),
            "{html}"
        );
        assert!(
            !html.contains("rel=\"canonical\""),
            "no base_url, no canonical"
        );
    }
    built.assert_contains(
        "brieven/oude-naam/index.html",
        "<a href=\"../../brieven/nieuwe-naam/index.html\">Nieuwe naam</a>",
    );
}

#[test]
fn redirects_have_a_canonical_link_with_base_url() {
    let built = renamed("[\"brieven/oude-naam/\"]")
        .with_base_url("https://raad.example.nl/")
        .build();
    built
        .assert_contains(
            "brieven/oude-naam/index.html",
            "<link rel=\"canonical\" href=\"https://raad.example.nl/brieven/nieuwe-naam/\">",
        )
        // Redirects are not content: they stay out of the sitemap.
        .assert_lacks("sitemap.xml", "oude-naam");
}

#[test]
fn an_alias_may_not_overwrite_another_page() {
    let err = renamed("[\"brieven/tweede-brief/\"]").build_err();
    assert!(
        err.contains(
            "alias \"brieven/tweede-brief/\" would overwrite brieven/tweede-brief/index.html, which is content/brieven/2026-06-01-tweede-brief.md"
        ),
        "{err}"
    );
    assert!(
        err.contains("--> content/brieven/2026-08-01-nieuwe-naam.md:4:1"),
        "{err}"
    );
    for taken in ["index.html", "tags/npvr/", "brieven/plan.pdf", "index.json"] {
        let err = renamed(&format!("[\"{taken}\"]")).build_err();
        assert!(
            err.contains("would overwrite") || err.contains("needs a folder"),
            "{taken}: {err}"
        );
    }
}

#[test]
fn an_alias_outside_the_site_is_refused() {
    for bad in ["../buiten/", "https://example.org/oud", "", "brieven/"] {
        let err = renamed(&format!("[\"{bad}\"]")).build_err();
        assert!(
            err.contains("--> content/brieven/2026-08-01-nieuwe-naam.md:4:1"),
            "{bad}: {err}"
        );
    }
    let err = renamed("[\"../buiten/\"]").build_err();
    assert!(
        err.contains("alias \"../buiten/\" is not a path inside the site"),
        "{err}"
    );
}

#[test]
fn two_pages_may_not_share_an_alias() {
    let err = renamed("[\"oud/\"]")
        .with_file(
            "content/info/ander.md",
            "+++\ntitle = \"Ander\"\naliases = [\"oud\"]\n+++\n",
        )
        .build_err();
    assert!(
        err.contains("would overwrite oud/index.html, which is alias"),
        "{err}"
    );
}
