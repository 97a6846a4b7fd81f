//! Checking a store: every file of every (or one) snapshot is read back and hashed again, and
//! the store is searched for files that belong to no snapshot.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::manifest::VERSIONS;
use super::store::{OBJECTS, is_hash, sha256_hex};
use super::{FileEntry, Manifest, Store, sign};
use crate::diagnostics::Diagnostics;
use crate::profile::Profile;

/// One thing wrong in the store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The snapshot concerned, if any.
    pub label: Option<String>,
    /// The file: a path inside the snapshot, or inside the store for stray files.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// The result of a verification.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// Snapshots checked.
    pub snapshots: Vec<String>,
    /// Files checked (over all snapshots checked).
    pub files: usize,
    /// Everything that does not match; empty when the store is intact.
    pub problems: Vec<Problem>,
    /// Complete objects that no snapshot uses, such as those left by an interrupted create;
    /// harmless, listed for information.
    pub unreferenced: Vec<String>,
    /// Snapshots checked whose signature matched.
    pub signed: Vec<String>,
    /// Snapshots checked that are unsigned because no key was configured when they were
    /// made (the store has no key, or they predate its oldest signed version): not a
    /// problem, but said.
    pub unsigned: Vec<String>,
}

impl Verified {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What an object on disk turned out to be.
#[derive(Debug, Clone)]
enum Found {
    Missing,
    Unreadable(String),
    Bytes { size: u64, sha256: String },
}

/// Verifies the snapshot `label`, or all snapshots; the search for stray files always covers
/// the whole store.
pub fn verify(store: &Store, label: Option<&str>) -> Result<Verified, Diagnostics> {
    verify_with(store, label, None)
}

/// Verifies like [`verify`], and checks the signatures of the manifests with the public key
/// in `key` (a minisign `.pub` file), else with the store's `sleutel.pub`. When there is a
/// key, every version from the oldest signed one on must carry a signature that matches;
/// without a key a signature cannot be checked and is a problem. Unsigned versions made
/// before any key are listed as such.
pub fn verify_with(
    store: &Store,
    label: Option<&str>,
    key: Option<&Path>,
) -> Result<Verified, Diagnostics> {
    let (all, mut problems) = read_manifests(store);
    let one;
    let chosen: &[Manifest] = match label {
        Some(l) => {
            one = [store.manifest(l)?];
            &one
        }
        None => &all,
    };
    let files = check_objects(store, chosen, &mut problems);
    let first_signed = all
        .iter()
        .filter(|m| store.is_signed(&m.label))
        .map(|m| (m.created.as_str(), m.label.as_str()))
        .min();
    let (signed, unsigned) = check_signatures(store, chosen, key, first_signed, &mut problems)?;
    let mut unreferenced = Vec::new();
    check_tree(store, &all, &mut problems, &mut unreferenced);
    problems.sort();
    unreferenced.sort();
    Ok(Verified {
        snapshots: chosen.iter().map(|m| m.label.clone()).collect(),
        files,
        problems,
        unreferenced,
        signed,
        unsigned,
    })
}

/// Checks the signature of each manifest of `chosen`; returns the labels signed and those
/// unsigned. A version made before the oldest signed one (`first_signed`: its creation time
/// and label) predates the key and is unsigned; any later one must be signed.
fn check_signatures(
    store: &Store,
    chosen: &[Manifest],
    key: Option<&Path>,
    first_signed: Option<(&str, &str)>,
    problems: &mut Vec<Problem>,
) -> Result<(Vec<String>, Vec<String>), Diagnostics> {
    let kept = store.public_key_file();
    let pk = match key {
        Some(path) => Some(sign::read_public_key(path)?),
        None if kept.is_file() => Some(sign::read_public_key(&kept)?),
        None => None,
    };
    let (mut signed, mut unsigned) = (Vec::new(), Vec::new());
    for m in chosen {
        let sig_file = store.signature_file(&m.label);
        let problem = |message: String| Problem {
            label: Some(m.label.clone()),
            file: format!("{VERSIONS}/{}.json{}", m.label, sign::SIGNATURE_SUFFIX),
            message,
        };
        let sig = match fs::read_to_string(&sig_file) {
            Ok(sig) => sig,
            Err(_)
                if pk.is_none()
                    || first_signed.is_some_and(|f| (m.created.as_str(), m.label.as_str()) < f) =>
            {
                unsigned.push(m.label.clone());
                continue;
            }
            Err(_) => {
                problems.push(problem(
                    "unsigned: the version has no signature, but the store's versions are signed"
                        .to_owned(),
                ));
                continue;
            }
        };
        let Some(pk) = &pk else {
            problems.push(problem(format!(
                "signed, but the store has no public key {} to check it with",
                sign::PUBLIC_KEY
            )));
            continue;
        };
        let bytes = fs::read(store.manifest_file(&m.label)).unwrap_or_default();
        match sign::check(pk, &bytes, &sig) {
            Ok(()) => signed.push(m.label.clone()),
            Err(message) => problems.push(problem(message)),
        }
    }
    Ok((signed, unsigned))
}

/// Every manifest of the store that reads, and a problem for each that does not.
fn read_manifests(store: &Store) -> (Vec<Manifest>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut all = Vec::new();
    for l in store.labels() {
        match store.manifest(&l) {
            Ok(m) => all.push(m),
            Err(d) => problems.push(Problem {
                label: Some(l.clone()),
                file: format!("{VERSIONS}/{l}.json"),
                message: d.message,
            }),
        }
    }
    (all, problems)
}

/// Reads each object that `chosen` uses once (in parallel) and compares it with every entry
/// of every rendition that names it; returns how many entries it checked.
fn check_objects(store: &Store, chosen: &[Manifest], problems: &mut Vec<Problem>) -> usize {
    let hashes: BTreeSet<&str> = chosen
        .iter()
        .flat_map(|m| m.all_files().map(|f| f.sha256.as_str()))
        .collect();
    let found: BTreeMap<&str, Found> = hashes.par_iter().map(|h| (*h, inspect(store, h))).collect();
    let mut files = 0;
    for (m, profile, f) in chosen.iter().flat_map(|m| {
        m.renditions()
            .flat_map(move |(p, files)| files.iter().map(move |f| (m, p, f)))
    }) {
        files += 1;
        if let Some(message) = entry_problem(store, f, &found) {
            problems.push(Problem {
                label: Some(m.label.clone()),
                file: match profile {
                    Profile::Intranet => f.path.clone(),
                    Profile::Openbaar => format!("{} (openbaar)", f.path),
                },
                message,
            });
        }
    }
    files
}

/// What is wrong with one manifest entry, given what the objects turned out to be.
fn entry_problem(store: &Store, f: &FileEntry, found: &BTreeMap<&str, Found>) -> Option<String> {
    if !is_hash(&f.sha256) {
        return Some(format!(
            "the manifest gives no valid SHA-256 (\"{}\")",
            f.sha256
        ));
    }
    let object = store.objects().shown(&f.sha256);
    match &found[f.sha256.as_str()] {
        Found::Missing => Some(format!("missing: object {object} is gone")),
        Found::Unreadable(e) => Some(format!("object {object} cannot be read: {e}")),
        Found::Bytes { size, sha256 } if *size != f.size || *sha256 != f.sha256 => {
            let how = match size.cmp(&f.size) {
                std::cmp::Ordering::Greater => format!("{} extra bytes", size - f.size),
                std::cmp::Ordering::Less => format!("{} bytes missing", f.size - size),
                std::cmp::Ordering::Equal => "same size, different bytes".to_owned(),
            };
            Some(format!(
                "changed: object {object} has SHA-256 {sha256} ({how}), the manifest says {}",
                f.sha256
            ))
        }
        Found::Bytes { .. } => None,
    }
}

/// What a file or folder in the store turned out to be.
enum Entry {
    /// Part of the store: its folders, a used object, a committed manifest.
    Part,
    /// Left by an interrupted create: harmless.
    Leftover,
    /// Belongs to no snapshot and is no leftover; the message says how.
    Stray(&'static str),
}

/// Searches the whole store for files that belong to no snapshot of `all`: leftovers of an
/// interrupted create go to `unreferenced`, anything else is a problem.
fn check_tree(
    store: &Store,
    all: &[Manifest],
    problems: &mut Vec<Problem>,
    unreferenced: &mut Vec<String>,
) {
    let referenced: BTreeSet<&str> = all
        .iter()
        .flat_map(|m| m.all_files().map(|f| f.sha256.as_str()))
        .collect();
    for e in walkdir::WalkDir::new(store.dir())
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = e.path().strip_prefix(store.dir()) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        match classify(&rel, e.file_type().is_dir(), e.path(), &referenced) {
            Entry::Part => {}
            Entry::Leftover => unreferenced.push(rel),
            Entry::Stray(message) => problems.push(Problem {
                label: None,
                file: rel,
                message: message.to_owned(),
            }),
        }
    }
}

/// Classifies the store entry at `rel` (inside the store, with `/`; on disk at `path`).
fn classify(rel: &str, is_dir: bool, path: &Path, referenced: &BTreeSet<&str>) -> Entry {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        [OBJECTS] | [VERSIONS] if is_dir => Entry::Part,
        [sign::PUBLIC_KEY] if !is_dir => Entry::Part,
        [name] if !is_dir && name.starts_with(".sleutel.pub.tmp-") => Entry::Leftover,
        [OBJECTS, head] if is_dir && head.len() == 2 => Entry::Part,
        [OBJECTS, head, tail] if !is_dir => classify_object(head, tail, path, referenced),
        [VERSIONS, name] if !is_dir => classify_manifest(name),
        _ if is_dir => Entry::Stray("extra folder: not part of the store"),
        _ => Entry::Stray("extra file: not part of the store"),
    }
}

