//! `raadsite mail`: the digest e-mail of what is new since a date or a snapshot, in both
//! profiles and per gemeente; and the single-file rendition beside every letter and opgave.
//! The message is read back here with a small MIME reader of its own (headers, the two
//! parts, quoted-printable); `.ci/mail.sh` reads it with Python's `email` package and opens
//! both HTML files in Chromium.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestSite, cli, fails, ok};

/// The `mail` fixture: letters before and after 14 september 2026, an updated one, a draft,
/// an internal letter, letters to one gemeente each, and two opgaven.
fn site() -> TestSite {
    TestSite::fixture("mail")
}

/// Every title in the fixture that a digest may list, with the slug of its page.
const OLD: &str = "Oude brief voor de zomer";
const ALLE: &str = "Uitvoeringsagenda Twente: stand van zaken";
const ALMELO: &str = "Brief aan Almelo over één regeling";
const HOF: &str = "Brief aan Hof van Twente";
const UPDATED: &str = "Eerder verzonden, later aangevuld";
const DRAFT: &str = "Conceptbrief die niet mee mag";
const INTERN: &str = "Interne notitie aan de griffiers";
const OPGAVE: &str = "Opgave 1: Voorbeeldopgave Wonen";
const OPGAVE_OLD: &str = "Voorbeeldopgave zonder wijziging";

const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1789470000");

/// Runs `raadsite mail --since 2026-09-14 <args> --output <site>/<name>` and returns the
/// run and the path of the file.
fn mail(site: &TestSite, name: &str, args: &[&str]) -> (Run, PathBuf) {
    let out = site.root().join(name);
    let mut all = vec!["mail", "--output", out.to_str().unwrap()];
    if !args.iter().any(|a| a.starts_with("--since")) {
        all.extend(["--since", "2026-09-14"]);
    }
    all.extend(args);
    (cli(site.root(), &all, &[EPOCH]), out)
}

/// A message read back: its headers (unfolded) and its two parts, decoded.
struct Eml {
    headers: Vec<(String, String)>,
    text: String,
    html: String,
}

impl Eml {
    fn read(path: &Path) -> Eml {
        let raw = std::fs::read_to_string(path).unwrap();
        assert!(
            raw.split("\r\n")
                .all(|l| !l.contains('\n') && l.len() <= 78),
            "every line of the message ends in CRLF and is at most 78 characters"
        );
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let headers = unfold(head);
        let ct = header(&headers, "Content-Type");
        let boundary = ct
            .split("boundary=\"")
            .nth(1)
            .unwrap()
            .trim_end_matches('"');
        let parts: Vec<&str> = body.split(&format!("--{boundary}")).collect();
        assert_eq!(parts.len(), 4, "preamble, two parts, end: {parts:?}");
        assert!(parts[3].starts_with("--"), "the closing boundary");
        let part = |p: &str, kind: &str| {
            let (h, b) = p.trim_start_matches("\r\n").split_once("\r\n\r\n").unwrap();
            let h = unfold(h);
            assert_eq!(
                header(&h, "Content-Type"),
                format!("text/{kind}; charset=utf-8")
            );
            assert_eq!(header(&h, "Content-Transfer-Encoding"), "quoted-printable");
            // The line break before a boundary belongs to the boundary (RFC 2046).
            qp_decode(b.strip_suffix("\r\n").unwrap())
        };
        Eml {
            text: part(parts[1], "plain"),
            html: part(parts[2], "html"),
            headers,
        }
    }

    fn header(&self, name: &str) -> String {
        header(&self.headers, name)
    }
}

fn unfold(head: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with(' ') {
            out.last_mut().unwrap().1.push_str(line);
        } else {
            let (k, v) = line.split_once(": ").unwrap();
            out.push((k.to_owned(), v.to_owned()));
        }
    }
    out
}

fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .1
        .clone()
}

