//! CloudStack Kubernetes Service (CKS) clusters: what the console shows and asks, and the rules
//! CloudStack 4.22 applies before it accepts a request — written once here, so that the wizard,
//! the console, the central server and the CLI refuse the same requests in the same words, before
//! CloudStack is asked.

use serde::{Deserialize, Serialize};

/// The global `cloud.kubernetes.cluster.max.size` of a default CloudStack install: control and
/// worker nodes together.
pub const MAX_CLUSTER_SIZE: u32 = 10;

/// The first Kubernetes version CloudStack runs with more than one control node
/// (`MIN_KUBERNETES_VERSION_HA_SUPPORT`).
pub const MIN_HA_VERSION: (u32, u32, u32) = (1, 16, 0);

/// What every cluster node needs at least (CKS's own template rule).
pub const MIN_NODE_CPUS: i64 = 2;
/// See [`MIN_NODE_CPUS`].
pub const MIN_NODE_MEMORY_MB: i64 = 2048;

/// A Kubernetes version a zone offers (`listKubernetesSupportedVersions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KubeVersion {
    /// Id.
    pub id: String,
    /// Name, e.g. `v1.28.4`.
    pub name: String,
    /// `1.28.4`.
    pub semantic_version: String,
    /// The zone it is registered in (`None`: every zone).
    pub zone_id: Option<String>,
    /// Whether it is enabled for new clusters.
    pub enabled: bool,
    /// Whether its ISO is ready in the zone.
    pub iso_ready: bool,
    /// Whether clusters of it may have several control nodes.
    pub supports_ha: bool,
    /// Whether clusters of it may autoscale.
    pub supports_autoscaling: bool,
    /// vCPUs each node's offering needs at least.
    pub min_cpu: i64,
    /// Memory (MiB) each node's offering needs at least.
    pub min_memory_mb: i64,
}

impl KubeVersion {
    /// `(major, minor, patch)`, when the semantic version reads as one.
    pub fn semver(&self) -> Option<(u32, u32, u32)> {
        semver(&self.semantic_version)
    }

    /// Whether a new cluster may use it: enabled and its ISO ready.
    pub fn usable(&self) -> bool {
        self.enabled && self.iso_ready
    }
}

/// `"1.28.4"` (or `"v1.28.4"`) → `(1, 28, 4)`.
pub fn semver(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.trim().trim_start_matches('v').split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    let patch = it.next().map_or(Some(0), |p| {
        p.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    })?;
    Some((major, minor, patch))
}

/// A compute offering as far as the cluster rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KubeOffering {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// vCPUs.
    pub cpu: i64,
    /// Memory (MiB).
    pub memory_mb: i64,
}

/// How many workers a cluster has: a fixed count, or autoscaling between two bounds (never
/// both, as CloudStack requires).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Workers {
    /// This many workers.
    Fixed {
        /// Workers.
        size: u32,
    },
    /// The cluster autoscaler keeps between `min` and `max` workers (it starts at `min`).
    Autoscale {
        /// Fewest workers.
        min: u32,
        /// Most workers.
        max: u32,
    },
}

impl Workers {
    /// Workers at the start.
    pub fn initial(&self) -> u32 {
        match *self {
            Workers::Fixed { size } => size,
            Workers::Autoscale { min, .. } => min,
        }
    }

    /// Workers at most.
    pub fn most(&self) -> u32 {
        match *self {
            Workers::Fixed { size } => size,
            Workers::Autoscale { max, .. } => max,
        }
    }
}

/// The network a new cluster goes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClusterNetwork {
    /// An isolated network of the owner's.
    Existing {
        /// Network id.
        id: String,
    },
    /// CloudStack creates an isolated network for the cluster (and deletes it with it).
    New,
}

/// A new cluster, as the wizard and the CLI send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateCluster {
    /// Name (CloudStack's rules for host names).
    pub name: String,
    /// Description (the name when empty).
    #[serde(default)]
    pub description: Option<String>,
    /// Zone id.
    pub zone_id: String,
    /// Kubernetes version id.
    pub version_id: String,
    /// Control nodes: 1, or 3 (or 5) for HA on versions that support it.
    pub control_nodes: u32,
    /// Workers.
    pub workers: Workers,
    /// The offering of every node (and of the roles not given below).
    pub offering_id: String,
    /// The control nodes' own offering.
    #[serde(default)]
    pub control_offering_id: Option<String>,
    /// The workers' own offering.
    #[serde(default)]
    pub worker_offering_id: Option<String>,
    /// Network.
    pub network: ClusterNetwork,
    /// SSH key pair name for the nodes.
    #[serde(default)]
    pub keypair: Option<String>,
}

