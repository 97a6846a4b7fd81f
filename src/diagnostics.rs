//! Diagnostics: every problem a build finds, with the file (and line) it concerns.
//!
//! A build collects all diagnostics of a stage before failing, so an author fixes every typo in
//! one round instead of one per run. Rendering them is the caller's job; `Display` gives the
//! rustc-like form used by the CLI.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Where in a source file a problem is, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column (in characters), starting at 1.
    pub column: usize,
}

/// The source line a problem is on, shown under the message with a caret line under the
/// part concerned, as rustc does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Snippet {
    /// The whole line, without its line break.
    pub line: String,
    /// How many characters, from the diagnostic's column on, the carets cover; at least 1.
    pub length: usize,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Severity {
    /// The site cannot be built.
    #[default]
    Error,
    /// Worth fixing; the site is built anyway.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`, as printed and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Whose problem it is, for the exit code: the content (exit 1), or the environment the
/// build runs in (exit 2: a folder or file that cannot be read or written, bad usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Category {
    /// Something in the site's files that its author can fix.
    #[default]
    Content,
    /// Usage or I/O: the site folder, the output folder or a file could not be used.
    Io,
}

/// One problem, tied to a file where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file concerned, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// Line and column within `file`, where known.
    pub position: Option<Position>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where we can tell.
    pub help: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// Content or usage/I/O problem.
    pub category: Category,
    /// The source line with the part to underline, where known (boxed: most diagnostics
    /// have none, and a `Result` with a `Diagnostic` as error stays small).
    pub snippet: Option<Box<Snippet>>,
}

