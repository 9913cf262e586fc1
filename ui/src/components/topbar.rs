//! The bar above each page: where you are, the connection, the theme switch.

use crate::app::use_shell;
use crate::components::icons::Icon;
use crate::route::Route;
use akashone_types::Theme;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn Topbar() -> Html {
    let shell = use_shell();
    let current = use_route::<Route>().unwrap_or(Route::NotFound);
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
                    <span class="dot dot-off"></span>
                    {"Not connected"}
                </Link<Route>>
                <button id="theme-toggle" class="icon-button" title={label} aria-label={label} onclick={toggle}>
                    { icon.render() }
                </button>
            </div>
        </header>
    }
}
