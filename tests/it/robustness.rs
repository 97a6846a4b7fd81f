//! Bad input never panics and never passes silently: every case gives a clear message that
//! names the file (and line), with the right exit code, or builds correctly. Also: raw HTML
//! is sanitised, values are escaped, and `raadsite check` reports without writing.

use std::fs;

use crate::common::{TestSite, check};

fn page(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let site = TestSite::fixture("basic");
    fs::write(
        site.root().join("content/info/kapot.md"),
        b"+++\ntitle = \"Kapot\"\n+++\n\nGoed\n\xff\xfe slecht\n",
    )
    .unwrap();
    let err = site.build_err();
    assert!(
        err.contains("error: file is not valid UTF-8\n  --> content/info/kapot.md:6:1"),
        "{err}"
    );
    assert!(
        err.contains("help: save the file with UTF-8 encoding"),
        "{err}"
    );
}

#[test]
fn bom_and_crlf_are_read_as_plain_text() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/windows.md",
            "\u{feff}+++\r\ntitle = \"Uit Windows\"\r\nweight = 2\r\n+++\r\n\r\n## Kop\r\n\r\nRegel een\r\nregel twee.\r\n",
        )
        .build();
    let html = built.read("info/windows/index.html");
    assert!(html.contains("<h1>Uit Windows</h1>"), "{html}");
    assert!(html.contains("<h2 id=\"kop\">Kop</h2>"), "{html}");
    assert!(html.contains("Regel een\nregel twee."), "{html}");
    assert!(!html.contains('\r') && !html.contains('\u{feff}'));
}

#[test]
fn missing_unclosed_and_empty_front_matter() {
    let err = TestSite::fixture("basic")
        .with_file("content/info/geen.md", "Alleen tekst.\n")
        .with_file("content/info/open.md", "+++\ntitle = \"Open\"\n\nTekst\n")
        .with_file("content/info/leeg.md", "")
        .with_file("content/info/spaties.md", "\n  \n")
        .build_err();
    for (file, msg) in [
        ("geen", "file does not start with front matter"),
        ("open", "front matter is not closed"),
        ("leeg", "file is empty"),
        ("spaties", "file is empty"),
    ] {
        assert!(
            err.contains(&format!(
                "error: {msg}\n  --> content/info/{file}.md:1:1\n  help: "
            )),
            "{file}: {err}"
        );
    }
}