impl CreateCluster {
    /// Nodes at the start.
    pub fn initial_nodes(&self) -> u32 {
        self.control_nodes + self.workers.initial()
    }
}

/// A lifecycle action on a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ClusterAction {
    /// Start a stopped cluster (or restart one in Alert).
    Start,
    /// Stop its nodes.
    Stop,
    /// To this many workers (turns autoscaling off when it was on).
    Scale {
        /// Workers.
        size: u32,
    },
    /// Remove these workers (scale in by choice).
    RemoveNodes {
        /// VM ids of the workers to remove.
        node_ids: Vec<String>,
    },
    /// Autoscale between `min` and `max` workers (turns it on, or changes the bounds).
    Autoscale {
        /// Fewest workers.
        min: u32,
        /// Most workers.
        max: u32,
    },
    /// Upgrade to a newer Kubernetes version.
    Upgrade {
        /// Version id.
        version_id: String,
    },
    /// Delete the cluster, its nodes and (when CloudStack made it for the cluster) its network.
    Delete,
}

impl ClusterAction {
    /// A word for messages and job events: `start`, `scale`…
    pub fn verb(&self) -> &'static str {
        match self {
            ClusterAction::Start => "start",
            ClusterAction::Stop => "stop",
            ClusterAction::Scale { .. } => "scale",
            ClusterAction::RemoveNodes { .. } => "remove nodes",
            ClusterAction::Autoscale { .. } => "autoscale",
            ClusterAction::Upgrade { .. } => "upgrade",
            ClusterAction::Delete => "delete",
        }
    }
}

/// A node's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NodeRole {
    /// Runs the Kubernetes control plane.
    Control,
    /// Runs workloads.
    Worker,
}

/// A member VM of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClusterNode {
    /// VM id.
    pub vm_id: String,
    /// VM name (also the Kubernetes node name).
    pub name: String,
    /// Role.
    pub role: NodeRole,
    /// CloudStack's state of the VM.
    pub state: String,
    /// Its IPv4 address.
    pub ip: Option<String>,
}

/// A cluster as the list and the detail show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// CloudStack's state: Created, Starting, Running, Stopping, Stopped, Scaling, Upgrading,
    /// Alert, Recovering, Destroying, Destroyed, Error.
    pub state: String,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// Kubernetes version id.
    pub version_id: String,
    /// Kubernetes version name (`v1.28.4`).
    pub version: String,
    /// Control nodes.
    pub control_nodes: u32,
    /// Workers now.
    pub workers: u32,
    /// Autoscaling bounds, when on.
    pub autoscale: Option<(u32, u32)>,
    /// The nodes' offering id.
    pub offering_id: String,
    /// The nodes' offering name.
    pub offering_name: String,
    /// Network id.
    pub network_id: String,
    /// Network name.
    pub network_name: String,
    /// API endpoint (empty when not running).
    pub endpoint: String,
    /// SSH key pair of the nodes.
    pub keypair: Option<String>,
    /// vCPUs of all nodes.
    pub cpu: i64,
    /// Memory of all nodes (MiB).
    pub memory_mb: i64,
    /// Owner account.
    pub account: String,
    /// Owner domain.
    pub domain: String,
    /// Creation date-time (RFC 3339).
    pub created: String,
    /// Member VMs, control nodes first.
    pub nodes: Vec<ClusterNode>,
}

impl ClusterRow {
    /// All nodes CloudStack counts.
    pub fn node_count(&self) -> u32 {
        self.control_nodes + self.workers
    }
}

/// Whether the cluster's own Kubernetes API answered this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApiReach {
    /// No kubeconfig has been fetched for it on this computer.
    NoKubeconfig,
    /// The API did not answer from here (a VPN, a firewall, a stopped cluster): not the same as
    /// unhealthy.
    Unreachable {
        /// Why, in words.
        reason: String,
    },
    /// It answered, and refused the credentials (expired or revoked certificate).
    Refused {
        /// Why, in words.
        reason: String,
    },
    /// It answered.
    Reachable,
}

