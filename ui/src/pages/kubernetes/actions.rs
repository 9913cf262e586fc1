//! A cluster's lifecycle actions: start, stop, scale to a size or remove chosen workers,
//! autoscaling on, changed or off, upgrade one step, delete with a typed confirmation. Each button
//! is disabled, with CloudStack's reason, in the states where CloudStack would refuse it.

use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::hooks::{Live, Load, use_live, use_submit};
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{
    ClusterAction, ClusterRow, KubeVersion, MAX_CLUSTER_SIZE, action_refusal, upgrade_targets,
};
use std::cell::RefCell;
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Why `action` cannot be sent now: no connection, a job already running, or CloudStack's rule.
pub fn refusal(live: &Live, c: &ClusterRow, action: &ClusterAction) -> Option<String> {
    if let Err(r) = live.can_act() {
        return Some(r);
    }
    // Delete stays possible while a job runs: it is the way out of a cluster stuck in Scaling.
    if let (Some(j), false) = (
        live.kube_running(&c.id, &c.name),
        *action == ClusterAction::Delete,
    ) {
        return Some(format!(
            "A job is already running on this cluster ({}).",
            j.action
        ));
    }
    let size_problem = |workers: u32| {
        let n = c.control_nodes + workers;
        (n > MAX_CLUSTER_SIZE).then(|| {
            format!(
                "{n} nodes is more than the cloud's largest cluster ({MAX_CLUSTER_SIZE} nodes)."
            )
        })
    };
    action_refusal(&c.state, action, c.autoscale.is_some()).or_else(|| match action {
        ClusterAction::Scale { size } if c.autoscale.is_none() && *size == c.workers => {
            Some(format!("It has {size} workers already."))
        }
        ClusterAction::Scale { size } => size_problem(*size),
        ClusterAction::Autoscale { min, max } if c.autoscale == Some((*min, *max)) => Some(
            format!("It autoscales between {min} and {max} workers already."),
        ),
        ClusterAction::Autoscale { max, .. } => size_problem(*max),
        _ => None,
    })
}

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub cluster: ClusterRow,
    pub versions: Load<Vec<KubeVersion>>,
    /// The workers ticked in the nodes table.
    pub picked: Vec<String>,
    pub on_sent: Callback<()>,
    /// Whether the delete confirmation is open, and how to open or close it.
    pub deleting: bool,
    pub on_deleting: Callback<bool>,
}

fn number(e: InputEvent) -> Option<u32> {
    let el: HtmlInputElement = e.target_unchecked_into();
    el.value().trim().parse().ok()
}

