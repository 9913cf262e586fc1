//! Volume snapshots and their policies, templates from snapshots, VM snapshots.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::storage::volume_param;
use super::{Ctx, created_reply, submit_op};
use crate::error::ApiError;
use crate::state::jobs::{Action, Op, with_pending};
use crate::state::model::{Snapshot, SnapshotPolicy, Template, VmSnapshot, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

/// `snapshot.max.hourly|daily|weekly|monthly` defaults.
const MAX_SNAPS: i64 = 8;
const INTERVALS: [&str; 4] = ["HOURLY", "DAILY", "WEEKLY", "MONTHLY"];

/// Adds a snapshot of a volume and returns its index.
pub(crate) fn add_snapshot(
    s: &mut State,
    volume: usize,
    name: Option<String>,
    state: &'static str,
    interval: &'static str,
    when: OffsetDateTime,
) -> usize {
    let idx = s.snapshots.len();
    let id = s.rng.uuid();
    let v = &s.volumes[volume];
    let name = name.unwrap_or_else(|| format!("{}_{}", v.name, when.unix_timestamp()));
    s.snapshots.push(Snapshot {
        id: id.clone(),
        name,
        volume,
        account: v.account,
        zone: v.zone,
        state,
        size: v.size / 4,
        created: when,
        pending_job: None,
        removed: false,
        removed_at: None,
        interval,
        virtual_size: v.size,
    });
    s.index(&id, Ref::Snapshot(idx));
    idx
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
    super::limits::check_held(s, v.account, 3, 1)?;
    let interval = match s.lookup_opt(cx.p, "policyid", |r| match r {
        Ref::SnapshotPolicy(x) if !s.snapshot_policies[x].removed => Some(x),
        _ => None,
    })? {
        Some(p) if s.snapshot_policies[p].volume != vol => {
            return Err(ApiError::invalid(format!(
                "Policy id={} does not belong to volume id={}",
                s.snapshot_policies[p].id, v.id
            )));
        }
        Some(p) => s.snapshot_policies[p].interval,
        None => "MANUAL",
    };
    let now = OffsetDateTime::now_utc();
    let idx = add_snapshot(
        s,
        vol,
        cx.p.get("name").map(String::from),
        "Allocated",
        interval,
        now,
    );
    let id = s.snapshots[idx].id.clone();
    let sname = s.snapshots[idx].name.clone();
    s.event(
        &cx.caller,
        "SNAPSHOT.CREATE",
        format!("Creating snapshot {sname}"),
        Some(("Snapshot", id.clone(), sname)),
        now,
    );
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotCmd",
        Some(("Snapshot", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateSnapshot(idx),
    );
    s.snapshots[idx].pending_job = Some(job);
    s.snapshots[idx].state = "Creating";
    Ok(created_reply(s, &id, job))
}

/// The latest live snapshot of a volume.
fn latest(s: &State, volume: usize) -> Option<usize> {
    (0..s.snapshots.len())
        .filter(|&i| !s.snapshots[i].removed && s.snapshots[i].volume == volume)
        .max_by_key(|&i| (s.snapshots[i].created, i))
}

/// The `snapshot` object.
pub(crate) fn snapshot_json(s: &State, i: usize) -> Value {
    let sn = &s.snapshots[i];
    let v = &s.volumes[sn.volume];
    let account = &s.accounts[sn.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[sn.zone];
    let revertable = !v.removed && latest(s, sn.volume) == Some(i) && sn.state == "BackedUp";
    let out = json!({
        "id": sn.id,
        "name": sn.name,
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "snapshottype": if sn.interval == "MANUAL" { "MANUAL" } else { "RECURRING" },
        "intervaltype": sn.interval,
        "volumeid": v.id,
        "volumename": v.name,
        "volumetype": if v.root { "ROOT" } else { "DATADISK" },
        "volumestate": v.state,
        "created": ts(sn.created),
        "state": sn.state,
        "physicalsize": sn.size,
        "virtualsize": sn.virtual_size,
        "zoneid": zone.id,
        "zonename": zone.name,
        "locationtype": "PRIMARY",
        "revertable": revertable,
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
    let ids = p.list("ids");
    let volume = p.get("volumeid");
    let name = p.get("name");
    let keyword = p.get("keyword");
    let zone = p.get("zoneid");
    let interval = p.get("intervaltype");
    let kind = p.get("snapshottype");
    let matching: Vec<usize> = (0..s.snapshots.len())
        .filter(|&i| {
            let sn = &s.snapshots[i];
            !sn.removed
                && scope.allows(sn.account)
                && id.is_none_or(|x| sn.id == x)
                && (ids.is_empty() || ids.contains(&sn.id))
                && volume.is_none_or(|x| s.volumes[sn.volume].id == x)
                && zone.is_none_or(|x| s.zones[sn.zone].id == x)
                && name.is_none_or(|x| sn.name == x)
                && interval.is_none_or(|x| sn.interval.eq_ignore_ascii_case(x))
                && kind.is_none_or(|x| {
                    x.eq_ignore_ascii_case(if sn.interval == "MANUAL" {
                        "MANUAL"
                    } else {
                        "RECURRING"
                    })
                })
                && keyword_match(keyword, &[&sn.name])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "snapshot", &matching, |&i| {
        snapshot_json(s, i)
    })
}

fn snapshot_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, name, |r| match r {
        Ref::Snapshot(x) if !s.snapshots[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.snapshots[i].account, &s.snapshots[i].id)?;
    Ok(i)
}

/// deleteSnapshot (asynchronous).
pub(crate) fn delete_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let sn = snapshot_param(cx, "id")?;
    let s = &*cx.state;
    if !matches!(s.snapshots[sn].state, "BackedUp" | "Error" | "Destroying") {
        return Err(ApiError::invalid(format!(
            "Can't delete snapshot {} in state {}",
            s.snapshots[sn].id, s.snapshots[sn].state
        )));
    }
    let id = s.snapshots[sn].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.snapshot.DeleteSnapshotCmd",
        Some(("Snapshot", id)),
        Op::DeleteSnapshot(sn),
    );
    cx.state.snapshots[sn].state = "Destroying";
    cx.state.snapshots[sn].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// revertSnapshot (asynchronous): the volume's latest snapshot, its VM stopped.
pub(crate) fn revert_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let sn = snapshot_param(cx, "id")?;
    let s = &*cx.state;
    let snap = &s.snapshots[sn];
    if snap.state != "BackedUp" {
        return Err(ApiError::invalid(format!(
            "Snapshot {} is not in BackedUp state and can't be used for revert",
            snap.id
        )));
    }
    let v = &s.volumes[snap.volume];
    if v.removed {
        return Err(ApiError::invalid(format!(
            "Can't revert snapshot {}: its volume has been removed",
            snap.id
        )));
    }
    if v.state != "Ready" || s.pending(v.pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "Volume {} is not in Ready state, can't revert to snapshot {}",
            v.id, snap.id
        )));
    }
    if latest(s, snap.volume) != Some(sn) {
        return Err(ApiError::invalid(format!(
            "Unable to revert snapshot {}: only the latest snapshot of volume {} can be reverted to",
            snap.id, v.id
        )));
    }
    if let Some(vm) = v.vm
        && s.vms[vm].state != VmState::Stopped
    {
        return Err(ApiError::invalid(
            "The VM the specified disk is attached to is not in the shutdown state.",
        ));
    }
    let (id, vol) = (snap.id.clone(), snap.volume);
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.snapshot.RevertSnapshotCmd",
        Some(("Snapshot", id)),
        Op::RevertSnapshot(sn),
    );
    cx.state.volumes[vol].pending_job = Some(job);
    cx.state.volumes[vol].state = "Reverting";
    Ok(super::job_reply(cx.state, job))
}

