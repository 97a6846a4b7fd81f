//! The body to Markdown: paragraphs re-flowed, headings and lists recognised (from DOCX
//! styles, or from the text where the source has none), tables from DOCX. The text is kept
//! exactly as written: only Markdown's own characters are escaped.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::blocks::{Para, Style};
use super::labels::{is_closing, is_salutation};

/// What the body holds, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Paragraphs of text.
    pub paragraphs: usize,
    /// Headings.
    pub headings: usize,
    /// List items.
    pub items: usize,
    /// Tables.
    pub tables: usize,
}

/// The Markdown of the body and what it holds.
pub fn markdown(paras: &[Para]) -> (String, Counts) {
    let vocabulary = vocabulary(paras);
    let mut out = String::new();
    let mut counts = Counts::default();
    // The kind of the list item written last (numbered or not), to keep a list together.
    let mut in_list: Option<bool> = None;
    for (i, p) in paras.iter().enumerate() {
        let blocks = blocks_of(p, paras.get(i + 1), &vocabulary);
        for block in blocks {
            let item = match block {
                Block::Item(ordered, ..) => Some(ordered),
                _ => None,
            };
            if !out.is_empty() {
                out.push_str(if item.is_some() && item == in_list {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            in_list = item;
            write_block(&mut out, block, &mut counts);
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    (out, counts)
}

/// A piece of Markdown.
enum Block {
    Paragraph(String),
    Heading(u8, String),
    /// Ordered, level, text.
    Item(bool, u8, String),
    Table(Vec<Vec<String>>),
}

fn write_block(out: &mut String, block: Block, counts: &mut Counts) {
    match block {
        Block::Paragraph(text) => {
            counts.paragraphs += 1;
            out.push_str(&text);
        }
        Block::Heading(level, text) => {
            counts.headings += 1;
            let _ = write!(out, "{} {text}", "#".repeat(usize::from(level)));
        }
        Block::Item(ordered, level, text) => {
            counts.items += 1;
            let indent = "   ".repeat(usize::from(level));
            let marker = if ordered { "1." } else { "-" };
            let _ = write!(out, "{indent}{marker} {text}");
        }
        Block::Table(rows) => {
            counts.tables += 1;
            write_table(out, &rows);
        }
    }
}

/// A GFM table: the first row is the header row.
fn write_table(out: &mut String, rows: &[Vec<String>]) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for (r, row) in rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = row.get(c).map_or("", String::as_str);
            let _ = write!(out, " {} |", cell.replace('|', "\\|"));
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            out.push_str(&" --- |".repeat(width));
            out.push('\n');
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
}

/// The blocks of one paragraph.
fn blocks_of(p: &Para, next: Option<&Para>, vocabulary: &HashSet<String>) -> Vec<Block> {
    match &p.style {
        Style::Heading(level) => vec![Block::Heading((level + 1).min(6), inline(p, vocabulary))],
        Style::Item { ordered, level } => {
            vec![Block::Item(*ordered, *level, inline(p, vocabulary))]
        }
        Style::Table(rows) => vec![Block::Table(table(rows, vocabulary))],
        Style::Plain => plain_blocks(p, next, vocabulary),
    }
}

fn table(rows: &[Vec<Vec<Para>>], vocabulary: &HashSet<String>) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    cell.iter()
                        .map(|p| inline(p, vocabulary))
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect()
}

/// A paragraph without a style from the source: bullet or numbered lines are list items
/// (lines without a marker continue the item above); a short line with no closing
/// punctuation, followed by more text, is a heading; anything else is a paragraph.
fn plain_blocks(p: &Para, next: Option<&Para>, vocabulary: &HashSet<String>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut item: Option<(bool, Vec<String>)> = None;
    for line in &p.lines {
        if let Some((ordered, rest)) = list_marker(line) {
            flush_lines(&mut blocks, &mut lines, vocabulary);
            flush_item(&mut blocks, item.take(), vocabulary);
            item = Some((ordered, vec![rest.to_owned()]));
        } else if let Some((_, item_lines)) = item.as_mut() {
            item_lines.push(line.clone());
        } else {
            lines.push(line.clone());
        }
    }
    flush_item(&mut blocks, item, vocabulary);
    if blocks.is_empty() && is_heading(p, next) {
        return vec![Block::Heading(2, escape(&reflow(&p.lines, vocabulary)))];
    }
    if blocks.is_empty() && p.inline.is_some() {
        return vec![Block::Paragraph(inline(p, vocabulary))];
    }
    flush_lines(&mut blocks, &mut lines, vocabulary);
    blocks
}

fn flush_lines(blocks: &mut Vec<Block>, lines: &mut Vec<String>, vocabulary: &HashSet<String>) {
    if !lines.is_empty() {
        let text = escape_start(&escape(&reflow(lines, vocabulary)));
        blocks.push(Block::Paragraph(text));
        lines.clear();
    }
}

fn flush_item(blocks: &mut Vec<Block>, item: Option<(bool, Vec<String>)>, v: &HashSet<String>) {
    if let Some((ordered, lines)) = item {
        blocks.push(Block::Item(ordered, 0, escape(&reflow(&lines, v))));
    }
}

/// The paragraph's Markdown inline text: the source's own (DOCX, with bold and italic) or
/// the escaped plain text.
fn inline(p: &Para, vocabulary: &HashSet<String>) -> String {
    match &p.inline {
        Some(lines) => lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        None => escape(&reflow(&p.lines, vocabulary)),
    }
}

/// A bullet ("-", "•", "–", "*", Word's Symbol bullet) or a number ("1.", "2)", "a.") at
/// the start of a line, and the text after it.
fn list_marker(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if "-•·*–▪●◦\u{f0b7}\u{f0a7}\u{2043}".contains(first) {
        let rest = chars.as_str();
        if rest.starts_with([' ', '\t']) && !rest.trim().is_empty() {
            return Some((false, rest.trim_start()));
        }
        return None;
    }
    let (num, rest) = t.split_once([' ', '\t'])?;
    let body = num.strip_suffix(['.', ')'])?;
    let numbered =
        (!body.is_empty() && body.len() <= 2 && body.bytes().all(|b| b.is_ascii_digit()))
            || (body.len() == 1 && body.bytes().all(|b| b.is_ascii_lowercase()));
    (numbered && !rest.trim().is_empty()).then_some((true, rest.trim_start()))
}

/// A line of its own, short, without closing punctuation, starting with a capital or a
/// digit, and followed by more text: a heading.
fn is_heading(p: &Para, next: Option<&Para>) -> bool {
    let [line] = p.lines.as_slice() else {
        return false;
    };
    let t = line.trim();
    let Some(first) = t.chars().next() else {
        return false;
    };
    let last = t.chars().last().unwrap_or('.');
    t.chars().count() <= 80
        && (first.is_uppercase() || first.is_ascii_digit())
        && t.chars().any(char::is_alphabetic)
        && !".,;:!?".contains(last)
        && !is_salutation(t)
        && !is_closing(t)
        && next.is_some_and(|n| n.lines.len() > 1 || n.joined().len() > t.len())
}

/// The lines of a paragraph as one line. A hyphen at a line end is kept where it is a real
/// hyphen and dropped where it splits a word: the letter itself decides where it can (the
/// joined word, or the hyphenated one, occurs elsewhere in it); otherwise a hyphen between
/// two lower-case letters splits a word, unless a conjunction follows ("beleids- en
/// investeringslogica").
pub fn reflow(lines: &[String], vocabulary: &HashSet<String>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        match hyphen_join(&out, line, vocabulary) {
            Join::DropHyphen => {
                out.pop();
            }
            Join::KeepHyphen => {}
            Join::Space => out.push(' '),
        }
        out.push_str(line);
    }
    out
}

enum Join {
    DropHyphen,
    KeepHyphen,
    Space,
}

fn hyphen_join(before: &str, next: &str, vocabulary: &HashSet<String>) -> Join {
    let Some(stem) = before.strip_suffix(['-', '\u{ad}']) else {
        return Join::Space;
    };
    if before.ends_with('\u{ad}') {
        return Join::DropHyphen;
    }
    let prefix = stem.rsplit(' ').next().unwrap_or("");
    if prefix.is_empty() {
        // "NPVR -" / "regio's": a hyphen of its own belongs to the next word.
        return Join::KeepHyphen;
    }
    let Some(last) = prefix.chars().last().filter(|c| c.is_alphabetic()) else {
        return Join::Space;
    };
    let next_word = next.split(' ').next().unwrap_or("");
    let word = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    if ["en", "of", "tot", "noch", "als", "en/of"].contains(&word(next_word).as_str()) {
        return Join::Space;
    }
    let joined = word(&format!("{prefix}{next_word}"));
    let hyphenated = word(&format!("{prefix}-{next_word}"));
    if vocabulary.contains(&joined) {
        Join::DropHyphen
    } else if vocabulary.contains(&hyphenated) {
        Join::KeepHyphen
    } else if last.is_lowercase() && next_word.chars().next().is_some_and(char::is_lowercase) {
        Join::DropHyphen
    } else {
        Join::KeepHyphen
    }
}

/// Every word of the body, lower case, for deciding line-end hyphens.
fn vocabulary(paras: &[Para]) -> HashSet<String> {
    let mut words = HashSet::new();
    for p in paras {
        for line in &p.lines {
            for w in line.split_whitespace() {
                words.insert(
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase(),
                );
            }
        }
    }
    words
}

/// Escapes the characters that Markdown would read as markup inside a line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Escapes what Markdown would read as a block at the start of a paragraph: a heading,
/// quote, list item or rule.
pub fn escape_start(text: &str) -> String {
    let t = text.trim_start();
    if t.starts_with(['#', '>', '=', '+', '-']) {
        return format!("\\{t}");
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &t[..digits], &t[digits..]);
    }
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(lines: &[&str], words: &[&str]) -> String {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let vocabulary = words.iter().map(|w| (*w).to_owned()).collect();
        reflow(&lines, &vocabulary)
    }

    #[test]
    fn line_end_hyphens() {
        // A conjunction after it: an elided compound, hyphen and space kept.
        assert_eq!(
            flow(&["de beleids-", "en investeringslogica"], &[]),
            "de beleids- en investeringslogica"
        );
        // Between lower-case letters: a word split at the line end.
        assert_eq!(
            flow(&["de investe-", "ringslogica"], &[]),
            "de investeringslogica"
        );
        // Before a capital: a real hyphen.
        assert_eq!(flow(&["Noord-", "Nederland"], &[]), "Noord-Nederland");
        // The letter itself writes the word with a hyphen elsewhere.
        assert_eq!(
            flow(&["het e-", "mailadres"], &["e-mailadres"]),
            "het e-mailadres"
        );
        // A hyphen of its own belongs to the next word.
        assert_eq!(flow(&["10 NPVR -", "regio's"], &[]), "10 NPVR -regio's");
        // A soft hyphen always splits a word.
        assert_eq!(flow(&["samen\u{ad}", "werking"], &[]), "samenwerking");
    }

    #[test]
    fn markdown_characters_are_escaped_not_lost() {
        assert_eq!(
            escape("a*b_c [d] <e> &amp; \\"),
            "a\\*b\\_c \\[d\\] \\<e> \\&amp; \\\\"
        );
        assert_eq!(escape_start("# geen kop"), "\\# geen kop");
        assert_eq!(escape_start("2026. Een jaar"), "2026\\. Een jaar");
    }

    #[test]
    fn lists_and_headings_from_plain_text() {
        let paras = vec![
            Para::plain(vec!["Inleiding".into()]),
            Para::plain(vec![
                "Wij vragen:".into(),
                "1. het eerste;".into(),
                "2) het".into(),
                "tweede.".into(),
            ]),
            Para::plain(vec!["• een punt".into()]),
        ];
        let (md, counts) = markdown(&paras);
        assert_eq!(
            md,
            "## Inleiding\n\nWij vragen:\n\n1. het eerste;\n1. het tweede.\n\n- een punt\n"
        );
        assert_eq!(
            (counts.headings, counts.items, counts.paragraphs),
            (1, 3, 1)
        );
    }
}
