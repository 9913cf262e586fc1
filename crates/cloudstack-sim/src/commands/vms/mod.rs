//! Virtual machines: deploy, list (plain and metrics), start, stop, reboot, destroy.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::Ctx;
use crate::error::ApiError;
use crate::state::jobs::{Action, with_pending};
use crate::state::model::{Vm, VmState, Volume};
use crate::state::{Caller, Ref, State};
use crate::util::{keyword_match, page_of, ts};

mod lifecycle;

pub(crate) use lifecycle::{complete, destroy, reboot, start, stop};

fn pick_vm(s: &State) -> impl Fn(Ref) -> Option<usize> + '_ {
    move |r| match r {
        Ref::Vm(i) if !s.vms[i].removed => Some(i),
        _ => None,
    }
}

/// Resolves the `id` parameter to a VM the caller may act on.
pub(crate) fn vm_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let i = cx.state.lookup(cx.p, name, pick_vm(cx.state))?;
    cx.state
        .check_access(&cx.caller, cx.state.vms[i].account, &cx.state.vms[i].id)?;
    Ok(i)
}

/// The `virtualmachine` object.
pub(crate) fn vm_json(s: &State, i: usize, metrics: bool) -> Value {
    let vm = &s.vms[i];
    let account = &s.accounts[vm.account];
    let domain = &s.domains[account.domain];
    let zone = &s.zones[vm.zone];
    let template = &s.templates[vm.template];
    let offering = &s.service_offerings[vm.offering];
    let network = &s.networks[vm.network];
    let user = &s.users[vm.user];
    let running = vm.state == VmState::Running;
    let [cpu, net_r, net_w, disk_r, disk_w] = if running { vm.load } else { [0; 5] };
    let mut v = json!({
        "id": vm.id,
        "name": vm.name,
        "displayname": vm.display,
        "account": account.name,
        "userid": user.id,
        "username": user.username,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "created": ts(vm.created),
        "state": vm.state.as_str(),
        "haenable": vm.ha,
        "zoneid": zone.id,
        "zonename": zone.name,
        "templateid": template.id,
        "templatename": template.name,
        "templatedisplaytext": template.display,
        "templatetype": template.kind,
        "templateformat": template.format,
        "passwordenabled": template.password_enabled,
        "serviceofferingid": offering.id,
        "serviceofferingname": offering.name,
        "cpunumber": offering.cpus,
        "cpuspeed": offering.speed,
        "memory": offering.memory,
        "cpuused": format!("{}%", cpu as f64 / 100.0),
        "networkkbsread": net_r,
        "networkkbswrite": net_w,
        "diskkbsread": disk_r,
        "diskkbswrite": disk_w,
        "diskioread": disk_r / 8,
        "diskiowrite": disk_w / 8,
        "memorykbs": if running { offering.memory as u64 * 1024 } else { 0 },
        "memoryintfreekbs": if running { offering.memory as u64 * 1024 * (100 - cpu.min(90) / 2) / 100 } else { 0 },
        "memorytargetkbs": if running { offering.memory as u64 * 1024 } else { 0 },
        "guestosid": template.ostype_id,
        "ostypeid": template.ostype_id,
        "osdisplayname": template.ostype_name,
        "rootdeviceid": 0,
        "rootdevicetype": "ROOT",
        "securitygroup": [],
        "nic": [{
            "id": vm.nic_id,
            "networkid": network.id,
            "networkname": network.name,
            "netmask": crate::state::cidr::ip_string(network.cidr.netmask()),
            "gateway": crate::state::cidr::ip_string(network.gateway),
            "ipaddress": vm.ip,
            "isolationuri": format!("vlan://{}", network.vlan),
            "broadcasturi": format!("vlan://{}", network.vlan),
            "traffictype": "Guest",
            "type": "Isolated",
            "isdefault": true,
            "macaddress": vm.mac,
            "secondaryip": [],
            "extradhcpoption": [],
            "deviceid": "0",
        }],
        "ipaddress": vm.ip,
        "hypervisor": template.hypervisor,
        "instancename": vm.instance_name,
        "details": {},
        "affinitygroup": [],
        "displayvm": true,
        "isdynamicallyscalable": false,
        "arch": "x86_64",
        "tags": [],
    });
    let obj = v.as_object_mut().expect("object");
    if matches!(
        vm.state,
        VmState::Running | VmState::Starting | VmState::Stopping
    ) {
        let (hid, hname) = &zone.hosts[vm.host as usize % zone.hosts.len()];
        obj.insert("hostid".into(), json!(hid));
        obj.insert("hostname".into(), json!(hname));
    }
    if let Some(k) = &vm.keypair {
        obj.insert("keypairs".into(), json!(k));
    }
    if let Some(g) = &vm.group {
        obj.insert("group".into(), json!(g));
    }
    if metrics {
        let ghz = offering.cpus as f64 * offering.speed as f64 / 1000.0;
        obj.insert("cputotal".into(), json!(format!("{ghz:.2} Ghz")));
        obj.insert(
            "memorytotal".into(),
            json!(format!("{:.2} GB", offering.memory as f64 / 1024.0)),
        );
        let mib = |kb: u64| json!(format!("{:.2} MiB", kb as f64 / 1024.0));
        obj.insert("networkread".into(), mib(net_r));
        obj.insert("networkwrite".into(), mib(net_w));
        obj.insert("diskread".into(), mib(disk_r));
        obj.insert("diskwrite".into(), mib(disk_w));
        obj.insert("diskiopstotal".into(), json!((disk_r + disk_w) / 8));
    }
    with_pending(v, s.pending(vm.pending_job))
}

