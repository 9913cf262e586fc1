//! Kubernetes clusters through the console on a direct profile, against the simulator: the
//! wizard's plan and its refusals, create, scale, autoscale, upgrade, stop and start, a scale
//! failing in a full zone leaving the cluster in Alert and its recovery, the kubeconfig written
//! 0600 and read by Debian's kubectl, member VMs protected on the VM page, and delete.

use crate::{Setup, setup, until, wait_job};
use akashone_app::AppError;
use akashone_cloudstack_sim::{SimConfig, SimHandle, SimUser, Simulator};
use akashone_types::kubernetes::{
    ApiReach, ClusterAction, ClusterNetwork, ClusterRow, CreateCluster, NodeRole, Workers,
};
use akashone_types::{JobPhase, NewCloudStackProfile, VmAction};
use std::path::PathBuf;
use std::time::Duration;

/// Debian's kubectl (package kubernetes-client), where the setup placed it.
fn kubectl() -> PathBuf {
    akashone_cloudstack_sim::kubectl().unwrap_or_else(|e| panic!("{e}"))
}

/// Node names kubectl lists with this kubeconfig.
fn kubectl_nodes(config: &std::path::Path) -> Vec<String> {
    let cache = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(kubectl())
        .arg("--kubeconfig")
        .arg(config)
        .arg("--cache-dir")
        .arg(cache.path())
        .args(["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"])
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// A direct profile with a regular user's keys (limits apply to it, as to a customer).
async fn direct_profile(sim: &SimHandle, user: &SimUser) -> Setup {
    let s = setup();
    let profiles = s
        .console
        .add_cloudstack_profile(&NewCloudStackProfile {
            name: "Kubernetes".into(),
            url: sim.url(),
            api_key: user.api_key.clone(),
            secret_key: user.secret_key.clone(),
        })
        .await
        .unwrap();
    let id = profiles.profiles[0].id.clone();
    s.console.activate_profile(&id).await.unwrap();
    s.console.sync_now().await.unwrap();
    s
}

fn cluster(s: &Setup, name: &str) -> ClusterRow {
    s.console
        .kube_clusters()
        .unwrap()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} is cached"))
}

async fn act(s: &Setup, id: &str, action: ClusterAction) -> akashone_types::JobEvent {
    let task = s.console.kube_action(id, &action).await.unwrap();
    wait_job(s, task).await
}

