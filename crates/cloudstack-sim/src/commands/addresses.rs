//! Public addresses, firewall rules and port forwarding.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply};
use crate::error::ApiError;
use crate::state::jobs::{Action, with_pending};
use crate::state::model::{FirewallRule, PortForward};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, ts};

/// The `ipaddress` / `publicipaddress` object.
pub(crate) fn ip_json(s: &State, i: usize) -> Value {
    let ip = &s.ips[i];
    let account = &s.accounts[ip.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[ip.zone];
    let net = &s.networks[ip.network];
    let has_rules = s.firewall.iter().any(|r| r.ip == i && !r.removed)
        || s.port_forwards.iter().any(|r| r.ip == i && !r.removed);
    let out = json!({
        "id": ip.id,
        "ipaddress": ip.address,
        "allocated": ts(ip.allocated),
        "zoneid": zone.id,
        "zonename": zone.name,
        "issourcenat": ip.source_nat,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "forvirtualnetwork": true,
        "vlanid": ip.vlan_id,
        "vlanname": "vlan://untagged",
        "isstaticnat": false,
        "issystem": false,
        "associatednetworkid": net.id,
        "associatednetworkname": net.name,
        "networkid": zone.id,
        "state": ip.state,
        "isportable": false,
        "fordisplay": true,
        "hasrules": has_rules,
        "tags": [],
    });
    with_pending(out, s.pending(ip.pending_job))
}

fn ip_param(cx: &Ctx) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, "ipaddressid", |r| match r {
        Ref::Ip(x) if !s.ips[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.ips[i].account, &s.ips[i].id)?;
    Ok(i)
}

/// associateIpAddress (asynchronous).
pub(crate) fn associate(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let network = cx.state.lookup_opt(p, "networkid", |r| match r {
        Ref::Network(n) => Some(n),
        _ => None,
    })?;
    let zone = cx.state.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let network = match (network, zone) {
        (Some(n), _) => {
            let owner = cx.state.networks[n].account;
            cx.state
                .check_access(&cx.caller, owner, &cx.state.networks[n].id)?;
            n
        }
        (None, Some(z)) => super::networks::default_network(cx.state, account, z),
        (None, None) => {
            return Err(ApiError::invalid(
                "Unable to figure out zone to assign IP to. Please specify either zoneId, or networkId, or vpcId in the call",
            ));
        }
    };
    let s = &mut *cx.state;
    let zone = s.networks[network].zone;
    let ip =
        super::networks::allocate_ip(s, account, zone, network, false, OffsetDateTime::now_utc());
    s.ips[ip].state = "Allocating";
    let id = s.ips[ip].id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.address.AssociateIPAddrCmd",
        Some(("IpAddress", id.clone())),
        s.knobs.job_delay,
        None,
        Action::AssociateIp(ip),
    );
    s.ips[ip].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

/// listPublicIpAddresses.
pub(crate) fn list_ips(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let address = p.get("ipaddress");
    let zone = p.get("zoneid");
    let network = p.get("associatednetworkid");
    let source_nat = p.flag("issourcenat");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.ips.len())
        .filter(|&i| {
            let ip = &s.ips[i];
            !ip.removed
                && scope.allows(ip.account)
                && id.is_none_or(|x| ip.id == x)
                && address.is_none_or(|x| ip.address == x)
                && zone.is_none_or(|x| s.zones[ip.zone].id == x)
                && network.is_none_or(|x| s.networks[ip.network].id == x)
                && source_nat.is_none_or(|x| ip.source_nat == x)
                && keyword_match(keyword, &[&ip.address])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "publicipaddress",
        &matching,
        |&i| ip_json(s, i),
    )
}

fn check_protocol(protocol: &str) -> Result<String, ApiError> {
    let lc = protocol.to_lowercase();
    if ["tcp", "udp", "icmp", "all"].contains(&lc.as_str()) {
        Ok(lc)
    } else {
        Err(ApiError::invalid(format!(
            "Invalid protocol {protocol}; only tcp, udp, icmp and all are supported"
        )))
    }
}

fn port(cx: &Ctx, name: &str) -> Result<Option<u32>, ApiError> {
    match cx.p.int(name)? {
        None => Ok(None),
        Some(v) if (1..=65535).contains(&v) => Ok(Some(v as u32)),
        Some(v) => Err(ApiError::invalid(format!(
            "Invalid port specified: {v}; port should be in range 1-65535"
        ))),
    }
}

/// createFirewallRule (asynchronous).
pub(crate) fn create_firewall(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let protocol = check_protocol(cx.p.required("protocol")?)?;
    let start = port(cx, "startport")?;
    let end = port(cx, "endport")?.or(start);
    if let (Some(a), Some(b)) = (start, end)
        && a > b
    {
        return Err(ApiError::invalid(format!(
            "Start port can't be bigger than end port: {a} > {b}"
        )));
    }
    let cidrs = cx.p.get("cidrlist").unwrap_or("0.0.0.0/0").to_string();
    let s = &mut *cx.state;
    if let Some(r) = s.firewall.iter().find(|r| {
        !r.removed
            && r.ip == ip
            && r.protocol == protocol
            && overlaps((r.start, r.end), (start, end))
    }) {
        return Err(ApiError::rule_conflict(format!(
            "The range specified, {}-{}, conflicts with rule {} which has {}-{}",
            start.unwrap_or(0),
            end.unwrap_or(0),
            r.id,
            r.start.unwrap_or(0),
            r.end.unwrap_or(0)
        )));
    }
    let idx = s.firewall.len();
    let id = s.rng.uuid();
    s.firewall.push(FirewallRule {
        id: id.clone(),
        ip,
        account: s.ips[ip].account,
        protocol,
        start,
        end,
        cidrs,
        state: "Add",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::Firewall(idx));
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.firewall.CreateFirewallRuleCmd",
        Some(("FirewallRule", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateFirewallRule(idx),
    );
    s.firewall[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

fn overlaps(a: (Option<u32>, Option<u32>), b: (Option<u32>, Option<u32>)) -> bool {
    let (a0, a1) = (a.0.unwrap_or(1), a.1.unwrap_or(65535));
    let (b0, b1) = (b.0.unwrap_or(1), b.1.unwrap_or(65535));
    a0 <= b1 && b0 <= a1
}

/// The `firewallrule` object.
pub(crate) fn firewall_json(s: &State, i: usize) -> Value {
    let r = &s.firewall[i];
    let ip = &s.ips[r.ip];
    let mut out = json!({
        "id": r.id,
        "protocol": r.protocol,
        "ipaddressid": ip.id,
        "ipaddress": ip.address,
        "networkid": s.networks[ip.network].id,
        "state": r.state,
        "cidrlist": r.cidrs,
        "traffictype": "Ingress",
        "fordisplay": true,
        "tags": [],
    });
    if let (Some(a), Some(b), Some(o)) = (r.start, r.end, out.as_object_mut()) {
        o.insert("startport".into(), json!(a));
        o.insert("endport".into(), json!(b));
    }
    with_pending(out, s.pending(r.pending_job))
}

/// listFirewallRules.
pub(crate) fn list_firewall(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let ip = p.get("ipaddressid");
    let network = p.get("networkid");
    let matching: Vec<usize> = (0..s.firewall.len())
        .filter(|&i| {
            let r = &s.firewall[i];
            !r.removed
                && scope.allows(r.account)
                && id.is_none_or(|x| r.id == x)
                && ip.is_none_or(|x| s.ips[r.ip].id == x)
                && network.is_none_or(|x| s.networks[s.ips[r.ip].network].id == x)
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "firewallrule", &matching, |&i| {
        firewall_json(s, i)
    })
}

/// createPortForwardingRule (asynchronous).
pub(crate) fn create_port_forward(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let protocol = check_protocol(cx.p.required("protocol")?)?;
    if protocol != "tcp" && protocol != "udp" {
        return Err(ApiError::invalid(format!(
            "Unable to create port forwarding rule with protocol {protocol}"
        )));
    }
    let public_start = port(cx, "publicport")?.unwrap_or(1);
    let public_end = port(cx, "publicendport")?.unwrap_or(public_start);
    let private_start = port(cx, "privateport")?.unwrap_or(1);
    let private_end = port(cx, "privateendport")?.unwrap_or(private_start);
    let s = &mut *cx.state;
    if s.vms[vm].network != s.ips[ip].network {
        return Err(ApiError::invalid(format!(
            "Unable to create port forwarding rule; the VM {} is not in the network of the IP address {}",
            s.vms[vm].id, s.ips[ip].address
        )));
    }
    if let Some(r) = s.port_forwards.iter().find(|r| {
        !r.removed
            && r.ip == ip
            && r.protocol == protocol
            && overlaps(
                (Some(r.public.0), Some(r.public.1)),
                (Some(public_start), Some(public_end)),
            )
    }) {
        return Err(ApiError::rule_conflict(format!(
            "The range specified, {public_start}-{public_end}, conflicts with rule {} which has {}-{}",
            r.id, r.public.0, r.public.1
        )));
    }
    let idx = s.port_forwards.len();
    let id = s.rng.uuid();
    s.port_forwards.push(PortForward {
        id: id.clone(),
        ip,
        vm,
        account: s.ips[ip].account,
        protocol,
        public: (public_start, public_end),
        private: (private_start, private_end),
        cidrs: cx.p.get("cidrlist").unwrap_or("").to_string(),
        state: "Add",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::PortForward(idx));
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.firewall.CreatePortForwardingRuleCmd",
        Some(("FirewallRule", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreatePortForward(idx),
    );
    s.port_forwards[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

/// The `portforwardingrule` object.
pub(crate) fn port_forward_json(s: &State, i: usize) -> Value {
    let r = &s.port_forwards[i];
    let ip = &s.ips[r.ip];
    let vm = &s.vms[r.vm];
    let out = json!({
        "id": r.id,
        "privateport": r.private.0.to_string(),
        "privateendport": r.private.1.to_string(),
        "protocol": r.protocol,
        "publicport": r.public.0.to_string(),
        "publicendport": r.public.1.to_string(),
        "virtualmachineid": vm.id,
        "virtualmachinename": vm.name,
        "virtualmachinedisplayname": vm.display,
        "ipaddressid": ip.id,
        "ipaddress": ip.address,
        "vmguestip": vm.ip,
        "networkid": s.networks[ip.network].id,
        "state": r.state,
        "cidrlist": r.cidrs,
        "fordisplay": true,
        "tags": [],
    });
    with_pending(out, s.pending(r.pending_job))
}

/// listPortForwardingRules.
pub(crate) fn list_port_forwards(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let ip = p.get("ipaddressid");
    let network = p.get("networkid");
    let matching: Vec<usize> = (0..s.port_forwards.len())
        .filter(|&i| {
            let r = &s.port_forwards[i];
            !r.removed
                && scope.allows(r.account)
                && id.is_none_or(|x| r.id == x)
                && ip.is_none_or(|x| s.ips[r.ip].id == x)
                && network.is_none_or(|x| s.networks[s.ips[r.ip].network].id == x)
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "portforwardingrule",
        &matching,
        |&i| port_forward_json(s, i),
    )
}

/// Completes address and rule jobs.
pub(crate) fn complete(s: &mut State, action: Action) -> Result<Value, ApiError> {
    match action {
        Action::AssociateIp(i) => {
            s.ips[i].pending_job = None;
            s.ips[i].state = "Allocated";
            Ok(json!({ "ipaddress": ip_json(s, i) }))
        }
        Action::CreateFirewallRule(i) => {
            s.firewall[i].pending_job = None;
            s.firewall[i].state = "Active";
            Ok(json!({ "firewallrule": firewall_json(s, i) }))
        }
        Action::CreatePortForward(i) => {
            s.port_forwards[i].pending_job = None;
            s.port_forwards[i].state = "Active";
            Ok(json!({ "portforwardingrule": port_forward_json(s, i) }))
        }
        _ => unreachable!("not an address job"),
    }
}
