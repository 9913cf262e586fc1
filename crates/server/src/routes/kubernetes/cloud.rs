//! What the Kubernetes routes ask CloudStack, and how its answers become the shared types:
//! versions, offerings, a tenant's clusters and the owner of one, the account's remaining
//! limits, and the monthly price of a cluster from the seller's rate card.

use std::collections::HashSet;

use akashone_billing::RateCard;
use akashone_cloudstack::Params;
use akashone_cloudstack::api::{
    ListKubernetesSupportedVersions, ListNetworks, ListServiceOfferings, ListZones,
};
use akashone_cloudstack::model::{
    KubernetesCluster, KubernetesSupportedVersion, ServiceOffering, VirtualMachine,
};
use akashone_types::kubernetes::{
    ClusterNetwork, ClusterNode, ClusterRow, CreateCluster, KubeOffering, KubeVersion, NodeRole,
    Resources,
};
use serde_json::Value;

use crate::billing::profile::iso;
use crate::billing::today;
use crate::context::{AppState, Caller};
use crate::db::Tenant;
use crate::error::{Error, Result};

/// Hours in a billing month (365 × 24 ÷ 12), as the rating of usage uses.
const HOURS_PER_MONTH: i128 = 730;

fn s(v: Option<String>) -> String {
    v.unwrap_or_default()
}

fn version_out(v: KubernetesSupportedVersion) -> Option<KubeVersion> {
    // CloudStack names the ISO's state after its download (`Ready`); absent, CloudStack decides.
    let iso_ready = v.isostate.as_deref().is_none_or(|st| {
        ["ready", "active", "download complete"].contains(&st.to_ascii_lowercase().as_str())
    });
    Some(KubeVersion {
        id: v.id?,
        name: s(v.name),
        semantic_version: s(v.semanticversion),
        zone_id: v.zoneid.filter(|z| !z.is_empty()),
        enabled: v
            .state
            .as_deref()
            .is_some_and(|st| st.eq_ignore_ascii_case("Enabled")),
        iso_ready,
        supports_ha: v.supportsha.unwrap_or(false),
        supports_autoscaling: v.supportsautoscaling.unwrap_or(false),
        min_cpu: v.mincpunumber.unwrap_or(0),
        min_memory_mb: v.minmemory.unwrap_or(0),
    })
}

/// The Kubernetes versions CloudStack offers (in one zone when given), oldest first.
pub(super) async fn versions(state: &AppState, zone_id: Option<&str>) -> Result<Vec<KubeVersion>> {
    let list = state
        .cs()?
        .list_kubernetes_supported_versions(&ListKubernetesSupportedVersions {
            zoneid: zone_id.map(str::to_owned),
            ..Default::default()
        })
        .await?;
    let mut out: Vec<KubeVersion> = list.into_iter().filter_map(version_out).collect();
    out.sort_by(|a, b| a.semver().cmp(&b.semver()).then(a.name.cmp(&b.name)));
    Ok(out)
}

fn offering_out(o: ServiceOffering) -> Option<KubeOffering> {
    Some(KubeOffering {
        id: o.id?,
        name: s(o.name),
        cpu: o.cpunumber.unwrap_or_default(),
        memory_mb: o.memory.unwrap_or_default(),
    })
}

/// Compute offerings available to the tenant's domain.
pub(super) async fn offerings(state: &AppState, tenant: &Tenant) -> Result<Vec<KubeOffering>> {
    let domain = state.tenant_domain(tenant).await?;
    let list = state
        .cs()?
        .list_service_offerings(&ListServiceOfferings {
            domainid: tenant.cs_account.as_ref().map(|_| domain),
            ..Default::default()
        })
        .await?;
    Ok(list.into_iter().filter_map(offering_out).collect())
}

