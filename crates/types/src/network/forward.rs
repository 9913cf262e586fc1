//! Port forwards, one or many at once: checked as CloudStack checks them and expanded into a
//! `createPortForwardingRule` with `openfirewall=false` plus the explicit firewall rule for the
//! source CIDRs the user typed — so nothing is silently opened to `0.0.0.0/0`.

use super::cidr::{Cidr, cidr_list_param, opens_to_world};
use super::ports::{PortRange, PortSpec, Protocol, Traffic};
use super::rules::{FirewallRuleCall, RuleChange, RuleSetDiff, diff, shared};
use super::{FirewallRuleRow, LoadBalancerRow, PortForwardRow};
use serde::{Deserialize, Serialize};

/// A port forward as the "expose a VM" wizard and the multi-row PF form send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortForwardSpec {
    /// The public IP's id.
    pub ip_address_id: String,
    /// `tcp` or `udp`.
    pub protocol: Protocol,
    /// Public port or range.
    pub public: PortRange,
    /// Private port or range, of the same length.
    pub private: PortRange,
    /// Target VM id.
    pub vm_id: String,
    /// The VM's guest IP (its first NIC's when none).
    #[serde(default)]
    pub vm_guest_ip: Option<String>,
    /// The network of that NIC (VPC tiers).
    #[serde(default)]
    pub network_id: Option<String>,
    /// Source CIDRs allowed in. Required: there is no default to 0.0.0.0/0.
    pub cidrs: Vec<Cidr>,
}

impl PortForwardSpec {
    /// Why the spec itself is wrong (protocol, ranges, lengths, CIDRs); empty when fine.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !matches!(self.protocol, Protocol::Tcp | Protocol::Udp) {
            out.push(format!(
                "Port forwarding is for tcp or udp, not {}.",
                self.protocol
            ));
        }
        out.extend(self.public.problem());
        out.extend(self.private.problem());
        if self.public.problem().is_none()
            && self.private.problem().is_none()
            && self.public.len() != self.private.len()
        {
            out.push(format!(
                "The public ports {} ({}) and the private ports {} ({}) must be ranges of the same length.",
                self.public,
                plural(self.public.len()),
                self.private,
                plural(self.private.len())
            ));
        }
        if self.vm_id.trim().is_empty() {
            out.push("Choose the VM to forward to.".into());
        }
        if self.cidrs.is_empty() {
            out.push(format!(
                "Give the source CIDRs allowed to reach public port {}; nothing defaults to 0.0.0.0/0.",
                self.public
            ));
        }
        out
    }

    /// The two calls: `createPortForwardingRule` with `openfirewall=false` (CloudStack's default
    /// `true` would open 0.0.0.0/0), and the `createFirewallRule` for exactly the CIDRs.
    pub fn calls(&self) -> (PortForwardCall, FirewallRuleCall) {
        let ports: PortSpec = self.public.into();
        let traffic = if self.protocol == Protocol::Udp {
            Traffic::Udp { ports }
        } else {
            Traffic::Tcp { ports }
        };
        (
            PortForwardCall { spec: self.clone() },
            FirewallRuleCall {
                ip_address_id: self.ip_address_id.clone(),
                traffic,
                cidrs: self.cidrs.clone(),
                rule_index: 0,
            },
        )
    }
}

fn plural(n: u32) -> String {
    if n == 1 {
        "1 port".into()
    } else {
        format!("{n} ports")
    }
}

/// One `createPortForwardingRule` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortForwardCall {
    /// What it realises.
    pub spec: PortForwardSpec,
}

impl PortForwardCall {
    /// The exact parameters, `openfirewall=false` always.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let s = &self.spec;
        let mut p = vec![
            ("ipaddressid", s.ip_address_id.clone()),
            ("protocol", s.protocol.as_str().to_string()),
            ("publicport", s.public.start.to_string()),
            ("publicendport", s.public.end.to_string()),
            ("privateport", s.private.start.to_string()),
            ("privateendport", s.private.end.to_string()),
            ("virtualmachineid", s.vm_id.clone()),
        ];
        if let Some(ip) = &s.vm_guest_ip {
            p.push(("vmguestip", ip.clone()));
        }
        if let Some(n) = &s.network_id {
            p.push(("networkid", n.clone()));
        }
        p.push(("openfirewall", "false".into()));
        p.push(("cidrlist", cidr_list_param(&s.cidrs)));
        p
    }
}

/// What the IPs of a batch of port forwards already carry.
#[derive(Debug, Clone, Copy)]
pub struct IpRules<'a> {
    /// Firewall rules (any IPs).
    pub firewall: &'a [FirewallRuleRow],
    /// Port forwarding rules (any IPs).
    pub port_forwards: &'a [PortForwardRow],
    /// Load balancing rules (any IPs).
    pub load_balancers: &'a [LoadBalancerRow],
    /// Ids of the IPs with static NAT enabled.
    pub static_nat_ips: &'a [String],
}

