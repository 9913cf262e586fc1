//! Virtual machines: list rows, queries, details, actions and their progress.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One row of the virtual machine list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmRow {
    /// CloudStack id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// `Running`, `Stopped`, `Starting`, `Stopping`, `Destroyed`, `Error`...
    pub state: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// Template id.
    pub template_id: String,
    /// Template name.
    pub template_name: String,
    /// Service offering id.
    pub offering_id: String,
    /// Service offering name.
    pub offering_name: String,
    /// vCPUs.
    pub cpu: i64,
    /// Memory, MiB.
    pub memory_mb: i64,
    /// Primary IP address (first NIC), empty if none.
    pub ip: String,
    /// Creation time as CloudStack reports it.
    pub created: String,
    /// Owner account.
    pub account: String,
    /// Owner domain.
    pub domain: String,
    /// The Kubernetes cluster this VM is a node of: the VM page does not destroy it.
    #[serde(default)]
    pub cluster: Option<String>,
}

/// A column the list can be sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmSort {
    /// Name (the default).
    #[default]
    Name,
    /// State.
    State,
    /// Zone name.
    Zone,
    /// Template name.
    Template,
    /// Offering name.
    Offering,
    /// vCPUs.
    Cpu,
    /// Memory.
    Memory,
    /// IP address.
    Ip,
    /// Creation time.
    Created,
    /// Account.
    Account,
}

impl VmSort {
    /// Every column, in the list's order.
    pub const ALL: [VmSort; 10] = [
        Self::Name,
        Self::State,
        Self::Ip,
        Self::Zone,
        Self::Template,
        Self::Offering,
        Self::Cpu,
        Self::Memory,
        Self::Account,
        Self::Created,
    ];

    /// The wire name, e.g. `"zone"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::State => "state",
            Self::Zone => "zone",
            Self::Template => "template",
            Self::Offering => "offering",
            Self::Cpu => "cpu",
            Self::Memory => "memory",
            Self::Ip => "ip",
            Self::Created => "created",
            Self::Account => "account",
        }
    }
}

impl fmt::Display for VmSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sort column name that is not one of [`VmSort::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot sort virtual machines by {0:?}")]
pub struct UnknownSort(pub String);

impl FromStr for VmSort {
    type Err = UnknownSort;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownSort(s.to_owned()))
    }
}

/// A page of the list: filter, sort and window, all applied by the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmQuery {
    /// Text matched against name, state, zone, IP and template (case-insensitive).
    #[serde(default)]
    pub text: String,
    /// Only this state, if set.
    #[serde(default)]
    pub state: Option<String>,
    /// Only this zone id, if set.
    #[serde(default)]
    pub zone_id: Option<String>,
    /// Sort column.
    #[serde(default)]
    pub sort: VmSort,
    /// Descending instead of ascending.
    #[serde(default)]
    pub descending: bool,
    /// Rows to skip.
    #[serde(default)]
    pub offset: u32,
    /// Rows to return (at most [`VmQuery::MAX_LIMIT`]).
    pub limit: u32,
}

impl VmQuery {
    /// The largest page the cache hands out at once.
    pub const MAX_LIMIT: u32 = 500;
}

impl Default for VmQuery {
    fn default() -> Self {
        Self {
            text: String::new(),
            state: None,
            zone_id: None,
            sort: VmSort::Name,
            descending: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// One page of rows and how many match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmPage {
    /// The rows of this page.
    pub rows: Vec<VmRow>,
    /// Rows matching the filter, over all pages.
    pub total: u64,
    /// Rows in the cache, before filtering.
    pub all: u64,
}

/// Live figures of one VM, from `listVirtualMachinesMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VmMetrics {
    /// CPU used, percent, as CloudStack reports it (e.g. `"12.5%"`).
    pub cpu_used: String,
    /// Memory in use, KiB, when the hypervisor reports it.
    pub memory_used_kib: Option<i64>,
    /// Network read, KiB since start.
    pub network_read_kib: Option<i64>,
    /// Network written, KiB since start.
    pub network_write_kib: Option<i64>,
    /// Disk read, KiB since start.
    pub disk_read_kib: Option<i64>,
    /// Disk written, KiB since start.
    pub disk_write_kib: Option<i64>,
    /// Disk read operations since start.
    pub disk_read_ops: Option<i64>,
    /// Disk write operations since start.
    pub disk_write_ops: Option<i64>,
}

/// A lifecycle action on a VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmAction {
    /// Start a stopped VM.
    Start,
    /// Stop a running VM.
    Stop,
    /// Stop even if the guest does not shut down.
    ForceStop,
    /// Reboot a running VM.
    Reboot,
    /// Destroy (recoverable until expunged).
    Destroy,
    /// Destroy and expunge at once.
    DestroyExpunge,
}

