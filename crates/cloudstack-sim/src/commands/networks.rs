//! Guest networks: listNetworks, createNetwork, updateNetwork, restartNetwork, deleteNetwork.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, submit_op};
use crate::error::ApiError;
use crate::state::cidr::{Cidr, ip_string, netmask_len, parse_ip};
use crate::state::jobs::{Op, with_pending};
use crate::state::model::{Network, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

/// The automatic CIDR of the `idx`-th network: 10.x.y.0/24.
fn auto_cidr(idx: usize) -> Cidr {
    let (a, b) = ((1 + (idx / 250) % 250) as u32, (idx % 250) as u32);
    Cidr::new((10 << 24) | (a << 16) | (b << 8), 24)
}

/// Another live network of the account in the zone (outside VPCs) whose CIDR overlaps `cidr`.
fn overlapping(s: &State, account: usize, zone: usize, cidr: &Cidr) -> Option<usize> {
    (0..s.networks.len()).find(|&i| {
        let n = &s.networks[i];
        !n.removed
            && n.account == account
            && n.zone == zone
            && n.vpc.is_none()
            && n.cidr.overlaps(cidr)
    })
}

/// Adds a network with an automatic 10.x.y.0/24 CIDR and returns its index.
pub(crate) fn add_network(
    s: &mut State,
    account: usize,
    zone: usize,
    offering: usize,
    name: String,
    display: String,
    when: OffsetDateTime,
) -> usize {
    let idx = s.networks.len();
    let cidr = (0..62_500)
        .map(|k| auto_cidr(idx + k))
        .find(|c| overlapping(s, account, zone, c).is_none())
        .unwrap_or_else(|| auto_cidr(idx));
    add_network_with(
        s,
        account,
        zone,
        offering,
        name,
        display,
        when,
        cidr,
        cidr.base + 1,
        None,
    )
}

/// Adds a network with a given CIDR and gateway.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_network_with(
    s: &mut State,
    account: usize,
    zone: usize,
    offering: usize,
    name: String,
    display: String,
    when: OffsetDateTime,
    cidr: Cidr,
    gateway: u32,
    vpc: Option<usize>,
) -> usize {
    let idx = s.networks.len();
    let id = s.rng.uuid();
    let vlan = 1000 + s.rng.below(3000) as u32;
    s.networks.push(Network {
        id: id.clone(),
        name,
        display,
        zone,
        offering,
        account,
        cidr,
        gateway,
        guest_cidr: None,
        vpc,
        acl: None,
        network_domain: None,
        pending_job: None,
        vlan,
        state: "Allocated",
        created: when,
        next_host: 0,
        removed: false,
    });
    s.index(&id, Ref::Network(idx));
    idx
}

/// The account's network in a zone, created on first use as CloudStack does for accounts
/// without one (with the default isolated offering).
pub(crate) fn default_network(s: &mut State, account: usize, zone: usize) -> usize {
    if let Some(n) = s
        .networks
        .iter()
        .position(|n| !n.removed && n.account == account && n.zone == zone && n.vpc.is_none())
    {
        return n;
    }
    let name = format!("{}-network", s.accounts[account].name);
    add_network(
        s,
        account,
        zone,
        0,
        name.clone(),
        name,
        OffsetDateTime::now_utc(),
    )
}

/// The next free guest address of a network (inside the reserved range when there is one).
pub(crate) fn next_guest_ip(s: &mut State, network: usize) -> String {
    let net = &mut s.networks[network];
    net.next_host += 1;
    let range = net.guest_cidr.unwrap_or(net.cidr);
    let modulus = range.size().saturating_sub(4).clamp(1, 250) as u32;
    let mut ip = range.base + 2 + net.next_host % modulus;
    if ip == net.gateway {
        ip = range.base + 2 + (net.next_host + 1) % modulus;
    }
    ip_string(ip)
}

/// A network gets implemented (and an isolated one its source NAT address) on first use.
pub(crate) fn implement(s: &mut State, network: usize, when: OffsetDateTime) {
    let n = &s.networks[network];
    if n.removed || n.state == "Implemented" {
        return;
    }
    let isolated = s.network_offerings[n.offering].guest_ip_type == "Isolated";
    let (account, zone, vpc) = (n.account, n.zone, n.vpc);
    s.networks[network].state = "Implemented";
    let has_nat = s
        .ips
        .iter()
        .any(|ip| !ip.removed && ip.source_nat && ip.network == Some(network));
    if isolated && vpc.is_none() && !has_nat {
        allocate_ip(s, account, zone, Some(network), true, when);
    }
}

