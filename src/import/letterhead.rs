//! The letterhead recogniser: reads the labelled fields, the addressee and the sender's
//! address block from the paragraphs before the salutation, the signatory after the
//! closing, and removes continuation headers and page numbers from the body. Works on the
//! intermediate form, whatever the input was.

use super::blocks::{Para, Style};
use super::labels::{self, Field, collapse, is_closing, is_page_number, is_salutation};

/// A labelled field as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Which field.
    pub field: Field,
    /// Its value, one entry per line (empty when the letter left it empty).
    pub value: Vec<String>,
}

/// The letter taken apart.
#[derive(Debug, Clone, Default)]
pub struct Letter {
    /// The labelled fields, in the order found.
    pub fields: Vec<Found>,
    /// The addressee block, its lines.
    pub aan: Vec<String>,
    /// The signatory lines after the closing.
    pub ondertekening: Vec<String>,
    /// Header text that fits no field, for the summary.
    pub unplaced: Vec<String>,
    /// The body: from the salutation up to and including the closing.
    pub body: Vec<Para>,
    /// Continuation headers and page numbers taken out of the body.
    pub removed: usize,
}

impl Letter {
    /// The value of `field` joined into one line (a subject wrapped over two lines is one
    /// title), or `None` when absent or empty.
    pub fn one_line(&self, field: Field) -> Option<String> {
        let f = self.fields.iter().find(|f| f.field == field)?;
        let v = collapse(&f.value.join(" "));
        (!v.is_empty()).then_some(v)
    }

    /// The value of `field` with its lines kept (an address).
    pub fn lines(&self, field: Field) -> Option<String> {
        let f = self.fields.iter().find(|f| f.field == field)?;
        let v: Vec<String> = f.value.iter().map(|l| collapse(l)).collect();
        let v = v.join("\n");
        (!v.trim().is_empty()).then_some(v)
    }
}

/// Takes the paragraphs of a letter apart.
pub fn recognise(paras: Vec<Para>) -> Letter {
    let paras = flatten_header_tables(paras);
    let end = header_end(&paras);
    let mut letter = Letter::default();
    let mut rest = paras;
    let body = rest.split_off(end.min(rest.len()));
    read_header(&rest, &mut letter);
    let body = strip_running(body, &mut letter);
    split_signatory(body, &mut letter);
    letter
}

/// Tables before the salutation are a layout of the letterhead (two columns, label and
/// value cells): their cells become paragraphs, row by row, cell by cell.
fn flatten_header_tables(paras: Vec<Para>) -> Vec<Para> {
    let mut out = Vec::with_capacity(paras.len());
    let mut in_header = true;
    for p in paras {
        if p.lines.first().is_some_and(|l| is_salutation(l)) {
            in_header = false;
        }
        match p.style {
            Style::Table(rows) if in_header => {
                let cells = rows.into_iter().flatten().flatten();
                out.extend(flatten_header_tables(cells.collect()));
            }
            _ => out.push(p),
        }
    }
    out
}

/// Where the body starts: at the salutation, or (without one) after the subject.
fn header_end(paras: &[Para]) -> usize {
    let salutation = paras
        .iter()
        .position(|p| p.lines.first().is_some_and(|l| is_salutation(l)));
    let subject = paras.iter().position(|p| {
        p.lines
            .iter()
            .any(|l| matches!(labels::match_label(l), Some((Field::Onderwerp, _))))
    });
    match (salutation, subject) {
        (Some(s), _) => s,
        (None, Some(o)) => {
            // The subject's value may be the next paragraph.
            let inline = paras[o].lines.len() > 1
                || labels::match_label(&paras[o].lines[0]).is_some_and(|(_, v)| !v.is_empty());
            if inline { o + 1 } else { o + 2 }
        }
        (None, None) => 0,
    }
}

/// Reads the fields, the addressee and what fits nowhere from the header paragraphs.
fn read_header(paras: &[Para], letter: &mut Letter) {
    let mut i = 0;
    let mut unlabelled: Vec<Para> = Vec::new();
    while i < paras.len() {
        let p = &paras[i];
        let first = p
            .lines
            .iter()
            .position(|l| labels::match_label(l).is_some());
        let Some(first) = first else {
            unlabelled.push(p.clone());
            i += 1;
            continue;
        };
        // Lines before the first label are a block of their own (an address).
        if first > 0 {
            unlabelled.push(Para::plain(p.lines[..first].to_vec()));
        }
        read_fields(&p.lines[first..], letter);
        // A label alone at the end of its paragraph takes the next one as its value.
        if let Some(last) = letter.fields.last_mut()
            && last.value.is_empty()
            && let Some(next) = paras.get(i + 1)
            && fits_as_value(last.field, next)
        {
            last.value = next.lines.iter().map(|l| collapse(l)).collect();
            i += 1;
        }
        i += 1;
    }
    place_unlabelled(unlabelled, letter);
}

