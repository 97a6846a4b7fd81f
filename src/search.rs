//! Offline search: at build time every page's text is folded (lowercase, diacritics removed),
//! split into words and written as an inverted index in a JavaScript file. A script file,
//! not JSON, because `fetch()` of a local file fails on `file://` while `<script src>` works
//! from disk, from a zip and on any web server.
//!
//! Output, all loaded with `<script>` elements:
//! - `zoeken/index.js`: `window.RAAD_ZOEK = {...}` with the document table, the filter
//!   values and `delen`, the first term of every term shard;
//! - `zoeken/termen/<n>.js`: a shard of the inverted index: folded terms (sorted) with their
//!   postings as delta-encoded `(document, weight)` pairs (see [`BODY_FACTOR`]), about
//!   [`TERM_SHARD_BYTES`] each; a query loads only the shards its words fall in;
//! - `zoeken/tekst/<n>.js`: the plain text of [`DOCS_PER_SHARD`] documents each, loaded only
//!   for the results shown, to make snippets.
//!
//! So the first search on a large site loads the document table and a few small shards,
//! not the whole index.
//!
//! The search page's script (`zoeken.js` in the theme) folds and splits queries the same way
//! ([`fold`], [`tokens`]); the stop words travel in the index so both sides agree.

use rayon::prelude::*;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::artifact::OutputFile;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::views::Summary;

/// The search page.
pub const PAGE_URL: &str = "zoeken/index.html";
/// The index script.
pub const INDEX_URL: &str = "zoeken/index.js";
/// Documents per text shard.
pub const DOCS_PER_SHARD: usize = 20;
/// Approximate size of a term shard (terms and postings as JSON).
pub const TERM_SHARD_BYTES: usize = 64 * 1024;
/// Characters of plain text kept per document for snippets.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Posting weight flag: the word is in the title or the kenmerk.
pub const IN_TITLE: u32 = 1;
/// Posting weight flag: the word is in the one-line summary.
pub const IN_DESCRIPTION: u32 = 2;
/// A posting's weight is the word's count in the body times this, plus the flags; the
/// search script scores the body with BM25 and adds a fixed bonus per flag, so a title match
/// is not diluted by a long body.
pub const BODY_FACTOR: u32 = 4;

/// Frequent Dutch words left out of the index: they match nearly every page and would make
/// up most of its size.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "het", "hij", "hun", "in", "is", "je", "maar", "met", "na", "naar", "niet", "nog", "of", "om",
    "ook", "op", "te", "tot", "uit", "van", "voor", "was", "wat", "we", "wel", "werd", "wij",
    "worden", "wordt", "ze", "zich", "zijn", "zo",
];

/// Folds text for matching: lowercase, accents and diaeresis removed (`ï` -> `i`, `ß` ->
/// `ss`), apostrophes dropped so that "regio's" and "regios" meet. Other characters stay.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // Runs of ASCII, most of any Dutch text, in bulk.
        let n = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..n]);
        out[start..].make_ascii_lowercase();
        rest = &rest[n..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            fold_char(c, &mut out);
            rest = chars.as_str();
        }
    }
    if out.contains('\'') {
        out.retain(|c| c != '\'');
    }
    out
}

/// Folds one non-ASCII character.
fn fold_char(c: char, out: &mut String) {
    if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
        return;
    }
    // Only Latin letters are transliterated (the browser side strips combining marks, which
    // covers the same letters); other scripts are lowercased as they are.
    let latin = ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c);
    if latin
        && c.is_alphabetic()
        && let Some(a) = deunicode::deunicode_char(c)
        && !a.is_empty()
        && a.chars().all(|x| x.is_ascii_alphanumeric())
    {
        out.extend(a.chars().map(|x| x.to_ascii_lowercase()));
        return;
    }
    out.extend(c.to_lowercase());
}

/// The folded words of `text`, stop words and one-letter words left out, in order.
pub fn tokens(text: &str) -> Vec<String> {
    words(&fold(text)).map(str::to_owned).collect()
}

/// The words of already folded text, stop words and one-letter words left out.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    runs(folded).filter(|w| indexable(w))
}

/// Whether a run of letters and digits is a word for the index: at least two characters
/// (one character is at most four bytes) and no stop word.
fn indexable(w: &str) -> bool {
    w.len() > 1 && (w.len() > 4 || w.chars().nth(1).is_some()) && !is_stop_word(w)
}

