//! The search index, the search page and the forwarding kit, as written by a build. The
//! search itself (the theme's script) is tested in a browser by `.ci/search.sh`.

use crate::common::{TestSite, attr_values, output_files};
use raadsite::links::percent_decode;
use raadsite::search::{BODY_FACTOR, IN_DESCRIPTION, IN_TITLE, STOP_WORDS, fold};
use serde_json::Value;

const SEED: &str = "brieven/plan-voor-de-regio/index.html";
const FIRST: &str = "brieven/eerste-brief/index.html";

/// The JSON value a generated script passes on: `prefix <json> suffix`.
fn script_json(text: &str, prefix: &str, suffix: &str) -> Value {
    let json = text
        .strip_prefix(prefix)
        .and_then(|t| t.strip_suffix(suffix))
        .unwrap_or_else(|| panic!("not `{prefix}...{suffix}`: {}", &text[..80.min(text.len())]));
    serde_json::from_str(json).expect("valid JSON")
}

/// The value of six bits a character of a packed string stands for.
fn digit(c: u8) -> u64 {
    let digits = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    digits
        .iter()
        .position(|&d| d == c)
        .expect("a packed character") as u64
}

/// `(document, weight)` pairs of a packed posting string, decoded as the search page does.
fn unpack(packed: &str) -> Vec<(usize, u64)> {
    let b = packed.as_bytes();
    let (mut out, mut next, mut i) = (Vec::new(), 0, 0);
    while i < b.len() {
        let c = digit(b[i]);
        i += 1;
        if c & 32 == 0 {
            let (mut gap, mut shift) = (0, 0);
            loop {
                let v = digit(b[i]);
                i += 1;
                gap |= (v & 31) << shift;
                shift += 5;
                if v & 32 == 0 {
                    break;
                }
            }
            next += gap as usize + 1;
        }
        out.push((next, c & 31));
        next += 1;
    }
    out
}

