//! The site configuration, `site.toml`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::profile::Profile;
use crate::{fsutil, slug, tomlerr, tomlspan};

/// Keys allowed at the top of `site.toml`, for suggestions on typos.
const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "base_url",
    "theme",
    "briefhoofd",
    "gemeenten",
    "markdown",
    "openbaar",
    "snapshots",
    "metadata",
    "toegankelijkheid",
    "mail",
    "pdf",
];

/// The statuses of an accessibility statement, as the Dutch government names them.
pub const TOEGANKELIJKHEID_STATUSSEN: &[&str] = &[
    "voldoet volledig",
    "voldoet gedeeltelijk",
    "eerste maatregelen genomen",
    "voldoet niet",
];

/// The parsed and checked `site.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Site title, shown in every page header.
    pub title: String,
    /// One-line description for the home page and metadata.
    pub description: String,
    /// Language of the content (BCP 47), `nl` by default.
    pub language: String,
    /// Absolute URL of the published site, always ending in `/`; only for absolute links.
    pub base_url: Option<String>,
    /// Name of the theme folder under `themes/`.
    pub theme: String,
    /// Sender's address block printed on letters unless a letter overrides it.
    pub briefhoofd: Briefhoofd,
    /// The municipalities, in the order of `site.toml`.
    pub gemeenten: Vec<Gemeente>,
    /// Facts for the accessibility statement; every one optional.
    #[serde(skip)]
    pub toegankelijkheid: Toegankelijkheid,
    /// What the machine-readable `metadata.json` files say.
    pub metadata: MetadataConfig,
    /// The `[snapshots]` table: where frozen versions are kept.
    pub snapshots: SnapshotSettings,
    /// `[markdown]`: how Markdown bodies are turned into HTML.
    pub markdown: MarkdownConfig,
    /// `[openbaar]`: what the public profile publishes.
    pub openbaar: OpenbaarConfig,
    /// `[mail]`: the digest e-mail of `raadsite mail`. Not part of the build: left out of
    /// [`Config::key`], so changing it rebuilds nothing.
    #[serde(skip)]
    pub mail: MailConfig,
    /// `[pdf]`: the PDF/A rendition of every letter and opgave.
    pub pdf: PdfConfig,
    /// The publication profile of this build; not from `site.toml` but chosen per build.
    pub profile: Profile,
}

/// `[pdf]` in `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PdfConfig {
    /// Make a PDF/A beside every letter and opgave. On by default when raadsite is built
    /// with the feature `pdf`, and then only.
    #[serde(default = "built_with_pdf")]
    pub enabled: bool,
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            enabled: built_with_pdf(),
        }
    }
}

fn built_with_pdf() -> bool {
    cfg!(feature = "pdf")
}

/// `[pdf] enabled = true` in a raadsite built without the feature `pdf` (Typst left out).
fn check_pdf(pdf: &PdfConfig, text: &str, diags: &mut Diagnostics) {
    if pdf.enabled && !built_with_pdf() {
        diags.push(
            at(
                text,
                "pdf.enabled",
                "pdf.enabled = true, but this raadsite was built without PDF support".to_owned(),
            )
            .with_help(
                "build raadsite with its default features (cargo install --path .), which \
                 include PDF support; or set [pdf] enabled = false",
            ),
        );
    }
}

/// The facts of the accessibility statement (`[toegankelijkheid]`). Nothing is filled in by
/// default: the statement says plainly what is not given.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Toegankelijkheid {
    /// The organisation responsible for the site.
    pub organisatie: Option<String>,
    /// One of [`TOEGANKELIJKHEID_STATUSSEN`].
    pub status: Option<String>,
    /// Date the statement was drawn up or last reviewed.
    pub datum: Option<Date>,
    /// E-mail address for accessibility problems.
    pub email: Option<String>,
    /// Web page (contact form) for accessibility problems.
    pub url: Option<String>,
    /// Free text: how the site was examined, known problems, planned measures.
    pub toelichting: Option<String>,
}

/// `[metadata]` in `site.toml`.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MetadataConfig {
    /// Give letters the Woo information category "bij vertegenwoordigende organen
    /// ingekomen stukken"; only true when the letters are published as such.
    #[serde(default)]
    pub woo_categorie: bool,
}

