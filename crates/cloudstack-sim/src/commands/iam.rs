//! Domains and accounts.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Ctx, job_reply};
use crate::error::ApiError;
use crate::state::jobs::Action;
use crate::state::model::{AccountKind, VmState};
use crate::state::{Ref, State};
use crate::util::{keyword_match, page_of, success, ts};

fn domain_param(cx: &Ctx, name: &str) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let d = s.lookup(cx.p, name, |r| match r {
        Ref::Domain(d) if !s.domains[d].removed => Some(d),
        _ => None,
    })?;
    if !cx.caller.is_root() && !s.domain_within(d, cx.caller.domain) {
        return Err(ApiError::permission_denied(format!(
            "Account '{}' does not have permission to access domain {}",
            s.accounts[cx.caller.account].name, s.domains[d].id
        )));
    }
    Ok(d)
}

/// Per-account VM counts: (total, running, stopped).
fn vm_counts(s: &State) -> Vec<(u32, u32, u32)> {
    let mut counts = vec![(0, 0, 0); s.accounts.len()];
    for vm in s
        .vms
        .iter()
        .filter(|v| !v.removed && v.state != VmState::Destroyed)
    {
        let c = &mut counts[vm.account];
        c.0 += 1;
        match vm.state {
            VmState::Running => c.1 += 1,
            VmState::Stopped => c.2 += 1,
            _ => {}
        }
    }
    counts
}

fn domain_json(s: &State, d: usize, vms: u32) -> Value {
    let dom = &s.domains[d];
    let mut v = json!({
        "id": dom.id,
        "name": dom.name,
        "level": dom.level,
        "haschild": s.domains.iter().any(|c| !c.removed && c.parent == Some(d)),
        "path": dom.path,
        "state": "Active",
        "created": ts(dom.created),
        "vmlimit": "Unlimited",
        "vmtotal": vms,
        "vmavailable": "Unlimited",
        "iplimit": "Unlimited",
        "ipavailable": "Unlimited",
        "volumelimit": "Unlimited",
        "volumeavailable": "Unlimited",
        "cpulimit": "Unlimited",
        "memorylimit": "Unlimited",
        "secondarystoragetotal": 0,
    });
    let o = v.as_object_mut().expect("object");
    if let Some(p) = dom.parent {
        o.insert("parentdomainid".into(), json!(s.domains[p].id));
        o.insert("parentdomainname".into(), json!(s.domains[p].name));
    }
    if let Some(nd) = &dom.network_domain {
        o.insert("networkdomain".into(), json!(nd));
    }
    v
}

/// listDomains: the caller's domain, or its whole subtree with `listall=true`.
pub(crate) fn list_domains(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let listall = p.flag_or("listall", false);
    let id = match p.get("id") {
        Some(_) => Some(domain_param(cx, "id")?),
        None => None,
    };
    let name = p.get("name");
    let level = p.int("level")?;
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.domains.len())
        .filter(|&d| {
            let dom = &s.domains[d];
            let visible = match id {
                Some(i) => d == i,
                None if listall && cx.caller.is_admin() => s.domain_within(d, cx.caller.domain),
                None => d == cx.caller.domain,
            };
            !dom.removed
                && visible
                && name.is_none_or(|n| dom.name == n)
                && level.is_none_or(|l| dom.level as i64 == l)
                && keyword_match(keyword, &[&dom.name])
        })
        .collect();
    let counts = vm_counts(s);
    let mut per_domain = vec![0u32; s.domains.len()];
    for (a, c) in counts.iter().enumerate() {
        per_domain[s.accounts[a].domain] += c.0;
    }
    page_of(p, s.knobs.max_page_size, "domain", &matching, |&d| {
        domain_json(s, d, per_domain[d])
    })
}

/// createDomain.
pub(crate) fn create_domain(cx: &mut Ctx) -> Result<Value, ApiError> {
    let name = cx.p.required("name")?.to_string();
    let parent = match cx.p.get("parentdomainid") {
        Some(_) => domain_param(cx, "parentdomainid")?,
        None => cx.caller.domain,
    };
    let s = &mut *cx.state;
    if s.domains
        .iter()
        .any(|d| !d.removed && d.parent == Some(parent) && d.name.eq_ignore_ascii_case(&name))
    {
        return Err(ApiError::invalid(format!(
            "Domain with name {name} already exists for the parent id={}",
            s.domains[parent].id
        )));
    }
    let d = crate::state::entities::add_domain(s, &name, Some(parent), OffsetDateTime::now_utc());
    s.domains[d].network_domain = cx.p.get("networkdomain").map(String::from);
    Ok(json!({ "domain": domain_json(s, d, 0) }))
}