/// listVirtualMachines and listVirtualMachinesMetrics.
pub(crate) fn list(cx: &mut Ctx, metrics: bool) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let scope = s.list_scope(&cx.caller, p)?;
    let zone = s.lookup_opt(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let template = p.get("templateid");
    let offering = p.get("serviceofferingid");
    let network = p.get("networkid");
    let host = p.get("hostid");
    let mut ids = p.list("ids");
    if let Some(id) = p.get("id") {
        ids.push(id.to_string());
    }
    let state = p.get("state").map(str::to_lowercase);
    let name = p.get("name");
    let keyword = p.get("keyword");
    let keypair = p.get("keypair");
    let matching: Vec<usize> = (0..s.vms.len())
        .filter(|&i| {
            let vm = &s.vms[i];
            !vm.removed
                && scope.allows(vm.account)
                && zone.is_none_or(|z| vm.zone == z)
                && (ids.is_empty() || ids.contains(&vm.id))
                && template.is_none_or(|t| s.templates[vm.template].id == t)
                && offering.is_none_or(|o| s.service_offerings[vm.offering].id == o)
                && network.is_none_or(|n| s.networks[vm.network].id == n)
                && host.is_none_or(|h| {
                    vm.state == VmState::Running
                        && s.zones[vm.zone].hosts[vm.host as usize % s.zones[vm.zone].hosts.len()].0
                            == h
                })
                && state
                    .as_deref()
                    .is_none_or(|st| vm.state.as_str().eq_ignore_ascii_case(st))
                && name.is_none_or(|n| vm.name == n)
                && keypair.is_none_or(|k| vm.keypair.as_deref() == Some(k))
                && keyword_match(keyword, &[&vm.name, &vm.display, vm.state.as_str()])
        })
        .collect();
    page_of(
        p,
        s.knobs.max_page_size,
        "virtualmachine",
        &matching,
        |&i| vm_json(s, i, metrics),
    )
}

fn valid_hostname(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !b[0].is_ascii_digit()
}

/// How many VMs hold capacity in a zone, not counting `except`.
fn zone_load(s: &State, zone: usize, except: Option<usize>) -> usize {
    s.vms
        .iter()
        .enumerate()
        .filter(|(i, vm)| {
            Some(*i) != except
                && !vm.removed
                && !vm.doomed
                && vm.zone == zone
                && vm.state.holds_capacity()
        })
        .count()
}

/// Is there room for one more VM in the zone?
pub(crate) fn zone_has_room(s: &State, zone: usize, except: Option<usize>) -> bool {
    match s.zones[zone].capacity.or(s.knobs.zone_capacity) {
        None => true,
        Some(cap) => zone_load(s, zone, except) < cap,
    }
}

