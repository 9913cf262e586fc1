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
        return Err(ApiError::permission_denied(format!(
            "Kubernetes cluster : {} is in {} state and can not be scaled",
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
    let plan = Scale {
        offering,
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