/// updateDomain.
pub(crate) fn update_domain(cx: &mut Ctx) -> Result<Value, ApiError> {
    let d = domain_param(cx, "id")?;
    let s = &mut *cx.state;
    if let Some(name) = cx.p.get("name") {
        if d == 0 {
            return Err(ApiError::invalid(
                "ROOT domain can not be edited with a new name",
            ));
        }
        let parent = s.domains[d].parent;
        if s.domains.iter().enumerate().any(|(i, x)| {
            i != d && !x.removed && x.parent == parent && x.name.eq_ignore_ascii_case(name)
        }) {
            return Err(ApiError::invalid(format!(
                "Domain with name {name} already exists for the parent"
            )));
        }
        let old = s.domains[d].path.clone();
        let new = match parent {
            Some(p) => format!("{}/{name}", s.domains[p].path),
            None => name.to_string(),
        };
        s.domains[d].name = name.to_string();
        for dom in s.domains.iter_mut() {
            if dom.path == old || dom.path.starts_with(&format!("{old}/")) {
                dom.path = format!("{new}{}", &dom.path[old.len()..]);
            }
        }
    }
    if let Some(nd) = cx.p.get("networkdomain") {
        s.domains[d].network_domain = Some(nd.to_string());
    }
    let vms = vm_counts(s)
        .iter()
        .enumerate()
        .filter(|(a, _)| s.accounts[*a].domain == d)
        .map(|(_, c)| c.0)
        .sum();
    Ok(json!({ "domain": domain_json(s, d, vms) }))
}

/// deleteDomain (asynchronous).
pub(crate) fn delete_domain(cx: &mut Ctx) -> Result<Value, ApiError> {
    let d = domain_param(cx, "id")?;
    if d == 0 {
        return Err(ApiError::invalid("Can't delete ROOT domain"));
    }
    if d == cx.caller.domain {
        return Err(ApiError::permission_denied(
            "Can't delete the domain of the caller",
        ));
    }
    let cleanup = cx.p.flag_or("cleanup", false);
    let s = &mut *cx.state;
    let busy = s.domains.iter().any(|c| !c.removed && c.parent == Some(d))
        || s.accounts.iter().any(|a| !a.removed && a.domain == d);
    let id = s.domains[d].id.clone();
    let action = if busy && !cleanup {
        Action::DeleteDomain(usize::MAX - d)
    } else {
        Action::DeleteDomain(d)
    };
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.admin.domain.DeleteDomainCmd",
        Some(("Domain", id)),
        s.knobs.job_delay,
        None,
        action,
    );
    Ok(job_reply(s, job))
}

fn account_json(s: &State, a: usize, counts: (u32, u32, u32)) -> Value {
    let acc = &s.accounts[a];
    let domain = &s.domains[acc.domain];
    let (rolename, roletype) = acc.kind.role();
    let users: Vec<Value> = s
        .users
        .iter()
        .filter(|u| u.account == a)
        .map(|u| {
            json!({
                "id": u.id,
                "username": u.username,
                "firstname": u.firstname,
                "lastname": u.lastname,
                "email": u.email,
                "created": ts(u.created),
                "state": "enabled",
                "account": acc.name,
                "accountid": acc.id,
                "accounttype": acc.kind as u8,
                "roletype": roletype,
                "rolename": rolename,
                "domainid": domain.id,
                "domain": domain.name,
                "apikey": u.api_key,
                "iscallerchilddomain": false,
                "isdefault": a == 0,
            })
        })
        .collect();
    let ips = s
        .ips
        .iter()
        .filter(|i| !i.removed && i.account == a)
        .count();
    let vols = s
        .volumes
        .iter()
        .filter(|v| !v.removed && v.account == a)
        .count();
    let mut v = json!({
        "id": acc.id,
        "name": acc.name,
        "accounttype": acc.kind as u8,
        "roletype": roletype,
        "rolename": rolename,
        "domainid": domain.id,
        "domain": domain.name,
        "domainpath": domain.path,
        "state": "enabled",
        "created": ts(acc.created),
        "isdefault": a == 0,
        "groups": [],
        "vmtotal": counts.0,
        "vmrunning": counts.1,
        "vmstopped": counts.2,
        "iptotal": ips,
        "iplimit": "Unlimited",
        "ipavailable": "Unlimited",
        "volumetotal": vols,
        "volumelimit": "Unlimited",
        "volumeavailable": "Unlimited",
        "user": users,
    });
    if let (Some(o), Value::Object(extra)) =
        (v.as_object_mut(), super::limits::account_fields(s, a))
    {
        o.extend(extra);
    }
    v
}