/// The cluster's own view of itself, through its kubeconfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClusterHealth {
    /// Cluster id.
    pub cluster_id: String,
    /// When it was checked (RFC 3339).
    pub checked_at: String,
    /// Whether the API answered.
    pub api: ApiReach,
    /// `/readyz` said ok.
    pub ready: bool,
    /// Nodes Kubernetes knows.
    pub nodes: u32,
    /// Of which Ready.
    pub nodes_ready: u32,
    /// Names of the nodes not Ready.
    pub not_ready: Vec<String>,
    /// The server's `gitVersion`.
    pub kube_version: Option<String>,
    /// When the kubeconfig's client certificate expires (RFC 3339).
    pub cert_expires: Option<String>,
}

/// What creating or scaling needs, against what the tenant may still use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// VMs.
    pub vms: i64,
    /// vCPUs.
    pub cpu: i64,
    /// Memory (MiB).
    pub memory_mb: i64,
}

/// The review step: what the cluster needs, what it costs, and why it would be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClusterPlan {
    /// What the nodes need at the start (at most, when autoscaling: `most`).
    pub needs: Resources,
    /// What autoscaling could grow to.
    pub most: Resources,
    /// What the owner's resource limits still allow (`None`: unlimited or unknown).
    pub available: Option<Resources>,
    /// Monthly cost at the start, in paise, from the tenant's rate card (`None`: no rate card).
    pub monthly_paise: Option<i64>,
    /// Why it would be refused; empty when it may be sent.
    pub problems: Vec<String>,
}

/// A cluster name CloudStack accepts: 1–43 characters (CKS names its VMs `<name>-control-…`,
/// within the 63 of a host name), letters, digits and hyphens, starting with a letter and not
/// ending with a hyphen.
pub fn cluster_name_problem(name: &str) -> Option<String> {
    let n = name.trim();
    if n.is_empty() {
        return Some("The cluster needs a name.".into());
    }
    if n.len() > 43 {
        return Some("The name may have at most 43 characters.".into());
    }
    if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some("The name may have only letters, digits and hyphens.".into());
    }
    if !n.starts_with(|c: char| c.is_ascii_alphabetic()) || n.ends_with('-') {
        return Some("The name must start with a letter and not end with a hyphen.".into());
    }
    None
}

fn offering_problems(role: &str, o: &KubeOffering, v: &KubeVersion) -> Vec<String> {
    let mut out = Vec::new();
    let (cpu, mem) = (
        v.min_cpu.max(MIN_NODE_CPUS),
        v.min_memory_mb.max(MIN_NODE_MEMORY_MB),
    );
    if o.cpu < cpu || o.memory_mb < mem {
        out.push(format!(
            "The {role} offering {} has {} vCPU and {} MB; Kubernetes {} needs at least {cpu} vCPUs and {mem} MB per node.",
            o.name, o.cpu, o.memory_mb, v.semantic_version
        ));
    }
    out
}

/// Why CloudStack would refuse to create `req` with version `v` and the offerings it names
/// (`offering`, then the per-role ones when given); empty when it would accept it.
pub fn create_problems(
    req: &CreateCluster,
    v: &KubeVersion,
    offering: &KubeOffering,
    control: Option<&KubeOffering>,
    worker: Option<&KubeOffering>,
) -> Vec<String> {
    let mut out: Vec<String> = cluster_name_problem(&req.name).into_iter().collect();
    if !v.enabled {
        out.push(format!(
            "Kubernetes {} is disabled for new clusters.",
            v.semantic_version
        ));
    } else if !v.iso_ready {
        out.push(format!(
            "Kubernetes {}'s ISO is not ready in this zone yet.",
            v.semantic_version
        ));
    }
    if let Some(z) = &v.zone_id
        && z != &req.zone_id
    {
        out.push(format!(
            "Kubernetes {} is not offered in this zone.",
            v.semantic_version
        ));
    }
    match req.control_nodes {
        0 => out.push("A cluster needs at least one control node.".into()),
        1 => {}
        n if n % 2 == 0 => out.push(format!(
            "{n} control nodes cannot keep a quorum: choose 1, 3 or 5."
        )),
        n if !v.supports_ha => {
            let (a, b, c) = MIN_HA_VERSION;
            out.push(format!(
                "{n} control nodes (HA) need Kubernetes {a}.{b}.{c} or later; {} runs one.",
                v.semantic_version
            ))
        }
        _ => {}
    }
    match req.workers {
        Workers::Fixed { size: 0 } => out.push("A cluster needs at least one worker.".into()),
        Workers::Fixed { .. } => {}
        Workers::Autoscale { min, max } => {
            if !v.supports_autoscaling {
                out.push(format!(
                    "Kubernetes {} does not support autoscaling.",
                    v.semantic_version
                ));
            }
            if min < 1 {
                out.push("Autoscaling needs at least one worker at its smallest.".into());
            }
            if max <= min {
                out.push(format!(
                    "The largest size ({max}) must be greater than the smallest ({min})."
                ));
            }
        }
    }
    let most = req.control_nodes + req.workers.most();
    if most > MAX_CLUSTER_SIZE {
        out.push(format!(
            "{most} nodes is more than the cloud's largest cluster ({MAX_CLUSTER_SIZE} nodes)."
        ));
    }
    let roles = [
        ("control", control.unwrap_or(offering)),
        ("worker", worker.unwrap_or(offering)),
    ];
    if control.is_none() && worker.is_none() {
        out.extend(offering_problems("node", offering, v));
    } else {
        for (role, o) in roles {
            out.extend(offering_problems(role, o, v));
        }
    }
    out
}

