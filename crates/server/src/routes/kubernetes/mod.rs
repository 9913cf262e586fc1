//! Kubernetes clusters (CloudStack Kubernetes Service) of a tenant: versions and offerings, the
//! review plan of a new cluster, create, the lifecycle actions, delete and the kubeconfig. Every
//! cluster is looked up in CloudStack within the tenant's domain on every call; requests
//! CloudStack would refuse are refused here first, in the words of `akashone_types::kubernetes`.

mod cloud;

use akashone_cloudstack::JobOptions;
use akashone_cloudstack::api::{Command, CreateKubernetesCluster, ScaleKubernetesCluster};
use akashone_cloudstack::model::KubernetesCluster;
use akashone_types::central::{ScopeQuery, TemplateQuery};
use akashone_types::kubernetes::{
    ClusterAction, ClusterNetwork, ClusterPlan, ClusterRow, CreateCluster, KubeOffering,
    KubeVersion, KubeconfigOut, NodeRole, Workers, action_refusal, needs, plan, semver, shortfall,
    upgrade_allowed,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, Caller, now, perm};
use crate::db::Tenant;
use crate::error::{Error, Result};
use cloud::Cluster;

fn job_options() -> JobOptions {
    JobOptions::default().with_timeout(std::time::Duration::from_secs(1800))
}

/// Kubernetes versions CloudStack offers, oldest first. Requires `kubernetes.read`.
#[utoipa::path(
    get,
    path = "/api/kubernetes/versions",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(TemplateQuery),
    responses(
        (status = 200, description = "Versions", body = [KubeVersion]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn versions(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesRead>,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Json<Vec<KubeVersion>>> {
    caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    Ok(Json(cloud::versions(&state, q.zone_id.as_deref()).await?))
}

/// Compute offerings the tenant's nodes can use (vCPUs and memory). Requires
/// `kubernetes.read`.
#[utoipa::path(
    get,
    path = "/api/kubernetes/offerings",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Offerings", body = [KubeOffering]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn offerings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<KubeOffering>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    Ok(Json(cloud::offerings(&state, &tenant).await?))
}

/// The tenant's clusters by name, with their nodes (control nodes first). For the platform:
/// every cluster outside the other tenants' domains. Requires `kubernetes.read`.
#[utoipa::path(
    get,
    path = "/api/kubernetes/clusters",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Clusters by name", body = [ClusterRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<ClusterRow>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let rows = cloud::tenant_clusters(&state, &tenant, None).await?;
    Ok(Json(rows.into_iter().map(|c| c.row).collect()))
}

async fn plan_for(
    state: &AppState,
    tenant: &Tenant,
    req: &CreateCluster,
    now: i64,
) -> Result<ClusterPlan> {
    let named = cloud::named(state, tenant, req).await?;
    let available = cloud::available(state, tenant).await?;
    let monthly = cloud::monthly_cost(state, tenant, req, &named, now).await?;
    Ok(plan(
        req,
        &named.version,
        &named.offering,
        named.control.as_ref(),
        named.worker.as_ref(),
        available,
        monthly,
    ))
}

/// The review of a new cluster: what its nodes need at the start and at most, what the tenant's
/// account limits still allow (an unlimited resource reads as the largest number), the monthly
/// price from the rate card of the tenant's seller (730 hours of each node's vCPUs and memory
/// plus the cluster-hour fee, in paise), and every reason CloudStack would refuse it. Nothing
/// is created. Requires `kubernetes.read`.
#[utoipa::path(
    post,
    path = "/api/kubernetes/plan",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = CreateCluster,
    responses(
        (status = 200, description = "The plan; `problems` empty when it may be created", body = ClusterPlan),
        (status = 400, description = "Unknown zone, version, offering or network, or a malformed body", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn review(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(req): ApiJson<CreateCluster>,
) -> Result<Json<ClusterPlan>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    Ok(Json(plan_for(&state, &tenant, &req, now()).await?))
}

async fn audit(
    state: &AppState,
    caller: &Caller,
    tenant: &Tenant,
    action: &str,
    target: &str,
    result: &Result<impl Sized>,
    now: i64,
) -> Result<()> {
    let outcome = match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            action,
            target,
            &outcome,
        )
        .await
}

/// Waits for a job; a failure is answered in CloudStack's words.
async fn wait<T: akashone_cloudstack::JobOutput>(
    job: std::result::Result<akashone_cloudstack::AsyncJob<T>, akashone_cloudstack::Error>,
) -> Result<T> {
    let job = job.map_err(|e| Error::from(e).in_cloudstacks_words())?;
    job.wait(&job_options())
        .await
        .map_err(|e| Error::from(e).in_cloudstacks_words())
}

async fn create_in(
    state: &AppState,
    tenant: &Tenant,
    req: &CreateCluster,
    now: i64,
) -> Result<ClusterRow> {
    let review = plan_for(state, tenant, req, now).await?;
    if !review.problems.is_empty() {
        return Err(Error::Invalid(review.problems.join(" ")));
    }
    let domain = state.tenant_domain(tenant).await?;
    let name = req.name.trim().to_owned();
    let description = req
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(&name)
        .to_owned();
    let cmd = CreateKubernetesCluster {
        name: Some(name),
        description: Some(description),
        zoneid: Some(req.zone_id.clone()),
        kubernetesversionid: Some(req.version_id.clone()),
        serviceofferingid: Some(req.offering_id.clone()),
        size: Some(i64::from(req.workers.initial())),
        controlnodes: Some(i64::from(req.control_nodes)),
        networkid: match &req.network {
            ClusterNetwork::Existing { id } => Some(id.clone()),
            ClusterNetwork::New => None,
        },
        keypair: req
            .keypair
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned),
        domainid: tenant.cs_account.as_ref().map(|_| domain),
        account: tenant.cs_account.clone(),
        ..Default::default()
    };
    let mut params = cmd.to_params();
    let roles: Vec<Vec<(&str, &str)>> = [
        ("control", req.control_offering_id.as_deref()),
        ("worker", req.worker_offering_id.as_deref()),
    ]
    .into_iter()
    .filter_map(|(node, o)| Some(vec![("node", node), ("offering", o?)]))
    .collect();
    params.set_map_list("nodeofferings", &roles);
    let cs = state.cs()?;
    let created: KubernetesCluster =
        wait(cs.submit(CreateKubernetesCluster::NAME, &params).await).await?;
    let id = created
        .id
        .ok_or_else(|| Error::Internal("CloudStack returned a cluster without an id".into()))?;
    // CloudStack creates clusters with a fixed size; autoscaling is turned on after.
    if let Workers::Autoscale { min, max } = req.workers {
        let scale = ScaleKubernetesCluster::autoscale(&id, i64::from(min), i64::from(max));
        wait(cs.scale_kubernetes_cluster(&scale).await)
            .await
            .map_err(|e| {
                Error::Conflict(format!(
                    "The cluster was created with {min} workers, but autoscaling could not be turned on: {e}"
                ))
            })?;
    }
    cloud::refetch(state, tenant, &id)
        .await?
        .map(|c| c.row)
        .ok_or_else(|| Error::Internal(format!("CloudStack no longer lists cluster {id}")))
}

