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
        Command::Build {
            root,
            output,
            profile,
            force,
        } => {
            let opts = raadsite::BuildOptions { root, output };
            match raadsite::stamp::build(&opts, profile, force) {
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
