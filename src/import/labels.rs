//! The one table of letterhead labels and their common variants, and how a line is matched
//! against it: case-insensitively, with or without a colon, the value on the same line or on
//! the lines below.

/// A field of the letterhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// DATUM: the letter's date.
    Datum,
    /// ONS KENMERK.
    Kenmerk,
    /// BEHANDELD DOOR.
    BehandeldDoor,
    /// DOORKIESNUMMER.
    Doorkiesnummer,
    /// UW BRIEF VAN: a date.
    UwBriefVan,
    /// UW KENMERK.
    UwKenmerk,
    /// ONDERWERP: the title.
    Onderwerp,
    /// BIJLAGE(N): what the letter says is attached.
    Bijlagen,
    /// The sender's POSTADRES.
    Postadres,
    /// The sender's BEZOEKADRES.
    Bezoekadres,
    /// The sender's TELEFOONNUMMER.
    Telefoonnummer,
    /// The sender's e-mail address or website, which the site does not show per letter.
    Contact,
    /// PAGINA: page numbers of a continuation header.
    Pagina,
}

/// Every label with its variants as letters write them, lower case, without a colon. The
/// longest variant that matches wins, so "ons kenmerk" is never read as "kenmerk" with the
/// value "ons" and "uw kenmerk" never as "kenmerk".
pub const LABELS: &[(Field, &[&str])] = &[
    (
        Field::Datum,
        &["datum", "dagtekening", "verzenddatum", "d.d."],
    ),
    (
        Field::Kenmerk,
        &[
            "ons kenmerk",
            "kenmerk",
            "onze referentie",
            "ons nummer",
            "zaaknummer",
        ],
    ),
    (
        Field::BehandeldDoor,
        &[
            "behandeld door",
            "contactpersoon",
            "inlichtingen bij",
            "inlichtingen",
        ],
    ),
    (
        Field::Doorkiesnummer,
        &[
            "doorkiesnummer",
            "doorkies",
            "direct nummer",
            "telefoon direct",
        ],
    ),
    (
        Field::UwBriefVan,
        &[
            "uw brief van",
            "uw brief d.d.",
            "uw schrijven van",
            "uw brief",
        ],
    ),
    (Field::UwKenmerk, &["uw kenmerk", "uw referentie"]),
    (Field::Onderwerp, &["onderwerp", "betreft", "inzake"]),
    (
        Field::Bijlagen,
        &[
            "bijlage(n)",
            "bijlagen",
            "bijlage",
            "aantal bijlagen",
            "bijl.",
        ],
    ),
    (Field::Postadres, &["postadres"]),
    (Field::Bezoekadres, &["bezoekadres"]),
    (
        Field::Telefoonnummer,
        &[
            "telefoonnummer",
            "telefoon",
            "tel.",
            "algemeen telefoonnummer",
        ],
    ),
    (Field::Contact, &["e-mail", "email", "website", "internet"]),
    (Field::Pagina, &["pagina", "blad"]),
];

impl Field {
    /// The label as the summary shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Datum => "DATUM",
            Field::Kenmerk => "ONS KENMERK",
            Field::BehandeldDoor => "BEHANDELD DOOR",
            Field::Doorkiesnummer => "DOORKIESNUMMER",
            Field::UwBriefVan => "UW BRIEF VAN",
            Field::UwKenmerk => "UW KENMERK",
            Field::Onderwerp => "ONDERWERP",
            Field::Bijlagen => "BIJLAGE(N)",
            Field::Postadres => "POSTADRES",
            Field::Bezoekadres => "BEZOEKADRES",
            Field::Telefoonnummer => "TELEFOONNUMMER",
            Field::Contact => "E-MAIL/WEBSITE",
            Field::Pagina => "PAGINA",
        }
    }
}

