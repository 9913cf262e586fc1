//! The entities the simulator keeps. Entities refer to each other by index into the tables of
//! [`super::State`]; removed entities stay in their table with `removed` set.

use time::OffsetDateTime;

pub(crate) use super::cidr::Cidr;

/// A domain of the tree rooted at ROOT.
#[derive(Debug, Clone)]
pub(crate) struct Domain {
    pub id: String,
    pub name: String,
    pub parent: Option<usize>,
    pub level: u32,
    /// `ROOT/child/grandchild`.
    pub path: String,
    pub created: OffsetDateTime,
    pub network_domain: Option<String>,
    pub removed: bool,
}

/// Account types as CloudStack numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountKind {
    User = 0,
    RootAdmin = 1,
    DomainAdmin = 2,
}

impl AccountKind {
    pub fn role(self) -> (&'static str, &'static str) {
        match self {
            AccountKind::User => ("User", "User"),
            AccountKind::RootAdmin => ("Root Admin", "Admin"),
            AccountKind::DomainAdmin => ("Domain Admin", "DomainAdmin"),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub id: String,
    pub name: String,
    pub domain: usize,
    pub kind: AccountKind,
    pub created: OffsetDateTime,
    pub network_domain: Option<String>,
    pub removed: bool,
    /// Resource limits by CloudStack resource type number (0 user_vm, 8 cpu, 9 memory MiB…),
    /// `None` = unlimited.
    pub limits: [Option<u64>; 12],
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub username: String,
    pub account: usize,
    pub api_key: String,
    pub secret_key: String,
    pub firstname: String,
    pub lastname: String,
    pub email: String,
    pub created: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct Zone {
    pub id: String,
    pub name: String,
    pub description: String,
    pub dns1: String,
    pub dns2: String,
    pub public_prefix: [u8; 2],
    pub capacity: Option<usize>,
    /// (id, name) of the zone's hosts.
    pub hosts: Vec<(String, String)>,
    /// Counter of public addresses handed out.
    pub next_public: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub id: String,
    pub name: String,
    pub display: String,
    pub ostype_id: String,
    pub ostype_name: String,
    pub size: u64,
    pub featured: bool,
    pub password_enabled: bool,
    pub format: &'static str,
    pub hypervisor: &'static str,
    pub created: OffsetDateTime,
    pub kind: &'static str,
    /// The owner (the root admin's account for the seeded catalogue).
    pub account: usize,
    pub public: bool,
    /// Templates created from a snapshot: its index and the only zone holding them.
    pub snapshot: Option<usize>,
    pub zone: Option<usize>,
    pub ready: bool,
    pub pending_job: Option<usize>,
    pub removed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ServiceOffering {
    pub id: String,
    pub name: String,
    pub display: String,
    pub cpus: u32,
    pub speed: u32,
    pub memory: u32,
    pub root_gb: u32,
    pub created: OffsetDateTime,
    pub offer_ha: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct DiskOffering {
    pub id: String,
    pub name: String,
    pub display: String,
    pub size_gb: u64,
    pub customized: bool,
    /// `iscustomizediops`: miniops/maxiops are given per volume.
    pub custom_iops: bool,
    pub created: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct NetworkOffering {
    pub id: String,
    pub name: String,
    pub display: String,
    pub guest_ip_type: &'static str,
    pub is_default: bool,
    pub availability: &'static str,
    pub services: &'static [&'static str],
    pub created: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct Network {
    pub id: String,
    pub name: String,
    pub display: String,
    pub zone: usize,
    pub offering: usize,
    pub account: usize,
    /// The network's CIDR and gateway.
    pub cidr: Cidr,
    pub gateway: u32,
    /// The reserved guest VM range set by updateNetwork guestvmcidr (inside `cidr`).
    pub guest_cidr: Option<Cidr>,
    /// The VPC of a tier, and the tier's ACL list.
    pub vpc: Option<usize>,
    pub acl: Option<usize>,
    pub network_domain: Option<String>,
    pub pending_job: Option<usize>,
    pub vlan: u32,
    pub state: &'static str,
    pub created: OffsetDateTime,
    pub next_host: u32,
    pub removed: bool,
}

/// VM states used by the simulator (CloudStack's VirtualMachine.State names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VmState {
    Starting,
    Running,
    Stopping,
    Stopped,
    Destroyed,
    Expunging,
    Error,
}

impl VmState {
    pub fn as_str(self) -> &'static str {
        match self {
            VmState::Starting => "Starting",
            VmState::Running => "Running",
            VmState::Stopping => "Stopping",
            VmState::Stopped => "Stopped",
            VmState::Destroyed => "Destroyed",
            VmState::Expunging => "Expunging",
            VmState::Error => "Error",
        }
    }

    /// Does a VM in this state hold host capacity?
    pub fn holds_capacity(self) -> bool {
        matches!(
            self,
            VmState::Starting | VmState::Running | VmState::Stopping
        )
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Vm {
    pub id: String,
    pub name: String,
    pub display: String,
    pub instance_name: String,
    pub account: usize,
    pub user: usize,
    pub zone: usize,
    pub template: usize,
    pub offering: usize,
    pub network: usize,
    pub ip: String,
    pub mac: String,
    pub nic_id: String,
    pub host: u32,
    pub state: VmState,
    pub created: OffsetDateTime,
    pub pending_job: Option<usize>,
    /// A deploy that will fail for lack of capacity (holds no capacity meanwhile).
    pub doomed: bool,
    pub removed: bool,
    /// Running intervals (start, end), the last one open while running.
    pub running: Vec<(OffsetDateTime, Option<OffsetDateTime>)>,
    /// When the VM stopped counting as allocated (destroyed).
    pub destroyed_at: Option<OffsetDateTime>,
    pub keypair: Option<String>,
    pub group: Option<String>,
    pub ha: bool,
    /// Seeded load figures: cpu percent, network and disk KiB counters.
    pub load: [u64; 5],
    pub cluster: Option<usize>,
    /// When the last job on this VM is due; later jobs queue behind it.
    pub busy_until: Option<std::time::Instant>,
}

#[derive(Debug, Clone)]
pub(crate) struct Volume {
    pub id: String,
    pub name: String,
    pub zone: usize,
    pub account: usize,
    pub root: bool,
    pub size: u64,
    pub disk_offering: Option<usize>,
    pub vm: Option<usize>,
    pub device_id: Option<u32>,
    pub state: &'static str,
    pub created: OffsetDateTime,
    pub attached: Option<OffsetDateTime>,
    pub template: Option<usize>,
    pub pending_job: Option<usize>,
    pub removed: bool,
    pub removed_at: Option<OffsetDateTime>,
    /// IOPS of a custom-IOPS offering.
    pub min_iops: Option<u64>,
    pub max_iops: Option<u64>,
    /// The primary storage pool holding it.
    pub pool: usize,
    /// The snapshot it was created from.
    pub from_snapshot: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub id: String,
    pub name: String,
    pub volume: usize,
    pub account: usize,
    pub zone: usize,
    pub state: &'static str,
    pub size: u64,
    pub created: OffsetDateTime,
    pub pending_job: Option<usize>,
    pub removed: bool,
    pub removed_at: Option<OffsetDateTime>,
    /// MANUAL, or the interval type of the policy that took it.
    pub interval: &'static str,
    /// The volume's size when it was taken.
    pub virtual_size: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct PublicIp {
    pub id: String,
    pub address: String,
    pub zone: usize,
    pub account: usize,
    /// The guest network it is associated with (a VPC address gets one with its first rule).
    pub network: Option<usize>,
    pub vpc: Option<usize>,
    /// The VM of a static NAT.
    pub static_nat: Option<usize>,
    pub source_nat: bool,
    pub state: &'static str,
    pub allocated: OffsetDateTime,
    pub vlan_id: String,
    pub pending_job: Option<usize>,
    pub removed: bool,
    pub released: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub(crate) struct FirewallRule {
    pub id: String,
    /// The public address of an ingress rule; egress rules have none.
    pub ip: Option<usize>,
    pub network: usize,
    pub account: usize,
    pub protocol: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub icmp_type: Option<i64>,
    pub icmp_code: Option<i64>,
    pub cidrs: String,
    pub dest_cidrs: String,
    pub egress: bool,
    /// The port forwarding or load balancer rule that opened it (`openfirewall`).
    pub related: Option<String>,
    pub state: &'static str,
    pub pending_job: Option<usize>,
    pub removed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct PortForward {
    pub id: String,
    pub ip: usize,
    pub vm: usize,
    pub account: usize,
    pub protocol: String,
    pub public: (u32, u32),
    pub private: (u32, u32),
    pub cidrs: String,
    pub state: &'static str,
    pub pending_job: Option<usize>,
    pub removed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct KeyPair {
    pub id: String,
    pub name: String,
    pub account: usize,
    pub fingerprint: String,
    pub created: OffsetDateTime,
    pub removed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: String,
    pub kind: String,
    pub level: &'static str,
    pub state: &'static str,
    pub description: String,
    pub account: usize,
    pub user: usize,
    pub created: OffsetDateTime,
    pub resource: Option<(&'static str, String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct KubeVersion {
    pub id: String,
    pub semver: (u32, u32, u32),
    pub iso_id: String,
    pub autoscaling: bool,
    pub enabled: bool,
    pub created: OffsetDateTime,
}

/// CloudStack's MIN_KUBERNETES_VERSION_HA_SUPPORT: versions before it refuse several control nodes.
pub(crate) const MIN_HA_VERSION: &str = "1.16.0";

impl KubeVersion {
    /// `supportsha`: the version is 1.16.0 or later.
    pub fn supports_ha(&self) -> bool {
        self.semver >= (1, 16, 0)
    }

    pub fn semantic(&self) -> String {
        format!("{}.{}.{}", self.semver.0, self.semver.1, self.semver.2)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct KubeCluster {
    pub id: String,
    pub name: String,
    pub description: String,
    pub zone: usize,
    pub offering: usize,
    pub template: usize,
    pub network: usize,
    pub version: usize,
    pub account: usize,
    pub control: u32,
    pub state: &'static str,
    pub created: OffsetDateTime,
    pub autoscaling: bool,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// Control nodes first, then workers.
    pub vms: Vec<usize>,
    pub endpoint_ip: String,
    pub keypair: Option<String>,
    pub pending_job: Option<usize>,
    pub removed: bool,
    /// Per-role offerings (`nodeofferings[i].node=control|worker`), when given on create.
    pub control_offering: Option<usize>,
    pub worker_offering: Option<usize>,
    /// The cluster's Kubernetes API on loopback: its port and certificates (set once the
    /// simulator has reserved a port for it).
    pub api: Option<std::sync::Arc<crate::kubeapi::ClusterApi>>,
    /// Knobs of the Kubernetes side: the API answers at all, `/readyz` says ok, and how each
    /// node (by VM index) looks to Kubernetes whatever CloudStack says.
    pub api_reachable: bool,
    pub api_ready: bool,
    pub node_health: std::collections::HashMap<usize, crate::kubeapi::KubeNodeHealth>,
    /// Worker VMs a failed scale-up created and left Stopped (apache/cloudstack#12699): listed in
    /// `virtualmachines`, not counted in `size`, never joined Kubernetes.
    pub failed_nodes: Vec<usize>,
}

impl KubeCluster {
    /// A new cluster record with the Kubernetes-side knobs at their defaults.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        name: String,
        description: String,
        zone: usize,
        offering: usize,
        network: usize,
        version: usize,
        account: usize,
        control: u32,
        state: &'static str,
        created: OffsetDateTime,
        endpoint_ip: String,
        keypair: Option<String>,
    ) -> Self {
        KubeCluster {
            id,
            name,
            description,
            zone,
            offering,
            template: 0,
            network,
            version,
            account,
            control,
            state,
            created,
            autoscaling: false,
            min: None,
            max: None,
            vms: Vec::new(),
            endpoint_ip,
            keypair,
            pending_job: None,
            removed: false,
            control_offering: None,
            worker_offering: None,
            api: None,
            api_reachable: true,
            api_ready: true,
            node_health: std::collections::HashMap::new(),
            failed_nodes: Vec::new(),
        }
    }

    /// The offering of a node of this role.
    pub fn offering_for(&self, control: bool) -> usize {
        let own = if control {
            self.control_offering
        } else {
            self.worker_offering
        };
        own.unwrap_or(self.offering)
    }
}

/// A scale request of a Kubernetes cluster waiting for its job.
#[derive(Debug, Clone)]
pub(crate) struct Scale {
    pub offering: Option<usize>,
    /// `nodeofferings` per role: (control, worker).
    pub role_offerings: (Option<usize>, Option<usize>),
    pub size: Option<i64>,
    pub node_ids: Vec<String>,
    pub autoscaling: Option<bool>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A VPC: a CIDR holding tiers (networks with `vpc` set).
#[derive(Debug, Clone)]
pub(crate) struct Vpc {
    pub id: String,
    pub name: String,
    pub display: String,
    pub zone: usize,
    pub account: usize,
    pub cidr: Cidr,
    pub network_domain: String,
    pub state: &'static str,
    pub created: OffsetDateTime,
    pub pending_job: Option<usize>,
    pub removed: bool,
}

/// A network ACL list; `vpc` is `None` for the built-in default_allow and default_deny.
#[derive(Debug, Clone)]
pub(crate) struct AclList {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc: Option<usize>,
    pub removed: bool,
}

/// One rule of an ACL list.
#[derive(Debug, Clone)]
pub(crate) struct AclItem {
    pub id: String,
    pub list: usize,
    pub number: u32,
    pub protocol: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub icmp_type: Option<i64>,
    pub icmp_code: Option<i64>,
    pub cidrs: String,
    pub traffic: &'static str,
    pub action: &'static str,
    pub reason: Option<String>,
    pub state: &'static str,
    pub pending_job: Option<usize>,
    pub removed: bool,
}

/// A load balancer rule on a public address.
#[derive(Debug, Clone)]
pub(crate) struct LoadBalancer {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub ip: usize,
    pub network: usize,
    pub account: usize,
    pub algorithm: String,
    pub protocol: String,
    pub public_port: u32,
    pub private_port: u32,
    pub cidrs: String,
    pub members: Vec<usize>,
    pub state: &'static str,
    pub created: OffsetDateTime,
    pub pending_job: Option<usize>,
    pub removed: bool,
    pub removed_at: Option<OffsetDateTime>,
}

/// A health check or stickiness policy of a load balancer.
#[derive(Debug, Clone)]
pub(crate) struct LbPolicy {
    pub id: String,
    pub lb: usize,
    /// Health check (else stickiness).
    pub health: bool,
    pub name: String,
    pub description: Option<String>,
    pub method: String,
    pub params: Vec<(String, String)>,
    pub ping_path: String,
    pub interval: u32,
    pub timeout: u32,
    pub healthy: u32,
    pub unhealthy: u32,
    pub state: &'static str,
    pub removed: bool,
}

/// A recurring snapshot schedule of a volume.
#[derive(Debug, Clone)]
pub(crate) struct SnapshotPolicy {
    pub id: String,
    pub volume: usize,
    pub account: usize,
    pub interval: &'static str,
    pub schedule: String,
    pub timezone: String,
    pub max: u32,
    pub display: bool,
    pub removed: bool,
}

/// A VM snapshot (disks, and memory when asked).
#[derive(Debug, Clone)]
pub(crate) struct VmSnapshot {
    pub id: String,
    pub name: String,
    pub display: String,
    pub description: Option<String>,
    pub vm: usize,
    pub account: usize,
    pub zone: usize,
    pub memory: bool,
    pub state: &'static str,
    pub parent: Option<usize>,
    pub current: bool,
    pub size: u64,
    pub created: OffsetDateTime,
    pub pending_job: Option<usize>,
    pub removed: bool,
    pub removed_at: Option<OffsetDateTime>,
}

/// A primary storage pool of a zone.
#[derive(Debug, Clone)]
pub(crate) struct StoragePool {
    pub id: String,
    pub name: String,
    pub zone: usize,
    pub capacity: u64,
    pub created: OffsetDateTime,
}