/// Reads `label / value` lines that start with a label: a line without a label continues
/// the value of the label before it.
fn read_fields(lines: &[String], letter: &mut Letter) {
    for line in lines {
        match labels::match_label(line) {
            Some((field, value)) => letter.fields.push(Found {
                field,
                value: if value.is_empty() {
                    vec![]
                } else {
                    vec![value]
                },
            }),
            None => {
                if let Some(last) = letter.fields.last_mut() {
                    last.value.push(collapse(line));
                }
            }
        }
    }
}

/// Whether a paragraph can be the value of a label that stood alone: not a label itself,
/// short, and a date for the date fields.
fn fits_as_value(field: Field, p: &Para) -> bool {
    let first = &p.lines[0];
    if labels::match_label(first).is_some() || is_salutation(first) || p.style != Style::Plain {
        return false;
    }
    match field {
        Field::Datum | Field::UwBriefVan => {
            p.lines.len() == 1 && super::dutch_date::parse(first).is_some()
        }
        Field::Postadres | Field::Bezoekadres | Field::Onderwerp => p.lines.len() <= 4,
        _ => p.lines.len() <= 2,
    }
}

/// The addressee is the unlabelled block that starts with "Aan", else the first one; a date
/// line ("Enschede, 7 mei 2026") is the date when no DATUM was found; the rest is unplaced.
fn place_unlabelled(blocks: Vec<Para>, letter: &mut Letter) {
    let aan = blocks
        .iter()
        .position(|p| collapse(&p.lines[0]).to_lowercase().starts_with("aan "))
        .or_else(|| {
            blocks
                .iter()
                .position(|p| super::dutch_date::parse(&p.joined()).is_none())
        });
    for (i, p) in blocks.iter().enumerate() {
        let text = p.joined();
        if Some(i) == aan {
            letter.aan = p.lines.iter().map(|l| collapse(l)).collect();
        } else if super::dutch_date::parse(&text).is_some()
            && !letter.fields.iter().any(|f| f.field == Field::Datum)
        {
            letter.fields.push(Found {
                field: Field::Datum,
                value: vec![text],
            });
        } else if !text.is_empty() {
            letter.unplaced.push(p.lines.join(" / "));
        }
    }
}

/// Removes continuation headers (DATUM / ONS KENMERK / PAGINA with the letter's own values)
/// and page numbers from the body, wherever they fall: also where a label ends one
/// paragraph and its value starts the next.
fn strip_running(mut body: Vec<Para>, letter: &mut Letter) -> Vec<Para> {
    // Every line of the plain paragraphs, in order; other paragraphs end a run.
    let mut flat: Vec<Option<(usize, usize)>> = Vec::new();
    for (pi, p) in body.iter().enumerate() {
        if p.style == Style::Plain {
            flat.extend((0..p.lines.len()).map(|li| Some((pi, li))));
        } else {
            flat.push(None);
        }
    }
    let line = |k: usize| {
        flat.get(k)
            .copied()
            .flatten()
            .map(|(pi, li)| &body[pi].lines[li])
    };
    let mut remove = Vec::new();
    let mut k = 0;
    while k < flat.len() {
        let Some((pi, _)) = flat[k] else {
            k += 1;
            continue;
        };
        let text = line(k).map_or("", String::as_str);
        let lone = body[pi].page_edge && body[pi].lines.len() == 1;
        let n = running_lines(text, line(k + 1).map(String::as_str), lone, letter);
        remove.extend(flat[k..k + n].iter().flatten().copied());
        k += n.max(1);
    }
    letter.removed += remove.len();
    for (pi, li) in remove.into_iter().rev() {
        body[pi].lines.remove(li);
    }
    // A paragraph after a removed header starts a page.
    let mut out: Vec<Para> = Vec::with_capacity(body.len());
    let mut edge = false;
    for mut p in body {
        if p.lines.is_empty() && p.style == Style::Plain {
            edge = true;
            continue;
        }
        p.page_edge |= edge;
        edge = false;
        out.push(p);
    }
    join_across_pages(out)
}

/// A paragraph that a page break cut in two is one again: the last one of a page that does
/// not end a sentence, followed by the first one of the next that starts in lower case.
fn join_across_pages(body: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::with_capacity(body.len());
    for p in body {
        if let Some(prev) = out.last_mut()
            && prev.page_edge
            && p.page_edge
            && prev.style == Style::Plain
            && p.style == Style::Plain
            && prev.inline.is_none()
            && p.inline.is_none()
            && !prev.joined().ends_with(['.', '!', '?', ':'])
            && p.lines[0].trim_start().starts_with(char::is_lowercase)
        {
            prev.lines.extend(p.lines);
            prev.page_edge = false;
            continue;
        }
        out.push(p);
    }
    out
}