/// The `network` object.
pub(crate) fn network_json(s: &State, i: usize) -> Value {
    let n = &s.networks[i];
    let account = &s.accounts[n.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[n.zone];
    let off = &s.network_offerings[n.offering];
    let services: Vec<Value> = off
        .services
        .iter()
        .map(|name| json!({ "name": name }))
        .collect();
    let mut v = json!({
        "id": n.id,
        "name": n.name,
        "displaytext": n.display,
        "broadcastdomaintype": "Vlan",
        "broadcasturi": format!("vlan://{}", n.vlan),
        "vlan": n.vlan.to_string(),
        "traffictype": "Guest",
        "gateway": ip_string(n.gateway),
        "netmask": ip_string(n.cidr.netmask()),
        "cidr": n.guest_cidr.unwrap_or(n.cidr).to_string(),
        "zoneid": zone.id,
        "zonename": zone.name,
        "networkofferingid": off.id,
        "networkofferingname": off.name,
        "networkofferingdisplaytext": off.display,
        "networkofferingconservemode": true,
        "networkofferingavailability": off.availability,
        "issystem": false,
        "state": n.state,
        "related": n.id,
        "dns1": zone.dns1,
        "dns2": zone.dns2,
        "type": off.guest_ip_type,
        "acltype": "Account",
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "service": services,
        "networkdomain": n.network_domain.clone().unwrap_or_else(|| format!("cs{}cloud.internal", n.account + 2)),
        "restartrequired": false,
        "specifyipranges": false,
        "canusefordeploy": true,
        "ispersistent": false,
        "displaynetwork": true,
        "redundantrouter": false,
        "supportsvmautoscaling": true,
        "egressdefaultpolicy": true,
        "internetprotocol": "IPv4",
        "created": ts(n.created),
        "tags": [],
    });
    let o = v.as_object_mut().expect("object");
    if let Some(g) = n.guest_cidr {
        o.insert("networkcidr".into(), json!(n.cidr.to_string()));
        o.insert("reservediprange".into(), json!(reserved_range(&n.cidr, &g)));
    }
    if let Some(vpc) = n.vpc {
        o.insert("vpcid".into(), json!(s.vpcs[vpc].id));
        o.insert("vpcname".into(), json!(s.vpcs[vpc].name));
    }
    if let Some(acl) = n.acl {
        o.insert("aclid".into(), json!(s.acl_lists[acl].id));
        o.insert("aclname".into(), json!(s.acl_lists[acl].name));
    }
    with_pending(v, s.pending(n.pending_job))
}

/// The addresses of `net` outside the reservation `guest`, as CloudStack prints them.
fn reserved_range(net: &Cidr, guest: &Cidr) -> String {
    let mut parts = Vec::new();
    if guest.base > net.base {
        parts.push(format!(
            "{}-{}",
            ip_string(net.base),
            ip_string(guest.base - 1)
        ));
    }
    if guest.last() < net.last() {
        parts.push(format!(
            "{}-{}",
            ip_string(guest.last() + 1),
            ip_string(net.last())
        ));
    }
    parts.join(",")
}

/// listNetworks.
pub(crate) fn list(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let zone = s.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let id = p.get("id");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let kind = p.get("type");
    let vpc = p.get("vpcid");
    let for_vpc = p.flag("forvpc");
    let matching: Vec<usize> = (0..s.networks.len())
        .filter(|&i| {
            let n = &s.networks[i];
            !n.removed
                && scope.allows(n.account)
                && zone.is_none_or(|z| n.zone == z)
                && id.is_none_or(|id| n.id == id)
                && name.is_none_or(|nm| n.name == nm)
                && vpc.is_none_or(|v| n.vpc.is_some_and(|x| s.vpcs[x].id == v))
                && for_vpc.is_none_or(|f| n.vpc.is_some() == f)
                && kind.is_none_or(|k| {
                    s.network_offerings[n.offering]
                        .guest_ip_type
                        .eq_ignore_ascii_case(k)
                })
                && keyword_match(keyword, &[&n.name, &n.display])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "network", &matching, |&i| {
        network_json(s, i)
    })
}

/// Resolves a network id parameter the caller may act on.
pub(crate) fn network_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let n = s.lookup(cx.p, name, |r| match r {
        Ref::Network(n) if !s.networks[n].removed => Some(n),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.networks[n].account, &s.networks[n].id)?;
    Ok(n)
}

/// The CIDR of `gateway`/`netmask`, checked like NetworkServiceImpl does.
fn gateway_cidr(gateway: &str, netmask: &str) -> Result<(Cidr, u32), ApiError> {
    let gw = parse_ip(gateway).ok_or_else(|| ApiError::invalid("Invalid gateway"))?;
    let len = netmask_len(netmask).ok_or_else(|| ApiError::invalid("Invalid netmask"))?;
    if len > 30 {
        return Err(ApiError::invalid("Invalid netmask"));
    }
    let cidr = Cidr::new(gw, len);
    if gw == cidr.base || gw == cidr.last() {
        return Err(ApiError::invalid(format!(
            "The gateway {gateway} can't be the network or broadcast address of {cidr}"
        )));
    }
    Ok((cidr, gw))
}

/// createNetwork (synchronous): an isolated network or, with `vpcid`, a VPC tier.
pub(crate) fn create(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let name = p.required("name")?.to_string();
    let offering = cx.state.lookup(p, "networkofferingid", |r| match r {
        Ref::NetworkOffering(o) => Some(o),
        _ => None,
    })?;
    let zone = cx.state.lookup(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let vpc = match cx.state.lookup_opt(p, "vpcid", |r| match r {
        Ref::Vpc(v) => Some(v),
        _ => None,
    })? {
        Some(v) if cx.state.vpcs[v].removed => {
            return Err(ApiError::invalid_value(
                &p.command_lc,
                "vpcid",
                p.get("vpcid").unwrap_or(""),
            ));
        }
        Some(v) => {
            let s = &*cx.state;
            s.check_access(&cx.caller, s.vpcs[v].account, &s.vpcs[v].id)?;
            if s.vpcs[v].zone != zone {
                return Err(ApiError::invalid(format!(
                    "New network doesn't belong to vpc zone {}",
                    s.zones[s.vpcs[v].zone].id
                )));
            }
            Some(v)
        }
        None => None,
    };
    super::limits::check_held(cx.state, account, 6, 1)?;
    let display = p.get("displaytext").unwrap_or(&name).to_string();
    let specified = match (p.get("gateway"), p.get("netmask")) {
        (Some(g), Some(m)) => Some(gateway_cidr(g, m)?),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "gateway and netmask should be defined together",
            ));
        }
    };
    if guest_type(cx.state, offering) == "L2" && specified.is_some() {
        return Err(ApiError::invalid(
            "Gateway and netmask can't be specified for a L2 network",
        ));
    }
    for (param, ip) in [("startip", p.get("startip")), ("endip", p.get("endip"))] {
        if let Some(ip) = ip {
            let parsed = parse_ip(ip).ok_or_else(|| {
                ApiError::invalid(format!("Invalid format for the {param} parameter"))
            })?;
            if let Some((c, _)) = specified
                && !c.contains_ip(parsed)
            {
                return Err(ApiError::invalid(format!(
                    "The {param} {ip} is not in the network's CIDR {c}"
                )));
            }
        }
    }
    let s = &mut *cx.state;
    let acl = match s.lookup_opt(p, "aclid", |r| match r {
        Ref::AclList(a) if !s.acl_lists[a].removed => Some(a),
        _ => None,
    })? {
        Some(_) if vpc.is_none() => {
            return Err(ApiError::invalid(
                "Can't specify ACL for the network that doesn't belong to VPC",
            ));
        }
        Some(a) => {
            if s.acl_lists[a].vpc.is_some_and(|x| Some(x) != vpc) {
                return Err(ApiError::invalid(format!(
                    "Can't assign ACL to network that belongs to different VPC than ACL {}",
                    s.acl_lists[a].id
                )));
            }
            Some(a)
        }
        None if vpc.is_some() => Some(super::vpc::default_acl(s, false)),
        None => None,
    };
    let now = OffsetDateTime::now_utc();
    let n = match (vpc, specified) {
        (Some(_), None) => {
            return Err(ApiError::invalid(
                "Gateway/netmask are required when creating a network for VPC",
            ));
        }
        (Some(v), Some((cidr, gw))) => {
            let vpc_cidr = s.vpcs[v].cidr;
            if !vpc_cidr.contains(&cidr) {
                return Err(ApiError::invalid(format!(
                    "Network cidr {cidr} is not within vpc {} cidr",
                    s.vpcs[v].name
                )));
            }
            if let Some(o) = s
                .networks
                .iter()
                .find(|o| !o.removed && o.vpc == Some(v) && o.cidr.overlaps(&cidr))
            {
                return Err(ApiError::invalid(format!(
                    "Network cidr {cidr} crosses other network cidr {} belonging to the same VPC {}",
                    o.cidr, s.vpcs[v].name
                )));
            }
            let n = add_network_with(
                s,
                account,
                zone,
                offering,
                name.clone(),
                display,
                now,
                cidr,
                gw,
                Some(v),
            );
            s.networks[n].acl = acl;
            n
        }
        (None, Some((cidr, gw))) => {
            if let Some(o) = overlapping(s, account, zone, &cidr) {
                let o = &s.networks[o];
                return Err(ApiError::invalid(format!(
                    "The network CIDR {cidr} overlaps with the CIDR {} of network {} ({}) of account {} in zone {}",
                    o.cidr, o.name, o.id, s.accounts[account].name, s.zones[zone].name
                )));
            }
            add_network_with(
                s,
                account,
                zone,
                offering,
                name.clone(),
                display,
                now,
                cidr,
                gw,
                None,
            )
        }
        (None, None) => add_network(s, account, zone, offering, name.clone(), display, now),
    };
    s.networks[n].network_domain = p.get("networkdomain").map(String::from);
    let id = s.networks[n].id.clone();
    s.event(
        &cx.caller,
        "NETWORK.CREATE",
        format!("Successfully completed creating network. Network Id: {id}"),
        Some(("Network", id, name)),
        now,
    );
    Ok(json!({ "network": network_json(s, n) }))
}

