//! The WARC export (WARC 1.1, ISO 28500:2017), written by hand: one `warcinfo` record, then per
//! file of the snapshot a `response` record and the `request` record that goes with it, as if
//! each had been fetched from the site's `base_url` at the time the snapshot was made.
//!
//! - WARC-Target-URI: `base_url` + the file's path; when the site has no `base_url`, the
//!   reserved placeholder [`PLACEHOLDER_BASE`] (the `.invalid` top-level domain never resolves).
//! - The block is an HTTP/1.1 200 response with `Content-Type` and `Content-Length`.
//! - WARC-Payload-Digest and WARC-Block-Digest are `sha256:` + the RFC 4648 base32 of the
//!   digest (with padding), the form warcio and other WARC tools read.
//! - WARC-Record-IDs are `urn:uuid:` UUIDs derived from SHA-256 hashes (of the label and path),
//!   so exporting the same snapshot twice gives the same file.
//! - Records are uncompressed and framed by CRLF as the standard prescribes.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::put;
use crate::diagnostics::Diagnostic;
use crate::profile::Profile;
use crate::snapshot::{FileEntry, Manifest, Store};

/// The base of the target URIs when the site has no `base_url`.
pub const PLACEHOLDER_BASE: &str = "https://raadsite.invalid/";

/// Writes the WARC of the `profile` rendition in `manifest` to `w`; `filename` goes into
/// the warcinfo record.
pub fn write(
    store: &Store,
    manifest: &Manifest,
    profile: Profile,
    filename: &str,
    w: &mut impl Write,
) -> Result<(), Diagnostic> {
    let base = manifest.base_url.as_deref().unwrap_or(PLACEHOLDER_BASE);
    // The intranet record keeps the id it had before openbaar renditions existed.
    let info_id = match profile {
        Profile::Intranet => record_id(&[&manifest.label, "warcinfo", &manifest.sources_sha256]),
        Profile::Openbaar => record_id(&[
            &manifest.label,
            "warcinfo",
            profile.as_str(),
            &manifest.sources_sha256,
        ]),
    };
    let name = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let headers = vec![
        ("WARC-Type", "warcinfo".to_owned()),
        ("WARC-Record-ID", info_id.clone()),
        ("WARC-Date", manifest.created.clone()),
        ("WARC-Filename", one_line(name)),
        ("Content-Type", "application/warc-fields".to_owned()),
    ];
    let info = warcinfo(manifest, profile);
    record(w, filename, &headers, info.as_bytes(), &[])?;
    for f in &manifest.files {
        response(store, manifest, f, base, &info_id, filename, w)?;
    }
    Ok(())
}

/// The fields of the warcinfo record: the software, the format, and the snapshot's label,
/// note, date, sources and profile.
fn warcinfo(manifest: &Manifest, profile: Profile) -> String {
    let mut info = String::new();
    info.push_str(&format!(
        "software: raadsite/{}\r\n",
        env!("CARGO_PKG_VERSION")
    ));
    info.push_str("format: WARC File Format 1.1\r\n");
    info.push_str("conformsTo: https://iso.org/standard/68004.html\r\n");
    info.push_str(&format!("isPartOf: {}\r\n", one_line(&manifest.label)));
    if !manifest.note.is_empty() {
        info.push_str(&format!("description: {}\r\n", one_line(&manifest.note)));
    }
    info.push_str(&format!(
        "raadsite-snapshot-created: {}\r\n",
        manifest.created
    ));
    info.push_str(&format!(
        "raadsite-built-with: {}\r\n",
        manifest.raadsite_version
    ));
    info.push_str(&format!(
        "raadsite-sources-sha256: {}\r\n",
        manifest.sources_sha256
    ));
    info.push_str(&format!("raadsite-profile: {profile}\r\n"));
    info
}

/// Writes the response record of one file: its object's bytes behind an HTTP 200 header, as
/// fetched from `base` + its path, tied to the warcinfo record `info_id`.
fn response(
    store: &Store,
    manifest: &Manifest,
    f: &FileEntry,
    base: &str,
    info_id: &str,
    filename: &str,
    w: &mut impl Write,
) -> Result<(), Diagnostic> {
    let payload = store.objects().read(&f.sha256)?;
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        crate::mime::content_type(&f.path),
        payload.len()
    );
    let mut block_hash = Sha256::new();
    block_hash.update(http.as_bytes());
    block_hash.update(&payload);
    let target = format!("{base}{}", uri_path(&f.path));
    let response_id = record_id(&[&manifest.label, &f.path, &f.sha256]);
    let headers = vec![
        ("WARC-Type", "response".to_owned()),
        ("WARC-Record-ID", response_id.clone()),
        ("WARC-Date", manifest.created.clone()),
        ("WARC-Target-URI", target.clone()),
        ("WARC-Warcinfo-ID", info_id.to_owned()),
        ("WARC-Payload-Digest", digest(&Sha256::digest(&payload))),
        ("WARC-Block-Digest", digest(&block_hash.finalize())),
        (
            "Content-Type",
            "application/http;msgtype=response".to_owned(),
        ),
    ];
    record(w, filename, &headers, http.as_bytes(), &payload)?;
    request(manifest, f, &target, &response_id, info_id, filename, w)?;
    match target.strip_suffix("index.html") {
        Some(folder) => {
            let payload_digest = digest(&Sha256::digest(&payload));
            let revisit = Revisit {
                folder,
                page: &target,
                http: &http,
                payload_digest: &payload_digest,
            };
            revisit.write(manifest, info_id, filename, w)
        }
        None => Ok(()),
    }
}

