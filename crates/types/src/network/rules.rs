//! Reusable rule sets and port forwards, expanded into the exact CloudStack calls that realise
//! them, and compared with what an IP already has — so the UI can show what will change, and
//! nothing is ever opened to `0.0.0.0/0` unless the user typed it.
//!
//! Conflicts follow CloudStack's `FirewallManagerImpl.detectRulesConflict`: two firewall rules on
//! an IP conflict when they have the same protocol, overlapping ports (or the same ICMP type and
//! code, or both no ports) and share a source CIDR *string*; a port forward conflicts with another
//! of the same protocol on overlapping public ports sharing a source CIDR, with any load balancer
//! on overlapping ports, and with static NAT on the IP.

use super::cidr::{Cidr, cidr_list_param, opens_to_world};
use super::ports::{PortRange, PortSpec, Protocol, Traffic};
use super::{FirewallRuleRow, LoadBalancerRow, PortForwardRow};
use serde::{Deserialize, Serialize};

/// One entry of a rule set: traffic allowed from some source CIDRs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleSpec {
    /// What it opens.
    pub traffic: Traffic,
    /// From where. Required: there is no default to 0.0.0.0/0.
    pub cidrs: Vec<Cidr>,
}

/// A named, reusable set of ingress rules ("web", "ssh from the office", "database from the app
/// tier"), applied to one IP or several at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleSet {
    /// Name.
    pub name: String,
    /// Entries.
    pub rules: Vec<RuleSpec>,
}

/// The names of the built-in presets, for [`RuleSet::preset`].
pub const PRESETS: [&str; 2] = ["web", "ssh"];

impl RuleSet {
    /// A built-in preset opened to `cidrs` (which the user must give): `web` = TCP 80, 443;
    /// `ssh` = TCP 22. `None` for another name.
    pub fn preset(name: &str, cidrs: Vec<Cidr>) -> Option<RuleSet> {
        let ports = match name {
            "web" => PortSpec::parse("80, 443"),
            "ssh" => PortSpec::parse("22"),
            _ => return None,
        }
        .ok()?;
        Some(RuleSet {
            name: name.into(),
            rules: vec![RuleSpec {
                traffic: Traffic::Tcp { ports },
                cidrs,
            }],
        })
    }

    /// Why the set cannot be applied: no name, no rules, a rule without CIDRs, or two of its own
    /// rules CloudStack would refuse together. Empty when fine.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("The rule set needs a name.".into());
        }
        if self.rules.is_empty() {
            out.push("The rule set has no rules.".into());
        }
        for (i, r) in self.rules.iter().enumerate() {
            if r.cidrs.is_empty() {
                out.push(format!(
                    "Rule {} ({}) needs the source CIDRs it is open to; nothing defaults to 0.0.0.0/0.",
                    i + 1,
                    r.traffic
                ));
            }
        }
        let calls = self.calls_for("");
        for (i, a) in calls.iter().enumerate() {
            for b in &calls[..i] {
                if a.rule_index != b.rule_index
                    && cloudstack_conflict(a, &b.traffic, &b.cidr_strings())
                {
                    out.push(format!(
                        "Rules {} and {} both open {} to {}: CloudStack refuses overlapping rules with a shared CIDR.",
                        b.rule_index + 1,
                        a.rule_index + 1,
                        a.traffic,
                        shared(&a.cidr_strings(), &b.cidr_strings()).unwrap_or_default()
                    ));
                }
            }
        }
        out.dedup();
        out
    }

    /// Whether any rule opens to the whole Internet: the UI must warn before applying.
    pub fn opens_to_world(&self) -> bool {
        self.rules.iter().any(|r| opens_to_world(&r.cidrs))
    }

    fn calls_for(&self, ip: &str) -> Vec<FirewallRuleCall> {
        let mut out = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            match &r.traffic {
                Traffic::Tcp { ports } | Traffic::Udp { ports } => {
                    for range in ports.ranges() {
                        let t = if r.traffic.protocol() == Protocol::Tcp {
                            Traffic::Tcp {
                                ports: (*range).into(),
                            }
                        } else {
                            Traffic::Udp {
                                ports: (*range).into(),
                            }
                        };
                        out.push(FirewallRuleCall {
                            ip_address_id: ip.into(),
                            traffic: t,
                            cidrs: r.cidrs.clone(),
                            rule_index: i,
                        });
                    }
                }
                t => out.push(FirewallRuleCall {
                    ip_address_id: ip.into(),
                    traffic: t.clone(),
                    cidrs: r.cidrs.clone(),
                    rule_index: i,
                }),
            }
        }
        out
    }
}

