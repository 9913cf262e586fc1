//! Load balancer rules, their members and their health check and stickiness policies.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply, submit_op};
use crate::error::ApiError;
use crate::params::Params;
use crate::state::jobs::{Op, with_pending};
use crate::state::model::{LbPolicy, LoadBalancer, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success};

const ALGORITHMS: [&str; 3] = ["roundrobin", "leastconn", "source"];

/// The `loadbalancer` / `loadbalancerrule` object.
pub(crate) fn lb_json(s: &State, i: usize) -> Value {
    let lb = &s.lbs[i];
    let ip = &s.ips[lb.ip];
    let account = &s.accounts[lb.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[ip.zone];
    let mut out = json!({
        "id": lb.id,
        "name": lb.name,
        "publicipid": ip.id,
        "publicip": ip.address,
        "publicport": lb.public_port.to_string(),
        "privateport": lb.private_port.to_string(),
        "algorithm": lb.algorithm,
        "networkid": s.networks[lb.network].id,
        "cidrlist": lb.cidrs,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "state": lb.state,
        "zoneid": zone.id,
        "zonename": zone.name,
        "protocol": lb.protocol,
        "fordisplay": true,
        "tags": [],
    });
    if let (Some(d), Some(o)) = (&lb.description, out.as_object_mut()) {
        o.insert("description".into(), json!(d));
    }
    with_pending(out, s.pending(lb.pending_job))
}

fn lb_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, name, |r| match r {
        Ref::LoadBalancer(x) if !s.lbs[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.lbs[i].account, &s.lbs[i].id)?;
    Ok(i)
}

fn lb_port(cx: &Ctx, name: &str, label: &str) -> Result<u32, ApiError> {
    let v = cx.p.required(name)?;
    match v.trim().parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok(n as u32),
        _ => Err(ApiError::invalid(format!(
            "{label} is an invalid value: {v}"
        ))),
    }
}

fn algorithm_param(cx: &Ctx) -> Result<Option<String>, ApiError> {
    match cx.p.get("algorithm") {
        None => Ok(None),
        Some(a) if ALGORITHMS.contains(&a.to_lowercase().as_str()) => Ok(Some(a.to_lowercase())),
        Some(a) => Err(ApiError::invalid(format!("Invalid algorithm: {a}"))),
    }
}

/// createLoadBalancerRule (asynchronous).
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let algorithm = algorithm_param(cx)?
        .ok_or_else(|| ApiError::missing_param(&cx.p.command_lc, "algorithm"))?;
    let public_port = lb_port(cx, "publicport", "publicPort")?;
    let private_port = lb_port(cx, "privateport", "privatePort")?;
    let protocol = cx.p.get("protocol").unwrap_or("tcp").to_lowercase();
    if !["tcp", "udp", "tcp-proxy"].contains(&protocol.as_str()) {
        return Err(ApiError::invalid(format!(
            "Invalid protocol {protocol} for load balancing rule; supported are tcp, udp and tcp-proxy"
        )));
    }
    let ip = if cx.p.get("publicipid").is_some() {
        super::addresses::ip_by(cx, "publicipid")?
    } else {
        return Err(ApiError::invalid(
            "Public IP address id is required to create a load balancer rule in an isolated or VPC network",
        ));
    };
    let given_network = match cx.p.get("networkid") {
        Some(_) => Some(super::networks::network_param(cx, "networkid")?),
        None => None,
    };
    let s = &*cx.state;
    let addr = s.ips[ip].address.clone();
    if s.ips[ip].static_nat.is_some() {
        return Err(ApiError::rule_conflict(format!(
            "Can't create load balancer rule on ip address {addr}: static nat is enabled on it"
        )));
    }
    let network = match (s.ips[ip].network, s.ips[ip].vpc, given_network) {
        (Some(n), _, Some(g)) if n != g => {
            return Err(ApiError::invalid(format!(
                "The IP address {addr} is associated with network {}, not {}",
                s.networks[n].id, s.networks[g].id
            )));
        }
        (Some(n), _, _) => n,
        (None, Some(v), Some(g)) if s.networks[g].vpc == Some(v) => g,
        (None, Some(_), _) => {
            return Err(ApiError::invalid(
                "Network id (a tier of the address's VPC) is required to create a load balancer rule on a VPC address",
            ));
        }
        (None, None, _) => {
            return Err(ApiError::invalid(format!(
                "The IP address {addr} is not associated with any network"
            )));
        }
    };
    if s.ips[ip].source_nat && s.ips[ip].vpc.is_some() {
        return Err(ApiError::invalid(
            "Can't create load balancer rules on the source NAT address of a VPC",
        ));
    }
    super::addresses::public_port_conflict(s, ip, &protocol, (public_port, public_port))?;
    let (cidrs, _) = super::addresses::cidrs_param(cx, "cidrlist", "0.0.0.0/0")?;
    let fw = super::addresses::open_firewall_spec(cx, ip, &protocol, (public_port, public_port))?;
    let s = &mut *cx.state;
    s.ips[ip].network = Some(network);
    let idx = s.lbs.len();
    let id = s.rng.uuid();
    let account = s.ips[ip].account;
    s.lbs.push(LoadBalancer {
        id: id.clone(),
        name,
        description: cx.p.get("description").map(String::from),
        ip,
        network,
        account,
        algorithm,
        protocol,
        public_port,
        private_port,
        cidrs,
        members: Vec::new(),
        state: "Add",
        created: OffsetDateTime::now_utc(),
        pending_job: None,
        removed: false,
        removed_at: None,
    });
    s.index(&id, Ref::LoadBalancer(idx));
    if let Some((network, spec, cidrs)) = fw {
        super::addresses::add_firewall(
            s,
            Some(ip),
            network,
            account,
            &spec,
            cidrs,
            String::new(),
            false,
            Some(id.clone()),
            "Active",
        );
    }
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.CreateLoadBalancerRuleCmd",
        Some(("FirewallRule", id.clone())),
        Op::CreateLb(idx),
    );
    cx.state.lbs[idx].pending_job = Some(job);
    Ok(created_reply(cx.state, &id, job))
}

