//! Zones, templates and offerings.

use super::Tag;
use crate::de::model;

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
        /// The user picks the IOPS.
        pub iscustomizediops: bool,
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