#[test]
fn deeply_nested_markdown_does_not_overflow_the_stack() {
    const DEPTH: usize = 10_000;
    let quotes = format!("{}diep citaat\n", "> ".repeat(DEPTH));
    let bullets = format!("{}diep punt\n", "- ".repeat(DEPTH));
    let numbers = format!("{}diep getal\n", "1. ".repeat(DEPTH));
    let mixed = format!("{}gemengd\n", "> - ".repeat(DEPTH / 2));
    let emphasis = format!("{}nadruk{}\n", "*_".repeat(DEPTH), "_*".repeat(DEPTH));
    let html = format!(
        "{}diepe html{}\n",
        "<div>".repeat(DEPTH),
        "</div>".repeat(DEPTH)
    );
    let built = TestSite::fixture("basic")
        .with_file("content/info/citaat.md", &page("title = \"C\"", &quotes))
        .with_file("content/info/punt.md", &page("title = \"P\"", &bullets))
        .with_file("content/info/getal.md", &page("title = \"G\"", &numbers))
        .with_file("content/info/gemengd.md", &page("title = \"M\"", &mixed))
        .with_file("content/info/nadruk.md", &page("title = \"N\"", &emphasis))
        .with_file("content/info/html.md", &page("title = \"H\"", &html))
        .build();
    let out = built.read("info/citaat/index.html");
    assert!(out.matches("<blockquote>").count() >= DEPTH, "quotes lost");
    assert!(out.contains("diep citaat"));
    let out = built.read("info/punt/index.html");
    assert!(out.matches("<ul>").count() >= DEPTH, "lists lost");
    assert!(built.read("info/getal/index.html").contains("diep getal"));
    assert!(built.read("info/gemengd/index.html").contains("gemengd"));
    assert!(built.read("info/nadruk/index.html").contains("nadruk"));
    assert!(built.read("info/html/index.html").contains("diepe html"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_with_its_path_not_a_hang() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink("..", site.root().join("content/info/lus")).unwrap();
    let err = site.build_err();
    assert!(
        err.contains("error: symbolic link loop; the link is skipped\n  --> content/info/lus"),
        "{err}"
    );
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("geheim.txt"), "niet publiceren").unwrap();
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/info/buiten")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("geheim.txt"),
        site.root().join("content/info/geheim.txt"),
    )
    .unwrap();
    // A link inside the site is fine.
    std::os::unix::fs::symlink("over.md", site.root().join("content/info/ook-over.md")).unwrap();
    let err = site.build_err();
    for name in ["buiten", "geheim.txt"] {
        assert!(
            err.contains(&format!(
                "--> content/info/{name}\n  help: copy the file into the site"
            )),
            "{name}: {err}"
        );
    }
    assert!(
        err.contains("outside the site folder; it is skipped"),
        "{err}"
    );
    assert!(!err.contains("ook-over"), "{err}");
    assert!(!site.output().exists());
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_io_errors_naming_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::fixture("basic").with_file(
        "content/info/geheim.md",
        &page("title = \"Geheim\"", "Tekst"),
    );
    let path = site.root().join("content/info/geheim.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, so there is nothing to test.
        eprintln!("skipped: files with mode 000 are readable by this user");
        return;
    }
    let err = site.build_err();
    assert!(
        err.contains("could not read: Permission denied") && err.contains("content/info/geheim.md"),
        "{err}"
    );
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    // An attachment that cannot be read is found by check too, before any build copies it.
    let pdf = site.root().join("content/brieven/plan.pdf");
    fs::set_permissions(&pdf, fs::Permissions::from_mode(0o000)).unwrap();
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("could not read: Permission denied")
            && stderr.contains("--> content/brieven/plan.pdf"),
        "{stderr}"
    );
    fs::set_permissions(&pdf, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn other_files_in_content_are_published_next_to_their_page() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/kaart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .with_file(
            "content/info/data/cijfers.csv",
            "gemeente;aantal\nAlmelo;1\n",
        )
        .with_file(
            "content/info/over.md",
            &page(
                "title = \"Over\"",
                "![De kaart](kaart.svg) en [de cijfers](data/cijfers.csv).",
            ),
        )
        .build();
    assert_eq!(
        fs::read_to_string(built.out().join("info/data/cijfers.csv")).unwrap(),
        "gemeente;aantal\nAlmelo;1\n"
    );
    assert!(built.exists("info/kaart.svg"));
    built
        .assert_contains("info/over/index.html", "src=\"../../info/kaart.svg\"")
        .assert_contains(
            "info/over/index.html",
            "href=\"../../info/data/cijfers.csv\"",
        );
}

#[test]
fn file_names_with_spaces_accents_and_capitals() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/info/Notitie Één Twee.md",
            &page("title = \"Notitie\"", "## Kop"),
        )
        .with_file("content/info/Bijlage Één.pdf", "%PDF-1.4")
        .with_file(
            "content/Mijn Map/Pagina.md",
            &page("title = \"In map\"", ""),
        )
        .with_file(
            "content/info/over.md",
            &page(
                "title = \"Over\"",
                "[a](Notitie%20%C3%89%C3%A9n%20Twee.md#kop), [b](<Notitie Één Twee.md>), \
                 [c](Bijlage%20%C3%89%C3%A9n.pdf), [d](../Mijn%20Map/Pagina.md)",
            ),
        )
        .build();
    assert!(built.exists("info/notitie-een-twee/index.html"));
    assert!(built.exists("mijn-map/pagina/index.html"));
    assert!(built.exists("mijn-map/index.html"));
    assert!(built.exists("info/Bijlage Één.pdf"));
    let html = built.read("info/over/index.html");
    assert!(
        html.contains("href=\"../../info/notitie-een-twee/index.html#kop\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../info/notitie-een-twee/index.html\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../info/Bijlage%20%C3%89%C3%A9n.pdf\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../mijn-map/pagina/index.html\""),
        "{html}"
    );
    let (_, broken) = crate::common::crawl(&built.out());
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn slugs_attachments_and_links_cannot_leave_the_output_folder() {
    let site = TestSite::fixture("basic")
        .with_file(
            "content/info/slug.md",
            &page("title = \"S\"\nslug = \"../../etc/passwd\"", ""),
        )
        .with_file(
            "content/info/absoluut.md",
            &page("title = \"A\"\nslug = \"/etc/passwd\"", ""),
        )
        .with_file(
            "content/brieven/2026-01-01-uit.md",
            &page(
                "title = \"Uit\"\ndate = 2026-01-01\nbijlagen = [\n  { titel = \"a\", bestand = \"../../etc/passwd\" },\n  { titel = \"b\", bestand = \"/etc/passwd\" },\n]",
                "",
            ),
        );
    let err = site.build_err();
    assert!(
        err.contains("slug \"../../etc/passwd\" may only hold letters, digits, - and _\n  --> content/info/slug.md:3:1"),
        "{err}"
    );
    assert!(
        err.contains("slug \"/etc/passwd\" may only hold letters, digits, - and _\n  --> content/info/absoluut.md:3:1"),
        "{err}"
    );
    assert!(
        err.contains("bijlage \"../../etc/passwd\" points outside the site\n  --> content/brieven/2026-01-01-uit.md:5:18"),
        "{err}"
    );
    assert!(
        err.contains("bijlage \"/etc/passwd\" must be a file name relative to the letter"),
        "{err}"
    );
    assert!(!site.output().exists());
    // Links are checked once the site resolves.
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/link.md",
            &page("title = \"L\"", "\n[c](../../../etc/passwd)"),
        )
        .build_err();
    assert!(
        err.contains(
            "link \"../../../etc/passwd\" points outside content/\n  --> content/info/link.md:5:1"
        ),
        "{err}"
    );
}

