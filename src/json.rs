//! JSON written by hand, byte for byte as `serde_json` writes it. The search index and the
//! metadata are tens of thousands of small documents per build; going through serde's
//! data model and an `io::Write` per token cost a few percent of a full build. Each writer
//! here is checked against `serde_json` by a property test where it is used.

/// Writes `s` as a JSON string, exactly as `serde_json` does, but eight bytes at a time
/// where nothing needs escaping (nearly all of a page's text).
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    /// Whether any of the eight bytes is a control character, `"` or `\\`.
    fn special(v: u64) -> bool {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        (below(v, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !special(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(short);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// A writer of indented JSON as `serde_json::to_writer_pretty` lays it out: two spaces per
/// level, `": "` after a key, and empty objects and arrays as `{}` and `[]`. The caller
/// writes the values in order; nothing checks that keys and values alternate.
pub(crate) struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    /// Whether the innermost open object or array holds a value yet.
    has_value: bool,
}

impl<'a> Pretty<'a> {
    /// A writer appending to `out` at nesting `depth`: 0 for a whole document, more for
    /// a value that will stand inside others.
    pub(crate) fn new(out: &'a mut Vec<u8>, depth: usize) -> Self {
        Pretty {
            out,
            depth,
            has_value: false,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"  ");
        }
    }

    /// Opens an object (`{`) or an array (`[`).
    pub(crate) fn open(&mut self, bracket: u8) -> &mut Self {
        self.depth += 1;
        self.has_value = false;
        self.out.push(bracket);
        self
    }

    /// Closes the innermost object (`}`) or array (`]`), on a line of its own unless it is
    /// empty.
    pub(crate) fn close(&mut self, bracket: u8) -> &mut Self {
        self.depth -= 1;
        if self.has_value {
            self.out.push(b'\n');
            self.indent();
        }
        self.out.push(bracket);
        // Whatever it was in now holds a value: this one.
        self.has_value = true;
        self
    }

    /// Starts the next element of an array.
    pub(crate) fn element(&mut self) -> &mut Self {
        self.out
            .extend_from_slice(if self.has_value { b",\n" } else { b"\n" });
        self.indent();
        self.has_value = true;
        self
    }

    /// Starts the member `name` of an object. `name` is written as it is: it must need no
    /// escapes.
    pub(crate) fn key(&mut self, name: &str) -> &mut Self {
        self.element();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self
    }

    /// A string value.
    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        string(self.out, s);
        self
    }

    /// A string value, or `null`.
    pub(crate) fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// An unsigned number.
    pub(crate) fn uint(&mut self, n: u64) -> &mut Self {
        self.out
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self
    }

    /// An unsigned number, or `null`.
    pub(crate) fn opt_uint(&mut self, n: Option<u64>) -> &mut Self {
        match n {
            Some(n) => self.uint(n),
            None => self.null(),
        }
    }

    /// A value already written as JSON by a writer at this depth.
    pub(crate) fn raw(&mut self, json: &[u8]) -> &mut Self {
        self.out.extend_from_slice(json);
        self
    }

    /// `null`.
    pub(crate) fn null(&mut self) -> &mut Self {
        self.out.extend_from_slice(b"null");
        self
    }

    /// An array of the items of `items`, each written by `each`.
    pub(crate) fn array<T>(
        &mut self,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T),
    ) -> &mut Self {
        self.open(b'[');
        for item in items {
            self.element();
            each(self, item);
        }
        self.close(b']')
    }
}

/// A JSON string literal that is also safe inside a `<script>` element.
pub fn script_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(f: impl FnOnce(&mut Pretty<'_>)) -> String {
        let mut out = Vec::new();
        f(&mut Pretty::new(&mut out, 0));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn nested_and_empty_values_are_laid_out_as_serde_json_does() {
        let value = serde_json::json!({
            "a": [],
            "b": {},
            "c": [1, {"d": null, "e": ["x"]}],
            "f": "g\"h\u{1}",
        });
        let ours = pretty(|w| {
            w.open(b'{');
            w.key("a").open(b'[').close(b']');
            w.key("b").open(b'{').close(b'}');
            w.key("c").open(b'[');
            w.element().uint(1);
            w.element().open(b'{');
            w.key("d").null();
            w.key("e").array(&["x"], |w, s| {
                w.str(s);
            });
            w.close(b'}').close(b']');
            w.key("f").str("g\"h\u{1}");
            w.close(b'}');
        });
        assert_eq!(ours, serde_json::to_string_pretty(&value).unwrap());
    }

    proptest::proptest! {
        #[test]
        fn numbers_and_strings_are_what_serde_json_writes(
            n in proptest::num::u64::ANY,
            s in "(\\PC|[\\x00-\\x1f\"\\\\\u{7f}])*",
        ) {
            proptest::prop_assert_eq!(pretty(|w| { w.uint(n); }), n.to_string());
            proptest::prop_assert_eq!(
                pretty(|w| { w.str(&s); }),
                serde_json::to_string(&s).unwrap()
            );
        }
    }
}
