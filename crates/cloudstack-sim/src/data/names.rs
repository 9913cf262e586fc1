//! Names used by the generated data.

/// Regions that zones are named after.
pub(crate) const REGIONS: &[&str] = &[
    "Mumbai",
    "Chennai",
    "Delhi-NCR",
    "Hyderabad",
    "Bengaluru",
    "Pune",
    "Kolkata",
    "Ahmedabad",
];

/// (template name, OS type name, Windows?)
pub(crate) const TEMPLATES: &[(&str, &str, bool)] = &[
    ("Ubuntu 24.04 LTS", "Ubuntu 24.04 LTS (64-bit)", false),
    ("Debian 12", "Debian GNU/Linux 12 (64-bit)", false),
    ("Rocky Linux 9", "Rocky Linux 9", false),
    ("Windows Server 2022", "Windows Server 2022 (64-bit)", true),
    ("Ubuntu 22.04 LTS", "Ubuntu 22.04 LTS (64-bit)", false),
    ("AlmaLinux 9", "AlmaLinux 9", false),
    ("Oracle Linux 9", "Oracle Linux 9", false),
    ("CentOS Stream 9", "CentOS Stream 9", false),
    ("Windows Server 2019", "Windows Server 2019 (64-bit)", true),
    ("Fedora 41", "Fedora Linux (64 bit)", false),
    ("openSUSE Leap 15.6", "openSUSE Leap 15 (64-bit)", false),
    ("FreeBSD 14", "FreeBSD 14 (64-bit)", false),
];

/// (name, vCPUs, memory MiB, root disk GiB, HA)
pub(crate) const SERVICE_OFFERINGS: &[(&str, u32, u32, u32, bool)] = &[
    ("Small Instance", 1, 1024, 20, false),
    ("Medium Instance", 2, 4096, 40, false),
    ("Large Instance", 4, 8192, 80, true),
    ("XLarge Instance", 8, 16384, 160, true),
    ("Memory Optimised", 4, 32768, 80, true),
    ("CKS Node", 2, 4096, 40, false),
];

/// (name, size GiB, customised)
pub(crate) const DISK_OFFERINGS: &[(&str, u64, bool)] = &[
    ("Small Disk", 10, false),
    ("Medium Disk", 50, false),
    ("Large Disk", 100, false),
    ("XLarge Disk", 500, false),
    ("Custom Disk", 0, true),
];

pub(crate) const ISOLATED_SERVICES: &[&str] = &[
    "Vpn",
    "Dhcp",
    "Dns",
    "Firewall",
    "Lb",
    "UserData",
    "SourceNat",
    "StaticNat",
    "PortForwarding",
];
pub(crate) const SHARED_SERVICES: &[&str] = &["Dhcp", "Dns", "UserData"];
pub(crate) const L2_SERVICES: &[&str] = &[];

/// (name, display, guest IP type, default, availability, services)
pub(crate) type NetworkOfferingSpec = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static [&'static str],
);

pub(crate) const NETWORK_OFFERINGS: &[NetworkOfferingSpec] = &[
    (
        "DefaultIsolatedNetworkOfferingWithSourceNatService",
        "Offering for Isolated networks with Source Nat service enabled",
        "Isolated",
        true,
        "Required",
        ISOLATED_SERVICES,
    ),
    (
        "DefaultSharedNetworkOffering",
        "Offering for Shared networks",
        "Shared",
        true,
        "Optional",
        SHARED_SERVICES,
    ),
    (
        "DefaultL2NetworkOffering",
        "Offering for L2 networks",
        "L2",
        false,
        "Optional",
        L2_SERVICES,
    ),
];

/// (major, minor, patch, autoscaling, enabled)
pub(crate) const KUBE_VERSIONS: &[(u32, u32, u32, bool, bool)] = &[
    (1, 29, 2, true, true),
    (1, 29, 8, true, true),
    (1, 30, 4, true, true),
    (1, 31, 1, true, true),
    (1, 32, 0, true, false),
];

/// Role prefixes of generated VM names.
pub(crate) const VM_ROLES: &[&str] = &[
    "web", "app", "db", "cache", "worker", "build", "api", "queue", "search", "proxy",
];

/// VM names of the demo dataset.
pub(crate) const DEMO_VMS: &[&str] = &[
    "web-01",
    "web-02",
    "api-gateway",
    "postgres-primary",
    "postgres-replica",
    "redis-cache",
    "billing-worker",
    "jenkins",
    "gitlab-runner-1",
    "gitlab-runner-2",
    "grafana",
    "prometheus",
    "elastic-01",
    "kafka-01",
    "kafka-02",
    "staging-web",
    "staging-db",
    "ad-controller",
    "file-server",
    "vpn-gateway",
    "analytics-notebook",
    "etl-runner",
];

/// (domain name, parent index in this list or None for ROOT)
pub(crate) const DEMO_DOMAINS: &[(&str, Option<usize>)] = &[
    ("Acme Retail", None),
    ("Zenith Labs", None),
    ("Analytics", Some(0)),
];

/// (account, domain index in DEMO_DOMAINS, domain admin?)
pub(crate) const DEMO_ACCOUNTS: &[(&str, usize, bool)] = &[
    ("acme-ops", 0, false),
    ("acme-admin", 0, true),
    ("zenith-dev", 1, false),
    ("analytics-team", 2, false),
];
