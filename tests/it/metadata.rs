//! Machine-readable metadata: `metadata.json` next to every letter and opgave, `index.json`
//! listing them, TOOI identifiers, source hashes and the optional Woo category.

use std::collections::BTreeSet;

use crate::common::{TestSite, output_files};
use serde_json::Value;
use sha2::{Digest, Sha256};

const SEED: &str = "brieven/plan-voor-de-regio/metadata.json";

fn json(built: &crate::common::Built, rel: &str) -> Value {
    serde_json::from_str(&built.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_letter_and_opgave_has_metadata_listed_in_the_index() {
    for site in [TestSite::example(), TestSite::fixture("basic")] {
        let built = site.build();
        // Letters and opgaven are the pages under brieven/ and opgaven/ (not the lists).
        let documents: BTreeSet<String> = output_files(&built.out())
            .into_iter()
            .filter(|f| {
                (f.starts_with("brieven/") || f.starts_with("opgaven/"))
                    && f.ends_with("/index.html")
                    && f.matches('/').count() == 2
            })
            .map(|f| f.replace("/index.html", "/metadata.json"))
            .collect();
        assert!(!documents.is_empty());
        let listed_docs = indexed(&built);
        let listed: BTreeSet<String> = listed_docs
            .iter()
            .map(|d| d["metadata"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, documents);
        for d in &listed_docs {
            let m = json(&built, d["metadata"].as_str().unwrap());
            assert_eq!(m["titel"], d["titel"]);
            assert_eq!(m["soort"], d["soort"]);
            assert!(built.exists(m["pagina"].as_str().unwrap()));
            assert_eq!(m["permalink"], m["pagina"], "relative without base_url");
            let source =
                std::fs::read(built.site.root().join(m["bron"]["pad"].as_str().unwrap())).unwrap();
            assert_eq!(m["bron"]["sha256"], hex(&Sha256::digest(&source)).as_str());
            assert!(m["informatiecategorie"].is_null(), "off unless enabled");
        }
    }
}

/// The documents of `index.json`, from its parts in order, after checking that each part
/// has the count, kind and month the index gives it: letters by month, newest first, then
/// the opgaven.
fn indexed(built: &crate::common::Built) -> Vec<Value> {
    let index = json(built, "index.json");
    assert_eq!(index["schema"], 2);
    let mut documents = Vec::new();
    let mut months = Vec::new();
    for part in index["delen"].as_array().unwrap() {
        let file = json(built, part["pad"].as_str().unwrap());
        let listed = file["documenten"].as_array().unwrap();
        assert_eq!(part["documenten"], listed.len());
        assert_eq!(file["soort"], part["soort"]);
        assert_eq!(file["maand"], part["maand"]);
        for d in listed {
            assert_eq!(d["soort"], part["soort"]);
            if let Some(month) = part["maand"].as_str() {
                assert!(d["datum"].as_str().unwrap().starts_with(month), "{d}");
                months.push(month.to_owned());
            }
        }
        documents.extend(listed.iter().cloned());
    }
    let mut newest_first = months.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(months, newest_first);
    documents
}

#[test]
fn seed_letter_is_addressed_to_all_fourteen_gemeenten_by_tooi_id() {
    let built = TestSite::example().build();
    let m = json(&built, SEED);
    assert_eq!(m["soort"], "brief");
    assert_eq!(m["kenmerk"], "2600013167");
    assert_eq!(m["datum"], "2026-05-07");
    assert_eq!(m["afzender"], "Voorzitter BOSS");
    assert_eq!(
        m["bron"]["pad"],
        "content/brieven/2026-05-07-plan-voor-de-regio.md"
    );
    // The codes as site.toml gives them.
    let toml = std::fs::read_to_string(crate::common::repo().join("site.toml")).unwrap();
    let codes: Vec<String> = toml
        .lines()
        .filter_map(|l| l.strip_prefix("code = \""))
        .map(|c| c.trim_end_matches('"').to_ascii_lowercase())
        .collect();
    assert_eq!(codes.len(), 14);
    let tooi: Vec<&str> = m["gemeenten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["tooi"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = codes
        .iter()
        .map(|c| format!("https://identifier.overheid.nl/tooi/id/gemeente/{c}"))
        .collect();
    assert_eq!(tooi, expected);
    assert!(tooi.contains(&"https://identifier.overheid.nl/tooi/id/gemeente/gm0153"));
}

#[test]
fn base_url_makes_permalinks_absolute_and_woo_category_is_opt_in() {
    let site = TestSite::fixture("basic").with_base_url("https://raad.example.nl/stukken");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap()
        + "\n[metadata]\nwoo_categorie = true\n";
    let built = site.with_file("site.toml", &toml).build();
    let m = json(&built, "brieven/eerste-brief/metadata.json");
    assert_eq!(
        m["permalink"],
        "https://raad.example.nl/stukken/brieven/eerste-brief/"
    );
    assert_eq!(
        m["informatiecategorie"]["uri"],
        "https://identifier.overheid.nl/tooi/def/thes/kern/c_8c840238"
    );
    assert_eq!(
        m["informatiecategorie"]["label"],
        "bij vertegenwoordigende organen ingekomen stukken"
    );
    assert_eq!(m["opgaven"][0]["nummer"], 1);
    assert_eq!(
        m["opgaven"][0]["metadata"],
        "opgaven/01-eerste/metadata.json"
    );
    assert_eq!(m["bijlagen"][0]["pad"], "brieven/plan.pdf");
    assert_eq!(m["tags"], serde_json::json!(["NPVR", "Financiën"]));
    // Opgaven are not letters to a representative body.
    let o = json(&built, "opgaven/01-eerste/metadata.json");
    assert!(o["informatiecategorie"].is_null());
    assert_eq!(o["nummer"], 1);
    assert_eq!(o["gemeenten"][1]["cbs_code"], "GM1742");
    let err = TestSite::fixture("basic")
        .with_file("site.toml", &toml.replace("woo_categorie", "woo_category"))
        .build_err();
    assert!(err.contains("unknown key \"woo_category\""), "{err}");
}

#[test]
fn output_is_deterministic() {
    let a = TestSite::fixture("basic").build();
    let b = TestSite::fixture("basic").build();
    for f in ["index.json", "brieven/eerste-brief/metadata.json"] {
        assert_eq!(a.read(f), b.read(f));
    }
}