/// listAccounts.
pub(crate) fn list_accounts(cx: &mut Ctx) -> Result<Value, ApiError> {
    let s = &*cx.state;
    let p = cx.p;
    let domain = match p.get("domainid") {
        Some(_) => domain_param(cx, "domainid")?,
        None => cx.caller.domain,
    };
    let recursive = p.flag_or("listall", false) || p.flag_or("isrecursive", false);
    let id = p.get("id");
    let name = p.get("name");
    let kind = p.int("accounttype")?;
    let keyword = p.get("keyword");
    let matching: Vec<usize> = (0..s.accounts.len())
        .filter(|&a| {
            let acc = &s.accounts[a];
            let in_scope = if cx.caller.is_admin() {
                acc.domain == domain || (recursive && s.domain_within(acc.domain, domain))
            } else {
                a == cx.caller.account
            };
            !acc.removed
                && in_scope
                && id.is_none_or(|x| acc.id == x)
                && name.is_none_or(|x| acc.name == x)
                && kind.is_none_or(|k| acc.kind as i64 == k)
                && keyword_match(keyword, &[&acc.name])
        })
        .collect();
    let counts = vm_counts(s);
    page_of(p, s.knobs.max_page_size, "account", &matching, |&a| {
        account_json(s, a, counts[a])
    })
}

/// createAccount: also creates the first user, with API keys (returned in `user`).
pub(crate) fn create_account(cx: &mut Ctx) -> Result<Value, ApiError> {
    let p = cx.p;
    for name in ["email", "firstname", "lastname", "password", "username"] {
        p.required(name)?;
    }
    let username = p.required("username")?.to_string();
    let name = p.get("account").unwrap_or(&username).to_string();
    let domain = match p.get("domainid") {
        Some(_) => domain_param(cx, "domainid")?,
        None => cx.caller.domain,
    };
    let kind = match p.int("accounttype")? {
        None | Some(0) => AccountKind::User,
        Some(1) if cx.caller.is_root() => AccountKind::RootAdmin,
        Some(2) => AccountKind::DomainAdmin,
        Some(t) => {
            return Err(ApiError::invalid(format!(
                "Invalid account type {t} given; unable to create user"
            )));
        }
    };
    let s = &mut *cx.state;
    if s.account_by_name(domain, &name).is_some() {
        return Err(ApiError::invalid(format!(
            "The specified account: {name} already exists"
        )));
    }
    let path = s.domains[domain].path.clone();
    let admin = kind != AccountKind::User;
    let _ = crate::state::entities::create_tenant(s, &path, &name, None, admin)
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let a = s.account_by_name(domain, &name).expect("account created");
    s.accounts[a].kind = kind;
    if let Some(u) = s.users.iter_mut().rev().find(|u| u.account == a) {
        u.username = username;
        u.firstname = p.required("firstname")?.to_string();
        u.lastname = p.required("lastname")?.to_string();
        u.email = p.required("email")?.to_string();
    }
    let mut v = account_json(s, a, (0, 0, 0));
    if let Some(users) = v["user"].as_array_mut() {
        for (u, user) in s
            .users
            .iter()
            .filter(|u| u.account == a)
            .zip(users.iter_mut())
        {
            user["secretkey"] = json!(u.secret_key);
        }
    }
    Ok(json!({ "account": v }))
}

fn account_param(cx: &Ctx) -> Result<usize, ApiError> {
    let s = &*cx.state;
    let a = match cx.p.get("id") {
        Some(_) => s.lookup(cx.p, "id", |r| match r {
            Ref::Account(a) if !s.accounts[a].removed => Some(a),
            _ => None,
        })?,
        None => {
            let name = cx.p.get("account").ok_or_else(|| {
                ApiError::invalid("Either provide account id or account name and domain id")
            })?;
            let d = match cx.p.get("domainid") {
                Some(_) => domain_param(cx, "domainid")?,
                None => cx.caller.domain,
            };
            s.account_by_name(d, name).ok_or_else(|| {
                ApiError::invalid(format!(
                    "Unable to find account {name} in domain id={}",
                    s.domains[d].id
                ))
            })?
        }
    };
    s.check_access(&cx.caller, a, &s.accounts[a].id)?;
    Ok(a)
}

