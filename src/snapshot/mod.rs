//! Snapshots: immutable, verifiable versions of the built site.
//!
//! `snapshot create` ([`crate::freeze`]) builds the site twice into a temporary folder, once
//! for each profile, and freezes both renditions in a store (`snapshots/` at the site root
//! unless `site.toml` says `[snapshots] map = "..."`):
//!
//! ```text
//! snapshots/
//!   objects/ab/cdef...   every file once, named by the SHA-256 of its bytes
//!   versions/LABEL.json  one manifest per snapshot: label, note, time, and the path, size
//!                        and hash of every file of the intranet and of the openbaar build
//! ```
//!
//! Both renditions are frozen, rather than the sources, so that each is fixed the moment it
//! is made: a later raadsite or theme can never change what a version looked like, and the
//! manifest's hashes cover exactly the bytes that were published. An openbaar build publishes
//! the openbaar rendition of each version (see [`publish`]), so nothing an openbaar build
//! leaves out of the current site reaches its archive either. Files equal in both (most of
//! them: stylesheets, scripts, attachments, every page without personal details or links to
//! internal pages) are one object. A version frozen before openbaar renditions existed
//! (manifest format 1) has none: openbaar builds leave it out with a warning.
//!
//! Objects are written first and the manifest last, through a hard link that fails when the
//! label exists, so a failed or interrupted create never leaves a (partial) snapshot. The
//! frozen bytes are the plain build output; the archive banner is added only when `build`
//! publishes them under `archief/LABEL/` (see [`publish`]), as one delimited block that can be
//! cut out again to get the exact frozen bytes.

pub mod diff;
pub mod export;
pub mod html;
pub mod manifest;
pub mod publish;
pub mod sign;
pub mod store;
pub mod verify;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;
pub use manifest::{FileEntry, Manifest};
use store::{Objects, sha256_hex};

/// The store folder when `site.toml` names none.
pub const DEFAULT_STORE: &str = "snapshots";

/// The folder of the published archive in the output.
pub const ARCHIVE_DIR: &str = "archief";

/// A snapshot store on disk.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    objects: Objects,
}

impl Store {
    /// The store at `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        let dir = dir.into();
        Store {
            objects: Objects::new(&dir),
            dir,
        }
    }

    /// The store of the site in `root` with this configuration.
    pub fn of_site(root: &Path, config: &Config) -> Store {
        Store::at(root.join(config.snapshots.map.as_deref().unwrap_or(DEFAULT_STORE)))
    }

    /// The store of the site in `root`: `explicit` when given, else as `site.toml` says.
    pub fn locate(root: &Path, explicit: Option<&Path>) -> Result<Store, Diagnostics> {
        match explicit {
            Some(dir) => Ok(Store::at(dir)),
            None => Ok(Store::of_site(root, &config::load(root)?)),
        }
    }

    /// The store folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The object files.
    pub fn objects(&self) -> &Objects {
        &self.objects
    }

    fn versions(&self) -> PathBuf {
        self.dir.join(manifest::VERSIONS)
    }

    fn manifest_path(&self, label: &str) -> PathBuf {
        self.versions().join(format!("{label}.json"))
    }

    /// The manifest file of `label` (which need not exist).
    pub fn manifest_file(&self, label: &str) -> PathBuf {
        self.manifest_path(label)
    }

    /// The signature file of `label`'s manifest (which need not exist).
    pub fn signature_file(&self, label: &str) -> PathBuf {
        sign::signature_path(&self.manifest_path(label))
    }

    /// True when `label`'s manifest has a signature beside it.
    pub fn is_signed(&self, label: &str) -> bool {
        self.signature_file(label).is_file()
    }

    /// The store's public key file, `sleutel.pub` (which need not exist).
    pub fn public_key_file(&self) -> PathBuf {
        self.dir.join(sign::PUBLIC_KEY)
    }

    /// `versions/LABEL.json` relative to nothing, for messages.
    fn shown(&self, label: &str) -> PathBuf {
        self.dir
            .join(manifest::VERSIONS)
            .join(format!("{label}.json"))
    }

    /// Labels of the committed snapshots, sorted by name.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = fs::read_dir(self.versions())
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let label = name.strip_suffix(".json")?;
                (check_label(label).is_ok() && e.path().is_file()).then(|| label.to_owned())
            })
            .collect();
        labels.sort();
        labels
    }

    /// True when at least one snapshot exists.
    pub fn has_snapshots(&self) -> bool {
        !self.labels().is_empty()
    }

    /// The manifest of one snapshot.
    pub fn manifest(&self, label: &str) -> Result<Manifest, Diagnostic> {
        check_label(label)?;
        let path = self.manifest_path(label);
        if !path.is_file() {
            let known = self.labels();
            let refs: Vec<&str> = known.iter().map(String::as_str).collect();
            let help = match crate::diagnostics::suggest(label, &refs) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None if known.is_empty() => "the store holds no snapshots yet".to_owned(),
                None => format!("snapshots: {}", known.join(", ")),
            };
            return Err(Diagnostic::general(format!(
                "no snapshot labelled \"{label}\" in {}",
                self.dir.display()
            ))
            .with_help(help));
        }
        let m = Manifest::load(&path, &self.shown(label))?;
        if m.label != label {
            return Err(Diagnostic::in_file(
                self.shown(label),
                format!("the manifest is labelled \"{}\", not \"{label}\"", m.label),
            ));
        }
        Ok(m)
    }

    /// Every snapshot, oldest first (by creation time, then label).
    pub fn manifests(&self) -> Result<Vec<Manifest>, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut all = Vec::new();
        for label in self.labels() {
            match self.manifest(&label) {
                Ok(m) => all.push(m),
                Err(d) => diags.push(d),
            }
        }
        all.sort_by(|a, b| (&a.created, &a.label).cmp(&(&b.created, &b.label)));
        diags.into_result(all)
    }

    /// Total size of the object files, in bytes, and their number.
    pub fn disk_usage(&self) -> (u64, usize) {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .fold((0, 0), |(bytes, n), e| {
                (bytes + e.metadata().map_or(0, |m| m.len()), n + 1)
            })
    }
}