/// What `nodes` nodes of `offering` need.
pub fn needs(nodes: u32, offering: &KubeOffering) -> Resources {
    Resources {
        vms: i64::from(nodes),
        cpu: i64::from(nodes) * offering.cpu,
        memory_mb: i64::from(nodes) * offering.memory_mb,
    }
}

fn add(a: Resources, b: Resources) -> Resources {
    Resources {
        vms: a.vms + b.vms,
        cpu: a.cpu + b.cpu,
        memory_mb: a.memory_mb + b.memory_mb,
    }
}

/// Each resource of `needs` beyond `available`, in words ("2 more VMs than the 3 left"); empty
/// when it fits.
pub fn shortfall(needs: &Resources, available: &Resources) -> Vec<String> {
    let mut out = Vec::new();
    for (what, unit, need, left) in [
        ("VMs", "", needs.vms, available.vms),
        ("vCPUs", "", needs.cpu, available.cpu),
        ("memory", " MB", needs.memory_mb, available.memory_mb),
    ] {
        if need > left {
            out.push(format!(
                "Not enough {what} left in your resource limits: needs {need}{unit}, {left}{unit} left ({}{unit} short).",
                need - left
            ));
        }
    }
    out
}

/// The review of a new cluster: the rules of [`create_problems`], then what its nodes need at
/// the start and at most against what the owner's limits leave (`available`), and the monthly
/// cost the caller worked out from its rate card.
pub fn plan(
    req: &CreateCluster,
    v: &KubeVersion,
    offering: &KubeOffering,
    control: Option<&KubeOffering>,
    worker: Option<&KubeOffering>,
    available: Option<Resources>,
    monthly_paise: Option<i64>,
) -> ClusterPlan {
    let mut problems = create_problems(req, v, offering, control, worker);
    let control_needs = needs(req.control_nodes, control.unwrap_or(offering));
    let worker_offering = worker.unwrap_or(offering);
    let start = add(
        control_needs.clone(),
        needs(req.workers.initial(), worker_offering),
    );
    let most = add(control_needs, needs(req.workers.most(), worker_offering));
    if let Some(a) = &available {
        problems.extend(shortfall(&start, a));
    }
    ClusterPlan {
        needs: start,
        most,
        available,
        monthly_paise,
        problems,
    }
}

/// Why CloudStack would refuse `action` on a cluster in `state`, given whether autoscaling is on;
/// `None` when it would accept it.
pub fn action_refusal(state: &str, action: &ClusterAction, autoscaling: bool) -> Option<String> {
    let states: &[&str] = match action {
        ClusterAction::Start => &["Stopped", "Created", "Alert"],
        ClusterAction::Stop => &["Running", "Alert"],
        ClusterAction::Scale { .. }
        | ClusterAction::RemoveNodes { .. }
        | ClusterAction::Autoscale { .. } => &["Created", "Running", "Stopped"],
        ClusterAction::Upgrade { .. } => &["Running"],
        ClusterAction::Delete => &[
            "Created",
            "Starting",
            "Running",
            "Stopping",
            "Stopped",
            "Scaling",
            "Upgrading",
            "Alert",
            "Recovering",
            "Error",
        ],
    };
    if !states.contains(&state) {
        return Some(format!(
            "A cluster in state {state} cannot {}; it can in {}.",
            action.verb(),
            states.join(", ")
        ));
    }
    match action {
        ClusterAction::RemoveNodes { node_ids } if node_ids.is_empty() => {
            Some("Choose the workers to remove.".into())
        }
        ClusterAction::RemoveNodes { .. } if autoscaling => Some(
            "The autoscaler chooses the workers while autoscaling is on; turn it off first.".into(),
        ),
        ClusterAction::Scale { size: 0 } => Some("A cluster needs at least one worker.".into()),
        ClusterAction::Autoscale { min, max } if *min < 1 || max <= min => Some(format!(
            "Autoscaling needs 1 or more workers at its smallest and more at its largest (asked {min}–{max})."
        )),
        _ => None,
    }
}

