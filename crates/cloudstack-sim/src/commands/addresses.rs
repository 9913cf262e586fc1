//! Public addresses, static NAT, firewall and egress rules, port forwarding.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply, submit_op};
use crate::error::ApiError;
use crate::state::cidr::{Cidr, cidr_list, parse_ip};
use crate::state::jobs::{Action, Op, with_pending};
use crate::state::model::{FirewallRule, PortForward, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

/// The `ipaddress` / `publicipaddress` object.
pub(crate) fn ip_json(s: &State, i: usize) -> Value {
    let ip = &s.ips[i];
    let account = &s.accounts[ip.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[ip.zone];
    let has_rules = s.firewall.iter().any(|r| r.ip == Some(i) && !r.removed)
        || s.port_forwards.iter().any(|r| r.ip == i && !r.removed)
        || s.lbs.iter().any(|r| r.ip == i && !r.removed);
    let mut out = json!({
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
        "isstaticnat": ip.static_nat.is_some(),
        "issystem": false,
        "networkid": zone.id,
        "state": ip.state,
        "isportable": false,
        "fordisplay": true,
        "hasrules": has_rules,
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
    if let Some(n) = ip.network {
        o.insert("associatednetworkid".into(), json!(s.networks[n].id));
        o.insert("associatednetworkname".into(), json!(s.networks[n].name));
    }
    if let Some(v) = ip.vpc {
        o.insert("vpcid".into(), json!(s.vpcs[v].id));
        o.insert("vpcname".into(), json!(s.vpcs[v].name));
    }
    if let Some(vm) = ip.static_nat {
        let vm = &s.vms[vm];
        o.insert("virtualmachineid".into(), json!(vm.id));
        o.insert("virtualmachinename".into(), json!(vm.name));
        o.insert("virtualmachinedisplayname".into(), json!(vm.display));
        o.insert("virtualmachinetype".into(), json!("UserVm"));
        o.insert("vmipaddress".into(), json!(vm.ip));
    }
    with_pending(out, s.pending(ip.pending_job))
}

/// Resolves an address id parameter the caller may act on.
pub(crate) fn ip_by(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, name, |r| match r {
        Ref::Ip(x) if !s.ips[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.ips[i].account, &s.ips[i].id)?;
    Ok(i)
}

fn ip_param(cx: &Ctx) -> Result<usize, ApiError> {
    ip_by(cx, "ipaddressid")
}

/// associateIpAddress (asynchronous): to a network, a VPC, or the account's network in a zone.
pub(crate) fn associate(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let network = cx.state.lookup_opt(p, "networkid", |r| match r {
        Ref::Network(n) => Some(n),
        _ => None,
    })?;
    let vpc = cx.state.lookup_opt(p, "vpcid", |r| match r {
        Ref::Vpc(v) => Some(v),
        _ => None,
    })?;
    let zone = cx.state.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let (network, vpc) = match (network, vpc, zone) {
        (Some(_), Some(_), _) => {
            return Err(ApiError::invalid(
                "Network and VPC can't be specified together",
            ));
        }
        (Some(n), None, _) => {
            let s = &*cx.state;
            if s.networks[n].removed {
                return Err(ApiError::invalid_value(
                    &p.command_lc,
                    "networkid",
                    p.get("networkid").unwrap_or(""),
                ));
            }
            s.check_access(&cx.caller, s.networks[n].account, &s.networks[n].id)?;
            if s.network_offerings[s.networks[n].offering].guest_ip_type == "L2" {
                return Err(ApiError::invalid(format!(
                    "Can't associate ip address to network {} of type L2",
                    s.networks[n].id
                )));
            }
            (Some(n), s.networks[n].vpc)
        }
        (None, Some(v), _) => {
            let s = &*cx.state;
            if s.vpcs[v].removed {
                return Err(ApiError::invalid_value(
                    &p.command_lc,
                    "vpcid",
                    p.get("vpcid").unwrap_or(""),
                ));
            }
            s.check_access(&cx.caller, s.vpcs[v].account, &s.vpcs[v].id)?;
            (None, Some(v))
        }
        (None, None, Some(z)) => (
            Some(super::networks::default_network(cx.state, account, z)),
            None,
        ),
        (None, None, None) => {
            return Err(ApiError::invalid(
                "Unable to figure out zone to assign IP to. Please specify either zoneId, or networkId, or vpcId in the call",
            ));
        }
    };
    super::limits::check_held(cx.state, account, 1, 1)?;
    let s = &mut *cx.state;
    let zone = match (network, vpc) {
        (Some(n), _) => s.networks[n].zone,
        (None, Some(v)) => s.vpcs[v].zone,
        _ => unreachable!("one of them is set"),
    };
    if let Some(addr) = p.get("ipaddress") {
        if parse_ip(addr).is_none() {
            return Err(ApiError::invalid(format!("Invalid ip address {addr}")));
        }
        if s.ips.iter().any(|x| !x.removed && x.address == addr) {
            return Err(ApiError::invalid(format!(
                "IP address {addr} is already allocated"
            )));
        }
    }
    let now = OffsetDateTime::now_utc();
    // A VPC tier's address belongs to the VPC (and is associated with the tier by its rules).
    let net_for_ip = network;
    if let Some(n) = net_for_ip
        && vpc.is_none()
    {
        super::networks::implement(s, n, now);
    }
    let ip = super::networks::allocate_ip(s, account, zone, net_for_ip, false, now);
    if let Some(addr) = p.get("ipaddress") {
        s.ips[ip].address = addr.to_string();
    }
    s.ips[ip].vpc = vpc;
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
    let (addr, name) = (s.ips[ip].address.clone(), s.ips[ip].address.clone());
    s.event(
        &cx.caller,
        "NET.IPASSIGN",
        format!("Assigned public IP address: {addr}"),
        Some(("IpAddress", id.clone(), name)),
        now,
    );
    Ok(created_reply(s, &id, job))
}

/// disassociateIpAddress (asynchronous): releases the address and drops every rule on it.
pub(crate) fn disassociate(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = if cx.p.get("id").is_some() {
        ip_by(cx, "id")?
    } else if let Some(addr) = cx.p.get("ipaddress") {
        let s = &*cx.state;
        let i = s
            .ips
            .iter()
            .position(|x| !x.removed && x.address == addr)
            .ok_or_else(|| ApiError::invalid_value(&cx.p.command_lc, "ipaddress", addr))?;
        s.check_access(&cx.caller, s.ips[i].account, &s.ips[i].id)?;
        i
    } else {
        return Err(ApiError::invalid(
            "Either IP address or IP address ID should be specified",
        ));
    };
    let s = &mut *cx.state;
    if s.ips[ip].source_nat {
        return Err(ApiError::invalid(
            "ip address is used for source nat purposes and can not be disassociated.",
        ));
    }
    if s.pending(s.ips[ip].pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "Unable to release IP address {}: an operation is in progress on it",
            s.ips[ip].address
        )));
    }
    s.ips[ip].state = "Releasing";
    let id = s.ips[ip].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.address.DisassociateIPAddrCmd",
        Some(("IpAddress", id)),
        Op::DisassociateIp(ip),
    );
    cx.state.ips[ip].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// Drops every rule on an address: firewall, port forwarding, load balancers, static NAT.
pub(crate) fn drop_ip_rules(s: &mut State, ip: usize, when: OffsetDateTime) {
    for r in s
        .firewall
        .iter_mut()
        .filter(|r| r.ip == Some(ip) && !r.removed)
    {
        r.removed = true;
        r.state = "Revoke";
    }
    for r in s
        .port_forwards
        .iter_mut()
        .filter(|r| r.ip == ip && !r.removed)
    {
        r.removed = true;
        r.state = "Revoke";
    }
    for lb in 0..s.lbs.len() {
        if s.lbs[lb].ip == ip && !s.lbs[lb].removed {
            super::lb::remove_lb(s, lb, when);
        }
    }
    s.ips[ip].static_nat = None;
}

/// Releases an address: its rules go, its usage stops.
pub(crate) fn release_ip(s: &mut State, ip: usize, when: OffsetDateTime) {
    drop_ip_rules(s, ip, when);
    let x = &mut s.ips[ip];
    x.removed = true;
    x.state = "Released";
    x.released = Some(when);
    x.pending_job = None;
}

/// An expunged VM leaves its port forwarding rules (and the firewall rules they opened), its
/// load balancer memberships, its static NAT and its VM snapshots behind.
pub(crate) fn forget_vm(s: &mut State, vm: usize, when: OffsetDateTime) {
    let pfs: Vec<String> = s
        .port_forwards
        .iter_mut()
        .filter(|r| r.vm == vm && !r.removed)
        .map(|r| {
            r.removed = true;
            r.state = "Revoke";
            r.id.clone()
        })
        .collect();
    for id in pfs {
        drop_related(s, &id);
    }
    for lb in s.lbs.iter_mut() {
        lb.members.retain(|&m| m != vm);
    }
    for ip in s.ips.iter_mut().filter(|ip| ip.static_nat == Some(vm)) {
        ip.static_nat = None;
    }
    for x in s
        .vm_snapshots
        .iter_mut()
        .filter(|x| x.vm == vm && !x.removed)
    {
        x.removed = true;
        x.removed_at = Some(when);
    }
}

/// A removed account's rules, load balancers, VPCs, snapshots and policies go with it.
pub(crate) fn forget_account(s: &mut State, a: usize, when: OffsetDateTime) {
    for r in s.firewall.iter_mut().filter(|r| r.account == a) {
        r.removed = true;
    }
    for r in s.port_forwards.iter_mut().filter(|r| r.account == a) {
        r.removed = true;
    }
    for lb in 0..s.lbs.len() {
        if s.lbs[lb].account == a && !s.lbs[lb].removed {
            super::lb::remove_lb(s, lb, when);
        }
    }
    for v in 0..s.vpcs.len() {
        if s.vpcs[v].account == a {
            s.vpcs[v].removed = true;
            for l in s.acl_lists.iter_mut().filter(|l| l.vpc == Some(v)) {
                l.removed = true;
            }
        }
    }
    for sn in s
        .snapshots
        .iter_mut()
        .filter(|x| x.account == a && !x.removed)
    {
        sn.removed = true;
        sn.removed_at = Some(when);
    }
    for x in s
        .vm_snapshots
        .iter_mut()
        .filter(|x| x.account == a && !x.removed)
    {
        x.removed = true;
        x.removed_at = Some(when);
    }
    for p in s.snapshot_policies.iter_mut().filter(|p| p.account == a) {
        p.removed = true;
    }
    for t in s.templates.iter_mut().filter(|t| t.account == a && a != 0) {
        t.removed = true;
    }
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
    let vpc = p.get("vpcid");
    let source_nat = p.flag("issourcenat");
    let static_nat = p.flag("isstaticnat");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.ips.len())
        .filter(|&i| {
            let ip = &s.ips[i];
            !ip.removed
                && scope.allows(ip.account)
                && id.is_none_or(|x| ip.id == x)
                && address.is_none_or(|x| ip.address == x)
                && zone.is_none_or(|x| s.zones[ip.zone].id == x)
                && network.is_none_or(|x| ip.network.is_some_and(|n| s.networks[n].id == x))
                && vpc.is_none_or(|x| ip.vpc.is_some_and(|v| s.vpcs[v].id == x))
                && source_nat.is_none_or(|x| ip.source_nat == x)
                && static_nat.is_none_or(|x| ip.static_nat.is_some() == x)
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

/// The network a VPC address serves `vm` through: its own, or the VM's tier in the same VPC
/// (which the address then gets associated with).
pub(crate) fn network_for_vm(s: &mut State, ip: usize, vm: usize) -> Result<usize, ApiError> {
    let vm_net = s.vms[vm].network;
    let ok = match (s.ips[ip].network, s.ips[ip].vpc) {
        (Some(n), _) => n == vm_net,
        (None, Some(v)) => s.networks[vm_net].vpc == Some(v),
        (None, None) => false,
    };
    if !ok {
        return Err(ApiError::invalid(format!(
            "Virtual machine {} is not in the network of the IP address {}",
            s.vms[vm].id, s.ips[ip].address
        )));
    }
    if matches!(
        s.vms[vm].state,
        VmState::Destroyed | VmState::Expunging | VmState::Error
    ) {
        return Err(ApiError::invalid(format!(
            "Invalid user vm: {} is in state {}",
            s.vms[vm].id,
            s.vms[vm].state.as_str()
        )));
    }
    Ok(vm_net)
}

/// enableStaticNat (synchronous).
pub(crate) fn enable_static_nat(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let s = &mut *cx.state;
    let addr = s.ips[ip].address.clone();
    if s.ips[ip].source_nat {
        return Err(ApiError::invalid(format!(
            "Can't enable static, ip address {addr} is a sourceNat ip address"
        )));
    }
    if let Some(n) = s.lookup_opt(cx.p, "networkid", |r| match r {
        Ref::Network(n) => Some(n),
        _ => None,
    })? && s.vms[vm].network != n
    {
        return Err(ApiError::invalid(format!(
            "Virtual machine {} doesn't have a nic in network {}",
            s.vms[vm].id, s.networks[n].id
        )));
    }
    if let Some(g) = cx.p.get("vmguestip")
        && g != s.vms[vm].ip
    {
        return Err(ApiError::invalid(format!(
            "Invalid vm ip address {g} of the vm {}",
            s.vms[vm].id
        )));
    }
    if let Some(other) = s.ips[ip].static_nat {
        if other == vm {
            return Err(ApiError::rule_conflict(format!(
                "Static nat is already enabled for the ip address {addr} and vm id={}",
                s.vms[vm].id
            )));
        }
        return Err(ApiError::rule_conflict(format!(
            "Failed to enable static for the ip address {addr} and vm id={} as it's already assigned to antoher vm",
            s.vms[vm].id
        )));
    }
    if s.port_forwards.iter().any(|r| r.ip == ip && !r.removed) {
        return Err(ApiError::rule_conflict(format!(
            "Failed to enable static nat for the ip address {addr} as it already has PortForwarding rules assigned"
        )));
    }
    if s.lbs.iter().any(|r| r.ip == ip && !r.removed) {
        return Err(ApiError::rule_conflict(format!(
            "Failed to enable static nat for the ip address {addr} as it already has LoadBalancing rules assigned"
        )));
    }
    if let Some(old) = s
        .ips
        .iter()
        .position(|x| !x.removed && x.static_nat == Some(vm))
    {
        return Err(ApiError::rule_conflict(format!(
            "Failed to enable static nat for the ip address id={} as vm id={} is already associated with ip id={}",
            s.ips[ip].id, s.vms[vm].id, s.ips[old].id
        )));
    }
    let net = network_for_vm(s, ip, vm)?;
    s.ips[ip].network = Some(net);
    s.ips[ip].static_nat = Some(vm);
    let (id, name) = (s.ips[ip].id.clone(), addr.clone());
    s.event(
        &cx.caller,
        "STATICNAT.ENABLE",
        format!("Enabled static NAT on {addr} for VM {}", s.vms[vm].name),
        Some(("IpAddress", id, name)),
        OffsetDateTime::now_utc(),
    );
    Ok(success())
}

/// disableStaticNat (asynchronous).
pub(crate) fn disable_static_nat(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let s = &*cx.state;
    if s.ips[ip].static_nat.is_none() {
        return Err(ApiError::invalid(
            "Specified IP address id is not associated with any vm Id",
        ));
    }
    let id = s.ips[ip].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.nat.DisableStaticNatCmd",
        Some(("IpAddress", id)),
        Op::DisableStaticNat(ip),
    );
    Ok(super::job_reply(cx.state, job))
}

/// Protocol, ports and ICMP of a rule, checked like FirewallManagerImpl.validateFirewallRule.
#[derive(Debug, Clone)]
pub(crate) struct RuleSpec {
    pub protocol: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub icmp_type: Option<i64>,
    pub icmp_code: Option<i64>,
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

/// Parses and checks protocol, startport/endport (or other names) and icmptype/icmpcode.
/// `numbers` allows protocol numbers 0-255 (network ACLs).
pub(crate) fn rule_spec(
    cx: &Ctx,
    ports: (&str, &str),
    numbers: bool,
    default_protocol: Option<&str>,
) -> Result<RuleSpec, ApiError> {
    let raw = match default_protocol {
        Some(d) => cx.p.get("protocol").unwrap_or(d),
        None => cx.p.required("protocol")?,
    };
    let protocol = raw.to_lowercase();
    let known = ["tcp", "udp", "icmp", "all"].contains(&protocol.as_str());
    let number_ok = numbers && protocol.parse::<u32>().is_ok_and(|n| n <= 255);
    if !known && !number_ok {
        return Err(ApiError::invalid(if numbers {
            format!(
                "Invalid protocol: {raw}; protocol should be tcp, udp, icmp, all or a protocol number 0-255"
            )
        } else {
            format!("Invalid protocol {raw}; only tcp, udp, icmp and all are supported")
        }));
    }
    let start = port(cx, ports.0)?;
    let end = port(cx, ports.1)?.or(start);
    let start = start.or(if cx.p.get(ports.1).is_some() {
        end
    } else {
        None
    });
    if let (Some(a), Some(b)) = (start, end)
        && a > b
    {
        return Err(ApiError::invalid(format!(
            "Start port can't be bigger than end port: {a} > {b}"
        )));
    }
    let icmp_type = cx.p.int("icmptype")?;
    let icmp_code = cx.p.int("icmpcode")?;
    let (mut icmp_type, mut icmp_code) = (icmp_type, icmp_code);
    if protocol == "icmp" {
        if start.is_some() {
            return Err(ApiError::invalid(
                "Can't specify start/end port when protocol is ICMP",
            ));
        }
        if let Some(t) = icmp_type
            && !(-1..=255).contains(&t)
        {
            return Err(ApiError::invalid(
                "Invalid icmp type; should belong to [0-255] range",
            ));
        }
        if let Some(c) = icmp_code
            && !(-1..=15).contains(&c)
        {
            return Err(ApiError::invalid(
                "Invalid icmp code; should belong to [0-15] range and can be defined when icmpType belongs to [0-40] range",
            ));
        }
        icmp_type = Some(icmp_type.unwrap_or(-1));
        icmp_code = Some(icmp_code.unwrap_or(-1));
    } else {
        if icmp_type.is_some() || icmp_code.is_some() {
            return Err(ApiError::invalid(
                "Can specify icmpCode and icmpType for ICMP protocol only",
            ));
        }
        if protocol != "tcp" && protocol != "udp" && start.is_some() {
            return Err(ApiError::invalid(format!(
                "Do not pass ports to protocol {raw}, protocol {raw} do not require ports. Unable to create rule for protocol {raw}"
            )));
        }
        icmp_type = None;
        icmp_code = None;
    }
    Ok(RuleSpec {
        protocol,
        start,
        end,
        icmp_type,
        icmp_code,
    })
}

/// A CIDR list parameter (checked), or a default.
pub(crate) fn cidrs_param(
    cx: &Ctx,
    name: &str,
    default: &str,
) -> Result<(String, Vec<Cidr>), ApiError> {
    let raw = cx.p.get(name).unwrap_or(default);
    let parsed = cidr_list(raw)
        .map_err(|bad| ApiError::invalid(format!("Invalid format for cidr {bad}")))?;
    let text = parsed
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(",");
    Ok((text, parsed))
}

fn overlaps(a: (Option<u32>, Option<u32>), b: (Option<u32>, Option<u32>)) -> bool {
    let (a0, a1) = (a.0.unwrap_or(1), a.1.unwrap_or(65535));
    let (b0, b1) = (b.0.unwrap_or(1), b.1.unwrap_or(65535));
    a0 <= b1 && b0 <= a1
}

fn same_cidr(a: &str, b: &str) -> bool {
    a.split(',')
        .any(|x| b.split(',').any(|y| x.trim() == y.trim()))
}

/// FirewallManagerImpl.detectRulesConflict for firewall rules: same protocol, a shared CIDR and
/// overlapping ports (or the same ICMP type and code).
fn firewall_conflict(
    s: &State,
    ip: Option<usize>,
    network: usize,
    egress: bool,
    spec: &RuleSpec,
    cidrs: &str,
) -> Result<(), ApiError> {
    for r in s.firewall.iter().filter(|r| {
        !r.removed
            && r.egress == egress
            && if egress {
                r.network == network
            } else {
                r.ip == ip
            }
            && same_cidr(&r.cidrs, cidrs)
    }) {
        if r.protocol == "all" || spec.protocol == "all" {
            if r.protocol == spec.protocol {
                return Err(ApiError::rule_conflict(format!(
                    "There is already a firewall rule specified with protocol = all for the same cidr, rule id={}",
                    r.id
                )));
            }
            continue;
        }
        if r.protocol != spec.protocol {
            continue;
        }
        if spec.protocol == "icmp" {
            if r.icmp_type == spec.icmp_type && r.icmp_code == spec.icmp_code {
                return Err(ApiError::invalid(format!(
                    "New rule conflicts with existing rule id={}",
                    r.id
                )));
            }
            continue;
        }
        if overlaps((r.start, r.end), (spec.start, spec.end)) {
            return Err(ApiError::rule_conflict(format!(
                "The range specified, {}-{}, conflicts with rule {} which has {}-{}",
                spec.start.unwrap_or(1),
                spec.end.unwrap_or(65535),
                r.id,
                r.start.unwrap_or(1),
                r.end.unwrap_or(65535)
            )));
        }
    }
    Ok(())
}

/// Adds a firewall rule (state `Add` until its job completes).
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_firewall(
    s: &mut State,
    ip: Option<usize>,
    network: usize,
    account: usize,
    spec: &RuleSpec,
    cidrs: String,
    dest_cidrs: String,
    egress: bool,
    related: Option<String>,
    state: &'static str,
) -> usize {
    let idx = s.firewall.len();
    let id = s.rng.uuid();
    s.firewall.push(FirewallRule {
        id: id.clone(),
        ip,
        network,
        account,
        protocol: spec.protocol.clone(),
        start: spec.start,
        end: spec.end,
        icmp_type: spec.icmp_type,
        icmp_code: spec.icmp_code,
        cidrs,
        dest_cidrs,
        egress,
        related,
        state,
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::Firewall(idx));
    idx
}

/// The network whose firewall serves an address, refusing VPC addresses (they use ACLs).
fn firewall_network(s: &State, ip: usize) -> Result<usize, ApiError> {
    match (s.ips[ip].network, s.ips[ip].vpc) {
        (_, Some(v)) => Err(ApiError::invalid(format!(
            "Firewall service is not supported on IP addresses of VPC {}; use network ACLs",
            s.vpcs[v].name
        ))),
        (Some(n), None) => Ok(n),
        (None, None) => Err(ApiError::invalid(format!(
            "Unable to create firewall rule: IP address {} is not associated with any network",
            s.ips[ip].address
        ))),
    }
}

/// createFirewallRule (asynchronous).
pub(crate) fn create_firewall(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let spec = rule_spec(cx, ("startport", "endport"), false, None)?;
    let (cidrs, _) = cidrs_param(cx, "cidrlist", "0.0.0.0/0")?;
    let s = &*cx.state;
    let network = firewall_network(s, ip)?;
    firewall_conflict(s, Some(ip), network, false, &spec, &cidrs)?;
    let s = &mut *cx.state;
    let account = s.ips[ip].account;
    let idx = add_firewall(
        s,
        Some(ip),
        network,
        account,
        &spec,
        cidrs,
        String::new(),
        false,
        None,
        "Add",
    );
    let id = s.firewall[idx].id.clone();
    let addr = s.ips[ip].address.clone();
    s.event(
        &cx.caller,
        "FIREWALL.OPEN",
        format!("Creating firewall rule for {addr}"),
        Some(("FirewallRule", id.clone(), addr)),
        OffsetDateTime::now_utc(),
    );
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

/// createEgressFirewallRule (asynchronous).
pub(crate) fn create_egress(cx: &mut Ctx) -> Result<Value, ApiError> {
    let network = super::networks::network_param(cx, "networkid")?;
    let spec = rule_spec(cx, ("startport", "endport"), false, None)?;
    let s = &*cx.state;
    let net = &s.networks[network];
    if net.vpc.is_some() || s.network_offerings[net.offering].guest_ip_type != "Isolated" {
        return Err(ApiError::invalid(format!(
            "Egress firewall rules are not supported in network {}",
            net.id
        )));
    }
    let net_cidr = net.cidr;
    let (cidrs, parsed) = cidrs_param(cx, "cidrlist", &net_cidr.to_string())?;
    if let Some(c) = parsed.iter().find(|c| !net_cidr.contains(c)) {
        return Err(ApiError::invalid(format!(
            "cidr {c} is not within the guest network cidr {net_cidr}"
        )));
    }
    let (dest, _) = cidrs_param(cx, "destcidrlist", "0.0.0.0/0")?;
    firewall_conflict(s, None, network, true, &spec, &cidrs)?;
    let s = &mut *cx.state;
    let account = s.networks[network].account;
    let idx = add_firewall(
        s, None, network, account, &spec, cidrs, dest, true, None, "Add",
    );
    let id = s.firewall[idx].id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.firewall.CreateEgressFirewallRuleCmd",
        Some(("FirewallRule", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateFirewallRule(idx),
    );
    s.firewall[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

fn firewall_param(cx: &Ctx, egress: bool) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, "id", |r| match r {
        Ref::Firewall(x) if !s.firewall[x].removed && s.firewall[x].egress == egress => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.firewall[i].account, &s.firewall[i].id)?;
    Ok(i)
}

/// deleteFirewallRule and deleteEgressFirewallRule (asynchronous).
pub(crate) fn delete_firewall(cx: &mut Ctx, egress: bool) -> Result<Value, ApiError> {
    let r = firewall_param(cx, egress)?;
    let id = cx.state.firewall[r].id.clone();
    let class = if egress {
        "org.apache.cloudstack.api.command.user.firewall.DeleteEgressFirewallRuleCmd"
    } else {
        "org.apache.cloudstack.api.command.user.firewall.DeleteFirewallRuleCmd"
    };
    let job = submit_op(cx, class, Some(("FirewallRule", id)), Op::DeleteFirewall(r));
    cx.state.firewall[r].state = "Revoke";
    cx.state.firewall[r].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// The `firewallrule` object (ingress and egress).
pub(crate) fn firewall_json(s: &State, i: usize) -> Value {
    let r = &s.firewall[i];
    let mut out = json!({
        "id": r.id,
        "protocol": r.protocol,
        "networkid": s.networks[r.network].id,
        "state": r.state,
        "cidrlist": r.cidrs,
        "traffictype": if r.egress { "Egress" } else { "Ingress" },
        "fordisplay": true,
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
    if let Some(ip) = r.ip {
        o.insert("ipaddressid".into(), json!(s.ips[ip].id));
        o.insert("ipaddress".into(), json!(s.ips[ip].address));
    }
    if r.egress {
        o.insert("destcidrlist".into(), json!(r.dest_cidrs));
    }
    if let (Some(a), Some(b)) = (r.start, r.end) {
        o.insert("startport".into(), json!(a));
        o.insert("endport".into(), json!(b));
    }
    if let Some(t) = r.icmp_type {
        o.insert("icmptype".into(), json!(t));
    }
    if let Some(c) = r.icmp_code {
        o.insert("icmpcode".into(), json!(c));
    }
    with_pending(out, s.pending(r.pending_job))
}

/// listFirewallRules and listEgressFirewallRules.
pub(crate) fn list_firewall_of(cx: &mut Ctx, egress: bool) -> Result<Value, ApiError> {
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
                && r.egress == egress
                && scope.allows(r.account)
                && id.is_none_or(|x| r.id == x)
                && ip.is_none_or(|x| r.ip.is_some_and(|i| s.ips[i].id == x))
                && network.is_none_or(|x| s.networks[r.network].id == x)
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "firewallrule", &matching, |&i| {
        firewall_json(s, i)
    })
}

/// listFirewallRules.
pub(crate) fn list_firewall(cx: &mut Ctx) -> Result<Value, ApiError> {
    list_firewall_of(cx, false)
}

/// A public port range of a new PF or LB rule that clashes with an existing one on the address.
pub(crate) fn public_port_conflict(
    s: &State,
    ip: usize,
    protocol: &str,
    range: (u32, u32),
) -> Result<(), ApiError> {
    let pf = s
        .port_forwards
        .iter()
        .filter(|r| !r.removed && r.ip == ip && r.protocol == protocol)
        .map(|r| (r.id.as_str(), r.public));
    let lb = s
        .lbs
        .iter()
        .filter(|r| !r.removed && r.ip == ip && r.protocol == protocol)
        .map(|r| (r.id.as_str(), (r.public_port, r.public_port)));
    for (id, (a, b)) in pf.chain(lb) {
        if overlaps((Some(a), Some(b)), (Some(range.0), Some(range.1))) {
            return Err(ApiError::rule_conflict(format!(
                "The range specified, {}-{}, conflicts with rule {id} which has {a}-{b}",
                range.0, range.1
            )));
        }
    }
    Ok(())
}

/// `openfirewall` (default true, as CloudStack): a firewall rule for the public ports, open to
/// the given CIDRs or 0.0.0.0/0, checked before the rule is created.
pub(crate) fn open_firewall_spec(
    cx: &Ctx,
    ip: usize,
    protocol: &str,
    range: (u32, u32),
) -> Result<Option<(usize, RuleSpec, String)>, ApiError> {
    if !cx.p.flag_or("openfirewall", true) {
        return Ok(None);
    }
    let s = &*cx.state;
    if s.ips[ip].vpc.is_some() {
        return Ok(None);
    }
    let network = firewall_network(s, ip)?;
    let (cidrs, _) = cidrs_param(cx, "cidrlist", "0.0.0.0/0")?;
    let spec = RuleSpec {
        protocol: protocol.to_string(),
        start: Some(range.0),
        end: Some(range.1),
        icmp_type: None,
        icmp_code: None,
    };
    firewall_conflict(s, Some(ip), network, false, &spec, &cidrs)?;
    Ok(Some((network, spec, cidrs)))
}

/// createPortForwardingRule (asynchronous).
pub(crate) fn create_port_forward(cx: &mut Ctx) -> Result<Value, ApiError> {
    let ip = ip_param(cx)?;
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let protocol = cx.p.required("protocol")?.to_lowercase();
    if protocol != "tcp" && protocol != "udp" {
        return Err(ApiError::invalid(format!(
            "Unable to create port forwarding rule with protocol {protocol}"
        )));
    }
    let public_start = port(cx, "publicport")?.unwrap_or(1);
    let public_end = port(cx, "publicendport")?.unwrap_or(public_start);
    let private_start = port(cx, "privateport")?.unwrap_or(1);
    let private_end = port(cx, "privateendport")?.unwrap_or(private_start);
    if public_start > public_end || private_start > private_end {
        return Err(ApiError::invalid(
            "Start port can't be bigger than end port",
        ));
    }
    if public_end - public_start != private_end - private_start {
        return Err(ApiError::invalid(
            "Private port range and public port range should have the same size",
        ));
    }
    let (cidrs, _) = cidrs_param(cx, "cidrlist", "0.0.0.0/0")?;
    {
        let s = &*cx.state;
        if s.ips[ip].source_nat && s.ips[ip].vpc.is_some() {
            return Err(ApiError::invalid(
                "Can't create port forwarding rules on the source NAT address of a VPC",
            ));
        }
        if s.ips[ip].static_nat.is_some() {
            return Err(ApiError::invalid(format!(
                "Can't create port forwarding rule; static nat is enabled on ip address {}",
                s.ips[ip].address
            )));
        }
        if let Some(g) = cx.p.get("vmguestip")
            && g != s.vms[vm].ip
        {
            return Err(ApiError::invalid(format!(
                "VM ip {g} is not a guest ip of the vm {}",
                s.vms[vm].id
            )));
        }
    }
    let net = network_for_vm(cx.state, ip, vm)?;
    public_port_conflict(cx.state, ip, &protocol, (public_start, public_end))?;
    let fw = open_firewall_spec(cx, ip, &protocol, (public_start, public_end))?;
    let s = &mut *cx.state;
    s.ips[ip].network = Some(net);
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
        cidrs: cidrs.clone(),
        state: "Add",
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::PortForward(idx));
    if let Some((network, spec, cidrs)) = fw {
        let account = s.ips[ip].account;
        add_firewall(
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
    let addr = s.ips[ip].address.clone();
    s.event(
        &cx.caller,
        "NET.RULEADD",
        format!(
            "Creating port forwarding rule {addr}:{public_start} to {}",
            s.vms[vm].name
        ),
        Some(("FirewallRule", id.clone(), addr)),
        OffsetDateTime::now_utc(),
    );
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

/// deletePortForwardingRule (asynchronous); the firewall rule it opened goes with it.
pub(crate) fn delete_port_forward(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let r = s.lookup(cx.p, "id", |r| match r {
        Ref::PortForward(x) if !s.port_forwards[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(
        &cx.caller,
        s.port_forwards[r].account,
        &s.port_forwards[r].id,
    )?;
    let id = s.port_forwards[r].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.firewall.DeletePortForwardingRuleCmd",
        Some(("FirewallRule", id)),
        Op::DeletePortForward(r),
    );
    cx.state.port_forwards[r].state = "Revoke";
    cx.state.port_forwards[r].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// Removes the firewall rules opened for a PF or LB rule.
pub(crate) fn drop_related(s: &mut State, rule_id: &str) {
    for f in s
        .firewall
        .iter_mut()
        .filter(|f| !f.removed && f.related.as_deref() == Some(rule_id))
    {
        f.removed = true;
        f.state = "Revoke";
    }
}

/// The `portforwardingrule` object.
pub(crate) fn port_forward_json(s: &State, i: usize) -> Value {
    let r = &s.port_forwards[i];
    let ip = &s.ips[r.ip];
    let vm = &s.vms[r.vm];
    let network = ip.network.unwrap_or(vm.network);
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
        "networkid": s.networks[network].id,
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
                && network.is_none_or(|x| s.networks[s.vms[r.vm].network].id == x)
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
            if s.firewall[i].removed {
                return Err(ApiError::invalid(
                    "The firewall rule was removed before it was applied",
                ));
            }
            s.firewall[i].state = "Active";
            Ok(json!({ "firewallrule": firewall_json(s, i) }))
        }
        Action::CreatePortForward(i) => {
            s.port_forwards[i].pending_job = None;
            if s.port_forwards[i].removed {
                return Err(ApiError::invalid(
                    "The port forwarding rule was removed before it was applied",
                ));
            }
            s.port_forwards[i].state = "Active";
            Ok(json!({ "portforwardingrule": port_forward_json(s, i) }))
        }
        _ => unreachable!("not an address job"),
    }
}

/// Completes address and rule operations kept in [`State::ops`].
pub(crate) fn complete_op(s: &mut State, op: Op, when: OffsetDateTime) -> Result<Value, ApiError> {
    match op {
        Op::DisassociateIp(ip) => {
            release_ip(s, ip, when);
            Ok(success())
        }
        Op::DisableStaticNat(ip) => {
            s.ips[ip].static_nat = None;
            Ok(success())
        }
        Op::DeleteFirewall(r) => {
            s.firewall[r].removed = true;
            s.firewall[r].pending_job = None;
            Ok(success())
        }
        Op::DeletePortForward(r) => {
            let pf = &mut s.port_forwards[r];
            pf.removed = true;
            pf.pending_job = None;
            let id = pf.id.clone();
            drop_related(s, &id);
            Ok(success())
        }
        _ => unreachable!("not an address operation"),
    }
}
