//! Sign-in, sessions, lockout, password changes and creating users.

use std::time::Duration;

use akashone_server::config::LoginLimits;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, Backend, PASSWORD, on_both, spawn_on, spawn_with_on};

async fn login_me_and_logout_revokes_the_token(backend: Backend) {
    let app = spawn_on(backend).await;
    let me = app.get(&app.admin, "/api/auth/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["username"], ADMIN);
    assert_eq!(me.body["roleId"], "super-admin");
    assert_eq!(me.body["twoFactorEnabled"], false);
    assert!(me.body["permissions"].as_array().unwrap().len() >= 10);

    let out = app
        .call(Method::POST, Some(&app.admin), "/api/auth/logout", None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let again = app.get(&app.admin, "/api/auth/me").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.body["code"], "unauthorized");

    let none = app.call(Method::GET, None, "/api/auth/me", None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let junk = app.get("aks_not-a-real-token", "/api/auth/me").await;
    assert_eq!(junk.status, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}

async fn only_token_hashes_are_stored(backend: Backend) {
    let app = spawn_on(backend).await;
    let hashes: Vec<String> = app
        .store
        .texts("SELECT token_hash FROM sessions")
        .await
        .into_iter()
        .flatten()
        .collect();
    assert!(!hashes.is_empty());
    assert!(hashes.iter().all(|h| h.len() == 64 && *h != app.admin));
    let phc = app.store.texts("SELECT password_hash FROM users").await;
    let phc = phc[0].as_deref().unwrap();
    assert!(phc.starts_with("$argon2id$"), "{phc}");
    app.shutdown().await;
}

async fn wrong_passwords_lock_the_account_with_a_clear_message(backend: Backend) {
    let app = spawn_with_on(backend, |c| {
        c.login_limits = LoginLimits {
            per_account: 3,
            per_ip: 1000,
            window: Duration::from_secs(900),
            lock_for: Duration::from_secs(2),
        };
    })
    .await;
    for i in 1..=2 {
        let r = app.login(ADMIN, "wrong-password-xyz").await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "attempt {i}: {}",
            r.text
        );
        assert_eq!(r.body["message"], "Wrong user name or password.");
    }
    let third = app.login(ADMIN, "wrong-password-xyz").await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.text
    );
    assert_eq!(third.body["code"], "locked", "{}", third.text);
    let msg = third.body["message"].as_str().unwrap();
    assert!(
        msg.contains("Too many failed sign-in attempts for this account"),
        "{msg}"
    );
    // Even the right password is refused while locked.
    let locked = app.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.body["code"], "locked", "{}", locked.text);
    // The lock runs out.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    app.token(ADMIN, ADMIN_PASSWORD).await;
    app.shutdown().await;
}