/// createTemplate (asynchronous) from a snapshot, or from the ROOT volume of a stopped VM.
pub(crate) fn create_template(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let name = p.required("name")?.to_string();
    let ostype = p.required("ostypeid")?;
    let Some(os) = cx
        .state
        .templates
        .iter()
        .position(|t| t.ostype_id == ostype)
    else {
        return Err(ApiError::invalid_value(&p.command_lc, "ostypeid", ostype));
    };
    let (snapshot, volume) = match (p.get("snapshotid"), p.get("volumeid")) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::invalid(
                "Failed to create template: specify exactly one of volumeid or snapshotid",
            ));
        }
        (Some(_), None) => {
            let sn = snapshot_param(cx, "snapshotid")?;
            if cx.state.snapshots[sn].state != "BackedUp" {
                return Err(ApiError::invalid(format!(
                    "Snapshot {} is not in BackedUp state yet and can't be used for template creation",
                    cx.state.snapshots[sn].id
                )));
            }
            (Some(sn), cx.state.snapshots[sn].volume)
        }
        (None, Some(_)) => {
            let v = volume_param(cx, "volumeid")?;
            let vol = &cx.state.volumes[v];
            if !vol.root {
                return Err(ApiError::invalid(
                    "Failed to create template: only a ROOT volume can be used",
                ));
            }
            if vol
                .vm
                .is_some_and(|vm| cx.state.vms[vm].state != VmState::Stopped)
            {
                return Err(ApiError::invalid(format!(
                    "Unable to create a template from volume {}: the VM it belongs to is not stopped",
                    vol.id
                )));
            }
            (None, v)
        }
    };
    let public = p.flag_or("ispublic", false);
    if public && !cx.caller.is_admin() && p.flag_or("isfeatured", false) {
        return Err(ApiError::permission_denied(
            "Only admins can create featured templates",
        ));
    }
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    let s = &mut *cx.state;
    let base = &s.templates[os];
    let vol = &s.volumes[volume];
    let idx = s.templates.len();
    let id = s.rng.uuid();
    let tpl = Template {
        id: id.clone(),
        display: p.get("displaytext").unwrap_or(&name).to_string(),
        name,
        ostype_id: base.ostype_id.clone(),
        ostype_name: base.ostype_name.clone(),
        size: snapshot
            .map(|sn| s.snapshots[sn].virtual_size)
            .unwrap_or(vol.size),
        featured: p.flag_or("isfeatured", false) && cx.caller.is_admin(),
        password_enabled: p.flag_or("passwordenabled", false),
        format: "QCOW2",
        hypervisor: "KVM",
        created: OffsetDateTime::now_utc(),
        kind: "USER",
        account,
        public,
        snapshot,
        zone: Some(vol.zone),
        ready: false,
        pending_job: None,
        removed: false,
    };
    s.templates.push(tpl);
    s.index(&id, Ref::Template(idx));
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.template.CreateTemplateCmd",
        Some(("Template", id.clone())),
        Op::CreateTemplate(idx),
    );
    cx.state.templates[idx].pending_job = Some(job);
    Ok(created_reply(cx.state, &id, job))
}

