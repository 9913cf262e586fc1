//! Account resource limits (user_vm, cpu, memory): counted and checked like CloudStack's
//! ResourceLimitManagerImpl, for deployVirtualMachine and Kubernetes clusters.

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::State;
use crate::state::model::VmState;

/// The resource types the simulator limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitedResource {
    /// `user_vm`: virtual machines that are not destroyed (stopped ones count).
    UserVm,
    /// `cpu`: vCPUs of those virtual machines.
    Cpu,
    /// `memory`: MiB of memory of those virtual machines.
    Memory,
}

impl LimitedResource {
    /// CloudStack's name of the type (`Resource.ResourceType`).
    pub fn name(self) -> &'static str {
        match self {
            LimitedResource::UserVm => "user_vm",
            LimitedResource::Cpu => "cpu",
            LimitedResource::Memory => "memory",
        }
    }

    /// CloudStack's number of the type (`resourcetype`), also the index into an account's limits.
    pub fn number(self) -> usize {
        match self {
            LimitedResource::UserVm => 0,
            LimitedResource::Cpu => 8,
            LimitedResource::Memory => 9,
        }
    }

    pub(crate) fn index(self) -> usize {
        self.number()
    }

    fn usage_slot(self) -> usize {
        match self {
            LimitedResource::UserVm => 0,
            LimitedResource::Cpu => 1,
            LimitedResource::Memory => 2,
        }
    }
}

/// CloudStack's resource types (`Resource.ResourceType`), by number.
pub(crate) const RESOURCE_TYPES: [&str; 12] = [
    "user_vm",
    "public_ip",
    "volume",
    "snapshot",
    "template",
    "project",
    "network",
    "vpc",
    "cpu",
    "memory",
    "primary_storage",
    "secondary_storage",
];

/// What an account uses now: (vms, cpus, memory MiB). Destroyed and expunged VMs do not count.
pub(crate) fn usage(s: &State, account: usize) -> [u64; 3] {
    let mut used = [0u64; 3];
    for vm in &s.vms {
        if vm.removed
            || vm.account != account
            || matches!(vm.state, VmState::Destroyed | VmState::Expunging)
        {
            continue;
        }
        let so = &s.service_offerings[vm.offering];
        used[0] += 1;
        used[1] += so.cpus as u64;
        used[2] += so.memory as u64;
    }
    used
}

/// Refuses a request for `vms` more VMs with `cpus` vCPUs and `memory` MiB in total when an
/// account limit would be exceeded. The text is ResourceLimitManagerImpl's (as CloudStack 4.18+
/// words it; seen in kubernetes-sigs/cluster-api-provider-cloudstack#284's logs), and the code is
/// 535 RESOURCE_ALLOCATION_ERROR with cserrorcode 9999: the command wraps the
/// ResourceAllocationException in a ServerApiException.
pub(crate) fn check(
    s: &State,
    account: usize,
    vms: u64,
    cpus: u64,
    memory: u64,
) -> Result<(), ApiError> {
    let used = usage(s, account);
    let a = &s.accounts[account];
    for (r, asked) in [
        (LimitedResource::UserVm, vms),
        (LimitedResource::Cpu, cpus),
        (LimitedResource::Memory, memory),
    ] {
        let Some(limit) = a.limits[r.index()] else {
            continue;
        };
        let current = used[r.usage_slot()];
        if current + asked > limit {
            return Err(ApiError::resource_allocation(format!(
                "Maximum amount of resources of Type = '{}' for Account Name = {} in Domain Id = {} is exceeded: Account Resource Limit = {limit}, Current Account Resource Amount = {current}, Requested Resource Amount = {asked}.",
                r.name(),
                a.name,
                a.domain + 1
            )));
        }
    }
    Ok(())
}

/// What an account holds of a network or storage resource type: public_ip (1), volume (2),
/// snapshot (3), network (6), vpc (7) and primary_storage (10, in GiB).
pub(crate) fn held(s: &State, account: usize, kind: usize) -> u64 {
    let live_volumes = || {
        s.volumes
            .iter()
            .filter(move |v| v.account == account && !v.removed && v.state != "Destroy")
    };
    match kind {
        1 => s
            .ips
            .iter()
            .filter(|x| x.account == account && !x.removed)
            .count() as u64,
        2 => live_volumes().count() as u64,
        3 => s
            .snapshots
            .iter()
            .filter(|x| x.account == account && !x.removed)
            .count() as u64,
        6 => s
            .networks
            .iter()
            .filter(|x| x.account == account && !x.removed)
            .count() as u64,
        7 => s
            .vpcs
            .iter()
            .filter(|x| x.account == account && !x.removed)
            .count() as u64,
        10 => live_volumes().map(|v| v.size.div_ceil(1 << 30)).sum(),
        _ => 0,
    }
}

