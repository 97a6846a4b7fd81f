//! The PDF reader: lopdf parses the file; this module runs each page's content stream far
//! enough to know where every piece of text stands (text and graphics matrices, font size,
//! glyph widths from the font's `Widths` or `W`), so that `pdf_layout` can read lines and
//! two-column letterheads by position rather than in content-stream order. lopdf decodes
//! the text through the font's ToUnicode map or encoding. No PDF text crate gives positioned
//! text without panicking on broken files, hence this small interpreter.

use std::collections::HashMap;

use lopdf::content::Content;

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::ReadError;
use super::blocks::Para;
use super::pdf_layout::{self, Run};

/// The paragraphs of a PDF's text, page by page.
pub fn read(bytes: &[u8]) -> Result<Vec<Para>, ReadError> {
    let doc = load(bytes)?;
    let mut paras = Vec::new();
    let mut chars = 0;
    let mut body = false;
    for page_id in doc.get_pages().into_values() {
        let (runs, width) = page_runs(&doc, page_id);
        chars += runs.iter().map(|r| r.text.trim().len()).sum::<usize>();
        paras.extend(pdf_layout::paragraphs(runs, width, &mut body));
    }
    if chars == 0 {
        return Err(
            ReadError::new("the PDF has no text: it looks like a scan (only images)").help(
                "raadsite does no OCR; ask the sender for the Word file or a PDF with text, or \
             import the text of the letter as a .txt file",
            ),
        );
    }
    Ok(paras)
}

/// The parsed document, decrypted where it only has an empty user password.
fn load(bytes: &[u8]) -> Result<Document, ReadError> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(ReadError::new(
            "the file is not a PDF (it does not start with %PDF)",
        ));
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(
            ReadError::new("the PDF is truncated: it does not end with %%EOF")
                .help("the download or e-mail attachment was cut off; get the file again"),
        );
    }
    let encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    let mut doc = Document::load_mem(bytes).map_err(|e| {
        if encrypted {
            encrypted_error()
        } else {
            ReadError::new(format!("the PDF cannot be read ({e})"))
        }
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(encrypted_error());
    }
    Ok(doc)
}

fn encrypted_error() -> ReadError {
    ReadError::new("the PDF is encrypted with a password").help(
        "save it again without a password (or print it to a new PDF), or import the Word file",
    )
}

/// A 2D affine matrix `[a b c d e f]`, PDF's row-vector convention.
#[derive(Debug, Clone, Copy)]
struct Matrix([f32; 6]);

const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

impl Matrix {
    /// `self × other`: first `self`, then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// How much the matrix scales vertical distances.
    fn scale_y(self) -> f32 {
        let [_, _, c, d, _, _] = self.0;
        (c * c + d * d).sqrt()
    }
}

/// What the text of one font needs: its decoding and its glyph widths.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    widths: HashMap<u32, f32>,
    default_width: f32,
    bold: bool,
}

/// The text state of the content stream.
#[derive(Clone, Copy)]
struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
}

impl Default for State {
    fn default() -> State {
        State {
            ctm: IDENTITY,
            tm: IDENTITY,
            tlm: IDENTITY,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
        }
    }
}

/// Every piece of text on the page where it stands, and the page's width.
fn page_runs(doc: &Document, page_id: ObjectId) -> (Vec<Run>, f32) {
    let width = page_width(doc, page_id);
    let fonts: HashMap<Vec<u8>, Font<'_>> = doc
        .get_page_fonts(page_id)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, dict)| (name, font(doc, dict)))
        .collect();
    let Ok(data) = doc.get_page_content(page_id) else {
        return (Vec::new(), width);
    };
    let Ok(content) = Content::decode(&data) else {
        return (Vec::new(), width);
    };
    let mut runs = Vec::new();
    let mut st = State::default();
    let mut stack: Vec<State> = Vec::new();
    let mut font: Option<&Font<'_>> = None;
    for op in &content.operations {
        let n = |i: usize| {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(st),
            "Q" => st = stack.pop().unwrap_or(st),
            "cm" => st.ctm = matrix(&op.operands).then(st.ctm),
            "BT" => (st.tm, st.tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|f| fonts.get(f));
                st.size = n(1);
            }
            "Tc" => st.char_space = n(0),
            "Tw" => st.word_space = n(0),
            "Tz" => st.scale = n(0) / 100.0,
            "TL" => st.leading = n(0),
            "Td" => move_line(&mut st, n(0), n(1)),
            "TD" => {
                st.leading = -n(1);
                move_line(&mut st, n(0), n(1));
            }
            "Tm" => (st.tm, st.tlm) = (matrix(&op.operands), matrix(&op.operands)),
            "T*" => {
                let leading = st.leading;
                move_line(&mut st, 0.0, -leading);
            }
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    let leading = st.leading;
                    move_line(&mut st, 0.0, -leading);
                }
                if op.operator == "\"" {
                    (st.word_space, st.char_space) = (n(0), n(1));
                }
                if let Some(Ok(s)) = op.operands.last().map(Object::as_str) {
                    show(&mut st, font, s, &mut runs);
                }
            }
            "TJ" => show_array(&mut st, font, op.operands.first(), &mut runs),
            _ => {}
        }
    }
    (runs, width)
}

fn move_line(st: &mut State, x: f32, y: f32) {
    st.tlm = Matrix::translate(x, y).then(st.tlm);
    st.tm = st.tlm;
}

/// The six numbers of a `cm` or `Tm`; the identity where they are not there.
fn matrix(operands: &[Object]) -> Matrix {
    let v: Vec<f32> = operands
        .iter()
        .map(|o| o.as_float().unwrap_or(0.0))
        .filter(|f| f.is_finite())
        .collect();
    match v.as_slice() {
        [a, b, c, d, e, f] => Matrix([*a, *b, *c, *d, *e, *f]),
        _ => IDENTITY,
    }
}

