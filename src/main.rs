//! The `raadsite` command line: parses arguments, calls the library, prints its report.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

// A build makes and frees millions of small strings on two threads; glibc's malloc spent
// about 13% of a full build's CPU time on them, mimalloc about half of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long mimalloc keeps memory that was freed before it gives it back to the system,
/// in ms. Its default, 1,000 ms in mimalloc 3, kept what finished parts of a build freed
/// resident while later parts grew: at 100,000 pages the peak was about 80 MiB (8%) higher
/// than with 10 ms (mimalloc 2's default), at no measurable cost in time.
const PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// `mi_option_purge_delay` of mimalloc's `mi_option_t`: 15 in the v2 and v3 headers that
/// libmimalloc-sys 0.1.49 (Cargo.lock) bundles; the crate names no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets [`PURGE_DELAY_MS`] unless `MIMALLOC_PURGE_DELAY` in the environment says otherwise.
fn allocator_options() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option; mimalloc reads it on its next purge.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

mod snapshot_cli;

#[derive(Parser)]
#[command(
    name = "raadsite",
    version,
    about = "Builds a static website of council letters (brieven) and opgaven",
    long_about = "Builds a static website of council letters (brieven) and regional tasks \
                  (opgaven) from Markdown with TOML front matter, through Tera templates. \
                  The site works from disk, from a zip and under any sub-path of a web server."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    Build {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: DIR/public]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// For whom: intranet (everything) or openbaar (no internal pages, no personal details)
        #[arg(long, default_value = "intranet", value_parser = profile_parser())]
        profile: raadsite::Profile,
        /// Build even when nothing changed since the last build
        #[arg(long)]
        force: bool,
        /// Print the CPU time of each PDF typeset: median, quartiles, mean, most
        #[arg(long)]
        timings: bool,
    },
    /// Freeze, list, verify, compare and export versions of the site
    #[command(subcommand)]
    Snapshot(snapshot_cli::SnapshotCommand),
    /// Check the site as a build would, without writing anything; exit 0 clean, 1 content
    /// errors, 2 usage or I/O errors
    Check {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// human: rustc-like messages on stderr; json: one JSON object per problem on stdout
        #[arg(long, default_value = "human", value_parser = ["human", "json"])]
        format: String,
        /// For whom: intranet (everything) or openbaar (no internal pages, no personal details)
        #[arg(long, default_value = "intranet", value_parser = profile_parser())]
        profile: raadsite::Profile,
    },
    /// Build, serve on this machine, rebuild on changes and reload open browser tabs
    Serve {
        /// The site folder, holding site.toml, content/ and themes/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: DIR/public]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine by default
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
    },
    /// Start a new letter or opgave with every front matter key of its kind
    New {
        #[command(subcommand)]
        page: NewPage,
    },
    /// Import letters that arrived as PDF, Word (DOCX) or plain text: the letterhead becomes
    /// the front matter, the body Markdown, and the original is copied beside the letter
    Import {
        /// The letters to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The site folder
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Print each letter instead of writing it
        #[arg(long)]
        dry_run: bool,
    },
    /// Start a new site in DIR: site.toml with the fourteen Twente gemeenten, and the home,
    /// brieven and opgaven pages; it builds with the built-in theme
    Init {
        /// The folder for the new site, created when missing
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Work with the theme built into raadsite
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Write a digest e-mail (.eml draft) of the letters and opgaven published or updated
    /// since a date, to forward to the raadsleden; needs base_url
    #[command(group = clap::ArgGroup::new("vanaf").required(true))]
    Mail(MailArgs),
}

