//! Every change the Networks and Storage pages make, as one value: an [`Operation`].
//!
//! The desktop app sends one through the `resource_op` command, the command line builds one
//! from its verbs, the central server takes one at `POST /api/operations`; all of them run it
//! through the same CloudStack code. What it needs to be refused before CloudStack is asked
//! (the pure rules of [`crate::network`] and [`crate::storage`]) is in
//! [`Operation::problems`]; what it may change in the offline cache, in
//! [`Operation::touches`]; the permission it needs, in [`Operation::area`].

use crate::network::forward::PortForwardSpec;
use crate::network::lb::LoadBalancerSpec;
use crate::network::rules::{EgressRuleSpec, RuleSet};
use crate::network::{
    AclRuleSpec, AcquireIp, CreateNetwork, CreateTier, CreateVpc, IpAction, NetworkAction,
    UpdateNetwork,
};
use crate::storage::schedule::SnapshotPolicy;
use crate::storage::{
    CreateVmSnapshot, CreateVolume, SnapshotAction, VmSnapshotAction, VolumeAction,
};
use serde::{Deserialize, Serialize};

/// The kind of rule a [`Operation::RuleDelete`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// An ingress firewall rule of a public IP.
    Firewall,
    /// An egress firewall rule of a network.
    Egress,
    /// A port forwarding rule.
    PortForward,
    /// A load balancer rule (with its policies).
    LoadBalancer,
    /// A rule of a VPC's network ACL list.
    Acl,
}

/// Which permission an operation needs: `network.operate` or `storage.operate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Networks, VPCs, public IPs and their rules.
    Network,
    /// Volumes, snapshots, their policies and VM snapshots.
    Storage,
}

