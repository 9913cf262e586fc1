//! VMs through the server: deployed into the tenant's CloudStack account, listed from the cache,
//! operated only by callers whose subtree holds them.

use akashone_cloudstack::api::ListVirtualMachines;
use akashone_cloudstack::{Client, ClientConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Backend, on_both, spawn_on};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn vms_live_in_the_tenant_domain_and_only_its_subtree_sees_them(backend: Backend) {
    let app = spawn_on(backend).await;
    let x = app.tenant(&app.admin, None, "Tenant X").await;
    let y = app.tenant(&app.admin, None, "Tenant Y").await;
    let xid = x["id"].as_str().unwrap();
    let yid = y["id"].as_str().unwrap();
    let xadmin = app.user(&app.admin, xid, "x-admin", "customer-admin").await;
    let yadmin = app.user(&app.admin, yid, "y-admin", "customer-admin").await;
    let xviewer = app.user(&xadmin, xid, "x-viewer", "viewer").await;

    assert!(names(&app.get(&xadmin, "/api/vms").await.body).is_empty());
    let vm = app.deploy(&xadmin, "x-web-1").await;
    let vm_id = vm["id"].as_str().unwrap().to_owned();
    assert_eq!(vm["state"], "Running");
    assert_eq!(vm["tenantId"], xid);

    // CloudStack has it in X's domain and account.
    let cs = Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap();
    let found = cs
        .list_virtual_machines(&ListVirtualMachines {
            id: Some(vm_id.clone()),
            listall: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found[0].domainid.as_deref(),
        x["cloudstackDomainId"].as_str()
    );
    assert_eq!(found[0].account.as_deref(), x["cloudstackAccount"].as_str());

    assert_eq!(names(&app.get(&xadmin, "/api/vms").await.body), ["x-web-1"]);
    assert_eq!(
        names(&app.get(&xviewer, "/api/vms").await.body),
        ["x-web-1"]
    );
    assert!(names(&app.get(&yadmin, "/api/vms").await.body).is_empty());
    let peek = app.get(&yadmin, &format!("/api/vms?tenantId={xid}")).await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    assert!(!peek.text.contains("x-web-1"));

    // Another tenant cannot touch it; a viewer cannot operate it.
    for action in ["start", "stop", "reboot"] {
        let r = app
            .post(&yadmin, &format!("/api/vms/{vm_id}/{action}"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{action}");
        let r = app
            .post(&xviewer, &format!("/api/vms/{vm_id}/{action}"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
    }
    let del = app
        .call(
            Method::DELETE,
            Some(&yadmin),
            &format!("/api/vms/{vm_id}"),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NOT_FOUND);

    let stopped = app
        .post(&xadmin, &format!("/api/vms/{vm_id}/stop"), json!({}))
        .await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.text);
    assert_eq!(stopped.body["state"], "Stopped");
    // The cache answers with the new state.
    let listed = app.get(&xadmin, "/api/vms").await;
    assert_eq!(listed.body[0]["state"], "Stopped");
    let started = app
        .post(&xadmin, &format!("/api/vms/{vm_id}/start"), json!({}))
        .await;
    assert_eq!(started.body["state"], "Running", "{}", started.text);
    let rebooted = app
        .post(&xadmin, &format!("/api/vms/{vm_id}/reboot"), json!({}))
        .await;
    assert_eq!(rebooted.status, StatusCode::OK, "{}", rebooted.text);

    // The platform sees X's VM under X and the whole cloud at the top.
    let px = app
        .get(&app.admin, &format!("/api/vms?tenantId={xid}"))
        .await;
    assert_eq!(names(&px.body), ["x-web-1"]);
    let everything = app.get(&app.admin, "/api/vms?refresh=true").await;
    let all = names(&everything.body);
    assert!(all.contains(&"x-web-1".to_owned()));
    assert!(all.len() > 1, "the simulator's own VMs are the platform's");
    let x_rows = everything
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["tenantId"] == xid)
        .count();
    assert_eq!(x_rows, 1, "X's VM is listed once, under X");

    let gone = app
        .call(
            Method::DELETE,
            Some(&xadmin),
            &format!("/api/vms/{vm_id}"),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text);
    assert!(names(&app.get(&xadmin, "/api/vms?refresh=true").await.body).is_empty());
    let twice = app
        .call(
            Method::DELETE,
            Some(&xadmin),
            &format!("/api/vms/{vm_id}"),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);

    // Every change is in the audit log of X.
    let audit = app.get(&xadmin, "/api/audit").await;
    let actions: Vec<&str> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "vm.deploy",
        "vm.stop",
        "vm.start",
        "vm.reboot",
        "vm.destroy",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    app.shutdown().await;
}

async fn a_vm_removed_behind_the_servers_back_is_not_found(backend: Backend) {
    let app = spawn_on(backend).await;
    let x = app.tenant(&app.admin, None, "Tenant X").await;
    let xid = x["id"].as_str().unwrap();
    let xadmin = app.user(&app.admin, xid, "x-admin", "customer-admin").await;
    let vm = app.deploy(&xadmin, "x-db-1").await;
    let vm_id = vm["id"].as_str().unwrap();
    let cs = Client::new(ClientConfig::new(
        app.sim.url(),
        app.sim.api_key(),
        app.sim.secret_key(),
    ))
    .unwrap();
    cs.destroy_virtual_machine(vm_id, true)
        .await
        .unwrap()
        .wait(&Default::default())
        .await
        .unwrap();
    // Still in the cache, but CloudStack no longer has it in X's domain.
    let r = app
        .post(&xadmin, &format!("/api/vms/{vm_id}/stop"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(names(&app.get(&xadmin, "/api/vms").await.body).is_empty());
    app.shutdown().await;
}

async fn deploy_validates_and_respects_suspension(backend: Backend) {
    let app = spawn_on(backend).await;
    let x = app.tenant(&app.admin, None, "Tenant X").await;
    let xid = x["id"].as_str().unwrap();
    let xadmin = app.user(&app.admin, xid, "x-admin", "customer-admin").await;
    let (zone, template, offering) = app.catalog(&xadmin).await;
    let bad = app
        .post(
            &xadmin,
            "/api/vms",
            json!({"name": "bad name!", "zoneId": zone, "templateId": template, "serviceOfferingId": offering}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
    let r = app
        .patch(
            &app.admin,
            &format!("/api/tenants/{xid}"),
            json!({"suspended": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let refused = app
        .post(
            &app.admin,
            "/api/vms",
            json!({"tenantId": xid, "name": "late", "zoneId": zone, "templateId": template, "serviceOfferingId": offering}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    app.shutdown().await;
}

on_both!(
    vms_live_in_the_tenant_domain_and_only_its_subtree_sees_them,
    a_vm_removed_behind_the_servers_back_is_not_found,
    deploy_validates_and_respects_suspension,
);
