//! Response models. Every field is optional (CloudStack versions differ and omit nulls), every
//! field is read leniently (ids may be numbers, booleans and counts may be strings), and unknown
//! fields are ignored. Date-times are kept as CloudStack sends them (`2024-01-31T10:00:00+0000`);
//! [`parse_datetime`] converts them.

use crate::de::model;
use serde_json::Value;

/// Parses a CloudStack date-time (`yyyy-MM-dd'T'HH:mm:ssZ`, with `+0000`, `+05:30` or `Z`).
pub fn parse_datetime(s: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // `+0000` style offsets: insert the colon and retry.
    let b = s.as_bytes();
    if b.len() >= 5 {
        let (head, tail) = s.split_at(s.len() - 5);
        let tb = tail.as_bytes();
        if (tb[0] == b'+' || tb[0] == b'-') && tb[1..].iter().all(u8::is_ascii_digit) {
            let fixed = format!("{head}{}:{}", &tail[..3], &tail[3..]);
            return time::OffsetDateTime::parse(&fixed, &Rfc3339).ok();
        }
    }
    None
}

model! {
    /// A resource tag (`key`/`value`).
    pub struct Tag {
        /// Tag name.
        pub key: String,
        /// Tag value.
        pub value: String,
        /// Resource type the tag is on.
        pub resourcetype: String,
        /// Resource id the tag is on.
        pub resourceid: String,
    }
}