/// Adds a load balancer directly (seeded data).
pub(crate) fn seed_lb(
    s: &mut State,
    ip: usize,
    name: &str,
    ports: (u32, u32),
    members: Vec<usize>,
    when: OffsetDateTime,
) -> usize {
    let idx = s.lbs.len();
    let id = s.rng.uuid();
    let network = s.ips[ip].network.unwrap_or(0);
    s.lbs.push(LoadBalancer {
        id: id.clone(),
        name: name.into(),
        description: None,
        ip,
        network,
        account: s.ips[ip].account,
        algorithm: "roundrobin".into(),
        protocol: "tcp".into(),
        public_port: ports.0,
        private_port: ports.1,
        cidrs: "0.0.0.0/0".into(),
        members,
        state: "Active",
        created: when,
        pending_job: None,
        removed: false,
        removed_at: None,
    });
    s.index(&id, Ref::LoadBalancer(idx));
    idx
}

/// deleteLoadBalancerRule (asynchronous).
pub(crate) fn delete(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "id")?;
    let id = cx.state.lbs[lb].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.DeleteLoadBalancerRuleCmd",
        Some(("FirewallRule", id)),
        Op::DeleteLb(lb),
    );
    cx.state.lbs[lb].state = "Revoke";
    cx.state.lbs[lb].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// Removes a load balancer with its policies and the firewall rule it opened.
pub(crate) fn remove_lb(s: &mut State, lb: usize, when: OffsetDateTime) {
    let l = &mut s.lbs[lb];
    l.removed = true;
    l.state = "Revoke";
    l.removed_at = Some(when);
    l.pending_job = None;
    l.members.clear();
    let id = l.id.clone();
    for p in s.lb_policies.iter_mut().filter(|p| p.lb == lb) {
        p.removed = true;
    }
    super::addresses::drop_related(s, &id);
}

/// updateLoadBalancerRule (asynchronous): algorithm, name, description.
pub(crate) fn update(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "id")?;
    let algorithm = algorithm_param(cx)?;
    let id = cx.state.lbs[lb].id.clone();
    let op = Op::UpdateLb {
        lb,
        name: cx.p.get("name").map(String::from),
        algorithm,
        description: cx.p.get("description").map(String::from),
    };
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.UpdateLoadBalancerRuleCmd",
        Some(("FirewallRule", id)),
        op,
    );
    cx.state.lbs[lb].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

