//! Kubernetes: the CloudStack Kubernetes Service clusters from the cache (readable offline), each
//! with CloudStack's state and, on request, the cluster's own view of its health; the create
//! wizard; and a cluster's detail with its nodes and lifecycle actions.

mod actions;
mod detail;
mod health;
mod kubeconfig;
mod review;
mod steps;
mod wizard;

use crate::components::icons::Icon;
use crate::components::job::JobLine;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::short_time;
use crate::hooks::{Live, Load, Reload, use_live, use_load};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::ClusterRow;
use akashone_types::{ConnectionStatus, JobPhase, Reachability};
use health::{HealthMap, HealthSummary};
use std::collections::HashSet;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

/// The badge class of a cluster's state: busy while CloudStack works on it, red in Alert or Error.
pub fn kube_state_class(state: &str) -> &'static str {
    match state {
        "Running" => "state state-running",
        "Stopped" => "state state-stopped",
        "Starting" | "Stopping" | "Scaling" | "Upgrading" | "Recovering" | "Destroying" => {
            "state state-busy"
        }
        "Alert" | "Error" => "state state-error",
        _ => "state state-other",
    }
}

/// Whether a cluster's state needs a recovery.
pub fn in_trouble(state: &str) -> bool {
    matches!(state, "Alert" | "Error")
}

/// Why a cluster is in Alert or Error, as far as this run of the console knows.
pub fn trouble_reason(live: &Live, c: &ClusterRow) -> String {
    match live.kube_failed(&c.id, &c.name) {
        Some(j) => format!(
            "{} failed: {}",
            crate::format::capitalise(&j.action),
            j.error.clone().unwrap_or_else(|| "no reason given".into())
        ),
        None => "A create, scale or upgrade did not finish; open the cluster to recover it.".into(),
    }
}

/// The text of a cluster job's progress: "Scale cluster-1".
pub fn cluster_job_title(j: &akashone_types::JobEvent) -> String {
    format!("{} {}", crate::format::capitalise(&j.action), j.vm_name)
}

/// "1–5", or "off".
pub fn autoscale_text(c: &ClusterRow) -> String {
    match c.autoscale {
        Some((min, max)) => format!("{min}–{max}"),
        None => "off".into(),
    }
}

/// The offline banner, as on the VM page.
fn offline_banner(status: &ConnectionStatus) -> Html {
    if status.reachability != Reachability::Offline {
        return Html::default();
    }
    let when = status
        .last_synced
        .as_deref()
        .map(short_time)
        .unwrap_or_else(|| "no sync yet".into());
    html! {
        <div class="banner banner-warn" id="offline-banner" title={status.last_error.clone().unwrap_or_default()}>
            { Icon::Alert.render() }
            <span>
                <strong>{ format!("Offline — clusters as of {when}.") }</strong>
                {" The cloud does not answer, so the list shows what was last synced and actions are disabled. \
                  Health checks still try each cluster's own API."}
            </span>
        </div>
    }
}

