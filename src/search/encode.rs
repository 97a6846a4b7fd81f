//! The bytes of the index files, as scripts that hand their JSON to the search page: the
//! start of the index, the term shards, the document shards and the filters. Postings and
//! filters are packed into strings of a 64-character alphabet ([`DIGITS`]), about one
//! character per posting in a term that most documents have, because a query on a large
//! site must load little; the rest is the JSON `serde_json` writes for these values
//! (property tests check), written directly where it is most of the bytes.

use serde::Serialize;

use super::{doc_shard_url, filter_url, term_shard_url};
use crate::artifact::OutputFile;

/// The 64 characters a packed string is written in, each standing for six bits: its
/// position here. None needs escaping in JSON or in a script.
pub(super) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A posting's character has this bit set when its document directly follows the one
/// before (the first posting: when it is document 0); else a gap follows (see [`postings`]).
const NEXT: u8 = 32;

/// Appends `n` as a variable-length number: five bits per character, lowest first, the
/// sixth bit set on every character but the last.
fn varint(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let low = (n & 31) as u8;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low as usize]);
            return;
        }
        out.push(DIGITS[(low | 32) as usize]);
    }
}

/// A term's postings as a packed string: per `(document, weight)` pair (documents
/// increasing, weights below 32) one character with the weight and the [`NEXT`] bit; when
/// the document does not directly follow the one before, then the number of documents
/// skipped minus one as a [`varint`].
pub(super) fn postings(out: &mut Vec<u8>, pairs: impl Iterator<Item = (u32, u8)>) {
    let mut next = 0u32;
    for (doc, weight) in pairs {
        debug_assert!(doc >= next && weight < NEXT);
        if doc == next {
            out.push(DIGITS[(weight | NEXT) as usize]);
        } else {
            out.push(DIGITS[weight as usize]);
            varint(out, doc - next - 1);
        }
        next = doc + 1;
    }
}

/// The documents of a filter value as a packed string: a bit per document, six to a
/// character, document `d` in bit `d % 6` of character `d / 6`; trailing empty characters
/// left out.
pub(super) fn bitmap(docs: &[u32]) -> Vec<u8> {
    let len = docs.iter().max().map_or(0, |&d| d as usize / 6 + 1);
    let mut bits = vec![0u8; len];
    for &d in docs {
        bits[d as usize / 6] |= 1 << (d % 6);
    }
    bits.into_iter().map(|b| DIGITS[b as usize]).collect()
}

/// Term shard `n`: `RAAD_ZOEK_TERMEN(n, [terms, postings])`, each term's postings packed
/// (see [`postings`]).
pub(super) fn term_shard<S: AsRef<str>, P: AsRef<[u8]>>(n: usize, shard: &[(S, P)]) -> OutputFile {
    let size = shard
        .iter()
        .map(|(t, p)| t.as_ref().len() + p.as_ref().len() + 6)
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
    for (k, (_, packed)) in shard.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(packed.as_ref());
        out.push(b'"');
    }
    out.extend_from_slice(b"]]);\n");
    OutputFile {
        path: term_shard_url(n),
        bytes: out,
    }
}

/// One document as the search page shows it in a result; short keys because a result
/// loads the shard it is in.
#[derive(Debug, Serialize)]
pub(super) struct Doc<'a> {
    /// Title.
    pub(super) t: &'a str,
    /// Output path relative to the site root.
    pub(super) u: &'a str,
    /// Kind: "brief", "opgave" or "pagina".
    pub(super) s: &'a str,
    /// Dutch date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) d: Option<&'a str>,
    /// Kenmerk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) k: Option<&'a str>,
    /// Opgave number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) n: Option<u32>,
    /// One-line summary, the snippet when the text has no match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) o: Option<&'a str>,
    /// The start of the readable text, for snippets.
    pub(super) x: &'a str,
}

/// Document shard `n`: `RAAD_ZOEK_DOCS(n, [documents])`.
pub(super) fn doc_shard(n: usize, docs: &[Doc<'_>]) -> OutputFile {
    OutputFile {
        path: doc_shard_url(n),
        bytes: script(&format!("RAAD_ZOEK_DOCS({n}, "), docs, ");\n"),
    }
}

/// The documents of filter value `name`: `RAAD_ZOEK_FILTER("name", "bitmap")`.
pub(super) fn filter_file(name: &str, docs: &[u32]) -> OutputFile {
    let mut bytes = format!("RAAD_ZOEK_FILTER(\"{name}\", \"").into_bytes();
    bytes.extend_from_slice(&bitmap(docs));
    bytes.extend_from_slice(b"\");\n");
    OutputFile {
        path: filter_url(name),
        bytes,
    }
}

/// A section of the site, a value of the section filter.
#[derive(Serialize)]
pub(super) struct Section<'a> {
    pub(super) naam: &'a str,
    pub(super) titel: &'a str,
}