fn vms_param(cx: &Ctx) -> Result<Vec<usize>, ApiError> {
    let mut ids = cx.p.list("virtualmachineids");
    ids.extend(
        map_param(cx.p, "vmidipmap")
            .into_iter()
            .filter_map(|m| m.iter().find(|(k, _)| k == "vmid").map(|(_, v)| v.clone())),
    );
    if ids.is_empty() {
        return Err(ApiError::invalid(
            "Parameters virtualmachineids and vmidipmap can't be null at the same time",
        ));
    }
    let s = &*cx.state;
    let mut out = Vec::new();
    for id in ids {
        let vm = match s.ids.get(id.as_str()) {
            Some(Ref::Vm(v)) if !s.vms[*v].removed => *v,
            _ => {
                return Err(ApiError::invalid_value(
                    &cx.p.command_lc,
                    "virtualmachineids",
                    &id,
                ));
            }
        };
        s.check_access(&cx.caller, s.vms[vm].account, &id)?;
        if !out.contains(&vm) {
            out.push(vm);
        }
    }
    Ok(out)
}

/// assignToLoadBalancerRule (asynchronous).
pub(crate) fn assign(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "id")?;
    let vms = vms_param(cx)?;
    let s = &*cx.state;
    let l = &s.lbs[lb];
    for &vm in &vms {
        let v = &s.vms[vm];
        if v.network != l.network {
            return Err(ApiError::invalid(format!(
                "Can't assign vm {} to load balancer {}: the vm doesn't belong to the network of the load balancer ({})",
                v.id, l.id, s.networks[l.network].id
            )));
        }
        if matches!(
            v.state,
            VmState::Destroyed | VmState::Expunging | VmState::Error
        ) {
            return Err(ApiError::invalid(format!(
                "Invalid vm {}: it is in state {}",
                v.id,
                v.state.as_str()
            )));
        }
        if l.members.contains(&vm) {
            return Err(ApiError::invalid(format!(
                "VM {} is already mapped to load balancer {}",
                v.id, l.id
            )));
        }
    }
    let id = l.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.AssignToLoadBalancerRuleCmd",
        Some(("FirewallRule", id)),
        Op::AssignLb { lb, vms },
    );
    Ok(super::job_reply(cx.state, job))
}

/// removeFromLoadBalancerRule (asynchronous).
pub(crate) fn remove(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "id")?;
    let vms = vms_param(cx)?;
    let s = &*cx.state;
    if let Some(&vm) = vms.iter().find(|v| !s.lbs[lb].members.contains(v)) {
        return Err(ApiError::invalid(format!(
            "VM {} is not mapped to load balancer {}",
            s.vms[vm].id, s.lbs[lb].id
        )));
    }
    let id = s.lbs[lb].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.RemoveFromLoadBalancerRuleCmd",
        Some(("FirewallRule", id)),
        Op::RemoveLb { lb, vms },
    );
    Ok(super::job_reply(cx.state, job))
}

/// listLoadBalancerRules.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let name = p.get("name");
    let ip = p.get("publicipid");
    let network = p.get("networkid");
    let vm = p.get("virtualmachineid");
    let zone = p.get("zoneid");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.lbs.len())
        .filter(|&i| {
            let l = &s.lbs[i];
            !l.removed
                && scope.allows(l.account)
                && id.is_none_or(|x| l.id == x)
                && name.is_none_or(|x| l.name == x)
                && ip.is_none_or(|x| s.ips[l.ip].id == x)
                && network.is_none_or(|x| s.networks[l.network].id == x)
                && vm.is_none_or(|x| l.members.iter().any(|&m| s.vms[m].id == x))
                && zone.is_none_or(|x| s.zones[s.ips[l.ip].zone].id == x)
                && keyword_match(keyword, &[&l.name])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "loadbalancerrule",
        &matching,
        |&i| lb_json(s, i),
    )
}

/// The member state CloudStack reports (`servicestate`): Active while the VM runs.
fn member_state(s: &State, vm: usize) -> &'static str {
    if s.vms[vm].state == VmState::Running {
        "Active"
    } else {
        "Inactive"
    }
}

/// listLoadBalancerRuleInstances: the members, with `lbvmipaddresses` when `lbvmips=true`.
pub(crate) fn list_instances(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "id")?;
    let s = &*cx.state;
    let p = cx.p;
    let applied = p.flag_or("applied", true);
    let members: Vec<usize> = if applied {
        s.lbs[lb].members.clone()
    } else {
        (0..s.vms.len())
            .filter(|&v| {
                let vm = &s.vms[v];
                !vm.removed
                    && vm.network == s.lbs[lb].network
                    && !matches!(vm.state, VmState::Destroyed | VmState::Expunging)
                    && !s.lbs[lb].members.contains(&v)
            })
            .collect()
    };
    let render = |&v: &usize| {
        let mut vm = super::vms::vm_json(s, v, false);
        if let Some(o) = vm.as_object_mut() {
            o.insert("servicestate".into(), json!(member_state(s, v)));
        }
        vm
    };
    if p.flag_or("lbvmips", false) {
        page_of(p, s.knobs.max_page_size, "lbrulevmidip", &members, |v| {
            json!({
                "loadbalancerruleinstance": render(v),
                "lbvmipaddresses": [s.vms[*v].ip],
            })
        })
    } else {
        page_of(
            p,
            s.knobs.max_page_size,
            "loadbalancerruleinstance",
            &members,
            render,
        )
    }
}

