//! The `akashone` command line: any CloudStack API call (`akashone api COMMAND key=value...`)
//! plus friendly verbs (`vm`, `zone`, `template`, `offering`, `k8s`, `invoice`), with table, JSON or
//! CSV output.
//!
//! It runs on the same console as the desktop app: `--profile NAME` picks one of the app's saved
//! profiles (direct CloudStack, demo or central server), whose secrets stay in the app's vault
//! and whose offline cache `--offline` reads; `akashone login` signs in to a central profile
//! (with its 2FA step) and keeps the session as the app does. Legacy credentials (a
//! `profiles.toml` profile, the `CLOUDSTACK_*` variables) keep working; see [`target`] and
//! [`config`]. Exit codes: see [`exit`].
//!
//! Each subcommand is a module under [`commands`] with an `Args` type (clap derive) and an
//! `async fn run(&Context, Args) -> Result<(), CliError>`; adding one means a new module and one
//! variant in [`Command`].
#![deny(missing_docs)]

pub mod commands;
pub mod config;
pub mod exit;
pub mod output;
pub mod progress;
pub mod prompt;
pub mod target;

use clap::{Parser, Subcommand};
use output::Format;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "akashone",
    version,
    about = "AkashOne Console command line for Apache CloudStack",
    long_about = "AkashOne Console command line for Apache CloudStack.\n\n\
        Profiles: --profile NAME picks one of the desktop app's saved profiles (direct \
        CloudStack, demo or central server; secrets in the app's vault) by name or id; \
        `akashone profile list` shows them, `akashone login --profile NAME` signs in to a \
        central one. --offline answers vm list, vm get, k8s list, k8s get and invoice \
        list/show/pdf --number from the profile's offline cache. Legacy credentials keep working: a profiles.toml profile \
        (with a warning: its secret is in plain text; `akashone profile import` moves it into \
        the vault), or the environment variables CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and \
        CLOUDSTACK_SECRET_KEY, or the [default] profile of profiles.toml.\n\n\
        Exit codes: 0 ok, 1 unexpected error, 2 usage, unknown profile or missing \
        configuration, 3 credentials, permission, sign-in or 2FA code refused (or not signed \
        in), 4 not found (or nothing cached for --offline), 5 unreachable or timed out, 6 async \
        job failed, 7 request refused."
)]
pub struct Cli {
    /// Profile to use: a saved profile of the app (name or id), else a profiles.toml profile.
    #[arg(long, global = true, env = "AKASHONE_PROFILE")]
    pub profile: Option<String>,
    /// Answer from the saved profile's offline cache without contacting the cloud.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Legacy profile file (default: <config dir>/akashone/profiles.toml).
    #[arg(long, global = true, value_name = "PATH", env = "AKASHONE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Output format (default: table; json for `api`).
    #[arg(long, short, global = true, value_enum)]
    pub output: Option<Format>,
    /// Per-request timeout in seconds.
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// With --wait: give up waiting for a job after this many seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 1800)]
    pub wait_timeout: u64,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call any CloudStack API command: `akashone api listZones available=true`.
    Api(commands::api::Args),
    /// Virtual machines.
    Vm(commands::vm::Args),
    /// Zones.
    Zone(commands::zone::Args),
    /// Templates.
    Template(commands::template::Args),
    /// Compute and disk offerings.
    Offering(commands::offering::Args),
    /// Kubernetes clusters (CloudStack Kubernetes Service) of a saved profile: list, create,
    /// scale, autoscale, upgrade, start, stop, delete, kubeconfig, versions.
    #[command(name = "k8s", alias = "kubernetes")]
    K8s(commands::k8s::Args),
    /// Guest networks: list, create, restart, delete.
    #[command(subcommand)]
    Network(commands::resources::NetworkVerb),
    /// Public IP addresses: list, acquire, release, static NAT.
    #[command(subcommand)]
    Ip(commands::resources::IpVerb),
    /// Firewall rules of public IPs: list, apply ports and ranges to source CIDRs, delete.
    #[command(subcommand)]
    Firewall(commands::resources::FirewallVerb),
    /// Port forwarding: list, create (open only to the source CIDRs), delete.
    #[command(subcommand, name = "portforward", alias = "pf")]
    Portforward(commands::resources::ForwardVerb),
    /// Load balancers: list, create over VMs, members, delete.
    #[command(subcommand)]
    Lb(commands::resources::LbVerb),
    /// Volumes: list, create, attach, detach, resize, delete.
    #[command(subcommand)]
    Volume(commands::resources::VolumeVerb),
    /// Volume snapshots and recurring policies.
    #[command(subcommand)]
    Snapshot(commands::resources::SnapshotVerb),
    /// GST invoices: from a draft JSON file (compute, PDF, e-invoice; no credentials needed),
    /// or a central profile's synced invoices (list, show, pdf --number).
    Invoice(commands::invoice::Args),
    /// Sign in to a central server profile (password, then the 2FA code when it is on).
    Login(commands::login::LoginArgs),
    /// Sign out of a central server profile (the session is revoked and its token deleted).
    Logout,
    /// The saved profiles, and moving profiles.toml profiles into the vault.
    Profile(commands::profile::Args),
}