/// Checks a snapshot label: 1 to 64 characters, letters, digits, `-`, `_` and `.`, starting
/// with a letter or digit, so it is safe as a file name and as a URL segment.
pub fn check_label(label: &str) -> Result<(), Diagnostic> {
    let ok = !label.is_empty()
        && label.len() <= 64
        && label.as_bytes()[0].is_ascii_alphanumeric()
        && !label.contains("..")
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(
            Diagnostic::general(format!("unusable snapshot label \"{label}\"")).with_help(
                "use 1 to 64 letters, digits, '-', '_' or '.', e.g. 2026-05-07 or raad-2026-mei",
            ),
        )
    }
}

impl Store {
    /// An error unless `label` is unused in this store: snapshots never change.
    pub fn check_new_label(&self, label: &str) -> Result<(), Diagnostic> {
        if !self.manifest_path(label).exists() {
            return Ok(());
        }
        Err(Diagnostic::general(format!(
            "a snapshot labelled \"{label}\" already exists in {}",
            self.dir.display()
        ))
        .with_help("snapshots never change; choose a new label"))
    }

    /// Writes `manifest` as a new version, after its objects are in the store; returns its
    /// path. Fails, writing nothing, when the label exists.
    pub fn commit(&self, manifest: &Manifest) -> Result<PathBuf, Diagnostic> {
        manifest.commit(&self.versions()).map_err(|d| {
            if d.message.contains("already exists") {
                d.with_help("snapshots never change; choose a new label")
            } else {
                d
            }
        })
    }
}

impl Store {
    /// Writes `manifest` as a new version like [`Store::commit`], signed by `signer` when
    /// there is one: the signature is written first (beside where the manifest goes), so a
    /// version never exists unsigned when a key is configured, and the store keeps the public
    /// key as `sleutel.pub`. Fails when the store's versions are signed by another key.
    pub fn commit_signed(
        &self,
        manifest: &Manifest,
        signer: Option<&sign::Signer>,
    ) -> Result<PathBuf, Diagnostic> {
        let Some(signer) = signer else {
            return self.commit(manifest);
        };
        self.keep_public_key(signer)?;
        let trusted = format!(
            "raadsite snapshot {} created {} sources {}",
            manifest.label, manifest.created, manifest.sources_sha256
        );
        let signature = signer.sign(manifest.to_json().as_bytes(), &trusted)?;
        let sig_path = self.signature_file(&manifest.label);
        sign::write_new(&sig_path, &signature)
            .map_err(|d| d.with_help("snapshots never change; choose a new label"))?;
        self.commit(manifest).inspect_err(|_| {
            let _ = fs::remove_file(&sig_path);
        })
    }

