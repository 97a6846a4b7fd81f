//! The bytes of the index files: the document table, the term shards and the text shards,
//! as scripts that hand their JSON to the search page. The JSON is the one `serde_json`
//! writes for these values (property tests check), written directly where it is most of
//! the bytes.

use serde::Serialize;

use super::{MAX_TEXT_CHARS, term_shard_url, text_shard_url};
use crate::artifact::OutputFile;

/// One document in the index; short keys because the table is loaded on every search.
#[derive(Debug, Serialize)]
pub(super) struct Doc<'a> {
    /// Title.
    pub(super) t: &'a str,
    /// Output path relative to the site root.
    pub(super) u: &'a str,
    /// Kind: "brief", "opgave" or "pagina".
    pub(super) s: &'a str,
    /// Section index into `secties`.
    pub(super) c: usize,
    /// Dutch date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) d: Option<&'a str>,
    /// ISO date, for sorting equal scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) i: Option<&'a str>,
    /// Kenmerk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) k: Option<&'a str>,
    /// Opgave number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) n: Option<u32>,
    /// One-line summary, the snippet until the text has loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) o: Option<&'a str>,
    /// Indexes into `gemeenten`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) g: Vec<usize>,
    /// Indexes into `themas`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) h: Vec<usize>,
    /// Number of indexed words, for length normalisation.
    pub(super) l: usize,
}

/// A section of the site, a value of the section filter.
#[derive(Serialize)]
pub(super) struct Section<'a> {
    pub(super) naam: &'a str,
    pub(super) titel: &'a str,
}

/// The value of `window.RAAD_ZOEK`: the document table and what the filters and the
/// query need before any shard has loaded.
#[derive(Serialize)]
pub(super) struct Index<'a> {
    pub(super) versie: u32,
    pub(super) per_shard: usize,
    pub(super) stop: &'a [&'a str],
    pub(super) secties: Vec<Section<'a>>,
    /// Gemeente slugs, as the filter's values.
    pub(super) gemeenten: Vec<&'a str>,
    pub(super) themas: Vec<&'a str>,
    pub(super) docs: Vec<Doc<'a>>,
    /// The first term of each term shard.
    pub(super) delen: Vec<&'a str>,
}

/// Term shard `n`: `RAAD_ZOEK_TERMEN(n, [terms, postings])`, the postings with each
/// document as the distance from the one before. The JSON `serde_json` writes for that,
/// written directly: most of the index is numbers.
pub(super) fn term_shard<S: AsRef<str>, P: AsRef<[u32]>>(n: usize, shard: &[(S, P)]) -> OutputFile {
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
pub(super) fn index_script(index: &Index<'_>, docs: &[Doc<'_>]) -> Vec<u8> {
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

/// `before`, the JSON `serde_json` writes for `value`, `after`.
fn script<T: Serialize + ?Sized>(before: &str, value: &T, after: &str) -> Vec<u8> {
    let mut out = before.as_bytes().to_vec();
    // Serialising plain structs and strings cannot fail.
    serde_json::to_writer(&mut out, value).unwrap_or_default();
    out.extend_from_slice(after.as_bytes());
    out
}

/// The first `max` characters of `s`.
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
    use super::super::{DOCS_PER_SHARD, STOP_WORDS};
    use super::*;

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
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("geïnformeerd", 3), "geï");
        assert_eq!(truncate_chars("ïï", 3), "ïï");
    }
}
