//! Positioned text to paragraphs: pieces of text on one baseline make a line; a wide gap
//! splits a line into segments; where lines have segments side by side (a letterhead in two
//! columns), the left column is read before the right one, or, where the left column holds
//! the labels of a label | value table, row by row; vertical gaps, changes of size or
//! weight and outdents end a paragraph.

use super::blocks::Para;
use super::labels;

/// A piece of text where the content stream put it, in points, y upwards.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where it starts.
    pub x: f32,
    /// Its baseline.
    pub y: f32,
    /// Where it ends.
    pub x_end: f32,
    /// Font size on the page.
    pub size: f32,
    /// Set in a bold font.
    pub bold: bool,
    /// The text.
    pub text: String,
}

/// Text on one line between wide gaps.
#[derive(Debug, Clone)]
struct Segment {
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

/// The paragraphs of one page; the first and last are marked as page edges. Two-column
/// zones before the letter's salutation are letterheads; after it (`body`: the salutation
/// was seen, on this page or an earlier one) lines are read across.
pub fn paragraphs(runs: Vec<Run>, width: f32, body: &mut bool) -> Vec<Para> {
    let lines = lines_of(runs);
    let mut ordered: Vec<Segment> = Vec::new();
    let mut i = 0;
    let body_from_start = *body;
    while i < lines.len() {
        match zone(&lines, i, width).filter(|_| !*body) {
            Some((end, split)) => {
                ordered.extend(read_zone(&lines[i..end], split));
                i = end;
            }
            None => {
                ordered.push(join(&lines[i]));
                i += 1;
            }
        }
        if ordered.iter().any(|s| labels::is_salutation(&s.text)) {
            *body = true;
        }
    }
    mark_items(&mut ordered, body_from_start);
    let mut paras = paragraphs_of(&ordered);
    if let Some(first) = paras.first_mut() {
        first.page_edge = true;
    }
    if let Some(last) = paras.last_mut() {
        last.page_edge = true;
    }
    paras
}

/// Runs grouped into lines (top to bottom), each split into segments (left to right).
fn lines_of(mut runs: Vec<Run>) -> Vec<Vec<Segment>> {
    runs.retain(|r| !r.text.trim().is_empty() && r.size > 0.1);
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if (line[0].y - run.y).abs() <= 0.4 * line[0].size.max(run.size) => {
                line.push(run);
            }
            _ => lines.push(vec![run]),
        }
    }
    lines.into_iter().map(segments).collect()
}

/// One line's runs, left to right, as segments: a gap wider than one and a half em starts a
/// new one; a gap wider than a sixth of an em is a space.
fn segments(mut line: Vec<Run>) -> Vec<Segment> {
    line.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut out: Vec<Segment> = Vec::new();
    for r in line {
        let text = r.text.replace(['\t', '\u{a0}'], " ");
        match out.last_mut() {
            Some(s) if r.x - s.x_end < 1.5 * s.size.max(r.size) => {
                let gap = r.x - s.x_end;
                if gap > s.size / 6.0 && !s.text.ends_with(' ') && !text.starts_with(' ') {
                    s.text.push(' ');
                }
                s.text.push_str(&text);
                s.x_end = s.x_end.max(r.x_end);
                s.bold &= r.bold;
            }
            _ => out.push(Segment {
                x: r.x,
                x_end: r.x_end,
                y: r.y,
                size: r.size,
                bold: r.bold,
                text,
            }),
        }
    }
    for s in &mut out {
        s.text = labels::collapse(&s.text);
    }
    out
}

/// A line's segments as one (outside two-column zones).
fn join(line: &[Segment]) -> Segment {
    let mut s = line[0].clone();
    for other in &line[1..] {
        s.text.push(' ');
        s.text.push_str(&other.text);
        s.x_end = other.x_end;
        s.bold &= other.bold;
    }
    s
}