/// A line that starts with a label: the field and the value written after it on the same
/// line (empty when the value is on the lines below).
pub fn match_label(line: &str) -> Option<(Field, String)> {
    let norm = normalise(line);
    let mut best: Option<(Field, usize)> = None;
    for (field, variants) in LABELS {
        for v in *variants {
            let Some(rest) = norm.strip_prefix(v) else {
                continue;
            };
            // The label must end at a word boundary: "Datumreeks" is no DATUM.
            let boundary = rest.is_empty()
                || rest.starts_with(':')
                || rest.starts_with(' ')
                || v.ends_with('.');
            if boundary && best.is_none_or(|(_, n)| v.len() > n) {
                best = Some((*field, v.len()));
            }
        }
    }
    let (field, len) = best?;
    let rest = norm[len..].trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    // Keep the value as written (case and all): the same number of characters from the end.
    let written = collapse(line);
    let value = written[written.len() - rest.len()..].trim().to_owned();
    Some((field, value))
}

/// Lower case with runs of white space as one space; ASCII lower-casing keeps byte offsets
/// of the collapsed text, so a value can be cut from the written line.
fn normalise(line: &str) -> String {
    collapse(line).to_ascii_lowercase()
}

/// Trimmed, with runs of white space (tabs, no-break spaces) as one space.
pub fn collapse(line: &str) -> String {
    line.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a line is a salutation, which opens the body ("Geachte colleges,").
pub fn is_salutation(line: &str) -> bool {
    let l = normalise(line);
    [
        "geachte ",
        "beste ",
        "l.s.",
        "hooggeachte ",
        "zeer geachte ",
    ]
    .iter()
    .any(|p| l.starts_with(p))
        || l == "dames en heren,"
}

/// Whether a line is a closing, after which the signatory follows ("Met vriendelijke groet,").
pub fn is_closing(line: &str) -> bool {
    let l = normalise(line);
    let l = l.trim_end_matches([',', '.']);
    [
        "met vriendelijke groet",
        "met vriendelijke groeten",
        "met hartelijke groet",
        "met hartelijke groeten",
        "met een vriendelijke groet",
        "hoogachtend",
        "vriendelijke groet",
        "vriendelijke groeten",
        "met collegiale groet",
    ]
    .contains(&l)
}

/// Whether a line is only a page number: "3 / 3", "3/3", "Pagina 3 van 3", "- 3 -".
pub fn is_page_number(line: &str, bare_digits: bool) -> bool {
    let l = normalise(line);
    let l = l
        .strip_prefix("pagina")
        .or_else(|| l.strip_prefix("blad"))
        .unwrap_or(&l)
        .trim_start_matches(':')
        .trim();
    let words: Vec<&str> = l
        .split([' ', '/'])
        .filter(|w| !w.is_empty() && *w != "-")
        .collect();
    let digits = |w: &str| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [a, "van", b] => digits(a) && digits(b),
        [a, b] => digits(a) && digits(b) && l.contains('/'),
        [a] => digits(a) && (bare_digits || l.starts_with('-') || line.contains("agina")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_with_their_variants() {
        assert_eq!(
            match_label("ONS KENMERK"),
            Some((Field::Kenmerk, String::new()))
        );
        assert_eq!(
            match_label("Kenmerk: 0012/AB"),
            Some((Field::Kenmerk, "0012/AB".into()))
        );
        assert_eq!(
            match_label("Uw kenmerk\t\tX-1"),
            Some((Field::UwKenmerk, "X-1".into()))
        );
        assert_eq!(
            match_label("Onderwerp:"),
            Some((Field::Onderwerp, String::new()))
        );
        assert_eq!(
            match_label("BIJLAGE(N)"),
            Some((Field::Bijlagen, String::new()))
        );
        assert_eq!(
            match_label("Datum: 7 mei 2026"),
            Some((Field::Datum, "7 mei 2026".into()))
        );
        assert_eq!(match_label("Datumreeks"), None);
        assert_eq!(match_label("Geachte colleges,"), None);
    }

    #[test]
    fn page_numbers() {
        assert!(is_page_number("3 / 3", false));
        assert!(is_page_number("Pagina 2 van 3", false));
        assert!(is_page_number("- 2 -", false));
        assert!(!is_page_number("21", false));
        assert!(is_page_number("21", true));
        assert!(!is_page_number("de 11 regio's", true));
    }
}
