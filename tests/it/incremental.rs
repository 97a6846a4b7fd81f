//! Rebuilds as `serve` does them: after every edit the output must be exactly what a full
//! build gives, and pages the edit does not concern must not be rendered or written again.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::common::{TestSite, output_files};
use raadsite::{BuildOptions, Incremental, Profile, build_incremental};

fn rebuild(site: &TestSite, state: &mut Incremental) -> raadsite::Report {
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    build_incremental(&opts, Profile::default(), state)
        .unwrap_or_else(|d| panic!("incremental build failed:\n{d}"))
}

/// The output equals a full build of the same sources into a folder of its own.
fn assert_same_as_full_build(site: &TestSite) {
    let fresh = tempfile::tempdir().unwrap();
    let full = fresh.path().join("site");
    raadsite::build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(full.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("full build failed:\n{d}"));
    let (a, b) = (output_files(&site.output()), output_files(&full));
    assert_eq!(a, b, "the incremental output holds other files");
    for rel in &a {
        assert!(
            fs::read(site.output().join(rel)).unwrap() == fs::read(full.join(rel)).unwrap(),
            "{rel} differs from a full build"
        );
    }
}

/// Dates the file's last change a minute back (each call a little later than the last), as
/// if it had been written well before the build.
fn settle(path: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(then).unwrap();
}

fn inode(site: &TestSite, rel: &str) -> u64 {
    fs::metadata(site.output().join(rel)).unwrap().ino()
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const LETTER: &str = "content/brieven/2026-05-07-eerste-brief.md";

#[test]
fn every_kind_of_edit_gives_what_a_full_build_gives() {
    every_kind_of_edit(false);
}

/// As `serve` does: the file watcher names the changed files, so the content folders are
/// walked again only when a file was created or removed.
#[test]
fn every_kind_of_edit_named_by_a_watcher_gives_what_a_full_build_gives() {
    every_kind_of_edit(true);
}

/// Settles every content file (see [`settle`]).
fn settle_content(site: &TestSite) {
    for entry in walkdir::WalkDir::new(site.root().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            settle(entry.path());
        }
    }
}

fn every_kind_of_edit(tell: bool) {
    let site = TestSite::fixture("basic");
    // Files changed in the last seconds are always read again; these must be trusted.
    settle_content(&site);
    let mut state = Incremental::new();
    rebuild(&site, &mut state);
    assert_same_as_full_build(&site);

    let again = rebuild(&site, &mut state);
    assert_eq!(again.written, 0, "a rebuild without changes wrote files");

    let edits: [&dyn Fn(&TestSite); 8] = [
        &|s| edit(s, LETTER, "Dubbele kop krijgt", "Een dubbele kop krijgt"),
        &|s| {
            edit(
                s,
                LETTER,
                "title = \"Eerste brief\"",
                "title = \"Herziene brief\"",
            )
        },
        &|s| {
            edit(
                s,
                LETTER,
                "tags = [\"NPVR\", \"Financiën\"]",
                "tags = [\"Wonen\"]",
            )
        },
        &|s| {
            fs::write(
                s.root().join("content/brieven/2026-08-01-nieuw.md"),
                "+++\ntitle = \"Nieuwe brief\"\ndate = 2026-08-01\ngemeenten = [\"alle\"]\n+++\n\nZie [de eerste](2026-05-07-eerste-brief.md#eerste-kop).\n",
            )
            .unwrap()
        },
        &|s| fs::remove_file(s.root().join("content/brieven/2026-06-01-tweede-brief.md")).unwrap(),
        &|s| {
            edit(
                s,
                "content/opgaven/01-eerste.md",
                "Beschrijving",
                "Nieuwe beschrijving",
            )
        },
        // Letters show the titles of the opgaven they name.
        &|s| {
            edit(
                s,
                "content/opgaven/01-eerste.md",
                "title = \"Voorbeeldopgave 1\"",
                "title = \"Voorbeeldopgave een\"",
            )
        },
        &|s| {
            let t = s.root().join("themes/raad/templates/brief.html");
            let text = fs::read_to_string(&t).unwrap();
            fs::write(t, format!("{text}\n{{# changed #}}\n")).unwrap();
        },
    ];
    let touched = [
        LETTER,
        LETTER,
        LETTER,
        "content/brieven/2026-08-01-nieuw.md",
        "content/brieven/2026-06-01-tweede-brief.md",
        "content/opgaven/01-eerste.md",
        "content/opgaven/01-eerste.md",
        "themes/raad/templates/brief.html",
    ];
    for (n, apply) in edits.iter().enumerate() {
        let mut paths = vec![site.root().join(touched[n])];
        // The second letter is linked from the first; drop the link before the letter.
        if n == 4 {
            edit(
                &site,
                LETTER,
                "[de tweede brief](2026-06-01-tweede-brief.md#slot)",
                "de tweede brief",
            );
            paths.push(site.root().join(LETTER));
        }
        apply(&site);
        for p in paths.iter().filter(|p| p.exists()) {
            settle(p);
        }
        if tell {
            state.edited(Some(paths));
        }
        rebuild(&site, &mut state);
        assert_same_as_full_build(&site);
    }
}

