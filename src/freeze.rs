//! `snapshot create`: builds the site for each profile into a private temporary folder and
//! freezes both renditions in the snapshot store as one new version (see [`crate::snapshot`]
//! for the store). It sits above the build: the store knows nothing of how a site is built.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fsutil;
use crate::output::Writer;
use crate::pipeline::{self, Archive, BuildOptions};
use crate::profile::Profile;
use crate::snapshot::{self, Frozen, Manifest, Store, manifest};

/// What to freeze.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The store; from `site.toml` (or `snapshots/`) when `None`.
    pub store: Option<PathBuf>,
    /// The new snapshot's label.
    pub label: String,
    /// A note to keep with it.
    pub note: String,
}

/// What a create did.
#[derive(Debug, Clone)]
pub struct Created {
    /// The committed manifest.
    pub manifest: Manifest,
    /// The id of the key that signed it, when `site.toml` names one.
    pub signed_by: Option<String>,
    /// Where it was written.
    pub path: PathBuf,
    /// Objects that were new to the store.
    pub new_objects: usize,
    /// Bytes those new objects take.
    pub new_bytes: u64,
}

/// Builds the site for each profile and freezes both renditions as a new snapshot: an
/// intranet build publishes the intranet rendition of each version, an openbaar build the
/// openbaar one, so that an archived copy never shows what its profile leaves out. Files
/// equal in both renditions (most of them) are stored once.
pub fn create(opts: &CreateOptions) -> Result<Created, Diagnostics> {
    snapshot::check_label(&opts.label)?;
    let config = config::load(&opts.root)?;
    let store = match &opts.store {
        Some(dir) => Store::at(dir),
        None => Store::of_site(&opts.root, &config),
    };
    store.check_new_label(&opts.label)?;
    let signer = snapshot::sign::Signer::of_site(&opts.root, &config)?;
    let tmp = TempDir::new()?;
    let intranet = freeze(&store, &opts.root, Profile::Intranet, &tmp.0)?;
    let openbaar = freeze(&store, &opts.root, Profile::Openbaar, &tmp.0)?;
    let (sources_sha256, sources) = snapshot::sources_hash(&opts.root, &config)?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        label: opts.label.clone(),
        note: opts.note.clone(),
        created: manifest::now_rfc3339(),
        raadsite_version: env!("CARGO_PKG_VERSION").to_owned(),
        base_url: config.base_url.clone(),
        sources_sha256,
        sources,
        files: intranet.files,
        openbaar: Some(openbaar.files),
    };
    let path = store.commit_signed(&manifest, signer.as_ref())?;
    Ok(Created {
        manifest,
        signed_by: signer.map(|s| snapshot::sign::key_id(s.public())),
        path,
        new_objects: intranet.new_objects + openbaar.new_objects,
        new_bytes: intranet.new_bytes + openbaar.new_bytes,
    })
}

/// Builds the site in `root` for `profile` into a folder under `tmp` and puts every file of
/// it into the store's objects.
fn freeze(store: &Store, root: &Path, profile: Profile, tmp: &Path) -> Result<Frozen, Diagnostics> {
    let out = tmp.join(profile.as_str());
    pipeline::build_with(
        &BuildOptions {
            root: root.to_path_buf(),
            output: Some(out.clone()),
            ..Default::default()
        },
        profile,
        Archive::Leave,
        &mut Writer::new(),
    )?;
    snapshot::store_folder(store, &out)
}

/// A temporary folder removed when dropped, also when the create fails half-way. It holds
/// the intranet build, so it is readable by its owner only (0700), and made new: a folder
/// of that name that someone else made beforehand is refused, never used.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, Diagnostic> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("raadsite-snapshot-{}-{nanos}", std::process::id()));
        std::os::unix::fs::DirBuilderExt::mode(&mut fs::DirBuilder::new(), 0o700)
            .create(&dir)
            .map_err(|e| fsutil::io_error(&dir, "could not create the build folder", &e))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
