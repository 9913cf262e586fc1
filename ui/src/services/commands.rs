//! Typed wrappers, one per shell command. Argument names match the Rust command signatures.

use super::bridge::{NoArgs, invoke};
use akashone_types::{
    ApiError, AppInfo, CachedList, Choice, ConnectionStatus, DashboardFigures, DeployRequest,
    NewCloudStackProfile, Profiles, Settings, Theme, VmAction, VmMetrics, VmPage, VmQuery, VmRow,
};
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

// ---- Connection profiles --------------------------------------------------------------------

/// The saved profiles and the active one.
pub async fn list_profiles() -> Result<Profiles, ApiError> {
    invoke("list_profiles", &NoArgs {}).await
}

/// Checks the credentials with `listZones`, then saves the profile (secret in the vault).
pub async fn add_cloudstack_profile(form: NewCloudStackProfile) -> Result<Profiles, ApiError> {
    #[derive(Serialize)]
    struct Args {
        form: NewCloudStackProfile,
    }
    invoke("add_cloudstack_profile", &Args { form }).await
}

/// Adds the demo profile (the built-in simulator).
pub async fn add_demo_profile() -> Result<Profiles, ApiError> {
    invoke("add_demo_profile", &NoArgs {}).await
}

/// Removes a profile, its secret and its cache.
pub async fn remove_profile(id: String) -> Result<Profiles, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("remove_profile", &Args { id }).await
}

/// Makes a profile the active one; the cache shows at once and a sync starts.
pub async fn activate_profile(id: String) -> Result<ConnectionStatus, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("activate_profile", &Args { id }).await
}

/// The connection as it is now.
pub async fn connection_status() -> Result<ConnectionStatus, ApiError> {
    invoke("connection_status", &NoArgs {}).await
}

/// Starts a sync of the active profile now (it also runs by itself).
pub async fn sync_now() -> Result<ConnectionStatus, ApiError> {
    invoke("sync_now", &NoArgs {}).await
}

// ---- Virtual machines -----------------------------------------------------------------------

/// A filtered, sorted page of the VM list, from the cache.
pub async fn vm_page(query: VmQuery) -> Result<VmPage, ApiError> {
    #[derive(Serialize)]
    struct Args {
        query: VmQuery,
    }
    invoke("vm_page", &Args { query }).await
}

/// One VM from the cache.
pub async fn vm_get(id: String) -> Result<VmRow, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("vm_get", &Args { id }).await
}

/// Live metrics of one VM (needs the cloud).
pub async fn vm_metrics(id: String) -> Result<VmMetrics, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
    }
    invoke("vm_metrics", &Args { id }).await
}

/// Starts a lifecycle action; progress arrives as `vm-job` events. Returns the task id.
pub async fn vm_action(id: String, action: VmAction) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args {
        id: String,
        action: VmAction,
    }
    invoke("vm_action", &Args { id, action }).await
}

/// Zones to deploy into.
pub async fn deploy_zones() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_zones", &NoArgs {}).await
}

/// Templates available in a zone.
pub async fn deploy_templates(zone_id: String) -> Result<Vec<Choice>, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        zone_id: String,
    }
    invoke("deploy_templates", &Args { zone_id }).await
}

/// Service offerings.
pub async fn deploy_offerings() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_offerings", &NoArgs {}).await
}

/// SSH key pairs.
pub async fn deploy_keypairs() -> Result<Vec<Choice>, ApiError> {
    invoke("deploy_keypairs", &NoArgs {}).await
}

/// Networks in a zone.
pub async fn deploy_networks(zone_id: String) -> Result<Vec<Choice>, ApiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Args {
        zone_id: String,
    }
    invoke("deploy_networks", &Args { zone_id }).await
}

/// Deploys a VM; progress arrives as `vm-job` events. Returns the task id.
pub async fn deploy_vm(request: DeployRequest) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Args {
        request: DeployRequest,
    }
    invoke("deploy_vm", &Args { request }).await
}

/// Dashboard figures from the cache.
pub async fn dashboard() -> Result<Option<DashboardFigures>, ApiError> {
    invoke("dashboard", &NoArgs {}).await
}

/// A cached list for the read-only pages.
pub async fn cached_list(kind: &str) -> Result<CachedList, ApiError> {
    #[derive(Serialize)]
    struct Args<'a> {
        kind: &'a str,
    }
    invoke("cached_list", &Args { kind }).await
}
