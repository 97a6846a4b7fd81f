//! The postings the index is made of, gathered page by page while the pages render: a
//! [`Collector`] per run of documents, merged in document order or, under `serve`, with the
//! runs an edit changed replaced.

use rustc_hash::FxHashMap;

use super::bytes::short_word;
use super::fold::indexable;
use super::scan::{Word, folded_words};
use super::{BODY_FACTOR, IN_DESCRIPTION, IN_TITLE};
use crate::views::Summary;

/// Per-page word counts, see [`Collector::add`].
#[derive(Default)]
struct Counts {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    word: String,
}

impl Counts {
    /// Counts the words of a page: [`BODY_FACTOR`] for every time a word occurs in `text`,
    /// and the flag of each field of `summary` it occurs in.
    fn count(&mut self, text: &str, summary: &Summary) {
        let Counts { short, long, word } = self;
        folded_words(text, word, |w| {
            if !w.ignored() {
                *slot(short, long, w) += BODY_FACTOR;
            }
        });
        let fields = [
            (summary.title.as_str(), IN_TITLE),
            (summary.kenmerk.as_deref().unwrap_or(""), IN_TITLE),
            (summary.description.as_deref().unwrap_or(""), IN_DESCRIPTION),
        ];
        for (field, flag) in fields {
            folded_words(field, word, |w| {
                if !w.ignored() {
                    *slot(short, long, w) |= flag;
                }
            });
        }
    }
}

/// The count of word `w`, zero when new.
fn slot<'m>(
    short: &'m mut FxHashMap<u128, u32>,
    long: &'m mut FxHashMap<Box<str>, u32>,
    w: Word<'_>,
) -> &'m mut u32 {
    match w {
        Word::Short(k) => short.entry(k).or_default(),
        // Looked up first: a long word is new only once per page.
        Word::Long(w) if long.contains_key(w) => long.get_mut(w).unwrap_or_else(|| unreachable!()),
        Word::Long(w) => long.entry(w.into()).or_default(),
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Counts> = std::cell::RefCell::default();
}

/// What the index needs of every page, gathered while the pages render: the weighted
/// postings of every term and each document's length. Collectors of consecutive runs of
/// documents are [merged](Collector::merge) in document order.
#[derive(Debug, Default)]
pub struct Collector {
    /// Per term of up to [`SHORT`](super::bytes::SHORT) bytes (by its short key): its
    /// postings.
    short: FxHashMap<u128, Postings>,
    /// Per longer term: its postings.
    long: FxHashMap<Box<str>, Postings>,
    /// `(document, indexed words)`, in document order.
    lengths: Vec<(u32, u32)>,
}

/// A term's `(document, weight)` pairs in document order, flattened; `None` for a word
/// that is not indexed (a stop word, one letter), decided once per word.
type Postings = Option<Vec<u32>>;

impl Collector {
    /// Adds document `doc` (its index in `Site::pages`): its readable `text` and its list
    /// view. Documents must be added in increasing order.
    pub fn add(&mut self, doc: usize, text: &str, summary: &Summary) {
        let doc = doc as u32;
        // Every run of letters and digits is counted first, and only the distinct ones go
        // into the index: a page has thousands of words but a few hundred distinct ones.
        // Words of up to 16 bytes, nearly all, are counted under a number. The maps are
        // kept per thread, so that they are not grown again for every page.
        SCRATCH.with_borrow_mut(|counts| {
            counts.count(text, summary);
            let length = self.post(doc, counts);
            self.lengths.push((doc, length));
        });
    }

    /// Moves the word counts of document `doc` into the postings, leaving `counts` empty;
    /// returns the document's number of indexed words.
    fn post(&mut self, doc: u32, counts: &mut Counts) -> u32 {
        let mut length = 0;
        // In hash order: only the order of documents and of terms reaches the output.
        for (k, weight) in counts.short.drain() {
            let postings = self
                .short
                .entry(k)
                .or_insert_with(|| indexable(short_word(&k.to_le_bytes())).then(Vec::new));
            if let Some(list) = postings {
                list.extend([doc, weight]);
                length += weight / BODY_FACTOR;
            }
        }
        for (w, weight) in counts.long.drain() {
            let postings = match self.long.get_mut(&w) {
                Some(p) => p,
                None => {
                    let indexable = indexable(&w);
                    self.long.entry(w).or_insert(indexable.then(Vec::new))
                }
            };
            if let Some(list) = postings {
                list.extend([doc, weight]);
                length += weight / BODY_FACTOR;
            }
        }
        length
    }

