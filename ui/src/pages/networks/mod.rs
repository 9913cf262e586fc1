//! Networks: guest networks, VPCs with their tiers, and public IP addresses from the cache
//! (readable offline); creating a network, acquiring an address; a network's detail (restart,
//! delete, egress rules, its addresses) and an address's detail (firewall rule sets, port
//! forwarding, load balancing, static NAT, release). Every change is an `Operation`, checked
//! with `resource_check` before its button is enabled, its progress shown live.

mod create;
mod firewall;
mod forward;
mod ip;
mod lb;
mod network;

use crate::components::icons::Icon;
use crate::components::op::{JobStrip, OfflineBanner, OpButton, online};
use crate::components::page::PageHeader;
use crate::format::resource_state_class;
use crate::hooks::{Live, Load, Reload, use_live, use_load};
use crate::route::{Focus, Route};
use akashone_types::Reachability;
use akashone_types::commands as cmd;
use akashone_types::network::checks::vpc_action_allowed;
use akashone_types::network::{NetworkAction, NetworkRow, PublicIpRow, VpcRow};
use akashone_types::ops::Operation;
use yew::prelude::*;
use yew_router::prelude::*;

/// What the page shows: the lists, or one network or address.
#[derive(Clone, Debug, PartialEq)]
pub enum Selected {
    Network(String),
    Ip(String),
}

/// The lists every part of the page reads, loaded once per data change.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NetData {
    pub networks: Vec<NetworkRow>,
    pub vpcs: Vec<VpcRow>,
    pub ips: Vec<PublicIpRow>,
    /// Whether the lists are there yet.
    pub loaded: bool,
}

impl NetData {
    /// The network of `vm` among the address's: its tier for a VPC address.
    pub fn network_of(&self, ip: &PublicIpRow, vm_name: &str) -> Option<String> {
        if ip.vpc_id.is_none() {
            return ip.network_id.clone();
        }
        self.vpcs
            .iter()
            .filter(|v| Some(&v.id) == ip.vpc_id.as_ref())
            .flat_map(|v| v.tiers.iter())
            .find(|t| t.vm_names.iter().any(|n| n == vm_name))
            .map(|t| t.id.clone())
            .or_else(|| {
                self.networks
                    .iter()
                    .find(|n| n.vpc_id == ip.vpc_id && n.vm_names.iter().any(|x| x == vm_name))
                    .map(|n| n.id.clone())
            })
    }

    /// Where an address belongs, in words.
    pub fn ip_home(ip: &PublicIpRow) -> String {
        match (&ip.network_name, &ip.vpc_name) {
            (_, Some(v)) => format!("VPC {v}"),
            (Some(n), None) => n.clone(),
            _ => "—".into(),
        }
    }
}

const PREFIXES: &[&str] = &[
    "network.",
    "vpc.",
    "ip.",
    "firewall.",
    "portforward.",
    "lb.",
    "egress.",
    "acl.",
];