fn guest_type(s: &State, offering: usize) -> &'static str {
    s.network_offerings[offering].guest_ip_type
}

/// updateNetwork (asynchronous): name, displaytext, networkdomain and the guest VM range.
pub(crate) fn update(cx: &mut Ctx) -> Result<Value, ApiError> {
    let n = network_param(cx, "id")?;
    let p = cx.p;
    let s = &*cx.state;
    let net = &s.networks[n];
    let guest_cidr = match p.get("guestvmcidr") {
        None => None,
        Some(g) => {
            let c = Cidr::parse(g)
                .ok_or_else(|| ApiError::invalid(format!("Invalid guest vm cidr {g}")))?;
            if guest_type(s, net.offering) != "Isolated" || net.vpc.is_some() {
                return Err(ApiError::invalid(
                    "Can only allow IP Reservation in networks with guest type Isolated",
                ));
            }
            if !net.cidr.contains(&c) {
                return Err(ApiError::invalid(format!(
                    "Invalid value of Guest VM CIDR. For IP Reservation, Guest VM CIDR  should be a subset of network CIDR : {}",
                    net.cidr
                )));
            }
            let outside: Vec<&str> = s
                .vms
                .iter()
                .filter(|v| !v.removed && v.network == n)
                .filter(|v| parse_ip(&v.ip).is_some_and(|ip| !c.contains_ip(ip)))
                .map(|v| v.ip.as_str())
                .collect();
            if !outside.is_empty() {
                return Err(ApiError::invalid(format!(
                    "Active IPs like {} exist outside the Guest VM CIDR. Cannot apply reservation ",
                    outside.join(",")
                )));
            }
            Some(c)
        }
    };
    let op = Op::UpdateNetwork {
        network: n,
        name: p.get("name").map(String::from),
        display: p.get("displaytext").map(String::from),
        guest_cidr,
    };
    let id = net.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.UpdateNetworkCmd",
        Some(("Network", id)),
        op,
    );
    cx.state.networks[n].pending_job = Some(job);
    if let Some(d) = p.get("networkdomain") {
        cx.state.networks[n].network_domain = Some(d.to_string());
    }
    Ok(super::job_reply(cx.state, job))
}

