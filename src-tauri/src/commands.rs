//! The app's own commands, profiles and VMs: decode, call a library crate, map the error.
//! Nothing else. [`crate::ipc`] registers them.

use crate::AppState;
use akashone_types::commands as cmd;
use akashone_types::{
    ApiError, AppInfo, CachedList, Choice, ConnectionStatus, DashboardFigures, Profiles, Settings,
    VmMetrics, VmPage, VmRow,
};

/// Environment variable: when set, the shell prints one `akashone-ready <ms>` line on stdout once
/// the UI reports its first page rendered (used by the start-up benchmark).
pub const REPORT_READY_ENV: &str = "AKASHONE_REPORT_READY";

pub(crate) async fn app_info(state: &AppState, _: cmd::AppInfo) -> Result<AppInfo, ApiError> {
    Ok(AppInfo {
        product: "AkashOne Console".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        company: "Mieux Technologies Pvt Ltd".into(),
        website: "AkashOne.com".into(),
        data_dir: state.data_dir().display().to_string(),
    })
}

pub(crate) async fn get_settings(
    state: &AppState,
    _: cmd::GetSettings,
) -> Result<Settings, ApiError> {
    Ok(state.settings().get())
}

pub(crate) async fn set_theme(
    state: &AppState,
    cmd::SetTheme { theme }: cmd::SetTheme,
) -> Result<Settings, ApiError> {
    Ok(state.settings().set_theme(&theme)?)
}

/// Called by the UI once its first page has rendered; answers milliseconds since start-up.
pub(crate) async fn ui_ready(
    state: &AppState,
    cmd::UiReady { page }: cmd::UiReady,
) -> Result<u64, ApiError> {
    let ms = u64::try_from(state.started().elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(page = %page, ms, "UI ready");
    if std::env::var_os(REPORT_READY_ENV).is_some() {
        println!("akashone-ready {ms}");
    }
    Ok(ms)
}

// ---- Connection profiles ---------------------------------------------------------------------

pub(crate) async fn list_profiles(
    state: &AppState,
    _: cmd::ListProfiles,
) -> Result<Profiles, ApiError> {
    Ok(state.console().list_profiles())
}

pub(crate) async fn add_cloudstack_profile(
    state: &AppState,
    cmd::AddCloudStackProfile { form }: cmd::AddCloudStackProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().add_cloudstack_profile(&form).await?)
}

pub(crate) async fn add_demo_profile(
    state: &AppState,
    _: cmd::AddDemoProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().add_demo_profile().await?)
}

pub(crate) async fn remove_profile(
    state: &AppState,
    cmd::RemoveProfile { id }: cmd::RemoveProfile,
) -> Result<Profiles, ApiError> {
    Ok(state.console().remove_profile(&id).await?)
}

pub(crate) async fn activate_profile(
    state: &AppState,
    cmd::ActivateProfile { id }: cmd::ActivateProfile,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().activate_profile(&id).await?)
}

pub(crate) async fn connection_status(
    state: &AppState,
    _: cmd::ConnectionStatus,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().status())
}

pub(crate) async fn sync_now(
    state: &AppState,
    _: cmd::SyncNow,
) -> Result<ConnectionStatus, ApiError> {
    Ok(state.console().sync_now().await?)
}

// ---- Virtual machines ------------------------------------------------------------------------

// Every command answers off the main thread: a page query never holds up the window's events.
pub(crate) async fn vm_page(
    state: &AppState,
    cmd::VmPage { query }: cmd::VmPage,
) -> Result<VmPage, ApiError> {
    Ok(state.console().vm_page(&query)?)
}

pub(crate) async fn vm_get(
    state: &AppState,
    cmd::VmGet { id }: cmd::VmGet,
) -> Result<VmRow, ApiError> {
    Ok(state.console().vm_get(&id)?)
}

pub(crate) async fn vm_metrics(
    state: &AppState,
    cmd::VmMetrics { id }: cmd::VmMetrics,
) -> Result<VmMetrics, ApiError> {
    Ok(state.console().vm_metrics(&id).await?)
}

pub(crate) async fn vm_action(
    state: &AppState,
    cmd::VmAction { id, action }: cmd::VmAction,
) -> Result<u64, ApiError> {
    Ok(state.console().vm_action(&id, action).await?)
}

pub(crate) async fn deploy_zones(
    state: &AppState,
    _: cmd::DeployZones,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_zones().await?)
}

pub(crate) async fn deploy_templates(
    state: &AppState,
    cmd::DeployTemplates { zone_id }: cmd::DeployTemplates,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_templates(&zone_id).await?)
}

pub(crate) async fn deploy_offerings(
    state: &AppState,
    _: cmd::DeployOfferings,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_offerings().await?)
}

pub(crate) async fn deploy_keypairs(
    state: &AppState,
    _: cmd::DeployKeypairs,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_keypairs().await?)
}

pub(crate) async fn deploy_networks(
    state: &AppState,
    cmd::DeployNetworks { zone_id }: cmd::DeployNetworks,
) -> Result<Vec<Choice>, ApiError> {
    Ok(state.console().deploy_networks(&zone_id).await?)
}

pub(crate) async fn deploy_vm(
    state: &AppState,
    cmd::DeployVm { request }: cmd::DeployVm,
) -> Result<u64, ApiError> {
    Ok(state.console().deploy_vm(&request).await?)
}

pub(crate) async fn cached_list(
    state: &AppState,
    cmd::CachedList { kind }: cmd::CachedList,
) -> Result<CachedList, ApiError> {
    Ok(state.console().cached_list(&kind)?)
}

pub(crate) async fn dashboard(
    state: &AppState,
    _: cmd::Dashboard,
) -> Result<Option<DashboardFigures>, ApiError> {
    Ok(state.console().dashboard()?)
}
