//! Folding and splitting text into words: the rules the search page's script
//! (`themes/raad/static/zoeken.js`, `fold` and `tokens`) applies to a query, so that a query
//! word meets the terms of the index. These are the plain, slow definitions; the build
//! indexes pages with the one-pass scanner in [`super::scan`], which property tests hold
//! to these.

use std::sync::LazyLock;

/// Frequent Dutch words left out of the index: they match nearly every page and would make
/// up most of its size.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "het", "hij", "hun", "in", "is", "je", "maar", "met", "na", "naar", "niet", "nog", "of", "om",
    "ook", "op", "te", "tot", "uit", "van", "voor", "was", "wat", "we", "wel", "werd", "wij",
    "worden", "wordt", "ze", "zich", "zijn", "zo",
];

/// Folds text for matching: lowercase, accents and diaeresis removed (`ï` -> `i`, `ß` ->
/// `ss`), apostrophes dropped so that "regio's" and "regios" meet. Other characters stay.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // Runs of ASCII, most of any Dutch text, in bulk.
        let n = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..n]);
        out[start..].make_ascii_lowercase();
        rest = &rest[n..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            fold_char(c, &mut out);
            rest = chars.as_str();
        }
    }
    if out.contains('\'') {
        out.retain(|c| c != '\'');
    }
    out
}

/// Folds one non-ASCII character.
pub(super) fn fold_char(c: char, out: &mut String) {
    if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
        return;
    }
    // Only Latin letters are transliterated (the browser side strips combining marks, which
    // covers the same letters); other scripts are lowercased as they are.
    let latin = ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c);
    if latin
        && c.is_alphabetic()
        && let Some(a) = deunicode::deunicode_char(c)
        && !a.is_empty()
        && a.chars().all(|x| x.is_ascii_alphanumeric())
    {
        out.extend(a.chars().map(|x| x.to_ascii_lowercase()));
        return;
    }
    out.extend(c.to_lowercase());
}

/// The folded words of `text`, stop words and one-letter words left out, in order.
pub fn tokens(text: &str) -> Vec<String> {
    words(&fold(text)).map(str::to_owned).collect()
}

/// The words of already folded text, stop words and one-letter words left out.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    runs(folded).filter(|w| indexable(w))
}

/// Whether a run of letters and digits is a word for the index: at least two characters
/// (one character is at most four bytes) and no stop word.
pub(super) fn indexable(w: &str) -> bool {
    w.len() > 1 && (w.len() > 4 || w.chars().nth(1).is_some()) && !is_stop_word(w)
}

