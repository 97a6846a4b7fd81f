//! `raadsite mail`: a digest e-mail of the letters and opgaven published or updated since a
//! date, as an `.eml` draft for the griffie to forward to the raadsleden.
//!
//! Around the build: the site is read through the same stages as a build (config, theme,
//! content, site for the chosen profile, see [`crate::pipeline::prepare`]), so drafts, and
//! under `openbaar` internal pages and personal fields, are gone before anything is chosen.
//! The text and HTML parts are theme templates (`mail.txt`, `mail.html`) fed by
//! [`view::MailView`]; [`mime`] puts them into one message.

pub mod mime;
pub mod view;

use std::path::{Path, PathBuf};

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::feeds::View;
use crate::profile::Profile;
use crate::render::{self, Theme};
use crate::site::Site;
use crate::snapshot::Store;

pub use view::{EntryView, MailView};

/// Since when entries are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Published (dated) or updated on this date or later.
    Date(Date),
    /// Since the snapshot with this label: dated or updated after the day it was frozen,
    /// or not in it at all (a page published since, whatever its date).
    Snapshot(String),
}

/// What `raadsite mail` is asked for.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Since when.
    pub since: Since,
    /// Only what concerns this gemeente (by slug): its own letters and those to all, and
    /// the opgaven it takes part in.
    pub gemeente: Option<String>,
    /// For whom the links and texts are: the profile the site is read with.
    pub profile: Profile,
    /// The `.eml` file to write.
    pub output: PathBuf,
    /// The time of the `Date:` header, in seconds since 1970 (UTC).
    pub now: i64,
}

/// What `raadsite mail` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The draft was written.
    Written {
        /// Where.
        path: PathBuf,
        /// How many letters it lists.
        letters: usize,
        /// How many opgaven it lists.
        opgaven: usize,
        /// Since when, in Dutch.
        sinds: String,
    },
    /// Nothing is new since then; no file was written.
    NothingNew {
        /// Since when, in Dutch.
        sinds: String,
    },
}

/// Makes the digest and writes it to `opts.output` (replaced whole, or not at all): nothing
/// is written on any error or when nothing is new.
pub fn digest(opts: &MailOptions) -> Result<Outcome, Diagnostics> {
    let (site, theme) = crate::pipeline::prepare(&opts.root, opts.profile)?;
    let Some(base) = site.config.base_url.clone() else {
        return Err(no_base_url().into());
    };
    let gemeente = match &opts.gemeente {
        Some(slug) => Some(gemeente_index(&site, slug)?),
        None => None,
    };
    let cutoff = Cutoff::of(&opts.root, &site, &opts.since, opts.profile)?;
    let chosen = choose(&site, gemeente, &cutoff);
    let sinds = cutoff.day.dutch();
    if chosen.is_empty() {
        return Ok(Outcome::NothingNew { sinds });
    }
    let view = MailView::of(&site, &base, gemeente, &cutoff, &chosen);
    let message = message(&theme, &site, &view, opts.now)?;
    write_atomically(&opts.output, &message)?;
    let letters = view.entries.iter().filter(|e| e.nummer.is_none()).count();
    Ok(Outcome::Written {
        path: opts.output.clone(),
        letters,
        opgaven: view.entries.len() - letters,
        sinds,
    })
}

/// The error of a site without `base_url`: an e-mail needs absolute links.
fn no_base_url() -> Diagnostic {
    Diagnostic::in_file(
        "site.toml",
        "raadsite mail needs base_url: the links in an e-mail must be absolute",
    )
    .with_help(
        "set base_url = \"https://...\" in site.toml to the address the site is published at",
    )
}

/// The place of gemeente `slug` in `site.toml`, or an error listing the slugs there are.
fn gemeente_index(site: &Site, slug: &str) -> Result<usize, Diagnostic> {
    let gemeenten = &site.config.gemeenten;
    if let Some(k) = gemeenten.iter().position(|g| g.slug == slug) {
        return Ok(k);
    }
    let slugs: Vec<&str> = gemeenten.iter().map(|g| g.slug.as_str()).collect();
    let help = match crate::diagnostics::suggest(slug, &slugs) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None if slugs.is_empty() => "site.toml lists no gemeenten".to_owned(),
        None => format!("the gemeenten in site.toml: {}", slugs.join(", ")),
    };
    Err(
        Diagnostic::general(format!("--gemeente: no gemeente \"{slug}\" in site.toml"))
            .with_help(help)
            .io(),
    )
}

