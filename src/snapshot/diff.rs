//! Differences between two snapshots: documents added, removed and changed, by title, with the
//! changed passages of their text as a line diff.

use std::borrow::Cow;
use std::collections::BTreeMap;

use similar::{ChangeTag, TextDiff};

use super::manifest::is_page;
use super::{FileEntry, Manifest, Store, html};
use crate::diagnostics::Diagnostic;
use crate::profile::Profile;

/// Lines of unchanged text shown around each change.
const CONTEXT: usize = 2;

/// A document (page or other file) of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Path inside the snapshot.
    pub path: String,
    /// Title of a page; `None` for other files.
    pub title: Option<String>,
}

impl Document {
    fn of(f: &FileEntry) -> Document {
        Document {
            path: f.path.clone(),
            title: f.title.clone(),
        }
    }

    /// The title, or the path when there is none.
    pub fn name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.path)
    }
}

/// One line of a text diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Text in both versions.
    Same(String),
    /// Text only in the old version.
    Removed(String),
    /// Text only in the new version.
    Added(String),
}

/// A changed document with its changed passages.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The document in the new version.
    pub document: Document,
    /// Its title in the old version, when that differs.
    pub old_title: Option<String>,
    /// Groups of changed lines with a little context; empty when only markup changed or the
    /// file is not a page.
    pub hunks: Vec<Vec<Line>>,
}

/// The difference between two snapshots.
#[derive(Debug, Clone)]
pub struct SnapshotDiff {
    /// The older snapshot's label.
    pub from: String,
    /// The newer snapshot's label.
    pub to: String,
    /// Documents only in `to`.
    pub added: Vec<Document>,
    /// Documents only in `from`.
    pub removed: Vec<Document>,
    /// Documents whose bytes differ.
    pub changed: Vec<Changed>,
}

impl SnapshotDiff {
    /// True when both snapshots hold the same files with the same bytes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares the `profile` renditions of snapshot `a` and snapshot `b`.
pub fn diff(store: &Store, a: &str, b: &str, profile: Profile) -> Result<SnapshotDiff, Diagnostic> {
    let (ma, mb) = (store.manifest(a)?, store.manifest(b)?);
    let (ra, rb) = (rendition(&ma, profile)?, rendition(&mb, profile)?);
    diff_manifests(store, &ra, &rb)
}

fn rendition(m: &Manifest, profile: Profile) -> Result<Cow<'_, Manifest>, Diagnostic> {
    m.for_profile(profile).ok_or_else(|| {
        Diagnostic::general(format!(
            "snapshot \"{}\" has no {profile} rendition: raadsite {} froze the intranet site only",
            m.label, m.raadsite_version
        ))
        .with_help("compare the intranet renditions, or create a new snapshot")
    })
}

/// Compares two loaded manifests of `store`.
pub fn diff_manifests(
    store: &Store,
    a: &Manifest,
    b: &Manifest,
) -> Result<SnapshotDiff, Diagnostic> {
    let old: BTreeMap<&str, &FileEntry> = a.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let new: BTreeMap<&str, &FileEntry> = b.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut out = SnapshotDiff {
        from: a.label.clone(),
        to: b.label.clone(),
        added: new
            .iter()
            .filter(|(p, _)| !old.contains_key(*p))
            .map(|(_, f)| Document::of(f))
            .collect(),
        removed: old
            .iter()
            .filter(|(p, _)| !new.contains_key(*p))
            .map(|(_, f)| Document::of(f))
            .collect(),
        changed: Vec::new(),
    };
    for (path, nf) in &new {
        let Some(of) = old.get(path) else { continue };
        if of.sha256 == nf.sha256 {
            continue;
        }
        let hunks = if is_page(path) {
            let text = |f: &FileEntry| -> Result<String, Diagnostic> {
                Ok(html::text(&String::from_utf8_lossy(
                    &store.objects().read(&f.sha256)?,
                )))
            };
            hunks(&text(of)?, &text(nf)?)
        } else {
            Vec::new()
        };
        out.changed.push(Changed {
            document: Document::of(nf),
            old_title: (of.title != nf.title).then(|| of.title.clone()).flatten(),
            hunks,
        });
    }
    Ok(out)
}

/// The changed passages between two texts, as groups of lines with context.
pub fn hunks(old: &str, new: &str) -> Vec<Vec<Line>> {
    let diff = TextDiff::from_lines(old, new);
    diff.grouped_ops(CONTEXT)
        .iter()
        .map(|group| {
            group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|c| {
                    let text = c.value().trim_end_matches('\n').to_owned();
                    match c.tag() {
                        ChangeTag::Equal => Line::Same(text),
                        ChangeTag::Delete => Line::Removed(text),
                        ChangeTag::Insert => Line::Added(text),
                    }
                })
                .collect()
        })
        .collect()
}

/// The words of an old and a new line as one sequence: words in both, words only in the old
/// line and words only in the new one. Changes separated by nothing but white space are one
/// change (`EA Smit` replaced by `J. de Vries`, not word by word), so a changes page can show
/// the line once with readable `<del>` and `<ins>` inside it.
pub fn word_changes(old: &str, new: &str) -> Vec<Line> {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut out: Vec<Line> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    for (k, &(tag, v)) in changes.iter().enumerate() {
        let pending = !del.is_empty() || !ins.is_empty();
        let change_follows = changes
            .get(k + 1)
            .is_some_and(|(t, _)| *t != ChangeTag::Equal);
        match tag {
            ChangeTag::Delete => del.push_str(v),
            ChangeTag::Insert => ins.push_str(v),
            ChangeTag::Equal if pending && change_follows && v.trim().is_empty() => {
                for s in [&mut del, &mut ins] {
                    if !s.is_empty() {
                        s.push_str(v);
                    }
                }
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(Line::Same(t)) => t.push_str(v),
                    _ => out.push(Line::Same(v.to_owned())),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Moves the pending removed and added words to `out`.
fn flush(out: &mut Vec<Line>, del: &mut String, ins: &mut String) {
    if !del.is_empty() {
        out.push(Line::Removed(std::mem::take(del)));
    }
    if !ins.is_empty() {
        out.push(Line::Added(std::mem::take(ins)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_show_changes_with_context() {
        let h = hunks("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(
            h,
            vec![vec![
                Line::Same("b".into()),
                Line::Same("c".into()),
                Line::Removed("d".into()),
                Line::Added("D".into()),
                Line::Same("e".into()),
                Line::Same("f".into()),
            ]]
        );
        assert!(hunks("x\n", "x\n").is_empty());
    }

    #[test]
    fn word_changes_show_one_line() {
        let w = word_changes("Alleen aan Almelo.", "Alleen aan Almelo. Een zin erbij.");
        assert_eq!(
            w,
            vec![
                Line::Same("Alleen aan Almelo.".into()),
                Line::Added(" Een zin erbij.".into()),
            ]
        );
        let w = word_changes("door EA Smit.", "door J. de Vries.");
        assert_eq!(
            w,
            vec![
                Line::Same("door ".into()),
                Line::Removed("EA Smit.".into()),
                Line::Added("J. de Vries.".into()),
            ]
        );
    }
}
