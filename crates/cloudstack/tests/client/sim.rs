//! The client against the CloudStack simulator.

use akashone_cloudstack::api::{
    CreateKubernetesCluster, DeployVirtualMachine, ListKubernetesClusters,
    ListKubernetesSupportedVersions, ListServiceOfferings, ListTemplates, ListVirtualMachines,
    ListZones, ScaleKubernetesCluster,
};
use akashone_cloudstack::model::KubernetesSupportedVersion;
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

/// `(major, minor, patch)` of a version such as `1.28.4`.
fn semver(v: &KubernetesSupportedVersion) -> (u32, u32, u32) {
    let s = v.semanticversion.clone().unwrap_or_default();
    let mut parts = s.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[tokio::test]
async fn a_kubernetes_cluster_through_its_whole_life() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let c = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .unwrap();
    let jobs = jobs();

    // A version with autoscaling that can be upgraded to the next minor or a later patch.
    let versions = c
        .list_kubernetes_supported_versions(&ListKubernetesSupportedVersions::default())
        .await
        .unwrap();
    let usable = |v: &&KubernetesSupportedVersion| v.state.as_deref() == Some("Enabled");
    let (from, to) = versions
        .iter()
        .filter(usable)
        .filter(|v| v.supportsautoscaling == Some(true))
        .find_map(|a| {
            let (ma, mi, pa) = semver(a);
            versions
                .iter()
                .filter(usable)
                .find(|b| {
                    let (mb, nb, pb) = semver(b);
                    mb == ma && (nb == mi + 1 || (nb == mi && pb > pa))
                })
                .map(|b| (a.clone(), b.clone()))
        })
        .expect("the seeded versions allow an upgrade");
    let zone = c.list_zones(&ListZones::default()).await.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let offering = c
        .list_service_offerings(&ListServiceOfferings::default())
        .await
        .unwrap()
        .into_iter()
        .find(|o| {
            o.cpunumber.unwrap_or(0) >= from.mincpunumber.unwrap_or(2)
                && o.memory.unwrap_or(0) >= from.minmemory.unwrap_or(2048)
        })
        .expect("an offering big enough for Kubernetes");

    // Create: one control node and two workers, running.
    let created = c
        .create_kubernetes_cluster(&CreateKubernetesCluster {
            name: Some("k8s-life".into()),
            zoneid: Some(zone),
            kubernetesversionid: from.id.clone(),
            serviceofferingid: offering.id.clone(),
            size: Some(2),
            ..Default::default()
        })
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.state.as_deref(), Some("Running"));
    assert_eq!(created.size, Some(2));
    assert_eq!(created.virtualmachines.as_ref().map(Vec::len), Some(3));
    let listed = |c: Client, id: String| async move {
        c.list_kubernetes_clusters(&ListKubernetesClusters {
            id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap()
    };

    // Scale to three workers.
    let scaled = c
        .scale_kubernetes_cluster(&ScaleKubernetesCluster::to_size(&id, 3))
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert_eq!(scaled.size, Some(3));
    assert_eq!(listed(c.clone(), id.clone()).await[0].size, Some(3));

    // Autoscaling with a fixed size is refused as CloudStack refuses it, and changes nothing.
    let mut both = ScaleKubernetesCluster::autoscale(&id, 1, 4);
    both.size = Some(2);
    let e = c.scale_kubernetes_cluster(&both).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e:?}");
    assert!(e.to_string().contains("autoscaling"), "{e}");
    let e = c
        .scale_kubernetes_cluster(&ScaleKubernetesCluster::autoscale(&id, 3, 3))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e:?}");
    let now = &listed(c.clone(), id.clone()).await[0];
    assert_eq!((now.size, now.autoscalingenabled), (Some(3), Some(false)));

    // Autoscaling between one and four workers.
    let auto = c
        .scale_kubernetes_cluster(&ScaleKubernetesCluster::autoscale(&id, 1, 4))
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert_eq!(auto.autoscalingenabled, Some(true));
    assert_eq!((auto.minsize, auto.maxsize), (Some(1), Some(4)));

    // Stop, start, upgrade.
    c.stop_kubernetes_cluster(&id)
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert_eq!(
        listed(c.clone(), id.clone()).await[0].state.as_deref(),
        Some("Stopped")
    );
    let started = c
        .start_kubernetes_cluster(&id)
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert_eq!(started.state.as_deref(), Some("Running"));
    let upgraded = c
        .upgrade_kubernetes_cluster(&id, to.id.as_deref().unwrap())
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert_eq!(upgraded.kubernetesversionid, to.id);

    // The kubeconfig names the cluster.
    let config = c.get_kubernetes_cluster_config(&id).await.unwrap();
    let data = config.configdata.unwrap_or_default();
    assert!(data.starts_with("apiVersion: v1"), "{data}");
    assert!(data.contains("k8s-life"), "{data}");

    // Deleted with its resources: gone from the list.
    c.delete_kubernetes_cluster(&id, true)
        .await
        .unwrap()
        .wait(&jobs)
        .await
        .unwrap();
    assert!(listed(c.clone(), id.clone()).await.is_empty());
    sim.shutdown().await;
}