/// deleteTemplate (asynchronous): the caller's own templates, not while VMs use them unless
/// `forced=true`.
pub(crate) fn delete_template(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let t = s.lookup(cx.p, "id", |r| match r {
        Ref::Template(t) if !s.templates[t].removed => Some(t),
        _ => None,
    })?;
    let tpl = &s.templates[t];
    s.check_access(&cx.caller, tpl.account, &tpl.id)?;
    let users: Vec<&str> = s
        .vms
        .iter()
        .filter(|v| !v.removed && v.template == t)
        .map(|v| v.instance_name.as_str())
        .collect();
    if !users.is_empty() && !cx.p.flag_or("forced", false) {
        return Err(ApiError::invalid(format!(
            "Please specify a template that is not currently used by VMs. Currently used by: {}",
            users.join(", ")
        )));
    }
    let id = tpl.id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.template.DeleteTemplateCmd",
        Some(("Template", id)),
        Op::DeleteTemplate(t),
    );
    Ok(super::job_reply(cx.state, job))
}

/// createSnapshotFromVMSnapshot (asynchronous): a volume snapshot out of a VM snapshot.
pub(crate) fn create_from_vm_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vs = vm_snapshot_param(cx)?;
    let vol = volume_param(cx, "volumeid")?;
    let s = &mut *cx.state;
    let x = &s.vm_snapshots[vs];
    if x.state != "Ready" {
        return Err(ApiError::invalid(format!(
            "Creating snapshot from vm snapshot failed due to vm snapshot {} is not in Ready state",
            x.id
        )));
    }
    if s.volumes[vol].vm != Some(x.vm) {
        return Err(ApiError::invalid(format!(
            "Create snapshot from vm snapshot failed due to volume:{} doesn't attach to vm :{}",
            s.volumes[vol].id, s.vms[x.vm].id
        )));
    }
    let now = OffsetDateTime::now_utc();
    let idx = add_snapshot(
        s,
        vol,
        cx.p.get("name").map(String::from),
        "Creating",
        "MANUAL",
        now,
    );
    let id = s.snapshots[idx].id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotFromVMSnapshotCmd",
        Some(("Snapshot", id.clone())),
        s.knobs.job_delay,
        None,
        Action::CreateSnapshot(idx),
    );
    s.snapshots[idx].pending_job = Some(job);
    Ok(created_reply(s, &id, job))
}

