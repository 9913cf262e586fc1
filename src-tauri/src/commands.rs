//! The `#[tauri::command]` functions: parse, call a library crate, map the error. Nothing else.

use crate::AppState;
use akashone_types::{
    ApiError, AppInfo, CachedList, Choice, ConnectionStatus, DashboardFigures, DeployRequest,
    NewCloudStackProfile, Profiles, Settings, VmAction, VmMetrics, VmPage, VmQuery, VmRow,
};
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

// ---- Connection profiles ---------------------------------------------------------------------

#[tauri::command]
pub(crate) fn list_profiles(state: State<'_, AppState>) -> Profiles {
    state.console().list_profiles()
}

#[tauri::command]
pub(crate) async fn add_cloudstack_profile(
    state: State<'_, AppState>,
    form: NewCloudStackProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().add_cloudstack_profile(&form).await?)
}

#[tauri::command]
pub(crate) async fn add_demo_profile(state: State<'_, AppState>) -> Result<Profiles, ApiError> {
    Ok(state.console().add_demo_profile().await?)
}

#[tauri::command]
pub(crate) async fn remove_profile(
    state: State<'_, AppState>,
    id: String,
) -> Result<Profiles, ApiError> {
    Ok(state.console().remove_profile(&id).await?)
}

#[tauri::command]
pub(crate) async fn activate_profile(
    state: State<'_, AppState>,
    id: String,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().activate_profile(&id).await?)
}

#[tauri::command]
pub(crate) fn connection_status(state: State<'_, AppState>) -> ConnectionStatus {
    state.console().status()
}

#[tauri::command]
pub(crate) async fn sync_now(state: State<'_, AppState>) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().sync_now().await?)
}

// ---- Virtual machines ------------------------------------------------------------------------

// Off the main thread (`async`): a page query never holds up the window's event loop.
#[tauri::command(async)]
pub(crate) fn vm_page(state: State<'_, AppState>, query: VmQuery) -> Result<VmPage, ApiError> {
    Ok(state.console().vm_page(&query)?)
}

#[tauri::command]
pub(crate) fn vm_get(state: State<'_, AppState>, id: String) -> Result<VmRow, ApiError> {
    Ok(state.console().vm_get(&id)?)
}

#[tauri::command]
pub(crate) async fn vm_metrics(
    state: State<'_, AppState>,
    id: String,
) -> Result<VmMetrics, ApiError> {
    Ok(state.console().vm_metrics(&id).await?)
}

#[tauri::command]
pub(crate) async fn vm_action(
    state: State<'_, AppState>,
    id: String,
    action: VmAction,
) -> Result<u64, ApiError> {
    Ok(state.console().vm_action(&id, action).await?)
}

#[tauri::command]
pub(crate) async fn deploy_zones(state: State<'_, AppState>) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_zones().await?)
}

#[tauri::command]
pub(crate) async fn deploy_templates(
    state: State<'_, AppState>,
    zone_id: String,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_templates(&zone_id).await?)
}

#[tauri::command]
pub(crate) async fn deploy_offerings(state: State<'_, AppState>) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_offerings().await?)
}

#[tauri::command]
pub(crate) async fn deploy_keypairs(state: State<'_, AppState>) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_keypairs().await?)
}

#[tauri::command]
pub(crate) async fn deploy_networks(
    state: State<'_, AppState>,
    zone_id: String,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_networks(&zone_id).await?)
}

#[tauri::command]
pub(crate) async fn deploy_vm(
    state: State<'_, AppState>,
    request: DeployRequest,
) -> Result<u64, ApiError> {
    Ok(state.console().deploy_vm(&request).await?)
}

#[tauri::command]
pub(crate) fn cached_list(
    state: State<'_, AppState>,
    kind: String,
) -> Result<CachedList, ApiError> {
    Ok(state.console().cached_list(&kind)?)
}

#[tauri::command]
pub(crate) fn dashboard(state: State<'_, AppState>) -> Result<Option<DashboardFigures>, ApiError> {
    Ok(state.console().dashboard()?)
}
