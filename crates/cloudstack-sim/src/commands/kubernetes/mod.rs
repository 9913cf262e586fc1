//! The CloudStack Kubernetes Service: clusters made of simulated VMs.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::vms::{create_vm, vm_json, zone_has_room};
use super::{Ctx, created_reply, job_reply};
use crate::error::ApiError;
use crate::state::jobs::Action;
use crate::state::model::{KubeCluster, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

mod scale;
pub(crate) use scale::scale;

/// The global `cloud.kubernetes.cluster.max.size`.
const MAX_CLUSTER_SIZE: i64 = 10;

fn cluster_param(cx: &Ctx) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let c = s.lookup(cx.p, "id", |r| match r {
        Ref::Cluster(c) if !s.clusters[c].removed => Some(c),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.clusters[c].account, &s.clusters[c].id)?;
    Ok(c)
}

/// The cluster's `size`: worker nodes, not counting those a failed scale left behind.
fn workers(c: &KubeCluster) -> usize {
    c.vms.len() - c.control as usize - c.failed_nodes.len()
}

pub(crate) fn cluster_json(s: &State, i: usize) -> Value {
    let c = &s.clusters[i];
    let account = &s.accounts[c.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[c.zone];
    let so = &s.service_offerings[c.offering];
    let version = &s.kube_versions[c.version];
    let running = c.state == "Running";
    let mut v = json!({
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "zoneid": zone.id,
        "zonename": zone.name,
        "serviceofferingid": so.id,
        "serviceofferingname": so.name,
        "templateid": s.templates[c.template].id,
        "templatename": s.templates[c.template].name,
        "networkid": s.networks[c.network].id,
        "associatednetworkname": s.networks[c.network].name,
        "kubernetesversionid": version.id,
        "kubernetesversionname": format!("v{}", version.semantic()),
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "masternodes": c.control,
        "controlnodes": c.control,
        "etcdnodes": 0,
        "size": workers(c),
        "state": c.state,
        "cpunumber": c.vms.iter().map(|&v| s.service_offerings[s.vms[v].offering].cpus).sum::<u32>().to_string(),
        "memory": c.vms.iter().map(|&v| s.service_offerings[s.vms[v].offering].memory).sum::<u32>().to_string(),
        "endpoint": if running { format!("https://{}:6443/", c.endpoint_ip) } else { String::new() },
        "ipaddress": c.endpoint_ip,
        "autoscalingenabled": c.autoscaling,
        "clustertype": "CloudManaged",
        "csienabled": false,
        "created": ts(c.created),
        "virtualmachines": c.vms.iter().map(|&vm| vm_json(s, vm, false)).collect::<Vec<_>>(),
    });
    let o = v.as_object_mut().expect("object");
    if c.autoscaling {
        o.insert("minsize".into(), json!(c.min));
        o.insert("maxsize".into(), json!(c.max));
    }
    if let Some(k) = &c.keypair {
        o.insert("keypair".into(), json!(k));
    }
    for (role, offering) in [
        ("control", c.control_offering),
        ("worker", c.worker_offering),
    ] {
        if let Some(x) = offering {
            let so = &s.service_offerings[x];
            o.insert(format!("{role}offeringid"), json!(so.id));
            o.insert(format!("{role}offeringname"), json!(so.name));
        }
    }
    crate::state::jobs::with_pending(v, s.pending(c.pending_job))
}

/// listKubernetesClusters.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let name = p.get("name");
    let state = p.get("state");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.clusters.len())
        .filter(|&i| {
            let c = &s.clusters[i];
            !c.removed
                && scope.allows(c.account)
                && id.is_none_or(|x| c.id == x)
                && name.is_none_or(|x| c.name == x)
                && state.is_none_or(|x| c.state.eq_ignore_ascii_case(x))
                && keyword_match(keyword, &[&c.name])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "kubernetescluster",
        &matching,
        |&i| cluster_json(s, i),
    )
}

fn check_offering(s: &State, o: usize) -> Result<(), ApiError> {
    let so = &s.service_offerings[o];
    if so.cpus < 2 || so.memory < 2048 {
        return Err(ApiError::invalid(format!(
            "Kubernetes cluster cannot be created with service offering ID: {}, Kubernetes cluster template needs minimum 2 vCPUs and 2048 MB RAM",
            so.id
        )));
    }
    Ok(())
}

fn add_node(s: &mut State, c: usize, role: &str, state: VmState, when: OffsetDateTime) -> usize {
    let cl = &s.clusters[c];
    let offering = cl.offering_for(role == "control");
    let (account, zone, template, network) = (cl.account, cl.zone, cl.template, cl.network);
    let name = format!("{}-{role}-{:x}", cl.name, s.rng.below(1 << 40));
    let user = s.first_user(account);
    let vm = create_vm(
        s,
        account,
        user,
        zone,
        template,
        offering,
        network,
        Some(name),
        None,
        state,
        when,
    );
    s.vms[vm].cluster = Some(c);
    s.clusters[c].vms.push(vm);
    vm
}

/// A running cluster in the seeded data (the demo's): its own network and endpoint address,
/// `control` control nodes and `workers` worker nodes, all Running since `when`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn seed_running_cluster(
    s: &mut State,
    account: usize,
    zone: usize,
    offering: usize,
    version: usize,
    name: &str,
    control: u32,
    workers: u32,
    when: OffsetDateTime,
) -> usize {
    let n = format!("{name}-network");
    let network = super::networks::add_network(s, account, zone, 0, n.clone(), n, when);
    s.networks[network].state = "Implemented";
    let ip = super::networks::allocate_ip(s, account, zone, network, true, when);
    let idx = s.clusters.len();
    let id = s.rng.uuid();
    let endpoint_ip = s.ips[ip].address.clone();
    s.clusters.push(KubeCluster::new(
        id.clone(),
        name.to_owned(),
        format!("{name} Kubernetes cluster"),
        zone,
        offering,
        network,
        version,
        account,
        control,
        "Running",
        when,
        endpoint_ip,
        None,
    ));
    s.index(&id, Ref::Cluster(idx));
    for n in 0..(control + workers) {
        let vm = add_node(
            s,
            idx,
            if n < control { "control" } else { "node" },
            VmState::Running,
            when,
        );
        s.vms[vm]
            .running
            .push((when + time::Duration::minutes(3), None));
    }
    idx
}