/// Since when, made concrete: the first day counted, and for a snapshot the pages it held.
pub struct Cutoff {
    /// Entries changed on this day or later are listed (for a snapshot: the day after it
    /// was frozen).
    pub day: Date,
    /// For `--since-snapshot`: its label and the output paths of its rendition, sorted.
    pub snapshot: Option<(String, Vec<String>)>,
}

impl Cutoff {
    /// The cutoff of `since` for a site in `root` read with `profile`.
    fn of(root: &Path, site: &Site, since: &Since, profile: Profile) -> Result<Cutoff, Diagnostic> {
        let label = match since {
            Since::Date(d) => {
                return Ok(Cutoff {
                    day: *d,
                    snapshot: None,
                });
            }
            Since::Snapshot(label) => label,
        };
        let store = Store::of_site(root, &site.config);
        let manifest = store.manifest(label).map_err(Diagnostic::io)?;
        let frozen = manifest.date().ok_or_else(|| {
            Diagnostic::general(format!(
                "snapshot \"{label}\" has no readable creation date (\"{}\")",
                manifest.created
            ))
        })?;
        let files = manifest.rendition(profile).unwrap_or(&manifest.files);
        let mut paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        paths.sort_unstable();
        Ok(Cutoff {
            day: frozen.next_day(),
            snapshot: Some((label.clone(), paths)),
        })
    }

    /// Whether page `i` is listed: changed on or after the cutoff day, or (for a snapshot)
    /// not in it.
    fn lists(&self, site: &Site, i: usize) -> bool {
        let page = &site.pages[i];
        let changed = page.last_changed().is_some_and(|d| d >= self.day);
        let unknown = self
            .snapshot
            .as_ref()
            .is_some_and(|(_, paths)| paths.binary_search(&page.url).is_err());
        changed || unknown
    }
}

/// Parses `YYYY-MM-DD`, as `--since` takes it.
pub fn parse_day(s: &str) -> Option<Date> {
    let dt: toml::value::Datetime = s.parse().ok()?;
    let d = dt.date.filter(|_| dt.time.is_none() && s.len() == 10)?;
    Some(Date {
        year: d.year,
        month: d.month,
        day: d.day,
    })
}

/// The letters and opgaven to list (indices into `site.pages`), newest change first, then
/// by output path.
fn choose(site: &Site, gemeente: Option<usize>, cutoff: &Cutoff) -> Vec<usize> {
    let (letters, opgaven) = match gemeente {
        Some(k) => (&site.gemeenten[k].letters, &site.gemeenten[k].opgaven),
        None => (&site.letters, &site.opgaven),
    };
    let mut chosen: Vec<usize> = letters
        .iter()
        .chain(opgaven)
        .copied()
        .filter(|&i| cutoff.lists(site, i))
        .collect();
    chosen.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.last_changed()
            .cmp(&a.last_changed())
            .then_with(|| a.url.cmp(&b.url))
    });
    chosen.dedup();
    chosen
}

/// The whole message: both parts through their templates, into one MIME message.
fn message(theme: &Theme, site: &Site, view: &MailView, now: i64) -> Result<Vec<u8>, Diagnostic> {
    let part = |template: &'static str| {
        render::render_view(
            theme,
            &View {
                path: String::new(),
                template,
                name: "mail",
                data: view,
            },
        )
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
    };
    let text = mime::wrap(&part("mail.txt")?, mime::TEXT_WIDTH);
    let html = part("mail.html")?;
    let mail = &site.config.mail;
    Ok(mime::Message {
        subject: &view.onderwerp,
        from: mail.van.as_deref(),
        to: mail.aan.as_deref(),
        host: mime::host_of(site.config.base_url.as_deref().unwrap_or_default()),
        now,
        text: &text,
        html: &html,
    }
    .encode())
}

/// Writes `bytes` to `path` through a temporary file beside it, so that `path` is either
/// the old file or the whole new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let fail = |what: &str, e: std::io::Error| {
        crate::fsutil::io_error(path, &format!("could not {what}"), &e)
    };
    let tmp = dir.join(format!(".{}.raadsite-tmp", name.unwrap_or_default()));
    std::fs::write(&tmp, bytes).map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("write", e)
    })
}
