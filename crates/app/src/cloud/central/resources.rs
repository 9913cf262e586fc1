//! Networks and storage through the central server: its lists as the cache's rows, and each
//! operation run to its end by the server (which checks the tenant's ownership of everything
//! the operation names, and audits it).

use super::CentralCloud;
use crate::cloud::direct_resources::lists_of;
use crate::cloud::{Job, Outcome, waited_by_server};
use crate::error::Result;
use akashone_cache::cloudstack::stored;
use akashone_cache::sync::{Fetched, Snapshot};
use akashone_cache::{
    DiskOffering, FirewallRule, ListKind, LoadBalancer, Network, PortForward, PublicIp,
    SnapshotPolicy, Stored, VmSnapshot, Volume, VolumeSnapshot, Vpc,
};
use akashone_central::Central;
use akashone_types::Choice;
use akashone_types::network::{
    EgressRuleRow, FirewallRuleRow, GuestType, LbMemberRow, LoadBalancerRow, NetworkRow,
    PortForwardRow, PublicIpRow, Traffic, VpcRow,
};
use akashone_types::ops::Operation;
use akashone_types::storage::{
    DiskOfferingInfo, SnapshotPolicyRow, SnapshotRow, VmSnapshotRow, VmSnapshotType, VolumeRow,
    VolumeType,
};
use serde::de::DeserializeOwned;

fn some(s: &str) -> Option<String> {
    Some(s.to_owned()).filter(|s| !s.is_empty())
}

fn joined(v: &[String]) -> Option<String> {
    Some(v.join(",")).filter(|s| !s.is_empty())
}

/// The loose columns of a rule from what it lets through.
fn wire(t: &Traffic) -> (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>) {
    let range = t.ports().and_then(|p| p.ranges().first().copied());
    let (icmp_type, icmp_code) = match t {
        Traffic::Icmp {
            icmp_type,
            icmp_code,
        } => (Some(i64::from(*icmp_type)), Some(i64::from(*icmp_code))),
        _ => (None, None),
    };
    (
        t.protocol().as_str().to_owned(),
        range.map(|r| i64::from(r.start)),
        range.map(|r| i64::from(r.end)),
        icmp_type,
        icmp_code,
    )
}

fn network(n: &NetworkRow) -> Network {
    Network {
        id: n.id.clone(),
        name: some(&n.name),
        display_text: None,
        state: some(&n.state),
        network_type: Some(
            match n.guest_type {
                GuestType::Isolated => "Isolated",
                GuestType::Shared => "Shared",
                GuestType::L2 => "L2",
            }
            .into(),
        ),
        zone_id: some(&n.zone_id),
        zone_name: some(&n.zone_name),
        cidr: n.cidr.as_ref().map(|c| c.to_string()),
        gateway: n.gateway.clone(),
        vpc_id: n.vpc_id.clone(),
        account: None,
        domain: None,
        offering_id: some(&n.offering_id),
        offering_name: some(&n.offering_name),
        network_domain: None,
        acl_id: n.acl_id.clone(),
        restart_required: false,
        vm_names: Some(n.vm_names.join(",")),
    }
}

fn vpc(v: &VpcRow) -> Vpc {
    Vpc {
        id: v.id.clone(),
        name: some(&v.name),
        display_text: None,
        cidr: Some(v.cidr.to_string()),
        state: some(&v.state),
        zone_id: some(&v.zone_id),
        zone_name: some(&v.zone_name),
        offering_name: some(&v.offering_name),
        network_domain: None,
        restart_required: false,
        account: None,
        domain: None,
    }
}

fn ip(a: &PublicIpRow) -> PublicIp {
    PublicIp {
        id: a.id.clone(),
        ip_address: some(&a.address),
        state: some(&a.state),
        is_source_nat: a.source_nat,
        is_static_nat: a.static_nat_vm_id.is_some(),
        zone_id: some(&a.zone_id),
        zone_name: None,
        network_id: a.network_id.clone(),
        vm_id: a.static_nat_vm_id.clone(),
        vm_name: a.static_nat_vm_name.clone(),
        allocated: None,
        account: None,
        domain: None,
        vpc_id: a.vpc_id.clone(),
    }
}

fn firewall(r: &FirewallRuleRow) -> FirewallRule {
    let (protocol, start_port, end_port, icmp_type, icmp_code) = wire(&r.traffic);
    FirewallRule {
        id: r.id.clone(),
        traffic: "ingress".into(),
        ip_id: some(&r.ip_address_id),
        ip_address: some(&r.ip_address),
        network_id: None,
        protocol: Some(protocol),
        start_port,
        end_port,
        cidrs: joined(&r.cidrs),
        dest_cidrs: None,
        icmp_type,
        icmp_code,
        state: some(&r.state),
    }
}

