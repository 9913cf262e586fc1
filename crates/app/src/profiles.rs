//! Saved connection profiles: `profiles.json` in the data folder (never a secret in it), secrets
//! in the vault.

use crate::error::{AppError, Result};
use akashone_types::{NewCloudStackProfile, Profile, ProfileKind, Profiles, SecretStorage};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file name inside the data folder.
pub const FILE_NAME: &str = "profiles.json";

/// What is stored on disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Stored {
    profiles: Vec<StoredProfile>,
    active: Option<String>,
    /// Set once the first start has happened (the demo is offered only then).
    #[serde(default)]
    initialized: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredProfile {
    id: String,
    name: String,
    kind: ProfileKind,
}

/// The profile file.
#[derive(Debug)]
pub struct ProfileStore {
    path: PathBuf,
    stored: Stored,
}

impl ProfileStore {
    /// Opens (or starts) the profile file in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        let stored = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| AppError::Profiles {
                path: path.display().to_string(),
                reason: format!("it is not valid ({e}); fix or remove it"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Stored::default(),
            Err(e) => {
                return Err(AppError::Profiles {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        Ok(Self { path, stored })
    }

    fn save(&self) -> Result<()> {
        akashone_settings::write_json_atomically(&self.path, &self.stored).map_err(|e| {
            AppError::Profiles {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            }
        })
    }

    /// The profiles as the UI sees them; `storage` says where secrets of direct profiles live.
    pub fn list(&self, storage: SecretStorage) -> Profiles {
        Profiles {
            profiles: self
                .stored
                .profiles
                .iter()
                .map(|p| to_profile(p, storage))
                .collect(),
            active: self.stored.active.clone(),
            secret_storage: storage,
        }
    }

    /// One profile.
    pub fn get(&self, id: &str, storage: SecretStorage) -> Result<Profile> {
        self.stored
            .profiles
            .iter()
            .find(|p| p.id == id)
            .map(|p| to_profile(p, storage))
            .ok_or_else(|| AppError::NoSuchProfile(id.to_owned()))
    }

    /// The active profile's id.
    pub fn active(&self) -> Option<&str> {
        self.stored.active.as_deref()
    }

    /// Adds a profile and returns its id. The caller has checked and stored the secret.
    pub fn add(&mut self, id: String, name: String, kind: ProfileKind) -> Result<String> {
        self.stored.profiles.push(StoredProfile {
            id: id.clone(),
            name,
            kind,
        });
        let was = self.stored.initialized;
        self.stored.initialized = true;
        if let Err(e) = self.save() {
            self.stored.profiles.pop();
            self.stored.initialized = was;
            return Err(e);
        }
        Ok(id)
    }

    /// Removes a profile (and makes none active if it was).
    pub fn remove(&mut self, id: &str) -> Result<()> {
        let before = self.stored.clone();
        let n = self.stored.profiles.len();
        self.stored.profiles.retain(|p| p.id != id);
        if self.stored.profiles.len() == n {
            return Err(AppError::NoSuchProfile(id.to_owned()));
        }
        if self.stored.active.as_deref() == Some(id) {
            self.stored.active = None;
        }
        self.save().inspect_err(|_| self.stored = before)
    }

    /// Makes a profile the active one.
    pub fn set_active(&mut self, id: Option<&str>) -> Result<()> {
        if let Some(id) = id
            && !self.stored.profiles.iter().any(|p| p.id == id)
        {
            return Err(AppError::NoSuchProfile(id.to_owned()));
        }
        let before = self.stored.active.clone();
        self.stored.active = id.map(str::to_owned);
        self.save().inspect_err(|_| self.stored.active = before)
    }

    /// Whether this is the very first start (no profile was ever saved here).
    pub fn first_start(&self) -> bool {
        !self.stored.initialized && self.stored.profiles.is_empty()
    }

    /// Records that the first start has happened.
    pub fn mark_initialized(&mut self) -> Result<()> {
        if self.stored.initialized {
            return Ok(());
        }
        self.stored.initialized = true;
        self.save().inspect_err(|_| self.stored.initialized = false)
    }

    /// The demo profile's id, if one was added.
    pub fn demo_id(&self) -> Option<&str> {
        self.stored
            .profiles
            .iter()
            .find(|p| p.kind == ProfileKind::Demo)
            .map(|p| p.id.as_str())
    }
}

fn to_profile(p: &StoredProfile, storage: SecretStorage) -> Profile {
    Profile {
        id: p.id.clone(),
        name: p.name.clone(),
        kind: p.kind.clone(),
        secret_storage: match p.kind {
            ProfileKind::Demo => SecretStorage::None,
            ProfileKind::CloudStack { .. } | ProfileKind::Central { .. } => storage,
        },
    }
}

/// A new random profile id (letters and digits: it also names the cache file).
pub fn new_id() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let n: u64 = rng.random();
    format!("p{n:016x}")
}

/// Checks the form of a new direct profile and returns it cleaned (trimmed, URL normalised).
pub fn validate(form: &NewCloudStackProfile) -> Result<NewCloudStackProfile> {
    let name = form.name.trim();
    let url = form.url.trim().trim_end_matches('/');
    let key = form.api_key.trim();
    let secret = form.secret_key.trim();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push("a name");
    }
    if key.is_empty() {
        problems.push("the API key");
    }
    if secret.is_empty() {
        problems.push("the secret key");
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(format!("Enter {}.", problems.join(", "))));
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
        return Err(AppError::Invalid(
            "The API URL must start with http:// or https://, e.g. https://cloud.example.com/client/api."
                .into(),
        ));
    }
    if url.contains(char::is_whitespace) {
        return Err(AppError::Invalid(
            "The API URL cannot contain spaces.".into(),
        ));
    }
    // Operators often paste the UI's address: the API lives under /client/api.
    let url = if url.ends_with("/client/api") {
        url.to_owned()
    } else if url.ends_with("/client") {
        format!("{url}/api")
    } else {
        url.to_owned()
    };
    Ok(NewCloudStackProfile {
        name: name.to_owned(),
        url,
        api_key: key.to_owned(),
        secret_key: secret.to_owned(),
    })
}
