//! The rows the cache stores and returns: plain, serde-serialisable structs with the columns a
//! list shows. The source's full document for each row is kept beside it (see
//! [`crate::Cache::vm`] and [`crate::Cache::raw`]).
//!
//! The rows belong to the cache, not to a backend: [`crate::cloudstack`] maps CloudStack's
//! answers to them, and any other source (the central server) builds them directly. Date-times
//! are stored as UTC RFC 3339 (`2024-10-04T09:24:38Z`) so that they sort as text.

use crate::error::Error;
use crate::record::record;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

record! {
    /// An availability zone.
    pub struct Zone in "zones" key(id) order("name, id") {
        /// Zone id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// `Basic` or `Advanced`.
        pub network_type: Option<String>,
        /// `Enabled` or `Disabled`.
        pub allocation_state: Option<String>,
    }
}

record! {
    /// A template in one zone (a template in three zones is three rows).
    pub struct Template in "templates" key(id, zone_id) order("name, zone_name, id, zone_id") {
        /// Template id.
        pub id: String,
        /// Zone id (empty for cross-zone templates listed without a zone).
        pub zone_id: String,
        /// Zone name.
        pub zone_name: Option<String>,
        /// Name.
        pub name: Option<String>,
        /// Display text.
        pub display_text: Option<String>,
        /// OS type name.
        pub os_type: Option<String>,
        /// Hypervisor.
        pub hypervisor: Option<String>,
        /// Disk format.
        pub format: Option<String>,
        /// Size in bytes.
        pub size_bytes: Option<i64>,
        /// Ready to deploy.
        pub is_ready: bool,
        /// Public.
        pub is_public: bool,
        /// Featured (flagged so by CloudStack, or listed by the `featured` filter).
        pub is_featured: bool,
        /// Listed by the `executable` filter: the caller can deploy it.
        pub executable: bool,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// Owner account.
        pub account: Option<String>,
    }
}

record! {
    /// A compute offering.
    pub struct ServiceOffering in "service_offerings" key(id) order("name, id") {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display text.
        pub display_text: Option<String>,
        /// vCPUs.
        pub cpu_number: Option<i64>,
        /// CPU speed (MHz).
        pub cpu_speed_mhz: Option<i64>,
        /// Memory (MiB).
        pub memory_mb: Option<i64>,
        /// The user picks the size.
        pub is_customized: bool,
        /// `shared` or `local`.
        pub storage_type: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
    }
}

record! {
    /// A disk offering.
    pub struct DiskOffering in "disk_offerings" key(id) order("name, id") {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display text.
        pub display_text: Option<String>,
        /// Size (GiB).
        pub disk_size_gb: Option<i64>,
        /// The user picks the size.
        pub is_customized: bool,
        /// `shared` or `local`.
        pub storage_type: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// The user picks the IOPS.
        pub custom_iops: bool,
    }
}

record! {
    /// A virtual machine, with the columns of the VM list.
    pub struct Vm in "vms" key(id) order("name, id") {
        /// VM id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display name.
        pub display_name: Option<String>,
        /// State (`Running`, `Stopped`...).
        pub state: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// Template id.
        pub template_id: Option<String>,
        /// Template name.
        pub template_name: Option<String>,
        /// Service offering id.
        pub offering_id: Option<String>,
        /// Service offering name.
        pub offering_name: Option<String>,
        /// vCPUs.
        pub cpu_number: Option<i64>,
        /// Memory (MiB).
        pub memory_mb: Option<i64>,
        /// The default NIC's address.
        pub primary_ip: Option<String>,
        /// Every NIC address, the default NIC's first, separated by `", "`.
        pub ip_addresses: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
    }
}

