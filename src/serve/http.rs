//! The HTTP side of `serve`: mapping request paths onto the output folder without ever
//! leaving it, content types, and the live-reload script added to served HTML.

use std::path::{Component, Path, PathBuf};

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file inside the output folder.
    File(PathBuf),
    /// A folder requested without its trailing slash: redirect here, so that relative
    /// links in its index.html resolve.
    Redirect(String),
    /// Nothing (or something outside the output folder).
    NotFound,
}

/// Maps the request target `url` (path and query, as sent) onto a file of `root`. Every
/// segment is percent-decoded first, so `%2e%2e` and `%2f` cannot climb out; symbolic links
/// that point outside `root` are refused too.
pub fn resolve(root: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = crate::links::percent_decode_strict(path) else {
        return Target::NotFound;
    };
    if !decoded.starts_with('/') {
        return Target::NotFound;
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        if segment.is_empty() || segment == "." {
            continue;
        }
        if segment == ".." || segment.contains(['\\', '\0']) || segment.starts_with('.') {
            return Target::NotFound;
        }
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(p)), None) => file.push(p),
            _ => return Target::NotFound,
        }
    }
    let (Ok(real), Ok(real_root)) = (file.canonicalize(), root.canonicalize()) else {
        return Target::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Target::NotFound;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            return Target::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

/// The path of the long-poll endpoint the live-reload script asks for news.
pub const WAIT_PATH: &str = "/__raadsite/wacht";

/// The live-reload script; `WAIT_PATH`, `GENERATION` and `ERROR` in it are filled in per
/// page, in that order: the error text goes in last, so nothing in it is taken for a
/// placeholder.
const LIVE_RELOAD: &str = include_str!("live-reload.js");

/// Adds the live-reload script to an HTML page, before `</body>` when there is one. The
/// script knows the build it was served from and any current build error, which it shows
/// as an overlay; when a newer build succeeds it reloads the page.
pub fn inject(html: &[u8], generation: u64, error: Option<&str>) -> Vec<u8> {
    let error = error.map_or_else(|| "null".to_owned(), crate::json::script_string);
    let script = format!(
        "<script>{}</script>\n",
        LIVE_RELOAD
            .trim_end()
            .replacen("WAIT_PATH", WAIT_PATH, 1)
            .replacen("GENERATION", &generation.to_string(), 1)
            .replacen("ERROR", &error, 1)
    );
    let tail = b"</body>";
    let at = html
        .windows(tail.len())
        .rposition(|w| w.eq_ignore_ascii_case(tail))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("brieven/a")).unwrap();
        std::fs::write(out.join("index.html"), "x").unwrap();
        std::fs::write(out.join("brieven/a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("geheim.txt"), "x").unwrap();
        let real = |p: &str| out.canonicalize().unwrap().join(p);
        assert_eq!(resolve(&out, "/"), Target::File(real("index.html")));
        assert_eq!(
            resolve(&out, "/brieven/a/?x=1"),
            Target::File(real("brieven/a/index.html"))
        );
        assert_eq!(
            resolve(&out, "/brieven/a"),
            Target::Redirect("/brieven/a/".into())
        );
        for bad in [
            "/../geheim.txt",
            "/%2e%2e/geheim.txt",
            "/%2E%2E%2fgeheim.txt",
            "/brieven/..%2f..%2fgeheim.txt",
            "/..%5cgeheim.txt",
            "/%00",
            "/%zz",
            "geheim.txt",
            "/nergens.html",
        ] {
            assert_eq!(resolve(&out, bad), Target::NotFound, "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let html = inject(
            b"<html><body><p>x</p></body></html>",
            3,
            Some("fout </script>"),
        );
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("var g = 3, f = \"fout \\u003c/script\\u003e\";"));
        assert!(text.ends_with("</script>\n</body></html>"));
    }
}
