//! CloudStack's answers as cache rows: one conversion per list, and the date-time rule.

use crate::error::Result;
use crate::model::{
    DiskOffering, FirewallRule, KubernetesCluster, LoadBalancer, Network, PortForward, PublicIp,
    ServiceOffering, SnapshotPolicy, SshKeyPair, Template, Vm, VmSnapshot, Volume, VolumeSnapshot,
    Vpc, Zone,
};
use crate::record::Stored;
use akashone_cloudstack::model as cs;
use akashone_types::kubernetes::{ClusterNode, NodeRole};
use time::format_description::well_known::Rfc3339;

/// A row with CloudStack's answer kept beside it.
pub fn stored<T: serde::Serialize, R>(item: &T, row: R) -> Result<Stored<R>> {
    Ok(Stored::new(row, serde_json::to_value(item)?))
}

/// A VM as the cache stores it, with CloudStack's answer (after an action or a deploy).
pub fn vm(v: &cs::VirtualMachine) -> Result<Stored<Vm>> {
    stored(v, Vm::from(v))
}

/// Normalises a CloudStack date-time to UTC RFC 3339; keeps text that does not parse.
pub fn normalize_datetime(s: Option<&str>) -> Option<String> {
    let s = s?;
    match cs::parse_datetime(s) {
        Some(t) => t
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .ok()
            .or_else(|| Some(s.to_owned())),
        None => Some(s.to_owned()),
    }
}