/// Offerings per node role from `nodeofferings[i].node` / `nodeofferings[i].offering`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RoleOfferings {
    pub control: Option<usize>,
    pub worker: Option<usize>,
}

/// Parses the `nodeofferings` map (CreateKubernetesClusterCmd.getServiceOfferingNodeTypeMap):
/// each entry needs `node` (control, worker or etcd, any case) and `offering` (an offering id).
pub(crate) fn node_offerings(
    s: &State,
    p: &crate::params::Params,
) -> Result<RoleOfferings, ApiError> {
    let mut entries: std::collections::BTreeMap<String, (Option<String>, Option<String>)> =
        std::collections::BTreeMap::new();
    for (k, v) in p.pairs() {
        let k = k.to_lowercase();
        let Some(rest) = k.strip_prefix("nodeofferings[") else {
            continue;
        };
        let Some((index, field)) = rest.split_once("].") else {
            return Err(ApiError::invalid(format!("Invalid parameter {k}")));
        };
        let e = entries.entry(index.to_string()).or_default();
        match field {
            "node" => e.0 = Some(v.to_string()),
            "offering" => e.1 = Some(v.to_string()),
            _ => {}
        }
    }
    let mut roles = RoleOfferings::default();
    for (node, offering) in entries.into_values() {
        let (Some(node), Some(offering)) = (node, offering) else {
            return Err(ApiError::invalid(
                "Node type and service offering ID must be provided for each entry of nodeofferings",
            ));
        };
        let o = match s.ids.get(offering.as_str()) {
            Some(crate::state::Ref::ServiceOffering(o)) => *o,
            _ => {
                return Err(ApiError::invalid(format!(
                    "Unable to find service offering with ID: {offering}"
                )));
            }
        };
        match node.to_ascii_lowercase().as_str() {
            "control" => roles.control = Some(o),
            "worker" => roles.worker = Some(o),
            // etcd nodes are not simulated: the offering is accepted and unused.
            "etcd" => {}
            _ => {
                return Err(ApiError::invalid(format!(
                    "Invalid node type: {node}, valid values are: CONTROL, WORKER, ETCD"
                )));
            }
        }
    }
    Ok(roles)
}

