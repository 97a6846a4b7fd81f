//! Test helpers: a fixture site copied into a temporary folder, built end to end, with
//! assertions on the produced files and on the messages a user sees.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use raadsite::{BuildOptions, Diagnostics, Report};

/// The repository root: the example site and the theme.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of the `raadsite` command line did.
pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `raadsite <args> --root <root>` with `env` set.
pub fn cli(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args(args)
        .arg("--root")
        .arg(root)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `r`, after asserting that its command succeeded.
pub fn ok(r: Run) -> Run {
    assert!(r.ok, "command failed:\n{}\n{}", r.stdout, r.stderr);
    r
}

/// `r`, after asserting that its command failed.
pub fn fails(r: Run) -> Run {
    assert!(!r.ok, "command should have failed:\n{}", r.stdout);
    r
}

/// Runs `raadsite check --root <root> <args>`: (exit code, stdout, stderr).
pub fn check(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let r = cli(root, &[&["check"], args].concat(), &[]);
    (r.code, r.stdout, r.stderr)
}

/// A site in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` and the repository's `themes/` into a new folder.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("tests/fixtures").join(name), dir.path());
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        TestSite { dir }
    }

    /// Copies `tests/fixtures/<name>` alone, without `themes/`: the site builds with the
    /// theme built into raadsite, as a site of one's own does.
    pub fn bare(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("tests/fixtures").join(name), dir.path());
        TestSite { dir }
    }

    /// A site made by `raadsite init` in a new folder.
    pub fn init() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        raadsite::init::create(dir.path()).unwrap();
        TestSite { dir }
    }

    /// The example site at the repository root.
    pub fn example() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        for part in ["site.toml", "content", "themes"] {
            copy_tree(&repo().join(part), &dir.path().join(part));
        }
        if repo().join("static").is_dir() {
            copy_tree(&repo().join("static"), &dir.path().join("static"));
        }
        TestSite { dir }
    }

    /// Writes (or overwrites) a file of the site.
    pub fn with_file(self, rel: &str, text: &str) -> TestSite {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Sets `base_url` in the site's `site.toml` (as a top-level key, before any table).
    pub fn with_base_url(self, url: &str) -> TestSite {
        let path = self.dir.path().join("site.toml");
        let toml = fs::read_to_string(&path).unwrap();
        assert!(
            !toml.contains("base_url"),
            "site.toml already has a base_url"
        );
        fs::write(path, format!("base_url = \"{url}\"\n{toml}")).unwrap();
        self
    }

    /// Removes a file of the site.
    pub fn without_file(self, rel: &str) -> TestSite {
        fs::remove_file(self.dir.path().join(rel)).unwrap();
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn try_build(&self) -> Result<Report, Diagnostics> {
        raadsite::build(&BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            ..Default::default()
        })
    }

    /// Builds and panics with the diagnostics if the build fails.
    pub fn build(self) -> Built {
        if let Err(d) = self.try_build() {
            panic!("build failed:\n{d}");
        }
        Built { site: self }
    }

    /// Builds, expects failure, and returns what the user would read.
    pub fn build_err(&self) -> String {
        match self.try_build() {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(d) => d.to_string(),
        }
    }
}

/// A site that was built.
pub struct Built {
    pub site: TestSite,
}

impl Built {
    pub fn out(&self) -> PathBuf {
        self.site.output()
    }

    /// The text of an output file; panics with the list of files when missing.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "{rel} not in output; files:\n{}",
                output_files(&self.out()).join("\n")
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    pub fn assert_contains(&self, rel: &str, needle: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(needle), "{rel} lacks {needle:?}:\n{text}");
        self
    }

    pub fn assert_lacks(&self, rel: &str, needle: &str) -> &Self {
        let text = self.read(rel);
        assert!(
            !text.contains(needle),
            "{rel} should not contain {needle:?}:\n{text}"
        );
        self
    }

    /// `a` appears before `b` in the file.
    pub fn assert_order(&self, rel: &str, a: &str, b: &str) -> &Self {
        let text = self.read(rel);
        let (ia, ib) = (text.find(a), text.find(b));
        assert!(
            matches!((ia, ib), (Some(x), Some(y)) if x < y),
            "{rel}: expected {a:?} before {b:?}"
        );
        self
    }
}

/// Every file under `dir`, relative, sorted.
pub fn output_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
        return;
    }
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Values of `attr="..."` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Follows every `href` and `src` from `index.html` like a reader clicking through the site
/// from disk; returns the HTML pages reached and every link that does not lead to a file
/// (or to a missing `#fragment`).
pub fn crawl(out: &Path) -> (Vec<String>, Vec<String>) {
    crawl_from(out, "index.html")
}

/// [`crawl`] starting from another page than `index.html`.
pub fn crawl_from(out: &Path, start: &str) -> (Vec<String>, Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![start.to_owned()];
    let mut broken = Vec::new();
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = fs::read_to_string(out.join(&page)).unwrap();
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let link = link.replace("&amp;", "&");
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            let (path, frag) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else if path.starts_with('/') || path.ends_with('/') {
                broken.push(format!("{page}: {link} (not a relative link to a file)"));
                continue;
            } else {
                match raadsite::links::resolve(dir, &raadsite::links::percent_decode(path)) {
                    Some(t) => t,
                    None => {
                        broken.push(format!("{page}: {link} (leaves the site)"));
                        continue;
                    }
                }
            };
            let file = out.join(&target);
            if !file.is_file() {
                broken.push(format!("{page}: {link} (no file {target})"));
                continue;
            }
            if target.ends_with(".html") {
                if let Some(f) = frag {
                    let text = fs::read_to_string(&file).unwrap();
                    if !text.contains(&format!("id=\"{f}\"")) {
                        broken.push(format!("{page}: {link} (no id {f})"));
                    }
                }
                queue.push(target);
            }
        }
    }
    (seen.into_iter().collect(), broken)
}

/// The two output folders hold the same files with the same bytes.
pub fn assert_same_output(a: &Path, b: &Path) {
    let files = output_files(a);
    assert_eq!(files, output_files(b), "the two outputs list other files");
    for f in files {
        assert!(
            fs::read(a.join(&f)).unwrap() == fs::read(b.join(&f)).unwrap(),
            "{f} differs"
        );
    }
}