model! {
    /// An availability zone (`listZones`).
    pub struct Zone {
        /// Zone id.
        pub id: String,
        /// Zone name.
        pub name: String,
        /// Description.
        pub description: String,
        /// `Basic` or `Advanced`.
        pub networktype: String,
        /// `Enabled` or `Disabled`.
        pub allocationstate: String,
        /// Security groups enabled.
        pub securitygroupsenabled: bool,
        /// Local storage enabled.
        pub localstorageenabled: bool,
        /// First public DNS server.
        pub dns1: String,
        /// Second public DNS server.
        pub dns2: String,
        /// Internal DNS server.
        pub internaldns1: String,
        /// Guest CIDR.
        pub guestcidraddress: String,
        /// Dedicated domain id.
        pub domainid: String,
        /// Zone token.
        pub zonetoken: String,
        /// `Core` or `Edge`.
        #[serde(rename = "type")]
        pub zone_type: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A template (`listTemplates`).
    pub struct Template {
        /// Template id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// OS type id.
        pub ostypeid: String,
        /// OS type name.
        pub ostypename: String,
        /// Hypervisor.
        pub hypervisor: String,
        /// Disk format (QCOW2, VHD, ...).
        pub format: String,
        /// Size in bytes.
        pub size: i64,
        /// Ready to deploy.
        pub isready: bool,
        /// Public.
        pub ispublic: bool,
        /// Featured.
        pub isfeatured: bool,
        /// Password reset enabled.
        pub passwordenabled: bool,
        /// Status text.
        pub status: String,
        /// `USER`, `BUILTIN`, `SYSTEM`...
        pub templatetype: String,
        /// Owner account.
        pub account: String,
        /// Owner domain.
        pub domain: String,
        /// Owner domain id.
        pub domainid: String,
        /// Creation date.
        pub created: String,
        /// CPU architecture.
        pub arch: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A compute offering (`listServiceOfferings`).
    pub struct ServiceOffering {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Number of vCPUs.
        pub cpunumber: i64,
        /// CPU speed in MHz.
        pub cpuspeed: i64,
        /// Memory in MiB.
        pub memory: i64,
        /// Custom (user-chosen size).
        pub iscustomized: bool,
        /// Storage type (`shared`/`local`).
        pub storagetype: String,
        /// HA enabled.
        pub offerha: bool,
        /// Limits CPU use.
        pub limitcpuuse: bool,
        /// System offering.
        pub issystem: bool,
        /// Host tags.
        pub hosttags: String,
        /// Storage tags.
        pub storagetags: String,
        /// Network rate (Mbps).
        pub networkrate: i64,
        /// Root disk size (GiB).
        pub rootdisksize: i64,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Zone.
        pub zone: String,
        /// Zone id.
        pub zoneid: String,
        /// `Active` or `Inactive`.
        pub state: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A disk offering (`listDiskOfferings`).
    pub struct DiskOffering {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Size in GiB.
        pub disksize: i64,
        /// Custom size.
        pub iscustomized: bool,
        /// Storage type.
        pub storagetype: String,
        /// Tags.
        pub tags: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Zone.
        pub zone: String,
        /// Zone id.
        pub zoneid: String,
        /// Min IOPS.
        pub miniops: i64,
        /// Max IOPS.
        pub maxiops: i64,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A network interface of a VM.
    pub struct Nic {
        /// NIC id.
        pub id: String,
        /// Network id.
        pub networkid: String,
        /// Network name.
        pub networkname: String,
        /// IPv4 address.
        pub ipaddress: String,
        /// IPv6 address.
        pub ip6address: String,
        /// Netmask.
        pub netmask: String,
        /// Gateway.
        pub gateway: String,
        /// MAC address.
        pub macaddress: String,
        /// Default NIC.
        pub isdefault: bool,
        /// Traffic type.
        pub traffictype: String,
        /// Network type.
        #[serde(rename = "type")]
        pub nic_type: String,
        /// Broadcast URI.
        pub broadcasturi: String,
        /// Isolation URI.
        pub isolationuri: String,
    }
}

model! {
    /// A virtual machine (`listVirtualMachines`, `deployVirtualMachine`...). The metrics fields
    /// are filled by `listVirtualMachinesMetrics`.
    pub struct VirtualMachine {
        /// VM id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display name.
        pub displayname: String,
        /// Internal instance name (admins).
        pub instancename: String,
        /// `Running`, `Stopped`, `Starting`, `Destroyed`...
        pub state: String,
        /// Owner account.
        pub account: String,
        /// Owner user id.
        pub userid: String,
        /// Owner user name.
        pub username: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Project.
        pub project: String,
        /// Project id.
        pub projectid: String,
        /// Creation date.
        pub created: String,
        /// Last update date.
        pub lastupdated: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Host id.
        pub hostid: String,
        /// Host name.
        pub hostname: String,
        /// Template id.
        pub templateid: String,
        /// Template name.
        pub templatename: String,
        /// Template display text.
        pub templatedisplaytext: String,
        /// Service offering id.
        pub serviceofferingid: String,
        /// Service offering name.
        pub serviceofferingname: String,
        /// vCPUs.
        pub cpunumber: i64,
        /// CPU speed (MHz).
        pub cpuspeed: i64,
        /// Memory (MiB).
        pub memory: i64,
        /// CPU used, e.g. `"10%"`.
        pub cpuused: String,
        /// Hypervisor.
        pub hypervisor: String,
        /// HA enabled.
        pub haenable: bool,
        /// Password enabled.
        pub passwordenabled: bool,
        /// Password (only right after deploy, when enabled).
        pub password: String,
        /// SSH key pair name.
        pub keypair: String,
        /// Guest OS id.
        pub guestosid: String,
        /// OS display name.
        pub osdisplayname: String,
        /// Root device id.
        pub rootdeviceid: i64,
        /// Root device type.
        pub rootdevicetype: String,
        /// Group name.
        pub group: String,
        /// NICs.
        pub nic: Vec<Nic>,
        /// Tags.
        pub tags: Vec<Tag>,
        /// Details map.
        pub details: Value,
        /// Pending job id, when a job is running on this VM.
        pub jobid: String,
        /// Pending job status.
        pub jobstatus: i64,
        /// Network bytes read (KiB).
        pub networkkbsread: i64,
        /// Network bytes written (KiB).
        pub networkkbswrite: i64,
        /// Disk bytes read (KiB).
        pub diskkbsread: i64,
        /// Disk bytes written (KiB).
        pub diskkbswrite: i64,
        /// Disk read IOs.
        pub diskioread: i64,
        /// Disk write IOs.
        pub diskiowrite: i64,
        /// Metrics: total CPU, e.g. `"2.00 GHz"`.
        pub cputotal: String,
        /// Metrics: total memory, e.g. `"1.00 GB"`.
        pub memorytotal: String,
        /// Metrics: network read, e.g. `"0.00 MiB"`.
        pub networkread: String,
        /// Metrics: network write.
        pub networkwrite: String,
        /// Metrics: disk read.
        pub diskread: String,
        /// Metrics: disk write.
        pub diskwrite: String,
        /// Metrics: total disk IOPS.
        pub diskiopstotal: i64,
    }
}

model! {
    /// An SSH key pair. `privatekey` is only present right after `createSSHKeyPair`.
    pub struct SshKeyPair {
        /// Key pair id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Fingerprint.
        pub fingerprint: String,
        /// Private key (create only).
        pub privatekey: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
    }
}

model! {
    /// A guest network (`listNetworks`, `createNetwork`).
    pub struct Network {
        /// Network id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// State (`Allocated`, `Implemented`...).
        pub state: String,
        /// `Isolated`, `Shared`, `L2`.
        #[serde(rename = "type")]
        pub network_type: String,
        /// Traffic type.
        pub traffictype: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Network offering id.
        pub networkofferingid: String,
        /// Network offering name.
        pub networkofferingname: String,
        /// CIDR.
        pub cidr: String,
        /// Gateway.
        pub gateway: String,
        /// Netmask.
        pub netmask: String,
        /// Network domain.
        pub networkdomain: String,
        /// VPC id.
        pub vpcid: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Default network.
        pub isdefault: bool,
        /// Restart required.
        pub restartrequired: bool,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A network offering (`listNetworkOfferings`).
    pub struct NetworkOffering {
        /// Offering id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// Guest IP type (`Isolated`, `Shared`, `L2`).
        pub guestiptype: String,
        /// Traffic type.
        pub traffictype: String,
        /// State.
        pub state: String,
        /// Default offering.
        pub isdefault: bool,
        /// For VPC.
        pub forvpc: bool,
        /// Specify VLAN.
        pub specifyvlan: bool,
        /// Network rate (Mbps).
        pub networkrate: i64,
        /// Availability (`Required`, `Optional`).
        pub availability: String,
        /// Conserve mode.
        pub conservemode: bool,
        /// Supported services (raw).
        pub service: Value,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A volume (`listVolumes`, `createVolume`, `attachVolume`...).
    pub struct Volume {
        /// Volume id.
        pub id: String,
        /// Name.
        pub name: String,
        /// `ROOT` or `DATADISK`.
        #[serde(rename = "type")]
        pub volume_type: String,
        /// State.
        pub state: String,
        /// Size in bytes.
        pub size: i64,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Attached VM id.
        pub virtualmachineid: String,
        /// Attached VM name.
        pub vmname: String,
        /// Attached VM state.
        pub vmstate: String,
        /// Device id.
        pub deviceid: i64,
        /// Disk offering id.
        pub diskofferingid: String,
        /// Disk offering name.
        pub diskofferingname: String,
        /// Storage pool.
        pub storage: String,
        /// Storage type.
        pub storagetype: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Attach date.
        pub attached: String,
        /// Creation date.
        pub created: String,
        /// Pending job id.
        pub jobid: String,
        /// Pending job status.
        pub jobstatus: i64,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A volume snapshot (`listSnapshots`, `createSnapshot`).
    pub struct Snapshot {
        /// Snapshot id.
        pub id: String,
        /// Name.
        pub name: String,
        /// State.
        pub state: String,
        /// Volume id.
        pub volumeid: String,
        /// Volume name.
        pub volumename: String,
        /// Volume type.
        pub volumetype: String,
        /// `MANUAL`, `HOURLY`...
        pub snapshottype: String,
        /// Interval type.
        pub intervaltype: String,
        /// Physical size (bytes).
        pub physicalsize: i64,
        /// Virtual size (bytes).
        pub virtualsize: i64,
        /// Zone id.
        pub zoneid: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Creation date.
        pub created: String,
        /// Revertable.
        pub revertable: bool,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A public IP address (`listPublicIpAddresses`, `associateIpAddress`).
    pub struct PublicIpAddress {
        /// IP id.
        pub id: String,
        /// The address.
        pub ipaddress: String,
        /// State (`Allocated`...).
        pub state: String,
        /// Source NAT address.
        pub issourcenat: bool,
        /// Static NAT enabled.
        pub isstaticnat: bool,
        /// System address.
        pub issystem: bool,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Associated network id.
        pub associatednetworkid: String,
        /// Associated network name.
        pub associatednetworkname: String,
        /// Network id.
        pub networkid: String,
        /// VPC id.
        pub vpcid: String,
        /// Static NAT VM id.
        pub virtualmachineid: String,
        /// Static NAT VM name.
        pub virtualmachinename: String,
        /// VLAN id.
        pub vlanid: String,
        /// VLAN name.
        pub vlanname: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Allocation date.
        pub allocated: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A firewall rule (`listFirewallRules`, `createFirewallRule`).
    pub struct FirewallRule {
        /// Rule id.
        pub id: String,
        /// Protocol (`tcp`, `udp`, `icmp`, `all`).
        pub protocol: String,
        /// Start port.
        pub startport: i64,
        /// End port.
        pub endport: i64,
        /// Source CIDR list (comma-separated).
        pub cidrlist: String,
        /// Destination CIDR list.
        pub destcidrlist: String,
        /// ICMP type.
        pub icmptype: i64,
        /// ICMP code.
        pub icmpcode: i64,
        /// Public IP id.
        pub ipaddressid: String,
        /// Public IP.
        pub ipaddress: String,
        /// Network id.
        pub networkid: String,
        /// State.
        pub state: String,
        /// Traffic type.
        pub traffictype: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A port forwarding rule.
    pub struct PortForwardingRule {
        /// Rule id.
        pub id: String,
        /// Protocol.
        pub protocol: String,
        /// Public start port.
        pub publicport: i64,
        /// Public end port.
        pub publicendport: i64,
        /// Private start port.
        pub privateport: i64,
        /// Private end port.
        pub privateendport: i64,
        /// Public IP id.
        pub ipaddressid: String,
        /// Public IP.
        pub ipaddress: String,
        /// Target VM id.
        pub virtualmachineid: String,
        /// Target VM name.
        pub virtualmachinename: String,
        /// Target VM display name.
        pub virtualmachinedisplayname: String,
        /// Guest IP of the target VM.
        pub vmguestip: String,
        /// Network id.
        pub networkid: String,
        /// Source CIDR list.
        pub cidrlist: String,
        /// State.
        pub state: String,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A usage record (`listUsageRecords`). `usage` and `rawusage` are strings on the wire.
    pub struct UsageRecord {
        /// Account.
        pub account: String,
        /// Account id.
        pub accountid: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Project.
        pub project: String,
        /// Project id.
        pub projectid: String,
        /// Zone id.
        pub zoneid: String,
        /// Description.
        pub description: String,
        /// Human-readable usage, e.g. `"24 Hrs"`.
        pub usage: String,
        /// Raw usage amount (hours, bytes...), as sent.
        pub rawusage: String,
        /// Usage type (1 running VM, 2 allocated VM, 3 IP, 6 volume, 9 snapshot...).
        pub usagetype: i64,
        /// Usage id (resource id).
        pub usageid: String,
        /// VM id.
        pub virtualmachineid: String,
        /// Name.
        pub name: String,
        /// Offering id.
        pub offeringid: String,
        /// Template id.
        pub templateid: String,
        /// OS type id.
        pub ostypeid: String,
        /// vCPUs.
        pub cpunumber: i64,
        /// CPU speed.
        pub cpuspeed: i64,
        /// Memory.
        pub memory: i64,
        /// Size (bytes).
        pub size: i64,
        /// Virtual size (bytes).
        pub virtualsize: i64,
        /// Resource type.
        #[serde(rename = "type")]
        pub resource_type: String,
        /// Period start.
        pub startdate: String,
        /// Period end.
        pub enddate: String,
        /// Network id.
        pub networkid: String,
        /// Is source NAT.
        pub issourcenat: bool,
        /// Is system.
        pub issystem: bool,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

impl UsageRecord {
    /// `rawusage` as a number, when it is one.
    pub fn raw_usage(&self) -> Option<f64> {
        self.rawusage.as_deref().and_then(|s| s.trim().parse().ok())
    }
}

model! {
    /// A domain (`listDomains`, `createDomain`, `updateDomain`).
    pub struct Domain {
        /// Domain id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Full path, e.g. `ROOT/customers/acme`.
        pub path: String,
        /// Level (ROOT is 0).
        pub level: i64,
        /// Parent domain id.
        pub parentdomainid: String,
        /// Parent domain name.
        pub parentdomainname: String,
        /// Has children.
        pub haschild: bool,
        /// Network domain.
        pub networkdomain: String,
        /// State.
        pub state: String,
        /// Creation date.
        pub created: String,
        /// VM count.
        pub vmtotal: i64,
        /// VM limit (`"Unlimited"` or a number, as sent).
        pub vmlimit: String,
    }
}

model! {
    /// A user of an account.
    pub struct User {
        /// User id.
        pub id: String,
        /// Login name.
        pub username: String,
        /// First name.
        pub firstname: String,
        /// Last name.
        pub lastname: String,
        /// E-mail.
        pub email: String,
        /// State.
        pub state: String,
        /// Account.
        pub account: String,
        /// Account id.
        pub accountid: String,
        /// Account type.
        pub accounttype: i64,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// API key (the secret key is never modelled).
        pub apikey: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// An account (`listAccounts`, `createAccount`, `updateAccount`).
    pub struct Account {
        /// Account id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Account type (0 user, 1 root admin, 2 domain admin...).
        pub accounttype: i64,
        /// Role id.
        pub roleid: String,
        /// Role name.
        pub rolename: String,
        /// Role type.
        pub roletype: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Domain path.
        pub domainpath: String,
        /// State (`enabled`, `disabled`, `locked`).
        pub state: String,
        /// Network domain.
        pub networkdomain: String,
        /// Default account.
        pub isdefault: bool,
        /// Users.
        pub user: Vec<User>,
        /// VM count.
        pub vmtotal: i64,
        /// VM limit as sent.
        pub vmlimit: String,
        /// CPU count.
        pub cputotal: i64,
        /// Memory (MiB).
        pub memorytotal: i64,
        /// Account details map.
        pub accountdetails: Value,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// An event (`listEvents`).
    pub struct Event {
        /// Event id.
        pub id: String,
        /// Type, e.g. `VM.CREATE`.
        #[serde(rename = "type")]
        pub event_type: String,
        /// Level (`INFO`, `WARN`, `ERROR`).
        pub level: String,
        /// Description.
        pub description: String,
        /// State (`Created`, `Scheduled`, `Started`, `Completed`).
        pub state: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// User name.
        pub username: String,
        /// Resource id.
        pub resourceid: String,
        /// Resource type.
        pub resourcetype: String,
        /// Resource name.
        pub resourcename: String,
        /// Parent event id.
        pub parentid: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A CloudStack Kubernetes Service cluster.
    pub struct KubernetesCluster {
        /// Cluster id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Description.
        pub description: String,
        /// State (`Created`, `Starting`, `Running`, `Stopped`, `Scaling`, `Upgrading`, `Error`...).
        pub state: String,
        /// Zone id.
        pub zoneid: String,
        /// Zone name.
        pub zonename: String,
        /// Service offering id.
        pub serviceofferingid: String,
        /// Service offering name.
        pub serviceofferingname: String,
        /// Template id.
        pub templateid: String,
        /// Network id.
        pub networkid: String,
        /// Network name.
        pub associatednetworkname: String,
        /// Kubernetes version id.
        pub kubernetesversionid: String,
        /// Kubernetes version name.
        pub kubernetesversionname: String,
        /// Account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
        /// Control nodes.
        pub controlnodes: i64,
        /// Control nodes (old name).
        pub masternodes: i64,
        /// Worker nodes.
        pub size: i64,
        /// vCPUs (a string on the wire).
        pub cpunumber: i64,
        /// Memory (a string on the wire).
        pub memory: i64,
        /// API endpoint.
        pub endpoint: String,
        /// Dashboard URL.
        pub consoleendpoint: String,
        /// Autoscaling enabled.
        pub autoscalingenabled: bool,
        /// Autoscaling minimum size.
        pub minsize: i64,
        /// Autoscaling maximum size.
        pub maxsize: i64,
        /// Cluster type (`CloudManaged`, `ExternalManaged`).
        pub clustertype: String,
        /// Node VMs.
        pub virtualmachines: Vec<VirtualMachine>,
        /// Node VM ids (older servers).
        pub virtualmachineids: Vec<String>,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// A Kubernetes version CKS can deploy.
    pub struct KubernetesSupportedVersion {
        /// Version id.
        pub id: String,
        /// Name, e.g. `v1.28.4`.
        pub name: String,
        /// Semantic version, e.g. `1.28.4`.
        pub semanticversion: String,
        /// Binaries ISO id.
        pub isoid: String,
        /// Binaries ISO name.
        pub isoname: String,
        /// ISO state.
        pub isostate: String,
        /// `Enabled` or `Disabled`.
        pub state: String,
        /// Supports HA (multiple control nodes).
        pub supportsha: bool,
        /// Supports autoscaling.
        pub supportsautoscaling: bool,
        /// Minimum vCPUs.
        pub mincpunumber: i64,
        /// Minimum memory (MiB).
        pub minmemory: i64,
        /// Zone id.
        pub zoneid: String,
        /// Creation date.
        pub created: String,
    }
}

model! {
    /// `getKubernetesClusterConfig`: the kubeconfig of a cluster.
    pub struct KubernetesClusterConfig {
        /// Cluster id.
        pub id: String,
        /// Cluster name.
        pub name: String,
        /// The kubeconfig file contents.
        pub configdata: String,
    }
}

model! {
    /// A project (`listProjects`).
    pub struct Project {
        /// Project id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display text.
        pub displaytext: String,
        /// State.
        pub state: String,
        /// Owner account.
        pub account: String,
        /// Domain.
        pub domain: String,
        /// Domain id.
        pub domainid: String,
    }
}

model! {
    /// The state of an asynchronous job (`queryAsyncJobResult`, items of `listAsyncJobs`).
    pub struct AsyncJobStatus {
        /// Job id.
        pub jobid: String,
        /// 0 pending, 1 succeeded, 2 failed, 3 cancelled.
        pub jobstatus: i64,
        /// Progress counter reported by some commands.
        pub jobprocstatus: i64,
        /// 0 on success, otherwise an error code.
        pub jobresultcode: i64,
        /// Result type (`object`).
        pub jobresulttype: String,
        /// The result: `{"virtualmachine": {...}}`, `{"success": true}` or `{errorcode, errortext}`.
        pub jobresult: Value,
        /// Java class of the command.
        pub cmd: String,
        /// Instance type the job works on.
        pub jobinstancetype: String,
        /// Instance id the job works on.
        pub jobinstanceid: String,
        /// Account id.
        pub accountid: String,
        /// User id.
        pub userid: String,
        /// Creation date.
        pub created: String,
        /// Completion date.
        pub completed: String,
    }
}

/// The phase of an async job, from its `jobstatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Still running (0).
    Pending,
    /// Finished successfully (1).
    Succeeded,
    /// Finished with an error (2).
    Failed,
    /// Cancelled (3).
    Cancelled,
}

impl AsyncJobStatus {
    /// The job phase; an unknown or missing status counts as pending.
    pub fn state(&self) -> JobState {
        match self.jobstatus {
            Some(1) => JobState::Succeeded,
            Some(2) => JobState::Failed,
            Some(3) => JobState::Cancelled,
            _ => JobState::Pending,
        }
    }
}

model! {
    /// The answer of delete-type commands: `{"success": true, "displaytext": "..."}`.
    pub struct Success {
        /// Whether it worked (sometimes a string on the wire).
        pub success: bool,
        /// Optional text.
        pub displaytext: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_fields() {
        let vm: VirtualMachine = serde_json::from_str(
            r#"{"id":2600,"cpunumber":"4","memory":4096,"haenable":"true","nic":[{"id":1,"isdefault":true}],"unknown":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(vm.id.as_deref(), Some("2600"));
        assert_eq!(vm.cpunumber, Some(4));
        assert_eq!(vm.haenable, Some(true));
        assert_eq!(vm.nic.as_ref().map(Vec::len), Some(1));
        let out = serde_json::to_string(&Success::default()).unwrap();
        assert_eq!(out, "{}");
    }

    #[test]
    fn datetimes() {
        let t = parse_datetime("2011-06-23T05:06:42+0000").unwrap();
        assert_eq!(t.unix_timestamp(), 1_308_805_602);
        assert!(parse_datetime("2021-09-29T17:50:11+0530").is_some());
        assert!(parse_datetime("2026-08-03T17:42:59.400Z").is_some());
        assert!(parse_datetime("nope").is_none());
    }
}
