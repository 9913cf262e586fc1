//! Turning TOTP two-factor authentication on and off.

use akashone_types::central::{DisableRequest, EnableOut, EnableRequest, SetupOut};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ErrorBody};
use crate::context::{AppState, Caller, ClientIp, now};
use crate::crypto;
use crate::error::{Error, Result};
use crate::throttle::Guard;
use crate::totp;

/// Starts setup: a new secret (kept encrypted until confirmed) as URI and QR code.
#[utoipa::path(
    get,
    path = "/api/auth/2fa/setup",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scan the QR code, then POST a code to /api/auth/2fa/enable", body = SetupOut),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 409, description = "2FA is already on", body = ErrorBody),
    )
)]
pub(crate) async fn setup(State(state): State<AppState>, caller: Caller) -> Result<Json<SetupOut>> {
    if caller.user.totp_enabled {
        return Err(Error::Conflict(
            "Two-factor authentication is already on; disable it first.".into(),
        ));
    }
    let mut secret = zeroize::Zeroizing::new([0u8; 20]);
    rand::RngCore::fill_bytes(&mut rand::rng(), secret.as_mut());
    let t = totp::build(secret.as_ref(), &caller.user.username)?;
    let sealed = state
        .secrets
        .seal(secret.as_ref(), &caller.user.id)
        .map_err(Error::Internal)?;
    state
        .db
        .set_totp_pending(&caller.user.id, Some(&sealed))
        .await?;
    let uri = t
        .to_url()
        .map_err(|e| Error::Internal(format!("TOTP URI: {e}")))?;
    Ok(Json(SetupOut {
        qr_png: totp::qr_png_data_url(&uri)?,
        secret: t.secret().to_base32(),
        otpauth_uri: uri,
    }))
}

/// Turns 2FA on with a valid code for the secret from setup; returns ten recovery codes once.
#[utoipa::path(
    post,
    path = "/api/auth/2fa/enable",
    tag = "auth",
    security(("bearer" = [])),
    request_body = EnableRequest,
    responses(
        (status = 200, description = "On; store the recovery codes now", body = EnableOut),
        (status = 400, description = "The code is not valid", body = ErrorBody),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 409, description = "No setup in progress, or already on", body = ErrorBody),
    )
)]
pub(crate) async fn enable(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<EnableRequest>,
) -> Result<Json<EnableOut>> {
    let now = now();
    if caller.user.totp_enabled {
        return Err(Error::Conflict(
            "Two-factor authentication is already on.".into(),
        ));
    }
    let sealed = caller
        .user
        .totp_pending
        .as_deref()
        .ok_or_else(|| Error::Conflict("Start with GET /api/auth/2fa/setup.".into()))?;
    let secret = state
        .secrets
        .open(sealed, &caller.user.id)
        .map_err(Error::Internal)?;
    let t = totp::build(&secret, &caller.user.username)?;
    let Some(step) = totp::matching_step(&t, &req.code, now) else {
        return Err(Error::Invalid(
            "The code is not valid; check the device's clock and try the current code.".into(),
        ));
    };
    let codes = crypto::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crypto::sha256_hex(c)).collect();
    state
        .db
        .enable_totp(&caller.user.id, sealed, step, &hashes)
        .await?;
    state
        .audit(
            now,
            Some(&caller.user),
            Some(&caller.tenant.id),
            "auth.2fa.enable",
            &caller.user.username,
            "ok",
        )
        .await?;
    Ok(Json(EnableOut {
        recovery_codes: codes,
    }))
}

/// Turns 2FA off; needs the password and a code.
#[utoipa::path(
    post,
    path = "/api/auth/2fa/disable",
    tag = "auth",
    security(("bearer" = [])),
    request_body = DisableRequest,
    responses(
        (status = 204, description = "Off"),
        (status = 401, description = "No valid session", body = ErrorBody),
        (status = 403, description = "Wrong password or code", body = ErrorBody),
        (status = 409, description = "2FA is off", body = ErrorBody),
        (status = 429, description = "Locked after too many failed password or code checks", body = ErrorBody),
    )
)]
pub(crate) async fn disable(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    ApiJson(req): ApiJson<DisableRequest>,
) -> Result<StatusCode> {
    let now = now();
    if !caller.user.totp_enabled {
        return Err(Error::Conflict("Two-factor authentication is off.".into()));
    }
    let guard = Guard::enter(&state, &caller.user.username, &ip, now).await?;
    let password_ok = state
        .verify_password(&req.password, &caller.user.password_hash)
        .await?;
    let code_ok = password_ok && {
        let is_totp = req.code.trim().chars().all(|c| c.is_ascii_digit());
        let (code, recovery) = if is_totp {
            (Some(req.code.as_str()), None)
        } else {
            (None, Some(req.code.as_str()))
        };
        totp::check_second_factor(&state, &caller.user, code, recovery, now).await?
    };
    if !code_ok {
        let wrong = Error::Forbidden("The password or the code is wrong.".into());
        return Err(guard
            .failed(Some(&caller.user), "auth.2fa.disable", wrong)
            .await);
    }
    state.db.disable_totp(&caller.user.id).await?;
    guard.passed().await?;
    guard
        .audit(Some(&caller.user), "auth.2fa.disable", "ok")
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
