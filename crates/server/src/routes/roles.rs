//! Roles: the built-in ones and custom roles defined within a subtree.

use akashone_types::central::{CreateRole, RoleOut, ScopeQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, Caller, now, perm};
use crate::crypto;
use crate::db::{Role, Tenant};
use crate::error::{Error, Result};
use crate::rbac::{self};

impl From<Role> for RoleOut {
    fn from(r: Role) -> Self {
        RoleOut {
            id: r.id,
            name: r.name,
            tenant_id: r.tenant_id,
            permissions: r.permissions,
            builtin: r.builtin,
        }
    }
}

/// Ids of the tenants whose custom roles users of `tenant` may hold and the caller may see:
/// the ancestors of `tenant` from the caller's tenant down.
fn role_owners(caller: &Caller, tenant: &Tenant) -> Vec<String> {
    let skip = caller.tenant.depth();
    tenant
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(skip)
        .map(str::to_owned)
        .collect()
}

/// The role `role_id` if users of `tenant` may hold it and the caller may grant it.
pub(crate) async fn assignable(
    state: &AppState,
    caller: &Caller,
    tenant: &Tenant,
    role_id: &str,
) -> Result<Role> {
    let not_found = || Error::NotFound(format!("Role {role_id}"));
    let role = state.db.role(role_id).await?.ok_or_else(not_found)?;
    if let Some(owner) = &role.tenant_id
        && !role_owners(caller, tenant).contains(owner)
    {
        return Err(not_found());
    }
    if let Some(p) = role.permissions.iter().find(|p| !caller.can(**p)) {
        return Err(Error::Forbidden(format!(
            "The role {} includes {p}, which your own role does not; you cannot grant it.",
            role.name
        )));
    }
    Ok(role)
}

/// Roles usable in a tenant (built-in plus custom roles of its ancestors within the caller's
/// subtree and of its own subtree). Requires `roles.read`.
#[utoipa::path(
    get,
    path = "/api/roles",
    tag = "roles",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Roles", body = [RoleOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `roles.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::RolesRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<RoleOut>>> {
    let tenant = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let mut owners = role_owners(&caller, &tenant);
    owners.extend(
        state
            .db
            .subtree(&tenant.path)
            .await?
            .into_iter()
            .map(|t| t.id),
    );
    let roles = state.db.roles_of(&owners).await?;
    Ok(Json(roles.into_iter().map(RoleOut::from).collect()))
}

/// Defines a custom role in a tenant of the caller's subtree. Requires `roles.create`.
#[utoipa::path(
    post,
    path = "/api/roles",
    tag = "roles",
    security(("bearer" = [])),
    request_body = CreateRole,
    responses(
        (status = 201, description = "Created", body = RoleOut),
        (status = 400, description = "Invalid name", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `roles.create`, or permissions beyond the caller's", body = ErrorBody),
        (status = 404, description = "Tenant outside the caller's subtree", body = ErrorBody),
        (status = 409, description = "The name is taken in that tenant", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::RolesCreate>,
    ApiJson(req): ApiJson<CreateRole>,
) -> Result<(StatusCode, Json<RoleOut>)> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, req.tenant_id.as_deref())
        .await?;
    let name = req.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::Invalid(
            "The role name must have 1–64 characters.".into(),
        ));
    }
    if rbac::builtin_roles().iter().any(|(n, _)| *n == name) {
        return Err(Error::Conflict(format!("{name} is a built-in role.")));
    }
    if let Some(p) = req.permissions.iter().find(|p| !caller.can(**p)) {
        return Err(Error::Forbidden(format!(
            "Your role does not include {p}, so you cannot grant it."
        )));
    }
    let mut permissions = req.permissions.clone();
    permissions.sort();
    permissions.dedup();
    let role = Role {
        id: crypto::random_id(),
        tenant_id: Some(tenant.id.clone()),
        name,
        permissions,
        builtin: false,
    };
    let result = state.db.insert_role(&role).await;
    let outcome = match &result {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "role.create",
            &format!("{} ({})", role.name, role.id),
            &outcome,
        )
        .await?;
    result?;
    Ok((StatusCode::CREATED, Json(RoleOut::from(role))))
}
