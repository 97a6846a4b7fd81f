//! The DOCX reader: Word's own structure (paragraph styles, numbering, tables, bold and
//! italic, manual line breaks, text boxes) into the intermediate form. A DOCX is a zip of
//! XML parts; `word/document.xml` is read as a stream with quick-xml, `word/styles.xml` and
//! `word/numbering.xml` say which styles are headings and which numberings are bullets.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::ReadError;
use super::blocks::{Para, Style};

/// No part of a letter is this large; a larger one (a zip bomb) is refused.
const MAX_PART: u64 = 64 << 20;

/// The paragraphs of a DOCX file.
pub fn read(bytes: &[u8]) -> Result<Vec<Para>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        ReadError::new(format!(
            "the file is not a readable DOCX: not a zip archive ({e})"
        ))
        .help("save the letter from Word as .docx (Word 2007 or later), or import its PDF")
    })?;
    let document = part(&mut zip, "word/document.xml")?.ok_or_else(|| {
        ReadError::new("the file is not a Word document: it has no word/document.xml")
    })?;
    let styles = part(&mut zip, "word/styles.xml")?
        .map(|x| styles(&x))
        .unwrap_or_default();
    let numbering = part(&mut zip, "word/numbering.xml")?
        .map(|x| numbering(&x))
        .unwrap_or_default();
    let mut doc = Doc {
        styles,
        numbering,
        ..Doc::default()
    };
    doc.parse(&document)?;
    Ok(doc.out)
}

/// One part of the zip as text, `None` when it is not there.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ReadError> {
    let Ok(file) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut text = String::new();
    file.take(MAX_PART + 1)
        .read_to_string(&mut text)
        .map_err(|e| ReadError::new(format!("could not read {name} from the DOCX: {e}")))?;
    if text.len() as u64 > MAX_PART {
        return Err(ReadError::new(format!("its {name} is larger than 64 MiB")));
    }
    Ok(Some(text))
}

/// What a paragraph style says.
#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: String,
    num: Option<(String, u8)>,
    based_on: Option<String>,
}

/// Style id to its definition.
fn styles(xml: &str) -> HashMap<String, StyleDef> {
    let mut map = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut id: Option<String> = None;
    let mut def = StyleDef::default();
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    id = attr(&e, b"styleId");
                    def = StyleDef::default();
                }
                b"name" => def.name = attr(&e, b"val").unwrap_or_default().to_lowercase(),
                b"basedOn" => def.based_on = attr(&e, b"val"),
                b"numId" => def.num = attr(&e, b"val").map(|n| (n, 0)),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some(id) = id.take() {
                    map.insert(id, std::mem::take(&mut def));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    map
}

/// `(numId, level)` to whether that list level is numbered (not a bullet).
fn numbering(xml: &str) -> HashMap<(String, u8), bool> {
    let mut abstract_fmt: HashMap<(String, u8), bool> = HashMap::new();
    let mut num_to_abstract: Vec<(String, String)> = Vec::new();
    let mut reader = Reader::from_str(xml);
    let (mut abs, mut lvl, mut num) = (String::new(), 0u8, String::new());
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => abs = attr(&e, b"abstractNumId").unwrap_or_default(),
                b"lvl" => lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0),
                b"numFmt" => {
                    let fmt = attr(&e, b"val").unwrap_or_default();
                    abstract_fmt.insert((abs.clone(), lvl), fmt != "bullet" && fmt != "none");
                }
                b"num" => num = attr(&e, b"numId").unwrap_or_default(),
                b"abstractNumId" => {
                    num_to_abstract.push((num.clone(), attr(&e, b"val").unwrap_or_default()));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut map = HashMap::new();
    for (num, abs) in num_to_abstract {
        for ((a, lvl), ordered) in &abstract_fmt {
            if *a == abs {
                map.insert((num.clone(), *lvl), *ordered);
            }
        }
    }
    map
}

/// The value of the attribute with this local name (`w:val` as `val`).
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Whether an on/off property (`<w:b/>`, `<w:b w:val="0"/>`) is on.
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, b"val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// A piece of text with its formatting.
#[derive(Debug, Clone, Default)]
struct Span {
    text: String,
    bold: bool,
    italic: bool,
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct Builder {
    lines: Vec<Vec<Span>>,
    style: Option<String>,
    num: Option<(String, u8)>,
    outline: Option<u8>,
    bold: bool,
    italic: bool,
}

impl Builder {
    fn push(&mut self, text: &str) {
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let (bold, italic) = (self.bold, self.italic);
        let line = self.lines.last_mut().unwrap_or_else(|| unreachable!());
        match line.last_mut() {
            Some(s) if s.bold == bold && s.italic == italic => s.text.push_str(text),
            _ => line.push(Span {
                text: text.to_owned(),
                bold,
                italic,
            }),
        }
    }

    fn line_break(&mut self) {
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        self.lines.push(Vec::new());
    }
}

/// A table being read: rows of cells of paragraphs.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<Vec<Para>>>,
}

/// The state of the stream.
#[derive(Debug, Default)]
struct Doc {
    styles: HashMap<String, StyleDef>,
    numbering: HashMap<(String, u8), bool>,
    out: Vec<Para>,
    paras: Vec<Builder>,
    tables: Vec<Table>,
    /// Depth inside a part that is skipped (`mc:Fallback`: the same text again).
    skip: usize,
    in_text: bool,
    in_rpr: bool,
}

