//! One volume: its facts; attach (to a VM picked here), detach, resize (a shrink needs its own
//! tick and shows what it costs), delete — each disabled with the reason CloudStack would give;
//! its snapshots (take, revert, delete, make a volume of one) and its recurring policies.

use super::policy::PolicyEditor;
use crate::components::icons::Icon;
use crate::components::op::{OpButton, VmSelect, on_check, on_text, online, set_string};
use crate::format::{disk_size, resource_state_class, short_time};
use crate::hooks::{Load, Reload, use_live, use_load};
use akashone_types::VmRow;
use akashone_types::commands as cmd;
use akashone_types::ops::Operation;
use akashone_types::storage::checks::{
    VmInfo, resize_warning, snapshot_action_allowed, volume_action_allowed,
};
use akashone_types::storage::{
    SHRINK_WARNING, SnapshotAction, SnapshotRow, VolumeAction, VolumeRow, bytes_to_gib_ceil,
};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VolumeProps {
    pub id: String,
    /// The row from the list.
    pub hint: Option<VolumeRow>,
    /// Whether the list is there (so a missing row means the volume is gone).
    pub listed: bool,
    pub vms: Vec<VmRow>,
    pub on_close: Callback<()>,
}

#[component]
pub fn VolumeDetail(props: &VolumeProps) -> Html {
    let live = use_live();
    let vm = use_state(String::new);
    let size = use_state(String::new);
    let shrink_ok = use_state(|| false);
    let snap_name = use_state(String::new);
    let snaps = use_load(
        (props.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| {
            Some(cmd::StorageSnapshots {
                volume_id: Some(id.clone()),
            })
        },
    );
    // Deleted: back to the list.
    {
        let on_close = props.on_close.clone();
        let gone = props.listed && props.hint.is_none();
        use_effect_with(gone, move |gone| {
            if *gone {
                on_close.emit(());
            }
        });
    }
    let back = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let Some(v) = props.hint.clone() else {
        return html! { <p class="muted">{"Loading the volume…"}</p> };
    };
    let on = online(&live);
    let target = props.vms.iter().find(|x| x.id == *vm).map(|x| VmInfo {
        id: x.id.clone(),
        name: x.name.clone(),
        state: x.state.clone(),
        zone_id: x.zone_id.clone(),
    });
    let attach = VolumeAction::Attach {
        vm_id: (*vm).clone(),
        device_id: None,
    };
    let attach_why = volume_action_allowed(&v, &attach, target.as_ref(), on).err();
    let detach_why = volume_action_allowed(&v, &VolumeAction::Detach, None, on).err();
    let delete_why = volume_action_allowed(&v, &VolumeAction::Delete, None, on).err();
    let size_gib = size.trim().parse::<u64>().ok();
    let resize = size_gib.map(|s| VolumeAction::Resize {
        size_gib: s,
        shrink_ok: *shrink_ok,
    });
    let resize_why = match &resize {
        None if size.trim().is_empty() => Some("Give the new size in GiB.".to_owned()),
        None => Some(format!("\"{}\" is not a whole number of GiB.", size.trim())),
        Some(a) => volume_action_allowed(&v, a, None, on).err(),
    };
    let shrinking = size_gib.and_then(|s| resize_warning(&v, s));
    let op = |action: VolumeAction| {
        Some(Operation::VolumeAction {
            id: v.id.clone(),
            action,
        })
    };
    let clear_snap = {
        let snap_name = snap_name.clone();
        Callback::from(move |_| snap_name.set(String::new()))
    };
    let snap_list: Vec<SnapshotRow> = snaps.ready().cloned().unwrap_or_default();

    html! {
        <div class="res-detail" id="vol-detail" data-volume-name={v.name.clone()} data-volume-id={v.id.clone()} data-state={v.state.clone()}>
            <div class="kube-detail-head">
                <button class="link-button" id="vol-back" onclick={back}>{"← All volumes"}</button>
                <div class="kube-title-row">
                    <span class="hero-icon kube-icon">{ Icon::Storage.render() }</span>
                    <div class="kube-title">
                        <h1 class="page-title">{ &v.name }</h1>
                        <span class="mono small muted">{ &v.id }</span>
                    </div>
                    <span class={resource_state_class(&v.state)} id="vol-state">{ &v.state }</span>
                    <span class="toolbar-fill"></span>
                    <span class="small muted">{ format!("{} · {} · {}", v.volume_type, disk_size(v.size_bytes), v.zone_name) }</span>
                </div>
            </div>
            <div class="kube-detail-grid">
                <div class="kube-col">
                    <div class="card kube-card">
                        <div class="card-head"><h2>{"Volume"}</h2></div>
                        <dl class="facts">
                            <dt>{"Type"}</dt><dd>{ v.volume_type.to_string() }</dd>
                            <dt>{"Size"}</dt><dd id="vol-size-now">{ disk_size(v.size_bytes) }</dd>
                            <dt>{"Attached to"}</dt><dd id="vol-attached">{ match (&v.vm_name, &v.vm_state) {
                                (Some(n), Some(s)) => format!("{n} ({s}){}", v.device_id.map(|d| format!(", device {d}")).unwrap_or_default()),
                                (Some(n), None) => n.clone(),
                                _ => "Not attached".into(),
                            } }</dd>
                            <dt>{"Zone"}</dt><dd>{ &v.zone_name }</dd>
                            <dt>{"Offering"}</dt><dd>{ v.offering_name.clone().unwrap_or_else(|| "—".into()) }</dd>
                            <dt>{"Storage pool"}</dt><dd>{ v.storage_pool.clone().unwrap_or_else(|| "—".into()) }</dd>
                            <dt>{"IOPS"}</dt><dd>{ match (v.min_iops, v.max_iops) {
                                (None, None) => "set by the offering".into(),
                                (a, b) => format!("{} – {}", a.map(|x| x.to_string()).unwrap_or_default(), b.map(|x| x.to_string()).unwrap_or_default()),
                            } }</dd>
                            <dt>{"Created"}</dt><dd>{ short_time(&v.created) }</dd>
                        </dl>
                    </div>
                    <div class="card kube-card res-actions" id="vol-actions">
                        <div class="card-head"><h2>{"Actions"}</h2></div>
                        if v.attached() {
                            <OpButton id="vol-detach" label="Detach" icon={Icon::Move} op={op(VolumeAction::Detach)} blocked={detach_why}
                                      confirm={AttrValue::from(format!("Detach {} from {}?", v.name, v.vm_name.clone().unwrap_or_default()))} />
                        } else {
                            <div class="inline-form">
                                <VmSelect id="vol-attach-vm" vms={props.vms.clone()} value={(*vm).clone()} on_change={set_string(&vm)} zone_id={Some(v.zone_id.clone())} />
                                <OpButton id="vol-attach" label="Attach" icon={Icon::Plug} op={op(attach)} blocked={attach_why} />
                            </div>
                        }
                        <div class="inline-form">
                            <label class="field"><span>{ format!("New size, GiB (now {} GiB)", bytes_to_gib_ceil(v.size_bytes)) }</span>
                                <input id="vol-resize-size" type="number" min="1" value={(*size).clone()} oninput={on_text(&size)} /></label>
                        </div>
                        if let Some(w) = &shrinking {
                            <div class="banner banner-error" id="vol-shrink-warning">{ Icon::Alert.render() }<span>{ w }</span></div>
                            <label class="check"><input type="checkbox" id="vol-shrink-ok" checked={*shrink_ok} onchange={on_check(&shrink_ok)} />
                                { format!("I understand: {SHRINK_WARNING}") }</label>
                        }
                        <OpButton id="vol-resize" label="Resize" icon={Icon::Edit} op={resize.and_then(op)} blocked={resize_why} />
                        <OpButton id="vol-delete" label="Delete volume" icon={Icon::Trash} class="button-danger" op={op(VolumeAction::Delete)}
                                  blocked={delete_why} confirm={AttrValue::from(format!("Delete {}? Its data is gone for good (its snapshots stay).", v.name))} />
                    </div>
                </div>
                <div class="kube-col">
                    <div class="card kube-card" id="vol-snapshots">
                        <div class="card-head"><h2>{"Snapshots"}</h2></div>
                        <div class="inline-form">
                            <input id="snap-name" placeholder="Name (optional)" value={(*snap_name).clone()} oninput={on_text(&snap_name)} />
                            <OpButton id="snap-take" label="Take snapshot" icon={Icon::Plus} class="button-primary"
                                      op={Some(Operation::SnapshotCreate { volume_id: v.id.clone(), name: Some(snap_name.trim().to_owned()).filter(|n| !n.is_empty()) })}
                                      blocked={(!on).then(|| akashone_types::network::checks::OFFLINE.to_owned())} on_sent={clear_snap} />
                        </div>
                        { match &*snaps {
                            Load::Loading => html! { <p class="small muted">{"Loading the snapshots…"}</p> },
                            Load::Failed(e) => html! { <p class="field-error">{ format!("The snapshots could not be read: {}", e.message) }</p> },
                            Load::Ready(l) if l.is_empty() => html! { <p class="small muted">{"No snapshots of this volume yet."}</p> },
                            Load::Ready(_) => html! { <div class="snap-list">{ for snap_list.iter().map(|s| html! { <SnapshotLine snap={s.clone()} volume={v.clone()} /> }) }</div> },
                        } }
                    </div>
                    <PolicyEditor volume={v.clone()} />
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SnapshotProps {
    snap: SnapshotRow,
    volume: VolumeRow,
}

/// One snapshot with revert, delete and "make a volume of it".
#[component]
fn SnapshotLine(props: &SnapshotProps) -> Html {
    let live = use_live();
    let new_name = use_state(String::new);
    let to_volume_open = use_state(|| false);
    let s = &props.snap;
    let on = online(&live);
    let revert = snapshot_action_allowed(s, &SnapshotAction::Revert, Some(&props.volume), on).err();
    let delete = snapshot_action_allowed(s, &SnapshotAction::Delete, Some(&props.volume), on).err();
    let to_volume = SnapshotAction::ToVolume {
        name: new_name.trim().to_owned(),
    };
    let to_volume_why = snapshot_action_allowed(s, &to_volume, Some(&props.volume), on).err();
    let op = |action: SnapshotAction| {
        Some(Operation::SnapshotAction {
            id: s.id.clone(),
            action,
        })
    };
    html! {
        <div class="snap-line" data-snapshot-name={s.name.clone()} data-state={s.state.clone()} key={s.id.clone()}>
            <div class="snap-head">
                <span class="res-name">{ &s.name }</span>
                <span class={resource_state_class(&s.state)}>{ &s.state }</span>
                <span class="small muted">{ format!("{} · {} · {}", s.snapshot_type, disk_size(s.virtual_size_bytes), short_time(&s.created)) }</span>
            </div>
            <div class="row-ops">
                <OpButton id="snap-revert" label="Revert" class="button-small" op={op(SnapshotAction::Revert)} blocked={revert}
                          lazy=true confirm={AttrValue::from(format!("Revert {} to {}? What was written since is lost.", props.volume.name, s.name))} />
                <OpButton id="snap-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                          op={op(SnapshotAction::Delete)} blocked={delete} lazy=true
                          confirm={AttrValue::from(format!("Delete the snapshot {}?", s.name))} />
                <button class="button button-small" id="snap-to-volume-open" aria-expanded={to_volume_open.to_string()}
                        onclick={{ let o = to_volume_open.clone(); Callback::from(move |_| o.set(!*o)) }}>
                    { Icon::Plus.render() }{"To volume…"}
                </button>
            </div>
            if *to_volume_open {
                <div class="snap-to-volume">
                    <input class="snap-volume-name" id="snap-volume-name" placeholder="New volume's name" value={(*new_name).clone()} oninput={on_text(&new_name)} />
                    <OpButton id="snap-to-volume" label="Create the volume" class="button-small button-primary" op={op(to_volume)} blocked={to_volume_why} />
                </div>
            }
        </div>
    }
}