impl VmAction {
    /// Whether CloudStack accepts this action for a VM in `state`.
    pub fn allowed_in(self, state: &str) -> bool {
        match self {
            Self::Start => state == "Stopped",
            Self::Stop | Self::Reboot => state == "Running",
            Self::ForceStop => matches!(state, "Running" | "Starting" | "Stopping"),
            Self::Destroy | Self::DestroyExpunge => {
                matches!(state, "Running" | "Stopped" | "Error")
            }
        }
    }

    /// A verb for messages, e.g. "stop".
    pub fn verb(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::ForceStop => "force-stop",
            Self::Reboot => "reboot",
            Self::Destroy => "destroy",
            Self::DestroyExpunge => "destroy and expunge",
        }
    }
}

/// How an action's async job is going; sent as the `vm-job` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEvent {
    /// Our id for the action (unique per app run).
    pub task_id: u64,
    /// CloudStack's job id, once known.
    pub job_id: Option<String>,
    /// The VM (for a deploy: its id once CloudStack gives it).
    pub vm_id: Option<String>,
    /// The VM's name, for messages.
    pub vm_name: String,
    /// What is being done, e.g. "stop" or "deploy".
    pub action: String,
    /// Where it is.
    pub phase: JobPhase,
    /// Polls so far.
    pub polls: u32,
    /// Milliseconds since it was submitted.
    pub elapsed_ms: u64,
    /// CloudStack's message when it failed.
    pub error: Option<String>,
    /// What a finished job did, in one sentence, when there is more to say than its action
    /// ("3 firewall rules created, 1 already there").
    #[serde(default)]
    pub message: Option<String>,
}

/// The phase of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobPhase {
    /// Sent to CloudStack, not yet acknowledged.
    Submitting,
    /// CloudStack is working on it.
    Running,
    /// Done; the row has been updated.
    Succeeded,
    /// CloudStack refused or the job failed; see `error`.
    Failed,
}

/// What the deploy wizard submits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployRequest {
    /// Zone id.
    pub zone_id: String,
    /// Template id (must be available in the zone).
    pub template_id: String,
    /// Service offering id.
    pub offering_id: String,
    /// VM name (host name rules).
    pub name: String,
    /// SSH key pair name, optional.
    #[serde(default)]
    pub keypair: Option<String>,
    /// Network id, optional (CloudStack picks the zone default).
    #[serde(default)]
    pub network_id: Option<String>,
}

/// A choice in the deploy wizard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Id (or, for key pairs, the name).
    pub id: String,
    /// Name shown.
    pub name: String,
    /// One line of detail (OS type, CPU × memory, CIDR...).
    pub detail: String,
}

/// Figures for the dashboard, all read from the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    /// VMs per state, largest first.
    pub by_state: Vec<(String, u64)>,
    /// VMs in all.
    pub vms: u64,
    /// Zones.
    pub zones: u64,
    /// vCPUs allocated to VMs that are not destroyed.
    pub vcpus: i64,
    /// Memory allocated to VMs that are not destroyed, MiB.
    pub memory_mb: i64,
    /// When the cache was last synced (RFC 3339).
    pub last_synced: Option<String>,
}

/// Why CloudStack would refuse `name` as a VM name (its host-name rule: letters, digits and '-',
/// starting with a letter, not ending with '-', 1 to 63 characters), or `None` if it is fine.
pub fn vm_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("give the VM a name");
    }
    if name.len() > 63 {
        return Some("at most 63 characters");
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("it must start with a letter");
    }
    if name.ends_with('-') {
        return Some("it must not end with '-'");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some("only letters, digits and '-' are allowed");
    }
    None
}

/// A cached list shown read-only (Kubernetes clusters, networks, public IPs, volumes...): each
/// row maps a column name to its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedList {
    /// The list, e.g. `"networks"`.
    pub kind: String,
    /// The rows, in the list's natural order.
    pub rows: Vec<std::collections::BTreeMap<String, String>>,
    /// When the list was last synced (RFC 3339), if ever.
    pub last_synced: Option<String>,
    /// Why the last sync of this list failed, if it did (its previous rows are kept).
    pub last_error: Option<String>,
}

/// The lists [`CachedList`] can show.
pub const CACHED_LISTS: [&str; 9] = [
    "zones",
    "templates",
    "service_offerings",
    "disk_offerings",
    "kubernetes_clusters",
    "networks",
    "public_ips",
    "volumes",
    "ssh_key_pairs",
];
