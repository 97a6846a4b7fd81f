//! The glossary: `content/begrippen.toml` lists terms (mostly abbreviations such as NPVR)
//! with their full form and an explanation. The first occurrence of each term in a page body
//! is marked with `<abbr>` and linked to its entry on the glossary page; never inside links,
//! headings, code or image descriptions, where a link or a tooltip would be wrong or invalid.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, TextMergeStream};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::escape::html as escape;
use crate::{fsutil, slug, tomlerr, tomlspan};

/// The glossary file, relative to `content/`.
pub const FILE: &str = "begrippen.toml";
/// Output path of the glossary page.
pub use crate::paths::GLOSSARY as URL;

/// The one key at the top of `begrippen.toml`; the keys of an entry are serde's to list.
const KEYS: &[&str] = &["begrip"];

/// One term.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Begrip {
    /// The term as it appears in texts: "NPVR". Matched case-sensitively, as a whole word.
    pub term: String,
    /// Its full form, only when an official source gives it.
    pub voluit: Option<String>,
    /// What it is, in a sentence or two.
    pub uitleg: String,
    /// Its id on the glossary page: "npvr".
    pub id: String,
}

/// All terms, in file order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Glossary {
    /// The terms.
    pub begrippen: Vec<Begrip>,
}

impl Glossary {
    /// True when there is nothing to mark and no glossary page to make.
    pub fn is_empty(&self) -> bool {
        self.begrippen.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    begrip: Vec<RawBegrip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBegrip {
    term: String,
    voluit: Option<String>,
    uitleg: String,
}

/// Reads `root/content/begrippen.toml`; an absent file is an empty glossary.
pub fn load(root: &Path) -> Result<Glossary, Diagnostics> {
    let path = root.join("content").join(FILE);
    if !path.is_file() {
        return Ok(Glossary::default());
    }
    let shown = Path::new("content").join(FILE);
    let text = fsutil::read_text(&path, &shown)?;
    parse(&text, &shown)
}

fn parse(text: &str, shown: &Path) -> Result<Glossary, Diagnostics> {
    let raw: RawFile = toml::from_str(text)
        .map_err(|e| tomlerr::diagnostic(shown, text, 1, &e, "begrippen.toml", KEYS))?;
    let mut diags = Diagnostics::new();
    let mut seen_terms = HashSet::new();
    let mut seen_ids = HashSet::new();
    let mut begrippen = Vec::new();
    for (i, b) in raw.begrip.into_iter().enumerate() {
        // At the entry's `term = "..."`, where the parser found it.
        let error = |msg: String| {
            let d = Diagnostic::in_file(shown, msg);
            match tomlspan::entry_span(text, &format!("begrip[{i}].term")) {
                Some(span) => d.at_span(text, 1, span),
                None => d.at(1, 1),
            }
        };
        let term = b.term.trim().to_owned();
        let id = slug::slugify(&term);
        if term.is_empty() || id.is_empty() {
            diags.push(
                error(format!("term \"{}\" has no letters or digits", b.term))
                    .with_help("write the term as it appears in the letters, e.g. term = \"NPVR\""),
            );
            continue;
        }
        if b.uitleg.trim().is_empty() {
            diags.push(error(format!("term \"{term}\" has an empty uitleg")));
        }
        if !seen_terms.insert(term.clone()) {
            diags.push(error(format!("term \"{term}\" is listed twice")));
            continue;
        }
        if !seen_ids.insert(id.clone()) {
            diags.push(
                error(format!(
                    "term \"{term}\" gets the same anchor #{id} as an earlier term"
                ))
                .with_help("merge the two entries"),
            );
            continue;
        }
        begrippen.push(Begrip {
            term,
            voluit: b.voluit.filter(|v| !v.trim().is_empty()),
            uitleg: b.uitleg.trim().to_owned(),
            id,
        });
    }
    diags.into_result(Glossary { begrippen })
}

/// Marks the first occurrence of each term in `events`, a page body whose output lies `root`
/// below the site root ("../../").
pub fn mark<'a>(events: Vec<Event<'a>>, glossary: &Glossary, root: &str) -> Vec<Event<'a>> {
    if glossary.is_empty() {
        return events;
    }
    let mut done = vec![false; glossary.begrippen.len()];
    // Nesting depth of places where no term may be marked.
    let mut blocked = 0usize;
    let mut out = Vec::with_capacity(events.len());
    for event in TextMergeStream::new(events.into_iter()) {
        match &event {
            Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::CodeBlock(_),
            ) => blocked += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                blocked = blocked.saturating_sub(1);
            }
            Event::InlineHtml(h) | Event::Html(h) => blocked = html_depth(h, blocked),
            Event::Text(t) if blocked == 0 && !done.iter().all(|d| *d) => {
                mark_text(t, glossary, root, &mut done, &mut out);
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Raw HTML the author wrote: text inside `<a>`, `<abbr>`, `<code>` or `<pre>` is left alone.
fn html_depth(html: &str, depth: usize) -> usize {
    let lower = html.trim().to_ascii_lowercase();
    let opens = [
        "<a ", "<a>", "<abbr", "<code", "<pre", "<h1", "<h2", "<h3", "<h4", "<h5",
    ];
    let closes = ["</a>", "</abbr>", "</code>", "</pre>", "</h"];
    let mut d = depth;
    d += opens
        .iter()
        .map(|o| lower.matches(o).count())
        .sum::<usize>();
    let closed: usize = closes.iter().map(|c| lower.matches(c).count()).sum();
    d.saturating_sub(closed)
}

fn mark_text<'a>(
    text: &str,
    glossary: &Glossary,
    root: &str,
    done: &mut [bool],
    out: &mut Vec<Event<'a>>,
) {
    let mut rest = text;
    while let Some((at, k)) = first_term(rest, glossary, done) {
        let b = &glossary.begrippen[k];
        done[k] = true;
        if at > 0 {
            out.push(Event::Text(CowStr::from(rest[..at].to_owned())));
        }
        let title = b
            .voluit
            .as_deref()
            .map(|v| format!(" title=\"{}\"", escape(v)))
            .unwrap_or_default();
        out.push(Event::InlineHtml(CowStr::from(format!(
            "<a class=\"begrip\" href=\"{root}{URL}#{}\"><abbr{title}>{}</abbr></a>",
            b.id,
            escape(&b.term)
        ))));
        rest = &rest[at + b.term.len()..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_owned())));
    }
}

