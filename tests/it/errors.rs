//! Invalid input: every problem is reported with its file and line, the build fails, and
//! the previous output is left as it was.

use crate::common::TestSite;

fn letter(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

#[test]
fn bad_toml_points_into_the_markdown_file() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter("title = \"X\"\ndate = 2026-01-01\nkenmerk = \"1", ""),
        )
        .build_err();
    assert!(
        err.contains("--> content/brieven/2026-01-01-x.md:4:"),
        "{err}"
    );
    assert!(err.contains("invalid front matter"), "{err}");
}

#[test]
fn unknown_key_names_the_nearest_known_key() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter("title = \"X\"\ndate = 2026-01-01\nkenmrk = \"1\"", ""),
        )
        .build_err();
    assert!(
        err.contains("error: unknown key \"kenmrk\" in front matter"),
        "{err}"
    );
    assert!(
        err.contains("--> content/brieven/2026-01-01-x.md:4:1"),
        "{err}"
    );
    assert!(err.contains("help: did you mean \"kenmerk\"?"), "{err}");
}

#[test]
fn keys_of_another_kind_are_refused() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/x.md",
            &letter("title = \"X\"\nkenmerk = \"1\"", ""),
        )
        .build_err();
    assert!(
        err.contains("key \"kenmerk\" is not used for pages outside brieven/ and opgaven/"),
        "{err}"
    );
    assert!(err.contains("content/info/x.md:3:1"), "{err}");
}

#[test]
fn types_are_checked() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter("title = \"X\"\ndate = 2026-01-01\nkenmerk = 2600013167", ""),
        )
        .build_err();
    assert!(
        err.contains("content/brieven/2026-01-01-x.md:4:11"),
        "{err}"
    );
    assert!(
        err.contains("error: kenmerk must be text, not the number 2600013167"),
        "{err}"
    );
    assert!(
        err.contains("help: put it between quotes: kenmerk = \"2600013167\""),
        "{err}"
    );
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter("title = \"X\"\ndate = \"7 mei 2026\"", ""),
        )
        .build_err();
    assert!(err.contains("content/brieven/2026-01-01-x.md:3:8"), "{err}");
    assert!(
        err.contains("error: date must be a date such as 2026-05-07, not the text \"7 mei 2026\""),
        "{err}"
    );
}

#[test]
fn missing_title_and_missing_date() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/x.md",
            &letter("description = \"geen titel\"", ""),
        )
        .with_file("content/brieven/y.md", &letter("title = \"Y\"", ""))
        .build_err();
    assert!(
        err.contains("error: missing key \"title\" in front matter\n  --> content/info/x.md:2:1"),
        "{err}"
    );
    assert!(err.contains("error: missing key \"date\" in front matter of a letter\n  --> content/brieven/y.md:2:1"), "{err}");
    assert!(err.contains("build failed with 2 errors"), "{err}");
}

#[test]
fn duplicate_opgave_number() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/opgaven/09-dubbel.md",
            &letter("title = \"Dubbel\"\nnummer = 1", ""),
        )
        .build_err();
    assert!(err.contains("opgave number 1 is used twice"), "{err}");
    assert!(err.contains("content/opgaven/09-dubbel.md:3:1"), "{err}");
    assert!(
        err.contains("content/opgaven/01-eerste.md has the same number"),
        "{err}"
    );
}

#[test]
fn broken_link_and_missing_anchor_name_file_and_line() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/x.md",
            &letter("title = \"X\"", "\nEerst tekst.\n\nZie [weg](bestaat-niet.md).\n\nEn [anker](/brieven/2026-06-01-tweede-brief.md#sloot).\n"),
        )
        .build_err();
    assert!(
        err.contains(
            "error: link to a missing file \"bestaat-niet.md\"\n  --> content/info/x.md:7:5"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "link to a missing anchor \"#sloot\" in content/brieven/2026-06-01-tweede-brief.md"
        ),
        "{err}"
    );
    assert!(err.contains("content/info/x.md:9:4"), "{err}");
    assert!(err.contains("did you mean \"#slot\"?"), "{err}");
}

