//! The connection screen: saved profiles, and how to add one.

use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::live::{LiveAction, use_live};
use crate::services::commands;
use akashone_types::{NewCloudStackProfile, ProfileKind, Profiles, SecretStorage};
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
    let toaster = use_toaster();
    let live = use_live();

    {
        let profiles = profiles.clone();
        let toaster = toaster.clone();
        use_effect_with(live.status.clone(), move |_| {
            spawn_local(async move {
                match commands::list_profiles().await {
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
        Callback::from(move |id: String| {
            let busy = busy.clone();
            let toaster = toaster.clone();
            let live = live.clone();
            busy.set(Some(id.clone()));
            spawn_local(async move {
                match commands::activate_profile(id).await {
                    Ok(s) => live.dispatch(LiveAction::Status(s)),
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
        Callback::from(move |id: String| {
            let profiles = profiles.clone();
            let toaster = toaster.clone();
            let live = live.clone();
            spawn_local(async move {
                match commands::remove_profile(id).await {
                    Ok(p) => profiles.set(Some(p)),
                    Err(e) => toaster.error(e),
                }
                if let Ok(s) = commands::connection_status().await {
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
                match commands::add_demo_profile().await {
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
                match commands::add_cloudstack_profile(data).await {
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

    let list = (*profiles).clone().unwrap_or_default();
    let is_busy = busy.is_some();
    html! {
        <section class="page" data-page="connect">
            <PageHeader title="Connect" subtitle="Choose how this console reaches your cloud." />

            <h3 class="section-title">{"Saved profiles"}</h3>
            if list.profiles.is_empty() {
                <div class="notice">
                    { Icon::Info.render() }
                    <span>{"No profile yet. Add a CloudStack connection below, or try the demo."}</span>
                </div>
            } else {
                <div class="card profile-list">
                    { for list.profiles.iter().map(|p| {
                        let active = list.active.as_deref() == Some(p.id.as_str());
                        let (icon, detail) = match &p.kind {
                            ProfileKind::CloudStack { url, api_key } => (Icon::Server, html! {
                                <><span class="mono">{ url }</span><span class="muted">{" · key "}</span><span class="mono">{ abbreviate(api_key) }</span></>
                            }),
                            ProfileKind::Demo => (Icon::Activity, html! { <span class="muted">{"Built-in simulator on this computer"}</span> }),
                        };
                        let id = p.id.clone();
                        let on_use = { let a = activate.clone(); let id = id.clone(); Callback::from(move |_| a.emit(id.clone())) };
                        let on_remove = { let r = remove.clone(); let id = id.clone(); Callback::from(move |_| r.emit(id.clone())) };
                        html! {
                            <div class="profile-row" data-profile={p.id.clone()}>
                                <span class="option-icon">{ icon.render() }</span>
                                <div class="profile-text">
                                    <div class="profile-name">{ &p.name }
                                        if active { <span class="badge badge-accent">{"In use"}</span> }
                                    </div>
                                    <div class="small">{ detail }</div>
                                </div>
                                <div class="profile-actions">
                                    if !active {
                                        <button class="button" disabled={is_busy} onclick={on_use}>{"Use"}</button>
                                    }
                                    <button class="button button-ghost" disabled={is_busy} onclick={on_remove}>{"Remove"}</button>
                                </div>
                            </div>
                        }
                    }) }
                </div>
            }

            <div class="option-grid two">
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
                    <div class="option-head later">
                        <span class="option-icon">{ Icon::Users.render() }</span>
                        <h2>{"Central server"}</h2>
                        <span class="badge">{"Not built yet"}</span>
                    </div>
                    <p class="muted small">{"Signing in to an AkashOne server with a password and a two-factor code \
                        arrives with the server."}</p>
                </div>
            </div>
        </section>
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
