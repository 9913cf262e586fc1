//! Sign-in (two steps with 2FA), sessions, the current user, new users and password changes.

use akashone_types::central::{
    AuditOut, ChangePasswordRequest, LoginRequest, LoginResponse, MIN_PASSWORD_CHARS, Me,
    RegisterRequest, SessionOut, UserOut, Verify2faRequest,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ErrorBody};
use crate::context::{AppState, Authorized, Caller, ClientIp, now, perm, suspended};
use crate::crypto;
use crate::db::User;
use crate::error::{Error, Result};
use crate::throttle::Guard;
use crate::totp;

/// The signed-in user as the API shows it.
fn me_of(caller: &Caller) -> Me {
    Me {
        id: caller.user.id.clone(),
        username: caller.user.username.clone(),
        tenant_id: caller.tenant.id.clone(),
        tenant_name: caller.tenant.name.clone(),
        role_id: caller.role.id.clone(),
        role_name: caller.role.name.clone(),
        permissions: caller.role.permissions.clone(),
        two_factor_enabled: caller.user.totp_enabled,
    }
}

pub(crate) fn check_password_policy(p: &str) -> Result<()> {
    let n = p.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!(
            "The password must have at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    if n > 1024 {
        return Err(Error::Invalid(
            "The password must have at most 1024 characters.".into(),
        ));
    }
    Ok(())
}

fn check_username(u: &str) -> Result<()> {
    let ok = (3..=64).contains(&u.len())
        && u.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '@' | '-')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(
            "The user name must be 3–64 characters of a-z, 0-9, '.', '_', '@' and '-'.".into(),
        ))
    }
}

/// Refuses users of suspended tenants (asked only once the password is right, so that it says
/// nothing about which names exist).
async fn gate(state: &AppState, user: &User) -> Result<()> {
    let tenant = state
        .db
        .tenant(&user.tenant_id)
        .await?
        .ok_or_else(|| Error::Internal("the user's tenant is missing".into()))?;
    if state.db.suspended_in_path(&tenant.path).await? {
        return Err(suspended());
    }
    Ok(())
}

pub(crate) async fn issue_session(state: &AppState, user: &User, now: i64) -> Result<SessionOut> {
    let token = crypto::random_token("aks_", 32);
    let expires_at = now + state.config.session_ttl.as_secs() as i64;
    state
        .db
        .insert_session(&crypto::sha256_hex(&token), &user.id, now, expires_at)
        .await?;
    let tenant = state
        .db
        .tenant(&user.tenant_id)
        .await?
        .ok_or_else(|| Error::Internal("the user's tenant is missing".into()))?;
    let role = state
        .db
        .role(&user.role_id)
        .await?
        .ok_or_else(|| Error::Internal("the user's role is missing".into()))?;
    let caller = Caller {
        user: user.clone(),
        tenant,
        role,
        token_hash: String::new(),
    };
    Ok(SessionOut {
        token,
        expires_at,
        user: me_of(&caller),
    })
}

const WRONG_PASSWORD: &str = "Wrong user name or password.";

/// Password step of signing in.
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in, or a 2FA challenge", body = LoginResponse),
        (status = 401, description = "Wrong user name or password", body = ErrorBody),
        (status = 403, description = "The tenant is suspended", body = ErrorBody),
        (status = 429, description = "Locked after too many failures", body = ErrorBody),
    )
)]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let now = now();
    let name = req.username.trim();
    let guard = Guard::enter(&state, name, &ip, now).await?;
    let user = state.db.user_by_name(name).await?;
    // The same work for a name that is no account's, so that time does not tell them apart.
    let hash = user
        .as_ref()
        .map_or(&state.dummy_hash, |u| &u.password_hash);
    let right = state.verify_password(&req.password, hash).await?;
    let user = match user {
        Some(user) if right => user,
        user => {
            let wrong = Error::BadCredentials(WRONG_PASSWORD.into());
            return Err(guard.failed(user.as_ref(), "auth.login", wrong).await);
        }
    };
    gate(&state, &user).await?;
    if user.totp_enabled {
        let challenge = crypto::random_token("akc_", 32);
        let expires_at = now + state.config.challenge_ttl.as_secs() as i64;
        state
            .db
            .insert_challenge(&crypto::sha256_hex(&challenge), &user.id, expires_at)
            .await?;
        return Ok(Json(LoginResponse::TwoFactorRequired {
            challenge,
            expires_at,
        }));
    }
    guard.passed().await?;
    let session = issue_session(&state, &user, now).await?;
    guard.audit(Some(&user), "auth.login", "ok").await?;
    Ok(Json(LoginResponse::Authenticated(session)))
}

