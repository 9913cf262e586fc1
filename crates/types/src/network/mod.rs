//! Guest networks, VPCs and their tiers, ACLs, public IPs and the rules on them (firewall, egress,
//! port forwarding, load balancing, static NAT): what the lists show, what the forms send, and the
//! rules CloudStack 4.22 applies before it accepts a request — written once here so that the UI,
//! the shell, the central server and the CLI refuse the same requests in the same words.
//!
//! - [`cidr`]: CIDR parsing and math, network/tier/gateway checks.
//! - [`ports`]: port lists ("22, 80, 8000-8100"), protocols and ICMP.
//! - [`rules`]: rule sets expanded into `createFirewallRule` calls, diffs against an IP's rules,
//!   egress rules.
//! - [`forward`]: port forwards, several at once (never silently open to 0.0.0.0/0).
//! - [`lb`]: load balancers, health checks, stickiness.
//! - [`checks`]: whether an action on a network or an IP is available, or why not.

pub mod checks;
pub mod cidr;
pub mod forward;
pub mod lb;
pub mod ports;
pub mod rules;

pub use cidr::{Cidr, SiblingNetwork};
pub use ports::{PortRange, PortSpec, Protocol, Traffic};

use serde::{Deserialize, Serialize};

/// A guest network's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GuestType {
    /// The account's own network behind a virtual router (source NAT, firewall, PF, LB).
    Isolated,
    /// A network shared by several accounts, no NAT.
    Shared,
    /// Layer 2 only: no IP management by CloudStack.
    L2,
}

/// The default egress policy of an isolated network's offering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EgressDefault {
    /// Outgoing traffic is allowed unless an egress rule blocks it (egress rules then deny).
    Allow,
    /// Outgoing traffic is blocked unless an egress rule allows it.
    Deny,
}

/// One row of the networks list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NetworkRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// Guest CIDR (none for L2).
    pub cidr: Option<Cidr>,
    /// Gateway (none for L2).
    pub gateway: Option<String>,
    /// CloudStack's state: Allocated, Setup, Implementing, Implemented, Shutdown, Destroy.
    pub state: String,
    /// Isolated, Shared or L2.
    pub guest_type: GuestType,
    /// The VPC it is a tier of.
    pub vpc_id: Option<String>,
    /// That VPC's name.
    pub vpc_name: Option<String>,
    /// Network offering id.
    pub offering_id: String,
    /// Network offering name.
    pub offering_name: String,
    /// The ACL list of a VPC tier.
    pub acl_id: Option<String>,
    /// The offering's default egress policy (isolated networks).
    pub egress_default: Option<EgressDefault>,
    /// Names of the VMs with a NIC on it.
    pub vm_names: Vec<String>,
}

/// A tier of a VPC, as the VPC row nests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TierRow {
    /// Network id.
    pub id: String,
    /// Name.
    pub name: String,
    /// CIDR.
    pub cidr: Cidr,
    /// Gateway.
    pub gateway: String,
    /// State.
    pub state: String,
    /// ACL list id.
    pub acl_id: Option<String>,
    /// ACL list name.
    pub acl_name: Option<String>,
    /// Names of the VMs on it.
    pub vm_names: Vec<String>,
}

/// One row of the VPC list, with its tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VpcRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// The super CIDR every tier lies in.
    pub cidr: Cidr,
    /// State: Enabled, Inactive.
    pub state: String,
    /// VPC offering id.
    pub offering_id: String,
    /// VPC offering name.
    pub offering_name: String,
    /// Tiers.
    pub tiers: Vec<TierRow>,
}

/// What an ACL rule does to matching traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AclAction {
    /// Let it through.
    Allow,
    /// Drop it.
    Deny,
}

/// Which direction an ACL rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TrafficDirection {
    /// Into the tier.
    Ingress,
    /// Out of the tier.
    Egress,
}