/// A resource an operation names, whose owner must be the caller's (checked by the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named<'a> {
    /// A zone (anyone's).
    Zone(&'a str),
    /// A guest network.
    Network(&'a str),
    /// A VPC.
    Vpc(&'a str),
    /// A network ACL list.
    AclList(&'a str),
    /// A public IP address.
    Ip(&'a str),
    /// A VM.
    Vm(&'a str),
    /// A rule of the given kind.
    Rule(RuleKind, &'a str),
    /// A volume.
    Volume(&'a str),
    /// A volume snapshot.
    Snapshot(&'a str),
    /// A recurring snapshot policy.
    SnapshotPolicy(&'a str),
    /// A VM snapshot.
    VmSnapshot(&'a str),
}

/// One change to networks or storage (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Creates an isolated network.
    NetworkCreate {
        /// The network.
        request: CreateNetwork,
    },
    /// Renames a network or changes its offering or guest CIDR.
    NetworkUpdate {
        /// Network id.
        id: String,
        /// The change.
        request: UpdateNetwork,
    },
    /// Restarts or deletes a network.
    NetworkAction {
        /// Network id.
        id: String,
        /// What to do.
        action: NetworkAction,
    },
    /// Creates a VPC.
    VpcCreate {
        /// The VPC.
        request: CreateVpc,
    },
    /// Creates a tier (a network) in a VPC.
    TierCreate {
        /// The tier.
        request: CreateTier,
    },
    /// Restarts or deletes a VPC.
    VpcAction {
        /// VPC id.
        id: String,
        /// What to do.
        action: NetworkAction,
    },
    /// Adds a rule to a network ACL list.
    AclRuleCreate {
        /// The rule.
        request: AclRuleSpec,
    },
    /// Acquires a public IP for a network or a VPC.
    IpAcquire {
        /// Where.
        request: AcquireIp,
    },
    /// Releases a public IP or turns its static NAT on or off.
    IpAction {
        /// Address id.
        id: String,
        /// What to do.
        action: IpAction,
    },
    /// Applies a rule set (several ports and ranges, one or more CIDRs) to several IPs at once:
    /// the rules already there are kept, the missing ones created.
    RuleSetApply {
        /// The rules.
        set: RuleSet,
        /// The public IPs.
        ip_ids: Vec<String>,
    },
    /// Adds egress rules to a network.
    EgressCreate {
        /// The rule.
        request: EgressRuleSpec,
    },
    /// Removes a rule.
    RuleDelete {
        /// Its kind.
        kind: RuleKind,
        /// Its id.
        id: String,
    },
    /// Creates several port forwarding rules at once, each with the firewall rule for its
    /// source CIDRs (never CloudStack's `openfirewall`, which opens to 0.0.0.0/0).
    PortForwardsCreate {
        /// The forwards.
        specs: Vec<PortForwardSpec>,
    },
    /// Creates a load balancer rule with its members and policies, and the firewall rule for
    /// its source CIDRs.
    LoadBalancerCreate {
        /// The rule.
        request: LoadBalancerSpec,
    },
    /// Adds and removes members of a load balancer rule.
    LoadBalancerMembers {
        /// Rule id.
        id: String,
        /// VMs to add.
        #[serde(default)]
        add: Vec<String>,
        /// VMs to remove.
        #[serde(default)]
        remove: Vec<String>,
    },
    /// Creates a data volume.
    VolumeCreate {
        /// The volume.
        request: CreateVolume,
    },
    /// Attaches, detaches, resizes, migrates or deletes a volume.
    VolumeAction {
        /// Volume id.
        id: String,
        /// What to do.
        action: VolumeAction,
    },
    /// Takes a snapshot of a volume.
    SnapshotCreate {
        /// Volume id.
        volume_id: String,
        /// Its name (CloudStack names it otherwise).
        #[serde(default)]
        name: Option<String>,
    },
    /// Deletes or reverts to a snapshot, or makes a volume or template of it.
    SnapshotAction {
        /// Snapshot id.
        id: String,
        /// What to do.
        action: SnapshotAction,
    },
    /// Sets a volume's recurring snapshot policy for the schedule's interval (CloudStack keeps
    /// one per interval; setting it again replaces it).
    SnapshotPolicySet {
        /// Volume id.
        volume_id: String,
        /// The policy.
        policy: SnapshotPolicy,
    },
    /// Deletes a recurring snapshot policy.
    SnapshotPolicyDelete {
        /// Policy id.
        id: String,
    },
    /// Takes a VM snapshot (with memory: the VM pauses while it is taken on KVM).
    VmSnapshotCreate {
        /// The snapshot.
        request: CreateVmSnapshot,
    },
    /// Reverts to or deletes a VM snapshot.
    VmSnapshotAction {
        /// VM snapshot id.
        id: String,
        /// What to do.
        action: VmSnapshotAction,
    },
}

/// Why CloudStack would refuse this name of a network, volume or snapshot: empty, longer than
/// its 255-character column, or with control characters.
pub fn name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return Some("Give it a name.".into());
    }
    if name.chars().count() > 255 {
        return Some("The name is longer than 255 characters.".into());
    }
    if name.chars().any(char::is_control) {
        return Some("The name has control characters (line breaks, tabs).".into());
    }
    None
}

/// What a finished operation did (the central server's answer to `POST /api/operations`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OperationOut {
    /// One sentence for the user.
    pub message: String,
    /// The id of what it created, when it created one thing.
    pub id: Option<String>,
}

/// The rules on one public IP, as the IP's detail shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IpRulesView {
    /// Ingress firewall rules.
    pub firewall: Vec<crate::network::FirewallRuleRow>,
    /// Port forwarding rules.
    pub port_forwards: Vec<crate::network::PortForwardRow>,
    /// Load balancer rules (members are asked for when one is opened).
    pub load_balancers: Vec<crate::network::LoadBalancerRow>,
}

/// What points at one VM, for its detail: its volumes, VM snapshots, the public IPs with static
/// NAT to it, and the port forwards to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VmLinks {
    /// Its volumes, root first.
    pub volumes: Vec<crate::storage::VolumeRow>,
    /// Its VM snapshots, newest first.
    pub vm_snapshots: Vec<crate::storage::VmSnapshotRow>,
    /// Public IPs with static NAT to it.
    pub static_nat: Vec<crate::network::PublicIpRow>,
    /// Port forwards to it.
    pub port_forwards: Vec<crate::network::PortForwardRow>,
}

/// The largest rule batch one operation creates (a rule set over many IPs, or many forwards).
pub const MAX_BATCH: usize = 200;

/// Most snapshots a recurring policy keeps (CloudStack's `snapshot.max.*` defaults are 8; a
/// cloud may allow more — the server checks its own setting).
pub const MAX_SNAPS: u32 = 100;

impl Operation {
    /// A short stable name, for audit entries, events and messages (`network.create`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::NetworkCreate { .. } => "network.create",
            Self::NetworkUpdate { .. } => "network.update",
            Self::NetworkAction { action, .. } => match action {
                NetworkAction::Restart { .. } => "network.restart",
                NetworkAction::Delete => "network.delete",
            },
            Self::VpcCreate { .. } => "vpc.create",
            Self::TierCreate { .. } => "vpc.tier.create",
            Self::VpcAction { action, .. } => match action {
                NetworkAction::Restart { .. } => "vpc.restart",
                NetworkAction::Delete => "vpc.delete",
            },
            Self::AclRuleCreate { .. } => "acl.rule.create",
            Self::IpAcquire { .. } => "ip.acquire",
            Self::IpAction { action, .. } => match action {
                IpAction::Release => "ip.release",
                IpAction::EnableStaticNat { .. } => "ip.static_nat.enable",
                IpAction::DisableStaticNat => "ip.static_nat.disable",
            },
            Self::RuleSetApply { .. } => "firewall.apply",
            Self::EgressCreate { .. } => "egress.create",
            Self::RuleDelete { kind, .. } => match kind {
                RuleKind::Firewall => "firewall.delete",
                RuleKind::Egress => "egress.delete",
                RuleKind::PortForward => "portforward.delete",
                RuleKind::LoadBalancer => "lb.delete",
                RuleKind::Acl => "acl.rule.delete",
            },
            Self::PortForwardsCreate { .. } => "portforward.create",
            Self::LoadBalancerCreate { .. } => "lb.create",
            Self::LoadBalancerMembers { .. } => "lb.members",
            Self::VolumeCreate { .. } => "volume.create",
            Self::VolumeAction { action, .. } => match action {
                VolumeAction::Attach { .. } => "volume.attach",
                VolumeAction::Detach => "volume.detach",
                VolumeAction::Resize { .. } => "volume.resize",
                VolumeAction::Migrate { .. } => "volume.migrate",
                VolumeAction::Delete => "volume.delete",
            },
            Self::SnapshotCreate { .. } => "snapshot.create",
            Self::SnapshotAction { action, .. } => match action {
                SnapshotAction::Delete => "snapshot.delete",
                SnapshotAction::Revert => "snapshot.revert",
                SnapshotAction::ToVolume { .. } => "snapshot.to_volume",
                SnapshotAction::ToTemplate { .. } => "snapshot.to_template",
            },
            Self::SnapshotPolicySet { .. } => "snapshot.policy.set",
            Self::SnapshotPolicyDelete { .. } => "snapshot.policy.delete",
            Self::VmSnapshotCreate { .. } => "vm_snapshot.create",
            Self::VmSnapshotAction { action, .. } => match action {
                VmSnapshotAction::Revert => "vm_snapshot.revert",
                VmSnapshotAction::Delete => "vm_snapshot.delete",
            },
        }
    }

    /// Which permission it needs.
    pub fn area(&self) -> Area {
        match self {
            Self::VolumeCreate { .. }
            | Self::VolumeAction { .. }
            | Self::SnapshotCreate { .. }
            | Self::SnapshotAction { .. }
            | Self::SnapshotPolicySet { .. }
            | Self::SnapshotPolicyDelete { .. }
            | Self::VmSnapshotCreate { .. }
            | Self::VmSnapshotAction { .. } => Area::Storage,
            _ => Area::Network,
        }
    }

    /// The cached lists (by their names, as `akashone_cache::ListKind` spells them) that may
    /// change when it finishes; they are read again.
    pub fn touches(&self) -> &'static [&'static str] {
        const NETS: &[&str] = &["networks", "public_ips", "firewall_rules", "vpcs"];
        const IPS: &[&str] = &[
            "public_ips",
            "firewall_rules",
            "port_forwards",
            "load_balancers",
        ];
        const RULES: &[&str] = &["firewall_rules", "port_forwards", "load_balancers"];
        const VOLUMES: &[&str] = &["volumes", "snapshots", "snapshot_policies", "vms"];
        const SNAPS: &[&str] = &["snapshots", "volumes", "templates"];
        match self {
            Self::NetworkCreate { .. }
            | Self::NetworkUpdate { .. }
            | Self::NetworkAction { .. }
            | Self::VpcCreate { .. }
            | Self::TierCreate { .. }
            | Self::VpcAction { .. }
            | Self::AclRuleCreate { .. } => NETS,
            Self::IpAcquire { .. } | Self::IpAction { .. } => IPS,
            Self::RuleSetApply { .. }
            | Self::EgressCreate { .. }
            | Self::RuleDelete { .. }
            | Self::PortForwardsCreate { .. }
            | Self::LoadBalancerCreate { .. }
            | Self::LoadBalancerMembers { .. } => RULES,
            Self::VolumeCreate { .. } | Self::VolumeAction { .. } => VOLUMES,
            Self::SnapshotCreate { .. } | Self::SnapshotAction { .. } => SNAPS,
            Self::SnapshotPolicySet { .. } | Self::SnapshotPolicyDelete { .. } => {
                &["snapshot_policies"]
            }
            Self::VmSnapshotCreate { .. } | Self::VmSnapshotAction { .. } => {
                &["vm_snapshots", "vms"]
            }
        }
    }

    /// Every resource it names, so that the server can check each belongs to the caller.
    pub fn names(&self) -> Vec<Named<'_>> {
        let mut out = Vec::new();
        match self {
            Self::NetworkCreate { request } => out.push(Named::Zone(&request.zone_id)),
            Self::NetworkUpdate { id, .. } | Self::NetworkAction { id, .. } => {
                out.push(Named::Network(id))
            }
            Self::VpcCreate { request } => out.push(Named::Zone(&request.zone_id)),
            Self::TierCreate { request } => {
                out.push(Named::Vpc(&request.vpc_id));
                if let Some(acl) = &request.acl_id {
                    out.push(Named::AclList(acl));
                }
            }
            Self::VpcAction { id, .. } => out.push(Named::Vpc(id)),
            Self::AclRuleCreate { request } => out.push(Named::AclList(&request.acl_id)),
            Self::IpAcquire { request } => match request {
                AcquireIp::Network { network_id } => out.push(Named::Network(network_id)),
                AcquireIp::Vpc { vpc_id } => out.push(Named::Vpc(vpc_id)),
            },
            Self::IpAction { id, action } => {
                out.push(Named::Ip(id));
                if let IpAction::EnableStaticNat {
                    vm_id, network_id, ..
                } = action
                {
                    out.push(Named::Vm(vm_id));
                    if let Some(n) = network_id {
                        out.push(Named::Network(n));
                    }
                }
            }
            Self::RuleSetApply { ip_ids, .. } => out.extend(ip_ids.iter().map(|i| Named::Ip(i))),
            Self::EgressCreate { request } => out.push(Named::Network(&request.network_id)),
            Self::RuleDelete { kind, id } => out.push(Named::Rule(*kind, id)),
            Self::PortForwardsCreate { specs } => {
                for s in specs {
                    out.push(Named::Ip(&s.ip_address_id));
                    out.push(Named::Vm(&s.vm_id));
                    if let Some(n) = &s.network_id {
                        out.push(Named::Network(n));
                    }
                }
            }
            Self::LoadBalancerCreate { request } => {
                out.push(Named::Ip(&request.public_ip_id));
                out.extend(request.member_vm_ids.iter().map(|v| Named::Vm(v)));
            }
            Self::LoadBalancerMembers { id, add, remove } => {
                out.push(Named::Rule(RuleKind::LoadBalancer, id));
                out.extend(add.iter().chain(remove).map(|v| Named::Vm(v)));
            }
            Self::VolumeCreate { request } => {
                out.push(Named::Zone(&request.zone_id));
                if let crate::storage::VolumeSource::Snapshot { snapshot_id } = &request.source {
                    out.push(Named::Snapshot(snapshot_id));
                }
            }
            Self::VolumeAction { id, action } => {
                out.push(Named::Volume(id));
                if let VolumeAction::Attach { vm_id, .. } = action {
                    out.push(Named::Vm(vm_id));
                }
            }
            Self::SnapshotCreate { volume_id, .. } | Self::SnapshotPolicySet { volume_id, .. } => {
                out.push(Named::Volume(volume_id))
            }
            Self::SnapshotAction { id, .. } => out.push(Named::Snapshot(id)),
            Self::SnapshotPolicyDelete { id } => out.push(Named::SnapshotPolicy(id)),
            Self::VmSnapshotCreate { request } => out.push(Named::Vm(&request.vm_id)),
            Self::VmSnapshotAction { id, .. } => out.push(Named::VmSnapshot(id)),
        }
        out
    }

    /// What is wrong with it on its own, in words for the user (empty when nothing is). The
    /// checks that need the current state (a VM's state, the rules already on an IP, sibling
    /// networks) are the console's and the server's, with the same functions.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        let blank = |p: &mut Vec<String>, what: &str, v: &str| {
            if v.trim().is_empty() {
                p.push(format!("Choose {what}."));
            }
        };
        match self {
            Self::NetworkCreate { request } => {
                blank(&mut p, "a zone", &request.zone_id);
                blank(&mut p, "a network offering", &request.offering_id);
                if let Some(e) = name_problem(&request.name) {
                    p.push(e);
                }
                if let Err(e) = request.cidr() {
                    p.push(e);
                }
            }
            Self::NetworkUpdate { request, .. } => {
                if let Some(name) = &request.name
                    && let Some(e) = name_problem(name)
                {
                    p.push(e);
                }
            }
            Self::VpcCreate { request } => p.extend(request.problems()),
            Self::TierCreate { request } => {
                if let Some(e) = name_problem(&request.name) {
                    p.push(e);
                }
            }
            Self::AclRuleCreate { request } => p.extend(request.problems(&[])),
            Self::RuleSetApply { set, ip_ids } => {
                p.extend(set.problems());
                if ip_ids.is_empty() {
                    p.push("Choose at least one public IP.".into());
                }
                match crate::network::rules::expand(set, ip_ids) {
                    Ok(calls) if calls.len() > MAX_BATCH => p.push(format!(
                        "That is {} rules at once; apply at most {MAX_BATCH} in one go.",
                        calls.len()
                    )),
                    Ok(_) => {}
                    Err(e) => p.push(e),
                }
            }
            Self::PortForwardsCreate { specs } => {
                if specs.is_empty() {
                    p.push("Add at least one forward.".into());
                }
                if specs.len() > MAX_BATCH {
                    p.push(format!("Create at most {MAX_BATCH} forwards in one go."));
                }
                for (i, s) in specs.iter().enumerate() {
                    p.extend(
                        s.problems()
                            .into_iter()
                            .map(|e| format!("Row {}: {e}", i + 1)),
                    );
                }
            }
            Self::LoadBalancerCreate { request } => p.extend(request.problems(&[])),
            Self::LoadBalancerMembers { add, remove, .. }
                if add.is_empty() && remove.is_empty() =>
            {
                p.push("Choose VMs to add or remove.".into());
            }
            Self::VolumeCreate { request } => {
                if let Some(e) = name_problem(&request.name) {
                    p.push(e);
                }
                blank(&mut p, "a zone", &request.zone_id);
            }
            Self::SnapshotPolicySet { policy, .. } => p.extend(policy.problems(MAX_SNAPS)),
            Self::VmSnapshotCreate { request } => {
                if let Some(name) = &request.name
                    && let Some(e) = name_problem(name)
                {
                    p.push(e);
                }
            }
            Self::SnapshotAction {
                action: SnapshotAction::ToVolume { name },
                ..
            } => {
                if let Some(e) = name_problem(name) {
                    p.push(e);
                }
            }
            _ => {}
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Cidr;
    use crate::network::rules::RuleSet;

    #[test]
    fn operations_travel_as_tagged_json_and_name_their_resources() {
        let cidr: Cidr = "198.51.100.0/24".parse().unwrap();
        let op = Operation::RuleSetApply {
            set: RuleSet::preset("web", vec![cidr]).unwrap(),
            ip_ids: vec!["ip-1".into(), "ip-2".into()],
        };
        let json = serde_json::to_value(&op).unwrap();
        assert_eq!(json["op"], "rule_set_apply");
        let back: Operation = serde_json::from_value(json).unwrap();
        assert_eq!(back, op);
        assert_eq!(op.area(), Area::Network);
        assert_eq!(op.name(), "firewall.apply");
        assert_eq!(op.names(), vec![Named::Ip("ip-1"), Named::Ip("ip-2")]);
        assert!(op.problems().is_empty(), "{:?}", op.problems());
        assert!(op.touches().contains(&"firewall_rules"));

        let bad: Result<Operation, _> =
            serde_json::from_value(serde_json::json!({"op": "format_disk"}));
        assert!(bad.is_err());
    }

    #[test]
    fn refused_on_their_own_with_reasons() {
        let op = Operation::RuleSetApply {
            set: RuleSet {
                name: "x".into(),
                rules: vec![],
            },
            ip_ids: vec![],
        };
        let p = op.problems();
        assert!(p.iter().any(|m| m.contains("public IP")), "{p:?}");
        let op = Operation::LoadBalancerMembers {
            id: "lb".into(),
            add: vec![],
            remove: vec![],
        };
        assert_eq!(
            op.problems(),
            vec!["Choose VMs to add or remove.".to_string()]
        );
        assert!(name_problem("  ").is_some());
        assert!(name_problem(&"a".repeat(256)).is_some());
        assert!(name_problem("data\nvolume").is_some());
        assert!(name_problem("data-01").is_none());
    }
}