/// The value of `window.RAAD_ZOEK`: what a query needs before any shard has loaded. Its
/// size does not grow with the number of documents, only with the number of term shards.
#[derive(Serialize)]
pub(super) struct Index<'a> {
    pub(super) versie: u32,
    /// The number of documents.
    pub(super) n: usize,
    /// Documents per document shard.
    pub(super) per_deel: usize,
    pub(super) stop: &'a [&'a str],
    pub(super) secties: Vec<Section<'a>>,
    /// Gemeente slugs, as the filter's values.
    pub(super) gemeenten: Vec<&'a str>,
    pub(super) themas: Vec<&'a str>,
    /// The first term of each term shard.
    pub(super) delen: Vec<&'a str>,
    /// The size in bytes of each term shard: a short prefix loads its shards up to a
    /// budget.
    pub(super) groottes: Vec<usize>,
}

/// `window.RAAD_ZOEK = <index>;`.
pub(super) fn index_script(index: &Index<'_>) -> Vec<u8> {
    script("window.RAAD_ZOEK = ", index, ";\n")
}

/// `before`, the JSON `serde_json` writes for `value`, `after`.
fn script<T: Serialize + ?Sized>(before: &str, value: &T, after: &str) -> Vec<u8> {
    let mut out = before.as_bytes().to_vec();
    // Serialising plain structs and strings cannot fail.
    serde_json::to_writer(&mut out, value).unwrap_or_default();
    out.extend_from_slice(after.as_bytes());
    out
}

/// The first `max` characters of `s`, cut after the last whole word when that is not far
/// back.
pub(super) fn truncate_chars(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let cut = match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => return s,
    };
    match cut.rfind(char::is_whitespace) {
        Some(space) if space > cut.len() * 3 / 4 => &cut[..space],
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs a packed string holds, decoded as the search page's script does.
    fn unpack(packed: &[u8]) -> Vec<(u32, u8)> {
        let value = |c: u8| DIGITS.iter().position(|&d| d == c).unwrap() as u32;
        let (mut out, mut next, mut i) = (Vec::new(), 0u32, 0);
        while i < packed.len() {
            let c = value(packed[i]);
            i += 1;
            if c & 32 == 0 {
                let (mut gap, mut shift) = (0, 0);
                loop {
                    let v = value(packed[i]);
                    i += 1;
                    gap |= (v & 31) << shift;
                    shift += 5;
                    if v & 32 == 0 {
                        break;
                    }
                }
                next += gap + 1;
            }
            out.push((next, (c & 31) as u8));
            next += 1;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn packed_postings_give_their_pairs_back(
            steps in proptest::collection::vec((0u32..100_000, 0u8..32), 0..50),
        ) {
            let mut doc = 0;
            let pairs: Vec<(u32, u8)> = steps
                .iter()
                .enumerate()
                .map(|(k, &(step, w))| {
                    doc += if k == 0 { step % 3 } else { 1 + step % 3 * step };
                    (doc, w)
                })
                .collect();
            let mut packed = Vec::new();
            postings(&mut packed, pairs.iter().copied());
            proptest::prop_assert_eq!(unpack(&packed), pairs);
        }

        #[test]
        fn term_shards_are_the_json_serde_writes(
            shard in proptest::collection::vec((any_str(), "[A-Za-z0-9_-]*"), 0..4),
        ) {
            let (termen, packed): (Vec<&str>, Vec<&str>) =
                shard.iter().map(|(t, p)| (t.as_str(), p.as_str())).unzip();
            let expected = script("RAAD_ZOEK_TERMEN(7, ", &(termen, packed), ");\n");
            proptest::prop_assert_eq!(term_shard(7, &shard).bytes, expected);
        }
    }

    /// Any text, control characters, quotes and backslashes included.
    fn any_str() -> impl proptest::strategy::Strategy<Value = String> {
        "(\\PC|[\\x00-\\x1f\"\\\\])*"
    }

    #[test]
    fn dense_postings_take_a_character_each() {
        let mut packed = Vec::new();
        postings(&mut packed, (0..1000).map(|d| (d, 5)));
        assert_eq!(packed.len(), 1000);
        assert_eq!(bitmap(&[0, 1, 7]), b"DC");
        assert_eq!(bitmap(&[]), b"");
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate_chars("geïnformeerd", 3), "geï");
        assert_eq!(truncate_chars("ïï", 3), "ïï");
        assert_eq!(truncate_chars("een twee drie", 9), "een twee");
    }
}
