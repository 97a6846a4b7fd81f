//! Publication profiles: the public (`openbaar`) copy leaves out internal pages and the
//! personal details of officials; the intranet copy shows everything.

use std::fs;
use std::path::Path;

use crate::common::{TestSite, output_files};
use raadsite::{BuildOptions, Profile};

fn build(site: &TestSite, profile: Profile) -> Result<(), String> {
    raadsite::build_as(
        &BuildOptions {
            root: site.root().to_path_buf(),
            output: None,
            ..Default::default()
        },
        profile,
    )
    .map(|_| ())
    .map_err(|d| d.to_string())
}

/// Every output file (also CSS and copied files) that contains `needle`.
fn files_containing(out: &Path, needle: &str) -> Vec<String> {
    output_files(out)
        .into_iter()
        .filter(|f| {
            let bytes = fs::read(out.join(f)).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

const PHONE: &str = "06 - 22 52 72 56";
const OFFICIAL: &str = "EA Smit";

#[test]
fn the_public_example_site_has_no_personal_details() {
    let site = TestSite::example();
    build(&site, Profile::Openbaar).unwrap();
    let files = output_files(&site.output());
    assert!(files.len() > 20, "{files:?}");
    assert!(files.contains(&"brieven/plan-voor-de-regio/index.html".to_owned()));
    for needle in [PHONE, OFFICIAL] {
        let hits = files_containing(&site.output(), needle);
        assert!(hits.is_empty(), "{needle:?} in the public site: {hits:?}");
    }
    // The letter itself is there, with its non-personal letterhead.
    let html =
        fs::read_to_string(site.output().join("brieven/plan-voor-de-regio/index.html")).unwrap();
    assert!(html.contains("2600013167"), "{html}");

    build(&site, Profile::Intranet).unwrap();
    for needle in [PHONE, OFFICIAL] {
        assert_eq!(
            files_containing(&site.output(), needle),
            [
                "brieven/plan-voor-de-regio/index.html",
                "brieven/plan-voor-de-regio/plan-voor-de-regio.html"
            ],
            "{needle:?} on the intranet"
        );
    }
}

#[test]
fn site_toml_can_publish_personal_details() {
    let site = TestSite::example();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.with_file(
        "site.toml",
        &format!("{toml}\n[openbaar]\npersoonsgegevens = true\n"),
    );
    build(&site, Profile::Openbaar).unwrap();
    for needle in [PHONE, OFFICIAL] {
        assert!(!files_containing(&site.output(), needle).is_empty());
    }
}

/// A public letter with two attachments: its original, which shows the letterhead's names
/// and numbers (`persoonsgegevens = true`), and an annex that does not.
fn with_original(site: TestSite) -> TestSite {
    site.with_file(
        "content/brieven/2026-03-04-brief-met-bijlagen.md",
        "+++\ntitle = \"Brief met bijlagen\"\ndate = 2026-03-04\ngemeenten = [\"almelo\"]\n\
         bijlagen = [\n  { titel = \"Originele brief (PDF)\", bestand = \"origineel.pdf\", \
         persoonsgegevens = true },\n  { titel = \"Overzicht\", bestand = \"overzicht.pdf\" },\n]\n\
         +++\n\nEen brief.\n",
    )
    .with_file(
        "content/brieven/origineel.pdf",
        &format!("%PDF-1.4 {OFFICIAL}"),
    )
    .with_file("content/brieven/overzicht.pdf", "%PDF-1.4 overzicht")
}

#[test]
fn an_attachment_with_personal_details_is_left_out_of_the_public_profile() {
    let site = with_original(TestSite::fixture("basic"));
    build(&site, Profile::Openbaar).unwrap();
    let out = site.output();
    let page = fs::read_to_string(out.join("brieven/brief-met-bijlagen/index.html")).unwrap();
    assert!(!page.contains("Originele brief"), "{page}");
    assert!(page.contains("Overzicht"), "{page}");
    assert!(!out.join("brieven/origineel.pdf").exists());
    assert!(out.join("brieven/overzicht.pdf").exists());
    for needle in [OFFICIAL, "origineel.pdf"] {
        let hits = files_containing(&out, needle);
        assert!(hits.is_empty(), "{needle:?} in the public site: {hits:?}");
    }

    build(&site, Profile::Intranet).unwrap();
    let page =
        fs::read_to_string(site.output().join("brieven/brief-met-bijlagen/index.html")).unwrap();
    assert!(page.contains("Originele brief"), "{page}");
    assert!(site.output().join("brieven/origineel.pdf").exists());

    // A site that publishes personal details publishes the original too.
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.with_file(
        "site.toml",
        &format!("{toml}\n[openbaar]\npersoonsgegevens = true\n"),
    );
    build(&site, Profile::Openbaar).unwrap();
    assert!(site.output().join("brieven/origineel.pdf").exists());
}

#[test]
fn a_public_link_to_an_attachment_with_personal_details_is_an_error_in_the_public_profile() {
    let site = with_original(TestSite::fixture("basic")).with_file(
        "content/brieven/2026-03-05-verwijst.md",
        "+++\ntitle = \"Verwijst\"\ndate = 2026-03-05\n+++\n\nZie [het origineel](origineel.pdf).\n",
    );
    build(&site, Profile::Intranet).unwrap();
    let err = build(&site, Profile::Openbaar).unwrap_err();
    assert!(
        err.contains("2026-03-05-verwijst.md")
            && err.contains("origineel.pdf")
            && err.contains("personal details")
            && err.contains("persoonsgegevens = true"),
        "{err}"
    );
}

fn with_internal_letter(site: TestSite) -> TestSite {
    site.with_file(
        "content/brieven/2026-03-03-vertrouwelijk.md",
        "+++\ntitle = \"Vertrouwelijke brief\"\ndate = 2026-03-03\nzichtbaarheid = \"intern\"\n\
         gemeenten = [\"almelo\"]\nopgaven = [1]\ntags = [\"geheim\"]\n\
         bijlagen = [{ titel = \"Notitie\", bestand = \"notitie-intern.pdf\" }]\n+++\n\nInterne notitie.\n",
    )
    .with_file("content/brieven/notitie-intern.pdf", "%PDF-1.4 intern")
    .with_file(
        "content/info/intern.md",
        "+++\ntitle = \"Interne pagina\"\nzichtbaarheid = \"intern\"\n+++\n\nAlleen voor het intranet.\n",
    )
    .with_file(
        "content/info/openbaar.md",
        "+++\ntitle = \"Openbare pagina\"\nzichtbaarheid = \"openbaar\"\n+++\n\nVoor iedereen.\n",
    )
}

#[test]
fn internal_pages_are_left_out_of_the_public_profile() {
    let site = with_internal_letter(TestSite::fixture("basic"));
    build(&site, Profile::Openbaar).unwrap();
    let out = site.output();
    assert!(!out.join("brieven/vertrouwelijk/index.html").exists());
    assert!(!out.join("info/intern/index.html").exists());
    assert!(!out.join("brieven/notitie-intern.pdf").exists());
    assert!(!out.join("tags/geheim/index.html").exists());
    assert!(out.join("info/openbaar/index.html").exists());
    for needle in [
        "Vertrouwelijke brief",
        "Interne",
        "vertrouwelijk",
        "notitie-intern",
    ] {
        let hits = files_containing(&out, needle);
        assert!(hits.is_empty(), "{needle:?} in the public site: {hits:?}");
    }
    let (_, broken) = crate::common::crawl(&out);
    assert!(broken.is_empty(), "{broken:?}");

    build(&site, Profile::Intranet).unwrap();
    let out = site.output();
    assert!(out.join("brieven/vertrouwelijk/index.html").exists());
    assert!(out.join("brieven/notitie-intern.pdf").exists());
    assert!(out.join("info/intern/index.html").exists());
    assert!(!files_containing(&out, "Vertrouwelijke brief").is_empty());
    assert!(
        fs::read_to_string(out.join("gemeenten/almelo/index.html"))
            .unwrap()
            .contains("Vertrouwelijke brief")
    );
}

#[test]
fn a_public_link_to_an_internal_page_is_an_error_in_the_public_profile() {
    let site = with_internal_letter(TestSite::fixture("basic")).with_file(
        "content/info/openbaar.md",
        "+++\ntitle = \"Openbare pagina\"\n+++\n\nZie [de notitie](../brieven/2026-03-03-vertrouwelijk.md)\nen [dit](intern.md#kop) en [de pdf](../brieven/notitie-intern.pdf).\n",
    );
    let err = build(&site, Profile::Openbaar).unwrap_err();
    for (link, line) in [
        ("../brieven/2026-03-03-vertrouwelijk.md", 5),
        ("intern.md#kop", 6),
        ("../brieven/notitie-intern.pdf", 6),
    ] {
        assert!(
            err.contains(&format!(
                "error: link \"{link}\" points to an internal page or file, which the openbaar profile leaves out\n  --> content/info/openbaar.md:{line}:"
            )),
            "{link}: {err}"
        );
    }
    assert!(!site.output().exists());
    // On the intranet the same links are fine, except the anchor that does not exist.
    let err = build(&site, Profile::Intranet).unwrap_err();
    assert!(err.contains("link to a missing anchor \"#kop\""), "{err}");
    assert!(!err.contains("internal page"), "{err}");
}

#[test]
fn zichtbaarheid_is_checked() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/x.md",
            "+++\ntitle = \"X\"\nzichtbaarheid = \"geheim\"\n+++\n",
        )
        .build_err();
    assert!(err.contains("content/info/x.md:3:"), "{err}");
    assert!(err.contains("intern") && err.contains("openbaar"), "{err}");
}

#[test]
fn the_command_line_takes_a_profile() {
    let site = with_internal_letter(TestSite::fixture("basic"));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_raadsite"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    let out = run(&["check", "--profile", "openbaar"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(openbaar)"));
    let out = run(&["build", "--profile", "openbaar"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.output().join("info/intern/index.html").exists());
    let out = run(&["build"]);
    assert!(out.status.success());
    assert!(site.output().join("info/intern/index.html").exists());
    let out = run(&["build", "--profile", "publiek"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("intranet, openbaar"));
}

#[test]
fn a_public_letter_about_an_internal_opgave_is_an_error_in_the_public_profile() {
    let site = TestSite::fixture("basic").with_file(
        "content/opgaven/02-tweede.md",
        "+++\ntitle = \"Voorbeeldopgave 2\"\nnummer = 2\nzichtbaarheid = \"intern\"\n+++\n",
    );
    let err = build(&site, Profile::Openbaar).unwrap_err();
    assert!(
        err.contains("error: letter refers to opgave 2, which is internal and left out of the openbaar profile\n  --> content/brieven/2025-01-15-oude-brief.md:"),
        "{err}"
    );
    build(&site, Profile::Intranet).unwrap();
}
