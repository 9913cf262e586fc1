//! Kubernetes clusters: each command parses, calls the console, maps the error.

use crate::state::AppState;
use akashone_types::ApiError;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{
    ClusterHealth, ClusterPlan, ClusterRow, KubeOffering, KubeVersion, SavedFile,
};

pub(crate) async fn kube_clusters(
    state: &AppState,
    _: cmd::KubeClusters,
) -> Result<Vec<ClusterRow>, ApiError> {
    Ok(state.console().kube_clusters()?)
}

pub(crate) async fn kube_cluster(
    state: &AppState,
    cmd::KubeCluster { id }: cmd::KubeCluster,
) -> Result<ClusterRow, ApiError> {
    Ok(state.console().kube_cluster(&id)?)
}

pub(crate) async fn kube_versions(
    state: &AppState,
    cmd::KubeVersions { zone_id }: cmd::KubeVersions,
) -> Result<Vec<KubeVersion>, ApiError> {
    Ok(state.console().kube_versions(zone_id.as_deref()).await?)
}

pub(crate) async fn kube_offerings(
    state: &AppState,
    _: cmd::KubeOfferings,
) -> Result<Vec<KubeOffering>, ApiError> {
    Ok(state.console().kube_offerings().await?)
}

pub(crate) async fn kube_plan(
    state: &AppState,
    cmd::KubePlan { request }: cmd::KubePlan,
) -> Result<ClusterPlan, ApiError> {
    Ok(state.console().kube_plan(&request).await?)
}

pub(crate) async fn kube_create(
    state: &AppState,
    cmd::KubeCreate { request }: cmd::KubeCreate,
) -> Result<u64, ApiError> {
    Ok(state.console().kube_create(&request).await?)
}

pub(crate) async fn kube_action(
    state: &AppState,
    cmd::KubeAction { id, action }: cmd::KubeAction,
) -> Result<u64, ApiError> {
    Ok(state.console().kube_action(&id, &action).await?)
}

pub(crate) async fn kube_config_save(
    state: &AppState,
    cmd::KubeConfigSave { id, path }: cmd::KubeConfigSave,
) -> Result<SavedFile, ApiError> {
    Ok(state
        .console()
        .kube_config_save(&id, path.as_deref())
        .await?)
}

pub(crate) async fn kube_config_text(
    state: &AppState,
    cmd::KubeConfigText { id }: cmd::KubeConfigText,
) -> Result<String, ApiError> {
    Ok(state.console().kube_config_text(&id).await?.to_string())
}

pub(crate) async fn kube_health(
    state: &AppState,
    cmd::KubeHealth { id }: cmd::KubeHealth,
) -> Result<ClusterHealth, ApiError> {
    Ok(state.console().kube_health(&id).await?)
}