/// `x[i].k=v` map parameters grouped by index (keys lower-cased), in index order.
pub(crate) fn map_param(p: &Params, name: &str) -> Vec<Vec<(String, String)>> {
    let prefix = format!("{name}[");
    let mut groups: std::collections::BTreeMap<u32, Vec<(String, String)>> = Default::default();
    for (k, v) in p.pairs() {
        let lk = k.to_lowercase();
        let Some(rest) = lk.strip_prefix(&prefix) else {
            continue;
        };
        let Some((idx, key)) = rest.split_once("].") else {
            continue;
        };
        if let Ok(i) = idx.parse::<u32>() {
            groups
                .entry(i)
                .or_default()
                .push((key.to_string(), v.to_string()));
        }
    }
    groups.into_values().collect()
}

fn policy_param(cx: &Ctx, health: bool) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, "id", |r| match r {
        Ref::LbPolicy(x) if !s.lb_policies[x].removed && s.lb_policies[x].health == health => {
            Some(x)
        }
        _ => None,
    })?;
    let lb = s.lb_policies[i].lb;
    s.check_access(&cx.caller, s.lbs[lb].account, &s.lb_policies[i].id)?;
    Ok(i)
}

fn positive(cx: &Ctx, name: &str, default: u32) -> Result<u32, ApiError> {
    match cx.p.int(name)? {
        None => Ok(default),
        Some(v) if v > 0 && v <= 600 => Ok(v as u32),
        Some(v) => Err(ApiError::invalid(format!(
            "Failed to create HealthCheck policy: Validation Failed ({name} {v} is out of range)"
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
fn add_policy(
    s: &mut State,
    lb: usize,
    health: bool,
    name: String,
    description: Option<String>,
    method: String,
    params: Vec<(String, String)>,
    health_values: (String, u32, u32, u32, u32),
) -> usize {
    let idx = s.lb_policies.len();
    let id = s.rng.uuid();
    let (ping_path, interval, timeout, healthy, unhealthy) = health_values;
    s.lb_policies.push(LbPolicy {
        id: id.clone(),
        lb,
        health,
        name,
        description,
        method,
        params,
        ping_path,
        interval,
        timeout,
        healthy,
        unhealthy,
        state: "Add",
        removed: false,
    });
    s.index(&id, Ref::LbPolicy(idx));
    idx
}

/// createLBHealthCheckPolicy (asynchronous).
pub(crate) fn create_health(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "lbruleid")?;
    let interval = positive(cx, "intervaltime", 5)?;
    let timeout = positive(cx, "responsetimeout", 2)?;
    let healthy = positive(cx, "healthythreshold", 2)?;
    let unhealthy = positive(cx, "unhealthythreshold", 10)?;
    if timeout > 60 {
        return Err(ApiError::invalid(
            "Failed to create HealthCheck policy: Validation Failed (response timeout should be between 1 and 60 seconds)",
        ));
    }
    if interval <= timeout {
        return Err(ApiError::invalid(
            "Failed to create HealthCheck policy: Validation Failed (Interval time must be greater than response timeout)",
        ));
    }
    let ping = cx.p.get("pingpath").unwrap_or("/").to_string();
    if !ping.starts_with('/') {
        return Err(ApiError::invalid(format!(
            "Failed to create HealthCheck policy: Validation Failed (invalid ping path {ping})"
        )));
    }
    let s = &mut *cx.state;
    if s.lb_policies
        .iter()
        .any(|p| !p.removed && p.health && p.lb == lb)
    {
        return Err(ApiError::invalid(format!(
            "HealthCheck policy already exists on the load balancer rule id: {}",
            s.lbs[lb].id
        )));
    }
    let idx = add_policy(
        s,
        lb,
        true,
        String::new(),
        cx.p.get("description").map(String::from),
        String::new(),
        Vec::new(),
        (ping, interval, timeout, healthy, unhealthy),
    );
    let id = s.lb_policies[idx].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.CreateLBHealthCheckPolicyCmd",
        Some(("LoadBalancerRule", id.clone())),
        Op::CreateLbPolicy(idx),
    );
    Ok(created_reply(cx.state, &id, job))
}

const STICKY_PARAMS: [(&str, &[&str]); 3] = [
    (
        "LbCookie",
        &[
            "cookie-name",
            "mode",
            "nocache",
            "indirect",
            "postonly",
            "domain",
        ],
    ),
    (
        "AppCookie",
        &[
            "cookie-name",
            "length",
            "holdtime",
            "request-learn",
            "prefix",
            "mode",
        ],
    ),
    ("SourceBased", &["tablesize", "expire"]),
];

/// createLBStickinessPolicy (asynchronous).
pub(crate) fn create_sticky(cx: &mut Ctx) -> Result<Value, ApiError> {
    let lb = lb_param(cx, "lbruleid")?;
    let name = cx.p.required("name")?.to_string();
    let raw = cx.p.required("methodname")?;
    let Some((method, allowed)) = STICKY_PARAMS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(raw))
        .copied()
    else {
        return Err(ApiError::invalid(format!(
            "Failed to create Stickiness policy: Validation Failed (Invalid method name {raw}; supported methods are LbCookie, AppCookie and SourceBased)"
        )));
    };
    let mut params = Vec::new();
    for group in map_param(cx.p, "param") {
        let get = |k: &str| group.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
        let (Some(k), Some(v)) = (get("name"), get("value")) else {
            return Err(ApiError {
                code: 430,
                cs_code: Some(9999),
                text: "Unable to execute API command createlbstickinesspolicy due to malformed param map: each param needs name and value".into(),
            });
        };
        if !allowed.contains(&k.to_lowercase().as_str()) {
            return Err(ApiError::invalid(format!(
                "Failed to create Stickiness policy: Validation Failed (param {k} is not supported for method {method})"
            )));
        }
        if matches!(k.as_str(), "length" | "holdtime" | "tablesize" | "expire")
            && !v
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            return Err(ApiError::invalid(format!(
                "Failed to create Stickiness policy: Validation Failed (invalid value {v} for param {k})"
            )));
        }
        params.push((k, v));
    }
    let s = &mut *cx.state;
    if s.lb_policies
        .iter()
        .any(|p| !p.removed && !p.health && p.lb == lb)
    {
        return Err(ApiError::invalid(format!(
            "Failed to create Stickiness policy: Validation Failed (Stickiness policy already exists on the load balancer rule id: {})",
            s.lbs[lb].id
        )));
    }
    let idx = add_policy(
        s,
        lb,
        false,
        name,
        cx.p.get("description").map(String::from),
        method.to_string(),
        params,
        (String::new(), 0, 0, 0, 0),
    );
    let id = s.lb_policies[idx].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.loadbalancer.CreateLBStickinessPolicyCmd",
        Some(("LoadBalancerRule", id.clone())),
        Op::CreateLbPolicy(idx),
    );
    Ok(created_reply(cx.state, &id, job))
}

