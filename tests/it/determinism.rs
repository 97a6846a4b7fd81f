//! The same input always gives byte-identical output: whatever order the file system lists
//! files in, and however many threads render.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{output_files, repo};

/// Every file of the fixture site, the theme, and extra pages that tie on date and title
/// so that any order taken from the file system or the thread pool would show.
fn site_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (from, prefix) in [
        (repo().join("tests/fixtures/basic"), ""),
        (repo().join("themes"), "themes/"),
    ] {
        for rel in output_files(&from) {
            files.push((format!("{prefix}{rel}"), fs::read(from.join(&rel)).unwrap()));
        }
    }
    for i in 0..24 {
        files.push((
            format!("content/brieven/2026-09-01-gelijk-{i:02}.md"),
            format!(
                "+++\ntitle = \"Gelijke brief\"\ndate = 2026-09-01\nslug = \"gelijk-{i:02}\"\n\
                 gemeenten = [\"{}\"]\nopgaven = [{}]\ntags = [\"Tag {}\", \"tag-{}\"]\n+++\n\n\
                 ## Kop\n\n## Kop\n\nZie [opgave](/opgaven/01-eerste.md) en [kop](#kop-1).\n",
                ["almelo", "alle", "rh"][i % 3],
                1 + i % 2,
                i % 5,
                i % 5,
            )
            .into_bytes(),
        ));
        files.push((
            format!("content/sectie-{}/pagina-{i:02}.md", i % 4),
            format!(
                "+++\ntitle = \"Pagina\"\nweight = {}\n+++\n\nTekst {i}.\n",
                i % 2
            )
            .into_bytes(),
        ));
    }
    files
}

/// Writes `files` into a new folder in the given order (folders are created as they come),
/// on tmpfs when there is one: it lists a folder in reverse order of creation, where ext4
/// lists by hash of the name.
fn write_site(files: &[(String, Vec<u8>)], tmpfs: bool) -> tempfile::TempDir {
    let dir = match Path::new("/dev/shm") {
        shm if tmpfs && shm.is_dir() => tempfile::tempdir_in(shm).unwrap(),
        _ => tempfile::tempdir().unwrap(),
    };
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    output_files(dir)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different files"
    );
    for (rel, bytes) in a {
        assert!(bytes == &b[rel], "{rel} differs");
    }
}

fn build_cli(root: &Path, out: &Path, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn output_does_not_depend_on_file_order_or_threads() {
    let files = site_files();
    let first = write_site(&files, true);
    let mut reversed = files.clone();
    reversed.reverse();
    let second = write_site(&reversed, true);
    let third = write_site(&files, false);
    let listing = |root: &Path| -> Vec<_> {
        fs::read_dir(root.join("content/brieven"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    };
    if first.path().starts_with("/dev/shm") {
        // The premise of this test: the file system really lists the folders differently.
        assert_ne!(listing(first.path()), listing(second.path()));
    }

    let outs = tempfile::tempdir().unwrap();
    let runs = [
        (first.path(), "1"),
        (second.path(), "4"),
        (third.path(), "4"),
        (second.path(), "1"),
    ];
    let mut trees = Vec::new();
    for (i, (root, threads)) in runs.into_iter().enumerate() {
        let out = outs.path().join(format!("out-{i}"));
        build_cli(root, &out, threads);
        trees.push(tree(&out));
    }
    assert!(trees[0].len() > 60, "{:?}", trees[0].keys());
    for t in &trees[1..] {
        assert_same(&trees[0], t);
    }
}

#[test]
fn rebuilding_in_place_gives_the_same_bytes() {
    let site = write_site(&site_files(), false);
    let out = site.path().join("public");
    build_cli(site.path(), &out, "2");
    let before = tree(&out);
    build_cli(site.path(), &out, "3");
    assert_same(&before, &tree(&out));
}
