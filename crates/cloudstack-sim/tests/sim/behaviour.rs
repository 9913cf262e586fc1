//! Behaviour over HTTP: listing, jobs, state machine, scoping, faults.

use akashone_cloudstack_sim::SimConfig;

use crate::support::{Client, ids, start};

#[tokio::test]
async fn deploy_then_poll_until_running() {
    let sim = start(SimConfig::default()).await;
    let c = Client::admin(&sim);
    let zones = c.ok("listZones", &[]).await;
    assert_eq!(zones["count"], 3);
    let (status, posted) = c.post("listZones", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(posted["listzonesresponse"], zones);
    let zone = zones["zone"][0]["id"].as_str().unwrap().to_string();
    let tpl = c
        .ok(
            "listTemplates",
            &[("templatefilter", "executable"), ("zoneid", &zone)],
        )
        .await;
    let tpl = tpl["template"][0]["id"].as_str().unwrap().to_string();
    let so = c.ok("listServiceOfferings", &[]).await;
    let so = so["serviceoffering"][0]["id"].as_str().unwrap().to_string();
    let dep = c
        .ok(
            "deployVirtualMachine",
            &[
                ("zoneid", &zone),
                ("templateid", &tpl),
                ("serviceofferingid", &so),
                ("name", "smoke-1"),
            ],
        )
        .await;
    let job = c.wait_job(dep["jobid"].as_str().unwrap()).await;
    assert_eq!(job["jobstatus"], 1, "{job}");
    assert_eq!(job["jobresult"]["virtualmachine"]["state"], "Running");
    assert_eq!(job["jobresult"]["virtualmachine"]["id"], dep["id"]);
    let vms = c
        .ok(
            "listVirtualMachines",
            &[("id", dep["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(
        ids(&vms, "virtualmachine"),
        vec![dep["id"].as_str().unwrap().to_string()]
    );
    sim.shutdown().await;
}
