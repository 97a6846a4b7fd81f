//! What one render leaves for the next render of the same site, so that `serve` redoes only
//! what an edit changed.
//!
//! Every output is a pure function of its inputs. A render with a cache gives every output
//! a key of those inputs (cheap next to rendering) and renders only what has another key
//! than in the render before; the rest stays as it is in the published site. A list
//! page's key hashes its view, with one key per listed page (`Listed`). A content page's
//! key is made of exactly what its view reads (`page_key`): its document, the link table
//! its body is rendered against, the summaries of the pages it shows, the templates and
//! the configuration. A changed title changes the summary, and so the keys of the lists
//! and related pages that show it: exactly those render again.

use std::cell::Cell;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::Diagnostics;
use crate::digest::HashWriter;
use crate::markdown::Html;
use crate::profile::Zichtbaarheid;
use crate::search::Collector;
use crate::site::{Site, Target};
use crate::views::Summary;

/// A hash of the inputs of an output.
pub type Key = u128;

/// What a render with a cache found, for the next one (see the module documentation).
#[derive(Default)]
pub struct RenderCache {
    /// Per content page (by source path): its rendered body.
    pub(crate) bodies: FxHashMap<String, Arc<Body>>,
    /// Per output path: the key of what it was rendered from.
    pub(crate) outputs: FxHashMap<String, Key>,
    /// Per run of content pages: the key of its documents, their share of the search
    /// index and the start of their texts.
    pub(crate) shards: FxHashMap<usize, Run>,
    /// Per summary key: the summary as templates get it.
    pub(crate) values: FxHashMap<Key, tera::Value>,
    /// The search index's collector of every text shard above, merged, with the number of
    /// documents it was made of. A render takes it to change it into its own; one that
    /// fails leaves none, and the next merges the shards again.
    pub(crate) search: Mutex<Option<(usize, Collector)>>,
    /// Per file of the search index (by path): the key of its bytes.
    pub(crate) term_shards: FxHashMap<String, Key>,
    /// Every page's summary and its key. A render takes them to reuse those of the
    /// documents it still has (see [`summaries`]).
    pub(crate) summaries: Mutex<Option<Summaries>>,
    /// Per letter and opgave (by page URL): the key of its page, and its entry in the
    /// metadata index. Its metadata is made of a subset of what its page is made of.
    pub(crate) metadata: FxHashMap<String, Entry>,
}

/// The start of the readable text of each page of a run, for the search index's snippets.
pub(crate) type Texts = Arc<[Box<str>]>;

/// What a run of content pages gave the search index: the key of its documents, their
/// share of the index and the start of their texts.
pub(crate) type Run = (Key, Arc<Collector>, Texts);

/// A document's entry in the metadata index, with the key of its page.
pub(crate) type Entry = (Key, Arc<[u8]>);

/// A rendered Markdown body with the key of its inputs.
pub(crate) struct Body {
    pub key: Key,
    pub html: Html,
    pub diags: Diagnostics,
}

/// The cache a render fills as it goes, from any thread.
#[derive(Default)]
pub(crate) struct Fresh {
    pub bodies: Mutex<FxHashMap<String, Arc<Body>>>,
    pub outputs: Mutex<FxHashMap<String, Key>>,
    pub shards: Mutex<FxHashMap<usize, Run>>,
    pub metadata: Mutex<FxHashMap<String, Entry>>,
    pub values: FxHashMap<Key, tera::Value>,
    pub search: Option<(usize, Collector)>,
    pub term_shards: FxHashMap<String, Key>,
    pub summaries: Option<Summaries>,
}

impl Fresh {
    pub fn into_cache(self) -> RenderCache {
        RenderCache {
            bodies: take(self.bodies),
            outputs: take(self.outputs),
            shards: take(self.shards),
            metadata: take(self.metadata),
            values: self.values,
            search: Mutex::new(self.search),
            term_shards: self.term_shards,
            summaries: Mutex::new(self.summaries),
        }
    }
}

fn take<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Hashes bytes and serialisable values into a [`Key`].
pub(crate) struct Hasher(Xxh3);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher(Xxh3::new())
    }

    /// Adds `bytes`, length-prefixed so that consecutive parts cannot run into each other.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn key(&mut self, key: Key) -> &mut Hasher {
        self.0.update(&key.to_le_bytes());
        self
    }

    /// Adds `value` as JSON, without building the JSON text. Pages in lists stand in by
    /// their keys (see [`Listed`]).
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Hasher {
        let outer = KEYED.replace(true);
        // Writing into a hasher cannot fail, and the values are plain data.
        let _ = serde_json::to_writer(HashWriter(&mut self.0), value);
        KEYED.set(outer);
        self.0.update(b"\0");
        self
    }

    pub fn finish(&self) -> Key {
        self.0.digest128()
    }
}