/// A network ACL list of a VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AclListRow {
    /// Id.
    pub id: String,
    /// Name (`default_allow` and `default_deny` are CloudStack's own).
    pub name: String,
    /// Description.
    pub description: String,
    /// The VPC (none for CloudStack's two built-in lists).
    pub vpc_id: Option<String>,
    /// Its rules, by number.
    pub rules: Vec<AclRuleRow>,
}

/// One rule of an ACL list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AclRuleRow {
    /// Id.
    pub id: String,
    /// Its number: rules are evaluated in ascending order.
    pub number: u32,
    /// Source CIDRs.
    pub cidrs: Vec<Cidr>,
    /// What it matches.
    pub traffic: Traffic,
    /// Allow or Deny.
    pub action: AclAction,
    /// Ingress or Egress.
    pub direction: TrafficDirection,
    /// Why it exists, as its author wrote it.
    pub reason: Option<String>,
    /// State: Active, Add, Revoke.
    pub state: String,
}

/// One row of the public IP list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicIpRow {
    /// Id.
    pub id: String,
    /// The address.
    pub address: String,
    /// Zone id.
    pub zone_id: String,
    /// The network it is associated with.
    pub network_id: Option<String>,
    /// That network's name.
    pub network_name: Option<String>,
    /// The VPC it belongs to.
    pub vpc_id: Option<String>,
    /// That VPC's name.
    pub vpc_name: Option<String>,
    /// Whether it is the network's source NAT address.
    pub source_nat: bool,
    /// Static NAT target VM id, when enabled.
    pub static_nat_vm_id: Option<String>,
    /// Static NAT target VM name.
    pub static_nat_vm_name: Option<String>,
    /// State: Allocating, Allocated, Releasing, Reserved, Free.
    pub state: String,
}

/// An ingress firewall rule on a public IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FirewallRuleRow {
    /// Id.
    pub id: String,
    /// The public IP's id.
    pub ip_address_id: String,
    /// The public IP.
    pub ip_address: String,
    /// What it matches.
    pub traffic: Traffic,
    /// Source CIDRs as CloudStack stores them (CloudStack keeps the text as typed).
    pub cidrs: Vec<String>,
    /// State: Active, Add, Revoke.
    pub state: String,
}

/// An egress firewall rule of an isolated network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EgressRuleRow {
    /// Id.
    pub id: String,
    /// Network id.
    pub network_id: String,
    /// What it matches.
    pub traffic: Traffic,
    /// Source CIDRs (inside the guest CIDR).
    pub cidrs: Vec<String>,
    /// Destination CIDRs.
    pub dest_cidrs: Vec<String>,
    /// State.
    pub state: String,
}

/// A port forwarding rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortForwardRow {
    /// Id.
    pub id: String,
    /// The public IP's id.
    pub ip_address_id: String,
    /// The public IP.
    pub ip_address: String,
    /// `tcp` or `udp`.
    pub protocol: Protocol,
    /// Public ports.
    pub public: PortRange,
    /// Private ports.
    pub private: PortRange,
    /// Target VM id.
    pub vm_id: String,
    /// Target VM name.
    pub vm_name: String,
    /// The VM's guest IP it forwards to.
    pub vm_guest_ip: Option<String>,
    /// Source CIDRs (empty: CloudStack did not restrict it).
    pub cidrs: Vec<String>,
    /// State.
    pub state: String,
}

/// A load balancer's way of choosing a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LbAlgorithm {
    /// In turn.
    Roundrobin,
    /// The member with the fewest connections.
    Leastconn,
    /// By source address (the same client goes to the same member).
    Source,
}

impl LbAlgorithm {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LbAlgorithm::Roundrobin => "roundrobin",
            LbAlgorithm::Leastconn => "leastconn",
            LbAlgorithm::Source => "source",
        }
    }
}