fn invalid(e: AppError) -> String {
    match e {
        AppError::Invalid(m) => m,
        other => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clusters_from_the_wizard_to_delete_on_a_direct_profile() {
    let sim = Simulator::start(SimConfig {
        vms: 4,
        job_delay: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let user = sim.create_user("ROOT", "shop-team").unwrap();
    let s = direct_profile(&sim, &user).await;
    let c = &s.console;

    // What the wizard offers.
    let zones = c.deploy_zones().await.unwrap();
    let zone = zones[0].id.clone();
    let versions = c.kube_versions(Some(&zone)).await.unwrap();
    let oldest = versions
        .iter()
        .filter(|v| v.usable())
        .min_by_key(|v| v.semver())
        .unwrap()
        .clone();
    assert!(
        versions.iter().any(|v| !v.enabled),
        "a disabled version is listed, greyed"
    );
    let offerings = c.kube_offerings().await.unwrap();
    let big = offerings
        .iter()
        .find(|o| o.cpu >= 2 && o.memory_mb >= 2048)
        .unwrap();
    let small = offerings
        .iter()
        .find(|o| o.cpu < 2 || o.memory_mb < 2048)
        .unwrap();
    let req = CreateCluster {
        name: "shop".into(),
        description: None,
        zone_id: zone.clone(),
        version_id: oldest.id.clone(),
        control_nodes: 1,
        workers: Workers::Fixed { size: 1 },
        offering_id: big.id.clone(),
        control_offering_id: None,
        worker_offering_id: None,
        network: ClusterNetwork::New,
        keypair: None,
    };

    // Every refusal of the plan, before CloudStack is asked.
    let refusals = [
        CreateCluster {
            control_nodes: 2,
            ..req.clone()
        },
        CreateCluster {
            workers: Workers::Autoscale { min: 3, max: 2 },
            ..req.clone()
        },
        CreateCluster {
            offering_id: small.id.clone(),
            ..req.clone()
        },
        CreateCluster {
            name: "9-bad_name".into(),
            ..req.clone()
        },
        CreateCluster {
            workers: Workers::Fixed { size: 12 },
            ..req.clone()
        },
    ];
    let before = c.kube_clusters().unwrap().len();
    for bad in &refusals {
        let plan = c.kube_plan(bad).await.unwrap();
        assert!(!plan.problems.is_empty(), "{bad:?}");
        let why = invalid(c.kube_create(bad).await.unwrap_err());
        assert_eq!(why, plan.problems.join(" "));
    }
    // HA on a version before 1.16 is refused in the words of the rules.
    let old = sim.add_kube_version("1.15.12", false).unwrap();
    let plan = c
        .kube_plan(&CreateCluster {
            version_id: old,
            control_nodes: 3,
            ..req.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        plan.problems,
        ["3 control nodes (HA) need Kubernetes 1.16.0 or later; 1.15.12 runs one."]
    );
    // The account's limits: the exact shortfall.
    sim.set_account_limit(
        &user.account_id,
        akashone_cloudstack_sim::LimitedResource::UserVm,
        Some(1),
    );
    let plan = c.kube_plan(&req).await.unwrap();
    assert_eq!(plan.needs.vms, 2);
    assert!(
        plan.problems
            .iter()
            .any(|p| p.starts_with("Not enough VMs left in your resource limits: needs 2")),
        "{:?}",
        plan.problems
    );
    sim.set_account_limit(
        &user.account_id,
        akashone_cloudstack_sim::LimitedResource::UserVm,
        None,
    );
    s.console.sync_now().await.unwrap();
    assert_eq!(
        c.kube_clusters().unwrap().len(),
        before,
        "nothing was created"
    );

    // No kubeconfig on this computer yet: said so, not fetched behind the user's back.
    let seeded = c.kube_clusters().unwrap();
    if let Some(any) = seeded.first() {
        let h = c.kube_health(&any.id).await.unwrap();
        assert_eq!(h.api, ApiReach::NoKubeconfig);
    }

    // Create until Running.
    let plan = c.kube_plan(&req).await.unwrap();
    assert_eq!(plan.problems, Vec::<String>::new());
    let task = c.kube_create(&req).await.unwrap();
    let done = wait_job(&s, task).await;
    assert_eq!(done.phase, JobPhase::Succeeded, "{done:?}");
    let shop = cluster(&s, "shop");
    assert_eq!(
        (shop.state.as_str(), shop.control_nodes, shop.workers),
        ("Running", 1, 1)
    );
    assert_eq!(shop.nodes.len(), 2);
    assert_eq!(shop.nodes[0].role, NodeRole::Control);
    assert_eq!(shop.nodes[1].role, NodeRole::Worker);

    // A member VM is marked on the VM page and cannot be destroyed from there.
    s.console.sync_now().await.unwrap();
    let worker = shop.nodes[1].vm_id.clone();
    assert_eq!(c.vm_get(&worker).unwrap().cluster.as_deref(), Some("shop"));
    let why = invalid(c.vm_action(&worker, VmAction::Destroy).await.unwrap_err());
    assert!(
        why.contains("is a node of the Kubernetes cluster shop"),
        "{why}"
    );

    // Scale, then the kubeconfig in a 0600 file, read by kubectl.
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Scale { size: 2 })
            .await
            .phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").workers, 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kube").join("shop.yaml");
    let saved = c
        .kube_config_save(&shop.id, Some(path.to_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(saved.path, path.display().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(kubectl_nodes(&path).len(), 3);
    // Its health as the cluster sees itself, through the kubeconfig now kept in the vault.
    let h = c.kube_health(&shop.id).await.unwrap();
    assert_eq!(h.api, ApiReach::Reachable, "{h:?}");
    assert!(h.ready);
    assert_eq!((h.nodes, h.nodes_ready), (3, 3));
    assert!(h.cert_expires.is_some() && h.kube_version.is_some());

    // Autoscaling; choosing nodes is refused while it is on.
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Autoscale { min: 1, max: 3 })
            .await
            .phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").autoscale, Some((1, 3)));
    let node = cluster(&s, "shop").nodes[2].vm_id.clone();
    let why = invalid(
        c.kube_action(
            &shop.id,
            &ClusterAction::RemoveNodes {
                node_ids: vec![node.clone()],
            },
        )
        .await
        .unwrap_err(),
    );
    assert!(why.contains("turn it off first"), "{why}");
    // Back to a fixed size, then one chosen worker removed; a control node cannot be.
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Scale { size: 2 })
            .await
            .phase,
        JobPhase::Succeeded
    );
    let now = cluster(&s, "shop");
    assert_eq!(now.autoscale, None);
    let why = invalid(
        c.kube_action(
            &shop.id,
            &ClusterAction::RemoveNodes {
                node_ids: vec![now.nodes[0].vm_id.clone()],
            },
        )
        .await
        .unwrap_err(),
    );
    assert!(why.contains("is a control node"), "{why}");
    let last = now.nodes.last().unwrap().vm_id.clone();
    assert_eq!(
        act(
            &s,
            &shop.id,
            ClusterAction::RemoveNodes {
                node_ids: vec![last.clone()]
            }
        )
        .await
        .phase,
        JobPhase::Succeeded
    );
    let now = cluster(&s, "shop");
    assert_eq!(now.workers, 1);
    assert!(now.nodes.iter().all(|n| n.vm_id != last));
    assert_eq!(kubectl_nodes(&path).len(), 2, "the API follows the scale");

    // Upgrades: two minors at once refused, the next minor done.
    let (a, b, _) = oldest.semver().unwrap();
    let two = versions
        .iter()
        .find(|v| v.semver().is_some_and(|(x, y, _)| x == a && y == b + 2));
    if let Some(two) = two {
        let why = invalid(
            c.kube_action(
                &shop.id,
                &ClusterAction::Upgrade {
                    version_id: two.id.clone(),
                },
            )
            .await
            .unwrap_err(),
        );
        assert!(why.contains("next minor version only"), "{why}");
    }
    let next = versions
        .iter()
        .find(|v| v.usable() && v.semver().is_some_and(|(x, y, _)| x == a && y == b + 1))
        .unwrap();
    assert_eq!(
        act(
            &s,
            &shop.id,
            ClusterAction::Upgrade {
                version_id: next.id.clone()
            }
        )
        .await
        .phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").version_id, next.id);

    // Stop: upgrade and stop again refused up front; start.
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Stop).await.phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").state, "Stopped");
    let why = invalid(
        c.kube_action(&shop.id, &ClusterAction::Stop)
            .await
            .unwrap_err(),
    );
    assert!(why.contains("cannot stop"), "{why}");
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Start).await.phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").state, "Running");

    // A scale in a full zone fails with CloudStack's words and leaves the cluster in Alert;
    // scaling is then refused up front, and starting it again recovers it.
    sim.set_zone_capacity(&zone, Some(0));
    let failed = act(&s, &shop.id, ClusterAction::Scale { size: 3 }).await;
    assert_eq!(failed.phase, JobPhase::Failed, "{failed:?}");
    assert!(failed.error.as_deref().is_some_and(|e| !e.is_empty()));
    until("the sync after the failure", || {
        cluster(&s, "shop").state == "Alert"
    })
    .await;
    let why = invalid(
        c.kube_action(&shop.id, &ClusterAction::Scale { size: 1 })
            .await
            .unwrap_err(),
    );
    assert!(why.contains("state Alert cannot scale"), "{why}");
    sim.set_zone_capacity(&zone, None);
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Start).await.phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "shop").state, "Running");

    // Delete: gone from the cache, and from CloudStack.
    assert_eq!(
        act(&s, &shop.id, ClusterAction::Delete).await.phase,
        JobPhase::Succeeded
    );
    assert!(c.kube_clusters().unwrap().iter().all(|x| x.name != "shop"));
    s.console.sync_now().await.unwrap();
    assert!(c.kube_clusters().unwrap().iter().all(|x| x.name != "shop"));
    sim.shutdown().await;
}