/// Creates a VM record (and its root volume) and returns its index. Shared with clusters.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_vm(
    s: &mut State,
    account: usize,
    user: usize,
    zone: usize,
    template: usize,
    offering: usize,
    network: usize,
    name: Option<String>,
    display: Option<String>,
    state: VmState,
    when: OffsetDateTime,
) -> usize {
    s.vm_counter += 1;
    let id = s.rng.uuid();
    let name = name.unwrap_or_else(|| format!("VM-{id}"));
    let display = display.unwrap_or_else(|| name.clone());
    let host = s.rng.below(s.zones[zone].hosts.len() as u64) as u32;
    let ip = super::networks::next_guest_ip(s, network);
    let mac = format!(
        "02:00:{:02x}:{:02x}:{:02x}:{:02x}",
        s.rng.below(256),
        s.rng.below(256),
        s.rng.below(256),
        s.rng.below(256)
    );
    let nic_id = s.rng.uuid();
    let load = [
        s.rng.between(50, 9000),
        s.rng.between(100, 5_000_000),
        s.rng.between(100, 2_000_000),
        s.rng.between(100, 8_000_000),
        s.rng.between(100, 4_000_000),
    ];
    let idx = s.vms.len();
    let instance_name = format!("i-{}-{}-VM", account + 2, s.vm_counter);
    s.vms.push(Vm {
        id: id.clone(),
        name,
        display,
        instance_name,
        account,
        user,
        zone,
        template,
        offering,
        network,
        ip,
        mac,
        nic_id,
        host,
        state,
        created: when,
        pending_job: None,
        doomed: false,
        removed: false,
        running: Vec::new(),
        destroyed_at: None,
        keypair: None,
        group: None,
        ha: s.service_offerings[offering].offer_ha,
        load,
        cluster: None,
        busy_until: None,
    });
    s.index(&id, Ref::Vm(idx));
    let vol_id = s.rng.uuid();
    let vol_idx = s.volumes.len();
    let size = s.service_offerings[offering].root_gb as u64 * (1 << 30);
    s.volumes.push(Volume {
        id: vol_id.clone(),
        name: format!("ROOT-{}", s.vm_counter),
        zone,
        account,
        root: true,
        size: size.max(s.templates[template].size),
        disk_offering: None,
        vm: Some(idx),
        device_id: Some(0),
        state: "Ready",
        created: when,
        attached: Some(when),
        template: Some(template),
        pending_job: None,
        removed: false,
        removed_at: None,
        min_iops: None,
        max_iops: None,
        pool: crate::commands::storage::default_pool(s, zone),
        from_snapshot: None,
    });
    s.index(&vol_id, Ref::Volume(vol_idx));
    idx
}