/// A failure of the command line, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// Missing or invalid configuration.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// CloudStack (or the way to it) failed.
    #[error(transparent)]
    CloudStack(#[from] akashone_cloudstack::Error),
    /// The app's console (a saved profile) failed.
    #[error(transparent)]
    App(#[from] akashone_app::AppError),
    /// Not signed in, or the sign-in was refused.
    #[error("{0}")]
    Auth(String),
    /// Not found (e.g. nothing cached yet for `--offline`).
    #[error("{0}")]
    NotFound(String),
    /// A job failed or waiting for it gave up.
    #[error("{0}")]
    Job(String),
    /// Local I/O failed.
    #[error("{0}")]
    Io(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Usage(_) | Self::Config(_) => exit::USAGE,
            Self::CloudStack(e) => exit::for_cloudstack(e),
            Self::App(e) => exit::for_app(e),
            Self::Auth(_) => exit::AUTH,
            Self::NotFound(_) => exit::NOT_FOUND,
            Self::Job(_) => exit::JOB_FAILED,
            Self::Io(_) => exit::INTERNAL,
        }
    }
}

/// What every subcommand gets: global options and a way to get a client.
pub struct Context {
    /// Global options.
    pub profile: Option<String>,
    /// Legacy profile file.
    pub config: Option<PathBuf>,
    /// Answer from the offline cache.
    pub offline: bool,
    /// Chosen output format, if any.
    pub output: Option<Format>,
    /// Request timeout.
    pub timeout: Option<Duration>,
    /// Job wait timeout.
    pub wait_timeout: Duration,
}

impl Context {
    /// What the command talks to (see [`target`]).
    pub fn target(&self) -> Result<target::Target, CliError> {
        target::resolve(self)
    }

    /// A CloudStack client from the legacy credentials only (profiles.toml or environment).
    pub fn client(&self) -> Result<akashone_cloudstack::Client, CliError> {
        let profile = config::resolve(
            self.profile.as_deref(),
            self.config.as_deref(),
            &config::ProcessEnv,
        )?;
        let mut cfg = profile.client_config();
        if let Some(t) = self.timeout {
            cfg.timeout = t;
        }
        Ok(akashone_cloudstack::Client::new(cfg)?)
    }

    /// The output format, or `default` when none was asked for.
    pub fn format_or(&self, default: Format) -> Format {
        self.output.unwrap_or(default)
    }

    /// Options for waiting on jobs.
    pub fn job_options(&self) -> akashone_cloudstack::JobOptions {
        akashone_cloudstack::JobOptions::default().with_timeout(self.wait_timeout)
    }

    /// Writes to stdout (a closed pipe is not an error).
    pub fn print(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}

/// Runs the command line with these arguments (the first is the program name); returns the
/// exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::INTERNAL;
        }
    };
    let ctx = Context {
        profile: cli.profile,
        config: cli.config,
        offline: cli.offline,
        output: cli.output,
        timeout: cli.timeout.map(|s| Duration::from_secs(s.max(1))),
        wait_timeout: Duration::from_secs(cli.wait_timeout.max(1)),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Api(a) => commands::api::run(&ctx, a).await,
            Command::Vm(a) => commands::vm::run(&ctx, a).await,
            Command::Zone(a) => commands::zone::run(&ctx, a).await,
            Command::Template(a) => commands::template::run(&ctx, a).await,
            Command::Offering(a) => commands::offering::run(&ctx, a).await,
            Command::K8s(a) => commands::k8s::run(&ctx, a).await,
            Command::Network(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Network(v)).await
            }
            Command::Ip(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Ip(v)).await
            }
            Command::Firewall(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Firewall(v)).await
            }
            Command::Portforward(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Forward(v)).await
            }
            Command::Lb(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Lb(v)).await
            }
            Command::Volume(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Volume(v)).await
            }
            Command::Snapshot(v) => {
                commands::resources::run(&ctx, commands::resources::Group::Snapshot(v)).await
            }
            Command::Invoice(a) => commands::invoice::run(&ctx, a).await,
            Command::Login(a) => commands::login::login(&ctx, a).await,
            Command::Logout => commands::login::logout(&ctx).await,
            Command::Profile(a) => commands::profile::run(&ctx, a).await,
        }
    });
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(run(["akashone", "vm", "frobnicate"]), exit::USAGE);
        assert_eq!(
            run(["akashone", "api", "listZones", "novalue"]),
            exit::USAGE
        );
    }
}
