//! The tenant tree mapped onto CloudStack domains, suspension, moves, roles and the audit log.

use akashone_cloudstack::api::{ListAccounts, ListDomains};
use akashone_cloudstack::{Client, ClientConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Backend, PASSWORD, TestApp, on_both, spawn_on};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(id).collect()
}

fn cloudstack(app: &TestApp) -> Client {
    Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap()
}

async fn a_tree_of_any_depth_maps_onto_cloudstack_domains(backend: Backend) {
    let app = spawn_on(backend).await;
    let root = app.get(&app.admin, "/api/tenants").await.body[0].clone();
    assert_eq!(root["depth"], 0);
    let reseller = app.tenant(&app.admin, None, "Sahyadri Cloud").await;
    let customer = app
        .tenant(&app.admin, Some(&id(&reseller)), "Kaveri Foods")
        .await;
    let sub = app
        .tenant(&app.admin, Some(&id(&customer)), "Kaveri Mysuru")
        .await;
    let subsub = app
        .tenant(&app.admin, Some(&id(&sub)), "Kaveri Mysuru Lab")
        .await;
    assert_eq!(subsub["depth"], 4);
    assert_eq!(subsub["parentId"], id(&sub));

    let cs = cloudstack(&app);
    for (child, parent) in [
        (&reseller, &root),
        (&customer, &reseller),
        (&sub, &customer),
        (&subsub, &sub),
    ] {
        let dom = child["cloudstackDomainId"].as_str().unwrap();
        let found = cs
            .list_domains(&ListDomains {
                id: Some(dom.to_owned()),
                listall: Some(true),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "domain of {}", child["name"]);
        assert_eq!(
            found[0].parentdomainid.as_deref(),
            parent["cloudstackDomainId"].as_str(),
            "parent of {}",
            child["name"]
        );
        let accounts = cs
            .list_accounts(&ListAccounts {
                domainid: Some(dom.to_owned()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            accounts
                .iter()
                .any(|a| a.name.as_deref() == child["cloudstackAccount"].as_str()),
            "account of {}",
            child["name"]
        );
    }

    // A reseller admin sees only the reseller's subtree.
    let radmin = app
        .user(
            &app.admin,
            &id(&reseller),
            "sahyadri-admin",
            "reseller-admin",
        )
        .await;
    let seen = app.get(&radmin, "/api/tenants").await;
    assert_eq!(
        ids(&seen.body),
        vec![id(&reseller), id(&customer), id(&sub), id(&subsub)]
    );
    let above = app
        .get(&radmin, &format!("/api/tenants?tenantId={}", id(&root)))
        .await;
    assert_eq!(above.status, StatusCode::NOT_FOUND);
    let sub_only = app
        .get(&radmin, &format!("/api/tenants?tenantId={}", id(&sub)))
        .await;
    assert_eq!(ids(&sub_only.body), vec![id(&sub), id(&subsub)]);
    let empty = app
        .post(&radmin, "/api/tenants", json!({"name": "  "}))
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    app.shutdown().await;
}

async fn suspending_a_tenant_stops_its_subtree_signing_in(backend: Backend) {
    let app = spawn_on(backend).await;
    let reseller = app.tenant(&app.admin, None, "Reseller").await;
    let customer = app
        .tenant(&app.admin, Some(&id(&reseller)), "Customer")
        .await;
    let sub = app.tenant(&app.admin, Some(&id(&customer)), "Sub").await;
    let radmin = app
        .user(&app.admin, &id(&reseller), "r-admin", "reseller-admin")
        .await;
    let cuser = app.user(&radmin, &id(&customer), "c-user", "viewer").await;
    let suser = app.user(&radmin, &id(&sub), "s-user", "viewer").await;

    let own = app
        .patch(
            &radmin,
            &format!("/api/tenants/{}", id(&reseller)),
            json!({"suspended": true}),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::FORBIDDEN,
        "own tenant: {}",
        own.text
    );

    let r = app
        .patch(
            &radmin,
            &format!("/api/tenants/{}", id(&customer)),
            json!({"suspended": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["suspended"], true);
    for name in ["c-user", "s-user"] {
        let login = app.login(name, PASSWORD).await;
        assert_eq!(
            login.status,
            StatusCode::FORBIDDEN,
            "{name}: {}",
            login.text
        );
        assert!(
            login.body["message"]
                .as_str()
                .unwrap()
                .contains("suspended")
        );
    }
    for token in [&cuser, &suser] {
        let me = app.get(token, "/api/auth/me").await;
        assert_eq!(me.status, StatusCode::FORBIDDEN);
    }
    // The reseller itself is unaffected.
    assert_eq!(
        app.get(&radmin, "/api/auth/me").await.status,
        StatusCode::OK
    );

    let resumed = app
        .patch(
            &radmin,
            &format!("/api/tenants/{}", id(&customer)),
            json!({"suspended": false}),
        )
        .await;
    assert_eq!(resumed.status, StatusCode::OK);
    app.token("s-user", PASSWORD).await;
    assert_eq!(app.get(&cuser, "/api/auth/me").await.status, StatusCode::OK);
    app.shutdown().await;
}

async fn rename_and_move_within_the_subtree_only(backend: Backend) {
    let app = spawn_on(backend).await;
    let root = app.get(&app.admin, "/api/tenants").await.body[0].clone();
    let r1 = app.tenant(&app.admin, None, "R1").await;
    let r2 = app.tenant(&app.admin, None, "R2").await;
    let c = app.tenant(&app.admin, Some(&id(&r1)), "C").await;
    let s = app.tenant(&app.admin, Some(&id(&c)), "S").await;
    let r1admin = app
        .user(&app.admin, &id(&r1), "r1-admin", "reseller-admin")
        .await;

    let renamed = app
        .patch(
            &r1admin,
            &format!("/api/tenants/{}", id(&c)),
            json!({"name": "C renamed"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert_eq!(renamed.body["name"], "C renamed");
    // Not under a tenant outside the caller's subtree.
    let away = app
        .patch(
            &r1admin,
            &format!("/api/tenants/{}", id(&c)),
            json!({"parentId": id(&r2)}),
        )
        .await;
    assert_eq!(away.status, StatusCode::NOT_FOUND);
    // Not under itself.
    let cycle = app
        .patch(
            &r1admin,
            &format!("/api/tenants/{}", id(&c)),
            json!({"parentId": id(&s)}),
        )
        .await;
    assert_eq!(cycle.status, StatusCode::BAD_REQUEST);
    // Not someone else's tenant.
    let foreign = app
        .patch(
            &r1admin,
            &format!("/api/tenants/{}", id(&r2)),
            json!({"name": "mine"}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // The platform moves S (with its subtree) from C to R2.
    let moved = app
        .patch(
            &app.admin,
            &format!("/api/tenants/{}", id(&s)),
            json!({"parentId": id(&r2)}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.body["parentId"], id(&r2));
    assert_eq!(moved.body["depth"], 2);
    let r1_tree = ids(&app.get(&r1admin, "/api/tenants").await.body);
    assert_eq!(r1_tree, vec![id(&r1), id(&c)]);
    let all = ids(&app.get(&app.admin, "/api/tenants").await.body);
    assert_eq!(all.len(), 5);
    assert_eq!(all[0], id(&root));
    app.shutdown().await;
}

async fn custom_roles_and_the_audit_log_stay_in_the_subtree(backend: Backend) {
    let app = spawn_on(backend).await;
    let reseller = app.tenant(&app.admin, None, "Reseller").await;
    let customer = app
        .tenant(&app.admin, Some(&id(&reseller)), "Customer")
        .await;
    let radmin = app
        .user(&app.admin, &id(&reseller), "r-admin", "reseller-admin")
        .await;
    let cadmin = app
        .user(&radmin, &id(&customer), "c-admin", "customer-admin")
        .await;

    let role = app
        .post(
            &radmin,
            "/api/roles",
            json!({"name": "VM watcher", "permissions": ["vms.read", "catalog.read", "vms.read"]}),
        )
        .await;
    assert_eq!(role.status, StatusCode::CREATED, "{}", role.text);
    assert_eq!(
        role.body["permissions"],
        json!(["vms.read", "catalog.read"])
    );
    let dup = app
        .post(
            &radmin,
            "/api/roles",
            json!({"name": "VM watcher", "permissions": []}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let builtin_name = app
        .post(
            &radmin,
            "/api/roles",
            json!({"name": "viewer", "permissions": []}),
        )
        .await;
    assert_eq!(builtin_name.status, StatusCode::CONFLICT);
    // customer-admin lacks billing.manage, so cannot put it in a role.
    let beyond = app
        .post(
            &cadmin,
            "/api/roles",
            json!({"name": "Biller", "permissions": ["billing.manage"]}),
        )
        .await;
    assert_eq!(beyond.status, StatusCode::FORBIDDEN);
    let unknown = app
        .post(
            &cadmin,
            "/api/roles",
            json!({"name": "X", "permissions": ["root.everything"]}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    // The reseller's role can be given to a customer user by the reseller.
    let watcher = app
        .user(&radmin, &id(&customer), "c-watcher", &id(&role.body))
        .await;
    let me = app.get(&watcher, "/api/auth/me").await;
    assert_eq!(me.body["roleName"], "VM watcher");
    assert_eq!(
        app.get(&watcher, "/api/tenants").await.status,
        StatusCode::FORBIDDEN
    );
    // The customer admin neither sees nor assigns it.
    let croles = app.get(&cadmin, "/api/roles").await;
    assert!(!ids(&croles.body).contains(&id(&role.body)));
    assert!(ids(&croles.body).contains(&"operator".to_owned()));
    let assign = app
        .post(
            &cadmin,
            "/api/auth/register",
            json!({"username": "c-other", "password": PASSWORD, "roleId": id(&role.body)}),
        )
        .await;
    assert_eq!(assign.status, StatusCode::NOT_FOUND);
    let rroles = app.get(&radmin, "/api/roles").await;
    assert!(ids(&rroles.body).contains(&id(&role.body)));

    // Audit: every change, scoped to the subtree.
    let radit = app.get(&radmin, "/api/audit").await;
    assert_eq!(radit.status, StatusCode::OK, "{}", radit.text);
    let rows = radit.body.as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    for expected in ["role.create", "user.create", "auth.login"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert!(!actions.contains(&"bootstrap.admin"), "{actions:?}");
    let role_row = rows
        .iter()
        .find(|r| r["action"] == "role.create" && r["result"] == "ok")
        .unwrap();
    assert_eq!(role_row["actor"], "r-admin");
    assert_eq!(role_row["tenantId"], id(&reseller));
    assert!(role_row["at"].as_str().unwrap().ends_with('Z'));
    let failed = rows
        .iter()
        .find(|r| r["action"] == "role.create" && r["result"] != "ok")
        .expect("the refused duplicate is audited too");
    assert!(failed["result"].as_str().unwrap().starts_with("failed"));

    let cadit = app.get(&cadmin, "/api/audit?limit=500").await;
    assert!(
        cadit
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["tenantId"] == id(&customer)),
        "{}",
        cadit.text
    );
    let platform = app.get(&app.admin, "/api/audit?limit=2").await;
    assert_eq!(platform.body.as_array().unwrap().len(), 2);
    let all = app.get(&app.admin, "/api/audit?limit=500").await;
    let all_actions: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(all_actions.contains(&"bootstrap.admin"));
    assert!(all_actions.contains(&"tenant.create"));
    app.shutdown().await;
}

on_both!(
    a_tree_of_any_depth_maps_onto_cloudstack_domains,
    suspending_a_tenant_stops_its_subtree_signing_in,
    rename_and_move_within_the_subtree_only,
    custom_roles_and_the_audit_log_stay_in_the_subtree,
);
