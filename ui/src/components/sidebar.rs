//! The left navigation: brand, every page by section, and the about button.

use crate::app::use_shell;
use crate::components::icons::Icon;
use crate::route::{NAV, Route};
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn Sidebar() -> Html {
    let shell = use_shell();
    let current = use_route::<Route>().unwrap_or(Route::NotFound);
    let about = {
        let open = shell.open_about.clone();
        Callback::from(move |_| open.emit(()))
    };
    html! {
        <aside class="sidebar">
            <Link<Route> to={Route::Dashboard} classes="brand">
                <img class="brand-mark" src="assets/akashone-mark.svg" alt="" width="30" height="30" />
                <span class="brand-name">{"AkashOne"}<span class="brand-tld">{".com"}</span></span>
            </Link<Route>>
            <nav class="nav" aria-label="Pages">
                { for NAV.iter().map(|section| html! {
                    <div class="nav-section">
                        <div class="nav-section-title">{ section.title }</div>
                        { for section.routes.iter().map(|r| nav_item(*r, current)) }
                    </div>
                }) }
            </nav>
            <div class="sidebar-footer">
                { nav_item(Route::Connect, current) }
                <button class="nav-item" id="about-button" onclick={about}>
                    { Icon::Info.render() }
                    <span>{"About"}</span>
                </button>
            </div>
        </aside>
    }
}

fn nav_item(route: Route, current: Route) -> Html {
    let classes = classes!("nav-item", (route == current).then_some("active"));
    html! {
        <Link<Route> to={route} classes={classes}>
            <span class="nav-link" data-nav={route.slug()}>
                { route.icon().render() }
                <span>{ route.title() }</span>
            </span>
        </Link<Route>>
    }
}