/// The runs of letters and digits of a text.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_stop_word(w: &str) -> bool {
    // Called for every word of every page: stop words are short, and a table per length
    // keeps the comparisons few.
    static BY_LENGTH: LazyLock<[Vec<&'static str>; 7]> = LazyLock::new(|| {
        let mut t: [Vec<&str>; 7] = Default::default();
        for w in STOP_WORDS {
            t[w.len()].push(w);
        }
        t
    });
    BY_LENGTH.get(w.len()).is_some_and(|t| t.contains(&w))
}

/// The bytes of a word of at most [`SHORT`] bytes as one number (distinct words, distinct
/// numbers); `None` for longer words.
fn short_key(w: &str) -> Option<u128> {
    let b = w.as_bytes();
    (b.len() <= SHORT).then(|| {
        let mut buf = [0u8; SHORT];
        buf[..b.len()].copy_from_slice(b);
        u128::from_le_bytes(buf)
    })
}

/// The longest word kept under a number rather than as a string: nearly every word of a
/// Dutch text, compounds included, and a number is hashed and compared in one step.
const SHORT: usize = 16;

/// A word as [`folded_words`] hands it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word<'a> {
    /// A word of up to [`SHORT`] bytes, by its [`short_key`].
    Short(u128),
    /// A longer word.
    Long(&'a str),
}