impl Doc {
    fn parse(&mut self, xml: &str) -> Result<(), ReadError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let ev = reader.read_event().map_err(|e| {
                ReadError::new(format!(
                    "the DOCX cannot be read: word/document.xml is broken at byte {} ({e})",
                    reader.buffer_position()
                ))
            })?;
            match ev {
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.in_text && self.skip == 0 => {
                    let text = t.xml10_content().unwrap_or_default();
                    self.text(&text);
                }
                Event::GeneralRef(r) if self.in_text && self.skip == 0 => {
                    let name = r.decode().unwrap_or_default();
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_default()
                            .to_owned(),
                    };
                    self.text(&ch);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        while !self.paras.is_empty() {
            self.end_paragraph();
        }
        while !self.tables.is_empty() {
            self.end_table();
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.push(text);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        if self.skip > 0 || name.as_ref() == b"Fallback" {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        match name.as_ref() {
            b"p" if !empty => self.paras.push(Builder::default()),
            b"tbl" if !empty => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            b"tc" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            b"t" if !empty => self.in_text = true,
            b"rPr" if !empty => self.in_rpr = true,
            _ => self.property(e),
        }
    }

    /// Run and paragraph properties, tabs and breaks.
    fn property(&mut self, e: &BytesStart<'_>) {
        let in_rpr = self.in_rpr;
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        match e.local_name().as_ref() {
            b"b" if in_rpr => p.bold = on(e),
            b"i" if in_rpr => p.italic = on(e),
            b"pStyle" => p.style = attr(e, b"val"),
            b"numId" => {
                let id = attr(e, b"val").unwrap_or_default();
                let lvl = p.num.as_ref().map_or(0, |n| n.1);
                p.num = Some((id, lvl));
            }
            b"ilvl" => {
                let lvl = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                let id = p.num.take().map(|n| n.0).unwrap_or_default();
                p.num = Some((id, lvl));
            }
            b"outlineLvl" => p.outline = attr(e, b"val").and_then(|v| v.parse().ok()),
            b"tab" if !in_rpr => p.push("\t"),
            b"br" | b"cr" if attr(e, b"type").as_deref() != Some("page") => p.line_break(),
            b"noBreakHyphen" => p.push("-"),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            b"t" => self.in_text = false,
            b"rPr" => self.in_rpr = false,
            b"r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.bold = false;
                    p.italic = false;
                }
            }
            b"p" => self.end_paragraph(),
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(b) = self.paras.pop() else {
            return;
        };
        let style = self.style_of(&b);
        let para = finish(b, style);
        if !para.lines.is_empty() {
            self.emit(para);
        }
    }

    fn end_table(&mut self) {
        let Some(t) = self.tables.pop() else {
            return;
        };
        if t.rows.iter().flatten().flatten().next().is_some() {
            let mut p = Para::plain(Vec::new());
            p.lines = vec![String::new()];
            p.style = Style::Table(t.rows);
            self.emit(p);
        }
    }

    /// Puts a finished paragraph where it belongs: the open table cell, or the document.
    fn emit(&mut self, para: Para) {
        match self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            Some(cell) => cell.push(para),
            None => self.out.push(para),
        }
    }

    /// The paragraph's style: a heading by its style's name ("heading 2") or outline
    /// level, a list item by its numbering (its own or its style's).
    fn style_of(&self, b: &Builder) -> Style {
        let mut chain = Vec::new();
        let mut id = b.style.clone();
        while let Some(def) = id.as_ref().and_then(|i| self.styles.get(i)) {
            if chain.len() > 8 {
                break;
            }
            chain.push(def);
            id = def.based_on.clone();
        }
        let name = chain.first().map_or("", |d| d.name.as_str());
        if let Some(level) = name
            .strip_prefix("heading ")
            .and_then(|n| n.parse::<u8>().ok())
        {
            return Style::Heading(level.clamp(1, 6));
        }
        if name == "title" || name == "subtitle" {
            return Style::Heading(1);
        }
        if let Some(level) = b.outline.filter(|l| *l < 6) {
            return Style::Heading(level + 1);
        }
        let num = b
            .num
            .clone()
            .or_else(|| chain.iter().find_map(|d| d.num.clone()));
        match num {
            Some((id, level)) if id != "0" && !id.is_empty() => Style::Item {
                ordered: self.numbering.get(&(id, level)).copied().unwrap_or(false),
                level: level.min(5),
            },
            _ if name.starts_with("list bullet") => Style::Item {
                ordered: false,
                level: 0,
            },
            _ if name.starts_with("list number") => Style::Item {
                ordered: true,
                level: 0,
            },
            _ => Style::Plain,
        }
    }
}

/// The plain lines and, where the paragraph has bold or italic text, its Markdown lines.
fn finish(b: Builder, style: Style) -> Para {
    let formatted = b.lines.iter().flatten().any(|s| s.bold || s.italic);
    let mut lines = Vec::new();
    let mut inline = Vec::new();
    for spans in &b.lines {
        let plain: String = spans.iter().map(|s| s.text.as_str()).collect();
        if plain.trim().is_empty() {
            continue;
        }
        lines.push(plain.replace('\t', " ").trim_end().to_owned());
        inline.push(markdown_line(spans));
    }
    Para {
        lines,
        inline: formatted.then_some(inline),
        style,
        page_edge: false,
    }
}

/// Spans as Markdown: `**bold**`, `*italic*`, the markers inside the white space.
fn markdown_line(spans: &[Span]) -> String {
    let mut out = String::new();
    for s in spans {
        let text = s.text.replace('\t', " ");
        let core = text.trim();
        if core.is_empty() {
            out.push_str(&text);
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        let marker = match (s.bold, s.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let escaped = super::body::escape(core);
        out.push_str(lead);
        out.push_str(marker);
        out.push_str(&escaped);
        out.push_str(marker);
        out.push_str(trail);
    }
    out.trim().to_owned()
}
