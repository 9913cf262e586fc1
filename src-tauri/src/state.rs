use akashone_settings::{SettingsError, SettingsFile};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Everything the commands share: opened once at start-up.
#[derive(Debug)]
pub struct AppState {
    data_dir: PathBuf,
    settings: SettingsFile,
    started: Instant,
}

impl AppState {
    /// Opens the state kept in `data_dir`, creating the folder when needed.
    pub fn open(data_dir: PathBuf) -> Result<Self, SettingsError> {
        let settings = SettingsFile::open(&data_dir)?;
        if let Some(aside) = settings.recovered() {
            tracing::warn!(moved_to = %aside.display(), "settings were unreadable and have been reset");
        }
        Ok(Self {
            data_dir,
            settings,
            started: Instant::now(),
        })
    }

    /// Where settings and caches live.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn settings(&self) -> &SettingsFile {
        &self.settings
    }

    pub(crate) fn started(&self) -> Instant {
        self.started
    }
}
