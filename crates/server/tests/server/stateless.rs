//! Two server instances sharing one PostgreSQL database hold no state of their own: a session
//! opened on one works on the other, a lockout counted on one holds on the other, and a logout
//! on one ends the session on both.

use std::sync::Arc;
use std::time::Duration;

use akashone_server::config::LoginLimits;
use reqwest::{Method, StatusCode};

use crate::support::{ADMIN, ADMIN_PASSWORD, Backend, TestStore, spawn_with_store};

#[tokio::test]
async fn two_instances_on_one_postgresql_database_share_everything() {
    let store = Arc::new(TestStore::new(Backend::Postgres).await);
    let limits = |c: &mut akashone_server::Config| {
        c.login_limits = LoginLimits {
            per_account: 3,
            per_ip: 1000,
            window: Duration::from_secs(900),
            lock_for: Duration::from_secs(900),
        };
    };
    let a = spawn_with_store(store.clone(), limits).await;
    let b = spawn_with_store(store.clone(), limits).await;
    assert!(
        b.server.bootstrap().created_admin.is_none(),
        "one bootstrap"
    );

    // Signed in on A, the token works on B.
    let token = a.token(ADMIN, ADMIN_PASSWORD).await;
    let me = b.get(&token, "/api/auth/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["username"], ADMIN);
    // A tenant created through B is seen through A.
    let t = b.tenant(&token, None, "Shared Tenant").await;
    let seen = a.get(&token, "/api/tenants").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert!(
        seen.body
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == t["id"]),
        "{}",
        seen.text
    );

    // Logout on B ends the session on A too.
    let out = b
        .call(Method::POST, Some(&token), "/api/auth/logout", None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    for app in [&a, &b] {
        let r = app.get(&token, "/api/auth/me").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }

    // Failures counted on A and on B add up to one lockout, which both enforce.
    for app in [&a, &b] {
        let r = app.login(ADMIN, "wrong-password-xyz").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    let third = a.login(ADMIN, "wrong-password-xyz").await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.text
    );
    for app in [&a, &b] {
        let r = app.login(ADMIN, ADMIN_PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
        assert_eq!(r.body["code"], "locked", "{}", r.text);
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .contains("for this account"),
            "{}",
            r.text
        );
    }
    // The earlier admin tokens of both instances still work on the other one.
    assert_eq!(a.get(&b.admin, "/api/auth/me").await.status, StatusCode::OK);
    assert_eq!(b.get(&a.admin, "/api/auth/me").await.status, StatusCode::OK);
    a.shutdown().await;
    b.shutdown().await;
}