fn shared(a: &[String], b: &[String]) -> Option<String> {
    a.iter().find(|x| b.contains(x)).cloned()
}

/// One `createFirewallRule` call: one protocol, one contiguous port range (or ICMP type/code), one
/// CIDR list, on one IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FirewallRuleCall {
    /// The public IP's id.
    pub ip_address_id: String,
    /// What it opens (TCP/UDP: exactly one range).
    pub traffic: Traffic,
    /// Source CIDRs.
    pub cidrs: Vec<Cidr>,
    /// The rule of the set it comes from (0-based).
    pub rule_index: usize,
}

impl FirewallRuleCall {
    /// The exact parameters of `createFirewallRule`, in a stable order.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("ipaddressid", self.ip_address_id.clone()),
            ("protocol", self.traffic.protocol().as_str().to_string()),
        ];
        p.extend(traffic_params(&self.traffic));
        p.push(("cidrlist", cidr_list_param(&self.cidrs)));
        p
    }

    fn cidr_strings(&self) -> Vec<String> {
        self.cidrs.iter().map(|c| c.to_string()).collect()
    }
}

fn traffic_params(t: &Traffic) -> Vec<(&'static str, String)> {
    match t {
        Traffic::Tcp { ports } | Traffic::Udp { ports } => {
            let r = ports.ranges()[0];
            vec![
                ("startport", r.start.to_string()),
                ("endport", r.end.to_string()),
            ]
        }
        Traffic::Icmp {
            icmp_type,
            icmp_code,
        } => vec![
            ("icmptype", icmp_type.to_string()),
            ("icmpcode", icmp_code.to_string()),
        ],
        Traffic::All => vec![],
    }
}

/// The rule set on each of `ip_ids`: one call per IP × rule × contiguous port range (TCP/UDP) or
/// per rule (ICMP, all), in order. Refuses a set with [`RuleSet::problems`].
pub fn expand(set: &RuleSet, ip_ids: &[String]) -> Result<Vec<FirewallRuleCall>, String> {
    let problems = set.problems();
    if !problems.is_empty() {
        return Err(problems.join(" "));
    }
    if ip_ids.is_empty() {
        return Err("Choose at least one public IP to apply the rule set to.".into());
    }
    Ok(ip_ids.iter().flat_map(|ip| set.calls_for(ip)).collect())
}

/// How one planned call compares with the rules already on its IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RuleChange {
    /// New: it will be created.
    Add,
    /// The same rule exists (same traffic, same CIDRs): it is skipped.
    AlreadyPresent {
        /// The existing rule.
        rule_id: String,
    },
    /// It will be created, but overlaps an existing rule (ports or CIDRs) that CloudStack accepts
    /// alongside it — shown so the user sees the redundancy.
    Overlaps {
        /// The existing rule.
        rule_id: String,
        /// In words.
        note: String,
    },
    /// CloudStack would refuse it next to an existing rule: it is not sent.
    Conflict {
        /// The existing rule.
        rule_id: String,
        /// CloudStack's reason.
        reason: String,
    },
}

/// A planned call and what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlannedRule {
    /// The call.
    pub call: FirewallRuleCall,
    /// What it changes.
    pub change: RuleChange,
}

