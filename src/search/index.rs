//! The index files of a site from what was collected of its pages: the start of the index,
//! the term shards with every term's postings packed, the document shards and the filters.
//!
//! Documents are numbered newest first (by date, undated last, then in page order), so that
//! the search page sorts equal scores, and results of a filter alone, by number. A
//! posting's weight is made here, once: the word's count in the body scored with BM25 and
//! cut to [`LEVELS`] levels, plus the title and summary flags; so the search page needs no
//! table of documents, only the postings of the words asked for.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::encode::{self, Doc, Index, Section};
use super::postings::Collector;
use super::{BODY_FACTOR, DOCS_PER_PART, INDEX_URL, STOP_WORDS, TERM_SHARD_BYTES};
use crate::artifact::OutputFile;
use crate::content::Kind;
use crate::site::Site;
use crate::views::Summary;

/// BM25's parameters, as the search page has them.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// The levels a body weight is cut to: 1 to 7 (0: not in the body).
const LEVELS: f64 = 7.0;

/// The files of the search index as [`index_files`] makes them.
pub struct IndexFiles {
    /// Files made now.
    pub files: Vec<OutputFile>,
    /// Paths of files whose bytes are those of the earlier render.
    pub kept: Vec<String>,
    /// The key of every file, by path.
    pub keys: FxHashMap<String, u128>,
}

/// The index files for `site` but the document shards (see [`doc_shards`]): the start, the
/// term shards and the filters; `summaries` are the list views of its pages (same order),
/// `search` what was collected of every page. Deterministic: the same site gives the same
/// bytes.
///
/// With `earlier`, the keys an earlier render gave its files, a file with the same key is
/// only named, not handed on again: an edit changes the postings of a few terms and one
/// document.
pub fn index_files(
    site: &Site,
    summaries: &[Summary],
    search: &Collector,
    earlier: Option<&FxHashMap<String, u128>>,
) -> IndexFiles {
    let themes = themes(site);
    let (_, rank) = newest_first(summaries);
    let terms = packed_terms(search, &rank);
    let shards = term_shards(&terms);
    let term_files: Vec<OutputFile> = shards
        .par_iter()
        .enumerate()
        .map(|(n, shard)| encode::term_shard(n, shard))
        .collect();
    // The packed terms are in the files now: only the first of each shard is kept.
    let firsts: Vec<String> = shards.iter().map(|s| s[0].0.clone()).collect();
    drop(terms);
    let index = Index {
        versie: 2,
        n: summaries.len(),
        per_deel: DOCS_PER_PART,
        stop: STOP_WORDS,
        secties: site
            .sections
            .iter()
            .map(|s| Section {
                naam: &s.name,
                titel: &s.title,
            })
            .collect(),
        gemeenten: site
            .config
            .gemeenten
            .iter()
            .map(|g| g.slug.as_str())
            .collect(),
        themas: themes.iter().map(String::as_str).collect(),
        delen: firsts.iter().map(String::as_str).collect(),
        groottes: term_files.iter().map(|f| f.bytes.len()).collect(),
    };
    let mut files = vec![OutputFile {
        path: INDEX_URL.to_owned(),
        bytes: encode::index_script(&index),
    }];
    files.extend(term_files);
    files.extend(
        filters(site, &themes, &rank)
            .into_iter()
            .map(|(name, docs)| encode::filter_file(&name, &docs)),
    );
    keep_unchanged(files, earlier)
}

/// The document shards, handed to `each` a group at a time (as [`IndexFiles`]), so that
/// they are never all held at once; `texts` are the start of every page's readable text.
pub fn doc_shards(
    summaries: &[Summary],
    texts: &[&str],
    earlier: Option<&FxHashMap<String, u128>>,
    each: &mut dyn FnMut(IndexFiles),
) {
    /// Document shards made and handed on together.
    const GROUP: usize = 1024;
    let (order, _) = newest_first(summaries);
    for (g, group) in order.chunks(GROUP * DOCS_PER_PART).enumerate() {
        let files: Vec<OutputFile> = group
            .par_chunks(DOCS_PER_PART)
            .enumerate()
            .map(|(n, docs)| {
                let docs: Vec<Doc> = docs
                    .iter()
                    .map(|&p| doc(&summaries[p as usize], texts[p as usize]))
                    .collect();
                encode::doc_shard(g * GROUP + n, &docs)
            })
            .collect();
        each(keep_unchanged(files, earlier));
    }
}

/// Splits `files` into those to hand on and those whose key is the one in `earlier`.
fn keep_unchanged(files: Vec<OutputFile>, earlier: Option<&FxHashMap<String, u128>>) -> IndexFiles {
    let Some(earlier) = earlier else {
        return IndexFiles {
            files,
            kept: Vec::new(),
            keys: FxHashMap::default(),
        };
    };
    let keyed: Vec<(OutputFile, u128)> = files
        .into_par_iter()
        .map(|f| {
            let key = xxhash_rust::xxh3::xxh3_128(&f.bytes);
            (f, key)
        })
        .collect();
    let mut out = IndexFiles {
        files: Vec::new(),
        kept: Vec::new(),
        keys: FxHashMap::default(),
    };
    for (f, key) in keyed {
        out.keys.insert(f.path.clone(), key);
        if earlier.get(&f.path) == Some(&key) {
            out.kept.push(f.path);
        } else {
            out.files.push(f);
        }
    }
    out
}