fn node_out(vm: &VirtualMachine, role: NodeRole) -> Option<ClusterNode> {
    Some(ClusterNode {
        vm_id: vm.id.clone()?,
        name: vm.name.clone().unwrap_or_default(),
        role,
        state: vm.state.clone().unwrap_or_default(),
        ip: vm
            .nic
            .as_ref()
            .and_then(|n| n.first())
            .and_then(|n| n.ipaddress.clone())
            .filter(|ip| !ip.is_empty()),
    })
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A cluster as CloudStack lists it, with the fields its typed model lacks (`keypair`, the
/// per-role offerings) read from the raw answer.
#[derive(Debug, Clone)]
pub(super) struct Cluster {
    /// The row the API answers with.
    pub row: ClusterRow,
    /// Its domain id.
    pub domain_id: String,
    /// The workers' offering (the general one unless the cluster has its own for workers).
    pub worker_offering_id: String,
}

impl Cluster {
    /// `name (id)`, for the audit log.
    pub fn target(&self) -> String {
        format!("{} ({})", self.row.name, self.row.id)
    }
}

/// Reads one entry of listKubernetesClusters. Control nodes first: by CKS's `-control-` in
/// their names, else the first `controlnodes` members.
pub(super) fn cluster(v: &Value) -> Option<Cluster> {
    let c: KubernetesCluster = serde_json::from_value(v.clone()).ok()?;
    let control = c.controlnodes.or(c.masternodes).unwrap_or(1).max(0);
    let vms = c.virtualmachines.clone().unwrap_or_default();
    let by_name = vms
        .iter()
        .any(|vm| vm.name.as_deref().is_some_and(|n| n.contains("-control-")));
    let mut nodes: Vec<ClusterNode> = vms
        .iter()
        .enumerate()
        .filter_map(|(i, vm)| {
            let is_control = if by_name {
                vm.name.as_deref().is_some_and(|n| n.contains("-control-"))
            } else {
                (i as i64) < control
            };
            let role = if is_control {
                NodeRole::Control
            } else {
                NodeRole::Worker
            };
            node_out(vm, role)
        })
        .collect();
    nodes.sort_by_key(|n| n.role != NodeRole::Control);
    let autoscale = c
        .autoscalingenabled
        .unwrap_or(false)
        .then(|| {
            Some((
                u32::try_from(c.minsize?).ok()?,
                u32::try_from(c.maxsize?).ok()?,
            ))
        })
        .flatten();
    let offering_id = s(c.serviceofferingid.clone());
    let worker_offering_id = text(v, "workerofferingid").unwrap_or_else(|| offering_id.clone());
    Some(Cluster {
        domain_id: s(c.domainid.clone()),
        worker_offering_id,
        row: ClusterRow {
            id: c.id?,
            name: s(c.name),
            state: s(c.state),
            zone_id: s(c.zoneid),
            zone_name: s(c.zonename),
            version_id: s(c.kubernetesversionid),
            version: s(c.kubernetesversionname),
            control_nodes: u32::try_from(control).unwrap_or(0),
            workers: u32::try_from(c.size.unwrap_or(0)).unwrap_or(0),
            autoscale,
            offering_id,
            offering_name: s(c.serviceofferingname),
            network_id: s(c.networkid),
            network_name: s(c.associatednetworkname),
            endpoint: s(c.endpoint),
            keypair: text(v, "keypair"),
            cpu: c.cpunumber.unwrap_or(0),
            memory_mb: c.memory.unwrap_or(0),
            account: s(c.account),
            domain: s(c.domain),
            created: s(c.created),
            nodes,
        },
    })
}

async fn list_clusters(state: &AppState, params: &Params) -> Result<Vec<Cluster>> {
    let raw: Vec<Value> = state
        .cs()?
        .list_all("listKubernetesClusters", params, "kubernetescluster")
        .await?;
    Ok(raw
        .iter()
        .filter_map(cluster)
        .filter(|c| !matches!(c.row.state.as_str(), "Destroyed" | "Expunged"))
        .collect())
}

/// The tenant's clusters (optionally only `id`): its account's in its domain; for the platform,
/// every cluster of the cloud outside the other tenants' domains (as for VMs).
pub(super) async fn tenant_clusters(
    state: &AppState,
    tenant: &Tenant,
    id: Option<&str>,
) -> Result<Vec<Cluster>> {
    let domain = state.tenant_domain(tenant).await?;
    let mut p = Params::new()
        .with("domainid", domain.as_str())
        .with("listall", true);
    if let Some(id) = id {
        p.set("id", id);
    }
    let mut out = match &tenant.cs_account {
        Some(account) => {
            p.set("account", account.as_str());
            list_clusters(state, &p).await?
        }
        None => {
            p.set("isrecursive", tenant.parent_id.is_none());
            let others: HashSet<String> = if tenant.parent_id.is_none() {
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
            list_clusters(state, &p)
                .await?
                .into_iter()
                .filter(|c| c.domain_id == domain || !others.contains(&c.domain_id))
                .collect()
        }
    };
    out.sort_by(|a, b| a.row.name.cmp(&b.row.name).then(a.row.id.cmp(&b.row.id)));
    Ok(out)
}

/// The cluster `id` when CloudStack has it in the domain of a tenant of the caller's subtree
/// (under `tenant_id` when given), with that tenant; otherwise not found, so other tenants'
/// ids reveal nothing.
pub(super) async fn owned_cluster(
    state: &AppState,
    caller: &Caller,
    tenant_id: Option<&str>,
    id: &str,
) -> Result<(Cluster, Tenant)> {
    let not_found = || Error::NotFound(format!("Kubernetes cluster {id}"));
    let top = caller.tenant_in_scope(state, tenant_id).await?;
    let domain = state.tenant_domain(&top).await?;
    let p = Params::new()
        .with("id", id)
        .with("domainid", domain.as_str())
        .with("isrecursive", true)
        .with("listall", true);
    let found = match list_clusters(state, &p).await {
        Ok(f) => f,
        // An id CloudStack cannot read is one it does not have.
        Err(Error::CloudStack(e))
            if e.code() == akashone_types::ErrorCode::InvalidInput
                || e.code() == akashone_types::ErrorCode::NotFound =>
        {
            return Err(not_found());
        }
        Err(e) => return Err(e),
    };
    let cluster = found
        .into_iter()
        .find(|c| c.row.id == id)
        .ok_or_else(not_found)?;
    let subtree = state.db.subtree(&top.path).await?;
    let owner = subtree
        .iter()
        .find(|t| t.cs_domain_id.as_deref() == Some(cluster.domain_id.as_str()))
        .cloned()
        .or_else(|| top.parent_id.is_none().then(|| top.clone()))
        .ok_or_else(not_found)?;
    if let Some(account) = &owner.cs_account
        && *account != cluster.row.account
    {
        return Err(not_found());
    }
    Ok((cluster, owner))
}

/// A cluster again after a change (`None` when CloudStack no longer lists it).
pub(super) async fn refetch(
    state: &AppState,
    tenant: &Tenant,
    id: &str,
) -> Result<Option<Cluster>> {
    Ok(tenant_clusters(state, tenant, Some(id))
        .await?
        .into_iter()
        .find(|c| c.row.id == id))
}

/// The version, offerings, zone and network a create request names, checked to exist for the
/// tenant.
pub(super) struct Named {
    /// The version.
    pub version: KubeVersion,
    /// The general offering.
    pub offering: KubeOffering,
    /// The control nodes' own.
    pub control: Option<KubeOffering>,
    /// The workers' own.
    pub worker: Option<KubeOffering>,
}

/// Looks up what `req` names; unknown ids are the caller's mistake (400), and nothing is sent.
pub(super) async fn named(state: &AppState, tenant: &Tenant, req: &CreateCluster) -> Result<Named> {
    let cs = state.cs()?;
    let domain = state.tenant_domain(tenant).await?;
    let zones = cs
        .list_zones(&ListZones {
            available: Some(true),
            ..Default::default()
        })
        .await?;
    if !zones.iter().any(|z| {
        z.id.as_deref() == Some(req.zone_id.as_str())
            && z.domainid.as_ref().is_none_or(|d| *d == domain)
    }) {
        return Err(Error::Invalid(format!(
            "Zone {} does not exist or is not available to {}.",
            req.zone_id, tenant.name
        )));
    }
    let version = versions(state, None)
        .await?
        .into_iter()
        .find(|v| v.id == req.version_id)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "Kubernetes version {} does not exist.",
                req.version_id
            ))
        })?;
    let all = offerings(state, tenant).await?;
    let find = |id: &str, what: &str| {
        all.iter().find(|o| o.id == id).cloned().ok_or_else(|| {
            Error::Invalid(format!(
                "The {what} offering {id} does not exist or is not available to {}.",
                tenant.name
            ))
        })
    };
    let offering = find(&req.offering_id, "node")?;
    let control = req
        .control_offering_id
        .as_deref()
        .map(|id| find(id, "control"))
        .transpose()?;
    let worker = req
        .worker_offering_id
        .as_deref()
        .map(|id| find(id, "worker"))
        .transpose()?;
    if let ClusterNetwork::Existing { id } = &req.network {
        let networks = cs
            .list_networks(&ListNetworks {
                id: Some(id.clone()),
                domainid: Some(domain.clone()),
                account: tenant.cs_account.clone(),
                listall: Some(true),
                ..Default::default()
            })
            .await
            .unwrap_or_default();
        let Some(n) = networks
            .iter()
            .find(|n| n.id.as_deref() == Some(id.as_str()))
        else {
            return Err(Error::Invalid(format!(
                "Network {id} does not exist in {}'s account.",
                tenant.name
            )));
        };
        if n.zoneid.as_deref().is_some_and(|z| z != req.zone_id) {
            return Err(Error::Invalid(format!(
                "Network {} is in another zone than the cluster.",
                n.name.as_deref().unwrap_or(id)
            )));
        }
    }
    Ok(Named {
        version,
        offering,
        control,
        worker,
    })
}