/// The key of everything every page depends on: the templates, the configuration and the
/// `site` value all templates get.
pub(crate) fn environment<T: Serialize>(config: Key, templates: Key, site_view: &T) -> Key {
    Hasher::new()
        .key(templates)
        .key(config)
        .value(site_view)
        .finish()
}

/// The key of what Markdown bodies are rendered against besides their own text: where
/// every link target is published, the static files and the glossary.
pub(crate) fn link_table(site: &Site, environment: Key) -> Key {
    let mut targets: Vec<(&String, &Target)> = site.targets.iter().collect();
    targets.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut h = Hasher::new();
    h.key(environment);
    for (rel, target) in targets {
        h.bytes(rel.as_bytes());
        match target {
            Target::Page(i) => h.bytes(b"page").bytes(site.pages[*i].url.as_bytes()),
            Target::Section(i) => h.bytes(b"section").bytes(site.sections[*i].url.as_bytes()),
            Target::Home => h.bytes(b"home"),
            Target::Asset(url) => h.bytes(b"asset").bytes(url.as_bytes()),
            Target::Draft => h.bytes(b"draft"),
            Target::Intern => h.bytes(b"intern"),
            Target::Personal => h.bytes(b"personal"),
            Target::Broken => h.bytes(b"broken"),
        };
    }
    let mut statics: Vec<&String> = site.static_files.iter().collect();
    statics.sort_unstable();
    for s in statics {
        h.bytes(s.as_bytes());
    }
    h.value(&site.glossary);
    h.finish()
}

/// The key of the files the single-file renditions put inline (see `single.rs`): every
/// published file's path with its bytes (built in) or its size and modification time.
pub(super) fn published_files(files: &FxHashMap<String, super::single::Bytes>) -> Key {
    let mut sorted: Vec<_> = files.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut h = Hasher::new();
    for (rel, bytes) in sorted {
        h.bytes(rel.as_bytes());
        match bytes {
            super::single::Bytes::Builtin(b) => h.bytes(b),
            super::single::Bytes::Disk(p) => {
                let meta = std::fs::metadata(p).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                h.value(&(meta.map(|m| m.len()), modified))
            }
        };
    }
    h.finish()
}

thread_local! {
    /// Set while a value is serialised into a [`Hasher`].
    static KEYED: Cell<bool> = const { Cell::new(false) };
}

/// A page in a list view. Templates get its summary; the key of the view gets the key of
/// the summary instead, so that hashing a list of thousands of pages (a section, a tag, a
/// gemeente) costs one small hash per page rather than its whole summary again.
#[derive(Clone, Copy)]
pub(crate) struct Listed<'a> {
    /// The summary as templates get it, made once per page rather than once per list.
    pub value: &'a tera::Value,
    /// The key of the summary; 0 in a render without a cache, which never hashes views.
    pub key: Key,
}

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if KEYED.get() {
            serializer.serialize_u128(self.key)
        } else {
            // Tera takes a `Value` inside the data as it is (a shared, counted reference).
            self.value.serialize(serializer)
        }
    }
}

/// The summaries of a render's pages with their keys, in page order, and the keys of the
/// documents they were made of (see [`document_keys`]).
pub(crate) struct Summaries {
    documents: Vec<Key>,
    summaries: Vec<Summary>,
    keys: Vec<Key>,
}

impl Summaries {
    pub fn of(documents: Vec<Key>, summaries: Vec<Summary>, keys: Vec<Key>) -> Summaries {
        Summaries {
            documents,
            summaries,
            keys,
        }
    }
}

/// The key of every page's document, in page order: what it was parsed from (its path,
/// the SHA-256 of its file and the configuration) and the visibility it inherited from its
/// section (`config` is the configuration's [`crate::config::Config::key`]). Equal keys mean
/// equal documents, whichever load parsed them.
pub(crate) fn document_keys(site: &Site, config: Key) -> Vec<Key> {
    use rayon::prelude::*;
    site.pages
        .par_iter()
        .map(|p| {
            let src = &p.doc.source;
            Hasher::new()
                .key(config)
                .bytes(src.rel.as_bytes())
                .bytes(src.shown.as_os_str().as_encoded_bytes())
                .bytes(src.sha256.as_bytes())
                .bytes(&[u8::from(
                    p.doc.common.zichtbaarheid == Zichtbaarheid::Intern,
                )])
                .finish()
        })
        .collect()
}

