//! A build whose inputs and output did not change since the last one does nothing; any
//! change to an input or to the published output makes it build for real again.
//!
//! Inputs modified in the last two seconds are not trusted (their timestamps could hide a
//! second edit), so the tests date the site's files an hour back before a build whose stamp
//! they rely on, each time a little differently so that the dates themselves never hide an
//! edit the test makes.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::common::TestSite;
use raadsite::Report;

/// Dates every file of the site (not of the output) that was modified in the last ten
/// minutes about an hour back, each call a second further, so that unchanged files keep
/// their times and an edited one never gets its old time back by accident.
fn age(root: &Path) {
    static STEP: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now();
    let when =
        now - Duration::from_secs(3600) - Duration::from_secs(STEP.fetch_add(1, Ordering::Relaxed));
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !e.file_name().to_string_lossy().contains("public"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let modified = e.metadata().unwrap().modified().unwrap();
        if modified > now - Duration::from_secs(600) {
            set_mtime(e.path(), when);
        }
    }
}

fn set_mtime(path: &Path, when: SystemTime) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(when).unwrap();
}

/// Writes `bytes` over the start of the file in place: same inode, same length.
fn overwrite(path: &Path, bytes: &[u8]) {
    let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
    std::io::Write::write_all(&mut f, bytes).unwrap();
}

/// Dates the site back and builds it.
fn build(site: &TestSite) -> Report {
    age(site.root());
    site.try_build()
        .unwrap_or_else(|d| panic!("build failed:\n{d}"))
}

fn stamp(site: &TestSite) -> std::path::PathBuf {
    site.root().join(".public.raadsite/stamp")
}

/// Every output file with its bytes.
fn contents(out: &Path) -> Vec<(String, Vec<u8>)> {
    crate::common::output_files(out)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn read(site: &TestSite, rel: &str) -> String {
    fs::read_to_string(site.output().join(rel)).unwrap()
}

/// A site built once, with a stamp.
fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    let first = build(&site);
    assert!(!first.up_to_date);
    assert!(stamp(&site).is_file(), "no stamp after a clean build");
    site
}

fn assert_skipped(site: &TestSite) -> Report {
    let r = site.try_build().unwrap();
    assert!(r.up_to_date, "expected nothing to be done: {r:?}");
    assert_eq!(r.written, 0);
    r
}

fn assert_rebuilt(site: &TestSite) -> Report {
    let r = build(site);
    assert!(!r.up_to_date, "expected a real build: {r:?}");
    r
}

#[test]
fn a_second_build_without_changes_does_nothing() {
    let site = TestSite::fixture("basic");
    let first = build(&site);
    let page = site.output().join("brieven/eerste-brief/index.html");
    let before = fs::read(&page).unwrap();
    let second = assert_skipped(&site);
    assert_eq!(
        (second.pages, second.copied),
        (first.pages, first.copied),
        "the counts of the last build are kept"
    );
    assert_eq!(fs::read(&page).unwrap(), before);
    // The stamp lives in the private work folder beside the output, never in the published
    // folder.
    assert!(stamp(&site).is_file());
    assert!(
        !crate::common::output_files(&site.output())
            .iter()
            .any(|f| f.contains("stamp")),
        "stamp inside the output"
    );
    assert_skipped(&site);
}

#[test]
fn the_command_says_nothing_changed_and_force_builds_anyway() {
    let site = TestSite::fixture("basic");
    age(site.root());
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_raadsite"))
            .arg("build")
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run(&[]);
    assert!(first.starts_with("Built "), "{first}");
    let second = run(&[]);
    assert!(
        second.starts_with("Nothing changed since the last build") && second.contains("up to date"),
        "{second}"
    );
    let forced = run(&["--force"]);
    assert!(forced.starts_with("Built "), "{forced}");
    assert!(forced.contains("(0 files changed)"), "{forced}");
    // A forced build leaves a stamp too.
    assert!(run(&[]).starts_with("Nothing changed"));
}

