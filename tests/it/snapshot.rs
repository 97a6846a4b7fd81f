//! Snapshots from the command line: create, list, verify, diff, export, and publishing with
//! `build`, on the fixture site in a temporary folder.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Run, TestSite, fails, ok};
use raadsite::snapshot::Manifest;
use raadsite::snapshot::store::sha256_hex;

/// 2026-05-07T09:30:00Z
const MAY_7: &str = "1778146200";
/// 2026-06-01T12:00:00Z
const JUNE_1: &str = "1780315200";

fn run_at(root: &Path, epoch: &str, args: &[&str]) -> Run {
    crate::common::cli(root, args, &[("SOURCE_DATE_EPOCH", epoch)])
}

fn run(site: &TestSite, args: &[&str]) -> Run {
    run_at(site.root(), MAY_7, args)
}

fn store(site: &TestSite) -> PathBuf {
    site.root().join("snapshots")
}

fn manifest(site: &TestSite, label: &str) -> Manifest {
    let path = store(site).join("versions").join(format!("{label}.json"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn object(site: &TestSite, sha: &str) -> PathBuf {
    store(site).join("objects").join(&sha[..2]).join(&sha[2..])
}

fn entry<'a>(m: &'a Manifest, path: &str) -> &'a raadsite::snapshot::FileEntry {
    m.files.iter().find(|f| f.path == path).unwrap()
}

const NEW_LETTER: &str = "+++\ntitle = \"Derde brief over het vervolg\"\ndate = 2026-06-01\n\
                          kenmerk = \"0099\"\ngemeenten = [\"alle\"]\n+++\n\n\
                          Een nieuwe alinea over het vervolg.\n";

/// Two snapshots of the fixture: `v1` on 7 May, `v2` with one more letter and an edited one.
fn two_versions() -> TestSite {
    let site = TestSite::fixture("basic");
    ok(run(
        &site,
        &["snapshot", "create", "v1", "--note", "Eerste versie"],
    ));
    let tweede = site
        .root()
        .join("content/brieven/2026-06-01-tweede-brief.md");
    let text = fs::read_to_string(&tweede)
        .unwrap()
        .replace("Alleen aan Almelo.", "Alleen aan de gemeente Almelo.");
    fs::write(&tweede, text).unwrap();
    let site = site.with_file("content/brieven/2026-06-02-derde-brief.md", NEW_LETTER);
    ok(run_at(
        site.root(),
        JUNE_1,
        &["snapshot", "create", "v2", "--note", "Met de derde brief"],
    ));
    site
}

#[test]
fn create_freezes_the_built_site_with_a_manifest() {
    let site = TestSite::fixture("basic");
    // A plain build made before the snapshot: afterwards, the letter pages list it.
    let out = tempfile::tempdir().unwrap();
    raadsite::build(&raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(out.path().join("site")),
        ..Default::default()
    })
    .unwrap();
    let r = ok(run(
        &site,
        &["snapshot", "create", "2026-05-07", "--note", "Aan de raad"],
    ));
    assert!(
        r.stdout.contains("Created snapshot 2026-05-07"),
        "{}",
        r.stdout
    );
    let m = manifest(&site, "2026-05-07");
    assert_eq!(m.label, "2026-05-07");
    assert_eq!(m.note, "Aan de raad");
    assert_eq!(m.created, "2026-05-07T09:30:00Z");
    assert_eq!(m.raadsite_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(m.sources_sha256.len(), 64);

    // The frozen files are exactly those of a plain build, byte for byte.
    let built: Vec<String> = crate::common::output_files(&out.path().join("site"))
        .into_iter()
        .filter(|p| !p.starts_with("archief/"))
        .collect();
    let frozen: Vec<String> = m.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(built, frozen);
    for f in &m.files {
        let bytes = fs::read(out.path().join("site").join(&f.path)).unwrap();
        assert_eq!(sha256_hex(&bytes), f.sha256, "{}", f.path);
        assert_eq!(bytes.len() as u64, f.size);
        assert_eq!(fs::read(object(&site, &f.sha256)).unwrap(), bytes);
    }
    assert_eq!(
        entry(&m, "brieven/eerste-brief/index.html")
            .title
            .as_deref(),
        Some("Eerste brief")
    );
    // A PDF attachment is frozen too, without a title.
    assert!(
        m.files
            .iter()
            .any(|f| f.path.ends_with(".pdf") && f.title.is_none())
    );
}

#[test]
fn sources_hash_follows_the_sources() {
    let site = TestSite::fixture("basic");
    ok(run(&site, &["snapshot", "create", "a"]));
    ok(run(&site, &["snapshot", "create", "b"]));
    let site = site.with_file(
        "content/info/over.md",
        "+++\ntitle = \"Over ons\"\n+++\nAnders.\n",
    );
    ok(run(&site, &["snapshot", "create", "c"]));
    let (a, b, c) = (
        manifest(&site, "a"),
        manifest(&site, "b"),
        manifest(&site, "c"),
    );
    assert_eq!(a.sources_sha256, b.sources_sha256);
    assert_ne!(a.sources_sha256, c.sources_sha256);
}

#[test]
fn unchanged_files_are_stored_once() {
    let site = two_versions();
    let (v1, v2) = (manifest(&site, "v1"), manifest(&site, "v2"));
    // Both renditions of both versions.
    let objects: BTreeSet<&str> = v1
        .all_files()
        .chain(v2.all_files())
        .map(|f| f.sha256.as_str())
        .collect();
    let stored = crate::common::output_files(&store(&site).join("objects"));
    assert_eq!(stored.len(), objects.len());
    assert!(stored.len() < v1.files.len() + v2.files.len());
    // A page that did not change is one object shared by both versions.
    let same = entry(&v1, "brieven/eerste-brief/index.html");
    assert_eq!(
        same.sha256,
        entry(&v2, "brieven/eerste-brief/index.html").sha256
    );
}

#[test]
fn duplicate_and_unsafe_labels_are_refused() {
    let site = TestSite::fixture("basic");
    ok(run(&site, &["snapshot", "create", "v1", "--note", "eerst"]));
    let before = fs::read(store(&site).join("versions/v1.json")).unwrap();
    let r = fails(run_at(
        site.root(),
        JUNE_1,
        &["snapshot", "create", "v1", "--note", "later"],
    ));
    assert!(
        r.stderr
            .contains("a snapshot labelled \"v1\" already exists"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read(store(&site).join("versions/v1.json")).unwrap(),
        before
    );
    for bad in ["../uit", "a/b", ".verborgen", "met spatie", ""] {
        let r = fails(run(&site, &["snapshot", "create", bad]));
        assert!(
            r.stderr
                .contains(&format!("unusable snapshot label \"{bad}\"")),
            "{bad}: {}",
            r.stderr
        );
    }
    assert_eq!(
        crate::common::output_files(&store(&site).join("versions")),
        vec!["v1.json"]
    );
}

#[test]
fn a_failed_create_leaves_nothing_behind() {
    let site = TestSite::fixture("basic").with_file(
        "content/brieven/2026-08-01-kapot.md",
        "+++\ntitle = \n+++\n",
    );
    let r = fails(run(&site, &["snapshot", "create", "v1"]));
    assert!(r.stderr.contains("2026-08-01-kapot.md"), "{}", r.stderr);
    assert!(!store(&site).join("versions/v1.json").exists());
    assert!(!store(&site).join("objects").exists());
    let r = ok(run(&site, &["snapshot", "list"]));
    assert!(r.stdout.contains("No snapshots"), "{}", r.stdout);
}

#[test]
fn an_interrupted_create_leaves_no_snapshot() {
    // A create killed after storing objects but before its manifest was linked into place
    // leaves complete objects and at most a temporary manifest: no snapshot, nothing broken.
    let site = TestSite::fixture("basic");
    ok(run(&site, &["snapshot", "create", "v1"]));
    let versions = store(&site).join("versions");
    fs::write(versions.join(".v2.json.tmp-99999"), "{\"format\": 1, \"lab").unwrap();
    let orphan = b"an object written by a create that was killed";
    let sha = sha256_hex(orphan);
    fs::create_dir_all(object(&site, &sha).parent().unwrap()).unwrap();
    fs::write(object(&site, &sha), orphan).unwrap();

    let r = ok(run(&site, &["snapshot", "list"]));
    assert!(
        r.stdout.contains("v1") && !r.stdout.contains("v2"),
        "{}",
        r.stdout
    );
    let r = ok(run(&site, &["snapshot", "verify"]));
    assert!(
        r.stdout
            .contains("to no snapshot (left by an interrupted create"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("all intact"), "{}", r.stdout);
    ok(run(&site, &["snapshot", "create", "v2"]));
    ok(run(&site, &["snapshot", "verify", "v2"]));
}

#[test]
fn killing_a_create_leaves_no_snapshot() {
    // Kill the process at once and again a little later; whatever it got to, either the
    // snapshot is complete and verifies, or it does not exist.
    let site = TestSite::fixture("basic");
    for delay_ms in [0, 5, 20] {
        let label = format!("k{delay_ms}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_raadsite"))
            .args(["snapshot", "create", &label, "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let committed = store(&site).join("versions").join(format!("{label}.json"));
        if committed.exists() {
            ok(run(&site, &["snapshot", "verify", &label]));
        }
    }
    ok(run(&site, &["snapshot", "verify"]));
}

#[test]
fn list_shows_label_date_note_pages_and_size() {
    let site = two_versions();
    let r = ok(run(&site, &["snapshot", "list"]));
    let lines: Vec<&str> = r.stdout.lines().collect();
    let v1 = lines.iter().find(|l| l.starts_with("v1 ")).unwrap();
    let v2 = lines.iter().find(|l| l.starts_with("v2 ")).unwrap();
    let m1 = manifest(&site, "v1");
    assert!(
        v1.contains("2026-05-07T09:30:00Z") && v1.contains("Eerste versie"),
        "{v1}"
    );
    assert!(v1.contains(&format!(" {} ", m1.pages())), "{v1}");
    assert!(
        v2.contains("2026-06-01T12:00:00Z") && v2.contains("Met de derde brief"),
        "{v2}"
    );
    assert!(r.stdout.contains("2 snapshots"), "{}", r.stdout);
}

#[test]
fn verify_names_tampered_missing_and_extra_files() {
    let site = two_versions();
    ok(run(&site, &["snapshot", "verify"]));
    let v2 = manifest(&site, "v2");

    // One byte changed in a page that only v2 has.
    let page = entry(&v2, "brieven/derde-brief/index.html");
    let path = object(&site, &page.sha256);
    let mut bytes = fs::read(&path).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x20;
    fs::write(&path, &bytes).unwrap();
    let r = fails(run(&site, &["snapshot", "verify"]));
    assert!(
        r.stderr
            .contains("v2: brieven/derde-brief/index.html: changed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("same size, different bytes"),
        "{}",
        r.stderr
    );
    // v1 does not have that page and is intact.
    ok(run(&site, &["snapshot", "verify", "v1"]));
    fails(run(&site, &["snapshot", "verify", "v2"]));

    // One byte added.
    bytes[i] ^= 0x20;
    bytes.push(b'\n');
    fs::write(&path, &bytes).unwrap();
    let r = fails(run(&site, &["snapshot", "verify", "v2"]));
    assert!(r.stderr.contains("1 extra bytes"), "{}", r.stderr);
    bytes.pop();
    fs::write(&path, &bytes).unwrap();
    ok(run(&site, &["snapshot", "verify"]));

    // A missing object is reported for every snapshot that has the file.
    let shared = entry(&v2, "brieven/eerste-brief/index.html");
    fs::remove_file(object(&site, &shared.sha256)).unwrap();
    let r = fails(run(&site, &["snapshot", "verify"]));
    for label in ["v1", "v2"] {
        assert!(
            r.stderr.contains(&format!(
                "{label}: brieven/eerste-brief/index.html: missing"
            )),
            "{}",
            r.stderr
        );
    }
    fs::write(object(&site, &shared.sha256), b"").unwrap();
    let r = fails(run(&site, &["snapshot", "verify"]));
    assert!(r.stderr.contains("bytes missing"), "{}", r.stderr);
}

#[test]
fn verify_names_a_manifest_hash_that_is_not_a_hash_without_panicking() {
    let site = two_versions();
    let path = store(&site).join("versions/v2.json");
    let text = fs::read_to_string(&path).unwrap();
    let v2 = manifest(&site, "v2");
    let sha = &entry(&v2, "brieven/derde-brief/index.html").sha256;
    // Not ASCII: a split at byte 2 would fall inside the euro sign.
    fs::write(&path, text.replace(sha.as_str(), "€ab")).unwrap();
    let r = fails(run(&site, &["snapshot", "verify"]));
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no valid SHA-256 (\"€ab\")"),
        "{}",
        r.stderr
    );
    let out = site.root().join("uit/v2.zip");
    let r = run(
        &site,
        &[
            "snapshot",
            "export",
            "v2",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn verify_reports_extra_files_in_the_store() {
    let site = two_versions();
    fs::create_dir_all(store(&site).join("objects/ab")).unwrap();
    fs::write(
        store(&site).join("objects/ab/extra.html"),
        "<p>er bij gezet</p>",
    )
    .unwrap();
    fs::write(store(&site).join("versions/notitie.txt"), "los bestand").unwrap();
    let fake = "0".repeat(64);
    fs::create_dir_all(object(&site, &fake).parent().unwrap()).unwrap();
    fs::write(object(&site, &fake), "klopt niet met de naam").unwrap();
    let r = fails(run(&site, &["snapshot", "verify"]));
    for needle in [
        "objects/ab/extra.html: extra file",
        "versions/notitie.txt: extra file",
        &format!("objects/00/{}: extra file", &fake[2..]),
    ] {
        assert!(r.stderr.contains(needle), "{needle}:\n{}", r.stderr);
    }
}

#[test]
fn diff_lists_documents_by_title_with_changed_text() {
    let site = two_versions();
    let r = ok(run(&site, &["snapshot", "diff", "v1", "v2"]));
    let out = &r.stdout;
    assert!(
        out.contains("added:   Derde brief over het vervolg (brieven/derde-brief/index.html)"),
        "{out}"
    );
    assert!(
        out.contains("changed: Tweede brief (brieven/tweede-brief/index.html)"),
        "{out}"
    );
    assert!(out.contains("    - Alleen aan Almelo."), "{out}");
    assert!(
        out.contains("    + Alleen aan de gemeente Almelo."),
        "{out}"
    );
    assert!(!out.contains("changed: Eerste brief"), "{out}");
    // And back: the new letter is removed.
    let r = ok(run(&site, &["snapshot", "diff", "v2", "v1"]));
    assert!(
        r.stdout.contains("removed: Derde brief over het vervolg"),
        "{}",
        r.stdout
    );
    let r = ok(run(&site, &["snapshot", "diff", "v1", "v1"]));
    assert!(r.stdout.contains("identical"), "{}", r.stdout);
    let r = fails(run(&site, &["snapshot", "diff", "v1", "v3"]));
    assert!(
        r.stderr.contains("no snapshot labelled \"v3\""),
        "{}",
        r.stderr
    );
}

#[test]
fn zip_export_holds_the_frozen_site() {
    let site = two_versions();
    let file = site.root().join("uit/v2.zip");
    let r = ok(run(
        &site,
        &[
            "snapshot",
            "export",
            "v2",
            "--format",
            "zip",
            "--output",
            file.to_str().unwrap(),
        ],
    ));
    assert!(r.stdout.contains("Exported snapshot v2"), "{}", r.stdout);
    let m = manifest(&site, "v2");
    let mut zip = zip::ZipArchive::new(fs::File::open(&file).unwrap()).unwrap();
    assert_eq!(zip.len(), m.files.len());
    let unpacked = tempfile::tempdir().unwrap();
    for f in &m.files {
        let mut bytes = Vec::new();
        zip.by_name(&f.path)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(sha256_hex(&bytes), f.sha256, "{}", f.path);
        let to = unpacked.path().join(&f.path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(to, bytes).unwrap();
    }
    assert!(zip.by_name("index.html").is_ok());
    // Unpacked, the site browses offline: every link from index.html leads to a file.
    let (pages, broken) = crate::common::crawl(unpacked.path());
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(pages.contains(&"brieven/derde-brief/index.html".to_owned()));
    // Exporting again gives the same bytes.
    let again = site.root().join("uit/again.zip");
    ok(run(
        &site,
        &[
            "snapshot",
            "export",
            "v2",
            "--format",
            "zip",
            "--output",
            again.to_str().unwrap(),
        ],
    ));
    assert_eq!(fs::read(&file).unwrap(), fs::read(&again).unwrap());
}

/// One record of a WARC file.
struct Record {
    headers: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Record {
    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads WARC 1.1 records, checking the framing: version line, headers, blank line, exactly
/// Content-Length bytes of block, then CRLF CRLF.
fn read_warc(bytes: &[u8]) -> Vec<Record> {
    let mut records = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        let head = std::str::from_utf8(&rest[..end]).unwrap();
        let mut lines = head.split("\r\n");
        assert_eq!(lines.next(), Some("WARC/1.1"));
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (k, v) = l.split_once(": ").expect("header line");
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "Content-Length")
            .unwrap()
            .1
            .parse()
            .unwrap();
        let start = end + 4;
        let block = rest[start..start + len].to_vec();
        assert_eq!(&rest[start + len..start + len + 4], b"\r\n\r\n");
        rest = &rest[start + len + 4..];
        records.push(Record { headers, block });
    }
    records
}

#[test]
fn warc_export_has_a_response_and_a_request_record_per_file() {
    let site = two_versions();
    let file = export_warc(&site, "v1");
    let m = manifest(&site, "v1");
    let records = read_warc(&fs::read(&file).unwrap());
    assert_eq!(records[0].get("WARC-Type"), Some("warcinfo"));
    assert!(String::from_utf8_lossy(&records[0].block).contains("description: Eerste versie"));
    let responses: Vec<&Record> = records
        .iter()
        .filter(|r| r.get("WARC-Type") == Some("response"))
        .collect();
    assert_eq!(responses.len(), m.files.len());
    let of = |t: &str| -> Vec<&Record> {
        records
            .iter()
            .filter(|r| r.get("WARC-Type") == Some(t))
            .collect()
    };
    let (requests, revisits) = (of("request"), of("revisit"));
    let pages = m.files.iter().filter(|f| f.path.ends_with("index.html"));
    assert_eq!(requests.len(), m.files.len());
    assert_eq!(revisits.len(), pages.count());
    assert_eq!(
        records.len(),
        1 + responses.len() + requests.len() + revisits.len()
    );
    // Each request goes with its response, and asks for the file's own path.
    for (req, resp) in requests.iter().zip(&responses) {
        assert_eq!(
            req.get("WARC-Concurrent-To"),
            resp.get("WARC-Record-ID"),
            "{:?}",
            req.get("WARC-Target-URI")
        );
        assert_eq!(req.get("WARC-Target-URI"), resp.get("WARC-Target-URI"));
        let path = resp.get("WARC-Target-URI").unwrap();
        let path = path.strip_prefix("https://raadsite.invalid").unwrap();
        let head = String::from_utf8_lossy(&req.block);
        assert!(
            head.starts_with(&format!(
                "GET {path} HTTP/1.1\r\nHost: raadsite.invalid\r\n"
            )),
            "{head}"
        );
        assert_eq!(
            req.get("WARC-Block-Digest").unwrap(),
            sha2_base32(&req.block)
        );
    }
    // A page's folder URL answers with the page.
    let home = revisits
        .iter()
        .find(|r| r.get("WARC-Target-URI") == Some("https://raadsite.invalid/"))
        .expect("a revisit record for the home page's folder URL");
    assert_eq!(
        home.get("WARC-Refers-To-Target-URI"),
        Some("https://raadsite.invalid/index.html")
    );
    let mut ids = BTreeSet::new();
    for (r, f) in responses.iter().zip(&m.files) {
        let id = r.get("WARC-Record-ID").unwrap();
        assert!(
            id.starts_with("<urn:uuid:") && id.ends_with('>') && id.len() == 47,
            "{id}"
        );
        assert!(ids.insert(id.to_owned()));
        assert_eq!(r.get("WARC-Date"), Some("2026-05-07T09:30:00Z"));
        // The fixture has no base_url: the documented placeholder.
        assert_eq!(
            r.get("WARC-Target-URI").unwrap(),
            format!("https://raadsite.invalid/{}", f.path)
        );
        assert_eq!(
            r.get("Content-Type"),
            Some("application/http;msgtype=response")
        );
        let block_digest = sha2_base32(&r.block);
        assert_eq!(r.get("WARC-Block-Digest").unwrap(), block_digest);
        let split = r.block.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let http = std::str::from_utf8(&r.block[..split]).unwrap();
        let payload = &r.block[split + 4..];
        assert!(http.starts_with("HTTP/1.1 200 OK\r\n"), "{http}");
        assert!(
            http.contains(&format!("Content-Length: {}", f.size)),
            "{http}"
        );
        if f.path.ends_with(".html") {
            assert!(
                http.contains("Content-Type: text/html; charset=utf-8"),
                "{http}"
            );
        }
        assert_eq!(sha256_hex(payload), f.sha256);
        assert_eq!(r.get("WARC-Payload-Digest").unwrap(), sha2_base32(payload));
    }
}

/// Exports snapshot `version` as WARC next to the site; returns the file.
fn export_warc(site: &TestSite, version: &str) -> std::path::PathBuf {
    let file = site.root().join(format!("{version}.warc"));
    ok(run(
        site,
        &[
            "snapshot",
            "export",
            version,
            "--format",
            "warc",
            "--output",
            file.to_str().unwrap(),
        ],
    ));
    file
}

fn sha2_base32(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!(
        "sha256:{}",
        data_encoding::BASE32.encode(&sha2::Sha256::digest(bytes))
    )
}

#[test]
fn warc_target_uris_use_the_base_url() {
    let site = TestSite::fixture("basic").with_base_url("https://raad.example.nl/twente");
    ok(run(&site, &["snapshot", "create", "v1"]));
    let file = export_warc(&site, "v1");
    let records = read_warc(&fs::read(&file).unwrap());
    assert!(
        records
            .iter()
            .any(|r| r.get("WARC-Target-URI") == Some("https://raad.example.nl/twente/index.html"))
    );
}

#[test]
fn build_publishes_snapshots_under_archief() {
    let site = two_versions();
    let built = site.build();
    let out = built.out();
    built
        .assert_contains("archief/index.html", "Eerste versie")
        .assert_contains("archief/index.html", "Met de derde brief")
        .assert_contains("archief/index.html", "href=\"v1/index.html\"")
        .assert_contains("archief/index.html", "href=\"diff-v1-v2/index.html\"")
        .assert_contains(
            "archief/diff-v1-v2/index.html",
            "Derde brief over het vervolg",
        )
        .assert_contains(
            "archief/diff-v1-v2/index.html",
            "<li>Alleen aan <ins><span class=\"vh\">toegevoegd: </span>de gemeente </ins>Almelo. Een link",
        )
        .assert_order("archief/index.html", "v2/index.html", "v1/index.html");
    // Every archived file is the frozen one; pages differ only by the banner block.
    for label in ["v1", "v2"] {
        let m = manifest(&built.site, label);
        let date = if label == "v1" {
            "7 mei 2026"
        } else {
            "1 juni 2026"
        };
        for f in &m.files {
            let published = fs::read(out.join("archief").join(label).join(&f.path)).unwrap();
            if f.path.ends_with(".html") {
                let text = String::from_utf8_lossy(&published);
                assert!(
                    text.contains(&format!("Dit is de versie van {date} - <a href=")),
                    "{label}/{}",
                    f.path
                );
                assert!(text.contains(">bekijk de actuele versie</a>"));
                let frozen = raadsite::snapshot::publish::unbanner(&published);
                assert_eq!(sha256_hex(&frozen), f.sha256, "{label}/{}", f.path);
            } else {
                assert_eq!(sha256_hex(&published), f.sha256, "{label}/{}", f.path);
            }
        }
        // The published archive is part of no snapshot.
        assert!(m.files.iter().all(|f| !f.path.starts_with("archief/")));
    }
    // From the archive index, every link works on disk: the versions, the diffs, the banners'
    // links to the current site.
    let (pages, broken) = crate::common::crawl_from(&out, "archief/index.html");
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(
        pages
            .iter()
            .any(|p| p == "archief/v1/brieven/eerste-brief/index.html")
    );
    assert!(pages.iter().any(|p| p == "brieven/derde-brief/index.html"));
    // The banner of a page that no longer exists... all v1 pages exist now; a v2-only page links
    // to itself in the current site.
    built.assert_contains(
        "archief/v2/brieven/derde-brief/index.html",
        "href=\"../../../../brieven/derde-brief/index.html\"",
    );
}

#[test]
fn banner_of_a_page_gone_from_the_site_links_to_the_home_page() {
    let site = two_versions().without_file("content/brieven/2026-06-02-derde-brief.md");
    let built = site.build();
    built.assert_contains(
        "archief/v2/brieven/derde-brief/index.html",
        "Dit is de versie van 1 juni 2026 - <a href=\"../../../../index.html\"",
    );
    let (_, broken) = crate::common::crawl_from(&built.out(), "archief/index.html");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn build_refuses_a_tampered_snapshot() {
    let site = two_versions();
    let m = manifest(&site, "v1");
    let page = entry(&m, "index.html");
    fs::write(object(&site, &page.sha256), "<p>vervalst</p>").unwrap();
    let err = site.build_err();
    assert!(err.contains("index.html of snapshot \"v1\""), "{err}");
    assert!(err.contains("snapshot verify"), "{err}");
}

#[test]
fn the_store_location_comes_from_site_toml() {
    let site = TestSite::fixture("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.with_file(
        "site.toml",
        &format!("{toml}\n[snapshots]\nmap = \"versies\"\n"),
    );
    ok(run(&site, &["snapshot", "create", "v1"]));
    assert!(site.root().join("versies/versions/v1.json").is_file());
    assert!(!store(&site).exists());
    ok(run(&site, &["snapshot", "verify", "v1"]));
    site.build()
        .assert_contains("archief/index.html", "v1/index.html");
}

#[test]
fn a_site_folder_named_archief_clashes_with_the_archive() {
    let site = TestSite::fixture("basic").with_file(
        "content/archief/oud.md",
        "+++\ntitle = \"Oud archief\"\n+++\nTekst.\n",
    );
    site.try_build().unwrap();
    ok(run(&site, &["snapshot", "create", "v1"]));
    assert!(
        entry(&manifest(&site, "v1"), "archief/oud/index.html")
            .title
            .is_some()
    );
    let err = site.build_err();
    assert!(err.contains("the site has its own archief/"), "{err}");
}