/// createKubernetesCluster (asynchronous).
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let name = p.required("name")?.to_string();
    let zone = cx.state.lookup(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let roles = node_offerings(cx.state, p)?;
    let offering = match (p.get("serviceofferingid"), roles.control.zip(roles.worker)) {
        // Per-role offerings for both roles make the general offering optional.
        (None, Some((_, worker))) => worker,
        _ => cx.state.lookup(p, "serviceofferingid", |r| match r {
            Ref::ServiceOffering(o) => Some(o),
            _ => None,
        })?,
    };
    let version = cx.state.lookup(p, "kubernetesversionid", |r| match r {
        Ref::KubeVersion(k) => Some(k),
        _ => None,
    })?;
    let size = p
        .int("size")?
        .ok_or_else(|| ApiError::missing_param(&p.command_lc, "size"))?;
    let control = p
        .int("controlnodes")?
        .or(p.int("masternodes")?)
        .unwrap_or(1);
    if !cx.state.kube_versions[version].enabled {
        return Err(ApiError::invalid(format!(
            "Kubernetes version ID: {} is in Disabled state",
            cx.state.kube_versions[version].id
        )));
    }
    if size < 1 || size + control > MAX_CLUSTER_SIZE || control < 1 {
        return Err(ApiError::invalid(format!(
            "Invalid cluster size: {size}; total nodes must be between 2 and {MAX_CLUSTER_SIZE}"
        )));
    }
    // KubernetesClusterManagerImpl.validateKubernetesClusterCreateParameters: more than one
    // control node needs a version with HA support (1.16.0 and later, MIN_KUBERNETES_VERSION_HA_SUPPORT).
    let kv = &cx.state.kube_versions[version];
    if control > 1 && !kv.supports_ha() {
        return Err(ApiError::invalid(format!(
            "HA support is available only for Kubernetes version {} and above. Given version ID: {} is {}",
            crate::state::model::MIN_HA_VERSION,
            kv.id,
            kv.semantic()
        )));
    }
    check_offering(cx.state, offering)?;
    for o in [roles.control, roles.worker].into_iter().flatten() {
        check_offering(cx.state, o)?;
    }
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    {
        let s = &*cx.state;
        let control_so = &s.service_offerings[roles.control.unwrap_or(offering)];
        let worker_so = &s.service_offerings[roles.worker.unwrap_or(offering)];
        let (control, size) = (control as u64, size as u64);
        let vms = control + size;
        let cpus = control * control_so.cpus as u64 + size * worker_so.cpus as u64;
        let memory = control * control_so.memory as u64 + size * worker_so.memory as u64;
        super::limits::check(s, account, vms, cpus, memory)?;
    }
    if cx
        .state
        .clusters
        .iter()
        .any(|c| !c.removed && c.account == account && c.name == name)
    {
        return Err(ApiError::invalid(format!(
            "Kubernetes cluster with name {name} already exists"
        )));
    }
    let network = match p.get("networkid") {
        Some(_) => cx.state.lookup(p, "networkid", |r| match r {
            Ref::Network(n) => Some(n),
            _ => None,
        })?,
        None => {
            let when = OffsetDateTime::now_utc();
            let n = format!("{name}-network");
            super::networks::add_network(cx.state, account, zone, 0, n.clone(), n, when)
        }
    };
    let s = &mut *cx.state;
    let now = OffsetDateTime::now_utc();
    let ip = super::networks::allocate_ip(s, account, zone, network, true, now);
    let idx = s.clusters.len();
    let id = s.rng.uuid();
    let endpoint_ip = s.ips[ip].address.clone();
    let mut cluster = KubeCluster::new(
        id.clone(),
        name,
        p.get("description").unwrap_or("").to_string(),
        zone,
        offering,
        network,
        version,
        account,
        control as u32,
        "Starting",
        now,
        endpoint_ip,
        p.get("keypair").map(String::from),
    );
    cluster.control_offering = roles.control;
    cluster.worker_offering = roles.worker;
    s.clusters.push(cluster);
    s.index(&id, Ref::Cluster(idx));
    let mut room = true;
    for n in 0..(control + size) {
        room &= zone_has_room(s, zone, None);
        add_node(
            s,
            idx,
            if n < control { "control" } else { "node" },
            VmState::Starting,
            now,
        );
    }
    if !room {
        for &vm in &s.clusters[idx].vms.clone() {
            s.vms[vm].doomed = true;
        }
    }
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.CreateKubernetesClusterCmd",
        Some(("KubernetesCluster", id.clone())),
        s.knobs.start_delay,
        None,
        Action::CreateCluster(idx),
    );
    s.clusters[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

fn submit(cx: &mut Ctx, c: usize, cmd: &'static str, action: Action) -> Value {
    let s = &mut *cx.state;
    let id = s.clusters[c].id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        cmd,
        Some(("KubernetesCluster", id)),
        s.knobs.start_delay,
        None,
        action,
    );
    s.clusters[c].pending_job = Some(job);
    job_reply(s, job)
}