fn owned(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

impl From<&cs::Zone> for Zone {
    fn from(z: &cs::Zone) -> Self {
        Zone {
            id: owned(&z.id),
            name: z.name.clone(),
            description: z.description.clone(),
            network_type: z.networktype.clone(),
            allocation_state: z.allocationstate.clone(),
        }
    }
}

impl Template {
    /// A template row; `executable` says whether the `executable` filter listed it.
    pub fn from_cloudstack(t: &cs::Template, executable: bool, featured: bool) -> Self {
        Template {
            id: owned(&t.id),
            zone_id: owned(&t.zoneid),
            zone_name: t.zonename.clone(),
            name: t.name.clone(),
            display_text: t.displaytext.clone(),
            os_type: t.ostypename.clone(),
            hypervisor: t.hypervisor.clone(),
            format: t.format.clone(),
            size_bytes: t.size,
            is_ready: t.isready.unwrap_or(false),
            is_public: t.ispublic.unwrap_or(false),
            is_featured: featured || t.isfeatured.unwrap_or(false),
            executable,
            created: normalize_datetime(t.created.as_deref()),
            account: t.account.clone(),
        }
    }
}

impl From<&cs::ServiceOffering> for ServiceOffering {
    fn from(o: &cs::ServiceOffering) -> Self {
        ServiceOffering {
            id: owned(&o.id),
            name: o.name.clone(),
            display_text: o.displaytext.clone(),
            cpu_number: o.cpunumber,
            cpu_speed_mhz: o.cpuspeed,
            memory_mb: o.memory,
            is_customized: o.iscustomized.unwrap_or(false),
            storage_type: o.storagetype.clone(),
            created: normalize_datetime(o.created.as_deref()),
        }
    }
}

impl From<&cs::DiskOffering> for DiskOffering {
    fn from(o: &cs::DiskOffering) -> Self {
        DiskOffering {
            id: owned(&o.id),
            name: o.name.clone(),
            display_text: o.displaytext.clone(),
            disk_size_gb: o.disksize,
            is_customized: o.iscustomized.unwrap_or(false),
            storage_type: o.storagetype.clone(),
            created: normalize_datetime(o.created.as_deref()),
            custom_iops: o.iscustomizediops.unwrap_or(false),
        }
    }
}

impl From<&cs::VirtualMachine> for Vm {
    fn from(v: &cs::VirtualMachine) -> Self {
        let nics = v.nic.as_deref().unwrap_or_default();
        let mut ordered: Vec<&cs::Nic> = nics.iter().collect();
        // The default NIC first, the others in CloudStack's order.
        ordered.sort_by_key(|n| !n.isdefault.unwrap_or(false));
        let primary_ip = ordered
            .iter()
            .find_map(|n| n.ipaddress.clone().or_else(|| n.ip6address.clone()));
        let all: Vec<&str> = ordered
            .iter()
            .flat_map(|n| [n.ipaddress.as_deref(), n.ip6address.as_deref()])
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        Vm {
            id: owned(&v.id),
            name: v.name.clone(),
            display_name: v.displayname.clone(),
            state: v.state.clone(),
            zone_id: v.zoneid.clone(),
            zone_name: v.zonename.clone(),
            template_id: v.templateid.clone(),
            template_name: v.templatename.clone(),
            offering_id: v.serviceofferingid.clone(),
            offering_name: v.serviceofferingname.clone(),
            cpu_number: v.cpunumber,
            memory_mb: v.memory,
            primary_ip,
            ip_addresses: (!all.is_empty()).then(|| all.join(", ")),
            created: normalize_datetime(v.created.as_deref()),
            account: v.account.clone(),
            domain: v.domain.clone(),
        }
    }
}

impl From<&cs::Volume> for Volume {
    fn from(v: &cs::Volume) -> Self {
        Volume {
            id: owned(&v.id),
            name: v.name.clone(),
            volume_type: v.volume_type.clone(),
            state: v.state.clone(),
            size_bytes: v.size,
            zone_id: v.zoneid.clone(),
            zone_name: v.zonename.clone(),
            vm_id: v.virtualmachineid.clone(),
            vm_name: v.vmname.clone(),
            disk_offering_name: v.diskofferingname.clone(),
            created: normalize_datetime(v.created.as_deref()),
            account: v.account.clone(),
            domain: v.domain.clone(),
            device_id: v.deviceid,
            disk_offering_id: v.diskofferingid.clone(),
            vm_state: v.vmstate.clone(),
            storage: v.storage.clone(),
            storage_id: v.storageid.clone(),
            min_iops: v.miniops,
            max_iops: v.maxiops,
        }
    }
}

impl From<&cs::Network> for Network {
    fn from(n: &cs::Network) -> Self {
        Network {
            id: owned(&n.id),
            name: n.name.clone(),
            display_text: n.displaytext.clone(),
            state: n.state.clone(),
            network_type: n.network_type.clone(),
            zone_id: n.zoneid.clone(),
            zone_name: n.zonename.clone(),
            cidr: n.cidr.clone(),
            gateway: n.gateway.clone(),
            vpc_id: n.vpcid.clone(),
            account: n.account.clone(),
            domain: n.domain.clone(),
            offering_id: n.networkofferingid.clone(),
            offering_name: n.networkofferingname.clone(),
            network_domain: n.networkdomain.clone(),
            acl_id: n.aclid.clone().filter(|a| !a.is_empty()),
            restart_required: n.restartrequired.unwrap_or(false),
            vm_names: None,
        }
    }
}

impl From<&cs::PublicIpAddress> for PublicIp {
    fn from(a: &cs::PublicIpAddress) -> Self {
        PublicIp {
            id: owned(&a.id),
            ip_address: a.ipaddress.clone(),
            state: a.state.clone(),
            is_source_nat: a.issourcenat.unwrap_or(false),
            is_static_nat: a.isstaticnat.unwrap_or(false),
            zone_id: a.zoneid.clone(),
            zone_name: a.zonename.clone(),
            network_id: a
                .associatednetworkid
                .clone()
                .or_else(|| a.networkid.clone()),
            vm_id: a.virtualmachineid.clone(),
            vm_name: a.virtualmachinename.clone(),
            allocated: normalize_datetime(a.allocated.as_deref()),
            account: a.account.clone(),
            domain: a.domain.clone(),
            vpc_id: a.vpcid.clone().filter(|v| !v.is_empty()),
        }
    }
}

impl From<&cs::SshKeyPair> for SshKeyPair {
    fn from(k: &cs::SshKeyPair) -> Self {
        let id = k.id.clone().unwrap_or_else(|| {
            format!(
                "{}/{}/{}",
                k.domainid.as_deref().unwrap_or_default(),
                k.account.as_deref().unwrap_or_default(),
                k.name.as_deref().unwrap_or_default()
            )
        });
        SshKeyPair {
            id,
            name: k.name.clone(),
            fingerprint: k.fingerprint.clone(),
            account: k.account.clone(),
            domain: k.domain.clone(),
        }
    }
}

/// A cluster's member VMs with their roles: CKS lists control nodes first and names them
/// `<cluster>-control-…`.
fn cluster_nodes(c: &cs::KubernetesCluster) -> Vec<ClusterNode> {
    let control = c.controlnodes.or(c.masternodes).unwrap_or(1).max(0) as usize;
    c.virtualmachines
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, vm)| {
            let name = vm.name.clone().unwrap_or_default();
            let is_control =
                name.contains("-control-") || (i < control && !name.contains("-node-"));
            let ip = vm.nic.iter().flatten().find_map(|n| n.ipaddress.clone());
            ClusterNode {
                vm_id: owned(&vm.id),
                name,
                role: if is_control {
                    NodeRole::Control
                } else {
                    NodeRole::Worker
                },
                state: vm.state.clone().unwrap_or_default(),
                ip,
            }
        })
        .collect()
}

