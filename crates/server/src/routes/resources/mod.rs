//! Networks and storage of a tenant's CloudStack domain: the lists (networks with their VMs,
//! VPCs with their tiers, public IPs and the rules on them, load balancers and their members,
//! network and disk offerings, volumes, snapshots, their policies and VM snapshots) and
//! `POST /api/operations`, which runs one [`akashone_types::ops::Operation`] to its end once
//! everything it names is found to be the tenant's. Everything is asked of CloudStack on every
//! call, within the tenant's scope ([`scope`]).

mod operations;
mod scope;

pub(crate) use operations::{__path_operate, operate};

use std::collections::HashSet;

use akashone_cloudstack::model as cs;
use akashone_resources::rows;
use akashone_types::Choice;
use akashone_types::central::ScopeQuery;
use akashone_types::network::{
    EgressRuleRow, FirewallRuleRow, LbMemberRow, LoadBalancerRow, NetworkRow, PortForwardRow,
    PublicIpRow, VpcRow,
};
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VolumeRow,
};
use axum::Json;
use axum::extract::{Path, State};
use futures::{StreamExt, TryStreamExt, stream};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, Caller, perm};
use crate::error::{Error, Result};
use scope::TenantScope;

/// A choice of a create form (the shape of `akashone_types::Choice`).
#[derive(Debug, ToSchema)]
#[schema(as = Choice)]
#[allow(dead_code)] // describes `Choice` in the document
pub(crate) struct ChoiceBody {
    /// Id.
    id: String,
    /// Name shown.
    name: String,
    /// One line of detail.
    detail: String,
}

/// Which network offerings.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(crate) struct NetworkOfferingQuery {
    /// Tenant (default: the caller's).
    #[serde(default)]
    tenant_id: Option<String>,
    /// Only the offerings of this zone.
    #[serde(default, alias = "zone_id")]
    zone_id: Option<String>,
    /// Offerings for VPC tiers instead of isolated networks.
    #[serde(default, alias = "for_vpc")]
    for_vpc: bool,
}

async fn scope_of(
    state: &AppState,
    caller: &Caller,
    tenant_id: Option<&str>,
) -> Result<TenantScope> {
    let tenant = caller.tenant_in_scope(state, tenant_id).await?;
    TenantScope::of(state, tenant).await
}

fn gone(state: Option<&str>) -> bool {
    matches!(
        state,
        Some("Destroyed" | "Destroy" | "Expunging" | "Expunged")
    )
}

async fn tenant_vms(state: &AppState, sc: &TenantScope) -> Result<Vec<cs::VirtualMachine>> {
    let vms: Vec<cs::VirtualMachine> = sc
        .list(state, "listVirtualMachines", "virtualmachine", &[])
        .await?;
    Ok(vms
        .into_iter()
        .filter(|v| !gone(v.state.as_deref()))
        .collect())
}

async fn tenant_networks(state: &AppState, sc: &TenantScope) -> Result<Vec<Value>> {
    sc.list(state, "listNetworks", "network", &[]).await
}

async fn tenant_ips(state: &AppState, sc: &TenantScope) -> Result<Vec<Value>> {
    sc.list(
        state,
        "listPublicIpAddresses",
        "publicipaddress",
        &[("allocatedonly", "true")],
    )
    .await
}