/// A `revisit` record for the folder URL of a page (`.../brieven/x/` for
/// `.../brieven/x/index.html`): the same payload, so a web archive answers the address a
/// reader types or a server redirects to as well as the file's own.
struct Revisit<'a> {
    folder: &'a str,
    page: &'a str,
    http: &'a str,
    payload_digest: &'a str,
}

impl Revisit<'_> {
    fn write(
        &self,
        manifest: &Manifest,
        info_id: &str,
        filename: &str,
        w: &mut impl Write,
    ) -> Result<(), Diagnostic> {
        let headers = vec![
            ("WARC-Type", "revisit".to_owned()),
            (
                "WARC-Record-ID",
                record_id(&[&manifest.label, self.folder, "revisit"]),
            ),
            ("WARC-Date", manifest.created.clone()),
            ("WARC-Target-URI", self.folder.to_owned()),
            ("WARC-Warcinfo-ID", info_id.to_owned()),
            (
                "WARC-Profile",
                "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest".to_owned(),
            ),
            ("WARC-Refers-To-Target-URI", self.page.to_owned()),
            ("WARC-Refers-To-Date", manifest.created.clone()),
            ("WARC-Payload-Digest", self.payload_digest.to_owned()),
            (
                "WARC-Block-Digest",
                digest(&Sha256::digest(self.http.as_bytes())),
            ),
            (
                "Content-Type",
                "application/http;msgtype=response".to_owned(),
            ),
        ];
        record(w, filename, &headers, self.http.as_bytes(), &[])
    }
}

/// Writes the request record that goes with a response: the `GET` a browser would have sent
/// for `target`, tied to the response by `WARC-Concurrent-To`, as the Nationaal Archief's
/// guideline for web archives asks (request and response both).
fn request(
    manifest: &Manifest,
    f: &FileEntry,
    target: &str,
    response_id: &str,
    info_id: &str,
    filename: &str,
    w: &mut impl Write,
) -> Result<(), Diagnostic> {
    let after_scheme = target.split_once("://").map_or(target, |(_, rest)| rest);
    let (host, path) = after_scheme
        .split_once('/')
        .map_or((after_scheme, "/".to_owned()), |(h, p)| {
            (h, format!("/{p}"))
        });
    let http = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: raadsite/{}\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let headers = vec![
        ("WARC-Type", "request".to_owned()),
        (
            "WARC-Record-ID",
            record_id(&[&manifest.label, &f.path, &f.sha256, "request"]),
        ),
        ("WARC-Date", manifest.created.clone()),
        ("WARC-Target-URI", target.to_owned()),
        ("WARC-Warcinfo-ID", info_id.to_owned()),
        ("WARC-Concurrent-To", response_id.to_owned()),
        (
            "WARC-Block-Digest",
            digest(&Sha256::digest(http.as_bytes())),
        ),
        (
            "Content-Type",
            "application/http;msgtype=request".to_owned(),
        ),
    ];
    record(w, filename, &headers, http.as_bytes(), &[])
}

/// One record: version line, headers, Content-Length, blank line, block, two CRLFs.
fn record(
    w: &mut impl Write,
    out: &str,
    headers: &[(&str, String)],
    head: &[u8],
    body: &[u8],
) -> Result<(), Diagnostic> {
    let mut text = String::from("WARC/1.1\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str(&format!(
        "Content-Length: {}\r\n\r\n",
        head.len() + body.len()
    ));
    put(w, text.as_bytes(), out)?;
    put(w, head, out)?;
    put(w, body, out)?;
    put(w, b"\r\n\r\n", out)
}

fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", data_encoding::BASE32.encode(bytes))
}

/// A deterministic `<urn:uuid:...>` from the SHA-256 of `parts`, shaped as a version 8
/// (custom) UUID of RFC 9562.
fn record_id(parts: &[&str]) -> String {
    let h = Sha256::digest(parts.join("\0").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = data_encoding::HEXLOWER.encode(&b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A path with every byte outside the URI's unreserved set and `/` percent-encoded.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Header values stay on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
