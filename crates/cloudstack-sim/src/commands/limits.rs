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

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

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
        let current = used[r.index()];
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

/// `vmlimit`/`vmavailable`/`cpulimit`/`cpuavailable`/`memorylimit`/`memoryavailable` and the
/// totals, as listAccounts shows them ("Unlimited" without a limit).
pub(crate) fn account_fields(s: &State, account: usize) -> Value {
    let used = usage(s, account);
    let limits = s.accounts[account].limits;
    let mut v = json!({});
    for (i, key) in ["vm", "cpu", "memory"].iter().enumerate() {
        match limits[i] {
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
    v
}