/// `[(text) -250 (more)] TJ`: a number moves the next text left by thousandths of an em.
fn show_array(st: &mut State, font: Option<&Font<'_>>, arr: Option<&Object>, runs: &mut Vec<Run>) {
    let Some(Ok(items)) = arr.map(Object::as_array) else {
        return;
    };
    for item in items {
        match item {
            Object::String(s, _) => show(st, font, s, runs),
            other => {
                let adjust = other.as_float().unwrap_or(0.0);
                let tx = -adjust / 1000.0 * st.size * st.scale;
                if tx.is_finite() {
                    st.tm = Matrix::translate(tx, 0.0).then(st.tm);
                }
            }
        }
    }
}

/// Shows one string: records it where it starts and ends, and moves the text matrix on.
fn show(st: &mut State, font: Option<&Font<'_>>, bytes: &[u8], runs: &mut Vec<Run>) {
    let Some(font) = font else {
        return;
    };
    let text = match &font.encoding {
        Some(enc) => Document::decode_text(enc, bytes).unwrap_or_default(),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let text = unligature(&text);
    let codes: Vec<u32> = if font.two_byte {
        bytes
            .chunks(2)
            .map(|c| c.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)))
            .collect()
    } else {
        bytes.iter().map(|&b| u32::from(b)).collect()
    };
    let mut advance = 0.0;
    for code in codes {
        let w = font
            .widths
            .get(&code)
            .copied()
            .unwrap_or(font.default_width);
        let space = if !font.two_byte && code == 32 {
            st.word_space
        } else {
            0.0
        };
        advance += (w / 1000.0 * st.size + st.char_space + space) * st.scale;
    }
    let trm = st.tm.then(st.ctm);
    let (x, y) = trm.apply(0.0, 0.0);
    let (x_end, _) = trm.apply(advance, 0.0);
    let size = st.size.abs() * trm.scale_y();
    if x.is_finite() && y.is_finite() && x_end.is_finite() && size.is_finite() {
        runs.push(Run {
            x,
            y,
            x_end: x_end.max(x),
            size,
            bold: font.bold,
            text,
        });
    }
    if advance.is_finite() {
        st.tm = Matrix::translate(advance, 0.0).then(st.tm);
    }
}

/// The font's decoding and widths: `FirstChar` and `Widths` for a simple font, the
/// descendant's `W` and `DW` for a composite (Type0) one.
fn font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let two_byte = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice());
    let base = dict
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let base = String::from_utf8_lossy(base).to_ascii_lowercase();
    let mut f = Font {
        encoding: dict.get_font_encoding(doc).ok(),
        two_byte,
        widths: HashMap::new(),
        default_width: if two_byte { 1000.0 } else { 500.0 },
        bold: base.contains("bold") || base.contains("black") || base.contains("heavy"),
    };
    if two_byte {
        let descendant = resolve(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| resolve(doc, Some(o)))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            if let Some(dw) = resolve(doc, d.get(b"DW").ok()).and_then(|o| o.as_float().ok()) {
                f.default_width = dw;
            }
            if let Some(w) = resolve(doc, d.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
                cid_widths(doc, w, &mut f.widths);
            }
        }
    } else {
        let first = resolve(doc, dict.get(b"FirstChar").ok()).and_then(|o| o.as_i64().ok());
        let widths = resolve(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok());
        if let (Some(first), Some(widths)) = (first, widths) {
            for (i, w) in widths.iter().enumerate().take(65_536) {
                if let Some(w) = resolve(doc, Some(w)).and_then(|o| o.as_float().ok()) {
                    f.widths
                        .insert((first.clamp(0, 65_535) as u32).saturating_add(i as u32), w);
                }
            }
        }
    }
    f
}

/// A composite font's `W`: `c [w1 w2 ...]` gives widths from `c` on, `c1 c2 w` one width
/// for a range.
fn cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let start = w[i].as_i64().unwrap_or(0).clamp(0, 65_535) as u32;
        match resolve(doc, w.get(i + 1)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate().take(65_536) {
                    out.insert(
                        start.saturating_add(k as u32),
                        v.as_float().unwrap_or(1000.0),
                    );
                }
                i += 2;
            }
            Some(end) => {
                let end = end.as_i64().unwrap_or(0).clamp(0, 65_535) as u32;
                let width = w
                    .get(i + 2)
                    .and_then(|o| o.as_float().ok())
                    .unwrap_or(1000.0);
                for c in start..=end.min(start.saturating_add(65_535)) {
                    out.insert(c, width);
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn resolve<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a Object> {
    obj.and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o)
}

/// The page's width from its MediaBox (A4 where it has none).
fn page_width(doc: &Document, page_id: ObjectId) -> f32 {
    let mut id = Some(page_id);
    for _ in 0..32 {
        let Some(dict) = id.and_then(|i| doc.get_dictionary(i).ok()) else {
            break;
        };
        if let Some(b) = resolve(doc, dict.get(b"MediaBox").ok()).and_then(|o| o.as_array().ok())
            && let [x0, _, x1, _] = b.as_slice()
            && let (Ok(x0), Ok(x1)) = (x0.as_float(), x1.as_float())
            && (x1 - x0).abs() > 1.0
            && (x1 - x0).is_finite()
        {
            return (x1 - x0).abs();
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    595.0
}

/// Typographic ligatures (ﬁ, ﬂ) as the letters they stand for: the letter has "fi".
fn unligature(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}
