//! `raadsite new`: the created files carry every key of their kind and build as created.

use std::fs;
use std::process::{Command, Output};

use crate::common::TestSite;
use raadsite::content::frontmatter::{COMMON_KEYS, LETTER_KEYS, OPGAVE_KEYS};

fn new(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .arg("new")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap()
}

fn created(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .strip_prefix("Created ")
        .unwrap_or_else(|| panic!("unexpected output: {text}"))
        .to_owned()
}

/// Every key appears in the front matter, set or commented out.
fn assert_keys(text: &str, keys: &[&str]) {
    let front = text.split("+++").nth(1).unwrap();
    for key in keys {
        let found = front.lines().any(|l| {
            let l = l.trim_start_matches("# ");
            l.starts_with(&format!("{key} ="))
        });
        assert!(found, "key {key} missing in:\n{front}");
    }
}

#[test]
fn a_new_letter_has_every_key_and_builds() {
    let site = TestSite::fixture("basic");
    let path = created(&new(&site, &["brief", "Zorg voor de Regio: één plan"]));
    let today = raadsite::new::today().to_string();
    assert!(
        path.ends_with(&format!(
            "content/brieven/{today}-zorg-voor-de-regio-een-plan.md"
        )),
        "{path}"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert_keys(&text, COMMON_KEYS);
    assert_keys(&text, LETTER_KEYS);
    assert!(text.contains("title = \"Zorg voor de Regio: één plan\""));

    let built = site.build();
    built.assert_contains(
        "brieven/zorg-voor-de-regio-een-plan/index.html",
        "Zorg voor de Regio: één plan",
    );
    built.assert_contains("brieven/index.html", "Zorg voor de Regio: één plan");
}

#[test]
fn a_new_opgave_has_every_key_and_builds() {
    let site = TestSite::fixture("basic");
    let path = created(&new(&site, &["opgave", "7", "Bereikbaarheid \"Twente\""]));
    assert!(
        path.ends_with("content/opgaven/07-bereikbaarheid-twente.md"),
        "{path}"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert_keys(&text, COMMON_KEYS);
    assert_keys(&text, OPGAVE_KEYS);
    assert!(text.contains("nummer = 7"));
    site.build().assert_contains(
        "opgaven/07-bereikbaarheid-twente/index.html",
        "Bereikbaarheid &quot;Twente&quot;",
    );
}

#[test]
fn new_refuses_to_overwrite_and_to_reuse_a_number() {
    let site = TestSite::fixture("basic");
    let path = created(&new(&site, &["brief", "Tweemaal"]));
    fs::write(&path, "eigen tekst").unwrap();
    let again = new(&site, &["brief", "Tweemaal"]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "eigen tekst");

    let taken = new(&site, &["opgave", "1", "Nog een eerste"]);
    assert!(!taken.status.success());
    let err = String::from_utf8_lossy(&taken.stderr);
    assert!(
        err.contains("opgave 1 already exists") && err.contains("01-eerste.md"),
        "{err}"
    );
    assert!(
        !site
            .root()
            .join("content/opgaven/01-nog-een-eerste.md")
            .exists()
    );
}
