//! The index files of a site from what was collected of its pages: the document table
//! with each document's filter values, and the sorted terms cut into term shards.

use rayon::prelude::*;

use super::encode::{Doc, Index, Section, index_script, term_shard};
use super::postings::Collector;
use super::{DOCS_PER_SHARD, INDEX_URL, STOP_WORDS, TERM_SHARD_BYTES, term_shard_url};
use crate::artifact::OutputFile;
use crate::content::Kind;
use crate::site::Site;
use crate::views::Summary;

/// The files of the search index as [`index_files`] makes them.
pub struct IndexFiles {
    /// Files made now.
    pub files: Vec<OutputFile>,
    /// Paths of term shards whose bytes are those of the earlier render.
    pub kept: Vec<String>,
    /// The key of every term shard, when keys of an earlier render were given; else none.
    pub keys: Vec<u128>,
}

/// The index script and the term shards for `site`; `summaries` are the list views of its
/// pages (same order), `search` what was collected of every page. Deterministic: the same
/// site gives the same bytes.
///
/// With `earlier`, the keys of the term shards an earlier render of the same site made,
/// the term shards with the same keys are only named, not made again: most of the index is
/// postings, and an edit changes the postings of a few terms.
pub fn index_files(
    site: &Site,
    summaries: &[Summary],
    search: &Collector,
    earlier: Option<&[u128]>,
) -> IndexFiles {
    let themes = themes(site);
    let docs = doc_table(site, summaries, search, &themes);
    let terms = search.sorted_terms();
    let shards = term_shards(&terms);
    let index = index_value(site, &themes, &shards);
    let mut files = vec![OutputFile {
        path: INDEX_URL.to_owned(),
        bytes: index_script(&index, &docs),
    }];
    let (kept, keys) = shard_files(&shards, earlier, &mut files);
    IndexFiles { files, kept, keys }
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

/// The document table: every page's list view with its section, its filter values (the
/// gemeenten and `themes` it concerns) and its number of indexed words.
fn doc_table<'a>(
    site: &Site,
    summaries: &'a [Summary],
    search: &Collector,
    themes: &[String],
) -> Vec<Doc<'a>> {
    let mut gemeenten = doc_gemeenten(site);
    let mut doc_themes = doc_themes(site, themes);
    let lengths = search.lengths(site.pages.len());
    summaries
        .iter()
        .zip(site.pages.iter())
        .enumerate()
        .map(|(i, (s, page))| Doc {
            t: &s.title,
            u: &s.url,
            s: s.kind,
            c: site
                .sections
                .iter()
                .position(|sec| sec.name == page.doc.source.section())
                .unwrap_or(usize::MAX),
            d: s.datum.as_deref(),
            i: s.datum_iso.as_deref(),
            k: s.kenmerk.as_deref(),
            n: s.nummer,
            o: s.description.as_deref(),
            g: std::mem::take(&mut gemeenten[i]),
            h: std::mem::take(&mut doc_themes[i]),
            l: lengths[i] as usize,
        })
        .collect()
}

/// Per document: the gemeenten it concerns, as indexes into the site's gemeenten.
fn doc_gemeenten(site: &Site) -> Vec<Vec<usize>> {
    let mut gemeenten: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (k, g) in site.gemeenten.iter().enumerate() {
        for &p in g.letters.iter().chain(&g.opgaven) {
            gemeenten[p].push(k);
        }
    }
    gemeenten
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

/// The index's value with its `docs` left empty (the document table is written apart, see
/// [`index_script`]): the filters' values and the first term of every term shard.
fn index_value<'a>(
    site: &'a Site,
    themes: &'a [String],
    shards: &[&'a [(String, &Vec<u32>)]],
) -> Index<'a> {
    Index {
        versie: 1,
        per_shard: DOCS_PER_SHARD,
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
        docs: Vec::new(),
        delen: shards.iter().map(|s| s[0].0.as_str()).collect(),
    }
}