impl Diagnostic {
    /// A problem that concerns no particular file (usage, I/O of the output folder).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            position: None,
            message: message.into(),
            help: None,
            severity: Severity::Error,
            category: Category::Content,
            snippet: None,
        }
    }

    /// A problem in `file`.
    pub fn in_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: Some(file.into()),
            ..Diagnostic::general(message)
        }
    }

    /// Adds the line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.position = Some(Position { line, column });
        self
    }

    /// Adds a line and column when known.
    pub fn at_opt(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Points at the bytes `span` of `text`, a part of the file that starts at its line
    /// `first_line`: the position of the span's start and its source line, underlined up to
    /// the span's end or the end of the line. A span at the very end, after the part's last
    /// newline, points at the end of its last line: the line after it is the file's, not
    /// the part's (the closing `+++` of front matter).
    pub fn at_span(mut self, text: &str, first_line: usize, span: Range<usize>) -> Self {
        let mut start = floor_char_boundary(text, span.start.min(text.len()));
        if start == text.len() && text.ends_with('\n') {
            start -= 1;
            start -= usize::from(text[..start].ends_with('\r'));
        }
        let mut position = position_of(text, start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = floor_char_boundary(text, span.end.clamp(start, line_end));
        self.snippet = Some(Box::new(Snippet {
            line: text[line_start..line_end].trim_end_matches('\r').to_owned(),
            length: text[start..end].chars().count().max(1),
        }));
        position.line += first_line.saturating_sub(1);
        self.position = Some(position);
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Marks the problem as one of usage or I/O rather than of the content.
    pub fn io(mut self) -> Self {
        self.category = Category::Io;
        self
    }

    /// Marks the problem as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The problem as one line of JSON: `file`, `line`, `column`, `severity`, `message`,
    /// `help`, and where known `source_line` (the text of line `line`) and `end_column` (the
    /// column just after the part concerned, on that line); absent values are `null`. For
    /// editors and CI.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Line<'a> {
            file: Option<String>,
            line: Option<usize>,
            column: Option<usize>,
            severity: &'static str,
            message: &'a str,
            help: Option<&'a str>,
            source_line: Option<&'a str>,
            end_column: Option<usize>,
        }
        let snippet = self.snippet.as_ref().zip(self.position);
        let line = Line {
            file: self
                .file
                .as_ref()
                .map(|f| f.to_string_lossy().replace('\\', "/")),
            line: self.position.map(|p| p.line),
            column: self.position.map(|p| p.column),
            severity: self.severity.as_str(),
            message: &self.message,
            help: self.help.as_deref(),
            source_line: snippet.map(|(s, _)| s.line.as_str()),
            end_column: snippet.map(|(s, p)| p.column + s.length),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }

    fn sort_key(&self) -> (Option<&Path>, Option<Position>, &str) {
        (self.file.as_deref(), self.position, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity.as_str(), self.message)?;
        if let Some(file) = &self.file {
            write!(f, "\n  --> {}", file.display())?;
            if let Some(p) = self.position {
                write!(f, ":{}:{}", p.line, p.column)?;
            }
        }
        match (&self.snippet, self.position, &self.file) {
            (Some(snippet), Some(p), Some(_)) => {
                let width = p.line.to_string().len().max(2);
                write_snippet(f, snippet, p, width)?;
                if let Some(help) = &self.help {
                    write!(f, "\n{:width$} = help: {help}", "")?;
                }
            }
            _ => {
                if let Some(help) = &self.help {
                    write!(f, "\n  help: {help}")?;
                }
            }
        }
        Ok(())
    }
}

/// The source line under a diagnostic's `-->` line, with carets under the part concerned:
///
/// ```text
///    |
///  4 | nummer = "zeven"
///    |          ^^^^^^^
/// ```
fn write_snippet(
    f: &mut fmt::Formatter<'_>,
    snippet: &Snippet,
    p: Position,
    width: usize,
) -> fmt::Result {
    // Tabs before the column stay tabs, so the carets line up however wide a tab is shown.
    let pad: String = snippet
        .line
        .chars()
        .take(p.column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let carets = "^".repeat(snippet.length.max(1));
    write!(f, "\n{:width$} |", "")?;
    write!(f, "\n{:>width$} | {}", p.line, snippet.line)?;
    write!(f, "\n{:width$} | {pad}{carets}", "")
}

/// All problems found by a build, in a stable order (by file, then position).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, sorted by file and position.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Process exit code for these problems: 2 when any is a usage or I/O problem, else 1.
    pub fn exit_code(&self) -> u8 {
        if self.0.iter().any(|d| d.category == Category::Io) {
            2
        } else {
            1
        }
    }

    /// True when any problem is an error (not only warnings).
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// `Ok(value)` when empty, otherwise the sorted list as the error.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// The list sorted by file and position, without repeats.
    pub fn sorted(mut self) -> Diagnostics {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        let n = self.0.len();
        write!(
            f,
            "error: build failed with {n} error{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Computes 1-based line and column of byte `offset` in `text`.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The known word closest to `word`, if one is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let t = "ab\ncdé\nx";
        assert_eq!(position_of(t, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of(t, 3), Position { line: 2, column: 1 });
        assert_eq!(position_of(t, 8), Position { line: 3, column: 1 });
    }

    #[test]
    fn shows_the_source_line_with_carets_under_the_span() {
        let text = "a = 1\n".repeat(99) + "nummer = \"zeven\"\n";
        let start = text.find('"').unwrap();
        let d = Diagnostic::in_file("x.md", "m")
            .at_span(&text, 2, start..start + 7)
            .with_help("h");
        assert_eq!(
            d.to_string(),
            "error: m\n  --> x.md:101:10\n    |\n101 | nummer = \"zeven\"\n    |          ^^^^^^^\n    = help: h"
        );
        // A span past the end of its line is cut there; an empty one gets one caret.
        let d = Diagnostic::in_file("x.md", "m").at_span("ab\ncd", 1, 1..5);
        assert_eq!(
            d.snippet.as_ref().map(|s| (s.line.as_str(), s.length)),
            Some(("ab", 1))
        );
        let d = Diagnostic::in_file("x.md", "m").at_span("ab\n", 3, 3..3);
        assert_eq!(
            (d.position.unwrap().line, d.position.unwrap().column),
            (3, 3)
        );
        assert_eq!(d.snippet.as_ref().unwrap().line, "ab");
        let d = Diagnostic::in_file("x.md", "m").at_span("ab", 1, 2..2);
        assert!(d.to_string().ends_with(" 1 | ab\n   |   ^"), "{d}");
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(
            suggest("kenmrk", &["kenmerk", "kenmerken", "title"]),
            Some("kenmerk")
        );
        assert_eq!(suggest("zzzzzz", &["kenmerk", "title"]), None);
    }
}
