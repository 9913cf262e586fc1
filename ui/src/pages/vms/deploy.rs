//! The deploy wizard: zone → a template available in that zone → offering → name, key pair and
//! network → review → deploy. Progress then shows in the list like any other job.

use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::{ApiError, Choice, DeployRequest, vm_name_problem};
use std::future::Future;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Step {
    Zone,
    Template,
    Offering,
    Details,
    Review,
}

const STEPS: &[(Step, &str)] = &[
    (Step::Zone, "Zone"),
    (Step::Template, "Template"),
    (Step::Offering, "Offering"),
    (Step::Details, "Details"),
    (Step::Review, "Review"),
];

#[derive(Properties, PartialEq)]
pub struct DeployProps {
    pub on_close: Callback<()>,
}

fn load<F>(
    into: UseStateHandle<Option<Vec<Choice>>>,
    toaster: crate::components::toast::Toaster,
    f: F,
) where
    F: Future<Output = Result<Vec<Choice>, ApiError>> + 'static,
{
    into.set(None);
    spawn_local(async move {
        match f.await {
            Ok(v) => into.set(Some(v)),
            Err(e) => {
                into.set(Some(Vec::new()));
                toaster.error(e);
            }
        }
    });
}

#[component]
pub fn DeployWizard(props: &DeployProps) -> Html {
    let toaster = use_toaster();
    let step = use_state(|| Step::Zone);
    let req = use_state(DeployRequest::default);
    let zones = use_state(|| None::<Vec<Choice>>);
    let templates = use_state(|| None::<Vec<Choice>>);
    let offerings = use_state(|| None::<Vec<Choice>>);
    let keypairs = use_state(|| None::<Vec<Choice>>);
    let networks = use_state(|| None::<Vec<Choice>>);
    let submitting = use_state(|| false);

    {
        let (zones, offerings, keypairs, toaster) = (
            zones.clone(),
            offerings.clone(),
            keypairs.clone(),
            toaster.clone(),
        );
        use_effect_with((), move |_| {
            load(zones, toaster.clone(), invoke(&cmd::DeployZones {}));
            load(offerings, toaster.clone(), invoke(&cmd::DeployOfferings {}));
            load(keypairs, toaster, invoke(&cmd::DeployKeypairs {}));
        });
    }
    // Templates and networks depend on the zone.
    {
        let (templates, networks, toaster) = (templates.clone(), networks.clone(), toaster.clone());
        use_effect_with(req.zone_id.clone(), move |zone| {
            if !zone.is_empty() {
                load(
                    templates,
                    toaster.clone(),
                    invoke(&cmd::DeployTemplates {
                        zone_id: zone.clone(),
                    }),
                );
                load(
                    networks,
                    toaster,
                    invoke(&cmd::DeployNetworks {
                        zone_id: zone.clone(),
                    }),
                );
            }
        });
    }

    let pick = |set: fn(&mut DeployRequest, String)| {
        let req = req.clone();
        Callback::from(move |id: String| {
            let mut next = (*req).clone();
            set(&mut next, id);
            req.set(next);
        })
    };
    let pick_zone = pick(|r, id| {
        if r.zone_id != id {
            // A template or network of another zone must not survive a zone change.
            r.template_id.clear();
            r.network_id = None;
        }
        r.zone_id = id;
    });
    let pick_template = pick(|r, id| r.template_id = id);
    let pick_offering = pick(|r, id| r.offering_id = id);
    let on_name = {
        let req = req.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*req).clone();
            next.name = input.value().trim().to_owned();
            req.set(next);
        })
    };
    let on_select = |set: fn(&mut DeployRequest, Option<String>)| {
        let req = req.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let v = sel.value();
            let mut next = (*req).clone();
            set(&mut next, (!v.is_empty()).then_some(v));
            req.set(next);
        })
    };
    let on_keypair = on_select(|r, v| r.keypair = v);
    let on_network = on_select(|r, v| r.network_id = v);

    let template_ok = templates
        .as_ref()
        .is_some_and(|ts| ts.iter().any(|t| t.id == req.template_id));
    let step_ok = |s: Step| match s {
        Step::Zone => !req.zone_id.is_empty(),
        Step::Template => template_ok,
        Step::Offering => !req.offering_id.is_empty(),
        Step::Details => vm_name_problem(&req.name).is_none(),
        Step::Review => true,
    };
    let current = *step;
    let index = STEPS.iter().position(|(s, _)| *s == current).unwrap_or(0);
    let next = {
        let step = step.clone();
        Callback::from(move |_| {
            if let Some((s, _)) = STEPS.get(index + 1) {
                step.set(*s);
            }
        })
    };
    let back = {
        let step = step.clone();
        Callback::from(move |_| {
            if index > 0 {
                step.set(STEPS[index - 1].0);
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let deploy = {
        let req = req.clone();
        let toaster = toaster.clone();
        let on_close = props.on_close.clone();
        let submitting = submitting.clone();
        Callback::from(move |_| {
            let request = (*req).clone();
            let toaster = toaster.clone();
            let on_close = on_close.clone();
            let submitting = submitting.clone();
            submitting.set(true);
            spawn_local(async move {
                match invoke(&cmd::DeployVm { request }).await {
                    Ok(_) => on_close.emit(()),
                    Err(e) => toaster.error(e),
                }
                submitting.set(false);
            });
        })
    };

    let name_of = |list: &UseStateHandle<Option<Vec<Choice>>>, id: &str| {
        list.as_ref()
            .and_then(|l| l.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "—".into())
    };

    let body = match current {
        Step::Zone => choice_list("zone", &zones, &req.zone_id, pick_zone),
        Step::Template => choice_list("template", &templates, &req.template_id, pick_template),
        Step::Offering => choice_list("offering", &offerings, &req.offering_id, pick_offering),
        Step::Details => {
            let problem = vm_name_problem(&req.name);
            html! {
                <div class="form">
                    <label class="field"><span>{"Name"}</span>
                        <input id="deploy-name" class="mono" placeholder="web-01" value={req.name.clone()} oninput={on_name} />
                        if let (Some(p), false) = (problem, req.name.is_empty()) { <span class="field-error">{ p }</span> }
                    </label>
                    <label class="field"><span>{"SSH key pair"}</span>
                        <select id="deploy-keypair" class="select" onchange={on_keypair}>
                            <option value="" selected={req.keypair.is_none()}>{"None"}</option>
                            { for keypairs.iter().flatten().map(|k| html! {
                                <option value={k.id.clone()} selected={req.keypair.as_deref() == Some(k.id.as_str())}>{ &k.name }</option>
                            }) }
                        </select>
                    </label>
                    <label class="field"><span>{"Network"}</span>
                        <select id="deploy-network" class="select" onchange={on_network}>
                            <option value="" selected={req.network_id.is_none()}>{"The zone's default"}</option>
                            { for networks.iter().flatten().map(|n| html! {
                                <option value={n.id.clone()} selected={req.network_id.as_deref() == Some(n.id.as_str())}>{ format!("{} · {}", n.name, n.detail) }</option>
                            }) }
                        </select>
                    </label>
                </div>
            }
        }
        Step::Review => html! {
            <dl class="facts" id="deploy-review">
                <dt>{"Name"}</dt><dd class="mono">{ &req.name }</dd>
                <dt>{"Zone"}</dt><dd>{ name_of(&zones, &req.zone_id) }</dd>
                <dt>{"Template"}</dt><dd>{ name_of(&templates, &req.template_id) }</dd>
                <dt>{"Offering"}</dt><dd>{ name_of(&offerings, &req.offering_id) }</dd>
                <dt>{"SSH key pair"}</dt><dd>{ req.keypair.clone().unwrap_or_else(|| "None".into()) }</dd>
                <dt>{"Network"}</dt><dd>{ req.network_id.as_deref().map(|n| name_of(&networks, n)).unwrap_or_else(|| "The zone's default".into()) }</dd>
            </dl>
        },
    };

    html! {
        <div class="modal-backdrop">
            <div class="modal wizard" id="deploy-wizard" role="dialog" aria-label="Deploy a virtual machine">
                <div class="wizard-head">
                    <h2>{"Deploy a virtual machine"}</h2>
                    <button class="icon-button" aria-label="Close" onclick={close.clone()}>{ Icon::Close.render() }</button>
                </div>
                <ol class="steps">
                    { for STEPS.iter().enumerate().map(|(i, (_, label))| html! {
                        <li class={classes!(if i < index { "done" } else if i == index { "current" } else { "" })}>
                            <span class="step-n">{ i + 1 }</span>{ *label }
                        </li>
                    }) }
                </ol>
                <div class="wizard-body" data-step={STEPS[index].1.to_lowercase()}>{ body }</div>
                <div class="form-actions">
                    if index > 0 { <button class="button button-ghost" id="wizard-back" onclick={back}>{"Back"}</button> }
                    <span class="toolbar-fill"></span>
                    if current == Step::Review {
                        <button class="button button-primary" id="wizard-deploy" disabled={*submitting} onclick={deploy}>
                            { if *submitting { "Deploying…" } else { "Deploy" } }
                        </button>
                    } else {
                        <button class="button button-primary" id="wizard-next" disabled={!step_ok(current)} onclick={next}>{"Next"}</button>
                    }
                </div>
            </div>
        </div>
    }
}

fn choice_list(
    kind: &'static str,
    list: &UseStateHandle<Option<Vec<Choice>>>,
    selected: &str,
    pick: Callback<String>,
) -> Html {
    match list.as_ref() {
        None => html! { <p class="muted">{"Loading…"}</p> },
        Some(items) if items.is_empty() => {
            html! { <p class="muted">{ format!("No {kind} available.") }</p> }
        }
        Some(items) => html! {
            <div class="choices" data-kind={kind}>
                { for items.iter().map(|c| {
                    let id = c.id.clone();
                    let pick = pick.clone();
                    html! {
                        <button class={classes!("choice", (c.id == selected).then_some("selected"))}
                                data-choice={c.name.clone()} onclick={Callback::from(move |_| pick.emit(id.clone()))}>
                            <span class="choice-name">{ &c.name }</span>
                            <span class="small muted">{ &c.detail }</span>
                        </button>
                    }
                }) }
            </div>
        },
    }
}
