//! The encrypted-file backend: every secret in one file, encrypted at rest with AES-256-GCM
//! under a random key that lives in a separate file (both created with mode 0600 on Unix).
//!
//! Secrets file layout (all of it is authenticated):
//!
//! | bytes | content |
//! | --- | --- |
//! | 4 | magic `AKV1` |
//! | 8 | key id: the first 8 bytes of SHA-256("akashone-vault key id" ‖ key) |
//! | 12 | random nonce, new for every write |
//! | rest | AES-256-GCM ciphertext and tag; the associated data is magic ‖ key id |
//!
//! The plaintext is a count and length-prefixed (profile id, secret) pairs; it only ever lives
//! in zeroed-on-drop buffers. The key id tells a wrong key ([`Error::WrongKey`]) from a damaged
//! or altered file ([`Error::Tampered`]). Writers hold an exclusive lock on `<secrets>.lock`
//! (and a mutex within the process), read the current file, change it, write a temporary file
//! and rename it over the old one, so concurrent writers never lose each other's entries and
//! readers never see half a file.

use crate::error::{Error, Result};
use crate::secret::Secret;
use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use zeroize::{Zeroize, Zeroizing};

const MAGIC: &[u8; 4] = b"AKV1";
const KEY_LEN: usize = 32;
const KEY_ID_LEN: usize = 8;
const NONCE_LEN: usize = 12;
const HEADER_LEN: usize = MAGIC.len() + KEY_ID_LEN;
const TAG_LEN: usize = 16;

type Entries = BTreeMap<String, Zeroizing<String>>;

/// The encrypted secrets file and its key.
pub(crate) struct FileStore {
    key_file: PathBuf,
    data_file: PathBuf,
    lock_file: PathBuf,
    /// The cipher holds the expanded key (zeroed on drop); the key bytes are not kept.
    cipher: Aes256Gcm,
    key_id: [u8; KEY_ID_LEN],
    write_lock: Mutex<()>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("key_file", &self.key_file)
            .field("data_file", &self.data_file)
            .field("key", &"[redacted]")
            .finish()
    }
}

fn key_id(key: &[u8; KEY_LEN]) -> [u8; KEY_ID_LEN] {
    let mut h = Sha256::new();
    h.update(b"akashone-vault key id");
    h.update(key);
    let digest = h.finalize();
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&digest[..KEY_ID_LEN]);
    id
}

/// Opens a new file for writing that only the owner can read (0600 on Unix).
fn create_private(path: &Path, create_new: bool) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true);
    if create_new {
        o.create_new(true);
    } else {
        o.create(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Makes an existing file private (0600) if it is readable by others.
fn restrict(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| Error::io("reading", path, e))?;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "vault file was readable by others; restricting it to the owner");
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io("restricting", path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn ensure_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("creating the folder", dir, e))?;
    }
    Ok(())
}

fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn read_key(path: &Path) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("reading the key file", path, e)),
    };
    let mut buf = Zeroizing::new(Vec::with_capacity(KEY_LEN + 1));
    f.read_to_end(&mut buf)
        .map_err(|e| Error::io("reading the key file", path, e))?;
    if buf.len() != KEY_LEN {
        return Err(Error::BadKeyFile {
            path: path.to_owned(),
            reason: format!("it holds {} bytes, a key is {KEY_LEN}", buf.len()),
        });
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&buf);
    Ok(Some(key))
}