impl<'a> Word<'a> {
    fn of(w: &'a str) -> Word<'a> {
        short_key(w).map_or(Word::Long(w), Word::Short)
    }

    /// Whether the word is surely left out of the index: one byte or a stop word. Such words
    /// are a large share of a Dutch text; they are dropped before they are counted. (Other
    /// words that are not indexed are found when the counts go into the index.)
    #[inline]
    fn ignored(self) -> bool {
        /// The stop words' keys in an open-addressing table (0 is a free slot).
        static STOP_KEYS: LazyLock<[u64; STOP_SLOTS]> = LazyLock::new(|| {
            let mut t = [0; STOP_SLOTS];
            for w in STOP_WORDS {
                if let Some(k) = short_key(w).and_then(|k| u64::try_from(k).ok()) {
                    let mut i = stop_slot(k);
                    while t[i] != 0 {
                        i = (i + 1) % STOP_SLOTS;
                    }
                    t[i] = k;
                }
            }
            t
        });
        const STOP_SLOTS: usize = 256;
        fn stop_slot(k: u64) -> usize {
            (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
        }
        // Every stop word is at most eight bytes long (a test checks).
        let Some(k) = (match self {
            Word::Short(k) => u64::try_from(k).ok(),
            Word::Long(_) => None,
        }) else {
            return false;
        };
        if k < 0x100 {
            return true;
        }
        let table = &*STOP_KEYS;
        let mut i = stop_slot(k);
        loop {
            match table[i] {
                0 => return false,
                s if s == k => return true,
                _ => i = (i + 1) % STOP_SLOTS,
            }
        }
    }
}

/// The runs of letters and digits of `fold(text)`, handed to `each` in order: folding and
/// splitting in one pass, without the folded text. `buf` is a buffer to reuse.
///
/// Most words are plain ASCII letters and digits: those are taken from the text as they
/// are (their key made with one OR, which lowercases letters and leaves digits); only a
/// word with an apostrophe or a non-ASCII character is folded character by character.
fn folded_words(text: &str, buf: &mut String, mut each: impl FnMut(Word<'_>)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Eight bytes at a time where the text goes on that far: a run of separators is
        // skipped and a plain word of up to seven bytes is taken in one step.
        if let Some(eight) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            let (alnum, separator) = classes(x);
            if alnum & 0x80 == 0 {
                let skip = (!separator & HIGH_BITS).trailing_zeros() as usize / 8;
                if skip > 0 {
                    i += skip;
                    continue;
                }
                // A byte to fold: the word is taken below.
            } else {
                let len = (!alnum & HIGH_BITS).trailing_zeros() as usize / 8;
                if len < 8 && (separator >> (8 * len)) & 0x80 != 0 {
                    each(Word::Short(lowered_key(x, len).into()));
                    // The separators after it, as far as these eight bytes go.
                    let gap = (!(separator >> (8 * len)) & HIGH_BITS).trailing_zeros() as usize / 8;
                    i += len + gap.min(8 - len);
                    continue;
                }
            }
        }
        if BYTE_CLASS[b[i] as usize] == SEPARATOR {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && BYTE_CLASS[b[i] as usize] == ALNUM {
            i += 1;
        }
        if i > start && (i == n || BYTE_CLASS[b[i] as usize] == SEPARATOR) {
            each(ascii_word(text, start, i, buf));
            continue;
        }
        // The word goes on with an apostrophe or a non-ASCII character.
        buf.clear();
        buf.extend(b[start..i].iter().map(|c| c.to_ascii_lowercase() as char));
        i = folded_tail(text, i, buf, &mut each);
        if !buf.is_empty() {
            each(Word::of(buf));
        }
    }
}

/// The [`short_key`] of the ASCII letters and digits in the first `len` (at most eight)
/// bytes of `x`, lowercased; the bytes after them are dropped.
#[inline]
fn lowered_key(x: u64, len: usize) -> u64 {
    let keep = u64::MAX >> (8 * (8 - len));
    // 0x20 lowercases an ASCII letter and is already set in a digit.
    (x | 0x2020_2020_2020_2020) & keep
}

/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// For eight bytes of text (the first in the lowest byte): the high bit set in each byte
/// that is an ASCII letter or digit, and in each byte that is a [`SEPARATOR`].
#[inline]
fn classes(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let ascii = !x & HIGH_BITS;
    // With the high bits cleared no byte carries into the next one in the sums below.
    let low = x & !HIGH_BITS;
    // The high bit of each byte that lies in `lo..=hi`.
    let within = |v: u64, lo: u8, hi: u8| {
        let at_least_lo = v + ONES * u64::from(0x80 - lo);
        let above_hi = v + ONES * u64::from(0x7f - hi);
        at_least_lo & !above_hi & HIGH_BITS
    };
    // Setting 0x20 maps `A-Z` onto `a-z`, and nothing else onto it.
    let letter = within(low | (ONES * 0x20), b'a', b'z');
    let digit = within(low, b'0', b'9');
    let alnum = (letter | digit) & ascii;
    // Bytes equal to the apostrophe: zero after the XOR, the only ones whose high bit
    // stays clear.
    let v = low ^ (ONES * u64::from(b'\''));
    let apostrophe = !((v + ONES * 0x7f) | v) & HIGH_BITS;
    (alnum, ascii & !alnum & !apostrophe)
}

/// [`BYTE_CLASS`] of an ASCII letter or digit.
const ALNUM: u8 = 0;
/// [`BYTE_CLASS`] of any other ASCII character but the apostrophe: it ends a word.
const SEPARATOR: u8 = 1;
/// [`BYTE_CLASS`] of the apostrophe and of the bytes of non-ASCII characters: folded one
/// character at a time.
const FOLDED: u8 = 2;

/// The class of every byte, for the scan over a page's text: one lookup instead of a chain
/// of comparisons per byte.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [FOLDED; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            ALNUM
        } else if b as u8 == b'\'' {
            FOLDED
        } else {
            SEPARATOR
        };
        b += 1;
    }
    t
};

/// The run of ASCII letters and digits `text[start..end]`, lowercased.
#[inline]
fn ascii_word<'a>(text: &'a str, start: usize, end: usize, buf: &'a mut String) -> Word<'a> {
    let len = end - start;
    if len <= SHORT {
        // Read as numbers, eight bytes at once where the text goes on that far: a copy
        // of a few bytes would be a call to `memcpy` for each word of every page.
        let b = text.as_bytes();
        let eight = |at: usize| match b.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
            None => b[at..end]
                .iter()
                .rev()
                .fold(0, |k, &c| (k << 8) | u64::from(c)),
        };
        let low = lowered_key(eight(start), len.min(8));
        if len <= 8 {
            return Word::Short(low.into());
        }
        let high = lowered_key(eight(start + 8), len - 8);
        return Word::Short(u128::from(high) << 64 | u128::from(low));
    }
    let w = &text[start..end];
    let b = w.as_bytes();
    if !b.iter().any(u8::is_ascii_uppercase) {
        return Word::Long(w);
    }
    buf.clear();
    buf.push_str(w);
    buf.make_ascii_lowercase();
    Word::Long(buf)
}

