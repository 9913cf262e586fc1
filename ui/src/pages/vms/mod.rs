//! Virtual Machines: the whole list from the cache (only visible rows are rendered), filter as
//! you type, sort by any column, a detail panel with live metrics and actions, and the deploy
//! wizard.

mod deploy;
mod detail;
mod links;

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::{memory_text, short_time, state_class, vm_count};
use crate::hooks::{Reload, use_live, use_load};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::{Reachability, VmPage, VmQuery, VmSort};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

/// Height of one row, px (kept in step with `.vm-row` in the stylesheet).
pub const ROW_H: u32 = 40;
/// Rows fetched beyond the visible ones, above and below.
const OVERSCAN: u32 = 30;

/// The rows held in memory: a window of the filtered, sorted list.
#[derive(Clone, Default, PartialEq)]
struct Window {
    offset: u32,
    page: VmPage,
    /// The filter text the page answers (shown as `data-filter`, for tests and benchmarks).
    text: String,
}

const STATES: &[&str] = &[
    "Running",
    "Stopped",
    "Starting",
    "Stopping",
    "Error",
    "Destroyed",
];

/// Columns: (sort key, label, CSS class).
const COLUMNS: &[(VmSort, &str, &str)] = &[
    (VmSort::Name, "Name", "c-name"),
    (VmSort::State, "State", "c-state"),
    (VmSort::Ip, "IP address", "c-ip"),
    (VmSort::Zone, "Zone", "c-zone"),
    (VmSort::Template, "Template", "c-template"),
    (VmSort::Offering, "Offering", "c-offering"),
    (VmSort::Cpu, "vCPU", "c-num"),
    (VmSort::Memory, "Memory", "c-num"),
    (VmSort::Created, "Created", "c-created"),
];