/// What applying a rule set will do, for the confirmation step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleSetDiff {
    /// Every planned call, with its status.
    pub rules: Vec<PlannedRule>,
    /// Whether any call that will be sent opens to 0.0.0.0/0 or ::/0: the UI must warn.
    pub opens_to_world: bool,
}

impl RuleSetDiff {
    /// The calls that will be sent (new or overlapping), in order.
    pub fn to_send(&self) -> Vec<&FirewallRuleCall> {
        self.rules
            .iter()
            .filter(|r| matches!(r.change, RuleChange::Add | RuleChange::Overlaps { .. }))
            .map(|r| &r.call)
            .collect()
    }

    /// How many calls are new, already present, overlapping, conflicting.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for r in &self.rules {
            match r.change {
                RuleChange::Add => c.0 += 1,
                RuleChange::AlreadyPresent { .. } => c.1 += 1,
                RuleChange::Overlaps { .. } => c.2 += 1,
                RuleChange::Conflict { .. } => c.3 += 1,
            }
        }
        c
    }
}

fn ports_of(t: &Traffic) -> Option<PortRange> {
    t.ports().map(|p| {
        let r = p.ranges();
        PortRange {
            start: r[0].start,
            end: r[r.len() - 1].end,
        }
    })
}

/// Whether CloudStack's conflict check refuses `call` next to a firewall rule with `traffic` and
/// `cidrs` on the same IP.
fn cloudstack_conflict(call: &FirewallRuleCall, traffic: &Traffic, cidrs: &[String]) -> bool {
    if call.traffic.protocol() != traffic.protocol() {
        return false;
    }
    let mine: Vec<String> = call.cidr_strings();
    if shared(&mine, cidrs).is_none() {
        return false;
    }
    match (&call.traffic, traffic) {
        (
            Traffic::Icmp {
                icmp_type: a,
                icmp_code: b,
            },
            Traffic::Icmp {
                icmp_type: c,
                icmp_code: d,
            },
        ) => a == c && b == d,
        (Traffic::All, Traffic::All) => true,
        (x, y) => match (ports_of(x), ports_of(y)) {
            (Some(p), Some(q)) => p.overlaps(&q),
            _ => false,
        },
    }
}

fn normalised(cidrs: &[String]) -> Vec<Cidr> {
    let mut v: Vec<Cidr> = cidrs.iter().filter_map(|c| Cidr::parse(c).ok()).collect();
    v.sort();
    v.dedup();
    v
}

/// Compares planned calls with the rules already on their IPs (`existing`, of any IPs; rules in
/// state Revoke are ignored). An existing TCP/UDP rule listed without ports reads as 1-65535
/// ([`Traffic::from_wire`]), so it is reported as a conflict where CloudStack might accept the
/// new rule: the check errs on the side of refusing, never of sending a rule CloudStack refuses.
pub fn diff(calls: &[FirewallRuleCall], existing: &[FirewallRuleRow]) -> RuleSetDiff {
    let mut rules = Vec::new();
    for call in calls {
        let on_ip: Vec<&FirewallRuleRow> = existing
            .iter()
            .filter(|r| r.ip_address_id == call.ip_address_id && r.state != "Revoke")
            .collect();
        let mut mine = call.cidrs.clone();
        mine.sort();
        mine.dedup();
        let same = on_ip
            .iter()
            .find(|r| r.traffic == call.traffic && normalised(&r.cidrs) == mine);
        let conflict = || {
            on_ip
                .iter()
                .find(|r| cloudstack_conflict(call, &r.traffic, &r.cidrs))
        };
        let overlap = || {
            on_ip.iter().find(|r| {
                let ports_overlap = match (ports_of(&call.traffic), ports_of(&r.traffic)) {
                    (Some(p), Some(q)) => p.overlaps(&q),
                    (None, None) => true,
                    _ => false,
                };
                let theirs = normalised(&r.cidrs);
                r.traffic.protocol() == call.traffic.protocol()
                    && ports_overlap
                    && mine.iter().any(|m| theirs.iter().any(|t| t.overlaps(m)))
            })
        };
        let change = if let Some(r) = same {
            RuleChange::AlreadyPresent {
                rule_id: r.id.clone(),
            }
        } else if let Some(r) = conflict() {
            RuleChange::Conflict {
                rule_id: r.id.clone(),
                reason: format!(
                    "{} from {} conflicts with the existing rule {} from {} on {}.",
                    call.traffic,
                    cidr_list_param(&call.cidrs),
                    r.traffic,
                    r.cidrs.join(","),
                    r.ip_address
                ),
            }
        } else if let Some(r) = overlap() {
            RuleChange::Overlaps {
                rule_id: r.id.clone(),
                note: format!(
                    "Overlaps the existing rule {} from {}.",
                    r.traffic,
                    r.cidrs.join(",")
                ),
            }
        } else {
            RuleChange::Add
        };
        rules.push(PlannedRule {
            call: call.clone(),
            change,
        });
    }
    let opens_to_world = rules.iter().any(|r| {
        matches!(r.change, RuleChange::Add | RuleChange::Overlaps { .. })
            && opens_to_world(&r.call.cidrs)
    });
    RuleSetDiff {
        rules,
        opens_to_world,
    }
}

