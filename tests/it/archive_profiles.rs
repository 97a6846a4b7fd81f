//! The published archive follows the build's profile: an openbaar build publishes the
//! openbaar rendition of every frozen version, so no internal page and no personal detail
//! reaches `archief/` (pages, metadata, index, search index, diff pages); an internal
//! section (`zichtbaarheid` on `_index.md`) is left out as a whole.

use std::fs;
use std::path::Path;

use crate::common::{Run, TestSite, ok, output_files};

/// Text of the internal opgave, found nowhere in a public build.
const MARKER: &str = "Interne notitie over de onderhandelingsruimte";
/// The official on the example letter, and the phone number there.
const OFFICIAL: &str = "EA Smit";
const PHONE: &str = "06 - 22 52 72 56";
/// An official added in the second version.
const OTHER_OFFICIAL: &str = "J. de Vries-Ambtenaar";

fn run(root: &Path, args: &[&str]) -> Run {
    crate::common::cli(root, args, &[])
}

/// Every file under `out` whose bytes hold one of `needles`, with the needle.
fn leaks(out: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for f in output_files(out) {
        let bytes = fs::read(out.join(&f)).unwrap();
        for n in needles {
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                found.push(format!("{f}: {n}"));
            }
        }
    }
    found
}

/// The example site with an internal opgave; versions v1 and v2 frozen, v2 with the opgave
/// edited and a second official on the letter.
fn site_with_two_versions() -> TestSite {
    let site = TestSite::example().with_file(
        "content/opgaven/09-intern.md",
        &format!(
            "+++\ntitle = \"Voorbeeldopgave 9 (intern)\"\nnummer = 9\nzichtbaarheid = \"intern\"\n\
             +++\n\n{MARKER}.\n"
        ),
    );
    ok(run(site.root(), &["snapshot", "create", "v1"]));
    let opgave = site.root().join("content/opgaven/09-intern.md");
    let text = fs::read_to_string(&opgave).unwrap();
    fs::write(
        &opgave,
        text.replace(MARKER, &format!("{MARKER}, bijgewerkt")),
    )
    .unwrap();
    let letter = site
        .root()
        .join("content/brieven/2026-05-07-plan-voor-de-regio.md");
    let text = fs::read_to_string(&letter).unwrap();
    fs::write(&letter, text.replacen(OFFICIAL, OTHER_OFFICIAL, 1)).unwrap();
    ok(run(site.root(), &["snapshot", "create", "v2"]));
    site
}

#[test]
fn an_openbaar_build_publishes_openbaar_versions_only() {
    let site = site_with_two_versions();
    ok(run(site.root(), &["build", "--profile", "openbaar"]));
    let out = site.output();
    for label in ["v1", "v2"] {
        assert!(
            out.join(format!(
                "archief/{label}/brieven/plan-voor-de-regio/index.html"
            ))
            .is_file()
        );
        assert!(out.join(format!("archief/{label}/index.json")).is_file());
        assert!(
            !out.join(format!("archief/{label}/opgaven/09-intern"))
                .exists()
        );
    }
    assert!(out.join("archief/diff-v1-v2/index.html").is_file());
    let needles = [MARKER, OFFICIAL, PHONE, OTHER_OFFICIAL, "Voorbeeldopgave 9"];
    let found = leaks(&out, &needles);
    assert!(found.is_empty(), "in the openbaar build: {found:#?}");

    // The same store on the intranet: every version with everything.
    ok(run(site.root(), &["build"]));
    let found = leaks(&out, &needles);
    for needle in needles {
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("archief/v1/") && f.ends_with(needle))
                || needle == OTHER_OFFICIAL,
            "{needle} missing from the intranet archive: {found:#?}"
        );
    }
    let diff = fs::read_to_string(out.join("archief/diff-v1-v2/index.html")).unwrap();
    assert!(diff.contains(OTHER_OFFICIAL), "{diff}");
}