record! {
    /// A volume.
    pub struct Volume in "volumes" key(id) order("name, id") {
        /// Volume id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// `ROOT` or `DATADISK`.
        pub volume_type: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Size in bytes.
        pub size_bytes: Option<i64>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// Attached VM id.
        pub vm_id: Option<String>,
        /// Attached VM name.
        pub vm_name: Option<String>,
        /// Disk offering name.
        pub disk_offering_name: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
        /// Device id on its VM.
        pub device_id: Option<i64>,
        /// Disk offering id.
        pub disk_offering_id: Option<String>,
        /// Attached VM's state.
        pub vm_state: Option<String>,
        /// Storage pool name.
        pub storage: Option<String>,
        /// Storage pool id.
        pub storage_id: Option<String>,
        /// Minimum IOPS.
        pub min_iops: Option<i64>,
        /// Maximum IOPS.
        pub max_iops: Option<i64>,
    }
}

record! {
    /// A guest network.
    pub struct Network in "networks" key(id) order("name, id") {
        /// Network id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display text.
        pub display_text: Option<String>,
        /// State.
        pub state: Option<String>,
        /// `Isolated`, `Shared` or `L2`.
        pub network_type: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// CIDR.
        pub cidr: Option<String>,
        /// Gateway.
        pub gateway: Option<String>,
        /// VPC id.
        pub vpc_id: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
        /// Network offering id.
        pub offering_id: Option<String>,
        /// Network offering name.
        pub offering_name: Option<String>,
        /// Network domain.
        pub network_domain: Option<String>,
        /// ACL list of a VPC tier.
        pub acl_id: Option<String>,
        /// CloudStack asks for a restart.
        pub restart_required: bool,
        /// Names of the VMs with a NIC on it, comma-separated, by name.
        pub vm_names: Option<String>,
    }
}

record! {
    /// A public IP address.
    pub struct PublicIp in "public_ips" key(id) order("ip_address, id") {
        /// Address id.
        pub id: String,
        /// The address.
        pub ip_address: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Source NAT address of its network.
        pub is_source_nat: bool,
        /// Static NAT to a VM.
        pub is_static_nat: bool,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// Associated network id.
        pub network_id: Option<String>,
        /// Static NAT VM id.
        pub vm_id: Option<String>,
        /// Static NAT VM name.
        pub vm_name: Option<String>,
        /// Allocation date-time (UTC RFC 3339).
        pub allocated: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
        /// VPC id (an address of a VPC).
        pub vpc_id: Option<String>,
    }
}

record! {
    /// A firewall rule: ingress on a public IP, or egress of a network.
    pub struct FirewallRule in "firewall_rules" key(id) order("ip_address, network_id, start_port, id") {
        /// Rule id.
        pub id: String,
        /// `ingress` (on a public IP) or `egress` (of a network).
        pub traffic: String,
        /// Public IP id (ingress).
        pub ip_id: Option<String>,
        /// Public IP (ingress).
        pub ip_address: Option<String>,
        /// Network id.
        pub network_id: Option<String>,
        /// `tcp`, `udp`, `icmp` or `all`.
        pub protocol: Option<String>,
        /// First port.
        pub start_port: Option<i64>,
        /// Last port.
        pub end_port: Option<i64>,
        /// Source CIDRs, comma-separated.
        pub cidrs: Option<String>,
        /// Destination CIDRs (egress), comma-separated.
        pub dest_cidrs: Option<String>,
        /// ICMP type.
        pub icmp_type: Option<i64>,
        /// ICMP code.
        pub icmp_code: Option<i64>,
        /// State.
        pub state: Option<String>,
    }
}

record! {
    /// A port forwarding rule.
    pub struct PortForward in "port_forwards" key(id) order("ip_address, public_port, id") {
        /// Rule id.
        pub id: String,
        /// Public IP id.
        pub ip_id: Option<String>,
        /// Public IP.
        pub ip_address: Option<String>,
        /// Network id.
        pub network_id: Option<String>,
        /// `tcp` or `udp`.
        pub protocol: Option<String>,
        /// First public port.
        pub public_port: Option<i64>,
        /// Last public port.
        pub public_end_port: Option<i64>,
        /// First private port.
        pub private_port: Option<i64>,
        /// Last private port.
        pub private_end_port: Option<i64>,
        /// Target VM id.
        pub vm_id: Option<String>,
        /// Target VM name.
        pub vm_name: Option<String>,
        /// Target guest IP.
        pub vm_guest_ip: Option<String>,
        /// Source CIDRs, comma-separated.
        pub cidrs: Option<String>,
        /// State.
        pub state: Option<String>,
    }
}

