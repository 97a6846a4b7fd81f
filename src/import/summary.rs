//! What an import found, field by field, and what it could not place: the summary a person
//! checks before publishing. The command line prints it.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Kind;
use super::body::Counts;
use super::front::Front;
use super::letterhead::Letter;

/// The summary of one import.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The file read.
    pub source: PathBuf,
    /// As what.
    pub kind: Kind,
    /// Each front matter key with its value as shown.
    pub fields: Vec<(String, String)>,
    /// What was compared, proposed or left out.
    pub notes: Vec<String>,
    /// Letterhead text that fits no field.
    pub unplaced: Vec<String>,
    /// What the body holds.
    pub counts: Counts,
    /// Continuation headers and page numbers removed from the body.
    pub removed: usize,
}

impl Summary {
    pub(super) fn new(
        source: &Path,
        kind: Kind,
        front: &Front,
        letter: &Letter,
        counts: Counts,
    ) -> Summary {
        Summary {
            source: source.to_owned(),
            kind,
            fields: front
                .keys
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.shown()))
                .collect(),
            notes: front.notes.clone(),
            unplaced: letter.unplaced.clone(),
            counts,
            removed: letter.removed,
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({}):", self.source.display(), self.kind.name())?;
        let width = self.fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (key, value) in &self.fields {
            writeln!(f, "  {key:width$}  {value}")?;
        }
        let c = self.counts;
        writeln!(
            f,
            "  body: {} paragraphs, {} headings, {} list items, {} tables; {} lines of \
             continuation headers and page numbers removed",
            c.paragraphs, c.headings, c.items, c.tables, self.removed
        )?;
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        if self.unplaced.is_empty() {
            writeln!(f, "  not placed: nothing")?;
        } else {
            writeln!(f, "  not placed (left out of the letter; check by hand):")?;
            for u in &self.unplaced {
                writeln!(f, "    {u}")?;
            }
        }
        Ok(())
    }
}
