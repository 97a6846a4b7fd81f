//! Archive-grade versions: signed manifests (checked by `snapshot verify` and by the minisign
//! crate, as the minisign tool does), the MDTO export of a version with its checksums and
//! attachments, and the versions a reader sees on a letter's page with the changes between
//! them. `.ci/archive.sh` checks the same with xmllint, the minisign tool and pywb.

use std::fs;
use std::path::{Path, PathBuf};

use raadsite::snapshot::store::sha256_hex;
use raadsite::{BuildOptions, Incremental, Profile, build_incremental};

use crate::common::{Run, TestSite, fails, ok, output_files};

/// 2026-05-07T09:30:00Z and 2026-06-01T12:00:00Z.
const MAY_7: &str = "1778146200";
const JUNE_1: &str = "1780315200";
const MDTO: &str = "https://www.nationaalarchief.nl/mdto";
const LETTER: &str = "content/brieven/2026-05-07-eerste-brief.md";
const ADDED: &str = "Deze zin is toegevoegd in de tweede versie.";

fn run_at(root: &Path, epoch: &str, args: &[&str]) -> Run {
    crate::common::cli(root, args, &[("SOURCE_DATE_EPOCH", epoch)])
}

/// A minisign key pair in a folder of its own, outside any site: (folder, secret key file,
/// public key file, the secret key's base64 line).
fn keys() -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let kp = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let secret = kp.sk.to_box(None).unwrap().to_string();
    let line = secret.lines().nth(1).unwrap().to_owned();
    let (sk, pk) = (dir.path().join("raad.key"), dir.path().join("raad.pub"));
    fs::write(&sk, &secret).unwrap();
    fs::write(&pk, kp.pk.to_box().unwrap().to_string()).unwrap();
    (dir, sk, pk, line)
}

/// The basic fixture with `[snapshots]` settings appended.
fn site_with(settings: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let toml = site.root().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, format!("{text}\n[snapshots]\n{settings}")).unwrap();
    site
}

fn signed_site(key: &Path) -> TestSite {
    site_with(&format!(
        "sleutel = \"{}\"\narchiefvormer = \"gm0141\"\n",
        key.display()
    ))
}

/// Appends a paragraph to the first letter.
fn add_sentence(site: &TestSite) {
    let path = site.root().join(LETTER);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n{ADDED}\n")).unwrap();
}

