//! Users of a subtree and role changes: scoped, never above the caller's own permissions.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{Backend, on_both, spawn_on};

async fn users_are_listed_per_subtree_and_roles_change_within_it(backend: Backend) {
    let app = spawn_on(backend).await;
    let reseller = app.tenant(&app.admin, None, "Reseller One").await;
    let rid = reseller["id"].as_str().unwrap().to_owned();
    let customer = app.tenant(&app.admin, Some(&rid), "Customer A").await;
    let cid = customer["id"].as_str().unwrap().to_owned();
    let other = app.tenant(&app.admin, None, "Reseller Two").await;
    let oid = other["id"].as_str().unwrap().to_owned();
    let r_admin = app
        .user(&app.admin, &rid, "r1-admin", "reseller-admin")
        .await;
    let c_op = app.user(&r_admin, &cid, "ca-operator", "operator").await;
    let _o_admin = app
        .user(&app.admin, &oid, "r2-admin", "customer-admin")
        .await;

    // The platform admin sees everyone; the reseller admin only its subtree.
    let all = app.get(&app.admin, "/api/users").await;
    assert_eq!(all.status, StatusCode::OK);
    let names: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["admin", "ca-operator", "r1-admin", "r2-admin"]);
    let mine = app.get(&r_admin, "/api/users").await;
    let names: Vec<&str> = mine
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ca-operator", "r1-admin"]);
    let op = &mine.body[0];
    assert_eq!(op["tenantName"], "Customer A");
    assert_eq!(op["roleName"], "operator");
    assert_eq!(op["twoFactorEnabled"], false);
    let op_id = op["id"].as_str().unwrap().to_owned();

    // Another reseller's tenant is not found.
    let cross = app
        .get(&r_admin, &format!("/api/users?tenantId={oid}"))
        .await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    assert!(!cross.text.contains("r2-admin"));

    // The reseller admin promotes the operator to a viewer and back.
    let put = |token: String, id: String, role: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::PUT,
                Some(&token),
                &format!("/api/users/{id}/role"),
                Some(json!({ "roleId": role })),
            )
            .await
        }
    };
    let changed = put(r_admin.clone(), op_id.clone(), "viewer").await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["roleName"], "viewer");
    let me = app.get(&c_op, "/api/auth/me").await;
    assert_eq!(
        me.body["roleId"], "viewer",
        "the next request sees the new role"
    );

    // Unknown role, own role, a user above the caller, a user outside the subtree.
    let unknown = put(r_admin.clone(), op_id.clone(), "no-such-role").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let r_admin_id = app.get(&r_admin, "/api/auth/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let own = put(r_admin.clone(), r_admin_id.clone(), "viewer").await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(
        own.body["message"]
            .as_str()
            .unwrap()
            .contains("your own role")
    );
    let c_admin = app.user(&r_admin, &cid, "ca-admin", "customer-admin").await;
    let up = put(c_admin.clone(), r_admin_id.clone(), "viewer").await;
    assert_eq!(
        up.status,
        StatusCode::NOT_FOUND,
        "the reseller admin is above"
    );
    let admin_id = app.get(&app.admin, "/api/auth/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let root = put(r_admin.clone(), admin_id, "viewer").await;
    assert_eq!(root.status, StatusCode::NOT_FOUND);
    // A viewer may list but not change roles.
    let viewer_put = put(c_op.clone(), op_id.clone(), "operator").await;
    assert_eq!(viewer_put.status, StatusCode::FORBIDDEN);
    let malformed = app
        .call(
            Method::PUT,
            Some(&r_admin),
            &format!("/api/users/{op_id}/role"),
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.body["code"], "invalid_input");

    // Nothing else changed, and the change is in the audit log.
    let me = app.get(&c_op, "/api/auth/me").await;
    assert_eq!(me.body["roleId"], "viewer");
    let audit = app.get(&r_admin, "/api/audit").await;
    assert!(
        audit
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "user.role" && a["result"] == "ok"),
        "{}",
        audit.text
    );
    app.shutdown().await;
}

on_both!(users_are_listed_per_subtree_and_roles_change_within_it);
