//! Storage: volumes (root and data disks) from the cache, readable offline, with the create form;
//! a volume's detail (attach, detach, resize, delete, its snapshots and recurring policies); and
//! the VM snapshots, taken, reverted and deleted here. Every change is an `Operation` checked
//! with `resource_check` before its button is enabled, its progress shown live.

mod create;
mod policy;
mod volume;

use crate::components::icons::Icon;
use crate::components::op::{
    JobStrip, OfflineBanner, OpButton, VmSelect, on_check, on_text, online, set_string, use_vms,
};
use crate::components::page::PageHeader;
use crate::format::{disk_size, resource_state_class, short_time};
use crate::hooks::{Load, Reload, use_live, use_load};
use crate::route::{Focus, Route};
use akashone_types::commands as cmd;
use akashone_types::ops::Operation;
use akashone_types::storage::checks::{vm_snapshot_action_allowed, vm_snapshot_allowed};
use akashone_types::storage::{
    CreateVmSnapshot, KVM_PAUSE_WARNING, VmSnapshotAction, VmSnapshotType, VolumeRow,
};
use akashone_types::{Reachability, VmRow};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn Storage() -> Html {
    let live = use_live();
    let selected = use_state(|| None::<String>);
    let creating = use_state(|| false);
    let filter = use_state(String::new);
    let connected = live
        .status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);
    let volumes = use_load(
        (live.data_version, connected),
        Reload::KeepShown,
        |(_, c)| c.then_some(cmd::StorageVolumes {}),
    );
    let vms = use_vms();
    // A link from elsewhere (a VM's detail) opens its volume.
    let query = use_location()
        .map(|l| l.query_str().to_owned())
        .unwrap_or_default();
    {
        let selected = selected.clone();
        use_effect_with(query, move |q| {
            if let Some(v) = Focus::parse(q).volume {
                selected.set(Some(v));
            }
        });
    }

    if !connected {
        return html! {
            <section class="page" data-page="storage">
                <PageHeader title="Storage" subtitle="Volumes, snapshots and VM snapshots." />
                <div class="hero card">
                    <div class="hero-icon">{ Icon::Storage.render() }</div>
                    <div class="hero-text">
                        <h2>{"No cloud connected"}</h2>
                        <p class="muted">{"Connect to a CloudStack cloud, or start the demo, to manage its volumes."}</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Set up a connection"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            </section>
        };
    }
    let can_act = live.can_act();
    let list: Vec<VolumeRow> = volumes.ready().cloned().unwrap_or_default();

    if let Some(id) = (*selected).clone() {
        let close = {
            let selected = selected.clone();
            Callback::from(move |_| selected.set(None))
        };
        return html! {
            <section class="page storage-page" data-page="storage">
                <OfflineBanner what="volumes" />
                <volume::VolumeDetail key={id.clone()} id={id.clone()} hint={list.iter().find(|v| v.id == id).cloned()}
                                      listed={volumes.ready().is_some()} vms={vms.clone()} on_close={close} />
            </section>
        };
    }

    let open_create = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(true))
    };
    let close_create = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(false))
    };
    let needle = filter.trim().to_lowercase();
    let shown: Vec<&VolumeRow> = list
        .iter()
        .filter(|v| {
            needle.is_empty()
                || [
                    &v.name,
                    &v.state,
                    &v.zone_name,
                    v.vm_name.as_deref().unwrap_or(""),
                    v.offering_name.as_deref().unwrap_or(""),
                ]
                .iter()
                .any(|f| f.to_lowercase().contains(&needle))
        })
        .collect();

    html! {
        <section class="page storage-page" data-page="storage">
            <PageHeader title="Storage" subtitle="Volumes: create, attach, resize, snapshot on a schedule; and VM snapshots.">
                <button id="vol-create" class="button button-primary" onclick={open_create}
                        disabled={can_act.is_err()} title={can_act.clone().err().unwrap_or_default()}>
                    { Icon::Plus.render() }{"Create volume"}
                </button>
            </PageHeader>
            <OfflineBanner what="volumes" />
            <JobStrip prefixes={&["volume.", "snapshot.", "vm_snapshot."][..]} />
            <div class="cached" data-list="volumes">
                <div class="toolbar">
                    <h3 class="section-title">{"Volumes"}</h3>
                    <span class="toolbar-fill"></span>
                    <label class="search small-search">
                        { Icon::Search.render() }
                        <input id="vol-filter" placeholder="Filter volumes" value={(*filter).clone()} oninput={on_text(&filter)} />
                    </label>
                    <span class="small muted list-count" id="vol-count">{ crate::format::plural(list.len(), "volume", "volumes") }</span>
                </div>
                <div class="card table">
                    <div class="table-row table-head res-row vol-row">
                        <span>{"Name"}</span><span>{"Type"}</span><span class="c-num">{"Size"}</span><span>{"State"}</span>
                        <span>{"Attached to"}</span><span>{"Zone"}</span><span>{"Offering"}</span><span>{"Created"}</span>
                    </div>
                    { match &*volumes {
                        Load::Loading => html! { <div class="table-empty muted">{"Loading the volumes…"}</div> },
                        Load::Failed(e) => html! { <div class="table-empty field-error">{ format!("The volumes could not be read: {}", e.message) }</div> },
                        Load::Ready(l) if l.is_empty() => html! { <div class="table-empty muted">{"No volumes yet."}</div> },
                        Load::Ready(_) if shown.is_empty() => html! { <div class="table-empty muted">{"No volume matches this filter."}</div> },
                        Load::Ready(_) => html! { <>{ for shown.iter().map(|v| volume_row(&live, v, &selected)) }</> },
                    } }
                </div>
            </div>
            <VmSnapshots vms={vms.clone()} />
            if *creating {
                <create::CreateVolumeForm on_close={close_create} />
            }
        </section>
    }
}

