//! The verbs and flags of `akashone network|ip|firewall|portforward|lb|volume|snapshot`.

/// `network` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum NetworkVerb {
    /// List the guest networks: name, state, CIDR, zone, offering, VMs.
    List,
    /// Create an isolated network.
    Create {
        /// Name.
        name: String,
        /// Zone (name or id).
        #[arg(long)]
        zone: String,
        /// Network offering (name or id).
        #[arg(long)]
        offering: String,
        /// Gateway (with --netmask; default: CloudStack picks the CIDR).
        #[arg(long, requires = "netmask")]
        gateway: Option<String>,
        /// Netmask.
        #[arg(long, requires = "gateway")]
        netmask: Option<String>,
    },
    /// Restart a network (with --cleanup: new virtual routers).
    Restart {
        /// Network name or id.
        network: String,
        /// Replace the virtual routers.
        #[arg(long)]
        cleanup: bool,
    },
    /// Delete a network (refused while VMs use it).
    Delete {
        /// Network name or id.
        network: String,
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
}

/// `ip` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum IpVerb {
    /// List the public IPs.
    List,
    /// Acquire an address for a network.
    Acquire {
        /// Network name or id.
        #[arg(long)]
        network: String,
    },
    /// Release an address (with every rule on it).
    Release {
        /// The address or its id.
        ip: String,
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
    /// Static NAT to a VM, or off with --off.
    StaticNat {
        /// The address or its id.
        ip: String,
        /// VM name or id.
        #[arg(long, required_unless_present = "off", conflicts_with = "off")]
        vm: Option<String>,
        /// Turn it off.
        #[arg(long)]
        off: bool,
    },
}

/// `firewall` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum FirewallVerb {
    /// The ingress rules of an address.
    List {
        /// The address or its id.
        ip: String,
    },
    /// Open ports (several, and ranges) to source CIDRs on one or more addresses; the rules
    /// already there are kept. `--dry-run` prints the plan.
    Apply {
        /// Addresses (or ids), comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        ip: Vec<String>,
        /// `tcp`, `udp`, `icmp` or `all`.
        #[arg(long, default_value = "tcp")]
        protocol: String,
        /// Ports and ranges: "22, 443, 8000-8100" (tcp and udp).
        #[arg(long)]
        ports: Option<String>,
        /// Source CIDRs (required; 0.0.0.0/0 only if you type it).
        #[arg(long)]
        cidrs: String,
        /// Print what would change and stop.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete a rule by id.
    Delete {
        /// Rule id.
        id: String,
    },
}

/// `portforward` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum ForwardVerb {
    /// The forwards of an address.
    List {
        /// The address or its id.
        ip: String,
    },
    /// Forward a public port (or range) to a VM, open only to the source CIDRs.
    Create {
        /// The address or its id.
        #[arg(long)]
        ip: String,
        /// Public port or range (2222, or 8000-8010).
        #[arg(long)]
        public: String,
        /// Private port or range of the same length.
        #[arg(long)]
        private: String,
        /// VM name or id.
        #[arg(long)]
        vm: String,
        /// `tcp` or `udp`.
        #[arg(long, default_value = "tcp")]
        protocol: String,
        /// Source CIDRs (required).
        #[arg(long)]
        cidrs: String,
    },
    /// Delete a forward by id.
    Delete {
        /// Rule id.
        id: String,
    },
}

/// `lb` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum LbVerb {
    /// The load balancers of an address.
    List {
        /// The address or its id.
        ip: String,
    },
    /// Create a load balancer over VMs.
    Create {
        /// Name.
        name: String,
        /// The address or its id.
        #[arg(long)]
        ip: String,
        /// Public port.
        #[arg(long)]
        public: u16,
        /// Private port.
        #[arg(long)]
        private: u16,
        /// `roundrobin`, `leastconn` or `source`.
        #[arg(long, default_value = "roundrobin")]
        algorithm: String,
        /// Member VMs (names or ids), comma-separated.
        #[arg(long, value_delimiter = ',')]
        vms: Vec<String>,
        /// Source CIDRs (required).
        #[arg(long)]
        cidrs: String,
    },
    /// The members of a load balancer, with their state.
    Members {
        /// Rule id.
        id: String,
    },
    /// Delete a load balancer by id.
    Delete {
        /// Rule id.
        id: String,
    },
}

/// `volume` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum VolumeVerb {
    /// List the volumes.
    List,
    /// Create a data volume.
    Create {
        /// Name.
        name: String,
        /// Zone (name or id).
        #[arg(long)]
        zone: String,
        /// Disk offering (name or id).
        #[arg(long)]
        offering: String,
        /// Size in GiB (custom-size offerings).
        #[arg(long)]
        size: Option<u64>,
    },
    /// Attach to a VM.
    Attach {
        /// Volume name or id.
        volume: String,
        /// VM name or id.
        #[arg(long)]
        vm: String,
    },
    /// Detach from its VM.
    Detach {
        /// Volume name or id.
        volume: String,
    },
    /// Resize (grow; shrinking needs --shrink-ok and loses the data beyond the new size).
    Resize {
        /// Volume name or id.
        volume: String,
        /// New size in GiB.
        #[arg(long)]
        size: u64,
        /// Allow shrinking.
        #[arg(long)]
        shrink_ok: bool,
    },
    /// Delete a detached volume.
    Delete {
        /// Volume name or id.
        volume: String,
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
}

/// `snapshot` verbs.
#[derive(Debug, clap::Subcommand)]
pub enum SnapshotVerb {
    /// List the snapshots (of one volume with --volume).
    List {
        /// Volume name or id.
        #[arg(long)]
        volume: Option<String>,
    },
    /// Take a snapshot of a volume.
    Take {
        /// Volume name or id.
        #[arg(long)]
        volume: String,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Revert the volume to a snapshot (its VM stopped).
    Revert {
        /// Snapshot name or id.
        snapshot: String,
    },
    /// Delete a snapshot.
    Delete {
        /// Snapshot name or id.
        snapshot: String,
    },
    /// Set a recurring policy: `--daily 02:30`, `--hourly 15`, `--weekly 1@02:30` (1 = Sunday),
    /// `--monthly 28@02:30`, in a time zone, keeping N.
    Policy {
        /// Volume name or id.
        #[arg(long)]
        volume: String,
        /// Every hour at this minute.
        #[arg(long, group = "every")]
        hourly: Option<u8>,
        /// Every day at HH:MM.
        #[arg(long, group = "every")]
        daily: Option<String>,
        /// Every week, DAY@HH:MM (1 = Sunday … 7).
        #[arg(long, group = "every")]
        weekly: Option<String>,
        /// Every month, DAY@HH:MM (1 … 28).
        #[arg(long, group = "every")]
        monthly: Option<String>,
        /// Time zone.
        #[arg(long, default_value = "Asia/Kolkata")]
        tz: String,
        /// How many to keep.
        #[arg(long, default_value_t = 8)]
        keep: u32,
    },
    /// The recurring policies of a volume.
    Policies {
        /// Volume name or id.
        #[arg(long)]
        volume: String,
    },
}

/// Which group of verbs.
#[derive(Debug)]
pub enum Group {
    /// Networks.
    Network(NetworkVerb),
    /// Public IPs.
    Ip(IpVerb),
    /// Firewall rules.
    Firewall(FirewallVerb),
    /// Port forwards.
    Forward(ForwardVerb),
    /// Load balancers.
    Lb(LbVerb),
    /// Volumes.
    Volume(VolumeVerb),
    /// Snapshots.
    Snapshot(SnapshotVerb),
}
