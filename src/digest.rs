//! Content hashes, a leaf: the SHA-256 that names a source document (its `sha256` in the
//! metadata) and every object in the snapshot store, and the writer through which values
//! are serialised into the xxh3 hashes that key caches.

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

/// True for a string of 64 lowercase hex digits.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Feeds what is written to it into an xxh3 hash, so that a value can be serialised
/// (`serde_json::to_writer`) into a key without building its text.
pub struct HashWriter<'a>(pub &'a mut xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