impl From<&cs::KubernetesCluster> for KubernetesCluster {
    fn from(c: &cs::KubernetesCluster) -> Self {
        let autoscaling = c.autoscalingenabled == Some(true);
        KubernetesCluster {
            id: owned(&c.id),
            name: c.name.clone(),
            state: c.state.clone(),
            zone_id: c.zoneid.clone(),
            zone_name: c.zonename.clone(),
            version: c.kubernetesversionname.clone(),
            control_nodes: c.controlnodes.or(c.masternodes),
            worker_nodes: c.size,
            cpu_number: c.cpunumber,
            memory_mb: c.memory,
            endpoint: c.endpoint.clone(),
            account: c.account.clone(),
            domain: c.domain.clone(),
            created: normalize_datetime(c.created.as_deref()),
            version_id: c.kubernetesversionid.clone(),
            offering_id: c.workerofferingid.clone().or(c.serviceofferingid.clone()),
            offering_name: c
                .workerofferingname
                .clone()
                .or(c.serviceofferingname.clone()),
            network_id: c.networkid.clone(),
            network_name: c.associatednetworkname.clone(),
            autoscale_min: c.minsize.filter(|_| autoscaling),
            autoscale_max: c.maxsize.filter(|_| autoscaling),
            keypair: c.keypair.clone().filter(|k| !k.is_empty()),
            nodes_json: serde_json::to_string(&cluster_nodes(c)).ok(),
        }
    }
}