fn qp_decode(body: &str) -> String {
    let joined = body.replace("=\r\n", "").replace("\r\n", "\n");
    let b = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Decodes RFC 2047 `=?UTF-8?B?...?=` words, as a mail program shows a subject.
fn decode_words(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            match w
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
            {
                Some(b64) => {
                    String::from_utf8(data_encoding::BASE64.decode(b64.as_bytes()).unwrap())
                        .unwrap()
                }
                None => format!(" {w}"),
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The titles listed in the text part, in order (lines "N. Title").
fn listed(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(". ")?;
            n.parse::<u32>().ok().map(|_| rest.to_owned())
        })
        .collect()
}

#[test]
fn digest_lists_what_is_new_newest_first_in_both_parts() {
    let site = site();
    let (run, path) = mail(&site, "digest.eml", &[]);
    let run = ok(run);
    assert!(
        run.stdout.contains("5 letters and 1 opgave"),
        "{}",
        run.stdout
    );
    let eml = Eml::read(&path);
    assert_eq!(
        listed(&eml.text),
        [INTERN, HOF, ALMELO, OPGAVE, UPDATED, ALLE],
        "newest change first; the updated letter by its update"
    );
    for absent in [OLD, DRAFT, OPGAVE_OLD] {
        assert!(
            !eml.text.contains(absent) && !eml.html.contains(absent),
            "{absent}"
        );
    }
    assert_eq!(eml.header("X-Unsent"), "1");
    assert_eq!(eml.header("MIME-Version"), "1.0");
    assert_eq!(eml.header("Date"), "Tue, 15 Sep 2026 11:00:00 +0000");
    assert!(eml.header("Message-ID").ends_with("@raad.example.nl>"));
    assert!(
        eml.header("Content-Type")
            .starts_with("multipart/alternative;")
    );
    assert_eq!(
        decode_words(&eml.header("Subject")),
        "Nieuw sinds 14 september 2026: 6 stukken - Raad Mailtest"
    );
    // Date, kenmerk, afzender, description and the absolute link, in both parts.
    for needle in [
        "14 september 2026",
        "2600020001",
        "Voorzitter BOSS",
        "https://raad.example.nl/twente/brieven/nieuw-alle/",
        "https://raad.example.nl/twente/opgaven/01-wonen/",
        "bijgewerkt 16 september 2026",
        "Beste raadsleden,",
        "De griffie",
    ] {
        assert!(
            eml.text.contains(needle),
            "text part lacks {needle}:\n{}",
            eml.text
        );
        assert!(eml.html.contains(needle), "HTML part lacks {needle}");
    }
    assert!(eml.text.contains("Brief aan Almelo over één regeling"));
    assert!(
        eml.text.lines().all(|l| l.chars().count() <= 78),
        "{}",
        eml.text
    );
    assert!(
        eml.text.contains(
            "\n   per opgave en de planning voor het najaar; een zin die lang genoeg is om te\n"
        ),
        "a long description is wrapped with its indent:\n{}",
        eml.text
    );
    assert!(
        eml.html
            .contains("<a href=\"https://raad.example.nl/twente/brieven/almelo/\">")
    );
}

#[test]
fn the_html_part_is_safe_for_mail_programs() {
    let site = site();
    let (run, path) = mail(&site, "digest.eml", &[]);
    ok(run);
    let html = Eml::read(&path).html;
    for banned in [
        "<script", "<link", "<img", "<style", "src=", "url(", "class=",
    ] {
        assert!(!html.contains(banned), "the HTML part has {banned}");
    }
    assert!(html.contains("<html lang=\"nl\">") && html.contains("<main"));
    assert!(html.contains("name=\"color-scheme\" content=\"light dark\""));
    // Every link is absolute.
    for href in crate::common::attr_values(&html, "href") {
        assert!(
            href.starts_with("https://raad.example.nl/twente/"),
            "{href}"
        );
    }
}

#[test]
fn openbaar_leaves_out_internal_pages() {
    let site = site();
    let (run, path) = mail(&site, "openbaar.eml", &["--profile", "openbaar"]);
    ok(run);
    let eml = Eml::read(&path);
    assert_eq!(listed(&eml.text), [HOF, ALMELO, OPGAVE, UPDATED, ALLE]);
    assert!(!eml.html.contains(INTERN) && !eml.html.contains("INT-9"));
}

#[test]
fn a_gemeente_gets_its_own_letters_those_to_all_and_its_opgaven() {
    let site = site();
    let (run, path) = mail(&site, "almelo.eml", &["--gemeente", "almelo"]);
    ok(run);
    let eml = Eml::read(&path);
    assert_eq!(listed(&eml.text), [INTERN, ALMELO, OPGAVE, ALLE]);
    assert!(eml.text.contains("voor Almelo"), "{}", eml.text);

    let (run, path) = mail(
        &site,
        "hof.eml",
        &["--gemeente", "hof-van-twente", "--profile", "openbaar"],
    );
    ok(run);
    assert_eq!(listed(&Eml::read(&path).text), [HOF, ALLE]);
}

#[test]
fn since_a_snapshot_lists_what_it_did_not_hold() {
    let site = site();
    ok(cli(
        site.root(),
        &["snapshot", "create", "voor-de-raad"],
        &[],
    ));
    // A letter added afterwards, with a date long before the snapshot: new to the raad.
    let site = site.with_file(
        "content/brieven/2026-09-02-nagekomen.md",
        "+++\ntitle = \"Nagekomen brief\"\ndate = 2026-09-02\ngemeenten = [\"alle\"]\n+++\n\nTekst.\n",
    );
    let (run, path) = mail(&site, "snap.eml", &["--since-snapshot", "voor-de-raad"]);
    let run = ok(run);
    let eml = Eml::read(&path);
    assert_eq!(listed(&eml.text), ["Nagekomen brief"], "{}", run.stdout);
    assert!(
        eml.text.contains("(na versie voor-de-raad)"),
        "{}",
        eml.text
    );

    let (run, path) = mail(&site, "x.eml", &["--since-snapshot", "voor-de-rad"]);
    let run = fails(run);
    assert!(
        run.stderr.contains("no snapshot labelled \"voor-de-rad\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean \"voor-de-raad\"?"),
        "{}",
        run.stderr
    );
    assert!(!path.exists());
}

/// The absolute links to PDFs in the text part `text`.
fn pdf_links(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| w.starts_with("https://") && w.ends_with(".pdf"))
        .collect()
}

