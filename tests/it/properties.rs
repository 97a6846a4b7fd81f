//! Property tests: slugs and relative links hold for any input, not just the examples.

use proptest::prelude::*;
use raadsite::links::{encode_path, percent_decode, resolve, root_prefix};
use raadsite::slug::{is_slug, slugify};

/// An output path as the site makes them: folders of slug characters, then a file.
fn output_path() -> impl Strategy<Value = String> {
    (
        prop::collection::vec("[a-z0-9][a-z0-9_-]{0,11}", 0..6),
        prop_oneof![
            Just("index.html".to_owned()),
            "[a-zA-Z0-9 éË_-]{1,10}\\.(pdf|png|css)",
        ],
    )
        .prop_map(|(mut dirs, file)| {
            dirs.push(file);
            dirs.join("/")
        })
}

/// Where a browser ends up following `link` from the page at `from`, both relative to
/// the site root; `None` when it climbs above the root.
fn follow(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn links_in_fuzzed_markdown_are_rewritten() {
    let (html, diags) = raadsite::fuzzing::markdown(
        "[c](../opgaven/01-een.md#doel) [d](<plan voor de regio.pdf>) [e](/info/Over%20Ons.md)",
        false,
    );
    assert!(diags.is_empty(), "{diags}");
    assert!(
        html.contains("href=\"../../opgaven/01-een/index.html#doel\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../brieven/plan%20voor%20de%20regio.pdf\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../../info/over-ons/index.html\""),
        "{html}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn slugs_are_valid_and_stable(text in any::<String>()) {
        let s = slugify(&text);
        if !s.is_empty() {
            prop_assert!(is_slug(&s), "{s:?}");
            prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"), "{s:?}");
            prop_assert!(s.bytes().all(|b| !b.is_ascii_uppercase()), "{s:?}");
        }
        prop_assert_eq!(slugify(&s), s.clone());
    }

    #[test]
    fn relative_links_lead_to_their_target(from in output_path(), to in output_path()) {
        let link = format!("{}{}", root_prefix(&from), encode_path(&to));
        prop_assert_eq!(follow(&from, &percent_decode(&link)), Some(to.clone()));
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        prop_assert_eq!(resolve(dir, &percent_decode(&link)), Some(to));
    }

    #[test]
    fn markdown_never_panics_and_never_publishes_script(
        body in prop::collection::vec(
            prop_oneof![
                Just("<script>x()</script>".to_owned()),
                Just("<a href=\"javascript:x()\">a</a>".to_owned()),
                Just("[b](javascript:x())".to_owned()),
                Just("<img src=x onerror=\"x()\">".to_owned()),
                Just("[c](../opgaven/01-een.md#doel)".to_owned()),
                Just("\n\n".to_owned()),
                Just("> ".to_owned()),
                Just("- ".to_owned()),
                "[ -~]{0,12}",
            ],
            0..24,
        )
    ) {
        let body = body.concat();
        let (html, _) = raadsite::fuzzing::markdown(&body, false);
        prop_assert_eq!(raadsite::fuzzing::active_content(&html), None, "{}", html);
    }

    #[test]
    fn encoded_paths_decode_to_themselves(path in "[^\\\\]{0,40}") {
        prop_assert_eq!(percent_decode(&encode_path(&path)), path);
    }
}

/// A line of TOML as authors might write it, right or wrong: keys of every kind (dotted,
/// quoted, in headers), values of every type, comments, tabs and broken syntax.
fn toml_line(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let key = prop::sample::select(keys);
    let value = prop::sample::select(
        &[
            "\"zeven\"",
            "\"7\"",
            "7",
            "-3",
            "7.5",
            "99999999999999999999",
            "true",
            "\"ja\"",
            "2026-05-07",
            "\"7 mei 2026\"",
            "12:00:00",
            "[\"a\", 1]",
            "[1, 2]",
            "[]",
            "{ titel = \"a\", bestand = 5 }",
            "[{ titel = \"a\" }]",
            "\"\"\"\ntitle = x\n\"\"\"",
            "\"é\tü\"",
            "\"unterminated",
            "{}",
            "[[\"a\"]]",
            "\"2026-05-07\"",
            "1e3",
            "inf",
            "0x1F",
            "2026-05-07T10:00:00",
        ][..],
    );
    prop_oneof![
        4 => (key.clone(), value.clone()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => (key.clone(), value).prop_map(|(k, v)| format!("\t\"{k}\" =\t{v}")),
        1 => key.clone().prop_map(|k| format!("[[{k}]]")),
        1 => key.clone().prop_map(|k| format!("[{k}]")),
        1 => key.prop_map(|k| format!("# {k} = 1")),
        1 => "[ -~]{0,12}",
    ]
}

const FRONT_KEYS: &[&str] = &[
    "title",
    "date",
    "nummer",
    "tags",
    "draft",
    "weight",
    "kenmerk",
    "bijlagen",
    "gemeenten",
    "opgaven",
    "zichtbaarheid",
    "aliases",
    "slug",
    "updated",
    "a.b",
    "bijlagen.titel",
    "titel",
    "bestand",
];
const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "theme",
    "gemeenten",
    "naam",
    "code",
    "slug",
    "toegankelijkheid",
    "datum",
    "status",
    "toegankelijkheid.datum",
    "markdown",
    "allow_raw_html",
    "briefhoofd",
    "postadres",
];

/// Every diagnostic renders; one with a source line shows the file's own line at its
/// position, with the column on it; no message names a Rust type.
fn check_diagnostics(text: &str, diags: &raadsite::Diagnostics) -> Result<(), TestCaseError> {
    for d in diags.iter() {
        let shown = d.to_string();
        let _ = d.to_json();
        for rust in [
            "u32",
            "i64",
            "struct ",
            "sequence",
            "TOML datetime",
            "invalid type",
        ] {
            prop_assert!(!shown.contains(rust), "{rust} in {shown}");
        }
        if let (Some(p), Some(s)) = (d.position, &d.snippet) {
            prop_assert_eq!(
                text.lines().nth(p.line - 1),
                Some(s.line.as_str()),
                "{}",
                shown
            );
            prop_assert!(p.column <= s.line.chars().count() + 1, "{}", shown);
        }
    }
    Ok(())
}

#[test]
fn an_error_at_the_end_of_front_matter_shows_its_last_line() {
    // Found by the property below: the parser stops after the last newline, on the line of
    // the closing `+++`, which is not part of the front matter.
    let text = "+++\n\"\"\"\n+++\n\nTekst.\n";
    let diags = raadsite::fuzzing::front_matter(text);
    assert!(!diags.is_empty());
    for d in &diags {
        check_diagnostics(text, d).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn front_matter_messages_point_at_their_own_line(
        lines in prop::collection::vec(toml_line(FRONT_KEYS), 0..10)
    ) {
        let text = format!("+++\n{}\n+++\n\nTekst.\n", lines.join("\n"));
        for diags in raadsite::fuzzing::front_matter(&text) {
            check_diagnostics(&text, &diags)?;
        }
    }

    #[test]
    fn site_toml_messages_point_at_their_own_line(
        lines in prop::collection::vec(toml_line(SITE_KEYS), 0..10)
    ) {
        let text = lines.join("\n");
        if let Some(diags) = raadsite::fuzzing::site_toml(&text) {
            check_diagnostics(&text, &diags)?;
        }
    }
}