/// A comma-separated CIDR list as CloudStack sends it, or none when empty.
fn cidrs(list: &Option<String>) -> Option<String> {
    list.as_deref()
        .map(|l| {
            l.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|l| !l.is_empty())
}

/// A port CloudStack sends as text (load balancers) or a number.
fn port(p: &Option<String>) -> Option<i64> {
    p.as_deref().and_then(|p| p.trim().parse().ok())
}

impl FirewallRule {
    /// An ingress rule on a public IP.
    pub fn ingress(r: &cs::FirewallRule) -> Self {
        Self::with_traffic(r, "ingress")
    }

    /// An egress rule of a network.
    pub fn egress(r: &cs::FirewallRule) -> Self {
        Self::with_traffic(r, "egress")
    }

    fn with_traffic(r: &cs::FirewallRule, traffic: &str) -> Self {
        FirewallRule {
            id: owned(&r.id),
            traffic: traffic.to_owned(),
            ip_id: r.ipaddressid.clone().filter(|s| !s.is_empty()),
            ip_address: r.ipaddress.clone().filter(|s| !s.is_empty()),
            network_id: r.networkid.clone(),
            protocol: r.protocol.as_deref().map(str::to_lowercase),
            start_port: r.startport,
            end_port: r.endport,
            cidrs: cidrs(&r.cidrlist),
            dest_cidrs: cidrs(&r.destcidrlist),
            icmp_type: r.icmptype,
            icmp_code: r.icmpcode,
            state: r.state.clone(),
        }
    }
}

impl From<&cs::PortForwardingRule> for PortForward {
    fn from(r: &cs::PortForwardingRule) -> Self {
        PortForward {
            id: owned(&r.id),
            ip_id: r.ipaddressid.clone(),
            ip_address: r.ipaddress.clone(),
            network_id: r.networkid.clone(),
            protocol: r.protocol.as_deref().map(str::to_lowercase),
            public_port: r.publicport,
            public_end_port: r.publicendport,
            private_port: r.privateport,
            private_end_port: r.privateendport,
            vm_id: r.virtualmachineid.clone(),
            vm_name: r.virtualmachinename.clone(),
            vm_guest_ip: r.vmguestip.clone(),
            cidrs: cidrs(&r.cidrlist),
            state: r.state.clone(),
        }
    }
}

impl From<&cs::LoadBalancerRule> for LoadBalancer {
    fn from(r: &cs::LoadBalancerRule) -> Self {
        LoadBalancer {
            id: owned(&r.id),
            name: r.name.clone(),
            algorithm: r.algorithm.clone(),
            protocol: r.protocol.as_deref().map(str::to_lowercase),
            ip_id: r.publicipid.clone(),
            ip_address: r.publicip.clone(),
            public_port: port(&r.publicport),
            private_port: port(&r.privateport),
            cidrs: cidrs(&r.cidrlist),
            network_id: r.networkid.clone(),
            zone_id: r.zoneid.clone(),
            state: r.state.clone(),
            account: r.account.clone(),
        }
    }
}

impl From<&cs::Vpc> for Vpc {
    fn from(v: &cs::Vpc) -> Self {
        Vpc {
            id: owned(&v.id),
            name: v.name.clone(),
            display_text: v.displaytext.clone(),
            cidr: v.cidr.clone(),
            state: v.state.clone(),
            zone_id: v.zoneid.clone(),
            zone_name: v.zonename.clone(),
            offering_name: v.vpcofferingname.clone(),
            network_domain: v.networkdomain.clone(),
            restart_required: v.restartrequired.unwrap_or(false),
            account: v.account.clone(),
            domain: v.domain.clone(),
        }
    }
}

impl From<&cs::Snapshot> for VolumeSnapshot {
    fn from(s: &cs::Snapshot) -> Self {
        VolumeSnapshot {
            id: owned(&s.id),
            name: s.name.clone(),
            state: s.state.clone(),
            volume_id: s.volumeid.clone(),
            volume_name: s.volumename.clone(),
            volume_type: s.volumetype.clone(),
            snapshot_type: s.snapshottype.clone(),
            interval_type: s.intervaltype.clone(),
            physical_size: s.physicalsize,
            virtual_size: s.virtualsize,
            zone_id: s.zoneid.clone(),
            created: normalize_datetime(s.created.as_deref()),
            revertable: s.revertable.unwrap_or(false),
            account: s.account.clone(),
        }
    }
}

/// CloudStack answers a policy's interval as its number (`0` hourly … `3` monthly) or its name.
pub fn interval_name(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    Some(
        match raw {
            "0" => "HOURLY",
            "1" => "DAILY",
            "2" => "WEEKLY",
            "3" => "MONTHLY",
            other => return Some(other.to_uppercase()),
        }
        .to_owned(),
    )
}

impl From<&cs::SnapshotPolicy> for SnapshotPolicy {
    fn from(p: &cs::SnapshotPolicy) -> Self {
        SnapshotPolicy {
            id: owned(&p.id),
            volume_id: p.volumeid.clone(),
            interval_type: interval_name(p.intervaltype.as_deref()),
            schedule: p.schedule.clone(),
            timezone: p.timezone.clone(),
            max_snaps: p.maxsnaps,
        }
    }
}

impl From<&cs::VmSnapshot> for VmSnapshot {
    fn from(s: &cs::VmSnapshot) -> Self {
        VmSnapshot {
            id: owned(&s.id),
            name: s.name.clone(),
            display_name: s.displayname.clone(),
            description: s.description.clone(),
            snapshot_type: s.snapshot_type.clone(),
            state: s.state.clone(),
            current: s.current.unwrap_or(false),
            parent_id: s.parent.clone().filter(|p| !p.is_empty()),
            vm_id: s.virtualmachineid.clone(),
            vm_name: s.virtualmachinename.clone(),
            zone_id: s.zoneid.clone(),
            created: normalize_datetime(s.created.as_deref()),
            account: s.account.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_normalised_to_utc() {
        assert_eq!(
            normalize_datetime(Some("2024-10-04T14:54:38+0530")).as_deref(),
            Some("2024-10-04T09:24:38Z")
        );
        assert_eq!(
            normalize_datetime(Some("yesterday")).as_deref(),
            Some("yesterday")
        );
        assert_eq!(normalize_datetime(None), None);
    }

    #[test]
    fn vm_ips_put_the_default_nic_first() {
        let v: cs::VirtualMachine = serde_json::from_value(serde_json::json!({
            "id": "v1",
            "nic": [
                {"ipaddress": "10.0.0.5", "isdefault": false},
                {"ipaddress": "192.168.1.9", "ip6address": "fd00::9", "isdefault": true}
            ]
        }))
        .unwrap_or_default();
        let row = vm(&v).expect("a VM serialises");
        assert_eq!(row.record.primary_ip.as_deref(), Some("192.168.1.9"));
        assert_eq!(
            row.record.ip_addresses.as_deref(),
            Some("192.168.1.9, fd00::9, 10.0.0.5")
        );
        assert_eq!(row.raw["id"], "v1");
    }
}
