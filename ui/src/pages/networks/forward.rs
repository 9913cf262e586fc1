//! Port forwarding on an address: the forwards it has (each with delete) and a form of several
//! rows at once — public port or range, private port or range, protocol, VM, source CIDRs
//! (required) — checked by `net_forward_plan` against each other and the rules on the address as
//! it is typed, and created with the firewall rules for exactly those CIDRs.

use super::NetData;
use crate::components::icons::Icon;
use crate::components::op::{OpButton, VmSelect};
use crate::format::resource_state_class;
use crate::services::invoke;
use akashone_types::VmRow;
use akashone_types::commands as cmd;
use akashone_types::network::cidr::{opens_to_world, parse_cidr_list};
use akashone_types::network::forward::{PortForwardPlan, PortForwardSpec};
use akashone_types::network::{PortRange, Protocol, PublicIpRow};
use akashone_types::ops::{IpRulesView, Operation, RuleKind};
use std::cell::Cell;
use std::rc::Rc;
use std::str::FromStr;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
struct PfRow {
    public: String,
    private: String,
    protocol: String,
    vm: String,
    cidrs: String,
}

impl Default for PfRow {
    fn default() -> Self {
        PfRow {
            public: String::new(),
            private: String::new(),
            protocol: "tcp".into(),
            vm: String::new(),
            cidrs: String::new(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ForwardProps {
    pub ip: PublicIpRow,
    pub data: NetData,
    pub vms: Vec<VmRow>,
    pub view: IpRulesView,
}

#[component]
pub fn Forwarding(props: &ForwardProps) -> Html {
    let rows = use_state(|| vec![PfRow::default()]);
    let plan = use_state(|| None::<(Vec<PortForwardSpec>, Result<PortForwardPlan, String>)>);
    let ip = &props.ip;

    // Each row as a spec, or its errors.
    let parsed: Vec<Result<PortForwardSpec, Vec<String>>> = rows
        .iter()
        .map(|r| {
            let mut errs = Vec::new();
            let public = PortRange::from_str(&r.public)
                .map_err(|e| errs.push(format!("Public: {e}")))
                .ok();
            let private = if r.private.trim().is_empty() {
                public
            } else {
                PortRange::from_str(&r.private)
                    .map_err(|e| errs.push(format!("Private: {e}")))
                    .ok()
            };
            let cidrs = parse_cidr_list(&r.cidrs).map_err(|e| errs.push(e)).ok();
            let protocol = Protocol::from_str(&r.protocol).unwrap_or(Protocol::Tcp);
            if r.vm.is_empty() {
                errs.push("Choose the VM to forward to.".into());
            }
            let vm_name = props
                .vms
                .iter()
                .find(|v| v.id == r.vm)
                .map(|v| v.name.clone())
                .unwrap_or_default();
            match (public, private, cidrs) {
                (Some(public), Some(private), Some(cidrs)) if errs.is_empty() => {
                    Ok(PortForwardSpec {
                        ip_address_id: ip.id.clone(),
                        protocol,
                        public,
                        private,
                        vm_id: r.vm.clone(),
                        vm_guest_ip: None,
                        network_id: props.data.network_of(ip, &vm_name),
                        cidrs,
                    })
                }
                _ => Err(errs),
            }
        })
        .collect();
    let specs: Option<Vec<PortForwardSpec>> =
        parsed.iter().map(|p| p.as_ref().ok().cloned()).collect();

    // The plan, asked again whenever the rows make a new batch.
    {
        let plan = plan.clone();
        use_effect_with(specs.clone(), move |specs| {
            let alive = Rc::new(Cell::new(true));
            if let Some(specs) = specs.clone() {
                let alive = alive.clone();
                spawn_local(async move {
                    let r = invoke(&cmd::NetForwardPlan {
                        specs: specs.clone(),
                    })
                    .await;
                    if alive.get() {
                        plan.set(Some((specs, r.map_err(|e| e.message))));
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let fresh = plan
        .as_ref()
        .filter(|(s, _)| Some(s) == specs.as_ref())
        .map(|(_, p)| p.clone());
    let create_why = match (&specs, &fresh) {
        (None, _) => Some(
            parsed
                .iter()
                .enumerate()
                .find_map(|(i, p)| {
                    p.as_ref()
                        .err()
                        .and_then(|e| e.first())
                        .map(|e| format!("Row {}: {e}", i + 1))
                })
                .unwrap_or_else(|| "Fill in every row.".into()),
        ),
        (Some(_), None) => Some("Checking the forwards against the rules on the address…".into()),
        (Some(_), Some(Err(e))) => Some(format!("The forwards could not be checked: {e}")),
        (Some(_), Some(Ok(p))) => p.problems.first().cloned(),
    };
    let world = rows
        .iter()
        .any(|r| parse_cidr_list(&r.cidrs).is_ok_and(|c| opens_to_world(&c)));

    let update = |i: usize, f: fn(&mut PfRow, String)| {
        let rows = rows.clone();
        Callback::from(move |v: String| {
            let mut next = (*rows).clone();
            if let Some(r) = next.get_mut(i) {
                f(r, v);
            }
            rows.set(next);
        })
    };
    let input = |cb: Callback<String>| {
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_| {
            let mut next = (*rows).clone();
            let cidrs = next.last().map(|r| r.cidrs.clone()).unwrap_or_default();
            next.push(PfRow {
                cidrs,
                ..PfRow::default()
            });
            rows.set(next);
        })
    };
    let created = {
        let rows = rows.clone();
        Callback::from(move |_| rows.set(vec![PfRow::default()]))
    };

    html! {
        <div class="pf" id="port-forwarding">
            <div class="card kube-card" id="pf-list">
                <div class="card-head"><h2>{ format!("Port forwards of {}", ip.address) }</h2></div>
                if props.view.port_forwards.is_empty() {
                    <p class="small muted">{"No port forwards on this address."}</p>
                }
                { for props.view.port_forwards.iter().map(|f| html! {
                    <div class="snap-line" data-port-forward={f.id.clone()} data-public={f.public.to_string()} key={f.id.clone()}>
                        <div class="snap-head">
                            <span class="mono">{ format!("{} {} → {}:{}", f.protocol, f.public, f.vm_name, f.private) }</span>
                            <span class="small">{ if f.cidrs.is_empty() { "from anywhere (not restricted)".to_owned() } else { format!("from {}", f.cidrs.join(", ")) } }</span>
                            <span class={resource_state_class(&f.state)}>{ &f.state }</span>
                        </div>
                        <div class="row-ops">
                            <OpButton id="pf-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                                      op={Some(Operation::RuleDelete { kind: RuleKind::PortForward, id: f.id.clone() })} lazy=true
                                      confirm={AttrValue::from(format!("Delete the forward of {} {} to {}?", f.protocol, f.public, f.vm_name))} />
                        </div>
                    </div>
                }) }
            </div>
            <div class="card kube-card" id="pf-form">
                <div class="card-head"><h2>{"Forward ports"}</h2></div>
                <p class="small muted">{"Each forward gets a firewall rule for exactly its source CIDRs; nothing is opened to the whole internet unless you type 0.0.0.0/0."}</p>
                { for rows.iter().enumerate().map(|(i, r)| {
                    let suffix = if i == 0 { String::new() } else { format!("-{}", i + 1) };
                    let touched = !(r.public.is_empty() && r.private.is_empty() && r.vm.is_empty() && r.cidrs.is_empty());
                    let errors = parsed[i].as_ref().err().cloned().unwrap_or_default();
                    let remove = (rows.len() > 1).then(|| {
                        let rows = rows.clone();
                        Callback::from(move |_| {
                            let mut next = (*rows).clone();
                            next.remove(i);
                            rows.set(next);
                        })
                    });
                    let protocol = {
                        let cb = update(i, |r, v| r.protocol = v);
                        Callback::from(move |e: Event| {
                            let el: HtmlSelectElement = e.target_unchecked_into();
                            cb.emit(el.value());
                        })
                    };
                    html! {
                        <div class="rule-row pf-row" data-pf-row={(i + 1).to_string()}>
                            <label class="field"><span>{"Public port(s)"}</span>
                                <input id={format!("pf-public{suffix}")} class="mono" placeholder="8080 or 8000-8010" value={r.public.clone()} oninput={input(update(i, |r, v| r.public = v))} /></label>
                            <label class="field"><span>{"Private port(s)"}</span>
                                <input id={format!("pf-private{suffix}")} class="mono" placeholder="same as public" value={r.private.clone()} oninput={input(update(i, |r, v| r.private = v))} /></label>
                            <label class="field"><span>{"Protocol"}</span>
                                <select class="select" id={format!("pf-protocol{suffix}")} onchange={protocol}>
                                    { for ["tcp", "udp"].iter().map(|x| html! { <option value={*x} selected={r.protocol == *x}>{ *x }</option> }) }
                                </select></label>
                            <label class="field"><span>{"VM"}</span>
                                <VmSelect id={format!("pf-vm{suffix}")} vms={props.vms.clone()} value={r.vm.clone()} on_change={update(i, |r, v| r.vm = v)} /></label>
                            <label class="field rule-cidrs"><span>{"Source CIDRs"}</span>
                                <input id={format!("pf-cidrs{suffix}")} class="mono" placeholder="203.0.113.7/32" value={r.cidrs.clone()} oninput={input(update(i, |r, v| r.cidrs = v))} /></label>
                            if let Some(remove) = remove {
                                <button class="icon-button" aria-label="Remove this row" onclick={remove}>{ Icon::Close.render() }</button>
                            }
                            if touched && !errors.is_empty() {
                                <div class="rule-notes">{ for errors.iter().map(|e| html! { <span class="field-error">{ e }</span> }) }</div>
                            }
                        </div>
                    }
                }) }
                <div class="inline-form">
                    <button class="button button-small" id="pf-add-row" onclick={add_row}>{ Icon::Plus.render() }{"Add a row"}</button>
                </div>
                if world {
                    <div class="banner banner-error" id="pf-world-warning" role="alert">{ Icon::Alert.render() }
                        <span><strong>{"Open to the whole internet."}</strong>{" A source CIDR is 0.0.0.0/0 (or ::/0): anyone can reach the forwarded ports."}</span></div>
                }
                if let Some(Ok(p)) = &fresh {
                    <div class="rules-plan" id="pf-plan" data-problems={p.problems.len().to_string()}>
                        if p.problems.is_empty() {
                            <p class="small" id="pf-plan-summary">{ {
                                let (add, present, _, _) = p.firewall.counts();
                                format!("{} forward{} to create, with {add} firewall rule{} ({present} already there).",
                                    p.forwards.len(), if p.forwards.len() == 1 { "" } else { "s" }, if add == 1 { "" } else { "s" })
                            } }</p>
                        } else {
                            <ul class="op-reasons" id="pf-problems">{ for p.problems.iter().map(|x| html! { <li>{ x }</li> }) }</ul>
                        }
                    </div>
                }
                <OpButton id="pf-create" label="Create port forwards" class="button-primary" icon={Icon::Check}
                          op={specs.clone().map(|specs| Operation::PortForwardsCreate { specs })} blocked={create_why} on_sent={created} />
            </div>
        </div>
    }
}
