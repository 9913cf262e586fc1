//! Health checks against the simulator's clusters: healthy, a NotReady node, not ready,
//! unreachable, silent, another cluster's certificates, many at once.

use std::time::{Duration, Instant};

use akashone_cloudstack_sim::KubeNodeHealth;
use akashone_kube::{Kubeconfig, check, check_many};
use akashone_types::kubernetes::{ApiReach, ClusterHealth};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::{silent_server, start, vm_names, with_port};

const TIMEOUT: Duration = Duration::from_secs(5);

fn unreachable_reason(h: &ClusterHealth) -> &str {
    match &h.api {
        ApiReach::Unreachable { reason } => reason,
        other => panic!("expected Unreachable, got {other:?} in {h:?}"),
    }
}

fn refused_reason(h: &ClusterHealth) -> &str {
    match &h.api {
        ApiReach::Refused { reason } => reason,
        other => panic!("expected Refused, got {other:?} in {h:?}"),
    }
}

#[tokio::test]
async fn one_cluster_as_its_own_api_sees_it() {
    let (sim, cloud) = start().await;
    let cluster = cloud.create("health-a", 2).await;
    let id = cluster.id.clone().unwrap();
    let names = vm_names(&cluster);
    let cloudstack_nodes = (cluster.controlnodes.unwrap() + cluster.size.unwrap()) as u32;
    assert_eq!(names.len() as u32, cloudstack_nodes);
    let yaml = cloud.kubeconfig(&id).await;
    let kc = Kubeconfig::parse(&yaml).expect("the kubeconfig CloudStack hands out parses");
    let info = sim.kube_api(&id).expect("the cluster has an API");
    assert_eq!(kc.server(), format!("{}/", info.url));
    assert_eq!(kc.ca_pem(), info.ca_pem.as_bytes());
    assert_eq!(kc.client_cert_not_after(), Some(info.client_cert_not_after));
    assert!(kc.ca_not_after().unwrap() > info.client_cert_not_after);

    // Healthy: reachable, ready, every node CloudStack counts is Ready, the cluster's version.
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    let h = check(&id, &kc, TIMEOUT).await;
    assert_eq!(h.api, ApiReach::Reachable, "{h:?}");
    assert_eq!(h.cluster_id, id);
    assert!(h.ready, "{h:?}");
    assert_eq!(h.nodes, cloudstack_nodes);
    assert_eq!(h.nodes_ready, cloudstack_nodes);
    assert!(h.not_ready.is_empty());
    assert_eq!(
        h.kube_version.as_deref(),
        Some(format!("v{}", cloud.version).as_str())
    );
    assert_eq!(
        h.cert_expires,
        Some(info.client_cert_not_after.format(&Rfc3339).unwrap())
    );
    let checked = OffsetDateTime::parse(&h.checked_at, &Rfc3339).unwrap();
    assert!(
        checked >= before && checked <= OffsetDateTime::now_utc(),
        "{h:?}"
    );

    // A worker's kubelet stops posting status: Running in CloudStack, NotReady in Kubernetes.
    let worker = &names[1];
    assert!(sim.set_kube_node_health(worker, KubeNodeHealth::NotReady));
    let h = check(&id, &kc, TIMEOUT).await;
    assert_eq!(h.api, ApiReach::Reachable);
    assert!(h.ready);
    assert_eq!(h.nodes, cloudstack_nodes);
    assert_eq!(h.nodes_ready, cloudstack_nodes - 1);
    assert_eq!(h.not_ready, vec![worker.clone()]);
    // A node that never joined: Kubernetes knows one node fewer than CloudStack.
    assert!(sim.set_kube_node_health(worker, KubeNodeHealth::Missing));
    let h = check(&id, &kc, TIMEOUT).await;
    assert_eq!(h.nodes, cloudstack_nodes - 1);
    assert_eq!(h.nodes_ready, cloudstack_nodes - 1);
    assert!(sim.set_kube_node_health(worker, KubeNodeHealth::Ready));

    // /readyz fails (etcd): the API still answers, so reachable but not ready.
    assert!(sim.set_kube_api_ready(&id, false));
    let h = check(&id, &kc, TIMEOUT).await;
    assert_eq!(h.api, ApiReach::Reachable, "{h:?}");
    assert!(!h.ready);
    assert_eq!(h.nodes, cloudstack_nodes);
    assert!(h.kube_version.is_some());
    assert!(sim.set_kube_api_ready(&id, true));

    // Unreachable from here although CloudStack says Running: not Refused, and quick.
    assert!(sim.set_kube_api_reachable(&id, false));
    let t = Instant::now();
    let h = check(&id, &kc, TIMEOUT).await;
    let took = t.elapsed();
    assert_eq!(unreachable_reason(&h), "connection refused");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(!h.ready);
    assert_eq!((h.nodes, h.kube_version.as_deref()), (0, None));
    assert_eq!(
        h.cert_expires,
        Some(info.client_cert_not_after.format(&Rfc3339).unwrap()),
        "the certificate's expiry is known without the server"
    );
    assert!(sim.set_kube_api_reachable(&id, true));
    assert_eq!(check(&id, &kc, TIMEOUT).await.api, ApiReach::Reachable);

    // Stopped in CloudStack: the API is gone.
    cloud
        .client
        .stop_kubernetes_cluster(&id)
        .await
        .unwrap()
        .wait(&akashone_cloudstack::JobOptions::default())
        .await
        .unwrap();
    assert_eq!(
        unreachable_reason(&check(&id, &kc, TIMEOUT).await),
        "connection refused"
    );

    // A server that accepts the connection and says nothing: the whole check gives up at its
    // timeout.
    let (port, silent) = silent_server().await;
    let kc_silent = Kubeconfig::parse(&with_port(&yaml, port)).unwrap();
    let t = Instant::now();
    let h = check(&id, &kc_silent, Duration::from_millis(300)).await;
    let took = t.elapsed();
    assert_eq!(unreachable_reason(&h), "timed out after 300 ms");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "took {took:?}"
    );
    silent.abort();
    sim.shutdown().await;
}