/// The `[snapshots]` table of `site.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSettings {
    /// The snapshot store, relative to the site root; `snapshots` by default.
    pub map: Option<String>,
    /// A minisign secret key (relative to the site root or absolute) that signs every new
    /// manifest; kept outside the site folder. Without it, versions are unsigned.
    pub sleutel: Option<String>,
    /// The archiefvormer of MDTO exports: a TOOI gemeente id (`gm0153`) or URI; by default
    /// the only gemeente when `site.toml` names one.
    pub archiefvormer: Option<String>,
    /// The archiefvormer's name when it is not one of `[[gemeenten]]`.
    pub archiefvormer_naam: Option<String>,
    /// The MDTO waardering: `B` (blijvend te bewaren, the default), `V` or `N`.
    pub waardering: Option<String>,
    /// The bewaartermijn as an ISO 8601 duration (`P10Y`); none by default.
    pub bewaartermijn: Option<String>,
}

/// `[markdown]` in `site.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Publish raw HTML in Markdown as written. Off by default: raw HTML then passes an
    /// allow-list sanitiser, so no script reaches a reader's browser.
    #[serde(default)]
    pub allow_raw_html: bool,
}

/// `[openbaar]` in `site.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OpenbaarConfig {
    /// Publish officials' names and direct numbers (`behandeld_door`, `doorkiesnummer`)
    /// in the public profile too. Off by default.
    #[serde(default)]
    pub persoonsgegevens: bool,
}

/// `[mail]` in `site.toml`: the texts of the digest e-mail (`raadsite mail`), in Dutch by
/// default. In `onderwerp`, `{site}` stands for the site's title, `{sinds}` for the date
/// since which entries are listed ("14 september 2026"), `{stukken}` for their number with
/// the word ("1 stuk", "3 stukken") and `{gemeente}` for the gemeente's name (or "alle
/// gemeenten").
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The subject line.
    pub onderwerp: String,
    /// The first line of the e-mail.
    pub aanhef: String,
    /// The closing, lines separated by newlines.
    pub afsluiting: String,
    /// The sender (`From:`), e.g. `Griffie Enschede <griffie@enschede.nl>`; left out when
    /// not set, for the mail program to fill in.
    pub van: Option<String>,
    /// The addressees (`To:`), e.g. a distribution list of the raadsleden; left out when not
    /// set.
    pub aan: Option<String>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            onderwerp: "Nieuw sinds {sinds}: {stukken} - {site}".to_owned(),
            aanhef: "Beste raadsleden,".to_owned(),
            afsluiting: "Met vriendelijke groet,\n\nDe griffie".to_owned(),
            van: None,
            aan: None,
        }
    }
}

/// The sender's address block of a letter, as on paper.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Briefhoofd {
    /// Postal address, lines separated by newlines.
    pub postadres: Option<String>,
    /// Visiting address.
    pub bezoekadres: Option<String>,
    /// General telephone number.
    pub telefoonnummer: Option<String>,
}

/// A municipality that receives the letters.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Gemeente {
    /// Official name, e.g. "Hof van Twente".
    pub naam: String,
    /// CBS code, e.g. "GM1735".
    pub code: String,
    /// URL slug, e.g. "hof-van-twente".
    pub slug: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    base_url: Option<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    briefhoofd: Briefhoofd,
    #[serde(default)]
    gemeenten: Vec<RawGemeente>,
    #[serde(default)]
    metadata: MetadataConfig,
    #[serde(default)]
    toegankelijkheid: Toegankelijkheid,
    #[serde(default)]
    snapshots: SnapshotSettings,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    openbaar: OpenbaarConfig,
    #[serde(default)]
    mail: MailConfig,
    #[serde(default)]
    pdf: PdfConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGemeente {
    naam: String,
    code: String,
    slug: Option<String>,
}

fn default_language() -> String {
    "nl".into()
}

fn default_theme() -> String {
    "raad".into()
}

/// The word a letter uses to address every municipality.
pub const ALL_GEMEENTEN: &str = "alle";

/// Reads and checks `site.toml` in `root`.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let shown = Path::new("site.toml");
    let text = fsutil::read_text(&root.join(shown), shown)?;
    parse(&text)
}

/// Parses and checks the text of a `site.toml`.
pub(crate) fn parse(text: &str) -> Result<Config, Diagnostics> {
    let shown = Path::new("site.toml");
    let raw: RawConfig = toml::from_str(text)
        .map_err(|e| tomlerr::diagnostic(shown, text, 1, &e, "site.toml", SITE_KEYS))?;
    check(raw, text)
}

/// A problem with the entry at `path` (`"theme"`, `"gemeenten[2].code"`) of the site.toml
/// `text`, pointed at where the parser found it (line 1 when it is not there).
pub(crate) fn at(text: &str, path: &str, message: String) -> Diagnostic {
    let d = Diagnostic::in_file("site.toml", message);
    match tomlspan::entry_span(text, path) {
        Some(span) => d.at_span(text, 1, span),
        None => d.at(1, 1),
    }
}