/// A document of the document shards.
fn doc<'a>(s: &'a Summary, text: &'a str) -> Doc<'a> {
    Doc {
        t: &s.title,
        u: &s.url,
        s: s.kind,
        d: s.datum.as_deref(),
        k: s.kenmerk.as_deref(),
        n: s.nummer,
        o: s.description.as_deref(),
        x: text,
    }
}

/// The pages in search order (newest first, undated last, then by page), and each page's
/// number in that order.
fn newest_first(summaries: &[Summary]) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..summaries.len() as u32).collect();
    order.par_sort_by(|&a, &b| {
        let (da, db) = (
            &summaries[a as usize].datum_iso,
            &summaries[b as usize].datum_iso,
        );
        match (da, db) {
            (Some(x), Some(y)) => y.cmp(x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        }
    });
    let mut rank = vec![0; order.len()];
    for (r, &p) in order.iter().enumerate() {
        rank[p as usize] = r as u32;
    }
    (order, rank)
}

/// Every indexed term, sorted, with its postings packed: documents by their number in
/// search order, weights made with BM25 (see the module documentation).
fn packed_terms(search: &Collector, rank: &[u32]) -> Vec<(String, Vec<u8>)> {
    let lengths = search.lengths(rank.len());
    let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    let avg = typical_length(total as f64 / rank.len().max(1) as f64);
    let terms = search.sorted_terms();
    terms
        .into_par_iter()
        .map(|(term, list)| {
            let mut pairs: Vec<(u32, u8)> = list
                .chunks_exact(2)
                .map(|p| {
                    (
                        rank[p[0] as usize],
                        weight(p[1], lengths[p[0] as usize], avg),
                    )
                })
                .collect();
            pairs.sort_unstable_by_key(|p| p.0);
            let mut packed = Vec::with_capacity(pairs.len() + pairs.len() / 2);
            encode::postings(&mut packed, pairs.into_iter());
            (term, packed)
        })
        .collect()
}

/// The average length the weights are made with: the real one rounded to a quarter power
/// of two, so that an edit seldom changes it (and with it every posting).
fn typical_length(avg: f64) -> f64 {
    if avg < 1.0 {
        return 1.0;
    }
    ((avg.log2() * 4.0).round() / 4.0).exp2()
}

/// A posting's packed weight from the collected one (count in the body times
/// [`BODY_FACTOR`] plus the flags) and the document's length: the BM25 level (0 to
/// [`LEVELS`]) times four, plus the flags.
fn weight(collected: u32, length: u32, avg: f64) -> u8 {
    let tf = f64::from(collected / BODY_FACTOR);
    let flags = (collected % BODY_FACTOR) as u8;
    let level = if tf == 0.0 {
        0
    } else {
        let part = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * f64::from(length) / avg));
        (part / (K1 + 1.0) * LEVELS).ceil().clamp(1.0, LEVELS) as u8
    };
    level << 2 | flags
}