/// What the tenant's account may still use (listAccounts' `vmavailable`, `cpuavailable` and
/// `memoryavailable`); `None` without an account of its own or when all are unlimited. An
/// unlimited resource reads as `i64::MAX`.
pub(super) async fn available(state: &AppState, tenant: &Tenant) -> Result<Option<Resources>> {
    let Some(account) = &tenant.cs_account else {
        return Ok(None);
    };
    let domain = state.tenant_domain(tenant).await?;
    let p = Params::new()
        .with("name", account.as_str())
        .with("domainid", domain.as_str())
        .with("listall", true);
    let rows: Vec<Value> = state.cs()?.list_all("listAccounts", &p, "account").await?;
    let Some(a) = rows
        .iter()
        .find(|a| a.get("name").and_then(Value::as_str) == Some(account.as_str()))
    else {
        return Ok(None);
    };
    let read = |key: &str| -> Option<i64> {
        match a.get(key)? {
            Value::String(t) => t.trim().parse().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    };
    let (vms, cpu, memory) = (
        read("vmavailable"),
        read("cpuavailable"),
        read("memoryavailable"),
    );
    if vms.is_none() && cpu.is_none() && memory.is_none() {
        return Ok(None);
    }
    Ok(Some(Resources {
        vms: vms.unwrap_or(i64::MAX),
        cpu: cpu.unwrap_or(i64::MAX),
        memory_mb: memory.unwrap_or(i64::MAX),
    }))
}

/// The price of a month (730 hours) of nodes — `(count, offering)` — as VM-hours of their
/// vCPUs and memory, plus the card's Kubernetes cluster-hour, less the card's discount; in
/// paise, rounded half up once at the end.
pub(super) fn monthly_paise(card: &RateCard, nodes: &[(u32, &KubeOffering)]) -> i64 {
    let vcpu = i128::from(card.vcpu_hour.milli_rupees());
    let ram = i128::from(card.gb_ram_hour.milli_rupees());
    let cluster = i128::from(card.kubernetes_cluster_hour.milli_rupees());
    // Thousandths of a rupee per hour, times 1024 (memory is priced per GiB, counted in MiB).
    let mut hour_x1024 = cluster * 1024;
    for (count, o) in nodes {
        let n = i128::from(*count);
        hour_x1024 += n * (i128::from(o.cpu) * vcpu * 1024 + i128::from(o.memory_mb) * ram);
    }
    let keep = 10_000 - i128::from(card.discount.map_or(0, |d| d.basis_points()));
    // milli-rupees × 1024 × 10_000 → paise: ÷ (1024 × 10_000 × 10).
    let num = hour_x1024 * HOURS_PER_MONTH * keep;
    let den: i128 = 1024 * 10_000 * 10;
    i64::try_from((num + den / 2) / den).unwrap_or(i64::MAX)
}

/// The monthly price of `req`'s nodes at the start from the rate card in force today of the
/// tenant's seller (its parent); `None` for the platform or without a card.
pub(super) async fn monthly_cost(
    state: &AppState,
    tenant: &Tenant,
    req: &CreateCluster,
    named: &Named,
    now: i64,
) -> Result<Option<i64>> {
    let Some(seller) = &tenant.parent_id else {
        return Ok(None);
    };
    let Some(card) = state.db.rate_card_at(seller, &iso(today(now))).await? else {
        return Ok(None);
    };
    let control = named.control.as_ref().unwrap_or(&named.offering);
    let worker = named.worker.as_ref().unwrap_or(&named.offering);
    Ok(Some(monthly_paise(
        &card.card,
        &[
            (req.control_nodes, control),
            (req.workers.initial(), worker),
        ],
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use akashone_gst::{Percent, UnitPrice};

    fn card(vcpu: &str, ram: &str, cluster: &str, discount: Option<&str>) -> RateCard {
        let p = |r: &str| UnitPrice::parse_rupees(r).unwrap();
        RateCard {
            vcpu_hour: p(vcpu),
            gb_ram_hour: p(ram),
            gb_storage_month: p("0"),
            public_ip_hour: p("0"),
            snapshot_gb_month: p("0"),
            kubernetes_cluster_hour: p(cluster),
            database_instance_hour: p("0"),
            discount: discount.map(|d| Percent::parse(d).unwrap()),
        }
    }

    fn offering(cpu: i64, memory_mb: i64) -> KubeOffering {
        KubeOffering {
            id: "o".into(),
            name: "o".into(),
            cpu,
            memory_mb,
        }
    }

    #[test]
    fn a_month_of_nodes_and_the_cluster_fee_in_paise() {
        // 3 nodes × (2 vCPU × ₹1 + 4 GiB × ₹0.5) = ₹12/h, + ₹2/h for the cluster = ₹14/h;
        // × 730 h = ₹10,220.
        let c = card("1", "0.5", "2", None);
        assert_eq!(
            monthly_paise(&c, &[(1, &offering(2, 4096)), (2, &offering(2, 4096))]),
            1_022_000
        );
        // 10 % off.
        let c = card("1", "0.5", "2", Some("10"));
        assert_eq!(monthly_paise(&c, &[(3, &offering(2, 4096))]), 919_800);
        // Half a GiB at ₹0.417/GiB-h: 0.2085 × 730 = ₹152.205 → 15,221 paise (rounded once).
        let c = card("0", "0.417", "0", None);
        assert_eq!(monthly_paise(&c, &[(1, &offering(0, 512))]), 15_221);
    }
}