/// A load balancer member and its health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LbMemberRow {
    /// VM id.
    pub vm_id: String,
    /// VM name.
    pub vm_name: String,
    /// The guest IP it balances to.
    pub ip: Option<String>,
    /// The VM's state.
    pub vm_state: String,
    /// The health check's verdict (`Active`, `Inactive`), when there is a health check.
    pub health: Option<String>,
}

/// A load balancing rule with its members and policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The public IP's id.
    pub ip_address_id: String,
    /// The public IP.
    pub ip_address: String,
    /// Public port.
    pub public_port: u16,
    /// Private port.
    pub private_port: u16,
    /// Algorithm.
    pub algorithm: LbAlgorithm,
    /// Protocol as CloudStack reports it (`tcp`, `udp`, `tcp-proxy`).
    pub protocol: String,
    /// Source CIDRs.
    pub cidrs: Vec<String>,
    /// Members.
    pub members: Vec<LbMemberRow>,
    /// Its health check policy.
    pub health_check: Option<lb::HealthCheckSpec>,
    /// Its stickiness policy.
    pub stickiness: Option<lb::StickinessSpec>,
    /// State.
    pub state: String,
}

/// A new guest network (`createNetwork`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateNetwork {
    /// Zone id.
    pub zone_id: String,
    /// Network offering id.
    pub offering_id: String,
    /// Name.
    pub name: String,
    /// Display text (the name when empty).
    #[serde(default)]
    pub display_text: Option<String>,
    /// Gateway; with `netmask`, fixes the guest CIDR (otherwise CloudStack picks one).
    #[serde(default)]
    pub gateway: Option<String>,
    /// Netmask, with `gateway`.
    #[serde(default)]
    pub netmask: Option<String>,
}

impl CreateNetwork {
    /// The guest CIDR the gateway and netmask give; `Ok(None)` when neither is given; the reason
    /// when only one is, or they do not make a network.
    pub fn cidr(&self) -> Result<Option<Cidr>, String> {
        match (self.gateway.as_deref(), self.netmask.as_deref()) {
            (None, None) => Ok(None),
            (Some(g), Some(m)) => {
                let c = Cidr::from_gateway_netmask(g, m)?;
                match cidr::gateway_problem(g, &c) {
                    Some(p) => Err(p),
                    None => Ok(Some(c)),
                }
            }
            _ => Err("Give both the gateway and the netmask, or neither.".into()),
        }
    }
}

/// Changes to a network (`updateNetwork`); `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateNetwork {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New display text.
    #[serde(default)]
    pub display_text: Option<String>,
    /// Another network offering.
    #[serde(default)]
    pub offering_id: Option<String>,
    /// A new guest VM CIDR (`guestvmcidr`), inside the network's CIDR.
    #[serde(default)]
    pub guest_vm_cidr: Option<Cidr>,
}

/// A lifecycle action on a network (or a VPC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NetworkAction {
    /// `restartNetwork`: re-applies the rules; with `cleanup`, replaces the virtual router.
    Restart {
        /// Destroy and recreate the router.
        cleanup: bool,
    },
    /// `deleteNetwork`.
    Delete,
}

/// A new VPC (`createVPC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateVpc {
    /// Zone id.
    pub zone_id: String,
    /// VPC offering id.
    pub offering_id: String,
    /// Name.
    pub name: String,
    /// Display text.
    #[serde(default)]
    pub display_text: Option<String>,
    /// The super CIDR (a private IPv4 block) every tier will be inside.
    pub cidr: Cidr,
}

impl CreateVpc {
    /// Why CloudStack would refuse the VPC: no name, or a CIDR that is not a private IPv4 range.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("The VPC needs a name.".into());
        }
        out.extend(cidr::guest_cidr_problem(&self.cidr));
        if self.cidr.is_v4() && self.cidr.prefix() > 28 {
            out.push(format!(
                "{} is too small for a VPC: give a block of /28 or larger to hold its tiers.",
                self.cidr
            ));
        }
        out
    }
}

