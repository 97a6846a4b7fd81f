//! The byte-level fast paths of the scanner ([`super::scan`]): words as numbers, and eight
//! bytes of text classified, lowercased and looked up at once. Each has a property test
//! against the plain definition it stands for.

use std::sync::LazyLock;

use super::fold::STOP_WORDS;

/// The longest word kept under a number rather than as a string: nearly every word of a
/// Dutch text, compounds included, and a number is hashed and compared in one step.
pub(super) const SHORT: usize = 16;

/// The bytes of a word of at most [`SHORT`] bytes as one number (distinct words, distinct
/// numbers); `None` for longer words.
pub(super) fn short_key(w: &str) -> Option<u128> {
    let b = w.as_bytes();
    (b.len() <= SHORT).then(|| {
        let mut buf = [0u8; SHORT];
        buf[..b.len()].copy_from_slice(b);
        u128::from_le_bytes(buf)
    })
}

/// The word whose [`short_key`] has these bytes.
pub(super) fn short_word(bytes: &[u8; SHORT]) -> &str {
    // The bytes are the word's, zero-padded; a word holds no zero byte.
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(SHORT);
    std::str::from_utf8(&bytes[..len]).unwrap_or_default()
}

/// The stop words' [`short_key`]s in an open-addressing table of [`STOP_SLOTS`] slots, each
/// key from its [`stop_slot`] on (0 is a free slot). Every stop word fits in eight bytes
/// (a test checks).
pub(super) static STOP_KEYS: LazyLock<[u64; STOP_SLOTS]> = LazyLock::new(|| {
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

/// The slots of [`STOP_KEYS`].
pub(super) const STOP_SLOTS: usize = 256;

/// The slot of [`STOP_KEYS`] where the search for key `k` starts.
#[inline]
pub(super) fn stop_slot(k: u64) -> usize {
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// The bytes `b[at..]` as a number, the first in the lowest byte: eight of them where `b`
/// goes on that far (the caller masks off those it does not want), else those before `end`.
/// Read as a number because a copy of a few bytes would be a call to `memcpy` for each
/// word of every page.
#[inline]
pub(super) fn eight_at(b: &[u8], at: usize, end: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => b[at..end]
            .iter()
            .rev()
            .fold(0, |k, &c| (k << 8) | u64::from(c)),
    }
}

/// The [`short_key`] of the ASCII letters and digits in the first `len` (at most eight)
/// bytes of `x`, lowercased; the bytes after them are dropped.
#[inline]
pub(super) fn lowered_key(x: u64, len: usize) -> u64 {
    let keep = u64::MAX >> (8 * (8 - len));
    // 0x20 lowercases an ASCII letter and is already set in a digit.
    (x | 0x2020_2020_2020_2020) & keep
}

/// The high bit of every byte of a `u64`.
pub(super) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// For eight bytes of text (the first in the lowest byte): the high bit set in each byte
/// that is an ASCII letter or digit, and in each byte that is a [`SEPARATOR`].
#[inline]
pub(super) fn classes(x: u64) -> (u64, u64) {
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
pub(super) const ALNUM: u8 = 0;
/// [`BYTE_CLASS`] of any other ASCII character but the apostrophe: it ends a word.
pub(super) const SEPARATOR: u8 = 1;
/// [`BYTE_CLASS`] of the apostrophe and of the bytes of non-ASCII characters: folded one
/// character at a time.
const FOLDED: u8 = 2;

/// The class of every byte, for the scan over a page's text: one lookup instead of a chain
/// of comparisons per byte.
pub(super) static BYTE_CLASS: [u8; 256] = {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The high bits [`classes`] sets, byte by byte from [`BYTE_CLASS`].
    fn classes_by_table(x: u64) -> (u64, u64) {
        let mut out = (0, 0);
        for (k, b) in x.to_le_bytes().into_iter().enumerate() {
            match BYTE_CLASS[b as usize] {
                ALNUM => out.0 |= 0x80 << (8 * k),
                SEPARATOR => out.1 |= 0x80 << (8 * k),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_byte_is_classed_as_the_table_says() {
        for b in 0..=255u8 {
            for filler in [0u8, b' ', b'a', b'\'', 0xc3, 0xff] {
                let mut bytes = [filler; 8];
                for k in 0..8 {
                    bytes[k] = b;
                    let x = u64::from_le_bytes(bytes);
                    assert_eq!(classes(x), classes_by_table(x), "{bytes:?}");
                    bytes[k] = filler;
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn classes_match_the_table(x in proptest::num::u64::ANY) {
            proptest::prop_assert_eq!(classes(x), classes_by_table(x));
        }

        #[test]
        fn short_keys_give_their_words_back(w in "[^\u{0}]{0,16}") {
            if let Some(k) = short_key(&w) {
                let bytes = k.to_le_bytes();
                proptest::prop_assert_eq!(short_word(&bytes), w.as_str());
            } else {
                proptest::prop_assert!(w.len() > SHORT);
            }
        }

        /// A lowered key of eight bytes read at any place is the key of the lowercased word,
        /// also near the end of the text where fewer than eight bytes follow.
        #[test]
        fn lowered_keys_are_the_keys_of_lowercased_words(
            text in "[a-zA-Z0-9]{1,20}",
            at in 0usize..20,
            len in 1usize..=8,
        ) {
            let b = text.as_bytes();
            let at = at.min(b.len() - 1);
            let end = (at + len).min(b.len());
            let key = lowered_key(eight_at(b, at, end), end - at);
            let word = text[at..end].to_ascii_lowercase();
            proptest::prop_assert_eq!(Some(u128::from(key)), short_key(&word));
        }

    }
}