record! {
    /// A load balancer rule (its members are asked for when it is opened).
    pub struct LoadBalancer in "load_balancers" key(id) order("name, id") {
        /// Rule id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// `roundrobin`, `leastconn` or `source`.
        pub algorithm: Option<String>,
        /// Protocol.
        pub protocol: Option<String>,
        /// Public IP id.
        pub ip_id: Option<String>,
        /// Public IP.
        pub ip_address: Option<String>,
        /// Public port.
        pub public_port: Option<i64>,
        /// Private port.
        pub private_port: Option<i64>,
        /// Source CIDRs, comma-separated.
        pub cidrs: Option<String>,
        /// Network id.
        pub network_id: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Owner account.
        pub account: Option<String>,
    }
}

record! {
    /// A VPC.
    pub struct Vpc in "vpcs" key(id) order("name, id") {
        /// VPC id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display text.
        pub display_text: Option<String>,
        /// Super CIDR of its tiers.
        pub cidr: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// VPC offering name.
        pub offering_name: Option<String>,
        /// Network domain.
        pub network_domain: Option<String>,
        /// CloudStack asks for a restart.
        pub restart_required: bool,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
    }
}

record! {
    /// A volume snapshot.
    pub struct VolumeSnapshot in "snapshots" key(id) order("created DESC, id") {
        /// Snapshot id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// State (`BackedUp`, `Creating`...).
        pub state: Option<String>,
        /// Volume id.
        pub volume_id: Option<String>,
        /// Volume name.
        pub volume_name: Option<String>,
        /// `ROOT` or `DATADISK`.
        pub volume_type: Option<String>,
        /// `MANUAL`, `RECURRING`.
        pub snapshot_type: Option<String>,
        /// The policy's interval, for recurring ones.
        pub interval_type: Option<String>,
        /// Bytes stored.
        pub physical_size: Option<i64>,
        /// Size of the volume it holds.
        pub virtual_size: Option<i64>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// The volume can be reverted to it.
        pub revertable: bool,
        /// Owner account.
        pub account: Option<String>,
    }
}

record! {
    /// A recurring snapshot policy of a volume.
    pub struct SnapshotPolicy in "snapshot_policies" key(id) order("volume_id, interval_type, id") {
        /// Policy id.
        pub id: String,
        /// Volume id.
        pub volume_id: Option<String>,
        /// `HOURLY`, `DAILY`, `WEEKLY`, `MONTHLY`.
        pub interval_type: Option<String>,
        /// CloudStack's schedule (`MM`, `MM:HH`, `MM:HH:DD`).
        pub schedule: Option<String>,
        /// Time zone of the schedule.
        pub timezone: Option<String>,
        /// How many snapshots are kept.
        pub max_snaps: Option<i64>,
    }
}

record! {
    /// A VM snapshot (disk, or disk and memory).
    pub struct VmSnapshot in "vm_snapshots" key(id) order("created DESC, id") {
        /// Snapshot id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Display name.
        pub display_name: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// `Disk` or `DiskAndMemory`.
        pub snapshot_type: Option<String>,
        /// State.
        pub state: Option<String>,
        /// The VM's newest snapshot.
        pub current: bool,
        /// The snapshot it was taken on top of.
        pub parent_id: Option<String>,
        /// The VM.
        pub vm_id: Option<String>,
        /// The VM's name.
        pub vm_name: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// Owner account.
        pub account: Option<String>,
    }
}

record! {
    /// An SSH key pair (never its private key).
    pub struct SshKeyPair in "ssh_key_pairs" key(id) order("name, id") {
        /// Key pair id; `domain id/account/name` on servers that send none.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Fingerprint.
        pub fingerprint: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
    }
}

