//! TOML problems in front matter and `site.toml` as authors read them: a value of the wrong
//! kind names its key path and says in words what it must be (never a Rust type), the
//! message points at the value with the source line and carets under it, and checks after
//! parsing point at the key where the parser found it: also when it is dotted, quoted, in an
//! inline table, under a `[[...]]` header, or its name appears earlier in a value or comment.

use crate::common::{TestSite, check};

fn page(front: &str) -> String {
    format!("+++\n{front}\n+++\n\nTekst.\n")
}

/// What `raadsite check` prints on stderr for the fixture site with `rel` set to `text`.
fn check_with(rel: &str, text: &str) -> String {
    let site = TestSite::fixture("basic").with_file(rel, text);
    let (code, _, stderr) = check(site.root(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    stderr
}

/// The fixture's `site.toml` with `extra` added at the end.
fn site_toml_plus(extra: &str) -> String {
    let toml =
        std::fs::read_to_string(crate::common::repo().join("tests/fixtures/basic/site.toml"));
    format!("{}\n{extra}", toml.unwrap())
}

/// The line number (1-based) of the first line of `text` that is exactly `line`.
fn line_no(text: &str, line: &str) -> usize {
    text.lines().position(|l| l == line).unwrap() + 1
}

#[test]
fn a_whole_number_written_as_text() {
    let err = check_with(
        "content/opgaven/07-x.md",
        &page("title = \"X\"\nthema = \"Wonen\"\nnummer = \"zeven\""),
    );
    let expected = "\
error: nummer must be a whole number, not the text \"zeven\"
  --> content/opgaven/07-x.md:4:10
   |
 4 | nummer = \"zeven\"
   |          ^^^^^^^
   = help: write it in digits, without quotes: nummer = 7
";
    assert!(err.contains(expected), "{err}");

    let err = check_with(
        "content/opgaven/07-x.md",
        &page("title = \"X\"\nnummer = \"7\""),
    );
    assert!(
        err.contains("error: nummer must be a whole number, not the text \"7\"\n  --> content/opgaven/07-x.md:3:10"),
        "{err}"
    );
    assert!(
        err.contains("= help: write it without quotes: nummer = 7"),
        "{err}"
    );
}

#[test]
fn whole_numbers_out_of_range_and_with_decimals() {
    let err = check_with(
        "content/opgaven/07-x.md",
        &page("title = \"X\"\nnummer = -3"),
    );
    assert!(
        err.contains("error: nummer must be a whole number of 0 or more, not the number -3\n  --> content/opgaven/07-x.md:3:10"),
        "{err}"
    );
    let err = check_with(
        "content/opgaven/07-x.md",
        &page("title = \"X\"\nnummer = 7.0"),
    );
    assert!(
        err.contains("error: nummer must be a whole number, not the number 7.0"),
        "{err}"
    );
    assert!(
        err.contains("= help: write it without a decimal point: nummer = 7"),
        "{err}"
    );
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = 2026-01-01\nopgaven = [1, \"2\"]"),
    );
    assert!(
        err.contains("error: opgaven[1] must be a whole number, not the text \"2\"\n  --> content/brieven/2026-01-01-x.md:4:15\n   |\n 4 | opgaven = [1, \"2\"]\n   |               ^^^\n"),
        "{err}"
    );
}

#[test]
fn a_date_written_as_text() {
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = \"7 mei 2026\""),
    );
    let expected = "\
error: date must be a date such as 2026-05-07, not the text \"7 mei 2026\"
  --> content/brieven/2026-01-01-x.md:3:8
   |
 3 | date = \"7 mei 2026\"
   |        ^^^^^^^^^^^^
   = help: write it as year-month-day, without quotes: date = 2026-05-07
";
    assert!(err.contains(expected), "{err}");

    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = 2026-01-01\nuw_brief_van = 12:00:00"),
    );
    assert!(
        err.contains("error: uw_brief_van must be a date such as 2026-05-07, not the time 12:00:00\n  --> content/brieven/2026-01-01-x.md:4:16"),
        "{err}"
    );
}

#[test]
fn a_list_true_or_false_and_text() {
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = 2026-01-01\ntags = \"NPVR\""),
    );
    assert!(
        err.contains("error: tags must be a list, not the text \"NPVR\"\n  --> content/brieven/2026-01-01-x.md:4:8\n   |\n 4 | tags = \"NPVR\"\n   |        ^^^^^^\n   = help: put it between square brackets: tags = [\"NPVR\"]"),
        "{err}"
    );
    let err = check_with("content/info/x.md", &page("title = \"X\"\ndraft = \"ja\""));
    assert!(
        err.contains("error: draft must be true or false, not the text \"ja\"\n  --> content/info/x.md:3:9\n   |\n 3 | draft = \"ja\"\n   |         ^^^^\n   = help: write it without quotes: draft = true"),
        "{err}"
    );
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = 2026-01-01\nkenmerk = 2600013167"),
    );
    assert!(
        err.contains("error: kenmerk must be text, not the number 2600013167\n  --> content/brieven/2026-01-01-x.md:4:11\n   |\n 4 | kenmerk = 2600013167\n   |           ^^^^^^^^^^\n   = help: put it between quotes: kenmerk = \"2600013167\""),
        "{err}"
    );
}