#[test]
#[cfg(feature = "pdf")]
fn each_entry_links_its_pdf_as_the_build_publishes_it() {
    let site = site();
    let (run, path) = mail(&site, "digest.eml", &[]);
    ok(run);
    let eml = Eml::read(&path);
    let links = pdf_links(&eml.text);
    assert_eq!(links.len(), 6, "one PDF per entry:\n{}", eml.text);
    let built = site.build();
    for link in links {
        assert!(
            eml.html.contains(&format!("<a href=\"{link}\">")),
            "the HTML part lacks {link}"
        );
        let rel = link
            .strip_prefix("https://raad.example.nl/twente/")
            .unwrap();
        assert!(built.exists(rel), "{link} is not in the built site");
    }
    assert!(
        eml.text
            .contains("https://raad.example.nl/twente/brieven/almelo/2026-")
    );
}

#[test]
fn a_site_without_pdfs_mails_no_pdf_links() {
    let site = site();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.with_file("site.toml", &format!("{toml}\n[pdf]\nenabled = false\n"));
    let (run, path) = mail(&site, "digest.eml", &[]);
    ok(run);
    let eml = Eml::read(&path);
    assert!(pdf_links(&eml.text).is_empty(), "{}", eml.text);
    assert!(!eml.html.contains(".pdf"), "{}", eml.html);
}

#[test]
fn nothing_new_writes_nothing() {
    let site = site();
    let (run, path) = mail(&site, "leeg.eml", &["--since", "2026-12-01"]);
    let run = ok(run);
    assert!(
        run.stdout
            .contains("Nothing new or updated since 1 december 2026: no e-mail written"),
        "{}",
        run.stdout
    );
    assert!(!path.exists());
}

#[test]
fn bad_inputs_are_refused_and_nothing_is_written() {
    let site = TestSite::fixture("basic");
    let (run, path) = mail(&site, "x.eml", &[]);
    let run = fails(run);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("base_url"), "{}", run.stderr);
    assert!(!path.exists());

    let site = self::site();
    let (run, path) = mail(&site, "x.eml", &["--gemeente", "almello"]);
    let run = fails(run);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("no gemeente \"almello\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean \"almelo\"?"),
        "{}",
        run.stderr
    );
    assert!(!path.exists());

    let (run, _) = mail(&site, "x.eml", &["--since", "14-09-2026"]);
    let run = fails(run);
    assert!(
        run.stderr.contains("not a date of the form"),
        "{}",
        run.stderr
    );

    let missing = site.root().join("geen-map/x.eml");
    let run = fails(cli(
        site.root(),
        &[
            "mail",
            "--since",
            "2026-09-14",
            "--output",
            missing.to_str().unwrap(),
        ],
        &[],
    ));
    assert!(run.stderr.contains("geen-map"), "{}", run.stderr);

    let run = fails(cli(site.root(), &["mail", "--output", "x.eml"], &[]));
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
}

