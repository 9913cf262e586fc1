//! Super Admin: the tenant tree (platform, resellers, customers) with what can be done to each
//! tenant: add a tenant below it, rename it, move it, suspend or resume it.

use crate::components::central::{
    central_gate, holds, lacks, load_error, loading, note, offline_banner, subtree_ids, tree_order,
};
use crate::components::icons::Icon;
use crate::components::page::PageHeader;
use crate::components::toast::use_toaster;
use crate::format::{plural, unix_date, unix_time};
use crate::hooks::use_shell;
use crate::hooks::{LiveAction, use_live};
use crate::hooks::{Load, Reload, use_load};
use crate::route::Route;
use crate::services::invoke;
use akashone_types::central::{CreateTenant, Me, Permission, TenantOut, UpdateTenant};
use akashone_types::commands as cmd;
use std::collections::{HashMap, HashSet};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[component]
pub fn SuperAdmin() -> Html {
    let live = use_live();
    let shell = use_shell();
    let body = match central_gate(&live, &shell, Route::SuperAdmin) {
        Ok((me, status)) => html! { <>{ offline_banner(&status) }<TenantTree me={me} /></> },
        Err(h) => h,
    };
    html! {
        <section class="page" data-page="super-admin">
            <PageHeader title="Super Admin" subtitle="The tenant tree: platform, resellers and their customers." />
            { body }
        </section>
    }
}

/// What is being done to one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    AddChild,
    Rename,
    Move,
    Suspend,
    Resume,
}

#[derive(Properties, PartialEq)]
struct TreeProps {
    me: Me,
}

/// Ids of tenants below a suspended one (they are blocked too).
fn blocked_by_parent(tenants: &[TenantOut]) -> HashSet<String> {
    let by_id: HashMap<&str, &TenantOut> = tenants.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = HashSet::new();
    for t in tenants {
        let mut parent = t.parent_id.as_deref();
        while let Some(p) = parent.and_then(|p| by_id.get(p)) {
            if p.suspended {
                out.insert(t.id.clone());
                break;
            }
            parent = p.parent_id.as_deref();
        }
    }
    out
}

