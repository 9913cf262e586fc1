//! What points at a VM, in its detail panel: its volumes, its VM snapshots, the public IPs with
//! static NAT to it and the port forwards to it, each a link to where it is managed; and taking
//! a VM snapshot of it (with the pause warning when the memory is included).

use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_check, on_text, online};
use crate::format::{disk_size, resource_state_class};
use crate::hooks::{Load, Reload, use_live, use_load};
use crate::route::{Focus, Route};
use akashone_types::commands as cmd;
use akashone_types::ops::Operation;
use akashone_types::storage::checks::vm_snapshot_allowed;
use akashone_types::storage::{CreateVmSnapshot, KVM_PAUSE_WARNING};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LinksProps {
    pub vm_id: String,
    /// The VM's state, for whether a snapshot can be taken.
    pub vm_state: String,
}

fn to_volume(id: &str) -> Focus {
    Focus {
        volume: Some(id.to_owned()),
        ..Focus::default()
    }
}

fn to_ip(id: &str) -> Focus {
    Focus {
        ip: Some(id.to_owned()),
        ..Focus::default()
    }
}

#[component]
pub fn VmLinks(props: &LinksProps) -> Html {
    let live = use_live();
    let name = use_state(String::new);
    let memory = use_state(|| false);
    let links = use_load(
        (props.vm_id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| Some(cmd::VmLinksGet { vm_id: id.clone() }),
    );
    let body = match &*links {
        Load::Loading => html! { <p class="small muted">{"Reading…"}</p> },
        Load::Failed(e) => {
            html! { <p class="small muted">{ format!("Not available: {}", e.message) }</p> }
        }
        Load::Ready(l) => html! {
            <dl class="facts vm-links-facts">
                <dt>{"Volumes"}</dt>
                <dd class="vm-links-list" id="vm-links-volumes">
                    if l.volumes.is_empty() { <span class="muted">{"None"}</span> }
                    { for l.volumes.iter().map(|v| html! {
                        <Link<Route, Focus> to={Route::Storage} query={Some(to_volume(&v.id))} classes="link-button vm-link">
                            <span data-link-volume={v.name.clone()}>{ format!("{} · {} · {}", v.name, v.volume_type, disk_size(v.size_bytes)) }</span>
                        </Link<Route, Focus>>
                    }) }
                </dd>
                <dt>{"VM snapshots"}</dt>
                <dd class="vm-links-list" id="vm-links-snapshots">
                    if l.vm_snapshots.is_empty() { <span class="muted">{"None"}</span> }
                    { for l.vm_snapshots.iter().map(|s| html! {
                        <Link<Route> to={Route::Storage} classes="link-button vm-link">
                            <span data-link-vm-snapshot={s.name.clone()}>{ &s.name }</span>
                            {" "}<span class={resource_state_class(&s.state)}>{ &s.state }</span>
                        </Link<Route>>
                    }) }
                </dd>
                <dt>{"Static NAT"}</dt>
                <dd class="vm-links-list" id="vm-links-static-nat">
                    if l.static_nat.is_empty() { <span class="muted">{"None"}</span> }
                    { for l.static_nat.iter().map(|i| html! {
                        <Link<Route, Focus> to={Route::Networks} query={Some(to_ip(&i.id))} classes="link-button vm-link mono">
                            <span data-link-ip={i.address.clone()}>{ &i.address }</span>
                        </Link<Route, Focus>>
                    }) }
                </dd>
                <dt>{"Port forwards"}</dt>
                <dd class="vm-links-list" id="vm-links-forwards">
                    if l.port_forwards.is_empty() { <span class="muted">{"None"}</span> }
                    { for l.port_forwards.iter().map(|f| html! {
                        <Link<Route, Focus> to={Route::Networks} query={Some(to_ip(&f.ip_address_id))} classes="link-button vm-link mono">
                            <span data-link-forward={format!("{}:{}", f.ip_address, f.public)}>
                                { format!("{} {}:{} → {}", f.protocol, f.ip_address, f.public, f.private) }</span>
                        </Link<Route, Focus>>
                    }) }
                </dd>
            </dl>
        },
    };
    let request = CreateVmSnapshot {
        vm_id: props.vm_id.clone(),
        name: Some(name.trim().to_owned()).filter(|n| !n.is_empty()),
        description: None,
        memory: *memory,
        quiesce: false,
    };
    let why = vm_snapshot_allowed(&props.vm_state, &request, online(&live)).err();
    let sent = {
        let name = name.clone();
        Callback::from(move |_| name.set(String::new()))
    };
    html! {
        <div class="vm-links" id="vm-links">
            <h3 class="section-title">{"Links"}</h3>
            { body }
            <div class="vm-snapshot-take" id="vm-snapshot-form">
                <div class="inline-form">
                    <input id="vm-snapshot-name" placeholder="Snapshot name (optional)" value={(*name).clone()} oninput={on_text(&name)} />
                    <label class="check"><input type="checkbox" id="vm-snapshot-memory" checked={*memory} onchange={on_check(&memory)} />{"With memory"}</label>
                </div>
                if *memory {
                    <div class="banner banner-warn small" id="vm-snapshot-kvm-warning">{ Icon::Alert.render() }<span>{ KVM_PAUSE_WARNING }</span></div>
                }
                <OpButton id="vm-snapshot-take" label="Take VM snapshot" icon={Icon::Plus} class="button-small"
                          op={Some(Operation::VmSnapshotCreate { request })} blocked={why} on_sent={sent} />
            </div>
        </div>
    }
}