/// The earliest whole-word occurrence in `text` of a term not yet marked, and which term.
fn first_term(text: &str, glossary: &Glossary, done: &[bool]) -> Option<(usize, usize)> {
    glossary
        .begrippen
        .iter()
        .enumerate()
        .filter(|(k, _)| !done[*k])
        .filter_map(|(k, b)| find_word(text, &b.term).map(|at| (at, k)))
        // Earliest first; at the same place the longest term wins ("ROS-regio" before "ROS").
        .min_by_key(|&(at, k)| (at, std::cmp::Reverse(glossary.begrippen[k].term.len())))
}

fn find_word(text: &str, term: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + term.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        parse(
            "[[begrip]]\nterm = \"ROS\"\nvoluit = \"ruimtelijke ontwikkelstrategie\"\nuitleg = \"x\"\n",
            Path::new("content/begrippen.toml"),
        )
        .unwrap()
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(find_word("PROS en ROS", "ROS"), Some(8));
        assert_eq!(find_word("ROSE", "ROS"), None);
        assert_eq!(find_word("(ROS)", "ROS"), Some(1));
    }

    #[test]
    fn marks_once() {
        let events = vec![Event::Text("De ROS en de ROS.".into())];
        let out = mark(events, &glossary(), "../");
        let html: String = out
            .iter()
            .map(|e| match e {
                Event::Text(t) | Event::InlineHtml(t) => t.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            html,
            "De <a class=\"begrip\" href=\"../begrippen/index.html#ros\"><abbr title=\"ruimtelijke ontwikkelstrategie\">ROS</abbr></a> en de ROS."
        );
    }

    #[test]
    fn duplicate_terms_are_reported_at_their_line() {
        let err = parse(
            "[[begrip]]\nterm = \"A\"\nuitleg = \"x\"\n\n[[begrip]]\nterm = \"A\"\nuitleg = \"y\"\n",
            Path::new("content/begrippen.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("content/begrippen.toml:6"), "{err}");
        assert!(err.contains("term \"A\" is listed twice"), "{err}");
    }
}