/// How many lines from `text` on are a running header item: 0, 1 (a page number, or a
/// label with its value on the line) or 2 (a label and its value on the next line).
fn running_lines(text: &str, next: Option<&str>, lone: bool, letter: &Letter) -> usize {
    if is_page_number(text, lone) {
        return 1;
    }
    match labels::match_label(text) {
        Some((field, v)) if running_field(field) => {
            if !v.is_empty() {
                usize::from(is_running_value(field, &v, letter))
            } else if next.is_some_and(|n| is_running_value(field, n, letter)) {
                2
            } else {
                0
            }
        }
        _ => 0,
    }
}

fn running_field(field: Field) -> bool {
    matches!(
        field,
        Field::Datum | Field::Kenmerk | Field::Pagina | Field::Onderwerp | Field::UwKenmerk
    )
}

/// Whether `value` is what the letterhead says for `field` (any page number for PAGINA).
fn is_running_value(field: Field, value: &str, letter: &Letter) -> bool {
    if field == Field::Pagina {
        return is_page_number(value, true);
    }
    letter
        .one_line(field)
        .is_some_and(|v| v.eq_ignore_ascii_case(&collapse(value)))
}

/// Moves the paragraphs after the last closing ("Met vriendelijke groet,") into the
/// signatory; the closing itself stays in the body. Labelled lines there (BIJLAGE(N)) are
/// fields.
fn split_signatory(mut body: Vec<Para>, letter: &mut Letter) {
    let Some((pi, li)) = body.iter().enumerate().rev().find_map(|(pi, p)| {
        (p.style == Style::Plain)
            .then(|| p.lines.iter().rposition(|l| is_closing(l)))
            .flatten()
            .map(|li| (pi, li))
    }) else {
        letter.body = body;
        return;
    };
    let mut after: Vec<String> = body[pi].lines.split_off(li + 1);
    for p in body.drain(pi + 1..) {
        if let Style::Table(_) = p.style {
            after.push(p.joined());
        } else {
            after.extend(p.lines);
        }
    }
    let mut rest = Vec::new();
    let mut labelled = false;
    for line in after {
        let line = collapse(&line);
        if line.is_empty() {
            continue;
        }
        if let Some((field, value)) = labels::match_label(&line) {
            labelled = true;
            letter.fields.push(Found {
                field,
                value: if value.is_empty() {
                    vec![]
                } else {
                    vec![value]
                },
            });
        } else if labelled && let Some(f) = letter.fields.last_mut() {
            f.value.push(line);
        } else {
            rest.push(line);
        }
    }
    letter.ondertekening = rest;
    letter.body = body;
}

#[cfg(test)]
mod tests {
    use super::super::blocks::paragraphs_of;
    use super::*;

    #[test]
    fn labels_with_colons_and_values_beside_them() {
        let text = "Gemeente Voorbeeld\n\nAan de gemeenteraad van Almelo\nPostbus 1\n\n\
                    Datum: 3 maart 2026\nKenmerk: 0012/AB/2026\nBetreft: Een onderwerp dat over\n\
                    twee regels loopt\nBijlage(n): 2\n\nGeachte leden van de raad,\n\nTekst.\n\n\
                    Pagina 2 van 2\n\nHoogachtend,\n\nDe burgemeester,\n\nA. Naam\n";
        let letter = recognise(paragraphs_of(text));
        assert_eq!(
            letter.one_line(Field::Datum).as_deref(),
            Some("3 maart 2026")
        );
        assert_eq!(
            letter.one_line(Field::Kenmerk).as_deref(),
            Some("0012/AB/2026")
        );
        assert_eq!(
            letter.one_line(Field::Onderwerp).as_deref(),
            Some("Een onderwerp dat over twee regels loopt")
        );
        assert_eq!(letter.one_line(Field::Bijlagen).as_deref(), Some("2"));
        assert_eq!(letter.aan, ["Aan de gemeenteraad van Almelo", "Postbus 1"]);
        assert_eq!(letter.unplaced, ["Gemeente Voorbeeld"]);
        assert_eq!(letter.ondertekening, ["De burgemeester,", "A. Naam"]);
        let body: Vec<String> = letter.body.iter().map(Para::joined).collect();
        assert_eq!(
            body,
            ["Geachte leden van de raad,", "Tekst.", "Hoogachtend,"]
        );
        assert_eq!(letter.removed, 1);
    }

    #[test]
    fn a_running_header_split_over_paragraphs_goes_but_body_text_stays() {
        let text = "DATUM\n7 mei 2026\n\nONDERWERP\nIets\n\nGeachte raad,\n\nEen zin over de\n\n\
                    DATUM\n\n7 mei 2026\n\nvolgende bladzijde.\n\nDatum van de vergadering is nog open.\n";
        let letter = recognise(paragraphs_of(text));
        let body: Vec<String> = letter.body.iter().map(Para::joined).collect();
        assert_eq!(
            body,
            [
                "Geachte raad,",
                "Een zin over de",
                "volgende bladzijde.",
                "Datum van de vergadering is nog open."
            ]
        );
        assert_eq!(letter.removed, 2);
    }
}