fn check(raw: RawConfig, text: &str) -> Result<Config, Diagnostics> {
    let mut diags = Diagnostics::new();
    let base_url = raw.base_url.map(|u| {
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            diags.push(
                at(
                    text,
                    "base_url",
                    format!("base_url \"{u}\" is not an absolute URL"),
                )
                .with_help("write it as https://host/path/"),
            );
        }
        if u.ends_with('/') { u } else { format!("{u}/") }
    });
    let gemeenten = check_gemeenten(raw.gemeenten, text, &mut diags);
    check_pdf(&raw.pdf, text, &mut diags);
    if !slug::is_slug(&raw.theme) {
        diags.push(at(
            text,
            "theme",
            format!("theme \"{}\" is not a folder name", raw.theme),
        ));
    }
    if let Some(status) = &raw.toegankelijkheid.status
        && !TOEGANKELIJKHEID_STATUSSEN.contains(&status.as_str())
    {
        let help = match crate::diagnostics::suggest(status, TOEGANKELIJKHEID_STATUSSEN) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("use one of: {}", TOEGANKELIJKHEID_STATUSSEN.join(", ")),
        };
        diags.push(
            at(
                text,
                "toegankelijkheid.status",
                format!("toegankelijkheid: unknown status \"{status}\""),
            )
            .with_help(help),
        );
    }
    diags.into_result(Config {
        title: raw.title,
        description: raw.description,
        language: raw.language,
        base_url,
        theme: raw.theme,
        briefhoofd: raw.briefhoofd,
        gemeenten,
        metadata: raw.metadata,
        toegankelijkheid: raw.toegankelijkheid,
        snapshots: raw.snapshots,
        markdown: raw.markdown,
        openbaar: raw.openbaar,
        mail: raw.mail,
        pdf: raw.pdf,
        profile: Profile::default(),
    })
}

/// The gemeenten with their slugs; a bad CBS code or slug is reported where it is written.
fn check_gemeenten(raw: Vec<RawGemeente>, text: &str, diags: &mut Diagnostics) -> Vec<Gemeente> {
    let mut gemeenten = Vec::new();
    let mut slugs = BTreeSet::new();
    for (i, g) in raw.into_iter().enumerate() {
        // A slug problem is where the slug is written, or else the name it is made from.
        let slug_key = format!(
            "gemeenten[{i}].{}",
            if g.slug.is_some() { "slug" } else { "naam" }
        );
        let valid_code = g.code.len() == 6
            && g.code.starts_with("GM")
            && g.code[2..].bytes().all(|b| b.is_ascii_digit());
        if !valid_code {
            diags.push(at(
                text,
                &format!("gemeenten[{i}].code"),
                format!(
                    "CBS code \"{}\" of {} is not of the form GM0000",
                    g.code, g.naam
                ),
            ));
        }
        let slug = g.slug.unwrap_or_else(|| slug::slugify(&g.naam));
        if slug.is_empty() || slug == ALL_GEMEENTEN || !slug::is_slug(&slug) {
            diags.push(at(
                text,
                &slug_key,
                format!("gemeente {} has an unusable slug \"{slug}\"", g.naam),
            ));
        }
        if !slugs.insert(slug.clone()) {
            diags.push(at(
                text,
                &slug_key,
                format!("two gemeenten have the slug \"{slug}\""),
            ));
        }
        gemeenten.push(Gemeente {
            naam: g.naam,
            code: g.code,
            slug,
        });
    }
    gemeenten
}

impl Config {
    /// The gemeente with this slug.
    pub fn gemeente(&self, slug: &str) -> Option<&Gemeente> {
        self.gemeenten.iter().find(|g| g.slug == slug)
    }

    /// A hash of every setting, the profile included: equal keys mean equal configurations.
    /// Caches of later stages are keyed by it.
    pub fn key(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        // Serialising plain data into a hasher cannot fail.
        let _ = serde_json::to_writer(crate::digest::HashWriter(&mut h), self);
        // The accessibility statement's facts are not part of the serialised form.
        let t = &self.toegankelijkheid;
        let datum = t.datum.map(|d| d.iso());
        for field in [
            &t.organisatie,
            &t.status,
            &datum,
            &t.email,
            &t.url,
            &t.toelichting,
        ] {
            let bytes = field.as_deref().unwrap_or("\u{0}").as_bytes();
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        h.digest128()
    }
}
