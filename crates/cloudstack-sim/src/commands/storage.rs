//! Volumes and primary storage pools: create, attach, detach, resize, migrate, delete, list.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply, submit_op};
use crate::error::ApiError;
use crate::state::jobs::{Action, Op, with_pending};
use crate::state::model::{VmState, Volume};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

/// CloudStack's `custom.diskoffering.size.max` default (GiB).
const MAX_CUSTOM_GB: i64 = 1024;
/// The highest data disk device id accepted on KVM.
const MAX_DEVICE_ID: i64 = 15;

/// The first pool of a zone (pools are made two per zone, in zone order).
pub(crate) fn default_pool(_s: &State, zone: usize) -> usize {
    zone * 2
}

/// The `volume` object.
pub(crate) fn volume_json(s: &State, i: usize) -> Value {
    let v = &s.volumes[i];
    let account = &s.accounts[v.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[v.zone];
    let pool_name = s
        .pools
        .get(v.pool)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| format!("primary-{}", zone.name.to_lowercase()));
    let mut out = json!({
        "id": v.id,
        "name": v.name,
        "zoneid": zone.id,
        "zonename": zone.name,
        "type": if v.root { "ROOT" } else { "DATADISK" },
        "size": v.size,
        "created": ts(v.created),
        "state": v.state,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "storagetype": "shared",
        "provisioningtype": "thin",
        "hypervisor": "KVM",
        "storage": pool_name,
        "destroyed": v.state == "Destroy",
        "isextractable": false,
        "displayvolume": true,
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
    if let Some(p) = s.pools.get(v.pool) {
        o.insert("storageid".into(), json!(p.id));
    }
    if let Some(vm) = v.vm {
        let vm = &s.vms[vm];
        o.insert("virtualmachineid".into(), json!(vm.id));
        o.insert("vmname".into(), json!(vm.name));
        o.insert("vmdisplayname".into(), json!(vm.display));
        o.insert("vmstate".into(), json!(vm.state.as_str()));
        o.insert("vmtype".into(), json!("User"));
        if v.root {
            let so = &s.service_offerings[vm.offering];
            o.insert("serviceofferingid".into(), json!(so.id));
            o.insert("serviceofferingname".into(), json!(so.name));
            o.insert("serviceofferingdisplaytext".into(), json!(so.display));
        }
    }
    if let Some(d) = v.device_id {
        o.insert("deviceid".into(), json!(d));
    }
    if let Some(t) = v.attached {
        o.insert("attached".into(), json!(ts(t)));
    }
    if let Some(d) = v.disk_offering {
        let d = &s.disk_offerings[d];
        o.insert("diskofferingid".into(), json!(d.id));
        o.insert("diskofferingname".into(), json!(d.name));
        o.insert("diskofferingdisplaytext".into(), json!(d.display));
    }
    if let Some(x) = v.min_iops {
        o.insert("miniops".into(), json!(x));
    }
    if let Some(x) = v.max_iops {
        o.insert("maxiops".into(), json!(x));
    }
    if let Some(sn) = v.from_snapshot {
        o.insert("snapshotid".into(), json!(s.snapshots[sn].id));
    }
    if let Some(t) = v.template {
        let t = &s.templates[t];
        o.insert("templateid".into(), json!(t.id));
        o.insert("templatename".into(), json!(t.name));
        o.insert("templatedisplaytext".into(), json!(t.display));
    }
    with_pending(out, s.pending(v.pending_job))
}

/// listVolumes.
pub(crate) fn list_volumes(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let zone = s.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let vm = p.get("virtualmachineid");
    let mut ids = p.list("ids");
    if let Some(id) = p.get("id") {
        ids.push(id.to_string());
    }
    let name = p.get("name");
    let kind = p.get("type");
    let state = p.get("state");
    let keyword = p.get("keyword");
    let pool = p.get("storageid");
    let matching: Vec<usize> = (0..s.volumes.len())
        .filter(|&i| {
            let v = &s.volumes[i];
            !v.removed
                && scope.allows(v.account)
                && zone.is_none_or(|z| v.zone == z)
                && (ids.is_empty() || ids.contains(&v.id))
                && vm.is_none_or(|id| v.vm.is_some_and(|x| s.vms[x].id == id))
                && name.is_none_or(|n| v.name == n)
                && kind.is_none_or(|k| {
                    k.eq_ignore_ascii_case(if v.root { "ROOT" } else { "DATADISK" })
                })
                && state.is_none_or(|st| v.state.eq_ignore_ascii_case(st))
                && pool.is_none_or(|x| s.pools.get(v.pool).is_some_and(|p| p.id == x))
                && keyword_match(keyword, &[&v.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "volume", &matching, |&i| {
        volume_json(s, i)
    })
}

/// Resolves a volume id parameter the caller may act on.
pub(crate) fn volume_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, name, |r| match r {
        Ref::Volume(v) if !s.volumes[v].removed => Some(v),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.volumes[i].account, &s.volumes[i].id)?;
    Ok(i)
}

/// `miniops`/`maxiops`, allowed only for custom-IOPS offerings.
fn iops(cx: &Ctx, offering: Option<usize>) -> Result<(Option<u64>, Option<u64>), ApiError> {
    let (min, max) = (cx.p.int("miniops")?, cx.p.int("maxiops")?);
    if min.is_none() && max.is_none() {
        return Ok((None, None));
    }
    if !offering.is_some_and(|o| cx.state.disk_offerings[o].custom_iops) {
        return Err(ApiError::invalid(
            "The current disk offering does not support customization of the 'Min IOPS' or 'Max IOPS' parameters.",
        ));
    }
    if min.is_some_and(|x| x <= 0) || max.is_some_and(|x| x <= 0) {
        return Err(ApiError::invalid(
            "The 'Min IOPS' and 'Max IOPS' parameters must be greater than 0.",
        ));
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(ApiError::invalid(
            "The 'Min IOPS' parameter must be less than or equal to the 'Max IOPS' parameter.",
        ));
    }
    Ok((min.map(|x| x as u64), max.map(|x| x as u64)))
}

/// A custom size in GiB: required and within range.
fn custom_size(cx: &Ctx) -> Result<u64, ApiError> {
    let gb = cx
        .p
        .int("size")?
        .ok_or_else(|| ApiError::invalid("This disk offering requires a custom size specified"))?;
    if !(1..=MAX_CUSTOM_GB).contains(&gb) {
        return Err(ApiError::invalid(format!(
            "Volume size: {gb} GB is out of allowed range. Max: {MAX_CUSTOM_GB} Min:1"
        )));
    }
    Ok((gb as u64) << 30)
}

/// createVolume (asynchronous): from a disk offering or a snapshot; attached when a VM is given.
pub(crate) fn create_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let offering = cx.state.lookup_opt(p, "diskofferingid", |r| match r {
        Ref::DiskOffering(d) => Some(d),
        _ => None,
    })?;
    let snapshot = cx.state.lookup_opt(p, "snapshotid", |r| match r {
        Ref::Snapshot(x) if !cx.state.snapshots[x].removed => Some(x),
        _ => None,
    })?;
    if offering.is_none() && snapshot.is_none() {
        return Err(ApiError::invalid(
            "Either disk Offering Id or snapshot Id must be passed whilst creating volume",
        ));
    }
    if let Some(sn) = snapshot {
        let snap = &cx.state.snapshots[sn];
        cx.state.check_access(&cx.caller, snap.account, &snap.id)?;
        if snap.state != "BackedUp" {
            return Err(ApiError::invalid(format!(
                "Snapshot id={} is not in BackedUp state yet and can't be used for volume creation",
                snap.id
            )));
        }
    }
    let zone = match (
        cx.state.lookup_opt(p, "zoneid", |r| match r {
            Ref::Zone(z) => Some(z),
            _ => None,
        })?,
        snapshot,
    ) {
        (Some(z), Some(sn)) if cx.state.snapshots[sn].zone != z => {
            return Err(ApiError::invalid(
                "Creating a volume from a snapshot in another zone is not supported",
            ));
        }
        (Some(z), _) => z,
        (None, Some(sn)) => cx.state.snapshots[sn].zone,
        (None, None) => return Err(ApiError::invalid("Please specify zone id")),
    };
    let size = match (offering, snapshot) {
        (_, Some(sn)) => {
            if p.get("size").is_some()
                && !offering.is_some_and(|o| cx.state.disk_offerings[o].customized)
            {
                return Err(ApiError::invalid(
                    "A volume created from a snapshot takes the snapshot's size; size can be given only with a custom disk offering",
                ));
            }
            match offering {
                Some(o) if cx.state.disk_offerings[o].customized && p.get("size").is_some() => {
                    let size = custom_size(cx)?;
                    if size < cx.state.snapshots[sn].virtual_size {
                        return Err(ApiError::invalid(
                            "The size of the volume can't be smaller than the size of the snapshot",
                        ));
                    }
                    size
                }
                _ => cx.state.snapshots[sn].virtual_size,
            }
        }
        (Some(o), None) if cx.state.disk_offerings[o].customized => custom_size(cx)?,
        (Some(o), None) => {
            if p.get("size").is_some() {
                return Err(ApiError::invalid(format!(
                    "Disk offering {} is not customizable: size can't be specified",
                    cx.state.disk_offerings[o].id
                )));
            }
            cx.state.disk_offerings[o].size_gb << 30
        }
        (None, None) => unreachable!("checked above"),
    };
    let (min_iops, max_iops) = iops(cx, offering)?;
    let vm = match p.get("virtualmachineid") {
        Some(_) => {
            let vm = super::vms::vm_param(cx, "virtualmachineid")?;
            check_attach_target(cx.state, zone, vm)?;
            Some(vm)
        }
        None => None,
    };
    let pool = match p.get("storageid") {
        None => default_pool(cx.state, zone),
        Some(_) => {
            if !cx.caller.is_root() {
                return Err(ApiError::permission_denied(
                    "Parameter storageid can only be specified by a Root Admin",
                ));
            }
            pool_param(cx, "storageid", zone)?
        }
    };
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    super::limits::check_held(cx.state, account, 2, 1)?;
    super::limits::check_held(cx.state, account, 10, size.div_ceil(1 << 30))?;
    let s = &mut *cx.state;
    let idx = s.volumes.len();
    let id = s.rng.uuid();
    let name = p
        .get("name")
        .map(String::from)
        .unwrap_or_else(|| format!("DATA-{}", idx + 1));
    s.volumes.push(Volume {
        id: id.clone(),
        name: name.clone(),
        zone,
        account,
        root: false,
        size,
        disk_offering: offering
            .or_else(|| snapshot.and_then(|sn| s.volumes[s.snapshots[sn].volume].disk_offering)),
        vm: None,
        device_id: None,
        state: "Allocated",
        created: OffsetDateTime::now_utc(),
        attached: None,
        template: None,
        pending_job: None,
        removed: false,
        removed_at: None,
        min_iops,
        max_iops,
        pool,
        from_snapshot: snapshot,
    });
    s.index(&id, Ref::Volume(idx));
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.volume.CreateVolumeCmd",
        Some(("Volume", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateVolume(idx),
    );
    s.volumes[idx].pending_job = Some(job);
    if let Some(vm) = vm {
        s.ops.insert(
            job,
            Op::AttachVolume {
                volume: idx,
                vm,
                device: None,
            },
        );
    }
    s.event(
        &cx.caller,
        "VOLUME.CREATE",
        format!("Creating volume {name}"),
        Some(("Volume", id.clone(), name)),
        OffsetDateTime::now_utc(),
    );
    Ok(created_reply(s, &id, job))
}

fn check_attach_target(s: &State, zone: usize, vm: usize) -> Result<(), ApiError> {
    if zone != s.vms[vm].zone {
        return Err(ApiError::invalid(
            "Please specify a VM that is in the same zone as the volume.",
        ));
    }
    if !matches!(s.vms[vm].state, VmState::Running | VmState::Stopped) {
        return Err(ApiError::invalid(
            "Please specify a VM that is either running or stopped.",
        ));
    }
    Ok(())
}

fn busy(s: &State, v: usize) -> Result<(), ApiError> {
    if s.pending(s.volumes[v].pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "There is another job in progress on volume {}; please try again later",
            s.volumes[v].id
        )));
    }
    Ok(())
}

/// attachVolume (asynchronous).
pub(crate) fn attach_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "id")?;
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let device = cx.p.int("deviceid")?;
    let s = &*cx.state;
    let v = &s.volumes[vol];
    if v.root {
        return Err(ApiError::invalid(
            "Please specify a volume with the valid type: DATADISK",
        ));
    }
    if let Some(other) = v.vm {
        return Err(ApiError::invalid(format!(
            "Volume {} is already attached to VM {}",
            v.id, s.vms[other].id
        )));
    }
    if !matches!(v.state, "Ready" | "Allocated") {
        return Err(ApiError::invalid(format!(
            "Volume {} is in state {}; only Ready or Allocated volumes can be attached",
            v.id, v.state
        )));
    }
    busy(s, vol)?;
    check_attach_target(s, v.zone, vm)?;
    if let Some(d) = device {
        if d <= 0 || d > MAX_DEVICE_ID {
            return Err(ApiError::invalid(format!(
                "deviceId should be 1 ~ {MAX_DEVICE_ID}"
            )));
        }
        if d == 3 {
            return Err(ApiError::invalid("deviceId 3 is reserved for CD-ROM"));
        }
        if s.volumes
            .iter()
            .any(|x| !x.removed && x.vm == Some(vm) && x.device_id == Some(d as u32))
        {
            return Err(ApiError::invalid(format!(
                "deviceId {d} is used by vm {}",
                s.vms[vm].id
            )));
        }
    }
    let id = v.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.volume.AttachVolumeCmd",
        Some(("Volume", id)),
        Op::AttachVolume {
            volume: vol,
            vm,
            device: device.map(|d| d as u32),
        },
    );
    cx.state.volumes[vol].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// detachVolume (asynchronous): by `id`, or by `virtualmachineid` + `deviceid`.
