//! The `raadsite` command line: parses arguments, calls the library, prints its report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn profile_parser() -> impl clap::builder::TypedValueParser<Value = raadsite::Profile> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(raadsite::Profile::NAMES)
        .try_map(|s| s.parse::<raadsite::Profile>())
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Snapshot(cmd) => snapshot_cli::run(cmd),
        Command::Build {
            root,
            output,
            profile,
        } => {
            let opts = raadsite::BuildOptions { root, output };
            match raadsite::build_as(&opts, profile) {
                Ok(report) => {
                    println!(
                        "Built {} pages and copied {} files into {} in {:.2} s",
                        report.pages,
                        report.copied,
                        report.output.display(),
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        super::Cli::command().debug_assert();
    }
}
