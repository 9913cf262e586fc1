//! The console: one value the shell holds, with a method per thing the user can do.

use crate::cloud::{CentralCloud, Cloud, DirectCloud};
use crate::error::{AppError, Result};
use crate::events::Events;
use crate::profiles::{self, ProfileStore};
use crate::session::Session;
use crate::store::{Store, Vault};
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use akashone_types::{
    ApiError, ConnectionStatus, DashboardFigures, ErrorCode, NewCloudStackProfile, Profile,
    ProfileKind, Profiles, Reachability, SecretStorage, VmPage, VmQuery, VmRow,
};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Timings of the background work.
#[derive(Debug, Clone)]
pub struct Options {
    /// How often a connected profile checks that its cloud answers.
    pub heartbeat: Duration,
    /// How often a full sync runs while online.
    pub resync: Duration,
    /// Per-request timeout towards the cloud.
    pub request_timeout: Duration,
    /// The demo simulator's settings.
    pub demo: SimConfig,
    /// Keep secrets in the encrypted file even where a system keyring exists (tests, and
    /// machines whose keyring must not be used). `AKASHONE_VAULT=file` does the same.
    pub vault_file_only: bool,
    /// The encrypted file's key, kept apart from the data folder (default: the user's config
    /// folder, `akashone/vault.key`).
    pub vault_key_file: Option<PathBuf>,
    /// Start on the demo profile the first time the app runs with nothing configured.
    pub demo_on_first_start: bool,
    /// Where invoice PDFs are saved (default: the documents folder's `AkashOne Invoices`).
    pub invoice_dir: Option<PathBuf>,
    /// After activating a profile, sync in the background and keep a heartbeat (the desktop
    /// app). Off for the command line, which syncs with [`Console::sync_now`] when it needs to.
    pub background: bool,
    /// Remember the activated profile as the one to resume next time (the desktop app). Off for
    /// the command line, so a command does not change where the app starts.
    pub remember_active: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(10),
            resync: Duration::from_secs(120),
            request_timeout: Duration::from_secs(20),
            demo: SimConfig::demo(),
            vault_file_only: false,
            vault_key_file: None,
            demo_on_first_start: true,
            invoice_dir: None,
            background: true,
            remember_active: true,
        }
    }
}

