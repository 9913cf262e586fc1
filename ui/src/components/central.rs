//! What the central server pages share: whether the active profile is a central server profile
//! and who is signed in, permission checks, list loading states, dates and the permission areas.

use crate::components::icons::Icon;
use crate::hooks::Live;
use crate::hooks::ShellContext;
use crate::hooks::SignInRequest;
use crate::route::Route;
use akashone_types::central::{Me, Permission};
use akashone_types::{ApiError, ConnectionStatus, Profile, ProfileKind, Reachability};
use yew::prelude::*;
use yew_router::prelude::*;

/// The active profile when it is a central server profile, with its URL and user name.
pub fn central_profile(status: Option<&ConnectionStatus>) -> Option<(&Profile, &str, &str)> {
    let profile = status?.profile.as_ref()?;
    match &profile.kind {
        ProfileKind::Central { url, username } => Some((profile, url.as_str(), username.as_str())),
        _ => None,
    }
}

/// Whether the signed-in user's role includes `p`.
pub fn holds(me: &Me, p: Permission) -> bool {
    me.permissions.contains(&p)
}

/// Why the user cannot do what needs `p`, or `None` when their role includes it.
pub fn lacks(me: &Me, p: Permission) -> Option<String> {
    (!holds(me, p)).then(|| format!("Your role ({}) does not include {}.", me.role_name, p))
}

/// The areas permissions are grouped by, in display order, with their labels.
pub const AREAS: &[(&str, &str)] = &[
    ("tenants", "Tenants"),
    ("users", "Users"),
    ("roles", "Roles"),
    ("audit", "Audit"),
    ("vms", "VMs"),
    ("catalog", "Catalog"),
    ("billing", "Billing"),
];

/// `vms.read` → (`vms`, `read`).
pub fn split_permission(p: Permission) -> (&'static str, &'static str) {
    p.as_str().split_once('.').unwrap_or((p.as_str(), ""))
}

/// Every permission grouped by area: the known areas in order, then any others.
pub fn permission_groups() -> Vec<(String, Vec<Permission>)> {
    let mut groups: Vec<(String, Vec<Permission>)> = AREAS
        .iter()
        .map(|(key, label)| {
            let perms = Permission::ALL
                .iter()
                .copied()
                .filter(|p| split_permission(*p).0 == *key)
                .collect();
            ((*label).to_owned(), perms)
        })
        .collect();
    for p in Permission::ALL {
        let area = split_permission(*p).0;
        if !AREAS.iter().any(|(k, _)| *k == area) {
            match groups.iter_mut().find(|(l, _)| l == area) {
                Some((_, v)) => v.push(*p),
                None => groups.push((area.to_owned(), vec![*p])),
            }
        }
    }
    groups.retain(|(_, v)| !v.is_empty());
    groups
}

/// A failed call: its message, its code, and a way to try again.
pub fn load_error(what: &str, e: &ApiError, retry: Callback<()>) -> Html {
    html! {
        <div class="banner banner-error" role="alert" data-error-code={e.code.to_string()}>
            { Icon::Alert.render() }
            <span class="banner-text"><strong>{ format!("Could not load {what}.") }</strong>{" "}{ &e.message }</span>
            <button class="button button-small" onclick={Callback::from(move |_| retry.emit(()))}>
                { Icon::Refresh.render() }{"Try again"}
            </button>
        </div>
    }
}

/// A list still loading.
pub fn loading(what: &str) -> Html {
    html! {
        <div class="card list-state muted" aria-busy="true">
            <span class="spinner"></span>{ format!("Loading {what}…") }
        </div>
    }
}

/// A notice inside a page: why something is not available.
pub fn note(text: impl Into<String>) -> Html {
    html! { <div class="notice small">{ Icon::Info.render() }<span>{ text.into() }</span></div> }
}