fn volume_row(
    live: &crate::hooks::Live,
    v: &VolumeRow,
    selected: &UseStateHandle<Option<String>>,
) -> Html {
    let open = {
        let (selected, id) = (selected.clone(), v.id.clone());
        Callback::from(move |_| selected.set(Some(id.clone())))
    };
    let on_key = {
        let (selected, id) = (selected.clone(), v.id.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                selected.set(Some(id.clone()));
            }
        })
    };
    let job = live.resource_running(&v.id, &v.name);
    html! {
        <div class="table-row res-row vol-row clickable" key={v.id.clone()} data-row={v.name.clone()}
             data-volume-name={v.name.clone()} data-volume-id={v.id.clone()} data-state={v.state.clone()}
             onclick={open} onkeydown={on_key} role="row" tabindex="0">
            <span class="res-name" title={v.name.clone()}>{ &v.name }</span>
            <span><span class={classes!("badge", (v.volume_type == akashone_types::storage::VolumeType::Root).then_some("badge-accent"))}>{ v.volume_type.to_string() }</span></span>
            <span class="c-num">{ disk_size(v.size_bytes) }</span>
            <span>
                if let Some(j) = job {
                    <span class="state state-busy"><span class="spinner"></span>{ format!("{}…", crate::format::op_title(&j.action)) }</span>
                } else {
                    <span class={resource_state_class(&v.state)}>{ &v.state }</span>
                }
            </span>
            <span>{ v.vm_name.clone().unwrap_or_else(|| "—".into()) }</span>
            <span>{ &v.zone_name }</span>
            <span class="small">{ v.offering_name.clone().unwrap_or_else(|| "—".into()) }</span>
            <span class="small muted">{ short_time(&v.created) }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct VmSnapshotsProps {
    vms: Vec<VmRow>,
}

/// The VM snapshots, with revert and delete, and taking a new one.
#[component]
fn VmSnapshots(props: &VmSnapshotsProps) -> Html {
    let live = use_live();
    let snaps = use_load(live.data_version, Reload::KeepShown, |_| {
        Some(cmd::StorageVmSnapshots { vm_id: None })
    });
    let vm = use_state(String::new);
    let name = use_state(String::new);
    let memory = use_state(|| false);
    let quiesce = use_state(|| false);
    let on = online(&live);
    let state_of = |id: &str| {
        props
            .vms
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.state.clone())
            .unwrap_or_else(|| "unknown".into())
    };
    let req = CreateVmSnapshot {
        vm_id: (*vm).clone(),
        name: Some(name.trim().to_owned()).filter(|n| !n.is_empty()),
        description: None,
        memory: *memory,
        quiesce: *quiesce,
    };
    let blocked = if vm.is_empty() {
        Some("Choose the VM to snapshot.".to_owned())
    } else {
        vm_snapshot_allowed(&state_of(&vm), &req, on).err()
    };
    let reset = {
        let name = name.clone();
        Callback::from(move |_| name.set(String::new()))
    };
    html! {
        <div class="cached" data-list="vm_snapshots" id="vm-snapshots">
            <div class="toolbar"><h3 class="section-title">{"VM snapshots"}</h3></div>
            <div class="card res-form" id="vmsnap-form">
                <div class="form-grid">
                    <label class="field"><span>{"VM"}</span>
                        <VmSelect id="vmsnap-vm" vms={props.vms.clone()} value={(*vm).clone()} on_change={set_string(&vm)} /></label>
                    <label class="field"><span>{"Name (optional)"}</span>
                        <input id="vmsnap-name" value={(*name).clone()} oninput={on_text(&name)} placeholder="before-upgrade" /></label>
                </div>
                <label class="check"><input type="checkbox" id="vmsnap-memory" checked={*memory} onchange={on_check(&memory)} />
                    {"Include the memory (the VM must be running)"}</label>
                <label class="check"><input type="checkbox" id="vmsnap-quiesce" checked={*quiesce} onchange={on_check(&quiesce)} />
                    {"Quiesce the file systems first (needs the guest agent)"}</label>
                if *memory {
                    <div class="banner banner-warn" id="vmsnap-kvm-warning">{ Icon::Alert.render() }<span>{ KVM_PAUSE_WARNING }</span></div>
                }
                <OpButton id="vmsnap-take" label="Take VM snapshot" icon={Icon::Plus} class="button-primary"
                          op={Some(Operation::VmSnapshotCreate { request: req.clone() })} blocked={blocked} on_sent={reset} />
            </div>
            <div class="card table">
                <div class="table-row table-head res-row vmsnap-row">
                    <span>{"Name"}</span><span>{"VM"}</span><span>{"Type"}</span><span>{"State"}</span><span>{"Created"}</span><span>{"Actions"}</span>
                </div>
                { match &*snaps {
                    Load::Loading => html! { <div class="table-empty muted">{"Loading the VM snapshots…"}</div> },
                    Load::Failed(e) => html! { <div class="table-empty field-error">{ format!("The VM snapshots could not be read: {}", e.message) }</div> },
                    Load::Ready(l) if l.is_empty() => html! { <div class="table-empty muted">{"No VM snapshots."}</div> },
                    Load::Ready(l) => html! { <>{ for l.iter().map(|s| {
                        let vm_state = state_of(&s.vm_id);
                        let revert = vm_snapshot_action_allowed(s, VmSnapshotAction::Revert, &vm_state, on).err();
                        let delete = vm_snapshot_action_allowed(s, VmSnapshotAction::Delete, &vm_state, on).err();
                        html! {
                            <div class="table-row res-row vmsnap-row" key={s.id.clone()} data-vm-snapshot-name={s.name.clone()} data-state={s.state.clone()}>
                                <span class="res-name" title={s.description.clone().unwrap_or_default()}>
                                    { if s.display_name.is_empty() { s.name.clone() } else { s.display_name.clone() } }
                                    if s.current { <span class="badge badge-accent">{"current"}</span> }
                                </span>
                                <span>{ &s.vm_name }</span>
                                <span class="small">{ match s.snapshot_type { VmSnapshotType::Disk => "disks", VmSnapshotType::DiskAndMemory => "disks and memory" } }</span>
                                <span><span class={resource_state_class(&s.state)}>{ &s.state }</span></span>
                                <span class="small muted">{ short_time(&s.created) }</span>
                                <span class="row-ops">
                                    <OpButton id="vmsnap-revert" label="Revert" class="button-small"
                                              op={Some(Operation::VmSnapshotAction { id: s.id.clone(), action: VmSnapshotAction::Revert })}
                                              blocked={revert} lazy=true confirm={AttrValue::from(format!("Revert {} to {}? What changed since is lost.", s.vm_name, s.name))} />
                                    <OpButton id="vmsnap-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                                              op={Some(Operation::VmSnapshotAction { id: s.id.clone(), action: VmSnapshotAction::Delete })}
                                              blocked={delete} lazy=true confirm={AttrValue::from(format!("Delete the VM snapshot {}?", s.name))} />
                                </span>
                            </div>
                        }
                    }) }</> },
                } }
            </div>
        </div>
    }
}
