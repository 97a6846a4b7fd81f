//! `raadsite import`: letters that arrive as plain text, DOCX or PDF (from LibreOffice and
//! from Chromium, with two-column letterheads) become letters of the site: their letterhead
//! the front matter, every word of their body in the Markdown, and they build. Bad input
//! gets an error naming the file, and nothing is written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Run, TestSite, cli, fails, ok, repo};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import").join(name)
}

fn import(site: &TestSite, args: &[&str]) -> Run {
    cli(site.root(), &[&["import"], args].concat(), &[])
}

/// The front matter and the body of a letter file.
fn split(text: &str) -> (toml::Table, String) {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let (front, body) = rest.split_once("\n+++\n").expect("end of front matter");
    (
        front.parse().expect("front matter is TOML"),
        body.to_owned(),
    )
}

/// The words of Markdown as a reader sees them: without heading, list and table markers,
/// emphasis and escapes.
fn words(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in markdown.lines() {
        let line = line.trim_start();
        let line = line.trim_start_matches('#').trim_start();
        let line = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("1. "))
            .unwrap_or(line);
        if line.starts_with("| ---") {
            continue;
        }
        // The fixtures have no asterisks of their own: every one is emphasis.
        let line = line.replace('*', "").replace(['|', '\\'], " ");
        out.extend(line.split_whitespace().map(str::to_owned));
    }
    out
}

/// The seed's body as written: from the salutation to the closing, without the
/// continuation header (DATUM / ONS KENMERK / PAGINA 3 / 3) in its middle.
fn seed_body_words() -> Vec<String> {
    let seed = fs::read_to_string(fixture("seed.txt")).unwrap();
    let start = seed.find("Geachte colleges,").unwrap();
    let end = seed.find("Met vriendelijke groet,").unwrap() + "Met vriendelijke groet,".len();
    let body = seed[start..end].replace(
        "DATUM\n7 mei 2026\n\nONS KENMERK\n2600013167\n\nPAGINA\n3 / 3\n",
        "",
    );
    words(&body)
}

/// The example letter, made by hand from the seed.
fn example_letter() -> (toml::Table, String) {
    let text = fs::read_to_string(repo().join("content/brieven/2026-05-07-plan-voor-de-regio.md"))
        .unwrap();
    split(&text)
}

/// Imports `file` into `site` and returns the letter's front matter and body.
fn imported(site: &TestSite, file: &Path) -> (toml::Table, String, Run) {
    let run = ok(import(site, &[file.to_str().unwrap()]));
    let written = run
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("wrote "))
        .unwrap_or_else(|| panic!("no file named in:\n{}", run.stdout))
        .to_owned();
    let (front, body) = split(&fs::read_to_string(&written).unwrap());
    (front, body, run)
}

