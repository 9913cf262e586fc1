//! The root component: theme, toasts, the about box and the router.

use crate::components::about::AboutDialog;
use crate::components::central::central_profile;
use crate::components::icons::Icon;
use crate::components::sidebar::Sidebar;
use crate::components::sign_in::SignInDialog;
use crate::components::toast::{ToastList, Toasts, use_toaster};
use crate::components::topbar::Topbar;
use crate::format::capitalise;
use crate::hooks::{Live, LiveAction, ShellContext, SignInRequest, use_live};
use crate::pages;
use crate::route::Route;
use crate::services::events::use_shell_event;
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::events;
use akashone_types::{AppInfo, ConnectionStatus, JobEvent, JobPhase, Reachability, Theme};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

#[component]
pub fn App() -> Html {
    let toasts = use_reducer(ToastList::default);
    let live = use_reducer(Live::default);
    html! {
        <ContextProvider<UseReducerHandle<ToastList>> context={toasts}>
            <ContextProvider<UseReducerHandle<Live>> context={live}>
                <HashRouter>
                    <Shell />
                </HashRouter>
            </ContextProvider<UseReducerHandle<Live>>>
        </ContextProvider<UseReducerHandle<ToastList>>>
    }
}

#[component]
fn Shell() -> Html {
    let theme = use_state(|| None::<Theme>);
    let info = use_state(|| None::<AppInfo>);
    let about_open = use_state(|| false);
    let sign_in = use_state(|| None::<SignInRequest>);
    let toaster = use_toaster();
    let live = use_live();

    // What the shell pushes: the connection, data changes, job progress.
    {
        let live = live.clone();
        use_shell_event(
            events::CONNECTION,
            Callback::from(move |s: ConnectionStatus| live.dispatch(LiveAction::Status(s))),
        );
    }
    {
        let live = live.clone();
        use_shell_event(
            events::DATA_CHANGED,
            Callback::from(move |_: serde_json_unit::Unit| live.dispatch(LiveAction::DataChanged)),
        );
    }
    {
        let live = live.clone();
        let toaster = toaster.clone();
        use_shell_event(
            events::VM_JOB,
            Callback::from(move |ev: JobEvent| {
                match ev.phase {
                    JobPhase::Succeeded => {
                        toaster.success(format!("{} {}: done", capitalise(&ev.action), ev.vm_name))
                    }
                    JobPhase::Failed => toaster.error(akashone_types::ApiError::new(
                        akashone_types::ErrorCode::Conflict,
                        format!(
                            "{} {} failed: {}",
                            capitalise(&ev.action),
                            ev.vm_name,
                            ev.error.clone().unwrap_or_default()
                        ),
                    )),
                    _ => {}
                }
                live.dispatch(LiveAction::Job(ev));
            }),
        );
    }
    {
        let live = live.clone();
        let toaster = toaster.clone();
        use_shell_event(
            events::KUBE_JOB,
            Callback::from(move |ev: JobEvent| {
                let what = format!(
                    "{} Kubernetes cluster {}",
                    capitalise(&ev.action),
                    ev.vm_name
                );
                match ev.phase {
                    JobPhase::Succeeded => toaster.success(format!("{what}: done")),
                    JobPhase::Failed => toaster.error(akashone_types::ApiError::new(
                        akashone_types::ErrorCode::Conflict,
                        format!("{what} failed: {}", ev.error.clone().unwrap_or_default()),
                    )),
                    _ => {}
                }
                live.dispatch(LiveAction::KubeJob(ev));
            }),
        );
    }
    {
        let live = live.clone();
        let toaster = toaster.clone();
        use_shell_event(
            events::RESOURCE_JOB,
            Callback::from(move |ev: JobEvent| {
                let what = format!("{} {}", crate::format::op_title(&ev.action), ev.vm_name);
                match ev.phase {
                    JobPhase::Succeeded => toaster.success(format!("{}: done", what.trim())),
                    JobPhase::Failed => toaster.error(akashone_types::ApiError::new(
                        akashone_types::ErrorCode::Conflict,
                        format!(
                            "{} failed: {}",
                            what.trim(),
                            ev.error.clone().unwrap_or_default()
                        ),
                    )),
                    _ => {}
                }
                live.dispatch(LiveAction::ResourceJob(ev));
            }),
        );
    }
    {
        let live = live.clone();
        let toaster = toaster.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match invoke(&cmd::ConnectionStatus {}).await {
                    Ok(s) => live.dispatch(LiveAction::Status(s)),
                    Err(e) => toaster.error(e),
                }
            });
        });
    }

    // Load the saved settings and the app facts once.
    {
        let theme = theme.clone();
        let info = info.clone();
        let toaster = toaster.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match invoke(&cmd::GetSettings {}).await {
                    Ok(s) => theme.set(Some(s.theme)),
                    Err(e) => {
                        theme.set(Some(Theme::default()));
                        toaster.error(e);
                    }
                }
                match invoke(&cmd::AppInfo {}).await {
                    Ok(i) => info.set(Some(i)),
                    Err(e) => toaster.error(e),
                }
            });
        });
    }

    // Reflect the theme on <html data-theme=...>; "loading" until the saved one is known.
    {
        let current = *theme;
        use_effect_with(current, move |t| {
            if let Some(root) = gloo_document().and_then(|d| d.document_element()) {
                let value = t.map(Theme::as_str).unwrap_or("dark");
                let _ = root.set_attribute("data-theme", value);
                let _ = root.set_attribute(
                    "data-theme-loaded",
                    if t.is_some() { "true" } else { "false" },
                );
            }
        });
    }

    let toggle_theme = {
        let theme = theme.clone();
        let toaster = toaster.clone();
        Callback::from(move |_| {
            let next = theme.unwrap_or_default().toggled();
            let theme = theme.clone();
            let toaster = toaster.clone();
            spawn_local(async move {
                match invoke(&cmd::SetTheme {
                    theme: next.as_str().into(),
                })
                .await
                {
                    Ok(saved) => theme.set(Some(saved.theme)),
                    Err(e) => toaster.error(e),
                }
            });
        })
    };
    let open_about = {
        let about_open = about_open.clone();
        Callback::from(move |_| about_open.set(true))
    };
    let close_about = {
        let about_open = about_open.clone();
        Callback::from(move |_| about_open.set(false))
    };

    let open_sign_in = {
        let sign_in = sign_in.clone();
        Callback::from(move |r: SignInRequest| sign_in.set(Some(r)))
    };
    let close_sign_in = {
        let sign_in = sign_in.clone();
        Callback::from(move |_| sign_in.set(None))
    };

    let context = ShellContext {
        theme: theme.unwrap_or_default(),
        toggle_theme,
        info: (*info).clone(),
        open_about,
        open_sign_in: open_sign_in.clone(),
    };

    // A central server profile whose session ended: say so on every page, with a way back in.
    let signed_out = live.status.as_ref().and_then(|s| {
        let (profile, _, username) = central_profile(Some(s))?;
        (s.reachability == Reachability::SignedOut && sign_in.is_none())
            .then(|| (profile.clone(), username.to_owned()))
    });
    let signed_out_banner = match signed_out {
        Some((profile, username)) => {
            let name = profile.name.clone();
            let here = live.signed_out_here;
            let request = SignInRequest {
                profile,
                notice: (!here).then(|| {
                    "The session ended (it expired, or it was signed out elsewhere). Sign in again to continue."
                        .to_owned()
                }),
            };
            let open = open_sign_in.clone();
            let onclick = Callback::from(move |_| open.emit(request.clone()));
            let why = if here {
                format!(" You signed out as {username}.")
            } else {
                format!(" The session of {username} expired or was revoked.")
            };
            html! {
                <div class="banner banner-warn shell-banner" id="signed-out-banner" role="status"
                     data-reason={if here { "signed-out" } else { "ended" }}>
                    { Icon::Lock.render() }
                    <span class="banner-text">
                        <strong>{ format!("Signed out of {name}.") }</strong>
                        { why }
                        {" Lists show what was last synced; live data and actions need you to sign in again."}
                    </span>
                    <button class="button button-small" id="signed-out-sign-in" onclick={onclick}>{"Sign in"}</button>
                </div>
            }
        }
        None => Html::default(),
    };

    html! {
        <ContextProvider<ShellContext> context={context.clone()}>
            <div class="shell">
                <Sidebar />
                <div class="main">
                    <Topbar />
                    { signed_out_banner }
                    <main class="content">
                        <Switch<Route> render={switch} />
                    </main>
                </div>
                <Toasts />
                if let Some(request) = (*sign_in).clone() {
                    <SignInDialog request={request} on_close={close_sign_in} />
                }
                if *about_open {
                    <AboutDialog info={context.info.clone()} on_close={close_about} />
                }
            </div>
        </ContextProvider<ShellContext>>
    }
}

