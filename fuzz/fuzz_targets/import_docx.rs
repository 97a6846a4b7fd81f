//! The DOCX reader of `raadsite import`, with the letterhead recogniser and the body
//! writer after it: an error or a letter, never a panic, a hang or a runaway allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = raadsite::fuzzing::import(raadsite::import::Kind::Docx, data);
});
