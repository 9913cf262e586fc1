//! Whether an action on a volume, a snapshot or a VM snapshot is available now, or the exact
//! reason it is refused, following `VolumeApiServiceImpl`, `SnapshotManagerImpl` and
//! `VMSnapshotManagerImpl`.

use super::{
    CreateVmSnapshot, GIB, SHRINK_WARNING, SnapshotAction, SnapshotRow, VmSnapshotAction,
    VmSnapshotRow, VmSnapshotType, VolumeAction, VolumeRow, VolumeType, format_bytes, gib_to_bytes,
};
use serde::{Deserialize, Serialize};

pub use crate::network::checks::OFFLINE;

/// The VM a volume would be attached to, as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VmInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// CloudStack's state.
    pub state: String,
    /// Zone id.
    pub zone_id: String,
}

fn running_or_stopped(state: &str) -> bool {
    state == "Running" || state == "Stopped"
}

/// Whether `action` may be asked on `volume`. `target` is the VM an Attach names (looked up by
/// the caller); `online` whether the cloud answers.
pub fn volume_action_allowed(
    volume: &VolumeRow,
    action: &VolumeAction,
    target: Option<&VmInfo>,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    if volume.state == "Destroy" || volume.state == "Expunging" {
        return Err(format!(
            "The volume {} is being deleted ({}).",
            volume.name, volume.state
        ));
    }
    let vm_name = volume.vm_name.as_deref().unwrap_or("its VM");
    match action {
        VolumeAction::Attach { vm_id, device_id } => {
            if volume.volume_type == VolumeType::Root {
                return Err(format!(
                    "{} is a ROOT volume: only data disks are attached and detached.",
                    volume.name
                ));
            }
            if volume.attached() {
                return Err(format!(
                    "{} is already attached to {vm_name}; detach it first.",
                    volume.name
                ));
            }
            if *device_id == Some(0) {
                return Err("Device 0 is the root disk; choose device 1 or higher.".into());
            }
            let Some(vm) = target.filter(|v| &v.id == vm_id) else {
                return Err("Choose the VM to attach the volume to.".into());
            };
            if !running_or_stopped(&vm.state) {
                return Err(format!(
                    "The VM {} is {}: volumes are attached to a VM that is Running or Stopped.",
                    vm.name, vm.state
                ));
            }
            if vm.zone_id != volume.zone_id {
                return Err(format!(
                    "The VM {} is in another zone than the volume {}.",
                    vm.name, volume.name
                ));
            }
        }
        VolumeAction::Detach => {
            if volume.volume_type == VolumeType::Root {
                return Err(format!(
                    "{} is a ROOT volume: it stays with its VM (only data disks are detached).",
                    volume.name
                ));
            }
            if !volume.attached() {
                return Err(format!("{} is not attached to a VM.", volume.name));
            }
            let state = volume.vm_state.as_deref().unwrap_or("in an unknown state");
            if !running_or_stopped(state) {
                return Err(format!(
                    "The VM {vm_name} is {state}: volumes are detached from a VM that is Running or Stopped."
                ));
            }
        }
        VolumeAction::Resize {
            size_gib,
            shrink_ok,
        } => {
            let Some(new) = gib_to_bytes(*size_gib).filter(|b| *b > 0) else {
                return Err(format!("{size_gib} GiB is not a size a volume can have."));
            };
            if new == volume.size_bytes {
                return Err(format!(
                    "{} is already {}.",
                    volume.name,
                    format_bytes(volume.size_bytes)
                ));
            }
            if new < volume.size_bytes && !shrink_ok {
                return Err(format!(
                    "Going from {} to {size_gib} GiB would shrink {}: confirm the shrink to go on. {SHRINK_WARNING}",
                    format_bytes(volume.size_bytes),
                    volume.name
                ));
            }
        }
        VolumeAction::Migrate { pool_id } => {
            if volume.storage_pool.as_deref() == Some(pool_id.as_str()) {
                return Err(format!("{} is already on that storage pool.", volume.name));
            }
            if volume.state != "Ready" {
                return Err(format!(
                    "The volume {} is {}: it can be migrated when Ready.",
                    volume.name, volume.state
                ));
            }
        }
        VolumeAction::Delete => {
            if volume.attached() {
                return Err(format!(
                    "{} is attached to {vm_name}: only a detached volume can be deleted.",
                    volume.name
                ));
            }
        }
    }
    Ok(())
}