/// A payload-less event: Tauri sends `null`.
mod serde_json_unit {
    /// Decodes from anything (the payload is ignored).
    pub struct Unit;
    impl<'de> serde::Deserialize<'de> for Unit {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| Unit)
        }
    }
}

fn gloo_document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Renders the page for a route.
fn switch(route: Route) -> Html {
    match route {
        Route::Dashboard => html! { <pages::dashboard::Dashboard /> },
        Route::Connect => html! { <pages::connect::Connect /> },
        Route::VirtualMachines => html! { <pages::vms::VirtualMachines /> },
        Route::Kubernetes => html! { <pages::kubernetes::Kubernetes /> },
        Route::Networks => html! { <pages::networks::Networks /> },
        Route::Storage => html! { <pages::storage::Storage /> },
        Route::SuperAdmin => html! { <pages::super_admin::SuperAdmin /> },
        Route::AdminRights => html! { <pages::admin_rights::AdminRights /> },
        Route::Security => html! { <pages::security::Security /> },
        Route::Billing => html! { <pages::billing::Billing /> },
        Route::WhiteLabel => html! { <pages::white_label::WhiteLabel /> },
        Route::NotFound => html! { <pages::not_found::NotFound /> },
        other => html! { <pages::planned::Planned route={other} /> },
    }
}
