//! Atomic output under interruption: the CLI is killed with SIGKILL at random moments while
//! it replaces a site of 2,000 pages; after every kill the output folder must be exactly the
//! old site or exactly the new one, and the next build must clean up what the killed one left.
//!
//! Slow (tens of seconds), so ignored by `cargo test`; `.ci/atomic.sh` runs it.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::common::TestSite;

const PAGES: usize = 2000;
const KILLS: usize = 12;

/// Every file of a tree with a hash of its bytes.
type Snapshot = BTreeMap<String, u64>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let hash = BuildHasherDefault::<DefaultHasher>::default()
                    .hash_one(fs::read(e.path()).unwrap());
                out.insert(rel, hash);
            }
        }
    }
    out
}

/// Writes one version of the generated content: the title of the site and of every letter
/// differ between versions, so every page changes, and each version has a page of its own.
fn write_version(root: &Path, version: usize) {
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    let rest = toml.split_once('\n').unwrap().1;
    // No PDFs: they go through the same output stage as the pages, but typesetting 2,000
    // letters in a debug build for every one of dozens of builds would take hours.
    let pdf = if rest.contains("[pdf]") {
        ""
    } else {
        "\n[pdf]\nenabled = false\n"
    };
    fs::write(
        root.join("site.toml"),
        format!("title = \"Testraad versie {version}\"\n{rest}{pdf}"),
    )
    .unwrap();
    let dir = root.join("content/brieven");
    for i in 0..PAGES {
        fs::write(
            dir.join(format!("2024-01-01-generiek-{i:04}.md")),
            format!(
                "+++\ntitle = \"Brief {i} (versie {version})\"\ndate = 2024-01-01\n+++\n\n\
                 ## Inhoud\n\nTekst van brief {i}, versie {version}. Zie ook \
                 [de vorige](2024-01-01-generiek-{:04}.md).\n",
                i.saturating_sub(1)
            ),
        )
        .unwrap();
    }
    let (own, other) = (format!("eigen-{version}"), format!("eigen-{}", 1 - version));
    let _ = fs::remove_file(dir.join(format!("2024-02-02-{other}.md")));
    fs::write(
        dir.join(format!("2024-02-02-{own}.md")),
        format!("+++\ntitle = \"Alleen in versie {version}\"\ndate = 2024-02-02\n+++\n\nTekst.\n"),
    )
    .unwrap();
}

fn build(root: &Path, output: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_raadsite"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn build_to_end(root: &Path, output: &Path) -> Duration {
    let start = Instant::now();
    let status = build(root, output).wait().unwrap();
    assert!(status.success(), "build into {} failed", output.display());
    start.elapsed()
}

