//! VMs of a tenant: listed from the server's cache (fetched from the tenant's CloudStack domain
//! when stale), deployed, started, stopped, rebooted and destroyed with ownership checked in the
//! cache and in CloudStack on every call.

use akashone_types::central::{DeployVm, VmListQuery, VmOut};
use std::collections::HashSet;

use akashone_cloudstack::api::{DeployVirtualMachine, ListVirtualMachines};
use akashone_cloudstack::job::JobOptions;
use akashone_cloudstack::model::VirtualMachine;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, Caller, now, perm};
use crate::db::{CachedVm, Tenant};
use crate::error::{Error, Result};

impl From<CachedVm> for VmOut {
    fn from(v: CachedVm) -> Self {
        VmOut {
            id: v.id,
            tenant_id: v.tenant_id,
            name: v.name,
            display_name: v.display_name,
            state: v.state,
            zone_id: v.zone_id,
            zone_name: v.zone_name,
            template_id: v.template_id,
            template_name: v.template_name,
            service_offering_id: v.service_offering_id,
            service_offering_name: v.service_offering_name,
            cpu_number: v.cpu_number,
            memory_mb: v.memory_mb,
            ip_address: v.ip_address,
            created: v.created,
            synced_at: v.synced_at,
        }
    }
}

fn job_options() -> JobOptions {
    JobOptions::default().with_timeout(std::time::Duration::from_secs(600))
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn cached(vm: &VirtualMachine, tenant_id: &str, now: i64) -> Option<CachedVm> {
    let id = vm.id.clone()?;
    let ip = vm
        .nic
        .as_ref()
        .and_then(|n| n.iter().find_map(|n| n.ipaddress.clone()))
        .unwrap_or_default();
    Some(CachedVm {
        id,
        tenant_id: tenant_id.to_owned(),
        name: s(&vm.name),
        display_name: vm
            .displayname
            .clone()
            .or(vm.name.clone())
            .unwrap_or_default(),
        state: s(&vm.state),
        zone_id: s(&vm.zoneid),
        zone_name: s(&vm.zonename),
        template_id: s(&vm.templateid),
        template_name: s(&vm.templatename),
        service_offering_id: s(&vm.serviceofferingid),
        service_offering_name: s(&vm.serviceofferingname),
        cpu_number: vm.cpunumber.unwrap_or_default(),
        memory_mb: vm.memory.unwrap_or_default(),
        ip_address: ip,
        created: s(&vm.created),
        synced_at: now,
    })
}

fn gone(vm: &VirtualMachine) -> bool {
    matches!(
        vm.state.as_deref(),
        Some("Destroyed" | "Expunging" | "Expunged")
    )
}

/// Fetches a tenant's VMs from CloudStack into the cache. The platform tenant holds every VM of
/// the cloud that lies in no other tenant's domain.
async fn sync_tenant(state: &AppState, tenant: &Tenant, now: i64) -> Result<()> {
    let cs = state.cs()?;
    let domain = state.tenant_domain(tenant).await?;
    let is_root = tenant.parent_id.is_none();
    let vms = cs
        .list_virtual_machines(&ListVirtualMachines {
            domainid: Some(domain.clone()),
            listall: Some(true),
            isrecursive: Some(is_root),
            ..Default::default()
        })
        .await?;
    let others: HashSet<String> = if is_root {
        state
            .db
            .subtree(&tenant.path)
            .await?
            .into_iter()
            .filter(|t| t.id != tenant.id)
            .filter_map(|t| t.cs_domain_id)
            .collect()
    } else {
        HashSet::new()
    };
    let rows: Vec<CachedVm> = vms
        .iter()
        .filter(|v| !gone(v))
        .filter(|v| {
            !is_root
                || v.domainid
                    .as_ref()
                    .is_none_or(|d| *d == domain || !others.contains(d))
        })
        .filter_map(|v| cached(v, &tenant.id, now))
        .collect();
    state.db.replace_tenant_vms(&tenant.id, &rows, now).await?;
    Ok(())
}

/// The VM `id` if its tenant lies in the caller's subtree and CloudStack confirms it is in that
/// tenant's domain; otherwise not found.
async fn owned_vm(state: &AppState, caller: &Caller, id: &str) -> Result<(CachedVm, Tenant)> {
    let not_found = || Error::NotFound(format!("VM {id}"));
    let vm = state.db.vm(id).await?.ok_or_else(not_found)?;
    let tenant = caller
        .tenant_in_scope(state, Some(&vm.tenant_id))
        .await
        .map_err(|_| not_found())?;
    let domain = state.tenant_domain(&tenant).await?;
    let found = state
        .cs()?
        .list_virtual_machines(&ListVirtualMachines {
            id: Some(id.to_owned()),
            domainid: Some(domain),
            listall: Some(true),
            isrecursive: Some(tenant.parent_id.is_none()),
            ..Default::default()
        })
        .await?;
    if !found
        .iter()
        .any(|v| v.id.as_deref() == Some(id) && !gone(v))
    {
        state.db.delete_vm(id).await?;
        return Err(not_found());
    }
    Ok((vm, tenant))
}

/// VMs of the tenant's subtree, from the server's cache (refreshed from CloudStack when older
/// than the cache lifetime or when `refresh=true`). Requires `vms.read`.
#[utoipa::path(
    get,
    path = "/api/vms",
    tag = "vms",
    security(("bearer" = [])),
    params(VmListQuery),
    responses(
        (status = 200, description = "VMs by name", body = [VmOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsRead>,
    ApiQuery(q): ApiQuery<VmListQuery>,
) -> Result<Json<Vec<VmOut>>> {
    let now = now();
    let top = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let ttl = state.config.vm_cache_ttl.as_secs() as i64;
    for t in state.db.subtree(&top.path).await? {
        let fresh = match state.db.vms_synced_at(&t.id).await? {
            Some(at) => !q.refresh && now - at < ttl,
            None => false,
        };
        if !fresh {
            sync_tenant(&state, &t, now).await?;
        }
    }
    let vms = state.db.vms_under(&top.path).await?;
    Ok(Json(vms.into_iter().map(VmOut::from).collect()))
}

/// Deploys a VM in the tenant's CloudStack account and waits until it is up. Requires
/// `vms.create`.
#[utoipa::path(
    post,
    path = "/api/vms",
    tag = "vms",
    security(("bearer" = [])),
    request_body = DeployVm,
    responses(
        (status = 201, description = "Deployed", body = VmOut),
        (status = 400, description = "Refused by CloudStack as invalid", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.create`, or the tenant is suspended", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsCreate>,
    ApiJson(req): ApiJson<DeployVm>,
) -> Result<(StatusCode, Json<VmOut>)> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, req.tenant_id.as_deref())
        .await?;
    if state.db.suspended_in_path(&tenant.path).await? {
        return Err(Error::Forbidden(format!(
            "Tenant {} is suspended.",
            tenant.name
        )));
    }
    if let Some(n) = &req.name
        && let Some(problem) = akashone_types::vm_name_problem(n)
    {
        return Err(Error::Invalid(format!(
            "The VM name is not valid: {problem}."
        )));
    }
    let domain = state.tenant_domain(&tenant).await?;
    let mut deploy = DeployVirtualMachine::new(
        req.zone_id.clone(),
        req.service_offering_id.clone(),
        req.template_id.clone(),
    );
    deploy.name = req.name.clone();
    deploy.displayname = req.name.clone();
    if let Some(account) = &tenant.cs_account {
        deploy.domainid = Some(domain);
        deploy.account = Some(account.clone());
    }
    let target = req.name.clone().unwrap_or_default();
    let result = async {
        let job = state.cs()?.deploy_virtual_machine(&deploy).await?;
        Ok::<_, Error>(job.wait(&job_options()).await?)
    }
    .await;
    let vm = match result.and_then(|vm| {
        cached(&vm, &tenant.id, now)
            .ok_or_else(|| Error::Internal("CloudStack returned a VM without an id".into()))
    }) {
        Ok(vm) => vm,
        Err(e) => {
            state
                .audit(
                    now,
                    Some(&caller.user),
                    Some(&tenant.id),
                    "vm.deploy",
                    &target,
                    &format!("failed: {e}"),
                )
                .await?;
            return Err(e);
        }
    };
    state.db.upsert_vm(&vm).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "vm.deploy",
            &format!("{} ({})", vm.name, vm.id),
            "ok",
        )
        .await?;
    Ok((StatusCode::CREATED, Json(VmOut::from(vm))))
}

#[derive(Clone, Copy)]
enum Action {
    Start,
    Stop,
    Reboot,
}

async fn act(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<VmOut> {
    let now = now();
    let (vm, tenant) = owned_vm(state, caller, id).await?;
    let name = match action {
        Action::Start => "vm.start",
        Action::Stop => "vm.stop",
        Action::Reboot => "vm.reboot",
    };
    let result = async {
        let cs = state.cs()?;
        let job = match action {
            Action::Start => cs.start_virtual_machine(id).await?,
            Action::Stop => cs.stop_virtual_machine(id, false).await?,
            Action::Reboot => cs.reboot_virtual_machine(id).await?,
        };
        Ok::<_, Error>(job.wait(&job_options()).await?)
    }
    .await;
    let target = format!("{} ({})", vm.name, vm.id);
    let out = match result {
        Ok(v) => cached(&v, &tenant.id, now).unwrap_or(vm),
        Err(e) => {
            state
                .audit(
                    now,
                    Some(&caller.user),
                    Some(&tenant.id),
                    name,
                    &target,
                    &format!("failed: {e}"),
                )
                .await?;
            return Err(e);
        }
    };
    state.db.upsert_vm(&out).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            name,
            &target,
            "ok",
        )
        .await?;
    Ok(VmOut::from(out))
}

/// Starts a VM of the caller's subtree. Requires `vms.operate`.
#[utoipa::path(
    post,
    path = "/api/vms/{id}/start",
    tag = "vms",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "VM id")),
    responses(
        (status = 200, description = "Running", body = VmOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.operate`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "Not in a state to start", body = ErrorBody),
    )
)]
pub(crate) async fn start(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsOperate>,
    Path(id): Path<String>,
) -> Result<Json<VmOut>> {
    Ok(Json(act(&state, &caller, &id, Action::Start).await?))
}

/// Stops a VM of the caller's subtree. Requires `vms.operate`.
#[utoipa::path(
    post,
    path = "/api/vms/{id}/stop",
    tag = "vms",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "VM id")),
    responses(
        (status = 200, description = "Stopped", body = VmOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.operate`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "Not in a state to stop", body = ErrorBody),
    )
)]
pub(crate) async fn stop(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsOperate>,
    Path(id): Path<String>,
) -> Result<Json<VmOut>> {
    Ok(Json(act(&state, &caller, &id, Action::Stop).await?))
}

/// Reboots a VM of the caller's subtree. Requires `vms.operate`.
#[utoipa::path(
    post,
    path = "/api/vms/{id}/reboot",
    tag = "vms",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "VM id")),
    responses(
        (status = 200, description = "Rebooted", body = VmOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.operate`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "Not running", body = ErrorBody),
    )
)]
pub(crate) async fn reboot(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsOperate>,
    Path(id): Path<String>,
) -> Result<Json<VmOut>> {
    Ok(Json(act(&state, &caller, &id, Action::Reboot).await?))
}

/// Destroys a VM of the caller's subtree (recoverable by a CloudStack admin until expunged).
/// Requires `vms.delete`.
#[utoipa::path(
    delete,
    path = "/api/vms/{id}",
    tag = "vms",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "VM id")),
    responses(
        (status = 204, description = "Destroyed"),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `vms.delete`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::VmsDelete>,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let now = now();
    let (vm, tenant) = owned_vm(&state, &caller, &id).await?;
    let result = async {
        let job = state.cs()?.destroy_virtual_machine(&id, false).await?;
        job.wait(&job_options()).await?;
        Ok::<_, Error>(())
    }
    .await;
    let outcome = match &result {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    if result.is_ok() {
        state.db.delete_vm(&id).await?;
    }
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "vm.destroy",
            &format!("{} ({})", vm.name, vm.id),
            &outcome,
        )
        .await?;
    result?;
    Ok(StatusCode::NO_CONTENT)
}
