//! Long lists are cut into pages: the letters, a tag's pages and a gemeente's letters, with
//! a navigation (a `nav` with `aria-current`) whose links work from disk; every letter is on
//! exactly one page of each list; the home page stays the same size; an edit under `serve`
//! renders again only the list pages it changes, and gives what a full build gives.

use std::fs;
use std::os::unix::fs::MetadataExt;

use crate::common::{TestSite, assert_same_output, crawl};
use raadsite::paging::PER_PAGE;
use raadsite::{BuildOptions, Incremental, Profile, build_incremental};

/// Letters in the site: two full pages and a bit.
const LETTERS: usize = 2 * PER_PAGE + 17;

/// The basic fixture with [`LETTERS`] more letters, one a day, all to every gemeente and
/// all with the tag "Archief".
fn long_site() -> TestSite {
    let mut site = TestSite::bare("basic");
    for n in 0..LETTERS {
        let date = format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        let text = format!(
            "+++\ntitle = \"Archiefbrief {n}\"\ndate = {date}\nkenmerk = \"A-{n}\"\n\
             gemeenten = [\"alle\"]\ntags = [\"Archief\"]\n+++\n\nBrief nummer {n}.\n"
        );
        site = site.with_file(&format!("content/brieven/{date}-archief-{n:04}.md"), &text);
    }
    site
}

/// How often `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn long_lists_are_cut_into_pages_that_link_to_each_other() {
    let built = long_site().build();
    let letters = LETTERS + 3; // and the fixture's own published letters
    let pages = letters.div_ceil(PER_PAGE);
    assert_eq!(pages, 3);
    let mut seen = 0;
    for k in 1..=pages {
        let rel = if k == 1 {
            "brieven/index.html".to_owned()
        } else {
            format!("brieven/pagina-{k}.html")
        };
        let html = built.read(&rel);
        seen += count(&html, "<td data-label=\"Onderwerp\">");
        assert_eq!(count(&html, "<nav class=\"paginering\""), 1, "{rel}");
        assert!(
            html.contains("aria-label=\"Bladeren door de brieven\""),
            "{rel}"
        );
        assert!(
            html.contains(&format!(
                "aria-current=\"page\"><span class=\"visueel-verborgen\">Pagina </span>{k}</a>"
            )),
            "{rel} does not mark page {k} as current"
        );
        assert!(html.contains(&format!("Pagina {k} van {pages}")), "{rel}");
        assert_eq!(html.contains("rel=\"prev\""), k > 1, "{rel}");
        assert_eq!(html.contains("rel=\"next\""), k < pages, "{rel}");
    }
    assert_eq!(seen, letters, "every letter on exactly one page");
    assert!(!built.exists(&format!("brieven/pagina-{}.html", pages + 1)));
    built.assert_contains("brieven/pagina-2.html", "<title>Brieven (pagina 2 van 3)");
    // A tag's list and a gemeente's letters are paged the same way.
    built.assert_contains("tags/archief/pagina-3.html", "Pagina 3 van 3");
    built.assert_contains("gemeenten/almelo/pagina-2.html", "Pagina 2 van 3");
    // A later page of a gemeente's letters shows no opgaven; its first page does.
    built.assert_lacks("gemeenten/almelo/pagina-2.html", "opgaven-kop");
    built.assert_contains("gemeenten/almelo/index.html", "opgaven-kop");
    // Every page and every letter is reachable by clicking from the home page, from disk.
    let (reached, broken) = crawl(&built.out());
    assert!(broken.is_empty(), "broken links: {broken:?}");
    for rel in [
        "brieven/pagina-3.html",
        "tags/archief/pagina-2.html",
        "brieven/archief-0000/index.html",
    ] {
        assert!(reached.iter().any(|r| r == rel), "{rel} not reached");
    }
}

#[test]
fn the_home_page_stays_the_same_size_however_many_letters_there_are() {
    let small = TestSite::bare("basic").build();
    let long = long_site().build();
    let (a, b) = (small.read("index.html"), long.read("index.html"));
    assert_eq!(count(&a, "<tr>"), count(&b, "<tr>") - (10 - 3));
    assert!(
        b.len() < a.len() + 4096,
        "{} against {} bytes",
        b.len(),
        a.len()
    );
}

#[test]
fn a_title_edit_renders_again_only_the_list_pages_that_show_the_letter() {
    let site = long_site();
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        output: None,
        ..Default::default()
    };
    let mut state = Incremental::new();
    let rebuild = |state: &mut Incremental| {
        build_incremental(&opts, Profile::default(), state)
            .unwrap_or_else(|d| panic!("incremental build failed:\n{d}"))
    };
    rebuild(&mut state);
    let inode = |rel: &str| fs::metadata(site.output().join(rel)).unwrap().ino();
    let lists = [
        "brieven/index.html",
        "brieven/pagina-2.html",
        "brieven/pagina-3.html",
    ];
    let before: Vec<u64> = lists.iter().map(|r| inode(r)).collect();
    // The oldest letters are on the last page.
    let html = fs::read_to_string(site.output().join("brieven/pagina-3.html")).unwrap();
    let n = (0..LETTERS)
        .find(|n| html.contains(&format!(">Archiefbrief {n}<")))
        .unwrap();
    let file = fs::read_dir(site.root().join("content/brieven"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy()
                .ends_with(&format!("-archief-{n:04}.md"))
        })
        .unwrap();
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(&format!("Archiefbrief {n}\""), "Herziene archiefbrief\""),
    )
    .unwrap();
    state.edited(Some(vec![file]));
    rebuild(&mut state);
    let after: Vec<u64> = lists.iter().map(|r| inode(r)).collect();
    assert_eq!(
        after[..2],
        before[..2],
        "pages without the letter were written again"
    );
    assert_ne!(
        after[2], before[2],
        "the page with the letter was not written"
    );
    let full = tempfile::tempdir().unwrap();
    raadsite::build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(full.path().join("site")),
        ..Default::default()
    })
    .unwrap();
    assert_same_output(&site.output(), &full.path().join("site"));
}