/// A new tier of a VPC (`createNetwork` with `vpcid`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateTier {
    /// The VPC.
    pub vpc_id: String,
    /// Network offering id (one for VPC tiers).
    pub offering_id: String,
    /// Name.
    pub name: String,
    /// Gateway.
    pub gateway: String,
    /// Netmask.
    pub netmask: String,
    /// The ACL list (CloudStack uses `default_deny` when none is given).
    #[serde(default)]
    pub acl_id: Option<String>,
}

impl CreateTier {
    /// Why CloudStack would refuse the tier: gateway/netmask not a network, gateway outside it,
    /// outside the VPC's CIDR or overlapping another tier. `None` when fine.
    pub fn problem(&self, vpc_cidr: &Cidr, tiers: &[SiblingNetwork]) -> Option<String> {
        let c = match Cidr::from_gateway_netmask(&self.gateway, &self.netmask) {
            Ok(c) => c,
            Err(e) => return Some(e),
        };
        cidr::gateway_problem(&self.gateway, &c)
            .or_else(|| cidr::network_cidr_problem(&c, tiers, Some(vpc_cidr)))
    }
}

/// A new rule of a VPC ACL list (`createNetworkACL`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AclRuleSpec {
    /// The ACL list.
    pub acl_id: String,
    /// Its number (1 or more, unique in the list); `None`: after the last.
    #[serde(default)]
    pub number: Option<u32>,
    /// What it matches.
    pub traffic: Traffic,
    /// Source CIDRs.
    pub cidrs: Vec<Cidr>,
    /// Allow or Deny.
    pub action: AclAction,
    /// Ingress or Egress.
    pub direction: TrafficDirection,
    /// Why (shown in the list).
    #[serde(default)]
    pub reason: Option<String>,
}

impl AclRuleSpec {
    /// Why CloudStack would refuse the rule given the numbers already used in the list, with its
    /// reasons; empty when fine.
    pub fn problems(&self, used_numbers: &[u32]) -> Vec<String> {
        let mut out = Vec::new();
        match self.number {
            Some(0) => out.push("Invalid number. Number cannot be < 1".into()),
            Some(n) if used_numbers.contains(&n) => out.push(format!(
                "ACL item with number {n} already exists in the ACL list; choose another number."
            )),
            _ => {}
        }
        if let Traffic::Icmp {
            icmp_type,
            icmp_code,
        } = self.traffic
        {
            out.extend(ports::icmp_problem(icmp_type, icmp_code));
        }
        if self.cidrs.is_empty() {
            out.push("Give the CIDRs the rule applies to.".into());
        }
        if self.traffic.ports().is_some_and(|p| p.ranges().len() > 1) {
            out.push(
                "One ACL rule has one port range; use a rule set to create several rules.".into(),
            );
        }
        out
    }

    /// The number after the highest used, CloudStack's choice when none is given.
    pub fn next_number(used_numbers: &[u32]) -> u32 {
        used_numbers.iter().max().map_or(1, |m| m + 1)
    }
}

/// Where a new public IP goes (`associateIpAddress`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum AcquireIp {
    /// An isolated network.
    Network {
        /// Network id.
        network_id: String,
    },
    /// A VPC.
    Vpc {
        /// VPC id.
        vpc_id: String,
    },
}