#[component]
pub fn Kubernetes() -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let selected = use_state(|| None::<String>);
    let creating = use_state(|| false);
    let filter = use_state(String::new);
    let health = use_reducer(HealthMap::default);
    let dismissed = use_state(HashSet::<u64>::new);

    let status = live.status.clone();
    let connected = status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);
    let clusters = use_load(
        (live.data_version, connected),
        Reload::KeepShown,
        |(_, connected)| connected.then_some(cmd::KubeClusters {}),
    );

    if !connected {
        return html! {
            <section class="page" data-page="kubernetes">
                <PageHeader title="Kubernetes" subtitle="CloudStack Kubernetes Service clusters." />
                <div class="hero card">
                    <div class="hero-icon">{ Icon::Kubernetes.render() }</div>
                    <div class="hero-text">
                        <h2>{"No cloud connected"}</h2>
                        <p class="muted">{"Connect to a CloudStack cloud, or start the demo, to run Kubernetes clusters."}</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Set up a connection"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            </section>
        };
    }
    let status = status.unwrap_or_else(|| unreachable!("connected implies a status"));
    let can_act = live.can_act();
    let list: Vec<ClusterRow> = clusters.ready().cloned().unwrap_or_default();

    let check = {
        let health = health.clone();
        Callback::from(move |id: String| health::check(&health, id))
    };
    let check_all = {
        let check = check.clone();
        let ids: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
        Callback::from(move |_| ids.iter().for_each(|id| check.emit(id.clone())))
    };
    let refresh = {
        let toaster = toaster.clone();
        Callback::from(move |_| {
            let toaster = toaster.clone();
            spawn_local(async move {
                if let Err(e) = invoke(&cmd::SyncNow {}).await {
                    toaster.error(e);
                }
            });
        })
    };
    let open_create = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(true))
    };
    let close_create = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(false))
    };
    let close_detail = {
        let selected = selected.clone();
        Callback::from(move |_| selected.set(None))
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            filter.set(el.value());
        })
    };

    if let Some(id) = (*selected).clone() {
        let hint = list.iter().find(|c| c.id == id).cloned();
        return html! {
            <section class="page kube-page" data-page="kubernetes">
                { offline_banner(&status) }
                <detail::Detail id={id.clone()} hint={hint} health={health.get(&id)}
                                on_check={check.clone()} on_close={close_detail} />
            </section>
        };
    }

    let needle = filter.trim().to_lowercase();
    let shown: Vec<&ClusterRow> = list
        .iter()
        .filter(|c| {
            needle.is_empty()
                || [&c.name, &c.state, &c.zone_name, &c.version, &c.network_name]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
        })
        .collect();
    // Creates under way, and failed ones until dismissed, while their cluster is not listed.
    let creates: Vec<_> = live
        .kube_creates()
        .filter(|j| !dismissed.contains(&j.task_id))
        .filter(|j| !list.iter().any(|c| c.name == j.vm_name))
        .cloned()
        .collect();

    html! {
        <section class="page kube-page" data-page="kubernetes">
            <PageHeader title="Kubernetes" subtitle="CloudStack Kubernetes Service clusters: create, scale, upgrade, and their health as Kubernetes sees it.">
                <button id="kube-sync" class="button" onclick={refresh} disabled={status.syncing || can_act.is_err()}
                        title={can_act.clone().err().unwrap_or_else(|| "Refresh from the cloud".into())}>
                    { Icon::Refresh.render() }{ if status.syncing { "Syncing…" } else { "Refresh" } }
                </button>
                <button id="kube-create" class="button button-primary" onclick={open_create}
                        disabled={can_act.is_err()} title={can_act.clone().err().unwrap_or_default()}>
                    { Icon::Plus.render() }{"Create cluster"}
                </button>
            </PageHeader>
            { offline_banner(&status) }
            { for creates.iter().map(|j| {
                let dismiss = (j.phase == JobPhase::Failed).then(|| {
                    let (dismissed, task) = (dismissed.clone(), j.task_id);
                    Callback::from(move |_| {
                        let mut next = (*dismissed).clone();
                        next.insert(task);
                        dismissed.set(next);
                    })
                });
                html! { <JobLine job={j.clone()} what={cluster_job_title(j)} on_dismiss={dismiss} /> }
            }) }
            <div class="toolbar">
                <label class="search small-search">
                    { Icon::Search.render() }
                    <input id="kube-filter" placeholder="Filter clusters" value={(*filter).clone()} oninput={on_filter} />
                </label>
                <span class="toolbar-fill"></span>
                <span class="small muted" id="kube-count">
                    { if shown.len() == list.len() { crate::format::plural(list.len(), "cluster", "clusters") }
                      else { format!("{} of {}", shown.len(), crate::format::plural(list.len(), "cluster", "clusters")) } }
                </span>
                <button class="button button-small" id="kube-health-all" onclick={check_all} disabled={list.is_empty()}
                        title="Ask each cluster's own API, through its kubeconfig, how it is">
                    { Icon::Activity.render() }{"Check health"}
                </button>
            </div>
            <div class="card table kube-table" id="kube-list">
                <div class="table-row table-head kube-row">
                    <span>{"Name"}</span><span>{"State"}</span><span>{"Version"}</span>
                    <span class="c-num">{"Control"}</span><span class="c-num">{"Workers"}</span>
                    <span>{"Autoscale"}</span><span>{"Zone · network"}</span><span>{"Endpoint"}</span><span>{"Health"}</span>
                </div>
                { match &*clusters {
                    Load::Loading => html! { <div class="table-empty muted">{"Loading the clusters…"}</div> },
                    Load::Failed(e) => html! { <div class="table-empty field-error">{ format!("The clusters could not be read: {}", e.message) }</div> },
                    Load::Ready(l) if l.is_empty() => html! {
                        <div class="table-empty muted" id="kube-empty">{"No Kubernetes clusters yet. Create one to get a kubeconfig in a few minutes."}</div>
                    },
                    Load::Ready(_) if shown.is_empty() => html! { <div class="table-empty muted">{"No cluster matches this filter."}</div> },
                    Load::Ready(_) => html! { <>{ for shown.iter().map(|c| row(&live, c, &selected, &health, &check)) }</> },
                } }
            </div>
            if *creating {
                <wizard::CreateWizard on_close={close_create} />
            }
        </section>
    }
}

