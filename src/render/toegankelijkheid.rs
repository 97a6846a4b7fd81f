//! The accessibility statement (toegankelijkheidsverklaring): what `toegankelijkheid.html`
//! sees. Only facts from `site.toml`; a field left out stays `None` and the template says so.

use serde::Serialize;

use crate::config::Toegankelijkheid;

/// The statement's facts as templates see them.
#[derive(Debug, Clone, Serialize)]
pub struct ToegankelijkheidView {
    /// The organisation responsible for the site.
    pub organisatie: Option<String>,
    /// "voldoet volledig", "voldoet gedeeltelijk", "eerste maatregelen genomen" or "voldoet niet".
    pub status: Option<String>,
    /// Date of the statement in Dutch: "7 mei 2026".
    pub datum: Option<String>,
    /// The same date as ISO 8601, for `<time datetime>`.
    pub datum_iso: Option<String>,
    /// E-mail address for accessibility problems.
    pub email: Option<String>,
    /// Contact web page.
    pub url: Option<String>,
    /// Free text, split into paragraphs at blank lines.
    pub toelichting: Vec<String>,
}

impl ToegankelijkheidView {
    /// The view of the configured statement.
    pub fn of(t: &Toegankelijkheid) -> Self {
        let filled = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        ToegankelijkheidView {
            organisatie: filled(&t.organisatie),
            status: filled(&t.status),
            datum: t.datum.map(|d| d.dutch()),
            datum_iso: t.datum.map(|d| d.iso()),
            email: filled(&t.email),
            url: filled(&t.url),
            toelichting: t
                .toelichting
                .as_deref()
                .unwrap_or("")
                .split("\n\n")
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }
}
