//! Secret storage for CloudStack secret keys and session tokens, one secret per connection
//! profile.
//!
//! - **OS keyring first** ([`Backend::Keyring`]): Secret Service on Linux, the Keychain on
//!   macOS, the Credential Manager on Windows. Whether it works is found out by writing,
//!   reading and removing a probe entry when the vault opens.
//! - **Encrypted file otherwise** ([`Backend::EncryptedFile`]), e.g. on a headless Linux box
//!   with no Secret Service on the bus: one file encrypted at rest with AES-256-GCM whose
//!   random key lives in a separate file (the caller puts the key in the config folder and the
//!   secrets in the data folder). Both are created readable by the owner only (0600 on Unix).
//!   A wrong key ([`Error::WrongKey`]) and a damaged or altered file ([`Error::Tampered`]) are
//!   refused. Concurrent writers (threads or processes) never lose each other's entries.
//! - Secrets are never written in plain text or logged; [`Secret`] is zeroed on drop and its
//!   `Debug` prints `[redacted]`.
//! - `AKASHONE_VAULT=file` forces the file backend (tests, CI), `keyring` requires the keyring,
//!   `auto` (or unset) picks; it overrides [`VaultOptions::choice`].
//!
//! ```no_run
//! # fn demo() -> akashone_vault::Result<()> {
//! use akashone_vault::{Secret, Vault, VaultOptions};
//! let vault = Vault::open(VaultOptions::new(
//!     "/home/me/.config/akashone/vault.key",
//!     "/home/me/.local/share/akashone/secrets.vault",
//! ))?;
//! println!("secrets are kept in the {}", vault.backend());
//! vault.set("prod-mumbai", &Secret::new("the-secret-key"))?;
//! let secret = vault.get("prod-mumbai")?;
//! assert_eq!(secret.as_ref().map(Secret::expose), Some("the-secret-key"));
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod error;
mod file;
mod keyring_store;
mod secret;

pub use error::{Error, Result};
pub use secret::Secret;

use file::FileStore;
use keyring_store::KeyringStore;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The environment variable that overrides the backend choice.
pub const ENV_OVERRIDE: &str = "AKASHONE_VAULT";

/// The keyring service name entries are stored under, unless changed.
pub const DEFAULT_SERVICE: &str = "com.akashone.console";

/// The largest secret accepted (bytes).
pub const MAX_SECRET_LEN: usize = 64 * 1024;

/// Where secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The OS keyring.
    Keyring,
    /// The AES-256-GCM encrypted file.
    EncryptedFile,
}

impl Backend {
    /// The stable name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::EncryptedFile => "encrypted_file",
        }
    }
}

impl fmt::Display for Backend {
    /// Words for the UI: "OS keyring" or "encrypted file".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Keyring => "OS keyring",
            Self::EncryptedFile => "encrypted file",
        })
    }
}

/// Which backend to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// The keyring when it works, otherwise the encrypted file.
    #[default]
    Auto,
    /// The keyring, or fail with [`Error::KeyringUnavailable`].
    Keyring,
    /// The encrypted file.
    File,
}

impl FromStr for Choice {
    type Err = Error;
    /// Parses `auto`, `keyring` or `file` (case-insensitive, surrounding spaces ignored).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "keyring" => Ok(Self::Keyring),
            "file" => Ok(Self::File),
            _ => Err(Error::InvalidOverride(s.to_owned())),
        }
    }
}

impl Choice {
    /// The choice forced by `AKASHONE_VAULT`, if it is set and not empty.
    pub fn from_env() -> Result<Option<Choice>> {
        match std::env::var(ENV_OVERRIDE) {
            Ok(v) if v.trim().is_empty() => Ok(None),
            Ok(v) => v.parse().map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(v)) => {
                Err(Error::InvalidOverride(v.to_string_lossy().into_owned()))
            }
        }
    }
}

/// How to open a [`Vault`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultOptions {
    /// Keyring service name.
    pub service: String,
    /// The encrypted file backend's key file (keep it apart from `data_file`, e.g. in the
    /// config folder).
    pub key_file: PathBuf,
    /// The encrypted file backend's secrets file (e.g. in the data folder).
    pub data_file: PathBuf,
    /// Which backend; `AKASHONE_VAULT` overrides it.
    pub choice: Choice,
}

