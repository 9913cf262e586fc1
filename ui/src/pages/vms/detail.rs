//! The detail panel of one VM: facts from the cache, what points at it (volumes, VM snapshots,
//! static NAT and port forwards), live metrics, and the lifecycle actions (each enabled only in
//! the states where CloudStack allows it).

use super::{memory_text, short_time, state_class};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::format::{kib, num};
use crate::hooks::{Reload, use_live, use_load};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::owning_cluster;
use akashone_types::{VmAction, VmMetrics, VmRow};
use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

/// How often live metrics are refreshed while the panel is open, ms.
const METRICS_EVERY_MS: u32 = 5_000;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub id: String,
    pub on_close: Callback<()>,
}

#[component]
pub fn Detail(props: &DetailProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let row = use_state(|| None::<VmRow>);
    let metrics = use_state(|| None::<Result<VmMetrics, String>>);
    let confirm_destroy = use_state(|| false);
    let expunge = use_state(|| false);

    // The row, again whenever the cached data changes.
    {
        let row = row.clone();
        let toaster = toaster.clone();
        let on_close = props.on_close.clone();
        use_effect_with((props.id.clone(), live.data_version), move |(id, _)| {
            let id = id.clone();
            spawn_local(async move {
                match invoke(&cmd::VmGet { id }).await {
                    Ok(r) => row.set(Some(r)),
                    Err(e) if e.code == akashone_types::ErrorCode::NotFound => on_close.emit(()),
                    Err(e) => toaster.error(e),
                }
            });
        });
    }

    // Live metrics while online, every few seconds.
    let online = live.can_act().is_ok();
    {
        let metrics = metrics.clone();
        use_effect_with((props.id.clone(), online), move |(id, online)| {
            metrics.set(None);
            let interval = online.then(|| {
                let fetch = {
                    let id = id.clone();
                    let metrics = metrics.clone();
                    move || {
                        let id = id.clone();
                        let metrics = metrics.clone();
                        spawn_local(async move {
                            metrics.set(Some(
                                invoke(&cmd::VmMetrics { id }).await.map_err(|e| e.message),
                            ));
                        });
                    }
                };
                fetch();
                Interval::new(METRICS_EVERY_MS, fetch)
            });
            move || drop(interval)
        });
    }

    // Kubernetes clusters whose nodes these are: such a VM is changed from the Kubernetes page.
    let clusters = use_load(live.data_version, Reload::KeepShown, |_| {
        Some(cmd::KubeClusters {})
    });

    let Some(vm) = (*row).clone() else {
        return html! { <aside class="card vm-detail"><div class="muted">{"Loading…"}</div></aside> };
    };

    let owner = clusters
        .ready()
        .and_then(|l| owning_cluster(&vm.id, l))
        .map(|c| c.name.clone());
    let job = live.running_job_on(&vm.id).cloned();
    let can_act = live.can_act();
    let act = {
        let toaster = toaster.clone();
        let id = vm.id.clone();
        let confirm_destroy = confirm_destroy.clone();
        Callback::from(move |action: VmAction| {
            let toaster = toaster.clone();
            let id = id.clone();
            confirm_destroy.set(false);
            spawn_local(async move {
                if let Err(e) = invoke(&cmd::VmAction { id, action }).await {
                    toaster.error(e);
                }
            });
        })
    };
    let button = |action: VmAction, label: &'static str, icon: Icon, class: &'static str| {
        let reason = if let Err(r) = &can_act {
            Some(r.clone())
        } else if job.is_some() {
            Some("An action is already running on this VM".to_owned())
        } else if let (
            Some(c),
            VmAction::Stop | VmAction::ForceStop | VmAction::Destroy | VmAction::DestroyExpunge,
        ) = (&owner, action)
        {
            Some(format!(
                "A node of Kubernetes cluster {c}: stop, scale or delete the cluster from the Kubernetes page (changing a node here puts the cluster in Alert)"
            ))
        } else if !action.allowed_in(&vm.state) {
            Some(format!("Not possible while the VM is {}", vm.state))
        } else {
            None
        };
        let act = act.clone();
        let confirm_destroy = confirm_destroy.clone();
        let disabled = reason.is_some();
        let onclick = Callback::from(move |_| {
            if matches!(action, VmAction::Destroy | VmAction::DestroyExpunge) {
                confirm_destroy.set(true);
            } else {
                act.emit(action);
            }
        });
        html! {
            <button class={classes!("button", class)} data-action={format!("{action:?}").to_lowercase()}
                    disabled={disabled} title={reason.unwrap_or_default()} onclick={onclick}>
                { icon.render() }{ label }
            </button>
        }
    };

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let do_destroy = {
        let act = act.clone();
        let expunge = expunge.clone();
        Callback::from(move |_| {
            act.emit(if *expunge {
                VmAction::DestroyExpunge
            } else {
                VmAction::Destroy
            })
        })
    };
    let cancel_destroy = {
        let confirm_destroy = confirm_destroy.clone();
        Callback::from(move |_| confirm_destroy.set(false))
    };
    let toggle_expunge = {
        let expunge = expunge.clone();
        Callback::from(move |_| expunge.set(!*expunge))
    };

    html! {
        <aside class="card vm-detail" id="vm-detail" data-vm={vm.name.clone()}>
            <div class="detail-head">
                <div>
                    <h2 class="detail-title">{ &vm.name }</h2>
                    <div class="mono small muted">{ &vm.id }</div>
                </div>
                <button class="icon-button" aria-label="Close" onclick={close}>{ Icon::Close.render() }</button>
            </div>
            <div class="detail-state">
                <span class={state_class(&vm.state)} id="detail-state">{ &vm.state }</span>
                if let Some(job) = &job {
                    <span class="small muted job-progress"><span class="spinner"></span>
                        { format!("{}… ({} s)", job.action, job.elapsed_ms / 1000) }</span>
                }
            </div>
            if let Some(c) = &owner {
                <div class="notice small" id="vm-kube-node" data-cluster-name={c.clone()}>
                    { Icon::Kubernetes.render() }
                    <span>{ format!("A node of Kubernetes cluster {c}. ") }
                        <Link<Route> to={Route::Kubernetes} classes="link-button">{"Manage it on the Kubernetes page"}</Link<Route>>
                    </span>
                </div>
            }
            <div class="detail-actions">
                { button(VmAction::Start, "Start", Icon::Play, "") }
                { button(VmAction::Stop, "Stop", Icon::Square, "") }
                { button(VmAction::ForceStop, "Force stop", Icon::Power, "") }
                { button(VmAction::Reboot, "Reboot", Icon::Refresh, "") }
                { button(VmAction::Destroy, "Destroy", Icon::Trash, "button-danger") }
            </div>
            if *confirm_destroy {
                <div class="confirm" id="destroy-confirm">
                    <p>{ format!("Destroy {}? Its root disk is kept until the VM is expunged.", vm.name) }</p>
                    <label class="check"><input type="checkbox" id="expunge" checked={*expunge} onchange={toggle_expunge} />
                        {"Expunge now (cannot be recovered)"}</label>
                    <div class="form-actions">
                        <button class="button button-ghost" onclick={cancel_destroy}>{"Cancel"}</button>
                        <button class="button button-danger" id="confirm-destroy" onclick={do_destroy}>{"Destroy"}</button>
                    </div>
                </div>
            }
            <dl class="facts">
                <dt>{"Zone"}</dt><dd>{ &vm.zone_name }</dd>
                <dt>{"Template"}</dt><dd>{ &vm.template_name }</dd>
                <dt>{"Offering"}</dt><dd>{ &vm.offering_name }</dd>
                <dt>{"CPU"}</dt><dd>{ format!("{} vCPU", vm.cpu) }</dd>
                <dt>{"Memory"}</dt><dd>{ memory_text(vm.memory_mb) }</dd>
                <dt>{"IP address"}</dt><dd class="mono">{ if vm.ip.is_empty() { "—".to_owned() } else { vm.ip.clone() } }</dd>
                <dt>{"Account"}</dt><dd>{ format!("{} · {}", vm.account, vm.domain) }</dd>
                <dt>{"Created"}</dt><dd>{ short_time(&vm.created) }</dd>
            </dl>
            <super::links::VmLinks vm_id={vm.id.clone()} vm_state={vm.state.clone()} />
            <h3 class="section-title">{"Live metrics"}</h3>
            { match (*metrics).clone() {
                _ if !online => html! { <p class="small muted">{"Live metrics need the cloud: not available offline."}</p> },
                None => html! { <p class="small muted">{"Reading…"}</p> },
                Some(Err(e)) => html! { <p class="small muted">{ format!("Not available: {e}") }</p> },
                Some(Ok(m)) => html! {
                    <dl class="facts metrics" id="vm-metrics">
                        <dt>{"CPU used"}</dt><dd>{ if m.cpu_used.is_empty() { "—".into() } else { m.cpu_used.clone() } }</dd>
                        <dt>{"Memory used"}</dt><dd>{ kib(m.memory_used_kib) }</dd>
                        <dt>{"Network in / out"}</dt><dd>{ format!("{} / {}", kib(m.network_read_kib), kib(m.network_write_kib)) }</dd>
                        <dt>{"Disk read / write"}</dt><dd>{ format!("{} / {}", kib(m.disk_read_kib), kib(m.disk_write_kib)) }</dd>
                        <dt>{"Disk IOPS (r / w)"}</dt><dd>{ format!("{} / {}", num(m.disk_read_ops), num(m.disk_write_ops)) }</dd>
                    </dl>
                },
            } }
        </aside>
    }
}
