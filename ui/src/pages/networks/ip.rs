//! One public IP address: its facts and release (refused for a source NAT address, with the
//! reason), and its rules in tabs — firewall, port forwarding, load balancing, static NAT.

use super::{NetData, Selected, firewall, forward, lb};
use crate::components::icons::Icon;
use crate::components::op::{OpButton, VmSelect, online, set_string, use_vms};
use crate::format::resource_state_class;
use crate::hooks::{Load, Reload, use_live, use_load};
use akashone_types::VmRow;
use akashone_types::commands as cmd;
use akashone_types::network::checks::ip_action_allowed;
use akashone_types::network::{IpAction, PublicIpRow};
use akashone_types::ops::{IpRulesView, Operation};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Firewall,
    Forwarding,
    Balancing,
    StaticNat,
}

const TABS: &[(Tab, &str, &str)] = &[
    (Tab::Firewall, "firewall", "Firewall"),
    (Tab::Forwarding, "port-forwarding", "Port forwarding"),
    (Tab::Balancing, "load-balancing", "Load balancing"),
    (Tab::StaticNat, "static-nat", "Static NAT"),
];

/// The VMs an address's rules can point at: those on its network (or its VPC's tiers), all of
/// them when the network's VMs are not known.
pub fn vms_for(ip: &PublicIpRow, data: &NetData, vms: &[VmRow]) -> Vec<VmRow> {
    let names: Vec<&String> = data
        .networks
        .iter()
        .filter(|n| {
            (ip.network_id.is_some() && n.id == ip.network_id.clone().unwrap_or_default())
                || (ip.vpc_id.is_some() && n.vpc_id == ip.vpc_id)
        })
        .flat_map(|n| n.vm_names.iter())
        .chain(
            data.vpcs
                .iter()
                .filter(|v| Some(&v.id) == ip.vpc_id.as_ref())
                .flat_map(|v| v.tiers.iter().flat_map(|t| t.vm_names.iter())),
        )
        .collect();
    if names.is_empty() {
        return vms.to_vec();
    }
    vms.iter()
        .filter(|v| names.contains(&&v.name))
        .cloned()
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct IpProps {
    pub id: String,
    pub data: NetData,
    pub on_select: Callback<Option<Selected>>,
}

#[component]
pub fn IpDetail(props: &IpProps) -> Html {
    let live = use_live();
    let tab = use_state(|| Tab::Firewall);
    let vms = use_vms();
    let rules = use_load(
        (props.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| Some(cmd::NetIpRules { ip_id: id.clone() }),
    );
    // Deleted or released: back to the lists.
    {
        let cb = props.on_select.clone();
        let gone = props.data.loaded && !props.data.ips.iter().any(|x| x.id == props.id);
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
    let Some(ip) = props.data.ips.iter().find(|i| i.id == props.id).cloned() else {
        return html! {
            <div class="res-detail" id="ip-detail">
                <button class="link-button" id="ip-back" onclick={back}>{"← All networks"}</button>
                <p class="muted">{ if props.data.loaded { "This address is no longer listed (released, or not synced yet)." } else { "Loading…" } }</p>
            </div>
        };
    };
    let on = online(&live);
    let view: IpRulesView = rules.ready().cloned().unwrap_or_default();
    let release_why = ip_action_allowed(
        &ip,
        &IpAction::Release,
        &view.port_forwards,
        &view.load_balancers,
        on,
    )
    .err();
    let candidates = vms_for(&ip, &props.data, &vms);
    let open_network = ip.network_id.clone().map(|n| {
        let cb = props.on_select.clone();
        Callback::from(move |_| cb.emit(Some(Selected::Network(n.clone()))))
    });

    html! {
        <div class="res-detail" id="ip-detail" data-ip-address={ip.address.clone()} data-ip-id={ip.id.clone()} data-state={ip.state.clone()}>
            <div class="kube-detail-head">
                <button class="link-button" id="ip-back" onclick={back}>{"← All networks"}</button>
                <div class="kube-title-row">
                    <span class="hero-icon kube-icon">{ Icon::Network.render() }</span>
                    <div class="kube-title">
                        <h1 class="page-title mono">{ &ip.address }</h1>
                        <span class="small muted">
                            { NetData::ip_home(&ip) }
                            if let Some(open) = open_network { {" · "}<button class="link-button" onclick={open}>{"open the network"}</button> }
                        </span>
                    </div>
                    <span class={resource_state_class(&ip.state)} id="ip-state">{ &ip.state }</span>
                    if ip.source_nat { <span class="badge badge-accent" id="ip-source-nat">{"source NAT"}</span> }
                    <span class="toolbar-fill"></span>
                    <OpButton id="ip-release" label="Release" icon={Icon::Trash} class="button-danger button-small"
                              op={Some(Operation::IpAction { id: ip.id.clone(), action: IpAction::Release })} blocked={release_why}
                              confirm={AttrValue::from(format!("Release {}? Its rules go with it and the address may go to someone else.", ip.address))} />
                </div>
            </div>
            if let Load::Failed(e) = &*rules {
                <div class="banner banner-error">{ Icon::Alert.render() }<span>{ format!("The rules of {} could not be read: {}", ip.address, e.message) }</span></div>
            }
            <div class="tabs" role="tablist" id="ip-tabs">
                { for TABS.iter().map(|(t, slug, label)| {
                    let (tab, t) = (tab.clone(), *t);
                    html! {
                        <button class={classes!("tab", (*tab == t).then_some("selected"))} role="tab" data-tab={*slug}
                                id={format!("ip-tab-{slug}")} aria-selected={(*tab == t).to_string()}
                                onclick={Callback::from(move |_| tab.set(t))}>{ *label }</button>
                    }
                }) }
            </div>
            <div class="tab-body" data-tab-body={TABS.iter().find(|x| x.0 == *tab).map(|x| x.1).unwrap_or_default()}>
                { match *tab {
                    Tab::Firewall => html! { <firewall::Firewall ip={ip.clone()} ips={props.data.ips.clone()} view={view.clone()} /> },
                    Tab::Forwarding => html! { <forward::Forwarding ip={ip.clone()} data={props.data.clone()} vms={candidates.clone()} view={view.clone()} /> },
                    Tab::Balancing => html! { <lb::Balancing ip={ip.clone()} vms={candidates.clone()} view={view.clone()} /> },
                    Tab::StaticNat => html! { <StaticNat ip={ip.clone()} data={props.data.clone()} vms={candidates.clone()} view={view.clone()} /> },
                } }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NatProps {
    ip: PublicIpRow,
    data: NetData,
    vms: Vec<VmRow>,
    view: IpRulesView,
}

/// Static NAT: all traffic to the address goes to one VM (the firewall still applies).
#[component]
fn StaticNat(props: &NatProps) -> Html {
    let live = use_live();
    let vm = use_state(String::new);
    let ip = &props.ip;
    let on = online(&live);
    let vm_name = props
        .vms
        .iter()
        .find(|v| v.id == *vm)
        .map(|v| v.name.clone())
        .unwrap_or_default();
    let enable = IpAction::EnableStaticNat {
        vm_id: (*vm).clone(),
        vm_guest_ip: None,
        network_id: props
            .data
            .network_of(ip, &vm_name)
            .filter(|_| ip.vpc_id.is_some()),
    };
    let (pf, lbs) = (&props.view.port_forwards, &props.view.load_balancers);
    let enable_why = ip_action_allowed(ip, &enable, pf, lbs, on).err();
    let disable_why = ip_action_allowed(ip, &IpAction::DisableStaticNat, pf, lbs, on).err();
    html! {
        <div class="card kube-card" id="nat-panel">
            if let Some(target) = &ip.static_nat_vm_name {
                <p id="nat-state">{ format!("Static NAT is on: all traffic to {} goes to {target} (the firewall rules still apply).", ip.address) }</p>
                <OpButton id="nat-disable" label="Disable static NAT" icon={Icon::Power} class="button-danger"
                          op={Some(Operation::IpAction { id: ip.id.clone(), action: IpAction::DisableStaticNat })} blocked={disable_why}
                          confirm={AttrValue::from(format!("Disable static NAT from {} to {target}?", ip.address))} />
            } else {
                <p class="muted" id="nat-state">{ format!("Static NAT is off on {}.", ip.address) }</p>
                <div class="inline-form">
                    <VmSelect id="nat-vm" vms={props.vms.clone()} value={(*vm).clone()} on_change={set_string(&vm)} />
                    <OpButton id="nat-enable" label="Enable static NAT" icon={Icon::Plug} class="button-primary"
                              op={Some(Operation::IpAction { id: ip.id.clone(), action: enable })} blocked={enable_why} />
                </div>
            }
        </div>
    }
}
