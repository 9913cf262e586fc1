//! The life of a VM after deployment: start, stop, reboot and destroy, queued as jobs and
//! completed when due.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{class, vm_json, vm_param, zone_has_room};
use crate::commands::Ctx;
use crate::error::ApiError;
use crate::state::State;
use crate::state::jobs::Action;
use crate::state::model::{Vm, VmState};

/// Queues a power operation on a VM behind any job already running on it.
fn power(
    cx: &mut Ctx,
    cmd: &str,
    event: &str,
    make: fn(usize) -> Action,
) -> Result<Value, ApiError> {
    let vm = vm_param(cx, "id")?;
    let delay = cx.state.knobs.start_delay;
    let after = cx.state.vms[vm].busy_until;
    let idle = cx.state.pending(cx.state.vms[vm].pending_job).is_none();
    let action = make(vm);
    // Transitional states show at once when the VM is idle and the move is valid.
    if idle {
        let v = &mut cx.state.vms[vm];
        match (action, v.state) {
            (Action::StartVm(_), VmState::Stopped) => v.state = VmState::Starting,
            (Action::StopVm(_), VmState::Running) => v.state = VmState::Stopping,
            _ => {}
        }
    }
    let id = cx.state.vms[vm].id.clone();
    let (job, due) = cx.state.submit(
        &cx.caller,
        class(&cx.caller, cmd),
        Some(("VirtualMachine", id.clone())),
        delay,
        after,
        action,
    );
    cx.state.vms[vm].pending_job = Some(job);
    cx.state.vms[vm].busy_until = Some(due);
    let name = cx.state.vms[vm].name.clone();
    cx.state.event(
        &cx.caller,
        event,
        format!("{event} for Vm. Vm Name: {name}"),
        Some(("VirtualMachine", id, name)),
        OffsetDateTime::now_utc(),
    );
    Ok(json!({ "jobid": cx.state.jobs[job].id }))
}

/// startVirtualMachine.
pub(crate) fn start(cx: &mut Ctx) -> Result<Value, ApiError> {
    power(cx, "StartVMCmd", "VM.START", Action::StartVm)
}

/// stopVirtualMachine (`forced` accepted; the simulator stops at once either way).
pub(crate) fn stop(cx: &mut Ctx) -> Result<Value, ApiError> {
    power(cx, "StopVMCmd", "VM.STOP", Action::StopVm)
}

/// rebootVirtualMachine.
pub(crate) fn reboot(cx: &mut Ctx) -> Result<Value, ApiError> {
    power(cx, "RebootVMCmd", "VM.REBOOT", Action::RebootVm)
}

/// destroyVirtualMachine (`expunge` for admins only, as by default).
pub(crate) fn destroy(cx: &mut Ctx) -> Result<Value, ApiError> {
    let expunge = cx.p.flag_or("expunge", false);
    if expunge && !cx.caller.is_admin() {
        return Err(ApiError::permission_denied(
            "Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is set.",
        ));
    }
    if expunge {
        power(cx, "DestroyVMCmd", "VM.DESTROY", |vm| Action::DestroyVm {
            vm,
            expunge: true,
        })
    } else {
        power(cx, "DestroyVMCmd", "VM.DESTROY", |vm| Action::DestroyVm {
            vm,
            expunge: false,
        })
    }
}

fn close_running(vm: &mut Vm, when: OffsetDateTime) {
    if let Some(last) = vm.running.last_mut()
        && last.1.is_none()
    {
        last.1 = Some(when);
    }
}

fn deployment_error(vm: &Vm) -> ApiError {
    ApiError::insufficient_capacity(format!(
        "Unable to create a deployment for VM[User|{}]",
        vm.instance_name
    ))
}

/// Completes a VM job. Invalid transitions fail the job as CloudStack does.
pub(crate) fn complete(
    s: &mut State,
    job: usize,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    let vm = match action {
        Action::DeployVm(v) | Action::StartVm(v) | Action::StopVm(v) | Action::RebootVm(v) => v,
        Action::DestroyVm { vm, .. } => vm,
        _ => unreachable!("not a VM job"),
    };
    if s.vms[vm].pending_job == Some(job) {
        s.vms[vm].pending_job = None;
    }
    let has_room = zone_has_room(s, s.vms[vm].zone, Some(vm));
    let v = &mut s.vms[vm];
    let outcome = match action {
        Action::DeployVm(_) => {
            if v.doomed {
                v.doomed = false;
                v.state = VmState::Error;
                Err(deployment_error(v))
            } else {
                if v.state == VmState::Starting {
                    v.state = VmState::Running;
                    v.running.push((when, None));
                }
                Ok(())
            }
        }
        Action::StartVm(_) => match v.state {
            VmState::Starting | VmState::Stopped if has_room => {
                v.state = VmState::Running;
                v.running.push((when, None));
                Ok(())
            }
            VmState::Starting | VmState::Stopped => {
                v.state = VmState::Stopped;
                Err(deployment_error(v))
            }
            VmState::Running => Err(ApiError::invalid(format!(
                "The virtual machine {} ({}) is already running",
                v.id, v.display
            ))),
            other => Err(ApiError::invalid(format!(
                "Unable to start VM instance {} as it is in state {}",
                v.id,
                other.as_str()
            ))),
        },
        Action::StopVm(_) => match v.state {
            VmState::Running | VmState::Stopping | VmState::Starting => {
                v.state = VmState::Stopped;
                close_running(v, when);
                Ok(())
            }
            VmState::Stopped => Ok(()),
            other => Err(ApiError::invalid(format!(
                "Unable to stop VM instance {} as it is in state {}",
                v.id,
                other.as_str()
            ))),
        },
        Action::RebootVm(_) => match v.state {
            VmState::Running => Ok(()),
            _ => Err(ApiError::internal("Failed to reboot vm instance")),
        },
        Action::DestroyVm { expunge, .. } => {
            if v.state != VmState::Destroyed || expunge {
                close_running(v, when);
                v.state = if expunge {
                    VmState::Expunging
                } else {
                    VmState::Destroyed
                };
                if v.destroyed_at.is_none() {
                    v.destroyed_at = Some(when);
                }
                destroy_volumes(s, vm, when, expunge);
            }
            Ok(())
        }
        _ => unreachable!("not a VM job"),
    };
    outcome?;
    let body = json!({ "virtualmachine": vm_json(s, vm, false) });
    if s.vms[vm].state == VmState::Expunging {
        s.vms[vm].removed = true;
        crate::commands::addresses::forget_vm(s, vm, when);
    }
    Ok(body)
}

fn destroy_volumes(s: &mut State, vm: usize, when: OffsetDateTime, expunge: bool) {
    for vol in s
        .volumes
        .iter_mut()
        .filter(|v| v.vm == Some(vm) && !v.removed)
    {
        if vol.root {
            vol.state = if expunge { "Expunged" } else { "Destroy" };
            if expunge {
                vol.removed = true;
                vol.removed_at = Some(when);
            }
        } else {
            vol.vm = None;
            vol.device_id = None;
            vol.attached = None;
        }
    }
}
