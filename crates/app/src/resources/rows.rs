//! The offline cache's rows as the rows the pages, the CLI and the checks share. Both kinds of
//! profile fill the same cache rows, so this is the only mapping the console needs.

use akashone_cache as cache;
use akashone_types::network::{
    Cidr, EgressRuleRow, FirewallRuleRow, GuestType, LbAlgorithm, LoadBalancerRow, NetworkRow,
    PortForwardRow, PortRange, Protocol, PublicIpRow, TierRow, Traffic, VpcRow,
};
use akashone_types::storage::schedule::SnapshotPolicy;
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VmSnapshotType, VolumeRow,
    VolumeType,
};
use std::collections::HashMap;
use std::str::FromStr;

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn cidr(v: &Option<String>) -> Option<Cidr> {
    v.as_deref().and_then(|c| Cidr::parse(c).ok())
}

/// A network, with the VMs on it (`vms`: by network id, from the VMs' NICs, used when the
/// row itself does not name them).
pub(crate) fn network(n: &cache::Network, vms: &HashMap<String, Vec<String>>) -> NetworkRow {
    let vm_names = match &n.vm_names {
        Some(_) => list(&n.vm_names),
        None => vms.get(&n.id).cloned().unwrap_or_default(),
    };
    NetworkRow {
        id: n.id.clone(),
        name: text(&n.name),
        zone_id: text(&n.zone_id),
        zone_name: text(&n.zone_name),
        cidr: cidr(&n.cidr),
        gateway: n.gateway.clone(),
        state: text(&n.state),
        guest_type: match n.network_type.as_deref() {
            Some("Shared") => GuestType::Shared,
            Some("L2") => GuestType::L2,
            _ => GuestType::Isolated,
        },
        vpc_id: n.vpc_id.clone().filter(|v| !v.is_empty()),
        vpc_name: None,
        offering_id: text(&n.offering_id),
        offering_name: text(&n.offering_name),
        acl_id: n.acl_id.clone(),
        egress_default: None,
        vm_names,
    }
}

