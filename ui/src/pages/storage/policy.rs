//! A volume's recurring snapshot policies: the ones it has (with delete) and the schedule editor
//! — hourly, daily, weekly or monthly at a minute, hour and day, in a time zone, keeping N —
//! which says in words what it will do as it is edited, and saves one policy per interval.

use crate::components::icons::Icon;
use crate::components::op::{OpButton, on_select, on_text};
use crate::hooks::{Load, Reload, use_live, use_load};
use akashone_types::commands as cmd;
use akashone_types::ops::{MAX_SNAPS, Operation};
use akashone_types::storage::schedule::{DAYS_OF_WEEK, DEFAULT_MAX_SNAPS};
use akashone_types::storage::{IntervalType, SnapshotPolicy, SnapshotSchedule, VolumeRow};
use yew::prelude::*;

/// The time zone a new policy starts with.
const DEFAULT_TZ: &str = "Asia/Kolkata";

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub volume: VolumeRow,
}

fn field(text: &str, what: &str, lo: u8, hi: u8) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!(
            "The {what} is a number from {lo} to {hi}, not \"{}\".",
            text.trim()
        )),
    }
}

#[component]
pub fn PolicyEditor(props: &PolicyProps) -> Html {
    let live = use_live();
    let policies = use_load(
        (props.volume.id.clone(), live.data_version),
        Reload::KeepShown,
        |(id, _)| {
            Some(cmd::StoragePolicies {
                volume_id: id.clone(),
            })
        },
    );
    let interval = use_state(|| "DAILY".to_owned());
    let minute = use_state(|| "30".to_owned());
    let hour = use_state(|| "02".to_owned());
    let dow = use_state(|| "1".to_owned());
    let dom = use_state(|| "1".to_owned());
    let tz = use_state(|| DEFAULT_TZ.to_owned());
    let keep = use_state(|| DEFAULT_MAX_SNAPS.to_string());

    let it = interval
        .parse::<IntervalType>()
        .unwrap_or(IntervalType::Daily);
    let policy = (|| -> Result<SnapshotPolicy, String> {
        let m = field(&minute, "minute", 0, 59)?;
        let schedule = match it {
            IntervalType::Hourly => SnapshotSchedule::Hourly { minute: m },
            IntervalType::Daily => SnapshotSchedule::Daily {
                minute: m,
                hour: field(&hour, "hour", 0, 23)?,
            },
            IntervalType::Weekly => SnapshotSchedule::Weekly {
                minute: m,
                hour: field(&hour, "hour", 0, 23)?,
                day_of_week: field(&dow, "day of the week", 1, 7)?,
            },
            IntervalType::Monthly => SnapshotSchedule::Monthly {
                minute: m,
                hour: field(&hour, "hour", 0, 23)?,
                day_of_month: field(&dom, "day of the month", 1, 28)?,
            },
        };
        let max_snaps = keep
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("Keep a number of snapshots, not \"{}\".", keep.trim()))?;
        Ok(SnapshotPolicy {
            schedule,
            time_zone: tz.trim().to_owned(),
            max_snaps,
        })
    })();
    let problems = match &policy {
        Ok(p) => p.problems(MAX_SNAPS),
        Err(e) => vec![e.clone()],
    };
    let existing = policies
        .ready()
        .and_then(|l| l.iter().find(|p| p.policy.schedule.interval() == it))
        .cloned();
    let op = policy.as_ref().ok().map(|p| Operation::SnapshotPolicySet {
        volume_id: props.volume.id.clone(),
        policy: p.clone(),
    });

    html! {
        <div class="card kube-card" id="vol-policies">
            <div class="card-head"><h2>{"Recurring snapshots"}</h2></div>
            { match &*policies {
                Load::Loading => html! { <p class="small muted">{"Loading the policies…"}</p> },
                Load::Failed(e) => html! { <p class="field-error">{ format!("The policies could not be read: {}", e.message) }</p> },
                Load::Ready(l) if l.is_empty() => html! { <p class="small muted" id="policy-none">{"No recurring snapshots: this volume is only snapshotted by hand."}</p> },
                Load::Ready(l) => html! {
                    <div class="snap-list">
                        { for l.iter().map(|p| html! {
                            <div class="snap-line" data-policy={p.policy.schedule.interval().as_str()} key={p.id.clone()}>
                                <div class="snap-head">
                                    <span class="badge">{ p.policy.schedule.interval().as_str().to_lowercase() }</span>
                                    <span>{ p.policy.describe() }</span>
                                </div>
                                <div class="row-ops">
                                    <OpButton id="policy-delete" label="Delete" class="button-small button-danger" icon={Icon::Trash}
                                              op={Some(Operation::SnapshotPolicyDelete { id: p.id.clone() })} lazy=true
                                              confirm={AttrValue::from(format!("Stop taking these snapshots ({})? The snapshots taken stay.", p.policy.describe()))} />
                                </div>
                            </div>
                        }) }
                    </div>
                },
            } }
            <div class="form policy-editor" id="policy-editor">
                <div class="form-grid policy-grid">
                    <label class="field"><span>{"Every"}</span>
                        <select class="select" id="policy-interval" onchange={on_select(&interval)}>
                            { for IntervalType::ALL.iter().map(|i| html! {
                                <option value={i.as_str()} selected={*i == it}>{ match i {
                                    IntervalType::Hourly => "hour", IntervalType::Daily => "day",
                                    IntervalType::Weekly => "week", IntervalType::Monthly => "month" } }</option>
                            }) }
                        </select>
                    </label>
                    if it == IntervalType::Weekly {
                        <label class="field"><span>{"On"}</span>
                            <select class="select" id="policy-dow" onchange={on_select(&dow)}>
                                { for DAYS_OF_WEEK.iter().enumerate().map(|(i, d)| {
                                    let n = (i + 1).to_string();
                                    html! { <option value={n.clone()} selected={*dow == n}>{ *d }</option> }
                                }) }
                            </select>
                        </label>
                    }
                    if it == IntervalType::Monthly {
                        <label class="field"><span>{"Day of the month (1–28)"}</span>
                            <input id="policy-dom" type="number" min="1" max="28" value={(*dom).clone()} oninput={on_text(&dom)} /></label>
                    }
                    if it != IntervalType::Hourly {
                        <label class="field"><span>{"Hour (0–23)"}</span>
                            <input id="policy-hour" type="number" min="0" max="23" value={(*hour).clone()} oninput={on_text(&hour)} /></label>
                    }
                    <label class="field"><span>{ if it == IntervalType::Hourly { "Minutes past the hour" } else { "Minute (0–59)" } }</span>
                        <input id="policy-minute" type="number" min="0" max="59" value={(*minute).clone()} oninput={on_text(&minute)} /></label>
                    <label class="field"><span>{"Time zone"}</span>
                        <input id="policy-tz" class="mono" value={(*tz).clone()} oninput={on_text(&tz)} placeholder={DEFAULT_TZ} /></label>
                    <label class="field"><span>{"Keep"}</span>
                        <input id="policy-keep" type="number" min="1" max={MAX_SNAPS.to_string()} value={(*keep).clone()} oninput={on_text(&keep)} /></label>
                </div>
                <p class="policy-describe" id="policy-describe">
                    { match &policy { Ok(p) => p.describe(), Err(_) => "—".into() } }
                </p>
                if let Some(e) = &existing {
                    <p class="small muted" id="policy-replaces">{ format!("Replaces the {} policy it has now: {}.", it.as_str().to_lowercase(), e.policy.describe()) }</p>
                }
                <OpButton id="policy-save" label="Save policy" class="button-primary" op={op} blocked={problems.first().cloned()} />
                if problems.len() > 1 {
                    <ul class="op-reasons">{ for problems.iter().skip(1).map(|p| html! { <li>{ p }</li> }) }</ul>
                }
            </div>
        </div>
    }
}
