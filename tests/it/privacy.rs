//! Nothing private on a public web root: after builds of the intranet and the `openbaar`
//! profile into one folder, in any order and whatever the umask, no file that another user
//! can read beside or inside the output holds an internal page or an official's details
//! that the last build's profile leaves out. The output's parent stands for a web server's
//! root (`/var/www/html` with the output `/var/www/html/raad`): every file in it that
//! "others" may read (by its mode bits and those of every folder on the way) is what a web
//! server running as another user could serve.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use crate::common::TestSite;

/// A sentence only the internal opgave holds.
const MARKER: &str = "Kwartelkoning zevenslaper alleen voor intern gebruik";
/// The official named on a letter, and the official's phone number.
const OFFICIAL: &str = "Q. Zonnebloem-Vertrouwelijk";
const PHONE: &str = "053 - 987 65 43";
const SECRETS: [&str; 3] = [MARKER, OFFICIAL, PHONE];

/// The basic fixture with an internal opgave and a letter naming its official.
fn site() -> TestSite {
    TestSite::fixture("basic")
        .with_file(
            "content/opgaven/09-intern.md",
            &format!(
                "+++\ntitle = \"Interne opgave\"\nnummer = 9\nzichtbaarheid = \"intern\"\n+++\n\n\
                 {MARKER}.\n"
            ),
        )
        .with_file(
            "content/brieven/2026-08-01-met-ambtenaar.md",
            &format!(
                "+++\ntitle = \"Brief met ambtenaar\"\ndate = 2026-08-01\nkenmerk = \"77\"\n\
                 behandeld_door = \"{OFFICIAL}\"\ndoorkiesnummer = \"{PHONE}\"\n\
                 gemeenten = [\"alle\"]\n+++\n\nTekst.\n"
            ),
        )
}

/// A web root in the site's folder, `www/`, open to all like `/var/www/html`; the output
/// is `www/raad`.
struct Web {
    site: TestSite,
}

impl Web {
    fn new(site: TestSite) -> Web {
        let www = site.root().join("www");
        fs::create_dir_all(&www).unwrap();
        // The temporary folder is made for its owner only, which would hide everything.
        for dir in [site.root(), www.as_path()] {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        }
        Web { site }
    }

    fn www(&self) -> PathBuf {
        self.site.root().join("www")
    }

    fn output(&self) -> PathBuf {
        self.www().join("raad")
    }

    fn work(&self) -> PathBuf {
        self.www().join(".raad.raadsite")
    }

    /// Runs `raadsite build` for `profile` under `umask`; the status and what it said.
    fn try_build(&self, profile: &str, umask: &str) -> (bool, String) {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_raadsite"))
            .args(["build", "--profile", profile, "--root"])
            .arg(self.site.root())
            .arg("--output")
            .arg(self.output())
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), said)
    }

    fn build(&self, profile: &str, umask: &str) {
        let (ok, said) = self.try_build(profile, umask);
        assert!(ok, "build --profile {profile} failed:\n{said}");
    }

    /// Every file under the web root that another user can read, with the secrets it
    /// holds.
    fn readable_secrets(&self) -> Vec<(String, &'static str)> {
        let mut found = Vec::new();
        for file in readable_by_others(&self.www()) {
            let bytes = fs::read(&file).unwrap();
            for secret in SECRETS {
                if contains(&bytes, secret) {
                    let rel = file.strip_prefix(self.www()).unwrap();
                    found.push((rel.display().to_string(), secret));
                }
            }
        }
        found
    }

    /// The same, outside the output folder itself.
    fn readable_secrets_beside(&self) -> Vec<(String, &'static str)> {
        let mut found = self.readable_secrets();
        found.retain(|(rel, _)| !rel.starts_with("raad/"));
        found
    }
}

