//! Storage: volumes, volume snapshots and their recurring policies, VM snapshots — what the lists
//! show, what the forms send, and the rules CloudStack 4.22 applies before it accepts a request.
//!
//! - [`schedule`]: snapshot schedules, to and from CloudStack's `intervaltype` + `schedule`.
//! - [`checks`]: whether a volume, snapshot or VM snapshot action is available, or why not.
//!
//! Sizes are bytes in `u64` and GiB in whole numbers: integer math only, no floats.

pub mod checks;
pub mod schedule;

pub use schedule::{IntervalType, SnapshotPolicy, SnapshotSchedule};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Bytes in a GiB.
pub const GIB: u64 = 1 << 30;

/// `gib` GiB in bytes; `None` when it does not fit in a `u64`.
pub fn gib_to_bytes(gib: u64) -> Option<u64> {
    gib.checked_mul(GIB)
}

/// Whole GiB in `bytes`, rounded down.
pub fn bytes_to_gib_floor(bytes: u64) -> u64 {
    bytes / GIB
}

/// Whole GiB holding `bytes`, rounded up (what a size field shows for a volume).
pub fn bytes_to_gib_ceil(bytes: u64) -> u64 {
    bytes.div_ceil(GIB)
}

/// A size for people, in binary units with at most one decimal, rounded down, exactly:
/// `0 B`, `512 B`, `1.5 KiB`, `20 GiB`, `1.2 TiB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut unit = 0;
    let mut scale: u128 = 1;
    while unit + 1 < UNITS.len() && u128::from(bytes) >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    let tenths = u128::from(bytes) * 10 / scale;
    let (whole, frac) = (tenths / 10, tenths % 10);
    if frac == 0 || unit == 0 {
        format!("{whole} {}", UNITS[unit])
    } else {
        format!("{whole}.{frac} {}", UNITS[unit])
    }
}

/// A volume's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum VolumeType {
    /// The disk a VM boots from; created and destroyed with it.
    Root,
    /// A data disk, attached and detached at will.
    Datadisk,
}

impl fmt::Display for VolumeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VolumeType::Root => "ROOT",
            VolumeType::Datadisk => "DATADISK",
        })
    }
}

/// One row of the volume list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VolumeRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// ROOT or DATADISK.
    pub volume_type: VolumeType,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Zone id.
    pub zone_id: String,
    /// Zone name.
    pub zone_name: String,
    /// CloudStack's state: Allocated, Ready, Creating, Migrating, Resizing, Expunging, Destroy…
    pub state: String,
    /// Disk offering id.
    pub offering_id: Option<String>,
    /// Disk offering name.
    pub offering_name: Option<String>,
    /// The VM it is attached to.
    pub vm_id: Option<String>,
    /// That VM's name.
    pub vm_name: Option<String>,
    /// That VM's state.
    pub vm_state: Option<String>,
    /// Its device id on the VM (0 is the root disk).
    pub device_id: Option<u32>,
    /// The primary storage pool it lives on.
    pub storage_pool: Option<String>,
    /// Guaranteed IOPS.
    pub min_iops: Option<u64>,
    /// IOPS cap.
    pub max_iops: Option<u64>,
    /// Creation date-time.
    pub created: String,
}

impl VolumeRow {
    /// Whether it is attached to a VM.
    pub fn attached(&self) -> bool {
        self.vm_id.is_some()
    }
}

/// One row of the volume snapshot list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SnapshotRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The volume it was taken of.
    pub volume_id: String,
    /// That volume's name.
    pub volume_name: String,
    /// That volume's type.
    pub volume_type: VolumeType,
    /// MANUAL, or the policy interval that took it (HOURLY, DAILY, WEEKLY, MONTHLY).
    pub snapshot_type: String,
    /// State: Allocated, Creating, CreatedOnPrimary, BackingUp, BackedUp, Destroying, Error.
    pub state: String,
    /// The volume's size when it was taken (bytes).
    pub virtual_size_bytes: u64,
    /// Space it takes (bytes), when known.
    pub physical_size_bytes: Option<u64>,
    /// Zone id.
    pub zone_id: String,
    /// Where it is kept: `Primary` or `Secondary`.
    pub location: Option<String>,
    /// Creation date-time.
    pub created: String,
}

/// A recurring snapshot policy of a volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SnapshotPolicyRow {
    /// Id.
    pub id: String,
    /// The volume.
    pub volume_id: String,
    /// When, where and how many.
    pub policy: SnapshotPolicy,
}

/// What a VM snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VmSnapshotType {
    /// The disks only.
    Disk,
    /// The disks and the memory (the VM resumes where it was).
    DiskAndMemory,
}