pub(crate) fn detach_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = if cx.p.get("id").is_some() {
        volume_param(cx, "id")?
    } else if cx.p.get("virtualmachineid").is_some() && cx.p.get("deviceid").is_some() {
        let vm = super::vms::vm_param(cx, "virtualmachineid")?;
        let d = cx.p.int("deviceid")?.unwrap_or(-1);
        cx.state
            .volumes
            .iter()
            .position(|x| !x.removed && x.vm == Some(vm) && x.device_id.map(i64::from) == Some(d))
            .ok_or_else(|| {
                ApiError::invalid("Unable to find volume with the specified device id on the VM")
            })?
    } else {
        return Err(ApiError::invalid(
            "Please provide either a volume id, or a tuple(device id, instance id)",
        ));
    };
    let s = &*cx.state;
    let v = &s.volumes[vol];
    if v.root {
        return Err(ApiError::invalid(
            "Can't detach a ROOT volume; please specify a data volume",
        ));
    }
    let Some(vm) = v.vm else {
        return Err(ApiError::invalid(
            "Please specify a volume that is attached to a VM.",
        ));
    };
    busy(s, vol)?;
    if !matches!(
        s.vms[vm].state,
        VmState::Running | VmState::Stopped | VmState::Destroyed
    ) {
        return Err(ApiError::invalid(
            "Please specify a VM that is either running or stopped.",
        ));
    }
    let id = v.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.volume.DetachVolumeCmd",
        Some(("Volume", id)),
        Op::DetachVolume(vol),
    );
    cx.state.volumes[vol].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// resizeVolume (asynchronous): grow freely, shrink only with `shrinkok=true`.