#[test]
fn a_body_edit_leaves_the_lists_alone_and_a_title_edit_does_not() {
    let site = TestSite::fixture("basic");
    let mut state = Incremental::new();
    rebuild(&site, &mut state);
    let page = "brieven/eerste-brief/index.html";
    let (list, home, other) = (
        inode(&site, "brieven/index.html"),
        inode(&site, "index.html"),
        inode(&site, "brieven/tweede-brief/index.html"),
    );

    edit(
        &site,
        LETTER,
        "Dubbele kop krijgt",
        "Een dubbele kop krijgt",
    );
    let report = rebuild(&site, &mut state);
    assert!(
        fs::read_to_string(site.output().join(page))
            .unwrap()
            .contains("Een dubbele kop")
    );
    assert_eq!(
        inode(&site, "brieven/index.html"),
        list,
        "the list was written again"
    );
    assert_eq!(
        inode(&site, "index.html"),
        home,
        "the home page was written again"
    );
    assert_eq!(inode(&site, "brieven/tweede-brief/index.html"), other);
    assert!(
        report.written < 10,
        "{} files written for one body edit",
        report.written
    );

    edit(
        &site,
        LETTER,
        "title = \"Eerste brief\"",
        "title = \"Herziene brief\"",
    );
    rebuild(&site, &mut state);
    let list_html = fs::read_to_string(site.output().join("brieven/index.html")).unwrap();
    assert!(
        list_html.contains("Herziene brief"),
        "the list shows the old title"
    );
    assert_ne!(inode(&site, "brieven/index.html"), list);
    assert_same_as_full_build(&site);
}

#[test]
fn a_failed_rebuild_keeps_the_site_and_the_next_good_one_catches_up() {
    let site = TestSite::fixture("basic");
    let mut state = Incremental::new();
    rebuild(&site, &mut state);
    edit(
        &site,
        LETTER,
        "title = \"Eerste brief\"",
        "title = \"Herziene brief\"",
    );
    let opgave = "content/opgaven/02-tweede.md";
    let good = fs::read_to_string(site.root().join(opgave)).unwrap();
    fs::write(site.root().join(opgave), "+++\nnummer = \"twee\"\n+++\n").unwrap();
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    assert!(build_incremental(&opts, Profile::default(), &mut state).is_err());
    let list = fs::read_to_string(site.output().join("brieven/index.html")).unwrap();
    assert!(
        list.contains("Eerste brief"),
        "a failed build changed the site"
    );
    fs::write(site.root().join(opgave), good).unwrap();
    rebuild(&site, &mut state);
    assert_same_as_full_build(&site);
}

#[test]
fn an_output_folder_replaced_behind_its_back_is_built_in_full() {
    let site = TestSite::fixture("basic");
    let mut state = Incremental::new();
    rebuild(&site, &mut state);
    fs::remove_dir_all(site.output()).unwrap();
    rebuild(&site, &mut state);
    assert!(Path::new(&site.output().join("brieven/index.html")).is_file());
    assert_same_as_full_build(&site);
}

/// The search index of a site of several text shards: an edit replaces the documents of
/// its shard in the index kept from the build before; terms that leave the site leave the
/// index, and a site that shrinks by a shard loses its documents.
#[test]
fn edits_across_search_shards_give_what_a_full_build_gives() {
    let mut site = TestSite::fixture("basic");
    let letter = |i: usize| format!("content/brieven/2025-03-{:02}-reeks-{i}.md", i % 28 + 1);
    for i in 0..60 {
        site = site.with_file(
            &letter(i),
            &format!(
                "+++\ntitle = \"Reeksbrief {i}\"\ndate = 2025-03-{:02}\ngemeenten = [\"almelo\"]\n+++\n\nOver onderwerp{i} en gedeeld{}.\n",
                i % 28 + 1,
                i % 3
            ),
        );
    }
    settle_content(&site);
    let mut state = Incremental::new();
    rebuild(&site, &mut state);
    assert_same_as_full_build(&site);
    let steps: [&dyn Fn(&TestSite); 5] = [
        &|s| edit(s, &letter(30), "onderwerp30", "ander30"),
        &|s| {
            edit(s, &letter(5), "Reeksbrief 5", "Herziene reeksbrief");
            edit(s, &letter(45), "gedeeld0", "gedeeld1");
        },
        &|s| {
            for i in 20..60 {
                fs::remove_file(s.root().join(letter(i))).unwrap();
            }
        },
        &|s| {
            fs::write(
                s.root().join(letter(70)),
                "+++\ntitle = \"Late brief\"\ndate = 2025-03-02\n+++\n\nOver onderwerp3.\n",
            )
            .unwrap()
        },
        &|s| edit(s, &letter(3), "onderwerp3", "nieuw3"),
    ];
    for step in steps {
        step(&site);
        for i in [3, 5, 30, 45, 70] {
            let path = site.root().join(letter(i));
            if path.exists() {
                settle(&path);
            }
        }
        rebuild(&site, &mut state);
        assert_same_as_full_build(&site);
    }
}