record! {
    /// A CloudStack Kubernetes Service cluster.
    pub struct KubernetesCluster in "kubernetes_clusters" key(id) order("name, id") {
        /// Cluster id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Zone id.
        pub zone_id: Option<String>,
        /// Zone name.
        pub zone_name: Option<String>,
        /// Kubernetes version name.
        pub version: Option<String>,
        /// Control nodes.
        pub control_nodes: Option<i64>,
        /// Worker nodes.
        pub worker_nodes: Option<i64>,
        /// vCPUs of the cluster.
        pub cpu_number: Option<i64>,
        /// Memory of the cluster (MiB).
        pub memory_mb: Option<i64>,
        /// API endpoint.
        pub endpoint: Option<String>,
        /// Owner account.
        pub account: Option<String>,
        /// Owner domain.
        pub domain: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
        /// Kubernetes version id.
        pub version_id: Option<String>,
        /// The nodes' compute offering id.
        pub offering_id: Option<String>,
        /// The nodes' compute offering name.
        pub offering_name: Option<String>,
        /// Network id.
        pub network_id: Option<String>,
        /// Network name.
        pub network_name: Option<String>,
        /// Autoscaling's fewest workers, when on.
        pub autoscale_min: Option<i64>,
        /// Autoscaling's most workers, when on.
        pub autoscale_max: Option<i64>,
        /// SSH key pair of the nodes.
        pub keypair: Option<String>,
        /// Member VMs: a JSON array of `akashone_types::kubernetes::ClusterNode`.
        pub nodes_json: Option<String>,
    }
}

record! {
    /// A managed database instance (any engine).
    pub struct ManagedDatabase in "databases" key(id) order("name, id") {
        /// Instance id.
        pub id: String,
        /// Name.
        pub name: Option<String>,
        /// Engine (`postgresql`, `mysql`...).
        pub engine: Option<String>,
        /// Engine version.
        pub version: Option<String>,
        /// State.
        pub state: Option<String>,
        /// Zone.
        pub zone: Option<String>,
        /// Plan.
        pub plan: Option<String>,
        /// Creation date-time (UTC RFC 3339).
        pub created: Option<String>,
    }
}

record! {
    /// A tax invoice. Amounts are in paise.
    pub struct Invoice in "invoices" key(number) order("invoice_date DESC, number DESC") {
        /// Invoice number.
        pub number: String,
        /// The seller's GSTIN.
        pub seller_gstin: String,
        /// The buyer's name.
        pub buyer_name: Option<String>,
        /// The buyer's GSTIN (none for consumers).
        pub buyer_gstin: Option<String>,
        /// Invoice date (`YYYY-MM-DD`).
        pub invoice_date: String,
        /// Taxable value.
        pub taxable_paise: i64,
        /// Total tax.
        pub tax_paise: i64,
        /// Invoice total.
        pub total_paise: i64,
        /// Status (`issued`, `paid`, `cancelled`...).
        pub status: String,
    }
}

record! {
    /// A credit note against an invoice. Amounts are in paise.
    pub struct CreditNote in "credit_notes" key(number) order("note_date DESC, number DESC") {
        /// Credit note number.
        pub number: String,
        /// The invoice it credits.
        pub invoice_number: String,
        /// Note date (`YYYY-MM-DD`).
        pub note_date: String,
        /// Taxable value.
        pub taxable_paise: i64,
        /// Total tax.
        pub tax_paise: i64,
        /// Note total.
        pub total_paise: i64,
        /// Reason.
        pub reason: Option<String>,
        /// Status.
        pub status: String,
    }
}

/// A list the cache keeps, and whose sync it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Zones.
    Zones,
    /// Templates.
    Templates,
    /// Compute offerings.
    ServiceOfferings,
    /// Disk offerings.
    DiskOfferings,
    /// Virtual machines.
    Vms,
    /// Volumes.
    Volumes,
    /// Guest networks.
    Networks,
    /// Public IP addresses.
    PublicIps,
    /// SSH key pairs.
    SshKeyPairs,
    /// Kubernetes clusters.
    KubernetesClusters,
    /// Firewall rules, ingress and egress.
    FirewallRules,
    /// Port forwarding rules.
    PortForwards,
    /// Load balancer rules.
    LoadBalancers,
    /// VPCs.
    Vpcs,
    /// Volume snapshots.
    Snapshots,
    /// Recurring snapshot policies.
    SnapshotPolicies,
    /// VM snapshots.
    VmSnapshots,
    /// Managed databases.
    Databases,
    /// Invoices and credit notes.
    Invoices,
}

