//! Volumes and snapshots.

use super::Tag;
use crate::de::model;

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