#[test]
fn a_value_under_a_double_bracket_header_names_its_item() {
    let front = "title = \"X\"\ndate = 2026-01-01\n\n[[bijlagen]]\ntitel = \"Plan\"\nbestand = \"plan.pdf\"\n\n[[bijlagen]]\ntitel = \"Kaart\"\nbestand = 5";
    let err = check_with("content/brieven/2026-01-01-x.md", &page(front));
    assert!(
        err.contains("error: bijlagen[1].bestand must be text, not the number 5\n  --> content/brieven/2026-01-01-x.md:11:11\n   |\n11 | bestand = 5\n   |           ^\n   = help: put it between quotes: bestand = \"5\""),
        "{err}"
    );
    // One [bijlagen] table where a list of them is needed.
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page(
            "title = \"X\"\ndate = 2026-01-01\n[bijlagen]\ntitel = \"a\"\nbestand = \"plan.pdf\"",
        ),
    );
    assert!(
        err.contains(
            "error: bijlagen must be a list, not a table\n  --> content/brieven/2026-01-01-x.md:4:1"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: write the heading as [[bijlagen]], with double brackets, once for each item"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_key_in_a_table_is_compared_with_that_tables_keys() {
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page(
            "title = \"X\"\ndate = 2026-01-01\nbijlagen = [{ titel = \"a\", bestan = \"plan.pdf\" }]",
        ),
    );
    assert!(
        err.contains("error: unknown key \"bestan\" in front matter, in bijlagen[0]\n  --> content/brieven/2026-01-01-x.md:4:28"),
        "{err}"
    );
    assert!(err.contains("= help: did you mean \"bestand\"?"), "{err}");
}

#[test]
fn wrong_types_in_site_toml_name_the_table_and_key() {
    let text = site_toml_plus("\n[toegankelijkheid]\ndatum = \"2026-05-07\"\n");
    let line = line_no(&text, "datum = \"2026-05-07\"");
    let err = check_with("site.toml", &text);
    let expected = format!(
        "error: toegankelijkheid.datum must be a date such as 2026-05-07, not the text \"2026-05-07\"\n  --> site.toml:{line}:9\n   |\n{line:>2} | datum = \"2026-05-07\"\n   |         ^^^^^^^^^^^^\n   = help: write it without quotes: datum = 2026-05-07"
    );
    assert!(err.contains(&expected), "{err}");

    let text = site_toml_plus("\n[markdown]\nallow_raw_html = \"ja\"\n");
    let line = line_no(&text, "allow_raw_html = \"ja\"");
    let err = check_with("site.toml", &text);
    assert!(
        err.contains(&format!("error: markdown.allow_raw_html must be true or false, not the text \"ja\"\n  --> site.toml:{line}:18")),
        "{err}"
    );

    let err = check_with("site.toml", "title = 5\n");
    assert!(
        err.contains("error: title must be text, not the number 5\n  --> site.toml:1:9\n   |\n 1 | title = 5\n   |         ^\n   = help: put it between quotes: title = \"5\""),
        "{err}"
    );
    let err = check_with("site.toml", "title = \"T\"\ngemeenten = \"Almelo\"\n");
    assert!(
        err.contains(
            "error: gemeenten must be a list, not the text \"Almelo\"\n  --> site.toml:2:13"
        ),
        "{err}"
    );
    // serde reads a list into a table by position, and says "invalid length" of a short one.
    let err = check_with("site.toml", "title = \"T\"\nbriefhoofd = []\n");
    assert!(
        err.contains("error: briefhoofd must be a table, not a list\n  --> site.toml:2:14"),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: write it as a table: a line [briefhoofd] with its keys on the lines below it"
        ),
        "{err}"
    );
    // A dotted key is named by its whole path too.
    let err = check_with("site.toml", "title = \"T\"\ntoegankelijkheid.datum = 7\n");
    assert!(
        err.contains("error: toegankelijkheid.datum must be a date such as 2026-05-07, not the number 7\n  --> site.toml:2:26"),
        "{err}"
    );
    let err = check_with(
        "site.toml",
        "title = \"T\"\n[[gemeenten]]\nnaam = \"Almelo\"\ncode = \"GM0141\"\n[[gemeenten]]\nnaam = \"Borne\"\n",
    );
    assert!(
        err.contains("error: missing key \"code\" in site.toml, in gemeenten[1]\n  --> site.toml:5:1\n   |\n 5 | [[gemeenten]]\n   | ^^^^^^^^^^^^^"),
        "{err}"
    );
}