/// restartNetwork (asynchronous); `cleanup` rebuilds the router.
pub(crate) fn restart(cx: &mut Ctx) -> Result<Value, ApiError> {
    let n = network_param(cx, "id")?;
    let net = &cx.state.networks[n];
    if !matches!(net.state, "Implemented" | "Setup") {
        return Err(ApiError::invalid(
            "Network is not in the right state to be restarted. Correct states are: Implemented, Setup",
        ));
    }
    let id = net.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.RestartNetworkCmd",
        Some(("Network", id)),
        Op::RestartNetwork(n),
    );
    cx.state.networks[n].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// The VMs (not yet expunged) with a NIC in a network.
pub(crate) fn vms_in(s: &State, n: usize) -> Vec<usize> {
    (0..s.vms.len())
        .filter(|&v| {
            !s.vms[v].removed && s.vms[v].network == n && s.vms[v].state != VmState::Expunging
        })
        .collect()
}

/// deleteNetwork (asynchronous); refused while VMs use it.
pub(crate) fn delete(cx: &mut Ctx) -> Result<Value, ApiError> {
    let n = network_param(cx, "id")?;
    let s = &*cx.state;
    let users = vms_in(s, n);
    if !users.is_empty() {
        let names: Vec<String> = users
            .iter()
            .map(|&v| format!("{} ({})", s.vms[v].name, s.vms[v].state.as_str()))
            .collect();
        return Err(ApiError::invalid(format!(
            "Unable to remove the network id={} as it has active Nics. Virtual machines using it: {}",
            s.networks[n].id,
            names.join(", ")
        )));
    }
    let id = s.networks[n].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.network.DeleteNetworkCmd",
        Some(("Network", id)),
        Op::DeleteNetwork(n),
    );
    cx.state.networks[n].pending_job = Some(job);
    cx.state.networks[n].state = "Destroy";
    Ok(super::job_reply(cx.state, job))
}

