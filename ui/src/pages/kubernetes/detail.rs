//! One cluster: its facts, its nodes (with role, state and IP; workers can be ticked for removal),
//! its health, the job running on it, the recovery of a cluster in Alert or Error, and the
//! lifecycle actions.

use super::health::{Health, HealthPanel};
use super::{actions, autoscale_text, cluster_job_title, in_trouble, kube_state_class, kubeconfig};
use crate::components::icons::Icon;
use crate::components::job::JobLine;
use crate::components::toast::use_toaster;
use crate::format::{memory_text, short_time, state_class};
use crate::hooks::{Load, Reload, use_live, use_load, use_submit};
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{ClusterAction, ClusterRow, NodeRole};
use akashone_types::{ErrorCode, JobPhase};
use gloo_timers::callback::Interval;
use std::collections::BTreeSet;
use yew::prelude::*;

/// How often the open cluster's health is checked again, ms.
const HEALTH_EVERY_MS: u32 = 30_000;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub id: String,
    /// The row from the list, shown until the cluster itself is read.
    pub hint: Option<ClusterRow>,
    pub health: Option<Health>,
    pub on_check: Callback<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn Detail(props: &DetailProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let picked = use_state(BTreeSet::<String>::new);
    let deleting = use_state(|| false);
    let recover = use_submit();
    let loaded = use_load(
        (props.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| Some(cmd::KubeCluster { id: id.clone() }),
    );
    let row = loaded.ready().cloned().or_else(|| props.hint.clone());
    let zone = row.as_ref().map(|c| c.zone_id.clone()).unwrap_or_default();
    let versions = use_load(zone, Reload::KeepShown, |z| {
        (!z.is_empty()).then(|| cmd::KubeVersions {
            zone_id: Some(z.clone()),
        })
    });

    // The cluster's own view, as soon as it is opened.
    {
        let on_check = props.on_check.clone();
        use_effect_with(props.id.clone(), move |id| on_check.emit(id.clone()));
    }
    // Again every half minute while it is open, and as soon as a job on it succeeds.
    {
        let on_check = props.on_check.clone();
        use_effect_with(props.id.clone(), move |id| {
            let id = id.clone();
            let interval = Interval::new(HEALTH_EVERY_MS, move || on_check.emit(id.clone()));
            move || drop(interval)
        });
    }
    {
        let on_check = props.on_check.clone();
        let done = row
            .as_ref()
            .and_then(|c| live.kube_latest(&c.id, &c.name))
            .filter(|j| j.phase == JobPhase::Succeeded)
            .map(|j| j.task_id);
        let id = props.id.clone();
        use_effect_with(done, move |done| {
            if done.is_some() {
                on_check.emit(id);
            }
        });
    }
    // Deleted (or gone from the cache): back to the list.
    {
        let on_close = props.on_close.clone();
        let gone = matches!(&*loaded, Load::Failed(e) if e.code == ErrorCode::NotFound);
        use_effect_with(gone, move |gone| {
            if *gone {
                on_close.emit(());
            }
        });
    }
    // Ticked workers that are no longer workers of the cluster are forgotten.
    {
        let picked = picked.clone();
        let workers: BTreeSet<String> = row
            .iter()
            .flat_map(|c| c.nodes.iter())
            .filter(|n| n.role == NodeRole::Worker)
            .map(|n| n.vm_id.clone())
            .collect();
        use_effect_with(workers, move |w| {
            if !picked.is_subset(w) {
                picked.set(picked.intersection(w).cloned().collect());
            }
        });
    }

    let back = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let Some(c) = row else {
        return html! {
            <div class="kube-detail" id="kube-detail">
                <button class="link-button" id="kube-back-list" onclick={back}>{"← All clusters"}</button>
                { match &*loaded {
                    Load::Failed(e) => html! { <div class="banner banner-error">{ Icon::Alert.render() }<span>{ &e.message }</span></div> },
                    _ => html! { <p class="muted">{"Loading the cluster…"}</p> },
                } }
            </div>
        };
    };

    let job = live.kube_latest(&c.id, &c.name).cloned();
    let running = live.kube_running(&c.id, &c.name).is_some();
    let on_sent = {
        let picked = picked.clone();
        let deleting = deleting.clone();
        Callback::from(move |_| {
            picked.set(BTreeSet::new());
            deleting.set(false);
        })
    };
    let on_deleting = {
        let deleting = deleting.clone();
        Callback::from(move |open: bool| deleting.set(open))
    };
    let on_saved = {
        let (on_check, id) = (props.on_check.clone(), c.id.clone());
        Callback::from(move |_| on_check.emit(id.clone()))
    };
    let start_again = {
        let (recover, toaster, id) = (recover.clone(), toaster.clone(), c.id.clone());
        Callback::from(move |_| {
            let toaster = toaster.clone();
            recover.send(
                cmd::KubeAction {
                    id: id.clone(),
                    action: ClusterAction::Start,
                },
                move |r| {
                    if let Err(e) = r {
                        toaster.error(e)
                    }
                },
            );
        })
    };
    let start_why = actions::refusal(&live, &c, &ClusterAction::Start);
    let delete_from_trouble = {
        let deleting = deleting.clone();
        Callback::from(move |_| deleting.set(true))
    };
    let failed = live.kube_failed(&c.id, &c.name).cloned();

    html! {
        <div class="kube-detail" id="kube-detail" data-cluster-id={c.id.clone()} data-cluster={c.name.clone()} data-state={c.state.clone()}>
            <div class="kube-detail-head">
                <button class="link-button" id="kube-back-list" onclick={back}>{"← All clusters"}</button>
                <div class="kube-title-row">
                    <span class="hero-icon kube-icon">{ Icon::Kubernetes.render() }</span>
                    <div class="kube-title">
                        <h1 class="page-title">{ &c.name }</h1>
                        <span class="mono small muted">{ &c.id }</span>
                    </div>
                    <span class={kube_state_class(&c.state)} id="kube-detail-state">{ &c.state }</span>
                    <span class="toolbar-fill"></span>
                    <span class="small muted">{ format!("{} · {} nodes · {}", c.version, c.node_count(), c.zone_name) }</span>
                </div>
            </div>
            if let Some(j) = job {
                <JobLine what={cluster_job_title(&j)} job={j} id="kube-job" />
            }
            if in_trouble(&c.state) && !running {
                <div class="banner banner-error kube-trouble" id="kube-trouble" role="alert">
                    { Icon::Alert.render() }
                    <div class="banner-text">
                        <strong>{ format!("{} is in {}.", c.name, c.state) }</strong>
                        <p id="kube-trouble-reason" class={classes!(failed.is_some().then_some("kube-trouble-known"))}>
                            { match &failed {
                                Some(j) => format!("The {} job failed: {}", j.action, j.error.clone().unwrap_or_else(|| "CloudStack gave no reason.".into())),
                                None => "The job that failed ran before this console was opened, so its error text is not known here; CloudStack's events of the cluster have it.".into(),
                            } }
                        </p>
                        <p class="small">{"CloudStack refuses to scale or upgrade it until it is running again. It can be started again (which resumes a half-done create or scale) or deleted."}</p>
                        <div class="form-actions">
                            <button class="button button-small" id="kube-recover-start" onclick={start_again}
                                    disabled={start_why.is_some() || recover.busy()} title={start_why.clone().unwrap_or_default()}>
                                { Icon::Play.render() }{"Start again"}
                            </button>
                            <button class="button button-small button-danger" id="kube-recover-delete" onclick={delete_from_trouble}>
                                { Icon::Trash.render() }{"Delete…"}
                            </button>
                            if let Some(w) = start_why { <span class="small">{ w }</span> }
                        </div>
                    </div>
                </div>
            }
            <div class="kube-detail-grid">
                <div class="kube-col">
                    <div class="card kube-card">
                        <div class="card-head"><h2>{"Cluster"}</h2></div>
                        <dl class="facts kube-facts">
                            <dt>{"Kubernetes"}</dt><dd class="mono">{ &c.version }</dd>
                            <dt>{"Endpoint"}</dt><dd class="mono" id="kube-endpoint">{ if c.endpoint.is_empty() { "— (not running)".into() } else { c.endpoint.clone() } }</dd>
                            <dt>{"Zone"}</dt><dd>{ &c.zone_name }</dd>
                            <dt>{"Network"}</dt><dd>{ &c.network_name }</dd>
                            <dt>{"Nodes"}</dt><dd>{ format!("{} control · {} workers", c.control_nodes, c.workers) }</dd>
                            <dt>{"Autoscaling"}</dt><dd>{ autoscale_text(&c) }</dd>
                            <dt>{"Offering"}</dt><dd>{ &c.offering_name }</dd>
                            <dt>{"Capacity"}</dt><dd>{ format!("{} vCPU · {}", c.cpu, memory_text(c.memory_mb)) }</dd>
                            <dt>{"SSH key pair"}</dt><dd>{ c.keypair.clone().unwrap_or_else(|| "None".into()) }</dd>
                            <dt>{"Owner"}</dt><dd>{ format!("{} · {}", c.account, c.domain) }</dd>
                            <dt>{"Created"}</dt><dd>{ short_time(&c.created) }</dd>
                        </dl>
                    </div>
                    { nodes(&c, &picked) }
                </div>
                <div class="kube-col">
                    <HealthPanel cluster={c.clone()} health={props.health.clone()} on_check={props.on_check.clone()} />
                    <kubeconfig::Kubeconfig cluster={c.clone()} on_saved={on_saved} />
                </div>
            </div>
            <actions::Actions cluster={c.clone()} versions={(*versions).clone()}
                              picked={picked.iter().cloned().collect::<Vec<_>>()} on_sent={on_sent}
                              deleting={*deleting} on_deleting={on_deleting} />
        </div>
    }
}

/// The nodes table; workers have a box to tick for "Remove chosen workers".
fn nodes(c: &ClusterRow, picked: &UseStateHandle<BTreeSet<String>>) -> Html {
    html! {
        <div class="card table kube-nodes" id="kube-nodes">
            <div class="table-row table-head kube-node-row">
                <span></span><span>{"Node"}</span><span>{"Role"}</span><span>{"State"}</span><span>{"IP address"}</span>
            </div>
            if c.nodes.is_empty() {
                <div class="table-empty muted">{"No nodes yet."}</div>
            }
            { for c.nodes.iter().map(|n| {
                let worker = n.role == NodeRole::Worker;
                let toggle = {
                    let (picked, id) = (picked.clone(), n.vm_id.clone());
                    Callback::from(move |_: Event| {
                        let mut next = (*picked).clone();
                        if !next.remove(&id) {
                            next.insert(id.clone());
                        }
                        picked.set(next);
                    })
                };
                html! {
                    <label class="table-row kube-node-row" key={n.vm_id.clone()} data-node-name={n.name.clone()}
                           data-role={if worker { "worker" } else { "control" }} data-state={n.state.clone()}>
                        <span>
                            if worker {
                                <input type="checkbox" class="kube-node-pick" checked={picked.contains(&n.vm_id)}
                                       onchange={toggle} aria-label={format!("Remove {}", n.name)} />
                            }
                        </span>
                        <span class="mono small kube-name" title={n.name.clone()}>{ &n.name }</span>
                        <span><span class={classes!("badge", (!worker).then_some("badge-accent"), "kube-role")}>
                            { if worker { "worker" } else { "control" } }</span></span>
                        <span><span class={state_class(&n.state)}>{ &n.state }</span></span>
                        <span class="mono small">{ n.ip.clone().unwrap_or_else(|| "—".into()) }</span>
                    </label>
                }
            }) }
        </div>
    }
}
