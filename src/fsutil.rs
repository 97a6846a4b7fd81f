//! File-system calls whose errors name the path they concern.

use std::fs;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The part of `path` below `dir`, with `/` between names, when `path` was made by joining
/// names to `dir` (as walkdir makes the paths of a walk): then it is only cut off, which is
/// much cheaper than taking both paths apart into components. `None` for any other path.
pub fn joined_below<'a>(dir: &Path, path: &'a Path) -> Option<&'a [u8]> {
    use std::os::unix::ffi::OsStrExt;
    let (d, p) = (dir.as_os_str().as_bytes(), path.as_os_str().as_bytes());
    let rest = p.strip_prefix(d)?;
    let rest = rest
        .strip_prefix(b"/")
        .or(d.ends_with(b"/").then_some(rest))?;
    let plain = !rest.is_empty()
        && !rest.starts_with(b"/")
        && !rest.ends_with(b"/")
        && !rest.windows(2).any(|w| w == b"//")
        && !rest.split(|&c| c == b'/').any(|n| n == b"." || n == b"..");
    plain.then_some(rest)
}

/// Reads a UTF-8 text file; a BOM is dropped, CRLF line endings become LF.
pub fn read_text(path: &Path, shown_as: &Path) -> Result<String, Diagnostic> {
    decode_text(read(path, shown_as)?, shown_as)
}

/// Reads a file's bytes.
pub fn read(path: &Path, shown_as: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_unsized(path).map_err(|e| io_error(shown_as, "could not read", &e))
}

/// Reads a file into a buffer kept per thread and copies it out at its exact size:
/// `fs::read` (and `File::read_to_end`) first ask for the size, one more system call for
/// each of thousands of small sources.
fn read_unsized(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    const KEPT: usize = 256 * 1024;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = fs::File::open(path)?;
    BUFFER.with_borrow_mut(|buf| {
        buf.resize(KEPT, 0);
        let mut filled = 0;
        loop {
            match file.read(&mut buf[filled..]) {
                Ok(0) => return Ok(buf[..filled].to_vec()),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if filled == KEPT {
                // A large file: the rest is read at the size the file system gives.
                let mut bytes = buf.clone();
                file.read_to_end(&mut bytes)?;
                return Ok(bytes);
            }
        }
    })
}

/// The text of a file read as `bytes`: UTF-8 required, a BOM dropped, CRLF made LF.
pub fn decode_text(bytes: Vec<u8>, shown_as: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::in_file(shown_as, "file is not valid UTF-8")
            .at(line, 1)
            .with_help("save the file with UTF-8 encoding")
    })?;
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Checks that `root`, given as a site folder, is a folder.
pub fn site_folder(root: &Path) -> Result<(), Diagnostic> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Diagnostic::general(format!(
        "the site folder {} does not exist or is not a folder",
        root.display()
    ))
    .with_help("pass the folder that holds site.toml with --root DIR")
    .io())
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<(), Diagnostic> {
    fs::create_dir_all(path).map_err(|e| io_error(path, "could not create folder", &e))
}

/// Copies a file.
pub fn copy(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| io_error(from, &format!("could not copy to {}", to.display()), &e))
}

/// An I/O failure on `path`, with the operating system's reason.
pub fn io_error(path: &Path, what: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::in_file(path, format!("{what}: {err}")).io()
}

#[cfg(test)]
mod tests {
    use super::{joined_below, read};
    use std::path::Path;

    #[test]
    fn reads_files_of_any_size_whole() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        // Small after large and empty after small: the kept buffer must not leak bytes.
        let exact = vec![7u8; 256 * 1024];
        for bytes in [
            b"kort".to_vec(),
            big,
            exact,
            b"ook kort".to_vec(),
            Vec::new(),
        ] {
            let path = dir.path().join("f");
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read(&path, &path).unwrap(), bytes);
        }
        let missing = dir.path().join("ontbreekt.md");
        let err = read(&missing, Path::new("content/ontbreekt.md")).unwrap_err();
        assert!(err.to_string().contains("content/ontbreekt.md"), "{err}");
    }

    #[test]
    fn cuts_only_paths_joined_below_the_folder() {
        fn below<'a>(d: &str, p: &'a str) -> Option<&'a [u8]> {
            joined_below(Path::new(d), Path::new(p))
        }
        assert_eq!(
            below("site/content", "site/content/a/b.md"),
            Some(&b"a/b.md"[..])
        );
        assert_eq!(
            below("site/content/", "site/content/a.md"),
            Some(&b"a.md"[..])
        );
        assert_eq!(below("/", "/a/b"), Some(&b"a/b"[..]));
        assert_eq!(below("site/content", "site/contents/a.md"), None);
        assert_eq!(below("site/content", "site/content"), None);
        assert_eq!(below("site/content", "site/content//a.md"), None);
        assert_eq!(below("site/content", "site/content/./a.md"), None);
        assert_eq!(below("site/content", "site/content/a/../b.md"), None);
    }
}