pub(crate) fn resize_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "id")?;
    let new_offering = cx.state.lookup_opt(cx.p, "diskofferingid", |r| match r {
        Ref::DiskOffering(d) => Some(d),
        _ => None,
    })?;
    let s = &*cx.state;
    let v = &s.volumes[vol];
    if !matches!(v.state, "Ready" | "Allocated") {
        return Err(ApiError::invalid(format!(
            "Volume should be in ready or allocated state before attempting a resize. Volume {} is in state {}.",
            v.id, v.state
        )));
    }
    busy(s, vol)?;
    let current = v.size;
    let custom_current = v
        .disk_offering
        .is_some_and(|o| s.disk_offerings[o].customized);
    let offering = new_offering.filter(|o| Some(*o) != v.disk_offering);
    let new_size = match offering {
        Some(o) if s.disk_offerings[o].customized => custom_size(cx)?,
        Some(o) => {
            if v.root {
                return Err(ApiError::invalid(
                    "A ROOT volume can only be resized with a size, not to a fixed-size disk offering",
                ));
            }
            s.disk_offerings[o].size_gb << 30
        }
        None if cx.p.get("size").is_some() => {
            if !custom_current && !v.root {
                return Err(ApiError::invalid(
                    "To change a volume's size without providing a new disk offering, its current disk offering must be customizable or it must be a root volume (if providing a disk offering, make sure it is different from the current disk offering).",
                ));
            }
            custom_size(cx)?
        }
        None => current,
    };
    let iops = iops(cx, offering.or(v.disk_offering))?;
    if new_size < current {
        if v.root {
            return Err(ApiError::invalid(
                "Shrink operation on ROOT volume not supported",
            ));
        }
        if !cx.p.flag_or("shrinkok", false) {
            return Err(ApiError::invalid(format!(
                "Going from existing size of {current} to size of {new_size} would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true."
            )));
        }
    }
    if new_size > current {
        let grow = new_size.div_ceil(1 << 30) - current.div_ceil(1 << 30);
        super::limits::check_held(s, v.account, 10, grow)?;
    }
    let id = v.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.volume.ResizeVolumeCmd",
        Some(("Volume", id)),
        Op::ResizeVolume {
            volume: vol,
            size: new_size,
            offering,
            iops,
        },
    );
    let v = &mut cx.state.volumes[vol];
    v.pending_job = Some(job);
    if v.state == "Ready" {
        v.state = "Resizing";
    }
    Ok(super::job_reply(cx.state, job))
}

