//! Network and storage operations from any page: the button that checks an [`Operation`] with
//! `resource_check` before it is enabled (showing every reason it would be refused), sends it with
//! `resource_op`, and then shows the job's live progress from the `resource-job` events; the
//! offline banner; and the VM pickers those forms share.

use crate::components::icons::Icon;
use crate::components::job::JobLine;
use crate::components::toast::use_toaster;
use crate::format::{op_title, short_time};
use crate::hooks::{Live, Reload, use_live, use_load, use_submit};
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::network::checks::OFFLINE;
use akashone_types::ops::Operation;
use akashone_types::{JobEvent, JobPhase, Reachability, VmQuery, VmRow};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Why no change can be sent now (offline, connecting, signed out), or `None` when online.
pub fn offline_reason(live: &Live) -> Option<String> {
    match live.status.as_ref().map(|s| s.reachability) {
        Some(Reachability::Offline) => Some(OFFLINE.into()),
        _ => live.can_act().err(),
    }
}

/// Whether changes can be sent now.
pub fn online(live: &Live) -> bool {
    live.can_act().is_ok()
}

/// The banner of a page whose lists come from the cache while the cloud does not answer.
#[derive(Properties, PartialEq)]
pub struct OfflineBannerProps {
    /// What the lists hold ("networks and addresses").
    pub what: AttrValue,
}

