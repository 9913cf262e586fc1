//! The audit log of the subtree, newest first, with older entries a page at a time.

use super::Shared;
use crate::components::central::{lacks, load_error, loading, note};
use crate::components::icons::Icon;
use crate::format::short_time;
use crate::hooks::use_live;
use crate::services::invoke;
use akashone_types::ApiError;
use akashone_types::central::{AuditOut, Permission};
use akashone_types::commands as cmd;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    pub shared: Shared,
}

/// The log as loaded so far.
#[derive(Clone, Default, PartialEq)]
struct Log {
    rows: Vec<AuditOut>,
    /// The first page is in.
    loaded: bool,
    /// The first page failed.
    failed: Option<ApiError>,
    /// An older page is on its way.
    loading_older: bool,
    /// An older page came back empty: nothing older exists.
    end: bool,
    /// The last older page failed.
    older_failed: Option<String>,
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
    let log = use_state(Log::default);
    let reload = use_state(|| 0u32);
    let can = lacks(me, Permission::AuditRead).is_none();
    let acting = live
        .status
        .as_ref()
        .and_then(|s| s.acting_as.as_ref().map(|a| a.id.clone()));

    {
        let log = log.clone();
        use_effect_with((*reload, can, acting), move |(_, can, _)| {
            if *can {
                log.set(Log::default());
                spawn_local(async move {
                    log.set(match invoke(&cmd::AuditList { before_id: None }).await {
                        Ok(rows) => Log {
                            end: rows.len() < PAGE,
                            rows,
                            loaded: true,
                            ..Log::default()
                        },
                        Err(e) => Log {
                            failed: Some(e),
                            ..Log::default()
                        },
                    });
                });
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
    if let Some(e) = &log.failed {
        return load_error("the audit log", e, refresh);
    }
    if !log.loaded {
        return loading("the audit log");
    }

    let older = {
        let log = log.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(before) = log.rows.last().map(|r| r.id) else {
                return;
            };
            let mut next = (*log).clone();
            next.loading_older = true;
            next.older_failed = None;
            log.set(next.clone());
            let log = log.clone();
            spawn_local(async move {
                match invoke(&cmd::AuditList {
                    before_id: Some(before),
                })
                .await
                {
                    Ok(rows) => {
                        next.end = rows.len() < PAGE;
                        next.rows.extend(rows.into_iter().filter(|r| r.id < before));
                    }
                    Err(e) => next.older_failed = Some(e.message),
                }
                next.loading_older = false;
                log.set(next);
            });
        })
    };
    let names = props.shared.tenant_names();
    let failures = log.rows.iter().filter(|r| is_failure(&r.result)).count();

    html! {
        <div class="tab-body">
            <div class="toolbar">
                <h3 class="section-title">{"Audit log"}</h3>
                <span class="small muted" id="audit-count">
                    { format!("{} entries shown, newest first", log.rows.len()) }
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
                if log.rows.is_empty() {
                    <div class="table-empty muted">{"Nothing has been recorded yet."}</div>
                }
                { for log.rows.iter().map(|r| {
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
                if let Some(e) = &log.older_failed {
                    <span class="field-error" role="alert">{ Icon::Alert.render() }<span>{ format!("Could not load older entries: {e}") }</span></span>
                }
                if log.end {
                    if !log.rows.is_empty() {
                        <span class="small muted" id="audit-end">{"That is the oldest entry."}</span>
                    }
                } else {
                    <button class="button" id="audit-older" onclick={older} disabled={log.loading_older}>
                        { if log.loading_older { "Loading…" } else { "Load older" } }
                    </button>
                }
            </div>
        </div>
    }
}