/// A batch of port forwards, checked and expanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortForwardPlan {
    /// For each spec, in order, its `createPortForwardingRule` call.
    pub forwards: Vec<PortForwardCall>,
    /// Their firewall rules compared with the IPs' own: send [`RuleSetDiff::to_send`] (a rule
    /// already present is not sent twice; a conflicting one is a problem below).
    pub firewall: RuleSetDiff,
    /// Why some would be refused (prefixed with the row number); nothing is sent while non-empty.
    pub problems: Vec<String>,
    /// Whether any opens to 0.0.0.0/0 or ::/0: the UI must warn.
    pub opens_to_world: bool,
}

/// The conflict CloudStack would raise for `spec` on its IP, with CloudStack's text; `None` when
/// none.
pub fn port_forward_conflict(spec: &PortForwardSpec, on_ip: IpRules<'_>) -> Option<String> {
    if on_ip.static_nat_ips.contains(&spec.ip_address_id) {
        return Some(format!(
            "There is 1 to 1 Nat rule specified for the ip address id={}",
            spec.ip_address_id
        ));
    }
    let mine: Vec<String> = spec.cidrs.iter().map(|c| c.to_string()).collect();
    for r in on_ip
        .port_forwards
        .iter()
        .filter(|r| r.ip_address_id == spec.ip_address_id && r.state != "Revoke")
    {
        let shares = (r.cidrs.is_empty() && mine.is_empty()) || shared(&mine, &r.cidrs).is_some();
        if r.protocol == spec.protocol && shares && r.public.overlaps(&spec.public) {
            return Some(range_conflict(&spec.public, &r.id, &r.public));
        }
    }
    for lb in on_ip
        .load_balancers
        .iter()
        .filter(|r| r.ip_address_id == spec.ip_address_id && r.state != "Revoke")
    {
        let p = PortRange::single(lb.public_port);
        if p.overlaps(&spec.public) {
            return Some(range_conflict(&spec.public, &lb.id, &p));
        }
    }
    None
}

fn range_conflict(new: &PortRange, id: &str, old: &PortRange) -> String {
    format!(
        "The range specified, {}-{}, conflicts with rule {id} which has {}-{}",
        new.start, new.end, old.start, old.end
    )
}