/// Folds `text` from byte `i` into `buf` until an ASCII character that is neither a letter,
/// a digit nor an apostrophe, handing on the words that end before it; returns where it
/// stopped.
fn folded_tail(
    text: &str,
    mut i: usize,
    buf: &mut String,
    each: &mut impl FnMut(Word<'_>),
) -> usize {
    let mut folded = String::new();
    while let Some(c) = text[i..].chars().next() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                buf.push(c.to_ascii_lowercase());
            } else if c != '\'' {
                // An apostrophe is dropped by folding, so "regio's" stays one word.
                return i;
            }
        } else {
            folded.clear();
            fold_char(c, &mut folded);
            for f in folded.chars() {
                if f.is_alphanumeric() {
                    buf.push(f);
                } else if !buf.is_empty() {
                    each(Word::of(buf));
                    buf.clear();
                }
            }
        }
        i += c.len_utf8();
    }
    i
}

/// Per-page word counts, see [`Collector::add`].
#[derive(Default)]
struct Counts {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    word: String,
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
    /// Per term of up to [`SHORT`] bytes (by [`short_key`]): its postings.
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
        // Words of up to [`SHORT`] bytes, nearly all, are counted under a number. The maps
        // are kept per thread, so that they are not grown again for every page.
        SCRATCH.with_borrow_mut(|counts| {
            let Counts { short, long, word } = counts;
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
            let mut length = 0;
            // In hash order: only the order of documents and of terms reaches the output.
            for (k, weight) in short.drain() {
                let postings = self
                    .short
                    .entry(k)
                    .or_insert_with(|| indexable(short_word(&k.to_le_bytes())).then(Vec::new));
                if let Some(list) = postings {
                    list.extend([doc, weight]);
                    length += weight / BODY_FACTOR;
                }
            }
            for (w, weight) in long.drain() {
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
            self.lengths.push((doc, length));
        });
    }

    /// Adds a copy of the collector of the documents that follow this one's.
    pub fn merge_from(&mut self, later: &Collector) {
        fn join<K: Clone + Eq + std::hash::Hash>(
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
        join(&mut self.short, &later.short);
        join(&mut self.long, &later.long);
        self.lengths.extend_from_slice(&later.lengths);
    }

    /// Replaces what was collected of the documents in `docs` by `new`, which holds
    /// documents in that range only: as if the collector had been made again with `new`'s
    /// documents in place of the old ones. Costs one pass over the terms, not a merge of
    /// every document's postings.
    pub fn replace(&mut self, docs: std::ops::Range<u32>, new: &Collector) {
        fn splice<K: Clone + Eq + std::hash::Hash>(
            into: &mut FxHashMap<K, Postings>,
            from: &FxHashMap<K, Postings>,
            docs: &std::ops::Range<u32>,
        ) {
            // Postings are `(document, weight)` pairs in document order.
            let bounds = |l: &Vec<u32>| {
                let first_at_or_after = |doc: u32| {
                    let (mut low, mut high) = (0, l.len() / 2);
                    while low < high {
                        let mid = (low + high) / 2;
                        if l[2 * mid] < doc {
                            low = mid + 1;
                        } else {
                            high = mid;
                        }
                    }
                    2 * low
                };
                (first_at_or_after(docs.start), first_at_or_after(docs.end))
            };
            for list in into.values_mut().flatten() {
                let (start, end) = bounds(list);
                if start < end {
                    list.drain(start..end);
                }
            }
            for (term, list) in from {
                match (into.get_mut(term), list) {
                    (Some(Some(l)), Some(more)) => {
                        let (at, _) = bounds(l);
                        l.splice(at..at, more.iter().copied());
                    }
                    (Some(_), _) => {}
                    (None, _) => {
                        into.insert(term.clone(), list.clone());
                    }
                }
            }
        }
        splice(&mut self.short, &new.short, &docs);
        splice(&mut self.long, &new.long, &docs);
        self.lengths.retain(|(d, _)| !docs.contains(d));
        let at = self.lengths.partition_point(|(d, _)| *d < docs.start);
        self.lengths.splice(at..at, new.lengths.iter().copied());
    }

    /// Joins the collector of the documents that follow this one's.
    pub fn merge(mut self, later: Collector) -> Collector {
        fn join<K: Eq + std::hash::Hash>(
            into: &mut FxHashMap<K, Postings>,
            from: FxHashMap<K, Postings>,
        ) {
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
        if self.lengths.is_empty() {
            return later;
        }
        join(&mut self.short, later.short);
        join(&mut self.long, later.long);
        self.lengths.extend(later.lengths);
        self
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

/// The word whose [`short_key`] has these bytes.
fn short_word(bytes: &[u8; SHORT]) -> &str {
    // The bytes are the word's, zero-padded; a word holds no zero byte.
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(SHORT);
    std::str::from_utf8(&bytes[..len]).unwrap_or_default()
}

/// One document in the index; short keys because the table is loaded on every search.
#[derive(Debug, Serialize)]
struct Doc<'a> {
    /// Title.
    t: &'a str,
    /// Output path relative to the site root.
    u: &'a str,
    /// Kind: "brief", "opgave" or "pagina".
    s: &'a str,
    /// Section index into `secties`.
    c: usize,
    /// Dutch date.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    /// ISO date, for sorting equal scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<&'a str>,
    /// Kenmerk.
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<&'a str>,
    /// Opgave number.
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<u32>,
    /// One-line summary, the snippet until the text has loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<&'a str>,
    /// Indexes into `gemeenten`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    g: Vec<usize>,
    /// Indexes into `themas`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    h: Vec<usize>,
    /// Number of indexed words, for length normalisation.
    l: usize,
}

#[derive(Serialize)]
struct Section<'a> {
    naam: &'a str,
    titel: &'a str,
}

#[derive(Serialize)]
struct Index<'a> {
    versie: u32,
    per_shard: usize,
    stop: &'a [&'a str],
    secties: Vec<Section<'a>>,
    /// Gemeente slugs, as the filter's values.
    gemeenten: Vec<&'a str>,
    themas: Vec<&'a str>,
    docs: Vec<Doc<'a>>,
    /// The first term of each term shard.
    delen: Vec<&'a str>,
}