/// For the pages that need a central server: the signed-in user and the status, or what to show
/// instead (no central profile, signed out, connecting).
pub fn central_gate(
    live: &Live,
    shell: &ShellContext,
    route: Route,
) -> Result<(Me, ConnectionStatus), Html> {
    let status = live.status.as_ref();
    let Some(status) = status else {
        return Err(loading("the connection"));
    };
    let Some((profile, url, username)) = central_profile(Some(status)) else {
        let current = match status.profile.as_ref().map(|p| (&p.kind, &p.name)) {
            Some((ProfileKind::Demo, name)) => {
                format!("The profile in use, {name}, is the built-in demo cloud.")
            }
            Some((ProfileKind::CloudStack { .. }, name)) => {
                format!("The profile in use, {name}, talks to CloudStack directly.")
            }
            _ => "No connection profile is in use.".to_owned(),
        };
        return Err(html! {
            <div class="hero card" id="needs-central">
                <div class="hero-icon">{ route.icon().render() }</div>
                <div class="hero-text">
                    <h2>{"This page needs a central server profile"}</h2>
                    <p class="muted">{ format!("{} works with an AkashOne central server, which keeps the tenants, \
                        users, roles and sign-in security. {current}", route.title()) }</p>
                </div>
                <Link<Route> to={Route::Connect} classes="button button-primary">
                    {"Connect to a central server"}{ Icon::ArrowRight.render() }
                </Link<Route>>
            </div>
        });
    };
    match (&status.user, status.reachability) {
        (Some(me), r) if r != Reachability::SignedOut => Ok((me.clone(), status.clone())),
        (None, Reachability::Connecting) => Err(html! {
            <div class="card list-state muted" id="central-connecting">
                <span class="spinner"></span>{ format!("Connecting to {url}…") }
            </div>
        }),
        _ => {
            let open = shell.open_sign_in.clone();
            let request = SignInRequest {
                profile: profile.clone(),
                notice: None,
            };
            let onclick = Callback::from(move |_| open.emit(request.clone()));
            Err(html! {
                <div class="hero card" id="needs-sign-in">
                    <div class="hero-icon">{ Icon::Lock.render() }</div>
                    <div class="hero-text">
                        <h2>{ format!("Sign in to use {}", route.title()) }</h2>
                        <p class="muted">{"This page works with live data from the central server at "}
                            <span class="mono">{ url }</span>{". Sign in as "}<strong>{ username }</strong>{" to see it."}</p>
                    </div>
                    <button class="button button-primary" id="gate-sign-in" onclick={onclick}>
                        { Icon::Lock.render() }{"Sign in"}
                    </button>
                </div>
            })
        }
    }
}

/// While the central server does not answer: what that means for this page.
pub fn offline_banner(status: &ConnectionStatus) -> Html {
    if status.reachability != Reachability::Offline {
        return Html::default();
    }
    html! {
        <div class="banner banner-warn" id="central-offline" title={status.last_error.clone().unwrap_or_default()}>
            { Icon::Alert.render() }
            <span>{"The central server does not answer right now. What is shown may be out of date and changes will fail \
                until it is back; the console keeps trying by itself."}</span>
        </div>
    }
}

/// The tenants as a tree, top first: each tenant followed by its children (by name), with its
/// depth below the top of the list. Tenants whose parent is not listed start a tree of their
/// own (the user's tenant, normally the only one).
pub fn tree_order(
    tenants: &[akashone_types::central::TenantOut],
) -> Vec<(usize, &akashone_types::central::TenantOut)> {
    use std::collections::{BTreeMap, HashSet};
    let ids: HashSet<&str> = tenants.iter().map(|t| t.id.as_str()).collect();
    let mut children: BTreeMap<&str, Vec<&akashone_types::central::TenantOut>> = BTreeMap::new();
    let mut roots = Vec::new();
    for t in tenants {
        match t.parent_id.as_deref().filter(|p| ids.contains(p)) {
            Some(p) => children.entry(p).or_default().push(t),
            None => roots.push(t),
        }
    }
    let by_name = |a: &&akashone_types::central::TenantOut,
                   b: &&akashone_types::central::TenantOut| {
        a.name.to_lowercase().cmp(&b.name.to_lowercase())
    };
    for v in children.values_mut() {
        v.sort_by(by_name);
    }
    // The list comes top first: keep the first root first (the user's own tenant).
    let mut out = Vec::with_capacity(tenants.len());
    let mut stack: Vec<(usize, &akashone_types::central::TenantOut)> =
        roots.into_iter().rev().map(|t| (0, t)).collect();
    let mut seen = HashSet::new();
    while let Some((depth, t)) = stack.pop() {
        if !seen.insert(t.id.as_str()) {
            continue;
        }
        out.push((depth, t));
        if let Some(kids) = children.get(t.id.as_str()) {
            stack.extend(kids.iter().rev().map(|k| (depth + 1, *k)));
        }
    }
    out
}

/// The ids of a tenant and everything below it.
pub fn subtree_ids(
    tenants: &[akashone_types::central::TenantOut],
    root: &str,
) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::from([root.to_owned()]);
    loop {
        let before = out.len();
        for t in tenants {
            if t.parent_id.as_ref().is_some_and(|p| out.contains(p)) {
                out.insert(t.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// `name` indented for a `<select>` option (options cannot be styled): two spaces per level.
pub fn indented(depth: usize, name: &str) -> String {
    if depth == 0 {
        return name.to_owned();
    }
    format!("{}└ {name}", "\u{a0}\u{a0}\u{a0}".repeat(depth - 1))
}
