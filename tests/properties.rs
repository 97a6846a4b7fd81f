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