/// One VM snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VmSnapshotRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Description.
    pub description: Option<String>,
    /// The VM.
    pub vm_id: String,
    /// The VM's name.
    pub vm_name: String,
    /// Disk only, or disk and memory.
    pub snapshot_type: VmSnapshotType,
    /// State: Allocated, Creating, Ready, Reverting, Expunging, Error.
    pub state: String,
    /// Whether it is the one the VM runs from now.
    pub current: bool,
    /// The snapshot it was taken after.
    pub parent_id: Option<String>,
    /// That snapshot's name.
    pub parent_name: Option<String>,
    /// Creation date-time.
    pub created: String,
}

/// The disk offering as far as creating a volume needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DiskOfferingInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its fixed size (GiB); `None` when the size is the user's choice.
    pub size_gib: Option<u64>,
    /// Whether the user chooses the IOPS.
    pub custom_iops: bool,
}

/// The smallest and largest custom volume CloudStack creates by default
/// (`custom.diskoffering.size.min` / `.max`, GiB).
pub const CUSTOM_SIZE_GIB: (u64, u64) = (1, 1024);

/// Where a new volume's contents come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum VolumeSource {
    /// Empty, of a disk offering.
    Offering {
        /// Disk offering id.
        disk_offering_id: String,
        /// Size (GiB), when the offering is custom.
        #[serde(default)]
        size_gib: Option<u64>,
        /// Guaranteed IOPS, when the offering lets the user choose.
        #[serde(default)]
        min_iops: Option<u64>,
        /// IOPS cap, when the offering lets the user choose.
        #[serde(default)]
        max_iops: Option<u64>,
    },
    /// A copy of a volume snapshot.
    Snapshot {
        /// Snapshot id.
        snapshot_id: String,
    },
}

/// A new volume (`createVolume`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateVolume {
    /// Name.
    pub name: String,
    /// Zone id.
    pub zone_id: String,
    /// Where its contents come from.
    pub source: VolumeSource,
}

impl CreateVolume {
    /// Why CloudStack would refuse it, given the offering it names (`None` when it comes from a
    /// snapshot); empty when fine.
    pub fn problems(&self, offering: Option<&DiskOfferingInfo>) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("The volume needs a name.".into());
        }
        if let VolumeSource::Offering {
            size_gib,
            min_iops,
            max_iops,
            ..
        } = &self.source
        {
            let Some(o) = offering else {
                out.push("Choose a disk offering.".into());
                return out;
            };
            let (lo, hi) = CUSTOM_SIZE_GIB;
            match (o.size_gib, size_gib) {
                (None, None) => out.push(format!(
                    "The offering {} has no fixed size: give the size in GiB ({lo} to {hi}).",
                    o.name
                )),
                (None, Some(s)) if !(lo..=hi).contains(s) => out.push(format!(
                    "A custom volume is {lo} to {hi} GiB, not {s}."
                )),
                (Some(f), Some(_)) => out.push(format!(
                    "The offering {} has a fixed size of {f} GiB; leave the size empty or choose a custom offering.",
                    o.name
                )),
                _ => {}
            }
            if !o.custom_iops && (min_iops.is_some() || max_iops.is_some()) {
                out.push(format!(
                    "The offering {} sets its own IOPS; leave them empty.",
                    o.name
                ));
            }
            if let (Some(a), Some(b)) = (min_iops, max_iops)
                && a > b
            {
                out.push(format!(
                    "The minimum IOPS ({a}) cannot be more than the maximum ({b})."
                ));
            }
        }
        out
    }
}

/// An action on a volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum VolumeAction {
    /// `attachVolume`.
    Attach {
        /// VM id.
        vm_id: String,
        /// Device id (CloudStack picks the next free one when none).
        #[serde(default)]
        device_id: Option<u32>,
    },
    /// `detachVolume`.
    Detach,
    /// `resizeVolume`.
    Resize {
        /// New size (GiB).
        size_gib: u64,
        /// The user's explicit consent to shrink (`shrinkok`).
        #[serde(default)]
        shrink_ok: bool,
    },
    /// `migrateVolume` to another primary storage pool.
    Migrate {
        /// Target pool id.
        pool_id: String,
    },
    /// `deleteVolume`.
    Delete,
}

/// An action on a volume snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SnapshotAction {
    /// `deleteSnapshot`.
    Delete,
    /// `revertSnapshot`: the volume goes back to the snapshot.
    Revert,
    /// `createVolume` from it.
    ToVolume {
        /// The new volume's name.
        name: String,
    },
    /// `createTemplate` from it.
    ToTemplate {
        /// The template's name.
        name: String,
        /// OS type id.
        os_type_id: String,
    },
}

