//! CPU time per PDF: typesets the PDF of every letter and opgave of a site one after the
//! other on one thread, without the cache, and prints the median, the quartiles and the
//! mean of the CPU time each took (from the kernel's per-thread run time,
//! `/proc/thread-self/schedstat`, so that other processes on a loaded machine do not count).
//!
//!     cargo run --release --example pdf_cost -- SITE-FOLDER

use std::path::PathBuf;
use std::process::ExitCode;

use raadsite::pdf::{self, Cache, Templates};
use raadsite::views::{PageView, Summary};

/// Nanoseconds this thread has run on a CPU.
fn cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: pdf_cost SITE-FOLDER");
        return ExitCode::from(2);
    };
    let (site, theme) = match raadsite::prepare(&root, raadsite::Profile::Intranet) {
        Ok(x) => x,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let summaries: Vec<Summary> = site.pages.iter().map(Summary::of).collect();
    let values: Vec<tera::Value> = summaries
        .iter()
        .map(|s| tera::Value::try_from_serializable(s).expect("a summary serialises"))
        .collect();
    let templates = Templates::of(&theme.typst);
    let cache = Cache::none();
    let mut times = Vec::new();
    let mut bytes = 0usize;
    for (i, page) in site.pages.iter().enumerate() {
        let Some(name) = pdf::template_name(page) else {
            continue;
        };
        let start = cpu_ns();
        let view = PageView::of(&site, &summaries, &values, i, String::new());
        let data = pdf::data(
            &site,
            view.summary,
            view.brief.as_ref(),
            view.opgave.as_ref(),
            &page.doc.common.tags,
        );
        let made = pdf::prepare(&site, i, &data, &templates, name).and_then(|j| j.pdf(&cache));
        match made {
            Ok(p) => bytes += p.bytes.len(),
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::FAILURE;
            }
        }
        times.push((cpu_ns() - start) as f64 / 1e6);
    }
    if times.is_empty() {
        eprintln!("no letters or opgaven in {}", root.display());
        return ExitCode::FAILURE;
    }
    let n = times.len();
    let mean = times.iter().sum::<f64>() / n as f64;
    times.sort_by(f64::total_cmp);
    println!(
        "{n} PDFs, CPU ms per PDF: median {:.1}, quartiles {:.1}-{:.1}, mean {mean:.1}, max {:.1}; \
         mean size {} kB",
        times[n / 2],
        times[n / 4],
        times[3 * n / 4],
        times[n - 1],
        bytes / n / 1000
    );
    ExitCode::SUCCESS
}