#[component]
fn TenantTree(props: &TreeProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let reload = use_state(|| 0u32);
    let action = use_state(|| None::<(String, Action)>);
    let text = use_state(String::new);
    let target = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let input = use_node_ref();
    let me = &props.me;
    let can_read = holds(me, Permission::TenantsRead);
    let acting = live.status.as_ref().and_then(|s| s.acting_as.clone());

    let tenants = use_load(
        (
            *reload,
            can_read,
            live.central_version,
            acting.map(|a| a.id),
        ),
        Reload::ShowLoading,
        |(_, can_read, ..)| can_read.then_some(cmd::TenantsList {}),
    );
    // The field of an action has the focus when it opens.
    {
        let input = input.clone();
        use_effect_with((*action).clone(), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
                el.select();
            }
        });
    }

    let retry = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    if !can_read {
        return note(
            lacks(me, Permission::TenantsRead).unwrap_or_default()
                + " Ask an administrator above you for a role that can list tenants.",
        );
    }
    let list = match &*tenants {
        Load::Loading => return loading("the tenants"),
        Load::Failed(e) => return load_error("the tenants", e, retry),
        Load::Ready(l) => l.clone(),
    };

    let no_create = lacks(me, Permission::TenantsCreate);
    let no_update = lacks(me, Permission::TenantsUpdate);
    let own_reason =
        "This is your own tenant: only the tenant above it can rename, move or suspend it.";
    let blocked = blocked_by_parent(&list);
    let ordered = tree_order(&list);
    let names: HashMap<&str, &str> = list
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();

    let open = {
        let (action, text, target, error) =
            (action.clone(), text.clone(), target.clone(), error.clone());
        Callback::from(move |(id, a, name): (String, Action, String)| {
            error.set(None);
            target.set(String::new());
            text.set(if a == Action::Rename {
                name
            } else {
                String::new()
            });
            action.set(Some((id, a)));
        })
    };
    let cancel = {
        let (action, error) = (action.clone(), error.clone());
        Callback::from(move |_: ()| {
            error.set(None);
            action.set(None);
        })
    };
    let on_key = {
        let cancel = cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cancel.emit(());
            }
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            text.set(el.value());
        })
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            target.set(el.value());
        })
    };
    // Runs the open action on the server, then reloads the tree.
    let run = {
        let (action, text, target, error, busy) = (
            action.clone(),
            text.clone(),
            target.clone(),
            error.clone(),
            busy.clone(),
        );
        let (reload, live, toaster) = (reload.clone(), live.clone(), toaster.clone());
        let names: HashMap<String, String> = names
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Callback::from(move |_: ()| {
            let Some((id, a)) = (*action).clone() else {
                return;
            };
            if *busy {
                return;
            }
            let name = names.get(&id).cloned().unwrap_or_default();
            let new_name = text.trim().to_owned();
            let parent = (*target).clone();
            let (error, busy, reload, live, toaster, action) = (
                error.clone(),
                busy.clone(),
                reload.clone(),
                live.clone(),
                toaster.clone(),
                action.clone(),
            );
            let parent_name = names.get(&parent).cloned().unwrap_or_default();
            busy.set(true);
            spawn_local(async move {
                let change = |c: UpdateTenant| {
                    invoke(&cmd::TenantUpdate {
                        id: id.clone(),
                        change: c,
                    })
                };
                let none = UpdateTenant {
                    name: None,
                    parent_id: None,
                    suspended: None,
                };
                let result = match a {
                    Action::AddChild => invoke(&cmd::TenantCreate {
                        form: CreateTenant {
                            parent_id: Some(id.clone()),
                            name: new_name.clone(),
                        },
                    })
                    .await
                    .map(|t| format!("Tenant {} created under {name}", t.name)),
                    Action::Rename => change(UpdateTenant {
                        name: Some(new_name.clone()),
                        ..none
                    })
                    .await
                    .map(|t| format!("{name} renamed to {}", t.name)),
                    Action::Move => change(UpdateTenant {
                        parent_id: Some(parent),
                        ..none
                    })
                    .await
                    .map(|_| format!("{name} moved under {parent_name}")),
                    Action::Suspend | Action::Resume => change(UpdateTenant {
                        suspended: Some(a == Action::Suspend),
                        ..none
                    })
                    .await
                    .map(|t| {
                        format!(
                            "{} {}",
                            t.name,
                            if t.suspended { "suspended" } else { "resumed" }
                        )
                    }),
                };
                busy.set(false);
                match result {
                    Ok(done) => {
                        toaster.success(done);
                        error.set(None);
                        action.set(None);
                        reload.set(*reload + 1);
                        live.dispatch(LiveAction::CentralChanged);
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    let submit = {
        let run = run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run.emit(());
        })
    };

    let top = ordered.first().map(|(_, t)| (t.id.clone(), t.name.clone()));
    let add_top = {
        let open = open.clone();
        let top = top.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((id, name)) = top.clone() {
                open.emit((id, Action::AddChild, name));
            }
        })
    };
    let suspended_n = list.iter().filter(|t| t.suspended).count();
    let error_html = match &*error {
        Some(e) => {
            html! { <div class="field-error" id="tenant-action-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div> }
        }
        None => Html::default(),
    };

    let row = |depth: usize, t: &TenantOut| -> Html {
        let current = action
            .as_ref()
            .filter(|(id, _)| *id == t.id)
            .map(|(_, a)| *a);
        let own = t.id == me.tenant_id;
        let below = subtree_ids(&list, &t.id).len() - 1;
        let change_reason = if own {
            Some(own_reason.to_owned())
        } else {
            no_update.clone()
        };
        let button = |a: Action, icon: Icon, label: &str, reason: Option<String>, class: &str| {
            let open = open.clone();
            let (id, name) = (t.id.clone(), t.name.clone());
            let title = reason.clone().unwrap_or_else(|| label.to_owned());
            html! {
                <button class={classes!("icon-button", "row-action", class.to_owned(), (current == Some(a)).then_some("active"))}
                        data-action={format!("{a:?}").to_lowercase()} aria-label={label.to_owned()} title={title}
                        disabled={reason.is_some() || *busy}
                        onclick={Callback::from(move |_| open.emit((id.clone(), a, name.clone())))}>
                    { icon.render() }
                </button>
            }
        };
        let inherited = blocked.contains(&t.id);
        let state = if t.suspended {
            html! { <span class="state state-error" data-state="suspended">{"Suspended"}</span> }
        } else if inherited {
            html! { <span class="state state-other" data-state="blocked" title="A tenant above this one is suspended, so its users cannot sign in either">{"Suspended above"}</span> }
        } else {
            html! { <span class="state state-running" data-state="active">{"Active"}</span> }
        };
        let name_cell = if current == Some(Action::Rename) {
            let rename_ok = !text.trim().is_empty() && text.trim() != t.name;
            html! {
                <form class="inline-form rename" onsubmit={submit.clone()} onkeydown={on_key.clone()}>
                    <input id="tenant-rename-name" ref={input.clone()} value={(*text).clone()} oninput={on_text.clone()}
                           maxlength="100" aria-label="New name" />
                    <button type="submit" class="icon-button row-action save" id="tenant-rename-submit" aria-label="Save the new name"
                            disabled={!rename_ok || *busy} title={if rename_ok { "Save (Enter)" } else { "Type a new name" }}>
                        { Icon::Check.render() }
                    </button>
                    <button type="button" class="icon-button row-action" id="tenant-rename-cancel" aria-label="Cancel" title="Cancel (Esc)"
                            onclick={{ let c = cancel.clone(); Callback::from(move |_| c.emit(())) }}>
                        { Icon::Close.render() }
                    </button>
                </form>
            }
        } else {
            html! {
                <>
                    <span class="tenant-name">{ &t.name }</span>
                    if own { <span class="badge badge-accent">{"Your tenant"}</span> }
                    if below > 0 { <span class="small muted tenant-below">{ format!("{below} below") }</span> }
                </>
            }
        };
        let panel = match current {
            None => Html::default(),
            Some(Action::Rename) if error.is_some() => html! {
                <div class="tenant-panel" data-panel="rename">{ error_html.clone() }</div>
            },
            Some(Action::Rename) => Html::default(),
            Some(Action::AddChild) => {
                let ok = !text.trim().is_empty();
                html! {
                    <form class="tenant-panel" onsubmit={submit.clone()} onkeydown={on_key.clone()} data-panel="add">
                        <label class="field"><span>{ format!("Name of the new tenant under {}", t.name) }</span>
                            <input id="tenant-add-name" ref={input.clone()} value={(*text).clone()} oninput={on_text.clone()}
                                   maxlength="100" placeholder="Acme Cloud Pvt Ltd" /></label>
                        <p class="small muted">{"The server also creates the tenant's CloudStack domain and account."}</p>
                        { error_html.clone() }
                        <div class="form-actions">
                            <button type="button" class="button button-ghost"
                                    onclick={{ let c = cancel.clone(); Callback::from(move |_| c.emit(())) }}>{"Cancel"}</button>
                            <button type="submit" class="button button-primary" id="tenant-add-submit" disabled={!ok || *busy}
                                    title={if ok { "" } else { "Type the new tenant's name" }}>
                                { if *busy { "Creating…" } else { "Create tenant" } }
                            </button>
                        </div>
                    </form>
                }
            }
            Some(Action::Move) => {
                let excluded = subtree_ids(&list, &t.id);
                let chosen = !target.is_empty() && Some(&*target) != t.parent_id.as_ref();
                html! {
                    <form class="tenant-panel" onsubmit={submit.clone()} onkeydown={on_key.clone()} data-panel="move">
                        <label class="field"><span>{ format!("Move {} under", t.name) }</span>
                            <select id="tenant-move-parent" class="select" onchange={on_target.clone()}>
                                <option value="" selected={target.is_empty()} disabled=true>{"Choose the new parent…"}</option>
                                { for ordered.iter().filter(|(_, c)| !excluded.contains(&c.id)).map(|(d, c)| {
                                    let is_parent = Some(&c.id) == t.parent_id.as_ref();
                                    html! {
                                        <option value={c.id.clone()} selected={*target == c.id} disabled={is_parent}>
                                            { crate::components::central::indented(*d, &c.name) }
                                            { if is_parent { " (current parent)" } else { "" } }
                                        </option>
                                    }
                                }) }
                            </select>
                        </label>
                        <p class="small muted">{ if below > 0 {
                            format!("{} and the {} below it move together. It cannot go under itself or its own subtree, so those are not offered.", t.name, plural(below, "tenant", "tenants"))
                        } else {
                            format!("{} cannot go under itself, so it is not offered.", t.name)
                        } }</p>
                        { error_html.clone() }
                        <div class="form-actions">
                            <button type="button" class="button button-ghost"
                                    onclick={{ let c = cancel.clone(); Callback::from(move |_| c.emit(())) }}>{"Cancel"}</button>
                            <button type="submit" class="button button-primary" id="tenant-move-submit" disabled={!chosen || *busy}
                                    title={if chosen { "" } else { "Choose the new parent" }}>
                                { if *busy { "Moving…" } else { "Move" } }
                            </button>
                        </div>
                    </form>
                }
            }
            Some(a @ (Action::Suspend | Action::Resume)) => {
                let suspend = a == Action::Suspend;
                let text = if suspend {
                    if below > 0 {
                        format!(
                            "Suspend {}? Users of {} and of the {} below it (the whole subtree) can no longer sign in, \
                                 and their sessions stop working, until it is resumed.",
                            t.name,
                            t.name,
                            plural(below, "tenant", "tenants")
                        )
                    } else {
                        format!(
                            "Suspend {}? Its users can no longer sign in, and their sessions stop working, until it is resumed.",
                            t.name
                        )
                    }
                } else {
                    format!(
                        "Resume {}? Its users{} can sign in again, unless a tenant above it is suspended.",
                        t.name,
                        if below > 0 {
                            " and those of the tenants below it"
                        } else {
                            ""
                        }
                    )
                };
                html! {
                    <div class={classes!("tenant-panel", suspend.then_some("confirm"))} onkeydown={on_key.clone()} data-panel={if suspend { "suspend" } else { "resume" }}>
                        <p>{ text }</p>
                        { error_html.clone() }
                        <div class="form-actions">
                            <button type="button" class="button button-ghost"
                                    onclick={{ let c = cancel.clone(); Callback::from(move |_| c.emit(())) }}>{"Cancel"}</button>
                            <button type="button" class={classes!("button", if suspend { "button-danger solid" } else { "button-primary" })}
                                    id={if suspend { "tenant-suspend-confirm" } else { "tenant-resume-confirm" }} disabled={*busy}
                                    onclick={{ let r = run.clone(); Callback::from(move |_| r.emit(())) }}>
                                { match (suspend, *busy) { (true, false) => "Suspend", (true, true) => "Suspending…", (false, false) => "Resume", (false, true) => "Resuming…" } }
                            </button>
                        </div>
                    </div>
                }
            }
        };
        html! {
            <div class={classes!("tenant-item", current.is_some().then_some("open"))} key={t.id.clone()}>
                <div class={classes!("table-row", "tenant-row", t.suspended.then_some("is-suspended"))} role="row"
                     data-tenant-name={t.name.clone()} data-tenant-id={t.id.clone()} data-depth={depth.to_string()}
                     data-suspended={t.suspended.to_string()}>
                    <span class="tree-cell" style={format!("--depth: {depth}")}>
                        if depth > 0 { <span class="tree-elbow" aria-hidden="true"></span> }
                        { name_cell }
                    </span>
                    <span>{ state }</span>
                    <span class="mono small tenant-domain" title={match (&t.cloudstack_domain_id, &t.cloudstack_account) {
                        (Some(d), Some(a)) => format!("Domain {d} · account {a}"),
                        (Some(d), None) => format!("Domain {d}"),
                        _ => "No CloudStack domain recorded".to_owned(),
                    }}>
                        { t.cloudstack_domain_id.clone().unwrap_or_else(|| "—".into()) }
                    </span>
                    <span class="muted" title={unix_time(t.created_at)}>{ unix_date(t.created_at) }</span>
                    <span class="row-actions">
                        { button(Action::AddChild, Icon::Plus, "Add a tenant below", no_create.clone(), "") }
                        { button(Action::Rename, Icon::Edit, "Rename", change_reason.clone(), "") }
                        { button(Action::Move, Icon::Move, "Move under another tenant", change_reason.clone(), "") }
                        if t.suspended {
                            { button(Action::Resume, Icon::Play, "Resume", change_reason.clone(), "") }
                        } else {
                            { button(Action::Suspend, Icon::Pause, "Suspend", change_reason.clone(), "danger") }
                        }
                    </span>
                </div>
                { panel }
            </div>
        }
    };

    html! {
        <>
            <div class="toolbar">
                <h3 class="section-title">{"Tenants"}</h3>
                <span class="small muted" id="tenant-count">
                    { plural(list.len(), "tenant", "tenants") }
                    { if suspended_n > 0 { format!(" · {suspended_n} suspended") } else { String::new() } }
                </span>
                <span class="toolbar-fill"></span>
                <button class="button" id="tenant-refresh" onclick={{ let r = retry.clone(); Callback::from(move |_| r.emit(())) }}>
                    { Icon::Refresh.render() }{"Refresh"}
                </button>
                <button class="button button-primary" id="tenant-add-top" onclick={add_top}
                        disabled={no_create.is_some() || top.is_none()} title={no_create.clone().unwrap_or_else(|| "Add a tenant below the top one".into())}>
                    { Icon::Plus.render() }{"Add tenant"}
                </button>
            </div>
            if no_create.is_some() || no_update.is_some() {
                { note([no_create.clone(), no_update.clone().map(|r| r + " Renaming, moving and suspending are not available.")]
                    .into_iter().flatten().collect::<Vec<_>>().join(" ")) }
            }
            <div class="card table tenant-table" id="tenant-tree" role="table" aria-label="Tenant tree">
                <div class="table-row table-head tenant-row" role="row">
                    <span class="sortable">{"Tenant"}</span>
                    <span class="sortable">{"State"}</span>
                    <span class="sortable">{"CloudStack domain"}</span>
                    <span class="sortable">{"Created"}</span>
                    <span class="sortable row-actions-head">{"Actions"}</span>
                </div>
                if ordered.is_empty() {
                    <div class="table-empty muted">{"No tenants to show."}</div>
                }
                { for ordered.iter().map(|(d, t)| row(*d, t)) }
            </div>
        </>
    }
}