#[test]
fn unknown_gemeente_and_opgave() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter(
                "title = \"X\"\ndate = 2026-01-01\ngemeenten = [\"almeloo\"]\nopgaven = [7]",
                "",
            ),
        )
        .build_err();
    assert!(
        err.contains(
            "unknown gemeente \"almeloo\"\n  --> content/brieven/2026-01-01-x.md:4:14\n   |\n 4 | gemeenten = [\"almeloo\"]\n   |              ^^^^^^^^^\n   = help: did you mean \"almelo\"?"
        ),
        "{err}"
    );
    assert!(
        err.contains("letter refers to opgave 7, which does not exist"),
        "{err}"
    );
}

#[test]
fn two_pages_on_one_path() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-08-01-eerste-brief.md",
            &letter("title = \"Nog een\"\ndate = 2026-08-01", ""),
        )
        .build_err();
    assert!(
        err.contains("two sources claim the output path brieven/eerste-brief/index.html"),
        "{err}"
    );
    assert!(
        err.contains("content/brieven/2026-05-07-eerste-brief.md"),
        "{err}"
    );
    assert!(
        err.contains("content/brieven/2026-08-01-eerste-brief.md"),
        "{err}"
    );
}

#[test]
fn missing_front_matter_and_attachment() {
    let err = TestSite::fixture("basic")
        .with_file("content/info/leeg.md", "")
        .with_file("content/info/open.md", "+++\ntitle = \"Open\"\n")
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &letter("title = \"X\"\ndate = 2026-01-01\nbijlagen = [{ titel = \"Weg\", bestand = \"weg.pdf\" }, { titel = \"Uit\", bestand = \"../../../etc/passwd\" }]", ""),
        )
        .build_err();
    assert!(
        err.contains("error: file is empty\n  --> content/info/leeg.md:1:1"),
        "{err}"
    );
    assert!(
        err.contains("error: front matter is not closed\n  --> content/info/open.md:1:1"),
        "{err}"
    );
    assert!(
        err.contains("bijlage \"weg.pdf\" is not found next to the letter nor in static/"),
        "{err}"
    );
    assert!(
        err.contains("bijlage \"../../../etc/passwd\" points outside the site"),
        "{err}"
    );
}

#[test]
fn bad_site_toml_names_the_key() {
    let site = TestSite::fixture("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let err = site
        .with_file("site.toml", &format!("titel = \"x\"\n{toml}"))
        .build_err();
    assert!(
        err.contains("error: unknown key \"titel\" in site.toml\n  --> site.toml:1:1"),
        "{err}"
    );
    assert!(err.contains("did you mean \"title\"?"), "{err}");
}

#[test]
fn template_errors_name_the_template_and_cause() {
    let err = TestSite::fixture("basic")
        .with_file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}{{ nergens.iets }}{% endblock main %}",
        )
        .build_err();
    assert!(err.contains("template \"404.html\" failed"), "{err}");
    assert!(err.contains("nergens"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.try_build().unwrap();
    let before = std::fs::read(site.output().join("brieven/eerste-brief/index.html")).unwrap();
    let site = site.with_file(
        "content/brieven/2026-05-07-eerste-brief.md",
        "+++\ntitle = \n+++\n",
    );
    site.build_err();
    assert!(site.output().join("index.html").exists());
    assert_eq!(
        std::fs::read(site.output().join("brieven/eerste-brief/index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    // Only the private work folder, with nothing but the first build's PDFs (when raadsite
    // makes PDFs): the first build moved its back buffer into place, the failed one never
    // started a new one.
    assert_eq!(leftovers, [".public.raadsite"]);
    let work: Vec<_> = std::fs::read_dir(site.root().join(".public.raadsite"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let pdfs: &[&str] = if cfg!(feature = "pdf") {
        &["pdf-intranet"]
    } else {
        &[]
    };
    assert_eq!(work, pdfs);
}

#[test]
fn output_folder_that_is_not_a_site_is_not_replaced() {
    let site = TestSite::fixture("basic");
    let other = site.root().join("documenten");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("belangrijk.txt"), "niet weggooien").unwrap();
    let err = raadsite::build(&raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(other.clone()),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("is not empty and holds no site"), "{err}");
    assert!(other.join("belangrijk.txt").exists());
    let err = raadsite::build(&raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(site.root().to_path_buf()),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("contains the site itself"), "{err}");
}
