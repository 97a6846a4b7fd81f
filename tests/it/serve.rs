//! `raadsite serve` as a user runs it: pages over HTTP, nothing outside the output folder,
//! rebuilds after edits, and the last good site while the content is broken.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// The server process; killed when dropped.
struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &TestSite) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("serve ended before it listened")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Serving the site at http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, addr }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

/// A plain HTTP/1.0 GET with the path sent exactly as given.
fn get(addr: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

/// Polls `path` until its body satisfies `ok`.
fn wait_for(addr: &str, path: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let r = get(addr, path);
        if ok(&r) {
            return r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{path} never changed as expected; last reply {}:\n{}",
            r.status,
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const PAGE: &str = "/brieven/eerste-brief/";
const SOURCE: &str = "content/brieven/2026-05-07-eerste-brief.md";

#[test]
fn serves_pages_types_and_nothing_outside_the_output() {
    let site = TestSite::fixture("basic");
    let served = serve(&site);
    let a = &served.addr;
    let home = get(a, "/");
    assert_eq!(home.status, 200);
    assert!(home.head.contains("content-type: text/html; charset=utf-8"));
    assert!(home.body.contains("Testraad") && home.body.contains("/__raadsite/wacht"));
    let page = get(a, PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Eerste brief"));
    let css = get(a, "/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("content-type: text/css"));
    let pdf = get(a, "/bijlagen/overzicht.pdf");
    assert!(pdf.head.contains("content-type: application/pdf"));
    let redirect = get(a, "/brieven/eerste-brief");
    assert_eq!(redirect.status, 301);
    assert!(redirect.head.contains("location: /brieven/eerste-brief/"));

    for bad in [
        "/../site.toml",
        "/../../etc/passwd",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/brieven/..%2f..%2fsite.toml",
        "/..%5csite.toml",
        "/.%2e/.%2e/site.toml",
        "/%252e%252e/site.toml",
        "/nergens/",
    ] {
        let r = get(a, bad);
        assert_eq!(r.status, 404, "{bad}");
        assert!(!r.body.contains("Testraad\"\n"), "{bad}");
        assert!(!r.body.contains("[briefhoofd]"), "{bad}: {}", r.body);
    }
    // The script is added to responses only; the files stay as built.
    let on_disk = std::fs::read_to_string(site.output().join("index.html")).unwrap();
    assert!(!on_disk.contains("__raadsite"));
}

#[test]
fn edits_are_rebuilt_and_errors_keep_the_last_good_site() {
    let site = TestSite::fixture("basic");
    let served = serve(&site);
    let a = &served.addr;
    assert!(get(a, PAGE).body.contains("Eerste brief"));
    let path = site.root().join(SOURCE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("title = \"Eerste brief\"", "title = \"Herziene brief\""),
    )
    .unwrap();
    wait_for(a, PAGE, |r| r.body.contains("Herziene brief"));
    // The list shows the new title too.
    wait_for(a, "/brieven/", |r| r.body.contains("Herziene brief"));

    // Broken front matter: the error is reported to the page, the last good site stays.
    std::fs::write(
        &path,
        text.replace("+++\n\nGeachte", "kenmrk = 1\n+++\n\nGeachte"),
    )
    .unwrap();
    let state = wait_for(a, "/__raadsite/wacht?sinds=0", |r| {
        r.body.contains("kenmrk")
    });
    assert!(state.head.contains("application/json"));
    assert!(
        state.body.contains("2026-05-07-eerste-brief.md"),
        "{}",
        state.body
    );
    let page = get(a, PAGE);
    assert!(page.body.contains("Herziene brief"));
    assert!(
        page.body.contains("kenmrk"),
        "the overlay text comes with the page"
    );

    // Fixed again: the error goes away.
    std::fs::write(&path, &text).unwrap();
    wait_for(a, PAGE, |r| {
        r.body.contains(">Eerste brief<") && !r.body.contains("kenmrk")
    });
}

#[test]
fn a_site_without_theme_folders_is_served_and_gains_templates_while_served() {
    let site = TestSite::bare("basic");
    let served = serve(&site);
    let a = &served.addr;
    assert!(get(a, "/").body.contains("Naar de inhoud"));
    assert_eq!(get(a, "/style.css").status, 200);
    // templates/ did not exist when serving began: its first file is seen, and so are
    // later edits in it.
    let own = |mark: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block main %}}<h1>{mark}</h1>{{% endblock main %}}"
        )
    };
    let path = site.root().join("templates/404.html");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, own("Eigen 404")).unwrap();
    wait_for(a, "/404.html", |r| r.body.contains("<h1>Eigen 404</h1>"));
    std::fs::write(&path, own("Nog eens")).unwrap();
    wait_for(a, "/404.html", |r| r.body.contains("<h1>Nog eens</h1>"));
}

/// After an edit the page comes first, saying its PDF is being made, then again with the
/// link once the PDF is typeset; no version of the page links a stale PDF, and the old PDF
/// is not served at its path meanwhile.
#[cfg(feature = "pdf")]
#[test]
fn an_edited_letter_is_served_before_its_pdf_and_never_links_a_stale_one() {
    const PDF: &str = "/brieven/eerste-brief/2026-05-07-eerste-brief.pdf";
    let edit = |text: &str| text.replace("Geachte colleges,", "Geachte colleges en raden,");
    // What a full build of the edited site publishes.
    let expected = {
        let other = TestSite::fixture("basic");
        let text = std::fs::read_to_string(other.root().join(SOURCE)).unwrap();
        std::fs::write(other.root().join(SOURCE), edit(&text)).unwrap();
        other.try_build().unwrap();
        String::from_utf8_lossy(&std::fs::read(other.output().join(&PDF[1..])).unwrap())
            .into_owned()
    };
    let site = TestSite::fixture("basic");
    let served = serve(&site);
    let a = &served.addr;
    let old = get(a, PDF);
    assert_eq!(old.status, 200);
    assert!(get(a, PAGE).body.contains("Download als PDF"));
    let text = std::fs::read_to_string(site.root().join(SOURCE)).unwrap();
    std::fs::write(site.root().join(SOURCE), edit(&text)).unwrap();

    let (mut pending, start) = (0, Instant::now());
    loop {
        let page = get(a, PAGE);
        if !page.body.contains("en raden") {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "edit never served"
            );
            std::thread::sleep(Duration::from_millis(2));
            continue;
        }
        let pdf = get(a, PDF);
        assert_ne!(
            pdf.body, old.body,
            "the old PDF is never served after the edit"
        );
        if page.body.contains("PDF wordt gemaakt") {
            assert!(!page.body.contains("Download als PDF"), "{}", page.body);
            assert!(pdf.status == 404 || pdf.body == expected);
            pending += 1;
            continue;
        }
        assert!(page.body.contains("Download als PDF"), "{}", page.body);
        assert_eq!(pdf.status, 200);
        assert!(
            pdf.body == expected,
            "the PDF linked is the edited letter's"
        );
        break;
    }
    // A debug build of Typst takes far longer per PDF than these requests.
    assert!(pending > 0, "the page was served before its PDF was made");
}