fn row(
    live: &Live,
    c: &ClusterRow,
    selected: &UseStateHandle<Option<String>>,
    health: &UseReducerHandle<HealthMap>,
    check: &Callback<String>,
) -> Html {
    let open = {
        let selected = selected.clone();
        let id = c.id.clone();
        Callback::from(move |_| selected.set(Some(id.clone())))
    };
    let on_check = {
        let check = check.clone();
        let id = c.id.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            check.emit(id.clone());
        })
    };
    let on_key = {
        let selected = selected.clone();
        let id = c.id.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                selected.set(Some(id.clone()));
            }
        })
    };
    let job = live.kube_running(&c.id, &c.name);
    let trouble = in_trouble(&c.state).then(|| trouble_reason(live, c));
    html! {
        <div class={classes!("table-row", "kube-row", trouble.is_some().then_some("kube-row-trouble"))}
             key={c.id.clone()} data-cluster-name={c.name.clone()} data-cluster-id={c.id.clone()}
             data-state={c.state.clone()} onclick={open} onkeydown={on_key} role="row" tabindex="0">
            <span class="kube-name" title={c.name.clone()}>{ &c.name }</span>
            <span class="kube-state-cell">
                if let Some(job) = job {
                    <span class="state state-busy"><span class="spinner"></span>{ format!("{}…", job.action) }</span>
                } else {
                    <span class={kube_state_class(&c.state)}>{ &c.state }</span>
                }
                if let Some(r) = &trouble {
                    <span class="kube-reason small" title={r.clone()}>{ r }</span>
                }
            </span>
            <span class="mono small">{ &c.version }</span>
            <span class="c-num">{ c.control_nodes }</span>
            <span class="c-num">{ c.workers }</span>
            <span class={classes!("small", c.autoscale.is_none().then_some("muted"))}>{ autoscale_text(c) }</span>
            <span class="kube-where" title={format!("{} · {}", c.zone_name, c.network_name)}>
                <span>{ &c.zone_name }</span><span class="small muted">{ &c.network_name }</span>
            </span>
            <span class="mono small kube-endpoint" title={c.endpoint.clone()}>
                { if c.endpoint.is_empty() { "—".to_owned() } else { c.endpoint.clone() } }
            </span>
            <span class="kube-health-cell">
                if let Some(h) = health.get(&c.id) {
                    <HealthSummary cluster={c.clone()} health={h} compact={true} />
                } else {
                    <button class="link-button kube-health-check" onclick={on_check}>{"Check health"}</button>
                }
            </span>
        </div>
    }
}