#[test]
fn the_manifest_holds_both_renditions_and_verify_checks_both() {
    let site = site_with_two_versions();
    let store = site.root().join("snapshots");
    let path = store.join("versions/v1.json");
    let m: raadsite::snapshot::Manifest =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(m.format, 2);
    let public = m.openbaar.as_ref().expect("an openbaar rendition");
    let page = "brieven/plan-voor-de-regio/index.html";
    let intranet_page = m.files.iter().find(|f| f.path == page).unwrap();
    let public_page = public.iter().find(|f| f.path == page).unwrap();
    assert_ne!(intranet_page.sha256, public_page.sha256);
    assert!(
        m.files
            .iter()
            .any(|f| f.path == "opgaven/09-intern/index.html")
    );
    assert!(!public.iter().any(|f| f.path.contains("intern")));
    // Files equal in both renditions are one object.
    let style = |files: &[raadsite::snapshot::FileEntry]| {
        files
            .iter()
            .find(|f| f.path == "style.css")
            .unwrap()
            .sha256
            .clone()
    };
    assert_eq!(style(&m.files), style(public));

    let r = ok(run(site.root(), &["snapshot", "verify"]));
    assert!(r.stdout.contains("all intact"), "{}", r.stdout);
    let object = store
        .join("objects")
        .join(&public_page.sha256[..2])
        .join(&public_page.sha256[2..]);
    fs::write(&object, "verknoeid").unwrap();
    let r = run(site.root(), &["snapshot", "verify"]);
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains(&format!("error: v1: {page} (openbaar): changed: object")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_version_frozen_from_the_intranet_only_is_left_out_of_openbaar_builds() {
    let site = site_with_two_versions();
    // A manifest as raadsite wrote it before openbaar renditions: format 1, intranet only.
    let path = site.root().join("snapshots/versions/v1.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    json["format"] = 1.into();
    json.as_object_mut().unwrap().remove("openbaar");
    fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();

    let r = ok(run(site.root(), &["build", "--profile", "openbaar"]));
    assert!(
        r.stderr
            .contains("warning: snapshot \"v1\" is left out of this openbaar build"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("snapshots/versions/v1.json"),
        "{}",
        r.stderr
    );
    let out = site.output();
    assert!(!out.join("archief/v1").exists());
    assert!(out.join("archief/v2/index.html").is_file());
    let found = leaks(&out, &[MARKER, OFFICIAL, PHONE]);
    assert!(found.is_empty(), "{found:#?}");
    let index = fs::read_to_string(out.join("archief/index.html")).unwrap();
    assert!(!index.contains("v1"), "{index}");

    ok(run(site.root(), &["build", "--force"]));
    assert!(out.join("archief/v1/index.html").is_file());
    let zip = site.root().join("v1.zip");
    let r = run(
        site.root(),
        &[
            "snapshot",
            "export",
            "v1",
            "--format",
            "zip",
            "--profile",
            "openbaar",
            "--output",
            zip.to_str().unwrap(),
        ],
    );
    assert!(!r.ok);
    assert!(
        r.stderr.contains("has no openbaar rendition"),
        "{}",
        r.stderr
    );
    assert!(!zip.exists());
}

#[test]
fn an_openbaar_export_holds_the_openbaar_rendition() {
    let site = site_with_two_versions();
    let zip = site.root().join("v2-openbaar.zip");
    let r = ok(run(
        site.root(),
        &[
            "snapshot",
            "export",
            "v2",
            "--format",
            "zip",
            "--profile",
            "openbaar",
            "--output",
            zip.to_str().unwrap(),
        ],
    ));
    assert!(r.stdout.contains("(openbaar,"), "{}", r.stdout);
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    assert!(
        archive
            .by_name("brieven/plan-voor-de-regio/index.html")
            .is_ok()
    );
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        for needle in [MARKER, OFFICIAL, PHONE, OTHER_OFFICIAL] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in {}",
                f.name()
            );
        }
    }
}

#[test]
fn an_internal_section_is_left_out_of_the_public_profile() {
    let site = TestSite::fixture("basic")
        .with_file(
            "content/werkafspraken/_index.md",
            "+++\ntitle = \"Werkafspraken griffie\"\nzichtbaarheid = \"intern\"\n+++\n\nAlleen voor de griffie.\n",
        )
        .with_file(
            "content/werkafspraken/planning.md",
            "+++\ntitle = \"Planning van de week\"\n+++\n\nMaandag overleg.\n",
        );
    ok(run(site.root(), &["build", "--profile", "openbaar"]));
    let out = site.output();
    assert!(!out.join("werkafspraken").exists());
    let found = leaks(
        &out,
        &["Werkafspraken", "werkafspraken", "Planning van de week"],
    );
    assert!(found.is_empty(), "{found:#?}");
    let (_, broken) = crate::common::crawl(&out);
    assert!(broken.is_empty(), "{broken:?}");

    ok(run(site.root(), &["build"]));
    assert!(out.join("werkafspraken/index.html").is_file());
    assert!(out.join("werkafspraken/planning/index.html").is_file());
}

#[test]
fn an_internal_letters_section_keeps_its_list_page_without_letters() {
    let site = TestSite::fixture("basic").with_file(
        "content/brieven/_index.md",
        "+++\ntitle = \"Brieven (intern)\"\ndescription = \"Interne toelichting\"\n\
         zichtbaarheid = \"intern\"\n+++\n",
    );
    ok(run(site.root(), &["build", "--profile", "openbaar"]));
    let out = site.output();
    assert!(out.join("brieven/index.html").is_file());
    let letters: Vec<String> = output_files(&out)
        .into_iter()
        .filter(|f| f.starts_with("brieven/") && f.ends_with("/index.html"))
        .filter(|f| f != "brieven/index.html")
        .collect();
    assert!(letters.is_empty(), "{letters:?}");
    let found = leaks(
        &out,
        &["Brieven (intern)", "Interne toelichting", "Tweede brief"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_home_page_cannot_be_internal() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/_index.md",
            "+++\ntitle = \"Start\"\nzichtbaarheid = \"intern\"\n+++\n",
        )
        .build_err();
    assert!(
        err.contains("the home page is published in every profile; it cannot be intern"),
        "{err}"
    );
    assert!(err.contains("content/_index.md:3:"), "{err}");
}
