//! The wizard's steps before the review: each reads the form from the [`Ctx`] and hands a changed
//! copy back.

use super::wizard::{Ctx, Form};
use crate::format::memory_text;
use crate::hooks::Load;
use akashone_types::kubernetes::{
    KubeOffering, KubeVersion, MAX_CLUSTER_SIZE, MIN_HA_VERSION, MIN_NODE_CPUS, MIN_NODE_MEMORY_MB,
    cluster_name_problem,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A callback that changes the form with `f` and the value of the input or select it fires on.
fn on_value<E: AsRef<Event>>(ctx: &Ctx, f: fn(&mut Form, String)) -> Callback<E> {
    let (form, set) = (ctx.form.clone(), ctx.set.clone());
    Callback::from(move |e: E| {
        let target = e.as_ref().target();
        let value = target
            .as_ref()
            .and_then(|t| wasm_bindgen::JsCast::dyn_ref::<HtmlInputElement>(t).map(|i| i.value()))
            .or_else(|| {
                target.as_ref().and_then(|t| {
                    wasm_bindgen::JsCast::dyn_ref::<HtmlSelectElement>(t).map(|s| s.value())
                })
            })
            .unwrap_or_default();
        let mut next = form.clone();
        f(&mut next, value);
        set.emit(next);
    })
}

/// A callback that changes the form with `f`.
fn on_click(ctx: &Ctx, f: impl Fn(&mut Form) + 'static) -> Callback<MouseEvent> {
    let (form, set) = (ctx.form.clone(), ctx.set.clone());
    Callback::from(move |_| {
        let mut next = form.clone();
        f(&mut next);
        set.emit(next);
    })
}

fn count(v: &str) -> u32 {
    v.trim().parse().unwrap_or(0)
}

fn loading_or<T>(l: &Load<Vec<T>>, what: &str, f: impl FnOnce(&Vec<T>) -> Html) -> Html {
    match l {
        Load::Loading => html! { <p class="muted">{ format!("Loading the {what}…") }</p> },
        Load::Failed(e) => {
            html! { <p class="field-error">{ format!("The {what} could not be read: {}", e.message) }</p> }
        }
        Load::Ready(items) if items.is_empty() => {
            html! { <p class="muted">{ format!("No {what} available.") }</p> }
        }
        Load::Ready(items) => f(items),
    }
}

/// A card to pick, greyed with its reason when it cannot be picked.
fn choice(
    id: &str,
    name: &str,
    detail: &str,
    selected: bool,
    refused: Option<String>,
    pick: Callback<MouseEvent>,
) -> Html {
    html! {
        <button class={classes!("choice", selected.then_some("selected"), refused.is_some().then_some("kube-refused"))}
                data-choice={name.to_owned()} data-id={id.to_owned()} disabled={refused.is_some()}
                title={refused.clone().unwrap_or_default()} onclick={pick}>
            <span class="choice-name">{ name }</span>
            <span class="small muted">{ detail }</span>
            if let Some(r) = refused { <span class="small kube-refused-why">{ r }</span> }
        </button>
    }
}

pub fn zone(ctx: &Ctx) -> Html {
    let f = &ctx.form;
    let problem = cluster_name_problem(&f.name).filter(|_| !f.name.is_empty());
    let zones = loading_or(&ctx.zones, "zones", |zones| {
        html! {
            <div class="choices" id="kube-zone" data-kind="zone">
                { for zones.iter().map(|z| {
                    let id = z.id.clone();
                    let pick = on_click(ctx, move |f| {
                        if f.zone_id != id {
                            // A version or network of another zone must not survive the change.
                            f.version_id.clear();
                            f.network_id = None;
                        }
                        f.zone_id = id.clone();
                    });
                    choice(&z.id, &z.name, &z.detail, z.id == f.zone_id, None, pick)
                }) }
            </div>
        }
    });
    html! {
        <div class="form">
            <label class="field"><span>{"Cluster name"}</span>
                <input id="kube-name" class="mono" placeholder="web" value={f.name.clone()}
                       oninput={on_value::<InputEvent>(ctx, |f, v| f.name = v)} />
                if let Some(p) = problem { <span class="field-error">{ p }</span> }
                else { <span class="small muted">{"Letters, digits and hyphens, up to 43 characters; its nodes are named after it."}</span> }
            </label>
            <div class="field"><span>{"Zone"}</span>{ zones }</div>
        </div>
    }
}

/// Why a version cannot be chosen for this form, if it cannot.
fn version_refusal(ctx: &Ctx, v: &KubeVersion) -> Option<String> {
    if !v.enabled {
        return Some("Disabled for new clusters.".into());
    }
    if !v.iso_ready {
        return Some("Its ISO is not ready in this zone yet.".into());
    }
    let (cpu, mem) = (
        v.min_cpu.max(MIN_NODE_CPUS),
        v.min_memory_mb.max(MIN_NODE_MEMORY_MB),
    );
    let small = [
        Some(&ctx.form.offering_id),
        ctx.form.control_offering_id.as_ref(),
        ctx.form.worker_offering_id.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|id| ctx.offering(id))
    .find(|o| o.cpu < cpu || o.memory_mb < mem);
    small.map(|o| {
        format!(
            "Needs {cpu} vCPU and {} per node; the offering {} has {} vCPU and {}.",
            memory_text(mem),
            o.name,
            o.cpu,
            memory_text(o.memory_mb)
        )
    })
}

pub fn version(ctx: &Ctx) -> Html {
    loading_or(&ctx.versions, "Kubernetes versions", |versions| {
        html! {
            <div class="choices" id="kube-version" data-kind="version">
                { for versions.iter().map(|v| {
                    let mut traits = vec![];
                    traits.push(if v.supports_ha { "HA" } else { "one control node" });
                    if v.supports_autoscaling { traits.push("autoscaling"); }
                    let detail = format!("{} · needs {} vCPU, {} per node", traits.join(" · "),
                        v.min_cpu.max(MIN_NODE_CPUS), memory_text(v.min_memory_mb.max(MIN_NODE_MEMORY_MB)));
                    let (id, ha, autoscale) = (v.id.clone(), v.supports_ha, v.supports_autoscaling);
                    let pick = on_click(ctx, move |f| {
                        f.version_id = id.clone();
                        if !ha { f.control_nodes = 1; }
                        if !autoscale { f.autoscale = false; }
                    });
                    choice(&v.id, &v.name, &detail, v.id == ctx.form.version_id, version_refusal(ctx, v), pick)
                }) }
            </div>
        }
    })
}

pub fn nodes(ctx: &Ctx) -> Html {
    let f = &ctx.form;
    let v = ctx.version();
    let ha = v.is_some_and(|v| v.supports_ha);
    let autoscaling = v.is_some_and(|v| v.supports_autoscaling);
    let name = v.map(|v| v.semantic_version.clone()).unwrap_or_default();
    let (a, b, c) = MIN_HA_VERSION;
    let no_ha = (!ha).then(|| {
        format!("Kubernetes {name} runs one control node: several (HA) need {a}.{b}.{c} or later and a version registered with HA support.")
    });
    let no_autoscale =
        (!autoscaling).then(|| format!("Kubernetes {name} does not support autoscaling."));
    let total = f.control_nodes + if f.autoscale { f.max } else { f.size };
    html! {
        <div class="form">
            <div class="field"><span>{"Control nodes"}</span>
                <div class="segmented" id="kube-control" data-value={f.control_nodes.to_string()}>
                    { for [1u32, 3, 5].into_iter().map(|n| {
                        let refused = (n > 1).then(|| no_ha.clone()).flatten();
                        let disabled = refused.is_some();
                        html! {
                            <button class={classes!("segment", (f.control_nodes == n).then_some("selected"))}
                                    data-value={n.to_string()} disabled={disabled}
                                    title={refused.unwrap_or_else(|| if n == 1 { "One control node".into() } else { format!("{n} control nodes: the control plane survives the loss of {}", n / 2) })}
                                    onclick={on_click(ctx, move |f| f.control_nodes = n)}>
                                { if n == 1 { "1".to_owned() } else { format!("{n} (HA)") } }
                            </button>
                        }
                    }) }
                </div>
                if let Some(r) = &no_ha { <span class="small muted kube-why">{ r }</span> }
            </div>
            <div class="field"><span>{"Workers"}</span>
                <label class={classes!("check", no_autoscale.is_some().then_some("is-disabled"))}
                       title={no_autoscale.clone().unwrap_or_default()}>
                    <input type="checkbox" id="kube-autoscale" checked={f.autoscale} disabled={no_autoscale.is_some()}
                           onchange={on_value::<Event>(ctx, |f, _| f.autoscale = !f.autoscale)} />
                    {"Autoscale: the cluster autoscaler adds and removes workers between a minimum and a maximum"}
                </label>
                if let Some(r) = &no_autoscale { <span class="small muted kube-why">{ r }</span> }
                if f.autoscale {
                    <div class="inline-form kube-numbers">
                        <label class="field"><span>{"Fewest workers"}</span>
                            <input id="kube-min" type="number" min="1" value={f.min.to_string()}
                                   oninput={on_value::<InputEvent>(ctx, |f, v| f.min = count(&v))} /></label>
                        <label class="field"><span>{"Most workers"}</span>
                            <input id="kube-max" type="number" min="2" value={f.max.to_string()}
                                   oninput={on_value::<InputEvent>(ctx, |f, v| f.max = count(&v))} /></label>
                    </div>
                    <span class="small muted">{ format!("It starts with {} worker{} and grows to {} at most.", f.min, if f.min == 1 { "" } else { "s" }, f.max) }</span>
                } else {
                    <div class="inline-form kube-numbers">
                        <label class="field"><span>{"Workers"}</span>
                            <input id="kube-workers" type="number" min="1" value={f.size.to_string()}
                                   oninput={on_value::<InputEvent>(ctx, |f, v| f.size = count(&v))} /></label>
                    </div>
                }
            </div>
            <p class="small muted" id="kube-total">
                { format!("{total} nodes at most; this cloud's largest cluster has {MAX_CLUSTER_SIZE}.") }
            </p>
        </div>
    }
}

fn offering_detail(o: &KubeOffering) -> String {
    format!("{} vCPU · {}", o.cpu, memory_text(o.memory_mb))
}

/// Why an offering is too small for the chosen version, if it is.
fn offering_refusal(ctx: &Ctx, o: &KubeOffering) -> Option<String> {
    let v = ctx.version()?;
    let (cpu, mem) = (
        v.min_cpu.max(MIN_NODE_CPUS),
        v.min_memory_mb.max(MIN_NODE_MEMORY_MB),
    );
    (o.cpu < cpu || o.memory_mb < mem).then(|| {
        format!(
            "Kubernetes {} needs {cpu} vCPU and {} per node.",
            v.semantic_version,
            memory_text(mem)
        )
    })
}

fn role_select(
    ctx: &Ctx,
    id: &'static str,
    label: &'static str,
    value: Option<&String>,
    offerings: &[KubeOffering],
    f: fn(&mut Form, String),
) -> Html {
    html! {
        <label class="field"><span>{ label }</span>
            <select id={id} class="select" onchange={on_value::<Event>(ctx, f)}>
                <option value="" selected={value.is_none()}>{"Same as the nodes' offering"}</option>
                { for offerings.iter().map(|o| {
                    let why = offering_refusal(ctx, o);
                    html! {
                        <option value={o.id.clone()} selected={value == Some(&o.id)} disabled={why.is_some()}>
                            { format!("{} · {}{}", o.name, offering_detail(o), why.map(|w| format!(" — {w}")).unwrap_or_default()) }
                        </option>
                    }
                }) }
            </select>
        </label>
    }
}

pub fn offering(ctx: &Ctx) -> Html {
    let f = &ctx.form;
    loading_or(&ctx.offerings, "compute offerings", |offerings| {
        html! {
            <div class="form">
                <div class="field"><span>{"Offering of every node"}</span>
                    <div class="choices" id="kube-offering" data-kind="offering">
                        { for offerings.iter().map(|o| {
                            let id = o.id.clone();
                            let pick = on_click(ctx, move |f| f.offering_id = id.clone());
                            choice(&o.id, &o.name, &offering_detail(o), o.id == f.offering_id, offering_refusal(ctx, o), pick)
                        }) }
                    </div>
                </div>
                <div class="form-grid">
                    { role_select(ctx, "kube-control-offering", "Control nodes' own offering (optional)",
                                  f.control_offering_id.as_ref(), offerings,
                                  |f, v| f.control_offering_id = (!v.is_empty()).then_some(v)) }
                    { role_select(ctx, "kube-worker-offering", "Workers' own offering (optional)",
                                  f.worker_offering_id.as_ref(), offerings,
                                  |f, v| f.worker_offering_id = (!v.is_empty()).then_some(v)) }
                </div>
            </div>
        }
    })
}

pub fn network(ctx: &Ctx) -> Html {
    let f = &ctx.form;
    let keypairs = ctx.keypairs.ready().cloned().unwrap_or_default();
    html! {
        <div class="form">
            <label class="field"><span>{"Network"}</span>
                <select id="kube-network" class="select"
                        onchange={on_value::<Event>(ctx, |f, v| f.network_id = (!v.is_empty()).then_some(v))}>
                    <option value="" selected={f.network_id.is_none()}>{"Create a new isolated network for the cluster"}</option>
                    { for ctx.networks.ready().into_iter().flatten().map(|n| html! {
                        <option value={n.id.clone()} selected={f.network_id.as_deref() == Some(n.id.as_str())}>
                            { format!("{} · {}", n.name, n.detail) }
                        </option>
                    }) }
                </select>
                <span class="small muted">
                    { if f.network_id.is_none() { "CloudStack creates it with the cluster and deletes it with the cluster." }
                      else { "The cluster joins this network; it stays when the cluster is deleted." } }
                </span>
                if let Load::Failed(e) = &ctx.networks { <span class="field-error">{ format!("The networks could not be read: {}", e.message) }</span> }
            </label>
            <label class="field"><span>{"SSH key pair (optional)"}</span>
                <select id="kube-keypair" class="select"
                        onchange={on_value::<Event>(ctx, |f, v| f.keypair = (!v.is_empty()).then_some(v))}>
                    <option value="" selected={f.keypair.is_none()}>{"None"}</option>
                    { for keypairs.iter().map(|k| html! {
                        <option value={k.id.clone()} selected={f.keypair.as_deref() == Some(k.id.as_str())}>{ &k.name }</option>
                    }) }
                </select>
                <span class="small muted">{"Lets you log in to the nodes over SSH as the cloud user."}</span>
            </label>
        </div>
    }
}