fn egress(r: &EgressRuleRow) -> FirewallRule {
    let (protocol, start_port, end_port, icmp_type, icmp_code) = wire(&r.traffic);
    FirewallRule {
        id: r.id.clone(),
        traffic: "egress".into(),
        ip_id: None,
        ip_address: None,
        network_id: some(&r.network_id),
        protocol: Some(protocol),
        start_port,
        end_port,
        cidrs: joined(&r.cidrs),
        dest_cidrs: joined(&r.dest_cidrs),
        icmp_type,
        icmp_code,
        state: some(&r.state),
    }
}

fn port_forward(r: &PortForwardRow) -> PortForward {
    PortForward {
        id: r.id.clone(),
        ip_id: some(&r.ip_address_id),
        ip_address: some(&r.ip_address),
        network_id: None,
        protocol: Some(r.protocol.as_str().to_owned()),
        public_port: Some(i64::from(r.public.start)),
        public_end_port: Some(i64::from(r.public.end)),
        private_port: Some(i64::from(r.private.start)),
        private_end_port: Some(i64::from(r.private.end)),
        vm_id: some(&r.vm_id),
        vm_name: some(&r.vm_name),
        vm_guest_ip: r.vm_guest_ip.clone(),
        cidrs: joined(&r.cidrs),
        state: some(&r.state),
    }
}

fn load_balancer(r: &LoadBalancerRow) -> LoadBalancer {
    LoadBalancer {
        id: r.id.clone(),
        name: some(&r.name),
        algorithm: Some(r.algorithm.as_str().to_owned()),
        protocol: some(&r.protocol),
        ip_id: some(&r.ip_address_id),
        ip_address: some(&r.ip_address),
        public_port: Some(i64::from(r.public_port)),
        private_port: Some(i64::from(r.private_port)),
        cidrs: joined(&r.cidrs),
        network_id: None,
        zone_id: None,
        state: some(&r.state),
        account: None,
    }
}

fn int(v: Option<u64>) -> Option<i64> {
    v.and_then(|v| i64::try_from(v).ok())
}

fn volume(v: &VolumeRow) -> Volume {
    Volume {
        id: v.id.clone(),
        name: some(&v.name),
        volume_type: Some(
            match v.volume_type {
                VolumeType::Root => "ROOT",
                VolumeType::Datadisk => "DATADISK",
            }
            .into(),
        ),
        state: some(&v.state),
        size_bytes: int(Some(v.size_bytes)),
        zone_id: some(&v.zone_id),
        zone_name: some(&v.zone_name),
        vm_id: v.vm_id.clone(),
        vm_name: v.vm_name.clone(),
        disk_offering_name: v.offering_name.clone(),
        created: akashone_cache::normalize_datetime(some(&v.created).as_deref()),
        account: None,
        domain: None,
        device_id: v.device_id.map(i64::from),
        disk_offering_id: v.offering_id.clone(),
        vm_state: v.vm_state.clone(),
        storage: v.storage_pool.clone(),
        storage_id: None,
        min_iops: int(v.min_iops),
        max_iops: int(v.max_iops),
    }
}

fn volume_snapshot(s: &SnapshotRow) -> VolumeSnapshot {
    VolumeSnapshot {
        id: s.id.clone(),
        name: some(&s.name),
        state: some(&s.state),
        volume_id: some(&s.volume_id),
        volume_name: some(&s.volume_name),
        volume_type: Some(
            match s.volume_type {
                VolumeType::Root => "ROOT",
                VolumeType::Datadisk => "DATADISK",
            }
            .into(),
        ),
        snapshot_type: some(&s.snapshot_type),
        interval_type: None,
        physical_size: int(s.physical_size_bytes),
        virtual_size: int(Some(s.virtual_size_bytes)),
        zone_id: some(&s.zone_id),
        created: akashone_cache::normalize_datetime(some(&s.created).as_deref()),
        revertable: s.state == "BackedUp",
        account: None,
    }
}

fn policy(p: &SnapshotPolicyRow) -> SnapshotPolicy {
    let (interval, schedule) = p.policy.schedule.to_cloudstack();
    SnapshotPolicy {
        id: p.id.clone(),
        volume_id: some(&p.volume_id),
        interval_type: Some(interval.to_owned()),
        schedule: Some(schedule),
        timezone: some(&p.policy.time_zone),
        max_snaps: Some(i64::from(p.policy.max_snaps)),
    }
}

fn vm_snapshot(s: &VmSnapshotRow) -> VmSnapshot {
    VmSnapshot {
        id: s.id.clone(),
        name: some(&s.name),
        display_name: some(&s.display_name),
        description: s.description.clone(),
        snapshot_type: Some(
            match s.snapshot_type {
                VmSnapshotType::Disk => "Disk",
                VmSnapshotType::DiskAndMemory => "DiskAndMemory",
            }
            .into(),
        ),
        state: some(&s.state),
        current: s.current,
        parent_id: s.parent_id.clone(),
        vm_id: some(&s.vm_id),
        vm_name: some(&s.vm_name),
        zone_id: None,
        created: akashone_cache::normalize_datetime(some(&s.created).as_deref()),
        account: None,
    }
}