fn wrong_state(s: &State, c: usize) -> ApiError {
    ApiError::permission_denied(format!(
        "Cannot perform this operation, Kubernetes cluster : {} is in {} state",
        s.clusters[c].name, s.clusters[c].state
    ))
}

/// startKubernetesCluster.
pub(crate) fn start(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    if !matches!(
        cx.state.clusters[c].state,
        "Stopped" | "Running" | "Starting" | "Created" | "Alert"
    ) {
        return Err(wrong_state(cx.state, c));
    }
    Ok(submit(
        cx,
        c,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.StartKubernetesClusterCmd",
        Action::StartCluster(c),
    ))
}

/// stopKubernetesCluster.
pub(crate) fn stop(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    if !matches!(cx.state.clusters[c].state, "Stopped" | "Running" | "Alert") {
        return Err(wrong_state(cx.state, c));
    }
    Ok(submit(
        cx,
        c,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.StopKubernetesClusterCmd",
        Action::StopCluster(c),
    ))
}

/// deleteKubernetesCluster.
pub(crate) fn delete(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    Ok(submit(
        cx,
        c,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.DeleteKubernetesClusterCmd",
        Action::DeleteCluster(c),
    ))
}

/// upgradeKubernetesCluster: next minor or a patch only.
pub(crate) fn upgrade(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    let s = &*cx.state;
    let v = s.lookup(cx.p, "kubernetesversionid", |r| match r {
        Ref::KubeVersion(k) => Some(k),
        _ => None,
    })?;
    let cl = &s.clusters[c];
    if cl.state != "Running" {
        return Err(ApiError::invalid(format!(
            "Kubernetes cluster : {} is not in running state",
            cl.name
        )));
    }
    let target = &s.kube_versions[v];
    if !target.enabled {
        return Err(ApiError::invalid(format!(
            "Kubernetes version ID: {} is not Enabled",
            target.id
        )));
    }
    let (cur, new) = (s.kube_versions[cl.version].semver, target.semver);
    let ok = cur.0 == new.0 && ((new.1 == cur.1 && new.2 > cur.2) || new.1 == cur.1 + 1);
    if !ok {
        return Err(ApiError::invalid(format!(
            "Kubernetes cluster cannot be upgraded from version {} to {}; only the next minor version or a newer patch version is allowed",
            s.kube_versions[cl.version].semantic(),
            target.semantic()
        )));
    }
    Ok(submit(
        cx,
        c,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.UpgradeKubernetesClusterCmd",
        Action::UpgradeCluster {
            cluster: c,
            version: v,
        },
    ))
}

/// getKubernetesClusterConfig: the admin kubeconfig of the cluster's Kubernetes API (see
/// `kubeapi::ClusterApi::kubeconfig` for why `server` is a loopback address).
pub(crate) fn config(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    let cl = &cx.state.clusters[c];
    let Some(api) = &cl.api else {
        return Err(ApiError::internal(format!(
            "Failed to retrieve kubeconfig for Kubernetes cluster : {}",
            cl.name
        )));
    };
    Ok(
        json!({ "clusterconfig": { "id": cl.id, "name": cl.name, "configdata": api.kubeconfig(&cl.name) } }),
    )
}

fn set_nodes(s: &mut State, c: usize, state: VmState, when: OffsetDateTime) {
    for vm in s.clusters[c].vms.clone() {
        let v = &mut s.vms[vm];
        match (v.state, state) {
            (VmState::Running, VmState::Running) => {}
            (_, VmState::Running) => v.running.push((when, None)),
            (VmState::Running, _) => {
                if let Some(last) = v.running.last_mut() {
                    last.1.get_or_insert(when);
                }
            }
            _ => {}
        }
        v.state = state;
        if matches!(state, VmState::Expunging) {
            v.removed = true;
            v.destroyed_at.get_or_insert(when);
        }
    }
}