#[test]
fn two_sections_claiming_one_url() {
    let err = TestSite::fixture("basic")
        .with_file("content/Info/andere.md", &page("title = \"Andere\"", ""))
        .build_err();
    assert!(
        err.contains(
            "two sources claim the output path info/index.html: content/Info/ and content/info/"
        ),
        "{err}"
    );
    assert!(err.contains("help: rename one of the folders"), "{err}");
}

#[test]
fn raw_html_is_sanitised_and_links_still_rewritten() {
    let body = "<script>alert('x')</script>\n\n\
        <p onclick=\"steel()\" lang=\"en\">Hello <span lang=\"fy\">Goeie</span> \
        <abbr title=\"Nationaal Programma Vitale Regio's\">NPVR</abbr></p>\n\n\
        <iframe src=\"https://example.org/\"></iframe>\n\n\
        Tekst met <a href=\"javascript:alert(1)\">een link</a>, <img src=\"x.png\" onerror=\"steel()\" alt=\"plaatje\"> \
        en [opgave 1](/opgaven/01-eerste.md).\n\n\
        <div lang=\"de\" style=\"position:fixed\">Guten Tag</div>\n\n\
        | a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] klaar\n\nVoetnoot[^n].\n\n[^n]: Uitleg.\n";
    let built = TestSite::fixture("basic")
        .with_file("content/info/html.md", &page("title = \"HTML\"", body))
        .build();
    let html = built.read("info/html/index.html");
    let main = &html[html.find("<main").unwrap()..];
    for bad in [
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "javascript:",
        "<iframe",
        "position:fixed",
    ] {
        assert!(!main.contains(bad), "{bad} survived:\n{main}");
    }
    for good in [
        "<p lang=\"en\">Hello <span lang=\"fy\">Goeie</span>",
        "<abbr title=\"Nationaal Programma Vitale Regio's\">NPVR</abbr>",
        "<div lang=\"de\">Guten Tag</div>",
        "href=\"../../opgaven/01-eerste/index.html\"",
        "alt=\"plaatje\"",
        "<th style=\"text-align:center\">a</th>",
        "type=\"checkbox\"",
        "class=\"footnote-definition\" id=\"n\"",
        "href=\"#n\"",
    ] {
        assert!(main.contains(good), "{good} lost:\n{main}");
    }
    // Pages without raw HTML keep the renderer's own output.
    built.assert_contains(
        "brieven/eerste-brief/index.html",
        "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
    );
}

#[test]
fn markdown_links_with_script_schemes_are_errors() {
    let err = TestSite::fixture("basic")
        .with_file(
            "content/info/links.md",
            &page(
                "title = \"L\"",
                "\n[a](javascript:alert(1))\n[b](<JavaScript:alert(1)>) ![c](data:text/html;base64,PHNjcmlwdD4=)\n\
                 [d](vbscript:x) [ok](mailto:griffie@example.nl) [ok](tel:14053) [ok](https://example.org)\n",
            ),
        )
        .build_err();
    for (link, line, scheme) in [
        ("javascript:alert(1)", 5, "javascript"),
        ("JavaScript:alert(1)", 6, "javascript"),
        ("data:text/html;base64,PHNjcmlwdD4=", 6, "data"),
        ("vbscript:x", 7, "vbscript"),
    ] {
        assert!(
            err.contains(&format!(
                "error: link \"{link}\" uses the scheme {scheme}:, which is not allowed\n  --> content/info/links.md:{line}:"
            )),
            "{link}: {err}"
        );
    }
    assert!(err.contains("build failed with 4 errors"), "{err}");
}

