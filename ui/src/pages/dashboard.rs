//! The landing page. Figures appear only once a cloud is connected: nothing here is invented.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::route::{NAV, Route};
use crate::services::commands;
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
                let _ = commands::ui_ready("dashboard").await;
            });
        }
    });
    html! {
        <section class="page" data-page="dashboard">
            <PageHeader title="Dashboard" subtitle="Your cloud at a glance." />
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