/// The index with the terms and postings of all its term shards gathered in `termen` and
/// `postings` (unpacked), the documents of all document shards in `docs` and the
/// documents of every filter value in `filters`.
fn index(built: &crate::common::Built) -> Value {
    let mut ix = script_json(&built.read("zoeken/index.js"), "window.RAAD_ZOEK = ", ";\n");
    let (mut termen, mut postings) = (Vec::new(), Vec::new());
    let firsts = ix["delen"].as_array().unwrap().clone();
    for (n, first) in firsts.iter().enumerate() {
        let shard = script_json(
            &built.read(&format!("zoeken/termen/{n}.js")),
            &format!("RAAD_ZOEK_TERMEN({n}, "),
            ");\n",
        );
        assert_eq!(&shard[0][0], first, "delen[{n}] is the shard's first term");
        termen.extend(shard[0].as_array().unwrap().iter().cloned());
        for p in shard[1].as_array().unwrap() {
            let pairs = unpack(p.as_str().unwrap());
            postings.push(serde_json::json!(pairs));
        }
    }
    assert!(!built.exists(&format!("zoeken/termen/{}.js", firsts.len())));
    let n = ix["n"].as_u64().unwrap() as usize;
    let per = ix["per_deel"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for shard in 0..n.div_ceil(per) {
        let list = script_json(
            &built.read(&format!("zoeken/docs/{shard}.js")),
            &format!("RAAD_ZOEK_DOCS({shard}, "),
            ");\n",
        );
        docs.extend(list.as_array().unwrap().iter().cloned());
    }
    assert_eq!(docs.len(), n);
    let mut filters = serde_json::Map::new();
    for f in output_files(&built.out()) {
        let Some(name) = f
            .strip_prefix("zoeken/filters/")
            .and_then(|f| f.strip_suffix(".js"))
        else {
            continue;
        };
        let text = built.read(&f);
        let bits = text
            .strip_prefix(&format!("RAAD_ZOEK_FILTER(\"{name}\", \""))
            .and_then(|t| t.strip_suffix("\");\n"))
            .unwrap();
        let members: Vec<usize> = (0..bits.len() * 6)
            .filter(|d| digit(bits.as_bytes()[d / 6]) >> (d % 6) & 1 == 1)
            .collect();
        filters.insert(name.to_owned(), serde_json::json!(members));
    }
    ix["termen"] = Value::Array(termen);
    ix["postings"] = Value::Array(postings);
    ix["docs"] = Value::Array(docs);
    ix["filters"] = Value::Object(filters);
    ix
}

fn doc_index(ix: &Value, url: &str) -> usize {
    ix["docs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d["u"] == url)
        .unwrap_or_else(|| panic!("{url} not in the index"))
}

/// (document, weight) pairs of `term`.
fn postings(ix: &Value, term: &str) -> Vec<(usize, u64)> {
    let terms = ix["termen"].as_array().unwrap();
    let Some(i) = terms.iter().position(|t| t == term) else {
        return Vec::new();
    };
    serde_json::from_value(ix["postings"][i].clone()).unwrap()
}

/// The values of the filter `key` ("s", "g" or "h") whose documents hold `doc`, by their
/// names in `table`.
fn names(ix: &Value, key: &str, doc: usize, table: &str) -> Vec<String> {
    let values = ix[table].as_array().unwrap();
    (0..values.len())
        .filter(|k| {
            ix["filters"][format!("{key}{k}")]
                .as_array()
                .is_some_and(|docs| docs.iter().any(|d| d == doc))
        })
        .map(|k| match &values[k] {
            Value::Object(s) => s["naam"].as_str().unwrap().to_owned(),
            v => v.as_str().unwrap().to_owned(),
        })
        .collect()
}

#[test]
fn example_index_finds_the_seed_letter_by_a_folded_word() {
    let built = TestSite::example().build();
    let ix = index(&built);
    let seed = doc_index(&ix, SEED);
    let doc = &ix["docs"][seed];
    assert_eq!(
        doc["t"],
        "Plan voor de Regio (Nationaal Programma Vitale Regio's)"
    );
    assert_eq!(doc["k"], "2600013167");
    assert_eq!(doc["d"], "7 mei 2026");
    assert_eq!(doc["s"], "brief");
    // The letter says "geïnformeerd" three times; the index has it without the diaeresis.
    let hits = postings(&ix, "geinformeerd");
    assert_eq!(hits.len(), 1, "{hits:?}");
    // In the body only: no flags, and a weight for its three times.
    assert_eq!(hits[0].0, seed);
    assert_eq!(hits[0].1 % u64::from(BODY_FACTOR), 0);
    assert!(hits[0].1 >= u64::from(BODY_FACTOR), "{hits:?}");
    assert!(postings(&ix, "geïnformeerd").is_empty());
    // Title words are flagged, so that the script ranks them above body words.
    let (_, w) = postings(&ix, "vitale")
        .into_iter()
        .find(|(d, _)| *d == seed)
        .expect("title word indexed");
    assert_eq!(w & u64::from(IN_TITLE), u64::from(IN_TITLE));
    let (_, w) = postings(&ix, "uitvoeringsagenda")
        .into_iter()
        .find(|(d, _)| *d == seed)
        .unwrap();
    assert_eq!(w & u64::from(IN_DESCRIPTION), u64::from(IN_DESCRIPTION));
    // The kenmerk is searchable.
    assert_eq!(postings(&ix, "2600013167")[0].0, seed);
}

#[test]
fn index_lists_every_page_with_its_url_and_terms_are_folded_and_sorted() {
    let built = TestSite::example().build();
    let ix = index(&built);
    let urls: Vec<&str> = ix["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["u"].as_str().unwrap())
        .collect();
    for url in &urls {
        assert!(built.exists(url), "{url} is indexed but not built");
    }
    let pages: Vec<String> = output_files(&built.out())
        .into_iter()
        .filter(|f| {
            (f.starts_with("brieven/") || f.starts_with("opgaven/"))
                && f.ends_with("/index.html")
                && f.matches('/').count() == 2
        })
        .collect();
    for p in &pages {
        assert!(urls.contains(&p.as_str()), "{p} is not in the index");
    }
    let terms: Vec<&str> = ix["termen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms.windows(2).all(|w| w[0] < w[1]),
        "terms sorted, unique"
    );
    for t in &terms {
        assert_eq!(fold(t), *t, "term {t:?} is not folded");
        assert!(t.chars().all(char::is_alphanumeric), "{t:?}");
        assert!(!STOP_WORDS.contains(t), "stop word {t:?} indexed");
    }
    assert_eq!(terms.len(), ix["postings"].as_array().unwrap().len());
}

#[test]
fn example_index_stays_small() {
    let built = TestSite::example().build();
    let files = output_files(&built.out());
    let size: usize = files
        .iter()
        .filter(|f| f.starts_with("zoeken/") && f.ends_with(".js"))
        .map(|f| built.read(f).len())
        .sum();
    assert!(size < 48_000, "the search files are {size} bytes");
}

#[test]
fn document_shards_hold_plain_text_for_snippets() {
    let built = TestSite::example().build();
    let ix = index(&built);
    let seed = doc_index(&ix, SEED);
    let text = ix["docs"][seed]["x"].as_str().unwrap();
    assert!(text.chars().count() <= raadsite::search::TEXT_CHARS);
    assert!(
        text.starts_with("Geachte colleges, Op verzoek"),
        "{text:.80}"
    );
    assert!(
        text.contains("bent u geïnformeerd"),
        "original spelling kept"
    );
    assert!(!text.contains("##") && !text.contains('\n'), "plain text");
}

#[test]
fn filters_know_sections_gemeenten_and_themes() {
    let built = TestSite::fixture("basic").build();
    let ix = index(&built);
    let first = doc_index(&ix, FIRST);
    let second = doc_index(&ix, "brieven/tweede-brief/index.html");
    let old = doc_index(&ix, "brieven/oud/index.html");
    let opgave = doc_index(&ix, "opgaven/01-eerste/index.html");
    assert_eq!(names(&ix, "s", first, "secties"), ["brieven"]);
    assert_eq!(names(&ix, "s", opgave, "secties"), ["opgaven"]);
    // Documents are numbered newest first.
    assert!(second < first && first < old, "{second} {first} {old}");
    assert_eq!(
        names(&ix, "g", first, "gemeenten"),
        ["almelo", "hof-van-twente", "rh"],
        "addressed to alle"
    );
    assert_eq!(names(&ix, "g", second, "gemeenten"), ["almelo"]);
    assert_eq!(names(&ix, "g", opgave, "gemeenten"), ["almelo", "rh"]);
    assert_eq!(names(&ix, "h", opgave, "themas"), ["Wonen"]);
    // A letter takes the themes of the opgaven it concerns.
    assert_eq!(names(&ix, "h", old, "themas"), ["Wonen"]);
    assert!(names(&ix, "h", second, "themas").is_empty());
    // Drafts are not published, so not indexed either.
    assert!(!built.read("zoeken/index.js").contains("concept"));
    // The search page offers the same values.
    built
        .assert_contains("zoeken/index.html", "<option value=\"opgaven\">")
        .assert_contains(
            "zoeken/index.html",
            "<option value=\"rh\">Rijssen-Holten</option>",
        )
        .assert_contains(
            "zoeken/index.html",
            "<option value=\"Wonen\">Wonen</option>",
        );
}

#[test]
fn index_is_the_same_on_every_build() {
    let a = TestSite::fixture("basic").build();
    let b = TestSite::fixture("basic").build();
    assert_eq!(a.read("zoeken/index.js"), b.read("zoeken/index.js"));
    assert_eq!(a.read("zoeken/docs/0.js"), b.read("zoeken/docs/0.js"));
    assert_eq!(
        a.read("zoeken/filters/g0.js"),
        b.read("zoeken/filters/g0.js")
    );
    assert_eq!(a.read("zoeken/termen/0.js"), b.read("zoeken/termen/0.js"));
}

#[test]
fn search_page_works_without_a_server_and_says_what_to_do_without_javascript() {
    let built = TestSite::fixture("basic").build();
    let page = "zoeken/index.html";
    built
        .assert_contains(page, "<label for=\"q\">Zoekwoorden</label>")
        .assert_contains(page, "role=\"status\" aria-live=\"polite\"")
        .assert_contains(page, "<script src=\"index.js\" defer></script>")
        .assert_contains(page, "<script src=\"../zoeken.js\" defer></script>")
        .assert_contains(page, "Zoeken werkt alleen met JavaScript")
        .assert_contains(page, "<a href=\"../brieven/index.html\">")
        // One search form on the search page: the header box is left out there.
        .assert_lacks(page, "zoekvak-q");
    assert!(built.exists("zoeken.js") && built.exists("doorsturen.js"));
    let js = built.read("zoeken.js") + &built.read("doorsturen.js");
    assert!(!js.contains("http"), "no third-party code or URLs");
}

#[test]
fn every_page_has_a_search_box_that_submits_to_the_search_page() {
    let built = TestSite::fixture("basic").build();
    for (page, action) in [
        ("index.html", "zoeken/index.html"),
        (FIRST, "../../zoeken/index.html"),
        ("gemeenten/index.html", "../zoeken/index.html"),
    ] {
        let html = built.read(page);
        assert!(
            html.contains(&format!(
                "<form class=\"zoekvak\" role=\"search\" action=\"{action}\" method=\"get\">"
            )),
            "{page}"
        );
        assert!(
            html.contains("<label for=\"zoekvak-q\">Zoeken</label>"),
            "{page}"
        );
    }
}

/// Subject and body of the `mailto:` link in `html`, decoded.
fn mailto(html: &str) -> (String, String) {
    let href = attr_values(html, "href")
        .into_iter()
        .find(|h| h.starts_with("mailto:"))
        .expect("a mailto link")
        .replace("&amp;", "&");
    let (subject, body) = href
        .strip_prefix("mailto:?subject=")
        .and_then(|r| r.split_once("&body="))
        .unwrap_or_else(|| panic!("{href}"));
    assert!(!subject.contains([' ', '&', '\n']) && !body.contains([' ', '&', '\n']));
    (percent_decode(subject), percent_decode(body))
}

#[test]
fn forwarding_kit_on_letters_and_opgaven_only() {
    let built = TestSite::fixture("basic").build();
    let html = built.read(FIRST);
    assert!(html.contains("<input id=\"vaste-link\" class=\"vaste-link\" type=\"text\" readonly value=\"brieven/eerste-brief/index.html\">"));
    assert!(html.contains("data-absoluut=\"nee\""));
    assert!(
        html.contains("<p class=\"doorsturen-knoppen\" hidden>"),
        "buttons only with JavaScript"
    );
    assert!(html.contains("<script src=\"../../doorsturen.js\" defer></script>"));
    let (subject, body) = mailto(&html);
    assert_eq!(subject, "Eerste brief (kenmerk 0012345)");
    assert_eq!(body, "brieven/eerste-brief/index.html");

    let (subject, _) = mailto(&built.read("opgaven/01-eerste/index.html"));
    assert_eq!(subject, "Opgave 1: Voorbeeldopgave 1");
    built.assert_lacks("info/over/index.html", "doorsturen");
}

#[test]
fn forwarding_kit_uses_the_permalink_when_base_url_is_set() {
    let built = TestSite::fixture("basic")
        .with_base_url("https://raad.example.nl/twente/")
        .with_file(
            "content/brieven/2026-06-01-tweede-brief.md",
            "+++\ntitle = \"Tweede & laatste brief?\"\ndate = 2026-06-01\nkenmerk = \"0012346\"\ndescription = \"Een regel met 'quotes' & een #hekje.\"\n+++\n\n## Slot\n",
        )
        .build();
    let html = built.read("brieven/tweede-brief/index.html");
    assert!(
        html.contains("readonly value=\"https://raad.example.nl/twente/brieven/tweede-brief/\""),
        "{html}"
    );
    assert!(html.contains("data-absoluut=\"ja\""));
    let (subject, body) = mailto(&html);
    assert_eq!(subject, "Tweede & laatste brief? (kenmerk 0012346)");
    assert_eq!(
        body,
        "https://raad.example.nl/twente/brieven/tweede-brief/\r\n\r\nEen regel met 'quotes' & een #hekje."
    );
}

#[test]
fn a_content_folder_named_like_the_search_page_is_an_error() {
    let site = TestSite::fixture("basic").with_file(
        "content/zoeken/iets.md",
        "+++\ntitle = \"Iets\"\n+++\n\nTekst.\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/zoeken")
            && err.contains("the folder name \"zoeken\" is reserved for the search page"),
        "{err}"
    );
}