fn one_line(v: Option<&toml::Value>) -> String {
    let s = v.and_then(toml::Value::as_str).unwrap_or_default();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `front` has the value `expected` has for each of `keys`; `context` (what
/// the import printed) goes with a failure.
fn same_fields(front: &toml::Table, expected: &toml::Table, keys: &[&str], context: &str) {
    for key in keys {
        assert_eq!(front.get(*key), expected.get(*key), "{key}\n{context}");
    }
}

#[test]
fn the_seed_text_imports_to_the_front_matter_and_words_of_the_example_letter() {
    let site = TestSite::example();
    let (front, body, run) = imported(&site, &fixture("seed.txt"));
    let (example, example_body) = example_letter();
    let keys = [
        "title",
        "date",
        "kenmerk",
        "behandeld_door",
        "doorkiesnummer",
        "aan",
        "ondertekening",
        "gemeenten",
    ];
    same_fields(&front, &example, &keys, &run.stdout);
    // The sender's address is site.toml's briefhoofd: not repeated on the letter.
    assert!(!front.contains_key("postadres"), "{front:?}");
    assert_eq!(words(&body), seed_body_words());
    assert_eq!(words(&body), words(&example_body));
    assert!(body.contains("\n## Elke Regio Telt\n"), "{body}");
    assert!(body.contains("\n- Herijk de reguliere beleids- en investeringslogica van het Rijk\n"));
    for field in [
        "kenmerk",
        "2600013167",
        "behandeld_door",
        "EA Smit",
        "not placed: nothing",
    ] {
        assert!(
            run.stdout.contains(field),
            "{field} missing in:\n{}",
            run.stdout
        );
    }
    site.build()
        .assert_contains(
            "brieven/plan-voor-de-regio-nationaal-programma-vitale-regios/index.html",
            "2600013167",
        )
        .assert_contains(
            "brieven/plan-voor-de-regio-nationaal-programma-vitale-regios/index.html",
            "7 mei 2026",
        );
}

/// The seed laid out as Word would (letterhead in a borderless table), as a DOCX and as
/// LibreOffice's PDF of it, and as a web page with a two-column letterhead printed to PDF
/// by Chromium: the same fields and the same words as the text.
#[test]
fn the_seed_as_docx_and_as_pdfs_with_two_column_letterheads_gives_every_field() {
    let (example, _) = example_letter();
    for name in ["seed-tabel.docx", "seed-tabel.pdf", "seed-kolommen.pdf"] {
        let site = TestSite::fixture("basic");
        let (front, body, run) = imported(&site, &fixture(name));
        let keys = [
            "title",
            "date",
            "kenmerk",
            "behandeld_door",
            "doorkiesnummer",
            "gemeenten",
        ];
        same_fields(&front, &example, &keys, &format!("{name}\n{}", run.stdout));
        // Where a narrow column wrapped the addressee, its words are the same.
        for key in ["aan", "ondertekening"] {
            assert_eq!(
                one_line(front.get(key)),
                one_line(example.get(key)),
                "{name}: {key}"
            );
        }
        assert_eq!(words(&body), seed_body_words(), "{name}");
        assert!(body.contains("\n## Elke Regio Telt\n"), "{name}: {body}");
        assert!(
            body.contains("\n- Werk aan een vitale relatie"),
            "{name}: {body}"
        );
        // The fixture site's briefhoofd is another one: the letter keeps its own.
        assert_eq!(
            one_line(front.get("postadres")),
            "Postbus 20 7500 AA ENSCHEDE",
            "{name}"
        );
        let ext = name.rsplit('.').next().unwrap();
        let original = format!(
            "2026-05-07-plan-voor-de-regio-nationaal-programma-vitale-regios-origineel.{ext}"
        );
        let bijlage = &front["bijlagen"][0];
        assert_eq!(bijlage["bestand"].as_str(), Some(original.as_str()));
        // It shows the letterhead's names and numbers: not for the public copy.
        assert_eq!(bijlage["persoonsgegevens"].as_bool(), Some(true));
        let copy = site.root().join("content/brieven").join(&original);
        assert_eq!(fs::read(copy).unwrap(), fs::read(fixture(name)).unwrap());
        site.build().assert_contains(
            "brieven/plan-voor-de-regio-nationaal-programma-vitale-regios/index.html",
            "2600013167",
        );
    }
}

/// The test letter (DOCX with a label | value table, continuation headers on later pages,
/// headings, lists, a table, bold and italic) and LibreOffice's PDF of it.
#[test]
fn the_test_letter_keeps_its_structure_and_loses_its_running_headers() {
    let site = TestSite::fixture("basic");
    let (docx, docx_body, run) = imported(&site, &fixture("testbrief.docx"));
    assert_eq!(
        docx["kenmerk"].as_str(),
        Some("0012/2026/TEST"),
        "{}",
        run.stdout
    );
    assert_eq!(
        docx["title"].as_str(),
        Some("Testbrief voor het importeren van brieven met kopjes, lijsten en een tabel")
    );
    assert_eq!(docx["uw_brief_van"].to_string(), "2026-04-03");
    assert_eq!(docx["uw_kenmerk"].as_str(), Some("UB-000/7"));
    assert_eq!(
        docx["gemeenten"].to_string(),
        r#"["almelo", "hof-van-twente"]"#
    );
    assert!(
        run.stdout.contains("Testoverleg Voorbeeldregio"),
        "unplaced text shown"
    );
    for md in [
        "**vetgedrukte woorden**",
        "*cursieve woorden*",
        "\n## Waarom deze brief\n",
        "\n### Opsomming\n",
        "\n1. Eerst de brief lezen.\n1. Dan de velden",
        "\n| Gemeente | Aantal | Opmerking |\n| --- | --- | --- |\n| Almelo | 12 | eerste rij |",
        "beleids- en investeringslogica",
    ] {
        assert!(docx_body.contains(md), "{md:?} missing in:\n{docx_body}");
    }

    let pdf_site = TestSite::fixture("basic");
    let (pdf, pdf_body, run) = imported(&pdf_site, &fixture("testbrief.pdf"));
    let keys = [
        "title",
        "date",
        "kenmerk",
        "behandeld_door",
        "doorkiesnummer",
        "uw_brief_van",
        "uw_kenmerk",
        "aan",
        "ondertekening",
        "gemeenten",
        "postadres",
    ];
    same_fields(&pdf, &docx, &keys, &run.stdout);
    // Every word of the letter, and no word of the headers on pages 2 and 3.
    assert_eq!(words(&pdf_body), words(&docx_body));
    assert!(!pdf_body.contains("Pagina"), "{pdf_body}");
    assert!(pdf_body.contains("Noord-Nederland"), "{pdf_body}");
    assert!(pdf_body.contains("\n- het tweede punt, dat wat langer is zodat het in de PDF over twee regels kan lopen en toch één punt blijft;\n"), "{pdf_body}");
    let built = site.build();
    let page = "brieven/testbrief-voor-het-importeren-van-brieven-met-kopjes-lijsten-en-een-tabel/index.html";
    built.assert_contains(page, "<strong>vetgedrukte woorden</strong>");
    built.assert_contains(page, "<table>");
}

#[test]
fn a_dry_run_prints_the_letter_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let before = brieven(&site);
    let run = ok(import(
        &site,
        &["--dry-run", fixture("seed-tabel.docx").to_str().unwrap()],
    ));
    assert!(
        run.stdout.contains("+++\ntitle = \"Plan voor de Regio"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing written"));
    assert_eq!(brieven(&site), before);
}

#[test]
fn an_existing_letter_is_never_written_over() {
    let site = TestSite::fixture("basic");
    let file = fixture("seed-tabel.docx");
    imported(&site, &file);
    let letter = site
        .root()
        .join("content/brieven/2026-05-07-plan-voor-de-regio-nationaal-programma-vitale-regios.md");
    fs::write(&letter, "mine").unwrap();
    let run = fails(import(&site, &[file.to_str().unwrap()]));
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2026-05-07-plan-voor-de-regio"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(&letter).unwrap(), "mine");
}

#[test]
fn a_letter_without_date_or_subject_is_refused_naming_both() {
    let site = TestSite::fixture("basic");
    let run = fails(import(
        &site,
        &[fixture("zonder-datum.txt").to_str().unwrap()],
    ));
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("DATUM"), "{}", run.stderr);
    assert!(run.stderr.contains("ONDERWERP"), "{}", run.stderr);
    assert!(run.stderr.contains("zonder-datum.txt"), "{}", run.stderr);
    assert_eq!(brieven(&site), brieven(&TestSite::fixture("basic")));
}

#[test]
fn broken_files_get_an_error_naming_them_and_nothing_is_written() {
    let site = TestSite::fixture("basic");
    let before = brieven(&site);
    for (name, reason) in [
        ("afgebroken.pdf", "truncated"),
        ("versleuteld.pdf", "encrypted"),
        ("scan.pdf", "no text"),
        ("geen-zip.docx", "not a zip"),
    ] {
        let run = fails(import(&site, &[fixture(name).to_str().unwrap()]));
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(reason), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    }
    assert_eq!(brieven(&site), before);
}

/// Broken copies of the good fixtures, cut short or with bytes changed: an error or a
/// letter, never a panic.
#[test]
fn damaged_pdfs_and_docx_files_never_panic() {
    for name in ["testbrief.pdf", "seed-kolommen.pdf", "testbrief.docx"] {
        let bytes = fs::read(fixture(name)).unwrap();
        let kind = if name.ends_with("pdf") {
            raadsite::import::Kind::Pdf
        } else {
            raadsite::import::Kind::Docx
        };
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            let mut damaged = bytes.clone();
            damaged[cut] ^= 0x55;
            let _ = raadsite::import::read(Path::new(name), kind, damaged);
            let _ = raadsite::import::read(Path::new(name), kind, bytes[..cut].to_vec());
        }
    }
}

fn brieven(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.root().join("content/brieven"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