    /// Writes the signer's public key as `sleutel.pub` unless the store has it; fails when the
    /// store holds another key.
    fn keep_public_key(&self, signer: &sign::Signer) -> Result<(), Diagnostic> {
        let path = self.public_key_file();
        if path.is_file() {
            let kept = sign::read_public_key(&path)?;
            if kept.to_bytes() != signer.public().to_bytes() {
                return Err(Diagnostic::in_file(
                    &path,
                    format!(
                        "the store's versions are signed with key {}, but [snapshots] sleutel is key {}",
                        sign::key_id(&kept),
                        sign::key_id(signer.public())
                    ),
                )
                .with_help("sign with the store's key, or start a new store for the new key"));
            }
            return Ok(());
        }
        sign::write_new(&path, &sign::public_key_file(signer.public())?)
    }
}

/// One rendition as frozen: its files, and the objects it added to the store.
pub struct Frozen {
    /// Every file of the rendition, sorted by path.
    pub files: Vec<FileEntry>,
    /// Objects that were new to the store.
    pub new_objects: usize,
    /// Bytes those new objects take.
    pub new_bytes: u64,
}

/// Puts every file of the built site in `out` into the store's objects.
pub fn store_folder(store: &Store, out: &Path) -> Result<Frozen, Diagnostics> {
    let stored: Vec<Result<(FileEntry, Option<u64>), Diagnostic>> = files_of(out)
        .par_iter()
        .map(|(rel, path)| store_file(store, rel, path))
        .collect();
    let mut diags = Diagnostics::new();
    let mut frozen = Frozen {
        files: Vec::with_capacity(stored.len()),
        new_objects: 0,
        new_bytes: 0,
    };
    for r in stored {
        match r {
            Ok((entry, new)) => {
                if let Some(n) = new {
                    frozen.new_objects += 1;
                    frozen.new_bytes += n;
                }
                frozen.files.push(entry);
            }
            Err(d) => diags.push(d),
        }
    }
    diags.into_result(frozen)
}

/// Every file under `out` as (path relative to it with `/`, full path), sorted.
fn files_of(out: &Path) -> Vec<(String, PathBuf)> {
    let mut paths: Vec<(String, PathBuf)> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect();
    paths.sort();
    paths
}

/// Stores one built file; with its size when it was new to the store.
fn store_file(
    store: &Store,
    rel: &str,
    path: &Path,
) -> Result<(FileEntry, Option<u64>), Diagnostic> {
    let bytes = fs::read(path).map_err(|e| fsutil::io_error(path, "could not read", &e))?;
    let sha256 = sha256_hex(&bytes);
    let new = store.objects.put(&sha256, &bytes)?;
    let title = manifest::is_page(rel)
        .then(|| html::title(&String::from_utf8_lossy(&bytes)))
        .flatten();
    let entry = FileEntry {
        path: rel.to_owned(),
        size: bytes.len() as u64,
        sha256,
        title,
    };
    Ok((entry, new.then_some(bytes.len() as u64)))
}

/// SHA-256 over every source of the site, and their number: `site.toml`, `content/`,
/// `templates/`, `static/` and `themes/<theme>/`. Each file contributes the line
/// `path NUL sha256-hex LF`, in byte order of the paths (with `/`), so the hash changes when
/// any file is added, removed, renamed or edited. The files of a built-in theme that
/// `themes/<theme>/` does not have count as if they were there, so the hash is the same
/// whether the theme is on disk or built in.
pub fn sources_hash(root: &Path, config: &Config) -> Result<(String, usize), Diagnostic> {
    let mut files: Vec<(String, Option<&[u8]>)> = vec![("site.toml".to_owned(), None)];
    let theme = format!("themes/{}", config.theme);
    for dir in ["content", "templates", "static", theme.as_str()] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(rel) = e.path().strip_prefix(root) {
                files.push((rel.to_string_lossy().replace('\\', "/"), None));
            }
        }
    }
    files.sort();
    if let Some(builtin) = crate::render::theme::builtin(&config.theme) {
        let absent: Vec<(String, Option<&[u8]>)> = builtin
            .files
            .iter()
            .map(|(rel, bytes)| (format!("{theme}/{rel}"), Some(*bytes)))
            .filter(|(path, _)| files.binary_search_by(|(p, _)| p.cmp(path)).is_err())
            .collect();
        files.extend(absent);
        files.sort();
    }
    let lines: Result<Vec<String>, Diagnostic> = files
        .par_iter()
        .map(|(rel, builtin)| {
            let bytes = match builtin {
                Some(bytes) => std::borrow::Cow::Borrowed(*bytes),
                None => std::borrow::Cow::Owned(
                    fs::read(root.join(rel))
                        .map_err(|e| fsutil::io_error(Path::new(rel), "could not read", &e))?,
                ),
            };
            Ok(format!("{rel}\0{}\n", sha256_hex(&bytes)))
        })
        .collect();
    Ok((sha256_hex(lines?.concat().as_bytes()), files.len()))
}