/// An egress rule of an isolated network (`createEgressFirewallRule`): what VMs may send (or,
/// when the offering's default is allow, what they may not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EgressRuleSpec {
    /// Network id.
    pub network_id: String,
    /// What it matches.
    pub traffic: Traffic,
    /// Source CIDRs inside the guest CIDR (empty: the whole guest network).
    #[serde(default)]
    pub cidrs: Vec<Cidr>,
    /// Destination CIDRs (empty: anywhere).
    #[serde(default)]
    pub dest_cidrs: Vec<Cidr>,
}

impl EgressRuleSpec {
    /// Why CloudStack would refuse it on a network whose guest CIDR is `guest_cidr`: a source CIDR
    /// outside it (`0.0.0.0/0` aside, which CloudStack lets through), or a bad ICMP type/code.
    pub fn problems(&self, guest_cidr: &Cidr) -> Vec<String> {
        let mut out = Vec::new();
        for c in self
            .cidrs
            .iter()
            .filter(|c| !c.is_any() && !guest_cidr.contains(c))
        {
            out.push(format!("{c} is not within the guest cidr {guest_cidr}"));
        }
        if let Traffic::Icmp {
            icmp_type,
            icmp_code,
        } = self.traffic
        {
            out.extend(super::ports::icmp_problem(icmp_type, icmp_code));
        }
        out
    }

    /// The parameters of each `createEgressFirewallRule` call: one per contiguous port range
    /// (TCP/UDP), else one.
    pub fn calls(&self) -> Vec<Vec<(&'static str, String)>> {
        let one = |t: &Traffic| {
            let mut p = vec![
                ("networkid", self.network_id.clone()),
                ("protocol", t.protocol().as_str().to_string()),
            ];
            p.extend(traffic_params(t));
            if !self.cidrs.is_empty() {
                p.push(("cidrlist", cidr_list_param(&self.cidrs)));
            }
            if !self.dest_cidrs.is_empty() {
                p.push(("destcidrlist", cidr_list_param(&self.dest_cidrs)));
            }
            p
        };
        match &self.traffic {
            Traffic::Tcp { ports } | Traffic::Udp { ports } => ports
                .ranges()
                .iter()
                .map(|r| {
                    let ports: PortSpec = (*r).into();
                    one(&if self.traffic.protocol() == Protocol::Tcp {
                        Traffic::Tcp { ports }
                    } else {
                        Traffic::Udp { ports }
                    })
                })
                .collect(),
            t => vec![one(t)],
        }
    }
}

