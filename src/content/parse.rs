//! One Markdown file's text to a typed page or section intro: split the front matter, check
//! its keys for the kind of file, and build the [`Document`] or [`SectionIndex`]. No
//! file-system access, so it can be fuzzed.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::profile::Zichtbaarheid;
use crate::tomlerr;

use super::frontmatter::{self, COMMON_KEYS, FrontMatter, LETTER_KEYS, OPGAVE_KEYS, SECTION_KEYS};
use super::model::{Common, Document, Kind, Letter, Opgave, SectionIndex, Source};
use super::{LETTERS, OPGAVEN, Parsed};

/// Parses the text of `content/<rel>` (shown to authors as `shown`) into a page or a
/// section intro; no file-system access, so it can be fuzzed.
pub(crate) fn parse_text(
    rel: &str,
    shown: PathBuf,
    text: String,
    sha256: String,
    config: &Config,
) -> Result<Parsed, Diagnostics> {
    let source = split(rel, shown, text, sha256)?;
    let is_index = rel == "_index.md" || rel.ends_with("/_index.md");
    let allowed = allowed_keys(is_index, source.section());
    let mut fm: FrontMatter = toml::from_str(source.front()).map_err(|e| {
        tomlerr::diagnostic(
            &source.shown,
            source.front(),
            source.front_line,
            &e,
            "front matter",
            &allowed,
        )
    })?;
    let mut diags = Diagnostics::new();
    check_keys(&fm, &source, is_index, &allowed, &mut diags);
    let title = title(&mut fm, &source, &mut diags);
    if is_index {
        check_section(&fm, &source, &mut diags);
        return diags.into_result(Parsed::Section(Box::new(SectionIndex {
            title,
            description: fm.description,
            template: fm.template,
            zichtbaarheid: fm.zichtbaarheid.unwrap_or_default(),
            source,
        })));
    }
    check_page(&fm, &source, &mut diags);
    let kind = match source.section() {
        LETTERS => letter_kind(&mut fm, &source, config, &mut diags),
        OPGAVEN => opgave_kind(&mut fm, &source, &mut diags),
        _ => Kind::Page,
    };
    diags.into_result(Parsed::Document(Arc::new(Document {
        common: common(fm, title),
        kind,
        source,
    })))
}

/// Splits `text` at its `+++` fences into a [`Source`] that holds the text once, with the
/// front matter and body as ranges of it.
fn split(rel: &str, shown: PathBuf, text: String, sha256: String) -> Result<Source, Diagnostic> {
    let split = frontmatter::split(&text).map_err(|(message, help)| {
        Diagnostic::in_file(&shown, message)
            .at(1, 1)
            .with_help(help)
    })?;
    let range = |part: &str| {
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        start..start + part.len()
    };
    let (front, body) = (range(split.front), range(split.body));
    let (front_line, body_line) = (split.front_line, split.body_line);
    Ok(Source {
        rel: rel.to_owned(),
        shown,
        text,
        front,
        front_line,
        body,
        body_line,
        sha256,
        name_slug: std::sync::OnceLock::new(),
        on_disk: None,
    })
}

/// The front matter keys a file accepts: those of a section intro, or the common keys with
/// those of its section's kind (letters, opgaven).
fn allowed_keys(is_index: bool, section: &str) -> Vec<&'static str> {
    if is_index {
        return SECTION_KEYS.to_vec();
    }
    let extra = match section {
        LETTERS => LETTER_KEYS,
        OPGAVEN => OPGAVE_KEYS,
        _ => &[],
    };
    COMMON_KEYS.iter().chain(extra).copied().collect()
}

/// Reports every key set that this kind of file does not use, with the keys it does.
fn check_keys(
    fm: &FrontMatter,
    source: &Source,
    is_index: bool,
    allowed: &[&str],
    diags: &mut Diagnostics,
) {
    for key in fm.keys_set() {
        if !allowed.contains(&key) {
            let kind = if is_index {
                "a section's _index.md".to_owned()
            } else {
                match source.section() {
                    LETTERS => "letters".to_owned(),
                    OPGAVEN => "opgaven".to_owned(),
                    _ => format!("pages outside {LETTERS}/ and {OPGAVEN}/"),
                }
            };
            diags.push(
                source
                    .error_at_key(key, format!("key \"{key}\" is not used for {kind}"))
                    .with_help(format!("keys for {kind}: {}", allowed.join(", "))),
            );
        }
    }
}

