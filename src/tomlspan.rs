//! Where keys and values are written in a TOML text, from the parser's own spans: a key
//! path such as `bijlagen[1].bestand` to the bytes of its key and value, and a span of an
//! error back to the key path it is about. Dotted keys (`a.b = 1`), quoted keys, inline
//! tables and `[table]` or `[[list]]` headers are all found where they are written.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a key path: a key of a table, or an item of a list (also of `[[...]]` tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a table.
    Key(String),
    /// An item of a list, counted from 0.
    Index(usize),
}

/// A key path as authors read it: `nummer`, `toegankelijkheid.datum`, `bijlagen[0].bestand`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyPath(pub Vec<Step>);

impl KeyPath {
    /// Reads `a.b[0].c`. A part that is not of that form is taken as one key, so a key
    /// with a dot or a bracket in it can only be looked up on its own.
    pub fn parse(path: &str) -> KeyPath {
        let mut steps = Vec::new();
        for part in path.split('.') {
            let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
            steps.push(Step::Key(key.to_owned()));
            while let Some((n, after)) = rest.split_once(']') {
                let Ok(i) = n.parse() else {
                    return KeyPath(vec![Step::Key(path.to_owned())]);
                };
                steps.push(Step::Index(i));
                rest = after.strip_prefix('[').unwrap_or(after);
            }
        }
        KeyPath(steps)
    }

    /// The last key of the path, if it ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Step::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The key of the list that the path's last step is an item of, if it is one.
    pub fn list_key(&self) -> Option<&str> {
        match self.0.as_slice() {
            [.., Step::Key(k), Step::Index(_)] => Some(k),
            _ => None,
        }
    }

    /// The path without its last step.
    pub fn parent(&self) -> KeyPath {
        KeyPath(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i > 0 => write!(f, ".{}", Bare(k))?,
                Step::Key(k) => write!(f, "{}", Bare(k))?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A key as it is written in TOML: bare when it may be, otherwise between quotes.
pub struct Bare<'a>(pub &'a str);

impl fmt::Display for Bare<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bare = !self.0.is_empty()
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if bare {
            f.write_str(self.0)
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

/// A key or list item found in a document.
#[derive(Debug)]
pub struct Entry<'d> {
    /// Its key path.
    pub path: KeyPath,
    /// Where its key is written, for a dotted key from its first part (`a.b` for `b`);
    /// `None` for a list item.
    pub key: Option<Range<usize>>,
    /// Where its value is written; for a `[table]` or `[[list]]` item, its header.
    pub value: Range<usize>,
    /// The value.
    pub found: &'d DeValue<'d>,
}

impl Entry<'_> {
    /// From the start of its key to the end of its value (for a header, the whole header).
    pub fn whole(&self) -> Range<usize> {
        match &self.key {
            Some(k) => k.start.min(self.value.start)..k.end.max(self.value.end),
            None => self.value.clone(),
        }
    }
}

/// What an error's span is expected to point at, to choose between entries that share it:
/// a `[[list]]` and its first table share their header, a dotted key its key and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A value; a list or a table when the error says which.
    Value(Option<Shape>),
    /// A key (an unknown key).
    Key,
}

/// A list or a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[...]` or `[[...]]`.
    List,
    /// `{...}` or `[...]` as a header.
    Table,
}

/// A parsed TOML text, kept to look keys up in.
pub struct Doc<'a> {
    text: &'a str,
    root: Spanned<DeTable<'a>>,
}

impl<'a> Doc<'a> {
    /// Parses `text`; `None` when it is not valid TOML.
    pub fn parse(text: &'a str) -> Option<Doc<'a>> {
        DeTable::parse(text).ok().map(|root| Doc { text, root })
    }

    /// The entry at `path`, if the document has it.
    pub fn get(&self, path: &KeyPath) -> Option<Entry<'_>> {
        let (Step::Key(first), rest) = path.0.split_first()? else {
            return None;
        };
        let (mut key, mut at) = find_key(self.root.get_ref(), first)?;
        for step in rest {
            (key, at) = match (at.get_ref(), step) {
                (DeValue::Table(t), Step::Key(k)) => find_key(t, k)?,
                (DeValue::Array(a), Step::Index(i)) => (None, a.get(*i)?),
                _ => return None,
            };
        }
        Some(Entry {
            path: path.clone(),
            key: key.map(|k| dotted_start(self.text, k.start)..k.end),
            value: at.span(),
            found: at.get_ref(),
        })
    }

    /// The entry an error at `span` is about: the one whose value (or key) is written
    /// exactly there, else the innermost one whose value holds the span.
    pub fn at(&self, span: Range<usize>, want: Want) -> Option<Entry<'_>> {
        let mut best: Option<((bool, bool, bool, usize), Entry<'_>)> = None;
        let mut path = Vec::new();
        visit_table(self.root.get_ref(), &mut path, &mut |path, key, value| {
            let on_key = key.as_ref() == Some(&span);
            let on_value = value.span() == span;
            let holds = value.span().start <= span.start && span.end <= value.span().end;
            let shape_fits = match (want, value.get_ref()) {
                (Want::Key, _) => on_key,
                (Want::Value(Some(Shape::List)), v) => on_value && matches!(v, DeValue::Array(_)),
                (Want::Value(Some(Shape::Table)), v) => on_value && matches!(v, DeValue::Table(_)),
                (Want::Value(None), _) => on_value,
            };
            let score = (on_key || on_value, shape_fits, holds, path.len());
            if (on_key || on_value || holds) && best.as_ref().is_none_or(|(s, _)| score > *s) {
                let entry = Entry {
                    path: KeyPath(path.to_vec()),
                    key,
                    value: value.span(),
                    found: value.get_ref(),
                };
                best = Some((score, entry));
            }
        });
        best.map(|(_, entry)| entry)
    }
}

