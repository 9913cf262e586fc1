//! Whether an action on a network or a public IP is available now, or the exact reason it is
//! refused — the same sentence in the UI (a disabled button's tooltip), the CLI and the server.

use super::{
    IpAction, LoadBalancerRow, NetworkAction, NetworkRow, PortForwardRow, PublicIpRow, VpcRow,
};

/// The reason every change is refused while the cloud cannot be reached.
pub const OFFLINE: &str =
    "You are offline: the lists show the cached copy, and changes wait until the cloud answers.";

fn list(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}

/// Whether `action` may be asked on `network`, given whether the cloud answers (`online`).
pub fn network_action_allowed(
    network: &NetworkRow,
    action: &NetworkAction,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    match action {
        NetworkAction::Restart { .. } => {
            if !["Implemented", "Setup"].contains(&network.state.as_str()) {
                return Err(format!(
                    "The network {} is {}: it can be restarted when Implemented or Setup.",
                    network.name, network.state
                ));
            }
        }
        NetworkAction::Delete => {
            if !network.vm_names.is_empty() {
                let n = network.vm_names.len();
                return Err(format!(
                    "The network {} is used by {} ({}); remove {} from it or destroy {} first.",
                    network.name,
                    if n == 1 {
                        "1 VM".to_string()
                    } else {
                        format!("{n} VMs")
                    },
                    list(&network.vm_names),
                    if n == 1 { "it" } else { "them" },
                    if n == 1 { "it" } else { "them" },
                ));
            }
            if network.state == "Destroy" {
                return Err(format!(
                    "The network {} is already being deleted.",
                    network.name
                ));
            }
        }
    }
    Ok(())
}

/// Whether `action` may be asked on `vpc`: a VPC is restarted when Enabled, and deleted only
/// once it has no tiers.
pub fn vpc_action_allowed(
    vpc: &VpcRow,
    action: &NetworkAction,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    match action {
        NetworkAction::Restart { .. } if vpc.state != "Enabled" => Err(format!(
            "The VPC {} is {}: it can be restarted when Enabled.",
            vpc.name, vpc.state
        )),
        NetworkAction::Delete if !vpc.tiers.is_empty() => {
            let names: Vec<String> = vpc.tiers.iter().map(|t| t.name.clone()).collect();
            Err(format!(
                "The VPC {} still has {} ({}); delete {} first.",
                vpc.name,
                if names.len() == 1 {
                    "1 tier".to_string()
                } else {
                    format!("{} tiers", names.len())
                },
                list(&names),
                if names.len() == 1 { "it" } else { "them" }
            ))
        }
        _ => Ok(()),
    }
}

