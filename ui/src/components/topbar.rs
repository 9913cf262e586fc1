//! The bar above each page: where you are, the connection, the theme switch.

use crate::app::use_shell;
use crate::components::icons::Icon;
use crate::live::use_live;
use crate::route::Route;
use akashone_types::{Reachability, Theme};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn Topbar() -> Html {
    let shell = use_shell();
    let current = use_route::<Route>().unwrap_or(Route::NotFound);
    let live = use_live();
    let status = live.status.clone();
    let name = status
        .as_ref()
        .and_then(|s| s.profile.as_ref())
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let syncing = status.as_ref().is_some_and(|s| s.syncing);
    let (dot, text, title) = match status.as_ref().map(|s| s.reachability) {
        Some(Reachability::Online) if syncing => (
            "dot dot-busy",
            format!("{name} · syncing"),
            "Syncing with the cloud",
        ),
        Some(Reachability::Online) => ("dot dot-on", name, "Connected"),
        Some(Reachability::Offline) => (
            "dot dot-warn",
            format!("{name} · offline"),
            "The cloud cannot be reached: showing cached data",
        ),
        Some(Reachability::Connecting) => {
            ("dot dot-busy", format!("{name} · connecting"), "Connecting")
        }
        Some(Reachability::NotConnected) | None => (
            "dot dot-off",
            "Not connected".to_owned(),
            "No connection profile is active",
        ),
    };
    let toggle = {
        let t = shell.toggle_theme.clone();
        Callback::from(move |_| t.emit(()))
    };
    let (icon, label) = match shell.theme {
        Theme::Dark => (Icon::Sun, "Switch to light theme"),
        Theme::Light => (Icon::Moon, "Switch to dark theme"),
    };
    html! {
        <header class="topbar">
            <div class="crumbs">
                <span class="crumb-root">{"Console"}</span>
                <span class="crumb-sep">{"/"}</span>
                <span class="crumb-current">{ current.title() }</span>
            </div>
            <div class="topbar-actions">
                <Link<Route> to={Route::Connect} classes="pill pill-muted">
                    <span id="connection-pill" class="pill-inner" title={title}>
                        <span class={dot}></span>
                        { text }
                    </span>
                </Link<Route>>
                <button id="theme-toggle" class="icon-button" title={label} aria-label={label} onclick={toggle}>
                    { icon.render() }
                </button>
            </div>
        </header>
    }
}