#[test]
fn the_same_site_and_time_give_the_same_bytes() {
    let site = site();
    let (a, pa) = mail(&site, "a.eml", &[]);
    let (b, pb) = mail(&site, "b.eml", &[]);
    ok(a);
    ok(b);
    assert_eq!(std::fs::read(pa).unwrap(), std::fs::read(pb).unwrap());
}

#[test]
fn mail_texts_and_templates_can_be_changed() {
    let site = site()
        .with_file(
            "site.toml",
            &std::fs::read_to_string(crate::common::repo().join("tests/fixtures/mail/site.toml"))
                .unwrap()
                .replace(
                    "[briefhoofd]",
                    "[mail]\nonderwerp = \"Raadsinformatie {gemeente}: {stukken} sinds {sinds} \
                     (Hof van Twente, Rijssen-Holten, Almelo)\"\naanhef = \"Geachte leden van \
                     de raad,\"\nafsluiting = \"Hoogachtend,\\nDe griffier\"\nvan = \"Griffie \
                     Almelo <griffie@almelo.example>\"\n\n[briefhoofd]",
                ),
        )
        .with_file("templates/mail.txt", "Eigen tekst: {{ mail.stukken }}\n");
    let (run, path) = mail(&site, "eigen.eml", &["--gemeente", "almelo"]);
    ok(run);
    let eml = Eml::read(&path);
    assert_eq!(eml.text, "Eigen tekst: 4 stukken\n");
    assert!(eml.html.contains("Geachte leden van de raad,"));
    assert!(eml.html.contains("Hoogachtend,<br>De griffier"));
    assert_eq!(
        eml.header("From"),
        "Griffie Almelo <griffie@almelo.example>"
    );
    assert_eq!(
        decode_words(&eml.header("Subject")),
        "Raadsinformatie Almelo: 4 stukken sinds 14 september 2026 (Hof van Twente, \
         Rijssen-Holten, Almelo)"
    );
}

#[test]
fn fifty_letters_stay_under_100_kb() {
    let mut site = site();
    for n in 0..50 {
        site = site.with_file(
            &format!("content/brieven/2026-10-{:02}-brief-{n}.md", n % 28 + 1),
            &format!(
                "+++\ntitle = \"Brief nummer {n} over de voortgang van de regionale \
                 opgaven\"\ndate = 2026-10-{:02}\nkenmerk = \"2600030{n:03}\"\nafzender = \
                 \"Voorzitter BOSS\"\ndescription = \"Een samenvatting van een regel of twee, \
                 zoals een griffie die bij een brief schrijft voor de raadsleden.\"\n\
                 gemeenten = [\"alle\"]\n+++\n\nTekst.\n",
                n % 28 + 1
            ),
        );
    }
    let (run, path) = mail(&site, "vijftig.eml", &["--since", "2026-10-01"]);
    ok(run);
    let html = Eml::read(&path).html;
    assert_eq!(listed(&Eml::read(&path).text).len(), 50);
    assert!(html.len() < 100_000, "{} bytes", html.len());
}

