//! The tenant tree: list a subtree, create a tenant (and its CloudStack domain and account),
//! rename, move and suspend.

use akashone_cloudstack::api::{CreateAccount, CreateDomain};
use akashone_types::central::{CreateTenant, ScopeQuery, TenantOut, UpdateTenant};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, now, perm};
use crate::crypto;
use crate::db::Tenant;
use crate::error::{Error, Result};

impl From<&Tenant> for TenantOut {
    fn from(t: &Tenant) -> Self {
        TenantOut {
            id: t.id.clone(),
            parent_id: t.parent_id.clone(),
            name: t.name.clone(),
            depth: t.depth(),
            suspended: t.suspended,
            cloudstack_domain_id: t.cs_domain_id.clone(),
            cloudstack_account: t.cs_account.clone(),
            created_at: t.created_at,
        }
    }
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::Invalid(
            "The tenant name must have 1–100 characters.".into(),
        ));
    }
    Ok(name.to_owned())
}

/// A CloudStack-safe name: the tenant's name in lowercase ASCII plus its id, unique and stable.
fn cloudstack_name(name: &str, id: &str) -> String {
    let mut slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    let slug: String = slug.trim_matches('-').chars().take(40).collect();
    let short = &id[..id.len().min(8)];
    if slug.is_empty() {
        format!("tenant-{short}")
    } else {
        format!("{slug}-{short}")
    }
}

