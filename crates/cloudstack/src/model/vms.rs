//! Virtual machines, their NICs, and SSH key pairs.

use super::Tag;
use crate::de::model;
use serde_json::Value;

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
