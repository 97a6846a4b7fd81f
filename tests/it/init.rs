//! `raadsite init` as a griffie runs it from the installed binary: a new site that builds at
//! once with the built-in theme, and that refuses to start over an existing one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::{TestSite, output_files, repo};

fn raadsite(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn init_new_brief_and_build_give_the_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ok(&raadsite(tmp.path(), &["init", "mijn-site"]));
    for line in [
        "mijn-site/site.toml",
        "mijn-site/content/brieven/_index.md",
        "cd mijn-site",
        "raadsite new brief \"Onderwerp\"",
        "raadsite build",
        "raadsite serve",
    ] {
        assert!(text.contains(line), "{line:?} not in:\n{text}");
    }
    let site = tmp.path().join("mijn-site");
    assert!(!site.join("themes").exists() && !site.join("templates").exists());

    let text = ok(&raadsite(
        &site,
        &["new", "brief", "Eerste brief van de griffie"],
    ));
    assert!(text.starts_with("Created "), "{text}");
    let text = ok(&raadsite(&site, &["build"]));
    assert!(text.starts_with("Built "), "{text}");

    let read = |rel: &str| fs::read_to_string(site.join("public").join(rel)).unwrap();
    let files = output_files(&site.join("public"));
    let letter = files
        .iter()
        .find(|f| {
            f.starts_with("brieven/") && f.ends_with("eerste-brief-van-de-griffie/index.html")
        })
        .unwrap_or_else(|| panic!("no letter page in {files:?}"));
    assert!(read(letter).contains("<h1>Eerste brief van de griffie</h1>"));
    assert!(read("index.html").contains("Eerste brief van de griffie"));
    assert!(read("brieven/index.html").contains("<table class=\"lijst brieven\">"));
    assert!(read("opgaven/index.html").contains("<p>Er zijn nog geen opgaven.</p>"));
    assert!(read("gemeenten/index.html").contains(">Hof van Twente</a>"));
    assert!(files.contains(&"style.css".to_owned()), "{files:?}");
    let (_, broken) = crate::common::crawl(&site.join("public"));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_new_site_says_that_its_lists_are_empty() {
    let built = TestSite::init().build();
    built
        .assert_contains("index.html", "<p>Er zijn nog geen brieven.</p>")
        .assert_contains("index.html", "<p>Er zijn nog geen opgaven.</p>")
        .assert_contains("brieven/index.html", "<p>Er zijn nog geen brieven.</p>")
        .assert_lacks("brieven/index.html", "<table")
        .assert_contains("opgaven/index.html", "<p>Er zijn nog geen opgaven.</p>")
        .assert_lacks("opgaven/index.html", "<table")
        .assert_contains("tags/index.html", "<p>Er zijn nog geen onderwerpen.</p>")
        .assert_contains(
            "gemeenten/almelo/index.html",
            "<p>Er zijn nog geen brieven aan deze gemeente.</p>",
        );
}

#[test]
fn init_in_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ok(&raadsite(tmp.path(), &["init"]));
    assert!(!text.contains("cd "), "{text}");
    assert!(tmp.path().join("site.toml").is_file());
    ok(&raadsite(tmp.path(), &["build"]));
    assert!(tmp.path().join("public/index.html").is_file());
}

#[test]
fn init_refuses_an_existing_site_and_writes_nothing() {
    for existing in ["site.toml", "content/_index.md"] {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(existing);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "van mij\n").unwrap();
        let before = output_files(tmp.path());
        let out = raadsite(tmp.path(), &["init"]);
        assert_eq!(out.status.code(), Some(2), "{existing}");
        let err = String::from_utf8_lossy(&out.stderr);
        let named = existing.split('/').next().unwrap();
        assert!(err.contains(&format!("--> ./{named}")), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(output_files(tmp.path()), before, "{existing}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "van mij\n");
    }
}

#[test]
fn the_new_site_has_the_gemeenten_of_the_example_site() {
    let site = TestSite::init();
    let new = raadsite::config::load(site.root()).unwrap();
    let example = raadsite::config::load(&repo()).unwrap();
    assert_eq!(new.gemeenten, example.gemeenten);
    assert_eq!(new.language, "nl");
    assert!(!new.title.is_empty() && !new.description.is_empty());
}

/// `site.toml` with every commented-out setting switched on: `# key = ...` and `# [table]`
/// lose their `# `; lines of explanation start with a capital and stay.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with('[') || rest.starts_with(char::is_lowercase) => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_commented_setting_of_the_new_site_toml_builds() {
    let site = TestSite::init();
    let path = site.root().join("site.toml");
    let all = uncommented(&fs::read_to_string(&path).unwrap());
    for table in [
        "[briefhoofd]",
        "[toegankelijkheid]",
        "[metadata]",
        "[snapshots]",
        "[openbaar]",
    ] {
        assert!(all.contains(&format!("\n{table}\n")), "{table} not offered");
    }
    assert!(all.contains("\nbase_url = "), "{all}");
    let built = site.with_file("site.toml", &all).build();
    built
        .assert_contains("index.html", "<link rel=\"canonical\" href=\"https://")
        .assert_contains(
            "toegankelijkheid/index.html",
            "<dd>voldoet gedeeltelijk</dd>",
        );
}
