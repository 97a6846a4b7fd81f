//! Stable heading ids for deep links: an id written in the Markdown (`## Kop {#id}`) is
//! kept, other headings get the slug of their text, and every id is made unique on its page.

use pulldown_cmark::{Event, HeadingLevel, Tag};
use rustc_hash::FxHashSet;

/// The heading ids of one page as its events go by.
#[derive(Default)]
pub(super) struct Headings {
    /// Every id given out so far.
    ids: FxHashSet<String>,
    /// Where the start of the heading being read is in the event list, when it has no id
    /// of its own: it gets one from its text at its end.
    open: Option<usize>,
}

impl Headings {
    /// A heading without an id starts at index `at` of the event list.
    pub(super) fn open(&mut self, at: usize) {
        self.open = Some(at);
    }

    /// The id for a heading whose author wrote `id`: that one, or with a number added
    /// when it is already taken. Also added to `anchors`.
    pub(super) fn written(&mut self, id: &str, anchors: &mut Vec<String>) -> String {
        let id = unique_id(id.to_string(), &mut self.ids);
        anchors.push(id.clone());
        id
    }

    /// At the end of a heading: gives the open one (if any) the slug of its text as id
    /// (`kop` when that is empty), made unique, in its start event and in `anchors`.
    pub(super) fn close(
        &mut self,
        level: HeadingLevel,
        events: &mut [Event<'_>],
        anchors: &mut Vec<String>,
    ) {
        let Some(start) = self.open.take() else {
            return;
        };
        let text = plain_text(&events[start + 1..]);
        let mut id = crate::slug::slugify(&text);
        if id.is_empty() {
            id = "kop".into();
        }
        let id = unique_id(id, &mut self.ids);
        anchors.push(id.clone());
        events[start] = heading_start(level, id, &events[start]);
    }
}

/// The start event of a heading at `level` with `id`, keeping the classes and attributes
/// of `old`.
fn heading_start<'a>(level: HeadingLevel, id: String, old: &Event<'a>) -> Event<'a> {
    let (classes, attrs) = match old {
        Event::Start(Tag::Heading { classes, attrs, .. }) => (classes.clone(), attrs.clone()),
        _ => (Vec::new(), Vec::new()),
    };
    Event::Start(Tag::Heading {
        level,
        id: Some(id.into()),
        classes,
        attrs,
    })
}

/// The text and code of `events`, joined as they are.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// `base`, or `base-1`, `base-2`, ... when that is in `seen`; added to `seen`.
fn unique_id(base: String, seen: &mut FxHashSet<String>) -> String {
    if seen.insert(base.clone()) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| seen.insert(c.clone()))
        .unwrap_or(base)
}