/// The desktop app's logic.
pub struct Console {
    data_dir: PathBuf,
    pub(crate) events: Arc<dyn Events>,
    pub(crate) vault: Arc<Vault>,
    profiles: Mutex<ProfileStore>,
    session: Mutex<Option<Arc<Session>>>,
    demo: tokio::sync::Mutex<Option<SimHandle>>,
    pub(crate) options: Options,
    next_task: AtomicU64,
    status_seq: AtomicU64,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Console {
    /// Opens the profile file and the vault in `data_dir`. Nothing connects yet: call
    /// [`Console::resume`] to reconnect the profile that was active last time.
    pub fn open(data_dir: &Path, events: Arc<dyn Events>, options: Options) -> Result<Arc<Self>> {
        std::fs::create_dir_all(data_dir).map_err(|e| AppError::Profiles {
            path: data_dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let key_file = match &options.vault_key_file {
            Some(k) => k.clone(),
            None => dirs::config_dir()
                .map(|d| d.join("akashone").join("vault.key"))
                .ok_or_else(|| {
                    AppError::Invalid("no configuration folder for the vault key".into())
                })?,
        };
        let vault = crate::store::open_vault(data_dir, &key_file, options.vault_file_only)?;
        let profiles = ProfileStore::open(data_dir)?;
        Ok(Arc::new(Self {
            data_dir: data_dir.to_owned(),
            events,
            vault: Arc::new(vault),
            profiles: Mutex::new(profiles),
            session: Mutex::new(None),
            demo: tokio::sync::Mutex::new(None),
            options,
            next_task: AtomicU64::new(1),
            status_seq: AtomicU64::new(1),
        }))
    }

    pub(crate) fn storage(&self) -> SecretStorage {
        crate::store::storage_of(&self.vault)
    }

    pub(crate) fn lock_profiles(&self) -> std::sync::MutexGuard<'_, ProfileStore> {
        self.profiles.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn is_current(&self, session: &Session) -> bool {
        self.session()
            .is_some_and(|s| std::ptr::eq(Arc::as_ptr(&s), session))
    }

    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn require_session(&self) -> Result<Arc<Session>> {
        self.session().ok_or(AppError::NotConnected)
    }

    pub(crate) fn next_task_id(&self) -> u64 {
        self.next_task.fetch_add(1, Ordering::Relaxed)
    }

    /// Reconnects the profile that was active when the app last ran (cache first, then sync).
    /// On the very first start, with nothing configured and [`Options::demo_on_first_start`],
    /// it starts on the demo profile (the built-in simulator), so the console shows a cloud at
    /// once; the user adds real clouds on the Connect page.
    pub async fn resume(self: &Arc<Self>) -> Result<ConnectionStatus> {
        if self.lock_profiles().first_start() {
            if self.options.demo_on_first_start {
                let profiles = self.add_demo_profile().await?;
                if let Some(demo) = profiles
                    .profiles
                    .iter()
                    .find(|p| p.kind == ProfileKind::Demo)
                {
                    return self.activate_profile(&demo.id.clone()).await;
                }
            }
            self.lock_profiles().mark_initialized()?;
        }
        let active = self.lock_profiles().active().map(str::to_owned);
        match active {
            Some(id) => self.activate_profile(&id).await,
            None => Ok(self.status()),
        }
    }

    /// The saved profiles.
    pub fn list_profiles(&self) -> Profiles {
        self.lock_profiles().list(self.storage())
    }

    /// Checks a direct CloudStack profile with `listZones`, then saves it: the secret key goes to
    /// the vault, the rest to the profile file.
    pub async fn add_cloudstack_profile(&self, form: &NewCloudStackProfile) -> Result<Profiles> {
        let form = profiles::validate(form)?;
        let client = self.client_for(&form.url, &form.api_key, &form.secret_key)?;
        client
            .list_zones(&Default::default())
            .await
            .map_err(|e| match e.code() {
                akashone_types::ErrorCode::Unauthorized => AppError::Invalid(e.to_string()),
                _ => AppError::CloudStack(e),
            })?;
        let id = profiles::new_id();
        crate::store::put_secret(&self.vault, &id, &form.secret_key)?;
        let kind = ProfileKind::CloudStack {
            url: form.url,
            api_key: form.api_key,
        };
        if let Err(e) = self.lock_profiles().add(id.clone(), form.name, kind) {
            let _ = crate::store::delete_secret(&self.vault, &id);
            return Err(e);
        }
        Ok(self.list_profiles())
    }

    /// Adds the demo profile (once) and starts its simulator.
    pub async fn add_demo_profile(&self) -> Result<Profiles> {
        self.demo_client().await?;
        let mut store = self.lock_profiles();
        if store.demo_id().is_none() {
            store.add(profiles::new_id(), "Demo cloud".into(), ProfileKind::Demo)?;
        }
        Ok(store.list(self.storage()))
    }

    /// Removes a profile, its secret and its cache.
    pub async fn remove_profile(&self, id: &str) -> Result<Profiles> {
        let is_active = self.lock_profiles().active() == Some(id);
        if is_active {
            self.deactivate();
        }
        self.lock_profiles().remove(id)?;
        crate::store::delete_secret(&self.vault, id)?;
        crate::store::remove_cache(&self.data_dir, id)?;
        if is_active {
            self.events.connection(&self.status());
        }
        Ok(self.list_profiles())
    }

    fn deactivate(&self) {
        if let Some(old) = self
            .session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            old.stop.cancel();
        }
    }

    /// Makes a profile the active one: its cache is readable at once, then a sync runs in the
    /// background (and keeps the cache fresh while the profile stays active).
    pub async fn activate_profile(self: &Arc<Self>, id: &str) -> Result<ConnectionStatus> {
        self.open_session(id, false).await
    }

    /// Makes a profile the active one without connecting: its cache is readable, nothing is
    /// asked of the cloud, and actions are refused as offline (the command line's `--offline`).
    pub async fn open_offline(self: &Arc<Self>, profile_id: &str) -> Result<ConnectionStatus> {
        self.open_session(profile_id, true).await
    }

    /// A CloudStack client for a direct or demo profile (its secret key from the vault), for
    /// raw API calls the console does not model.
    pub async fn cloudstack_client(&self, profile_id: &str) -> Result<Client> {
        let profile = self.lock_profiles().get(profile_id, self.storage())?;
        self.cloud_for(&profile)
            .await?
            .cloudstack()
            .cloned()
            .ok_or_else(|| {
                AppError::WrongProfile(format!(
                    "{:?} is a central server profile: raw CloudStack calls need a direct CloudStack profile",
                    profile.name
                ))
            })
    }

    /// What a profile talks to. The one place that looks at the kind of profile.
    pub(crate) async fn cloud_for(&self, profile: &Profile) -> Result<Arc<dyn Cloud>> {
        Ok(match &profile.kind {
            ProfileKind::Demo => Arc::new(DirectCloud::new(self.demo_client().await?)),
            ProfileKind::CloudStack { url, api_key } => {
                let secret = crate::store::get_secret(&self.vault, &profile.id)?.ok_or_else(|| {
                    AppError::Invalid(format!(
                        "the secret key of profile {:?} is missing from the vault; remove the profile and add it again",
                        profile.name
                    ))
                })?;
                Arc::new(DirectCloud::new(self.client_for(url, api_key, &secret)?))
            }
            ProfileKind::Central { url, username } => Arc::new(CentralCloud::open(
                url,
                username,
                self.options.request_timeout,
                &profile.id,
                self.vault.clone(),
            )?),
        })
    }

    async fn open_session(self: &Arc<Self>, id: &str, offline: bool) -> Result<ConnectionStatus> {
        let profile = self.lock_profiles().get(id, self.storage())?;
        let cloud = self.cloud_for(&profile).await?;
        self.start_session(profile, cloud, offline)
    }

    /// Makes `cloud` the active profile's: its cache opens at once, then (unless `offline`) a
    /// background sync and heartbeat start.
    pub(crate) fn start_session(
        self: &Arc<Self>,
        profile: Profile,
        cloud: Arc<dyn Cloud>,
        offline: bool,
    ) -> Result<ConnectionStatus> {
        let store = Store::open(&self.data_dir, &profile.id)?;
        cloud.opened(&store);
        if self.options.remember_active {
            self.lock_profiles().set_active(Some(&profile.id))?;
        }
        self.deactivate();
        let (reachability, last_error) = if offline {
            (
                Reachability::Offline,
                Some(ApiError::new(ErrorCode::Unreachable, "working offline")),
            )
        } else if !cloud.ready() {
            (Reachability::SignedOut, None)
        } else {
            (Reachability::Connecting, None)
        };
        let session = Arc::new(Session::new(
            profile,
            cloud,
            store,
            reachability,
            last_error,
        ));
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session.clone());
        let status = self.status();
        self.events.connection(&status);
        self.events.data_changed();
        if !offline && self.options.background {
            self.spawn_background(session);
        }
        Ok(status)
    }

    /// The connection as the UI shows it.
    pub fn status(&self) -> ConnectionStatus {
        let seq = self.status_seq.fetch_add(1, Ordering::Relaxed);
        match self.session() {
            None => ConnectionStatus {
                seq,
                profile: None,
                reachability: Reachability::NotConnected,
                syncing: false,
                last_synced: None,
                last_error: None,
                last_error_code: None,
                user: None,
                acting_as: None,
                brand: None,
            },
            Some(s) => {
                let st = s.state();
                let identity = s.cloud.identity();
                ConnectionStatus {
                    seq,
                    profile: Some(s.profile.clone()),
                    reachability: st.reachability,
                    syncing: st.syncing,
                    last_synced: s.store.last_synced().ok().flatten(),
                    last_error: st.last_error.as_ref().map(|e| e.message.clone()),
                    last_error_code: st.last_error.map(|e| e.code),
                    user: identity.user,
                    acting_as: identity.acting_as,
                    brand: identity.brand,
                }
            }
        }
    }

    /// Runs a sync of the active profile now and returns the status when it ends.
    pub async fn sync_now(self: &Arc<Self>) -> Result<ConnectionStatus> {
        let session = self.require_session()?;
        self.sync_once(&session).await;
        Ok(self.status())
    }

    /// A filtered, sorted page of VMs from the cache.
    pub fn vm_page(&self, query: &VmQuery) -> Result<VmPage> {
        if query.limit == 0 || query.limit > VmQuery::MAX_LIMIT {
            return Err(AppError::Invalid(format!(
                "a page holds 1 to {} rows, not {}",
                VmQuery::MAX_LIMIT,
                query.limit
            )));
        }
        if query.text.len() > 200 {
            return Err(AppError::Invalid(
                "the filter is too long (200 characters at most)".into(),
            ));
        }
        let session = self.require_session()?;
        session.store.vm_page(query)
    }

    /// One VM from the cache.
    pub fn vm_get(&self, id: &str) -> Result<VmRow> {
        let session = self.require_session()?;
        session
            .store
            .vm(id)?
            .ok_or_else(|| AppError::NotFound(format!("virtual machine {id}")))
    }

    /// A cached list for the read-only pages (see [`akashone_types::CACHED_LISTS`]).
    pub fn cached_list(&self, kind: &str) -> Result<akashone_types::CachedList> {
        if !akashone_types::CACHED_LISTS.contains(&kind) {
            return Err(AppError::Invalid(format!(
                "unknown list {kind:?}; one of {}",
                akashone_types::CACHED_LISTS.join(", ")
            )));
        }
        self.require_session()?.store.cached_list(kind)
    }

    /// Dashboard figures from the cache, or `None` when no profile is active.
    pub fn dashboard(&self) -> Result<Option<DashboardFigures>> {
        match self.session() {
            None => Ok(None),
            Some(s) => s.store.dashboard().map(Some),
        }
    }

    fn client_for(&self, url: &str, key: &str, secret: &str) -> Result<Client> {
        Ok(Client::new(
            ClientConfig::new(url, key, secret).with_timeout(self.options.request_timeout),
        )?)
    }

    /// The demo simulator's client, starting the simulator on first use (loopback only).
    async fn demo_client(&self) -> Result<Client> {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            let sim = Simulator::start(self.options.demo.clone())
                .await
                .map_err(|e| AppError::Demo(e.to_string()))?;
            tracing::info!(url = %sim.url(), "demo simulator started");
            *demo = Some(sim);
        }
        let sim = demo
            .as_ref()
            .ok_or_else(|| AppError::Demo("not running".into()))?;
        self.client_for(&sim.url(), sim.api_key(), sim.secret_key())
    }
}