/// Checks a schedule (`MM`, `MM:HH`, `MM:HH:DD`) against its interval type, as DateUtil does.
fn schedule_ok(interval: &str, schedule: &str) -> bool {
    let parts: Vec<&str> = schedule.split(':').collect();
    let num = |i: usize, max: u32, min: u32| {
        parts
            .get(i)
            .and_then(|x| x.parse::<u32>().ok())
            .is_some_and(|v| (min..=max).contains(&v))
    };
    match interval {
        "HOURLY" => parts.len() == 1 && num(0, 59, 0),
        "DAILY" => parts.len() == 2 && num(0, 59, 0) && num(1, 23, 0),
        "WEEKLY" => parts.len() == 3 && num(0, 59, 0) && num(1, 23, 0) && num(2, 7, 1),
        "MONTHLY" => parts.len() == 3 && num(0, 59, 0) && num(1, 23, 0) && num(2, 28, 1),
        _ => false,
    }
}

/// A timezone id: `UTC`, `GMT`, offsets like `GMT+05:30`, or a tz database name.
fn timezone_ok(tz: &str) -> bool {
    let area = [
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ];
    matches!(tz, "UTC" | "GMT")
        || tz
            .strip_prefix("GMT")
            .and_then(|r| r.strip_prefix(['+', '-']))
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == ':') && !r.is_empty())
        || tz.split_once('/').is_some_and(|(a, b)| {
            area.contains(&a)
                && !b.is_empty()
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-+/".contains(c))
        })
}

fn interval_type(raw: &str) -> Option<&'static str> {
    INTERVALS
        .iter()
        .copied()
        .find(|i| i.eq_ignore_ascii_case(raw))
}

/// The `snapshotpolicy` object (`intervaltype` is the number: 0 hourly … 3 monthly).
fn policy_json(s: &State, i: usize) -> Value {
    let p = &s.snapshot_policies[i];
    let v = &s.volumes[p.volume];
    json!({
        "id": p.id,
        "volumeid": v.id,
        "volumename": v.name,
        "schedule": p.schedule,
        "intervaltype": INTERVALS.iter().position(|x| *x == p.interval).unwrap_or(0),
        "maxsnaps": p.max,
        "timezone": p.timezone,
        "fordisplay": p.display,
        "zone": [],
        "tags": [],
    })
}

/// Adds or updates the volume's policy of an interval type (one per type, as CloudStack keeps).
pub(crate) fn upsert_policy(
    s: &mut State,
    volume: usize,
    interval: &'static str,
    schedule: String,
    timezone: String,
    max: u32,
) -> usize {
    if let Some(i) = s
        .snapshot_policies
        .iter()
        .position(|p| !p.removed && p.volume == volume && p.interval == interval)
    {
        let p = &mut s.snapshot_policies[i];
        p.schedule = schedule;
        p.timezone = timezone;
        p.max = max;
        return i;
    }
    let idx = s.snapshot_policies.len();
    let id = s.rng.uuid();
    s.snapshot_policies.push(SnapshotPolicy {
        id: id.clone(),
        volume,
        account: s.volumes[volume].account,
        interval,
        schedule,
        timezone,
        max,
        display: true,
        removed: false,
    });
    s.index(&id, Ref::SnapshotPolicy(idx));
    idx
}