/// The search page's folder is the build's own: a content section of that name would put
/// its list page on the search page.
pub fn check_reserved(site: &Site) -> Option<Diagnostic> {
    let folder = PAGE_URL.split('/').next().unwrap_or_default();
    site.sections.iter().any(|s| s.name == folder).then(|| {
        Diagnostic::in_file(
            format!("content/{folder}"),
            format!("the folder name \"{folder}\" is reserved for the search page"),
        )
        .with_help("give the folder another name")
    })
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
    let n = site.pages.len();
    // Per document: gemeenten, themes (an opgave's own, a letter's via its opgaven).
    let mut gemeenten: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, g) in site.gemeenten.iter().enumerate() {
        for &p in g.letters.iter().chain(&g.opgaven) {
            gemeenten[p].push(k);
        }
    }
    let theme_of = |p: usize| -> Option<usize> {
        match &site.pages[p].doc.kind {
            Kind::Opgave(o) => o.thema.as_ref().and_then(|t| themes.binary_search(t).ok()),
            _ => None,
        }
    };
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

    let mut lengths = vec![0; n];
    for &(d, l) in &search.lengths {
        lengths[d as usize] = l;
    }
    let mut terms: Vec<(String, &Vec<u32>)> = search.terms().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let docs: Vec<Doc> = summaries
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
        .collect();
    let shards = term_shards(&terms);
    let index = Index {
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
    };
    let mut files = vec![OutputFile {
        path: INDEX_URL.to_owned(),
        bytes: index_script(&index, &docs),
    }];
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
    IndexFiles { files, kept, keys }
}

/// The files of the search index as [`index_files`] makes them.
pub struct IndexFiles {
    /// Files made now.
    pub files: Vec<OutputFile>,
    /// Paths of term shards whose bytes are those of the earlier render.
    pub kept: Vec<String>,
    /// The key of every term shard, when keys of an earlier render were given; else none.
    pub keys: Vec<u128>,
}

