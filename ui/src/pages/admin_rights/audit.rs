//! The audit log of the subtree, newest first, with older entries a page at a time.

use super::Shared;
use crate::components::central::{lacks, load_error, loading, note};
use crate::components::icons::Icon;
use crate::format::short_time;
use crate::hooks::{Load, Reload, use_live, use_load, use_submit};
use akashone_types::central::Permission;
use akashone_types::commands as cmd;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    pub shared: Shared,
}

/// What the older pages have told since the first page was loaded.
#[derive(Clone, Default, PartialEq)]
struct Older {
    /// Whether the last older page was short, so nothing older exists; until one comes back,
    /// the first page tells.
    end: Option<bool>,
    /// The last older page failed.
    failed: Option<String>,
}

/// Rows per page (the shell asks the server for this many).
const PAGE: usize = 100;

/// `failed: …` and `denied: …` rows are the ones to notice (`ok` may carry a note, e.g.
/// `ok (2fa)`).
fn is_failure(result: &str) -> bool {
    let r = result.trim_start().to_ascii_lowercase();
    r.starts_with("failed") || r.starts_with("denied") || r.starts_with("error")
}

#[component]
pub fn Audit(props: &AuditProps) -> Html {
    let live = use_live();
    let me = &props.shared.me;
    let reload = use_state(|| 0u32);
    let can = lacks(me, Permission::AuditRead).is_none();
    let acting = live
        .status
        .as_ref()
        .and_then(|s| s.acting_as.as_ref().map(|a| a.id.clone()));
    let deps = (*reload, can, acting);
    let log = use_load(deps.clone(), Reload::ShowLoading, |(_, can, _)| {
        can.then_some(cmd::AuditList { before_id: None })
    });
    let older = use_state(Older::default);
    let more = use_submit();
    // The first page loads again: older pages start over.
    {
        let older = older.clone();
        use_effect_with(deps, move |(_, can, _)| {
            if *can {
                older.set(Older::default());
            }
        });
    }
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    if let Some(r) = lacks(me, Permission::AuditRead) {
        return note(r + " The audit log cannot be read.");
    }
    let rows = match &*log {
        Load::Loading => return loading("the audit log"),
        Load::Failed(e) => return load_error("the audit log", e, refresh),
        Load::Ready(rows) => rows,
    };
    let end = older.end.unwrap_or(rows.len() < PAGE);
    let loading_older = more.busy();

    let on_older = {
        let (log, older, more) = (log.clone(), older.clone(), more.clone());
        Callback::from(move |_: MouseEvent| {
            if more.busy() {
                return;
            }
            let Some(mut rows) = log.ready().cloned() else {
                return;
            };
            let Some(before) = rows.last().map(|r| r.id) else {
                return;
            };
            let shown = Older {
                failed: None,
                ..(*older).clone()
            };
            older.set(shown.clone());
            let (log, older) = (log.clone(), older.clone());
            let command = cmd::AuditList {
                before_id: Some(before),
            };
            more.send(command, move |answer| match answer {
                Ok(page) => {
                    older.set(Older {
                        end: Some(page.len() < PAGE),
                        failed: None,
                    });
                    rows.extend(page.into_iter().filter(|r| r.id < before));
                    log.set(Load::Ready(rows));
                }
                Err(e) => older.set(Older {
                    failed: Some(e.message),
                    ..shown
                }),
            });
        })
    };
    let names = props.shared.tenant_names();
    let failures = rows.iter().filter(|r| is_failure(&r.result)).count();

    html! {
        <div class="tab-body">
            <div class="toolbar">
                <h3 class="section-title">{"Audit log"}</h3>
                <span class="small muted" id="audit-count">
                    { format!("{} entries shown, newest first", rows.len()) }
                    { if failures > 0 { format!(" · {failures} refused or failed") } else { String::new() } }
                </span>
                <span class="toolbar-fill"></span>
                <button class="button" id="audit-refresh" onclick={{ let r = refresh.clone(); Callback::from(move |_| r.emit(())) }}>
                    { Icon::Refresh.render() }{"Refresh"}
                </button>
            </div>
            <div class="card table" id="audit-log">
                <div class="table-row table-head audit-row" role="row">
                    <span class="sortable">{"When"}</span>
                    <span class="sortable">{"Who"}</span>
                    <span class="sortable">{"Tenant"}</span>
                    <span class="sortable">{"Action"}</span>
                    <span class="sortable">{"Target"}</span>
                    <span class="sortable">{"Result"}</span>
                </div>
                if rows.is_empty() {
                    <div class="table-empty muted">{"Nothing has been recorded yet."}</div>
                }
                { for rows.iter().map(|r| {
                    let failed = is_failure(&r.result);
                    let tenant = r.tenant_id.as_ref().map(|t| names.get(t).cloned().unwrap_or_else(|| t.clone()));
                    html! {
                        <div class={classes!("table-row", "audit-row", failed.then_some("audit-failed"))} role="row"
                             key={r.id} data-audit-id={r.id.to_string()} data-action={r.action.clone()} data-result={if failed { "failed" } else { "ok" }}>
                            <span class="muted audit-when" title={r.at.clone()}>{ short_time(&r.at) }</span>
                            <span class="vm-cell" title={r.actor_id.clone().unwrap_or_default()}>{ if r.actor.is_empty() { "—" } else { &r.actor } }</span>
                            <span class="vm-cell">{ tenant.unwrap_or_else(|| "—".into()) }</span>
                            <span class="mono small vm-cell">{ &r.action }</span>
                            <span class="audit-target" title={r.target.clone()}>{ &r.target }</span>
                            <span class={classes!("audit-result", failed.then_some("is-failed"))} title={r.result.clone()}>
                                if failed { { Icon::Alert.render() } } else { { Icon::Check.render() } }
                                <span>{ &r.result }</span>
                            </span>
                        </div>
                    }
                }) }
            </div>
            <div class="list-footer">
                if let Some(e) = &older.failed {
                    <span class="field-error" role="alert">{ Icon::Alert.render() }<span>{ format!("Could not load older entries: {e}") }</span></span>
                }
                if end {
                    if !rows.is_empty() {
                        <span class="small muted" id="audit-end">{"That is the oldest entry."}</span>
                    }
                } else {
                    <button class="button" id="audit-older" onclick={on_older} disabled={loading_older}>
                        { if loading_older { "Loading…" } else { "Load older" } }
                    </button>
                }
            </div>
        </div>
    }
}