    /// Adds a copy of the collector of the documents that follow this one's.
    pub fn merge_from(&mut self, later: &Collector) {
        join_copy(&mut self.short, &later.short);
        join_copy(&mut self.long, &later.long);
        self.lengths.extend_from_slice(&later.lengths);
    }

    /// Replaces what was collected of the documents in `docs` by `new`, which holds
    /// documents in that range only: as if the collector had been made again with `new`'s
    /// documents in place of the old ones. Costs one pass over the terms, not a merge of
    /// every document's postings.
    pub fn replace(&mut self, docs: std::ops::Range<u32>, new: &Collector) {
        splice(&mut self.short, &new.short, &docs);
        splice(&mut self.long, &new.long, &docs);
        self.lengths.retain(|(d, _)| !docs.contains(d));
        let at = self.lengths.partition_point(|(d, _)| *d < docs.start);
        self.lengths.splice(at..at, new.lengths.iter().copied());
    }

    /// Joins the collector of the documents that follow this one's.
    pub fn merge(mut self, later: Collector) -> Collector {
        if self.lengths.is_empty() {
            return later;
        }
        join(&mut self.short, later.short);
        join(&mut self.long, later.long);
        self.lengths.extend(later.lengths);
        self
    }

    /// The number of indexed words of each of the `n` documents, by document.
    pub(super) fn lengths(&self, n: usize) -> Vec<u32> {
        let mut lengths = vec![0; n];
        for &(d, l) in &self.lengths {
            lengths[d as usize] = l;
        }
        lengths
    }

    /// Every indexed term with its postings, sorted by term.
    pub(super) fn sorted_terms(&self) -> Vec<(String, &Vec<u32>)> {
        let mut terms: Vec<(String, &Vec<u32>)> = self.terms().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        terms
    }

    /// Every indexed term with its postings, in no particular order.
    fn terms(&self) -> impl Iterator<Item = (String, &Vec<u32>)> {
        let short = self
            .short
            .iter()
            .filter_map(|(k, p)| Some((k, p.as_ref().filter(|p| !p.is_empty())?)))
            .map(|(k, p)| (short_word(&k.to_le_bytes()).to_owned(), p));
        // A term whose documents were all replaced has no postings left: it is not in the
        // index, as in a collector made from the documents there are now.
        let long = self
            .long
            .iter()
            .filter_map(|(w, p)| Some((w.to_string(), p.as_ref().filter(|p| !p.is_empty())?)));
        short.chain(long)
    }
}

/// Adds a copy of the postings `from` of later documents to `into`.
fn join_copy<K: Clone + Eq + std::hash::Hash>(
    into: &mut FxHashMap<K, Postings>,
    from: &FxHashMap<K, Postings>,
) {
    for (term, list) in from {
        match (into.get_mut(term), list) {
            (Some(Some(l)), Some(more)) => l.extend_from_slice(more),
            (Some(_), _) => {}
            (None, _) => {
                into.insert(term.clone(), list.clone());
            }
        }
    }
}

/// Moves the postings `from` of later documents into `into`.
fn join<K: Eq + std::hash::Hash>(into: &mut FxHashMap<K, Postings>, from: FxHashMap<K, Postings>) {
    for (term, list) in from {
        match (into.get_mut(&term), list) {
            (Some(Some(l)), Some(more)) => l.extend(more),
            (Some(_), _) => {}
            (None, list) => {
                into.insert(term, list);
            }
        }
    }
}

/// Takes the postings of the documents in `docs` out of `into`, and puts those of `from`,
/// which holds documents in that range only, in their place.
fn splice<K: Clone + Eq + std::hash::Hash>(
    into: &mut FxHashMap<K, Postings>,
    from: &FxHashMap<K, Postings>,
    docs: &std::ops::Range<u32>,
) {
    for list in into.values_mut().flatten() {
        let (start, end) = bounds(list, docs);
        if start < end {
            list.drain(start..end);
        }
    }
    for (term, list) in from {
        match (into.get_mut(term), list) {
            (Some(Some(l)), Some(more)) => {
                let (at, _) = bounds(l, docs);
                l.splice(at..at, more.iter().copied());
            }
            (Some(_), _) => {}
            (None, _) => {
                into.insert(term.clone(), list.clone());
            }
        }
    }
}

/// Where the postings of the documents in `docs` start and end in `list`, `(document,
/// weight)` pairs in document order.
fn bounds(list: &[u32], docs: &std::ops::Range<u32>) -> (usize, usize) {
    let first_at_or_after = |doc: u32| {
        let (mut low, mut high) = (0, list.len() / 2);
        while low < high {
            let mid = (low + high) / 2;
            if list[2 * mid] < doc {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        2 * low
    };
    (first_at_or_after(docs.start), first_at_or_after(docs.end))
}
