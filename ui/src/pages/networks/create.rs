//! The "Create network" form (zone → its network offerings → name, and optionally the gateway
//! and netmask that fix the guest CIDR) and the "Acquire IP" form (for a network or a VPC).

use super::NetData;
use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_select, on_text};
use crate::hooks::{Load, Reload, use_load};
use akashone_types::commands as cmd;
use akashone_types::network::cidr::network_cidr_problem;
use akashone_types::network::{AcquireIp, CreateNetwork, GuestType, SiblingNetwork};
use akashone_types::ops::Operation;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CreateProps {
    pub on_close: Callback<()>,
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[component]
pub fn CreateNetworkForm(props: &CreateProps) -> Html {
    let zones = use_load((), Reload::ShowLoading, |_| Some(cmd::DeployZones {}));
    let networks = use_load((), Reload::ShowLoading, |_| Some(cmd::NetNetworks {}));
    let zone = use_state(String::new);
    let offering = use_state(String::new);
    let name = use_state(String::new);
    let gateway = use_state(String::new);
    let netmask = use_state(String::new);
    let offerings = use_load((*zone).clone(), Reload::ShowLoading, |z| {
        (!z.is_empty()).then(|| cmd::NetOfferings {
            zone_id: z.clone(),
            for_vpc: false,
        })
    });
    // A new zone has other offerings.
    {
        let offering = offering.clone();
        use_effect_with((*zone).clone(), move |_| offering.set(String::new()));
    }

    let request = CreateNetwork {
        zone_id: (*zone).clone(),
        offering_id: (*offering).clone(),
        name: name.trim().to_owned(),
        display_text: None,
        gateway: optional(&gateway),
        netmask: optional(&netmask),
    };
    let op = Operation::NetworkCreate {
        request: request.clone(),
    };
    let mut problems = op.problems();
    if let Ok(Some(c)) = request.cidr() {
        let siblings: Vec<SiblingNetwork> = networks
            .ready()
            .into_iter()
            .flatten()
            .filter(|n| n.zone_id == *zone && n.guest_type == GuestType::Isolated)
            .filter_map(|n| {
                n.cidr.map(|cidr| SiblingNetwork {
                    name: n.name.clone(),
                    cidr,
                })
            })
            .collect();
        problems.extend(network_cidr_problem(&c, &siblings, None));
    }
    let cidr_text = match request.cidr() {
        Ok(Some(c)) => format!("Guest CIDR {c}"),
        Ok(None) => "CloudStack picks the guest CIDR.".into(),
        Err(_) => String::new(),
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let sent = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };

    html! {
        <div class="modal-backdrop">
            <div class="modal wizard res-modal" id="net-create-form" role="dialog" aria-label="Create network">
                <div class="wizard-head">
                    <h2>{"Create network"}</h2>
                    <button class="icon-button" aria-label="Close" onclick={close.clone()}>{ Icon::Close.render() }</button>
                </div>
                <div class="form">
                    <div class="form-grid">
                        <label class="field"><span>{"Zone"}</span>
                            <select class="select" id="net-zone" onchange={on_select(&zone)}>
                                <option value="" selected={zone.is_empty()}>{ if zones.ready().is_some() { "Choose a zone…" } else { "Loading…" } }</option>
                                { for zones.ready().into_iter().flatten().map(|z| html! {
                                    <option value={z.id.clone()} selected={*zone == z.id}>{ &z.name }</option>
                                }) }
                            </select>
                        </label>
                        <label class="field"><span>{"Network offering"}</span>
                            <select class="select" id="net-offering" onchange={on_select(&offering)} disabled={zone.is_empty()}>
                                <option value="" selected={offering.is_empty()}>{ match (&*offerings, zone.is_empty()) {
                                    (_, true) => "Choose the zone first",
                                    (Load::Loading, false) => "Loading…",
                                    _ => "Choose an offering…",
                                } }</option>
                                { for offerings.ready().into_iter().flatten().map(|o| html! {
                                    <option value={o.id.clone()} selected={*offering == o.id} title={o.detail.clone()}>{ &o.name }</option>
                                }) }
                            </select>
                        </label>
                        <label class="field"><span>{"Name"}</span>
                            <input id="net-name" value={(*name).clone()} oninput={on_text(&name)} placeholder="app-net" /></label>
                        <label class="field"><span>{"Gateway (optional)"}</span>
                            <input id="net-gateway" class="mono" value={(*gateway).clone()} oninput={on_text(&gateway)} placeholder="10.1.1.1" /></label>
                        <label class="field"><span>{"Netmask (optional)"}</span>
                            <input id="net-netmask" class="mono" value={(*netmask).clone()} oninput={on_text(&netmask)} placeholder="255.255.255.0" /></label>
                    </div>
                    if let Load::Failed(e) = &*offerings {
                        <div class="field-error">{ format!("The offerings could not be read: {}", e.message) }</div>
                    }
                    <p class="small muted" id="net-cidr">{ cidr_text }</p>
                    <div class="form-actions">
                        <button class="button button-ghost" onclick={close}>{"Cancel"}</button>
                        <OpButton id="net-create-submit" label="Create network" class="button-primary" icon={Icon::Plus}
                                  op={Some(op)} blocked={problems.first().cloned()} on_sent={sent} />
                    </div>
                    if problems.len() > 1 {
                        <ul class="op-reasons">{ for problems.iter().skip(1).map(|p| html! { <li>{ p }</li> }) }</ul>
                    }
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AcquireProps {
    pub data: NetData,
    pub on_close: Callback<()>,
}

#[component]
pub fn AcquireIpForm(props: &AcquireProps) -> Html {
    let target = use_state(String::new);
    let request = match target.split_once(':') {
        Some(("network", id)) => Some(AcquireIp::Network {
            network_id: id.to_owned(),
        }),
        Some(("vpc", id)) => Some(AcquireIp::Vpc {
            vpc_id: id.to_owned(),
        }),
        _ => None,
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let sent = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let isolated: Vec<_> = props
        .data
        .networks
        .iter()
        .filter(|n| n.vpc_id.is_none() && n.guest_type == GuestType::Isolated)
        .collect();
    html! {
        <div class="modal-backdrop">
            <div class="modal wizard res-modal" id="ip-acquire-form" role="dialog" aria-label="Acquire IP">
                <div class="wizard-head">
                    <h2>{"Acquire a public IP"}</h2>
                    <button class="icon-button" aria-label="Close" onclick={close.clone()}>{ Icon::Close.render() }</button>
                </div>
                <div class="form">
                    <label class="field"><span>{"For"}</span>
                        <select class="select" id="ip-acquire-target" onchange={on_select(&target)}>
                            <option value="" selected={target.is_empty()}>{"Choose a network or a VPC…"}</option>
                            <optgroup label="Isolated networks">
                                { for isolated.iter().map(|n| {
                                    let v = format!("network:{}", n.id);
                                    html! { <option value={v.clone()} selected={*target == v}>{ format!("{} · {}", n.name, n.zone_name) }</option> }
                                }) }
                            </optgroup>
                            <optgroup label="VPCs">
                                { for props.data.vpcs.iter().map(|vpc| {
                                    let v = format!("vpc:{}", vpc.id);
                                    html! { <option value={v.clone()} selected={*target == v}>{ format!("{} · {}", vpc.name, vpc.zone_name) }</option> }
                                }) }
                            </optgroup>
                        </select>
                    </label>
                    <p class="small muted">{"CloudStack gives the next free address of the zone's public range; it is yours until released."}</p>
                    <div class="form-actions">
                        <button class="button button-ghost" onclick={close}>{"Cancel"}</button>
                        <OpButton id="ip-acquire-submit" label="Acquire IP" class="button-primary" icon={Icon::Plus}
                                  op={request.map(|request| Operation::IpAcquire { request })}
                                  blocked={target.is_empty().then(|| "Choose the network or VPC the address is for.".to_owned())} on_sent={sent} />
                    </div>
                </div>
            </div>
        </div>
    }
}