fn disk_offering(o: &DiskOfferingInfo) -> DiskOffering {
    DiskOffering {
        id: o.id.clone(),
        name: some(&o.name),
        display_text: None,
        disk_size_gb: int(o.size_gib),
        is_customized: o.size_gib.is_none(),
        storage_type: None,
        created: None,
        custom_iops: o.custom_iops,
    }
}

/// One list of the server as cache rows; a refusal or failure (a role without the permission,
/// a server without these endpoints) is the list's error, not the sync's.
async fn fetch<T, R>(
    client: &Central,
    tenant: Option<&str>,
    path: &str,
    row: fn(&T) -> R,
) -> Result<Fetched<R>>
where
    T: DeserializeOwned + serde::Serialize,
{
    match client.resource_list::<T>(path, tenant).await {
        Ok(items) => Ok(Some(Ok(items
            .iter()
            .map(|i| stored(i, row(i)))
            .collect::<std::result::Result<Vec<Stored<R>>, _>>(
        )?))),
        Err(e) if e.is_unauthorized() => Err(e.into()),
        Err(e) => Ok(Some(Err(akashone_types::ApiError::from(e)))),
    }
}

/// The lists the server serves for the Networks and Storage pages.
pub(super) const RESOURCE_KINDS: [ListKind; 11] = [
    ListKind::Networks,
    ListKind::Vpcs,
    ListKind::PublicIps,
    ListKind::FirewallRules,
    ListKind::PortForwards,
    ListKind::LoadBalancers,
    ListKind::Volumes,
    ListKind::Snapshots,
    ListKind::SnapshotPolicies,
    ListKind::VmSnapshots,
    ListKind::DiskOfferings,
];

impl CentralCloud {
    /// The network and storage lists of `kinds` into `snapshot`.
    pub(super) async fn resource_lists(
        &self,
        client: &Central,
        kinds: &[ListKind],
        snapshot: &mut Snapshot,
    ) -> Result<()> {
        let t = self.acting_id();
        let t = t.as_deref();
        let want = |k| kinds.contains(&k);
        if want(ListKind::Networks) {
            snapshot.networks = fetch(client, t, "/api/networks", network).await?;
        }
        if want(ListKind::Vpcs) {
            snapshot.vpcs = fetch(client, t, "/api/vpcs", vpc).await?;
        }
        if want(ListKind::PublicIps) {
            snapshot.public_ips = fetch(client, t, "/api/public-ips", ip).await?;
        }
        if want(ListKind::FirewallRules) {
            let ingress = fetch(client, t, "/api/firewall-rules", firewall).await?;
            let egress = fetch(client, t, "/api/egress-rules", egress).await?;
            snapshot.firewall_rules = match (ingress, egress) {
                (Some(Ok(mut i)), Some(Ok(e))) => {
                    i.extend(e);
                    Some(Ok(i))
                }
                (Some(Err(e)), _) | (_, Some(Err(e))) => Some(Err(e)),
                _ => None,
            };
        }
        if want(ListKind::PortForwards) {
            snapshot.port_forwards = fetch(client, t, "/api/port-forwards", port_forward).await?;
        }
        if want(ListKind::LoadBalancers) {
            snapshot.load_balancers =
                fetch(client, t, "/api/load-balancers", load_balancer).await?;
        }
        if want(ListKind::Volumes) {
            snapshot.volumes = fetch(client, t, "/api/volumes", volume).await?;
        }
        if want(ListKind::Snapshots) {
            snapshot.snapshots = fetch(client, t, "/api/snapshots", volume_snapshot).await?;
        }
        if want(ListKind::SnapshotPolicies) {
            snapshot.snapshot_policies = fetch(client, t, "/api/snapshot-policies", policy).await?;
        }
        if want(ListKind::VmSnapshots) {
            snapshot.vm_snapshots = fetch(client, t, "/api/vm-snapshots", vm_snapshot).await?;
        }
        if want(ListKind::DiskOfferings) {
            snapshot.disk_offerings =
                fetch(client, t, "/api/disk-offerings", disk_offering).await?;
        }
        Ok(())
    }

    pub(super) async fn operate_of(&self, op: &Operation) -> Result<Job> {
        let (client, t, op) = (self.client()?, self.acting_id(), op.clone());
        Ok(waited_by_server(None, async move {
            let done = client.operation(t.as_deref(), &op).await?;
            Ok(Outcome::Changed {
                lists: lists_of(&op),
                message: done.message,
                id: done.id,
            })
        }))
    }

    pub(super) async fn lb_members_of(&self, id: &str) -> Result<Vec<LbMemberRow>> {
        let t = self.acting_id();
        Ok(self.client()?.lb_members(t.as_deref(), id).await?)
    }

    pub(super) async fn network_offerings_of(
        &self,
        zone_id: &str,
        for_vpc: bool,
    ) -> Result<Vec<Choice>> {
        let t = self.acting_id();
        Ok(self
            .client()?
            .network_offerings(t.as_deref(), zone_id, for_vpc)
            .await?)
    }
}
