//! The client against the CloudStack simulator.

use akashone_cloudstack::api::{
    DeployVirtualMachine, ListServiceOfferings, ListTemplates, ListVirtualMachines, ListZones,
};
use akashone_cloudstack::{Client, ClientConfig, Error, JobOptions, MethodPolicy, Params};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_types::ErrorCode;
use std::time::Duration;

fn jobs() -> JobOptions {
    JobOptions::default().with_poll_interval(Duration::from_millis(10), Duration::from_millis(50))
}

#[tokio::test]
async fn lists_every_page_from_the_simulator() {
    let sim = Simulator::start(SimConfig {
        vms: 1234,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut cfg = ClientConfig::new(sim.url(), sim.api_key(), sim.secret_key());
    cfg.page_size = 100;
    let c = Client::new(cfg).unwrap();
    let req = ListVirtualMachines {
        listall: Some(true),
        ..Default::default()
    };
    let vms = c.list_virtual_machines(&req).await.unwrap();
    assert_eq!(vms.len(), 1234);
    let mut ids: Vec<_> = vms.iter().filter_map(|v| v.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1234, "no duplicates across pages");
    let metrics = c.list_virtual_machines_metrics(&req).await.unwrap();
    assert_eq!(metrics.len(), 1234);
}

#[tokio::test]
async fn deploy_and_wait_on_the_simulator() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    for method in [MethodPolicy::Get, MethodPolicy::Post] {
        let c = Client::new(
            ClientConfig::new(sim.url(), sim.api_key(), sim.secret_key()).with_method(method),
        )
        .unwrap();
        let zone = c.list_zones(&ListZones::default()).await.unwrap()[0]
            .id
            .clone()
            .unwrap();
        let tpl = c
            .list_templates(&ListTemplates {
                zoneid: Some(zone.clone()),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id
            .clone()
            .unwrap();
        let off = c
            .list_service_offerings(&ListServiceOfferings::default())
            .await
            .unwrap()[0]
            .id
            .clone()
            .unwrap();
        let mut req = DeployVirtualMachine::new(zone, off, tpl);
        req.name = Some(format!("sim-{method:?}").to_lowercase());
        req.displayname = Some("Spaces, ünïcode & symbols + ~ * [x]".into());
        let job = c.deploy_virtual_machine(&req).await.unwrap();
        let vm = job.wait(&jobs()).await.unwrap();
        assert_eq!(vm.state.as_deref(), Some("Running"));
        assert_eq!(
            vm.displayname.as_deref(),
            Some("Spaces, ünïcode & symbols + ~ * [x]")
        );
        let id = vm.id.clone().unwrap();
        let stopped = c
            .stop_virtual_machine(&id, true)
            .await
            .unwrap()
            .wait(&jobs())
            .await
            .unwrap();
        assert_eq!(stopped.state.as_deref(), Some("Stopped"));
    }
}

#[tokio::test]
async fn simulator_errors_are_typed() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let bad = Client::new(ClientConfig::new(sim.url(), sim.api_key(), "wrong-secret")).unwrap();
    let e = bad.list_zones(&ListZones::default()).await.unwrap_err();
    assert!(matches!(e, Error::Unauthorized { .. }), "{e:?}");
    assert!(!e.to_string().contains("wrong-secret"));
    let c = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .unwrap();
    let e = c
        .call("deployVirtualMachine", &Params::new().with("zoneid", "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(e.code(), ErrorCode::InvalidInput | ErrorCode::NotFound),
        "{e:?}"
    );
}
