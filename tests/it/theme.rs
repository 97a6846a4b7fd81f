//! The built-in theme and how a site overrides it: one file at a time in `templates/`,
//! `static/` or `themes/raad/`, or all of it after `raadsite theme export`.

use std::fs;
use std::process::Command;

use crate::common::{TestSite, assert_same_output, output_files, repo};

fn raadsite() -> Command {
    Command::new(env!("CARGO_BIN_EXE_raadsite"))
}

/// A template that says which file it is, for `404.html`.
fn marked_404(mark: &str) -> String {
    format!("{{% extends \"base.html\" %}}{{% block main %}}<h1>{mark}</h1>{{% endblock main %}}")
}

#[test]
fn a_site_without_themes_builds_with_the_built_in_theme() {
    let bare = TestSite::bare("basic");
    assert!(!bare.root().join("themes").exists());
    let built = bare.build();
    built
        .assert_contains("index.html", "<html lang=\"nl\">")
        .assert_contains("index.html", "Naar de inhoud")
        .assert_contains(
            "brieven/eerste-brief/index.html",
            "href=\"../../style.css\"",
        );
    for file in ["style.css", "zoeken.js", "doorsturen.js"] {
        assert_eq!(
            fs::read(built.out().join(file)).unwrap(),
            fs::read(repo().join("themes/raad/static").join(file)).unwrap(),
            "{file}"
        );
    }
    // The same site with the theme on disk gives the same bytes.
    let on_disk = TestSite::fixture("basic").build();
    assert_same_output(&built.out(), &on_disk.out());
}

#[test]
fn a_template_or_static_file_of_the_site_wins_over_the_built_in_one() {
    let built = TestSite::bare("basic")
        .with_file("templates/404.html", &marked_404("Eigen 404"))
        .with_file("static/style.css", "body { color: black; }\n")
        .build();
    built
        .assert_contains("404.html", "<h1>Eigen 404</h1>")
        // The other templates are still the built-in ones.
        .assert_contains("index.html", "Nieuwste brieven");
    assert_eq!(built.read("style.css"), "body { color: black; }\n");
    assert!(built.exists("zoeken.js"));
}

#[test]
fn a_theme_folder_with_one_file_overrides_only_that_file() {
    let built = TestSite::bare("basic")
        .with_file("themes/raad/templates/404.html", &marked_404("Thema 404"))
        .with_file("themes/raad/static/doorsturen.js", "// eigen\n")
        .build();
    built
        .assert_contains("404.html", "<h1>Thema 404</h1>")
        .assert_contains("index.html", "Nieuwste brieven");
    assert_eq!(built.read("doorsturen.js"), "// eigen\n");
    assert_eq!(
        fs::read(built.out().join("style.css")).unwrap(),
        fs::read(repo().join("themes/raad/static/style.css")).unwrap()
    );
}

#[test]
fn templates_win_over_the_theme_folder() {
    let built = TestSite::bare("basic")
        .with_file("themes/raad/templates/404.html", &marked_404("Thema 404"))
        .with_file("templates/404.html", &marked_404("Eigen 404"))
        .with_file("themes/raad/static/style.css", "/* thema */\n")
        .with_file("static/style.css", "/* eigen */\n")
        .build();
    built.assert_contains("404.html", "<h1>Eigen 404</h1>");
    assert_eq!(built.read("style.css"), "/* eigen */\n");
}

#[test]
fn a_syntax_error_in_an_overriding_template_names_the_site_file_and_line() {
    let broken = "{% extends \"base.html\" %}\n{% block main %}{{ nope( }}{% endblock main %}\n";
    for rel in ["templates/404.html", "themes/raad/templates/404.html"] {
        let err = TestSite::bare("basic").with_file(rel, broken).build_err();
        assert!(err.contains(&format!("--> {rel}:2:")), "{rel}:\n{err}");
        assert!(!err.contains("ingebouwd"), "{err}");
    }
}

