//! Walks the OpenAPI document: every operation refuses a missing token (401), another tenant
//! (403/404 without its data) and a role without the permission (403). A new endpoint is in the
//! document, so it cannot skip these checks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Backend, PASSWORD, on_both, spawn_on};

/// Operations anyone may call.
const PUBLIC: &[&str] = &[
    "POST /api/auth/login",
    "POST /api/auth/verify-2fa",
    "GET /api/openapi.json",
];

/// Operations on the caller's own account: they need a session but no permission, and have no
/// tenant target.
const SELF_SERVICE: &[&str] = &[
    "GET /api/auth/me",
    "GET /api/auth/failures",
    "POST /api/auth/logout",
    "POST /api/auth/password",
    "GET /api/auth/2fa/setup",
    "POST /api/auth/2fa/enable",
    "POST /api/auth/2fa/disable",
    "GET /api/branding",
];

async fn the_document_covers_every_route_and_is_generated_from_code(backend: Backend) {
    let app = spawn_on(backend).await;
    let doc = app.call(Method::GET, None, "/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(
        doc.body,
        serde_json::to_value(akashone_server::openapi()).unwrap()
    );
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let ops = operations(&doc.body);
    for expected in [
        "POST /api/auth/register",
        "GET /api/tenants",
        "POST /api/tenants",
        "PATCH /api/tenants/{id}",
        "GET /api/roles",
        "POST /api/roles",
        "GET /api/users",
        "PUT /api/users/{id}/role",
        "GET /api/audit",
        "GET /api/vms",
        "POST /api/vms",
        "POST /api/vms/{id}/start",
        "POST /api/vms/{id}/stop",
        "POST /api/vms/{id}/reboot",
        "DELETE /api/vms/{id}",
        "GET /api/cloudstack/zones",
        "GET /api/cloudstack/templates",
        "GET /api/cloudstack/service-offerings",
        "GET /api/kubernetes/versions",
        "GET /api/kubernetes/offerings",
        "GET /api/kubernetes/clusters",
        "POST /api/kubernetes/clusters",
        "POST /api/kubernetes/plan",
        "PATCH /api/kubernetes/clusters/{id}",
        "DELETE /api/kubernetes/clusters/{id}",
        "GET /api/kubernetes/clusters/{id}/kubeconfig",
        "GET /api/networks",
        "GET /api/vpcs",
        "GET /api/public-ips",
        "GET /api/firewall-rules",
        "GET /api/egress-rules",
        "GET /api/port-forwards",
        "GET /api/load-balancers",
        "GET /api/load-balancers/{id}/members",
        "GET /api/network-offerings",
        "GET /api/volumes",
        "GET /api/snapshots",
        "GET /api/snapshot-policies",
        "GET /api/vm-snapshots",
        "GET /api/disk-offerings",
        "POST /api/operations",
        "GET /api/billing/seller",
        "PUT /api/billing/seller",
        "GET /api/billing/customer",
        "PUT /api/billing/customer",
        "GET /api/billing/rate-card",
        "PUT /api/billing/rate-card",
        "GET /api/billing/runs",
        "POST /api/billing/runs",
        "GET /api/billing/invoices",
        "GET /api/billing/invoices/{id}",
        "GET /api/billing/invoices/{id}/einvoice",
        "POST /api/billing/invoices/{id}/irn",
        "POST /api/billing/invoices/{id}/credit-notes",
    ]
    .iter()
    .chain(PUBLIC)
    .chain(SELF_SERVICE)
    {
        assert!(ops.iter().any(|(k, _)| k == expected), "{expected} missing");
    }
    assert_eq!(
        ops.len(),
        65,
        "{:?}",
        ops.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    assert_eq!(
        doc.body["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // Every schema a route refers to is in the document.
    let mut refs = Vec::new();
    collect_refs(&doc.body, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(
            doc.body["components"]["schemas"].get(name).is_some(),
            "{r} is not in the document"
        );
    }
    app.shutdown().await;
}

/// Every `$ref` in `v`.
fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// ("METHOD /path", operation) for every operation.
fn operations(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push((format!("{} {path}", method.to_uppercase()), op.clone()));
            }
        }
    }
    out
}