/// Writes a new random key, unless another process just did (then its key is used).
fn create_key(path: &Path) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let mut generated = Key::<Aes256Gcm>::generate();
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(generated.as_slice());
    generated.as_mut_slice().zeroize();
    match create_private(path, true) {
        Ok(mut f) => {
            f.write_all(key.as_slice())
                .and_then(|()| f.sync_all())
                .map_err(|e| Error::io("writing the key file", path, e))?;
            sync_dir(path);
            tracing::info!(path = %path.display(), "created a new vault key");
            Ok(key)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            read_key(path)?.ok_or_else(|| Error::BadKeyFile {
                path: path.to_owned(),
                reason: "it vanished while being created".into(),
            })
        }
        Err(e) => Err(Error::io("creating the key file", path, e)),
    }
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl FileStore {
    /// Opens the store: reads the key, or creates one when neither file exists yet.
    pub(crate) fn open(key_file: PathBuf, data_file: PathBuf) -> Result<FileStore> {
        ensure_parent(&key_file)?;
        ensure_parent(&data_file)?;
        let key = match read_key(&key_file)? {
            Some(k) => {
                restrict(&key_file)?;
                k
            }
            None if data_file.exists() => {
                return Err(Error::KeyMissing {
                    key_file,
                    data_file,
                });
            }
            None => create_key(&key_file)?,
        };
        let mut lock_name = data_file.file_name().unwrap_or_default().to_owned();
        lock_name.push(".lock");
        let lock_file = data_file.with_file_name(lock_name);
        let cipher = Aes256Gcm::new_from_slice(key.as_slice()).map_err(|_| Error::BadKeyFile {
            path: key_file.clone(),
            reason: "wrong key length".into(),
        })?;
        let store = FileStore {
            key_id: key_id(&key),
            cipher,
            key_file,
            data_file,
            lock_file,
            write_lock: Mutex::new(()),
        };
        if store.data_file.exists() {
            restrict(&store.data_file)?;
            // Refuse a wrong key or a damaged file now rather than at the first use.
            store.read()?;
        }
        Ok(store)
    }

    pub(crate) fn key_file(&self) -> &Path {
        &self.key_file
    }

    pub(crate) fn data_file(&self) -> &Path {
        &self.data_file
    }

    fn header(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..MAGIC.len()].copy_from_slice(MAGIC);
        h[MAGIC.len()..].copy_from_slice(&self.key_id);
        h
    }

    fn tampered(&self, reason: &'static str) -> Error {
        Error::Tampered {
            path: self.data_file.clone(),
            reason,
        }
    }

    /// Reads and decrypts every entry (none when the file does not exist yet).
    fn read(&self) -> Result<Entries> {
        let bytes = match std::fs::read(&self.data_file) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Entries::new()),
            Err(e) => return Err(Error::io("reading the secrets file", &self.data_file, e)),
        };
        if bytes.len() < HEADER_LEN + NONCE_LEN + TAG_LEN || &bytes[..MAGIC.len()] != MAGIC {
            return Err(self.tampered("not a vault file"));
        }
        let (header, rest) = bytes.split_at(HEADER_LEN);
        if header[MAGIC.len()..] != self.key_id {
            return Err(Error::WrongKey {
                key_file: self.key_file.clone(),
                data_file: self.data_file.clone(),
            });
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| self.tampered("bad nonce"))?;
        let plain = self
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| self.tampered("authentication failed"))?;
        let plain = Zeroizing::new(plain);
        decode(&plain).ok_or_else(|| self.tampered("malformed contents"))
    }

    /// Encrypts `entries` and replaces the file atomically.
    fn write(&self, entries: &Entries) -> Result<()> {
        let plain = encode(entries);
        let header = self.header();
        let nonce = Nonce::generate();
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_slice(),
                    aad: &header,
                },
            )
            .map_err(|_| self.tampered("encryption failed"))?;
        let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + ciphertext.len());
        out.extend_from_slice(&header);
        out.extend_from_slice(nonce.as_slice());
        out.extend_from_slice(&ciphertext);

        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(self.data_file.file_name().unwrap_or_default());
        tmp_name.push(format!(
            ".tmp-{}-{}",
            std::process::id(),
            TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = self.data_file.with_file_name(tmp_name);
        let written = create_private(&tmp, true)
            .and_then(|mut f| f.write_all(&out).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, &self.data_file));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io("writing the secrets file", &self.data_file, e));
        }
        sync_dir(&self.data_file);
        Ok(())
    }

    /// Runs a read-modify-write under the process mutex and the file lock.
    fn update<T>(&self, f: impl FnOnce(&mut Entries) -> T) -> Result<T> {
        let _guard = self
            .write_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let lock = create_private(&self.lock_file, false)
            .map_err(|e| Error::io("opening the lock file", &self.lock_file, e))?;
        lock.lock()
            .map_err(|e| Error::io("locking", &self.lock_file, e))?;
        let mut entries = self.read()?;
        let out = f(&mut entries);
        self.write(&entries)?;
        // The lock is released when `lock` is closed.
        Ok(out)
    }

    pub(crate) fn set(&self, profile_id: &str, secret: &Secret) -> Result<()> {
        self.update(|e| {
            e.insert(
                profile_id.to_owned(),
                Zeroizing::new(secret.expose().to_owned()),
            );
        })
    }

    pub(crate) fn get(&self, profile_id: &str) -> Result<Option<Secret>> {
        Ok(self
            .read()?
            .get(profile_id)
            .map(|s| Secret::new(s.as_str())))
    }

    pub(crate) fn delete(&self, profile_id: &str) -> Result<bool> {
        self.update(|e| e.remove(profile_id).is_some())
    }

    pub(crate) fn profile_ids(&self) -> Result<Vec<String>> {
        Ok(self.read()?.keys().cloned().collect())
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&bytes[..len as usize]);
}

fn encode(entries: &Entries) -> Zeroizing<Vec<u8>> {
    let size = 4 + entries
        .iter()
        .map(|(k, v)| 8 + k.len() + v.len())
        .sum::<usize>();
    // Reserved up front so that no secret bytes are left behind by a reallocation.
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    let count = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
    for (k, v) in entries {
        put(&mut out, k.as_bytes());
        put(&mut out, v.as_bytes());
    }
    out
}

fn take<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = input.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return None;
    }
    let (item, rest) = rest.split_at(len);
    *input = rest;
    Some(item)
}

fn decode(mut input: &[u8]) -> Option<Entries> {
    let (count, rest) = input.split_first_chunk::<4>()?;
    let count = u32::from_le_bytes(*count);
    input = rest;
    let mut entries = Entries::new();
    for _ in 0..count {
        let k = std::str::from_utf8(take(&mut input)?).ok()?;
        let v = std::str::from_utf8(take(&mut input)?).ok()?;
        entries.insert(k.to_owned(), Zeroizing::new(v.to_owned()));
    }
    input.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_rejects_truncation() {
        let mut e = Entries::new();
        e.insert("a".into(), Zeroizing::new("secret-1".into()));
        e.insert("profile ü".into(), Zeroizing::new(String::new()));
        let bytes = encode(&e);
        let back = decode(&bytes).unwrap_or_default();
        assert_eq!(back.len(), 2);
        assert_eq!(back.get("a").map(|s| s.as_str()), Some("secret-1"));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }

    #[test]
    fn key_ids_differ_per_key() {
        assert_ne!(key_id(&[1; KEY_LEN]), key_id(&[2; KEY_LEN]));
    }
}