/// Shown before a VM snapshot is taken on KVM (apache/cloudstack#8015).
pub const KVM_PAUSE_WARNING: &str = "On KVM, the VM is paused while its snapshot is taken — for a large memory or disk that can be minutes. Volume snapshots do not pause it.";

/// Shown before a volume is shrunk.
pub const SHRINK_WARNING: &str = "Shrinking cuts off the end of the disk: unless its partitions and file systems were shrunk first, data is lost and the VM may not boot.";

/// A new VM snapshot (`createVMSnapshot`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateVmSnapshot {
    /// VM id.
    pub vm_id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Include the memory (`snapshotmemory`): only while the VM runs.
    pub memory: bool,
    /// Quiesce the file systems first (needs the guest agent).
    #[serde(default)]
    pub quiesce: bool,
}

/// An action on a VM snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum VmSnapshotAction {
    /// `revertToVMSnapshot`.
    Revert,
    /// `deleteVMSnapshot`.
    Delete,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_helpers_are_exact() {
        assert_eq!(gib_to_bytes(20), Some(21_474_836_480));
        assert_eq!(gib_to_bytes(u64::MAX), None);
        assert_eq!(bytes_to_gib_floor(GIB * 3 - 1), 2);
        assert_eq!(bytes_to_gib_ceil(GIB * 3 - 1), 3);
        assert_eq!(bytes_to_gib_ceil(0), 0);
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(20 * GIB), "20 GiB");
        assert_eq!(format_bytes(GIB + GIB / 4), "1.2 GiB");
        assert_eq!(format_bytes(u64::MAX), "16383.9 PiB");
    }

    fn offering(size: Option<u64>, iops: bool) -> DiskOfferingInfo {
        DiskOfferingInfo {
            id: "o".into(),
            name: if size.is_some() {
                "Small".into()
            } else {
                "Custom".into()
            },
            size_gib: size,
            custom_iops: iops,
        }
    }

    fn create(size: Option<u64>, min: Option<u64>, max: Option<u64>) -> CreateVolume {
        CreateVolume {
            name: "data".into(),
            zone_id: "z".into(),
            source: VolumeSource::Offering {
                disk_offering_id: "o".into(),
                size_gib: size,
                min_iops: min,
                max_iops: max,
            },
        }
    }

    #[test]
    fn create_volume_rules() {
        assert!(
            create(Some(50), None, None)
                .problems(Some(&offering(None, false)))
                .is_empty()
        );
        assert!(
            create(None, None, None)
                .problems(Some(&offering(Some(5), false)))
                .is_empty()
        );
        assert_eq!(
            create(None, None, None).problems(Some(&offering(None, false))),
            ["The offering Custom has no fixed size: give the size in GiB (1 to 1024)."]
        );
        assert_eq!(
            create(Some(0), None, None).problems(Some(&offering(None, false))),
            ["A custom volume is 1 to 1024 GiB, not 0."]
        );
        assert_eq!(
            create(Some(10), Some(100), None).problems(Some(&offering(Some(5), false))),
            [
                "The offering Small has a fixed size of 5 GiB; leave the size empty or choose a custom offering.",
                "The offering Small sets its own IOPS; leave them empty."
            ]
        );
        assert_eq!(
            create(Some(10), Some(500), Some(100)).problems(Some(&offering(None, true))),
            ["The minimum IOPS (500) cannot be more than the maximum (100)."]
        );
        assert_eq!(
            create(Some(1), None, None).problems(None),
            ["Choose a disk offering."]
        );
        let snap = CreateVolume {
            name: " ".into(),
            zone_id: "z".into(),
            source: VolumeSource::Snapshot {
                snapshot_id: "s".into(),
            },
        };
        assert_eq!(snap.problems(None), ["The volume needs a name."]);
    }

    #[test]
    fn wire_shapes() {
        let j = serde_json::to_string(&VolumeAction::Resize {
            size_gib: 40,
            shrink_ok: false,
        })
        .unwrap();
        assert_eq!(j, r#"{"action":"resize","size_gib":40,"shrink_ok":false}"#);
        assert_eq!(
            serde_json::to_string(&VolumeType::Datadisk).unwrap(),
            "\"DATADISK\""
        );
        assert_eq!(
            serde_json::to_string(&VmSnapshotType::DiskAndMemory).unwrap(),
            "\"DiskAndMemory\""
        );
    }
}
