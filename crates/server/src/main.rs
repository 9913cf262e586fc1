//! `akashone-server`: the central server. Configuration comes from flags, then the environment,
//! then a TOML file given with `--config`, then defaults (see the crate's README).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use akashone_server::config::{ConfigFile, Flags};
use akashone_server::{Config, Server};
use clap::Parser;

/// AkashOne central server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Start the built-in CloudStack simulator (demo data) and use it as CloudStack.
    #[arg(long)]
    simulator: bool,
    /// Listening address (default: AKASHONE_BIND, else 127.0.0.1:8787).
    #[arg(long)]
    bind: Option<SocketAddr>,
    /// Data directory (default: AKASHONE_DATA_DIR, else the file's data_dir, else the platform's
    /// data directory).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// A TOML configuration file; the environment and flags override its values. A file holding
    /// secrets must be private to its owner (chmod 600).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr; stdout carries only what is printed for the operator.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let platform_dir = dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("akashone-server");
    let file = match cli.config.as_deref().map(ConfigFile::load).transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("akashone-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let flags = Flags {
        bind: cli.bind,
        data_dir: cli.data_dir,
        simulator: cli.simulator,
    };
    let env = |name: &str| std::env::var(name).ok();
    let config = match Config::from_sources(&flags, env, file.as_ref(), platform_dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("akashone-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(config = ?config, "starting");
    let mut server = match Server::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("akashone-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(name) = &server.bootstrap().created_admin {
        match &server.bootstrap().one_time_password {
            // Printed once, to the terminal only: never logged.
            Some(p) => println!(
                "Created the super administrator {name:?} with the one-time password: {}\n\
                 Sign in and change it now; it is not shown again.",
                p.expose()
            ),
            None => println!(
                "Created the super administrator {name:?} with the password from AKASHONE_ADMIN_PASSWORD."
            ),
        }
    }
    if let Some(sim) = server.simulator() {
        tracing::info!(url = %sim.url(), "CloudStack simulator running");
    }
    tracing::info!(url = %server.url(), "listening");
    tokio::select! {
        r = server.wait() => {
            if let Err(e) = r {
                eprintln!("akashone-server: {e}");
                return ExitCode::FAILURE;
            }
        }
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
            server.shutdown().await;
        }
    }
    ExitCode::SUCCESS
}
