//! The `#[tauri::command]` functions: parse, call a library crate, map the error. Nothing else.

use crate::AppState;
use akashone_types::{ApiError, AppInfo, Settings};
use tauri::State;

/// Environment variable: when set, the shell prints one `akashone-ready <ms>` line on stdout once
/// the UI reports its first page rendered (used by the start-up benchmark).
pub const REPORT_READY_ENV: &str = "AKASHONE_REPORT_READY";

#[tauri::command]
pub(crate) fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        product: "AkashOne Console".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        company: "Mieux Technologies Pvt Ltd".into(),
        website: "AkashOne.com".into(),
        data_dir: state.data_dir().display().to_string(),
    }
}

#[tauri::command]
pub(crate) fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings().get()
}

#[tauri::command]
pub(crate) fn set_theme(state: State<'_, AppState>, theme: String) -> Result<Settings, ApiError> {
    Ok(state.settings().set_theme(&theme)?)
}

/// Called by the UI once its first page has rendered; returns milliseconds since start-up.
#[tauri::command]
pub(crate) fn ui_ready(state: State<'_, AppState>, page: String) -> u64 {
    let ms = u64::try_from(state.started().elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(page = %page, ms, "UI ready");
    if std::env::var_os(REPORT_READY_ENV).is_some() {
        println!("akashone-ready {ms}");
    }
    ms
}
