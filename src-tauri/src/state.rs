use akashone_app::{Console, Events, Options};
use akashone_settings::SettingsFile;
use akashone_types::{ConnectionStatus, JobEvent, events};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Runtime};

/// Environment variable: how often (ms) the active profile checks its cloud answers (tests use a
/// short beat to see the offline banner quickly).
pub const HEARTBEAT_ENV: &str = "AKASHONE_HEARTBEAT_MS";

/// Environment variable: how many VMs the demo simulator seeds (default: the small demo set;
/// the benchmarks use 10,000).
pub const DEMO_VMS_ENV: &str = "AKASHONE_DEMO_VMS";

/// Environment variable: the folder invoice PDFs are saved in (default: the documents folder's
/// `AkashOne Invoices`).
pub const INVOICE_DIR_ENV: &str = "AKASHONE_INVOICE_DIR";

/// Why the state could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The settings file.
    #[error(transparent)]
    Settings(#[from] akashone_settings::SettingsError),
    /// Profiles, vault or cache.
    #[error(transparent)]
    App(#[from] akashone_app::AppError),
}

/// Everything the commands share: opened once at start-up.
pub struct AppState {
    data_dir: PathBuf,
    settings: SettingsFile,
    console: Arc<Console>,
    events: Arc<WindowEvents>,
    started: Instant,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the state kept in `data_dir`, creating the folder when needed, with the console's
    /// options from the environment.
    pub fn open(data_dir: PathBuf) -> Result<Self, StateError> {
        let mut options = Options::default();
        if let Some(ms) = std::env::var(HEARTBEAT_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            options.heartbeat = Duration::from_millis(ms.max(100));
        }
        if let Some(vms) = std::env::var(DEMO_VMS_ENV)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            options.demo.vms = vms;
        }
        options.invoice_dir = std::env::var_os(INVOICE_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from);
        Self::open_with(data_dir, options)
    }

    /// Opens the state kept in `data_dir` with these console options.
    pub fn open_with(data_dir: PathBuf, options: Options) -> Result<Self, StateError> {
        let settings = SettingsFile::open(&data_dir)?;
        if let Some(aside) = settings.recovered() {
            tracing::warn!(moved_to = %aside.display(), "settings were unreadable and have been reset");
        }
        let events = Arc::new(WindowEvents::default());
        let console = Console::open(&data_dir, events.clone(), options)?;
        Ok(Self {
            data_dir,
            settings,
            console,
            events,
            started: Instant::now(),
        })
    }

    /// Where settings and caches live.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The app's logic.
    pub fn console(&self) -> &Arc<Console> {
        &self.console
    }

    /// Sends background events to `app`'s windows from now on.
    pub fn attach<R: Runtime>(&self, app: &AppHandle<R>) {
        let app = app.clone();
        let _ = self.events.sink.set(Box::new(move |name, payload| {
            if let Err(e) = app.emit(name, payload) {
                tracing::warn!(event = name, error = %e, "could not send an event to the window");
            }
        }));
    }

    pub(crate) fn settings(&self) -> &SettingsFile {
        &self.settings
    }

    pub(crate) fn started(&self) -> Instant {
        self.started
    }
}

type Sink = Box<dyn Fn(&str, serde_json::Value) + Send + Sync>;

/// Forwards the console's events to the window as Tauri events (the names in
/// [`akashone_types::events`]) once a window exists.
#[derive(Default)]
struct WindowEvents {
    sink: OnceLock<Sink>,
}

impl WindowEvents {
    fn send(&self, name: &str, payload: serde_json::Value) {
        if let Some(sink) = self.sink.get() {
            sink(name, payload);
        }
    }
}

impl Events for WindowEvents {
    fn connection(&self, status: &ConnectionStatus) {
        self.send(
            events::CONNECTION,
            serde_json::to_value(status).unwrap_or_default(),
        );
    }
    fn data_changed(&self) {
        self.send(events::DATA_CHANGED, serde_json::Value::Null);
    }
    fn job(&self, event: &JobEvent) {
        self.send(
            events::VM_JOB,
            serde_json::to_value(event).unwrap_or_default(),
        );
    }
    fn kube_job(&self, event: &JobEvent) {
        self.send(
            events::KUBE_JOB,
            serde_json::to_value(event).unwrap_or_default(),
        );
    }
    fn resource_job(&self, event: &JobEvent) {
        self.send(
            events::RESOURCE_JOB,
            serde_json::to_value(event).unwrap_or_default(),
        );
    }
}