/// Every page's summary and its key, in page order. A summary is made of the page's
/// document and URL only: those of documents (by their `documents` keys) the render before
/// had at the same URL are taken over from `cache`; only the others are made and hashed.
pub(crate) fn summaries(
    site: &Site,
    documents: &[Key],
    cache: &RenderCache,
) -> (Vec<Summary>, Vec<Key>) {
    use rayon::prelude::*;
    let mut earlier = cache
        .summaries
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    let at: FxHashMap<Key, usize> = earlier
        .iter()
        .flat_map(|e| e.documents.iter().enumerate().map(|(j, &d)| (d, j)))
        .collect();
    let found: Vec<Option<usize>> = site
        .pages
        .iter()
        .zip(documents)
        .map(|(p, d)| {
            let j = *at.get(d)?;
            let e = earlier.as_ref()?;
            (e.summaries[j].url == p.url).then_some(j)
        })
        .collect();
    let mut made: Vec<Option<(Summary, Key)>> = site
        .pages
        .par_iter()
        .zip(&found)
        .map(|(page, j)| {
            j.is_none().then(|| {
                let s = Summary::of(page);
                let key = Hasher::new().value(&s).finish();
                (s, key)
            })
        })
        .collect();
    let mut summaries = Vec::with_capacity(site.pages.len());
    let mut keys = Vec::with_capacity(site.pages.len());
    for (j, made) in found.into_iter().zip(&mut made) {
        let (s, key) = match (j, &mut earlier) {
            (Some(j), Some(e)) => (std::mem::take(&mut e.summaries[j]), e.keys[j]),
            _ => made
                .take()
                .unwrap_or_else(|| unreachable!("made when not found")),
        };
        summaries.push(s);
        keys.push(key);
    }
    (summaries, keys)
}

/// Every page's summary as templates get it, in page order; with `cache`, those of
/// summaries with the same key as in the render before are taken from there, and `fresh`
/// gets them all.
pub(crate) fn summary_values(
    summaries: &[Summary],
    keys: &[Key],
    cache: Option<&RenderCache>,
    fresh: Option<&mut Fresh>,
) -> Vec<tera::Value> {
    use rayon::prelude::*;
    let values: Vec<tera::Value> = summaries
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let earlier = cache.zip(keys.get(i)).and_then(|(c, k)| c.values.get(k));
            match earlier {
                Some(v) => v.clone(),
                // Strings and numbers only: serialising them cannot fail.
                None => {
                    tera::Value::try_from_serializable(s).unwrap_or_else(|_| tera::Value::none())
                }
            }
        })
        .collect();
    if let Some(fresh) = fresh {
        fresh.values = keys.iter().copied().zip(values.iter().cloned()).collect();
    }
    values
}

/// The key of what the content pages' views read from the rest of the site: the opgaven
/// (a letter shows those it names, found by number) and the tags.
pub(crate) fn page_environment(site: &Site, summary_keys: &[Key], environment: Key) -> Key {
    let mut h = Hasher::new();
    h.key(environment);
    for &o in &site.opgaven {
        h.key(summary_keys[o]);
    }
    for t in &site.tags {
        h.bytes(t.name.as_bytes()).bytes(t.url.as_bytes());
    }
    h.finish()
}

/// The key of content page `i`'s view ([`crate::views::PageView::of`]): exactly
/// what that reads. Its document stands in by its key (see [`document_keys`]).
pub(crate) fn page_key(
    site: &Site,
    i: usize,
    summary_keys: &[Key],
    page_environment: Key,
    template: &str,
    document: Key,
    body: Key,
) -> Key {
    let page = &site.pages[i];
    let mut h = Hasher::new();
    h.key(page_environment)
        .bytes(template.as_bytes())
        .bytes(page.url.as_bytes())
        .key(document)
        .key(summary_keys[i])
        .key(body);
    for b in &page.bijlagen {
        h.bytes(b.titel.as_bytes())
            .bytes(b.url.as_bytes())
            .bytes(b.kind.as_bytes())
            .bytes(&b.size.to_le_bytes());
    }
    for &l in site.opgave_letters.get(&i).into_iter().flatten() {
        h.key(summary_keys[l]);
    }
    // The archived versions the page lists: a new snapshot renders exactly the pages it
    // holds again.
    for v in site.versions.get(&page.url).into_iter().flatten() {
        h.bytes(v.label.as_bytes())
            .bytes(v.datum_iso.as_bytes())
            .bytes(v.toelichting.as_bytes())
            .bytes(v.wijzigingen.as_deref().unwrap_or("").as_bytes())
            .bytes(&[u8::from(v.nieuw)]);
    }
    h.finish()
}