/// The single file beside `page` (`brieven/x`), from the built output `out`.
fn single(out: &Path, page: &str) -> String {
    let name = page.rsplit('/').next().unwrap();
    std::fs::read_to_string(out.join(page).join(format!("{name}.html")))
        .unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn every_letter_and_opgave_has_a_single_file_that_needs_nothing_else() {
    let built = site().build();
    let out = built.out();
    let page = built.read("brieven/nieuw-alle/index.html");
    assert!(
        page.contains("href=\"nieuw-alle.html\" download>Eén bestand, voor e-mail of SharePoint"),
        "the page links its single file"
    );
    let html = single(&out, "brieven/nieuw-alle");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("--accent: #154273;"));
    assert!(
        html.contains("<img src=\"data:image/svg+xml;base64,"),
        "the image inline"
    );
    assert!(html.contains("alt=\"Schema van de planning\""));
    assert!(
        html.contains("2600020001") && html.contains("Postbus 1"),
        "the letterhead"
    );
    assert!(html.contains("<a href=\"https://raad.example.nl/twente/opgaven/01-wonen/\">"));
    assert!(html.contains("<a href=\"https://www.rijksoverheid.nl/\">"));
    for banned in [
        "<script",
        "<form",
        "<link rel=\"stylesheet\"",
        "Doorsturen",
        "doorsturen.js",
    ] {
        assert!(!html.contains(banned), "{banned}");
    }
    for href in crate::common::attr_values(&html, "href") {
        assert!(
            href.starts_with("https://") || href.starts_with('#'),
            "{href}"
        );
    }
    for src in crate::common::attr_values(&html, "src") {
        assert!(src.starts_with("data:"), "{src}");
    }
    for page in [
        "brieven/almelo",
        "brieven/intern",
        "opgaven/01-wonen",
        "opgaven/02-oud",
    ] {
        single(&out, page);
    }
    assert!(!built.exists("brieven/concept/concept.html"), "no draft");
    assert!(!built.exists("brieven/concept/index.html"));
}

#[test]
fn single_files_follow_the_profile_and_go_without_base_url() {
    let site = site();
    let out = site.root().join("openbaar");
    ok(cli(
        site.root(),
        &[
            "build",
            "--profile",
            "openbaar",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    ));
    let html = single(&out, "brieven/nieuw-alle");
    assert!(
        !html.contains("P. Persoon") && !html.contains("99 88 77 66"),
        "personal fields"
    );
    assert!(
        !out.join("brieven/intern/intern.html").exists(),
        "internal letter"
    );
    let intranet = site.build();
    let html = single(&intranet.out(), "brieven/nieuw-alle");
    assert!(html.contains("P. Persoon"), "the intranet keeps them");

    let toml = crate::common::repo().join("tests/fixtures/mail/site.toml");
    let toml = std::fs::read_to_string(toml).unwrap();
    let without = self::site().with_file(
        "site.toml",
        &toml.replace("base_url = \"https://raad.example.nl/twente/\"\n", ""),
    );
    let built = without.build();
    let html = single(&built.out(), "brieven/nieuw-alle");
    for href in crate::common::attr_values(&html, "href") {
        assert!(
            href.starts_with("https://www.") || href.starts_with('#'),
            "{href}"
        );
    }
    assert!(
        html.contains("het <a") || html.contains("het overzicht"),
        "the text stays"
    );
}

#[test]
fn serve_keeps_single_files_in_step_with_their_page_and_what_they_hold() {
    let site = site();
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    let mut state = raadsite::Incremental::new();
    let mut rebuild = |site: &TestSite| {
        raadsite::build_incremental(&opts, raadsite::Profile::default(), &mut state)
            .unwrap_or_else(|d| panic!("{d}"));
        let full = site.root().join("full");
        raadsite::build(&raadsite::BuildOptions {
            root: site.root().to_path_buf(),
            output: Some(full.clone()),
            ..Default::default()
        })
        .unwrap();
        crate::common::assert_same_output(&site.output(), &full);
        std::fs::remove_dir_all(full).unwrap();
    };
    rebuild(&site);
    // Another letter's text: this letter's single file stays as it was.
    let site = site.with_file(
        "content/brieven/2026-09-21-hof.md",
        "+++\ntitle = \"Brief aan Hof van Twente\"\ndate = 2026-09-21\ngemeenten = \
         [\"hof-van-twente\"]\n+++\n\nAnders.\n",
    );
    rebuild(&site);
    assert!(single(&site.output(), "brieven/nieuw-alle").contains("--accent: #154273;"));
    // The site's own style sheet and a changed image go into every single file that has them.
    let site = site
        .with_file("static/style.css", "body { color: #222; }\n")
        .with_file(
            "content/brieven/schema.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n",
        );
    rebuild(&site);
    let html = single(&site.output(), "brieven/nieuw-alle");
    assert!(
        html.contains("<style>body { color: #222; }"),
        "the new style sheet"
    );
    assert!(!html.contains("--accent: #154273;"));
    assert!(
        html.contains(
            &data_encoding::BASE64.encode(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n"
            )
        )
    );
}
