//! The command line as users run it.

use std::process::Command;

fn raadsite() -> Command {
    Command::new(env!("CARGO_BIN_EXE_raadsite"))
}

#[test]
fn version_and_help() {
    let out = raadsite().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("raadsite "));
    let out = raadsite().args(["build", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--root <DIR>") && text.contains("--output <DIR>"),
        "{text}"
    );
}

#[test]
fn build_prints_a_summary_and_fails_clearly() {
    let site = crate::common::TestSite::fixture("basic");
    let out = raadsite()
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Built ") && text.contains(" pages "),
        "{text}"
    );

    let site = site.with_file("content/info/kapot.md", "+++\ntitel = \"x\"\n+++\n");
    let out = raadsite()
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown key \"titel\"") && err.contains("content/info/kapot.md:2:1"),
        "{err}"
    );
}

#[test]
fn missing_site_toml() {
    let dir = tempfile::tempdir().unwrap();
    let out = raadsite()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    // A site folder without site.toml is a usage error, not a content error.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("site.toml") && err.contains("could not read"),
        "{err}"
    );
}
