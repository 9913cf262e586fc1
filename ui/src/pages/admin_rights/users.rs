//! Users of the subtree: who they are, where, which role (changed here, with a confirmation) and
//! whether two-factor authentication is on; and the form for a new user.

use super::Shared;
use crate::components::central::{holds, indented, lacks, load_error, loading, note};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::format::{unix_date, unix_time};
use crate::hooks::{LiveAction, use_live};
use crate::hooks::{Load, Reload, use_load, use_submit};
use akashone_types::central::MIN_PASSWORD_CHARS as MIN_PASSWORD;
use akashone_types::central::{Permission, RegisterRequest, UserOut};
use akashone_types::commands as cmd;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UsersProps {
    pub shared: Shared,
}

#[component]
pub fn Users(props: &UsersProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let shared = &props.shared;
    let me = &shared.me;
    let reload = use_state(|| 0u32);
    let filter = use_state(String::new);
    let creating = use_state(|| false);
    // A role change waiting for its confirmation: (user id, role id).
    let pending = use_state(|| None::<(String, String)>);
    let submit = use_submit();
    let can_read = holds(me, Permission::UsersRead);
    let acting = live
        .status
        .as_ref()
        .and_then(|s| s.acting_as.as_ref().map(|a| a.id.clone()));

    let users = use_load(
        (*reload, can_read, live.central_version, acting),
        Reload::ShowLoading,
        |(_, can, ..)| can.then_some(cmd::UsersList {}),
    );
    let retry = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    if let Some(r) = lacks(me, Permission::UsersRead) {
        return note(r + " The users cannot be listed.");
    }
    let list = match &*users {
        Load::Loading => return loading("the users"),
        Load::Failed(e) => return load_error("the users", e, retry),
        Load::Ready(l) => l.clone(),
    };

    let no_create = lacks(me, Permission::UsersCreate);
    let no_update = lacks(me, Permission::UsersUpdate);
    let needle = filter.trim().to_lowercase();
    let shown: Vec<&UserOut> = list
        .iter()
        .filter(|u| {
            needle.is_empty()
                || [&u.username, &u.tenant_name, &u.role_name]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
        })
        .collect();
    let roles = shared.roles.ready().cloned().unwrap_or_default();

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            filter.set(el.value());
        })
    };
    let open = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(true))
    };
    let created = {
        let (creating, reload) = (creating.clone(), reload.clone());
        Callback::from(move |_: ()| {
            creating.set(false);
            reload.set(*reload + 1);
        })
    };
    let close_new = {
        let creating = creating.clone();
        Callback::from(move |_: ()| creating.set(false))
    };
    let apply = {
        let (pending, submit, reload) = (pending.clone(), submit.clone(), reload.clone());
        let (toaster, live) = (toaster.clone(), live.clone());
        Callback::from(move |_: MouseEvent| {
            let Some((user, role)) = (*pending).clone() else {
                return;
            };
            let (pending, reload, toaster, live) = (
                pending.clone(),
                reload.clone(),
                toaster.clone(),
                live.clone(),
            );
            let command = cmd::UserSetRole {
                id: user,
                role_id: role,
            };
            submit.send(command, move |answer| match answer {
                Ok(u) => {
                    toaster.success(format!("{} now holds the role {}", u.username, u.role_name));
                    pending.set(None);
                    reload.set(*reload + 1);
                    live.dispatch(LiveAction::CentralChanged);
                }
                Err(e) => toaster.error(e),
            });
        })
    };
    let cancel = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    html! {
        <div class="tab-body">
            <div class="toolbar">
                <h3 class="section-title">{"Users"}</h3>
                <span class="small muted" id="user-count">
                    { if shown.len() == list.len() { format!("{}", list.len()) } else { format!("{} of {}", shown.len(), list.len()) } }
                </span>
                <span class="toolbar-fill"></span>
                <label class="search small-search">
                    { Icon::Search.render() }
                    <input id="user-filter" placeholder="Filter by name, tenant or role" value={(*filter).clone()} oninput={on_filter} />
                </label>
                <button class="button button-primary" id="user-new" onclick={open}
                        disabled={no_create.is_some() || *creating} title={no_create.clone().unwrap_or_default()}>
                    { Icon::Plus.render() }{"New user"}
                </button>
            </div>
            if no_create.is_some() || no_update.is_some() {
                { note([no_create.clone().map(|r| r + " New users cannot be added."), no_update.clone().map(|r| r + " Roles cannot be changed.")]
                    .into_iter().flatten().collect::<Vec<_>>().join(" ")) }
            }
            if *creating {
                <NewUser shared={shared.clone()} on_done={created} on_close={close_new} />
            }
            <div class="card table" id="users-table">
                <div class="table-row table-head users-row" role="row">
                    <span class="sortable">{"User name"}</span>
                    <span class="sortable">{"Tenant"}</span>
                    <span class="sortable">{"Role"}</span>
                    <span class="sortable">{"Two-factor"}</span>
                    <span class="sortable">{"Created"}</span>
                </div>
                if shown.is_empty() {
                    <div class="table-empty muted">{ if list.is_empty() { "No users yet." } else { "No user matches this filter." } }</div>
                }
                { for shown.iter().map(|u| {
                    let current_role = roles.iter().find(|r| r.id == u.role_id);
                    let reason = if let Some(r) = &no_update {
                        Some(r.clone())
                    } else if u.id == me.id {
                        Some("You cannot change your own role; ask an administrator above you.".to_owned())
                    } else if let Some(p) = current_role.and_then(|r| r.permissions.iter().find(|p| !holds(me, **p))) {
                        Some(format!("{} holds {p}, which your role does not, so you cannot change their role.", u.username))
                    } else if shared.roles.ready().is_none() {
                        Some("The roles could not be loaded.".to_owned())
                    } else {
                        None
                    };
                    let mut choices = shared.grantable(&u.tenant_id);
                    if !choices.iter().any(|r| r.id == u.role_id) {
                        choices.insert(0, akashone_types::central::RoleOut {
                            id: u.role_id.clone(), name: u.role_name.clone(), tenant_id: None, permissions: vec![], builtin: false,
                        });
                    }
                    let waiting = pending.as_ref().filter(|(id, _)| *id == u.id).map(|(_, r)| r.clone());
                    let selected_role = waiting.clone().unwrap_or_else(|| u.role_id.clone());
                    let on_role = {
                        let pending = pending.clone();
                        let (id, role) = (u.id.clone(), u.role_id.clone());
                        Callback::from(move |e: Event| {
                            let el: HtmlSelectElement = e.target_unchecked_into();
                            let v = el.value();
                            pending.set((v != role).then(|| (id.clone(), v)));
                        })
                    };
                    let new_name = waiting.as_ref().and_then(|w| roles.iter().find(|r| &r.id == w)).map(|r| r.name.clone()).unwrap_or_default();
                    html! {
                        <div class={classes!("user-item", waiting.is_some().then_some("open"))} key={u.id.clone()}>
                            <div class="table-row users-row" role="row" data-username={u.username.clone()} data-user-id={u.id.clone()}>
                                <span class="vm-cell c-name">{ &u.username }
                                    if u.id == me.id { <span class="badge badge-accent">{"You"}</span> }
                                </span>
                                <span class="vm-cell">{ &u.tenant_name }</span>
                                <span>
                                    <select class="select select-small" data-role-select={u.username.clone()} aria-label={format!("Role of {}", u.username)}
                                            disabled={reason.is_some() || submit.busy()} title={reason.clone().unwrap_or_else(|| format!("Role of {}", u.username))}
                                            onchange={on_role}>
                                        { for choices.iter().map(|r| html! {
                                            <option value={r.id.clone()} selected={r.id == selected_role}>{ &r.name }</option>
                                        }) }
                                    </select>
                                </span>
                                <span>
                                    if u.two_factor_enabled {
                                        <span class="state state-running" data-twofa="on">{"On"}</span>
                                    } else {
                                        <span class="state state-stopped" data-twofa="off">{"Off"}</span>
                                    }
                                </span>
                                <span class="muted" title={unix_time(u.created_at)}>{ unix_date(u.created_at) }</span>
                            </div>
                            if waiting.is_some() {
                                <div class="tenant-panel role-confirm" data-panel="role">
                                    <p>{ format!("Change the role of {} from {} to {}? It takes effect on their next request.", u.username, u.role_name, new_name) }</p>
                                    <div class="form-actions">
                                        <button class="button button-ghost" onclick={cancel.clone()}>{"Cancel"}</button>
                                        <button class="button button-primary" data-action="apply-role" disabled={submit.busy()} onclick={apply.clone()}>
                                            { if submit.busy() { "Changing…" } else { "Change role" } }
                                        </button>
                                    </div>
                                </div>
                            }
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewUserProps {
    shared: Shared,
    on_done: Callback<()>,
    on_close: Callback<()>,
}

/// What the server accepts as a user name: 3–64 of `a-z 0-9 . _ @ -`.
fn username_problem(name: &str) -> Option<&'static str> {
    let n = name.chars().count();
    if name.is_empty() {
        Some("Enter a user name.")
    } else if !(3..=64).contains(&n) {
        Some("The user name needs 3 to 64 characters.")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._@-".contains(c))
    {
        Some("The user name may only use a–z, 0–9 and . _ @ -")
    } else {
        None
    }
}

#[component]
fn NewUser(props: &NewUserProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let shared = &props.shared;
    let tenant = use_state(|| shared.me.tenant_id.clone());
    let username = use_state(String::new);
    let password = use_state(String::new);
    let role = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = use_submit();
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |_| {
            if let Some(el) = first.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }
    let choices = shared.grantable(&tenant);
    let role_ok = choices.iter().any(|r| r.id == *role);
    let pw_n = password.chars().count();
    let problem = username_problem(username.trim())
        .map(str::to_owned)
        .or_else(|| {
            (pw_n < MIN_PASSWORD).then(|| {
                format!("The password needs at least {MIN_PASSWORD} characters ({pw_n} so far).")
            })
        })
        .or_else(|| {
            (!role_ok).then(|| {
                if choices.is_empty() {
                    "There is no role you can give in this tenant.".to_owned()
                } else {
                    "Choose a role.".to_owned()
                }
            })
        });

    let text = |set: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            set.set(el.value());
        })
    };
    let pick = |set: UseStateHandle<String>| {
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            set.set(el.value());
        })
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_: MouseEvent| c.emit(()))
    };
    let on_key = {
        let c = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                c.emit(());
            }
        })
    };
    let onsubmit = {
        let (tenant, username, password, role, error, submit) = (
            tenant.clone(),
            username.clone(),
            password.clone(),
            role.clone(),
            error.clone(),
            submit.clone(),
        );
        let (live, toaster, done) = (live.clone(), toaster.clone(), props.on_done.clone());
        let ok = problem.is_none();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !ok || submit.busy() {
                return;
            }
            let form = RegisterRequest {
                tenant_id: Some((*tenant).clone()),
                username: username.trim().to_owned(),
                password: (*password).clone(),
                role_id: (*role).clone(),
            };
            password.set(String::new());
            let (error, live, toaster, done) =
                (error.clone(), live.clone(), toaster.clone(), done.clone());
            submit.send(cmd::UserCreate { form }, move |answer| match answer {
                Ok(u) => {
                    toaster.success(format!("User {} created in {}", u.username, u.tenant_name));
                    live.dispatch(LiveAction::CentralChanged);
                    done.emit(());
                }
                Err(e) => error.set(Some(e.message)),
            });
        })
    };

    html! {
        <form class="card form" id="user-form" onsubmit={onsubmit} onkeydown={on_key}>
            <div class="card-head"><h2>{"New user"}</h2></div>
            <div class="form-grid">
                <label class="field"><span>{"Tenant"}</span>
                    <select id="user-tenant" class="select" onchange={pick(tenant.clone())}>
                        { for shared.tenant_choices().into_iter().map(|(d, id, n)| html! {
                            <option value={id.clone()} selected={*tenant == id}>{ indented(d, &n) }</option>
                        }) }
                    </select>
                </label>
                <label class="field"><span>{"User name"}</span>
                    <input id="user-username" class="mono" ref={first} autocomplete="off" autocapitalize="off" spellcheck="false"
                           maxlength="64" placeholder="asha@acme" value={(*username).clone()} oninput={text(username.clone())} /></label>
                <label class="field"><span>{"Password"}</span>
                    <input id="user-password" type="password" autocomplete="new-password"
                           value={(*password).clone()} oninput={text(password.clone())} /></label>
                <label class="field"><span>{"Role"}</span>
                    <select id="user-role" class="select" onchange={pick(role.clone())}>
                        <option value="" selected={!role_ok} disabled=true>{"Choose a role…"}</option>
                        { for choices.iter().map(|r| html! {
                            <option value={r.id.clone()} selected={*role == r.id}>{ &r.name }{ if r.builtin { "" } else { " (custom)" } }</option>
                        }) }
                    </select>
                </label>
            </div>
            <p class="small muted">{ format!("The user signs in with this password (at least {MIN_PASSWORD} characters) and can change it \
                on the Security page. Only roles with no permission beyond yours are offered.") }</p>
            if let Some(e) = &*error {
                <div class="field-error" id="user-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div>
            }
            <div class="form-actions">
                <button type="button" class="button button-ghost" onclick={close}>{"Cancel"}</button>
                <button type="submit" class="button button-primary" id="user-submit" disabled={problem.is_some() || submit.busy()}
                        title={problem.clone().unwrap_or_default()}>
                    { if submit.busy() { "Creating…" } else { "Create user" } }
                </button>
                if let Some(p) = &problem {
                    <span class="small muted" id="user-reason">{ p }</span>
                }
            </div>
        </form>
    }
}
