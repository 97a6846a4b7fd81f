//! A raadsite built without the feature `pdf` (`--no-default-features`): no PDFs, no link to one, no
//! `pdf` in metadata.json, and a site that asks for PDFs is told how to get them.

use std::fs;

use crate::common::{TestSite, output_files};

#[test]
fn without_the_feature_a_site_makes_no_pdfs_and_names_none() {
    let built = TestSite::fixture("basic").build();
    let pdfs: Vec<String> = output_files(&built.out())
        .into_iter()
        .filter(|f| f.starts_with("brieven/") || f.starts_with("opgaven/"))
        .filter(|f| f.ends_with(".pdf") && !f.ends_with("/plan.pdf"))
        .collect();
    // The fixture's one PDF is an attachment (brieven/plan.pdf), not a rendition.
    assert_eq!(pdfs, Vec::<String>::new());
    built
        .assert_lacks("brieven/eerste-brief/index.html", "Download als PDF")
        .assert_lacks("brieven/eerste-brief/metadata.json", "\"pdf\"");
}

#[test]
fn pdf_enabled_without_the_feature_is_an_error_in_site_toml_saying_how_to_build_with_it() {
    let site = TestSite::fixture("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.with_file("site.toml", &format!("{toml}\n[pdf]\nenabled = true\n"));
    let err = site.build_err();
    let line = toml.lines().count() + 3;
    assert!(err.contains(&format!("site.toml:{line}:")), "{err}");
    assert!(err.contains("pdf.enabled"), "{err}");
    assert!(err.contains("built without PDF support"), "{err}");
    // The default build has PDF support: the way to get it.
    assert!(err.contains("cargo install --path ."), "{err}");
    assert!(err.contains("default features"), "{err}");
    assert!(
        !site.output().join("index.html").exists(),
        "nothing published"
    );
}

#[test]
fn an_empty_pdf_table_or_enabled_false_builds_without_pdfs() {
    for table in ["[pdf]\n", "[pdf]\nenabled = false\n"] {
        let site = TestSite::fixture("basic");
        let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
        site.with_file("site.toml", &format!("{toml}\n{table}"))
            .build()
            .assert_lacks("brieven/eerste-brief/index.html", "Download als PDF");
    }
}
