//! One guest network (or VPC tier): its facts and VMs, restart (optionally replacing the
//! virtual router), delete — refused with the VMs still on it — its egress rules (with a form
//! for new ones on an isolated network) and its public addresses.

use super::firewall::{RuleRow, parse_traffic};
use super::{NetData, Selected};
use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_check, on_select, on_text, online};
use crate::format::resource_state_class;
use crate::hooks::{Load, Reload, use_live, use_load};
use akashone_types::commands as cmd;
use akashone_types::network::checks::network_action_allowed;
use akashone_types::network::cidr::parse_cidr_list;
use akashone_types::network::rules::{EgressRuleSpec, egress_summary};
use akashone_types::network::{AcquireIp, Cidr, GuestType, NetworkAction, NetworkRow};
use akashone_types::ops::{Operation, RuleKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub id: String,
    pub data: NetData,
    pub on_select: Callback<Option<Selected>>,
}

#[component]
pub fn NetworkDetail(props: &NetworkProps) -> Html {
    let live = use_live();
    let cleanup = use_state(|| false);
    let egress = use_load(
        (props.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| {
            Some(cmd::NetEgressRules {
                network_id: id.clone(),
            })
        },
    );
    // Deleted or released: back to the lists.
    {
        let cb = props.on_select.clone();
        let gone = props.data.loaded && !props.data.networks.iter().any(|x| x.id == props.id);
        use_effect_with(gone, move |gone| {
            if *gone {
                cb.emit(None);
            }
        });
    }
    let back = {
        let cb = props.on_select.clone();
        Callback::from(move |_| cb.emit(None))
    };
    let Some(n) = props
        .data
        .networks
        .iter()
        .find(|n| n.id == props.id)
        .cloned()
    else {
        return html! {
            <div class="res-detail" id="net-detail">
                <button class="link-button" id="net-back" onclick={back}>{"← All networks"}</button>
                <p class="muted">{ if props.data.loaded { "This network is no longer listed (deleted, or not synced yet)." } else { "Loading…" } }</p>
            </div>
        };
    };
    let on = online(&live);
    let restart = NetworkAction::Restart { cleanup: *cleanup };
    let restart_why = network_action_allowed(&n, &restart, on).err();
    let delete_why = network_action_allowed(&n, &NetworkAction::Delete, on).err();
    let ips: Vec<_> = props
        .data
        .ips
        .iter()
        .filter(|i| i.network_id.as_deref() == Some(n.id.as_str()))
        .cloned()
        .collect();
    let acquire = match &n.vpc_id {
        Some(v) => AcquireIp::Vpc { vpc_id: v.clone() },
        None => AcquireIp::Network {
            network_id: n.id.clone(),
        },
    };
    let acquire_why = (n.guest_type != GuestType::Isolated && n.vpc_id.is_none()).then(|| {
        format!(
            "{} is a {:?} network: public addresses are acquired for isolated networks and VPCs.",
            n.name, n.guest_type
        )
    });

    html! {
        <div class="res-detail" id="net-detail" data-network-name={n.name.clone()} data-network-id={n.id.clone()} data-state={n.state.clone()}>
            <div class="kube-detail-head">
                <button class="link-button" id="net-back" onclick={back}>{"← All networks"}</button>
                <div class="kube-title-row">
                    <span class="hero-icon kube-icon">{ Icon::Network.render() }</span>
                    <div class="kube-title">
                        <h1 class="page-title">{ &n.name }</h1>
                        <span class="mono small muted">{ &n.id }</span>
                    </div>
                    <span class={resource_state_class(&n.state)} id="net-state">{ &n.state }</span>
                    <span class="toolbar-fill"></span>
                    <span class="small muted">{ format!("{:?} · {} · {}", n.guest_type, n.cidr.map(|c| c.to_string()).unwrap_or_default(), n.zone_name) }</span>
                </div>
            </div>
            <div class="kube-detail-grid">
                <div class="kube-col">
                    <div class="card kube-card">
                        <div class="card-head"><h2>{"Network"}</h2></div>
                        <dl class="facts">
                            <dt>{"CIDR"}</dt><dd class="mono">{ n.cidr.map(|c| c.to_string()).unwrap_or_else(|| "—".into()) }</dd>
                            <dt>{"Gateway"}</dt><dd class="mono">{ n.gateway.clone().unwrap_or_else(|| "—".into()) }</dd>
                            <dt>{"Zone"}</dt><dd>{ &n.zone_name }</dd>
                            <dt>{"Offering"}</dt><dd>{ &n.offering_name }</dd>
                            if let Some(v) = &n.vpc_name { <dt>{"VPC"}</dt><dd>{ v }</dd> }
                            <dt>{"VMs"}</dt><dd id="net-vms">{ if n.vm_names.is_empty() { "None".to_owned() } else { n.vm_names.join(", ") } }</dd>
                        </dl>
                    </div>
                    <div class="card kube-card res-actions" id="net-actions">
                        <div class="card-head"><h2>{"Actions"}</h2></div>
                        <label class="check"><input type="checkbox" id="net-cleanup" checked={*cleanup} onchange={on_check(&cleanup)} />
                            {"Clean up: replace the virtual router (a short outage)"}</label>
                        <OpButton id="net-restart" label="Restart network" icon={Icon::Refresh}
                                  op={Some(Operation::NetworkAction { id: n.id.clone(), action: restart })} blocked={restart_why} />
                        <OpButton id="net-acquire-ip" label="Acquire IP for it" icon={Icon::Plus}
                                  op={Some(Operation::IpAcquire { request: acquire })} blocked={acquire_why} />
                        <OpButton id="net-delete" label="Delete network" icon={Icon::Trash} class="button-danger"
                                  op={Some(Operation::NetworkAction { id: n.id.clone(), action: NetworkAction::Delete })} blocked={delete_why}
                                  confirm={AttrValue::from(format!("Delete the network {}? Its addresses are released with it.", n.name))} />
                    </div>
                </div>
                <div class="kube-col">
                    <div class="card kube-card" id="net-egress">
                        <div class="card-head"><h2>{"Egress rules"}</h2></div>
                        { match &*egress {
                            Load::Loading => html! { <p class="small muted">{"Loading…"}</p> },
                            Load::Failed(e) => html! { <p class="field-error">{ format!("The egress rules could not be read: {}", e.message) }</p> },
                            Load::Ready(l) => html! {
                                <>
                                    if let Some(d) = n.egress_default {
                                        <p class="small muted">{ egress_summary(d, l.len()) }</p>
                                    }
                                    if l.is_empty() { <p class="small muted">{"No egress rules."}</p> }
                                    { for l.iter().map(|r| html! {
                                        <div class="snap-line" data-egress-rule={r.id.clone()} key={r.id.clone()}>
                                            <div class="snap-head">
                                                <span class="mono">{ r.traffic.to_string() }</span>
                                                <span class="small">{ format!("from {} to {}", if r.cidrs.is_empty() { "the network".into() } else { r.cidrs.join(", ") },
                                                    if r.dest_cidrs.is_empty() { "anywhere".into() } else { r.dest_cidrs.join(", ") }) }</span>
                                                <span class={resource_state_class(&r.state)}>{ &r.state }</span>
                                            </div>
                                            <div class="row-ops">
                                                <OpButton id="egress-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                                                          op={Some(Operation::RuleDelete { kind: RuleKind::Egress, id: r.id.clone() })} lazy=true
                                                          confirm={AttrValue::from(format!("Delete the egress rule {}?", r.traffic))} />
                                            </div>
                                        </div>
                                    }) }
                                </>
                            },
                        } }
                    </div>
                    if n.guest_type == GuestType::Isolated && n.vpc_id.is_none() {
                        <EgressForm network={n.clone()} />
                    }
                    <div class="card kube-card" id="net-ips">
                        <div class="card-head"><h2>{"Public addresses"}</h2></div>
                        if ips.is_empty() { <p class="small muted">{"No public addresses on this network."}</p> }
                        { for ips.iter().map(|i| {
                            let open = {
                                let (cb, id) = (props.on_select.clone(), i.id.clone());
                                Callback::from(move |_| cb.emit(Some(Selected::Ip(id.clone()))))
                            };
                            html! {
                                <div class="snap-line" data-ip-address={i.address.clone()} key={i.id.clone()}>
                                    <div class="snap-head">
                                        <button class="link-button mono" onclick={open}>{ &i.address }</button>
                                        if i.source_nat { <span class="badge badge-accent">{"source NAT"}</span> }
                                        if let Some(vm) = &i.static_nat_vm_name { <span class="small">{ format!("static NAT to {vm}") }</span> }
                                        <span class={resource_state_class(&i.state)}>{ &i.state }</span>
                                    </div>
                                </div>
                            }
                        }) }
                    </div>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EgressProps {
    network: NetworkRow,
}

/// Optional CIDRs: empty text is none.
fn cidrs_or_none(text: &str) -> Result<Vec<Cidr>, String> {
    if text.trim().is_empty() {
        Ok(Vec::new())
    } else {
        parse_cidr_list(text)
    }
}

/// A new egress rule: protocol and ports (or ICMP), from which VMs, to where.
#[component]
fn EgressForm(props: &EgressProps) -> Html {
    let protocol = use_state(|| "tcp".to_owned());
    let ports = use_state(String::new);
    let sources = use_state(String::new);
    let dests = use_state(String::new);
    let n = &props.network;
    let row = RuleRow {
        protocol: (*protocol).clone(),
        ports: (*ports).clone(),
        ..RuleRow::default()
    };
    let mut notes = Vec::new();
    let spec = (|| -> Result<EgressRuleSpec, String> {
        Ok(EgressRuleSpec {
            network_id: n.id.clone(),
            traffic: parse_traffic(&row, &mut notes)?,
            cidrs: cidrs_or_none(&sources).map_err(|e| format!("From: {e}"))?,
            dest_cidrs: cidrs_or_none(&dests).map_err(|e| format!("To: {e}"))?,
        })
    })();
    let problems = match (&spec, n.cidr) {
        (Err(e), _) => vec![e.clone()],
        (Ok(s), Some(c)) => s.problems(&c),
        (Ok(_), None) => Vec::new(),
    };
    let touched =
        !(ports.trim().is_empty() && sources.trim().is_empty() && dests.trim().is_empty());
    let sent = {
        let (ports, sources, dests) = (ports.clone(), sources.clone(), dests.clone());
        Callback::from(move |_| {
            ports.set(String::new());
            sources.set(String::new());
            dests.set(String::new());
        })
    };
    html! {
        <div class="card kube-card" id="egress-form">
            <div class="card-head"><h2>{"New egress rule"}</h2></div>
            <div class="rule-row">
                <label class="field"><span>{"Protocol"}</span>
                    <select class="select" id="egress-protocol" onchange={on_select(&protocol)}>
                        { for ["tcp", "udp", "icmp", "all"].iter().map(|x| html! { <option value={*x} selected={*protocol == *x}>{ *x }</option> }) }
                    </select></label>
                if *protocol == "tcp" || *protocol == "udp" {
                    <label class="field rule-ports"><span>{"Ports"}</span>
                        <input id="egress-ports" class="mono" placeholder="80, 443" value={(*ports).clone()} oninput={on_text(&ports)} /></label>
                }
                <label class="field rule-cidrs"><span>{"From (empty: the whole network)"}</span>
                    <input id="egress-cidrs" class="mono" placeholder={n.cidr.map(|c| c.to_string()).unwrap_or_default()} value={(*sources).clone()} oninput={on_text(&sources)} /></label>
                <label class="field rule-cidrs"><span>{"To (empty: anywhere)"}</span>
                    <input id="egress-dest-cidrs" class="mono" placeholder="198.51.100.0/24" value={(*dests).clone()} oninput={on_text(&dests)} /></label>
                <div class="rule-notes">
                    { for notes.iter().map(|x| html! { <span class="small muted">{ x }</span> }) }
                </div>
            </div>
            <OpButton id="egress-create" label="Add egress rule" icon={Icon::Plus}
                      op={spec.clone().ok().map(|request| Operation::EgressCreate { request })}
                      blocked={problems.first().cloned().filter(|_| touched || spec.is_ok())} on_sent={sent} />
        </div>
    }
}
