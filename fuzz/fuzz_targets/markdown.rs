//! Markdown to HTML with link rewriting and the raw HTML sanitiser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (html, _) = raadsite::fuzzing::markdown(body, false);
    if let Some(bad) = raadsite::fuzzing::active_content(&html) {
        panic!("{bad} survived sanitising: {html}");
    }
    let _ = raadsite::fuzzing::markdown(body, true);
});