/// createSnapshotPolicy (synchronous).
pub(crate) fn create_policy(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vol = volume_param(cx, "volumeid")?;
    let p = cx.p;
    let raw = p.required("intervaltype")?;
    let interval = interval_type(raw)
        .ok_or_else(|| ApiError::invalid("Unsupported interval type provided"))?;
    let schedule = p.required("schedule")?;
    let timezone = p.required("timezone")?;
    let max = p
        .int("maxsnaps")?
        .ok_or_else(|| ApiError::missing_param(&p.command_lc, "maxsnaps"))?;
    let s = &*cx.state;
    let v = &s.volumes[vol];
    if v.state != "Ready" {
        return Err(ApiError::invalid(format!(
            "VolumeId: {} is not in Ready state but {}. Cannot take snapshot.",
            v.id, v.state
        )));
    }
    if !schedule_ok(interval, schedule) {
        return Err(ApiError::invalid(format!(
            "Invalid schedule: {schedule} for interval type: {raw}"
        )));
    }
    if !timezone_ok(timezone) {
        return Err(ApiError::invalid(format!("Invalid timezone: {timezone}")));
    }
    if max <= 0 {
        return Err(ApiError::invalid(format!(
            "maxSnaps should be greater than 0: {max}"
        )));
    }
    if max > MAX_SNAPS {
        return Err(ApiError::invalid(format!(
            "maxSnaps exceeds limit: {MAX_SNAPS} for interval type: {raw}"
        )));
    }
    let s = &mut *cx.state;
    let i = upsert_policy(
        s,
        vol,
        interval,
        schedule.to_string(),
        timezone.to_string(),
        max as u32,
    );
    if let Some(d) = p.flag("fordisplay") {
        s.snapshot_policies[i].display = d;
    }
    Ok(json!({ "snapshotpolicy": policy_json(s, i) }))
}