/// A file `objects/HEAD/TAIL`: a used object, a temporary file of an interrupted write, an
/// unused but complete object, or something else.
fn classify_object(head: &str, tail: &str, path: &Path, referenced: &BTreeSet<&str>) -> Entry {
    let name = format!("{head}{tail}");
    if tail.starts_with(".tmp-") {
        Entry::Leftover
    } else if !is_hash(&name) {
        Entry::Stray("extra file: not an object of this store")
    } else if referenced.contains(name.as_str()) {
        Entry::Part
    } else {
        match fs::read(path) {
            Ok(b) if sha256_hex(&b) == name => Entry::Leftover,
            _ => Entry::Stray(
                "extra file: belongs to no snapshot and its bytes do not match its name",
            ),
        }
    }
}

/// A file `versions/NAME`: a committed manifest, a temporary one of an interrupted create,
/// or something else.
fn classify_manifest(name: &str) -> Entry {
    let name = name.strip_suffix(sign::SIGNATURE_SUFFIX).unwrap_or(name);
    let committed = name
        .strip_suffix(".json")
        .is_some_and(|l| super::check_label(l).is_ok());
    let leftover = name.starts_with('.')
        && (name.contains(".json.tmp-") || name.contains(".json.minisig.tmp-"));
    if leftover {
        Entry::Leftover
    } else if !committed {
        Entry::Stray("extra file: not a snapshot manifest")
    } else {
        Entry::Part
    }
}

/// Reads the object named `hash` and hashes it again.
fn inspect(store: &Store, hash: &str) -> Found {
    if !is_hash(hash) {
        return Found::Missing;
    }
    let path = store.objects().path(hash);
    match fs::read(&path) {
        Ok(bytes) => Found::Bytes {
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::Missing,
        Err(e) => Found::Unreadable(e.to_string()),
    }
}
