//! What a command talks to: one of the app's saved profiles through [`akashone_app::Console`]
//! (direct CloudStack, demo or central server; secrets in the vault, an offline cache), or the
//! legacy credentials (a `profiles.toml` profile or the `CLOUDSTACK_*` environment variables),
//! which keep working through the CloudStack client.
//!
//! `--profile NAME` picks a saved profile by id or name, else a `profiles.toml` profile of that
//! name (with a warning: its secret key is in plain text; `akashone profile import` moves it into
//! the vault). Without `--profile`: the environment variables, else the `[default]` profile of
//! `profiles.toml` (with the same warning), else a saved profile named `default` (an imported
//! `[default]`), else the profile the desktop app has active.
//!
//! With a saved profile, `vm list` and `vm get` sync the profile's cache first (as the app does)
//! and answer from it, so `--offline` can answer them later with the cloud out of reach. Other
//! verbs of a direct or demo profile use its CloudStack client, exactly as legacy credentials
//! do; those of a central profile go through the server.

use crate::{CliError, Context, config};
use akashone_app::{AppError, Console, Events, Options};
use akashone_types::{
    ApiError, ConnectionStatus, ErrorCode, JobEvent, JobPhase, Profile, ProfileKind, Reachability,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Job events of the console, passed to the command waiting for them.
struct CliEvents {
    jobs: UnboundedSender<JobEvent>,
}

impl Events for CliEvents {
    fn connection(&self, _: &ConnectionStatus) {}
    fn data_changed(&self) {}
    fn job(&self, event: &JobEvent) {
        let _ = self.jobs.send(event.clone());
    }
    fn kube_job(&self, event: &JobEvent) {
        let _ = self.jobs.send(event.clone());
    }
    fn resource_job(&self, event: &JobEvent) {
        let _ = self.jobs.send(event.clone());
    }
}

/// The app's console opened on its data folder, with the job events it reports.
pub struct App {
    /// The console.
    pub console: Arc<Console>,
    jobs: tokio::sync::Mutex<UnboundedReceiver<JobEvent>>,
}

/// What the command talks to.
pub enum Target {
    /// A saved profile of the app.
    Saved {
        /// The console.
        app: App,
        /// The profile.
        profile: Profile,
    },
    /// Legacy credentials, through the CloudStack client.
    Legacy(akashone_cloudstack::Client),
}

/// The data folder the desktop app uses (`AKASHONE_DATA_DIR` overrides it).
pub fn data_dir() -> Result<PathBuf, CliError> {
    akashone_app::paths::data_dir().ok_or_else(|| {
        CliError::Usage(format!(
            "no folder for the app's data on this system; set {}",
            akashone_app::paths::DATA_DIR_ENV
        ))
    })
}

impl App {
    /// Opens the console on the app's data folder (the same profiles, vault and caches as the
    /// desktop app), without background work: commands sync when they need to, and the profile
    /// the app resumes is left alone.
    pub fn open(ctx: &Context) -> Result<Self, CliError> {
        let dir = data_dir()?;
        let (tx, rx) = unbounded_channel();
        let mut options = Options {
            background: false,
            remember_active: false,
            demo_on_first_start: false,
            ..Options::default()
        };
        if let Some(t) = ctx.timeout {
            options.request_timeout = t;
        }
        let console = Console::open(&dir, Arc::new(CliEvents { jobs: tx }), options)?;
        Ok(Self {
            console,
            jobs: tokio::sync::Mutex::new(rx),
        })
    }

    /// The saved profile with this id or name.
    pub fn find(&self, name: &str) -> Result<Option<Profile>, CliError> {
        let all = self.console.list_profiles().profiles;
        if let Some(p) = all.iter().find(|p| p.id == name) {
            return Ok(Some(p.clone()));
        }
        let named: Vec<&Profile> = all.iter().filter(|p| p.name == name).collect();
        match named.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some((*one).clone())),
            many => Err(CliError::Usage(format!(
                "several saved profiles are named {name:?}; use the id of one: {}",
                many.iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The names of the saved profiles, for messages.
    pub fn names(&self) -> Vec<String> {
        self.console
            .list_profiles()
            .profiles
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    /// The next event of task `task`, or an error once `deadline` passes.
    async fn next_event(
        &self,
        ctx: &Context,
        task: u64,
        deadline: tokio::time::Instant,
    ) -> Result<JobEvent, CliError> {
        let mut jobs = self.jobs.lock().await;
        loop {
            match tokio::time::timeout_at(deadline, jobs.recv()).await {
                Ok(Some(e)) if e.task_id == task => return Ok(e),
                Ok(Some(_)) => {}
                Ok(None) => return Err(CliError::Io("the console stopped".into())),
                Err(_) => {
                    return Err(CliError::Job(format!(
                        "gave up waiting after {} s (the job may still end; `akashone vm list` or `akashone k8s list` shows where it is)",
                        ctx.wait_timeout.as_secs()
                    )));
                }
            }
        }
    }

    /// Waits until task `task` has a CloudStack job id (direct and demo profiles) or has ended
    /// (a central server runs the whole job in one request); the event.
    pub async fn submitted(&self, ctx: &Context, task: u64) -> Result<JobEvent, CliError> {
        let deadline = tokio::time::Instant::now() + ctx.wait_timeout;
        loop {
            let event = self.next_event(ctx, task, deadline).await?;
            match event.phase {
                JobPhase::Failed => return Err(job_failed(&event)),
                JobPhase::Succeeded => return Ok(event),
                _ if event.job_id.is_some() => return Ok(event),
                _ => {}
            }
        }
    }

    /// Waits for the end of task `task`, with a spinner on stderr; the final event.
    pub async fn follow(&self, ctx: &Context, task: u64) -> Result<JobEvent, CliError> {
        let spinner = crate::progress::JobSpinner::start("job", &format!("task {task}"));
        let deadline = tokio::time::Instant::now() + ctx.wait_timeout;
        loop {
            let event = match self.next_event(ctx, task, deadline).await {
                Ok(e) => e,
                Err(e) => {
                    spinner.finish(false);
                    return Err(e);
                }
            };
            spinner.message(format!(
                "{}: {} (poll {})",
                what(&event),
                phase_name(event.phase),
                event.polls
            ));
            match event.phase {
                JobPhase::Succeeded => {
                    spinner.finish(true);
                    return Ok(event);
                }
                JobPhase::Failed => {
                    spinner.finish(false);
                    return Err(job_failed(&event));
                }
                _ => {}
            }
        }
    }
}

fn what(event: &JobEvent) -> String {
    if event.vm_name.is_empty() {
        event.action.clone()
    } else {
        format!("{} {}", event.action, event.vm_name)
    }
}

fn job_failed(event: &JobEvent) -> CliError {
    CliError::Job(format!(
        "{} failed: {}",
        what(event),
        event.error.as_deref().unwrap_or("no reason given")
    ))
}

fn phase_name(p: JobPhase) -> &'static str {
    match p {
        JobPhase::Submitting => "submitting",
        JobPhase::Running => "running",
        JobPhase::Succeeded => "succeeded",
        JobPhase::Failed => "failed",
    }
}

/// Whether the app has saved profiles in its data folder (without creating anything).
fn has_saved_profiles() -> bool {
    akashone_app::paths::data_dir()
        .is_some_and(|d| d.join(akashone_app::profiles::FILE_NAME).is_file())
}

fn warn_plain_text(name: &str, path: &Path) {
    eprintln!(
        "warning: profile [{name}] comes from {}, which keeps its secret key in plain text; \
         run `akashone profile import` to move it into the vault",
        path.display()
    );
}

fn legacy(ctx: &Context, profile: &config::Profile) -> Result<Target, CliError> {
    let mut cfg = profile.client_config();
    if let Some(t) = ctx.timeout {
        cfg.timeout = t;
    }
    Ok(Target::Legacy(akashone_cloudstack::Client::new(cfg)?))
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// Resolves what the command talks to (see the module's documentation).
pub fn resolve(ctx: &Context) -> Result<Target, CliError> {
    let env = config::ProcessEnv;
    let file = config::profile_file(ctx.config.as_deref(), &env);
    let name = ctx
        .profile
        .clone()
        .or_else(|| config::Env::var(&env, config::ENV_PROFILE));
    if let Some(name) = name {
        let mut saved = Vec::new();
        if has_saved_profiles() {
            let app = App::open(ctx)?;
            if let Some(profile) = app.find(&name)? {
                return Ok(Target::Saved { app, profile });
            }
            saved = app.names();
        }
        let legacy_profiles = config::load_all(file.as_deref())?;
        if let Some(p) = legacy_profiles.get(&name) {
            if let Some(path) = &file {
                warn_plain_text(&name, path);
            }
            return legacy(ctx, p);
        }
        let mut msg = format!(
            "no profile named {name:?}: the saved profiles are {}",
            list_or_none(&saved)
        );
        if !legacy_profiles.is_empty()
            && let Some(path) = &file
        {
            msg.push_str(&format!(
                ", and {} has {}",
                path.display(),
                list_or_none(&legacy_profiles.keys().cloned().collect::<Vec<_>>())
            ));
        }
        msg.push_str(" (see `akashone profile list`)");
        return Err(CliError::Usage(msg));
    }
    if config::env_has_credentials(&env) {
        return legacy(ctx, &config::resolve(None, ctx.config.as_deref(), &env)?);
    }
    if let Some(p) = config::load(file.as_deref(), "default")? {
        if let Some(path) = &file {
            warn_plain_text("default", path);
        }
        return legacy(ctx, &p);
    }
    if has_saved_profiles() {
        let app = App::open(ctx)?;
        // An imported `[default]` stays the default.
        if let Some(profile) = app.find("default")? {
            return Ok(Target::Saved { app, profile });
        }
        let profiles = app.console.list_profiles();
        if let Some(profile) = profiles
            .active
            .and_then(|id| profiles.profiles.into_iter().find(|p| p.id == id))
        {
            return Ok(Target::Saved { app, profile });
        }
    }
    Err(CliError::Usage(format!(
        "no profile chosen: use --profile NAME (see `akashone profile list`), or set {}, {} and {}",
        config::ENV_URL,
        config::ENV_KEY,
        config::ENV_SECRET
    )))
}

/// A saved profile, for commands that only work with them (`login`, `logout`).
pub fn saved(ctx: &Context) -> Result<(App, Profile), CliError> {
    match resolve(ctx)? {
        Target::Saved { app, profile } => Ok((app, profile)),
        Target::Legacy(_) => Err(CliError::Usage(
            "this needs a saved profile of the app (--profile NAME; see `akashone profile list`)"
                .into(),
        )),
    }
}

/// Whether a profile is a central server's.
pub fn is_central(profile: &Profile) -> bool {
    matches!(profile.kind, ProfileKind::Central { .. })
}

/// What a command that needs the cloud talks to.
pub enum Online {
    /// A CloudStack API: legacy credentials, or a direct or demo saved profile.
    CloudStack(akashone_cloudstack::Client),
    /// A central server profile that is signed in (its session is open, not yet synced).
    Central {
        /// The console.
        app: App,
        /// The profile.
        profile: Profile,
    },
}

/// Resolves the target of `what` (e.g. "zone list"), which needs the cloud: refused with
/// `--offline`; a central profile must be signed in.
pub async fn online(ctx: &Context, what: &str) -> Result<Online, CliError> {
    if ctx.offline {
        return Err(CliError::Usage(format!(
            "{what} needs the cloud; --offline answers vm list, vm get, k8s list, k8s get, zone, template and offering list and invoice list/show/pdf --number from the cache"
        )));
    }
    match resolve(ctx)? {
        Target::Legacy(client) => Ok(Online::CloudStack(client)),
        Target::Saved { app, profile } if is_central(&profile) => {
            let st = app.console.activate_profile(&profile.id).await?;
            if st.reachability == Reachability::SignedOut {
                return Err(not_signed_in(&profile));
            }
            Ok(Online::Central { app, profile })
        }
        Target::Saved { app, profile } => Ok(Online::CloudStack(
            app.console.cloudstack_client(&profile.id).await?,
        )),
    }
}

/// What a command that reads the cache (`vm list`, `vm get`) talks to.
pub enum Cached {
    /// Legacy credentials: straight to CloudStack.
    Live(akashone_cloudstack::Client),
    /// A saved profile whose cache is synced (or, with `--offline`, opened as it is).
    Console {
        /// The console.
        app: App,
        /// The profile.
        profile: Profile,
    },
}

/// Resolves the target of a command that can answer from the cache.
pub async fn cached(ctx: &Context) -> Result<Cached, CliError> {
    match resolve(ctx)? {
        Target::Legacy(_) if ctx.offline => Err(CliError::Usage(
            "--offline reads a saved profile's cache; profiles.toml profiles and the CLOUDSTACK_* \
             variables have none (`akashone profile import` turns profiles.toml profiles into \
             saved ones)"
                .into(),
        )),
        Target::Legacy(client) => Ok(Cached::Live(client)),
        Target::Saved { app, profile } => {
            connect(ctx, &app, &profile).await?;
            Ok(Cached::Console { app, profile })
        }
    }
}

/// With `--offline`: one of the saved profile's cached lists (see
/// [`akashone_types::CACHED_LISTS`]) as rows, each cache column `from` shown as `to`.
pub async fn offline_rows(
    ctx: &Context,
    kind: &str,
    columns: &[(&str, &str)],
) -> Result<Vec<serde_json::Value>, CliError> {
    let Cached::Console { app, .. } = cached(ctx).await? else {
        return Err(CliError::Usage(
            "--offline reads a saved profile's cache".into(),
        ));
    };
    let list = app.console.cached_list(kind)?;
    Ok(list
        .rows
        .into_iter()
        .map(|row| {
            let fields = columns
                .iter()
                .filter_map(|(from, to)| {
                    let v = row.get(*from)?;
                    Some(((*to).to_owned(), serde_json::Value::String(v.clone())))
                })
                .collect();
            serde_json::Value::Object(fields)
        })
        .collect())
}

/// A failure of a call through a central profile: an ended session (expired, revoked, the
/// password changed elsewhere; the console has signed the profile out) asks to log in again.
pub fn central_error(profile: &Profile, e: AppError) -> CliError {
    match e {
        AppError::SignedOut => not_signed_in(profile),
        AppError::Central(c) if c.is_unauthorized() => CliError::Auth(format!(
            "the session of {:?} ended ({c}): run `akashone login --profile {:?}`",
            profile.name, profile.name
        )),
        other => CliError::App(other),
    }
}

fn not_signed_in(profile: &Profile) -> CliError {
    CliError::Auth(format!(
        "not signed in to {:?}: run `akashone login --profile {:?}` (or add --offline to read the cache)",
        profile.name, profile.name
    ))
}

/// Opens `profile`'s session: with `--offline` its cache only (an error when nothing was ever
/// cached), otherwise a sync, whose failure is the command's failure.
pub async fn connect(ctx: &Context, app: &App, profile: &Profile) -> Result<(), CliError> {
    if ctx.offline {
        let st = app.console.open_offline(&profile.id).await?;
        let Some(when) = st.last_synced else {
            return Err(CliError::NotFound(format!(
                "nothing is cached for profile {:?} yet: run a command without --offline while its cloud answers",
                profile.name
            )));
        };
        eprintln!("offline: data of profile {:?} from {when}", profile.name);
        return Ok(());
    }
    app.console.activate_profile(&profile.id).await?;
    let st = app.console.sync_now().await?;
    let error = st.last_error.clone().unwrap_or_default();
    let hint = || {
        format!(
            "{error}; --offline reads the cache (data from {})",
            st.last_synced.as_deref().unwrap_or("never")
        )
    };
    match st.reachability {
        Reachability::SignedOut => Err(not_signed_in(profile)),
        Reachability::Offline => Err(CliError::App(AppError::Offline(hint()))),
        // The sync failed with the cloud's own code (credentials, permission…): exit with it.
        _ if st.last_error.is_some() => Err(CliError::App(AppError::Api(ApiError::new(
            st.last_error_code.unwrap_or(ErrorCode::Internal),
            format!("the sync of {:?} failed: {error}", profile.name),
        )))),
        _ => Ok(()),
    }
}

/// A short name for a profile's kind.
pub fn kind_name(kind: &ProfileKind) -> &'static str {
    match kind {
        ProfileKind::CloudStack { .. } => "cloudstack",
        ProfileKind::Demo => "demo",
        ProfileKind::Central { .. } => "central",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_session_asks_to_log_in_again() {
        let profile = Profile {
            id: "p1".into(),
            name: "Platform".into(),
            kind: ProfileKind::Central {
                url: "http://127.0.0.1:9".into(),
                username: "admin".into(),
            },
            secret_storage: akashone_types::SecretStorage::EncryptedFile,
        };
        let e = central_error(&profile, AppError::SignedOut);
        assert_eq!(e.exit_code(), crate::exit::AUTH);
        assert!(
            e.to_string()
                .contains("run `akashone login --profile \"Platform\"`"),
            "{e}"
        );
        let e = central_error(&profile, AppError::Offline("no answer".into()));
        assert_eq!(e.exit_code(), crate::exit::UNREACHABLE);
    }
}