/// listSnapshotPolicies.
pub(crate) fn list_policies(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("id");
    let volume = p.get("volumeid");
    if let Some(v) = volume {
        match s.ids.get(v) {
            Some(Ref::Volume(x)) => s.check_access(&cx.caller, s.volumes[*x].account, v)?,
            _ => return Err(ApiError::invalid_value(&p.command_lc, "volumeid", v)),
        }
    }
    let matching: Vec<usize> = (0..s.snapshot_policies.len())
        .filter(|&i| {
            let x = &s.snapshot_policies[i];
            !x.removed
                && (volume.is_some() || scope.allows(x.account))
                && id.is_none_or(|y| x.id == y)
                && volume.is_none_or(|y| s.volumes[x.volume].id == y)
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "snapshotpolicy",
        &matching,
        |&i| policy_json(s, i),
    )
}

fn policy_by_id(cx: &Ctx, id: &str, param: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    match s.ids.get(id) {
        Some(Ref::SnapshotPolicy(i)) if !s.snapshot_policies[*i].removed => {
            s.check_access(&cx.caller, s.snapshot_policies[*i].account, id)?;
            Ok(*i)
        }
        _ => Err(ApiError::invalid_value(&cx.p.command_lc, param, id)),
    }
}

/// deleteSnapshotPolicies (synchronous): `id` or `ids`.
pub(crate) fn delete_policies(cx: &mut Ctx) -> Result<Value, ApiError> {
    let mut targets = Vec::new();
    if let Some(id) = cx.p.get("id") {
        targets.push(policy_by_id(cx, id, "id")?);
    }
    for id in cx.p.list("ids") {
        targets.push(policy_by_id(cx, &id, "ids")?);
    }
    if targets.is_empty() {
        return Err(ApiError::invalid(
            "No policy id (or list of ids) specified.",
        ));
    }
    for i in targets {
        cx.state.snapshot_policies[i].removed = true;
    }
    Ok(success())
}

/// updateSnapshotPolicy (synchronous): `fordisplay`.
pub(crate) fn update_policy(cx: &mut Ctx) -> Result<Value, ApiError> {
    let id = cx.p.required("id")?.to_string();
    let i = policy_by_id(cx, &id, "id")?;
    if let Some(d) = cx.p.flag("fordisplay") {
        cx.state.snapshot_policies[i].display = d;
    }
    Ok(json!({ "snapshotpolicy": policy_json(cx.state, i) }))
}

/// The `vmsnapshot` object.
fn vm_snapshot_json(s: &State, i: usize) -> Value {
    let x = &s.vm_snapshots[i];
    let vm = &s.vms[x.vm];
    let account = &s.accounts[x.account];
    let domain = &s.domains[account.domain];
    let mut out = json!({
        "id": x.id,
        "name": x.name,
        "displayname": x.display,
        "state": x.state,
        "type": if x.memory { "DiskAndMemory" } else { "Disk" },
        "current": x.current,
        "virtualmachineid": vm.id,
        "virtualmachinename": vm.name,
        "created": ts(x.created),
        "account": account.name,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "zoneid": s.zones[x.zone].id,
        "hypervisor": "KVM",
        "tags": [],
    });
    let o = out.as_object_mut().expect("object");
    if let Some(d) = &x.description {
        o.insert("description".into(), json!(d));
    }
    if let Some(p) = x.parent {
        o.insert("parent".into(), json!(s.vm_snapshots[p].id));
        o.insert("parentName".into(), json!(s.vm_snapshots[p].name));
    }
    with_pending(out, s.pending(x.pending_job))
}

/// createVMSnapshot (asynchronous).
pub(crate) fn create_vm_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let vm = super::vms::vm_param(cx, "virtualmachineid")?;
    let memory = cx.p.flag_or("snapshotmemory", false);
    let s = &*cx.state;
    let v = &s.vms[vm];
    if !matches!(v.state, VmState::Running | VmState::Stopped) {
        return Err(ApiError::invalid(format!(
            "Creating VM snapshot failed due to VM:{} is a system VM or does not exist",
            v.id
        )));
    }
    if memory && v.state != VmState::Running {
        return Err(ApiError::invalid(
            "Can not snapshot memory when VM is not in Running state",
        ));
    }
    if s.pending(v.pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "There is other active vm snapshot tasks on the instance {}, please try again later",
            v.id
        )));
    }
    let now = OffsetDateTime::now_utc();
    let name = match cx.p.get("name") {
        Some(n) => {
            if s.vm_snapshots
                .iter()
                .any(|x| !x.removed && x.vm == vm && x.name == n)
            {
                return Err(ApiError::invalid(format!(
                    "Creating VM snapshot failed due to VM snapshot with name{n}  already exists"
                )));
            }
            n.to_string()
        }
        None => {
            let f = time::macros::format_description!("[year][month][day][hour][minute][second]");
            format!(
                "{}_VS_{}",
                v.instance_name,
                now.format(&f).unwrap_or_default()
            )
        }
    };
    let disks: u64 = s
        .volumes
        .iter()
        .filter(|x| !x.removed && x.vm == Some(vm))
        .map(|x| x.size / 8)
        .sum();
    let ram = if memory {
        (s.service_offerings[v.offering].memory as u64) << 20
    } else {
        0
    };
    let parent = s
        .vm_snapshots
        .iter()
        .position(|x| !x.removed && x.vm == vm && x.current);
    let (account, zone) = (v.account, v.zone);
    let s = &mut *cx.state;
    let idx = s.vm_snapshots.len();
    let id = s.rng.uuid();
    s.vm_snapshots.push(VmSnapshot {
        id: id.clone(),
        display: name.clone(),
        name,
        description: cx.p.get("description").map(String::from),
        vm,
        account,
        zone,
        memory,
        state: "Creating",
        parent,
        current: false,
        size: disks + ram,
        created: now,
        pending_job: None,
        removed: false,
        removed_at: None,
    });
    s.index(&id, Ref::VmSnapshot(idx));
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vmsnapshot.CreateVMSnapshotCmd",
        Some(("VMSnapshot", id.clone())),
        Op::CreateVmSnapshot(idx),
    );
    cx.state.vm_snapshots[idx].pending_job = Some(job);
    Ok(created_reply(cx.state, &id, job))
}

