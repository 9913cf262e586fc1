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
        /// Storage pool id.
        pub storageid: String,
        /// Minimum IOPS.
        pub miniops: i64,
        /// Maximum IOPS.
        pub maxiops: i64,
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
    /// A recurring snapshot policy (`createSnapshotPolicy`, `listSnapshotPolicies`).
    pub struct SnapshotPolicy {
        /// Policy id.
        pub id: String,
        /// The volume.
        pub volumeid: String,
        /// `0` hourly, `1` daily, `2` weekly, `3` monthly (as CloudStack answers), or the name.
        pub intervaltype: String,
        /// `MM`, `MM:HH` or `MM:HH:DD`.
        pub schedule: String,
        /// Time zone of the schedule.
        pub timezone: String,
        /// How many snapshots are kept.
        pub maxsnaps: i64,
        /// Shown to the user.
        pub fordisplay: bool,
        /// Tags.
        pub tags: Vec<Tag>,
    }
}

model! {
    /// A VM snapshot (`createVMSnapshot`, `listVMSnapshot`).
    pub struct VmSnapshot {
        /// Snapshot id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Display name.
        pub displayname: String,
        /// Description.
        pub description: String,
        /// `Disk` or `DiskAndMemory`.
        #[serde(rename = "type")]
        pub snapshot_type: String,
        /// State (`Ready`, `Creating`, `Reverting`...).
        pub state: String,
        /// The newest snapshot of the VM.
        pub current: bool,
        /// The snapshot this one was taken on top of.
        pub parent: String,
        /// Parent's name.
        #[serde(rename = "parentName")]
        pub parentname: String,
        /// The VM.
        pub virtualmachineid: String,
        /// The VM's name.
        pub virtualmachinename: String,
        /// Zone id.
        pub zoneid: String,
        /// Creation date.
        pub created: String,
        /// Account.
        pub account: String,
        /// Domain id.
        pub domainid: String,
    }
}

model! {
    /// A primary storage pool (`listStoragePools`, admins only).
    pub struct StoragePool {
        /// Pool id.
        pub id: String,
        /// Name.
        pub name: String,
        /// State (`Up`, `Maintenance`...).
        pub state: String,
        /// Zone id.
        pub zoneid: String,
        /// Cluster id.
        pub clusterid: String,
        /// `NetworkFilesystem`, `RBD`...
        #[serde(rename = "type")]
        pub pool_type: String,
        /// Scope (`CLUSTER`, `ZONE`).
        pub scope: String,
        /// Capacity in bytes.
        pub disksizetotal: i64,
        /// Used bytes.
        pub disksizeused: i64,
        /// Storage tags.
        pub tags: String,
    }
}
