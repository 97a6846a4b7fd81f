//! Compiles the built-in theme, `themes/raad/templates/` and `themes/raad/static/`, into the
//! binary, so that a site without a `themes/` folder builds.
//!
//! A build script that writes a table of `include_bytes!` rather than the `include_dir`
//! crate: it needs no dependency, and cargo runs it again whenever a file under
//! `themes/raad/` is changed, added or removed (`rerun-if-changed` on a folder looks at
//! every file in it), while `include_dir` on stable Rust does not notice added files. The
//! table is sorted by path, so the binary is the same whatever order the file system lists.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The built-in themes: name, and folder relative to the crate root.
const THEMES: &[(&str, &str)] = &[("raad", "themes/raad")];

/// The parts of a theme that are compiled in.
const PARTS: &[&str] = &["templates", "static"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut out = String::new();
    out.push_str(
        "/// The built-in themes: name, and files as (path in the theme folder, bytes).\n",
    );
    out.push_str("pub static BUILTIN_THEMES: &[(&str, Files)] = &[\n");
    for (name, dir) in THEMES {
        println!("cargo:rerun-if-changed={dir}");
        let root = manifest.join(dir);
        let mut files = Vec::new();
        for part in PARTS {
            collect(&root.join(part), part, &mut files);
        }
        files.sort();
        assert!(
            !files.is_empty(),
            "the built-in theme {name} has no files in {dir}"
        );
        let _ = writeln!(out, "    ({name:?}, &[");
        for (rel, path) in files {
            let _ = writeln!(
                out,
                "        ({rel:?}, include_bytes!({:?})),",
                path.display().to_string()
            );
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    std::fs::write(dest.join("builtin_themes.rs"), out).expect("OUT_DIR is writable");
}

/// Every file under `dir` (hidden ones left out, as the theme loader does) as
/// (`prefix/relative/path` with `/`, full path).
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("the theme folder is readable");
        let name = entry
            .file_name()
            .into_string()
            .expect("theme file names are UTF-8");
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel = format!("{prefix}/{name}");
        if path.is_dir() {
            collect(&path, &rel, files);
        } else {
            files.push((rel, path));
        }
    }
}
