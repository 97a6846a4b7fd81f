//! The digest as an Internet message (RFC 5322, MIME): `multipart/alternative` with a text
//! and an HTML part, both UTF-8 in quoted-printable, the subject as RFC 2047 encoded words
//! when it is not plain ASCII, and `X-Unsent: 1` so that Outlook opens it as a draft.
//!
//! Written by hand rather than with a mail crate: a message builder draws its boundary and
//! `Message-ID` at random, and this message must be the same bytes for the same site and
//! time (archives, tests). Here the boundary and the `Message-ID` are hashes of the two
//! parts; only the `Date:` header follows the clock (or `SOURCE_DATE_EPOCH`, see main.rs).

use std::fmt::Write as _;

use crate::digest::sha256_hex;

/// The widest line of the text part, in characters (RFC 5322's recommended 78); only a
/// word longer than this (a long link) makes a longer line.
pub const TEXT_WIDTH: usize = 78;

/// The longest encoded line of a quoted-printable body (RFC 2045).
const QP_WIDTH: usize = 76;

/// A message to encode.
pub struct Message<'a> {
    /// The subject, on one line.
    pub subject: &'a str,
    /// `From:`, as written in `site.toml`, if set.
    pub from: Option<&'a str>,
    /// `To:`, if set.
    pub to: Option<&'a str>,
    /// The host of the `Message-ID` (the site's host).
    pub host: String,
    /// Seconds since 1970, UTC, for `Date:`.
    pub now: i64,
    /// The text part.
    pub text: &'a str,
    /// The HTML part.
    pub html: &'a str,
}

impl Message<'_> {
    /// The message, with CRLF line ends.
    pub fn encode(&self) -> Vec<u8> {
        let hash = sha256_hex(format!("{}\0{}\0{}", self.subject, self.text, self.html).as_bytes());
        let boundary = format!("=_raadsite_{}", &hash[..32]);
        let mut m = String::new();
        let mut header = |name: &str, value: &str| {
            let _ = write!(m, "{name}: {value}\r\n");
        };
        header("Date", &rfc5322_date(self.now));
        if let Some(from) = self.from {
            header("From", &addresses(from));
        }
        if let Some(to) = self.to {
            header("To", &addresses(to));
        }
        header("Subject", &subject(self.subject));
        header("Message-ID", &format!("<{}@{}>", &hash[32..], self.host));
        header("MIME-Version", "1.0");
        header("X-Unsent", "1");
        header(
            "Content-Type",
            &format!("multipart/alternative;\r\n boundary=\"{boundary}\""),
        );
        m.push_str("\r\nThis is a message in MIME format.\r\n");
        for (kind, body) in [("plain", self.text), ("html", self.html)] {
            let _ = write!(
                m,
                "\r\n--{boundary}\r\nContent-Type: text/{kind}; charset=utf-8\r\n\
                 Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            );
            m.push_str(&quoted_printable(body));
        }
        let _ = write!(m, "\r\n--{boundary}--\r\n");
        m.into_bytes()
    }
}

/// The host of `base_url` (`https://host/path/`), for the `Message-ID`.
pub fn host_of(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    if host.is_empty() || !host.is_ascii() {
        "raadsite.invalid".to_owned()
    } else {
        host.to_owned()
    }
}

/// An address header's value (`From:`, `To:`): the addresses separated by commas, one a
/// line when they do not fit on one, each display name that is not ASCII encoded (the
/// address itself stays as it is). A comma inside a quoted display name is not supported.
fn addresses(value: &str) -> String {
    let items: Vec<String> = value
        .split(',')
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty())
        .map(|a| match a.rsplit_once('<') {
            _ if a.is_ascii() => a,
            Some((name, addr)) if addr.ends_with('>') && addr.is_ascii() => {
                // Folded before the address: encoded words and an address rarely fit on one.
                format!("{}\r\n <{addr}", encoded_words(name.trim()))
            }
            _ => encoded_words(&a),
        })
        .collect();
    let one_line = items.join(", ");
    if one_line.len() + "From: ".len() <= TEXT_WIDTH && !one_line.contains("\r\n") {
        one_line
    } else {
        items.join(",\r\n ")
    }
}

