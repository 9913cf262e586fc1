//! The AkashOne Console desktop shell: wires plugins, state and commands. Logic lives in the
//! library crates under `crates/`; the commands in [`commands`] only parse, call and map errors.

mod central;
mod commands;
mod invoices;
mod ipc;
mod kubernetes;
mod resources;
mod state;

pub use ipc::REGISTERED;
pub use state::{AppState, HEARTBEAT_ENV, StateError};

use std::path::PathBuf;
use tauri::{Manager, Runtime};

/// Environment variable that overrides where settings and caches are kept (tests, portable use).
pub const DATA_DIR_ENV: &str = "AKASHONE_DATA_DIR";

/// Registers the state and every command ([`REGISTERED`], the table in `ipc`) on a builder. Shared
/// by [`run`] and the command tests, so both exercise exactly the same wiring.
pub fn register<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(ipc::dispatch)
}

/// Starts the desktop app. Exits the process with a message if it cannot start.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let context = tauri::generate_context!("../tauri.conf.json");
    let data_dir = match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match default_data_dir(&context) {
            Some(dir) => dir,
            None => fail("cannot find a folder for the app's data; set AKASHONE_DATA_DIR"),
        },
    };
    let state = match AppState::open(data_dir) {
        Ok(state) => state,
        Err(e) => fail(&e.to_string()),
    };
    let result = register(tauri::Builder::default(), state)
        .setup(|app| {
            let state = app.state::<AppState>();
            tracing::info!(data_dir = %state.data_dir().display(), "AkashOne Console starting");
            state.attach(app.handle());
            // Reconnect the profile that was active last time: the cache shows at once.
            let console = state.console().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = console.resume().await {
                    tracing::warn!(error = %e, "could not reconnect the last profile");
                }
            });
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        fail(&format!("the window system failed: {e}"));
    }
}

/// The per-user data folder Tauri would pick (`$XDG_DATA_HOME/<identifier>` on Linux), computed
/// before the app exists so state can be opened first (the command line uses the same folder).
fn default_data_dir<R: Runtime>(context: &tauri::Context<R>) -> Option<PathBuf> {
    akashone_app::paths::default_data_dir(&context.config().identifier)
}

fn fail(message: &str) -> ! {
    eprintln!("AkashOne Console cannot start: {message}");
    std::process::exit(1);
}