/// deployVirtualMachine.
pub(crate) fn deploy(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    let zone = cx.state.lookup(p, "zoneid", |r| match r {
        Ref::Zone(z) => Some(z),
        _ => None,
    })?;
    let offering = cx.state.lookup(p, "serviceofferingid", |r| match r {
        Ref::ServiceOffering(o) => Some(o),
        _ => None,
    })?;
    let template = cx.state.lookup(p, "templateid", |r| match r {
        Ref::Template(t) => Some(t),
        _ => None,
    })?;
    let account = cx.state.owner_for_create(&cx.caller, p)?;
    if let Some(name) = p.get("name") {
        if !valid_hostname(name) {
            return Err(ApiError::invalid(
                "Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with \"-\" and can't start with digit",
            ));
        }
        if cx
            .state
            .vms
            .iter()
            .any(|v| !v.removed && v.account == account && v.zone == zone && v.name == name)
        {
            return Err(ApiError::invalid(format!(
                "The vm with hostName {name} already exists in the network domain: cs{}cloud.internal; network=",
                account + 2
            )));
        }
    }
    let keypair = match p.get("keypair") {
        None => None,
        Some(k) => {
            if !cx
                .state
                .keypairs
                .iter()
                .any(|kp| !kp.removed && kp.account == account && kp.name == k)
            {
                let a = &cx.state.accounts[account];
                return Err(ApiError::invalid(format!(
                    "A key pair with name '{k}' was not found for account {} in specified domain id: {}",
                    a.name, cx.state.domains[a.domain].id
                )));
            }
            Some(k.to_string())
        }
    };
    let network = match p.list("networkids").first() {
        Some(nid) => match cx.state.ids.get(nid.as_str()) {
            Some(Ref::Network(n)) if !cx.state.networks[*n].removed => {
                let n = *n;
                cx.state
                    .check_access(&cx.caller, cx.state.networks[n].account, nid)?;
                if cx.state.networks[n].zone != zone {
                    return Err(ApiError::invalid(format!(
                        "Network id={nid} doesn't belong to zone {}",
                        cx.state.zones[zone].id
                    )));
                }
                n
            }
            _ => return Err(ApiError::invalid_value(&p.command_lc, "networkids", nid)),
        },
        None => super::networks::default_network(cx.state, account, zone),
    };
    {
        let so = &cx.state.service_offerings[offering];
        super::limits::check(cx.state, account, 1, so.cpus as u64, so.memory as u64)?;
    }
    let start = p.flag_or("startvm", true);
    let now = OffsetDateTime::now_utc();
    super::networks::implement(cx.state, network, now);
    let room = !start || zone_has_room(cx.state, zone, None);
    let owner_user = if account == cx.caller.account {
        cx.caller.user
    } else {
        cx.state.first_user(account)
    };
    let state = if start {
        VmState::Starting
    } else {
        VmState::Stopped
    };
    let vm = create_vm(
        cx.state,
        account,
        owner_user,
        zone,
        template,
        offering,
        network,
        p.get("name").map(String::from),
        p.get("displayname").map(String::from),
        state,
        now,
    );
    cx.state.vms[vm].doomed = !room;
    cx.state.vms[vm].keypair = keypair;
    cx.state.vms[vm].group = p.get("group").map(String::from);
    let id = cx.state.vms[vm].id.clone();
    let delay = if start {
        cx.state.knobs.start_delay
    } else {
        cx.state.knobs.job_delay
    };
    let cmd = class(&cx.caller, "DeployVMCmd");
    let (job, due) = cx.state.submit(
        &cx.caller,
        cmd,
        Some(("VirtualMachine", id.clone())),
        delay,
        None,
        Action::DeployVm(vm),
    );
    cx.state.vms[vm].pending_job = Some(job);
    cx.state.vms[vm].busy_until = Some(due);
    let name = cx.state.vms[vm].name.clone();
    cx.state.event(
        &cx.caller,
        "VM.CREATE",
        format!("Successfully completed starting Vm. Vm Name: {name}"),
        Some(("VirtualMachine", id.clone(), name)),
        now,
    );
    Ok(json!({ "id": id, "jobid": cx.state.jobs[job].id }))
}

fn class(caller: &Caller, name: &str) -> &'static str {
    let admin = caller.is_root();
    match (name, admin) {
        ("DeployVMCmd", true) => "org.apache.cloudstack.api.command.admin.vm.DeployVMCmdByAdmin",
        ("DeployVMCmd", false) => "org.apache.cloudstack.api.command.user.vm.DeployVMCmd",
        ("StartVMCmd", true) => "org.apache.cloudstack.api.command.admin.vm.StartVMCmdByAdmin",
        ("StartVMCmd", false) => "org.apache.cloudstack.api.command.user.vm.StartVMCmd",
        ("StopVMCmd", true) => "org.apache.cloudstack.api.command.admin.vm.StopVMCmdByAdmin",
        ("StopVMCmd", false) => "org.apache.cloudstack.api.command.user.vm.StopVMCmd",
        ("RebootVMCmd", true) => "org.apache.cloudstack.api.command.admin.vm.RebootVMCmdByAdmin",
        ("RebootVMCmd", false) => "org.apache.cloudstack.api.command.user.vm.RebootVMCmd",
        ("DestroyVMCmd", true) => "org.apache.cloudstack.api.command.admin.vm.DestroyVMCmdByAdmin",
        _ => "org.apache.cloudstack.api.command.user.vm.DestroyVMCmd",
    }
}
