//! Volumes and snapshots.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, created_reply};
use crate::error::ApiError;
use crate::state::jobs::{Action, with_pending};
use crate::state::model::{Snapshot, VmState, Volume};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, ts};

/// The `volume` object.
pub(crate) fn volume_json(s: &State, i: usize) -> Value {
    let v = &s.volumes[i];
    let account = &s.accounts[v.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[v.zone];
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
        "storage": format!("primary-{}", zone.name.to_lowercase()),
        "destroyed": v.state == "Destroy",
        "isextractable": false,
        "displayvolume": true,
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
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
                && keyword_match(keyword, &[&v.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "volume", &matching, |&i| {
        volume_json(s, i)
    })
}

fn volume_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, name, |r| match r {
        Ref::Volume(v) if !s.volumes[v].removed => Some(v),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.volumes[i].account, &s.volumes[i].id)?;
    Ok(i)
}

/// createVolume (asynchronous).
pub(crate) fn create_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let offering = cx.state.lookup_opt(p, "diskofferingid", |r| match r {
        Ref::DiskOffering(d) => Some(d),
        _ => None,
    })?;
    let snapshot = cx.state.lookup_opt(p, "snapshotid", |r| match r {
        Ref::Snapshot(x) => Some(x),
        _ => None,
    })?;
    if offering.is_none() && snapshot.is_none() {
        return Err(ApiError::invalid(
            "Either disk Offering Id or snapshot Id must be passed whilst creating volume",
        ));
    }
    let zone = match (
        cx.state.lookup_opt(p, "zoneid", |r| match r {
            Ref::Zone(z) => Some(z),
            _ => None,
        })?,
        snapshot,
    ) {
        (Some(z), _) => z,
        (None, Some(sn)) => cx.state.snapshots[sn].zone,
        (None, None) => return Err(ApiError::invalid("Please specify zone id")),
    };
    let size = match (offering, snapshot) {
        (Some(o), _) if cx.state.disk_offerings[o].customized => {
            let gb = p.int("size")?.ok_or_else(|| {
                ApiError::invalid("This disk offering requires a custom size specified")
            })?;
            if gb <= 0 {
                return Err(ApiError::invalid(format!("Invalid size {gb}")));
            }
            (gb as u64) << 30
        }
        (Some(o), _) => cx.state.disk_offerings[o].size_gb << 30,
        (None, Some(sn)) => cx.state.volumes[cx.state.snapshots[sn].volume].size,
        (None, None) => unreachable!("checked above"),
    };
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let s = &mut *cx.state;
    let idx = s.volumes.len();
    let id = s.rng.uuid();
    let name = p
        .get("name")
        .map(String::from)
        .unwrap_or_else(|| format!("DATA-{}", idx + 1));
    s.volumes.push(Volume {
        id: id.clone(),
        name,
        zone,
        account,
        root: false,
        size,
        disk_offering: offering,
        vm: None,
        device_id: None,
        state: "Allocated",
        created: OffsetDateTime::now_utc(),
        attached: None,
        template: None,
        pending_job: None,
        removed: false,
        removed_at: None,
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
    Ok(created_reply(s, &id, job))
}

/// attachVolume (asynchronous).
pub(crate) fn attach_volume(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "id")?;
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let s = &mut *cx.state;
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
    if v.zone != s.vms[vm].zone {
        return Err(ApiError::invalid(
            "Please specify a VM that is in the same zone as the volume.",
        ));
    }
    if !matches!(s.vms[vm].state, VmState::Running | VmState::Stopped) {
        return Err(ApiError::invalid(
            "Please specify a VM that is either running or stopped.",
        ));
    }
    let id = v.id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.volume.AttachVolumeCmd",
        Some(("Volume", id)),
        s.knobs.job_delay,
        None,
        Action::AttachVolume { volume: vol, vm },
    );
    s.volumes[vol].pending_job = Some(job);
    Ok(super::job_reply(s, job))
}

/// createSnapshot (asynchronous).
pub(crate) fn create_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "volumeid")?;
    let s = &mut *cx.state;
    let v = &s.volumes[vol];
    if v.state != "Ready" {
        return Err(ApiError::invalid(format!(
            "VolumeId: {} is not in Ready state but {}. Cannot take snapshot.",
            v.id, v.state
        )));
    }
    let idx = s.snapshots.len();
    let id = s.rng.uuid();
    let now = OffsetDateTime::now_utc();
    let name =
        cx.p.get("name")
            .map(String::from)
            .unwrap_or_else(|| format!("{}_{}", v.name, now.unix_timestamp()));
    s.snapshots.push(Snapshot {
        id: id.clone(),
        name,
        volume: vol,
        account: v.account,
        zone: v.zone,
        state: "Allocated",
        size: v.size / 4,
        created: now,
        pending_job: None,
        removed: false,
    });
    s.index(&id, Ref::Snapshot(idx));
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotCmd",
        Some(("Snapshot", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateSnapshot(idx),
    );
    s.snapshots[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

/// The `snapshot` object.
pub(crate) fn snapshot_json(s: &State, i: usize) -> Value {
    let sn = &s.snapshots[i];
    let v = &s.volumes[sn.volume];
    let account = &s.accounts[sn.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[sn.zone];
    let out = json!({
        "id": sn.id,
        "name": sn.name,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "snapshottype": "MANUAL",
        "intervaltype": "MANUAL",
        "volumeid": v.id,
        "volumename": v.name,
        "volumetype": if v.root { "ROOT" } else { "DATADISK" },
        "volumestate": v.state,
        "created": ts(sn.created),
        "state": sn.state,
        "physicalsize": sn.size,
        "virtualsize": v.size,
        "zoneid": zone.id,
        "zonename": zone.name,
        "locationtype": "PRIMARY",
        "revertable": true,
        "tags": [],
    });
    with_pending(out, s.pending(sn.pending_job))
}

/// listSnapshots.
pub(crate) fn list_snapshots(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let volume = p.get("volumeid");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let zone = p.get("zoneid");
    let matching: Vec<usize> = (0..s.snapshots.len())
        .filter(|&i| {
            let sn = &s.snapshots[i];
            !sn.removed
                && scope.allows(sn.account)
                && id.is_none_or(|x| sn.id == x)
                && volume.is_none_or(|x| s.volumes[sn.volume].id == x)
                && zone.is_none_or(|x| s.zones[sn.zone].id == x)
                && name.is_none_or(|x| sn.name == x)
                && keyword_match(keyword, &[&sn.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "snapshot", &matching, |&i| {
        snapshot_json(s, i)
    })
}

/// Completes volume and snapshot jobs.
pub(crate) fn complete(
    s: &mut State,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    match action {
        Action::CreateVolume(v) => {
            s.volumes[v].pending_job = None;
            Ok(json!({ "volume": volume_json(s, v) }))
        }
        Action::AttachVolume { volume, vm } => {
            s.volumes[volume].pending_job = None;
            if s.vms[vm].removed || s.vms[vm].state == VmState::Destroyed {
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
            let device = (1..).find(|d| *d != 3 && !used.contains(d)).unwrap_or(1);
            let v = &mut s.volumes[volume];
            v.vm = Some(vm);
            v.device_id = Some(device);
            v.attached = Some(when);
            v.state = "Ready";
            Ok(json!({ "volume": volume_json(s, volume) }))
        }
        Action::CreateSnapshot(sn) => {
            s.snapshots[sn].pending_job = None;
            s.snapshots[sn].state = "BackedUp";
            Ok(json!({ "snapshot": snapshot_json(s, sn) }))
        }
        _ => unreachable!("not a storage job"),
    }
}