fn pool_param(cx: &Ctx, name: &str, zone: usize) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let pool = s.lookup(cx.p, name, |r| match r {
        Ref::StoragePool(x) => Some(x),
        _ => None,
    })?;
    if s.pools[pool].zone != zone {
        return Err(ApiError::invalid(format!(
            "Storage pool {} is not in the zone of the volume",
            s.pools[pool].id
        )));
    }
    Ok(pool)
}

/// migrateVolume (asynchronous, root admins): to another pool of the zone.
pub(crate) fn migrate_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "volumeid")?;
    let zone = cx.state.volumes[vol].zone;
    let pool = pool_param(cx, "storageid", zone)?;
    let s = &*cx.state;
    let v = &s.volumes[vol];
    if v.state != "Ready" {
        return Err(ApiError::invalid(format!(
            "Volume must be in ready state; volume {} is in state {}",
            v.id, v.state
        )));
    }
    busy(s, vol)?;
    if v.pool == pool {
        return Err(ApiError::invalid(format!(
            "Volume {} is already on storage pool {}",
            v.id, s.pools[pool].name
        )));
    }
    if let Some(vm) = v.vm
        && s.vms[vm].state == VmState::Running
        && !cx.p.flag_or("livemigrate", false)
    {
        return Err(ApiError::invalid(
            "Volume needs to be detached from VM, or the VM stopped, or livemigrate=true specified",
        ));
    }
    let id = v.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.admin.volume.MigrateVolumeCmdByAdmin",
        Some(("Volume", id)),
        Op::MigrateVolume { volume: vol, pool },
    );
    cx.state.volumes[vol].pending_job = Some(job);
    cx.state.volumes[vol].state = "Migrating";
    Ok(super::job_reply(cx.state, job))
}