async fn failures_from_one_address_lock_that_address(backend: Backend) {
    let app = spawn_with_on(backend, |c| {
        c.login_limits = LoginLimits {
            per_account: 1000,
            per_ip: 4,
            window: Duration::from_secs(900),
            lock_for: Duration::from_secs(900),
        };
    })
    .await;
    for name in ["nobody-1", "nobody-2", "nobody-3"] {
        let r = app.login(name, "whatever-password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    let fourth = app.login("nobody-4", "whatever-password").await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fourth.body["code"], "locked", "{}", fourth.text);
    assert!(
        fourth.body["message"]
            .as_str()
            .unwrap()
            .contains("from your address"),
        "{}",
        fourth.text
    );
    let admin = app.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(admin.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(admin.body["code"], "locked", "{}", admin.text);
    app.shutdown().await;
}

async fn changing_the_password_revokes_every_session(backend: Backend) {
    let app = spawn_on(backend).await;
    let other = app.token(ADMIN, ADMIN_PASSWORD).await;
    let wrong = app
        .post(
            &app.admin,
            "/api/auth/password",
            json!({"currentPassword": "not-it-at-all", "newPassword": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let short = app
        .post(
            &app.admin,
            "/api/auth/password",
            json!({"currentPassword": ADMIN_PASSWORD, "newPassword": "short"}),
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(short.body["code"], "invalid_input");
    let ok = app
        .post(
            &app.admin,
            "/api/auth/password",
            json!({"currentPassword": ADMIN_PASSWORD, "newPassword": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let fresh = ok.body["token"].as_str().unwrap();
    for old in [&app.admin, &other] {
        assert_eq!(
            app.get(old, "/api/auth/me").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(app.get(fresh, "/api/auth/me").await.status, StatusCode::OK);
    assert_eq!(
        app.login(ADMIN, ADMIN_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.token(ADMIN, "a-brand-new-password").await;
    app.shutdown().await;
}

async fn admins_create_users_but_cannot_grant_more_than_they_hold(backend: Backend) {
    let app = spawn_on(backend).await;
    let me = app.get(&app.admin, "/api/auth/me").await;
    let root = me.body["tenantId"].as_str().unwrap().to_owned();
    let customer = app.tenant(&app.admin, None, "Kaveri Foods").await;
    let cid = customer["id"].as_str().unwrap();

    let cadmin = app
        .user(&app.admin, cid, "kaveri-admin", "customer-admin")
        .await;
    let me = app.get(&cadmin, "/api/auth/me").await;
    assert_eq!(me.body["tenantId"], cid);
    assert_eq!(me.body["tenantName"], "Kaveri Foods");

    // super-admin includes billing.manage, which customer-admin lacks.
    let escalate = app
        .post(
            &cadmin,
            "/api/auth/register",
            json!({"username": "kaveri-root", "password": PASSWORD, "roleId": "super-admin"}),
        )
        .await;
    assert_eq!(escalate.status, StatusCode::FORBIDDEN, "{}", escalate.text);
    // Users only within the caller's subtree.
    let outside = app
        .post(
            &cadmin,
            "/api/auth/register",
            json!({"tenantId": root, "username": "sneaky", "password": PASSWORD, "roleId": "viewer"}),
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "{}", outside.text);
    let op = app.user(&cadmin, cid, "kaveri-ops", "operator").await;
    let denied = app
        .post(
            &op,
            "/api/auth/register",
            json!({"username": "kaveri-x", "password": PASSWORD, "roleId": "viewer"}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.body["code"], "forbidden");
    let dup = app
        .post(
            &cadmin,
            "/api/auth/register",
            json!({"username": "kaveri-ops", "password": PASSWORD, "roleId": "viewer"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.text);
    let bad_name = app
        .post(
            &cadmin,
            "/api/auth/register",
            json!({"username": "No Spaces", "password": PASSWORD, "roleId": "viewer"}),
        )
        .await;
    assert_eq!(bad_name.status, StatusCode::BAD_REQUEST);
    let bad_body = app
        .call(
            Method::POST,
            Some(&cadmin),
            "/api/auth/register",
            Some(json!({"username": 5})),
        )
        .await;
    assert_eq!(bad_body.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_body.body["code"], "invalid_input");
    app.shutdown().await;
}

async fn without_a_configured_password_a_one_time_password_is_generated_once(backend: Backend) {
    let app = spawn_with_on(backend, |c| {
        c.admin_password = None;
        c.admin_user = "root-admin".into();
    })
    .await;
    let boot = app.server.bootstrap();
    assert_eq!(boot.created_admin.as_deref(), Some("root-admin"));
    let otp = boot
        .one_time_password
        .as_ref()
        .expect("a one-time password");
    assert!(otp.expose().len() >= 20);
    assert_eq!(format!("{otp:?}"), "\"***\"");
    // A second start on the same data creates nobody and prints nothing.
    let config = app.config_again();
    let second = akashone_server::Server::start(config).await.unwrap();
    assert!(second.bootstrap().created_admin.is_none());
    assert!(second.bootstrap().one_time_password.is_none());
    second.shutdown().await;
    app.shutdown().await;
}

on_both!(
    login_me_and_logout_revokes_the_token,
    only_token_hashes_are_stored,
    wrong_passwords_lock_the_account_with_a_clear_message,
    failures_from_one_address_lock_that_address,
    changing_the_password_revokes_every_session,
    admins_create_users_but_cannot_grant_more_than_they_hold,
    without_a_configured_password_a_one_time_password_is_generated_once,
);