/// deleteLBHealthCheckPolicy and deleteLBStickinessPolicy (asynchronous).
pub(crate) fn delete_policy(cx: &mut Ctx, health: bool) -> Result<Value, ApiError> {
    let i = policy_param(cx, health)?;
    let id = cx.state.lb_policies[i].id.clone();
    let class = if health {
        "org.apache.cloudstack.api.command.user.loadbalancer.DeleteLBHealthCheckPolicyCmd"
    } else {
        "org.apache.cloudstack.api.command.user.loadbalancer.DeleteLBStickinessPolicyCmd"
    };
    cx.state.lb_policies[i].state = "Revoke";
    let job = submit_op(
        cx,
        class,
        Some(("LoadBalancerRule", id)),
        Op::DeleteLbPolicy(i),
    );
    Ok(super::job_reply(cx.state, job))
}

fn policy_item(s: &State, i: usize) -> Value {
    let p = &s.lb_policies[i];
    let mut out = if p.health {
        json!({
            "id": p.id,
            "pingpath": p.ping_path,
            "responsetime": p.timeout,
            "healthcheckinterval": p.interval,
            "healthcheckthresshold": p.healthy,
            "unhealthcheckthresshold": p.unhealthy,
            "state": p.state,
            "fordisplay": true,
        })
    } else {
        let params: Map<String, Value> = p
            .params
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "id": p.id,
            "name": p.name,
            "methodname": p.method,
            "params": params,
            "state": p.state,
            "fordisplay": true,
        })
    };
    if let (Some(d), Some(o)) = (&p.description, out.as_object_mut()) {
        o.insert("description".into(), json!(d));
    }
    out
}