/// The subject: plain ASCII folded at spaces, or RFC 2047 encoded words.
fn subject(s: &str) -> String {
    if !s.is_ascii() || s.contains("=?") {
        return encoded_words(s);
    }
    let mut out = String::new();
    let mut line = "Subject: ".len();
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            if line + 1 + word.len() > TEXT_WIDTH {
                out.push_str("\r\n");
                line = 0;
            }
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// `s` as RFC 2047 encoded words (`=?UTF-8?B?...?=`) of at most 45 bytes each (60
/// characters of base64), one a line, never splitting a character.
fn encoded_words(s: &str) -> String {
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, ch) in s.char_indices() {
        if i + ch.len_utf8() - start > 45 {
            words.push(&s[start..end]);
            start = i;
        }
        end = i + ch.len_utf8();
    }
    words.push(&s[start..end]);
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", data_encoding::BASE64.encode(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// `Date:` for `secs` since 1970: `Sun, 06 Dec 2026 21:45:48 +0000`.
fn rfc5322_date(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::dates::civil_from_days(days);
    format!(
        "{}, {d:02} {} {y} {:02}:{:02}:{:02} +0000",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `text` in quoted-printable with CRLF line ends: every line of `text` a line, soft line
/// breaks keeping encoded lines at most [`QP_WIDTH`] long.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 11 / 10);
    for line in text.trim_end_matches('\n').split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bytes = line.as_bytes();
        let mut width = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = (b == b' ' || b == b'\t') && !last
                || (33..=126).contains(&b) && b != b'=' && !(width == 0 && b == b'.');
            let piece = if literal {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            // Room for a soft break ("=") unless this is the line's last piece.
            let room = if last { QP_WIDTH } else { QP_WIDTH - 1 };
            if width + piece.len() > room {
                out.push_str("=\r\n");
                width = 0;
            }
            out.push_str(&piece);
            width += piece.len();
        }
        out.push_str("\r\n");
    }
    out
}

/// `text` with every line longer than `width` characters broken at spaces; the lines it
/// makes keep the broken line's indent. A word longer than `width` stays whole.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.lines() {
        let line = line.trim_end();
        if line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let mut current = indent.to_owned();
        let mut chars = indent.chars().count();
        for word in line.split_whitespace() {
            let n = word.chars().count();
            if chars > indent.len() && chars + 1 + n > width {
                out.push_str(&current);
                out.push('\n');
                current = indent.to_owned();
                chars = indent.chars().count();
            }
            if chars > indent.len() {
                current.push(' ');
                chars += 1;
            }
            current.push_str(word);
            chars += n;
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_keeps_lines_short_and_encodes_utf8() {
        let long = "é".repeat(60);
        let qp = quoted_printable(&format!("{long}\nend \nx=y\n"));
        assert!(qp.split("\r\n").all(|l| l.len() <= QP_WIDTH), "{qp}");
        assert!(qp.contains("=C3=A9"));
        assert!(
            qp.contains("end=20\r\n"),
            "a space at a line end is encoded"
        );
        assert!(qp.contains("x=3Dy\r\n"));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_the_indent() {
        let line = format!("  {}", "woord ".repeat(30));
        let wrapped = wrap(&line, 78);
        assert!(wrapped.lines().count() > 1);
        for l in wrapped.lines() {
            assert!(l.chars().count() <= 78, "{l}");
            assert!(l.starts_with("  woord"), "{l}");
        }
        assert_eq!(wrap("kort\n\nnog kort\n", 78), "kort\n\nnog kort\n");
    }

    #[test]
    fn subjects_and_dates() {
        assert_eq!(subject("Nieuw"), "Nieuw");
        let enc = subject(&"Overzicht é ".repeat(10));
        assert!(enc.starts_with("=?UTF-8?B?"));
        assert!(enc.split("\r\n").all(|l| l.len() <= 76));
        assert_eq!(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(
            rfc5322_date(1_796_593_548),
            "Sun, 06 Dec 2026 21:45:48 +0000"
        );
        assert_eq!(
            host_of("https://raad.example.nl:8443/brieven/"),
            "raad.example.nl"
        );
    }
}
