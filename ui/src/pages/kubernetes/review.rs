//! The wizard's review: what was chosen, what the cluster needs at the start and at most against
//! what the owner's resource limits leave, the monthly cost from the rate card, and every reason
//! CloudStack would refuse it.

use super::wizard::Ctx;
use crate::components::icons::Icon;
use crate::format::{memory_text, rupees};
use crate::hooks::Load;
use akashone_types::kubernetes::{ClusterPlan, Resources, Workers, shortfall};
use yew::prelude::*;

/// Paise as rupees: `123456` → `₹1,234.56`.
pub fn paise_text(p: i64) -> String {
    let sign = if p < 0 { "-" } else { "" };
    let a = p.unsigned_abs();
    rupees(&format!("{sign}{}.{:02}", a / 100, a % 100))
}

fn resources(r: &Resources) -> String {
    format!(
        "{} VM{} · {} vCPU · {}",
        r.vms,
        if r.vms == 1 { "" } else { "s" },
        r.cpu,
        memory_text(r.memory_mb)
    )
}

fn name_of(list: &Load<Vec<akashone_types::Choice>>, id: &str) -> String {
    list.ready()
        .and_then(|l| l.iter().find(|c| c.id == id))
        .map(|c| c.name.clone())
        .unwrap_or_else(|| id.to_owned())
}

pub fn review(ctx: &Ctx, plan: &Load<ClusterPlan>, instant: &[String]) -> Html {
    let f = &ctx.form;
    let r = f.request();
    let offering = |id: &str| {
        ctx.offering(id)
            .map(|o| format!("{} ({} vCPU · {})", o.name, o.cpu, memory_text(o.memory_mb)))
            .unwrap_or_else(|| id.to_owned())
    };
    let workers = match r.workers {
        Workers::Fixed { size } => format!("{size}"),
        Workers::Autoscale { min, max } => format!("autoscaling {min}–{max} (starts with {min})"),
    };
    let problems: Vec<String> = match plan.ready() {
        Some(p) => p.problems.clone(),
        None => instant.to_vec(),
    };
    html! {
        <div class="kube-review" id="kube-review">
            <dl class="facts">
                <dt>{"Name"}</dt><dd class="mono">{ &r.name }</dd>
                <dt>{"Zone"}</dt><dd>{ name_of(&ctx.zones, &r.zone_id) }</dd>
                <dt>{"Kubernetes"}</dt><dd>{ ctx.version().map(|v| v.name.clone()).unwrap_or_default() }</dd>
                <dt>{"Control nodes"}</dt><dd>{ if r.control_nodes > 1 { format!("{} (HA)", r.control_nodes) } else { "1".into() } }</dd>
                <dt>{"Workers"}</dt><dd>{ workers }</dd>
                <dt>{"Offering"}</dt><dd>{ offering(&r.offering_id) }</dd>
                if let Some(o) = &r.control_offering_id { <dt>{"Control offering"}</dt><dd>{ offering(o) }</dd> }
                if let Some(o) = &r.worker_offering_id { <dt>{"Worker offering"}</dt><dd>{ offering(o) }</dd> }
                <dt>{"Network"}</dt><dd>{ match &f.network_id { Some(id) => name_of(&ctx.networks, id), None => "A new isolated network".into() } }</dd>
                <dt>{"SSH key pair"}</dt><dd>{ r.keypair.clone().unwrap_or_else(|| "None".into()) }</dd>
            </dl>
            { match plan {
                Load::Loading => html! { <p class="muted" id="kube-plan-loading"><span class="spinner"></span>{" Checking your limits, the zone and the rate card…"}</p> },
                Load::Failed(e) => html! { <p class="field-error" id="kube-plan-error">{ format!("The plan could not be made: {}", e.message) }</p> },
                Load::Ready(p) => html! {
                    <div class="kube-plan" id="kube-plan">
                        <div class="kube-plan-cell" data-plan="needs">
                            <span class="stat-label">{"Needs at the start"}</span>
                            <span class="kube-plan-value">{ resources(&p.needs) }</span>
                        </div>
                        if p.most != p.needs {
                            <div class="kube-plan-cell" data-plan="most">
                                <span class="stat-label">{"At most (autoscaling)"}</span>
                                <span class="kube-plan-value">{ resources(&p.most) }</span>
                            </div>
                        }
                        <div class={classes!("kube-plan-cell", p.available.as_ref().is_some_and(|a| !shortfall(&p.needs, a).is_empty()).then_some("kube-short"))}
                             data-plan="available">
                            <span class="stat-label">{"Your limits leave"}</span>
                            <span class="kube-plan-value">{ p.available.as_ref().map(resources).unwrap_or_else(|| "no limit known".into()) }</span>
                        </div>
                        <div class="kube-plan-cell" data-plan="cost" id="kube-cost">
                            <span class="stat-label">{"Monthly cost"}</span>
                            <span class={classes!("kube-plan-value", p.monthly_paise.is_none().then_some("muted"))}>
                                { match p.monthly_paise { Some(m) => format!("{} / month", paise_text(m)), None => "no rate card".into() } }
                            </span>
                        </div>
                    </div>
                },
            } }
            if problems.is_empty() {
                if plan.ready().is_some() {
                    <div class="notice small kube-ok" id="kube-problems" data-count="0">
                        { Icon::Check.render() }<span>{"CloudStack's rules, your limits and the zone allow this cluster."}</span>
                    </div>
                }
            } else {
                <ul class="kube-problems" id="kube-problems" data-count={problems.len().to_string()}>
                    { for problems.iter().map(|p| html! { <li>{ Icon::Alert.render() }<span>{ p }</span></li> }) }
                </ul>
            }
        </div>
    }
}
