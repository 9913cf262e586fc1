//! The "Create volume" form: zone, disk offering (the size only for a custom offering, the IOPS
//! only where the offering lets the user choose), name.

use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_select, on_text};
use crate::hooks::{Load, Reload, use_load};
use akashone_types::commands as cmd;
use akashone_types::ops::{Operation, name_problem};
use akashone_types::storage::{CUSTOM_SIZE_GIB, CreateVolume, VolumeSource};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CreateProps {
    pub on_close: Callback<()>,
}

fn number(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>()
        .map(Some)
        .map_err(|_| format!("\"{t}\" is not a whole number."))
}

#[component]
pub fn CreateVolumeForm(props: &CreateProps) -> Html {
    let zones = use_load((), Reload::ShowLoading, |_| Some(cmd::DeployZones {}));
    let offerings = use_load((), Reload::ShowLoading, |_| {
        Some(cmd::StorageDiskOfferings {})
    });
    let zone = use_state(String::new);
    let offering = use_state(String::new);
    let name = use_state(String::new);
    let size = use_state(String::new);
    let min_iops = use_state(String::new);
    let max_iops = use_state(String::new);

    let chosen = offerings
        .ready()
        .and_then(|l| l.iter().find(|o| o.id == *offering))
        .cloned();
    let custom = chosen.as_ref().is_some_and(|o| o.size_gib.is_none());
    let iops = chosen.as_ref().is_some_and(|o| o.custom_iops);
    let parsed = (|| -> Result<CreateVolume, String> {
        let size_gib = if custom { number(&size)? } else { None };
        let (min, max) = if iops {
            (number(&min_iops)?, number(&max_iops)?)
        } else {
            (None, None)
        };
        Ok(CreateVolume {
            name: name.trim().to_owned(),
            zone_id: (*zone).clone(),
            source: VolumeSource::Offering {
                disk_offering_id: (*offering).clone(),
                size_gib,
                min_iops: min,
                max_iops: max,
            },
        })
    })();
    let problems: Vec<String> = match &parsed {
        Err(e) => vec![e.clone()],
        Ok(req) => {
            let mut p = Vec::new();
            if zone.is_empty() {
                p.push("Choose a zone.".to_owned());
            }
            if !name.trim().is_empty() {
                p.extend(name_problem(&name));
            }
            p.extend(req.problems(chosen.as_ref()));
            p
        }
    };
    let op = parsed
        .ok()
        .map(|request| Operation::VolumeCreate { request });
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let sent = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let (lo, hi) = CUSTOM_SIZE_GIB;

    html! {
        <div class="modal-backdrop">
            <div class="modal wizard res-modal" id="vol-create-form" role="dialog" aria-label="Create volume">
                <div class="wizard-head">
                    <h2>{"Create volume"}</h2>
                    <button class="icon-button" aria-label="Close" onclick={close.clone()}>{ Icon::Close.render() }</button>
                </div>
                <div class="form">
                    <div class="form-grid">
                        <label class="field"><span>{"Zone"}</span>
                            <select class="select" id="vol-zone" onchange={on_select(&zone)}>
                                <option value="" selected={zone.is_empty()}>{ if zones.ready().is_some() { "Choose a zone…" } else { "Loading…" } }</option>
                                { for zones.ready().into_iter().flatten().map(|z| html! {
                                    <option value={z.id.clone()} selected={*zone == z.id}>{ &z.name }</option>
                                }) }
                            </select>
                        </label>
                        <label class="field"><span>{"Disk offering"}</span>
                            <select class="select" id="vol-offering" onchange={on_select(&offering)}>
                                <option value="" selected={offering.is_empty()}>{"Choose an offering…"}</option>
                                { for offerings.ready().into_iter().flatten().map(|o| html! {
                                    <option value={o.id.clone()} selected={*offering == o.id}>
                                        { match o.size_gib { Some(s) => format!("{} · {s} GiB", o.name), None => format!("{} · custom size", o.name) } }
                                        { if o.custom_iops { " · custom IOPS" } else { "" } }
                                    </option>
                                }) }
                            </select>
                        </label>
                        <label class="field"><span>{"Name"}</span>
                            <input id="vol-name" value={(*name).clone()} oninput={on_text(&name)} placeholder="data-01" /></label>
                        if custom {
                            <label class="field"><span>{ format!("Size, GiB ({lo} to {hi})") }</span>
                                <input id="vol-size" type="number" min={lo.to_string()} max={hi.to_string()} value={(*size).clone()} oninput={on_text(&size)} /></label>
                        }
                        if iops {
                            <label class="field"><span>{"Minimum IOPS"}</span>
                                <input id="vol-min-iops" type="number" min="0" value={(*min_iops).clone()} oninput={on_text(&min_iops)} /></label>
                            <label class="field"><span>{"Maximum IOPS"}</span>
                                <input id="vol-max-iops" type="number" min="0" value={(*max_iops).clone()} oninput={on_text(&max_iops)} /></label>
                        }
                    </div>
                    if let Load::Failed(e) = &*offerings {
                        <div class="field-error">{ format!("The disk offerings could not be read: {}", e.message) }</div>
                    }
                    <div class="form-actions">
                        <button class="button button-ghost" onclick={close}>{"Cancel"}</button>
                        <OpButton id="vol-create-submit" label="Create volume" class="button-primary" icon={Icon::Plus}
                                  op={op} blocked={problems.first().cloned()} on_sent={sent} />
                    </div>
                    if problems.len() > 1 {
                        <ul class="op-reasons">{ for problems.iter().skip(1).map(|p| html! { <li>{ p }</li> }) }</ul>
                    }
                </div>
            </div>
        </div>
    }
}
