//! Kubernetes figures, printed: `GET /api/kubernetes/clusters` of a tenant with many clusters
//! (each call asks CloudStack — the simulator on loopback — for the tenant's clusters and their
//! member VMs), sequential and concurrent; and `GET …/kubeconfig` of many clusters at once.
//!
//! `cargo bench -p akashone-server --bench kubernetes` (`-- --clusters 500 --workers 9
//! --rounds 5 --concurrency 8`).

use std::time::{Duration, Instant};

use akashone_cloudstack::api::CreateKubernetesCluster;
use akashone_cloudstack::{Client, ClientConfig};
use akashone_cloudstack_sim::{SimConfig, Simulator};
use akashone_server::config::{CloudStackConfig, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use futures::{StreamExt, stream};
use serde_json::{Value, json};

struct Args {
    clusters: usize,
    workers: i64,
    rounds: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        clusters: 500,
        workers: 9,
        rounds: 5,
        concurrency: 8,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--clusters" => a.clusters = value() as usize,
            "--workers" => a.workers = value() as i64,
            "--rounds" => a.rounds = value().max(1) as usize,
            "--concurrency" => a.concurrency = value().max(1) as usize,
            // Flags cargo passes to every bench target.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let a = args();
    let sim = Simulator::start(SimConfig {
        vms: 10,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().unwrap();
    let password = "bench-admin-password";
    let mut config = Config::new(dir.path(), Secret::new("k".repeat(48)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_password = Some(Secret::new(password));
    config.password_cost = PasswordCost::fast_for_tests();
    let server = Server::start(config).await.expect("server");
    let base = server.url();
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "admin", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().expect("signed in").to_owned();
    let get = async |path: String| -> (Duration, usize, Value) {
        let t = Instant::now();
        let r = http
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        let bytes = r.bytes().await.unwrap();
        let took = t.elapsed();
        (took, bytes.len(), serde_json::from_slice(&bytes).unwrap())
    };
    let tenant: Value = http
        .post(format!("{base}/api/tenants"))
        .bearer_auth(&token)
        .json(&json!({"name": "Bench Customer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tid = tenant["id"].as_str().unwrap().to_owned();
    let (_, _, zones) = get(format!("/api/cloudstack/zones?tenantId={tid}")).await;
    let zone = zones[0]["id"].as_str().unwrap().to_owned();
    let (_, _, versions) = get(format!("/api/kubernetes/versions?tenantId={tid}")).await;
    let version = versions[0]["id"].as_str().unwrap().to_owned();
    let (_, _, offerings) = get(format!("/api/kubernetes/offerings?tenantId={tid}")).await;
    let offering = offerings
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "CKS Node")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The clusters, made in the tenant's account straight in CloudStack.
    let cs = Client::new(ClientConfig::new(
        sim.url(),
        sim.api_key(),
        sim.secret_key(),
    ))
    .unwrap();
    let t = Instant::now();
    let made: Vec<()> = stream::iter(0..a.clusters)
        .map(|i| {
            let cmd = CreateKubernetesCluster {
                name: Some(format!("bench-{i:04}")),
                zoneid: Some(zone.clone()),
                kubernetesversionid: Some(version.clone()),
                serviceofferingid: Some(offering.clone()),
                size: Some(a.workers),
                controlnodes: Some(1),
                domainid: tenant["cloudstackDomainId"].as_str().map(str::to_owned),
                account: tenant["cloudstackAccount"].as_str().map(str::to_owned),
                ..Default::default()
            };
            let cs = cs.clone();
            async move {
                let job = cs.create_kubernetes_cluster(&cmd).await.unwrap();
                job.wait(&Default::default()).await.unwrap();
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let nodes = made.len() * (1 + a.workers as usize);
    println!(
        "setup: {} clusters with {nodes} member VMs created in the simulator in {}",
        made.len(),
        ms(t.elapsed())
    );

    let list = format!("/api/kubernetes/clusters?tenantId={tid}");
    let (first, bytes, body) = get(list.clone()).await;
    let rows = body.as_array().unwrap();
    assert_eq!(rows.len(), a.clusters);
    let listed_nodes: usize = rows
        .iter()
        .map(|r| r["nodes"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed_nodes, nodes);
    let mut times = vec![first];
    for _ in 1..a.rounds {
        times.push(get(list.clone()).await.0);
    }
    let best = *times.iter().min().unwrap();
    println!(
        "GET /api/kubernetes/clusters ({} clusters, {listed_nodes} nodes, {} KiB): median {}, best {} over {} sequential calls",
        rows.len(),
        bytes / 1024,
        ms(median(times)),
        ms(best),
        a.rounds
    );
    // The same list asked of CloudStack directly: what the server adds is the difference.
    let params = akashone_cloudstack::Params::new()
        .with("listall", true)
        .with("domainid", tenant["cloudstackDomainId"].as_str().unwrap())
        .with("account", tenant["cloudstackAccount"].as_str().unwrap());
    let mut direct = Vec::new();
    for _ in 0..a.rounds {
        let t = Instant::now();
        let raw: Vec<Value> = cs
            .list_all("listKubernetesClusters", &params, "kubernetescluster")
            .await
            .unwrap();
        assert_eq!(raw.len(), a.clusters);
        direct.push(t.elapsed());
    }
    println!(
        "listKubernetesClusters straight from the simulator: median {}",
        ms(median(direct))
    );
    let t = Instant::now();
    let together: Vec<Duration> = stream::iter(0..a.concurrency)
        .map(|_| {
            let list = list.clone();
            async { get(list).await.0 }
        })
        .buffer_unordered(a.concurrency)
        .collect()
        .await;
    println!(
        "GET /api/kubernetes/clusters, {} at once: wall {}, slowest {}",
        a.concurrency,
        ms(t.elapsed()),
        ms(*together.iter().max().unwrap())
    );

    // Kubeconfigs of 50 clusters at once (each audited).
    let ids: Vec<String> = rows
        .iter()
        .take(50)
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let t = Instant::now();
    let sizes: Vec<usize> = stream::iter(ids.iter())
        .map(|id| {
            let path = format!("/api/kubernetes/clusters/{id}/kubeconfig?tenantId={tid}");
            async { get(path).await.1 }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    println!(
        "GET …/kubeconfig of {} clusters at once: wall {} ({} KiB in all)",
        sizes.len(),
        ms(t.elapsed()),
        sizes.iter().sum::<usize>() / 1024
    );
    server.shutdown().await;
    sim.shutdown().await;
}