impl ListKind {
    /// Every kind.
    pub const ALL: [ListKind; 19] = [
        Self::Zones,
        Self::Templates,
        Self::ServiceOfferings,
        Self::DiskOfferings,
        Self::Vms,
        Self::Volumes,
        Self::Networks,
        Self::PublicIps,
        Self::SshKeyPairs,
        Self::KubernetesClusters,
        Self::FirewallRules,
        Self::PortForwards,
        Self::LoadBalancers,
        Self::Vpcs,
        Self::Snapshots,
        Self::SnapshotPolicies,
        Self::VmSnapshots,
        Self::Databases,
        Self::Invoices,
    ];

    /// The stable name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zones => "zones",
            Self::Templates => "templates",
            Self::ServiceOfferings => "service_offerings",
            Self::DiskOfferings => "disk_offerings",
            Self::Vms => "vms",
            Self::Volumes => "volumes",
            Self::Networks => "networks",
            Self::PublicIps => "public_ips",
            Self::SshKeyPairs => "ssh_key_pairs",
            Self::KubernetesClusters => "kubernetes_clusters",
            Self::FirewallRules => "firewall_rules",
            Self::PortForwards => "port_forwards",
            Self::LoadBalancers => "load_balancers",
            Self::Vpcs => "vpcs",
            Self::Snapshots => "snapshots",
            Self::SnapshotPolicies => "snapshot_policies",
            Self::VmSnapshots => "vm_snapshots",
            Self::Databases => "databases",
            Self::Invoices => "invoices",
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ListKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::UnknownKind(s.to_owned()))
    }
}

/// The state of one list's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The connection profile.
    pub profile_id: String,
    /// The list.
    pub kind: ListKind,
    /// When the list was last replaced successfully (UTC RFC 3339).
    pub last_synced: Option<String>,
    /// When a sync was last tried (UTC RFC 3339).
    pub last_attempt: Option<String>,
    /// Rows stored by the last successful sync.
    pub row_count: u64,
    /// The last attempt's error, if it failed (the rows of the sync before it are kept).
    pub last_error: Option<String>,
}

/// Figures for the dashboard, computed from the cached rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Every cached VM.
    pub vm_total: u64,
    /// VM counts by state, largest first (ties by state name).
    pub vms_by_state: Vec<StateCount>,
    /// Cached zones.
    pub zone_count: u64,
    /// vCPUs of VMs that hold an allocation (every state but `Destroyed`, `Expunging`, `Error`).
    pub allocated_vcpus: i64,
    /// Memory (MiB) of those VMs.
    pub allocated_memory_mb: i64,
    /// vCPUs of running VMs.
    pub running_vcpus: i64,
    /// Memory (MiB) of running VMs.
    pub running_memory_mb: i64,
}

/// How many VMs are in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCount {
    /// The state.
    pub state: String,
    /// The number of VMs.
    pub count: u64,
}

/// States whose VMs do not count towards allocated capacity.
pub(crate) const UNALLOCATED_STATES: [&str; 3] = ["Destroyed", "Expunging", "Error"];

/// A single VM with CloudStack's full answer, for the detail panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VmDetail {
    /// The list columns.
    pub vm: Vm,
    /// CloudStack's answer for this VM.
    pub raw: serde_json::Value,
}

/// Formats a time as UTC RFC 3339 (how the cache stores times).
pub(crate) fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_their_names() {
        for k in ListKind::ALL {
            assert_eq!(k.as_str().parse::<ListKind>().ok(), Some(k));
        }
        assert!("vm".parse::<ListKind>().is_err());
    }
}