/// Term shard `n`: `RAAD_ZOEK_TERMEN(n, [terms, postings])`, the postings with each
/// document as the distance from the one before. The JSON `serde_json` writes for that,
/// written directly: most of the index is numbers.
fn term_shard<S: AsRef<str>, P: AsRef<[u32]>>(n: usize, shard: &[(S, P)]) -> OutputFile {
    let size = shard
        .iter()
        .map(|(t, p)| t.as_ref().len() + 3 + p.as_ref().len() * 5)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size + 32);
    out.extend_from_slice(format!("RAAD_ZOEK_TERMEN({n}, [[").as_bytes());
    for (k, (term, _)) in shard.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        crate::json::string(&mut out, term.as_ref());
    }
    out.extend_from_slice(b"],[");
    for (k, (_, postings)) in shard.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'[');
        let mut number = itoa::Buffer::new();
        let mut last = 0;
        for (j, pair) in postings.as_ref().chunks_exact(2).enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(number.format(pair[0] - last).as_bytes());
            out.push(b',');
            out.extend_from_slice(number.format(pair[1]).as_bytes());
            last = pair[0];
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]]);\n");
    OutputFile {
        path: term_shard_url(n),
        bytes: out,
    }
}

/// `window.RAAD_ZOEK = <index>;`, the JSON `serde_json` writes for the index, with the
/// document table written directly: it is most of the index, and is made again after
/// every edit under `serve`.
///
/// `index` comes with its `docs` empty: they are `docs`.
fn index_script(index: &Index<'_>, docs: &[Doc<'_>]) -> Vec<u8> {
    let mut head = script("window.RAAD_ZOEK = ", index, "");
    // JSON strings escape their quotes, so this occurs only as the empty table itself.
    let table = b"\"docs\":[";
    let at = head
        .windows(table.len() + 1)
        .rposition(|w| w[..table.len()] == *table && w[table.len()] == b']')
        .unwrap_or_else(|| unreachable!("an index has a document table"));
    let tail = head.split_off(at + table.len());
    let mut out = head;
    out.reserve(docs.len() * 256 + tail.len() + 2);
    for (k, d) in docs.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        doc_json(&mut out, d);
    }
    out.extend_from_slice(&tail);
    out.extend_from_slice(b";\n");
    out
}

/// One document of the table as `serde_json` writes [`Doc`].
fn doc_json(out: &mut Vec<u8>, d: &Doc<'_>) {
    let mut n = itoa::Buffer::new();
    let str_field = |out: &mut Vec<u8>, key: &[u8], v: Option<&str>| {
        if let Some(v) = v {
            out.extend_from_slice(key);
            crate::json::string(out, v);
        }
    };
    out.extend_from_slice(b"{");
    str_field(out, b"\"t\":", Some(d.t));
    str_field(out, b",\"u\":", Some(d.u));
    str_field(out, b",\"s\":", Some(d.s));
    out.extend_from_slice(b",\"c\":");
    out.extend_from_slice(n.format(d.c).as_bytes());
    str_field(out, b",\"d\":", d.d);
    str_field(out, b",\"i\":", d.i);
    str_field(out, b",\"k\":", d.k);
    if let Some(v) = d.n {
        out.extend_from_slice(b",\"n\":");
        out.extend_from_slice(n.format(v).as_bytes());
    }
    str_field(out, b",\"o\":", d.o);
    for (key, list) in [(b",\"g\":[", &d.g), (b",\"h\":[", &d.h)] {
        if !list.is_empty() {
            out.extend_from_slice(key);
            for (k, v) in list.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(n.format(*v).as_bytes());
            }
            out.push(b']');
        }
    }
    out.extend_from_slice(b",\"l\":");
    out.extend_from_slice(n.format(d.l).as_bytes());
    out.push(b'}');
}