/// Whether a two-column zone starts at line `start`: lines that text in the right part of
/// the page (from `split` on, past 40% of the width) shares with text in the left part,
/// where no line runs across the split. Returns where it ends and the split. Lines of the
/// left column below the right one belong to it while they follow without a blank line.
fn zone(lines: &[Vec<Segment>], start: usize, width: f32) -> Option<(usize, f32)> {
    let right_x = |l: &Vec<Segment>| {
        l.iter()
            .map(|s| s.x)
            .filter(|x| *x > width * 0.4)
            .fold(f32::INFINITY, f32::min)
    };
    let spans =
        |l: &Vec<Segment>, split: f32| l.iter().any(|s| s.x < split - 1.0 && s.x_end > split + 1.0);
    let mut split = f32::INFINITY;
    let mut end = start;
    let mut last_right = None;
    while end < lines.len() {
        let candidate = split.min(right_x(&lines[end]));
        if spans(&lines[end], candidate)
            || (end > start && !split.is_finite() && !candidate.is_finite())
        {
            break;
        }
        if right_x(&lines[end]).is_finite() {
            last_right = Some(end);
        }
        split = candidate;
        end += 1;
    }
    let last_right = last_right?;
    // Left-column lines after the right column's last one, while they follow closely.
    let mut end_at = last_right + 1;
    while end_at < end && end_at > 0 {
        let (above, here) = (&lines[end_at - 1][0], &lines[end_at][0]);
        if above.y - here.y > 2.0 * above.size.max(here.size) {
            break;
        }
        end_at += 1;
    }
    let zone = &lines[start..end_at];
    let left = zone.iter().flatten().any(|s| s.x < split - 1.0);
    let right = zone.iter().flatten().any(|s| s.x >= split - 1.0);
    (left && right && zone.len() >= 2).then_some((end_at, split))
}

/// The lines of a two-column zone in reading order. Where most lines of the left column are
/// labels ("Datum", "Ons kenmerk"), the zone is a label | value table and is read row by
/// row; otherwise it is two columns, read one after the other.
fn read_zone(lines: &[Vec<Segment>], split: f32) -> Vec<Segment> {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for l in lines {
        let (l_part, r_part): (Vec<Segment>, Vec<Segment>) =
            l.iter().cloned().partition(|s| s.x < split - 1.0);
        if !l_part.is_empty() {
            left.push(join(&l_part));
        }
        if !r_part.is_empty() {
            right.push(join(&r_part));
        }
    }
    let labelled = left
        .iter()
        .filter(|s| labels::match_label(&s.text).is_some())
        .count();
    if labelled * 2 >= left.len() {
        return lines.iter().flatten().cloned().collect();
    }
    left.extend(right);
    left
}

/// Browsers draw list bullets as shapes, not text: in the body, a line indented by one to
/// four em from the left margin that starts an item (after a line that is not indented the
/// same, after a short line, or with a capital) gets a bullet, so that the body writer
/// sees the list. Lines with a bullet or number of their own are left as they are.
fn mark_items(lines: &mut [Segment], mut body: bool) {
    let mut counts: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    for s in lines.iter() {
        *counts.entry(s.x.round() as i32).or_default() += 1;
    }
    let Some(margin) = counts
        .iter()
        .max_by_key(|(x, n)| (**n, -**x))
        .map(|(x, _)| *x as f32)
    else {
        return;
    };
    let right = lines.iter().map(|s| s.x_end).fold(0.0, f32::max);
    let mut prev: Option<(f32, f32, bool)> = None;
    for s in lines.iter_mut() {
        let em = s.size.max(1.0);
        let indented = s.x >= margin + em && s.x <= margin + 4.0 * em;
        let marked = s.text.starts_with(['•', '-', '–', '\u{f0b7}', '·', '*']);
        if body && indented && !marked {
            let starts = match prev {
                Some((px, pend, _)) => {
                    (px - s.x).abs() > 1.0
                        || pend < right - 3.0 * em
                        || s.text.starts_with(char::is_uppercase)
                }
                None => true,
            };
            if starts && !prev.is_some_and(|(px, _, pm)| pm && px < s.x) {
                s.text.insert_str(0, "• ");
            }
        }
        prev = Some((s.x, s.x_end, marked));
        body |= labels::is_salutation(&s.text);
    }
}

/// Segments (one per line, in reading order) to paragraphs: a new paragraph where the
/// baseline drops by more than one and a half em, goes up (a new column), the size or the
/// weight changes, or the line starts left of the line above (the end of a list item).
fn paragraphs_of(lines: &[Segment]) -> Vec<Para> {
    let mut paras = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut prev: Option<&Segment> = None;
    for s in lines {
        if let Some(p) = prev {
            let drop = p.y - s.y;
            let em = p.size.max(s.size);
            let new = drop > 1.5 * em
                || drop < 0.2 * em
                || (p.size - s.size).abs() > 0.6
                || p.bold != s.bold
                || s.x < p.x - em;
            if new && !current.is_empty() {
                paras.push(Para::plain(std::mem::take(&mut current)));
            }
        }
        current.push(s.text.clone());
        prev = Some(s);
    }
    if !current.is_empty() {
        paras.push(Para::plain(current));
    }
    paras
}