/// The per-rule response holding a rule's policies of one kind.
fn policies_json(s: &State, lb: usize, health: bool, only: Option<usize>) -> Value {
    let l = &s.lbs[lb];
    let account = &s.accounts[l.account];
    let items: Vec<Value> = (0..s.lb_policies.len())
        .filter(|&i| {
            let p = &s.lb_policies[i];
            p.lb == lb && p.health == health && (only == Some(i) || (only.is_none() && !p.removed))
        })
        .map(|i| policy_item(s, i))
        .collect();
    let mut out = json!({
        "lbruleid": l.id,
        "account": account.name,
        "domainid": s.domains[account.domain].id,
        "domain": s.domains[account.domain].name,
        "zoneid": s.zones[s.ips[l.ip].zone].id,
    });
    let o = out.as_object_mut().expect("object");
    if health {
        o.insert("healthcheckpolicy".into(), Value::Array(items));
    } else {
        o.insert("name".into(), json!(l.name));
        o.insert("stickinesspolicy".into(), Value::Array(items));
    }
    out
}

/// listLBHealthCheckPolicies and listLBStickinessPolicies (by `lbruleid` or policy `id`).
pub(crate) fn list_policies(cx: &mut Ctx, health: bool) -> Result<Value, ApiError> {
    let lb = if cx.p.get("lbruleid").is_some() {
        lb_param(cx, "lbruleid")?
    } else if cx.p.get("id").is_some() {
        let i = policy_param(cx, health)?;
        cx.state.lb_policies[i].lb
    } else {
        return Err(ApiError::invalid(
            "Either load balancer rule id or policy id must be specified",
        ));
    };
    let s = &*cx.state;
    let key = if health {
        "healthcheckpolicies"
    } else {
        "stickinesspolicies"
    };
    page_of(cx.p, s.knobs.max_page_size, key, &[lb], |&lb| {
        policies_json(s, lb, health, None)
    })
}

/// Completes load balancer operations.
pub(crate) fn complete(s: &mut State, op: Op, when: OffsetDateTime) -> Result<Value, ApiError> {
    match op {
        Op::CreateLb(lb) => {
            s.lbs[lb].pending_job = None;
            if s.lbs[lb].removed {
                return Err(ApiError::invalid(
                    "The load balancer rule was removed before it was applied",
                ));
            }
            s.lbs[lb].state = "Active";
            Ok(json!({ "loadbalancer": lb_json(s, lb) }))
        }
        Op::DeleteLb(lb) => {
            remove_lb(s, lb, when);
            Ok(success())
        }
        Op::UpdateLb {
            lb,
            name,
            algorithm,
            description,
        } => {
            let l = &mut s.lbs[lb];
            l.pending_job = None;
            if let Some(n) = name {
                l.name = n;
            }
            if let Some(a) = algorithm {
                l.algorithm = a;
            }
            if description.is_some() {
                l.description = description;
            }
            Ok(json!({ "loadbalancer": lb_json(s, lb) }))
        }
        Op::AssignLb { lb, vms } => {
            if s.lbs[lb].removed {
                return Err(ApiError::invalid("The load balancer rule no longer exists"));
            }
            for vm in vms {
                if !s.lbs[lb].members.contains(&vm) {
                    s.lbs[lb].members.push(vm);
                }
            }
            Ok(success())
        }
        Op::RemoveLb { lb, vms } => {
            s.lbs[lb].members.retain(|m| !vms.contains(m));
            Ok(success())
        }
        Op::CreateLbPolicy(i) => {
            let lb = s.lb_policies[i].lb;
            if s.lbs[lb].removed {
                s.lb_policies[i].removed = true;
                return Err(ApiError::invalid("The load balancer rule no longer exists"));
            }
            s.lb_policies[i].state = "Active";
            let health = s.lb_policies[i].health;
            let key = if health {
                "healthcheckpolicies"
            } else {
                "stickinesspolicies"
            };
            Ok(json!({ key: policies_json(s, lb, health, Some(i)) }))
        }
        Op::DeleteLbPolicy(i) => {
            s.lb_policies[i].removed = true;
            Ok(success())
        }
        _ => unreachable!("not a load balancer operation"),
    }
}