async fn every_operation_checks_token_tenant_and_permission(backend: Backend) {
    let app = spawn_on(backend).await;
    // Tenant A with an admin, a VM, a Kubernetes cluster, and a user whose custom role has no
    // permission at all.
    let a = app
        .tenant(&app.admin, None, "Alpha Confidential Tenant")
        .await;
    let aid = a["id"].as_str().unwrap().to_owned();
    let a_admin = app
        .user(&app.admin, &aid, "alpha-admin", "customer-admin")
        .await;
    let vm = app.deploy(&a_admin, "alpha-secret-vm").await;
    let vm_id = vm["id"].as_str().unwrap().to_owned();
    let versions = app.get(&a_admin, "/api/kubernetes/versions").await.body;
    let version = versions[0]["id"].as_str().unwrap().to_owned();
    let offerings = app.get(&a_admin, "/api/kubernetes/offerings").await.body;
    let kube_offering = offerings
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["cpu"].as_i64() >= Some(2) && o["memoryMb"].as_i64() >= Some(2048))
        .expect("an offering for nodes")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (zone, template, offering) = app.catalog(&a_admin).await;
    let cluster = app
        .post(
            &a_admin,
            "/api/kubernetes/clusters",
            json!({"name": "alpha-secret-k8s", "zoneId": zone, "versionId": version,
                   "controlNodes": 1, "workers": {"mode": "fixed", "size": 1},
                   "offeringId": kube_offering, "network": {"kind": "new"}}),
        )
        .await;
    assert_eq!(cluster.status, StatusCode::CREATED, "{}", cluster.text);
    let cluster_id = cluster.body["id"].as_str().unwrap().to_owned();
    // A load balancer of A's over its VM, on a new address of the VM's network.
    let lb_id =
        crate::network_storage::load_balancer_over(&app, &a_admin, "alpha-secret-lb", &[&vm]).await;
    let nothing = app
        .post(
            &a_admin,
            "/api/roles",
            json!({"name": "Nothing", "permissions": []}),
        )
        .await;
    assert_eq!(nothing.status, StatusCode::CREATED);
    let a_none = app
        .user(
            &a_admin,
            &aid,
            "alpha-none",
            nothing.body["id"].as_str().unwrap(),
        )
        .await;
    // Tenant B with a full admin of its own.
    let b = app.tenant(&app.admin, None, "Beta").await;
    let b_admin = app
        .user(
            &app.admin,
            b["id"].as_str().unwrap(),
            "beta-admin",
            "customer-admin",
        )
        .await;
    let a_admin_id = app.get(&a_admin, "/api/auth/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // An invoice from the platform to A.
    let invoice_id =
        crate::billing::platform_invoice_for(&app, &a, "Alpha Confidential Tenant Ltd").await;

    // One body with every field any operation reads, all aimed at tenant A.
    let body = json!({
        "tenantId": aid, "parentId": aid, "name": "probe", "username": "probe-user",
        "password": PASSWORD, "roleId": "viewer", "permissions": [], "zoneId": zone,
        "templateId": template, "serviceOfferingId": offering, "code": "000000",
        "currentPassword": PASSWORD, "newPassword": "probe-new-password", "suspended": true,
        "versionId": version, "controlNodes": 1, "workers": {"mode": "fixed", "size": 1},
        "offeringId": kube_offering, "network": {"kind": "new"}, "action": "stop",
    });
    let secrets = [
        "Alpha Confidential Tenant",
        "alpha-secret-vm",
        "alpha-admin",
        "alpha-secret-k8s",
        "alpha-secret-lb",
        "AKP/",
    ];

    let doc = app
        .call(Method::GET, None, "/api/openapi.json", None)
        .await
        .body;
    let ops = operations(&doc);
    assert!(ops.len() >= 20);
    for (key, op) in ops {
        let (method, template_path) = key.split_once(' ').unwrap();
        let protected = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty());
        if !protected {
            assert!(
                PUBLIC.contains(&key.as_str()),
                "{key} has no security requirement"
            );
            continue;
        }
        let id = if template_path.starts_with("/api/tenants/") {
            aid.clone()
        } else if template_path.starts_with("/api/vms/") {
            vm_id.clone()
        } else if template_path.starts_with("/api/users/") {
            a_admin_id.clone()
        } else if template_path.starts_with("/api/billing/invoices/") {
            invoice_id.clone()
        } else if template_path.starts_with("/api/kubernetes/clusters/") {
            cluster_id.clone()
        } else if template_path.starts_with("/api/load-balancers/") {
            lb_id.clone()
        } else {
            assert!(
                !template_path.contains('{'),
                "{key}: add a sample id for this path parameter"
            );
            String::new()
        };
        let path = template_path.replace("{id}", &id);
        // Aimed at tenant A in the query too (Kubernetes requests carry no tenant in the body).
        let with_tenant = format!("{path}?tenantId={aid}");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let b = (method != Method::GET).then(|| body.clone());
        let send = async |token: Option<&str>, path: &str| {
            app.call(method.clone(), token, path, b.clone()).await
        };

        let anon = send(None, &path).await;
        assert_eq!(
            anon.status,
            StatusCode::UNAUTHORIZED,
            "{key} without a token: {}",
            anon.text
        );
        assert_eq!(anon.body["code"], "unauthorized", "{key}");
        let junk = send(Some("aks_forged"), &path).await;
        assert_eq!(
            junk.status,
            StatusCode::UNAUTHORIZED,
            "{key} with a forged token"
        );

        if SELF_SERVICE.contains(&key.as_str()) {
            continue;
        }
        let other = send(Some(&b_admin), &with_tenant).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&other.status),
            "{key} as another tenant: {} {}",
            other.status,
            other.text
        );
        for s in secrets {
            assert!(!other.text.contains(s), "{key} leaked {s}: {}", other.text);
        }
        let denied = send(Some(&a_none), &with_tenant).await;
        assert_eq!(
            denied.status,
            StatusCode::FORBIDDEN,
            "{key} with a role lacking the permission: {}",
            denied.text
        );
        assert_eq!(denied.body["code"], "forbidden");
    }

    // Nothing changed.
    let tenant = app.get(&a_admin, "/api/tenants").await;
    assert_eq!(tenant.body[0]["name"], "Alpha Confidential Tenant");
    assert_eq!(tenant.body[0]["suspended"], false);
    assert_eq!(
        tenant.body.as_array().unwrap().len(),
        1,
        "no tenant was created in A"
    );
    let me = app.get(&a_admin, "/api/auth/me").await;
    assert_eq!(me.body["roleId"], "customer-admin", "no role was changed");
    let vms = app.get(&a_admin, "/api/vms?refresh=true").await;
    let vms = vms.body.as_array().unwrap();
    assert_eq!(vms.len(), 3, "the VM and the cluster's two nodes: {vms:?}");
    assert!(vms.iter().all(|v| v["state"] == "Running"), "{vms:?}");
    assert_eq!(
        app.login("probe-user", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let invoices = app.get(&a_admin, "/api/billing/invoices").await;
    assert_eq!(invoices.body["total"], 1, "no note or invoice was issued");
    let clusters = app.get(&a_admin, "/api/kubernetes/clusters").await;
    assert_eq!(
        clusters.body.as_array().unwrap().len(),
        1,
        "no cluster was created or deleted: {}",
        clusters.text
    );
    assert_eq!(clusters.body[0]["state"], "Running", "{}", clusters.text);
    let lbs = app.get(&a_admin, "/api/load-balancers").await;
    assert_eq!(
        lbs.body.as_array().unwrap().len(),
        1,
        "no load balancer was created or deleted: {}",
        lbs.text
    );
    let members = app
        .get(&a_admin, &format!("/api/load-balancers/{lb_id}/members"))
        .await;
    assert_eq!(
        members.body.as_array().unwrap().len(),
        1,
        "{}",
        members.text
    );
    app.shutdown().await;
}

on_both!(
    the_document_covers_every_route_and_is_generated_from_code,
    every_operation_checks_token_tenant_and_permission,
);
