//! Per-user desktop settings, kept as a small JSON file in the app's data folder.
//!
//! Writes are atomic (temporary file, `fsync`, rename), so a crash mid-write leaves the previous
//! settings intact. A file that cannot be parsed is never silently overwritten: it is moved aside
//! to `settings.json.unreadable` and the defaults are used, and [`SettingsFile::recovered`] says so.
#![deny(missing_docs)]

use akashone_types::{ApiError, ErrorCode, Settings, Theme};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file name inside the data folder.
pub const FILE_NAME: &str = "settings.json";

/// Why settings could not be read or saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The data folder could not be created or read.
    #[error("cannot use the settings folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The settings file could not be written.
    #[error("cannot save settings to {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A value supplied by the user is not valid.
    #[error("{0}")]
    Invalid(String),
}

impl SettingsError {
    /// The machine-readable category of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Folder { .. } | Self::Write { .. } => ErrorCode::Storage,
            Self::Invalid(_) => ErrorCode::InvalidInput,
        }
    }
}

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// The settings file of one user, loaded once and kept in memory.
#[derive(Debug)]
pub struct SettingsFile {
    path: PathBuf,
    current: Mutex<Settings>,
    recovered: Option<PathBuf>,
}

impl SettingsFile {
    /// Opens (or starts) the settings in `dir`, creating the folder when needed.
    pub fn open(dir: &Path) -> Result<Self, SettingsError> {
        fs::create_dir_all(dir).map_err(|source| SettingsError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(FILE_NAME);
        let (settings, recovered) = match fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<Settings>(&bytes) {
                Ok(s) => (s, None),
                Err(err) => {
                    let aside = dir.join(format!("{FILE_NAME}.unreadable"));
                    tracing::warn!(%err, file = %path.display(), "settings file unreadable; using defaults");
                    fs::rename(&path, &aside).map_err(|source| SettingsError::Folder {
                        path: dir.to_owned(),
                        source,
                    })?;
                    (Settings::default(), Some(aside))
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Settings::default(), None),
            Err(source) => {
                return Err(SettingsError::Folder {
                    path: dir.to_owned(),
                    source,
                });
            }
        };
        Ok(Self {
            path,
            current: Mutex::new(settings),
            recovered,
        })
    }

    /// The settings as they are now.
    pub fn get(&self) -> Settings {
        self.lock().clone()
    }

    /// Where an unreadable settings file was moved, if that happened on open.
    pub fn recovered(&self) -> Option<&Path> {
        self.recovered.as_deref()
    }

    /// The path of the settings file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets the theme from its wire name (`"dark"` or `"light"`) and saves.
    pub fn set_theme(&self, theme: &str) -> Result<Settings, SettingsError> {
        let theme: Theme = theme
            .parse()
            .map_err(|e: akashone_types::UnknownTheme| SettingsError::Invalid(e.to_string()))?;
        self.update(|s| s.theme = theme)
    }

    /// Applies `change` and saves atomically. On a failed save the in-memory settings stay as
    /// they were, so memory and disk never disagree.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings, SettingsError> {
        let mut guard = self.lock();
        let mut next = guard.clone();
        change(&mut next);
        write_atomically(&self.path, &next)?;
        *guard = next.clone();
        Ok(next)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Settings> {
        // A panic while holding the lock cannot leave `Settings` half-written (it is replaced
        // whole), so a poisoned lock is safe to keep using.
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn write_atomically(path: &Path, settings: &Settings) -> Result<(), SettingsError> {
    write_json_atomically(path, settings).map_err(|source| SettingsError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes `value` as pretty JSON to `path` atomically: a temporary file beside it, `fsync`, then
/// rename, so a crash leaves either the old file or the new one, never a torn one.
pub fn write_json_atomically<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    write_bytes_atomically(path, &json)
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, `fsync`, rename), creating
/// the folder if needed.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let mut f = fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)
}
