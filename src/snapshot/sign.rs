//! Signed manifests: with `[snapshots] sleutel = "PATH"` (a minisign secret key kept outside
//! the site folder), `snapshot create` writes `versions/LABEL.json.minisig` beside each new
//! manifest, in minisign's format, and keeps the public key as `sleutel.pub` at the root of
//! the store. Anyone can then check a version with the minisign tool:
//!
//! ```text
//! minisign -V -p snapshots/sleutel.pub -m snapshots/versions/LABEL.json
//! ```
//!
//! and `snapshot verify` does the same with the `minisign` crate. A manifest holds the SHA-256
//! of every file, so its signature covers the whole version: whoever can write to the store
//! can still change a file and its hash together, but no longer the signature.
//!
//! The secret key is read, used and dropped: it is never copied into the store, the output or
//! an export. A password-protected key (minisign's default) takes its password from the
//! environment variable [`PASSWORD_ENV`]; the library never prompts.

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use minisign::{PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::fsutil;

/// The public key in the store, next to `objects/` and `versions/`.
pub const PUBLIC_KEY: &str = "sleutel.pub";

/// The suffix of a signature beside its manifest.
pub const SIGNATURE_SUFFIX: &str = ".minisig";

/// The environment variable with the password of an encrypted secret key.
pub const PASSWORD_ENV: &str = "RAADSITE_SLEUTEL_WACHTWOORD";

/// A secret key ready to sign, with its public key.
pub struct Signer {
    secret: SecretKey,
    public: PublicKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", key_id(&self.public))
    }
}

impl Signer {
    /// The signer of the site in `root`: `None` when `site.toml` names no key. Fails, naming
    /// the key file, when it cannot be read, is no minisign secret key, lies inside the site
    /// folder or needs a password that [`PASSWORD_ENV`] does not give.
    pub fn of_site(root: &Path, config: &Config) -> Result<Option<Signer>, Diagnostic> {
        let Some(rel) = config.snapshots.sleutel.as_deref() else {
            return Ok(None);
        };
        let path = root.join(rel);
        refuse_inside(root, &path)?;
        let text = fs::read_to_string(&path)
            .map_err(|e| fsutil::io_error(&path, "could not read the secret key", &e))?;
        let not_a_key = |e: minisign::PError| {
            Diagnostic::in_file(&path, format!("not a minisign secret key: {e}")).with_help(
                "make one with `minisign -G -s FILE -p FILE.pub` (or -W for no password)",
            )
        };
        let boxed = SecretKeyBox::from_string(&text).map_err(not_a_key)?;
        let secret = match unencrypted(&text) {
            Some(bytes) => SecretKey::from_bytes(&bytes).map_err(not_a_key)?,
            None => {
                let password = std::env::var(PASSWORD_ENV).map_err(|_| {
                    Diagnostic::in_file(&path, "the secret key is protected by a password")
                        .with_help(format!(
                            "give the password in the environment variable {PASSWORD_ENV}"
                        ))
                })?;
                SecretKey::from_box(boxed, Some(password)).map_err(|e| {
                    Diagnostic::in_file(&path, format!("could not open the secret key: {e}"))
                        .with_help(format!("check the password in {PASSWORD_ENV}"))
                })?
            }
        };
        let public = PublicKey::from_secret_key(&secret).map_err(not_a_key)?;
        Ok(Some(Signer { secret, public }))
    }

    /// A signer from a key in memory (tests, tools).
    pub fn from_secret_key(secret: SecretKey) -> Result<Signer, Diagnostic> {
        let public = PublicKey::from_secret_key(&secret)
            .map_err(|e| Diagnostic::general(format!("unusable secret key: {e}")))?;
        Ok(Signer { secret, public })
    }

    /// The public key.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The signature of `bytes` in minisign's text format; `trusted` is the signed comment.
    pub fn sign(&self, bytes: &[u8], trusted: &str) -> Result<String, Diagnostic> {
        let untrusted = format!("signature from raadsite, key {}", key_id(&self.public));
        minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(bytes),
            Some(trusted),
            Some(&untrusted),
        )
        .map(SignatureBox::into_string)
        .map_err(|e| Diagnostic::general(format!("could not sign: {e}")))
    }
}