#[test]
fn an_error_in_a_built_in_template_names_it_as_built_in() {
    // A base template without the blocks the built-in pages fill in.
    let err = TestSite::bare("basic")
        .with_file(
            "templates/base.html",
            "<!DOCTYPE html>\n<html lang=\"nl\">{% block main %}{% endblock main %}</html>\n",
        )
        .build_err();
    assert!(
        err.contains("--> raad (ingebouwd)/templates/"),
        "no built-in template named in:\n{err}"
    );
    assert!(err.contains("Block `title` is not defined"), "{err}");
}

#[test]
fn an_unknown_theme_names_both_places_it_was_looked_for() {
    let site = TestSite::bare("basic");
    let config = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let err = site
        .with_file(
            "site.toml",
            &config.replacen('\n', "\ntheme = \"stadhuis\"\n", 1),
        )
        .build_err();
    assert!(err.contains("theme \"stadhuis\" not found"), "{err}");
    assert!(err.contains("themes/stadhuis/"), "{err}");
    assert!(err.contains("built in: \"raad\""), "{err}");
    assert!(err.contains("--> site.toml:2:1"), "{err}");
}

#[test]
fn a_theme_of_its_own_needs_no_built_in_one() {
    let site = TestSite::bare("basic");
    crate::common::copy_tree(
        &repo().join("themes/raad"),
        &site.root().join("themes/stadhuis"),
    );
    let config = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site
        .with_file("site.toml", &format!("theme = \"stadhuis\"\n{config}"))
        .with_file(
            "themes/stadhuis/templates/404.html",
            &marked_404("Stadhuis"),
        );
    let built = site.build();
    built.assert_contains("404.html", "<h1>Stadhuis</h1>");
    // Not laid over the built-in theme: a template it lacks is missing.
    fs::remove_file(
        built
            .site
            .root()
            .join("themes/stadhuis/templates/tags.html"),
    )
    .unwrap();
    let err = built.site.build_err();
    assert!(err.contains("template \"tags.html\" not found"), "{err}");
}

#[test]
fn theme_export_writes_the_theme_refuses_to_overwrite_and_builds_the_same() {
    let site = TestSite::bare("basic");
    let export = |force: bool| {
        let mut cmd = raadsite();
        cmd.args(["theme", "export", "--root"]).arg(site.root());
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let out = export(false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("themes/raad/templates/base.html"), "{text}");
    assert!(text.contains("templates/ or static/"), "{text}");
    let theme = site.root().join("themes/raad");
    assert_eq!(
        output_files(&theme),
        output_files(&repo().join("themes/raad"))
    );
    for f in output_files(&theme) {
        assert!(
            fs::read(theme.join(&f)).unwrap()
                == fs::read(repo().join("themes/raad").join(&f)).unwrap(),
            "{f}"
        );
    }

    // A second export refuses, names the files and writes nothing.
    let base = theme.join("templates/base.html");
    fs::write(&base, "eigen versie").unwrap();
    let out = export(false);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("themes/raad/templates/base.html"), "{err}");
    assert!(
        err.contains("nothing was written") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&base).unwrap(), "eigen versie");
    let out = export(true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(fs::read_to_string(&base).unwrap(), "eigen versie");

    // The exported theme builds byte for byte what the built-in one builds.
    let exported = site.build();
    let built_in = TestSite::bare("basic").build();
    assert_same_output(&exported.out(), &built_in.out());
}

#[test]
fn theme_export_needs_an_existing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = raadsite()
        .args(["theme", "export", "--root"])
        .arg(dir.path().join("geen-site"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("geen-site").exists());
}

#[test]
fn the_sources_hash_is_the_same_with_the_theme_built_in_or_on_disk() {
    let bare = TestSite::bare("basic");
    let on_disk = TestSite::fixture("basic");
    let hash = |site: &TestSite| {
        let config = raadsite::config::load(site.root()).unwrap();
        raadsite::snapshot::sources_hash(site.root(), &config).unwrap()
    };
    assert_eq!(hash(&bare), hash(&on_disk));
    // A file of the site's own in the theme folder counts with its own bytes.
    let changed = on_disk.with_file("themes/raad/templates/404.html", &marked_404("Anders"));
    assert_ne!(hash(&bare).0, hash(&changed).0);
    assert_eq!(hash(&bare).1, hash(&changed).1);
}