/// An action on a public IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IpAction {
    /// `disassociateIpAddress`.
    Release,
    /// `enableStaticNat`: all traffic to the IP goes to the VM (firewall rules still apply).
    EnableStaticNat {
        /// VM id.
        vm_id: String,
        /// The VM's guest IP (its first NIC's when none).
        #[serde(default)]
        vm_guest_ip: Option<String>,
        /// The network of that NIC (VPC IPs: the tier).
        #[serde(default)]
        network_id: Option<String>,
    },
    /// `disableStaticNat`.
    DisableStaticNat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_network_gives_its_cidr() {
        let mut r = CreateNetwork {
            zone_id: "z".into(),
            offering_id: "o".into(),
            name: "web".into(),
            display_text: None,
            gateway: None,
            netmask: None,
        };
        assert_eq!(r.cidr(), Ok(None));
        r.gateway = Some("10.1.1.1".into());
        assert_eq!(
            r.cidr().unwrap_err(),
            "Give both the gateway and the netmask, or neither."
        );
        r.netmask = Some("255.255.255.0".into());
        assert_eq!(r.cidr().unwrap().unwrap().to_string(), "10.1.1.0/24");
        r.gateway = Some("10.1.1.0".into());
        assert!(r.cidr().is_err());
    }

    #[test]
    fn tiers_stay_inside_their_vpc() {
        let vpc = Cidr::parse("10.1.0.0/16").unwrap();
        let t = CreateTier {
            vpc_id: "v".into(),
            offering_id: "o".into(),
            name: "db".into(),
            gateway: "10.1.2.1".into(),
            netmask: "255.255.255.0".into(),
            acl_id: None,
        };
        assert_eq!(t.problem(&vpc, &[]), None);
        let web = SiblingNetwork {
            name: "web".into(),
            cidr: Cidr::parse("10.1.0.0/22").unwrap(),
        };
        assert_eq!(
            t.problem(&vpc, &[web]).as_deref(),
            Some("10.1.2.0/24 overlaps the network web (10.1.0.0/22).")
        );
        let out = CreateTier {
            gateway: "10.9.2.1".into(),
            ..t
        };
        assert!(
            out.problem(&vpc, &[])
                .unwrap()
                .contains("not inside the VPC")
        );
    }

    #[test]
    fn vpcs_use_private_ranges() {
        let mut v = CreateVpc {
            zone_id: "z".into(),
            offering_id: "o".into(),
            name: "prod".into(),
            display_text: None,
            cidr: Cidr::parse("10.1.0.0/16").unwrap(),
        };
        assert!(v.problems().is_empty());
        v.cidr = Cidr::parse("203.0.113.0/24").unwrap();
        v.name = "".into();
        assert_eq!(v.problems().len(), 2);
    }

    #[test]
    fn acl_rules() {
        let r = AclRuleSpec {
            acl_id: "a".into(),
            number: Some(10),
            traffic: Traffic::tcp("22").unwrap(),
            cidrs: vec![Cidr::parse("10.0.0.0/8").unwrap()],
            action: AclAction::Allow,
            direction: TrafficDirection::Ingress,
            reason: None,
        };
        assert!(r.problems(&[1, 2]).is_empty());
        assert_eq!(
            r.problems(&[10]),
            ["ACL item with number 10 already exists in the ACL list; choose another number."]
        );
        let z = AclRuleSpec {
            number: Some(0),
            cidrs: vec![],
            ..r.clone()
        };
        assert_eq!(
            z.problems(&[]),
            [
                "Invalid number. Number cannot be < 1",
                "Give the CIDRs the rule applies to."
            ]
        );
        assert_eq!(AclRuleSpec::next_number(&[3, 9, 4]), 10);
        assert_eq!(AclRuleSpec::next_number(&[]), 1);
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["action"], "Allow");
        assert_eq!(j["direction"], "Ingress");
        assert_eq!(j["traffic"]["protocol"], "tcp");
    }

    #[test]
    fn actions_serialise_with_a_tag() {
        let a = IpAction::EnableStaticNat {
            vm_id: "vm1".into(),
            vm_guest_ip: None,
            network_id: None,
        };
        let j = serde_json::to_string(&a).unwrap();
        assert_eq!(
            j,
            r#"{"action":"enable_static_nat","vm_id":"vm1","vm_guest_ip":null,"network_id":null}"#
        );
        assert_eq!(serde_json::from_str::<IpAction>(&j).unwrap(), a);
        let n = serde_json::to_string(&NetworkAction::Restart { cleanup: true }).unwrap();
        assert_eq!(n, r#"{"action":"restart","cleanup":true}"#);
    }
}
