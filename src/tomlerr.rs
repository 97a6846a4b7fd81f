//! Turns TOML parse errors into diagnostics that point into the author's file.

use std::path::Path;

use crate::diagnostics::{Diagnostic, position_of, suggest};

/// Converts a `toml` error in `text` (which starts at line `first_line` of `file`) into a
/// diagnostic; unknown keys get the nearest of `known_keys` as a suggestion.
pub fn diagnostic(
    file: &Path,
    text: &str,
    first_line: usize,
    err: &toml::de::Error,
    what: &str,
    known_keys: &[&str],
) -> Diagnostic {
    let position = err.span().map(|span| {
        let mut p = position_of(text, span.start);
        p.line += first_line - 1;
        p
    });
    let raw = err.message().trim();
    let (message, help) = if let Some(key) = unknown_field(raw) {
        let help = suggest(key, known_keys)
            .map(|k| format!("did you mean \"{k}\"?"))
            .unwrap_or_else(|| format!("known keys: {}", known_keys.join(", ")));
        (format!("unknown key \"{key}\" in {what}"), Some(help))
    } else if let Some(key) = raw
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        (format!("missing key \"{key}\" in {what}"), None)
    } else {
        let help = raw
            .contains("expected a string")
            .then(|| "put text between quotes, e.g. kenmerk = \"2600013167\"".to_owned());
        (format!("invalid {what}: {raw}"), help)
    };
    Diagnostic::in_file(file, message)
        .at_opt(position)
        .with_help_opt(help)
}

fn unknown_field(msg: &str) -> Option<&str> {
    msg.strip_prefix("unknown field `")?.split('`').next()
}