/// The egress policy in plain words, from the offering's default and the number of egress rules.
pub fn egress_summary(default: super::EgressDefault, rules: usize) -> String {
    let n = match rules {
        0 => "no egress rules".to_string(),
        1 => "1 egress rule".to_string(),
        n => format!("{n} egress rules"),
    };
    match default {
        super::EgressDefault::Allow => format!(
            "Outgoing traffic is allowed by default; {n} block{} what {}.",
            if rules == 1 { "s" } else { "" },
            if rules == 1 {
                "it matches"
            } else {
                "they match"
            }
        ),
        super::EgressDefault::Deny => format!(
            "Outgoing traffic is blocked by default; {n} allow{} what {}.",
            if rules == 1 { "s" } else { "" },
            if rules == 1 {
                "it matches"
            } else {
                "they match"
            }
        ),
    }
}

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

    #[test]
    fn presets_need_cidrs_and_expand_per_range_and_ip() {
        assert!(RuleSet::preset("db", vec![]).is_none());
        let bare = RuleSet::preset("web", vec![]).unwrap();
        assert_eq!(
            bare.problems(),
            [
                "Rule 1 (tcp 80, 443) needs the source CIDRs it is open to; nothing defaults to 0.0.0.0/0."
            ]
        );
        assert!(expand(&bare, &["ip1".into()]).is_err());
        let web = RuleSet::preset("web", cidrs("198.51.100.0/24")).unwrap();
        let calls = expand(&web, &["ip1".into(), "ip2".into()]).unwrap();
        assert_eq!(calls.len(), 4);
        assert_eq!(
            calls[0].params(),
            [
                ("ipaddressid", "ip1".to_string()),
                ("protocol", "tcp".into()),
                ("startport", "80".into()),
                ("endport", "80".into()),
                ("cidrlist", "198.51.100.0/24".into()),
            ]
        );
        assert_eq!(calls[3].ip_address_id, "ip2");
        assert_eq!(calls[3].params()[2], ("startport", "443".to_string()));
        assert!(!web.opens_to_world());
        assert!(expand(&web, &[]).is_err());
    }

    #[test]
    fn a_multi_port_set_makes_one_call_per_contiguous_range() {
        let set = RuleSet {
            name: "app".into(),
            rules: vec![
                RuleSpec {
                    traffic: Traffic::tcp("22, 80, 81, 443, 8000-8100").unwrap(),
                    cidrs: cidrs("10.0.0.0/8"),
                },
                RuleSpec {
                    traffic: Traffic::icmp(8, 0).unwrap(),
                    cidrs: cidrs("10.0.0.0/8"),
                },
            ],
        };
        let calls = expand(&set, &["ip".into()]).unwrap();
        let shown: Vec<String> = calls.iter().map(|c| c.traffic.to_string()).collect();
        assert_eq!(
            shown,
            [
                "tcp 22",
                "tcp 80-81",
                "tcp 443",
                "tcp 8000-8100",
                "icmp type 8 code 0"
            ]
        );
        assert_eq!(
            calls[4].params()[2..4],
            [("icmptype", "8".to_string()), ("icmpcode", "0".to_string())]
        );
    }

    #[test]
    fn internal_conflicts_are_refused() {
        let set = RuleSet {
            name: "x".into(),
            rules: vec![
                RuleSpec {
                    traffic: Traffic::tcp("80-90").unwrap(),
                    cidrs: cidrs("10.0.0.0/8"),
                },
                RuleSpec {
                    traffic: Traffic::tcp("85").unwrap(),
                    cidrs: cidrs("10.0.0.0/8, 192.168.0.0/16"),
                },
                RuleSpec {
                    traffic: Traffic::udp("85").unwrap(),
                    cidrs: cidrs("10.0.0.0/8"),
                },
            ],
        };
        assert_eq!(
            set.problems(),
            [
                "Rules 1 and 2 both open tcp 85 to 10.0.0.0/8: CloudStack refuses overlapping rules with a shared CIDR."
            ]
        );
    }

    #[test]
    fn diff_shows_what_changes() {
        let set = RuleSet {
            name: "s".into(),
            rules: vec![RuleSpec {
                traffic: Traffic::tcp("22, 80, 443, 3000").unwrap(),
                cidrs: cidrs("10.0.0.0/8"),
            }],
        };
        let calls = expand(&set, &["ip".into()]).unwrap();
        let have = [
            existing("r1", "ip", Traffic::tcp("22").unwrap(), &["10.0.0.0/8"]),
            existing("r2", "ip", Traffic::tcp("70-90").unwrap(), &["10.0.0.0/8"]),
            existing("r3", "ip", Traffic::tcp("443").unwrap(), &["10.1.0.0/16"]),
            existing(
                "r4",
                "other",
                Traffic::tcp("3000").unwrap(),
                &["10.0.0.0/8"],
            ),
            existing("r5", "ip", Traffic::udp("3000").unwrap(), &["10.0.0.0/8"]),
        ];
        let d = diff(&calls, &have);
        assert_eq!(
            d.rules[0].change,
            RuleChange::AlreadyPresent {
                rule_id: "r1".into()
            }
        );
        assert!(matches!(
            &d.rules[1].change,
            RuleChange::Conflict { rule_id, .. } if rule_id == "r2"
        ));
        assert!(matches!(
            &d.rules[2].change,
            RuleChange::Overlaps { rule_id, .. } if rule_id == "r3"
        ));
        assert_eq!(d.rules[3].change, RuleChange::Add);
        assert_eq!(d.counts(), (1, 1, 1, 1));
        assert_eq!(d.to_send().len(), 2);
        assert!(!d.opens_to_world);
        let world = RuleSet::preset("ssh", cidrs("0.0.0.0/0")).unwrap();
        assert!(world.opens_to_world());
        let d = diff(&expand(&world, &["ip".into()]).unwrap(), &[]);
        assert!(d.opens_to_world);
        let d = diff(
            &expand(&world, &["ip".into()]).unwrap(),
            &[existing(
                "r",
                "ip",
                Traffic::tcp("22").unwrap(),
                &["0.0.0.0/0"],
            )],
        );
        assert!(!d.opens_to_world, "nothing new is opened");
    }

    #[test]
    fn host_bits_in_existing_rules_compare_equal() {
        let set = RuleSet::preset("ssh", cidrs("10.0.0.0/24")).unwrap();
        let calls = expand(&set, &["ip".into()]).unwrap();
        let d = diff(
            &calls,
            &[existing(
                "r",
                "ip",
                Traffic::tcp("22").unwrap(),
                &["10.0.0.7/24"],
            )],
        );
        assert_eq!(
            d.rules[0].change,
            RuleChange::AlreadyPresent {
                rule_id: "r".into()
            }
        );
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
    fn egress_rules() {
        let guest = Cidr::parse("10.1.1.0/24").unwrap();
        let e = EgressRuleSpec {
            network_id: "n".into(),
            traffic: Traffic::tcp("80, 443").unwrap(),
            cidrs: cidrs("10.1.1.0/25"),
            dest_cidrs: cidrs("0.0.0.0/0"),
        };
        assert!(e.problems(&guest).is_empty());
        let calls = e.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(
            calls[1],
            [
                ("networkid", "n".to_string()),
                ("protocol", "tcp".into()),
                ("startport", "443".into()),
                ("endport", "443".into()),
                ("cidrlist", "10.1.1.0/25".into()),
                ("destcidrlist", "0.0.0.0/0".into()),
            ]
        );
        let outside = EgressRuleSpec {
            cidrs: cidrs("10.2.0.0/16"),
            traffic: Traffic::All,
            ..e
        };
        assert_eq!(
            outside.problems(&guest),
            ["10.2.0.0/16 is not within the guest cidr 10.1.1.0/24"]
        );
        assert_eq!(outside.calls().len(), 1);
        use crate::network::EgressDefault;
        assert_eq!(
            egress_summary(EgressDefault::Deny, 1),
            "Outgoing traffic is blocked by default; 1 egress rule allows what it matches."
        );
        assert_eq!(
            egress_summary(EgressDefault::Allow, 0),
            "Outgoing traffic is allowed by default; no egress rules block what they match."
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