/// Creates a cluster in the tenant's CloudStack account and waits until it runs (and, with
/// autoscaling, until autoscaling is on). Refused with every problem of its plan, before
/// CloudStack is asked, when the plan has any. Requires `kubernetes.operate`.
#[utoipa::path(
    post,
    path = "/api/kubernetes/clusters",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(ScopeQuery),
    request_body = CreateCluster,
    responses(
        (status = 201, description = "Created and running", body = ClusterRow),
        (status = 400, description = "Refused: the plan's problems, an unknown id, or CloudStack's refusal", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.operate`, or the tenant is suspended", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 409, description = "CloudStack's job failed (its error text)", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesOperate>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(req): ApiJson<CreateCluster>,
) -> Result<(StatusCode, Json<ClusterRow>)> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    if state.db.suspended_in_path(&tenant.path).await? {
        return Err(Error::Forbidden(format!(
            "Tenant {} is suspended.",
            tenant.name
        )));
    }
    let result = create_in(&state, &tenant, &req, now).await;
    let target = match &result {
        Ok(row) => format!("{} ({})", row.name, row.id),
        Err(_) => req.name.trim().to_owned(),
    };
    audit(
        &state,
        &caller,
        &tenant,
        "kubernetes.create",
        &target,
        &result,
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(result?)))
}

fn audit_action(action: &ClusterAction) -> &'static str {
    match action {
        ClusterAction::Start => "kubernetes.start",
        ClusterAction::Stop => "kubernetes.stop",
        ClusterAction::Scale { .. } => "kubernetes.scale",
        ClusterAction::RemoveNodes { .. } => "kubernetes.remove_nodes",
        ClusterAction::Autoscale { .. } => "kubernetes.autoscale",
        ClusterAction::Upgrade { .. } => "kubernetes.upgrade",
        ClusterAction::Delete => "kubernetes.delete",
    }
}

/// What the audit log says was asked.
fn audit_target(c: &Cluster, action: &ClusterAction) -> String {
    let t = c.target();
    match action {
        ClusterAction::Scale { size } => format!("{t}: {size} workers"),
        ClusterAction::RemoveNodes { node_ids } => format!("{t}: remove {}", node_ids.join(", ")),
        ClusterAction::Autoscale { min, max } => format!("{t}: autoscale {min}–{max}"),
        ClusterAction::Upgrade { version_id } => format!("{t}: to version {version_id}"),
        _ => t,
    }
}

/// Refuses a scale-out the account's limits cannot take, with the exact shortfall.
async fn check_scale_limits(
    state: &AppState,
    tenant: &Tenant,
    c: &Cluster,
    size: u32,
) -> Result<()> {
    let extra = size.saturating_sub(c.row.workers);
    if extra == 0 {
        return Ok(());
    }
    let Some(left) = cloud::available(state, tenant).await? else {
        return Ok(());
    };
    let all = cloud::offerings(state, tenant).await?;
    let Some(o) = all.iter().find(|o| o.id == c.worker_offering_id) else {
        return Ok(());
    };
    let problems = shortfall(&needs(extra, o), &left);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems.join(" ")))
    }
}

async fn check_upgrade(state: &AppState, c: &Cluster, version_id: &str) -> Result<()> {
    let all = cloud::versions(state, None).await?;
    let target = all.iter().find(|v| v.id == version_id).ok_or_else(|| {
        Error::Invalid(format!("Kubernetes version {version_id} does not exist."))
    })?;
    let current = all
        .iter()
        .find(|v| v.id == c.row.version_id)
        .map(|v| v.semantic_version.clone())
        .unwrap_or_else(|| c.row.version.trim_start_matches('v').to_owned());
    if !target.enabled {
        return Err(Error::Conflict(format!(
            "Kubernetes {} is disabled.",
            target.semantic_version
        )));
    }
    if !upgrade_allowed(&current, &target.semantic_version) {
        let newer = semver(&target.semantic_version) > semver(&current);
        return Err(Error::Conflict(if newer {
            format!(
                "A cluster on Kubernetes {current} cannot be upgraded to {}: CloudStack upgrades to a newer patch or the next minor version only ({current} first to a {}.x).",
                target.semantic_version,
                semver(&current).map_or_else(String::new, |(a, b, _)| format!("{a}.{}", b + 1))
            )
        } else {
            format!(
                "A cluster on Kubernetes {current} cannot be upgraded to {}, which is not newer.",
                target.semantic_version
            )
        }));
    }
    Ok(())
}

async fn act_on(
    state: &AppState,
    tenant: &Tenant,
    c: &Cluster,
    action: &ClusterAction,
) -> Result<ClusterRow> {
    if matches!(action, ClusterAction::Delete) {
        return Err(Error::Invalid(
            "Delete a cluster with DELETE /api/kubernetes/clusters/{id}.".into(),
        ));
    }
    let autoscaling = c.row.autoscale.is_some();
    if let Some(reason) = action_refusal(&c.row.state, action, autoscaling) {
        return Err(Error::Conflict(reason));
    }
    let cs = state.cs()?;
    let id = c.row.id.as_str();
    match action {
        ClusterAction::Start => {
            wait(cs.start_kubernetes_cluster(id).await).await?;
        }
        ClusterAction::Stop => {
            wait(cs.stop_kubernetes_cluster(id).await).await?;
        }
        ClusterAction::Scale { size } => {
            check_scale_limits(state, tenant, c, *size).await?;
            let mut scale = ScaleKubernetesCluster::to_size(id, i64::from(*size));
            if autoscaling {
                scale.autoscalingenabled = Some(false);
            }
            wait(cs.scale_kubernetes_cluster(&scale).await).await?;
        }
        ClusterAction::RemoveNodes { node_ids } => {
            for n in node_ids {
                if !c
                    .row
                    .nodes
                    .iter()
                    .any(|x| x.vm_id == *n && x.role == NodeRole::Worker)
                {
                    return Err(Error::Invalid(format!(
                        "{n} is not a worker of cluster {}.",
                        c.row.name
                    )));
                }
            }
            let scale = ScaleKubernetesCluster {
                id: Some(id.to_owned()),
                nodeids: Some(node_ids.clone()),
                ..Default::default()
            };
            wait(cs.scale_kubernetes_cluster(&scale).await).await?;
        }
        ClusterAction::Autoscale { min, max } => {
            let scale = ScaleKubernetesCluster::autoscale(id, i64::from(*min), i64::from(*max));
            wait(cs.scale_kubernetes_cluster(&scale).await).await?;
        }
        ClusterAction::Upgrade { version_id } => {
            check_upgrade(state, c, version_id).await?;
            wait(cs.upgrade_kubernetes_cluster(id, version_id).await).await?;
        }
        ClusterAction::Delete => unreachable!("refused above"),
    }
    Ok(cloud::refetch(state, tenant, id)
        .await?
        .map_or_else(|| c.row.clone(), |c| c.row))
}

/// Starts, stops, scales (to a size, or by removing chosen workers), autoscales or upgrades a
/// cluster of the caller's subtree and waits for CloudStack's job. Refused up front in states
/// where CloudStack would refuse, for an upgrade CloudStack does not allow, and for a scale-out
/// beyond the account's limits. Requires `kubernetes.operate`.
#[utoipa::path(
    patch,
    path = "/api/kubernetes/clusters/{id}",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id"), ScopeQuery),
    request_body = ClusterAction,
    responses(
        (status = 200, description = "Done", body = ClusterRow),
        (status = 400, description = "Malformed, an unknown version or node, beyond the account's limits, or refused by CloudStack", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.operate`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "Not in a state for it, an upgrade CloudStack does not allow, or CloudStack's job failed (its error text)", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn act(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesOperate>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiJson(action): ApiJson<ClusterAction>,
) -> Result<Json<ClusterRow>> {
    let now = now();
    let (c, tenant) = cloud::owned_cluster(&state, &caller, q.tenant_id.as_deref(), &id).await?;
    let result = act_on(&state, &tenant, &c, &action).await;
    audit(
        &state,
        &caller,
        &tenant,
        audit_action(&action),
        &audit_target(&c, &action),
        &result,
        now,
    )
    .await?;
    Ok(Json(result?))
}

/// Deletes a cluster of the caller's subtree with its nodes and, when CloudStack made it for
/// the cluster, its network (`cleanup=true`), and waits for the job. Requires
/// `kubernetes.operate`.
#[utoipa::path(
    delete,
    path = "/api/kubernetes/clusters/{id}",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id"), ScopeQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.operate`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 409, description = "Not in a state to delete, or CloudStack's job failed (its error text)", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn delete(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesOperate>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<StatusCode> {
    let now = now();
    let (c, tenant) = cloud::owned_cluster(&state, &caller, q.tenant_id.as_deref(), &id).await?;
    let result = async {
        if let Some(reason) = action_refusal(
            &c.row.state,
            &ClusterAction::Delete,
            c.row.autoscale.is_some(),
        ) {
            return Err(Error::Conflict(reason));
        }
        let cs = state.cs()?;
        wait(cs.delete_kubernetes_cluster(&id, true).await).await?;
        Ok(())
    }
    .await;
    audit(
        &state,
        &caller,
        &tenant,
        "kubernetes.delete",
        &c.target(),
        &result,
        now,
    )
    .await?;
    result?;
    Ok(StatusCode::NO_CONTENT)
}

/// The kubeconfig of a cluster of the caller's subtree (getKubernetesClusterConfig): an admin
/// credential of the cluster. Every download is in the audit log; the server never logs the
/// file, and the answer must not be cached. Requires `kubernetes.kubeconfig`.
#[utoipa::path(
    get,
    path = "/api/kubernetes/clusters/{id}/kubeconfig",
    tag = "kubernetes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id"), ScopeQuery),
    responses(
        (status = 200, description = "The kubeconfig", body = KubeconfigOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `kubernetes.kubeconfig`", body = ErrorBody),
        (status = 404, description = "Not in the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed (e.g. the cluster is not running)", body = ErrorBody),
    )
)]
pub(crate) async fn kubeconfig(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::KubernetesKubeconfig>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Response> {
    let now = now();
    let (c, tenant) = cloud::owned_cluster(&state, &caller, q.tenant_id.as_deref(), &id).await?;
    let result = async {
        let config = state
            .cs()?
            .get_kubernetes_cluster_config(&id)
            .await
            .map_err(|e| Error::from(e).in_cloudstacks_words())?;
        config
            .configdata
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| {
                Error::Internal(format!(
                    "CloudStack returned no kubeconfig for {}",
                    c.target()
                ))
            })
    }
    .await;
    audit(
        &state,
        &caller,
        &tenant,
        "kubernetes.kubeconfig",
        &c.target(),
        &result,
        now,
    )
    .await?;
    let out = KubeconfigOut {
        cluster_id: c.row.id.clone(),
        name: c.row.name.clone(),
        kubeconfig: result?,
    };
    let mut resp = Json(out).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
