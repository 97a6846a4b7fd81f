//! Files that are copied rather than rendered: the non-Markdown files under `content/`,
//! the files under `static/`, and the letters' attachments found among them.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::claims::Claims;
use super::visibility::Visibility;
use super::{Attachment, Page, Target, set_target};
use crate::content::frontmatter::Bijlage;
use crate::content::{Asset, Kind, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;

/// The files under `content/` that are published, at their own path: all but those only
/// internal pages use when the profile hides those. Claims their paths and records what
/// each file became.
pub(super) fn publish(
    assets: Vec<Asset>,
    visible: &Visibility,
    claims: &mut Claims,
    targets: &mut FxHashMap<String, Target>,
    diags: &mut Diagnostics,
) -> Vec<Asset> {
    let (assets, intern): (Vec<Asset>, Vec<Asset>) = assets
        .into_iter()
        .partition(|a| !visible.intern_files.contains(&a.rel));
    for a in &intern {
        let why = match visible.personal_files.contains(&a.rel) {
            true => Target::Personal,
            false => Target::Intern,
        };
        set_target(targets, &a.rel, why);
    }
    for a in &assets {
        claims.claim(&a.rel, format!("content/{}", a.rel), diags);
        set_target(targets, &a.rel, Target::Asset(a.rel.clone()));
    }
    assets
}

/// Claims the paths of the files under `static/`, published at the site root; returns
/// those paths, for links and attachments.
pub(super) fn claim_static(
    static_files: &[Asset],
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> FxHashSet<String> {
    for a in static_files {
        claims.claim(&a.rel, format!("static/{}", a.rel), diags);
    }
    static_files.iter().map(|a| a.rel.clone()).collect()
}

/// Where attachments are looked up.
struct Lookup<'a> {
    targets: &'a FxHashMap<String, Target>,
    /// Published files under `content/`, by path.
    assets: FxHashMap<&'a str, &'a Asset>,
    /// Files under `static/`, by path.
    static_files: FxHashMap<&'a str, &'a Asset>,
}

/// Finds every letter's attachments among the published `assets` (beside the letter, by
/// what `targets` says the path became) and the `static_files`; reports those not found.
pub(super) fn attach(
    pages: &mut [Page],
    targets: &FxHashMap<String, Target>,
    assets: &[Asset],
    static_files: &[Asset],
    diags: &mut Diagnostics,
) {
    let files = Lookup {
        targets,
        assets: assets.iter().map(|a| (a.rel.as_str(), a)).collect(),
        static_files: static_files.iter().map(|a| (a.rel.as_str(), a)).collect(),
    };
    for p in pages {
        if let Kind::Letter(l) = &p.doc.kind {
            p.bijlagen = l
                .bijlagen
                .iter()
                .enumerate()
                .filter_map(|(i, b)| {
                    attachment(&p.doc.source, i, b, &files)
                        .map_err(|d| diags.push(d))
                        .ok()
                })
                .collect();
        }
    }
}

/// The attachment `bijlage`, item `index` of the letter's `bijlagen`.
fn attachment(
    source: &Source,
    index: usize,
    bijlage: &Bijlage,
    files: &Lookup,
) -> Result<Attachment, Diagnostic> {
    let bestand = &bijlage.bestand;
    let bad = |why: &str| {
        source
            .error_at_key(
                &format!("bijlagen[{index}].bestand"),
                format!("bijlage \"{bestand}\" {why}"),
            )
            .with_help("put the file next to the letter or in static/ and give its name")
    };
    if bestand.starts_with('/') || links::is_external(bestand) {
        return Err(bad("must be a file name relative to the letter"));
    }
    let beside =
        links::resolve(source.dir(), bestand).ok_or_else(|| bad("points outside the site"))?;
    let in_static = links::resolve("", bestand);
    let file = match files.targets.get(&beside) {
        Some(Target::Asset(_)) => files.assets.get(beside.as_str()).copied(),
        _ => in_static.and_then(|rel| files.static_files.get(rel.as_str()).copied()),
    }
    .ok_or_else(|| bad("is not found next to the letter nor in static/"))?;
    let kind = Path::new(&file.rel)
        .extension()
        .map(|e| e.to_string_lossy().to_uppercase())
        .unwrap_or_else(|| "bestand".to_owned());
    Ok(Attachment {
        titel: bijlage.titel.clone(),
        url: file.rel.clone(),
        kind,
        size: file.size,
    })
}
