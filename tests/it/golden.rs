//! Golden files: every kind of page and generated file of the `basic` fixture (with
//! `base_url`, so that feeds and the sitemap are made too), byte for byte. A change to the
//! theme, a view or a generator shows here as a diff to read before it is accepted:
//! `INSTA_UPDATE=always cargo test --test it golden::` writes the new files into
//! `tests/it/snapshots/`, and `git diff` shows what changed.

use crate::common::TestSite;

/// One output of each kind: the list and fixed pages, a letter, an opgave, an other page,
/// the metadata and the feeds.
const KINDS: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("not_found", "404.html"),
    ("letters", "brieven/index.html"),
    ("letter", "brieven/eerste-brief/index.html"),
    ("letter_metadata", "brieven/eerste-brief/metadata.json"),
    ("opgaven", "opgaven/index.html"),
    ("opgave", "opgaven/01-eerste/index.html"),
    ("section", "info/index.html"),
    ("page", "info/over/index.html"),
    ("gemeenten", "gemeenten/index.html"),
    ("gemeente", "gemeenten/almelo/index.html"),
    ("tags", "tags/index.html"),
    ("tag", "tags/npvr/index.html"),
    ("search", "zoeken/index.html"),
    ("toegankelijkheid", "toegankelijkheid/index.html"),
    ("metadata_index", "index.json"),
    ("metadata_part", "index/2026-05.json"),
    ("letters_feed", "brieven/atom.xml"),
    ("sitemap", "sitemap.xml"),
    ("robots", "robots.txt"),
];

#[test]
fn every_kind_of_output_is_as_reviewed() {
    let built = TestSite::fixture("basic")
        .with_base_url("https://raad.example.nl/twente/")
        .build();
    for (name, rel) in KINDS {
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(*rel);
        settings.bind(|| insta::assert_snapshot!(*name, built.read(rel)));
    }
}
