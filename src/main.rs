//! The `raadsite` command line: parses arguments, calls the library, prints its report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// A build makes and frees millions of small strings on two threads; glibc's malloc spent
// about 13% of a full build's CPU time on them, mimalloc about half of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn profile_parser() -> impl clap::builder::TypedValueParser<Value = raadsite::Profile> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(raadsite::Profile::NAMES)
        .try_map(|s| s.parse::<raadsite::Profile>())
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Snapshot(cmd) => snapshot_cli::run(cmd),
        Command::Serve {
            root,
            output,
            port,
            bind,
        } => {
            let opts = raadsite::serve::ServeOptions {
                build: raadsite::BuildOptions { root, output },
                bind,
                port,
            };
            match raadsite::serve::serve(&opts, &print_event) {
                Ok(()) => ExitCode::SUCCESS,
                Err(diags) => {
                    eprintln!("{diags}");
                    ExitCode::from(diags.exit_code())
                }
            }
        }
        Command::New { page } => {
            let (root, page) = match page {
                NewPage::Brief { onderwerp, root } => {
                    (root, raadsite::new::NewPage::Brief { onderwerp })
                }
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
                Err(diags) => {
                    eprintln!("{diags}");
                    ExitCode::from(diags.exit_code())
                }
            }
        }
        Command::Init { dir } => init(&dir),
        Command::Theme(ThemeCommand::Export { root, force }) => theme_export(&root, force),
        Command::Build {
            root,
            output,
            profile,
            force,
        } => {
            let opts = raadsite::BuildOptions { root, output };
            match raadsite::build_unless_unchanged(&opts, profile, force) {
                Ok(report) if report.up_to_date => {
                    println!(
                        "Nothing changed since the last build: {} is up to date ({} pages, {} \
                         files copied; checked in {:.2} s, --force builds anyway)",
                        report.output.display(),
                        report.pages,
                        report.copied,
                        report.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Ok(report) => {
                    print_warnings(&report.warnings);
                    println!(
                        "Built {} pages and copied {} files into {} ({} files changed) in {:.2} s",
                        report.pages,
                        report.copied,
                        report.output.display(),
                        report.written,
                        report.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    eprintln!("{diags}");
                    ExitCode::from(diags.exit_code())
                }
            }
        }
        Command::Check {
            root,
            format,
            profile,
        } => {
            let json = format == "json";
            match raadsite::check(&root, profile) {
                Ok(report) => {
                    if !json {
                        println!(
                            "Checked {} pages and {} files ({profile}) in {:.2} s: no problems",
                            report.pages,
                            report.copied,
                            report.elapsed.as_secs_f64()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    if json {
                        for d in diags.iter() {
                            println!("{}", d.to_json());
                        }
                    } else {
                        for d in diags.iter() {
                            eprintln!("{d}\n");
                        }
                        let n = diags.len();
                        eprintln!(
                            "error: check found {n} problem{}",
                            if n == 1 { "" } else { "s" }
                        );
                    }
                    ExitCode::from(diags.exit_code())
                }
            }
        }
    }
}

fn print_warnings(warnings: &raadsite::Diagnostics) {
    for w in warnings.iter() {
        eprintln!("{w}\n");
    }
}

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

/// Prints every problem of a command that writes no site, and its exit code.
fn fail(diags: &raadsite::Diagnostics) -> ExitCode {
    for d in diags.iter() {
        eprintln!("{d}\n");
    }
    ExitCode::from(diags.exit_code())
}

fn print_event(event: raadsite::serve::Event) {
    use raadsite::serve::Event;
    match event {
        Event::Listening(addr) => println!("Serving the site at http://{addr}/ (Ctrl-C stops)"),
        Event::Built {
            report,
            since_change,
        } => {
            print_warnings(&report.warnings);
            let took = since_change.unwrap_or(report.elapsed);
            println!(
                "Built {} pages ({} files changed) in {} ms",
                report.pages,
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
