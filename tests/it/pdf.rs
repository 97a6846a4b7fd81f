//! PDF/A renditions of letters and opgaven: one beside every letter and opgave, linked from
//! its page and named in its metadata; the same bytes in a second build; kept in the
//! private work folder and reused; none with `[pdf] enabled = false`; errors for what a PDF
//! cannot show. What the PDFs hold (text, tags, fonts, XMP) is read with qpdf and poppler in
//! `.ci/pdf.sh`.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::common::{TestSite, cli, ok, output_files};

const LETTER_PDF: &str = "brieven/eerste-brief/2026-05-07-eerste-brief.pdf";
const OPGAVE_PDF: &str = "opgaven/01-eerste/opgave-1-eerste.pdf";

fn pdfs(out: &std::path::Path) -> Vec<String> {
    output_files(out)
        .into_iter()
        .filter(|f| f.ends_with(".pdf") && !f.starts_with("bijlagen/"))
        .filter(|f| !f.ends_with("/plan.pdf"))
        .collect()
}

/// The PDFs kept in the cache folder `cache` (beside them: the manifest).
fn cached(cache: &std::path::Path) -> usize {
    fs::read_dir(cache)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count()
}

#[test]
fn every_letter_and_opgave_has_a_pdf_beside_its_page_linked_and_listed() {
    let built = TestSite::fixture("basic").build();
    let found = pdfs(&built.out());
    for path in [LETTER_PDF, OPGAVE_PDF] {
        assert!(found.contains(&path.to_owned()), "{path} not in {found:?}");
        let bytes = fs::read(built.out().join(path)).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.7"), "{path} is no PDF 1.7");
        // PDF/A and PDF/UA identification in the XMP, which is not compressed.
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "{path}");
        assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"), "{path}");
    }
    // Pages that are not letters or opgaven have none.
    assert!(!found.iter().any(|f| f.starts_with("info/")), "{found:?}");
    built
        .assert_contains("brieven/eerste-brief/index.html", "Download als PDF")
        .assert_contains(
            "brieven/eerste-brief/index.html",
            "href=\"../../brieven/eerste-brief/2026-05-07-eerste-brief.pdf\"",
        )
        .assert_contains("opgaven/01-eerste/index.html", "opgave-1-eerste.pdf")
        .assert_contains(
            "brieven/eerste-brief/metadata.json",
            "\"pdf\": \"brieven/eerste-brief/2026-05-07-eerste-brief.pdf\"",
        );
    let letter = fs::read(built.out().join(LETTER_PDF)).unwrap();
    let size = raadsite::views::human_size(letter.len() as u64);
    built.assert_contains(
        "brieven/eerste-brief/index.html",
        &format!("(PDF/A, {size})"),
    );
}

#[test]
fn a_second_build_gives_the_same_bytes_from_the_private_cache() {
    let site = TestSite::fixture("basic");
    let out = site.output();
    site.try_build().unwrap();
    let first = fs::read(out.join(LETTER_PDF)).unwrap();
    let cache = site.root().join(".public.raadsite/pdf-intranet");
    let mode = fs::metadata(&cache).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "the PDF cache is private");
    let kept = cached(&cache);
    assert_eq!(kept, pdfs(&out).len(), "one cached PDF per PDF");

    // Forced, so that the stamp does not skip the build: the PDFs come from the cache.
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    raadsite::build_unless_unchanged(&opts, raadsite::Profile::Intranet, true).unwrap();
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
    let n = pdfs(&out).len();
    let count = opts.progress.pdfs();
    assert_eq!((count.expected, count.typeset, count.reused), (n, 0, n));

    // Without the cache, typeset again: still the same bytes.
    fs::remove_dir_all(&cache).unwrap();
    fs::remove_dir_all(&out).unwrap();
    site.try_build().unwrap();
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
}

#[test]
fn an_edit_remakes_its_pdf_and_the_cache_forgets_the_old_one() {
    let site = TestSite::fixture("basic");
    site.try_build().unwrap();
    let before = fs::read(site.output().join(LETTER_PDF)).unwrap();
    let rel = "content/brieven/2026-05-07-eerste-brief.md";
    let text = fs::read_to_string(site.root().join(rel)).unwrap();
    fs::write(
        site.root().join(rel),
        text.replace("Geachte colleges,", "Geachte colleges en raden,"),
    )
    .unwrap();
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    raadsite::build(&opts).unwrap();
    let n = pdfs(&site.output()).len();
    let count = opts.progress.pdfs();
    assert_eq!(
        (count.expected, count.typeset, count.reused),
        (n, 1, n - 1),
        "only the edited letter's PDF is typeset again"
    );
    let after = fs::read(site.output().join(LETTER_PDF)).unwrap();
    assert_ne!(before, after);
    let cache = site.root().join(".public.raadsite/pdf-intranet");
    assert_eq!(cached(&cache), pdfs(&site.output()).len());
}

/// A forced build of `site` that reports how many PDFs it typeset and reused.
fn forced_build(site: &TestSite) -> (usize, usize) {
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    raadsite::build_unless_unchanged(&opts, raadsite::Profile::Intranet, true).unwrap();
    let count = opts.progress.pdfs();
    (count.typeset, count.reused)
}