/// Makes the term shards into `files` (in parallel), except those whose keys are the
/// `earlier` ones; returns the paths of those kept and, with `earlier`, every shard's key.
fn shard_files(
    shards: &[&[(String, &Vec<u32>)]],
    earlier: Option<&[u128]>,
    files: &mut Vec<OutputFile>,
) -> (Vec<String>, Vec<u128>) {
    // Keys are only worth their hashing when there are earlier ones to compare with.
    let made: Vec<(Option<u128>, Option<OutputFile>)> = shards
        .par_iter()
        .enumerate()
        .map(|(n, shard)| {
            let key = earlier.map(|_| term_shard_key(n, shard));
            let same = key.is_some() && earlier.and_then(|e| e.get(n)) == key.as_ref();
            (key, (!same).then(|| term_shard(n, shard)))
        })
        .collect();
    let mut kept = Vec::new();
    let mut keys = Vec::new();
    for (n, (key, file)) in made.into_iter().enumerate() {
        keys.extend(key);
        match file {
            Some(f) => files.push(f),
            None => kept.push(term_shard_url(n)),
        }
    }
    (kept, keys)
}

/// Splits the sorted terms into runs of about [`TERM_SHARD_BYTES`] (none when the site has
/// no words).
///
/// A run ends at the size limit, or once it is nearly full before a term picked by its
/// hash: so the ends of runs depend on the terms around them, and a term added or a
/// posting changed moves at most the end of its own run, not those of every run after it.
/// Runs an edit leaves alone keep their bytes, and an incremental build keeps their files.
fn term_shards<S: AsRef<str>, P: AsRef<[u32]>>(terms: &[(S, P)]) -> Vec<&[(S, P)]> {
    /// A run may end before a picked term once it is this full.
    const NEARLY_FULL: usize = TERM_SHARD_BYTES - TERM_SHARD_BYTES / 16;
    let picked = |term: &str| xxhash_rust::xxh3::xxh3_64(term.as_bytes()).is_multiple_of(8);
    let mut shards = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (term, postings)) in terms.iter().enumerate() {
        // About four bytes per number ("12,") plus the quoted term.
        let cost = term.as_ref().len() + 3 + postings.as_ref().len() * 4;
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

/// The key of term shard `n`: its number, terms and postings.
fn term_shard_key<S: AsRef<str>, P: AsRef<[u32]>>(n: usize, shard: &[(S, P)]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(n as u64).to_le_bytes());
    for (term, postings) in shard {
        let (term, postings) = (term.as_ref(), postings.as_ref());
        h.update(&(term.len() as u64).to_le_bytes());
        h.update(term.as_bytes());
        h.update(&(postings.len() as u64).to_le_bytes());
        // In the machine's byte order: a key is only compared within one process.
        h.update(bytemuck::cast_slice(postings));
    }
    h.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_shards_are_runs_of_about_the_target_size() {
        let terms: Vec<(String, Vec<u32>)> = (0..2000)
            .map(|i| (format!("term{i:05}"), [1, 4].repeat(10)))
            .collect();
        let terms: Vec<(&str, Vec<u32>)> =
            terms.iter().map(|(t, p)| (t.as_str(), p.clone())).collect();
        let shards = term_shards(&terms);
        // 2000 terms of about 92 bytes each: three shards of at most 64 kB.
        assert_eq!(shards.len(), 3);
        assert_eq!(shards.iter().map(|s| s.len()).sum::<usize>(), 2000);
        assert_eq!(shards[1][0].0, terms[shards[0].len()].0);
        assert!(term_shards::<&str, Vec<u32>>(&[]).is_empty());
        // A term bigger than a shard gets a shard of its own.
        let big = [("a", vec![1; 40_000]), ("b", vec![1])];
        assert_eq!(term_shards(&big).len(), 2);
    }

    /// A term added in the middle changes the run it falls in (and at most the next), not
    /// every run after it: the unchanged runs keep their files in an incremental build.
    #[test]
    fn an_added_term_leaves_the_other_term_shards_alone() {
        let words: Vec<(String, Vec<u32>)> = (0..6000)
            .map(|i| (format!("term{i:05}"), [1, 4].repeat(1 + i % 40)))
            .collect();
        let mut more = words.clone();
        more.insert(3001, ("term03000a".to_owned(), [1, 4].repeat(30)));
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
}