#[component]
pub fn Networks() -> Html {
    let live = use_live();
    let selected = use_state(|| None::<Selected>);
    let creating = use_state(|| false);
    let acquiring = use_state(|| false);
    let connected = live
        .status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);
    // A link from elsewhere (a VM's detail) opens its address or network.
    let query = use_location()
        .map(|l| l.query_str().to_owned())
        .unwrap_or_default();
    {
        let selected = selected.clone();
        use_effect_with(query, move |q| {
            let f = Focus::parse(q);
            if let Some(ip) = f.ip {
                selected.set(Some(Selected::Ip(ip)));
            } else if let Some(n) = f.network {
                selected.set(Some(Selected::Network(n)));
            }
        });
    }
    let key = (live.data_version, connected);
    let networks = use_load(key, Reload::KeepShown, |(_, c)| {
        c.then_some(cmd::NetNetworks {})
    });
    let vpcs = use_load(key, Reload::KeepShown, |(_, c)| {
        c.then_some(cmd::NetVpcs {})
    });
    let ips = use_load(key, Reload::KeepShown, |(_, c)| c.then_some(cmd::NetIps {}));

    if !connected {
        return html! {
            <section class="page" data-page="networks">
                <PageHeader title="Networks" subtitle="Guest networks, VPCs and public IP addresses." />
                <div class="hero card">
                    <div class="hero-icon">{ Icon::Network.render() }</div>
                    <div class="hero-text">
                        <h2>{"No cloud connected"}</h2>
                        <p class="muted">{"Connect to a CloudStack cloud, or start the demo, to manage its networks."}</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Set up a connection"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            </section>
        };
    }
    let data = NetData {
        networks: networks.ready().cloned().unwrap_or_default(),
        vpcs: vpcs.ready().cloned().unwrap_or_default(),
        ips: ips.ready().cloned().unwrap_or_default(),
        loaded: networks.ready().is_some() && ips.ready().is_some(),
    };
    let select = {
        let selected = selected.clone();
        Callback::from(move |s: Option<Selected>| selected.set(s))
    };

    if let Some(sel) = (*selected).clone() {
        let body = match sel {
            Selected::Network(id) => html! {
                <network::NetworkDetail key={id.clone()} id={id.clone()} data={data.clone()} on_select={select.clone()} />
            },
            Selected::Ip(id) => html! {
                <ip::IpDetail key={id.clone()} id={id.clone()} data={data.clone()} on_select={select.clone()} />
            },
        };
        return html! {
            <section class="page net-page" data-page="networks">
                <OfflineBanner what="networks and addresses" />
                { body }
            </section>
        };
    }

    let can_act = live.can_act();
    let open = |flag: &UseStateHandle<bool>| {
        let flag = flag.clone();
        Callback::from(move |_: MouseEvent| flag.set(true))
    };
    let close = |flag: &UseStateHandle<bool>| {
        let flag = flag.clone();
        Callback::from(move |_: ()| flag.set(false))
    };

    html! {
        <section class="page net-page" data-page="networks">
            <PageHeader title="Networks" subtitle="Guest networks, VPCs and public IP addresses, with their firewall, port forwarding, load balancing and static NAT.">
                <button id="ip-acquire" class="button" onclick={open(&acquiring)}
                        disabled={can_act.is_err()} title={can_act.clone().err().unwrap_or_default()}>
                    { Icon::Plus.render() }{"Acquire IP"}
                </button>
                <button id="net-create" class="button button-primary" onclick={open(&creating)}
                        disabled={can_act.is_err()} title={can_act.clone().err().unwrap_or_default()}>
                    { Icon::Plus.render() }{"Create network"}
                </button>
            </PageHeader>
            <OfflineBanner what="networks and addresses" />
            <JobStrip prefixes={PREFIXES} />
            <div class="cached" data-list="networks">
                <div class="toolbar">
                    <h3 class="section-title">{"Guest networks"}</h3>
                    <span class="toolbar-fill"></span>
                    <span class="small muted list-count" id="net-count">{ crate::format::plural(data.networks.iter().filter(|n| n.vpc_id.is_none()).count(), "network", "networks") }</span>
                </div>
                <div class="card table">
                    <div class="table-row table-head res-row net-row">
                        <span>{"Name"}</span><span>{"State"}</span><span>{"CIDR"}</span><span>{"Zone"}</span><span>{"Offering"}</span><span>{"VMs"}</span>
                    </div>
                    { list_state(&networks, "networks") }
                    { for data.networks.iter().filter(|n| n.vpc_id.is_none()).map(|n| network_row(&live, n, &selected)) }
                </div>
            </div>
            <div class="cached" data-list="vpcs">
                <div class="toolbar">
                    <h3 class="section-title">{"VPCs"}</h3>
                    <span class="toolbar-fill"></span>
                    <span class="small muted list-count">{ crate::format::plural(data.vpcs.len(), "VPC", "VPCs") }</span>
                </div>
                <div class="card table">
                    <div class="table-row table-head res-row net-row vpc-row">
                        <span>{"Name"}</span><span>{"State"}</span><span>{"CIDR"}</span><span>{"Zone"}</span><span>{"Offering"}</span><span>{"Tiers"}</span><span>{"Actions"}</span>
                    </div>
                    { list_state(&vpcs, "VPCs") }
                    { for data.vpcs.iter().map(|v| html! {
                        <>
                            <div class="table-row res-row net-row vpc-row" key={v.id.clone()} data-row={v.name.clone()} data-vpc-name={v.name.clone()} data-state={v.state.clone()}>
                                <span class="res-name">{ &v.name }</span>
                                <span><span class={resource_state_class(&v.state)}>{ &v.state }</span></span>
                                <span class="mono small">{ v.cidr.to_string() }</span>
                                <span>{ &v.zone_name }</span>
                                <span class="small">{ &v.offering_name }</span>
                                <span>{ v.tiers.len() }</span>
                                <span class="row-ops">
                                    <OpButton id="vpc-restart" label="Restart" class="button-small" icon={Icon::Refresh} lazy=true
                                              op={Some(Operation::VpcAction { id: v.id.clone(), action: NetworkAction::Restart { cleanup: false } })}
                                              blocked={vpc_action_allowed(v, &NetworkAction::Restart { cleanup: false }, online(&live)).err().filter(|_| online(&live))}
                                              confirm={AttrValue::from(format!("Restart the VPC {}? Its router re-applies every rule.", v.name))} />
                                    <OpButton id="vpc-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash} lazy=true
                                              op={Some(Operation::VpcAction { id: v.id.clone(), action: NetworkAction::Delete })}
                                              blocked={vpc_action_allowed(v, &NetworkAction::Delete, online(&live)).err().filter(|_| online(&live))}
                                              confirm={AttrValue::from(format!("Delete the VPC {}?", v.name))} />
                                </span>
                            </div>
                            { for v.tiers.iter().map(|t| {
                                let open = {
                                    let (selected, id) = (selected.clone(), t.id.clone());
                                    Callback::from(move |_| selected.set(Some(Selected::Network(id.clone()))))
                                };
                                html! {
                                    <div class="table-row res-row net-row vpc-row net-tier clickable" key={t.id.clone()} data-tier-name={t.name.clone()}
                                         data-network-name={t.name.clone()} onclick={open} role="row" tabindex="0">
                                        <span class="res-name"><span class="tree-elbow"></span>{ &t.name }</span>
                                        <span><span class={resource_state_class(&t.state)}>{ &t.state }</span></span>
                                        <span class="mono small">{ t.cidr.to_string() }</span>
                                        <span class="small muted">{ format!("gateway {}", t.gateway) }</span>
                                        <span class="small">{ t.acl_name.clone().map(|a| format!("ACL {a}")).unwrap_or_default() }</span>
                                        <span title={t.vm_names.join(", ")}>{ format!("{} VMs", t.vm_names.len()) }</span>
                                        <span></span>
                                    </div>
                                }
                            }) }
                        </>
                    }) }
                </div>
            </div>
            <div class="cached" data-list="public_ips">
                <div class="toolbar">
                    <h3 class="section-title">{"Public IP addresses"}</h3>
                    <span class="toolbar-fill"></span>
                    <span class="small muted list-count" id="ip-count">{ crate::format::plural(data.ips.len(), "address", "addresses") }</span>
                </div>
                <div class="card table">
                    <div class="table-row table-head res-row ip-row">
                        <span>{"Address"}</span><span>{"State"}</span><span>{"Network"}</span><span>{"Source NAT"}</span><span>{"Static NAT to"}</span>
                    </div>
                    { list_state(&ips, "public IP addresses") }
                    { for data.ips.iter().map(|i| ip_row(&live, i, &selected)) }
                </div>
            </div>
            if *creating {
                <create::CreateNetworkForm on_close={close(&creating)} />
            }
            if *acquiring {
                <create::AcquireIpForm data={data.clone()} on_close={close(&acquiring)} />
            }
        </section>
    }
}

