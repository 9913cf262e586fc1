//! CloudStack's answers as the row types every front door shares.

use akashone_cloudstack::model as cs;
use akashone_types::network::{
    FirewallRuleRow, LbAlgorithm, LbMemberRow, LoadBalancerRow, PortForwardRow, PortRange,
    Protocol, Traffic,
};
use std::str::FromStr;

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// A comma-separated CIDR list as CloudStack sends it.
pub fn cidr_list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Ports and ICMP fields as CloudStack lists them: absent or zero-or-less means not given.
fn given(v: Option<i64>) -> Option<i64> {
    v.filter(|p| *p > 0)
}

fn icmp(v: Option<i64>) -> Option<i64> {
    v
}

/// What a firewall rule lets through, from CloudStack's loose fields.
pub fn traffic(
    protocol: &Option<String>,
    start: Option<i64>,
    end: Option<i64>,
    icmp_type: Option<i64>,
    icmp_code: Option<i64>,
) -> Option<Traffic> {
    let p = protocol.as_deref().unwrap_or("all").to_lowercase();
    let is_icmp = p == "icmp";
    Traffic::from_wire(
        &p,
        if is_icmp { None } else { given(start) },
        if is_icmp { None } else { given(end) },
        if is_icmp { icmp(icmp_type) } else { None },
        if is_icmp { icmp(icmp_code) } else { None },
    )
    .ok()
}

/// An ingress firewall rule; `None` when CloudStack's answer is not a rule we understand.
pub fn firewall_rule(r: &cs::FirewallRule) -> Option<FirewallRuleRow> {
    Some(FirewallRuleRow {
        id: r.id.clone()?,
        ip_address_id: text(&r.ipaddressid),
        ip_address: text(&r.ipaddress),
        traffic: traffic(&r.protocol, r.startport, r.endport, r.icmptype, r.icmpcode)?,
        cidrs: cidr_list(&r.cidrlist),
        state: text(&r.state),
    })
}

fn range(start: Option<i64>, end: Option<i64>) -> Option<PortRange> {
    let s = u16::try_from(start?).ok()?;
    let e = end.and_then(|e| u16::try_from(e).ok()).unwrap_or(s);
    PortRange::new(s, e.max(s)).ok()
}

/// A port forwarding rule.
pub fn port_forward(r: &cs::PortForwardingRule) -> Option<PortForwardRow> {
    Some(PortForwardRow {
        id: r.id.clone()?,
        ip_address_id: text(&r.ipaddressid),
        ip_address: text(&r.ipaddress),
        protocol: Protocol::from_str(r.protocol.as_deref().unwrap_or("tcp")).ok()?,
        public: range(r.publicport, r.publicendport)?,
        private: range(r.privateport, r.privateendport)?,
        vm_id: text(&r.virtualmachineid),
        vm_name: r
            .virtualmachinedisplayname
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| r.virtualmachinename.clone())
            .unwrap_or_default(),
        vm_guest_ip: r.vmguestip.clone(),
        cidrs: cidr_list(&r.cidrlist),
        state: text(&r.state),
    })
}

/// A load balancer rule without its members and policies (asked for separately).
pub fn load_balancer(r: &cs::LoadBalancerRule) -> Option<LoadBalancerRow> {
    let port = |p: &Option<String>| p.as_deref().and_then(|p| p.trim().parse::<u16>().ok());
    Some(LoadBalancerRow {
        id: r.id.clone()?,
        name: text(&r.name),
        ip_address_id: text(&r.publicipid),
        ip_address: text(&r.publicip),
        public_port: port(&r.publicport)?,
        private_port: port(&r.privateport)?,
        algorithm: match r.algorithm.as_deref().unwrap_or("roundrobin") {
            "leastconn" => LbAlgorithm::Leastconn,
            "source" => LbAlgorithm::Source,
            _ => LbAlgorithm::Roundrobin,
        },
        protocol: r.protocol.clone().unwrap_or_else(|| "tcp".into()),
        cidrs: cidr_list(&r.cidrlist),
        members: Vec::new(),
        health_check: None,
        stickiness: None,
        state: text(&r.state),
    })
}

/// A member of a load balancer rule with the addresses it is balanced on.
pub fn lb_member(m: &cs::LoadBalancerMember) -> Option<LbMemberRow> {
    let vm = m.loadbalancerruleinstance.as_ref()?;
    let field = |k: &str| vm.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Some(LbMemberRow {
        vm_id: field("id")?,
        vm_name: field("displayname")
            .filter(|n| !n.is_empty())
            .or_else(|| field("name"))
            .unwrap_or_default(),
        ip: m
            .lbvmipaddresses
            .as_ref()
            .and_then(|a| a.first().cloned())
            .or_else(|| {
                vm.get("nic")
                    .and_then(|n| n.get(0))
                    .and_then(|n| n.get("ipaddress"))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            }),
        vm_state: field("state").unwrap_or_default(),
        health: field("servicestate").filter(|s| !s.is_empty()),
    })
}