#[test]
fn raw_html_can_be_trusted_in_site_toml() {
    let site = TestSite::fixture("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let built = site
        .with_file(
            "site.toml",
            &format!("{toml}\n[markdown]\nallow_raw_html = true\n"),
        )
        .with_file(
            "content/info/html.md",
            &page(
                "title = \"HTML\"",
                "<div onclick=\"vertrouwd()\">ok</div>\n\n<script>vertrouwd()</script>\n",
            ),
        )
        .build();
    built
        .assert_contains(
            "info/html/index.html",
            "<div onclick=\"vertrouwd()\">ok</div>",
        )
        .assert_contains("info/html/index.html", "<script>vertrouwd()</script>");
}

#[test]
fn titles_and_front_matter_values_are_escaped() {
    let built = TestSite::fixture("basic")
        .with_file(
            "content/brieven/2026-02-02-xss.md",
            &page(
                "title = \"<script>alert('titel')</script>\"\ndate = 2026-02-02\nslug = \"xss\"\n\
                 kenmerk = \"<script>alert('kenmerk')</script>\"\nafzender = \"<img src=x onerror=alert(1)>\"\n\
                 tags = [\"<b>vet</b>\"]",
                "Tekst.",
            ),
        )
        .build();
    for file in [
        "brieven/xss/index.html",
        "brieven/index.html",
        "index.html",
        "tags/b-vet-b/index.html",
    ] {
        let html = built.read(file);
        assert!(!html.contains("<script>alert"), "{file}:\n{html}");
        assert!(!html.contains("<img src=x"), "{file}:\n{html}");
    }
    built
        .assert_contains("brieven/xss/index.html", "&lt;script&gt;alert(")
        .assert_contains(
            "brieven/xss/index.html",
            "&lt;img src=x onerror=alert(1)&gt;",
        );
}

#[test]
fn check_reports_without_writing_and_exits_by_kind_of_problem() {
    let site = TestSite::fixture("basic");
    let (code, stdout, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("Checked ") && stdout.contains("no problems"),
        "{stdout}"
    );
    assert!(!site.output().exists(), "check wrote output");

    let site = site
        .with_file(
            "content/brieven/2026-01-01-x.md",
            &page("title = \"X\"\ndate = 2026-01-01\nkenmrk = \"1\"", ""),
        )
        .with_file(
            "content/info/link.md",
            &page("title = \"L\"", "\n[weg](weg.md)"),
        );
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error: unknown key \"kenmrk\" in front matter\n  --> content/brieven/2026-01-01-x.md:4:1\n   |\n 4 | kenmrk = \"1\"\n   | ^^^^^^\n   = help: did you mean \"kenmerk\"?"),
        "{stderr}"
    );
    assert!(!site.output().exists(), "check wrote output");

    let (code, stdout, _) = check(site.root(), &["--format", "json"]);
    assert_eq!(code, Some(1));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        serde_json::json!({
            "file": "content/brieven/2026-01-01-x.md",
            "line": 4,
            "column": 1,
            "severity": "error",
            "message": "unknown key \"kenmrk\" in front matter",
            "help": "did you mean \"kenmerk\"?",
            "source_line": "kenmrk = \"1\"",
            "end_column": 7,
        })
    );
    assert_eq!(lines[1]["file"], "content/info/link.md");
    assert_eq!(lines[1]["line"], 5);
    assert_eq!(lines[1]["message"], "link to a missing file \"weg.md\"");
    assert_eq!(lines[1]["source_line"], serde_json::Value::Null);

    let (code, _, stderr) = check(&site.root().join("bestaat-niet"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    fs::remove_file(site.root().join("site.toml")).unwrap();
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = check(site.root(), &["--format", "xml"]);
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn check_reports_template_errors_with_template_and_cause() {
    let site = TestSite::fixture("basic").with_file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.brief.kenmerk | nergens }}{% endblock main %}",
    );
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("--> templates/brief.html:1:"), "{stderr}");
    assert!(stderr.contains("Unknown filter `nergens`"), "{stderr}");

    // A rendering error (not a syntax error) points into the template too.
    let site = site.with_file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}\n<p>\n{{ page.brief.kenmerk.x.y }}</p>{% endblock main %}",
    );
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error: template \"brief.html\" failed:"),
        "{stderr}"
    );
    assert!(stderr.contains("--> templates/brief.html:3:"), "{stderr}");
}
