//! Usage records and events.

use super::Tag;
use crate::de::model;

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