#[test]
fn a_kept_pdf_changed_or_removed_in_the_published_site_is_made_again() {
    let site = TestSite::fixture("basic");
    let out = site.output();
    site.try_build().unwrap();
    let first = fs::read(out.join(LETTER_PDF)).unwrap();
    let n = pdfs(&out).len();
    assert_eq!(forced_build(&site), (0, n), "every PDF kept");

    // Changed in place, length kept (as an editor or a careless script might).
    std::thread::sleep(std::time::Duration::from_millis(50));
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(out.join(LETTER_PDF))
        .unwrap();
    std::io::Write::write_all(&mut f, b"%XXX").unwrap();
    drop(f);
    assert_ne!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
    assert_eq!(forced_build(&site), (1, n - 1), "the changed one typeset");
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);

    // Removed, and replaced by another file.
    fs::remove_file(out.join(LETTER_PDF)).unwrap();
    assert_eq!(forced_build(&site), (0, n));
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
    fs::remove_file(out.join(LETTER_PDF)).unwrap();
    fs::write(out.join(LETTER_PDF), b"%PDF-1.7 not this one").unwrap();
    assert_eq!(forced_build(&site), (0, n));
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
    for _ in 0..2 {
        forced_build(&site);
        assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
    }
}

#[test]
fn a_kept_pdf_changed_in_the_cache_or_missing_from_its_manifest_is_made_again() {
    let site = TestSite::fixture("basic");
    let out = site.output();
    site.try_build().unwrap();
    let first = fs::read(out.join(LETTER_PDF)).unwrap();
    let n = pdfs(&out).len();
    let cache = site.root().join(".public.raadsite/pdf-intranet");
    std::thread::sleep(std::time::Duration::from_millis(50));
    for entry in fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "pdf") {
            let mut bytes = fs::read(&path).unwrap();
            bytes.extend_from_slice(b"\n%changed\n");
            fs::write(&path, bytes).unwrap();
        }
    }
    assert_eq!(
        forced_build(&site),
        (n, 0),
        "every changed PDF typeset again"
    );
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);

    fs::remove_file(cache.join("pdfs.tsv")).unwrap();
    assert_eq!(
        forced_build(&site),
        (n, 0),
        "a PDF the manifest lacks is not trusted"
    );
    assert_eq!(forced_build(&site), (0, n));
    assert_eq!(fs::read(out.join(LETTER_PDF)).unwrap(), first);
}

/// The median CPU time per PDF from `build --timings`, in ms, and how many were typeset.
fn timings(stdout: &str) -> (usize, f64) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("PDF timings: "))
        .unwrap_or_else(|| panic!("no timings in {stdout}"));
    let n = line["PDF timings: ".len()..].split(' ').next().unwrap();
    let median = line
        .split("median ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    (n.parse().unwrap(), median.parse().unwrap())
}

#[test]
fn build_timings_report_the_cpu_time_of_each_pdf_typeset() {
    let site = TestSite::fixture("basic");
    let run = ok(cli(site.root(), &["build", "--timings"], &[]));
    let n = pdfs(&site.output()).len();
    let (typeset, median) = timings(&run.stdout);
    assert_eq!(typeset, n, "{}", run.stdout);
    // A PDF takes milliseconds of CPU even in an optimised build; this is a debug build.
    assert!(median > 0.5, "{}", run.stdout);
    let run = ok(cli(site.root(), &["build", "--timings", "--force"], &[]));
    assert!(
        run.stdout.contains("PDF timings: no PDF typeset"),
        "every PDF kept: {}",
        run.stdout
    );
}

#[test]
fn pdfs_can_be_switched_off() {
    let site = TestSite::fixture("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let built = site
        .with_file("site.toml", &format!("{toml}\n[pdf]\nenabled = false\n"))
        .build();
    assert_eq!(pdfs(&built.out()), Vec::<String>::new());
    built
        .assert_lacks("brieven/eerste-brief/index.html", "Download als PDF")
        .assert_contains("brieven/eerste-brief/metadata.json", "\"pdf\": null");
}

#[test]
fn a_character_the_font_lacks_is_an_error_at_its_line() {
    let site = TestSite::fixture("basic").with_file(
        "content/brieven/2026-08-01-teken.md",
        "+++\ntitle = \"Teken\"\ndate = 2026-08-01\n+++\n\nGoed.\n\nEen teken: \u{1F600}.\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/brieven/2026-08-01-teken.md:8"),
        "{err}"
    );
    assert!(err.contains("U+1F600"), "{err}");
    assert!(
        !site.output().join("index.html").exists(),
        "nothing published"
    );
}

#[test]
fn an_image_without_alt_text_is_an_error_at_its_line() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-08-01-beeld.md",
            "+++\ntitle = \"Beeld\"\ndate = 2026-08-01\n+++\n\nTekst.\n\n![](plan.png)\n",
        )
        .build_err();
    assert!(
        err.contains("content/brieven/2026-08-01-beeld.md:8"),
        "{err}"
    );
    assert!(err.contains("no alt text"), "{err}");
}

#[test]
fn a_site_replaces_the_pdf_template_and_its_errors_name_its_line() {
    let site = TestSite::fixture("basic").with_file(
        "templates/opgave.typ",
        "#let d = json(\"/gegevens.json\")\n#set document(title: d.titel)\n#set text(lang: \"nl\")\n\n#nietbestaand()\n",
    );
    let err = site.build_err();
    assert!(err.contains("templates/opgave.typ:5"), "{err}");
    assert!(err.contains("nietbestaand"), "{err}");

    let built = site
        .with_file(
            "templates/opgave.typ",
            "#let d = json(\"/gegevens.json\")\n#set document(title: d.titel)\n#set text(lang: \"nl\", font: \"Noto Sans\")\n\n= Opgave #d.opgave.nummer\n\n#include \"/tekst.typ\"\n",
        )
        .build();
    assert!(built.exists(OPGAVE_PDF));
}