/// Second step: a TOTP code (or a recovery code) for the challenge.
#[utoipa::path(
    post,
    path = "/api/auth/verify-2fa",
    tag = "auth",
    request_body = Verify2faRequest,
    responses(
        (status = 200, description = "Signed in", body = SessionOut),
        (status = 401, description = "Unknown or expired challenge, wrong or reused code", body = ErrorBody),
        (status = 429, description = "Locked after too many failures", body = ErrorBody),
    )
)]
pub(crate) async fn verify_2fa(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<Verify2faRequest>,
) -> Result<Json<SessionOut>> {
    let now = now();
    let hash = crypto::sha256_hex(&req.challenge);
    let Some(user_id) = state.db.challenge_user(&hash, now).await? else {
        let guard = Guard::enter_address(&state, &ip, now).await?;
        let unknown = Error::BadCredentials(
            "The sign-in challenge is unknown or expired; sign in again.".into(),
        );
        return Err(guard.failed(None, "auth.login", unknown).await);
    };
    let user = state
        .db
        .user(&user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let guard = Guard::enter(&state, &user.username, &ip, now).await?;
    let ok = totp::check_second_factor(
        &state,
        &user,
        req.code.as_deref(),
        req.recovery_code.as_deref(),
        now,
    )
    .await?;
    if !ok {
        let wrong = Error::BadCredentials("The code is wrong or was already used.".into());
        return Err(guard.failed(Some(&user), "auth.login", wrong).await);
    }
    gate(&state, &user).await?;
    state.db.delete_challenge(&hash).await?;
    guard.passed().await?;
    let session = issue_session(&state, &user, now).await?;
    guard.audit(Some(&user), "auth.login", "ok (2fa)").await?;
    Ok(Json(session))
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid session", body = ErrorBody),
    )
)]
pub(crate) async fn me(caller: Caller) -> Json<Me> {
    Json(me_of(&caller))
}

/// How far back [`failures`] looks, and how many it shows at most.
const FAILURES_SINCE_SECS: i64 = 30 * 24 * 3600;
const FAILURES_SHOWN: i64 = 20;

/// The caller's own failed sign-ins, password and code checks and lockouts of the last 30 days,
/// newest first (at most 20), with the address each came from.
#[utoipa::path(
    get,
    path = "/api/auth/failures",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Failures, newest first", body = [AuditOut]),
        (status = 401, description = "No valid session", body = ErrorBody),
    )
)]
pub(crate) async fn failures(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AuditOut>>> {
    let since = now() - FAILURES_SINCE_SECS;
    let rows = state
        .db
        .failed_auth_of(&caller.user.id, since, FAILURES_SHOWN)
        .await?;
    Ok(Json(
        rows.into_iter().map(super::audit::audit_out).collect(),
    ))
}

/// Ends this session.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out; the token no longer works"),
        (status = 401, description = "No valid session", body = ErrorBody),
    )
)]
pub(crate) async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode> {
    let now = now();
    state.db.revoke_session(&caller.token_hash).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&caller.tenant.id),
            "auth.logout",
            &caller.user.username,
            "ok",
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates a user in the caller's subtree. Requires `users.create`; the role may not grant
/// permissions the caller lacks.
#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "auth",
    security(("bearer" = [])),
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Created", body = UserOut),
        (status = 400, description = "Invalid name or password", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Missing `users.create`, or the role grants more than the caller holds", body = ErrorBody),
        (status = 404, description = "Tenant or role outside the caller's subtree", body = ErrorBody),
        (status = 409, description = "The user name is taken", body = ErrorBody),
    )
)]
pub(crate) async fn register(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersCreate>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<UserOut>)> {
    let now = now();
    let tenant = caller
        .tenant_in_scope(&state, req.tenant_id.as_deref())
        .await?;
    let username = req.username.trim().to_owned();
    check_username(&username)?;
    check_password_policy(&req.password)?;
    let role = super::roles::assignable(&state, &caller, &tenant, &req.role_id).await?;
    let user = User {
        id: crypto::random_id(),
        tenant_id: tenant.id.clone(),
        username,
        password_hash: state.hash_password(&req.password).await?,
        role_id: role.id.clone(),
        totp_secret: None,
        totp_pending: None,
        totp_enabled: false,
        totp_last_step: None,
        created_at: now,
    };
    let result = state.db.insert_user(&user).await;
    let outcome = match &result {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&tenant.id),
            "user.create",
            &user.username,
            &outcome,
        )
        .await?;
    result?;
    Ok((
        StatusCode::CREATED,
        Json(super::users::user_out(user, &tenant, &role)),
    ))
}

/// Changes the caller's password; every session of the user is revoked and a new one returned.
#[utoipa::path(
    post,
    path = "/api/auth/password",
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; a new session", body = SessionOut),
        (status = 400, description = "The new password is too short", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "The current password is wrong", body = ErrorBody),
        (status = 429, description = "Locked after too many failed password or code checks", body = ErrorBody),
    )
)]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<Json<SessionOut>> {
    let now = now();
    let guard = Guard::enter(&state, &caller.user.username, &ip, now).await?;
    if !state
        .verify_password(&req.current_password, &caller.user.password_hash)
        .await?
    {
        let wrong = Error::Forbidden("The current password is wrong.".into());
        return Err(guard
            .failed(Some(&caller.user), "auth.password", wrong)
            .await);
    }
    guard.passed().await?;
    check_password_policy(&req.new_password)?;
    let hash = state.hash_password(&req.new_password).await?;
    state.db.set_password(&caller.user.id, &hash).await?;
    guard
        .audit(Some(&caller.user), "auth.password", "ok")
        .await?;
    let user = state
        .db
        .user(&caller.user.id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok(Json(issue_session(&state, &user, now).await?))
}
