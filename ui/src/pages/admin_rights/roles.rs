//! Roles: a permission matrix (a row per role, a column per permission, grouped by area) and the
//! form for a new custom role.

use super::Shared;
use crate::components::central::{
    holds, indented, lacks, load_error, loading, note, permission_groups, split_permission,
};
use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::hooks::{LiveAction, use_live};
use crate::hooks::{Load, use_submit};
use akashone_types::central::{CreateRole, Permission, RoleOut};
use akashone_types::commands as cmd;
use std::collections::BTreeSet;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RolesProps {
    pub shared: Shared,
}

#[component]
pub fn Roles(props: &RolesProps) -> Html {
    let shared = &props.shared;
    let me = &shared.me;
    let creating = use_state(|| false);
    let retry = {
        let r = shared.reload_roles.clone();
        Callback::from(move |_| r.emit(()))
    };
    if let Some(reason) = lacks(me, Permission::RolesRead) {
        return note(reason + " The roles cannot be listed.");
    }
    let roles = match &shared.roles {
        Load::Loading => return loading("the roles"),
        Load::Failed(e) => return load_error("the roles", e, retry),
        Load::Ready(r) => r.clone(),
    };
    let no_create = lacks(me, Permission::RolesCreate);
    let names = shared.tenant_names();
    let groups = permission_groups();
    let open = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(true))
    };
    let close = {
        let creating = creating.clone();
        Callback::from(move |_: ()| creating.set(false))
    };
    let builtin_n = roles.iter().filter(|r| r.builtin).count();

    html! {
        <div class="tab-body">
            <div class="toolbar">
                <h3 class="section-title">{"Roles"}</h3>
                <span class="small muted" id="role-count">
                    { format!("{} built in · {} custom", builtin_n, roles.len() - builtin_n) }
                </span>
                <span class="toolbar-fill"></span>
                <button class="button button-primary" id="role-new" onclick={open}
                        disabled={no_create.is_some() || *creating} title={no_create.clone().unwrap_or_default()}>
                    { Icon::Plus.render() }{"New role"}
                </button>
            </div>
            if let Some(r) = &no_create {
                { note(format!("{r} New roles cannot be defined.")) }
            }
            if *creating {
                <NewRole shared={shared.clone()} roles={roles.clone()} on_close={close} />
            }
            <div class="card matrix-card">
                <table class="matrix" id="roles-matrix">
                    <thead>
                        <tr class="matrix-areas">
                            <th rowspan="2" class="matrix-role">{"Role"}</th>
                            { for groups.iter().map(|(area, perms)| html! {
                                <th colspan={perms.len().to_string()} class="matrix-area">{ area }</th>
                            }) }
                        </tr>
                        <tr class="matrix-perms">
                            { for groups.iter().flat_map(|(_, perms)| perms.iter().enumerate().map(|(i, p)| html! {
                                <th class={classes!("matrix-perm", (i == 0).then_some("area-start"))} title={p.as_str()}>
                                    { split_permission(*p).1 }
                                </th>
                            })) }
                        </tr>
                    </thead>
                    <tbody>
                        if roles.is_empty() {
                            <tr><td class="table-empty muted" colspan={(Permission::ALL.len() + 1).to_string()}>{"No roles to show."}</td></tr>
                        }
                        { for roles.iter().map(|r| {
                            let owner = r.tenant_id.as_ref().map(|t| names.get(t).cloned().unwrap_or_else(|| t.clone()));
                            let mine = r.id == me.role_id;
                            html! {
                                <tr data-role-name={r.name.clone()} data-role-id={r.id.clone()} data-builtin={r.builtin.to_string()}>
                                    <th class="matrix-role" scope="row">
                                        <div class="role-name">{ &r.name }</div>
                                        <div class="role-meta">
                                            if r.builtin { <span class="badge">{"Built in"}</span> }
                                            if mine { <span class="badge badge-accent">{"Yours"}</span> }
                                            if let Some(o) = owner { <span class="small muted" title={format!("A custom role of {o}")}>{ format!("Custom · {o}") }</span> }
                                        </div>
                                    </th>
                                    { for groups.iter().flat_map(|(_, perms)| perms.iter().enumerate().map(|(i, p)| {
                                        let has = r.permissions.contains(p);
                                        html! {
                                            <td class={classes!("matrix-cell", has.then_some("on"), (i == 0).then_some("area-start"))}
                                                data-permission={p.as_str()} data-on={has.to_string()}
                                                title={format!("{} {} {}", r.name, if has { "has" } else { "does not have" }, p)}>
                                                if has { { Icon::Check.render() } } else { <span class="matrix-off" aria-label="no">{"·"}</span> }
                                            </td>
                                        }
                                    })) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewRoleProps {
    shared: Shared,
    roles: Vec<RoleOut>,
    on_close: Callback<()>,
}

#[component]
fn NewRole(props: &NewRoleProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let me = &props.shared.me;
    let name = use_state(String::new);
    let tenant = use_state(|| me.tenant_id.clone());
    let chosen = use_state(BTreeSet::<Permission>::new);
    let error = use_state(|| None::<String>);
    let submit = use_submit();
    let name_ref = use_node_ref();
    {
        let name_ref = name_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = name_ref.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }
    let groups = permission_groups();
    let trimmed = name.trim().to_owned();
    let taken = props.roles.iter().any(|r| {
        r.name.eq_ignore_ascii_case(&trimmed)
            && (r.builtin || r.tenant_id.as_deref() == Some(tenant.as_str()))
    });
    let problem = if trimmed.is_empty() {
        Some("Name the role.")
    } else if trimmed.chars().count() > 64 {
        Some("The name can have at most 64 characters.")
    } else if taken {
        Some("A role with this name already exists here.")
    } else if chosen.is_empty() {
        Some("Choose at least one permission.")
    } else {
        None
    };

    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            name.set(el.value());
        })
    };
    let on_tenant = {
        let tenant = tenant.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            tenant.set(el.value());
        })
    };
    let toggle = |p: Permission| {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| {
            let mut next = (*chosen).clone();
            if !next.remove(&p) {
                next.insert(p);
            }
            chosen.set(next);
        })
    };
    let all_mine = {
        let chosen = chosen.clone();
        let mine: BTreeSet<Permission> = me.permissions.iter().copied().collect();
        Callback::from(move |_: MouseEvent| chosen.set(mine.clone()))
    };
    let none = {
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| chosen.set(BTreeSet::new()))
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
        let (tenant, chosen, error, submit) = (
            tenant.clone(),
            chosen.clone(),
            error.clone(),
            submit.clone(),
        );
        let (live, toaster) = (live.clone(), toaster.clone());
        let (reload, close) = (props.shared.reload_roles.clone(), props.on_close.clone());
        let ok = problem.is_none();
        let trimmed = trimmed.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !ok || submit.busy() {
                return;
            }
            let form = CreateRole {
                tenant_id: Some((*tenant).clone()),
                name: trimmed.clone(),
                permissions: chosen.iter().copied().collect(),
            };
            let (error, live, toaster, reload, close) = (
                error.clone(),
                live.clone(),
                toaster.clone(),
                reload.clone(),
                close.clone(),
            );
            submit.send(cmd::RoleCreate { form }, move |answer| match answer {
                Ok(r) => {
                    toaster.success(format!("Role {} created", r.name));
                    reload.emit(());
                    live.dispatch(LiveAction::CentralChanged);
                    close.emit(());
                }
                Err(e) => error.set(Some(e.message)),
            });
        })
    };

    html! {
        <form class="card form" id="role-form" onsubmit={onsubmit} onkeydown={on_key}>
            <div class="card-head"><h2>{"New role"}</h2></div>
            <div class="form-grid">
                <label class="field"><span>{"Name"}</span>
                    <input id="role-name" ref={name_ref} maxlength="64" placeholder="Support desk" value={(*name).clone()} oninput={on_name} /></label>
                <label class="field"><span>{"Owned by"}</span>
                    <select id="role-tenant" class="select" onchange={on_tenant}>
                        { for props.shared.tenant_choices().into_iter().map(|(d, id, n)| html! {
                            <option value={id.clone()} selected={*tenant == id}>{ indented(d, &n) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <p class="small muted">{"The role can be given to users of the owning tenant and of the tenants below it. \
                You can only include permissions your own role has."}</p>
            <div class="perm-groups" id="role-permissions">
                { for groups.iter().map(|(area, perms)| html! {
                    <fieldset class="perm-group">
                        <legend>{ area }</legend>
                        { for perms.iter().map(|p| {
                            let allowed = holds(me, *p);
                            html! {
                                <label class={classes!("check", (!allowed).then_some("is-disabled"))}
                                       title={if allowed { p.as_str().to_owned() } else { format!("Your role does not include {p}, so you cannot grant it") }}>
                                    <input type="checkbox" data-permission={p.as_str()} disabled={!allowed}
                                           checked={chosen.contains(p)} onchange={toggle(*p)} />
                                    <span>{ split_permission(*p).1 }</span>
                                </label>
                            }
                        }) }
                    </fieldset>
                }) }
            </div>
            <div class="inline-actions">
                <button type="button" class="button button-ghost button-small" id="role-all" onclick={all_mine}>{"Select all I can grant"}</button>
                <button type="button" class="button button-ghost button-small" onclick={none}>{"Clear"}</button>
            </div>
            if let Some(e) = &*error {
                <div class="field-error" id="role-error" role="alert">{ Icon::Alert.render() }<span>{ e }</span></div>
            }
            <div class="form-actions">
                <button type="button" class="button button-ghost" onclick={close}>{"Cancel"}</button>
                <button type="submit" class="button button-primary" id="role-submit" disabled={problem.is_some() || submit.busy()}
                        title={problem.unwrap_or_default()}>
                    { if submit.busy() { "Creating…" } else { "Create role" } }
                </button>
                if let Some(p) = problem {
                    <span class="small muted" id="role-reason">{ p }</span>
                }
            </div>
        </form>
    }
}