/// The runs of letters and digits of a text.
pub(super) fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_stop_word(w: &str) -> bool {
    // Called for every word of every page: stop words are short, and a table per length
    // keeps the comparisons few.
    static BY_LENGTH: LazyLock<[Vec<&'static str>; 7]> = LazyLock::new(|| {
        let mut t: [Vec<&str>; 7] = Default::default();
        for w in STOP_WORDS {
            t[w.len()].push(w);
        }
        t
    });
    BY_LENGTH.get(w.len()).is_some_and(|t| t.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_folded_and_recognised() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| fold(w) == *w && w.len() <= 8));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for w in ["d", "dee", "zijnde", "worden1", "", "opgaven"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Geïnformeerd"), "geinformeerd");
        assert_eq!(fold("Één café, ĲSSEL"), "een cafe, ijssel");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("regio's en regio’s"), "regios en regios");
        assert_eq!(fold("ABC-é-DEF'"), "abc-e-def");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn splits_words_without_stop_words() {
        assert_eq!(
            tokens("In de brief van april 2025 bent u over het NPVR nader geïnformeerd."),
            [
                "brief",
                "april",
                "2025",
                "bent",
                "over",
                "npvr",
                "nader",
                "geinformeerd"
            ]
        );
        assert_eq!(
            tokens("(co)financiering, beleids- en investeringslogica"),
            ["co", "financiering", "beleids", "investeringslogica"]
        );
    }

    /// Words that are hard to fold: Dutch diacritics, ligatures, the sharp s, the Turkish
    /// dotted and dotless i, digits of other scripts, hyphens, apostrophes, emoji, other
    /// scripts and characters that are not words.
    const TRICKY: &[&str] = &[
        "geïnformeerd",
        "Geïnformeerd",
        "ÉÉN",
        "één",
        "coördinatie",
        "reünie",
        "ideeën",
        "café",
        "Zeeuws-Vlaanderen",
        "IJssel",
        "ĳssel",
        "Ĳmuiden",
        "ĲSSEL",
        "à",
        "ç",
        "ñ",
        "Ångström",
        "ﬁets",
        "ﬂat",
        "ﬀ",
        "ﬆ",
        "ﬃ",
        "Œuvre",
        "œuvre",
        "æther",
        "Æsop",
        "Straße",
        "STRASSE",
        "ẞ",
        "İstanbul",
        "ıspanak",
        "DİYARBAKIR",
        "Iİıi",
        "2025",
        "٣٤",
        "½",
        "x²",
        "Ⅻ",
        "①",
        "0x1F",
        "beleids-",
        "co-financiering",
        "e\u{2010}mail",
        "a–b",
        "a—b",
        "regio's",
        "regio’s",
        "regio‘s",
        "zʼn",
        "zo'n",
        "'s-Hertogenbosch",
        "’s-Gravenhage",
        "A4'tje",
        "`a´",
        "''",
        "😀",
        "a😀b",
        "👍🏽",
        "🇳🇱",
        "❤️",
        "ΑΘΗΝΑ",
        "Москва",
        "東京",
        "עברית",
        "العربية",
        "ﾃｽﾄ",
        "Łódź",
        "Ø",
        "ø",
        "Đ",
        "ð",
        "Þorn",
        "ŀl",
        "µ",
        "ª",
        "º",
        "K\u{212a}",
        "Å",
        "",
        " ",
        "a b",
        "\t\n",
        "\u{0}",
        "\u{feff}x",
        "x\u{200b}y",
    ];

    /// Words the two sides fold differently today. The test holds them to that: when a
    /// change makes one fold the same on both sides, strike it from the list.
    ///
    /// - A combining mark (U+0300 to U+036F, as in text in decomposed form) is dropped by
    ///   the script and kept by Rust, where it ends the word.
    /// - Letters of other scripts lose their marks in the script only (Greek tonos,
    ///   Cyrillic short i), Hangul syllables are decomposed into jamo there, and Indic
    ///   vowel signs end a word there but not in Rust.
    const KNOWN_WORDS: &[&str] = &[
        "cafe\u{301}",
        "Gei\u{308}nformeerd",
        "a\u{300}\u{301}b",
        "n\u{303}o",
        "Ἀθῆναι",
        "Σοφία",
        "ёлка",
        "Йошкар-Ола",
        "한국어",
        "हिन्दी",
    ];

    /// Latin letters that Unicode does not decompose and the script's own table does not
    /// list: Rust transliterates them (`ƒ` -> `f`, `ſ` -> `s`), the script keeps them. Known
    /// differences as [`KNOWN_WORDS`] are.
    const KNOWN_LATIN: &str = "ĦħĸŊŋŦŧſƀƁƂƃƄƅƆƇƈƉƊƋƌƍƎƐƑƒƓƔƕƖƗƘƙƚƛƜƝƞƟƢƣƤƥƦƧƨƩƪƫƬƭƮƱƲƳƴƵ\
        ƶƷƸƹƺƻƼƽƾƿǄǅǆǇǈǉǊǋǌǢǣǤǥǮǯǱǲǳǶǷǼǽǾǿȜȝȠȡȢȣȤȥȴȵȶȷȸȹȺȻȼȽȾȿɀɃɄɆɇɈɉɊɋɌɍɎɏẚẛẜẝẟỺỻỼỽỾỿ";

    /// The words and phrases that must fold the same both ways: [`TRICKY`], every Latin
    /// letter that Rust transliterates (alone, in a word and in capitals) but the known
    /// differences, and every word of the example site's content, as written and in
    /// capitals.
    fn parity_words() -> Vec<String> {
        let mut out: Vec<String> = TRICKY.iter().map(|w| w.to_string()).collect();
        let latin = ('\u{00C0}'..='\u{024F}').chain('\u{1E00}'..='\u{1EFF}');
        // In capitals some letters become a known one, or a letter and a combining mark.
        let known = |w: &String| {
            w.chars()
                .any(|c| KNOWN_LATIN.contains(c) || ('\u{300}'..='\u{36f}').contains(&c))
        };
        out.extend(
            latin
                .flat_map(|c| [c.to_string(), format!("x{c}y"), c.to_uppercase().collect()])
                .filter(|w| !known(w)),
        );
        let mut corpus = Vec::new();
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
            let entry = entry.expect("content folder readable");
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).expect("content file readable");
                corpus.extend(text.split_whitespace().map(str::to_owned));
            }
        }
        corpus.sort();
        corpus.dedup();
        assert!(
            corpus.len() > 300,
            "{} words in the example content",
            corpus.len()
        );
        out.extend(corpus.iter().map(|w| w.to_uppercase()));
        out.extend(corpus);
        out
    }

    /// The known differences, each as a word: [`KNOWN_WORDS`], every letter of
    /// [`KNOWN_LATIN`] and every combining mark in a word.
    fn known_differences() -> Vec<String> {
        let mut out: Vec<String> = KNOWN_WORDS.iter().map(|w| w.to_string()).collect();
        out.extend(KNOWN_LATIN.chars().map(|c| format!("x{c}y")));
        out.extend(('\u{300}'..='\u{36f}').map(|c| format!("xe{c}y")));
        out
    }

    /// `zoeken.js`'s `fold` and `tokens` of every word, by Node.js: `None` when `node` is
    /// not installed.
    fn folded_by_script(words: &[String]) -> Option<Vec<(String, Vec<String>)>> {
        use std::io::Write;
        const RUN: &str = "
            const fs = require('fs');
            require('vm').runInThisContext(fs.readFileSync(process.argv[1], 'utf8'));
            const { words, stop } = JSON.parse(fs.readFileSync(0, 'utf8'));
            const z = globalThis.RaadZoek;
            process.stdout.write(JSON.stringify(words.map((w) => [z.fold(w), z.tokens(w, stop)])));
        ";
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/raad/static/zoeken.js");
        let child = std::process::Command::new("node")
            .args(["-e", RUN])
            .arg(script)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn();
        let mut child = match child {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            other => other.expect("node starts"),
        };
        let input = serde_json::json!({ "words": words, "stop": STOP_WORDS });
        let mut stdin = child.stdin.take().expect("node's stdin");
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("words written to node");
        drop(stdin);
        let out = child.wait_with_output().expect("node runs");
        assert!(out.status.success(), "node failed: {}", out.status);
        Some(serde_json::from_slice(&out.stdout).expect("node's answer is JSON"))
    }

    /// The search page folds and splits a query as the index was: word for word, Rust
    /// against the theme's `zoeken.js` run by Node.js, with the known differences held to
    /// their list. Without `node` the test passes silently, unless `RAADSITE_REQUIRE_NODE=1`
    /// (as in CI) asks for it.
    #[test]
    fn folds_as_the_search_page_script_does() {
        let (same, known) = (parity_words(), known_differences());
        let words: Vec<String> = same.iter().chain(&known).cloned().collect();
        let Some(by_script) = folded_by_script(&words) else {
            let required = std::env::var("RAADSITE_REQUIRE_NODE").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "RAADSITE_REQUIRE_NODE=1 but node is not installed"
            );
            return;
        };
        assert_eq!(by_script.len(), words.len());
        let (mut differ, mut agree) = (Vec::new(), Vec::new());
        for (k, (w, (folded, split))) in words.iter().zip(&by_script).enumerate() {
            let (rust_folded, rust_split) = (fold(w), tokens(w));
            let equal = rust_folded == *folded && rust_split == *split;
            if k < same.len() && !equal {
                differ.push(format!(
                    "{w:?}: Rust {rust_folded:?} {rust_split:?}, zoeken.js {folded:?} {split:?}"
                ));
            } else if k >= same.len() && equal {
                agree.push(format!("{w:?}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} words fold differently in Rust and zoeken.js:\n{}",
            differ.len(),
            differ.join("\n")
        );
        assert!(
            agree.is_empty(),
            "known differences that are gone, strike them from the list: {}",
            agree.join(", ")
        );
    }
}