#[test]
fn no_message_names_a_rust_type() {
    let cases = [
        ("content/opgaven/07-x.md", "nummer = \"x\""),
        ("content/opgaven/07-x.md", "nummer = 1e3"),
        ("content/opgaven/07-x.md", "nummer = 99999999999"),
        ("content/info/x.md", "weight = \"zwaar\""),
        ("content/info/x.md", "weight = 99999999999999999999"),
        ("content/info/x.md", "updated = [2026-01-01]"),
        ("content/info/x.md", "tags = { a = 1 }"),
        ("content/info/x.md", "aliases = [1]"),
        ("content/info/x.md", "draft = 0"),
        ("content/info/x.md", "zichtbaarheid = \"geheim\""),
        ("content/info/x.md", "zichtbaarheid = 1"),
        (
            "content/brieven/2026-01-01-x.md",
            "bijlagen = [\"plan.pdf\"]",
        ),
        ("content/brieven/2026-01-01-x.md", "bijlagen = \"plan.pdf\""),
        (
            "content/brieven/2026-01-01-x.md",
            "gemeenten = [[\"almelo\"]]",
        ),
        (
            "content/brieven/2026-01-01-x.md",
            "description = { nl = \"X\" }",
        ),
    ];
    let rust = [
        "u32",
        "u64",
        "i64",
        "usize",
        "String",
        "struct",
        "sequence",
        "TOML datetime",
        "boolean",
        "invalid type",
        "Bijlage",
        "Option",
        "map",
        "`",
    ];
    for (rel, line) in cases {
        let err = check_with(
            rel,
            &page(&format!("title = \"X\"\ndate = 2026-01-01\n{line}")),
        );
        let first = err.lines().next().unwrap();
        assert!(first.starts_with("error: "), "{line}: {err}");
        for word in rust {
            assert!(!err.contains(word), "{line}: \"{word}\" in:\n{err}");
        }
        assert!(err.contains(&format!(" | {line}\n")), "{line}: {err}");
    }
}

#[test]
fn check_json_gives_the_source_line_and_where_the_value_ends() {
    let site = TestSite::fixture("basic").with_file(
        "content/opgaven/07-x.md",
        &page("title = \"X\"\nnummer = \"zeven\""),
    );
    let (code, stdout, _) = check(site.root(), &["--format", "json"]);
    assert_eq!(code, Some(1));
    let d: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        d,
        serde_json::json!({
            "file": "content/opgaven/07-x.md",
            "line": 3,
            "column": 10,
            "severity": "error",
            "message": "nummer must be a whole number, not the text \"zeven\"",
            "help": "write it in digits, without quotes: nummer = 7",
            "source_line": "nummer = \"zeven\"",
            "end_column": 17,
        })
    );
}

