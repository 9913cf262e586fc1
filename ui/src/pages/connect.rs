//! The connection screen: saved profiles, and how to add one.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::hooks::SignInRequest;
use crate::hooks::use_shell;
use crate::hooks::{LiveAction, use_live};
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::{
    NewCentralProfile, NewCloudStackProfile, Profile, ProfileKind, Profiles, Reachability,
    SecretStorage,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn storage_note(s: SecretStorage) -> &'static str {
    match s {
        SecretStorage::Keyring => "Secret keys are kept in the system keyring.",
        SecretStorage::EncryptedFile => {
            "No system keyring is available on this computer: secret keys are kept in a file \
             encrypted at rest (AES-256-GCM) whose key is stored separately."
        }
        SecretStorage::None => "",
    }
}

#[component]
pub fn Connect() -> Html {
    let profiles = use_state(|| None::<Profiles>);
    let busy = use_state(|| None::<String>);
    let form = use_state(NewCloudStackProfile::default);
    let central = use_state(NewCentralProfile::default);
    let central_error = use_state(|| None::<String>);
    let confirm_remove = use_state(|| None::<String>);
    let toaster = use_toaster();
    let live = use_live();
    let shell = use_shell();

    {
        let profiles = profiles.clone();
        let toaster = toaster.clone();
        use_effect_with(live.status.clone(), move |_| {
            spawn_local(async move {
                match invoke(&cmd::ListProfiles {}).await {
                    Ok(p) => profiles.set(Some(p)),
                    Err(e) => toaster.error(e),
                }
            });
        });
    }

    let activate = {
        let busy = busy.clone();
        let toaster = toaster.clone();
        let live = live.clone();
        let open = shell.open_sign_in.clone();
        Callback::from(move |id: String| {
            let busy = busy.clone();
            let toaster = toaster.clone();
            let live = live.clone();
            let open = open.clone();
            busy.set(Some(id.clone()));
            spawn_local(async move {
                match invoke(&cmd::ActivateProfile { id }).await {
                    Ok(s) => {
                        // A central profile without a live session asks for the password.
                        let profile = s.profile.clone().filter(|p| {
                            matches!(p.kind, ProfileKind::Central { .. })
                                && s.reachability == Reachability::SignedOut
                        });
                        live.dispatch(LiveAction::Status(s));
                        if let Some(profile) = profile {
                            open.emit(SignInRequest {
                                profile,
                                notice: None,
                            });
                        }
                    }
                    Err(e) => toaster.error(e),
                }
                busy.set(None);
            });
        })
    };
    let remove = {
        let profiles = profiles.clone();
        let toaster = toaster.clone();
        let live = live.clone();
        let confirm_remove = confirm_remove.clone();
        Callback::from(move |id: String| {
            let profiles = profiles.clone();
            let toaster = toaster.clone();
            let live = live.clone();
            confirm_remove.set(None);
            spawn_local(async move {
                match invoke(&cmd::RemoveProfile { id }).await {
                    Ok(p) => profiles.set(Some(p)),
                    Err(e) => toaster.error(e),
                }
                if let Ok(s) = invoke(&cmd::ConnectionStatus {}).await {
                    live.dispatch(LiveAction::Status(s));
                }
            });
        })
    };
    let add_demo = {
        let profiles = profiles.clone();
        let busy = busy.clone();
        let toaster = toaster.clone();
        let activate = activate.clone();
        Callback::from(move |_| {
            let profiles = profiles.clone();
            let busy = busy.clone();
            let toaster = toaster.clone();
            let activate = activate.clone();
            busy.set(Some("demo".into()));
            spawn_local(async move {
                match invoke(&cmd::AddDemoProfile {}).await {
                    Ok(p) => {
                        let id = p
                            .profiles
                            .iter()
                            .rev()
                            .find(|p| p.kind == ProfileKind::Demo)
                            .map(|p| p.id.clone());
                        profiles.set(Some(p));
                        if let Some(id) = id {
                            activate.emit(id);
                        }
                    }
                    Err(e) => toaster.error(e),
                }
                busy.set(None);
            });
        })
    };
    let field = |get: fn(&mut NewCloudStackProfile) -> &mut String| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            *get(&mut next) = input.value();
            form.set(next);
        })
    };
    let submit = {
        let form = form.clone();
        let profiles = profiles.clone();
        let busy = busy.clone();
        let toaster = toaster.clone();
        let activate = activate.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let data = (*form).clone();
            let form = form.clone();
            let profiles = profiles.clone();
            let busy = busy.clone();
            let toaster = toaster.clone();
            let activate = activate.clone();
            busy.set(Some("new".into()));
            spawn_local(async move {
                match invoke(&cmd::AddCloudStackProfile { form: data }).await {
                    Ok(p) => {
                        let id = p.profiles.last().map(|p| p.id.clone());
                        profiles.set(Some(p));
                        form.set(NewCloudStackProfile::default());
                        if let Some(id) = id {
                            activate.emit(id);
                        }
                    }
                    Err(e) => toaster.error(e),
                }
                busy.set(None);
            });
        })
    };

    let sign_in = {
        let open = shell.open_sign_in.clone();
        Callback::from(move |profile: Profile| {
            open.emit(SignInRequest {
                profile,
                notice: None,
            })
        })
    };
    let sign_out = {
        let busy = busy.clone();
        let toaster = toaster.clone();
        let live = live.clone();
        Callback::from(move |id: String| {
            let (busy, toaster, live) = (busy.clone(), toaster.clone(), live.clone());
            busy.set(Some(id));
            spawn_local(async move {
                match invoke(&cmd::CentralSignOut {}).await {
                    Ok(s) => {
                        live.dispatch(LiveAction::SignedOutHere);
                        live.dispatch(LiveAction::Status(s));
                        toaster.success("Signed out");
                    }
                    Err(e) => toaster.error(e),
                }
                busy.set(None);
            });
        })
    };
    let central_field = |get: fn(&mut NewCentralProfile) -> &mut String| {
        let central = central.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*central).clone();
            *get(&mut next) = input.value();
            central.set(next);
        })
    };
    let central_problem = central_form_problem(&central);
    let submit_central = {
        let central = central.clone();
        let central_error = central_error.clone();
        let profiles = profiles.clone();
        let busy = busy.clone();
        let sign_in = sign_in.clone();
        let problem = central_problem.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if problem {
                return;
            }
            let data = NewCentralProfile {
                name: central.name.trim().to_owned(),
                url: central.url.trim().trim_end_matches('/').to_owned(),
                username: central.username.trim().to_owned(),
            };
            let (central, central_error, profiles, busy, sign_in) = (
                central.clone(),
                central_error.clone(),
                profiles.clone(),
                busy.clone(),
                sign_in.clone(),
            );
            busy.set(Some("central".into()));
            central_error.set(None);
            spawn_local(async move {
                match invoke(&cmd::AddCentralProfile { form: data }).await {
                    Ok(p) => {
                        let added = p
                            .profiles
                            .iter()
                            .rev()
                            .find(|p| matches!(p.kind, ProfileKind::Central { .. }))
                            .cloned();
                        profiles.set(Some(p));
                        central.set(NewCentralProfile::default());
                        if let Some(profile) = added {
                            sign_in.emit(profile);
                        }
                    }
                    Err(e) => central_error.set(Some(e.message)),
                }
                busy.set(None);
            });
        })
    };

    let list = (*profiles).clone().unwrap_or_default();
    let is_busy = busy.is_some();
    let status = live.status.clone();
    html! {
        <section class="page" data-page="connect">
            <PageHeader title="Connect" subtitle="Choose how this console reaches your cloud." />

            <h3 class="section-title">{"Saved profiles"}</h3>
            if list.profiles.is_empty() {
                <div class="notice">
                    { Icon::Info.render() }
                    <span>{"No profile yet. Add a CloudStack connection or a central server below, or try the demo."}</span>
                </div>
            } else {
                <div class="card profile-list">
                    { for list.profiles.iter().map(|p| {
                        let active = list.active.as_deref() == Some(p.id.as_str());
                        let signed_in = active && status.as_ref().is_some_and(|s| {
                            s.user.is_some() && s.reachability != Reachability::SignedOut
                        });
                        let (icon, detail) = match &p.kind {
                            ProfileKind::CloudStack { url, api_key } => (Icon::Server, html! {
                                <><span class="mono">{ url }</span><span class="muted">{" · key "}</span><span class="mono">{ abbreviate(api_key) }</span></>
                            }),
                            ProfileKind::Demo => (Icon::Activity, html! { <span class="muted">{"Built-in simulator on this computer"}</span> }),
                            ProfileKind::Central { url, username } => (Icon::Users, html! {
                                <><span class="mono">{ url }</span><span class="muted">{" · user "}</span><span class="mono">{ username }</span>
                                if active {
                                    <span class="muted">{ match status.as_ref() {
                                        Some(s) if signed_in => s.user.as_ref().map(|u| format!(" · signed in, {} in {}", u.role_name, u.tenant_name)).unwrap_or_default(),
                                        Some(s) if s.reachability == Reachability::Connecting => " · connecting…".to_owned(),
                                        _ => " · signed out".to_owned(),
                                    } }</span>
                                }</>
                            }),
                        };
                        let is_central = matches!(p.kind, ProfileKind::Central { .. });
                        let id = p.id.clone();
                        let on_use = { let a = activate.clone(); let id = id.clone(); Callback::from(move |_| a.emit(id.clone())) };
                        let on_sign_in = { let s = sign_in.clone(); let p = p.clone(); Callback::from(move |_| s.emit(p.clone())) };
                        let on_sign_out = { let s = sign_out.clone(); let id = id.clone(); Callback::from(move |_| s.emit(id.clone())) };
                        let on_remove = { let r = remove.clone(); let id = id.clone(); Callback::from(move |_| r.emit(id.clone())) };
                        let ask_remove = { let c = confirm_remove.clone(); let id = id.clone(); Callback::from(move |_| c.set(Some(id.clone()))) };
                        let cancel_remove = { let c = confirm_remove.clone(); Callback::from(move |_| c.set(None)) };
                        let confirming = confirm_remove.as_deref() == Some(p.id.as_str());
                        html! {
                            <div class="profile-row" data-profile={p.id.clone()} data-profile-name={p.name.clone()}
                                 data-kind={match p.kind { ProfileKind::CloudStack { .. } => "cloudstack", ProfileKind::Demo => "demo", ProfileKind::Central { .. } => "central" }}>
                                <span class="option-icon">{ icon.render() }</span>
                                <div class="profile-text">
                                    <div class="profile-name">{ &p.name }
                                        if active { <span class="badge badge-accent">{"In use"}</span> }
                                    </div>
                                    <div class="small">{ detail }</div>
                                    if confirming {
                                        <div class="confirm profile-confirm" data-confirm="remove">
                                            <p>{ format!("Remove {}? {}", p.name, match p.kind {
                                                ProfileKind::Demo => "Its offline cache is deleted from this computer.",
                                                ProfileKind::CloudStack { .. } => "Its secret key and its offline cache are deleted from this computer; the keys themselves stay valid in CloudStack.",
                                                ProfileKind::Central { .. } => "Its session and its offline cache are deleted from this computer; the account on the server is not touched.",
                                            }) }</p>
                                            <div class="form-actions">
                                                <button class="button button-ghost" onclick={cancel_remove}>{"Cancel"}</button>
                                                <button class="button button-danger solid" data-action="confirm-remove" disabled={is_busy} onclick={on_remove}>{"Remove"}</button>
                                            </div>
                                        </div>
                                    }
                                </div>
                                <div class="profile-actions">
                                    if is_central && signed_in {
                                        <button class="button" data-action="sign-out" disabled={is_busy} onclick={on_sign_out}>
                                            { Icon::LogOut.render() }{"Sign out"}</button>
                                    } else if is_central && active {
                                        <button class="button" data-action="sign-in" disabled={is_busy} onclick={on_sign_in}>
                                            { Icon::Lock.render() }{"Sign in…"}</button>
                                    } else if !active {
                                        <button class="button" data-action="use" disabled={is_busy} onclick={on_use}
                                                title={if is_central { "Use this profile; you are asked for the password when there is no live session" } else { "" }}>
                                            { if busy.as_deref() == Some(p.id.as_str()) { "Connecting…" } else { "Use" } }</button>
                                    }
                                    <button class="button button-ghost" data-action="remove" disabled={is_busy || confirming} onclick={ask_remove}>{"Remove"}</button>
                                </div>
                            </div>
                        }
                    }) }
                </div>
            }

            <div class="option-grid three">
                <form class="card option" id="cloudstack-form" onsubmit={submit}>
                    <div class="option-head">
                        <span class="option-icon">{ Icon::Server.render() }</span>
                        <h2>{"CloudStack directly"}</h2>
                    </div>
                    <p class="muted">{"Your CloudStack API endpoint with an API key and secret key. The keys are \
                        checked with a listZones call before the profile is saved."}</p>
                    <label class="field"><span>{"Name"}</span>
                        <input name="name" placeholder="Production, Mumbai" value={form.name.clone()} oninput={field(|f| &mut f.name)} /></label>
                    <label class="field"><span>{"API URL"}</span>
                        <input name="url" class="mono" placeholder="https://cloud.example.com/client/api" value={form.url.clone()} oninput={field(|f| &mut f.url)} /></label>
                    <label class="field"><span>{"API key"}</span>
                        <input name="api_key" class="mono" autocomplete="off" value={form.api_key.clone()} oninput={field(|f| &mut f.api_key)} /></label>
                    <label class="field"><span>{"Secret key"}</span>
                        <input name="secret_key" class="mono" type="password" autocomplete="off" value={form.secret_key.clone()} oninput={field(|f| &mut f.secret_key)} /></label>
                    <p class="small muted">{ storage_note(list.secret_storage) }</p>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={is_busy}>
                            if *busy == Some("new".into()) { {"Checking…"} } else { {"Test and save"} }
                        </button>
                    </div>
                </form>
                <form class="card option" id="central-form" onsubmit={submit_central}>
                    <div class="option-head">
                        <span class="option-icon">{ Icon::Users.render() }</span>
                        <h2>{"Central server"}</h2>
                    </div>
                    <p class="muted">{"An AkashOne central server: tenants, users and roles, with two-factor sign-in. \
                        The server is checked before the profile is saved; the password is asked when you sign in \
                        and never stored (only the session is)."}</p>
                    <label class="field"><span>{"Name"}</span>
                        <input name="name" id="central-name" placeholder="AkashOne, Mumbai" value={central.name.clone()} oninput={central_field(|f| &mut f.name)} /></label>
                    <label class="field"><span>{"Server URL"}</span>
                        <input name="url" id="central-url" class="mono" placeholder="https://console.example.in" autocomplete="off" spellcheck="false"
                               value={central.url.clone()} oninput={central_field(|f| &mut f.url)} /></label>
                    <label class="field"><span>{"User name"}</span>
                        <input name="username" id="central-username" class="mono" autocomplete="username" autocapitalize="off" spellcheck="false"
                               value={central.username.clone()} oninput={central_field(|f| &mut f.username)} /></label>
                    if let Some(e) = &*central_error {
                        <div class="field-error" id="central-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div>
                    }
                    <div class="form-actions">
                        <button type="submit" id="central-submit" class="button button-primary" disabled={is_busy || central_problem.is_some()}
                                title={central_problem.unwrap_or_default()}>
                            if *busy == Some("central".into()) { {"Checking…"} } else { {"Check and sign in"} }
                        </button>
                    </div>
                    if let Some(p) = central_problem {
                        if !central.name.is_empty() || !central.url.is_empty() || !central.username.is_empty() {
                            <p class="small muted" id="central-hint">{ p }</p>
                        }
                    }
                </form>
                <div class="card option">
                    <div class="option-head">
                        <span class="option-icon">{ Icon::Activity.render() }</span>
                        <h2>{"Demo"}</h2>
                    </div>
                    <p class="muted">{"Runs the built-in CloudStack simulator on this computer (loopback only) with \
                        sample zones, templates and virtual machines, so you can try everything without a cloud. \
                        Its data lives while the app runs; what you last saw stays in the cache."}</p>
                    <div class="form-actions">
                        <button id="add-demo" class="button button-primary" disabled={is_busy} onclick={add_demo}>
                            if *busy == Some("demo".into()) { {"Starting…"} } else { {"Start the demo"} }
                        </button>
                    </div>
                </div>
            </div>
        </section>
    }
}

/// What keeps the central server form from being sent, if anything.
fn central_form_problem(f: &NewCentralProfile) -> Option<&'static str> {
    let url = f.url.trim();
    if f.name.trim().is_empty() {
        Some("Give the profile a name.")
    } else if url.is_empty() {
        Some("Enter the server's URL.")
    } else if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
        Some("The server URL starts with https:// (or http:// on a private network).")
    } else if f.username.trim().is_empty() {
        Some("Enter your user name on the server.")
    } else {
        None
    }
}

/// `abcdefghijkl…` → `abcdef…ijkl`: enough to recognise a key without showing it whole.
fn abbreviate(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 12 {
        return key.to_owned();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}
