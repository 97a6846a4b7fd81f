//! The `raadsite snapshot ...` subcommands: argument parsing and printing only.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::counted;
use clap::{Args, Subcommand, ValueEnum};
use raadsite::Diagnostics;
use raadsite::snapshot::diff::Line;
use raadsite::snapshot::export::Format;
use raadsite::snapshot::{self, Store};

#[derive(Args)]
pub struct Location {
    /// The site folder, holding site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The snapshot store [default: as [snapshots] map in site.toml, else DIR/snapshots]
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

impl Location {
    fn store(&self) -> Result<Store, Diagnostics> {
        Store::locate(&self.root, self.store.as_deref())
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// A zip archive that opens offline
    Zip,
    /// A WARC 1.1 file (ISO 28500) for web archives
    Warc,
    /// An MDTO 1.0.1 package for an e-Depot: a new folder, or a .zip file
    Mdto,
}

#[derive(Subcommand)]
pub enum SnapshotCommand {
    /// Build the site and freeze it as a new, unchangeable version
    Create {
        /// Name of the version, e.g. 2026-05-07 or raad-2026-mei
        label: String,
        /// A note to keep with the version
        #[arg(long, default_value = "", value_name = "TEXT")]
        note: String,
        #[command(flatten)]
        at: Location,
    },
    /// List the versions: label, date, note, pages, size
    List {
        #[command(flatten)]
        at: Location,
    },
    /// Recompute every hash and report any changed, missing or extra file
    Verify {
        /// Only this version [default: all]
        label: Option<String>,
        /// Check the signatures with this minisign public key [default: the store's sleutel.pub]
        #[arg(long, value_name = "FILE")]
        public_key: Option<PathBuf>,
        #[command(flatten)]
        at: Location,
    },
    /// Show documents added, removed and changed between two versions
    Diff {
        /// The older version
        from: String,
        /// The newer version
        to: String,
        /// Which rendition: intranet (everything) or openbaar (as the public site shows it)
        #[arg(long, default_value = "intranet", value_parser = crate::profile_parser())]
        profile: raadsite::Profile,
        #[command(flatten)]
        at: Location,
    },
    /// Write one version to a zip, a WARC file or an MDTO package
    Export {
        /// The version to export
        label: String,
        /// zip, warc or mdto
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The file to write (for mdto: a new folder, or a file ending in .zip)
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// Which rendition: intranet (everything) or openbaar (as the public site shows it)
        #[arg(long, default_value = "intranet", value_parser = crate::profile_parser())]
        profile: raadsite::Profile,
        #[command(flatten)]
        at: Location,
    },
}

/// Runs a snapshot subcommand; on failure prints its problems and which subcommand failed.
pub fn run(cmd: SnapshotCommand) -> ExitCode {
    let verb = match &cmd {
        SnapshotCommand::Create { .. } => "create",
        SnapshotCommand::List { .. } => "list",
        SnapshotCommand::Verify { .. } => "verify",
        SnapshotCommand::Diff { .. } => "diff",
        SnapshotCommand::Export { .. } => "export",
    };
    match execute(cmd) {
        Ok(code) => code,
        Err(diags) => {
            for d in diags.iter() {
                eprintln!("{d}\n");
            }
            eprintln!("error: snapshot {verb} failed");
            ExitCode::FAILURE
        }
    }
}

/// Runs one snapshot subcommand; its problems go back to [`run`] to print.
fn execute(cmd: SnapshotCommand) -> Result<ExitCode, Diagnostics> {
    match cmd {
        SnapshotCommand::Create { label, note, at } => create(label, note, at),
        SnapshotCommand::List { at } => list(&at),
        SnapshotCommand::Verify {
            label,
            public_key,
            at,
        } => verify(label.as_deref(), public_key.as_deref(), &at),
        SnapshotCommand::Diff {
            from,
            to,
            profile,
            at,
        } => diff(&from, &to, profile, &at),
        SnapshotCommand::Export {
            label,
            format,
            output,
            profile,
            at,
        } => export(&label, format, &output, profile, &at),
    }
}

/// `snapshot create`: freezes a new version and sums up what it holds and what it added.
fn create(label: String, note: String, at: Location) -> Result<ExitCode, Diagnostics> {
    let created = raadsite::freeze::create(&raadsite::freeze::CreateOptions {
        root: at.root,
        store: at.store,
        label,
        note,
    })?;
    let m = &created.manifest;
    let public = m
        .rendition(raadsite::Profile::Openbaar)
        .map_or(0, <[_]>::len);
    println!(
        "Created snapshot {} (intranet {}, {}, {}; openbaar {}) at {}; \
         {} ({}) stored in {}",
        m.label,
        counted(m.files.len(), "file", "files"),
        counted(m.pages(), "page", "pages"),
        size(m.size()),
        counted(public, "file", "files"),
        m.created,
        counted(created.new_objects, "new object", "new objects"),
        size(created.new_bytes),
        created.path.display()
    );
    match &created.signed_by {
        Some(key) => println!("Signed with key {key}: {}.minisig", created.path.display()),
        None => println!("Unsigned: site.toml names no [snapshots] sleutel"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `snapshot list`: a table of the versions, then the store's size.
fn list(at: &Location) -> Result<ExitCode, Diagnostics> {
    let store = at.store()?;
    let all = store.manifests()?;
    if all.is_empty() {
        println!("No snapshots in {}", store.dir().display());
        return Ok(ExitCode::SUCCESS);
    }
    let width = all.iter().map(|m| m.label.len()).max().unwrap_or(5).max(5);
    println!(
        "{:width$}  {:20}  {:>5}  {:>9}  {:8}  NOTE",
        "LABEL", "CREATED (UTC)", "PAGES", "SIZE", "SIGNED"
    );
    for m in &all {
        println!(
            "{:width$}  {:20}  {:>5}  {:>9}  {:8}  {}",
            m.label,
            m.created,
            m.pages(),
            size(m.size()),
            if store.is_signed(&m.label) {
                "signed"
            } else {
                "unsigned"
            },
            m.note
        );
    }
    let (bytes, files) = store.disk_usage();
    let plain: u64 = all.iter().map(|m| m.size()).sum();
    println!(
        "{}, {} as plain copies; the store takes {} in {}",
        counted(all.len(), "snapshot", "snapshots"),
        size(plain),
        size(bytes),
        counted(files, "file", "files")
    );
    Ok(ExitCode::SUCCESS)
}

/// `snapshot verify`: every problem on stderr, a note on stray leftovers, and the verdict;
/// fails when anything is wrong.
fn verify(
    label: Option<&str>,
    key: Option<&std::path::Path>,
    at: &Location,
) -> Result<ExitCode, Diagnostics> {
    let store = at.store()?;
    let v = snapshot::verify::verify_with(&store, label, key)?;
    if v.snapshots.is_empty() && v.ok() {
        println!("No snapshots in {}", store.dir().display());
        return Ok(ExitCode::SUCCESS);
    }
    for p in &v.problems {
        match &p.label {
            Some(l) => eprintln!("error: {l}: {}: {}", p.file, p.message),
            None => eprintln!("error: {}: {}", p.file, p.message),
        }
    }
    if !v.unreferenced.is_empty() {
        println!(
            "note: {} in the store {} to no snapshot (left by an interrupted create; harmless)",
            counted(v.unreferenced.len(), "file", "files"),
            if v.unreferenced.len() == 1 {
                "belongs"
            } else {
                "belong"
            }
        );
    }
    if !v.ok() {
        eprintln!(
            "error: verification failed with {} in {}",
            counted(v.problems.len(), "problem", "problems"),
            store.dir().display()
        );
        return Ok(ExitCode::FAILURE);
    }
    if !v.unsigned.is_empty() {
        println!(
            "note: unsigned (made before [snapshots] sleutel was set): {}",
            v.unsigned.join(", ")
        );
    }
    println!(
        "Verified {}, {}: all intact; {} valid",
        counted(v.snapshots.len(), "snapshot", "snapshots"),
        counted(v.files, "file", "files"),
        counted(v.signed.len(), "signature", "signatures")
    );
    Ok(ExitCode::SUCCESS)
}

/// `snapshot diff`: the documents added, removed and changed, with the changed lines.
fn diff(
    from: &str,
    to: &str,
    profile: raadsite::Profile,
    at: &Location,
) -> Result<ExitCode, Diagnostics> {
    let store = at.store()?;
    let d = snapshot::diff::diff(&store, from, to, profile)?;
    if d.is_empty() {
        println!("{from} and {to} are identical");
    }
    for doc in &d.added {
        println!("added:   {} ({})", doc.name(), doc.path);
    }
    for doc in &d.removed {
        println!("removed: {} ({})", doc.name(), doc.path);
    }
    for c in &d.changed {
        println!("changed: {} ({})", c.document.name(), c.document.path);
        if let Some(old) = &c.old_title {
            println!("         was titled: {old}");
        }
        for hunk in &c.hunks {
            print_hunk(hunk);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One hunk of a changed document, each line marked as kept, removed or added.
fn print_hunk(hunk: &[Line]) {
    println!("    @@");
    for line in hunk {
        match line {
            Line::Same(t) => println!("      {t}"),
            Line::Removed(t) => println!("    - {t}"),
            Line::Added(t) => println!("    + {t}"),
        }
    }
}

/// `snapshot export`: writes one rendition of a version to a zip or WARC file.
fn export(
    label: &str,
    format: ExportFormat,
    output: &std::path::Path,
    profile: raadsite::Profile,
    at: &Location,
) -> Result<ExitCode, Diagnostics> {
    let store = at.store()?;
    let e = match format {
        ExportFormat::Zip => snapshot::export::export(&store, label, profile, Format::Zip, output)?,
        ExportFormat::Warc => {
            snapshot::export::export(&store, label, profile, Format::Warc, output)?
        }
        ExportFormat::Mdto => {
            let config = raadsite::config::load(&at.root)?;
            let settings = snapshot::export::mdto::Settings::of(&config)?;
            snapshot::export::export_mdto(&store, label, profile, &settings, output)?
        }
    };
    println!(
        "Exported snapshot {label} ({profile}, {}) to {} ({})",
        counted(e.files, "file", "files"),
        e.path.display(),
        size(e.bytes)
    );
    Ok(ExitCode::SUCCESS)
}

/// A size in bytes as people read it: B, KiB or MiB.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 10 * 1024 * 1024 => format!("{:.1} MiB", b as f64 / 1_048_576.0),
        b if b >= 10 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