#[tokio::test]
async fn many_clusters_at_once_and_certificates_of_another_cluster() {
    let (sim, cloud) = start().await;
    let mut clusters = Vec::new();
    for (name, workers) in [("many-a", 1), ("many-b", 2), ("many-c", 3)] {
        clusters.push(cloud.create(name, workers).await);
    }
    let mut yamls = Vec::new();
    for c in &clusters {
        yamls.push(cloud.kubeconfig(c.id.as_deref().unwrap()).await);
    }
    let ids: Vec<String> = clusters.iter().map(|c| c.id.clone().unwrap()).collect();

    // One of them has a NotReady node; each result is its own cluster's.
    let c_worker = vm_names(&clusters[2])[3].clone();
    assert!(sim.set_kube_node_health(&c_worker, KubeNodeHealth::NotReady));
    let items: Vec<(String, Kubeconfig)> = ids
        .iter()
        .zip(&yamls)
        .map(|(id, y)| (id.clone(), Kubeconfig::parse(y).unwrap()))
        .collect();
    let all = check_many(items.clone(), 3, TIMEOUT).await;
    assert_eq!(
        all.iter()
            .map(|h| h.cluster_id.as_str())
            .collect::<Vec<_>>(),
        ids.iter().map(String::as_str).collect::<Vec<_>>(),
        "results in the order asked"
    );
    for (h, c) in all.iter().zip(&clusters) {
        assert_eq!(h.api, ApiReach::Reachable, "{h:?}");
        assert!(h.ready);
        assert_eq!(h.nodes as i64, c.controlnodes.unwrap() + c.size.unwrap());
    }
    assert_eq!(
        all.iter().map(|h| h.nodes_ready).collect::<Vec<_>>(),
        vec![2, 3, 3]
    );
    assert_eq!(all[2].not_ready, vec![c_worker]);

    // Checks run at once: three silent servers and the three clusters, 400 ms each, take about
    // 400 ms together, not 1.2 s.
    let mut silent = Vec::new();
    let mut mixed = items.clone();
    for n in 0..3 {
        let (port, task) = silent_server().await;
        silent.push(task);
        mixed.push((
            format!("silent-{n}"),
            Kubeconfig::parse(&with_port(&yamls[0], port)).unwrap(),
        ));
    }
    let t = Instant::now();
    let out = check_many(mixed, 6, Duration::from_millis(400)).await;
    let took = t.elapsed();
    assert!(took < Duration::from_millis(1150), "took {took:?}");
    assert_eq!(out.len(), 6);
    assert!(out[..3].iter().all(|h| h.api == ApiReach::Reachable));
    for h in &out[3..] {
        assert_eq!(unreachable_reason(h), "timed out after 400 ms");
    }
    silent.iter().for_each(|t| t.abort());

    // Cluster A's kubeconfig with B's server: B's certificate is not signed by A's CA.
    let port_b = sim.kube_api(&ids[1]).unwrap().port;
    let crossed = Kubeconfig::parse(&with_port(&yamls[0], port_b)).unwrap();
    let h = check(&ids[0], &crossed, TIMEOUT).await;
    // (Both CAs are called "kubernetes", so rustls finds the issuer by name and the signature
    // does not match; with differently named CAs the issuer is unknown: same words.)
    let reason = refused_reason(&h);
    assert!(
        reason.starts_with(
            "the server's certificate is not signed by the kubeconfig's certificate authority"
        ),
        "{reason}"
    );
    assert!(!h.ready && h.kube_version.is_none());

    // A token instead of the client certificate: the server requires a certificate.
    let a = &yamls[0];
    let start_user = a.find("    client-certificate-data:").unwrap();
    let token_only = format!("{}    token: abc.def\n", &a[..start_user]);
    let kc = Kubeconfig::parse(&token_only).unwrap();
    assert!(kc.has_token() && !kc.has_client_certificate());
    let h = check(&ids[0], &kc, TIMEOUT).await;
    assert_eq!(
        refused_reason(&h),
        "the server requires a client certificate, and the kubeconfig has none"
    );
    assert_eq!(h.cert_expires, None);

    // A's certificate with B's key: caught before anything is sent.
    let key_of = |y: &str| {
        y.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("client-key-data: ")
                    .map(str::to_owned)
            })
            .unwrap()
    };
    let mixed_keys = a.replace(&key_of(a), &key_of(&yamls[1]));
    let kc = Kubeconfig::parse(&mixed_keys).unwrap();
    let h = check(&ids[0], &kc, TIMEOUT).await;
    assert_eq!(
        refused_reason(&h),
        "the kubeconfig's client key does not belong to its client certificate"
    );
    sim.shutdown().await;
}
