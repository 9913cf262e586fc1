//! TOTP two-factor authentication, with codes from an independent generator: Python's `pyotp`.

use std::path::PathBuf;
use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, Backend, on_both, spawn_on, spawn_with_on};

/// The Python interpreter with `pyotp`: `$AKASHONE_PYTHON`, else the project's venv under
/// `$HOME/.cache/akashone/pyenv`. Panics (the test fails, it is not skipped) when neither exists.
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("AKASHONE_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let fallback = home.join(".cache/akashone/pyenv/bin/python");
    assert!(
        fallback.exists(),
        "no Python with `pyotp`: set AKASHONE_PYTHON or run `cargo xtask setup` (it creates {})",
        fallback.display()
    );
    fallback
}

/// pyotp's code for the base32 `secret` at Unix time `at`.
pub(crate) fn pyotp(secret: &str, at: i64) -> String {
    let out = Command::new(python())
        .args([
            "-c",
            "import sys, pyotp; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
            secret,
            &at.to_string(),
        ])
        .output()
        .expect("run Python");
    assert!(
        out.status.success(),
        "pyotp failed (is `pyotp` installed? run `cargo xtask setup`): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(code.len(), 6, "{code}");
    code
}

/// pyotp parses our otpauth URI itself and agrees on the secret.
fn pyotp_parses(uri: &str) -> String {
    let out = Command::new(python())
        .args([
            "-c",
            "import sys, pyotp; t = pyotp.parse_uri(sys.argv[1]); print(t.secret, t.issuer, t.name, t.digits, t.interval)",
            uri,
        ])
        .output()
        .expect("run Python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn decode_qr(data_url: &str) -> String {
    use base64::Engine;
    let b64 = data_url
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URL");
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn enable_sign_in_refuse_replays_and_use_recovery_codes_once(backend: Backend) {
    let app = spawn_on(backend).await;
    let setup = app.get(&app.admin, "/api/auth/2fa/setup").await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.text);
    let uri = setup.body["otpauthUri"].as_str().unwrap();
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    assert!(uri.starts_with("otpauth://totp/AkashOne:admin?"), "{uri}");
    assert_eq!(decode_qr(setup.body["qrPng"].as_str().unwrap()), uri);
    assert_eq!(pyotp_parses(uri), format!("{secret} AkashOne {ADMIN} 6 30"));

    // Enabling needs a valid code.
    let bad = app
        .post(&app.admin, "/api/auth/2fa/enable", json!({"code": "12345"}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
    let t = now();
    let enabled = app
        .post(
            &app.admin,
            "/api/auth/2fa/enable",
            json!({"code": pyotp(&secret, t)}),
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.text);
    let codes: Vec<String> = enabled.body["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let again = app.get(&app.admin, "/api/auth/2fa/setup").await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The secret is encrypted at rest and recovery codes are stored hashed.
    {
        let of_admin = |col: &str| format!("SELECT {col} FROM users WHERE username = '{ADMIN}'");
        let sealed = app.store.blobs(&of_admin("totp_secret")).await;
        let sealed = sealed[0].clone().expect("a sealed secret");
        let pending = app.store.blobs(&of_admin("totp_pending")).await;
        assert!(pending[0].is_none());
        assert_eq!(sealed.len(), 12 + 20 + 16, "nonce + secret + tag");
        assert!(!String::from_utf8_lossy(&sealed).contains(&secret));
        let stored: Vec<String> = app
            .store
            .texts("SELECT code_hash FROM recovery_codes")
            .await
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(stored.len(), 10);
        assert!(stored.iter().all(|h| !codes.contains(h)));
    }

    // Password step → challenge.
    let challenge = |r: &crate::support::Reply| {
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["status"], "two_factor_required", "{}", r.text);
        assert!(r.body.get("token").is_none());
        r.body["challenge"].as_str().unwrap().to_owned()
    };
    let verify = |c: &str, body: serde_json::Value| {
        let mut body = body;
        body["challenge"] = json!(c);
        app.call(Method::POST, None, "/api/auth/verify-2fa", Some(body))
    };
    let c1 = challenge(&app.login(ADMIN, ADMIN_PASSWORD).await);
    // The code used to enable cannot be replayed.
    let replay = verify(&c1, json!({"code": pyotp(&secret, t)})).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "{}", replay.text);
    let next = pyotp(&secret, t + 30);
    let ok = verify(&c1, json!({"code": next})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let token = ok.body["token"].as_str().unwrap().to_owned();
    let me = app.get(&token, "/api/auth/me").await;
    assert_eq!(me.body["twoFactorEnabled"], true);
    // The challenge is spent.
    let spent = verify(&c1, json!({"code": next})).await;
    assert_eq!(spent.status, StatusCode::UNAUTHORIZED);

    // Same code, new challenge: still a replay.
    let c2 = challenge(&app.login(ADMIN, ADMIN_PASSWORD).await);
    let replay = verify(&c2, json!({"code": next})).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    // A recovery code works once (typed in capitals with spaces around it).
    let rc = verify(
        &c2,
        json!({"recoveryCode": format!(" {} ", codes[0].to_uppercase())}),
    )
    .await;
    assert_eq!(rc.status, StatusCode::OK, "{}", rc.text);
    let c3 = challenge(&app.login(ADMIN, ADMIN_PASSWORD).await);
    let reused = verify(&c3, json!({"recoveryCode": codes[0]})).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    let rc1 = verify(&c3, json!({"recoveryCode": codes[1]})).await;
    assert_eq!(rc1.status, StatusCode::OK);
    let bogus = verify("akc_unknown", json!({"code": "000000"})).await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);

    // Disabling needs the password and a code.
    let no_pw = app
        .post(
            &token,
            "/api/auth/2fa/disable",
            json!({"password": "not-the-password", "code": codes[2]}),
        )
        .await;
    assert_eq!(no_pw.status, StatusCode::FORBIDDEN);
    let no_code = app
        .post(
            &token,
            "/api/auth/2fa/disable",
            json!({"password": ADMIN_PASSWORD, "code": "000000"}),
        )
        .await;
    assert_eq!(no_code.status, StatusCode::FORBIDDEN);
    let off = app
        .post(
            &token,
            "/api/auth/2fa/disable",
            json!({"password": ADMIN_PASSWORD, "code": codes[2]}),
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.text);
    app.token(ADMIN, ADMIN_PASSWORD).await;
    app.shutdown().await;
}

async fn wrong_codes_count_towards_the_lockout(backend: Backend) {
    let app = spawn_on(backend).await;
    let setup = app.get(&app.admin, "/api/auth/2fa/setup").await;
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &app.admin,
            "/api/auth/2fa/enable",
            json!({"code": pyotp(&secret, now())}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let login = app.login(ADMIN, ADMIN_PASSWORD).await;
    let c = login.body["challenge"].as_str().unwrap().to_owned();
    let mut last = None;
    for _ in 0..5 {
        last = Some(
            app.call(
                Method::POST,
                None,
                "/api/auth/verify-2fa",
                Some(json!({"challenge": c, "recoveryCode": "zzzz-zzzz-zzzz"})),
            )
            .await,
        );
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS, "{}", last.text);
    assert_eq!(last.body["code"], "locked", "{}", last.text);
    app.shutdown().await;
}

on_both!(
    enable_sign_in_refuse_replays_and_use_recovery_codes_once,
    wrong_codes_count_towards_the_lockout,
);

/// 20 requests racing to verify the same code, each with its own challenge: exactly one session.
async fn one_code_signs_in_once_under_concurrent_attempts(backend: Backend) {
    let app = spawn_with_on(backend, |c| c.login_limits.per_account = 1000).await;
    let setup = app.get(&app.admin, "/api/auth/2fa/setup").await;
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    let t = now();
    let r = app
        .post(
            &app.admin,
            "/api/auth/2fa/enable",
            json!({"code": pyotp(&secret, t)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut challenges = Vec::new();
    for _ in 0..20 {
        let login = app.login(ADMIN, ADMIN_PASSWORD).await;
        assert_eq!(
            login.body["status"], "two_factor_required",
            "{}",
            login.text
        );
        challenges.push(login.body["challenge"].as_str().unwrap().to_owned());
    }
    let code = pyotp(&secret, t + 30);
    let url = format!("{}/api/auth/verify-2fa", app.server.url());
    let attempts = challenges.into_iter().map(|c| {
        let (http, url, code) = (app.http.clone(), url.clone(), code.clone());
        tokio::spawn(async move {
            http.post(url)
                .json(&json!({"challenge": c, "code": code}))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    app.shutdown().await;
}

on_both!(multi_thread: one_code_signs_in_once_under_concurrent_attempts);