#[component]
pub fn Actions(props: &ActionsProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let submit = use_submit();
    let size = use_state(|| None::<u32>);
    let min = use_state(|| None::<u32>);
    let max = use_state(|| None::<u32>);
    let target = use_state(|| None::<String>);
    let typed = use_state(String::new);
    let c = &props.cluster;

    // The confirmation, when opened (from here or from the Alert panel), is brought into view
    // with the cursor in its field.
    use_effect_with(props.deleting, |open| {
        let doc = web_sys::window().and_then(|w| w.document());
        if let (true, Some(doc)) = (*open, doc) {
            if let Some(panel) = doc.get_element_by_id("kube-delete-confirm") {
                panel.scroll_into_view();
            }
            if let Some(input) = doc
                .get_element_by_id("kube-delete-name")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
    });

    let send = |action: ClusterAction| {
        let (submit, toaster, id, on_sent) = (
            submit.clone(),
            toaster.clone(),
            c.id.clone(),
            props.on_sent.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (toaster, on_sent) = (toaster.clone(), on_sent.clone());
            submit.send(
                cmd::KubeAction {
                    id: id.clone(),
                    action: action.clone(),
                },
                move |r| match r {
                    Ok(_) => on_sent.emit(()),
                    Err(e) => toaster.error(e),
                },
            );
        })
    };
    // Reasons already shown in a card: a second button refused for the same reason only says
    // so in its title.
    let said = RefCell::new(BTreeSet::<(&'static str, String)>::new());
    // A button for an action, disabled with its reason (as the title, and shown under it).
    let button = |card: &'static str,
                  action: ClusterAction,
                  id: &'static str,
                  label: String,
                  icon: Icon,
                  class: &'static str| {
        let why = refusal(&live, c, &action).or_else(|| submit.busy().then(|| "Sending…".into()));
        let shown = why
            .clone()
            .filter(|w| live.can_act().is_ok() && said.borrow_mut().insert((card, w.clone())));
        let onclick = send(action.clone());
        html! {
            <div class="kube-action">
                <button class={classes!("button", "button-small", class)} id={id} data-action={action.verb()}
                        disabled={why.is_some()} title={why.clone().unwrap_or_default()} onclick={onclick}>
                    { icon.render() }{ label }
                </button>
                if let Some(w) = shown { <span class="small muted kube-why">{ w }</span> }
            </div>
        }
    };

    let scale_to = size.unwrap_or(c.workers);
    let (dmin, dmax) = c
        .autoscale
        .unwrap_or((c.workers.max(1), c.workers.max(1) + 2));
    let (as_min, as_max) = (min.unwrap_or(dmin), max.unwrap_or(dmax));
    let targets: Vec<KubeVersion> = props
        .versions
        .ready()
        .map(|vs| {
            upgrade_targets(&c.version, vs)
                .into_iter()
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let chosen = (*target)
        .clone()
        .filter(|t| targets.iter().any(|v| &v.id == t))
        .or_else(|| targets.last().map(|v| v.id.clone()));
    let delete_why = refusal(&live, c, &ClusterAction::Delete);

    let on_size = {
        let size = size.clone();
        Callback::from(move |e: InputEvent| size.set(number(e)))
    };
    let on_min = {
        let min = min.clone();
        Callback::from(move |e: InputEvent| min.set(number(e)))
    };
    let on_max = {
        let max = max.clone();
        Callback::from(move |e: InputEvent| max.set(number(e)))
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            target.set(Some(el.value()));
        })
    };
    let on_typed = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            typed.set(el.value());
        })
    };
    let open_delete = {
        let cb = props.on_deleting.clone();
        Callback::from(move |_| cb.emit(true))
    };
    let cancel_delete = {
        let (cb, typed) = (props.on_deleting.clone(), typed.clone());
        Callback::from(move |_| {
            typed.set(String::new());
            cb.emit(false)
        })
    };
    let picked = props.picked.len();

    html! {
        <div class="kube-actions" id="kube-actions">
            <div class="card kube-card">
                <div class="card-head"><h2>{"Power"}</h2></div>
                <div class="kube-action-row">
                    { button("power", ClusterAction::Start, "kube-start", "Start".into(), Icon::Play, "") }
                    { button("power", ClusterAction::Stop, "kube-stop", "Stop".into(), Icon::Square, "") }
                </div>
            </div>
            <div class="card kube-card">
                <div class="card-head"><h2>{"Size"}</h2>
                    <span class="small muted">{ format!("{} control · {} workers", c.control_nodes, c.workers) }</span></div>
                <div class="kube-action-row">
                    <label class="field kube-number"><span>{"Workers"}</span>
                        <input id="kube-scale-size" type="number" min="1" max={(MAX_CLUSTER_SIZE - c.control_nodes.min(MAX_CLUSTER_SIZE)).to_string()}
                               value={scale_to.to_string()} oninput={on_size} /></label>
                    { button("size", ClusterAction::Scale { size: scale_to }, "kube-scale",
                             if c.autoscale.is_some() { format!("Autoscaling off, keep {scale_to}") } else { format!("Scale to {scale_to}") },
                             Icon::Move, "") }
                </div>
                <div class="kube-action-row">
                    { button("size", ClusterAction::RemoveNodes { node_ids: props.picked.clone() }, "kube-remove-nodes",
                             if picked == 0 { "Remove chosen workers".into() } else { format!("Remove {picked} chosen worker{}", if picked == 1 { "" } else { "s" }) },
                             Icon::Trash, "") }
                </div>
                <span class="small muted">{"Tick workers in the nodes table to remove exactly those."}</span>
            </div>
            <div class="card kube-card">
                <div class="card-head"><h2>{"Autoscaling"}</h2>
                    <span class={classes!("badge", c.autoscale.is_some().then_some("badge-accent"))} id="kube-autoscaling">
                        { match c.autoscale { Some((a, b)) => format!("on · {a}–{b}"), None => "off".into() } }
                    </span></div>
                <div class="kube-action-row">
                    <label class="field kube-number"><span>{"Fewest"}</span>
                        <input id="kube-as-min" type="number" min="1" value={as_min.to_string()} oninput={on_min} /></label>
                    <label class="field kube-number"><span>{"Most"}</span>
                        <input id="kube-as-max" type="number" min="2" value={as_max.to_string()} oninput={on_max} /></label>
                    { button("autoscale", ClusterAction::Autoscale { min: as_min, max: as_max }, "kube-autoscale-apply",
                             if c.autoscale.is_some() { "Change bounds".into() } else { "Turn on".into() }, Icon::Activity, "") }
                </div>
                if c.autoscale.is_some() {
                    <div class="kube-action-row">
                        { button("autoscale", ClusterAction::Scale { size: c.workers }, "kube-autoscale-off",
                                 format!("Turn off (keep {} workers)", c.workers), Icon::Pause, "") }
                    </div>
                }
            </div>
            <div class="card kube-card">
                <div class="card-head"><h2>{"Upgrade"}</h2><span class="small muted mono">{ &c.version }</span></div>
                { match &props.versions {
                    Load::Loading => html! { <span class="small muted">{"Loading the versions…"}</span> },
                    Load::Failed(e) => html! { <span class="field-error">{ format!("The versions could not be read: {}", e.message) }</span> },
                    Load::Ready(_) if targets.is_empty() => html! {
                        <span class="small muted" id="kube-upgrade-none">{"No version this cluster can be upgraded to: CloudStack offers none newer within one minor version."}</span>
                    },
                    Load::Ready(_) => html! {
                        <div class="kube-action-row">
                            <select id="kube-upgrade-version" class="select select-small" onchange={on_target}>
                                { for targets.iter().map(|v| html! {
                                    <option value={v.id.clone()} selected={chosen.as_deref() == Some(v.id.as_str())}>{ &v.name }</option>
                                }) }
                            </select>
                            { button("upgrade", ClusterAction::Upgrade { version_id: chosen.clone().unwrap_or_default() }, "kube-upgrade",
                                     "Upgrade".into(), Icon::ArrowRight, "") }
                        </div>
                    },
                } }
                <span class="small muted">{"CloudStack upgrades one minor version at a time (1.27 → 1.28), or to a newer patch of the same minor."}</span>
            </div>
            <div class="card kube-card kube-danger">
                <div class="card-head"><h2>{"Delete"}</h2></div>
                if props.deleting {
                    <div class="confirm" id="kube-delete-confirm">
                        <p>{ format!("Delete {} with its {} nodes{}? This cannot be undone.", c.name, c.node_count(),
                                     " and, when CloudStack created it for the cluster, its network") }</p>
                        <label class="field"><span>{ format!("Type {} to confirm", c.name) }</span>
                            <input id="kube-delete-name" class="mono" placeholder={c.name.clone()} value={(*typed).clone()} oninput={on_typed} /></label>
                        <div class="form-actions">
                            <button class="button button-ghost" onclick={cancel_delete}>{"Cancel"}</button>
                            <button class="button button-danger solid" id="kube-delete-go"
                                    disabled={*typed != c.name || delete_why.is_some() || submit.busy()}
                                    title={delete_why.clone().unwrap_or_default()} onclick={send(ClusterAction::Delete)}>
                                { Icon::Trash.render() }{"Delete cluster"}
                            </button>
                        </div>
                    </div>
                } else {
                    <div class="kube-action">
                        <button class="button button-small button-danger" id="kube-delete" data-action="delete"
                                disabled={delete_why.is_some()} title={delete_why.clone().unwrap_or_default()} onclick={open_delete}>
                            { Icon::Trash.render() }{"Delete…"}
                        </button>
                        if let Some(w) = delete_why.filter(|_| live.can_act().is_ok()) { <span class="small muted kube-why">{ w }</span> }
                    </div>
                }
            </div>
        </div>
    }
}