/// updateAccount.
pub(crate) fn update_account(cx: &mut Ctx) -> Result<Value, ApiError> {
    let a = account_param(cx)?;
    let s = &mut *cx.state;
    if let Some(new) = cx.p.get("newname") {
        if s.account_by_name(s.accounts[a].domain, new)
            .is_some_and(|x| x != a)
        {
            return Err(ApiError::invalid(format!(
                "The specified account: {new} already exists"
            )));
        }
        s.accounts[a].name = new.to_string();
    }
    if let Some(nd) = cx.p.get("networkdomain") {
        s.accounts[a].network_domain = Some(nd.to_string());
    }
    let counts = vm_counts(s)[a];
    Ok(json!({ "account": account_json(s, a, counts) }))
}

/// deleteAccount (asynchronous).
pub(crate) fn delete_account(cx: &mut Ctx) -> Result<Value, ApiError> {
    let a = account_param(cx)?;
    if a == 0 {
        return Err(ApiError::invalid(
            "Deletion of the default root admin account is not allowed.",
        ));
    }
    if a == cx.caller.account {
        return Err(ApiError::invalid(
            "Deletion of the caller's own account is not allowed.",
        ));
    }
    let s = &mut *cx.state;
    let id = s.accounts[a].id.clone();
    let (job, _) = s.submit(
        &cx.caller,
        "org.apache.cloudstack.api.command.admin.account.DeleteAccountCmd",
        Some(("Account", id)),
        s.knobs.job_delay,
        None,
        Action::DeleteAccount(a),
    );
    Ok(job_reply(s, job))
}

fn remove_account(s: &mut State, a: usize, when: OffsetDateTime) {
    s.accounts[a].removed = true;
    let keys: Vec<String> = s
        .users
        .iter()
        .filter(|u| u.account == a)
        .map(|u| u.api_key.clone())
        .collect();
    for k in keys {
        s.api_keys.remove(&k);
    }
    for vm in s.vms.iter_mut().filter(|v| v.account == a && !v.removed) {
        if let Some(last) = vm.running.last_mut()
            && last.1.is_none()
        {
            last.1 = Some(when);
        }
        vm.destroyed_at.get_or_insert(when);
        vm.state = VmState::Expunging;
        vm.removed = true;
    }
    for v in s
        .volumes
        .iter_mut()
        .filter(|v| v.account == a && !v.removed)
    {
        v.removed = true;
        v.removed_at = Some(when);
    }
    for ip in s.ips.iter_mut().filter(|i| i.account == a && !i.removed) {
        ip.removed = true;
        ip.released = Some(when);
    }
    for n in s.networks.iter_mut().filter(|n| n.account == a) {
        n.removed = true;
    }
    for k in s.keypairs.iter_mut().filter(|k| k.account == a) {
        k.removed = true;
    }
    super::addresses::forget_account(s, a, when);
}

/// Completes domain and account deletions.
pub(crate) fn complete(
    s: &mut State,
    action: Action,
    when: OffsetDateTime,
) -> Result<Value, ApiError> {
    match action {
        Action::DeleteAccount(a) => {
            remove_account(s, a, when);
            Ok(success())
        }
        Action::DeleteDomain(d) if d >= s.domains.len() => Err(ApiError::internal(format!(
            "Failed to delete domain {}, because it has accounts or sub domains; use cleanup=true",
            s.domains[usize::MAX - d].id
        ))),
        Action::DeleteDomain(d) => {
            let doomed: Vec<usize> = (0..s.domains.len())
                .filter(|&x| s.domain_within(x, d))
                .collect();
            for &x in &doomed {
                s.domains[x].removed = true;
            }
            let accounts: Vec<usize> = (0..s.accounts.len())
                .filter(|&a| doomed.contains(&s.accounts[a].domain) && !s.accounts[a].removed)
                .collect();
            for a in accounts {
                remove_account(s, a, when);
            }
            Ok(success())
        }
        _ => unreachable!("not a domain or account job"),
    }
}
