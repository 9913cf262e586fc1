//! Reusable rule sets and egress rules, expanded into the exact CloudStack calls that realise
//! them, and compared with what an IP already has — so the UI can show what will change, and
//! nothing is ever opened to `0.0.0.0/0` unless the user typed it.
//!
//! Conflicts follow CloudStack's `FirewallManagerImpl.detectRulesConflict`: two firewall rules on
//! an IP conflict when they have the same protocol, overlapping ports (or the same ICMP type and
//! code, or both no ports) and share a source CIDR *string*; a port forward conflicts with another
//! of the same protocol on overlapping public ports sharing a source CIDR, with any load balancer
//! on overlapping ports, and with static NAT on the IP.

use super::FirewallRuleRow;
use super::cidr::{Cidr, cidr_list_param, opens_to_world};
use super::ports::{PortRange, PortSpec, Protocol, Traffic};
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

pub(super) fn shared(a: &[String], b: &[String]) -> Option<String> {
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
}
