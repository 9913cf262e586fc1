//! `akashone-server`: the central server. Configuration comes from the environment (see the
//! crate's README); flags override it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Data directory (default: AKASHONE_DATA_DIR, else the platform's data directory).
    #[arg(long)]
    data_dir: Option<PathBuf>,
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
    let default_dir = cli.data_dir.clone().unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("akashone-server")
    });
    let var = |name: &str| {
        if name == "AKASHONE_DATA_DIR" && cli.data_dir.is_some() {
            return None;
        }
        std::env::var(name).ok()
    };
    let mut config = match Config::from_vars(var, default_dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("akashone-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    config.simulator |= cli.simulator;
    if let Some(bind) = cli.bind {
        config.bind = bind;
    }
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