fn ids(rows: &[Value]) -> HashSet<String> {
    rows.iter()
        .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

async fn tenant_volumes(state: &AppState, sc: &TenantScope) -> Result<Vec<cs::Volume>> {
    let vols: Vec<cs::Volume> = sc.list(state, "listVolumes", "volume", &[]).await?;
    Ok(vols
        .into_iter()
        .filter(|v| !gone(v.state.as_deref()))
        .collect())
}

/// The policies of the tenant's volumes, asked volume by volume (CloudStack lists policies
/// without their owner).
async fn tenant_policies(state: &AppState, sc: &TenantScope) -> Result<Vec<cs::SnapshotPolicy>> {
    let vols = tenant_volumes(state, sc).await?;
    let cs = state.cs()?;
    let per_volume: Vec<Vec<cs::SnapshotPolicy>> =
        stream::iter(vols.into_iter().filter_map(|v| v.id))
            .map(|id| async move { cs.list_snapshot_policies(Some(&id)).await })
            .buffer_unordered(8)
            .try_collect()
            .await?;
    Ok(per_volume.into_iter().flatten().collect())
}

/// The tenant's guest networks by name, each with the VMs that have a NIC on it. For the
/// platform: every network outside the other tenants' domains. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/networks",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Networks by name", body = [NetworkRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn networks(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<NetworkRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let (nets, vms) = futures::try_join!(tenant_networks(&state, &sc), tenant_vms(&state, &sc))?;
    let names = rows::vm_names_by_network(&vms);
    let mut out: Vec<NetworkRow> = nets
        .iter()
        .filter(|n| !gone(n.get("state").and_then(Value::as_str)))
        .filter_map(|n| rows::network(n, &names))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The tenant's VPCs by name, with their tiers and the VMs on each. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/vpcs",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "VPCs by name", body = [VpcRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn vpcs(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<VpcRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let (list, vms) = futures::try_join!(
        sc.list::<Value>(&state, "listVPCs", "vpc", &[]),
        tenant_vms(&state, &sc)
    )?;
    let names = rows::vm_names_by_network(&vms);
    let mut out: Vec<VpcRow> = list.iter().filter_map(|v| rows::vpc(v, &names)).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The tenant's public IP addresses, by address. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/public-ips",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Addresses", body = [PublicIpRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn public_ips(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<PublicIpRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let mut out: Vec<PublicIpRow> = tenant_ips(&state, &sc)
        .await?
        .iter()
        .filter_map(rows::public_ip)
        .collect();
    out.sort_by(|a, b| a.address.cmp(&b.address).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The ingress firewall rules on the tenant's public IPs. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/firewall-rules",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Rules by address", body = [FirewallRuleRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn firewall_rules(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<FirewallRuleRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let (ips, list) = futures::try_join!(
        tenant_ips(&state, &sc),
        sc.list_any::<cs::FirewallRule>(&state, "listFirewallRules", "firewallrule", &[])
    )?;
    let ips = ids(&ips);
    let mut out: Vec<FirewallRuleRow> = list
        .iter()
        .filter(|r| r.ipaddressid.as_ref().is_some_and(|i| ips.contains(i)))
        .filter_map(rows::firewall_rule)
        .collect();
    out.sort_by(|a, b| a.ip_address.cmp(&b.ip_address).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The egress firewall rules of the tenant's networks. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/egress-rules",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Rules by network", body = [EgressRuleRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn egress_rules(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<EgressRuleRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let (nets, list) = futures::try_join!(
        tenant_networks(&state, &sc),
        sc.list_any::<cs::FirewallRule>(&state, "listEgressFirewallRules", "firewallrule", &[])
    )?;
    let nets = ids(&nets);
    let mut out: Vec<EgressRuleRow> = list
        .iter()
        .filter(|r| r.networkid.as_ref().is_some_and(|n| nets.contains(n)))
        .filter_map(rows::egress_rule)
        .collect();
    out.sort_by(|a, b| a.network_id.cmp(&b.network_id).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The port forwarding rules on the tenant's public IPs. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/port-forwards",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Forwards by address", body = [PortForwardRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn port_forwards(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<PortForwardRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let (ips, list) = futures::try_join!(
        tenant_ips(&state, &sc),
        sc.list_any::<cs::PortForwardingRule>(
            &state,
            "listPortForwardingRules",
            "portforwardingrule",
            &[]
        )
    )?;
    let ips = ids(&ips);
    let mut out: Vec<PortForwardRow> = list
        .iter()
        .filter(|r| r.ipaddressid.as_ref().is_some_and(|i| ips.contains(i)))
        .filter_map(rows::port_forward)
        .collect();
    out.sort_by(|a, b| {
        (a.ip_address.as_str(), a.public.start, a.id.as_str()).cmp(&(
            b.ip_address.as_str(),
            b.public.start,
            b.id.as_str(),
        ))
    });
    Ok(Json(out))
}

/// The tenant's load balancer rules by name (members are listed per rule). Requires
/// `network.read`.
#[utoipa::path(
    get,
    path = "/api/load-balancers",
    tag = "network",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Load balancers by name", body = [LoadBalancerRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn load_balancers(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<LoadBalancerRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let list: Vec<cs::LoadBalancerRule> = sc
        .list(&state, "listLoadBalancerRules", "loadbalancerrule", &[])
        .await?;
    let mut out: Vec<LoadBalancerRow> = list.iter().filter_map(rows::load_balancer).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The members of one of the tenant's load balancer rules, with the addresses they are