/// The subtree of a tenant, the tenant first. Requires `tenants.read`.
#[utoipa::path(
    get,
    path = "/api/tenants",
    tag = "tenants",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "The subtree, ordered from the top", body = [TenantOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `tenants.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::TenantsRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<TenantOut>>> {
    let top = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let tenants = state.db.subtree(&top.path).await?;
    Ok(Json(tenants.iter().map(TenantOut::from).collect()))
}

/// Creates a tenant under a parent in the caller's subtree, with its own CloudStack domain and a
/// domain-admin account in it. Requires `tenants.create`.
#[utoipa::path(
    post,
    path = "/api/tenants",
    tag = "tenants",
    security(("bearer" = [])),
    request_body = CreateTenant,
    responses(
        (status = 201, description = "Created", body = TenantOut),
        (status = 400, description = "Invalid name", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `tenants.create`", body = ErrorBody),
        (status = 404, description = "Parent outside the caller's subtree", body = ErrorBody),
        (status = 502, description = "CloudStack refused", body = ErrorBody),
        (status = 503, description = "CloudStack is not configured", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::TenantsCreate>,
    ApiJson(req): ApiJson<CreateTenant>,
) -> Result<(StatusCode, Json<TenantOut>)> {
    let now = now();
    let parent = caller
        .tenant_in_scope(&state, req.parent_id.as_deref())
        .await?;
    let name = check_name(&req.name)?;
    let id = crypto::random_id();
    let result = provision(&state, &parent, &id, &name).await;
    let (domain_id, account) = match result {
        Ok(v) => v,
        Err(e) => {
            state
                .audit(
                    now,
                    Some(&caller.user),
                    Some(&parent.id),
                    "tenant.create",
                    &name,
                    &format!("failed: {e}"),
                )
                .await?;
            return Err(e);
        }
    };
    let tenant = Tenant {
        path: Tenant::child_path(&parent.path, &id),
        id,
        parent_id: Some(parent.id.clone()),
        name,
        cs_domain_id: Some(domain_id),
        cs_account: Some(account),
        suspended: false,
        created_at: now,
    };
    state.db.insert_tenant(&tenant).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "tenant.create",
            &format!("{} ({})", tenant.name, tenant.id),
            "ok",
        )
        .await?;
    Ok((StatusCode::CREATED, Json(TenantOut::from(&tenant))))
}

/// Creates the CloudStack domain under the parent's and a domain-admin account in it.
async fn provision(
    state: &AppState,
    parent: &Tenant,
    id: &str,
    name: &str,
) -> Result<(String, String)> {
    let cs = state.cs()?;
    let parent_domain = state.tenant_domain(parent).await?;
    let cs_name = cloudstack_name(name, id);
    let domain = cs
        .create_domain(&CreateDomain {
            name: Some(cs_name.clone()),
            parentdomainid: Some(parent_domain),
            ..Default::default()
        })
        .await?;
    let domain_id = domain
        .id
        .ok_or_else(|| Error::Internal("CloudStack returned a domain without an id".into()))?;
    let account = cs
        .create_account(&CreateAccount {
            account: Some(cs_name.clone()),
            accounttype: Some(2),
            domainid: Some(domain_id.clone()),
            email: Some(format!("{cs_name}@tenants.akashone.invalid")),
            firstname: Some(name.chars().take(60).collect()),
            lastname: Some("Tenant".into()),
            username: Some(cs_name.clone()),
            // Nobody signs in to CloudStack as this account; the server acts for it.
            password: Some(crypto::random_token("", 24)),
            ..Default::default()
        })
        .await;
    match account {
        Ok(_) => Ok((domain_id, cs_name)),
        Err(e) => {
            // Leave no half-made tenant behind in CloudStack.
            if let Ok(job) = cs.delete_domain(&domain_id, true).await {
                let _ = job.wait(&Default::default()).await;
            }
            Err(e.into())
        }
    }
}

/// Renames, moves or suspends a tenant strictly below the caller's own. Requires
/// `tenants.update`.
#[utoipa::path(
    patch,
    path = "/api/tenants/{id}",
    tag = "tenants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Tenant id")),
    request_body = UpdateTenant,
    responses(
        (status = 200, description = "Updated", body = TenantOut),
        (status = 400, description = "Invalid name or a move under itself", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `tenants.update`, or the caller's own tenant", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::TenantsUpdate>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateTenant>,
) -> Result<Json<TenantOut>> {
    let now = now();
    let target = caller.tenant_in_scope(&state, Some(&id)).await?;
    if target.id == caller.tenant.id {
        return Err(Error::Forbidden(
            "You cannot change your own tenant; ask the tenant above it.".into(),
        ));
    }
    let name = req.name.as_deref().map(check_name).transpose()?;
    let new_parent = match req.parent_id.as_deref() {
        Some(p) if Some(p) != target.parent_id.as_deref() => {
            let parent = caller.tenant_in_scope(&state, Some(p)).await?;
            if target.contains(&parent) {
                return Err(Error::Invalid(
                    "A tenant cannot move under itself or its own subtree.".into(),
                ));
            }
            Some(parent)
        }
        _ => None,
    };
    let audit = |action: &'static str, detail: String| {
        let state = state.clone();
        let user = caller.user.clone();
        let tenant = target.id.clone();
        async move {
            state
                .audit(now, Some(&user), Some(&tenant), action, &detail, "ok")
                .await
        }
    };
    if let Some(name) = &name {
        state.db.rename_tenant(&target.id, name).await?;
        audit("tenant.rename", format!("{} → {name}", target.name)).await?;
    }
    if let Some(parent) = &new_parent {
        let new_path = Tenant::child_path(&parent.path, &target.id);
        state
            .db
            .move_tenant(&target.id, &parent.id, &target.path, &new_path)
            .await?;
        audit(
            "tenant.move",
            format!(
                "{} ({}) under {} ({})",
                target.name, target.id, parent.name, parent.id
            ),
        )
        .await?;
    }
    if let Some(s) = req.suspended.filter(|&s| s != target.suspended) {
        state.db.set_tenant_suspended(&target.id, s).await?;
        audit(
            if s { "tenant.suspend" } else { "tenant.resume" },
            format!("{} ({})", target.name, target.id),
        )
        .await?;
    }
    let updated = state
        .db
        .tenant(&target.id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("Tenant {}", target.id)))?;
    Ok(Json(TenantOut::from(&updated)))
}

#[cfg(test)]
mod tests {
    use super::cloudstack_name;

    #[test]
    fn cloudstack_names_are_safe_and_unique() {
        assert_eq!(
            cloudstack_name("Acme Cloud (Pune)", "0123456789abcdef"),
            "acme-cloud-pune-01234567"
        );
        assert_eq!(
            cloudstack_name("भारत", "ffeeddccbbaa0099"),
            "tenant-ffeeddcc"
        );
    }
}