/// The bytes of a secret key stored without a password (`minisign -G -W`), whose key
/// derivation algorithm is empty. Read directly: minisign 0.11 writes such keys without the
/// checksum that the crate's reader insists on.
fn unencrypted(text: &str) -> Option<Vec<u8>> {
    let line = text
        .lines()
        .find(|l| !l.starts_with("untrusted comment:"))?;
    let bytes = data_encoding::BASE64.decode(line.trim().as_bytes()).ok()?;
    (bytes.len() > 4 && bytes[2..4] == [0, 0]).then_some(bytes)
}

/// Refuses a secret key inside the site folder, where a build, a copy of the site or a
/// commit of it could carry the key along.
fn refuse_inside(root: &Path, key: &Path) -> Result<(), Diagnostic> {
    let (Ok(root), Ok(key)) = (fs::canonicalize(root), fs::canonicalize(key)) else {
        return Ok(());
    };
    if key.starts_with(&root) {
        return Err(Diagnostic::in_file(
            &key,
            "the secret key lies inside the site folder: it must be kept outside it",
        )
        .with_help(
            "move it out of the site folder and point [snapshots] sleutel at its new place",
        ));
    }
    Ok(())
}

/// A key's id as minisign prints it: 16 hex digits.
pub fn key_id(pk: &PublicKey) -> String {
    let b = pk.keynum();
    let mut id = [0u8; 8];
    id.copy_from_slice(&b[..8]);
    format!("{:016X}", u64::from_le_bytes(id))
}

/// The public key as minisign writes it (`untrusted comment:` line, then the key).
pub fn public_key_file(pk: &PublicKey) -> Result<String, Diagnostic> {
    let boxed = pk
        .to_box()
        .map_err(|e| Diagnostic::general(format!("could not write the public key: {e}")))?;
    let mut s = boxed.into_string();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}

/// Reads a minisign public key file.
pub fn read_public_key(path: &Path) -> Result<PublicKey, Diagnostic> {
    let text = fs::read_to_string(path)
        .map_err(|e| fsutil::io_error(path, "could not read the public key", &e))?;
    PublicKeyBox::from_string(&text)
        .and_then(PublicKeyBox::into_public_key)
        .or_else(|_| PublicKey::from_base64(text.trim()))
        .map_err(|e| Diagnostic::in_file(path, format!("not a minisign public key: {e}")))
}

/// Checks the minisign signature `sig` (text) of `bytes` with `pk`; the error says why not.
pub fn check(pk: &PublicKey, bytes: &[u8], sig: &str) -> Result<(), String> {
    let boxed = SignatureBox::from_string(sig).map_err(|e| format!("unreadable signature: {e}"))?;
    minisign::verify(pk, &boxed, Cursor::new(bytes), true, false, false).map_err(|e| {
        format!(
            "the signature does not match the manifest (changed after signing, or signed by \
             another key): {e}"
        )
    })
}

/// `path` + `.minisig`.
pub fn signature_path(manifest: &Path) -> PathBuf {
    let mut s = manifest.as_os_str().to_owned();
    s.push(SIGNATURE_SUFFIX);
    PathBuf::from(s)
}

/// Writes `text` to `path` through a synced temporary file that is hard-linked into place:
/// fails, writing nothing, when `path` exists.
pub fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fsutil::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| fs::hard_link(&tmp, path));
    let _ = fs::remove_file(&tmp);
    linked.map_err(|e| fsutil::io_error(path, "could not write", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_check() {
        let kp = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        let signer = Signer::from_secret_key(kp.sk).unwrap();
        let sig = signer.sign(b"manifest", "raadsite v1").unwrap();
        assert!(check(&kp.pk, b"manifest", &sig).is_ok());
        assert!(check(&kp.pk, b"manifesT", &sig).is_err());
        let other = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        assert!(check(&other.pk, b"manifest", &sig).is_err());
        let file = public_key_file(&kp.pk).unwrap();
        assert!(file.starts_with("untrusted comment:"));
    }
}
