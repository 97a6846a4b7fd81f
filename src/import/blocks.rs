//! The intermediate form every reader produces: paragraphs of plain text lines with what the
//! source said about their structure. The letterhead recogniser and the body writer read
//! only this, whatever the input was.

/// What the source says a paragraph is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// A paragraph whose role the body writer works out from its text.
    Plain,
    /// A heading of this level (1-6), as a DOCX style says.
    Heading(u8),
    /// A list item at this level (0 = top), numbered or with a bullet.
    Item {
        /// Numbered (1., 2., ...) rather than bulleted.
        ordered: bool,
        /// Nesting level, 0 at the top.
        level: u8,
    },
    /// A table (DOCX): rows of cells, each cell its paragraphs.
    Table(Vec<Vec<Vec<Para>>>),
}

/// One paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    /// Its lines as plain text, in reading order (a paragraph wrapped by a PDF has many; a
    /// DOCX paragraph has one per manual line break).
    pub lines: Vec<String>,
    /// The same lines as Markdown inline text (bold, italic) where the source marks them;
    /// `None` where it does not, and the plain lines are escaped instead.
    pub inline: Option<Vec<String>>,
    /// What the source says it is.
    pub style: Style,
    /// The first or last paragraph of a page (PDF), where page numbers stand.
    pub page_edge: bool,
}

impl Para {
    /// A plain paragraph of these lines.
    pub fn plain(lines: Vec<String>) -> Para {
        Para {
            lines,
            inline: None,
            style: Style::Plain,
            page_edge: false,
        }
    }

    /// The lines joined by spaces, trimmed.
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            let l = l.trim();
            if l.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(l);
        }
        out
    }
}

/// Splits plain text into paragraphs at blank lines; trailing white space of every line goes,
/// tabs become spaces. Used by the text reader and, for its lines, by the PDF reader.
pub fn paragraphs_of(text: &str) -> Vec<Para> {
    let mut paras: Vec<Para> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut edge = false;
    for raw in text.lines() {
        // pdftotext ends every page with a form feed: the paragraphs around it are page edges.
        let page_break = raw.contains('\u{c}');
        let line = raw.replace(['\t', '\u{a0}'], " ").replace('\u{c}', "");
        let line = line.trim_end();
        if page_break || line.trim().is_empty() {
            if !lines.is_empty() {
                let mut p = Para::plain(std::mem::take(&mut lines));
                p.page_edge = edge || page_break;
                paras.push(p);
                edge = false;
            } else if page_break && let Some(last) = paras.last_mut() {
                last.page_edge = true;
            }
            edge |= page_break;
        }
        if !line.trim().is_empty() {
            lines.push(line.to_owned());
        }
    }
    if !lines.is_empty() {
        let mut p = Para::plain(lines);
        p.page_edge = edge;
        paras.push(p);
    }
    paras
}