#[test]
fn editing_a_letter_rebuilds() {
    let site = built();
    let letter = site
        .root()
        .join("content/brieven/2026-05-07-eerste-brief.md");
    let text = fs::read_to_string(&letter).unwrap();
    fs::write(
        &letter,
        text.replace(
            "title = \"Eerste brief\"",
            "title = \"Eerste brief, herzien\"",
        ),
    )
    .unwrap();
    assert_rebuilt(&site);
    assert!(read(&site, "brieven/eerste-brief/index.html").contains("Eerste brief, herzien"));
    assert_skipped(&site);
}

#[test]
fn an_edit_that_keeps_length_and_modification_time_still_rebuilds() {
    let site = built();
    let letter = site
        .root()
        .join("content/brieven/2026-05-07-eerste-brief.md");
    let when = fs::metadata(&letter).unwrap().modified().unwrap();
    let text = fs::read_to_string(&letter).unwrap();
    let edited = text.replace("title = \"Eerste brief\"", "title = \"Eerste BRIEF\"");
    assert_eq!(edited.len(), text.len());
    // Written in place and dated back to exactly the time it had: only the change time
    // (which no tool can set back) gives the edit away.
    overwrite(&letter, edited.as_bytes());
    set_mtime(&letter, when);
    let r = site.try_build().unwrap();
    assert!(!r.up_to_date, "{r:?}");
    assert!(read(&site, "brieven/eerste-brief/index.html").contains("Eerste BRIEF"));
}

#[test]
fn editing_a_template_a_static_file_or_site_toml_rebuilds() {
    let site = built();
    let base = site.root().join("themes/raad/templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    assert!(text.contains("</body>"));
    fs::write(
        &base,
        text.replace("</body>", "<!-- sjabloon gewijzigd --></body>"),
    )
    .unwrap();
    assert_rebuilt(&site);
    assert!(read(&site, "index.html").contains("sjabloon gewijzigd"));
    assert_skipped(&site);

    fs::write(site.root().join("static/bijlagen/overzicht.pdf"), "nieuw").unwrap();
    assert_rebuilt(&site);
    assert_eq!(read(&site, "bijlagen/overzicht.pdf"), "nieuw");
    assert_skipped(&site);

    let toml = site.root().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, text.replace("Testraad", "Proefraad")).unwrap();
    assert_rebuilt(&site);
    assert!(read(&site, "index.html").contains("Proefraad"));
    assert_skipped(&site);
}

#[test]
fn adding_or_deleting_a_file_rebuilds() {
    let site = built();
    let site = site.with_file(
        "content/brieven/2026-06-02-derde-brief.md",
        "+++\ntitle = \"Derde brief\"\ndate = 2026-06-02\nkenmerk = \"0099\"\n\
         gemeenten = [\"alle\"]\n+++\n\nEen nieuwe brief.\n",
    );
    assert_rebuilt(&site);
    assert!(read(&site, "brieven/derde-brief/index.html").contains("Een nieuwe brief."));
    assert_skipped(&site);

    let site = site.without_file("content/brieven/2026-06-02-derde-brief.md");
    assert_rebuilt(&site);
    assert!(!site.output().join("brieven/derde-brief").exists());
    assert_skipped(&site);

    // A new site-level template overrides the theme's, in a folder that did not exist.
    let site = site.with_file(
        "templates/404.html",
        "<!doctype html><html lang=\"nl\"><title>Weg</title><p>Eigen 404</p></html>",
    );
    assert_rebuilt(&site);
    assert!(read(&site, "404.html").contains("Eigen 404"));
    assert_skipped(&site);
}