#[derive(clap::Args)]
struct MailArgs {
    /// List what is dated or updated on this date (YYYY-MM-DD) or later
    #[arg(long, value_name = "DATE", group = "vanaf", value_parser = day_parser)]
    since: Option<raadsite::dates::Date>,
    /// List what is dated or updated after the day this snapshot was frozen, or is not in it
    #[arg(long, value_name = "LABEL", group = "vanaf")]
    since_snapshot: Option<String>,
    /// Only what concerns this gemeente (its slug): its letters, those to all, its opgaven
    #[arg(long, value_name = "SLUG")]
    gemeente: Option<String>,
    /// For whom: intranet (everything) or openbaar (no internal pages, no personal details)
    #[arg(long, default_value = "intranet", value_parser = profile_parser())]
    profile: raadsite::Profile,
    /// The .eml file to write (not written when nothing is new)
    #[arg(long, value_name = "FILE.eml")]
    output: PathBuf,
    /// The site folder, holding site.toml, content/ and themes/
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write the built-in theme into DIR/themes/raad/, to change all of it
    Export {
        /// The site folder
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Overwrite theme files that already exist
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum NewPage {
    /// A letter: content/brieven/<today>-<slug>.md
    Brief {
        /// The letter's subject, its title
        onderwerp: String,
        /// The site folder
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// An opgave: content/opgaven/<NN>-<slug>.md
    Opgave {
        /// The opgave's number (must not be taken yet)
        nummer: u32,
        /// Its title
        titel: String,
        /// The site folder
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}

/// Parses a `--profile` value; clap lists the possible names.
fn profile_parser() -> impl clap::builder::TypedValueParser<Value = raadsite::Profile> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(raadsite::Profile::NAMES)
        .try_map(|s| s.parse::<raadsite::Profile>())
}

/// Parses a `--since` date.
fn day_parser(s: &str) -> Result<raadsite::dates::Date, String> {
    raadsite::mail::parse_day(s)
        .ok_or_else(|| format!("\"{s}\" is not a date of the form 2026-09-14"))
}

/// Parses the command line and runs its subcommand.
fn main() -> ExitCode {
    allocator_options();
    match Cli::parse().command {
        Command::Snapshot(cmd) => snapshot_cli::run(cmd),
        Command::Serve {
            root,
            output,
            port,
            bind,
        } => serve(root, output, port, bind),
        Command::New { page } => new_page(page),
        Command::Init { dir } => init(&dir),
        Command::Import {
            files,
            root,
            dry_run,
        } => import(&root, &files, dry_run),
        Command::Theme(ThemeCommand::Export { root, force }) => theme_export(&root, force),
        Command::Mail(args) => mail(args),
        Command::Build {
            root,
            output,
            profile,
            force,
            timings,
        } => build(root, output, profile, force, timings),
        Command::Check {
            root,
            format,
            profile,
        } => check(&root, format == "json", profile),
    }
}

/// `raadsite build`: builds unless nothing changed, and says which of the two it did.
fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    profile: raadsite::Profile,
    force: bool,
    timings: bool,
) -> ExitCode {
    let opts = raadsite::BuildOptions {
        root,
        output,
        progress: match timings {
            true => raadsite::progress::Progress::timing(),
            false => raadsite::progress::Progress::new(),
        },
    };
    let shown = show_progress(opts.progress.clone());
    let result = raadsite::build_unless_unchanged(&opts, profile, force);
    shown.finish();
    if timings {
        print_pdf_timings(&opts.progress);
    }
    match result {
        Ok(report) if report.up_to_date => {
            println!(
                "Nothing changed since the last build: {} is up to date ({}, {} \
                 copied; checked in {:.2} s, --force builds anyway)",
                report.output.display(),
                counted(report.pages, "page", "pages"),
                counted(report.copied, "file", "files"),
                report.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print_diagnostics(&report.warnings);
            println!(
                "Built {} and copied {} into {} ({} files changed) in {:.2} s",
                counted(report.pages, "page", "pages"),
                counted(report.copied, "file", "files"),
                report.output.display(),
                report.written,
                report.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(diags) => build_failed(&diags),
    }
}

/// "1 page", "2 pages".
fn counted(n: usize, one: &str, more: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

/// `build --timings`: the CPU time of the PDFs this build typeset.
fn print_pdf_timings(progress: &raadsite::progress::Progress) {
    let mut ms: Vec<f64> = progress
        .pdf_cpu()
        .iter()
        .map(|d| d.as_secs_f64() * 1e3)
        .collect();
    let n = ms.len();
    if n == 0 {
        println!("PDF timings: no PDF typeset");
        return;
    }
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / n as f64;
    println!(
        "PDF timings: {n} typeset, CPU ms per PDF: median {:.1}, quartiles {:.1}-{:.1}, \
         mean {mean:.1}, most {:.1}",
        ms[n / 2],
        ms[n / 4],
        ms[3 * n / 4],
        ms[n - 1]
    );
}

/// `raadsite check`: a one-line summary when clean; otherwise every problem, as rustc-like
/// messages on stderr with a count, or (`json`) one JSON object a line on stdout.
fn check(root: &std::path::Path, json: bool, profile: raadsite::Profile) -> ExitCode {
    match raadsite::check(root, profile) {
        Ok(report) => {
            if !json {
                println!(
                    "Checked {} and {} ({profile}) in {:.2} s: no problems",
                    counted(report.pages, "page", "pages"),
                    counted(report.copied, "file", "files"),
                    report.elapsed.as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) if json => {
            for d in diags.iter() {
                println!("{}", d.to_json());
            }
            ExitCode::from(diags.exit_code())
        }
        Err(diags) => {
            print_diagnostics(&diags);
            let n = diags.len();
            eprintln!(
                "error: check found {n} problem{}",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::from(diags.exit_code())
        }
    }
}

/// A line on the terminal that counts the PDFs of a long build ("PDFs: 1200 of 10000"),
/// rewritten in place every quarter second and cleared at the end; nothing when standard
/// error is no terminal or the build takes under a second.
struct ShownProgress {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn show_progress(progress: raadsite::Progress) -> ShownProgress {
    let stop = Arc::new(AtomicBool::new(false));
    let thread = std::io::stderr().is_terminal().then(|| {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut shown = false;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(250));
                let pdfs = progress.pdfs();
                let done = pdfs.typeset + pdfs.reused;
                if start.elapsed().as_secs() >= 1 && pdfs.expected > 0 && done < pdfs.expected {
                    eprint!(
                        "\rPDFs: {done} of {} ({} typeset)",
                        pdfs.expected, pdfs.typeset
                    );
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[K");
            }
        })
    });
    ShownProgress { stop, thread }
}

impl ShownProgress {
    /// Stops the line and clears it.
    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `raadsite serve`: runs until the process ends; returns only when it cannot start.
fn serve(root: PathBuf, output: Option<PathBuf>, port: u16, bind: std::net::IpAddr) -> ExitCode {
    let opts = raadsite::serve::ServeOptions {
        build: raadsite::BuildOptions {
            root,
            output,
            ..Default::default()
        },
        bind,
        port,
    };
    match raadsite::serve::serve(&opts, &print_event) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => build_failed(&diags),
    }
}

/// `raadsite new brief|opgave`: writes the new page and names its file.
fn new_page(page: NewPage) -> ExitCode {
    let (root, page) = match page {
        NewPage::Brief { onderwerp, root } => (root, raadsite::new::NewPage::Brief { onderwerp }),
        NewPage::Opgave {
            nummer,
            titel,
            root,
        } => (root, raadsite::new::NewPage::Opgave { nummer, titel }),
    };
    match raadsite::new::create(&root, &page, raadsite::new::today()) {
        Ok(path) => {
            println!("Created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(diags) => build_failed(&diags),
    }
}

/// `raadsite import`: imports each file, prints what it found (and for a dry run the letter
/// itself); a file that fails is reported and the others still imported.
fn import(root: &std::path::Path, files: &[PathBuf], dry_run: bool) -> ExitCode {
    let mut code = 0;
    for file in files {
        match raadsite::import::import(root, file, dry_run) {
            Ok(done) => {
                print!("{}", done.summary);
                if dry_run {
                    println!(
                        "  would write {} (--dry-run: nothing written)\n",
                        done.path.display()
                    );
                    println!("{}", done.text);
                } else {
                    println!("  wrote {}", shown(&done.path).display());
                    if let Some(original) = &done.original {
                        println!("  copied the original to {}", shown(original).display());
                    }
                    println!();
                }
            }
            Err(diags) => {
                print_diagnostics(&diags);
                code = code.max(diags.exit_code());
            }
        }
    }
    ExitCode::from(code)
}

/// A path under the current folder without its leading `./`.
fn shown(path: &std::path::Path) -> &std::path::Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// Prints the problems with the library's summary line ("error: build failed with ..."),
/// and returns their exit code.
fn build_failed(diags: &raadsite::Diagnostics) -> ExitCode {
    eprintln!("{diags}");
    ExitCode::from(diags.exit_code())
}

/// Prints each warning or problem, followed by a blank line.
fn print_diagnostics(warnings: &raadsite::Diagnostics) {
    for w in warnings.iter() {
        eprintln!("{w}\n");
    }
}

/// `raadsite init`: makes the new site and tells what to do next.
fn init(dir: &std::path::Path) -> ExitCode {
    match raadsite::init::create(dir) {
        Ok(files) => {
            println!("Created a new site in {}:", dir.display());
            for f in &files {
                println!("  {}", f.display());
            }
            println!("Edit the title, the description and the gemeenten in site.toml; then:");
            if dir != std::path::Path::new(".") {
                println!("  cd {}", dir.display());
            }
            println!("  raadsite new brief \"Onderwerp\"   # a first letter");
            println!("  raadsite build                   # the site, into public/");
            println!("  raadsite serve                   # view it, rebuilt on every change");
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags),
    }
}

/// `raadsite theme export`: writes the built-in theme into the site and lists its files.
fn theme_export(root: &std::path::Path, force: bool) -> ExitCode {
    match raadsite::render::theme::export(root, force) {
        Ok(files) => {
            println!("Wrote the built-in theme into {}:", root.display());
            for f in &files {
                println!("  {}", f.display());
            }
            println!(
                "The site now builds with these files. To change one file only, a copy in the \
                 site's templates/ or static/ is enough: it overrides the theme's file of the \
                 same name."
            );
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags),
    }
}

/// `raadsite mail`: writes the digest, or says that nothing is new.
fn mail(args: MailArgs) -> ExitCode {
    use raadsite::mail::{Outcome, Since};
    let since = match (args.since, args.since_snapshot) {
        (Some(d), _) => Since::Date(d),
        (None, Some(label)) => Since::Snapshot(label),
        (None, None) => unreachable!("clap requires --since or --since-snapshot"),
    };
    let opts = raadsite::mail::MailOptions {
        root: args.root,
        since,
        gemeente: args.gemeente,
        profile: args.profile,
        output: args.output,
        now: now(),
    };
    match raadsite::mail::digest(&opts) {
        Ok(Outcome::Written {
            path,
            letters,
            opgaven,
            sinds,
        }) => {
            println!(
                "Wrote {}: {} and {} new or updated since {sinds}; open it in the mail \
                 program to send it",
                path.display(),
                counted(letters, "letter", "letters"),
                counted(opgaven, "opgave", "opgaven"),
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::NothingNew { sinds }) => {
            println!("Nothing new or updated since {sinds}: no e-mail written");
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags),
    }
}

/// Seconds since 1970 for the e-mail's `Date:`: `SOURCE_DATE_EPOCH` when set (reproducible
/// output), else the clock.
fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

/// Prints every problem of a command that writes no site, and its exit code.
fn fail(diags: &raadsite::Diagnostics) -> ExitCode {
    print_diagnostics(diags);
    ExitCode::from(diags.exit_code())
}

/// Shows what happens while serving.
fn print_event(event: raadsite::serve::Event) {
    use raadsite::serve::Event;
    match event {
        Event::Listening(addr) => println!("Serving the site at http://{addr}/ (Ctrl-C stops)"),
        Event::Built {
            report,
            since_change,
        } => {
            print_diagnostics(&report.warnings);
            let took = since_change.unwrap_or(report.elapsed);
            println!(
                "Built {} ({} files changed) in {} ms",
                counted(report.pages, "page", "pages"),
                report.written,
                took.as_millis()
            );
        }
        Event::Failed(diags) => eprintln!("{diags}\nThe last good site is still served."),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        super::Cli::command().debug_assert();
    }
}