/// Whether CloudStack upgrades `from` to `to`: a newer patch of the same minor, or the next
/// minor (`KubernetesVersionManagerImpl.canUpgradeKubernetesVersion`).
pub fn upgrade_allowed(from: &str, to: &str) -> bool {
    match (semver(from), semver(to)) {
        (Some((a, b, c)), Some((x, y, z))) => a == x && ((y == b && z > c) || y == b + 1),
        _ => false,
    }
}

/// Which of `versions` a cluster at `current` may be upgraded to, oldest first.
pub fn upgrade_targets<'a>(current: &str, versions: &'a [KubeVersion]) -> Vec<&'a KubeVersion> {
    let mut out: Vec<&KubeVersion> = versions
        .iter()
        .filter(|v| v.enabled && upgrade_allowed(current, &v.semantic_version))
        .collect();
    out.sort_by_key(|v| v.semver());
    out
}

/// A cluster's kubeconfig as the central server hands it out (audited; an admin credential).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KubeconfigOut {
    /// Cluster id.
    pub cluster_id: String,
    /// Cluster name.
    pub name: String,
    /// The kubeconfig (YAML).
    pub kubeconfig: String,
}

/// A file written on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// Where.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Whether a VM belongs to a cluster, and which: the VM page refuses to destroy such VMs
/// (removing a node from CloudStack's Instances puts the cluster in Alert).
pub fn owning_cluster<'a>(vm_id: &str, clusters: &'a [ClusterRow]) -> Option<&'a ClusterRow> {
    clusters
        .iter()
        .find(|c| c.nodes.iter().any(|n| n.vm_id == vm_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(semantic: &str, ha: bool, autoscale: bool) -> KubeVersion {
        KubeVersion {
            id: format!("v-{semantic}"),
            name: format!("v{semantic}"),
            semantic_version: semantic.into(),
            zone_id: Some("z1".into()),
            enabled: true,
            iso_ready: true,
            supports_ha: ha,
            supports_autoscaling: autoscale,
            min_cpu: 2,
            min_memory_mb: 2048,
        }
    }

    fn offering(cpu: i64, memory_mb: i64) -> KubeOffering {
        KubeOffering {
            id: format!("o-{cpu}-{memory_mb}"),
            name: format!("{cpu}x{memory_mb}"),
            cpu,
            memory_mb,
        }
    }

    fn request(control: u32, workers: Workers) -> CreateCluster {
        CreateCluster {
            name: "web".into(),
            description: None,
            zone_id: "z1".into(),
            version_id: "v".into(),
            control_nodes: control,
            workers,
            offering_id: "o".into(),
            control_offering_id: None,
            worker_offering_id: None,
            network: ClusterNetwork::New,
            keypair: None,
        }
    }

    #[test]
    fn a_plain_cluster_passes() {
        let r = request(1, Workers::Fixed { size: 2 });
        let v = version("1.28.4", true, true);
        assert_eq!(
            create_problems(&r, &v, &offering(2, 2048), None, None),
            Vec::<String>::new()
        );
    }

    #[test]
    fn ha_needs_a_version_that_supports_it_and_an_odd_count() {
        let v = version("1.15.0", false, false);
        let p = create_problems(
            &request(3, Workers::Fixed { size: 1 }),
            &v,
            &offering(2, 2048),
            None,
            None,
        );
        assert_eq!(
            p,
            ["3 control nodes (HA) need Kubernetes 1.16.0 or later; 1.15.0 runs one."]
        );
        let v = version("1.28.4", true, true);
        let p = create_problems(
            &request(2, Workers::Fixed { size: 1 }),
            &v,
            &offering(2, 2048),
            None,
            None,
        );
        assert_eq!(
            p,
            ["2 control nodes cannot keep a quorum: choose 1, 3 or 5."]
        );
    }

    #[test]
    fn autoscaling_rules_and_the_largest_cluster() {
        let v = version("1.28.4", true, false);
        let p = create_problems(
            &request(1, Workers::Autoscale { min: 3, max: 3 }),
            &v,
            &offering(2, 2048),
            None,
            None,
        );
        assert_eq!(
            p,
            [
                "Kubernetes 1.28.4 does not support autoscaling.",
                "The largest size (3) must be greater than the smallest (3)."
            ]
        );
        let v = version("1.28.4", true, true);
        let p = create_problems(
            &request(3, Workers::Fixed { size: 8 }),
            &v,
            &offering(2, 2048),
            None,
            None,
        );
        assert_eq!(
            p,
            ["11 nodes is more than the cloud's largest cluster (10 nodes)."]
        );
    }

    #[test]
    fn small_offerings_are_refused_per_role() {
        let v = version("1.28.4", true, true);
        let p = create_problems(
            &request(1, Workers::Fixed { size: 1 }),
            &v,
            &offering(1, 1024),
            None,
            None,
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("The node offering 1x1024 has 1 vCPU"),
            "{p:?}"
        );
        let p = create_problems(
            &request(1, Workers::Fixed { size: 1 }),
            &v,
            &offering(2, 2048),
            Some(&offering(2, 1024)),
            None,
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("The control offering 2x1024"), "{p:?}");
    }

    #[test]
    fn the_plan_tells_the_exact_shortfall() {
        let v = version("1.28.4", true, true);
        let r = request(3, Workers::Autoscale { min: 2, max: 5 });
        let left = Resources {
            vms: 4,
            cpu: 20,
            memory_mb: 8192,
        };
        let p = plan(
            &r,
            &v,
            &offering(2, 2048),
            None,
            None,
            Some(left),
            Some(100_000),
        );
        assert_eq!(
            p.needs,
            Resources {
                vms: 5,
                cpu: 10,
                memory_mb: 10240
            }
        );
        assert_eq!(
            p.most,
            Resources {
                vms: 8,
                cpu: 16,
                memory_mb: 16384
            }
        );
        assert_eq!(
            p.problems,
            [
                "Not enough VMs left in your resource limits: needs 5, 4 left (1 short).",
                "Not enough memory left in your resource limits: needs 10240 MB, 8192 MB left (2048 MB short)."
            ]
        );
    }

    #[test]
    fn actions_follow_cloudstacks_states() {
        assert!(action_refusal("Running", &ClusterAction::Stop, false).is_none());
        assert!(action_refusal("Alert", &ClusterAction::Scale { size: 2 }, false).is_some());
        assert!(action_refusal("Alert", &ClusterAction::Start, false).is_none());
        assert!(
            action_refusal(
                "Stopped",
                &ClusterAction::Upgrade {
                    version_id: "x".into()
                },
                false
            )
            .is_some()
        );
        assert!(action_refusal("Destroyed", &ClusterAction::Delete, false).is_some());
        assert_eq!(
            action_refusal(
                "Running",
                &ClusterAction::RemoveNodes {
                    node_ids: vec!["a".into()]
                },
                true
            )
            .as_deref(),
            Some("The autoscaler chooses the workers while autoscaling is on; turn it off first.")
        );
        assert!(
            action_refusal(
                "Running",
                &ClusterAction::Autoscale { min: 2, max: 2 },
                false
            )
            .is_some()
        );
    }

    #[test]
    fn upgrades_go_one_minor_at_a_time() {
        assert!(upgrade_allowed("1.27.3", "1.27.5"));
        assert!(upgrade_allowed("1.27.3", "1.28.0"));
        assert!(!upgrade_allowed("1.27.3", "1.29.0"));
        assert!(!upgrade_allowed("1.27.3", "1.27.3"));
        assert!(!upgrade_allowed("1.27.3", "1.26.9"));
        let vs = [
            version("1.28.0", true, true),
            version("1.27.5", true, true),
            version("1.29.1", true, true),
        ];
        let t: Vec<&str> = upgrade_targets("v1.27.3", &vs)
            .iter()
            .map(|v| v.semantic_version.as_str())
            .collect();
        assert_eq!(t, ["1.27.5", "1.28.0"]);
    }

    #[test]
    fn names_follow_host_name_rules() {
        assert!(cluster_name_problem("web-1").is_none());
        assert!(cluster_name_problem("1web").is_some());
        assert!(cluster_name_problem("web_1").is_some());
        assert!(cluster_name_problem(&"a".repeat(44)).is_some());
    }
}
