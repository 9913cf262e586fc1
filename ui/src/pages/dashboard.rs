//! The landing page. Figures appear only once a cloud is connected: nothing here is invented.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::{memory_text, short_time, state_class};
use crate::hooks::use_live;
use crate::route::{NAV, Route};
use crate::services::invoke;
use akashone_types::DashboardFigures;
use akashone_types::commands as cmd;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

/// Set once the first dashboard render has been reported to the shell.
static REPORTED_READY: AtomicBool = AtomicBool::new(false);

#[component]
pub fn Dashboard() -> Html {
    use_effect_with((), |_| {
        if !REPORTED_READY.swap(true, Ordering::Relaxed) {
            spawn_local(async {
                // Diagnostics only: a failure here must not disturb the user.
                let _ = invoke(&cmd::UiReady {
                    page: "dashboard".into(),
                })
                .await;
            });
        }
    });
    let live = use_live();
    let toaster = use_toaster();
    let figures = use_state(|| None::<DashboardFigures>);
    {
        let figures = figures.clone();
        let connected = live
            .status
            .as_ref()
            .and_then(|s| s.profile.clone())
            .map(|p| p.id);
        use_effect_with((live.data_version, connected), move |(_, connected)| {
            if connected.is_some() {
                spawn_local(async move {
                    match invoke(&cmd::Dashboard {}).await {
                        Ok(f) => figures.set(f),
                        Err(e) => toaster.error(e),
                    }
                });
            } else {
                figures.set(None);
            }
        });
    }
    html! {
        <section class="page" data-page="dashboard">
            <PageHeader title="Dashboard" subtitle="Your cloud at a glance." />
            if let Some(f) = (*figures).clone() {
                { figures_view(&f) }
            } else {
            <div class="hero card">
                <div class="hero-icon">{ Icon::Cloud.render() }</div>
                <div class="hero-text">
                    <h2>{"No cloud connected yet"}</h2>
                    <p class="muted">
                        {"Once this console is connected, the dashboard shows your virtual machines by state, \
                          your zones, and the vCPUs and memory you have allocated — all read from your cloud \
                          and kept for offline use. Until then there are no figures to show."}
                    </p>
                </div>
                <Link<Route> to={Route::Connect} classes="button button-primary">
                    {"Set up a connection"}{ Icon::ArrowRight.render() }
                </Link<Route>>
            </div>
            }
            <h3 class="section-title">{"Everything in the console"}</h3>
            <div class="tile-grid">
                { for NAV.iter().skip(1).map(|section| html! {
                    <div class="card tile">
                        <div class="tile-title">{ section.title }</div>
                        <ul class="tile-links">
                            { for section.routes.iter().map(|r| html! {
                                <li>
                                    <Link<Route> to={*r} classes="tile-link">
                                        { r.icon().render() }<span>{ r.title() }</span>
                                    </Link<Route>>
                                </li>
                            }) }
                        </ul>
                    </div>
                }) }
            </div>
        </section>
    }
}

fn figures_view(f: &DashboardFigures) -> Html {
    let max = f.by_state.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    html! {
        <>
        <div class="stat-grid" id="dashboard-figures">
            <div class="card stat"><div class="stat-label">{"Virtual machines"}</div><div class="stat-value" id="stat-vms">{ f.vms }</div></div>
            <div class="card stat"><div class="stat-label">{"Zones"}</div><div class="stat-value">{ f.zones }</div></div>
            <div class="card stat"><div class="stat-label">{"vCPUs allocated"}</div><div class="stat-value">{ f.vcpus }</div></div>
            <div class="card stat"><div class="stat-label">{"Memory allocated"}</div><div class="stat-value">{ memory_text(f.memory_mb) }</div></div>
        </div>
        <div class="card by-state">
            <div class="tile-title">{"Virtual machines by state"}
                <span class="small muted">{ f.last_synced.as_deref().map(|t| format!(" · synced {}", short_time(t))).unwrap_or_default() }</span>
            </div>
            if f.by_state.is_empty() {
                <p class="muted">{"No virtual machines yet."}</p>
            }
            { for f.by_state.iter().map(|(state, n)| html! {
                <div class="bar-row">
                    <span class={state_class(state)}>{ state }</span>
                    <div class="bar"><div class="bar-fill" style={format!("width: {}%", (*n * 100 / max).max(1))}></div></div>
                    <span class="bar-n">{ n }</span>
                </div>
            }) }
        </div>
        </>
    }
}