#[component]
pub fn VirtualMachines() -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let text = use_state(String::new);
    let state = use_state(|| None::<String>);
    let sort = use_state(|| (VmSort::Name, false));
    let window = use_state(Window::default);
    let scroll_top = use_state(|| 0u32);
    let viewport = use_state(|| 600u32);
    let selected = use_state(|| None::<String>);
    let deploying = use_state(|| false);
    let scroller = use_node_ref();
    let seq = use_mut_ref(|| Rc::new(Cell::new(0u32)));

    // VMs that are nodes of a Kubernetes cluster, marked in the list.
    let kube_nodes = use_load(live.data_version, Reload::KeepShown, |_| {
        Some(cmd::KubeClusters {})
    });
    let kube_nodes: HashMap<String, String> = kube_nodes
        .ready()
        .map(|l| {
            l.iter()
                .flat_map(|c| c.nodes.iter().map(|n| (n.vm_id.clone(), c.name.clone())))
                .collect()
        })
        .unwrap_or_default();

    let status = live.status.clone();
    let connected = status
        .as_ref()
        .is_some_and(|s| s.reachability != Reachability::NotConnected);

    // The window of rows to fetch for the current scroll position.
    let first_visible = *scroll_top / ROW_H;
    let wanted_offset = first_visible.saturating_sub(OVERSCAN);
    let wanted_limit = (*viewport / ROW_H + 1 + 2 * OVERSCAN).min(VmQuery::MAX_LIMIT);
    let have = &window.page;
    let covered = window.offset <= wanted_offset
        && (window.offset + have.rows.len() as u32
            >= (wanted_offset + wanted_limit).min(have.total as u32));
    let query_key = (
        (*text).clone(),
        (*state).clone(),
        *sort,
        live.data_version,
        connected,
    );

    // Fetch when the filter, sort or data change (from the current offset), or when scrolling
    // leaves the window held.
    {
        let window = window.clone();
        let toaster = toaster.clone();
        let seq = seq.borrow().clone();
        let key = query_key.clone();
        let fetch_at = if covered { None } else { Some(wanted_offset) };
        use_effect_with(
            (key, fetch_at),
            move |((text, state, sort, _, connected), fetch_at)| {
                if *connected {
                    let query = VmQuery {
                        text: text.clone(),
                        state: state.clone(),
                        zone_id: None,
                        sort: sort.0,
                        descending: sort.1,
                        offset: fetch_at.unwrap_or(wanted_offset),
                        limit: wanted_limit,
                    };
                    let n = seq.get() + 1;
                    seq.set(n);
                    spawn_local(async move {
                        let offset = query.offset;
                        let text = query.text.clone();
                        match invoke(&cmd::VmPage { query }).await {
                            Ok(page) if seq.get() == n => window.set(Window { offset, page, text }),
                            Ok(_) => {} // a newer query is on its way
                            Err(e) => toaster.error(e),
                        }
                    });
                }
            },
        );
    }

    // The viewport height, on mount and whenever the window resizes.
    {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    viewport.set(el.client_height().max(0) as u32);
                }
            };
            measure();
            let listener = gloo_events_resize(measure);
            move || drop(listener)
        });
    }

    let onscroll = {
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            scroll_top.set(el.scroll_top().max(0) as u32);
            viewport.set(el.client_height().max(0) as u32);
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            text.set(input.value());
        })
    };
    let on_state = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            state.set(if v.is_empty() { None } else { Some(v) });
        })
    };
    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |col: VmSort| {
            let (current, desc) = *sort;
            sort.set(if current == col {
                (col, !desc)
            } else {
                (col, false)
            });
        })
    };
    let refresh = {
        let toaster = toaster.clone();
        Callback::from(move |_| {
            let toaster = toaster.clone();
            spawn_local(async move {
                if let Err(e) = invoke(&cmd::SyncNow {}).await {
                    toaster.error(e);
                }
            });
        })
    };
    let open_deploy = {
        let deploying = deploying.clone();
        Callback::from(move |_| deploying.set(true))
    };
    let close_deploy = {
        let deploying = deploying.clone();
        Callback::from(move |_| deploying.set(false))
    };
    let close_detail = {
        let selected = selected.clone();
        Callback::from(move |_| selected.set(None))
    };

    if !connected {
        return html! {
            <section class="page" data-page="virtual-machines">
                <PageHeader title="Virtual Machines" subtitle="Every VM in your cloud, with its whole lifecycle." />
                <div class="hero card">
                    <div class="hero-icon">{ Icon::Server.render() }</div>
                    <div class="hero-text">
                        <h2>{"No cloud connected"}</h2>
                        <p class="muted">{"Connect to a CloudStack cloud, or start the demo, to list and manage virtual machines."}</p>
                    </div>
                    <Link<Route> to={Route::Connect} classes="button button-primary">
                        {"Set up a connection"}{ Icon::ArrowRight.render() }
                    </Link<Route>>
                </div>
            </section>
        };
    }

    let status = status.unwrap_or_else(|| unreachable!("connected implies a status"));
    let can_act = live.can_act();
    let total = window.page.total;
    let all = window.page.all;

    // Only the rows inside the viewport (plus a few) become DOM nodes.
    let last_visible = first_visible + *viewport / ROW_H + 2;
    let rows = window.page.rows.iter().enumerate().filter_map(|(i, row)| {
        let index = window.offset + i as u32;
        (index + 5 >= first_visible && index <= last_visible + 5).then_some((index, row))
    });

    html! {
        <section class="page page-fill" data-page="virtual-machines">
            <PageHeader title="Virtual Machines" subtitle="Every VM in your cloud, with its whole lifecycle.">
                <button id="sync-button" class="button" onclick={refresh} disabled={status.syncing || can_act.is_err()}
                        title={can_act.clone().err().unwrap_or_else(|| "Refresh from the cloud".into())}>
                    { Icon::Refresh.render() }{ if status.syncing { "Syncing…" } else { "Refresh" } }
                </button>
                <button id="deploy-button" class="button button-primary" onclick={open_deploy}
                        disabled={can_act.is_err()} title={can_act.clone().err().unwrap_or_default()}>
                    { Icon::Plus.render() }{"Deploy VM"}
                </button>
            </PageHeader>

            if status.reachability == Reachability::Offline {
                <div class="banner banner-warn" id="offline-banner" title={status.last_error.clone().unwrap_or_default()}>
                    { Icon::Alert.render() }
                    <span>
                        <strong>{ format!("Offline — data from {}.", status.last_synced.as_deref().map(short_time).unwrap_or_else(|| "no sync yet".into())) }</strong>
                        {" The cloud does not answer, so the list shows what was last synced and actions are disabled. \
                          The console keeps trying and refreshes by itself when the cloud is back."}
                    </span>
                </div>
            }

            <div class="toolbar">
                <label class="search">
                    { Icon::Search.render() }
                    <input id="vm-filter" placeholder="Filter by name, state, zone, IP or template"
                           value={(*text).clone()} oninput={on_text} />
                </label>
                <select id="vm-state" class="select" onchange={on_state}>
                    <option value="" selected={state.is_none()}>{"All states"}</option>
                    { for STATES.iter().map(|s| html! { <option value={*s} selected={state.as_deref() == Some(*s)}>{ *s }</option> }) }
                </select>
                <span class="toolbar-fill"></span>
                <span class="small muted" id="vm-count" data-filter={window.text.clone()}>
                    { if total == all { vm_count(all) } else { format!("{total} of {}", vm_count(all)) } }
                </span>
                <span class="small muted" id="last-synced">
                    { status.last_synced.as_deref().map(|t| format!("· synced {}", short_time(t))).unwrap_or_else(|| "· not synced yet".into()) }
                </span>
            </div>

            <div class="vm-layout">
                <div class="card vm-table">
                    <div class="vm-row vm-head" role="row">
                        { for COLUMNS.iter().map(|(col, label, class)| {
                            let on_sort = on_sort.clone();
                            let col = *col;
                            let arrow = if sort.0 == col { if sort.1 { " ↓" } else { " ↑" } } else { "" };
                            html! {
                                <button class={classes!("vm-cell", "sortable", *class, (sort.0 == col).then_some("sorted"))}
                                        data-sort={col.as_str()} onclick={Callback::from(move |_| on_sort.emit(col))}>
                                    { *label }{ arrow }
                                </button>
                            }
                        }) }
                    </div>
                    <div class="vm-scroller" ref={scroller} onscroll={onscroll} id="vm-scroller">
                        <div class="vm-spacer" style={format!("height: {}px", total as u32 * ROW_H)}>
                            { for rows.map(|(index, row)| {
                                let id = row.id.clone();
                                let selected_now = selected.as_deref() == Some(id.as_str());
                                let select = { let selected = selected.clone(); Callback::from(move |_| selected.set(Some(id.clone()))) };
                                let job = live.running_job_on(&row.id);
                                html! {
                                    <div key={row.id.clone()} class={classes!("vm-row", selected_now.then_some("selected"))}
                                         style={format!("top: {}px", index * ROW_H)} data-vm={row.name.clone()} onclick={select} role="row">
                                        <span class="vm-cell c-name" title={row.name.clone()}>
                                            { &row.name }
                                            if let Some(c) = kube_nodes.get(&row.id) {
                                                <span class="badge vm-kube-badge" data-cluster-name={c.clone()}
                                                      title={format!("A node of Kubernetes cluster {c}")}>{"k8s"}</span>
                                            }
                                        </span>
                                        <span class="vm-cell c-state">
                                            if let Some(job) = job {
                                                <span class="state state-busy"><span class="spinner"></span>{ format!("{}…", job.action) }</span>
                                            } else {
                                                <span class={state_class(&row.state)}>{ &row.state }</span>
                                            }
                                        </span>
                                        <span class="vm-cell c-ip mono">{ &row.ip }</span>
                                        <span class="vm-cell c-zone">{ &row.zone_name }</span>
                                        <span class="vm-cell c-template" title={row.template_name.clone()}>{ &row.template_name }</span>
                                        <span class="vm-cell c-offering">{ &row.offering_name }</span>
                                        <span class="vm-cell c-num">{ row.cpu }</span>
                                        <span class="vm-cell c-num">{ memory_text(row.memory_mb) }</span>
                                        <span class="vm-cell c-created">{ short_time(&row.created) }</span>
                                    </div>
                                }
                            }) }
                        </div>
                        if total == 0 {
                            <div class="empty">{ if all == 0 { "No virtual machines in the cache yet." } else { "No virtual machine matches this filter." } }</div>
                        }
                    </div>
                </div>
                if let Some(id) = (*selected).clone() {
                    <detail::Detail id={id} on_close={close_detail} />
                }
            </div>
            if *deploying {
                <deploy::DeployWizard on_close={close_deploy} />
            }
        </section>
    }
}

/// Calls `f` on every window resize until the returned listener is dropped.
fn gloo_events_resize(f: impl Fn() + 'static) -> Option<ResizeListener> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let window = web_sys::window()?;
    let closure = Closure::<dyn Fn()>::new(f);
    window
        .add_event_listener_with_callback("resize", closure.as_ref().unchecked_ref())
        .ok()?;
    Some(ResizeListener { closure })
}

/// Removes its resize listener when dropped.
struct ResizeListener {
    closure: wasm_bindgen::prelude::Closure<dyn Fn()>,
}

impl Drop for ResizeListener {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(
                "resize",
                self.closure.as_ref().unchecked_ref(),
            );
        }
    }
}