/// Checks a batch of port forwards — each on its own, against the rules on their IPs and against
/// each other — and expands them.
pub fn plan_port_forwards(specs: &[PortForwardSpec], on_ips: IpRules<'_>) -> PortForwardPlan {
    let mut problems = Vec::new();
    if specs.is_empty() {
        problems.push("Add at least one port forward.".into());
    }
    for (i, s) in specs.iter().enumerate() {
        let n = i + 1;
        for p in s.problems() {
            problems.push(format!("Row {n}: {p}"));
        }
        if let Some(c) = port_forward_conflict(s, on_ips) {
            problems.push(format!("Row {n}: {c}"));
        }
        for (j, o) in specs[..i].iter().enumerate() {
            if o.ip_address_id == s.ip_address_id
                && o.protocol == s.protocol
                && o.public.overlaps(&s.public)
            {
                problems.push(format!(
                    "Row {n}: public ports {} overlap row {} ({}) on the same IP.",
                    s.public,
                    j + 1,
                    o.public
                ));
            }
        }
    }
    let (forwards, fw): (Vec<PortForwardCall>, Vec<FirewallRuleCall>) =
        specs.iter().map(PortForwardSpec::calls).unzip();
    let fw: Vec<FirewallRuleCall> = fw
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.rule_index = i;
            c
        })
        .collect();
    let firewall = diff(&fw, on_ips.firewall);
    for r in &firewall.rules {
        if let RuleChange::Conflict { reason, .. } = &r.change {
            problems.push(format!("Row {}: {reason}", r.call.rule_index + 1));
        }
    }
    PortForwardPlan {
        forwards,
        firewall,
        opens_to_world: specs.iter().any(|s| opens_to_world(&s.cidrs)),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::cidr::parse_cidr_list;

    fn cidrs(s: &str) -> Vec<Cidr> {
        parse_cidr_list(s).unwrap()
    }

    fn existing(id: &str, ip: &str, t: Traffic, c: &[&str]) -> FirewallRuleRow {
        FirewallRuleRow {
            id: id.into(),
            ip_address_id: ip.into(),
            ip_address: format!("203.0.113.{}", ip.len()),
            traffic: t,
            cidrs: c.iter().map(|s| s.to_string()).collect(),
            state: "Active".into(),
        }
    }

    fn pf(public: &str, private: &str, c: &str) -> PortForwardSpec {
        PortForwardSpec {
            ip_address_id: "ip".into(),
            protocol: Protocol::Tcp,
            public: public.parse().unwrap(),
            private: private.parse().unwrap(),
            vm_id: "vm".into(),
            vm_guest_ip: None,
            network_id: None,
            cidrs: if c.is_empty() { vec![] } else { cidrs(c) },
        }
    }

    #[test]
    fn port_forwards_never_open_the_firewall_silently() {
        let s = pf("2222", "22", "203.0.113.7/32");
        assert!(s.problems().is_empty());
        let (fwd, fw) = s.calls();
        let p = fwd.params();
        assert!(p.contains(&("openfirewall", "false".into())));
        assert!(p.contains(&("publicport", "2222".into())));
        assert!(p.contains(&("privateendport", "22".into())));
        assert!(p.contains(&("cidrlist", "203.0.113.7/32".into())));
        assert_eq!(fw.params()[2], ("startport", "2222".to_string()));
        assert_eq!(fw.params()[4], ("cidrlist", "203.0.113.7/32".to_string()));
        assert_eq!(
            pf("80", "8080", "").problems(),
            [
                "Give the source CIDRs allowed to reach public port 80; nothing defaults to 0.0.0.0/0."
            ]
        );
        assert_eq!(
            pf("8000-8010", "9000-9001", "10.0.0.0/8").problems(),
            [
                "The public ports 8000-8010 (11 ports) and the private ports 9000-9001 (2 ports) must be ranges of the same length."
            ]
        );
        let mut icmp = pf("1", "1", "10.0.0.0/8");
        icmp.protocol = Protocol::Icmp;
        assert_eq!(
            icmp.problems(),
            ["Port forwarding is for tcp or udp, not icmp."]
        );
    }

    #[test]
    fn port_forward_conflicts_follow_cloudstack() {
        let row = PortForwardRow {
            id: "pf1".into(),
            ip_address_id: "ip".into(),
            ip_address: "203.0.113.5".into(),
            protocol: Protocol::Tcp,
            public: "8000-8100".parse().unwrap(),
            private: "8000-8100".parse().unwrap(),
            vm_id: "vm".into(),
            vm_name: "web".into(),
            vm_guest_ip: None,
            cidrs: vec!["10.0.0.0/8".into()],
            state: "Active".into(),
        };
        let none: [String; 0] = [];
        let rules = IpRules {
            firewall: &[],
            port_forwards: std::slice::from_ref(&row),
            load_balancers: &[],
            static_nat_ips: &none,
        };
        assert_eq!(
            port_forward_conflict(&pf("8080", "80", "10.0.0.0/8"), rules).as_deref(),
            Some("The range specified, 8080-8080, conflicts with rule pf1 which has 8000-8100")
        );
        assert_eq!(
            port_forward_conflict(&pf("8080", "80", "192.168.0.0/16"), rules),
            None
        );
        let mut udp = pf("8080", "80", "10.0.0.0/8");
        udp.protocol = Protocol::Udp;
        assert_eq!(port_forward_conflict(&udp, rules), None);
        let nat = ["ip".to_string()];
        let rules = IpRules {
            static_nat_ips: &nat,
            ..rules
        };
        assert_eq!(
            port_forward_conflict(&pf("22", "22", "10.0.0.0/8"), rules).as_deref(),
            Some("There is 1 to 1 Nat rule specified for the ip address id=ip")
        );
    }

    #[test]
    fn several_port_forwards_at_once() {
        let none: [String; 0] = [];
        let rules = IpRules {
            firewall: &[],
            port_forwards: &[],
            load_balancers: &[],
            static_nat_ips: &none,
        };
        let plan = plan_port_forwards(
            &[
                pf("2201", "22", "10.0.0.0/8"),
                pf("2202", "22", "10.0.0.0/8"),
                pf("2200-2201", "22-23", "0.0.0.0/0"),
            ],
            rules,
        );
        assert_eq!(plan.forwards.len(), 3);
        assert_eq!(plan.firewall.to_send().len(), 3);
        assert!(plan.opens_to_world);
        assert_eq!(
            plan.problems,
            ["Row 3: public ports 2200-2201 overlap row 1 (2201) on the same IP."]
        );
        let fw = [
            existing("f1", "ip", Traffic::tcp("2201").unwrap(), &["10.0.0.0/8"]),
            existing(
                "f2",
                "ip",
                Traffic::tcp("2200-2210").unwrap(),
                &["192.168.0.0/16"],
            ),
        ];
        let plan = plan_port_forwards(
            &[
                pf("2201", "22", "10.0.0.0/8"),
                pf("2202", "22", "192.168.0.0/16"),
            ],
            IpRules {
                firewall: &fw,
                ..rules
            },
        );
        assert_eq!(plan.firewall.counts(), (0, 1, 0, 1));
        assert_eq!(plan.firewall.to_send().len(), 0);
        assert_eq!(
            plan.problems,
            [
                "Row 2: tcp 2202 from 192.168.0.0/16 conflicts with the existing rule tcp 2200-2210 from 192.168.0.0/16 on 203.0.113.2."
            ]
        );
        assert_eq!(
            plan_port_forwards(&[], rules).problems,
            ["Add at least one port forward."]
        );
    }
}
