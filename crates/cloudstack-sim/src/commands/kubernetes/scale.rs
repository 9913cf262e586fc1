//! scaleKubernetesCluster: size, service offering, removal of given nodes and autoscaling, with
//! the server's rules on which parameters go together.

use super::*;
use crate::state::model::Scale;

/// scaleKubernetesCluster, with the server's parameter rules.
pub(crate) fn scale(cx: &mut Ctx) -> Result<Value, ApiError> {
    let c = cluster_param(cx)?;
    let p = cx.p;
    let s = &*cx.state;
    let offering = s.lookup_opt(p, "serviceofferingid", |r| match r {
        Ref::ServiceOffering(o) => Some(o),
        _ => None,
    })?;
    let size = p.int("size")?;
    let node_ids = p.list("nodeids");
    let autoscaling = p.flag("autoscalingenabled");
    let offerings_map = p
        .pairs()
        .any(|(k, _)| k.to_lowercase().starts_with("nodeofferings"));
    if offering.is_none()
        && size.is_none()
        && node_ids.is_empty()
        && autoscaling.is_none()
        && !offerings_map
    {
        return Err(ApiError::invalid(
            "Atleast one of serviceofferingid/nodeofferings, size, nodeids or autoscalingenabled must be specified",
        ));
    }
    let cl = &s.clusters[c];
    if !matches!(cl.state, "Created" | "Running" | "Stopped") {
        // The text of the real server (apache/cloudstack#11166's job result); there it comes
        // back from the job as 530, here the refusal is immediate like the other checks.
        return Err(ApiError::permission_denied(format!(
            "Kubernetes cluster {} is in {} state and can not be scaled",
            cl.name, cl.state
        )));
    }
    if autoscaling == Some(true) {
        if size.is_some() || !node_ids.is_empty() {
            return Err(ApiError::invalid(
                "autoscaling can not be passed along with nodeids or size",
            ));
        }
        let (Some(min), Some(max)) = (p.int("minsize")?, p.int("maxsize")?) else {
            return Err(ApiError::invalid(
                "Autoscaling requires minsize and maxsize to be passed",
            ));
        };
        if min < 1 {
            return Err(ApiError::invalid(format!(
                "Invalid value for minsize: {min}"
            )));
        }
        if max <= min {
            return Err(ApiError::invalid(format!(
                "Invalid value for maxsize: {max}; it must be greater than minsize {min}"
            )));
        }
        if max + cl.control as i64 > MAX_CLUSTER_SIZE {
            return Err(ApiError::invalid(format!(
                "Maximum cluster size can not exceed {MAX_CLUSTER_SIZE}"
            )));
        }
        if !s.kube_versions[cl.version].autoscaling {
            return Err(ApiError::invalid(
                "Autoscaling requested but the Kubernetes version does not support it",
            ));
        }
    }
    if !node_ids.is_empty() {
        if size.is_some() || offering.is_some() {
            return Err(ApiError::invalid(
                "nodeids can not be passed along with size or serviceofferingid",
            ));
        }
        let controls: Vec<&str> = cl.vms[..cl.control as usize]
            .iter()
            .map(|&v| s.vms[v].id.as_str())
            .collect();
        let remaining_workers = cl.vms[cl.control as usize..]
            .iter()
            .filter(|&&v| !node_ids.contains(&s.vms[v].id))
            .count();
        if node_ids.iter().any(|n| controls.contains(&n.as_str())) {
            return Err(ApiError::invalid(
                "Control nodes can not be removed from the Kubernetes cluster",
            ));
        }
        if remaining_workers == 0 {
            return Err(ApiError::invalid(
                "The cluster must keep at least one worker node",
            ));
        }
        if let Some(bad) = node_ids
            .iter()
            .find(|n| !cl.vms.iter().any(|&v| s.vms[v].id == **n))
        {
            return Err(ApiError::invalid(format!(
                "VM {bad} is not a node of the Kubernetes cluster"
            )));
        }
    }
    if let Some(sz) = size
        && (sz < 1 || sz + cl.control as i64 > MAX_CLUSTER_SIZE)
    {
        return Err(ApiError::invalid(format!(
            "Invalid size {sz}; total cluster size must be at most {MAX_CLUSTER_SIZE}"
        )));
    }
    if let Some(o) = offering {
        check_offering(s, o)?;
        let (old, new) = (&s.service_offerings[cl.offering], &s.service_offerings[o]);
        if cl.state == "Running" && (new.cpus < old.cpus || new.memory < old.memory) {
            return Err(ApiError::invalid(
                "Kubernetes cluster cannot be scaled down for service offering while it is running",
            ));
        }
    }
    // apache/cloudstack#12167 (fix of #12123, 4.22): the account's limits are checked before
    // anything is created, so a scale the limits cannot satisfy is refused and the cluster stays
    // as it was.
    {
        let worker_so = offering.unwrap_or(cl.offering_for(false));
        let worker_so = &s.service_offerings[worker_so];
        let current = cl.vms.len() as i64 - cl.control as i64 - cl.failed_nodes.len() as i64;
        let extra = size.map_or(0, |sz| (sz - current).max(0)) as u64;
        let (mut cpus, mut memory) = (
            extra * worker_so.cpus as u64,
            extra * worker_so.memory as u64,
        );
        if let Some(o) = offering {
            let (old, new) = (&s.service_offerings[cl.offering], &s.service_offerings[o]);
            let nodes = cl.vms.len() as u64;
            cpus += nodes * (new.cpus as u64).saturating_sub(old.cpus as u64);
            memory += nodes * (new.memory as u64).saturating_sub(old.memory as u64);
        }
        if extra > 0 || cpus > 0 || memory > 0 {
            crate::commands::limits::check(s, cl.account, extra, cpus, memory)?;
        }
    }
    let roles = node_offerings(s, p)?;
    for o in [roles.control, roles.worker].into_iter().flatten() {
        check_offering(s, o)?;
    }
    let plan = Scale {
        offering,
        role_offerings: (roles.control, roles.worker),
        size,
        node_ids,
        autoscaling,
        min: p.int("minsize")?,
        max: p.int("maxsize")?,
    };
    cx.state.pending_scales.insert(c, plan);
    Ok(submit(
        cx,
        c,
        "org.apache.cloudstack.api.command.user.kubernetes.cluster.ScaleKubernetesClusterCmd",
        Action::ScaleCluster(c),
    ))
}