/// A small pseudo-random generator seeded from the clock; the seed is printed on failure.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Beside the output there is nothing but the private work folder (mode 0700): a killed
/// build never leaves the old site, or half of the new one, where another user could read
/// it.
fn assert_private_beside(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let hidden: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert_eq!(hidden, [".public.raadsite"]);
    let mode = fs::metadata(root.join(".public.raadsite"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
#[ignore = "slow: builds 2,000 pages a few dozen times; run by .ci/atomic.sh"]
fn a_killed_build_leaves_the_old_or_the_new_site() {
    let site = TestSite::fixture("basic");
    let root = site.root();
    let refs = tempfile::tempdir().unwrap();
    let mut versions = Vec::new();
    let mut duration = Duration::ZERO;
    for v in 0..2 {
        write_version(root, v);
        let out = refs.path().join(format!("v{v}"));
        duration = duration.max(build_to_end(root, &out));
        versions.push(snapshot(&out));
    }
    assert_ne!(versions[0], versions[1]);

    let output = site.output();
    write_version(root, 0);
    build_to_end(root, &output);
    let mut current = 0;
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let (mut old_seen, mut new_seen) = (0, 0);
    for kill in 0..KILLS {
        let next = 1 - current;
        write_version(root, next);
        let wait = Duration::from_millis(rng.below(duration.as_millis() as u64 * 12 / 10));
        let mut child = build(root, &output);
        std::thread::sleep(wait);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        assert_private_beside(root);
        let now = snapshot(&output);
        if now == versions[next] {
            current = next;
            new_seen += 1;
        } else {
            assert_eq!(
                now, versions[current],
                "kill {kill} after {wait:?} (seed {seed}) left a mix of two sites"
            );
            old_seen += 1;
        }
    }
    eprintln!("kills that kept the old site: {old_seen}, that left the new one: {new_seen}");

    // Temporary folders of killed builds (this version leaves none; older versions and the
    // rename fallback did) are removed by the next build.
    let stale = root.join(".public.tmp-4242");
    fs::create_dir_all(stale.join("brieven")).unwrap();
    fs::write(stale.join("brieven/half.html"), "<p>half").unwrap();
    let next = 1 - current;
    write_version(root, next);
    build_to_end(root, &output);
    assert_eq!(snapshot(&output), versions[next]);
    assert_private_beside(root);
    // The work folder holds the back buffer, the PDF cache of the profile when raadsite
    // makes PDFs and, unless the sources were too recent to trust, the stamp; nothing else.
    let mut work: Vec<String> = fs::read_dir(root.join(".public.raadsite"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "stamp")
        .collect();
    work.sort();
    let expected: &[&str] = match cfg!(feature = "pdf") {
        true => &["pdf-intranet", "prev"],
        false => &["prev"],
    };
    assert_eq!(work, expected);
}

#[test]
fn a_rebuild_without_changes_writes_nothing_and_keeps_the_files() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::fixture("basic");
    let first = site.try_build().unwrap();
    assert_eq!(
        first.written,
        crate::common::output_files(&site.output()).len()
    );
    let page = site.output().join("brieven/eerste-brief/index.html");
    let inode = fs::metadata(&page).unwrap().ino();
    let before = snapshot(&site.output());
    // The second build fills the back buffer with links to the published files.
    let second = site.try_build().unwrap();
    assert_eq!(second.written, 0);
    let third = site.try_build().unwrap();
    assert_eq!(third.written, 0);
    assert_eq!(snapshot(&site.output()), before);
    assert_eq!(fs::metadata(&page).unwrap().ino(), inode);

    // One changed letter: its page and the lists that show its title are written, the
    // published site is untouched until the swap.
    let text = fs::read_to_string(
        site.root()
            .join("content/brieven/2026-05-07-eerste-brief.md"),
    )
    .unwrap()
    .replace(
        "title = \"Eerste brief\"",
        "title = \"Eerste brief, herzien\"",
    );
    fs::write(
        site.root()
            .join("content/brieven/2026-05-07-eerste-brief.md"),
        text,
    )
    .unwrap();
    let fourth = site.try_build().unwrap();
    assert!(
        fourth.written > 0 && fourth.written < fourth.pages,
        "{fourth:?}"
    );
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("Eerste brief, herzien")
    );
    // The old page lives on, unchanged, in the back buffer.
    let old = site
        .root()
        .join(".public.raadsite/prev/brieven/eerste-brief/index.html");
    assert!(!fs::read_to_string(old).unwrap().contains("herzien"));
}

#[test]
fn a_damaged_back_buffer_is_repaired_and_never_published_as_is() {
    let site = TestSite::fixture("basic");
    site.try_build().unwrap();
    site.try_build().unwrap();
    let expected = snapshot(&site.output());
    // Junk where the next build prepares its site: a folder where a page goes, a file
    // where a folder goes, a stray file and a link pointing outside.
    let back = site.root().join(".public.raadsite/prev");
    fs::remove_file(back.join("index.html")).unwrap();
    fs::create_dir_all(back.join("index.html/x")).unwrap();
    fs::remove_dir_all(back.join("brieven/eerste-brief")).unwrap();
    fs::write(back.join("brieven/eerste-brief"), "in de weg").unwrap();
    fs::write(back.join("brieven/extra.html"), "oud").unwrap();
    std::os::unix::fs::symlink("/etc", back.join("etc")).unwrap();
    fs::write(back.join("404.html"), "gewijzigd").unwrap();
    // Pages equal to the published ones are linked, not written again.
    let report = site.try_build().unwrap();
    assert!(report.written < report.pages, "{report:?}");
    assert_eq!(snapshot(&site.output()), expected);
    assert!(fs::symlink_metadata(site.root().join(".public.raadsite/prev/etc")).is_err());
}