/// balanced on. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/load-balancers/{id}/members",
    tag = "network",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Load balancer rule id"), ScopeQuery),
    responses(
        (status = 200, description = "Members by VM name", body = [LbMemberRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Not the tenant's, or the tenant is outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn lb_members(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<LbMemberRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let found: Vec<cs::LoadBalancerRule> = sc
        .find(
            &state,
            "listLoadBalancerRules",
            "loadbalancerrule",
            "id",
            &id,
        )
        .await?;
    if !found.iter().any(|r| r.id.as_deref() == Some(id.as_str())) {
        return Err(Error::NotFound(format!("Load balancer {id}")));
    }
    let members = state.cs()?.list_load_balancer_members(&id).await?;
    let mut out: Vec<LbMemberRow> = members.iter().filter_map(rows::lb_member).collect();
    out.sort_by(|a, b| a.vm_name.cmp(&b.vm_name).then(a.vm_id.cmp(&b.vm_id)));
    Ok(Json(out))
}

/// The enabled network offerings a new isolated network (or, with `forVpc=true`, a new VPC
/// tier) of the tenant can use, optionally in one zone. Requires `network.read`.
#[utoipa::path(
    get,
    path = "/api/network-offerings",
    tag = "network",
    security(("bearer" = [])),
    params(NetworkOfferingQuery),
    responses(
        (status = 200, description = "Offerings", body = [ChoiceBody]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `network.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn network_offerings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::NetworkRead>,
    ApiQuery(q): ApiQuery<NetworkOfferingQuery>,
) -> Result<Json<Vec<Choice>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let mut p = akashone_cloudstack::Params::new()
        .with("guestiptype", "Isolated")
        .with("state", "Enabled")
        .with("forvpc", q.for_vpc);
    p.set_opt("zoneid", q.zone_id.as_deref());
    if sc.tenant.cs_account.is_some() {
        p.set("domainid", sc.domain.as_str());
    }
    let list: Vec<cs::NetworkOffering> = state
        .cs()?
        .list_all("listNetworkOfferings", &p, "networkoffering")
        .await?;
    Ok(Json(
        list.iter()
            .filter(|o| {
                o.guestiptype
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("Isolated"))
                    && o.state
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case("Enabled"))
                    && o.forvpc.unwrap_or(false) == q.for_vpc
            })
            .filter_map(rows::network_offering)
            .collect(),
    ))
}

/// The tenant's volumes by name (root disks and data disks). Requires `storage.read`.
#[utoipa::path(
    get,
    path = "/api/volumes",
    tag = "storage",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Volumes by name", body = [VolumeRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `storage.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn volumes(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::StorageRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<VolumeRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let mut out: Vec<VolumeRow> = tenant_volumes(&state, &sc)
        .await?
        .iter()
        .filter_map(rows::volume)
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The snapshots of the tenant's volumes, newest first. Requires `storage.read`.
#[utoipa::path(
    get,
    path = "/api/snapshots",
    tag = "storage",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Snapshots, newest first", body = [SnapshotRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `storage.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn snapshots(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::StorageRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<SnapshotRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let list: Vec<Value> = sc.list(&state, "listSnapshots", "snapshot", &[]).await?;
    let mut out: Vec<SnapshotRow> = list.iter().filter_map(rows::snapshot).collect();
    out.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The recurring snapshot policies of the tenant's volumes. Requires `storage.read`.
#[utoipa::path(
    get,
    path = "/api/snapshot-policies",
    tag = "storage",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Policies by volume", body = [SnapshotPolicyRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `storage.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn snapshot_policies(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::StorageRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<SnapshotPolicyRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let mut out: Vec<SnapshotPolicyRow> = tenant_policies(&state, &sc)
        .await?
        .iter()
        .filter_map(rows::snapshot_policy)
        .collect();
    out.sort_by(|a, b| a.volume_id.cmp(&b.volume_id).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The snapshots of the tenant's VMs, newest first. Requires `storage.read`.
#[utoipa::path(
    get,
    path = "/api/vm-snapshots",
    tag = "storage",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "VM snapshots, newest first", body = [VmSnapshotRow]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `storage.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn vm_snapshots(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::StorageRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<VmSnapshotRow>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let list: Vec<cs::VmSnapshot> = sc.list(&state, "listVMSnapshot", "vmSnapshot", &[]).await?;
    let mut out: Vec<VmSnapshotRow> = list.iter().filter_map(rows::vm_snapshot).collect();
    out.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// The disk offerings a new volume of the tenant can use. Requires `storage.read`.
#[utoipa::path(
    get,
    path = "/api/disk-offerings",
    tag = "storage",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Disk offerings", body = [DiskOfferingInfo]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `storage.read`", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack failed", body = ErrorBody),
    )
)]
pub(crate) async fn disk_offerings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::StorageRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<DiskOfferingInfo>>> {
    let sc = scope_of(&state, &caller, q.tenant_id.as_deref()).await?;
    let mut p = akashone_cloudstack::Params::new();
    if sc.tenant.cs_account.is_some() {
        p.set("domainid", sc.domain.as_str());
    }
    let list: Vec<Value> = state
        .cs()?
        .list_all("listDiskOfferings", &p, "diskoffering")
        .await?;
    Ok(Json(list.iter().filter_map(rows::disk_offering).collect()))
}