fn contains(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The files under `top` that a user other than the owner (and not in its group) can read:
/// "others" may read the file and enter every folder from `top` down to it. Links are not
/// followed. `top` itself must be open to others.
fn readable_by_others(top: &Path) -> Vec<PathBuf> {
    let mode = |p: &Path| fs::symlink_metadata(p).unwrap().permissions().mode();
    assert!(
        mode(top) & 0o001 != 0,
        "{} is closed to others",
        top.display()
    );
    let mut found = Vec::new();
    let mut folders = vec![top.to_path_buf()];
    while let Some(dir) = folders.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let bits = meta.permissions().mode();
            if meta.is_dir() && bits & 0o001 != 0 {
                folders.push(path);
            } else if meta.is_file() && bits & 0o004 != 0 {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Every file under `dir` (whoever may read it) that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    crate::common::output_files(dir)
        .into_iter()
        .filter(|f| contains(&fs::read(dir.join(f)).unwrap(), needle))
        .collect()
}

fn mode_of(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Dates every file of the site an hour back, so that a build may trust its timestamps and
/// leave a stamp.
fn age(root: &Path) {
    let when = SystemTime::now() - Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "www")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let f = fs::File::options().write(true).open(e.path()).unwrap();
        f.set_modified(when).unwrap();
    }
}

#[test]
fn after_an_intranet_and_an_openbaar_build_no_readable_file_holds_intranet_details() {
    // A careless umask: every file is readable by all unless a folder on the way is not.
    let web = Web::new(site());
    web.build("intranet", "000");
    // The walk sees what it should: the intranet site holds all three, readable.
    let seen: Vec<&str> = web.readable_secrets().iter().map(|(_, s)| *s).collect();
    for secret in SECRETS {
        assert!(
            seen.contains(&secret),
            "{secret:?} not in the intranet site"
        );
    }

    web.build("openbaar", "000");
    assert_eq!(web.readable_secrets(), []);
    // The intranet site is still there, as the back buffer, out of reach.
    let back = web.work().join("prev");
    assert!(!files_holding(&back, MARKER).is_empty());
    assert!(!files_holding(&back, PHONE).is_empty());
    assert_eq!(mode_of(&web.work()), 0o700);
    // The folder that is swapped in next has its normal mode: it becomes the output.
    assert_eq!(mode_of(&back), 0o777);
    assert_eq!(mode_of(&web.output()), 0o777);
    assert!(
        readable_by_others(&web.www()).contains(&web.output().join("index.html")),
        "the published site must stay readable"
    );
    let mut beside: Vec<String> = fs::read_dir(web.www())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".raad.raadsite", "raad"]);

    // And back again: the intranet site is published, the public one kept privately.
    web.build("intranet", "000");
    assert!(!web.readable_secrets().is_empty());
    assert_eq!(web.readable_secrets_beside(), []);
    web.build("openbaar", "000");
    assert_eq!(web.readable_secrets(), []);
}

#[test]
fn the_stamp_is_private_and_a_loosened_work_folder_is_tightened_even_without_changes() {
    let web = Web::new(site());
    age(web.site.root());
    web.build("intranet", "022");
    web.build("openbaar", "022");
    let stamp = web.work().join("stamp");
    assert!(stamp.is_file(), "no stamp");
    assert_eq!(mode_of(&stamp), 0o600);
    assert_eq!(mode_of(&web.output()), 0o755);
    let (_, said) = web.try_build("openbaar", "022");
    assert!(said.starts_with("Nothing changed"), "{said}");

    // Someone opens the web root to all, as `chmod -R o+rX` would.
    fs::set_permissions(web.work(), fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!web.readable_secrets().is_empty());
    let (ok, said) = web.try_build("openbaar", "022");
    assert!(ok, "{said}");
    assert!(
        said.starts_with("Built"),
        "skipped with an open work folder: {said}"
    );
    assert_eq!(mode_of(&web.work()), 0o700);
    assert_eq!(web.readable_secrets(), []);
    let (_, said) = web.try_build("openbaar", "022");
    assert!(said.starts_with("Nothing changed"), "{said}");
}