#[test]
fn carets_count_characters_and_keep_tabs() {
    let err = check_with(
        "content/info/x.md",
        &page("title = \"Één\"\n\tweight =\t\"één\""),
    );
    assert!(
        err.contains(
            "  --> content/info/x.md:3:11\n   |\n 3 | \tweight =\t\"één\"\n   | \t        \t^^^^^\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("= help: write it in digits, without quotes: weight = 1"),
        "{err}"
    );
}

// Checks after parsing, at keys the old search by text found on the wrong line.

#[test]
fn a_bijlage_under_a_double_bracket_header_is_pointed_at() {
    let front = "title = \"X\"\ndate = 2026-01-01\n\n[[bijlagen]]\ntitel = \"Plan\"\nbestand = \"plan.pdf\"\n\n[[bijlagen]]\ntitel = \"Kaart\"\nbestand = \"kaart.pdf\"";
    let err = check_with("content/brieven/2026-01-01-x.md", &page(front));
    assert!(
        err.contains("error: bijlage \"kaart.pdf\" is not found next to the letter nor in static/\n  --> content/brieven/2026-01-01-x.md:11:1\n   |\n11 | bestand = \"kaart.pdf\"\n   | ^^^^^^^^^^^^^^^^^^^^^\n"),
        "{err}"
    );
}

#[test]
fn a_bijlage_in_an_inline_table_is_pointed_at() {
    let front = "title = \"X\"\ndate = 2026-01-01\nbijlagen = [\n  { titel = \"Plan\", bestand = \"plan.pdf\" },\n  { titel = \"Kaart\", bestand = \"kaart.pdf\" },\n]";
    let err = check_with("content/brieven/2026-01-01-x.md", &page(front));
    let expected = format!(
        "error: bijlage \"kaart.pdf\" is not found next to the letter nor in static/\n  --> content/brieven/2026-01-01-x.md:6:22\n   |\n 6 |   {{ titel = \"Kaart\", bestand = \"kaart.pdf\" }},\n   | {}{}\n",
        " ".repeat(21),
        "^".repeat(21)
    );
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn a_quoted_key_is_pointed_at() {
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page("title = \"X\"\ndate = 2026-01-01\n\"gemeenten\" = [\"almelo\", \"almeloo\"]"),
    );
    assert!(
        err.contains("error: unknown gemeente \"almeloo\"\n  --> content/brieven/2026-01-01-x.md:4:26\n   |\n 4 | \"gemeenten\" = [\"almelo\", \"almeloo\"]\n   |                          ^^^^^^^^^\n   = help: did you mean \"almelo\"?"),
        "{err}"
    );
}

#[test]
fn a_key_whose_name_is_in_an_earlier_value_is_pointed_at() {
    let front = "title = \"X\"\ndate = 2026-01-01\ndescription = \"\"\"\ngemeenten = die van Twente\n\"\"\"\ngemeenten = [\"almeloo\"]";
    let err = check_with("content/brieven/2026-01-01-x.md", &page(front));
    assert!(
        err.contains(
            "error: unknown gemeente \"almeloo\"\n  --> content/brieven/2026-01-01-x.md:7:14"
        ),
        "{err}"
    );
}

#[test]
fn site_toml_keys_after_a_comment_or_in_a_dotted_key_are_pointed_at() {
    let err = check_with(
        "site.toml",
        "# base_url: waar de site komt te staan\ntitle = \"T\"\nbase_url = \"raad.example.nl\"\n",
    );
    assert!(
        err.contains("error: base_url \"raad.example.nl\" is not an absolute URL\n  --> site.toml:3:1\n   |\n 3 | base_url = \"raad.example.nl\"\n   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   = help: write it as https://host/path/"),
        "{err}"
    );
    let err = check_with(
        "site.toml",
        "description = \"Het theme van de raad\"\ntitle = \"T\"\ntheme = \"mijn thema\"\n",
    );
    assert!(
        err.contains("error: theme \"mijn thema\" is not a folder name\n  --> site.toml:3:1"),
        "{err}"
    );
    let err = check_with(
        "site.toml",
        "title = \"T\"\ntoegankelijkheid.toelichting = \"Eerder: \\\"voldoet gedeeltelijke\\\".\"\ntoegankelijkheid.status = \"voldoet gedeeltelijke\"\n",
    );
    assert!(
        err.contains("error: toegankelijkheid: unknown status \"voldoet gedeeltelijke\"\n  --> site.toml:3:1\n   |\n 3 | toegankelijkheid.status = \"voldoet gedeeltelijke\"\n"),
        "{err}"
    );
    let err = check_with(
        "site.toml",
        "title = \"T\"\n# GM14 is de oude code\n[[gemeenten]]\nnaam = \"Almelo\"\ncode = \"GM14\"\n",
    );
    assert!(
        err.contains(
            "error: CBS code \"GM14\" of Almelo is not of the form GM0000\n  --> site.toml:5:1"
        ),
        "{err}"
    );
}

#[test]
fn a_glossary_term_after_a_term_line_inside_a_text_is_pointed_at() {
    let text = "[[begrip]]\nterm = \"ABC\"\nuitleg = \"\"\"\nterm = staat hier in de uitleg\n\"\"\"\n\n[[begrip]]\nterm = \"ABC\"\nuitleg = \"Nog een keer.\"\n";
    let err = check_with("content/begrippen.toml", text);
    assert!(
        err.contains("error: term \"ABC\" is listed twice\n  --> content/begrippen.toml:8:1"),
        "{err}"
    );
}

#[test]
fn a_top_level_key_below_a_heading_is_told_to_move_up() {
    let text = site_toml_plus("base_url = \"https://raad.example.nl/\"\n");
    let line = line_no(&text, "base_url = \"https://raad.example.nl/\"");
    let err = check_with("site.toml", &text);
    assert!(
        err.contains(&format!("error: unknown key \"base_url\" in site.toml, in gemeenten[2]\n  --> site.toml:{line}:1")),
        "{err}"
    );
    assert!(
        err.contains("= help: base_url is not a key of [[gemeenten]]: move the line up, above the first line in square brackets (the lines below [[gemeenten]] belong to it)"),
        "{err}"
    );
    // In an inline table there is no heading to move above.
    let err = check_with(
        "content/brieven/2026-01-01-x.md",
        &page(
            "title = \"X\"\ndate = 2026-01-01\nbijlagen = [{ titel = \"a\", bestand = \"plan.pdf\", kenmerk = \"1\" }]",
        ),
    );
    assert!(err.contains("= help: known keys: titel, bestand"), "{err}");
}