/// Whether `action` may be asked on `ip`, given the port forwarding and load balancing rules on
/// it (of any IPs; only `ip`'s count) and whether the cloud answers.
pub fn ip_action_allowed(
    ip: &PublicIpRow,
    action: &IpAction,
    port_forwards: &[PortForwardRow],
    load_balancers: &[LoadBalancerRow],
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    if ip.state != "Allocated" {
        return Err(format!(
            "The IP {} is {}: it can be changed once it is Allocated.",
            ip.address, ip.state
        ));
    }
    match action {
        IpAction::Release => {
            if ip.source_nat {
                return Err(format!(
                    "Can't release source NAT IP address {}: it is the network's own address and goes with the network.",
                    ip.address
                ));
            }
        }
        IpAction::EnableStaticNat { vm_id, .. } => {
            if ip.source_nat {
                return Err(format!(
                    "Can't enable static NAT: {} is a source NAT IP address.",
                    ip.address
                ));
            }
            if vm_id.trim().is_empty() {
                return Err("Choose the VM for static NAT.".into());
            }
            if let Some(vm) = &ip.static_nat_vm_name {
                return Err(format!(
                    "Static NAT on {} already goes to {vm}; disable it first.",
                    ip.address
                ));
            }
            let pf = port_forwards
                .iter()
                .filter(|r| r.ip_address_id == ip.id && r.state != "Revoke")
                .count();
            let lb = load_balancers
                .iter()
                .filter(|r| r.ip_address_id == ip.id && r.state != "Revoke")
                .count();
            if pf + lb > 0 {
                let mut what = Vec::new();
                if pf > 0 {
                    what.push(format!(
                        "{pf} port forwarding rule{}",
                        if pf == 1 { "" } else { "s" }
                    ));
                }
                if lb > 0 {
                    what.push(format!(
                        "{lb} load balancing rule{}",
                        if lb == 1 { "" } else { "s" }
                    ));
                }
                return Err(format!(
                    "Static NAT cannot be enabled on {} while it has {}; delete them first.",
                    ip.address,
                    what.join(" and ")
                ));
            }
        }
        IpAction::DisableStaticNat => {
            if ip.static_nat_vm_id.is_none() {
                return Err(format!("Static NAT is not enabled on {}.", ip.address));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{GuestType, PortRange, Protocol};

    fn network(vms: &[&str], state: &str) -> NetworkRow {
        NetworkRow {
            id: "n1".into(),
            name: "web".into(),
            zone_id: "z".into(),
            zone_name: "Zone".into(),
            cidr: None,
            gateway: None,
            state: state.into(),
            guest_type: GuestType::Isolated,
            vpc_id: None,
            vpc_name: None,
            offering_id: "o".into(),
            offering_name: "Default".into(),
            acl_id: None,
            egress_default: None,
            vm_names: vms.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn ip(source_nat: bool, nat_vm: Option<&str>) -> PublicIpRow {
        PublicIpRow {
            id: "ip1".into(),
            address: "203.0.113.5".into(),
            zone_id: "z".into(),
            network_id: Some("n1".into()),
            network_name: Some("web".into()),
            vpc_id: None,
            vpc_name: None,
            source_nat,
            static_nat_vm_id: nat_vm.map(|v| format!("id-{v}")),
            static_nat_vm_name: nat_vm.map(str::to_string),
            state: "Allocated".into(),
        }
    }

    #[test]
    fn networks() {
        let n = network(&["a", "b"], "Implemented");
        assert_eq!(
            network_action_allowed(&n, &NetworkAction::Delete, true).unwrap_err(),
            "The network web is used by 2 VMs (a, b); remove them from it or destroy them first."
        );
        let many: Vec<String> = (1..=7).map(|i| format!("vm{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(
            network_action_allowed(&network(&refs, "Implemented"), &NetworkAction::Delete, true)
                .unwrap_err()
                .contains("(vm1, vm2, vm3, vm4, vm5 and 2 more)")
        );
        assert_eq!(
            network_action_allowed(&network(&[], "Implemented"), &NetworkAction::Delete, true),
            Ok(())
        );
        assert_eq!(
            network_action_allowed(&n, &NetworkAction::Restart { cleanup: true }, false)
                .unwrap_err(),
            OFFLINE
        );
        assert_eq!(
            network_action_allowed(
                &network(&[], "Allocated"),
                &NetworkAction::Restart { cleanup: false },
                true
            )
            .unwrap_err(),
            "The network web is Allocated: it can be restarted when Implemented or Setup."
        );
    }

    #[test]
    fn vpcs() {
        use crate::network::{Cidr, TierRow};
        let mut v = VpcRow {
            id: "v".into(),
            name: "prod".into(),
            zone_id: "z".into(),
            zone_name: "Zone".into(),
            cidr: Cidr::parse("10.1.0.0/16").unwrap(),
            state: "Enabled".into(),
            offering_id: "o".into(),
            offering_name: "Default VPC".into(),
            tiers: vec![TierRow {
                id: "t".into(),
                name: "web".into(),
                cidr: Cidr::parse("10.1.1.0/24").unwrap(),
                gateway: "10.1.1.1".into(),
                state: "Implemented".into(),
                acl_id: None,
                acl_name: None,
                vm_names: vec![],
            }],
        };
        assert_eq!(
            vpc_action_allowed(&v, &NetworkAction::Delete, true).unwrap_err(),
            "The VPC prod still has 1 tier (web); delete it first."
        );
        assert_eq!(
            vpc_action_allowed(&v, &NetworkAction::Restart { cleanup: false }, true),
            Ok(())
        );
        v.tiers.clear();
        assert_eq!(vpc_action_allowed(&v, &NetworkAction::Delete, true), Ok(()));
        v.state = "Inactive".into();
        assert!(vpc_action_allowed(&v, &NetworkAction::Restart { cleanup: true }, true).is_err());
        assert_eq!(
            vpc_action_allowed(&v, &NetworkAction::Delete, false).unwrap_err(),
            OFFLINE
        );
    }

    #[test]
    fn ips() {
        assert_eq!(
            ip_action_allowed(&ip(true, None), &IpAction::Release, &[], &[], true).unwrap_err(),
            "Can't release source NAT IP address 203.0.113.5: it is the network's own address and goes with the network."
        );
        assert_eq!(
            ip_action_allowed(&ip(false, None), &IpAction::Release, &[], &[], true),
            Ok(())
        );
        let nat = IpAction::EnableStaticNat {
            vm_id: "vm".into(),
            vm_guest_ip: None,
            network_id: None,
        };
        assert!(ip_action_allowed(&ip(true, None), &nat, &[], &[], true).is_err());
        assert!(
            ip_action_allowed(&ip(false, Some("db")), &nat, &[], &[], true)
                .unwrap_err()
                .contains("already goes to db")
        );
        let pf = PortForwardRow {
            id: "pf".into(),
            ip_address_id: "ip1".into(),
            ip_address: "203.0.113.5".into(),
            protocol: Protocol::Tcp,
            public: PortRange::single(22),
            private: PortRange::single(22),
            vm_id: "vm".into(),
            vm_name: "web".into(),
            vm_guest_ip: None,
            cidrs: vec![],
            state: "Active".into(),
        };
        assert_eq!(
            ip_action_allowed(&ip(false, None), &nat, &[pf.clone(), pf], &[], true).unwrap_err(),
            "Static NAT cannot be enabled on 203.0.113.5 while it has 2 port forwarding rules; delete them first."
        );
        assert_eq!(
            ip_action_allowed(&ip(false, None), &nat, &[], &[], true),
            Ok(())
        );
        assert_eq!(
            ip_action_allowed(
                &ip(false, None),
                &IpAction::DisableStaticNat,
                &[],
                &[],
                true
            )
            .unwrap_err(),
            "Static NAT is not enabled on 203.0.113.5."
        );
        let mut releasing = ip(false, None);
        releasing.state = "Releasing".into();
        assert!(ip_action_allowed(&releasing, &IpAction::Release, &[], &[], true).is_err());
        assert_eq!(
            ip_action_allowed(&ip(false, None), &IpAction::Release, &[], &[], false).unwrap_err(),
            OFFLINE
        );
    }
}