/// The documents (by number in search order) of every filter value: `s<i>` section `i`,
/// `g<k>` gemeente `k`, `h<t>` theme `t` of `themes`; values without documents left out.
fn filters(site: &Site, themes: &[String], rank: &[u32]) -> Vec<(String, Vec<u32>)> {
    let sorted = |pages: &mut dyn Iterator<Item = usize>| {
        let mut v: Vec<u32> = pages.map(|p| rank[p]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut out = Vec::new();
    for (i, s) in site.sections.iter().enumerate() {
        out.push((format!("s{i}"), sorted(&mut s.pages.iter().copied())));
    }
    for (k, g) in site.gemeenten.iter().enumerate() {
        out.push((
            format!("g{k}"),
            sorted(&mut g.letters.iter().chain(&g.opgaven).copied()),
        ));
    }
    let doc_themes = doc_themes(site, themes);
    for t in 0..themes.len() {
        let mut pages = (0..site.pages.len()).filter(|&p| doc_themes[p].contains(&t));
        out.push((format!("h{t}"), sorted(&mut pages)));
    }
    out.retain(|(_, docs)| !docs.is_empty());
    out
}

/// The themes of the site's opgaven, sorted, without duplicates: the thema filter's options.
pub fn themes(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = site
        .pages
        .iter()
        .filter_map(|p| match &p.doc.kind {
            Kind::Opgave(o) => o.thema.clone(),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Per document: its themes as indexes into `themes`, sorted: an opgave's own, a letter's
/// those of the opgaven it concerns.
fn doc_themes(site: &Site, themes: &[String]) -> Vec<Vec<usize>> {
    let theme_of = |p: usize| -> Option<usize> {
        match &site.pages[p].doc.kind {
            Kind::Opgave(o) => o.thema.as_ref().and_then(|t| themes.binary_search(t).ok()),
            _ => None,
        }
    };
    let n = site.pages.len();
    let mut doc_themes: Vec<Vec<usize>> =
        (0..n).map(|p| theme_of(p).into_iter().collect()).collect();
    let mut opgave_letters: Vec<(&usize, &Vec<usize>)> = site.opgave_letters.iter().collect();
    opgave_letters.sort();
    for (&o, letters) in opgave_letters {
        if let Some(t) = theme_of(o) {
            for &l in letters {
                doc_themes[l].push(t);
            }
        }
    }
    for t in &mut doc_themes {
        t.sort_unstable();
        t.dedup();
    }
    doc_themes
}

/// Splits the sorted terms into runs of about [`TERM_SHARD_BYTES`] (none when the site has
/// no words).
///
/// A run ends at the size limit, or once it is nearly full before a term picked by its
/// hash: so the ends of runs depend on the terms around them, and a term added or a
/// posting changed moves at most the end of its own run, not those of every run after it.
/// Runs an edit leaves alone keep their bytes, and an incremental build keeps their files.
fn term_shards<S: AsRef<str>, P: AsRef<[u8]>>(terms: &[(S, P)]) -> Vec<&[(S, P)]> {
    /// A run may end before a picked term once it is this full.
    const NEARLY_FULL: usize = TERM_SHARD_BYTES - TERM_SHARD_BYTES / 16;
    let picked = |term: &str| xxhash_rust::xxh3::xxh3_64(term.as_bytes()).is_multiple_of(8);
    let mut shards = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (term, postings)) in terms.iter().enumerate() {
        let cost = term.as_ref().len() + 6 + postings.as_ref().len();
        let full = size + cost > TERM_SHARD_BYTES;
        if size > 0 && (full || (size >= NEARLY_FULL && picked(term.as_ref()))) {
            shards.push(&terms[start..i]);
            (start, size) = (i, 0);
        }
        size += cost;
    }
    if start < terms.len() {
        shards.push(&terms[start..]);
    }
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_shards_are_runs_of_about_the_target_size() {
        let terms: Vec<(String, Vec<u8>)> = (0..2000)
            .map(|i| (format!("term{i:05}"), vec![b'A'; 26]))
            .collect();
        let shards = term_shards(&terms);
        // 2000 terms of 41 bytes each.
        assert_eq!(shards.len(), 2000 * 41 / TERM_SHARD_BYTES + 1);
        assert_eq!(shards.iter().map(|s| s.len()).sum::<usize>(), 2000);
        assert!(term_shards::<&str, Vec<u8>>(&[]).is_empty());
        // A term bigger than a shard gets a shard of its own.
        let big = [("a", vec![b'A'; 2 * TERM_SHARD_BYTES]), ("b", vec![b'A'])];
        assert_eq!(term_shards(&big).len(), 2);
    }

    /// A term added in the middle changes the run it falls in (and at most the next), not
    /// every run after it: the unchanged runs keep their files in an incremental build.
    #[test]
    fn an_added_term_leaves_the_other_term_shards_alone() {
        let words: Vec<(String, Vec<u8>)> = (0..6000)
            .map(|i| (format!("term{i:05}"), vec![b'A'; 4 + i % 80]))
            .collect();
        let mut more = words.clone();
        more.insert(3001, ("term03000a".to_owned(), vec![b'A'; 60]));
        let before = term_shards(&words);
        let after = term_shards(&more);
        assert!(before.len() > 10, "{} shards", before.len());
        let same = after.iter().filter(|s| before.contains(s)).count();
        assert!(
            same + 2 >= before.len(),
            "{same} of {} shards kept",
            before.len()
        );
    }

    #[test]
    fn weights_rank_a_short_page_above_a_long_one_and_keep_the_flags() {
        let avg = 100.0;
        let short = weight(3 * BODY_FACTOR, 50, avg);
        let long = weight(3 * BODY_FACTOR, 1000, avg);
        assert!(short > long && long >= 4, "{short} {long}");
        assert_eq!(weight(1, 100, avg), 1, "title only");
        assert_eq!(weight(40 * BODY_FACTOR + 3, 100, avg) & 3, 3);
        assert!(weight(1000 * BODY_FACTOR + 3, 1, avg) < 32);
        assert_eq!(typical_length(100.0), typical_length(104.0));
    }

    #[test]
    fn documents_are_numbered_newest_first() {
        let s = |d: Option<&str>| Summary {
            datum_iso: d.map(str::to_owned),
            ..Summary::default()
        };
        let pages = [
            s(None),
            s(Some("2024-01-01")),
            s(Some("2026-05-07")),
            s(Some("2024-01-01")),
        ];
        let (order, rank) = newest_first(&pages);
        assert_eq!(order, [2, 1, 3, 0]);
        assert_eq!(rank, [3, 1, 0, 2]);
    }
}
