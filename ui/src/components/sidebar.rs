//! The left navigation: the brand (AkashOne's, or the white-label brand of the reseller the
//! signed-in user buys from), every page by section, and the about button.

use crate::components::icons::Icon;
use crate::hooks::use_live;
use crate::hooks::use_shell;
use crate::route::{NAV, Route};
use crate::services::invoke;
use akashone_types::ConsoleBrand;
use akashone_types::commands as cmd;
use wasm_bindgen_futures::spawn_local;
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
    let live = use_live();
    let brand = live.status.as_ref().and_then(|s| s.brand.clone());
    html! {
        <aside class="sidebar">
            if let Some(brand) = brand {
                <BrandMark brand={brand} />
            } else {
                <Link<Route> to={Route::Dashboard} classes="brand">
                    <img class="brand-mark" src="assets/akashone-mark.svg" alt="" width="30" height="30" />
                    <span class="brand-name">{"AkashOne"}<span class="brand-tld">{".com"}</span></span>
                </Link<Route>>
            }
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

#[derive(Properties, PartialEq)]
struct BrandProps {
    brand: ConsoleBrand,
}

/// A white-label brand: its logo (or its initial on its colour) and its name, with a quiet
/// "powered by" line.
#[component]
fn BrandMark(props: &BrandProps) -> Html {
    let b = &props.brand;
    // (hash, base64) of the logo shown; fetched again only when the hash changes.
    let logo = use_state(|| None::<(String, String)>);
    {
        let logo = logo.clone();
        use_effect_with(b.logo_sha256.clone(), move |sha| match sha.clone() {
            None => logo.set(None),
            Some(sha) if logo.as_ref().is_some_and(|(h, _)| *h == sha) => {}
            Some(sha) => spawn_local(async move {
                if let Ok(Some(png)) = invoke(&cmd::BrandLogo {}).await {
                    logo.set(Some((sha, png)));
                }
            }),
        });
    }
    // Only a plain `#RRGGBB` goes into the style attribute.
    let colour = b
        .brand_colour
        .clone()
        .filter(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit())
        })
        .unwrap_or_else(|| "var(--accent)".into());
    let initial = b
        .display_name
        .chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    html! {
        <Link<Route> to={Route::Dashboard} classes="brand brand-white-label">
            if let Some((_, png)) = &*logo {
                <img class="brand-logo" src={format!("data:image/png;base64,{png}")} alt="" />
            } else {
                <span class="brand-initial" style={format!("background: {colour}")}>{ initial }</span>
            }
            <span class="brand-text">
                <span class="brand-name" id="brand-name" title={b.display_name.clone()}>{ &b.display_name }</span>
                <span class="brand-powered">{"Powered by AkashOne"}</span>
            </span>
        </Link<Route>>
    }
}