#[test]
fn changes_to_the_output_are_repaired() {
    let site = built();
    let page = site.output().join("brieven/eerste-brief/index.html");
    let good = fs::read(&page).unwrap();

    fs::remove_file(&page).unwrap();
    let r = assert_rebuilt(&site);
    assert!(r.written >= 1, "{r:?}");
    assert_eq!(fs::read(&page).unwrap(), good);
    assert_skipped(&site);

    // Same length, in place, its time set back: still noticed.
    let when = fs::metadata(&page).unwrap().modified().unwrap();
    overwrite(&page, b"X");
    set_mtime(&page, when);
    assert_rebuilt(&site);
    assert_eq!(fs::read(&page).unwrap(), good);
    assert_skipped(&site);

    // A stray file in the published folder goes.
    fs::write(site.output().join("extra.html"), "vreemd").unwrap();
    assert_rebuilt(&site);
    assert!(!site.output().join("extra.html").exists());
    assert_skipped(&site);

    // So does a stray empty folder, which holds nothing that would show it.
    fs::create_dir(site.output().join("brieven/leeg")).unwrap();
    assert_rebuilt(&site);
    assert!(!site.output().join("brieven/leeg").exists());
    assert_skipped(&site);
}

#[test]
fn a_failed_build_leaves_no_stamp_and_fixing_it_rebuilds() {
    let site = built();
    let pages = assert_skipped(&site).pages;
    let letter = site
        .root()
        .join("content/brieven/2026-05-07-eerste-brief.md");
    let good = fs::read_to_string(&letter).unwrap();
    fs::write(&letter, good.replacen("+++", "+++\ntitle = ", 1)).unwrap();
    age(site.root());
    let err = site.build_err();
    assert!(err.contains("2026-05-07-eerste-brief.md"), "{err}");
    assert!(!stamp(&site).exists(), "a failed build kept the stamp");
    fs::write(&letter, &good).unwrap();
    let r = assert_rebuilt(&site);
    assert_eq!(r.pages, pages);
    assert!(stamp(&site).is_file());
    assert_skipped(&site);
}

#[test]
fn inputs_modified_just_now_are_not_trusted() {
    let site = TestSite::fixture("basic");
    // Files copied a moment ago: their timestamps could still hide a second edit.
    let first = site.try_build().unwrap();
    assert!(!first.up_to_date);
    assert!(!stamp(&site).exists(), "stamp saved over racy inputs");
    let second = site.try_build().unwrap();
    assert!(!second.up_to_date, "{second:?}");
    // Once dated back, the stamp is saved.
    build(&site);
    assert_skipped(&site);
}

#[test]
fn profiles_do_not_share_a_stamp() {
    let site = built();
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    let intranet = contents(&site.output());
    let openbaar = raadsite::build_as(&opts, raadsite::Profile::Openbaar).unwrap();
    assert!(!openbaar.up_to_date);
    let public = contents(&site.output());
    assert_ne!(public, intranet, "the profiles should give different sites");
    assert!(
        raadsite::build_as(&opts, raadsite::Profile::Openbaar)
            .unwrap()
            .up_to_date
    );
    let back = raadsite::build_as(&opts, raadsite::Profile::Intranet).unwrap();
    assert!(!back.up_to_date, "{back:?}");
    assert_eq!(contents(&site.output()), intranet);
}

#[test]
fn builds_that_bypass_the_stamp_remove_it() {
    // `serve` builds through build_with, which keeps no stamp and must not leave an old one.
    let site = built();
    let opts = raadsite::BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    raadsite::build_with(
        &opts,
        raadsite::Profile::Intranet,
        raadsite::Archive::Publish,
        &mut raadsite::output::Writer::new(),
    )
    .unwrap();
    assert!(!stamp(&site).exists());
    assert_rebuilt(&site);
    assert_skipped(&site);
}

#[test]
fn a_new_snapshot_is_published_by_the_next_build() {
    let site = built();
    let out = Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args([
            "snapshot",
            "create",
            "v1",
            "--note",
            "Eerste versie",
            "--root",
        ])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", "1778112000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The snapshot was built into a folder of its own: the site's stamp still stands for
    // the site's inputs, but the store is one of them.
    assert!(!site.output().join("archief").exists());
    assert_rebuilt(&site);
    assert!(read(&site, "archief/index.html").contains("Eerste versie"));
    assert_skipped(&site);
}
