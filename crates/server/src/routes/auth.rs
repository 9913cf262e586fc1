//! Sign-in (two steps with 2FA), sessions, the current user, new users and password changes.

use akashone_types::central::{
    ChangePasswordRequest, LoginRequest, LoginResponse, MIN_PASSWORD_CHARS, Me, RegisterRequest,
    SessionOut, UserOut, Verify2faRequest,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ErrorBody};
use crate::context::{AppState, Authorized, Caller, ClientIp, now, perm, suspended};
use crate::crypto;
use crate::db::{Tenant, User};
use crate::error::{Error, Result};
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

fn locked(whose: &str, until: i64, now: i64) -> Error {
    let minutes = ((until - now).max(1) + 59) / 60;
    Error::Locked(format!(
        "Too many failed sign-ins {whose}: locked for {minutes} more minute{}. Try again later.",
        if minutes == 1 { "" } else { "s" }
    ))
}

/// Counts a failure against the account (when known) and the address; the error says whether a
/// lock has started.
async fn fail(
    state: &AppState,
    user: Option<&User>,
    attempted: &str,
    ip: &str,
    now: i64,
    msg: &str,
) -> Error {
    let limits = state.config.login_limits;
    let lock = limits.lock_for.as_secs() as i64;
    let ip_t = state
        .db
        .record_ip_failure(
            ip,
            now,
            limits.ip_window.as_secs() as i64,
            limits.per_ip,
            lock,
        )
        .await;
    let user_t = match user {
        Some(u) => Some(
            state
                .db
                .record_user_failure(&u.id, now, limits.per_account, lock)
                .await,
        ),
        None => None,
    };
    let _ = state
        .audit(
            now,
            user,
            user.map(|u| u.tenant_id.as_str()),
            "auth.login",
            attempted,
            &format!("failed: {msg}"),
        )
        .await;
    match (ip_t, user_t) {
        (Err(e), _) | (_, Some(Err(e))) => Error::Db(e),
        (_, Some(Ok(t))) if t.locked_until.is_some() => {
            locked("for this account", t.locked_until.unwrap_or(now), now)
        }
        (Ok(t), _) if t.locked_until.is_some() => {
            locked("from your address", t.locked_until.unwrap_or(now), now)
        }
        _ => Error::BadCredentials(msg.to_owned()),
    }
}

/// Refuses locked addresses and accounts, and users of suspended tenants.
async fn gate(state: &AppState, user: &User, ip: &str, now: i64) -> Result<Tenant> {
    if let Some(until) = state.db.ip_locked_until(ip, now).await? {
        return Err(locked("from your address", until, now));
    }
    if let Some(until) = user.locked_until.filter(|&u| u > now) {
        return Err(locked("for this account", until, now));
    }
    let tenant = state
        .db
        .tenant(&user.tenant_id)
        .await?
        .ok_or_else(|| Error::Internal("the user's tenant is missing".into()))?;
    if state.db.suspended_in_path(&tenant.path).await? {
        return Err(suspended());
    }
    Ok(tenant)
}

pub(crate) async fn issue_session(state: &AppState, user: &User, now: i64) -> Result<SessionOut> {
    let token = crypto::random_token("aks_", 32);
    let expires_at = now + state.config.session_ttl.as_secs() as i64;
    state
        .db
        .insert_session(&crypto::sha256_hex(&token), &user.id, now, expires_at)
        .await?;
    state.db.clear_user_failures(&user.id).await?;
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
    if let Some(until) = state.db.ip_locked_until(&ip, now).await? {
        return Err(locked("from your address", until, now));
    }
    let Some(user) = state.db.user_by_name(req.username.trim()).await? else {
        // Same work as for a real account, so timing does not reveal which names exist.
        state
            .verify_password(&req.password, &state.dummy_hash)
            .await?;
        return Err(fail(&state, None, req.username.trim(), &ip, now, WRONG_PASSWORD).await);
    };
    let tenant = gate(&state, &user, &ip, now).await?;
    if !state
        .verify_password(&req.password, &user.password_hash)
        .await?
    {
        return Err(fail(
            &state,
            Some(&user),
            &user.username,
            &ip,
            now,
            WRONG_PASSWORD,
        )
        .await);
    }
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
    let session = issue_session(&state, &user, now).await?;
    state
        .audit(
            now,
            Some(&user),
            Some(&tenant.id),
            "auth.login",
            &user.username,
            "ok",
        )
        .await?;
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
        return Err(fail(
            &state,
            None,
            "",
            &ip,
            now,
            "The sign-in challenge is unknown or expired; sign in again.",
        )
        .await);
    };
    let user = state
        .db
        .user(&user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let tenant = gate(&state, &user, &ip, now).await?;
    let ok = totp::check_second_factor(
        &state,
        &user,
        req.code.as_deref(),
        req.recovery_code.as_deref(),
        now,
    )
    .await?;
    if !ok {
        return Err(fail(
            &state,
            Some(&user),
            &user.username,
            &ip,
            now,
            "The code is wrong or was already used.",
        )
        .await);
    }
    state.db.delete_challenge(&hash).await?;
    let session = issue_session(&state, &user, now).await?;
    state
        .audit(
            now,
            Some(&user),
            Some(&tenant.id),
            "auth.login",
            &user.username,
            "ok (2fa)",
        )
        .await?;
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
        failed_logins: 0,
        locked_until: None,
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
    )
)]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<Json<SessionOut>> {
    let now = now();
    if !state
        .verify_password(&req.current_password, &caller.user.password_hash)
        .await?
    {
        state
            .audit(
                now,
                Some(&caller.user),
                Some(&caller.tenant.id),
                "auth.password",
                &caller.user.username,
                "denied: wrong current password",
            )
            .await?;
        return Err(Error::Forbidden("The current password is wrong.".into()));
    }
    check_password_policy(&req.new_password)?;
    let hash = state.hash_password(&req.new_password).await?;
    state.db.set_password(&caller.user.id, &hash).await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&caller.tenant.id),
            "auth.password",
            &caller.user.username,
            "ok",
        )
        .await?;
    let user = state
        .db
        .user(&caller.user.id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok(Json(issue_session(&state, &user, now).await?))
}