/// Every file under `dir` that holds `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<String> {
    output_files(dir)
        .into_iter()
        .filter(|f| {
            let bytes = fs::read(dir.join(f)).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

#[test]
fn signed_manifests_verify_and_a_flipped_byte_fails() {
    let (_keys, sk, pk, secret) = keys();
    let site = signed_site(&sk);
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    assert!(r.stdout.contains("Signed with key"), "{}", r.stdout);
    let store = site.root().join("snapshots");
    let manifest = store.join("versions/v1.json");
    let sig = store.join("versions/v1.json.minisig");
    // The signature is minisign's, for the minisign key the site names.
    let public = minisign::PublicKey::from_file(&pk).unwrap();
    let boxed = minisign::SignatureBox::from_file(&sig).unwrap();
    let bytes = fs::read(&manifest).unwrap();
    minisign::verify(
        &public,
        &boxed,
        std::io::Cursor::new(&bytes),
        true,
        false,
        false,
    )
    .unwrap();
    assert!(
        boxed
            .trusted_comment()
            .unwrap()
            .contains("raadsite snapshot v1")
    );
    assert_eq!(
        fs::read_to_string(store.join("sleutel.pub")).unwrap(),
        fs::read_to_string(&pk).unwrap()
    );
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "list"]));
    assert!(r.stdout.contains(" signed "), "{}", r.stdout);
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "verify"]));
    assert!(r.stdout.contains("1 signature valid"), "{}", r.stdout);
    let pk_arg = pk.to_str().unwrap();
    ok(run_at(
        site.root(),
        MAY_7,
        &["snapshot", "verify", "--public-key", pk_arg],
    ));

    // The secret key reaches neither the store, the output nor an export.
    ok(run_at(site.root(), MAY_7, &["build"]));
    let zip = site.root().join("v1.zip");
    let zip_arg = zip.to_str().unwrap();
    let export = [
        "snapshot", "export", "v1", "--format", "zip", "--output", zip_arg,
    ];
    ok(run_at(site.root(), MAY_7, &export));
    assert_eq!(holding(site.root(), &secret), Vec::<String>::new());
    assert!(site.output().join("archief/sleutel.pub").is_file());

    // One flipped byte in the manifest: both verifiers refuse it.
    let mut flipped = bytes.clone();
    let field = b"\"sources_sha256\": \"";
    let at = flipped
        .windows(field.len())
        .position(|w| w == field)
        .unwrap()
        + field.len();
    flipped[at] ^= 1;
    fs::write(&manifest, &flipped).unwrap();
    let cursor = std::io::Cursor::new(&flipped);
    assert!(minisign::verify(&public, &boxed, cursor, true, false, false).is_err());
    let r = fails(run_at(site.root(), MAY_7, &["snapshot", "verify"]));
    assert!(
        r.stderr
            .contains("v1: versions/v1.json.minisig: the signature does not match"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_version_without_its_signature_fails_in_a_signed_store() {
    let (_keys, sk, _pk, _secret) = keys();
    let site = signed_site(&sk);
    ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    fs::remove_file(site.root().join("snapshots/versions/v1.json.minisig")).unwrap();
    let r = fails(run_at(site.root(), MAY_7, &["snapshot", "verify"]));
    assert!(
        r.stderr.contains("v1: versions/v1.json.minisig: unsigned"),
        "{}",
        r.stderr
    );
}

#[test]
fn versions_made_before_the_key_stay_unsigned_the_later_ones_must_be_signed() {
    let (_keys, sk, _pk, _secret) = keys();
    let site = TestSite::fixture("basic");
    ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    let toml = site.root().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let settings = format!("\n[snapshots]\nsleutel = \"{}\"\n", sk.display());
    fs::write(&toml, text + &settings).unwrap();
    add_sentence(&site);
    ok(run_at(site.root(), JUNE_1, &["snapshot", "create", "v2"]));
    let r = ok(run_at(site.root(), JUNE_1, &["snapshot", "verify"]));
    assert!(
        r.stdout.contains("note: unsigned (made before"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(": v1\n"), "{}", r.stdout);
    assert!(r.stdout.contains("1 signature valid"), "{}", r.stdout);
    add_sentence(&site);
    ok(run_at(site.root(), JUNE_1, &["snapshot", "create", "v3"]));
    fs::remove_file(site.root().join("snapshots/versions/v3.json.minisig")).unwrap();
    let r = fails(run_at(site.root(), JUNE_1, &["snapshot", "verify"]));
    assert!(
        r.stderr.contains("v3: versions/v3.json.minisig: unsigned"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_a_key_versions_are_unsigned_and_said_so() {
    let site = TestSite::fixture("basic");
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    assert!(r.stdout.contains("Unsigned"), "{}", r.stdout);
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "list"]));
    assert!(r.stdout.contains(" unsigned "), "{}", r.stdout);
    let r = ok(run_at(site.root(), MAY_7, &["snapshot", "verify"]));
    assert!(r.stdout.contains("note: unsigned"), "{}", r.stdout);
}

#[test]
fn a_secret_key_inside_the_site_folder_is_refused() {
    let (_keys, sk, _pk, _secret) = keys();
    let site = site_with("sleutel = \"raad.key\"\n");
    fs::copy(&sk, site.root().join("raad.key")).unwrap();
    let r = fails(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    assert!(r.stderr.contains("inside the site folder"), "{}", r.stderr);
    assert!(!site.root().join("snapshots/versions/v1.json").exists());
}

/// A PDF/A-2u rendition as the PDF issue will publish it beside the letter's page, with the
/// XMP identification PDF/A requires.
const PDFA: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n<x:xmpmeta><rdf:Description \
    pdfaid:part=\"2\" pdfaid:conformance=\"U\"/></x:xmpmeta>\n%%EOF\n";

fn element_text<'a>(doc: &'a roxmltree::Document, path: &[&str]) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == path[path.len() - 1])
        .filter(|n| {
            let mut node = n.parent();
            path[..path.len() - 1].iter().rev().all(|p| {
                let ok = node.is_some_and(|x| x.tag_name().name() == *p);
                node = node.and_then(|x| x.parent());
                ok
            })
        })
        .filter_map(|n| n.text())
        .collect()
}

#[test]
fn mdto_export_describes_each_document_with_all_its_files() {
    let site = site_with("archiefvormer = \"gm0141\"\nbewaartermijn = \"P20Y\"\n")
        .with_file("static/brieven/eerste-brief/eerste-brief.pdf", "");
    fs::write(
        site.root()
            .join("static/brieven/eerste-brief/eerste-brief.pdf"),
        PDFA,
    )
    .unwrap();
    ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    let out = site.root().join("pakket");
    let out_arg = out.to_str().unwrap();
    let args = [
        "snapshot", "export", "v1", "--format", "mdto", "--output", out_arg,
    ];
    ok(run_at(site.root(), MAY_7, &args));

    let folder = out.join("brieven-eerste-brief");
    let text = fs::read_to_string(folder.join("brieven-eerste-brief.mdto.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().namespace(), Some(MDTO));
    let ids = element_text(&doc, &["identificatie", "identificatieKenmerk"]);
    assert_eq!(ids, ["brieven/eerste-brief", "0012345"]);
    assert_eq!(
        element_text(&doc, &["informatieobject", "naam"]),
        ["Eerste brief"]
    );
    assert_eq!(element_text(&doc, &["termijnLooptijd"]), ["P20Y"]);
    assert_eq!(
        element_text(&doc, &["dekkingInTijdBegindatum"]),
        ["2026-05-07"]
    );
    let archiefvormer = element_text(&doc, &["archiefvormer", "verwijzingNaam"]);
    assert_eq!(archiefvormer, ["gemeente Almelo"]);
    // Its page, its single-file rendition, the PDF rendition in its folder and both
    // attachments.
    let representations = element_text(&doc, &["heeftRepresentatie", "verwijzingNaam"]);
    let mut sorted = representations.clone();
    sorted.sort_unstable();
    // Built with the feature `pdf`, the typeset PDF/A is one more.
    let typeset =
        cfg!(feature = "pdf").then_some("brieven/eerste-brief/2026-05-07-eerste-brief.pdf");
    let expected: Vec<&str> = ["bijlagen/overzicht.pdf"]
        .into_iter()
        .chain(typeset)
        .chain([
            "brieven/eerste-brief/eerste-brief.html",
            "brieven/eerste-brief/eerste-brief.pdf",
            "brieven/eerste-brief/index.html",
            "brieven/plan.pdf",
        ])
        .collect();
    assert_eq!(sorted, expected);
    let related = element_text(
        &doc,
        &[
            "gerelateerdInformatieobjectVerwijzing",
            "verwijzingIdentificatie",
            "identificatieKenmerk",
        ],
    );
    assert_eq!(related, ["opgaven/01-eerste"]);

    // Every file has a bestand beside it whose omvang and SHA-256 are the file's.
    let mut formats = Vec::new();
    for rel in representations {
        let bytes = fs::read(folder.join(rel)).unwrap();
        let meta = fs::read_to_string(folder.join(format!("{rel}.bestand.mdto.xml"))).unwrap();
        let b = roxmltree::Document::parse(&meta).unwrap();
        assert_eq!(
            element_text(&b, &["checksumWaarde"]),
            [sha256_hex(&bytes).as_str()]
        );
        assert_eq!(
            element_text(&b, &["omvang"]),
            [bytes.len().to_string().as_str()]
        );
        assert_eq!(
            element_text(&b, &["checksumDatum"]),
            ["2026-05-07T09:30:00Z"]
        );
        let of = element_text(
            &b,
            &[
                "isRepresentatieVan",
                "verwijzingIdentificatie",
                "identificatieKenmerk",
            ],
        );
        assert_eq!(of, ["brieven/eerste-brief"]);
        formats.push((
            rel,
            element_text(&b, &["bestandsformaat", "begripCode"])[0].to_owned(),
        ));
    }
    assert!(formats.contains(&("brieven/eerste-brief/index.html", "fmt/471".to_owned())));
    assert!(formats.contains(&(
        "brieven/eerste-brief/eerste-brief.pdf",
        "fmt/478".to_owned()
    )));

    // The version holds every document; the zip holds the same files as the folder.
    let version = fs::read_to_string(out.join("v1.mdto.xml")).unwrap();
    let v = roxmltree::Document::parse(&version).unwrap();
    assert_eq!(
        element_text(
            &v,
            &[
                "bevatOnderdeel",
                "verwijzingIdentificatie",
                "identificatieKenmerk"
            ]
        )
        .len(),
        5
    );
    let zip = site.root().join("pakket.zip");
    let zip_arg = zip.to_str().unwrap();
    let args = [
        "snapshot", "export", "v1", "--format", "mdto", "--output", zip_arg,
    ];
    ok(run_at(site.root(), MAY_7, &args));
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(names, output_files(&out));
    let mut entry = archive.by_name("v1.mdto.xml").unwrap();
    let mut inside = String::new();
    std::io::Read::read_to_string(&mut entry, &mut inside).unwrap();
    assert_eq!(inside, version);
    // A second export into the same, now full, folder is refused.
    let args = [
        "snapshot", "export", "v1", "--format", "mdto", "--output", out_arg,
    ];
    let r = fails(run_at(site.root(), MAY_7, &args));
    assert!(r.stderr.contains("is not empty"), "{}", r.stderr);
}

#[test]
fn mdto_export_asks_for_the_archiefvormer_when_it_cannot_know_it() {
    let site = TestSite::fixture("basic");
    ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    let out = site.root().join("pakket");
    let args = [
        "snapshot",
        "export",
        "v1",
        "--format",
        "mdto",
        "--output",
        out.to_str().unwrap(),
    ];
    let r = fails(run_at(site.root(), MAY_7, &args));
    assert!(r.stderr.contains("site.toml"), "{}", r.stderr);
    assert!(
        r.stderr.contains("archiefvormer = \"gm0153\""),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// The basic fixture with v1, then v2 with a sentence added to the first letter and its
/// official changed (an intranet-only field).
fn two_versions() -> TestSite {
    let site = TestSite::fixture("basic");
    ok(run_at(
        site.root(),
        MAY_7,
        &["snapshot", "create", "v1", "--note", "Eerste"],
    ));
    add_sentence(&site);
    let path = site.root().join(LETTER);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("A. Ambtenaar", "B. Beambte")).unwrap();
    ok(run_at(
        site.root(),
        JUNE_1,
        &["snapshot", "create", "v2", "--note", "Met een zin"],
    ));
    site
}

#[test]
fn a_letter_lists_its_versions_and_links_what_changed() {
    let site = two_versions();
    ok(run_at(site.root(), JUNE_1, &["build"]));
    let out = site.output();
    let page = fs::read_to_string(out.join("brieven/eerste-brief/index.html")).unwrap();
    let changes = "../../archief/diff-v1-v2/index.html#wijziging-brieven-eerste-brief";
    for needle in [
        "<h2 id=\"versies-kop\">Vastgelegde versies</h2>",
        "<a href=\"../../archief/v2/brieven/eerste-brief/index.html\">Versie v2</a> van \
         <time datetime=\"2026-06-01T12:00:00Z\">1 juni 2026</time>: Met een zin",
        &format!("(<a href=\"{changes}\">wat is er veranderd ten opzichte van versie v1</a>)"),
        "<a href=\"../../archief/v1/brieven/eerste-brief/index.html\">Versie v1</a>",
    ] {
        assert!(page.contains(needle), "{needle}\n{page}");
    }
    assert!(
        page.find("Versie v2") < page.find("Versie v1"),
        "newest first"
    );
    let diff = fs::read_to_string(out.join("archief/diff-v1-v2/index.html")).unwrap();
    assert!(
        diff.contains("<h3 id=\"wijziging-brieven-eerste-brief\">"),
        "{diff}"
    );
    assert!(
        diff.contains(&format!(
            "<ins><span class=\"vh\">toegevoegd: </span>{ADDED}</ins>"
        )),
        "{diff}"
    );
    // The frozen copy is as it was: no list of versions in it; its banner leads back.
    let frozen =
        fs::read_to_string(out.join("archief/v1/brieven/eerste-brief/index.html")).unwrap();
    assert!(!frozen.contains("versies-kop"));
    assert!(
        frozen.contains("<a href=\"../../../../brieven/eerste-brief/index.html\""),
        "{frozen}"
    );
    // The intranet publishes the manifests, to check with the published key.
    assert_eq!(
        fs::read(out.join("archief/_manifesten/v1.json")).unwrap(),
        fs::read(site.root().join("snapshots/versions/v1.json")).unwrap()
    );
    let other = fs::read_to_string(out.join("opgaven/02-tweede/index.html")).unwrap();
    assert!(other.contains("Versie v1"), "opgave 2 is in both versions");
}

#[test]
fn an_openbaar_page_lists_the_openbaar_renditions() {
    let site = two_versions();
    ok(run_at(
        site.root(),
        JUNE_1,
        &["build", "--profile", "openbaar"],
    ));
    let out = site.output();
    let page = fs::read_to_string(out.join("brieven/eerste-brief/index.html")).unwrap();
    // The sentence changed the public page too, but not the official: the openbaar diff
    // page shows the sentence and never the official.
    assert!(
        page.contains("wat is er veranderd ten opzichte van versie v1"),
        "{page}"
    );
    let diff = fs::read_to_string(out.join("archief/diff-v1-v2/index.html")).unwrap();
    assert!(diff.contains(ADDED), "{diff}");
    assert!(
        !diff.contains("Beambte") && !diff.contains("Ambtenaar"),
        "{diff}"
    );
    let copy = fs::read_to_string(out.join("archief/v2/brieven/eerste-brief/index.html")).unwrap();
    assert!(!copy.contains("Beambte"));
    // A manifest names the intranet's files and titles: an openbaar build publishes none.
    assert!(!out.join("archief/_manifesten").exists());
}

#[test]
fn serve_rebuilds_the_pages_a_new_version_holds() {
    let site = TestSite::fixture("basic");
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    let mut state = Incremental::new();
    build_incremental(&opts, Profile::default(), &mut state).unwrap();
    let page = site.output().join("brieven/eerste-brief/index.html");
    assert!(!fs::read_to_string(&page).unwrap().contains("versies-kop"));
    ok(run_at(site.root(), MAY_7, &["snapshot", "create", "v1"]));
    build_incremental(&opts, Profile::default(), &mut state).unwrap();
    assert!(fs::read_to_string(&page).unwrap().contains("Versie v1"));
    // The incremental output is the full build's.
    let full = tempfile::tempdir().unwrap();
    raadsite::build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(full.path().join("site")),
        ..Default::default()
    })
    .unwrap();
    crate::common::assert_same_output(&site.output(), &full.path().join("site"));
}