impl VaultOptions {
    /// Options with the default service name and [`Choice::Auto`].
    pub fn new(key_file: impl Into<PathBuf>, data_file: impl Into<PathBuf>) -> Self {
        VaultOptions {
            service: DEFAULT_SERVICE.to_owned(),
            key_file: key_file.into(),
            data_file: data_file.into(),
            choice: Choice::Auto,
        }
    }

    /// Sets the keyring service name.
    pub fn with_service(mut self, service: impl Into<String>) -> Self {
        self.service = service.into();
        self
    }

    /// Sets the backend choice.
    pub fn with_choice(mut self, choice: Choice) -> Self {
        self.choice = choice;
        self
    }
}

enum Store {
    Keyring(KeyringStore),
    /// Boxed: the cipher's expanded key makes it large.
    File(Box<FileStore>),
}

/// Where the app keeps its secrets.
pub struct Vault {
    store: Store,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.store {
            Store::Keyring(k) => f.debug_struct("Vault").field("keyring", k).finish(),
            Store::File(s) => f.debug_struct("Vault").field("file", s).finish(),
        }
    }
}

fn validate(profile_id: &str) -> Result<()> {
    let ok = !profile_id.is_empty()
        && profile_id.len() <= 256
        && !profile_id.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidProfileId(profile_id.to_owned()))
    }
}

impl Vault {
    /// Opens the vault: the backend is `AKASHONE_VAULT` if set, otherwise `options.choice`.
    /// With [`Choice::Auto`] the keyring is probed and the encrypted file is the fallback.
    pub fn open(options: VaultOptions) -> Result<Vault> {
        let choice = Choice::from_env()?.unwrap_or(options.choice);
        let store = match choice {
            Choice::File => Store::File(Box::new(FileStore::open(
                options.key_file,
                options.data_file,
            )?)),
            Choice::Keyring => Store::Keyring(KeyringStore::probe(&options.service)?),
            Choice::Auto => match KeyringStore::probe(&options.service) {
                Ok(k) => Store::Keyring(k),
                Err(e) => {
                    tracing::info!(reason = %e, "no usable OS keyring; secrets go to the encrypted file");
                    Store::File(Box::new(FileStore::open(
                        options.key_file,
                        options.data_file,
                    )?))
                }
            },
        };
        Ok(Vault { store })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self.store {
            Store::Keyring(_) => Backend::Keyring,
            Store::File(_) => Backend::EncryptedFile,
        }
    }

    /// The key and secrets files, when the encrypted file backend is in use.
    pub fn files(&self) -> Option<(&Path, &Path)> {
        match &self.store {
            Store::File(s) => Some((s.key_file(), s.data_file())),
            Store::Keyring(_) => None,
        }
    }

    /// Stores (or replaces) the secret of a profile.
    pub fn set(&self, profile_id: &str, secret: &Secret) -> Result<()> {
        validate(profile_id)?;
        if secret.len() > MAX_SECRET_LEN {
            return Err(Error::SecretTooLong {
                len: secret.len(),
                max: MAX_SECRET_LEN,
            });
        }
        match &self.store {
            Store::Keyring(k) => k.set(profile_id, secret),
            Store::File(s) => s.set(profile_id, secret),
        }
    }

    /// The secret of a profile, if one is stored.
    pub fn get(&self, profile_id: &str) -> Result<Option<Secret>> {
        validate(profile_id)?;
        match &self.store {
            Store::Keyring(k) => k.get(profile_id),
            Store::File(s) => s.get(profile_id),
        }
    }

    /// Removes the secret of a profile; false when there was none.
    pub fn delete(&self, profile_id: &str) -> Result<bool> {
        validate(profile_id)?;
        match &self.store {
            Store::Keyring(k) => k.delete(profile_id),
            Store::File(s) => s.delete(profile_id),
        }
    }

    /// The profiles with a stored secret, when the backend can list them (the encrypted file
    /// can; keyrings are not enumerated).
    pub fn profile_ids(&self) -> Result<Option<Vec<String>>> {
        match &self.store {
            Store::File(s) => s.profile_ids().map(Some),
            Store::Keyring(_) => Ok(None),
        }
    }
}