/// The warning to show before a resize to `size_gib` — [`SHRINK_WARNING`] with the sizes when it
/// shrinks; `None` when it grows.
pub fn resize_warning(volume: &VolumeRow, size_gib: u64) -> Option<String> {
    let new = size_gib.saturating_mul(GIB);
    (new < volume.size_bytes).then(|| {
        format!(
            "{} shrinks from {} to {size_gib} GiB. {SHRINK_WARNING}",
            volume.name,
            format_bytes(volume.size_bytes)
        )
    })
}

/// Whether `action` may be asked on `snapshot`. `volume` is the volume it was taken of (when it
/// still exists), for Revert.
pub fn snapshot_action_allowed(
    snapshot: &SnapshotRow,
    action: &SnapshotAction,
    volume: Option<&VolumeRow>,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    let ready = snapshot.state == "BackedUp";
    match action {
        SnapshotAction::Delete => {
            if ["Creating", "BackingUp", "Destroying"].contains(&snapshot.state.as_str()) {
                return Err(format!(
                    "The snapshot {} is {}; wait for it to finish.",
                    snapshot.name, snapshot.state
                ));
            }
        }
        SnapshotAction::Revert => {
            if !ready {
                return Err(format!(
                    "The snapshot {} is {}: only a BackedUp snapshot can be reverted to.",
                    snapshot.name, snapshot.state
                ));
            }
            let Some(v) = volume else {
                return Err(format!(
                    "The volume {} no longer exists: create a volume from the snapshot instead.",
                    snapshot.volume_name
                ));
            };
            if let Some(state) = v.vm_state.as_deref().filter(|s| *s != "Stopped") {
                return Err(format!(
                    "Reverting {} needs its VM {} stopped; it is {state}.",
                    v.name,
                    v.vm_name.as_deref().unwrap_or("")
                ));
            }
        }
        SnapshotAction::ToVolume { name } | SnapshotAction::ToTemplate { name, .. } => {
            if !ready {
                return Err(format!(
                    "The snapshot {} is {}: wait until it is BackedUp.",
                    snapshot.name, snapshot.state
                ));
            }
            if name.trim().is_empty() {
                return Err("Give the new name.".into());
            }
            if let SnapshotAction::ToTemplate { os_type_id, .. } = action
                && os_type_id.trim().is_empty()
            {
                return Err("Choose the template's OS type.".into());
            }
        }
    }
    Ok(())
}

/// Whether a VM snapshot may be taken of a VM in `vm_state`, with CloudStack's rules: the VM
/// Running or Stopped, and the memory only while it runs. (Before taking one on KVM, show
/// [`super::KVM_PAUSE_WARNING`].)
pub fn vm_snapshot_allowed(
    vm_state: &str,
    req: &CreateVmSnapshot,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    if !running_or_stopped(vm_state) {
        return Err(format!(
            "The VM is {vm_state}: a VM snapshot is taken of a VM that is Running or Stopped."
        ));
    }
    if req.memory && vm_state != "Running" {
        return Err("Can not snapshot memory when VM is not in Running state".into());
    }
    Ok(())
}