#[component]
pub fn OfflineBanner(props: &OfflineBannerProps) -> Html {
    let live = use_live();
    let Some(status) = live
        .status
        .as_ref()
        .filter(|s| s.reachability == Reachability::Offline)
    else {
        return Html::default();
    };
    let when = status
        .last_synced
        .as_deref()
        .map(short_time)
        .unwrap_or_else(|| "no sync yet".into());
    html! {
        <div class="banner banner-warn" id="offline-banner" title={status.last_error.clone().unwrap_or_default()}>
            { Icon::Alert.render() }
            <span>
                <strong>{ format!("Offline — {} as of {when}.", props.what) }</strong>
                {" The cloud does not answer, so the lists show what was last synced and every change is disabled until it is back."}
            </span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct OpJobProps {
    pub job: JobEvent,
    #[prop_or_default]
    pub on_dismiss: Option<Callback<MouseEvent>>,
}

/// One operation's live progress, titled by the operation's name and its resource.
#[component]
pub fn OpJob(props: &OpJobProps) -> Html {
    let j = &props.job;
    html! {
        <JobLine job={j.clone()} what={format!("{} {}", op_title(&j.action), j.vm_name)}
                 on_dismiss={props.on_dismiss.clone()} />
    }
}

#[derive(Properties, PartialEq)]
pub struct JobStripProps {
    /// The operations shown: those whose name starts with one of these (`volume.`).
    pub prefixes: &'static [&'static str],
}

/// A page's activity: its operations of this run under way, and the failed ones until
/// dismissed, newest first.
#[component]
pub fn JobStrip(props: &JobStripProps) -> Html {
    let live = use_live();
    let dismissed = use_state(BTreeSet::<u64>::new);
    let jobs: Vec<JobEvent> = live
        .resource_jobs
        .values()
        .rev()
        .filter(|j| props.prefixes.iter().any(|p| j.action.starts_with(p)))
        .filter(|j| j.phase != JobPhase::Succeeded && !dismissed.contains(&j.task_id))
        .take(6)
        .cloned()
        .collect();
    html! {
        <div class="job-strip" id="op-jobs">
            { for jobs.into_iter().map(|j| {
                let dismiss = (j.phase == JobPhase::Failed).then(|| {
                    let (dismissed, task) = (dismissed.clone(), j.task_id);
                    Callback::from(move |_| {
                        let mut next = (*dismissed).clone();
                        next.insert(task);
                        dismissed.set(next);
                    })
                });
                html! { <OpJob key={j.task_id} job={j.clone()} on_dismiss={dismiss} /> }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct OpButtonProps {
    /// The button's element id; the confirmation's button is `{id}-confirm`, the reasons
    /// `{id}-why`.
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub icon: Option<Icon>,
    /// Extra classes of the button (`button-primary`, `button-danger`, `button-small`).
    #[prop_or_default]
    pub class: Classes,
    /// The operation; `None` while the form does not make one.
    pub op: Option<Operation>,
    /// Why it cannot go, as far as the page already knows (the pure checks, the form's
    /// problems): shown, and the shell is not asked.
    #[prop_or_default]
    pub blocked: Option<String>,
    /// The question asked before it is sent, for what cannot be undone.
    #[prop_or_default]
    pub confirm: Option<AttrValue>,
    /// Told the task id once the shell took it.
    #[prop_or_default]
    pub on_sent: Callback<u64>,
    /// For the buttons of list rows (with a `confirm`): the shell is asked only once the
    /// confirmation opens, and being offline shows in the tooltip only (the page's banner says
    /// it once).
    #[prop_or_default]
    pub lazy: bool,
}

/// A button that sends one [`Operation`]; see the module documentation.
#[component]
pub fn OpButton(props: &OpButtonProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let submit = use_submit();
    let checked = use_state(|| None::<Result<Vec<String>, String>>);
    let task = use_state(|| None::<u64>);
    let error = use_state(|| None::<String>);
    let confirming = use_state(|| false);
    let offline = offline_reason(&live);
    let lazy = props.lazy && props.confirm.is_some();

    // Every reason the shell would refuse it now, asked again when it or the data changes.
    {
        let checked = checked.clone();
        let ask = props
            .op
            .clone()
            .filter(|_| props.blocked.is_none() && offline.is_none())
            .filter(|_| !lazy || *confirming);
        use_effect_with((ask, live.data_version), move |(ask, _)| {
            let alive = Rc::new(Cell::new(true));
            checked.set(None);
            if let Some(op) = ask.clone() {
                let alive = alive.clone();
                spawn_local(async move {
                    let r = invoke(&cmd::ResourceCheck { op }).await;
                    if alive.get() {
                        checked.set(Some(r.map_err(|e| e.message)));
                    }
                });
            }
            move || alive.set(false)
        });
    }

    let reasons: Vec<String> = if let Some(o) = &offline {
        vec![o.clone()]
    } else if let Some(b) = &props.blocked {
        vec![b.clone()]
    } else if props.op.is_none() {
        Vec::new()
    } else {
        match &*checked {
            Some(Ok(r)) => r.clone(),
            Some(Err(e)) => vec![format!("It could not be checked: {e}")],
            None => Vec::new(),
        }
    };
    let checking =
        props.op.is_some() && reasons.is_empty() && checked.is_none() && (!lazy || *confirming);
    let running = task
        .and_then(|t| live.resource_jobs.get(&t))
        .is_some_and(|j| matches!(j.phase, JobPhase::Submitting | JobPhase::Running));
    // A lazy button opens its confirmation unless the page already knows why not; the
    // confirmation's own button waits for the shell's answer.
    let known_why = offline.is_some() || props.blocked.is_some();
    let disabled = props.op.is_none()
        || submit.busy()
        || running
        || if lazy && !*confirming {
            known_why
        } else {
            !reasons.is_empty() || checking
        };
    let go_disabled = props.op.is_none() || !reasons.is_empty() || checking || submit.busy();
    let quiet_offline = lazy && offline.is_some();
    let show_reasons = !reasons.is_empty() && !quiet_offline;
    let title = reasons.first().cloned().unwrap_or_else(|| {
        if checking {
            "Checking with the cloud's rules…".into()
        } else if props.op.is_none() {
            "Fill in the form first".into()
        } else {
            String::new()
        }
    });

    let send = {
        let (submit, toaster, task, error, confirming, on_sent, op) = (
            submit.clone(),
            toaster.clone(),
            task.clone(),
            error.clone(),
            confirming.clone(),
            props.on_sent.clone(),
            props.op.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(op) = op.clone() else { return };
            confirming.set(false);
            error.set(None);
            let (toaster, task, error, on_sent) = (
                toaster.clone(),
                task.clone(),
                error.clone(),
                on_sent.clone(),
            );
            submit.send(cmd::ResourceOp { op }, move |r| match r {
                Ok(t) => {
                    task.set(Some(t));
                    on_sent.emit(t);
                }
                Err(e) => {
                    error.set(Some(e.message.clone()));
                    toaster.error(e);
                }
            });
        })
    };
    let click = {
        let (confirming, send, needs) = (confirming.clone(), send.clone(), props.confirm.is_some());
        Callback::from(move |e: MouseEvent| {
            if needs {
                confirming.set(true);
            } else {
                send.emit(e);
            }
        })
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let job = task.and_then(|t| live.resource_jobs.get(&t)).cloned();
    let name = props.op.as_ref().map(|o| o.name()).unwrap_or_default();

    html! {
        <div class="op" data-op={name}>
            <button id={props.id.clone()} class={classes!("button", props.class.clone())}
                    disabled={disabled || *confirming} title={title} onclick={click} data-checking={checking.to_string()}>
                { props.icon.map(|i| i.render()).unwrap_or_default() }
                { if submit.busy() { "Sending…".to_owned() } else { props.label.to_string() } }
            </button>
            if *confirming {
                <div class="confirm op-confirm">
                    <p>{ props.confirm.clone().unwrap_or_default() }</p>
                    <div class="form-actions">
                        <button class="button button-ghost button-small" onclick={cancel}>{"Cancel"}</button>
                        <button class="button button-danger button-small" id={format!("{}-confirm", props.id)}
                                disabled={go_disabled} onclick={send}>
                            { if checking { "Checking…".to_owned() } else { format!("Yes, {}", props.label.to_lowercase()) } }
                        </button>
                    </div>
                </div>
            }
            if show_reasons {
                <ul class="op-reasons" id={format!("{}-why", props.id)}>
                    { for reasons.iter().map(|r| html! { <li>{ r }</li> }) }
                </ul>
            }
            if let Some(e) = &*error {
                <div class="field-error op-error">{ Icon::Alert.render() }<span>{ e }</span></div>
            }
            if let Some(j) = job {
                <OpJob job={j} />
            }
        </div>
    }
}

/// Every VM of the cache (up to the largest page), by name, again whenever the data changes.
#[hook]
pub fn use_vms() -> Vec<VmRow> {
    let live = use_live();
    let vms = use_load(live.data_version, Reload::KeepShown, |_| {
        Some(cmd::VmPage {
            query: VmQuery {
                limit: VmQuery::MAX_LIMIT,
                ..VmQuery::default()
            },
        })
    });
    vms.ready().map(|p| p.rows.clone()).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct VmSelectProps {
    pub id: AttrValue,
    pub vms: Vec<VmRow>,
    /// The chosen VM's id ("" for none).
    pub value: String,
    pub on_change: Callback<String>,
    /// Only VMs of this zone.
    #[prop_or_default]
    pub zone_id: Option<String>,
}

/// A VM picker: name, state and zone of each.
#[component]
pub fn VmSelect(props: &VmSelectProps) -> Html {
    let on_change = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    html! {
        <select class="select" id={props.id.clone()} onchange={on_change}>
            <option value="" selected={props.value.is_empty()}>{"Choose a VM…"}</option>
            { for props.vms.iter()
                .filter(|v| props.zone_id.as_ref().is_none_or(|z| &v.zone_id == z))
                .map(|v| html! {
                    <option value={v.id.clone()} selected={props.value == v.id} data-vm={v.name.clone()}>
                        { format!("{} · {} · {}", v.name, v.state, v.zone_name) }
                    </option>
                }) }
        </select>
    }
}

#[derive(Properties, PartialEq)]
pub struct VmChecksProps {
    pub id: AttrValue,
    pub vms: Vec<VmRow>,
    pub chosen: BTreeSet<String>,
    pub on_change: Callback<BTreeSet<String>>,
}

/// Several VMs, ticked in a list (each row `data-vm`).
#[component]
pub fn VmChecks(props: &VmChecksProps) -> Html {
    html! {
        <div class="vm-checks" id={props.id.clone()}>
            if props.vms.is_empty() {
                <span class="small muted">{"No VMs to choose from."}</span>
            }
            { for props.vms.iter().map(|v| {
                let toggle = {
                    let (chosen, cb, id) = (props.chosen.clone(), props.on_change.clone(), v.id.clone());
                    Callback::from(move |_: Event| {
                        let mut next = chosen.clone();
                        if !next.remove(&id) {
                            next.insert(id.clone());
                        }
                        cb.emit(next);
                    })
                };
                html! {
                    <label class="check" data-vm={v.name.clone()} key={v.id.clone()}>
                        <input type="checkbox" checked={props.chosen.contains(&v.id)} onchange={toggle} />
                        <span>{ &v.name }</span><span class="small muted">{ format!("{} · {}", v.state, v.ip) }</span>
                    </label>
                }
            }) }
        </div>
    }
}

/// Keeps a text field's value in `state` as it is typed.
pub fn on_text(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        state.set(el.value());
    })
}

/// Keeps a select's value in `state`.
pub fn on_select(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        let el: HtmlSelectElement = e.target_unchecked_into();
        state.set(el.value());
    })
}

/// Keeps a checkbox in `state`.
pub fn on_check(state: &UseStateHandle<bool>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        state.set(el.checked());
    })
}

/// A [`VmSelect`]'s or a select's value handler that sets a `String` state.
pub fn set_string(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |v: String| state.set(v))
}
