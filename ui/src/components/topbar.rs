//! The bar above each page: where you are, the connection, the theme switch; for central server
//! profiles also who is signed in, the tenant the console acts as, and signing out.

use crate::components::central::{central_profile, holds, indented, tree_order};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::hooks::Load;
use crate::hooks::use_shell;
use crate::hooks::{LiveAction, use_live};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::central::{Permission, TenantOut};
use akashone_types::commands as cmd;
use akashone_types::{Reachability, Theme};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn Topbar() -> Html {
    let shell = use_shell();
    let current = use_route::<Route>().unwrap_or(Route::NotFound);
    let live = use_live();
    let toaster = use_toaster();
    let tenants = use_state(|| Load::<Vec<TenantOut>>::Loading);
    let switching = use_state(|| false);
    let signing_out = use_state(|| false);
    let select_ref = use_node_ref();
    let status = live.status.clone();

    // For central server profiles: who is signed in (not while signed out).
    let me = status
        .as_ref()
        .filter(|s| central_profile(Some(s)).is_some() && s.reachability != Reachability::SignedOut)
        .and_then(|s| s.user.clone());
    let acting = status.as_ref().and_then(|s| s.acting_as.clone());

    // The tenants the user may act as, again after changes made here.
    {
        let tenants = tenants.clone();
        let key = me
            .as_ref()
            .filter(|m| holds(m, Permission::TenantsRead))
            .map(|m| (m.id.clone(), m.tenant_id.clone()));
        use_effect_with((key, live.central_version), move |(key, _)| {
            if key.is_some() {
                spawn_local(async move {
                    tenants.set(invoke(&cmd::TenantsList {}).await.into());
                });
            } else {
                tenants.set(Load::Loading);
            }
        });
    }

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
        Some(Reachability::SignedOut) => (
            "dot dot-warn",
            format!("{name} · signed out"),
            "The session ended: sign in again",
        ),
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

    let central = me.as_ref().map(|me| {
        let acting_id = acting
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_else(|| me.tenant_id.clone());
        let other = acting_id != me.tenant_id;
        let on_change = {
            let own = me.tenant_id.clone();
            let previous = acting_id.clone();
            let (live, toaster, switching, select_ref) = (
                live.clone(),
                toaster.clone(),
                switching.clone(),
                select_ref.clone(),
            );
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                let id = select.value();
                let target = (id != own).then_some(id);
                let (live, toaster, switching, select_ref, previous) = (
                    live.clone(),
                    toaster.clone(),
                    switching.clone(),
                    select_ref.clone(),
                    previous.clone(),
                );
                switching.set(true);
                spawn_local(async move {
                    match invoke(&cmd::ActAs { tenant_id: target }).await {
                        Ok(s) => {
                            live.dispatch(LiveAction::Status(s));
                            live.dispatch(LiveAction::CentralChanged);
                        }
                        Err(e) => {
                            if let Some(sel) = select_ref.cast::<HtmlSelectElement>() {
                                sel.set_value(&previous);
                            }
                            toaster.error(e);
                        }
                    }
                    switching.set(false);
                });
            })
        };
        let selector = match &*tenants {
            Load::Ready(list) if !list.is_empty() => html! {
                <select id="acting-as" ref={select_ref.clone()} class={classes!("select", "acting-select", other.then_some("acting-other"))}
                        aria-label="Acting as tenant" disabled={*switching || list.len() < 2} onchange={on_change}
                        title={if list.len() < 2 { "There is no other tenant in your part of the tree" } else { "The tenant whose data this console shows" }}>
                    { for tree_order(list).into_iter().map(|(depth, t)| html! {
                        <option value={t.id.clone()} selected={t.id == acting_id}>
                            { indented(depth, &t.name) }
                            { if t.suspended { " · suspended" } else { "" } }
                        </option>
                    }) }
                </select>
            },
            Load::Failed(e) => html! {
                <span class="acting-static" id="acting-as" title={format!("The tenant list could not be loaded: {}", e.message)}>
                    { acting.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| me.tenant_name.clone()) }
                </span>
            },
            _ => html! {
                <span class="acting-static" id="acting-as"
                      title={if holds(me, Permission::TenantsRead) { "" } else { "Your role cannot list other tenants" }}>
                    { acting.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| me.tenant_name.clone()) }
                </span>
            },
        };
        let sign_out = {
            let (live, toaster, signing_out) = (live.clone(), toaster.clone(), signing_out.clone());
            Callback::from(move |_| {
                let (live, toaster, signing_out) =
                    (live.clone(), toaster.clone(), signing_out.clone());
                signing_out.set(true);
                spawn_local(async move {
                    match invoke(&cmd::CentralSignOut {}).await {
                        Ok(s) => {
                            live.dispatch(LiveAction::SignedOutHere);
                            live.dispatch(LiveAction::Status(s));
                            toaster.success("Signed out");
                        }
                        Err(e) => toaster.error(e),
                    }
                    signing_out.set(false);
                });
            })
        };
        html! {
            <>
                <label class={classes!("acting", other.then_some("acting-on"))}>
                    <span class="acting-label">{"Acting as"}</span>
                    { selector }
                </label>
                <span class="topbar-user" id="topbar-user" title={format!("{} · {} · {}", me.username, me.role_name, me.tenant_name)}>
                    { Icon::User.render() }<span>{ &me.username }</span>
                </span>
                <button id="sign-out" class="icon-button" title="Sign out" aria-label="Sign out"
                        disabled={*signing_out} onclick={sign_out}>
                    { Icon::LogOut.render() }
                </button>
            </>
        }
    });

    html! {
        <header class="topbar">
            <div class="crumbs">
                <span class="crumb-root">{"Console"}</span>
                <span class="crumb-sep">{"/"}</span>
                <span class="crumb-current">{ current.title() }</span>
            </div>
            <div class="topbar-actions">
                { central.unwrap_or_default() }
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