/// Where the entry at `path` (`"base_url"`, `"bijlagen[1].bestand"`) is written in `text`:
/// from the start of its key to the end of its value. `None` when `text` is not valid TOML
/// or has no such entry.
pub fn entry_span(text: &str, path: &str) -> Option<Range<usize>> {
    Some(Doc::parse(text)?.get(&KeyPath::parse(path))?.whole())
}

/// Where the dotted key whose last part starts at `start` starts: `a` of `a."b".c`.
fn dotted_start(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = start.min(bytes.len());
    if !text.is_char_boundary(start) {
        return start;
    }
    loop {
        let before = text[..start].trim_end_matches([' ', '\t']);
        let Some(before) = before.strip_suffix('.') else {
            return start;
        };
        let before = before.trim_end_matches([' ', '\t']);
        let part = match before.as_bytes().last() {
            Some(&q @ (b'"' | b'\'')) => before[..before.len() - 1]
                .rfind(|c: char| c == char::from(q) || c == '\n')
                .filter(|&i| bytes[i] == q),
            _ => {
                let bare = before
                    .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                (bare.len() < before.len()).then_some(bare.len())
            }
        };
        match part {
            Some(i) => start = i,
            None => return start,
        }
    }
}

type Value<'d> = Spanned<DeValue<'d>>;

fn find_key<'d>(
    table: &'d DeTable<'d>,
    key: &str,
) -> Option<(Option<Range<usize>>, &'d Value<'d>)> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(k, v)| (Some(k.span()), v))
}

type Visitor<'v, 'd> = dyn FnMut(&[Step], Option<Range<usize>>, &'d Value<'d>) + 'v;

fn visit_table<'d>(table: &'d DeTable<'d>, path: &mut Vec<Step>, f: &mut Visitor<'_, 'd>) {
    for (k, v) in table.iter() {
        path.push(Step::Key(k.get_ref().to_string()));
        f(path, Some(k.span()), v);
        visit_value(v, path, f);
        path.pop();
    }
}

fn visit_value<'d>(value: &'d Value<'d>, path: &mut Vec<Step>, f: &mut Visitor<'_, 'd>) {
    match value.get_ref() {
        DeValue::Table(t) => visit_table(t, path, f),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                f(path, None, item);
                visit_value(item, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str, at: usize) -> usize {
        text[..at].matches('\n').count() + 1
    }

    #[test]
    fn paths_read_and_print_alike() {
        for p in [
            "nummer",
            "toegankelijkheid.datum",
            "bijlagen[0].bestand",
            "a[1][2].b",
        ] {
            assert_eq!(KeyPath::parse(p).to_string(), p);
        }
        assert_eq!(
            KeyPath(vec![Step::Key("a b".into())]).to_string(),
            "\"a b\""
        );
    }

    #[test]
    fn keys_are_found_where_they_are_written() {
        let text = "# gemeenten = oud\ndescription = \"\"\"\ngemeenten = x\n\"\"\"\n\
                    \"gemeenten\" = [\"a\", \"b\"]\nt.a = 1\nt.b = 2\n\
                    i = { x = 1,\n  y = 2 }\n[[bijlagen]]\nbestand = \"a\"\n[[bijlagen]]\nbestand = \"b\"\n";
        let doc = Doc::parse(text).unwrap();
        let line = |p: &str| {
            let e = doc.get(&KeyPath::parse(p)).unwrap();
            line_of(text, e.whole().start)
        };
        assert_eq!(line("gemeenten"), 5);
        assert_eq!(line("gemeenten[1]"), 5);
        assert_eq!(line("t.b"), 7);
        let t_b = doc.get(&KeyPath::parse("t.b")).unwrap().whole();
        assert_eq!(&text[t_b], "t.b = 2");
        assert_eq!(line("i.y"), 9);
        assert_eq!(line("bijlagen"), 10);
        assert_eq!(line("bijlagen[1]"), 12);
        assert_eq!(line("bijlagen[1].bestand"), 13);
        assert!(doc.get(&KeyPath::parse("bijlagen[2]")).is_none());
        assert!(doc.get(&KeyPath::parse("t.a.x")).is_none());
    }

    #[test]
    fn spans_lead_back_to_their_key_path() {
        let text = "x = 1\n[[a.b]]\nc = \"1\"\n[[a.b]]\nc = 2\n";
        let doc = Doc::parse(text).unwrap();
        let at = |s: &str, want| doc.at(doc.get(&KeyPath::parse(s)).unwrap().value, want);
        assert_eq!(
            at("a.b[1].c", Want::Value(None)).unwrap().path.to_string(),
            "a.b[1].c"
        );
        let header = Want::Value(Some(Shape::Table));
        assert_eq!(at("a.b[0]", header).unwrap().path.to_string(), "a.b[0]");
        let list = Want::Value(Some(Shape::List));
        assert_eq!(at("a.b[0]", list).unwrap().path.to_string(), "a.b");
    }
}