/// The title, taken out of `fm`; a missing or blank one is reported (and left empty).
fn title(fm: &mut FrontMatter, source: &Source, diags: &mut Diagnostics) -> String {
    match fm.title.take() {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            diags.push(
                Diagnostic::in_file(&source.shown, "missing key \"title\" in front matter")
                    .at(source.front_line, 1)
                    .with_help("add a line title = \"...\""),
            );
            String::new()
        }
    }
}

/// The checks of a section intro: only read at the top of a section, and the home page's
/// intro cannot be internal.
fn check_section(fm: &FrontMatter, source: &Source, diags: &mut Diagnostics) {
    if source.dir().contains('/') {
        diags.push(
            Diagnostic::in_file(
                &source.shown,
                "_index.md is only read at the top of content/ and in its folders",
            )
            .at(1, 1)
            .with_help("move the intro to the section's own _index.md"),
        );
    }
    if source.section().is_empty() && fm.zichtbaarheid == Some(Zichtbaarheid::Intern) {
        diags.push(
            source
                .error_at_key(
                    "zichtbaarheid",
                    "the home page is published in every profile; it cannot be intern",
                )
                .with_help(
                    "set zichtbaarheid = \"intern\" on the pages or sections to keep \
                     internal, or publish the site on the intranet only",
                ),
        );
    }
}

/// The checks of the keys every page has: a slug as written must be one, and `updated`
/// may not be before `date`.
fn check_page(fm: &FrontMatter, source: &Source, diags: &mut Diagnostics) {
    if let Some(slug) = &fm.slug
        && !crate::slug::is_slug(slug)
    {
        diags.push(
            source
                .error_at_key(
                    "slug",
                    format!("slug \"{slug}\" may only hold letters, digits, - and _"),
                )
                .with_help(format!(
                    "for example slug = \"{}\"",
                    crate::slug::slugify(slug)
                )),
        );
    }
    if let (Some(date), Some(updated)) = (fm.date, fm.updated)
        && updated < date
    {
        diags.push(
            source
                .error_at_key(
                    "updated",
                    format!("updated ({updated}) is before date ({date})"),
                )
                .with_help("updated is the date of the last change, on or after date"),
        );
    }
}

/// The keys every page has, moved out of `fm`.
fn common(fm: FrontMatter, title: String) -> Common {
    Common {
        title,
        date: fm.date,
        description: fm.description,
        slug: fm.slug,
        draft: fm.draft,
        weight: fm.weight,
        tags: fm.tags,
        template: fm.template,
        updated: fm.updated,
        aliases: fm.aliases.unwrap_or_default(),
        zichtbaarheid: fm.zichtbaarheid.unwrap_or_default(),
    }
}

/// A letter's own keys, taken out of `fm`, with its letterhead laid over the site's; without
/// a date it is reported and made a plain page.
fn letter_kind(
    fm: &mut FrontMatter,
    source: &Source,
    config: &Config,
    diags: &mut Diagnostics,
) -> Kind {
    let Some(date) = fm.date else {
        diags.push(
            Diagnostic::in_file(
                &source.shown,
                "missing key \"date\" in front matter of a letter",
            )
            .at(source.front_line, 1)
            .with_help("add the letter's date, e.g. date = 2026-05-07"),
        );
        return Kind::Page;
    };
    Kind::Letter(Box::new(Letter {
        date,
        kenmerk: fm.kenmerk.take(),
        behandeld_door: fm.behandeld_door.take(),
        doorkiesnummer: fm.doorkiesnummer.take(),
        uw_brief_van: fm.uw_brief_van,
        uw_kenmerk: fm.uw_kenmerk.take(),
        afzender: fm.afzender.take(),
        ondertekening: fm.ondertekening.take(),
        aan: fm.aan.take(),
        gemeenten: fm.gemeenten.take().unwrap_or_default(),
        opgaven: fm.opgaven.take().unwrap_or_default(),
        bijlagen: fm.bijlagen.take().unwrap_or_default(),
        briefhoofd: fm.briefhoofd_over(&config.briefhoofd),
    }))
}

/// An opgave's own keys, taken out of `fm`; without a number it is reported and made a
/// plain page.
fn opgave_kind(fm: &mut FrontMatter, source: &Source, diags: &mut Diagnostics) -> Kind {
    let Some(nummer) = fm.nummer else {
        diags.push(
            Diagnostic::in_file(
                &source.shown,
                "missing key \"nummer\" in front matter of an opgave",
            )
            .at(source.front_line, 1)
            .with_help("add a line nummer = 1 (the opgave's number)"),
        );
        return Kind::Page;
    };
    Kind::Opgave(Opgave {
        nummer,
        thema: fm.thema.take(),
        gemeenten: fm.gemeenten.take().unwrap_or_default(),
        status: fm.status.take(),
    })
}