/// Text shard `n`: the readable text of documents `n * DOCS_PER_SHARD..`, cut at
/// [`MAX_TEXT_CHARS`], for the snippets of the results shown.
pub fn text_shard<S: AsRef<str>>(n: usize, texts: &[S]) -> OutputFile {
    let before = format!("RAAD_ZOEK_TEKST({n}, [");
    let size = texts.iter().map(|t| t.as_ref().len() + 3).sum::<usize>();
    // With room for escapes (quotes in the text), so that the shard is seldom moved.
    let mut bytes = Vec::with_capacity(before.len() + size + size / 32 + 4);
    bytes.extend_from_slice(before.as_bytes());
    for (k, t) in texts.iter().enumerate() {
        if k > 0 {
            bytes.push(b',');
        }
        crate::json::string(&mut bytes, truncate_chars(t.as_ref(), MAX_TEXT_CHARS));
    }
    bytes.extend_from_slice(b"]);\n");
    OutputFile {
        path: text_shard_url(n),
        bytes,
    }
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
    let picked = |term: &str| xxhash_rust::xxh3::xxh3_64(term.as_bytes()) % 8 == 0;
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

/// The path of term shard `n`.
pub fn term_shard_url(n: usize) -> String {
    format!("zoeken/termen/{n}.js")
}

/// The path of text shard `n`.
pub fn text_shard_url(n: usize) -> String {
    format!("zoeken/tekst/{n}.js")
}

fn script<T: Serialize + ?Sized>(before: &str, value: &T, after: &str) -> Vec<u8> {
    let mut out = before.as_bytes().to_vec();
    // Serialising plain structs and strings cannot fail.
    serde_json::to_writer(&mut out, value).unwrap_or_default();
    out.extend_from_slice(after.as_bytes());
    out
}

fn truncate_chars(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_folded_and_recognised() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| fold(w) == *w && w.len() <= 8));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for w in ["d", "dee", "zijnde", "worden1", "", "opgaven"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Geïnformeerd"), "geinformeerd");
        assert_eq!(fold("Één café, ĲSSEL"), "een cafe, ijssel");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("regio's en regio’s"), "regios en regios");
        assert_eq!(fold("ABC-é-DEF'"), "abc-e-def");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn splits_words_without_stop_words() {
        assert_eq!(
            tokens("In de brief van april 2025 bent u over het NPVR nader geïnformeerd."),
            [
                "brief",
                "april",
                "2025",
                "bent",
                "over",
                "npvr",
                "nader",
                "geinformeerd"
            ]
        );
        assert_eq!(
            tokens("(co)financiering, beleids- en investeringslogica"),
            ["co", "financiering", "beleids", "investeringslogica"]
        );
    }

    fn runs_of_folded(text: &str) -> Vec<String> {
        runs(&fold(text)).map(str::to_owned).collect()
    }

    fn folded_runs_of(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        folded_words(text, &mut String::new(), |w| {
            out.push(match w {
                Word::Short(k) => short_word(&k.to_le_bytes()).to_owned(),
                Word::Long(w) => {
                    assert!(w.len() > SHORT, "{w:?} is short");
                    w.to_owned()
                }
            })
        });
        out
    }

    #[test]
    fn folds_and_splits_in_one_pass_as_in_two() {
        for t in [
            "",
            "Één café, ĲSSEL; Straße",
            "regio's en regio’s, 'x' ’y‘ zʼn",
            "ABC-é-DEF' e\u{301}e İstanbul ΑΘΗΝΑ 東京 ﬁets 😀a1",
            "  (co)financiering, beleids- en investeringslogica ",
        ] {
            assert_eq!(folded_runs_of(t), runs_of_folded(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_matches_two_passes(t in "\\PC{0,40}") {
            proptest::prop_assert_eq!(folded_runs_of(&t), runs_of_folded(&t));
        }

        #[test]
        fn one_pass_matches_two_passes_at_class_edges(
            t in "[a-zA-Z0-9 /:@\\[`{,.'’é\u{0}\t\u{1f}\u{7f}\u{80}ĳ-]{0,60}"
        ) {
            proptest::prop_assert_eq!(folded_runs_of(&t), runs_of_folded(&t));
        }

        #[test]
        fn one_pass_matches_two_passes_on_latin_text(t in "[a-zA-Z0-9' ,.\\-éÉĲß’İ\u{301}]{0,60}") {
            proptest::prop_assert_eq!(folded_runs_of(&t), runs_of_folded(&t));
        }

        /// Words around the lengths where their keys change (8 and 16 bytes), also at the
        /// end of the text where fewer than eight bytes follow.
        #[test]
        fn one_pass_matches_two_passes_on_words_of_every_length(
            words in proptest::collection::vec("[a-zA-Z0-9]{1,20}", 0..6),
            gap in "[ ,.]{1,3}",
        ) {
            let t = words.join(&gap);
            proptest::prop_assert_eq!(folded_runs_of(&t), runs_of_folded(&t));
        }
    }

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

    proptest::proptest! {
        #[test]
        fn text_shards_are_the_json_serde_writes(
            texts in proptest::collection::vec("(\\PC|[\\x00-\\x1f\"\\\\\u{7f}])*", 0..4),
        ) {
            let shard = text_shard(3, &texts);
            proptest::prop_assert_eq!(shard.bytes, script("RAAD_ZOEK_TEKST(3, ", &texts, ");\n"));
        }
    }

    proptest::proptest! {
        #[test]
        fn term_shards_are_the_json_serde_writes(
            shard in proptest::collection::vec(
                (any_str(), proptest::collection::vec(0u32..1_000_000, 0..6)),
                0..4,
            ),
        ) {
            // Postings are (document, weight) pairs in increasing document order.
            let shard: Vec<(String, Vec<u32>)> = shard
                .into_iter()
                .map(|(t, mut p)| {
                    p.truncate(p.len() / 2 * 2);
                    let mut doc = 0;
                    for pair in p.chunks_exact_mut(2) {
                        doc += pair[0];
                        pair[0] = doc;
                    }
                    (t, p)
                })
                .collect();
            let (termen, postings): (Vec<&str>, Vec<Vec<u32>>) = shard
                .iter()
                .map(|(t, p)| {
                    let mut deltas = p.clone();
                    let mut last = 0;
                    for pair in deltas.chunks_exact_mut(2) {
                        (pair[0], last) = (pair[0] - last, pair[0]);
                    }
                    (t.as_str(), deltas)
                })
                .unzip();
            let expected = script("RAAD_ZOEK_TERMEN(7, ", &(termen, postings), ");\n");
            proptest::prop_assert_eq!(term_shard(7, &shard).bytes, expected);
        }
    }

    /// Any text, control characters, quotes and backslashes included.
    fn any_str() -> impl proptest::strategy::Strategy<Value = String> {
        "(\\PC|[\\x00-\\x1f\"\\\\])*"
    }

    proptest::proptest! {
        #[test]
        fn the_index_is_the_json_serde_writes(
            docs in proptest::collection::vec(
                (
                    (any_str(), any_str(), any_str(), 0usize..usize::MAX),
                    proptest::option::of(any_str()),
                    proptest::option::of(any_str()),
                    proptest::option::of(any_str()),
                    proptest::option::of(0u32..u32::MAX),
                    proptest::option::of(any_str()),
                    proptest::collection::vec(0usize..20, 0..3),
                    proptest::collection::vec(0usize..20, 0..3),
                    0usize..usize::MAX,
                ),
                0..4,
            ),
            themas in proptest::collection::vec(any_str(), 0..3),
        ) {
            let make = || -> Vec<Doc> {
                docs.iter()
                    .map(|((t, u, s, c), d, i, k, n, o, g, h, l)| Doc {
                        t, u, s, c: *c,
                        d: d.as_deref(), i: i.as_deref(), k: k.as_deref(), n: *n,
                        o: o.as_deref(), g: g.clone(), h: h.clone(), l: *l,
                    })
                    .collect()
            };
            fn index<'a>(docs: Vec<Doc<'a>>, themas: &'a [String]) -> Index<'a> {
                Index {
                    versie: 1,
                    per_shard: DOCS_PER_SHARD,
                    stop: STOP_WORDS,
                    secties: Vec::new(),
                    gemeenten: vec!["almelo"],
                    themas: themas.iter().map(String::as_str).collect(),
                    docs,
                    delen: themas.iter().map(String::as_str).collect(),
                }
            }
            let expected = script("window.RAAD_ZOEK = ", &index(make(), &themas), ";\n");
            let written = index_script(&index(Vec::new(), &themas), &make());
            proptest::prop_assert_eq!(written, expected);
        }
    }

    #[test]
    fn ignored_words_are_not_indexable() {
        for w in STOP_WORDS.iter().chain(&["a", "x", "7"]) {
            assert!(Word::of(w).ignored(), "{w}");
        }
        for w in [
            "brief",
            "de1",
            "dee",
            "zijnde",
            "é",
            "ab",
            "regio",
            "investeringslogica",
        ] {
            assert!(!Word::of(w).ignored(), "{w}");
        }
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("geïnformeerd", 3), "geï");
        assert_eq!(truncate_chars("ïï", 3), "ïï");
    }
}