/// Removes a network with its addresses (and their rules) and egress rules.
pub(crate) fn remove_network(s: &mut State, n: usize, when: OffsetDateTime) {
    for ip in 0..s.ips.len() {
        if !s.ips[ip].removed && s.ips[ip].network == Some(n) {
            if s.ips[ip].vpc.is_some() {
                super::addresses::drop_ip_rules(s, ip, when);
                s.ips[ip].network = None;
                s.ips[ip].static_nat = None;
            } else {
                super::addresses::release_ip(s, ip, when);
            }
        }
    }
    for r in s
        .firewall
        .iter_mut()
        .filter(|r| r.network == n && !r.removed)
    {
        r.removed = true;
    }
    let net = &mut s.networks[n];
    net.removed = true;
    net.state = "Destroy";
}

/// Completes network jobs.
pub(crate) fn complete(
    s: &mut State,
    job: usize,
    op: Op,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    match op {
        Op::UpdateNetwork {
            network,
            name,
            display,
            guest_cidr,
        } => {
            let n = &mut s.networks[network];
            n.pending_job = None;
            if let Some(x) = name {
                n.name = x;
            }
            if let Some(x) = display {
                n.display = x;
            }
            if let Some(c) = guest_cidr {
                n.guest_cidr = (c != n.cidr).then_some(c);
            }
            Ok(json!({ "network": network_json(s, network) }))
        }
        Op::RestartNetwork(n) => {
            s.networks[n].pending_job = None;
            let caller = s.jobs[job].caller;
            let (id, name) = (s.networks[n].id.clone(), s.networks[n].name.clone());
            s.event(
                &caller,
                "NETWORK.RESTART",
                format!("Restarting network. Network Id: {id}"),
                Some(("Network", id, name)),
                when,
            );
            Ok(success())
        }
        Op::DeleteNetwork(n) => {
            s.networks[n].pending_job = None;
            if !vms_in(s, n).is_empty() {
                s.networks[n].state = "Implemented";
                return Err(ApiError::invalid(format!(
                    "Unable to remove the network id={} as it has active Nics.",
                    s.networks[n].id
                )));
            }
            remove_network(s, n, when);
            let caller = s.jobs[job].caller;
            let (id, name) = (s.networks[n].id.clone(), s.networks[n].name.clone());
            s.event(
                &caller,
                "NETWORK.DELETE",
                format!("Deleting network. Network Id: {id}"),
                Some(("Network", id, name)),
                when,
            );
            Ok(success())
        }
        _ => unreachable!("not a network job"),
    }
}

/// Hands out a public address in a zone and returns its index.
pub(crate) fn allocate_ip(
    s: &mut State,
    account: usize,
    zone: usize,
    network: impl Into<Option<usize>>,
    source_nat: bool,
    when: OffsetDateTime,
) -> usize {
    let network = network.into();
    let z = &mut s.zones[zone];
    z.next_public += 1;
    let n = z.next_public;
    let address = format!(
        "{}.{}.{}.{}",
        z.public_prefix[0],
        z.public_prefix[1],
        (n / 250) % 256,
        2 + n % 250
    );
    let vlan_id = z.id.clone();
    let idx = s.ips.len();
    let id = s.rng.uuid();
    s.ips.push(crate::state::model::PublicIp {
        id: id.clone(),
        address,
        zone,
        account,
        network,
        vpc: None,
        static_nat: None,
        source_nat,
        state: "Allocated",
        allocated: when,
        vlan_id,
        pending_job: None,
        removed: false,
        released: None,
    });
    s.index(&id, Ref::Ip(idx));
    idx
}
