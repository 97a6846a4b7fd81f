//! Checking a store: every file of every (or one) snapshot is read back and hashed again, and
//! the store is searched for files that belong to no snapshot.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use rayon::prelude::*;

use super::manifest::VERSIONS;
use super::store::{OBJECTS, is_hash, sha256_hex};
use super::{Manifest, Store};
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
    let mut problems = Vec::new();
    let mut all: Vec<Manifest> = Vec::new();
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
    let chosen: Vec<Manifest> = match label {
        Some(l) => vec![store.manifest(l)?],
        None => all.clone(),
    };
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
        let problem = |message: String| Problem {
            label: Some(m.label.clone()),
            file: match profile {
                Profile::Intranet => f.path.clone(),
                Profile::Openbaar => format!("{} (openbaar)", f.path),
            },
            message,
        };
        let object = store.objects().shown(&f.sha256);
        if !is_hash(&f.sha256) {
            problems.push(problem(format!(
                "the manifest gives no valid SHA-256 (\"{}\")",
                f.sha256
            )));
            continue;
        }
        match &found[f.sha256.as_str()] {
            Found::Missing => problems.push(problem(format!("missing: object {object} is gone"))),
            Found::Unreadable(e) => {
                problems.push(problem(format!("object {object} cannot be read: {e}")))
            }
            Found::Bytes { size, sha256 } if *size != f.size || *sha256 != f.sha256 => {
                let how = match size.cmp(&f.size) {
                    std::cmp::Ordering::Greater => format!("{} extra bytes", size - f.size),
                    std::cmp::Ordering::Less => format!("{} bytes missing", f.size - size),
                    std::cmp::Ordering::Equal => "same size, different bytes".to_owned(),
                };
                problems.push(problem(format!(
                    "changed: object {object} has SHA-256 {sha256} ({how}), the manifest says {}",
                    f.sha256
                )));
            }
            Found::Bytes { .. } => {}
        }
    }

    let referenced: BTreeSet<&str> = all
        .iter()
        .flat_map(|m| m.all_files().map(|f| f.sha256.as_str()))
        .collect();
    let mut unreferenced = Vec::new();
    let stray = |file: String, message: &str| Problem {
        label: None,
        file,
        message: message.to_owned(),
    };
    for e in walkdir::WalkDir::new(store.dir())
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = e.path().strip_prefix(store.dir()) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel.split('/').collect();
        let is_dir = e.file_type().is_dir();
        match parts.as_slice() {
            [OBJECTS] | [VERSIONS] if is_dir => {}
            [OBJECTS, head] if is_dir && head.len() == 2 => {}
            [OBJECTS, head, tail] if !is_dir => {
                let name = format!("{head}{tail}");
                if tail.starts_with(".tmp-") {
                    unreferenced.push(rel.clone());
                } else if !is_hash(&name) {
                    problems.push(stray(
                        rel.clone(),
                        "extra file: not an object of this store",
                    ));
                } else if !referenced.contains(name.as_str()) {
                    match fs::read(e.path()) {
                        Ok(b) if sha256_hex(&b) == name => unreferenced.push(rel.clone()),
                        _ => problems.push(stray(
                            rel.clone(),
                            "extra file: belongs to no snapshot and its bytes do not match its name",
                        )),
                    }
                }
            }
            [VERSIONS, name] if !is_dir => {
                let committed = name
                    .strip_suffix(".json")
                    .is_some_and(|l| super::check_label(l).is_ok());
                let leftover = name.starts_with('.') && name.contains(".json.tmp-");
                if leftover {
                    unreferenced.push(rel.clone());
                } else if !committed {
                    problems.push(stray(rel.clone(), "extra file: not a snapshot manifest"));
                }
            }
            _ => problems.push(stray(
                rel.clone(),
                if is_dir {
                    "extra folder: not part of the store"
                } else {
                    "extra file: not part of the store"
                },
            )),
        }
    }
    problems.sort();
    unreferenced.sort();
    Ok(Verified {
        snapshots: chosen.iter().map(|m| m.label.clone()).collect(),
        files,
        problems,
        unreferenced,
    })
}

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