/// listVMSnapshot.
pub(crate) fn list_vm_snapshots(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let id = p.get("vmsnapshotid");
    let ids = p.list("vmsnapshotids");
    let vm = p.get("virtualmachineid");
    let name = p.get("name");
    let state = p.get("state");
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.vm_snapshots.len())
        .filter(|&i| {
            let x = &s.vm_snapshots[i];
            !x.removed
                && scope.allows(x.account)
                && id.is_none_or(|y| x.id == y)
                && (ids.is_empty() || ids.contains(&x.id))
                && vm.is_none_or(|y| s.vms[x.vm].id == y)
                && name.is_none_or(|y| x.name == y)
                && state.is_none_or(|y| x.state.eq_ignore_ascii_case(y))
                && keyword_match(keyword, &[&x.name, &x.display])
        })
        .collect();
    page_of(p, s.knobs.max_page_size, "vmSnapshot", &matching, |&i| {
        vm_snapshot_json(s, i)
    })
}

fn vm_snapshot_param(cx: &Ctx) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let i = s.lookup(cx.p, "vmsnapshotid", |r| match r {
        Ref::VmSnapshot(x) if !s.vm_snapshots[x].removed => Some(x),
        _ => None,
    })?;
    s.check_access(&cx.caller, s.vm_snapshots[i].account, &s.vm_snapshots[i].id)?;
    Ok(i)
}

/// revertToVMSnapshot (asynchronous): the VM gets the disks (and power state) the snapshot holds.
pub(crate) fn revert_vm_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let i = vm_snapshot_param(cx)?;
    let s = &*cx.state;
    let x = &s.vm_snapshots[i];
    if x.state != "Ready" {
        return Err(ApiError::invalid(format!(
            "VM Snapshot reverting failed due to vm snapshot {} is not in Ready state",
            x.id
        )));
    }
    let vm = &s.vms[x.vm];
    if !matches!(vm.state, VmState::Running | VmState::Stopped) {
        return Err(ApiError::invalid(
            "VM Snapshot reverting failed due to vm is not in the state of Running or Stopped.",
        ));
    }
    if (vm.state == VmState::Running && !x.memory) || (vm.state == VmState::Stopped && x.memory) {
        return Err(ApiError::invalid(
            "VM Snapshot revert not allowed. This will result in VM state change. You can revert running VM to disk and memory type snapshot and stopped VM to disk type snapshot",
        ));
    }
    if s.pending(vm.pending_job).is_some() {
        return Err(ApiError::invalid(format!(
            "There is other active vm snapshot tasks on the instance {}, please try again later",
            vm.id
        )));
    }
    let (id, v) = (x.id.clone(), x.vm);
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vmsnapshot.RevertToVMSnapshotCmd",
        Some(("VMSnapshot", id)),
        Op::RevertVmSnapshot(i),
    );
    cx.state.vm_snapshots[i].state = "Reverting";
    cx.state.vm_snapshots[i].pending_job = Some(job);
    cx.state.vms[v].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// deleteVMSnapshot (asynchronous).
pub(crate) fn delete_vm_snapshot(cx: &mut Ctx) -> Result<Value, ApiError> {
    let i = vm_snapshot_param(cx)?;
    let s = &*cx.state;
    if !matches!(s.vm_snapshots[i].state, "Ready" | "Error") {
        return Err(ApiError::invalid(format!(
            "Can't delete the vm snapshot {} due to it is not in Created or Error, or Expunging State",
            s.vm_snapshots[i].id
        )));
    }
    let id = s.vm_snapshots[i].id.clone();
    let job = submit_op(
        cx,
        "org.apache.cloudstack.api.command.user.vmsnapshot.DeleteVMSnapshotCmd",
        Some(("VMSnapshot", id)),
        Op::DeleteVmSnapshot(i),
    );
    cx.state.vm_snapshots[i].state = "Expunging";
    cx.state.vm_snapshots[i].pending_job = Some(job);
    Ok(super::job_reply(cx.state, job))
}

/// Completes a createSnapshot job.
pub(crate) fn complete_create(s: &mut State, action: Action) -> Result<Value, ApiError> {
    let Action::CreateSnapshot(sn) = action else {
        unreachable!("not a snapshot job")
    };
    s.snapshots[sn].pending_job = None;
    s.snapshots[sn].state = "BackedUp";
    Ok(json!({ "snapshot": snapshot_json(s, sn) }))
}