/// Through the central server while acting as a customer: the same console calls, the server's
/// limits and rules; a sibling customer sees none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clusters_through_the_central_server_stay_in_their_tenant() {
    use akashone_types::central::CreateTenant;
    let running = crate::central_fixture::start(2).await;
    let url = running.server.url();
    let (api, _) = crate::central_fixture::admin(&url).await;
    let mk = |name: &'static str| {
        let api = &api;
        async move {
            api.create_tenant(&CreateTenant {
                parent_id: None,
                name: name.into(),
            })
            .await
            .unwrap()
        }
    };
    let (a, b) = (mk("Customer A").await, mk("Customer B").await);

    let s = setup();
    let profiles = s
        .console
        .add_central_profile(&akashone_types::NewCentralProfile {
            name: "Platform".into(),
            url: url.clone(),
            username: "admin".into(),
        })
        .await
        .unwrap();
    let id = profiles.profiles.last().unwrap().id.clone();
    s.console
        .central_sign_in(&id, crate::central_fixture::PASSWORD)
        .await
        .unwrap();
    let c = &s.console;
    c.act_as(Some(&a.id)).await.unwrap();

    let zone = c.deploy_zones().await.unwrap()[0].id.clone();
    let versions = c.kube_versions(Some(&zone)).await.unwrap();
    let v = versions
        .iter()
        .filter(|v| v.usable())
        .min_by_key(|v| v.semver())
        .unwrap();
    let offering = c
        .kube_offerings()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.cpu >= 2 && o.memory_mb >= 2048)
        .unwrap();
    let req = CreateCluster {
        name: "a-web".into(),
        description: None,
        zone_id: zone,
        version_id: v.id.clone(),
        control_nodes: 1,
        workers: Workers::Fixed { size: 1 },
        offering_id: offering.id.clone(),
        control_offering_id: None,
        worker_offering_id: None,
        network: ClusterNetwork::New,
        keypair: None,
    };
    // The server refuses what the rules refuse, before CloudStack is asked.
    let bad = CreateCluster {
        control_nodes: 2,
        ..req.clone()
    };
    assert!(!c.kube_plan(&bad).await.unwrap().problems.is_empty());
    assert!(c.kube_create(&bad).await.is_err());

    let done = wait_job(&s, c.kube_create(&req).await.unwrap()).await;
    assert_eq!(done.phase, JobPhase::Succeeded, "{done:?}");
    let web = cluster(&s, "a-web");
    assert_eq!((web.state.as_str(), web.node_count()), ("Running", 2));
    assert_eq!(
        act(&s, &web.id, ClusterAction::Scale { size: 2 })
            .await
            .phase,
        JobPhase::Succeeded
    );
    assert_eq!(cluster(&s, "a-web").workers, 2);
    let text = c.kube_config_text(&web.id).await.unwrap();
    assert!(text.contains("apiVersion"));
    let h = c.kube_health(&web.id).await.unwrap();
    assert_eq!(
        (h.api.clone(), h.nodes_ready),
        (ApiReach::Reachable, 3),
        "{h:?}"
    );

    // A sibling customer sees nothing of it.
    c.act_as(Some(&b.id)).await.unwrap();
    c.sync_now().await.unwrap();
    assert!(c.kube_clusters().unwrap().is_empty());
    assert!(c.kube_config_text(&web.id).await.is_err());

    // Back as A: deleted.
    c.act_as(Some(&a.id)).await.unwrap();
    c.sync_now().await.unwrap();
    assert_eq!(
        act(&s, &web.id, ClusterAction::Delete).await.phase,
        JobPhase::Succeeded
    );
    assert!(c.kube_clusters().unwrap().is_empty());
    running.server.shutdown().await;
}
