//! The `raadsite` command line: parses arguments, calls the library, prints its report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, output } => {
            let opts = raadsite::BuildOptions { root, output };
            match raadsite::build(&opts) {
                Ok(report) => {
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
                    ExitCode::FAILURE
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
