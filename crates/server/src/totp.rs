//! TOTP (RFC 6238) with replay protection, recovery codes and the QR code of the setup URI.

use std::io::Cursor;

use totp_rs::{Builder, Totp};

use crate::context::AppState;
use crate::crypto;
use crate::db::User;
use crate::error::{Error, Result};

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "AkashOne";

/// The TOTP of a secret: SHA-1, 6 digits, 30-second steps, one step of skew either way.
pub fn build(secret: &[u8], username: &str) -> Result<Totp> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(username.replace(':', "_"))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| Error::Internal(format!("TOTP: {e}")))
}

/// The step `code` belongs to at `now` (within the skew), if any.
pub fn matching_step(totp: &Totp, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp.check(&code, u64::try_from(now).ok()?)
        .and_then(|s| i64::try_from(s).ok())
}

/// A PNG of `text` as a QR code, as a `data:` URL.
pub fn qr_png_data_url(text: &str) -> Result<String> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    let img = code
        .render::<image::Luma<u8>>()
        .min_dimensions(240, 240)
        .build();
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| Error::Internal(format!("PNG: {e}")))?;
    Ok(format!(
        "data:image/png;base64,{}",
        crate::config::base64(&png)
    ))
}

/// The user's TOTP (2FA must be on).
pub fn user_totp(state: &AppState, user: &User) -> Result<Totp> {
    let sealed = user
        .totp_secret
        .as_deref()
        .ok_or_else(|| Error::Conflict("Two-factor authentication is off.".into()))?;
    let secret = state
        .secrets
        .open(sealed, &user.id)
        .map_err(Error::Internal)?;
    build(&secret, &user.username)
}

/// Checks a TOTP code (each step is accepted once) or a recovery code (each code once).
pub async fn check_second_factor(
    state: &AppState,
    user: &User,
    code: Option<&str>,
    recovery_code: Option<&str>,
    now: i64,
) -> Result<bool> {
    if let Some(code) = code.filter(|c| !c.trim().is_empty()) {
        let totp = user_totp(state, user)?;
        return match matching_step(&totp, code, now) {
            Some(step) => Ok(state.db.claim_totp_step(&user.id, step).await?),
            None => Ok(false),
        };
    }
    if let Some(rc) = recovery_code.filter(|c| !c.trim().is_empty()) {
        let hash = crypto::sha256_hex(&crypto::normalise_recovery_code(rc));
        return Ok(state.db.use_recovery_code(&user.id, &hash, now).await?);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_match_within_skew_only() {
        let t = build(&[7u8; 20], "asha").unwrap();
        let now = 1_800_000_000i64;
        let code = t.generate(now as u64).to_string();
        assert_eq!(matching_step(&t, &code, now), Some(now / 30));
        assert_eq!(matching_step(&t, &code, now + 30), Some(now / 30));
        assert_eq!(matching_step(&t, &code, now + 90), None);
        assert!(
            t.to_url()
                .unwrap()
                .starts_with("otpauth://totp/AkashOne:asha?")
        );
    }

    #[test]
    fn qr_is_a_png_data_url() {
        let url = qr_png_data_url("otpauth://totp/AkashOne:x?secret=ABC").unwrap();
        assert!(url.starts_with("data:image/png;base64,iVBOR"));
    }
}