/// Completes snapshot, template and VM snapshot operations.
pub(crate) fn complete(s: &mut State, op: Op, when: OffsetDateTime) -> Result<Value, ApiError> {
    match op {
        Op::DeleteSnapshot(sn) => {
            let x = &mut s.snapshots[sn];
            x.pending_job = None;
            x.removed = true;
            x.removed_at = Some(when);
            x.state = "Destroyed";
            Ok(success())
        }
        Op::RevertSnapshot(sn) => {
            let vol = s.snapshots[sn].volume;
            let v = &mut s.volumes[vol];
            v.pending_job = None;
            v.state = "Ready";
            v.size = s.snapshots[sn].virtual_size;
            Ok(json!({ "snapshot": snapshot_json(s, sn) }))
        }
        Op::CreateTemplate(t) => {
            let tpl = &mut s.templates[t];
            tpl.pending_job = None;
            tpl.ready = true;
            let zone = s.templates[t].zone.unwrap_or(0);
            Ok(json!({ "template": super::catalog::template_json(s, t, zone) }))
        }
        Op::DeleteTemplate(t) => {
            s.templates[t].removed = true;
            Ok(success())
        }
        Op::CreateVmSnapshot(i) => {
            let vm = s.vm_snapshots[i].vm;
            for x in s.vm_snapshots.iter_mut().filter(|x| x.vm == vm) {
                x.current = false;
            }
            let x = &mut s.vm_snapshots[i];
            x.pending_job = None;
            x.state = "Ready";
            x.current = true;
            Ok(json!({ "vmsnapshot": vm_snapshot_json(s, i) }))
        }
        Op::RevertVmSnapshot(i) => {
            let vm = s.vm_snapshots[i].vm;
            for x in s.vm_snapshots.iter_mut().filter(|x| x.vm == vm) {
                x.current = false;
            }
            let x = &mut s.vm_snapshots[i];
            x.pending_job = None;
            x.state = "Ready";
            x.current = true;
            let memory = x.memory;
            let v = &mut s.vms[vm];
            v.pending_job = None;
            let target = if memory {
                VmState::Running
            } else {
                VmState::Stopped
            };
            if v.state != target {
                if target == VmState::Running {
                    v.running.push((when, None));
                } else if let Some(last) = v.running.last_mut()
                    && last.1.is_none()
                {
                    last.1 = Some(when);
                }
                v.state = target;
            }
            Ok(json!({ "virtualmachine": super::vms::vm_json(s, vm, false) }))
        }
        Op::DeleteVmSnapshot(i) => {
            let x = &mut s.vm_snapshots[i];
            x.pending_job = None;
            x.removed = true;
            x.removed_at = Some(when);
            x.state = "Removed";
            let (vm, was_current, parent) = (x.vm, x.current, x.parent);
            if was_current && let Some(p) = parent.filter(|&p| !s.vm_snapshots[p].removed) {
                s.vm_snapshots[p].current = true;
            }
            for y in s
                .vm_snapshots
                .iter_mut()
                .filter(|y| y.vm == vm && y.parent == Some(i))
            {
                y.parent = parent;
            }
            Ok(success())
        }
        _ => unreachable!("not a snapshot operation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_follow_the_interval_type() {
        for (interval, ok, bad) in [
            ("HOURLY", &["0", "59"][..], &["60", "1:2", ""][..]),
            ("DAILY", &["30:02", "0:23"], &["30", "30:24", "60:01"]),
            (
                "WEEKLY",
                &["30:02:1", "0:0:7"],
                &["30:02:0", "30:02:8", "30:02"],
            ),
            (
                "MONTHLY",
                &["30:02:1", "0:0:28"],
                &["30:02:29", "30:02:0", "x:1:1"],
            ),
        ] {
            for s in ok {
                assert!(schedule_ok(interval, s), "{interval} {s}");
            }
            for s in bad {
                assert!(!schedule_ok(interval, s), "{interval} {s}");
            }
        }
        assert!(!schedule_ok("YEARLY", "1"));
        for tz in [
            "UTC",
            "GMT+05:30",
            "Asia/Kolkata",
            "America/Argentina/Buenos_Aires",
        ] {
            assert!(timezone_ok(tz), "{tz}");
        }
        for tz in ["", "Mars/Olympus", "Asia/", "GMT+"] {
            assert!(!timezone_ok(tz), "{tz}");
        }
    }
}