/// Refuses `asked` more of a network or storage resource type beyond the account's limit, with
/// ResourceLimitManagerImpl's text (535, as for VMs).
pub(crate) fn check_held(
    s: &State,
    account: usize,
    kind: usize,
    asked: u64,
) -> Result<(), ApiError> {
    let a = &s.accounts[account];
    let Some(limit) = a.limits[kind] else {
        return Ok(());
    };
    let current = held(s, account, kind);
    if current + asked > limit {
        return Err(ApiError::resource_allocation(format!(
            "Maximum amount of resources of Type = '{}' for Account Name = {} in Domain Id = {} is exceeded: Account Resource Limit = {limit}, Current Account Resource Amount = {current}, Requested Resource Amount = {asked}.",
            RESOURCE_TYPES[kind],
            a.name,
            a.domain + 1
        )));
    }
    Ok(())
}

/// `vmlimit`/`vmavailable`/`cpulimit`/`cpuavailable`/`memorylimit`/`memoryavailable` and the
/// totals, as listAccounts shows them ("Unlimited" without a limit).
pub(crate) fn account_fields(s: &State, account: usize) -> Value {
    let used = usage(s, account);
    let limits = s.accounts[account].limits;
    let mut v = json!({});
    for (i, (key, r)) in [
        ("vm", LimitedResource::UserVm),
        ("cpu", LimitedResource::Cpu),
        ("memory", LimitedResource::Memory),
    ]
    .into_iter()
    .enumerate()
    {
        match limits[r.index()] {
            None => {
                v[format!("{key}limit")] = json!("Unlimited");
                v[format!("{key}available")] = json!("Unlimited");
            }
            Some(l) => {
                v[format!("{key}limit")] = json!(l.to_string());
                v[format!("{key}available")] = json!(l.saturating_sub(used[i]).to_string());
            }
        }
    }
    v["cputotal"] = json!(used[1]);
    v["memorytotal"] = json!(used[2]);
    for (key, kind) in [
        ("ip", 1),
        ("volume", 2),
        ("snapshot", 3),
        ("network", 6),
        ("vpc", 7),
        ("primarystorage", 10),
    ] {
        let total = held(s, account, kind);
        v[format!("{key}total")] = json!(total);
        match limits[kind] {
            None => {
                v[format!("{key}limit")] = json!("Unlimited");
                v[format!("{key}available")] = json!("Unlimited");
            }
            Some(l) => {
                v[format!("{key}limit")] = json!(l.to_string());
                v[format!("{key}available")] = json!(l.saturating_sub(total).to_string());
            }
        }
    }
    v
}

fn limit_json(s: &State, account: usize, kind: usize) -> Value {
    let a = &s.accounts[account];
    let d = &s.domains[a.domain];
    json!({
        "account": a.name,
        "domainid": d.id,
        "domain": d.name,
        "domainpath": d.path,
        "resourcetype": kind.to_string(),
        "resourcetypename": RESOURCE_TYPES[kind],
        "max": a.limits[kind].map_or(-1, |m| m as i64),
    })
}

/// The resource type of `resourcetype` (number) or `resourcetypename`, if given.
fn kind_param(p: &crate::params::Params) -> Result<Option<usize>, ApiError> {
    if let Some(n) = p.get("resourcetype") {
        return match n.trim().parse::<usize>() {
            Ok(k) if k < RESOURCE_TYPES.len() => Ok(Some(k)),
            _ => Err(ApiError::invalid(format!(
                "Please specify a valid resource type: {n}"
            ))),
        };
    }
    if let Some(name) = p.get("resourcetypename") {
        return match RESOURCE_TYPES
            .iter()
            .position(|t| t.eq_ignore_ascii_case(name))
        {
            Some(k) => Ok(Some(k)),
            None => Err(ApiError::invalid(format!(
                "Please specify a valid resource type name: {name}"
            ))),
        };
    }
    Ok(None)
}

/// The account a limit command is about: `account`+`domainid` (admins) or the caller's.
fn limit_account(cx: &super::Ctx) -> Result<usize, ApiError> {
    cx.state.owner_for_create(&cx.caller, cx.p)
}

/// listResourceLimits: the account's limits, -1 meaning unlimited.
pub(crate) fn list(cx: &mut super::Ctx) -> Result<Value, ApiError> {
    let account = limit_account(cx)?;
    let kind = kind_param(cx.p)?;
    let s = &*cx.state;
    let items: Vec<Value> = (0..RESOURCE_TYPES.len())
        .filter(|k| kind.is_none_or(|x| x == *k))
        .map(|k| limit_json(s, account, k))
        .collect();
    Ok(json!({ "count": items.len(), "resourcelimit": items }))
}

/// updateResourceLimit (admins): sets an account's limit, `max` -1 or absent = unlimited.
pub(crate) fn update(cx: &mut super::Ctx) -> Result<Value, ApiError> {
    let account = limit_account(cx)?;
    let Some(kind) = kind_param(cx.p)? else {
        return Err(ApiError::missing_param(&cx.p.command_lc, "resourcetype"));
    };
    let max = cx.p.int("max")?.unwrap_or(-1);
    if max < -1 {
        return Err(ApiError::invalid(
            "Please specify either '-1' for an infinite limit, or a limit that is at least '0'.",
        ));
    }
    cx.state.accounts[account].limits[kind] = u64::try_from(max).ok();
    Ok(json!({ "resourcelimit": limit_json(cx.state, account, kind) }))
}
