//! Users of a subtree and the roles they hold.

use std::collections::HashMap;

use akashone_types::central::{ScopeQuery, SetUserRole, UserOut};
use axum::Json;
use axum::extract::{Path, State};

use super::{ApiJson, ApiQuery, ErrorBody};
use crate::context::{AppState, Authorized, now, perm};
use crate::db::{Role, Tenant, User};
use crate::error::{Error, Result};

/// A user as listed, with the names of their tenant and role.
pub(crate) fn user_out(user: User, tenant: &Tenant, role: &Role) -> UserOut {
    UserOut {
        id: user.id,
        username: user.username,
        tenant_id: user.tenant_id,
        role_id: user.role_id,
        two_factor_enabled: user.totp_enabled,
        created_at: user.created_at,
        tenant_name: tenant.name.clone(),
        role_name: role.name.clone(),
    }
}

/// Users of the subtree (default: the caller's tenant), by user name. Requires `users.read`.
#[utoipa::path(
    get,
    path = "/api/users",
    tag = "users",
    security(("bearer" = [])),
    params(ScopeQuery),
    responses(
        (status = 200, description = "Users", body = [UserOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `users.read`", body = ErrorBody),
        (status = 404, description = "Outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersRead>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Json<Vec<UserOut>>> {
    let scope = caller
        .tenant_in_scope(&state, q.tenant_id.as_deref())
        .await?;
    let tenants: HashMap<String, Tenant> = state
        .db
        .subtree(&scope.path)
        .await?
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let mut roles: HashMap<String, Role> = HashMap::new();
    let mut out = Vec::new();
    for user in state.db.users_under(&scope.path).await? {
        let Some(tenant) = tenants.get(&user.tenant_id) else {
            continue;
        };
        if !roles.contains_key(&user.role_id) {
            let role = state
                .db
                .role(&user.role_id)
                .await?
                .ok_or_else(|| Error::Internal(format!("role {} is missing", user.role_id)))?;
            roles.insert(role.id.clone(), role);
        }
        let role = &roles[&user.role_id];
        out.push(user_out(user, tenant, role));
    }
    Ok(Json(out))
}

/// Gives a user of the subtree another role, one the caller may grant. The caller cannot change
/// their own role, nor that of a user holding permissions the caller lacks. Requires
/// `users.update`.
#[utoipa::path(
    put,
    path = "/api/users/{id}/role",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    request_body = SetUserRole,
    responses(
        (status = 200, description = "The user with the new role", body = UserOut),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `users.update`, the caller's own role, or a role the caller cannot grant", body = ErrorBody),
        (status = 404, description = "User or role outside the caller's subtree", body = ErrorBody),
    )
)]
pub(crate) async fn set_role(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersUpdate>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SetUserRole>,
) -> Result<Json<UserOut>> {
    let now = now();
    let not_found = || Error::NotFound(format!("User {id}"));
    let user = state.db.user(&id).await?.ok_or_else(not_found)?;
    let tenant = match state.db.tenant(&user.tenant_id).await? {
        Some(t) if caller.tenant.contains(&t) => t,
        _ => return Err(not_found()),
    };
    if user.id == caller.user.id {
        return Err(Error::Forbidden(
            "You cannot change your own role; ask an administrator above you.".into(),
        ));
    }
    let current = state
        .db
        .role(&user.role_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("role {} is missing", user.role_id)))?;
    if let Some(p) = current.permissions.iter().find(|p| !caller.can(**p)) {
        return Err(Error::Forbidden(format!(
            "{} holds {p}, which your own role does not; you cannot change their role.",
            user.username
        )));
    }
    let role = super::roles::assignable(&state, &caller, &tenant, req.role_id.trim()).await?;
    let result = state.db.set_user_role(&user.id, &role.id).await;
    let outcome = match &result {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "user.role",
            &format!("{} → {}", user.username, role.name),
            &outcome,
        )
        .await?;
    result?;
    let mut user = user;
    user.role_id = role.id.clone();
    Ok(Json(user_out(user, &tenant, &role)))
}
