//! Typed wrappers, one per shell command. Argument names match the Rust command signatures.

use super::bridge::{NoArgs, invoke};
use akashone_types::{ApiError, AppInfo, Settings, Theme};
use serde::Serialize;

/// Product, version, company and data folder.
pub async fn app_info() -> Result<AppInfo, ApiError> {
    invoke("app_info", &NoArgs {}).await
}

/// The saved settings.
pub async fn get_settings() -> Result<Settings, ApiError> {
    invoke("get_settings", &NoArgs {}).await
}

/// Saves the theme; returns the settings as saved.
pub async fn set_theme(theme: Theme) -> Result<Settings, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        theme: &'a str,
    }
    invoke(
        "set_theme",
        &Args {
            theme: theme.as_str(),
        },
    )
    .await
}

/// Tells the shell the first page has rendered (start-up diagnostics and benchmark).
pub async fn ui_ready(page: &str) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        page: &'a str,
    }
    invoke("ui_ready", &Args { page }).await
}
