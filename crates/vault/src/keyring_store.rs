//! The OS keyring backend: Secret Service on Linux and the BSDs (over a vendored libdbus, with
//! Rust crypto for the session), the Keychain on macOS, the Credential Manager on Windows.
//! One entry per profile: service = the app's service name, user = the profile id.

use crate::error::{Error, Result};
use crate::secret::Secret;
use keyring::Entry;

/// The account name of the entry written and removed to check that the keyring works.
pub(crate) const PROBE_USER: &str = "akashone-vault-probe";

/// Is a real (persistent) keyring compiled in for this platform?
pub(crate) const PLATFORM_HAS_KEYRING: bool = cfg!(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
));

/// Describes a keyring error without ever including secret bytes.
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::BadEncoding(_) => "the stored value is not UTF-8 text".to_owned(),
        keyring::Error::Ambiguous(found) => {
            format!("{} entries match; expected one", found.len())
        }
        other => other.to_string(),
    }
}

#[derive(Debug)]
pub(crate) struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// Checks that the keyring works by writing, reading and removing a probe entry.
    pub(crate) fn probe(service: &str) -> Result<KeyringStore> {
        if !PLATFORM_HAS_KEYRING {
            return Err(Error::KeyringUnavailable(
                "no OS keyring is supported on this platform".into(),
            ));
        }
        let unavailable = |e: keyring::Error| Error::KeyringUnavailable(describe(&e));
        let entry = Entry::new(service, PROBE_USER).map_err(unavailable)?;
        let value = "probe";
        entry.set_password(value).map_err(unavailable)?;
        let back = entry.get_password().map_err(unavailable)?;
        let _ = entry.delete_credential();
        if back != value {
            return Err(Error::KeyringUnavailable(
                "the keyring did not return what was stored".into(),
            ));
        }
        Ok(KeyringStore {
            service: service.to_owned(),
        })
    }

    fn entry(&self, profile_id: &str) -> Result<Entry> {
        Entry::new(&self.service, profile_id).map_err(|e| Error::Keyring(describe(&e)))
    }

    pub(crate) fn set(&self, profile_id: &str, secret: &Secret) -> Result<()> {
        self.entry(profile_id)?
            .set_password(secret.expose())
            .map_err(|e| Error::Keyring(describe(&e)))
    }

    pub(crate) fn get(&self, profile_id: &str) -> Result<Option<Secret>> {
        match self.entry(profile_id)?.get_password() {
            Ok(s) => Ok(Some(Secret::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(Error::Keyring(describe(&e))),
        }
    }

    pub(crate) fn delete(&self, profile_id: &str) -> Result<bool> {
        match self.entry(profile_id)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(Error::Keyring(describe(&e))),
        }
    }
}