/// deleteVolume (synchronous): only a detached data volume.
pub(crate) fn delete_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "id")?;
    let s = &mut *cx.state;
    let v = &s.volumes[vol];
    if v.vm.is_some() {
        return Err(ApiError::invalid(
            "Please specify a volume that is not attached to any VM.",
        ));
    }
    if v.root {
        return Err(ApiError::invalid(
            "Please specify a volume with the valid type: DATADISK",
        ));
    }
    if s.pending(v.pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "There is another job in progress on volume {}; please try again later",
            v.id
        )));
    }
    let now = OffsetDateTime::now_utc();
    let (id, name) = (v.id.clone(), v.name.clone());
    let v = &mut s.volumes[vol];
    v.removed = true;
    v.removed_at = Some(now);
    v.state = "Expunged";
    for p in s.snapshot_policies.iter_mut().filter(|p| p.volume == vol) {
        p.removed = true;
    }
    s.event(
        &cx.caller,
        "VOLUME.DELETE",
        format!("Volume Id: {id}"),
        Some(("Volume", id, name)),
        now,
    );
    Ok(success())
}

/// listStoragePools (root admins).
pub(crate) fn list_pools(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let id = p.get("id");
    let zone = p.get("zoneid");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.pools.len())
        .filter(|&i| {
            let pool = &s.pools[i];
            id.is_none_or(|x| pool.id == x)
                && zone.is_none_or(|x| s.zones[pool.zone].id == x)
                && name.is_none_or(|x| pool.name == x)
                && keyword_match(keyword, &[&pool.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "storagepool", &matching, |&i| {
        let pool = &s.pools[i];
        let zone = &s.zones[pool.zone];
        let used: u64 = s
            .volumes
            .iter()
            .filter(|v| !v.removed && v.pool == i)
            .map(|v| v.size)
            .sum();
        json!({
            "id": pool.id,
            "name": pool.name,
            "zoneid": zone.id,
            "zonename": zone.name,
            "type": "NetworkFilesystem",
            "scope": "ZONE",
            "hypervisor": "KVM",
            "state": "Up",
            "path": format!("/export/{}", pool.name),
            "ipaddress": format!("10.0.{}.{}", pool.zone, 10 + i % 200),
            "disksizetotal": pool.capacity,
            "disksizeallocated": used,
            "disksizeused": used / 2,
            "overprovisionfactor": "2.0",
            "storagecapabilities": {},
            "created": ts(pool.created),
            "tags": "",
        })
    })
}

/// Completes volume jobs (created volumes, and the volume operations kept in ops).
pub(crate) fn complete(
    s: &mut State,
    job: usize,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    match action {
        Action::CreateVolume(v) => {
            s.volumes[v].pending_job = None;
            if let Some(Op::AttachVolume { volume, vm, device }) = s.ops.remove(&job) {
                s.volumes[v].state = "Ready";
                return attach(s, volume, vm, device, when);
            }
            Ok(json!({ "volume": volume_json(s, v) }))
        }
        Action::CreateSnapshot(_) => super::snapshots::complete_create(s, action),
        _ => unreachable!("not a storage job"),
    }
}

fn attach(
    s: &mut State,
    volume: usize,
    vm: usize,
    device: Option<u32>,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    s.volumes[volume].pending_job = None;
    if s.vms[vm].removed || !matches!(s.vms[vm].state, VmState::Running | VmState::Stopped) {
        return Err(ApiError::invalid(
            "Please specify a VM that is either running or stopped.",
        ));
    }
    let used: Vec<u32> = s
        .volumes
        .iter()
        .filter(|x| x.vm == Some(vm) && !x.removed)
        .filter_map(|x| x.device_id)
        .collect();
    let device = device
        .filter(|d| !used.contains(d))
        .unwrap_or_else(|| (1..).find(|d| *d != 3 && !used.contains(d)).unwrap_or(1));
    let v = &mut s.volumes[volume];
    v.vm = Some(vm);
    v.device_id = Some(device);
    v.attached = Some(when);
    v.state = "Ready";
    Ok(json!({ "volume": volume_json(s, volume) }))
}

/// Completes volume operations.
pub(crate) fn complete_op(s: &mut State, op: Op, when: OffsetDateTime) -> Result<Value, ApiError> {
    match op {
        Op::AttachVolume { volume, vm, device } => attach(s, volume, vm, device, when),
        Op::DetachVolume(volume) => {
            let v = &mut s.volumes[volume];
            v.pending_job = None;
            v.vm = None;
            v.device_id = None;
            v.attached = None;
            Ok(json!({ "volume": volume_json(s, volume) }))
        }
        Op::ResizeVolume {
            volume,
            size,
            offering,
            iops,
        } => {
            let v = &mut s.volumes[volume];
            v.pending_job = None;
            if v.state == "Resizing" {
                v.state = "Ready";
            }
            v.size = size;
            if offering.is_some() {
                v.disk_offering = offering;
            }
            if iops.0.is_some() {
                v.min_iops = iops.0;
            }
            if iops.1.is_some() {
                v.max_iops = iops.1;
            }
            Ok(json!({ "volume": volume_json(s, volume) }))
        }
        Op::MigrateVolume { volume, pool } => {
            let v = &mut s.volumes[volume];
            v.pending_job = None;
            v.state = "Ready";
            v.pool = pool;
            Ok(json!({ "volume": volume_json(s, volume) }))
        }
        _ => unreachable!("not a volume operation"),
    }
}
