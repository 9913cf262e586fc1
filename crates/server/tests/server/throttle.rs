//! One throttle for every password and code check, lockouts that look the same for names that
//! exist and names that do not, and oversized request bodies answered 413.

use std::time::Duration;

use akashone_server::config::LoginLimits;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    ADMIN, ADMIN_PASSWORD, Backend, PASSWORD, Reply, TestApp, on_both, spawn_with_on,
};
use crate::twofa::{now, pyotp};

/// Three failures of one account name lock it; addresses are not the limit here.
fn three_strikes(c: &mut akashone_server::Config) {
    c.login_limits = LoginLimits {
        per_account: 3,
        per_ip: 1000,
        window: Duration::from_secs(900),
        lock_for: Duration::from_secs(900),
    };
}

fn assert_locked(r: &Reply, whose: &str, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{what}: {}",
        r.text
    );
    assert_eq!(r.body["code"], "locked", "{what}: {}", r.text);
    let msg = r.body["message"].as_str().unwrap();
    assert!(
        msg.starts_with(&format!(
            "Too many failed sign-in attempts {whose}: locked for 15 more minutes"
        )),
        "{what}: {msg}"
    );
}

/// A user of the platform tenant with 2FA on: (token, TOTP secret, recovery codes).
async fn with_2fa(app: &TestApp, name: &str) -> (String, String, Vec<String>) {
    let me = app.get(&app.admin, "/api/auth/me").await;
    let root = me.body["tenantId"].as_str().unwrap().to_owned();
    let token = app.user(&app.admin, &root, name, "operator").await;
    let setup = app.get(&token, "/api/auth/2fa/setup").await;
    let secret = setup.body["secret"].as_str().unwrap().to_owned();
    let on = app
        .post(
            &token,
            "/api/auth/2fa/enable",
            json!({"code": pyotp(&secret, now())}),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.text);
    let codes = on.body["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (token, secret, codes)
}

async fn challenge(app: &TestApp, name: &str) -> String {
    let r = app.login(name, PASSWORD).await;
    assert_eq!(r.body["status"], "two_factor_required", "{}", r.text);
    r.body["challenge"].as_str().unwrap().to_owned()
}

async fn verify(app: &TestApp, body: Value) -> Reply {
    app.call(Method::POST, None, "/api/auth/verify-2fa", Some(body))
        .await
}

/// A code of this secret that is certainly not valid now (an hour old).
fn stale(secret: &str) -> String {
    pyotp(secret, now() - 3600)
}

async fn every_password_and_code_check_goes_through_one_lockout(backend: Backend) {
    let app = spawn_with_on(backend, three_strikes).await;
    let me = app.get(&app.admin, "/api/auth/me").await;
    let root = me.body["tenantId"].as_str().unwrap().to_owned();

    // Signing in.
    app.user(&app.admin, &root, "t-login", "viewer").await;
    for _ in 0..2 {
        let r = app.login("t-login", "not-the-password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    assert_locked(
        &app.login("t-login", "not-the-password").await,
        "for this account",
        "3rd sign-in",
    );
    assert_locked(
        &app.login("t-login", PASSWORD).await,
        "for this account",
        "right password while locked",
    );

    // Changing the password with a session: the guesses a stolen session could make.
    let token = app.user(&app.admin, &root, "t-pass", "viewer").await;
    let change = |current: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post(
                &token,
                "/api/auth/password",
                json!({"currentPassword": current, "newPassword": "another-long-password"}),
            )
            .await
        }
    };
    for _ in 0..2 {
        let r = change("not-the-password").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert_eq!(r.body["message"], "The current password is wrong.");
    }
    assert_locked(
        &change("not-the-password").await,
        "for this account",
        "3rd password change",
    );
    assert_locked(
        &change(PASSWORD).await,
        "for this account",
        "right current password while locked",
    );
    // The same lock holds for signing in, and the password did not change.
    assert_locked(
        &app.login("t-pass", PASSWORD).await,
        "for this account",
        "sign-in after password guesses",
    );
    assert_eq!(app.get(&token, "/api/auth/me").await.status, StatusCode::OK);

    // The 2FA step with TOTP codes.
    let (_, secret, _) = with_2fa(&app, "t-code").await;
    let c = challenge(&app, "t-code").await;
    for _ in 0..2 {
        let r = verify(&app, json!({"challenge": c, "code": stale(&secret)})).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    assert_locked(
        &verify(&app, json!({"challenge": c, "code": stale(&secret)})).await,
        "for this account",
        "3rd code",
    );
    let right = pyotp(&secret, now() + 30);
    assert_locked(
        &verify(&app, json!({"challenge": c, "code": right})).await,
        "for this account",
        "right code while locked",
    );

    // The 2FA step with recovery codes.
    let (_, _, codes) = with_2fa(&app, "t-recovery").await;
    let c = challenge(&app, "t-recovery").await;
    for _ in 0..2 {
        let r = verify(
            &app,
            json!({"challenge": c, "recoveryCode": "zzzz-zzzz-zzzz"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    assert_locked(
        &verify(
            &app,
            json!({"challenge": c, "recoveryCode": "zzzz-zzzz-zzzz"}),
        )
        .await,
        "for this account",
        "3rd recovery code",
    );
    assert_locked(
        &verify(&app, json!({"challenge": c, "recoveryCode": codes[0]})).await,
        "for this account",
        "right recovery code while locked",
    );

    // Turning 2FA off.
    let (token, secret, codes) = with_2fa(&app, "t-off").await;
    let off = |password: &'static str, code: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post(
                &token,
                "/api/auth/2fa/disable",
                json!({"password": password, "code": code}),
            )
            .await
        }
    };
    let r = off("not-the-password", codes[0].clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = off(PASSWORD, stale(&secret)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_locked(
        &off(PASSWORD, "zzzz-zzzz-zzzz".into()).await,
        "for this account",
        "3rd disable",
    );
    assert_locked(
        &off(PASSWORD, codes[1].clone()).await,
        "for this account",
        "right disable while locked",
    );
    let me = app.get(&token, "/api/auth/me").await;
    assert_eq!(me.body["twoFactorEnabled"], true, "2FA stayed on");

    // One failure of each kind adds up to one lock.
    let (token, secret, _) = with_2fa(&app, "t-mixed").await;
    assert_eq!(
        app.login("t-mixed", "not-the-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    let c = challenge(&app, "t-mixed").await;
    assert_eq!(
        verify(&app, json!({"challenge": c, "code": stale(&secret)}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .post(
            &token,
            "/api/auth/password",
            json!({"currentPassword": "not-the-password", "newPassword": "another-long-password"}),
        )
        .await;
    assert_locked(&r, "for this account", "mixed failures");

    // Each lock is audited once, with the address.
    let audit = app.get(&app.admin, "/api/audit?limit=500").await;
    let locks: Vec<&Value> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "auth.lockout")
        .collect();
    let mut who: Vec<&str> = locks.iter().map(|r| r["actor"].as_str().unwrap()).collect();
    who.sort();
    assert_eq!(
        who,
        [
            "t-code",
            "t-login",
            "t-mixed",
            "t-off",
            "t-pass",
            "t-recovery"
        ],
        "{locks:?}"
    );
    for l in &locks {
        assert_eq!(l["ip"], "127.0.0.1", "{l}");
        assert!(
            l["result"]
                .as_str()
                .unwrap()
                .starts_with("locked: the account is locked for 15 minutes after 3 failures"),
            "{l}"
        );
    }

    // A user sees their own failures, with the address, and nobody else's.
    app.user(&app.admin, &root, "t-seen", "viewer").await;
    for _ in 0..2 {
        app.login("t-seen", "not-the-password").await;
    }
    let seen = app.token("t-seen", PASSWORD).await;
    let mine = app.get(&seen, "/api/auth/failures").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    let rows = mine.body.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{}", mine.text);
    for r in rows {
        assert_eq!(r["action"], "auth.login");
        assert_eq!(r["actor"], "t-seen");
        assert_eq!(r["ip"], "127.0.0.1");
        assert_eq!(r["result"], "failed: Wrong user name or password.");
    }
    // The success forgot the account's failures: two more do not lock it.
    for _ in 0..2 {
        assert_eq!(
            app.login("t-seen", "not-the-password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let admins = app.get(&app.admin, "/api/auth/failures").await;
    assert_eq!(admins.body, json!([]), "{}", admins.text);
    app.shutdown().await;
}

async fn a_lockout_says_nothing_about_which_names_exist(backend: Backend) {
    let app = spawn_with_on(backend, three_strikes).await;
    for attempt in 1..=4 {
        let known = app.login(ADMIN, "not-the-password").await;
        let unknown = app.login("no-such-user", "not-the-password").await;
        assert_eq!(
            (known.status, &known.body),
            (unknown.status, &unknown.body),
            "attempt {attempt}"
        );
        if attempt < 3 {
            assert_eq!(known.status, StatusCode::UNAUTHORIZED);
        } else {
            assert_locked(&known, "for this account", "known name");
        }
    }
    // The right password of the known name is refused in the same words.
    let right = app.login(ADMIN, ADMIN_PASSWORD).await;
    let unknown = app.login("no-such-user", ADMIN_PASSWORD).await;
    assert_eq!((right.status, &right.body), (unknown.status, &unknown.body));
    // Both locks are audited, the unknown name's in the platform tenant.
    let audit = app.get(&app.admin, "/api/audit?limit=500").await;
    let mut who: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "auth.lockout")
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    who.sort();
    assert_eq!(who, [ADMIN, "no-such-user"]);
    app.shutdown().await;
}

async fn an_address_lock_reads_the_same_for_every_name(backend: Backend) {
    let app = spawn_with_on(backend, |c| {
        c.login_limits = LoginLimits {
            per_account: 1000,
            per_ip: 2,
            window: Duration::from_secs(900),
            lock_for: Duration::from_secs(900),
        };
    })
    .await;
    app.login("no-such-user", "x-x-x-x-x").await;
    app.login(ADMIN, "x-x-x-x-x").await;
    let known = app.login(ADMIN, ADMIN_PASSWORD).await;
    let unknown = app.login("no-such-user", "x-x-x-x-x").await;
    assert_locked(&known, "from your address", "known name");
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    app.shutdown().await;
}

/// POSTs `n` chunks of `size` bytes with chunked transfer encoding (no length up front) on a
/// plain socket, and reads the status and the JSON body of the answer.
async fn chunked(app: &TestApp, path: &str, n: usize, size: usize) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.server.addr())
        .await
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.admin
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'y'; size];
    for _ in 0..n {
        s.write_all(format!("{size:x}\r\n").as_bytes())
            .await
            .unwrap();
        s.write_all(&chunk).await.unwrap();
        s.write_all(b"\r\n").await.unwrap();
    }
    s.write_all(b"0\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer[9..12].parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    // The body may itself come chunked: take the JSON object inside.
    let json = &body[body.find('{').unwrap_or(0)..=body.rfind('}').unwrap_or(0)];
    (status, serde_json::from_str(json).unwrap_or(Value::Null))
}

async fn oversized_bodies_are_answered_413_and_the_server_keeps_serving(backend: Backend) {
    let app = spawn_with_on(backend, |_| {}).await;
    let url = |path: &str| format!("{}{path}", app.server.url());
    let read = |r: reqwest::Response| async move {
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        (status, body)
    };

    // 20 MB declared up front.
    let big = vec![b'x'; 20 * 1024 * 1024];
    let r = app
        .http
        .post(url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .expect("an answer, not a closed connection");
    let (status, body) = read(r).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], "invalid_input");
    assert_eq!(
        body["message"],
        "The request body is 20.0 MiB; POST /api/auth/login accepts at most 64 KiB."
    );

    // The same without a length: 1 MiB in chunks.
    let (status, body) = chunked(&app, "/api/tenants", 64, 16 * 1024).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        body["message"],
        "The request body is 1.0 MiB; POST /api/tenants accepts at most 64 KiB."
    );

    // The seller's profile carries a logo: 300 KiB is not too large there (it is not valid
    // either), 1 MiB is.
    let form = |n: usize| json!({"legalName": "x".repeat(n)}).to_string();
    let r = app
        .http
        .put(url("/api/billing/seller"))
        .bearer_auth(&app.admin)
        .header("content-type", "application/json")
        .body(form(300 * 1024))
        .send()
        .await
        .unwrap();
    let (status, body) = read(r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let r = app
        .http
        .put(url("/api/billing/seller"))
        .bearer_auth(&app.admin)
        .header("content-type", "application/json")
        .body(form(1024 * 1024))
        .send()
        .await
        .unwrap();
    let (status, body) = read(r).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .ends_with("PUT /api/billing/seller accepts at most 406 KiB."),
        "{body}"
    );

    // Nothing was lost and the server goes on serving.
    let tenants = app.get(&app.admin, "/api/tenants").await;
    assert_eq!(tenants.status, StatusCode::OK);
    assert_eq!(
        tenants.body.as_array().unwrap().len(),
        1,
        "{}",
        tenants.text
    );
    app.token(ADMIN, ADMIN_PASSWORD).await;
    app.shutdown().await;
}

on_both!(
    every_password_and_code_check_goes_through_one_lockout,
    a_lockout_says_nothing_about_which_names_exist,
    an_address_lock_reads_the_same_for_every_name,
    oversized_bodies_are_answered_413_and_the_server_keeps_serving,
);