fn list_state<T>(l: &Load<Vec<T>>, what: &str) -> Html {
    match l {
        Load::Loading => {
            html! { <div class="table-empty muted">{ format!("Loading the {what}…") }</div> }
        }
        Load::Failed(e) => html! {
            <div class="table-empty field-error">{ format!("The {what} could not be read: {}", e.message) }</div>
        },
        Load::Ready(v) if v.is_empty() => {
            html! { <div class="table-empty muted">{ format!("No {what}.") }</div> }
        }
        Load::Ready(_) => Html::default(),
    }
}

fn network_row(live: &Live, n: &NetworkRow, selected: &UseStateHandle<Option<Selected>>) -> Html {
    let open = {
        let (selected, id) = (selected.clone(), n.id.clone());
        Callback::from(move |_| selected.set(Some(Selected::Network(id.clone()))))
    };
    let on_key = {
        let (selected, id) = (selected.clone(), n.id.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                selected.set(Some(Selected::Network(id.clone())));
            }
        })
    };
    let job = live.resource_running(&n.id, &n.name);
    html! {
        <div class="table-row res-row net-row clickable" key={n.id.clone()}
             data-row={n.name.clone()} data-network-name={n.name.clone()} data-network-id={n.id.clone()} data-state={n.state.clone()}
             onclick={open} onkeydown={on_key} role="row" tabindex="0">
            <span class="res-name" title={n.name.clone()}>{ &n.name }</span>
            <span>
                if let Some(j) = job {
                    <span class="state state-busy"><span class="spinner"></span>{ format!("{}…", crate::format::op_title(&j.action)) }</span>
                } else {
                    <span class={resource_state_class(&n.state)}>{ &n.state }</span>
                }
            </span>
            <span class="mono small">{ n.cidr.map(|c| c.to_string()).unwrap_or_else(|| "—".into()) }</span>
            <span>{ &n.zone_name }</span>
            <span class="small">{ &n.offering_name }</span>
            <span title={n.vm_names.join(", ")}>{ n.vm_names.len() }</span>
        </div>
    }
}