/// Completes cluster jobs.
pub(crate) fn complete(
    s: &mut State,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    let c = match action {
        Action::CreateCluster(c)
        | Action::StartCluster(c)
        | Action::StopCluster(c)
        | Action::DeleteCluster(c)
        | Action::ScaleCluster(c) => c,
        Action::UpgradeCluster { cluster, .. } => cluster,
        _ => unreachable!("not a cluster job"),
    };
    s.clusters[c].pending_job = None;
    match action {
        Action::CreateCluster(_) | Action::StartCluster(_) => {
            s.clusters[c].failed_nodes.clear();
            let doomed = s.clusters[c].vms.iter().any(|&v| s.vms[v].doomed);
            if doomed {
                for vm in s.clusters[c].vms.clone() {
                    s.vms[vm].doomed = false;
                    s.vms[vm].state = VmState::Error;
                }
                s.clusters[c].state = "Error";
                return Err(ApiError::insufficient_capacity(format!(
                    "Provisioning the cluster failed due to insufficient capacity in the Kubernetes cluster: {}",
                    s.clusters[c].name
                )));
            }
            set_nodes(s, c, VmState::Running, when);
            s.clusters[c].state = "Running";
        }
        Action::StopCluster(_) => {
            set_nodes(s, c, VmState::Stopped, when);
            s.clusters[c].state = "Stopped";
            return Ok(success());
        }
        Action::DeleteCluster(_) => {
            set_nodes(s, c, VmState::Expunging, when);
            s.clusters[c].state = "Destroyed";
            s.clusters[c].removed = true;
            return Ok(success());
        }
        Action::UpgradeCluster { version, .. } => s.clusters[c].version = version,
        Action::ScaleCluster(_) => {
            let Some(plan) = s.pending_scales.remove(&c) else {
                return Err(ApiError::internal("Lost scale request"));
            };
            if let Some(o) = plan.offering {
                let cl = &mut s.clusters[c];
                cl.offering = o;
                cl.control_offering = None;
                cl.worker_offering = None;
                for vm in s.clusters[c].vms.clone() {
                    s.vms[vm].offering = o;
                }
            }
            let (control_o, worker_o) = plan.role_offerings;
            if control_o.is_some() || worker_o.is_some() {
                let cl = &mut s.clusters[c];
                cl.control_offering = control_o.or(cl.control_offering);
                cl.worker_offering = worker_o.or(cl.worker_offering);
                let control = cl.control as usize;
                for (i, vm) in cl.vms.clone().into_iter().enumerate() {
                    let role_o = if i < control { control_o } else { worker_o };
                    if let Some(o) = role_o {
                        s.vms[vm].offering = o;
                    }
                }
            }
            if let Some(a) = plan.autoscaling {
                let cl = &mut s.clusters[c];
                cl.autoscaling = a;
                cl.min = if a { plan.min.map(|x| x as u32) } else { None };
                cl.max = if a { plan.max.map(|x| x as u32) } else { None };
            }
            let node_state = if s.clusters[c].state == "Running" {
                VmState::Running
            } else {
                VmState::Stopped
            };
            if !plan.node_ids.is_empty() {
                let remove: Vec<usize> = s.clusters[c]
                    .vms
                    .iter()
                    .copied()
                    .filter(|&v| plan.node_ids.contains(&s.vms[v].id))
                    .collect();
                s.clusters[c].vms.retain(|v| !remove.contains(v));
                for vm in remove {
                    s.vms[vm].state = VmState::Expunging;
                    s.vms[vm].removed = true;
                    s.vms[vm].destroyed_at = Some(when);
                    if let Some(last) = s.vms[vm].running.last_mut() {
                        last.1.get_or_insert(when);
                    }
                }
            }
            if let Some(size) = plan.size {
                let size = size as usize;
                while workers(&s.clusters[c]) < size {
                    let zone = s.clusters[c].zone;
                    if node_state == VmState::Running && !zone_has_room(s, zone, None) {
                        // KubernetesClusterScaleWorker: the new worker cannot be started, it is
                        // left Stopped, the job fails and the cluster goes to Alert
                        // (apache/cloudstack#12699, 4.22).
                        let vm = add_node(s, c, "node", VmState::Stopped, when);
                        s.clusters[c].failed_nodes.push(vm);
                        s.clusters[c].state = "Alert";
                        return Err(ApiError::internal(format!(
                            "Scaling failed for Kubernetes cluster : {}, unable to provision node VM in the cluster",
                            s.clusters[c].name
                        )));
                    }
                    let vm = add_node(s, c, "node", node_state, when);
                    if node_state == VmState::Running {
                        s.vms[vm].running.push((when, None));
                    }
                }
                while workers(&s.clusters[c]) > size {
                    let vm = s.clusters[c].vms.pop().expect("a worker");
                    s.vms[vm].state = VmState::Expunging;
                    s.vms[vm].removed = true;
                    s.vms[vm].destroyed_at = Some(when);
                    if let Some(last) = s.vms[vm].running.last_mut() {
                        last.1.get_or_insert(when);
                    }
                }
            }
        }
        _ => {}
    }
    Ok(json!({ "kubernetescluster": cluster_json(s, c) }))
}
