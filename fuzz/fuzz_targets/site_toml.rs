//! `site.toml` parsing and checking, with the diagnostics that point into the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(diags) = raadsite::fuzzing::site_toml(text) {
            for d in diags.iter() {
                // Rendering a message must not panic either.
                let _ = d.to_string();
                let _ = d.to_json();
            }
        }
    }
});