fn ip_row(live: &Live, i: &PublicIpRow, selected: &UseStateHandle<Option<Selected>>) -> Html {
    let open = {
        let (selected, id) = (selected.clone(), i.id.clone());
        Callback::from(move |_| selected.set(Some(Selected::Ip(id.clone()))))
    };
    let on_key = {
        let (selected, id) = (selected.clone(), i.id.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                selected.set(Some(Selected::Ip(id.clone())));
            }
        })
    };
    let job = live.resource_running(&i.id, &i.address);
    html! {
        <div class="table-row res-row ip-row clickable" key={i.id.clone()} data-row={i.address.clone()}
             data-ip-address={i.address.clone()} data-ip-id={i.id.clone()} data-state={i.state.clone()}
             onclick={open} onkeydown={on_key} role="row" tabindex="0">
            <span class="mono">{ &i.address }</span>
            <span>
                if let Some(j) = job {
                    <span class="state state-busy"><span class="spinner"></span>{ format!("{}…", crate::format::op_title(&j.action)) }</span>
                } else {
                    <span class={resource_state_class(&i.state)}>{ &i.state }</span>
                }
            </span>
            <span>{ NetData::ip_home(i) }</span>
            <span>{ if i.source_nat { html! { <span class="badge badge-accent">{"source NAT"}</span> } } else { html! { <span class="muted">{"—"}</span> } } }</span>
            <span>{ i.static_nat_vm_name.clone().unwrap_or_else(|| "—".into()) }</span>
        </div>
    }
}
