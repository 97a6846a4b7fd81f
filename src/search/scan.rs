//! The scanner the index is built with: the words of `fold(text)` (see
//! [`super::fold`](mod@super::fold)) in one pass over the text, without the folded text,
//! most of them as numbers.

use super::bytes::{
    ALNUM, BYTE_CLASS, HIGH_BITS, SEPARATOR, SHORT, STOP_KEYS, STOP_SLOTS, classes, eight_at,
    lowered_key, short_key, stop_slot,
};
use super::fold::fold_char;

/// A word as [`folded_words`] hands it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word<'a> {
    /// A word of up to [`SHORT`] bytes, by its [`short_key`].
    Short(u128),
    /// A longer word.
    Long(&'a str),
}

impl<'a> Word<'a> {
    pub(super) fn of(w: &'a str) -> Word<'a> {
        short_key(w).map_or(Word::Long(w), Word::Short)
    }

    /// Whether the word is surely left out of the index: one byte or a stop word. Such words
    /// are a large share of a Dutch text; they are dropped before they are counted. (Other
    /// words that are not indexed are found when the counts go into the index.)
    #[inline]
    pub(super) fn ignored(self) -> bool {
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
        // The probe is written out here rather than called: so it compiles to the branch
        // that decides, without a flag in between.
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
pub(super) fn folded_words(text: &str, buf: &mut String, mut each: impl FnMut(Word<'_>)) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Eight bytes at a time where the text goes on that far: a run of separators is
        // skipped and a plain word of up to seven bytes is taken in one step. (Written out
        // here: as a function of its own, inlined, it cost the byte loop below a register
        // and an instruction per byte.)
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

/// The run of ASCII letters and digits `text[start..end]`, lowercased.
#[inline]
fn ascii_word<'a>(text: &'a str, start: usize, end: usize, buf: &'a mut String) -> Word<'a> {
    let len = end - start;
    if len <= SHORT {
        let b = text.as_bytes();
        let low = lowered_key(eight_at(b, start, end), len.min(8));
        if len <= 8 {
            return Word::Short(low.into());
        }
        let high = lowered_key(eight_at(b, start + 8, end), len - 8);
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

#[cfg(test)]
mod tests {
    use super::super::bytes::short_word;
    use super::super::fold::{STOP_WORDS, fold, runs};
    use super::*;

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

        /// A short word is ignored when it is one byte or a stop word, whichever probe of
        /// the stop keys' table finds it.
        #[test]
        fn ignored_words_are_one_byte_or_stop_words(w in "[a-z0-9é]{1,9}") {
            let stop = w.len() == 1 || STOP_WORDS.contains(&w.as_str());
            proptest::prop_assert_eq!(Word::of(&w).ignored(), stop);
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
}
