//! Admin Rights: roles and what each allows (a permission matrix), who holds which role, and the
//! audit log of the subtree.

mod audit;
mod roles;
mod users;

use crate::components::central::{central_gate, holds, offline_banner};
use crate::components::page::PageHeader;
use crate::hooks::use_live;
use crate::hooks::use_shell;
use crate::hooks::{Load, Reload, use_load};
use crate::route::Route;
use akashone_types::central::{Me, Permission, RoleOut, TenantOut};
use akashone_types::commands as cmd;
use std::collections::HashMap;
use yew::prelude::*;

#[component]
pub fn AdminRights() -> Html {
    let live = use_live();
    let shell = use_shell();
    let body = match central_gate(&live, &shell, Route::AdminRights) {
        Ok((me, status)) => html! { <>{ offline_banner(&status) }<Rights me={me} /></> },
        Err(h) => h,
    };
    html! {
        <section class="page" data-page="admin-rights">
            <PageHeader title="Admin Rights" subtitle="Roles and what they allow, who holds which role, and the audit log." />
            { body }
        </section>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Roles,
    Users,
    Audit,
}

const TABS: &[(Tab, &str, &str)] = &[
    (Tab::Roles, "tab-roles", "Roles"),
    (Tab::Users, "tab-users", "Users"),
    (Tab::Audit, "tab-audit", "Audit log"),
];

/// What the tabs share: the tenants (names, forms) and the roles (matrix, role pickers).
#[derive(Clone, PartialEq)]
pub struct Shared {
    pub me: Me,
    pub tenants: Load<Vec<TenantOut>>,
    pub roles: Load<Vec<RoleOut>>,
    /// Loads the roles again (after one is created).
    pub reload_roles: Callback<()>,
}

impl Shared {
    /// Tenant names by id, as far as they are known.
    pub fn tenant_names(&self) -> HashMap<String, String> {
        self.tenants
            .ready()
            .map(|l| l.iter().map(|t| (t.id.clone(), t.name.clone())).collect())
            .unwrap_or_default()
    }

    /// The tenants for a picker, in tree order with their depth; just the user's own when the
    /// list is not available.
    pub fn tenant_choices(&self) -> Vec<(usize, String, String)> {
        match self.tenants.ready() {
            Some(l) if !l.is_empty() => crate::components::central::tree_order(l)
                .into_iter()
                .map(|(d, t)| (d, t.id.clone(), t.name.clone()))
                .collect(),
            _ => vec![(0, self.me.tenant_id.clone(), self.me.tenant_name.clone())],
        }
    }

    /// The ids of a tenant and of the tenants above it, as far as the list goes.
    pub fn ancestry(&self, tenant_id: &str) -> Vec<String> {
        let mut out = vec![tenant_id.to_owned()];
        if let Some(list) = self.tenants.ready() {
            let parents: HashMap<&str, Option<&str>> = list
                .iter()
                .map(|t| (t.id.as_str(), t.parent_id.as_deref()))
                .collect();
            let mut at = tenant_id;
            while let Some(Some(p)) = parents.get(at) {
                if out.iter().any(|o| o == p) {
                    break;
                }
                out.push((*p).to_owned());
                at = p;
            }
        }
        out
    }

    /// Roles the user could give to someone in `tenant_id`: built-in roles and custom roles of
    /// that tenant or a tenant above it, with no permission the user lacks. The server decides.
    pub fn grantable(&self, tenant_id: &str) -> Vec<RoleOut> {
        let ancestry = self.ancestry(tenant_id);
        self.roles
            .ready()
            .map(|roles| {
                roles
                    .iter()
                    .filter(|r| r.permissions.iter().all(|p| holds(&self.me, *p)))
                    .filter(|r| {
                        r.builtin
                            || r.tenant_id
                                .as_ref()
                                .is_none_or(|t| ancestry.iter().any(|a| a == t))
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Properties, PartialEq)]
struct RightsProps {
    me: Me,
}

#[component]
fn Rights(props: &RightsProps) -> Html {
    let live = use_live();
    let tab = use_state(|| Tab::Roles);
    let roles_version = use_state(|| 0u32);
    let me = props.me.clone();
    let acting = live
        .status
        .as_ref()
        .and_then(|s| s.acting_as.as_ref().map(|a| a.id.clone()));

    let tenants = use_load(
        (
            holds(&me, Permission::TenantsRead),
            live.central_version,
            acting.clone(),
        ),
        Reload::KeepShown,
        |(can, ..)| can.then_some(cmd::TenantsList {}),
    );
    let roles = use_load(
        (
            holds(&me, Permission::RolesRead),
            *roles_version,
            live.central_version,
            acting,
        ),
        Reload::ShowLoading,
        |(can, ..)| can.then_some(cmd::RolesList {}),
    );

    let shared = Shared {
        me: me.clone(),
        tenants: (*tenants).clone(),
        roles: (*roles).clone(),
        reload_roles: {
            let v = roles_version.clone();
            Callback::from(move |_| v.set(*v + 1))
        },
    };

    let on_key = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = TABS.iter().position(|(t, ..)| *t == *tab).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % TABS.len(),
                "ArrowLeft" => (i + TABS.len() - 1) % TABS.len(),
                _ => return,
            };
            e.prevent_default();
            tab.set(TABS[next].0);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(TABS[next].1))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };

    html! {
        <>
            <div class="tabs" role="tablist" aria-label="Admin rights" onkeydown={on_key}>
                { for TABS.iter().map(|(t, id, label)| {
                    let selected = *tab == *t;
                    let set = { let tab = tab.clone(); let t = *t; Callback::from(move |_| tab.set(t)) };
                    html! {
                        <button id={*id} class={classes!("tab", selected.then_some("selected"))} role="tab"
                                aria-selected={selected.to_string()} tabindex={if selected { "0" } else { "-1" }} onclick={set}>
                            { *label }
                        </button>
                    }
                }) }
            </div>
            <div role="tabpanel" aria-labelledby={TABS.iter().find(|(t, ..)| *t == *tab).map(|(_, id, _)| *id).unwrap_or_default()}>
                { match *tab {
                    Tab::Roles => html! { <roles::Roles shared={shared.clone()} /> },
                    Tab::Users => html! { <users::Users shared={shared.clone()} /> },
                    Tab::Audit => html! { <audit::Audit shared={shared.clone()} /> },
                } }
            </div>
        </>
    }
}