/// VPCs with their tiers (the networks that name them).
pub(crate) fn vpcs(vpcs: &[cache::Vpc], networks: &[NetworkRow]) -> Vec<VpcRow> {
    vpcs.iter()
        .filter_map(|v| {
            Some(VpcRow {
                id: v.id.clone(),
                name: text(&v.name),
                zone_id: text(&v.zone_id),
                zone_name: text(&v.zone_name),
                cidr: cidr(&v.cidr)?,
                state: text(&v.state),
                offering_id: String::new(),
                offering_name: text(&v.offering_name),
                tiers: networks
                    .iter()
                    .filter(|n| n.vpc_id.as_deref() == Some(v.id.as_str()))
                    .filter_map(|n| {
                        Some(TierRow {
                            id: n.id.clone(),
                            name: n.name.clone(),
                            cidr: n.cidr?,
                            gateway: n.gateway.clone().unwrap_or_default(),
                            state: n.state.clone(),
                            acl_id: n.acl_id.clone(),
                            acl_name: None,
                            vm_names: n.vm_names.clone(),
                        })
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A public IP, with its network's and VPC's names.
pub(crate) fn ip(
    a: &cache::PublicIp,
    networks: &HashMap<&str, &NetworkRow>,
    vpcs: &HashMap<&str, &str>,
) -> PublicIpRow {
    let network = a.network_id.as_deref().and_then(|n| networks.get(n));
    PublicIpRow {
        id: a.id.clone(),
        address: text(&a.ip_address),
        zone_id: text(&a.zone_id),
        network_id: a.network_id.clone(),
        network_name: network.map(|n| n.name.clone()),
        vpc_id: a.vpc_id.clone(),
        vpc_name: a
            .vpc_id
            .as_deref()
            .and_then(|v| vpcs.get(v))
            .map(|n| (*n).to_owned()),
        source_nat: a.is_source_nat,
        static_nat_vm_id: a.vm_id.clone().filter(|_| a.is_static_nat),
        static_nat_vm_name: a.vm_name.clone().filter(|_| a.is_static_nat),
        state: text(&a.state),
    }
}

fn traffic(r: &cache::FirewallRule) -> Option<Traffic> {
    akashone_resources::rows::traffic(
        &r.protocol,
        r.start_port,
        r.end_port,
        r.icmp_type,
        r.icmp_code,
    )
}

/// An ingress rule (`None` for an egress one, or one we cannot read).
pub(crate) fn firewall(r: &cache::FirewallRule) -> Option<FirewallRuleRow> {
    if r.traffic != "ingress" {
        return None;
    }
    Some(FirewallRuleRow {
        id: r.id.clone(),
        ip_address_id: text(&r.ip_id),
        ip_address: text(&r.ip_address),
        traffic: traffic(r)?,
        cidrs: list(&r.cidrs),
        state: text(&r.state),
    })
}

/// An egress rule (`None` for an ingress one).
pub(crate) fn egress(r: &cache::FirewallRule) -> Option<EgressRuleRow> {
    if r.traffic != "egress" {
        return None;
    }
    Some(EgressRuleRow {
        id: r.id.clone(),
        network_id: text(&r.network_id),
        traffic: traffic(r)?,
        cidrs: list(&r.cidrs),
        dest_cidrs: list(&r.dest_cidrs),
        state: text(&r.state),
    })
}

fn range(start: Option<i64>, end: Option<i64>) -> Option<PortRange> {
    let s = u16::try_from(start?).ok()?;
    let e = end.and_then(|e| u16::try_from(e).ok()).unwrap_or(s);
    PortRange::new(s, e.max(s)).ok()
}

/// A port forward.
pub(crate) fn port_forward(r: &cache::PortForward) -> Option<PortForwardRow> {
    Some(PortForwardRow {
        id: r.id.clone(),
        ip_address_id: text(&r.ip_id),
        ip_address: text(&r.ip_address),
        protocol: Protocol::from_str(r.protocol.as_deref().unwrap_or("tcp")).ok()?,
        public: range(r.public_port, r.public_end_port)?,
        private: range(r.private_port, r.private_end_port)?,
        vm_id: text(&r.vm_id),
        vm_name: text(&r.vm_name),
        vm_guest_ip: r.vm_guest_ip.clone(),
        cidrs: list(&r.cidrs),
        state: text(&r.state),
    })
}

/// A load balancer rule (members are asked for when it is opened).
pub(crate) fn load_balancer(r: &cache::LoadBalancer) -> Option<LoadBalancerRow> {
    Some(LoadBalancerRow {
        id: r.id.clone(),
        name: text(&r.name),
        ip_address_id: text(&r.ip_id),
        ip_address: text(&r.ip_address),
        public_port: u16::try_from(r.public_port?).ok()?,
        private_port: u16::try_from(r.private_port?).ok()?,
        algorithm: match r.algorithm.as_deref() {
            Some("leastconn") => LbAlgorithm::Leastconn,
            Some("source") => LbAlgorithm::Source,
            _ => LbAlgorithm::Roundrobin,
        },
        protocol: r.protocol.clone().unwrap_or_else(|| "tcp".into()),
        cidrs: list(&r.cidrs),
        members: Vec::new(),
        health_check: None,
        stickiness: None,
        state: text(&r.state),
    })
}

fn bytes(v: Option<i64>) -> u64 {
    v.and_then(|b| u64::try_from(b).ok()).unwrap_or(0)
}

fn volume_type(v: &Option<String>) -> VolumeType {
    match v.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("ROOT") => VolumeType::Root,
        _ => VolumeType::Datadisk,
    }
}

/// A volume.
pub(crate) fn volume(v: &cache::Volume) -> VolumeRow {
    VolumeRow {
        id: v.id.clone(),
        name: text(&v.name),
        volume_type: volume_type(&v.volume_type),
        size_bytes: bytes(v.size_bytes),
        zone_id: text(&v.zone_id),
        zone_name: text(&v.zone_name),
        state: text(&v.state),
        offering_id: v.disk_offering_id.clone(),
        offering_name: v.disk_offering_name.clone(),
        vm_id: v.vm_id.clone().filter(|i| !i.is_empty()),
        vm_name: v.vm_name.clone().filter(|_| v.vm_id.is_some()),
        vm_state: v.vm_state.clone().filter(|_| v.vm_id.is_some()),
        device_id: v.device_id.and_then(|d| u32::try_from(d).ok()),
        storage_pool: v.storage.clone(),
        min_iops: v.min_iops.and_then(|d| u64::try_from(d).ok()),
        max_iops: v.max_iops.and_then(|d| u64::try_from(d).ok()),
        created: text(&v.created),
    }
}

/// A volume snapshot.
pub(crate) fn snapshot(s: &cache::VolumeSnapshot) -> SnapshotRow {
    SnapshotRow {
        id: s.id.clone(),
        name: text(&s.name),
        volume_id: text(&s.volume_id),
        volume_name: text(&s.volume_name),
        volume_type: volume_type(&s.volume_type),
        snapshot_type: text(&s.snapshot_type),
        state: text(&s.state),
        virtual_size_bytes: bytes(s.virtual_size),
        physical_size_bytes: s.physical_size.and_then(|b| u64::try_from(b).ok()),
        zone_id: text(&s.zone_id),
        location: None,
        created: text(&s.created),
    }
}

/// A recurring policy; `None` when its schedule is not one CloudStack would have accepted.
pub(crate) fn policy(p: &cache::SnapshotPolicy) -> Option<SnapshotPolicyRow> {
    let policy = SnapshotPolicy::from_cloudstack(
        p.interval_type.as_deref()?,
        p.schedule.as_deref()?,
        p.timezone.as_deref().unwrap_or("UTC"),
        p.max_snaps.and_then(|m| u32::try_from(m).ok()).unwrap_or(1),
    )
    .ok()?;
    Some(SnapshotPolicyRow {
        id: p.id.clone(),
        volume_id: text(&p.volume_id),
        policy,
    })
}

/// A VM snapshot, with its parent's name when that is cached.
pub(crate) fn vm_snapshot(s: &cache::VmSnapshot, names: &HashMap<String, String>) -> VmSnapshotRow {
    VmSnapshotRow {
        id: s.id.clone(),
        name: text(&s.name),
        display_name: s
            .display_name
            .clone()
            .or_else(|| s.name.clone())
            .unwrap_or_default(),
        description: s.description.clone().filter(|d| !d.is_empty()),
        vm_id: text(&s.vm_id),
        vm_name: text(&s.vm_name),
        snapshot_type: match s.snapshot_type.as_deref() {
            Some("DiskAndMemory") => VmSnapshotType::DiskAndMemory,
            _ => VmSnapshotType::Disk,
        },
        state: text(&s.state),
        current: s.current,
        parent_id: s.parent_id.clone(),
        parent_name: s.parent_id.as_ref().and_then(|p| names.get(p).cloned()),
        created: text(&s.created),
    }
}

/// A disk offering for new volumes.
pub(crate) fn disk_offering(o: &cache::DiskOffering) -> DiskOfferingInfo {
    DiskOfferingInfo {
        id: o.id.clone(),
        name: text(&o.name),
        size_gib: if o.is_customized {
            None
        } else {
            o.disk_size_gb.and_then(|g| u64::try_from(g).ok())
        },
        custom_iops: o.custom_iops,
    }
}