#[test]
fn a_failed_openbaar_build_after_an_intranet_one_leaves_nothing_readable_beside_the_output() {
    let web = Web::new(site());
    web.build("intranet", "022");
    let published = crate::common::output_files(&web.output());
    let bad = "templates/404.html";
    let web = Web {
        site: web.site.with_file(
            bad,
            "{% extends \"base.html\" %}{% block main %}{{ nergens.iets }}{% endblock main %}",
        ),
    };
    let (ok, said) = web.try_build("openbaar", "022");
    assert!(!ok && said.contains("nergens"), "{said}");
    // The intranet site stays published, as it was; what the failed build prepared is
    // private.
    assert_eq!(crate::common::output_files(&web.output()), published);
    assert_eq!(web.readable_secrets_beside(), []);
    assert!(web.work().join("prev").is_dir());

    let web = Web {
        site: web.site.without_file(bad),
    };
    web.build("openbaar", "022");
    assert_eq!(web.readable_secrets(), []);
}

#[test]
fn a_failed_openbaar_build_after_a_good_one_keeps_the_intranet_back_buffer_private() {
    let web = Web::new(site());
    web.build("intranet", "000");
    web.build("openbaar", "000");
    let bad = "templates/404.html";
    let web = Web {
        site: web.site.with_file(
            bad,
            "{% extends \"base.html\" %}{% block main %}{{ nergens.iets }}{% endblock main %}",
        ),
    };
    let (ok, said) = web.try_build("openbaar", "000");
    assert!(!ok, "{said}");
    // Half brought up to date: the intranet pages the failed build did not reach are
    // still in the back buffer.
    assert!(!files_holding(&web.work().join("prev"), MARKER).is_empty());
    assert_eq!(web.readable_secrets(), []);
}

#[test]
fn an_older_versions_back_buffer_and_stamp_beside_the_output_are_removed() {
    let web = Web::new(site());
    web.build("intranet", "022");
    // What older versions left beside the output, readable by all: the intranet site as
    // back buffer, a stamp, and the leftovers of killed builds.
    let legacy = web.www().join(".raad.prev");
    crate::common::copy_tree(&web.output(), &legacy);
    for name in [".raad.tmp-4242", ".raad.old-4243"] {
        crate::common::copy_tree(&web.output(), &web.www().join(name));
    }
    fs::write(web.www().join(".raad.stamp"), "raadsite-stamp 2\n").unwrap();
    fs::remove_dir_all(web.work()).unwrap();
    assert!(!web.readable_secrets_beside().is_empty());

    web.build("openbaar", "022");
    let beside: Vec<String> = fs::read_dir(web.www())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".raad"))
        .collect();
    assert_eq!(beside, [".raad.raadsite"]);
    assert_eq!(web.readable_secrets(), []);
    // The old back buffer was moved in and reused, so nothing of the old version remains
    // in the work folder but the back buffer and the new stamp (and, built with the feature
    // `pdf`, the PDFs of this build).
    let mut work: Vec<String> = fs::read_dir(web.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !(cfg!(feature = "pdf") && n == "pdf-openbaar"))
        .collect();
    work.sort();
    assert!(work == ["prev"] || work == ["prev", "stamp"], "{work:?}");
}

#[test]
fn serve_builds_and_a_later_openbaar_build_leave_nothing_readable() {
    // `serve` builds the intranet site with a writer it keeps; a public build into the same
    // folder afterwards must hide what serve published.
    let web = Web::new(site());
    let opts = raadsite::BuildOptions {
        root: web.site.root().to_path_buf(),
        output: Some(web.output()),
        ..Default::default()
    };
    let mut state = raadsite::Incremental::new();
    for _ in 0..2 {
        raadsite::build_incremental(&opts, raadsite::Profile::Intranet, &mut state).unwrap();
    }
    assert!(!files_holding(&web.output(), MARKER).is_empty());
    assert_eq!(web.readable_secrets_beside(), []);
    web.build("openbaar", "022");
    assert_eq!(web.readable_secrets(), []);
    // And serve again after it: the intranet site is back, the public one kept privately.
    raadsite::build_incremental(&opts, raadsite::Profile::Intranet, &mut state).unwrap();
    assert!(!files_holding(&web.output(), MARKER).is_empty());
    assert_eq!(web.readable_secrets_beside(), []);
}