/// Whether `action` may be asked on `snap` of a VM in `vm_state`: a revert needs the snapshot
/// Ready and the VM Running or Stopped — Stopped for a disk-only snapshot.
pub fn vm_snapshot_action_allowed(
    snap: &VmSnapshotRow,
    action: VmSnapshotAction,
    vm_state: &str,
    online: bool,
) -> Result<(), String> {
    if !online {
        return Err(OFFLINE.into());
    }
    match action {
        VmSnapshotAction::Revert => {
            if snap.state != "Ready" {
                return Err(format!(
                    "The VM snapshot {} is {}: only a Ready snapshot can be reverted to.",
                    snap.name, snap.state
                ));
            }
            if !running_or_stopped(vm_state) {
                return Err(format!(
                    "The VM {} is {vm_state}: it must be Running or Stopped to revert.",
                    snap.vm_name
                ));
            }
            if snap.snapshot_type == VmSnapshotType::Disk && vm_state != "Stopped" {
                return Err(format!(
                    "{} holds the disks only: stop the VM {} before reverting to it.",
                    snap.name, snap.vm_name
                ));
            }
        }
        VmSnapshotAction::Delete => {
            if ["Creating", "Reverting", "Expunging"].contains(&snap.state.as_str()) {
                return Err(format!(
                    "The VM snapshot {} is {}; wait for it to finish.",
                    snap.name, snap.state
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(kind: VolumeType, vm: Option<(&str, &str)>, gib: u64) -> VolumeRow {
        VolumeRow {
            id: "v1".into(),
            name: "data".into(),
            volume_type: kind,
            size_bytes: gib * GIB,
            zone_id: "z".into(),
            zone_name: "Zone".into(),
            state: "Ready".into(),
            offering_id: None,
            offering_name: None,
            vm_id: vm.map(|(n, _)| format!("id-{n}")),
            vm_name: vm.map(|(n, _)| n.to_string()),
            vm_state: vm.map(|(_, s)| s.to_string()),
            device_id: vm.map(|_| 1),
            storage_pool: Some("pool1".into()),
            min_iops: None,
            max_iops: None,
            created: "2026-12-01T00:00:00Z".into(),
        }
    }

    fn vm(state: &str) -> VmInfo {
        VmInfo {
            id: "vm".into(),
            name: "web".into(),
            state: state.into(),
            zone_id: "z".into(),
        }
    }

    fn attach(device: Option<u32>) -> VolumeAction {
        VolumeAction::Attach {
            vm_id: "vm".into(),
            device_id: device,
        }
    }

    #[test]
    fn attach_rules() {
        let free = volume(VolumeType::Datadisk, None, 10);
        assert_eq!(
            volume_action_allowed(&free, &attach(None), Some(&vm("Running")), true),
            Ok(())
        );
        assert_eq!(
            volume_action_allowed(&free, &attach(Some(2)), Some(&vm("Stopped")), true),
            Ok(())
        );
        assert_eq!(
            volume_action_allowed(&free, &attach(None), Some(&vm("Starting")), true).unwrap_err(),
            "The VM web is Starting: volumes are attached to a VM that is Running or Stopped."
        );
        assert_eq!(
            volume_action_allowed(&free, &attach(Some(0)), Some(&vm("Running")), true).unwrap_err(),
            "Device 0 is the root disk; choose device 1 or higher."
        );
        assert_eq!(
            volume_action_allowed(
                &volume(VolumeType::Root, None, 10),
                &attach(None),
                Some(&vm("Running")),
                true
            )
            .unwrap_err(),
            "data is a ROOT volume: only data disks are attached and detached."
        );
        assert_eq!(
            volume_action_allowed(
                &volume(VolumeType::Datadisk, Some(("db", "Running")), 10),
                &attach(None),
                Some(&vm("Running")),
                true
            )
            .unwrap_err(),
            "data is already attached to db; detach it first."
        );
        let mut far = vm("Running");
        far.zone_id = "z2".into();
        assert!(volume_action_allowed(&free, &attach(None), Some(&far), true).is_err());
        assert!(volume_action_allowed(&free, &attach(None), None, true).is_err());
        assert_eq!(
            volume_action_allowed(&free, &attach(None), Some(&vm("Running")), false).unwrap_err(),
            OFFLINE
        );
    }

    #[test]
    fn detach_and_delete_rules() {
        let on = volume(VolumeType::Datadisk, Some(("db", "Running")), 10);
        assert_eq!(
            volume_action_allowed(&on, &VolumeAction::Detach, None, true),
            Ok(())
        );
        assert_eq!(
            volume_action_allowed(&on, &VolumeAction::Delete, None, true).unwrap_err(),
            "data is attached to db: only a detached volume can be deleted."
        );
        let root = volume(VolumeType::Root, Some(("db", "Stopped")), 10);
        assert_eq!(
            volume_action_allowed(&root, &VolumeAction::Detach, None, true).unwrap_err(),
            "data is a ROOT volume: it stays with its VM (only data disks are detached)."
        );
        let migrating = volume(VolumeType::Datadisk, Some(("db", "Migrating")), 10);
        assert_eq!(
            volume_action_allowed(&migrating, &VolumeAction::Detach, None, true).unwrap_err(),
            "The VM db is Migrating: volumes are detached from a VM that is Running or Stopped."
        );
        let free = volume(VolumeType::Datadisk, None, 10);
        assert_eq!(
            volume_action_allowed(&free, &VolumeAction::Detach, None, true).unwrap_err(),
            "data is not attached to a VM."
        );
        assert_eq!(
            volume_action_allowed(&free, &VolumeAction::Delete, None, true),
            Ok(())
        );
    }

    #[test]
    fn resize_and_migrate_rules() {
        let v = volume(VolumeType::Datadisk, None, 20);
        let grow = VolumeAction::Resize {
            size_gib: 40,
            shrink_ok: false,
        };
        assert_eq!(volume_action_allowed(&v, &grow, None, true), Ok(()));
        assert_eq!(resize_warning(&v, 40), None);
        let shrink = VolumeAction::Resize {
            size_gib: 10,
            shrink_ok: false,
        };
        assert_eq!(
            volume_action_allowed(&v, &shrink, None, true).unwrap_err(),
            format!(
                "Going from 20 GiB to 10 GiB would shrink data: confirm the shrink to go on. {SHRINK_WARNING}"
            )
        );
        let consented = VolumeAction::Resize {
            size_gib: 10,
            shrink_ok: true,
        };
        assert_eq!(volume_action_allowed(&v, &consented, None, true), Ok(()));
        assert_eq!(
            resize_warning(&v, 10),
            Some(format!(
                "data shrinks from 20 GiB to 10 GiB. {SHRINK_WARNING}"
            ))
        );
        let same = VolumeAction::Resize {
            size_gib: 20,
            shrink_ok: false,
        };
        assert_eq!(
            volume_action_allowed(&v, &same, None, true).unwrap_err(),
            "data is already 20 GiB."
        );
        let zero = VolumeAction::Resize {
            size_gib: 0,
            shrink_ok: true,
        };
        assert!(volume_action_allowed(&v, &zero, None, true).is_err());
        let huge = VolumeAction::Resize {
            size_gib: u64::MAX,
            shrink_ok: true,
        };
        assert!(volume_action_allowed(&v, &huge, None, true).is_err());
        let here = VolumeAction::Migrate {
            pool_id: "pool1".into(),
        };
        assert_eq!(
            volume_action_allowed(&v, &here, None, true).unwrap_err(),
            "data is already on that storage pool."
        );
        let there = VolumeAction::Migrate {
            pool_id: "pool2".into(),
        };
        assert_eq!(volume_action_allowed(&v, &there, None, true), Ok(()));
    }

    fn snapshot(state: &str) -> SnapshotRow {
        SnapshotRow {
            id: "s1".into(),
            name: "nightly".into(),
            volume_id: "v1".into(),
            volume_name: "data".into(),
            volume_type: VolumeType::Datadisk,
            snapshot_type: "DAILY".into(),
            state: state.into(),
            virtual_size_bytes: 10 * GIB,
            physical_size_bytes: None,
            zone_id: "z".into(),
            location: None,
            created: "2026-12-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn snapshot_rules() {
        let s = snapshot("BackedUp");
        let running = volume(VolumeType::Datadisk, Some(("db", "Running")), 10);
        assert_eq!(
            snapshot_action_allowed(&s, &SnapshotAction::Revert, Some(&running), true).unwrap_err(),
            "Reverting data needs its VM db stopped; it is Running."
        );
        let stopped = volume(VolumeType::Datadisk, Some(("db", "Stopped")), 10);
        assert_eq!(
            snapshot_action_allowed(&s, &SnapshotAction::Revert, Some(&stopped), true),
            Ok(())
        );
        let detached = volume(VolumeType::Datadisk, None, 10);
        assert_eq!(
            snapshot_action_allowed(&s, &SnapshotAction::Revert, Some(&detached), true),
            Ok(())
        );
        assert!(snapshot_action_allowed(&s, &SnapshotAction::Revert, None, true).is_err());
        assert!(
            snapshot_action_allowed(
                &snapshot("Creating"),
                &SnapshotAction::Revert,
                Some(&stopped),
                true
            )
            .is_err()
        );
        assert!(
            snapshot_action_allowed(&snapshot("Creating"), &SnapshotAction::Delete, None, true)
                .is_err()
        );
        assert_eq!(
            snapshot_action_allowed(&s, &SnapshotAction::Delete, None, true),
            Ok(())
        );
        assert_eq!(
            snapshot_action_allowed(
                &s,
                &SnapshotAction::ToVolume { name: " ".into() },
                None,
                true
            )
            .unwrap_err(),
            "Give the new name."
        );
        assert_eq!(
            snapshot_action_allowed(
                &s,
                &SnapshotAction::ToTemplate {
                    name: "t".into(),
                    os_type_id: "".into()
                },
                None,
                true
            )
            .unwrap_err(),
            "Choose the template's OS type."
        );
    }

    fn vm_snap(kind: VmSnapshotType, state: &str) -> VmSnapshotRow {
        VmSnapshotRow {
            id: "vs".into(),
            name: "before-upgrade".into(),
            display_name: "before-upgrade".into(),
            description: None,
            vm_id: "vm".into(),
            vm_name: "web".into(),
            snapshot_type: kind,
            state: state.into(),
            current: true,
            parent_id: None,
            parent_name: None,
            created: "2026-12-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn vm_snapshot_rules() {
        let req = |memory| CreateVmSnapshot {
            vm_id: "vm".into(),
            name: None,
            description: None,
            memory,
            quiesce: false,
        };
        assert_eq!(vm_snapshot_allowed("Running", &req(true), true), Ok(()));
        assert_eq!(vm_snapshot_allowed("Stopped", &req(false), true), Ok(()));
        assert_eq!(
            vm_snapshot_allowed("Stopped", &req(true), true).unwrap_err(),
            "Can not snapshot memory when VM is not in Running state"
        );
        assert!(vm_snapshot_allowed("Starting", &req(false), true).is_err());
        let disk = vm_snap(VmSnapshotType::Disk, "Ready");
        assert_eq!(
            vm_snapshot_action_allowed(&disk, VmSnapshotAction::Revert, "Running", true)
                .unwrap_err(),
            "before-upgrade holds the disks only: stop the VM web before reverting to it."
        );
        assert_eq!(
            vm_snapshot_action_allowed(&disk, VmSnapshotAction::Revert, "Stopped", true),
            Ok(())
        );
        let mem = vm_snap(VmSnapshotType::DiskAndMemory, "Ready");
        assert_eq!(
            vm_snapshot_action_allowed(&mem, VmSnapshotAction::Revert, "Running", true),
            Ok(())
        );
        assert!(
            vm_snapshot_action_allowed(&mem, VmSnapshotAction::Revert, "Migrating", true).is_err()
        );
        let busy = vm_snap(VmSnapshotType::DiskAndMemory, "Creating");
        assert!(
            vm_snapshot_action_allowed(&busy, VmSnapshotAction::Revert, "Running", true).is_err()
        );
        assert!(
            vm_snapshot_action_allowed(&busy, VmSnapshotAction::Delete, "Running", true).is_err()
        );
        assert_eq!(
            vm_snapshot_action_allowed(&mem, VmSnapshotAction::Delete, "Running", true),
            Ok(())
        );
        assert_eq!(
            vm_snapshot_action_allowed(&mem, VmSnapshotAction::Delete, "Running", false)
                .unwrap_err(),
            OFFLINE
        );
    }
}
